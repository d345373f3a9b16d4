"""Shared pytest fixtures. ``feed_server``: a real loopback HTTP server (API in tests/feedserver.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

try:  # works whether or not tests/ becomes a package
    from .feedserver import FeedServer
except ImportError:
    from feedserver import FeedServer


@pytest.fixture
def feed_server() -> Iterator[FeedServer]:
    """A fresh FeedServer on 127.0.0.1 (port 0), closed after the test even if handlers hang."""
    server = FeedServer()
    try:
        yield server
    finally:
        server.close()
