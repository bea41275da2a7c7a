"""Reading JSON input: text, bytes, dicts and files, strictly and with coded errors.

Needs no pydantic, so ``python -m intyg validate`` can read its input before deciding whether
the model is needed at all.
"""

from __future__ import annotations

import itertools
import json
import os
import re
from collections import deque
from collections.abc import Callable, ItemsView, Iterator, KeysView, Mapping, ValuesView
from collections.abc import Set as AbstractSet
from pathlib import Path
from typing import IO, Any

import jiter

from ._errors import ConversionError
from ._problems import Problem, format_path, limit_problems, make_problem, safe_name

Source = str | bytes | bytearray | Mapping[str, Any] | os.PathLike[str]
"""What the readers accept: JSON text (str), UTF-8 bytes, a parsed dict, or a file path."""

MAX_INPUT_BYTES = 64 * 1024 * 1024
"""Larger input is refused before parsing (``input_too_large``)."""

MAX_DEPTH = 64
"""Objects and arrays nested deeper than this are refused (``json_too_deep``). A certificate
nests 4 levels, its QuestionnaireResponse about 10; ``fhir.resources`` checks a response
recursively, several Python frames a level, and reaches Python's limit at about 220."""

MAX_ELEMENTS = 20_000
"""More values than this in objects and arrays, counted together, are refused
(``json_too_many_elements``) before anything builds a problem for each: the largest certificate
has about 250, its QuestionnaireResponse about 1 300, an assessment about 2 000. At the limit,
three problems for every value (19 908 empty periods) take :func:`intyg.validate` about 0.8 s
and 100 MB at the peak, as tracemalloc counts (pydantic's errors, found twice: see
:mod:`intyg._careful`); only the first :data:`~intyg._problems.MAX_PROBLEMS` problems are
built, the rest counted."""

_COUNTED_ABOVE = 2 * MAX_ELEMENTS
"""JSON text no longer than this holds at most :data:`MAX_ELEMENTS` values (each takes at least
two characters, as in ``0,``), so only longer text is counted after parsing: a certificate or
QuestionnaireResponse only when it has long free texts (up to 4 000 characters each)."""

_SCANNED_ABOVE = 1024 * 1024
"""JSON text longer than this (1 MiB) is scanned for its values before a reader builds them
(:func:`_scan`). The largest valid certificate is about 0.5 MB even with every
character of its free texts written as an escaped surrogate pair; a reader builds each small
value as a Python object, up to thirty times the text's size (60 MB of ``[{},{},…]`` took
jiter 1.8 GB), so text this long is read only when it cannot hold too many values."""

_JSON_STRING = re.compile(rb'"[^"]*"')
"""A JSON string once its escaped backslashes and quotes are taken out (an unterminated one
does not match). A pattern that reads escapes itself keeps a record of every escape it passes
(235 MB for a string of a million escapes)."""

_OPENED_WITH_KEYS_IN_A_ROW = re.compile(rb'(?:[\[{]\s*(?:"[^"]*"\s*:\s*)?){%d}' % (MAX_DEPTH + 1))
"""The same in text whose strings are still there: an object's key may stand between two."""

_OPENERS_AS_ONE = bytes.maketrans(b"{", b"[")
_OPENED_IN_A_ROW = b"[" * (MAX_DEPTH + 1)
"""More objects or arrays opened in a row than :data:`MAX_DEPTH`, once strings, colons and
blanks are taken out and ``{`` is written ``[`` (``{"a": {"b": [`` is then ``[[[``)."""

_CONTAINERS = (Mapping, list, tuple, AbstractSet, range, KeysView, ValuesView, ItemsView, deque)
"""What a validator reads item by item: JSON's objects and arrays, and the other collections a
caller's ``dict`` may hold that pydantic reads as arrays (counted too, so that a set of a million
codes is refused as a list would be). An iterator cannot be counted without being used up, so
it is left to pydantic, which reads one at most one item past its array's maximum (every array of
the form has one; ``tests/test_limits.py`` tries an endless iterator in each)."""
_PLAIN_CONTAINERS = frozenset({dict, list})
_SCALARS = frozenset({str, int, float, bool, type(None)})
"""What parsed JSON is made of, told by type alone (``isinstance`` with ``Mapping`` costs a
Python call): anything else is told by ``isinstance``."""

