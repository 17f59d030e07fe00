"""Article numbers in the text become references, so that inserting an article later renumbers them.

"依本制度第二十七条" → "依本制度[[article:article-27]]"; a range "第二十五条至第二十八条" becomes two references.
A number that names no article of this regulation, a range written "第二十五至二十八条" (which no reference
prints), and an article of another document ("《劳动法》第三条", "会计制度第三条") are left as text; the first two
are reported. Relative references ("前款", "本条第二款", "前条") stay as text: the format refers to articles by
number only, and these words keep their meaning when articles are inserted. They are checked against the
article: "前款" in an article's first paragraph, "本条第三款" in an article of two paragraphs, or "前条" in the
first article is reported.
"""

from __future__ import annotations

import re

from .outline import number
from .tree import Note

_N = r"[一二三四五六七八九十百千零〇两]+|\d+"
_ARTICLE_REF = re.compile(rf"第\s*({_N})\s*[条條]|\bArticle\s+(\d+)\b(?!\s+of\s)")  # not "Article 3 of the Labour Law"
_BARE_RANGE = re.compile(rf"第\s*({_N})\s*(?:至|到|—|-|~|～)\s*第?\s*({_N})\s*[条條]")
_EXTERNAL = re.compile(r"(?:》|[^本该該此][\u4e00-\u9fff]*?(?:法|条例|條例|规定|規定|办法|辦法|制度|细则|細則|章程))$")
_THIS_ARTICLE_PARAGRAPH = re.compile(rf"本[条條]第\s*({_N})\s*款")
_PREVIOUS_PARAGRAPH = re.compile(r"前款|上款")
_PREVIOUS_ARTICLE = re.compile(r"前条|前條|上一条|上一條")


class Linker:
    def __init__(self, ids_by_number: dict[int, str], unit: str):
        self.ids = ids_by_number
        self.unit = unit
        self.notes: list[Note] = []

    def link(self, text: str, source: int, paragraph_index: int, paragraph_count: int, first_article: bool = False) -> str:
        for m in _BARE_RANGE.finditer(text):
            self.notes.append(Note("PG-IMPORT-103", f"{self.unit} {source}: “{m.group(0)}” is a range no reference can "
                                   f"print; write it 第{m.group(1)}条至第{m.group(2)}条 to have both ends follow "
                                   "renumbering", source))
        for m in _PREVIOUS_PARAGRAPH.finditer(text):
            if paragraph_index == 0:
                self.notes.append(Note("PG-IMPORT-103", f"{self.unit} {source}: “{m.group(0)}” stands in the first "
                                       "paragraph of its article, which has no paragraph before it", source))
        for m in _PREVIOUS_ARTICLE.finditer(text):
            if first_article:
                self.notes.append(Note("PG-IMPORT-103", f"{self.unit} {source}: “{m.group(0)}” stands in the first "
                                       "article, which has no article before it", source))
        for m in _THIS_ARTICLE_PARAGRAPH.finditer(text):
            n = number(m.group(1) or m.group(2))
            if n is None or n > paragraph_count:
                self.notes.append(Note("PG-IMPORT-103", f"{self.unit} {source}: “{m.group(0)}”: the article has "
                                       f"{paragraph_count} paragraph{'s' * (paragraph_count != 1)}", source))
        out, last = [], 0
        bare = [(m.start(), m.end()) for m in _BARE_RANGE.finditer(text)]
        for m in _ARTICLE_REF.finditer(text):
            if any(a <= m.start() < b for a, b in bare):
                continue
            before = text[max(0, m.start() - 20):m.start()]
            if _EXTERNAL.search(before) and not before.endswith(("本制度", "本办法", "本辦法", "本规定", "本規定", "本细则", "本細則")):
                continue  # an article of another document
            n = number(m.group(1) or m.group(2))
            target = self.ids.get(n) if n else None
            if target is None:
                self.notes.append(Note("PG-IMPORT-103", f"{self.unit} {source}: “{m.group(0)}” names no article of this "
                                       "regulation; it is kept as text", source))
                continue
            out.append(text[last:m.start()])
            out.append(f"[[article:{target}]]")
            last = m.end()
        out.append(text[last:])
        return "".join(out)
