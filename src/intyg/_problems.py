"""Problems: the coded findings of validation and conversion, and their Swedish messages.

Every code is stable (snake_case, never reused) and listed in :data:`CATALOGUE` with a Swedish
message and a default severity. Messages name the field; they never repeat the value, so no
personnummer or free text leaks into logs.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from ._frozen import FrozenDict

Severity = Literal["error", "warning"]


@dataclass(frozen=True, slots=True)
class Problem:
    """One problem found in the input.

    Attributes:
        code: stable snake_case code, e.g. ``personid_invalid``.
        path: the field, as a JSON property path (``bedomning.perioder[1].fran``); ``""`` is the
            whole document.
        message: Swedish text for a person.
        severity: ``error`` makes the certificate invalid; ``warning`` does not.
    """

    code: str
    path: str
    message: str
    severity: Severity = "error"

    def to_dict(self) -> dict[str, str]:
        """The problem as a JSON-ready dict with keys code, path, message, severity."""
        return {
            "code": self.code,
            "path": self.path,
            "message": self.message,
            "severity": self.severity,
        }


@dataclass(frozen=True, slots=True)
class CodeInfo:
    """What a problem code means: its message template, severity and kind."""

    message: str
    severity: Severity = "error"
    # True when JSON Schema can express the check, so the published schema rejects it too.
    structural: bool = False
    # Which error carries the code: validation IntygValidationError (FormVersionError for the
    # version codes), conversion ConversionError, ruleset RuleSetError, render RenderError,
    # output OutputError, schema SchemaDriftError; any: whichever carries the other problems;
    # usage: none, the command line refuses the call with it (exit 2).
    kind: Literal[
        "validation", "conversion", "schema", "ruleset", "render", "output", "any", "usage"
    ] = "validation"


_S = True  # shorthand: checked by the JSON Schema as well

_CODES: dict[str, CodeInfo] = {
    # Structure: checked by the model and by the published JSON Schema alike.
    "required": CodeInfo("Uppgiften saknas.", structural=_S),
    "unknown_field": CodeInfo("Fältet finns inte i formuläret.", structural=_S),
    "wrong_type": CodeInfo("Uppgiften har fel datatyp{expected}.", structural=_S),
    "invalid_code": CodeInfo(
        "Värdet är inte ett av de tillåtna alternativen{allowed}.", structural=_S
    ),
    "invalid_date": CodeInfo(
        "Datumet är inte ett giltigt datum på formen ÅÅÅÅ-MM-DD.", structural=_S
    ),
    "invalid_uuid": CodeInfo(
        "Id:t ska vara ett UUID: 36 tecken, till exempel 6f1c2b9e-3d4a-4c5b-9e8f-1a2b3c4d5e6f.",
        structural=_S,
    ),
    "text_too_long": CodeInfo("Texten är längre än {max_length} tecken.", structural=_S),
    "blank_text": CodeInfo("Texten får inte vara tom eller bara blanksteg.", structural=_S),
    "too_few_items": CodeInfo("Minst {min_length} ska anges.", structural=_S),
    "too_many_items": CodeInfo("Högst {max_length} får anges.", structural=_S),
    "out_of_range": CodeInfo(
        "Värdet ligger utanför det tillåtna intervallet{bound}.", structural=_S
    ),
    "invalid_format": CodeInfo("Värdet har fel format{hint}.", structural=_S),
    "personid_syntax": CodeInfo(
        "Numret ska ha tolv siffror (ÅÅÅÅMMDDNNNN eller ÅÅÅÅMMDD-NNNN) eller tio siffror "
        "(ÅÅMMDD-NNNN, ÅÅMMDD+NNNN från det år personen fyller 100, eller ÅÅMMDDNNNN).",
        structural=_S,
    ),
    "icd10_syntax": CodeInfo(
        "Diagnoskoden har inte formen för ICD-10: en bokstav och två siffror, eventuellt "
        "följda av punkt och ett eller två tecken, till exempel F32.1 eller F43.8A.",
        structural=_S,
    ),
    "hsa_id_syntax": CodeInfo(
        "HSA-id har fel format (SE, tio siffror, bindestreck och en ändelse).", structural=_S
    ),
    "conditional_required": CodeInfo("Uppgiften krävs {villkor}.", structural=_S),
    "conditional_forbidden": CodeInfo(
        "Uppgiften ska lämnas tom: den gäller {villkor}.", structural=_S
    ),
    # Rules beyond JSON Schema: only the model checks them.
    "invalid_character": CodeInfo(
        "Texten innehåller osynliga styrtecken eller ogiltiga tecken som inte kan sparas eller "
        "skrivas ut. De följer ofta med när text kopieras; texten behöver skrivas om eller "
        "klistras in som ren text."
    ),
    "date_out_of_range": CodeInfo("Datumet ligger utanför åren 1900–2199."),
    "personid_invalid": CodeInfo(
        "Personnumret eller samordningsnumret är inte giltigt: datumet, kontrollsiffran eller "
        "skiljetecknet (minus under 100 år, plus från det år personen fyller 100) stämmer inte."
    ),
    "personid_birth_date": CodeInfo(
        "Numret anger ett födelsedatum {detail} intygets datum (signeringsdatum)."
    ),
    "personid_century_ambiguous": CodeInfo(
        "Numret har bara tio siffror, och det går inte att avgöra vilket århundrade personen är "
        "född i (numret saknar skiljetecken, eller det finns inget datum att räkna från). "
        "Numret behöver anges med tolv siffror."
    ),
    "icd10_unknown": CodeInfo(
        "Diagnoskoden finns inte i den kodlista som används (WHO:s ICD-10 eller en angiven lista)."
    ),
    "duplicate_value": CodeInfo("Samma värde förekommer mer än en gång."),
    "exclusive_code": CodeInfo("Alternativet kan inte kombineras med andra alternativ."),
    "period_reversed": CodeInfo("Periodens slutdatum ligger före startdatumet."),
    "period_overlap": CodeInfo(
        "Perioderna överlappar varandra (samma dag i två perioder räknas som överlapp)."
    ),
    "date_after_sign_date": CodeInfo("Datumet får inte ligga efter intygets datum."),
    "replaces_itself": CodeInfo("Intyget kan inte ersätta sig självt."),
    # Warnings: the certificate is valid, but someone should look.
    "period_starts_before_sign_date": CodeInfo(
        "Perioden börjar mer än sju dagar före intygets datum; skälet bör framgå under Övrigt.",
        severity="warning",
    ),
    "icd10_swedish_extension": CodeInfo(
        "Koden finns inte i WHO:s ICD-10 men bygger på en WHO-kod som finns, så den kan vara en "
        "svensk utökning (ICD-10-SE). Kontrollera koden: den har prövats mot WHO:s lista, inte "
        "mot ICD-10-SE.",
        severity="warning",
    ),
    "icd10_duplicate_code": CodeInfo(
        "Samma diagnoskod står redan tidigare bland diagnoserna; varje diagnos anges en gång.",
        severity="warning",
    ),
    "text_line_break_in_single_line": CodeInfo(
        "Fältet är tänkt för en enda rad men texten har radbrytningar; den kan visas eller "
        "skrivas ut på ett oväntat sätt.",
        severity="warning",
    ),
    "text_not_visible": CodeInfo(
        "Texten har inga synliga tecken (bara blanksteg och osynliga tecken, till exempel "
        "nollbreddstecken) och ser tom ut. Texten behöver skrivas om, eller uppgiften lämnas tom.",
        severity="warning",
    ),
    # Reading input and versions.
    "unsupported_form_version": CodeInfo(
        "Formulärversionen{given} stöds inte{newer}. Versioner som stöds: {supported}.",
        structural=_S,
    ),
    "unknown_form": CodeInfo("Okänt formulär. Formulär som stöds: {supported}.", structural=_S),
    "json_syntax": CodeInfo(
        "Indata är inte giltig JSON (rad {line}, kolumn {column}).", kind="conversion"
    ),
    "json_too_deep": CodeInfo(
        "Indata har objekt och listor i fler än {max_depth} nivåer i varandra; intyg läser "
        "den inte.",
        kind="conversion",
    ),
    "json_too_many_elements": CodeInfo(
        "Indata innehåller fler än {max_elements} värden i objekt och listor sammanlagt, långt "
        "fler än ett intyg har; intyg läser den inte.",
        kind="conversion",
    ),
    "input_too_large": CodeInfo("Indata är större än {max_bytes} byte.", kind="conversion"),
    "json_duplicate_key": CodeInfo(
        "Nyckeln förekommer två gånger i samma JSON-objekt.", kind="conversion"
    ),
    "not_an_object": CodeInfo("Indata ska vara ett JSON-objekt.", kind="conversion"),
    "batch_line_given": CodeInfo(
        "Indata är en hel rad från assess --batch, inte ett intyg eller en bedömning; en "
        "bedömd rad har bedömningen i fältet assessment (till exempel jq '.assessment').",
        kind="conversion",
    ),
    "assessment_given": CodeInfo(
        "Indata är en bedömning som intyg har gjort, inte ett intyg. En sparad bedömning skrivs "
        "ut med intyg render --assessment.",
        kind="conversion",
    ),
    "file_unreadable": CodeInfo(
        "Filen kunde inte läsas. Kontrollera att den finns, att den inte är en mapp och att du "
        "får läsa den.",
        kind="conversion",
    ),
    "folder_unreadable": CodeInfo(
        "Mappen kunde inte läsas. Kontrollera att den finns, att det är en mapp och att du får "
        "läsa den.",
        kind="conversion",
    ),
    "encoding": CodeInfo("Indata är inte giltig UTF-8.", kind="conversion"),
    "empty_input": CodeInfo(
        "Indata är tomt: inget intyg att läsa (en tom fil eller rad).", kind="conversion"
    ),
    "too_many_problems": CodeInfo(
        "Ytterligare {count} problem finns men visas inte. De visas när problemen ovan är "
        "rättade och indata kontrolleras igen.",
        kind="any",
    ),
    "icd10_list_empty": CodeInfo(
        "Kodlistan har ingen rad som börjar med en ICD-10-kod; med den skulle varje diagnos "
        "bli okänd.",
        kind="conversion",
    ),
    "fhir_invalid_resource": CodeInfo(
        "Resursen följer inte FHIR R4 ({detail}).", kind="conversion"
    ),
    "fhir_wrong_resource_type": CodeInfo(
        "Resursen är inte ett QuestionnaireResponse.", kind="conversion"
    ),
    "fhir_wrong_questionnaire": CodeInfo(
        "Svaret hänvisar inte till formuläret {url}.", kind="conversion"
    ),
    "fhir_unknown_link_id": CodeInfo("linkId finns inte i formuläret.", kind="conversion"),
    "fhir_wrong_answer_type": CodeInfo(
        "Svaret har fel typ; frågan väntar sig {expected}.", kind="conversion"
    ),
    "fhir_wrong_code_system": CodeInfo(
        "Koden anger inget kodverk (system) eller ett annat än frågans, som är {system}.",
        kind="conversion",
    ),
    "fhir_missing_questionnaire": CodeInfo(
        "Svaret anger inte vilket formulär (questionnaire) det besvarar.", kind="conversion"
    ),
    "fhir_multiple_answers": CodeInfo("Frågan tar ett enda svar men har flera.", kind="conversion"),
    "fhir_duplicate_item": CodeInfo(
        "Frågan förekommer mer än en gång fast den inte upprepas.", kind="conversion"
    ),
    "fhir_misplaced_item": CodeInfo(
        "linkId står på fel plats i svarets struktur.", kind="conversion"
    ),
    "fhir_unknown_identifier_system": CodeInfo(
        "Identifierarens system är okänt för fältet.", kind="conversion"
    ),
    "fhir_identifier_mismatch": CodeInfo(
        "Uppgiften i svarets huvud stämmer inte med svaret på frågan {field}.", kind="conversion"
    ),
    "fhir_authored_not_a_day": CodeInfo(
        "Signeringsdatum saknas bland svaren, och authored anger bara år eller månad, så "
        "dagen då intyget signerades går inte att läsa (minst ÅÅÅÅ-MM-DD).",
        kind="conversion",
    ),
    "fhir_identifier_system_mismatch": CodeInfo(
        "Identifierarens system säger personnummer eller samordningsnummer, men numret i "
        "{field} är av det andra slaget.",
        kind="conversion",
    ),
    "fhir_missing_questionnaire_version": CodeInfo(
        "Svaret anger inte formulärets version (questionnaire ska vara url|version).",
        kind="conversion",
    ),
    "fhir_status_not_final": CodeInfo(
        "Svaret är inte slutfört. Bara ett svar med status completed eller amended läses som "
        "ett intyg.",
        kind="conversion",
    ),
    "fhir_extension_not_supported": CodeInfo(
        "Formuläret har ingen plats för tillägg (extension); uppgiften skulle gå förlorad.",
        kind="conversion",
    ),
    "fhir_modifier_not_supported": CodeInfo(
        "Elementet kan ändra vad svaret betyder och kan inte läsas av intyg.",
        kind="conversion",
    ),
    "fhir_element_not_supported": CodeInfo(
        "Intyget har ingen plats för elementet; uppgiften skulle gå förlorad.",
        kind="conversion",
    ),
    "fhir_answer_to_display_item": CodeInfo(
        "Elementet är en hjälptext i formuläret (display) och kan inte besvaras; svaret skulle "
        "gå förlorat.",
        kind="conversion",
    ),
    "fhir_wrong_reference_type": CodeInfo(
        "Referensen anger fel slags resurs; här ska den peka på {type}.", kind="conversion"
    ),
    "fhir_code_system_version_mismatch": CodeInfo(
        "Koden är hämtad ur en annan version av kodverket än den som hör till formuläret "
        "({version}), och där kan den betyda något annat.",
        kind="conversion",
    ),
    # Assessment support: choosing a rule set, and the load-time lint of the rule files.
    "invalid_assessment_date": CodeInfo(
        "Bedömningsdatumet ska vara ett datum på formen ÅÅÅÅ-MM-DD, från 1900-01-01 till "
        "2199-12-31.",
        kind="conversion",
    ),
    "ruleset_not_found": CodeInfo(
        "Det finns inget regelverk för bedömningsdatumet {on}.", kind="ruleset"
    ),
    # The id asked for is not repeated: one that is not known may be anything (a personnummer).
    "ruleset_unknown": CodeInfo(
        "Det finns inget regelverk med det id:t. Regelverk i intyg: {known}.", kind="ruleset"
    ),
    "ruleset_not_valid_on_date": CodeInfo(
        "Regelverket {id} gäller inte på bedömningsdatumet {on}.", kind="ruleset"
    ),
    "ruleset_file_invalid": CodeInfo("Regelfilen följer inte formatet: {detail}.", kind="ruleset"),
    "ruleset_duplicate_id": CodeInfo("Id {id} förekommer mer än en gång.", kind="ruleset"),
    "ruleset_unknown_field": CodeInfo(
        "Fältet {field} finns inte i intygsmodellen.", kind="ruleset"
    ),
    "ruleset_unknown_derived": CodeInfo(
        "Den härledda storheten {name} finns inte eller passar inte regeln.", kind="ruleset"
    ),
    "ruleset_operator_mismatch": CodeInfo(
        "Operatorn {op} passar inte {field}: {detail}.", kind="ruleset"
    ),
    "ruleset_unknown_code": CodeInfo(
        "Värdet {value} finns inte i kodverket för {field}.", kind="ruleset"
    ),
    "ruleset_unknown_source": CodeInfo(
        "Källan {source} finns inte i källkatalogen.", kind="ruleset"
    ),
    "ruleset_unknown_reference": CodeInfo("{what} {id} finns inte.", kind="ruleset"),
    "ruleset_unverified_provision": CodeInfo(
        "Källan anger kapitel eller paragraf fast bestämmelsen inte är verifierad.", kind="ruleset"
    ),
    "ruleset_date_window": CodeInfo("Datumen är inte konsekventa: {detail}.", kind="ruleset"),
    "ruleset_overlap": CodeInfo(
        "{what} gäller samma dag som {other} utan att överlappet är löst.", kind="ruleset"
    ),
    "ruleset_demand_profile": CodeInfo(
        "Kravprofilen är inte konsekvent: {detail}.", kind="ruleset"
    ),
    # Published files.
    "schema_drift": CodeInfo(
        "Filen avviker från det som formulärdefinitionen genererar.", kind="schema"
    ),
    "schema_missing": CodeInfo("Filen saknas.", kind="schema"),
    "schema_checksum": CodeInfo(
        "En publicerad (fryst) fil har ändrats; kontrollsumman stämmer inte.", kind="schema"
    ),
    # Printing.
    "render_failed": CodeInfo("Dokumentet kunde inte skapas ({orsak}).", kind="render"),
    "pdf_unavailable": CodeInfo(
        "PDF kan inte skapas: WeasyPrint eller systembiblioteket Pango saknas. "
        "Installera intyg[pdf] och Pango.",
        kind="render",
    ),
    "pdf_to_terminal": CodeInfo(
        "PDF skrivs inte ut i terminalen. Ange en fil med -o eller styr om utdata.",
        kind="render",
    ),
    "output_unwritable": CodeInfo(
        "Utdatafilen kunde inte skrivas. Kontrollera att den anges som en vanlig fil (inte en "
        "mapp, en enhet som /dev/null eller en namngiven pipe), att mappen finns och att du får "
        "skriva där.",
        kind="output",
    ),
    "output_no_space": CodeInfo(
        "Utdatafilen kunde inte skrivas: disken är full, eller filen blev större än vad som är "
        "tillåtet här. Inget skrevs; frigör utrymme och försök igen.",
        kind="output",
    ),
    "batch_worker_lost": CodeInfo(
        "En arbetsprocess i batchkörningen avbröts oväntat, till exempel på grund av "
        "minnesbrist. "
        "Körningen avbröts; kör igen, gärna med färre arbetsprocesser (--workers).",
        kind="output",
    ),
    "batch_internal_error": CodeInfo(
        "Ett fel i intyg, inte i indata, hindrade bedömningen ({detail}). Rapportera felet till "
        "dem som förvaltar intyg.",
        kind="any",
    ),
    "out_of_memory": CodeInfo(
        "Minnet räckte inte till för indata. Dela upp indata, eller ge processen mer minne.",
        kind="any",
    ),
    "installation_incomplete": CodeInfo(
        "Installationen av intyg är inte hel: en mapp eller fil som hör till intyg saknas. "
        "Felet ligger inte i indata; installera om intyg.",
        kind="any",
    ),
    "stdout_unwritable": CodeInfo(
        "Det gick inte att skriva till standard ut (stdout): den är stängd eller disken är full.",
        kind="output",
    ),
    "assessment_unavailable": CodeInfo(
        "Bedömningsstödet finns inte i den här installationen av intyg.", kind="render"
    ),
    # The command line: a call it refuses before reading or writing anything (exit 2). The path
    # is the argument concerned (``--workers``, ``FIL``), or empty for the call as a whole.
    "usage_no_command": CodeInfo("Ange ett kommando: {commands}.", kind="usage"),
    "usage_unknown_argument": CodeInfo(
        "Argument som inte känns igen här: {arguments}.", kind="usage"
    ),
    "usage_invalid_choice": CodeInfo(
        "Värdet {value} finns inte att välja; välj bland {choices}.", kind="usage"
    ),
    "usage_invalid_number": CodeInfo(
        "Värdet {value} är inget heltal från 0 och uppåt (0 betyder alla kärnor).", kind="usage"
    ),
    "usage_empty_value": CodeInfo(
        "Värdet är tomt: ange ett filnamn eller en version.", kind="usage"
    ),
    "usage_missing_value": CodeInfo("Flaggan ska följas av ett värde.", kind="usage"),
    "usage_unexpected_value": CodeInfo("Flaggan tar inget värde.", kind="usage"),
    "usage_missing_argument": CodeInfo("Argumentet krävs{reason}.", kind="usage"),
    "usage_repeated_option": CodeInfo(
        "Flaggan får bara anges en gång: vilket av värdena som avsågs går inte att veta.",
        kind="usage",
    ),
    "usage_conflict": CodeInfo("Flaggan kan inte anges tillsammans med {other}.", kind="usage"),
    "usage_not_applicable": CodeInfo("Flaggan gäller bara {when}.", kind="usage"),
    "usage_choose_one": CodeInfo("Ange ett (och bara ett) av {choices}.", kind="usage"),
    "usage_stdin_twice": CodeInfo(
        "Bara en av {input} och --icd10-list kan läsa från stdin (-).", kind="usage"
    ),
    "usage_output_is_input": CodeInfo(
        "Utdata (-o eller stdout) är samma fil som indata; välj en annan utfil.", kind="usage"
    ),
    "usage_output_is_stderr": CodeInfo(
        "Utdata (-o) är samma fil som standardfelet (stderr), dit meddelandena skrivs; välj en "
        "annan utfil.",
        kind="usage",
    ),
    "usage_format_mismatch": CodeInfo(
        "Formatet {format} passar inte en fil som slutar på {suffix}; byt namn eller format.",
        kind="usage",
    ),
    "usage_unclear": CodeInfo("Anropet kan inte tolkas ({detail}).", kind="usage"),
}
CATALOGUE: Mapping[str, CodeInfo] = FrozenDict(_CODES)
"""Every problem code and what it means, read-only (``intyg.PROBLEM_CODES``): a change here
would change what every caller in the process is told."""

PATTERN_CODES: dict[str, str] = {}
"""Patterns checked in pydantic's core, and the problem code a mismatch of each gives."""