# A container met by check_shape: (value, depth, the entry of its parent, its key or index).
_Entry = tuple[Any, int, Any, Any]


def _is_container(value: Any) -> bool:
    kind = type(value)
    return kind in _PLAIN_CONTAINERS or (kind not in _SCALARS and isinstance(value, _CONTAINERS))


def check_shape(data: Any, *, on_iterator: Callable[[str], Problem | None] | None = None) -> None:
    """Refuse data nested deeper than :data:`MAX_DEPTH` or with more than :data:`MAX_ELEMENTS`
    values, before any recursive code (``fhir.resources``) or a validator that reports every
    unknown key sees it.

    Iterative, in document order, and it stops at the first excess, so it costs at most
    :data:`MAX_ELEMENTS` steps whatever it is given. A cycle (possible in data a caller builds)
    is infinitely deep and refused as such; data shared between places counts at each, as it
    would be read at each.

    An iterator (a generator, say), or any other object that gives items only by being gone
    through, cannot be counted without being used up. By default it is left to the validator;
    with ``on_iterator`` (for a reader with no bound of its own, such as ``fhir.resources``), the
    first one met is refused with the problem it gives for its path. When it gives None instead,
    the walk goes on (:func:`holds_iterator`).

    Raises:
        ConversionError: ``json_too_deep`` at the first object or array beyond
            :data:`MAX_DEPTH`; ``json_too_many_elements`` at the object or array where the
            count passes :data:`MAX_ELEMENTS`; ``on_iterator``'s problem at an iterator.
    """
    if not _is_container(data):
        return
    left = MAX_ELEMENTS
    stack: list[_Entry] = [(data, 1, None, None)]
    plain, scalars, containers = _PLAIN_CONTAINERS, _SCALARS, _CONTAINERS
    while stack:
        entry = stack.pop()
        node = entry[0]
        kind = type(node)
        members: Any
        if kind is dict or (kind is not list and isinstance(node, Mapping)):
            members = node.items()
        else:
            members = enumerate(node)
        left -= len(node)
        if left < 0:
            raise ConversionError(
                [
                    make_problem(
                        "json_too_many_elements",
                        _entry_path(entry),
                        {"max_elements": MAX_ELEMENTS},
                    )
                ]
            )
        depth = entry[1] + 1
        # JSON's scalars are told apart by type alone, in one pass; only the rest (objects,
        # arrays, and what a caller's dict may hold besides) is looked at more closely.
        nested = [(key, value) for key, value in members if type(value) not in scalars]
        if on_iterator is not None:
            for key, value in nested:
                if (
                    type(value) not in plain
                    and not isinstance(value, containers)
                    and hasattr(value, "__iter__")
                    and not isinstance(value, str | bytes | bytearray | memoryview)
                ):
                    problem = on_iterator(_entry_path((value, depth, entry, key)))
                    if problem is not None:
                        raise ConversionError([problem])
        children = [
            (value, depth, entry, key)
            for key, value in nested
            if type(value) in plain or isinstance(value, containers)
        ]
        if children:
            if depth > MAX_DEPTH:
                raise too_deep(_entry_path(children[0]))
            children.reverse()
            stack.extend(children)


def json_shaped(value: Any) -> Any:
    """``value`` with each mapping a ``dict`` and each other collection a ``list``, as JSON
    text would give it (a caller's tuple, set or ``MappingProxyType``, read by pydantic and
    ``fhir.resources`` as JSON's own); everything else as it is. Bounded by
    :func:`check_shape`, which ``value`` must have passed."""
    if isinstance(value, str | bytes | bytearray) or not _is_container(value):
        return value
    if isinstance(value, Mapping):
        return {k: json_shaped(v) for k, v in value.items()}
    return [json_shaped(v) for v in value]


def holds_iterator(data: Any) -> bool:
    """:func:`check_shape`, which also tells whether ``data`` holds an iterator anywhere (then
    reading it a second time would not read what the first time read).

    Raises:
        ConversionError: ``json_too_deep`` or ``json_too_many_elements``, as
            :func:`check_shape`.
    """
    met: list[str] = []

    def note(path: str) -> None:
        met.append(path)

    check_shape(data, on_iterator=note)
    return bool(met)


