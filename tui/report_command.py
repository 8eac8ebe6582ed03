"""`r`: the report beside the state file, in HTML or Markdown, and offered to open.

A mixin of `WijkkompasApp`: it needs the app's state path, pack and notifications, and
decides alone whether a program may be started (only at the user's own terminal).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from compass.text import one_line

from .i18n import t

if TYPE_CHECKING:
    from textual.app import App

    _AppBase = App[Any]
else:
    _AppBase = object


class ReportCommand(_AppBase):
    """Writes the report and offers to open it (see `write_report`)."""

    state_path: Path | None
    store: Any
    pack: Any
    external_editor_allowed: bool
    in_workshop: Callable[[], bool]

    def write_report(self) -> None:
        """`r`: asks HTML or Markdown (HTML first), writes the report beside the state file,
        then offers to open it, or says where it is."""
        if self.state_path is None or self.store is None:
            self.notify(t("no_state"), severity="warning")
            return
        from .screens.confirm import ChoiceDialog

        self.push_screen(
            ChoiceDialog(
                t("report.question"),
                [("html", t("report.html")), ("md", t("report.md"))],
            ),
            self._write_report_as,
        )

    def _write_report_as(self, fmt: str | None) -> None:
        if fmt not in ("md", "html") or self.state_path is None:
            return
        from compass.report import write_report_beside

        try:
            path = write_report_beside(self.state_path, self.pack, fmt)  # type: ignore[arg-type]
        except Exception as exc:
            self.notify(one_line(str(exc)), severity="error", timeout=8)
            return
        opener = self._opener()
        if opener is None:
            self.notify(t("report.written", path=str(path)), timeout=10)
            return
        from .screens.confirm import ChoiceDialog

        self.push_screen(
            ChoiceDialog(
                t("report.written", path=str(path)),
                [("open", t("report.open")), ("close", t("report.close"))],
            ),
            lambda answer: self._open_report(opener, path) if answer == "open" else None,
        )

    def _opener(self) -> str | None:
        """The desktop's opener, only at the user's own terminal: a workshop session never
        starts a program on the server."""
        if not self.external_editor_allowed or self.in_workshop():
            return None
        from .opener import find_opener

        return find_opener()

    def _open_report(self, opener: str, path: Path) -> None:
        from .opener import open_file

        try:
            open_file(opener, path)
        except OSError as exc:
            self.notify(one_line(str(exc)), severity="error", timeout=8)
