"""Reading PDFs back the way a reader sees them: lines of characters with positions, sizes and fonts."""

from __future__ import annotations

from dataclasses import dataclass

import pdfplumber

PT_TO_MM = 25.4 / 72


@dataclass
class Line:
    page: int  # 1-based
    top_mm: float
    baseline_mm: float  # from the top of the page
    x0_mm: float
    x1_mm: float
    size: float
    text: str
    fonts: set[str]


def lines(path) -> list[Line]:
    out: list[Line] = []
    with pdfplumber.open(path) as pdf:
        for number, page in enumerate(pdf.pages, start=1):
            clusters: list[list[dict]] = []
            for ch in sorted(page.chars, key=lambda c: c["top"]):
                # characters of one line may differ in top by a few points (fonts with different ascents)
                if clusters and ch["top"] - clusters[-1][0]["top"] < 0.3 * ch["size"]:
                    clusters[-1].append(ch)
                else:
                    clusters.append([ch])
            for chars in clusters:
                chars.sort(key=lambda c: c["x0"])
                text = "".join(c["text"] for c in chars)
                baseline = max(page.height - c["matrix"][5] for c in chars)
                out.append(Line(number, chars[0]["top"] * PT_TO_MM, baseline * PT_TO_MM, chars[0]["x0"] * PT_TO_MM, chars[-1]["x1"] * PT_TO_MM,
                                max(round(c["size"], 1) for c in chars), text, {c["fontname"] for c in chars}))
    return out


def page_count(path) -> int:
    with pdfplumber.open(path) as pdf:
        return len(pdf.pages)


def embedded_fonts(path) -> dict[str, bytes]:
    """The font programs embedded in a PDF, by base font name without the subset tag (pg-fang-sc, …)."""
    from pypdf import PdfReader

    fonts = {}
    for page in PdfReader(path).pages:
        for ref in page["/Resources"]["/Font"].values():
            font = ref.get_object()
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
            program = descriptor.get("/FontFile3") or descriptor.get("/FontFile2")
            fonts[str(font["/BaseFont"]).split("+")[-1]] = program.get_object().get_data()
    return fonts


def form_labels(project) -> set[str]:
    """Every field label and table column heading of a project's forms."""
    labels = set()
    for form in project.forms.values():
        for field in form.fields:
            if field.label:
                labels.add(field.label)
            labels.update(c["label"] for c in field.attrs.get("columns", []) if field.type == "table")
    return labels


def cell_breaks(path, labels: set[str]) -> tuple[int, list[tuple[int, str]]]:
    """The table cells of a PDF (pdfplumber's tables, found by their rules) that hold one of `labels`, by their lines:
    how many there are, and (page, lines joined by "|") for every one whose lines break inside a word (a word as
    form_layout.label_words cuts a label: 营销部业务人员 is one)."""
    from policygen.render.form_layout import label_words

    by_text = {label.replace(" ", ""): label for label in labels}
    seen, broken = 0, []
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            for table in page.find_tables():
                for row in table.extract():
                    for cell in row:
                        parts = [p.replace(" ", "") for p in (cell or "").replace("*", "").split("\n")]
                        label = by_text.get("".join(parts))
                        if label is None:
                            continue
                        seen += 1
                        ends, at = set(), 0
                        for word in label_words(label):
                            at += len(word.replace(" ", ""))
                            ends.add(at)
                        breaks = [sum(map(len, parts[:k])) for k in range(1, len(parts))]
                        if any(b not in ends for b in breaks):
                            broken.append((page.page_number, "|".join(parts)))
    return seen, broken
