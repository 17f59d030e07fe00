"""The faces an HTML page is set in, embedded in the page: it reads the same on a machine without Chinese fonts.

Every page names the shipped faces (or the project's fonts) first, as the PDF does, through four families:
`pg-body`, `pg-title` (the <h1>), `pg-heading` (<h2>, article numbers) and `pg-kai` (<h3>). Each family is
the face chain of its role for the page's language (fonts.faces_for, the chains the PDF uses), cut down to the
characters the page prints in that role: every character goes to the first face of the chain that has it, so
the cuts do not overlap, and each cut is one @font-face rule with its characters as `unicode-range`. The cuts are
WOFF files in `data:` URLs, so a page stays one self-contained file that a browser opens from disk (Chromium
refuses fonts linked from `file://` pages).

The system faces named after them in the stylesheet (仿宋, SimHei, …) are only reached for characters a page
adds in the browser, never for what policygen printed. A project stylesheet (templates/html/style.css) that names
other families sets the page in those; the embedded ones are then unused, but still cover its characters.
"""

from __future__ import annotations

import base64
import io
import re
from html.parser import HTMLParser

from ..font_subsets import subset
from ..fonts import coverage, faces_for
from ..language import LANGUAGES
from ..model import Project

# What each family sets, by element: the built-in stylesheet's h1, h2 and .num, and h3.
_ROLE_OF_TAG = {"h1": "title", "h2": "heading", "h3": "kai"}
_ROLE_OF_CLASS = {"num": "heading"}
# Faces that are bold cuts: declared for every weight, so a browser does not embolden them a second time.
_BOLD_ROLES = ("title", "heading")


class _RoleText(HTMLParser):
    """The characters of a page by the family that draws them (body: all of them, as the last resort), and those of
    elements in another language than the page's (`lang`: a zh-Hant title listed on a zh-Hans index), by language."""

    _HIDDEN = {"head", "title", "script", "style"}
    _VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self, language: str = ""):
        super().__init__(convert_charrefs=True)
        self.language = language
        self.text: dict[str, set[str]] = {"body": set(), "title": set(), "heading": set(), "kai": set()}
        self.other: dict[str, set[str]] = {}  # language -> characters set in it
        self._open: list[tuple[str, str | None, bool, str | None]] = []  # (tag, role, hidden, lang)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        for name in ("value", "placeholder", "title", "alt"):  # text a browser draws from attributes
            if attributes.get(name):
                self._add(attributes[name])
        if tag in self._VOID:
            return
        classes = (attributes.get("class") or "").split()
        role = _ROLE_OF_TAG.get(tag) or next((_ROLE_OF_CLASS[c] for c in classes if c in _ROLE_OF_CLASS), None)
        self._open.append((tag, role, tag in self._HIDDEN, attributes.get("lang") if tag != "html" else None))

    def handle_endtag(self, tag):
        for n in range(len(self._open) - 1, -1, -1):
            if self._open[n][0] == tag:
                del self._open[n:]
                return

    def handle_data(self, data):
        if not any(hidden for _, _, hidden, _ in self._open):
            self._add(data)

    def _add(self, data: str) -> None:
        chars = set(data)
        lang = next((lang for *_, lang in reversed(self._open) if lang), None)
        if lang and lang != self.language and lang in LANGUAGES:
            self.other.setdefault(lang, set()).update(chars)
        self.text["body"] |= chars  # the page's body faces stand behind, as they do in style.css
        for _, role, _, _ in self._open:
            if role:
                self.text[role] |= chars


def _ranges(codepoints: list[int]) -> str:
    """unicode-range of sorted code points: U+4E00, U+4E8C-4E8D."""
    out, start, prev = [], None, None
    for cp in codepoints + [None]:
        if start is not None and (cp is None or cp != prev + 1):
            out.append(f"U+{start:X}" if start == prev else f"U+{start:X}-{prev:X}")
            start = None
        if cp is not None and start is None:
            start = cp
        prev = cp
    return ", ".join(out)


def _woff(data: bytes) -> bytes:
    from fontTools.ttLib import TTFont

    font = TTFont(io.BytesIO(data), recalcTimestamp=False)  # the same page, byte for byte, in every build
    font.flavor = "woff"  # zlib: a few hundredths of a second; WOFF2's Brotli takes a second for a few % less
    out = io.BytesIO()
    font.save(out, reorderTables=False)
    return out.getvalue()


def font_faces(project: Project, language: str, markup: str) -> str:
    """The @font-face rules of the page `markup` in `language`; text in another language (an element's `lang`) is
    set in that language's body faces, as family `pg-body-<lang>` (style.css names it for `[lang]` elements)."""
    parser = _RoleText(language)
    parser.feed(markup)
    parser.close()
    rules = []
    chains = faces_for(language, project.config.fonts, project.config.root)
    for role, chain in chains.items():
        rules += _cuts(f"pg-{role}", chain, parser.text.get(role, ()), "100 900" if role in _BOLD_ROLES else "normal")
    for other, chars in sorted(parser.other.items()):
        chain = faces_for(other, project.config.fonts, project.config.root)["body"]
        rules += _cuts(f"pg-body-{other}", chain, chars, "normal")
    return "\n".join(rules)


def _cuts(family: str, chain, chars, weight: str) -> list[str]:
    """One @font-face rule per face of `chain` that draws some of `chars` (each character by the first that has it)."""
    rules = []
    remaining = {ord(c) for c in chars if c not in "\t\n\r\f"}
    for face in chain:
        mine = sorted(remaining & coverage(face.path))
        if not mine:
            continue
        remaining.difference_update(mine)
        data = base64.b64encode(_woff(subset(face.path, "".join(map(chr, mine))))).decode("ascii")
        rules.append(f"@font-face {{ font-family: {family}; font-weight: {weight}; "
                     f"src: url(data:font/woff;base64,{data}) format(\"woff\"); unicode-range: {_ranges(mine)}; }}")
    return rules


_STYLE = re.compile(r"<style>")
_LANG = re.compile(r'<html lang="([^"]+)"')


def embed_fonts(project: Project, markup: str) -> str:
    """`markup` with the faces it prints in embedded at the start of its first <style> (a page without one is
    returned as it is)."""
    lang = _LANG.search(markup)
    style = _STYLE.search(markup)
    if lang is None or lang.group(1) not in LANGUAGES or style is None:
        return markup
    return markup[: style.end()] + "\n" + font_faces(project, lang.group(1), markup) + "\n" + markup[style.end():]
