"""Load and validate feeds.yaml into frozen objects.

Every problem is reported with its path (``sources[3].url: not an http(s) URL``); unknown keys
are rejected; secrets are never in the file, only the names of environment variables.
"""
from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from .model import Source

DEFAULT_CONFIG = "feeds.yaml"
# Deliberately strict: no display names, no CR/LF (header injection), one @, a dotted domain.
_EMAIL = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")
_CRON_FIELD = re.compile(r"^[\d*/,\-A-Za-z?LW#]+$")


def header_safe(v: str) -> bool:
    """One line by every definition an email library uses: no control characters (CR, LF, VT,
    FF, NEL U+0085, NUL…) and no Unicode line or paragraph separators (U+2028, U+2029), which
    `str.splitlines` and the email package both treat as line ends."""
    return not any(unicodedata.category(c) in ("Cc", "Zl", "Zp") for c in v)


class ConfigError(Exception):
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
        parts = urlsplit(v.strip())
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError("not an http(s) URL")
        return v.strip()

    @field_validator("name")
    @classmethod
    def _one_line(cls, v: str) -> str:
        if any(c in v for c in "\r\n\0"):
            raise ValueError("must be a single line")
        return v.strip()


class Subscriber(_Frozen):
    email: str
    theaters: tuple[str, ...] | None = None   # None = everything
    actors: tuple[str, ...] | None = None
    min_severity: float = 0.0
    label: str | None = None                   # edition name in the subject; default: the theaters

    _email = field_validator("email")(classmethod(lambda cls, v: _check_email(v)))

    @field_validator("theaters", "actors", "label")
    @classmethod
    def _names(cls, v):
        # These reach the subject line: short single-line names only.
        for name in ([v] if isinstance(v, str) else v or ()):
            if not name.strip() or len(name) > 80 or not header_safe(name):
                raise ValueError(f"not a theater/actor name: {name!r}")
        return v


class SmtpConfig(_Frozen):
    host: str
    port: int = Field(default=25, ge=1, le=65535)
    starttls: bool = False
    ssl: bool = False                          # implicit TLS (port 465)
    username_env: str | None = None            # names of environment variables, never values
    password_env: str | None = None
    timeout: float = Field(default=30.0, gt=0)
    retries: int = Field(default=3, ge=1, le=10)   # attempts for temporary failures (4xx, network)
    backoff: float = Field(default=5.0, ge=0)      # seconds before the 2nd attempt, doubling after
    allow_insecure_auth: bool = False          # log in over plain TCP (a relay on a trusted network)

    @model_validator(mode="after")
    def _tls_modes(self) -> "SmtpConfig":
        if self.starttls and self.ssl:
            raise ValueError("choose starttls or ssl, not both")
        if self.username_env and not (self.starttls or self.ssl or self.allow_insecure_auth):
            # AUTH PLAIN over plain TCP hands the password to anyone on the path
            raise ValueError("a login (username_env) needs starttls: true or ssl: true "
                             "(or allow_insecure_auth: true for a relay on a trusted network)")
        if bool(self.username_env) != bool(self.password_env):
            raise ValueError("username_env and password_env go together")
        return self


class Delivery(_Frozen):
    from_: str = Field(default="briefing@localhost", alias="from")
    smtp: SmtpConfig | None = None

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
    database: Path | None = None               # default: OUTPUT_DIR/briefing.sqlite3
    templates_dir: Path | None = None          # user overrides, searched before the built-ins
    classification: str | None = None          # optional handling line on the cover
    paper_size: str = "A4"
    sources: tuple[SourceConfig, ...]
    subscribers: tuple[Subscriber, ...] = ()
    delivery: Delivery = Delivery()
    fetch: FetchConfig = FetchConfig()
    taxonomy: dict[str, Any] | None = None     # extractor overrides (see briefing.extract)

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
            raise ValueError(f"unknown time zone {v!r} (use an IANA name such as Europe/London)")
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
    def _unique_names(self) -> "Config":
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


def _message(err: dict[str, Any]) -> str:
    kind, msg = err["type"], err["msg"]
    if kind == "extra_forbidden":
        return "unknown key"
    if kind == "missing":
        return "required key is missing"
    return msg.removeprefix("Value error, ")


def format_errors(exc: ValidationError) -> list[str]:
    lines = []
    for err in exc.errors():
        loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-")))
        path, msg = _loc(loc), _message(err)
        # model-level validators already name their path in the message
        lines.append(msg if path == "(top level)" and ":" in msg else f"{path}: {msg}")
    return lines


def parse_config(data: Any, base_dir: Path = Path(".")) -> Config:
    """Validate an already-loaded mapping; relative paths are taken from `base_dir`."""
    if not isinstance(data, dict):
        raise ConfigError("the configuration must be a mapping of keys (timezone, sources, …)")
    try:
        cfg = Config.model_validate(data)
    except ValidationError as exc:
        raise ConfigError("; ".join(format_errors(exc))) from None
    from .extract import load_taxonomy
    try:
        taxonomy = load_taxonomy(cfg.taxonomy)
    except ValueError as exc:
        raise ConfigError(str(exc)) from None
    # Subscribers may name groupings ("Levant"); expand them, and catch typos ("Gazza") now
    # rather than by an edition that is silently empty every morning.
    subs, problems = [], []
    for i, sub in enumerate(cfg.subscribers):
        if sub.theaters is None:
            subs.append(sub)
            continue
        expanded: list[str] = []
        for name in sub.theaters:
            found = taxonomy.expand(name)
            if not found:
                problems.append(f"subscribers[{i}].theaters: unknown theater {name!r}")
            expanded += found
        subs.append(sub.model_copy(update={"theaters": tuple(dict.fromkeys(expanded)),
                                           "label": sub.label or ", ".join(sub.theaters)}))
    if problems:
        raise ConfigError("; ".join(problems))
    cfg = cfg.model_copy(update={"subscribers": tuple(subs)})
    resolve = lambda p: p if p is None or p.is_absolute() else (base_dir / p)  # noqa: E731
    return cfg.model_copy(update={
        "output_dir": resolve(cfg.output_dir),
        "database": resolve(cfg.database),
        "templates_dir": resolve(cfg.templates_dir),
    })


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
