"""Every build checks the output against its manifest; kills at any level leave nothing stuck or half-written;
output folders as users expect (their umask, no staging or old folder left behind, whatever failed)."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from conftest import write_project
import policygen.build as build
from policygen import build_project
from policygen.locks import acquire
from test_reproducible import FORM, hashes

MORE_FORMS = {f"form-{i}.yaml": FORM.replace("id: request", f"id: form-{i}").replace("T-001", f"T-00{i + 2}")
              for i in range(4)}


def leftovers(root: Path) -> list[str]:
    """What builds made beside the output folder, but the lock file: staging, old and temporary folders."""
    return [p.name for p in root.iterdir() if ".policygen-" in p.name and not p.name.endswith(".policygen-lock")]


@pytest.fixture
def built(tmp_path):
    root = write_project(tmp_path, {"request.yaml": FORM})
    assert build_project(root).ok
    return root


def test_deleting_every_visible_output_brings_it_back(built):
    before = hashes(built / "output")
    for path in (built / "output").iterdir():
        if not path.name.startswith("."):
            subprocess.run(["rm", "-rf", str(path)], check=True)
    result = build_project(built)
    assert result.ok and not result.up_to_date
    assert hashes(built / "output") == before
    assert build_project(built).up_to_date


@pytest.mark.parametrize("damage", ["delete", "truncate", "same-size", "same-size-same-mtime-restored"])
def test_a_missing_or_altered_output_is_restored(built, damage):
    before = hashes(built / "output")
    target = built / "output" / "regulations" / "base.pdf"
    stat = target.stat()
    if damage == "delete":
        target.unlink()
    elif damage == "truncate":
        target.write_bytes(target.read_bytes()[:100])
    else:
        data = bytearray(target.read_bytes())
        data[len(data) // 2] ^= 0xFF
        target.write_bytes(bytes(data))
        if damage == "same-size-same-mtime-restored":
            os.utime(target, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1))
    result = build_project(built)
    assert result.ok and not result.up_to_date
    assert "regulations/base.pdf" in result.written
    assert hashes(built / "output") == before
    assert build_project(built).up_to_date


def test_a_touched_but_unchanged_output_is_up_to_date(built):
    target = built / "output" / "forms" / "request.pdf"
    os.utime(target, ns=(0, 10**18))
    assert build_project(built).up_to_date


def test_a_file_put_into_the_output_folder_is_removed_by_the_next_build(built):
    (built / "output" / "forms" / "stray.txt").write_text("x", encoding="utf-8")
    result = build_project(built)
    assert result.ok and not result.up_to_date
    assert not (built / "output" / "forms" / "stray.txt").exists()
    assert build_project(built).up_to_date


@pytest.mark.parametrize("umask", [0o022, 0o002])
def test_the_output_folder_follows_the_umask(tmp_path, umask):
    root = write_project(tmp_path, {})
    code = f"import os; os.umask({umask}); from policygen import build_project; assert build_project('.').ok"
    subprocess.run([sys.executable, "-c", code], cwd=root, check=True)
    assert (root / "output").stat().st_mode & 0o777 == 0o777 & ~umask
    assert (root / "output" / "regulations").stat().st_mode & 0o777 == 0o777 & ~umask
    assert (root / "output" / "index.html").stat().st_mode & 0o777 == 0o666 & ~umask


@pytest.mark.parametrize("stage", ["render", "swap", "manifest"])
def test_a_failing_build_leaves_no_folder_behind_and_the_output_as_it_was(built, monkeypatch, stage):
    before = hashes(built / "output")
    base = built / "policies" / "base.yaml"
    base.write_text(base.read_text(encoding="utf-8").replace("特制定本制度。", "特制定本制度，试行。"), encoding="utf-8")

    def fail(*args, **kwargs):
        raise OSError(28, "No space left on device")

    if stage == "manifest":
        monkeypatch.setattr(build.plan, "recorded_files", fail)
    else:
        monkeypatch.setattr(build, {"render": "_render", "swap": "_swap"}[stage], fail)
    result = build_project(built)
    assert not result.ok and [d.code for d in result.diagnostics.errors] == ["PG-BUILD-001"]
    assert hashes(built / "output") == before
    assert leftovers(built) == []


def test_a_read_only_output_folder_never_leaves_a_hidden_copy(built):
    folders = [built / "output", *(p for p in (built / "output").rglob("*") if p.is_dir())]
    for folder in folders:
        folder.chmod(0o555)
    base = built / "policies" / "base.yaml"
    base.write_text(base.read_text(encoding="utf-8").replace("特制定本制度。", "特制定本制度，试行。"), encoding="utf-8")
    try:
        result = build_project(built)
        if os.access(built / "output", os.W_OK):  # root: permissions do not stop it, so the build goes ahead
            assert result.ok
        else:
            assert [d.code for d in result.diagnostics.errors] == ["PG-BUILD-001"]
            assert "read-only" in result.diagnostics.errors[0].message
        assert leftovers(built) == []
    finally:
        for folder in (built / "output", *(p for p in (built / "output").rglob("*") if p.is_dir())):
            folder.chmod(0o755)


# --- kills ---------------------------------------------------------------------------------------------------

def _start(root: Path, cache: Path, *args) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "policygen", "build", *args], cwd=root, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, start_new_session=True,
                            env=os.environ | {"POLICYGEN_CACHE_DIR": str(cache)})


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            pass
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_text(errors="replace")
    except OSError:
        return ""


def _wait_for_workers(process: subprocess.Popen, count: int, timeout: float = 60) -> list[int]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        workers = [c for c in _children(process.pid) if "spawn_main" in _cmdline(c)]  # not the resource tracker
        if len(workers) >= count:
            return workers
        if process.poll() is not None:
            break
        time.sleep(0.05)
    raise AssertionError(f"the build did not start {count} workers")


@pytest.fixture(scope="module")
def built_parallel(tmp_path_factory):
    root = write_project(tmp_path_factory.mktemp("parallel") / "p", {"request.yaml": FORM, **MORE_FORMS})
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("POLICYGEN_CACHE_DIR", str(tmp_path_factory.mktemp("parallel-cache")))
        assert build_project(root).ok
    return root


@pytest.fixture
def parallel_project(built_parallel, tmp_path):
    """A copy of a built project in which every form changed: the next build has real work for two workers."""
    root = tmp_path / "p"
    shutil.copytree(built_parallel, root, symlinks=True)
    before = hashes(root / "output")
    for name in ("request.yaml", *MORE_FORMS):
        path = root / "policies" / name
        path.write_text(path.read_text(encoding="utf-8").replace("label: 姓名", "label: 申请人姓名"), encoding="utf-8")
    return root, tmp_path / "cold-cache", before


@pytest.mark.parametrize("delay", [0.0, 1.0])
def test_killing_the_main_process_kills_its_workers_and_the_next_build_runs(parallel_project, delay):
    root, cache, before = parallel_project
    process = _start(root, cache, "-j", "2")
    workers = _wait_for_workers(process, 2)
    time.sleep(delay)
    process.send_signal(signal.SIGKILL)
    process.wait()
    deadline = time.monotonic() + 10
    while any(_alive(w) for w in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(_alive(w) for w in workers), "workers outlived the build that started them"
    assert hashes(root / "output") == before  # output untouched
    again = subprocess.run([sys.executable, "-m", "policygen", "build", "-j", "2"], cwd=root, capture_output=True,
                           text=True, timeout=300, env=os.environ | {"POLICYGEN_CACHE_DIR": str(cache)})
    assert again.returncode == 0, again.stderr
    assert "申请人姓名" in (root / "output" / "forms" / "form-1.html").read_text(encoding="utf-8")
    assert leftovers(root) == []


def test_killing_the_whole_process_group_leaves_nothing_stuck(parallel_project):
    root, cache, before = parallel_project
    process = _start(root, cache, "-j", "2")
    _wait_for_workers(process, 2)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    assert hashes(root / "output") == before
    again = subprocess.run([sys.executable, "-m", "policygen", "build", "-j", "2"], cwd=root, capture_output=True,
                           text=True, timeout=300, env=os.environ | {"POLICYGEN_CACHE_DIR": str(cache)})
    assert again.returncode == 0, again.stderr
    assert leftovers(root) == []


def test_a_worker_that_dies_is_a_located_error_and_the_output_is_untouched(parallel_project):
    root, cache, before = parallel_project
    process = _start(root, cache, "-j", "2")
    workers = _wait_for_workers(process, 2)
    time.sleep(0.5)
    os.kill(workers[0], signal.SIGKILL)
    out, err = process.communicate(timeout=300)
    assert process.returncode == 1, err
    assert "PG-BUILD-003" in err and "was interrupted" in err and "policies/" in err
    assert "internal error" not in err and "Traceback" not in err
    assert hashes(root / "output") == before
    assert leftovers(root) == []


def test_a_build_waiting_for_a_live_build_says_so(built, tmp_path):
    lock = acquire(built / ".output.policygen-lock")
    process = _start(built, tmp_path / "cache")
    try:
        seen = ""
        deadline = time.monotonic() + 60
        while "waiting for another build" not in seen and time.monotonic() < deadline:
            line = process.stderr.readline()
            if not line:
                break
            seen += line
        assert "waiting for another build" in seen and str(os.getpid()) in seen
        assert process.poll() is None  # it waits, it does not fail
    finally:
        threading.Timer(0.2, lock.release).start()
    assert process.wait(timeout=120) == 0
