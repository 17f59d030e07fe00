"""Blank forms as PDF: one page set per copy (联), each labelled at its edge, and a fillable AcroForm version.

Each copy is rendered as its own document, so its label strip and its "第 x 页 共 y 页" belong to it; the pages of
all copies are then joined in the order the form lists them. The fillable PDF is the same layout with named
inputs that WeasyPrint turns into AcroForm fields, named after the field ids: `customer`, `amount_capital`,
`items_3_qty` (table row 3, column qty), `rating_attitude` (one radio group per criterion), `sign_date`. An id
never contains `_`, so the names are unambiguous; `.` is avoided because AcroForm reserves it for hierarchy.
"""

from __future__ import annotations

from pathlib import Path

from . import selected
from ..language import strings
from ..model import Form, Project
from .html import _page_globals, environment, render_template
from .inline import Resolver
from .pdf import font_context, render, write_pdf

# ISO 216 sizes in mm (B5 is ISO B5, 176 × 250 mm, not the JIS B5 of some copiers).
PAPER = {"A4": (210, 297), "A5": (148, 210), "B5": (176, 250)}


def paper(form: Form) -> dict:
    width, height = PAPER[form.paper_size]
    if form.orientation == "landscape":
        width, height = height, width
    small = form.paper_size != "A4" or False
    return {"width": width, "height": height, "margin_top": 16, "margin_bottom": 12, "margin_side": 12 if small else 15,
            "font_pt": 9.5 if small else 10.5, "title_pt": 15 if small else 18, "label_mm": 20 if small else 24,
            "row_mm": 7.5 if small else 8.5}


def form_html(env, project: Project, form: Form, copy=None, fillable: bool = False) -> str:
    resolver = Resolver(project, form.language, base="../", external_links=False)
    context = (_page_globals(project, form.language, resolver) | font_context(project, form.language)
               | {"form": form, "copy": copy, "fillable": fillable, "paper": paper(form)})
    context["s"] = strings(form.language)
    return render_template(env, "pdf/form.html.j2", context)


def write_forms(project: Project, out: Path, ids=None) -> list[Path]:
    env = environment(project)
    written = []
    for form_id in selected(project.forms, ids):
        form = project.forms[form_id]
        copies = [form_html(env, project, form, copy) for copy in (form.copies or [None])]
        text = "".join(copies)  # one character set, so the copies share their font subsets when joined
        documents = [render(project, markup, form.language, text=text) for markup in copies]
        path = out / "forms" / f"{form_id}.pdf"
        write_pdf(documents[0].copy([page for document in documents for page in document.pages]), path)
        fillable = out / "forms" / f"{form_id}.fillable.pdf"
        # The body face stays whole: it draws whatever a user types into the fields.
        markup = form_html(env, project, form, None, fillable=True)
        write_pdf(render(project, markup, form.language, whole=("body",), pdf_forms=True), fillable, pdf_forms=True)
        written += [path, fillable]
    return written
