"""Never a silent box: every character a PDF prints is checked, before rendering, against the faces that PDF is set
in (render/pdf.py check_fonts), organization names included, in the language of the document that prints them;
and what is printed is read back glyph by glyph in two readers (MuPDF and pdfminer): no .notdef, no U+FFFD, no
face that is not policygen's or the project's."""

from __future__ import annotations

from pathlib import Path

import pdfplumber
import pytest
from fontTools.fontBuilder import FontBuilder
from fontTools.pens.ttGlyphPen import TTGlyphPen

from conftest import write_project
from policygen import build_project, load_project
from policygen.fonts import all_faces, coverage, faces_for
from policygen.render.pdf import check_fonts

LANGUAGES = ("zh-Hans", "zh-Hant", "en")


def _covered(language: str) -> frozenset[int]:
    return frozenset().union(*(coverage(f.path) for f in all_faces(faces_for(language, [], Path(".")))))


def _uncovered_everywhere(count: int) -> str:
    """Han characters (CJK Extension B) that no shipped face of any language has."""
    every = frozenset().union(*(_covered(language) for language in LANGUAGES))
    found = [chr(c) for c in range(0x20000, 0x2A6E0) if c not in every]
    return "".join(found[:count])


def _only_in(language: str, other: str) -> str:
    """A character the faces of `language` have and those of `other` do not (a CJK or symbol character)."""
    candidates = sorted(_covered(language) - _covered(other))
    return chr(next(c for c in candidates if c >= 0x2000))


def make_font(path: Path, chars: str) -> Path:
    """A TrueType font with a glyph (a filled square, 800 units) for each of `chars`."""
    names = [".notdef"] + [f"u{ord(c):X}" for c in chars]
    builder = FontBuilder(1000, isTTF=True)
    builder.setupGlyphOrder(names)
    builder.setupCharacterMap({ord(c): f"u{ord(c):X}" for c in chars})
    glyphs = {}
    for name in names:
        pen = TTGlyphPen(None)
        if name != ".notdef":
            pen.moveTo((100, -100)), pen.lineTo((100, 700)), pen.lineTo((900, 700)), pen.lineTo((900, -100))
            pen.closePath()
        glyphs[name] = pen.glyph()
    builder.setupGlyf(glyphs)
    builder.setupHorizontalMetrics({name: (1000, 100) for name in names})
    builder.setupHorizontalHeader(ascent=880, descent=-120)
    builder.setupNameTable({"familyName": "Test Piece", "styleName": "Regular"})
    builder.setupOS2(sTypoAscender=880, sTypoDescender=-120, usWinAscent=880, usWinDescent=120)
    builder.setupPost()
    path.parent.mkdir(parents=True, exist_ok=True)
    builder.save(str(path))
    return path


def organization(department_name: str, *, names: str = "") -> str:
    return f"""\
        kind: organization
        id: org
        name: {{full: 测试有限公司, short: 测试公司}}
        departments:
          - {{id: sales, name: 销售部}}
          - {{id: general-office, name: 总经理办公室}}
          - {{id: odd, name: "{department_name}"{names}}}
        roles:
          - {{id: sales-manager, name: 销售部门经理, department: sales}}
          - {{id: general-manager, name: 总经理}}
        """


def regulation(reg_id: str, language: str, text: str) -> str:
    return f"""\
        kind: regulation
        id: {reg_id}
        language: {language}
        title: 测试制度
        version: "1.0"
        effective: "2026-01-01"
        issued_by: general-office
        chapters:
          - title: 总则
            articles:
              - id: only
                text: "{text}"
        """


def codes(diagnostics) -> list[str]:
    return [d.code for d in diagnostics]


