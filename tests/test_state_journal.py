"""A change of one knooppunt is passed on to everyone who has the file open
(`compass.state.journal`): they take it without reading the file, and only when it
leads from exactly their bytes to exactly the file on disk now."""

from __future__ import annotations

import os
import time
from pathlib import Path

from compass.model import ProcessPack
from compass.state import StateStore, create_state, load_state


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
