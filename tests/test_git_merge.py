"""Two people, two git branches, two knooppunten: `git merge` needs no help.

This is why the file has one knooppunt per mapping entry, one field per line and
notes as literal blocks, and why a change touches only its own knooppunt's lines.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from compass.model import ProcessPack
from compass.state import load_state, validate_state
from tests.cli_helpers import wijkkompas

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def git(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    r = subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True)
    assert r.returncode == 0, f"git {' '.join(args)}: {r.stdout}{r.stderr}"
    return r


def wk(repo: Path, pack: Path, *args: str) -> None:
    r = wijkkompas(*args, "--pack", str(pack), cwd=repo)
    assert r.returncode == 0, r.stderr


@pytest.fixture
def repo(tmp_path: Path, mini_pack_dir: Path) -> Path:
    repo = tmp_path / "project"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    git(repo, "config", "user.name", "Test")
    git(repo, "config", "user.email", "test@example.org")
    git(repo, "config", "commit.gpgsign", "false")
    (repo / ".gitignore").write_text(".*.lock\n", encoding="utf-8")
    wk(repo, mini_pack_dir, "new", "wijkkompas.yaml", "--name", "De Maten")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "start")
    return repo


def branch_with(repo: Path, pack: Path, name: str, *sets: list[str]) -> None:
    git(repo, "checkout", "-q", "-b", name, "main")
    for args in sets:
        wk(repo, pack, "set", "wijkkompas.yaml", *args)
    git(repo, "commit", "-q", "-am", name)


@pytest.mark.parametrize(
    "first, second",
    [
        (
            ["1", "--status", "done", "--note", "Wijkschouw gedaan.\nVerslag in de map."],
            ["2", "--status", "doing", "--owner", "netbeheerder"],
        ),
        (
            ["5", "--note", "Eerste notitie"],
            ["6", "--note", "Tweede\nnotitie", "--due", "2027-01-01"],
        ),
        (
            ["12", "--status", "stuck", "--note", "laatste"],
            ["11", "--owner", "corporatie", "--status", "done"],
        ),
    ],
)
def test_changes_to_neighbouring_knooppunten_merge_cleanly(
    repo: Path, mini_pack_dir: Path, mini_pack: ProcessPack, first: list[str], second: list[str]
) -> None:
    branch_with(repo, mini_pack_dir, "fatima", first)
    branch_with(repo, mini_pack_dir, "jan", second)
    git(repo, "checkout", "-q", "main")
    git(repo, "merge", "-q", "--no-edit", "fatima")
    merged = subprocess.run(
        ["git", "merge", "--no-edit", "jan"], cwd=repo, capture_output=True, text=True
    )
    assert merged.returncode == 0, merged.stdout + merged.stderr
    state_file = repo / "wijkkompas.yaml"
    assert validate_state(state_file, mini_pack) == []
    state = load_state(state_file, mini_pack)
    for args in (first, second):
        entry = state.entry(mini_pack.resolve(args[0]).slug)
        pairs = dict(zip(args[1::2], args[2::2], strict=False))
        assert entry.status == pairs.get("--status", "todo")
        assert entry.note == pairs.get("--note", "")
        assert entry.owner == pairs.get("--owner", "")
        assert (entry.due.isoformat() if entry.due else None) == pairs.get("--due")
    assert git(repo, "status", "--porcelain").stdout == ""
