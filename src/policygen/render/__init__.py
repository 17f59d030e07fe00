"""Renderers, side by side: each turns the checked model into one output format."""


def selected(table: dict, ids=None) -> list[str]:
    """The ids of `table` a writer renders, in a stable order: all of them, or those in `ids`."""
    return [key for key in sorted(table) if ids is None or key in ids]


def regulations_to_write(project, ids=None) -> list[tuple[object, str]]:
    """(project, regulation id) for every regulation a writer renders: those in `ids` (all when None), then their
    Traditional editions when policygen.yaml asks for them (`traditional:`, see scripts.py), each with the project
    view it prints from."""
    from ..scripts import editions

    return [(project, reg_id) for reg_id in selected(project.regulations, ids)] + editions(project, ids)
