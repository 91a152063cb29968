"""One base for the library's errors: the CLI turns any of them into one line and its exit code."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from pathlib import Path

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


def test_a_library_error_names_its_parameter_and_the_cli_names_the_flag(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from diplomacy_kg.adhoc import SparqlError, run_sparql

    with pytest.raises(SparqlError) as caught:
        run_sparql("INSERT DATA { <urn:a> <urn:b> <urn:c> }", lambda: None)  # type: ignore[arg-type,return-value]
    assert caught.value.field == "allow_update"
    assert str(caught.value).startswith("allow_update: ")
    assert "--" not in str(caught.value)
    from diplomacy_kg.cli import main

    assert main(["sparql", "INSERT DATA { <urn:a> <urn:b> <urn:c> }"]) == 2
    assert capsys.readouterr().err.startswith("diplomacy-kg: error: --allow-update: ")


def test_no_library_message_names_a_command_line_flag() -> None:
    # Library errors name parameters (`field`); only the CLI (and the server that `serve`
    # starts, which tells a browser how it was started) knows the flags.
    import re

    package = Path(diplomacy_kg.__file__).parent
    flag = re.compile(r"""raise \w+\(\s*f?["'][^"']*\s--[a-z]""")
    checked = [p for p in package.rglob("*.py") if "cli" not in p.parts]
    assert len(checked) > 50
    offenders = [
        f"{p.relative_to(package)}" for p in checked if flag.search(p.read_text(encoding="utf-8"))
    ]
    assert not offenders, offenders
