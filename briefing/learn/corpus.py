"""The labelled corpus: labels in the repository (`corpus/*.jsonl`), texts in the shared data
folder, joined by the SHA-256 of the item's link at load time.

Why by link hash: the labels may live in the repository, the publishers' texts may not
(data README). An item id is `<set>:<first 16 hex of sha256(link)>`; the full hash is kept too
so the reserved list (`reserved-links.sha256`) can be checked against every label file.

    items = load_items(DATA)            # every item of pool-2023q4, pool-2024q4, feeds-2026
    split_of(item)                       # 'test' (held-out outlet or fortnight) or 'train'
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import NamedTuple

from ..extract.text import clean

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO / "corpus"

# The split nobody tunes on (issue 12): one whole outlet that never appears in train, and one
# fortnight of the 2023 pool that never appears in train. New outlets and new weeks are what
# users meet. The Washington Post is present in all three pools, so its test items span 2023,
# 2024 and 2026.
TEST_OUTLET = "wapo"
TEST_FORTNIGHT = (date(2023, 12, 4), date(2023, 12, 17))


class Item(NamedTuple):
    id: str  # "<set>:<sha16>"
    sha: str  # sha256(link), hex
    set: str  # pool-2023q4 | pool-2024q4 | feeds-2026
    outlet: str  # normalised feed name, e.g. "wapo", "bbc", "aljazeera"
    date: str  # ISO date (YYYY-MM-DD) or ""
    link: str
    title: str
    summary: str


def link_sha(link: str) -> str:
    return hashlib.sha256(link.encode("utf-8")).hexdigest()


def _outlet(name: str) -> str:
    n = name.lower()
    for key, out in (
        ("washingtonpost", "wapo"),
        ("wapo", "wapo"),
        ("aljazeera", "aljazeera"),
        ("bbc", "bbc"),
        ("nyt", "nyt"),
        ("skynews", "sky"),
        ("epochtimes", "epoch"),
        ("wsj", "wsj"),
        ("nbc", "nbc"),
    ):
        if key in n:
            return out
    return n.split("__")[0]


def _pool(d: Path, name: str) -> Iterator[Item]:
    for f in sorted((d / name).glob("*.jsonl")):
        for line in f.open(encoding="utf-8"):
            if not line.strip():
                continue
            r = json.loads(line)
            link = r.get("link") or ""
            if not link:
                continue
            sha = link_sha(link)
            yield Item(
                f"{name}:{sha[:16]}",
                sha,
                name,
                _outlet(f.stem),
                (r.get("date_published") or "")[:10],
                link,
                clean(r.get("title")),
                clean(r.get("description")),
            )


def _feeds(d: Path) -> Iterator[Item]:
    import feedparser  # only the corpus needs it here; ingest has its own parse stage

    for f in sorted((d / "feeds-2026").glob("*.xml")):
        parsed = feedparser.parse(f.read_bytes())
        for e in parsed.entries:
            link = e.get("link") or ""
            if not link:
                continue
            sha = link_sha(link)
            t = e.get("published_parsed") or e.get("updated_parsed")
            day = f"{t.tm_year:04d}-{t.tm_mon:02d}-{t.tm_mday:02d}" if t else ""
            yield Item(
                f"feeds-2026:{sha[:16]}",
                sha,
                "feeds-2026",
                _outlet(f.stem),
                day,
                link,
                clean(e.get("title")),
                clean(e.get("summary")),
            )


def reserved(d: Path) -> set[str]:
    f = d / "reserved-links.sha256"
    return {line.strip() for line in f.open()} if f.exists() else set()


def load_items(d: Path) -> dict[str, Item]:
    """Every item of the three pools, deduplicated by link (first kept), reserved ones dropped."""
    res = reserved(d)
    out: dict[str, Item] = {}
    seen: set[str] = set()
    for it in [*_pool(d, "pool-2023q4"), *_pool(d, "pool-2024q4"), *_feeds(d)]:
        if it.sha in res or it.sha in seen:
            continue
        seen.add(it.sha)
        out[it.id] = it
    return out


def split_of(it: Item) -> str:
    if it.outlet == TEST_OUTLET:
        return "test"
    if it.set == "pool-2023q4" and it.date:
        if TEST_FORTNIGHT[0] <= date.fromisoformat(it.date) <= TEST_FORTNIGHT[1]:
            return "test"
    return "train"


def load_labels(path: Path | None = None) -> dict[str, dict]:
    """The adjudicated labels: corpus/labels.jsonl, one {"id", "sha", "types", "theaters",
    "actors"} a line."""
    path = path or CORPUS / "labels.jsonl"
    out = {}
    for line in path.open(encoding="utf-8"):
        if line.strip():
            r = json.loads(line)
            out[r["id"]] = r
    return out
