"""Every printed phrase, per language: numerals, numbering labels, units, rule values, matrix bounds, fixed words.

This is the one home of the wording. It sits below the writers (render/), `diff.py` and `explain.py`, which take
their phrases from here. Three languages: zh-Hans, zh-Hant and en. Chinese numerals follow the usage of
regulations: 第十条, 第十一条, 第二十条, 第一百零一条, 第一百一十条.

Chinese wording follows W3C clreq and the way a drafter writes: no space between Han characters and figures
("3个工作日", "每月10日前", "不低于95%", "1,000元"); a bound says whether it includes its number ("1,000元以下（含）",
"超过5,000元"), since under 民法典 第一千二百五十九条 以上/以下 include the number itself.
"""

from __future__ import annotations

from decimal import Decimal

LANGUAGES = ("zh-Hans", "zh-Hant", "en")
_DIGITS = "零一二三四五六七八九"
_UNITS = ((1000, "千"), (100, "百"), (10, "十"))


def chinese_numeral(n: int) -> str:
    """1 → 一, 10 → 十, 11 → 十一, 20 → 二十, 101 → 一百零一, 110 → 一百一十, 1010 → 一千零一十 (1 ≤ n ≤ 9999)."""
    if not 1 <= n <= 9999:
        raise ValueError(f"no Chinese numeral for {n}")
    if 10 <= n < 20:  # 十, 十一 … 十九: the leading 一 is dropped
        return "十" + (_DIGITS[n - 10] if n > 10 else "")
    parts: list[str] = []
    rest = n
    zero_pending = False
    for size, unit in _UNITS:
        digit, rest = divmod(rest, size)
        if digit:
            if zero_pending:
                parts.append("零")
            parts.append(_DIGITS[digit] + unit)
            zero_pending = False
        elif parts:
            zero_pending = True
    if rest:
        if zero_pending:
            parts.append("零")
        parts.append(_DIGITS[rest])
    return "".join(parts)


_DIGIT_VALUES = {**{c: i for i, c in enumerate(_DIGITS)}, "〇": 0, "两": 2, "兩": 2, "壹": 1, "贰": 2, "貳": 2,
                 "叁": 3, "參": 3, "肆": 4, "伍": 5, "陆": 6, "陸": 6, "柒": 7, "捌": 8, "玖": 9}
_UNIT_VALUES = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}


def parse_numeral(text: str) -> int | None:
    """The number a Chinese or Arabic numeral writes, the inverse of `chinese_numeral`: 十一 → 11,
    一百零一 → 101, 二〇 → 20 (digit by digit), 27 → 27; None when `text` is not a numeral."""
    if text.isascii() and text.isdigit():
        return int(text)
    if not text or any(c not in _DIGIT_VALUES and c not in _UNIT_VALUES for c in text):
        return None
    if all(c in _DIGIT_VALUES for c in text):  # 二〇二六: written digit by digit
        return int("".join(str(_DIGIT_VALUES[c]) for c in text)) if len(text) > 1 or text != "零" else 0
    total, digit = 0, None
    for c in text:
        if c in _DIGIT_VALUES:
            digit = _DIGIT_VALUES[c]
        else:
            total += (1 if digit is None else digit) * _UNIT_VALUES[c]
            digit = None
    return total + (digit or 0)


def _alpha(n: int) -> str:
    letters = ""
    while n:
        n, r = divmod(n - 1, 26)
        letters = chr(ord("a") + r) + letters
    return letters


def _roman(n: int) -> str:
    out = ""
    for value, numeral in ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
                           (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")):
        while n >= value:
            out += numeral
            n -= value
    return out


def chapter_label(n: int, language: str) -> str:
    return f"Chapter {n}" if language == "en" else f"第{chinese_numeral(n)}章"


def section_label(n: int, language: str) -> str:
    if language == "en":
        return f"Section {n}"
    return f"第{chinese_numeral(n)}{'節' if language == 'zh-Hant' else '节'}"


def article_label(n: int, language: str) -> str:
    if language == "en":
        return f"Article {n}"
    return f"第{chinese_numeral(n)}{'條' if language == 'zh-Hant' else '条'}"


def item_label(n: int, language: str) -> str:
    return f"({_alpha(n)})" if language == "en" else f"（{chinese_numeral(n)}）"


def subitem_label(n: int, language: str) -> str:
    return f"({_roman(n)})" if language == "en" else f"{n}."


def format_date(iso: str, language: str) -> str:
    year, month, day = (int(p) for p in iso.split("-"))
    if language == "en":
        months = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
                  "October", "November", "December")
        return f"{day} {months[month - 1]} {year}"
    return f"{year}年{month}月{day}日"