def test_an_organization_name_is_checked_in_the_language_of_each_document_that_prints_it(tmp_path):
    odd = _only_in("zh-Hant", "zh-Hans")  # e.g. ♁, which only the Traditional faces have
    root = write_project(tmp_path / "hant", {"organization.yaml": organization(f"全等{odd}部"),
                                             "extra.yaml": regulation("extra", "zh-Hant", "由[[department:odd]]負責。")})
    assert [d for d in check_fonts(load_project(root).project) if d.is_error] == []

    root = write_project(tmp_path / "hans", {"organization.yaml": organization(f"全等{odd}部"),
                                             "extra.yaml": regulation("extra", "zh-Hans", "由[[department:odd]]负责。")})
    result = build_project(root)
    assert codes(result.diagnostics.errors) == ["PG-RENDER-002"], [str(d) for d in result.diagnostics.items]
    error = result.diagnostics.errors[0]
    assert f"'{odd}'" in error.message and "'extra'" in error.message and "zh-Hans" in error.message
    assert error.file == "policies/organization.yaml" and error.line == 7  # the department's name
    assert not (root / "output").exists()


def test_a_project_font_for_one_language_does_not_print_another(tmp_path):
    rare = _uncovered_everywhere(2)
    make_font(tmp_path / "p" / "fonts" / "rare.ttf", rare)
    config = "project: 测试\nfonts:\n  - {file: fonts/rare.ttf, languages: [zh-Hans]}\n"
    docs = {"organization.yaml": organization(f"{rare}部")}
    root = write_project(tmp_path / "p", docs | {"extra.yaml": regulation("extra", "zh-Hans", "由[[department:odd]]负责。")},
                         project_file=config)
    result = build_project(root)
    assert result.ok, [str(d) for d in result.diagnostics.items]

    root = write_project(tmp_path / "q", docs | {"extra.yaml": regulation("extra", "zh-Hant", "由[[department:odd]]負責。")},
                         project_file=config)
    make_font(root / "fonts" / "rare.ttf", rare)
    result = build_project(root)
    assert sorted(d.message.split("'")[1] for d in result.diagnostics.errors) == sorted(rare)
    assert {d.file for d in result.diagnostics.errors} == {"policies/organization.yaml"}


def test_a_character_from_a_project_template_is_reported_in_the_template(tmp_path):
    rare = _uncovered_everywhere(1)
    root = write_project(tmp_path)
    template = root / "templates" / "pdf" / "regulation.html.j2"
    template.parent.mkdir(parents=True)
    source = (Path(__file__).resolve().parent.parent / "templates" / "pdf" / "regulation.html.j2").read_text("utf-8")
    template.write_text(source + "{% block body %}{{ super() }}<p>" + rare + "</p>{% endblock %}\n", encoding="utf-8")
    (root / "policygen.yaml").write_text("project: 测试\ntemplates: templates\n", encoding="utf-8")
    errors = build_project(root).diagnostics.errors
    assert codes(errors) == ["PG-RENDER-002"] and errors[0].file == "templates/pdf/regulation.html.j2"
    assert errors[0].line is not None


# --- the sweep ------------------------------------------------------------------------------------------------

NAMES = {
    "departments": [("sales", "销售部", {"zh-Hant": "銷售部", "en": "Sales Department"}),
                    ("general-office", "总经理办公室", {"zh-Hant": "總經理辦公室", "en": "General Office"}),
                    ("quality", "品质保证部（ＱＡ）", {"zh-Hant": "品質保證部（ＱＡ）", "en": "Quality & Assurance — QA"}),
                    ("outlet", "喆堃门市部", {})],  # characters people's names use, beyond GB2312
    "roles": [("sales-manager", "销售部门经理"), ("general-manager", "总经理"), ("clerk", "文员·䶮")],
}
COMPANY = ("鸿鹄贸易有限公司", "鸿鹄贸易", {"zh-Hant": "鴻鵠貿易有限公司", "en": "Honghu Trading Co., Ltd."})


def _organization_yaml() -> str:
    full, short, names = COMPANY
    lines = ["kind: organization", "id: org",
             f"name: {{full: \"{full}\", short: \"{short}\", names: {{zh-Hant: \"{names['zh-Hant']}\", en: \"{names['en']}\"}}}}",
             "departments:"]
    for dep_id, name, other in NAMES["departments"]:
        extra = (", names: {" + ", ".join(f'{k}: "{v}"' for k, v in other.items()) + "}") if other else ""
        lines.append(f"  - {{id: {dep_id}, name: \"{name}\"{extra}}}")
    lines.append("roles:")
    lines += [f"  - {{id: {role_id}, name: \"{name}\"}}" for role_id, name in NAMES["roles"]]
    return "\n".join(lines) + "\n"


