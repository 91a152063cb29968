"""Safe output: every file the project writes goes through here, whole or not at all.

- A regular file (or a new one) is written to a temporary file beside it and renamed into place,
  keeping an existing file's permission bits; a kill leaves the old file or the new one.
- A symlink is written through, atomically at its target (the link itself stays).
- A character device (`/dev/null`, `/dev/stdout`, a terminal) or a FIFO is streamed to, never
  replaced; `-` means standard output.
- Anything else (a directory, a socket, a block device) is refused.
- `replace_files` writes several files of one folder as a set (a journal completes a set that a
  kill interrupted, on the next run); `replace_directory` swaps a whole folder in atomically.
- Temporary files and folders of killed runs (`.<name>.tmp-*`) are removed by the next write.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import json
import os
import shutil
import stat
import sys
import tempfile
import time
from collections.abc import Mapping
from pathlib import Path

from diplomacy_kg.errors import DiplomacyKgError

_TEMPORARY = ".tmp-"
_JOURNAL = ".diplomacy-kg-replacing.json"
# A temporary file younger than this may belong to a run still going on: it is left alone.
_LEFTOVER_AGE_SECONDS = 3600.0
_RENAME_EXCHANGE = 2


class OutputError(DiplomacyKgError):
    """A file could not be written; nothing was left half-written."""


def _fail(path: Path, error: OSError) -> OutputError:
    return OutputError(f"cannot write {path}: {error.strerror or error}")


def _target_of(path: Path) -> Path:
    """Follow symlinks to the path that is really written (which may not exist yet)."""
    return Path(os.path.realpath(path)) if path.is_symlink() else path


def _remove_leftovers(directory: Path, name: str) -> None:
    cutoff = time.time() - _LEFTOVER_AGE_SECONDS
    for stale in directory.glob(f".{name}{_TEMPORARY}*"):
        with contextlib.suppress(OSError):
            if stale.lstat().st_mtime < cutoff:
                if stale.is_dir() and not stale.is_symlink():
                    shutil.rmtree(stale, ignore_errors=True)
                else:
                    stale.unlink()


def _stream(path: Path, content: bytes) -> None:
    try:
        with path.open("wb", buffering=0) as stream:
            view = memoryview(content)
            while view:
                written = stream.write(view)
                view = view[written or len(view) :]
    except OSError as error:
        raise _fail(path, error) from error


def _temporary_beside(target: Path, content: bytes, mode: int | None) -> Path:
    """Write content to a fsynced temporary file beside `target` and return its path."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        _remove_leftovers(target.parent, target.name)
        handle, name = tempfile.mkstemp(prefix=f".{target.name}{_TEMPORARY}", dir=target.parent)
    except OSError as error:
        raise _fail(target, error) from error
    temporary = Path(name)
    try:
        if mode is None:  # mkstemp makes 0600 files; give a new file what open() would
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        os.fchmod(handle, mode)
        with os.fdopen(handle, "wb") as stream:
            stream.write(content)
            stream.flush()
            os.fsync(stream.fileno())
    except BaseException as error:
        temporary.unlink(missing_ok=True)
        if isinstance(error, OSError):
            raise _fail(target, error) from error
        raise
    return temporary


def _existing_mode(target: Path) -> int | None:
    """Return an existing regular file's permission bits; refuse what cannot be replaced."""
    try:
        status = target.stat()
    except FileNotFoundError:
        return None
    except OSError as error:
        raise _fail(target, error) from error
    if stat.S_ISREG(status.st_mode):
        return stat.S_IMODE(status.st_mode)
    kind = "a directory" if stat.S_ISDIR(status.st_mode) else "not a regular file"
    raise OutputError(f"cannot write {target}: it is {kind}; refusing to replace it")


def is_stream(path: Path) -> bool:
    """Tell whether writing to `path` streams (stdout, a character device or a FIFO)."""
    if str(path) == "-":
        return True
    try:
        mode = path.stat().st_mode
    except OSError:
        return False
    return stat.S_ISCHR(mode) or stat.S_ISFIFO(mode)


