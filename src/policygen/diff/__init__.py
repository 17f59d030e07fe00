"""Revisions: what changed between two versions of a policy project, compared by id, never by line.

    changes = compare(load_project(old_dir).project, load_project(new_dir).project)
    changes_json(changes)                      # the published format: schemas/revision-diff.schema.json
    old = load_revision(repo_root, "v1")       # a git revision, read without checking it out

A regulation's articles are matched by id. An article is

- `added` or `removed`;
- `moved` when it changed chapter or section (the chapters of the two versions are matched by the articles they
  hold, so renaming a chapter moves nothing) or its order among the other articles: one change, never a removal
  plus an addition;
- `renumbered` when its number changed only because articles before it were inserted or removed;
- changed in its text, compared on the printed text with every `[[kind:id]]` reference resolved:
  `wording` when the text as written (the raw YAML text with its markup) differs; `references` when the raw text
  is equal but what a reference prints differs (`ArticleChange.references` says which, and
  `renumbering_only` whether every one of them is an article reference shifted by renumbering); `markup` when the
  raw text differs but prints the same.

The printed texts are compared character by character (`char_diff`: difflib on characters, no word splitting,
which Chinese does not have), giving segments `equal` / `insert` / `delete`.

Rules are compared by rule id (every value with its unit and its `from` date), approval matrices row by row
(by index: conditions with their bounds, approvers, note) with their inputs and hit policy, forms field by field
(by field id; unnamed fields such as notes by their type and order) with their copies (联), paper and columns.
Each regulation lists the rule, matrix and form changes that concern it: those stated in it, referenced in its text
or attached to it.

The package is split by what it compares: `regulations`, `rules`, `matrices`, `forms`, `procedures`; `changes` holds
the result types, `output` the JSON and text forms, `git` the reading of revisions.
"""

from __future__ import annotations

from ..model import Project
from .changes import (FORMAT, FORMAT_VERSION, SCHEMA_ID, ArticleChange, ArticleState, Changes, ChapterChange,
                      FieldChange, FormChange, MatrixChange, RefChange, RegulationChanges, RowChange, RuleChange,
                      Segment, ValueChange, ProcedureChange, StepChange)
from .forms import _compare_forms
from .git import RevisionError, load_revision, read_revision, split_range
from .matrices import _compare_matrices
from .procedures import _compare_procedures
from .output import changes_json, changes_text, chapter_name, shown
from .regulations import _compare_regulation, _relate, article_lines, char_diff, side
from .rules import _compare_rules
from .values import ordered_ids

__all__ = ["FORMAT", "FORMAT_VERSION", "SCHEMA_ID", "ArticleChange", "ArticleState", "Changes", "ChapterChange",
           "FieldChange", "FormChange", "MatrixChange", "RefChange", "RegulationChanges", "RowChange", "RuleChange",
           "Segment", "ValueChange", "ProcedureChange", "StepChange", "RevisionError", "article_lines", "changes_json", "changes_text", "chapter_name",
           "char_diff", "compare", "load_revision", "read_revision", "shown", "side", "split_range"]


def compare(old: Project, new: Project, old_label: str | None = None, new_label: str | None = None, *,
            revisions: bool = False) -> Changes:
    """Every change from `old` to `new`, by id. Both projects must have loaded without errors. The labels name
    the two versions (default: their folders' names); `revisions` says they are git revisions."""
    changes = Changes(old_label or old.config.root.name, new_label or new.config.root.name,
                      old.config.name, new.config.name, revisions)
    changes.rules = _compare_rules(old, new)
    changes.matrices = _compare_matrices(old, new)
    changes.forms = _compare_forms(old, new)
    changes.procedures = _compare_procedures(old, new)
    for reg_id in ordered_ids(old.regulations, new.regulations):
        reg_changes = _compare_regulation(old, new, reg_id)
        _relate(reg_changes, old, new, changes)
        if (reg_changes.status != "changed" or reg_changes.metadata or reg_changes.chapters or reg_changes.articles
                or reg_changes.rules or reg_changes.matrices or reg_changes.forms or reg_changes.procedures):
            changes.regulations.append(reg_changes)
    return changes
