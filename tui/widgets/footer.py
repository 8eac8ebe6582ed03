"""The footer: the keys of the current screen on one line, drawn as one piece of text.

It is also where go-to asks its question (`ask`): the line then takes the keys
through the app's `key_grab`, without taking the focus.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import TYPE_CHECKING, Protocol, cast

from rich.style import Style
from rich.text import Text
from textual import events
from textual.widget import Widget

from ..commands import label_of
from ..textual_compat import SameLines

if TYPE_CHECKING:
    from collections.abc import Callable

    from compass.model import Knooppunt

    from ..host import Host


class Prompt(Protocol):
    """A question asked in the footer line: go-to (`goto_prompt`) and search (`search_prompt`)."""

    done: Callable[[int | None], None]

    @property
    def current(self) -> Knooppunt | None: ...
    def type(self, text: str) -> None: ...
    def backspace(self) -> None: ...
    def move(self, step: int) -> None: ...
    def render(self, key_style: Style, text_style: Style, width: int = 80) -> Text: ...


_DIM = Style(dim=True)


Entry = tuple[str, str, str, bool]  # key, how it is shown, description, enabled
Shown = tuple[tuple[Entry, ...], Entry | None]  # the keys on the left, the palette key or None


class KeyFooter(SameLines, Widget, can_focus=False):
    """The screen's shown bindings (the `Command` declarations with `footer=True`) and the palette
    key.

    Textual's Footer is a container of one FooterKey widget per key: composing and
    styling those cost ~30 ms of every start, and each key is a region of its own in
    every repaint and in the bytes sent over SSH. This draws the same keys, styled with
    the same theme variables, as one Text; a click on a key presses it.

    The line of keys is drawn once per set of keys, width and look (`SameLines`): when
    go-to's question ends, the keys come back as they were drawn before it.
    """

    ALLOW_SELECT = False
    COMPONENT_CLASSES = {"footer--key", "footer--description"}
    DEFAULT_CSS = """
    KeyFooter {
        dock: bottom;
        height: 1;
        color: $footer-foreground;
        background: $footer-background;
        & > .footer--key {
            color: $footer-key-foreground;
            background: $footer-key-background;
            text-style: bold;
        }
        & > .footer--description {
            color: $footer-description-foreground;
            background: $footer-description-background;
        }
    }
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._shown: Shown | None = None  # the keys last drawn (kept up to date between)
        self.prompt: Prompt | None = None
        self._answers: Widget | None = None  # see ask

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def _entries(self) -> Shown:
        """(keys to show left, the palette key or None): (key, display, description, enabled)
        each."""
        app = self.app
        shown, seen = [], set()
        for _, binding, enabled, _tooltip in self.screen.active_bindings.values():
            if binding.show and binding.action not in seen:
                seen.add(binding.action)
                shown.append(
                    (binding.key, app.get_key_display(binding), label_of(binding), enabled)
                )
        palette = None
        if app.ENABLE_COMMAND_PALETTE:
            found = self.screen.active_bindings.get(app.COMMAND_PALETTE_BINDING)
            if found is not None:
                _, binding, enabled, _tooltip = found
                palette = (binding.key, app.get_key_display(binding), label_of(binding), enabled)
        return tuple(shown), palette

    def _bindings_changed(self, _screen) -> None:
        entries = self._entries()
        if entries != self._shown:  # the same keys after a dialog closes: nothing to redraw
            self._shown = entries
            self.refresh()

    def shown_key(self) -> Hashable | None:
        """The keys shown (the bindings signal keeps them up to date); the question is drawn
        anew with each key typed."""
        return None if self.prompt is not None else self._shown

    @property
    def descriptions(self) -> list[str]:
        """What the footer says, key by key (for tests and the help screen's checks)."""
        shown, palette = self._entries()
        return [d for _, _, d, _ in shown] + ([palette[2]] if palette else [])

    # --- go-to asks here ---------------------------------------------------------------

    def ask(self, prompt: Prompt, answers: Widget | None = None) -> None:
        """Show `prompt` in this line and give it the keys until Enter or Esc (see
        `WijkkompasApp.key_grab`). A click withdraws the question, except in `answers` (where
        search shows its results: a click there picks one)."""
        self.prompt = prompt
        self._answers = answers
        cast("Host", self.app).key_grab = self
        self.refresh()

    def keeps_click(self, event: events.MouseDown) -> bool:
        answers = self._answers
        return answers is not None and answers.region.contains(event.screen_x, event.screen_y)

    def cancel(self) -> None:
        self._finish(None)

    def answer(self, number: int) -> None:
        """End the question with `number` as its answer (a search result clicked)."""
        self._finish(number)

    def _finish(self, number: int | None) -> None:
        prompt, self.prompt = self.prompt, None
        self._answers = None
        if getattr(self.app, "key_grab", None) is self:
            self.app.key_grab = None
        self.refresh()
        if prompt is not None:
            prompt.done(number)

    def key(self, event: events.Key) -> bool:
        """A key while asking: True when the question used it (every key but tab and ctrl
        combinations)."""
        prompt = self.prompt
        if prompt is None or not self.is_attached or self.app.screen is not self.screen:
            return False
        key = event.key
        if key == "escape":
            self._finish(None)
        elif key == "enter":
            k = prompt.current
            if k is None:
                self.app.bell()
            else:
                self._finish(k.number)
        elif key == "backspace":
            prompt.backspace()
            self.refresh()
        elif key in ("up", "down", "pageup", "pagedown"):
            page = max(1, self.screen.size.height - 3)
            prompt.move({"up": -1, "down": 1, "pageup": -page, "pagedown": page}[key])
            self.refresh()
        elif event.is_printable and event.character:
            prompt.type(event.character)
            self.refresh()
        else:
            return False  # not ours (tab, ctrl+...): let it through
        return True

    # --- drawing -------------------------------------------------------------------------

    def render(self) -> Text:
        key_style = self.get_component_rich_style("footer--key")
        desc_style = self.get_component_rich_style("footer--description")
        if self.prompt is not None:
            return self.prompt.render(key_style, desc_style, self.size.width)
        self._shown = self._entries()
        return self._line(self._shown, self.size.width, key_style, desc_style)[0]

    def key_spans(self) -> list[tuple[int, int, str, bool]]:
        """Where each key shown is: (from x, to x, key, enabled)."""
        if self._shown is None or self.prompt is not None:
            return []
        return self._line(self._shown, self.size.width, Style(), Style())[1]

    @staticmethod
    def _line(
        shown: Shown, width: int, key_style: Style, desc_style: Style
    ) -> tuple[Text, list[tuple[int, int, str, bool]]]:
        """The line of keys at `width` cells, and where each key is in it."""
        keys, palette = shown
        line = Text(no_wrap=True, overflow="ellipsis", end="")
        spans = []

        def add(key: str, display: str, description: str, enabled: bool) -> None:
            start = line.cell_len
            line.append(f" {display} ", style=key_style if enabled else key_style + _DIM)
            line.append(f"{description} ", style=desc_style if enabled else desc_style + _DIM)
            spans.append((start, line.cell_len, key, enabled))

        for entry in keys:
            add(*entry)
        if palette is not None:
            right = Text(
                no_wrap=True, end=""
            )  # compact, at the right edge, as Textual's footer has it
            right.append(palette[1], style=key_style)
            right.append(f" {palette[2]}", style=desc_style)
            gap = width - line.cell_len - right.cell_len
            if gap >= 1:
                line.append(" " * (gap - 1) + "▏")
                start = line.cell_len
                line.append_text(right)
                spans.append((start, line.cell_len, palette[0], palette[3]))
        return line, spans

    def on_mouse_down(self, event: events.MouseDown) -> None:
        if self.prompt is not None:
            return
        for start, end, key, enabled in self.key_spans():
            if start <= event.x < end:
                if enabled:
                    self.app.simulate_key(key)
                else:
                    self.app.bell()
                event.stop()
                return
