"""The pipeline up to a checked model: find policygen.yaml → load every file → schema → model → cross-checks."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from . import assemble, loader
from .diagnostics import Diagnostic, Diagnostics
from .loader import SourceFile, load_file
from .model import Config, Project, Unchecked, Where
from .schemas import KINDS, validate_source
from .scripts import check_traditional
from .validate import validate_model, validate_outputs

PROJECT_FILE = "policygen.yaml"
DEFAULT_OUTPUTS = ["html", "pdf", "docx", "rules"]


class ProjectNotFound(Exception):
    """No policygen.yaml: a usage error (exit code 2), not a diagnostic about the documents."""

    def __init__(self, start: Path):
        super().__init__(f"no {PROJECT_FILE} in {start} or any folder above it")
        self.start = start


@dataclass
class LoadResult:
    project: Project | None
    diagnostics: Diagnostics = field(default_factory=Diagnostics)

    @property
    def ok(self) -> bool:
        return self.project is not None and not self.diagnostics.errors


def find_project_file(start: Path) -> Path:
    start = start.resolve()
    for folder in (start, *start.parents):
        candidate = folder / PROJECT_FILE
        if candidate.is_file():
            return candidate
    raise ProjectNotFound(start)


def output_folder(project_file: Path) -> Path:
    """The output folder policygen.yaml names (without loading the documents); `output` by default."""
    source, errors = load_file(project_file, PROJECT_FILE)
    named = source.data.get("output") if not errors and isinstance(source.data, dict) else None
    return (project_file.parent / (named if isinstance(named, str) else "output")).resolve()


def load_project(start: Path | str = ".", *, check_outputs: bool = True, only: set[Path] | None = None) -> LoadResult:
    """Load and check the policy project containing `start`. Never raises for problems in the documents.

    With `check_outputs` (what `validate` and `build` do), a project whose documents are right is also checked
    for what its outputs need (validate.validate_outputs: fonts that print every character, DMN-expressible
    matrices); commands that only evaluate rules leave that out. With `only`, just those document files are read
    (a render worker loads the files one document's outputs are made of: plan.dependencies)."""
    project_file = find_project_file(Path(start))
    root = project_file.parent
    diagnostics = Diagnostics()
    source, errors = load_file(project_file, PROJECT_FILE)
    diagnostics.extend(errors)
    if errors:
        return LoadResult(None, diagnostics)
    schema_errors = validate_source(source, "project")
    diagnostics.extend(schema_errors)
    if schema_errors:
        return LoadResult(None, diagnostics)
    config = _config(root, source)
    if not config.documents.is_dir():
        diagnostics.add(source.diagnostic("PG-PROJECT-002", f"the documents folder '{_rel(config.documents, root)}' does not exist",
                                          ("documents",) if "documents" in source.data else ()))
        return LoadResult(None, diagnostics)

    diagnostics.extend(_check_font_files(config))
    diagnostics.extend(_check_templates_folder(config))
    unchecked = Unchecked()  # what is known of the documents that do not pass: no errors that follow from theirs
    sources = _load_documents(config, diagnostics, unchecked, only)
    valid = _check_schemas(sources, diagnostics, unchecked)
    project, duplicates = _assemble(config, valid, diagnostics)
    project.unchecked = unchecked
    diagnostics.extend(validate_model(project, duplicates))
    if project is not None:
        diagnostics.extend(check_traditional(project))
    if check_outputs and not diagnostics.errors:
        diagnostics.extend(validate_outputs(project))
    return LoadResult(project, diagnostics)


def _rel(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)


def _config(root: Path, source: SourceFile) -> Config:
    d = source.data
    return Config(root=root, name=d["project"], language=d.get("language", "zh-Hans"),
                  documents=(root / d.get("documents", "policies")).resolve(),
                  output=(root / d.get("output", "output")).resolve(),
                  templates=(root / d.get("templates", "templates")).resolve(),
                  outputs=d.get("outputs", DEFAULT_OUTPUTS), preset=d.get("preset", "gbt9704"),
                  fonts=d.get("fonts", []), source=source, traditional=d.get("traditional"))


def _check_font_files(config: Config) -> list[Diagnostic]:
    problems = []
    for i, spec in enumerate(config.fonts):
        path = (config.root / spec["file"]).resolve()
        if config.root not in path.parents:
            problems.append(config.source.diagnostic("PG-PROJECT-003", f"the font file '{spec['file']}' is outside the project",
                                                     ("fonts", i, "file")))
        elif not path.is_file():
            problems.append(config.source.diagnostic("PG-PROJECT-003", f"the font file '{spec['file']}' does not exist",
                                                     ("fonts", i, "file")))
        elif (problem := _not_a_font(path)) is not None:
            problems.append(config.source.diagnostic(
                "PG-PROJECT-003", f"the file '{spec['file']}' is not a font: {problem}", ("fonts", i, "file"),
                hint="name a TrueType or OpenType font file (.ttf, .otf, .ttc) or a WOFF/WOFF2 file"))
    return problems


_FONT_SIGNATURES = (b"\x00\x01\x00\x00", b"OTTO", b"true", b"typ1", b"ttcf", b"wOFF", b"wOF2")


def _not_a_font(path: Path) -> str | None:
    """Why the file cannot be used as a font (its first bytes, then its table directory), or None."""
    try:
        with path.open("rb") as handle:
            signature = handle.read(4)
    except OSError as exc:
        return exc.strerror or str(exc)
    if signature not in _FONT_SIGNATURES:
        return "it does not start like a TrueType, OpenType or WOFF font"
    from fontTools.ttLib import TTCollection, TTFont

    try:
        font = TTCollection(path, lazy=True).fonts[0] if signature == b"ttcf" else TTFont(path, lazy=True)
        font["cmap"]  # noqa: B018 (the table every printable font has: reading it proves the directory is sound)
        font.close()
    except Exception as exc:  # fontTools raises many kinds for a damaged file
        return f"fontTools cannot read it ({type(exc).__name__})"
    return None


def _check_templates_folder(config: Config) -> list[Diagnostic]:
    """Templates are confined like fonts: the folder (symlinks resolved) lies inside the project."""
    root = config.root.resolve()
    if config.templates == root or root in config.templates.parents:
        return []
    named = config.source.data.get("templates", "templates")
    return [config.source.diagnostic("PG-PROJECT-004", f"the templates folder '{named}' is outside the project "
                                     f"(it is {config.templates})", ("templates",) if "templates" in config.source.data else ())]


def _load_documents(config: Config, diagnostics: Diagnostics, unchecked: Unchecked,
                    only: set[Path] | None = None) -> list[SourceFile]:
    paths = sorted(p for p in config.documents.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file()
                   and (only is None or p in only))
    sources = []
    for path in paths:
        source, errors = load_file(path, _rel(path, config.root))
        diagnostics.extend(errors)
        if not errors:
            sources.append(source)
        else:
            try:
                assemble.note_unreadable(unchecked, path.read_bytes()[: loader.MAX_FILE_BYTES].decode("utf-8", "replace"))
            except OSError:
                unchecked.anonymous = True
    return sources


def _check_schemas(sources: list[SourceFile], diagnostics: Diagnostics, unchecked: Unchecked) -> list[tuple[str, SourceFile]]:
    valid = []
    for source in sources:
        kind = source.data.get("kind")
        if kind not in KINDS:
            message = "the document has no `kind`" if kind is None else f"the kind '{kind}' is not known"
            diagnostics.add(source.diagnostic("PG-SCHEMA-001", message, ("kind",) if kind is not None else ()))
            assemble.note_unchecked(unchecked, source.data)
            continue
        errors = validate_source(source, kind)
        diagnostics.extend(errors)
        if not errors:
            valid.append((kind, source))
        else:
            assemble.note_unchecked(unchecked, source.data)
    return valid


def _assemble(config: Config, valid: list[tuple[str, SourceFile]], diagnostics: Diagnostics):
    language = config.language
    orgs = [s for k, s in valid if k == "organization"]
    organization = assemble.organization(orgs[0], language) if len(orgs) == 1 else None
    if not orgs and not any(d.file and d.is_error for d in diagnostics.items):
        diagnostics.add(Diagnostic("PG-REF-009", "the project has no organization document", file=_rel(config.documents, config.root)))
    if len(orgs) > 1:  # report every one; check no department or role against either, to avoid noise
        names = ", ".join(o.name for o in orgs)
        for org in orgs:
            diagnostics.add(org.diagnostic("PG-REF-009", f"the project has {len(orgs)} organization documents: {names}", ("kind",)))

    project = Project(config=config, organization=organization, regulations={}, rulesets={}, matrices={}, forms={})
    tables = {"regulation": project.regulations, "rules": project.rulesets, "approval-matrix": project.matrices,
              "form": project.forms, "rule-tests": project.tests, "procedure": project.procedures}
    seen: dict[str, Where] = {organization.id: organization.where} if organization else {}
    duplicates: list[tuple[str, Where, Where]] = []  # (id, where, where of the other) for every occurrence
    for kind, source in valid:
        if kind == "organization":
            continue
        if kind == "regulation":
            doc = assemble.regulation(source, language, organization)
        else:
            doc = {"rules": assemble.ruleset, "approval-matrix": assemble.matrix, "form": assemble.form,
                   "rule-tests": assemble.rule_tests, "procedure": assemble.procedure}[kind](source, language)
        if doc.id in seen:
            duplicates += [(doc.id, doc.where, seen[doc.id]), (doc.id, seen[doc.id], doc.where)]
            continue
        seen[doc.id] = doc.where
        tables[kind][doc.id] = doc
    project.index_attachments()
    return project, duplicates
