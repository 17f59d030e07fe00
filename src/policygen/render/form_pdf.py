"""Blank forms as PDF: one page set per copy (联), each labelled at its edge, and a fillable AcroForm version.

Each copy is rendered as its own document, so its label strip and its "第 x 页 共 y 页" belong to it; the pages of
all copies are then joined in the order the form lists them. The layout (column widths, which fields share a row,
label sizes, the blank rows of a `rows: fill` table) is the form layout's (`form_layout.py`), as in the DOCX and
HTML. The density (`form_layout.paper(tight=…)`) is the one `form_sheet.fit_sheet` computed a copy fits one sheet
at, so a form renders once; should a copy still spill over (the computed heights are the stylesheet's, but text
wraps as it will), the denser settings are tried in turn, and the one that fits is printed.

The fillable PDF is the same layout with named inputs that WeasyPrint turns into AcroForm fields, named after the
field ids: `customer`, `amount_capital`, `items_3_qty` (table row 3, column qty), `rating_attitude` (one radio
group per criterion), `sign_date`. An id never contains `_`, so the names are unambiguous; `.` is avoided because
AcroForm reserves it for hierarchy.
"""

from __future__ import annotations

from pathlib import Path

from . import selected
from ..language import strings
from ..model import Form, Project
from .form_layout import TIGHT_LEVELS, form_date, paper
from .form_sheet import fit_sheet, writing_lines_mm
from .html import _page_globals, environment, render_template
from ..resolve import Resolver
from .pdf import font_context, render, write_pdf


def form_html(env, project: Project, form: Form, copy=None, fillable: bool = False, tight: int = 0) -> str:
    resolver = Resolver(project, form.language, base="../", external_links=False)
    sheet = paper(form, tight)
    context = (_page_globals(project, form.language, resolver) | font_context(project, form.language)
               | {"form": form, "copy": copy, "fillable": fillable, "paper": sheet, "date": form_date(project, form),
                  "writing_lines_mm": writing_lines_mm})
    context["s"] = strings(form.language)
    return render_template(env, "pdf/form.html.j2", context)


def _render_copies(project: Project, env, form: Form, tight: int) -> list:
    copies = [form_html(env, project, form, copy, tight=tight) for copy in (form.copies or [None])]
    text = "".join(copies)  # one character set, so the copies share their font subsets when joined
    return [render(project, markup, form.language, text=text) for markup in copies]


def _fillable(project: Project, env, form: Form, tight: int, fits: bool):
    """The fillable form at the printed one's density, or denser if its fields (radio buttons, inputs) take more room
    than the printed blanks and it would spill onto a second sheet. The body face stays whole: it draws whatever a
    user types into the fields."""
    def at(level: int):
        markup = form_html(env, project, form, None, fillable=True, tight=level)
        return render(project, markup, form.language, whole=("body",), pdf_forms=True)

    document = at(tight)
    if fits and len(document.pages) > 1:
        for level in TIGHT_LEVELS[TIGHT_LEVELS.index(tight) + 1:]:
            denser = at(level)
            if len(denser.pages) == 1:
                return denser
    return document


def write_forms(project: Project, out: Path, ids=None) -> list[Path]:
    env = environment(project)
    written = []
    for form_id in selected(project.forms, ids):
        form = project.forms[form_id]
        fit = fit_sheet(form, project)
        tight = fit.tight
        documents = _render_copies(project, env, form, tight)
        if fit.fits and len(documents[0].pages) > 1:  # spills over after all: a denser setting, if one fits
            for level in TIGHT_LEVELS[TIGHT_LEVELS.index(tight) + 1:]:
                denser = _render_copies(project, env, form, level)
                if len(denser[0].pages) == 1:
                    documents, tight = denser, level
                    break
        path = out / "forms" / f"{form_id}.pdf"
        write_pdf(documents[0].copy([page for document in documents for page in document.pages]), path)
        fillable = out / "forms" / f"{form_id}.fillable.pdf"
        write_pdf(_fillable(project, env, form, tight, fit.fits), fillable, pdf_forms=True)
        written += [path, fillable]
    return written
