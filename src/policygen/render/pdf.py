"""PDF renderer: the regulation page through WeasyPrint, typeset on the page preset's character grid.

The stylesheet is a template (pdf/page.css.j2) filled from the preset and the fonts of the document's language;
fonts are the shipped subsets or the project's own files, loaded through a URL fetcher that refuses anything
outside the font folders and the project: rendering never reads other files or the network.
"""

from __future__ import annotations

import logging
from functools import cache
from pathlib import Path

from . import selected
from ..diagnostics import Diagnostic
from ..fonts import FONTS_DIR, Face, all_faces, check_coverage, faces_for
from ..model import Project, Regulation
from ..presets import preset
from .html import environment, regulation_context, render_template


def _fetcher(allowed: list[Path]):
    """A URL fetcher that serves files from `allowed` folders and refuses everything else (WeasyPrint ≥ 70)."""
    from urllib.parse import unquote, urlparse

    from weasyprint.urls import URLFetcher

    roots = [p.resolve() for p in allowed]

    class ConfinedFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            path = Path(unquote(urlparse(url).path)).resolve() if url.startswith("file:") else None
            if path is None or not any(path == r or r in path.parents for r in roots):
                raise ValueError(f"policygen does not load {url} while rendering")
            return super().fetch(url, headers)

    return ConfinedFetcher(allowed_protocols={"file"})


def _chains(project: Project, language: str) -> dict[str, list[Face]]:
    return faces_for(language, project.config.fonts, project.config.root)


def check_fonts(project: Project) -> list[Diagnostic]:
    """Every character of every printed document against the fonts of its language."""
    diagnostics: list[Diagnostic] = []
    docs = [*project.regulations.values(), *project.forms.values(), *project.rulesets.values(), *project.matrices.values()]
    for doc in docs:
        faces = all_faces(_chains(project, doc.language))
        diagnostics += check_coverage(doc.where.source, doc.language, faces)
    org = project.organization
    if org is not None:
        source = org.where.source
        diagnostics += check_coverage(source, project.config.language, all_faces(_chains(project, project.config.language)))
        for path, names in _names_maps(source.data):
            for language, text in names.items():
                faces = all_faces(_chains(project, language))
                diagnostics += check_coverage(source, language, faces, data=text, path=path + (language,))
    return diagnostics


def _names_maps(value, path=()):
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "names" and isinstance(item, dict):
                yield path + (key,), item
            else:
                yield from _names_maps(item, path + (key,))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _names_maps(item, path + (i,))


def font_context(project: Project, language: str) -> dict:
    """@font-face entries and the font-family list of each role, for the print stylesheets."""
    chains = _chains(project, language)
    faces = all_faces(chains)
    # Family keys are CSS identifiers (pg-fang-sc): unquoted, so HTML autoescaping inside <style> leaves them alone.
    fallback = [f.key for f in faces]
    return {"faces": [{"key": f.key, "url": f.path.as_uri()} for f in faces],
            "fonts": {role: ", ".join(dict.fromkeys([chain[0].key, *fallback])) for role, chain in chains.items()}}


def fetcher(project: Project):
    return _fetcher([FONTS_DIR, project.config.root])


@cache
def font_configuration():
    """One WeasyPrint font configuration per process, shared by every document it renders.

    WeasyPrint copies each @font-face file into a temporary folder and registers it with fontconfig once per
    configuration; a configuration per document did that for every page set (33 MB of fonts, 36 times for the
    corpus). Created lazily, so a process that forks workers has not touched the font libraries yet.
    """
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


def regulation_html(env, project: Project, reg: Regulation) -> str:
    context = (regulation_context(project, reg, external_links=False) | {"p": preset(project.config.preset)}
               | font_context(project, reg.language))
    return render_template(env, "pdf/regulation.html.j2", context)


def write_regulations(project: Project, out: Path, ids=None) -> list[Path]:
    from weasyprint import HTML

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    env = environment(project)
    fetch = fetcher(project)
    written = []
    for reg_id in selected(project.regulations, ids):
        reg = project.regulations[reg_id]
        markup = regulation_html(env, project, reg)
        path = out / "regulations" / f"{reg_id}.pdf"
        path.parent.mkdir(parents=True, exist_ok=True)
        HTML(string=markup, base_url=str(project.config.root), url_fetcher=fetch).write_pdf(
            path, font_config=font_configuration())
        written.append(path)
    return written
