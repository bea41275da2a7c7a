"""Helpers for the rendering tests: text of HTML and PDF, payloads, certificates that fill fields."""

from __future__ import annotations

import copy
import html as _html
import io
import re
import shutil
import subprocess
import tempfile
import warnings
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

import intyg
from intyg._render._filled import format_personid
from intyg._tree import Node, question_tree
from intyg._v1._model import Intyg


def require_weasyprint() -> None:
    """Skip the calling test, or module, when WeasyPrint cannot make a PDF here: not installed
    (the pdf extra), or installed without the system libraries it loads (Pango), which makes
    its import fail with OSError rather than ImportError. ``.ci/run`` installs both."""
    try:
        with warnings.catch_warnings():  # its notice about HarfBuzz-Subset, as intyg does
            warnings.simplefilter("ignore", DeprecationWarning)
            import weasyprint  # noqa: F401
    except ImportError:
        pytest.skip("WeasyPrint (the pdf extra) is not installed", allow_module_level=True)
    except OSError:
        pytest.skip(
            "WeasyPrint cannot load Pango (Debian: apt-get install libpango-1.0-0 "
            "libpangoft2-1.0-0)",
            allow_module_level=True,
        )


_WS = re.compile(r"\s+")


def norm(text: str) -> str:
    """Collapse every run of white space to one space (line breaks differ between outputs)."""
    return _WS.sub(" ", text).strip()


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("style", "script", "title"):
            self._skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "script", "title"):
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def html_text(html: str) -> str:
    """The visible text of an HTML page (entities decoded), white space normalised."""
    parser = _Text()
    parser.feed(html)
    parser.close()
    return norm(" ".join(parser.parts))


def parse_xhtml(html: str) -> ET.Element:
    """Parse the page as XML: proves it is well-formed (every element closed, nothing stray)."""
    body = html.split("\n", 1)[1] if html.startswith("<!DOCTYPE html>") else html
    return ET.fromstring(body)


def pdf_pages(pdf: bytes) -> list[str]:
    """The text of each page of a PDF without any white space (compare with :func:`squeeze`).

    Where a text extractor puts spaces depends on its release (pypdf 7.0 read "T olvan" where
    7.1 reads "Tolvan"), so the tests compare the characters, in order, and not the spacing.
    """
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf))
    return [squeeze(page.extract_text() or "") for page in reader.pages]


@dataclass(frozen=True)
class Word:
    """A word of a PDF page and its box, in points from the top left corner of the page."""

    text: str
    x0: float
    y0: float
    x1: float
    y1: float


@dataclass(frozen=True)
class PageWords:
    """The size of a PDF page and the words on it, in reading order."""

    width: float
    height: float
    words: tuple[Word, ...]

    def text(self) -> str:
        return " ".join(w.text for w in self.words)


_PAGE = re.compile(r'<page width="([0-9.]+)" height="([0-9.]+)">(.*?)</page>', re.DOTALL)
_WORD = re.compile(
    r'<word xMin="([0-9.-]+)" yMin="([0-9.-]+)" xMax="([0-9.-]+)" yMax="([0-9.-]+)">(.*?)</word>'
)


@contextmanager
def poppler_input(tool: str, pdf: bytes) -> Iterator[tuple[str, Path]]:
    """Poppler's ``tool`` (its path) and ``pdf`` written to a file in a temporary folder, which
    the tool may also write to. Skips the test when the tool (poppler-utils) is missing."""
    exe = shutil.which(tool)
    if exe is None:
        pytest.skip(f"{tool} (poppler-utils) is not installed")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "doc.pdf"
        path.write_bytes(pdf)
        yield exe, path


def pdf_words(pdf: bytes) -> list[PageWords]:
    """The words of each page with their boxes, from poppler's ``pdftotext -bbox``.

    Like any reader of the page, pdftotext leaves out what is drawn beyond the page's edge, so a
    word that runs off the page comes back short. Skips the test when pdftotext is missing.
    """
    with poppler_input("pdftotext", pdf) as (exe, path):
        out = subprocess.run(
            [exe, "-bbox", "-enc", "UTF-8", str(path), "-"],
            check=True,
            capture_output=True,
        ).stdout.decode("utf-8")
    pages: list[PageWords] = []
    for width, height, body in _PAGE.findall(out):
        words = tuple(
            Word(_html.unescape(t), float(a), float(b), float(c), float(d))
            for a, b, c, d, t in _WORD.findall(body)
        )
        pages.append(PageWords(float(width), float(height), words))
    return pages


def squeeze(text: str) -> str:
    """``text`` without any white space: a word broken over lines reads the same as a whole."""
    return _WS.sub("", text)


def questions(model: type = Intyg) -> Iterator[Node]:
    """Every question and group of the form, in order."""
    for top in question_tree(model):
        yield from top.walk()


