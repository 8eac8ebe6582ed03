"""Reports: "APK van de wijkaanpak" for one project and a portfolio over several.

Read as a specification. A fixed project is built on the mini pack with the real
state store (create_state + StateStore.update/set_perspective) and rendered with a
fixed `today`; the output is compared with golden files in tests/golden/.
Regenerate those after an intended change with:

    UPDATE_GOLDEN=1 .venv/bin/python -m pytest -q tests/test_report.py
"""

from __future__ import annotations

import datetime as dt
import os
from html.parser import HTMLParser
from pathlib import Path

import pytest

from compass import report
from compass.model import ProcessPack
from compass.pack import load_pack
from compass.state import StateStore, create_state
from tests.cli_helpers import wijkkompas
from tests.fixtures.make_mini_pack import make_mini_pack

GOLDEN = Path(__file__).parent / "golden"
TODAY = dt.date(2026, 3, 2)
STARTED = dt.date(2025, 1, 6)
CLOCK = lambda: dt.datetime(2026, 3, 1, 10, 0, tzinfo=dt.UTC)  # noqa: E731

XSS_NOTE = (
    "Wachten op netcapaciteit <script>alert('x')</script>\nvan de netbeheerder.\n\n"
    "Tweede punt | met & en *sterren*"
)


def build_project(path: Path, pack: ProcessPack) -> Path:
    """The fixed project every golden file shows (mini pack: knooppunt 2p-1 sociaal, 2p technisch
    in fase p)."""
    create_state(
        path, pack, name="De Maten <Noord>", gemeente="Apeldoorn", wijk="De Maten", started=STARTED
    )
    store = StateStore(path, pack, user="tester", clock=CLOCK)
    store.update(
        1,
        status="done",
        owner="Fatima",
        note="Intentieovereenkomst getekend.\nBesluit: de gemeente voert de regie tot en met fase "
        "3.\n"
        "  besluit: bewoners schuiven aan bij elk overleg.\nGeen besluit: dit telt niet.",
    )
    store.update(2, status="stuck", owner="Piet | netbeheer", note=XSS_NOTE, due="2026-01-15")
    store.update(3, status="doing", owner="Anna", due="2026-02-01")
    store.set_perspective(3, "gemeente", "done")
    store.set_perspective(3, "bewoners", "todo")
    store.update(4, status="skipped")
    store.update(5, owner="Joost", due="2026-06-01")
    store.set_perspective(5, "gemeente", "doing")
    store.set_perspective(5, "bewoners", "todo")
    store.set_perspective(6, "gemeente", "todo")
    store.set_perspective(6, "netbeheerder", "stuck")
    store.set_perspective(7, "gemeente", "done")
    store.set_perspective(7, "bewoners", "done")
    store.update(8, status="done", note="Besluit: warmtenet verder onderzoeken.")
    store.update(9, due="2026-02-20")
    store.update(12, due="2026-03-02")  # due today: not late yet
    return path


def load(path: Path, pack: ProcessPack):
    return StateStore(path, pack).load()


@pytest.fixture()
def project(tmp_path: Path, mini_pack: ProcessPack):
    path = build_project(tmp_path / "de-maten.yaml", mini_pack)
    return load(path, mini_pack)


def check_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN") == "1":
        GOLDEN.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="\n")
        return
    assert path.exists(), f"{path} ontbreekt; maak hem met UPDATE_GOLDEN=1"
    assert text == path.read_text(encoding="utf-8"), (
        f"{name} wijkt af van de golden file; bewust? draai met UPDATE_GOLDEN=1"
    )


# --- golden files ----------------------------------------------------------------


def test_markdown_golden(project, mini_pack) -> None:
    check_golden("report.md", report.render_report(mini_pack, [project], "md", TODAY))


def test_html_golden(project, mini_pack) -> None:
    check_golden("report.html", report.render_report(mini_pack, [project], "html", TODAY))


