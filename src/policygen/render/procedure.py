"""A procedure as pages print it: the flowchart as SVG markup and the step table, for every page that shows one
(a regulation's paragraph or attachment, the procedure's own page)."""

from __future__ import annotations

from pathlib import Path

from markupsafe import Markup

from ..model import Procedure, Project
from .flowchart import chart_font, layout, step_table

# What the HTML page names for the chart's text; the printed pages name their own faces.
SCREEN_FONTS = '"FangSong", "STFangsong", "Noto Serif CJK SC", "Noto Serif CJK TC", serif'


def flowchart_svg(project: Project, proc: Procedure, font_family: str | None = None) -> Markup:
    from .html import environment, render_template

    env = environment(project)
    chart = layout(project, proc, chart_font(project, proc.language))
    svg = render_template(env, "svg/flowchart.svg.j2", {"chart": chart, "title": proc.title,
                                                        "font_family": font_family or SCREEN_FONTS})
    return Markup(svg)


def procedure_globals(project: Project) -> dict:
    """The functions templates call to print a procedure."""
    return {
        "flowchart_svg": lambda p_id, family=None: flowchart_svg(project, project.procedures[p_id], family),
        "procedure_steps": lambda p_id: step_table(project, project.procedures[p_id], project.procedures[p_id].language),
    }


def write_procedure_pages(env, project: Project, out: Path, ids) -> list[Path]:
    from . import selected
    from .html import _page_globals, render_template, write_page
    from ..resolve import Resolver

    written = []
    for proc_id in selected(project.procedures, ids):
        proc = project.procedures[proc_id]
        resolver = Resolver(project, proc.language, base="../")
        context = _page_globals(project, proc.language, resolver) | {"proc": proc}
        markup = render_template(env, "html/procedure.html.j2", context)
        written.append(write_page(project, out / "procedures" / f"{proc_id}.html", markup))
    return written
