"""The fast save path: change one knooppunt's one-line fields and note in the text itself.

Why it exists: the general save (`compass.state.edit`) parses the whole file with
ruamel, changes the document, renders the whole file and parses the result again to
check it, so a save costs several full parses of a file that grows with the pack
(~0.1 s at 90 knooppunten, seconds at thousands). Almost every save is one entry's
status/owner/due/bookmark/note plus its `updated`/`by` stamp, so this path:

1. takes the line numbers of that entry's fields from the line index of the last
   parse (`compass.state.index`; the store only uses it when the bytes re-read under
   the lock are exactly the bytes that index belongs to);
2. renders just the new `key: value` lines with ruamel (same quoting, same literal
   blocks as the general path) and replaces exactly those lines, inserting missing
   `updated`/`by`/`bookmark` keys before `note` as the general path does;
3. checks the result on the changed entry alone: it must parse, have the expected
   keys in the expected order, read back as exactly the expected `Entry`, and not
   swallow the lines after it (a literal block would take in deeper indented lines);
4. otherwise returns None, and the caller takes the general path.

Nothing outside the replaced lines changes, so the rest of the file is as valid as
it was. Tests compare this path's bytes with the general path's bytes.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace
from typing import Any

from ruamel.yaml.comments import CommentedMap

from ..model import ProcessPack
from ..problems import ProblemsError
from .check import Checker
from .index import EntrySpan
from .marks import entry_span
from .models import Entry, note_scalar, text_scalar, timestamp_scalar
from .read import dump_yaml, load_doc, round_trip_yaml
from .source import Parsed

FAST_FIELDS = frozenset({"status", "owner", "due", "bookmark", "note"})


def _value(key: str, v: Any) -> Any:
    if key == "note":
        return note_scalar(v)
    if key in ("owner", "by"):
        return text_scalar(v)
    return v


def _render(items: list[tuple[str, Any]], indent: int) -> dict[str, list[str]] | None:
    """The lines ruamel writes for each `key: value` at entry-field depth (2 * indent)."""
    out = dump_yaml(round_trip_yaml(indent), {"a": {"b": dict(items)}})
    lines = out.split("\n")[2:-1]
    pad = " " * (2 * indent)
    groups: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in lines:
        if line.startswith(pad) and line[len(pad) : len(pad) + 1] not in (" ", ""):
            key = line[len(pad) :].partition(":")[0]
            current = groups.setdefault(key, [])
            if current:
                return None
        elif current is None:
            return None
        current.append(line)
    return groups if list(groups) == [k for k, _ in items] else None


_INDICATOR = re.compile(r"^\s*[|>](?:([1-9])[-+]?|[-+]([1-9]))")


def _block_swallows(lines: list[str], after: int, ci: int) -> bool:
    """Whether a block scalar with content indent `ci` ending before line `after` would take in
    more."""
    for line in lines[after:]:
        if not line.strip():
            if len(line) >= ci:
                return True
            continue
        return len(line) - len(line.lstrip(" ")) >= ci
    return False


def fast_update(
    parsed: Parsed,
    pack: ProcessPack,
    name: str,
    slug: str,
    todo: dict[str, Any],
    stamp: dt.datetime,
    user: str,
) -> Parsed | None:
    """`parsed` with `todo` (already cleaned, really different) applied to `slug`, or None.

    Also stamps `updated`, and `by` when there is a user or a `by` line already, like
    `StateStore._apply`. None means: not a case for this path, use the general one.
    """
    index = parsed.index
    if index is None or not todo or not set(todo) <= FAST_FIELDS or index.slug_col != parsed.indent:
        return None
    found = index.find(slug)
    if found is None:
        return None
    start, span = found
    if span.col != 2 * parsed.indent:
        return None
    items = [(key, _value(key, v)) for key, v in todo.items()]
    items.append(("updated", timestamp_scalar(stamp)))
    if user or span.field("by") is not None:
        items.append(("by", text_scalar(user)))
    rendered = _render(items, parsed.indent)
    if rendered is None:
        return None

    # the edits, relative to the entry's first line: (from, to, new lines)
    edits: list[tuple[int, int, list[str]]] = []
    inserted: list[str] = []
    inserted_lines: list[str] = []
    for key, group in rendered.items():
        f = span.field(key)
        if f is None:
            inserted.append(key)
            inserted_lines += group
        elif f.kind in ("line", "block"):
            edits.append((f.first, f.last + 1, group))
        else:
            return None
    keys = [f.key for f in span.fields]
    if inserted:
        note = span.field("note")
        if note is None:
            return None
        edits.append((note.first, note.first, inserted_lines))
        i = keys.index("note")
        keys[i:i] = inserted
    lines = parsed.source.text.split("\n")
    new = lines[start : start + span.length]
    for a, b, group in sorted(edits, key=lambda e: (e[0], e[1] > e[0]), reverse=True):
        new[a:b] = group

    checked = _check_entry(
        parsed, pack, name, slug, new, keys, _expected(parsed, slug, todo, dict(items))
    )
    if checked is None:
        return None
    entry, new_span = checked
    last = new_span.fields[-1]
    if last.kind == "block":
        content = [x for x in new[last.first + 1 : last.last + 1] if x.strip()]
        ci = min((len(x) - len(x.lstrip(" ")) for x in content), default=new_span.col + 1)
        # An explicit indentation indicator (`|2-`, for a note that starts with spaces)
        # sets the content indent below what its lines show: a comment indented less
        # than the text but at least that much would become part of the note.
        header = new[last.first]
        explicit = _INDICATOR.search(header.partition(":")[2])
        if explicit:
            key_indent = len(header) - len(header.lstrip(" "))
            ci = min(ci, key_indent + int(explicit.group(1) or explicit.group(2)))
        if _block_swallows(lines, start + span.length, ci):
            return None
    text = "\n".join(lines[:start] + new + lines[start + span.length :])
    state = replace(parsed.state, entries={**parsed.state.entries, slug: entry})
    source = parsed.source.same_layout(parsed.source.encode(text), text)
    return Parsed(
        source, None, state, parsed.indent, index.moved(slug, new_span, len(new) - span.length)
    )


def _expected(parsed: Parsed, slug: str, todo: dict[str, Any], items: dict[str, Any]) -> Entry:
    update = dict(todo)
    update["updated"] = _plain_datetime(items["updated"])
    if "by" in items:
        update["by"] = str(items["by"])
    return replace(parsed.state.entry(slug), **update)


def _plain_datetime(t: dt.datetime) -> dt.datetime:
    return dt.datetime(t.year, t.month, t.day, t.hour, t.minute, t.second, t.microsecond, t.tzinfo)


def _check_entry(
    parsed: Parsed,
    pack: ProcessPack,
    name: str,
    slug: str,
    new: list[str],
    keys: list[str],
    expected: Entry,
) -> tuple[Entry, EntrySpan] | None:
    """Parse the new lines of one entry alone; its Entry and line spans if exactly as expected."""
    nodes: dict[int, Any] = {}
    try:
        doc = load_doc(name, "\n".join(new) + "\n", parsed.indent, nodes)
    except ProblemsError:
        return None
    if not isinstance(doc, CommentedMap) or list(doc) != [slug]:
        return None
    m = doc[slug]
    if not isinstance(m, CommentedMap) or list(m) != keys:
        return None
    checker = Checker(name, pack)
    entry = checker.entry(doc, slug, m)
    if checker.problems or entry is None or entry != expected:
        return None
    root = nodes.get(id(doc))
    if root is None:
        return None
    span = entry_span(
        root.value[0][0], root.value[0][1], new, parsed.index.slug_col if parsed.index else -1
    )
    if span is None or span.length != len(new) or [f.key for f in span.fields] != keys:
        return None
    return entry, span
