"""A knooppunt's timeline from git: who changed what and when, newest first (`h`).

Why a dialog of its own: the question "what happened here since the last meeting?" is
about one knooppunt, and the answer is in the state file's git history
(`compass.gitlog`). Reading it runs git, so it happens in a worker thread (the first
call reads the whole history; later calls come from the cache, keyed by HEAD), and
never in a workshop session: a participant never makes the server start a program.
"""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from compass.model import Knooppunt, ProcessPack
from compass.text import one_line

from ..i18n import t
from . import DIALOG_CSS


class TimelineScreen(ModalScreen[None]):
    CSS_PATH = DIALOG_CSS
    BINDINGS = [Binding("escape,h,q", "close", show=False)]

    def __init__(
        self, path: Path | None, knooppunt: Knooppunt, pack: ProcessPack, *, local: bool
    ) -> None:
        super().__init__()
        self.path = path
        self.local = local  # at the user's own terminal: git may run
        self.knooppunt = knooppunt
        self.pack = pack

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(
                Text(t("timeline.title", title=one_line(self.knooppunt.label))),
                classes="dialog-title",
            )
            with VerticalScroll():
                yield Static(Text(t("timeline.reading")), id="timeline-body")
            yield Static(Text(t("timeline.hint")), classes="dialog-hint")

    def on_mount(self) -> None:
        if self.path is None:
            self._show([t("timeline.no_file")])
        elif not self.local:
            self._show([t("timeline.workshop")])
        else:
            self._read(self.path)

    @work(thread=True, exclusive=True)
    def _read(self, path: Path) -> None:
        from compass.commands.changes import describe, when
        from compass.gitlog import NoHistory, file_log, knooppunt_timeline

        try:
            why_not = file_log(path, self.pack).fallback  # cached: the timeline reuses it
            changes = knooppunt_timeline(path, self.knooppunt.slug, self.pack)
        except NoHistory as exc:
            lines = [one_line(str(exc))]
        except OSError as exc:
            lines = [one_line(f"{t('timeline.failed')}: {exc.strerror or exc}")]
        else:
            lines = []
            head = None
            for c in changes:
                key = (c.commit, c.date, c.author)
                if key != head:
                    head = key
                    if lines:
                        lines.append("")
                    who = c.author or c.by or "?"
                    lines.append(one_line(f"{when(c)} · {who}"))
                lines.extend("  " + one_line(text) for text in describe(self.pack, c))
            if not lines:
                lines = [t("timeline.empty")]
            if why_not:  # no git history: say why, above what the file itself records
                lines = [one_line(why_not), "", *lines]
        self.app.call_from_thread(self._show, lines)

    def _show(self, lines: list[str]) -> None:
        self.query_one("#timeline-body", Static).update(Text("\n".join(lines)))

    def action_close(self) -> None:
        self.dismiss(None)
