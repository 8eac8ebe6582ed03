"""A change of one knooppunt is passed on to everyone who has the file open
(`compass.state.journal`): they take it without reading the file, and only when it
leads from exactly their bytes to exactly the file on disk now."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from compass.model import ProcessPack
from compass.state import StateStore, create_state, journal, load_state
from compass.state.models import Entry
from compass.state.source import Fingerprint


def _room(tmp_path: Path, pack: ProcessPack) -> tuple[Path, StateStore, StateStore]:
    path = tmp_path / "wijkkompas.yaml"
    create_state(path, pack, "Zaal")
    writer, reader = StateStore(path, pack, user="Anna"), StateStore(path, pack, user="Bram")
    writer.load()
    reader.load()
    return path, writer, reader


def test_a_participants_change_reaches_the_others_without_a_read(
    tmp_path: Path, mini_pack: ProcessPack
) -> None:
    path, writer, reader = _room(tmp_path, mini_pack)
    writer.update(5, status="doing", note="Eerste\nTweede", owner="Anna")
    state = reader.poll()
    assert state is not None and reader.reloads == {"journal": 1}
    assert state == load_state(path, mini_pack)  # exactly what a read of the file gives
    writer.set_perspective(5, "bewoners", "done")
    writer.toggle_bookmark(6)
    # two changes since its last look: the note tells only the last step, so it reads
    assert reader.poll() == load_state(path, mini_pack)
    assert reader.reloads == {"journal": 1, "whole": 1}
    assert reader.poll() is None  # nothing new
    # the reader's own save afterwards works on the file as it is (read under the lock)
    reader.update(7, status="done")
    assert load_state(path, mini_pack).entry("knooppunt-5").status == "doing"


def test_the_note_is_ignored_when_the_file_changed_after_it(
    tmp_path: Path, mini_pack: ProcessPack
) -> None:
    path, writer, reader = _room(tmp_path, mini_pack)
    writer.update(5, status="doing")
    time.sleep(0.01)
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("status: doing", "status: done", 1), encoding="utf-8")
    state = reader.poll()  # a person's editor saved after the note: read the file
    assert state is not None and reader.reloads["journal"] == 0
    assert state.entry("knooppunt-5").status == "done"


def test_a_note_for_other_bytes_is_ignored(tmp_path: Path, mini_pack: ProcessPack) -> None:
    path, writer, reader = _room(tmp_path, mini_pack)
    writer.update(5, status="doing")
    reader.poll()
    late = StateStore(path, mini_pack, user="Carla")
    late.load()
    # a note that does not lead from the late reader's bytes: Bram's change since
    StateStore(path, mini_pack, user="Dirk").update(6, status="stuck")
    writer.update(8, status="done")  # this note starts after Dirk's change, as late has it
    assert late.poll() == load_state(path, mini_pack)


def test_a_broken_note_is_ignored(tmp_path: Path, mini_pack: ProcessPack) -> None:
    path, writer, reader = _room(tmp_path, mini_pack)
    writer.update(5, status="doing")
    notes = Path(os.environ["WIJKKOMPAS_CACHE_DIR"]) / "changes"
    for note in notes.iterdir():
        note.write_text("{niet: json", encoding="utf-8")
        assert note.stat().st_mode & 0o777 == 0o600
    state = reader.poll()
    assert state is not None and reader.reloads["journal"] == 0
    assert state.entry("knooppunt-5").status == "doing"


def test_every_kind_of_value_passes_through_a_note(tmp_path: Path, mini_pack: ProcessPack) -> None:
    path, writer, reader = _room(tmp_path, mini_pack)
    role = next(iter(mini_pack.stakeholders))
    changes = [
        lambda: writer.update(
            5, status="stuck", note="Wacht op\n'de wethouder': \"ja\"", due="2027-01-31"
        ),
        lambda: writer.set_perspective(5, role, "done"),
        lambda: writer.toggle_bookmark(5),
        lambda: writer.update(5, owner="Éva Ünal", due=""),
    ]
    for n, change in enumerate(changes, 1):
        change()
        state = reader.poll()
        assert state is not None and reader.reloads == {"journal": n}
        assert state == load_state(path, mini_pack)
    entry = reader.state.entry("knooppunt-5") if reader.state else None
    assert entry is not None and entry.bookmark and entry.perspectives == {role: "done"}


def _note(tmp_path: Path, mini_pack: ProcessPack) -> tuple[Path, StateStore, Path, int]:
    """A room after one change, its note, and where the note's entry begins."""
    path, writer, reader = _room(tmp_path, mini_pack)
    writer.update(5, status="doing", note="Gestart.")
    file, fp = journal.note_file(writer.real_path), writer.fingerprint
    assert file is not None and fp is not None
    note = Path(file)
    assert note.read_bytes().startswith(journal.MAGIC)
    return path, reader, note, len(journal.head(b"-" * journal.DIGEST, fp)) + journal.DIGEST