def questions_missing_from(text: str, same: Callable[[str], str] = norm) -> list[str]:
    """The linkIds of the questions whose title or help text is not in ``text``; ``same`` gives
    text in the form ``text`` has (:func:`norm` for HTML, :func:`squeeze` for PDF)."""
    return [
        node.link_id
        for node in questions()
        if same(node.title) not in text or (node.help and same(node.help) not in text)
    ]


PAYLOADS = (
    "<script>alert('x')</script>",
    '<img src="file:///etc/passwd">',
    '<link rel="stylesheet" href="http://127.0.0.1:9/x.css">',
    "<style>@import url(http://127.0.0.1:9/a.css);</style>",
    "p{background:url(file:///etc/passwd)} & \"'",
)
"""Markup and CSS that must be printed as text, never acted on."""


def full_certificate() -> dict[str, Any]:
    """The example with every optional and conditional question answered."""
    data = copy.deepcopy(intyg.example())
    data["grund"]["underlag"].append(
        {"typ": "ANNAT", "datum": "2026-11-19", "beskrivning": "Utlåtande från arbetsterapeut."}
    )
    data["ersatter"] = "0f1c2b9e-3d4a-4c5b-9e8f-1a2b3c4d5e60"
    return data


def long_name_certificate(name: str) -> dict[str, Any]:
    """The full certificate for a patient with the name ``name``."""
    data = full_certificate()
    data["patient"]["namn"] = name
    return data


LONG_TOKEN = "X" + "b" * 88 + "Z"
"""A 90-character word with no place to break it."""

LONG_URL = "https://example.org/" + "/".join(f"underlag{i}-utlatande" for i in range(20)) + "/slut"
"""A URL of close to 500 characters (the limit of the description of a basis), one word."""


def long_word_certificate() -> dict[str, Any]:
    """The full certificate with unbreakable words in table cells: diagnosis text, basis."""
    data = full_certificate()
    data["diagnoser"][0]["text"] = LONG_TOKEN
    data["grund"]["underlag"][-1]["beskrivning"] = LONG_URL
    return data


def rich_certificate() -> dict[str, Any]:
    """The full certificate with every list at its longest: an assessment report of many pages,
    with an activity type taller than a page."""
    data = full_certificate()
    data["sysselsattning"]["typ"] = ["ARBETE", "JOBBSOKANDE", "SPRAKINSATS", "KOMPETENSHOJANDE"]
    data["funktionsnedsattning"]["icf"] = [
        {"kod": f"b{100 + 3 * k}", "grad": k % 5} for k in range(20)
    ]
    data["aktivitetsbegransning"]["icf"] = [
        {"kod": f"d{1000 + 71 * k}", "grad": (k + 2) % 5} for k in range(20)
    ]
    data["patient"]["namn"] = "Åsa-Märta Ölund-" + "Abcdefghij" * 18 + "Abcd"
    return data


def free_text_paths(data: dict[str, Any]) -> list[tuple[list[str | int], Node]]:
    """Paths in ``data`` of every free-text answer present (first item of a repeating group)."""
    out: list[tuple[list[str | int], Node]] = []

    def visit(nodes: tuple[Node, ...], value: Any, path: list[str | int]) -> None:
        for node in nodes:
            if not isinstance(value, dict) or node.key not in value:
                continue
            here = [*path, node.key]
            v = value[node.key]
            if node.kind == "group" and node.repeats:
                for i, item in enumerate(v):
                    visit(node.children, item, [*here, i])
            elif node.kind == "group":
                visit(node.children, v, here)
            elif node.kind in ("string", "text") and node.pattern in (None, r"\S"):
                out.append((here, node))

    visit(question_tree(Intyg), data, [])
    return out


def set_path(data: dict[str, Any], path: list[str | int], value: Any) -> None:
    """Set ``value`` at ``path`` (keys and list indices) inside ``data``."""
    target: Any = data
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = value


def certificate_variants() -> list[dict[str, Any]]:
    """Certificates that together answer every question: answers that exclude each other."""
    other = full_certificate()
    other["prognos"] = {"typ": "KAN_EJ_BEDOMAS", "motivering": "Utredning pågår."}
    return [full_certificate(), other]


def payload_certificates() -> list[tuple[dict[str, Any], list[str]]]:
    """Certificates with markup payloads in every free-text field, each with the texts put in."""
    return [_with_payloads(data) for data in certificate_variants()]


