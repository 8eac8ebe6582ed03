"""Checking a loaded state document and turning it into a `ProjectState`.

Why its own module: validation is the largest single responsibility of the state
file (every problem at once, each with its position and a hint), and it is used by
`validate_state`/`load_state`, by every save before and after the change, and by
the fast save path on the one changed entry.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from pathlib import Path
from typing import Any

from ..model import STATUS_LABELS, STATUSES, Knooppunt, ProcessPack, Status, parse_status
from ..problems import Problem, ProblemsError
from ..text import visible
from .models import SCHEMA, BadDate, Entry, ProjectInfo, ProjectState
from .quick import NotPlain, quick_load
from .source import Parsed, Source, guess_indent, read_source

#: a loaded mapping: ruamel's CommentedMap (a dict) or the quick reader's plain dict
Doc = dict[Any, Any]

MAX_SUGGESTIONS = 20  # 'did you mean' for this many unknown knooppunten per file


class Checker:
    """Turns a loaded document into a ProjectState, collecting every problem with its position."""

    def __init__(self, name: str, pack: ProcessPack):
        self.name = name
        self.pack = pack
        self.problems: list[Problem] = []
        self._suggested = 0

    def add(self, where: tuple[int, int] | None, message: str) -> None:
        line, col = where if where is not None else (1, 1)
        self.problems.append(Problem(self.name, line, col, message))

    @staticmethod
    def kpos(m: Any, key: Any) -> tuple[int, int] | None:
        try:
            line, col = m.lc.key(key)
            return line + 1, col + 1
        except (AttributeError, KeyError, TypeError):
            return None

    @staticmethod
    def vpos(m: Any, key: Any) -> tuple[int, int] | None:
        try:
            line, col = m.lc.value(key)
            return line + 1, col + 1
        except (AttributeError, KeyError, TypeError):
            return Checker.kpos(m, key)

    def text(self, m: Doc, key: str) -> str:
        v = m.get(key)
        if v is None:
            return ""
        if isinstance(v, str):
            return visible(str(v))  # never an escape sequence on anyone's screen
        if isinstance(v, bool):
            self.add(
                self.vpos(m, key),
                f"{key}: verwacht tekst, niet {str(v).lower()}; zet het tussen aanhalingstekens",
            )
        elif isinstance(v, (int, float, dt.date)):
            return v.isoformat() if isinstance(v, dt.date) else str(v)
        else:
            self.add(
                self.vpos(m, key),
                f"{key}: verwacht tekst, geen {'lijst' if isinstance(v, list) else 'mapping'}",
            )
        return ""

    def date(self, m: Doc, key: str) -> dt.date | None:
        v = m.get(key)
        if v is None or v == "":
            return None
        if isinstance(v, BadDate):
            self.add(self.vpos(m, key), f"{key}: de datum {v} bestaat niet")
            return None
        if isinstance(v, dt.datetime):
            return v.date()
        if isinstance(v, dt.date):
            return v
        if isinstance(v, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", v.strip()):
            try:
                return dt.date.fromisoformat(v.strip())
            except ValueError:
                self.add(self.vpos(m, key), f"{key}: de datum {v.strip()} bestaat niet")
                return None
        self.add(
            self.vpos(m, key),
            f"{key}: ongeldige datum {str(v)!r}; schrijf JJJJ-MM-DD, bijvoorbeeld 2026-12-31",
        )
        return None

    def timestamp(self, m: Doc, key: str) -> dt.datetime | None:
        v = m.get(key)
        if v is None or v == "":
            return None
        if isinstance(v, dt.datetime):
            return dt.datetime(
                v.year, v.month, v.day, v.hour, v.minute, v.second, v.microsecond, v.tzinfo
            )
        if isinstance(v, dt.date) and not isinstance(v, BadDate):
            return dt.datetime(v.year, v.month, v.day)
        if isinstance(v, str) and not isinstance(v, BadDate):
            try:
                return dt.datetime.fromisoformat(v.strip())
            except ValueError:
                pass
        self.add(
            self.vpos(m, key),
            f"{key}: ongeldig tijdstip {str(v)!r}; schrijf bijvoorbeeld 2026-11-25T14:30:00+01:00",
        )
        return None

    def flag(self, m: Doc, key: str) -> bool:
        v = m.get(key)
        if v is None:
            return False
        if isinstance(v, bool):
            return v
        self.add(self.vpos(m, key), f"{key}: verwacht true of false, niet {str(v)!r}")
        return False

    def status(self, m: Doc, key: Any, what: str = "status") -> Status:
        v = m.get(key)
        if v is None:
            return "todo"
        if isinstance(v, str) and v in STATUSES:
            return v
        value = parse_status(str(v)) if isinstance(v, str) else None
        if value is not None:
            self.add(
                self.vpos(m, key),
                f"{what}: schrijf '{value}' in plaats van {str(v)!r} (in de app heet dat "
                f"'{STATUS_LABELS[value]}')",
            )
        else:
            self.add(
                self.vpos(m, key),
                f"{what}: onbekende status {str(v)!r}; kies uit {', '.join(STATUSES)}",
            )
        return "todo"

    def perspectives(self, m: Doc) -> dict[str, Status]:
        v = m.get("perspectives")
        if v is None:
            return {}
        if not isinstance(v, dict):
            self.add(
                self.vpos(m, "perspectives"),
                "perspectives: verwacht per partij een status, bijvoorbeeld 'bewoners: doing'",
            )
            return {}
        out: dict[str, Status] = {}
        for role in v:
            if not isinstance(role, str) or role not in self.pack.stakeholders:
                close = difflib.get_close_matches(str(role), list(self.pack.stakeholders), n=1)
                hint = (
                    f"bedoel je '{close[0]}'?"
                    if close
                    else f"bekend: {', '.join(self.pack.stakeholders)}"
                )
                self.add(
                    self.kpos(v, role), f"perspectives: onbekende partij {str(role)!r}; {hint}"
                )
                continue
            out[role] = self.status(v, role, f"perspectives.{role}")
        return out

    def check(self, doc: Any) -> ProjectState | None:
        if doc is None:
            self.add(
                (1, 1), "het bestand is leeg; maak een nieuw projectbestand met 'wijkkompas new'"
            )
            return None
        if not isinstance(doc, dict):
            self.add((1, 1), "verwacht een mapping met 'schema', 'project' en 'knooppunten'")
            return None
        schema = self.schema(doc)
        if schema is not None and schema > SCHEMA:
            return None
        project = self.project(doc)
        entries = self.entries(doc)
        if self.problems:
            return None
        return ProjectState(
            schema=SCHEMA if schema is None else schema, project=project, entries=entries
        )

    def schema(self, doc: Doc) -> int | None:
        if "schema" not in doc:
            self.add((1, 1), f"'schema' ontbreekt; zet 'schema: {SCHEMA}' bovenaan het bestand")
            return None
        v = doc["schema"]
        if not isinstance(v, int) or isinstance(v, bool) or v < 1:
            self.add(
                self.vpos(doc, "schema"),
                f"ongeldige schema-versie {str(v)!r}; deze versie van wijkkompas kent schema "
                f"{SCHEMA}",
            )
            return None
        if v > SCHEMA:
            self.problems = [
                Problem(
                    self.name,
                    *(self.vpos(doc, "schema") or (1, 1)),
                    f"dit bestand is gemaakt met een nieuwere versie van wijkkompas (schema {v}); "
                    "werk wijkkompas bij",
                )
            ]
        return v

    def project(self, doc: Doc) -> ProjectInfo:
        p = doc.get("project")
        if p is None:
            return ProjectInfo(name="")
        if not isinstance(p, dict):
            self.add(
                self.vpos(doc, "project"), "project: verwacht velden zoals 'name:' en 'gemeente:'"
            )
            return ProjectInfo(name="")
        return ProjectInfo(
            name=self.text(p, "name"),
            gemeente=self.text(p, "gemeente"),
            wijk=self.text(p, "wijk"),
            started=self.date(p, "started"),
        )

    def entries(self, doc: Doc) -> dict[str, Entry]:
        km = doc.get("knooppunten")
        if km is None:
            return {}
        if not isinstance(km, dict):
            self.add(
                self.vpos(doc, "knooppunten"),
                "knooppunten: verwacht per knooppunt-slug de velden, bijvoorbeeld 'status: done'",
            )
            return {}
        out: dict[str, Entry] = {}
        for key, value in km.items():
            k = self.knooppunt(km, key)
            entry = self.entry(km, key, value)
            if k is not None and entry is not None:
                out[k.slug] = entry
        if len(km) >= 3 and not out:
            self.problems.append(
                Problem(
                    self.name,
                    None,
                    None,
                    "geen enkel knooppunt uit dit bestand staat in het procespakket; hoort het bij "
                    "een ander pakket (--pack)?",
                )
            )
        return out

    def entry(self, km: Doc, key: Any, value: Any) -> Entry | None:
        """One knooppunt's fields (also used alone, on the one entry a fast save changed)."""
        if value is not None and not isinstance(value, dict):
            self.add(
                self.vpos(km, key),
                f"{key}: verwacht velden onder de slug, bijvoorbeeld 'status: done'",
            )
            return None
        m = value if value is not None else {}
        return Entry(
            slug=str(key),
            status=self.status(m, "status"),
            note=self.text(m, "note"),
            owner=self.text(m, "owner"),
            due=self.date(m, "due"),
            updated=self.timestamp(m, "updated"),
            by=self.text(m, "by"),
            bookmark=self.flag(m, "bookmark"),
            perspectives=self.perspectives(m),
        )

    def knooppunt(self, km: Doc, key: Any) -> Knooppunt | None:
        if isinstance(key, str) and (k := self.pack.by_slug(key)) is not None:
            return k
        if (
            isinstance(key, int)
            and not isinstance(key, bool)
            and (k := self.pack.by_number(key)) is not None
        ):
            self.add(
                self.kpos(km, key),
                f"knooppunten staan hier op hun slug: schrijf '{k.slug}' in plaats van {key}",
            )
            return None
        # A suggestion costs a fuzzy comparison with every slug: only for the first few
        # unknown keys, so a large file of them stays linear and quick to check.
        self._suggested += 1
        close = (
            difflib.get_close_matches(
                str(key)[:80], [k.slug for k in self.pack.knooppunten], n=1, cutoff=0.5
            )
            if self._suggested <= MAX_SUGGESTIONS
            else []
        )
        hint = f"bedoel je '{close[0]}'?" if close else "zie 'wijkkompas list' voor de slugs"
        self.add(self.kpos(km, key), f"onbekend knooppunt '{key}'; {hint}")
        return None