PATTERN_HINTS: dict[str, str] = {}
"""For a pattern whose mismatch is ``invalid_format``: what the text should look like (``"fem
siffror, till exempel 123 45"``), said in the message."""

PATTERN_JUDGES: dict[str, Callable[[Any], str]] = {}
"""Patterns checked in pydantic's core whose mismatch can mean more than one problem: a function
of the refused value gives the code."""

STRUCTURAL_CODES: frozenset[str] = frozenset(c for c, i in CATALOGUE.items() if i.structural)


class _SafeDict(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def make_problem(
    code: str,
    path: str,
    ctx: Mapping[str, Any] | None = None,
    *,
    severity: Severity | None = None,
) -> Problem:
    """Build a :class:`Problem` from a catalogued code, filling the message from ``ctx``."""
    info = CATALOGUE[code]
    message = info.message.format_map(_SafeDict(ctx or {}))
    return Problem(code, path, message, severity or info.severity)


MAX_PROBLEMS = 100
"""At most this many problems are listed; the rest are counted by one ``too_many_problems``."""


TOO_MANY = "too_many_problems"
"""The code of the last problem listed when more were found; its message counts the rest."""


def limit_problems(problems: Sequence[Problem], uncounted: int = 0) -> list[Problem]:
    """The first :data:`MAX_PROBLEMS` problems, in the order they were found, and, when there
    are more, one ``too_many_problems`` (path ``""``) that counts the rest, so that no input
    makes a report of unbounded size. ``uncounted``: problems found after ``problems`` that
    were counted but not built."""
    if len(problems) + uncounted <= MAX_PROBLEMS:
        return list(problems)
    more = len(problems) + uncounted - MAX_PROBLEMS
    return [*problems[:MAX_PROBLEMS], make_problem(TOO_MANY, "", {"count": more})]


_NAME = re.compile(r"[a-z_][A-Za-z0-9_]{0,63}")
_MOST_DIGITS = 5
"""A key with more digits than this is no field name: it may hold a personnummer, a date of
birth or a telephone number (``pnr_191212121212``)."""
UNNAMED = "(namnlöst)"
"""Stands in a path for a key that is not a plausible field name, so input is never echoed."""
LARGEST_INDEX = 99_999
"""A list index in a path is at most this; a larger number is a caller's integer key in a
``dict`` (which may be a personnummer) and is not repeated. Input holds at most
:data:`intyg._read.MAX_ELEMENTS` values, far fewer."""


def _plausible(name: str) -> bool:
    return _NAME.fullmatch(name) is not None and _digits(name) <= _MOST_DIGITS


def safe_name(name: object) -> str:
    """``name`` if it looks like a field name (ASCII letters, digits and ``_``, starting with a
    lower-case letter or ``_``, at most 64 characters and 5 digits), else a placeholder.

    Paths name fields; a key or linkId made up by the sender (a personnummer, free text, a
    megabyte of anything) is not repeated back.
    """
    return name if isinstance(name, str) and _plausible(name) else UNNAMED


def _digits(name: str) -> int:
    return sum(c.isdigit() for c in name)


def safe_link_id(link_id: object) -> str:
    """A linkId made of plausible field names (``a.b.c``) with at most 5 digits in all, else a
    placeholder."""
    if isinstance(link_id, str) and len(link_id) <= 255:
        parts = link_id.split(".")
        if all(_NAME.fullmatch(p) for p in parts) and _digits(link_id) <= _MOST_DIGITS:
            return link_id
    return UNNAMED


_RULESET_ID = re.compile(r"[a-z0-9][a-z0-9.-]{0,63}")


def safe_ruleset_id(ruleset_id: object) -> str:
    """A rule set id as a message may show it: the id when it looks like one (lower-case ASCII,
    digits, dots and hyphens), else a placeholder, so that a message never repeats whatever a
    caller passed (a personnummer, a line break)."""
    if isinstance(ruleset_id, str) and _RULESET_ID.fullmatch(ruleset_id):
        return ruleset_id
    return UNNAMED


def format_path(loc: Iterable[str | int]) -> str:
    """Turn a location tuple into a property path: ``("a", 0, "b")`` -> ``a[0].b``.

    Names hold at most 5 digits in all (list indices aside): a personnummer split over two
    keys made up by the sender (``pnr19121.x21212``) is not put together again.
    """
    out = ""
    digits = 0
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]" if 0 <= part <= LARGEST_INDEX else f"[{UNNAMED}]"
        else:
            name = safe_name(part)
            digits += _digits(name)
            if digits > _MOST_DIGITS:
                name = UNNAMED
            out += f".{name}" if out else name
    return out


