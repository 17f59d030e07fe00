"""The numbering a Chinese regulation is written with, read back: labels (第一章, 第一节, 第一条 / 第1条 /
第一條) and outline markers (（一） 一、 1. 1、 （1） ①), each with the number it stands for."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..language import parse_numeral

_CN = "一二三四五六七八九十百千零〇两兩"
_NUM = rf"[{_CN}]+|\d+"
CHAPTER = re.compile(rf"^(?:第\s*({_NUM})\s*章|Chapter\s+(\d+)\.?)[\s：:]*(.*)$")
SECTION = re.compile(rf"^(?:第\s*({_NUM})\s*[节節]|Section\s+(\d+)\.?)[\s：:]*(.*)$")
ARTICLE = re.compile(rf"^(?:第\s*({_NUM})\s*[条條](?![款项項目])|Article\s+(\d+)\.?(?=\s|$))[\s：:]*(.*)$")
# Outline markers by kind, at the start of a paragraph.
MARKERS = {
    "cn-paren": re.compile(rf"^[（(]\s*([{_CN}]+)\s*[）)]\s*(.*)$"),
    "cn-comma": re.compile(rf"^([{_CN}]+)\s*[、]\s*(.*)$"),
    "ar-paren": re.compile(r"^(?:[（(]\s*(\d{1,3})\s*[）)]|(\d{1,3})[）)])\s*(.*)$"),
    "ar-dot": re.compile(r"^(\d{1,3})(?:\.(?!\d)|[、])\s*(.*)$"),
    "circled": re.compile(r"^([\u2460-\u2473])\s*(.*)$"),
    "en-roman": re.compile(r"^\(((?:x{0,3})(?:ix|iv|v?i{0,3}))\)\s+(.*)$"),  # (i) (ii) … (xxxix)
    "en-alpha": re.compile(r"^\(([a-z]{1,2})\)\s+(.*)$"),  # (a) (b) …
}
_ROMAN = {"i": 1, "v": 5, "x": 10}
# The same markers anywhere in a run-on paragraph (text pasted without its line breaks).
_INLINE = {
    "cn-paren": re.compile(rf"[（(]([{_CN}]{{1,3}})[）)]"),
    "cn-comma": re.compile(rf"(?<![{_CN}])([{_CN}]{{1,3}})、"),
    "ar-paren": re.compile(r"[（(](\d{1,2})[）)]"),
    "ar-dot": re.compile(r"(?<![\d.])(\d{1,2})\.(?!\d)"),
    "circled": re.compile(r"([\u2460-\u2473])"),
}


@dataclass(frozen=True)
class Marker:
    kind: str
    value: int
    rest: str


def number(text: str) -> int | None:
    return parse_numeral(text.replace("兩", "两").replace("两", "二"))


def marker(text: str) -> Marker | None:
    """The outline marker a paragraph starts with: （一）总则 → Marker('cn-paren', 1, '总则')."""
    for kind, pattern in MARKERS.items():
        m = pattern.match(text)
        if m:
            groups = [g for g in m.groups()[:-1] if g]
            raw = groups[0]
            value = _value(kind, raw)
            if value:
                return Marker(kind, value, m.groups()[-1].strip())
    return None


def _value(kind: str, raw: str) -> int | None:
    if kind == "circled":
        return ord(raw) - 0x245F
    if kind == "en-alpha":
        return (ord(raw[0]) - 96) + 26 * (len(raw) - 1)
    if kind == "en-roman":
        total = 0
        for k, c in enumerate(raw):
            v = _ROMAN[c]
            total += -v if k + 1 < len(raw) and _ROMAN[raw[k + 1]] > v else v
        return total or None
    return number(raw)


def label(m: re.Match) -> tuple[int | None, str]:
    """The number and the rest of a chapter, section or article label (Chinese or English)."""
    raw = m.group(1) or m.group(2)
    return number(raw), m.group(3)


def split_run_on(text: str, minimum: int = 4) -> list[str]:
    """Split a paragraph that holds a whole outline without line breaks ("一、总则（一）目的…1.…2.…") at the
    markers that continue a sequence: a kind's next number, or 1 after a marker of a kind above it."""
    found = []
    for kind, pattern in _INLINE.items():
        for m in pattern.finditer(text):
            raw = m.group(1)
            value = ord(raw) - 0x245F if kind == "circled" else number(raw)
            if value:
                found.append((m.start(), kind, value))
    found.sort()
    order: list[str] = []  # kinds, outermost first, as they first appear
    expected: dict[str, int] = {}
    cuts: list[int] = []
    for start, kind, value in found:
        if kind not in order:
            if value != 1:
                continue
            order.append(kind)
        elif value != expected[kind] and not (value == 1 and expected[kind] == 0):
            continue
        cuts.append(start)
        expected[kind] = value + 1
        for deeper in order[order.index(kind) + 1:]:
            expected[deeper] = 0  # 0: the next of that kind starts again at 1
    if len(cuts) < minimum:
        return [text]
    pieces = [text[a:b].strip() for a, b in zip([0] + cuts, cuts + [len(text)])]
    return [p for p in pieces if p]
