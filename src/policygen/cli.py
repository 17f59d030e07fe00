"""The `policygen` command: a thin layer over the API in policygen/__init__.py.

Exit codes: 0 success; 1 the documents have errors (or warnings, with --strict); 2 usage error (bad option,
no policygen.yaml); 3 internal error (a bug in policygen: please report it).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from . import __version__, build_project, explain, import_document, load_project, matrices
from .rule_tests import run_rule_tests
from .diagnostics import Diagnostics, format_json, format_text
from .build import write_revision_documents
from .project import ProjectNotFound, find_project_file

EXIT_OK, EXIT_DIAGNOSTICS, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3

_format = click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
                       help="How to print diagnostics: text for people, json for programs.")
_strict = click.option("--strict", is_flag=True, help="Treat warnings as errors.")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("-C", "directory", type=click.Path(file_okay=False, path_type=Path), default=Path("."),
              help="Run as if started in DIRECTORY (the policy project or a folder inside it).")
@click.version_option(__version__, prog_name="policygen")
@click.pass_context
def cli(ctx: click.Context, directory: Path) -> None:
    """Build regulations, forms and rule files from the YAML documents of a policy project."""
    ctx.obj = directory


@cli.command()
@_strict
@_format
@click.pass_obj
def validate(directory: Path, strict: bool, fmt: str) -> None:
    """Check every document; print all problems found."""
    result = load_project(directory)
    count = len(result.project.documents()) if result.project else 0
    _exit(result.diagnostics, strict, fmt, f"checked {count} document{'s' * (count != 1)}")


@cli.command()
@_strict
@_format
@click.option("-j", "--jobs", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Render documents in this many processes.")
@click.pass_obj
def build(directory: Path, strict: bool, fmt: str, jobs: int) -> None:
    """Check the documents and write every output into the output folder (only what changed)."""
    result = build_project(directory, strict=strict, jobs=jobs)
    summary = "nothing written"
    if result.up_to_date:
        summary = "output is up to date"
    elif result.written:
        output = result.project.config.output
        shown = output.relative_to(Path.cwd()) if output.is_relative_to(Path.cwd()) else output
        summary = f"wrote {len(result.written)} files to {shown}" + (f" ({len(result.kept)} unchanged)" if result.kept else "")
    _exit(result.diagnostics, strict, fmt, summary)


@cli.command()
@click.argument("matrix_id")
@click.argument("inputs", nargs=-1, metavar="INPUT=VALUE...")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.pass_obj
def decide(directory: Path, matrix_id: str, inputs: tuple[str, ...], fmt: str) -> None:
    """Who approves: evaluate an approval matrix, e.g. `decide complaint-approval amount=3000`."""
    project = _checked_project(directory)
    matrix = project.matrices.get(matrix_id)
    if matrix is None:
        raise click.UsageError(f"no approval matrix '{matrix_id}'; the matrices are: {', '.join(sorted(project.matrices))}")
    raw = {}
    for item in inputs:
        name, sep, value = item.partition("=")
        if not sep:
            raise click.UsageError(f"'{item}': write INPUT=VALUE, e.g. amount=3000")
        raw[name] = value
    try:
        decision = matrices.decide(matrix, matrices.parse_inputs(matrix, raw))
    except matrices.InputError as exc:
        raise click.UsageError(str(exc)) from None
    click.echo(explain.decision_json(decision) if fmt == "json" else explain.decision_text(project, matrix, decision))
    sys.exit(EXIT_OK if decision.decided else EXIT_DIAGNOSTICS)


@cli.command()
@click.argument("rule_id")
@click.option("--from", "start", required=True, metavar="'YYYY-MM-DD HH:MM'", help="When the clock starts.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.pass_obj
def due(directory: Path, rule_id: str, start: str, fmt: str) -> None:
    """When a service rule's deadline falls, and why (which days were skipped)."""
    from datetime import datetime

    from .due import CalendarError, WorkCalendar, due_time

    project = _checked_project(directory)
    rule = project.rules.get(rule_id)
    if rule is None or rule.kind != "service-level":
        levels = sorted(r.id for r in project.rules.values() if r.kind == "service-level")
        raise click.UsageError(f"no service rule '{rule_id}'; the service rules are: {', '.join(levels)}")
    try:
        begin = datetime.strptime(start, "%Y-%m-%d %H:%M")
    except ValueError:
        raise click.UsageError(f"--from '{start}': write the time as 'YYYY-MM-DD HH:MM'") from None
    try:
        result = due_time(rule.target_on(begin.date().isoformat()), begin, WorkCalendar.from_organization(project.organization))
    except CalendarError as exc:
        click.echo(f"policygen: error PG-RULES-003: {exc}", err=True)
        sys.exit(EXIT_DIAGNOSTICS)
    click.echo(explain.due_json(rule, begin, result) if fmt == "json" else explain.due_text(project, rule, begin, result))


