"""Printed regulations: read the PDF back and check what a reader (and GB/T 9704) would check."""

from __future__ import annotations

import shutil
from pathlib import Path

import pdfplumber
import pytest
from pypdf import PdfReader

from conftest import REPO, write_project
from pdftools import PT_TO_MM, embedded_fonts, lines, page_count
from policygen import build_project

CLOSING = set("。，、；：？！）》」』”’")
OPENING = set("（《「『“‘")


@pytest.fixture(scope="module")
def corpus_pdfs(corpus_output) -> Path:
    return corpus_output / "regulations"


def body_lines(path):
    """Lines of body text (16 pt), page numbers and headings excluded."""
    return [l for l in lines(path) if l.size == 16.0 and not l.text.startswith("—")]


def _is_cjk(text: str) -> bool:
    return all(ord(c) >= 0x2E80 for c in text)  # ideographs and full-width punctuation: one grid cell each


def test_gbt9704_grid_28_characters_per_line(corpus_pdfs):
    char_mm = 156 / 28
    body = [l for l in body_lines(corpus_pdfs / "customer-service.pdf") if _is_cjk(l.text)]
    slots = []
    for l in body:
        left = 28 if l.page % 2 else 26  # the binding margin alternates
        indent = round((l.x0_mm - left) / char_mm)
        slots.append(indent + len(l.text))
        assert l.x1_mm <= left + 156 + 0.2, (l.page, l.text)
    assert max(slots) == 28
    assert slots.count(28) > len(slots) / 3, slots  # every line that is not a paragraph's last is full


def test_gbt9704_grid_22_lines_per_page(corpus_pdfs):
    body = body_lines(corpus_pdfs / "steel-cs.pdf")
    pages: dict[int, list] = {}
    for l in body:
        pages.setdefault(l.page, []).append(l.baseline_mm)
    pitches = [round(b - a, 2) for tops in pages.values() for a, b in zip(tops, tops[1:])]
    assert max(set(pitches), key=pitches.count) == pytest.approx(225 / 22, abs=0.05)
    assert max(len(tops) for tops in pages.values()) == 22


def test_type_area_and_margins(corpus_pdfs):
    all_lines = lines(corpus_pdfs / "customer-service.pdf")
    text_lines = [l for l in all_lines if not l.text.startswith("—")]
    odd = [l for l in text_lines if l.page % 2 == 1 and l.size == 16.0]
    even = [l for l in text_lines if l.page % 2 == 0 and l.size == 16.0]
    assert min(l.x0_mm for l in odd) == pytest.approx(28, abs=0.3)  # binding margin on the left of recto pages
    assert min(l.x0_mm for l in even) == pytest.approx(26, abs=0.3)  # and on the right of verso pages
    assert min(l.top_mm for l in text_lines) >= 37 - 0.5
    assert max(l.top_mm for l in text_lines) <= 37 + 225


def test_page_numbers_at_the_outer_edge(corpus_pdfs):
    path = corpus_pdfs / "customer-service.pdf"
    numbers = {l.page: l for l in lines(path) if l.text.startswith("—")}
    assert set(numbers) == set(range(1, page_count(path) + 1))
    for page, l in numbers.items():
        assert l.text == f"— {page} —"
        assert l.size == 14.0
        assert l.top_mm > 37 + 225  # below the type area
        if page % 2:
            assert l.x1_mm == pytest.approx(210 - 26 - 5.571, abs=1.0)  # right, one character in
        else:
            assert l.x0_mm == pytest.approx(26 + 5.571, abs=1.0)  # left, one character in


def test_no_closing_punctuation_starts_a_line_and_no_opening_ends_one(corpus_pdfs):
    for name in ("customer-service.pdf", "steel-cs.pdf", "cs-staff-rules.pdf"):
        for l in lines(corpus_pdfs / name):
            assert l.text[0] not in CLOSING, (name, l.page, l.text)
            assert l.text[-1] not in OPENING, (name, l.page, l.text)


