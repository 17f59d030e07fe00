#!/usr/bin/env python3
"""Regenerate the CJK font subsets that policygen ships (src/policygen/fonts/).

Sources are Debian packages; install them first (as root):

    apt-get install -y fonts-noto-cjk fonts-lxgw-wenkai texlive-lang-chinese fonts-dejavu-core

then, with fontTools available (it is a policygen dependency):

    python tools/make_fonts.py            # writes src/policygen/fonts/
    python tools/make_fonts.py --out DIR  # writes elsewhere (e.g. to compare two runs)

or, without installing them (no CJK fonts on the system): `apt-get download` the packages, unpack each with
`dpkg -x PACKAGE.deb FOLDER` and run with MAKE_FONTS_SOURCES=FOLDER.

Writes one subset per face (<face-id>.otf / .ttf), LICENSES/, fonts.json and README.md, then prints each face's
size and glyph count and checks that every character of every policies/**/*.yaml file is covered by the faces of
its language. The output is deterministic: two runs on the same sources give byte-identical files.
"""

from __future__ import annotations

import argparse
import os
import datetime as _dt
import gzip
import hashlib
import json
import re
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection, TTFont

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
from policygen.font_subsets import gid_addressed  # noqa: E402

# --------------------------------------------------------------------------------------------------------------
# Paths and constants
# --------------------------------------------------------------------------------------------------------------
REPO = Path(__file__).resolve().parent.parent
OUT_DIR = REPO / "src" / "policygen" / "fonts"
POLICIES_DIR = REPO / "policies"
TONGYONG = REPO / "tools" / "data" / "tongyong-guifan-hanzi.txt"
# Where the Debian packages are installed: "/" once they are, or a folder they were unpacked into with
# `apt-get download PACKAGE && dpkg -x PACKAGE.deb FOLDER` (so that the machine gets no CJK system fonts): set
# MAKE_FONTS_SOURCES=FOLDER.
SOURCES = Path(os.environ.get("MAKE_FONTS_SOURCES", "/"))

NOTO_DIR = SOURCES / "usr/share/fonts/opentype/noto"
NOTO_SERIF_REGULAR = NOTO_DIR / "NotoSerifCJK-Regular.ttc"
NOTO_SERIF_BOLD = NOTO_DIR / "NotoSerifCJK-Bold.ttc"
NOTO_SANS_BOLD = NOTO_DIR / "NotoSansCJK-Bold.ttc"
NOTO_COPYRIGHT = SOURCES / "usr/share/doc/fonts-noto-cjk/copyright"

FANDOL_FANG = SOURCES / "usr/share/texlive/texmf-dist/fonts/opentype/public/fandol/FandolFang-Regular.otf"
FANDOL_DOC = SOURCES / "usr/share/texlive/texmf-dist/doc/fonts/fandol"  # COPYING.gz, README
FANDOL_DOC_ALT = SOURCES / "usr/share/doc/texlive-doc/fonts/fandol"  # same files, symlinked by Debian

LXGW_REGULAR = SOURCES / "usr/share/fonts/truetype/lxgw-wenkai/LXGWWenKai-Regular.ttf"
LXGW_COPYRIGHT = SOURCES / "usr/share/doc/fonts-lxgw-wenkai/copyright"

DEJAVU_SANS = SOURCES / "usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
DEJAVU_COPYRIGHT = SOURCES / "usr/share/doc/fonts-dejavu-core/copyright"

# head.created / head.modified of every subset (seconds since 1904-01-01, the OpenType epoch): a fixed value so
# that two runs give byte-identical files. 2026-01-01T00:00:00Z.
FIXED_TIMESTAMP = int((_dt.datetime(2026, 1, 1, tzinfo=_dt.timezone.utc)
                       - _dt.datetime(1904, 1, 1, tzinfo=_dt.timezone.utc)).total_seconds())
MODIFICATION_NOTE = "Modified for policygen by tools/make_fonts.py (2026-01-01): character subset, hints removed."

SIZE_BUDGET = 45 * 1024 * 1024

# Symbols the CJK faces may lack; drawn by the `symbols` face.
SYMBOLS = "☐☑☒✓✔○●□■△▲☆★※→←↑↓"

