"""The tree of phases → sporen → knooppunten: a status mark, the title, owner and "te laat".

A knooppunt's line is drawn to the tree's width: the title gets what is left after
the marks, and the owner tag and the overdue mark stand at the right edge, so they
stay visible however narrow the tree is (a cut title ends in "…").
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual.binding import Binding
from textual.geometry import Region
from textual.message import Message
from textual.strip import Strip
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from compass.model import STATUS_MARKS, STATUS_STYLES, TRACKS, Knooppunt, ProcessPack
from compass.text import visible

from ..i18n import t
from ..textual_compat import KeptLines, QuietTree
from .strips import flat_strip

# NamedTuples, not dataclasses: a frozen dataclass compiles six methods when its module is
# imported (~0.5 ms each class on the way to the first paint); these only need their fields.


class NodeRef(NamedTuple):
    kind: str  # "phase", "track" or "k"
    phase: int
    track: str = ""
    number: int = 0


class Marks(NamedTuple):
    """What a knooppunt's line shows besides its number and title."""

    status: str = "todo"
    bookmarked: bool = False
    owner: str = ""
    overdue: bool = False


MarksOf = Callable[[Knooppunt], Marks]
OWNER_TAG = 9  # cells at most for the owner's tag at the right of a line
LEAF_INDENT = 4  # the guides before a knooppunt's line (phase and spoor levels, guide_depth 2)
OVERDUE_STYLE = "bold red"


def owner_tag(owner: str) -> str:
    """A short tag for the owner: the first word of the name (a first name, a role), cut to
    OWNER_TAG cells with "…"; the page and the agenda (a) show the whole name."""
    words = visible(owner).split()
    first = words[0] if words else ""
    return first if cell_len(first) <= OWNER_TAG else first[: OWNER_TAG - 1] + "…"


