"""`policygen import`: regulations read back from Word, plain text and Markdown.

The round trips take every corpus regulation through policygen's own DOCX writer (and from there to plain
text, as Word's "Save as plain text" writes it), import it, build the imported YAML again and compare what a
reader sees: every article's number and text.
"""

from __future__ import annotations

import shutil
import subprocess
import textwrap
from pathlib import Path

import docx
import pytest
import yaml

from conftest import REPO
from policygen import import_document, load_project
from policygen.render.docx import write_regulations

FIXTURES = REPO / "tests" / "fixtures" / "import"
ORGANIZATION = (REPO / "policies" / "organization.yaml").read_text(encoding="utf-8")


# --- helpers --------------------------------------------------------------------------------------------------

def docx_to_text(path: Path) -> str:
    """What Word's "Save as plain text" writes: one line per paragraph, table cells separated by tabs."""
    document = docx.Document(str(path))
    lines = []
    for block in document.element.body:
        if block.tag.endswith("}p"):
            lines.append("".join(t.text or "" for t in block.iter("{*}t")))
        elif block.tag.endswith("}tbl"):
            for tr in block.iter("{*}tr"):
                lines.append("\t".join("".join(t.text or "" for t in tc.iter("{*}t")) for tc in tr.findall("{*}tc")))
    return "\n".join(lines) + "\n"


def article_texts(path: Path) -> list[str]:
    """The articles of a built regulation DOCX as a reader sees them: from the first chapter or article to the
    revision record or the first attachment, without tables and their captions."""
    document = docx.Document(str(path))
    out, started = [], False
    for p in document.paragraphs:
        style = p.style.name
        if style in ("Attachment Heading",) or p.text in ("修订记录", "修訂記錄"):
            break
        if style in ("Heading 1", "Heading 2") or p.text.startswith("第"):
            started = True
        if started and p.text.strip() and style not in ("Table Caption", "Table Spacer"):
            out.append(p.text)
    return out


def build_alone(tmp: Path, regulation_yaml: str) -> Path:
    """Build one imported regulation in a project of its own (the corpus organization) and return its DOCX."""
    (tmp / "policies").mkdir(parents=True)
    (tmp / "policygen.yaml").write_text("project: 导入\nlanguage: zh-Hans\noutputs: [docx]\n", encoding="utf-8")
    (tmp / "policies" / "organization.yaml").write_text(ORGANIZATION, encoding="utf-8")
    (tmp / "policies" / "imported.yaml").write_text(regulation_yaml, encoding="utf-8")
    result = load_project(tmp)
    assert not result.diagnostics.errors, [(d.code, d.message) for d in result.diagnostics.errors]
    reg = next(iter(result.project.regulations.values()))
    return write_regulations(result.project, tmp / "out", ids=[reg.id])[0]


@pytest.fixture(scope="module")
def corpus_docx(tmp_path_factory):
    result = load_project(REPO)
    out = tmp_path_factory.mktemp("corpus")
    return result.project, {p.stem: p for p in write_regulations(result.project, out)}


CORPUS_REGULATIONS = sorted(p.stem for p in (REPO / "policies").glob("*.yaml")
                            if yaml.safe_load(p.read_text(encoding="utf-8")).get("kind") == "regulation")


# --- round trips ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("via", ["docx", "txt"])
@pytest.mark.parametrize("reg_id", CORPUS_REGULATIONS)
def test_corpus_regulation_round_trips(reg_id, via, corpus_docx, tmp_path):
    project, built = corpus_docx
    source = built[reg_id]
    if via == "txt":
        source = tmp_path / f"{reg_id}.txt"
        source.write_text(docx_to_text(built[reg_id]), encoding="utf-8")
    result = import_document(source, id=reg_id, organization=project.organization)
    assert not result.diagnostics.errors
    assert result.articles == len(project.regulations[reg_id].articles)
    rebuilt = build_alone(tmp_path / "rebuilt", result.yaml)
    expected = article_texts(built[reg_id])
    assert len([t for t in expected if t.startswith("第") and ("条" in t[:8] or "條" in t[:8])]) == result.articles
    assert article_texts(rebuilt) == expected
    original = project.regulations[reg_id]
    data = yaml.safe_load(result.yaml)
    assert data["title"] == original.title and data["effective"] == original.effective
    assert data.get("number") == original.number and data.get("issued_by") == original.issued_by