# OpenType layout features kept in the subsets (everything else, e.g. 'locl' with its per-language glyph
# variants, 'aalt', 'trad', 'jp78', is dropped to save space).
LAYOUT_FEATURES = ["ccmp", "kern", "liga", "clig", "calt", "rlig", "mark", "mkmk", "palt", "halt", "vpal", "vhal",
                   "vert", "vrt2", "vkrn", "fwid", "hwid", "pwid"]

# Characters left out of a face although it maps them, because its glyph is wrong; a fallback face draws them.
EXCLUDE = {
    "fang-sc": {0xFFE5: "FandolFang draws U+FFE5 FULLWIDTH YEN SIGN as a dollar sign"},
}

# Faces whose licence declares a Reserved Font Name: the subset (a Modified Version under the OFL) gets a new name.
RENAMES = {
    # LXGW WenKai: OFL 1.1 "With Reserved Font Names "霞鹜" and "LXGW"" (debian/copyright of fonts-lxgw-wenkai).
    "kai": {"family": "PolicyGen Kai", "postscript": "PolicyGenKai-Regular", "subfamily": "Regular"},
}
RESERVED_WORDS = {"kai": ("LXGW", "霞鹜")}

# face id -> how to build it. repertoire: which encodings' characters to include (plus the common sets below).
FACES = {
    "fang-sc": {"source": FANDOL_FANG, "postscript": None, "package": "texlive-lang-chinese",
                "repertoire": ("gb2312",), "license": "Fandol-GPL-3.0.txt"},
    # song-sc also draws, in every language, the Han characters the other faces lack: all of GBK's and of the
    # 通用规范汉字表 (people's names: 喆 堃 䶮 …).
    "song-sc": {"source": NOTO_SERIF_REGULAR, "postscript": "NotoSerifCJKsc-Regular", "package": "fonts-noto-cjk",
                "repertoire": ("gb2312", "gbk-han", "tongyong"), "license": "OFL-1.1-NotoCJK.txt"},
    "song-sc-bold": {"source": NOTO_SERIF_BOLD, "postscript": "NotoSerifCJKsc-Bold", "package": "fonts-noto-cjk",
                     "repertoire": ("gb2312",), "license": "OFL-1.1-NotoCJK.txt"},
    "hei-sc": {"source": NOTO_SANS_BOLD, "postscript": "NotoSansCJKsc-Bold", "package": "fonts-noto-cjk",
               "repertoire": ("gb2312",), "license": "OFL-1.1-NotoCJK.txt"},
    "kai": {"source": LXGW_REGULAR, "postscript": None, "package": "fonts-lxgw-wenkai",
            "repertoire": ("gb2312", "big5"), "license": "OFL-1.1-LXGWWenKai.txt"},
    "song-tc": {"source": NOTO_SERIF_REGULAR, "postscript": "NotoSerifCJKtc-Regular", "package": "fonts-noto-cjk",
                "repertoire": ("big5",), "license": "OFL-1.1-NotoCJK.txt"},
    "song-tc-bold": {"source": NOTO_SERIF_BOLD, "postscript": "NotoSerifCJKtc-Bold", "package": "fonts-noto-cjk",
                     "repertoire": ("big5",), "license": "OFL-1.1-NotoCJK.txt"},
    "hei-tc": {"source": NOTO_SANS_BOLD, "postscript": "NotoSansCJKtc-Bold", "package": "fonts-noto-cjk",
               "repertoire": ("big5",), "license": "OFL-1.1-NotoCJK.txt"},
    "symbols": {"source": DEJAVU_SANS, "postscript": None, "package": "fonts-dejavu-core",
                "repertoire": (), "license": "DejaVu-Bitstream-Vera.txt"},
}

ROLES = {
    "zh-Hans": {"body": "fang-sc", "title": "song-sc-bold", "heading": "hei-sc", "kai": "kai",
                "fallback": ["song-sc", "symbols"]},
    "zh-Hant": {"body": "song-tc", "title": "song-tc-bold", "heading": "hei-tc", "kai": "kai",
                "fallback": ["song-tc", "kai", "song-sc", "symbols"]},
    "en": {"body": "song-sc", "title": "song-sc-bold", "heading": "hei-sc", "kai": "kai",
           "fallback": ["fang-sc", "symbols"]},
}

