"""Cold start: each subcommand imports only the module that registers it and what that needs."""

from __future__ import annotations

import argparse
import subprocess
import sys

import pytest

from diplomacy_kg import cli


def _commands(parser: argparse.ArgumentParser) -> set[str]:
    (subparsers,) = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return set(subparsers.choices)


def test_each_mapped_command_is_registered_by_its_module() -> None:
    everything = _commands(cli.build_parser())
    assert set(cli.COMMANDS) <= everything
    for command, module in cli.COMMANDS.items():
        assert module in cli.COMMAND_MODULES, command
        assert command in _commands(cli.build_parser(command)), (
            f"{command} is not registered by diplomacy_kg.cli.{module}; fix cli.COMMANDS"
        )


def test_an_unmapped_command_still_reaches_the_full_parser(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert cli.main(["no-such-command"]) == 2
    assert "invalid choice" in capsys.readouterr().err


_PROBE = """
import sys
from diplomacy_kg.cli import main
code = main(["query", "partner-count-on-date", "-p", "state=KOR", "-p", "date=2024-02-15"])
import diplomacy_kg
# rdflib's SPARQL parser (~60 ms) is for the rdflib engine; the default engine is Oxigraph.
heavy = sorted(m for m in ("pyshacl", "owlrl", "diplomacy_kg.validation", "diplomacy_kg.claims",
                           "diplomacy_kg.wikidata", "pyld", "rdflib.plugins.sparql")
               if m in sys.modules)
# The installed version (importlib.metadata scans every distribution) is read only when asked.
if "__version__" in vars(diplomacy_kg):
    heavy.append("__version__")
print(code, heavy, file=sys.stderr)
"""


def test_a_query_imports_neither_the_validator_nor_the_wikidata_client() -> None:
    done = subprocess.run(
        [sys.executable, "-c", _PROBE], capture_output=True, text=True, check=False, timeout=120
    )
    last = done.stderr.strip().splitlines()[-1]
    assert last == "0 []", done.stderr


def test_version_is_read_when_asked(capsys: pytest.CaptureFixture[str]) -> None:
    import diplomacy_kg

    assert cli.main(["--version"]) == 0
    assert capsys.readouterr().out == f"diplomacy-kg {diplomacy_kg.__version__}\n"
