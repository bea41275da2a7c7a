"""Printable forms as PDF: text extractable, PDF/A, fonts embedded, tagged, page numbers.

PDF layout is slow, so each document is rendered once per session.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import itertools
import json
import re
import subprocess
import sys
import warnings
from typing import Any

import pytest

import intyg
from intyg._render import render
from intyg._render._filled import format_personid
from render_support import (
    expected_values,
    free_text_paths,
    full_certificate,
    pdf_pages,
    questions_missing_from,
    require_weasyprint,
    set_path,
    squeeze,
)

require_weasyprint()
pypdf = pytest.importorskip("pypdf", reason="pypdf (the test extra) is not installed")


@pytest.fixture(scope="session")
def certificate_pdf() -> bytes:
    return render(full_certificate(), format="pdf")


@pytest.fixture(scope="session")
def blank_pdf() -> bytes:
    return render(blank=True, format="pdf")


@pytest.fixture(scope="session")
def long_texts() -> tuple[bytes, list[str]]:
    """A certificate with every long free text at its maximum length, and those texts."""
    data = full_certificate()
    texts: list[str] = []
    for i, (path, node) in enumerate(free_text_paths(data)):
        if node.kind != "text" or node.max_length is None:
            continue
        words = [f"ord{i}x{j}" for j in range(node.max_length)]
        text = " ".join(words)[: node.max_length - 5].rsplit(" ", 1)[0] + " SLUT"
        set_path(data, path, text)
        texts.append(text)
    return render(data, format="pdf"), texts


def _all_text(pdf: bytes) -> str:
    return "".join(pdf_pages(pdf))


def test_certificate_pdf_contains_every_answer(certificate_pdf: bytes) -> None:
    text = _all_text(certificate_pdf)
    for value in expected_values(full_certificate()):
        assert squeeze(value) in text, value


def test_blank_pdf_contains_every_question(blank_pdf: bytes) -> None:
    assert questions_missing_from(_all_text(blank_pdf), squeeze) == []


def test_certificate_pdf_names_form_version_and_id(certificate_pdf: bytes) -> None:
    first = pdf_pages(certificate_pdf)[0]
    data = full_certificate()
    assert data["formular"]["version"] in first
    assert data["intygsid"] in first
    assert squeeze(intyg.get_form().title) in first


def test_certificate_pdf_patient_on_every_page(long_texts: tuple[bytes, list[str]]) -> None:
    pages = pdf_pages(long_texts[0])
    pid = format_personid(intyg.load(full_certificate()).patient.personid)
    assert len(pages) > 2
    for page in pages:
        assert pid in page


def test_certificate_pdf_long_texts_flow_untruncated(long_texts: tuple[bytes, list[str]]) -> None:
    pdf, texts = long_texts
    text = _all_text(pdf)
    assert texts
    for t in texts:
        # Every word in order; page headers and footers may stand between two pages' parts.
        pos = 0
        for word in t.split():
            found = text.find(word, pos)
            assert found >= 0, word
            pos = found + len(word)


def test_pdf_keeps_line_breaks_of_free_text_in_tables() -> None:
    # Free text shown in a table cell (an underlag's description, a diagnosis text) keeps the
    # writer's lines, as the long answers do; the page's text has each line on its own.
    from pypdf import PdfReader

    data = full_certificate()
    data["grund"]["underlag"][-1]["beskrivning"] = "Underlagsrad ett\nUnderlagsrad två"
    data["diagnoser"][0]["text"] = "Diagnosrad ett\nDiagnosrad två"
    pdf = render(data, format="pdf", pdf_variant="plain")
    lines = [
        line.strip()
        for page in PdfReader(io.BytesIO(pdf)).pages
        for line in (page.extract_text() or "").splitlines()
    ]
    for first, second in [
        ("Underlagsrad ett", "Underlagsrad två"),
        ("Diagnosrad ett", "Diagnosrad två"),
    ]:
        [at] = [i for i, line in enumerate(lines) if line.endswith(first)]
        assert lines[at + 1].startswith(second)


@pytest.mark.parametrize("which", ["certificate", "blank"])
def test_pdf_page_numbers_count_all_pages(
    which: str, certificate_pdf: bytes, blank_pdf: bytes
) -> None:
    pdf = certificate_pdf if which == "certificate" else blank_pdf
    pages = pdf_pages(pdf)
    n = len(pages)
    assert n >= 1  # else the loop below checks nothing
    for i, page in enumerate(pages, start=1):
        assert squeeze(f"Sida {i} av {n}") in page


def _reader(pdf: bytes) -> Any:
    return pypdf.PdfReader(io.BytesIO(pdf))


def test_pdf_declares_pdfa(certificate_pdf: bytes) -> None:
    reader = _reader(certificate_pdf)
    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode("utf-8")
    assert re.search(r"pdfaid:part(>|=\")2", xmp)
    assert re.search(r"pdfaid:conformance(>|=\")B", xmp)
    intents = reader.trailer["/Root"]["/OutputIntents"]
    assert intents[0].get_object()["/S"] == "/GTS_PDFA1"


def _fonts(reader: Any) -> list[Any]:
    out = []
    for page in reader.pages:
        fonts = page["/Resources"].get("/Font", {})
        for ref in fonts.values():
            font = ref.get_object()
            if font.get("/Subtype") == "/Type0":
                font = font["/DescendantFonts"][0].get_object()
            out.append(font)
    return out


def test_pdf_embeds_every_font(certificate_pdf: bytes, blank_pdf: bytes) -> None:
    for pdf in (certificate_pdf, blank_pdf):
        fonts = _fonts(_reader(pdf))
        assert fonts
        for font in fonts:
            descriptor = font["/FontDescriptor"].get_object()
            assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))


def test_pdf_is_tagged(certificate_pdf: bytes) -> None:
    root = _reader(certificate_pdf).trailer["/Root"]
    assert root["/MarkInfo"]["/Marked"]
    assert "/StructTreeRoot" in root
    assert str(root["/Lang"]).startswith("sv")


def _headings(node: Any) -> list[int]:
    """The heading levels (H1-H6) in the PDF's structure tree, in its (reading) order."""
    node = node.get_object()
    tag = str(node.get("/S", ""))
    found = [int(tag[2])] if re.fullmatch(r"/H[1-6]", tag) else []
    kids = node.get("/K", [])
    for kid in kids if isinstance(kids, list) else [kids]:
        kid = kid.get_object() if hasattr(kid, "get_object") else kid
        if hasattr(kid, "get") and kid.get("/Type") not in ("/MCR", "/OBJR"):
            found += _headings(kid)
    return found


