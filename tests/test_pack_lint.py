"""`wijkkompas validate` warns (and still passes) about what a reader of the app would notice."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

from compass.pack.lint import knooppunt_warnings, markdown_warnings
from tests.cli_helpers import wijkkompas


def test_unsupported_markdown_is_named_with_its_line() -> None:
    lines = list(
        enumerate(
            [
                "Gewone tekst met *nadruk* en **vet**.",
                "### Een kop",
                "> een citaat",
                "Zie [de site](https://example.org).",
                "| a | b |",
                "```",
                "<b>vet</b>",
                "- een lijst",
                "1. genummerd",
            ],
            start=10,
        )
    )
    found = {
        (w.line, w.message.split(": ", 1)[1].split(" wordt")[0])
        for w in markdown_warnings("p.md", lines)
    }
    assert found == {
        (11, "kop binnen een sectie"),
        (12, "citaatblok (>)"),
        (13, "link [tekst](adres)"),
        (14, "tabel"),
        (15, "codeblok"),
        (16, "HTML-tag"),
    }


def test_knooppunt_without_sporen_checked_or_practice_source() -> None:
    page = "---\nnumber: 1\nslug: a\n---\n\n## Uit de praktijk\n\nIn 2020 gebeurde er iets.\n"
    messages = [w.message for w in knooppunt_warnings("a.md", page, dt.date(2026, 12, 3))]
    assert any("geen sporen" in m for m in messages)
    assert any("checked" in m for m in messages)
    assert any("Bron:" in m for m in messages)
    good = (
        "---\nnumber: 1\nsporen: [A]\nchecked: 2026-12-03\n---\n\n## Uit de praktijk\n\n"
        "In 2020 gebeurde er iets.\n\nBron: Gemeente Voorbeeld — *Verslag* (2020).\n"
    )
    assert knooppunt_warnings("a.md", good, dt.date(2026, 12, 3)) == []
    old = good.replace("2026-12-03", "2025-10-01")
    assert [w.line for w in knooppunt_warnings("a.md", old, dt.date(2026, 12, 3))] == [4]


def test_validate_prints_warnings_and_exits_0(tmp_path: Path, mini_pack_dir: Path) -> None:
    pack = tmp_path / "pack"
    shutil.copytree(mini_pack_dir, pack)
    page = sorted((pack / "knooppunten").glob("*.md"))[0]
    page.write_text(
        page.read_text(encoding="utf-8").replace(
            "## Aanpak", "## Aanpak\n\n> Een citaat dat de app niet kent.\n", 1
        ),
        encoding="utf-8",
    )
    before = page.read_bytes()
    r = wijkkompas("validate", "--pack", str(pack))
    assert r.returncode == 0, r.stderr
    assert "waarschuwingen" in r.stdout
    assert re.search(rf"{re.escape(page.name)}:\d+:1: waarschuwing: citaatblok", r.stderr), r.stderr
    assert page.read_bytes() == before
