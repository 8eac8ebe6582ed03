"""`pip install .` into a clean venv works, and the installed command finds its bundled pack."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_pip_install_into_clean_venv(tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    pip = [
        str(venv / "bin" / "python"),
        "-m",
        "pip",
        "install",
        "--quiet",
        "--disable-pip-version-check",
    ]
    r = subprocess.run([*pip, str(ROOT)], capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr[-2000:]
    work = tmp_path / "elders"
    work.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["WIJKKOMPAS_CACHE_DIR"] = str(tmp_path / "cache")
    out = subprocess.run(
        [str(venv / "bin" / "wijkkompas"), "list", "--json"],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    assert len(json.loads(out.stdout)) >= 90
    found = subprocess.run(
        [
            str(venv / "bin" / "python"),
            "-c",
            "import compass.pack as p; print(p.bundled_pack_dir())",
        ],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
    )
    assert str(venv) in found.stdout, "the installed package must use its own copy of the pack"
    no_data = subprocess.run(
        [str(venv / "bin" / "python"), "-c", "import data"],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
    )
    assert no_data.returncode != 0, "data/ must not be installed as a top-level module"
