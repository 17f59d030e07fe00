"""DOCX renderer: one Word document per regulation, with the content and numbering of its HTML page, and one per
form, to print and fill in.

The document is built with python-docx and real Word styles, so that whoever edits it keeps the layout:

- `Title` (the regulation or form title), `Heading 1` (chapters, the revision record), `Heading 2` (sections),
  `Normal` (preamble, articles, their paragraphs, items and sub-items), and a few styles of our own for the metadata
  line, tables, captions and attachment headings. Every style names its Chinese font (`w:eastAsia`) and its Latin
  font (`w:ascii`/`w:hAnsi`) from `presets.DOCX_FONTS`; no style is left to the theme fonts.
- A regulation's page size, margins, body size and line pitch come from the page preset (`presets.preset`); odd and
  even pages have their own footer with the page number "— N —" at the outer edge.
- Tables (approval matrices, rule tables, forms, the revision record) have borders, a header row that repeats on
  every page (`w:tblHeader`) and rows that never split across pages (`w:cantSplit`).
- Attachments start on a new page; a landscape form gets a landscape section of its own.
- A form is printed by the same code (`DocumentWriter._form`) as a regulation's attachment and alone
  (`FormWriter`, out/forms/<id>.docx): on its own paper (A4, A5 or ISO B5 176 × 250 mm, portrait or landscape),
  its fields `columns` to a row, one section per copy (联) with the copy's label at the top right of its pages,
  and a footer with the form number, id, version and 第 x 页 共 y 页.

Builds are reproducible: the core properties carry the regulation's effective date (not the time of the build),
bookmark ids are counters, and the ZIP entries carry that same date. A form has no date of its own: its DOCX
carries the effective date of the regulation that states it (`form_layout.form_date`).
"""

from __future__ import annotations

import math
import re
from datetime import datetime, timezone
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING, WD_TAB_ALIGNMENT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.oxml import serialize_part_xml
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.parser import parse_xml
from docx.shared import Mm, Pt, RGBColor
from docx.text.paragraph import Paragraph as DocxParagraph
from docx.text.run import Run as DocxRun

from . import regulations_to_write, selected
from .. import language as lang_mod
from ..model import Article, Form, Paragraph, Project, Regulation
from ..presets import DOCX_FONTS, MM_PER_PT, Preset
from ..presets import preset as get_preset
from .docx_procedure import add_procedure
from .docx_table import add_table_paragraph
from .form_layout import (APPROVAL_NAME_PCT, APPROVAL_SIGNATURE_PCT, CELL_PADDING_MM, GRID_FIELDS, MONEY_BLANK_EM,
                          RATING_CRITERIA_PCT, date_blank, form_date, label_text, table_columns, text_ems, word_lines)
from .form_sheet import fit_sheet, form_view, writing_lines_mm
from ..resolve import Resolver, Run
from .ooxml import (cell_borders, keep_together, no_autospace, page_number, remove_children, restart_page_numbers,
                    row_property, save_reproducibly, set_rfonts, set_tracking)
from .views import effective_date_stated, matrix_table, rules_table

# Language tags written into the document (w:lang, core properties) for each document language.
LANGUAGE_TAGS = {"zh-Hans": "zh-CN", "zh-Hant": "zh-TW", "en": "en-US"}

# Names of the styles policygen adds to the built-in ones.
META_STYLE = "Document Info"
TABLE_TEXT_STYLE = "Table Text"
TABLE_HEADING_STYLE = "Table Heading"
TABLE_PAD_MM = 1.5  # a regulation table's cell padding on the left and right (pdf/page.css.j2: th, td)
TABLE_CAPTION_STYLE = "Table Caption"
TABLE_SPACER_STYLE = "Table Spacer"
ATTACHMENT_STYLE = "Attachment Heading"
FORM_INFO_STYLE = "Form Info"
ARTICLE_NUMBER_STYLE = "Article Number"

# Font table entries: English name, Windows character set (86 GB2312, 88 Big5, 00 ANSI), family and pitch.
_FONT_INFO = {
    "仿宋": ("FangSong", "86", "modern", "fixed"),
    "黑体": ("SimHei", "86", "modern", "fixed"),
    "楷体": ("KaiTi", "86", "modern", "fixed"),
    "方正小标宋简体": ("FZXiaoBiaoSong-B05S", "86", "script", "variable"),
    "新細明體": ("PMingLiU", "88", "roman", "variable"),
    "微軟正黑體": ("Microsoft JhengHei", "88", "swiss", "variable"),
    "標楷體": ("DFKai-SB", "88", "script", "fixed"),
    "Arial": ("Arial", "00", "swiss", "variable"),
}
_BLACK = RGBColor(0, 0, 0)
_GREY = RGBColor(0x55, 0x55, 0x55)
_FIELD_ROW_MM = 9.0  # minimum height of a row to write in by hand (8 mm on a standalone form)
_BOX, _CHECKBOX = "□", "☐"


def write_regulations(project: Project, out: Path, ids=None) -> list[Path]:
    """Write out/regulations/<id>.docx for every regulation (or those in `ids`); return the paths written."""
    folder = Path(out) / "regulations"
    written: list[Path] = []
    for view, reg_id in regulations_to_write(project, ids):
        reg = view.regulations[reg_id]
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{reg_id}.docx"
        document = RegulationWriter(view, reg).build()
        save_reproducibly(document, path, _effective_datetime(reg))
        written.append(path)
    return written


def write_forms(project: Project, out: Path, ids=None) -> list[Path]:
    """Write out/forms/<id>.docx for every form (or those in `ids`), to print and fill in; return the paths
    written."""
    folder = Path(out) / "forms"
    written: list[Path] = []
    for form_id in selected(project.forms, ids):
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{form_id}.docx"
        writer = FormWriter(project, project.forms[form_id])
        save_reproducibly(writer.build(), path, writer.stamp or ZIP_EPOCH)
        written.append(path)
    return written


# --- shared by regulations and forms -------------------------------------------------------------------------

