"""The command palette: every command, every knooppunt and every bookmark.

Matching is fuzzy on the short label only (number and title), which stays fast.
"""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

from .commands import NAVIGATOR_COMMANDS
from .i18n import t


class PaletteProvider(Provider):
    """Declared on the navigator screen: `self.screen` is the navigator the palette was opened
    on."""

    def _entries(self):
        nav = self.screen
        if not hasattr(nav, "jump"):
            return
        for c in NAVIGATOR_COMMANDS:
            yield f"{c.label} ({c.display})", partial(nav.run_action, c.action), c.help
        app = self.app
        for k in getattr(app, "bookmarks", lambda: [])():
            yield f"★ {k.number}. {k.title}", partial(nav.jump, k.number), t("bookmarks.title")
        for k in app.pack.knooppunten:
            yield (
                f"{k.number}. {k.title}",
                partial(nav.jump, k.number),
                f"{t('palette.jump')} · {t('phase')} {k.phase}",
            )

    async def discover(self) -> Hits:
        for label, run, help_text in self._entries() or ():
            yield DiscoveryHit(label, run, help=help_text)

    async def search(self, query: str) -> Hits:
        from compass.search import fuzzy_score  # loaded after the first paint, not on the way to it

        matcher = self.matcher(query)
        for label, run, help_text in self._entries() or ():
            score = fuzzy_score(query, label)
            if score > 0:
                yield Hit(min(1.0, score / 120.0), matcher.highlight(label), run, help=help_text)
