"""What the command line shows while a build runs: one progress line on a terminal, rewritten in place, or with
--verbose one line per document rendered. Part of the CLI layer (core code never prints)."""

from __future__ import annotations

import shutil
import sys
import time
from typing import TextIO


class Progress:
    """A `progress(document, done, total)` callback for build_project.

    On a terminal: `policygen: rendering [#####.....] 5/16 customer-service`, rewritten in place and erased when the
    build ends. Not on a terminal: nothing (logs and pipes get the summary only). `verbose`: a line per document
    rendered, with its time, wherever the output goes."""

    def __init__(self, stream: TextIO | None = None, *, verbose: bool = False):
        self.stream = stream or sys.stderr
        self.live = self.stream.isatty()
        self.verbose = verbose
        self.shown = False
        self.last = time.monotonic()

    def __call__(self, document: str, done: int, total: int) -> None:
        now = time.monotonic()
        if self.verbose and document:
            self._clear()
            self.stream.write(f"policygen: rendered {document} ({done}/{total}, {now - self.last:.1f} s)\n")
        self.last = now
        if self.live and done < total:
            width = 20
            filled = width * done // max(total, 1)
            line = f"policygen: rendering [{'#' * filled}{'.' * (width - filled)}] {done}/{total} {document}"
            columns = shutil.get_terminal_size((80, 24)).columns
            self.stream.write("\r" + line[:columns - 1] + "\x1b[K")
            self.shown = True
        else:
            self._clear()
        self.stream.flush()

    def _clear(self) -> None:
        if self.shown:
            self.stream.write("\r\x1b[K")
            self.shown = False

    def close(self) -> None:
        self._clear()
        self.stream.flush()