class DocumentWriter:
    """What every policygen document shares: styles and fonts, settings, bordered tables, text with references,
    and the body of a form (the fields of a regulation's attachment and of a standalone form are the same code)."""

    def __init__(self, project: Project, language: str, page: Preset, resolver: Resolver):
        self.project = project
        self.lang = language
        self.s = lang_mod.strings(language)
        self.fonts = DOCX_FONTS[language]
        self.preset: Preset = page  # type sizes and line pitch of the styles
        self.resolver = resolver
        self.doc = Document()
        self.landscape = False
        self._bookmark_ids = 0
        self._anchors: dict[str, str] = {}  # article id -> bookmark name, for internal links
        self._style_ids: dict[str, str | None] = {}  # paragraph style name -> id (None: the default style)
        self.table_pt = 12 if self.preset.body_pt > 12 else 10.5
        self.notes_pt = self.table_pt
        self.field_row_mm = _FIELD_ROW_MM

    @property
    def area_width_mm(self) -> float:
        """Width of the type area of the current section."""
        raise NotImplementedError

    # -- forms --

    def _form(self, form: Form, fit=None) -> None:
        """The form's head line (company name, 表单编号, version, serial number), its sections and the copies, laid
        out by the form layout (`form_layout.layout_section`) for the width of the current section, with the blank
        rows `fit` chose (by default the standalone sheet's)."""
        s = self.s
        view = form_view(self.project, form, self.lang, self.area_width_mm, self.table_pt, fit)
        company = self.project.organization.company_name(self.lang)
        colon, gap = s["colon"], s["gap"]
        info = f"{s['form_number']}{colon}{form.number}{gap}{s['version']}{colon}{form.version}"
        if form.serial:
            info += f"{gap}No. {_serial_blank(form.serial)}"
        p = self._paragraph(FORM_INFO_STYLE)
        p.paragraph_format.tab_stops.add_tab_stop(Mm(self.area_width_mm), WD_TAB_ALIGNMENT.RIGHT)
        self._add_boxed(p, f"{company}\t{info}")
        for layout in view["sections"]:
            if layout.caption:
                self._caption(layout.caption)
            simple: list = []
            for row in layout.rows:
                if row[0].field.type in GRID_FIELDS:
                    self._simple_fields(simple, layout)
                    simple = []
                    self._block_field(row[0].field, view)
                else:
                    simple.append(row)
            self._simple_fields(simple, layout)
        if form.copies:
            p = self._paragraph(FORM_INFO_STYLE)
            p.add_run(_xml_text("　".join(c.label for c in form.copies))).font.color.rgb = _GREY

    def _simple_fields(self, layout_rows: list, layout) -> None:
        """Label | blank-cell pairs for every row of the layout that is not a grid of its own.

        Notes print one row per line (a row never splits across pages, so a long list of notes is many rows,
        joined without rules between them)."""
        if not layout_rows:
            return
        columns = layout.columns
        rows: list[tuple] = []  # ("fields", [cell, ...]) or ("note", field, label in bold or None, line)
        for row in layout_rows:
            field = row[0].field
            if field.type == "notes":
                lines = field.attrs["text"].split("\n")
                if field.label and len(lines) > 1:  # a list of points starts below its label
                    rows.append(("note", field, field.label, None))
                    rows.extend(("note", field, None, line) for line in lines)
                else:
                    rows.append(("note", field, field.label, lines[0]))
                    rows.extend(("note", field, None, line) for line in lines[1:])
            else:
                rows.append(("fields", row))
        widths = layout.col_widths_mm()
        table = self._table(len(rows), 2 * columns, widths=widths, pad_mm=CELL_PADDING_MM / 2)
        for k, (row, entry) in enumerate(zip(table.rows, rows)):
            if entry[0] == "note":
                _, field, note_label, line = entry
                cell = row.cells[0].merge(row.cells[-1])
                p = cell.paragraphs[0]
                self._style(p, TABLE_TEXT_STYLE)
                if note_label:
                    p.add_run(_xml_text(f"{note_label}：")).bold = True
                if line is not None:
                    self._add_runs(p, self.resolver.runs(line))
                if self.notes_pt != self.table_pt:
                    for run in p.runs:
                        run.font.size = Pt(self.notes_pt)
                joined_above = k > 0 and rows[k - 1][1] is field
                joined_below = k + 1 < len(rows) and rows[k + 1][1] is field
                cell_borders(cell, top=not joined_above, bottom=not joined_below)
                continue
            self._set_row_height(row, max(self._field_row_mm(c.field) for c in entry[1]))
            column = 0
            for cell in entry[1]:
                label_cell = table.cell(k, column)
                value_cell = table.cell(k, column + 1)
                if cell.span > 1:
                    value_cell = value_cell.merge(table.cell(k, column + 2 * cell.span - 1))
                column += 2 * cell.span
                self._field_cells(cell, label_cell, value_cell, layout.cell_value_mm(cell))

    def _field_cells(self, layout_cell, label_cell, value_cell, value_mm: float) -> None:
        field = layout_cell.field
        a = field.attrs
        if layout_cell.label_wraps and layout_cell.words:  # breaks between its words, where the layout says
            room = label_cell.width.mm - CELL_PADDING_MM - 0.3
            lines = word_lines(layout_cell.words, room, layout_cell.label_pt)
            lines[-1] += "*" if a.get("required") else ""
            self._cell_lines(label_cell, lines)
        else:
            self._cell_text(label_cell, label_text(field), heading=True)
        if layout_cell.label_pt and layout_cell.label_pt < self.table_pt:  # shrunk to stay on one line
            for run in label_cell.paragraphs[0].runs:
                run.font.size = Pt(layout_cell.label_pt)
        blank = self._field_blank(field)
        options = _choice_options(field) if field.type == "choice" else []
        if len(options) > 1 and text_ems(blank) * self.table_pt * MM_PER_PT > value_mm - CELL_PADDING_MM:
            # Options that do not fit on one line go one to a line: a box never ends a line without its label.
            self._cell_text(value_cell, options[0])
            for option in options[1:]:
                self._paragraph(TABLE_TEXT_STYLE, _xml_text(option), value_cell)
        elif field.type == "signature" and a.get("date", True):
            # the line to sign on above, the date below it at the right: the width the layout reserved
            self._cell_text(value_cell, "")
            self._paragraph(TABLE_TEXT_STYLE, _xml_text(blank), value_cell)
        else:
            self._cell_text(value_cell, blank)
        label_cell.vertical_alignment = value_cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        if field.type == "multiline":
            value_cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.TOP
        if field.type == "signature":  # room to sign above and before the date, which stands at the bottom right
            for paragraph in value_cell.paragraphs:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            value_cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.BOTTOM
        if a.get("help"):
            help_p = self._paragraph(TABLE_TEXT_STYLE, container=value_cell)
            run = help_p.add_run(_xml_text(a["help"]))
            run.font.size = Pt(self.table_pt - 1.5)
            run.font.color.rgb = _GREY

    def _field_blank(self, field) -> str:
        """What a blank field cell prints: nothing, or the fixed parts of the value (￥, 年月日, ☐ options)."""
        a, s, en = field.attrs, self.s, self.lang == "en"
        date = date_blank(self.lang)
        if field.type == "money":
            text = "￥" if a.get("currency", "CNY") == "CNY" else f"{a['currency']} "
            text += "\u3000" * MONEY_BLANK_EM
            if a.get("capital", True):
                text += f"{s['capital']}："
            return text
        if field.type == "number":
            return ("\u3000" * 6 + a["unit"]) if a.get("unit") else ""
        if field.type == "date":
            return date
        if field.type == "comb":
            return _BOX * a["length"]
        if field.type == "choice":
            return "　".join(_choice_options(field))
        if field.type == "signature":  # the cell is right-aligned: the date, and room to sign above it
            if a.get("date", True):
                return f"{s['date']}{s['colon']}{date}" if en else date
            return ""
        return ""  # text, multiline: the cell is the blank

    def _block_field(self, field, view) -> None:
        """A field that is a grid of its own: table, rating, approval."""
        a, s = field.attrs, self.s
        if field.type == "table":
            header = [c["label"] for c in a["columns"]]
            rows = [[""] * len(header) for _ in range(a["rows"])]
            columns = table_columns(field, self.area_width_mm, self.table_pt)
            widths = columns.widths_mm
            center = ()
        elif field.type == "rating":
            levels = [lv["label"] if isinstance(lv, dict) else lv for lv in a["levels"]]
            header = [""] + levels
            rows = [[c["label"] if isinstance(c, dict) else c] + [_CHECKBOX] * len(levels) for c in a["criteria"]]
            widths = [RATING_CRITERIA_PCT] + [(100 - RATING_CRITERIA_PCT) / len(levels)] * len(levels)  # as the PDF
            center = range(1, len(header))
        else:  # approval
            header = [s["approvers"], s["opinion"], s["signature"], s["date"]]
            rows = [[name, "", "", date_blank(self.lang)] for name in view["approvers"][a["matrix"]]]
            # as the PDF's: names and signature their share, the date as wide as its blank (col.date-col), opinion
            # the rest
            area = self.area_width_mm
            date_mm = (text_ems(date_blank(self.lang)) + 2) * self.table_pt * MM_PER_PT
            name_mm, sign_mm = area * APPROVAL_NAME_PCT / 100, area * APPROVAL_SIGNATURE_PCT / 100
            widths = [name_mm, area - name_mm - sign_mm - date_mm, sign_mm, date_mm]
            center = ()
        title = field.label + ("*" if a.get("required") else "")
        table = self._table(len(rows) + 2, len(header), widths=widths, pad_mm=CELL_PADDING_MM / 2)
        title_cell = table.rows[0].cells[0].merge(table.rows[0].cells[-1])
        self._cell_text(title_cell, title, heading=True)
        for k, (cell, text) in enumerate(zip(table.rows[1].cells, header)):
            if field.type != "table":
                self._cell_text(cell, text, heading=True)
                continue
            words = columns.words[k]
            room = columns.widths_mm[k] - CELL_PADDING_MM - 0.3
            self._cell_lines(cell, word_lines(words, room, columns.heading_pt) if words else [text])
            if columns.heading_pt != self.table_pt:
                for run in cell.paragraphs[0].runs:
                    run.font.size = Pt(columns.heading_pt)
        for row, values in zip(table.rows[2:], rows):
            self._set_row_height(row, self.field_row_mm)
            for k, (cell, text) in enumerate(zip(row.cells, values)):
                self._cell_text(cell, text, heading=field.type in ("rating", "approval") and k == 0)
                cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
                if k in center:
                    cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        self._header_rows(table, 2)
        if a.get("help"):
            p = self._paragraph(FORM_INFO_STYLE)
            p.add_run(_xml_text(a["help"])).font.color.rgb = _GREY

    # -- tables --

    def _view_table(self, view: dict, widths=None):
        header, rows = view["header"], view["rows"]
        table = self._table(len(rows) + 1, len(header), widths=widths)
        for cell, text in zip(table.rows[0].cells, header):
            self._cell_text(cell, text, heading=True)
        for row, values in zip(table.rows[1:], rows):
            for cell, text in zip(row.cells, values):
                self._cell_text(cell, text)
                cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        self._header_rows(table, 1)
        return table

    def _table(self, n_rows: int, n_cols: int, widths=None, pad_mm: float = TABLE_PAD_MM):
        """A bordered table across the type area, `pad_mm` inside each cell on the left and right as in the PDF (not
        Word's 1.9 mm); rows never split across pages."""
        self._separate_tables()
        table = self.doc.add_table(rows=n_rows, cols=n_cols)
        table.style = self.doc.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        weights = list(widths or [1] * n_cols)
        total = sum(weights)
        area = self.area_width_mm
        tbl_pr = table._tbl.tblPr
        for old in tbl_pr.findall(qn("w:tblW")):
            tbl_pr.remove(old)
        tbl_w = OxmlElement("w:tblW")
        tbl_w.set(qn("w:w"), str(round(area / 25.4 * 1440)))
        tbl_w.set(qn("w:type"), "dxa")
        tbl_pr.insert_element_before(tbl_w, "w:jc", "w:tblCellSpacing", "w:tblInd", "w:tblBorders", "w:shd",
                                     "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption", "w:tblDescription")
        borders = OxmlElement("w:tblBorders")
        for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
            border = OxmlElement(f"w:{edge}")
            border.set(qn("w:val"), "single")
            border.set(qn("w:sz"), "6")  # eighths of a point: 0.75 pt
            border.set(qn("w:space"), "0")
            border.set(qn("w:color"), "000000")
            borders.append(border)
        tbl_pr.insert_element_before(borders, "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook",
                                     "w:tblCaption", "w:tblDescription")
        margins = OxmlElement("w:tblCellMar")
        for edge in ("left", "right"):
            margin = OxmlElement(f"w:{edge}")
            margin.set(qn("w:w"), str(round(pad_mm / 25.4 * 1440)))
            margin.set(qn("w:type"), "dxa")
            margins.append(margin)
        tbl_pr.insert_element_before(margins, "w:tblLook", "w:tblCaption", "w:tblDescription")
        col_widths = [Mm(area * w / total) for w in weights]
        for column, width in zip(table.columns, col_widths):
            column.width = width
        for row in table.rows:
            row_property(row, "w:cantSplit")
            for cell, width in zip(row.cells, col_widths):
                cell.width = width
                self._style(cell.paragraphs[0], TABLE_TEXT_STYLE)
        return table

    def _header_rows(self, table, count: int) -> None:
        for row in table.rows[:count]:
            row_property(row, "w:tblHeader")
            for cell in row.cells:
                cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER

    def _cell_text(self, cell, text: str, heading: bool = False) -> None:
        p = cell.paragraphs[0]
        self._style(p, TABLE_HEADING_STYLE if heading else TABLE_TEXT_STYLE)
        if text:
            self._add_boxed(p, text)

    def _cell_lines(self, cell, lines: list[str]) -> None:
        """A heading set on the lines given, a line break between them."""
        p = cell.paragraphs[0]
        self._style(p, TABLE_HEADING_STYLE)
        for k, line in enumerate(lines):
            if k:
                p.add_run().add_break()
            self._add_boxed(p, line.rstrip() if k + 1 < len(lines) else line)

    def _add_boxed(self, paragraph, text: str) -> None:
        """Add text whose writing boxes (□, one per character to write) are set in the Chinese font: Word and
        LibreOffice would take them from the Latin font otherwise, where they are small and narrow."""
        latin, east_asian = self._fonts_for("body")
        for k, part in enumerate(re.split(f"({_BOX}+)", _xml_text(text))):
            if not part:
                continue
            run = paragraph.add_run(part)
            if k % 2:
                set_rfonts(run._r.get_or_add_rPr(), east_asian, east_asian)
                run._r.rPr.rFonts.set(qn("w:hint"), "eastAsia")

    def _use_sheet(self, sheet) -> None:
        """Set forms at the density `sheet` (a form_layout.Paper that fit_sheet chose) gives: its type, its notes'
        type (in half points, as Word sets sizes) and its rows (8 mm at most: every copy fits its sheet more often)."""
        self.table_pt = sheet.font_pt
        self.notes_pt = round(sheet.font_pt * sheet.notes_em * 2) / 2
        self.field_row_mm = min(8.0, sheet.row_mm)

    def _field_row_mm(self, field) -> float:
        """The height of a label | value row holding `field`: lines to write on of the field row height."""
        return self.field_row_mm * _field_lines(field)

    def _set_row_height(self, row, mm: float) -> None:
        row.height = Mm(mm)
        row.height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST

    def _caption(self, title: str) -> None:
        self._paragraph(TABLE_CAPTION_STYLE, _xml_text(title))

    def _separate_tables(self) -> None:
        """Two tables in a row would be joined by Word: keep a hairline paragraph between them."""
        if self._last_is_table():
            self._paragraph(TABLE_SPACER_STYLE)

    def _gap(self, lines: float) -> None:
        """Vertical space of a fraction of the line pitch (after a table in the running text)."""
        gap = self._paragraph(TABLE_SPACER_STYLE)
        gap.paragraph_format.line_spacing = Mm(self.preset.line_mm * lines)

    def _close_body(self) -> None:
        """The body (and a section) must end with a paragraph, not a table."""
        if self._last_is_table():
            self._paragraph(TABLE_SPACER_STYLE)

    def _last_is_table(self) -> bool:
        body = self.doc.element.body
        children = [c for c in body.iterchildren() if c.tag != qn("w:sectPr")]
        return bool(children) and children[-1].tag == qn("w:tbl")

    # -- text --

    def _paragraph(self, style: str, text: str = "", container=None):
        """A new paragraph at the end of `container` (default: the body) in the paragraph style `style`."""
        return self._style((self.doc if container is None else container).add_paragraph(text), style)

    def _style(self, paragraph, style: str):
        """Give `paragraph` the paragraph style named `style`, and return it.

        python-docx's `paragraph.style = name` looks the name up among all styles and lists them all again to
        see whether it is the default, every time (a third of a form's DOCX time); the answer is kept here."""
        if style not in self._style_ids:
            self._style_ids[style] = self.doc.part.get_style_id(style, WD_STYLE_TYPE.PARAGRAPH)
        paragraph._p.style = self._style_ids[style]
        return paragraph

    def _add_runs(self, paragraph, runs: list[Run]) -> None:
        for run in runs:
            if not run.text:
                continue
            if run.kind == "article" and run.href and run.href.startswith("#"):
                target = self._anchors.get(run.href[1:])
                if target:
                    r = paragraph.add_run(_xml_text(run.text))
                    link = OxmlElement("w:hyperlink")
                    link.set(qn("w:anchor"), target)
                    r._r.addprevious(link)
                    link.append(r._r)
                    continue
            added = paragraph.add_run(_xml_text(run.text))
            if run.kind == "rule":  # a rule's value never splits across lines (the PDF's .ref-rule: nowrap)
                keep_together(added)

    def _bookmark_start(self, paragraph, name: str, before_runs: bool = False) -> None:
        self._bookmark_ids += 1
        start = OxmlElement("w:bookmarkStart")
        start.set(qn("w:id"), str(self._bookmark_ids))
        start.set(qn("w:name"), name)
        runs = paragraph._p.findall(qn("w:r"))
        if before_runs and runs:
            runs[0].addprevious(start)
        else:
            paragraph._p.append(start)

    def _bookmark_end(self, paragraph) -> None:
        end = OxmlElement("w:bookmarkEnd")
        end.set(qn("w:id"), str(self._bookmark_ids))
        paragraph._p.append(end)

    # -- styles, settings, page --

    def _fonts_for(self, role: str) -> tuple[str, str]:
        """(latin, east-asian) font names of a role (body, heading, title, kai)."""
        east_asian = self.fonts[role]
        latin = east_asian if self.lang == "en" else self.fonts["latin"]
        return latin, east_asian

    def _setup_styles(self) -> None:
        styles = self.doc.styles
        p = self.preset
        tag = LANGUAGE_TAGS[self.lang]
        # Document defaults: explicit fonts and language instead of the template's theme fonts.
        r_pr_default = styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
        set_rfonts(r_pr_default, *self._fonts_for("body"))
        lang = r_pr_default.find(qn("w:lang"))
        lang.set(qn("w:val"), "en-US" if self.lang != "en" else tag)
        lang.set(qn("w:eastAsia"), tag)
        zh = self.lang != "en"

        normal = styles["Normal"]
        self._style_font(normal, "body", p.body_pt)
        defaults = styles.element.find(qn("w:docDefaults"))
        p_pr_default = defaults.find(qn("w:pPrDefault"))
        if p_pr_default is None:
            p_pr_default = OxmlElement("w:pPrDefault")
            defaults.append(p_pr_default)
        if p_pr_default.find(qn("w:pPr")) is None:
            p_pr_default.append(OxmlElement("w:pPr"))
        no_autospace(p_pr_default.find(qn("w:pPr")))
        no_autospace(normal.element.get_or_add_pPr())
        fmt = normal.paragraph_format
        fmt.first_line_indent = Mm(2 * p.char_mm)
        fmt.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        fmt.line_spacing = Mm(p.line_mm)
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.space_before = fmt.space_after = Pt(0)
        fmt.widow_control = True
        if zh:  # full-width characters on the preset's grid; never wider than the grid, so floor
            tracking = math.floor(p.letter_spacing_mm / MM_PER_PT * 20)  # twentieths of a point
            set_tracking(normal.element.get_or_add_rPr(), tracking)

        title = styles["Title"]
        self._style_font(title, "title", p.title_pt, bold=not zh)
        set_tracking(title.element.get_or_add_rPr(), 0)
        kern = title.element.rPr.find(qn("w:kern"))
        if kern is not None:
            title.element.rPr.remove(kern)
        fmt = title.paragraph_format
        remove_children(title.element.pPr, "w:pBdr", "w:contextualSpacing")
        fmt.alignment = WD_ALIGN_PARAGRAPH.CENTER
        fmt.first_line_indent = Pt(0)
        fmt.line_spacing = Pt(round(p.title_pt * 1.5))
        fmt.space_before = Pt(0)
        fmt.space_after = Mm(p.line_mm * 0.25)
        fmt.keep_with_next = True

        meta = self._new_style(META_STYLE, "Normal", "body", min(self.table_pt, p.body_pt))
        meta.font.color.rgb = _GREY
        fmt = meta.paragraph_format
        fmt.alignment = WD_ALIGN_PARAGRAPH.CENTER
        fmt.first_line_indent = Pt(0)
        fmt.line_spacing = 1.2
        fmt.space_after = Mm(p.line_mm)
        set_tracking(meta.element.get_or_add_rPr(), 0)

        # Headings sit on the grid as in the PDF (page.css.j2: one line each, no space around them), so a page holds
        # as many lines in Word as in the PDF.
        for name, role, before, after in (("Heading 1", "heading", 0, 0), ("Heading 2", "kai", 0, 0)):
            heading = styles[name]
            self._style_font(heading, role, p.heading_pt, bold=(name == "Heading 1" and not zh) or False)
            fmt = heading.paragraph_format
            fmt.alignment = WD_ALIGN_PARAGRAPH.CENTER
            fmt.first_line_indent = Pt(0)
            fmt.space_before = Mm(p.line_mm * before)
            fmt.space_after = Mm(p.line_mm * after)
            fmt.line_spacing = Mm(p.line_mm)
            fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
            fmt.keep_with_next = True

        attachment = self._new_style(ATTACHMENT_STYLE, "Heading 1", "heading", p.heading_pt, bold=not zh)
        attachment.next_paragraph_style = normal
        fmt = attachment.paragraph_format
        fmt.alignment = WD_ALIGN_PARAGRAPH.LEFT
        fmt.space_before = Pt(0)
        fmt.space_after = Mm(p.line_mm * 0.5)

        number = styles.add_style(ARTICLE_NUMBER_STYLE, WD_STYLE_TYPE.CHARACTER)
        number.font.bold = True
        self._style_font(number, "heading", None)

        table_text = self._new_style(TABLE_TEXT_STYLE, "Normal", "body", self.table_pt)
        fmt = table_text.paragraph_format
        fmt.first_line_indent = Pt(0)
        fmt.alignment = WD_ALIGN_PARAGRAPH.LEFT
        fmt.line_spacing = 1.15
        fmt.space_before = fmt.space_after = Pt(1.5)
        set_tracking(table_text.element.get_or_add_rPr(), 0)

        # in the heading face as the PDF's th (Chinese has no bold: 黑体 is the emphasis)
        table_heading = self._new_style(TABLE_HEADING_STYLE, TABLE_TEXT_STYLE, "heading" if zh else "body",
                                        self.table_pt, bold=not zh)
        table_heading.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER

        caption = self._new_style(TABLE_CAPTION_STYLE, TABLE_TEXT_STYLE, "heading" if zh else "body", self.table_pt,
                                  bold=True)
        fmt = caption.paragraph_format
        fmt.alignment = WD_ALIGN_PARAGRAPH.CENTER
        fmt.space_before = Pt(6)
        fmt.space_after = Pt(3)
        fmt.keep_with_next = True

        spacer = self._new_style(TABLE_SPACER_STYLE, TABLE_TEXT_STYLE, "body", 2)
        fmt = spacer.paragraph_format
        fmt.line_spacing = Pt(3)
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.space_before = fmt.space_after = Pt(0)

        form_info = self._new_style(FORM_INFO_STYLE, TABLE_TEXT_STYLE, "body", self.table_pt - 1)
        form_info.paragraph_format.space_after = Pt(3)

        footer = styles["Footer"]
        self._style_font(footer, "body", p.page_number_pt)
        fmt = footer.paragraph_format
        fmt.first_line_indent = Pt(0)
        fmt.line_spacing = 1.0
        fmt.space_before = fmt.space_after = Pt(0)
        set_tracking(footer.element.get_or_add_rPr(), 0)
        header = styles["Header"]
        self._style_font(header, "body", p.page_number_pt)
        header.paragraph_format.first_line_indent = Pt(0)
        header.paragraph_format.line_spacing = 1.0

        # Hyperlinks inside the text print as the text around them.
        for style in (normal, table_text):
            style.font.color.rgb = _BLACK

    def _new_style(self, name: str, base: str, role: str, size_pt: float, bold: bool | None = None):
        style = self.doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = self.doc.styles[base]
        style.quick_style = True
        self._style_font(style, role, size_pt, bold=bold)
        return style

    def _style_font(self, style, role: str, size_pt: float | None, bold: bool | None = None) -> None:
        latin, east_asian = self._fonts_for(role)
        font = style.font
        font.name = latin  # w:ascii and w:hAnsi
        set_rfonts(style.element.get_or_add_rPr(), latin, east_asian)
        if size_pt is not None:
            font.size = Pt(size_pt)
        if bold is not None:
            font.bold = bold
        font.italic = None if style.type == WD_STYLE_TYPE.CHARACTER else False
        font.color.rgb = _BLACK

    def _setup_settings(self, odd_and_even: bool) -> None:
        settings = self.doc.settings
        settings.odd_and_even_pages_header_footer = odd_and_even
        if odd_and_even:  # a bound regulation: inner and outer margins swap on even pages, as in the PDF
            mirror = OxmlElement("w:mirrorMargins")
            zoom = settings.element.find(qn("w:zoom"))
            if zoom is not None:
                zoom.addnext(mirror)
            else:
                settings.element.insert(0, mirror)
        theme_lang = settings.element.find(qn("w:themeFontLang"))
        if theme_lang is not None:
            theme_lang.set(qn("w:eastAsia"), LANGUAGE_TAGS[self.lang])
        # The template's document id and revision ids belong to the template, not to this document.
        remove_children(settings.element, "w14:docId", "w:rsids")
        # The template's empty bibliography store is of no use here.
        for r_id, rel in list(self.doc.part.rels.items()):
            if rel.reltype == RT.CUSTOM_XML:
                del self.doc.part.rels[r_id]
        self._font_table()

    def _font_table(self) -> None:
        """Describe the fonts the styles name (script, family, English name), so that a reader without them gets
        a Chinese substitute of the same kind rather than any font at all."""
        part = self.doc.part.part_related_by(RT.FONT_TABLE)
        fonts = parse_xml(part.blob)
        known = {f.get(qn("w:name")) for f in fonts.findall(qn("w:font"))}
        for name in dict.fromkeys(self.fonts.values()):
            if name in known or name not in _FONT_INFO:
                continue
            alt_name, charset, family, pitch = _FONT_INFO[name]
            font = OxmlElement("w:font")
            font.set(qn("w:name"), name)
            for tag, value in (("w:altName", alt_name), ("w:charset", charset), ("w:family", family),
                               ("w:pitch", pitch)):
                child = OxmlElement(tag)
                child.set(qn("w:val"), value)
                font.append(child)
            fonts.append(font)
        part._blob = serialize_part_xml(fonts)  # python-docx keeps the font table as a plain part
    def _set_core_properties(self, title: str, subject: str, identifier: str, version: str, stamp: datetime | None) -> None:
        """Document properties that depend on the input only: `stamp` is a date of the document, never the time
        of the build."""
        props = self.doc.core_properties
        company = _property(self.project.organization.company_name(self.lang))
        props.title = _property(title)
        props.author = company
        props.last_modified_by = company
        props.language = LANGUAGE_TAGS[self.lang]
        props.subject = _property(subject)
        props.identifier = _property(identifier)
        props.version = _property(version)
        props.comments = ""
        props.keywords = ""
        props.category = ""
        props.revision = 1
        if stamp is not None:
            props.created = stamp
            props.modified = stamp
        else:  # no date of its own, and never the time of the build
            for tag in ("dcterms:created", "dcterms:modified"):
                for element in props._element.findall(qn(tag)):
                    props._element.remove(element)
        # The template's thumbnail shows an empty page of another document: leave it out.
        package = self.doc.part.package
        for r_id, rel in list(package.rels.items()):
            if rel.reltype == RT.THUMBNAIL:
                del package.rels[r_id]