def _parse(path: Path, pack: ProcessPack, name: str) -> Parsed:
    source = read_source(path, name)
    return parse_text(source, pack, name)


def parse_text(source: Source, pack: ProcessPack, name: str) -> Parsed:
    """The checked state of `source`: read by the quick reader when the file has the plain
    layout and no problem (no ruamel document then: `Parsed.doc` is None), otherwise by
    the general parser, which also positions every problem."""
    try:
        doc, index = quick_load(source.text)
    except NotPlain:
        return parse_document(source, pack, name)
    state = Checker(name, pack).check(doc)
    if state is None:
        return parse_document(source, pack, name)
    return Parsed(source, None, state, guess_indent(source.text), index)


def parse_document(source: Source, pack: ProcessPack, name: str) -> Parsed:
    """The checked state of `source` with its ruamel document, which a general save edits."""
    from .marks import build_index
    from .read import load_doc

    indent = guess_indent(source.text)
    nodes: dict[int, Any] = {}
    doc = load_doc(name, source.text, indent, nodes)
    checker = Checker(name, pack)
    state = checker.check(doc)
    if state is None:
        raise ProblemsError(checker.problems)
    return Parsed(source, doc, state, indent, build_index(doc, nodes, source.text))


def validate_state(path: str | Path, pack: ProcessPack) -> list[Problem]:
    """Every problem of the state file at `path`, in file order; empty when it is fine."""
    try:
        _parse(Path(path), pack, str(path))
    except ProblemsError as exc:
        return exc.problems
    return []


def load_state(path: str | Path, pack: ProcessPack) -> ProjectState:
    """The validated state at `path`; raises ProblemsError with every problem."""
    return _parse(Path(path), pack, str(path)).state
