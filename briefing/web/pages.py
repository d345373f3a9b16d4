"""Pages of the preview server: compose/filter briefs and render them with the brief's own
templates (plus a screen wrapper), the archive, source health and fetch progress.

Nothing here speaks HTTP; `app.py` maps requests to these functions. Jinja is reached only
through `render.environment`, so every page gets the same sandbox, autoescape and `href` filter
as the PDF.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from datetime import date as Date
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from ..brief.compose import TYPES
from ..brief.editions import Edition, filter_brief
from ..config import Config
from ..errors import BriefingError
from ..model import Brief, TheaterSection
from ..output.render import environment
from ..pipeline import build_brief
from ..store import Store

DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")
# A day's window reaches back a day and its trend two weeks: dates near the ends of what
# `datetime` holds would overflow (the hostile tester's /9999-12-31 was a 500). Briefs live far
# inside these bounds.
MIN_YEAR, MAX_YEAR = 1900, 9000
MAX_FILTER_VALUES = 20  # per parameter: a URL cannot make us loop over thousands
TOP_ACTORS = 12


def in_range(day: str) -> bool:
    """`day` is a real YYYY-MM-DD date between MIN_YEAR and MAX_YEAR."""
    if not DATE_RE.fullmatch(day):
        return False
    try:
        return MIN_YEAR <= Date.fromisoformat(day).year <= MAX_YEAR
    except ValueError:
        return False


class PageError(BriefingError):
    """A page cannot be produced: (HTTP status, one-line message shown to the reader)."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status, self.message = status, message


@dataclass(frozen=True)
class Filters:
    theaters: tuple[str, ...] = ()
    actors: tuple[str, ...] = ()
    types: tuple[str, ...] = ()

    @classmethod
    def from_query(cls, q: dict[str, list[str]]) -> Filters:
        def vals(key: str) -> tuple[str, ...]:
            out = [v.strip()[:100] for v in q.get(key, []) if v.strip()]
            return tuple(dict.fromkeys(out))[:MAX_FILTER_VALUES]

        return cls(vals("theater"), vals("actor"), tuple(t for t in vals("type") if t in TYPES))

    def __bool__(self) -> bool:
        return bool(self.theaters or self.actors or self.types)

    def query(self, **override: tuple[str, ...]) -> str:
        """`?theater=…&type=…` for these filters with some keys replaced ('' when empty)."""
        parts = {"theater": self.theaters, "actor": self.actors, "type": self.types, **override}
        pairs = [(k, v) for k, vs in parts.items() for v in vs]
        return "?" + urlencode(pairs) if pairs else "?"

    def toggled(self, key: str, value: str) -> str:
        current = {"theater": self.theaters, "actor": self.actors, "type": self.types}[key]
        new = tuple(v for v in current if v != value) if value in current else (*current, value)
        return self.query(**{key: new})


def apply_filters(brief: Brief, f: Filters) -> Brief:
    """Theater/actor through the subscribers' edition filter, then keep only the chosen types."""
    if not f:
        return brief
    out = filter_brief(brief, Edition(f.theaters or None, f.actors or None))
    if f.theaters:  # the trend table and gap notes are per theater: narrow them too
        wanted = {t.casefold() for t in f.theaters}
        out = replace(
            out,
            trends=tuple(t for t in out.trends if t.theater.casefold() in wanted),
            coverage_gaps=tuple(g for g in out.coverage_gaps if g.casefold() in wanted),
        )
    if f.types:
        keep = set(f.types)
        sections = []
        for s in out.sections:
            s = TheaterSection(
                s.theater,
                *(
                    getattr(s, n) if t in keep else ()
                    for t, n in zip(TYPES, ("incidents", "threats", "deployments"))
                ),
            )
            if s.count:
                sections.append(s)
        ids = {e.id for s in sections for e in (*s.incidents, *s.threats, *s.deployments)}
        out = replace(out, sections=tuple(sections), takeaways=tuple(t for t in out.takeaways if t.id in ids))
    # The cover says "(… edition)": name the filters, not editions.py's file-name key.
    label = " · ".join((*f.theaters, *f.actors, *f.types))
    return replace(out, edition=label, edition_name=f"{label} edition")


def render_page(config: Config, template: str, **ctx) -> str:
    """Render one of our templates; a broken (user-edited) template becomes a readable 500."""
    env = environment(config.templates_dir, config.tz)
    try:
        return env.get_template(template).render(
            paper_size=config.paper_size, for_pdf=False, tzname=config.timezone, **ctx
        )
    except Exception as exc:  # jinja2 errors; render.py is the only module importing jinja2
        lineno = getattr(exc, "lineno", None)
        where = f" ({getattr(exc, 'filename', None)}:{lineno})" if lineno else ""
        raise PageError(500, f"template error{where}: {getattr(exc, 'message', None) or exc}") from None


