"""A cache of rendered documents, outside the output folder, shared by every project on the machine.

A document's outputs are a pure function of its key (plan.unit_keys: its file, the files it refers to, the
organization, policygen's version, policygen.yaml, templates and fonts) and of the outputs asked for, and builds
are byte-reproducible; so the files rendered for a key can be reused by any later build that computes the same key,
even after output/ was deleted or in another checkout.

Where: $POLICYGEN_CACHE_DIR, else $XDG_CACHE_HOME/policygen, else ~/.cache/policygen; rendered documents in its
`renders/` folder, font subsets (policygen.font_subsets) in `fonts/`. Delete it at any time. It is kept under
$POLICYGEN_CACHE_MAX_MB megabytes (default 1024): after each build, the entries used longest ago go first (an entry
is marked used each time a build takes it).
Safe when builds run at once: an entry is written into a private temporary folder and renamed into place in one
step; a reader only ever sees complete entries; a temporary folder left by a killed build is removed later.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
import time
from pathlib import Path

STALE_SECONDS = 3600  # temporary folders older than this were left by killed builds
DEFAULT_MAX_MB = 1024


def cache_dir() -> Path:
    if os.environ.get("POLICYGEN_CACHE_DIR"):
        return Path(os.environ["POLICYGEN_CACHE_DIR"])
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "policygen"


def _entry(key: str, outputs: list[str]) -> Path:
    digest = hashlib.sha256((key + "|" + ",".join(outputs)).encode()).hexdigest()
    return cache_dir() / "renders" / digest[:2] / digest


def fetch(key: str, outputs: list[str], staging: Path) -> list[Path] | None:
    """Link the cached files of a document into `staging`; None when the cache has no complete entry (or when
    the entry went away while being read: another build pruned it)."""
    entry = _entry(key, outputs)
    if not entry.is_dir():
        return None
    mark_used(entry)
    placed = []
    try:
        for path in sorted(entry.rglob("*")):
            if path.is_file():
                target = staging / path.relative_to(entry)
                target.parent.mkdir(parents=True, exist_ok=True)
                _link(path, target)
                placed.append(target)
    except FileNotFoundError:
        pass
    else:
        if entry.is_dir():
            return placed
    for target in placed:  # pruned meanwhile (prune renames an entry away in one step): none of it
        target.unlink(missing_ok=True)
    return None


def store(key: str, outputs: list[str], staging: Path, files: list[Path]) -> None:
    """Keep a document's freshly rendered files for later builds. Never fails a build: a cache is optional."""
    entry = _entry(key, outputs)
    if entry.exists():
        return
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        remove_stale(entry.parent)
        temporary = Path(tempfile.mkdtemp(prefix=".tmp-", dir=entry.parent))
        for path in files:
            target = temporary / path.relative_to(staging)
            target.parent.mkdir(parents=True, exist_ok=True)
            _link(path, target)
        try:
            temporary.rename(entry)  # atomic; fails if another build stored the same entry meanwhile
        except OSError:
            shutil.rmtree(temporary, ignore_errors=True)
    except OSError:
        pass


def _link(source: Path, target: Path) -> None:
    # A copy, not a hard link: a file edited in place in output/ must not change what later builds receive.
    shutil.copyfile(source, target)


def remove_stale(folder: Path) -> None:
    """Remove the temporary files and folders (`.tmp-*`) that builds killed over an hour ago left in `folder`."""
    now = time.time()
    for leftover in folder.glob(".tmp-*"):
        try:
            if now - leftover.stat().st_mtime > STALE_SECONDS:
                if leftover.is_dir():
                    shutil.rmtree(leftover, ignore_errors=True)
                else:
                    leftover.unlink()
        except OSError:
            pass


def mark_used(entry: Path) -> None:
    """Note that a build took `entry` now, so pruning keeps it over entries used longer ago."""
    try:
        os.utime(entry)
    except OSError:
        pass


def prune(max_bytes: int | None = None) -> list[Path]:
    """Remove the entries used longest ago until the cache holds at most `max_bytes` (default: from
    $POLICYGEN_CACHE_MAX_MB, else DEFAULT_MAX_MB). Returns what it removed; never fails a build."""
    if max_bytes is None:
        try:
            max_bytes = int(float(os.environ.get("POLICYGEN_CACHE_MAX_MB", DEFAULT_MAX_MB)) * 1024 * 1024)
        except ValueError:
            max_bytes = DEFAULT_MAX_MB * 1024 * 1024
    entries = []  # (last used, size, path): a rendered document's folder or a font subset's file
    for pattern in ("renders/*/*", "fonts/*/*.subset"):
        for entry in cache_dir().glob(pattern):
            if entry.name.startswith("."):  # being written by a build, or being removed
                continue
            try:
                files = [entry] if entry.is_file() else [f for f in entry.rglob("*") if f.is_file()]
                entries.append((entry.stat().st_mtime, sum(f.stat().st_size for f in files), entry))
            except OSError:
                continue
    total = sum(size for _, size, _ in entries)
    removed = []
    for _, size, entry in sorted(entries, key=lambda e: (e[0], str(e[2]))):
        if total <= max_bytes:
            break
        try:
            if entry.is_dir():  # renamed away first, so a build reading it sees all of it or none of it
                doomed = entry.parent / f".tmp-pruned-{entry.name}"
                entry.rename(doomed)
                shutil.rmtree(doomed, ignore_errors=True)
            else:
                entry.unlink()
        except OSError:
            continue
        total -= size
        removed.append(entry)
    return removed

