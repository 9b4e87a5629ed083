"""Parse YAML while remembering the line of every key and item.

PyYAML's composer already knows where each node starts; this module turns the node tree into
plain Python data plus a map from each path of keys (``("purposes", "2.2.1", "fields", 0)``) to
its 1-based line, so that the lint can say *where* in the file a problem is. Written here because
no maintained library returns plain data together with per-path positions.
"""

from __future__ import annotations

from typing import Any

import yaml

Path = tuple[str | int, ...]


class YamlSyntaxError(ValueError):
    """The text is not valid YAML; ``line`` is 1-based."""

    def __init__(self, message: str, line: int) -> None:
        self.line = line
        super().__init__(message)


def parse_with_lines(text: str) -> tuple[Any, dict[Path, int]]:
    """Return the data of a YAML document and the line of each path in it."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 1
        raise YamlSyntaxError(str(exc.problem or exc), line) from None
    except yaml.YAMLError as exc:
        raise YamlSyntaxError(str(exc), 1) from None
    lines: dict[Path, int] = {}
    if node is None:
        return None, lines
    return _convert(node, (), lines), lines


def _convert(node: yaml.Node, path: Path, lines: dict[Path, int]) -> Any:
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = _scalar(key_node)
            key = key if isinstance(key, str | int) else str(key)
            if key in result:
                raise YamlSyntaxError(f"duplicate key {key!r}", key_node.start_mark.line + 1)
            lines[(*path, key)] = key_node.start_mark.line + 1
            result[key] = _convert(value_node, (*path, key), lines)
            lines[(*path, key)] = key_node.start_mark.line + 1
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_convert(item, (*path, i), lines) for i, item in enumerate(node.value)]
    return _scalar(node)


_CONSTRUCTOR = yaml.SafeLoader("")


def _scalar(node: yaml.Node) -> Any:
    return _CONSTRUCTOR.construct_object(node, deep=True)


def line_of(lines: dict[Path, int], path: Path) -> int:
    """The line of ``path``, or of its nearest ancestor present in the map (1 at worst)."""
    for cut in range(len(path), -1, -1):
        found = lines.get(path[:cut])
        if found is not None:
            return found
    return 1
