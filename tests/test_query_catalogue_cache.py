"""The stored-query catalogue is read once per file version, not on every call."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from diplomacy_kg import paths, queries
from diplomacy_kg.queries import stored


def test_an_unchanged_file_is_not_read_again_and_a_changed_one_is(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = sorted(paths.query_files())[0]
    copy = tmp_path / source.name
    shutil.copy(source, copy)
    reads: list[Path] = []
    original = queries.load_query

    def counting(path: Path) -> queries.StoredQuery:
        reads.append(path)
        return original(path)

    monkeypatch.setattr(stored, "load_query", counting)
    first = queries.catalogue([copy])
    assert queries.catalogue([copy]) == first
    assert reads == [copy]
    copy.write_text(copy.read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")
    stamp = copy.stat()
    os.utime(copy, ns=(stamp.st_atime_ns, stamp.st_mtime_ns + 1_000_000))
    changed = queries.catalogue([copy])
    assert reads == [copy, copy]
    assert changed[source.stem].text.endswith("# changed\n")