@cli.command()
@click.argument("old", required=False, type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.argument("new", required=False, type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--rev", metavar="V1..V2", help="Compare two git revisions of this project instead of two folders.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.pass_obj
def diff(directory: Path, old: Path | None, new: Path | None, rev: str | None, fmt: str) -> None:
    """What changed between two versions, by id; writes the 修订对照表 to output/revisions/."""
    import json

    from .diff import RevisionError, changes_json, changes_text, compare, load_revision, split_range

    if rev and (old or new) or not rev and not (old and new):
        raise click.UsageError("give two project folders OLD NEW, or --rev V1..V2")
    try:
        if rev:
            start, end = split_range(rev)
            root = find_project_file(directory).parent
            before, after = load_revision(root, start), load_revision(root, end)
        else:
            before, after = _checked_project(old), _checked_project(new)
    except RevisionError as exc:
        if exc.diagnostics:
            for d in exc.diagnostics:
                click.echo(format_text(d), err=True)
            sys.exit(EXIT_DIAGNOSTICS)
        raise click.UsageError(str(exc)) from None
    changes = compare(before, after)
    click.echo(json.dumps(changes_json(changes), ensure_ascii=False, indent=2) if fmt == "json" else changes_text(changes))
    result = write_revision_documents(before, after, changes)
    for d in result.sorted():
        click.echo(format_text(d), err=True)
    sys.exit(EXIT_DIAGNOSTICS if result.errors else EXIT_OK)


@cli.command("test")
@_format
@click.pass_obj
def test_command(directory: Path, fmt: str) -> None:
    """Run the rule test cases (kind: rule-tests) and report every failure."""
    project = _checked_project(directory)
    report = run_rule_tests(project)
    diagnostics = Diagnostics(report.diagnostics)
    total = report.passed + len(report.diagnostics)
    _exit(diagnostics, False, fmt, f"{report.passed} of {total} cases passed")


@cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--id", "doc_id", metavar="ID", help="Id of the regulation (default: from the file name).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE.yaml",
              help="Write the regulation here (default: print it); drafts are written beside it.")
@_format
@click.pass_obj
def import_command(directory: Path, file: Path, doc_id: str | None, output: Path | None, fmt: str) -> None:
    """Read a regulation from .docx, .doc, .txt or .md into YAML; print what could not be placed."""
    try:
        result = import_document(file, id=doc_id, organization=_organization(directory))
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None
    written = []
    if result.yaml is not None:
        folder = output.parent if output else Path(".")
        if output:
            output.write_text(result.yaml, encoding="utf-8")
            written.append(output)
        else:
            click.echo(result.yaml, nl=False)
        for name, text in result.drafts.items():
            (folder / name).write_text(text, encoding="utf-8")
            written.append(folder / name)
    summary = f"imported {result.articles} article{'s' * (result.articles != 1)}"
    if written:
        summary += "; wrote " + ", ".join(str(p) for p in written)
    items = result.diagnostics.sorted()
    if fmt == "json":  # on stdout, unless the regulation itself went there
        click.echo(format_json(items), err=output is None)
    else:
        for d in items:
            click.echo(format_text(d), err=True)
        errors, warnings = len(result.diagnostics.errors), len(result.diagnostics.warnings)
        click.echo(f"{summary}: {errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}", err=True)
    sys.exit(EXIT_DIAGNOSTICS if result.diagnostics.errors else EXIT_OK)


def _organization(directory: Path):
    """The organization of the project around `directory`, if there is one that loads: its roles and
    departments name the approvers and the issuing department of what is imported."""
    try:
        find_project_file(directory)
    except ProjectNotFound:
        return None
    project = load_project(directory).project
    return project.organization if project is not None else None


def _checked_project(directory: Path):
    """The project, or exit 1 printing its errors: rules are only evaluated from documents that validate."""
    result = load_project(directory)
    if result.diagnostics.errors or result.project is None:
        for d in result.diagnostics.sorted():
            click.echo(format_text(d), err=True)
        sys.exit(EXIT_DIAGNOSTICS)
    return result.project


def _exit(diagnostics: Diagnostics, strict: bool, fmt: str, summary: str) -> None:
    items = diagnostics.sorted()
    failed = diagnostics.failed(strict)
    if fmt == "json":
        click.echo(format_json(items))
    else:
        for d in items:
            click.echo(format_text(d), err=True)
        errors, warnings = len(diagnostics.errors), len(diagnostics.warnings)
        click.echo(f"{summary}: {errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}",
                   err=failed)
    sys.exit(EXIT_DIAGNOSTICS if failed else EXIT_OK)


def main() -> None:
    try:
        cli.main(standalone_mode=False)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        exc.show()
        sys.exit(EXIT_USAGE)
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        sys.exit(EXIT_USAGE)
    except ProjectNotFound as exc:
        click.echo(f"policygen: error PG-PROJECT-001: {exc}\n    hint: run inside a policy project or pass -C DIR", err=True)
        sys.exit(EXIT_USAGE)
    except SystemExit:
        raise
    except Exception as exc:  # a bug: say so plainly, keep the traceback for those who ask for it
        if os.environ.get("POLICYGEN_DEBUG"):
            raise
        click.echo(f"policygen: internal error: {type(exc).__name__}: {exc}\n"
                   "    This is a bug in policygen. Run again with POLICYGEN_DEBUG=1 to see the traceback, "
                   "and report it.", err=True)
        sys.exit(EXIT_INTERNAL)


if __name__ == "__main__":
    main()
