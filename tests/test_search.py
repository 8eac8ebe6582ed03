"""Search ranks as its plain definition does: number first, then titles, then page text.

The index picks the best text hits before it looks up where each was found (at 10,000
pages a common word has thousands); that must not change a single result or its order.
"""

from __future__ import annotations

import dataclasses
import heapq

import pytest

from compass.model import ProcessPack, is_number
from compass.pack import load_pack
from compass.search import SearchIndex, _score, fold, tokens

QUERIES = [
    "42",
    "7",
    "warmte",
    "w",
    "de",
    "st",
    "bewoners wa",
    "netcongestie",
    "subsidie participatie",
    "gemeente",
    "aanpak",
    "xyzzy",
    "ha",
]


@pytest.fixture(scope="module")
def pack() -> ProcessPack:
    return load_pack(None)


def plain_search(index: SearchIndex, query: str, limit: int) -> list[tuple[int, float, str]]:
    """Every match scored, then sorted: the definition, without shortcuts."""
    q = query.strip()
    found: dict[int, tuple[float, str]] = {}
    if is_number(q):
        k = index.pack.by_number(int(q))
        if k is not None:
            found[k.number] = (1000.0, "nummer")
    fq = fold(q)
    for (k, _, _, _), s in index._matches(fq.strip(), titles=True):
        if (s >= 40.0 or (s > 0 and len(fq) >= 3 and s >= 2.5 * len(q))) and k.number not in found:
            found[k.number] = (200.0 + s, "titel")
    words = tokens(q)
    first = words[0] if words else ""
    for num, score in index.full_text(q).items():
        if num not in found:
            found[num] = (score, index._best_field.get((first, num), "tekst"))
    top = heapq.nsmallest(limit, found.items(), key=lambda item: (-item[1][0], item[0]))
    return [(num, score, where) for num, (score, where) in top]


@pytest.mark.parametrize("limit", [1, 5, 40])
@pytest.mark.parametrize("query", QUERIES)
def test_search_gives_what_the_plain_definition_gives(pack, query: str, limit: int) -> None:
    index = SearchIndex(pack)
    got = [(h.knooppunt.number, h.score, h.where) for h in index.search(query, limit=limit)]
    assert got == plain_search(index, query, limit)


def test_a_search_leaves_the_index_as_it_was(pack) -> None:
    """The text hits handed to `search` are its own to change; the postings are not."""
    index = SearchIndex(pack)
    first = index.search("warmte", limit=40)
    for query in QUERIES:
        index.search(query, limit=3)
    assert index.search("warmte", limit=40) == first
    assert index.full_text("warmte") == index.full_text("warmte")


def plain_fuzzy(index: SearchIndex, query: str, limit: int) -> list[tuple[int, float]]:
    """Every label scored, then sorted."""
    q = query.strip()
    fq = fold(q).strip()
    scored = []
    for k, number, label, _ in index._folded:
        if is_number(q):
            s = 1000.0 if number == q else 500.0 - k.number / 1000 if number.startswith(q) else 0
            s = s or _score(fq, label)
        else:
            s = _score(fq, label)
        if s > 0:
            scored.append((s, k.number))
    top = heapq.nsmallest(limit, scored, key=lambda item: (-item[0], item[1]))
    return [(n, s) for s, n in top]


def numbered(count: int, skip: frozenset[int] = frozenset()) -> ProcessPack:
    """The bundled pack's knooppunten copied to the numbers 1..`count` (except `skip`)."""
    base = load_pack(None)
    ks = base.knooppunten
    made = tuple(
        ks[n % len(ks)]._replace(number=n, slug=f"k{n}")
        for n in range(1, count + 1)
        if n not in skip
    )
    return dataclasses.replace(base, knooppunten=made)


@pytest.mark.parametrize("query", ["1", "13", "130", "2", "9", "99", "1000", "10008", "01", "7"])
@pytest.mark.parametrize("limit", [1, 12, 20])
def test_go_to_by_number_ranks_as_every_label_scored(pack, query: str, limit: int) -> None:
    """Numbers that start with the digits come first (the shortcut at 10,000 knooppunten does
    not score the rest when there are enough of them)."""
    index = SearchIndex(pack)
    got = [(h.knooppunt.number, h.score) for h in index.fuzzy(query, limit=limit)]
    assert got == plain_fuzzy(index, query, limit)


@pytest.mark.parametrize(
    "count, skip",
    [(10_008, frozenset()), (2_000, frozenset(range(100, 2000, 3))), (150, frozenset({13, 130}))],
)
def test_go_to_by_number_in_large_and_gappy_packs(count: int, skip: frozenset[int]) -> None:
    index = SearchIndex(numbered(count, skip))
    for query in ["1", "13", "130", "1301", "5", "99", "100", "10008", "01", "0", "20000"]:
        for limit in (1, 12):
            got = [(h.knooppunt.number, h.score) for h in index.fuzzy(query, limit=limit)]
            assert got == plain_fuzzy(index, query, limit), (query, limit)