# --- regulations ---------------------------------------------------------------------------------------------

class RegulationWriter(DocumentWriter):
    """Builds the python-docx Document of one regulation."""

    def __init__(self, project: Project, reg: Regulation):
        super().__init__(project, reg.language, get_preset(project.config.preset), Resolver(project, reg.language, reg))
        self.reg = reg
        self._anchors = _bookmark_names(reg)

    # geometry of the current section
    @property
    def area_width_mm(self) -> float:
        p = self.preset
        if self.landscape:
            return p.landscape_area_width_mm
        return p.area_width_mm

    # -- whole document --

    def build(self):
        self._setup_styles()
        self._setup_settings(odd_and_even=True)
        self._setup_section(self.doc.sections[0], landscape=False)
        self._setup_footers(self.doc.sections[0])
        self._core_properties()
        self._header()
        for text in self.reg.preamble:
            self._add_runs(self._paragraph("Normal"), self.resolver.runs(text))
        for chapter in self.reg.chapters:
            if chapter.title:
                label = lang_mod.chapter_label(chapter.number, self.lang)
                self._paragraph("Heading 1", _xml_text(f"{label}{self.s['sep']}{chapter.title}"))
            for section in chapter.sections:
                if section.title:
                    label = lang_mod.section_label(section.number, self.lang)
                    self._paragraph("Heading 2", _xml_text(f"{label}{self.s['sep']}{section.title}"))
                for article in section.articles:
                    self._article(article)
        if self.reg.revisions:
            self._revisions()
        for number, attachment in enumerate(self.reg.attachments, start=1):
            self._attachment(number, attachment)
        self._close_body()
        return self.doc

    def _header(self) -> None:
        reg = self.reg
        self._paragraph("Title", _xml_text(reg.title))
        parts = []
        if reg.number:
            parts.append(reg.number)
        parts.append(f"{self.s['version']}{self.s['colon']}{reg.version}")
        if effective_date_stated(reg):
            parts.append(f"{self.s['effective']}{self.s['colon']}{lang_mod.format_date(reg.effective, self.lang)}")
        if reg.issued_by:
            parts.append(self.project.organization.departments[reg.issued_by].name_in(self.lang))
        gap = self.s["gap"]
        self._paragraph(META_STYLE, _xml_text(gap.join(parts)))

    # -- regulation body --

    def _article(self, article: Article) -> None:
        label = lang_mod.article_label(article.number, self.lang)
        labelled = False
        for para in article.paragraphs:
            matrix_id = self.resolver.only_matrix(para.text)
            procedure_id = self.resolver.only_procedure(para.text)
            if para.table is not None:
                if not labelled:
                    self._label_paragraph(article, label, [])
                    labelled = True
                add_table_paragraph(self, para.table)
                continue
            if procedure_id:
                if not labelled:
                    self._label_paragraph(article, label, [])
                    labelled = True
                add_procedure(self, self.project.procedures[procedure_id])
                self._gap(0.5)
            elif matrix_id:
                if not labelled:  # the number is never lost, even when the article opens with a table
                    self._label_paragraph(article, label, [])
                    labelled = True
                view = matrix_table(self.project, self.project.matrices[matrix_id], self.lang)
                self._caption(view["title"])
                self._view_table(view)
                self._gap(0.5)
            else:
                runs = self.resolver.runs(para.text)
                if not labelled:
                    self._label_paragraph(article, label, runs)
                    labelled = True
                else:
                    self._add_runs(self._paragraph("Normal"), runs)
            self._items(para)

    def _label_paragraph(self, article: Article, label: str, runs: list[Run]) -> None:
        paragraph = self._paragraph("Normal")
        if not runs:  # the number alone, above a table, chart or matrix: it goes with it
            paragraph.paragraph_format.keep_with_next = True
        bookmark = self._anchors[article.id]
        self._bookmark_start(paragraph, bookmark)
        number = paragraph.add_run(label, style=ARTICLE_NUMBER_STYLE)
        number.bold = True
        self._bookmark_end(paragraph)
        if runs:
            paragraph.add_run(self.s["sep"])
            self._add_runs(paragraph, runs)

    def _items(self, para: Paragraph) -> None:
        if para.items:  # "产品退货账务处理：" never ends a page without its first item
            self.doc.paragraphs[-1].paragraph_format.keep_with_next = True
        for i, item in enumerate(para.items, start=1):
            p = self._paragraph("Normal")
            p.add_run(lang_mod.item_label(i, self.lang) + self.s["item_sep"])
            self._add_runs(p, self.resolver.runs(item.text))
            for j, sub in enumerate(item.subitems, start=1):
                q = self._paragraph("Normal")
                q.add_run(lang_mod.subitem_label(j, self.lang) + self.s["item_sep"])
                self._add_runs(q, self.resolver.runs(sub))

    def _revisions(self) -> None:
        s = self.s
        self._paragraph("Heading 1", s["revisions"])
        rows = [[r.version, lang_mod.format_date(r.date, self.lang), r.summary] for r in self.reg.revisions]
        self._view_table({"header": [s["version"], s["date"], s["summary"]], "rows": rows}, widths=(1.2, 2, 5))

    # -- attachments --

    def _attachment(self, number: int, attachment) -> None:
        project = self.project
        kinds = {"form": project.forms, "matrix": project.matrices, "rules": project.rulesets,
                 "procedure": project.procedures}
        doc = kinds[attachment.kind][attachment.target]
        landscape = attachment.kind == "form" and doc.orientation == "landscape"
        if landscape != self.landscape:
            section = self.doc.add_section(WD_SECTION.NEW_PAGE)
            # python-docx ends the previous section with an empty paragraph: keep it a hairline.
            self._style(self.doc.paragraphs[-1], TABLE_SPACER_STYLE)
            self.landscape = landscape
            self._setup_section(section, landscape=landscape)
        title = attachment.title or doc.title
        label = f"{self.s['attachment']}{self.s['item_sep']}{number}"
        heading = self._paragraph(ATTACHMENT_STYLE, _xml_text(f"{label}{self.s['sep']}{title}"))
        heading.paragraph_format.page_break_before = True
        self._bookmark_start(heading, f"attachment_{number}", before_runs=True)
        self._bookmark_end(heading)
        if attachment.kind == "form":
            self._attached_form(doc)
        elif attachment.kind == "matrix":
            self._view_table(matrix_table(project, doc, self.lang))
        elif attachment.kind == "procedure":
            add_procedure(self, doc)
        else:
            self._view_table(rules_table(project, doc, self.lang), widths=(4, 3, 3))

    # -- page --

    def _attached_form(self, form: Form) -> None:
        """The form at the density the PDF prints it with on the type area (form_sheet.fit_sheet with the page
        preset: type size, rows, blank rows), so that it takes the pages it takes there. The regulation's table
        styles stay as they are: the form's runs and paragraphs carry its sizes and spacing themselves."""
        fit = fit_sheet(form, self.project, page=self.preset)
        sheet = fit.paper
        saved = self.table_pt, self.notes_pt, self.field_row_mm
        self._use_sheet(sheet)
        body = self.doc.element.body
        before = len(body)
        try:
            self._form(form, fit)
        finally:
            self.table_pt, self.notes_pt, self.field_row_mm = saved
        half_points = str(round(sheet.font_pt * 2))
        for element in list(body)[before:]:
            for r in element.iter(qn("w:r")):
                run = DocxRun(r, None)
                if run.font.size is None:  # the size of the style: the form's instead
                    run.font.size = Pt(sheet.font_pt)
            for p in element.iter(qn("w:p")):  # an empty cell's line is as tall as its paragraph mark
                p_pr = p.get_or_add_pPr()
                mark = p_pr.find(qn("w:rPr"))
                if mark is None:
                    mark = OxmlElement("w:rPr")
                    p_pr.insert_element_before(mark, "w:sectPr", "w:pPrChange")
                if mark.find(qn("w:sz")) is None:
                    for tag in ("w:szCs", "w:sz"):  # each before what follows it in CT_RPr
                        size = OxmlElement(tag)
                        size.set(qn("w:val"), half_points)
                        mark.insert_element_before(size, *(["w:szCs"] if tag == "w:sz" else []), *_AFTER_SZ_CS)
            if sheet.tight >= 2:  # cells as tight as the PDF's, as on a standalone sheet (FormWriter._form_styles)
                spacer = self._style_ids.get(TABLE_SPACER_STYLE)
                for p in element.iter(qn("w:p")):
                    fmt = DocxParagraph(p, None).paragraph_format
                    if fmt.line_spacing is None and (p.style is None or p.style != spacer):
                        _tighten(fmt)

    def _setup_section(self, section, landscape: bool) -> None:
        p = self.preset
        if landscape:
            section.orientation = WD_ORIENT.LANDSCAPE
            section.page_width, section.page_height = Mm(p.page_height_mm), Mm(p.page_width_mm)
        else:
            section.orientation = WD_ORIENT.PORTRAIT
            section.page_width, section.page_height = Mm(p.page_width_mm), Mm(p.page_height_mm)
        # the left margin is the inner (binding) one: the document mirrors margins (w:mirrorMargins), as the PDF does;
        # a landscape page is the portrait sheet turned, as in the PDF (presets.landscape_margins_mm)
        top, right, bottom, left = (p.landscape_margins_mm if landscape else
                                    (p.margin_top_mm, p.margin_right_mm, p.margin_bottom_mm, p.margin_left_mm))
        section.top_margin, section.bottom_margin = Mm(top), Mm(bottom)
        section.left_margin, section.right_margin = Mm(left), Mm(right)
        section.gutter = Mm(0)
        section.header_distance = Mm(min(15.0, top / 2))
        # The page number's dash lines sit footer_offset_mm below the type area; the footer distance is measured
        # from the paper edge to the bottom of the footer line, about half the type size below the dashes.
        below_dash_mm = 0.5 * p.page_number_pt * MM_PER_PT
        section.footer_distance = Mm(max(5.0, bottom - p.footer_offset_mm - below_dash_mm))

    def _setup_footers(self, section) -> None:
        """"— N —" at the outer edge, one character in: right on odd pages, left on even pages."""
        indent = Pt(self.preset.page_number_pt)
        odd = section.footer.paragraphs[0]
        self._style(odd, "Footer")
        odd.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        odd.paragraph_format.right_indent = indent
        page_number(odd)
        even = section.even_page_footer.paragraphs[0]
        self._style(even, "Footer")
        even.alignment = WD_ALIGN_PARAGRAPH.LEFT
        even.paragraph_format.left_indent = indent
        page_number(even)

    def _core_properties(self) -> None:
        reg = self.reg
        self._set_core_properties(reg.title, reg.number or "", reg.id, reg.version, _effective_datetime(reg))


