"""Text as a regulation writes it: full-width punctuation in Chinese text, no stray spaces between Chinese
characters (ideographic spaces, which a writer types to set phrases apart, stay), half-width digits and letters; and which script (Simplified or Traditional) the text is in."""

from __future__ import annotations

import re

_FULLWIDTH_ALNUM = {c: c - 0xFEE0 for c in (*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B), *range(0xFF41, 0xFF5B))}
_FULLWIDTH_ALNUM[0xFF0E] = ord(".")
_TO_WIDE = {",": "，", ";": "；", ":": "：", "!": "！", "?": "？"}
_SPACE = re.compile(r"[ \t\u00a0\u3000\u2002\u2003\u2009\u200b]+")


def is_wide(c: str) -> bool:
    """A Chinese character or full-width punctuation mark."""
    o = ord(c)
    return (0x2E80 <= o <= 0x9FFF or 0xF900 <= o <= 0xFAFF or 0xFE30 <= o <= 0xFE4F or 0xFF00 <= o <= 0xFFEF
            or c in "“”‘’…—·" or 0x2460 <= o <= 0x2473)


def normalise(text: str) -> str:
    # WORD JOINERs carry no text (policygen's own DOCX holds them where Han characters meet figures)
    text = text.replace("\u2060", "").translate(_FULLWIDTH_ALNUM).strip(" \t\u00a0\u3000\u200b\ufeff")
    return _punctuation(_spaces(text))


def _spaces(text: str) -> str:
    def replace(m: re.Match) -> str:
        before = text[m.start() - 1] if m.start() else ""
        after = text[m.end()] if m.end() < len(text) else ""
        if before and after and is_wide(before) and is_wide(after):
            # ideographic spaces only, inside a line: written on purpose (phrases set apart), kept; others are stray
            return m.group() if set(m.group()) == {"\u3000"} else ""
        return " "

    return _SPACE.sub(replace, text)


def _punctuation(text: str) -> str:
    chars = list(text)
    n = len(chars)

    def wide_at(i: int) -> bool:
        return 0 <= i < n and is_wide(chars[i])

    stack: list[int] = []
    for i, c in enumerate(chars):
        if c == "(":
            stack.append(i)
        elif c == ")":
            if stack:
                j = stack.pop()
                inside = any(is_wide(x) for x in chars[j + 1:i])
                if inside or wide_at(j - 1) or wide_at(i + 1):
                    chars[j], chars[i] = "（", "）"
            elif wide_at(i - 1) or wide_at(i + 1):
                chars[i] = "）"
    for j in stack:
        if wide_at(j - 1) or wide_at(j + 1):
            chars[j] = "（"
    for i, c in enumerate(chars):
        if c in _TO_WIDE and (wide_at(i - 1) or wide_at(i + 1)):
            chars[i] = _TO_WIDE[c]
    return "".join(chars)


# (Traditional, Simplified) pairs of characters common in regulations that differ between the two scripts.
_PAIRS = ("條条 說说 與与 為为 們们 這这 時时 個个 實实 規规 經经 關关 會会 對对 進进 發发 處处 應应 該该 產产 認认 證证"
          " 質质 單单 據据 員员 門门 開开 問问 題题 顧顾 戶户 級级 設设 計计 劃划 協协 調调 務务 銷销 讓让 從从 書书"
          " 報报 價价 號号 辦办 則则 節节 過过 後后 專专 責责 滿满 費费 須须 將将 並并 頁页 表表").split()
_HANT_ONLY = {p[0] for p in _PAIRS if p[0] != p[1]}
_HANS_ONLY = {p[1] for p in _PAIRS if p[0] != p[1]}


def script(text: str) -> str:
    """en when the text has (almost) no Chinese characters; else zh-Hant when Traditional-only characters
    outnumber Simplified-only ones, else zh-Hans."""
    chinese = sum(0x4E00 <= ord(c) <= 0x9FFF for c in text)
    if chinese * 20 < sum(c.isascii() and c.isalpha() for c in text):
        return "en"
    hant = sum(c in _HANT_ONLY for c in text)
    hans = sum(c in _HANS_ONLY for c in text)
    return "zh-Hant" if hant > hans else "zh-Hans"