def local_time(config: Config, dt: datetime) -> str:
    return dt.astimezone(config.tz).strftime("%d %b %Y %H:%M ") + config.timezone


# The page links in the nav bar, and which of them a page's label belongs to.
CURRENT = {"Archive": "/archive", "Source health": "/sources", "Fetch now": "/fetch"}


def long_date(day: str) -> str:
    """'Thursday 3 December 2026' for '2026-12-03'."""
    d = Date.fromisoformat(day)
    return f"{d:%A} {d.day} {d:%B %Y}"


def banner(before: str, href: str | None = None, link: str = "", after: str = "") -> dict:
    """The line under the nav bar saying what the page is: text, an optional link, text."""
    return {"before": before, "href": href, "link": link, "after": after}


def filter_nav(
    config: Config,
    f: Filters,
    *,
    path: str,
    label: str,
    as_of: str,
    day: str,
    theaters: list[str],
    actors: Counter,
    shown: int,
    total: int,
    note: str = "",
    banner: dict | None = None,
) -> dict:
    """What serve_nav.html.j2 shows: page links (`current` is the one this page is), the "as of"
    time, an optional banner line under the bar, and toggle links per value."""
    top = [a for a, _ in actors.most_common(TOP_ACTORS)]
    top += [a for a in f.actors if a not in top]  # a chosen actor stays visible to un-choose it

    def chips(key: str, values, chosen) -> list[dict]:
        return [{"label": v, "href": path + f.toggled(key, v), "on": v in chosen} for v in values]

    return {
        "label": label,
        "note": note,
        "as_of": as_of,
        "current": path,
        "banner": banner,
        "theaters": chips("theater", theaters, f.theaters),
        "types": chips("type", TYPES, f.types),
        "actors": chips("actor", top, f.actors),
        "filtered": bool(f),
        "clear_href": path,
        "pdf": f"/{day}/brief.pdf" if file_for(config, day, "brief.pdf") else None,
        "shown": shown,
        "total": total,
    }


def nav_only(
    config: Config,
    label: str,
    note: str = "",
    day: str | None = None,
    *,
    path: str | None = None,
    banner: dict | None = None,
) -> dict:
    """The nav for pages without a composed brief; for an archived day, chips from its brief.json
    (linking to `path`, by default the day's own /YYYY-MM-DD)."""
    path = path or (f"/{day}" if day else CURRENT.get(label, ""))
    nav = {
        "label": label,
        "note": note,
        "as_of": local_time(config, datetime.now(UTC)),
        "current": path,
        "banner": banner,
    }
    if day and (js := file_for(config, day, "brief.json")) is not None:
        try:
            data = json.loads(js.read_text("utf-8"))
            events = data["events"]
            nav = filter_nav(
                config,
                Filters(),
                path=path,
                label=label,
                note=note,
                day=day,
                banner=banner,
                as_of=local_time(config, datetime.fromisoformat(data["window"]["end"])),
                theaters=[t["theater"] for t in data["theaters"]],
                actors=Counter(a for e in events for a in e["actors"]),
                shown=len(events),
                total=len(events),
            )
        except (ValueError, KeyError, TypeError):
            pass  # an unreadable brief.json only costs the chips
    return nav


def brief_page(
    config: Config,
    brief: Brief,
    f: Filters,
    *,
    path: str,
    label: str,
    note: str = "",
    banner: dict | None = None,
) -> str:
    """The brief wrapped with the nav bar and filter chips (serve_brief.html.j2)."""
    shown = apply_filters(brief, f)
    nav = filter_nav(
        config,
        f,
        path=path,
        label=label,
        note=note,
        day=brief.date,
        banner=banner,
        as_of=local_time(config, brief.window_end),
        theaters=[s.theater for s in brief.sections],
        actors=Counter(a for e in brief.entries for a in e.actors),
        shown=len(shown.entries),
        total=len(brief.entries),
    )
    return render_page(config, "serve_brief.html.j2", brief=shown, nav=nav)


def open_store(config: Config) -> Store:
    """One connection per request: sqlite3 connections must not be shared across threads."""
    return Store(config.db_path)


def live_brief(config: Config, as_of: datetime | None = None) -> Brief:
    now = datetime.now(UTC)
    with open_store(config) as store:
        return build_brief(config, store, as_of or now, now)


def day_bounds(config: Config, day: str) -> tuple[datetime, datetime]:
    try:
        d = Date.fromisoformat(day)
    except ValueError:
        raise PageError(404, f"{day} is not a date") from None
    return config.day_bounds(d)


def archived_brief(config: Config, day: str) -> Brief | None:
    """Recompose day D from the store, as of its last successful run (as `briefing send` does)."""
    bounds = day_bounds(config, day)
    with open_store(config) as store:
        last = store.last_ok_run(bounds)
        if last is None:
            return None
        as_of = datetime.fromisoformat(last["as_of"])
        return build_brief(config, store, as_of, datetime.now(UTC))


