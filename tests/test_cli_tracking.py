"""The tracking commands through the real console script: new, set, status, validate."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from tests.cli_helpers import wijkkompas

STATUS_KEYS = {"todo", "doing", "done", "stuck", "skipped"}


@pytest.fixture
def state(tmp_path: Path, mini_pack_dir: Path) -> Path:
    path = tmp_path / "wijkkompas.yaml"
    r = wijkkompas(
        "new",
        str(path),
        "--name",
        "De Maten",
        "--gemeente",
        "Apeldoorn",
        "--pack",
        str(mini_pack_dir),
    )
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == f"{path} gemaakt met 12 knooppunten. Open het met: wijkkompas {path}"
    return path


def run(*args: str, pack: Path) -> tuple[int, str, str]:
    r = wijkkompas(*args, "--pack", str(pack))
    return r.returncode, r.stdout, r.stderr


def test_new_refuses_to_overwrite(state: Path, mini_pack_dir: Path) -> None:
    before = state.read_bytes()
    code, out, err = run("new", str(state), "--name", "Anders", pack=mini_pack_dir)
    assert (
        code == 1
        and out == ""
        and err.strip()
        == f"wijkkompas: {state} bestaat al; kies een andere naam of open het met: wijkkompas "
        f"{state}"
    )
    assert state.read_bytes() == before


def test_new_needs_a_name(tmp_path: Path, mini_pack_dir: Path) -> None:
    code, _, err = run("new", str(tmp_path / "x.yaml"), pack=mini_pack_dir)
    assert code == 2 and "--name" in err
    assert not (tmp_path / "x.yaml").exists()


def test_set_accepts_numbers_slugs_file_values_and_dutch_labels(
    state: Path, mini_pack_dir: Path
) -> None:
    code, out, err = run(
        "set",
        str(state),
        "3",
        "--status",
        "vastgelopen",
        "--owner",
        "Fatima",
        "--note",
        "Wacht op de raad",
        "--by",
        "fatima",
        pack=mini_pack_dir,
    )
    assert (code, err) == (0, "")
    assert (
        out == "3. Knooppunt 3 sociaal fase 2: status vastgelopen, eigenaar Fatima, notitie "
        "bijgewerkt.\n"
    )
    code, out, _ = run(
        "set",
        str(state),
        "knooppunt-4",
        "--status",
        "doing",
        "--due",
        "2026-01-15",
        pack=mini_pack_dir,
    )
    assert (
        code == 0
        and out == "4. Knooppunt 4 technisch fase 2: status bezig, streefdatum 2026-01-15.\n"
    )
    code, out, _ = run("set", str(state), "5", "--status", "n.v.t.", pack=mini_pack_dir)
    assert code == 0 and "status n.v.t." in out
    text = state.read_text(encoding="utf-8")
    assert (
        "    status: stuck\n" in text
        and "    status: skipped\n" in text
        and "    by: fatima\n" in text
    )


def test_set_clears_with_empty_values_and_reports_no_change(
    state: Path, mini_pack_dir: Path
) -> None:
    run("set", str(state), "2", "--due", "2027-03-01", "--owner", "corporatie", pack=mini_pack_dir)
    code, out, _ = run("set", str(state), "2", "--due", "", "--owner", "", pack=mini_pack_dir)
    assert (
        code == 0 and out == "2. Knooppunt 2 technisch fase 1: geen eigenaar, geen streefdatum.\n"
    )
    before = state.read_bytes()
    code, out, _ = run("set", str(state), "2", "--due", "", "--status", "open", pack=mini_pack_dir)
    assert (
        code == 0 and out == "2. Knooppunt 2 technisch fase 1: niets veranderd, dat stond er al.\n"
    )
    assert state.read_bytes() == before


@pytest.mark.parametrize(
    "args, code, message",
    [
        (
            ["1", "--status", "klaar"],
            1,
            "wijkkompas: onbekende status 'klaar'; kies uit: open (todo), bezig (doing), afgerond "
            "(done), vastgelopen (stuck), n.v.t. (skipped)",
        ),
        (["1", "--due", "2026-02-30"], 1, "wijkkompas: de datum '2026-02-30' bestaat niet"),
        (
            ["1", "--due", "1 december"],
            1,
            "wijkkompas: ongeldige datum '1 december'; schrijf bijvoorbeeld 2027-01-15, 15-1-2027 "
            "of 15 januari 2027",
        ),
        (
            ["13", "--status", "done"],
            1,
            "wijkkompas: onbekend knooppunt '13'; kies een nummer 1..12 of een slug",
        ),
        (
            ["knooppunt-44", "--status", "done"],
            1,
            "wijkkompas: onbekend knooppunt 'knooppunt-44'; bedoel je 'knooppunt-4'?",
        ),
        (["1"], 2, "wijkkompas: geef minstens één van --status, --note, --owner of --due"),
    ],
)
def test_set_errors_are_one_line_and_leave_the_file_alone(
    state: Path, mini_pack_dir: Path, args: list[str], code: int, message: str
) -> None:
    before = state.read_bytes()
    got, out, err = run("set", str(state), *args, pack=mini_pack_dir)
    assert (got, out, err) == (code, "", message + "\n")
    assert state.read_bytes() == before


def test_set_on_a_broken_or_read_only_file(state: Path, mini_pack_dir: Path) -> None:
    state.write_text(
        state.read_text(encoding="utf-8").replace("status: todo", "status: klaar", 1),
        encoding="utf-8",
    )
    before = state.read_bytes()
    code, _, err = run("set", str(state), "2", "--status", "done", pack=mini_pack_dir)
    assert (
        code == 1
        and err
        == f"{state}:11:13: status: onbekende status 'klaar'; kies uit todo, doing, done, stuck, "
        "skipped\n"
    )
    assert state.read_bytes() == before
    state.write_text(
        state.read_text(encoding="utf-8").replace("status: klaar", "status: todo"), encoding="utf-8"
    )
    state.chmod(0o444)
    before = state.read_bytes()
    code, _, err = run("set", str(state), "2", "--status", "done", pack=mini_pack_dir)
    assert (
        code == 1 and err == f"wijkkompas: {state}: kan niet opslaan: het bestand is alleen-lezen\n"
    )
    assert state.read_bytes() == before
    code, _, err = run(
        "set", str(state.parent / "nergens.yaml"), "2", "--status", "done", pack=mini_pack_dir
    )
    assert code == 1 and "nergens.yaml: bestand niet gevonden" in err and "Traceback" not in err


def test_status_json_shape(state: Path, mini_pack_dir: Path) -> None:
    run("set", str(state), "1", "--status", "afgerond", pack=mini_pack_dir)
    run(
        "set",
        str(state),
        "2",
        "--status",
        "bezig",
        "--owner",
        "Jan",
        "--due",
        "2027-01-01",
        "--note",
        "twee\nregels",
        pack=mini_pack_dir,
    )
    code, out, err = run("status", str(state), "--json", pack=mini_pack_dir)
    assert code == 0, err
    doc = json.loads(out)
    assert set(doc) == {"project", "counts", "phases", "knooppunten"}
    assert doc["project"]["name"] == "De Maten" and doc["project"]["gemeente"] == "Apeldoorn"
    assert doc["counts"] == {"todo": 10, "doing": 1, "done": 1, "stuck": 0, "skipped": 0}
    assert [p["number"] for p in doc["phases"]] == [1, 2, 3, 4, 5, 6]
    assert (
        set(doc["phases"][0]) == {"number", "title", "counts"}
        and doc["phases"][0]["counts"]["done"] == 1
    )
    assert set(doc["phases"][0]["counts"]) == STATUS_KEYS
    assert len(doc["knooppunten"]) == 12
    assert doc["knooppunten"][1] == {
        "number": 2,
        "slug": "knooppunt-2",
        "status": "doing",
        "note": "twee\nregels",
        "owner": "Jan",
        "due": "2027-01-01",
    }
    assert doc["knooppunten"][2] == {
        "number": 3,
        "slug": "knooppunt-3",
        "status": "todo",
        "note": "",
        "owner": "",
        "due": None,
    }


def test_status_table_lists_stuck_and_late(state: Path, mini_pack_dir: Path) -> None:
    late = (dt.date.today() - dt.timedelta(days=3)).isoformat()
    run(
        "set",
        str(state),
        "3",
        "--status",
        "stuck",
        "--note",
        "Wacht op de raad\nen op geld",
        "--owner",
        "Fatima",
        pack=mini_pack_dir,
    )
    run(
        "set",
        str(state),
        "4",
        "--status",
        "doing",
        "--due",
        late,
        "--owner",
        "corporatie",
        pack=mini_pack_dir,
    )
    run("set", str(state), "5", "--status", "done", "--due", late, pack=mini_pack_dir)
    code, out, _ = run("status", str(state), pack=mini_pack_dir)
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "De Maten (Apeldoorn)"
    assert lines[2].split() == [
        "Fase",
        "/",
        "spoor",
        "open",
        "bezig",
        "afgerond",
        "vastgelopen",
        "n.v.t.",
        "totaal",
    ]
    assert lines[3].split() == ["1.", "Samen", "starten", "2", "0", "0", "0", "0", "2"]
    assert lines[6].split() == ["2.", "Karakteriseren", "0", "1", "0", "1", "0", "2"]
    assert next(line for line in lines if line.startswith("Totaal")).split() == [
        "Totaal",
        "9",
        "1",
        "1",
        "1",
        "0",
        "12",
    ]
    assert "  3. Knooppunt 3 sociaal fase 2 — Wacht op de raad — eigenaar: Fatima" in lines
    assert f"  4. Knooppunt 4 technisch fase 2 — streefdatum {late} — eigenaar: corporatie" in lines
    assert not any(line.startswith("  5.") for line in lines)
    assert (
        max(
            len(line)
            for line in lines[
                2 : next(i for i, line in enumerate(lines) if line.startswith("Totaal")) + 1
            ]
        )
        <= 80
    )


def test_status_of_several_files_is_a_portfolio(
    tmp_path: Path, state: Path, mini_pack_dir: Path
) -> None:
    other = tmp_path / "oost.yaml"
    run(
        "new",
        str(other),
        "--name",
        "Oost",
        "--gemeente",
        "Deventer",
        "--wijk",
        "Rivierenwijk",
        pack=mini_pack_dir,
    )
    for n, s in ((1, "done"), (2, "done"), (3, "doing"), (4, "stuck"), (6, "skipped")):
        run("set", str(other), str(n), "--status", s, pack=mini_pack_dir)
    code, out, err = run("status", str(state), str(other), pack=mini_pack_dir)
    assert code == 0, err
    rows = [line.split() for line in out.splitlines()]
    assert rows[0] == [
        "Project",
        "Gemeente",
        "afgerond",
        "fase",
        "sociaal",
        "fase",
        "technisch",
        "vastgelopen",
    ]
    assert rows[1] == ["De", "Maten", "Apeldoorn", "0%", "-", "-", "0"]
    assert rows[2] == ["Oost", "(Rivierenwijk)", "Deventer", "18%", "2", "1", "1"]
    code, out, _ = run("status", str(state), str(other), "--json", pack=mini_pack_dir)
    docs = json.loads(out)
    assert [d["project"]["name"] for d in docs] == ["De Maten", "Oost"] and docs[1]["counts"][
        "stuck"
    ] == 1


def test_portfolio_with_a_broken_file_shows_the_rest_and_fails(
    tmp_path: Path, state: Path, mini_pack_dir: Path
) -> None:
    broken = tmp_path / "kapot.yaml"
    broken.write_text(
        "schema: 1\nknooppunten:\n  knooppunt-1:\n    status: klaar\n", encoding="utf-8"
    )
    code, out, err = run("status", str(state), str(broken), pack=mini_pack_dir)
    assert code == 1 and "De Maten" in out
    assert (
        err
        == f"{broken}:4:13: status: onbekende status 'klaar'; kies uit todo, doing, done, stuck, "
        "skipped\n"
    )


def test_validate(state: Path, mini_pack_dir: Path) -> None:
    code, out, err = run("validate", str(state), pack=mini_pack_dir)
    assert (code, err) == (0, "") and out == f"{state} is in orde: 12 knooppunten, 0 afgerond.\n"
    text = state.read_text(encoding="utf-8")
    state.write_text(
        text.replace("status: todo", "status: afgerond", 1)
        .replace("    due:\n", "    due: 2024-02-30\n", 1)
        .replace("  knooppunt-12:", "  knooppunt-21:"),
        encoding="utf-8",
    )
    code, out, err = run("validate", str(state), pack=mini_pack_dir)
    assert code == 1 and out == ""
    assert err.splitlines() == [
        f"{state}:11:13: status: schrijf 'done' in plaats van 'afgerond' (in de app heet dat "
        "'afgerond')",
        f"{state}:13:10: due: de datum 2024-02-30 bestaat niet",
        f"{state}:76:3: onbekend knooppunt 'knooppunt-21'; bedoel je 'knooppunt-2'?",
    ]
    code, out, _ = run("validate", pack=mini_pack_dir)
    assert code == 0 and out == "Procespakket in orde.\n"


def test_validate_refuses_a_file_from_a_newer_version(state: Path, mini_pack_dir: Path) -> None:
    state.write_text(
        state.read_text(encoding="utf-8").replace("schema: 1", "schema: 7"), encoding="utf-8"
    )
    code, _, err = run("validate", str(state), pack=mini_pack_dir)
    assert (
        code == 1
        and err
        == f"{state}:2:9: dit bestand is gemaakt met een nieuwere versie van wijkkompas (schema "
        "7); "
        ""
        ""
        ""
        ""
        "werk wijkkompas bij\n"
    )


def test_a_routine_in_the_project_folder_needs_no_file_name(tmp_path: Path) -> None:
    """status, report and set use ./wijkkompas.yaml, like plain `wijkkompas` does."""
    assert wijkkompas("new", "wijkkompas.yaml", "--name", "Routine", cwd=tmp_path).returncode == 0
    r = wijkkompas("set", "12", "--status", "bezig", "--due", "15 januari 2027", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert "streefdatum 2027-01-15" in r.stdout
    assert wijkkompas("set", "13", "--due", "15-1-2027", cwd=tmp_path).returncode == 0
    assert "due: 2027-01-15" in (tmp_path / "wijkkompas.yaml").read_text(encoding="utf-8")
    assert "Routine" in wijkkompas("status", cwd=tmp_path).stdout
    assert wijkkompas("report", cwd=tmp_path).stdout.startswith("# APK")
    bad = wijkkompas("set", "12", "--due", "31-2-2027", cwd=tmp_path)
    assert bad.returncode == 1 and "bestaat niet" in bad.stderr


def test_show_with_a_state_adds_the_projects_own_record(tmp_path: Path) -> None:
    state = tmp_path / "w.yaml"
    assert wijkkompas("new", str(state), "--name", "Eigen").returncode == 0
    assert (
        wijkkompas("set", str(state), "55", "--owner", "Sanne", "--note", "Besluit: ja").returncode
        == 0
    )
    text = wijkkompas("show", "55", str(state)).stdout
    assert "**Stand in Eigen:**" in text and "Sanne" in text and "> Besluit: ja" in text
    doc = json.loads(wijkkompas("show", "55", str(state), "--json").stdout)
    assert doc["project"]["owner"] == "Sanne" and doc["project"]["status"] == "todo"


def test_usage_errors_speak_dutch() -> None:
    r = wijkkompas("set")
    assert r.returncode == 2
    assert "fout:" in r.stderr and "required" not in r.stderr and "usage" not in r.stderr
    assert "==SUPPRESS==" not in wijkkompas("--help").stdout
    assert "gebruik:" in wijkkompas("status", "--help").stdout


def test_agenda_lists_open_work_overdue_first(tmp_path: Path) -> None:
    assert wijkkompas("new", "wijkkompas.yaml", "--name", "Agenda", cwd=tmp_path).returncode == 0
    for args in (
        ("20", "--owner", "Fatima", "--due", "2027-03-01"),
        ("21", "--owner", "Bram", "--due", "2020-01-01"),
        ("22", "--owner", "Fatima"),
        ("23", "--owner", "Fatima", "--due", "2020-02-01", "--status", "done"),
    ):
        assert wijkkompas("set", *args, cwd=tmp_path).returncode == 0
    items = json.loads(wijkkompas("agenda", "--json", cwd=tmp_path).stdout)
    assert [i["number"] for i in items] == [21, 20, 22]  # overdue, dated, undated; done left out
    assert items[0]["overdue"] is True and items[1]["overdue"] is False
    assert set(items[0]) == {"number", "slug", "title", "status", "owner", "due", "overdue"}
    mine = json.loads(wijkkompas("agenda", "--owner", " fatima ", "--json", cwd=tmp_path).stdout)
    assert [i["number"] for i in mine] == [20, 22]
    text = wijkkompas("agenda", cwd=tmp_path).stdout
    assert "te laat" in text.splitlines()[0] and all(len(line) <= 120 for line in text.splitlines())


def test_export_tables_as_csv_and_xlsx(tmp_path: Path) -> None:
    import csv
    import io
    import zipfile

    assert wijkkompas("new", "wijkkompas.yaml", "--name", "Export", cwd=tmp_path).returncode == 0
    assert (
        wijkkompas("set", "12", "--note", "Besluit: =1+1 is geen formule", cwd=tmp_path).returncode
        == 0
    )
    rows = list(csv.reader(io.StringIO(wijkkompas("export", cwd=tmp_path).stdout), delimiter=";"))
    assert rows[0][:3] == ["nummer", "slug", "titel"] and len(rows) == 92
    decisions = wijkkompas("export", "--table", "besluiten", cwd=tmp_path).stdout
    assert ";'=1+1 is geen formule" in decisions  # a spreadsheet shows it as text, never runs it
    assert "raadsbesluit" in decisions
    parties = wijkkompas("export", "--table", "stakeholders", cwd=tmp_path).stdout
    assert parties.startswith("partij;fase 1;")
    assert wijkkompas("export", "-o", "k.xlsx", cwd=tmp_path).returncode == 0
    assert "xl/workbook.xml" in zipfile.ZipFile(tmp_path / "k.xlsx").namelist()
    import openpyxl

    sheet = openpyxl.load_workbook(tmp_path / "k.xlsx").active
    assert sheet.freeze_panes == "A2" and sheet["A1"].value == "nummer" and sheet.max_row == 92
    assert wijkkompas("export", "-o", "k.csv", cwd=tmp_path).returncode == 0
    raw = (tmp_path / "k.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # a Dutch Excel opens it as UTF-8
    assert next(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))[10] == "te laat"
    r = wijkkompas("export", "-o", "wijkkompas.yaml", cwd=tmp_path)
    assert r.returncode == 1 and "projectbestand" in r.stderr


def test_a_system_account_is_not_recorded_as_the_author(tmp_path: Path) -> None:
    state = tmp_path / "w.yaml"
    assert wijkkompas("new", str(state), "--name", "Wie").returncode == 0
    env = {"USER": "root", "WIJKKOMPAS_USER": ""}
    assert wijkkompas("set", str(state), "3", "--status", "doing", env=env).returncode == 0
    assert "by: root" not in state.read_text(encoding="utf-8")
    env = {"USER": "root", "WIJKKOMPAS_USER": "Fatima"}
    assert wijkkompas("set", str(state), "4", "--status", "doing", env=env).returncode == 0
    assert "by: Fatima" in state.read_text(encoding="utf-8")
