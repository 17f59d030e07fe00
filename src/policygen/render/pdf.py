"""PDF renderer: the regulation page through WeasyPrint, typeset on the page preset's character grid.

The stylesheet is a template (pdf/page.css.j2) filled from the preset and the fonts of the document's language;
fonts are the shipped subsets or the project's own files, loaded through a URL fetcher that refuses anything
outside the font folders and the project: rendering never reads other files or the network.
"""

from __future__ import annotations

import logging
import re
from dataclasses import replace
import unicodedata
from html.parser import HTMLParser
from pathlib import Path

from . import regulations_to_write, selected
from ..diagnostics import CATALOGUE, Diagnostic, Severity
from ..fonts import FONTS_DIR, Face, all_faces, check_coverage, faces_for, missing_characters
from ..model import Project, Regulation
from ..presets import preset
from .html import environment, regulation_context, render_template
from .form_sheet import fit_sheet


def _chains(project: Project, language: str) -> dict[str, list[Face]]:
    return faces_for(language, project.config.fonts, project.config.root)


def check_fonts(project: Project) -> list[Diagnostic]:
    """Every character each PDF prints, against the faces that PDF is set in: never a silent box.

    What a PDF prints is its markup, made here as the renderer makes it: the document's own text, the organization's
    names and the titles, tables and forms of other documents it shows, all in the document's language, the
    templates' words and the stylesheets' generated content. A character none of the document's faces has (the
    project's fonts for its language and role, then the shipped ones; system fonts are never relied on) is
    PG-RENDER-002 at the place it comes from: the document, the organization, another document or a project
    template. Rules and matrix documents are printed inside those PDFs; on their own they are checked against the
    faces of their language. A document whose markup cannot be made (a broken template, reported when rendering)
    is checked from its source."""
    diagnostics: list[Diagnostic] = []
    seen: set[tuple] = set()

    def add(found: list[Diagnostic]) -> None:
        for diagnostic in found:
            key = (diagnostic.file, diagnostic.line, diagnostic.column, diagnostic.message)
            if key not in seen:
                seen.add(key)
                diagnostics.append(diagnostic)

    for doc, markups, convert in _printed_markups(project):
        faces = all_faces(_chains(project, doc.language))
        if markups is None:
            add(check_coverage(doc.where.source, doc.language, faces))
            continue
        text = "".join(printed_text(markup) for markup in markups)
        missing = missing_characters(text, faces)
        for ch in missing:
            add([_locate(project, doc, ch, faces, convert)])
        add(_fallback_warnings(project, doc, text, set(missing), convert))
    for doc in (*project.rulesets.values(), *project.matrices.values()):
        add(check_coverage(doc.where.source, doc.language, all_faces(_chains(project, doc.language))))
    return diagnostics


def _fallback_warnings(project: Project, doc, text: str, missing: set[str], convert=None) -> list[Diagnostic]:
    """PG-RENDER-101 for the Han characters `doc` prints that its body face lacks, by the face that draws them."""
    body = _chains(project, doc.language)["body"]
    drawn_by: dict[str, list[str]] = {}
    for ch in dict.fromkeys(text):
        if ch in missing or not _is_han(ch) or not missing_characters(ch, body[:1]):
            continue
        face = next(f for f in body[1:] if not missing_characters(ch, [f]))
        drawn_by.setdefault(face.label, []).append(ch)
    warnings = []
    for face, chars in drawn_by.items():
        first = _locate(project, doc, chars[0], body, convert)  # where the first of them is written
        warnings.append(replace(
            first, code="PG-RENDER-101", severity=Severity.WARNING, hint=CATALOGUE["PG-RENDER-101"][1],
            message=f"'{doc.id}' prints {', '.join(f'{c} (U+{ord(c):04X})' for c in chars)} with the face {face}: "
                    f"its body face {body[0].label} does not have them"))
    return warnings


def _is_han(ch: str) -> bool:
    return unicodedata.category(ch) == "Lo" and unicodedata.name(ch, "").startswith("CJK")


def _printed_markups(project: Project):
    """(document, the markups of its PDFs, conversion) for every regulation, Traditional edition and form; None
    for markups that fail. The conversion turns a source text into what an edition prints (None: as written), so
    a character the edition's faces lack is found at the source text it is converted from."""
    from ..scripts import converter, editions
    from .form_pdf import form_html

    env = environment(project)
    for reg in project.regulations.values():
        yield reg, _try(lambda: [regulation_html(env, project, reg)]), None
    for view, edition_id in editions(project):
        edition = view.regulations[edition_id]
        yield edition, _try(lambda: [regulation_html(env, view, edition)]), converter(project)
    for form in project.forms.values():
        yield form, _try(lambda: [*(form_html(env, project, form, copy) for copy in (form.copies or [None])),
                                  form_html(env, project, form, None, fillable=True)]), None


def _try(make):
    try:
        return make()
    except Exception:  # noqa: BLE001 (rendering reports it as PG-RENDER-001 with its template and line)
        return None


