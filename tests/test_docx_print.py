"""The DOCX printed by LibreOffice, with the faces policygen ships (tests/office.py): every corpus DOCX on as many
pages as its PDF (±1), every article printed, a form's copies each numbering their own pages, the margins mirrored
as in the PDF, a rule's value never split across lines, Word told not to space Han characters and figures apart, a
flowchart at the PDF's size with its step table's first rows kept together."""

from __future__ import annotations

import re
import shutil

import pdfplumber
import pytest

from conftest import REPO
from office import convert_to_pdf
from pdftools import PT_TO_MM, cell_breaks, form_labels
from policygen import build_project, load_project
from policygen.language import article_label, format_target
from policygen.render.flowchart import step_table


@pytest.fixture(scope="module")
def printed(tmp_path_factory):
    root = tmp_path_factory.mktemp("docx-print")
    shutil.copytree(REPO / "policies", root / "policies")
    (root / "policygen.yaml").write_text("project: 测试\noutputs: [pdf, docx]\n", encoding="utf-8")
    result = build_project(root, jobs=2)
    assert result.ok, [str(d) for d in result.diagnostics.items]
    out = root / "output"
    docx = sorted(out.glob("regulations/*.docx")) + sorted(out.glob("forms/*.docx"))
    converted = convert_to_pdf(docx, tmp_path_factory.mktemp("converted"))
    return out, converted, load_project(root).project


def _pages(path) -> list[str]:
    with pdfplumber.open(path) as pdf:
        return ["".join((page.extract_text() or "").split()) for page in pdf.pages]


def _page_counts(printed) -> dict:
    out, converted, _ = printed
    counts = {}
    for stem, path in converted.items():
        pdf = next(p for p in (out / "regulations" / f"{stem}.pdf", out / "forms" / f"{stem}.pdf") if p.is_file())
        with pdfplumber.open(pdf) as a, pdfplumber.open(path) as b:
            counts[stem] = (len(a.pages), len(b.pages))
    return counts


def test_every_docx_prints_on_as_many_pages_as_its_pdf(printed):
    """cs-handbook holds a flowchart too tall for what is left of its page: both move it to the next page whole."""
    counts = _page_counts(printed)
    assert "cs-handbook" in counts
    assert all(abs(a - b) <= 1 for a, b in counts.values()), {k: v for k, v in counts.items() if abs(v[0] - v[1]) > 1}


def test_labels_and_column_headings_break_only_between_words(printed):
    """As in the PDF (test_form_layout): Word's cells are as wide and as padded as the PDF's, and a label or heading
    that takes two lines has its line breaks placed between words (客户签名（盖章） fits; never 服务凭证/号)."""
    _, converted, project = printed
    labels = form_labels(project)
    seen, broken = 0, []
    for stem, path in converted.items():
        found, bad = cell_breaks(path, labels)
        seen += found
        broken += [(stem, *b) for b in bad]
    assert seen > 300 and not broken, broken[:10]


def _rows(page) -> list[list[dict]]:
    """The printed characters of a page by line (one list per baseline, left to right)."""
    rows: list[list[dict]] = []
    for ch in sorted((c for c in page.chars if c["text"].strip() and c["text"] != "\u2060"),
                     key=lambda c: (round(c["top"]), c["x0"])):
        if rows and abs(ch["top"] - rows[-1][0]["top"]) < 0.3 * ch["size"]:
            rows[-1].append(ch)
        else:
            rows.append([ch])
    return [sorted(r, key=lambda c: c["x0"]) for r in rows]


def test_a_rule_value_prints_on_one_line(printed):
    """ "3个工作日", "6日", "不低于95%" as the PDF keeps them (.ref-rule: nowrap): no line ends inside one."""
    _, converted, project = printed
    values = {format_target(rule.target_on(None), lang) for rule in project.rules.values()
              for lang in ("zh-Hans", "zh-Hant")}
    values = {v for v in values if len(v) > 1}
    found, split = 0, []
    for stem, path in converted.items():
        with pdfplumber.open(path) as pdf:
            text = "|".join("".join(c["text"] for c in row) for page in pdf.pages for row in _rows(page))
        for value in values:
            for match in re.finditer("\\|?".join(map(re.escape, value)), text):
                found += 1
                if "|" in match.group(0):
                    split.append((stem, match.group(0)))
    assert found > 10 and not split, (found, split)


