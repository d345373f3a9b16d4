"""`briefing …` — the only place that prints, parses arguments or sets up logging."""

from __future__ import annotations

import argparse
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

EXIT_OK, EXIT_FAIL, EXIT_USAGE = 0, 1, 2
EXIT_NO_SOURCES = 3  # the run completed but every source failed: there is no brief to trust


def _err(msg: str) -> None:
    print(f"briefing: {msg}", file=sys.stderr)


def _as_of(text: str | None, config) -> datetime | None:
    if text is None:
        return None
    try:
        return config.as_of(text)
    except ValueError:
        raise SystemExit(_usage(f"--as-of: not an ISO 8601 time: {text!r}")) from None


def _usage(msg: str) -> int:
    _err(msg)
    return EXIT_USAGE


def _plural(n: int, word: str) -> str:
    """'1 failure', '2 failures', '1 new item' (the last word takes the s)."""
    return f"{n} {word}{'' if n == 1 else 's'}"


_LOG_JSON = False  # --log-json: progress goes to the log as JSON lines, for cron and collectors


def _progress(msg: str) -> None:
    if _LOG_JSON:
        import logging

        logging.getLogger("briefing.progress").info(msg)
        return
    print(f"  {msg}", file=sys.stderr, flush=True)


def _summary(result, started: float) -> None:
    b = result.brief
    failed = [s for s in b.sources if not s.ok]
    print(
        f"brief {b.date}: {len(b.entries)} events in {len(b.active_sections)} theaters from "
        f"{b.items_in_window} reports; {len(b.sources) - len(failed)}/{len(b.sources)} sources ok; "
        f"{time.monotonic() - started:.1f} s",
        file=sys.stderr,
    )
    for s in failed:
        print(f"  source failed: {s.name}: {s.error}", file=sys.stderr)
    from .brief.coverage import note

    line = note(b)
    if line:
        print(f"  {line}", file=sys.stderr)
    print(result.files.get("brief.html", result.folder))


def cmd_run(args) -> int:
    from .config import load_config
    from .pipeline import run

    started = time.monotonic()
    config = load_config(args.config)
    result = run(
        config,
        as_of=_as_of(args.as_of, config),
        out_dir=Path(args.out) if args.out else None,
        send=not args.no_send,
        progress=_progress,
    )
    _summary(result, started)
    return EXIT_NO_SOURCES if result.brief.coverage.all_failed else EXIT_OK


def cmd_demo(args) -> int:
    from .commands.demo import run_demo

    started = time.monotonic()
    result = run_demo(args.config, out_dir=Path(args.out) if args.out else None, progress=_progress)
    _summary(result, started)
    return EXIT_NO_SOURCES if result.brief.coverage.all_failed else EXIT_OK


def cmd_send(args) -> int:
    from .config import load_config
    from .pipeline import send_day

    config = load_config(args.config)
    result = send_day(
        config,
        args.date,
        resend=args.resend,
        only=set(args.to) if args.to else None,
        resend_uncertain=args.resend_uncertain,
        progress=_progress,
    )
    failed = [d for d in result.deliveries if d.status in ("failed", "uncertain")]
    for d in result.deliveries:
        print(
            f"{d.subscriber}: {d.status} ({d.edition})" + (f": {d.error}" if d.error else ""), file=sys.stderr
        )
    return EXIT_FAIL if failed else EXIT_OK


def cmd_status(args) -> int:

    from .config import load_config
    from .schedule import next_fire_times
    from .store import Store

    config = load_config(args.config)
    if not config.db_path.exists():
        print(f"no store yet at {config.db_path}: nothing has run")
        return EXIT_OK
    now = datetime.now(UTC)

    # Times as the brief shows them: in the configured zone, "03 Dec 06:00 Europe/London"
    # (the year only when it is not this one).
    def when(value) -> str:
        dt = datetime.fromisoformat(value) if isinstance(value, str) else value
        local = (dt if dt.tzinfo else dt.replace(tzinfo=UTC)).astimezone(config.tz)
        fmt = "%d %b %H:%M" if local.year == now.astimezone(config.tz).year else "%d %b %Y %H:%M"
        return f"{local.strftime(fmt)} {config.timezone}"

    with Store(config.db_path) as store:
        print("Last runs:")
        for r in store.runs(args.limit):
            started, as_of = when(r["started"]), when(r["as_of"])
            counts = ""
            if r["status"] not in ("running", "failed") and r["sources_ok"] is not None:
                counts = (
                    f", {_plural(r['sources_ok'], 'source')} ok, {r['sources_failed']} failed; "
                    f"{_plural(r['items_new'], 'new item')}; {_plural(r['events'], 'event')}"
                )
            print(
                f"  #{r['id']} {started}"
                + (f", as of {as_of}" if as_of != started else "")
                + f": {r['status']}{counts}"
                + (f" — {r['detail']}" if r["detail"] else "")
            )
        print("Deliveries:")
        for d in store.deliveries(limit=args.limit):
            print(
                f"  {d['date']} {d['subscriber']} [{d['edition']}]: {d['status']}"
                f" after {_plural(d['attempts'], 'attempt')}" + (f" — {d['error']}" if d["error"] else "")
            )
        failing = [h for h in store.health().values() if h.ok is False]
        print(f"Failing sources: {len(failing)}")
        for h in sorted(failing, key=lambda h: h.name):
            print(
                f"  {h.name}: {h.error} ({_plural(h.consecutive_failures, 'failure')} in a row"
                + (f", since {when(h.failing_since)}" if h.failing_since else "")
                + ")"
            )
        nxt = next_fire_times(config.schedule, config.timezone, now.astimezone(config.tz), 1)
        if nxt:
            print(f"Next scheduled run: {when(nxt[0])} (cron {config.schedule!r})")
    return EXIT_OK