# --- standalone forms ----------------------------------------------------------------------------------------

# A form has no date of its own: it carries the effective date of the regulation that states it (form_date); one
# that no regulation names carries no date in its properties, and its ZIP entries the earliest date ZIP knows.
ZIP_EPOCH = datetime(1980, 1, 1, tzinfo=timezone.utc)
COPY_LABEL_STYLE = "Copy Label"


class FormWriter(DocumentWriter):
    """Builds the python-docx Document of one form, alone: its own paper, one copy (联) after another.

    Every copy is a section of its own that starts on a new page; its label stands at the top right of each of
    its pages (the page header), so a copy that runs over two pages still says which copy it is. The form head
    (title, then company name, 表单编号, version and the serial number's blanks), the fields and the notes are
    those a regulation prints as its attachment. The footer names the form (number, id, version) and counts the
    pages: 第 x 页 共 y 页 with PAGE and NUMPAGES fields.
    """

    def __init__(self, project: Project, form: Form):
        # Type sizes of the compact preset: 10.5 pt (五号) in the tables, as printed forms are set.
        super().__init__(project, form.language, get_preset("compact"), Resolver(project, form.language))
        self.form = form
        self.landscape = form.orientation == "landscape"
        # The sheet, margins, type size and row height the PDF prints the form with (form_sheet.fit_sheet): a copy
        # that the PDF fits on one sheet by setting it denser is set as densely here.
        self.sheet = fit_sheet(form, project).paper
        self.page_mm = (self.sheet.width, self.sheet.height)
        self.margins_mm = (self.sheet.margin_top, self.sheet.margin_side, self.sheet.margin_bottom, self.sheet.binding)
        self._use_sheet(self.sheet)
        date = form_date(project, form)
        self.stamp = _date_time(date) if date else None

    @property
    def area_width_mm(self) -> float:
        top, right, bottom, left = self.margins_mm
        return self.page_mm[0] - left - right

    def _field_row_mm(self, field) -> float:
        if field.type == "multiline":  # the PDF's ruled lines and cell padding, on this sheet
            return max(self.field_row_mm, writing_lines_mm(self.sheet, field.attrs.get("lines", 3)) + 2 * self.sheet.pad_mm)
        return super()._field_row_mm(field)

    def build(self):
        form = self.form
        self._setup_styles()
        self._form_styles()
        self._setup_settings(odd_and_even=False)
        self._set_core_properties(form.title, form.number, form.id, form.version, self.stamp)
        for number, copy in enumerate(form.copies or [None]):
            if number == 0:
                section = self.doc.sections[0]
            else:
                section = self.doc.add_section(WD_SECTION.NEW_PAGE)
                # python-docx ends the previous section with an empty paragraph: keep it a hairline.
                self._style(self.doc.paragraphs[-1], TABLE_SPACER_STYLE)
            self._setup_page(section)
            self._page_header(section, copy)
            if number == 0:
                self._page_footer(section)  # the later copies' footers link to this one
            self._paragraph("Title", _xml_text(form.title))
            self._form(form)
        self._close_body()
        return self.doc

    def _form_styles(self) -> None:
        """A form is set tighter than a regulation, so that a copy fits its sheet whenever it can."""
        title = self.doc.styles["Title"]
        title.font.size = Pt(self.sheet.title_pt)  # the PDF's, smaller on a denser sheet
        title.paragraph_format.line_spacing = Pt(round(self.sheet.title_pt * 4 / 3))
        title.paragraph_format.space_after = Pt(4)
        caption = self.doc.styles[TABLE_CAPTION_STYLE].paragraph_format
        caption.space_before, caption.space_after = Mm(self.sheet.gap_mm + 0.5), Mm(self.sheet.caption_pad_mm)
        if self.sheet.tight >= 2:  # a denser sheet: cells as tight as the PDF's (its padding is a few tenths of a mm)
            _tighten(self.doc.styles[TABLE_TEXT_STYLE].paragraph_format)
        footer = self.doc.styles["Footer"]
        footer.paragraph_format.tab_stops.clear_all()  # the template's centre and right tabs are for Letter paper
        footer.font.size = Pt(9)
        footer.font.color.rgb = _GREY
        label = self._new_style(COPY_LABEL_STYLE, "Header", "heading", 12, bold=self.lang == "en")
        label.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.RIGHT

    def _setup_page(self, section) -> None:
        top, right, bottom, left = self.margins_mm
        section.orientation = WD_ORIENT.LANDSCAPE if self.landscape else WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Mm(self.page_mm[0]), Mm(self.page_mm[1])
        section.top_margin, section.right_margin = Mm(top + 3), Mm(right)  # the copy's label sits in the top margin
        section.bottom_margin, section.left_margin = Mm(bottom + 2), Mm(left)
        section.gutter = Mm(0)
        section.header_distance = Mm(top / 2)
        section.footer_distance = Mm(bottom / 2)
        restart_page_numbers(section)  # 第 1 页 on the first page of every copy

    def _page_header(self, section, copy) -> None:
        """The copy's label at the top right of each of its pages (nothing for a form printed once)."""
        header = section.header
        header.is_linked_to_previous = False
        paragraph = header.paragraphs[0]
        self._style(paragraph, COPY_LABEL_STYLE)
        if copy is not None:
            paragraph.add_run(_xml_text(copy.label))

    def _page_footer(self, section) -> None:
        """Form number, id and version at the left; 第 x 页 共 y 页 at the right."""
        form, s = self.form, self.s
        paragraph = section.footer.paragraphs[0]
        self._style(paragraph, "Footer")
        paragraph.paragraph_format.tab_stops.add_tab_stop(Mm(self.area_width_mm), WD_TAB_ALIGNMENT.RIGHT)
        gap = s["gap"]
        paragraph.add_run(_xml_text(gap.join([f"{s['form_number']}{s['colon']}{form.number}",
                                              f"{s['version']}{s['colon']}{form.version}"])) + "\t")
        before, middle, after = s["page_of"]  # 第 x 页 共 y 页, as the printed form PDF says it
        paragraph.add_run(before)
        _field(paragraph, "PAGE", "1")
        paragraph.add_run(middle)
        _field(paragraph, "SECTIONPAGES", "1")  # each copy counts its own pages
        if after:
            paragraph.add_run(after)