def portfolio_states(tmp_path: Path, pack: ProcessPack) -> list:
    """Three wijken: the fixed project, a fresh one, and one far along in the technical spoor."""
    first = build_project(tmp_path / "a.yaml", pack)
    create_state(
        tmp_path / "b.yaml",
        pack,
        name="Zevenhuizen",
        gemeente="Apeldoorn",
        wijk="Zevenhuizen",
        started=STARTED,
    )
    create_state(
        tmp_path / "c.yaml", pack, name="Kanaleneiland", gemeente="Utrecht", started=STARTED
    )
    store = StateStore(tmp_path / "c.yaml", pack, user="tester", clock=CLOCK)
    for n in (1, 2, 4, 6, 8):
        store.update(n, status="done")
    store.update(3, status="skipped")
    store.update(10, status="doing", due="2026-01-01")
    store.update(5, status="stuck")
    store.update(7, status="stuck")
    return [load(p, pack) for p in (first, tmp_path / "b.yaml", tmp_path / "c.yaml")]


def test_portfolio_of_three(tmp_path: Path, mini_pack: ProcessPack) -> None:
    states = portfolio_states(tmp_path, mini_pack)
    rows = report.build_portfolio(mini_pack, states, TODAY).rows
    assert [(r.name, r.gemeente, r.wijk) for r in rows] == [
        ("De Maten <Noord>", "Apeldoorn", "De Maten"),
        ("Zevenhuizen", "Apeldoorn", "Zevenhuizen"),
        ("Kanaleneiland", "Utrecht", ""),
    ]
    # % afgerond: done out of what applies (n.v.t. does not count)
    assert [r.percent for r in rows] == [100 * 2 // 11, 0, 100 * 5 // 11]
    assert [r.reached for r in rows] == [
        {"sociaal": 2, "technisch": 4},
        {"sociaal": 0, "technisch": 0},
        {"sociaal": 1, "technisch": 5},
    ]
    assert [r.stuck for r in rows] == [1, 0, 2]
    assert [r.overdue for r in rows] == [3, 0, 1]
    check_golden(
        "portfolio.md",
        report.render_portfolio(report.build_portfolio(mini_pack, states, TODAY), "md"),
    )
    check_golden(
        "portfolio.html",
        report.render_portfolio(report.build_portfolio(mini_pack, states, TODAY), "html"),
    )


def test_one_state_is_a_project_report_several_a_portfolio(project, mini_pack) -> None:
    assert report.render_report(mini_pack, [project], "md", TODAY).startswith(
        "# APK van de wijkaanpak: "
    )
    assert report.render_report(mini_pack, [project, project], "md", TODAY).startswith(
        "# Stand van zaken in 2 wijken"
    )


# --- the HTML is one safe, self-contained file --------------------------------------


class Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.stack: list[str] = []
        self.text: list[str] = []
        self.captions: list[str] = []
        self.tables_in: dict[str, int] = {}
        self.section: list[str] = []

    def handle_starttag(self, tag, attrs) -> None:
        a = dict(attrs)
        self.tags.append((tag, a))
        if tag == "section":
            self.section.append(a.get("id") or "")
        if tag == "table":
            for s in self.section:
                self.tables_in[s] = self.tables_in.get(s, 0) + 1
        self.stack.append(tag)

    def handle_endtag(self, tag) -> None:
        if tag == "section" and self.section:
            self.section.pop()
        while self.stack and self.stack.pop() != tag:
            pass

    def handle_data(self, data) -> None:
        self.text.append(data)
        if self.stack and self.stack[-1] == "caption":
            self.captions.append(data.strip())

    def names(self) -> list[str]:
        return [t for t, _ in self.tags]


def parse(html: str) -> Tags:
    p = Tags()
    p.feed(html)
    p.close()
    return p


def test_html_structure(project, mini_pack) -> None:
    html = report.render_report(mini_pack, [project], "html", TODAY)
    p = parse(html)
    names = p.names()
    assert html.startswith("<!DOCTYPE html>")
    assert names.count("svg") >= 1 + 12  # the summary bar and one per phase x spoor
    assert p.tables_in["voortgang"] == len(mini_pack.phases)  # a table per phase
    assert p.captions == [f"Fase {ph.number}. {ph.title}" for ph in mini_pack.phases]
    assert "@media print" in html and "size: A4" in html


def test_html_has_no_script_and_no_external_resources(project, mini_pack) -> None:
    html = report.render_report(mini_pack, [project], "html", TODAY)
    p = parse(html)
    assert "script" not in p.names()
    assert not {"link", "img", "iframe", "object", "embed"} & set(p.names())
    for tag, attrs in p.tags:
        for key, value in attrs.items():
            assert key not in ("src", "href") and not key.startswith("on"), (tag, key, value)
    assert "http://" not in html and "https://" not in html and "url(" not in html


def test_html_escapes_user_text(project, mini_pack) -> None:
    html = report.render_report(mini_pack, [project], "html", TODAY)
    text = "".join(parse(html).text)
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in html
    assert (
        "Wachten op netcapaciteit <script>alert('x')</script>\nvan de netbeheerder." in text
    )  # shown as written
    assert "De Maten <Noord>" in text and "<Noord>" not in html


def test_markdown_has_no_raw_html_and_escapes_user_text(project, mini_pack) -> None:
    md = report.render_report(mini_pack, [project], "md", TODAY)
    assert "<script>" not in md and "<Noord>" not in md
    assert r"\<script\>" in md and r"De Maten \<Noord\>" in md
    # a note's line break and '|' must not break the table row
    row = next(line for line in md.splitlines() if line.startswith("| 2. Knooppunt 2 "))
    assert row.count(" | ") == 3 and r"Piet \| netbeheer" in row
    assert r"\</script\> van de netbeheerder. / Tweede punt \| met" in row


def test_markdown_renders_as_tables_without_html(project, mini_pack) -> None:
    markdown_it = pytest.importorskip("markdown_it")
    md = report.render_report(mini_pack, [project], "md", TODAY)
    parser = markdown_it.MarkdownIt("commonmark").enable(["table", "strikethrough"])

    def walk(tokens):
        for t in tokens:
            yield t
            yield from walk(t.children or [])

    tokens = list(walk(parser.parse(md)))
    assert not [t for t in tokens if t.type.startswith("html")]
    assert (
        sum(t.type == "table_open" for t in tokens) == 4
    )  # progress, stuck, overdue, perspectives
    rendered = parser.render(md)
    assert (
        "&lt;script&gt;alert('x')&lt;/script&gt; van de netbeheerder. / Tweede punt | met &amp; en "
        "*sterren*" in rendered
    )


def test_markdown_tables_have_consistent_columns(project, mini_pack) -> None:
    md = report.render_report(mini_pack, [project], "md", TODAY)
    block: list[str] = []
    for line in md.splitlines() + [""]:
        if line.startswith("|"):
            block.append(line.replace(r"\|", ""))
            continue
        if block:
            widths = {row.count("|") for row in block}
            assert len(widths) == 1, block
            assert set(block[1]) <= set("|-:"), block[1]
            block = []


# --- the parts of a report -----------------------------------------------------------


def test_header_and_counts(project, mini_pack) -> None:
    r = report.build_report(mini_pack, project, TODAY)
    assert (r.name, r.gemeente, r.wijk, r.started, r.today) == (
        "De Maten <Noord>",
        "Apeldoorn",
        "De Maten",
        "6 januari 2025",
        TODAY,
    )
    assert r.counts == {"todo": 7, "doing": 1, "done": 2, "stuck": 1, "skipped": 1}
    assert r.percent == 100 * 2 // 11
    cell = r.phases[1].cells[1]  # fase 2 technisch: only knooppunt 4, n.v.t.
    assert (cell.phase, cell.track, cell.counts["skipped"], cell.percent) == (
        2,
        "technisch",
        1,
        None,
    )
    assert r.phases[0].cells[0].percent == 100


WHAT_A_WETHOUDER_READS_FIRST = (
    "In het kort",
    "Vastgelopen",
    "Te laat",
    "Besluiten",
    "Acties",
    "Volgende stappen",
    "Voortgang per fase en spoor",
    "Stand van zaken",
)


def test_the_report_leads_with_what_a_wethouder_reads_first(tmp_path: Path, mini_pack) -> None:
    """Summary, stuck with the reason, overdue, decisions, actions, next steps; then the
    phase x spoor matrix and the long tables. The same order in Markdown and HTML."""
    path = build_project(tmp_path / "w.yaml", mini_pack)
    store = StateStore(path, mini_pack, user="tester", clock=CLOCK)
    store.update(
        2,
        note="Lange achtergrond die de wethouder niet eerst hoeft te lezen.\n"
        "Vastgelopen: wacht op besluit van de raad\nActie: Piet belt de netbeheerder.",
    )
    state = load(path, mini_pack)
    md = report.render_report(mini_pack, [state], "md", TODAY)
    html = report.render_report(mini_pack, [state], "html", TODAY)
    md_heads = [line[3:] for line in md.splitlines() if line.startswith("## ")]
    html_heads = [h.split("</h2>")[0] for h in html.split("<h2>")[1:]]
    for heads in (md_heads, html_heads):
        found = [
            next(h for h in heads if h.startswith(want)) for want in WHAT_A_WETHOUDER_READS_FIRST
        ]
        assert [heads.index(h) for h in found] == sorted(heads.index(h) for h in found), heads
    for text in (md, html):
        stuck = text[text.index("Vastgelopen") : text.index("Te laat")]
        assert "wacht op besluit van de raad" in stuck
        assert "Lange achtergrond" not in stuck  # the reason, not the whole note
        assert "Piet belt de netbeheerder." in text


def test_stuck_with_note_and_owner(project, mini_pack) -> None:
    items = report.stuck(mini_pack, project)
    assert [(i.knooppunt.number, i.owner) for i in items] == [(2, "Piet | netbeheer")]
    assert items[0].note.startswith("Wachten op netcapaciteit")


def test_overdue_is_before_today_and_not_finished(project, mini_pack) -> None:
    items = report.overdue(mini_pack, project, TODAY)
    # 2 (stuck, 15 jan), 3 (doing, 1 feb), 9 (todo, 20 feb); 5 is in the future, 12 is due today
    assert [(i.knooppunt.number, i.days_late) for i in items] == [(2, 46), (3, 29), (9, 10)]
    assert [
        i.knooppunt.number for i in report.overdue(mini_pack, project, dt.date(2026, 3, 3))
    ] == [2, 3, 9, 12]


def test_done_or_skipped_is_never_late(tmp_path: Path, mini_pack) -> None:
    path = tmp_path / "s.yaml"
    create_state(path, mini_pack, name="X", started=STARTED)
    store = StateStore(path, mini_pack, user="t", clock=CLOCK)
    store.update(1, status="done", due="2020-01-01")
    store.update(2, status="skipped", due="2020-01-01")
    assert report.overdue(mini_pack, load(path, mini_pack), TODAY) == []


def test_decisions_from_notes(project, mini_pack) -> None:
    found = [(d.knooppunt.number, d.text) for d in report.decisions(mini_pack, project)]
    assert found == [
        (1, "de gemeente voert de regie tot en met fase 3."),
        (1, "bewoners schuiven aan bij elk overleg."),
        (8, "warmtenet verder onderzoeken."),
    ]


def test_decision_lines() -> None:
    note = "Besluit: A\n   besluit: B\nBESLUIT: C\nGeen besluit: D\nBesluit:\nBesluitvorming: E"
    assert report.decision_lines(note) == ["A", "B"]
    assert report.decision_lines("") == []


def test_next_steps_in_the_fixed_project(project, mini_pack) -> None:
    steps = report.next_steps(mini_pack, project)
    # sociaal: fase 1 done, fase 2 bezig (no open work left there), so fase 3's open one;
    # technisch: 2 stuck, then fase 2's open one
    expected_sociaal = [
        k.number
        for k in mini_pack.knooppunten
        if k.track == "sociaal" and project.entry(k.slug).status == "todo"
    ][:1]
    assert [i.knooppunt.number for i in steps["sociaal"]] == expected_sociaal
    assert all(i.status == "todo" for t in steps for i in steps[t])


@pytest.fixture(scope="module")
def pack2(tmp_path_factory) -> ProcessPack:
    """Two knooppunten per phase x spoor: fase p has sociaal 4p-3, 4p-2 and technisch 4p-1, 4p."""
    return load_pack(
        make_mini_pack(tmp_path_factory.mktemp("pack2") / "p", per_cell=2), use_cache=False
    )


def test_next_steps_rule(tmp_path: Path, pack2: ProcessPack) -> None:
    path = tmp_path / "s.yaml"
    create_state(path, pack2, name="X", started=STARTED)
    store = StateStore(path, pack2, user="t", clock=CLOCK)
    steps = report.next_steps(pack2, load(path, pack2))
    assert [i.knooppunt.number for i in steps["sociaal"]] == [1, 2]  # the front phase's open ones
    assert [i.knooppunt.number for i in steps["technisch"]] == [3, 4]
    store.update(1, status="done")
    store.update(2, status="doing")  # fase 1 sociaal has no open work left: fase 2 is next
    store.update(3, status="skipped")
    steps = report.next_steps(pack2, load(path, pack2))
    assert [i.knooppunt.number for i in steps["sociaal"]] == [5, 6]
    assert [i.knooppunt.number for i in steps["technisch"]] == [4]
    store.update(5, status="stuck")
    store.update(4, status="done")
    steps = report.next_steps(pack2, load(path, pack2), per_track=1)
    assert [i.knooppunt.number for i in steps["sociaal"]] == [6]
    assert [i.knooppunt.number for i in steps["technisch"]] == [7]


def test_next_steps_when_everything_is_finished(tmp_path: Path, mini_pack) -> None:
    path = tmp_path / "s.yaml"
    create_state(path, mini_pack, name="X", started=STARTED)
    store = StateStore(path, mini_pack, user="t", clock=CLOCK)
    for n in range(1, 13):
        store.update(n, status="done" if n % 3 else "skipped")
    assert report.next_steps(mini_pack, load(path, mini_pack)) == {"sociaal": [], "technisch": []}
    md = report.render_report(mini_pack, [load(path, mini_pack)], "md", TODAY)
    assert md.count("Geen open knooppunten meer in dit spoor.") == 2


# --- perspectives ----------------------------------------------------------------------


def test_divergences_in_the_fixed_project(project, mini_pack) -> None:
    found = report.divergences(mini_pack, project)
    # 3: afgerond vs open (groot); 5: bezig vs open (middel); 6: open vs vastgelopen (klein);
    # 7: both afgerond, so no divergence
    assert [(d.knooppunt.number, d.spread_label) for d in found] == [
        (3, "groot"),
        (5, "middel"),
        (6, "klein"),
    ]
    assert found[0].text == "Gemeente: afgerond · Bewoners: open"
    assert found[0].status == "doing"
    assert found[2].text == "Gemeente: open · Netbeheerder: vastgelopen"


def _with_views(tmp_path: Path, pack: ProcessPack, views: dict[int, dict[str, str]]):
    path = tmp_path / "v.yaml"
    create_state(path, pack, name="X", started=STARTED)
    store = StateStore(path, pack, user="t", clock=CLOCK)
    for n, roles in views.items():
        for role, status in roles.items():
            store.set_perspective(n, role, status)
    return load(path, pack)


def test_one_view_or_agreement_is_no_divergence(tmp_path: Path, mini_pack) -> None:
    state = _with_views(
        tmp_path,
        mini_pack,
        {
            1: {"gemeente": "done"},
            2: {"gemeente": "stuck", "bewoners": "stuck", "netbeheerder": "stuck"},
        },
    )
    assert report.divergences(mini_pack, state) == []
    assert report.build_report(mini_pack, state, TODAY).with_perspectives == 2


def test_divergences_ranked_by_spread(tmp_path: Path, mini_pack) -> None:
    state = _with_views(
        tmp_path,
        mini_pack,
        {
            1: {"gemeente": "todo", "bewoners": "stuck"},  # klein
            2: {"gemeente": "doing", "bewoners": "done"},  # middel
            3: {"gemeente": "skipped", "bewoners": "todo"},  # groot: n.v.t. vs open
            4: {"gemeente": "done", "bewoners": "stuck"},  # groot
            5: {
                "gemeente": "done",
                "bewoners": "doing",
                "netbeheerder": "todo",
            },  # groot, 3 different views
            6: {"netbeheerder": "doing", "gemeente": "todo"},  # middel
        },
    )
    found = report.divergences(mini_pack, state)
    assert [(d.knooppunt.number, d.spread) for d in found] == [
        (5, 2),
        (3, 2),
        (4, 2),
        (2, 1),
        (6, 1),
        (1, 0),
    ]
    # views follow the pack's order of parties, whatever order they were recorded in
    assert [v.role for v in found[4].views] == ["gemeente", "netbeheerder"]
    assert found[0].text == "Gemeente: afgerond · Bewoners: bezig · Netbeheerder: open"


def test_divergences_is_pure(project, mini_pack) -> None:
    assert report.divergences(mini_pack, project) == report.divergences(mini_pack, project)


# --- writing beside the state ---------------------------------------------------------


def test_write_report_beside(tmp_path: Path, mini_pack) -> None:
    state_path = build_project(tmp_path / "de-maten.yaml", mini_pack)
    before = state_path.read_bytes()
    out = report.write_report_beside(state_path, mini_pack, today=TODAY)
    assert out == tmp_path / "de-maten-rapport.md"
    assert out.read_text(encoding="utf-8") == report.render_report(
        mini_pack, [load(state_path, mini_pack)], "md", TODAY
    )
    html = report.write_report_beside(state_path, mini_pack, "html", today=TODAY)
    assert html.name == "de-maten-rapport.html" and html.read_text(encoding="utf-8").startswith(
        "<!DOCTYPE html>"
    )
    out.write_text("oud", encoding="utf-8")
    assert (
        report.write_report_beside(state_path, mini_pack, today=TODAY)
        .read_text(encoding="utf-8")
        .startswith("# APK")
    )
    assert state_path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")) == []


@pytest.mark.skipif(os.name != "posix", reason="permission bits")
def test_new_report_is_readable_like_any_new_file(tmp_path: Path) -> None:
    umask = os.umask(0o022)
    os.umask(umask)
    from compass.output import write_output

    out = write_output(tmp_path / "r.md", "x\n")
    assert out.stat().st_mode & 0o777 == 0o666 & ~umask  # not mkstemp's 0600


def test_write_report_beside_broken_state(tmp_path: Path, mini_pack) -> None:
    from compass.problems import ProblemsError

    path = tmp_path / "kapot.yaml"
    path.write_text(
        "schema: 1\nproject:\n  name: X\nknooppunten:\n  knooppunt-1:\n    status: misschien\n",
        encoding="utf-8",
    )
    with pytest.raises(ProblemsError) as exc:
        report.write_report_beside(path, mini_pack, today=TODAY)
    assert str(exc.value.problems[0]).startswith(f"{path}:6:")
    assert not (tmp_path / "kapot-rapport.md").exists()


def test_unknown_format_in_the_api(project, mini_pack) -> None:
    with pytest.raises(ValueError, match="onbekend formaat"):
        report.render_report(mini_pack, [project], "pdf", TODAY)  # type: ignore[arg-type]


def test_md_inline() -> None:
    assert (
        report.md_inline("a|b\n\n  c <d> [e](f) `g` *h* #i & ~j")
        == r"a\|b / c \<d\> \[e\](f) \`g\` \*h\* \#i \& \~j"
    )
    assert report.md_inline(None) == ""


def test_one_line_reads_notes_like_markdown() -> None:
    assert (
        report.one_line("Geen capaciteit;\nescaleren naar de wethouder.")
        == "Geen capaciteit; escaleren naar de wethouder."
    )
    assert (
        report.one_line("Eerste alinea.\n\n\nTweede alinea\nloopt door.")
        == "Eerste alinea. / Tweede alinea loopt door."
    )
    assert (
        report.one_line("Acties:\n- bellen\n- mailen\n2. vergaderen")
        == "Acties: / - bellen / - mailen / 2. vergaderen"
    )
    assert report.one_line("  \n") == ""


# --- bad input through the command line: exit 1, one line per problem, no traceback --------


def run_report(pack_dir: Path, *args: str):
    return wijkkompas("report", "--pack", str(pack_dir), "--today", TODAY.isoformat(), *args)


def assert_problem_lines(r, n: int) -> list[str]:
    assert r.returncode == 1, (r.stdout, r.stderr)
    assert "Traceback" not in r.stderr
    lines = r.stderr.strip().splitlines()
    assert len(lines) == n, lines
    assert r.stdout == ""
    return lines


def test_cli_missing_file(tmp_path: Path, mini_pack_dir: Path) -> None:
    missing = tmp_path / "bestaat-niet.yaml"
    (line,) = assert_problem_lines(run_report(mini_pack_dir, str(missing)), 1)
    assert line.startswith(f"{missing}: ") and "niet gevonden" in line


def test_cli_broken_state_has_a_position(tmp_path: Path, mini_pack_dir: Path) -> None:
    bad = tmp_path / "kapot.yaml"
    bad.write_text(
        "schema: 1\nproject:\n  name: X\nknooppunten:\n  knooppunt-1:\n    status: misschien\n",
        encoding="utf-8",
    )
    (line,) = assert_problem_lines(run_report(mini_pack_dir, str(bad)), 1)
    assert line.startswith(f"{bad}:6:")


def test_cli_every_bad_file_is_reported(tmp_path: Path, mini_pack_dir: Path, mini_pack) -> None:
    good = build_project(tmp_path / "goed.yaml", mini_pack)
    bad = tmp_path / "kapot.yaml"
    bad.write_text("schema: 1\nproject: [\n", encoding="utf-8")
    missing = tmp_path / "weg.yaml"
    out = tmp_path / "rapport.md"
    lines = assert_problem_lines(
        run_report(mini_pack_dir, str(good), str(bad), str(missing), "-o", str(out)), 2
    )
    assert lines[0].startswith(f"{bad}:") and lines[1].startswith(f"{missing}:")
    assert not out.exists()


def test_cli_unknown_format(tmp_path: Path, mini_pack_dir: Path, mini_pack) -> None:
    good = build_project(tmp_path / "goed.yaml", mini_pack)
    (line,) = assert_problem_lines(run_report(mini_pack_dir, str(good), "--format", "pdf"), 1)
    assert "onbekend formaat 'pdf'" in line


def test_cli_bad_today(tmp_path: Path, mini_pack_dir: Path, mini_pack) -> None:
    good = build_project(tmp_path / "goed.yaml", mini_pack)
    r = wijkkompas("report", "--pack", str(mini_pack_dir), str(good), "--today", "2026-02-30")
    (line,) = assert_problem_lines(r, 1)
    assert "--today" in line


def test_cli_refuses_to_overwrite_the_state(tmp_path: Path, mini_pack_dir: Path, mini_pack) -> None:
    good = build_project(tmp_path / "goed.yaml", mini_pack)
    before = good.read_bytes()
    assert_problem_lines(run_report(mini_pack_dir, str(good), "-o", str(good)), 1)
    assert good.read_bytes() == before


def test_cli_unwritable_output(tmp_path: Path, mini_pack_dir: Path, mini_pack) -> None:
    good = build_project(tmp_path / "goed.yaml", mini_pack)
    (line,) = assert_problem_lines(
        run_report(mini_pack_dir, str(good), "-o", str(tmp_path / "geen-map" / "r.md")), 1
    )
    assert "geen-map" in line
