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


# --- Traditional editions ------------------------------------------------------------------------------------

EDITION_SUFFIX = ".zh-Hant"  # regulations/<id>.zh-Hant.pdf beside regulations/<id>.pdf


# OpenCC's Taiwan phrases (s2twp) are a software glossary: in a regulation they misread office words as computing
# terms. These keep the office sense; a project's own `terms` win over them.
OFFICE_TERMS = {
    "s2twp": {
        "权限": "權限",  # 核决权限 (authority to approve), not 許可權 (a program's permissions)
        "对象": "對象",  # 培训对象 (whom a training is for), not 物件 (a software object)
        "程序": "程序",  # 作业程序 (a procedure), not 程式 (a program)
        "审核": "審核",  # review and approval, not 稽核 (audit)
        "文件": "文件",  # a document, not 檔案 (a computer file)
        "类型": "類型",  # a kind, not 型別 (a data type)
        "循环": "循環",  # the PDCA cycle, not 迴圈 (a loop)
        "社区": "社區",  # a residential community, not 社群 (an online group)
    },
}


def convert_text(text: str, config: str, terms: dict[str, str]) -> str:
    """Simplified text in Traditional Chinese with OpenCC `config`, the `terms` (Simplified → Traditional) printed as
    given, the office words of `OFFICE_TERMS` kept in their office sense. ASCII (ids, [[kind:id]] markup, figures,
    dates) is left as it is."""
    terms = {**OFFICE_TERMS.get(config, {}), **terms}
    if not terms:
        return _converter(config).convert(text)
    out, start = [], 0
    pattern = sorted(terms, key=len, reverse=True)  # the longest term first
    i = 0
    while i < len(text):
        term = next((t for t in pattern if text.startswith(t, i)), None)
        if term is None:
            i += 1
            continue
        out += [_converter(config).convert(text[start:i]), terms[term]]
        i = start = i + len(term)
    out.append(_converter(config).convert(text[start:]))
    return "".join(out)


def converter(project):
    """The function that turns a Simplified text of `project` into what its Traditional editions print."""
    settings = project.config.traditional
    return lambda text: convert_text(text, settings["convert"], settings.get("terms", {}))


def traditional_edition(project):
    """A view of the project in which every zh-Hans regulation that policygen.yaml names under `traditional` (all
    of them by default) is also present in Traditional Chinese, under the id `<id>.zh-Hant`; every text of every
    document it can print (titles, articles, the names of forms, matrices, departments and roles it refers to) is
    converted, and the editions' language is zh-Hant, so numbering and fixed phrases are Traditional (第一條, 附則).
    None when the project publishes no Traditional editions; else (view, edition ids)."""
    import copy
    import dataclasses

    settings = project.config.traditional
    if not settings:
        return None
    to_traditional = converter(project)
    wanted = settings.get("regulations") or [r for r in sorted(project.regulations)
                                            if project.regulations[r].language == "zh-Hans"]
    wanted = [r for r in wanted if r in project.regulations and project.regulations[r].language == "zh-Hans"]
    if not wanted:
        return None
    memo = {id(project.config): project.config}
    for doc in project.documents():
        memo[id(doc.where.source)] = doc.where.source  # the sources stay shared: positions, never printed

    view = copy.deepcopy(project, memo)

    def convert(value):
        if isinstance(value, str):
            return to_traditional(value) if any(ord(ch) > 0x2E7F for ch in value) else value
        if isinstance(value, list):
            return [convert(v) for v in value]
        if isinstance(value, tuple):
            return tuple(convert(v) for v in value)
        if isinstance(value, dict):
            return {k: convert(v) for k, v in value.items()}
        if dataclasses.is_dataclass(value) and not isinstance(value, type) and type(value).__name__ not in ("Where", "Config"):
            for f in dataclasses.fields(value):
                setattr(value, f.name, convert(getattr(value, f.name)))
            if hasattr(value, "language") and value.language == "zh-Hans":
                value.language = "zh-Hant"
        return value

    for doc in view.documents():
        convert(doc)
    editions = {}
    for reg_id in wanted:
        edition = copy.copy(view.regulations[reg_id])
        edition.id = reg_id + EDITION_SUFFIX  # the file name: regulations/<id>.zh-Hant.pdf
        editions[edition.id] = edition
    view.regulations.update(editions)
    return view, sorted(editions)


def editions(project, ids=None) -> list[tuple[object, str]]:
    """(project view, edition id) for the Traditional editions of the regulations in `ids` (all when None)."""
    made = traditional_edition(project)
    if made is None:
        return []
    view, edition_ids = made
    return [(view, e) for e in edition_ids if ids is None or e[: -len(EDITION_SUFFIX)] in ids]
