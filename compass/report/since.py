"""The report's "Sinds <datum>" part: what moved since the last meeting.

Why it compares two states and not a list of commits: the report is about where the
wijk stands now, so what counts is the net effect. A knooppunt that was finished,
reopened and finished again since the meeting is simply "afgerond". The state at the
since-point is rebuilt from the file's git history by `compass.gitlog`; this module
only compares (pure, like the rest of `compass.report.model`).
"""

from __future__ import annotations

import datetime as dt

from ..model import ProcessPack
from ..progress import Item, item
from .model import Decision, SinceReport, StateLike, decision_lines


def build_since(
    pack: ProcessPack, label: str, before: StateLike, now: StateLike, note: str = ""
) -> SinceReport:
    """`now` compared with `before`, in process order."""
    finished: list[Item] = []
    stuck: list[Item] = []
    reopened: list[Item] = []
    decisions: list[Decision] = []
    for k in pack.knooppunten:
        old, new = before.entry(k.slug), now.entry(k.slug)
        if new.status == "done" and old.status != "done":
            finished.append(item(k, new))
        elif old.status == "done" and new.status != "done":
            reopened.append(item(k, new))
        if new.status == "stuck" and old.status != "stuck":
            stuck.append(item(k, new))
        known = set(decision_lines(old.note))
        decisions += [Decision(k, t) for t in decision_lines(new.note) if t not in known]
    return SinceReport(
        label, tuple(finished), tuple(stuck), tuple(reopened), tuple(decisions), note
    )


DEFAULT_SINCE_DAYS = 30


def since_line(
    pack: ProcessPack, path: str, now: StateLike, since: str | None, today: dt.date
) -> str | None:
    """One line for the app's overview: what moved since `since` (a date or git revision;
    by default 30 days ago), e.g. "sinds 3 november 2026: +2 afgerond, +1 vastgelopen".
    None when the file has no git history to compare with. Runs git: never in a workshop."""
    from ..gitlog import file_log, point, state_at
    from ..problems import InvalidInput

    text = since or (today - dt.timedelta(days=DEFAULT_SINCE_DAYS)).isoformat()
    try:
        at = point(path, text)
    except InvalidInput:
        return None
    log = file_log(path, pack, path)
    if log.fallback:
        return None
    s = build_since(pack, at.label, state_at(pack, log.changes, at), now)
    bits = [f"+{len(s.finished)} afgerond", f"+{len(s.stuck)} vastgelopen"]
    if s.reopened:
        bits.append(f"{len(s.reopened)} heropend")
    if s.decisions:
        bits.append(f"+{len(s.decisions)} {'besluit' if len(s.decisions) == 1 else 'besluiten'}")
    return f"sinds {s.label}: " + ", ".join(bits)