def too_deep(path: str) -> ConversionError:
    """The error for input nested deeper than :data:`MAX_DEPTH` (``path``: the first object or
    array too deep, ``""`` when it is not known)."""
    return ConversionError([make_problem("json_too_deep", path, {"max_depth": MAX_DEPTH})])


def _entry_path(entry: _Entry) -> str:
    loc: list[str | int] = []
    while entry[2] is not None:
        parent = entry[2]
        key = entry[3]
        loc.append(safe_name(key) if isinstance(parent[0], Mapping) else key)
        entry = parent
    loc.reverse()
    return format_path(loc)


def _reject_constant(name: str) -> Any:
    raise ValueError(f"constant {name}")


_STRING_OR_CONSTANT = re.compile(r'"(?:[^"\\]|\\.)*"|(-?Infinity|NaN)', re.DOTALL)
"""A JSON string (skipped whole, escapes and all) or one of the constants JSON does not have."""


def _constant_place(text: str) -> tuple[int, int]:
    """Line and column (from 1, as ``json`` counts them) of the first NaN or Infinity outside a
    string in ``text``, which ``json.loads`` read up to it (:func:`_reject_constant`)."""
    for found in _STRING_OR_CONSTANT.finditer(text):
        if found.group(1) is not None:
            start = found.start()
            line = text.count("\n", 0, start) + 1
            return line, start - (text.rfind("\n", 0, start) + 1) + 1
    return 1, 1  # pragma: no cover - json.loads met one


_JSON_BLANKS = " \t\r\n"
"""The whitespace JSON allows between values."""


def parse_json(text: str | bytes | bytearray) -> Any:
    """Parse JSON strictly: UTF-8 only, no NaN/Infinity, no duplicate keys, bounded size.

    Text longer than 40 000 characters, and text only the careful reader reads, is held to
    :func:`check_shape`'s limits. Shorter text holds at most :data:`MAX_ELEMENTS` values and
    nests at most about 200 levels (``jiter``'s limit): it is measured only where that matters,
    before ``fhir.resources`` reads a response and once an input has turned out invalid
    (:func:`intyg._quick.check`), so a valid certificate costs nothing more.

    Raises:
        ConversionError: ``input_too_large``, ``encoding``, ``empty_input``, ``json_syntax``,
            ``json_duplicate_key``, ``json_too_deep`` or ``json_too_many_elements``.
    """
    raw: bytes | bytearray
    if not isinstance(text, str):
        raw = text
    else:  # the limit is in UTF-8 bytes, as for bytes given
        if len(text) > MAX_INPUT_BYTES:  # at least one byte per character
            raise too_large()
        try:
            raw = text.encode()
        except UnicodeEncodeError:  # a lone surrogate: the careful reader names it
            if len(text.encode("utf-8", "surrogatepass")) > MAX_INPUT_BYTES:
                raise too_large() from None
            return _careful_parse(text)
    if len(raw) > MAX_INPUT_BYTES:
        raise too_large()
    if len(raw) > _SCANNED_ABOVE:
        _scan(raw)
    try:
        data = _quick_parse(raw)
    except ValueError:  # the careful reader below tells what is wrong
        return _careful_parse(text)
    except BaseException as exc:
        # A panic in the compiled reader (pyo3's PanicException, a BaseException: what it
        # does when an allocation fails) is no verdict on the input: the careful reader has
        # the last word (it raises MemoryError when memory is short indeed).
        if type(exc).__module__ != "pyo3_runtime":
            raise
        return _careful_parse(text)
    if len(text) > _COUNTED_ABOVE:
        check_shape(data)
    return data