class _PrintedText(HTMLParser):
    """What a page of this markup draws: body text, form field values, and the strings of the stylesheets'
    `content:` declarations (page numbers, running labels)."""

    _HIDDEN = {"head", "title", "script", "style"}
    _VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._open: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in ("input", "textarea", "option"):
            self.parts.extend(v for k, v in attrs if k in ("value", "placeholder") and v)
        if tag not in self._VOID:
            self._open.append(tag)

    def handle_endtag(self, tag):
        if tag in self._open:
            while self._open and self._open.pop() != tag:
                pass

    def handle_data(self, data):
        if "style" in self._open:
            self.parts.extend(m.group(2) for m in _CSS_STRING.finditer(" ".join(_CSS_CONTENT.findall(data))))
        elif not self._HIDDEN & set(self._open):
            self.parts.append(data)


_CSS_CONTENT = re.compile(r"\bcontent\s*:\s*([^;}]*)")
_CSS_STRING = re.compile(r"(['\"])(.*?)\1")


def printed_text(markup: str) -> str:
    parser = _PrintedText()
    parser.feed(markup)
    parser.close()
    return "".join(parser.parts)


def _locate(project: Project, doc, ch: str, faces: list[Face], convert=None) -> Diagnostic:
    """PG-RENDER-002 for `ch`, printed by `doc`, at the first place it is written: the document, the
    organization, another document, a project template (else the document itself). In a Traditional edition
    (`convert` given), the place is the Simplified text that converts to it."""
    names = ", ".join(f.label for f in faces)
    message = (f"the character '{ch}' (U+{ord(ch):04X}), printed in '{doc.id}', is in none of the fonts for "
               f"{doc.language} ({names})")
    if convert is not None:
        message += (" (the Traditional edition converts the Simplified text to it; a `terms:` entry under "
                    "`traditional:` in policygen.yaml can print another form)")
    sources = [doc.where.source]
    if project.organization is not None:
        sources.append(project.organization.where.source)
    sources += [d.where.source for d in (*project.regulations.values(), *project.forms.values(),
                                         *project.rulesets.values(), *project.matrices.values())]
    for source in {id(s): s for s in sources}.values():
        for path, text in _all_strings(source.data, ()):
            if ch in text or (convert is not None and ch in convert(text)):
                return source.diagnostic("PG-RENDER-002", message, path)
    templates = project.config.templates
    if templates.is_dir():
        for template in sorted(templates.rglob("*")):
            try:
                lines = template.read_text(encoding="utf-8").splitlines()
            except (OSError, UnicodeDecodeError):
                continue
            for number, line in enumerate(lines, start=1):
                if ch in line:
                    return Diagnostic("PG-RENDER-002", message, file=_relative(template, project.config.root),
                                      line=number, column=line.index(ch) + 1)
    return doc.where.source.diagnostic("PG-RENDER-002", message)


def _relative(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)


def _all_strings(value, path: tuple):
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _all_strings(item, path + (key,))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _all_strings(item, path + (i,))


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


def render(project: Project, markup: str, language: str, *, text: str | None = None, whole: tuple[str, ...] = (),
           **options):
    """Lay out one document's markup with subsets of its fonts for `text` (default: the markup itself).

    Each document gets its own font configuration: its faces are subsets for its own characters, registered under
    the same family names as every other document's, so configurations must not be shared. Creating one costs
    milliseconds now that the fonts are small. `options` are WeasyPrint's rendering options (`pdf_forms`); give the
    same to write_pdf.
    """
    from weasyprint import HTML
    from weasyprint.text.fonts import FontConfiguration

    from . import cjk_justify, weasyprint_speedups

    weasyprint_speedups.install()
    cjk_justify.install()  # Chinese lines flush on both sides
    fetch = _fetcher(project, language, markup if text is None else text, whole)
    return HTML(string=markup, base_url=str(project.config.root), url_fetcher=fetch).render(
        font_config=FontConfiguration(), **options)


def write_pdf(document, path: Path, **options) -> None:
    """Write a laid-out document; WeasyPrint cuts each font down to the glyphs drawn (weasyprint_speedups.py)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    document.write_pdf(path, **options)


def regulation_html(env, project: Project, reg: Regulation) -> str:
    page = preset(project.config.preset)
    context = (regulation_context(project, reg, external_links=False) | {"p": page}
               | font_context(project, reg.language))
    for att in context["attachments"]:  # an attached form fits the type area as a standalone one fits its sheet
        if att["kind"] == "form":
            att["fit"] = fit_sheet(project.forms[att["id"]], project, page=page)
    return render_template(env, "pdf/regulation.html.j2", context)


def write_regulations(project: Project, out: Path, ids=None) -> list[Path]:
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    env = environment(project)
    written = []
    for view, reg_id in regulations_to_write(project, ids):
        reg = view.regulations[reg_id]
        path = out / "regulations" / f"{reg_id}.pdf"
        write_pdf(render(view, regulation_html(env, view, reg), reg.language), path)
        written.append(path)
    return written