def test_fonts_and_sizes(corpus_pdfs):
    all_lines = lines(corpus_pdfs / "customer-service.pdf")
    title = all_lines[0]
    assert title.text == "客户服务管理制度" and title.size == 22.0
    assert title.x0_mm + title.x1_mm == pytest.approx(28 + 184, abs=1)  # centred in the type area
    body = body_lines(corpus_pdfs / "customer-service.pdf")
    assert any("fang" in f.lower() for l in body for f in l.fonts)
    heading = next(l for l in all_lines if l.text.startswith("第一章"))
    assert any("sans" in f.lower() or "hei" in f.lower() for f in heading.fonts)
    trad = body_lines(corpus_pdfs / "steel-cs.pdf")
    assert any("tc" in f.lower() for l in trad for f in l.fonts)


def test_metadata_and_outline(corpus_pdfs):
    reader = PdfReader(corpus_pdfs / "customer-service.pdf")
    assert reader.metadata.title == "客户服务管理制度"
    assert reader.metadata.author == "XXX有限公司"
    assert reader.trailer["/Root"]["/Lang"] == "zh-Hans"

    def titles(outline):
        for item in outline:
            if isinstance(item, list):
                yield from titles(item)
            else:
                yield item.title

    found = list(titles(reader.outline))
    for chapter in ("第一章　总则", "第四章　客户投诉管理", "第六章　附则", "附表1　客户投诉处理流程", "附表2　客户投诉处理表"):
        assert chapter in found, found


def test_every_article_is_printed_in_order(corpus_pdfs):
    text = "".join(l.text for l in lines(corpus_pdfs / "customer-service.pdf"))
    from policygen.language import article_label

    positions = [text.find(article_label(n, "zh-Hans") + "　") for n in range(1, 37)]
    assert -1 not in positions and positions == sorted(positions)
    assert "[[" not in text


def test_attachment_starts_a_new_page(corpus_pdfs):
    all_lines = lines(corpus_pdfs / "customer-service.pdf")
    heading = next(l for l in all_lines if l.text.startswith("附表1"))
    first_on_page = min((l for l in all_lines if l.page == heading.page), key=lambda l: l.top_mm)
    assert first_on_page is heading


def test_long_table_repeats_its_header_and_keeps_rows_whole(tmp_path):
    register = """\
        kind: form
        id: register
        title: 登记簿
        number: T-002
        version: "1.0"
        sections:
          - fields:
              - {id: rows, type: table, label: 登记, rows: 60, columns: [{id: date, label: 登记日期}, {id: who, label: 登记人员}]}
        """
    base = (REPO / "tests" / "conftest.py")  # noqa: F841 (the base documents come from conftest)
    root = write_project(tmp_path, {"register.yaml": register},
                         project_file="project: 测试\noutputs: [pdf]\n")
    reg = root / "policies" / "base.yaml"
    reg.write_text(reg.read_text(encoding="utf-8") + "attachments: [{form: register}]\n", encoding="utf-8")
    result = build_project(root)
    assert result.ok, [str(d) for d in result.diagnostics.items]
    path = root / "output" / "regulations" / "base.pdf"
    header_pages = {l.page for l in lines(path) if "登记日期" in l.text}
    attachment_page = next(l.page for l in lines(path) if l.text.startswith("附表1"))
    assert len(header_pages) >= 2 and min(header_pages) == attachment_page
    assert header_pages == set(range(attachment_page, page_count(path) + 1))


def test_a_character_no_font_has_is_an_error_with_its_place(tmp_path):
    rare = """\
        kind: regulation
        id: rare
        title: 生僻字
        version: "1.0"
        effective: "2026-01-01"
        chapters:
          - title: 总则
            articles:
              - {id: purpose, text: "本条含有一个生僻字𪚥。"}
        """
    root = write_project(tmp_path, {"rare.yaml": rare}, project_file="project: 测试\noutputs: [pdf]\n")
    result = build_project(root)
    errors = result.diagnostics.errors
    assert [d.code for d in errors] == ["PG-RENDER-002"]
    assert "'𪚥' (U+2A6A5)" in errors[0].message
    assert (errors[0].file, errors[0].line) == ("policies/rare.yaml", 9)
    assert not (root / "output").exists()


def test_compact_preset(tmp_path):
    root = write_project(tmp_path, project_file="project: 测试\noutputs: [pdf]\npreset: compact\n")
    long = "本制度适用于本公司全体员工，各部门应认真遵守执行，并结合实际情况制定实施细则报总经理办公室备案。" * 2
    reg = root / "policies" / "base.yaml"
    reg.write_text(reg.read_text(encoding="utf-8").replace("为规范管理，特制定本制度。", long), encoding="utf-8")
    assert build_project(root).ok
    body = [l for l in lines(root / "output" / "regulations" / "base.pdf") if l.size == 12.0]
    assert max(len(l.text) for l in body) == 37


