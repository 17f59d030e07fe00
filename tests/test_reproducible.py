"""Same inputs, same bytes; and a build killed at any moment leaves output/ as before or as after."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from conftest import write_project
from policygen.plan import MANIFEST

FORM = """\
kind: form
id: request
title: 申请单
number: T-001
version: "1.0"
copies: [{label: 第一联 存根}, {label: 第二联 财务部}]
sections:
  - fields:
      - {id: name, type: text, label: 姓名}
      - {id: amount, type: money, label: 金额, currency: CNY}
"""


def hashes(folder: Path) -> dict[str, str]:
    """Every output's hash; not the manifest's, which records when each file was written (bookkeeping)."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and p.name != MANIFEST}


def build(root: Path, **env) -> subprocess.CompletedProcess:
    # cold: the kill test needs real work to interrupt (beside the project, so pytest removes it)
    env.setdefault("POLICYGEN_CACHE_DIR", tempfile.mkdtemp(prefix="cache-", dir=root.parent))
    return subprocess.run([sys.executable, "-m", "policygen", "build"], cwd=root, capture_output=True, text=True,
                          env=os.environ | env)


def test_two_builds_in_different_folders_and_times_give_identical_bytes(tmp_path):
    first = write_project(tmp_path / "one", {"request.yaml": FORM})
    second = write_project(tmp_path / "elsewhere" / "two", {"request.yaml": FORM})
    assert build(first, SOURCE_DATE_EPOCH="1700000000", TZ="UTC").returncode == 0
    time.sleep(1.1)  # a different second on the clock
    assert build(second, SOURCE_DATE_EPOCH="1800000000", TZ="Asia/Shanghai").returncode == 0
    a, b = hashes(first / "output"), hashes(second / "output")
    assert set(a) >= {"regulations/base.pdf", "regulations/base.docx", "regulations/base.html", "forms/request.pdf",
                      "forms/request.fillable.pdf", "rules/base-rules.json", "rules/approval.dmn", "index.html"}
    assert a == b
    for path in (first / "output").rglob("*"):
        if path.is_file():
            assert str(tmp_path).encode() not in path.read_bytes(), path  # no absolute paths inside


def test_a_killed_build_leaves_output_before_or_after_and_the_next_build_repairs(tmp_path):
    root = write_project(tmp_path, {"request.yaml": FORM})
    assert build(root).returncode == 0
    before = hashes(root / "output")
    base = root / "policies" / "base.yaml"
    base.write_text(base.read_text(encoding="utf-8").replace("特制定本制度。", "特制定本制度，自发布之日起执行。"), encoding="utf-8")
    started = time.monotonic()
    assert build(root).returncode == 0
    duration = time.monotonic() - started
    after = hashes(root / "output")
    assert before != after
    # back to the first state, then rebuild towards "after" and kill it at several moments
    base.write_text(base.read_text(encoding="utf-8").replace("特制定本制度，自发布之日起执行。", "特制定本制度。"), encoding="utf-8")
    assert build(root).returncode == 0 and hashes(root / "output") == before
    base.write_text(base.read_text(encoding="utf-8").replace("特制定本制度。", "特制定本制度，自发布之日起执行。"), encoding="utf-8")
    outcomes = set()
    shared = tempfile.mkdtemp(dir=tmp_path)  # one cache for every killed build and the repairing one: what they leave in it
    for fraction in (0.05, 0.2, 0.4, 0.6, 0.8, 0.95, 1.1):
        process = subprocess.Popen([sys.executable, "-m", "policygen", "build"], cwd=root,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                   env=os.environ | {"POLICYGEN_CACHE_DIR": shared})
        time.sleep(duration * fraction)
        process.send_signal(signal.SIGKILL)
        process.wait()
        state = hashes(root / "output")
        assert state in (before, after), f"half-written output after a kill at {fraction:.0%}"
        outcomes.add("after" if state == after else "before")
        if state == after:  # go back so the next kill interrupts a real change again
            base.write_text(base.read_text(encoding="utf-8").replace("特制定本制度，自发布之日起执行。", "特制定本制度。"), encoding="utf-8")
            assert build(root).returncode == 0
            base.write_text(base.read_text(encoding="utf-8").replace("特制定本制度。", "特制定本制度，自发布之日起执行。"), encoding="utf-8")
    assert "before" in outcomes  # at least one kill landed mid-build
    # the next build, with the cache the killed ones wrote into, repairs: the same bytes as a cold build gave
    assert build(root, POLICYGEN_CACHE_DIR=shared).returncode == 0 and hashes(root / "output") == after
    assert not [p for p in root.iterdir() if ".policygen-" in p.name and not p.name.endswith(".policygen-lock")]
