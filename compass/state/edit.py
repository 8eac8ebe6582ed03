"""Changing a loaded ruamel document in place without disturbing anything else.

Why its own module: ruamel keeps comments on the value *before* them, so changing a
value's style, adding a key or a whole knooppunt needs care to keep every comment
and blank line where a person put it. This is the general (slow) save path; the
common one-line edits take the text splice in `compass.state.fast`.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.compat import ordereddict
from ruamel.yaml.error import CommentMark
from ruamel.yaml.scalarstring import (
    FoldedScalarString,
    LiteralScalarString,
    SingleQuotedScalarString,
)
from ruamel.yaml.tokens import CommentToken

from ..model import Knooppunt, ProcessPack, Status
from .models import ENTRY_TEMPLATE, ProjectState, note_scalar, text_scalar, timestamp_scalar
from .read import dump_yaml, round_trip_yaml

# --- editing the loaded document without disturbing anything else ---------------------
#
# ruamel keeps the comments and blank lines that follow a value on that value ("post"
# comment, slot 2 of the mapping's comment item). The comment above knooppunt N+1 is
# therefore stored on the last value of knooppunt N, and it is written differently
# after a plain scalar (the token starts with the value's own line end) than after a
# literal block (which ends its own line). These helpers take that text off a value
# and put it back in the right form, so a value can change style without moving or
# losing anyone's comments.


def _is_block(v: Any) -> bool:
    return isinstance(v, (LiteralScalarString, FoldedScalarString))


def _raw_set(m: CommentedMap, key: Any, value: Any) -> None:
    """Set without ruamel's habit of forcing the old string style onto the new value."""
    ordereddict.__setitem__(m, key, value)
    m._ok.add(key)


@dataclass
class _Trailer:
    """What follows a value on its line (`# eol`) and on the lines after it."""

    eol: str = ""
    eol_col: int = 0
    after: str = ""


def _take_trailer(m: CommentedMap, key: Any) -> _Trailer:
    item = m.ca.items.get(key)
    out = _Trailer()
    if not item:
        return out
    if len(item) > 3 and item[3]:  # a comment after a block scalar's `|-` header
        header = "".join(item[3]).strip()
        if header.startswith("#"):
            out.eol, out.eol_col = header, 0
        item[3] = None
    token = item[2] if len(item) > 2 else None
    item[2] = None
    if token is None:
        return out
    text, col = token.value, token.column
    if _is_block(m[key]):
        out.after = " " * col + text if text.startswith("#") else text
    elif text.startswith("#"):
        eol, _, out.after = text.partition("\n")
        out.eol, out.eol_col = eol, col
    else:
        out.after = text.partition("\n")[2]
    return out


def _put_trailer(m: CommentedMap, key: Any, t: _Trailer) -> None:
    item = m.ca.items.setdefault(key, [None, None, None, None])
    while len(item) < 4:
        item.append(None)
    if _is_block(m[key]):
        if t.eol:
            item[3] = ["  " + t.eol]
        if t.after:
            if t.after.startswith("\n"):
                item[2] = _token(t.after, 0)
            else:
                body = t.after.lstrip(" ")
                item[2] = _token(body, len(t.after) - len(body))
    elif t.eol:
        item[2] = _token(t.eol + "\n" + t.after, max(t.eol_col, 0))
    elif t.after:
        item[2] = _token("\n" + t.after, 0)
    if not any(item):
        del m.ca.items[key]


def _token(value: str, column: int) -> CommentToken:
    return CommentToken(value, CommentMark(column))


def _last_leaf(m: CommentedMap) -> tuple[CommentedMap, Any] | None:
    """The innermost mapping and key holding the last scalar of `m` (where trailers live)."""
    while len(m):
        key = next(reversed(m))
        v = m[key]
        if isinstance(v, CommentedMap) and len(v) and not v.fa.flow_style():
            m = v
            continue
        if isinstance(v, (CommentedMap, CommentedSeq)) and len(v):
            return None
        return m, key
    return None


