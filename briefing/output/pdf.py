"""HTML → PDF with WeasyPrint. The only module importing weasyprint.

Brief HTML carries text written by strangers: the renderer must fetch nothing from the
network and read no local file except our own static folder (WeasyPrint would otherwise
fetch any URL and embed local files given `<a rel=attachment>`).
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .render import STATIC_DIR


def _fetcher_class():
    from weasyprint.urls import URLFetcher

    class StaticOnlyFetcher(URLFetcher):
        """Allows `data:` URLs and files under our static folder; refuses everything else."""

        def __init__(self, static_dir: Path = STATIC_DIR):
            super().__init__(allowed_protocols=("data", "file"), allow_redirects=False, timeout=2)
            self._root = os.path.realpath(static_dir)

        def fetch(self, url, headers=None):
            scheme = url.split(":", 1)[0].lower()
            if scheme == "file":
                path = os.path.realpath(unquote(urlsplit(url).path))
                if os.path.commonpath([path, self._root]) != self._root:
                    raise ValueError(f"refused to read a file outside the static folder: {url[:80]}")
            elif scheme != "data":
                raise ValueError(f"refused to fetch {url[:80]}")
            return super().fetch(url, headers)

    return StaticOnlyFetcher


def render_pdf(html: str) -> bytes:
    import logging

    from weasyprint import HTML

    # WeasyPrint logs every refused URL as a warning; our fetcher refusing is the point.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("weasyprint.progress").setLevel(logging.ERROR)
    doc = HTML(string=html, base_url=STATIC_DIR.as_uri() + "/", url_fetcher=_fetcher_class()())
    return doc.write_pdf()
