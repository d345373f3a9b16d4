"""`briefing check`: validate the configuration, then render the templates (the user's
overrides first) against a sample brief, to HTML and to PDF, so that a broken override fails
now rather than at 06:00."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta

from ..config import ConfigError, load_config
from ..model import Brief, Coverage, Entry, SourceRef, SourceStatus, TheaterSection, Trend
from ..pipeline import Progress


def sample_brief(title: str, tz_name: str, classification: str | None) -> Brief:
    """A small brief made of invented lines, exercising every part a template can show."""
    end = datetime.now(UTC).replace(microsecond=0)
    ref = SourceRef("Sample Wire", "Sample report", "https://example.org/sample", end - timedelta(hours=2))

    def entry(n: int, kind: str, theater: str, text: str, fatal: int | None = None) -> Entry:
        return Entry(
            f"e{n}",
            kind,
            theater,
            ("Sample Force",),
            ("Sample Target",),
            fatal,
            text,
            ("sample cue",),
            end - timedelta(hours=n),
            (ref, ref),
        )

    sections = (
        TheaterSection(
            "Sampleland",
            incidents=(entry(1, "incident", "Sampleland", "A sample strike hit a depot.", 3),),
            threats=(entry(2, "threat", "Sampleland", "A sample leader vowed a response."),),
        ),
        TheaterSection(
            "Sample Sea", deployments=(entry(3, "deployment", "Sample Sea", "A sample ship arrived."),)
        ),
    )
    sources = (
        SourceStatus("Sample Wire", "https://example.org/rss", True, None, 2, end),
        SourceStatus(
            "Sample Down", "https://example.org/down", False, "HTTP 503", 0, None, end - timedelta(days=1)
        ),
    )
    trends = (
        Trend("Sampleland", 2, 1, 0.6, "escalating", (0, 1, 0, 0, 1, 0, 1, 0, 0, 1, 0, 1, 1, 2)),
        Trend("Sample Sea", 1, 0, 0.0, "new", (0,) * 13 + (1,)),
    )
    days = tuple((end - timedelta(days=13 - i)).date().isoformat() for i in range(14))
    return Brief(
        title,
        end.date().isoformat(),
        tz_name,
        end - timedelta(hours=24),
        end,
        end,
        sections,
        sources,
        5,
        classification,
        takeaways=sections[0].incidents,
        trends=trends,
        days=days,
        coverage_gaps=("Sample Coast",),
        coverage=Coverage(total=2, failed=("Sample Down",), missing_share=0.3),
    )


def check(config_path: str, progress: Progress = lambda _m: None) -> list[str]:
    """Return the problems found (empty when all is well)."""
    try:
        config = load_config(config_path)
    except ConfigError as exc:
        return [str(exc)]
    progress(f"config: {len(config.sources)} sources, {len(config.subscribers)} subscribers, ok")
    problems = []
    smtp = config.delivery.smtp
    if smtp and smtp.username_env:
        # the run reads them at send time; say so now rather than at 06:00
        for key, name in (("username_env", smtp.username_env), ("password_env", smtp.password_env)):
            if not os.environ.get(name or ""):
                problems.append(f"delivery.smtp.{key}: environment variable {name} is not set")
    from ..output.pdf import render_pdf
    from ..output.render import RenderError, render_html

    brief = sample_brief(config.title, config.timezone, config.classification)
    try:
        html = render_html(brief, user_dir=config.templates_dir, tz=config.tz, paper_size=config.paper_size)
        pdf_html = render_html(
            brief, user_dir=config.templates_dir, tz=config.tz, paper_size=config.paper_size, for_pdf=True
        )
        pdf = render_pdf(pdf_html)
        progress(f"templates: sample brief rendered ({len(html)} bytes HTML, {len(pdf)} bytes PDF)")
    except RenderError as exc:
        problems.append(str(exc))
    if config.templates_dir and not config.templates_dir.is_dir():
        problems.append(f"templates_dir: {config.templates_dir} is not a folder")
    return problems