def _add_key(m: CommentedMap, key: str, value: Any) -> None:
    """Add a key: before `note` (which stays last, it is the long one), else at the end.

    At the end, whatever followed the old last value (the next knooppunt's comment,
    blank lines) moves down to follow the new one.
    """
    if key != "note" and "note" in m:
        m.insert(list(m).index("note"), key, value)
        return
    leaf = _last_leaf(m) if len(m) else None
    if leaf is None and len(m):  # ends in a list: leave its comments where they are
        m.insert(len(m) - 1, key, value)
        return
    trailer = _take_trailer(*leaf) if leaf is not None else _Trailer()
    if leaf is not None:
        _put_trailer(leaf[0], leaf[1], _Trailer(eol=trailer.eol, eol_col=trailer.eol_col))
    _raw_set(m, key, value)
    new_leaf = _last_leaf(m)
    if new_leaf is not None:
        _put_trailer(new_leaf[0], new_leaf[1], _Trailer(after=trailer.after))


def _set_scalar(m: CommentedMap, key: str, value: Any) -> None:
    """Set a value in place, keeping the comments around it where they are."""
    if key not in m:
        _add_key(m, key, value)
        return
    old = m[key]
    if _is_block(old) == _is_block(value) and not isinstance(old, (CommentedMap, CommentedSeq)):
        _raw_set(m, key, value)
        return
    trailer = _take_trailer(m, key)
    _raw_set(m, key, value)
    _put_trailer(m, key, trailer)


def _replace_with_map(m: CommentedMap, key: Any, new: CommentedMap) -> None:
    """Replace a null/scalar value by a mapping, moving what followed it to the mapping's end."""
    trailer = _take_trailer(m, key)
    _raw_set(m, key, new)
    leaf = _last_leaf(new)
    if leaf is not None:
        _put_trailer(leaf[0], leaf[1], _Trailer(after=trailer.after))


def _block_map(
    m: CommentedMap,
    key: Any,
    add: Callable[[CommentedMap], None],
    initial: dict[str, Any] | None = None,
) -> CommentedMap:
    """The mapping under `key` in block style; made from `initial` when there is none.

    A key with a null or scalar value is replaced in place; a missing key is added by `add`.
    """
    value = m.get(key)
    if isinstance(value, CommentedMap):
        if value.fa.flow_style():
            value.fa.set_block_style()
        return value
    new = CommentedMap(initial or {})
    if key in m:
        _replace_with_map(m, key, new)
    else:
        add(new)
    return new


def _new_entry() -> CommentedMap:
    e = CommentedMap()
    for key in ENTRY_TEMPLATE:
        e[key] = {"status": "todo", "due": None}.get(key, SingleQuotedScalarString(""))
    return e


def _child_indent(m: CommentedMap, default: str) -> str:
    for key in m:
        try:
            return " " * int(m.lc.key(key)[1])
        except (AttributeError, KeyError, TypeError):
            break
    return default


def _entry_map(doc: CommentedMap, pack: ProcessPack, k: Knooppunt, indent: int) -> CommentedMap:
    """The mapping for knooppunt `k`, created in process order (with its title comment) if
    absent."""
    km = _block_map(doc, "knooppunten", lambda new: doc.__setitem__("knooppunten", new))
    value = km.get(k.slug)
    if isinstance(value, CommentedMap):
        if value.fa.flow_style():
            value.fa.set_block_style()
        return value
    entry = _new_entry()
    if k.slug in km:  # `slug:` with nothing under it
        _replace_with_map(km, k.slug, entry)
        return entry
    pad = _child_indent(km, " " * indent)
    title = f"{pad}# {k.number}. {k.title}\n"
    keys = list(km)
    before = [
        i
        for i, key in enumerate(keys)
        if (o := pack.by_slug(str(key))) is not None and o.number < k.number
    ]
    pos = before[-1] + 1 if before else 0
    if pos == 0:
        km.insert(0, k.slug, entry)
        # the title goes above the new first entry; what stood there moves below it
        old = (
            km.ca.comment[1]
            if km.ca.comment and len(km.ca.comment) > 1 and km.ca.comment[1]
            else []
        )
        above = "".join(
            " " * t.column + t.value if t.value.startswith("#") else t.value for t in old
        )
        token = [_token(title.lstrip(" "), len(pad))]
        km.ca.comment = [None, token]
        item = doc.ca.items.setdefault("knooppunten", [None, None, None, None])
        item[3] = token
        leaf = _last_leaf(entry)
        if leaf is not None and above:
            _put_trailer(leaf[0], leaf[1], _Trailer(after=above))
        return entry
    prev = km[keys[pos - 1]]
    leaf = _last_leaf(prev) if isinstance(prev, CommentedMap) else (km, keys[pos - 1])
    km.insert(pos, k.slug, entry)
    if leaf is not None:
        trailer = _take_trailer(*leaf)
        _put_trailer(
            leaf[0], leaf[1], _Trailer(eol=trailer.eol, eol_col=trailer.eol_col, after=title)
        )
        new_leaf = _last_leaf(entry)
        if new_leaf is not None:
            _put_trailer(new_leaf[0], new_leaf[1], _Trailer(after=trailer.after))
    return entry


