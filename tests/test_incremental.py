"""Rebuilds do only what changed; -j N gives the same bytes as one process."""

from __future__ import annotations

from conftest import write_project
from policygen import build_project
from test_reproducible import FORM, hashes


def test_an_unchanged_project_is_not_rebuilt(tmp_path):
    root = write_project(tmp_path, {"request.yaml": FORM})
    first = build_project(root)
    assert first.ok and first.written and not first.up_to_date
    before = {p: p.stat().st_mtime_ns for p in (root / "output").rglob("*") if p.is_file()}
    again = build_project(root)
    assert again.ok and again.up_to_date and again.written == []
    assert {p: p.stat().st_mtime_ns for p in (root / "output").rglob("*") if p.is_file()} == before


def test_changing_a_form_rebuilds_only_what_depends_on_it(tmp_path):
    root = write_project(tmp_path, {"request.yaml": FORM})
    assert build_project(root).ok
    form = root / "policies" / "request.yaml"
    form.write_text(form.read_text(encoding="utf-8").replace("title: 申请单", "title: 费用申请单"), encoding="utf-8")
    result = build_project(root)
    assert result.ok
    rebuilt = {path.split("/")[-1].split(".")[0] for path in result.written}
    assert rebuilt == {"request", "base", "index"}  # the form, the regulation that names it, the index
    assert any(path.startswith("rules/") for path in result.kept)  # the rule exports were taken as they were
    assert "《费用申请单》" in (root / "output" / "regulations" / "base.html").read_text(encoding="utf-8")


def test_changing_the_outputs_option_rebuilds_everything(tmp_path):
    root = write_project(tmp_path, {"request.yaml": FORM}, project_file="project: 测试\noutputs: [html]\n")
    assert build_project(root).ok
    (root / "policygen.yaml").write_text("project: 测试\noutputs: [html, rules]\n", encoding="utf-8")
    result = build_project(root)
    assert result.ok and result.kept == [] and "rules/base-rules.json" in result.written


def test_parallel_build_gives_the_same_bytes(tmp_path):
    one = write_project(tmp_path / "one", {"request.yaml": FORM})
    two = write_project(tmp_path / "two", {"request.yaml": FORM})
    assert build_project(one, jobs=1).ok
    assert build_project(two, jobs=2).ok
    assert hashes(one / "output") == hashes(two / "output")


def test_a_deleted_output_is_rebuilt_from_the_render_cache_with_the_same_bytes(tmp_path):
    import shutil

    root = write_project(tmp_path, {"request.yaml": FORM})
    first = build_project(root)
    assert first.ok and first.cached == []
    before = hashes(root / "output")
    shutil.rmtree(root / "output")
    again = build_project(root)
    assert again.ok
    assert set(again.cached) == {p for p in before if "/" in p}  # every document's files; the index is rendered
    assert hashes(root / "output") == before
    # the cache holds copies: editing an output file in place does not reach later builds
    (root / "output" / "forms" / "request.html").write_text("edited", encoding="utf-8")
    shutil.rmtree(root / "output" / "regulations")
    (root / "policies" / "base.yaml").write_text((root / "policies" / "base.yaml").read_text(encoding="utf-8") + "\n",
                                                 encoding="utf-8")
    shutil.rmtree(root / "output")
    assert build_project(root).ok
    assert hashes(root / "output") == before
