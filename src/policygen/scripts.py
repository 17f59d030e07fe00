"""Simplified and Traditional Chinese: checking that a Traditional document writes Traditional characters, and
converting a Simplified regulation into Traditional for publication, both with OpenCC.

A Traditional text converted by hand or by a character-for-character tool keeps Simplified forms that are also
(rarer) Traditional characters: 于 for 於, 并 for 並, 后 for 後, 范 for 範, 咨詢 for 諮詢, 關系 for 關係. OpenCC's
round trip (Traditional → Simplified → Taiwan Traditional, `tw2s` then `s2tw`, with its phrase tables) writes each
such place the standard way; a character it changes that is itself a Simplified form (`tw2s` leaves it as it is)
is reported, one warning per text with its file and line.
"""

from __future__ import annotations

from functools import cache

from .diagnostics import Diagnostic, Severity

CONVERSIONS = ("s2twp", "s2tw", "s2hk", "s2t")  # the OpenCC configurations a project may publish with


@cache
def _converter(config: str):
    import opencc

    return opencc.OpenCC(config)


def simplified_forms(text: str) -> list[tuple[str, str]]:
    """(written, standard) for every character of a Traditional text that is a Simplified form where Traditional
    Chinese writes another character."""
    back = _converter("tw2s").convert(text)
    standard = _converter("s2tw").convert(back)
    if len(standard) != len(text):
        return []  # the round trip rewrote whole phrases (vocabulary): nothing to point at character by character
    return [(a, b) for a, b in zip(text, standard) if a != b and _converter("tw2s").convert(a) == a]


def _strings(value, path=()):
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            if key not in ("id", "kind", "language") and not (key == "names" and isinstance(item, dict)):
                yield from _strings(item, path + (key,))
    elif isinstance(value, list):
        for n, item in enumerate(value):
            yield from _strings(item, path + (n,))


def check_traditional(project) -> list[Diagnostic]:
    """PG-LANG-101 for every text of a zh-Hant document that writes Simplified forms."""
    out: list[Diagnostic] = []
    for doc in project.documents():
        if getattr(doc, "language", None) != "zh-Hant" or doc is project.organization:
            continue
        source = doc.where.source
        for path, text in _strings(source.data):
            if not any("\u3400" <= ch <= "\u9fff" for ch in text):
                continue
            found = simplified_forms(text)
            if found:
                pairs = "、".join(dict.fromkeys(f"{a}→{b}" for a, b in found))
                out.append(source.diagnostic("PG-LANG-101", f"Simplified forms in a zh-Hant document: {pairs}", path,
                                             severity=Severity.WARNING))
    return out
