"""Page presets for printed regulations, shared by the PDF and DOCX renderers.

`gbt9704` follows GB/T 9704-2012 (党政机关公文格式): A4, top margin 37 mm, left (binding) margin 28 mm, type area
156 × 225 mm, body 三号 (16 pt) in a 仿宋 face, 28 characters per line and 22 lines per page, title 二号 (22 pt),
page numbers 四号 (14 pt) "— N —" at the outer edge. The grid fixes the rest: 156 mm / 28 = 5.571 mm per
character (≈ 15.8 pt, so 16 pt type is set with a slight negative tracking) and 225 mm / 22 = 10.227 mm line pitch.

`compact` is a denser office layout: 12 pt body, narrower margins, 37 × 32 grid.
"""

from __future__ import annotations

from dataclasses import dataclass

MM_PER_PT = 25.4 / 72


@dataclass(frozen=True)
class Preset:
    name: str
    page_width_mm: float
    page_height_mm: float
    margin_top_mm: float
    margin_left_mm: float  # the binding edge (inner on recto pages)
    area_width_mm: float
    area_height_mm: float
    chars_per_line: int
    lines_per_page: int
    body_pt: float
    title_pt: float
    heading_pt: float
    page_number_pt: float
    footer_offset_mm: float  # distance from the bottom of the type area to the dash lines of the page number

    @property
    def margin_right_mm(self) -> float:
        return self.page_width_mm - self.margin_left_mm - self.area_width_mm

    @property
    def margin_bottom_mm(self) -> float:
        return self.page_height_mm - self.margin_top_mm - self.area_height_mm

    @property
    def char_mm(self) -> float:
        """Advance of one Chinese character on the grid."""
        return self.area_width_mm / self.chars_per_line

    @property
    def line_mm(self) -> float:
        """Line pitch on the grid."""
        return self.area_height_mm / self.lines_per_page

    # A landscape page inside a regulation (an attached landscape form) is the portrait sheet turned: its margins are
    # the portrait ones rotated, the binding edge at the top, so the type area keeps its size (225 × 156 mm).
    @property
    def landscape_margins_mm(self) -> tuple[float, float, float, float]:
        """(top, right, bottom, left) of a landscape page."""
        return (self.margin_left_mm, self.margin_bottom_mm, self.margin_right_mm, self.margin_top_mm)

    @property
    def landscape_area_width_mm(self) -> float:
        return self.page_height_mm - self.margin_top_mm - self.margin_bottom_mm

    @property
    def form_pt(self) -> float:
        """Type size of a form attached to a regulation: the regulation's table size, at most 五号 (10.5 pt)."""
        return min(self.body_pt * 0.875, 10.5)

    @property
    def page_number_padding_mm(self) -> float:
        """Space above the page number's line (set solid, line-height 1) so that the dash lines of "— N —" lie
        `footer_offset_mm` below the type area, as GB/T 9704 measures it ("一字线上距版心下边缘7 mm"): in the CJK faces
        policygen ships the dash's stroke sits 0.58–0.67 em below the top of a solid line."""
        return self.footer_offset_mm - 0.62 * self.page_number_pt * MM_PER_PT

    @property
    def letter_spacing_mm(self) -> float:
        """Tracking that puts `chars_per_line` full-width characters of `body_pt` exactly in the type area."""
        return self.char_mm - self.body_pt * MM_PER_PT


PRESETS = {
    "gbt9704": Preset(name="gbt9704", page_width_mm=210, page_height_mm=297, margin_top_mm=37, margin_left_mm=28,
                      area_width_mm=156, area_height_mm=225, chars_per_line=28, lines_per_page=22, body_pt=16,
                      title_pt=22, heading_pt=16, page_number_pt=14, footer_offset_mm=7),
    "compact": Preset(name="compact", page_width_mm=210, page_height_mm=297, margin_top_mm=25, margin_left_mm=25,
                      area_width_mm=37 * 12 * MM_PER_PT, area_height_mm=247, chars_per_line=37, lines_per_page=32,
                      body_pt=12, title_pt=18, heading_pt=13, page_number_pt=10.5, footer_offset_mm=6),
}

# Font names written into DOCX files (Word resolves them on the reader's machine; PDFs embed real fonts).
DOCX_FONTS = {
    "zh-Hans": {"body": "仿宋", "heading": "黑体", "title": "方正小标宋简体", "kai": "楷体", "latin": "Times New Roman"},
    "zh-Hant": {"body": "新細明體", "heading": "微軟正黑體", "title": "標楷體", "kai": "標楷體", "latin": "Times New Roman"},
    "en": {"body": "Times New Roman", "heading": "Arial", "title": "Times New Roman", "kai": "Times New Roman",
           "latin": "Times New Roman"},
}


def preset(name: str) -> Preset:
    return PRESETS[name]