def atomic_write_bytes(path: Path | str, content: bytes) -> None:
    """Write bytes to `path` safely: atomically for files, streamed to devices, FIFOs and `-`."""
    if str(path) == "-":
        sys.stdout.flush()
        sys.stdout.buffer.write(content)
        sys.stdout.buffer.flush()
        return
    path = Path(path)
    if is_stream(path):
        _stream(path, content)
        return
    target = _target_of(path)
    mode = _existing_mode(target)
    temporary = _temporary_beside(target, content, mode)
    try:
        temporary.replace(target)
    except BaseException as error:
        temporary.unlink(missing_ok=True)
        if isinstance(error, OSError):
            raise _fail(path, error) from error
        raise


def atomic_write_text(path: Path | str, text: str) -> None:
    """Write UTF-8 text safely (see `atomic_write_bytes`)."""
    atomic_write_bytes(path, text.encode("utf-8"))


def _journal(directory: Path) -> Path:
    return directory / _JOURNAL


def complete_replacements(directory: Path) -> list[str]:
    """Finish a set of replacements a killed run left half done; return the files it completed.

    The journal is written only once every new file is complete beside its target, so finishing
    the renames gives the complete new set; a journal whose files are gone is simply dropped.
    """
    journal = _journal(directory)
    try:
        pending: dict[str, str] = json.loads(journal.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return []
    except (OSError, ValueError):
        pending = {}
    completed = []
    for temporary, target in sorted(pending.items()):
        source = directory / temporary
        if source.is_file():
            with contextlib.suppress(OSError):
                source.replace(directory / target)
                completed.append(target)
    journal.unlink(missing_ok=True)
    return completed


def replace_files(directory: Path, files: Mapping[str, bytes]) -> None:
    """Write several files of one folder as a set: after a kill, the old set or the new one."""
    directory = Path(directory)
    complete_replacements(directory)
    temporaries: dict[str, str] = {}
    try:
        for name, content in sorted(files.items()):
            target = _target_of(directory / name)
            if target.parent != directory:
                raise OutputError(f"cannot write {directory / name}: it points out of {directory}")
            temporaries[_temporary_beside(target, content, _existing_mode(target)).name] = name
        journal = _temporary_beside(
            _journal(directory), json.dumps(temporaries, indent=1).encode(), None
        )
        journal.replace(_journal(directory))
    except BaseException:
        for temporary in temporaries:
            (directory / temporary).unlink(missing_ok=True)
        raise
    complete_replacements(directory)


def _exchange(first: Path, second: Path) -> bool:
    """Swap two paths atomically with Linux's renameat2(RENAME_EXCHANGE); False if unsupported."""
    name = ctypes.util.find_library("c")
    if sys.platform != "linux" or name is None:
        return False
    libc = ctypes.CDLL(name, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    at_fdcwd = -100
    result = renameat2(
        at_fdcwd, os.fsencode(first), at_fdcwd, os.fsencode(second), _RENAME_EXCHANGE
    )
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in (22, 38, 95):  # EINVAL, ENOSYS, EOPNOTSUPP: the file system cannot exchange
        return False
    raise OSError(code, os.strerror(code), str(second))


def staging_directory(target: Path) -> Path:
    """Create an empty folder beside `target` to build its replacement in."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        recover_directory(target)
        return Path(tempfile.mkdtemp(prefix=f".{target.name}{_TEMPORARY}", dir=target.parent))
    except OSError as error:
        raise _fail(target, error) from error


def recover_directory(target: Path) -> None:
    """Undo what a killed `replace_directory` left: restore a moved-away folder, drop staging."""
    retired = target.with_name(f".{target.name}{_TEMPORARY}retired")
    if retired.is_dir() and not target.exists():
        retired.rename(target)
    _remove_leftovers(target.parent, target.name)
    if retired.is_dir():
        shutil.rmtree(retired, ignore_errors=True)


def replace_directory(target: Path, staging: Path) -> None:
    """Put the complete folder `staging` in the place of `target`, atomically where possible."""
    try:
        if target.exists() and _exchange(staging, target):
            shutil.rmtree(staging, ignore_errors=True)  # it now holds the old folder
            return
        retired = target.with_name(f".{target.name}{_TEMPORARY}retired")
        if target.exists():
            shutil.rmtree(retired, ignore_errors=True)
            target.rename(retired)  # a kill from here on is undone by recover_directory
        staging.rename(target)
        shutil.rmtree(retired, ignore_errors=True)
    except OSError as error:
        raise _fail(target, error) from error
