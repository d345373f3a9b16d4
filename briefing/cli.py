"""`briefing …` — the only place that prints, parses arguments or sets up logging."""
from __future__ import annotations

import argparse
import sys
import time
from datetime import datetime
from pathlib import Path

EXIT_OK, EXIT_FAIL, EXIT_USAGE = 0, 1, 2


def _err(msg: str) -> None:
    print(f"briefing: {msg}", file=sys.stderr)


def _as_of(text: str | None, tz) -> datetime | None:
    if text is None:
        return None
    try:
        dt = datetime.fromisoformat(text)
    except ValueError:
        raise SystemExit(_usage(f"--as-of: not an ISO 8601 time: {text!r}"))
    # A zone-less time means the configured timezone: that is how a desk thinks of 06:00.
    return dt if dt.tzinfo else dt.replace(tzinfo=tz)


def _usage(msg: str) -> int:
    _err(msg)
    return EXIT_USAGE


def _progress(msg: str) -> None:
    print(f"  {msg}", file=sys.stderr, flush=True)


def _summary(result, started: float) -> None:
    b = result.brief
    failed = [s for s in b.sources if not s.ok]
    print(f"brief {b.date}: {len(b.entries)} events in {len(b.sections)} theaters from "
          f"{b.items_in_window} reports; {len(b.sources) - len(failed)}/{len(b.sources)} sources ok; "
          f"{time.monotonic() - started:.1f} s", file=sys.stderr)
    for s in failed:
        print(f"  source failed: {s.name}: {s.error}", file=sys.stderr)
    print(result.files.get("brief.html", result.folder))


def cmd_run(args) -> int:
    from .config import load_config
    from .pipeline import run

    started = time.monotonic()
    config = load_config(args.config)
    result = run(config, as_of=_as_of(args.as_of, config.tz),
                 out_dir=Path(args.out) if args.out else None, send=not args.no_send,
                 progress=_progress)
    _summary(result, started)
    return EXIT_OK


def cmd_demo(args) -> int:
    from .demo import run_demo

    started = time.monotonic()
    result = run_demo(args.config, out_dir=Path(args.out) if args.out else None,
                      progress=_progress)
    _summary(result, started)
    return EXIT_OK


def cmd_send(args) -> int:
    from .config import load_config
    from .pipeline import send_day

    config = load_config(args.config)
    result = send_day(config, args.date, resend=args.resend, only=set(args.to) if args.to else None,
                      resend_uncertain=args.resend_uncertain, progress=_progress)
    failed = [d for d in result.deliveries if d.status in ("failed", "uncertain")]
    for d in result.deliveries:
        print(f"{d.subscriber}: {d.status} ({d.edition})" + (f": {d.error}" if d.error else ""),
              file=sys.stderr)
    return EXIT_FAIL if failed else EXIT_OK


def cmd_status(args) -> int:
    from datetime import timezone

    from .config import load_config
    from .schedule import next_fire_times
    from .store import Store

    config = load_config(args.config)
    if not config.db_path.exists():
        print(f"no store yet at {config.db_path}: nothing has run")
        return EXIT_OK
    store = Store(config.db_path)
    print("Last runs:")
    for r in store.runs(args.limit):
        print(f"  #{r['id']} {r['started']} as of {r['as_of']}: {r['status']}"
              + (f", {r['sources_ok']} ok / {r['sources_failed']} failed sources, "
                 f"{r['items_new']} new items, {r['events']} events" if r["status"] == "ok" else "")
              + (f" — {r['detail']}" if r["detail"] else ""))
    print("Deliveries:")
    for d in store.deliveries(limit=args.limit):
        print(f"  {d['date']} {d['subscriber']} [{d['edition']}]: {d['status']}"
              f" after {d['attempts']} attempt(s)" + (f" — {d['error']}" if d["error"] else ""))
    failing = [h for h in store.health().values() if h.ok is False]
    print(f"Failing sources: {len(failing)}")
    for h in sorted(failing, key=lambda h: h.name):
        print(f"  {h.name}: {h.error} ({h.consecutive_failures} failures in a row"
              + (f", since {h.failing_since.isoformat()}" if h.failing_since else "") + ")")
    nxt = next_fire_times(config.schedule, config.timezone, datetime.now(timezone.utc).astimezone(config.tz), 1)
    if nxt:
        print(f"Next scheduled run: {nxt[0].isoformat()} ({config.schedule!r} in {config.timezone})")
    store.close()
    return EXIT_OK


def cmd_schedule(args) -> int:
    import logging

    from .config import load_config
    from .pipeline import run
    from .schedule import serve_forever

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s: %(message)s")
    logging.getLogger("apscheduler").setLevel(logging.WARNING)   # our own line per run is enough
    config = load_config(args.config)
    log = logging.getLogger("briefing.run")

    def job() -> None:
        # Re-read the configuration each morning so edits apply without a restart.
        cfg = load_config(args.config)
        result = run(cfg, progress=log.info, lock_wait=60)
        log.info("brief %s: %d events, %d deliveries", result.brief.date, len(result.brief.entries),
                 len(result.deliveries))

    serve_forever(job, config.schedule, config.timezone)
    return EXIT_OK


