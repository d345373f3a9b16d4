"""Fetch stage: concurrent, bounded, conditional GET of every source (the only httpx user).

Every per-feed problem becomes ``Fetched(ok=False, error="one line")``; nothing here raises
for a single bad feed. Guards, because feeds and their servers are untrusted:
- connect/read timeouts *and* an overall deadline per feed (httpx timeouts are per read, so a
  server dripping a byte a second would otherwise hold the run forever);
- a cap on raw and decompressed bytes, decompressing ourselves with a bounded zlib object
  (a 50 KB gzip bomb must not become 10 GB in memory);
- redirects followed by hand, at most ``max_redirects`` hops, each one http/https only, and
  never from a public address into a private or loopback one (a feed on the internet must not
  make us read the LAN or this machine; decimal and octal address forms resolve like any name).
  A feed the user configured on a private address may redirect within its own reach.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import dataclasses
import errno
import ipaddress
import logging
import socket
import ssl
import time
import zlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit

import httpx

from ..errors import BriefingError
from ..model import Fetched, Source, Validators

log = logging.getLogger(__name__)

DEFAULT_USER_AGENT = "Mozilla/5.0 (compatible; briefing/0.1; daily security brief; feed reader)"
_REDIRECTS = {301, 302, 303, 307, 308}


@dataclass(frozen=True)
class FetchSettings:
    """Limits applied to every feed; seconds and bytes."""

    connect_timeout: float = 5.0
    read_timeout: float = 5.0  # per read; a dripping server is caught by the deadline
    deadline: float = 10.0  # whole request + body, per feed
    max_bytes: int = 10 * 1024 * 1024  # raw and decompressed
    max_redirects: int = 3
    # More than the hung feeds one expects: each holds a slot until its timeout (bench/load_fetch.py).
    concurrency: int = 64
    user_agent: str = DEFAULT_USER_AGENT


class FeedError(BriefingError):
    """A per-feed failure whose message is already the one line the user sees."""


def fetch_all(
    sources: Sequence[Source],
    validators: Mapping[str, Validators] | None = None,
    settings: FetchSettings = FetchSettings(),
    transport: httpx.AsyncBaseTransport | None = None,
    then: Callable[[Fetched], Any] | None = None,
) -> list:
    """Fetch all sources concurrently; results in the order of ``sources``.

    ``validators`` maps a source URL (or, failing that, its name) to the ETag/Last-Modified
    remembered from the last run. Prefer URL keys: validators kept under a name survive a URL
    change in feeds.yaml and could earn a wrong 304 from the new server.
    Synchronous; safe to call from inside a running event loop (runs in a helper thread then).
    With ``then`` (e.g. the parser), each result is passed to it in a worker thread as soon as it
    arrives — parsing overlaps the wait for slow feeds — and (Fetched, then(Fetched)) pairs are
    returned instead.
    """

    def work() -> list:
        return asyncio.run(_fetch_all(list(sources), dict(validators or {}), settings, transport, then))

    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return work()
    # asyncio.run() refuses to nest: give the work its own loop in a thread.
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(work).result()


async def _fetch_all(
    sources: list[Source],
    validators: dict[str, Validators],
    settings: FetchSettings,
    transport: httpx.AsyncBaseTransport | None,
    then: Callable[[Fetched], Any] | None = None,
) -> list:
    timeout = httpx.Timeout(
        connect=settings.connect_timeout,
        read=settings.read_timeout,
        write=settings.read_timeout,
        pool=settings.deadline,
    )
    limits = httpx.Limits(max_connections=max(1, settings.concurrency), max_keepalive_connections=8)
    semaphore = asyncio.Semaphore(max(1, settings.concurrency))
    # trust_env=False: a stray HTTP(S)_PROXY/NETRC on the host must not reroute or re-auth feeds.
    async with httpx.AsyncClient(
        timeout=timeout, limits=limits, follow_redirects=False, trust_env=False, transport=transport
    ) as client:
        loop = asyncio.get_running_loop()
        worker = concurrent.futures.ThreadPoolExecutor(max_workers=1)  # one: CPU-bound, GIL

        async def one(source: Source):
            async with semaphore:  # the deadline starts when the feed's turn comes, not before
                old = validators.get(source.url) or validators.get(source.name) or Validators()
                fetched = await _fetch_one(client, source, old, settings)
            if then is None:
                return fetched
            return fetched, await loop.run_in_executor(worker, then, fetched)

        try:
            return list(await asyncio.gather(*(one(s) for s in sources)))
        finally:
            worker.shutdown(wait=True)


async def _fetch_one(
    client: httpx.AsyncClient, source: Source, old: Validators, settings: FetchSettings
) -> Fetched:
    """One feed, never raising: the overall deadline wraps request, redirects and body."""
    start = time.monotonic()
    try:
        result = await asyncio.wait_for(_get(client, source, old, settings), settings.deadline)
        log.debug(
            "%s: HTTP %s, %d bytes in %.1f s",
            source.name,
            result.status,
            len(result.body),
            time.monotonic() - start,
        )
        return dataclasses.replace(result, elapsed=time.monotonic() - start)
    except FeedError as exc:
        error = str(exc)
    except TimeoutError:  # only wait_for raises this; httpx timeouts are mapped inside _get
        error = f"timed out after {settings.deadline:g} s (overall deadline)"
    except Exception as exc:  # noqa: BLE001 - a per-feed bug must not sink the whole run
        error = f"unexpected error: {type(exc).__name__}: {_one_line(str(exc))}"
    log.info("%s: %s", source.name, error)  # the run summary lists it for people already
    return Fetched(source=source, ok=False, error=error, validators=old, elapsed=time.monotonic() - start)


async def _get(
    client: httpx.AsyncClient, source: Source, old: Validators, settings: FetchSettings
) -> Fetched:
    headers = {
        "User-Agent": settings.user_agent,
        # only what we can decompress safely ourselves (no br/zstd)
        "Accept-Encoding": "gzip, deflate",
        "Accept": "application/rss+xml, application/atom+xml, application/rdf+xml, "
        "application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5",
    }
    if old.etag:
        headers["If-None-Match"] = old.etag
    if old.last_modified:
        headers["If-Modified-Since"] = old.last_modified
    url, seen = source.url, set()
    reach = None  # how private the configured feed's own address is
    for hop in range(settings.max_redirects + 1):
        _check_scheme(url, redirected=hop > 0)
        seen.add(url)
        if hop == 0:
            reach = await _privacy(urlsplit(url).hostname)
        else:
            target = await _privacy(urlsplit(url).hostname)
            if target is not None and reach is not None and target > reach:
                raise FeedError(f"redirect to a {_PRIVACY_NAMES[target]} address refused ({_short(url)})")
        try:
            request = client.build_request("GET", url, headers=headers)
        except httpx.InvalidURL:
            raise FeedError(f"invalid URL {_short(url)}") from None
        try:
            response = await client.send(request, stream=True)
        except httpx.InvalidURL:
            # httpx pre-builds the next hop from Location even when not following, so a
            # "javascript:…" or "data:…" Location fails here, not in our scheme check.
            raise FeedError("redirect to an invalid or non-http(s) URL refused") from None
        except httpx.RemoteProtocolError as exc:
            if "location header" in str(exc).lower():
                raise FeedError("redirect to an invalid URL refused") from None
            raise FeedError(_describe(exc, settings)) from None
        except httpx.HTTPError as exc:
            raise FeedError(_describe(exc, settings)) from None
        try:
            if response.status_code in _REDIRECTS:
                location = response.headers.get("location")
                if not location:
                    raise FeedError(f"HTTP {response.status_code} redirect without a Location header")
                nxt = urljoin(url, location.strip())
                if nxt in seen:
                    raise FeedError(f"redirect loop at {_short(nxt)}")
                url = nxt
                continue
            return await _finish(response, source, url, old, settings)
        finally:
            await response.aclose()
    raise FeedError(f"too many redirects (more than {settings.max_redirects})")


async def _finish(
    response: httpx.Response, source: Source, url: str, old: Validators, settings: FetchSettings
) -> Fetched:
    """Turn the final response into a Fetched: 304, HTTP error, or a capped, decoded body."""
    validators = Validators(
        etag=response.headers.get("etag") or old.etag,
        last_modified=response.headers.get("last-modified") or old.last_modified,
    )
    content_type = response.headers.get("content-type")
    if response.status_code == 304:
        return Fetched(
            source=source,
            ok=True,
            status=304,
            not_modified=True,
            final_url=url,
            content_type=content_type,
            validators=validators,
        )
    if not 200 <= response.status_code < 300:
        reason = response.reason_phrase or ""
        raise FeedError(f"HTTP {response.status_code} {reason}".strip())
    body = await _read_body(response, settings)
    return Fetched(
        source=source,
        ok=True,
        body=body,
        status=response.status_code,
        content_type=content_type,
        final_url=url,
        validators=validators,
    )


async def _read_body(response: httpx.Response, settings: FetchSettings) -> bytes:
    cap = settings.max_bytes
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > cap:
        raise FeedError(f"body too large ({_mb(int(declared))} declared, limit {_mb(cap)})")
    encoding = response.headers.get("content-encoding", "identity").strip().lower()
    decoder = _Decoder(encoding, cap)
    raw_total = 0
    parts: list[bytes] = []
    try:
        async for chunk in response.aiter_raw():
            raw_total += len(chunk)
            if raw_total > cap:
                raise FeedError(f"body larger than the {_mb(cap)} limit")
            parts.append(decoder.feed(chunk))
    except httpx.HTTPError as exc:
        raise FeedError(_describe(exc, settings)) from None
    parts.append(decoder.flush())
    return b"".join(parts)


class _Decoder:
    """Content-Encoding decoder that never produces more than ``cap`` bytes in total."""

    def __init__(self, encoding: str, cap: int) -> None:
        self.encoding, self.cap, self.total = encoding, cap, 0
        if encoding in ("", "identity"):
            self._wbits: int | None = None
        elif encoding in ("gzip", "x-gzip"):
            self._wbits = 16 + zlib.MAX_WBITS
        elif encoding == "deflate":
            self._wbits = zlib.MAX_WBITS  # zlib-wrapped; raw deflate tried on first error
        else:
            raise FeedError(f"unsupported Content-Encoding {encoding!r}")
        self._z = zlib.decompressobj(self._wbits) if self._wbits is not None else None
        self._started = False

    def _count(self, out: bytes) -> bytes:
        self.total += len(out)
        if self.total > self.cap:
            if self._z is None:
                raise FeedError(f"body larger than the {_mb(self.cap)} limit")
            raise FeedError(f"decompressed body larger than the {_mb(self.cap)} limit (compression bomb?)")
        return out

    def feed(self, data: bytes) -> bytes:
        if self._z is None:
            return self._count(data)
        out: list[bytes] = []
        while data:
            try:
                # max_length bounds every step, so a bomb is stopped after cap+1 bytes
                piece = self._z.decompress(data, self.cap - self.total + 1)
            except zlib.error as exc:
                if self.encoding == "deflate" and not self._started and self._wbits == zlib.MAX_WBITS:
                    self._wbits = -zlib.MAX_WBITS  # some servers send raw deflate
                    self._z = zlib.decompressobj(self._wbits)
                    continue
                raise FeedError(f"corrupt {self.encoding} data: {exc}") from None
            self._started = True
            out.append(self._count(piece))
            data = self._z.unconsumed_tail
            if self._z.eof and self._z.unused_data:  # concatenated gzip members
                data = self._z.unused_data
                assert self._wbits is not None  # a decompressor exists only with a window size
                self._z = zlib.decompressobj(self._wbits)
        return b"".join(out)

    def flush(self) -> bytes:
        if self._z is None:
            return b""
        # a truncated stream keeps what decoded so far, still within the cap
        return self._count(self._z.flush(self.cap - self.total + 1))


# How private an address is: a redirect may not go further in than the feed's own address.
PUBLIC, PRIVATE, LOCAL = 0, 1, 2
_PRIVACY_NAMES = {PRIVATE: "private-network", LOCAL: "loopback or local"}


def _class(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> int:
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    if ip.is_loopback or ip.is_unspecified or ip.is_multicast:
        return LOCAL
    if ip.is_private or ip.is_link_local or ip.is_reserved or not ip.is_global:
        return PRIVATE
    return PUBLIC


async def _privacy(host: str | None) -> int | None:
    """The most private class among the addresses ``host`` resolves to (None: unresolvable,
    left for the request itself to report). getaddrinfo reads "2130706433" and "0177.0.0.1" as
    127.0.0.1, as the connection would."""
    if not host:
        return None
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(host.strip("[]"), None, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        return None
    classes = []
    for *_, addr in infos:
        ip = addr[0]
        # IPv4/IPv6 addresses start with the host as text; the (int, bytes) form typeshed also
        # allows (AF_INET6 in a --disable-ipv6 build) failed here before as well
        assert isinstance(ip, str)
        try:
            classes.append(_class(ipaddress.ip_address(ip.split("%")[0])))
        except ValueError:
            continue
    return max(classes) if classes else None


def _check_scheme(url: str, redirected: bool) -> None:
    try:
        parts = urlsplit(url)
    except ValueError:
        raise FeedError(f"invalid URL {_short(url)}") from None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        if redirected:
            raise FeedError(f"redirect to {scheme or 'scheme-less'}: URL refused (only http/https)")
        raise FeedError(f"unsupported URL scheme {scheme or '(none)'!r} (only http/https)")
    if not parts.hostname:
        raise FeedError(f"invalid URL {_short(url)} (no host)")


def _describe(exc: httpx.HTTPError, settings: FetchSettings) -> str:
    """One plain line for a transport failure."""
    if isinstance(exc, httpx.ConnectTimeout):
        return f"connect timed out after {settings.connect_timeout:g} s"
    if isinstance(exc, (httpx.ReadTimeout, httpx.WriteTimeout)):
        return f"read timed out after {settings.read_timeout:g} s"
    if isinstance(exc, httpx.PoolTimeout):
        return f"timed out waiting for a connection after {settings.deadline:g} s"
    chain, text = _causes(exc), str(exc).lower()
    if (
        any(
            isinstance(c, ConnectionRefusedError) or getattr(c, "errno", None) == errno.ECONNREFUSED
            for c in chain
        )
        or "refused" in text
    ):
        return "connection refused"
    if any(isinstance(c, socket.gaierror) for c in chain) or any(
        s in text for s in ("name or service not known", "nodename nor servname", "name resolution")
    ):
        unknown = (
            "not known" in text
            or "nodename nor servname" in text
            or any(isinstance(c, socket.gaierror) and c.errno == socket.EAI_NONAME for c in chain)
        )
        return "DNS lookup failed (unknown host)" if unknown else "DNS lookup failed"
    if any(isinstance(c, ssl.SSLError) for c in chain) or "certificate" in text:
        return f"TLS error: {_one_line(str(exc))}"
    if isinstance(exc, httpx.RemoteProtocolError):
        return f"server broke the HTTP protocol: {_one_line(str(exc))}"
    if isinstance(exc, httpx.ConnectError):
        return f"connection failed: {_one_line(str(exc))}"
    if isinstance(exc, httpx.ReadError):
        return f"connection lost while reading: {_one_line(str(exc))}"
    return f"{type(exc).__name__}: {_one_line(str(exc))}"


def _causes(exc: BaseException) -> list[BaseException]:
    out: list[BaseException] = []
    cur: BaseException | None = exc
    while cur is not None and len(out) < 10:
        out.append(cur)
        cur = cur.__cause__ or cur.__context__
    return out


def _one_line(text: str, limit: int = 200) -> str:
    text = " ".join(text.split()) or "no detail"
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _short(url: str) -> str:
    return _one_line(url, 120)


def _mb(n: int) -> str:
    return f"{n / 1048576:.3g} MB" if n >= 1048576 else f"{n:,} bytes"
