"""The DOCX printed by LibreOffice, with the faces policygen ships (tests/office.py): every corpus DOCX on as many
pages as its PDF (±1), every article printed, a form's copies each numbering their own pages, the margins mirrored
as in the PDF."""

from __future__ import annotations

import shutil

import pdfplumber
import pytest

from conftest import REPO
from office import convert_to_pdf
from pdftools import PT_TO_MM
from policygen import build_project, load_project
from policygen.language import article_label


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


# Known gap, issue 16 (open): a regulation with a flowchart. The PDF moves a chart that does not fit to the next
# page whole; the DOCX image is smaller and flows, so cs-handbook is 7 pages in PDF and 5 in DOCX.
KNOWN_GAP = {"cs-handbook"}


def _page_counts(printed) -> dict:
    out, converted, _ = printed
    counts = {}
    for stem, path in converted.items():
        pdf = next(p for p in (out / "regulations" / f"{stem}.pdf", out / "forms" / f"{stem}.pdf") if p.is_file())
        with pdfplumber.open(pdf) as a, pdfplumber.open(path) as b:
            counts[stem] = (len(a.pages), len(b.pages))
    return counts


def test_every_docx_prints_on_as_many_pages_as_its_pdf(printed):
    counts = {k: v for k, v in _page_counts(printed).items() if k not in KNOWN_GAP}
    assert all(abs(a - b) <= 1 for a, b in counts.values()), {k: v for k, v in counts.items() if abs(v[0] - v[1]) > 1}


@pytest.mark.xfail(strict=True, reason="issue 16 (open): a flowchart moves whole to the next page in the PDF only")
def test_a_docx_with_a_flowchart_prints_on_as_many_pages_as_its_pdf(printed):
    counts = _page_counts(printed)
    assert all(abs(counts[k][0] - counts[k][1]) <= 1 for k in KNOWN_GAP), {k: counts[k] for k in KNOWN_GAP}


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