def _with_payloads(data: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    texts: list[str] = []
    for i, (path, node) in enumerate(free_text_paths(data)):
        limit = node.max_length or 100
        combined = " ".join(PAYLOADS)
        text = combined if len(combined) <= limit else PAYLOADS[i % len(PAYLOADS)]
        assert len(text) <= limit
        set_path(data, path, text)
        texts.append(text)
    return data, texts


def expected_values(data: dict[str, Any]) -> list[str]:
    """Every answered value of a certificate as it should be printed."""
    cert = intyg.load(data)
    nodes = {n.link_id: n for n in questions()}
    out: list[str] = []

    def visit(value: Any, link: str) -> None:
        if isinstance(value, dict):
            for k, v in value.items():
                visit(v, f"{link}.{k}" if link else k)
        elif isinstance(value, list):
            for v in value:
                visit(v, link)
        elif link in nodes:
            node = nodes[link]
            if isinstance(value, bool):
                out.append("Ja" if value else "Nej")
            elif node.kodverk is not None:
                out.append(node.kodverk.codes[value])
            elif link == "patient.personid":
                out.append(format_personid(cert.patient.personid))
            else:
                out.append(str(value))

    visit(data, "")
    return out


def sample_assessment() -> dict[str, Any]:
    """An assessment in the JSON form of ``Assessment.model_dump(mode="json")``."""
    return {
        "schemaversion": "1.0.0",
        "intygsid": "6f1c2b9e-3d4a-4c5b-9e8f-1a2b3c4d5e6f",
        "bedomningsdatum": "2026-11-20",
        "regelverk": {
            "id": "sol-2025-400",
            "titel": "Socialtjänstlagen, ekonomiskt bistånd",
            "version": "1.0.0",
            "status": "forslag",
            "giltig_fran": "2026-07-01",
            "giltig_till": None,
            "forsta_period": "2026-10-01",
            "bygger_pa": None,
            "checksumma": "ab" * 32,
        },
        "motorversion": "0.1.0",
        "meddelande": "Stöd, inte beslut: handläggaren beslutar.",
        "aktiviteter": [
            {
                "typ": "SPRAKINSATS",
                "niva": "KAN_DELTA_DELVIS",
                "niva_intervall": {"lagsta": "KAN_DELTA_DELVIS", "hogsta": "KAN_DELTA_DELVIS"},
                "timmar_per_vecka": 10.0,
                "timmar_bas": 40,
                "perioder": [
                    {
                        "fran": "2026-11-18",
                        "till": "2026-12-31",
                        "omfattning": 75,
                        "timmar_per_vecka": 10.0,
                    },
                    {
                        "fran": "2027-01-01",
                        "till": "2027-02-28",
                        "omfattning": 50,
                        "timmar_per_vecka": 20.0,
                    },
                ],
                "anpassningar": [
                    {"kod": "ANPASSAD_TID", "text": "Anpassad tid", "kalla": "intyg"},
                    {
                        "kod": "STOD_HANDLEDNING",
                        "text": "Stöd eller handledning",
                        "kalla": "kravprofil",
                    },
                ],
                "begransningar": [
                    {
                        "kod": "d230",
                        "grad": 2,
                        "omrade": "Daglig rutin",
                        "krav": "hog",
                        "lista": "aktivitetsbegransning",
                    },
                ],
                "skal": [{"regel": "NIVA-1", "utfall": "sant", "text": "Förhindrad till 75 %."}],
            },
            {
                "typ": "ARBETE",
                "niva": "UNDERLAG_OTILLRACKLIGT",
                "niva_intervall": {"lagsta": "FORHINDRAD", "hogsta": "KAN_DELTA_DELVIS"},
                "timmar_per_vecka": None,
                "timmar_bas": 40,
                "perioder": [],
                "anpassningar": [],
                "begransningar": [],
                "skal": [{"regel": "NIVA-2", "utfall": "okant", "text": "Omfattning saknas."}],
            },
        ],
        "fynd": [
            {
                "regel": "FYND-PERIOD",
                "utfall": "okant",
                "allvarlighet": "komplettering",
                "meddelande": "Intyget anger inte hur länge förhindret varar.",
                "fraga": "Hur länge bedömer du att förhindret varar?",
                "falt": ["bedomning.perioder"],
                "varden": [{"namn": "bedomning.perioder", "varde": None}],
                "kallor": ["sol-12-1"],
                "aktiviteter": ["ARBETE"],
            }
        ],
        "nasta_steg": [
            {
                "regel": "STEG-SIP",
                "aktor": "region",
                "medverkande": ["socialnamnd"],
                "text": "Kalla till en samordnad individuell plan (SIP).",
                "kallor": ["sol-10-8"],
            }
        ],
        "uppfoljning": {
            "datum": "2027-02-28",
            "skal": "Sista dagen i intygets sista period.",
            "jamstalldhet": "Redovisa uppföljningen uppdelad på kön.",
        },
        "kallor": [
            {
                "id": "sol-12-1",
                "hanvisning": "12 kap. 1 § socialtjänstlagen (2025:400)",
                "titel": "Socialtjänstlag",
                "typ": "lag",
                "status": "gallande",
                "verifiering": "V",
            },
            {
                "id": "prop-aktivitetskrav",
                "hanvisning": "Lagrådsremiss om aktivitetskrav",
                "titel": "Aktivitetskrav för personer med försörjningsstöd",
                "typ": "forslag",
                "status": "forslag",
                "verifiering": "att_verifiera",
            },
        ],
        "regelutfall": [{"regel": "NIVA-1", "aktivitet": "SPRAKINSATS", "utfall": "sant"}],
    }
