"""The quick reader (`compass.state.quick`) reads exactly what the general parser reads, or
steps aside.

Property: on files the app writes (with awkward text in them) and on those files
mutated a character or a line at a time, whenever the quick reader accepts a text the
general ruamel parser accepts it too, with the same values, the same types and the same
line index for fast saves; and the checked state and every reported problem are the
same whichever reader ran.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from compass.model import ProcessPack
from compass.problems import ProblemsError
from compass.state import StateStore, create_state
from compass.state.check import parse_document, parse_text
from compass.state.marks import build_index
from compass.state.quick import NotPlain, quick_load
from compass.state.read import load_doc
from compass.state.reread import reread
from compass.state.source import Source, split_endings
from tests.test_state_property import awkward


def plain(v: Any) -> Any:
    """A value with ruamel's subclasses taken off, keeping what the checker looks at."""
    if isinstance(v, dict):
        return {plain(k): plain(x) for k, x in v.items()}
    if isinstance(v, bool):
        return v
    if isinstance(v, int):
        return ("int", int(v))
    if isinstance(v, float):
        return ("float", float(v))
    if isinstance(v, dt.datetime):
        return ("datetime", v.replace(tzinfo=None).isoformat(), v.utcoffset())
    if isinstance(v, dt.date):
        return ("date", v.isoformat())
    if isinstance(v, str):
        return (type(v).__name__ == "BadDate", str(v))
    return v


def source_of(text: str) -> Source:
    body, ending, mixed = split_endings(text)
    return Source(text.encode("utf-8"), body, ending=ending, mixed=mixed)


def outcome(parse: Any, text: str, pack: ProcessPack) -> Any:
    try:
        return parse(source_of(text), pack, "x.yaml").state
    except ProblemsError as exc:
        return [str(p) for p in exc.problems]


def assert_readers_agree(text: str, pack: ProcessPack) -> bool:
    """True when the quick reader accepted `text` (and then agreed in every respect)."""
    try:
        quick, quick_index = quick_load(text)
    except NotPlain:
        accepted = False
    else:
        accepted = True
        nodes: dict[int, Any] = {}
        doc = load_doc("x.yaml", text, 2, nodes)  # must not raise: the text is valid YAML
        assert plain(quick) == plain(doc)
        assert quick_index == build_index(doc, nodes, text)
    assert outcome(parse_text, text, pack) == outcome(parse_document, text, pack)
    return accepted


def apply_edits(store: StateStore, edits: list[tuple[str, int, Any]]) -> None:
    store.fast_saves = len(edits) % 2 == 0  # both save paths write the layout
    for field, number, value in edits:
        try:
            if field == "perspective":
                store.set_perspective(number, value[0], value[1])
            else:
                store.update(number, **{field: value})
        except (ProblemsError, ValueError):  # e.g. a date the file cannot hold
            pass


def written_file(pack: ProcessPack, edits: list[tuple[str, int, Any]]) -> str:
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "wijkkompas.yaml"
        create_state(path, pack, "Snel lezen", gemeente="Deventer")
        apply_edits(StateStore(path, pack, user="Fatima"), edits)
        return path.read_text(encoding="utf-8")


date = st.dates(dt.date(1990, 1, 1), dt.date(2100, 1, 1))
edit = st.one_of(
    st.tuples(st.just("status"), st.integers(1, 12), st.sampled_from(["doing", "done", "stuck"])),
    st.tuples(st.just("note"), st.integers(1, 12), awkward),
    st.tuples(st.just("owner"), st.integers(1, 12), awkward),
    st.tuples(st.just("due"), st.integers(1, 12), date),
    st.tuples(st.just("bookmark"), st.integers(1, 12), st.booleans()),
    st.tuples(
        st.just("perspective"),
        st.integers(1, 12),
        st.tuples(st.sampled_from(["gemeente", "bewoners"]), st.sampled_from(["todo", "done"])),
    ),
)

# What a person or a merge does to a file: a YAML-significant character somewhere, a
# line removed, doubled or re-indented, a comment or a hand-written field added.
PIECES = [
    ":", " ", "#", "'", '"', "|", "-", ">", "[", "{", "&", "*", "!", "?", "%", "\t", "\n",
    "\\", "  ", "~", "0", "1", "x", "é", "\r",
]  # fmt: skip
LINES = [
    "# opmerking",
    "  # ingesprongen opmerking",
    "",
    "extra: waarde",
    "  extra: 12",
    "    owner: 'Jan'",
    "    due: 2027-02-30",
    "    due: 15-1-2027",
    "    status: afgerond",
    "    note: |",
    "    note: |-",
    "      vervolg",
    "    updated: 2026-12-03T12:00:00+01:00",
    "    bookmark: yes",
    "    perspectives:",
    "      gemeente: doing",
    "      onbekend: done",
    "  onbekend-knooppunt:",
    "  12:",
    "schema: 2",
    "---",
]


