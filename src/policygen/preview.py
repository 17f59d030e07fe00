"""The live preview's pages: HTML of every document, rebuilt for the documents whose inputs changed, and the PDF
(or another output) of one document on demand. `policygen serve` (serve.py) shows them in a browser; nothing here prints.

The pages are written into a folder of their own (not the project's output folder, which only `policygen build`
replaces). What "changed" means is the build's own definition: a document's key (plan.unit_keys) hashes
everything that can change its output, so an edit re-renders exactly the pages it can affect. A project with errors
keeps the last good pages and reports its diagnostics (`problems`).
"""

from __future__ import annotations

import os
import shutil
import tempfile
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
        self.texts: dict[str, str] = {}  # each document's text when its page was last written
        self.pages: dict[str, int] = {}  # page → the generation that last wrote it
        self.made: dict[tuple[str, str], str] = {}  # (document, "pdf" | "all") → the key it was rendered with
        self.last = Refresh(0)
        self.lock = threading.RLock()
        self.rendering = threading.Lock()  # one render on demand at a time
        self.fresh: set[str] = set()  # files asked for: rendered again after each save
        self.changed = threading.Condition(self.lock)

    @property
    def root(self) -> Path:
        return self.project.config.root if self.project else self.start

    def refresh(self, between=None) -> Refresh:
        """Load the project again and re-render the pages of the documents whose key changed (all, the first time):
        first the documents whose own text changed (the page an author is editing), published at once as a
        generation of its own, then (after calling `between`, if given: the server renders the PDFs kept fresh
        there, so the PDF of the edited document does not wait for its dependents' pages) the documents that depend
        on them and the index. Called from one thread at a time (the watcher); the lock is held only to publish, so
        the browser hears of the first pages at once."""
        from .render import html

        began = time.perf_counter()
        loaded = load_project(self.start)
        result = Refresh(self.last.generation + 1, problems=loaded.diagnostics.sorted())
        if loaded.project is None or loaded.diagnostics.errors:
            return self._publish(result, began)
        project = loaded.project
        keys = plan.unit_keys(project, __version__)
        texts = {i: d.where.source.text for i, d in plan.rendered_documents(project).items()}
        changed = {i for i, key in keys.items() if self.keys.get(i) != key}
        edited = {i for i in changed if self.texts.get(i) != texts[i]}
        try:
            for gone in set(self.keys) - set(keys):
                for path in self.folder.glob(f"*/{gone}.*"):
                    path.unlink()
            if edited and edited != changed:
                first = self._write(project, html, edited, index=False)
                self._publish(Refresh(result.generation, written=first, problems=result.problems), began,
                              project=project, keys={**self.keys, **{i: keys[i] for i in edited}}, texts=texts)
                result = Refresh(result.generation + 1, written=first, problems=result.problems)
                changed -= edited
                if between is not None:
                    between()
            result.written += self._write(project, html, changed, index=True)
        except html.RenderError as exc:
            result.problems.append(Diagnostic("PG-RENDER-001", exc.message, file=f"templates/{exc.template}"))
            return self._publish(result, began)
        return self._publish(result, began, project=project, keys=keys, texts=texts)

    def _write(self, project: Project, html, ids: set[str], index: bool) -> list[str]:
        written = [p.relative_to(self.folder).as_posix() for p in html.write_pages(project, self.folder, ids=ids, index=index)]
        generation = self.last.generation + 1
        with self.lock:
            for rel in written:
                self.pages[rel] = generation
        return sorted(written)

    def _publish(self, result: Refresh, began: float, **state) -> Refresh:
        with self.lock:
            for name, value in state.items():
                setattr(self, name, value)
            result.seconds = time.perf_counter() - began
            self.last = result
            self.changed.notify_all()
        return result

    def wait(self, since: int, timeout: float) -> Refresh:
        """The latest refresh, as soon as there is one newer than generation `since` (or after `timeout`)."""
        with self.lock:
            self.changed.wait_for(lambda: self.last.generation > since, timeout=timeout)
            return self.last

    def made_on_demand(self, rel: str) -> Path | None:
        """The file at `rel` that the pages link to but the preview does not write on each save (a regulation's or
        form's PDF, the DOCX, the rule exports), rendered now if it is missing or older than its document; None when
        no document has it or the project has errors. A PDF is rendered alone, the rest with all of the document's
        outputs (dispatch.render_documents). Once asked for, a file is kept fresh after every save (`keep_fresh`).
        Renders go into a folder of their own and are moved into place, so a reader never sees half a file."""
        from .render import dispatch, form_pdf, pdf

        folder, _, name = rel.partition("/")
        doc_id = name.split(".", 1)[0]
        with self.lock:  # a consistent view of the project; rendering happens outside this lock
            project, keys, ok = self.project, self.keys, self.last.ok
        if project is None or not ok or doc_id not in keys or name.endswith(".html"):
            return None
        documents = {"regulations": project.regulations, "forms": project.forms,
                     "rules": {**project.rulesets, **project.matrices}}.get(folder, {})
        if doc_id not in documents:
            return None
        alone = {"regulations": pdf.write_regulations, "forms": form_pdf.write_forms}.get(folder)
        if not name.endswith(".pdf"):
            alone = None
        what = (doc_id, "pdf" if alone else "all")
        target = self.folder / folder / name
        with self.rendering:
            if self.made.get(what) != keys[doc_id] or not target.is_file():
                problems = [d for d in pdf.check_fonts(project) if d.is_error] if "pdf" in project.config.outputs else []
                if problems:
                    with self.lock:
                        self.last.problems.extend(problems)
                    return None
                scratch = Path(tempfile.mkdtemp(prefix="render-", dir=self.folder.parent))
                try:
                    made = alone(project, scratch, {doc_id}) if alone else dispatch.render_documents(project, scratch, {doc_id})
                    for path in made:
                        final = self.folder / path.relative_to(scratch)
                        final.parent.mkdir(parents=True, exist_ok=True)
                        os.replace(path, final)
                finally:
                    shutil.rmtree(scratch, ignore_errors=True)
                self.made[what] = keys[doc_id]
            self.fresh.add(rel)
        return target if target.is_file() else None

    def keep_fresh(self) -> None:
        """Render again the files asked for before whose document changed (the PDF an author keeps open)."""
        for rel in sorted(self.fresh):
            self.made_on_demand(rel)
