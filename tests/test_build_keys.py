"""A build writes what the inputs say today: every edit along a chain of documents reaches every output that shows
it, outputs that do not show it are reused, and an incremental build equals a clean one, file for file."""

from __future__ import annotations

import json
import shutil

import pdfplumber
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import write_project
from policygen import build_project, load_project
from policygen.plan import dependencies
from test_reproducible import hashes

# A chain of four documents beside the base project: the regulation `chain` attaches the form `claim`, whose
# approval block prints the approvers of the matrix `claim-approval`, whose roles are named in the organization;
# the regulation also prints a rule of `chain-rules`, whose due times depend on the organization's calendar.
ORGANIZATION = """\
    kind: organization
    id: org
    name: {full: 测试有限公司, short: 测试公司}
    departments:
      - {id: sales, name: 销售部}
      - {id: general-office, name: 总经理办公室}
    roles:
      - {id: sales-manager, name: 销售部门经理, department: sales}
      - {id: deputy, name: 副总经理}
      - {id: general-manager, name: 总经理}
    calendar:
      overrides:
        - {date: "2026-10-10", workday: true, name: 国庆节调休}
    """

CHAIN = {
    "organization.yaml": ORGANIZATION,
    "chain.yaml": """\
        kind: regulation
        id: chain
        title: 理赔管理办法
        version: "1.0"
        effective: "2026-01-01"
        issued_by: general-office
        chapters:
          - title: 总则
            articles:
              - id: claim-purpose
                text: 为规范理赔，特制定本办法。
              - id: claim-deadline
                text: 理赔申请应于[[rule:claim-reply]]内答复，填写[[form:claim]]。
        attachments:
          - form: claim
        """,
    "chain-rules.yaml": """\
        kind: rules
        id: chain-rules
        title: 理赔时限
        service_levels:
          - id: claim-reply
            name: 理赔答复
            target: {value: 5, unit: working-days}
            stated_in: chain/claim-deadline
        """,
    "claim-approval.yaml": """\
        kind: approval-matrix
        id: claim-approval
        title: 理赔核决权限表
        inputs: [{id: amount, label: 理赔金额, type: money, currency: CNY}]
        rows:
          - {when: {amount: {ge: 0, le: 2000}}, approvers: [sales-manager]}
          - {when: {amount: {gt: 2000}}, approvers: [general-manager]}
        """,
    "claim.yaml": """\
        kind: form
        id: claim
        title: 理赔申请单
        number: LP-001
        version: "1.0"
        sections:
          - fields:
              - {id: applicant, type: text, label: 申请人}
              - {id: amount, type: money, label: 理赔金额, currency: CNY}
          - fields:
              - {id: approval, type: approval, label: 核决, matrix: claim-approval}
        """,
}


def text_of(path) -> str:
    """What a reader of the file sees: PDF text (pdfplumber), DOCX text (its XML's text runs), HTML or JSON."""
    if path.suffix == ".pdf":
        with pdfplumber.open(path) as pdf:
            return "\n".join(page.extract_text() or "" for page in pdf.pages)
    if path.suffix == ".docx":
        import docx

        document = docx.Document(str(path))
        cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
        return "\n".join([p.text for p in document.paragraphs] + cells)
    return path.read_text(encoding="utf-8")


def outputs_of(root, doc_id):
    return sorted(p for p in (root / "output").rglob(f"{doc_id}.*") if p.is_file())


@pytest.fixture(scope="module")
def built_chain(tmp_path_factory):
    """The chain project built once, with the render cache that build filled."""
    root = write_project(tmp_path_factory.mktemp("chain"), CHAIN)
    cache = tmp_path_factory.mktemp("chain-cache")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("POLICYGEN_CACHE_DIR", str(cache))
        first = build_project(root)
    assert first.ok, first.diagnostics.sorted()
    return root, cache


