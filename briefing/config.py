"""Load and validate feeds.yaml into frozen objects.

Every problem is reported with its path (``sources[3].url: not a valid http(s) URL: contains a
space``); unknown keys and theater names are rejected with the nearest known ones (``window_hour:
unknown key, did you mean 'window_hours'?``); theater names match whatever their case; secrets
are never in the file, only the names of environment variables.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, get_args
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from .errors import BriefingError
from .model import Source

if TYPE_CHECKING:
    from pydantic_core import ErrorDetails

DEFAULT_CONFIG = "feeds.yaml"
# Deliberately strict: no display names, no CR/LF (header injection), one @, a dotted domain.
_EMAIL = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")
_CRON_FIELD = re.compile(r"^[\d*/,\-A-Za-z?LW#]+$")


def header_safe(v: str) -> bool:
    """One line by every definition an email library uses: no control characters (CR, LF, VT,
    FF, NEL U+0085, NUL…) and no Unicode line or paragraph separators (U+2028, U+2029), which
    `str.splitlines` and the email package both treat as line ends."""
    return not any(unicodedata.category(c) in ("Cc", "Zl", "Zp") for c in v)


# A host name: letters (any script, for internationalised names), digits, '-', '_' and dots;
# an IPv6 literal is checked by urlsplit itself (inside brackets).
_HOST = re.compile(r"^[\w.-]+$")


def url_problem(url: str) -> str | None:
    """Why `url` is not a feed address we can fetch (None when it is): what a user would have
    to fix, e.g. "contains a space", "no host (expected https://host/path)"."""
    if not url:
        return "empty"
    for c in url:
        if unicodedata.category(c) in ("Cc", "Zl", "Zp"):
            return f"contains a control character or line break (U+{ord(c):04X})"
    if any(c.isspace() for c in url):
        return "contains a space"
    try:
        parts = urlsplit(url)
    except ValueError:  # "Invalid IPv6 URL"
        return "unbalanced [ ] around the host"
    try:
        port = parts.port
    except ValueError:
        return f"invalid port {parts.netloc.rpartition(':')[2]!r}"
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        if "://" in url or (scheme and "." not in scheme):
            return f"scheme {parts.scheme + ':'!r} is not http: or https:"
        return "no scheme (start it with https:// or http://)"
    if not parts.netloc.rpartition("@")[2] or not parts.hostname:
        return "no host (expected https://host/path)"
    host = parts.hostname
    if ":" not in host and not _HOST.match(host):  # ':' only in a bracketed IPv6 literal
        return f"not a valid host name {host!r}"
    if port == 0:
        return "invalid port '0'"
    return None


class ConfigError(BriefingError):
    """A user mistake in the configuration: the CLI prints it as one line and exits 2."""


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


def _check_email(value: str) -> str:
    if not _EMAIL.match(value) or len(value) > 254:
        raise ValueError(f"not a valid email address: {value!r}")
    return value


class SourceConfig(_Frozen):
    name: str = Field(min_length=1, max_length=120)
    url: str

    @field_validator("url")
    @classmethod
    def _http_url(cls, v: str) -> str:
        problem = url_problem(v.strip())
        if problem:
            raise ValueError(f"not a valid http(s) URL: {problem}")
        return v.strip()

    @field_validator("name")
    @classmethod
    def _one_line(cls, v: str) -> str:
        if any(c in v for c in "\r\n\0"):
            raise ValueError("must be a single line")
        return v.strip()


class Subscriber(_Frozen):
    email: str
    theaters: tuple[str, ...] | None = None  # None = everything
    actors: tuple[str, ...] | None = None
    min_severity: float = 0.0
    label: str | None = None  # edition name in the subject; default: the theaters

    _email = field_validator("email")(classmethod(lambda cls, v: _check_email(v)))

    @field_validator("theaters", "actors", "label")
    @classmethod
    def _names(cls, v):
        # These reach the subject line: short single-line names only.
        for name in [v] if isinstance(v, str) else v or ():
            if not name.strip() or len(name) > 80 or not header_safe(name):
                raise ValueError(f"not a theater/actor name: {name!r}")
        return v


class SmtpConfig(_Frozen):
    host: str
    port: int = Field(default=25, ge=1, le=65535)
    starttls: bool = False
    ssl: bool = False  # implicit TLS (port 465)
    username_env: str | None = None  # names of environment variables, never values
    password_env: str | None = None
    timeout: float = Field(default=30.0, gt=0)
    retries: int = Field(default=3, ge=1, le=10)  # attempts for temporary failures (4xx, network)
    backoff: float = Field(default=5.0, ge=0)  # seconds before the 2nd attempt, doubling after
    allow_insecure_auth: bool = False  # log in over plain TCP (a relay on a trusted network)

    @model_validator(mode="after")
    def _tls_modes(self) -> SmtpConfig:
        if self.starttls and self.ssl:
            raise ValueError("choose starttls or ssl, not both")
        if self.username_env and not (self.starttls or self.ssl or self.allow_insecure_auth):
            # AUTH PLAIN over plain TCP hands the password to anyone on the path
            raise ValueError(
                "a login (username_env) needs starttls: true or ssl: true "
                "(or allow_insecure_auth: true for a relay on a trusted network)"
            )
        if bool(self.username_env) != bool(self.password_env):
            raise ValueError("username_env and password_env go together")
        return self


class Delivery(_Frozen):
    from_: str = Field(default="briefing@localhost", alias="from")
    smtp: SmtpConfig | None = None
    # When every source failed there is no brief to send: a short notice says so (default),
    # or the empty brief goes out anyway ("brief"), or nothing is sent ("nothing").
    when_all_failed: Literal["notice", "brief", "nothing"] = "notice"

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    @field_validator("from_")
    @classmethod
    def _from(cls, v: str) -> str:
        if v == "briefing@localhost":
            return v
        return _check_email(v)


class FetchConfig(_Frozen):
    connect_timeout: float = Field(default=5.0, gt=0)
    read_timeout: float = Field(default=5.0, gt=0)
    deadline: float = Field(default=10.0, gt=0)
    max_bytes: int = Field(default=10_000_000, gt=0)
    concurrency: int = Field(default=64, ge=1, le=512)


class Config(_Frozen):
    title: str = "Morning Security Brief"
    timezone: str = "UTC"
    window_hours: int = Field(default=24, ge=1, le=24 * 14)
    schedule: str = "0 6 * * *"
    output_dir: Path = Path("output")
    database: Path | None = None  # default: OUTPUT_DIR/briefing.sqlite3
    templates_dir: Path | None = None  # user overrides, searched before the built-ins
    classification: str | None = None  # optional handling line on the cover
    paper_size: str = "A4"
    sources: tuple[SourceConfig, ...]
    subscribers: tuple[Subscriber, ...] = ()
    delivery: Delivery = Delivery()
    fetch: FetchConfig = FetchConfig()
    taxonomy: dict[str, Any] | None = None  # extractor overrides (see briefing.extract)

    @field_validator("title", "classification")
    @classmethod
    def _single_line(cls, v: str | None) -> str | None:
        # These reach email headers (the subject): one line, ever.
        if v is not None and not header_safe(v):
            raise ValueError("must be a single line (no line or paragraph separators or control characters)")
        return v

    @field_validator("sources")
    @classmethod
    def _some_sources(cls, v: tuple[SourceConfig, ...]) -> tuple[SourceConfig, ...]:
        if not v:
            raise ValueError("list at least one feed")
        return v

    @field_validator("timezone")
    @classmethod
    def _tz(cls, v: str) -> str:
        try:
            ZoneInfo(v)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {v!r} (use an IANA name such as Europe/London)") from None
        return v

    @field_validator("schedule")
    @classmethod
    def _cron(cls, v: str) -> str:
        fields = v.split()
        if len(fields) not in (5, 6) or not all(_CRON_FIELD.match(f) for f in fields):
            raise ValueError("not a 5-field cron expression such as '0 6 * * *'")
        from .schedule import validate

        problem = validate(v)
        if problem:
            raise ValueError(problem.removeprefix("schedule: "))
        return v

    @field_validator("paper_size")
    @classmethod
    def _paper(cls, v: str) -> str:
        if v not in ("A4", "Letter"):
            raise ValueError("must be A4 or Letter")
        return v

    @model_validator(mode="after")
    def _unique_names(self) -> Config:
        seen: set[str] = set()
        for i, s in enumerate(self.sources):
            if s.name in seen:
                raise ValueError(f"sources[{i}].name: duplicate source name {s.name!r}")
            seen.add(s.name)
        return self

    # -- derived values -------------------------------------------------------------------
    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def day_bounds(self, day: date) -> tuple[datetime, datetime]:
        """Day D in the configured zone, as UTC [start, end): a brief's date is a local date."""
        start = datetime.combine(day, time.min, tzinfo=self.tz).astimezone(UTC)
        return start, datetime.combine(day + timedelta(days=1), time.min, tzinfo=self.tz).astimezone(UTC)

    def as_of(self, text: str) -> datetime:
        """An --as-of / ?as_of= time: ISO 8601; without a zone it is the configured one (that
        is how a desk thinks of 06:00). Raises ValueError."""
        dt = datetime.fromisoformat(text)
        return (dt if dt.tzinfo else dt.replace(tzinfo=self.tz)).astimezone(UTC)

    @property
    def db_path(self) -> Path:
        return self.database or (self.output_dir / "briefing.sqlite3")

    def source_list(self) -> list[Source]:
        return [Source(s.name, s.url) for s in self.sources]


