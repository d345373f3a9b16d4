"""Jinja environment → brief.html; the brief as data → brief.json. The only module importing jinja2.

User templates are searched before the built-ins (`templates_dir` in feeds.yaml); a user
template can `{% extends "builtin/brief.html.j2" %}` and override one block. Templates run in
Jinja's immutable sandbox with autoescape on and StrictUndefined, so a typo fails loudly in
`briefing check` instead of printing nothing at 06:00.
"""

from __future__ import annotations

import json
from datetime import datetime
from importlib.resources import files
from pathlib import Path
from zoneinfo import ZoneInfo

from jinja2 import (
    BaseLoader,
    ChoiceLoader,
    FileSystemLoader,
    PrefixLoader,
    StrictUndefined,
    TemplateError,
    TemplateSyntaxError,
)
from jinja2.sandbox import ImmutableSandboxedEnvironment

from ..brief import coverage
from ..brief.compose import SEVERITY_NOTE, tier
from ..errors import BriefingError
from ..model import Brief, Entry
from ..ingest.parse import safe_url

# Inside the package (package data), so that an installed wheel finds them too.
BUILTIN_TEMPLATES = Path(str(files(__package__) / "templates"))
STATIC_DIR = BUILTIN_TEMPLATES / "static"
TEMPLATE = "brief.html.j2"


class RenderError(BriefingError):
    """A template is broken: a whole-run problem."""


def environment(user_dir: Path | None, tz: ZoneInfo) -> ImmutableSandboxedEnvironment:
    loaders: list[BaseLoader] = [FileSystemLoader(str(user_dir))] if user_dir else []
    loaders += [
        FileSystemLoader(str(BUILTIN_TEMPLATES)),
        PrefixLoader({"builtin": FileSystemLoader(str(BUILTIN_TEMPLATES))}),
    ]
    env = ImmutableSandboxedEnvironment(
        loader=ChoiceLoader(loaders),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )

    def local(dt: datetime, fmt: str = "%H:%M") -> str:
        return dt.astimezone(tz).strftime(fmt)

    env.filters["local"] = local
    # Autoescape does not stop javascript: in href; only http(s) links survive.
    env.filters["href"] = lambda url: safe_url(url or "")
    env.filters["plural"] = lambda n, word: f"{n} {word}{'' if n == 1 else 's'}"
    env.filters["coverage_note"] = coverage.note
    env.filters["tier"] = tier
    env.globals["severity_note"] = SEVERITY_NOTE
    return env


def render_html(
    brief: Brief, *, user_dir: Path | None, tz: ZoneInfo, paper_size: str = "A4", for_pdf: bool = False
) -> str:
    env = environment(user_dir, tz)
    try:
        return env.get_template(TEMPLATE).render(brief=brief, paper_size=paper_size, for_pdf=for_pdf)
    except TemplateError as exc:
        # only a syntax error knows where it is
        where = (
            f" ({exc.filename}:{exc.lineno})" if isinstance(exc, TemplateSyntaxError) and exc.lineno else ""
        )
        raise RenderError(f"template error{where}: {exc.message or exc}") from None


def _entry_json(e: Entry) -> dict:
    return {
        "id": e.id,
        "type": e.type,
        "theater": e.theater,
        "actors": list(e.actors),
        "targets": list(e.targets),
        "fatalities": e.fatalities,
        "fatalities_range": [e.fatalities, e.fatalities_high] if e.fatalities_high else None,
        "severity": e.severity,
        "tier": tier(e.severity),
        "also": list(e.also),
        "merged": e.merged,
        "new": list(e.new),
        "text": e.text,
        "cues": list(e.cues),
        "published": e.published.isoformat(),
        "sources": [
            {"name": s.name, "title": s.title, "link": s.link, "published": s.published.isoformat()}
            for s in e.sources
        ],
    }


def brief_json(brief: Brief) -> str:
    """brief.json (contract in DESIGN.md): everything the HTML and PDF show, as data."""
    data = {
        "title": brief.title,
        "date": brief.date,
        "timezone": brief.timezone,
        "generated": brief.generated.isoformat(),
        "window": {"start": brief.window_start.isoformat(), "end": brief.window_end.isoformat()},
        "items_in_window": brief.items_in_window,
        "edition": brief.edition,
        "theaters": [{"theater": s.theater, "events": s.count} for s in brief.sections],
        "takeaways": [
            {
                "id": e.id,
                "theater": e.theater,
                "type": e.type,
                "text": e.text,
                "severity": e.severity,
                "tier": tier(e.severity),
            }
            for e in brief.takeaways
        ],
        "trend": {
            t.theater: {
                "today": t.today,
                "yesterday": t.yesterday,
                "avg7": t.avg7,
                "direction": t.direction,
                "series": list(t.series),
            }
            for t in brief.trends
        },
        "trend_days": list(brief.days),
        "coverage_gaps": list(brief.coverage_gaps),
        "coverage": {
            "sources": brief.coverage.total,
            "failed": list(brief.coverage.failed),
            "not_fetched_yet": list(brief.coverage.unfetched),
            "missing_share": brief.coverage.missing_share,
            "all_failed": brief.coverage.all_failed,
            "note": coverage.note(brief),
        },
        "events": [_entry_json(e) for e in brief.entries],
        "sources": [
            {
                "name": s.name,
                "url": s.url,
                "ok": s.ok,
                "tried": s.tried,
                "error": s.error,
                "items": s.items,
                "last_ok": s.last_ok.isoformat() if s.last_ok else None,
                "failing_since": s.failing_since.isoformat() if s.failing_since else None,
            }
            for s in brief.sources
        ],
    }
    return json.dumps(data, ensure_ascii=False, indent=1)