ROLE_USE = {
    "fang-sc": "zh-Hans body (仿宋 role)", "song-sc": "en body; in every language the fallback for the Han characters of GBK and 通用规范汉字表",
    "song-sc-bold": "zh-Hans and en title (小标宋 role)", "hei-sc": "zh-Hans and en headings (黑体 role)",
    "kai": "楷 role, all languages", "song-tc": "zh-Hant body", "song-tc-bold": "zh-Hant title",
    "hei-tc": "zh-Hant headings", "symbols": "check boxes, arrows and other symbols the CJK faces lack",
}

# Characters no font needs to draw (see policygen/fonts.py).
INVISIBLE = {0x09, 0x0A, 0x0D, 0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF} | set(range(0xFE00, 0xFE10))


class SourceMissing(SystemExit):
    pass


def need(path: Path, package: str) -> Path:
    if not path.exists():
        raise SourceMissing(f"make_fonts: source file {path} is missing; install the Debian package '{package}' "
                            f"(apt-get install -y {package})")
    return path


def package_version(package: str) -> str:
    """The Debian version of a package: its changelog's first entry under SOURCES, else dpkg's record."""
    changelog = SOURCES / "usr" / "share" / "doc" / package / "changelog.Debian.gz"
    if changelog.is_file():
        first = gzip.decompress(changelog.read_bytes()).decode("utf-8").split("\n", 1)[0]
        match = re.match(r"\S+ \(([^)]+)\)", first)  # the source package's name, then the version
        if match:
            return match.group(1)
    try:
        out = subprocess.run(["dpkg-query", "-W", "-f=${Version}", package], capture_output=True, text=True,
                             check=True).stdout.strip()
        return out or "unknown version"
    except (OSError, subprocess.CalledProcessError):
        return "unknown version"


# --------------------------------------------------------------------------------------------------------------
# Repertoires
# --------------------------------------------------------------------------------------------------------------
def encoding_chars(codec: str) -> set[int]:
    """Every character of a double-byte legacy encoding, found by decoding each valid two-byte code."""
    chars: set[int] = set()
    leads, trails = {"gb2312": (range(0xA1, 0xF8), range(0xA1, 0xFF)),
                     "big5": (range(0x81, 0xFF), list(range(0x40, 0x7F)) + list(range(0xA1, 0xFF))),
                     "gbk": (range(0x81, 0xFF), list(range(0x40, 0x7F)) + list(range(0x80, 0xFF)))}[codec]
    for lead in leads:
        for trail in trails:
            try:
                text = bytes((lead, trail)).decode(codec)
            except UnicodeDecodeError:
                continue
            chars.update(ord(c) for c in text)
    return chars


def gbk_han() -> set[int]:
    """The Han characters of GBK (CP936): every CJK ideograph a double-byte GBK code decodes to."""
    return {c for c in encoding_chars("gbk") if unicodedata.category(chr(c)) == "Lo"
            and unicodedata.name(chr(c), "").startswith("CJK")}


def tongyong_chars() -> set[int]:
    """The 8,105 characters of the 通用规范汉字表 (tools/data/tongyong-guifan-hanzi.txt)."""
    chars = set()
    for line in TONGYONG.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            point, char = line.split("\t")
            if point != f"U+{ord(char):04X}":
                raise SystemExit(f"make_fonts: {TONGYONG.name}: {point} is not {char!r}")
            chars.add(ord(char))
    if len(chars) != 8105:
        raise SystemExit(f"make_fonts: {TONGYONG.name} has {len(chars)} characters, not 8,105")
    return chars


def common_chars() -> set[int]:
    chars = set(range(0x20, 0x7F))  # ASCII printable
    chars |= set(range(0xA0, 0x100))  # Latin-1 Supplement
    chars |= set(range(0x2000, 0x2070))  # General Punctuation
    chars |= set(range(0x3000, 0x3040))  # CJK Symbols and Punctuation
    chars |= set(range(0xFF00, 0xFFF0))  # Halfwidth and Fullwidth Forms
    chars |= {ord(c) for c in "—…\u3000￥×÷№"}
    return chars


