"""What every benchmark module shares: the row shape, statistics, and the inputs.

A row carries its own goal and says whether it was met, so the table can be read
without this code. A figure that could not be measured is still a row, with
`value=None` and the reason in `note`: an empty cell is never a silent pass.
"""

from __future__ import annotations

import math
import os
import statistics
import sys
import tempfile
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
# Generated packs are kept between runs: writing 10,000 pages and validating them
# once costs ~15 s, after that the pack's own JSON cache makes loading cheap.
WORK = Path(
    os.environ.get("WIJKKOMPAS_BENCH_DIR") or Path(tempfile.gettempdir()) / "wijkkompas-bench"
)
PACK_GENERATOR_VERSION = "1"  # bump when tests/fixtures/make_mini_pack.py changes its output


@dataclass
class Row:
    """One line of the table. Times are in ms, memory in MiB, unless `unit` says otherwise."""

    figure: str
    value: float | None
    unit: str
    baseline: float | None = None
    baseline_label: str = ""
    goal: str = ""
    # True/False, or "ja"/"krap"/"nee" for a goal with a margin (see `within`)
    check: Callable[[Row], bool | str] | None = field(default=None, repr=False)
    note: str = ""

    @property
    def ratio(self) -> float | None:
        if self.value is None or not self.baseline:
            return None
        return self.value / self.baseline

    @property
    def met(self) -> str:
        if self.value is None:
            return "niet gemeten"
        if self.check is None:
            return "–"
        result = self.check(self)
        if isinstance(result, str):
            return result
        return "ja" if result else "nee"

    def as_dict(self) -> dict:
        d = asdict(self)
        d.pop("check")
        d["ratio"] = None if self.ratio is None else round(self.ratio, 3)
        d["met"] = self.met
        return d


def not_measured(figure: str, unit: str, goal: str, reason: str) -> Row:
    return Row(figure, None, unit, goal=goal, note=f"niet gemeten: {reason}")


#: a goal counts as met ("ja") only with this much to spare; within the goal but without
#: the margin is "krap": one noisy run on a 2-core machine could flip it
MARGIN = 0.10


def within(value: float | None, limit: float) -> str:
    if value is None or value > limit:
        return "nee"
    return "ja" if value <= limit * (1 - MARGIN) else "krap"


def ratio_at_most(limit: float) -> Callable[[Row], str]:
    return lambda r: within(r.ratio, limit)


def value_at_most(limit: float) -> Callable[[Row], str]:
    return lambda r: within(r.value, limit)


def value_at_least(limit: float) -> Callable[[Row], bool]:
    return lambda r: r.value is not None and r.value >= limit


# --- statistics -----------------------------------------------------------------


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile: with 40 samples p95 is the 38th smallest, a real sample."""
    if not values:
        return math.nan
    s = sorted(values)
    k = max(1, math.ceil(p / 100 * len(s)))
    return s[k - 1]


def median(values: list[float]) -> float:
    return statistics.median(values) if values else math.nan


# --- inputs ---------------------------------------------------------------------


def bench_env(**extra: str) -> dict[str, str]:
    """Environment for measured subprocesses: a private, pre-warmed pack cache."""
    env = dict(os.environ)
    env["WIJKKOMPAS_CACHE_DIR"] = str(WORK / "cache")
    env.pop("WIJKKOMPAS_EXIT_AFTER_PAINT", None)
    env.update(extra)
    return env


def use_bench_cache() -> None:
    """Point this process's pack cache at the bench's own, so timings never depend on ~/.cache."""
    os.environ["WIJKKOMPAS_CACHE_DIR"] = str(WORK / "cache")


def generated_pack(per_cell: int) -> Path:
    """A pack of 12 x `per_cell` knooppunten (834 -> 10,008), generated once and kept."""
    target = WORK / f"pack-{per_cell}-v{PACK_GENERATOR_VERSION}"
    done = target / ".complete"
    if not done.exists():
        sys.path.insert(0, str(ROOT))
        from tests.fixtures.make_mini_pack import make_mini_pack

        make_mini_pack(target, per_cell)
        done.write_text("ok\n")
    return target


def state_module_available() -> bool:
    try:
        import compass.state.store  # noqa: F401
    except ImportError:
        return False
    return True


def project_file(pack_dir: Path | None, name: str) -> Path | None:
    """A fresh project file for a pack, made by the real state store; None when there is no store
    yet."""
    if not state_module_available():
        return None
    from compass.pack import load_pack
    from compass.state import create_state

    folder = Path(tempfile.mkdtemp(prefix="project-", dir=WORK))
    path = folder / "wijkkompas.yaml"
    create_state(path, load_pack(pack_dir), name=name)
    return path


def demo_project() -> Path | None:
    """The bundled demo project (a copy), or a new project file when the store has no demo."""
    if not state_module_available():
        return None
    import compass.state.store as state

    try:
        return Path(state.demo_copy(Path(tempfile.mkdtemp(prefix="demo-", dir=WORK))))
    except (AttributeError, OSError):  # no demo in this checkout yet: a new project file will do
        return project_file(None, "Demo")
