"""`briefing schedule`: the daily job in-process with APScheduler 3.x. The only module
importing apscheduler.

- the cron trigger gets the config's timezone explicitly (without it APScheduler uses the
  machine's zone, not the scheduler's);
- misfire grace of 12 h plus coalescing: a machine that slept through 06:00 sends once on wake;
- max_instances=1 and the run lock: never two runs at once, even alongside a system cron;
- SIGTERM/SIGINT shut the scheduler down cleanly, letting a running job finish.
"""

from __future__ import annotations

import logging
import signal
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger

JOB_ID = "daily-brief"
MISFIRE_GRACE = 12 * 3600

log = logging.getLogger("briefing.schedule")


_DAYS = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")


def _cron_dow(field: str) -> str:
    """Crontab weekday numbers (0 or 7 = Sunday) → names. APScheduler 3.x's from_crontab takes
    0 as Monday (its issue 286), which would shift a '1-5' weekday schedule by a day."""
    if field in ("*", "?"):
        return "*"
    names: list[str] = []
    for part in field.lower().split(","):
        if any(c.isalpha() for c in part):
            names.append(part)  # names mean the same thing in both
            continue
        base, _, step = part.partition("/")
        if base == "*":
            lo, hi = 0, 6
        elif "-" in base:
            lo, hi = (int(x) for x in base.split("-", 1))
        else:
            lo = int(base)
            hi = 6 if step else lo
        names += [_DAYS[d % 7] for d in range(lo, hi + 1, int(step or 1))]
    return ",".join(dict.fromkeys(names))


def trigger(expr: str, tz: str | ZoneInfo) -> CronTrigger:
    """A crontab expression (5 fields, or 6 with a leading seconds field) in zone `tz`."""
    fields = expr.split()
    second = fields.pop(0) if len(fields) == 6 else "0"
    if len(fields) != 5:
        raise ValueError(f"expected 5 cron fields, got {len(fields)}")
    minute, hour, day, month, dow = fields
    return CronTrigger(
        second=second,
        minute=minute,
        hour=hour,
        day=day,
        month=month,
        day_of_week=_cron_dow(dow),
        timezone=ZoneInfo(tz) if isinstance(tz, str) else tz,
    )


def wall_key(dt: datetime) -> str:
    """The local wall-clock time of a fire time. An autumn DST change repeats an hour, and
    APScheduler fires a 01:30 job in both: the second has the same key and is skipped."""
    return dt.strftime("%Y-%m-%d %H:%M:%S")


def next_fire_times(expr: str, tz: str, start: datetime, count: int) -> list[datetime]:
    """The next `count` distinct fire times after `start`, as the scheduled job sees them."""
    trig, now = trigger(expr, tz), start
    out: list[datetime] = []
    prev: datetime | None = None
    seen: set[str] = set()
    while len(out) < count:
        nxt = trig.get_next_fire_time(prev, now)
        if nxt is None:
            break
        if wall_key(nxt) not in seen:
            seen.add(wall_key(nxt))
            out.append(nxt)
        # step in UTC: wall-clock arithmetic would loop inside a repeated hour
        prev, now = nxt, (nxt.astimezone(UTC) + timedelta(seconds=1)).astimezone(nxt.tzinfo)
    return out


def validate(expr: str) -> str | None:
    try:
        trigger(expr, "UTC")
        return None
    except ValueError as exc:
        return f"schedule: {exc}"


def serve_forever(
    job: Callable[[], None], expr: str, tz: str, scheduler: BlockingScheduler | None = None
) -> None:
    sched = scheduler or BlockingScheduler(timezone=ZoneInfo(tz))

    last: dict[str, str | None] = {"key": None}

    def guarded() -> None:
        started = datetime.now(ZoneInfo(tz))
        if wall_key(started) == last["key"]:
            log.info("skipped: already ran at %s local time (repeated DST hour)", last["key"])
            return
        last["key"] = wall_key(started)
        log.info("run started at %s", started.isoformat(timespec="seconds"))
        try:
            job()
            log.info("run finished in %.1f s", (datetime.now(ZoneInfo(tz)) - started).total_seconds())
        except Exception as exc:  # one bad morning must not kill the scheduler
            log.error("run failed: %s", exc)

    sched.add_job(
        guarded,
        trigger(expr, tz),
        id=JOB_ID,
        replace_existing=True,
        max_instances=1,
        coalesce=True,
        misfire_grace_time=MISFIRE_GRACE,
    )

    def stop(signum, _frame) -> None:
        log.info("received %s, shutting down after the current run", signal.Signals(signum).name)
        sched.shutdown(wait=False)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    first = next_fire_times(expr, tz, datetime.now(ZoneInfo(tz)), 1)
    log.info("scheduled %r in %s; next run %s", expr, tz, first[0].isoformat() if first else "never")
    sched.start()
    log.info("scheduler stopped")
