"""How a degraded run announces itself: one line for the brief's banner, the email subject and
the console. A run where feeds failed must not read like a quiet day (issue 13)."""

from __future__ import annotations

from ..model import Brief

# Past these, the email subject carries the warning too (the banner always shows).
LOUD_SHARE = 0.10  # of the usual reports missing
LOUD_SOURCES = 0.25  # of the sources failed, when there is no history to weigh them


def note(brief: Brief) -> str | None:
    """'Partial coverage: 5 of 24 sources failed (about 30 % of the usual reports). No coverage
    of Yemen.' — or None when every source that was tried answered."""
    c = brief.coverage
    if empty(brief):
        return (
            f"No brief today: all {len(c.failed)} sources failed."
            " Nothing here is news from this window; silence is not calm."
        )
    if c.all_failed:
        return (
            f"All {len(c.failed)} sources failed on this run: below are only the "
            f"{brief.items_in_window} reports stored by earlier runs in this window; "
            "anything newer is missing."
        )
    if not c.degraded:
        return None
    line = f"Partial coverage: {len(c.failed)} of {c.total} sources failed"
    if c.missing_share == 0:
        line += f" ({'it' if len(c.failed) == 1 else 'they'} brought no reports in the past week)"
    elif c.missing_share is not None:
        line += f" (about {_percent(c.missing_share)} of the usual reports)"
    line += "."
    if brief.coverage_gaps:
        line += f" No coverage of {', '.join(brief.coverage_gaps)}: silence there is not calm."
    return line


def empty(brief: Brief) -> bool:
    """Every source failed and nothing from this window was stored before: no brief to send."""
    return brief.coverage.all_failed and not brief.items_in_window


def loud(brief: Brief) -> bool:
    """Worth a warning in the email subject, not only in the brief."""
    c = brief.coverage
    if c.all_failed or brief.coverage_gaps:
        return True
    if c.missing_share is not None:
        return c.missing_share >= LOUD_SHARE
    return c.total > 0 and len(c.failed) / c.total >= LOUD_SOURCES


def subject_tag(brief: Brief) -> str:
    """'[PARTIAL: 5 of 24 sources failed] ' or ''."""
    c = brief.coverage
    if empty(brief):
        return f"[NO BRIEF: all {len(c.failed)} sources failed] "
    if c.all_failed:
        return f"[PARTIAL: all {len(c.failed)} sources failed] "
    return f"[PARTIAL: {len(c.failed)} of {c.total} sources failed] " if loud(brief) else ""


def _percent(share: float) -> str:
    return "under 1 %" if 0 < share < 0.01 else f"{round(share * 100)} %"
