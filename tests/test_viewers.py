"""The same page in every PDF viewer: every page of every PDF of the corpus (regulations, forms, fillable forms,
a revision table) rendered by Poppler, MuPDF, PDFium and pdf.js looks the same in each pair, each reader reads
back the text the page was rendered from, and qpdf finds nothing wrong with the file.

This is what broke before the fonts were served GID-addressed (policygen.font_subsets): MuPDF and pdf.js, which
read the codes of a CID-keyed CFF font as CIDs as the standard says, drew the body of every regulation blank."""

from __future__ import annotations

import itertools
import re
import shutil
import subprocess
import unicodedata
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pytest

from policygen import build_project, load_project
from policygen.diff import compare
from policygen.render.revisions import write_revisions
from viewers import READERS, difference, ink, node, render_all

REPO = Path(__file__).resolve().parent.parent
REVISED = Path(__file__).parent / "fixtures" / "revised"

# 30 dpi: an A4 page is 248 × 351 pixels and a 16 pt body character 7 pixels wide, enough to see each character
# drawn or not, and the four readers render the whole corpus in well under a minute.
DPI = 30
# Two measures per page and pair of readers, with thresholds from the corpus as it renders now (worst pair) and as
# it rendered when MuPDF and pdf.js drew the CJK text of a regulation blank (the failure this test was written for):
# - the share of the page where the blurred renderings differ (viewers.difference): now at most 2.1 % (a fillable
#   register's dense grid of 0.75 pt rules, which Poppler snaps to black pixels and PDFium draws at their 0.3 px),
#   elsewhere under 0.5 %; with the text blank 8 to 15 %. Threshold 3 %.
# - the ink one reader puts on the page against the other's (viewers.ink): now at least 0.82 of it; with the text
#   blank under 0.03, which catches a page that is nearly empty anyway (one article and the page number), where the
#   share of the page that differs stays small. Threshold 0.7.
MAX_DIFFERENCE = 0.03
MIN_INK_RATIO = 0.7


_HIDDEN_RULE = re.compile(r"([^{}]+)\{[^{}]*\bdisplay\s*:\s*none\b")


_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class _Text(HTMLParser):
    """The characters of an HTML document's body text (what gets drawn), and those of its stylesheets (where
    generated content such as page numbers comes from). An element the stylesheet hides with a plain
    `tag { display: none }` or `.class { display: none }` rule holds no text to draw."""

    def __init__(self, hidden: set[str]):
        super().__init__()
        self.text, self.style, self._skip, self._hidden = [], [], [], hidden

    def handle_starttag(self, tag, attrs):
        classes = {f".{c}" for c in (dict(attrs).get("class") or "").split()}
        if self._skip:  # inside a skipped element: count its elements to find where it ends
            if tag not in _VOID:
                self._skip.append(tag)
        elif tag in ("style", "script", "title", "head") or tag in self._hidden or classes & self._hidden:
            self._skip.append(tag)

    def handle_endtag(self, tag):
        if self._skip and self._skip[-1] == tag:
            self._skip.pop()

    def handle_data(self, data):
        if not self._skip:
            self.text.append(data)
        elif "style" in self._skip:
            self.style.append(data)


def visible(text: str) -> Counter:
    """The characters a reader should read back, without white space (readers differ on spaces and line ends)."""
    return Counter(c for c in unicodedata.normalize("NFKC", text) if not c.isspace() and c not in "\u200b\u00ad")