@pytest.mark.parametrize("which", ["blank", "certificate", "assessment"])
def test_pdf_structure_follows_the_html_for_a_screen_reader(which: str) -> None:
    # What a screen reader finds in the PDF: the document's title shown instead of its file
    # name, and the headings of the HTML, in its order, with no level skipped (one H1, first).
    args: dict[str, Any] = {
        "blank": {"blank": True},
        "certificate": {"source": intyg.example()},
        "assessment": {
            "source": intyg.example(),
            "assessment": True,
            "on": dt.date(2026, 11, 24),
        },
    }[which]
    html = render(**args)
    reader = _reader(render(**args, format="pdf"))
    root = reader.trailer["/Root"]
    assert root["/ViewerPreferences"]["/DisplayDocTitle"]
    title = re.search(r"<title>(.*?)</title>", str(html), re.DOTALL)
    assert title and reader.metadata.title == title.group(1).strip()
    levels = _headings(root["/StructTreeRoot"])
    assert levels == [int(n) for n in re.findall(r"<h([1-6])\b", str(html))]
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(b <= a + 1 for a, b in itertools.pairwise(levels))


def test_pdf_plain_variant_is_not_pdfa() -> None:
    pdf = render(blank=True, format="pdf", pdf_variant="plain")
    root = _reader(pdf).trailer["/Root"]
    assert "/OutputIntents" not in root


def test_pdf_without_weasyprint_raises_pdf_unavailable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "weasyprint", None)
    with pytest.raises(intyg.IntygError) as exc:
        render(blank=True, format="pdf")
    assert exc.value.codes == ["pdf_unavailable"]
    # what is missing is kept for whoever installs (it names no person)
    assert isinstance(exc.value.__cause__, ImportError)


