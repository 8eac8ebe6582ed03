"""How far along a wijk is: one rule, so `status`, `report` and the overview agree.

The rule (compass.progress): done out of what applies, n.v.t. does not count,
rounded down to a whole percent; "n.v.t." when nothing applies.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from compass import progress
from compass.pack import load_pack
from tests.cli_helpers import wijkkompas


def test_percent_rounds_down_and_knows_when_nothing_applies() -> None:
    assert progress.percent(90, 91) == 98
    assert progress.percent(91, 91) == 100
    assert progress.percent(0, 91) == 0
    assert progress.percent(0, 0) is None
    assert (
        progress.percent_done({"done": 2, "skipped": 2, "todo": 8}) == 20
    )  # 2 of the 10 that apply
    assert progress.percent_done({"skipped": 5}) is None
    assert progress.percent_text(None) == "n.v.t." and progress.percent_text(98) == "98%"


def project(tmp_path: Path, statuses: dict[int, str]) -> Path:
    """A real state file made by `new`, with statuses set by rewriting the written lines."""
    state = tmp_path / "wijk.yaml"
    assert wijkkompas("new", str(state), "--name", "Telwijk").returncode == 0
    pack = load_pack()
    text = state.read_text(encoding="utf-8")
    for number, status in statuses.items():
        slug = pack.knooppunten[number - 1].slug
        text = re.sub(rf"(\n  {slug}:\n    status: )todo", rf"\g<1>{status}", text)
    state.write_text(text, encoding="utf-8")
    assert wijkkompas("validate", str(state)).returncode == 0
    return state


def shown_percent(output: str) -> set[str]:
    """Every whole-project percentage a command printed ("98% afgerond", "(98%)")."""
    return set(re.findall(r"(\d+%|n\.v\.t\.) afgerond", output)) | set(
        re.findall(r"afgerond \((\d+%|n\.v\.t\.)\)", output)
    )


@pytest.mark.parametrize(
    ("statuses", "expected"),
    [
        ({n: "done" for n in range(1, 91)}, "98%"),  # 90 of 91 done
        ({n: "skipped" for n in range(1, 92)}, "n.v.t."),  # nothing applies
        ({}, "0%"),  # a new, empty project
        (
            {**{n: "done" for n in range(1, 46)}, **{n: "skipped" for n in range(46, 91)}},
            "97%",
        ),  # 45 of 46
    ],
)
def test_status_and_report_agree(tmp_path: Path, statuses: dict[int, str], expected: str) -> None:
    state = project(tmp_path, statuses)
    status = wijkkompas("status", str(state))
    report = wijkkompas("report", str(state))
    assert status.returncode == 0 and report.returncode == 0, status.stderr + report.stderr
    assert shown_percent(status.stdout) == {expected}, status.stdout
    assert expected in shown_percent(report.stdout), report.stdout[:800]
    html = wijkkompas("report", str(state), "--format", "html")
    assert f'<span class="pct">{expected}</span>' in html.stdout


def test_owners_are_listed_once_however_they_are_written() -> None:
    from compass import progress

    pack = _owners_pack()
    state = _FakeState({"a": " Anna  de Vries", "b": "anna de vries", "c": "Joost", "d": ""})
    assert progress.owners(pack, state) == ["Anna de Vries", "Joost"]
    assert progress.same_owner("ANNA de  Vries ", "anna de vries")
    assert not progress.same_owner("Anna", "")


class _Entry:
    def __init__(self, owner: str) -> None:
        self.owner = owner
        self.status = "todo"
        self.note = ""
        self.due = None
        self.perspectives: dict[str, str] = {}


class _FakeState:
    def __init__(self, owners: dict[str, str]) -> None:
        self.owners = owners

    def entry(self, slug: str) -> _Entry:
        return _Entry(self.owners.get(slug, ""))


def _owners_pack():
    from types import SimpleNamespace

    return SimpleNamespace(knooppunten=[SimpleNamespace(slug=s) for s in "abcd"])
