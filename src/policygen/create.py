"""Start a project (`policygen init`) and add a document to one (`policygen new`), from the templates in scaffold/.

Every YAML file written starts with a `# yaml-language-server: $schema=…` line naming, by a relative path, the
copy of its schema in the project's `schemas/` folder, so an editor with Red Hat's YAML extension checks and
completes it with no network and no setting. The copies are the installed schemas with their Chinese titles and
descriptions (schemas/descriptions.zh.json) put first in `markdownDescription`, which the editor shows in place
of `description`, for projects whose language is Chinese. `new` refreshes the copies when policygen's schemas
changed. Nothing here prints: problems raise CreateError, which the CLI reports as a usage error.
"""

from __future__ import annotations

import json
import os
import re
from datetime import date
from pathlib import Path

import jinja2
import yaml

from .project import PROJECT_FILE, find_project_file, load_project
from .resources import schemas_dir
from .schemas import BASE

SCAFFOLD = Path(__file__).resolve().parent / "scaffold"
SCHEMAS_FOLDER = "schemas"
ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
# what `policygen new` accepts → (document kind, schema name, folder inside the documents folder)
KINDS = {
    "regulation": ("regulation", "regulation", ""),
    "rules": ("rules", "rules", ""),
    "matrix": ("approval-matrix", "approval-matrix", ""),
    "form": ("form", "form", "forms"),
    "procedure": ("procedure", "procedure", "procedures"),
}
# where files of scaffold/project/ go when their name cannot be their place (a leading dot, a folder of its own)
_PLACES = {"gitignore": ".gitignore", "vscode-settings.json": ".vscode/settings.json",
           "vscode-extensions.json": ".vscode/extensions.json"}


class CreateError(Exception):
    """The project or document cannot be created as asked (a usage error: nothing was written)."""


def init_project(folder: Path | str, name: str | None = None) -> list[Path]:
    """Write a new policy project into `folder` (created if needed) that builds with no diagnostics; return the
    files written. Refuses to touch a folder that already holds a project or any file the scaffold would write."""
    root = Path(folder).resolve()
    if (root / PROJECT_FILE).exists():
        raise CreateError(f"{root / PROJECT_FILE} already exists: this folder is a policy project already")
    plan = {}
    for template in sorted(p for p in (SCAFFOLD / "project").rglob("*") if p.is_file()):
        rel = template.relative_to(SCAFFOLD / "project").as_posix().removesuffix(".j2")
        plan[root / _PLACES.get(rel, rel)] = template
    clashes = [p for p in plan if p.exists()] + [root / SCHEMAS_FOLDER] * (root / SCHEMAS_FOLDER).exists()
    if clashes:
        raise CreateError(f"{clashes[0]} exists already; run init in an empty folder or a new one")
    context = {"project_name": name or root.name, "schemas_folder": SCHEMAS_FOLDER}
    written = write_schemas(root, "zh-Hans")
    for target, template in plan.items():
        written.append(_write(root, target, template, context))
    return written


def new_document(start: Path | str, what: str, doc_id: str, title: str | None = None) -> Path:
    """Add a document of kind `what` (regulation, rules, matrix, form, procedure) with id `doc_id` to the project
    containing `start`; return its path."""
    if what not in KINDS:
        raise CreateError(f"policygen new knows {', '.join(KINDS)}, not '{what}'")
    kind, schema, subfolder = KINDS[what]
    if not (schemas_dir() / f"{schema}.schema.json").is_file():
        raise CreateError(f"'{what}' documents are not available yet in this version of policygen "
                          f"(there is no {schema}.schema.json); available: "
                          + ", ".join(k for k, v in KINDS.items() if (schemas_dir() / f"{v[1]}.schema.json").is_file()))
    if not ID.match(doc_id):
        raise CreateError(f"'{doc_id}' is not an id: use lower-case letters, digits and single hyphens, e.g. leave-rules")
    root = find_project_file(Path(start)).parent
    loaded = load_project(root)
    project = loaded.project
    if project is not None and doc_id in {d.id for d in project.documents()}:
        raise CreateError(f"the project has a document with the id '{doc_id}' already")
    documents = project.config.documents if project is not None else root / "policies"
    target = documents / subfolder / f"{doc_id}.yaml"
    if target.exists():
        raise CreateError(f"{target} exists already")
    context = {"id": doc_id, "title": title, "today": date.today().isoformat(), "number": doc_id.upper(),
               "role": _first_role(project)}
    write_schemas(root, project.config.language if project is not None else "zh-Hans")
    return _write(root, target, SCAFFOLD / "new" / f"{kind}.yaml.j2", context)


