"""The pack loader: a valid pack loads; each kind of broken pack is reported at its line."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from compass.pack import load_pack
from compass.problems import ProblemsError
from tests.fixtures.make_mini_pack import make_mini_pack


@pytest.fixture
def pack_dir(tmp_path: Path) -> Path:
    return make_mini_pack(tmp_path / "pack")


def problems_of(root: Path) -> list[str]:
    with pytest.raises(ProblemsError) as info:
        load_pack(root, use_cache=False)
    return [str(p) for p in info.value.problems]


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def kp(root: Path, n: int) -> Path:
    return next((root / "knooppunten").glob(f"{n:05d}-*.md"))


def test_valid_pack_loads_in_process_order(pack_dir: Path) -> None:
    pack = load_pack(pack_dir, use_cache=False)
    assert [k.number for k in pack.knooppunten] == list(range(1, 13))
    assert [p.number for p in pack.phases] == [1, 2, 3, 4, 5, 6]
    k = pack.resolve("knooppunt-5")
    assert k is not None and k.number == 5 and pack.resolve("5") == k
    assert k.tips == ("Tip een bij 5.", "Tip twee bij 5.", "Tip drie bij 5.")
    assert k.bronnen == ("Organisatie — *Bron 5*",)
    assert pack.links_of(k)[0].slug == "knooppunt-6"
    assert pack.linked_from(k)[0].slug == "knooppunt-4"


def test_gap_in_numbering(pack_dir: Path) -> None:
    edit(kp(pack_dir, 12), "number: 12", "number: 14")
    assert any("nummering heeft gaten: 12" in p for p in problems_of(pack_dir))


def test_duplicate_slug_points_at_the_second_file(pack_dir: Path) -> None:
    edit(kp(pack_dir, 4), "slug: knooppunt-4", "slug: knooppunt-3")
    edit(kp(pack_dir, 3), "links: [knooppunt-4]", "links: [knooppunt-5]")
    probs = problems_of(pack_dir)
    assert any(
        p.startswith(str(kp(pack_dir, 4))) and ":3:7: slug 'knooppunt-3' komt ook voor" in p
        for p in probs
    ), probs


def test_phase_out_of_range_with_position(pack_dir: Path) -> None:
    edit(kp(pack_dir, 2), "phase: 1", "phase: 9")
    probs = problems_of(pack_dir)
    assert any(
        p.endswith("00002-knooppunt-2.md:5:8: phase: waarde 9 valt buiten het toegestane bereik")
        for p in probs
    ), probs


def test_missing_track_in_a_phase(pack_dir: Path) -> None:
    edit(kp(pack_dir, 2), "track: technisch", "track: sociaal")
    assert any(
        "fase 1 heeft geen knooppunt in het spoor technisch" in p for p in problems_of(pack_dir)
    )


def test_unknown_track_value(pack_dir: Path) -> None:
    edit(kp(pack_dir, 2), "track: technisch", "track: financieel")
    probs = problems_of(pack_dir)
    assert any(":6:8: track: ongeldige waarde 'financieel'" in p for p in probs), probs


def test_empty_required_section(pack_dir: Path) -> None:
    edit(kp(pack_dir, 1), "Doel van knooppunt 1: warmte en wijk nummer 1.", "")
    probs = problems_of(pack_dir)
    assert any(p.endswith("00001-knooppunt-1.md:14:1: sectie 'Doel' is leeg") for p in probs), probs


def test_too_few_tips(pack_dir: Path) -> None:
    edit(kp(pack_dir, 1), "- Tip drie bij 1.\n", "")
    assert any("minstens 3 tips nodig, nu 2" in p for p in problems_of(pack_dir))


def test_no_sources(pack_dir: Path) -> None:
    edit(kp(pack_dir, 1), "- Organisatie — *Bron 1*\n", "")
    assert any("minstens één bron nodig" in p for p in problems_of(pack_dir))


def test_link_to_unknown_and_to_itself(pack_dir: Path) -> None:
    edit(kp(pack_dir, 1), "links: [knooppunt-2]", "links: [knooppunt-1, bestaat-niet]")
    probs = problems_of(pack_dir)
    assert any(":11:9: een knooppunt linkt niet naar zichzelf" in p for p in probs), probs
    assert any(":11:22: link naar onbekend knooppunt 'bestaat-niet'" in p for p in probs), probs


def test_no_links(pack_dir: Path) -> None:
    edit(kp(pack_dir, 1), "links: [knooppunt-2]", "links: []")
    assert any("minstens één link" in p for p in problems_of(pack_dir))


def test_unknown_stakeholder_and_flag(pack_dir: Path) -> None:
    edit(kp(pack_dir, 1), "stakeholders: [gemeente, bewoners]", "stakeholders: [gemeente, buren]")
    edit(kp(pack_dir, 1), "flags: []", "flags: [geheim]")
    probs = problems_of(pack_dir)
    assert any(":9:26: onbekende partij 'buren'" in p for p in probs), probs
    assert any(":10:9: onbekende vlag 'geheim'" in p for p in probs), probs


def test_broken_yaml_front_matter(pack_dir: Path) -> None:
    edit(kp(pack_dir, 1), "title: Knooppunt 1 sociaal fase 1", "title: Knooppunt: 1: kapot")
    probs = problems_of(pack_dir)
    assert any(
        p.endswith(":4:17: ongeldige YAML: mapping values are not allowed here") for p in probs
    ), probs


def test_unknown_key_in_front_matter(pack_dir: Path) -> None:
    edit(kp(pack_dir, 1), "flags: []", "flags: []\nkleur: rood")
    probs = problems_of(pack_dir)
    assert any(":11:8: kleur: onbekende sleutel" in p for p in probs), probs


def test_missing_front_matter_and_unknown_section(pack_dir: Path) -> None:
    kp(pack_dir, 1).write_text("## Doel\n\nGeen voorwerk.\n", encoding="utf-8")
    edit(kp(pack_dir, 2), "## Tips", "## Trucs")
    probs = problems_of(pack_dir)
    assert any(
        p.endswith("00001-knooppunt-1.md:1:1: het bestand moet beginnen met '---' (YAML-voorwerk)")
        for p in probs
    )
    assert any("onbekende sectie 'Trucs'" in p for p in probs)


def test_duplicate_text_across_pages(pack_dir: Path) -> None:
    edit(
        kp(pack_dir, 2),
        "- Tip een bij 2.",
        "- Zet de netbeheerder vroeg aan tafel voor de capaciteit van het net.",
    )
    edit(
        kp(pack_dir, 5),
        "- Tip een bij 5.",
        "- Zet de netbeheerder vroeg aan tafel voor de capaciteit van het net.",
    )
    probs = problems_of(pack_dir)
    assert any("00005-knooppunt-5.md:25:1: dezelfde tekst staat al in" in p for p in probs), probs


def test_missing_phase_page(pack_dir: Path) -> None:
    (pack_dir / "fasen" / "4.md").unlink()
    assert any("fasepagina voor fase 4 ontbreekt" in p for p in problems_of(pack_dir))


def test_newer_pack_schema_is_refused(pack_dir: Path) -> None:
    edit(pack_dir / "pack.yaml", "schema: 1", "schema: 7")
    assert any("onbekende schema-versie 7" in p for p in problems_of(pack_dir))


def test_all_problems_at_once(pack_dir: Path) -> None:
    edit(kp(pack_dir, 1), "links: [knooppunt-2]", "links: [nergens]")
    edit(kp(pack_dir, 7), "- Tip drie bij 7.\n", "")
    edit(kp(pack_dir, 9), "track: sociaal", "track: anders")
    assert len(problems_of(pack_dir)) >= 3


def test_cache_is_used_and_invalidated(pack_dir: Path, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("WIJKKOMPAS_CACHE_DIR", str(tmp_path / "cache"))
    first = load_pack(pack_dir)
    assert list((tmp_path / "cache").glob("pack-*.marshal"))
    assert load_pack(pack_dir) == first  # from the cache: the same pack, tuples and dates included
    assert isinstance(load_pack(pack_dir).knooppunten[0].tips, tuple)
    edit(kp(pack_dir, 3), "Tip een bij 3.", "Een nieuwe, andere tip bij 3.")
    assert load_pack(pack_dir).resolve(3).tips[0] == "Een nieuwe, andere tip bij 3."


def test_a_broken_cache_file_means_loading_the_pack(
    pack_dir: Path, tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.setenv("WIJKKOMPAS_CACHE_DIR", str(tmp_path / "cache"))
    first = load_pack(pack_dir)
    (cache,) = (tmp_path / "cache").glob("pack-*.marshal")
    good = cache.read_bytes()
    for broken in (b"", good[: len(good) // 2], b"\x00garbage", good.replace(b"title", b"titel")):
        cache.write_bytes(broken)
        assert load_pack(pack_dir) == first


def test_bundled_pack_is_complete(bundled_pack) -> None:
    """The shipped content meets the same rules, and has at least 90 knooppunten."""
    assert len(bundled_pack.knooppunten) >= 90
    assert len(bundled_pack.phases) == 6
    assert {t.id for t in bundled_pack.tracks} == {"sociaal", "technisch"}
    assert "onafhankelijk" in bundled_pack.about.lower()


def test_bundled_pack_content_rules(bundled_pack) -> None:
    """Sporen on every page (all six used), a checked date, practice with a named, dated source."""
    ks = bundled_pack.knooppunten
    assert all(k.sporen for k in ks), [k.number for k in ks if not k.sporen]
    assert {s for k in ks for s in k.sporen} == set("ABCDEF")
    assert all(k.checked for k in ks), [k.number for k in ks if not k.checked]
    filled = [k for k in ks if k.praktijk.strip()]
    assert len(filled) >= 70
    source = re.compile(r"^Bron(nen)?: .+\b(19|20)\d\d\b")
    for k in filled:
        last = [line for line in k.praktijk.splitlines() if line.strip()][-1]
        assert source.match(last), f"{k.number}: practice without 'Bron: ... (jaar)': {last!r}"
    assert len({k.praktijk.strip().splitlines()[-1] for k in filled}) >= 60  # not one case recycled
    openers = sum(1 for k in ks if k.doel.startswith("Als dit knooppunt klaar is"))
    assert openers <= 10
    assert any("raadsbesluit" in k.flags for k in ks)


def test_bundled_pack_has_no_warnings() -> None:
    """`wijkkompas validate` has nothing to warn about in the shipped pack."""
    import datetime as dt

    from compass.pack import bundled_pack_dir
    from compass.pack.lint import pack_warnings

    assert pack_warnings(bundled_pack_dir(), dt.date(2026, 12, 3)) == []


def test_the_cached_pack_holds_each_equal_text_once(tmp_path: Path, monkeypatch) -> None:
    """The bundled pages cite the same sources many times and share one check date: read
    from the cache, each is one string object, not one per page."""
    monkeypatch.setenv("WIJKKOMPAS_CACHE_DIR", str(tmp_path / "cache"))
    fresh = load_pack()
    cached = load_pack()
    assert cached == fresh
    sources = [s for k in cached.knooppunten for s in k.bronnen]
    assert len({id(s) for s in sources}) == len(set(sources)) < len(sources)
    assert len({id(k.checked) for k in cached.knooppunten}) == len(
        {k.checked for k in fresh.knooppunten}
    )
