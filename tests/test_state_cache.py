"""The state cache: opening an unchanged file skips the parse, and can never hide a change or a
problem.

A clean parse is remembered per file path with the sha256 of the bytes and the pack's
identity (compass/state_cache.py). These tests use real files and a real cache
directory (conftest sets WIJKKOMPAS_CACHE_DIR per session).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import compass.state.check as state_check
from compass.model import ProcessPack
from compass.pack import load_pack
from compass.problems import ProblemsError
from compass.state import StateStore, create_state
from compass.state import cache as state_cache
from compass.state.source import read_source
from tests.test_state_property import edit

NOW = dt.datetime(2026, 11, 25, 14, 30, tzinfo=dt.timezone(dt.timedelta(hours=1)))


@pytest.fixture()
def parses(monkeypatch) -> list[str]:
    """Counts the real YAML parses of state files."""
    seen: list[str] = []
    original = state_check.parse_text

    def counting(source, pack, name):
        seen.append(name)
        return original(source, pack, name)

    monkeypatch.setattr(state_check, "parse_text", counting)
    return seen


def fresh(path: Path, pack: ProcessPack):
    """What a full parse of the file says, bypassing the cache."""
    return state_check.parse_text(read_source(path, str(path)), pack, str(path))


def project(tmp_path: Path, pack: ProcessPack) -> Path:
    path = tmp_path / "wijk.yaml"
    create_state(path, pack, "Cachewijk", gemeente="Voorbeeldstad", started=dt.date(2026, 1, 5))
    store = StateStore(path, pack, user="tester", clock=lambda: NOW)
    store.update(
        1, status="done", note="eerste regel\n  tweede [regel]", owner="An", due="2026-12-31"
    )
    store.update(2, status="stuck", bookmark=True)
    store.set_perspective(2, "bewoners", "doing")
    return path


def test_second_open_of_the_same_bytes_does_not_parse(tmp_path, bundled_pack, parses):
    path = project(tmp_path, bundled_pack)
    parses.clear()
    first = StateStore(path, bundled_pack).load()
    assert len(parses) == 1  # new bytes: parsed, and remembered
    second = StateStore(path, bundled_pack).load()
    assert len(parses) == 1  # same bytes: from the cache
    assert second == first == fresh(path, bundled_pack).state


def test_a_changed_byte_is_parsed_again(tmp_path, bundled_pack, parses):
    path = project(tmp_path, bundled_pack)
    StateStore(path, bundled_pack).load()
    path.write_text(
        path.read_text(encoding="utf-8").replace("status: stuck", "status: doing"), encoding="utf-8"
    )
    parses.clear()
    state = StateStore(path, bundled_pack).load()
    assert parses and state.status(bundled_pack.by_number(2).slug) == "doing"


def test_a_broken_file_is_never_taken_from_the_cache(tmp_path, bundled_pack):
    path = project(tmp_path, bundled_pack)
    StateStore(path, bundled_pack).load()
    path.write_text(
        path.read_text(encoding="utf-8").replace("status: stuck", "status: kapot"), encoding="utf-8"
    )
    with pytest.raises(ProblemsError) as err:
        StateStore(path, bundled_pack).load()
    assert "onbekende status 'kapot'" in str(err.value)


def test_another_pack_means_a_full_parse(tmp_path, bundled_pack, parses):
    path = project(tmp_path, bundled_pack)
    StateStore(path, bundled_pack).load()
    other = dataclasses.replace(
        bundled_pack, stakeholders={**bundled_pack.stakeholders, "nieuw": "Nieuwe partij"}
    )
    parses.clear()
    StateStore(path, other).load()
    assert parses


def test_a_damaged_cache_file_is_ignored(tmp_path, bundled_pack, parses):
    path = project(tmp_path, bundled_pack)
    StateStore(path, bundled_pack).load()
    cache = state_cache._cache_file(path.resolve())
    assert cache is not None and cache.is_file()
    cache.write_text('{"version": 1, "digest": "', encoding="utf-8")
    parses.clear()
    assert StateStore(path, bundled_pack).load() == fresh(path, bundled_pack).state
    assert parses


@pytest.mark.parametrize("fast", [True, False])
def test_saves_after_a_cached_open_write_what_an_uncached_store_writes(
    tmp_path, bundled_pack, fast
):
    outputs = []
    for cached in (True, False):
        d = tmp_path / f"{cached}"
        d.mkdir()
        path = project(d, bundled_pack)
        if cached:
            StateStore(path, bundled_pack).load()  # remember it
        store = StateStore(path, bundled_pack, user="tester", clock=lambda: NOW)
        store.fast_saves = fast
        store.load()
        store.update(1, note="nieuw")
        store.update(3, status="doing", owner="Bo")
        store.update_project(wijk="Noord")
        outputs.append(path.read_bytes())
    assert outputs[0] == outputs[1]


def test_keep_for_next_start_makes_the_saved_bytes_a_hit(tmp_path, bundled_pack, parses):
    path = project(tmp_path, bundled_pack)
    store = StateStore(path, bundled_pack, user="tester", clock=lambda: NOW)
    store.load()
    store.update(4, status="doing")
    store.keep_for_next_start()
    parses.clear()
    state = StateStore(path, bundled_pack).load()
    assert not parses and state == fresh(path, bundled_pack).state


def test_opening_from_the_cache_needs_no_yaml_library(tmp_path, bundled_pack):
    path = project(tmp_path, bundled_pack)
    StateStore(path, bundled_pack).load()
    load_pack()  # the pack cache too, as on every start after the first
    code = (
        "import sys; from compass.pack import load_pack; from compass.state import StateStore; "
        f"s = StateStore({str(path)!r}, load_pack()).load(); "
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'ruamel', 'pydantic'}))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


@settings(max_examples=40, deadline=None)
@given(edits=st.lists(edit, min_size=0, max_size=5))
def test_the_remembered_parse_equals_a_fresh_parse(mini_pack: ProcessPack, edits) -> None:
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "wijkkompas.yaml"
        create_state(path, mini_pack, "Eigenschap")
        store = StateStore(path, mini_pack, user="hypothesis")
        for field, number, value in edits:
            store.update(number, **{field: value})
        parsed = fresh(path, mini_pack)
        state_cache.remember(
            path, parsed.source.raw, mini_pack, parsed.state, parsed.indent, parsed.index
        )
        hit = state_cache.lookup(path, parsed.source.raw, mini_pack)
        assert hit == (parsed.state, parsed.indent, parsed.index)
        assert state_cache.lookup(path, parsed.source.raw + b"\n", mini_pack) is None


def test_a_session_without_saves_does_not_write_the_cache_again(
    tmp_path, bundled_pack, monkeypatch
):
    """Opened from the cache and closed unchanged: the cache already holds it (one write less at
    every exit)."""
    path = project(tmp_path, bundled_pack)
    StateStore(path, bundled_pack).load()  # remembered
    writes: list[object] = []
    original = state_cache.remember
    monkeypatch.setattr(state_cache, "remember", lambda *a: writes.append(a) or original(*a))
    store = StateStore(path, bundled_pack, user="tester", clock=lambda: NOW)
    store.load()
    store.keep_for_next_start()
    assert writes == []
    store.update(4, status="doing")
    store.keep_for_next_start()
    assert len(writes) == 1
    assert StateStore(path, bundled_pack).load() == fresh(path, bundled_pack).state


def test_a_quoted_party_in_perspectives_is_remembered_too(tmp_path, bundled_pack, parses):
    """The cache is marshal data, which writes no str subclass (ruamel's quoted scalars)."""
    path = project(tmp_path, bundled_pack)
    path.write_text(path.read_text().replace("bewoners: doing", '"bewoners": doing'))
    assert '"bewoners": doing' in path.read_text()
    first = StateStore(path, bundled_pack).load()
    parses.clear()
    again = StateStore(path, bundled_pack).load()
    assert not parses and again == first == fresh(path, bundled_pack).state
    assert again.entry(bundled_pack.resolve(2).slug).perspectives == {"bewoners": "doing"}
