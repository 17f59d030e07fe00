"""Projects the bench generates: copies of the corpus, a project of ~1,000 documents, long regulations.

Documents are read with policygen's own loader (YAML 1.2 values: `no` and `010` stay text, decimals stay
exact), changed as data and written back with PyYAML, so every generated file is valid input.
"""

from __future__ import annotations

import re
import shutil
from decimal import Decimal
from pathlib import Path

import yaml

from policygen.loader import load_file

ORG_FILE = "organization.yaml"


class _Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):
    pass


# A Decimal is written as a plain decimal number, which policygen reads back as the same Decimal.
_Dumper.add_representer(Decimal, lambda d, v: d.represent_scalar("tag:yaml.org,2002:float", str(v)))


def dump(data) -> str:
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1000)


def read(path: Path):
    source, errors = load_file(path, path.name)
    if errors:
        raise RuntimeError(f"{path}: {errors[0].message}")
    return source.data


def project_paths(root: Path) -> dict:
    config = yaml.safe_load((root / "policygen.yaml").read_text(encoding="utf-8")) or {}
    return {"documents": config.get("documents", "policies"), "templates": config.get("templates", "templates"),
            "output": config.get("output", "output"),
            "fonts": [f["file"] for f in config.get("fonts", [])]}


def copy_project(repo: Path, dest: Path, outputs: list[str] | None = None) -> Path:
    """Copy a policy project (policygen.yaml, its documents, templates and font files) to `dest`;
    `outputs` replaces the `outputs:` line of its policygen.yaml."""
    paths = project_paths(repo)
    dest.mkdir(parents=True)
    text = (repo / "policygen.yaml").read_text(encoding="utf-8")
    if outputs is not None:
        line = f"outputs: [{', '.join(outputs)}]"
        text, n = re.subn(r"(?m)^outputs:.*$", line, text)
        if not n:
            text += f"\n{line}\n"
    (dest / "policygen.yaml").write_text(text, encoding="utf-8")
    for folder in (paths["documents"], paths["templates"]):
        if (repo / folder).is_dir():
            shutil.copytree(repo / folder, dest / folder)
    for font in paths["fonts"]:
        (dest / font).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(repo / font, dest / font)
    return dest


def _minimal_project(dest: Path, name: str) -> Path:
    dest.mkdir(parents=True)
    (dest / "policygen.yaml").write_text(f"project: \"{name}\"\nlanguage: zh-Hans\ndocuments: policies\noutput: output\n"
                                         "outputs: [pdf]\npreset: gbt9704\n", encoding="utf-8")
    (dest / "policies").mkdir()
    return dest


# --- a project of ~1,000 documents ---------------------------------------------------------------------------

_REF = re.compile(r"\[\[(form|matrix|regulation|rule|article|rules|procedure):([^\]]+)\]\]")
_DOC_KEYS = ("form", "matrix", "rules", "regulation", "procedure")


class _Renamer:
    """Gives every document (and every rule) of one copy of the corpus a new id, and follows the references."""

    def __init__(self, doc_ids: set[str], rule_ids: set[str], suffix: str):
        self.docs = {i: f"{i}-{suffix}" for i in doc_ids}
        self.rules = {i: f"{i}-{suffix}" for i in rule_ids}

    def text(self, s: str) -> str:
        def sub(m):
            kind, target = m.group(1), m.group(2)
            if kind == "rule":
                target = self.rules.get(target, target)
            elif kind == "article" and "/" in target:
                reg, art = target.split("/", 1)
                target = f"{self.docs.get(reg, reg)}/{art}"
            elif kind != "article":
                target = self.docs.get(target, target)
            return f"[[{kind}:{target}]]"

        return _REF.sub(sub, s) if "[[" in s else s

    def value(self, v, key=None, rules_doc=False):
        if isinstance(v, dict):
            return {k: self.entry(k, x, rules_doc) for k, x in v.items()}
        if isinstance(v, list):
            return [self.value(x, key, rules_doc) for x in v]
        if isinstance(v, str):
            return self.text(v)
        return v

    def entry(self, key, v, rules_doc):
        if isinstance(v, str):
            if key in _DOC_KEYS and v in self.docs:
                return self.docs[v]
            if key == "rule" and v in self.rules:
                return self.rules[v]
            if key == "id" and rules_doc and v in self.rules:
                return self.rules[v]
            if key == "stated_in" and "/" in v:
                reg, art = v.split("/", 1)
                return f"{self.docs.get(reg, reg)}/{art}"
        if key == "supersedes" and isinstance(v, list):
            return [self.docs.get(x, x) for x in v]
        return self.value(v, key, rules_doc)


