"""Rules and approval matrices offered as drafts, for the author to review: never decided silently.

Thresholds in a table ("1000元以下 | 1000-5000元 | 5000元以上" against the approvers) become a draft approval
matrix with explicit bounds. A boundary is settled only by what the text says: "（含）", "及以下", "不超过",
"以内" include it; "（不含）", "超过", "不满", "低于" leave it out; when one of the two rows that meet at a
boundary says so, the other row is its complement. When neither says (1000元以下 next to 1000-5000元), the draft
puts the amount in both rows, as the words read (以上 and 以下 include the number itself, 民法典 第一千二百五十九条),
and a warning names the boundary: the draft's rows overlap until a person decides, so it cannot pass validation
unnoticed.

Deadlines in the text ("3日内", "一个工作日内", "8小时内", "每月10日前", "每周五16:00前", "铃响三声", "实时") become
draft service-level rules whose `stated_in` names their article; "日" and "天" are calendar days unless the
text says 工作日, and each such rule is reported so that nobody takes a working-day deadline for calendar days.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from .outline import number
from .tree import Note, Recognised
from .write import to_yaml

_AMOUNT = r"(\d[\d,]*(?:\.\d+)?)\s*(万元|萬元|千元|元)?"
_MONEY = re.compile(r"\d[\d,]*(?:\.\d+)?\s*(?:万元|萬元|千元|元)")


@dataclass
class Bound:
    value: Decimal
    inclusive: bool | None  # None: the text does not say


def _amount(text: str, unit: str | None) -> Decimal:
    value = Decimal(text.replace(",", ""))
    return value * {"万元": 10000, "萬元": 10000, "千元": 1000}.get(unit or "", 1)


def parse_range(cell: str) -> tuple[Bound | None, Bound | None] | None:
    """'1000元以下' → (None, Bound(1000, None)); '1,000 元以上至 5,000 元（含）' → (Bound(1000, None), Bound(5000, True))."""
    text = re.sub(r"\s+", "", cell).replace("(", "（").replace(")", "）")
    if not _MONEY.search(text) and not re.search(r"\d", text):
        return None
    m = re.fullmatch(rf"(?:(超过|超過|高于|高於|大于|大於))?{_AMOUNT}(（含）|（不含）)?(及以上|以上|及以下|以下|以内|以內)?(（含）|（不含）)?"
                     rf"(?:(?:至|到|-|－|—|~|～)(?:(不超过|不超過|低于|低於|不满|不滿|未满|未滿))?{_AMOUNT}(（含）|（不含）)?(以下|以内|以內)?(（含）|（不含）)?)?"
                     r"(?:的|之间|之間)?", text)
    if not m:
        return None
    (lead, a, a_unit, a_mark, a_word, a_mark2, b_lead, b, b_unit, b_mark, b_word, b_mark2) = m.groups()
    if b is None:
        mark = a_mark or a_mark2
        inclusive = True if mark == "（含）" else False if mark == "（不含）" else None
        if lead:
            return Bound(_amount(a, a_unit), False), None
        if a_word in ("及以上",):
            inclusive = True
        if a_word in ("及以下", "以内", "以內"):
            inclusive = True
        if a_word in ("以上", "及以上"):
            return Bound(_amount(a, a_unit or b_unit), inclusive), None
        if a_word in ("以下", "及以下", "以内", "以內"):
            return None, Bound(_amount(a, a_unit), inclusive)
        return None
    unit = a_unit or b_unit
    lower_mark = a_mark or a_mark2
    lower = Bound(_amount(a, a_unit or unit), True if lower_mark == "（含）" else False if lower_mark == "（不含）" else None)
    upper_mark = b_mark or b_mark2
    upper_inc = True if upper_mark == "（含）" or b_lead in ("不超过", "不超過") or b_word in ("以内", "以內") else \
        False if upper_mark == "（不含）" or b_lead else None
    return lower, Bound(_amount(b, b_unit or unit), upper_inc)


def table_thresholds(rows: list[list[str]]):
    """(input label, [(range cell, parsed, approver cell)]) when the table is a threshold table, across or down."""
    if len(rows) >= 2 and len(rows[0]) >= 3:
        for r, row in enumerate(rows):
            parsed = [parse_range(c) for c in row[1:]]
            if sum(p is not None for p in parsed) >= 2 and all(parsed) and r + 1 < len(rows):
                approvers = rows[r + 1][1:]
                return row[0], [(c, p, a) for c, p, a in zip(row[1:], parsed, approvers)]
    if len(rows) >= 3 and all(len(r) >= 2 for r in rows):
        parsed = [parse_range(r[0]) for r in rows[1:]]
        if sum(p is not None for p in parsed) >= 2 and all(parsed):
            return rows[0][0], [(r[0], p, r[1]) for r, p in zip(rows[1:], parsed)]
    return None


_PROSE_RANGE = re.compile(r"(?:超过|超過|高于|高於|大于|大於)?\d[\d,]*(?:\.\d+)?\s*(?:万元|萬元|千元|元)?(?:（含）|（不含）)?"
                          r"(?:及以上|以上|及以下|以下|以内|以內)?(?:（含）|（不含）)?"
                          r"(?:(?:至|到|-|－|—|~|～)(?:不超过|不超過|低于|低於|不满|不滿|未满|未滿)?\d[\d,]*(?:\.\d+)?\s*(?:万元|萬元|千元|元)"
                          r"(?:（含）|（不含）)?(?:以下|以内|以內)?(?:（含）|（不含）)?)?")
_APPROVER = re.compile(r"(?:由|经|經|报|報|呈)?([\u4e00-\u9fff、]{2,20}?)(?:负责)?(?:核决|核決|审批|審批|批准|核准|签批|簽批)")


def prose_thresholds(texts: list[str]):
    """(input label, entries) when the sentences of an article name amounts and who approves each
    ("1000元以下的，由销售部门经理核决；1000元至5000元的，由副总经理核决；…"), else None."""
    entries, label = [], None
    for clause in re.split(r"[；;。\n]", "；".join(texts)):
        for m in _PROSE_RANGE.finditer(clause):
            if "元" not in m.group(0):
                continue
            parsed = parse_range(m.group(0))
            approver = _APPROVER.search(clause, m.end())
            if parsed is None or approver is None:
                continue
            if label is None:
                label = re.sub(r"^.*[，,：:]", "", clause[:m.start()]).strip()
                label = re.sub(r"(在|为|為|达|達|满|滿|的)$", "", label) or None
            entries.append((m.group(0), parsed, approver.group(1).lstrip("由经經报報呈")))
            break
    return (label, entries) if len(entries) >= 2 else None


def draft_matrix(found, matrix_id: str, caption: str, suffix: str, stated_in: str, roles: dict[str, str],
                 where: str, source: int) -> tuple[dict, list[Note], list[str]] | None:
    """The draft matrix of a threshold table or of threshold sentences (`found`: input label and entries of
    range text, parsed range and approvers), its notes, and a comment per row for the YAML."""
    if found is None:
        return None
    label, entries = found
    notes: list[Note] = []
    entries = sorted(entries, key=lambda e: (e[1][0].value if e[1][0] else Decimal(-1)))
    conditions = []
    undecided: dict[int, list[str]] = {}  # row index -> the boundaries the text leaves open
    for cell, (lower, upper), _ in entries:
        conditions.append({"lower": lower, "upper": upper})
    for k in range(len(entries) - 1):
        up, low = conditions[k]["upper"], conditions[k + 1]["lower"]
        if up is None or low is None or up.value != low.value:
            if up is not None and low is not None and up.value < low.value:
                notes.append(Note("PG-IMPORT-104", f"{where}: amounts between {up.value} and {low.value} are in no row "
                                  f"(“{entries[k][0]}”, “{entries[k + 1][0]}”): add a row or move a bound", source))
            continue
        if up.inclusive is None and low.inclusive is not None:
            up.inclusive = not low.inclusive
        elif low.inclusive is None and up.inclusive is not None:
            low.inclusive = not up.inclusive
        elif up.inclusive is None and low.inclusive is None:
            up.inclusive = low.inclusive = True
            undecided.setdefault(k, []).append(f"{up.value} is also in row {k + 2}")
            undecided.setdefault(k + 1, []).append(f"{up.value} is also in row {k + 1}")
            notes.append(Note("PG-IMPORT-104", f"{where}: {up.value} is in row {k + 1} (“{entries[k][0]}”) and in row "
                              f"{k + 2} (“{entries[k + 1][0]}”): the text does not say which; the draft puts it in both, "
                              "so decide and make one of the two bounds exclusive", source))
        elif up.inclusive == low.inclusive:
            notes.append(Note("PG-IMPORT-104", f"{where}: the text puts {up.value} in "
                              f"{'both' if up.inclusive else 'neither'} of rows {k + 1} and {k + 2} "
                              f"(“{entries[k][0]}”, “{entries[k + 1][0]}”): decide which row it belongs to", source))
    for c in conditions:  # an outer bound the text does not qualify reads as written: 以上/以下 include it
        for key in ("lower", "upper"):
            if c[key] is not None and c[key].inclusive is None:
                c[key].inclusive = True
    placeholders: dict[str, str] = {}
    out_rows, comments = [], []
    for (cell, _, approver_cell), c in zip(entries, conditions):
        when = {}
        if c["lower"] is not None:
            when["ge" if c["lower"].inclusive else "gt"] = _num(c["lower"].value)
        else:
            when["ge"] = 0
        if c["upper"] is not None:
            when["le" if c["upper"].inclusive else "lt"] = _num(c["upper"].value)
        approvers = []
        for name in [n for n in re.split(r"[、，,/→＞>]|然后|再由", approver_cell) if n.strip()]:
            name = name.strip()
            role = roles.get(name)
            if role is None:
                role = placeholders.setdefault(name, f"role-{len(placeholders) + 1}")
            approvers.append(role)
        out_rows.append({"when": {"amount": when}, "approvers": approvers or ["role-unknown"]})
        k = len(comments)
        comments.append(f"{cell} → {approver_cell}" + (f"   UNDECIDED: {'; '.join(undecided[k])}" if k in undecided else ""))
    for name, role in placeholders.items():
        notes.append(Note("PG-IMPORT-109", f"{where}: the approver “{name}” is no role of the organization; the draft "
                          f"calls it '{role}'", source))
    title = caption or f"{label or ''}{suffix}"
    matrix = {"kind": "approval-matrix", "id": matrix_id, "title": title, "stated_in": stated_in, "hit_policy": "unique",
              "inputs": [{"id": "amount", "label": label or "金额", "type": "money", "currency": "CNY"}], "rows": out_rows}
    return matrix, notes, comments


def _num(value: Decimal):
    return int(value) if value == value.to_integral() else float(value)


# --- deadlines ------------------------------------------------------------------------------------------------

_N = r"\d+|[一二三四五六七八九十两兩]+"
_WEEKDAYS = {"一": "monday", "二": "tuesday", "三": "wednesday", "四": "thursday", "五": "friday", "六": "saturday",
             "日": "sunday", "天": "sunday"}
_DEADLINES = [
    (re.compile(rf"({_N})\s*(?:个|個)?\s*(?:工作日|工作天)\s*(?:内|內|之内|之內|以内|以內)"), "working-days"),
    (re.compile(rf"({_N})\s*(?:个|個)?\s*(?:工作小时|工作小時)\s*(?:内|內|之内|之內|以内|以內)"), "working-hours"),
    (re.compile(rf"({_N})\s*(?:个|個)?\s*(?:小时|小時)\s*(?:内|內|之内|之內|以内|以內)"), "hours"),
    (re.compile(rf"({_N})\s*(?:分钟|分鐘)\s*(?:内|內|之内|之內|以内|以內)"), "minutes"),
    (re.compile(rf"({_N})\s*(?:个|個)?\s*(?:日|天)\s*(?:内|內|之内|之內|以内|以內)"), "calendar-days"),
    (re.compile(rf"(?:响|響|铃响|鈴響)\s*({_N})\s*(?:声|聲)"), "rings"),
    (re.compile(rf"每月\s*({_N})\s*(?:日|号|號)\s*(?:前|之前|以前)"), "monthly"),
    (re.compile(r"每(?:周|週|星期)([一二三四五六日天])\s*(\d{1,2}[:：]\d{2})?\s*(?:前|之前|以前)"), "weekly"),
    (re.compile(r"(?:实时|實時)"), "immediate"),
]


def find_deadlines(text: str) -> list[tuple[str, dict]]:
    """(the clause that states it, target) for each deadline in the text."""
    found = []
    taken: list[tuple[int, int]] = []
    for pattern, unit in _DEADLINES:
        for m in pattern.finditer(text):
            if any(a < m.end() and m.start() < b for a, b in taken):
                continue
            if unit == "weekly":
                target = {"anchor": "weekly", "weekday": _WEEKDAYS[m.group(1)]}
                if m.group(2):
                    hh, mm = re.split(r"[:：]", m.group(2))
                    target["time"] = f"{int(hh):02d}:{mm}"
            elif unit == "immediate":
                target = {"unit": "immediate"}
            else:
                n = number(m.group(1).replace("兩", "两").replace("两", "二"))
                if not n:
                    continue
                target = {"anchor": "monthly", "day": n} if unit == "monthly" else {"value": n, "unit": unit}
                if unit == "monthly" and not 1 <= n <= 31:
                    continue
            taken.append((m.start(), m.end()))
            found.append((m.start(), _clause(text, m.start(), m.end()), target))
    return [(clause, target) for _, clause, target in sorted(found, key=lambda f: f[0])]


def _clause(text: str, start: int, end: int) -> str:
    left = max(text.rfind(c, 0, start) for c in "，。；：,;")
    right = min((i for i in (text.find(c, end) for c in "，。；,;") if i >= 0), default=len(text))
    clause = text[left + 1:right].strip()
    return clause if len(clause) <= 60 else clause[:60] + "…"


# --- the draft documents --------------------------------------------------------------------------------

def draft_documents(rec: Recognised, title: str, reg_id: str, roles: dict[str, str], notes: list[Note],
                    unit: str) -> dict[str, str]:
    """The drafts of an imported regulation, file name -> YAML text: a matrix per threshold table or per article
    that states thresholds in sentences, and one rules document for all its deadlines."""
    drafts: dict[str, str] = {}
    matrices = 0
    suffix = "核決權限表" if rec.language == "zh-Hant" else "核决权限表"
    for para, article in rec.tables:
        article_id = getattr(article, "id", None)
        where = f"{unit} {para.number}"
        matrix_id = f"{reg_id}-approval" + (f"-{matrices + 1}" if matrices else "")
        drafted = draft_matrix(table_thresholds(para.rows), matrix_id, para.caption, suffix, f"{reg_id}/{article_id}", roles, where, para.number)
        if drafted is None:
            notes.append(Note("PG-IMPORT-102", f"{where}: a table of article {article.number} is not placed: "
                              f"{para.unplaced or 'it is a threshold table that no matrix could be drafted from'}",
                              para.number))
            continue
        matrix, matrix_notes, comments = drafted
        matrices += 1
        notes.append(Note("PG-IMPORT-102", f"{where}: the threshold table of article {article.number} is not placed: it "
                          f"is drafted as the approval matrix '{matrix_id}' ({matrix_id}.yaml.draft); once reviewed, "
                          f"make [[matrix:{matrix_id}]] a paragraph of its own in the article", para.number))
        notes.extend(matrix_notes)
        header = [f"DRAFT approval matrix from {where} of the imported regulation '{reg_id}'.",
                  "Review every bound and approver, then rename this file to .yaml."]
        drafts[f"{matrix_id}.yaml.draft"] = to_yaml(matrix, header, comments=dict(enumerate(comments)))
    levels = []
    hant = rec.language == "zh-Hant"
    tabled = {id(article) for _, article in rec.tables}
    for k, a in enumerate(rec.articles, start=1):
        texts = []
        for p in a.paragraphs:
            texts.append(p["text"])
            for item in p["items"]:
                texts.append(item["text"])
                texts.extend(item["subitems"])
        if id(a) not in tabled:
            matrix_id = f"{reg_id}-approval" + (f"-{matrices + 1}" if matrices else "")
            where = f"{unit} {a.source}"
            drafted = draft_matrix(prose_thresholds(texts), matrix_id, "", suffix, f"{reg_id}/{a.id}", roles, where, a.source)
            if drafted is not None:
                matrices += 1
                matrix, matrix_notes, comments = drafted
                notes.extend(matrix_notes)
                header = [f"DRAFT approval matrix from the thresholds in article {a.number} ({where}) of the imported "
                          f"regulation '{reg_id}'.", "Review every bound and approver, then rename this file to .yaml."]
                drafts[f"{matrix_id}.yaml.draft"] = to_yaml(matrix, header, comments=dict(enumerate(comments)))
        found = [d for t in texts for d in find_deadlines(t)]
        for n, (clause, target) in enumerate(found, start=1):
            rule = {"id": f"{a.id}-deadline" + (f"-{n}" if len(found) > 1 else ""), "name": clause,
                    "target": target, "stated_in": f"{reg_id}/{a.id}"}
            levels.append(rule)
            if target.get("unit") == "calendar-days":
                notes.append(Note("PG-IMPORT-110", f"{unit} {a.source}: “{clause}”: 日/天 is drafted as calendar days; "
                                  "make it working-days if working days are meant", a.source))
    if levels:
        rules = {"kind": "rules", "id": f"{reg_id}-rules", "language": rec.language,
                 "title": title + ("時限" if hant else "时限"), "service_levels": levels}
        header = [f"DRAFT service rules from the deadlines of the imported regulation '{reg_id}'.",
                  "Review each target (calendar or working days?), then rename this file to .yaml and write",
                  "[[rule:ID]] where the article states the deadline."]
        drafts[f"{reg_id}-rules.yaml.draft"] = to_yaml(rules, header)
    return drafts