@st.composite
def mutated(draw: st.DrawFn, text: str) -> str:
    lines = text.split("\n")
    for _ in range(draw(st.integers(1, 3))):
        i = draw(st.integers(0, len(lines) - 1))
        kind = draw(st.sampled_from(["char", "delete", "double", "line", "indent", "drop"]))
        line = lines[i]
        if kind == "char":
            at = draw(st.integers(0, len(line)))
            lines[i] = line[:at] + draw(st.sampled_from(PIECES)) + line[at:]
        elif kind == "delete" and line:
            at = draw(st.integers(0, len(line) - 1))
            lines[i] = line[:at] + line[at + 1 :]
        elif kind == "double":
            lines.insert(i, line)
        elif kind == "line":
            lines.insert(i, draw(st.sampled_from(LINES)))
        elif kind == "indent":
            lines[i] = " " * draw(st.integers(0, 3)) + line.lstrip(" ")
        elif kind == "drop":
            del lines[i]
    return "\n".join(lines)


SLOW = settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@SLOW
@given(edits=st.lists(edit, max_size=6))
def test_files_the_app_writes_read_the_same_with_either_reader(
    mini_pack: ProcessPack, edits: list[tuple[str, int, Any]]
) -> None:
    assert_readers_agree(written_file(mini_pack, edits), mini_pack)


# what people usually write: a name or a sentence starting with a letter
ordinary = st.builds(
    str.__add__,
    st.sampled_from("abcXYZéÉ"),
    st.text(alphabet=st.sampled_from("abcXYZ éëï€ 0129 .,;:-()/'\"!?\n"), max_size=40),
)
ordinary_edit = st.one_of(
    st.tuples(st.sampled_from(["note", "owner"]), st.integers(1, 12), ordinary),
    st.tuples(st.just("due"), st.integers(1, 12), date),
    st.tuples(st.just("status"), st.integers(1, 12), st.sampled_from(["doing", "done"])),
    st.tuples(st.just("bookmark"), st.integers(1, 12), st.booleans()),
    st.tuples(
        st.just("perspective"),
        st.integers(1, 12),
        st.tuples(st.sampled_from(["gemeente", "bewoners"]), st.sampled_from(["todo", "done"])),
    ),
)


@SLOW
@given(edits=st.lists(ordinary_edit, max_size=6))
def test_files_with_ordinary_text_never_need_the_general_parser(
    mini_pack: ProcessPack, edits: list[tuple[str, int, Any]]
) -> None:
    text = written_file(mini_pack, edits)
    assert assert_readers_agree(text, mini_pack)
    assert parse_text(source_of(text), mini_pack, "x.yaml").doc is None  # no ruamel document


@SLOW
@given(data=st.data(), edits=st.lists(edit, max_size=4))
def test_mutated_files_read_the_same_or_go_to_the_general_parser(
    mini_pack: ProcessPack, data: st.DataObject, edits: list[tuple[str, int, Any]]
) -> None:
    text = data.draw(mutated(written_file(mini_pack, edits)))
    assert_readers_agree(text, mini_pack)


@pytest.mark.parametrize(
    "text",
    [
        "schema: 1\nknooppunten: {knooppunt-1: {status: done}}\n",
        "schema: 1\nproject: &p\n  name: x\n",
        "schema: 1\nproject:\n  name: !!str 12\n",
        "schema: 1\nproject:\n  name: 'twee\n    regels'\n",
        'schema: 1\nproject:\n  name: "bel\\a"\n',
        "schema: 1\nknooppunten:\n  knooppunt-1:\n    note: >\n      gevouwen\n",
        "schema: 1\nknooppunten:\n- knooppunt-1\n",
        "schema: 1\nproject:\n  name: 010\n",
        "schema: 1\nproject:\n  name: 1e3\n",
        "schema: 1\nproject:\n  name: Jan\n    de Vries\n",
        "schema: 1\nschema: 1\n",
        "%YAML 1.1\n---\nschema: 1\n",
        "schema: 1\nproject:\n\tname: x\n",
        "schema: 1\nproject:\n  name: x\n  \n",
        "",
        "# alleen commentaar\n",
    ],
)
def test_the_quick_reader_steps_aside_for_anything_but_the_plain_layout(
    mini_pack: ProcessPack, text: str
) -> None:
    with pytest.raises(NotPlain):
        quick_load(text)
    assert outcome(parse_text, text, mini_pack) == outcome(parse_document, text, mini_pack)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("yes", "yes"),
        ("no", "no"),
        ("on", "on"),
        ("true", True),
        ("False", False),
        ("12", 12),
        ("~", None),
        ("", None),
        ("2027-01-15", dt.date(2027, 1, 15)),
        ("'12'", "12"),
        ("'it''s'", "it's"),
        ('"x"', "x"),
        ("Jan  # eigenaar", "Jan"),
        ("a#b", "a#b"),
    ],
)
def test_plain_values_are_typed_as_yaml_1_2_reads_them(value: str, expected: Any) -> None:
    text = f"a: {value}\n"
    quick, _ = quick_load(text)
    assert quick == {"a": expected}
    assert plain(quick) == plain(load_doc("x.yaml", text))