def test_project_can_override_the_page_stylesheet(tmp_path):
    root = write_project(tmp_path, project_file="project: 测试\noutputs: [pdf]\n")
    (root / "templates" / "pdf").mkdir(parents=True)
    original = (REPO / "templates" / "pdf" / "page.css.j2").read_text(encoding="utf-8")
    (root / "templates" / "pdf" / "page.css.j2").write_text(original + "\nh1 { font-size: 30pt; }\n", encoding="utf-8")
    assert build_project(root).ok
    assert lines(root / "output" / "regulations" / "base.pdf")[0].size == 30.0


def _one_glyph_font(path: Path, char: str) -> None:
    """A tiny real font whose only glyph (a square) is `char`."""
    from fontTools.fontBuilder import FontBuilder
    from fontTools.pens.ttGlyphPen import TTGlyphPen

    pen = TTGlyphPen(None)
    pen.moveTo((100, 0)), pen.lineTo((100, 700)), pen.lineTo((900, 700)), pen.lineTo((900, 0)), pen.closePath()
    square, empty = pen.glyph(), TTGlyphPen(None).glyph()
    fb = FontBuilder(1000, isTTF=True)
    fb.setupGlyphOrder([".notdef", "piece"])
    fb.setupCharacterMap({ord(char): "piece"})
    fb.setupGlyf({".notdef": empty, "piece": square})
    fb.setupHorizontalMetrics({".notdef": (1000, 0), "piece": (1000, 100)})
    fb.setupHorizontalHeader(ascent=880, descent=-120)
    fb.setupNameTable({"familyName": "Test Piece", "styleName": "Regular"})
    fb.setupOS2(sTypoAscender=880, sTypoDescender=-120, usWinAscent=880, usWinDescent=120)
    fb.setupPost()
    fb.save(str(path))


def test_project_font_files_cover_what_the_built_in_fonts_lack(tmp_path):
    chess = "♔"
    root = write_project(tmp_path, project_file="project: 测试\noutputs: [pdf]\n")
    reg = root / "policies" / "base.yaml"
    reg.write_text(reg.read_text(encoding="utf-8").replace("特制定本制度。", f"特制定本制度{chess}。"), encoding="utf-8")
    assert [d.code for d in build_project(root).diagnostics.errors] == ["PG-RENDER-002"]

    (root / "fonts").mkdir()
    _one_glyph_font(root / "fonts" / "piece.ttf", chess)
    (root / "policygen.yaml").write_text("project: 测试\noutputs: [pdf]\nfonts:\n  - {file: fonts/piece.ttf}\n", encoding="utf-8")
    result = build_project(root)
    assert result.ok, [str(d) for d in result.diagnostics.items]
    line = next(l for l in lines(root / "output" / "regulations" / "base.pdf") if chess in l.text)
    assert any("pg-user-0" in f for f in line.fonts)  # drawn by the project's font, not silently dropped

    # the same font as WOFF2 (allowed in policygen.yaml; unpacked, then cut like the others: HarfBuzz reads no WOFF)
    from fontTools.ttLib import TTFont

    woff2 = TTFont(root / "fonts" / "piece.ttf")
    woff2.flavor = "woff2"
    woff2.save(root / "fonts" / "piece.woff2")
    (root / "policygen.yaml").write_text("project: 测试\noutputs: [pdf]\nfonts:\n  - {file: fonts/piece.woff2}\n",
                                         encoding="utf-8")
    result = build_project(root)
    assert result.ok, [str(d) for d in result.diagnostics.items]
    line = next(l for l in lines(root / "output" / "regulations" / "base.pdf") if chess in l.text)
    assert any("pg-user-0" in f for f in line.fonts)


