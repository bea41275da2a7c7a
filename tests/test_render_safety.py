"""User text is printed, never acted on: no markup, no fetches, in HTML and PDF alike."""

from __future__ import annotations

from typing import Any

import pytest

from intyg._render import certificate_html
from intyg._render._fetcher import RESOURCE_SCHEME, package_resource, restricted_fetcher
from render_support import (
    PAYLOADS,
    free_text_paths,
    html_text,
    norm,
    parse_xhtml,
    payload_certificates,
    pdf_pages,
    questions,
    require_weasyprint,
    squeeze,
)

Payload = tuple[dict[str, Any], list[str]]


@pytest.fixture(scope="module")
def payloads() -> list[Payload]:
    return payload_certificates()


def test_payload_certificates_fill_every_free_text_field(payloads: list[Payload]) -> None:
    # Guard for the tests below: every free-text question of the form gets a payload.
    free = {n.link_id for n in questions() if n.kind in ("string", "text")}
    free -= {n.link_id for n in questions() if n.pattern not in (None, r"\S")}
    filled = {node.link_id for data, _ in payloads for _, node in free_text_paths(data)}
    assert free and filled == free
    assert all(any(p in t for p in PAYLOADS) for _, texts in payloads for t in texts)


@pytest.mark.parametrize("variant", [0, 1])
def test_certificate_html_escapes_markup_in_free_text(
    payloads: list[Payload], variant: int
) -> None:
    data, texts = payloads[variant]
    html = certificate_html(data)
    root = parse_xhtml(html)
    tags = {el.tag.rsplit("}", 1)[-1] for el in root.iter()}
    assert not tags & {"script", "img", "link", "iframe", "object"}
    assert len([el for el in root.iter() if el.tag.endswith("style")]) == 1
    for el in root.iter():
        for value in el.attrib.values():
            assert "passwd" not in value and "127.0.0.1" not in value
    text = html_text(html)
    for t in texts:
        assert norm(t) in text


def test_assessment_html_escapes_markup_in_a_stored_assessment() -> None:
    # A stored assessment is read back from a file a person may have edited: its texts are
    # printed as text too.
    import datetime as dt

    import intyg
    from intyg._render import assessment_html

    data = intyg.assess(intyg.load(intyg.example()), dt.date(2026, 11, 24)).to_json()
    payload = " ".join(PAYLOADS)
    data["meddelande"] = payload
    data["fynd"][0]["meddelande"] = payload
    data["fynd"][0]["fraga"] = payload
    data["nasta_steg"][0]["text"] = payload
    data["aktiviteter"][0]["skal"][0]["text"] = payload
    html = assessment_html(data)
    root = parse_xhtml(html)
    tags = {el.tag.rsplit("}", 1)[-1] for el in root.iter()}
    assert not tags & {"script", "img", "link", "iframe", "object"}
    assert len([el for el in root.iter() if el.tag.endswith("style")]) == 1
    assert html_text(html).count(norm(payload)) >= 5


def test_certificate_html_forbids_every_fetch_in_browsers(payloads: list[Payload]) -> None:
    root = parse_xhtml(certificate_html(payloads[0][0]))
    csp = [
        el.get("content", "")
        for el in root.iter()
        if el.tag.endswith("meta") and el.get("http-equiv") == "Content-Security-Policy"
    ]
    assert csp and "default-src 'none'" in csp[0]


@pytest.fixture(scope="module")
def payload_pdfs(payloads: list[Payload]) -> list[tuple[bytes, Any]]:
    require_weasyprint()
    from intyg._render._pdf import html_to_pdf

    out = []
    for data, _ in payloads:
        fetcher = restricted_fetcher()
        out.append((html_to_pdf(certificate_html(data), fetcher=fetcher), fetcher))
    return out


def test_certificate_pdf_fetches_nothing_for_user_text(
    payload_pdfs: list[tuple[bytes, Any]],
) -> None:
    for _, fetcher in payload_pdfs:
        assert fetcher.requested == []


@pytest.mark.parametrize("variant", [0, 1])
def test_certificate_pdf_prints_payload_literally(
    payloads: list[Payload], payload_pdfs: list[tuple[bytes, Any]], variant: int
) -> None:
    pytest.importorskip("pypdf", reason="pypdf (the test extra) is not installed")
    text = "".join(pdf_pages(payload_pdfs[variant][0]))
    for t in payloads[variant][1]:
        # Long payload lines may wrap inside a URL; compare without white space.
        assert squeeze(t) in text


def test_fetcher_refuses_urls_outside_the_package() -> None:
    require_weasyprint()
    from intyg._render._pdf import html_to_pdf

    hostile = (
        '<html><head><link rel="stylesheet" href="http://127.0.0.1:9/x.css"/>'
        "<style>p { background: url(file:///etc/passwd) }</style></head>"
        '<body><p>x</p><img src="file:///etc/passwd"/><img src="data:image/png;base64,AA=="/>'
        "</body></html>"
    )
    fetcher = restricted_fetcher()
    html_to_pdf(hostile, fetcher=fetcher)
    assert fetcher.requested
    assert fetcher.refused == fetcher.requested


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://127.0.0.1/utskrift.css",
        # a resource the package has, named under another scheme
        "http:utskrift.css",
        "file:utskrift.css",
        f"{RESOURCE_SCHEME}:../pyproject.toml",
        f"{RESOURCE_SCHEME}:/etc/passwd",
        f"{RESOURCE_SCHEME}:grund.html",
        f"{RESOURCE_SCHEME}:saknas.css",
        "data:text/css,p{}",
    ],
)
def test_package_resource_refuses_url(url: str) -> None:
    assert package_resource(url) is None


def test_package_resource_serves_print_stylesheet() -> None:
    found = package_resource(f"{RESOURCE_SCHEME}:utskrift.css")
    assert found is not None
    assert found[1] == "text/css" and b"@page" in found[0]
