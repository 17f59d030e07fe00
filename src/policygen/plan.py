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

from .model import Project, Text
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
             file_digest(FONTS_DIR / "fonts.json").encode(),
             *(file_digest((config.root / f["file"]).resolve()).encode() for f in config.fonts)]
    return _digest(*parts)


def references(project: Project) -> dict[str, set[str]]:
    """For every document, the ids of the documents it refers to."""
    rule_owner = {r.id: rs.id for rs in project.rulesets.values() for r in rs.rules}
    refs: dict[str, set[str]] = {}

    def from_text(raw: str) -> set[str]:
        out = set()
        for seg in parse(raw)[0]:
            if isinstance(seg, Ref) and seg.target:
                if seg.kind == "rule":
                    out.add(rule_owner.get(seg.target, seg.target))
                elif seg.kind in ("form", "matrix", "regulation"):
                    out.add(seg.target)
                elif seg.kind == "article" and "/" in seg.target:
                    out.add(seg.target.split("/")[0])
        return out

    def stated(ref: str | None) -> set[str]:
        return {ref.split("/")[0]} if ref else set()

    for reg in project.regulations.values():
        texts: list[Text] = list(reg.preamble)
        for article in reg.articles:
            for para in article.paragraphs:
                texts.append(para.text)
                for item in para.items:
                    texts += [item.text, *item.subitems]
        found = set().union(*(from_text(t.raw) for t in texts)) if texts else set()
        found |= {a.target for a in reg.attachments} | set(reg.supersedes)
        refs[reg.id] = found
    for form in project.forms.values():
        found = stated(form.stated_in)
        for field in form.fields:
            if field.type == "approval":
                found.add(field.attrs["matrix"])
            if field.type == "notes":
                found |= from_text(field.attrs["text"])
        refs[form.id] = found
    for rs in project.rulesets.values():
        refs[rs.id] = set().union(*(stated(r.stated_in) for r in rs.rules))
    for m in project.matrices.values():
        refs[m.id] = stated(m.stated_in)
    return refs


def unit_keys(project: Project, version: str) -> dict[str, str]:
    """A key per rendered document (regulations, forms, rules documents, matrices)."""
    base = global_key(project, version)
    org = file_digest(project.organization.where.source.path) if project.organization else ""
    sources = {doc.id: doc.where.source.path for doc in project.documents() if doc is not project.organization}
    keys = {}
    for doc_id, refs in references(project).items():
        deps = sorted(file_digest(sources[r]) for r in refs if r in sources and r != doc_id)
        keys[doc_id] = _digest(base.encode(), org.encode(), file_digest(sources[doc_id]).encode(),
                               *(d.encode() for d in deps))
    return keys


def read_manifest(output: Path) -> dict | None:
    try:
        data = json.loads((output / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and isinstance(data.get("units"), dict) else None


def manifest_text(keys: dict[str, str], outputs: list[str]) -> str:
    return json.dumps({"outputs": outputs, "units": dict(sorted(keys.items()))}, indent=1) + "\n"


def unit_of(relpath: str) -> str:
    """The document a file in the output folder belongs to: 'forms/product-return.fillable.pdf' → 'product-return'."""
    return relpath.rsplit("/", 1)[-1].split(".", 1)[0]
