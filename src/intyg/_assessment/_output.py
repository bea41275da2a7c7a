"""The assessment: a typed, JSON-serialisable result with its own JSON Schema; its fields cannot
be reassigned (frozen), while its lists and dictionaries are plain ones, each result its own.

Keys are ASCII Swedish; titles and descriptions (published in the schema) are Swedish. Other tools
rely on ``regelverk.version``, ``regelverk.status``, ``aktiviteter[].typ``, ``aktiviteter[].niva``,
``aktiviteter[].timmar_per_vecka``, ``fynd[].regel`` and ``fynd[].falt``.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Iterator
from typing import Annotated, Any, ClassVar, Literal, TypeVar

import orjson
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field
from pydantic_core import PydanticCustomError, to_jsonable_python
from pydantic_core import to_json as _pydantic_json
from typing_extensions import TypedDict

from .._fieldchecks import iso_date
from .._form import masked_repr_args

SCHEMA_VERSION = "1.0.0"
SCHEMA_ID = f"urn:intyg:schema:bedomning:{SCHEMA_VERSION}"

Level = Literal["KAN_DELTA", "KAN_DELTA_DELVIS", "FORHINDRAD", "UNDERLAG_OTILLRACKLIGT"]
Definite = Literal["KAN_DELTA", "KAN_DELTA_DELVIS", "FORHINDRAD"]
Utfall = Literal["sant", "falskt", "okant"]


def _written_as_a_date(value: Any) -> Any:
    """A date given as text (an assessment read back) must be written ``YYYY-MM-DD``, as
    intyg writes it: pydantic also reads digits as a Unix time (``"0"`` is 1970-01-01) and
    a date with a time of midnight."""
    if isinstance(value, str):
        parsed = iso_date(value)
        if parsed is None:
            raise PydanticCustomError("invalid_date", "invalid_date")
        return parsed
    return value


Date = Annotated[_dt.date, BeforeValidator(_written_as_a_date)]
"""A date of the assessment (built by intyg as a date; read back from ``YYYY-MM-DD`` only)."""


class _Out(BaseModel):
    # hide_input_in_errors: a ValidationError of an assessment given to check names the place,
    # not what was there (a limitation's ICF code, say).
    model_config = ConfigDict(frozen=True, extra="forbid", hide_input_in_errors=True)

    shown_in_repr: ClassVar[frozenset[str]] = frozenset()
    """Fields whose text ``repr`` shows (ids, codes of the rule set, levels). Every other text,
    alone or in a list, is shown as ``…``: an assessment says things about the person's health
    (a message may name a kind of diagnosis, a limitation its area), which must not reach a log
    line, as ``repr`` of the certificate hides them (:class:`intyg._form.Section`). Numbers,
    dates and the structure are shown."""

    shown_keys_in_repr: ClassVar[dict[str, frozenset[str]]] = {}
    """For a field of entries (dicts, or lists of them), the keys whose text ``repr`` shows."""

    def __repr_args__(self) -> Iterator[tuple[str | None, Any]]:
        cls = type(self)
        return masked_repr_args(super().__repr_args__(), cls.shown_in_repr, cls.shown_keys_in_repr)


class Regelverk(_Out):
    """Regelverket som användes."""

    shown_in_repr: ClassVar[frozenset[str]] = frozenset(
        {"id", "titel", "version", "status", "bygger_pa", "checksumma"}
    )

    id: str = Field(title="Regelverkets id")
    titel: str = Field(title="Regelverkets namn")
    version: str = Field(title="Version (semver)")
    status: Literal["forslag", "gallande", "upphavd"] = Field(
        title="Status",
        description="forslag betyder att regelverket bygger på förslag som inte är beslutade.",
    )
    giltig_fran: Date = Field(title="Gäller för bedömningsdatum från och med")
    giltig_till: Date | None = Field(title="Gäller till och med (tomt = tills vidare)")
    forsta_period: Date = Field(
        title="Första bedömda period", description="Första stödmånaden som regelverket avser."
    )
    bygger_pa: str | None = Field(title="Bygger på regelverket")
    checksumma: str = Field(title="Kontrollsumma (sha256) över regler, kravprofil och källor")


class Lasning(TypedDict):
    """Ett värde som en regel läste."""

    namn: Annotated[
        str,
        Field(
            title="Fält eller härledd storhet",
            description="Fältets sökväg i intyget, eller harlett.<namn> för en härledd storhet.",
        ),
    ]
    varde: Annotated[
        Any,
        Field(
            title="Värdet som lästes",
            description="Fritext återges aldrig; för sådana fält anges bara om de är ifyllda.",
        ),
    ]


class Skal(TypedDict):
    """Ett skäl till nivån."""

    regel: Annotated[str, Field(title="Regelns id")]
    utfall: Annotated[Utfall, Field(title="Regelns utfall")]
    text: Annotated[str, Field(title="Skälet i klartext")]


class PeriodTimmar(TypedDict):
    """En period i intyget omräknad till timmar per vecka."""

    fran: Annotated[Date, Field(title="Från och med")]
    till: Annotated[Date, Field(title="Till och med")]
    omfattning: Annotated[int, Field(title="Förhindrad i procent")]
    timmar_per_vecka: Annotated[float, Field(title="Timmar per vecka som personen kan delta")]


class Anpassningsforslag(TypedDict):
    """En anpassning att överväga."""

    kod: Annotated[str, Field(title="Anpassningens kod")]
    text: Annotated[str, Field(title="Anpassningen i klartext")]
    kalla: Annotated[
        Literal["intyg", "kravprofil"],
        Field(
            title="Varifrån",
            description="intyg: läkaren har angett den; kravprofil: föreslås av stödet utifrån en "
            "begränsning som väger tungt för aktivitetstypen.",
        ),
    ]


class Begransning(TypedDict):
    """En angiven begränsning som påverkar aktivitetstypen."""

    kod: Annotated[str, Field(title="ICF-kod")]
    grad: Annotated[int, Field(title="Grad 0–4")]
    omrade: Annotated[str | None, Field(title="Område i kravprofilen")]
    krav: Annotated[Literal["mattlig", "hog"], Field(title="Aktivitetstypens krav inom området")]
    lista: Annotated[
        Literal["aktivitetsbegransning", "funktionsnedsattning"], Field(title="Var i intyget")
    ]


class NivaIntervall(TypedDict):
    """De nivåer som är förenliga med underlaget."""

    lagsta: Annotated[Definite, Field(title="Lägsta möjliga nivå")]
    hogsta: Annotated[Definite, Field(title="Högsta möjliga nivå")]


class Aktivitet(_Out):
    """Stöd för en aktivitetstyp."""

    __hash__ = None  # type: ignore[assignment]  # holds lists: no hash, for type checkers too
    shown_in_repr: ClassVar[frozenset[str]] = frozenset({"typ", "niva"})
    shown_keys_in_repr: ClassVar[dict[str, frozenset[str]]] = {
        "niva_intervall": frozenset({"lagsta", "hogsta"}),
        "anpassningar": frozenset({"kalla"}),
        "skal": frozenset({"regel", "utfall"}),
    }

    typ: str = Field(title="Aktivitetstyp")
    niva: Level = Field(
        title="Nivå",
        description="UNDERLAG_OTILLRACKLIGT när underlaget inte räcker för en enda nivå.",
    )
    niva_intervall: NivaIntervall = Field(title="Möjliga nivåer")
    timmar_per_vecka: float | None = Field(
        title="Timmar per vecka på bedömningsdatumet",
        description="Tomt när förhindret på datumet är okänt; 0 när nivån är FORHINDRAD.",
    )
    timmar_bas: int = Field(title="Timmar per vecka som räkningen utgår från (heltid 40)")
    perioder: list[PeriodTimmar] = Field(title="Timmar per vecka per period")
    anpassningar: list[Anpassningsforslag] = Field(title="Anpassningar att överväga")
    begransningar: list[Begransning] = Field(title="Begränsningar som påverkar aktiviteten")
    skal: list[Skal] = Field(title="Skäl")


class Fynd(_Out):
    """Ett fynd om intygets fullständighet eller samstämmighet."""

    __hash__ = None  # type: ignore[assignment]  # holds lists: no hash, for type checkers too
    shown_in_repr: ClassVar[frozenset[str]] = frozenset(
        {"regel", "utfall", "allvarlighet", "falt", "kallor", "aktiviteter"}
    )
    shown_keys_in_repr: ClassVar[dict[str, frozenset[str]]] = {"varden": frozenset({"namn"})}

    regel: str = Field(title="Regelns id")
    utfall: Literal["sant", "okant"] = Field(
        title="Utfall", description="okant: regeln kunde inte prövas eftersom uppgifter saknas."
    )
    allvarlighet: Literal["info", "varning", "komplettering"] = Field(title="Allvarlighet")
    meddelande: str = Field(title="Meddelande till handläggaren")
    fraga: str | None = Field(title="Förslag på fråga till läkaren")
    falt: list[str] = Field(title="Fält i intyget som regeln läste")
    varden: list[Lasning] = Field(title="Värden som regeln läste")
    kallor: list[str] = Field(title="Källor (id i källförteckningen)")
    aktiviteter: list[str] = Field(title="Aktivitetstyper som berörs (tomt = alla eller ingen)")


class NastaSteg(_Out):
    """Ett möjligt nästa steg."""

    __hash__ = None  # type: ignore[assignment]  # holds lists: no hash, for type checkers too
    shown_in_repr: ClassVar[frozenset[str]] = frozenset({"regel", "aktor", "medverkande", "kallor"})

    regel: str = Field(title="Regelns id")
    aktor: Literal["socialnamnd", "region", "forsakringskassan", "arbetsformedlingen"] = Field(
        title="Ansvarig aktör"
    )
    medverkande: list[str] = Field(title="Medverkande aktörer")
    text: str = Field(title="Steget i klartext")
    kallor: list[str] = Field(title="Källor")


class Uppfoljning(_Out):
    """När underlaget bör följas upp."""

    datum: Date = Field(title="Följ upp senast")
    skal: str = Field(title="Varför detta datum")
    jamstalldhet: str = Field(title="Jämställdhet i uppföljningen")


class Kallhanvisning(TypedDict):
    """En källa som bedömningen hänvisar till."""

    id: Annotated[str, Field(title="Källans id")]
    hanvisning: Annotated[str, Field(title="Hänvisning")]
    titel: Annotated[str, Field(title="Titel")]
    typ: Annotated[str, Field(title="Slag av källa")]
    status: Annotated[Literal["forslag", "gallande", "upphavd"], Field(title="Status")]
    verifiering: Annotated[
        Literal["V", "S", "att_verifiera"],
        Field(
            title="Verifiering",
            description="att_verifiera: kapitel och paragraf är inte kontrollerade.",
        ),
    ]


class Regelutfall(TypedDict):
    """Utfallet av en regel (alla regler prövas)."""

    regel: Annotated[str, Field(title="Regelns id")]
    aktivitet: Annotated[
        str | None, Field(title="Aktivitetstyp, för regler som prövas per aktivitetstyp")
    ]
    utfall: Annotated[Utfall, Field(title="Utfall")]


class Assessment(_Out):
    """Bedömningsstöd för ett läkarintyg till socialnämnden.

    Made by :func:`intyg.assess`; read back from its JSON data with
    :func:`intyg.load_assessment`. ``to_json()`` gives the JSON data (a dict), ``str()`` a short
    form with no personal data; :func:`intyg.format_assessment` gives readable text and
    :func:`intyg.render` a printable report. Support for a case officer, not a decision.
    """

    __hash__ = None  # type: ignore[assignment]  # holds lists: no hash, for type checkers too
    shown_in_repr: ClassVar[frozenset[str]] = frozenset(
        {"schemaversion", "intygsid", "motorversion"}
    )
    shown_keys_in_repr: ClassVar[dict[str, frozenset[str]]] = {
        "kallor": frozenset({"id", "hanvisning", "titel", "typ", "status", "verifiering"}),
        "regelutfall": frozenset({"regel", "aktivitet", "utfall"}),
    }

    schemaversion: str = Field(title="Version av detta schema", default=SCHEMA_VERSION)
    intygsid: str = Field(title="Intygets id")
    bedomningsdatum: Date = Field(title="Bedömningsdatum")
    regelverk: Regelverk = Field(title="Regelverk")
    motorversion: str = Field(title="Version av intyg (programmet)")
    meddelande: str = Field(title="Stöd, inte beslut")
    aktiviteter: list[Aktivitet] = Field(title="Per aktivitetstyp")
    fynd: list[Fynd] = Field(title="Fynd: vad som saknas eller inte stämmer")
    nasta_steg: list[NastaSteg] = Field(title="Nästa steg")
    uppfoljning: Uppfoljning = Field(title="Uppföljning")
    kallor: list[Kallhanvisning] = Field(title="Källor som bedömningen hänvisar till")
    regelutfall: list[Regelutfall] = Field(title="Utfall för varje prövad regel")

    def to_json(self) -> dict[str, Any]:
        """The assessment as JSON data (same as ``model_dump(mode="json")``, fresh each call).

        Written out field by field for speed; a model whose values are not of the declared types
        (possible only through ``model_construct``) falls back to ``model_dump``.
        """
        try:
            return _assessment_json(self)
        except (AttributeError, KeyError, TypeError):
            return self.model_dump(mode="json")

    def aktivitet(self, typ: str) -> Aktivitet:
        """The result for one activity type (a code of :class:`intyg.Sysselsattning`, such as
        ``"ARBETE"``, or the member itself).

        Raises:
            KeyError: no activity type has that code (codes are upper case).
        """
        for a in self.aktiviteter:
            if a.typ == typ:
                return a
        raise KeyError(typ)


def assessment_json_schema() -> dict[str, Any]:
    """The JSON Schema (Draft 2020-12) of the assessment output."""
    schema = Assessment.model_json_schema(mode="serialization")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        **{k: v for k, v in schema.items() if k not in ("title", "description")},
        "title": "Bedömningsstöd för läkarintyg till socialnämnden",
        "description": (
            "Resultatet av intyg.assess: stöd per aktivitetstyp, fynd, nästa steg och "
            f"regelverk. Schemaversion {SCHEMA_VERSION}. Stödet fattar inga beslut."
        ),
    }


# ---------------------------------------------------------------- fast construction and JSON

_M = TypeVar("_M", bound=BaseModel)
_setattr = object.__setattr__
_copy: Callable[[Any], dict[str, Any]] = dict.copy


def _slot_setter(name: str) -> Callable[[Any, Any], None]:
    slot = BaseModel.__dict__.get(name)
    if slot is not None and hasattr(slot, "__set__"):
        return slot.__set__  # type: ignore[no-any-return]
    return lambda m, v: _setattr(m, name, v)  # pragma: no cover - another pydantic layout


_set_fields_set = _slot_setter("__pydantic_fields_set__")
_set_extra = _slot_setter("__pydantic_extra__")
_set_private = _slot_setter("__pydantic_private__")
_new = object.__new__


def make(cls: type[_M], values: dict[str, Any]) -> _M:
    """``cls.model_construct(**values)`` for trusted values that give every field, in field
    order, without its per-call bookkeeping (same ``__dict__`` and fields set)."""
    m = _new(cls)
    _setattr(m, "__dict__", values)
    _set_fields_set(m, set(values))
    _set_extra(m, None)
    _set_private(m, None)
    return m


def _date(d: _dt.date | None) -> str | None:
    return None if d is None else d.isoformat()


def _value(v: Any) -> Any:
    """A value of type Any as JSON data, as pydantic's serializer gives it."""
    t = type(v)
    if t is str or t is int or t is bool or t is float or v is None:
        return v
    if t is list:
        return [_value(x) for x in v]
    if t is dict:
        return {k: _value(x) for k, x in v.items()}
    return to_jsonable_python(v)