def join_path(base: str, rel: str) -> str:
    """Join a base path and a relative one (``rel`` may start with ``[i]``)."""
    if not rel:
        return base
    if not base:
        return rel
    return base + rel if rel.startswith("[") else f"{base}.{rel}"


# pydantic's built-in error types and the code each maps to.
_PYDANTIC_TYPES: dict[str, str] = {
    "missing": "required",
    "extra_forbidden": "unknown_field",
    "literal_error": "invalid_code",
    "enum": "invalid_code",
    "string_too_long": "text_too_long",
    "too_short": "too_few_items",
    "too_long": "too_many_items",
    "greater_than_equal": "out_of_range",
    "less_than_equal": "out_of_range",
    "greater_than": "out_of_range",
    "less_than": "out_of_range",
    "string_pattern_mismatch": "invalid_format",
    "string_too_short": "blank_text",
    "string_unicode": "invalid_character",
}


EXPECTED_TYPES: Mapping[str, str] = FrozenDict(
    {
        "text": "en text",
        "integer": "ett heltal",
        "number": "ett ändligt tal",
        "boolean": "true eller false",
        "array": "en lista",
        "object": "ett objekt med namngivna uppgifter",
        "date": "ett datum som text, ÅÅÅÅ-MM-DD",
    }
)
"""What a field of the wrong type should have held, by the kind of value (the ``expected`` of
``wrong_type``)."""