def cmd_serve(args) -> int:
    from .serve import serve

    serve(args.config, args.host, args.port, token_env=args.token_env, say=_err)
    return EXIT_OK


def cmd_check(args) -> int:
    from .check import check

    problems = check(args.config, progress=_progress)
    for p in problems:
        _err(p)
    if not problems:
        print("configuration and templates ok", file=sys.stderr)
    return EXIT_USAGE if problems else EXIT_OK


def _tag(rest: list[str]) -> int:
    """Fast path for `briefing tag`: the tagger must start in milliseconds, so skip argparse,
    pydantic and the rest; read only the config's `taxonomy:` overrides, if it has any."""
    from .extract import tagcmd

    config = "feeds.yaml"
    for flag in ("-c", "--config"):
        if flag in rest:
            i = rest.index(flag)
            config = rest[i + 1] if i + 1 < len(rest) else config
            del rest[i:i + 2]
    path = Path(config)
    if path.is_file() and "taxonomy:" in path.read_text(encoding="utf-8", errors="replace"):
        import yaml

        from .extract import Extractor, load_taxonomy
        try:
            overrides = (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("taxonomy")
            tagcmd._X = Extractor(load_taxonomy(overrides))
        except (yaml.YAMLError, ValueError, AttributeError) as exc:
            _err(f"{path}: {exc}".splitlines()[0])
            return EXIT_USAGE
    return tagcmd.main(rest)


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="briefing", description="Daily security briefing generator.")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def add(name: str, help_: str, func) -> argparse.ArgumentParser:
        sp = sub.add_parser(name, help=help_, description=help_)
        sp.add_argument("-c", "--config", default="feeds.yaml", help="configuration file (default: ./feeds.yaml)")
        sp.set_defaults(func=func)
        return sp

    r = add("run", "fetch the feeds and produce today's brief (HTML, PDF, JSON) and send it", cmd_run)
    r.add_argument("--as-of", help="end of the brief's window, ISO 8601 (default: now)")
    r.add_argument("--no-send", action="store_true", help="produce the brief but deliver nothing")
    r.add_argument("--out", help="output folder (default: the config's output_dir)")
    t = add("tag", "tag JSON Lines items with events (stdin or FILE → stdout)", None)
    t.add_argument("file", nargs="?", default="-")
    se = add("send", "deliver a day's brief again from the store (skips those already served)", cmd_send)
    se.add_argument("--date", required=True, help="the brief's date, YYYY-MM-DD")
    se.add_argument("--resend", action="store_true", help="send even to subscribers already served")
    se.add_argument("--to", action="append", metavar="ADDRESS",
                    help="send to this subscriber alone, whatever the ledger says (repeatable); "
                         "for a delivery left uncertain")
    se.add_argument("--resend-uncertain", action="store_true",
                    help="send again to every subscriber whose delivery that day is uncertain")
    st = add("status", "show the last runs, deliveries and failing sources", cmd_status)
    st.add_argument("--limit", type=int, default=10)
    sv = add("serve", "the HTML preview of the brief, on demand, in a browser", cmd_serve)
    sv.add_argument("--host", default="127.0.0.1", help="address to bind (default: loopback only)")
    sv.add_argument("--port", type=int, default=8000)
    sv.add_argument("--token-env", help="environment variable holding an access token (needed off loopback)")
    add("schedule", "run the daily job in-process on the config's cron schedule", cmd_schedule)
    add("check", "validate the configuration and render every template against a sample brief", cmd_check)
    d = add("demo", "the whole pipeline, offline, on bundled sample feeds served on loopback", cmd_demo)
    d.add_argument("--out", help="output folder (default: OUTPUT_DIR/demo)")
    return p


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["tag"]:
        return _tag(argv[1:])
    args = parser().parse_args(argv)
    from .config import ConfigError
    from .pipeline import RunError
    from .render import RenderError
    from .store import STORE_ERRORS
    try:
        return args.func(args)
    except (ConfigError, RunError, RenderError) as exc:
        _err(str(exc))
        return EXIT_USAGE
    except STORE_ERRORS as exc:
        # a full disk, a read-only mount, a file we may not write: the same one line, exit 2
        _err(f"the store could not be read or written ({exc}): is the disk full, or the store "
             f"read-only or someone else's?")
        return EXIT_USAGE
    except OSError as exc:
        where = f" {exc.filename}" if exc.filename else ""
        _err(f"cannot write{where}: {exc.strerror or exc} (disk full, read-only or no permission?)")
        return EXIT_USAGE
    except KeyboardInterrupt:
        _err("interrupted")
        return 130


if __name__ == "__main__":
    sys.exit(main())
