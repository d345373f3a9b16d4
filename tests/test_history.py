"""Per-day summaries: computed once, kept in the store, recomputed when they could differ."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from briefing.brief import history
from briefing.model import Event, Fetched, Item, ParsedFeed, Source, Tagging
from briefing.store import Store

AS_OF = datetime(2026, 7, 1, 6, 20, tzinfo=UTC)
SRC = Source("Wire", "https://wire.example/rss")


def put(store: Store, titles_hours: list[tuple[str, float]]) -> None:
    items = tuple(
        Item("Wire", f"u:{t}", t, "", f"https://wire.example/{i}", AS_OF - timedelta(hours=h))
        for i, (t, h) in enumerate(titles_hours)
    )
    store.record(Fetched(SRC, ok=True), ParsedFeed(SRC, items), AS_OF)


def tagger(store: Store, calls: list):
    def tag(since, until):
        todo = store.untagged(since, until, "v1")
        calls.append(len(todo))
        store.save_taggings(
            [
                (
                    i,
                    Tagging(
                        ("incident",),
                        (it.title.split()[0],),
                        (),
                        (Event("incident", it.title.split()[0], (), (), None, it.title, ("cue",)),),
                    ),
                )
                for i, it in todo
            ],
            "v1",
        )

    return tag


def test_summaries_are_cached_and_recomputed_when_late_items_arrive(tmp_path):
    store = Store(tmp_path / "s.sqlite3")
    put(
        store, [("Gaza strike on Jabalia", 30), ("Lebanon shelling of Khiam", 31), ("Gaza raid on Rafah", 54)]
    )
    calls: list[int] = []
    first = history.from_store(store, AS_OF, "v1", tagger(store, calls))
    assert len(first) == 13 and first[-1].end == datetime(2026, 6, 30, 6, 0, tzinfo=UTC)
    assert first[-1].counts == {"Gaza": 1, "Lebanon": 1} and first[-2].counts == {"Gaza": 1}
    assert sum(calls) == 3

    calls.clear()
    again = history.from_store(store, AS_OF.replace(minute=50), "v1", tagger(store, calls))
    assert again == first and calls == []  # all from the cache, same hour

    put(store, [("Syria strike near Idlib", 28)])  # arrives late in yesterday's slot
    third = history.from_store(store, AS_OF, "v1", tagger(store, calls))
    assert third[-1].counts == {"Gaza": 1, "Lebanon": 1, "Syria": 1} and sum(calls) == 1
