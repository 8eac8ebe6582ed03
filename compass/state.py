"""The per-project state file: where a wijk stands on every knooppunt.

People keep this YAML file beside their project, edit it by hand, keep it in git,
and a room of workshop participants writes it at the same time through the app.
So the rules here are about never losing work:

* **Round trip.** The file is loaded with ruamel.yaml in round-trip mode and a
  change is applied to that loaded document, never by dumping a model over the
  file. Comments, key order, blank lines, quoting and unknown keys survive, and a
  change to one knooppunt changes only that knooppunt's lines (so two git
  branches that touch different knooppunten merge without conflict). Should
  ruamel re-format something a person wrote by hand (odd spacing, say), the
  lines outside the change are spliced back from the original text.
* **Read-modify-write under a lock.** Every update takes a lock file beside the
  state, re-reads and validates the file inside the lock, applies the change and
  writes atomically (temp file in the same directory, fsync, rename, fsync the
  directory). Setting a value to what it already is writes nothing at all.
* **Bad input is reported, not guessed at.** Broken YAML, tabs, an unknown
  status, an impossible date, a duplicate key, an unknown knooppunt or a file
  from a newer wijkkompas: every problem at once as `FILE:LINE:COL: message`,
  and the file on disk is left byte-for-byte untouched.

Normalisation of text (what is *not* kept exactly, because YAML or a careful
file format cannot): in notes, line breaks become `\\n` (`\\r\\n`, `\\r`, NEL and
the Unicode line/paragraph separators included), characters YAML cannot print
(control characters other than tab and newline, BOM, surrogates) are dropped,
spaces and tabs at the end of each line are dropped and trailing empty lines are
dropped. Leading spaces, empty lines inside the note, tabs inside a line and all
other Unicode stay exactly as given. One-line fields (owner, author, project name,
gemeente, wijk) additionally have every run of whitespace collapsed to one space
and are stripped. Notes are written as literal blocks (`|-`); other text is
written plain unless it would be read back as something other than text under
YAML 1.1 or 1.2 (`yes`, `no`, `on`, `null`, `12`, `2026-01-01`, ...), then it is
quoted.

Statuses in the file are the file values (`todo`, `doing`, `done`, `stuck`,
`skipped`); a Dutch label written by hand (`afgerond`) is reported with the
value to write instead, so scripts reading the file see one vocabulary.
"""

from __future__ import annotations

import codecs
import datetime as dt
import difflib
import getpass
import hashlib
import io
import os
import re
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, NamedTuple

from filelock import FileLock, Timeout
from pydantic import BaseModel, ConfigDict, Field
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.compat import ordereddict
from ruamel.yaml.constructor import DuplicateKeyError, RoundTripConstructor
from ruamel.yaml.error import CommentMark, MarkedYAMLError, YAMLError
from ruamel.yaml.nodes import MappingNode, ScalarNode, SequenceNode
from ruamel.yaml.resolver import VersionedResolver
from ruamel.yaml.scalarstring import (
    FoldedScalarString,
    LiteralScalarString,
    PlainScalarString,
    ScalarString,
    SingleQuotedScalarString,
)
from ruamel.yaml.tokens import CommentToken

from .model import STATUS_LABELS, STATUSES, Knooppunt, ProcessPack, Status, Track, parse_status
from .problems import InvalidInput, Problem, ProblemsError

SCHEMA = 1
LOCK_TIMEOUT = 10.0
RACY_SECONDS = 2.0
HEADER = "# Wijkkompas-projectbestand. Bewerk gerust met de hand; `wijkkompas validate` controleert het."
ENTRY_TEMPLATE = ("status", "owner", "due", "note")
UPDATABLE = frozenset({"status", "note", "owner", "due", "bookmark"})
PROJECT_FIELDS = frozenset({"name", "gemeente", "wijk", "started"})
FINISHED: frozenset[str] = frozenset({"done", "skipped"})
_STR_TAG = "tag:yaml.org,2002:str"


# --- the models (pydantic at the edge) ---------------------------------------------


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)


class ProjectInfo(_Model):
    """Who the file is about: the project, its gemeente and wijk, and when it started."""

    name: str
    gemeente: str = ""
    wijk: str = ""
    started: dt.date | None = None


class Entry(_Model):
    """What the team recorded for one knooppunt. Absent from the file means all defaults."""

    slug: str
    status: Status = "todo"
    note: str = ""
    owner: str = ""
    due: dt.date | None = None
    updated: dt.datetime | None = None
    by: str = ""
    bookmark: bool = False
    perspectives: dict[str, Status] = {}

    def is_overdue(self, today: dt.date) -> bool:
        """Past its due date and not finished (done or not applicable)."""
        return self.due is not None and self.due < today and self.status not in FINISHED


class ProjectState(_Model):
    """A validated state file. Entries are keyed by slug; knooppunten not in it are `todo`."""

    schema_: int = Field(alias="schema")
    project: ProjectInfo
    entries: dict[str, Entry] = {}

    def entry(self, slug: str) -> Entry:
        return self.entries.get(slug) or Entry(slug=slug)

    def status(self, slug: str) -> Status:
        e = self.entries.get(slug)
        return e.status if e is not None else "todo"

    def counts(self, pack: ProcessPack, phase: int | None = None, track: str | None = None) -> dict[str, int]:
        """How many of the pack's knooppunten (optionally of one phase/spoor) have each status."""
        out = dict.fromkeys(STATUSES, 0)
        for k in pack.knooppunten:
            if (phase is None or k.phase == phase) and (track is None or k.track == track):
                out[self.status(k.slug)] += 1
        return out

    def progress(self, pack: ProcessPack, phase: int | None = None, track: str | None = None) -> float:
        """Fraction done of what applies: `skipped` knooppunten do not count."""
        c = self.counts(pack, phase, track)
        applicable = sum(c.values()) - c["skipped"]
        return c["done"] / applicable if applicable else 0.0

    def phase_reached(self, pack: ProcessPack, track: Track | str) -> int | None:
        """The highest phase in which any knooppunt of this spoor is done or being worked on."""
        phases = [k.phase for k in pack.knooppunten if k.track == track and self.status(k.slug) in ("done", "doing")]
        return max(phases) if phases else None

    def bookmarks(self, pack: ProcessPack) -> list[Knooppunt]:
        return [k for k in pack.knooppunten if self.entry(k.slug).bookmark]

    def overdue(self, pack: ProcessPack, today: dt.date | None = None) -> list[tuple[Knooppunt, Entry]]:
        today = today or dt.date.today()
        return [(k, e) for k in pack.knooppunten if (e := self.entries.get(k.slug)) is not None and e.is_overdue(today)]

    def stuck(self, pack: ProcessPack) -> list[tuple[Knooppunt, Entry]]:
        return [(k, self.entry(k.slug)) for k in pack.knooppunten if self.status(k.slug) == "stuck"]


