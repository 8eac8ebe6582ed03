"""Property: any sequence of edits with awkward text leaves a valid file that reads back what was
set.

"What was set" is modulo the normalisation documented in compass/state.py (line
breaks, unprintable characters, trailing whitespace; one-line fields collapsed).
Each edit also changes only the lines of its own knooppunt, and the file stays a
fixed point of ruamel's rendering, so the next edit is just as small.
"""

from __future__ import annotations

import io
import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from compass.model import STATUS_LABELS, STATUSES, ProcessPack, parse_status
from compass.state import (
    StateStore,
    create_state,
    load_state,
    normalize_line,
    normalize_note,
    validate_state,
)
from tests.test_state import block_lines, changed_lines

AWKWARD = [
    "#",
    "# kop",
    " #",
    ": ",
    "a: b",
    "key:",
    "'",
    '"',
    "''",
    "\\",
    "yes",
    "no",
    "on",
    "off",
    "y",
    "true",
    "null",
    "~",
    "12",
    "0o17",
    "1e3",
    "2026-01-01",
    "2024-02-30",
    "- x",
    "* x",
    "? x",
    "  ingesprongen",
    "\n",
    "\n\n",
    "regel\n",
    "tab\there",
    "\t",
    " ",
    "   ",
    "ü ë ĳ € 😀 中文",
    "\r\n",
    "\r",
    "|",
    "|-",
    ">",
    "---",
    "...",
    "%YAML",
    "@",
    "`",
    "&a",
    "*a",
    "!tag",
    "{x: 1}",
    "[1, 2]",
    "\x00",
    "\x1b[0m",
    "\x85",
    "\u2028",
    "\ufeff",
    "\x7f",
]

text_piece = st.one_of(st.sampled_from(AWKWARD), st.text(max_size=10))
awkward = st.lists(text_piece, max_size=6).map("".join)
status = st.sampled_from([*STATUSES, *STATUS_LABELS.values(), "NVT", "Afgerond"])
edit = st.one_of(
    st.tuples(st.just("status"), st.integers(1, 12), status),
    st.tuples(st.just("note"), st.integers(1, 12), awkward),
    st.tuples(st.just("owner"), st.integers(1, 12), awkward),
)


def expected_value(field: str, value: str) -> str:
    if field == "status":
        return parse_status(value) or "?"
    return normalize_note(value) if field == "note" else normalize_line(value)


def rendered_by_ruamel(text: str) -> str:
    y = YAML(typ="rt")
    y.width = 4096
    y.indent(mapping=2, sequence=4, offset=2)
    y.preserve_quotes = True
    buf = io.StringIO()
    y.dump(y.load(text), buf)
    return buf.getvalue()


@settings(max_examples=60, deadline=None)
@given(edits=st.lists(edit, min_size=1, max_size=5))
def test_random_edits_read_back_exactly(
    mini_pack: ProcessPack, edits: list[tuple[str, int, str]]
) -> None:
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "wijkkompas.yaml"
        create_state(path, mini_pack, "Eigenschap")
        store = StateStore(path, mini_pack, user="hypothesis")
        expected: dict[int, dict[str, str]] = {}
        for field, number, value in edits:
            slug = f"knooppunt-{number}"
            before = path.read_text(encoding="utf-8")
            store.update(number, **{field: value})
            after = path.read_text(encoding="utf-8")
            expected.setdefault(number, {})[field] = expected_value(field, value)

            old, new = changed_lines(before, after)
            assert old <= block_lines(before, slug) and new <= block_lines(after, slug)
            state = load_state(path, mini_pack)  # fresh from disk, not the store's copy
            for n, fields in expected.items():
                entry = state.entry(f"knooppunt-{n}")
                assert {f: getattr(entry, f) for f in fields} == fields
        text = path.read_text(encoding="utf-8")
        assert validate_state(path, mini_pack) == []
        assert rendered_by_ruamel(text) == text
        for n, fields in expected.items():
            if fields.get("note"):
                assert (
                    f"  knooppunt-{n}:\n" in text
                    and "note: |" in text.split(f"  knooppunt-{n}:\n")[1].split("\n  knooppunt-")[0]
                )


@given(text=awkward)
def test_normalisation_is_idempotent_and_printable(text: str) -> None:
    note = normalize_note(text)
    assert normalize_note(note) == note
    assert (
        "\r" not in note
        and not note.endswith("\n")
        and all(not line.endswith((" ", "\t")) for line in note.split("\n"))
    )
    line = normalize_line(text)
    assert normalize_line(line) == line and "\n" not in line and line == line.strip()