# --- splicing: keep a person's formatting outside the change ----------------------------


def splice_unchanged(original: str, base: str, changed: str) -> str | None:
    """Apply the change `base` -> `changed` (both ruamel's rendering) onto `original`.

    Used when ruamel would re-format lines a person wrote by hand: the lines ruamel
    changes only cosmetically stay as the person wrote them, only the changed lines
    are taken from ruamel. None when the change cannot be placed unambiguously.
    """
    o, b, c = (s.splitlines(keepends=True) for s in (original, base, changed))
    to_orig: dict[int, int] = {}
    for block in difflib.SequenceMatcher(None, b, o, autojunk=False).get_matching_blocks():
        for i in range(block.size):
            to_orig[block.a + i] = block.b + i
    out: list[str] = []
    cursor = 0
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, b, c, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        # the region of `original` that b[i1:i2] stands for; lines only the original has
        # (a `...` end marker, say) stay outside it
        if i1 in to_orig and i1 < i2:
            start = to_orig[i1]
        elif i1 > 0 and i1 - 1 in to_orig:
            start = to_orig[i1 - 1] + 1
        elif i1 == 0:
            start = 0
        else:
            return None
        if i2 > i1 and i2 - 1 in to_orig:
            end = to_orig[i2 - 1] + 1
        elif i2 == i1:
            end = start
        elif i2 < len(b) and i2 in to_orig:
            end = to_orig[i2]
        elif i2 == len(b):
            end = len(o)
        else:
            return None
        if not cursor <= start <= end:
            return None
        out += o[cursor:start] + c[j1:j2]
        cursor = end
    out += o[cursor:]
    return "".join(out)


def same_document(a: str, b: str, indent: int) -> bool:
    """Whether two texts hold the same data and comments (ruamel renders them the same)."""
    try:
        y = round_trip_yaml(indent)
        return dump_yaml(y, y.load(a)) == b
    except Exception:
        return False


# --- the general save: apply a change to the loaded document ---------------------------


def apply_entry(
    doc: CommentedMap,
    pack: ProcessPack,
    state: ProjectState,
    indent: int,
    k: Knooppunt,
    values: dict[str, Any],
    perspectives: dict[str, Status],
    clock: Callable[[], dt.datetime],
    user: str,
) -> bool:
    """Apply what really differs from `state` to `doc`; stamp `updated`/`by` if anything did."""
    current = state.entry(k.slug)
    todo = {key: v for key, v in values.items() if getattr(current, key) != v}
    roles = {r: s for r, s in perspectives.items() if current.perspectives.get(r, None) != s}
    if not todo and not roles:
        return False
    m = _entry_map(doc, pack, k, indent)
    for key, v in todo.items():
        if key == "note":
            _set_scalar(m, key, note_scalar(v))
        elif key == "owner":
            _set_scalar(m, key, text_scalar(v))
        else:
            _set_scalar(m, key, v)
    if roles:
        existing = isinstance(m.get("perspectives"), CommentedMap)
        persp = _block_map(
            m, "perspectives", lambda new: _add_key(m, "perspectives", new), initial=roles
        )
        if existing:
            for role, s in roles.items():
                _set_scalar(persp, role, s)
    _set_scalar(m, "updated", timestamp_scalar(clock()))
    if user or "by" in m:
        _set_scalar(m, "by", text_scalar(user))
    return True


def apply_project(doc: CommentedMap, state: ProjectState, values: dict[str, Any]) -> bool:
    """Apply what really differs in the `project:` fields to `doc`."""
    todo = {key: v for key, v in values.items() if getattr(state.project, key) != v}
    if not todo:
        return False
    p = _block_map(
        doc, "project", lambda new: doc.insert(1 if "schema" in doc else 0, "project", new)
    )
    for key, v in todo.items():
        _set_scalar(p, key, v if key == "started" else text_scalar(v))
    return True