def test_pdf_that_fails_in_weasyprint_names_the_kind_of_error_not_its_text(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import weasyprint

    secret = "Tolvan Tolvansson 191212121212"

    def fail(*_args: Any, **_kwargs: Any) -> bytes:
        raise ValueError(secret)

    monkeypatch.setattr(weasyprint.HTML, "write_pdf", fail)
    with pytest.raises(intyg.RenderError) as exc:
        render(intyg.example(), format="pdf")
    assert exc.value.codes == ["render_failed"]
    assert "ValueError" in str(exc.value) and "Tolvan" not in str(exc.value)
    assert exc.value.__cause__ is None and exc.value.__suppress_context__


def test_html_render_does_not_import_weasyprint(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "weasyprint", None)
    assert render(copy.deepcopy(intyg.example())).startswith("<!DOCTYPE html>")


def test_pdf_leaves_the_process_warning_filters_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    # The filter list is the whole process's, swapped without a lock by catch_warnings: PDFs
    # made in several threads at once could leave an application's own filters changed.
    # Calls from intyg's own code are recorded (the libraries below it are not intyg's to judge).
    calls: list[str] = []

    def recorder(name: str, real: Any) -> Any:
        def call(*args: Any, **kwargs: Any) -> Any:
            caller = sys._getframe(1).f_globals.get("__name__", "")
            if caller == "intyg" or caller.startswith("intyg."):
                calls.append(f"{caller}: warnings.{name}")
            return real(*args, **kwargs)

        return call

    for name in ("catch_warnings", "simplefilter", "filterwarnings", "resetwarnings"):
        monkeypatch.setattr(warnings, name, recorder(name, getattr(warnings, name)))
    before = list(warnings.filters)
    render(intyg.example(), format="pdf")
    assert calls == []
    assert warnings.filters == before


def test_pdf_logs_no_warning_from_weasyprint(caplog: pytest.LogCaptureFixture) -> None:
    # The stylesheet's narrow-screen rule asked a media feature, which WeasyPrint does not
    # read: it logged two warnings for every PDF, into the log of whoever runs it.
    cert = intyg.load(intyg.example_json())
    with caplog.at_level("INFO", logger="weasyprint"):
        render(cert, format="pdf")
        render(cert, format="pdf", assessment=True)
    assert [r for r in caplog.records if r.levelno >= 30] == []


def _python(script: str) -> subprocess.CompletedProcess[str]:
    """``script`` run by a fresh interpreter (WeasyPrint not yet loaded), its output as text."""
    return subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=False
    )


_NO_PANGO = """
import cffi
_dlopen = cffi.FFI.dlopen
def dlopen(self, name, *args, **kwargs):
    if name and "pango" in str(name):
        raise OSError(f"cannot load library {name!r} (made to fail by the test)")
    return _dlopen(self, name, *args, **kwargs)
cffi.FFI.dlopen = dlopen
"""


def test_pdf_without_pango_says_nothing_on_standard_output() -> None:
    # WeasyPrint prints advice to stdout when a system library is missing: in a PDF written to
    # stdout, or a host's own protocol there, it does not belong.
    pytest.importorskip("cffi")
    library = _NO_PANGO + (
        "import intyg\n"
        "try:\n"
        "    intyg.render(blank=True, format='pdf')\n"
        "except intyg.RenderError as exc:\n"
        "    import sys\n"
        "    cause = exc.__cause__\n"
        "    sys.stderr.write(repr((exc.codes, type(cause).__name__, bool(cause.__notes__))))\n"
    )
    done = _python(library)
    assert done.returncode == 0, done.stderr
    assert done.stdout == ""
    assert done.stderr == repr((["pdf_unavailable"], "OSError", True))
    command = _NO_PANGO + "from intyg._cli import main\nraise SystemExit(main(['render', "
    command += "'--example', '--format', 'pdf']))\n"
    done = _python(command)
    assert done.returncode == 1
    assert done.stdout == ""
    assert "[pdf_unavailable]" in done.stderr


