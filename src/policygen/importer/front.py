"""The front matter of a regulation: its title, document number (文号), version, effective date and preamble."""

from __future__ import annotations

import re

from .tree import Para, Recognised, continues, join, left_out_procedure, title_like

DOC_WORDS = ("制度", "办法", "辦法", "规定", "規定", "细则", "細則", "规则", "規則", "守则", "守則", "准则", "準則",
              "规范", "規範", "规程", "規程", "章程", "手册", "手冊", "方案", "须知", "須知", "标准", "標準",
              "Regulation", "Regulations", "Rules", "Policy", "Measures", "Provisions", "Procedures", "Code")
_DOC_NUMBER = re.compile(r"[\u4e00-\u9fffA-Za-z]{1,12}[〔［\[【(（]\s*\d{4}\s*[〕］\]】)）]\s*第?\s*\d+\s*[号號]")
_VERSION = re.compile(r"(?:版本|版次|Version)\s*[：:]?\s*([0-9][0-9A-Za-z.\-]*)")
_META_DATE = re.compile(r"(?:生效日期|施行日期|实施日期|實施日期|发布日期|發布日期)\s*[：:]?\s*(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
CLAUSE_DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
           "november", "december")
_DATE_EN = re.compile(r"(\d{1,2}) (January|February|March|April|May|June|July|August|September|October|November|December) (\d{4})")
_META_DATE_EN = re.compile(r"(?:Effective date|Effective from|Effective)\s*:?\s*" + _DATE_EN.pattern)


def find_date(text: str, meta: bool = False) -> str | None:
    """The ISO date a text states: 2010年1月1日, or 1 January 2010 in English."""
    m = (_META_DATE if meta else CLAUSE_DATE).search(text)
    if m:
        return iso(m)
    m = (_META_DATE_EN if meta else _DATE_EN).search(text)
    if m:
        day, month, year = int(m.group(1)), _MONTHS.index(m.group(2).lower()) + 1, int(m.group(3))
        return f"{year:04d}-{month:02d}-{day:02d}" if 1 <= day <= 31 else None
    return None


def read_front(front: list[Para], result: Recognised, unit: str) -> None:
    title_at = next((i for i, p in enumerate(front) if p.style.lower() == "title"), None)
    if title_at is None:
        candidates = [i for i, p in enumerate(front) if p.kind == "text" and title_like(p.text)
                      and not _DOC_NUMBER.search(p.text) and not _VERSION.search(p.text)]
        named = [i for i in candidates if p_text(front[i]).endswith(DOC_WORDS)]
        title_at = (named or candidates or [None])[-1]
        if named and candidates and candidates[-1] > named[-1]:
            # a short line after the named title (its number, a date) is not the title
            title_at = named[-1]
    if title_at is not None:
        result.title = p_text(front[title_at])
    before = front[:title_at] if title_at is not None else []
    # The document number of an official document (发文字号) stands above its title.
    numbered = next((p for p in reversed(before) if p.kind == "text" and _DOC_NUMBER.fullmatch(p.text.strip())), None)
    if numbered is not None:
        result.number = _clean_number(numbered.text)
        result.meta_lines.append(numbered.text)
    if before:
        result.leave_out([p for p in before if p is not numbered], "before the title")
    preamble_paras = []
    for p in front[(title_at + 1) if title_at is not None else 0:]:
        meta = False
        if p.kind == "table":
            result.leave_out([p], "a table before the first article")
            continue
        if p.kind == "procedure":
            result.leave_out([p], left_out_procedure(p.caption))
            continue
        m = _DOC_NUMBER.search(p.text)
        if m and result.number is None:
            result.number = _clean_number(m.group(0))
            meta = True
        m = _VERSION.search(p.text)
        if m:
            result.version = m.group(1).rstrip(".")
            meta = True
        date = find_date(p.text, meta=True)
        if date:
            result.effective = date
            meta = True
        m = _VERSION.search(p.text)
        if m and result.number is None and re.fullmatch(r"[\w\-/.〔〕]+", p.text[:m.start()].strip() or " "):
            result.number = p.text[:m.start()].strip()  # policygen prints "NUMBER  Version 1.0  Effective date …"
        if meta:
            result.meta_lines.append(p.text)
        elif title_like(p.text) and not preamble_paras:
            result.front_lines.append(p)  # a short line among the metadata: the issuing department, perhaps
        else:
            preamble_paras.append(p)
    before = None
    for p in preamble_paras:  # a text file's lines wrapped inside a sentence are one paragraph
        if unit == "line" and result.preamble and continues(result.preamble[-1], before.full):
            result.preamble[-1] = join(result.preamble[-1], p.text)
        else:
            result.preamble.append(p.text)
        before = p


def p_text(p: Para) -> str:
    return p.text.rstrip("？?！!。 ")


def _clean_number(text: str) -> str:
    text = re.sub(r"\s+", "", text)
    return re.sub(r"[［\[【(（](\d{4})[］\]】)）]", r"〔\1〕", text)


def iso(m: re.Match) -> str | None:
    year, month, day = (int(g) for g in m.groups()[:3])
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"
