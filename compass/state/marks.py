"""Reading the line index (`compass.state.index`) from the YAML parser's own marks.

Why its own module: this is the part that needs ruamel's node types; the index
itself is plain data that the state cache restores without them.
"""

from __future__ import annotations

import re
from typing import Any

from ruamel.yaml.comments import CommentedMap
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .index import EntrySpan, FieldSpan, LineIndex

_BLOCK_HEADER = re.compile(r"[|>][1-9]?[-+]?[1-9]?\s*")
_PLAIN_KEY = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]*")


def _last_line(node: Node, lines: list[str]) -> int:
    """The last line that holds any of `node`'s own text (not trailing blanks/comments)."""
    if isinstance(node, ScalarNode):
        if node.value == "" and node.style is None:
            return -1  # an empty value: its marks point at the next token, not at itself
        end = node.end_mark.line - (
            1 if node.end_mark.column == 0 and node.end_mark.line > node.start_mark.line else 0
        )
        if node.style in ("|", ">"):
            while end > node.start_mark.line and not lines[end].strip():
                end -= 1
        return int(end)
    if isinstance(node, (MappingNode, SequenceNode)):
        if node.flow_style or not node.value:
            return int(node.end_mark.line)
        last = node.value[-1]
        if isinstance(node, MappingNode):
            key, value = last
            return max(_last_line(key, lines), _last_line(value, lines))
        return _last_line(last, lines)
    return int(node.end_mark.line)  # pragma: no cover - no other node kinds


def _field(key: ScalarNode, value: Node, start: int, col: int, lines: list[str]) -> FieldSpan:
    kl = key.start_mark.line
    line = lines[kl]
    after = line[col + len(key.value) + 1 :]  # what follows `key:`
    kind = "other"
    if isinstance(value, ScalarNode) and value.anchor is None:
        if value.style in ("|", ">"):
            if value.start_mark.line == kl and _BLOCK_HEADER.fullmatch(after.strip(" ")):
                kind = "block"
        elif value.value == "" and value.style is None and not after.strip():
            kind = "line"  # `key:` with nothing after it (null)
        elif (
            value.start_mark.line == kl == value.end_mark.line
            and not line[value.end_mark.column :].strip()
        ):
            head = line[value.start_mark.column : value.start_mark.column + 1]
            kind = "line" if head not in ("!", "&", "*") else "other"
    last = max(kl, _last_line(value, lines)) if kind != "line" else kl
    return FieldSpan(str(key.value), kl - start, last - start, kind)


def entry_span(key: Node, value: Node, lines: list[str], slug_col: int) -> EntrySpan | None:
    if not (isinstance(key, ScalarNode) and key.style is None and isinstance(value, MappingNode)):
        return None
    if (
        value.flow_style
        or not value.value
        or value.anchor is not None
        or value.tag != "tag:yaml.org,2002:map"
    ):
        return None
    start = key.start_mark.line
    if (
        key.start_mark.column != slug_col
        or lines[start].rstrip(" ") != " " * slug_col + key.value + ":"
    ):
        return None
    col = value.value[0][0].start_mark.column
    if col <= slug_col:
        return None
    fields = []
    prev = start
    for fk, fv in value.value:
        if not (
            isinstance(fk, ScalarNode)
            and fk.style is None
            and fk.start_mark.column == col
            and fk.start_mark.line > prev
        ):
            return None
        if not _PLAIN_KEY.fullmatch(fk.value) or not lines[fk.start_mark.line].startswith(
            " " * col + fk.value + ":"
        ):
            return None
        f = _field(fk, fv, start, col, lines)
        fields.append(f)
        prev = start + f.last
    return EntrySpan(col, prev - start + 1, tuple(fields))


def build_index(doc: Any, nodes: dict[int, Any], text: str) -> LineIndex | None:
    """The line index of a freshly parsed file (`nodes` from `load_doc`), or None."""
    if not isinstance(doc, CommentedMap):
        return None
    km = doc.get("knooppunten")
    node = nodes.get(id(km)) if isinstance(km, CommentedMap) else None
    if not isinstance(node, MappingNode) or node.flow_style or not node.value:
        return None
    lines = text.split("\n")
    slug_col = node.value[0][0].start_mark.column
    slugs: list[str] = []
    starts: list[int] = []
    spans: list[EntrySpan] = []
    for key, value in node.value:
        span = entry_span(key, value, lines, slug_col)
        if span is not None:
            slugs.append(str(key.value))
            starts.append(key.start_mark.line)
            spans.append(span)
    if len(set(slugs)) != len(slugs):
        return None
    return LineIndex(
        slug_col, tuple(slugs), tuple(starts), tuple(spans), {s: i for i, s in enumerate(slugs)}
    )
