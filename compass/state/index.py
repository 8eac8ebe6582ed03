"""Where each knooppunt's lines are in a state file: the line index for fast saves.

Why its own module: the fast save path (`compass.state.fast`) edits the file's text
instead of re-rendering a ruamel document, so it needs to know exactly which lines
hold which field of which knooppunt. That is read once from the parser's own marks
(never guessed from the text), kept with the cached parse, and after a fast save
shifted by the number of lines the change added or removed, instead of re-parsing.

Only entries in the plain layout wijkkompas itself writes are indexed: a block
mapping under `knooppunten`, `slug:` alone on its line, one key per line at one
column. Anything else (flow style, tags, anchors, odd indentation) is simply not
in the index, and a save of it takes the general path. The index is read from the
parser's marks in `compass.state.marks`; this module is only the data, so a cached
index (`compass.state.cache`) comes back without the YAML library.
"""

from __future__ import annotations

from typing import NamedTuple

# NamedTuples, not frozen dataclasses: the index comes from the state cache on every start,
# and a dataclass compiles six methods per class when its module is imported (~0.5 ms each).


class FieldSpan(NamedTuple):
    """One field of an entry; lines are relative to the entry's `slug:` line.

    kind: "line" (key and value alone on one line, nothing after the value),
    "block" (a `|`/`>` header alone after the key, content on the next lines),
    "other" (anything else: left alone by the fast path).
    """

    key: str
    first: int
    last: int
    kind: str


class EntrySpan(NamedTuple):
    """One knooppunt's lines: `length` lines from its `slug:` line, fields at column `col`."""

    col: int
    length: int
    fields: tuple[FieldSpan, ...]

    def field(self, key: str) -> FieldSpan | None:
        for f in self.fields:
            if f.key == key:
                return f
        return None


class LineIndex(NamedTuple):
    """The indexed entries in file order: `starts[i]` is the absolute line of `slugs[i]:`.

    Never changed in place (the store may still hold the old one): `moved` returns a
    new index.
    """

    slug_col: int
    slugs: tuple[str, ...]
    starts: tuple[int, ...]
    spans: tuple[EntrySpan, ...]
    pos: dict[str, int]

    def find(self, slug: str) -> tuple[int, EntrySpan] | None:
        i = self.pos.get(slug)
        return None if i is None else (self.starts[i], self.spans[i])

    def moved(self, slug: str, span: EntrySpan, delta: int) -> LineIndex:
        """The index after entry `slug` became `span` and every later entry moved `delta` lines."""
        i = self.pos[slug]
        starts = (
            self.starts
            if not delta
            else self.starts[: i + 1] + tuple(s + delta for s in self.starts[i + 1 :])
        )
        spans = self.spans[:i] + (span,) + self.spans[i + 1 :]
        return LineIndex(self.slug_col, self.slugs, starts, spans, self.pos)
