"""`policygen serve`: the preview (preview.py) in a browser, on 127.0.0.1 only, rebuilt on every save.

A watcher (watchfiles) refreshes the preview when a file of the project changes; every HTML page served carries a
small script (templates/preview/live.js) that asks `/_policygen/status` for the next refresh (a long poll) and
reloads the page when that refresh wrote it, or shows the project's diagnostics over it, with file, line and the source line. The PDF of the
document in view is rendered when asked for (`regulations/<id>.pdf`, `forms/<id>.pdf`).

Only files inside the preview folder are served: a request path is decoded once, refused if it holds an encoded
slash or backslash, a `.` or `..` segment, a backslash or a NUL, and the file it names must resolve (symlinks
followed) to a regular file inside the folder. Requests that name another host (DNS rebinding) are refused.
"""

from __future__ import annotations

import json
import mimetypes
import os
import shutil
import tempfile
import threading
import urllib.parse
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Callable

from .diagnostics import format_text
from .preview import Preview, Refresh
from .resources import templates_dir

STATUS = "/_policygen/status"
SCRIPT = "/_policygen/live.js"
LONG_POLL_SECONDS = 25


def safe_path(folder: Path, request_path: str) -> Path | None:
    """The file inside `folder` that a request path names, or None when it names nothing there."""
    path = urllib.parse.urlsplit(request_path).path
    lowered = path.lower()
    if "%2f" in lowered or "%5c" in lowered or "%00" in lowered:
        return None  # an encoded slash or backslash never names a file here
    try:
        decoded = urllib.parse.unquote(path, errors="strict")
    except UnicodeDecodeError:
        return None
    if "\\" in decoded or "\x00" in decoded or not decoded.startswith("/"):
        return None
    parts = [p for p in decoded.split("/") if p]
    if any(p in (".", "..") for p in parts):
        return None
    target = folder.joinpath(*parts)
    if not parts or decoded.endswith("/"):
        target = target / "index.html"
    try:
        real = target.resolve(strict=True)
    except (OSError, RuntimeError):
        return None
    if not real.is_relative_to(folder.resolve()) or not real.is_file():
        return None
    return real


def problem_view(preview: Preview, refresh: Refresh) -> list[dict]:
    """The diagnostics as the page shows them: the data, and the text with the source line and the caret."""
    out = []
    for d in refresh.problems:
        source = None
        if d.file and d.line:
            try:
                lines = (preview.root / d.file).read_text(encoding="utf-8", errors="replace").splitlines()
                source = lines[d.line - 1] if d.line <= len(lines) else None
            except OSError:
                pass
        out.append({"code": d.code, "severity": d.severity.value, "file": d.file, "line": d.line, "column": d.column,
                    "message": d.message, "hint": d.hint, "text": format_text(d, source_line=source)})
    return out


def _handler(preview: Preview, host: str, port: int):
    allowed_hosts = {f"127.0.0.1:{port}", f"localhost:{port}"}
    script = (templates_dir() / "preview" / "live.js").read_bytes()

    class Handler(BaseHTTPRequestHandler):
        server_version = "policygen-preview"

        def log_message(self, format, *args):  # noqa: A002 (the signature of BaseHTTPRequestHandler)
            pass

        def do_GET(self) -> None:  # noqa: N802
            if self.headers.get("Host") not in allowed_hosts:
                return self._send(HTTPStatus.FORBIDDEN, b"policygen serves 127.0.0.1 only\n", "text/plain")
            path = urllib.parse.urlsplit(self.path).path
            if path == STATUS:
                return self._status()
            if path == SCRIPT:
                return self._send(HTTPStatus.OK, script, "text/javascript; charset=utf-8")
            if _made_on_demand(path) and preview.made_on_demand(path.lstrip("/")) is None:  # rendered now
                return self._not_found()
            target = safe_path(preview.folder, self.path)
            if target is None:
                if path in ("/", "/index.html"):  # no page yet: the project had errors from the start
                    return self._send(HTTPStatus.OK, _inject(b"<!DOCTYPE html><html><head><meta charset='utf-8'>"
                                                             b"<title>policygen</title></head><body></body></html>"),
                                      "text/html; charset=utf-8")
                return self._not_found()
            body = target.read_bytes()
            kind = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
            if kind == "text/html":
                body, kind = _inject(body), "text/html; charset=utf-8"
            self._send(HTTPStatus.OK, body, kind)

        def _status(self) -> None:
            query = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query)
            try:
                since = int(query.get("since", ["-1"])[0])
            except ValueError:
                since = -1
            refresh = preview.wait(since, LONG_POLL_SECONDS)
            page = query.get("page", ["index.html"])[0]
            data = {"generation": refresh.generation, "ok": refresh.ok, "written": refresh.written,
                    "page_generation": preview.pages.get(page, 0), "problems": problem_view(preview, refresh)}
            self._send(HTTPStatus.OK, json.dumps(data, ensure_ascii=False).encode(), "application/json")

        def _not_found(self) -> None:
            self._send(HTTPStatus.NOT_FOUND, b"not found\n", "text/plain")

        def _send(self, status: HTTPStatus, body: bytes, kind: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)

    return Handler


