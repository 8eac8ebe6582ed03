"""Key → frame latency in the navigator: cursor moves, go-to and search keystrokes.

In-process with Textual's Pilot (`app.run_test(size=(80, 24))`). Timing one key:

1. `t0`, then the key event is posted to the app the way the driver does it;
2. wait until the app, the current screen and all its widgets have processed
   every message (repeated until the queues stay empty, so cascades such as
   Input.Changed → new options are included);
3. force the frame: `screen._on_timer_update()` does the layout and renders the
   changed regions synchronously (what `pilot.pause()` ends with); then `t1`.

How long until the page itself is there is measured separately for go-to's
Enter ("pagina klaar": from the key until the detail page update finished).

`pilot.press()` itself cannot be timed: it sleeps at least 2 × 20 ms waiting for
the process to look idle. What is measured is the app's own work per key; a real
terminal adds up to one frame period (1/60 s) of waiting for Textual's refresh
timer on top. Between samples the app is left idle for longer than the
navigator's page debounce, so the deferred page render of one sample never lands
in the next one (the debounce is how the app keeps cursor moves cheap).

Before the first key the bench waits until the app has rendered its pages ahead
(`tui/idle.py`, as it does while a user reads the first page; ~1-2 s for 91
knooppunten, capped for 10,008): a jump then shows its page in the frame of the key.

The baseline is the same cursor move in a bare Textual `Tree` with as many
leaves, measured the same way in the same run: what Textual itself costs.
"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

from textual import events
from textual.app import App, ComposeResult
from textual.widgets import Tree

from .common import Row, percentile, project_file, ratio_at_most, value_at_most, within

CHARS = {"enter": "\r", "escape": "\x1b", "slash": "/", "space": " "}
QUIET = 0.2  # s, longer than tui.widgets.detail.DETAIL_DELAY
GOAL_MS = {"klein": 16.0, "groot": 50.0}


def _both(a: str, b: str) -> str:
    """Two goals in one row: the worse of "ja", "krap", "nee"."""
    order = ("ja", "krap", "nee")
    return max(a, b, key=order.index)


def _page_goal(p95: float, t: float):
    """The page's goal: p50 (the row's value) within 1 T and p95 within 2 T."""
    return lambda r: _both(within(r.ratio, 1.0), within(p95 / t, 2.0))


def _key_event(key: str) -> events.Key:
    return events.Key(key, CHARS.get(key, key if len(key) == 1 else None))


async def _drain(pilot, rounds: int = 20) -> None:
    app = pilot.app
    for _ in range(rounds):
        await pilot._wait_for_screen()
        nodes = [app, *app.screen.walk_children(with_self=True)]
        if all(n._message_queue.empty() for n in nodes):
            return


def _page_update(app):
    """The navigator's latest detail page update (an AwaitComplete), if any."""
    for screen in app.screen_stack:
        try:
            return getattr(screen.query_one("#detail"), "page_update", None)
        except Exception:
            continue
    return None


async def key_to_frame(pilot, key: str) -> float:
    """Milliseconds from posting `key` until its frame has been composed."""
    app = pilot.app
    t0 = time.perf_counter()
    app.post_message(_key_event(key))
    await _drain(pilot)
    app.screen._on_timer_update()
    return (time.perf_counter() - t0) * 1000


async def key_to_page(pilot, key: str) -> tuple[float, float]:
    """(key → frame ms, key → page ms) for a key that opens another knooppunt's page."""
    before = _page_update(pilot.app)
    t0 = time.perf_counter()
    frame = await key_to_frame(pilot, key)
    deadline = time.perf_counter() + 5.0
    page = _page_update(pilot.app)
    while (
        page is before and time.perf_counter() < deadline
    ):  # the navigator may build it a moment later
        await asyncio.sleep(0.002)
        page = _page_update(pilot.app)
    if page is not None and page is not before:
        await page
        await _drain(pilot)
        pilot.app.screen._on_timer_update()
    return frame, (time.perf_counter() - t0) * 1000


async def _quiet(pilot, seconds: float = QUIET) -> None:
    await pilot.pause(seconds)
    await _drain(pilot)
    pilot.app.screen._on_timer_update()


async def _settled(pilot, limit: float = 10.0) -> float:
    """Wait while the app renders its pages ahead (`tui.idle`), as it does while a user reads
    the first page after the start; returns the seconds that took."""
    t0 = time.perf_counter()
    while pilot.app.idle_work.running("pages") and time.perf_counter() - t0 < limit:
        await asyncio.sleep(0.05)
    return time.perf_counter() - t0


async def _typed(pilot, keys: list[str], quiet_after: set[str]) -> list[float]:
    out = []
    for key in keys:
        out.append(await key_to_frame(pilot, key))
        await _quiet(pilot, QUIET if key in quiet_after else 0.0)
    return out


def _digits(n: int) -> list[str]:
    return list(str(n))


def _spell(text: str) -> list[str]:
    return ["space" if c == " " else c for c in text]


