"""Load stage: read YAML files strictly and safely, keeping the file, line and column of every value.

PyYAML composes the node tree (safe, C-accelerated where available); this module builds the Python values
itself, because PyYAML's constructors follow YAML 1.1 and would silently turn `no` into False, `010` into 8,
`1:30` into 90 and `2010-01-01` into a date object. Here plain scalars follow the YAML 1.2 core schema, with
two deliberate narrowings so text is never reinterpreted:

- integers and decimals are read only in plain decimal notation without leading zeros (`010` stays the
  text "010"); decimals become `Decimal`, so 999.99 is exact;
- dates and times stay text; the schemas check their form.

Everything else a user might get wrong in the file itself (encoding, tabs, size, duplicate keys, alias bombs,
custom tags) becomes a PG-LOAD diagnostic.

The line and column of a value are looked up only when asked for (mostly for a diagnostic), by composing the
kept text again: recording them all while loading would cost more than the rest of the load.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from pathlib import Path

import yaml

from .diagnostics import Diagnostic

_PLAIN = object()  # the tag `_Loader` gives an untagged plain scalar


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # the C parser where libyaml is there: much faster
    """Composes the node tree only. An untagged plain scalar gets the tag `_PLAIN` instead of the YAML 1.1 tag
    PyYAML's resolver would try its patterns for: `resolve_plain` decides what it is, once."""

    def resolve(self, kind, value, implicit):
        if kind is yaml.ScalarNode:
            return _PLAIN if implicit[0] else self.DEFAULT_SCALAR_TAG
        return super().resolve(kind, value, implicit)


MAX_FILE_BYTES = 1024 * 1024
MAX_NODES = 100_000
MAX_DEPTH = 50  # mappings and lists inside each other; the deepest real document needs about 12
MAX_NUMBER_DIGITS = 40  # longer runs of digits are no amount, count or date policygen could use

# Characters YAML forbids (outside its printable set), and the line separators YAML 1.1 counts as line breaks
# where editors do not (NEL, U+2028, U+2029): every line number after them would be off.
_BREAKS = re.compile("\r\n|\r|\n")
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ufffe\uffff\ud800-\udfff]")

_CORE = "tag:yaml.org,2002:"
_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INT = re.compile(r"^[-+]?(?:0|[1-9][0-9]*)$")
_DECIMAL = re.compile(r"^[-+]?(?:0|[1-9][0-9]*)\.[0-9]+$")
_IMPLICIT = yaml.resolver.Resolver()

Path_ = tuple  # a JSON path inside a document: ("chapters", 0, "articles", 3)


@dataclass
class SourceFile:
    """One loaded YAML file: its data, its text, and where each value came from."""

    path: Path
    name: str  # the path shown in diagnostics, relative to the project
    data: object = None
    text: str = field(default="", repr=False)

    def position(self, path: Path_, *, key: bool = False) -> tuple[int, int]:
        """Line and column (1-based) of the value at `path`, or of its key; else of the nearest ancestor."""
        values, keys = self._positions
        path = tuple(path)
        if key and path in keys:
            return keys[path]
        while path not in values and path:
            path = path[:-1]
        return values.get(path, (1, 1))

    @cached_property
    def _positions(self) -> tuple[dict[Path_, tuple[int, int]], dict[Path_, tuple[int, int]]]:
        """The positions of the values and of the keys, by path, found on first use."""
        values: dict = {}
        keys: dict = {}
        if self.text:
            _record(yaml.compose(self.text, Loader=_Loader), (), values, keys)
        return values, keys

    def diagnostic(self, code: str, message: str, path: Path_ = (), *, key: bool = False, **kw) -> Diagnostic:
        line, column = self.position(path, key=key)
        return Diagnostic(code, message, file=self.name, line=line, column=column,
                          path=json_path(path) if path else None, **kw)


def _record(node: yaml.Node, path: Path_, values: dict, keys: dict) -> None:
    values[path] = _start(node)
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            keys[path + (key_node.value,)] = _start(key_node)
            _record(value_node, path + (key_node.value,), values, keys)
    elif isinstance(node, yaml.SequenceNode):
        for i, child in enumerate(node.value):
            _record(child, path + (i,), values, keys)


