"""Run the real console script, the way a user's shell would."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(sys.executable).parent / "wijkkompas"


def wijkkompas(
    *args: str, cwd: Path | None = None, env: dict[str, str] | None = None, timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    exe = str(SCRIPT) if SCRIPT.exists() else shutil.which("wijkkompas")
    assert exe, "the wijkkompas console script is not installed"
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(
        [exe, *args], cwd=cwd, env=full_env, capture_output=True, text=True, timeout=timeout
    )
