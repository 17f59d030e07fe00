"""What a build must render: a key per document, so an unchanged document is not rendered again.

A document's key hashes what its outputs are made of: its own file, the files of every document it refers to
(a regulation prints its forms' titles, its rules' values, its attachments; a form its matrix's approvers; a rule
export the numbers of the articles that state it), the organization, and everything global: policygen's version
and code, the versions of the libraries that write the files, policygen.yaml, the templates, the fonts. The keys go
into a manifest beside the outputs; the next build renders only the documents whose key changed and takes the other
files from the previous output.
"""

from __future__ import annotations

import hashlib
import json
from functools import cache
from pathlib import Path

from .model import Project
from .references import Ref, parse
from .resources import templates_dir

MANIFEST = ".policygen-manifest.json"


def _digest(*parts: bytes) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(len(part).to_bytes(8, "big"))
        h.update(part)
    return h.hexdigest()


@cache
def _file_digest(path: Path, size: int, mtime_ns: int) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def file_digest(path: Path) -> str:
    stat = path.stat()
    return _file_digest(path, stat.st_size, stat.st_mtime_ns)


def _folder_digest(folder: Path, pattern: str = "*") -> list[bytes]:
    if not folder.is_dir():
        return []
    return [f"{p.relative_to(folder).as_posix()}={file_digest(p)}".encode()
            for p in sorted(folder.rglob(pattern)) if p.is_file() and "__pycache__" not in p.parts]


@cache
def _renderer_digest() -> list[bytes]:
    """policygen's own code and the versions of the libraries that write the files: a change in either can change
    the bytes of an output, so it must not be taken from an older build or from the render cache."""
    from importlib.metadata import PackageNotFoundError, version

    parts = _folder_digest(Path(__file__).resolve().parent, "*.py")
    for name in ("weasyprint", "pydyf", "python-docx", "uharfbuzz", "fonttools", "jinja2"):
        try:
            parts.append(f"{name}={version(name)}".encode())
        except PackageNotFoundError:
            parts.append(f"{name}=-".encode())
    return parts


def global_key(project: Project, version: str) -> str:
    from .fonts import FONTS_DIR

    config = project.config
    parts = [version.encode(), *_renderer_digest(), file_digest(config.source.path).encode(),
             *_folder_digest(templates_dir()), *_folder_digest(config.templates),
             *_folder_digest(FONTS_DIR),
             *(file_digest((config.root / f["file"]).resolve()).encode() for f in config.fonts)]
    return _digest(*parts)


def references(project: Project) -> dict[str, set[str]]:
    """For every rendered document, the ids of the documents it names anywhere.

    Found in the document's data as loaded, not in the typed model, so that no kind of link can be forgotten when a
    format grows: every `[[kind:id]]` in any text, and every value that names another document or a rule (an
    approval field's matrix, an attachment, `stated_in: regulation/article`, ...). A value that only happens to
    equal a document id costs one needless render, never a stale output.
    """
    rule_owner = {r.id: rs.id for rs in project.rulesets.values() for r in rs.rules}
    rendered = rendered_documents(project)

    def named(value: str) -> set[str]:
        found = set()
        for candidate in (value, value.split("/", 1)[0]):
            if candidate in rendered:
                found.add(candidate)
            elif candidate in rule_owner:
                found.add(rule_owner[candidate])
        if "[[" in value:
            for seg in parse(value)[0]:
                if isinstance(seg, Ref) and seg.target:
                    found |= named(seg.target)
        return found

    def walk(value) -> set[str]:
        if isinstance(value, str):
            return named(value)
        if isinstance(value, dict):
            return set().union(set(), *(walk(k) | walk(v) for k, v in value.items()))
        if isinstance(value, list):
            return set().union(set(), *(walk(v) for v in value))
        return set()

    names = {doc_id: walk(doc.where.source.data) - {doc_id} for doc_id, doc in rendered.items()}
    for form_id in project.forms:  # a form is dated by the first regulation that attaches it: a link the other way
        names[form_id] |= set(project.attached_by.get(form_id, [])[:1])
    return names


def printed_within(project: Project, names: dict[str, set[str]]) -> dict[str, set[str]]:
    """For every rendered document, the documents whose content it prints whole, not only their title, number or
    value: a regulation's attachments and the matrices and procedures it names (printed as tables and charts), a
    form's approval matrices
    (`names`: from references()). What such
    a document refers to reaches the pages of the one that prints it."""
    inside: dict[str, set[str]] = {doc_id: set() for doc_id in rendered_documents(project)}
    for reg in project.regulations.values():
        inside[reg.id] |= {a.target for a in reg.attachments}
        inside[reg.id] |= {t for t in names[reg.id] if t in project.matrices}
        inside[reg.id] |= {t for t in names[reg.id] if t in project.procedures}  # a paragraph prints the chart
    for form in project.forms.values():
        inside[form.id] |= {f.attrs["matrix"] for f in form.fields if f.type == "approval"}
    return inside


