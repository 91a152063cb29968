"""The persistent Oxigraph store (`--store PATH`) under concurrency, kills and bad paths."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from diplomacy_kg.cli import main
from diplomacy_kg.engines import store as store_module
from diplomacy_kg.engines.factory import build_store, make_engine
from diplomacy_kg.engines.oxigraph_engine import OxigraphEngine

UN_MEMBERS = ["query", "un-members-on-date", "-p", "date=2024-02-15", "--format", "json"]
RUNS = 20
DEADLINE_SECONDS = 120.0
# The command as a user runs it: separate processes, as twenty shells would start them.
COMMAND = [sys.executable, "-c", "import sys; from diplomacy_kg.cli import main; sys.exit(main())"]


def _run_together(arguments: list[str], count: int) -> list[tuple[int, str, str]]:
    processes = [
        subprocess.Popen(
            [*COMMAND, *arguments], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        for _ in range(count)
    ]
    deadline = time.monotonic() + DEADLINE_SECONDS
    outcomes = []
    for process in processes:
        try:
            out, err = process.communicate(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            process.kill()
            out, err = process.communicate()
        outcomes.append((process.returncode, out, err))
    return outcomes


def _rows(out: str) -> int:
    try:
        document = json.loads(out)
    except ValueError:
        return -1
    rows = document["rows"] if isinstance(document, dict) else document
    return len(rows)


def test_twenty_concurrent_queries_on_a_fresh_store_all_answer_193(tmp_path: Path) -> None:
    store = tmp_path / "fresh"
    outcomes = _run_together([*UN_MEMBERS, "--store", str(store)], RUNS)
    failures = [(code, err[-300:]) for code, _, err in outcomes if code != 0]
    assert failures == []
    assert [_rows(out) for _, out, _ in outcomes] == [193] * RUNS
    # Later queries still work, and no staging or retired copies were left beside the store.
    assert main([*UN_MEMBERS, "--store", str(store)]) == 0
    leftovers = sorted(p.name for p in tmp_path.iterdir() if p.name != "fresh")
    assert leftovers == [".fresh.lock"]


def test_readers_share_a_store_read_only(tmp_path: Path) -> None:
    data = tmp_path / "data.ttl"
    data.write_text("<https://example.org/a> <https://example.org/p> 1, 2 .\n")
    store = tmp_path / "store"
    first = make_engine("oxigraph", store=store, files=[data])
    second = make_engine("oxigraph", store=store, files=[data])  # RocksDB's lock would refuse
    with first, second:
        assert len(first.query("SELECT * WHERE { ?s ?p ?o }").rows) == 2
        assert len(second.query("SELECT * WHERE { ?s ?p ?o }").rows) == 2
        assert isinstance(first, OxigraphEngine)
        with pytest.raises(RuntimeError, match="read-write"):
            first.store.update("INSERT DATA { <https://example.org/b> <https://example.org/p> 3 }")


def test_a_store_that_fails_to_open_is_one_line_and_not_rebuilt(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = tmp_path / "store"
    assert main(["load", "--store", str(store)]) == 0
    (store / "CURRENT").write_text("MANIFEST-999999\n")  # points at a manifest that is not there
    before = sorted(p.name for p in store.iterdir())
    capsys.readouterr()
    assert main([*UN_MEMBERS, "--store", str(store)]) == 2
    err = capsys.readouterr().err
    assert "cannot open the Oxigraph store" in err and len(err.strip().splitlines()) == 1
    assert sorted(p.name for p in store.iterdir()) == before


@pytest.mark.parametrize("kind", ["file", "unwritable"])
def test_a_store_path_that_cannot_be_a_store_is_one_line(
    kind: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    if kind == "file":
        target = tmp_path / "a-file"
        target.write_text("not a store\n")
    else:
        target = Path("/proc/diplomacy-kg-store")  # even root cannot create a folder here
    assert main([*UN_MEMBERS, "--store", str(target)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("diplomacy-kg: error: ") and len(err.strip().splitlines()) == 1


def test_a_rebuild_removes_what_killed_builds_left_behind(tmp_path: Path) -> None:
    data = tmp_path / "data.ttl"
    data.write_text("<https://example.org/a> <https://example.org/p> 1 .\n")
    store = tmp_path / "store"
    assert build_store(store, [data]) == 1
    for leftover in (".store.new-k1ll3d", ".store.old-4242"):
        (tmp_path / leftover).mkdir()
        (tmp_path / leftover / "000001.sst").write_bytes(b"half a store")
    data.write_text("<https://example.org/a> <https://example.org/p> 1, 2 .\n")
    assert build_store(store, [data]) == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == [".store.lock", "data.ttl", "store"]


def test_a_build_that_dies_midway_leaves_the_old_store(tmp_path: Path) -> None:
    data = tmp_path / "data.ttl"
    data.write_text("<https://example.org/a> <https://example.org/p> 1 .\n")
    store = tmp_path / "store"
    build_store(store, [data])

    def dying(staging: Path) -> OxigraphEngine:
        (staging / "CURRENT").write_text("half\n")
        raise KeyboardInterrupt  # as a Ctrl-C in the middle of the parse would

    with pytest.raises(KeyboardInterrupt):
        store_module.build(store, dying)
    with make_engine("oxigraph", store=store, files=[]) as engine:
        assert len(engine.query("SELECT * WHERE { ?s ?p ?o }").rows) == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == [".store.lock", "data.ttl", "store"]
