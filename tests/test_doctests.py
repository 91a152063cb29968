"""The examples in the package's docstrings run and print what they say."""

from __future__ import annotations

import doctest
import importlib
import importlib.util
import pkgutil
from pathlib import Path

import pytest

import diplomacy_kg


def _modules_with_examples() -> list[str]:
    found = []
    for info in pkgutil.walk_packages(diplomacy_kg.__path__, "diplomacy_kg."):
        spec = importlib.util.find_spec(info.name)
        origin = spec.origin if spec is not None else None
        if origin and origin.endswith(".py") and ">>> " in Path(origin).read_text("utf-8"):
            found.append(info.name)
    if ">>> " in (diplomacy_kg.__doc__ or ""):
        found.insert(0, "diplomacy_kg")
    return found


MODULES = _modules_with_examples()


def test_the_examples_are_found() -> None:
    assert "diplomacy_kg" in MODULES and "diplomacy_kg.namespaces" in MODULES


@pytest.mark.parametrize("name", MODULES)
def test_the_docstring_examples_run(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.attempted, f"{name}: no example ran"
    assert result.failed == 0, f"{name}: {result.failed} of {result.attempted} examples failed"


def test_the_readmes_python_example_runs() -> None:
    readme = Path(__file__).resolve().parents[1] / "README.md"
    result = doctest.testfile(
        str(readme),
        module_relative=False,
        optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE,
    )
    assert result.attempted >= 8, "the README's Python example was not found"
    assert result.failed == 0, f"README.md: {result.failed} of {result.attempted} examples failed"