def dependencies(project: Project) -> dict[str, set[str]]:
    """For every rendered document, every other document that can change its bytes: the documents it prints
    whole, the documents those print whole, and so on (a regulation attaches a form that prints a matrix's
    approvers), and everything any of them names (a title, an article number, a rule's value)."""
    names = references(project)
    inside = printed_within(project, names)
    closed: dict[str, set[str]] = {}
    for start in names:
        printed, todo = {start}, [start]
        while todo:
            for doc_id in inside[todo.pop()]:
                if doc_id not in printed:
                    printed.add(doc_id)
                    todo.append(doc_id)
        closed[start] = (printed | set().union(*(names[d] for d in printed))) - {start}
    return closed


def rendered_documents(project: Project) -> dict:
    """Every document that has outputs, by id (all but the organization and the rule tests)."""
    return {**project.regulations, **project.rulesets, **project.matrices, **project.forms, **project.procedures}


def _source_digest(doc) -> str:
    """The text a document was loaded from (not the file as it is now: the key must describe what was rendered)."""
    return hashlib.sha256(doc.where.source.text.encode("utf-8", "surrogatepass")).hexdigest()


def unit_keys(project: Project, version: str) -> dict[str, str]:
    """A key per rendered document (regulations, forms, rules documents, matrices): everything global, the
    organization (names, roles, calendar), the document itself and every document it depends on, transitively."""
    base = global_key(project, version)
    org = _source_digest(project.organization) if project.organization else ""
    docs = rendered_documents(project)
    keys = {}
    for doc_id, deps in dependencies(project).items():
        parts = [f"{d}={_source_digest(docs[d])}".encode() for d in sorted(deps)]
        keys[doc_id] = _digest(base.encode(), org.encode(), _source_digest(docs[doc_id]).encode(), *parts)
    return keys


def read_manifest(output: Path) -> dict | None:
    try:
        data = json.loads((output / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    ok = (isinstance(data, dict) and data.get("format") == MANIFEST_FORMAT and isinstance(data.get("units"), dict)
          and isinstance(data.get("files"), dict))
    return data if ok else None


MANIFEST_FORMAT = 2
BOOKKEEPING = (MANIFEST, ".gitignore")  # in the output folder, but not outputs
CARRIED = "revisions/"  # written by `policygen diff`, carried over by every build, not recorded


def recorded_files(folder: Path, previous: dict | None = None) -> dict[str, list]:
    """Every output file in `folder` as [size, mtime_ns, sha256]. A file whose size and mtime equal its record in
    `previous` (a hard link of the previous build's file) keeps that record's hash instead of being read again."""
    before = (previous or {}).get("files", {})
    files = {}
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder).as_posix()
        if not path.is_file() or rel in BOOKKEEPING or rel.startswith(CARRIED):
            continue
        stat = path.stat()
        old = before.get(rel)
        if isinstance(old, list) and len(old) == 3 and old[:2] == [stat.st_size, stat.st_mtime_ns]:
            files[rel] = old
        else:
            files[rel] = [stat.st_size, stat.st_mtime_ns, hashlib.sha256(path.read_bytes()).hexdigest()]
    return files


def damaged_units(output: Path, manifest: dict) -> tuple[set[str], bool]:
    """Check the output folder against its manifest: size and mtime first, the hash when either differs.
    Returns the documents with a missing or altered file, and whether the folder holds anything the manifest does
    not list (a file put there by hand: the next build removes it)."""
    damaged = set()
    for rel, record in manifest["files"].items():
        path = output / rel
        try:
            stat = path.stat()
            intact = isinstance(record, list) and len(record) == 3 and stat.st_size == record[0] and (
                stat.st_mtime_ns == record[1] or hashlib.sha256(path.read_bytes()).hexdigest() == record[2])
        except OSError:
            intact = False
        if not intact:
            damaged.add(unit_of(rel))
    listed = set(manifest["files"])
    stray = any(path.is_file() and (rel := path.relative_to(output).as_posix()) not in listed
                and rel not in BOOKKEEPING and not rel.startswith(CARRIED) for path in output.rglob("*"))
    return damaged, stray


def manifest_text(keys: dict[str, str], outputs: list[str], files: dict[str, list]) -> str:
    return json.dumps({"format": MANIFEST_FORMAT, "outputs": outputs, "units": dict(sorted(keys.items())),
                       "files": files}, indent=1) + "\n"


def unit_of(relpath: str) -> str:
    """The document a file in the output folder belongs to: 'forms/product-return.fillable.pdf' → 'product-return'."""
    return relpath.rsplit("/", 1)[-1].split(".", 1)[0]
