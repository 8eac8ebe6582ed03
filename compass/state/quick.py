"""The quick reader: the state file's own plain layout read line by line, without ruamel.

Why it exists: ruamel's round-trip parse costs ~1.5 ms per knooppunt (it gathers every
comment and mark for a write back that a read never does), so reading 100 wijken took
seconds and a save after someone else's change re-parsed the whole file. Reads only
need the values, and almost every state file has the layout `wijkkompas new` and
`set` write: block mappings, one `key: value` per line, notes as `|`/`|-` blocks.

This reader accepts exactly that layout and raises `NotPlain` for anything else
(flow collections, anchors, tags, sequences, multi-line quoted text, rare escapes, folded
blocks, numbers or dates in an unusual spelling, odd indentation, duplicate keys, tabs,
characters YAML refuses ...). The caller then takes the general parser, which also
gives every error its position. So this reader never has to explain a problem: it
either yields exactly what ruamel yields (tests compare the two on generated and
mutated files) or steps aside. Values are typed as ruamel's YAML 1.2 reading types
them: `yes` stays text, `true` is a boolean, `12` an int, `2027-01-15` a date.

It also yields the line index for fast saves (`compass.state.index`), with the same
spans `compass.state.marks` reads from ruamel's marks.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from .index import EntrySpan, FieldSpan, LineIndex
from .models import BadDate

MAX_DEPTH = 8


class NotPlain(Exception):
    """The text is not in the plain layout; use the general parser."""


# Characters YAML refuses or treats as line breaks, a BOM inside the text, tabs and CR:
# any of them anywhere sends the file to the general parser.
_REFUSE = re.compile("[^\x0a\x20-\x7e\xa0-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff\t]")
_KEY = re.compile(r"( *)([A-Za-z0-9][A-Za-z0-9_.-]*):(?: +(.*))?$")
_INT = re.compile(r"0|[1-9][0-9]*")
_DATE = re.compile(r"\d{4}-\d\d-\d\d")
_STAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{1,6})?(?:Z|[+-]\d\d:\d\d)?")
_BLOCK = re.compile(r"\|([1-9])?(-)?(?: +#.*)?$|\|-([1-9])(?: +#.*)?$")
_SPECIAL_WORDS = frozenset(
    {"null", "Null", "NULL", "true", "True", "TRUE", "false", "False", "FALSE"}
)
_BOOLS = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
# A plain value starting with one of these may mean something other than text (a number,
# null, a merge key, YAML syntax): it goes to the general parser.
_NOT_TEXT_START = frozenset("-?:,[]{}#&*!|>'\"%@`+.~=<0123456789 \t")


# A double-quoted scalar on one line with the escapes ruamel writes for ordinary text
# (a quote, a backslash, a line break, a tab, a code point); any other escape, such as a
# line continuation, goes to the general parser.
_ESCAPES = r'["\\/nt]|x[0-9A-Fa-f]{2}|u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}'
_DOUBLE = re.compile(rf'"((?:[^"\\]|\\(?:{_ESCAPES}))*)"')
_ESCAPE = re.compile(rf"\\({_ESCAPES})")
_SIMPLE_ESCAPES = {'"': '"', "\\": "\\", "/": "/", "n": "\n", "t": "\t"}


def _unescape(m: re.Match[str]) -> str:
    code = m.group(1)
    simple = _SIMPLE_ESCAPES.get(code)
    if simple is not None:
        return simple
    point = int(code[1:], 16)
    if 0xD800 <= point <= 0xDFFF or point > 0x10FFFF:
        raise NotPlain  # a lone surrogate or no code point at all: ruamel's to judge
    return chr(point)


def _key(word: str) -> Any:
    if _INT.fullmatch(word):
        return int(word)
    if word[0].isdigit() or word in _SPECIAL_WORDS:
        raise NotPlain
    return word


def _plain(value: str) -> Any:
    """A plain scalar (comment already removed, trailing spaces stripped)."""
    if value in ("", "~", "null", "Null", "NULL"):
        return None
    b = _BOOLS.get(value)
    if b is not None:
        return b
    if _INT.fullmatch(value):
        return int(value)
    if _DATE.fullmatch(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return BadDate(value)
    if _STAMP.fullmatch(value):
        try:
            return dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            raise NotPlain from None
    if value[0] in _NOT_TEXT_START or ": " in value or value.endswith(":"):
        raise NotPlain
    return value


def _scalar(rest: str) -> tuple[Any, bool]:
    """(value, alone) of what follows `key: ` on one line; `alone` when no comment follows."""
    head = rest[0]
    if head == "'":
        end = 1
        while True:
            end = rest.find("'", end)
            if end < 0:
                raise NotPlain  # continues on the next line
            if rest.startswith("''", end):
                end += 2
                continue
            break
        after = rest[end + 1 :]
        if after.strip() and not re.match(r" +#", after):
            raise NotPlain
        return rest[1:end].replace("''", "'"), not after.strip()
    if head == '"':
        m = _DOUBLE.match(rest)
        if m is None:
            raise NotPlain  # continues on the next line, or an escape not read here
        after = rest[m.end() :]
        if after.strip() and not re.match(r" +#", after):
            raise NotPlain
        return _ESCAPE.sub(_unescape, m.group(1)), not after.strip()
    cut = rest.find(" #")
    text = (rest if cut < 0 else rest[:cut]).rstrip(" ")
    if "\t" in text:
        raise NotPlain  # YAML trims tabs around plain text in ways not worth copying
    return _plain(text), cut < 0


class _Field:
    """One `key: value` of a block mapping, with the lines it takes."""

    __slots__ = ("key", "value", "first", "last", "kind", "fields")

    def __init__(self, key: Any, value: Any, first: int, last: int, kind: str, fields: Any):
        self.key = key
        self.value = value
        self.first = first
        self.last = last
        self.kind = kind  # "line", "block" or "other", as in `compass.state.index.FieldSpan`
        self.fields: list[_Field] | None = fields  # a nested mapping's own fields


class _Reader:
    def __init__(self, text: str):
        self.lines = text.split("\n")
        self.n = len(self.lines)

    def next_content(self, i: int) -> int:
        """The first line at or after `i` that is not empty and not a comment."""
        lines = self.lines
        while i < self.n:
            line = lines[i]
            if line:
                s = line.lstrip(" ")
                if not s:
                    raise NotPlain  # a line of only spaces: YAML's rules for it are subtle
                if s[0] != "#":
                    return i
            i += 1
        return i

    def block(self, i: int, parent: int, explicit: int | None, strip: bool) -> tuple[str, int]:
        """The literal block whose header ends line i: (text, its last content line)."""
        lines, n = self.lines, self.n
        k = i + 1
        while k < n and not lines[k]:
            k += 1
        if k >= n:
            return "", i
        first = lines[k]
        width = len(first) - len(first.lstrip(" "))
        if not first.strip(" "):
            raise NotPlain
        indent = parent + explicit if explicit is not None else width
        if width <= parent or width < indent:
            return "", i  # no content: the block is empty
        pad = " " * indent
        last = i
        k = i + 1
        while k < n:
            line = lines[k]
            if line:
                if not line.startswith(pad):
                    break
                if not line.strip(" "):
                    raise NotPlain
                last = k
            k += 1
        text = "\n".join(line[indent:] for line in lines[i + 1 : last + 1])
        return (text if strip else text + "\n"), last

    def mapping(self, i: int, indent: int, depth: int = 0) -> tuple[list[_Field], int]:
        """The fields of the block mapping with keys at column `indent` from line i, and the
        line after it. A state file nests four deep (knooppunten, slug, perspectives, role):
        anything much deeper is not the plain layout (and must not exhaust the stack)."""
        if depth > MAX_DEPTH:
            raise NotPlain
        lines = self.lines
        out: list[_Field] = []
        seen: set[Any] = set()
        while True:
            i = self.next_content(i)
            if i >= self.n:
                return out, i
            line = lines[i]
            width = len(line) - len(line.lstrip(" "))
            if width < indent:
                return out, i
            if width > indent:
                raise NotPlain
            m = _KEY.match(line)
            if m is None:
                raise NotPlain
            key = _key(m.group(2))
            if key in seen:
                raise NotPlain  # the general parser names both lines
            seen.add(key)
            rest = (m.group(3) or "").rstrip(" ")
            first = i
            fields = None
            if not rest or rest[0] == "#":
                nxt = self.next_content(i + 1)
                child = len(lines[nxt]) - len(lines[nxt].lstrip(" ")) if nxt < self.n else 0
                if child > indent:
                    fields, i = self.mapping(nxt, child, depth + 1)
                    value: Any = {f.key: f.value for f in fields}
                    last, kind = fields[-1].last, "other"
                else:
                    value, last, i = None, i, i + 1
                    kind = "other" if rest else "line"
            elif rest[0] == "|":
                b = _BLOCK.match(rest)
                if b is None:
                    raise NotPlain
                digit = b.group(1) or b.group(3)
                strip = b.group(2) is not None or b.group(3) is not None
                value, last = self.block(i, indent, int(digit) if digit else None, strip)
                i = last + 1
                kind = "other" if "#" in rest else "block"
            elif rest[0] in "&*!>[]{}%@`-?,|#":
                raise NotPlain
            else:
                value, alone = _scalar(rest)
                last, i = i, i + 1
                kind = "line" if alone else "other"
            out.append(_Field(key, value, first, last, kind, fields))


def _span(lines: list[str], entry: _Field) -> EntrySpan:
    """An indexed entry's span: its fields' lines relative to its `slug:` line."""
    assert entry.fields
    first_line = lines[entry.fields[0].first]
    col = len(first_line) - len(first_line.lstrip(" "))
    start = entry.first
    fields = tuple(
        FieldSpan(str(f.key), f.first - start, f.last - start, f.kind) for f in entry.fields
    )
    return EntrySpan(col, fields[-1].last + 1, fields)


def _index(reader: _Reader, top: list[_Field]) -> LineIndex | None:
    """The line index of the `knooppunten` entries, as `compass.state.marks` reads it."""
    km = next((f for f in top if f.key == "knooppunten"), None)
    if km is None or not km.fields:
        return None
    lines = reader.lines
    slug_col = len(lines[km.fields[0].first]) - len(lines[km.fields[0].first].lstrip(" "))
    slugs: list[str] = []
    starts: list[int] = []
    spans: list[EntrySpan] = []
    for entry in km.fields:
        if (
            not entry.fields
            or lines[entry.first].rstrip(" ") != " " * slug_col + str(entry.key) + ":"
        ):
            continue
        slugs.append(str(entry.key))
        starts.append(entry.first)
        spans.append(_span(lines, entry))
    if len(set(slugs)) != len(slugs):
        return None
    return LineIndex(
        slug_col, tuple(slugs), tuple(starts), tuple(spans), {s: i for i, s in enumerate(slugs)}
    )


def quick_load(text: str) -> tuple[dict[Any, Any], LineIndex | None]:
    """The document of `text` as plain dicts and values, with its line index; or NotPlain."""
    if _REFUSE.search(text):
        raise NotPlain
    reader = _Reader(text)
    top, end = reader.mapping(0, 0)
    if not top or end < reader.n:
        raise NotPlain
    return {f.key: f.value for f in top}, _index(reader, top)


def quick_entry(lines: list[str], slug_col: int) -> tuple[Any, Any, EntrySpan | None]:
    """One knooppunt's lines (its `slug:` line first, up to the next entry's) read alone:
    (key, value, its span); NotPlain when they are not exactly one plain entry."""
    text = "\n".join(lines)
    if _REFUSE.search(text):
        raise NotPlain
    reader = _Reader(text)
    fields, end = reader.mapping(0, slug_col)
    if len(fields) != 1 or end < reader.n or fields[0].first != 0:
        raise NotPlain
    entry = fields[0]
    plain = entry.fields and lines[0].rstrip(" ") == " " * slug_col + str(entry.key) + ":"
    return entry.key, entry.value, _span(lines, entry) if plain else None
