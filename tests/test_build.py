"""Building: text is data, a failed build changes nothing, templates are sandboxed and overridable."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from policygen import build_project

HOSTILE = """\
kind: regulation
id: hostile
title: "<script>alert(1)</script>制度"
version: "1.0"
effective: "2026-01-01"
chapters:
  - title: "{{ 7*7 }}"
    articles:
      - id: purpose
        text: "{{ 7*7 }} {% raw %} <script>alert('x')</script> &amp; [[form:request]]"
"""


def page(root: Path, rel: str) -> str:
    return (root / "output" / rel).read_text(encoding="utf-8")


def visible_text(markup: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", markup))


def test_text_is_printed_literally_and_escaped(project):
    root = project({"hostile.yaml": HOSTILE})
    result = build_project(root)
    assert result.ok, result.diagnostics.items
    markup = page(root, "regulations/hostile.html")
    assert "{{ 7*7 }}" in markup and "49" not in markup.split("</style>", 1)[1]  # (the fonts' data may hold 49)
    assert "<script>" not in markup
    assert "&lt;script&gt;alert(1)&lt;/script&gt;制度" in markup
    text = visible_text(markup)
    assert "{{ 7*7 }} {% raw %} <script>alert('x')</script> &amp; 《申请单》" in text


def test_numbering_and_references_are_computed(project):
    root = project()
    assert build_project(root).ok
    text = visible_text(page(root, "regulations/base.html"))
    assert "第一章　总则" in text and "第二章　程序" in text
    assert "第三条　依第二条填写《申请单》。" in text
    assert "本制度适用于销售部，期限见3个工作日，审批见《审批权限表》。" in text
    # the 附则 is generated from the metadata when the author did not write it
    assert "第三章　附则" in text
    assert "第四条　本制度由测试有限公司负责解释。" in text
    assert "第五条　本制度自2026年1月1日起施行。" in text
    index = visible_text(page(root, "index.html"))
    for title in ("测试管理制度", "申请单", "测试时限", "审批权限表"):
        assert title in index


def test_inserting_an_article_renumbers_references(project):
    root = project()
    base = (root / "policies" / "base.yaml").read_text(encoding="utf-8")
    inserted = base.replace("      - id: scope\n", "      - id: inserted\n        text: 新增条款。\n      - id: scope\n")
    (root / "policies" / "base.yaml").write_text(inserted, encoding="utf-8")
    assert build_project(root).ok
    assert "第四条　依第三条填写《申请单》。" in visible_text(page(root, "regulations/base.html"))


def test_a_failed_build_leaves_output_as_it_was(project):
    root = project()
    assert build_project(root).ok
    before = {p.relative_to(root): p.read_bytes() for p in (root / "output").rglob("*") if p.is_file()}
    (root / "policies" / "base.yaml").write_text("kind: regulation\nid: base\n", encoding="utf-8")
    result = build_project(root)
    assert not result.ok
    after = {p.relative_to(root): p.read_bytes() for p in (root / "output").rglob("*") if p.is_file()}
    assert after == before
    assert [p.name for p in root.iterdir() if "policygen-build" in p.name] == []


def test_rebuild_replaces_stale_files(project):
    root = project()
    assert build_project(root).ok
    (root / "policies" / "request.yaml").unlink()
    base = (root / "policies" / "base.yaml").read_text(encoding="utf-8").replace("填写[[form:request]]", "办理")
    (root / "policies" / "base.yaml").write_text(base, encoding="utf-8")
    assert build_project(root).ok
    assert not (root / "output" / "forms" / "request.html").exists()


def test_refuses_to_replace_a_foreign_folder(project):
    root = project()
    (root / "output").mkdir()
    (root / "output" / "my-notes.txt").write_text("keep me", encoding="utf-8")
    result = build_project(root)
    assert [d.code for d in result.diagnostics.errors] == ["PG-BUILD-002"]
    assert (root / "output" / "my-notes.txt").read_text(encoding="utf-8") == "keep me"


def test_output_may_not_be_the_project_itself(project):
    root = project(project_file="project: 测试\noutput: .\n")
    result = build_project(root)
    assert [d.code for d in result.diagnostics.errors] == ["PG-BUILD-002"]
    assert (root / "policies" / "base.yaml").exists()


def test_unwritable_output_is_reported(project, monkeypatch):
    """Simulate a refused write where the staging folder is made (permissions do not bind root, who runs CI)."""
    import tempfile

    root = project()

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(tempfile, "mkdtemp", refuse)
    result = build_project(root)
    assert [d.code for d in result.diagnostics.errors] == ["PG-BUILD-001"]
    assert not (root / "output").exists()


def test_project_templates_override_the_built_in_ones(project):
    root = project()
    (root / "templates" / "html").mkdir(parents=True)
    (root / "templates" / "html" / "style.css").write_text("body { color: #123456; }", encoding="utf-8")
    assert build_project(root).ok
    assert "#123456" in page(root, "regulations/base.html")


def test_broken_override_template_is_reported(project):
    root = project()
    (root / "templates" / "html").mkdir(parents=True)
    (root / "templates" / "html" / "index.html.j2").write_text("{{ no_such_variable }}", encoding="utf-8")
    result = build_project(root)
    errors = result.diagnostics.errors
    assert [d.code for d in errors] == ["PG-RENDER-001"]
    assert "index.html.j2" in errors[0].file and "no_such_variable" in errors[0].message
    assert not (root / "output").exists()


def test_templates_are_sandboxed(project):
    root = project()
    (root / "templates" / "html").mkdir(parents=True)
    (root / "templates" / "html" / "index.html.j2").write_text(
        "{{ runs.__globals__ }}{{ ''.__class__.__mro__[1].__subclasses__() }}", encoding="utf-8")
    result = build_project(root)
    assert [d.code for d in result.diagnostics.errors] == ["PG-RENDER-001"]
    assert "SecurityError" in result.diagnostics.errors[0].message or "unsafe" in result.diagnostics.errors[0].message


def test_templates_cannot_include_files_outside_the_template_folders(project, tmp_path):
    root = project()
    (root / "templates" / "html").mkdir(parents=True)
    (root / "templates" / "html" / "index.html.j2").write_text('{% include "../../policygen.yaml" %}', encoding="utf-8")
    result = build_project(root)
    assert [d.code for d in result.diagnostics.errors] == ["PG-RENDER-001"]


def test_english_documents(project):
    english = """\
        kind: regulation
        id: english
        language: en
        title: Customer Service Regulation
        version: "2.0"
        effective: "2026-10-08"
        chapters:
          - title: General Provisions
            articles:
              - id: purpose
                text: "This regulation governs [[department:sales]]; see [[article:reply]] and [[form:request]]."
              - id: reply
                text: "Enquiries are answered within [[rule:reply]]:"
                items: [by telephone;, by e-mail.]
        """
    root = project({"english.yaml": english})
    assert build_project(root).ok
    text = visible_text(page(root, "regulations/english.html"))
    assert "Chapter 1 General Provisions" in text
    assert "Article 1 This regulation governs 销售部; see Article 2 and 申请单." in text
    assert "Article 2 Enquiries are answered within 3 working days:" in text
    assert "(a) by telephone;" in text and "(b) by e-mail." in text
    assert "Chapter 2 Supplementary Provisions" in text
    assert "Article 3 This regulation is interpreted by 测试有限公司." in text
    assert "Article 4 This regulation takes effect on 8 October 2026." in text


def test_a_generated_interpretation_clause_stands_before_the_authors_effective_clause(project):
    from conftest import BASE_DOCUMENTS

    base = BASE_DOCUMENTS["base.yaml"].rstrip() + """
          - title: 附则
            articles:
              - id: in-force
                clause: effective
                text: 本制度自发布之日起施行。
        """
    root = project({"base.yaml": base})
    assert build_project(root).ok
    text = visible_text(page(root, "regulations/base.html"))
    assert "第四条　本制度由测试有限公司负责解释。" in text and "第五条　本制度自发布之日起施行。" in text
    assert "2026年1月1日" not in text  # the stand-in date is not printed
