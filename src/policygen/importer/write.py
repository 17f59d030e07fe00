"""The imported documents as YAML text, in the order and style of hand-written policygen documents."""

from __future__ import annotations

import yaml


class _Dumper(yaml.SafeDumper):
    def increase_indent(self, flow=False, indentless=False):
        return super().increase_indent(flow, False)  # lists indented under their key, as people write them


def _str(dumper, value: str):
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


_Dumper.add_representer(str, _str)


def to_yaml(data: dict, header: list[str], comments: dict[int, str] | None = None, footer: list[str] = ()) -> str:
    """`data` as block YAML; `header` and `footer` lines as comments; `comments` maps the index of a row in the
    document's `rows` to a comment written above it (for drafted matrices)."""
    body = yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=10**6, indent=2,
                     default_flow_style=False)
    if comments:
        lines, out, row = body.splitlines(), [], -1
        in_rows = False
        for line in lines:
            if line == "rows:":
                in_rows = True
            elif in_rows and line.startswith("  - "):
                row += 1
                if row in comments:
                    out.append(f"  # {comments[row]}")
            elif in_rows and not line.startswith(" "):
                in_rows = False
            out.append(line)
        body = "\n".join(out) + "\n"
    top = "".join(f"# {h}\n" if h else "#\n" for h in header)
    bottom = "".join(f"# {f}\n" if f else "#\n" for f in footer)
    return top + body + bottom
