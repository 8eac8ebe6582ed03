"""The small Markdown subset of our pages, rendered straight to Rich (tui.widgets.markup).

Paragraphs, `-`/`*` and `1.` lists with a hanging indent, `*em*`/`_em_`,
`**strong**` and `` `code` ``; everything else is shown as the literal text.
"""

from __future__ import annotations

import io
import re
import subprocess
import sys
from pathlib import Path

import pytest
from rich.console import Console

from compass.model import ProcessPack
from compass.render import page_sections
from tui.widgets.markup import CODE, EMPHASIS, STRONG, inline, render_markdown

ROOT = Path(__file__).resolve().parent.parent


def lines(source: str, width: int = 40) -> list[str]:
    """What a terminal of `width` columns shows, line by line."""
    console = Console(width=width, record=True, color_system=None, file=io.StringIO())
    console.print(render_markdown(source))
    return console.export_text().splitlines()


def test_paragraph_lines_are_joined_and_wrapped() -> None:
    source = (
        "De gemeente nodigt bewoners uit\n"
        "voor een avond in het buurthuis, samen met de netbeheerder."
    )
    assert lines(source) == [
        "De gemeente nodigt bewoners uit voor een",
        "avond in het buurthuis, samen met de",
        "netbeheerder.",
    ]


def test_blocks_are_separated_by_one_blank_line() -> None:
    source = "Eerste alinea.\n\n\n\nTweede alinea.\n- een punt\n\n1. een stap"
    assert lines(source) == [
        "Eerste alinea.",
        "",
        "Tweede alinea.",
        "",
        " • een punt",
        "",
        " 1. een stap",
    ]


def test_bullet_items_wrap_under_their_text() -> None:
    source = "- Nodig de huurdersvereniging uit voordat het plan vastligt.\n* Kort punt"
    assert lines(source) == [
        " • Nodig de huurdersvereniging uit",
        "   voordat het plan vastligt.",
        " • Kort punt",
    ]


def test_item_continues_on_indented_lines() -> None:
    source = (
        "- Een tip mag over meer regels lopen\n  als de vervolgregels inspringen.\n- Volgende tip"
    )
    assert lines(source) == [
        " • Een tip mag over meer regels lopen",
        "   als de vervolgregels inspringen.",
        " • Volgende tip",
    ]


def test_ordered_list_numbers_are_right_aligned_and_wrap_under_the_text() -> None:
    source = "1. Verzamel wat de gemeente al weet over de wijk.\n2. Loop een middag door de wijk."
    assert lines(source) == [
        " 1. Verzamel wat de gemeente al weet",
        "    over de wijk.",
        " 2. Loop een middag door de wijk.",
    ]
    ten = "\n".join(f"{n}. stap {n}" for n in range(1, 11))
    assert lines(ten)[0] == "  1. stap 1"
    assert lines(ten)[-1] == " 10. stap 10"


def test_ordered_list_keeps_its_start_number() -> None:
    assert lines("3. derde\n4. vierde") == [" 3. derde", " 4. vierde"]


def test_only_one_may_start_a_list_inside_a_paragraph() -> None:
    assert lines("Het akkoord van\n2019. Daarna volgde de wet.") == [
        "Het akkoord van 2019. Daarna volgde de",
        "wet.",
    ]


def test_emphasis_strong_and_code_are_styled_spans() -> None:
    text = inline("*schuin*, _ook schuin_, **vet** en `wijkkompas validate`")
    assert text.plain == "schuin, ook schuin, vet en wijkkompas validate"
    styled = {text.plain[s.start : s.end]: str(s.style) for s in text.spans}
    assert styled == {
        "schuin": EMPHASIS,
        "ook schuin": EMPHASIS,
        "vet": STRONG,
        "wijkkompas validate": CODE,
    }


def test_emphasis_nests_inside_strong_and_not_inside_code() -> None:
    text = inline("**Wie *dragen* het?** en `a*b*c`")
    assert text.plain == "Wie dragen het? en a*b*c"
    assert [(text.plain[s.start : s.end], str(s.style)) for s in text.spans] == [
        ("Wie ", STRONG),
        ("dragen", f"{STRONG} {EMPHASIS}"),
        (" het?", STRONG),
        ("a*b*c", CODE),
    ]


def test_delimiters_that_do_not_pair_stay_literal() -> None:
    for source in ("5 * 3 * 2", "snake_case_name", "**open", "een ` los", "* * *"):
        text = inline(source)
        assert (text.plain, text.spans) == (source, []), source


def test_rich_markup_in_content_stays_literal() -> None:
    assert lines("Zie [red]not markup[/red] en [link=x]y[/link].") == [
        "Zie [red]not markup[/red] en",
        "[link=x]y[/link].",
    ]
    assert inline("[bold]x[/bold]").spans == []


def test_unknown_constructs_come_out_as_text() -> None:
    source = "# Een kop\n\n> Een citaat\n\n```\ncode\n```\n\n| a | b |"
    assert lines(source) == ["# Een kop", "", "> Een citaat", "", "``` code ```", "", "| a | b |"]


def test_empty_source_renders_nothing() -> None:
    assert lines("") == []
    assert lines("\n  \n") == []


def _bodies(pack: ProcessPack) -> list[str]:
    """Every Markdown body the app renders: knooppunt sections, phases, sporen and 'over'."""
    bodies = [body for k in pack.knooppunten for _, body in page_sections(k)]
    for number in range(1, 7):
        phase = pack.phase(number)
        if phase is not None:
            bodies += [phase.doel, phase.divergeren, "\n".join(f"- {p}" for p in phase.producten)]
    bodies += [page.body for page in map(pack.track_page, ("sociaal", "technisch")) if page]
    return [*bodies, pack.about]


def _words(text: str, marker: str) -> list[str]:
    """The words of `text`, without list markers (`marker` at a line's start) or `*`, `_` and
    backticks."""
    text = re.sub(marker, "", text, flags=re.MULTILINE)
    return re.sub(r"[*_`]", "", text).split()


@pytest.mark.parametrize("width", [30, 80])
def test_every_page_body_of_the_bundled_pack_renders_all_its_words(
    bundled_pack: ProcessPack, width: int
) -> None:
    bodies = _bodies(bundled_pack)
    assert len(bodies) > 300
    for body in bodies:
        source = _words(body, r"^\s*([-*]|\d+\.)\s+")
        shown = _words("\n".join(lines(body, width)), r"^ +(•|\d+\.) ")
        # A word wider than the column is folded over two lines, so compare the text without spaces;
        # at 80 columns no word is that long, and the words themselves must match.
        assert "".join(shown) == "".join(source), body
        if width == 80:
            assert set(shown) == set(source), body
        assert all(len(line) <= width for line in lines(body, width))


def test_the_page_module_does_not_import_rich_markdown() -> None:
    """rich.markdown pulls in markdown_it and pygments: ~40 ms on the app's start path."""
    code = (
        "import sys, tui.widgets.page; "
        "print(sorted(m for m in sys.modules if 'markdown' in m or 'pygments' in m))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "[]"
