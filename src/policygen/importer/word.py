"""Word files as the reader sees them.

- Automatic numbering (`w:numPr` on a paragraph or its style) is expanded into the number Word shows, from
  the level's format and text in the numbering part: "第%1条" with chineseCounting is 第十一条, "（%1）" is （三）.
- Tracked changes are taken as accepted: insertions are read, deletions are not. Comments are left out. Both
  are reported, so nobody mistakes a draft under review for the final text.
- Headers, footers, footnotes, hidden text and tables of contents (a TOC field, a TOC content control, TOC
  styles) are left out; tables become table paragraphs with their cells' text and their merged cells
  (gridSpan, vMerge) and column widths, except a one-cell table, which is a frame around text and is read as
  that text. A paragraph that is only a picture is passed on as a picture, with its description.
- `.doc` files are converted to `.docx` by LibreOffice (`soffice --headless`) first, when it is installed.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path

from ..language import chinese_numeral
from .source import ReadError, SourceDocument, SourceParagraph

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
# Deleted text, and the second copy of a text box that Word keeps for older readers.
_SKIPPED_ANCESTORS = {f"{W}del", f"{W}moveFrom", f"{MC}Fallback"}
_HEAVENLY_STEMS = "甲乙丙丁戊己庚辛壬癸"


def read_doc(path: Path) -> SourceDocument:
    """A Word 97–2003 file, through LibreOffice."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise ReadError("PG-IMPORT-002", f"{path.name} is a Word 97–2003 file (.doc), which is read through "
                        "LibreOffice, and LibreOffice (soffice) is not installed")
    with tempfile.TemporaryDirectory() as tmp:
        try:
            subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{tmp}/profile", "--convert-to",
                            "docx", "--outdir", tmp, str(path)], check=True, capture_output=True, timeout=180)
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired, OSError):
            raise ReadError("PG-IMPORT-003", "LibreOffice could not convert the .doc file") from None
        converted = Path(tmp) / (path.stem + ".docx")
        if not converted.exists():
            raise ReadError("PG-IMPORT-003", "LibreOffice could not convert the .doc file")
        return read_docx(converted)


def read_docx(path: Path) -> SourceDocument:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError):
        raise ReadError("PG-IMPORT-003", "the file is not a Word document (.docx) that can be opened") from None
    return _Reader(document).read()


