"""Where the built-in schemas and templates are.

In a source checkout (and an editable install) they are the top-level `schemas/` and `templates/` folders of the
repository; a wheel carries copies under `policygen/_data/` (see pyproject.toml). One place to look them up keeps
the rest of the code free of that difference.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


@cache
def data_dir(name: str) -> Path:
    for candidate in (_PACKAGE / "_data" / name, _PACKAGE.parent.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"policygen's built-in {name}/ folder is missing from the installation")


def schemas_dir() -> Path:
    return data_dir("schemas")


def templates_dir() -> Path:
    return data_dir("templates")
