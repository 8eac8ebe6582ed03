"""How long one durable, locked save of one knooppunt takes, as the state file grows.

A save re-reads and validates the whole file inside the lock, renders it, checks the
result and fsyncs it, so its cost grows with the number of knooppunten. Workshops
serialise every participant's change through this path, hence the measurement.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path


def measure_save(n_entries: int, repeats: int) -> list[float]:
    """Seconds per save (status + note of one knooppunt) on a generated pack of about n knooppunten.

    The pack has 12 * ceil(n / 12) knooppunten (the generator fills every phase x spoor
    cell equally); each repeat changes a different knooppunt so every save really writes.
    """
    from compass.pack import load_pack
    from compass.state import StateStore, create_state
    from tests.fixtures.make_mini_pack import make_mini_pack

    per_cell = max(1, -(-n_entries // 12))
    with tempfile.TemporaryDirectory(prefix="wijkkompas-bench-") as tmp:
        root = Path(tmp)
        pack = load_pack(make_mini_pack(root / "pack", per_cell=per_cell), use_cache=False)
        path = root / "wijkkompas.yaml"
        create_state(path, pack, "Bench")
        store = StateStore(path, pack, user="bench")
        total = len(pack.knooppunten)
        times: list[float] = []
        for i in range(repeats):
            number = i % total + 1
            start = time.perf_counter()
            store.update(
                number, status="doing" if i % 2 else "done", note=f"meting {i}\ntweede regel"
            )
            times.append(time.perf_counter() - start)
        return times
