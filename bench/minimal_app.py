"""The start-up baseline: the smallest Textual app, measured with the navigator's harness.

It mounts one Static and, like the navigator under WIJKKOMPAS_EXIT_AFTER_PAINT=1,
runs headless and exits right after its first paint. What the navigator costs on
top of this is what wijkkompas itself adds; Python's and Textual's own start-up
cancel out in the ratio. Run as a script (`python bench/minimal_app.py`), the way
the `wijkkompas` console script runs, so both pay the same interpreter start.
"""

from textual.app import App, ComposeResult
from textual.widgets import Static


class MinimalApp(App):
    def compose(self) -> ComposeResult:
        yield Static("Wijkkompas")

    def on_mount(self) -> None:
        self.call_after_refresh(self.exit)


if __name__ == "__main__":
    MinimalApp().run(headless=True)
