"""A Typst source for one regulation, with the text policygen prints and the same page, size and fonts.

The text comes from policygen's model: references are resolved by policygen.render.inline.Resolver, numbers by
policygen.language, so both programs typeset the same characters. Layout: A4, top margin 37 mm, binding margin
28 mm, type area 156 × 225 mm, 16 pt body on the 28 × 22 character grid, title 22 pt, chapter headings 黑体, article labels
黑体, items indented like paragraphs, a paragraph that is only an approval matrix as a table, the attachment
headings on new pages, and "— N —" page numbers at the outer edge. What Typst does not get: the bodies of
attached forms (policygen prints each attached form's grid after its heading).
"""

from __future__ import annotations

import json
from pathlib import Path

from policygen.fonts import FONTS_DIR
from policygen.language import (
    article_label,
    chapter_label,
    item_label,
    section_label,
    strings,
    subitem_label,
)
from policygen.presets import preset
from policygen.render.inline import Resolver
from policygen.render.views import matrix_table


def _s(text: str) -> str:
    """A Typst string literal (JSON escaping is valid Typst string escaping for these characters)."""
    return json.dumps(text, ensure_ascii=False)


def families(language: str) -> dict[str, str]:
    """Font family names of policygen's shipped faces, by role, as Typst names them (Typst reads the family
    from the name table, which can differ from fonts.json: FandolFang is "FandolFang R" to Typst)."""
    manifest = json.loads((FONTS_DIR / "fonts.json").read_text(encoding="utf-8"))
    roles = manifest["roles"][language]
    named = {face: info["family"] for face, info in manifest["faces"].items()}
    try:
        import typst

        by_file = {Path(f.path).name: f.family for f in typst.Fonts(include_system_fonts=False, include_embedded_fonts=False,
                                                                   font_paths=[str(FONTS_DIR)]).fonts()}
        named = {face: by_file.get(info["file"], info["family"]) for face, info in manifest["faces"].items()}
    except (ImportError, AttributeError, TypeError):
        pass
    fam = {role: named[roles[role]] for role in ("body", "title", "heading", "kai")}
    fam["fallback"] = [named[f] for f in roles["fallback"]]
    return fam


def regulation_source(project, reg_id: str) -> str:
    reg = project.regulations[reg_id]
    lang = reg.language
    p = preset(project.config.preset)
    s = strings(lang)
    fam = families(lang)
    resolver = Resolver(project, lang, reg, base="../", external_links=False)

    def text(t) -> str:
        return "".join(r.text for r in resolver.runs(t))

    body_fonts = "(" + ", ".join(_s(f) for f in dict.fromkeys([fam["body"], *fam["fallback"]])) + ",)"
    leading = p.line_mm - p.body_pt * 25.4 / 72
    out = [
        f"#set document(title: {_s(reg.title)})",
        f"#set page(width: {p.page_width_mm}mm, height: {p.page_height_mm}mm,",
        (f"  margin: (top: {p.margin_top_mm}mm, bottom: {p.margin_bottom_mm:.3f}mm, inside: {p.margin_left_mm}mm,"
         f" outside: {p.margin_right_mm:.3f}mm),"),
        (f"  footer: context {{ let n = here().page(); align(if calc.odd(n) {{ right }} else {{ left }},"
         f" text(size: {p.page_number_pt}pt)[— #n —]) }})"),
        (f"#set text(font: {body_fonts}, size: {p.body_pt}pt, lang: \"zh\", region: \"cn\","
         f" top-edge: 0.88em, bottom-edge: -0.12em, tracking: {p.letter_spacing_mm:.4f}mm)"),
        f"#set par(justify: true, leading: {leading:.3f}mm, spacing: {leading:.3f}mm)",
        (f"#show heading: it => align(center, text(font: {_s(fam['heading'])}, size: {p.heading_pt}pt,"
         " weight: \"bold\", it.body))"),
        "#let para(body) = par(first-line-indent: (amount: 2em, all: true), body)",
        f"#let art(label, body) = para[#text(font: {_s(fam['heading'])}, weight: \"bold\", label){s['sep']}#body]",
        f"#align(center, text(font: {_s(fam['title'])}, size: {p.title_pt}pt, weight: \"bold\", {_s(reg.title)}))",
    ]
    meta = [reg.number or "", f"{s['version']} {reg.version}"]
    out.append(f"#align(center, text(font: {_s(fam['kai'])}, {_s('　'.join(m for m in meta if m))}))")
    for t in reg.preamble:
        out.append(f"#para({_s(text(t))})")
    for chapter in reg.chapters:
        if chapter.title:
            out.append(f"#heading(level: 1, {_s(chapter_label(chapter.number, lang) + s['sep'] + chapter.title)})")
        for section in chapter.sections:
            if section.title:
                out.append(f"#heading(level: 2, {_s(section_label(section.number, lang) + s['sep'] + section.title)})")
            for article in section.articles:
                for i, para in enumerate(article.paragraphs):
                    matrix_id = resolver.only_matrix(para.text)
                    if matrix_id:
                        out.append(_table(matrix_table(project, project.matrices[matrix_id], lang), p))
                    elif i == 0:
                        out.append(f"#art({_s(article_label(article.number, lang))}, {_s(text(para.text))})")
                    else:
                        out.append(f"#para({_s(text(para.text))})")
                    for n, item in enumerate(para.items, start=1):
                        out.append(f"#para({_s(item_label(n, lang) + s['item_sep'] + text(item.text))})")
                        for m, sub in enumerate(item.subitems, start=1):
                            out.append(f"#para({_s(subitem_label(m, lang) + s['item_sep'] + text(sub))})")
    for n, att in enumerate(reg.attachments, start=1):
        doc = {"form": project.forms, "matrix": project.matrices, "rules": project.rulesets}[att.kind][att.target]
        title = f"{s['attachment']}{s['item_sep']}{n}{s['sep']}{att.title or doc.title}"
        out.append("#pagebreak()")
        out.append(f"#text(font: {_s(fam['heading'])}, weight: \"bold\", {_s(title)})")
        if att.kind == "matrix":
            out.append(_table(matrix_table(project, doc, lang), p))
    return "\n".join(out) + "\n"


def _table(view: dict, p) -> str:
    cells = [f"[{_s_content(c)}]" for c in view["header"]] + [f"[{_s_content(c)}]" for row in view["rows"] for c in row]
    return (f"#text(size: {p.body_pt * 0.875:.1f}pt, table(columns: {len(view['header'])}, "
            + ", ".join(cells) + "))")


def _s_content(text: str) -> str:
    return f"#{_s(text)}"