def policy_documents() -> list[tuple[Path, str, str]]:
    """(path, language, text) of every policies/**/*.yaml; language zh-Hant if the file says so, else zh-Hans."""
    docs = []
    for path in sorted(POLICIES_DIR.rglob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        m = re.search(r"^\s*language:\s*['\"]?([A-Za-z-]+)", text, re.MULTILINE)
        language = m.group(1) if m and m.group(1) in ROLES else "zh-Hans"
        docs.append((path, language, text))
    return docs


def corpus_chars(docs) -> set[int]:
    return {ord(c) for _, _, text in docs for c in text} - INVISIBLE


# --------------------------------------------------------------------------------------------------------------
# Subsetting
# --------------------------------------------------------------------------------------------------------------
def load_face(spec: dict) -> TTFont:
    source: Path = spec["source"]
    if spec["postscript"] is None:
        return TTFont(source, recalcTimestamp=False, lazy=False)
    collection = TTCollection(source, lazy=True)
    numbers = [i for i, f in enumerate(collection.fonts) if f["name"].getDebugName(6) == spec["postscript"]]
    collection.close()
    if not numbers:
        raise SourceMissing(f"make_fonts: no face with PostScript name {spec['postscript']} in {source}")
    return TTFont(source, fontNumber=numbers[0], recalcTimestamp=False, lazy=False)


def subset_options() -> subset.Options:
    options = subset.Options()
    options.glyph_names = False
    options.hinting = False
    options.layout_features = list(LAYOUT_FEATURES)
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.name_legacy = False
    options.notdef_outline = True
    options.recalc_timestamp = False
    options.prune_unicode_ranges = True
    options.drop_tables = list(options.drop_tables) + ["FFTM", "DSIG"]
    return options


def set_name(font: TTFont, name_id: int, text: str) -> None:
    table = font["name"]
    table.names = [r for r in table.names if r.nameID != name_id]
    table.setName(text, name_id, 3, 1, 0x409)


def rename(font: TTFont, face_id: str) -> None:
    new = RENAMES[face_id]
    table = font["name"]
    version = (table.getDebugName(5) or "").split(";")[0].replace("Version", "").strip() or "0"
    # Drop every naming record (all languages) of the family, then write the new ones in English.
    table.names = [r for r in table.names if r.nameID not in (1, 2, 3, 4, 6, 16, 17, 18, 21, 22, 25)]
    set_name(font, 1, new["family"])
    set_name(font, 2, new["subfamily"])
    set_name(font, 3, f"{new['postscript']};{version};policygen")
    set_name(font, 4, new["family"] if new["subfamily"] == "Regular" else f"{new['family']} {new['subfamily']}")
    set_name(font, 6, new["postscript"])
    if "CFF " in font:  # the CFF top dict carries the names too
        cff = font["CFF "].cff
        cff.fontNames = [new["postscript"]]
        top = cff.topDictIndex[0]
        for attr, value in (("FamilyName", new["family"]), ("FullName", new["family"])):
            if hasattr(top, attr):
                setattr(top, attr, value)
    for record in table.names:
        if record.nameID in (0, 7, 13, 14):  # copyright, trademark and licence notices stay as they are
            continue
        text = record.toUnicode()
        for word in RESERVED_WORDS[face_id]:
            if word in text:
                raise SystemExit(f"make_fonts: reserved name {word!r} left in name ID {record.nameID} of {face_id}")


def note_modification(font: TTFont) -> None:
    """Name ID 10 (description) says that this is a modified version, and how (GPL v3 §5a asks for that)."""
    table = font["name"]
    old = table.getName(10, 3, 1, 0x409)
    text = f"{old.toUnicode()} | {MODIFICATION_NOTE}" if old else MODIFICATION_NOTE
    set_name(font, 10, text)


def family_of(font: TTFont) -> str:
    return font["name"].getDebugName(16) or font["name"].getDebugName(1)


def build_face(face_id: str, spec: dict, unicodes: set[int], out_dir: Path) -> dict:
    font = load_face(spec)
    cmap = font.getBestCmap()
    wanted = sorted(u for u in unicodes if u in cmap and u not in EXCLUDE.get(face_id, {}))
    subsetter = subset.Subsetter(subset_options())
    subsetter.populate(unicodes=wanted)
    subsetter.subset(font)
    if face_id in RENAMES:
        rename(font, face_id)
    note_modification(font)
    font["head"].created = FIXED_TIMESTAMP
    font["head"].modified = FIXED_TIMESTAMP
    ext = ".otf" if "CFF " in font or "CFF2" in font else ".ttf"
    path = out_dir / f"{face_id}{ext}"
    font.save(path, reorderTables=True)
    font.close()
    # CID n at glyph n (policygen.font_subsets.gid_addressed): the file as any PDF writer embeds it reads right.
    path.write_bytes(gid_addressed(path.read_bytes()))
    # Read back what was written: glyph count and coverage come from the file itself.
    with TTFont(path) as check:
        covered = set(check.getBestCmap())
        return {"path": path, "family": family_of(check), "glyphs": check["maxp"].numGlyphs, "covered": covered,
                "wanted": len(wanted)}


# --------------------------------------------------------------------------------------------------------------
# Licences
# --------------------------------------------------------------------------------------------------------------
def debian_license_paragraph(copyright_file: Path, name: str) -> str:
    """The text of a stand-alone 'License: <name>' paragraph of a machine-readable debian/copyright, unwrapped."""
    lines = copyright_file.read_text(encoding="utf-8").splitlines()
    # The stand-alone paragraph: 'License: <name>' followed by indented text (a 'Files:' paragraph's
    # 'License:' line is followed by a blank line or another field).
    start = next((i for i, line in enumerate(lines[:-1])
                  if line.strip() == f"License: {name}" and lines[i + 1].startswith(" ")), None)
    if start is None:
        raise SystemExit(f"make_fonts: no 'License: {name}' paragraph in {copyright_file}")
    body = []
    for line in lines[start + 1:]:
        if not line.startswith(" "):
            break
        body.append("" if line.strip() == "." else line[1:])
    while body and not body[-1].strip():
        body.pop()
    return "\n".join(body) + "\n"


def copyright_notice(font_path: Path, postscript: str | None) -> str:
    spec = {"source": font_path, "postscript": postscript}
    with load_face(spec) as font:
        return font["name"].getDebugName(0).replace("\r\n", "\n").strip()


FSF_FONT_EXCEPTION = """\
As a special exception, if you create a document which uses this font, and embed this font or unaltered portions
of this font into the document, this font does not by itself cause the resulting document to be covered by the
GNU General Public License. This exception does not however invalidate any other reasons why the document might
be covered by the GNU General Public License. If you modify this font, you may extend this exception to your
version of the font, but you are not obligated to do so. If you do not wish to do so, delete this exception
statement from your version."""


def write_licenses(out_dir: Path) -> None:
    lic = out_dir / "LICENSES"
    lic.mkdir(parents=True, exist_ok=True)

    # Noto CJK: SIL OFL 1.1, no Reserved Font Name declared (debian/copyright, upstream Sans/LICENSE and
    # Serif/LICENSE). The copyright lines are those of the fonts' name ID 0.
    serif = copyright_notice(NOTO_SERIF_REGULAR, "NotoSerifCJKsc-Regular")
    sans = copyright_notice(NOTO_SANS_BOLD, "NotoSansCJKsc-Bold")
    (lic / "OFL-1.1-NotoCJK.txt").write_text(
        "Noto Serif CJK (song-sc, song-sc-bold, song-tc, song-tc-bold): " + serif + "\n"
        "Noto Sans CJK (hei-sc, hei-tc): " + sans + "\n"
        "Noto is a trademark of Google Inc.\n\n"
        "This Font Software is licensed under the SIL Open Font License, Version 1.1.\n"
        "The licence is copied below (from /usr/share/doc/fonts-noto-cjk/copyright of the Debian package\n"
        "fonts-noto-cjk). The files in this folder are Modified Versions (character subsets) of the fonts.\n\n"
        + debian_license_paragraph(NOTO_COPYRIGHT, "SIL-1.1"), encoding="utf-8")

    # LXGW WenKai: SIL OFL 1.1 with Reserved Font Names "霞鹜" and "LXGW" (so the subset is renamed).
    kai = copyright_notice(LXGW_REGULAR, None)
    (lic / "OFL-1.1-LXGWWenKai.txt").write_text(
        kai + "\n"
        "With Reserved Font Names \"霞鹜\" and \"LXGW\".\n"
        "Klee is a trademark of Fontworks Inc.\n\n"
        "This Font Software is licensed under the SIL Open Font License, Version 1.1.\n"
        "The licence is copied below (from /usr/share/doc/fonts-lxgw-wenkai/copyright of the Debian package\n"
        "fonts-lxgw-wenkai). kai.ttf is a Modified Version (a character subset) of LXGW WenKai Regular; as the\n"
        "licence requires, it does not use the Reserved Font Names: its family name is \"PolicyGen Kai\".\n\n"
        + debian_license_paragraph(LXGW_COPYRIGHT, "OFL-1.1"), encoding="utf-8")

    # Fandol: GPL v3 (COPYING) "+ GPL font exception" (README); the exception's wording is not in the package.
    fandol_doc = FANDOL_DOC if (FANDOL_DOC / "COPYING.gz").exists() else FANDOL_DOC_ALT
    copying = need(fandol_doc / "COPYING.gz", "texlive-lang-chinese")
    (lic / "Fandol-GPL-3.0.txt").write_bytes(gzip.decompress(copying.read_bytes()))
    shutil.copyfile(need(fandol_doc / "README", "texlive-lang-chinese"), lic / "Fandol-README.txt")
    fang = copyright_notice(FANDOL_FANG, None)
    (lic / "Fandol-NOTICE.txt").write_text(
        "fang-sc.otf is a modified version (a character subset, hints removed, made by tools/make_fonts.py of\n"
        "policygen) of FandolFang-Regular.otf, " + fang + "\n"
        "Fandol team: Clerk Ma, Jie Su. https://www.ctan.org/pkg/fandol\n\n"
        "Licence: GNU General Public License version 3 (Fandol-GPL-3.0.txt, the COPYING file of the fonts)\n"
        "\"+ GPL font exception\", as the fonts' README says (Fandol-README.txt). The fonts' package (Debian\n"
        "texlive-lang-chinese, texmf-dist/doc/fonts/fandol) does not reproduce the wording of the exception.\n"
        "The GPL font exception as published by the Free Software Foundation reads:\n\n"
        + FSF_FONT_EXCEPTION + "\n\n"
        "As that exception allows, policygen extends it to its modified version fang-sc.otf: a document that\n"
        "embeds fang-sc.otf or portions of it is not, by that alone, covered by the GNU General Public License.\n\n"
        "Corresponding source: the unmodified FandolFang-Regular.otf (CTAN fonts/fandol; Debian package\n"
        "texlive-lang-chinese, file texmf-dist/fonts/opentype/public/fandol/FandolFang-Regular.otf) and the\n"
        "script tools/make_fonts.py of the policygen repository, which regenerates fang-sc.otf from it.\n",
        encoding="utf-8")

    # DejaVu: Bitstream Vera licence (+ Arev licence, DejaVu changes public domain): the Debian copyright file.
    shutil.copyfile(need(DEJAVU_COPYRIGHT, "fonts-dejavu-core"), lic / "DejaVu-Bitstream-Vera.txt")


# --------------------------------------------------------------------------------------------------------------
# Manifest, README, checks
# --------------------------------------------------------------------------------------------------------------
REPERTOIRE_TEXT = {
    ("gb2312",): "GB2312 + Latin-1, punctuation, fullwidth forms + corpus",
    ("big5",): "Big5 + Latin-1, punctuation, fullwidth forms + corpus",
    ("gb2312", "big5"): "GB2312 + Big5 + Latin-1, punctuation, fullwidth forms + corpus",
    ("gb2312", "gbk-han", "tongyong"): "GB2312 + the Han characters of GBK + 通用规范汉字表 + Latin-1, punctuation, "
                                       "fullwidth forms + corpus",
    (): "symbols (☐☑☒✓✔○●□■△▲☆★※→←↑↓) + ASCII + corpus characters no CJK face has",
}


def human(n: int) -> str:
    return f"{n / 1024 / 1024:.2f} MB"


def write_manifest(out_dir: Path, results: dict, versions: dict) -> None:
    faces = {}
    for face_id, spec in FACES.items():
        r = results[face_id]
        faces[face_id] = {
            "file": r["path"].name,
            "family": r["family"],
            "source": f"{spec['source'].name}"
                      + (f" (face {spec['postscript']})" if spec["postscript"] else "")
                      + f" from Debian {spec['package']} {versions[spec['package']]}",
            "license": f"LICENSES/{spec['license']}",
            "repertoire": REPERTOIRE_TEXT[spec["repertoire"]],
            "glyphs": r["glyphs"],
        }
    manifest = {"faces": faces, "roles": ROLES}
    (out_dir / "fonts.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def write_readme(out_dir: Path, results: dict, versions: dict) -> None:
    rows = []
    total = 0
    for face_id, spec in FACES.items():
        r = results[face_id]
        size = r["path"].stat().st_size
        total += size
        source = spec["source"].name + (f" ({spec['postscript']})" if spec["postscript"] else "")
        rows.append(f"| {face_id} | {r['path'].name} | {r['family']} | {source}, Debian {spec['package']} "
                    f"{versions[spec['package']]} | [{spec['license']}](LICENSES/{spec['license']}) | "
                    f"{REPERTOIRE_TEXT[spec['repertoire']]} | {ROLE_USE[face_id]} | {r['glyphs']} | {human(size)} |")
    text = f"""# Fonts shipped with policygen

Free-licensed subsets of CJK faces, so that PDFs render after `pip install` alone on a machine with no CJK
fonts. `fonts.json` says which face plays which role (body, title, heading, kai, fallback) in each language;
`policygen/fonts.py` reads it. Do not edit these files by hand: they are generated.

| face | file | family (in the file) | source, Debian package and version | licence | repertoire | use | glyphs | size |
| --- | --- | --- | --- | --- | --- | --- | --- | --- |
{chr(10).join(rows)}

Total: {human(total)}.

"Corpus" means every character of the example documents in `policies/**/*.yaml` that the face has. Each subset
keeps only characters its source face has; hints and glyph names are removed; the OpenType features kept are
{", ".join(f"`{f}`" for f in LAYOUT_FEATURES)} where the source has them (`locl` is dropped: each face is already
the SC or TC face of its collection).
{"".join(f"{chr(10)}Left out of `{face_id}` (a fallback face draws them): " + "; ".join(f"U+{u:04X} ({why})" for u, why in chars.items()) + "." for face_id, chars in EXCLUDE.items())}

## Licences

- Noto Serif CJK and Noto Sans CJK (Adobe, for Google): SIL Open Font License 1.1, no Reserved Font Name is
  declared, so the subsets keep their family names. `LICENSES/OFL-1.1-NotoCJK.txt`.
- LXGW WenKai: SIL Open Font License 1.1 with Reserved Font Names "霞鹜" and "LXGW". A subset is a Modified
  Version, so `kai.ttf` is renamed **PolicyGen Kai** (name IDs 1, 3, 4, 6; the Chinese-language names are
  removed). `LICENSES/OFL-1.1-LXGWWenKai.txt`.
- Fandol (FandolFang): GNU GPL v3 with the GPL font exception (documents that embed the font are not covered
  by the GPL; policygen extends the exception to its subset `fang-sc.otf`). `LICENSES/Fandol-GPL-3.0.txt`, `Fandol-README.txt`, `Fandol-NOTICE.txt` (which also names the
  corresponding source: the unmodified font and `tools/make_fonts.py`).
- DejaVu Sans: Bitstream Vera licence (and the Arev licence; DejaVu changes are public domain).
  `LICENSES/DejaVu-Bitstream-Vera.txt`.

Every subset says in name ID 10 (description) that it was modified and how.

## How to regenerate

```sh
apt-get install -y fonts-noto-cjk fonts-lxgw-wenkai texlive-lang-chinese fonts-dejavu-core
python tools/make_fonts.py
```

The script needs fontTools (a policygen dependency). It reads the Debian files (paths at the top of the
script), writes this folder and checks that every character of `policies/**/*.yaml` is covered by the faces of
its document's language. Its output is deterministic (fixed `head` timestamps): two runs give identical files.
"""
    (out_dir / "README.md").write_text(text, encoding="utf-8")


def check_corpus(docs, results) -> dict[str, list[tuple[str, str]]]:
    """Characters of each document that no face of its language's roles covers: {file: [(char, U+XXXX)]}."""
    uncovered: dict[str, list[tuple[str, str]]] = {}
    for path, language, text in docs:
        roles = ROLES[language]
        ids = {roles[r] for r in ("body", "title", "heading", "kai")} | set(roles["fallback"])
        covered = set().union(*(results[i]["covered"] for i in ids))
        missing = sorted({ord(c) for c in text} - covered - INVISIBLE)
        if missing:
            uncovered[str(path.relative_to(REPO))] = [(chr(u), f"U+{u:04X}") for u in missing]
    return uncovered


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT_DIR, help=f"output folder (default {OUT_DIR})")
    args = parser.parse_args(argv)
    out_dir: Path = args.out

    for spec in FACES.values():
        need(spec["source"], spec["package"])
    for path, package in ((NOTO_COPYRIGHT, "fonts-noto-cjk"), (LXGW_COPYRIGHT, "fonts-lxgw-wenkai"),
                          (DEJAVU_COPYRIGHT, "fonts-dejavu-core")):
        need(path, package)
    if not POLICIES_DIR.is_dir():
        raise SourceMissing(f"make_fonts: no folder {POLICIES_DIR}")

    versions = {spec["package"]: package_version(spec["package"]) for spec in FACES.values()}
    docs = policy_documents()
    corpus = corpus_chars(docs)
    common = common_chars()
    encodings = {codec: encoding_chars(codec) for codec in ("gb2312", "big5")}
    encodings |= {"gbk-han": gbk_han(), "tongyong": tongyong_chars()}

    out_dir.mkdir(parents=True, exist_ok=True)
    for old in list(out_dir.glob("*.otf")) + list(out_dir.glob("*.ttf")):
        old.unlink()

    results = {}
    for face_id, spec in FACES.items():
        if face_id == "symbols":
            continue
        wanted = set(common) | corpus
        for codec in spec["repertoire"]:
            wanted |= encodings[codec]
        results[face_id] = build_face(face_id, spec, wanted, out_dir)
    # The symbol face: the symbol list, ASCII, and whatever corpus characters no CJK face has.
    cjk_covered = set().union(*(r["covered"] for r in results.values()))
    wanted = {ord(c) for c in SYMBOLS} | set(range(0x20, 0x7F)) | (corpus - cjk_covered)
    results["symbols"] = build_face("symbols", FACES["symbols"], wanted, out_dir)
    results = {face_id: results[face_id] for face_id in FACES}

    write_licenses(out_dir)
    write_manifest(out_dir, results, versions)
    write_readme(out_dir, results, versions)

    total = 0
    print(f"{'face':14} {'file':18} {'family':24} {'glyphs':>7} {'size':>10}  sha256")
    for face_id, r in results.items():
        size = r["path"].stat().st_size
        total += size
        digest = hashlib.sha256(r["path"].read_bytes()).hexdigest()[:16]
        print(f"{face_id:14} {r['path'].name:18} {r['family']:24} {r['glyphs']:>7} {human(size):>10}  {digest}")
    print(f"total {human(total)} (budget {human(SIZE_BUDGET)})")
    missing_symbols = [c for c in SYMBOLS if ord(c) not in results["symbols"]["covered"]]
    if missing_symbols:
        print("symbols face lacks: " + " ".join(f"{c} U+{ord(c):04X}" for c in missing_symbols))

    uncovered = check_corpus(docs, results)
    if uncovered:
        print("characters no face of the document's language covers:")
        for name, chars in uncovered.items():
            print(f"  {name}: " + " ".join(f"{c} {cp}" for c, cp in chars))
    else:
        print(f"corpus: every character of {len(docs)} policies/**/*.yaml files is covered")
    if total > SIZE_BUDGET:
        print("over the size budget", file=sys.stderr)
        return 1
    return 1 if uncovered else 0


if __name__ == "__main__":
    sys.exit(main())