class _IsoDates(dict[_dt.date, str]):
    """Dates as ISO text, each formatted once."""

    def __missing__(self, d: _dt.date) -> str:
        text = self[d] = d.isoformat()
        return text


_SCALARS = frozenset({str, int, bool, float, type(None)})


def _fynd_json(f: Fynd) -> dict[str, Any]:
    return {
        "regel": f.regel,
        "utfall": f.utfall,
        "allvarlighet": f.allvarlighet,
        "meddelande": f.meddelande,
        "fraga": f.fraga,
        "falt": list(f.falt),
        "varden": [
            {"namn": x["namn"], "varde": v if type(v := x["varde"]) in _SCALARS else _value(v)}
            for x in f.varden
        ],
        "kallor": list(f.kallor),
        "aktiviteter": list(f.aktiviteter),
    }


def _assessment_json(a: Assessment) -> dict[str, Any]:
    # TypedDict items hold only strings, numbers and None (dates aside), in field order: a copy
    # is their JSON form. Dates repeat (each period once per activity type): each is formatted
    # once.
    iso = _IsoDates()
    activities: list[dict[str, Any]] = []
    for x in a.aktiviteter:
        periods: list[dict[str, Any]] = []
        for p in x.perioder:
            q: dict[str, Any] = _copy(p)
            q["fran"] = iso[q["fran"]]
            q["till"] = iso[q["till"]]
            periods.append(q)
        activities.append(
            {
                "typ": x.typ,
                "niva": x.niva,
                "niva_intervall": x.niva_intervall.copy(),
                "timmar_per_vecka": x.timmar_per_vecka,
                "timmar_bas": x.timmar_bas,
                "perioder": periods,
                "anpassningar": list(map(_copy, x.anpassningar)),
                "begransningar": list(map(_copy, x.begransningar)),
                "skal": list(map(_copy, x.skal)),
            }
        )
    r = a.regelverk
    u = a.uppfoljning
    return {
        "schemaversion": a.schemaversion,
        "intygsid": a.intygsid,
        "bedomningsdatum": a.bedomningsdatum.isoformat(),
        "regelverk": {
            "id": r.id,
            "titel": r.titel,
            "version": r.version,
            "status": r.status,
            "giltig_fran": r.giltig_fran.isoformat(),
            "giltig_till": _date(r.giltig_till),
            "forsta_period": r.forsta_period.isoformat(),
            "bygger_pa": r.bygger_pa,
            "checksumma": r.checksumma,
        },
        "motorversion": a.motorversion,
        "meddelande": a.meddelande,
        "aktiviteter": activities,
        "fynd": [_fynd_json(f) for f in a.fynd],
        "nasta_steg": [
            {
                "regel": s.regel,
                "aktor": s.aktor,
                "medverkande": list(s.medverkande),
                "text": s.text,
                "kallor": list(s.kallor),
            }
            for s in a.nasta_steg
        ],
        "uppfoljning": {
            "datum": u.datum.isoformat(),
            "skal": u.skal,
            "jamstalldhet": u.jamstalldhet,
        },
        "kallor": list(map(_copy, a.kallor)),
        "regelutfall": list(map(_copy, a.regelutfall)),
    }


