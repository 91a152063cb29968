"""A SHACL report as a comparable outcome: its verdict and its results as a multiset.

One helper for the tests that compare two validation paths (`test_w3c_shacl.py`,
`test_validation_compiled.py`): each result is its focus node, path, value, severity, source
shape, constraint and component, and its sorted messages, each written by `text`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

from rdflib import Graph
from rdflib.namespace import SH

RESULT_TERMS = (
    SH.focusNode,
    SH.resultPath,
    SH.value,
    SH.resultSeverity,
    SH.sourceShape,
    SH.sourceConstraint,
    SH.sourceConstraintComponent,
)


def outcome(
    report: Graph,
    term_text: Callable[[object], str] = str,
    message_text: Callable[[object], str] = str,
) -> tuple[str, Counter[tuple[object, ...]]]:
    """Return the report's verdict and its results as a multiset of their written terms."""
    conforms = next(report.objects(None, SH.conforms), None)
    results = Counter(
        (
            *(term_text(report.value(node, term)) for term in RESULT_TERMS),
            tuple(sorted(message_text(m) for m in report.objects(node, SH.resultMessage))),
        )
        for node in report.objects(None, SH.result)
    )
    return str(conforms), results
