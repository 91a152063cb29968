"""The persistent Oxigraph store (`--store PATH`): built once under a lock, read by many at once.

A lock file beside the store (`.<name>.lock`) orders the processes that use it: readers hold it
shared for as long as their engine is open and open the store read-only (`Store.read_only`), so
any number of them run together without RocksDB's own writer lock; a build holds it exclusive,
writes a new store beside the old one, swaps it in by renaming, and removes what killed builds
left behind. So twenty first uses of a fresh path build it once, and the others wait and read it.
A path that holds something other than a store, or a store that fails to open, is one error line,
never rebuilt behind the user's back.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from diplomacy_kg.engines import EngineError
from diplomacy_kg.engines.oxigraph_engine import OxigraphEngine
from diplomacy_kg.files import OutputError, recover_directory, replace_directory
from diplomacy_kg.limits import DEFAULT_TIMEOUT_SECONDS

_POLL_SECONDS = 0.05
_STAGING = ".new-"
_RETIRED = ".old-"


def is_store(path: Path) -> bool:
    """Tell whether a directory holds an Oxigraph (RocksDB) store: every one has a CURRENT file."""
    return (path / "CURRENT").is_file()


def lock_path(store: Path) -> Path:
    """Return the lock file that orders the readers and builders of a store."""
    return store.parent / f".{store.name}.lock"


def _check_path(store: Path) -> None:
    if store.exists() and not store.is_dir():
        raise EngineError(f"{store}: not a directory, so not an Oxigraph store")
    if store.is_dir() and not is_store(store) and any(store.iterdir()):
        raise EngineError(f"{store}: a non-empty directory that is not an Oxigraph store")


def _open_lock_file(store: Path, *, create: bool) -> int | None:
    path = lock_path(store)
    try:
        return os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    except OSError as error:
        if create:
            raise EngineError(
                f"{store}: cannot create the lock file {path}: {error.strerror or error}"
            ) from error
    try:  # a read-only disk or folder: a shared lock still works on a read-only descriptor
        return os.open(path, os.O_RDONLY | os.O_CLOEXEC)
    except OSError:
        return None  # nobody can build here either, so there is no one to wait for


def _acquire(descriptor: int, mode: int, store: Path, wait_seconds: float) -> None:
    deadline = time.monotonic() + wait_seconds
    while True:
        try:
            fcntl.flock(descriptor, mode | fcntl.LOCK_NB)
            return
        except OSError as error:
            if error.errno not in (errno.EAGAIN, errno.EACCES):
                raise EngineError(f"{store}: cannot lock the store: {error.strerror}") from error
        if time.monotonic() >= deadline:
            os.close(descriptor)
            doing = "rebuilt" if mode == fcntl.LOCK_SH else "used"
            raise EngineError(
                f"{store}: the store is being {doing} by another process; "
                f"gave up after waiting {wait_seconds:g} s"
            )
        time.sleep(_POLL_SECONDS)


@contextlib.contextmanager
def exclusive(store: Path, wait_seconds: float = DEFAULT_TIMEOUT_SECONDS) -> Iterator[None]:
    """Hold the store's lock exclusively: no reader has it open, no other build runs."""
    store = Path(store).resolve()
    descriptor = _open_lock_file(store, create=True)
    assert descriptor is not None
    _acquire(descriptor, fcntl.LOCK_EX, store, wait_seconds)
    try:
        yield
    finally:
        os.close(descriptor)  # closing the descriptor releases the lock


def _remove_leftovers(store: Path) -> None:
    # Only called under the exclusive lock, so no other build is using these.
    recover_directory(store)  # a store moved away by a killed swap comes back first
    for stale in store.parent.glob(f".{store.name}.*-*"):
        if stale.is_dir() and stale.name.startswith(
            (f".{store.name}{_STAGING}", f".{store.name}{_RETIRED}")
        ):
            shutil.rmtree(stale, ignore_errors=True)


def _build_locked(store: Path, build: Callable[[Path], OxigraphEngine]) -> int:
    _remove_leftovers(store)
    try:
        staging = Path(tempfile.mkdtemp(prefix=f".{store.name}{_STAGING}", dir=store.parent))
    except OSError as error:
        raise EngineError(f"{store}: cannot build the store here: {error.strerror}") from error
    try:
        engine = build(staging)
        triples = len(engine.store)
        engine.close()
        del engine  # the store's files are closed, so its directory can move
        try:
            replace_directory(store, staging)  # one atomic exchange on Linux
        except OutputError as error:
            raise EngineError(str(error)) from error
        return triples
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)


def _make_parent(store: Path) -> None:
    try:
        store.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise EngineError(f"{store}: cannot create its folder: {error.strerror}") from error


def build(
    store: Path,
    builder: Callable[[Path], OxigraphEngine],
    *,
    wait_seconds: float = DEFAULT_TIMEOUT_SECONDS,
) -> int:
    """(Re)build the store with `builder(staging_path)` and swap it in; return its triples."""
    store = Path(store).resolve()
    _check_path(store)
    _make_parent(store)
    with exclusive(store, wait_seconds):
        _check_path(store)
        return _build_locked(store, builder)


def open_shared(
    store: Path,
    builder: Callable[[Path], OxigraphEngine],
    *,
    wait_seconds: float = DEFAULT_TIMEOUT_SECONDS,
) -> OxigraphEngine:
    """Open the store read-only, building it first (once, under the lock) if it is not there."""
    store = Path(store).resolve()
    _check_path(store)
    if not is_store(store):
        _make_parent(store)
        with exclusive(store, wait_seconds):
            _check_path(store)
            if not is_store(store):  # another process may have built it while we waited
                _build_locked(store, builder)
    descriptor = _open_lock_file(store, create=False)
    if descriptor is not None:
        _acquire(descriptor, fcntl.LOCK_SH, store, wait_seconds)
    try:
        if not is_store(store):
            raise EngineError(f"{store}: the store disappeared while it was being opened")
        engine = OxigraphEngine.open_read_only(store)
    except BaseException:
        if descriptor is not None:
            os.close(descriptor)
        raise
    if descriptor is not None:
        engine.hold_lock(descriptor)
    return engine
