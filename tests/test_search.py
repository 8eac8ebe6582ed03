"""Search ranks as its plain definition does: number first, then titles, then page text.

The index picks the best text hits before it looks up where each was found (at 10,000
pages a common word has thousands); that must not change a single result or its order.
"""

from __future__ import annotations

import heapq

import pytest

from compass.model import ProcessPack, is_number
from compass.pack import load_pack
from compass.search import SearchIndex, fold, tokens

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