@pytest.fixture
def chain(built_chain, tmp_path, monkeypatch):
    """A copy of the built chain project (its output and its cache too), to edit."""
    root, cache = built_chain
    shutil.copytree(root, tmp_path / "p", symlinks=True)
    shutil.copytree(cache, tmp_path / "cache")
    monkeypatch.setenv("POLICYGEN_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "p"


def edit(root, name, old, new):
    path = root / "policies" / name
    text = path.read_text(encoding="utf-8")
    assert old in text, (name, old)
    path.write_text(text.replace(old, new), encoding="utf-8")


def rebuilt(result) -> set[str]:
    return {p.rsplit("/", 1)[-1].split(".", 1)[0] for p in result.written}


def test_a_matrix_edit_reaches_the_regulation_that_attaches_the_form_that_prints_it(chain):
    edit(chain, "claim-approval.yaml", "approvers: [general-manager]", "approvers: [deputy]")
    result = build_project(chain)
    assert result.ok
    assert {"claim-approval", "claim", "chain"} <= rebuilt(result)
    assert "base" not in rebuilt(result) and "request" not in rebuilt(result)  # unrelated: reused
    for doc_id in ("chain", "claim"):
        for path in outputs_of(chain, doc_id):
            if path.suffix in (".pdf", ".docx", ".html"):
                assert "副总经理" in text_of(path), path
    # and from an empty output folder, with the cache of the first build still warm: the same, never the old one
    shutil.rmtree(chain / "output")
    assert build_project(chain).ok
    assert "副总经理" in text_of(chain / "output" / "regulations" / "chain.pdf")


def test_a_role_name_reaches_every_document_that_prints_it(chain):
    edit(chain, "organization.yaml", "{id: deputy, name: 副总经理}", "{id: deputy, name: 分管副总}")
    edit(chain, "claim-approval.yaml", "approvers: [general-manager]", "approvers: [deputy]")
    assert build_project(chain).ok
    edit(chain, "organization.yaml", "name: 分管副总}", "name: 常务副总经理}")
    assert build_project(chain).ok
    for path in outputs_of(chain, "chain") + outputs_of(chain, "claim"):
        if path.suffix in (".pdf", ".docx", ".html"):
            shown = text_of(path)
            assert "常务副总经理" in shown and "分管副总" not in shown, path


def test_a_rule_value_reaches_the_regulation_and_the_exports(chain):
    edit(chain, "chain-rules.yaml", "value: 5, unit: working-days", "value: 7, unit: working-days")
    result = build_project(chain)
    assert result.ok and {"chain-rules", "chain"} <= rebuilt(result)
    assert "base" not in rebuilt(result)
    for path in outputs_of(chain, "chain"):
        if path.suffix in (".pdf", ".html"):
            assert "7" in text_of(path) and "5个工作日" not in text_of(path).replace(" ", "").replace("\u3000", "")
    export = json.loads((chain / "output" / "rules" / "chain-rules.json").read_text(encoding="utf-8"))
    assert "7" in json.dumps(export)


def test_a_calendar_override_reaches_the_rule_export(chain):
    before = (chain / "output" / "rules" / "chain-rules.json").read_text(encoding="utf-8")
    edit(chain, "organization.yaml", '{date: "2026-10-10", workday: true, name: 国庆节调休}',
         '{date: "2026-10-11", workday: true, name: 国庆节调休}')
    assert build_project(chain).ok
    after = (chain / "output" / "rules" / "chain-rules.json").read_text(encoding="utf-8")
    assert before != after and "2026-10-11" in after


def test_the_article_numbers_a_rule_export_prints_follow_the_regulation(chain):
    edit(chain, "chain.yaml", "      - id: claim-purpose\n", "      - id: claim-scope\n        text: 本办法适用于全体员工。\n      - id: claim-purpose\n")
    assert build_project(chain).ok
    export = json.loads((chain / "output" / "rules" / "chain-rules.json").read_text(encoding="utf-8"))
    assert '"number": 3' in json.dumps(export)  # claim-deadline moved from 第二条 to 第三条


def test_a_template_edit_rebuilds_every_document(chain):
    (chain / "templates" / "html").mkdir(parents=True)
    from policygen.resources import templates_dir

    original = (templates_dir() / "html" / "base.html.j2").read_text(encoding="utf-8")
    assert "</body>" in original
    (chain / "templates" / "html" / "base.html.j2").write_text(original.replace("</body>", "<p>模板已改</p></body>"),
                                                                encoding="utf-8")
    result = build_project(chain)
    assert result.ok
    assert "模板已改" in (chain / "output" / "forms" / "claim.html").read_text(encoding="utf-8")
    assert "模板已改" in (chain / "output" / "forms" / "request.html").read_text(encoding="utf-8")


def test_a_project_option_rebuilds_every_document(chain):
    (chain / "policygen.yaml").write_text((chain / "policygen.yaml").read_text(encoding="utf-8") + "preset: compact\n",
                                          encoding="utf-8")
    result = build_project(chain)
    assert result.ok and "regulations/base.pdf" in result.written and "regulations/chain.pdf" in result.written


def test_workers_that_load_only_a_document_s_dependencies_write_the_same_files(chain, tmp_path):
    """-j 2 renders each document from a project of only the files its key covers: the same bytes as -j 1."""
    other = tmp_path / "other"
    shutil.copytree(chain, other, symlinks=True, ignore=shutil.ignore_patterns("output"))
    edit(chain, "chain.yaml", "为规范理赔", "为规范理赔工作")
    edit(other, "chain.yaml", "为规范理赔", "为规范理赔工作")
    shutil.rmtree(chain / "output")
    assert build_project(chain, jobs=1).ok and build_project(other, jobs=2).ok
    assert hashes(chain / "output") == hashes(other / "output")


def test_dependencies_cover_what_rendering_reads(chain):
    """Rendering each document with a project that records which documents are looked up: every one of them is
    among the documents its key covers."""
    project = load_project(chain).project
    deps = dependencies(project)
    for doc_id, read in _documents_read(project).items():
        assert read - {doc_id} <= deps[doc_id], (doc_id, read - deps[doc_id])


def _documents_read(project) -> dict[str, set[str]]:
    import dataclasses
    import tempfile
    from pathlib import Path

    from policygen.render import dispatch

    class Recording(dict):
        def __init__(self, table, seen):
            super().__init__(table)
            self.seen = seen

        def __getitem__(self, key):
            self.seen.add(key)
            return super().__getitem__(key)

        def get(self, key, default=None):
            if key in self:
                self.seen.add(key)
            return super().get(key, default)

        def values(self):
            self.seen.update(self)
            return super().values()

        def items(self):
            self.seen.update(self)
            return super().items()

    owner = {r.id: rs.id for rs in project.rulesets.values() for r in rs.rules}

    class RecordingRules(dict):
        def __init__(self, seen):
            super().__init__(project.rules)
            self.seen = seen

        def __getitem__(self, key):
            self.seen.add(owner[key])
            return super().__getitem__(key)

    read = {}
    ids = [*project.regulations, *project.forms, *project.rulesets, *project.matrices]
    with tempfile.TemporaryDirectory() as out:
        for doc_id in ids:
            seen: set[str] = set()
            tables = {name: Recording(getattr(project, name), seen)
                      for name in ("regulations", "forms", "rulesets", "matrices")}

            class RecordingProject(type(project)):
                rules = property(lambda self, seen=seen: RecordingRules(seen))

            fields = {f.name: getattr(project, f.name) for f in dataclasses.fields(project)}
            dispatch.render_documents(RecordingProject(**(fields | tables)), Path(out), {doc_id})
            read[doc_id] = seen - {doc_id}
    return read


# --- random single edits: the incremental build equals a clean one ------------------------------------------

TEXT_KEYS = {"title", "name", "text", "label", "full", "short", "measure", "note"}


def _text_scalars(root):
    """(file, line number, key) of every one-line text value under a key that holds printed text."""
    found = []
    for path in sorted((root / "policies").glob("*.yaml")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines()):
            for key in TEXT_KEYS:
                if f"{key}: " in line and not line.rstrip().endswith(("|", ">")):
                    found.append((path.name, number, key))
    return found


STRUCTURED = [
    ("claim-approval.yaml", "approvers: [general-manager]", "approvers: [deputy]"),
    ("claim-approval.yaml", "le: 2000}", "le: 3000}"),
    ("chain-rules.yaml", "value: 5", "value: 9"),
    ("organization.yaml", "2026-10-10", "2026-10-17"),
    ("chain.yaml", "attachments:\n  - form: claim\n", ""),
    ("chain.yaml", "[[form:claim]]", "[[form:request]]"),
    ("request.yaml", "{id: name, type: text, label: 姓名}", "{id: name, type: text, label: 姓名}\n      - {id: phone, type: text, label: 电话}"),
    ("base.yaml", "- title: 程序", "- title: 附加\n    articles:\n      - id: extra\n        text: 另见[[rule:claim-reply]]。\n  - title: 程序"),
]


@settings(max_examples=6, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_an_incremental_build_after_any_single_edit_equals_a_clean_build(built_chain, tmp_path_factory, monkeypatch, data):
    base_root, base_cache = built_chain
    work = tmp_path_factory.mktemp("edited")
    shutil.copytree(base_root, work / "p", symlinks=True)
    shutil.copytree(base_cache, work / "cache")
    root = work / "p"
    scalars = _text_scalars(root)
    kind = data.draw(st.sampled_from(["text", "structured"]))
    if kind == "text":
        name, number, key = data.draw(st.sampled_from(scalars))
        path = root / "policies" / name
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        added = data.draw(st.sampled_from(["改", "（试行）", "A", "2"]))
        line = lines[number]
        at = line.index(f"{key}: ") + len(key) + 2
        rest = line[at:]
        if rest.startswith(("{", "[")):  # a flow mapping: change the value inside it
            cut = rest.index(f"{key}: ") + len(key) + 2 if f"{key}: " in rest else None
            if cut is None:
                return
            at += cut
        lines[number] = line[:at] + added + line[at:]
        path.write_text("".join(lines), encoding="utf-8")
    else:
        name, old, new = data.draw(st.sampled_from(STRUCTURED))
        edit(root, name, old, new)
    monkeypatch.setenv("POLICYGEN_CACHE_DIR", str(work / "cache"))
    before = hashes(root / "output")
    incremental = build_project(root)
    clean_root = work / "clean"
    shutil.copytree(root, clean_root, symlinks=True, ignore=shutil.ignore_patterns("output"))
    monkeypatch.setenv("POLICYGEN_CACHE_DIR", str(work / "empty-cache"))
    clean = build_project(clean_root)
    assert [d.code for d in incremental.diagnostics.errors] == [d.code for d in clean.diagnostics.errors]
    if incremental.ok:
        assert hashes(root / "output") == hashes(clean_root / "output")
    else:
        assert hashes(root / "output") == before  # a failed build leaves the output as it was
    shutil.rmtree(work, ignore_errors=True)

