"""The `policygen` command: a thin layer over the API in policygen/__init__.py.

Exit codes: 0 success; 1 the documents have errors (or warnings, with --strict); 2 usage error (bad option,
no policygen.yaml); 3 internal error (a bug in policygen: please report it).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from . import __version__, build_project, load_project
from .diagnostics import Diagnostics, format_json, format_text
from .project import ProjectNotFound

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
@click.pass_obj
def build(directory: Path, strict: bool, fmt: str) -> None:
    """Check the documents and write every output into the output folder."""
    result = build_project(directory, strict=strict)
    summary = "nothing written"
    if result.written:
        output = result.project.config.output
        shown = output.relative_to(Path.cwd()) if output.is_relative_to(Path.cwd()) else output
        summary = f"wrote {len(result.written)} files to {shown}"
    _exit(result.diagnostics, strict, fmt, summary)


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
