"""One article's text: its paragraphs (款), items (项) and sub-items (目), and the closing clause it may be."""

from __future__ import annotations

import re

from .front import DOC_WORDS
from .tree import ArticleDraft, Note, Para, Recognised, continues, excerpt, join

_THIS = "本(?:" + "|".join(DOC_WORDS) + ")"  # 本制度, 本办法, 本規定 …
_INTERPRETATION_EN = re.compile(r"^This (?:regulation|policy|rule|measure|provision)s? (?:is|are|shall be) interpreted by ", re.I)
_EFFECTIVE_EN = re.compile(r"^This (?:regulation|policy|rule|measure|provision)s? (?:takes|take|shall take) effect ", re.I)
_INTERPRETATION = re.compile(_THIS + r"[^。，]{0,12}?(?:(?:由|归|歸)[^。]{1,40}(?:负责|負責)?(?:解释|解釋)|(?:的)?(?:解释权|解釋權)(?:归|歸|属于|屬於|由))")
_EFFECTIVE = re.compile(_THIS + r"[^。]{0,30}?(?:自|从|從|于|於)[^。]{0,40}(?:起|之日)[^。]{0,10}(?:施行|实施|實施|实行|實行|执行|執行|生效)")


def article_body(a: ArticleDraft, result: Recognised, unit: str, article_kind: str) -> None:
    kinds: list[str] = []  # marker kinds in this article: items, then sub-items
    paragraphs: list[dict] = []
    previous: Para | None = None
    last: dict[str, int] = {}  # marker kind -> the last number seen
    for p in a.body:
        if p.kind == "table":  # a table paragraph (`table:`), between the paragraphs around it
            paragraphs.append({"text": "", "items": [], "table": p.table, "source": p.number})
            previous = p
            continue
        if p.kind == "marker" and p.marker_kind == "en-roman" and last.get("en-alpha") == ord(p.text[1]) - 97 \
                and last.get("en-roman", 0) + 1 != p.value:
            p.marker_kind, p.value = "en-alpha", ord(p.text[1]) - 96  # (i) after (h) is a letter, not a numeral
        if p.kind == "marker":
            last[p.marker_kind] = p.value
        if p.kind == "marker" and p.marker_kind != article_kind:
            if p.marker_kind not in kinds:
                kinds.append(p.marker_kind)
            level = kinds.index(p.marker_kind)
            if not paragraphs or "table" in paragraphs[-1]:
                paragraphs.append({"text": "", "items": [], "source": p.number})
            items = paragraphs[-1]["items"]
            text = p.rest
            if level == 0 or not items:
                items.append({"text": text, "subitems": [], "source": p.number})
            elif level == 1:
                items[-1]["subitems"].append(text)
            else:
                target = items[-1]["subitems"] or None
                if target:
                    target[-1] += p.text
                else:
                    items[-1]["text"] += p.text
                result.notes.append(Note("PG-IMPORT-101", f"{unit} {p.number}: a point nested below a sub-item "
                                         f"(“{excerpt(p.text, 12)}”) was kept with its number in the text above it", p.number))
            previous = p
            continue
        text = p.rest if p.kind == "marker" else p.text
        if previous is not None and _joins(previous, paragraphs, unit):
            _append_text(paragraphs, text)
        elif paragraphs and paragraphs[-1]["items"] and _label_only(paragraphs[-1]["items"][-1]):
            _append_text(paragraphs, text)
        elif paragraphs and not paragraphs[-1]["text"] and not paragraphs[-1]["items"] and "table" not in paragraphs[-1]:
            paragraphs[-1]["text"] = text
        else:
            paragraphs.append({"text": text, "items": [], "source": p.number})
        previous = p
    for k, para in enumerate(paragraphs):
        if not para["text"] and para["items"]:
            first = para["items"].pop(0)
            para["text"], para["source"] = first["text"], first["source"]
            where = ("opens with a numbered point and no text of its own; the point became its first paragraph"
                     if k == 0 else "has a numbered point after a table, with no text of its own before it; the "
                     "point became a paragraph")
            result.notes.append(Note("PG-IMPORT-101", f"{unit} {first['source']}: article {a.number} {where}",
                                     first["source"]))
    a.paragraphs = [p for p in paragraphs if p["text"] or p["items"] or "table" in p]
    a.clause = _clause(a)


def _label_only(item: dict) -> bool:
    return not item["text"] and not item["subitems"]


def _joins(previous: Para, paragraphs: list[dict], unit: str) -> bool:
    """A line of a text file that continues the text before it (`previous` is the line before), which stops
    mid-sentence (a paragraph wrapped by hard line breaks, even with blank lines between, as text taken from a
    PDF often is; see tree.continues). Word paragraphs are the author's own and never joined."""
    if not paragraphs or unit != "line" or "table" in paragraphs[-1]:
        return False
    return continues(_last_text(paragraphs), previous.full, running=not paragraphs[-1]["items"])


def _last_text(paragraphs: list[dict]) -> str:
    para = paragraphs[-1]
    if para["items"]:
        item = para["items"][-1]
        return item["subitems"][-1] if item["subitems"] else item["text"]
    return para["text"]


def _append_text(paragraphs: list[dict], text: str) -> None:
    para = paragraphs[-1]
    if para["items"]:
        item = para["items"][-1]
        if item["subitems"]:
            item["subitems"][-1] = join(item["subitems"][-1], text)
        else:
            item["text"] = join(item["text"], text)
    else:
        para["text"] = join(para["text"], text)


def _clause(a: ArticleDraft) -> str | None:
    if len(a.paragraphs) != 1 or a.paragraphs[0]["items"]:
        return None
    text = a.paragraphs[0]["text"]
    if _INTERPRETATION.match(text) or _INTERPRETATION_EN.match(text):
        return "interpretation"
    if _EFFECTIVE.match(text) or _EFFECTIVE_EN.match(text):
        return "effective"
    return None
