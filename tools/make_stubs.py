"""One-off: lay out the bundled pack's knooppunt files from the skeleton list."""
import re, unicodedata
from pathlib import Path

CODES = {"G": "gemeente", "R": "gemeenteraad", "B": "bewoners", "BI": "bewonersinitiatief",
         "EC": "energiecooperatie", "WC": "woningcorporatie", "H": "huurders", "NB": "netbeheerder",
         "VvE": "vve", "VE": "vastgoedeigenaren", "WB": "warmtebedrijf", "M": "marktpartijen",
         "WS": "waterschap"}
ALL = ["gemeente", "bewoners", "woningcorporatie", "netbeheerder", "bewonersinitiatief"]
PHASEDIR = {1: "fase-1", 2: "fase-2", 3: "fase-3", 4: "fase-4", 5: "fase-5", 6: "fase-6"}

def slugify(t):
    t = unicodedata.normalize("NFKD", t).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", t).strip("-")

rows = [l.split("|") for l in Path("tools/skeleton.txt").read_text().splitlines() if l.strip()]
for n, (ph, title, tr, st) in enumerate(rows, 1):
    parties = []
    for c in st.split(","):
        for p in (ALL if c == "ALL" else [CODES[c]]):
            if p not in parties:
                parties.append(p)
    slug = slugify(title)
    d = Path("data/knooppunten") / PHASEDIR[int(ph)]
    d.mkdir(parents=True, exist_ok=True)
    f = d / f"{n:02d}-{slug}.md"
    track = "sociaal" if tr == "S" else "technisch"
    f.write_text(f"""---
number: {n}
slug: {slug}
title: {title}
phase: {ph}
track: {track}
stakeholders: [{', '.join(parties)}]
flags: []
links: []
---

## Doel

TODO

## Aanpak

TODO

## Tips

- TODO

## Bronnen

- TODO

## Uit de praktijk

""", encoding="utf-8")
    print(n, slug)
