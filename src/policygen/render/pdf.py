"""PDF renderer: the regulation page through WeasyPrint, typeset on the page preset's character grid.

The stylesheet is a template (pdf/page.css.j2) filled from the preset and the fonts of the document's language;
fonts are the shipped subsets or the project's own files, loaded through a URL fetcher that refuses anything
outside the font folders and the project: rendering never reads other files or the network.
"""

from __future__ import annotations

import logging
from pathlib import Path

from . import selected
from ..diagnostics import Diagnostic
from ..fonts import FONTS_DIR, Face, all_faces, check_coverage, faces_for
from ..model import Project, Regulation
from ..presets import preset
from .html import environment, regulation_context, render_template


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


def _fetcher(project: Project, language: str, text: str, whole: tuple[str, ...]):
    """A URL fetcher that serves files from the font folder and the project and refuses everything else
    (WeasyPrint ≥ 70). The faces of `language` are served cut down to the characters of `text`
    (policygen.font_subsets), except the first face of each role in `whole` (a fillable form's body face, which
    draws what users type), served whole; every face is served GID-addressed (see policygen.font_subsets).
    """
    from urllib.parse import unquote, urlparse

    from weasyprint.urls import URLFetcher, URLFetcherResponse

    from ..font_subsets import subset

    roots = [FONTS_DIR.resolve(), project.config.root.resolve()]
    chains = _chains(project, language)
    keep = {chains[role][0] for role in whole}
    faces = {f.path.resolve(): (None if f in keep else text) for f in all_faces(chains)}

    class ConfinedFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            path = Path(unquote(urlparse(url).path)).resolve() if url.startswith("file:") else None
            if path is None or not any(path == r or r in path.parents for r in roots):
                raise ValueError(f"policygen does not load {url} while rendering")
            if path in faces:  # cut (or whole), and GID-addressed
                return URLFetcherResponse(url, subset(path, faces[path]))
            return super().fetch(url, headers)

    return ConfinedFetcher(allowed_protocols={"file"})


_fonts_used = False


def fonts_used() -> bool:
    """Whether this process has loaded fontconfig and Pango (their state does not survive a fork)."""
    return _fonts_used


def render(project: Project, markup: str, language: str, *, text: str | None = None, whole: tuple[str, ...] = (),
           **options):
    """Lay out one document's markup with subsets of its fonts for `text` (default: the markup itself).

    Each document gets its own font configuration: its faces are subsets for its own characters, registered under
    the same family names as every other document's, so configurations must not be shared. Creating one costs
    milliseconds now that the fonts are small. `options` are WeasyPrint's rendering options (`pdf_forms`); give the
    same to write_pdf.
    """
    global _fonts_used
    from weasyprint import HTML
    from weasyprint.text.fonts import FontConfiguration

    from . import weasyprint_speedups

    weasyprint_speedups.install()
    _fonts_used = True
    fetch = _fetcher(project, language, markup if text is None else text, whole)
    return HTML(string=markup, base_url=str(project.config.root), url_fetcher=fetch).render(
        font_config=FontConfiguration(), **options)


def write_pdf(document, path: Path, **options) -> None:
    """Write a laid-out document; WeasyPrint cuts each font down to the glyphs drawn (weasyprint_speedups.py)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    document.write_pdf(path, **options)


def regulation_html(env, project: Project, reg: Regulation) -> str:
    context = (regulation_context(project, reg, external_links=False) | {"p": preset(project.config.preset)}
               | font_context(project, reg.language))
    return render_template(env, "pdf/regulation.html.j2", context)


def write_regulations(project: Project, out: Path, ids=None) -> list[Path]:
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    env = environment(project)
    written = []
    for reg_id in selected(project.regulations, ids):
        reg = project.regulations[reg_id]
        path = out / "regulations" / f"{reg_id}.pdf"
        write_pdf(render(project, regulation_html(env, project, reg), reg.language), path)
        written.append(path)
    return written