# --- helpers -------------------------------------------------------------------------------------------------

def _effective_datetime(reg: Regulation) -> datetime:
    return _date_time(reg.effective)


def _date_time(iso: str) -> datetime:
    year, month, day = (int(x) for x in iso.split("-"))
    return datetime(year, month, day, tzinfo=timezone.utc)


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _field(paragraph, instruction: str, shown: str) -> None:
    """A simple field (PAGE, NUMPAGES) with the value `shown` until the reader updates it."""
    def char(kind: str) -> None:
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), kind)
        paragraph.add_run()._r.append(element)

    char("begin")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    paragraph.add_run()._r.append(instr)
    char("separate")
    paragraph.add_run(shown)
    char("end")


def _field_lines(field) -> float:
    """Height of a field's row in lines to write on: a multiline field its `lines`, a signature one and a half."""
    if field.type == "multiline":
        return field.attrs.get("lines", 3)
    return 1.5 if field.type == "signature" else 1


def _choice_options(field) -> list[str]:
    """'☐ label' for every option of a choice field."""
    return [f"{_CHECKBOX} {o['label'] if isinstance(o, dict) else o}" for o in field.attrs["options"]]


def _serial_blank(pattern: str) -> str:
    """The serial number's pattern with a box for each digit to write: 'TH-{yyyy}-{seq:4}' → 'TH-□□□□-□□□□'."""
    def boxes(match) -> str:
        name = match.group(1)
        return _BOX * ({"yyyy": 4, "mm": 2, "dd": 2}.get(name) or int(name.split(":")[1]))

    return re.sub(r"\{(yyyy|mm|dd|seq:[1-9])\}", boxes, pattern)


