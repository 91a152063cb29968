"""The persistent Oxigraph store (`--store PATH`) under concurrency, kills and bad paths."""

from __future__ import annotations

import json
import os
import signal
import sys
import time
import traceback
from pathlib import Path

from diplomacy_kg.cli import main

UN_MEMBERS = ["query", "un-members-on-date", "-p", "date=2024-02-15", "--format", "json"]
RUNS = 20
DEADLINE_SECONDS = 120.0


def _forked_cli(arguments: list[str], log: Path) -> int:
    """Run the CLI in a forked child (cheap: the modules are already imported); return its pid."""
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        code = 3
        try:
            with log.open("wb") as stream:
                os.dup2(stream.fileno(), 1)
                os.dup2(stream.fileno(), 2)
                sys.stdout = open(1, "w", closefd=False)  # noqa: SIM115
                sys.stderr = sys.stdout
                try:
                    code = main(arguments)
                except BaseException:
                    traceback.print_exc()
                sys.stdout.flush()
        finally:
            os._exit(code)
    return pid


def _wait_all(pids: list[int]) -> list[int]:
    codes: dict[int, int] = {}
    deadline = time.monotonic() + DEADLINE_SECONDS
    while len(codes) < len(pids) and time.monotonic() < deadline:
        for pid in pids:
            if pid not in codes:
                done, status = os.waitpid(pid, os.WNOHANG)
                if done:
                    codes[pid] = os.waitstatus_to_exitcode(status)
        time.sleep(0.05)
    for pid in pids:
        if pid not in codes:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            codes[pid] = -9
    return [codes[pid] for pid in pids]


def _rows(log: Path) -> int:
    text = log.read_text(encoding="utf-8", errors="replace")
    try:
        document = json.loads(text)
    except ValueError:
        return -1
    rows = document["rows"] if isinstance(document, dict) else document
    return len(rows)


def test_twenty_concurrent_queries_on_a_fresh_store_all_answer_193(tmp_path: Path) -> None:
    store = tmp_path / "fresh"
    logs = [tmp_path / f"run-{i}.log" for i in range(RUNS)]
    pids = [_forked_cli([*UN_MEMBERS, "--store", str(store)], log) for log in logs]
    codes = _wait_all(pids)
    failures = [(c, log.read_text()[-300:]) for c, log in zip(codes, logs, strict=True) if c]
    assert failures == []
    assert [_rows(log) for log in logs] == [193] * RUNS
    # Later queries still work, and no staging or retired copies were left beside the store.
    assert main([*UN_MEMBERS, "--store", str(store)]) == 0
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".fresh")) in (
        [],
        [".fresh.lock"],
    )
