"""An independent accessibility check of the three HTML documents (blank form, certificate,
assessment report) in headless Chromium: axe-core's WCAG 2.0/2.1 level A and AA rules, and
reflow (WCAG 2.1, 1.4.10), which axe-core cannot test: at 320 CSS pixels wide, what 1280 pixels
zoomed to 400 % leaves, nothing may need scrolling sideways.

axe-core is pinned in tests/crosscheck/package.json (``npm ci`` there installs it). Skipped, with
the reason, where Debian's ``chromium`` or axe-core is not installed. What axe cannot see (the
PDF's own structure, reading order as a screen reader speaks it) is not checked here.
"""

from __future__ import annotations

import datetime as dt
import html as _html
import json
import re
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import intyg
from intyg._render import blank_html, certificate_html
from test_render_browser import CHROMIUM, FLAGS

CROSS = Path(__file__).resolve().parent / "crosscheck"
AXE = CROSS / "node_modules" / "axe-core" / "axe.min.js"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium is not installed"),
]

needs_axe = pytest.mark.skipif(
    not AXE.is_file(),
    reason="axe-core missing (run `npm ci` in tests/crosscheck; .ci/run does)",
)

TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
"""axe-core's rules for WCAG 2.0 and 2.1, levels A and AA."""

EXCLUDED: dict[str, dict[str, str]] = {}
"""Rules left out for one page only, each with the reason: page -> rule id -> why."""

# The page's own Content-Security-Policy forbids every script; the test's copy drops it so that
# axe-core can run. The product keeps it: test_render_safety.py checks it is there.
_CSP = re.compile(r'<meta http-equiv="Content-Security-Policy"[^>]*>\s*')

_RUNNER = """
axe.run(document, %s).then(
  function (result) { report({ violations: result.violations, passes: result.passes.length,
                              version: result.testEngine.version }); },
  function (error) { report({ error: String(error) }); }
);
function report(data) {
  var pre = document.createElement("pre");
  pre.id = "axe-result";
  pre.textContent = JSON.stringify(data);
  document.body.appendChild(pre);
}
"""


