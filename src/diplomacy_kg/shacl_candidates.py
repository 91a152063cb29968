"""Whole-graph SPARQL that finds, for each SHACL shape, the focus nodes that may fail it.

pyshacl checks every focus node of a shape one by one. For the shapes the project writes
(targets by class, node or property; property shapes with an IRI, inverse or alternative path;
cardinality, class, datatype, node kind, pattern, sh:in, unique languages, sh:or of simple
shapes, lengths, bounds, sh:lessThanOrEquals) each constraint is compiled here into one SELECT
over the whole graph that returns `?this` for every focus node that might fail it. The queries
are sound over-approximations: a node they do not return has no result for that constraint,
so pyshacl need only check the nodes they do return (and gives its own report for them). A
value check that cannot be stated exactly in SPARQL (rdflib's idea of an ill-typed literal,
Python's regular expressions) errs towards returning the node. Whatever this module cannot
compile returns None, and the caller lets pyshacl check every focus node of that shape.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, SH, XSD
from rdflib.term import Node

# Gives the IRIs of a class and all its subclasses in the data graph (for sh:class, targets).
Subclasses = Callable[[URIRef], list[URIRef]]

_TARGETS = (SH.targetNode, SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf)
# Parameters that only ever report on a value node: with no value there is no result.
_VALUE_WISE = frozenset(
    {
        SH["class"],
        SH.datatype,
        SH.nodeKind,
        SH.pattern,
        SH["in"],
        SH.minLength,
        SH.maxLength,
        SH.minInclusive,
        SH.maxInclusive,
        SH.minExclusive,
        SH.maxExclusive,
        SH.languageIn,
        SH.uniqueLang,
        SH.lessThan,
        SH.lessThanOrEquals,
        SH.disjoint,
        SH["or"],
        SH["and"],
        SH["not"],
        SH.xone,
        SH.node,
    }
)
# Regular expressions whose meaning is the same in Python (pyshacl) and Oxigraph (Rust):
# literal characters, classes, anchors, groups, alternation and counted repetition.
_PORTABLE_PATTERN = re.compile(r"^(?:[A-Za-z0-9 _:/,#^$\[\]{}()|*+?-]|\\[.\-/])*$")
_DATE = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
_DATE_TIME = (
    r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]"
    r"([.][0-9]{1,6})?(Z|[+-][0-9]{2}:[0-9]{2})?$"
)
_INTEGER = r"^[+-]?[0-9]+$"


@dataclass
class Query:
    """A candidate query, which returns nothing unless every one of `needs` is in the data."""

    text: str
    needs: tuple[URIRef, ...] = ()
    # False: the query leaves the target out (its rows are to be kept when they are focus
    # nodes), so the same text serves every shape that has the constraint.
    targeted: bool = True


@dataclass
class Plan:
    """The candidate queries of one shape, and the shapes whose sh:sparql must be asked too."""

    queries: list[Query] = field(default_factory=list)
    sparql_shapes: list[Node] = field(default_factory=list)


@dataclass(frozen=True)
class _Path:
    # A SHACL path as SPARQL: `steps` joined by fresh variables (a sequence) or one step.
    steps: tuple[str, ...]
    needs: tuple[URIRef, ...]

    def pattern(self, subject: str, value: str, tag: str) -> str:
        names = [subject, *(f"?_{tag}{i}" for i in range(1, len(self.steps))), value]
        return " . ".join(f"{names[i]} {step} {names[i + 1]}" for i, step in enumerate(self.steps))


def target_pattern(shapes: Graph, shape: Node, subclasses: Subclasses) -> str | None:
    """Return the SPARQL group binding ?this to every focus node of the shape, or None."""
    if (shape, SH.target, None) in shapes:
        return None  # SHACL-AF targets: pyshacl ignores them unless advanced; not compiled
    groups: list[str] = []
    classes = [c for c in shapes.objects(shape, SH.targetClass)]
    types = set(shapes.objects(shape, RDF.type))
    class_kinds = set(shapes.subjects(RDFS.subClassOf, RDFS.Class)) | {RDFS.Class}
    if types & class_kinds:
        classes.append(shape)  # an implicit class target
    for cls in classes:
        if not isinstance(cls, URIRef):
            return None
        values = " ".join(_term(c) for c in subclasses(cls))
        groups.append(f"{{ VALUES ?_tc {{ {values} }} ?this a ?_tc . }}")
    nodes = list(shapes.objects(shape, SH.targetNode))
    if nodes:
        if any(isinstance(n, BNode) for n in nodes):
            return None
        groups.append(f"{{ VALUES ?this {{ {' '.join(_term(n) for n in nodes)} }} }}")
    for prop, pattern in (
        (SH.targetSubjectsOf, "?this {} ?_to"),
        (SH.targetObjectsOf, "?_ts {} ?this"),
    ):
        for iri in shapes.objects(shape, prop):
            if not isinstance(iri, URIRef):
                return None
            groups.append("{ " + pattern.format(_term(iri)) + " . }")
    if not groups:
        return ""  # no target: pyshacl never checks it on its own
    return "{ " + " UNION ".join(groups) + " }"


def plan(shapes: Graph, shape: Node, target: str, subclasses: Subclasses) -> Plan | None:
    """Return the candidate queries for a shape with the given target group, or None."""
    compiler = _Compiler(shapes, subclasses)
    found = Plan()
    if not compiler.shape(shape, target, found):
        return None
    return found


class _Compiler:
    def __init__(self, shapes: Graph, subclasses: Subclasses) -> None:
        self.shapes = shapes
        self.subclasses = subclasses

    def shape(self, shape: Node, target: str, found: Plan) -> bool:
        from pyshacl.constraints import ALL_CONSTRAINT_PARAMETERS

        path_node = self.shapes.value(shape, SH.path)
        path = _path(self.shapes, path_node) if path_node is not None else None
        if path_node is not None and path is None:
            return False
        parameters = {p for p in self.shapes.predicates(shape) if p in ALL_CONSTRAINT_PARAMETERS}
        value_tests: list[str] = []
        for parameter in sorted(parameters, key=str):
            values = list(self.shapes.objects(shape, parameter))
            if parameter == SH.property:
                if path is not None:
                    return False  # nested property shapes: their focus nodes are values
                for inner in values:
                    if (inner, SH.path, None) not in self.shapes:
                        return False
                    if not self.shape(inner, target, found):
                        return False
                continue
            if parameter == SH.sparql:
                found.sparql_shapes.append(shape)
                continue
            if parameter in (SH.minCount, SH.maxCount, SH.uniqueLang, SH.lessThanOrEquals):
                queries = self.constraint(parameter, values, path, target)
                if queries is None:
                    return False
                found.queries += queries
                continue
            if parameter not in _VALUE_WISE:
                return False
            if parameter == SH.pattern and (shape, SH.flags, None) in self.shapes:
                values = []  # sh:flags change the expression: every valued node is a candidate
            test = self.value_ok(parameter, values, "?v" if path is not None else "?this")
            value_tests.append("false" if test is None else f"!COALESCE({test}, false)")
        if value_tests:
            # One query for all the value checks of a shape: a value failing any is a candidate.
            where = target if path is None else f"{path.pattern('?this', '?v', 'p')} ."
            if "false" in value_tests:
                text = f"SELECT DISTINCT ?this WHERE {{ {where} }}"
            else:
                text = (
                    f"SELECT DISTINCT ?this WHERE {{ {where} FILTER ({' || '.join(value_tests)}) }}"
                )
            if path is None:
                found.queries.append(Query(text))
            else:
                found.queries.append(Query(text, path.needs, targeted=False))
        return True

    def constraint(
        self, parameter: Node, values: list[Node], path: _Path | None, target: str
    ) -> list[Query] | None:
        """Return the queries of a count, sh:uniqueLang or sh:lessThanOrEquals, or None."""
        if path is None:
            return None  # on a node shape: not compiled
        values_of = path.pattern("?this", "?v", "p")
        if parameter in (SH.minCount, SH.maxCount):
            count = _integer(values[0]) if len(values) == 1 else None
            if count is None:
                return None
            # The common counts as joins, which Oxigraph answers faster than a grouping.
            if parameter == SH.minCount:
                if count <= 0:
                    return []
                if count == 1:
                    # MINUS: Oxigraph runs the pattern once, not once per focus node.
                    text = f"SELECT DISTINCT ?this WHERE {{ {target} MINUS {{ {values_of} }} }}"
                else:
                    text = (
                        f"SELECT ?this WHERE {{ {target} OPTIONAL {{ {values_of} }} }} "
                        f"GROUP BY ?this HAVING (COUNT(DISTINCT ?v) < {count})"
                    )
                return [Query(text)]
            if count == 0:
                text = f"SELECT DISTINCT ?this WHERE {{ {values_of} }}"
            elif count == 1:
                other = path.pattern("?this", "?w", "q")
                text = (
                    f"SELECT DISTINCT ?this WHERE {{ {values_of} . {other} . "
                    "FILTER (!sameTerm(?v, ?w)) }"
                )
            else:
                text = (
                    f"SELECT ?this WHERE {{ {values_of} }} "
                    f"GROUP BY ?this HAVING (COUNT(DISTINCT ?v) > {count})"
                )
            return [Query(text, path.needs, targeted=False)]
        if parameter == SH.uniqueLang:
            if values != [Literal(True)]:
                return None if values != [Literal(False)] else []
            other = path.pattern("?this", "?w", "q")
            return [
                Query(
                    f"SELECT DISTINCT ?this WHERE {{ {values_of} . {other} . "
                    "FILTER (isLITERAL(?v) && isLITERAL(?w) && !sameTerm(?v, ?w) && LANG(?v) != '' "
                    "&& LCASE(LANG(?v)) = LCASE(LANG(?w))) }",
                    path.needs,
                    targeted=False,
                )
            ]
        # sh:lessThanOrEquals
        if len(values) != 1 or not isinstance(values[0], URIRef):
            return None
        safe = f"({_date_ok('?v')} && {_date_ok('?o')} && STR(?v) <= STR(?o))"
        return [
            Query(
                f"SELECT DISTINCT ?this WHERE {{ {values_of} . "
                f"?this {_term(values[0])} ?o . FILTER (!COALESCE({safe}, false)) }}",
                (*path.needs, values[0]),
                targeted=False,
            )
        ]

    def value_ok(self, parameter: Node, values: list[Node], x: str) -> str | None:
        """Return a SPARQL condition that holds only for values pyshacl accepts, or None."""
        if parameter == SH["or"]:
            if len(values) != 1:
                return None
            members = list(Collection(self.shapes, values[0]))
            member_tests = [self.member_ok(m, x) for m in members]
            if not member_tests or any(t is None for t in member_tests):
                return None
            return "(" + " || ".join(t for t in member_tests if t is not None) + ")"
        if len(values) != 1 and parameter != SH["class"]:
            return None
        if parameter == SH["class"]:
            tests = []
            for cls in values:
                if not isinstance(cls, URIRef):
                    return None
                kind = "?_k"  # local to its EXISTS: the same name keeps equal tests' texts equal
                subs = " ".join(_term(c) for c in self.subclasses(cls))
                tests.append(
                    f"(!isLITERAL({x}) && EXISTS {{ VALUES {kind} {{ {subs} }} {x} a {kind} }})"
                )
            return "(" + " && ".join(tests) + ")"
        value = values[0]
        if parameter == SH.datatype:
            return _datatype_ok(value, x)
        if parameter == SH.nodeKind:
            kinds: dict[Node, str] = {
                SH.IRI: f"isIRI({x})",
                SH.BlankNode: f"isBLANK({x})",
                SH.Literal: f"isLITERAL({x})",
                SH.BlankNodeOrIRI: f"(isIRI({x}) || isBLANK({x}))",
                SH.BlankNodeOrLiteral: f"(isBLANK({x}) || isLITERAL({x}))",
                SH.IRIOrLiteral: f"(isIRI({x}) || isLITERAL({x}))",
            }
            return kinds.get(value)
        if parameter == SH.pattern:
            text = str(value)
            if not isinstance(value, Literal) or not _PORTABLE_PATTERN.match(text):
                return None
            return f"({_stringish(x)} && REGEX(STR({x}), {_string(text)}))"
        if parameter == SH["in"]:
            members = list(Collection(self.shapes, value))
            # Literal members are left to pyshacl: rdflib and Oxigraph differ on literal identity.
            iris = [m for m in members if isinstance(m, URIRef)]
            if not iris:
                return "false"
            return "(" + " || ".join(f"sameTerm({x}, {_term(m)})" for m in iris) + ")"
        if parameter == SH.minLength:
            length = _integer(value)
            if length is None:
                return None
            return f"({_stringish(x)} && STRLEN(STR({x})) >= {length})"
        if parameter == SH.minInclusive:
            bound = _integer(value)
            if bound is None:
                return "false"
            return (
                f"(isLITERAL({x}) && DATATYPE({x}) = {_term(XSD.integer)} "
                f"&& REGEX(STR({x}), {_string(_INTEGER)}) && {x} >= {bound})"
            )
        return None

    def member_ok(self, member: Node, x: str) -> str | None:
        """Return the test of an sh:or member shape that has only value-wise parameters."""
        from pyshacl.constraints import ALL_CONSTRAINT_PARAMETERS

        if not isinstance(member, BNode) or (member, SH.path, None) in self.shapes:
            return None
        if any((member, target, None) in self.shapes for target in _TARGETS):
            return None
        tests = []
        for parameter in set(self.shapes.predicates(member)):
            if parameter not in ALL_CONSTRAINT_PARAMETERS:
                continue
            if parameter in (SH.uniqueLang, SH.lessThanOrEquals) or parameter not in _VALUE_WISE:
                return None
            test = self.value_ok(parameter, list(self.shapes.objects(member, parameter)), x)
            if test is None:
                return None
            tests.append(test)
        if (member, SH.flags, None) in self.shapes:
            return None
        return "(" + " && ".join(tests or ["true"]) + ")"


def _path(shapes: Graph, path: Node) -> _Path | None:
    # A sequence of steps becomes a chain of triple patterns (Oxigraph evaluates a sequence
    # property path inside NOT EXISTS far more slowly); each step is an IRI, an inverse IRI
    # or an alternative of those.
    if isinstance(path, BNode) and (path, RDF.first, None) in shapes:
        steps = [_step(shapes, step) for step in Collection(shapes, path)]
        if len(steps) < 2 or any(step is None for step in steps):
            return None
        found = [step for step in steps if step is not None]
        return _Path(
            tuple(text for text, _ in found), tuple(n for _, needs in found for n in needs)
        )
    step = _step(shapes, path)
    return None if step is None else _Path((step[0],), step[1])


def _step(shapes: Graph, path: Node) -> tuple[str, tuple[URIRef, ...]] | None:
    if isinstance(path, URIRef):
        return _term(path), (path,)
    if not isinstance(path, BNode):
        return None
    inverse = shapes.value(path, SH.inversePath)
    if inverse is not None:
        return (f"^{_term(inverse)}", (inverse,)) if isinstance(inverse, URIRef) else None
    alternatives = shapes.value(path, SH.alternativePath)
    if alternatives is not None:
        members = [_step(shapes, m) for m in Collection(shapes, alternatives)]
        if not members or any(m is None for m in members):
            return None
        return "(" + "|".join(m[0] for m in members if m is not None) + ")", ()
    return None


def _datatype_ok(datatype: Node, x: str) -> str | None:
    # rdflib marks some typed literals ill-typed and pyshacl rejects them; accept only lexical
    # forms that rdflib surely parses (strict shapes, and a valid value for Oxigraph too).
    literal = f"isLITERAL({x})"
    if datatype == XSD.string:
        return f"({literal} && DATATYPE({x}) = {_term(XSD.string)})"
    if datatype == RDF.langString:
        return f"({literal} && LANG({x}) != '')"
    checks = {
        XSD.date: (_DATE, f"{_term(XSD.date)}(STR({x})) = {_term(XSD.date)}(STR({x}))"),
        XSD.dateTime: (
            _DATE_TIME,
            f"{_term(XSD.dateTime)}(STR({x})) = {_term(XSD.dateTime)}(STR({x}))",
        ),
        XSD.integer: (_INTEGER, "true"),
        XSD.boolean: ("^(true|false|1|0)$", "true"),
    }
    if not isinstance(datatype, URIRef) or datatype not in checks:
        return "false"
    pattern, valid = checks[datatype]
    return (
        f"({literal} && DATATYPE({x}) = {_term(datatype)} && REGEX(STR({x}), {_string(pattern)})"
        f" && !STRSTARTS(STR({x}), '0000') && {valid})"
    )


def _date_ok(x: str) -> str:
    ok = _datatype_ok(XSD.date, x)
    assert ok is not None
    return ok


def _stringish(x: str) -> str:
    # Values whose str() is the same in rdflib and Oxigraph: IRIs and strings (other literals
    # may have their lexical form normalised differently).
    string = f"DATATYPE({x}) = {_term(XSD.string)}"
    return f"(isIRI({x}) || (isLITERAL({x}) && ({string} || LANG({x}) != '')))"


def _integer(node: Node) -> int | None:
    if isinstance(node, Literal) and node.datatype == XSD.integer and isinstance(node.value, int):
        return node.value
    return None


def _term(node: Node) -> str:
    if isinstance(node, URIRef):
        text = str(node)
        if any(c in text for c in '<>"{}|^`\\ ') or not text:
            raise ValueError(f"an IRI SPARQL cannot write: {text!r}")
        return f"<{text}>"
    if isinstance(node, Literal):
        return node.n3()
    raise ValueError(f"a term SPARQL cannot name: {node!r}")


def _string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