def test_a_note_rewritten_as_it_was_is_taken(tmp_path: Path, mini_pack: ProcessPack) -> None:
    """The control for the hostile notes below: only their entry differs from this one."""
    path, reader, note, start = _note(tmp_path, mini_pack)
    data = note.read_bytes()
    assert data[start:].startswith(b"knooppunt-5\0doing\0Gestart.\0")
    note.write_bytes(data[:start] + data[start:])
    assert reader.poll() == load_state(path, mini_pack) and reader.reloads["journal"] == 1


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"knooppunt-5\0doing",  # too few values
        b"knooppunt-5\0bezig\0\0\0\0\0Anna\0",  # no such status
        b"knooppunt-5\0doing\0\0\0\0\0Anna\0ja",  # a bookmark is "" or "1"
        b"knooppunt-5\0doing\0\0\0morgen\0\0Anna\0",  # not a date
        b"knooppunt-5\0doing\0\0\0\0gisteren\0Anna\0",  # not a time
        b"knooppunt-5\0doing\0\0\0\0\0Anna\0\0bewoners",  # a party without a status
        b"knooppunt-5\0doing\0\0\0\0\0Anna\0\0bewoners\0ja",  # a party's status that is none
        b"knooppunt-5\0doing\0\xff\xfe\0\0\0\0Anna\0",  # not UTF-8
        b"knooppunt-999\0doing\0\0\0\0\0Anna\0",  # a knooppunt of another pack
        b"[" * 100_000,  # JSON of an older note, absurdly deep
    ],
    ids=lambda body: repr(body[:40]),
)
def test_a_hostile_note_that_fits_the_file_is_ignored(
    tmp_path: Path, mini_pack: ProcessPack, body: bytes
) -> None:
    path, reader, note, start = _note(tmp_path, mini_pack)
    note.write_bytes(note.read_bytes()[:start] + body)
    state = reader.poll()
    assert state is not None and reader.reloads["journal"] == 0
    assert state == load_state(path, mini_pack)


@pytest.mark.parametrize("kind", ["fifo", "link", "long", "directory"])
def test_a_note_that_is_no_note_is_ignored_without_waiting(
    tmp_path: Path, mini_pack: ProcessPack, kind: str
) -> None:
    path, reader, note, _start = _note(tmp_path, mini_pack)
    head = note.read_bytes()
    note.unlink()
    if kind == "fifo":
        os.mkfifo(note)  # opening it to read would wait for a writer for ever
    elif kind == "link":
        note.symlink_to("/dev/zero")  # endless bytes
    elif kind == "long":
        note.write_bytes(head + b"x" * journal.MOST)  # too long to be one of ours
    else:
        note.mkdir()
    state = reader.poll()
    assert state is not None and reader.reloads["journal"] == 0
    assert state == load_state(path, mini_pack)


def test_no_note_for_a_value_with_the_separator(tmp_path: Path) -> None:
    real = tmp_path / "wijkkompas.yaml"
    fp = Fingerprint(1, 2, 3)
    journal.tell(real, b"a" * 32, b"b" * 32, fp, Entry("knooppunt-1", note="een\0nul"))
    file = journal.note_file(real)
    assert file is not None and not Path(file).exists()
    journal.tell(real, b"a" * 32, b"b" * 32, fp, Entry("knooppunt-1", note="gewoon"))
    heard = journal.hear(file, b"a" * 32, fp)
    assert heard == (Entry("knooppunt-1", note="gewoon"), b"b" * 32)
    assert journal.hear(file, b"c" * 32, fp) is None  # from other bytes
    assert journal.hear(file, b"a" * 32, Fingerprint(1, 2, 4)) is None  # to another file
    assert journal.hear(file, b"", fp) is None  # bytes that did not read
