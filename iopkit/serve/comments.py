"""Comments at the end of value lines, so that the page can write them back.

The page checks and previews YAML it writes from its data; the comments at the end of a
value line (`typ: kommun  # FYLL I: …`) go with that text, so that the check warns
beside the field until the user fills it in. Saving does not use the page's YAML: the
server keeps every comment of the file (see lossless.py).
"""

from __future__ import annotations

import re
from typing import Any

import yaml

_TRAILING = re.compile(r"\s+#\s?(.*?)\s*$")
#: Enough for any spec; the loader has already refused alias bombs before this runs.
_MAX_NODES = 200_000


def trailing_comments(text: str) -> list[dict[str, Any]]:
    """[{"sökväg": ["parter", 0, "typ"], "text": "FYLL I: …"}, …] in file order."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except Exception:  # the loader has reported the problem already; no comments then
        return []
    lines = text.split("\n")
    found: list[dict[str, Any]] = []
    budget = [_MAX_NODES]

    def comment_after(node: yaml.Node) -> str | None:
        start, end = node.start_mark, node.end_mark
        if start.line != end.line or end.line >= len(lines):
            return None  # a value over several lines has no single end-of-line comment
        match = _TRAILING.match(lines[end.line][end.column:])
        return match.group(1) if match else None

    def visit(node: yaml.Node, path: tuple[str | int, ...]) -> None:
        budget[0] -= 1
        if budget[0] < 0:
            return
        if isinstance(node, yaml.ScalarNode) or (
                isinstance(node, yaml.SequenceNode) and node.flow_style):
            comment = comment_after(node)
            if comment and path:
                found.append({"sökväg": list(path), "text": comment})
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode):
                    visit(value, path + (key.value,))
        elif isinstance(node, yaml.SequenceNode) and not node.flow_style:
            for index, item in enumerate(node.value):
                visit(item, path + (index,))

    try:
        if root is not None:
            visit(root, ())
    except RecursionError:
        return []
    return found
