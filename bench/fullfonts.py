"""The full Debian font files that policygen's shipped subsets were cut from (see src/policygen/fonts/fonts.json).

fonts.json names each face's source: "NotoSerifCJK-Regular.ttc (face NotoSerifCJKsc-Regular) from Debian
fonts-noto-cjk …", "FandolFang-Regular.otf from Debian texlive-lang-chinese …". A face inside a TrueType
collection is copied out to a standalone file once (WeasyPrint would take the first face of a .ttc, the Japanese
one), with fontTools, without decompiling its tables: every glyph of the original stays.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from policygen.fonts import FONTS_DIR

# Where Debian installs them; anything else under /usr/share/fonts is searched too.
KNOWN_DIRS = [
    Path("/usr/share/fonts/opentype/noto"),
    Path("/usr/share/texlive/texmf-dist/fonts/opentype/public/fandol"),
    Path("/usr/share/fonts/truetype/lxgw-wenkai"),
    Path("/usr/share/fonts/truetype/dejavu"),
]
SEARCH_ROOTS = [Path("/usr/share/fonts")]
INSTALL_HINT = "apt-get install fonts-noto-cjk texlive-lang-chinese fonts-lxgw-wenkai fonts-dejavu-core"


def manifest() -> dict:
    return json.loads((FONTS_DIR / "fonts.json").read_text(encoding="utf-8"))["faces"]


def _find(name: str) -> Path | None:
    for folder in KNOWN_DIRS:
        if (folder / name).is_file():
            return folder / name
    for root in SEARCH_ROOTS:
        for path in root.rglob(name):
            return path
    return None


def locate() -> tuple[dict[str, tuple[Path, str | None]], list[str]]:
    """face id → (full font file, PostScript name of the face in a collection or None); and the Debian
    packages of the files that are missing."""
    found, missing = {}, []
    for face_id, info in manifest().items():
        m = re.match(r"(\S+)(?: \(face (\S+)\))?(?: from Debian (\S+))?", info["source"])
        path = _find(m.group(1))
        if path is None:
            missing.append(m.group(3) or m.group(1))
        else:
            found[face_id] = (path, m.group(2))
    return found, sorted(set(missing))


def standalone(path: Path, face: str | None, folder: Path) -> Path:
    """The font file itself, or the face `face` of a collection saved as its own file in `folder`."""
    if face is None and path.suffix.lower() not in (".ttc", ".otc"):
        return path
    from fontTools.ttLib import TTCollection

    target = folder / f"{face}.otf"
    if not target.exists():
        collection = TTCollection(str(path), lazy=True)
        match = [f for f in collection.fonts if f["name"].getDebugName(6) == face]
        if not match:
            raise LookupError(f"{path} has no face {face}")
        folder.mkdir(parents=True, exist_ok=True)
        match[0].save(str(target))  # tables not accessed are copied byte for byte
    return target


def full_files(folder: Path) -> dict[str, Path]:
    """face id → a full font file WeasyPrint can load (collections' faces extracted into `folder`)."""
    found, missing = locate()
    if missing:
        raise FileNotFoundError(missing)
    return {face_id: standalone(path, face, folder) for face_id, (path, face) in found.items()}


_FACE = re.compile(r"@font-face\s*\{[^}]*\}")
_FAMILY = re.compile(r"font-family:\s*[\"']?([^\"';]+)[\"']?")
_URL = re.compile(r"url\(\s*([\"']?)([^\"')]+)\1\s*\)")


def point_at(markup: str, files: dict[str, Path], unmapped: set[str]) -> str:
    """The HTML with the src of every @font-face pointing at the full font file of the same face."""
    by_file = {Path(info["file"]).stem: face_id for face_id, info in manifest().items()}

    def swap(block: re.Match) -> str:
        text = block.group(0)
        family = _FAMILY.search(text)
        url = _URL.search(text)
        if not family or not url:
            return text
        key = family.group(1).strip()
        face_id = key.removeprefix("pg-")
        if face_id not in files:  # a key with more after the face id (pg-song-sc-bold-1a2b): the longest match
            face_id = next((f for f in sorted(files, key=len, reverse=True) if face_id.startswith(f + "-")), "")
        if face_id not in files:
            face_id = by_file.get(Path(url.group(2)).stem.split(".")[0], "")
        if face_id not in files:
            unmapped.add(key)
            return text
        return text[:url.start()] + f'url("{files[face_id].as_uri()}")' + text[url.end():]

    return _FACE.sub(swap, markup)