# --- text normalisation and scalar styles ------------------------------------------

_BREAKS = re.compile("\r\n|[\r\x85\u2028\u2029]")
_TRAILING_WS = re.compile("[ \t]+$", re.MULTILINE)
_RESOLVERS = (VersionedResolver(version=(1, 1)), VersionedResolver(version=(1, 2)))


def _printable(ch: str) -> bool:
    """Whether YAML can write this character without escaping it."""
    if ch in "\t\n" or " " <= ch <= "~":
        return True
    return ("\xa0" <= ch <= "\ud7ff" or "\ue000" <= ch <= "\ufffd" or ch >= "\U00010000") and ch != "\ufeff"


def normalize_note(text: str) -> str:
    """A note as it will read back from the file (see the module docstring)."""
    text = _BREAKS.sub("\n", text)
    text = "".join(ch for ch in text if _printable(ch))
    return _TRAILING_WS.sub("", text).rstrip("\n")


def normalize_line(text: str) -> str:
    """A one-line field as it will read back: printable, whitespace collapsed, stripped."""
    return " ".join("".join(ch for ch in _BREAKS.sub(" ", text) if _printable(ch)).split())


def _reads_as_text(s: str) -> bool:
    return all(r.resolve(ScalarNode, s, (True, False)) == _STR_TAG for r in _RESOLVERS)


def _text_scalar(s: str) -> ScalarString:
    """Plain when that reads back as the same text in YAML 1.1 and 1.2, quoted otherwise."""
    if s == "" or not _reads_as_text(s):
        return SingleQuotedScalarString(s)
    return PlainScalarString(s)  # the emitter still quotes it when plain is not allowed


def _note_scalar(s: str) -> ScalarString:
    return LiteralScalarString(s) if s else SingleQuotedScalarString("")


# --- reading and validating --------------------------------------------------------


class _BadDate(str):
    """A scalar that looks like a date but is not one (2024-02-30); kept for the report."""


class _Constructor(RoundTripConstructor):
    def construct_yaml_timestamp(self, node: Any, values: Any = None) -> Any:
        try:
            return super().construct_yaml_timestamp(node, values)
        except (ValueError, OverflowError):
            return _BadDate(node.value)


_Constructor.add_constructor("tag:yaml.org,2002:timestamp", _Constructor.construct_yaml_timestamp)


def _yaml(indent: int = 2) -> YAML:
    """A fresh round-trip YAML instance (they are not thread-safe) with the file's layout."""
    y = YAML(typ="rt")
    y.Constructor = _Constructor
    y.width = 4096
    y.indent(mapping=indent, sequence=indent + 2, offset=indent)
    y.preserve_quotes = True
    y.allow_duplicate_keys = False
    return y


def _dump(y: YAML, doc: Any) -> str:
    buf = io.StringIO()
    y.dump(doc, buf)
    return buf.getvalue()


@dataclass
class _Source:
    """The file as read: text with `\\n` line ends, and how to write it back the same way."""

    raw: bytes
    text: str
    bom: bool = False
    crlf: bool = False

    def encode(self, text: str) -> bytes:
        if self.crlf:
            text = text.replace("\n", "\r\n")
        return (codecs.BOM_UTF8 if self.bom else b"") + text.encode("utf-8")


def _read(path: Path, name: str) -> _Source:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ProblemsError([Problem(name, None, None, f"bestand niet gevonden; maak het met: wijkkompas new {name} --name NAAM")]) from None
    except IsADirectoryError:
        raise ProblemsError([Problem(name, None, None, "is een map, geen projectbestand")]) from None
    except OSError as exc:
        raise ProblemsError([Problem(name, None, None, f"kan niet lezen: {exc.strerror or exc}")]) from None
    body = raw[3:] if raw.startswith(codecs.BOM_UTF8) else raw
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = body.count(b"\n", 0, exc.start) + 1
        col = exc.start - (body.rfind(b"\n", 0, exc.start) + 1) + 1
        raise ProblemsError([Problem(name, line, col, "geen geldige UTF-8-tekst; sla het bestand op als UTF-8")]) from None
    crlf = "\r\n" in text
    return _Source(raw, text.replace("\r\n", "\n"), bom=body is not raw, crlf=crlf)


def _guess_indent(text: str) -> int:
    """The mapping indent a person used (2 in files we write), so a save keeps it."""
    prev_opens = False
    for line in text.split("\n"):
        stripped = line.lstrip(" ")
        if not stripped or stripped.startswith("#"):
            continue
        indent = len(line) - len(stripped)
        if prev_opens and indent > 0 and not stripped.startswith("- "):
            return min(indent, 8)
        prev_opens = indent == 0 and stripped.rstrip().endswith(":")
    return 2


_YAML_REASONS = {
    "mapping values are not allowed here": "hier mag geen ':' staan; klopt de inspringing, of hoort de tekst tussen aanhalingstekens?",
    "could not find expected ':'": "':' verwacht (sleutel: waarde)",
    "expected <block end>, but found": "de inspringing klopt niet",
    "found undefined alias": "onbekende verwijzing (*); zet de tekst tussen aanhalingstekens",
    "found unexpected end of stream": "het bestand houdt midden in een waarde op; ontbreekt er een aanhalingsteken?",
    "found unknown escape character": "onbekende escape (\\) tussen dubbele aanhalingstekens; gebruik enkele",
}


def _yaml_problem(name: str, exc: MarkedYAMLError) -> Problem:
    opened = {
        "while scanning a quoted scalar": "dit aanhalingsteken wordt nergens gesloten",
        "while parsing a flow sequence": "'[' zonder ']'; zet tekst die met [ begint tussen aanhalingstekens",
        "while parsing a flow mapping": "'{' zonder '}'; zet tekst die met { begint tussen aanhalingstekens",
    }
    for context, message in opened.items():
        if str(exc.context).startswith(context) and exc.context_mark is not None:
            m = exc.context_mark  # where it was opened, not where the parser gave up
            return Problem(name, m.line + 1, m.column + 1, message)
    mark = exc.problem_mark or exc.context_mark
    reason = str(exc.problem or exc.context or exc).splitlines()[0]
    for english, dutch in _YAML_REASONS.items():
        if reason.startswith(english):
            reason = dutch
            break
    else:
        reason = f"ongeldige YAML: {reason}"
    if mark is None:
        return Problem(name, None, None, reason)
    return Problem(name, mark.line + 1, mark.column + 1, reason)