# pydantic's type errors and the JSON type each expected.
_PYDANTIC_EXPECTED: dict[str, str] = {
    "model_type": "object",
    "model_attributes_type": "object",
    "dict_type": "object",
    "string_type": "text",
    "bool_type": "boolean",
    "bool_parsing": "boolean",
    "list_type": "array",
    "tuple_type": "array",
    "int_type": "integer",
    "int_parsing": "integer",
    "int_from_float": "integer",
    "float_type": "number",
    "float_parsing": "number",
    "finite_number": "number",
}


def expected_type(kind: str) -> dict[str, str]:
    """The context of ``wrong_type`` for a field that should have held ``kind`` (a key of
    :data:`EXPECTED_TYPES`, or ``"null"`` for an explicit null given to an optional question):
    the message then says what to give, never the value given."""
    if kind == "null":
        return {"expected": ": null är inget svar; utelämna en fråga som inte besvaras"}
    return {"expected": f": den ska vara {EXPECTED_TYPES[kind]}"}


def problems_from_pydantic(errors: Iterable[Mapping[str, Any]]) -> list[Problem]:
    """Translate pydantic error dicts (``ValidationError.errors()``) into problems.

    Our own validators raise ``PydanticCustomError`` with a catalogued code as the error type; a
    validator that finds several problems raises the carrier type ``intyg_problems`` whose context
    holds ``(code, relative path, ctx)`` triples. At most :data:`MAX_PROBLEMS` are listed
    (:func:`limit_problems`).
    """
    out: list[Problem] = []
    uncounted = 0
    for err in errors:
        etype = str(err["type"])
        if len(out) > MAX_PROBLEMS:  # past the list: only counted (as the branches below add)
            uncounted += _how_many(etype, err)
            continue
        loc = tuple(err.get("loc", ()))
        if etype == "invalid_key" and loc:
            # A dict key that is not a text (5, (1, 2)): never a name, and an integer one is not
            # a list index either, though it would look like one (patient[7]).
            loc = (*loc[:-1], "")
        path = format_path(loc)
        ctx = dict(err.get("ctx") or {})
        if etype == "intyg_problems":
            for code, rel, sub in ctx["problems"]:
                out.append(make_problem(code, join_path(path, rel), sub))
            continue
        if etype in CATALOGUE:
            out.append(make_problem(etype, path, ctx))
            continue
        if etype == "too_short" and long_enough(err):
            # pydantic counts only the items that validated; the list itself is long enough,
            # and the broken items have problems of their own.
            continue
        code = _PYDANTIC_TYPES.get(etype, "wrong_type")
        pattern = ""
        if etype == "string_pattern_mismatch":
            pattern = str(ctx.pop("pattern", ""))
            judge = PATTERN_JUDGES.get(pattern)
            code = judge(err.get("input")) if judge else PATTERN_CODES.get(pattern, code)
        if etype == "too_long" and isinstance(err.get("input"), str):
            code = "text_too_long"  # a length limit applied after a text validator
        if code == "invalid_format":  # the form's own description, never the value given
            ctx = {"hint": f": {PATTERN_HINTS[pattern]}" if pattern in PATTERN_HINTS else ""}
        elif code == "invalid_code":
            ctx = {"allowed": allowed_codes(ctx.get("expected"))}
        elif code == "out_of_range":
            ctx = {"bound": _bound(ctx)}
        elif code == "wrong_type":
            kind = _PYDANTIC_EXPECTED.get(etype)
            ctx = expected_type(kind) if kind else {"expected": ""}
        if code == "too_few_items" and etype == "too_short" and "min_length" in ctx:
            ctx["min_length"] = _count(int(ctx["min_length"]))
        if code == "too_many_items" and "max_length" in ctx:
            ctx["max_length"] = _count(int(ctx["max_length"]))
        out.append(make_problem(code, path, ctx))
    return limit_problems(out, uncounted)


