"""`wijkkompas report` through the real console script: stdout, -o, formats, several files."""

from __future__ import annotations

from pathlib import Path

from compass import report
from compass.state import StateStore, create_state
from tests.cli_helpers import wijkkompas
from tests.test_report import GOLDEN, STARTED, TODAY, build_project


def run(pack_dir: Path, *args: str, cwd: Path | None = None):
    return wijkkompas(
        "report", "--pack", str(pack_dir), "--today", TODAY.isoformat(), *args, cwd=cwd
    )


def test_markdown_to_stdout(tmp_path: Path, mini_pack_dir: Path, mini_pack) -> None:
    state = build_project(tmp_path / "de-maten.yaml", mini_pack)
    r = run(mini_pack_dir, str(state))
    assert r.returncode == 0, r.stderr
    assert r.stderr == ""
    assert r.stdout == (GOLDEN / "report.md").read_text(encoding="utf-8")


def test_html_to_stdout(tmp_path: Path, mini_pack_dir: Path, mini_pack) -> None:
    state = build_project(tmp_path / "de-maten.yaml", mini_pack)
    r = run(mini_pack_dir, str(state), "--format", "html")
    assert r.returncode == 0, r.stderr
    assert r.stdout == (GOLDEN / "report.html").read_text(encoding="utf-8")


def test_output_file(tmp_path: Path, mini_pack_dir: Path, mini_pack) -> None:
    state = build_project(tmp_path / "de-maten.yaml", mini_pack)
    before = state.read_bytes()
    out = tmp_path / "apk.md"
    out.write_text("een oud rapport\n", encoding="utf-8")
    r = run(mini_pack_dir, str(state), "-o", str(out))
    assert r.returncode == 0, r.stderr
    assert str(out) in r.stdout  # says where it went
    assert out.read_text(encoding="utf-8") == (GOLDEN / "report.md").read_text(encoding="utf-8")
    assert state.read_bytes() == before  # a report never touches the state
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_output_format_follows_the_extension(
    tmp_path: Path, mini_pack_dir: Path, mini_pack
) -> None:
    state = build_project(tmp_path / "de-maten.yaml", mini_pack)
    r = run(mini_pack_dir, str(state), "-o", "apk.html", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "apk.html").read_text(encoding="utf-8") == (
        GOLDEN / "report.html"
    ).read_text(encoding="utf-8")
    r = run(mini_pack_dir, str(state), "-o", "apk.html", "--format", "md", cwd=tmp_path)
    assert (tmp_path / "apk.html").read_text(encoding="utf-8").startswith("# APK van de wijkaanpak")


def test_several_files_make_a_portfolio(tmp_path: Path, mini_pack_dir: Path, mini_pack) -> None:
    a = build_project(tmp_path / "a.yaml", mini_pack)
    create_state(
        tmp_path / "b.yaml", mini_pack, name="Zevenhuizen", gemeente="Apeldoorn", started=STARTED
    )
    create_state(
        tmp_path / "c.yaml", mini_pack, name="Kanaleneiland", gemeente="Utrecht", started=STARTED
    )
    StateStore(tmp_path / "c.yaml", mini_pack, user="t").update(1, status="done")
    names = [str(a), str(tmp_path / "b.yaml"), str(tmp_path / "c.yaml")]
    r = run(mini_pack_dir, *names)
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0] == "# Stand van zaken in 3 wijken"
    rows = [line for line in lines if line.startswith("| ") and not line.startswith("| Project")]
    assert [row.split(" | ")[0] for row in rows] == [
        r"| De Maten \<Noord\>",
        "| Zevenhuizen",
        "| Kanaleneiland",
    ]
    states = [StateStore(Path(n), mini_pack).load() for n in names]
    assert r.stdout == report.render_report(mini_pack, states, "md", TODAY)

    out = tmp_path / "portfolio.html"
    r = run(mini_pack_dir, *names, "-o", str(out))
    assert r.returncode == 0, r.stderr
    html = out.read_text(encoding="utf-8")
    assert (
        html.startswith("<!DOCTYPE html>") and "Kanaleneiland" in html and "&lt;Noord&gt;" in html
    )


def test_today_defaults_to_the_real_date(tmp_path: Path, mini_pack_dir: Path, mini_pack) -> None:
    import datetime as dt

    state = build_project(tmp_path / "de-maten.yaml", mini_pack)
    r = wijkkompas("report", "--pack", str(mini_pack_dir), str(state))
    assert r.returncode == 0, r.stderr
    assert (
        report.nl_date(dt.date.today()) in r.stdout
        or report.nl_date(dt.date.today() - dt.timedelta(days=1)) in r.stdout
    )


def test_report_help_hides_today() -> None:
    r = wijkkompas("report", "--help")
    assert r.returncode == 0
    assert "--format" in r.stdout and "-o" in r.stdout and "--today" not in r.stdout


def test_action_lines_are_collected_like_decisions(tmp_path: Path) -> None:
    state = tmp_path / "w.yaml"
    assert wijkkompas("new", str(state), "--name", "Acties").returncode == 0
    note = "Overleg gehad.\nActie: Fatima belt de netbeheerder\nBesluit: eerst isoleren"
    assert wijkkompas("set", str(state), "25", "--note", note).returncode == 0
    md = wijkkompas("report", str(state)).stdout
    assert "## Acties" in md and "Fatima belt de netbeheerder" in md
    assert md.index("## Besluiten") < md.index("## Acties")
    html = wijkkompas("report", str(state), "--format", "html").stdout
    assert 'id="acties"' in html and "Fatima belt de netbeheerder" in html
    empty = tmp_path / "leeg.yaml"
    assert wijkkompas("new", str(empty), "--name", "Leeg").returncode == 0
    assert "## Acties" not in wijkkompas("report", str(empty)).stdout
