"""The daily job, top to bottom: config → fetch → parse → store → extract → compose → render →
deliver. The CLI, the scheduler, the preview and the end-to-end tests all call these."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from . import extract
from .brief import coverage, history
from .brief.compose import compose, window
from .brief.editions import edition_of, filter_brief
from .config import Config
from .errors import BriefingError
from .fsutil import LockedError, RunLock, check_writable, write_atomic
from .ingest.fetch import FetchSettings, fetch_all
from .ingest.parse import parse_feed
from .model import Brief
from .output.deliver import Delivery, deliver
from .output.pdf import render_pdf
from .output.render import brief_json, render_html
from .store import Store

Progress = Callable[[str], None]


NO_SOURCES = "no sources"  # a run's status when every source failed


class RunError(BriefingError):
    """A whole-run problem (unwritable output, another run in progress): one line, exit 2."""


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
    return FetchSettings(
        connect_timeout=f.connect_timeout,
        read_timeout=f.read_timeout,
        deadline=f.deadline,
        max_bytes=f.max_bytes,
        concurrency=f.concurrency,
    )


def lock(config: Config, wait: float = 0.0) -> RunLock:
    return RunLock(config.db_path.with_name(config.db_path.name + ".lock"), wait)


def run(
    config: Config,
    *,
    now: datetime | None = None,
    as_of: datetime | None = None,
    out_dir: Path | None = None,
    send: bool = True,
    transport=None,
    progress: Progress = lambda _msg: None,
    lock_wait: float = 0.0,
) -> RunResult:
    """The daily job: fetch every feed, store, then produce (and deliver) the brief."""
    now = now or datetime.now(UTC)
    as_of = (as_of or now).astimezone(UTC)
    out_dir = out_dir or config.output_dir
    problem = check_writable(out_dir)
    if problem:
        raise RunError(problem)
    try:
        with lock(config, lock_wait), Store(config.db_path) as store:
            store.close_interrupted_runs(now)  # we hold the lock: no other run is alive
            run_id = store.start_run(as_of, now)
            try:
                ok, failed, new = fetch_and_store(config, store, now, transport, progress)
                result = produce(
                    config, store, as_of=as_of, now=now, out_dir=out_dir, send=send, progress=progress
                )
                result.sources_ok, result.sources_failed, result.items_new = ok, failed, new
                # 'no sources' is not 'ok': `status` shows it and `send --date` will not treat
                # the empty brief as the day's record.
                status = NO_SOURCES if result.brief.coverage.all_failed else "ok"
                store.finish_run(
                    run_id,
                    datetime.now(UTC),
                    status,
                    sources_ok=ok,
                    sources_failed=failed,
                    items_new=new,
                    events=len(result.brief.entries),
                )
                return result
            except BaseException as exc:
                store.finish_run(run_id, datetime.now(UTC), "failed", detail=str(exc)[:500])
                raise
    except LockedError as exc:
        raise RunError(str(exc)) from None


def fetch_and_store(
    config: Config, store: Store, now: datetime, transport=None, progress: Progress = lambda _m: None
) -> tuple[int, int, int]:
    """Fetch + parse + store, one transaction per source, each feed stored as soon as it has
    arrived and been parsed (while slower feeds are still downloading): a crash loses at most
    the feeds still in flight, never one already fetched."""

    def parse_and_store(f) -> tuple[bool, int]:
        # Runs in fetch_all's single worker thread while this thread waits for fetch_all:
        # the store is used by one thread at a time (see Store.__init__).
        parsed = parse_feed(f, now) if f.ok and not f.not_modified else None
        return f.ok and not (parsed and parsed.error), store.record(f, parsed, now)

    results = fetch_all(
        config.source_list(),
        store.validators(),
        fetch_settings(config),
        transport=transport,
        then=parse_and_store,
    )
    ok = sum(good for _f, (good, _new) in results)
    new = sum(n for _f, (_good, n) in results)
    failed = len(results) - ok
    progress(f"fetch: {ok} sources ok, {failed} failed; {new} new items stored")
    return ok, failed, new


def tagger_version(config: Config) -> str:
    """Changes whenever the extractor's code, its data files or the taxonomy overrides change,
    so stored taggings are redone exactly when they could differ."""
    h = hashlib.sha1(json.dumps(config.taxonomy, sort_keys=True, default=str).encode())
    folder = Path(extract.__file__).parent
    for p in sorted(folder.iterdir()):
        if p.suffix in (".py", ".tsv", ".yaml", ".json"):
            h.update(p.name.encode() + p.read_bytes())
    return h.hexdigest()[:16]


def build_brief(
    config: Config, store: Store, as_of: datetime, now: datetime, progress: Progress = lambda _m: None
) -> Brief:
    """Extract what is not yet tagged, then compose the brief (no fetching)."""
    start, end = window(as_of, config.window_hours)
    version = tagger_version(config)
    extractor = None
    tagged = 0

    def tag(since: datetime, until: datetime) -> None:
        nonlocal extractor, tagged
        todo = store.untagged(since, until, version)
        if todo:  # building the extractor costs ~0.3 s (the learned weights): not on every preview page load
            extractor = extractor or extract.Extractor(extract.load_taxonomy(config.taxonomy))
            store.save_taggings([(i, extractor.tag(it.title, it.summary)) for i, it in todo], version)
            tagged += len(todo)

    tag(start, end)
    items = store.items_between(start, end)
    past = history.from_store(store, as_of, version, tag)
    background = store.items_between(start - history.SLOT, start)
    usual = store.count_by_source(start - history.SLOT * 7, start)
    progress(f"extract: {tagged} items tagged, {len(items)} in the window")
    brief = compose(
        title=config.title,
        as_of=as_of,
        tz=config.tz,
        hours=config.window_hours,
        items=items,
        sources=[(s.name, s.url) for s in config.sources],
        health=store.health(),
        now=now,
        classification=config.classification,
        history=past,
        background=background,
        usual=usual,
    )
    progress(f"compose: {len(brief.entries)} events in {len(brief.active_sections)} theaters")
    return brief


def render_all(config: Config, brief: Brief) -> tuple[str, bytes]:
    def html(for_pdf: bool = False) -> str:
        return render_html(
            brief, user_dir=config.templates_dir, tz=config.tz, paper_size=config.paper_size, for_pdf=for_pdf
        )

    return html(), render_pdf(html(for_pdf=True))


def produce(
    config: Config,
    store: Store,
    *,
    as_of: datetime,
    now: datetime,
    out_dir: Path,
    send: bool,
    resend: bool = False,
    only: set[str] | None = None,
    archive: bool = True,
    progress: Progress = lambda _m: None,
) -> RunResult:
    """Compose, render and (``send``) deliver. ``archive=False`` (a later `send`) leaves the
    day's files as they were written: they are the record of what went out."""
    brief = build_brief(config, store, as_of, now, progress)
    folder = out_dir / brief.date
    html, pdf = render_all(config, brief)
    result = RunResult(brief, folder)
    for name, data in (("brief.html", html), ("brief.pdf", pdf), ("brief.json", brief_json(brief))):
        if archive or not (folder / name).exists():
            write_atomic(folder / name, data)
        result.files[name] = folder / name
    progress(f"render: {'wrote' if archive else 'kept'} {', '.join(str(p) for p in result.files.values())}")

    # Every source failed and nothing was stored earlier in the window: by default subscribers
    # get a short notice, not an empty brief.
    when = config.delivery.when_all_failed if coverage.empty(brief) else "brief"
    if send and config.subscribers and when == "nothing":
        progress("deliver: nothing sent (every source failed; delivery.when_all_failed: nothing)")
    elif send and config.subscribers:
        editions: dict[str, tuple[Brief, bytes]] = {"full": (brief, pdf)}
        for ed in {edition_of(s) for s in config.subscribers}:
            if ed.key not in editions:  # each distinct edition rendered once
                eb = filter_brief(brief, ed)
                editions[ed.key] = (eb, render_all(config, eb)[1])
                if archive or not (folder / "editions" / f"{ed.key}.pdf").exists():
                    write_atomic(folder / "editions" / f"{ed.key}.pdf", editions[ed.key][1])
        result.deliveries = deliver(
            config, store, editions, out_dir, resend=resend, only=only, notice=when == "notice"
        )
        sent = sum(d.status == "sent" for d in result.deliveries)
        earlier = sum(d.status == "skipped" and not d.error for d in result.deliveries)
        uncertain = [
            d.subscriber
            for d in result.deliveries
            if d.status == "uncertain" or (d.status == "skipped" and d.error)
        ]
        failed = sum(d.status == "failed" for d in result.deliveries)
        progress(
            f"deliver: {sent} sent, {earlier} already sent earlier, {failed} failed"
            + (
                f", {len(uncertain)} uncertain (may have been delivered: check, then "
                + "; ".join(f"`briefing send --date {brief.date} --to {a}`" for a in uncertain[:5])
                + (" …" if len(uncertain) > 5 else "")
                + " to send it again)"
                if uncertain
                else ""
            )
        )
    return result


