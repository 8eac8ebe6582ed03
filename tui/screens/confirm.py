"""Small questions a dialog asks before it loses something: discard my text? whose note?"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from ..i18n import t
from . import DIALOG_CSS


class ChoiceDialog(ModalScreen[str | None]):
    """A question with a few answers (Enter picks, Esc answers None = go back)."""

    CSS_PATH = DIALOG_CSS

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "back", show=False)]

    def __init__(self, question: str, answers: list[tuple[str, str]], detail: Text | None = None):
        super().__init__()
        self.question = question
        self.answers = answers
        self.detail = detail

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="choice"):
            yield Static(Text(self.question), classes="dialog-title")  # a path may hold `[`
            if self.detail is not None:
                yield Static(self.detail, id="choice-detail")
            yield OptionList(*[Option(Text(label), id=key) for key, label in self.answers])

    def on_mount(self) -> None:
        ol = self.query_one(OptionList)
        ol.highlighted = 0
        ol.focus()

    @on(OptionList.OptionSelected)
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_back(self) -> None:
        self.dismiss(None)


def discard_question() -> ChoiceDialog:
    return ChoiceDialog(
        t("discard.question"), [("keep", t("discard.keep")), ("discard", t("discard.yes"))]
    )


def conflict_question(theirs: str, mine: str) -> ChoiceDialog:
    detail = Text()
    detail.append(f"{t('conflict.theirs')}:\n", style="bold")
    detail.append((theirs or t("conflict.empty")) + "\n\n")
    detail.append(f"{t('conflict.mine')}:\n", style="bold")
    detail.append(mine or t("conflict.empty"))
    return ChoiceDialog(
        t("conflict.question"),
        [
            ("both", t("conflict.both")),
            ("mine", t("conflict.keep_mine")),
            ("theirs", t("conflict.keep_theirs")),
            ("edit", t("conflict.edit")),
        ],
        detail,
    )
