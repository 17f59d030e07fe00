"""Four PDF readers as a user meets them: Poppler (pdftoppm, pdftotext: evince, okular, LibreOffice), MuPDF
(PyMuPDF: SumatraPDF, mobile viewers), PDFium (pypdfium2: Chrome, Edge, Foxit's engine) and pdf.js (pdfjs-dist in
Node.js: Firefox and web viewers). Each renders every page of a PDF to a greyscale image and reads its text.

Pages are rendered without annotations: the fields of a fillable form carry no appearance of their own, so each
viewer draws its own field boxes (PDFium paints them over the table's rules); what policygen draws is the page."""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from pathlib import Path

from PIL import Image, ImageChops, ImageFilter

PDFJS = Path(__file__).resolve().parent / "pdfjs"
READERS = ("poppler", "mupdf", "pdfium", "pdfjs")


def pages_poppler(path: Path, dpi: int, work: Path) -> tuple[list[Image.Image], list[str]]:
    prefix = work / "poppler"
    subprocess.run(["pdftoppm", "-r", str(dpi), "-gray", "-png", "-hide-annotations", str(path), str(prefix)],
                   check=True, timeout=300)
    images = [Image.open(p).convert("L") for p in sorted(work.glob("poppler-*.png"), key=lambda p: int(p.stem[8:]))]
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True, capture_output=True,
                          timeout=120).stdout.decode("utf-8")
    texts = text.split("\f")[:len(images)]
    return images, texts


def pages_mupdf(path: Path, dpi: int, work: Path) -> tuple[list[Image.Image], list[str]]:
    import pymupdf

    # As Poppler (stroke adjustment), PDFium and pdf.js do, and as MuPDF's viewers do on screen: a rule thinner
    # than a pixel is drawn one pixel wide, not as a faint grey line.
    pymupdf.TOOLS.set_graphics_min_line_width(1.0)
    images, texts = [], []
    with pymupdf.open(path) as document:
        for page in document:
            pixmap = page.get_pixmap(dpi=dpi, colorspace=pymupdf.csGRAY, alpha=False, annots=False)
            images.append(Image.frombytes("L", (pixmap.width, pixmap.height), pixmap.samples, "raw", "L",
                                          pixmap.stride))
            texts.append(page.get_text())
    return images, texts


def pages_pdfium(path: Path, dpi: int, work: Path) -> tuple[list[Image.Image], list[str]]:
    import pypdfium2

    document = pypdfium2.PdfDocument(str(path))
    try:
        images, texts = [], []
        for page in document:
            images.append(page.render(scale=dpi / 72, grayscale=True, draw_annots=False).to_pil().convert("L"))
            textpage = page.get_textpage()
            texts.append(textpage.get_text_bounded())
            textpage.close()
            page.close()
        return images, texts
    finally:
        document.close()


def node() -> str | None:
    return shutil.which("node")


def render_all(paths: list[Path], dpi: int) -> dict[Path, dict[str, tuple[list[Image.Image], list[str]]]]:
    """{pdf: {reader: (page images, page texts)}} for every reader. pdf.js renders all files in one Node process
    (starting Node costs more than a page), Poppler's tools run beside it, MuPDF and PDFium in this process."""
    from concurrent.futures import ThreadPoolExecutor

    with tempfile.TemporaryDirectory(prefix="policygen-viewers-") as tmp:
        work = Path(tmp)
        (work / "pdfjs").mkdir()
        pdfjs = subprocess.Popen([node(), str(PDFJS / "render.mjs"), str(dpi), str(work / "pdfjs"), *map(str, paths)],
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        folders = []
        for i in range(len(paths)):
            folders.append(work / str(i))
            folders[-1].mkdir()
        with ThreadPoolExecutor(max_workers=1) as pool:
            poppler = [pool.submit(pages_poppler, path, dpi, folder) for path, folder in zip(paths, folders)]
            results = {path: {"mupdf": pages_mupdf(path, dpi, folder), "pdfium": pages_pdfium(path, dpi, folder)}
                       for path, folder in zip(paths, folders)}
            for path, future in zip(paths, poppler):
                results[path]["poppler"] = future.result()
        stdout, stderr = pdfjs.communicate(timeout=900)
        if pdfjs.returncode != 0:
            raise RuntimeError(f"pdf.js failed: {stderr}")
        for i, (path, texts) in enumerate(zip(paths, json.loads(stdout)["files"]), start=1):
            images = [Image.open(work / "pdfjs" / f"{i}-{n}.png").convert("L") for n in range(1, len(texts) + 1)]
            results[path]["pdfjs"] = (images, texts)
        for readers in results.values():  # the images outlive the temporary folder
            for reader, (images, texts) in readers.items():
                readers[reader] = ([image.copy() for image in images], texts)
        return results


def difference(a: Image.Image, b: Image.Image, *, blur: float = 1.5, step: int = 40, ink: int = 215) -> float:
    """The share of the inked area of two renderings of a page where they differ: both brought to one size and
    blurred (radius `blur` pixels), a pixel differs when its grey levels differ by more than `step` and is inked when
    either is darker than `ink`.

    The blur is what lets four renderers agree: they place glyphs to within a pixel of each other, anti-alias
    differently and disagree on how dark a hairline is (Poppler snaps a 0.5 pt rule to a whole black pixel, MuPDF
    draws it light grey), which at this scale stays under `step`. A glyph drawn blank or from another font, a missing
    rule or field leaves a patch much darker in one image than in the other, which counts."""
    if b.size != a.size:
        b = b.resize(a.size, Image.Resampling.BILINEAR)
    a, b = a.filter(ImageFilter.GaussianBlur(blur)), b.filter(ImageFilter.GaussianBlur(blur))
    differing = ImageChops.difference(a, b).point(lambda v: 255 if v > step else 0).histogram()[255]
    inked = ImageChops.darker(a, b).point(lambda v: 255 if v < ink else 0).histogram()[255]
    return differing / (a.width * a.height)


def ink(image: Image.Image) -> int:
    """How much a rendering draws: the sum of its darkness (255 − grey level) over all pixels."""
    return sum((255 - level) * count for level, count in enumerate(image.histogram()))
