"""The lock that makes builds of one output folder take turns, and that a dead build never keeps.

A POSIX record lock (fcntl F_SETLKW) belongs to the process that took it: the kernel drops it the moment that
process dies, however it dies, and the render workers it forks do not inherit it. (flock() locks, used before, are
shared with forked children: a killed build's orphaned workers kept the lock and every later build waited for ever.)
POSIX locks do not exclude threads of one process, so a process-wide mutex per lock file is taken as well.
The holder writes its pid into the lock file, so a build that has to wait can say for whom.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Callable

_mutexes: dict[str, threading.Lock] = {}
_guard = threading.Lock()


class Lock:
    def __init__(self, handle, mutex: threading.Lock):
        self._handle, self._mutex = handle, mutex

    def release(self) -> None:
        if self._handle is not None:
            self._handle.close()  # closing the file drops the POSIX lock
            self._handle = None
            self._mutex.release()


def acquire(path: Path, notify: Callable[[str], None] | None = None) -> Lock:
    """Wait for and take the lock at `path`; tell `notify` when another live build holds it."""
    with _guard:
        mutex = _mutexes.setdefault(str(path.resolve()), threading.Lock())
    if not mutex.acquire(blocking=False):
        if notify:
            notify(f"waiting for another build of {path.parent} in this process to finish")
        mutex.acquire()
    try:
        handle = open(path, "a+b")  # noqa: SIM115 (closed by Lock.release)
    except OSError:
        mutex.release()
        raise
    try:
        import fcntl
    except ImportError:  # pragma: no cover (Windows: builds are not protected from each other)
        return Lock(handle, mutex)
    try:
        fcntl.lockf(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        if notify:
            holder = _holder(path)
            notify(f"waiting for another build ({'process ' + holder if holder else 'another process'}) "
                   f"that is writing {path.name.removesuffix('.policygen-lock').lstrip('.')} to finish")
        try:
            fcntl.lockf(handle, fcntl.LOCK_EX)
        except BaseException:
            handle.close()
            mutex.release()
            raise
    handle.seek(0)
    handle.truncate()
    handle.write(f"{os.getpid()}\n".encode())
    handle.flush()
    return Lock(handle, mutex)


def _holder(path: Path) -> str:
    try:
        return path.read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        return ""
