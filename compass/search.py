"""Finding knooppunten: fuzzy on number and title, full text through a token index.

Fuzzy matching only looks at the short label ("12 Participatiestrategie bepalen");
page text goes through an inverted index with prefix lookup, so a keystroke in the
search box costs the same on 90 pages as on 10,000.
"""

from __future__ import annotations

import bisect
import heapq
import re
import threading
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from .model import Knooppunt, ProcessPack, is_number

_WORD = re.compile(r"[a-z0-9]+")
# Words too common to help ranking in Dutch page text.
_STOP = frozenset(
    "de het een en van in op te is dat die voor met je om als of bij aan er zijn ze wat wie "
    "hoe ook niet maar dan door naar over nog al uit tot kan wordt worden zo".split()
)
FIELD_WEIGHTS = {
    "title": 8.0,
    "doel": 2.0,
    "aanpak": 1.0,
    "tips": 1.0,
    "praktijk": 1.0,
    "bronnen": 0.5,
}


def fold(text: str) -> str:
    """Lower case without accents: 'Coöperatie' and 'cooperatie' are the same word."""
    t = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in t if not unicodedata.combining(c))


def tokens(text: str) -> list[str]:
    return _WORD.findall(fold(text))


def fuzzy_score(query: str, label: str) -> float:
    """0 when `query`'s letters do not appear in order in `label`; higher is better."""
    return _score(fold(query).strip(), fold(label))


def _score(q: str, s: str) -> float:
    """`fuzzy_score` on text that is already folded (and `q` stripped)."""
    if not q:
        return 0.0
    if s.startswith(q):
        return 100.0 + len(q)
    pos = s.find(q)
    if pos >= 0:
        at_word = pos == 0 or not s[pos - 1].isalnum()
        return (60.0 if at_word else 40.0) + len(q)
    score, i, run = 0.0, 0, 0
    for ch in q:
        if ch == " ":
            continue
        j = s.find(ch, i)
        if j < 0:
            return 0.0
        run = run + 1 if j == i else 0
        score += 1.0 + run + (2.0 if j == 0 or not s[j - 1].isalnum() else 0.0)
        i = j + 1
    return score


def _in_order(q: str) -> Callable[[str], re.Match[str] | None]:
    """A compiled test for "q's letters occur in this order", run in C before scoring in Python."""
    return re.compile(".*?".join(re.escape(c) for c in q if c != " "), re.S).search


def _best_first(item: tuple[int, float]) -> tuple[float, int]:
    """Sort key of (number, score): the highest score first, then the lowest number."""
    return -item[1], item[0]


@dataclass(frozen=True)
class Hit:
    knooppunt: Knooppunt
    score: float
    where: str  # "nummer", "titel" or the field of the best text match


