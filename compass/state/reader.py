"""Reading a state file and noticing outside changes: the read half of the store.

Why its own module: `compass.state.store` explains the rules of the file and does
the locked read-modify-write; this is everything a reader needs (a session that
only shows the project, `status`, `report`), and what the store reads again inside
its lock. A new version is taken in the cheapest way that is exact: the change note
another writer left (`journal`), one knooppunt read again (`reread`), or the whole
file (`quick`, else the round-trip parser, which positions every problem).
"""

from __future__ import annotations

import os
import time
from collections import Counter
from pathlib import Path

from ..digest import sha256
from ..model import ProcessPack
from ..problems import Problem, ProblemsError
from . import cache as state_cache
from . import journal
from .models import RACY_SECONDS, ProjectState
from .source import Fingerprint, Parsed, Source, fingerprint, read_source


class StateReader:
    """One state file as this process last read it: `state` is the last good state,
    `problems` what is wrong with the file on disk right now (empty when it is fine)."""

    def __init__(self, path: str | Path, pack: ProcessPack):
        self.path = Path(path)
        self.name = str(path)
        self._file = str(self.path)  # what `poll` stats: a str spares pathlib's __fspath__
        self.pack = pack
        self.state: ProjectState | None = None
        self.problems: list[Problem] = []
        self._fingerprint: Fingerprint | None = None
        self._digest: bytes = b""
        self._loaded_at = 0.0
        self._cache: Parsed | None = None  # the last parse, for exactly the bytes in it
        self._kept: Parsed | None = None  # the parse the state cache holds (nothing to write)
        #: how outside changes were taken in: "journal" (passed on by the writer), "entry"
        #: (one knooppunt read again), "whole" (the whole file read)
        self.reloads: Counter[str] = Counter()
        self._note: str | None = None  # where changes by others are passed on (journal)

    @property
    def fingerprint(self) -> Fingerprint | None:
        """(st_mtime_ns, st_size, st_ino) of the file as last loaded or saved."""
        return self._fingerprint

    @property
    def real_path(self) -> Path:
        return Path(os.path.realpath(self.path))

    def load(self) -> ProjectState:
        """Read and validate the file; raises ProblemsError with every problem.

        Bytes that were loaded cleanly before come from `compass.state.cache` without a
        parse (the start of every session pays for it otherwise); new bytes are parsed
        and remembered for the next time.
        """
        fp = fingerprint(self.path)
        try:
            source = read_source(self.path, self.name)
            hit = state_cache.lookup(self.real_path, source.raw, self.pack)
            if hit is not None:
                parsed = self._kept = Parsed(source, None, *hit)
            else:
                from .check import parse_text

                parsed = parse_text(source, self.pack, self.name)
                self._keep(parsed)
        except ProblemsError as exc:
            self.problems = exc.problems
            self._remember(fp, None)
            raise
        self._accept(parsed, fp)
        return parsed.state

    def keep_for_next_start(self) -> None:
        """Remember the current clean parse (after this session's saves) so the next load skips
        parsing."""
        if self._cache is not None and self._cache is not self._kept and not self.problems:
            self._keep(self._cache)

    def _keep(self, parsed: Parsed) -> None:
        self._kept = parsed
        state_cache.remember(
            self.real_path, parsed.source.raw, self.pack, parsed.state, parsed.indent, parsed.index
        )

    def poll(self) -> ProjectState | None:
        """The newly loaded state when the file changed since the last load/save, else None.

        Never raises for a bad outside edit: the last good state stays in `state` and
        `problems` says what is wrong, until the file is fixed.
        """
        fp = fingerprint(self._file)
        if fp == self._fingerprint and fp is not None and not self._racy(fp):
            return None
        if fp is not None and self.state is not None and not self.problems:
            heard = self._hear(fp)
            if heard is not None:
                return heard
        try:
            source = read_source(self.path, self.name)
        except ProblemsError as exc:
            self.problems = exc.problems
            self._remember(fp, None)
            return None
        digest = sha256(source.raw).digest()
        if digest == self._digest:  # touched, or re-checked: same bytes
            self._fingerprint, self._loaded_at = fp, time.time()
            return None
        try:
            parsed = self._parse_again(source)
        except ProblemsError as exc:
            self.problems = exc.problems
            self._remember(fp, source.raw, digest)
            return None
        self._accept(parsed, fp, digest)
        return parsed.state

    def _hear(self, fp: Fingerprint) -> ProjectState | None:
        """The state after the one change another process passed on (`compass.state.journal`),
        when it leads from exactly our bytes to exactly the file now; else None.

        Only the changed entry is new: the other entries are the same objects as before."""
        if self._note is None:
            self._note = journal.note_file(self.real_path) or ""
        heard = journal.hear(self._note, self._digest, fp) if self._note else None
        if heard is None or self.state is None:
            return None
        entry, digest = heard
        if self.pack.by_slug(entry.slug) is None:
            return None
        entries = dict(self.state.entries)
        entries[entry.slug] = entry
        state = ProjectState(self.state.schema, self.state.project, entries)
        self.state = state
        self._cache = None  # no text for these bytes: a save reads the file under the lock
        self._fingerprint, self._digest, self._loaded_at = fp, digest, time.time()
        self.reloads["journal"] += 1
        return state

    def _racy(self, fp: Fingerprint) -> bool:
        """Changed within the file system's timestamp resolution of our last look: check content."""
        return self._loaded_at - fp.mtime_ns / 1e9 < RACY_SECONDS

    def _remember(
        self, fp: Fingerprint | None, raw: bytes | None, digest: bytes | None = None
    ) -> None:
        self._fingerprint = fp
        if digest is None:
            digest = sha256(raw).digest() if raw is not None else b""
        self._digest = digest
        self._loaded_at = time.time()

    def _accept(self, parsed: Parsed, fp: Fingerprint | None, digest: bytes | None = None) -> None:
        self.state = parsed.state
        self.problems = []
        self._cache = parsed
        self._remember(fp, parsed.source.raw, digest)

    def _reread(self, real: Path) -> Parsed:
        """The file as it is now (inside the lock): the cached parse if the bytes are the same."""
        source = read_source(real, self.name)
        cache = self._cache
        if cache is not None and cache.source.raw == source.raw:
            return cache
        return self._parse_again(source)

    def _parse_again(self, source: Source) -> Parsed:
        """A parse of new bytes: from the last parse when one entry changed (one participant's
        or colleague's change; `compass.state.reread`), else of the whole file."""
        from .check import parse_text
        from .reread import reread

        old, self._cache = self._cache, None
        if old is not None:
            parsed = reread(old, source, self.pack, self.name)
            if parsed is not None:
                self.reloads["entry"] += 1
                return parsed
        self.reloads["whole"] += 1
        return parse_text(source, self.pack, self.name)
