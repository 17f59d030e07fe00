"""A cache of rendered documents, outside the output folder, shared by every project on the machine.

A document's outputs are a pure function of its key (plan.unit_keys: its file, the files it refers to, the
organization, policygen's version, policygen.yaml, templates and fonts) and of the outputs asked for, and builds
are byte-reproducible; so the files rendered for a key can be reused by any later build that computes the same key,
even after output/ was deleted or in another checkout.

Where: $POLICYGEN_CACHE_DIR, else $XDG_CACHE_HOME/policygen, else ~/.cache/policygen; rendered documents in its
`renders/` folder, font subsets (policygen.font_subsets) in `fonts/`. Delete it at any time.
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


def cache_dir() -> Path:
    if os.environ.get("POLICYGEN_CACHE_DIR"):
        return Path(os.environ["POLICYGEN_CACHE_DIR"])
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "policygen"


def _entry(key: str, outputs: list[str]) -> Path:
    digest = hashlib.sha256((key + "|" + ",".join(outputs)).encode()).hexdigest()
    return cache_dir() / "renders" / digest[:2] / digest


def fetch(key: str, outputs: list[str], staging: Path) -> list[Path] | None:
    """Link the cached files of a document into `staging`; None when the cache has no complete entry."""
    entry = _entry(key, outputs)
    if not entry.is_dir():
        return None
    placed = []
    for path in sorted(entry.rglob("*")):
        if path.is_file():
            target = staging / path.relative_to(entry)
            target.parent.mkdir(parents=True, exist_ok=True)
            _link(path, target)
            placed.append(target)
    return placed


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
