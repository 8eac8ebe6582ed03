"""The state file: created complete, edited in place, hand edits kept, bad input reported at its
line.

Every test works on a real file in tmp_path with the 12-knooppunt mini pack.
"""

from __future__ import annotations

import datetime as dt
import difflib
import os
import stat
from pathlib import Path

import pytest
from filelock import FileLock
from ruamel.yaml import YAML

from compass import progress
from compass.model import ProcessPack
from compass.problems import InvalidInput, ProblemsError
from compass.state import (
    ProjectState,
    StateStore,
    create_state,
    demo_copy,
    load_state,
    lock_path,
    normalize_line,
    normalize_note,
    validate_state,
)

ROOT = Path(__file__).resolve().parent.parent
TZ = dt.timezone(dt.timedelta(hours=1))
NOW = dt.datetime(2026, 11, 25, 14, 30, 0, tzinfo=TZ)
STARTED = dt.date(2026, 11, 1)


def clock() -> dt.datetime:
    return NOW


@pytest.fixture
def state_file(tmp_path: Path, mini_pack: ProcessPack) -> Path:
    path = tmp_path / "wijkkompas.yaml"
    create_state(path, mini_pack, "De Maten", gemeente="Apeldoorn", started=STARTED)
    return path


def store_of(path: Path, pack: ProcessPack, user: str = "fatima", **kw) -> StateStore:
    return StateStore(path, pack, user=user, clock=clock, **kw)


def changed_lines(before: str, after: str) -> tuple[set[int], set[int]]:
    """1-based line numbers that differ: (in before, in after)."""
    old, new = set(), set()
    sm = difflib.SequenceMatcher(None, before.splitlines(), after.splitlines(), autojunk=False)
    for tag, i1, i2, j1, j2 in sm.get_opcodes():
        if tag != "equal":
            old.update(range(i1 + 1, i2 + 1))
            new.update(range(j1 + 1, j2 + 1))
    return old, new


