"""The Jinja2 environment for the printed forms: templates from ``mallar/``, autoescape always on.

Templates are read through :func:`intyg._resources.resource_dir`, so the same files are used from
a source checkout and from an installed wheel. Autoescaping is switched on for every template
(not chosen by file suffix), and undefined variables are errors, so a template cannot silently
print nothing or print user text unescaped.
"""

from __future__ import annotations

import datetime as _dt
import re
from functools import cache
from typing import TYPE_CHECKING

from .._resources import resource_dir

if TYPE_CHECKING:
    import jinja2

_TEMPLATE_NAME = re.compile(r"^[a-z][a-z0-9_]{0,40}\.(html|css)$", re.ASCII)


def _load(name: str) -> str | None:
    if _TEMPLATE_NAME.fullmatch(name) is None:
        return None
    entry = resource_dir("mallar") / name
    if not entry.is_file():
        return None
    return entry.read_text("utf-8")


def _datum(value: _dt.date | str | None) -> str:
    if value is None:
        return ""
    if isinstance(value, _dt.date):
        return value.isoformat()
    return str(value)


_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
"""What XML 1.0 has no place for (the printout is XHTML): the form refuses most of it, but not
the noncharacters U+FFFE and U+FFFF, which a text may hold without showing anything."""


def _xml_safe(value: object) -> object:
    """Every value a template prints, with characters XML cannot hold shown as U+FFFD (the
    replacement character), so the page stays well formed and shows that something was there."""
    if isinstance(value, str) and _NOT_XML.search(value):
        import markupsafe

        fixed = _NOT_XML.sub("\ufffd", value)
        return markupsafe.Markup(fixed) if isinstance(value, markupsafe.Markup) else fixed
    return value


@cache
def environment() -> jinja2.Environment:
    """The shared template environment (built once; Jinja2 is imported on first use)."""
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FunctionLoader(_load),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        finalize=_xml_safe,
    )
    env.filters["datum"] = _datum
    return env


def render_template(name: str, **context: object) -> str:
    """Render one template of ``mallar/`` with ``context``."""
    return environment().get_template(name).render(**context)
