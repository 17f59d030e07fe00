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
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import yaml

from .diagnostics import Diagnostic

try:  # the C parser is much faster; fall back to the pure-Python one where libyaml is missing
    _Loader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover
    _Loader = yaml.SafeLoader

MAX_FILE_BYTES = 1024 * 1024
MAX_NODES = 100_000

_CORE = "tag:yaml.org,2002:"
_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INT = re.compile(r"^[-+]?(?:0|[1-9][0-9]*)$")
_DECIMAL = re.compile(r"^[-+]?(?:0|[1-9][0-9]*)\.[0-9]+$")
_IMPLICIT = yaml.resolver.Resolver()

Path_ = tuple  # a JSON path inside a document: ("chapters", 0, "articles", 3)


@dataclass
class SourceFile:
    """One loaded YAML file: its data and where each value came from."""

    path: Path
    name: str  # the path shown in diagnostics, relative to the project
    data: object = None
    positions: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    key_positions: dict[Path_, tuple[int, int]] = field(default_factory=dict)

    def position(self, path: Path_, *, key: bool = False) -> tuple[int, int]:
        """Line and column (1-based) of the value at `path`, or of its key; else of the nearest ancestor."""
        path = tuple(path)
        if key and path in self.key_positions:
            return self.key_positions[path]
        while path not in self.positions and path:
            path = path[:-1]
        return self.positions.get(path, (1, 1))

    def diagnostic(self, code: str, message: str, path: Path_ = (), *, key: bool = False, **kw) -> Diagnostic:
        line, column = self.position(path, key=key)
        return Diagnostic(code, message, file=self.name, line=line, column=column,
                          path=json_path(path) if path else None, **kw)


def json_path(path: Path_) -> str:
    return "/" + "/".join(str(p) for p in path)


class _LoadError(Exception):
    def __init__(self, code: str, message: str, line: int, column: int):
        super().__init__(message)
        self.code, self.message, self.line, self.column = code, message, line, column


def load_file(path: Path, name: str) -> tuple[SourceFile, list[Diagnostic]]:
    """Read one YAML document. Returns the file (with data None when it failed) and its diagnostics."""
    source = SourceFile(path=path, name=name)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return source, [Diagnostic("PG-LOAD-004", f"cannot read the file: {exc.strerror}", file=name)]
    try:
        text = _check_text(raw)
        _Builder(source).build(text)
    except _LoadError as exc:
        source.data = None
        return source, [Diagnostic(exc.code, exc.message, file=name, line=exc.line, column=exc.column)]
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
    for number, line in enumerate(text.splitlines(), start=1):
        indent = line[: len(line) - len(line.lstrip(" \t"))]
        if "\t" in indent:
            raise _LoadError("PG-LOAD-002", "a tab is used for indentation", number, indent.index("\t") + 1)
    return text


class _Builder:
    """Turns a composed node tree into plain Python values, recording positions."""

    def __init__(self, source: SourceFile):
        self.source = source
        self.count = 0

    def build(self, text: str) -> None:
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
                             node.start_mark.line + 1, node.start_mark.column + 1)
        self.source.data = self.value(node, ())

    def value(self, node: yaml.Node, path: Path_):
        self.count += 1
        if self.count > MAX_NODES:
            raise _LoadError("PG-LOAD-006", f"the document expands to more than {MAX_NODES:,} values",
                             node.start_mark.line + 1, node.start_mark.column + 1)
        self.source.positions[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
        if isinstance(node, yaml.MappingNode):
            return self.mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            self.check_tag(node, _CORE + "seq")
            return [self.value(child, path + (i,)) for i, child in enumerate(node.value)]
        return self.scalar(node)

    def mapping(self, node: yaml.MappingNode, path: Path_) -> dict:
        self.check_tag(node, _CORE + "map")
        result: dict = {}
        for key_node, value_node in node.value:
            line, column = key_node.start_mark.line + 1, key_node.start_mark.column + 1
            if not isinstance(key_node, yaml.ScalarNode):
                raise _LoadError("PG-LOAD-009", "a key must be plain text, not a list or mapping", line, column)
            key = key_node.value
            if key in result:
                first = self.source.key_positions[path + (key,)]
                raise _LoadError("PG-LOAD-005", f"the key '{key}' appears twice (first at line {first[0]})", line, column)
            self.source.key_positions[path + (key,)] = (line, column)
            result[key] = self.value(value_node, path + (key,))
        return result

    def check_tag(self, node: yaml.Node, default: str) -> None:
        if node.tag != default:
            raise _LoadError("PG-LOAD-007", f"the tag '{node.tag}' is not allowed",
                             node.start_mark.line + 1, node.start_mark.column + 1)

    def scalar(self, node: yaml.ScalarNode):
        value = node.value
        if node.style:  # quoted or block scalar: always text (plain is None or '' depending on the parser)
            if node.tag != _CORE + "str":
                self.check_tag(node, _CORE + "str")
            return value
        implicit = _IMPLICIT.resolve(yaml.ScalarNode, value, (True, False))
        if node.tag != implicit:  # an explicit tag such as !!str
            if node.tag == _CORE + "str":
                return value
            if not node.tag.startswith(_CORE) or node.tag.removeprefix(_CORE) not in {"int", "float", "bool", "null"}:
                self.check_tag(node, _CORE + "str")
        return resolve_plain(value)


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