def _chromium(page: Path) -> str:
    """Load ``page`` in headless Chromium, let its scripts run; return the DOM it built."""
    with tempfile.TemporaryDirectory() as profile:
        done = subprocess.run(
            [
                str(CHROMIUM),
                *FLAGS,
                f"--user-data-dir={profile}",
                "--virtual-time-budget=10000",
                "--dump-dom",
                page.as_uri(),
            ],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def _result(dom: str, element_id: str) -> Any:
    """The JSON data a page's script left as the text of ``<pre id=element_id>``."""
    found = re.search(f'<pre id="{element_id}">(.*?)</pre>', dom, re.DOTALL)
    assert found, f"the script left no {element_id} in the page"
    return json.loads(_html.unescape(found.group(1)))


def _axe(html: str, tmp_path: Path, disabled: frozenset[str] = frozenset()) -> dict[str, Any]:
    """Run axe-core on ``html`` in headless Chromium; return its result as JSON data."""
    assert _CSP.search(html), "the page has no Content-Security-Policy to take out"
    axe = AXE.read_text(encoding="utf-8")
    assert "</script" not in axe.lower()  # safe to inline
    options = {
        "runOnly": {"type": "tag", "values": TAGS},
        "resultTypes": ["violations"],
        "rules": {rule: {"enabled": False} for rule in sorted(disabled)},
    }
    scripts = f"<script>{axe}</script>\n<script>{_RUNNER % json.dumps(options)}</script>\n"
    page = tmp_path / "sida.html"
    page.write_text(_CSP.sub("", html, count=1).replace("</body>", scripts + "</body>", 1), "utf-8")
    result: dict[str, Any] = _result(_chromium(page), "axe-result")
    assert "error" not in result, result.get("error")
    return result


def _summary(violations: list[dict[str, Any]]) -> str:
    lines = []
    for v in violations:
        targets = [" ".join(map(str, node["target"])) for node in v["nodes"]]
        lines.append(f"{v['id']} ({v['impact']}, {len(targets)} nodes): {targets[:5]}")
    return "\n".join(lines)


def _assessment() -> str:
    html = intyg.render(intyg.example(), assessment=True, on=dt.date(2026, 11, 24))
    assert isinstance(html, str)
    return html


PAGES: dict[str, Callable[[], str]] = {
    "blank": blank_html,
    "certificate": lambda: certificate_html(intyg.example()),
    "assessment": _assessment,
}


@needs_axe
@pytest.mark.parametrize("which", sorted(PAGES))
def test_accessibility_axe_finds_no_violations(which: str, tmp_path: Path) -> None:
    excluded = EXCLUDED.get(which, {})
    result = _axe(PAGES[which](), tmp_path, frozenset(excluded))
    assert result["passes"] > 0  # the rules ran
    pinned = json.loads((CROSS / "package.json").read_text(encoding="utf-8"))
    assert result["version"] == pinned["dependencies"]["axe-core"]  # run `npm ci` again
    assert result["violations"] == [], "\n" + _summary(result["violations"])


@needs_axe
def test_accessibility_axe_reports_violations(tmp_path: Path) -> None:
    # The check above can fail: an image without a text alternative and a question text that is
    # light grey on white are reported.
    html = blank_html().replace(
        "<main>",
        '<main><img src="data:," /><p style="color:#ccc">Fråga</p>',
        1,
    )
    result = _axe(html, tmp_path)
    assert {v["id"] for v in result["violations"]} >= {"image-alt", "color-contrast"}


_DECORATION = """
window.addEventListener("load", function () {
  var notes = document.querySelectorAll(".villkor"), found = [];
  for (var i = 0; i < notes.length; i++) {
    found.push(getComputedStyle(notes[i], "::before").content);
  }
  var pre = document.createElement("pre");
  pre.id = "decoration-result";
  pre.textContent = JSON.stringify(found);
  document.body.appendChild(pre);
});
"""


def test_accessibility_arrow_before_a_condition_is_not_read_aloud(tmp_path: Path) -> None:
    # The arrow before "Ska besvaras om ..." is decoration: its alternative text is empty, so a
    # screen reader does not say "högerpil" before every condition.
    page = tmp_path / "sida.html"
    script = f"<script>{_DECORATION}</script></body>"
    page.write_text(_CSP.sub("", blank_html(), count=1).replace("</body>", script, 1), "utf-8")
    found = _result(_chromium(page), "decoration-result")
    assert found and all(content == '"\u2192\u00a0" / ""' for content in found), found


NARROW = 320
"""CSS pixels: the width WCAG 2.1's reflow criterion asks content to fit."""

# Each page in an iframe NARROW pixels wide (headless Chromium's window is at least 500 pixels
# wide): the page keeps its Content-Security-Policy, the script of the frame around it measures. An element that reaches
# past the edge while its parent does not is named.
_REFLOW = """
window.addEventListener("load", function () {
  var found = {};
  var frames = document.querySelectorAll("iframe");
  for (var i = 0; i < frames.length; i++) {
    var doc = frames[i].contentDocument, width = doc.documentElement.clientWidth, over = [];
    var all = doc.querySelectorAll("body *");
    for (var j = 0; j < all.length; j++) {
      var box = all[j].getBoundingClientRect(), up = all[j].parentElement.getBoundingClientRect();
      if ((box.right > width + 0.5 || box.left < -0.5) && !(up.right > width + 0.5 || up.left < -0.5)) {
        over.push(all[j].tagName.toLowerCase() + "." + all[j].className);
      }
    }
    found[frames[i].name] = { scroll: doc.documentElement.scrollWidth, width: width, over: over };
  }
  var pre = document.createElement("pre");
  pre.id = "reflow-result";
  pre.textContent = JSON.stringify(found);
  document.body.appendChild(pre);
});
"""


def _reflow(pages: dict[str, str], tmp_path: Path) -> dict[str, Any]:
    """Lay each page out NARROW pixels wide; per page, how wide it became and what overflowed."""
    frames = "".join(
        f'<iframe name="{name}" style="border:0;width:{NARROW}px;height:600px" '
        f'srcdoc="{_html.escape(html, quote=True)}"></iframe>'
        for name, html in pages.items()
    )
    page = tmp_path / "ram.html"
    page.write_text(
        f"<!DOCTYPE html><html><body>{frames}<script>{_REFLOW}</script></body></html>", "utf-8"
    )
    found: dict[str, Any] = _result(_chromium(page), "reflow-result")
    assert found.keys() == pages.keys()
    return found


def test_accessibility_reflow_fits_narrow_screen(tmp_path: Path) -> None:
    found = _reflow({name: make() for name, make in PAGES.items()}, tmp_path)
    assert all(page["width"] <= NARROW for page in found.values())
    overflowing = {
        name: page["over"] for name, page in found.items() if page["scroll"] > page["width"]
    }
    assert overflowing == {}


def test_accessibility_reflow_reports_overflow(tmp_path: Path) -> None:
    # The check above can fail: a box of fixed width wider than the screen is found.
    html = blank_html().replace(
        "<main>", '<main><div class="bred" style="width:500px;height:1em"></div>', 1
    )
    found = _reflow({"blank": html}, tmp_path)["blank"]
    assert found["scroll"] > found["width"]
    assert "div.bred" in found["over"]