async def navigator_latencies(
    pack, state: Path | None, moves: int, targets: list[int], queries: list[str]
) -> dict[str, list[float]]:
    from tui.app import WijkkompasApp

    app = WijkkompasApp(pack, state, create_if_missing=False)
    app.freeze_gc = True  # as `wijkkompas` runs it (tui/run.py)
    app.render_ahead = True
    result: dict[str, list[float]] = {"cursor": [], "goto": [], "search": [], "page": []}
    async with app.run_test(size=(80, 24)) as pilot:
        await _quiet(pilot, 0.5)
        await _settled(pilot)
        for key in ["down"] * moves + ["up"] * moves:
            result["cursor"].append(await key_to_frame(pilot, key))
            await _quiet(pilot)
        for n in targets:
            result["goto"] += await _typed(pilot, ["g", *_digits(n)], set())
            frame, page = await key_to_page(pilot, "enter")
            result["goto"].append(frame)
            result["page"].append(page)
            await _quiet(pilot)
        for q in queries:
            result["search"] += await _typed(pilot, ["slash", *_spell(q), "escape"], {"escape"})
    return result


class _BareTree(App):
    def __init__(self, leaves: int) -> None:
        super().__init__()
        self.leaves = leaves

    def compose(self) -> ComposeResult:
        tree: Tree[int] = Tree("root")
        tree.show_root = False
        group = tree.root.add("groep", expand=True)
        for i in range(self.leaves):
            group.add_leaf(f"○ {i + 1:>2} Knooppunt {i + 1}", data=i)
        yield tree


async def bare_tree_latencies(leaves: int, moves: int) -> list[float]:
    app = _BareTree(leaves)
    out = []
    async with app.run_test(size=(80, 24)) as pilot:
        await _quiet(pilot, 0.1)
        for key in ["down"] * moves + ["up"] * moves:
            out.append(await key_to_frame(pilot, key))
            await _quiet(pilot, 0.0)
    return out


def measure(packs: list[tuple[str, str, Path | None]], moves: int, rounds: int) -> list[Row]:
    """`packs`: (size class "klein"/"groot", label, pack dir or None for the bundled pack)."""
    from compass.pack import load_pack

    rows: list[Row] = []
    for size, _label, pack_dir in packs:
        pack = load_pack(pack_dir)
        n = len(pack.knooppunten)
        state = project_file(pack_dir, "Bench")
        targets = [max(1, round(n * f)) for f in (0.13, 0.5, 0.07, 0.97, 0.66, 0.25, 0.78, 0.03)][
            :rounds
        ]
        queries = (
            ["warmte", "bewoners", "netcongestie", "subsidie", "participatie"]
            if pack_dir is None
            else ["warmte", "tip twee", "knoop", "stap", "bron"]
        )[:rounds]
        lat = asyncio.run(navigator_latencies(pack, state, moves, targets, queries))
        base = asyncio.run(bare_tree_latencies(n, moves))
        base_p95 = percentile(base, 95)
        goal = GOAL_MS[size]
        where = f"{n:,} knooppunten".replace(",", ".")
        state_note = (
            "" if state is not None else "; zonder projectbestand (compass/state.py ontbreekt)"
        )
        # Goals as multiples of T, the bare Tree's cursor move measured here in the same run
        # (the machines differ from run to run): typing at most 1 T (91) or 2 T (10.008).
        t_goal = 1.0 if size == "klein" else 2.0
        for kind, title in (
            ("cursor", "cursor omlaag/omhoog"),
            ("goto", "ga naar (g, cijfers, enter)"),
            ("search", "zoeken (/, letters, esc)"),
        ):
            v = lat[kind]
            if kind == "cursor":
                goal_text, check = f"≤ {goal:g} ms p95", value_at_most(goal)
            else:
                goal_text, check = f"≤ {t_goal:g} T p95", ratio_at_most(t_goal)
            rows.append(
                Row(
                    f"toets → frame p95, {title}, {where}",
                    percentile(v, 95),
                    "ms",
                    base_p95,
                    f"T: kale Textual-Tree, {n} bladeren, cursor p95",
                    goal_text,
                    check,
                    f"p50 {percentile(v, 50):.1f} ms, max {max(v):.1f} ms, n={len(v)}{state_note}",
                )
            )
        v = lat["page"]
        p50, p95 = percentile(v, 50), percentile(v, 95)
        rows.append(
            Row(
                f"toets → pagina klaar p50, ga naar (enter), {where}",
                p50,
                "ms",
                base_p95,
                f"T: kale Textual-Tree, {n} bladeren, cursor p95",
                "p50 ≤ 1 T en p95 ≤ 2 T" if size == "klein" else "geen doel gesteld",
                _page_goal(p95, base_p95) if size == "klein" else None,
                f"pagina volledig opgebouwd; p95 {p95:.0f} ms ({p95 / base_p95:.1f} T), n={len(v)}",
            )
        )
    return rows
