"""The `policygen` command: a thin layer over the API in policygen/__init__.py.

Exit codes: 0 success; 1 the documents have errors (or warnings, with --strict); 2 usage error (bad option,
no policygen.yaml); 3 internal error (a bug in policygen: please report it).
"""

from __future__ import annotations

import os
import sys
from datetime import date
from pathlib import Path

import click

from . import __version__, build_project, explain, import_document, load_project, queries
from .diagnostics import Diagnostics, escape_unprintable, format_json, format_text
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
    _exit(result.diagnostics, strict, fmt, f"checked {count} document{'s' * (count != 1)}", directory)


@cli.command()
@_strict
@_format
@click.option("-j", "--jobs", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Render documents in this many processes.")
@click.option("-q", "--quiet", is_flag=True, help="Print only the problems found: no progress, no summary.")
@click.option("-v", "--verbose", is_flag=True, help="Print a line for every document rendered, and what was reused.")
@click.pass_obj
def build(directory: Path, strict: bool, fmt: str, jobs: int, quiet: bool, verbose: bool) -> None:
    """Check the documents and write every output into the output folder (only what changed)."""
    from .console import Progress

    if quiet and verbose:
        raise click.UsageError("give --quiet or --verbose, not both")
    progress = None if quiet else Progress(verbose=verbose)
    notify = None if quiet else (lambda message: click.echo(f"policygen: {message}", err=True))
    try:
        result = build_project(directory, strict=strict, jobs=jobs, notify=notify, progress=progress)
    finally:
        if progress is not None:
            progress.close()
    if verbose and result.ok:
        click.echo(f"policygen: {len(result.written) - len(result.cached)} files rendered, {len(result.cached)} "
                   f"from the cache, {len(result.kept)} kept from the previous build", err=True)
    summary = "nothing written"
    if result.up_to_date:
        summary = "output is up to date"
    elif result.written:
        output = result.project.config.output
        shown = output.relative_to(Path.cwd()) if output.is_relative_to(Path.cwd()) else output
        summary = f"wrote {len(result.written)} files to {shown}" + (f" ({len(result.kept)} unchanged)" if result.kept else "")
    _exit(result.diagnostics, strict, fmt, None if quiet else summary, directory)


@cli.command()
@click.argument("matrix_id", metavar="MATRIX")
@click.argument("inputs", nargs=-1, metavar="INPUT=VALUE...")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.pass_obj
def decide(directory: Path, matrix_id: str, inputs: tuple[str, ...], fmt: str) -> None:
    """Who approves: evaluate an approval matrix, by ids or by the words it uses, e.g.
    `decide complaint-approval amount=3000` or `decide 客户投诉金额核决权限表 客户投诉金额=3000`."""
    raw = {}
    for item in inputs:
        name, sep, value = item.partition("=")
        if not sep:
            raise click.UsageError(f"'{item}': write INPUT=VALUE, e.g. amount=3000")
        raw[name] = value
    answer = _ask(directory, queries.decide, directory, matrix_id, raw)
    _show(answer.json() if fmt == "json" else answer.text())
    sys.exit(EXIT_OK if answer.decision.decided else EXIT_DIAGNOSTICS)


@cli.command()
@click.argument("rule_id", metavar="RULE")
@click.option("--from", "start", required=True, metavar="'YYYY-MM-DD HH:MM'", help="When the clock starts.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.pass_obj
def due(directory: Path, rule_id: str, start: str, fmt: str) -> None:
    """When a service rule's deadline falls, and why (which days were skipped); RULE is its id or its name."""
    answer = _ask(directory, queries.due, directory, rule_id, start)
    _show(answer.json() if fmt == "json" else answer.text())


def _show(text: str) -> None:
    """Print an answer: names and titles come from the documents, so nothing in them may act on the terminal."""
    click.echo(escape_unprintable(text))


def _fail(code: str | None, message: str, hint: str | None = None) -> None:
    """Print an error about what a command was asked (not about the documents) and exit 1."""
    click.echo(f"policygen: error{' ' + code if code else ''}: {escape_unprintable(message)}"
               + (f"\n    hint: {hint}" if hint else ""), err=True)
    sys.exit(EXIT_DIAGNOSTICS)


@cli.command()
@click.argument("old", required=False, type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.argument("new", required=False, type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--rev", metavar="V1..V2", help="Compare two git revisions of this project instead of two folders.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--output", "output", type=click.Path(file_okay=False, path_type=Path),
              help="Write the 修订对照表 into DIR/revisions/ (default: the output folder of NEW, or with --rev of "
                   "the project this command runs in).")
@click.pass_obj
def diff(directory: Path, old: Path | None, new: Path | None, rev: str | None, fmt: str, output: Path | None) -> None:
    """What changed between two versions, by id; writes the 修订对照表 to output/revisions/."""
    revision = _ask(directory, queries.diff, old, new, rev=rev, start=directory, output=output)
    click.echo(revision.json() if fmt == "json" else revision.text())
    for d in revision.diagnostics.sorted():
        _echo_diagnostic(d, directory)
    sys.exit(EXIT_DIAGNOSTICS if revision.diagnostics.errors else EXIT_OK)


@cli.command("calendar")
@click.argument("years", nargs=-1, type=click.IntRange(1, 9999), metavar="[YEAR]...")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.pass_obj
def calendar_command(directory: Path, years: tuple[int, ...], fmt: str) -> None:
    """The working-day calendar: the known years and their source; with YEAR, its holidays and make-up days."""
    from .due import CalendarError, WorkCalendar

    project = _checked_project(directory)
    calendar = WorkCalendar.from_organization(project.organization)
    for year in years:
        if not calendar.knows(year):
            exc = CalendarError(date(year, 1, 1), calendar.known_years, calendar.covers)
            _fail("PG-RULES-003", str(exc), exc.hint)
    if fmt == "json":
        _show(explain.calendar_json(calendar, list(years or calendar.known_years)))
    elif years:
        _show("\n".join(explain.calendar_year_text(calendar, y) for y in years))
    else:
        click.echo(explain.calendar_years_text(calendar))


@cli.command("test")
@_format
@click.pass_obj
def test_command(directory: Path, fmt: str) -> None:
    """Run the rule test cases (kind: rule-tests) and report every failure."""
    results = _ask(directory, queries.test, directory)
    _exit(results.diagnostics, False, fmt, f"{results.passed} of {results.total} cases passed", directory)


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
    return _ask(directory, queries.checked_project, directory)


def _ask(directory: Path, question, *args, **kwargs):
    """The answer of an API question; its usage problems exit 2, what cannot be answered and the project's errors
    are printed and exit 1."""
    try:
        return question(*args, **kwargs)
    except queries.QueryError as exc:
        raise click.UsageError(escape_unprintable(str(exc))) from None
    except queries.Unanswerable as exc:
        _fail(exc.code, str(exc), exc.hint)
    except queries.ProjectError as exc:
        for d in exc.diagnostics:
            _echo_diagnostic(d, exc.root)  # the lines of the files as read (none for a git revision)
        sys.exit(EXIT_DIAGNOSTICS)


@cli.command()
@click.argument("folder", required=False, type=click.Path(file_okay=False, path_type=Path))
@click.option("--name", help="The project's name, shown on the index page (default: the folder's name).")
@click.pass_obj
def init(directory: Path, folder: Path | None, name: str | None) -> None:
    """Start a policy project in FOLDER (default: the current folder): documents, rule tests, editor settings."""
    from .create import CreateError, init_project

    target = directory / folder if folder else directory
    try:
        written = init_project(target, name)
    except CreateError as exc:
        raise click.UsageError(str(exc)) from None
    click.echo(f"policygen: wrote {len(written)} files to {target}; next: cd {target} && policygen build")


@cli.command()
@click.argument("what", metavar="regulation|rules|matrix|form|procedure")
@click.argument("doc_id", metavar="ID")
@click.option("--title", help="The document's title (default: a placeholder to replace).")
@click.pass_obj
def new(directory: Path, what: str, doc_id: str, title: str | None) -> None:
    """Add a document to the project, e.g. `new regulation leave-policy`."""
    from .create import CreateError, new_document

    try:
        path = new_document(directory, what, doc_id, title)
    except CreateError as exc:
        raise click.UsageError(str(exc)) from None
    shown = path.relative_to(Path.cwd()) if path.is_relative_to(Path.cwd()) else path
    click.echo(f"policygen: wrote {shown}")
    if what in ("rules", "matrix", "form"):
        click.echo(f"policygen: until a regulation names it ([[{'rule' if what == 'rules' else what}:…]] in a text, or "
                   f"under attachments:), validate warns that nothing refers to it")


@cli.command()
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="Port on 127.0.0.1 (0: any free port).")
@click.pass_obj
def serve(directory: Path, port: int) -> None:
    """Preview the documents in a browser, rebuilt on every save; problems show in the page."""
    from .serve import Server

    def report(refresh) -> None:
        if refresh.ok:
            click.echo(f"policygen: {len(refresh.written)} page{'s' * (len(refresh.written) != 1)} rebuilt in "
                       f"{refresh.seconds:.2f} s", err=True)
        for d in refresh.problems:
            _echo_diagnostic(d, directory)

    find_project_file(directory)  # no project: the usual usage error, before anything starts
    try:
        server = Server(directory, port, report)
    except OSError as exc:
        raise click.UsageError(f"cannot listen on 127.0.0.1:{port}: {exc.strerror}; try --port 0") from None
    import signal

    signal.signal(signal.SIGTERM, lambda *_: server.shutdown())
    click.echo(f"policygen: preview at {server.url} (pages in {server.pages}); Ctrl-C stops it", err=True)
    try:
        server.run()
    except KeyboardInterrupt:
        pass


@cli.command("explain")
@click.argument("code")
def explain_code(code: str) -> None:
    """Explain a diagnostic code at length, with an example fix, e.g. `explain PG-REF-005`."""
    from difflib import get_close_matches

    from .diagnostics import CATALOGUE, explanation

    try:
        click.echo(explanation(code))
    except KeyError:
        close = get_close_matches(code.strip().upper(), list(CATALOGUE), n=3)
        raise click.UsageError(f"no diagnostic code '{code}'" + (f"; did you mean {', '.join(close)}?" if close else
                               "; the codes are listed in the README (Diagnostic codes)")) from None


def _echo_diagnostic(d, directory: Path | None) -> None:
    """A diagnostic on stderr as a compiler prints one: with its source line (from the project containing
    `directory`) and a caret under the column, in colour on a terminal (never when piped or NO_COLOR is set)."""
    line = _source_line(directory, d.file, d.line) if directory is not None else None
    click.echo(format_text(d, source_line=line, color=_colour()), err=True)


def _colour() -> bool:
    return sys.stderr.isatty() and "NO_COLOR" not in os.environ and os.environ.get("TERM") != "dumb"


def _source_line(directory: Path, file: str | None, line: int | None) -> str | None:
    """Line `line` of `file` (relative to the project containing `directory`), or None when it cannot be read."""
    if not file or not line:
        return None
    try:
        path = find_project_file(directory).parent / file
        with path.open(encoding="utf-8", errors="replace") as handle:
            for number, text in enumerate(handle, 1):
                if number == line:
                    return text
    except (OSError, ProjectNotFound):
        return None
    return None


def _exit(diagnostics: Diagnostics, strict: bool, fmt: str, summary: str | None, directory: Path | None = None) -> None:
    items = diagnostics.sorted()
    failed = diagnostics.failed(strict)
    if fmt == "json":
        click.echo(format_json(items))
    else:
        for d in items:
            _echo_diagnostic(d, directory or Path("."))
        if items and summary is not None:
            click.echo(f"(policygen explain {items[0].code} tells more about a code, with an example fix)", err=True)
        errors, warnings = len(diagnostics.errors), len(diagnostics.warnings)
        if summary is not None:
            click.echo(f"{summary}: {errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}",
                       err=failed)
    sys.exit(EXIT_DIAGNOSTICS if failed else EXIT_OK)


def main() -> None:
    try:
        cli.main(standalone_mode=False)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        exc.message = escape_unprintable(exc.message)  # it may quote what was typed
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
