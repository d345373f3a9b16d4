"""fetch_all against a real loopback server: limits, errors as values, conditional GET, order."""

from __future__ import annotations

import asyncio
import gzip
import socket
import time
import tracemalloc
import zlib

import pytest

from briefing.ingest.fetch import FetchSettings, fetch_all
from briefing.model import Source, Validators

RSS = (
    b'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>T</title>'
    b"<item><title>Convoy hit near the crossing</title><link>https://ex.test/a</link></item>"
    b"</channel></rss>"
)
FAST = FetchSettings(connect_timeout=1, read_timeout=1, deadline=3)


def one(url: str, settings: FetchSettings = FAST, validators: Validators | None = None):
    src = Source("feed", url)
    [result] = fetch_all([src], {url: validators} if validators else None, settings)
    assert result.source == src
    return result


def test_ok_feed_body_type_url_and_user_agent(feed_server):
    url = feed_server.add("/rss.xml", RSS)
    r = one(url)
    assert r.ok and r.error is None and not r.not_modified
    assert r.body == RSS and r.status == 200
    assert r.content_type == "application/rss+xml; charset=utf-8"
    assert r.final_url == url and r.elapsed > 0
    _, headers = feed_server.requests[-1]
    assert headers["user-agent"].startswith("Mozilla/5.0 (compatible; briefing/")
    assert "br" not in headers["accept-encoding"]  # only encodings we decode with caps


def test_http_errors_are_values(feed_server):
    feed_server.add("/boom", b"oops", status=500, content_type="text/plain")
    r404 = one(feed_server.url("/missing"))
    r500 = one(feed_server.url("/boom"))
    assert (r404.ok, r404.error, r404.status) == (False, "HTTP 404 Not Found", None)
    assert (r500.ok, r500.error, r500.body) == (False, "HTTP 500 Internal Server Error", b"")


def test_connection_refused_and_unknown_host():
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    assert one(f"http://127.0.0.1:{port}/rss").error == "connection refused"
    assert one("http://no-such-host.invalid/rss").error == "DNS lookup failed (unknown host)"


def test_hang_hits_read_timeout(feed_server):
    url = feed_server.add_hang("/hang")
    t0 = time.monotonic()
    r = one(url, FetchSettings(connect_timeout=1, read_timeout=0.3, deadline=5))
    assert not r.ok and r.error == "read timed out after 0.3 s"
    assert time.monotonic() - t0 < 2


def test_drip_is_stopped_by_overall_deadline(feed_server):
    # each byte arrives well within the read timeout, so only the overall deadline can stop it
    url = feed_server.add_drip("/drip", interval=0.05, length=60)  # would complete after 3 s
    t0 = time.monotonic()
    r = one(url, FetchSettings(connect_timeout=1, read_timeout=2, deadline=0.6))
    assert not r.ok and r.error == "timed out after 0.6 s (overall deadline)"
    assert time.monotonic() - t0 < 2


def test_gzip_and_deflate_bodies_are_decoded(feed_server):
    feed_server.add("/gz", RSS, gzip=True)
    feed_server.add("/zl", zlib.compress(RSS), headers={"Content-Encoding": "deflate"})
    raw = zlib.compressobj(wbits=-15)
    feed_server.add("/raw", raw.compress(RSS) + raw.flush(), headers={"Content-Encoding": "deflate"})
    for path in ("/gz", "/zl", "/raw"):
        r = one(feed_server.url(path))
        assert r.ok and r.body == RSS, path


def test_gzip_bomb_is_a_clean_error(feed_server):
    bomb = gzip.compress(b"\0" * (64 * 1024 * 1024), compresslevel=9)  # 64 MB → ~64 KB
    assert len(bomb) < 200_000
    url = feed_server.add("/bomb", bomb, headers={"Content-Encoding": "gzip"})
    tracemalloc.start()
    try:
        r = one(url, FetchSettings(deadline=5, max_bytes=1024 * 1024))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 16 * 1024 * 1024  # never inflated: the cap stops it after ~1 MB
    assert not r.ok and r.body == b""
    assert r.error == "decompressed body larger than the 1 MB limit (compression bomb?)"


