"""A small client of yaml-language-server (tests/editor/node_modules), over the language server protocol on stdio:
open YAML files as VS Code with Red Hat's YAML extension would, and collect the problems the server publishes."""

from __future__ import annotations

import json
import shutil
import queue
import subprocess
import threading
import time
from pathlib import Path

SERVER = Path(__file__).resolve().parent / "editor" / "node_modules" / "yaml-language-server" / "bin" / "yaml-language-server"


TOOLS = SERVER.parents[2]
INSTALL_HINT = ("install Node.js 20.12 or newer with npm on PATH (Debian 12's own nodejs is 18: use NodeSource); "
                "tests/editor is then installed with npm ci")


def installed() -> Path:
    """tests/editor with its node_modules (npm ci from package-lock.json, once), or a test failure saying what to
    install. The editor test (yaml-language-server) and the preview test (playwright-core) use it."""
    import pytest

    if not shutil.which("node") or not shutil.which("npm"):
        pytest.fail(f"these tests run Node.js tools and need `node` and `npm` on PATH: {INSTALL_HINT}")
    if not (TOOLS / "node_modules").is_dir():
        result = subprocess.run([shutil.which("npm"), "ci", "--no-audit", "--no-fund"], cwd=TOOLS,
                                capture_output=True, text=True)
        if result.returncode != 0:
            pytest.fail(f"`npm ci` in {TOOLS} failed:\n{result.stdout}\n{result.stderr}")
    return TOOLS


class Client:
    def __init__(self, root: Path):
        self.process = subprocess.Popen(["node", str(SERVER), "--stdio"], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        self.next_id = 0
        self.diagnostics: dict[str, list] = {}
        self.opened: set[str] = set()
        self.messages: queue.Queue = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()
        self.settings = {"yaml": {"validate": True, "hover": True, "completion": True, "schemaStore": {"enable": False},
                                  "format": {"enable": False}}}
        self.request("initialize", {"processId": None, "rootUri": root.as_uri(),
                                    "capabilities": {"workspace": {"configuration": True},
                                                     "textDocument": {"publishDiagnostics": {}}}})
        self.notify("initialized", {})
        self.notify("workspace/didChangeConfiguration", {"settings": self.settings})

    def close(self) -> None:
        try:
            self.request("shutdown", None, timeout=10)
            self.notify("exit", None)
            self.process.wait(5)
        except Exception:
            pass
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()

    def _send(self, message: dict) -> None:
        body = json.dumps(message).encode()
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.process.stdin.flush()

    def _read(self) -> None:
        while True:
            length = 0
            while True:
                line = self.process.stdout.readline()
                if not line:
                    self.messages.put(None)
                    return
                if line in (b"\r\n", b"\n"):
                    break
                name, _, value = line.decode().partition(":")
                if name.lower() == "content-length":
                    length = int(value)
            self.messages.put(json.loads(self.process.stdout.read(length)))

    def _receive(self, timeout: float = 60) -> dict | None:
        """The next message from the server (None after `timeout` seconds of silence), answering its requests."""
        try:
            message = self.messages.get(timeout=timeout)
        except queue.Empty:
            return None
        if message is None:
            raise RuntimeError("yaml-language-server exited")
        if message.get("method") == "textDocument/publishDiagnostics":
            self.diagnostics[message["params"]["uri"]] = message["params"]["diagnostics"]
        elif message.get("method") == "workspace/configuration":  # the server asks for its settings
            self._send({"jsonrpc": "2.0", "id": message["id"],
                        "result": [self.settings.get(item.get("section", ""), None) for item in message["params"]["items"]]})
        elif "id" in message and "method" in message:  # other requests from the server: acknowledge
            self._send({"jsonrpc": "2.0", "id": message["id"], "result": None})
        return message

    def request(self, method: str, params, timeout: float = 60):
        self.next_id += 1
        self._send({"jsonrpc": "2.0", "id": self.next_id, "method": method, "params": params})
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            message = self._receive(deadline - time.monotonic())
            if message and message.get("id") == self.next_id and "method" not in message:
                return message.get("result")
        raise TimeoutError(method)

    def notify(self, method: str, params) -> None:
        self._send({"jsonrpc": "2.0", "method": method, "params": params})

    def problems(self, path: Path, text: str | None = None) -> list[dict]:
        """Open `path` (with `text` in place of its content, if given) and return the problems the server reports."""
        uri = path.resolve().as_uri()
        text = path.read_text(encoding="utf-8") if text is None else text
        self.diagnostics.pop(uri, None)
        self.version = getattr(self, "version", 0) + 1
        if uri in self.opened:
            self.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": self.version},
                                                   "contentChanges": [{"text": text}]})
        else:
            self.opened.add(uri)
            self.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "yaml",
                                                                  "version": self.version, "text": text}})
        deadline = time.monotonic() + 60
        while uri not in self.diagnostics and time.monotonic() < deadline:
            self._receive(deadline - time.monotonic())
        while self._receive(timeout=1.0) is not None:  # the server may publish again (debounced validation)
            pass
        return self.diagnostics.get(uri, [])

    def hover(self, path: Path, line: int, character: int):
        """What the editor shows when the pointer rests at (line, character), 0-based, of `path`."""
        self.problems(path)
        return self.request("textDocument/hover", {"textDocument": {"uri": path.resolve().as_uri()},
                                                   "position": {"line": line, "character": character}})
