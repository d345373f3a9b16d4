"""Security helpers of the preview server: the CSP for a page, loopback checks, the access
token, and the same-origin check for POSTs. Pure functions over bytes and headers."""

from __future__ import annotations

import base64
import hashlib
import hmac
import html
import ipaddress
import re
from urllib.parse import urlsplit

STYLE_EL = re.compile(r"<style[^>]*>(.*?)</style>", re.S | re.I)
STYLE_ATTR = re.compile(r"""\sstyle="([^"]*)\"""", re.I)
TOKEN_COOKIE = "briefing_token"


def csp(body: bytes) -> str:
    """A strict policy; the page's own <style> blocks (from our trusted templates — feed text is
    escaped and cannot open one) are allowed by hash, so no 'unsafe-inline' is needed."""
    text = body.decode("utf-8", "replace")

    def h(s: str) -> str:
        return "'sha256-" + base64.b64encode(hashlib.sha256(s.encode()).digest()).decode() + "'"

    styles = sorted({h(s) for s in STYLE_EL.findall(text)})
    attrs = sorted({h(html.unescape(s)) for s in STYLE_ATTR.findall(text)})
    style_src = " ".join(["'self'", *styles, *(["'unsafe-hashes'", *attrs] if attrs else [])])
    return (
        f"default-src 'none'; style-src {style_src}; img-src data:; form-action 'self'; "
        "frame-ancestors 'none'; base-uri 'none'"
    )


def is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


def host_allowed(host_header: str | None, bound_to_loopback: bool) -> bool:
    """Against DNS rebinding: a loopback server answers only to loopback host names (a page on
    attacker.example rebound to 127.0.0.1 still sends `Host: attacker.example`)."""
    if not bound_to_loopback:
        return True
    host = (host_header or "").strip().lower()
    host = host[1 : host.find("]")] if host.startswith("[") else host.rsplit(":", 1)[0]
    return is_loopback(host)


def cookie_value(token: str) -> str:
    """What the cookie holds: a digest, so any token characters are cookie-safe and the token
    itself is not stored in the browser."""
    return hashlib.sha256(b"briefing-serve:" + token.encode()).hexdigest()


def token_check(want: str | None, query_token: str, cookie_header: str | None) -> tuple[bool, bool]:
    """(allowed, came from ?token=). Constant-time comparisons."""
    if not want:
        return True, False
    if query_token and hmac.compare_digest(query_token.encode(), want.encode()):
        return True, True
    for part in (cookie_header or "").split(";"):
        k, _, v = part.strip().partition("=")
        if k == TOKEN_COOKIE and hmac.compare_digest(v.encode(), cookie_value(want).encode()):
            return True, False
    return False, False


def same_origin(headers, csrf_given: str, csrf_want: str) -> bool:
    """A POST must carry our CSRF token and nothing may mark it cross-site. (With
    Referrer-Policy no-referrer a same-origin form POST sends `Origin: null`, so the token is
    the real check and Origin/Sec-Fetch-Site are belt and braces.)"""
    if not hmac.compare_digest(csrf_given.encode(), csrf_want.encode()):
        return False
    if headers.get("Sec-Fetch-Site", "same-origin") not in ("same-origin", "none"):
        return False
    origin = headers.get("Origin")
    if origin and origin != "null":
        return urlsplit(origin).netloc == (headers.get("Host") or "")
    return True
