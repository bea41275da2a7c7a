"""A look in a real browser: headless Chromium opens the HTML without console errors.

Skipped, with the reason, where Debian's ``chromium`` is not installed.
"""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

import pytest

import intyg
from intyg._render import blank_html, certificate_html
from render_support import payload_certificates

CHROMIUM = Path("/usr/bin/chromium")

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium is not installed"),
]

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--enable-logging=stderr",
    "--v=0",
]


def _open(html: str, tmp_path: Path) -> tuple[str, list[str]]:
    """Let Chromium load the page; return the DOM it built and its console messages."""
    page = tmp_path / "sida.html"
    page.write_text(html, encoding="utf-8")
    with tempfile.TemporaryDirectory() as profile:
        done = subprocess.run(
            [str(CHROMIUM), *FLAGS, f"--user-data-dir={profile}", "--dump-dom", page.as_uri()],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    assert done.returncode == 0, done.stderr[-2000:]
    # Only the page's own console messages ("..., source: file:///.../sida.html (line)"): what
    # Chromium itself logs changes between its releases and says nothing about the page.
    source = f"source: {page.as_uri()} ("
    console = [line for line in done.stderr.splitlines() if ":CONSOLE" in line and source in line]
    return done.stdout, console


def _pages() -> dict[str, str]:
    return {
        "blank": blank_html(),
        "certificate": certificate_html(intyg.example_json()),
        "payloads": certificate_html(payload_certificates()[0][0]),
    }


@pytest.mark.parametrize("which", ["blank", "certificate", "payloads"])
def test_browser_renders_html_without_console_errors(which: str, tmp_path: Path) -> None:
    dom, console = _open(_pages()[which], tmp_path)
    assert console == []
    assert intyg.get_form().title in dom
    assert "<script" not in dom.split("</head>", 1)[1]


def test_browser_reports_blocked_markup(tmp_path: Path) -> None:
    # The check above can fail: an injected script is blocked and reported on the console.
    html = blank_html().replace("<main>", '<main><script>console.log("x")</script>', 1)
    _, console = _open(html, tmp_path)
    assert console
