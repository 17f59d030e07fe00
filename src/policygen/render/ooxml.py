"""Low-level OOXML for the DOCX renderer: what python-docx has no API for.

East Asian fonts (w:eastAsia), character tracking, row and cell properties in schema order, the "— N —" PAGE
field, a rule's value that LibreOffice keeps on one line as Word does, and saving with fixed timestamps so the same input gives the same bytes.
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import datetime
from pathlib import Path

from docx.oxml import OxmlElement
from docx.oxml.ns import qn

_THEME_FONT_ATTRS = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")


def set_rfonts(r_pr, latin: str, east_asian: str) -> None:
    r_fonts = r_pr.find(qn("w:rFonts"))
    if r_fonts is None:
        r_fonts = OxmlElement("w:rFonts")
        r_pr.insert(0 if r_pr.find(qn("w:rStyle")) is None else 1, r_fonts)
    for attr in _THEME_FONT_ATTRS:
        r_fonts.attrib.pop(qn(attr), None)
    r_fonts.set(qn("w:ascii"), latin)
    r_fonts.set(qn("w:hAnsi"), latin)
    r_fonts.set(qn("w:eastAsia"), east_asian)
    r_fonts.set(qn("w:cs"), latin)


_RPR_AFTER_SPACING = ("w:w", "w:kern", "w:position", "w:sz", "w:szCs", "w:highlight", "w:u", "w:effect", "w:bdr",
                      "w:shd", "w:fitText", "w:vertAlign", "w:rtl", "w:cs", "w:em", "w:lang", "w:eastAsianLayout",
                      "w:specVanish", "w:oMath")


def set_tracking(r_pr, twentieths: int) -> None:
    """Character spacing (w:spacing in a run's properties), in twentieths of a point."""
    for old in r_pr.findall(qn("w:spacing")):
        r_pr.remove(old)
    spacing = OxmlElement("w:spacing")
    spacing.set(qn("w:val"), str(twentieths))
    r_pr.insert_element_before(spacing, *_RPR_AFTER_SPACING)


# U+2060 WORD JOINER: no line break on either side of it (UAX #14, LB11).
WORD_JOINER = "\u2060"
# Letters of the Asian scripts (Han, kana, Hangul, Bopomofo): LibreOffice sets them in the Asian font.
_ASIAN_LETTER = re.compile("[\u2e80-\u2fdf\u3040-\u30ff\u3100-\u312f\u3190-\u31ff\u3400-\u4dbf\u4e00-\u9fff"
                           "\uac00-\ud7af\uf900-\ufaff\U00020000-\U0003ffff]")


def keep_together(run) -> None:
    """Keep a run on one line, as `white-space: nowrap` keeps a rule's value in the PDF ("3个工作日", "不低于95%").

    OOXML has no run property for it, and no break character is honoured between Han characters by every reader:
    LibreOffice (7.x) gives a Chinese-language position to its CJK break iterator, which breaks anywhere kinsoku
    allows and ignores WORD JOINER, ZWNBSP and NO-BREAK SPACE alike; w:wordWrap only concerns Latin words, and
    w:kinsoku's custom lists (w:noLineBreaksAfter) are not imported. So a WORD JOINER goes wherever an Asian letter
    meets another character (UAX #14 LB11: no break on either side, which Word, Pango and ICU follow), a space between
    Latin words becomes a NO-BREAK SPACE, and the run's East Asian language is `zxx` (no linguistic content):
    LibreOffice then breaks it with its Unicode (ICU) rules, which honour both. The joiners print nothing."""
    text = run.text
    out = []
    for i, c in enumerate(text):
        if i and (_ASIAN_LETTER.match(c) or _ASIAN_LETTER.match(text[i - 1])) and WORD_JOINER not in (c, text[i - 1]):
            out.append(WORD_JOINER)
        out.append("\u00a0" if c == " " else c)
    run.text = "".join(out)
    r_pr = run._r.get_or_add_rPr()
    lang = r_pr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        r_pr.insert_element_before(lang, "w:eastAsianLayout", "w:specVanish", "w:oMath")
    lang.set(qn("w:eastAsia"), "zxx")


def remove_children(element, *tags: str) -> None:
    if element is not None:
        element.remove_all(*tags)


_TRPR_ORDER = ("w:cnfStyle", "w:divId", "w:gridBefore", "w:gridAfter", "w:wBefore", "w:wAfter", "w:cantSplit",
               "w:trHeight", "w:tblHeader", "w:tblCellSpacing", "w:jc", "w:hidden", "w:ins", "w:del", "w:trPrChange")


def row_property(row, tag: str) -> None:
    """Switch on an on/off row property (w:cantSplit, w:tblHeader) in schema order."""
    tr_pr = row._tr.get_or_add_trPr()
    if tr_pr.find(qn(tag)) is not None:
        return
    tr_pr.insert_element_before(OxmlElement(tag), *_TRPR_ORDER[_TRPR_ORDER.index(tag) + 1:])


_TCPR_AFTER_BORDERS = ("w:shd", "w:noWrap", "w:tcMar", "w:textDirection", "w:tcFitText", "w:vAlign", "w:hideMark",
                       "w:headers", "w:cellIns", "w:cellDel", "w:cellMerge", "w:tcPrChange")


def cell_borders(cell, top: bool, bottom: bool) -> None:
    """Leave out the rule above and/or below a cell (both cells of a shared edge must leave it out)."""
    if top and bottom:
        return
    tc_pr = cell._tc.get_or_add_tcPr()
    borders = OxmlElement("w:tcBorders")
    for edge, keep in (("top", top), ("bottom", bottom)):
        if not keep:
            border = OxmlElement(f"w:{edge}")
            border.set(qn("w:val"), "nil")
            borders.append(border)
    tc_pr.insert_element_before(borders, *_TCPR_AFTER_BORDERS)


def page_number(paragraph) -> None:
    """"— N —" with N a PAGE field."""
    paragraph.add_run("— ")
    begin = paragraph.add_run()
    fld = OxmlElement("w:fldChar")
    fld.set(qn("w:fldCharType"), "begin")
    begin._r.append(fld)
    instr = paragraph.add_run()
    text = OxmlElement("w:instrText")
    text.set(qn("xml:space"), "preserve")
    text.text = " PAGE "
    instr._r.append(text)
    separate = paragraph.add_run()
    fld = OxmlElement("w:fldChar")
    fld.set(qn("w:fldCharType"), "separate")
    separate._r.append(fld)
    paragraph.add_run("1")
    end = paragraph.add_run()
    fld = OxmlElement("w:fldChar")
    fld.set(qn("w:fldCharType"), "end")
    end._r.append(fld)
    paragraph.add_run(" —")


_AFTER_AUTOSPACE = ("w:bidi", "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing",
                    "w:mirrorIndents", "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment",
                    "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange")


def no_autospace(p_pr) -> None:
    """No extra space between Han characters and Latin letters or figures (w:autoSpaceDE/DN off): Word adds it by
    default, W3C clreq and the printed PDF do not ("3个工作日", not "3 个工作日").

    LibreOffice ignores these two properties (writerfilter reads and drops them) and spaces Han characters and
    figures apart by a fifth of the font size. Only a character between them (WORD JOINER) would stop it, in every
    such place of the text: the DOCX is the copy people edit, and invisible characters there break Word's Find
    ("2010年" no longer matches), the cursor and whatever the text is pasted into. So the DOCX stays clean and
    LibreOffice keeps its small gap; Word and WPS print none."""
    for tag in ("w:autoSpaceDE", "w:autoSpaceDN"):
        for old in p_pr.findall(qn(tag)):
            p_pr.remove(old)
        element = OxmlElement(tag)
        element.set(qn("w:val"), "0")
        following = next((p_pr.find(qn(t)) for t in _AFTER_AUTOSPACE if p_pr.find(qn(t)) is not None), None)
        if following is not None:
            following.addprevious(element)
        else:
            p_pr.append(element)


def restart_page_numbers(section) -> None:
    """Number the pages of a section from 1 (w:pgNumType w:start), as each copy of a form counts its own."""
    sect_pr = section._sectPr
    for old in sect_pr.findall(qn("w:pgNumType")):
        sect_pr.remove(old)
    number_type = OxmlElement("w:pgNumType")
    number_type.set(qn("w:start"), "1")
    # w:pgNumType comes after the page size, margins and paper source, before the columns (CT_SectPr's order)
    following = [sect_pr.find(qn(tag)) for tag in ("w:cols", "w:formProt", "w:vAlign", "w:noEndnote", "w:titlePg",
                                                    "w:textDirection", "w:bidi", "w:rtlGutter", "w:docGrid")]
    following = [el for el in following if el is not None]
    if following:
        following[0].addprevious(number_type)
    else:
        sect_pr.append(number_type)


def save_reproducibly(document, path: Path, stamp: datetime) -> None:
    """Save with every ZIP entry dated `stamp` (python-docx would date them with the time of the build)."""
    buffer = io.BytesIO()
    document.save(buffer)
    date_time = (max(stamp.year, 1980), stamp.month, stamp.day, 0, 0, 0)
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=date_time)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            target.writestr(entry, source.read(info.filename))