def _references() -> str:
    refs = [f"[[department:{d}]]" for d, _, _ in NAMES["departments"]] + [f"[[role:{r}]]" for r, _ in NAMES["roles"]]
    return "、".join(refs + ["[[company]]", "[[company:short]]"])


def _expected(language: str) -> list[str]:
    """The names a document in `language` prints: each in that language where given, else as written."""
    full, short, names = COMPANY
    printed = [other.get(language, name) for _, name, other in NAMES["departments"]]
    printed += [name for _, name in NAMES["roles"]]
    return printed + [names.get(language, full), short]


@pytest.fixture(scope="module")
def sweep(tmp_path_factory):
    """A project with a regulation and a form in each language, every one printing every name."""
    root = tmp_path_factory.mktemp("sweep")
    documents = {"organization.yaml": _organization_yaml()}
    for language in LANGUAGES:
        suffix = language.lower()
        documents[f"reg-{suffix}.yaml"] = (
            f"kind: regulation\nid: reg-{suffix}\nlanguage: {language}\ntitle: 名称测试\nversion: \"1.0\"\n"
            f"effective: \"2026-01-01\"\nissued_by: quality\nchapters:\n  - title: 总则\n    articles:\n"
            f"      - id: names\n        text: \"{_references()}。\"\n"
            f"attachments:\n  - {{form: form-{suffix}}}\n")
        documents[f"form-{suffix}.yaml"] = (
            f"kind: form\nid: form-{suffix}\nlanguage: {language}\ntitle: 名称表\nnumber: T-1\nversion: \"1.0\"\n"
            f"sections:\n  - fields:\n      - {{id: who, type: text, label: 姓名}}\n"
            f"      - {{id: note, type: notes, text: \"{_references()}。\"}}\n")
    write_project(root, documents, base=False, project_file="project: 名称\nlanguage: zh-Hans\noutputs: [pdf]\n")
    with pytest.MonkeyPatch.context() as patch:  # module scope: before the per-test cache fixture
        patch.setenv("POLICYGEN_CACHE_DIR", str(tmp_path_factory.mktemp("sweep-cache")))
        result = build_project(root)
    assert result.ok, [str(d) for d in result.diagnostics.items]
    return root / "output"


def _mupdf_glyphs(path: Path) -> list[tuple[str, int, str]]:
    import pymupdf

    found = []
    with pymupdf.open(path) as document:
        for page in document:
            for span in page.get_texttrace():
                found += [(chr(u) if u >= 0 else "", glyph, span["font"]) for u, glyph, *_ in span["chars"]]
    return found


def test_every_document_prints_every_name_with_real_glyphs_in_two_readers(sweep):
    pdfs = sorted(sweep.glob("**/*.pdf"))
    assert len(pdfs) == 2 * len(LANGUAGES) * 1 + len(LANGUAGES)  # regulations, forms, fillable forms
    for path in pdfs:
        language = next(l for l in LANGUAGES if l.lower() in path.name)
        glyphs = _mupdf_glyphs(path)
        assert glyphs, path
        bad = [(c, g, f) for c, g, f in glyphs
               if g == 0 or c in ("\ufffd", "") or not ("pg-" in f or f.startswith("pg-"))]
        assert not bad, f"{path.name}: MuPDF reads glyphs that are no character's: {bad[:10]}"
        text_mupdf = "".join(c for c, _, _ in glyphs)
        with pdfplumber.open(path) as pdf:
            chars = [c for page in pdf.pages for c in page.chars]
        bad = [(c["text"], c["fontname"]) for c in chars
               if "\ufffd" in c["text"] or "(cid:" in c["text"] or "+pg-" not in c["fontname"]]
        assert not bad, f"{path.name}: pdfminer reads glyphs that are no character's: {bad[:10]}"
        text_pdfminer = "".join(c["text"] for c in chars)
        for name in _expected(language):
            compact = name.replace(" ", "")
            assert compact in text_mupdf.replace(" ", ""), (path.name, name)
            assert compact in text_pdfminer.replace(" ", ""), (path.name, name)


# Characters of people's names outside GB2312 and Big5: in the 通用规范汉字表 (喆 堃 䶮 昇 珺 玥 犇 淼 …) or in GBK.
RARE_NAMES = "喆堃䶮昇珺玥犇淼焱垚鑫燚囍翀赟頔昉旻琍"