# ---------------------------------------------------------------- JSON text for batch lines


def _as_json_data(obj: Any) -> Any:
    # orjson asks only for what it does not know itself: an output model gives its fields (its
    # __dict__ holds exactly them, in field order); anything else goes the way pydantic's
    # serializer takes it, as in to_json.
    if isinstance(obj, BaseModel):
        return obj.__dict__
    return to_jsonable_python(obj)


def json_line(data: dict[str, Any]) -> bytes:
    """``data`` as one line of compact UTF-8 JSON text ending in a newline.

    ``data`` may hold an :class:`Assessment` anywhere; it is written as its ``to_json()`` would
    be, straight from the model without building the dictionaries first (about six times faster;
    ``tests/test_assessment_golden.py`` proves the two agree on every golden certificate and
    date). Should orjson refuse
    a value (an integer wider than 64 bits, say), pydantic's serializer writes the line.
    """
    try:
        return orjson.dumps(data, default=_as_json_data, option=orjson.OPT_APPEND_NEWLINE)
    except orjson.JSONEncodeError as exc:
        # orjson wraps what ``default`` raised: Ctrl-C or a signal that stops the command
        # (intyg's CLI raises one in whatever Python code runs) must not become a fallback.
        if exc.__cause__ is not None and not isinstance(exc.__cause__, Exception):
            raise exc.__cause__ from None
        return _pydantic_json(data, fallback=_as_json_data) + b"\n"
