"""Which writers make which outputs, and running them for some documents, in this process or in a pool."""

from __future__ import annotations

import importlib
from concurrent.futures import ProcessPoolExecutor
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
]


def render_documents(project: Project, out: Path, ids: set[str]) -> list[Path]:
    written: list[Path] = []
    for output, module, function in WRITERS:
        if output in project.config.outputs:
            writer = getattr(importlib.import_module(module), function)
            kwargs = {"index": False} if function == "write_pages" else {}
            written += writer(project, out, ids, **kwargs)
    return written


_WORKER_PROJECT: Project | None = None


def _start_worker(root: str) -> None:
    global _WORKER_PROJECT
    if _WORKER_PROJECT is None:  # spawned: load the project; forked: it came with the parent's memory
        from ..project import load_project

        _WORKER_PROJECT = load_project(root).project


def _render_in_worker(out: str, doc_id: str) -> list[str]:
    return [str(p) for p in render_documents(_WORKER_PROJECT, Path(out), {doc_id})]


def render_in_pool(project: Project, out: Path, ids: set[str], jobs: int) -> list[Path]:
    """Render each document in its own task across `jobs` processes.

    Where the platform can fork and this process has not used the PDF libraries yet (their font state would not
    survive a fork), workers start as copies of this process with the project already loaded, which saves each
    the imports and the project load; otherwise they are spawned and load the project themselves.
    """
    global _WORKER_PROJECT
    order = sorted(ids, key=lambda i: (i not in project.regulations, i))  # regulations (the longest) first
    import multiprocessing

    from .pdf import fonts_used

    method = "fork" if not fonts_used() and "fork" in multiprocessing.get_all_start_methods() else "spawn"
    _WORKER_PROJECT = project if method == "fork" else None
    try:
        with ProcessPoolExecutor(jobs, mp_context=get_context(method), initializer=_start_worker,
                                 initargs=(str(project.config.root),)) as pool:
            results = pool.map(_render_in_worker, [str(out)] * len(order), order)
            return [Path(p) for paths in results for p in paths]
    finally:
        _WORKER_PROJECT = None