def test_oversize_body_declared_and_streamed(feed_server):
    big = b"<rss>" + b"x" * (2 * 1024 * 1024)
    feed_server.add("/declared", big)
    feed_server.add("/streamed", big, chunked=True)  # no Content-Length: must count bytes
    settings = FetchSettings(deadline=5, max_bytes=1024 * 1024)
    declared = one(feed_server.url("/declared"), settings)
    streamed = one(feed_server.url("/streamed"), settings)
    assert not declared.ok and declared.error.startswith("body too large (2 MB declared, limit 1 MB)")
    assert not streamed.ok and streamed.error == "body larger than the 1 MB limit"
    assert one(feed_server.url("/streamed"), FetchSettings(deadline=5)).body == big  # under 10 MB: fine


def test_redirects_followed_and_final_url_kept(feed_server):
    feed_server.add("/new/rss.xml", RSS)
    feed_server.add_redirect("/old", "/moved", status=301)
    feed_server.add_redirect("/moved", feed_server.url("/new/rss.xml"), status=308)
    r = one(feed_server.url("/old"))
    assert r.ok and r.body == RSS and r.final_url == feed_server.url("/new/rss.xml")


def _lan_address() -> str | None:
    """This machine's address on its network (not loopback), if it has one: the route a UDP
    socket would take, found without sending anything."""
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        try:
            s.connect(("192.0.2.1", 9))
            ip = s.getsockname()[0]
        except OSError:
            return None
    return None if ip.startswith("127.") or ip == "0.0.0.0" else ip


def test_redirect_into_a_more_private_address_is_refused(feed_server):
    # issue 14 #6: a feed redirecting to http://127.0.0.1:PORT/… (or http://2130706433:PORT/…)
    # put an internal page into the brief. Here the feed lives on this machine's network
    # address and redirects to loopback; a public feed redirecting to either is the same check.
    ip = _lan_address()
    if ip is None:
        pytest.skip("no non-loopback address on this machine")
    from feedserver import FeedServer

    internal = feed_server.add(
        "/internal/admin", b"<rss><channel><title>INTERNAL SECRET</title></channel></rss>"
    )
    lan = FeedServer(host=ip)
    try:
        lan.add_redirect("/plain", internal)
        lan.add_redirect("/decimal", f"http://2130706433:{feed_server.port}/internal/admin")
        lan.add_redirect("/octal", f"http://0177.0.0.1:{feed_server.port}/internal/admin")
        lan.add("/own", RSS)
        lan.add_redirect("/same-reach", lan.url("/own"))
        for path in ("/plain", "/decimal"):
            r = one(lan.url(path))
            assert not r.ok and r.error.startswith("redirect to a loopback or local address refused"), (
                path,
                r.error,
            )
        r = one(lan.url("/octal"))  # httpx already rejects this form
        assert not r.ok and r.error.startswith("redirect to") and "refused" in r.error
        assert feed_server.hits("/internal/admin") == 0
        assert one(lan.url("/same-reach")).ok  # within the feed's own reach: fine
    finally:
        lan.close()


def test_redirect_loop_and_too_many_redirects(feed_server):
    feed_server.add_redirect("/a", "/b")
    feed_server.add_redirect("/b", "/a")
    for i in range(6):
        feed_server.add_redirect(f"/chain{i}", f"/chain{i + 1}")
    feed_server.add("/chain6", RSS)
    loop = one(feed_server.url("/a"))
    assert not loop.ok and loop.error == f"redirect loop at {feed_server.url('/a')}"
    chain = one(feed_server.url("/chain0"))
    assert not chain.ok and chain.error == "too many redirects (more than 3)"
    assert feed_server.hits("/chain4") == 0  # stopped after 3 hops
    assert one(feed_server.url("/chain3")).ok  # exactly 3 hops is allowed