def block_lines(text: str, slug: str) -> set[int]:
    """The lines of one knooppunt's mapping: from its key to the line before the next
    comment/key."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip() == f"{slug}:")
    end = start + 1
    while end < len(lines) and (lines[end].startswith("    ") or not lines[end].strip()):
        end += 1
    return set(range(start + 1, end + 1))


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


# --- creating ---------------------------------------------------------------------------


def test_new_file_lists_every_knooppunt_in_process_order(
    state_file: Path, mini_pack: ProcessPack
) -> None:
    text = state_file.read_text(encoding="utf-8")
    assert text.startswith(
        "# Wijkkompas-projectbestand. Bewerk gerust met de hand; `wijkkompas validate` controleert "
        "het.\n"
        "schema: 1\n"
        "project:\n"
        "  name: De Maten\n"
        "  gemeente: Apeldoorn\n"
        "  wijk: ''\n"
        "  started: 2026-11-01\n"
        "knooppunten:\n"
        "  # 1. Knooppunt 1 sociaal fase 1\n"
        "  knooppunt-1:\n"
        "    status: todo\n"
        "    owner: ''\n"
        "    due:\n"
        "    note: ''\n"
        "  # 2. Knooppunt 2 technisch fase 1\n"
        "  knooppunt-2:\n"
    )
    slugs = [
        line.strip().rstrip(":") for line in text.splitlines() if line.startswith("  knooppunt-")
    ]
    assert slugs == [k.slug for k in mini_pack.knooppunten]
    state = load_state(state_file, mini_pack)
    assert state.project.name == "De Maten" and state.project.started == STARTED
    assert state.counts(mini_pack) == {"todo": 12, "doing": 0, "done": 0, "stuck": 0, "skipped": 0}
    assert validate_state(state_file, mini_pack) == []


def test_new_refuses_to_overwrite(state_file: Path, mini_pack: ProcessPack) -> None:
    before = state_file.read_bytes()
    with pytest.raises(InvalidInput, match="bestaat al"):
        create_state(state_file, mini_pack, "Iets anders")
    assert state_file.read_bytes() == before


def test_new_quotes_names_that_yaml_would_read_as_something_else(
    tmp_path: Path, mini_pack: ProcessPack
) -> None:
    path = tmp_path / "p.yaml"
    create_state(path, mini_pack, "yes", gemeente="2026-01-01", wijk="Wijk: Noord # oost")
    p = load_state(path, mini_pack).project
    assert (p.name, p.gemeente, p.wijk) == ("yes", "2026-01-01", "Wijk: Noord # oost")
    assert "name: 'yes'" in path.read_text(encoding="utf-8")


# --- updating in place ------------------------------------------------------------------


def test_update_sets_fields_author_and_time(state_file: Path, mini_pack: ProcessPack) -> None:
    s = store_of(state_file, mini_pack)
    state = s.update(
        "3",
        status="afgerond",
        owner="Fatima",
        due="2026-12-01",
        note="Klaar.\nMet de raad besproken.",
    )
    e = state.entry("knooppunt-3")
    assert (e.status, e.owner, e.due, e.note) == (
        "done",
        "Fatima",
        dt.date(2026, 12, 1),
        "Klaar.\nMet de raad besproken.",
    )
    assert (e.updated, e.by) == (NOW, "fatima")
    assert load_state(state_file, mini_pack).entry("knooppunt-3") == e
    text = state_file.read_text(encoding="utf-8")
    assert "    note: |-\n      Klaar.\n      Met de raad besproken.\n  # 4. " in text
    assert "    updated: 2026-11-25T14:30:00+01:00\n    by: fatima\n" in text


def test_setting_what_is_already_there_writes_nothing(
    state_file: Path, mini_pack: ProcessPack
) -> None:
    s = store_of(state_file, mini_pack)
    s.update("2", status="doing", note="Loopt.  \n", owner="Jan")
    before, st_before = state_file.read_bytes(), os.stat(state_file)
    for fields in (
        {"status": "doing"},
        {"status": "bezig"},
        {"note": "Loopt."},
        {"owner": " Jan "},
        {"due": None},
        {"bookmark": False},
    ):
        s.update("knooppunt-2", **fields)
        assert not s.changed, fields
    s.update("5", status="todo", note="", owner="", due="")
    assert not s.changed
    after = os.stat(state_file)
    assert state_file.read_bytes() == before
    assert (after.st_ino, after.st_mtime_ns) == (st_before.st_ino, st_before.st_mtime_ns)


def test_one_change_touches_only_that_knooppunts_lines(
    state_file: Path, mini_pack: ProcessPack
) -> None:
    s = store_of(state_file, mini_pack)
    for ref, fields in (
        ("7", {"status": "doing"}),
        ("7", {"note": "Twee\nregels"}),
        ("1", {"due": "2027-01-31"}),
        ("12", {"owner": "corporatie", "note": "laatste"}),
        ("7", {"note": ""}),
    ):
        before = state_file.read_text(encoding="utf-8")
        slug = mini_pack.resolve(ref).slug
        s.update(ref, **fields)
        after = state_file.read_text(encoding="utf-8")
        old, new = changed_lines(before, after)
        assert old and old <= block_lines(before, slug), (ref, fields)
        assert new <= block_lines(after, slug), (ref, fields)


def test_perspectives_and_bookmarks(state_file: Path, mini_pack: ProcessPack) -> None:
    s = store_of(state_file, mini_pack)
    s.set_perspective("4", "bewoners", "bezig")
    s.set_perspective("4", "Gemeente", "done")
    state = s.toggle_bookmark("9")
    assert state.entry("knooppunt-4").perspectives == {"bewoners": "doing", "gemeente": "done"}
    assert [k.number for k in state.bookmarks(mini_pack)] == [9]
    assert s.toggle_bookmark("9").bookmarks(mini_pack) == []
    with pytest.raises(InvalidInput, match="onbekende partij 'kabouter'"):
        s.set_perspective("4", "kabouter", "done")


def test_update_project(state_file: Path, mini_pack: ProcessPack) -> None:
    s = store_of(state_file, mini_pack)
    before = state_file.read_text(encoding="utf-8")
    state = s.update_project(wijk="Zevenhuizen", started="2026-10-01")
    assert (state.project.wijk, state.project.started) == ("Zevenhuizen", dt.date(2026, 10, 1))
    old, _ = changed_lines(before, state_file.read_text(encoding="utf-8"))
    assert old == {6, 7}


def test_bad_values_are_refused_before_the_file_is_touched(
    state_file: Path, mini_pack: ProcessPack
) -> None:
    s = store_of(state_file, mini_pack)
    before = state_file.read_bytes()
    for ref, fields, message in (
        ("3", {"status": "klaar"}, "onbekende status 'klaar'"),
        ("3", {"due": "2024-02-30"}, "de datum 2024-02-30 bestaat niet"),
        ("3", {"due": "31-12-2026"}, "ongeldige datum"),
        ("99", {"status": "done"}, "onbekend knooppunt '99'"),
        ("knooppunt-33", {"status": "done"}, "bedoel je 'knooppunt-3"),
    ):
        with pytest.raises(InvalidInput, match=message):
            s.update(ref, **fields)
    assert state_file.read_bytes() == before


# --- hand edits survive -------------------------------------------------------------------

HAND_EDITED = """\
# Ons eigen projectbestand.
# Met twee regels commentaar bovenaan.
schema: 1
contact: "Fatima <f@example.org>"   # onbekende sleutel, blijft staan

