"""HTML renderer: one self-contained page per regulation, form and rule document, and an index page.

Templates are Jinja files searched in order (the project's `templates/` folder first, then the built-in ones),
rendered in a sandbox with autoescaping and strict undefined variables: text from the YAML is data and prints
exactly as written, whatever it contains.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from jinja2 import FileSystemLoader, StrictUndefined, TemplateError
from jinja2.sandbox import SandboxedEnvironment

from .. import language as lang_mod
from ..scripts import EDITION_SUFFIX, editions
from . import regulations_to_write, selected
from ..model import Form, Project, Regulation
from ..resources import templates_dir
from ..resolve import Resolver
from .form_layout import SIGNATURE_NAME_EM, date_blank, option_id, option_label, serial_parts, text_ems
from .form_sheet import form_view
from .procedure import procedure_globals, write_procedure_pages
from ..tables import row_groups
from .views import effective_date_stated, matrix_table, rules_table


# An HTML page lays a form out as it would be printed on A4 (its widths in percent of the page's width).
SCREEN_WIDTH_MM, SCREEN_FONT_PT = 175.0, 10.5


class RenderError(Exception):
    """A template that failed: its name, what went wrong, and where (the template's file and line) when known."""

    def __init__(self, template: str, message: str, file: str | None = None, line: int | None = None):
        super().__init__(template, message, file, line)  # all in args, so the error survives a trip between processes
        self.template, self.message, self.file, self.line = template, message, file, line

    def __str__(self) -> str:
        return f"{self.template}: {self.message}"


class ConfinedLoader(FileSystemLoader):
    """Jinja's file loader that serves only files inside its folders once symlinks are resolved: a template that
    is a symlink to /etc/passwd (or into another folder) is refused, as fonts and images are."""

    def __init__(self, searchpath: list[str]):
        super().__init__(searchpath)
        self.roots = [Path(folder).resolve() for folder in searchpath]

    def get_source(self, environment, template):
        contents, filename, uptodate = super().get_source(environment, template)
        real = Path(filename).resolve()
        if not any(real == root or root in real.parents for root in self.roots):
            raise TemplateError(f"the template '{template}' is {real}, outside the template folders: not loaded")
        return contents, filename, uptodate


def environment(project: Project) -> SandboxedEnvironment:
    """The template environment of a project: its `templates:` folder first (when it is inside the project), then
    the built-in templates."""
    folder, root = project.config.templates, Path(project.config.root).resolve()
    inside = folder.resolve() == root or root in folder.resolve().parents
    search = [str(folder)] if folder.is_dir() and inside else []
    return _environment((*search, str(templates_dir())), str(root))


@cache
def _environment(search: tuple[str, ...], root: str) -> SandboxedEnvironment:
    """One environment per template search path in a process, so each template is compiled once (Jinja reloads a
    template whose file changed). The sandbox refuses ranges of more than MAX_RANGE items (100,000)."""
    env = SandboxedEnvironment(loader=ConfinedLoader(list(search)), autoescape=True, undefined=StrictUndefined,
                               trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.policygen_root = Path(root)  # template files in diagnostics are named from the project folder
    return env


def render_template(env: SandboxedEnvironment, name: str, context: dict) -> str:
    """`name` rendered with `context`; a template that fails, or runs away (a range past the sandbox's limit,
    recursion without end), is a RenderError naming the template file and line where it happened."""
    try:
        return env.get_template(name).render(context)
    except (TemplateError, OverflowError, RecursionError) as exc:
        file, line = _template_position(env, exc)
        kind = "recursion too deep" if isinstance(exc, RecursionError) else type(exc).__name__
        where = f"{file}, line {line}: " if file and line else ""
        raise RenderError(name, f"{where}{kind}: {exc}", file, line) from None


def _template_position(env: SandboxedEnvironment, exc: BaseException) -> tuple[str | None, int | None]:
    """The template file and line an error was raised in: Jinja's syntax errors carry them, and a template's
    code runs with its file and line in the traceback (the innermost template frame is where it happened)."""
    roots = getattr(env.loader, "roots", [])
    lineno = getattr(exc, "lineno", None)
    filename = getattr(exc, "filename", None)
    if not (filename and lineno):
        tb = exc.__traceback__
        while tb is not None:
            frame_file = tb.tb_frame.f_code.co_filename
            if any(Path(frame_file).is_relative_to(root) for root in roots) or frame_file.endswith(".j2"):
                filename, lineno = frame_file, tb.tb_lineno
            tb = tb.tb_next
    if not filename:
        return None, None
    return _shown(Path(filename), getattr(env, "policygen_root", None)), lineno


def _shown(path: Path, root: Path | None) -> str:
    """A template file as a user names it: from the project folder, or `templates/...` for a built-in one."""
    real = path.resolve()
    if root is not None and real.is_relative_to(root):
        return real.relative_to(root).as_posix()
    builtin = Path(templates_dir()).resolve()
    if real.is_relative_to(builtin):
        return f"templates/{real.relative_to(builtin).as_posix()}"
    return str(path)


def _page_globals(project: Project, language: str, resolver: Resolver) -> dict:
    org = project.organization
    return {
        "project": project.config.name,
        "lang": language,
        "s": lang_mod.strings(language),
        "company": org.company_name(language) if org else "",
        "runs": resolver.runs,
        "only_matrix": resolver.only_matrix,
        "chapter_label": lambda n: lang_mod.chapter_label(n, language),
        "section_label": lambda n: lang_mod.section_label(n, language),
        "article_label": lambda n: lang_mod.article_label(n, language),
        "item_label": lambda n: lang_mod.item_label(n, language),
        "subitem_label": lambda n: lang_mod.subitem_label(n, language),
        "format_date": lambda d: lang_mod.format_date(d, language),
        "matrix_table": lambda m_id: matrix_table(project, project.matrices[m_id], language),
        "rules_table": lambda r_id: rules_table(project, project.rulesets[r_id], language),
        "form_view": lambda f_id, width_mm=SCREEN_WIDTH_MM, font_pt=SCREEN_FONT_PT, fit=None:
            form_view(project, project.forms[f_id], language, width_mm, font_pt, fit),
        "department_name": lambda d_id: org.departments[d_id].name_in(language) if d_id else "",
        "serial_parts": serial_parts,
        "date_blank": date_blank(language),
        "date_em": text_ems(date_blank(language)),
        "sign_em": SIGNATURE_NAME_EM,
        "option_id": option_id,
        "option_label": option_label,
        "only_procedure": resolver.only_procedure,
        "row_groups": row_groups,
    } | procedure_globals(project)


def regulation_context(project: Project, reg: Regulation, external_links: bool = True) -> dict:
    """What a regulation template needs; shared by the HTML and PDF pages."""
    resolver = Resolver(project, reg.language, reg, base="../", external_links=external_links)
    attachments = []
    for n, att in enumerate(reg.attachments, start=1):
        doc = {"form": project.forms, "matrix": project.matrices, "rules": project.rulesets,
               "procedure": project.procedures}[att.kind][att.target]
        attachments.append({"number": n, "kind": att.kind, "id": att.target, "title": att.title or doc.title,
                            "landscape": att.kind == "form" and doc.orientation == "landscape"})
    return _page_globals(project, reg.language, resolver) | {"reg": reg, "attachments": attachments,
                                                             "effective_stated": effective_date_stated(reg)}


def render_regulation(env, project: Project, reg: Regulation) -> str:
    return render_template(env, "html/regulation.html.j2", regulation_context(project, reg))


def render_form(env, project: Project, form: Form) -> str:
    resolver = Resolver(project, form.language, base="../")
    return render_template(env, "html/form.html.j2", _page_globals(project, form.language, resolver) | {"form": form})


def render_rules(env, project: Project, doc_id: str) -> str:
    doc = project.rulesets.get(doc_id) or project.matrices[doc_id]
    resolver = Resolver(project, doc.language, base="../")
    context = _page_globals(project, doc.language, resolver) | {"doc": doc, "is_matrix": doc_id in project.matrices}
    return render_template(env, "html/rules.html.j2", context)


def render_index(env, project: Project) -> str:
    language = project.config.language
    resolver = Resolver(project, language)
    s = lang_mod.strings(language)
    traditional = {e[: -len(EDITION_SUFFIX)] for _, e in editions(project)}
    entries = {
        "regulations": [{"href": f"regulations/{r.id}.html", "title": r.title, "meta": r.number or "", "id": r.id, "lang": r.language,
                         "formats": [(fmt.upper(), f"regulations/{r.id}.{fmt}") for fmt in ("pdf", "docx")
                                     if fmt in project.config.outputs]
                         + [(f"{s['traditional_edition']} {fmt.upper()}", f"regulations/{r.id}{EDITION_SUFFIX}.{fmt}")
                            for fmt in ("html", "pdf", "docx") if r.id in traditional and fmt in project.config.outputs]}
                        for r in _sorted(project.regulations)],
        "forms": [{"href": f"forms/{f.id}.html", "title": f.title, "meta": f.number, "id": f.id, "lang": f.language,
                   "formats": [(s.get(label, label), f"forms/{f.id}.{ext}") for output, label, ext in _FORM_FORMATS
                               if output in project.config.outputs]}
                  for f in sorted(project.forms.values(), key=lambda f: (f.number or "", f.id))],  # by 表单编号
        "rules": [{"href": f"rules/{d.id}.html", "title": d.title, "meta": "", "id": d.id, "lang": d.language,
                   "formats": [(label, f"rules/{d.id}.{ext}") for label, ext in (("JSON", "json"), ("DMN", "dmn"))
                               if "rules" in project.config.outputs and (ext == "json" or d.id in project.matrices)]}
                  for d in _sorted(project.rulesets) + _sorted(project.matrices)]
                 + [{"href": f"procedures/{d.id}.html", "title": d.title, "meta": "", "id": d.id, "lang": d.language,
                     "formats": [("BPMN", f"rules/{d.id}.bpmn")] if "rules" in project.config.outputs else []}
                    for d in _sorted(project.procedures)],
    }
    return render_template(env, "html/index.html.j2", _page_globals(project, language, resolver) | {"entries": entries})


_FORM_FORMATS = (("pdf", "PDF", "pdf"), ("pdf", "fillable", "fillable.pdf"), ("docx", "DOCX", "docx"),
                 ("rules", "JSON Schema", "schema.json"))


def _sorted(table: dict) -> list:
    return [table[k] for k in sorted(table)]


def write_page(project: Project, path: Path, markup: str) -> Path:
    """Write one HTML page, with the faces it prints in embedded (render/web_fonts.py)."""
    from .web_fonts import embed_fonts

    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(embed_fonts(project, markup), encoding="utf-8")
    return path


def write_pages(project: Project, out: Path, ids=None, index: bool = True) -> list[Path]:
    """Render the HTML pages of the documents in `ids` (all when None), and the index, into `out`."""
    env = environment(project)
    written: list[Path] = []

    def write(rel: str, text: str) -> None:
        written.append(write_page(project, out / rel, text))

    for view, reg_id in regulations_to_write(project, ids):
        write(f"regulations/{reg_id}.html", render_regulation(env, view, view.regulations[reg_id]))
    for form_id in selected(project.forms, ids):
        write(f"forms/{form_id}.html", render_form(env, project, project.forms[form_id]))
    for doc_id in selected(project.rulesets, ids) + selected(project.matrices, ids):
        write(f"rules/{doc_id}.html", render_rules(env, project, doc_id))
    written += write_procedure_pages(env, project, out, ids)
    if index:
        write("index.html", render_index(env, project))
    return written
