"""Blank forms on paper and on screen: read the PDFs back and check what the person filling them in sees."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pdfplumber
import pytest
from pypdf import PdfReader

from conftest import REPO, write_project
from pdftools import PT_TO_MM, embedded_fonts, lines, page_count
from policygen import build_project, load_project
from test_form_sheets import _register_rows


@pytest.fixture(scope="module")
def forms(corpus_output) -> Path:
    return corpus_output / "forms"


@pytest.fixture(scope="module")
def corpus():
    return load_project(REPO).project


def test_every_corpus_form_has_a_pdf_and_a_fillable_pdf(forms, corpus):
    for form_id in corpus.forms:
        assert (forms / f"{form_id}.pdf").is_file() and (forms / f"{form_id}.fillable.pdf").is_file()


def test_copies_each_on_their_own_pages_in_order_with_their_label(forms, corpus):
    form = corpus.forms["product-return"]
    path = forms / "product-return.pdf"
    assert page_count(path) == 4  # copies × pages per copy (one page each)
    with pdfplumber.open(path) as pdf:
        for page, copy in zip(pdf.pages, form.copies):
            strip = [c for c in page.chars if c["x0"] > page.width - 15 / PT_TO_MM]  # in the right margin
            label = "".join(c["text"] for c in sorted(strip, key=lambda c: c["top"]))
            assert label == copy.label.replace(" ", "")
            assert "第1页 共1页" in page.extract_text()


def test_a_register_fills_one_sheet_under_its_running_header(forms):
    """The register (rows: fill) is one sheet; a register longer than a sheet repeats its heading row on every page
    (test_form_sheets.py::test_a_register_longer_than_a_sheet_prints_every_row_and_is_warned_about)."""
    path = forms / "service-register.pdf"
    assert page_count(path) == 1
    with pdfplumber.open(path) as pdf:
        text = pdf.pages[0].extract_text()
        assert "表单编号：KF-QR-001" in text and "服务登记簿" in text  # running header
        assert "第1页 共1页" in text and "客户名称" in text


def test_rating_grid_has_a_box_per_criterion_and_level(forms):
    with pdfplumber.open(forms / "customer-survey.pdf") as pdf:
        boxes = sum(1 for page in pdf.pages for c in page.chars if c["text"] == "☐")
    # 4 criteria × 4 levels, plus the options of the survey's two choice fields (2 + 2)
    assert boxes == 16 + 4


def test_register_prints_its_blank_rows(tmp_path):
    register = """\
        kind: form
        id: register
        title: 登记簿
        number: T-002
        version: "1.0"
        paper: {size: A5, orientation: landscape}
        sections:
          - fields:
              - {id: rows, type: table, label: 登记, rows: 30, columns: [{id: date, label: 登记日期}, {id: who, label: 登记人员}]}
        """
    root = write_project(tmp_path, {"register.yaml": register}, project_file="project: 测试\noutputs: [pdf]\n")
    (root / "policies" / "base.yaml").write_text(
        (root / "policies" / "base.yaml").read_text(encoding="utf-8") + "attachments: [{form: register}]\n", encoding="utf-8")
    assert build_project(root).ok
    path = root / "output" / "forms" / "register.pdf"
    with pdfplumber.open(path) as pdf:
        assert (round(pdf.pages[0].width * PT_TO_MM), round(pdf.pages[0].height * PT_TO_MM)) == (210, 148)  # A5 landscape
    assert sum(_register_rows(path, "登记日期")) == 30  # all of them, over as many sheets as they take


@pytest.mark.parametrize("form_id", ["complaint-form", "service-register", "customer-survey", "product-return", "offsite-service-request"])
def test_nothing_crosses_the_margins(forms, form_id):
    with pdfplumber.open(forms / f"{form_id}.pdf") as pdf:
        for page in pdf.pages:
            right = page.width - 15 / PT_TO_MM + 0.5
            label_strip = page.width - 15 / PT_TO_MM
            for rect in page.rects + page.lines:
                if rect["x0"] < label_strip:
                    assert rect["x1"] <= right, (form_id, rect["x1"] * PT_TO_MM)
            for ch in page.chars:
                if ch["x0"] < label_strip:
                    assert ch["x1"] <= right, (form_id, ch["text"], ch["x1"] * PT_TO_MM)


@pytest.mark.parametrize("form_id", ["product-return", "complaint-form", "customer-survey", "service-register"])
def test_no_fillable_field_crosses_its_table(forms, form_id):
    """Every field's box ends inside the type area (the item grid's fields once ran past its right edge)."""
    reader = PdfReader(forms / f"{form_id}.fillable.pdf")
    widgets = 0
    for page in reader.pages:
        right = float(page.mediabox.width) - 12 / PT_TO_MM + 0.5  # the smaller side margin (B5, A5)
        for annotation in page.get("/Annots") or []:
            annotation = annotation.get_object()
            if annotation.get("/Subtype") == "/Widget":
                widgets += 1
                assert float(annotation["/Rect"][2]) <= right, (form_id, annotation.get("/T"), annotation["/Rect"])
    assert widgets


def test_fillable_pdf_fields_are_named_after_the_field_ids(forms):
    fields = PdfReader(forms / "customer-survey.fillable.pdf").get_fields()
    assert fields["customer"]["/FT"] == "/Tx"
    assert fields["service-date"]["/FT"] == "/Tx"
    rating = [name for name in fields if name.startswith("rating_") and "." not in name]  # "." joins a radio's kids
    assert len(rating) == 4 and all(fields[name]["/FT"] == "/Btn" for name in rating)  # one radio group per criterion
    assert fields["feedback"]["/FT"] == "/Tx"  # multiline: a text area
    assert fields["respondent_name"]["/FT"] == "/Tx" and fields["respondent_date"]["/FT"] == "/Tx"  # signature and date
    product = PdfReader(forms / "product-return.fillable.pdf").get_fields()
    assert product["handling"]["/FT"] == "/Btn"  # single choice: a radio group
    assert {"items_1_product", "items_5_amount", "total", "total_capital"} <= set(product)
    with pdfplumber.open(forms / "product-return.fillable.pdf") as pdf:  # one form on screen, not one per copy
        assert not [c for page in pdf.pages for c in page.chars if c["x0"] > page.width - 15 / PT_TO_MM]


def test_fillable_pdf_carries_the_whole_body_face_for_what_users_type(forms):
    from fontTools.ttLib import TTFont

    body = TTFont(io.BytesIO(embedded_fonts(forms / "customer-survey.fillable.pdf")["pg-fang-sc"]))
    assert {"鑫", "龚", "曦"} <= {chr(c) for c in body.getBestCmap()}  # in no form, typed by someone one day
    printed = TTFont(io.BytesIO(embedded_fonts(forms / "customer-survey.pdf")["pg-fang-sc"]))
    assert "鑫" not in {chr(c) for c in printed.getBestCmap()}  # the printed form keeps only what it draws
