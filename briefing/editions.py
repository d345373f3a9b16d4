"""Per-subscriber editions: the brief filtered to a subscriber's theaters, actors and minimum
severity. Subscribers with the same filters share one edition, rendered once per run."""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, replace

from .config import Subscriber
from .model import Brief, Entry, TheaterSection


@dataclass(frozen=True)
class Edition:
    theaters: tuple[str, ...] | None = None
    actors: tuple[str, ...] | None = None
    min_severity: float = 0.0

    @property
    def key(self) -> str:
        """A short, stable, file-name-safe name: 'full', or e.g. 'gaza-israel-3f2a1c'."""
        if self.theaters is None and self.actors is None and not self.min_severity:
            return "full"
        words = list(self.theaters or ()) + list(self.actors or ())
        slug = re.sub(r"[^a-z0-9]+", "-", "-".join(words).lower()).strip("-")[:40] or "filtered"
        digest = hashlib.sha1(repr((self.theaters, self.actors, self.min_severity)).encode()).hexdigest()[:6]
        return f"{slug}-{digest}"

    def keeps(self, e: Entry) -> bool:
        if self.theaters is not None and e.theater.casefold() not in {t.casefold() for t in self.theaters}:
            return False
        if self.actors is not None and not ({a.casefold() for a in e.actors}
                                            & {a.casefold() for a in self.actors}):
            return False
        return e.severity >= self.min_severity


def edition_of(sub: Subscriber) -> Edition:
    theaters = tuple(sorted(sub.theaters)) if sub.theaters is not None else None
    actors = tuple(sorted(sub.actors)) if sub.actors is not None else None
    return Edition(theaters, actors, sub.min_severity)


def filter_brief(brief: Brief, edition: Edition) -> Brief:
    if edition.key == "full":
        return brief
    sections = []
    for s in brief.sections:
        kept = TheaterSection(s.theater, tuple(filter(edition.keeps, s.incidents)),
                              tuple(filter(edition.keeps, s.threats)),
                              tuple(filter(edition.keeps, s.deployments)))
        if kept.count:
            sections.append(kept)
    ids = {e.id for s in sections for e in (*s.incidents, *s.threats, *s.deployments)}
    wanted = ({t.casefold() for t in edition.theaters} if edition.theaters is not None
              else {s.theater.casefold() for s in sections})
    return replace(brief, sections=tuple(sections), edition=edition.key,
                   takeaways=tuple(t for t in brief.takeaways if t.id in ids),
                   trends=tuple(t for t in brief.trends if t.theater.casefold() in wanted),
                   coverage_gaps=tuple(g for g in brief.coverage_gaps if g.casefold() in wanted))