class _Reader:
    def __init__(self, document):
        self.document = document
        self.styles = _styles(document)
        self.numbering = _Numbering(document)
        self.insertions = self.deletions = self.comments = 0
        self.in_toc = 0  # depth of TOC fields open
        self.field_stack: list[bool] = []  # per open field: is it a TOC
        self.paragraphs: list[SourceParagraph] = []

    def read(self) -> SourceDocument:
        body = self.document.element.body
        number = 0
        for block in self._blocks(body):
            number += 1
            if block.tag == f"{W}tbl":
                cells = block.findall(f"{W}tr/{W}tc")
                if len(cells) == 1:  # a one-cell table is a frame around text, not a table
                    for p in cells[0].iter(f"{W}p"):
                        text = self._paragraph_text(p)
                        if text and text.strip():
                            self.paragraphs.append(SourceParagraph(number, text))
                    continue
                rows, layout = self._table(block)
                if rows:
                    self.paragraphs.append(SourceParagraph(number, "", rows=rows, layout=layout, widths=_grid(block)))
                continue
            style_id = _attr(block.find(f"{W}pPr/{W}pStyle"), "val")
            style = self.styles.get(style_id, ("", None))[0]
            text = self._paragraph_text(block)
            if self.in_toc or text is None or style.lower().startswith("toc"):
                continue
            if not text.strip() and (block.find(f".//{W}drawing") is not None or block.find(f".//{W}pict") is not None):
                described = [d.get("descr") or "" for d in block.iter("{*}docPr")]
                self.paragraphs.append(SourceParagraph(number, "", style=style, picture=" ".join(described).strip()))
                continue
            prefix = self.numbering.label(block, self.styles.get(style_id, ("", None))[1])
            for line in (prefix + text).split("\n"):
                if line.strip():
                    self.paragraphs.append(SourceParagraph(number, line, style=style))
        doc = SourceDocument(self.paragraphs)
        if self.insertions or self.deletions:
            doc.notes.append(("PG-IMPORT-105", f"the document has tracked changes ({_count(self.insertions, 'insertion')}, "
                              f"{_count(self.deletions, 'deletion')}): they were taken as accepted", None))
        if self.comments:
            doc.notes.append(("PG-IMPORT-105", f"the document has {_count(self.comments, 'comment')}: "
                              "comments are left out", None))
        return doc

    def _blocks(self, container):
        for child in container:
            if child.tag in (f"{W}p", f"{W}tbl"):
                yield child
            elif child.tag == f"{W}sdt":
                gallery = child.find(f"{W}sdtPr/{W}docPartObj/{W}docPartGallery")
                if gallery is not None and "contents" in (_attr(gallery, "val") or "").lower():
                    continue  # a table of contents
                content = child.find(f"{W}sdtContent")
                if content is not None:
                    yield from self._blocks(content)
            elif child.tag in (f"{W}ins", f"{W}moveTo"):
                yield from self._blocks(child)

    def _paragraph_text(self, p) -> str | None:
        """The paragraph's text as accepted; None when all of it is inside a table of contents."""
        parts: list[str] = []
        was_in_toc = self.in_toc
        for el in p.iter():
            tag = el.tag
            if tag == f"{W}fldChar":
                kind = _attr(el, "fldCharType")
                if kind == "begin":
                    self.field_stack.append(False)
                elif kind == "end" and self.field_stack:
                    if self.field_stack.pop():
                        self.in_toc -= 1
            elif tag == f"{W}instrText":
                if self.field_stack and not self.field_stack[-1] and (el.text or "").strip().upper().startswith("TOC"):
                    self.field_stack[-1] = True
                    self.in_toc += 1
            elif tag == f"{W}fldSimple":
                if (_attr(el, "instr") or "").strip().upper().startswith("TOC"):
                    return None
            elif tag == f"{W}ins":
                self.insertions += 1
            elif tag in (f"{W}del", f"{W}moveFrom"):
                self.deletions += 1
            elif tag == f"{W}commentReference":
                self.comments += 1
            elif self.in_toc:
                continue
            elif tag == f"{W}t":
                if not any(a.tag in _SKIPPED_ANCESTORS for a in el.iterancestors()) and not _hidden(el):
                    parts.append(el.text or "")
            elif tag == f"{W}tab" and el.getparent().tag == f"{W}r":
                parts.append("\t")
            elif tag in (f"{W}br", f"{W}cr") and _attr(el, "type") in (None, "textWrapping"):
                parts.append("\n")
        if was_in_toc or self.in_toc and not "".join(parts).strip():
            return None
        return "".join(parts)

    def _table(self, tbl) -> tuple[list[list[str]], list[list[tuple[str, int, str | None]]]]:
        """The rows of cell texts, and the same cells with their merges: (text, columns spanned, vMerge, which
        is "restart" for the first cell of a vertical merge, "continue" for the cells below it, else None). A
        row's cells start after the grid columns its w:gridBefore leaves empty, given as blank cells."""
        rows, layout = [], []
        for tr in tbl.iter(f"{W}tr"):
            if tr.getparent() is not tbl:
                continue  # rows of a nested table are read with their cell
            cells, merged = [], []
            merged.extend([("", 1, None)] * int(_attr(tr.find(f"{W}trPr/{W}gridBefore"), "val") or 0))
            for tc in tr.findall(f"{W}tc"):
                texts = [self._paragraph_text(p) or "" for p in tc.iter(f"{W}p")]
                text = " ".join(t.strip() for t in texts if t.strip())
                cells.append(text)
                span = int(_attr(tc.find(f"{W}tcPr/{W}gridSpan"), "val") or 1)
                v_merge = tc.find(f"{W}tcPr/{W}vMerge")
                merged.append((text, max(span, 1), None if v_merge is None else _attr(v_merge, "val") or "continue"))
            rows.append(cells)
            layout.append(merged)
        kept = [k for k, r in enumerate(rows) if any(r)]
        return [rows[k] for k in kept], [layout[k] for k in kept]


def _grid(tbl) -> list[float] | None:
    """The widths of a table's grid columns (w:tblGrid), in twentieths of a point."""
    widths = [float(_attr(col, "w") or 0) for col in tbl.findall(f"{W}tblGrid/{W}gridCol")]
    return widths if widths and all(w > 0 for w in widths) else None


def _hidden(t) -> bool:
    """Text formatted as hidden (w:vanish), which Word does not show or print."""
    run = t.getparent()
    vanish = run.find(f"{W}rPr/{W}vanish") if run is not None else None
    return vanish is not None and _attr(vanish, "val") not in ("0", "false")


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'s' * (n != 1)}"


def _attr(el, name: str) -> str | None:
    return None if el is None else el.get(f"{W}{name}")


def _styles(document) -> dict[str, tuple[str, object]]:
    """styleId -> (name, numPr element of the style or of a style it is based on)."""
    raw = {}
    for style in document.styles.element.findall(f"{W}style"):
        name = _attr(style.find(f"{W}name"), "val") or ""
        raw[_attr(style, "styleId")] = (name, style.find(f"{W}pPr/{W}numPr"), _attr(style.find(f"{W}basedOn"), "val"))
    out = {}
    for style_id, (name, num_pr, based_on) in raw.items():
        seen = {style_id}
        while num_pr is None and based_on in raw and based_on not in seen:
            seen.add(based_on)
            num_pr, based_on = raw[based_on][1], raw[based_on][2]
        out[style_id] = (name, num_pr)
    return out


