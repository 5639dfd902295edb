"""The fetch lock: one fetch (or reparse) at a time per database, never blocking the TUI.

A non-blocking ``flock`` on ``paths.lock_file``: the kernel drops it when the process dies, even by
SIGKILL, so a crashed fetch never leaves a stale lock behind. The TUI does not take it.
"""

from __future__ import annotations

import os
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows: msvcrt's byte-range lock does the same job
    fcntl = None  # type: ignore[assignment]
    import msvcrt


class LockHeld(Exception):
    """Another fetch or reparse holds the lock."""


class FetchLock:
    def __init__(self, path: Path):
        self.path = Path(path)
        self.fd: int | None = None

    def acquire(self) -> FetchLock:
        """Take the lock or raise LockHeld at once (never waits)."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            if fcntl is not None:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            else:
                msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            os.close(fd)
            raise LockHeld(
                f"another missionboard fetch or reparse is running (lock: {self.path})"
            ) from None
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        self.fd = fd
        return self

    def release(self) -> None:
        if self.fd is not None:
            os.close(self.fd)  # closing the descriptor releases the lock
            self.fd = None

    def __enter__(self) -> FetchLock:
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()
