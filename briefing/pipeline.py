"""The daily job, top to bottom: config → fetch → parse → store → extract → compose → render →
deliver. The CLI, the scheduler, the preview and the end-to-end tests all call `run`."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Callable

from . import extract
from .compose import compose, window
from .config import Config
from .deliver import Delivery, deliver
from .fetch import FetchSettings, fetch_all
from .fsutil import check_writable, write_atomic
from .model import Brief
from .parse import parse_feed
from .pdf import render_pdf
from .render import brief_json, render_html
from .store import Store

Progress = Callable[[str], None]


class RunError(Exception):
    """A whole-run problem (unwritable output, broken template): one line, exit status 2."""


@dataclass
class RunResult:
    brief: Brief
    folder: Path
    files: dict[str, Path] = field(default_factory=dict)
    sources_ok: int = 0
    sources_failed: int = 0
    items_new: int = 0
    deliveries: list[Delivery] = field(default_factory=list)


def fetch_settings(config: Config) -> FetchSettings:
    f = config.fetch
    return FetchSettings(connect_timeout=f.connect_timeout, read_timeout=f.read_timeout,
                         deadline=f.deadline, max_bytes=f.max_bytes, concurrency=f.concurrency)


def run(config: Config, *, now: datetime | None = None, as_of: datetime | None = None,
        out_dir: Path | None = None, send: bool = True, transport=None,
        progress: Progress = lambda _msg: None) -> RunResult:
    now = now or datetime.now(timezone.utc)
    as_of = (as_of or now).astimezone(timezone.utc)
    out_dir = out_dir or config.output_dir
    problem = check_writable(out_dir)
    if problem:
        raise RunError(problem)

    store = Store(config.db_path)
    run_id = store.start_run(as_of, now)
    try:
        # fetch + parse + store: one transaction per source, so a crash loses at most one feed
        sources = config.source_list()
        fetched = fetch_all(sources, store.validators(), fetch_settings(config), transport=transport)
        ok = failed = new = 0
        for f in fetched:
            parsed = parse_feed(f, now) if f.ok and not f.not_modified else None
            new += store.record(f, parsed, now)
            if f.ok and not (parsed and parsed.error):
                ok += 1
            else:
                failed += 1
        progress(f"fetch: {ok} sources ok, {failed} failed; {new} new items stored")

        # extract: tag what is in the window and not yet tagged by this extractor version
        start, end = window(as_of, config.window_hours)
        extractor = extract.Extractor(extract.load_taxonomy(config.taxonomy))
        todo = store.untagged(start, end, extract.VERSION)
        store.save_taggings([(i, extractor.tag(it.title, it.summary)) for i, it in todo],
                            extract.VERSION)
        items = store.items_between(start, end)
        progress(f"extract: {len(todo)} items tagged, {len(items)} in the window")

        brief = compose(title=config.title, as_of=as_of, tz=config.tz,
                        hours=config.window_hours, items=items,
                        sources=[(s.name, s.url) for s in sources], health=store.health(),
                        now=now, classification=config.classification)
        progress(f"compose: {len(brief.entries)} events in {len(brief.sections)} theaters")

        folder = out_dir / brief.date
        html = render_html(brief, user_dir=config.templates_dir, tz=config.tz,
                           paper_size=config.paper_size)
        pdf_html = render_html(brief, user_dir=config.templates_dir, tz=config.tz,
                               paper_size=config.paper_size, for_pdf=True)
        pdf = render_pdf(pdf_html)
        result = RunResult(brief, folder, sources_ok=ok, sources_failed=failed, items_new=new)
        for name, data in (("brief.html", html), ("brief.pdf", pdf), ("brief.json", brief_json(brief))):
            write_atomic(folder / name, data)
            result.files[name] = folder / name
        progress(f"render: wrote {', '.join(str(p) for p in result.files.values())}")

        if send and config.subscribers:
            result.deliveries = deliver(config, brief, pdf, out_dir)
            sent = sum(d.ok for d in result.deliveries)
            progress(f"deliver: {sent} of {len(result.deliveries)} messages delivered")
        store.finish_run(run_id, datetime.now(timezone.utc), "ok", sources_ok=ok,
                         sources_failed=failed, items_new=new, events=len(brief.entries))
        return result
    except BaseException as exc:
        store.finish_run(run_id, datetime.now(timezone.utc), "failed", detail=str(exc)[:500])
        raise
    finally:
        store.close()
