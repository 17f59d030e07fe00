"""Fonts for printed output: which face draws which role in which language, and whether it has every character.

policygen ships free-licensed subsets of CJK faces (see fonts/README.md and fonts/LICENSES/), so PDFs render
after `pip install` alone. A project may name other font files in policygen.yaml (`fonts:`); they come first.
Before anything is rendered, every character of every document is checked against the faces of its language:
a character no face covers is an error naming it, its code point and where it is, never a silent tofu box.
"""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from .diagnostics import Diagnostic
from .loader import SourceFile

FONTS_DIR = Path(__file__).resolve().parent / "fonts"
ROLES = ("body", "title", "heading", "kai")
# Characters that never need a glyph: controls, joiners, variation selectors.
_INVISIBLE = {0x09, 0x0A, 0x0D, 0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF} | set(range(0xFE00, 0xFE10))


@dataclass(frozen=True)
class Face:
    key: str  # css family name used in generated stylesheets
    path: Path
    label: str  # how diagnostics name it


@cache
def _manifest() -> dict:
    return json.loads((FONTS_DIR / "fonts.json").read_text(encoding="utf-8"))


@cache
def coverage(path: Path) -> frozenset[int]:
    from fontTools.ttLib import TTFont

    with TTFont(path, lazy=True, fontNumber=0) as font:
        return frozenset(font.getBestCmap() or {})


@cache
def _union_coverage(paths: tuple[Path, ...]) -> frozenset[int]:
    return frozenset().union(*(coverage(p) for p in paths))


def builtin_face(face_id: str) -> Face:
    face = _manifest()["faces"][face_id]
    return Face(f"pg-{face_id}", FONTS_DIR / face["file"], face_id)


def faces_for(language: str, project_fonts: list[dict], root: Path) -> dict[str, list[Face]]:
    """For each role, the faces to try in order: project fonts, the built-in face, then the fallbacks."""
    roles = _manifest()["roles"][language]
    fallback = [builtin_face(f) for f in roles["fallback"]]
    chains: dict[str, list[Face]] = {}
    for role in ROLES:
        chain = [Face(f"pg-user-{i}", (root / spec["file"]).resolve(), spec["file"])
                 for i, spec in enumerate(project_fonts)
                 if spec.get("role", role) == role and language in spec.get("languages", [language])]
        chain.append(builtin_face(roles[role]))
        chain.extend(f for f in fallback if f not in chain)
        chains[role] = chain
    return chains


def all_faces(chains: dict[str, list[Face]]) -> list[Face]:
    seen: list[Face] = []
    for chain in chains.values():
        seen.extend(f for f in chain if f not in seen)
    return seen


def missing_characters(text: str, faces: list[Face]) -> list[str]:
    """The characters of `text` (each once, in order) that none of `faces` has and that need a glyph."""
    covered = _union_coverage(tuple(f.path for f in faces))
    return list(dict.fromkeys(ch for ch in _composed(text) if ord(ch) not in covered and ord(ch) not in _INVISIBLE))


def _composed(text: str) -> str:
    """`text` as a shaper draws it: a letter and its combining accent (e + U+0301, as text pasted from some systems
    comes) take the face's precomposed glyph (é), so only what does not compose must be in a face."""
    return unicodedata.normalize("NFC", text)


def check_coverage(source: SourceFile, language: str, faces: list[Face], *, data=None, path: tuple = ()) -> list[Diagnostic]:
    """One diagnostic per character (first occurrence in the file) that no face covers."""
    covered = _union_coverage(tuple(f.path for f in faces))
    missing: dict[str, tuple] = {}
    for value_path, text in _strings(source.data if data is None else data, path):
        for ch in _composed(text):
            if ord(ch) not in covered and ord(ch) not in _INVISIBLE and ch not in missing:
                missing[ch] = value_path
    names = ", ".join(f.label for f in faces)
    return [source.diagnostic("PG-RENDER-002",
                              f"the character '{ch}' (U+{ord(ch):04X}) is in none of the fonts for {language} ({names})",
                              value_path)
            for ch, value_path in missing.items()]


def _strings(value, path: tuple):
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            if key not in ("id", "kind", "language", "names"):
                yield from _strings(item, path + (key,))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _strings(item, path + (i,))