def allowed_codes(expected: object) -> str:
    """The ``allowed`` part of ``invalid_code``: ``": 25, 50, 75 eller 100"`` from the list of
    codes pydantic gives (``"25, 50, 75 or 100"``) or a sequence of codes; ``""`` when none
    is known. The codes are the form's, never the value given."""
    if isinstance(expected, str) and expected:  # pydantic's "'A', 'B' or 'C'"
        head, sep, last = expected.rpartition(" or ")
        codes = [*head.split(", "), last] if sep else [expected]
    elif isinstance(expected, Sequence) and expected:
        codes = [str(c) for c in expected]
    else:
        return ""
    codes = [c.strip("'") for c in codes]
    if len(codes) == 1:
        return f": {codes[0]}"
    return f": {', '.join(codes[:-1])} eller {codes[-1]}"


def _bound(ctx: Mapping[str, Any]) -> str:
    """The ``bound`` part of ``out_of_range``: ``" (högst 40)"`` from pydantic's limit."""
    for key, words in (("ge", "minst"), ("le", "högst"), ("gt", "större än"), ("lt", "mindre än")):
        if isinstance(ctx.get(key), int | float) and not isinstance(ctx.get(key), bool):
            return f" ({words} {ctx[key]})"
    return ""


def _how_many(etype: str, err: Mapping[str, Any]) -> int:
    """How many problems :func:`problems_from_pydantic` makes of ``err``."""
    if etype == "intyg_problems":
        return len(err["ctx"]["problems"])
    if etype == "too_short" and etype not in CATALOGUE and long_enough(err):
        return 0
    return 1


def long_enough(err: Mapping[str, Any]) -> bool:
    """Whether pydantic's ``too_short`` ``err`` is about a list that is long enough: pydantic
    counts only the entries that validated, and the others have problems of their own."""
    given = err.get("input")
    minimum = (err.get("ctx") or {}).get("min_length")
    return isinstance(given, list | tuple) and isinstance(minimum, int) and len(given) >= minimum


def _count(n: int) -> str:
    return f"{n} {'uppgift' if n == 1 else 'uppgifter'}"
