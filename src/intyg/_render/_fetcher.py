"""The restricted URL fetcher: the PDF engine may read intyg's own print resources and nothing else.

Every URL WeasyPrint asks for (images, stylesheets, fonts) passes through here. Only
``intyg-resurs:NAME`` is served, from the packaged ``mallar/`` folder, and only for plain file
names with a known print-resource suffix; ``http:``, ``https:``, ``file:``, ``data:`` and every
other scheme are refused without being opened. The fetcher records what was asked for so tests
can prove that user text never makes the renderer reach out.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from .._resources import resource_dir

RESOURCE_SCHEME = "intyg-resurs"

_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}\.(css|svg|png|ttf|otf|woff|woff2)$", re.ASCII)
_MIME = {
    "css": "text/css",
    "svg": "image/svg+xml",
    "png": "image/png",
    "ttf": "font/ttf",
    "otf": "font/otf",
    "woff": "font/woff",
    "woff2": "font/woff2",
}


class FetchRefusedError(ValueError):
    """The renderer asked for a URL outside intyg's own print resources."""


def package_resource(url: str) -> tuple[bytes, str] | None:
    """The bytes and MIME type behind an ``intyg-resurs:`` URL, or None when not allowed."""
    scheme, sep, name = url.partition(":")
    if not sep or scheme.lower() != RESOURCE_SCHEME:
        return None
    name = name.removeprefix("//").removeprefix("/")
    match = _NAME.fullmatch(name)
    if match is None:
        return None
    entry = resource_dir("mallar") / name
    if not entry.is_file():
        return None
    return entry.read_bytes(), _MIME[match.group(1)]


@cache
def _fetcher_class() -> type[Any]:
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class RestrictedFetcher(URLFetcher):  # type: ignore[misc]
        """A WeasyPrint fetcher that opens nothing but intyg's packaged print resources."""

        def __init__(self) -> None:
            super().__init__(allowed_protocols=(RESOURCE_SCHEME,), allow_redirects=False)
            self.requested: list[str] = []
            self.refused: list[str] = []

        def fetch(self, url: str, headers: Any = None) -> Any:
            self.requested.append(url)
            found = package_resource(url)
            if found is None:
                self.refused.append(url)
                raise FetchRefusedError("intyg: resource outside the package refused")
            data, mime = found
            return URLFetcherResponse(url, data, {"Content-Type": mime})

    return RestrictedFetcher


def restricted_fetcher() -> Any:
    """A fresh restricted fetcher for one rendering (records ``requested`` and ``refused``)."""
    return _fetcher_class()()
