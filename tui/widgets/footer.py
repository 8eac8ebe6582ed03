"""A Footer that rebuilds its keys only when what it shows changes."""

from __future__ import annotations

from textual.widgets import Footer


class StableFooter(Footer):
    """Textual's Footer, minus the needless rebuilds.

    Textual's Footer recomposes (~15 FooterKey widgets, each restyled) whenever its
    screen republishes its bindings: on every focus change and every time the screen
    comes back from a dialog, ~15-20 ms per time even though the keys it shows are
    the same. This one compares what it would show with what it shows, and only
    rebuilds when that differs. What it shows is exactly the same.
    """

    _shown: tuple | None = None

    def _signature(self) -> tuple:
        app = self.app
        keys = tuple(
            (binding.key, app.get_key_display(binding), binding.description, binding.action, enabled, tooltip, binding.group)
            for (_, binding, enabled, tooltip) in self.screen.active_bindings.values()
            if binding.show
        )
        return keys, self.show_command_palette, app.ENABLE_COMMAND_PALETTE

    def bindings_changed(self, screen) -> None:
        if self._bindings_ready and self._shown is not None and screen.app.app_focus and self.is_attached and screen is self.screen:
            if self._signature() == self._shown:
                return
        super().bindings_changed(screen)

    def compose(self):
        self._shown = self._signature() if self._bindings_ready else None
        yield from super().compose()
