"""diplomacy-kg: an open knowledge graph of diplomatic relations.

The Python API, imported lazily so that `import diplomacy_kg` stays cheap:

>>> from diplomacy_kg import load_graph, validate
>>> graph = load_graph()            # the ontology and the curated data, as an rdflib Graph
>>> validate(graph).conforms
True
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

# Public name -> module that defines it.
_API = {
    "load_graph": "diplomacy_kg.graph",
    "load_shapes": "diplomacy_kg.graph",
    "RdfParseError": "diplomacy_kg.graph",
    "validate": "diplomacy_kg.validation",
    "summarize": "diplomacy_kg.summary",
    "run_query": "diplomacy_kg.queries",
}

__all__ = ["__version__", *_API]


def _version() -> str:
    # importlib.metadata costs ~50 ms: read only when __version__ is asked for.
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("diplomacy-kg")
    except PackageNotFoundError:  # running from a source tree that was never installed
        return "0.0.0"


def __getattr__(name: str) -> Any:
    """Import an API function from its module on first use (and read the version lazily)."""
    if name == "__version__":
        value = _version()
        globals()["__version__"] = value
        return value
    if name in _API:
        return getattr(import_module(_API[name]), name)
    raise AttributeError(f"module 'diplomacy_kg' has no attribute {name!r}")
