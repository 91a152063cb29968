"""The wheel carries the RDF folders, so an installed CLI works from any directory."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "--quiet",
            "--wheel-dir",
            str(out),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    [built] = out.glob("diplomacy_kg-*.whl")
    return built


def test_the_wheel_packs_every_rdf_folder(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for folder, pattern in [
        ("ontology", "*.ttl"),
        ("shapes", "*.ttl"),
        ("data", "*.ttl"),
        ("queries", "*.rq"),
        ("data/tables", "*.csv"),
    ]:
        expected = {
            f"diplomacy_kg/resources/{folder}/{p.name}" for p in (ROOT / folder).glob(pattern)
        }
        assert expected and expected <= names, f"{folder} is not packed completely"


def test_the_unpacked_wheel_answers_from_another_directory(wheel: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    code = (
        "import sys; sys.path.insert(0, sys.argv[1]);"
        "from diplomacy_kg import paths; from diplomacy_kg.cli import main;"
        "assert str(paths.RESOURCE_ROOT).startswith(sys.argv[1]), paths.RESOURCE_ROOT;"
        "sys.exit(main(['query', 'partner-count-on-date', '-p', 'state=KOR',"
        " '-p', 'date=2024-02-15', '--format', 'csv']))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(site)],
        cwd=elsewhere,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["count,minimum,maximum,status", "193,193,193,exact"]
