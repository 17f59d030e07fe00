"""The live preview's pages: HTML of every document, rebuilt for the documents whose inputs changed, and the PDF
(or another output) of one document on demand. `policygen serve` (serve.py) shows them in a browser; nothing here prints.

The pages are written into a folder of their own (not the project's output folder, which only `policygen build`
replaces). What "changed" means is the build's own definition: a document's key (plan.unit_keys) hashes
everything that can change its output, so an edit re-renders exactly the pages it can affect. A project with errors
keeps the last good pages and reports its diagnostics (`problems`).
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import plan
from ._version import __version__
from .diagnostics import Diagnostic
from .model import Project
from .project import load_project


@dataclass
class Refresh:
    """What one refresh did: the generation it made, the pages it wrote, and the project's problems."""

    generation: int
    written: list[str] = field(default_factory=list)
    problems: list[Diagnostic] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not any(d.is_error for d in self.problems)


class Preview:
    def __init__(self, start: Path | str, folder: Path):
        self.start = Path(start)
        self.folder = folder
        self.project: Project | None = None
        self.keys: dict[str, str] = {}
        self.made: dict[tuple[str, str], str] = {}  # (document, "pdf" | "all") → the key it was rendered with
        self.last = Refresh(0)
        self.lock = threading.RLock()
        self.changed = threading.Condition(self.lock)

    @property
    def root(self) -> Path:
        return self.project.config.root if self.project else self.start

    def refresh(self) -> Refresh:
        """Load the project again; re-render the pages of the documents whose key changed (all, the first time)."""
        from .render import html

        began = time.perf_counter()
        loaded = load_project(self.start)
        with self.lock:
            result = Refresh(self.last.generation + 1, problems=loaded.diagnostics.sorted())
            if loaded.project is not None and not loaded.diagnostics.errors:
                try:
                    result.written = self._render_pages(loaded.project, html)
                except html.RenderError as exc:
                    result.problems.append(Diagnostic("PG-RENDER-001", exc.message, file=f"templates/{exc.template}"))
            result.seconds = time.perf_counter() - began
            self.last = result
            self.changed.notify_all()
            return result

    def _render_pages(self, project: Project, html) -> list[str]:
        keys = plan.unit_keys(project, __version__)
        changed = {i for i, key in keys.items() if self.keys.get(i) != key}
        for gone in set(self.keys) - set(keys):
            for path in self.folder.glob(f"*/{gone}.*"):
                path.unlink()
        written = html.write_pages(project, self.folder, ids=changed, index=True)
        self.project, self.keys = project, keys
        return sorted(p.relative_to(self.folder).as_posix() for p in written)

    def wait(self, since: int, timeout: float) -> Refresh:
        """The latest refresh, as soon as there is one newer than generation `since` (or after `timeout`)."""
        with self.lock:
            self.changed.wait_for(lambda: self.last.generation > since, timeout=timeout)
            return self.last

    def made_on_demand(self, rel: str) -> Path | None:
        """The file at `rel` that the pages link to but the preview does not write on each save (a regulation's or
        form's PDF, the DOCX, the rule exports), rendered now if it is missing or older than its document; None when
        no document has it or the project has errors. A PDF is rendered alone, the rest with all of the document's
        outputs (dispatch.render_documents)."""
        from .render import dispatch, form_pdf, pdf

        folder, _, name = rel.partition("/")
        doc_id = name.split(".", 1)[0]
        with self.lock:
            project = self.project
            if project is None or not self.last.ok or doc_id not in self.keys or name.endswith(".html"):
                return None
            documents = {"regulations": project.regulations, "forms": project.forms,
                         "rules": {**project.rulesets, **project.matrices}}.get(folder, {})
            if doc_id not in documents:
                return None
            alone = {"regulations": pdf.write_regulations, "forms": form_pdf.write_forms}.get(folder)
            if not name.endswith(".pdf") or alone is None:
                alone = None
            what = (doc_id, "pdf" if alone else "all")
            target = self.folder / folder / name
            if self.made.get(what) != self.keys[doc_id] or not target.is_file():
                problems = [d for d in pdf.check_fonts(project) if d.is_error] if "pdf" in project.config.outputs else []
                if problems:
                    self.last.problems.extend(problems)
                    return None
                if alone:
                    alone(project, self.folder, {doc_id})
                else:
                    dispatch.render_documents(project, self.folder, {doc_id})
                self.made[what] = self.keys[doc_id]
            return target if target.is_file() else None
