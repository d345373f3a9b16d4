"""Event extraction: feed item text → incidents, threats, deployments with theater, actors,
fatalities and the cues that justified them (see DESIGN.md `briefing tag`, LABELING.md).

    from briefing.extract import tag, Extractor, load_taxonomy
    tag("Israeli strikes killed 30 in Gaza", "")        # → Tagging(types=('incident',), ...)
    Extractor(load_taxonomy({"places": {"Some Town": "Syria"}})).tag(title, summary)

Pure: no I/O at tag time (data files are read once when the taxonomy loads), no network.
"""

from __future__ import annotations

from ..tagging import Event, Tagging
from .learned import Extractor
from .taxonomy import Taxonomy, load_taxonomy

__all__ = ["Event", "Extractor", "Tagging", "Taxonomy", "load_taxonomy", "tag"]

_default: Extractor | None = None


def tag(title: str, summary: str = "", date=None) -> Tagging:
    """Tag one item with a cached default Extractor (shipped taxonomy, no overrides)."""
    global _default
    if _default is None:
        _default = Extractor()
    return _default.tag(title, summary, date)