@pytest.mark.parametrize("language", ["zh-Hans", "zh-Hant"])
def test_characters_of_peoples_names_print_out_of_the_box_in_a_cjk_face(tmp_path, language):
    """Everything in the 通用规范汉字表 and the Han characters of GBK print with the shipped faces alone; what the
    body face lacks falls back to another CJK face with a warning naming the characters."""
    root = write_project(tmp_path, {"organization.yaml": organization(f"{RARE_NAMES}部"),
                                    "extra.yaml": regulation("extra", language, "由[[department:odd]]负责。")},
                         project_file="project: 测试\noutputs: [pdf]\n")
    result = build_project(root)
    assert result.ok, [str(d) for d in result.diagnostics.errors]
    warnings = [d for d in result.diagnostics.items if d.code == "PG-RENDER-101"]
    assert warnings and all(w.file == "policies/organization.yaml" for w in warnings)
    warned = "".join(w.message for w in warnings if "'extra'" in w.message)
    with pdfplumber.open(root / "output" / "regulations" / "extra.pdf") as pdf:
        chars = [c for page in pdf.pages for c in page.chars if c["text"] in RARE_NAMES]
    assert "".join(sorted({c["text"] for c in chars})) == "".join(sorted(set(RARE_NAMES)))
    body = "pg-fang-sc" if language == "zh-Hans" else "pg-song-tc"
    for c in chars:
        face = c["fontname"].split("+")[-1]
        assert face.startswith(("pg-song-", "pg-kai", "pg-fang-", "pg-hei-")), (c["text"], face)  # a CJK face
        if not face.startswith(body):
            assert c["text"] in warned, (c["text"], face)  # every fallback named in a warning


def test_the_shipped_faces_cover_the_tongyong_guifan_table_and_gbk():
    table = Path(__file__).resolve().parent.parent / "tools" / "data" / "tongyong-guifan-hanzi.txt"
    tongyong = {ord(line.split("\t")[1]) for line in table.read_text(encoding="utf-8").splitlines()
                if line and not line.startswith("#")}
    assert len(tongyong) == 8105
    gbk = set()
    for lead in range(0x81, 0xFF):
        for trail in [*range(0x40, 0x7F), *range(0x80, 0xFF)]:
            try:
                gbk.add(ord(bytes((lead, trail)).decode("gbk")))
            except UnicodeDecodeError:
                pass
    import unicodedata
    gbk_han = {c for c in gbk if unicodedata.name(chr(c), "").startswith("CJK") and unicodedata.category(chr(c)) == "Lo"}
    for language in ("zh-Hans", "zh-Hant"):
        assert not (tongyong | gbk_han) - _covered(language), language


def test_a_letter_and_its_combining_accent_print_as_the_faces_precomposed_letter(tmp_path):
    """Text pasted from some systems comes decomposed (e + U+0301): the shaper draws the face's é, so the check
    passes it; a combining mark that composes with nothing (after a Han character) is still an error."""
    import unicodedata

    decomposed = unicodedata.normalize("NFD", "Café Résumé")
    form = ("kind: form\nid: pasted\ntitle: 表\nnumber: F-1\nversion: \"1.0\"\nstated_in: base/purpose\n"
            f"sections:\n  - fields:\n      - {{id: a, type: text, label: \"{decomposed} 客户\"}}\n")
    root = write_project(tmp_path, {"pasted.yaml": form}, project_file="project: 测试\noutputs: [pdf]\n")
    result = build_project(root)
    assert result.ok, [str(d) for d in result.diagnostics.errors]
    with pdfplumber.open(root / "output" / "forms" / "pasted.pdf") as pdf:
        text = unicodedata.normalize("NFC", "".join(c["text"] for c in pdf.pages[0].chars))
    assert "CaféRésumé" in text.replace(" ", "")
    (root / "policies" / "pasted.yaml").write_text(form.replace(decomposed, "客\u0301"), encoding="utf-8")
    errors = load_project(root).diagnostics.errors
    assert [d.code for d in errors] == ["PG-RENDER-002"] and "U+0301" in errors[0].message
