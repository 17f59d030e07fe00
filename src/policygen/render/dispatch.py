"""Which writers make which outputs, and running them for some documents, in this process or in a pool."""

from __future__ import annotations

import importlib
import os
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from multiprocessing import get_context
from pathlib import Path

from ..model import Project

# (output option in policygen.yaml, module, function): each function takes (project, out, ids) and returns the
# paths it wrote, named <folder>/<document id>.<ext>.
WRITERS = [
    ("html", "policygen.render.html", "write_pages"),
    ("pdf", "policygen.render.pdf", "write_regulations"),
    ("pdf", "policygen.render.form_pdf", "write_forms"),
    ("docx", "policygen.render.docx", "write_regulations"),
    ("docx", "policygen.render.docx", "write_forms"),
    ("rules", "policygen.render.rules_json", "write_exports"),
    ("rules", "policygen.render.dmn", "write_dmn"),
    ("rules", "policygen.render.form_schema", "write_form_schemas"),  # machine-readable, like the rule exports
    ("rules", "policygen.render.bpmn", "write_bpmn"),  # a procedure as BPMN 2.0 with its diagram
]


def render_documents(project: Project, out: Path, ids: set[str], progress=None) -> list[Path]:
    if progress is not None:  # one document at a time, to tell progress(id, done, total) as each one ends
        progress("", 0, len(ids))
        written = []
        for done, doc_id in enumerate(sorted(ids), 1):
            written += render_documents(project, out, {doc_id})
            progress(doc_id, done, len(ids))
        return written
    written: list[Path] = []
    for output, module, function in WRITERS:
        if output in project.config.outputs:
            writer = getattr(importlib.import_module(module), function)
            kwargs = {"index": False} if function == "write_pages" else {}
            written += writer(project, out, ids, **kwargs)
    return written


class Interrupted(Exception):
    """A render worker died (killed, or out of memory) before it finished these documents."""

    def __init__(self, ids):
        super().__init__(", ".join(sorted(ids)))
        self.ids = sorted(ids)


# A worker renders at most this many documents, then a fresh one takes over. WeasyPrint and Pango keep native
# memory per document that Python cannot release (about 5 MB; Python's object count stays flat; see bench figure
# 7): without this, a worker of a 600-document project grew past 1.2 GB; with it, its memory is bounded by what
# RECYCLE_AFTER documents need, whatever the size of the project.
RECYCLE_AFTER = 8
# With -j 1, up to this many documents render in the build's own process (no worker to start; its memory grows by
# what they leave, about 5 MB each); more go to one recycled worker.
IN_PROCESS_AT_MOST = 40


def _start_worker(parent: int) -> None:
    """Runs first in every worker: die with the build that started it."""
    _die_with_parent(parent)


def _die_with_parent(parent: int) -> None:
    """Ask Linux to kill this process when the build that started it dies (prctl PR_SET_PDEATHSIG), so a killed
    build never leaves workers behind; if it died already, go now."""
    import signal

    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, int(signal.SIGKILL), 0, 0, 0)  # PR_SET_PDEATHSIG = 1
    except (OSError, AttributeError):  # pragma: no cover (not Linux: workers end when their task queue closes)
        pass
    if os.getppid() != parent:
        os._exit(1)


def _render_in_worker(root: str, files: list[str], out: str, doc_id: str) -> list[str]:
    """Load only the files the document's outputs are made of (plan.dependencies: what its key covers, which a
    test proves is all that rendering reads), so a worker's memory does not grow with the project, and render."""
    from ..project import load_project

    project = load_project(root, check_outputs=False, only={Path(f) for f in files}).project  # the build checked it
    return [str(p) for p in render_documents(project, Path(out), {doc_id})]


def _files_for(project: Project) -> dict[str, list[str]]:
    from ..plan import dependencies, rendered_documents

    docs = rendered_documents(project)
    org = [str(project.organization.where.source.path)] if project.organization else []
    return {doc_id: org + sorted(str(docs[d].where.source.path) for d in {doc_id, *deps})
            for doc_id, deps in dependencies(project).items()}


def render_in_pool(project: Project, out: Path, ids: set[str], jobs: int, progress=None) -> list[Path]:
    """Render each document in its own task across `jobs` processes.

    Workers are spawned (fresh interpreters; each task loads the few files its document needs): a worker is
    replaced after RECYCLE_AFTER documents, which Python's pool allows only for spawned workers. At most `jobs`
    documents are handed out at a time, so when a worker dies the documents it was rendering are known:
    Interrupted names them.
    """
    order = sorted(ids, key=lambda i: (i not in project.regulations, i))  # regulations (the longest) first
    files = _files_for(project)
    root = str(project.config.root)
    written: list[Path] = []
    with ProcessPoolExecutor(jobs, mp_context=get_context("spawn"), initializer=_start_worker,
                             initargs=(os.getpid(),), max_tasks_per_child=RECYCLE_AFTER) as pool:
        queue = iter(order)
        running: dict = {}
        finished = 0

        def hand_out() -> None:
            doc_id = next(queue, None)
            if doc_id is not None:
                running[pool.submit(_render_in_worker, root, files[doc_id], str(out), doc_id)] = doc_id

        if progress is not None:
            progress("", 0, len(order))
        for _ in range(jobs):
            hand_out()
        while running:
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in done:
                doc_id = running.pop(future)
                try:
                    written += [Path(p) for p in future.result()]
                except BrokenProcessPool:
                    raise Interrupted([doc_id, *running.values()]) from None
                finished += 1
                if progress is not None:
                    progress(doc_id, finished, len(order))
                hand_out()
    return written
