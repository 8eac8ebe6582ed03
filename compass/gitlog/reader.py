"""Reading a state file's history from the git repository it lives in.

Why the git command line and so few processes: people keep the file in an ordinary
repository, and `git` is what they have. One `git log --first-parent --follow --raw`
names every version of the file (a merge once, with its effect on the main line;
a `git mv` followed), one `git cat-file --batch` hands over all those versions, and
`git rev-parse HEAD` says which history it was. Never a process per commit.

Each version is checked with the project's own parser (`compass.gitlog.parse`); a
version that does not parse is kept with its problems and skipped, so the next
good one is compared with the last good one.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

from ..model import ProcessPack
from ..problems import InvalidInput, Problem, ProblemsError
from ..state.models import ProjectState
from .parse import VersionParser

_RS = "\x1e"  # starts each commit's line in our `git log` format
_NULL_BLOB = "0" * 40


class NoHistory(Exception):
    """There is no git history to read (no git, no repository, file not committed): the
    message says why, in one Dutch line."""


@dataclass(frozen=True)
class Version:
    """The file as one commit left it; `state` None when it did not parse (see `problems`)."""

    commit: str
    date: dt.datetime
    author: str
    state: ProjectState | None
    problems: tuple[Problem, ...] = ()
    blob: str = ""  # git's id of these bytes


def _git(cwd: Path, *args: str, stdin: bytes | None = None) -> bytes:
    """Run git in `cwd`; NoHistory when there is no git or no repository."""
    env = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C"}
    try:
        done = subprocess.run(
            ["git", "--literal-pathspecs", "--no-pager", "-c", "core.quotePath=false", *args],
            cwd=cwd,
            input=stdin,
            capture_output=True,
            env=env,
            check=False,
        )
    except FileNotFoundError:
        raise NoHistory("git is niet gevonden") from None
    except OSError as exc:
        raise NoHistory(f"git kan niet starten ({exc.strerror or exc})") from None
    if done.returncode != 0:
        err = done.stderr.decode("utf-8", "replace")
        if "not a git repository" in err:
            raise NoHistory("het bestand staat niet in een git-repository")
        raise GitFailed(err.strip().splitlines()[-1] if err.strip() else "")
    return done.stdout


class GitFailed(Exception):
    """git ran and refused (an unknown revision, an empty repository, ...)."""


def where(path: str | os.PathLike[str]) -> tuple[Path, str]:
    """(the directory to run git in, the file's name there)."""
    p = Path(path)
    if not p.exists():
        raise InvalidInput(f"{path}: bestand niet gevonden")
    if p.is_dir():
        raise InvalidInput(f"{path}: is een map, geen projectbestand")
    return (p.parent if str(p.parent) else Path(".")), p.name


def head(path: str | os.PathLike[str]) -> str:
    """The commit HEAD points at in the file's repository (NoHistory without one)."""
    cwd, _ = where(path)
    try:
        return _git(cwd, "rev-parse", "--verify", "-q", "HEAD").decode().strip()
    except GitFailed as exc:  # quiet: no commit yet; else git says why (e.g. dubious ownership)
        reason = f"git meldt: {exc}" if str(exc) else "er is nog niets vastgelegd in git"
        raise NoHistory(reason) from None


def read_versions(
    path: str | os.PathLike[str], pack: ProcessPack, name: str | None = None
) -> list[Version]:
    """Every version of the file on the first-parent line to HEAD, oldest first."""
    cwd, filename = where(path)
    name = name or str(path)
    try:
        log = _git(
            cwd,
            "log",
            "--first-parent",
            "--follow",
            "--raw",
            "--no-abbrev",
            "--no-color",
            f"--format={_RS}%H %cI %an",
            "HEAD",
            "--",
            filename,
        ).decode("utf-8", "replace")
    except GitFailed:
        raise NoHistory("er is nog niets vastgelegd in deze git-repository") from None
    # [commit, date, author, blob of the file after it, its path then]
    commits: list[list[str]] = []
    for line in log.split("\n"):
        if line.startswith(_RS):
            commits.append((line[1:].split(" ", 2) + ["", ""])[:3] + ["", ""])
        elif line.startswith(":") and commits and "\t" in line:
            fields, _, paths = line.partition("\t")
            if len(fields.split()) >= 5:
                commits[-1][3] = fields.split()[3]
                commits[-1][4] = paths.rpartition("\t")[2]
    commits.reverse()
    if not commits:
        raise NoHistory("het bestand is nog niet vastgelegd in git")
    blobs = _blobs(cwd, [c[3] for c in commits if c[3] and c[3] != _NULL_BLOB])
    parser = VersionParser(pack, name)
    out: list[Version] = []
    now = commits[-1][4]  # the newest path: `name`; an older one is named as git names it
    for sha, iso, author, blob, then in commits:
        if blob not in blobs:
            continue  # the file was removed here (or git showed no change): nothing to compare
        date = dt.datetime.fromisoformat(iso)
        try:
            state = parser.parse(blobs[blob], name if then == now else then).state
        except ProblemsError as exc:
            out.append(Version(sha, date, author, None, tuple(exc.problems), blob))
            continue
        out.append(Version(sha, date, author, state, (), blob))
    return out


def blob_id(raw: bytes) -> str:
    """The id git gives these bytes (`git hash-object`), without running git."""
    return hashlib.sha1(b"blob %d\0" % len(raw) + raw, usedforsecurity=False).hexdigest()


def _blobs(cwd: Path, ids: list[str]) -> dict[str, bytes]:
    """The contents of these blobs, from one `git cat-file --batch`."""
    unique = list(dict.fromkeys(ids))
    if not unique:
        return {}
    data = _git(cwd, "cat-file", "--batch", stdin=("\n".join(unique) + "\n").encode())
    out: dict[str, bytes] = {}
    pos = 0
    while pos < len(data):
        end = data.index(b"\n", pos)
        header = data[pos:end].decode("ascii", "replace").split()
        pos = end + 1
        if len(header) < 3 or header[1] == "missing":
            continue
        size = int(header[2])
        out[header[0]] = data[pos : pos + size]
        pos += size + 1
    return out


def commits_after(path: str | os.PathLike[str], rev: str) -> frozenset[str]:
    """The commits on HEAD's side that `rev` does not contain: what came after it.

    InvalidInput when git does not know `rev`; NoHistory without a repository.
    """
    cwd, _ = where(path)
    if rev.startswith("-"):
        raise InvalidInput(f"onbekende datum of git-revisie '{rev}'")
    try:
        _git(cwd, "rev-parse", "--verify", "-q", f"{rev}^{{commit}}")
        out = _git(cwd, "rev-list", "HEAD", "--not", rev, "--")
    except GitFailed:
        raise InvalidInput(
            f"onbekende datum of git-revisie '{rev}'; geef een datum (2027-01-15, "
            "15-1-2027, 15 januari 2027) of een tag of commit"
        ) from None
    return frozenset(out.decode().split())
