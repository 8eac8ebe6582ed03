"""The read-only command line: list, show, find, validate --pack, --version, usage errors."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from compass import __version__
from tests.cli_helpers import wijkkompas

SUMMARY_KEYS = {"number", "slug", "title", "phase", "track", "stakeholders", "sporen"}


def test_version() -> None:
    r = wijkkompas("--version")
    assert r.returncode == 0 and r.stdout.strip() == f"wijkkompas {__version__}"


def test_help_has_examples() -> None:
    r = wijkkompas("--help")
    assert r.returncode == 0
    assert "voorbeelden:" in r.stdout and "wijkkompas show 12" in r.stdout


def test_list_json_shape(mini_pack_dir: Path) -> None:
    r = wijkkompas("list", "--json", "--pack", str(mini_pack_dir))
    assert r.returncode == 0, r.stderr
    items = json.loads(r.stdout)
    assert len(items) == 12
    assert set(items[0]) == SUMMARY_KEYS
    assert items[0]["phase"] == 1 and isinstance(items[0]["phase"], int)
    assert items[1]["track"] == "technisch"
    assert items[0]["stakeholders"] == ["gemeente", "bewoners"]


def test_list_filters(mini_pack_dir: Path) -> None:
    r = wijkkompas(
        "--pack", str(mini_pack_dir), "list", "--phase", "2", "--track", "sociaal", "--json"
    )
    assert [k["number"] for k in json.loads(r.stdout)] == [3]
    r = wijkkompas("list", "--stakeholder", "Netbeheerder", "--json", "--pack", str(mini_pack_dir))
    assert r.returncode == 0 and json.loads(r.stdout) == []


def test_list_bad_filters_are_one_line_errors(mini_pack_dir: Path) -> None:
    for args, needle in (
        (["--phase", "8"], "onbekende fase 8"),
        (["--track", "groen"], "onbekend spoor"),
        (["--stakeholder", "kabouter"], "onbekende partij"),
    ):
        r = wijkkompas("list", *args, "--pack", str(mini_pack_dir))
        assert r.returncode == 1 and needle in r.stderr and len(r.stderr.strip().splitlines()) == 1


def test_show_by_number_and_slug(mini_pack_dir: Path) -> None:
    by_number = wijkkompas("show", "4", "--pack", str(mini_pack_dir))
    by_slug = wijkkompas("show", "knooppunt-4", "--pack", str(mini_pack_dir))
    assert by_number.returncode == 0 and by_number.stdout == by_slug.stdout
    assert by_number.stdout.startswith("# 4. Knooppunt 4 technisch fase 2")
    assert "## Tips" in by_number.stdout and "- Tip drie bij 4." in by_number.stdout


def test_show_json_shape(mini_pack_dir: Path) -> None:
    d = json.loads(wijkkompas("show", "4", "--json", "--pack", str(mini_pack_dir)).stdout)
    assert SUMMARY_KEYS | {"doel", "aanpak", "tips", "bronnen", "praktijk", "links"} <= set(d)
    assert d["links"] == [5] and d["tips"][0] == "Tip een bij 4." and d["praktijk"] == ""


def test_show_unknown_is_exit_1_with_hint(mini_pack_dir: Path) -> None:
    r = wijkkompas("show", "99999", "--pack", str(mini_pack_dir))
    assert r.returncode == 1 and r.stdout == ""
    assert (
        r.stderr.strip()
        == "wijkkompas: onbekend knooppunt '99999'; kies een nummer 1..12 of een slug"
    )
    r = wijkkompas("show", "knoopunt-3", "--pack", str(mini_pack_dir))
    assert "bedoel je 'knooppunt-3'?" in r.stderr and "Traceback" not in r.stderr


def test_find_ranks_title_before_text(mini_pack_dir: Path) -> None:
    r = wijkkompas("find", "knooppunt", "7", "--json", "--pack", str(mini_pack_dir))
    assert r.returncode == 0
    assert json.loads(r.stdout)[0]["number"] == 7
    r = wijkkompas("find", "tip", "drie", "--pack", str(mini_pack_dir))
    assert "(tips)" in r.stdout
    r = wijkkompas("find", "xyzzy", "--json", "--pack", str(mini_pack_dir))
    assert json.loads(r.stdout) == []


def test_validate_pack(mini_pack_dir: Path, tmp_path: Path) -> None:
    assert wijkkompas("validate", "--pack", str(mini_pack_dir)).returncode == 0
    r = wijkkompas("validate", "--pack", str(tmp_path / "nergens"))
    assert r.returncode == 1 and "geen map met een procespakket" in r.stderr


def test_unknown_command_is_usage_error() -> None:
    r = wijkkompas("frobnicate")
    assert r.returncode == 2
    assert "onbekend commando 'frobnicate'" in r.stderr and "list" in r.stderr


def test_bad_option_is_usage_error() -> None:
    r = wijkkompas("list", "--phase", "een")
    assert r.returncode == 2 and "Traceback" not in r.stderr


def test_bundled_pack_commands_from_another_directory(tmp_path: Path) -> None:
    r = wijkkompas("list", "--json", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert len(json.loads(r.stdout)) >= 90
    r = wijkkompas("show", "1", cwd=tmp_path)
    assert r.returncode == 0 and r.stdout.startswith("# 1. ")


@pytest.mark.parametrize("argv", [[], ["wijkkompas.yaml"], ["eigen-wijk.yml"]])
def test_the_plain_open_shortcut_says_what_the_parser_says(argv) -> None:
    """`wijkkompas [FILE]` skips building the parser; it must mean exactly the same."""
    from compass.commands.parser import _insert_open, _parser, _plain_open

    quick = _plain_open(list(argv))
    assert quick is not None
    assert vars(quick) == vars(_parser().parse_args(_insert_open(list(argv))))


@pytest.mark.parametrize(
    "argv",
    [
        ["list"],
        ["demo"],
        ["open", "x.yaml"],
        ["x.yaml", "--lang", "en"],
        ["--help"],
        ["geen-bestand"],
    ],
)
def test_everything_else_goes_through_the_parser(argv) -> None:
    from compass.commands.parser import _plain_open

    assert _plain_open(list(argv)) is None


def test_list_by_spoor_letter() -> None:
    r = wijkkompas("list", "--spoor", "E", "--json")
    assert r.returncode == 0, r.stderr
    items = json.loads(r.stdout)
    assert items and all("E" in k["sporen"] for k in items)
    assert all(set(k["sporen"]) <= set("ABCDEF") for k in items)
    lower = wijkkompas("list", "--spoor", "e", "--json")
    assert json.loads(lower.stdout) == items
    bad = wijkkompas("list", "--spoor", "G")
    assert bad.returncode == 1 and "A..F" in bad.stderr and "Traceback" not in bad.stderr


def test_show_json_has_sporen_checked_and_law_topics() -> None:
    d = json.loads(wijkkompas("show", "70", "--json").stdout)
    assert d["sporen"] and set(d["sporen"]) <= set("ABCDEF")
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", d["checked"])
    assert "wgiw" in d["wetgeving"]


def test_show_wetgeving_is_the_dated_law_page() -> None:
    text = wijkkompas("show", "wetgeving")
    assert text.returncode == 0
    assert text.stdout.startswith("# Wet- en regelgeving, stand december 2026")
    assert "Gecontroleerd: 2026-" in text.stdout
    for topic in ("Wgiw", "Wet collectieve warmte", "70%", "Warmtefonds", "40 dB"):
        assert topic in text.stdout, topic
    doc = json.loads(wijkkompas("show", "wetgeving", "--json").stdout)
    assert [t["id"] for t in doc["topics"]] == ["wgiw", "wcw", "huur", "geld", "geluid"]
    assert 70 in doc["knooppunten"]["wgiw"]
    page = wijkkompas("show", "70").stdout
    assert "## Wet- en regelgeving" in page and "wijkkompas show wetgeving" in page
