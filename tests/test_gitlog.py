"""`wijkkompas log` and `report --since`: what moved in a wijk, read from git.

Read as a specification. Every test uses a real git repository in a temporary
directory, built with the real state store and commits with fixed authors and dates,
so commit ids and output are the same on every machine. The expected output of
`log` is kept in golden files (tests/golden/log.txt, log.json); refresh them after
an intended change with:

    UPDATE_GOLDEN=1 .venv/bin/python -m pytest -q tests/test_gitlog.py
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from compass.gitlog import diff_states, file_log, knooppunt_timeline
from compass.gitlog.parse import VersionParser
from compass.model import ProcessPack
from compass.state import Entry, ProjectInfo, ProjectState, StateStore, create_state
from compass.state.check import parse_text
from compass.state.source import decode_source
from tests.cli_helpers import wijkkompas
from tests.test_report import check_golden

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def git(repo: Path, *args: str, who: str = "Anna", when: str = "2027-01-05T09:00:00+01:00") -> str:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": who,
        "GIT_AUTHOR_EMAIL": f"{who.lower()}@example.org",
        "GIT_COMMITTER_NAME": who,
        "GIT_COMMITTER_EMAIL": f"{who.lower()}@example.org",
        "GIT_AUTHOR_DATE": when,
        "GIT_COMMITTER_DATE": when,
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
    }
    r = subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, env=env)
    assert r.returncode == 0, f"git {' '.join(args)}: {r.stdout}{r.stderr}"
    return r.stdout


def store(path: Path, pack: ProcessPack, user: str, when: str) -> StateStore:
    stamp = dt.datetime.fromisoformat(when)
    return StateStore(path, pack, user=user, clock=lambda: stamp)


def save(repo: Path, message: str, who: str, when: str) -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message, who=who, when=when)


def build_wijk(repo: Path, pack: ProcessPack) -> Path:
    """Ten commits by four people: a broken version, a merge of two branches, a `git mv`."""
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    (repo / ".gitignore").write_text("*.lock\n", encoding="utf-8")
    path = repo / "wijkkompas.yaml"
    create_state(path, pack, name="De Maten", gemeente="Apeldoorn", started=dt.date(2027, 1, 5))
    save(repo, "start", "Anna", "2027-01-05T09:00:00+01:00")

    t = "2027-01-08T10:00:00+01:00"
    store(path, pack, "anna", t).update(1, status="doing", owner="Fatima")
    save(repo, "wijkschouw gestart", "Anna", t)

    t = "2027-01-12T14:30:00+01:00"
    store(path, pack, "", t).update(
        2, note="Eerste gesprek gevoerd.\nBesluit: wijkschouw in maart.", due="2027-03-01"
    )
    save(repo, "verslag overleg", "Bert", t)
    git(repo, "tag", "overleg-1")

    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("status: doing", "status: klaar", 1), encoding="utf-8")
    save(repo, "oeps", "Carla", "2027-01-15T08:00:00+01:00")

    t = "2027-01-16T09:15:00+01:00"
    path.write_text(text, encoding="utf-8")
    store(path, pack, "carla", t).update(1, status="done")
    save(repo, "hersteld, en 1 afgerond", "Carla", t)

    git(repo, "checkout", "-q", "-b", "fatima")
    t = "2027-01-18T11:00:00+01:00"
    store(path, pack, "fatima", t).update(
        3, status="stuck", note="Vastgelopen: wachten op de netbeheerder.\nBesluit: eerst het net."
    )
    save(repo, "3 loopt vast", "Fatima", t)
    git(repo, "checkout", "-q", "main")
    t = "2027-01-19T16:00:00+01:00"
    s = store(path, pack, "anna", t)
    s.set_perspective(4, "bewoners", "doing")
    s.update(4, bookmark=True)
    save(repo, "4: bewoners", "Anna", t)
    git(
        repo,
        "merge",
        "-q",
        "--no-ff",
        "--no-edit",
        "-m",
        "Merge fatima",
        "fatima",
        who="Anna",
        when="2027-01-20T09:00:00+01:00",
    )

    t = "2027-01-22T10:00:00+01:00"
    git(repo, "mv", "wijkkompas.yaml", "wijk.yaml")
    save(repo, "hernoemd", "Bert", t)
    path = repo / "wijk.yaml"
    t = "2027-01-23T13:45:00+01:00"
    store(path, pack, "bert", t).update(1, status="doing", owner="Bert")
    save(repo, "1 toch weer open", "Bert", t)
    return path


@pytest.fixture(scope="module")
def wijk(tmp_path_factory: pytest.TempPathFactory, mini_pack: ProcessPack) -> Path:
    return build_wijk(tmp_path_factory.mktemp("gitlog") / "project", mini_pack)


def log(wijk: Path, pack_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return wijkkompas("log", wijk.name, *args, "--pack", str(pack_dir), cwd=wijk.parent)


# --- the pure comparison --------------------------------------------------------------


def test_diff_compares_meanings_field_by_field(mini_pack: ProcessPack) -> None:
    slug1, slug2 = mini_pack.knooppunten[0].slug, mini_pack.knooppunten[1].slug
    info = ProjectInfo(name="x")
    old = ProjectState(1, info, {slug1: Entry(slug1, status="doing", owner="Fatima")})
    new = ProjectState(
        1,
        info,
        {
            slug1: Entry(slug1, status="done", owner="Fatima", by="anna"),
            slug2: Entry(slug2, due=dt.date(2027, 3, 1), perspectives={"bewoners": "stuck"}),
        },
    )
    found = [(d.slug, d.field, d.old, d.new) for d in diff_states(mini_pack, old, new)]
    assert found == [
        (slug1, "status", "doing", "done"),
        (slug2, "due", None, "2027-03-01"),
        (slug2, "perspectives", None, {"bewoners": "stuck"}),
    ]
    assert diff_states(mini_pack, new, new) == []
    # nothing before: every non-default field is new
    assert [d.field for d in diff_states(mini_pack, None, old)] == ["status", "owner"]


def test_each_version_reads_as_the_full_parser_reads_it(
    tmp_path: Path, mini_pack: ProcessPack
) -> None:
    """The quick reading of a version (from the one before) gives exactly the full parse."""
    path = tmp_path / "w.yaml"
    create_state(path, mini_pack, name="x")
    versions = [path.read_bytes()]
    s = StateStore(path, mini_pack, user="u")
    for ref, fields in [
        (1, {"status": "doing"}),
        (2, {"note": "twee\nregels"}),
        (2, {"note": "", "owner": "Piet"}),
        (5, {"bookmark": True, "due": "2027-01-01"}),
        (12, {"status": "done"}),  # the last entry: the full parse
        (4, {"note": "*met* &tekens"}),
        (6, {"note": "  ingesprongen\n- een lijst"}),
    ]:
        s.update(ref, **fields)
        versions.append(path.read_bytes())
    text = path.read_text(encoding="utf-8")
    slug7 = mini_pack.knooppunten[6].slug
    versions.append(text.replace(f"  {slug7}:\n", f"  {slug7}:\n    by: iemand\n").encode())
    versions.append(text.replace("status: doing", "status: bezig").encode())  # a label
    # without the comment lines `new` writes, a deeper-indented line before an entry
    # continues the note of the entry before it
    bare = re.sub(r"(?m)^  # .*\n", "", text)
    versions.append(bare.encode())
    versions.append(bare.replace(f"  {slug7}:\n", f"        # meer\n  {slug7}:\n").encode())
    versions.append(text.replace("status: doing", "status: kapot").encode())  # a problem
    versions.append(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode())
    parser = VersionParser(mini_pack, "w.yaml")
    for raw in versions:
        try:
            expected = parse_text(decode_source(raw, "w.yaml"), mini_pack, "w.yaml").state
        except Exception as exc:  # the same problem from both
            with pytest.raises(type(exc)):
                parser.parse(raw)
            continue
        assert parser.parse(raw).state == expected


def test_ordinary_versions_are_read_from_the_one_before(
    tmp_path: Path, mini_pack: ProcessPack
) -> None:
    """Why 1,000 commits take a second, not forty: only the first version is parsed in full."""
    path = tmp_path / "w.yaml"
    create_state(path, mini_pack, name="x")
    parser = VersionParser(mini_pack, "w.yaml")
    parser.parse(path.read_bytes())
    s = StateStore(path, mini_pack, user="u")
    for n in range(20):
        s.update(1 + n % 11, status=("doing", "done", "stuck")[n % 3], note=f"stap {n}")
        raw = path.read_bytes()
        assert parser.parse(raw).state == parse_text(decode_source(raw, "w"), mini_pack, "w").state
    assert parser.full_parses == 1


# --- log: the command --------------------------------------------------------------------


def test_log_lists_every_change_oldest_first_across_merge_and_rename(
    wijk: Path, mini_pack_dir: Path
) -> None:
    r = log(wijk, mini_pack_dir)
    assert r.returncode == 0, r.stderr
    check_golden("log.txt", r.stdout)
    assert all(len(line) <= 80 for line in r.stdout.splitlines())
    # the broken version is named once, with its place in the file, and skipped
    assert r.stderr.count("onleesbaar in ") == 1
    assert "wijkkompas.yaml:" in r.stderr and "klaar" in r.stderr


def test_log_json_has_one_item_per_field(wijk: Path, mini_pack_dir: Path) -> None:
    r = log(wijk, mini_pack_dir, "--json")
    assert r.returncode == 0, r.stderr
    check_golden("log.json", r.stdout)
    items = json.loads(r.stdout)
    assert {tuple(sorted(i)) for i in items} == {
        ("author", "commit", "date", "field", "new", "number", "old", "slug")
    }
    k1 = [(i["field"], i["old"], i["new"]) for i in items if i["number"] == 1]
    # doing -> done in the commit that fixed the broken one (compared with the last good one);
    # after the rename: done -> doing again
    assert k1 == [
        ("status", "todo", "doing"),
        ("owner", None, "Fatima"),
        ("status", "doing", "done"),
        ("status", "done", "doing"),
        ("owner", "Fatima", "Bert"),
    ]
    merged = [i for i in items if i["number"] == 3]
    assert {i["author"] for i in merged} == {"Anna"}  # the merge, once, with its effect
    assert merged[0]["date"] == "2027-01-20T09:00:00+01:00"


def test_since_and_until_take_a_date_or_a_revision(wijk: Path, mini_pack_dir: Path) -> None:
    def numbers(*args: str) -> list[tuple[int, str]]:
        r = log(wijk, mini_pack_dir, "--json", *args)
        assert r.returncode == 0, r.stderr
        return [(i["number"], i["field"]) for i in json.loads(r.stdout)]

    after_tag = numbers("--since", "overleg-1")
    assert after_tag == numbers("--since", "16 januari 2027") == numbers("--since", "16-1-2027")
    assert after_tag[0] == (1, "status")
    assert (2, "note") not in after_tag
    assert numbers("--until", "overleg-1") == numbers("--until", "2027-01-12")
    assert numbers("--since", "2027-01-18", "--until", "2027-01-20") == [
        (4, "perspectives"),
        (4, "bookmark"),
        (3, "status"),
        (3, "note"),
    ]
    assert numbers("--knooppunt", "3") == [(3, "status"), (3, "note")]


def test_an_unknown_revision_is_one_dutch_line(wijk: Path, mini_pack_dir: Path) -> None:
    r = log(wijk, mini_pack_dir, "--since", "vorige-week")
    assert r.returncode == 1
    assert r.stdout == ""
    assert r.stderr.count("\n") == 1 and "onbekende datum of git-revisie 'vorige-week'" in r.stderr


def test_outside_git_the_file_itself_tells_what_it_knows(
    tmp_path: Path, mini_pack: ProcessPack, mini_pack_dir: Path
) -> None:
    path = tmp_path / "los" / "wijk.yaml"
    path.parent.mkdir()
    create_state(path, mini_pack, name="Los")
    store(path, mini_pack, "fatima", "2027-01-08T10:00:00+01:00").update(3, status="done")
    text = path.read_text(encoding="utf-8").replace("by: fatima", 'by: "fatima\\e[2J"')
    path.write_text(text, encoding="utf-8")
    env = {"GIT_CEILING_DIRECTORIES": str(tmp_path)}
    r = wijkkompas("log", "wijk.yaml", "--pack", str(mini_pack_dir), cwd=path.parent, env=env)
    assert r.returncode == 0, r.stderr
    assert r.stderr.count("\n") == 1 and "niet in een git-repository" in r.stderr
    assert "3." in r.stdout and "afgerond" in r.stdout
    assert "\x1b" not in r.stdout and "fatima␛[2J" in r.stdout
    # without git on the PATH: the same, with its own reason
    empty = tmp_path / "bin"
    empty.mkdir()
    r = wijkkompas(
        "log", "wijk.yaml", "--json", "--pack", str(mini_pack_dir), cwd=path.parent,
        env={"PATH": str(empty)},
    )  # fmt: skip
    assert r.returncode == 0, r.stderr
    assert "git is niet gevonden" in r.stderr
    [item] = json.loads(r.stdout)
    assert item["commit"] is None and item["new"] == "done" and item["number"] == 3


def test_a_file_not_yet_committed_says_so(
    tmp_path: Path, mini_pack: ProcessPack, mini_pack_dir: Path
) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    create_state(repo / "wijkkompas.yaml", mini_pack, name="Nieuw")
    r = wijkkompas("log", "--pack", str(mini_pack_dir), cwd=repo)  # ./wijkkompas.yaml
    assert r.returncode == 0, r.stderr
    assert "nog niet" in r.stderr and "vastgelegd" in r.stderr
    assert "Geen wijzigingen" in r.stdout

    # committed, then changed again: the change shows once it is committed, and until then
    # the listing says that there is more
    save(repo, "start", "Anna", "2027-01-05T09:00:00+01:00")
    store(repo / "wijkkompas.yaml", mini_pack, "anna", "2027-01-06T09:00:00+01:00").update(
        2, status="doing"
    )
    r = wijkkompas("log", "--pack", str(mini_pack_dir), cwd=repo)
    assert r.returncode == 0 and r.stderr == ""
    assert "Geen wijzigingen" in r.stdout and "nog niet in git zijn vastgelegd" in r.stdout
    save(repo, "2 bezig", "Anna", "2027-01-06T09:00:00+01:00")
    r = wijkkompas("log", "--pack", str(mini_pack_dir), cwd=repo)
    assert "status: open → bezig" in r.stdout and "vastgelegd" not in r.stdout


# --- the core API the app uses; the cache -------------------------------------------------


def test_timeline_is_newest_first_and_cached_privately(
    wijk: Path, mini_pack: ProcessPack, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WIJKKOMPAS_CACHE_DIR", str(tmp_path / "cache"))
    slug = mini_pack.knooppunten[0].slug
    timeline = knooppunt_timeline(wijk, slug, mini_pack)
    assert [(c.field, c.new) for c in timeline][:2] == [("status", "doing"), ("owner", "Bert")]
    assert timeline[0].date > timeline[-1].date
    [cached] = (tmp_path / "cache" / "gitlog").iterdir()
    assert cached.stat().st_mode & 0o777 == 0o600
    assert cached.parent.stat().st_mode & 0o777 == 0o700
    assert knooppunt_timeline(wijk, slug, mini_pack) == timeline  # read back from the cache
    assert file_log(wijk, mini_pack, "wijk.yaml").unreadable


# --- report --since ----------------------------------------------------------------------


def test_report_since_shows_what_moved_right_after_the_summary(
    wijk: Path, mini_pack_dir: Path
) -> None:
    args = ("report", wijk.name, "--since", "overleg-1", "--today", "2027-01-24")
    r = wijkkompas(*args, "--pack", str(mini_pack_dir), cwd=wijk.parent)
    assert r.returncode == 0, r.stderr
    check_golden("report-since.md", r.stdout)
    md = r.stdout
    assert md.index("## In het kort") < md.index("## Sinds overleg-1") < md.index("## Vastgelopen")
    start = md.index("## Sinds")
    since = md[start : md.index("\n## ", start)]
    assert "**Vastgelopen (1)**" in since and "**Nieuwe besluiten (1)**" in since
    assert "eerst het net" in since and "wijkschouw in maart" not in since  # that one was known
    assert "Afgerond" not in since  # 1 was finished, then reopened: net, nothing finished

    r = wijkkompas(*args, "--format", "html", "--pack", str(mini_pack_dir), cwd=wijk.parent)
    assert r.returncode == 0, r.stderr
    html = r.stdout
    assert html.index('id="kort"') < html.index('id="sinds"') < html.index('id="voortgang"')
    assert "<h2>Sinds overleg-1</h2>" in html


def test_report_since_a_date_marks_what_was_reopened(wijk: Path, mini_pack_dir: Path) -> None:
    r = wijkkompas(
        "report", wijk.name, wijk.name, "--since", "17 januari 2027", "--pack",
        str(mini_pack_dir), cwd=wijk.parent,
    )  # fmt: skip
    assert r.returncode == 0, r.stderr
    assert r.stdout.count(": sinds 17 januari 2027") == 2  # a portfolio: per project
    assert "**Heropend (1)**" in r.stdout and "nu bezig" in r.stdout
