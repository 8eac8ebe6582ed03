"""End to end in a real terminal: the console script in tmux at 80×24, keys in, file out."""

from __future__ import annotations

import shutil
import subprocess
import time
import uuid
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from tests.cli_helpers import SCRIPT, wijkkompas

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")


class Tmux:
    def __init__(self, command: str, cwd: Path) -> None:
        self.name = f"wk-{uuid.uuid4().hex[:8]}"
        subprocess.run(
            [
                "tmux",
                "new-session",
                "-d",
                "-s",
                self.name,
                "-x",
                "80",
                "-y",
                "24",
                "-c",
                str(cwd),
                command,
            ],
            check=True,
        )

    def keys(self, *keys: str) -> None:
        for key in keys:
            subprocess.run(["tmux", "send-keys", "-t", self.name, key], check=True)
            time.sleep(0.15)

    def screen(self) -> str:
        return subprocess.run(
            ["tmux", "capture-pane", "-p", "-t", self.name], capture_output=True, text=True
        ).stdout

    def wait_for(self, text: str, timeout: float = 20) -> str:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            screen = self.screen()
            if text in screen:
                return screen
            time.sleep(0.2)
        raise AssertionError(f"{text!r} did not appear on screen:\n{self.screen()}")

    def close(self) -> None:
        subprocess.run(["tmux", "kill-session", "-t", self.name], capture_output=True)


def test_goto_and_set_status_in_a_real_terminal(tmp_path: Path) -> None:
    state = tmp_path / "wijkkompas.yaml"
    assert wijkkompas("new", str(state), "--name", "Tmuxwijk", cwd=tmp_path).returncode == 0
    slug = [k for k in YAML(typ="safe").load(state.read_text(encoding="utf-8"))["knooppunten"]][41]
    term = Tmux(f"env TERM=xterm-256color {SCRIPT} {state}", tmp_path)
    try:
        term.wait_for("Tmuxwijk")
        term.keys("g", "4", "2", "Enter")
        screen = term.wait_for("42.")
        term.keys("s")
        term.wait_for("afgerond")
        term.keys("3")
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            data = YAML(typ="safe").load(state.read_text(encoding="utf-8"))
            if data["knooppunten"][slug]["status"] == "done":
                break
            time.sleep(0.2)
        assert data["knooppunten"][slug]["status"] == "done", screen
        term.keys("q")
        time.sleep(1.0)
        assert "Tmuxwijk" not in term.screen()
    finally:
        term.close()
