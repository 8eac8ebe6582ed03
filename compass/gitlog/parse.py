"""Parsing every version of a state file in its history, quickly.

Why not simply `parse_text` for each: a full round-trip parse costs ~40 ms at 91
knooppunten, so a history of 1,000 commits would take 40 s. Almost every commit
changes a few lines of one or two knooppunten. So, like the fast save path
(`compass.state.fast`), a version is read as the previous good version plus the
changed entries alone: the lines that differ are found by comparing the texts from
both ends, the entries around them (from the previous version's line index) are
parsed and checked on their own with the same loader and checker, and the rest of
the state is taken over. Anything unusual (a change outside the knooppunten, an
anchor or alias, a duplicate slug, a problem of any kind) takes the full
`parse_text`, which also gives the exact `FILE:LINE:COL` of a problem.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from ruamel.yaml.comments import CommentedMap

from ..model import ProcessPack
from ..problems import ProblemsError
from ..state.check import Checker, parse_text
from ..state.index import EntrySpan, LineIndex
from ..state.marks import entry_span
from ..state.models import Entry
from ..state.read import load_doc
from ..state.source import Parsed, decode_source

_ANCHOR_OR_ALIAS = re.compile(r"(^|[\s\[{,:-])[&*!]")


class VersionParser:
    """Parses the versions of one file in order, each from the last good one when it can."""

    def __init__(self, pack: ProcessPack, name: str) -> None:
        self.pack = pack
        self.name = name
        self.last: Parsed | None = None
        self._entries = 0  # how many keys `knooppunten` had in the last good version
        self.full_parses = 0  # how many versions took the full parse (tests, benchmarks)

    def parse(self, raw: bytes, name: str | None = None) -> Parsed:
        """The checked version; raises ProblemsError with its problems (the last good version
        stays the base for the next one). `name`: the file's name in this version."""
        self.name = name or self.name
        source = decode_source(raw, self.name)
        parsed = self._incremental(source.text) if self.last is not None else None
        if parsed is None:
            self.full_parses += 1
            parsed = parse_text(source, self.pack, self.name)
            # every key under `knooppunten` of a good version is a known slug: one entry each
            self._entries = len(parsed.state.entries)
        else:
            parsed = Parsed(source, None, parsed.state, parsed.indent, parsed.index)
        self.last = parsed
        return parsed

    def _incremental(self, text: str) -> Parsed | None:
        last = self.last
        if last is None or last.index is None or len(last.index.slugs) != self._entries:
            return None
        index = last.index
        old = last.source.text.split("\n")
        new = text.split("\n")
        if old == new:
            return last
        p = 0
        limit = min(len(old), len(new))
        while p < limit and old[p] == new[p]:
            p += 1
        s = 0
        while s < limit - p and old[-1 - s] == new[-1 - s]:
            s += 1
        first_changed, end_changed = p, len(old) - s  # in the old text: [first, end)
        # the entries whose lines (up to the next entry) hold the change
        starts = index.starts
        i = _last_at_or_before(starts, first_changed)
        j = _last_at_or_before(starts, max(end_changed - 1, first_changed))
        if i >= 0 and starts[i] == first_changed:
            # a changed first line may belong to the entry before (a deeper-indented line
            # continues its note): begin the run at that entry's own, unchanged first line
            i -= 1
        if i < 0 or j < 0 or j + 1 >= len(starts):
            return None  # before the first entry, or in the last one (what follows it?)
        chunk_start, chunk_end = starts[i], starts[j + 1]
        if end_changed > chunk_end:
            return None
        delta = len(new) - len(old)
        chunk = new[chunk_start : chunk_end + delta]
        if not chunk or any(_ANCHOR_OR_ALIAS.search(line) for line in chunk):
            return None
        if any(_ANCHOR_OR_ALIAS.search(line) for line in old[chunk_start:chunk_end]):
            return None
        found = self._entries_of(chunk, index.slug_col)
        if found is None:
            return None
        entries, spans = found
        outside = set(index.slugs[:i]) | set(index.slugs[j + 1 :])
        if outside & {slug for slug, _, _ in spans}:
            return None  # a duplicate: the full parse reports it
        removed = set(index.slugs[i : j + 1]) - set(entries)
        state_entries = {k: v for k, v in last.state.entries.items() if k not in removed}
        state_entries.update(entries)
        slugs = index.slugs[:i] + tuple(s for s, _, _ in spans) + index.slugs[j + 1 :]
        new_starts = (
            starts[:i]
            + tuple(chunk_start + at for _, at, _ in spans)
            + tuple(x + delta for x in starts[j + 1 :])
        )
        new_spans = index.spans[:i] + tuple(sp for _, _, sp in spans) + index.spans[j + 1 :]
        new_index = LineIndex(
            index.slug_col, slugs, new_starts, new_spans, {s: n for n, s in enumerate(slugs)}
        )
        self._entries += len(spans) - (j + 1 - i)
        state = replace(last.state, entries=state_entries)
        return Parsed(last.source, None, state, last.indent, new_index)

    def _entries_of(
        self, chunk: list[str], slug_col: int
    ) -> tuple[dict[str, Entry], list[tuple[str, int, EntrySpan]]] | None:
        """The entries of a run of whole entries, each checked alone, with their line spans."""
        nodes: dict[int, Any] = {}
        last = self.last
        assert last is not None
        try:
            doc = load_doc(self.name, "\n".join(chunk) + "\n", last.indent, nodes)
        except ProblemsError:
            return None
        root = nodes.get(id(doc))
        if not isinstance(doc, CommentedMap) or root is None or not doc:
            return None
        checker = Checker(self.name, self.pack)
        entries: dict[str, Entry] = {}
        spans: list[tuple[str, int, EntrySpan]] = []
        for (key_node, value_node), (key, value) in zip(root.value, doc.items(), strict=True):
            if not isinstance(key, str) or self.pack.by_slug(key) is None:
                return None
            entry = checker.entry(doc, key, value)
            span = entry_span(key_node, value_node, chunk, slug_col)
            if entry is None or span is None or checker.problems:
                return None
            entries[key] = entry
            spans.append((key, key_node.start_mark.line, span))
        return entries, spans


def _last_at_or_before(starts: tuple[int, ...], line: int) -> int:
    """The index of the last entry that starts at or before `line` (-1: none)."""
    lo, hi = 0, len(starts)
    while lo < hi:
        mid = (lo + hi) // 2
        if starts[mid] <= line:
            lo = mid + 1
        else:
            hi = mid
    return lo - 1