def send_day(
    config: Config,
    date: str,
    *,
    resend: bool = False,
    only: set[str] | None = None,
    resend_uncertain: bool = False,
    out_dir: Path | None = None,
    progress: Progress = lambda _m: None,
) -> RunResult:
    """`briefing send --date D`: rebuild day D's brief from the store (as of its last successful
    run) and deliver it; without `resend`, subscribers already served are skipped; `only`
    (`--to`): these subscribers alone, whatever the ledger says; `resend_uncertain`: every
    subscriber whose delivery that day is uncertain (after someone checked). The day's files
    are kept."""
    unknown = sorted((only or set()) - {s.email for s in config.subscribers})
    if unknown:
        raise RunError(f"--to {unknown[0]}: not a subscriber in the configuration")
    out_dir = out_dir or config.output_dir
    bounds = config.day_bounds(datetime.fromisoformat(date).date())
    try:
        with lock(config), Store(config.db_path) as store:
            last = store.last_ok_run(bounds)
            if last is None:
                raise RunError(
                    f"no successful run for {date} in the store; run `briefing run "
                    f"--as-of {date}T06:00` first"
                )
            as_of = datetime.fromisoformat(last["as_of"])
            if resend_uncertain:
                only = (only or set()) | {
                    d["subscriber"] for d in store.deliveries(date) if d["status"] in ("uncertain", "sending")
                }
                if not only:
                    raise RunError(f"no uncertain delivery on {date}")
            return produce(
                config,
                store,
                as_of=as_of,
                now=datetime.now(UTC),
                out_dir=out_dir,
                send=True,
                resend=resend,
                only=only,
                archive=False,
                progress=progress,
            )
    except LockedError as exc:
        raise RunError(str(exc)) from None