def write_schemas(root: Path, language: str) -> list[Path]:
    """Copy policygen's input schemas into root/schemas/ (those that differ from the copy there); return them."""
    folder = root / SCHEMAS_FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    chinese = language.startswith("zh")
    translations = _translations() if chinese else {}
    written = []
    for path in sorted(schemas_dir().glob("*.schema.json")):
        schema = json.loads(path.read_text(encoding="utf-8"))
        if not schema.get("$id", "").startswith(BASE):
            continue  # the export and diff formats describe outputs, not what an author writes
        if translations:
            _translate(schema, translations)
        text = json.dumps(schema, ensure_ascii=False, indent=2) + "\n"
        target = folder / path.name
        if not target.is_file() or target.read_text(encoding="utf-8") != text:
            target.write_text(text, encoding="utf-8")
            written.append(target)
    readme = folder / "README.md"
    if not readme.exists():
        readme.write_text((SCAFFOLD / "schemas-readme.md").read_text(encoding="utf-8"), encoding="utf-8")
        written.append(readme)
    return written


def translation_file() -> Path:
    return schemas_dir() / "descriptions.zh.json"


def _translations() -> dict[str, str]:
    path = translation_file()
    return json.loads(path.read_text(encoding="utf-8"))["texts"] if path.is_file() else {}


def schema_texts(node) -> list[str]:
    """Every title and description of a schema, in order (examples and constants are data, not text)."""
    texts = []
    if isinstance(node, dict):
        texts += [node[k] for k in ("title", "description") if isinstance(node.get(k), str)]
        for key, value in node.items():
            if key not in ("examples", "const", "enum", "default"):
                texts += schema_texts(value)
    elif isinstance(node, list):
        for value in node:
            texts += schema_texts(value)
    return texts


def _translate(node, zh: dict[str, str]) -> None:
    """Chinese first, then the English, in what the editor shows on hover and in completions
    (`markdownDescription`, which VS Code's YAML extension prefers to `description`); titles become "中文 (English)".
    A text without a translation stays English."""
    if isinstance(node, list):
        for value in node:
            _translate(value, zh)
        return
    if not isinstance(node, dict):
        return
    en_title = node.get("title") if isinstance(node.get("title"), str) else None
    en_text = node.get("description") if isinstance(node.get("description"), str) else None
    zh_title, zh_text = zh.get(en_title), zh.get(en_text)
    if zh_title or zh_text:
        chinese = " — ".join(t for t in (f"**{zh_title}**" if zh_title else None, zh_text) if t)
        english = " — ".join(t for t in (f"*{en_title}*" if en_title else None, en_text) if t)
        node["markdownDescription"] = "\n\n".join(t for t in (chinese, english) if t)
        if zh_title:
            node["title"] = f"{zh_title} ({en_title})" if zh_title != en_title else zh_title
    for key, value in node.items():
        if key not in ("examples", "const", "enum", "default"):
            _translate(value, zh)


def _environment(root: Path, target: Path) -> jinja2.Environment:
    env = jinja2.Environment(undefined=jinja2.StrictUndefined, keep_trailing_newline=True, autoescape=False)
    schemas = root / SCHEMAS_FOLDER
    env.globals["schema_line"] = lambda name: (
        f"# yaml-language-server: $schema={Path(os.path.relpath(schemas / f'{name}.schema.json', target.parent)).as_posix()}")
    env.filters["yaml_text"] = _yaml_text
    return env


def _write(root: Path, target: Path, template: Path, context: dict) -> Path:
    text = template.read_text(encoding="utf-8")
    if template.suffix == ".j2":
        text = _environment(root, target).from_string(text).render(**context)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    return target


def _first_role(project) -> str:
    roles = list(project.organization.roles) if project is not None and project.organization else []
    return roles[0] if roles else "general-manager"


def _yaml_text(value: str) -> str:
    """`value` as a YAML scalar that reads back as the same text (quoted only when it must be)."""
    plain = str(value)
    try:
        if yaml.safe_load(f"k: {plain}") == {"k": plain} and plain.strip() == plain:
            return plain
    except yaml.YAMLError:
        pass
    return json.dumps(plain, ensure_ascii=False)