def _loc(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + ("from" if part == "from_" else str(part))
    return out or "(top level)"


def close_matches(word: str, choices: Iterable[str], n: int = 3, cutoff: float = 0.6) -> list[str]:
    """The choices nearest to `word` (difflib, ignoring case), spelt as in `choices`."""
    by_lower: dict[str, str] = {}
    for c in choices:
        by_lower.setdefault(c.lower(), c)
    return [by_lower[m] for m in difflib.get_close_matches(word.lower(), list(by_lower), n, cutoff)]


def _either(names: list[str]) -> str:
    quoted = [repr(n) for n in names]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " or " + quoted[-1]


def unknown_key(key: str, known: list[str]) -> str:
    """'unknown key, did you mean …?' — or, when nothing is close, the keys that are allowed."""
    close = close_matches(str(key), known)
    if close:
        return f"unknown key, did you mean {_either(close)}?"
    return f"unknown key (expected one of: {', '.join(known)})"


def _model_in(annotation: Any) -> type[BaseModel] | None:
    """The model inside an annotation (``SmtpConfig | None``, ``tuple[SourceConfig, ...]``)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in get_args(annotation):
        found = _model_in(arg)
        if found is not None:
            return found
    return None


def _keys_at(model: type[BaseModel], loc: tuple[Any, ...]) -> list[str] | None:
    """The keys accepted at `loc` (a pydantic error location) under `model`, as a user writes
    them (``from``, not ``from_``); None where the value is not a model (e.g. ``taxonomy``)."""
    current = model
    for part in loc:
        if isinstance(part, int):  # an index into a list of models
            continue
        field = next((f for name, f in current.model_fields.items() if part in (name, f.alias)), None)
        inner = _model_in(field.annotation) if field is not None else None
        if inner is None:
            return None
        current = inner
    return [f.alias or name for name, f in current.model_fields.items()]


def _message(err: ErrorDetails, loc: tuple[Any, ...], model: type[BaseModel] | None) -> str:
    kind, msg = err["type"], err["msg"]
    if kind == "extra_forbidden":
        known = _keys_at(model, loc[:-1]) if model is not None and loc else None
        return unknown_key(loc[-1], known) if known else "unknown key"
    if kind == "missing":
        return "required key is missing"
    return msg.removeprefix("Value error, ")


def format_errors(exc: ValidationError, model: type[BaseModel] | None = None) -> list[str]:
    """One line per error, each with its path; `model` (the one validated) lets an unknown key
    be answered with the nearest known one."""
    lines = []
    for err in exc.errors():
        loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-")))
        path, msg = _loc(loc), _message(err, loc, model)
        # model-level validators already name their path in the message
        lines.append(msg if path == "(top level)" and ":" in msg else f"{path}: {msg}")
    return lines


class _TheaterNames:
    """Theater (and grouping) names of a taxonomy, matched ignoring case, and the answer to a
    name that is none of them: the nearest names and (once per message) where the full list
    is — 197 names are too many for one line."""

    def __init__(self, taxonomy: Any, base: Any, groupings: bool) -> None:
        self.taxonomy, self.base, self.hinted = taxonomy, base, False
        self.names = list(taxonomy.theaters) + (list(taxonomy.groupings) if groupings else [])
        self.by_lower = {n.lower(): n for n in self.names}
        self.groupings = list(taxonomy.groupings) if groupings else []

    def canonical(self, name: str) -> str | None:
        return self.by_lower.get(name.strip().lower())

    def unknown(self, path: str, name: Any) -> str:
        from .extract.taxonomy import HERE
        from .extract.text import key_of

        if not isinstance(name, str) or not name.strip():
            return f"{path}: expected a theater name, not {name!r}"
        # a place, alias or demonym of a theater ("Kyiv", "Gaza Strip", "UK") points at it
        key = key_of(name)
        entry = self.taxonomy.index.get(key)
        home = (entry.place or entry.demonym) if entry else self.taxonomy.cities.get(key)
        close = close_matches(name, self.names, cutoff=0.75)  # typos score ≥ 0.8
        close = list(dict.fromkeys(([home] if home else []) + close))[:3]
        mean = f", did you mean {_either(close)}?" if close else ""
        if self.hinted:
            return f"{path}: unknown theater {name!r}{mean}"
        self.hinted = True
        extra = [t for t in self.taxonomy.theaters if t not in self.base.theaters]
        where = (
            f"valid: the {len(self.base.theaters)} theater names in the first column of "
            f"{HERE / 'theaters.tsv'}"
        )
        if extra:
            where += f", those under taxonomy.theaters ({', '.join(extra)})"
        if self.groupings:
            where += f", or a grouping ({', '.join(self.groupings)})"
        return f"{path}: unknown theater {name!r}{mean} ({where})"


_TAXONOMY_KEYS = ("theaters", "groupings", "places", "actors")
_ACTOR_KEYS = ("canonical", "parent", "kind", "home", "aliases")


def canonical_taxonomy(overrides: Any, base: Any) -> Any:
    """The ``taxonomy:`` overrides with every theater they name in its canonical spelling
    (``places: {Zorbtown: syria}`` means Syria); a name that is no theater, or an unknown key,
    raises ConfigError with the nearest ones. Shapes the taxonomy itself rejects (a list where
    a mapping belongs…) are left for it to report."""
    if not isinstance(overrides, dict):
        return overrides
    problems: list[str] = []
    for key in overrides:
        if key not in _TAXONOMY_KEYS:
            problems.append(f"taxonomy.{key}: {unknown_key(str(key), list(_TAXONOMY_KEYS))}")
    taxonomy = base
    extra = overrides.get("theaters")
    if isinstance(extra, list) and extra:
        from .extract import load_taxonomy

        try:
            taxonomy = load_taxonomy({"theaters": extra})
        except ValueError:
            return overrides  # reported with its path by the caller's load
    names = _TheaterNames(taxonomy, base, groupings=False)

    def theater(value: Any, path: str) -> Any:
        if not isinstance(value, str) or not value.strip():
            return value
        found = names.canonical(value)
        if found is None:
            problems.append(names.unknown(path, value))
        return found or value

    out = dict(overrides)
    groupings = overrides.get("groupings")
    if isinstance(groupings, dict):
        out["groupings"] = {
            g: [theater(m, f"taxonomy.groupings.{g}[{i}]") for i, m in enumerate(members)]
            if isinstance(members, list)
            else members
            for g, members in groupings.items()
        }
    places = overrides.get("places")
    if isinstance(places, dict):
        out["places"] = {p: theater(t, f"taxonomy.places.{p}") for p, t in places.items()}
    actors = overrides.get("actors")
    if isinstance(actors, dict):
        fixed = {}
        for alias, spec in actors.items():
            if isinstance(spec, dict):
                for k in spec:
                    if k not in _ACTOR_KEYS:
                        problems.append(
                            f"taxonomy.actors.{alias}.{k}: {unknown_key(str(k), list(_ACTOR_KEYS))}"
                        )
                if "home" in spec:
                    spec = {**spec, "home": theater(spec["home"], f"taxonomy.actors.{alias}.home")}
            fixed[alias] = spec
        out["actors"] = fixed
    if problems:
        raise ConfigError("; ".join(problems))
    return out


def parse_config(data: Any, base_dir: Path = Path(".")) -> Config:
    """Validate an already-loaded mapping; relative paths are taken from `base_dir`."""
    if not isinstance(data, dict):
        raise ConfigError("the configuration must be a mapping of keys (timezone, sources, …)")
    try:
        cfg = Config.model_validate(data)
    except ValidationError as exc:
        raise ConfigError("; ".join(format_errors(exc, Config))) from None
    from .extract import load_taxonomy

    base = load_taxonomy()
    overrides = canonical_taxonomy(cfg.taxonomy, base)
    try:
        taxonomy = load_taxonomy(overrides) if overrides else base
    except ValueError as exc:
        raise ConfigError(str(exc)) from None
    # Subscribers may name groupings ("Levant"); expand them, and catch typos ("Gazza") now
    # rather than by an edition that is silently empty every morning. Names match whatever
    # their case ("gaza" is Gaza).
    names = _TheaterNames(taxonomy, base, groupings=True)
    subs, problems = [], []
    for i, sub in enumerate(cfg.subscribers):
        if sub.theaters is None:
            subs.append(sub)
            continue
        expanded: list[str] = []
        canonical: list[str] = []
        for name in sub.theaters:
            found = names.canonical(name)
            if found is None:
                problems.append(names.unknown(f"subscribers[{i}].theaters", name))
                continue
            canonical.append(found)
            expanded += taxonomy.expand(found)
        subs.append(
            sub.model_copy(
                update={
                    "theaters": tuple(dict.fromkeys(expanded)),
                    "label": sub.label or ", ".join(canonical),
                }
            )
        )
    if problems:
        raise ConfigError("; ".join(problems))
    cfg = cfg.model_copy(update={"subscribers": tuple(subs), "taxonomy": overrides})
    resolve = lambda p: p if p is None or p.is_absolute() else (base_dir / p)  # noqa: E731
    return cfg.model_copy(
        update={
            "output_dir": resolve(cfg.output_dir),
            "database": resolve(cfg.database),
            "templates_dir": resolve(cfg.templates_dir),
        }
    )


def load_config(path: str | Path = DEFAULT_CONFIG) -> Config:
    """Read and validate a feeds.yaml; raises ConfigError with a one-line message."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"{p}: no such configuration file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{p}: cannot read: {exc}") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ConfigError(f"{p}: not valid YAML{where}: {problem}") from None
    try:
        return parse_config(data, p.resolve().parent)
    except ConfigError as exc:
        raise ConfigError(f"{p}: {exc}") from None