def format_number(value: Decimal | int) -> str:
    """1000 → 1,000; 999.99 → 999.99; 2.0 → 2."""
    if isinstance(value, Decimal):
        value = value.normalize()
        if value == value.to_integral():
            value = int(value)
    return f"{value:,}" if isinstance(value, int) else f"{value:,f}"


# --- units ---------------------------------------------------------------------------------------------------

_UNIT_WORDS = {
    "zh-Hans": {"rings": "声", "seconds": "秒", "minutes": "分钟", "hours": "小时", "working-hours": "个工作小时",
                "working-days": "个工作日", "calendar-days": "日", "percent": "%", "count": "次", "persons": "人",
                "points": "分", "cny": "元", "days": "日"},
    "zh-Hant": {"rings": "聲", "seconds": "秒", "minutes": "分鐘", "hours": "小時", "working-hours": "個工作小時",
                "working-days": "個工作日", "calendar-days": "日", "percent": "%", "count": "次", "persons": "人",
                "points": "分", "cny": "元", "days": "日"},
    "en": {"rings": ("ring", "rings"), "seconds": ("second", "seconds"), "minutes": ("minute", "minutes"),
           "hours": ("hour", "hours"), "working-hours": ("working hour", "working hours"),
           "working-days": ("working day", "working days"), "calendar-days": ("calendar day", "calendar days"),
           "percent": "%", "count": ("time", "times"), "persons": ("person", "persons"),
           "points": ("point", "points"), "cny": "CNY", "days": ("day", "days")},
}
_WEEKDAYS = {
    "zh-Hans": dict(zip(("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"), "一二三四五六日")),
    "en": {d: d.capitalize() for d in ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")},
}
_COMPARATORS = {
    "zh-Hans": {">=": "不低于", "<=": "不高于", ">": "高于", "<": "低于", "=": ""},
    "zh-Hant": {">=": "不低於", "<=": "不高於", ">": "高於", "<": "低於", "=": ""},
    "en": {">=": "at least", "<=": "at most", ">": "more than", "<": "less than", "=": ""},
}


def quantity(value, unit: str, language: str) -> str:
    """A number with its unit as a reader expects it: 3 个工作日, 90%, 3 rings."""
    number = format_number(value)
    word = _UNIT_WORDS[language][unit]
    if unit == "percent":
        return f"{number}%"
    if language == "en":
        if isinstance(word, tuple):
            word = word[0] if number == "1" else word[1]
        return f"{number} {word}"
    return f"{number}{word}"


def format_target(target, language: str) -> str:
    """The printed value of a rule target (see model.Target)."""
    zh = language != "en"
    weekdays = _WEEKDAYS["en" if not zh else "zh-Hans"]
    if target.comparator is not None:
        words = _COMPARATORS[language][target.comparator]
        amount = quantity(target.value, target.unit, language)
        if not words:
            return amount
        return f"{words} {amount}" if not zh else f"{words}{amount}"
    if target.anchor == "monthly":
        if not zh:
            time = f" {target.time}" if target.time else ""
            return f"by day {target.day} of each month{time}"
        return f"每月{target.day}日{target.time or ''}前"
    if target.anchor == "weekly":
        if not zh:
            time = f" {target.time}" if target.time else ""
            return f"by {weekdays[target.weekday]}{time} each week"
        return f"{'每週' if language == 'zh-Hant' else '每周'}{weekdays[target.weekday]}{target.time or ''}前"
    if target.unit == "immediate":
        return {"zh-Hans": "实时", "zh-Hant": "實時", "en": "immediately"}[language]
    return quantity(target.value, target.unit, language)


# --- fixed phrases -------------------------------------------------------------------------------------------

_STRINGS = {
    "zh-Hans": {"closing": "附则", "number": "文号", "version": "版本", "effective": "生效日期", "issued_by": "发布部门",
                "supersedes": "废止", "attachment": "附表", "attachments": "附件", "contents": "目录",
                "index_title": "文档索引", "regulations": "制度", "forms": "表单", "rules": "规则", "matrices": "核决权限表",
                "approvers": "核决权限", "form_number": "表单编号", "revisions": "修订记录", "date": "日期",
                "summary": "修订内容", "rule": "规则", "value": "标准", "channel": "渠道", "stated_in": "依据",
                "any": "不限", "and": "、", "then": " → ", "opinion": "意见", "signature": "签名", "capital": "大写",
                "sep": "　", "item_sep": "", "page_of": ("第", "页 共", "页"), "colon": "：", "gap": "　",
                "yes": "是", "no": "否", "fillable": "可填写 PDF", "traditional_edition": "繁體"},
    "zh-Hant": {"closing": "附則", "number": "文號", "version": "版本", "effective": "生效日期", "issued_by": "發布部門",
                "supersedes": "廢止", "attachment": "附表", "attachments": "附件", "contents": "目錄",
                "index_title": "文件索引", "regulations": "制度", "forms": "表單", "rules": "規則", "matrices": "核決權限表",
                "approvers": "核決權限", "form_number": "表單編號", "revisions": "修訂記錄", "date": "日期",
                "summary": "修訂內容", "rule": "規則", "value": "標準", "channel": "渠道", "stated_in": "依據",
                "any": "不限", "and": "、", "then": " → ", "opinion": "意見", "signature": "簽名", "capital": "大寫",
                "sep": "　", "item_sep": "", "page_of": ("第", "頁 共", "頁"), "colon": "：", "gap": "　",
                "yes": "是", "no": "否", "fillable": "可填寫 PDF", "traditional_edition": "繁體"},
    "en": {"closing": "Supplementary Provisions", "number": "Document No.", "version": "Version",
           "effective": "Effective date", "issued_by": "Issued by", "supersedes": "Supersedes",
           "attachment": "Attachment", "attachments": "Attachments", "contents": "Contents",
           "index_title": "Documents", "regulations": "Regulations", "forms": "Forms", "rules": "Rules",
           "matrices": "Approval matrices", "approvers": "Approved by", "form_number": "Form No.",
           "revisions": "Revision record", "date": "Date", "summary": "Summary", "rule": "Rule", "value": "Target",
           "channel": "Channel", "stated_in": "Stated in", "any": "any", "and": ", ", "then": " → ", "opinion": "Opinion", "signature": "Signature",
           "capital": "In words", "sep": " ", "item_sep": " ",
           "page_of": ("Page ", " of ", ""), "colon": ": ", "gap": "  ", "yes": "Yes", "no": "No",
           "fillable": "Fillable PDF", "traditional_edition": "Traditional Chinese"},
}

# The words of a procedure's step table and flowchart.
_PROCEDURE_STRINGS = {
    "zh-Hans": {"step": "步骤", "responsible": "责任部门", "deadline": "时限", "form": "表单", "procedure": "流程图",
                "start": "开始", "end": "结束", "notes": "说明"},
    "zh-Hant": {"step": "步驟", "responsible": "責任部門", "deadline": "時限", "form": "表單", "procedure": "流程圖",
                "start": "開始", "end": "結束", "notes": "說明"},
    "en": {"step": "Step", "responsible": "Responsible", "deadline": "Deadline", "form": "Form", "procedure": "Flowchart",
           "start": "Start", "end": "End", "notes": "Notes"},
}
for _language, _more in _PROCEDURE_STRINGS.items():
    _STRINGS[_language].update(_more)

# The words of the machine-readable exports that a modeller shows: the DMN output column, the BPMN end event of
# a step that runs past its deadline.
_EXPORT_WORDS = {
    "zh-Hans": {"approvers": "核决人", "overdue": "逾期"},
    "zh-Hant": {"approvers": "核決人", "overdue": "逾期"},
    "en": {"approvers": "Approvers", "overdue": "Overdue"},
}


def export_words(language: str) -> dict[str, str]:
    return _EXPORT_WORDS[language]


# The words of a 修订对照表 (render/revisions.py): headings, kinds of change, property names.
_REVISION_WORDS = {
    "zh-Hans": {
        "title": "《{title}》修订对照表", "title_word": "标题", "article": "条款", "before": "修订前", "after": "修订后",
        "arrow": "→", "added": "新增", "removed": "删除", "moved": "由{old}移至{new}",
        "ref_note": "因引用的{kinds}变更", "references": "仅因条款编号变化而更新的引用",
        "others": "相关规则、核决权限表及表单的修订", "others_all": "制度信息、相关规则、核决权限表及表单的修订",
        "item": "项目",
        "renumbered": "原{old}依次改为{new}。", "renumbered_one": "原{old}改为{new}。", "range": "{a}至{b}",
        "list_sep": "、", "clause_sep": "；",
        "version": "版本 {version}，{date}施行", "revision": "{version}版（{date}）{summary}", "rule": "规则", "matrix": "核决权限表", "form": "表单",
        "row": "第{n}行", "field": "栏位“{label}”", "from": "{date}起 ", "none": "无", "colon": "：",
        "kinds": {"article": "条款", "rule": "规则", "form": "表单", "matrix": "核决权限表", "regulation": "制度",
                  "department": "部门", "role": "职务", "company": "公司名称"},
        "props": {"name": "名称", "kind": "类别", "ruleset": "所属规则", "targets": "标准", "measure": "计算方式",
                  "channel": "渠道", "period": "周期", "responsible": "负责部门", "action": "处理", "escalate_to": "上报",
                  "stated_in": "依据", "title": "名称", "hit_policy": "命中规则", "inputs": "输入", "priority": "优先顺序",
                  "number": "编号", "version": "版本", "owner": "主管部门", "paper": "纸张", "serial": "流水号",
                  "copies": "联次", "type": "类型", "label": "名称", "section": "所在部分", "columns": "每行栏数",
                  "note": "备注", "approvers": "核决", "conditions": "条件", "preamble": "序言",
                  "interpreted_by": "解释部门"},
        "types": {"text": "文本", "multiline": "多行文本", "number": "数字", "money": "金额", "date": "日期", "comb": "方格",
                  "choice": "选项", "rating": "评分", "table": "表格", "signature": "签名", "approval": "核决", "notes": "说明"},
        "paper": {"portrait": "纵向", "landscape": "横向"}, "section": "第{n}部分",
    },
    "zh-Hant": {
        "title": "《{title}》修訂對照表", "title_word": "標題", "article": "條款", "before": "修訂前", "after": "修訂後",
        "arrow": "→", "added": "新增", "removed": "刪除", "moved": "由{old}移至{new}",
        "ref_note": "因引用的{kinds}變更", "references": "僅因條款編號變化而更新的引用",
        "others": "相關規則、核決權限表及表單的修訂", "others_all": "制度資訊、相關規則、核決權限表及表單的修訂",
        "item": "項目",
        "renumbered": "原{old}依次改為{new}。", "renumbered_one": "原{old}改為{new}。", "range": "{a}至{b}",
        "list_sep": "、", "clause_sep": "；",
        "version": "版本 {version}，{date}施行", "revision": "{version}版（{date}）{summary}", "rule": "規則", "matrix": "核決權限表", "form": "表單",
        "row": "第{n}行", "field": "欄位「{label}」", "from": "{date}起 ", "none": "無", "colon": "：",
        "kinds": {"article": "條款", "rule": "規則", "form": "表單", "matrix": "核決權限表", "regulation": "制度",
                  "department": "部門", "role": "職務", "company": "公司名稱"},
        "props": {"name": "名稱", "kind": "類別", "ruleset": "所屬規則", "targets": "標準", "measure": "計算方式",
                  "channel": "渠道", "period": "週期", "responsible": "負責部門", "action": "處理", "escalate_to": "上報",
                  "stated_in": "依據", "title": "名稱", "hit_policy": "命中規則", "inputs": "輸入", "priority": "優先順序",
                  "number": "編號", "version": "版本", "owner": "主管部門", "paper": "紙張", "serial": "流水號",
                  "copies": "聯次", "type": "類型", "label": "名稱", "section": "所在部分", "columns": "每行欄數",
                  "note": "備註", "approvers": "核決", "conditions": "條件", "preamble": "序言",
                  "interpreted_by": "解釋部門"},
        "types": {"text": "文字", "multiline": "多行文字", "number": "數字", "money": "金額", "date": "日期", "comb": "方格",
                  "choice": "選項", "rating": "評分", "table": "表格", "signature": "簽名", "approval": "核決", "notes": "說明"},
        "paper": {"portrait": "直式", "landscape": "橫式"}, "section": "第{n}部分",
    },
    "en": {
        "title": "{title}: comparison of revisions", "title_word": "title", "article": "Article", "before": "Before", "after": "After",
        "arrow": " → ", "added": "added", "removed": "deleted", "moved": "moved from {old} to {new}",
        "ref_note": "a referenced {kinds} changed", "references": "References updated only because articles were renumbered",
        "others": "Changes to the rules, approval matrices and forms",
        "others_all": "Changes to the regulation's details, rules, approval matrices and forms", "item": "Item",
        "renumbered": "Former {old} are renumbered {new}.", "renumbered_one": "Former {old} is renumbered {new}.",
        "range": "{a} to {b}", "list_sep": ", ", "clause_sep": "; ",
        "version": "version {version}, in force from {date}", "revision": "version {version} ({date}): {summary}", "rule": "Rule", "matrix": "Approval matrix",
        "form": "Form", "row": "row {n}", "field": "field “{label}”", "from": "from {date}: ", "none": "none", "colon": ": ",
        "kinds": {"article": "article", "rule": "rule", "form": "form", "matrix": "approval matrix",
                  "regulation": "regulation", "department": "department", "role": "role", "company": "company name"},
        "props": {"name": "name", "kind": "kind", "ruleset": "rules document", "targets": "target", "measure": "measure",
                  "channel": "channel", "period": "period", "responsible": "responsible", "action": "action",
                  "escalate_to": "escalate to", "stated_in": "stated in", "title": "title", "hit_policy": "hit policy",
                  "inputs": "inputs", "priority": "priority", "number": "number", "version": "version", "owner": "owner",
                  "paper": "paper", "serial": "serial number", "copies": "copies", "type": "type", "label": "label",
                  "section": "section", "columns": "columns", "note": "note", "approvers": "approvers",
                  "conditions": "conditions", "preamble": "preamble", "interpreted_by": "interpreted by"},
        "types": {"text": "text", "multiline": "multi-line text", "number": "number", "money": "amount", "date": "date",
                  "comb": "boxes", "choice": "choice", "rating": "rating", "table": "table", "signature": "signature",
                  "approval": "approval", "notes": "notes"},
        "paper": {"portrait": "portrait", "landscape": "landscape"}, "section": "section {n}",
    },
}


# The words of the procedure rows (steps added, removed, reordered, reassigned).
_REVISION_PROCEDURE_WORDS = {
    "zh-Hans": {"procedure": "流程", "step": "步骤“{name}”", "position": "第{n}步", "step_owner": "责任部门",
                "step_form": "表单", "step_deadline": "时限", "step_next": "下一步", "step_type": "类型"},
    "zh-Hant": {"procedure": "流程", "step": "步驟「{name}」", "position": "第{n}步", "step_owner": "責任部門",
                "step_form": "表單", "step_deadline": "時限", "step_next": "下一步", "step_type": "類型"},
    "en": {"procedure": "Procedure", "step": "step “{name}”", "position": "step {n}", "step_owner": "responsible",
           "step_form": "form", "step_deadline": "deadline", "step_next": "next", "step_type": "type"},
}
for _language, _more in _REVISION_PROCEDURE_WORDS.items():
    _REVISION_WORDS[_language].update(_more)
    _REVISION_WORDS[_language]["props"]["lanes"] = {"zh-Hans": "泳道顺序", "zh-Hant": "泳道順序", "en": "lane order"}[_language]


def revision_words(language: str) -> dict:
    return _REVISION_WORDS[language]


_DOC_WORDS = ("手册", "手冊", "制度", "办法", "辦法", "规定", "規定", "细则", "細則", "规则", "規則", "守则", "守則", "准则", "準則", "规范", "規範")


def strings(language: str) -> dict[str, str]:
    return _STRINGS[language]


def closing_titles() -> set[str]:
    return {s["closing"] for s in _STRINGS.values()}


def _this_document(title: str, language: str) -> str:
    if language == "en":
        return "This regulation"
    word = next((w for w in _DOC_WORDS if title.endswith(w)), "制度")
    return "本" + word


def interpretation_clause(title: str, interpreter: str, language: str) -> str:
    this = _this_document(title, language)
    if language == "en":
        return f"{this} is interpreted by {interpreter}."
    return f"{this}由{interpreter}{'負責解釋' if language == 'zh-Hant' else '负责解释'}。"


def effective_clause(title: str, date: str, language: str) -> str:
    this = _this_document(title, language)
    if language == "en":
        return f"{this} takes effect on {format_date(date, language)}."
    return f"{this}自{format_date(date, language)}起施行。"


def quoted(title: str, language: str) -> str:
    """A document's title as a reference prints it: 《客户投诉处理表》 (a title alone in English)."""
    return title if language == "en" else f"《{title}》"


# --- matrix bounds -------------------------------------------------------------------------------------------

def format_amount(value, currency: str, language: str) -> str:
    """1000 CNY → 1,000元 (1,000 CNY in English)."""
    number = format_number(value)
    if language == "en":
        return f"{number} {currency}"
    return f"{number}元" if currency == "CNY" else f"{number}{currency}"


_BOUNDS = {
    # lower bound included / excluded, upper bound included / excluded, and how two bounds join
    "zh-Hans": {"ge": "{}（含）以上", "gt": "超过{}", "le": "{}以下（含）", "lt": "低于{}", "from": "{}（含）",
                "to": "{lower}至{upper}", "upper_le": "{}（含）", "upper_lt": "{}（不含）"},
    "zh-Hant": {"ge": "{}（含）以上", "gt": "超過{}", "le": "{}以下（含）", "lt": "低於{}", "from": "{}（含）",
                "to": "{lower}至{upper}", "upper_le": "{}（含）", "upper_lt": "{}（不含）"},
    "en": {"ge": "from {} (inclusive)", "gt": "over {}", "le": "up to {} (inclusive)", "lt": "under {}",
           "from": "from {} (inclusive)", "to": "{lower} to {upper}", "upper_le": "{} (inclusive)",
           "upper_lt": "{} (exclusive)"},
}


def describe_interval(cond: dict, spec, language: str) -> str:
    """An amount range as a drafter writes it: 1,000元以下（含）, 超过1,000元至5,000元（含）, 超过5,000元."""
    w = _BOUNDS[language]
    lower_key = "gt" if "gt" in cond else "ge" if "ge" in cond else None
    upper_key = "lt" if "lt" in cond else "le" if "le" in cond else None
    if lower_key == "ge" and cond["ge"] <= spec.minimum:
        lower_key = None  # "from the smallest possible amount" is no bound at all
    amount = lambda key: format_amount(cond[key], spec.currency, language)  # noqa: E731
    if lower_key is None and upper_key is None:
        return strings(language)["any"]
    if upper_key is None:
        return w[lower_key].format(amount(lower_key))
    if lower_key is None:
        return w[upper_key].format(amount(upper_key))
    lower = w["gt"].format(amount("gt")) if lower_key == "gt" else w["from"].format(amount("ge"))
    upper = w["upper_" + upper_key].format(amount(upper_key))
    return w["to"].format(lower=lower, upper=upper)


def describe_condition(cond, spec, language: str) -> str:
    """What a matrix row asks of one input, printed."""
    s = strings(language)
    if cond == "any" or cond is None:
        return s["any"]
    if spec.type == "money":
        return describe_interval(cond, spec, language)
    if spec.type == "enum":
        labels = dict(spec.values)
        return s["and"].join(labels.get(v, v) for v in cond)
    return s["yes"] if cond else s["no"]


# The date blank printed on forms: 年 月 日 with room for the figures (four for the year, two each for the rest).
# Its width is fixed, so the form layout (render/form_layout.py) reserves it in every writer.
_DATE_BLANKS = {"zh": "　　　　年　　月　　日", "en": "____ / __ / __"}


def date_blank(language: str) -> str:
    """The printed blank a form gives for a date, in `language`."""
    return _DATE_BLANKS["en" if language == "en" else "zh"]