class SearchIndex:
    """Inverted index over the pack's page text, plus the folded labels for fuzzy matching.

    Built for search-as-you-type on 10,000 pages: labels are folded once, not per
    keystroke; a regex written in C rules out non-matching labels before the
    Python scoring loop runs; only the best `limit` hits become `Hit` objects; and
    the token index, which only `search`/`full_text` need, is built on first use
    (so go-to does not wait for it). `ensure_built` may run in a background thread
    (the app starts one after its first paint); a lock makes a search that comes
    sooner wait for that build instead of starting a second one.
    """

    def __init__(self, pack: ProcessPack):
        self.pack = pack
        self._labels = [(k, f"{k.number} {k.title}") for k in pack.knooppunten]
        self._folded = [(k, str(k.number), fold(label), fold(k.title)) for k, label in self._labels]
        self._highest = max((k.number for k in pack.knooppunten), default=0)
        self._built = False
        self._lock = threading.Lock()

    def ensure_built(self) -> None:
        """Build the token index now, once (thread-safe)."""
        if self._built:
            return
        with self._lock:
            if not self._built:
                self._build()

    def _build(self) -> None:
        postings: dict[str, dict[int, float]] = defaultdict(dict)
        best_field: dict[tuple[str, int], str] = {}
        for k in self.pack.knooppunten:
            for field, weight in FIELD_WEIGHTS.items():
                value = getattr(k, field)
                text = " ".join(value) if isinstance(value, tuple) else value
                for tok in tokens(text):
                    if tok in _STOP:
                        continue
                    post = postings[tok]
                    before = post.get(k.number, 0.0)
                    post[k.number] = before + weight
                    if (tok, k.number) not in best_field or weight > FIELD_WEIGHTS[
                        best_field[(tok, k.number)]
                    ]:
                        best_field[(tok, k.number)] = field
        self._postings = dict(postings)
        self._vocab = sorted(self._postings)
        self._best_field = best_field
        self._built = True

    def _prefix_postings(self, prefix: str) -> dict[int, float]:
        lo = bisect.bisect_left(self._vocab, prefix)
        hi = bisect.bisect_left(self._vocab, prefix + "\uffff")
        merged: dict[int, float] = {}
        for word in self._vocab[lo:hi]:
            exact = 1.0 if word == prefix else 0.6
            post = self._postings[word]
            if not merged:
                merged = dict(post) if exact == 1.0 else {num: w * exact for num, w in post.items()}
                continue
            get = merged.get
            for num, w in post.items():
                w *= exact
                if w > get(num, 0.0):
                    merged[num] = w
        return merged

    def full_text(self, query: str) -> dict[int, float]:
        """Scores per knooppunt number where every query word (as a prefix) occurs."""
        if not self._built:
            self.ensure_built()
        words = [w for w in tokens(query) if w not in _STOP] or tokens(query)
        result: dict[int, float] | None = None
        for w in words:
            post = self._prefix_postings(w)  # a dict of its own: the caller may change it
            if result is None:
                result = post
            else:
                result = {n: s + post[n] for n, s in result.items() if n in post}
            if not result:
                return {}
        return result or {}

    def _matches(
        self, q: str, titles: bool
    ) -> Iterator[tuple[tuple[Knooppunt, str, str, str], float]]:
        """(knooppunt, score) for every label (or title) that `q` (folded, stripped) matches."""
        if not q:
            return
        in_order = _in_order(q)
        for item in self._folded:
            s = item[3] if titles else item[2]
            if q in s or in_order(s):
                yield item, _score(q, s)

    def search(self, query: str, limit: int = 50) -> list[Hit]:
        """Ranked hits: a number or title match first, then full-text matches."""
        q = query.strip()
        if not q:
            return []
        found: dict[int, tuple[float, str]] = {}
        if is_number(q):
            k = self.pack.by_number(int(q))
            if k is not None:
                found[k.number] = (1000.0, "nummer")
        fq = fold(q)
        long_enough = len(fq) >= 3
        for (k, _, _, _), s in self._matches(fq.strip(), titles=True):
            if s >= 40.0 or (s > 0 and long_enough and s >= 2.5 * len(q)):
                if k.number not in found:
                    found[k.number] = (200.0 + s, "titel")
        words = tokens(q)
        first_word = words[0] if words else ""
        text_hits = self.full_text(q)
        for num in found:
            text_hits.pop(num, None)  # a number or title match ranks it already
        # Only the best `limit` text hits can be shown: chosen before their field is looked up
        # (a common word at 10,000 pages has thousands).
        best_text = heapq.nsmallest(limit, text_hits.items(), key=_best_first)
        best_field = self._best_field
        for num, score in best_text:
            found[num] = (score, best_field.get((first_word, num), "tekst"))
        top = heapq.nsmallest(limit, found.items(), key=lambda item: (-item[1][0], item[0]))
        return [
            Hit(k, score, where)
            for num, (score, where) in top
            if (k := self.pack.by_number(num)) is not None
        ]

    def _numbers_first(self, q: str, limit: int) -> list[Hit] | None:
        """`fuzzy` for digits when at least `limit` numbers start with them; else None.

        A number that starts with the digits scores 500 - number/1000 (the number itself
        1000), any other label under 100: with `limit` such numbers the rest cannot rank,
        and need not be scored (at 10,000 knooppunten that was ~10 ms per digit typed).
        The numbers are made, not searched for: q, q0..q9, q00..q99, ...
        """
        pack, highest = self.pack, self._highest
        if q.startswith("0") or highest >= 390_000:  # a leading 0 starts no number
            return None
        start, width, tried = int(q), 1, 0
        found: list[Hit] = []
        while start <= highest and len(found) < limit:
            for n in range(start, min(start + width, highest + 1)):
                tried += 1
                if tried > len(self._folded):  # numbers far apart: the plain way is quicker
                    return None
                k = pack.by_number(n)
                if k is not None:
                    found.append(Hit(k, 1000.0 if n == int(q) else 500.0 - n / 1000, "titel"))
                    if len(found) == limit:
                        break
            start, width = start * 10, width * 10
        return found if len(found) >= limit else None

    def fuzzy(self, query: str, limit: int = 20) -> list[Hit]:
        """Number-and-title matches only: the cheap kind, for go-to and the palette."""
        q = query.strip()
        if not q:
            return []
        scored: list[tuple[float, int, Knooppunt]] = []
        if is_number(q):
            first = self._numbers_first(q, limit)
            if first is not None:
                return first
            # every label matches on its own number, so the digits decide, not the regex
            fq = fold(q).strip()
            for k, number, label, _ in self._folded:
                if number == q:
                    s = 1000.0
                elif number.startswith(q):
                    s = 500.0 - k.number / 1000
                else:
                    s = _score(fq, label)
                if s > 0:
                    scored.append((s, k.number, k))
        else:
            for (k, _, _, _), s in self._matches(fold(q).strip(), titles=False):
                if s > 0:
                    scored.append((s, k.number, k))
        top = heapq.nsmallest(limit, scored, key=lambda item: (-item[0], item[1]))
        return [Hit(k, s, "titel") for s, _, k in top]