def _rule_ids(data) -> set[str]:
    ids = set()
    for value in data.values():
        if isinstance(value, list):
            ids |= {x["id"] for x in value if isinstance(x, dict) and isinstance(x.get("id"), str)}
    return ids


def many_documents(repo: Path, dest: Path, target: int = 1000) -> tuple[Path, int]:
    """A project of the corpus's organization plus enough renamed copies of its other documents to make
    about `target` documents. Returns the project folder and the number of document files."""
    documents = repo / project_paths(repo)["documents"]
    files = sorted(p for p in documents.rglob("*") if p.suffix in (".yaml", ".yml"))
    loaded = [(p, read(p)) for p in files]
    org = [p for p, d in loaded if d.get("kind") == "organization"]
    others = [(p, d) for p, d in loaded if d.get("kind") != "organization"]
    doc_ids = {d["id"] for _, d in others}
    rule_ids = set().union(*(_rule_ids(d) for _, d in others if d.get("kind") == "rules"))
    _minimal_project(dest, "bench 1000 documents")
    out = dest / "policies"
    shutil.copy2(org[0], out / ORG_FILE)
    count = 1
    copy = 0
    while count < target:
        copy += 1
        renamer = _Renamer(doc_ids, rule_ids, f"c{copy}")
        folder = out / f"copy-{copy:03d}"
        folder.mkdir()
        for path, data in others:
            new = {k: (renamer.docs[v] if k == "id" else renamer.entry(k, v, data.get("kind") == "rules"))
                   for k, v in data.items()}
            (folder / path.name).write_text(dump(new), encoding="utf-8")
            count += 1
    return dest, count


# --- long regulations ----------------------------------------------------------------------------------------

def long_regulations(repo: Path, dest: Path, sizes: dict[str, int], paragraph: str) -> Path:
    """A project with one regulation per entry of `sizes` (id → number of articles), each article the same
    paragraph, ten articles to a chapter; plus the corpus organization."""
    documents = repo / project_paths(repo)["documents"]
    org = next(p for p in sorted(documents.rglob("*.yaml")) if read(p).get("kind") == "organization")
    _minimal_project(dest, "bench long regulations")
    shutil.copy2(org, dest / "policies" / ORG_FILE)
    for reg_id, n in sizes.items():
        chapters = [{"title": f"规定第{c + 1}部分",
                     "articles": [{"id": f"a{i + 1}", "text": paragraph} for i in range(c * 10, min(n, c * 10 + 10))]}
                    for c in range((n + 9) // 10)]
        doc = {"kind": "regulation", "id": reg_id, "title": f"测试制度（{n}条）", "version": "1.0",
               "effective": "2010-01-01", "chapters": chapters}
        (dest / "policies" / f"{reg_id}.yaml").write_text(dump(doc), encoding="utf-8")
    return dest


def plain_paragraph(project) -> str:
    """The longest article paragraph of the corpus without references (so it prints exactly as written)."""
    texts = [p.text.raw for reg in project.regulations.values() if reg.language == "zh-Hans"
             for a in reg.articles for p in a.paragraphs if "[[" not in p.text.raw and not p.items]
    return max(texts, key=len)
