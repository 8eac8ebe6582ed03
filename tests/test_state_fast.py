"""The fast save path (compass/state_fast.py) and the store's parse cache.

The fast path must write exactly the bytes the general (ruamel) path writes, take
the general path for anything unusual, and the cached parse must never be reused
for other bytes or left half-changed by a failed save.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import compass.state.fast as state_fast_module
import compass.state.store as state_module
from compass.model import ProcessPack
from compass.problems import InvalidInput
from compass.state import StateStore, create_state, load_state, validate_state
from tests.test_state_property import awkward, status

TZ = dt.timezone(dt.timedelta(hours=1))
NOW = dt.datetime(2026, 11, 25, 14, 30, 0, tzinfo=TZ)

HAND_EDITED = """\
# Handgeschreven bestand
schema: 1
project:
  name: Proef   # eol op project
  gemeente: Utrecht
knooppunten:
  # 1. Eerste
  knooppunt-1:
    status: doing
    owner: Anna
    extra: onbekend veld
    due: 2026-12-01
    # over de notitie
    note: |-
      regel een

      regel drie

  # 2. Tweede
  knooppunt-2:
    status: todo   # eol-commentaar
    note: ''
  knooppunt-3: {status: done}
  knooppunt-4:
    status: todo
    owner: ''
    perspectives:
      bewoners: doing
    note: ''
  knooppunt-5:
    status: todo
    note: ''
        # dieper commentaar na de laatste waarde
  knooppunt-6:
    status: stuck
    owner: Bob
    note: |-
      laatste
