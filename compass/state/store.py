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

This module is the store; `compass.state` is the public API. The package splits
the work by responsibility: `models` (models, vocabulary, normalisation), `source`
(the bytes as read, a checked parse), `read` (bytes to ruamel document, YAML
errors), `check` (document to ProjectState, every problem), `index` and `marks`
(which lines hold which field, read from the parser's marks), `fast` (the
text-splice save of one entry, checked on that entry), `edit` (the general
in-place ruamel edit), `new` (new files, the demo copy), `cache` (a clean parse
remembered by content, for the next start); `compass.durable` does the atomic
write and names the lock; `reader` is the read half of the store (load, poll, and the
re-read inside the lock). A save reuses the last parse when the bytes re-read
under the lock are identical.
"""

from __future__ import annotations

import datetime as dt
import difflib
import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..digest import sha256
from ..durable import lock_path, temp_prefix, unlink_quietly, writable, write_atomic
from ..model import Knooppunt, ProcessPack, Status
from ..problems import EditConflict, InvalidInput, ProblemsError
from . import journal
from .models import (
    LOCK_TIMEOUT,
    PROJECT_FIELDS,
    UPDATABLE,
    ProjectState,
    date_value,
    default_user,
    normalize_line,
    normalize_note,
    now,
    status_value,
)
from .reader import StateReader
from .source import Fingerprint, Parsed, fingerprint, read_source

if TYPE_CHECKING:
    from ruamel.yaml.comments import CommentedMap


# --- the store ------------------------------------------------------------------------------


class StateStore(StateReader):
    """One state file, shared safely between this process and everyone else writing it.

    `load()` reads and validates; `update()`, `set_perspective()`, `toggle_bookmark()`
    and `update_project()` do a locked read-modify-write; `poll()` notices outside
    changes cheaply. `state` is the last good state, `problems` what is wrong with the
    file on disk right now (empty when it is fine), `changed` whether the last edit
    actually wrote the file.
    """

    #: use the fast text-splice save where it applies (tests switch it off to compare)
    fast_saves = True

    def __init__(
        self,
        path: str | Path,
        pack: ProcessPack,
        user: str = "",
        *,
        lock_timeout: float = LOCK_TIMEOUT,
        clock: Callable[[], dt.datetime] | None = None,
    ):
        super().__init__(path, pack)
        self.user = normalize_line(user or default_user())
        self.lock_timeout = lock_timeout
        self.clock = clock or now
        self.changed = False

    # writing

    def update(
        self, ref: str | int, *, expect: Mapping[str, Any] | None = None, **fields: Any
    ) -> ProjectState:
        """Set any of status, note, owner, due, bookmark of one knooppunt (number or slug).

        `expect`: the values as the caller last saw them (e.g. `{"note": ...}` when an
        edit dialog opened). If the file holds something else inside the lock, nothing
        is written and EditConflict says what the file holds now.
        """
        unknown = set(fields) - UPDATABLE
        if unknown:
            raise TypeError(f"unknown field(s): {', '.join(sorted(unknown))}")
        k = self._resolve(ref)
        values = self._clean(fields)
        wanted = dict(expect or {})

        def check(state: ProjectState) -> None:
            entry = state.entry(k.slug)
            for field, value in wanted.items():
                theirs = getattr(entry, field)
                if theirs != value:
                    raise EditConflict(k.slug, field, theirs)

        def mutate(doc: CommentedMap, state: ProjectState, indent: int) -> bool:
            check(state)
            return self._apply(doc, state, indent, k, values, {})

        def fast(parsed: Parsed) -> Parsed | bool | None:
            check(parsed.state)
            return self._fast(parsed, k, values)

        return self._transact(mutate, fast, slug=k.slug)

    def set_perspective(self, ref: str | int, role: str, status: str) -> ProjectState:
        """Record how one party (a stakeholder id or label) sees this knooppunt."""
        k = self._resolve(ref)
        rid = self.pack.stakeholder_id(role)
        if rid is None:
            raise InvalidInput(
                f"onbekende partij '{role}'; bekend: {', '.join(self.pack.stakeholders)}"
            )
        value = status_value(status)
        return self._transact(
            lambda doc, state, indent: self._apply(doc, state, indent, k, {}, {rid: value}),
            slug=k.slug,
        )

    def toggle_bookmark(self, ref: str | int) -> ProjectState:
        """Flip the bookmark, deciding from the file as it is inside the lock."""
        k = self._resolve(ref)
        return self._transact(
            lambda doc, state, indent: self._apply(
                doc, state, indent, k, {"bookmark": not state.entry(k.slug).bookmark}, {}
            ),
            lambda parsed: self._fast(
                parsed, k, {"bookmark": not parsed.state.entry(k.slug).bookmark}
            ),
            slug=k.slug,
        )

    def update_project(self, **fields: Any) -> ProjectState:
        """Set name, gemeente, wijk or started (a date or YYYY-MM-DD)."""
        unknown = set(fields) - PROJECT_FIELDS
        if unknown:
            raise TypeError(f"unknown field(s): {', '.join(sorted(unknown))}")
        values: dict[str, Any] = {}
        for key, v in fields.items():
            values[key] = date_value(v) if key == "started" else normalize_line(v or "")
        if "name" in values and not values["name"]:
            raise InvalidInput("de projectnaam mag niet leeg zijn")
        return self._transact(lambda doc, state, indent: self._apply_project(doc, state, values))

    def _resolve(self, ref: str | int) -> Knooppunt:
        k = self.pack.resolve(ref)
        if k is None:
            close = difflib.get_close_matches(
                str(ref).lower(), [x.slug for x in self.pack.knooppunten], n=1
            )
            hint = (
                f"bedoel je '{close[0]}'?"
                if close
                else f"kies een nummer 1..{len(self.pack.knooppunten)} of een slug"
            )
            raise InvalidInput(f"onbekend knooppunt '{ref}'; {hint}")
        return k

    @staticmethod
    def _clean(fields: dict[str, Any]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, v in fields.items():
            if key == "status":
                out[key] = status_value(v)
            elif key == "due":
                out[key] = date_value(v)
            elif key == "note":
                out[key] = normalize_note(v or "")
            elif key == "owner":
                out[key] = normalize_line(v or "")
            elif key == "bookmark":
                out[key] = bool(v)
        return out

    def _fast(self, parsed: Parsed, k: Knooppunt, values: dict[str, Any]) -> Parsed | bool | None:
        """The fast text-splice save (`compass.state.fast`): False when nothing differs,
        the new parse when it applied, None when the general path must do it."""
        current = parsed.state.entry(k.slug)
        todo = {key: v for key, v in values.items() if getattr(current, key) != v}
        if not todo:
            return False
        if not self.fast_saves:
            return None
        from .fast import fast_update

        return fast_update(parsed, self.pack, self.name, k.slug, todo, self.clock(), self.user)

    def _apply(
        self,
        doc: CommentedMap,
        state: ProjectState,
        indent: int,
        k: Knooppunt,
        values: dict[str, Any],
        perspectives: dict[str, Status],
    ) -> bool:
        from .edit import apply_entry

        return apply_entry(
            doc, self.pack, state, indent, k, values, perspectives, self.clock, self.user
        )

    @staticmethod
    def _apply_project(doc: CommentedMap, state: ProjectState, values: dict[str, Any]) -> bool:
        from .edit import apply_project

        return apply_project(doc, state, values)

    def _transact(
        self,
        mutate: Callable[[CommentedMap, ProjectState, int], bool],
        fast: Callable[[Parsed], Parsed | bool | None] | None = None,
        slug: str | None = None,
    ) -> ProjectState:
        """Locked read-modify-write; writes only when the change really changes something.

        Inside the lock the file is always re-read; when its bytes are the ones last
        parsed here, that parse is reused instead of parsing again. `fast` (the text
        splice of `compass.state.fast`) is tried first; the general path edits the
        ruamel document with `mutate`, renders it and checks the whole result.
        """
        real = self.real_path
        if not real.exists():
            read_source(self.path, self.name)  # raises the 'not found' problem
        if not writable(real.parent):
            raise InvalidInput(
                f"{self.name}: kan niet opslaan: de map {real.parent} is alleen-lezen"
            )
        if not writable(real):
            raise InvalidInput(f"{self.name}: kan niet opslaan: het bestand is alleen-lezen")
        from filelock import (  # imported on the first save: it costs ~30 ms at start-up
            FileLock,
            Timeout,
        )

        from .check import parse_document, parse_text
        from .edit import same_document, splice_unchanged
        from .read import dump_yaml, round_trip_yaml

        lock = FileLock(str(lock_path(real)), timeout=self.lock_timeout)
        try:
            lock.acquire()
        except Timeout:
            raise InvalidInput(
                f"{self.name}: kan het bestand niet vergrendelen; iemand anders is er al "
                f"{self.lock_timeout:.0f} s mee bezig ({lock_path(real)})"
            ) from None
        except OSError as exc:
            raise InvalidInput(
                f"{self.name}: kan niet vergrendelen: {exc.strerror or exc}"
            ) from None
        try:
            self._remove_stale_temps(real)
            try:
                parsed = self._reread(real)
            except ProblemsError as exc:
                self.problems = exc.problems
                raise
            done = fast(parsed) if fast is not None else None
            if done is False:
                self.changed = False
                self._accept(parsed, fingerprint(real))
                return parsed.state
            if isinstance(done, Parsed):
                return self._write(real, done, parsed.source.raw, slug)
            if parsed.doc is None:  # the quick reader's parse, the cache's or a fast save's
                parsed = parse_document(parsed.source, self.pack, self.name)
            # from here on the document is changed in place: it is no longer the cache's
            self._cache = None
            assert parsed.doc is not None
            y = round_trip_yaml(parsed.indent)
            base = dump_yaml(y, parsed.doc)
            self.changed = mutate(parsed.doc, parsed.state, parsed.indent)
            if not self.changed:  # `mutate` returns False before touching the document
                self._accept(parsed, fingerprint(real))
                return parsed.state
            text = dump_yaml(y, parsed.doc)
            if base != parsed.source.text:
                spliced = splice_unchanged(parsed.source.text, base, text)
                if spliced is not None and same_document(spliced, text, parsed.indent):
                    text = spliced
            new = parsed.source.same_layout(parsed.source.encode(text), text)
            try:
                checked = parse_text(new, self.pack, self.name)
            except ProblemsError as exc:  # a bug here must never reach the disk
                raise InvalidInput(f"{self.name}: interne fout, niets opgeslagen: {exc}") from None
            return self._write(real, checked, parsed.source.raw, slug)
        finally:
            lock.release()

    def _write(
        self, real: Path, parsed: Parsed, before: bytes, slug: str | None = None
    ) -> ProjectState:
        """Write a checked new version durably and make it the store's state and cache.

        A change of one knooppunt (`slug`) is passed on to everyone who has the file
        open (`compass.state.journal`), so they need not read the file again. The stat
        of the new file is the one taken just before the rename (the rename keeps its
        inode, size and mtime): a second stat afterwards would cost a system call and
        could see an outside edit made since, as if it were ours."""
        self._cache = None
        digest = sha256(parsed.source.raw).digest()
        was = sha256(before).digest() if slug is not None else b""
        placed: list[Fingerprint] = []

        def tell(st: os.stat_result) -> None:
            """Told before the new file is in place: nobody reads in between."""
            placed.append(Fingerprint(st.st_mtime_ns, st.st_size, st.st_ino))
            if slug is not None:
                journal.tell(real, was, digest, placed[0], parsed.state.entry(slug))

        try:
            write_atomic(real, parsed.source.raw, tell)
        except OSError as exc:
            raise InvalidInput(f"{self.name}: kan niet opslaan: {exc.strerror or exc}") from None
        self.changed = True
        self._accept(parsed, placed[0] if placed else fingerprint(real), digest)
        return parsed.state

    @staticmethod
    def _remove_stale_temps(real: Path) -> None:
        """Temp files are only written under the lock, so any left now are from a crashed writer."""
        try:
            names = os.listdir(real.parent)
        except OSError:
            return
        prefix = temp_prefix(real)
        for n in names:
            if n.startswith(prefix) and n.endswith(".tmp"):
                unlink_quietly(real.parent / n)
