"""Rendering: escaping, user template overrides, `briefing check`, and the PDF as a document."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace
from io import BytesIO
from zoneinfo import ZoneInfo

import yaml
from pypdf import PdfReader

from briefing.commands.check import sample_brief
from briefing.model import SourceRef
from briefing.output.pdf import render_pdf
from briefing.output.render import render_html

TZ = ZoneInfo("Europe/London")


def hostile_brief():
    b = sample_brief("Desk Brief", "Europe/London", "OFFICIAL")
    s = b.sections[0]
    bad = replace(
        s.incidents[0],
        text='<script>alert(1)</script><img src="file:///etc/passwd"> strike',
        sources=(
            SourceRef("Evil <b>Wire</b>", "t", "javascript:alert(1)", s.incidents[0].published),
            SourceRef("Local", "t", "file:///etc/passwd", s.incidents[0].published),
        ),
    )
    return replace(b, sections=(replace(s, incidents=(bad,)), *b.sections[1:]))


def test_feed_text_is_escaped_and_only_http_links_survive():
    html = render_html(hostile_brief(), user_dir=None, tz=TZ)
    assert "<script>alert" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert 'src="file:' not in html and 'href="javascript:' not in html and 'href="file:' not in html
    assert "Evil &lt;b&gt;Wire&lt;/b&gt;" in html


def test_pdf_never_reads_local_files_named_by_feed_text(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT")
    b = sample_brief("Desk Brief", "Europe/London", None)
    html = render_html(b, user_dir=None, tz=TZ, for_pdf=True).replace(
        "</body>",
        f'<img src="file://{secret}"><a rel="attachment" href="file://{secret}">x</a>'
        f'<link rel="stylesheet" href="http://127.0.0.1:9/x.css"></body>',
    )
    pdf = render_pdf(html)
    assert b"TOP-SECRET-CONTENT" not in pdf
    assert "TOP-SECRET-CONTENT" not in "".join(p.extract_text() for p in PdfReader(BytesIO(pdf)).pages)


def test_pdf_is_a_document_with_page_numbers_bookmarks_and_contents():
    b = sample_brief("Desk Brief", "Europe/London", "OFFICIAL - internal")
    pdf = PdfReader(BytesIO(render_pdf(render_html(b, user_dir=None, tz=TZ, for_pdf=True))))
    text = "\n".join(p.extract_text() for p in pdf.pages)
    n = len(pdf.pages)
    assert f"page 1 of {n}" in text and f"page {n} of {n}" in text
    assert "OFFICIAL - INTERNAL" in text.upper() and "Contents" in text and "Key takeaways" in text
    titles = [o.title for o in pdf.outline if not isinstance(o, list)]
    assert {"Key takeaways", "Sources"} <= set(titles) and any(t.startswith("Sampleland") for t in titles)


def test_letter_paper_size():
    b = sample_brief("Desk Brief", "UTC", None)
    pdf = PdfReader(
        BytesIO(render_pdf(render_html(b, user_dir=None, tz=TZ, paper_size="Letter", for_pdf=True)))
    )
    w, h = float(pdf.pages[0].mediabox.width), float(pdf.pages[0].mediabox.height)
    assert (round(w), round(h)) == (612, 792)


def test_user_override_extends_a_builtin_block_and_wins_over_builtins(tmp_path):
    (tmp_path / "brief.html.j2").write_text(
        '{% extends "builtin/brief.html.j2" %}{% block takeaways %}<p class="desk">DESK NOTE</p>{{ super() }}{% endblock %}'
    )
    (tmp_path / "static").mkdir()
    (tmp_path / "static" / "brief.css").write_text("/* house style marker */ body { color: #111; }")
    html = render_html(sample_brief("T", "UTC", None), user_dir=tmp_path, tz=TZ)
    assert "DESK NOTE" in html and "Key takeaways" in html  # extended, not replaced
    assert "house style marker" in html
    assert html.index("DESK NOTE") < html.index("Key takeaways")


def _check(tmp_path, override: str) -> subprocess.CompletedProcess:
    tdir = tmp_path / "tpl"
    tdir.mkdir(exist_ok=True)
    (tdir / "brief.html.j2").write_text(override)
    cfg = tmp_path / "feeds.yaml"
    cfg.write_text(
        yaml.safe_dump({"sources": [{"name": "A", "url": "https://a.example/rss"}], "templates_dir": "tpl"})
    )
    return subprocess.run(
        [sys.executable, "-m", "briefing.cli", "check", "-c", str(cfg)],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_fails_before_six_on_a_broken_override(tmp_path):
    r = _check(
        tmp_path,
        '{% extends "builtin/brief.html.j2" %}{% block takeaways %}{{ brief.no_such_field }}{% endblock %}',
    )
    assert r.returncode == 2 and "no_such_field" in r.stderr and "Traceback" not in r.stderr
    r = _check(tmp_path, "{% if %}")
    assert r.returncode == 2 and "template error" in r.stderr and "brief.html.j2" in r.stderr
    ok = _check(tmp_path, '{% extends "builtin/brief.html.j2" %}')
    assert ok.returncode == 0, ok.stderr