onbekend_bovenaan: true
"""


def clock() -> dt.datetime:
    return NOW


@pytest.fixture()
def spy(monkeypatch):
    """Records whether each save took the fast path."""
    used: list[bool] = []
    original = state_fast_module.fast_update

    def wrapped(*args, **kwargs):
        result = original(*args, **kwargs)
        used.append(result is not None)
        return result

    monkeypatch.setattr(state_fast_module, "fast_update", wrapped)
    return used


def pair(tmp_path: Path, pack: ProcessPack, text: str | None = None, raw: bytes | None = None):
    """Two identical files: one saved by a store with the fast path, one without."""
    stores = []
    for name, fast in (("fast.yaml", True), ("slow.yaml", False)):
        path = tmp_path / name
        if raw is not None:
            path.write_bytes(raw)
        elif text is not None:
            path.write_text(text, encoding="utf-8")
        else:
            create_state(path, pack, "Vergelijk", started=dt.date(2026, 11, 1))
        store = StateStore(path, pack, user="tester", clock=clock)
        store.fast_saves = fast
        stores.append(store)
    return stores


def same_edit(a: StateStore, b: StateStore, ref, **fields) -> None:
    a.update(ref, **fields)
    b.update(ref, **fields)
    assert a.path.read_bytes() == b.path.read_bytes()
    assert validate_state(a.path, a.pack) == []
    assert load_state(a.path, a.pack) == a.state == b.state


EDITS = [
    (1, {"status": "done"}),
    (2, {"status": "doing", "note": "eerste\ntweede"}),
    (2, {"note": ""}),
    (3, {"owner": "yes", "due": "2026-02-03", "bookmark": True}),
    (3, {"due": None, "bookmark": False}),
    (2, {"note": "  begint met spaties"}),
    (4, {"owner": "a: b", "note": "# geen commentaar\n\n  ingesprongen"}),
    (12, {"note": "laatste\n\nblok"}),
    (12, {"status": "skipped", "note": "korter"}),
]


def test_fast_path_writes_what_the_general_path_writes(tmp_path, mini_pack, spy):
    a, b = pair(tmp_path, mini_pack)
    for ref, fields in EDITS:
        same_edit(a, b, ref, **fields)
    assert spy and all(spy), "the common edits of a fresh file take the fast path"


def test_hand_edited_file_same_bytes_either_way(tmp_path, mini_pack, spy):
    a, b = pair(tmp_path, mini_pack, HAND_EDITED)
    same_edit(a, b, 1, status="done", note="nieuw\n\nmet lege regel")
    same_edit(a, b, 1, owner="Bea", due="2027-01-01")
    same_edit(a, b, 2, status="done")  # eol comment on status: general path
    same_edit(a, b, 3, status="stuck")  # flow-style entry: general path
    same_edit(a, b, 4, status="doing", note="x")
    same_edit(a, b, 5, note="blok dat het diepere commentaar zou inslikken")
    same_edit(a, b, 6, note="nog steeds de laatste\nregel")
    text = a.path.read_text(encoding="utf-8")
    for kept in (
        "# Handgeschreven bestand",
        "name: Proef   # eol op project",
        "extra: onbekend veld",
        "# over de notitie",
        "status: done   # eol-commentaar",
        "# dieper commentaar na de laatste waarde",
        "onbekend_bovenaan: true",
    ):
        assert kept in text
    assert spy[:2] == [True, True] and False in spy


@pytest.mark.parametrize(
    "raw",
    [
        lambda t: t.replace("\n", "\r\n").encode(),
        lambda t: b"\xef\xbb\xbf" + t.encode(),
    ],
)
def test_crlf_and_bom_kept(tmp_path, mini_pack, spy, raw):
    a, b = pair(tmp_path, mini_pack, raw=raw(HAND_EDITED))
    same_edit(a, b, 1, status="done", note="een\ntwee")
    same_edit(a, b, 6, owner="Cor")
    assert all(spy)


def test_no_op_is_byte_identical_and_not_written(tmp_path, mini_pack):
    path = tmp_path / "s.yaml"
    path.write_text(HAND_EDITED, encoding="utf-8")
    store = StateStore(path, mini_pack, user="tester", clock=clock)
    before = os.stat(path)
    store.update(1, status="doing", owner="Anna")
    assert not store.changed and path.read_text(encoding="utf-8") == HAND_EDITED
    assert os.stat(path).st_ino == before.st_ino


def test_outside_change_is_seen_inside_the_lock(tmp_path, mini_pack):
    path = tmp_path / "s.yaml"
    create_state(path, mini_pack, "Samen")
    one = StateStore(path, mini_pack, user="een", clock=clock)
    two = StateStore(path, mini_pack, user="twee", clock=clock)
    one.update(1, status="done")  # both now hold a cached parse
    two.update(2, status="doing")
    one.update(3, note="van een")  # `one`'s cache is stale: must re-read, not overwrite knooppunt 2
    two.update(1, owner="Twee")
    state = load_state(path, mini_pack)
    assert (state.status("knooppunt-1"), state.status("knooppunt-2")) == ("done", "doing")
    assert (
        state.entry("knooppunt-3").note == "van een" and state.entry("knooppunt-1").owner == "Twee"
    )
    # a hand edit between saves (same size, so only the bytes tell)
    text = path.read_text(encoding="utf-8").replace("status: doing", "status: stuck")
    path.write_text(text, encoding="utf-8")
    one.update(4, status="done")
    assert load_state(path, mini_pack).status("knooppunt-2") == "stuck"


def test_failed_write_leaves_file_and_cache_good(tmp_path, mini_pack, monkeypatch):
    path = tmp_path / "s.yaml"
    create_state(path, mini_pack, "Schijf vol")
    store = StateStore(path, mini_pack, user="tester", clock=clock)
    store.update(1, status="done")
    before = path.read_bytes()

    def full(*_args, **_kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(state_module, "write_atomic", full)
    with pytest.raises(InvalidInput):
        store.update(2, status="doing", note="gaat verloren")
    with pytest.raises(InvalidInput):
        store.update_project(name="Andere naam")  # the general path, on the cached document
    assert path.read_bytes() == before
    monkeypatch.undo()
    store.update(3, status="stuck")
    state = load_state(path, mini_pack)
    assert state.status("knooppunt-2") == "todo" and state.project.name == "Schijf vol"
    assert state.status("knooppunt-1") == "done" and state.status("knooppunt-3") == "stuck"


def test_general_path_after_fast_saves(tmp_path, mini_pack, spy):
    a, b = pair(tmp_path, mini_pack)
    same_edit(a, b, 1, status="done")
    for store in (a, b):
        store.set_perspective(1, "bewoners", "doing")
        store.update_project(wijk="Noord")
    assert a.path.read_bytes() == b.path.read_bytes()
    same_edit(a, b, 1, note="na perspectief")


def test_bookmark_toggle_fast(tmp_path, mini_pack, spy):
    a, b = pair(tmp_path, mini_pack)
    for _ in range(2):
        a.toggle_bookmark(5)
        b.toggle_bookmark(5)
        assert a.path.read_bytes() == b.path.read_bytes()
    assert a.state.entry("knooppunt-5").bookmark is False and all(spy)


fast_edit = st.one_of(
    st.tuples(st.just("status"), st.integers(1, 12), status),
    st.tuples(st.just("note"), st.integers(1, 12), awkward),
    st.tuples(st.just("owner"), st.integers(1, 12), awkward),
    st.tuples(
        st.just("due"), st.integers(1, 12), st.sampled_from(["", "2026-12-31", "2027-01-02"])
    ),
    st.tuples(st.just("bookmark"), st.integers(1, 12), st.booleans()),
)


@settings(max_examples=40, deadline=None)
@given(edits=st.lists(fast_edit, min_size=1, max_size=6), hand=st.booleans())
def test_random_edits_same_bytes_as_general_path(mini_pack: ProcessPack, edits, hand: bool) -> None:
    with tempfile.TemporaryDirectory() as d:
        a, b = pair(Path(d), mini_pack, HAND_EDITED if hand else None)
        for field, number, value in edits:
            results = []
            for store in (a, b):
                try:
                    store.update(number, **{field: value})
                    results.append(None)
                except InvalidInput as exc:  # an unknown status: both must refuse
                    results.append(str(exc).replace("fast.yaml", "").replace("slow.yaml", ""))
            assert results[0] == results[1]
            assert a.path.read_bytes() == b.path.read_bytes()
        assert validate_state(a.path, mini_pack) == []
        assert load_state(a.path, mini_pack) == a.state


def test_a_note_with_leading_spaces_never_swallows_the_comment_after_it(mini_pack) -> None:
    """`|2-` sets the note's indent below what its lines show: a comment at 8 spaces after it
    would become part of the note. Both save paths agree, and the comment stays a comment."""
    with tempfile.TemporaryDirectory() as d:
        a, b = pair(Path(d), mini_pack, HAND_EDITED)
        for store in (a, b):
            store.update(5, note="   #")
        assert a.path.read_bytes() == b.path.read_bytes()
        assert load_state(a.path, mini_pack).entry("knooppunt-5").note == "   #"
        assert "# dieper commentaar na de laatste waarde" in a.path.read_text(encoding="utf-8")