# The elements of a run's properties (CT_RPr) that follow w:sz and w:szCs.
_AFTER_SZ_CS = ("w:highlight", "w:u", "w:effect", "w:bdr", "w:shd", "w:fitText", "w:vertAlign", "w:rtl", "w:cs",
                "w:em", "w:lang", "w:eastAsianLayout", "w:specVanish", "w:oMath")


def _tighten(fmt) -> None:
    """A form's table text on a denser sheet (tight 2 and up): single spacing, half a point above and below."""
    fmt.space_before = fmt.space_after = Pt(0.5)
    fmt.line_spacing = 1.0


def _property(text: str) -> str:
    """A document property as python-docx takes it: at most 255 characters (a longer title or number, pasted, is
    cut short there, with an ellipsis; the document itself prints it whole)."""
    return text if len(text) <= 255 else text[:254] + "…"


def _xml_text(text: str) -> str:
    """Text as XML can hold it: control characters (other than tab and newline) cannot be stored in a DOCX."""
    return _NOT_XML.sub("", text)


def _bookmark_names(reg: Regulation) -> dict[str, str]:
    """Word bookmark names (a letter first, then letters, digits and _, at most 40) for every article id."""
    names: dict[str, str] = {}
    used: set[str] = set()
    for article in reg.articles:
        base = ("art_" + re.sub(r"[^A-Za-z0-9_]", "_", article.id))[:36]
        name, n = base, 1
        while name in used:
            n += 1
            name = f"{base}_{n}"
        used.add(name)
        names[article.id] = name
    return names