def _scan(raw: bytes | bytearray) -> None:
    """Refuse JSON text that, were it valid, would hold more than :data:`MAX_ELEMENTS` values
    in its objects and arrays, or nest deeper than :data:`MAX_DEPTH`, told without building
    anything (passes over the bytes at C speed).

    Outside its strings, each comma parts two values of one object or array, and every object
    or array but the outermost is a value of another: the values number at least the commas
    plus one, and at least the objects and arrays less one. More than :data:`MAX_DEPTH`
    objects or arrays opened one after the other (with only keys, colons and blanks between)
    nest that deep; that is told first, so that deep text is refused as deep. Text that is not
    valid JSON and fails a count is refused by that count, not as broken: it is too large to be
    read either way.

    Raises:
        ConversionError: ``json_too_many_elements`` or ``json_too_deep``, for the whole text.
    """
    too_many = ConversionError(
        [make_problem("json_too_many_elements", "", {"max_elements": MAX_ELEMENTS})]
    )
    # An escape is a backslash and the character after it, read from the left. Once every
    # escaped backslash is taken out, a backslash before a quote escapes it; once those are
    # taken out too, the quotes left open and close the strings.
    plain = bytes(raw).replace(b"\\\\", b"").replace(b'\\"', b"")
    if plain.count(b'"') > 2 * (2 * MAX_ELEMENTS + 1):
        # Every string is a key or a value, and a member of an object has at most two: more
        # strings are more members than the limit. (Taking so many strings out would build a
        # piece of text for each: 100 MB for half a million.)
        if _OPENED_WITH_KEYS_IN_A_ROW.search(plain):
            raise too_deep("")
        raise too_many
    outside = _JSON_STRING.sub(b"", plain)
    if _OPENED_IN_A_ROW in outside.translate(_OPENERS_AS_ONE, b" \t\n\r:"):
        raise too_deep("")
    opened = outside.count(b"{") + outside.count(b"[")
    if outside.count(b",") >= MAX_ELEMENTS or opened > MAX_ELEMENTS + 1:
        raise too_many


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


BEYOND_EVERY_BOUND = 10**4300
"""Stands for an integer with more digits than Python reads from text (4 300, by default):
larger than any bound a form sets, so it is refused where it stands (``out_of_range``), as the
same number with fewer digits would be, and never as broken JSON."""


def _integer(digits: str) -> int:
    try:
        return int(digits)
    except ValueError:  # more digits than sys.get_int_max_str_digits() allows
        return -BEYOND_EVERY_BOUND if digits.startswith("-") else BEYOND_EVERY_BOUND


def _careful_parse(text: str | bytes | bytearray) -> Any:
    if isinstance(text, bytes | bytearray):
        try:
            text = bytes(text).decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ConversionError([make_problem("encoding", "")]) from None
    else:  # a byte-order mark read as text: allowed, as in bytes and files
        text = text.removeprefix("\ufeff")
    # Objects with a key twice, by identity (kept alive here), and those keys: the hook does not
    # know where an object is, so the paths are found once the whole text is read.
    duplicated: dict[int, tuple[dict[str, Any], list[str]]] = {}

    def pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        out = dict(pairs)
        if len(out) != len(pairs):
            duplicated[id(out)] = (out, _twice(pairs))
        return out

    try:
        data = json.loads(
            text, object_pairs_hook=pairs, parse_constant=_reject_constant, parse_int=_integer
        )
    except json.JSONDecodeError as exc:
        if not text.strip(_JSON_BLANKS):  # nothing at all, or only blanks (an empty line)
            raise ConversionError([make_problem("empty_input", "")]) from None
        raise ConversionError(
            [make_problem("json_syntax", "", {"line": exc.lineno, "column": exc.colno})]
        ) from None
    except ValueError:  # NaN, Infinity
        line, column = _constant_place(text)
        raise ConversionError(
            [make_problem("json_syntax", "", {"line": line, "column": column})]
        ) from None
    except RecursionError:
        raise too_deep("") from None
    check_shape(data)
    if duplicated:
        raise ConversionError(_duplicate_key_problems(data, duplicated))
    return data


def _twice(pairs: list[tuple[str, Any]]) -> list[str]:
    """The keys that occur more than once among ``pairs``, each once, in order."""
    seen: set[str] = set()
    twice: list[str] = []
    for key, _ in pairs:
        if key in seen and key not in twice:
            twice.append(key)
        seen.add(key)
    return twice


