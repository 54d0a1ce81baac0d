"""Writing an export so that a kill at any moment leaves a usable output, and the next
export tidies what a killed one left.

A file export is written to a hidden temporary file beside its target and renamed
over it (`os.replace`): a reader sees the old file or the new one, never half of one.

A folder export (CSV tables, brat) is built in a hidden temporary folder and then
*exchanged* with the old output in one atomic step (`renameat2(RENAME_EXCHANGE)` on
Linux, `renamex_np(RENAME_SWAP)` on macOS), so that at every moment either the old
folder or the new one sits under the output's name. Where the system has no such call
(Windows, some network file systems) the old folder is renamed aside first and the new
one into place: a kill between those two renames leaves the output's name empty for
that moment, with the old folder kept aside, and the next export puts it back.

Temporary names say whose they are, `.NAME.stancemark-HOST-PID-RANDOM.tmp` (and
`.old` for an old folder moved aside), so any later export into the same folder
removes those of exports no longer running on this machine (the process is gone), and
of other machines after a day. Names left by earlier versions (`.NAME.XXXXXXXX.tmp`,
`.NAME.XXXXXXXX`, `.NAME.old`) are removed for the same NAME once an hour old.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import hashlib
import os
import re
import secrets
import shutil
import socket
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

_TAG = "stancemark"
_OURS = re.compile(r"^\.(?P<name>.+)\.stancemark-(?P<host>[0-9a-f]{6})-(?P<pid>\d+)-"
                   r"[0-9a-z]+\.(?P<kind>tmp|old)$")
FOREIGN_AGE = 24 * 3600  # leftovers of another machine's export: removed after a day
LEGACY_AGE = 3600  # names of earlier versions carry no owner: removed after an hour


def _host() -> str:
    return hashlib.sha256(socket.gethostname().encode("utf-8", "replace")).hexdigest()[:6]


def temp_path(target: Path, kind: str = "tmp") -> Path:
    """A fresh hidden name beside `target` that tidy() knows how to judge."""
    return target.with_name(f".{target.name}.{_TAG}-{_host()}-{os.getpid()}-"
                            f"{secrets.token_hex(4)}.{kind}")


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    if os.name != "posix":  # os.kill would terminate it there: keep, judged by age instead
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # exists, owned by someone else
        return True
    return True


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()


def _age(path: Path) -> float:
    try:
        return time.time() - path.lstat().st_mtime
    except OSError:
        return 0.0


def tidy(target: Path) -> list[Path]:
    """Remove what killed exports left beside `target`'s folder; returns what went.

    An old folder moved aside by an export killed between its two renames (systems
    without an atomic exchange) is put back under its name if nothing took its place.
    """
    folder = target.parent
    removed: list[Path] = []
    legacy = re.compile(r"^\." + re.escape(target.name) + r"\.([0-9a-z_]{8}(\.tmp)?|old)$")
    try:
        entries = [e for e in os.scandir(folder) if e.name.startswith(".")]
    except OSError:
        return removed
    me = _host()
    for entry in entries:
        path = Path(entry.path)
        m = _OURS.match(entry.name)
        if m:
            if m["host"] == me:
                if _alive(int(m["pid"])) and (os.name == "posix" or _age(path) < FOREIGN_AGE):
                    continue
            elif _age(path) < FOREIGN_AGE:
                continue
            owner = folder / m["name"]
            if m["kind"] == "old" and not owner.exists() and not owner.is_symlink():
                _replace(path, owner)  # the last complete output, back under its name
                continue
        elif entry.name == f".{target.name}.old" and not target.exists():
            _replace(path, target)  # an earlier version was killed between its renames
            continue
        elif not (legacy.match(entry.name) and _age(path) > LEGACY_AGE):
            continue
        _remove(path)
        removed.append(path)
    return removed


def _replace(src: Path, dst: Path) -> None:
    os.replace(src, dst)


_EXCHANGE_UNSUPPORTED = {errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV}
_libc: Any = None


def _exchange(a: Path, b: Path) -> bool:
    """Swap the names of `a` and `b` in one atomic step; False where the system or the
    file system cannot (the caller falls back to two renames)."""
    global _libc
    if sys.platform not in ("linux", "darwin"):
        return False
    if _libc is None:
        try:
            _libc = ctypes.CDLL(None, use_errno=True)
        except OSError:
            _libc = False
    if sys.platform == "linux":
        call = getattr(_libc, "renameat2", None) if _libc else None
        args: tuple[Any, ...] = (-100, os.fsencode(a), -100, os.fsencode(b), 2)  # AT_FDCWD, RENAME_EXCHANGE
    else:
        call = getattr(_libc, "renamex_np", None) if _libc else None
        args = (os.fsencode(a), os.fsencode(b), 2)  # RENAME_SWAP
    if call is None:
        return False
    if call(*args) == 0:
        return True
    err = ctypes.get_errno()
    if err in _EXCHANGE_UNSUPPORTED:
        return False
    raise OSError(err, os.strerror(err), str(b))


@contextlib.contextmanager
def atomic_write(path: Path, mode: str = "w", encoding: str | None = "utf-8",
                 newline: str | None = "") -> Iterator[IO[Any]]:
    """Write to a temporary file beside `path`, then os.replace: a reader never sees
    half a file and a failed export leaves the old file in place."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tidy(path)
    tmp = temp_path(path)
    fd = os.open(tmp, os.O_CREAT | os.O_EXCL | os.O_WRONLY | getattr(os, "O_BINARY", 0), 0o600)
    try:
        kwargs: dict[str, Any] = {}
        if "b" not in mode:
            kwargs = {"encoding": encoding, "newline": newline}
        with os.fdopen(fd, mode, **kwargs) as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        _replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


@contextlib.contextmanager
def atomic_dir(path: Path) -> Iterator[Path]:
    """Build a folder export in a temporary sibling, then swap it in (module docstring)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tidy(path)
    tmp = temp_path(path)
    os.mkdir(tmp, 0o700)
    try:
        yield tmp
        if path.exists() or path.is_symlink():
            if not _exchange(tmp, path):
                old = temp_path(path, "old")
                _replace(path, old)
                try:
                    _replace(tmp, path)
                except BaseException:
                    _replace(old, path)
                    raise
                tmp = old
            # After the swap the temporary name holds the previous output.
        else:
            _replace(tmp, path)
    finally:
        _remove(tmp)