class ProcessTree(QuietTree, KeptLines, Tree[NodeRef]):
    BINDINGS = [
        Binding("j", "cursor_down", "omlaag", show=False),
        Binding("k", "cursor_up", "omhoog", show=False),
    ]

    def __init__(self, pack: ProcessPack, marks_of: MarksOf, **kwargs) -> None:
        super().__init__(t("tree.root"), **kwargs)
        self.pack = pack
        self.marks_of = marks_of
        self.show_root = False
        self.guide_depth = 2
        self._knoop_nodes: dict[int, TreeNode[NodeRef]] = {}
        self._group_nodes: dict[tuple[int, str], TreeNode[NodeRef]] = {}
        self._drawn: dict[int, Marks] = {}  # what each knooppunt label shows now
        self.shown: Callable[[Knooppunt], bool] | None = None

    class Open(Message):
        """Enter on a knooppunt: the reader wants its page (the navigator gives it the room)."""

    def on_mount(self) -> None:
        self.rebuild()

    def action_select_cursor(self) -> None:
        """Enter: Tree's own selection, and on a knooppunt a request to read its page."""
        super().action_select_cursor()
        if self.current_number() is not None:
            self.post_message(self.Open())

    def process_label(self, label: str | Text) -> Text:
        """Labels are plain text, never Rich markup: a `[` in a title stays a `[` (and no markup
        parse per node)."""
        return (Text(label) if isinstance(label, str) else label).split()[0]

    # --- building --------------------------------------------------------------

    def rebuild(self, keep: int | None = None) -> None:
        """(Re)build the whole tree, e.g. after a filter change.

        Every node gets its label when it is added: a label set afterwards
        (`set_label`) queues a refresh of that node, ~110 callbacks on the way to the
        first paint.
        """
        self.clear()
        self._knoop_nodes.clear()
        self._drawn.clear()
        self._group_nodes.clear()
        shown = [k for k in self.pack.knooppunten if self.shown is None or self.shown(k)]
        marks = {k.number: self.marks_of(k) for k in shown}
        totals = self._totals(shown, marks)
        for phase in self.pack.phases:
            items = [k for k in shown if k.phase == phase.number]
            if not items:
                continue
            label = self._group_label(phase.number, "", totals)
            pnode = self.root.add(label, NodeRef("phase", phase.number), expand=False)
            self._group_nodes[(phase.number, "")] = pnode
            for track in TRACKS:
                in_track = [k for k in items if k.track == track]
                if not in_track:
                    continue
                label = self._group_label(phase.number, track, totals)
                tnode = pnode.add(label, NodeRef("track", phase.number, track), expand=True)
                self._group_nodes[(phase.number, track)] = tnode
                for k in in_track:
                    self._drawn[k.number] = marks[k.number]
                    leaf = tnode.add_leaf(
                        self.knooppunt_label(k, marks[k.number]),
                        NodeRef("k", k.phase, k.track, k.number),
                    )
                    self._knoop_nodes[k.number] = leaf
        if keep is not None and keep in self._knoop_nodes:
            self.select_knooppunt(keep)

    def refresh_labels(self) -> None:
        """Bring marks and progress counts up to date with the state.

        Only labels whose (status, bookmark) changed are redrawn: with 10,000
        knooppunten redrawing all of them took ~350 ms on every save.
        """
        shown: list[Knooppunt] = []
        marks: dict[int, Marks] = {}
        for number, node in self._knoop_nodes.items():
            k = self.pack.by_number(number)
            if k is None:
                continue
            shown.append(k)
            marks[number] = self.marks_of(k)
            if self._drawn.get(number) != marks[number]:
                self._drawn[number] = marks[number]
                node.set_label(self.knooppunt_label(k, marks[number]))
        totals = self._totals(shown, marks)
        for (phase_no, track), node in self._group_nodes.items():
            label = self._group_label(phase_no, track, totals)
            if node.label != label:  # a new label is a line drawn again, also one drawn ahead
                node.set_label(label)

    @staticmethod
    def _totals(
        shown: list[Knooppunt], marks: dict[int, Marks]
    ) -> dict[tuple[int, str], list[int]]:
        """(phase, "") and (phase, track) -> [finished, total] of the knooppunten shown."""
        totals: dict[tuple[int, str], list[int]] = {}
        for k in shown:
            finished = marks[k.number].status in ("done", "skipped")
            for key in ((k.phase, ""), (k.phase, k.track)):
                tot = totals.setdefault(key, [0, 0])
                tot[0] += finished
                tot[1] += 1
        return totals

    def _group_label(
        self, phase_no: int, track: str, totals: dict[tuple[int, str], list[int]]
    ) -> Text:
        """A phase's line (number, counts, title) or a spoor's line under it (name, counts)."""
        done, total = totals.get((phase_no, track), [0, 0])
        if track:
            label = Text(t(f"track.{track}"), style="italic")
            label.append(f"  {done}/{total}", style="dim")
            return label
        phase = self.pack.phase(phase_no)
        label = Text(f"{phase_no} ", style="bold")
        label.append(f"{done}/{total} ", style="dim")
        label.append(phase.title if phase else "", style="bold")
        return label

    def get_label_width(self, node: TreeNode[NodeRef]) -> int:
        """Width of a node's label without rendering it (Tree's documented override point).

        Tree computes every visible line's width on each rebuild; rendering each label
        for that made expanding a phase cost ~100 ms with 10,000 knooppunten.
        """
        if not node.allow_expand and node.data is not None and node.data.kind == "k":
            # a knooppunt's line is drawn to the tree's width whatever its title
            # (render_label), and the tree does not scroll sideways: measuring thousands
            # of titles at every open phase was ~70% of Tree's renumbering at 10,000
            return 0
        width = node.label.cell_len  # type: ignore[union-attr]  # our labels are always Text
        if node.allow_expand:
            width += cell_len(self.ICON_NODE_EXPANDED if node.is_expanded else self.ICON_NODE)
        return width

    @staticmethod
    def knooppunt_label(k: Knooppunt, marks: Marks, width: int = 0) -> Text:
        """Mark, number, title and, at the right, owner tag and "!" (overdue).

        With `width` the line is exactly that wide: the title is cut with "…" to
        leave room for the tags. Without, the natural line (its width for Tree).
        """
        status = marks.status
        label = Text(STATUS_MARKS.get(status, "?"), style=STATUS_STYLES.get(status, ""))
        label.append(f" {k.number:>2} ")
        if marks.bookmarked:
            label.append("★ ", style="yellow")
        tags = Text()  # in columns: the owner's tag, then "!" in the last cell
        if marks.owner:
            tag = owner_tag(marks.owner)
            tags.append(" " + tag, style="italic")
            if width > 0:
                tags.append(" " * (OWNER_TAG - cell_len(tag)))
        if marks.overdue:
            tags.append(" !", style=OVERDUE_STYLE)
        elif width > 0:
            tags.append("  ")
        title = k.title  # plain text: no markup is interpreted
        if width > 0:
            room = width - label.cell_len - tags.cell_len
            if cell_len(title) > room:
                title = title[: max(0, room - 1)] + "…" if room > 0 else ""
            label.append(title)
            label.append(" " * max(0, width - label.cell_len - tags.cell_len))
        else:
            label.append(title)
        label.append_text(tags)
        return label

    def render_label(self, node: TreeNode[NodeRef], base_style: Style, style: Style) -> Text:
        """A knooppunt's line fitted to the tree's width (see `knooppunt_label`)."""
        ref = node.data
        width = self.scrollable_content_region.width - LEAF_INDENT
        if ref is None or ref.kind != "k" or width <= 0:
            return super().render_label(node, base_style, style)
        k = self.pack.by_number(ref.number)
        marks = self._drawn.get(ref.number)
        if k is None or marks is None:
            return super().render_label(node, base_style, style)
        label = self.knooppunt_label(k, marks, width)
        label.stylize(style)
        return label

    def render_lines(self, crop: Region) -> list[Strip]:
        """Each line in as few styled pieces as it can be sent in (the guides are one, not one per
        level)."""
        self._style_now = super().rich_style
        try:
            return [flat_strip(strip, meta=True) for strip in super().render_lines(crop)]
        finally:
            self._style_now = None

    _style_now: Style | None = None

    @property
    def rich_style(self) -> Style:
        """Tree asks for it once per line it draws, and each time it is worked out again from every
        ancestor's styles (~0.1 ms a line): within one `render_lines` it cannot change."""
        return self._style_now if self._style_now is not None else super().rich_style

    def scroll_to_line(self, line: int, animate: bool = True) -> None:
        """Bring `line` into view; when it is off screen, with the cursor half-way down.

        A scroll repaints the whole tree and its scrollbar (~3 KB over SSH). Scrolling
        one line per step at the edge did that on every step; jumping by half a screen
        (vim's 'scrolljump') does it once per half screen. Never animated: each
        frame of an animation is another repaint.
        """
        height = self.scrollable_content_region.height
        top = round(self.scroll_y)
        if line < 0 or height <= 0 or top <= line < top + height:
            return
        self.scroll_to(y=max(0, line - height // 2), animate=False)

    # --- moving ----------------------------------------------------------------

    def select_knooppunt(self, number: int) -> bool:
        node = self._knoop_nodes.get(number)
        if node is None:
            return False
        parent = node.parent
        while parent is not None:
            if not parent.is_expanded:  # expanding an open node would still rebuild every line
                parent.expand()
            parent = parent.parent
        # Tree numbers its lines anew when asked for them, at the latest on idle; until then an
        # opened phase leaves `node.line` stale and the cursor and scroll would land right only
        # in a second frame (a second repaint of the tree). Asked now, both are right at once.
        self.last_line  # noqa: B018
        self.call_after_refresh(self.move_cursor, node)  # before the first layout: no size yet
        self.move_cursor(node)
        return True

    def current_number(self) -> int | None:
        node = self.cursor_node
        if node is not None and node.data is not None and node.data.kind == "k":
            return node.data.number
        return None

    def numbers(self) -> set[int]:
        """The knooppunten the tree shows now."""
        return set(self._knoop_nodes)

    def has(self, number: int) -> bool:
        return number in self._knoop_nodes
