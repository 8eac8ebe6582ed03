"""Reports over a project's state: "APK van de wijkaanpak" and "stand van zaken in jouw wijk".

A report is first computed as a plain model (`compass.report.model`: dataclasses
from the pack, the state and a `today`), then rendered here with a Jinja2 template
that ships inside the package. Every function takes `today`, so output is
reproducible. Reading rules (also in docs/reports.md):

- progress ("% afgerond"), "te laat" and "volgende stappen" follow the rules in
  `compass.progress`, the same module `wijkkompas status` and the app use;
- "besluiten": every line of a note that starts with `Besluit:` or `besluit:`;
- "perspectieven": a knooppunt where the statuses recorded per role differ, ranked
  by how far apart they are (afgerond/n.v.t. against open/vastgelopen is furthest).

Core: never imports textual, rich or tui; Jinja2 only when rendering.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Sequence
from dataclasses import replace
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..model import STATUS_LABELS, STATUSES, TRACK_LABELS, TRACKS, ProcessPack
from ..output import write_output
from ..progress import percent_text
from .model import (
    BAR_ORDER,
    BAR_WIDTH,
    COLOURS,
    FORMATS,
    Format,
    Portfolio,
    ProjectReport,
    SinceReport,
    StateLike,
    _text,
    build_portfolio,
    build_report,
    nl_date,
)

if TYPE_CHECKING:  # pragma: no cover
    import jinja2


def text_bar(pct: int | None, width: int = 10) -> str:
    """`██████░░░░`: a progress bar for Markdown, where HTML and SVG are not allowed."""
    filled = ((pct or 0) * width) // 100
    return "█" * filled + "░" * (width - filled)


_MD_SPECIAL = re.compile(r"([\\`*\[\]<>|#&~])")


_LIST_ITEM = re.compile(r"^([-*+•]|\d+[.)])\s")


def one_line(value: Any) -> str:
    """A note on one line, read the way Markdown reads it.

    A hard-wrapped line continues its sentence (joined with a space); a blank line
    or a line that starts a list item (`- `, `1. `) starts a new part, shown as ` / `.
    """
    parts: list[list[str]] = [[]]
    for raw in _text(value).splitlines():
        line = raw.strip()
        if not line:
            if parts[-1]:
                parts.append([])
            continue
        if _LIST_ITEM.match(line) and parts[-1]:
            parts.append([])
        parts[-1].append(line)
    return " / ".join(" ".join(p) for p in parts if p)


def md_inline(value: Any) -> str:
    """User text made safe for one Markdown line or table cell.

    Markdown specials are backslash-escaped, so a note with `<script>` or `|` shows
    as written and never becomes HTML or breaks a table; see `one_line` for breaks.
    """
    return _MD_SPECIAL.sub(r"\\\1", one_line(value))


@lru_cache(maxsize=2)
def _environment(fmt: Format) -> jinja2.Environment:
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(Path(__file__).resolve().parent / "templates")),
        autoescape=(fmt == "html"),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(md=md_inline, nl_date=nl_date, text_bar=text_bar, pct=percent_text)
    env.globals.update(
        STATUSES=STATUSES,
        STATUS_LABELS=STATUS_LABELS,
        TRACKS=TRACKS,
        TRACK_LABELS=TRACK_LABELS,
        BAR_ORDER=BAR_ORDER,
        BAR_WIDTH=BAR_WIDTH,
        COLOURS=COLOURS,
    )
    return env


def _check_format(fmt: str) -> Format:
    if fmt not in FORMATS:
        raise ValueError(f"onbekend formaat '{fmt}'; kies {' of '.join(FORMATS)}")
    return fmt


def render_project(report: ProjectReport, fmt: Format = "md") -> str:
    """One project's report as Markdown or as one self-contained HTML file."""
    template = _environment(_check_format(fmt)).get_template(f"report.{fmt}.j2")
    return template.render(r=report)


def render_portfolio(portfolio: Portfolio, fmt: Format = "md") -> str:
    """A portfolio (one row per wijk) as Markdown or HTML."""
    template = _environment(_check_format(fmt)).get_template(f"portfolio.{fmt}.j2")
    return template.render(p=portfolio)


def render_report(
    pack: ProcessPack,
    states: Sequence[StateLike],
    fmt: Format = "md",
    today: dt.date | None = None,
    since: Sequence[SinceReport | None] = (),
) -> str:
    """The report the CLI prints: a project report for one state, a portfolio for several.

    `since` (one per state, from `report --since`) adds the part "Sinds <datum>".
    """
    if not states:
        raise ValueError("geen projectbestanden om over te rapporteren")
    if len(states) == 1:
        report = build_report(pack, states[0], today)
        if since and since[0] is not None:
            report = replace(report, since=since[0])
        return render_project(report, fmt)
    portfolio = build_portfolio(pack, states, today)
    if since:
        rows = tuple(replace(row, since=s) for row, s in zip(portfolio.rows, since, strict=True))
        portfolio = replace(portfolio, rows=rows)
    return render_portfolio(portfolio, fmt)


# --- writing -------------------------------------------------------------------------------------


def report_path_beside(state_path: str | os.PathLike[str], fmt: Format = "md") -> Path:
    """`wijk.yaml` -> `wijk-rapport.md` in the same directory."""
    p = Path(state_path)
    return p.with_name(f"{p.stem}-rapport.{_check_format(fmt)}")


def write_report_beside(
    state_path: str | os.PathLike[str],
    pack: ProcessPack,
    fmt: Format = "md",
    today: dt.date | None = None,
) -> Path:
    """Load the state, write `<stem>-rapport.<fmt>` beside it atomically, return its path.

    This is what the TUI's `r` binding calls; a broken state raises ProblemsError.
    """
    from ..state import StateStore

    state = StateStore(Path(state_path), pack).load()
    return write_output(
        report_path_beside(state_path, fmt), render_report(pack, [state], fmt, today)
    )