def test_weasyprint_speedups_stand_down_to_the_same_pages(tmp_path, monkeypatch):
    """Each patch of render/weasyprint_speedups.py is installed only over the WeasyPrint code it was written for
    (and the subsetting one only without the system's libharfbuzz-subset); where it stands down, as it would on
    another WeasyPrint, the pages are the same: every line read back (page, position, size, fonts, text)."""
    from weasyprint.layout import page
    from weasyprint.pdf import fonts

    from policygen import load_project
    from policygen.render import pdf, weasyprint_speedups
    from policygen.render.html import environment

    project = load_project(REPO).project
    reg = project.regulations["customer-service"]
    markup = pdf.regulation_html(environment(project), project, reg)
    installed = weasyprint_speedups.install()  # whatever this machine allows: both, or page styles only
    assert installed["subset"] == getattr(fonts.Font.subset, "policygen", False)
    assert installed["page_styles"] == getattr(page.set_page_type_computed_styles, "policygen", False)
    if fonts.harfbuzz_subset is not None:
        assert not installed["subset"]  # WeasyPrint has the system subsetter: nothing to speed up
    pdf.write_pdf(pdf.render(project, markup, reg.language), tmp_path / "patched.pdf")

    # Unpatched WeasyPrint, and every patch's shape check failing, as on a WeasyPrint with other code:
    for owner, name in ((fonts.Font, "subset"), (page, "set_page_type_computed_styles")):
        function = getattr(owner, name)
        monkeypatch.setattr(owner, name, getattr(function, "policygen_original", function))
    for patch, shapes in weasyprint_speedups.SHAPES.items():
        monkeypatch.setitem(weasyprint_speedups.SHAPES, patch, {where: "0" * 16 for where in shapes})
    assert weasyprint_speedups.install() == {"subset": False, "page_styles": False}
    assert not getattr(fonts.Font.subset, "policygen", False)
    pdf.write_pdf(pdf.render(project, markup, reg.language), tmp_path / "weasyprint.pdf")
    patched, own = lines(tmp_path / "patched.pdf"), lines(tmp_path / "weasyprint.pdf")
    assert len(patched) > 200 and patched == own


def test_the_subsetting_patch_stands_down_where_weasyprint_has_the_system_subsetter(monkeypatch):
    from weasyprint.pdf import fonts

    from policygen.render import weasyprint_speedups

    function = fonts.Font.subset
    monkeypatch.setattr(fonts.Font, "subset", getattr(function, "policygen_original", function))
    monkeypatch.setattr(fonts, "harfbuzz_subset", object())  # what WeasyPrint finds with libharfbuzz-subset0
    assert weasyprint_speedups.install()["subset"] is False
    assert not getattr(fonts.Font.subset, "policygen", False)


def test_the_speedups_know_the_weasyprint_they_are_pinned_to():
    """pyproject.toml pins the WeasyPrint minor release whose code the patches were checked against: the shapes
    must match it (a pin moved without checking the patches fails here, not silently slow)."""
    import weasyprint

    from policygen.render import weasyprint_speedups

    assert weasyprint.__version__.startswith("70.")
    assert all(weasyprint_speedups.shape_matches(patch) for patch in weasyprint_speedups.SHAPES)


def test_an_attached_form_stays_inside_the_type_area(corpus_pdfs):
    """customer-service attaches the complaint form: its grid keeps to the 156 mm type area, labels to their
    column, dates on one line (with the regulation's table layout, long blanks pushed it off the page)."""
    with pdfplumber.open(corpus_pdfs / "customer-service.pdf") as pdf:
        pages = [p for p in pdf.pages if "客户名称" in (p.extract_text() or "") or "结案日期" in (p.extract_text() or "")]
        assert pages
        for page in pages:
            left = 28 if page.page_number % 2 else 26
            right = (left + 156 + 0.5) / PT_TO_MM
            assert all(r["x1"] <= right for r in page.rects + page.lines), page.page_number
            assert all(c["x1"] <= right for c in page.chars), page.page_number
            text = page.extract_text()
            assert "客户名称" not in text or any("客户名称" in line for line in text.splitlines())  # one line, not 客户/名称
            dates = [line for line in text.splitlines() if "年" in line and "月" in line]
            assert all("日" in line for line in dates), dates  # 年 月 日 never broken across lines


def test_every_character_is_drawn_with_a_policygen_face(corpus_pdfs):
    """Each PDF is laid out with font subsets cut for its characters: a character missing from them would be
    drawn by some system font (or as a box), so every character must come from one of policygen's faces."""
    for path in sorted(corpus_pdfs.glob("*.pdf")):
        with pdfplumber.open(path) as pdf:
            faces = {c["fontname"].split("+")[-1] for page in pdf.pages for c in page.chars}
        assert faces and all(face.startswith("pg-") for face in faces), (path.name, faces)