def cmd_schedule(args) -> int:
    import logging

    from .commands.logsetup import setup
    from .config import load_config
    from .pipeline import run
    from .schedule import serve_forever

    setup(args.verbose, args.log_json, logging.INFO)  # a long-running job: its runs are logged
    config = load_config(args.config)
    log = logging.getLogger("briefing.run")

    def job() -> None:
        # Re-read the configuration each morning so edits apply without a restart.
        cfg = load_config(args.config)
        result = run(cfg, progress=log.info, lock_wait=60)
        log.info(
            "brief %s: %d events, %d deliveries",
            result.brief.date,
            len(result.brief.entries),
            len(result.deliveries),
        )

    serve_forever(job, config.schedule, config.timezone)
    return EXIT_OK


def cmd_serve(args) -> int:
    from .web.app import serve

    serve(args.config, args.host, args.port, token_env=args.token_env, say=_err)
    return EXIT_OK


def cmd_check(args) -> int:
    from .commands.check import check

    problems = check(args.config, progress=_progress)
    for p in problems:
        _err(p)
    if not problems:
        print("configuration and templates ok", file=sys.stderr)
    return EXIT_USAGE if problems else EXIT_OK


def _tag(rest: list[str]) -> int:
    """Fast path for `briefing tag`: the tagger must start in milliseconds, so skip argparse,
    pydantic and the rest; read only the config's `taxonomy:` overrides, if it has any."""
    if any(a in ("-h", "--help") for a in rest):
        parser().parse_args(["tag", "--help"])  # the same help as every command; exits 0
    from .extract import tagcmd

    config = "feeds.yaml"
    for flag in ("-c", "--config"):
        if flag in rest:
            i = rest.index(flag)
            config = rest[i + 1] if i + 1 < len(rest) else config
            del rest[i : i + 2]
    path = Path(config)
    if path.is_file() and "taxonomy:" in path.read_text(encoding="utf-8", errors="replace"):
        import yaml

        from .extract import Extractor, load_taxonomy

        try:
            overrides = (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("taxonomy")
            try:
                taxonomy = load_taxonomy(overrides)
            except ValueError:
                # a theater named in another case ("syria") or misspelt: the config's rules
                # decide, as for `check` and `run` (any case; "did you mean" on a typo)
                from .config import ConfigError, canonical_taxonomy

                try:
                    taxonomy = load_taxonomy(canonical_taxonomy(overrides, load_taxonomy()))
                except ConfigError as exc:
                    raise ValueError(str(exc)) from None
            tagcmd.use(Extractor(taxonomy))
        except (yaml.YAMLError, ValueError, AttributeError) as exc:
            _err(f"{path}: {exc}".splitlines()[0])
            return EXIT_USAGE
    return tagcmd.main(rest)


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="briefing",
        description="Daily security briefing generator: fetches the feeds in "
        "feeds.yaml, tags incidents, threats and deployments by theater, writes the brief "
        "(HTML, PDF, JSON) and mails it to subscribers. `briefing COMMAND --help` for each command.",
    )
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def add(name: str, help_: str, func, description: str) -> argparse.ArgumentParser:
        # help_: the line in `briefing --help`; description: what `briefing NAME --help` says
        sp = sub.add_parser(name, help=help_, description=description)
        sp.add_argument(
            "-c",
            "--config",
            default="feeds.yaml",
            metavar="FILE",
            help="configuration file (default: ./feeds.yaml)",
        )
        sp.add_argument(
            "-v",
            "--verbose",
            action="store_true",
            help="log detail to stderr: each feed, each delivery (default: off)",
        )
        sp.add_argument(
            "--log-json",
            action="store_true",
            help="log as JSON lines on stderr, progress included, for cron (default: off)",
        )
        sp.set_defaults(func=func)
        return sp

    r = add(
        "run",
        "fetch the feeds and produce today's brief (HTML, PDF, JSON) and send it",
        cmd_run,
        "Fetch every feed, tag the new reports and write the brief for the window ending now "
        "(or --as-of) in OUTPUT_DIR/YYYY-MM-DD/ (brief.html, .pdf, .json), then mail each "
        "subscriber their edition. Rerunning a day never mails anyone twice.",
    )
    r.add_argument(
        "--as-of",
        metavar="TIME",
        help="end of the brief's window, ISO 8601; without a zone, in the config's timezone (default: now)",
    )
    r.add_argument(
        "--no-send", action="store_true", help="produce the brief but deliver nothing (default: deliver)"
    )
    r.add_argument("--out", metavar="FOLDER", help="output folder (default: the config's output_dir)")
    t = add(
        "tag",
        "tag JSON Lines items with events (stdin or FILE → stdout)",
        None,
        "Tag news items offline: read JSON Lines items {id, title, summary[, date, source]} "
        "and write one JSON line per item, in the same order, with its event types, theaters, "
        "actors and events. Only the config's taxonomy: overrides are used.",
    )
    t.add_argument(
        "file", nargs="?", default="-", metavar="FILE", help="JSON Lines input (default: -, standard input)"
    )
    t.add_argument(
        "--jobs",
        type=int,
        metavar="N",
        help="processes to tag with (default: 1, or 2 for inputs of 4,000 lines or 1 MB and more)",
    )
    se = add(
        "send",
        "deliver a day's brief again from the store (skips those already served)",
        cmd_send,
        "Deliver a day's brief again from the store, to every subscriber not yet served that "
        "day (the ledger says who was); the day's archived files are left as they are.",
    )
    se.add_argument("--date", required=True, metavar="YYYY-MM-DD", help="the brief's date (required)")
    se.add_argument(
        "--resend",
        action="store_true",
        help="send even to subscribers already served (default: only the others)",
    )
    se.add_argument(
        "--to",
        action="append",
        metavar="ADDRESS",
        help="send to this subscriber alone, whatever the ledger says (repeatable); "
        "for a delivery left uncertain (default: every subscriber)",
    )
    se.add_argument(
        "--resend-uncertain",
        action="store_true",
        help="send again to every subscriber whose delivery that day is uncertain "
        "(default: leave uncertain deliveries alone)",
    )
    st = add(
        "status",
        "show the last runs, deliveries and failing sources",
        cmd_status,
        "Show the last runs, the last deliveries, the sources failing now (since when) and "
        "the next scheduled run, with times in the config's timezone.",
    )
    st.add_argument(
        "--limit",
        type=int,
        default=10,
        metavar="N",
        help="how many runs and deliveries to list (default: 10)",
    )
    sv = add(
        "serve",
        "the HTML preview of the brief, on demand, in a browser",
        cmd_serve,
        "Preview the briefs in a browser over HTTP (/, /live, /YYYY-MM-DD, /sources); "
        "reachable from other machines only with an access token (--token-env).",
    )
    sv.add_argument(
        "--host", default="127.0.0.1", help="address to bind (default: 127.0.0.1, this machine only)"
    )
    sv.add_argument("--port", type=int, default=8000, help="port to listen on (default: 8000)")
    sv.add_argument(
        "--token-env",
        metavar="NAME",
        help="environment variable holding an access token, needed off loopback (default: none, no token)",
    )
    add(
        "schedule",
        "run the daily job in-process on the config's cron schedule",
        cmd_schedule,
        "Stay running and do what `briefing run` does at each time of the config's cron "
        "schedule (in its timezone), rereading the configuration each time.",
    )
    add(
        "check",
        "validate the configuration and render every template against a sample brief",
        cmd_check,
        "Validate the configuration (keys, URLs, theater names, addresses, schedule) and render "
        "every template, yours first, to HTML and PDF against a sample brief; exit 2 on a problem.",
    )
    d = add(
        "demo",
        "the whole pipeline, offline, on bundled sample feeds served on loopback",
        cmd_demo,
        "Run the whole pipeline offline: serve the bundled sample feeds on loopback and "
        "produce and deliver (to the outbox) a brief from them.",
    )
    d.add_argument("--out", metavar="FOLDER", help="output folder (default: OUTPUT_DIR/demo)")
    return p


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["tag"]:
        return _tag(argv[1:])
    args = parser().parse_args(argv)
    from .errors import BriefingError
    from .store import STORE_ERRORS

    global _LOG_JSON
    from .commands.logsetup import setup

    _LOG_JSON = setup(args.verbose, args.log_json)
    try:
        return args.func(args)
    except BriefingError as exc:
        _err(str(exc))
        return exc.exit_code
    except STORE_ERRORS as exc:
        # a full disk, a read-only mount, a file we may not write: the same one line, exit 2
        _err(
            f"the store could not be read or written ({exc}): is the disk full, or the store "
            f"read-only or someone else's?"
        )
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