def test_word_is_told_not_to_space_han_and_figures_and_the_text_stays_clean(printed):
    """Word and WPS read w:autoSpaceDE/DN="0" (document defaults and Normal) and print "3个工作日" without a gap.
    LibreOffice ignores them and keeps a small gap (render/ooxml.py, no_autospace, says why the text is not filled
    with joiners to stop it): the text people edit holds no invisible characters but inside a rule's value."""
    import docx as python_docx
    from docx.oxml.ns import qn

    out, converted, _ = printed
    for stem in converted:
        path = next(out.glob(f"*/{stem}.docx"))
        document = python_docx.Document(path)
        defaults = document.styles.element.find(qn("w:docDefaults")).find(qn("w:pPrDefault")).find(qn("w:pPr"))
        normal = document.styles["Normal"].element.find(qn("w:pPr"))
        for p_pr in (defaults, normal):
            assert [p_pr.find(qn(t)).get(qn("w:val")) for t in ("w:autoSpaceDE", "w:autoSpaceDN")] == ["0", "0"], stem
        for run in document.element.body.iter(qn("w:r")):
            text = "".join(t.text or "" for t in run.iter(qn("w:t")))
            if "\u2060" in text:
                lang = run.find(qn("w:rPr")).find(qn("w:lang"))
                assert lang is not None and lang.get(qn("w:eastAsia")) == "zxx", (stem, text)  # a kept-together value


def test_a_flowchart_prints_at_the_size_of_the_pdf_and_its_steps_start_together(printed):
    out, converted, project = printed
    with pdfplumber.open(out / "regulations" / "cs-handbook.pdf") as pdf:
        frames = [r for page in pdf.pages for r in page.rects if r["height"] > 300]  # the chart's frame
    with pdfplumber.open(converted["cs-handbook"]) as pdf:
        images = [(n, im) for n, page in enumerate(pdf.pages) for im in page.images]
        pages = ["".join((page.extract_text() or "").split()) for page in pdf.pages]
    assert len(frames) == 1 and len(images) == 1
    frame, (number, image) = frames[0], images[0]
    assert image["height"] * PT_TO_MM == pytest.approx(frame["height"] * PT_TO_MM, abs=1.0)
    assert image["top"] >= 0  # on its page, not drawn up over the text before it
    proc = project.procedures["school-onboarding"]
    view = step_table(project, proc, proc.language)
    header = "".join(view["header"])
    table_page = next(i for i, page in enumerate(pages) if header in page)
    second = "2." + view["rows"][1]["name"].raw[:4]
    assert second in pages[table_page], "the step table starts at a page's foot with one row"


def test_libreoffice_prints_every_article_in_the_shipped_faces(printed):
    _, converted, _ = printed
    pages = _pages(converted["customer-service"])
    text = "".join(pages)
    position = 0
    for n in range(1, 37):
        found = text.find(article_label(n, "zh-Hans"), position)
        assert found >= 0, f"{article_label(n, 'zh-Hans')} is missing from the printed DOCX"
        position = found
    attachment = next(i for i, page in enumerate(pages) if page.startswith("附表1客户投诉处理流程"))
    assert attachment > 0 and "第三十六条" not in pages[attachment]
    assert "1,000元以下（含）" in text and f"—{len(pages)}—" in pages[-1] and "—1—" in pages[0]
    with pdfplumber.open(converted["customer-service"]) as pdf:
        fonts = {c["fontname"].split("+")[-1] for c in pdf.pages[0].chars}
    assert any("Fandol" in f for f in fonts), fonts  # 仿宋 resolved to the shipped FandolFang


def test_margins_mirror_as_in_the_pdf(printed):
    """Body text starts 28 mm from the left edge on odd pages (the binding edge) and 26 mm on even pages."""
    _, converted, _ = printed
    with pdfplumber.open(converted["customer-service"]) as pdf:
        for number, page in enumerate(pdf.pages[:4], start=1):
            lefts = [c["x0"] * PT_TO_MM for c in page.chars if c["size"] > 15]
            assert min(lefts) == pytest.approx(28 if number % 2 else 26, abs=0.6), number


def test_each_copy_of_a_form_numbers_its_own_pages(printed):
    _, converted, project = printed
    pages = _pages(converted["product-return"])
    labels = [c.label.replace(" ", "") for c in project.forms["product-return"].copies]
    assert len(pages) == len(labels)  # each copy fits its sheet
    for page, label in zip(pages, labels):
        assert page.startswith(label + "产品退货单"), page[:30]
        assert "第1页共1页" in page  # not 第2页 共4页 on the second copy