project:
  name: "De Maten"
  gemeente: 'Apeldoorn'
  budget: [1, 2, 3]
  started: 2026-11-01

knooppunten:
  # 1. eerst
  knooppunt-1:
    note: |-
      Handgeschreven notitie.
      Tweede regel.
    status: done      # al lang klaar
    owner: "Jan"
    extra:
      - a
      - b

  # 2. daarna
  knooppunt-2:
    status: doing
    # commentaar tussen velden
    owner: ''

  knooppunt-3:
  knooppunt-5:
    status: stuck
    note: wacht # geen commentaar, maar tekst? nee: dit is commentaar
# slot
"""


def test_hand_edits_survive_an_update_elsewhere(tmp_path: Path, mini_pack: ProcessPack) -> None:
    path = tmp_path / "hand.yaml"
    path.write_text(HAND_EDITED, encoding="utf-8")
    assert validate_state(path, mini_pack) == []
    s = store_of(path, mini_pack)
    s.update("2", status="done", note="Nu klaar")
    after = path.read_text(encoding="utf-8")
    old, _ = changed_lines(HAND_EDITED, after)
    assert old <= set(range(26, 30)), after
    assert (
        after.replace(
            "    status: done\n    # commentaar tussen velden\n    owner: ''\n    updated: "
            "2026-11-25T14:30:00+01:00\n    by: fatima\n    note: |-\n      Nu klaar\n",
            "    status: doing\n    # commentaar tussen velden\n    owner: ''\n",
        )
        == HAND_EDITED
    )
    state = load_state(path, mini_pack)
    assert state.entry("knooppunt-1").note == "Handgeschreven notitie.\nTweede regel."
    assert state.entry("knooppunt-3").status == "todo"
    assert state.entry("knooppunt-5").note == "wacht"


def test_a_knooppunt_left_empty_or_missing_is_filled_in_place(
    tmp_path: Path, mini_pack: ProcessPack
) -> None:
    path = tmp_path / "hand.yaml"
    path.write_text(HAND_EDITED, encoding="utf-8")
    s = store_of(path, mini_pack)
    s.update("3", status="doing")  # `knooppunt-3:` with nothing under it
    s.update("4", owner="corporatie")  # not in the file at all: goes after knooppunt-3
    s.update("12", status="skipped")  # after the last one, before the closing comment
    text = path.read_text(encoding="utf-8")
    assert "  knooppunt-3:\n    status: doing\n    owner: ''\n    due:\n    updated: " in text
    assert (
        "  # 4. Knooppunt 4 technisch fase 2\n  knooppunt-4:\n    status: todo\n    owner: "
        "corporatie\n" in text
    )
    assert (
        text.index("knooppunt-3:")
        < text.index("knooppunt-4:")
        < text.index("knooppunt-5:")
        < text.index("knooppunt-12:")
    )
    assert text.endswith("    note: ''\n# slot\n")
    assert (
        "    note: wacht # geen commentaar, maar tekst? nee: dit is commentaar\n  # 12. Knooppunt "
        "12" in text
    )
    state = load_state(path, mini_pack)
    assert [state.entry(f"knooppunt-{n}").status for n in (3, 4, 12)] == [
        "doing",
        "todo",
        "skipped",
    ]


def test_a_knooppunt_missing_before_the_first_goes_first(
    tmp_path: Path, mini_pack: ProcessPack
) -> None:
    path = tmp_path / "p.yaml"
    path.write_text(
        "schema: 1\nknooppunten:\n  # 2. de tweede\n  knooppunt-2:\n    status: done\n",
        encoding="utf-8",
    )
    store_of(path, mini_pack).update("1", status="doing")
    text = path.read_text(encoding="utf-8")
    assert (
        text.index("# 1. Knooppunt 1")
        < text.index("knooppunt-1:")
        < text.index("# 2. de tweede")
        < text.index("knooppunt-2:")
    )
    assert load_state(path, mini_pack).entry("knooppunt-2").status == "done"


def test_a_file_without_knooppunten_gets_them(tmp_path: Path, mini_pack: ProcessPack) -> None:
    path = tmp_path / "p.yaml"
    path.write_text("schema: 1\nproject:\n  name: Kaal\n", encoding="utf-8")
    assert load_state(path, mini_pack).counts(mini_pack)["todo"] == 12
    store_of(path, mini_pack).update("6", status="done")
    assert path.read_text(encoding="utf-8").startswith(
        "schema: 1\nproject:\n  name: Kaal\nknooppunten:\n"
    )
    assert load_state(path, mini_pack).entry("knooppunt-6").status == "done"


ODD_BUT_VALID = {
    "no-comment-above-first": (
        "schema: 1\nknooppunten:\n  knooppunt-3:\n    status: done\n",
        "  # 2. Knooppunt 2 technisch fase 1\n  knooppunt-2:",
    ),
    "own-comment-above-first": (
        "schema: 1\nknooppunten:\n  # mijn lijst\n  knooppunt-3:\n    status: done\n",
        "    note: ''\n  # mijn lijst\n  knooppunt-3:\n",
    ),
    "empty-knooppunten": (
        "schema: 1\nknooppunten:\n# eind\n",
        "knooppunten:\n  # 1. Knooppunt 1 sociaal fase 1\n  knooppunt-1:\n",
    ),
    "flow-knooppunten": ("schema: 1\nknooppunten: {}\n# eind\n", "    note: ''\n# eind\n"),
    "flow-entries": (
        "schema: 1\nknooppunten:\n  knooppunt-1: {status: done, note: ''}\n  knooppunt-2: {status: "
        "done}\n",
        "  knooppunt-2:\n    status: done\n    owner: x\n",
    ),
    "empty-last-entry": (
        "schema: 1\nknooppunten:\n  knooppunt-1:\n# eind\n",
        "      b\n  # 2. Knooppunt 2",
    ),
    "flow-perspectives": (
        "schema: 1\nknooppunten:\n  knooppunt-1:\n    perspectives: {gemeente: done}\n",
        "    perspectives:\n      gemeente: done\n      bewoners: done\n",
    ),
    "empty-perspectives": (
        "schema: 1\nknooppunten:\n  knooppunt-1:\n    perspectives:\n  # 2\n  knooppunt-2:\n",
        "      b\n  # 2\n  knooppunt-2:\n",
    ),
    "list-last": (
        "schema: 1\nknooppunten:\n  knooppunt-1:\n    links:\n      - a\n  # 2. x\n  "
        "knooppunt-2:\n",
        "    links:\n      - a\n  # 2. x\n",
    ),
    "document-markers": (
        "---\nschema: 1\nknooppunten:\n  knooppunt-1:\n    status: todo\n...\n",
        "    note: ''\n...\n",
    ),
}


@pytest.mark.parametrize("content, kept", list(ODD_BUT_VALID.values()), ids=list(ODD_BUT_VALID))
def test_odd_but_valid_files_take_edits(
    tmp_path: Path, mini_pack: ProcessPack, content: str, kept: str
) -> None:
    path = tmp_path / "p.yaml"
    path.write_text(content, encoding="utf-8")
    s = store_of(path, mini_pack)
    s.update("1", status="doing", note="a\nb")
    s.set_perspective("1", "bewoners", "done")
    s.update("2", owner="x")
    text = path.read_text(encoding="utf-8")
    assert validate_state(path, mini_pack) == [] and kept in text, text
    state = load_state(path, mini_pack)
    e1, e2 = state.entry("knooppunt-1"), state.entry("knooppunt-2")
    assert (e1.status, e1.note, e1.perspectives["bewoners"], e2.owner) == (
        "doing",
        "a\nb",
        "done",
        "x",
    )


def test_notes_change_style_without_moving_comments(
    state_file: Path, mini_pack: ProcessPack
) -> None:
    s = store_of(state_file, mini_pack)
    original = state_file.read_text(encoding="utf-8")
    s.update("5", note="een\ntwee")
    s.update("5", note="drie")
    s.update("5", note="")
    text = state_file.read_text(encoding="utf-8")
    assert "    note: ''\n  # 6. Knooppunt 6" in text
    old, _ = changed_lines(original, text)
    assert old <= block_lines(original, "knooppunt-5")


def test_four_space_indentation_and_odd_spacing_are_kept(
    tmp_path: Path, mini_pack: ProcessPack
) -> None:
    text = (
        "schema:   1\n"
        "project:\n"
        "    name:    Vier spaties\n"
        "knooppunten:\n"
        "    knooppunt-1:\n"
        "        status:    done\n"
        "    knooppunt-2:\n"
        "        status: todo\n"
        "        note: ''\n"
    )
    path = tmp_path / "p.yaml"
    path.write_text(text, encoding="utf-8")
    store_of(path, mini_pack).update("2", status="doing")
    after = path.read_text(encoding="utf-8")
    assert after.startswith(
        "schema:   1\nproject:\n    name:    Vier spaties\nknooppunten:\n    knooppunt-1:\n        "
        "status:    done\n"
    )
    assert (
        "    knooppunt-2:\n        status: doing\n        updated: 2026-11-25T14:30:00+01:00\n    "
        "  "
        ""
        ""
        ""
        ""
        "  by: fatima\n        note: ''\n" in after
    )


def test_crlf_and_bom_are_kept(tmp_path: Path, state_file: Path, mini_pack: ProcessPack) -> None:
    path = tmp_path / "windows.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + state_file.read_bytes().replace(b"\n", b"\r\n"))
    store_of(path, mini_pack).update("1", note="a\nb")
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf# Wijkkompas") and b"\r\n      a\r\n      b\r\n" in data
    assert b"\n" not in data.replace(b"\r\n", b"")
    assert load_state(path, mini_pack).entry("knooppunt-1").note == "a\nb"


def test_permissions_symlinks_and_stale_temp_files(
    tmp_path: Path, state_file: Path, mini_pack: ProcessPack
) -> None:
    os.chmod(state_file, 0o640)
    link = tmp_path / "link.yaml"
    link.symlink_to(state_file)
    stale = tmp_path / f".{state_file.name}.abc123.tmp"
    stale.write_text("half geschreven", encoding="utf-8")
    store_of(link, mini_pack).update("1", status="done")
    assert (
        link.is_symlink()
        and load_state(state_file, mini_pack).entry("knooppunt-1").status == "done"
    )
    assert stat.S_IMODE(os.stat(state_file).st_mode) == 0o640
    assert not stale.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        f".{state_file.name}.lock",
        "link.yaml",
        "wijkkompas.yaml",
    ]


def test_strings_stay_strings_for_yaml_1_1_readers(
    state_file: Path, mini_pack: ProcessPack
) -> None:
    s = store_of(state_file, mini_pack)
    awkward = [
        "yes",
        "No",
        "on",
        "off",
        "null",
        "~",
        "true",
        "12",
        "0777",
        "12:30",
        "2026-01-01",
        "1e3",
        "- lijst",
        "# kop",
        "a: b",
        "'q'",
        '"dq"',
        "=",
        "<<",
    ]
    for n, text in enumerate(awkward[:12], 1):
        s.update(str(n), owner=text)
    for text in awkward[12:]:
        s.update("1", owner=text)
        assert load_state(state_file, mini_pack).entry("knooppunt-1").owner == text
    for version in ((1, 1), (1, 2)):
        y = YAML(typ="safe", pure=True)
        y.version = version
        data = y.load(state_file.read_text(encoding="utf-8"))
        assert [data["knooppunten"][f"knooppunt-{n}"]["owner"] for n in range(2, 13)] == awkward[
            1:12
        ], version


def test_normalisation_is_documented_behaviour() -> None:
    assert normalize_note("a  \r\nb\t\n\n\n") == "a\nb"
    assert normalize_note("  ingesprongen\n\n  blijft") == "  ingesprongen\n\n  blijft"
    assert normalize_note("bel\x07 en\x00 nul\ufeff") == "bel en nul"
    assert normalize_note("a\u2028b\x85c") == "a\nb\nc"
    assert normalize_note("  \n \t ") == ""
    assert normalize_line("  Fatima \n  de  Vries\t") == "Fatima de Vries"


# --- bad input: reported at its line, file untouched -----------------------------------------

BAD_INPUTS = [
    (
        "unclosed-quote",
        ("    owner: ''\n", "    owner: 'Fatima\n", 1),
        "12:12: dit aanhalingsteken wordt nergens gesloten",
        "",
    ),
    ("broken-yaml", ("    owner: ''\n", "    owner: [Fatima\n", 1), "12:12: '[' zonder ']'", ""),
    (
        "bad-indentation",
        ("    owner: ''\n", "      owner: ''\n", 1),
        "12:12: hier mag geen ':' staan; klopt de inspringing",
        "",
    ),
    (
        "tab",
        ("    status: todo\n", "\tstatus: todo\n", 2),
        "11:1: tab gebruikt om in te springen; YAML kent alleen spaties",
        "",
    ),
    (
        "unknown-status",
        ("    status: todo\n", "    status: klaar\n", 1),
        "11:13: status: onbekende status 'klaar'",
        "todo, doing, done",
    ),
    (
        "dutch-label",
        ("    status: todo\n", "    status: afgerond\n", 1),
        "11:13: status: schrijf 'done' in plaats van 'afgerond'",
        "",
    ),
    (
        "impossible-date",
        ("    due:\n", "    due: 2024-02-30\n", 1),
        "13:10: due: de datum 2024-02-30 bestaat niet",
        "",
    ),
    (
        "not-a-date",
        ("    due:\n", "    due: volgende week\n", 1),
        "13:10: due: ongeldige datum 'volgende week'",
        "JJJJ-MM-DD",
    ),
    (
        "duplicate-key",
        ("    owner: ''\n", "    owner: ''\n    owner: Jan\n", 1),
        "13:5: dubbele sleutel 'owner'; die staat al op regel 12",
        "",
    ),
    (
        "unknown-slug",
        ("  knooppunt-3:\n", "  knooppunt-33:\n", 1),
        "22:3: onbekend knooppunt 'knooppunt-33'; bedoel je 'knooppunt-3'?",
        "",
    ),
    (
        "number-as-key",
        ("  knooppunt-3:\n", "  3:\n", 1),
        "22:3: knooppunten staan hier op hun slug: schrijf 'knooppunt-3' in plaats van 3",
        "",
    ),
    ("schema-missing", ("schema: 1\n", "", 1), "1:1: 'schema' ontbreekt", ""),
    (
        "schema-newer",
        ("schema: 1\n", "schema: 2\n", 1),
        "2:9: dit bestand is gemaakt met een nieuwere versie van wijkkompas (schema 2); werk "
        "wijkkompas bij",
        "",
    ),
    (
        "bookmark",
        ("    due:\n", "    due:\n    bookmark: ja\n", 1),
        "14:15: bookmark: verwacht true of false, niet 'ja'",
        "",
    ),
    (
        "perspective-role",
        ("    due:\n", "    due:\n    perspectives:\n      bewoner: done\n", 1),
        "15:7: perspectives: onbekende partij 'bewoner'; bedoel je 'bewoners'?",
        "",
    ),
    (
        "entry-not-a-mapping",
        (
            "  knooppunt-1:\n    status: todo\n    owner: ''\n    due:\n    note: ''\n",
            "  knooppunt-1: done\n",
            1,
        ),
        "10:16: knooppunt-1: verwacht velden onder de slug",
        "",
    ),
]


@pytest.mark.parametrize(
    "replace, where, extra", [b[1:] for b in BAD_INPUTS], ids=[b[0] for b in BAD_INPUTS]
)
def test_bad_input_is_reported_at_its_position_and_nothing_is_written(
    state_file: Path, mini_pack: ProcessPack, replace: tuple[str, str, int], where: str, extra: str
) -> None:
    old, new, count = replace
    text = state_file.read_text(encoding="utf-8")
    state_file.write_text(text.replace(old, new, count), encoding="utf-8")
    before = state_file.read_bytes()
    problems = [str(p) for p in validate_state(state_file, mini_pack)]
    assert problems and problems[0].startswith(f"{state_file}:{where}"), problems
    assert extra in problems[0]
    with pytest.raises(ProblemsError):
        load_state(state_file, mini_pack)
    s = store_of(state_file, mini_pack)
    with pytest.raises(ProblemsError) as info:
        s.update("1", status="done")
    assert [str(p) for p in info.value.problems] == problems
    assert state_file.read_bytes() == before


def test_every_problem_is_reported_at_once(state_file: Path, mini_pack: ProcessPack) -> None:
    text = state_file.read_text(encoding="utf-8")
    text = text.replace("    status: todo\n", "    status: klaar\n", 1).replace(
        "    due:\n", "    due: 2026-13-01\n", 2
    )
    text = text.replace("  knooppunt-12:", "  knooppunt-13:")
    state_file.write_text(text, encoding="utf-8")
    problems = [
        str(p).split(": ", 1)[0].rsplit(":", 2)[-2:] for p in validate_state(state_file, mini_pack)
    ]
    assert problems == [["11", "13"], ["13", "10"], ["19", "10"], ["76", "3"]]


def test_two_tabs_are_two_problems(state_file: Path, mini_pack: ProcessPack) -> None:
    text = state_file.read_text(encoding="utf-8").replace("    owner: ''\n", "\towner: ''\n", 2)
    state_file.write_text(text, encoding="utf-8")
    assert [(p.line, p.col) for p in validate_state(state_file, mini_pack)] == [(12, 1), (18, 1)]


@pytest.mark.parametrize(
    "content, message",
    [
        ("", "1:1: het bestand is leeg"),
        ("- schema: 1\n", "1:1: verwacht een mapping met 'schema', 'project' en 'knooppunten'"),
        (
            "schema: 1\nknooppunten: [knooppunt-1]\n",
            "2:14: knooppunten: verwacht per knooppunt-slug",
        ),
        ("schema: een\n", "1:9: ongeldige schema-versie 'een'"),
    ],
)
def test_files_of_the_wrong_shape(
    tmp_path: Path, mini_pack: ProcessPack, content: str, message: str
) -> None:
    path = tmp_path / "p.yaml"
    path.write_text(content, encoding="utf-8")
    problems = [str(p) for p in validate_state(path, mini_pack)]
    assert len(problems) == 1 and problems[0].startswith(f"{path}:{message}"), problems


def test_missing_unreadable_and_binary_files(tmp_path: Path, mini_pack: ProcessPack) -> None:
    missing = tmp_path / "nergens.yaml"
    assert [str(p) for p in validate_state(missing, mini_pack)] == [
        f"{missing}: bestand niet gevonden; maak het met: wijkkompas new {missing} --name NAAM"
    ]
    assert "is een map" in str(validate_state(tmp_path, mini_pack)[0])
    binary = tmp_path / "bin.yaml"
    binary.write_bytes(b"schema: 1\nproject:\n  name: \xff\xfe\n")
    assert (
        str(validate_state(binary, mini_pack)[0])
        == f"{binary}:3:9: geen geldige UTF-8-tekst; sla het bestand op als UTF-8"
    )
    with pytest.raises(ProblemsError):
        store_of(missing, mini_pack).update("1", status="done")
    assert not missing.exists()


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files without read permission")
def test_a_file_without_read_permission(state_file: Path, mini_pack: ProcessPack) -> None:
    os.chmod(state_file, 0o000)
    try:
        assert [str(p) for p in validate_state(state_file, mini_pack)] == [
            f"{state_file}: kan niet lezen: Permission denied"
        ]
    finally:
        os.chmod(state_file, 0o644)


def test_read_only_file_or_directory_is_refused(
    tmp_path: Path, state_file: Path, mini_pack: ProcessPack
) -> None:
    before = state_file.read_bytes()
    os.chmod(state_file, 0o444)
    with pytest.raises(InvalidInput, match="het bestand is alleen-lezen"):
        store_of(state_file, mini_pack).update("1", status="done")
    os.chmod(state_file, 0o644)
    os.chmod(tmp_path, 0o555)
    try:
        with pytest.raises(InvalidInput, match="is alleen-lezen"):
            store_of(state_file, mini_pack).update("1", status="done")
        with pytest.raises(InvalidInput, match="is alleen-lezen"):
            create_state(tmp_path / "nieuw.yaml", mini_pack, "X")
    finally:
        os.chmod(tmp_path, 0o755)
    assert state_file.read_bytes() == before


def test_a_held_lock_times_out_with_a_clear_error(state_file: Path, mini_pack: ProcessPack) -> None:
    before = state_file.read_bytes()
    with FileLock(str(lock_path(state_file))):
        with pytest.raises(InvalidInput, match="kan het bestand niet vergrendelen"):
            store_of(state_file, mini_pack, lock_timeout=0.2).update("1", status="done")
    assert state_file.read_bytes() == before


# --- noticing outside changes ------------------------------------------------------------------


def test_poll_notices_outside_changes_and_survives_bad_ones(
    state_file: Path, mini_pack: ProcessPack
) -> None:
    tui = store_of(state_file, mini_pack, user="tui")
    tui.load()
    assert tui.poll() is None
    other = store_of(state_file, mini_pack, user="cli")
    other.update("2", status="doing")
    fresh = tui.poll()
    assert fresh is not None and fresh.entry("knooppunt-2").status == "doing"
    assert tui.poll() is None and tui.fingerprint == other.fingerprint
    edit(state_file, "  knooppunt-3:\n    status: todo", "  knooppunt-3:\n    status: klaar")
    assert tui.poll() is None
    assert tui.state is not None and tui.state.entry("knooppunt-2").status == "doing"
    assert [p.line for p in tui.problems] == [25]  # two lines (updated, by) were added above
    edit(state_file, "status: klaar", "status: done")
    fixed = tui.poll()
    assert fixed is not None and fixed.entry("knooppunt-3").status == "done" and tui.problems == []
    state_file.unlink()
    assert tui.poll() is None and "niet gevonden" in tui.problems[0].message


def test_poll_sees_a_same_size_rewrite_within_the_same_clock_tick(
    state_file: Path, mini_pack: ProcessPack
) -> None:
    s = store_of(state_file, mini_pack)
    s.load()
    st = os.stat(state_file)
    text = state_file.read_text(encoding="utf-8").replace("status: todo", "status: done", 1)
    with open(state_file, "r+", encoding="utf-8") as f:  # in place: same inode, same size
        f.write(text)
    os.utime(state_file, ns=(st.st_atime_ns, st.st_mtime_ns))
    fresh = s.poll()
    assert fresh is not None and fresh.entry("knooppunt-1").status == "done"


# --- questions the UI and reports ask ------------------------------------------------------------


def test_counts_progress_and_lists(state_file: Path, mini_pack: ProcessPack) -> None:
    s = store_of(state_file, mini_pack)
    s.update("1", status="done")
    s.update("2", status="skipped")
    s.update("3", status="doing", due="2026-11-01", owner="corporatie")
    s.update("4", status="done", due="2026-11-01")
    s.update("6", status="stuck", note="wacht op de raad")
    state: ProjectState = s.update("8", status="skipped", due="2026-01-01")
    assert state.counts(mini_pack) == {"todo": 6, "doing": 1, "done": 2, "stuck": 1, "skipped": 2}
    assert state.counts(mini_pack, phase=1) == {
        "todo": 0,
        "doing": 0,
        "done": 1,
        "stuck": 0,
        "skipped": 1,
    }
    assert state.counts(mini_pack, phase=2, track="sociaal") == {
        "todo": 0,
        "doing": 1,
        "done": 0,
        "stuck": 0,
        "skipped": 0,
    }
    assert state.percent_done(mini_pack) == 20  # 2 done of the 10 that apply
    assert [
        i.knooppunt.number for i in progress.overdue(mini_pack, state, dt.date(2026, 11, 25))
    ] == [3]
    assert [(i.knooppunt.number, i.note) for i in progress.stuck(mini_pack, state)] == [
        (6, "wacht op de raad")
    ]
    assert progress.phase_reached(mini_pack, state) == {"sociaal": 2, "technisch": 2}
    assert state.entry("knooppunt-11").status == "todo"


# --- the demo project
# ----------------------------------------------------------------------------------


def _pack_slugs() -> list[str]:
    from compass.pack import load_pack

    return [k.slug for k in load_pack(use_cache=False).knooppunten]


def test_demo_lists_the_bundled_knooppunten_and_is_clearly_fictional() -> None:
    text = (ROOT / "data" / "demo.yaml").read_text(encoding="utf-8")
    data = YAML(typ="safe", pure=True).load(text)
    assert list(data["knooppunten"]) == _pack_slugs()
    assert (
        data["project"]["name"] == "Voorbeeldwijk"
        and data["project"]["gemeente"] == "Voorbeeldstad"
    )
    assert "fictief" in text.splitlines()[0].lower()
    statuses = [e["status"] for e in data["knooppunten"].values()]
    assert {"done", "doing", "stuck", "todo"} <= set(statuses)
    assert sum(bool(e.get("bookmark")) for e in data["knooppunten"].values()) == 2


def test_demo_validates_against_the_bundled_pack() -> None:
    from compass.pack import load_pack

    pack = load_pack(use_cache=False)
    assert validate_state(ROOT / "data" / "demo.yaml", pack) == []
    state = load_state(ROOT / "data" / "demo.yaml", pack)
    assert progress.overdue(pack, state, dt.date(2026, 11, 25))
    assert len(progress.stuck(pack, state)) >= 2


def test_demo_copy_starts_fresh_each_time(tmp_path: Path) -> None:
    path = demo_copy(tmp_path / "demo")
    assert path == tmp_path / "demo" / "wijkkompas.yaml"
    original = path.read_bytes()
    path.write_text("kapot", encoding="utf-8")
    assert (
        demo_copy(tmp_path / "demo").read_bytes()
        == original
        == (ROOT / "data" / "demo.yaml").read_bytes()
    )