def test_loading_weasyprint_keeps_other_threads_output() -> None:
    # Only the importing thread's output is held back: a host thread printing meanwhile
    # loses nothing.
    script = (
        "import sys, threading\n"
        "from intyg._render import _pdf\n"
        "done = threading.Event()\n"
        "def talk():\n"
        "    n = 0\n"
        "    while not done.is_set() or n < 50:\n"
        "        print('host line', n); n += 1\n"
        "    sys.stderr.write(str(n))\n"
        "t = threading.Thread(target=talk); t.start()\n"
        "_pdf._weasyprint(); done.set(); t.join()\n"
    )
    done = _python(script)
    assert done.returncode == 0, done.stderr
    assert done.stdout.count("host line") == int(done.stderr)


def test_first_pdfs_in_two_threads_at_once_leave_standard_output_as_it_was() -> None:
    # Without warm_up, two requests that make the first PDFs together each held back
    # WeasyPrint's output: the one that ended last put the other's stand-in back for good, and
    # a thread's print() went into a buffer no one read.
    script = (
        "import sys, threading, intyg\n"
        "real = sys.stdout\n"
        "model = intyg.load(intyg.example())\n"
        "both = threading.Barrier(2)\n"
        "def job():\n"
        "    both.wait()\n"
        "    intyg.render(model, format='pdf')\n"
        "t = threading.Thread(target=job); t.start(); job(); t.join()\n"
        "assert sys.stdout is real, type(sys.stdout)\n"
        "print('still on stdout')\n"
    )
    for _ in range(2):  # the race was lost in nearly every run; twice makes a miss unlikely
        done = _python(script)
        assert done.returncode == 0, done.stderr[-2000:]
        assert done.stdout.strip() == "still on stdout"


def test_loading_weasyprint_without_any_standard_output() -> None:
    # pythonw or a daemon: sys.stdout is None, and print() writes nowhere. Another thread that
    # prints while WeasyPrint loads must not find something else there that fails.
    script = (
        "import sys, threading\n"
        "sys.stdout = None\n"
        "from intyg._render import _pdf\n"
        "done, failed = threading.Event(), []\n"
        "def talk():\n"
        "    while not done.is_set():\n"
        "        try:\n"
        "            print('host line')\n"
        "        except Exception as exc:\n"
        "            failed.append(exc)\n"
        "t = threading.Thread(target=talk); t.start()\n"
        "_pdf._weasyprint(); done.set(); t.join()\n"
        "assert not failed, failed[:1]\n"
    )
    done = _python(script)
    assert done.returncode == 0, done.stderr


def _pdfa_of(pdf: bytes) -> tuple[str, str]:
    """The PDF/A part and conformance a PDF declares in its XMP metadata ("" when none)."""
    xmp = _reader(pdf).trailer["/Root"]["/Metadata"].get_object().get_data().decode("utf-8")
    part = re.search(r"pdfaid:part(?:>|=\")(\d)", xmp)
    conformance = re.search(r"pdfaid:conformance(?:>|=\")(\w)", xmp)
    return (part[1] if part else "", conformance[1] if conformance else "")


@pytest.mark.parametrize(
    ("source", "variant", "declared"),
    [
        (["--blank"], None, ("2", "B")),  # the default, as in the library
        (["--blank"], "pdf/a-3u", ("3", "U")),
        (["--example"], "pdf/a-3u", ("3", "U")),
        (["STORED", "--assessment"], "pdf/a-3u", ("3", "U")),
    ],
    ids=["default", "blank", "certificate", "stored_assessment"],
)
def test_cli_pdf_variant_holds_for_every_kind_of_document(
    tmp_path: Any, source: list[str], variant: str | None, declared: tuple[str, str]
) -> None:
    from intyg._cli import main

    if source[0] == "STORED":
        made = intyg.assess(intyg.load(intyg.example()), dt.date(2026, 11, 24))
        stored = tmp_path / "bedomning.json"
        stored.write_text(json.dumps(made.to_json()), "utf-8")
        source = [str(stored), *source[1:]]
    out = tmp_path / "ut.pdf"
    chosen = ["--pdf-variant", variant] if variant else []
    assert main(["render", *source, "-o", str(out), *chosen]) == 0
    assert _pdfa_of(out.read_bytes()) == declared


def test_cli_pdf_is_chosen_by_a_suffix_in_capitals(tmp_path: Any) -> None:
    from intyg._cli import main

    out = tmp_path / "INTYG.PDF"
    assert main(["render", "--example", "-o", str(out)]) == 0
    assert out.read_bytes().startswith(b"%PDF-")