def _duplicate_key_problems(
    data: Any, duplicated: dict[int, tuple[dict[str, Any], list[str]]]
) -> list[Problem]:
    """A ``json_duplicate_key`` at the path of each key given twice, in document order (an
    object the second value replaced is no longer in ``data``; the key that replaced it is).
    ``data`` has passed :func:`check_shape`, so the walk is bounded."""
    problems: list[Problem] = []

    def members(node: Any) -> Iterator[tuple[str | int, Any, bool]]:
        if isinstance(node, dict):
            found = duplicated.get(id(node))
            twice = found[1] if found is not None and found[0] is node else ()
            for key, value in node.items():
                yield key, value, key in twice
        else:
            for i, value in enumerate(node):
                yield i, value, False

    # One iterator per open object or array: each key is met in the order of the text.
    stack: list[tuple[Iterator[tuple[str | int, Any, bool]], tuple[str | int, ...]]] = [
        (members(data), ())
    ]
    while stack:
        entries, loc = stack[-1]
        entry = next(entries, None)
        if entry is None:
            stack.pop()
            continue
        key, value, twice = entry
        if twice:
            problems.append(make_problem("json_duplicate_key", format_path((*loc, key))))
        if isinstance(value, dict | list):
            stack.append((members(value), (*loc, key)))
    return limit_problems(problems or [make_problem("json_duplicate_key", "")])


def _looks_like_a_path(text: str) -> bool:
    """Whether text that is not JSON looks like a file name passed where JSON text is read:
    one short line that starts with none of JSON's opening characters."""
    return (
        0 < len(text) <= 4096 and "\n" not in text and not text.lstrip().startswith(("{", "[", '"'))
    )


def read_source(source: Source) -> Any:
    """Turn any accepted source into parsed JSON data (not yet validated).

    Raises:
        ConversionError: as :func:`parse_json`, or ``file_unreadable`` for a path.
        TypeError: ``source`` is of no accepted kind. A ``str`` is always JSON text (a file is
            given as :class:`pathlib.Path`).
    """
    if isinstance(source, Mapping):
        return source
    if isinstance(source, str | bytes | bytearray):
        # A str is JSON text, never a file name: text from outside may be given here, and what
        # it says must not decide whether intyg looks at the file system.
        try:
            return parse_json(source)
        except ConversionError as exc:
            if isinstance(source, str) and _looks_like_a_path(source):
                # For the programmer (a traceback shows notes); the problem stays as it is.
                exc.add_note("intyg: a str is JSON text; give a file as pathlib.Path")
            raise
    if isinstance(source, os.PathLike):
        try:
            with Path(source).open("rb") as stream:
                raw = read_limited(stream)
        except (OSError, ValueError):  # ValueError: a NUL in the path, which names no file
            raise ConversionError([make_problem("file_unreadable", "")]) from None
        return parse_json(raw)
    raise TypeError(
        "intyg: source must be JSON text (str), bytes, a dict or a path, "
        f"not {type(source).__name__}"
    )


def read_checked(source: Source) -> Any:
    """:func:`read_source`, with a mapping given as such held to :func:`check_shape`'s limits
    before anything else sees it (too deep, cyclic or too large); text is measured as
    :func:`parse_json` says.

    Raises:
        ConversionError: as :func:`read_source`, or ``json_too_deep`` or
            ``json_too_many_elements``.
    """
    data = read_source(source)
    if isinstance(source, Mapping) and holds_iterator(data):
        return _capped(data)
    return data


ITERATOR_ITEMS = MAX_ELEMENTS + 1
"""The most items read from an iterator in a caller's ``dict`` (:func:`_capped`)."""


def _capped(value: Any) -> Any:
    """A copy of ``value`` in which every iterator yields at most :data:`ITERATOR_ITEMS`
    items, and is still an iterator (so it is read as one: see :func:`holds_iterator`).

    pydantic stops reading an array one item past its maximum only while the items are
    valid: it counts those alone, so an endless iterator of broken items was read for as long
    as memory lasted. Objects, lists and tuples are copied (an object as a ``dict``); every
    other value, a set or a ``range`` among them, is kept as it is. The caller's data is never
    changed.
    """
    if type(value) in _SCALARS or isinstance(value, str | bytes | bytearray | memoryview):
        return value
    if isinstance(value, Mapping):
        return {k: _capped(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        items = [_capped(v) for v in value]
        return tuple(items) if isinstance(value, tuple) else items
    if not _is_container(value) and hasattr(value, "__iter__"):
        return itertools.islice(value, ITERATOR_ITEMS)
    return value


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