def _made_on_demand(path: str) -> bool:
    """A path of an output the pages link to but the preview renders only when asked: <folder>/<id>.<ext>."""
    parts = path.strip("/").split("/")
    return (len(parts) == 2 and parts[0] in ("regulations", "forms", "rules") and "." in parts[1]
            and not parts[1].endswith(".html") and "%" not in path and "\\" not in path and not parts[1].startswith("."))


def _inject(page: bytes) -> bytes:
    """The page with the live-reload script, which also shows problems and the PDF link."""
    tag = f'<script src="{SCRIPT}"></script>'.encode()
    at = page.rfind(b"</body>")
    return page[:at] + tag + page[at:] if at >= 0 else page + tag


class Server:
    """The preview server and its watcher; `report` receives each refresh (the CLI prints it)."""

    def __init__(self, start: Path | str, port: int = 8000, report: Callable[[Refresh], None] | None = None):
        self.workspace = Path(tempfile.mkdtemp(prefix="policygen-serve-"))
        self.pages = self.workspace / "pages"
        self.pages.mkdir()
        scratch = self.workspace / "tmp"
        scratch.mkdir()
        # WeasyPrint leaves a font folder per document in the temporary directory: keep them in ours
        os.environ["TMPDIR"] = tempfile.tempdir = str(scratch)
        self.preview = Preview(start, self.pages)
        self.report = report or (lambda refresh: None)
        self.httpd = ThreadingHTTPServer(("127.0.0.1", port), lambda *a: None)  # replaced below, once the port is known
        self.port = self.httpd.server_address[1]
        self.httpd.RequestHandlerClass = _handler(self.preview, "127.0.0.1", self.port)
        self.httpd.daemon_threads = True
        self.stop_event = threading.Event()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def refresh(self) -> Refresh:
        refresh = self.preview.refresh(between=self.preview.keep_fresh)
        self.report(refresh)
        return refresh

    def watch(self) -> None:
        import watchfiles

        root = self.preview.root
        ignored = [root / "output", root / ".git"]
        if self.preview.project is not None:
            ignored.append(self.preview.project.config.output)

        def relevant(change, path: str) -> bool:
            p = Path(path)
            return not any(p == i or i in p.parents for i in ignored) and not p.name.startswith(".")

        for _changes in watchfiles.watch(root, watch_filter=relevant, stop_event=self.stop_event, step=5,
                                         debounce=200, raise_interrupt=False):
            if self.refresh().ok:
                self.preview.keep_fresh()

    def run(self) -> None:
        import sys

        # the threads that answer the browser get the interpreter often while a page or PDF renders in another
        sys.setswitchinterval(0.0005)
        self.refresh()
        watcher = threading.Thread(target=self.watch, daemon=True)
        watcher.start()
        try:
            self.httpd.serve_forever(poll_interval=0.2)
        finally:
            self.stop_event.set()
            self.httpd.server_close()
            watcher.join(5)
            shutil.rmtree(self.workspace, ignore_errors=True)

    def shutdown(self) -> None:
        threading.Thread(target=self.httpd.shutdown, daemon=True).start()