def test_non_http_schemes_refused(feed_server, tmp_path):
    secret = tmp_path / "secret.xml"
    secret.write_bytes(RSS)
    feed_server.add_redirect("/to-file", secret.as_uri())
    feed_server.add_redirect("/to-ftp", "ftp://127.0.0.1/rss.xml")
    feed_server.add_redirect("/to-js", "javascript:alert(1)")
    feed_server.add_redirect("/to-data", "data:application/rss+xml,<rss/>")
    r = one(feed_server.url("/to-file"))
    assert not r.ok and r.body == b"" and r.error == "redirect to file: URL refused (only http/https)"
    assert one(feed_server.url("/to-ftp")).error == "redirect to ftp: URL refused (only http/https)"
    for path in ("/to-js", "/to-data"):
        assert one(feed_server.url(path)).error == "redirect to an invalid or non-http(s) URL refused"
    direct = one(secret.as_uri())
    assert not direct.ok and direct.error == "unsupported URL scheme 'file' (only http/https)"


def test_conditional_get_round_trip(feed_server):
    lm = "Tue, 17 Feb 2026 06:00:00 GMT"
    url = feed_server.add("/rss", RSS, etag='"v1"', last_modified=lm)
    first = one(url)
    assert first.ok and first.validators == Validators(etag='"v1"', last_modified=lm)
    second = one(url, validators=first.validators)
    assert second.ok and second.not_modified and second.status == 304 and second.body == b""
    assert second.validators == first.validators  # kept for the next run
    _, headers = feed_server.requests[-1]
    assert headers["if-none-match"] == '"v1"' and headers["if-modified-since"] == lm
    feed_server.add("/rss", RSS + b" ", etag='"v2"')  # the feed changed
    third = one(url, validators=first.validators)
    assert third.ok and not third.not_modified and third.body == RSS + b" "
    assert third.validators.etag == '"v2"'


def test_last_modified_only_round_trip_and_name_keys(feed_server):
    lm = "Wed, 18 Feb 2026 05:00:00 GMT"
    url = feed_server.add("/lm", RSS, last_modified=lm)
    first = one(url)
    assert first.validators == Validators(etag=None, last_modified=lm)
    assert one(url, validators=first.validators).not_modified
    [by_name] = fetch_all([Source("feed", url)], {"feed": first.validators}, FAST)  # store keyed by name
    assert by_name.not_modified


def test_concurrent_and_order_preserved(feed_server):
    # slowest first: if results were in completion order, they would come back reversed
    sources = []
    for i in range(12):
        sources.append(
            Source(f"s{i}", feed_server.add(f"/f{i}", RSS + f"<!--{i}-->".encode(), delay=0.44 - i * 0.04))
        )
    sources.insert(3, Source("dead", feed_server.url("/nope")))
    t0 = time.monotonic()
    results = fetch_all(sources, settings=FAST)
    wall = time.monotonic() - t0
    assert [r.source for r in results] == sources
    assert results[3].error == "HTTP 404 Not Found"
    assert [r.body for r in results if r.ok] == [RSS + f"<!--{i}-->".encode() for i in range(12)]
    assert wall < 1.2  # sequential would take ~2.6 s


def test_concurrency_limit_is_respected(feed_server):
    sources = [Source(f"s{i}", feed_server.add(f"/c{i}", RSS, delay=0.2)) for i in range(4)]
    t0 = time.monotonic()
    results = fetch_all(sources, settings=FetchSettings(deadline=0.5, concurrency=1))
    assert [r.error for r in results] == [None] * 4  # 0.8 s in all, yet none hit the 0.5 s deadline
    assert time.monotonic() - t0 >= 0.8  # one at a time; the deadline did not start while queued


def test_callable_from_inside_an_event_loop(feed_server):
    url = feed_server.add("/rss", RSS)

    async def inside() -> bool:
        return fetch_all([Source("x", url)], settings=FAST)[0].ok

    assert asyncio.run(inside())
