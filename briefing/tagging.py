"""What extraction gives for one item (the contract of `briefing tag`): its events and their union.

Named tuples rather than dataclasses like the rest of ``model.py`` (which re-exports them):
`briefing tag` imports only this, and importing ``dataclasses`` (it pulls in ``inspect``) cost
about 20 ms of the command's start-up. Immutable, compared by value, ``_replace`` and
``_asdict`` where a dataclass has ``replace`` and ``asdict``.
"""

from __future__ import annotations

from typing import NamedTuple


class Event(NamedTuple):
    """One event found in an item's text (contract: `briefing tag` events)."""

    type: str  # "incident" | "threat" | "deployment"
    theater: str | None
    actors: tuple[str, ...] = ()
    targets: tuple[str, ...] = ()
    fatalities: int | None = None
    text: str = ""  # the sentence it came from
    cues: tuple[str, ...] = ()  # words/patterns that justified it


class Tagging(NamedTuple):
    """Extraction result for one item; item-level lists are the union over events, main first."""

    types: tuple[str, ...] = ()
    theaters: tuple[str, ...] = ()
    actors: tuple[str, ...] = ()
    events: tuple[Event, ...] = ()
