"""Read a YAML (or JSON) file into plain values that remember their line and column.

PyYAML's composer (libyaml's C parser when installed: 5-7x faster than ruamel.yaml's
here) gives every node its start mark; a scalar keeps the text it was written as (so
``2023-09`` stays a string and a date's precision is not lost to the YAML timestamp type).
A syntax error or a duplicate key is a :class:`SourceError` naming the file, line and column.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg.sources.errors import SourceError

__all__ = ["YList", "YMap", "YScalar", "load_yaml", "parse_yaml"]

_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"


@dataclass(slots=True)
class YScalar:
    """A scalar: ``value`` (str, int, float, bool or None), the text it was written as, where."""

    value: Any
    raw: str
    line: int
    column: int


@dataclass(slots=True)
class YList:
    """A sequence of located values."""

    items: list[Any]
    line: int
    column: int


@dataclass(slots=True)
class YMap:
    """A mapping: key -> located value, with each key's own position (for unknown fields)."""

    items: dict[str, Any]
    line: int
    column: int
    key_pos: dict[str, tuple[int, int]] = field(default_factory=dict)

    def get(self, key: str, default: Any = None) -> Any:
        """The located value of ``key``, or ``default``."""
        return self.items.get(key, default)


def load_yaml(path: str | Path) -> Any:
    """Parse the YAML file ``path`` into YMap / YList / YScalar.

    Parameters
    ----------
    path:
        A ``.yaml``, ``.yml`` or ``.json`` file.

    Returns
    -------
    YMap, YList, YScalar or None (an empty file)

    Raises
    ------
    SourceError
        ``path:line:column: what is wrong`` for a syntax error; ``no such file`` when missing.

    Example
    -------
    >>> import tempfile, os
    >>> p = os.path.join(tempfile.mkdtemp(), "s.yaml")
    >>> _ = open(p, "w").write("a: 1\\nb: [x, 2023-09]\\n")
    >>> doc = load_yaml(p)
    >>> doc.items["b"].items[1].value, doc.items["b"].items[1].line
    ('2023-09', 2)
    """
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SourceError(f"no such file: {path}") from None
    except IsADirectoryError:
        raise SourceError(f"{path} is a folder, not a source file") from None
    except UnicodeDecodeError as exc:
        raise SourceError(f"not UTF-8 text ({exc.reason} at byte {exc.start})", path=path) from None
    return parse_yaml(text, str(path))


def parse_yaml(text: str, path: str = "<text>") -> Any:
    """Parse YAML text (see :func:`load_yaml`).

    Example
    -------
    >>> parse_yaml("a: [1, 2")
    Traceback (most recent call last):
    ...
    kg.sources.errors.SourceError: <text>:1:4: YAML syntax error: ...expected ',' or ']'...
    >>> parse_yaml("a: 1\\na: 2")
    Traceback (most recent call last):
    ...
    kg.sources.errors.SourceError: <text>:2:1: duplicate key 'a' (first at line 1)
    """
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        node = yaml.compose(text, Loader=loader)
    except yaml.MarkedYAMLError as exc:
        # "while scanning/parsing X" marks where X began: the line to fix, usually.
        context = str(exc.context or "")
        start = exc.context_mark if context.startswith("while") else None
        mark = start or exc.problem_mark or exc.context_mark
        problem = " ".join(str(exc.problem or exc.context or "bad YAML").split())
        line, column = (mark.line + 1, mark.column + 1) if mark else (None, None)
        message = f"YAML syntax error: {problem}"
        raise SourceError(message, path=path, line=line, column=column) from None
    except yaml.YAMLError as exc:
        raise SourceError(f"YAML syntax error: {exc}", path=path) from None
    return None if node is None else _convert(node, path)


def _convert(node: Any, path: str) -> Any:
    from yaml.nodes import MappingNode, SequenceNode

    mark = node.start_mark
    line, column = mark.line + 1, mark.column + 1
    kind = type(node)
    if kind is MappingNode or isinstance(node, MappingNode):
        out = YMap({}, line, column)
        items, key_pos = out.items, out.key_pos
        for key_node, value_node in node.value:
            key = str(key_node.value)
            key_mark = key_node.start_mark
            pos = (key_mark.line + 1, key_mark.column + 1)
            if key in items:
                first = key_pos[key][0]
                raise SourceError(
                    f"duplicate key {key!r} (first at line {first})",
                    path=path,
                    line=pos[0],
                    column=pos[1],
                )
            items[key] = _convert(value_node, path)
            key_pos[key] = pos
        return out
    if kind is SequenceNode or isinstance(node, SequenceNode):
        return YList([_convert(v, path) for v in node.value], line, column)
    return YScalar(_scalar(node), str(node.value), line, column)


def _scalar(node: Any) -> Any:
    """The Python value of a plain scalar; quoted scalars and dates stay text."""
    raw = node.value
    if node.style in ("'", '"', "|", ">"):
        return raw
    try:
        if node.tag == _INT:
            return int(raw.replace("_", ""), 0) if raw[:2] in ("0x", "0o") else int(raw)
        if node.tag == _FLOAT:
            return float(raw)
    except ValueError:
        return raw
    if node.tag == _BOOL:
        return raw.lower() in ("true", "yes", "on")
    if node.tag == _NULL:
        return None
    return raw