@pytest.fixture(scope="module")
def corpus_pdfs(tmp_path_factory) -> dict[Path, tuple[Counter, set[str]]]:
    """Every PDF of a corpus build and of a revision table, each with the characters of the markup it was rendered
    from (body text; stylesheet characters apart), recorded as WeasyPrint was given it."""
    import weasyprint
    from weasyprint.document import Document

    root = tmp_path_factory.mktemp("corpus")
    for name in ("policygen.yaml", "policies"):
        source = REPO / name
        (shutil.copytree if source.is_dir() else shutil.copy)(source, root / name)
    markups: list[str] = []
    sources: dict[tuple[str, str], tuple[Counter, set[str]]] = {}  # by (folder, file): builds write into staging

    page_markup: dict[int, str] = {}  # id of a laid-out page -> the markup it was laid out from

    class RecordingHTML(weasyprint.HTML):
        def __init__(self, *args, string=None, **kwargs):
            self._markup = string or ""
            super().__init__(*args, string=string, **kwargs)

        def render(self, *args, **kwargs):
            document = super().render(*args, **kwargs)
            for page in document.pages:
                page_markup[id(page)] = self._markup
            return document

    original_write = Document.write_pdf

    def write_pdf(self, target=None, *args, **kwargs):
        # only the layouts whose pages are written (a form laid out again more densely discards the first)
        markups[:] = list(dict.fromkeys(page_markup[id(page)] for page in self.pages if id(page) in page_markup))
        text = []
        style = []
        for markup in markups:
            css = re.sub(r"/\*.*?\*/", "", markup, flags=re.S)
            hidden = {selector.strip() for rule in _HIDDEN_RULE.findall(css) for selector in rule.split(",")}
            parser = _Text({h for h in hidden if re.fullmatch(r"\.?[\w-]+", h)})
            parser.feed(markup)
            text += parser.text
            style += parser.style
        sources[Path(target).parent.name, Path(target).name] = (visible("".join(text)), set("".join(style)))
        markups.clear()
        return original_write(self, target, *args, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        # a cache of its own: documents taken from a cache another test filled would not be rendered here
        patch.setenv("POLICYGEN_CACHE_DIR", str(tmp_path_factory.mktemp("viewer-cache")))
        patch.setattr(weasyprint, "HTML", RecordingHTML)
        patch.setattr(Document, "write_pdf", write_pdf)
        result = build_project(root, jobs=1)
        assert result.diagnostics.errors == [], [str(d) for d in result.diagnostics.errors]
        old, new = load_project(REPO).project, load_project(REVISED).project
        write_revisions(old, new, compare(old, new), root / "revised", formats=("pdf",))
    pdfs = sorted(root.glob("output/**/*.pdf")) + sorted((root / "revised").glob("**/*.pdf"))
    kinds = {p.parent.name for p in pdfs} | {"fillable" for p in pdfs if p.name.endswith(".fillable.pdf")}
    assert kinds >= {"regulations", "forms", "fillable", "revisions"}, kinds
    assert {(p.parent.name, p.name) for p in pdfs} <= set(sources), "a PDF written without WeasyPrint's HTML"
    return {path: sources[path.parent.name, path.name] for path in pdfs}


@pytest.fixture(scope="module")
def rendered(corpus_pdfs):
    if node() is None:
        pytest.fail("the viewer tests render with pdf.js and need Node.js >= 20.16 with npm (see tests/pdfjs)")
    if not (Path(__file__).parent / "pdfjs" / "node_modules").is_dir():
        pytest.fail("run `npm ci` in tests/pdfjs first (.ci/run does)")
    for tool in ("pdftoppm", "pdftotext", "qpdf"):
        if shutil.which(tool) is None:
            pytest.fail(f"{tool} is missing: apt-get install poppler-utils qpdf (.ci/run does)")
    return render_all(list(corpus_pdfs), DPI)


def test_every_page_looks_the_same_in_every_reader(rendered):
    problems = []
    for path, readers in rendered.items():
        counts = {reader: len(readers[reader][0]) for reader in READERS}
        if len(set(counts.values())) != 1:
            problems.append(f"{path.name}: page counts differ: {counts}")
            continue
        for a, b in itertools.combinations(READERS, 2):
            for number, (image_a, image_b) in enumerate(zip(readers[a][0], readers[b][0]), start=1):
                share = difference(image_a, image_b)
                if share > MAX_DIFFERENCE:
                    problems.append(f"{path.parent.name}/{path.name} p. {number}: {a} and {b} differ on {share:.1%} of the page")
                ink_a, ink_b = ink(image_a), ink(image_b)
                if min(ink_a, ink_b) < MIN_INK_RATIO * max(ink_a, ink_b):
                    problems.append(f"{path.parent.name}/{path.name} p. {number}: {a} draws {ink_a / max(ink_b, 1):.0%} "
                                    f"of the ink {b} draws")
    assert not problems, "\n".join(problems)


def test_every_reader_reads_back_the_source_text(rendered, corpus_pdfs):
    problems = []
    for path, readers in rendered.items():
        source, style = corpus_pdfs[path]
        for reader in READERS:
            read = visible("".join(readers[reader][1]))
            missing = source - read
            # A character a reader reads that the markup does not hold must come from the stylesheet (generated
            # content) or be a page counter's digit: anything else is a glyph read back as another character. (Running headers and repeated
            # table headers are read once per page, so only which characters, not how often, is compared here.)
            foreign = sorted(set(read) - set(source) - style - set("0123456789"))  # digits: page counters
            if missing or foreign:
                problems.append(f"{path.parent.name}/{path.name}: {reader} misses {''.join(sorted(missing.elements()))[:80]!r}, "
                                f"reads extra {''.join(foreign)[:80]!r}")
    assert not problems, "\n".join(problems)


def test_qpdf_finds_nothing_wrong(corpus_pdfs):
    for path in corpus_pdfs:
        result = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True, timeout=120)
        assert result.returncode == 0 and "No syntax or stream encoding errors" in result.stdout, (
            f"{path.name}: {result.stdout}{result.stderr}")
        assert "WARNING" not in result.stdout + result.stderr, f"{path.name}: {result.stdout}{result.stderr}"
