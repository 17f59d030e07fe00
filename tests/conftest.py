"""Shared test helpers: small policy projects written into tmp_path from inline text."""

from __future__ import annotations

import os
import shutil
import tempfile
import textwrap
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent

PROJECT_FILE = """\
project: 测试项目
language: zh-Hans
"""

# A minimal valid project: every document kind once, every document referenced.
BASE_DOCUMENTS = {
    "organization.yaml": """\
        kind: organization
        id: org
        name: {full: 测试有限公司, short: 测试公司}
        departments:
          - {id: sales, name: 销售部}
          - {id: general-office, name: 总经理办公室}
        roles:
          - {id: sales-manager, name: 销售部门经理, department: sales}
          - {id: general-manager, name: 总经理}
        """,
    "base.yaml": """\
        kind: regulation
        id: base
        title: 测试管理制度
        version: "1.0"
        effective: "2026-01-01"
        issued_by: general-office
        chapters:
          - title: 总则
            articles:
              - id: purpose
                text: 为规范管理，特制定本制度。
              - id: scope
                text: 本制度适用于[[department:sales]]，期限见[[rule:reply]]，审批见[[matrix:approval]]。
          - title: 程序
            articles:
              - id: procedure
                text: 依[[article:scope]]填写[[form:request]]。
        """,
    "rules.yaml": """\
        kind: rules
        id: base-rules
        title: 测试时限
        service_levels:
          - id: reply
            name: 答复
            target: {value: 3, unit: working-days}
            stated_in: base/scope
        """,
    "approval.yaml": """\
        kind: approval-matrix
        id: approval
        title: 审批权限表
        inputs: [{id: amount, label: 金额, type: money, currency: CNY}]
        rows:
          - {when: {amount: {ge: 0, le: 1000}}, approvers: [sales-manager]}
          - {when: {amount: {gt: 1000}}, approvers: [general-manager]}
        """,
    "request.yaml": """\
        kind: form
        id: request
        title: 申请单
        number: T-001
        version: "1.0"
        sections:
          - fields:
              - {id: name, type: text, label: 姓名}
        """,
}


def write_project(root: Path, documents: dict[str, str] | None = None, *, base: bool = True,
                  project_file: str = PROJECT_FILE) -> Path:
    """Write a project into `root`: the base documents (unless base=False) plus `documents`."""
    (root / "policies").mkdir(parents=True, exist_ok=True)
    (root / "policygen.yaml").write_text(project_file, encoding="utf-8")
    docs = dict(BASE_DOCUMENTS) if base else {}
    docs.update(documents or {})
    for name, text in docs.items():
        path = root / "policies" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(textwrap.dedent(text), encoding="utf-8")
    return root


# --- the suite leaves nothing in the temporary directory -----------------------------------------------------

def pytest_configure(config):
    """Everything the suite and the programs it runs put into the temporary directory goes into one private
    folder (pytest's tmp_path folders too), which must be empty but for pytest's own folder at the end."""
    if hasattr(config, "workerinput"):  # pragma: no cover (xdist workers share the controller's folder)
        return
    private = Path(tempfile.mkdtemp(prefix="policygen-tests-"))
    config._policygen_tmp = (private, os.environ.get("TMPDIR"), tempfile.tempdir)
    os.environ["TMPDIR"] = str(private)
    tempfile.tempdir = str(private)


def pytest_sessionfinish(session, exitstatus):
    state = getattr(session.config, "_policygen_tmp", None)
    if state is None:
        return
    private, old_env, old_tempdir = state
    import gc

    gc.collect()  # WeasyPrint removes a document's font folder when Python collects its font configuration
    left = sorted(p.name for p in private.iterdir() if not p.name.startswith("pytest-of-"))
    shutil.rmtree(private, ignore_errors=True)
    if old_env is None:
        os.environ.pop("TMPDIR", None)
    else:
        os.environ["TMPDIR"] = old_env
    tempfile.tempdir = old_tempdir
    if left:
        session.config.get_terminal_writer().line(
            f"the suite left {len(left)} entries in the temporary directory: {', '.join(left[:10])}", red=True)
        session.exitstatus = 1


@pytest.fixture(scope="session")
def corpus_output(tmp_path_factory) -> Path:
    """The example corpus (policies/ and policygen.yaml) built once per run with every output, for the tests
    that only read it: returns its output folder."""
    from policygen import build_project

    root = tmp_path_factory.mktemp("corpus")
    shutil.copytree(REPO / "policies", root / "policies")
    shutil.copy(REPO / "policygen.yaml", root / "policygen.yaml")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("POLICYGEN_CACHE_DIR", str(tmp_path_factory.mktemp("corpus-cache")))
        result = build_project(root)
    assert result.ok, [str(d) for d in result.diagnostics.items]
    return root / "output"


@pytest.fixture(autouse=True)
def private_render_cache(tmp_path_factory, monkeypatch):
    """Each test renders into a cache of its own, never the user's ~/.cache/policygen."""
    monkeypatch.setenv("POLICYGEN_CACHE_DIR", str(tmp_path_factory.mktemp("render-cache")))


@pytest.fixture
def project(tmp_path: Path):
    """A function writing a project into tmp_path and returning its root."""

    def make(documents: dict[str, str] | None = None, **kw) -> Path:
        return write_project(tmp_path, documents, **kw)

    return make
