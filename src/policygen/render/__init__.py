"""Renderers, side by side: each turns the checked model into one output format."""


def selected(table: dict, ids=None) -> list[str]:
    """The ids of `table` a writer renders, in a stable order: all of them, or those in `ids`."""
    return [key for key in sorted(table) if ids is None or key in ids]