def _dash_stroke_mm(path) -> dict[int, float]:
    """Per page, how far below the top of the page the stroke of the page number's dash lies (its glyph's middle,
    read from the embedded face)."""
    import io

    from fontTools.pens.boundsPen import BoundsPen
    from fontTools.ttLib import TTFont

    faces = {name: TTFont(io.BytesIO(data)) for name, data in embedded_fonts(path).items()}
    out = {}
    with pdfplumber.open(path) as pdf:
        for number, page in enumerate(pdf.pages, start=1):
            dash = next(c for c in page.chars if c["text"] == "—" and c["top"] * PT_TO_MM > 262)
            face = faces[dash["fontname"].split("+")[-1]]
            pen = BoundsPen(face.getGlyphSet())
            face.getGlyphSet()[face.getBestCmap()[ord("—")]].draw(pen)
            middle_em = (pen.bounds[1] + pen.bounds[3]) / 2 / face["head"].unitsPerEm
            baseline = page.height - dash["matrix"][5]
            out[number] = (baseline - middle_em * dash["size"]) * PT_TO_MM
    return out


@pytest.mark.parametrize("name", ["customer-service.pdf", "steel-cs.pdf"])
def test_page_number_dashes_7_mm_below_the_type_area(corpus_pdfs, name):
    """GB/T 9704 7.5: 一字线上距版心下边缘 7 mm."""
    for page, stroke in _dash_stroke_mm(corpus_pdfs / name).items():
        assert stroke - (37 + 225) == pytest.approx(7, abs=0.5), (name, page)


@pytest.mark.parametrize("name", ["customer-service.pdf", "steel-cs.pdf", "cs-staff-rules.pdf"])
def test_every_line_but_a_paragraphs_last_is_flush_with_the_right_edge(corpus_pdfs, name):
    """A Chinese page is flush on both sides: a line followed by a line of the same paragraph (one that starts at
    the type area's left edge, not indented) ends on the right edge of the type area, ±0.5 mm."""
    checked, short = 0, []
    all_lines = body_lines(corpus_pdfs / name)
    for line, following in zip(all_lines, all_lines[1:]):
        left = 28 if line.page % 2 else 26  # the binding edge alternates
        if line.page != following.page or line.x0_mm < left - 0.5 or line.x0_mm > left + 12:
            continue  # the last line of a page, or a centred heading
        if abs(following.x0_mm - left) < 0.5:
            checked += 1
            if abs(line.x1_mm - (left + 156)) > 0.5:
                short.append((line.page, round(left + 156 - line.x1_mm, 2), line.text[-10:]))
    assert checked > 20 and not short, short[:10]


def _attachment_pages(path) -> dict[str, int]:
    """{附表N heading: pages from it to the next attachment (or the end)}."""
    all_lines = lines(path)
    starts = [(l.text, l.page) for l in all_lines if l.text.startswith("附表") and l.x0_mm < 45]
    last = max(l.page for l in all_lines)
    return {text: (starts[k + 1][1] if k + 1 < len(starts) else last + 1) - page for k, (text, page) in enumerate(starts)}


def test_an_attached_form_that_fits_the_type_area_prints_on_one_page(corpus_pdfs):
    """cs-staff-rules attaches four landscape weekly forms: each on one page of the turned type area (225 × 156 mm,
    smaller than their own A4 sheet), at the density that fits it there; a register among them prints fewer blank
    rows rather than spill a line onto a page of its own."""
    pages = _attachment_pages(corpus_pdfs / "cs-staff-rules.pdf")
    assert len(pages) == 4 and set(pages.values()) == {1}, pages


def test_the_step_table_keeps_a_deadline_and_a_department_on_one_line(corpus_pdfs):
    """时限 is a rule's value (每月10日前) and 责任部门 a name (总经理办公室): their columns are as wide as they need."""
    with pdfplumber.open(corpus_pdfs / "customer-service.pdf") as pdf:
        text = "\n".join(page.extract_text() or "" for page in pdf.pages)
    row = next(line for line in text.splitlines() if "审视上月份结案" in line)
    assert "总经理办公室" in row and "每月10日前" in row, row
