"""Reading a changed file again from its last parse, when only one knooppunt's lines changed.

Why it exists: in a workshop every session reloads the file after every change, and a
save re-reads it inside the lock after someone else's change. Nearly always one
entry changed (a `set`, a participant's status), so reading the whole file again is
wasted: this finds the changed lines by comparing the old and new text (in C, by
slices), and when they lie inside one indexed entry (`compass.state.index`) it reads
just that entry again with the quick reader and checks it alone. The rest of the
state and the line index carry over, shifted by the lines added or removed.

Anything else (a change across entries, in the header, in the last entry, in a file
without a line index, or an entry with a problem) returns None, and the caller reads
the whole file, which also positions every problem.
"""

from __future__ import annotations

from bisect import bisect_right

from ..model import ProcessPack
from .check import Checker
from .models import ProjectState
from .quick import NotPlain, quick_entry
from .source import Parsed, Source


def _common_prefix(a: str, b: str) -> int:
    """Length of the common prefix of a and b, by halving slices (each compare runs in C)."""
    lo, hi = 0, min(len(a), len(b))
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if a[lo:mid] == b[lo:mid]:
            lo = mid
        else:
            hi = mid - 1
    return lo


def _common_suffix(a: str, b: str, limit: int) -> int:
    lo, hi = 0, min(len(a), len(b), limit)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if a[len(a) - mid : len(a) - lo] == b[len(b) - mid : len(b) - lo]:
            lo = mid
        else:
            hi = mid - 1
    return lo


def reread(old: Parsed, source: Source, pack: ProcessPack, name: str) -> Parsed | None:
    """The checked parse of `source`, built from `old` when one entry's lines changed; or None."""
    index = old.index
    if index is None:
        return None
    was, now = old.source.text, source.text
    if was == now:
        return Parsed(source, None, old.state, old.indent, index)
    head = _common_prefix(was, now)
    tail = _common_suffix(was, now, min(len(was), len(now)) - head)
    first = was.count("\n", 0, head)  # the first changed line (old and new numbering)
    removed = was.count("\n", head, len(was) - tail)
    delta = now.count("\n", head, len(now) - tail) - removed  # lines added
    i = bisect_right(index.starts, first) - 1
    if i < 0 or i + 1 >= len(index.starts) or first <= index.starts[i]:
        return None  # before the first entry, in the last one, or on a `slug:` line
    start, end = index.starts[i], index.starts[i + 1]  # the entry and what follows it
    if first + removed >= end:
        return None  # reaches the next entry
    # the new text of lines start .. end + delta - 1, found from the change, not by splitting
    # the whole text: back from the first change to the entry's `slug:` line, and forward
    # from the change's end to the next entry's
    lo = now.rfind("\n", 0, head) + 1
    for _ in range(first - start):
        lo = now.rfind("\n", 0, lo - 1) + 1
    hi = len(now) - tail
    for _ in range(end - (first + removed)):
        hi = now.find("\n", hi) + 1
        if hi == 0:
            return None
    lines = now[lo : hi - 1].split("\n")
    try:
        key, value, span = quick_entry(lines, index.slug_col)
    except NotPlain:
        return None
    slug = index.slugs[i]
    if key != slug or span is None:
        return None
    checker = Checker(name, pack)
    entry = checker.entry({slug: value}, slug, value)
    if entry is None or checker.problems:
        return None
    assert old.state is not None
    entries = dict(old.state.entries)
    entries[slug] = entry
    state = ProjectState(schema=old.state.schema, project=old.state.project, entries=entries)
    return Parsed(source, None, state, old.indent, index.moved(slug, span, delta))
