"""Two git revisions of a project, read from git without checking them out."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import weakref
from pathlib import Path, PurePosixPath

from ..model import Project


class RevisionError(Exception):
    """A revision cannot be read or loaded: unknown revision, no git repository, or documents with errors
    (`diagnostics` then holds them, with file paths relative to the project)."""

    def __init__(self, message: str, diagnostics=None):
        super().__init__(message)
        self.diagnostics = diagnostics


def split_range(spec: str) -> tuple[str, str]:
    """'v1..v2' → ('v1', 'v2'); 'v1' alone compares v1 with HEAD."""
    if ".." in spec:
        old, new = spec.split("..", 1)
        return old or "HEAD", new or "HEAD"
    return spec, "HEAD"


def _git(repo: Path, *args: str, data: bytes | None = None) -> bytes:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env["GIT_CONFIG_NOSYSTEM"] = "1"
    try:
        done = subprocess.run(["git", "-C", str(repo), *args], input=data, capture_output=True, env=env, check=False)
    except FileNotFoundError:
        raise RevisionError("git is not installed") from None
    if done.returncode != 0:
        raise RevisionError(done.stderr.decode("utf-8", "replace").strip() or f"git {' '.join(args)} failed")
    return done.stdout


def read_revision(repo_root: Path | str, rev: str, into: Path) -> Path:
    """Write the files of the policy project at `repo_root` as they are at git revision `rev` into `into`,
    without touching the working tree or the index; return the project folder inside `into`.

    Copied: policygen.yaml, its documents and templates folders and its font files (everything under the
    project folder when policygen.yaml cannot be read). Symbolic links and submodules are left out.
    """
    import yaml

    repo_root = Path(repo_root).resolve()
    if rev.startswith("-"):
        raise RevisionError(f"'{rev}' is not a revision")
    prefix = _git(repo_root, "rev-parse", "--show-prefix").decode().strip()  # the project folder in the repository
    try:
        commit = _git(repo_root, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}").decode().strip()
    except RevisionError:
        raise RevisionError(f"'{rev}' is not a commit of the repository at {repo_root}") from None
    listing = _git(repo_root, "ls-tree", "-r", "-z", "--full-tree", commit)
    entries = []
    for record in listing.split(b"\0"):
        if not record:
            continue
        meta, path = record.split(b"\t", 1)
        mode, kind, oid = meta.decode().split()
        name = path.decode("utf-8", "surrogateescape")
        if kind == "blob" and mode in ("100644", "100755") and name.startswith(prefix):
            entries.append((name[len(prefix):], oid))
    files = dict(entries)
    if "policygen.yaml" not in files:
        raise RevisionError(f"there is no policygen.yaml in {prefix or 'the repository root'} at {rev}")

    wanted = None  # None: everything under the project folder
    try:
        config = yaml.safe_load(_cat(repo_root, [files["policygen.yaml"]])[0])
        if isinstance(config, dict):
            folders = [str(config.get("documents", "policies")), str(config.get("templates", "templates"))]
            fonts = [str(f.get("file")) for f in config.get("fonts", []) or [] if isinstance(f, dict)]
            wanted = (["policygen.yaml"] + fonts, [_norm(f) for f in folders])
    except (yaml.YAMLError, UnicodeDecodeError, AttributeError, TypeError):
        wanted = None

    def keep(rel: str) -> bool:
        if wanted is None:
            return True
        exact, folders = wanted
        return rel in {_norm(e) for e in exact} or any(rel.startswith(f + "/") for f in folders if f)

    chosen = [(rel, oid) for rel, oid in entries if keep(rel)]
    root = Path(into)
    blobs = _cat(repo_root, [oid for _, oid in chosen])
    for (rel, _), blob in zip(chosen, blobs):
        target = root.joinpath(*PurePosixPath(rel).parts)
        if ".." in PurePosixPath(rel).parts:
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(blob)
    return root


def _norm(path: str) -> str:
    parts = [p for p in PurePosixPath(path).parts if p not in (".", "")]
    return "/".join(parts)


def _cat(repo: Path, oids: list[str]) -> list[bytes]:
    """The contents of blobs, through one `git cat-file --batch`."""
    if not oids:
        return []
    out = _git(repo, "cat-file", "--batch", data=("\n".join(oids) + "\n").encode())
    blobs, pos = [], 0
    for _ in oids:
        end = out.index(b"\n", pos)
        header = out[pos:end].split()
        size = int(header[2])
        blobs.append(out[end + 1:end + 1 + size])
        pos = end + 1 + size + 1
    return blobs


def load_revision(repo_root: Path | str, rev: str) -> Project:
    """The policy project at `repo_root` as it is at git revision `rev` (a commit, tag or branch), loaded with
    load_project from a temporary copy of its files; the working tree is never touched.

    The temporary folder lives as long as the returned Project (its templates and font files are read when it is
    rendered) and is removed after. Raises RevisionError when the revision cannot be read or its documents have
    errors.
    """
    from ..project import load_project

    folder = Path(tempfile.mkdtemp(prefix="policygen-rev-"))
    try:
        root = read_revision(repo_root, rev, folder)
        result = load_project(root)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    if not result.ok:
        shutil.rmtree(folder, ignore_errors=True)
        raise RevisionError(f"the documents at {rev} have errors", result.diagnostics)
    project = result.project
    weakref.finalize(project, shutil.rmtree, folder, True)
    return project
