"""Safe output (issue 11 §3, §4): what is at an output path is written through, never replaced.

Symlinks are written through at their target, character devices and FIFOs are streamed to,
`-` is standard output, other non-regular files are refused, an existing file keeps its mode;
sets of files and whole folders are replaced so that a kill leaves the old state or the new.
"""

from __future__ import annotations

import os
import stat
import threading
import time
from pathlib import Path

import pytest

from diplomacy_kg import files, tables
from diplomacy_kg.cli import main
from diplomacy_kg.files import OutputError, atomic_write_bytes


def _export_context(output: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(["export", "--format", "context", "--output", output])
    return code, capsys.readouterr().err


def test_a_symlink_is_written_through_at_its_target(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "real.jsonld"
    target.write_text("old\n")
    target.chmod(0o640)
    link = tmp_path / "link.jsonld"
    link.symlink_to(target)
    code, err = _export_context(str(link), capsys)
    assert code == 0, err
    assert link.is_symlink() and link.resolve() == target
    assert target.read_text().startswith("{") and "@context" in target.read_text()
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link.jsonld", "real.jsonld"]


def test_a_fifo_is_streamed_to_and_stays_a_fifo(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []

    def read() -> None:
        with fifo.open("rb") as stream:
            received.append(stream.read())

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    code, err = _export_context(str(fifo), capsys)
    reader.join(timeout=10)
    assert code == 0, err
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    assert b"@context" in received[0]


def _device(path: Path, minor: int) -> Path:
    # A private node (never the machine's own /dev/null or /dev/full, which a regression would
    # replace for every process): 1,3 is a null device, 1,7 a full one.
    try:
        os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(1, minor))
    except OSError:
        pytest.skip("cannot create a device node here (needs CAP_MKNOD)")
    return path


def test_a_character_device_is_streamed_to_and_stays_a_device(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    null = _device(tmp_path / "null", 3)
    code, err = _export_context(str(null), capsys)
    assert code == 0, err
    assert stat.S_ISCHR(null.lstat().st_mode)
    full = _device(tmp_path / "full", 7)  # every write fails with "no space left on device"
    code, err = _export_context(str(full), capsys)
    assert code == 2
    assert "No space left on device" in err and len(err.strip().splitlines()) == 1
    assert stat.S_ISCHR(full.lstat().st_mode)


def test_a_dash_means_standard_output(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", "--format", "context", "--output", "-"]) == 0
    assert "@context" in capsys.readouterr().out
    assert not Path("-").exists()


def test_a_directory_or_socket_is_refused_not_replaced(tmp_path: Path) -> None:
    folder = tmp_path / "folder"
    folder.mkdir()
    with pytest.raises(OutputError, match="it is a directory"):
        atomic_write_bytes(folder, b"x")
    assert folder.is_dir()
    import socket

    sock_path = tmp_path / "sock"
    server = socket.socket(socket.AF_UNIX)
    try:
        server.bind(str(sock_path))
        with pytest.raises(OutputError, match="not a regular file"):
            atomic_write_bytes(sock_path, b"x")
        assert stat.S_ISSOCK(sock_path.lstat().st_mode)
    finally:
        server.close()


def test_an_existing_files_mode_is_kept_and_a_new_one_follows_the_umask(tmp_path: Path) -> None:
    secret = tmp_path / "secret.ttl"
    secret.write_text("old\n")
    secret.chmod(0o600)
    atomic_write_bytes(secret, b"new\n")
    assert secret.read_bytes() == b"new\n"
    assert stat.S_IMODE(secret.stat().st_mode) == 0o600
    fresh = tmp_path / "fresh.ttl"
    umask = os.umask(0o022)
    try:
        atomic_write_bytes(fresh, b"x")
    finally:
        os.umask(umask)
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o644


def test_temporary_files_of_killed_runs_are_removed(tmp_path: Path) -> None:
    target = tmp_path / "graph.ttl"
    stale = tmp_path / ".graph.ttl.tmp-k1ll3d"
    stale.write_bytes(b"half")
    long_ago = time.time() - 2 * 3600
    os.utime(stale, (long_ago, long_ago))
    recent = tmp_path / ".graph.ttl.tmp-running"  # may belong to a run still going on
    recent.write_bytes(b"half")
    atomic_write_bytes(target, b"whole\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == [".graph.ttl.tmp-running", "graph.ttl"]


def test_a_set_of_files_interrupted_midway_is_completed_by_the_next_run(tmp_path: Path) -> None:
    for name in ("a.ttl", "b.ttl"):
        (tmp_path / name).write_text("old\n")

    real_replace = Path.replace
    calls = []

    def dying_replace(self: Path, target: str | os.PathLike[str]) -> Path:
        if self.name.startswith(".b.ttl"):
            calls.append(self)
            raise KeyboardInterrupt  # killed after a.ttl was renamed, before b.ttl
        return real_replace(self, target)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Path, "replace", dying_replace)
        with pytest.raises(KeyboardInterrupt):
            files.replace_files(tmp_path, {"a.ttl": b"new\n", "b.ttl": b"new\n"})
    assert calls and (tmp_path / "a.ttl").read_text() == "new\n"
    assert files.complete_replacements(tmp_path) == ["b.ttl"]
    assert [(tmp_path / n).read_text() for n in ("a.ttl", "b.ttl")] == ["new\n", "new\n"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.ttl", "b.ttl"]


def test_tables_write_their_files_as_one_set(tmp_path: Path) -> None:
    conversion = tables.write(data_dir=tmp_path)
    written = sorted(p.name for p in tmp_path.iterdir())
    assert written == sorted(conversion.graphs)
    assert len(written) >= 2  # a set, not one file


def test_a_release_replaced_by_a_run_killed_midway_comes_back(tmp_path: Path) -> None:
    root = tmp_path / "release"
    folder = root / "9.9.9"
    folder.mkdir(parents=True)
    (folder / "diplomacy-kg.nt").write_text("<https://example.org/a> <https://example.org/p> 1 .\n")
    # A `release --force` killed after moving the old folder away, before the new one moved in:
    retired = root / ".9.9.9.tmp-retired"
    folder.rename(retired)
    staging = root / ".9.9.9.tmp-half"
    staging.mkdir()
    old = time.time() - 2 * 3600
    os.utime(staging, (old, old))
    files.recover_directory(folder)
    assert (folder / "diplomacy-kg.nt").is_file()
    assert sorted(p.name for p in root.iterdir()) == ["9.9.9"]


def test_a_folder_is_swapped_whole(tmp_path: Path) -> None:
    folder = tmp_path / "9.9.9"
    folder.mkdir()
    (folder / "stale-file").write_text("from an older build\n")
    staging = files.staging_directory(folder)
    (staging / "diplomacy-kg.nt").write_text("new\n")
    files.replace_directory(folder, staging)
    assert sorted(p.name for p in folder.iterdir()) == ["diplomacy-kg.nt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["9.9.9"]