class _Numbering:
    """Counts automatic numbering the way Word shows it: lists that share an abstract numbering continue one
    count, and a list with a start override starts again where it is first used."""

    def __init__(self, document):
        self.levels: dict[str, dict[int, dict]] = {}  # numId -> ilvl -> {fmt, text, start, suff}
        self.abstract_of: dict[str, str] = {}  # numId -> abstractNumId, whose counters it shares
        self.restarts: dict[str, set[int]] = {}  # numId -> levels with a start override
        self.counters: dict[str, list[int | None]] = {}
        self.used: set[str] = set()
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError):
            return
        abstract = {}
        for a in root.findall(f"{W}abstractNum"):
            abstract[_attr(a, "abstractNumId")] = {int(_attr(lvl, "ilvl") or 0): _level(lvl) for lvl in a.findall(f"{W}lvl")}
        for num in root.findall(f"{W}num"):
            num_id, abstract_id = _attr(num, "numId"), _attr(num.find(f"{W}abstractNumId"), "val")
            levels = {k: dict(v) for k, v in abstract.get(abstract_id, {}).items()}
            self.abstract_of[num_id] = abstract_id
            self.restarts[num_id] = set()
            for override in num.findall(f"{W}lvlOverride"):
                ilvl = int(_attr(override, "ilvl") or 0)
                start = override.find(f"{W}startOverride")
                if start is not None and ilvl in levels:
                    levels[ilvl]["start"] = int(_attr(start, "val") or 1)
                    self.restarts[num_id].add(ilvl)
                lvl = override.find(f"{W}lvl")
                if lvl is not None:
                    levels[ilvl] = _level(lvl)
            self.levels[num_id] = levels

    def label(self, p, style_num_pr) -> str:
        num_pr = p.find(f"{W}pPr/{W}numPr")
        if num_pr is None:
            num_pr = style_num_pr
        if num_pr is None:
            return ""
        num_id = _attr(num_pr.find(f"{W}numId"), "val")
        if num_id is None and style_num_pr is not None:
            num_id = _attr(style_num_pr.find(f"{W}numId"), "val")
        ilvl = int(_attr(num_pr.find(f"{W}ilvl"), "val") or 0)
        levels = self.levels.get(num_id)
        if not levels or ilvl not in levels:
            return ""
        counters = self.counters.setdefault(self.abstract_of[num_id], [None] * 9)
        if num_id not in self.used:
            self.used.add(num_id)
            for level in self.restarts[num_id]:
                counters[level] = None
        counters[ilvl] = levels[ilvl]["start"] if counters[ilvl] is None else counters[ilvl] + 1
        for deeper in range(ilvl + 1, 9):
            counters[deeper] = None
        level = levels[ilvl]
        if level["fmt"] in ("bullet", "none"):
            return ""
        text = level["text"]
        for k in range(ilvl + 1):
            if f"%{k + 1}" in text:
                value = counters[k] if counters[k] is not None else levels.get(k, {"start": 1})["start"]
                fmt = levels.get(k, level)["fmt"]
                text = text.replace(f"%{k + 1}", _format(value, fmt))
        return text + {"tab": "\t", "space": " ", "nothing": ""}.get(level["suff"], "\t")


def _level(lvl) -> dict:
    return {"fmt": _attr(lvl.find(f"{W}numFmt"), "val") or "decimal",
            "text": _attr(lvl.find(f"{W}lvlText"), "val") or "",
            "start": int(_attr(lvl.find(f"{W}start"), "val") or 1),
            "suff": _attr(lvl.find(f"{W}suff"), "val") or "tab"}


def _format(n: int, fmt: str) -> str:
    if fmt.startswith(("chineseCounting", "taiwaneseCounting", "ideographDigital", "japaneseCounting")) and 1 <= n <= 9999:
        return chinese_numeral(n)
    if fmt.startswith("decimalEnclosedCircle") and 1 <= n <= 20:
        return chr(0x2460 + n - 1)
    if fmt == "ideographTraditional" and 1 <= n <= 10:
        return _HEAVENLY_STEMS[n - 1]
    if fmt in ("lowerLetter", "upperLetter"):
        letter = chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)
        return letter.upper() if fmt == "upperLetter" else letter
    if fmt in ("lowerRoman", "upperRoman"):
        from ..language import _roman

        return _roman(n).upper() if fmt == "upperRoman" else _roman(n)
    return str(n)