def test_the_bundled_demo_is_read_without_ruamel(bundled_pack: ProcessPack, tmp_path: Path) -> None:
    from compass.state import demo_copy

    path = demo_copy(tmp_path)
    text = path.read_text(encoding="utf-8")
    assert assert_readers_agree(text, bundled_pack)


# --- reading a changed file again from its last parse (`compass.state.reread`) ----------------


def parse_of(text: str, pack: ProcessPack) -> Any:
    try:
        return parse_text(source_of(text), pack, "x.yaml")
    except ProblemsError:
        return None


@SLOW
@given(
    data=st.data(),
    before=st.lists(edit, max_size=3),
    outside=st.lists(edit, min_size=1, max_size=2),
    by_hand=st.booleans(),
)
def test_a_file_read_again_from_its_last_parse_reads_as_a_whole_read(
    mini_pack: ProcessPack,
    data: st.DataObject,
    before: list[tuple[str, int, Any]],
    outside: list[tuple[str, int, Any]],
    by_hand: bool,
) -> None:
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "wijkkompas.yaml"
        create_state(path, mini_pack, "Opnieuw lezen")
        apply_edits(StateStore(path, mini_pack, user="Anna"), before)
        old = parse_of(path.read_text(encoding="utf-8"), mini_pack)
        if by_hand:  # a person's editor, a git merge
            text = data.draw(mutated(path.read_text(encoding="utf-8")))
        else:  # a colleague's `wijkkompas set`, a workshop participant
            apply_edits(StateStore(path, mini_pack, user="Bram"), outside)
            text = path.read_text(encoding="utf-8")
    new = parse_of(text, mini_pack)
    if old is None:
        return
    again = reread(old, source_of(text), mini_pack, "x.yaml")
    if again is not None:
        assert new is not None, "a file with a problem must be read whole, to position it"
        assert again.state == new.state
        assert again.index == new.index


def test_one_changed_knooppunt_is_read_alone(mini_pack: ProcessPack, tmp_path: Path) -> None:
    path = tmp_path / "wijkkompas.yaml"
    create_state(path, mini_pack, "Opnieuw lezen")
    old = parse_of(path.read_text(encoding="utf-8"), mini_pack)
    StateStore(path, mini_pack, user="Bram").update(5, status="doing", note="Eerste\nTweede")
    text = path.read_text(encoding="utf-8")
    again = reread(old, source_of(text), mini_pack, "x.yaml")
    assert again is not None
    entry = again.state.entry("knooppunt-5")
    assert (entry.status, entry.note, entry.by) == ("doing", "Eerste\nTweede", "Bram")
    assert again.index == parse_of(text, mini_pack).index
    # a problem in the changed entry: not read alone, so the whole read can position it
    broken = text.replace("status: doing", "status: klaar")
    assert reread(old, source_of(broken), mini_pack, "x.yaml") is None


@pytest.mark.parametrize(
    "value",
    [
        '"a\'\\":"',  # a name ending in a colon with both quotes: ruamel escapes the "
        '"pad\\\\naar\\\\huis"',
        '"regel\\neen\\tmet tab"',
        '"\\u00e9\\x41\\U0001F600\\/"',
        '"# geen commentaar" # wel commentaar',
    ],
)
def test_double_quoted_text_with_common_escapes_stays_on_the_quick_path(
    mini_pack: ProcessPack, value: str
) -> None:
    text = f"schema: 1\nproject:\n  name: {value}\n"
    assert assert_readers_agree(text, mini_pack)
