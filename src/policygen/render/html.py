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
from .form_layout import (SIGNATURE_NAME_EM, date_blank, form_view, option_id, option_label, serial_parts,
                          text_ems)
from .procedure import procedure_globals, write_procedure_pages
from .views import effective_date_stated, matrix_table, rules_table


# An HTML page lays a form out as it would be printed on A4 (its widths in percent of the page's width).
SCREEN_WIDTH_MM, SCREEN_FONT_PT = 175.0, 10.5


class RenderError(Exception):
    def __init__(self, template: str, message: str):
        super().__init__(template, message)  # both in args, so the error survives a trip between processes
        self.template, self.message = template, message

    def __str__(self) -> str:
        return f"{self.template}: {self.message}"


def environment(project: Project) -> SandboxedEnvironment:
    search = [str(project.config.templates)] if project.config.templates.is_dir() else []
    return _environment((*search, str(templates_dir())))


@cache
def _environment(search: tuple[str, ...]) -> SandboxedEnvironment:
    """One environment per template search path in a process, so each template is compiled once (Jinja reloads a
    template whose file changed)."""
    return SandboxedEnvironment(loader=FileSystemLoader(list(search)), autoescape=True, undefined=StrictUndefined,
                                trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)


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
        "form_view": lambda f_id, width_mm=SCREEN_WIDTH_MM, font_pt=SCREEN_FONT_PT:
            form_view(project, project.forms[f_id], language, width_mm, font_pt),
        "department_name": lambda d_id: org.departments[d_id].name_in(language) if d_id else "",
        "serial_parts": serial_parts,
        "date_blank": date_blank(language),
        "date_em": text_ems(date_blank(language)),
        "sign_em": SIGNATURE_NAME_EM,
        "option_id": option_id,
        "option_label": option_label,
        "only_procedure": resolver.only_procedure,
    } | procedure_globals(project)


def render_template(env: SandboxedEnvironment, name: str, context: dict) -> str:
    try:
        return env.get_template(name).render(context)
    except TemplateError as exc:
        raise RenderError(name, f"{type(exc).__name__}: {exc}") from None


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
        "regulations": [{"href": f"regulations/{r.id}.html", "title": r.title, "meta": r.number or "", "id": r.id,
                         "formats": [(fmt.upper(), f"regulations/{r.id}.{fmt}") for fmt in ("pdf", "docx")
                                     if fmt in project.config.outputs]
                         + [(f"{s['traditional_edition']} {fmt.upper()}", f"regulations/{r.id}{EDITION_SUFFIX}.{fmt}")
                            for fmt in ("html", "pdf", "docx") if r.id in traditional and fmt in project.config.outputs]}
                        for r in _sorted(project.regulations)],
        "forms": [{"href": f"forms/{f.id}.html", "title": f.title, "meta": f.number, "id": f.id,
                   "formats": [(s.get(label, label), f"forms/{f.id}.{ext}") for output, label, ext in _FORM_FORMATS
                               if output in project.config.outputs]}
                  for f in _sorted(project.forms)],
        "rules": [{"href": f"rules/{d.id}.html", "title": d.title, "meta": "", "id": d.id,
                   "formats": [(label, f"rules/{d.id}.{ext}") for label, ext in (("JSON", "json"), ("DMN", "dmn"))
                               if "rules" in project.config.outputs and (ext == "json" or d.id in project.matrices)]}
                  for d in _sorted(project.rulesets) + _sorted(project.matrices)]
                 + [{"href": f"procedures/{d.id}.html", "title": d.title, "meta": "", "id": d.id,
                     "formats": [("BPMN", f"rules/{d.id}.bpmn")] if "rules" in project.config.outputs else []}
                    for d in _sorted(project.procedures)],
    }
    return render_template(env, "html/index.html.j2", _page_globals(project, language, resolver) | {"entries": entries})


_FORM_FORMATS = (("pdf", "PDF", "pdf"), ("pdf", "fillable", "fillable.pdf"), ("docx", "DOCX", "docx"),
                 ("rules", "JSON Schema", "schema.json"))


def _sorted(table: dict) -> list:
    return [table[k] for k in sorted(table)]


def write_pages(project: Project, out: Path, ids=None, index: bool = True) -> list[Path]:
    """Render the HTML pages of the documents in `ids` (all when None), and the index, into `out`."""
    env = environment(project)
    written: list[Path] = []

    def write(rel: str, text: str) -> None:
        path = out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)

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
