"""Finding knooppunten: fuzzy on number and title, full text through a token index.

Fuzzy matching only looks at the short label ("12 Participatiestrategie bepalen");
page text goes through an inverted index with prefix lookup, so a keystroke in the
search box costs the same on 90 pages as on 10,000.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass

from .model import Knooppunt, ProcessPack

_WORD = re.compile(r"[a-z0-9]+")
# Words too common to help ranking in Dutch page text.
_STOP = frozenset(
    "de het een en van in op te is dat die voor met je om als of bij aan er zijn ze wat wie "
    "hoe ook niet maar dan door naar over nog al uit tot kan wordt worden zo".split()
)
FIELD_WEIGHTS = {"title": 8.0, "doel": 2.0, "aanpak": 1.0, "tips": 1.0, "praktijk": 1.0, "bronnen": 0.5}


def fold(text: str) -> str:
    """Lower case without accents: 'Coöperatie' and 'cooperatie' are the same word."""
    t = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in t if not unicodedata.combining(c))


def tokens(text: str) -> list[str]:
    return _WORD.findall(fold(text))


def fuzzy_score(query: str, label: str) -> float:
    """0 when `query`'s letters do not appear in order in `label`; higher is better."""
    q = fold(query).strip()
    if not q:
        return 0.0
    s = fold(label)
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


@dataclass(frozen=True)
class Hit:
    knooppunt: Knooppunt
    score: float
    where: str  # "nummer", "titel" or the field of the best text match


class SearchIndex:
    """Inverted index over the pack's page text, built once per pack."""

    def __init__(self, pack: ProcessPack):
        self.pack = pack
        postings: dict[str, dict[int, float]] = defaultdict(dict)
        best_field: dict[tuple[str, int], str] = {}
        for k in pack.knooppunten:
            for field, weight in FIELD_WEIGHTS.items():
                value = getattr(k, field)
                text = " ".join(value) if isinstance(value, tuple) else value
                for tok in tokens(text):
                    if tok in _STOP:
                        continue
                    post = postings[tok]
                    before = post.get(k.number, 0.0)
                    post[k.number] = before + weight
                    if (tok, k.number) not in best_field or weight > FIELD_WEIGHTS[best_field[(tok, k.number)]]:
                        best_field[(tok, k.number)] = field
        self._postings = dict(postings)
        self._vocab = sorted(self._postings)
        self._best_field = best_field
        self._labels = [(k, f"{k.number} {k.title}") for k in pack.knooppunten]

    def _prefix_postings(self, prefix: str) -> dict[int, float]:
        lo = bisect.bisect_left(self._vocab, prefix)
        hi = bisect.bisect_left(self._vocab, prefix + "\uffff")
        merged: dict[int, float] = {}
        for word in self._vocab[lo:hi]:
            exact = 1.0 if word == prefix else 0.6
            for num, w in self._postings[word].items():
                merged[num] = max(merged.get(num, 0.0), w * exact)
        return merged

    def full_text(self, query: str) -> dict[int, float]:
        """Scores per knooppunt number where every query word (as a prefix) occurs."""
        words = [w for w in tokens(query) if w not in _STOP] or tokens(query)
        result: dict[int, float] | None = None
        for w in words:
            post = self._prefix_postings(w)
            if result is None:
                result = dict(post)
            else:
                result = {n: s + post[n] for n, s in result.items() if n in post}
            if not result:
                return {}
        return result or {}

    def search(self, query: str, limit: int = 50) -> list[Hit]:
        """Ranked hits: a number or title match first, then full-text matches."""
        q = query.strip()
        if not q:
            return []
        hits: dict[int, Hit] = {}
        if q.isdigit():
            k = self.pack.by_number(int(q))
            if k is not None:
                hits[k.number] = Hit(k, 1000.0, "nummer")
        for k, label in self._labels:
            s = fuzzy_score(q, k.title)
            if s >= 40.0 or (s > 0 and len(fold(q)) >= 3 and s >= 2.5 * len(q)):
                if k.number not in hits:
                    hits[k.number] = Hit(k, 200.0 + s, "titel")
        first_word = tokens(q)[0] if tokens(q) else ""
        for num, score in self.full_text(q).items():
            if num in hits:
                continue
            k = self.pack.by_number(num)
            if k is None:
                continue
            where = self._best_field.get((first_word, num), "tekst")
            hits[num] = Hit(k, score, where)
        ranked = sorted(hits.values(), key=lambda h: (-h.score, h.knooppunt.number))
        return ranked[:limit]

    def fuzzy(self, query: str, limit: int = 20) -> list[Hit]:
        """Number-and-title matches only: the cheap kind, for go-to and the palette."""
        q = query.strip()
        if not q:
            return []
        scored = []
        for k, label in self._labels:
            s = fuzzy_score(q, label)
            if q.isdigit() and str(k.number) == q:
                s = 1000.0
            elif q.isdigit() and str(k.number).startswith(q):
                s = 500.0 - k.number / 1000
            if s > 0:
                scored.append(Hit(k, s, "titel"))
        scored.sort(key=lambda h: (-h.score, h.knooppunt.number))
        return scored[:limit]