def written_days(config: Config) -> list[str]:
    """Every day folder in the output folder holding a brief.html that `/YYYY-MM-DD` would
    serve (whatever the store remembers), newest first."""
    out = config.output_dir
    if not out.is_dir():
        return []
    names = sorted((p.name for p in out.iterdir() if in_range(p.name)), reverse=True)
    return [d for d in names if file_for(config, d, "brief.html") is not None]


def latest_written_day(config: Config) -> str | None:
    """The newest day with a written brief.html: what `/` shows."""
    days = written_days(config)
    return days[0] if days else None


def archive_days(config: Config, limit: int = 400) -> list[dict]:
    """Every day with a brief on disk (all of them) or a successful run in the store (the last
    `limit` runs), newest first."""
    days: dict[str, dict] = {}
    out = config.output_dir
    if out.is_dir():
        for p in out.iterdir():
            if in_range(p.name) and p.is_dir() and not p.is_symlink():
                files = [n for n in ("brief.html", "brief.pdf", "brief.json") if file_for(config, p.name, n)]
                if files:
                    days[p.name] = {"date": p.name, "files": files, "stored": False}
    with open_store(config) as store:
        for r in store.runs(limit):
            if r["status"] == "ok":
                d = datetime.fromisoformat(r["as_of"]).astimezone(config.tz).date().isoformat()
                days.setdefault(d, {"date": d, "files": [], "stored": True})["stored"] = True
    return sorted(days.values(), key=lambda d: d["date"], reverse=True)


def sources_page(config: Config) -> str:
    now = datetime.now(UTC)
    with open_store(config) as store:
        health, runs = store.health(), store.runs(10)

    def ago(dt: datetime | None) -> str:
        if dt is None:
            return "never"
        mins = int((now - dt).total_seconds() // 60)
        if mins < 1:
            return "just now"
        return (
            f"{mins} min ago"
            if mins < 120
            else f"{mins // 60} h ago"
            if mins < 2880
            else f"{mins // 1440} days ago"
        )

    rows: list[dict[str, Any]] = []
    for s in config.sources:
        h = health.get(s.name)
        stale = bool(h and h.last_ok and now - h.last_ok > timedelta(hours=config.window_hours))
        rows.append(
            {
                "name": s.name,
                "url": s.url,
                "state": "never fetched" if not h or h.ok is None else ("ok" if h.ok else "failing"),
                "stale": stale,
                "error": h.error if h else None,
                "last_ok": ago(h.last_ok if h else None),
                "last_attempt": ago(h.last_attempt if h else None),
                "failing_since": ago(h.failing_since) if h and h.failing_since else None,
                "failures": h.consecutive_failures if h else 0,
                "items_last": h.items_last if h else 0,
            }
        )
    rows.sort(key=lambda r: (r["state"] == "ok" and not r["stale"], r["name"].casefold()))
    for r in runs:  # stored as UTC ISO strings; show them in the brief's zone
        r["started"] = local_time(config, datetime.fromisoformat(r["started"])).removesuffix(
            " " + config.timezone
        )
    return render_page(
        config,
        "serve_sources.html.j2",
        rows=rows,
        runs=runs,
        title="Source health",
        nav=nav_only(config, "Source health"),
    )


def file_for(config: Config, day: str, name: str) -> Path | None:
    """OUTPUT_DIR/DAY/NAME only if it is a regular file really inside the output folder."""
    if not DATE_RE.fullmatch(day) or name not in ("brief.html", "brief.pdf", "brief.json"):
        return None
    root = config.output_dir.resolve()
    p = root / day / name
    try:
        real = p.resolve(strict=True)
    except (OSError, RuntimeError):
        return None
    # A symlinked day folder or file pointing elsewhere is not served.
    return real if real.parent.parent == root and real.is_file() else None


def inject_nav(
    config: Config,
    file: Path,
    day: str,
    *,
    label: str | None = None,
    note: str = "as written to disk",
    path: str | None = None,
    banner: dict | None = None,
) -> bytes:
    """The archived HTML as written, with the preview's nav bar inserted after <body>."""
    text = file.read_text("utf-8", "replace")
    nav = render_page(
        config,
        "serve_nav.html.j2",
        nav=nav_only(config, label or f"Brief of {day}", note=note, day=day, path=path, banner=banner),
    )
    head = '<link rel="stylesheet" href="/static/serve.css">'
    text = text.replace("</head>", head + "</head>", 1)
    m = re.search(r"<body[^>]*>", text)
    if m:
        text = text[: m.end()] + nav + '<main id="main" tabindex="-1">' + text[m.end() :]
        text = text.replace("</body>", "</main></body>", 1)
    return text.encode("utf-8")