def _start(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def json_path(path: Path_) -> str:
    return "/" + "/".join(str(p) for p in path)


class _LoadError(Exception):
    def __init__(self, code: str, message: str, line: int, column: int, hint: str | None = None):
        super().__init__(message)
        self.code, self.message, self.line, self.column, self.hint = code, message, line, column, hint


def load_file(path: Path, name: str) -> tuple[SourceFile, list[Diagnostic]]:
    """Read one YAML document. Returns the file (with data None when it failed) and its diagnostics."""
    source = SourceFile(path=path, name=name)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return source, [Diagnostic("PG-LOAD-004", f"cannot read the file: {exc.strerror}", file=name)]
    try:
        text = _check_text(raw)
        data = _Builder().build(text)
    except _LoadError as exc:
        return source, [Diagnostic(exc.code, exc.message, file=name, line=exc.line, column=exc.column, hint=exc.hint)]
    source.data, source.text = data, text
    return source, []


def _check_text(raw: bytes) -> str:
    if len(raw) > MAX_FILE_BYTES:
        raise _LoadError("PG-LOAD-003", f"the file has {len(raw):,} bytes; the limit is {MAX_FILE_BYTES:,}", 1, 1)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        column = exc.start - (before.rfind(b"\n") + 1) + 1
        raise _LoadError("PG-LOAD-001", f"byte 0x{raw[exc.start]:02x} is not valid UTF-8", line, column) from None
    if forbidden := _FORBIDDEN.search(text):
        before = _BREAKS.split(text[: forbidden.start()])  # the lines as YAML and editors count them
        line, column = len(before), len(before[-1]) + 1
        raise _LoadError("PG-LOAD-010", f"the character {describe_character(forbidden.group())} is not allowed in a "
                         "YAML file", line, column)
    if "\t" not in text:
        return text
    for number, line in enumerate(text.splitlines(), start=1):
        indent = line[: len(line) - len(line.lstrip(" \t"))]
        if "\t" in indent:
            raise _LoadError("PG-LOAD-002", "a tab is used for indentation", number, indent.index("\t") + 1)
    return text


def describe_character(char: str) -> str:
    """How a message shows a character that must not be printed raw: \\x1b (escape), U+2028 (line separator)."""
    import unicodedata

    code = ord(char)
    shown = f"\\x{code:02x}" if code < 0x100 else f"U+{code:04X}"
    name = _CONTROL_NAMES.get(char) or unicodedata.name(char, "").lower()
    return f"{shown} ({name})" if name else shown


_CONTROL_NAMES = {"\x00": "null", "\x07": "bell", "\x08": "backspace", "\x0b": "vertical tab", "\x0c": "form feed",
                  "\x1b": "escape", "\x7f": "delete", "\x85": "next line"}


class _Builder:
    """Turns a composed node tree into plain Python values."""

    def __init__(self):
        self.count = 0
        self.depth = 0

    def build(self, text: str) -> dict:
        try:
            node = yaml.compose(text, Loader=_Loader)
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
            problem = exc.problem or str(exc)
            if "expected a single document" in (exc.context or ""):
                raise _LoadError("PG-LOAD-008", "the file holds more than one YAML document (---)", line, column) from None
            raise _LoadError("PG-LOAD-004", f"{problem}" + (f" ({exc.context})" if exc.context else ""), line, column) from None
        except yaml.YAMLError as exc:
            raise _LoadError("PG-LOAD-004", str(exc), 1, 1) from None
        if node is None:
            raise _LoadError("PG-LOAD-008", "the file is empty", 1, 1)
        if not isinstance(node, yaml.MappingNode):
            raise _LoadError("PG-LOAD-008", "the file must hold a mapping (key: value lines), not a list or a single value",
                             *_start(node))
        return self.value(node)

    def value(self, node: yaml.Node):
        self.count += 1
        if self.count > MAX_NODES:
            raise _LoadError("PG-LOAD-006", f"the document expands to more than {MAX_NODES:,} values", *_start(node))
        if isinstance(node, yaml.ScalarNode):
            return self.scalar(node)
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise _LoadError("PG-LOAD-011", f"the values are nested more than {MAX_DEPTH} levels deep", *_start(node),
                             hint="flatten the structure: no policygen document needs this depth")
        try:
            if isinstance(node, yaml.MappingNode):
                return self.mapping(node)
            self.check_tag(node, _CORE + "seq")
            return [self.value(child) for child in node.value]
        finally:
            self.depth -= 1

    def mapping(self, node: yaml.MappingNode) -> dict:
        self.check_tag(node, _CORE + "map")
        result: dict = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise _LoadError("PG-LOAD-009", "a key must be plain text, not a list or mapping", *_start(key_node))
            key = key_node.value
            if key in result:
                first = next(k for k, _ in node.value if k.value == key)
                raise _LoadError("PG-LOAD-005", f"the key '{key}' appears twice (first at line {_start(first)[0]})",
                                 *_start(key_node))
            result[key] = self.value(value_node)
        return result

    def check_tag(self, node: yaml.Node, default: str) -> None:
        if node.tag != default:
            raise _tag_error(node, node.tag)

    def scalar(self, node: yaml.ScalarNode):
        value, tag = node.value, node.tag
        if tag is _PLAIN:
            if not node.style:  # plain (None or '' depending on the parser)
                return self.plain(node, value)
            tag = _IMPLICIT.resolve(yaml.ScalarNode, value, (True, False))  # quoted after a bare `!` tag
        if tag == _CORE + "str":  # quoted, block, or tagged !!str
            return value
        # An explicit tag: on a plain scalar, one of the core scalar tags, or what the value would resolve to anyway.
        if node.style or not (tag == _IMPLICIT.resolve(yaml.ScalarNode, value, (True, False))
                              or tag.startswith(_CORE) and tag.removeprefix(_CORE) in {"int", "float", "bool", "null"}):
            raise _tag_error(node, tag)
        return self.plain(node, value)

    def plain(self, node: yaml.ScalarNode, value: str):
        if len(value) > MAX_NUMBER_DIGITS and (_INT.match(value) or _DECIMAL.match(value)):
            raise _LoadError("PG-LOAD-011", f"the number has {sum(c.isdigit() for c in value):,} digits; policygen reads "
                             f"numbers of at most {MAX_NUMBER_DIGITS} digits", *_start(node),
                             hint="write a shorter number, or quote it if it is text")
        return resolve_plain(value)


def _tag_error(node: yaml.Node, tag: str) -> _LoadError:
    return _LoadError("PG-LOAD-007", f"the tag '{tag}' is not allowed", *_start(node))


def resolve_plain(value: str):
    """YAML 1.2 core resolution of a plain scalar, narrowed as described in the module docstring."""
    if _NULL.match(value):
        return None
    if value in _BOOL:
        return _BOOL[value]
    if _INT.match(value):
        return int(value)
    if _DECIMAL.match(value):
        return Decimal(value)
    return value
