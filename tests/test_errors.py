"""One base for the library's errors: the CLI turns any of them into one line and its exit code."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import pytest

import diplomacy_kg
from diplomacy_kg import queries
from diplomacy_kg.cli import main
from diplomacy_kg.errors import DiplomacyKgError


def _library_error_classes() -> list[type[BaseException]]:
    found: list[type[BaseException]] = []
    for module_info in pkgutil.walk_packages(diplomacy_kg.__path__, "diplomacy_kg."):
        module = importlib.import_module(module_info.name)
        for _, value in inspect.getmembers(module, inspect.isclass):
            if (
                issubclass(value, Exception)
                and value.__module__ == module.__name__
                and not value.__name__.startswith("_")
            ):
                found.append(value)
    return found


def test_every_public_library_error_shares_the_base() -> None:
    classes = _library_error_classes()
    assert len(classes) >= 10  # the discovery found the modules' errors
    outside = [c.__qualname__ for c in classes if not issubclass(c, DiplomacyKgError)]
    assert outside == []


def test_a_broken_stored_query_file_keeps_exit_code_1() -> None:
    assert queries.CatalogueError.exit_code == 1
    assert DiplomacyKgError.exit_code == 2


def test_main_prints_any_library_error_as_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    class OddError(DiplomacyKgError):
        exit_code = 2

    def explode() -> dict[str, queries.StoredQuery]:
        raise OddError("something named went wrong")

    monkeypatch.setattr(queries, "catalogue", explode)
    assert main(["queries"]) == 2
    captured = capsys.readouterr()
    assert captured.err == "diplomacy-kg: error: something named went wrong\n"


def test_main_turns_an_unexpected_os_error_into_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def explode() -> dict[str, queries.StoredQuery]:
        raise PermissionError(13, "Permission denied", "/some/file")

    monkeypatch.setattr(queries, "catalogue", explode)
    assert main(["queries"]) == 2
    assert capsys.readouterr().err == "diplomacy-kg: error: /some/file: Permission denied\n"
