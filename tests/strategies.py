"""Hypothesis strategies for certificates of form version 1.0.0.

``valid_certificates()`` draws valid certificate JSON dicts over the whole form;
``mutations()`` breaks one in a single, named way and says what a validator must then say.

The form's shape is written out here by hand (``LEAVES``, ``LISTS``, ``OBJECTS``, ``CONDITIONS``)
rather than read from the model, so that the tests check the model and the published schema
against an independent statement of the form.
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, Literal

from hypothesis import assume
from hypothesis import strategies as st

Json = Any
Path = tuple[str | int, ...]

FORM = {"id": "lakarintyg-socialnamnd", "version": "1.0.0"}

UNDERLAG = ("UNDERSOKNING", "DIGITALT_MOTE", "TELEFONKONTAKT", "JOURNALUPPGIFTER", "ANNAT")
IDENTITET = ("ID_HANDLING", "E_LEGITIMATION", "PERSONLIG_KANNEDOM", "INTYGANDE")
AKTIVITETER = (
    "ARBETE",
    "JOBBSOKANDE",
    "SPRAKINSATS",
    "KOMPETENSHOJANDE",
    "ARBETSPLATSFORLAGD",
    "ARBETSLIVSINRIKTAD_REHABILITERING",
)
SYSSELSATTNING = (*AKTIVITETER, "INGEN", "OKAND")
GRAD = (0, 1, 2, 3, 4)
OMFATTNING = (25, 50, 75, 100)
ANPASSNING = (
    "ANPASSAD_TID",
    "STEGVIS_UPPTRAPPNING",
    "ANPASSADE_UPPGIFTER",
    "ANPASSAD_MILJO",
    "HJALPMEDEL",
    "STOD_HANDLEDNING",
    "NARA_BOSTADEN",
    "DISTANS",
    "ANNAN",
)
PROGNOS = ("ATERGAR_UTAN_ANPASSNING", "ATERGAR_MED_ANPASSNING", "ATERGAR_EJ", "KAN_EJ_BEDOMAS")
REKOMMENDATION = (
    "KOORDINERINGSINSATS",
    "SIP",
    "SAMORDNAD_REHABILITERING",
    "IPS",
    "ARBETSFORMEDLINGEN",
)

# WHO ICD-10 (2019) codes at three and four positions, and ICD-10-SE extensions (a fifth
# position on a known four-position WHO code).
ICD10_WHO = (
    "F32",
    "F32.0",
    "F32.1",
    "F33.1",
    "F41.0",
    "F41.1",
    "F41.9",
    "F43.1",
    "F43.2",
    "F43.8",
    "F20.0",
    "F31.3",
    "F60.3",
    "F84.5",
    "F90.0",
    "F10.2",
    "G35",
    "G43.0",
    "G47.0",
    "G93.3",
    "M17.1",
    "M51.1",
    "M54.4",
    "M54.5",
    "M75.1",
    "M79.7",
    "I25.1",
    "I63.9",
    "J44.9",
    "J45.9",
    "E11.9",
    "E66.9",
    "C50.9",
    "S72.0",
    "R53",
    "U07.1",
    "Z73.0",
)
ICD10_SE_EXTENSIONS = ("F43.8A", "F32.8A", "F43.2A", "M54.5A", "M79.7A")
ICD10_UNKNOWN = ("U99.9", "F99.99", "U98", "J45.7", "F09.99")
"""Syntactically valid codes that are neither in the WHO list nor extensions of a WHO code."""

MIN_DATE = dt.date(2000, 1, 1)
MAX_DATE = dt.date(2035, 12, 31)

# ----------------------------------------------------------------------------- building blocks


def luhn_check_digit(digits: str) -> int:
    """The Luhn check digit of ``digits`` (for a personnummer: YYMMDDNNN)."""
    total = 0
    for i, ch in enumerate(digits):
        d = int(ch) * (2 if i % 2 == 0 else 1)
        total += d - 9 if d > 9 else d
    return (10 - total % 10) % 10


def personid_digits(born: dt.date, serial: int, *, samordning: bool) -> str:
    """A 12-digit personnummer (or samordningsnummer: day + 60) with a correct check digit."""
    day = born.day + 60 if samordning else born.day
    body = f"{born.year % 100:02d}{born.month:02d}{day:02d}{serial:03d}"
    return f"{born.year // 100:02d}{body}{luhn_check_digit(body)}"


_NON_BLANK = re.compile(r"\S")

# Pieces of real-world text: Swedish letters, emoji (with joiners and modifiers), right-to-left
# scripts, combining marks, line breaks and tabs.
_SNIPPETS = (
    "å",
    "ä",
    "ö",
    "Å",
    "Ä",
    "Ö",
    "Smärta i höger höft, går 200 m.",
    "😀",
    "👩‍⚕️",
    "👍🏽",
    "🇸🇪",
    "مرحبا بالعالم",
    "שלום עולם",
    "\u200f",
    "e\u0301",
    "\n",
    "\r\n",
    "\t",
    "  ",
    "\u00a0",
    "“citat” – «guillemets»",
    "漢字",
)


CONTROL_CHARACTERS = "".join(
    chr(c) for c in (*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F)
)
"""C0 controls other than tab, line feed and carriage return, and DEL: not allowed in free text
(nor are lone surrogates, which ``codec="utf-8"`` already leaves out)."""

_PIECE = st.one_of(
    st.sampled_from(_SNIPPETS),
    st.text(
        st.characters(codec="utf-8", exclude_characters=CONTROL_CHARACTERS),
        min_size=1,
        max_size=8,
    ),
)
_BASE_TEXT = st.lists(_PIECE, min_size=1, max_size=6).map("".join)


@functools.cache
def free_text(max_length: int) -> st.SearchStrategy[str]:
    """Non-blank Unicode text of at most ``max_length`` characters (sometimes exactly that)."""
    base = _BASE_TEXT

    @st.composite
    def build(draw: st.DrawFn) -> str:
        text = draw(base)
        if _NON_BLANK.search(text) is None:
            text = draw(st.sampled_from("aÖ😀ש")) + text
        if draw(st.integers(0, 9)) == 0:  # at the limit
            text = (text + "å" * max_length)[:max_length]
        elif len(text) > max_length:
            text = text[:max_length]
        if _NON_BLANK.search(text) is None:
            text = "x" + text[1:]
        return text

    return build()


def dates(lo: dt.date = MIN_DATE, hi: dt.date = MAX_DATE) -> st.SearchStrategy[dt.date]:
    """Calendar dates between ``lo`` and ``hi`` inclusive."""
    return st.dates(min_value=lo, max_value=hi)


def iso(d: dt.date) -> str:
    """A date written YYYY-MM-DD."""
    return d.isoformat()


@st.composite
def personids(draw: st.DrawFn, on: dt.date) -> str:
    """A valid personnummer or samordningsnummer, 12 digits, born no later than ``on``."""
    born = draw(dates(dt.date(1900, 1, 1), on))
    serial = draw(st.integers(1, 999))
    return personid_digits(born, serial, samordning=draw(st.booleans()))


def uuids_text() -> st.SearchStrategy[str]:
    """A UUID as 36 characters, lower or upper case."""
    return _UUID


_DIGITS = "0123456789"
_ALNUM = _DIGITS + "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_HSA_ID = st.builds(
    lambda org, local: f"SE{org:010d}-{local}",
    st.integers(0, 10**10 - 1),
    st.text(_ALNUM, min_size=1, max_size=20),
)
_POSTNUMMER = st.builds(
    lambda a, space, b: f"{a:03d}{' ' if space else ''}{b:02d}",
    st.integers(0, 999),
    st.booleans(),
    st.integers(0, 99),
)
_TELEFON = st.builds(
    lambda plus, first, rest: ("+" if plus else "") + first + rest,
    st.booleans(),
    st.sampled_from(_DIGITS),
    st.text(_DIGITS + " ()-", min_size=4, max_size=24),
)
_ARBETSPLATSKOD = st.text(_DIGITS, min_size=1, max_size=10)
_UUID = st.builds(lambda u, up: str(u).upper() if up else str(u), st.uuids(), st.booleans())


def hsa_ids() -> st.SearchStrategy[str]:
    """HSA-id: SE, ten digits, a hyphen and a local part."""
    return _HSA_ID


def icd10_codes() -> st.SearchStrategy[str]:
    """Known WHO codes and Swedish extensions."""
    return st.sampled_from(ICD10_WHO + ICD10_SE_EXTENSIONS)


@functools.cache
def icf_items(prefix: str) -> st.SearchStrategy[list[dict[str, Any]]]:
    """1-20 ICF items with distinct codes ``<prefix>NNN[NN]``."""
    kod = st.text(_DIGITS, min_size=3, max_size=5).map(lambda n: prefix + n)
    item = st.fixed_dictionaries({"kod": kod, "grad": st.sampled_from(GRAD)})
    return st.lists(item, min_size=1, max_size=20, unique_by=lambda x: x["kod"])


def _optional(
    draw: st.DrawFn, target: dict[str, Any], key: str, strategy: st.SearchStrategy[Any]
) -> None:
    if draw(st.booleans()):
        target[key] = draw(strategy)


@st.composite
def perioder(draw: st.DrawFn, sign: dt.date) -> list[dict[str, Any]]:
    """1-4 periods, each forwards, none sharing a day with another, in any order."""
    n = draw(st.integers(1, 4))
    start = sign + dt.timedelta(days=draw(st.integers(-30, 30)))
    out: list[dict[str, Any]] = []
    for _ in range(n):
        till = start + dt.timedelta(days=draw(st.integers(0, 120)))
        out.append(
            {"fran": iso(start), "till": iso(till), "omfattning": draw(st.sampled_from(OMFATTNING))}
        )
        start = till + dt.timedelta(days=draw(st.integers(1, 30)))
    return draw(st.permutations(out))


@st.composite
def valid_certificates(draw: st.DrawFn) -> dict[str, Any]:
    """A valid certificate of form version 1.0.0 as JSON data, in its normal form.

    Normal form: what ``intyg.to_json`` writes (12-digit personid, unanswered questions left
    out), so that reading and writing it again gives the same dict.
    """
    sign = draw(dates(dt.date(2020, 1, 1), dt.date(2030, 12, 31)))
    past = dates(sign - dt.timedelta(days=3 * 365), sign)
    d: dict[str, Any] = {"formular": dict(FORM), "intygsid": draw(uuids_text())}
    d["signeringsdatum"] = iso(sign)
    if draw(st.booleans()):
        d["ersatter"] = draw(uuids_text().filter(lambda u: u.lower() != d["intygsid"].lower()))
    d["patient"] = {"personid": draw(personids(sign)), "namn": draw(free_text(200))}

    underlag = []
    for typ in draw(st.lists(st.sampled_from(UNDERLAG), min_size=1, max_size=5, unique=True)):
        u: dict[str, Any] = {"typ": typ, "datum": iso(draw(past))}
        if typ == "ANNAT":
            u["beskrivning"] = draw(free_text(500))
        underlag.append(u)
    grund: dict[str, Any] = {"underlag": underlag}
    _optional(draw, grund, "kand_sedan", dates(dt.date(1950, 1, 1), sign).map(iso))
    _optional(draw, grund, "identitet", st.sampled_from(IDENTITET))
    d["grund"] = grund

    if draw(st.integers(0, 3)) == 0:
        typer = [draw(st.sampled_from(("INGEN", "OKAND")))]
    else:
        typer = draw(st.lists(st.sampled_from(AKTIVITETER), min_size=1, max_size=6, unique=True))
    syss: dict[str, Any] = {"typ": typer}
    if typer[0] not in ("INGEN", "OKAND"):
        _optional(draw, syss, "timmar_per_vecka", st.integers(1, 40))
    d["sysselsattning"] = syss

    d["diagnoser"] = draw(
        st.lists(
            st.fixed_dictionaries({"kod": icd10_codes(), "text": free_text(250)}),
            min_size=1,
            max_size=3,
        )
    )
    for section, prefix in (("funktionsnedsattning", "b"), ("aktivitetsbegransning", "d")):
        part: dict[str, Any] = {"beskrivning": draw(free_text(4000))}
        _optional(draw, part, "icf", icf_items(prefix))
        d[section] = part

    beh: dict[str, Any] = {"beskrivning": draw(free_text(4000))}
    _optional(draw, beh, "slutdatum", dates().map(iso))
    beh["kan_forvarras"] = draw(st.booleans())
    if beh["kan_forvarras"]:
        beh["forvarrande_aktiviteter"] = draw(free_text(4000))
    d["behandling"] = beh

    bed: dict[str, Any] = {"forhindrad": draw(st.booleans())}
    if bed["forhindrad"]:
        bed["perioder"] = draw(perioder(sign))
    bed["formaga_trots_sjukdom"] = draw(free_text(4000))
    _optional(
        draw,
        bed,
        "anpassningar",
        st.lists(st.sampled_from(ANPASSNING), min_size=1, max_size=9, unique=True),
    )
    if "ANNAN" in bed.get("anpassningar", ()):
        bed["anpassningar_beskrivning"] = draw(free_text(4000))
    else:
        _optional(draw, bed, "anpassningar_beskrivning", free_text(4000))
    d["bedomning"] = bed

    prognos: dict[str, Any] = {"typ": draw(st.sampled_from(PROGNOS))}
    if prognos["typ"] == "ATERGAR_MED_ANPASSNING":
        prognos["anpassning"] = draw(free_text(4000))
    if prognos["typ"] == "KAN_EJ_BEDOMAS":
        prognos["motivering"] = draw(free_text(4000))
    if prognos["typ"] in ("ATERGAR_UTAN_ANPASSNING", "ATERGAR_MED_ANPASSNING"):
        _optional(draw, prognos, "manader", st.integers(1, 99))
    d["prognos"] = prognos

    samverkan: dict[str, Any] = {}
    _optional(
        draw,
        samverkan,
        "rekommendationer",
        st.lists(st.sampled_from(REKOMMENDATION), min_size=1, max_size=5, unique=True),
    )
    samverkan["kontakt_onskas"] = draw(st.booleans())
    if samverkan["kontakt_onskas"]:
        samverkan["kontakt_anledning"] = draw(free_text(1000))
    d["samverkan"] = samverkan

    _optional(draw, d, "ovrigt", free_text(4000))

    enhet: dict[str, Any] = {
        "namn": draw(free_text(200)),
        "postadress": draw(free_text(200)),
        "postnummer": draw(_POSTNUMMER),
        "postort": draw(free_text(100)),
        "telefon": draw(_TELEFON),
    }
    _optional(draw, enhet, "hsa_id", hsa_ids())
    _optional(draw, enhet, "arbetsplatskod", _ARBETSPLATSKOD)
    d["utfardare"] = {
        "namn": draw(free_text(200)),
        "hsa_id": draw(hsa_ids()),
        "befattning": draw(free_text(200)),
        "vardenhet": enhet,
        "ort": draw(free_text(100)),
    }
    return d


# ----------------------------------------------------------------------------- the form's shape


@dataclass(frozen=True)
class Leaf:
    """A single answer: its JSON kind and limits."""

    kind: Literal["text", "pattern", "date", "code", "int", "bool"]
    max_length: int = 0
    codes: tuple[str | int, ...] = ()
    lo: int = 0
    hi: int = 0


def _text(n: int) -> Leaf:
    return Leaf("text", max_length=n)


_PATTERN = Leaf("pattern")
_DATE = Leaf("date")
_BOOL = Leaf("bool")

LEAVES: dict[str, Leaf] = {
    "intygsid": _PATTERN,
    "signeringsdatum": _DATE,
    "ersatter": _PATTERN,
    "patient.personid": _PATTERN,
    "patient.namn": _text(200),
    "grund.underlag.typ": Leaf("code", codes=UNDERLAG),
    "grund.underlag.datum": _DATE,
    "grund.underlag.beskrivning": _text(500),
    "grund.kand_sedan": _DATE,
    "grund.identitet": Leaf("code", codes=IDENTITET),
    "sysselsattning.typ": Leaf("code", codes=SYSSELSATTNING),
    "sysselsattning.timmar_per_vecka": Leaf("int", lo=1, hi=40),
    "diagnoser.kod": _PATTERN,
    "diagnoser.text": _text(250),
    "funktionsnedsattning.beskrivning": _text(4000),
    "funktionsnedsattning.icf.kod": _PATTERN,
    "funktionsnedsattning.icf.grad": Leaf("code", codes=GRAD),
    "aktivitetsbegransning.beskrivning": _text(4000),
    "aktivitetsbegransning.icf.kod": _PATTERN,
    "aktivitetsbegransning.icf.grad": Leaf("code", codes=GRAD),
    "behandling.beskrivning": _text(4000),
    "behandling.slutdatum": _DATE,
    "behandling.kan_forvarras": _BOOL,
    "behandling.forvarrande_aktiviteter": _text(4000),
    "bedomning.forhindrad": _BOOL,
    "bedomning.perioder.fran": _DATE,
    "bedomning.perioder.till": _DATE,
    "bedomning.perioder.omfattning": Leaf("code", codes=OMFATTNING),
    "bedomning.formaga_trots_sjukdom": _text(4000),
    "bedomning.anpassningar": Leaf("code", codes=ANPASSNING),
    "bedomning.anpassningar_beskrivning": _text(4000),
    "prognos.typ": Leaf("code", codes=PROGNOS),
    "prognos.anpassning": _text(4000),
    "prognos.motivering": _text(4000),
    "prognos.manader": Leaf("int", lo=1, hi=99),
    "samverkan.rekommendationer": Leaf("code", codes=REKOMMENDATION),
    "samverkan.kontakt_onskas": _BOOL,
    "samverkan.kontakt_anledning": _text(1000),
    "ovrigt": _text(4000),
    "utfardare.namn": _text(200),
    "utfardare.hsa_id": _PATTERN,
    "utfardare.befattning": _text(200),
    "utfardare.vardenhet.namn": _text(200),
    "utfardare.vardenhet.postadress": _text(200),
    "utfardare.vardenhet.postnummer": _PATTERN,
    "utfardare.vardenhet.postort": _text(100),
    "utfardare.vardenhet.telefon": _PATTERN,
    "utfardare.vardenhet.hsa_id": _PATTERN,
    "utfardare.vardenhet.arbetsplatskod": _PATTERN,
    "utfardare.ort": _text(100),
}
"""Every answer by linkId (property path without list indices); list answers give the item."""

LISTS: dict[str, tuple[int, int]] = {
    "grund.underlag": (1, 5),
    "sysselsattning.typ": (1, 8),
    "diagnoser": (1, 3),
    "funktionsnedsattning.icf": (1, 20),
    "aktivitetsbegransning.icf": (1, 20),
    "bedomning.perioder": (1, 4),
    "bedomning.anpassningar": (1, 9),
    "samverkan.rekommendationer": (1, 5),
}
"""Repeating answers and groups: (min items, max items)."""

OBJECTS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "": (
        (
            "formular",
            "intygsid",
            "signeringsdatum",
            "patient",
            "grund",
            "sysselsattning",
            "diagnoser",
            "funktionsnedsattning",
            "aktivitetsbegransning",
            "behandling",
            "bedomning",
            "prognos",
            "samverkan",
            "utfardare",
        ),
        ("ersatter", "ovrigt"),
    ),
    "formular": (("id", "version"), ()),
    "patient": (("personid", "namn"), ()),
    "grund": (("underlag",), ("kand_sedan", "identitet")),
    "grund.underlag": (("typ", "datum"), ("beskrivning",)),
    "sysselsattning": (("typ",), ("timmar_per_vecka",)),
    "diagnoser": (("kod", "text"), ()),
    "funktionsnedsattning": (("beskrivning",), ("icf",)),
    "funktionsnedsattning.icf": (("kod", "grad"), ()),
    "aktivitetsbegransning": (("beskrivning",), ("icf",)),
    "aktivitetsbegransning.icf": (("kod", "grad"), ()),
    "behandling": (("beskrivning", "kan_forvarras"), ("slutdatum", "forvarrande_aktiviteter")),
    "bedomning": (
        ("forhindrad", "formaga_trots_sjukdom"),
        ("perioder", "anpassningar", "anpassningar_beskrivning"),
    ),
    "bedomning.perioder": (("fran", "till", "omfattning"), ()),
    "prognos": (("typ",), ("anpassning", "motivering", "manader")),
    "samverkan": (("kontakt_onskas",), ("rekommendationer", "kontakt_anledning")),
    "utfardare": (("namn", "hsa_id", "befattning", "vardenhet", "ort"), ()),
    "utfardare.vardenhet": (
        ("namn", "postadress", "postnummer", "postort", "telefon"),
        ("hsa_id", "arbetsplatskod"),
    ),
}
"""Every object by linkId: (required properties, optional properties)."""


@dataclass(frozen=True)
class Condition:
    """A conditional question: ``field`` of the object at ``obj`` depends on ``control``.

    ``enable``: the question applies only when ``holds``; then required if ``required``, and it
    must be left out otherwise. Not ``enable``: always allowed, required when ``holds``.
    """

    obj: str
    field: str
    control: str
    holds: Callable[[Any], bool]
    required: bool = True
    enable: bool = True


CONDITIONS: tuple[Condition, ...] = (
    Condition("grund.underlag", "beskrivning", "typ", lambda v: v == "ANNAT"),
    Condition(
        "sysselsattning",
        "timmar_per_vecka",
        "typ",
        lambda v: v is not None and not {"INGEN", "OKAND"} & set(v),
        required=False,
    ),
    Condition("behandling", "forvarrande_aktiviteter", "kan_forvarras", lambda v: v is True),
    Condition("bedomning", "perioder", "forhindrad", lambda v: v is True),
    Condition(
        "bedomning",
        "anpassningar_beskrivning",
        "anpassningar",
        lambda v: v is not None and "ANNAN" in v,
        enable=False,
    ),
    Condition("prognos", "anpassning", "typ", lambda v: v == "ATERGAR_MED_ANPASSNING"),
    Condition("prognos", "motivering", "typ", lambda v: v == "KAN_EJ_BEDOMAS"),
    Condition(
        "prognos",
        "manader",
        "typ",
        lambda v: v in ("ATERGAR_UTAN_ANPASSNING", "ATERGAR_MED_ANPASSNING"),
        required=False,
    ),
    Condition("samverkan", "kontakt_anledning", "kontakt_onskas", lambda v: v is True),
)

# A valid answer for each conditional question (for "present although not applicable").
_COND_VALUES: dict[str, Any] = {
    "grund.underlag.beskrivning": "Uppgifter från arbetsterapeut.",
    "sysselsattning.timmar_per_vecka": 20,
    "behandling.forvarrande_aktiviteter": "Tunga lyft.",
    "bedomning.perioder": [{"fran": "2026-01-01", "till": "2026-01-31", "omfattning": 100}],
    "prognos.anpassning": "Kortare dagar.",
    "prognos.motivering": "Utredning pågår.",
    "prognos.manader": 3,
    "samverkan.kontakt_anledning": "Planering.",
}
# Control answers that make each enable-condition false (or true), given the current answer.
_FLIP_OFF: dict[str, Callable[[Any], Any]] = {
    "grund.underlag.beskrivning": lambda v: "UNDERSOKNING",
    "sysselsattning.timmar_per_vecka": lambda v: ["INGEN"],
    "behandling.forvarrande_aktiviteter": lambda v: False,
    "bedomning.perioder": lambda v: False,
    "prognos.anpassning": lambda v: "ATERGAR_EJ",
    "prognos.motivering": lambda v: "ATERGAR_UTAN_ANPASSNING",
    "prognos.manader": lambda v: "KAN_EJ_BEDOMAS",
    "samverkan.kontakt_anledning": lambda v: False,
}
_FLIP_ON: dict[str, Any] = {
    "grund.underlag.beskrivning": "ANNAT",
    "behandling.forvarrande_aktiviteter": True,
    "bedomning.perioder": True,
    "prognos.anpassning": "ATERGAR_MED_ANPASSNING",
    "prognos.motivering": "KAN_EJ_BEDOMAS",
    "samverkan.kontakt_anledning": True,
}


def link_id(path: Path) -> str:
    """The linkId of a JSON path: its property names joined with dots, indices dropped."""
    return ".".join(p for p in path if isinstance(p, str))


def walk(data: Json, path: Path = ()) -> Iterator[tuple[Path, Json]]:
    """Every (path, value) in ``data``, parents before children."""
    yield path, data
    if isinstance(data, dict):
        for k, v in data.items():
            yield from walk(v, (*path, k))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            yield from walk(v, (*path, i))


def get(data: Json, path: Path) -> Json:
    """The value at ``path``."""
    for p in path:
        data = data[p]
    return data


def node_type(path: Path) -> Literal["object", "list", "leaf"]:
    """What the form says sits at ``path``."""
    lid = link_id(path)
    if path and not isinstance(path[-1], int) and lid in LISTS:
        return "list"
    if lid in OBJECTS:
        return "object"
    return "leaf"


# ----------------------------------------------------------------------------- mutations


@dataclass(frozen=True)
class Mutation:
    """One change to a valid certificate.

    ``expect``: ``structural`` -- the model reports a structural code and the schema rejects;
    ``beyond_schema`` -- the model rejects only with codes outside the schema's reach and the
    schema accepts; ``agree`` -- only that the two agree.
    """

    kind: str
    path: Path
    data: dict[str, Any]
    expect: Literal["structural", "beyond_schema", "agree"]

    def __repr__(self) -> str:
        return f"Mutation({self.kind!r}, {link_id(self.path) or '<root>'!r}, {self.expect})"


Candidate = tuple[str, Path, Callable[[st.DrawFn, dict[str, Any]], None]]

STRUCTURAL_KINDS = (
    "delete_required",
    "unknown_key",
    "wrong_type",
    "null_optional",
    "text_too_long",
    "blank_text",
    "bad_code",
    "bad_date",
    "list_too_long",
    "list_empty",
    "conditional_forbidden",
    "conditional_missing",
    "trailing_newline",
    "bad_pattern",
    "out_of_range",
    "lax_int_code",
)
BEYOND_SCHEMA_KINDS = (
    "personid_check_digit",
    "personid_date",
    "personid_century",
    "icd10_unknown",
    "period_overlap",
    "period_reversed",
    "date_after_sign_date",
    "duplicate_value",
    "exclusive_code",
    "replaces_itself",
    "invalid_character",
    "date_out_of_range",
)
AGREE_KINDS = ("float_for_code", "float_for_int")
"""JSON has one number type: 40.0 is the integer 40 to JSON Schema, and so to the model."""

_WRONG_TYPE_VALUES: dict[str, tuple[Any, ...]] = {
    "text": (1, 1.5, True, None, [], {}, ["text"]),
    "pattern": (1, True, None, [], {}),
    "date": (20260101, True, None, [], {}),
    "code": (True, None, [], {}, ["X"], 1.5),
    "int_code": (None, [], {}, "två", 2.5),
    "int": ("20", "tjugo", True, False, None, [], {}, 20.5),
    "bool": ("true", "ja", 1, 0, None, [], {}),
    "list": ("ARBETE", {}, None, 1, {"0": 1}),
    "object": ("x", [], None, 1, True),
}
_BLANKS = ("", " ", "\n", "\t \r\n", "\u00a0", "\u3000", "\u2028", " \u200a ")
_BAD_DATES = (
    "2026-02-30",
    "2026-1-01",
    "20260101",
    "2026-13-01",
    "2026-00-10",
    "2026-01-32",
    "2025-02-29",
    "26-01-01",
    "2026-01-01T00:00:00",
    "2026-01-01\n",
    "2026/01/01",
    "٢٠٢٦-٠١-٠١",
    "",
)
_BAD_PATTERN: dict[str, tuple[str, ...]] = {
    "uuid": (
        "not-a-uuid",
        "6f1c2b9e3d4a4c5b9e8f1a2b3c4d5e6f",
        "{6f1c2b9e-3d4a-4c5b-9e8f-1a2b3c4d5e6f}",
    ),
    "personid": ("19121212121", "1912121212123", "19121212_1212", "١٩١٢١٢١٢١٢١٢", ""),
    "icd10": ("f32.1", "F321", "F32.", "F32.123", "32.1", "F3.1", ""),
    "icf": ("x130", "b12", "b123456", "B130", "d 130", ""),
    "hsa_id": ("SE123-ABC", "se2321000016-ABC1", "SE2321000016ABC1", "SE2321000016-", ""),
    "postnummer": ("1234", "123456", "12 345", "abc de"),
    "telefon": ("abc", "12", "+", "010 123 45 67 89 10 11 12 13"),
    "arbetsplatskod": ("", "12345678901", "12a"),
}
_PATTERN_GROUP: dict[str, str] = {
    "intygsid": "uuid",
    "ersatter": "uuid",
    "patient.personid": "personid",
    "diagnoser.kod": "icd10",
    "funktionsnedsattning.icf.kod": "icf",
    "aktivitetsbegransning.icf.kod": "icf",
    "utfardare.hsa_id": "hsa_id",
    "utfardare.vardenhet.hsa_id": "hsa_id",
    "utfardare.vardenhet.postnummer": "postnummer",
    "utfardare.vardenhet.telefon": "telefon",
    "utfardare.vardenhet.arbetsplatskod": "arbetsplatskod",
}


def _setter(path: Path, value: Any) -> Callable[[st.DrawFn, dict[str, Any]], None]:
    def apply(draw: st.DrawFn, data: dict[str, Any]) -> None:
        get(data, path[:-1])[path[-1]] = copy.deepcopy(value)

    return apply


def _drawn_setter(
    path: Path, values: st.SearchStrategy[Any]
) -> Callable[[st.DrawFn, dict[str, Any]], None]:
    def apply(draw: st.DrawFn, data: dict[str, Any]) -> None:
        get(data, path[:-1])[path[-1]] = draw(values)

    return apply


def _deleter(path: Path) -> Callable[[st.DrawFn, dict[str, Any]], None]:
    def apply(draw: st.DrawFn, data: dict[str, Any]) -> None:
        del get(data, path[:-1])[path[-1]]

    return apply


def _condition_for(obj_lid: str, key: str) -> Condition | None:
    for c in CONDITIONS:
        if c.obj == obj_lid and c.field == key:
            return c
    return None


def _structural_candidates(data: dict[str, Any]) -> list[Candidate]:
    out: list[Candidate] = []
    for path, value in walk(data):
        lid = link_id(path)
        if lid.startswith("formular"):
            continue  # another form version: tested on its own
        ntype = node_type(path)
        if not _fits(ntype, lid, value):
            continue  # already broken by an earlier change
        if ntype == "object":
            required, optional = OBJECTS[lid]
            for key in required:
                if key in value:
                    out.append(("delete_required", (*path, key), _deleter((*path, key))))
            out.append(
                (
                    "unknown_key",
                    path,
                    _drawn_setter(
                        (*path, "okand_nyckel"),
                        st.sampled_from(("x", 1, None, {}, [])),
                    ),
                )
            )
            for key in optional:
                cond = _condition_for(lid, key)
                if cond is None or cond.enable is False or key in value:
                    out.append(("null_optional", (*path, key), _setter((*path, key), None)))
            for cond in CONDITIONS:
                if cond.obj != lid:
                    continue
                out.extend(_condition_candidates(path, value, cond))
        if path:
            tkey: str = ntype
            if ntype == "leaf":
                leaf = LEAVES[lid]
                tkey = leaf.kind
                if leaf.kind == "code" and isinstance(leaf.codes[0], int):
                    tkey = "int_code"
            wrong = st.sampled_from(_WRONG_TYPE_VALUES[tkey])
            out.append(("wrong_type", path, _drawn_setter(path, wrong)))
        if ntype == "list":
            _, hi = LISTS[lid]
            out.append(("list_empty", path, _setter(path, [])))
            out.append(("list_too_long", path, _grow(path, hi + 1)))
        if ntype == "leaf" and path:
            out.extend(_leaf_candidates(path, lid, value))
    return out


def _fits(ntype: str, lid: str, value: Any) -> bool:
    if ntype == "object":
        return isinstance(value, dict)
    if ntype == "list":
        return isinstance(value, list) and len(value) > 0
    leaf = LEAVES.get(lid)
    if leaf is None:
        return False
    if leaf.kind in ("text", "pattern", "date") or (
        leaf.kind == "code" and isinstance(leaf.codes[0], str)
    ):
        return isinstance(value, str)
    if leaf.kind == "bool":
        return isinstance(value, bool)
    return isinstance(value, int) and not isinstance(value, bool)


def _grow(path: Path, size: int) -> Callable[[st.DrawFn, dict[str, Any]], None]:
    def apply(draw: st.DrawFn, data: dict[str, Any]) -> None:
        items = get(data, path)
        while len(items) < size:
            items.append(copy.deepcopy(items[len(items) % max(1, len(items))]))

    return apply


def _leaf_candidates(path: Path, lid: str, value: Any) -> list[Candidate]:
    leaf = LEAVES[lid]
    out: list[Candidate] = []
    if leaf.kind == "text":
        too_long = st.builds(
            lambda s: (s * (leaf.max_length + 1))[: leaf.max_length + 1],
            st.sampled_from(("a", "ö", "😀", "a b\n")),
        )
        out.append(("text_too_long", path, _drawn_setter(path, too_long)))
        out.append(("blank_text", path, _drawn_setter(path, st.sampled_from(_BLANKS))))
    elif leaf.kind == "code":
        if isinstance(leaf.codes[0], int):
            bad: tuple[Any, ...] = (-1, 5, 10, 30, 99, 101)
            bad = tuple(b for b in bad if b not in leaf.codes)
            out.append(("float_for_code", path, _setter(path, float(value))))
            lax = st.sampled_from((str(value), True, False, f" {value}", f"0{value}"))
            out.append(("lax_int_code", path, _drawn_setter(path, lax)))
        else:
            bad = ("OKAND_KOD", str(value).lower(), str(value) + " ", str(value) + "\n", "")
            bad = tuple(b for b in bad if b not in leaf.codes)
        out.append(("bad_code", path, _drawn_setter(path, st.sampled_from(bad))))
    elif leaf.kind == "date":
        out.append(("bad_date", path, _drawn_setter(path, st.sampled_from(_BAD_DATES))))
        out.append(("trailing_newline", path, _setter(path, f"{value}\n")))
    elif leaf.kind == "pattern":
        out.append(("trailing_newline", path, _setter(path, f"{value}\n")))
        bad_values = st.sampled_from(_BAD_PATTERN[_PATTERN_GROUP[lid]])
        out.append(("bad_pattern", path, _drawn_setter(path, bad_values)))
    elif leaf.kind == "int":
        outside = st.sampled_from((leaf.lo - 1, leaf.hi + 1, -5, 10**6))
        out.append(("out_of_range", path, _drawn_setter(path, outside)))
        out.append(("float_for_int", path, _setter(path, float(value))))
    if leaf.kind == "text":
        bad_char = st.sampled_from((*CONTROL_CHARACTERS, "\ud800", "\udfff", "\ud83d"))
        out.append(("invalid_character", path, _insert_character(path, bad_char)))
    if leaf.kind == "date":
        outside = st.one_of(
            dates(dt.date(1000, 1, 1), dt.date(1899, 12, 31)),
            dates(dt.date(2200, 1, 1), dt.date(9999, 12, 31)),
        ).map(iso)
        out.append(("date_out_of_range", path, _drawn_setter(path, outside)))
    return out


def _insert_character(
    path: Path, chars: st.SearchStrategy[str]
) -> Callable[[st.DrawFn, dict[str, Any]], None]:
    def apply(draw: st.DrawFn, data: dict[str, Any]) -> None:
        parent = get(data, path[:-1])
        text: str = parent[path[-1]]
        # Keep the length within the limit: replace a character rather than add one (a text
        # already at its maximum length must not grow, or the mutation turns structural).
        at = draw(st.integers(0, len(text) - 1))
        new = text[:at] + draw(chars) + text[at + 1 :]
        if _NON_BLANK.search(new) is None:  # the bad character may count as whitespace
            other = at + 1 if at + 1 < len(new) else at - 1
            new = new[:other] + "x" + new[other + 1 :] if other >= 0 else new + "x"
        parent[path[-1]] = new

    return apply


def _condition_candidates(path: Path, obj: dict[str, Any], cond: Condition) -> list[Candidate]:
    out: list[Candidate] = []
    fpath = (*path, cond.field)
    cpath = (*path, cond.control)
    lid = f"{cond.obj}.{cond.field}"
    holds = cond.holds(obj.get(cond.control))
    if cond.enable:
        if not holds:
            out.append(("conditional_forbidden", fpath, _setter(fpath, _COND_VALUES[lid])))
        elif cond.field in obj:
            out.append(("conditional_forbidden", cpath, _setter(cpath, _FLIP_OFF[lid](None))))
        if cond.required:
            if holds and cond.field in obj:
                out.append(("conditional_missing", fpath, _deleter(fpath)))
            elif not holds and cond.field not in obj and lid in _FLIP_ON:
                out.append(("conditional_missing", cpath, _setter(cpath, _FLIP_ON[lid])))
    elif "anpassningar_beskrivning" not in obj:
        current = list(obj.get("anpassningar", ()))
        if "ANNAN" not in current and len(current) < 9:
            out.append(("conditional_missing", cpath, _setter(cpath, [*current, "ANNAN"])))
    return out


def _beyond_schema_candidates(data: dict[str, Any]) -> list[Candidate]:
    out: list[Candidate] = []
    sign = dt.date.fromisoformat(data["signeringsdatum"])
    pid = data["patient"]["personid"]
    pp = ("patient", "personid")
    wrong = (int(pid[-1]) + 1) % 10
    out.append(("personid_check_digit", pp, _setter(pp, pid[:-1] + str(wrong))))
    body = f"{pid[2:4]}0230{pid[8:11]}"  # 30 February of the birth year
    out.append(("personid_date", pp, _setter(pp, f"{pid[:2]}{body}{luhn_check_digit(body)}")))
    # Ten digits without a separator, born in this century before the sign date: 19YY and
    # 20YY are both in the past, so the century cannot be told.
    if sign.year >= 2001:
        born_year = 2000 + (sign.year - 2001) % 100
        body10 = f"{born_year % 100:02d}0101123"
        out.append(("personid_century", pp, _setter(pp, body10 + str(luhn_check_digit(body10)))))
    for i in range(len(data["diagnoser"])):
        kp = ("diagnoser", i, "kod")
        out.append(("icd10_unknown", kp, _drawn_setter(kp, st.sampled_from(ICD10_UNKNOWN))))
    bed = data["bedomning"]
    perioder_ = bed.get("perioder")
    if perioder_:
        if len(perioder_) < 4:
            pp_ = ("bedomning", "perioder")
            out.append(("period_overlap", pp_, _grow(pp_, len(perioder_) + 1)))
        for i, p in enumerate(perioder_):
            if p["fran"] != p["till"]:
                out.append(("period_reversed", ("bedomning", "perioder", i), _swap_period(i)))
    later = st.integers(1, 400).map(lambda n: iso(sign + dt.timedelta(days=n)))
    for i in range(len(data["grund"]["underlag"])):
        dp = ("grund", "underlag", i, "datum")
        out.append(("date_after_sign_date", dp, _drawn_setter(dp, later)))
    kp_ = ("grund", "kand_sedan")
    out.append(("date_after_sign_date", kp_, _drawn_setter(kp_, later)))
    for lp, hi in (
        (("grund", "underlag"), 5),
        (("funktionsnedsattning", "icf"), 20),
        (("aktivitetsbegransning", "icf"), 20),
        (("bedomning", "anpassningar"), 9),
        (("samverkan", "rekommendationer"), 5),
        (("sysselsattning", "typ"), 8),
    ):
        items = _maybe(data, lp)
        if items and len(items) < hi and items[0] not in ("INGEN", "OKAND"):
            out.append(("duplicate_value", lp, _grow(lp, len(items) + 1)))
    out.append(("exclusive_code", ("sysselsattning", "typ"), _exclusive))
    out.append(("replaces_itself", ("ersatter",), _replaces_itself))
    return out


def _maybe(data: dict[str, Any], path: Path) -> Any:
    try:
        return get(data, path)
    except KeyError:
        return None


def _swap_period(i: int) -> Callable[[st.DrawFn, dict[str, Any]], None]:
    def apply(draw: st.DrawFn, data: dict[str, Any]) -> None:
        p = data["bedomning"]["perioder"][i]
        p["fran"], p["till"] = p["till"], p["fran"]

    return apply


def _exclusive(draw: st.DrawFn, data: dict[str, Any]) -> None:
    syss = data["sysselsattning"]
    alone = draw(st.sampled_from(("INGEN", "OKAND")))
    other = draw(st.sampled_from(AKTIVITETER))
    syss["typ"] = draw(st.permutations([alone, other]))
    syss.pop("timmar_per_vecka", None)  # not applicable once "none"/"unknown" is chosen


def _replaces_itself(draw: st.DrawFn, data: dict[str, Any]) -> None:
    own = data["intygsid"]
    data["ersatter"] = draw(st.sampled_from((own, own.upper(), own.lower())))


def _candidates(data: dict[str, Any]) -> dict[str, list[Candidate]]:
    by_kind: dict[str, list[Candidate]] = {}
    for cand in _structural_candidates(data) + _beyond_schema_candidates(data):
        by_kind.setdefault(cand[0], []).append(cand)
    return by_kind


def _expectation(kind: str) -> Literal["structural", "beyond_schema", "agree"]:
    if kind in STRUCTURAL_KINDS:
        return "structural"
    if kind in BEYOND_SCHEMA_KINDS:
        return "beyond_schema"
    return "agree"


@st.composite
def mutations(
    draw: st.DrawFn,
    kinds: tuple[str, ...] = STRUCTURAL_KINDS + BEYOND_SCHEMA_KINDS + AGREE_KINDS,
) -> Mutation:
    """A valid certificate changed in one way, of one of ``kinds``."""
    data = draw(valid_certificates())
    by_kind = _candidates(data)
    available = sorted(k for k in kinds if by_kind.get(k))
    assume(available)
    kind = draw(st.sampled_from(available))
    _, path, apply = draw(st.sampled_from(by_kind[kind]))
    mutated = copy.deepcopy(data)
    apply(draw, mutated)
    return Mutation(kind, path, mutated, _expectation(kind))


@st.composite
def mutated_certificates(draw: st.DrawFn, max_changes: int = 3) -> dict[str, Any]:
    """A valid certificate changed in 1 to ``max_changes`` ways (any kind but the known ones)."""
    data = draw(valid_certificates())
    allowed = set(STRUCTURAL_KINDS + BEYOND_SCHEMA_KINDS + AGREE_KINDS)
    for _ in range(draw(st.integers(1, max_changes))):
        if not isinstance(data, dict):
            break
        try:
            by_kind = _candidates(data)
        except (KeyError, TypeError, AttributeError, ValueError, IndexError):
            # an earlier change broke what the next one reads; still a test input
            break
        available = sorted(k for k in by_kind if k in allowed)
        kind = draw(st.sampled_from(available))
        _, _, apply = draw(st.sampled_from(by_kind[kind]))
        try:
            apply(draw, data)
        except (KeyError, TypeError, AttributeError, IndexError):
            continue
    return data
