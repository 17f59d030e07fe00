"""policygen: regulations, service rules, approval matrices and forms from YAML, to print and to load.

The public API is what this module lists in `__all__`; the CLI is a thin layer over it. Nothing here prints:
results carry their diagnostics.

    >>> from policygen import load_project, build_project
    >>> result = build_project("path/to/project")
    >>> [d.code for d in result.diagnostics.errors]
    []
"""

from ._version import __version__
from .build import BuildResult, build_project
from .diagnostics import CATALOGUE, Diagnostic, Diagnostics, Severity
from .importer import ImportResult, import_document
from .project import LoadResult, ProjectNotFound, load_project
# `due` and `diff` are also the names of modules: load those first, so that importing them later cannot put the
# module in the place of the function (Python sets a package's attribute when it first loads its submodule)
from . import diff as _diff_module, due as _due_module  # noqa: F401
from .queries import ProjectError, QueryError, Unanswerable, decide, diff, due, test


__all__ = [
    "CATALOGUE",
    "BuildResult",
    "Diagnostic",
    "Diagnostics",
    "ImportResult",
    "LoadResult",
    "ProjectNotFound",
    "Severity",
    "ProjectError",
    "QueryError",
    "Unanswerable",
    "build_project",
    "decide",
    "diff",
    "due",
    "test",
    "import_document",
    "load_project",
    "validate_project",
    "__version__",
]



def validate_project(start=".") -> Diagnostics:
    """Load and check the project containing `start`; return its diagnostics (errors and warnings)."""
    return load_project(start).diagnostics
