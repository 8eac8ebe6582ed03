"""Reports over a project's state: "APK van de wijkaanpak" and a portfolio of wijken.

`model` computes what a report says (pure functions, dataclasses); `render` turns
that into Markdown or HTML with the templates in `templates/`. This is the API.
"""

from __future__ import annotations

from .model import (
    Format,
    FORMATS,
    FINISHED,
    NEXT_STEPS_PER_TRACK,
    DECISION_PREFIXES,
    POSITION,
    SPREAD_LABELS,
    BAR_ORDER,
    BAR_WIDTH,
    COLOURS,
    MONTHS,
    EntryLike,
    ProjectLike,
    StateLike,
    Segment,
    Counted,
    Cell,
    PhaseRow,
    Item,
    Decision,
    View,
    Divergence,
    ProjectReport,
    PortfolioRow,
    Portfolio,
    percent,
    role_label,
    nl_date,
    bar_segments,
    decision_lines,
    phase_rows,
    stuck,
    overdue,
    next_steps,
    decisions,
    views,
    divergences,
    phase_reached,
    build_report,
    portfolio_row,
    build_portfolio,
)
from .render import (
    percent_text,
    text_bar,
    one_line,
    md_inline,
    render_project,
    render_portfolio,
    render_report,
    write_text_atomic,
    report_path_beside,
    write_report_beside,
)

__all__ = ['BAR_ORDER', 'BAR_WIDTH', 'COLOURS', 'Cell', 'Counted', 'DECISION_PREFIXES', 'Decision', 'Divergence', 'EntryLike', 'FINISHED', 'FORMATS', 'Format', 'Item', 'MONTHS', 'NEXT_STEPS_PER_TRACK', 'POSITION', 'PhaseRow', 'Portfolio', 'PortfolioRow', 'ProjectLike', 'ProjectReport', 'SPREAD_LABELS', 'Segment', 'StateLike', 'View', 'bar_segments', 'build_portfolio', 'build_report', 'decision_lines', 'decisions', 'divergences', 'md_inline', 'next_steps', 'nl_date', 'one_line', 'overdue', 'percent', 'percent_text', 'phase_reached', 'phase_rows', 'portfolio_row', 'render_portfolio', 'render_project', 'render_report', 'report_path_beside', 'role_label', 'stuck', 'text_bar', 'views', 'write_report_beside', 'write_text_atomic']
