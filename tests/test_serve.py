"""`policygen serve` in headless Chromium: an edit changes the page, a broken edit shows its diagnostics with file
and line, the PDF of the page comes on demand, and nothing outside the preview folder can be fetched."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pdfplumber
import pytest

from policygen.serve import safe_path
from yaml_language_server import installed

EDITOR_TOOLS = Path(__file__).resolve().parent / "editor"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """A project made by `policygen init`, served on a free port: (project, url, pages folder, secret file)."""
    base = tmp_path_factory.mktemp("serve")
    root = base / "project"
    subprocess.run([sys.executable, "-m", "policygen", "init", str(root)], check=True, capture_output=True)
    secret = base / "secret.txt"
    secret.write_text("SECRET-OUTSIDE\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "POLICYGEN_DEBUG"}
    process = subprocess.Popen([sys.executable, "-m", "policygen", "serve", "--port", "0"], cwd=root, env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    first = process.stderr.readline()
    match = re.search(r"preview at (http://127\.0\.0\.1:\d+/) \(pages in (.+?)\)", first)
    assert match, first + process.stderr.read() if process.poll() is not None else first
    url, pages = match[1], Path(match[2])
    (pages / "link.html").symlink_to(secret)  # a symlink inside the folder that points out of it
    (pages / "linked-folder").symlink_to(base, target_is_directory=True)
    yield root, url, pages, secret
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(20)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert not pages.parent.exists(), "serve removes its pages when it stops"


def raw_get(url: str, target: str, host: str | None = None) -> tuple[int, bytes]:
    """GET exactly `target` (no client-side normalisation of `..` or percent-escapes)."""
    port = int(url.rsplit(":", 1)[1].strip("/"))
    with socket.create_connection(("127.0.0.1", port), timeout=30) as s:
        s.sendall(f"GET {target} HTTP/1.1\r\nHost: {host or f'127.0.0.1:{port}'}\r\nConnection: close\r\n\r\n".encode())
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    return int(head.split()[1]), body


def test_edit_break_fix_and_pdf_in_chromium(served, tmp_path):
    root, url, pages, secret = served
    installed()
    node = shutil.which("node")
    if not Path(CHROMIUM).exists():
        pytest.fail(f"the preview test drives Chromium headless: apt-get install -y chromium (or set CHROMIUM to "
                    f"its path; .ci/run installs it); {CHROMIUM} does not exist")
    pdf = tmp_path / "in-view.pdf"
    result = subprocess.run([node, str(EDITOR_TOOLS / "preview.mjs"), url, str(root), str(pdf)], cwd=EDITOR_TOOLS,
                            capture_output=True, text=True, timeout=240)
    assert result.returncode == 0, result.stderr[-3000:]
    seen = json.loads(result.stdout.strip().splitlines()[-1])

    assert "本制度适用于公司各部门" in seen["before"] and seen["pdfLink"] == "/regulations/service-regulation.pdf"
    assert "本制度适用于公司全体员工" in seen["afterEdit"] and "本制度适用于公司各部门" not in seen["afterEdit"]
    # the broken edit: its diagnostic, at its file and line, with the source line and the hint
    line = next(i for i, l in enumerate((root / "policies/service-regulation.yaml").read_text(encoding="utf-8")
                                        .splitlines(), 1) if l.startswith("issued_by:"))
    assert ["PG-REF-003", "policies/service-regulation.yaml", str(line)] in seen["problemFiles"]
    assert f"policies/service-regulation.yaml:{line}:" in seen["problems"] and "general-ofice" in seen["problems"]
    assert "hint:" in seen["problems"] and f" {line} | issued_by: general-ofice" in seen["problems"]
    assert "PG-LOAD-004" in seen["syntax"] and "policies/service-regulation.yaml:" in seen["syntax"]
    assert seen["fixed"] == 0
    # the PDF is of the page in view as it is now
    assert seen["pdfStatus"] == 200 and seen["pdfType"] == "application/pdf"
    with pdfplumber.open(pdf) as document:
        text = "".join(page.extract_text() or "" for page in document.pages)
    assert "本制度适用于公司全体员工" in text.replace("\n", "")
    assert set(seen["escapes"].values()) == {404}, seen["escapes"]


@pytest.mark.parametrize("target", [
    "/../secret.txt", "/../../secret.txt", "/..%2fsecret.txt", "/..%2F..%2Fsecret.txt", "/%2e%2e/secret.txt",
    "/%2e%2e%2f%2e%2e%2fsecret.txt", "/regulations/..%2f..%2f..%2fsecret.txt", "/regulations/../../secret.txt",
    "/..\\secret.txt", "/%5c..%5csecret.txt", "/link.html", "/linked-folder/secret.txt", "/%252e%252e/secret.txt",
    "//secret.txt", "/./../secret.txt", "/regulations/%00.html", "/regulations/..%2f..%2fproject%2fpolicygen.yaml",
    "/forms/../../project/policygen.yaml", "/regulations/..%2fsecret.pdf",
])
def test_nothing_outside_the_preview_folder_is_served(served, target):
    root, url, pages, secret = served
    status, body = raw_get(url, target)
    assert status in (400, 403, 404) and b"SECRET-OUTSIDE" not in body and b"project:" not in body, (status, body[:200])


def test_pages_inside_are_served_and_other_hosts_are_refused(served):
    root, url, pages, secret = served
    status, body = raw_get(url, "/index.html")
    assert status == 200 and b"/_policygen/live.js" in body
    status, _ = raw_get(url, "/index.html", host="evil.example:80")
    assert status == 403
    # what the index links to besides the pages is made when asked for
    status, body = raw_get(url, "/rules/complaint-approval.json")
    assert status == 200 and json.loads(body)["format_version"].startswith("1.")
    status, body = raw_get(url, "/regulations/service-regulation.docx")
    assert status == 200 and body[:2] == b"PK"
    assert raw_get(url, "/regulations/no-such-document.pdf")[0] == 404


def test_safe_path_resolves_only_inside(tmp_path):
    folder = tmp_path / "pages"
    (folder / "regulations").mkdir(parents=True)
    (folder / "regulations" / "a.html").write_text("a", encoding="utf-8")
    (tmp_path / "outside.html").write_text("x", encoding="utf-8")
    assert safe_path(folder, "/regulations/a.html?x=1") == (folder / "regulations" / "a.html").resolve()
    assert safe_path(folder, "/regulations/%61.html") == (folder / "regulations" / "a.html").resolve()
    for bad in ("/../outside.html", "/regulations/..%2f..%2foutside.html", "/regulations/", "/regulations"):
        assert safe_path(folder, bad) is None
