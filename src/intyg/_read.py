"""Reading JSON input: text, bytes, dicts and files, strictly and with coded errors.

Needs no pydantic, so ``python -m intyg validate`` can read its input before deciding whether
the model is needed at all.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import IO, Any

import jiter

from ._errors import ConversionError
from ._problems import make_problem, safe_name

Source = str | bytes | bytearray | Mapping[str, Any] | os.PathLike[str]
"""What the readers accept: JSON text (str), UTF-8 bytes, a parsed dict, or a file path."""

MAX_INPUT_BYTES = 64 * 1024 * 1024
"""Larger input is refused before parsing (``input_too_large``)."""


def _reject_constant(name: str) -> Any:
    raise ValueError(f"constant {name}")


class _DuplicateKey(ValueError):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out = dict(pairs)
    if len(out) != len(pairs):
        seen: set[str] = set()
        for k, _ in pairs:
            if k in seen:
                raise _DuplicateKey(k)
            seen.add(k)
    return out


def parse_json(text: str | bytes | bytearray) -> Any:
    """Parse JSON strictly: UTF-8 only, no NaN/Infinity, no duplicate keys, bounded size.

    Raises:
        ConversionError: ``input_too_large``, ``encoding``, ``json_syntax``,
            ``json_duplicate_key`` or ``json_too_deep``.
    """
    if len(text) > MAX_INPUT_BYTES:
        raise ConversionError([make_problem("input_too_large", "", {"max_bytes": MAX_INPUT_BYTES})])
    try:
        return _quick_parse(text.encode() if isinstance(text, str) else text)
    except ValueError:  # incl. UnicodeEncodeError: the careful reader below tells what is wrong
        pass
    return _careful_parse(text)


def _quick_parse(data: bytes | bytearray) -> Any:
    # jiter (Rust) is about twice as fast as json.loads with a duplicate check. It is stricter
    # than the careful reader: it refuses duplicate keys, NaN and Infinity, a byte-order mark,
    # lone surrogates and nesting deeper than its own limit. Whatever it refuses goes to the
    # careful reader, which names the problem or, for what only jiter refuses, reads it the same
    # way as before; whatever it accepts, the careful reader reads the same (test_load proves
    # it on arbitrary text).
    return jiter.from_json(
        bytes(data), allow_inf_nan=False, cache_mode="keys", catch_duplicate_keys=True
    )


def _careful_parse(text: str | bytes | bytearray) -> Any:
    if isinstance(text, bytes | bytearray):
        try:
            text = bytes(text).decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ConversionError([make_problem("encoding", "")]) from None
    try:
        return json.loads(text, object_pairs_hook=_pairs, parse_constant=_reject_constant)
    except _DuplicateKey as exc:
        raise ConversionError([make_problem("json_duplicate_key", safe_name(exc.key))]) from None
    except json.JSONDecodeError as exc:
        raise ConversionError(
            [make_problem("json_syntax", "", {"line": exc.lineno, "column": exc.colno})]
        ) from None
    except ValueError:  # NaN, Infinity
        raise ConversionError(
            [make_problem("json_syntax", "", {"line": "?", "column": "?"})]
        ) from None
    except RecursionError:
        raise ConversionError([make_problem("json_too_deep", "")]) from None


def read_source(source: Source) -> Any:
    """Turn any accepted source into parsed JSON data (not yet validated)."""
    if isinstance(source, Mapping):
        return source
    if isinstance(source, str | bytes | bytearray):
        return parse_json(source)
    if isinstance(source, os.PathLike):
        try:
            with Path(source).open("rb") as stream:
                raw = read_limited(stream)
        except OSError:
            raise ConversionError([make_problem("file_unreadable", "")]) from None
        return parse_json(raw)
    raise TypeError(
        "intyg: source must be JSON text (str), bytes, a dict or a path, "
        f"not {type(source).__name__}"
    )


def too_large() -> ConversionError:
    """The error for input over :data:`MAX_INPUT_BYTES` (``input_too_large``)."""
    return ConversionError([make_problem("input_too_large", "", {"max_bytes": MAX_INPUT_BYTES})])


_FIRST_READ = 64 * 1024
"""Bytes asked for first by :func:`read_limited`: a certificate fits, and a small request is
cheap (asking for the whole limit at once sets aside 64 MB for every read)."""


def read_limited(stream: IO[bytes]) -> bytes:
    """All of a buffered binary ``stream``, reading at most one byte past :data:`MAX_INPUT_BYTES`.

    An endless stream (``/dev/zero``) or a huge file is refused once the limit is passed, never
    read into memory whole. The requests grow by doubling; a short read is the end (as for
    Python's buffered readers, which a terminal's standard input also is).

    Raises:
        ConversionError: ``input_too_large``.
        OSError: reading failed.
    """
    limit = MAX_INPUT_BYTES + 1
    want = min(_FIRST_READ, limit)
    parts: list[bytes] = []
    got = 0
    while True:
        part = stream.read(want)
        parts.append(part)
        got += len(part)
        if len(part) < want or got >= limit:
            break
        want = min(want * 2, limit - got)
    if got > MAX_INPUT_BYTES:
        raise too_large()
    return parts[0] if len(parts) == 1 else b"".join(parts)


def is_questionnaire_response(data: Any) -> bool:
    """True for a FHIR resource (it has ``resourceType``); plain certificates do not."""
    return isinstance(data, Mapping) and "resourceType" in data
