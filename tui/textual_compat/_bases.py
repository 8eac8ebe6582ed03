"""The mixins' bases: typed as what they are mixed into, `object` at run time."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from textual.app import App
    from textual.widget import Widget
    from textual.widgets import Tree

    _WidgetBase = Widget
    _TreeBase = Tree[Any]
    _AppBase = App[Any]
else:
    _WidgetBase = object
    _TreeBase = object
    _AppBase = object