def _tab_problems(name: str, text: str) -> list[Problem]:
    out = []
    for n, line in enumerate(text.split("\n"), 1):
        lead = line[: len(line) - len(line.lstrip(" \t"))]
        if "\t" in lead:
            out.append(Problem(name, n, lead.index("\t") + 1, "tab gebruikt om in te springen; YAML kent alleen spaties"))
    return out


def _duplicate_problems(name: str, text: str) -> list[Problem]:
    """Every duplicate key in the file (the loader stops at the first), with the earlier line."""
    out: list[Problem] = []
    try:
        root = YAML(typ="rt").compose(text)
    except YAMLError:
        return out
    stack = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, MappingNode):
            seen: dict[Any, int] = {}
            for key, value in node.value:
                if isinstance(key, ScalarNode):
                    if key.value in seen:
                        m = key.start_mark
                        out.append(Problem(name, m.line + 1, m.column + 1, f"dubbele sleutel '{key.value}'; die staat al op regel {seen[key.value]}"))
                    else:
                        seen[key.value] = key.start_mark.line + 1
                stack.append(value)
        elif isinstance(node, SequenceNode):
            stack.extend(node.value)
    return sorted(out, key=lambda p: (p.line or 0, p.col or 0))


def _load_doc(name: str, text: str, indent: int = 2) -> Any:
    try:
        return _yaml(indent).load(text)
    except DuplicateKeyError as exc:
        raise ProblemsError(_duplicate_problems(name, text) or [_yaml_problem(name, exc)]) from None
    except MarkedYAMLError as exc:
        problems = _tab_problems(name, text)
        first = _yaml_problem(name, exc)
        if not any(p.line == first.line for p in problems):
            problems.append(first)
        raise ProblemsError(sorted(problems, key=lambda p: (p.line or 0, p.col or 0))) from None
    except (YAMLError, RecursionError, ValueError, TypeError, AttributeError) as exc:
        raise ProblemsError([Problem(name, None, None, f"ongeldige YAML: {exc}")]) from None


