"""Resolve `[[kind:id]]` references in text into runs that any renderer (and the revision comparison) can print.

A run is plain text with an optional link target. Renderers escape the text themselves (Jinja autoescaping for
HTML), so text from the input is never interpreted.
"""

from __future__ import annotations

from dataclasses import dataclass

from .language import article_label, format_target, quoted
from .model import Project, Regulation, Text
from .references import Ref, parse


@dataclass(frozen=True)
class Run:
    text: str
    href: str | None = None
    kind: str | None = None  # the reference kind, None for literal text


class Resolver:
    """Resolves references for one document in one language; `links` maps ids to output-relative URLs."""

    def __init__(self, project: Project, language: str, regulation: Regulation | None = None, base: str = "",
                 external_links: bool = True):
        self.project = project
        self.language = language
        self.regulation = regulation
        self.base = base  # prefix from the page being written to the output root, e.g. "../"
        # Printed documents keep links inside themselves only: a link to another file would be made absolute
        # (file:///…) by the PDF writer, leaking the build folder and pointing nowhere once the PDF is sent.
        self.external_links = external_links

    def runs(self, text: Text | str) -> list[Run]:
        raw = text.raw if isinstance(text, Text) else text
        segments, _ = parse(raw)  # malformed markup was reported at validation; here it prints literally
        runs = [Run(s) if isinstance(s, str) else self.resolve(s) for s in segments]
        if not self.external_links:
            runs = [r if not r.href or r.href.startswith("#") else Run(r.text, None, r.kind) for r in runs]
        return runs

    def only_matrix(self, text: Text) -> str | None:
        """The matrix id when a paragraph consists of nothing but [[matrix:ID]] (printed as a table)."""
        segments, _ = parse(text.raw)
        if len(segments) == 1 and isinstance(segments[0], Ref) and segments[0].kind == "matrix":
            return segments[0].target
        return None

    def only_procedure(self, text: Text) -> str | None:
        """The procedure id when a paragraph consists of nothing but [[procedure:ID]] (printed as its chart)."""
        segments, _ = parse(text.raw)
        if len(segments) == 1 and isinstance(segments[0], Ref) and segments[0].kind == "procedure":
            return segments[0].target
        return None

    def resolve(self, ref: Ref) -> Run:
        p, lang = self.project, self.language
        if ref.kind == "company":
            return Run(p.organization.company_name(lang, short=ref.target == "short"), kind="company")
        if ref.kind == "article":
            if "/" in ref.target:
                reg_id, article_id = ref.target.split("/")
                reg = p.regulations[reg_id]
                label = quoted(reg.title, lang) + article_label(reg.article(article_id).number, lang)
                return Run(label, f"{self.base}regulations/{reg_id}.html#{article_id}", "article")
            article = self.regulation.article(ref.target)
            return Run(article_label(article.number, lang), f"#{article.id}", "article")
        if ref.kind == "rule":
            return Run(format_target(p.rules[ref.target].target_on(None), lang), kind="rule")
        if ref.kind == "form":
            return Run(quoted(p.forms[ref.target].title, lang), f"{self.base}forms/{ref.target}.html", "form")
        if ref.kind == "matrix":
            return Run(quoted(p.matrices[ref.target].title, lang), f"{self.base}rules/{ref.target}.html", "matrix")
        if ref.kind == "procedure":
            return Run(quoted(p.procedures[ref.target].title, lang), f"{self.base}procedures/{ref.target}.html", "procedure")
        if ref.kind == "regulation":
            return Run(quoted(p.regulations[ref.target].title, lang), f"{self.base}regulations/{ref.target}.html", "regulation")
        org = p.organization
        named = (org.departments if ref.kind == "department" else org.roles)[ref.target]
        return Run(named.name_in(lang), kind=ref.kind)
