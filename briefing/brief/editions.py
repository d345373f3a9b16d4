"""Per-subscriber editions: the brief filtered to a subscriber's theaters, actors and minimum
severity. Subscribers with the same filters share one edition, rendered once per run.

An edition has two names: `key`, for files and the delivery ledger (stable, never shown to a
reader), and `name`, for people ("Gaza, Israel, West Bank edition", or the subscriber's
`label`), shown in the brief's title and the email, and as the attachment's file name
(`file_slug`)."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field, replace

from ..config import Subscriber
from ..model import Brief, Entry, TheaterSection


@dataclass(frozen=True)
class Edition:
    theaters: tuple[str, ...] | None = None
    actors: tuple[str, ...] | None = None
    min_severity: float = 0.0
    # The subscriber's own name for it (feeds.yaml `label`). Not part of the edition's identity:
    # subscribers with the same filters share one edition (and one key) whatever they call it.
    label: str | None = field(default=None, compare=False)

    @property
    def full(self) -> bool:
        return self.theaters is None and self.actors is None and not self.min_severity

    @property
    def name(self) -> str:
        """The name a reader sees: the label ("Levant desk" → "Levant desk edition"), else the
        filters ("Gaza, Israel, West Bank edition", "Hamas, Hezbollah edition", "Gaza edition,
        involving Hamas; high severity only"); "" for the full brief."""
        if self.full:
            return ""
        if self.label:
            return self.label if re.search(r"\bedition\b", self.label, re.I) else f"{self.label} edition"
        head = ", ".join(self.theaters or self.actors or ()) or _severity_words(self.min_severity, True)
        extra = []
        if self.theaters and self.actors:
            extra.append("involving " + ", ".join(self.actors))
        if self.min_severity and (self.theaters or self.actors):
            extra.append(_severity_words(self.min_severity, False))
        return f"{head} edition" + (", " + "; ".join(extra) if extra else "")

    @property
    def key(self) -> str:
        """A short, stable, file-name-safe name: 'full', or e.g. 'gaza-israel-3f2a1c'."""
        if self.full:
            return "full"
        words = list(self.theaters or ()) + list(self.actors or ())
        slug = re.sub(r"[^a-z0-9]+", "-", "-".join(words).lower()).strip("-")[:40] or "filtered"
        digest = hashlib.sha1(repr((self.theaters, self.actors, self.min_severity)).encode()).hexdigest()[:6]
        return f"{slug}-{digest}"

    def keeps(self, e: Entry) -> bool:
        if self.theaters is not None and e.theater.casefold() not in {t.casefold() for t in self.theaters}:
            return False
        if self.actors is not None and not (
            {a.casefold() for a in e.actors} & {a.casefold() for a in self.actors}
        ):
            return False
        return e.severity >= self.min_severity


def file_slug(name: str) -> str:
    """An edition's name as a file-name part: "Gaza, Israel, West Bank edition" →
    'gaza-israel-west-bank' (ASCII letters, digits and '-'; never a hash); 'edition' when
    nothing of the name is left (a label in another script)."""
    text = re.sub(r"\bedition\b", " ", name, flags=re.I)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60].rstrip("-") or "edition"


def _severity_words(floor: float, alone: bool) -> str:
    """min_severity for a reader, on the brief's own tiers: 'high severity only', 'medium and
    high severity', or 'severity 3 and above' between tiers."""
    from .compose import SEVERITY_TIERS

    tiers = [name for _f, name in SEVERITY_TIERS]  # high, medium, low
    floors = {f: i for i, (f, _n) in enumerate(SEVERITY_TIERS)}
    if floor in floors:
        above = tiers[: floors[floor] + 1][::-1]  # e.g. medium, high
        words = (" and ".join(above) if len(above) < 3 else "any") + " severity"
        if len(above) == 1:
            words += "" if alone else " only"
    else:
        words = f"severity {floor:g} and above"
    return (words[0].upper() + words[1:]) if alone else words


def edition_of(sub: Subscriber) -> Edition:
    theaters = tuple(sorted(sub.theaters)) if sub.theaters is not None else None
    actors = tuple(sorted(sub.actors)) if sub.actors is not None else None
    # config.py fills `label` with the theaters as written when none is given; that default
    # names only the theaters, so the edition describes its filters itself (actors too).
    label = sub.label
    if sub.theaters is not None and label == ", ".join(sub.theaters):
        label = None
    return Edition(theaters, actors, sub.min_severity, label)


def filter_brief(brief: Brief, edition: Edition) -> Brief:
    if edition.key == "full":
        return brief
    sections = []
    for s in brief.sections:
        kept = TheaterSection(
            s.theater,
            tuple(filter(edition.keeps, s.incidents)),
            tuple(filter(edition.keeps, s.threats)),
            tuple(filter(edition.keeps, s.deployments)),
        )
        if kept.count:
            sections.append(kept)
    ids = {e.id for s in sections for e in (*s.incidents, *s.threats, *s.deployments)}
    wanted = (
        {t.casefold() for t in edition.theaters}
        if edition.theaters is not None
        else {s.theater.casefold() for s in sections}
    )
    return replace(
        brief,
        sections=tuple(sections),
        edition=edition.key,
        edition_name=edition.name,
        takeaways=tuple(t for t in brief.takeaways if t.id in ids),
        trends=tuple(t for t in brief.trends if t.theater.casefold() in wanted),
        coverage_gaps=tuple(g for g in brief.coverage_gaps if g.casefold() in wanted),
    )