class _Checker:
    """Turns a loaded document into a ProjectState, collecting every problem with its position."""

    def __init__(self, name: str, pack: ProcessPack):
        self.name = name
        self.pack = pack
        self.problems: list[Problem] = []

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
            return _Checker.kpos(m, key)

    def text(self, m: CommentedMap, key: str) -> str:
        v = m.get(key)
        if v is None:
            return ""
        if isinstance(v, str):
            return str(v)
        if isinstance(v, bool):
            self.add(self.vpos(m, key), f"{key}: verwacht tekst, niet {str(v).lower()}; zet het tussen aanhalingstekens")
        elif isinstance(v, (int, float, dt.date)):
            return v.isoformat() if isinstance(v, dt.date) else str(v)
        else:
            self.add(self.vpos(m, key), f"{key}: verwacht tekst, geen {'lijst' if isinstance(v, list) else 'mapping'}")
        return ""

    def date(self, m: CommentedMap, key: str) -> dt.date | None:
        v = m.get(key)
        if v is None or v == "":
            return None
        if isinstance(v, _BadDate):
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
        self.add(self.vpos(m, key), f"{key}: ongeldige datum {str(v)!r}; schrijf JJJJ-MM-DD, bijvoorbeeld 2026-12-31")
        return None

    def timestamp(self, m: CommentedMap, key: str) -> dt.datetime | None:
        v = m.get(key)
        if v is None or v == "":
            return None
        if isinstance(v, dt.datetime):
            return dt.datetime(v.year, v.month, v.day, v.hour, v.minute, v.second, v.microsecond, v.tzinfo)
        if isinstance(v, dt.date) and not isinstance(v, _BadDate):
            return dt.datetime(v.year, v.month, v.day)
        if isinstance(v, str) and not isinstance(v, _BadDate):
            try:
                return dt.datetime.fromisoformat(v.strip())
            except ValueError:
                pass
        self.add(self.vpos(m, key), f"{key}: ongeldig tijdstip {str(v)!r}; schrijf bijvoorbeeld 2026-11-25T14:30:00+01:00")
        return None

    def flag(self, m: CommentedMap, key: str) -> bool:
        v = m.get(key)
        if v is None:
            return False
        if isinstance(v, bool):
            return v
        self.add(self.vpos(m, key), f"{key}: verwacht true of false, niet {str(v)!r}")
        return False

    def status(self, m: CommentedMap, key: Any, what: str = "status") -> Status:
        v = m.get(key)
        if v is None:
            return "todo"
        if isinstance(v, str) and v in STATUSES:
            return v  # type: ignore[return-value]
        value = parse_status(str(v)) if isinstance(v, str) else None
        if value is not None:
            self.add(self.vpos(m, key), f"{what}: schrijf '{value}' in plaats van {str(v)!r} (in de app heet dat '{STATUS_LABELS[value]}')")
        else:
            self.add(self.vpos(m, key), f"{what}: onbekende status {str(v)!r}; kies uit {', '.join(STATUSES)}")
        return "todo"

    def perspectives(self, m: CommentedMap) -> dict[str, Status]:
        v = m.get("perspectives")
        if v is None:
            return {}
        if not isinstance(v, CommentedMap):
            self.add(self.vpos(m, "perspectives"), "perspectives: verwacht per partij een status, bijvoorbeeld 'bewoners: doing'")
            return {}
        out: dict[str, Status] = {}
        for role in v:
            if not isinstance(role, str) or role not in self.pack.stakeholders:
                close = difflib.get_close_matches(str(role), list(self.pack.stakeholders), n=1)
                hint = f"bedoel je '{close[0]}'?" if close else f"bekend: {', '.join(self.pack.stakeholders)}"
                self.add(self.kpos(v, role), f"perspectives: onbekende partij {str(role)!r}; {hint}")
                continue
            out[role] = self.status(v, role, f"perspectives.{role}")
        return out

    def check(self, doc: Any) -> ProjectState | None:
        if doc is None:
            self.add((1, 1), "het bestand is leeg; maak een nieuw projectbestand met 'wijkkompas new'")
            return None
        if not isinstance(doc, CommentedMap):
            self.add((1, 1), "verwacht een mapping met 'schema', 'project' en 'knooppunten'")
            return None
        schema = self.schema(doc)
        if schema is not None and schema > SCHEMA:
            return None
        project = self.project(doc)
        entries = self.entries(doc)
        if self.problems:
            return None
        return ProjectState(schema=SCHEMA if schema is None else schema, project=project, entries=entries)

    def schema(self, doc: CommentedMap) -> int | None:
        if "schema" not in doc:
            self.add((1, 1), f"'schema' ontbreekt; zet 'schema: {SCHEMA}' bovenaan het bestand")
            return None
        v = doc["schema"]
        if not isinstance(v, int) or isinstance(v, bool) or v < 1:
            self.add(self.vpos(doc, "schema"), f"ongeldige schema-versie {str(v)!r}; deze versie van wijkkompas kent schema {SCHEMA}")
            return None
        if v > SCHEMA:
            self.problems = [Problem(self.name, *(self.vpos(doc, "schema") or (1, 1)),
                                     f"dit bestand is gemaakt met een nieuwere versie van wijkkompas (schema {v}); werk wijkkompas bij")]
        return v

    def project(self, doc: CommentedMap) -> ProjectInfo:
        p = doc.get("project")
        if p is None:
            return ProjectInfo(name="")
        if not isinstance(p, CommentedMap):
            self.add(self.vpos(doc, "project"), "project: verwacht velden zoals 'name:' en 'gemeente:'")
            return ProjectInfo(name="")
        return ProjectInfo(name=self.text(p, "name"), gemeente=self.text(p, "gemeente"), wijk=self.text(p, "wijk"), started=self.date(p, "started"))

    def entries(self, doc: CommentedMap) -> dict[str, Entry]:
        km = doc.get("knooppunten")
        if km is None:
            return {}
        if not isinstance(km, CommentedMap):
            self.add(self.vpos(doc, "knooppunten"), "knooppunten: verwacht per knooppunt-slug de velden, bijvoorbeeld 'status: done'")
            return {}
        out: dict[str, Entry] = {}
        for key, value in km.items():
            k = self.knooppunt(km, key)
            if value is not None and not isinstance(value, CommentedMap):
                self.add(self.vpos(km, key), f"{key}: verwacht velden onder de slug, bijvoorbeeld 'status: done'")
                continue
            m = value if value is not None else CommentedMap()
            entry = Entry(
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
            if k is not None:
                out[k.slug] = entry
        if len(km) >= 3 and not out:
            self.problems.append(Problem(self.name, None, None, "geen enkel knooppunt uit dit bestand staat in het procespakket; hoort het bij een ander pakket (--pack)?"))
        return out

    def knooppunt(self, km: CommentedMap, key: Any) -> Knooppunt | None:
        if isinstance(key, str) and (k := self.pack.by_slug(key)) is not None:
            return k
        if isinstance(key, int) and not isinstance(key, bool) and (k := self.pack.by_number(key)) is not None:
            self.add(self.kpos(km, key), f"knooppunten staan hier op hun slug: schrijf '{k.slug}' in plaats van {key}")
            return None
        close = difflib.get_close_matches(str(key), [k.slug for k in self.pack.knooppunten], n=1, cutoff=0.5)
        hint = f"bedoel je '{close[0]}'?" if close else "zie 'wijkkompas list' voor de slugs"
        self.add(self.kpos(km, key), f"onbekend knooppunt '{key}'; {hint}")
        return None


@dataclass
class _Parsed:
    source: _Source
    doc: CommentedMap
    state: ProjectState
    indent: int = 2


def _parse(path: Path, pack: ProcessPack, name: str) -> _Parsed:
    source = _read(path, name)
    return _parse_text(source, pack, name)


def _parse_text(source: _Source, pack: ProcessPack, name: str) -> _Parsed:
    indent = _guess_indent(source.text)
    doc = _load_doc(name, source.text, indent)
    checker = _Checker(name, pack)
    state = checker.check(doc)
    if state is None:
        raise ProblemsError(checker.problems)
    return _Parsed(source, doc, state, indent)


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


# --- editing the loaded document without disturbing anything else ---------------------
#
# ruamel keeps the comments and blank lines that follow a value on that value ("post"
# comment, slot 2 of the mapping's comment item). The comment above knooppunt N+1 is
# therefore stored on the last value of knooppunt N, and it is written differently
# after a plain scalar (the token starts with the value's own line end) than after a
# literal block (which ends its own line). These helpers take that text off a value
# and put it back in the right form, so a value can change style without moving or
# losing anyone's comments.


def _is_block(v: Any) -> bool:
    return isinstance(v, (LiteralScalarString, FoldedScalarString))


def _raw_set(m: CommentedMap, key: Any, value: Any) -> None:
    """Set without ruamel's habit of forcing the old string style onto the new value."""
    ordereddict.__setitem__(m, key, value)
    m._ok.add(key)


@dataclass
class _Trailer:
    """What follows a value on its line (`# eol`) and on the lines after it."""

    eol: str = ""
    eol_col: int = 0
    after: str = ""


def _take_trailer(m: CommentedMap, key: Any) -> _Trailer:
    item = m.ca.items.get(key)
    out = _Trailer()
    if not item:
        return out
    if len(item) > 3 and item[3]:  # a comment after a block scalar's `|-` header
        header = "".join(item[3]).strip()
        if header.startswith("#"):
            out.eol, out.eol_col = header, 0
        item[3] = None
    token = item[2] if len(item) > 2 else None
    item[2] = None
    if token is None:
        return out
    text, col = token.value, token.column
    if _is_block(m[key]):
        out.after = " " * col + text if text.startswith("#") else text
    elif text.startswith("#"):
        eol, _, out.after = text.partition("\n")
        out.eol, out.eol_col = eol, col
    else:
        out.after = text.partition("\n")[2]
    return out


def _put_trailer(m: CommentedMap, key: Any, t: _Trailer) -> None:
    item = m.ca.items.setdefault(key, [None, None, None, None])
    while len(item) < 4:
        item.append(None)
    if _is_block(m[key]):
        if t.eol:
            item[3] = ["  " + t.eol]
        if t.after:
            if t.after.startswith("\n"):
                item[2] = _token(t.after, 0)
            else:
                body = t.after.lstrip(" ")
                item[2] = _token(body, len(t.after) - len(body))
    elif t.eol:
        item[2] = _token(t.eol + "\n" + t.after, max(t.eol_col, 0))
    elif t.after:
        item[2] = _token("\n" + t.after, 0)
    if not any(item):
        del m.ca.items[key]


def _token(value: str, column: int) -> CommentToken:
    return CommentToken(value, CommentMark(column))


def _last_leaf(m: CommentedMap) -> tuple[CommentedMap, Any] | None:
    """The innermost mapping and key holding the last scalar of `m` (where trailers live)."""
    while len(m):
        key = next(reversed(m))
        v = m[key]
        if isinstance(v, CommentedMap) and len(v) and not v.fa.flow_style():
            m = v
            continue
        if isinstance(v, (CommentedMap, CommentedSeq)) and len(v):
            return None
        return m, key
    return None


def _add_key(m: CommentedMap, key: str, value: Any) -> None:
    """Add a key: before `note` (which stays last, it is the long one), else at the end.

    At the end, whatever followed the old last value (the next knooppunt's comment,
    blank lines) moves down to follow the new one.
    """
    if key != "note" and "note" in m:
        m.insert(list(m).index("note"), key, value)
        return
    leaf = _last_leaf(m) if len(m) else None
    if leaf is None and len(m):  # ends in a list: leave its comments where they are
        m.insert(len(m) - 1, key, value)
        return
    trailer = _take_trailer(*leaf) if leaf is not None else _Trailer()
    if leaf is not None:
        _put_trailer(leaf[0], leaf[1], _Trailer(eol=trailer.eol, eol_col=trailer.eol_col))
    _raw_set(m, key, value)
    new_leaf = _last_leaf(m)
    if new_leaf is not None:
        _put_trailer(new_leaf[0], new_leaf[1], _Trailer(after=trailer.after))


def _set_scalar(m: CommentedMap, key: str, value: Any) -> None:
    """Set a value in place, keeping the comments around it where they are."""
    if key not in m:
        _add_key(m, key, value)
        return
    old = m[key]
    if _is_block(old) == _is_block(value) and not isinstance(old, (CommentedMap, CommentedSeq)):
        _raw_set(m, key, value)
        return
    trailer = _take_trailer(m, key)
    _raw_set(m, key, value)
    _put_trailer(m, key, trailer)


def _replace_with_map(m: CommentedMap, key: Any, new: CommentedMap) -> None:
    """Replace a null/scalar value by a mapping, moving what followed it to the mapping's end."""
    trailer = _take_trailer(m, key)
    _raw_set(m, key, new)
    leaf = _last_leaf(new)
    if leaf is not None:
        _put_trailer(leaf[0], leaf[1], _Trailer(after=trailer.after))


def _new_entry() -> CommentedMap:
    e = CommentedMap()
    for key in ENTRY_TEMPLATE:
        e[key] = {"status": "todo", "due": None}.get(key, SingleQuotedScalarString(""))
    return e


def _child_indent(m: CommentedMap, default: str) -> str:
    for key in m:
        try:
            return " " * m.lc.key(key)[1]
        except (AttributeError, KeyError, TypeError):
            break
    return default


def _entry_map(doc: CommentedMap, pack: ProcessPack, k: Knooppunt, indent: int) -> CommentedMap:
    """The mapping for knooppunt `k`, created in process order (with its title comment) if absent."""
    km = doc.get("knooppunten")
    if not isinstance(km, CommentedMap):
        km = CommentedMap()
        if "knooppunten" in doc:
            _replace_with_map(doc, "knooppunten", km)
        else:
            doc["knooppunten"] = km
    if km.fa.flow_style():
        km.fa.set_block_style()
    value = km.get(k.slug)
    if isinstance(value, CommentedMap):
        if value.fa.flow_style():
            value.fa.set_block_style()
        return value
    entry = _new_entry()
    if k.slug in km:  # `slug:` with nothing under it
        _replace_with_map(km, k.slug, entry)
        return entry
    pad = _child_indent(km, " " * indent)
    title = f"{pad}# {k.number}. {k.title}\n"
    keys = list(km)
    before = [i for i, key in enumerate(keys) if (o := pack.by_slug(str(key))) is not None and o.number < k.number]
    pos = before[-1] + 1 if before else 0
    if pos == 0:
        km.insert(0, k.slug, entry)
        # the title goes above the new first entry; what stood there moves below it
        old = km.ca.comment[1] if km.ca.comment and len(km.ca.comment) > 1 and km.ca.comment[1] else []
        above = "".join(" " * t.column + t.value if t.value.startswith("#") else t.value for t in old)
        token = [_token(title.lstrip(" "), len(pad))]
        km.ca.comment = [None, token]
        item = doc.ca.items.setdefault("knooppunten", [None, None, None, None])
        item[3] = token
        leaf = _last_leaf(entry)
        if leaf is not None and above:
            _put_trailer(leaf[0], leaf[1], _Trailer(after=above))
        return entry
    prev = km[keys[pos - 1]]
    leaf = _last_leaf(prev) if isinstance(prev, CommentedMap) else (km, keys[pos - 1])
    km.insert(pos, k.slug, entry)
    if leaf is not None:
        trailer = _take_trailer(*leaf)
        _put_trailer(leaf[0], leaf[1], _Trailer(eol=trailer.eol, eol_col=trailer.eol_col, after=title))
        new_leaf = _last_leaf(entry)
        if new_leaf is not None:
            _put_trailer(new_leaf[0], new_leaf[1], _Trailer(after=trailer.after))
    return entry


# --- splicing: keep a person's formatting outside the change ----------------------------


def _splice(original: str, base: str, changed: str) -> str | None:
    """Apply the change `base` -> `changed` (both ruamel's rendering) onto `original`.

    Used when ruamel would re-format lines a person wrote by hand: the lines ruamel
    changes only cosmetically stay as the person wrote them, only the changed lines
    are taken from ruamel. None when the change cannot be placed unambiguously.
    """
    o, b, c = (s.splitlines(keepends=True) for s in (original, base, changed))
    to_orig: dict[int, int] = {}
    for block in difflib.SequenceMatcher(None, b, o, autojunk=False).get_matching_blocks():
        for i in range(block.size):
            to_orig[block.a + i] = block.b + i
    out: list[str] = []
    cursor = 0
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, b, c, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        # the region of `original` that b[i1:i2] stands for; lines only the original has
        # (a `...` end marker, say) stay outside it
        if i1 in to_orig and i1 < i2:
            start = to_orig[i1]
        elif i1 > 0 and i1 - 1 in to_orig:
            start = to_orig[i1 - 1] + 1
        elif i1 == 0:
            start = 0
        else:
            return None
        if i2 > i1 and i2 - 1 in to_orig:
            end = to_orig[i2 - 1] + 1
        elif i2 == i1:
            end = start
        elif i2 < len(b) and i2 in to_orig:
            end = to_orig[i2]
        elif i2 == len(b):
            end = len(o)
        else:
            return None
        if not cursor <= start <= end:
            return None
        out += o[cursor:start] + c[j1:j2]
        cursor = end
    out += o[cursor:]
    return "".join(out)


# --- writing ----------------------------------------------------------------------------


def _writable(path: Path) -> bool:
    """Writable, and not marked read-only: a read-only bit is respected even by root."""
    try:
        return os.access(path, os.W_OK) and bool(os.stat(path).st_mode & 0o222)
    except OSError:
        return False


def _fsync_dir(directory: Path) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _temp_prefix(path: Path) -> str:
    return f".{path.name}."


def _write_temp(path: Path, data: bytes, mode: int | None) -> str:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=_temp_prefix(path), suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        if mode is not None:
            os.chmod(tmp, mode)
    except BaseException:
        _unlink(tmp)
        raise
    return tmp


def _unlink(path: str | Path) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def write_atomic(path: Path, data: bytes) -> None:
    """Replace `path` with `data` so that a crash leaves the old or the new file, never half.

    Temp file in the same directory, fsync, the original's permission bits, rename,
    fsync the directory.
    """
    try:
        mode: int | None = os.stat(path).st_mode & 0o7777
    except FileNotFoundError:
        mode = None
    tmp = _write_temp(path, data, mode)
    try:
        os.replace(tmp, path)
    except BaseException:
        _unlink(tmp)
        raise
    _fsync_dir(path.parent)


def _create_exclusive(path: Path, data: bytes) -> None:
    """Write a new file durably, refusing (FileExistsError) to replace one that exists."""
    tmp = _write_temp(path, data, 0o666 & ~_umask())
    try:
        os.link(tmp, path)
    except FileExistsError:
        raise
    except OSError:  # no hard links here (some network or FAT drives)
        with open(path, "xb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
    finally:
        _unlink(tmp)
    _fsync_dir(path.parent)


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def lock_path(path: str | Path) -> Path:
    """The lock file every writer of `path` takes: `.NAME.lock` beside the (real) file."""
    real = Path(os.path.realpath(path))
    return real.with_name(f".{real.name}.lock")


def default_user() -> str:
    """Who is making a change, for the `by` field: $USER, else the login name, else ''."""
    user = os.environ.get("USER") or os.environ.get("USERNAME")
    if user:
        return user
    try:
        return getpass.getuser()
    except Exception:  # pragma: no cover - no passwd entry
        return ""


def _now() -> dt.datetime:
    return dt.datetime.now().astimezone().replace(microsecond=0)


def _timestamp_scalar(t: dt.datetime) -> Any:
    """A datetime that ruamel writes as ISO 8601 with `T` and the UTC offset."""
    from ruamel.yaml.timestamp import TimeStamp

    t = t.replace(microsecond=0)
    tz = None
    if t.tzinfo is not None:
        off = t.utcoffset() or dt.timedelta(0)
        minutes = int(off.total_seconds() // 60)
        sign = "+" if minutes >= 0 else "-"
        tz = dt.timezone(off, f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}")
    ts = TimeStamp(t.year, t.month, t.day, t.hour, t.minute, t.second, 0, tz)
    ts._yaml["t"] = True
    return ts


# --- creating a state file ----------------------------------------------------------------


def _scalar_text(value: Any) -> str:
    """How ruamel writes `value` after `key: ` (to build a new file by hand, line by line)."""
    out = _dump(_yaml(), {"k": value})
    return out[len("k:"):].rstrip("\n").lstrip(" ")


def render_new(pack: ProcessPack, name: str, gemeente: str = "", wijk: str = "", started: dt.date | None = None) -> str:
    """The text of a fresh state file: every knooppunt in process order, one field per line."""
    started = started or dt.date.today()
    lines = [
        HEADER,
        f"schema: {SCHEMA}",
        "project:",
        f"  name: {_scalar_text(_text_scalar(normalize_line(name)))}",
        f"  gemeente: {_scalar_text(_text_scalar(normalize_line(gemeente)))}",
        f"  wijk: {_scalar_text(_text_scalar(normalize_line(wijk)))}",
        f"  started: {started.isoformat()}",
        "knooppunten:",
    ]
    for k in pack.knooppunten:
        lines += [
            f"  # {k.number}. {normalize_line(k.title)}",
            f"  {k.slug}:",
            "    status: todo",
            "    owner: ''",
            "    due:",
            "    note: ''",
        ]
    return "\n".join(lines) + "\n"


def create_state(path: str | Path, pack: ProcessPack, name: str, gemeente: str = "", wijk: str = "",
                 started: dt.date | None = None) -> None:
    """Create a new state file listing every knooppunt; never overwrites (InvalidInput)."""
    p = Path(path)
    if os.path.lexists(p):
        raise InvalidInput(f"{path} bestaat al; kies een andere naam of open het met: wijkkompas {path}")
    if not p.parent.is_dir():
        raise InvalidInput(f"{path}: de map {p.parent} bestaat niet")
    if not _writable(p.parent):
        raise InvalidInput(f"{path}: kan niet opslaan: de map {p.parent} is alleen-lezen")
    if not normalize_line(name):
        raise InvalidInput("de projectnaam mag niet leeg zijn")
    data = render_new(pack, name, gemeente, wijk, started).encode("utf-8")
    try:
        with FileLock(str(lock_path(p)), timeout=LOCK_TIMEOUT):
            _create_exclusive(p, data)
    except FileExistsError:
        raise InvalidInput(f"{path} bestaat al; kies een andere naam of open het met: wijkkompas {path}") from None
    except Timeout:
        raise InvalidInput(f"{path}: kan het bestand niet vergrendelen; iemand anders is er al {LOCK_TIMEOUT:.0f} s mee bezig") from None
    except OSError as exc:
        raise InvalidInput(f"{path}: kan niet opslaan: {exc.strerror or exc}") from None


# --- the store ------------------------------------------------------------------------------


class Fingerprint(NamedTuple):
    """What `poll` compares to notice that someone else changed the file."""

    mtime_ns: int
    size: int
    ino: int


def _fingerprint(path: Path) -> Fingerprint | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return Fingerprint(st.st_mtime_ns, st.st_size, st.st_ino)


_UNSET: Any = object()


class StateStore:
    """One state file, shared safely between this process and everyone else writing it.

    `load()` reads and validates; `update()`, `set_perspective()`, `toggle_bookmark()`
    and `update_project()` do a locked read-modify-write; `poll()` notices outside
    changes cheaply. `state` is the last good state, `problems` what is wrong with the
    file on disk right now (empty when it is fine), `changed` whether the last edit
    actually wrote the file.
    """

    def __init__(self, path: str | Path, pack: ProcessPack, user: str = "", *,
                 lock_timeout: float = LOCK_TIMEOUT, clock: Callable[[], dt.datetime] | None = None):
        self.path = Path(path)
        self.name = str(path)
        self.pack = pack
        self.user = normalize_line(user or default_user())
        self.lock_timeout = lock_timeout
        self.clock = clock or _now
        self.state: ProjectState | None = None
        self.problems: list[Problem] = []
        self.changed = False
        self._fingerprint: Fingerprint | None = None
        self._digest: bytes = b""
        self._loaded_at = 0.0

    # reading

    @property
    def fingerprint(self) -> Fingerprint | None:
        """(st_mtime_ns, st_size, st_ino) of the file as last loaded or saved."""
        return self._fingerprint

    @property
    def real_path(self) -> Path:
        return Path(os.path.realpath(self.path))

    def load(self) -> ProjectState:
        """Read and validate the file; raises ProblemsError with every problem."""
        fp = _fingerprint(self.path)
        try:
            parsed = _parse(self.path, self.pack, self.name)
        except ProblemsError as exc:
            self.problems = exc.problems
            self._remember(fp, None)
            raise
        self._accept(parsed, fp)
        return parsed.state

    def poll(self) -> ProjectState | None:
        """The newly loaded state when the file changed since the last load/save, else None.

        Never raises for a bad outside edit: the last good state stays in `state` and
        `problems` says what is wrong, until the file is fixed.
        """
        fp = _fingerprint(self.path)
        if fp == self._fingerprint and fp is not None and not self._racy(fp):
            return None
        try:
            source = _read(self.path, self.name)
        except ProblemsError as exc:
            self.problems = exc.problems
            self._remember(fp, None)
            return None
        if hashlib.sha256(source.raw).digest() == self._digest:  # touched, or re-checked: same bytes
            self._fingerprint, self._loaded_at = fp, time.time()
            return None
        try:
            parsed = _parse_text(source, self.pack, self.name)
        except ProblemsError as exc:
            self.problems = exc.problems
            self._remember(fp, source.raw)
            return None
        self._accept(parsed, fp)
        return parsed.state

    def _racy(self, fp: Fingerprint) -> bool:
        """Changed within the file system's timestamp resolution of our last look: check content."""
        return self._loaded_at - fp.mtime_ns / 1e9 < RACY_SECONDS

    def _remember(self, fp: Fingerprint | None, raw: bytes | None) -> None:
        self._fingerprint = fp
        self._digest = hashlib.sha256(raw).digest() if raw is not None else b""
        self._loaded_at = time.time()

    def _accept(self, parsed: _Parsed, fp: Fingerprint | None) -> None:
        self.state = parsed.state
        self.problems = []
        self._remember(fp, parsed.source.raw)

    # writing

    def update(self, ref: str | int, **fields: Any) -> ProjectState:
        """Set any of status, note, owner, due, bookmark of one knooppunt (number or slug)."""
        unknown = set(fields) - UPDATABLE
        if unknown:
            raise TypeError(f"unknown field(s): {', '.join(sorted(unknown))}")
        k = self._resolve(ref)
        values = self._clean(fields)
        return self._transact(lambda doc, state, indent: self._apply(doc, state, indent, k, values, {}))

    def set_perspective(self, ref: str | int, role: str, status: str) -> ProjectState:
        """Record how one party (a stakeholder id or label) sees this knooppunt."""
        k = self._resolve(ref)
        rid = self.pack.stakeholder_id(role)
        if rid is None:
            raise InvalidInput(f"onbekende partij '{role}'; bekend: {', '.join(self.pack.stakeholders)}")
        value = _status_value(status)
        return self._transact(lambda doc, state, indent: self._apply(doc, state, indent, k, {}, {rid: value}))

    def toggle_bookmark(self, ref: str | int) -> ProjectState:
        """Flip the bookmark, deciding from the file as it is inside the lock."""
        k = self._resolve(ref)
        return self._transact(
            lambda doc, state, indent: self._apply(doc, state, indent, k, {"bookmark": not state.entry(k.slug).bookmark}, {}))

    def update_project(self, **fields: Any) -> ProjectState:
        """Set name, gemeente, wijk or started (a date or YYYY-MM-DD)."""
        unknown = set(fields) - PROJECT_FIELDS
        if unknown:
            raise TypeError(f"unknown field(s): {', '.join(sorted(unknown))}")
        values: dict[str, Any] = {}
        for key, v in fields.items():
            values[key] = _date_value(v) if key == "started" else normalize_line(v or "")
        if "name" in values and not values["name"]:
            raise InvalidInput("de projectnaam mag niet leeg zijn")
        return self._transact(lambda doc, state, indent: self._apply_project(doc, state, values))

    def _resolve(self, ref: str | int) -> Knooppunt:
        k = self.pack.resolve(ref)
        if k is None:
            close = difflib.get_close_matches(str(ref).lower(), [x.slug for x in self.pack.knooppunten], n=1)
            hint = f"bedoel je '{close[0]}'?" if close else f"kies een nummer 1..{len(self.pack.knooppunten)} of een slug"
            raise InvalidInput(f"onbekend knooppunt '{ref}'; {hint}")
        return k

    @staticmethod
    def _clean(fields: dict[str, Any]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, v in fields.items():
            if key == "status":
                out[key] = _status_value(v)
            elif key == "due":
                out[key] = _date_value(v)
            elif key == "note":
                out[key] = normalize_note(v or "")
            elif key == "owner":
                out[key] = normalize_line(v or "")
            elif key == "bookmark":
                out[key] = bool(v)
        return out

    def _apply(self, doc: CommentedMap, state: ProjectState, indent: int, k: Knooppunt, values: dict[str, Any],
               perspectives: dict[str, Status]) -> bool:
        """Apply what really differs from `state` to `doc`; stamp `updated`/`by` if anything did."""
        current = state.entry(k.slug)
        todo = {key: v for key, v in values.items() if getattr(current, key) != v}
        roles = {r: s for r, s in perspectives.items() if current.perspectives.get(r, None) != s}
        if not todo and not roles:
            return False
        m = _entry_map(doc, self.pack, k, indent)
        for key, v in todo.items():
            if key == "note":
                _set_scalar(m, key, _note_scalar(v))
            elif key == "owner":
                _set_scalar(m, key, _text_scalar(v))
            else:
                _set_scalar(m, key, v)
        if roles:
            persp = m.get("perspectives")
            if isinstance(persp, CommentedMap):
                if persp.fa.flow_style():
                    persp.fa.set_block_style()
                for role, s in roles.items():
                    _set_scalar(persp, role, s)
            else:
                persp = CommentedMap(roles)
                if "perspectives" in m:
                    _replace_with_map(m, "perspectives", persp)
                else:
                    _add_key(m, "perspectives", persp)
        _set_scalar(m, "updated", _timestamp_scalar(self.clock()))
        if self.user or "by" in m:
            _set_scalar(m, "by", _text_scalar(self.user))
        return True

    @staticmethod
    def _apply_project(doc: CommentedMap, state: ProjectState, values: dict[str, Any]) -> bool:
        todo = {key: v for key, v in values.items() if getattr(state.project, key) != v}
        if not todo:
            return False
        p = doc.get("project")
        if not isinstance(p, CommentedMap):
            p = CommentedMap()
            if "project" in doc:
                _replace_with_map(doc, "project", p)
            else:
                doc.insert(1 if "schema" in doc else 0, "project", p)
        for key, v in todo.items():
            _set_scalar(p, key, v if key == "started" else _text_scalar(v))
        return True

    def _transact(self, mutate: Callable[[CommentedMap, ProjectState, int], bool]) -> ProjectState:
        """Locked read-modify-write; writes only when `mutate` really changed something."""
        real = self.real_path
        if not real.exists():
            _read(self.path, self.name)  # raises the 'not found' problem
        if not _writable(real.parent):
            raise InvalidInput(f"{self.name}: kan niet opslaan: de map {real.parent} is alleen-lezen")
        if not _writable(real):
            raise InvalidInput(f"{self.name}: kan niet opslaan: het bestand is alleen-lezen")
        lock = FileLock(str(lock_path(real)), timeout=self.lock_timeout)
        try:
            lock.acquire()
        except Timeout:
            raise InvalidInput(f"{self.name}: kan het bestand niet vergrendelen; iemand anders is er al {self.lock_timeout:.0f} s mee bezig ({lock_path(real)})") from None
        except OSError as exc:
            raise InvalidInput(f"{self.name}: kan niet vergrendelen: {exc.strerror or exc}") from None
        try:
            self._remove_stale_temps(real)
            try:
                parsed = _parse(real, self.pack, self.name)
            except ProblemsError as exc:
                self.problems = exc.problems
                raise
            y = _yaml(parsed.indent)
            base = _dump(y, parsed.doc)
            self.changed = mutate(parsed.doc, parsed.state, parsed.indent)
            if not self.changed:
                self._accept(parsed, _fingerprint(real))
                return parsed.state
            text = _dump(y, parsed.doc)
            if base != parsed.source.text:
                spliced = _splice(parsed.source.text, base, text)
                if spliced is not None and _same_document(spliced, text, parsed.indent):
                    text = spliced
            new = _Source(parsed.source.encode(text), text, parsed.source.bom, parsed.source.crlf)
            try:
                checked = _parse_text(new, self.pack, self.name)
            except ProblemsError as exc:  # a bug here must never reach the disk
                raise InvalidInput(f"{self.name}: interne fout, niets opgeslagen: {exc}") from None
            try:
                write_atomic(real, new.raw)
            except OSError as exc:
                raise InvalidInput(f"{self.name}: kan niet opslaan: {exc.strerror or exc}") from None
            self._accept(checked, _fingerprint(real))
            return checked.state
        finally:
            lock.release()

    @staticmethod
    def _remove_stale_temps(real: Path) -> None:
        """Temp files are only written under the lock, so any left now are from a crashed writer."""
        try:
            names = os.listdir(real.parent)
        except OSError:
            return
        prefix = _temp_prefix(real)
        for n in names:
            if n.startswith(prefix) and n.endswith(".tmp"):
                _unlink(real.parent / n)


def _same_document(a: str, b: str, indent: int) -> bool:
    """Whether two texts hold the same data and comments (ruamel renders them the same)."""
    try:
        y = _yaml(indent)
        return _dump(y, y.load(a)) == b
    except Exception:
        return False


def _status_value(text: Any) -> Status:
    value = parse_status(str(text)) if text is not None else None
    if value is None:
        labels = ", ".join(f"{STATUS_LABELS[s]} ({s})" for s in STATUSES)
        raise InvalidInput(f"onbekende status '{text}'; kies uit: {labels}")
    return value


def _date_value(v: Any) -> dt.date | None:
    if v is None or v == "":
        return None
    if isinstance(v, dt.datetime):
        return v.date()
    if isinstance(v, dt.date):
        return v
    text = str(v).strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            raise InvalidInput(f"de datum {text} bestaat niet") from None
    raise InvalidInput(f"ongeldige datum '{text}'; gebruik JJJJ-MM-DD, bijvoorbeeld 2026-12-31")


def demo_copy(dest_dir: str | Path | None = None) -> Path:
    """Copy the bundled example project to `dest_dir/wijkkompas.yaml` and return that path.

    By default into the user data directory (`.../wijkkompas/demo/`), replacing any
    earlier demo copy, so `wijkkompas demo` always starts from the same example.
    """
    from .pack import bundled_pack_dir

    if dest_dir is None:
        from platformdirs import user_data_dir

        dest_dir = Path(user_data_dir("wijkkompas", appauthor=False)) / "demo"
    dest = Path(dest_dir)
    dest.mkdir(parents=True, exist_ok=True)
    target = dest / "wijkkompas.yaml"
    write_atomic(target, (bundled_pack_dir() / "demo.yaml").read_bytes())
    return target


__all__ = [
    "Entry",
    "Fingerprint",
    "ProjectInfo",
    "ProjectState",
    "SCHEMA",
    "StateStore",
    "create_state",
    "default_user",
    "demo_copy",
    "load_state",
    "lock_path",
    "normalize_line",
    "normalize_note",
    "render_new",
    "validate_state",
    "write_atomic",
]
