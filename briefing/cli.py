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


def cmd_check(args) -> int:
    from .check import check

    problems = check(args.config, progress=_progress)
    for p in problems:
        _err(p)
    if not problems:
        print("configuration and templates ok", file=sys.stderr)
    return EXIT_USAGE if problems else EXIT_OK


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
    add("check", "validate the configuration and render every template against a sample brief", cmd_check)
    d = add("demo", "the whole pipeline, offline, on bundled sample feeds served on loopback", cmd_demo)
    d.add_argument("--out", help="output folder (default: OUTPUT_DIR/demo)")
    return p


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["tag"]:
        # Fast path: the tagger must start in milliseconds, so skip everything else.
        from .extract.tagcmd import main as tag_main
        rest = [a for a in argv[1:]]
        for flag in ("-c", "--config"):
            if flag in rest:
                i = rest.index(flag)
                del rest[i:i + 2]
        return tag_main(rest)
    args = parser().parse_args(argv)
    from .config import ConfigError
    from .pipeline import RunError
    from .render import RenderError
    try:
        return args.func(args)
    except (ConfigError, RunError, RenderError) as exc:
        _err(str(exc))
        return EXIT_USAGE
    except KeyboardInterrupt:
        _err("interrupted")
        return 130


if __name__ == "__main__":
    sys.exit(main())
