"""The bad-input corpus: malformed, hostile and inconsistent certificates, JSON and FHIR.

Each entry builds its input (bytes) from the embedded example at test time, so large inputs
(10 MB strings, deep nesting) need not be stored in the repository, and names the problem it
must produce: a code and the path of the field (``None`` for problems about the whole input).
"""

from __future__ import annotations

import copy
import json
import re
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import intyg

_EXAMPLE = intyg.example()
_QR = intyg.to_fhir(intyg.load(_EXAMPLE))


def validate_traced(raw: bytes) -> tuple[intyg.ValidationReport, int]:
    """``intyg.validate(raw)`` and the most memory Python allocated meanwhile (tracemalloc: what
    the compiled readers allocate outside Python's allocator is not seen)."""
    tracemalloc.start()
    try:
        report = intyg.validate(raw)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return report, peak


@dataclass(frozen=True)
class Bad:
    id: str
    build: Callable[[], bytes]
    code: str
    path: str | None


def _json(mutate: Callable[[dict[str, Any]], Any]) -> Callable[[], bytes]:
    def build() -> bytes:
        data = copy.deepcopy(_EXAMPLE)
        result = mutate(data)
        return json.dumps(data if result is None else result, ensure_ascii=False).encode()

    return build


def _qr(mutate: Callable[[dict[str, Any]], Any]) -> Callable[[], bytes]:
    def build() -> bytes:
        data = copy.deepcopy(_QR)
        result = mutate(data)
        return json.dumps(data if result is None else result, ensure_ascii=False).encode()

    return build


_XHTML_DIV = '<div xmlns="http://www.w3.org/1999/xhtml"><p>Tolvan Tolvansson</p></div>'


def _raw(text: str | bytes) -> Callable[[], bytes]:
    return lambda: text.encode() if isinstance(text, str) else text


def _at(data: dict[str, Any], path: str) -> tuple[Any, str | int]:
    parts: list[str | int] = []
    for seg in path.split("."):
        name, _, rest = seg.partition("[")
        parts.append(name)
        if rest:
            parts.append(int(rest.rstrip("]")))
    node: Any = data
    for p in parts[:-1]:
        node = node[p]
    return node, parts[-1]


def _setter(path: str, value: Any) -> Callable[[dict[str, Any]], None]:
    def mutate(d: dict[str, Any]) -> None:
        node, key = _at(d, path)
        node[key] = value

    return mutate


def _deleter(path: str) -> Callable[[dict[str, Any]], None]:
    def mutate(d: dict[str, Any]) -> None:
        node, key = _at(d, path)
        del node[key]

    return mutate


def _item(qr: dict[str, Any], link_id: str) -> dict[str, Any]:
    stack = list(qr["item"])
    while stack:
        it = stack.pop(0)
        if it["linkId"] == link_id:
            return it
        stack[:0] = it.get("item", [])
    raise KeyError(link_id)


def _setter_item(link_id: str, answers: list[dict[str, Any]]) -> Callable[[dict[str, Any]], None]:
    def mutate(q: dict[str, Any]) -> None:
        _item(q, link_id)["answer"] = answers

    return mutate


def _swap_patient_link_ids(q: dict[str, Any]) -> None:
    swap = {"patient.namn": "patient.personid", "patient.personid": "patient.namn"}
    for it in _item(q, "patient")["item"]:
        it["linkId"] = swap[it["linkId"]]


CORPUS: list[Bad] = []


def add(id_: str, build: Callable[[], bytes], code: str, path: str | None) -> None:
    CORPUS.append(Bad(id_, build, code, path))


# ---- broken JSON
add("json_empty", _raw(""), "empty_input", None)
add("json_blank_line", _raw(" \r\n"), "empty_input", None)
for i, text in enumerate(
    [
        "\x0c",  # a form feed: whitespace to Python, not to JSON
        "{",
        "}",
        '{"a":}',
        '{"a": 1,}',
        "{'a': 1}",
        '{"a": 1} // kommentar',
        '{"a": 1} extra',
        '{"a": "\\x"}',
        '{"a": "rad\nbrytning"}',
        '{"a": tru}',
        '{"a": 01}',
        '{"a": .5}',
        '{"a": Infinity}',
        '{"a": -Infinity}',
        '{"a": NaN}',
        '["ej stängd"',
        "\ufeff\ufeff{}",
        "null x",
    ]
):
    add(f"json_broken_{i:02d}", _raw(text), "json_syntax", None)
add("json_invalid_utf8", _raw(b'{"a": "\xc3\x28"}'), "encoding", None)
add("json_utf16", _raw('{"a": 1}'.encode("utf-16")), "encoding", None)
add("json_latin1", _raw('{"namn": "Åsa"}'.encode("latin-1")), "encoding", None)
add(
    "json_duplicate_key_top",
    _raw('{"intygsid": "a", "intygsid": "b"}'),
    "json_duplicate_key",
    "intygsid",
)
add(
    "json_duplicate_key_nested",
    _raw('{"patient": {"namn": "a", "namn": "b"}}'),
    "json_duplicate_key",
    "patient.namn",
)
add(
    "json_duplicate_key_in_care_unit",
    _raw(
        json.dumps(_EXAMPLE, ensure_ascii=False).replace(
            '"namn": "Vårdcentralen Exempel"',
            '"namn": "Vårdcentral", "namn": "Vårdcentralen Exempel"',
        )
    ),
    "json_duplicate_key",
    "utfardare.vardenhet.namn",
)
add(
    "json_duplicate_key_personid_not_echoed",
    _raw('{"patient": {"191212121212": 1, "191212121212": 2}}'),
    "json_duplicate_key",
    "patient.(namnlöst)",
)
for i, text in enumerate(["[]", "1", '"intyg"', "true", "null", "[{}]"]):
    add(f"json_not_object_{i}", _raw(text), "not_an_object", None)
# A line of assess --batch's output, the certificate's assessment inside: not a certificate
# missing every part. (No personnummer in it: the output line holds none.)
add(
    "json_batch_output_line",
    _raw('{"line": 1, "valid": false, "problems": [{"code": "empty_input", "path": ""}]}'),
    "batch_line_given",
    None,
)
add(
    "json_assessment_given_as_certificate",
    lambda: json.dumps(
        intyg.assess(intyg.load(_EXAMPLE), intyg.load(_EXAMPLE).signeringsdatum).to_json()
    ).encode(),
    "assessment_given",
    None,
)
add("json_deep_array", _raw("[" * 200_000 + "]" * 200_000), "json_too_deep", None)
add("json_deep_object", _raw('{"a":' * 200_000 + "1" + "}" * 200_000), "json_too_deep", None)
# Long text of many small values: a reader builds each as a Python object, up to thirty times
# the text's size (jiter took 1.8 GB for 60 MB of empty objects), so text over 1 MiB is
# counted before it is read. Commas or brackets inside a string count for nothing.
add("json_many_empty_objects", _raw("[" + "{}," * 7_000_000 + "{}]"), "json_too_many_elements", "")
add("json_many_empty_arrays", _raw("[" + "[]," * 7_000_000 + "[]]"), "json_too_many_elements", "")
add("json_many_empty_strings", _raw("[" + '"",' * 1_000_000 + '""]'), "json_too_many_elements", "")
add(
    "json_many_nested_groups",  # 19 999 commas (under the limit), 60 arrays in each group
    _raw("[" + ",".join(["[" * 60 + "]" * 60] * 19_999) + "]"),
    "json_too_many_elements",
    "",
)
add(
    "json_deep_groups",  # few commas, but each group nests 150 levels
    _raw("[" + ",".join(["[" * 150 + "]" * 150] * 19_999) + "]"),
    "json_too_deep",
    "",
)
add(
    "json_deep_objects_with_blanks",
    _raw('{"a" : \n' * 200_000 + "1" + "}" * 200_000),
    "json_too_deep",
    "",
)
add(
    "huge_free_text_of_commas_and_brackets",
    _json(_setter("ovrigt", '[{,"\\' * 1_000_000)),
    "text_too_long",
    "ovrigt",
)
# Nesting within the limit (64 levels of objects and arrays) in the wrong place is reported
# where it sits; deeper nesting is too deep, at the first object or array beyond the limit.
add(
    "json_deep_in_unknown_field",
    _json(lambda d: d.update(extra=json.loads("[" * 60 + "]" * 60))),
    "unknown_field",
    "extra",
)
add(
    "json_deep_in_known_field",
    _json(lambda d: d["patient"].update(namn=json.loads("[" * 60 + "]" * 60))),
    "wrong_type",
    "patient.namn",
)
add(
    "json_too_deep_in_unknown_field",  # short text, read by jiter (up to 200 levels)
    _json(lambda d: d.update(extra=json.loads("[" * 100 + "]" * 100))),
    "json_too_deep",
    "extra" + "[0]" * 63,
)
add(
    "json_too_deep_in_known_field",  # beyond jiter's limit: read by the careful reader
    _json(lambda d: d["patient"].update(namn=json.loads("[" * 500 + "]" * 500))),
    "json_too_deep",
    "patient.namn" + "[0]" * 62,
)
add(
    "json_too_deep_object",
    _json(lambda d: d.update(extra=json.loads('{"a":' * 100 + "1" + "}" * 100))),
    "json_too_deep",
    "extra" + ".a" * 63,
)
# Absurdly many keys or list items: refused before a problem is built for each.
add(
    "json_many_unknown_keys",
    _json(lambda d: d.update({f"k{i}": 0 for i in range(30_000)})),
    "json_too_many_elements",
    "",
)
add(
    "json_many_keys_in_section",
    _json(lambda d: d["patient"].update({f"k{i}": 0 for i in range(30_000)})),
    "json_too_many_elements",
    "patient",
)
add(
    "json_long_list",
    _json(_setter("sysselsattning.typ", ["ARBETE"] * 30_000)),
    "json_too_many_elements",
    "sysselsattning.typ",
)
add(
    "json_many_problems",  # fewer keys than the limit, but more problems than are listed
    _json(lambda d: d.update({f"k{i}": 0 for i in range(500)})),
    "too_many_problems",
    "",
)

# ---- wrong JSON types, section by section
SECTIONS = [
    "patient",
    "grund",
    "sysselsattning",
    "funktionsnedsattning",
    "aktivitetsbegransning",
    "behandling",
    "bedomning",
    "prognos",
    "samverkan",
    "utfardare",
    "formular",
]
for section in SECTIONS:
    for label, value in (("string", "text"), ("list", []), ("number", 7)):
        code = "wrong_type"
        add(f"type_{section}_{label}", _json(_setter(section, value)), code, section)
for path, value in [
    ("intygsid", 123),
    ("signeringsdatum", 20261120),
    ("signeringsdatum", None),
    ("diagnoser", {"kod": "F32.1"}),
    ("diagnoser[0]", "F32.1"),
    ("bedomning.forhindrad", 1),
    ("bedomning.forhindrad", "true"),
    ("bedomning.perioder[0].omfattning", "75"),
    ("bedomning.perioder[0].omfattning", 75.5),
    ("sysselsattning.timmar_per_vecka", 30.5),
    ("sysselsattning.typ", "SPRAKINSATS"),
    ("funktionsnedsattning.icf[0].grad", "2"),
    ("funktionsnedsattning.icf[0].grad", True),
    ("samverkan.kontakt_onskas", "nej"),
    ("prognos.manader", [4]),
    ("patient.personid", 191212121212),
    ("utfardare.vardenhet", "Vårdcentralen"),
]:
    add(
        f"type_{path.replace('.', '_').replace('[', '_').replace(']', '')}_{type(value).__name__}",
        _json(_setter(path, value)),
        "wrong_type",
        path,
    )


# ---- integers with more digits than Python reads from text (4 300): valid JSON, out of range
def _huge_integer(source: dict[str, Any], key: str, sign: str = "") -> Callable[[], bytes]:
    def build() -> bytes:
        text = json.dumps(source, ensure_ascii=False)
        return re.sub(
            rf'("{key}": )[0-9]+', lambda m: m.group(1) + sign + "9" * 5000, text, count=1
        ).encode()

    return build


add(
    "huge_integer",
    _huge_integer(_EXAMPLE, "timmar_per_vecka"),
    "out_of_range",
    "sysselsattning.timmar_per_vecka",
)
add(
    "huge_negative_integer",
    _huge_integer(_EXAMPLE, "timmar_per_vecka", "-"),
    "out_of_range",
    "sysselsattning.timmar_per_vecka",
)
add(
    "qr_huge_integer",
    _huge_integer(_QR, "valueInteger"),
    "fhir_invalid_resource",
    "item[4].item[1].answer[0].valueInteger",
)

# ---- huge and blank strings
add("huge_free_text", _json(_setter("ovrigt", "x" * 10_000_000)), "text_too_long", "ovrigt")
add(
    "huge_code",
    _json(_setter("diagnoser[0].kod", "F" * 10_000_000)),
    "icd10_syntax",
    "diagnoser[0].kod",
)
add(
    "huge_unknown_key",
    _json(lambda d: d["patient"].update({"k" * 1_000_000: 1})),
    "unknown_field",
    "patient.(namnlöst)",
)
add(
    "personid_as_unknown_key",
    _json(lambda d: d["patient"].update({"191212121212": "x"})),
    "unknown_field",
    "patient.(namnlöst)",
)
add(
    "personid_as_duplicate_key",
    _raw('{"191212121212": 1, "191212121212": 2}'),
    "json_duplicate_key",
    "(namnlöst)",
)
add(
    "qr_narrative_written_by_a_person",
    _qr(lambda q: q.update(text={"status": "additional", "div": _XHTML_DIV})),
    "fhir_element_not_supported",
    "text.status",
)
add(
    "qr_narrative_not_xhtml",
    _qr(lambda q: q.update(text={"status": "generated", "div": "<b>191212121212</b>"})),
    "fhir_invalid_resource",
    "text.div",
)
add(
    "qr_free_text_link_id",
    _qr(
        lambda q: q["item"].append(
            {"linkId": "Tolvan 191212121212", "answer": [{"valueString": "x"}]}
        )
    ),
    "fhir_unknown_link_id",
    # not repeated: named by its place, after the example's items
    f"item[{len(_QR['item'])}].linkId",
)
add("huge_name", _json(_setter("patient.namn", "Å" * 201)), "text_too_long", "patient.namn")
add("blank_name", _json(_setter("patient.namn", "\u2003\u00a0\n")), "blank_text", "patient.namn")
add(
    "nul_in_text",
    _json(_setter("behandling.beskrivning", "a\u0000b")),
    "invalid_character",
    "behandling.beskrivning",
)
add("escape_in_text", _json(_setter("ovrigt", "\u001b[31mröd")), "invalid_character", "ovrigt")
add(
    "lone_surrogate",
    _raw(json.dumps(_EXAMPLE).replace('"Tolvan Tolvansson"', '"Tolvan \\ud800"')),
    "invalid_character",
    "patient.namn",
)

# ---- unknown fields
for path in [
    "extra",
    "patient.adress",
    "grund.underlag[0].tid",
    "diagnoser[0].beskrivning",
    "bedomning.perioder[0].timmar",
    "utfardare.vardenhet.epost",
    "formular.namn",
    "funktionsnedsattning.icf[0].text",
    "samverkan.annat",
    "prognos.datum",
]:
    add(
        f"unknown_{path.replace('.', '_').replace('[', '_').replace(']', '')}",
        _json(_setter(path, "x")),
        "unknown_field",
        path,
    )

# ---- versions
for i, version in enumerate(["0.9.0", "1.1.0", "2.0.0", "1.0", "1.0.0-beta", "", "v1"]):
    add(
        f"version_unsupported_{i}",
        _json(_setter("formular.version", version)),
        "unsupported_form_version",
        "formular.version",
    )
add("version_as_number", _json(_setter("formular.version", 1)), "invalid_code", "formular.version")
add("form_unknown", _json(_setter("formular.id", "lakarintyg-fk")), "unknown_form", "formular.id")
add("formular_missing", _json(_deleter("formular")), "required", "formular")

# ---- identifiers
for i, (pid, code) in enumerate(
    [
        ("191212121213", "personid_invalid"),
        ("191212321212", "personid_invalid"),
        ("19121212-121", "personid_syntax"),
        ("1912121212123", "personid_syntax"),
        ("19121212+1212", "personid_syntax"),
        ("1212121212", "personid_century_ambiguous"),
        ("abcdefghijkl", "personid_syntax"),
        ("", "personid_syntax"),
        ("191212120002", "personid_invalid"),
        ("２０１２１２１２１２１２", "personid_syntax"),
        ("191212121212 ", "personid_syntax"),
        ("209912121212", "personid_invalid"),
    ]
):
    add(f"personid_{i:02d}", _json(_setter("patient.personid", pid)), code, "patient.personid")
for i, hsa in enumerate(
    ["SE123", "se2321000016-1", "SE2321000016-", "SE2321000016-ÅÄÖ", "SE2321000016 1"]
):
    add(f"hsa_{i}", _json(_setter("utfardare.hsa_id", hsa)), "hsa_id_syntax", "utfardare.hsa_id")
for i, uid in enumerate(
    ["", "123", "6f1c2b9e3d4a4c5b9e8f1a2b3c4d5e6f", "{6f1c2b9e-3d4a-4c5b-9e8f-1a2b3c4d5e6f}"]
):
    add(f"uuid_{i}", _json(_setter("intygsid", uid)), "invalid_uuid", "intygsid")
for i, (kod, code) in enumerate(
    [
        ("F32.1 ", "icd10_syntax"),
        ("F32,1", "icd10_syntax"),
        ("32.1", "icd10_syntax"),
        ("F3", "icd10_syntax"),
        ("F32.123", "icd10_syntax"),
        ("Q00.9", "icd10_unknown"),
        ("J45.7", "icd10_unknown"),
        ("F32.1\n", "icd10_syntax"),
    ]
):
    add(f"icd10_{i}", _json(_setter("diagnoser[0].kod", kod)), code, "diagnoser[0].kod")

# ---- periods and dates
add(
    "period_overlap",
    _json(_setter("bedomning.perioder[1].fran", "2026-12-15")),
    "period_overlap",
    "bedomning.perioder[1]",
)
add(
    "period_same_day",
    _json(_setter("bedomning.perioder[1].fran", "2026-12-31")),
    "period_overlap",
    "bedomning.perioder[1]",
)
add(
    "period_reversed",
    _json(_setter("bedomning.perioder[1].till", "2026-12-01")),
    "period_reversed",
    "bedomning.perioder[1].till",
)
add(
    "period_five",
    _json(
        _setter(
            "bedomning.perioder",
            [
                {"fran": f"2027-0{m}-01", "till": f"2027-0{m}-02", "omfattning": 50}
                for m in range(1, 6)
            ],
        )
    ),
    "too_many_items",
    "bedomning.perioder",
)
add(
    "period_empty_list",
    _json(_setter("bedomning.perioder", [])),
    "too_few_items",
    "bedomning.perioder",
)
add(
    "period_when_not_prevented",
    _json(_setter("bedomning.forhindrad", False)),
    "conditional_forbidden",
    "bedomning.perioder",
)
add(
    "period_missing_when_prevented",
    _json(_deleter("bedomning.perioder")),
    "conditional_required",
    "bedomning.perioder",
)
add(
    "period_extent_0",
    _json(_setter("bedomning.perioder[0].omfattning", 0)),
    "invalid_code",
    "bedomning.perioder[0].omfattning",
)
for i, date in enumerate(["0001-01-01", "1899-12-31", "2200-01-01", "9999-12-31"]):
    add(
        f"date_far_{i}",
        _json(_setter("signeringsdatum", date)),
        "date_out_of_range",
        "signeringsdatum",
    )
for i, date in enumerate(
    [
        "2026-02-29",
        "2026-13-01",
        "2026-00-10",
        "26-11-20",
        "2026/11/20",
        "2026-11-20Z",
        "+2026-11-20",
    ]
):
    add(
        f"date_bad_{i}",
        _json(_setter("bedomning.perioder[0].fran", date)),
        "invalid_date",
        "bedomning.perioder[0].fran",
    )
add(
    "basis_after_sign",
    _json(_setter("grund.underlag[0].datum", "2026-12-24")),
    "date_after_sign_date",
    "grund.underlag[0].datum",
)
add(
    "known_since_after_sign",
    _json(_setter("grund.kand_sedan", "2027-01-01")),
    "date_after_sign_date",
    "grund.kand_sedan",
)

# ---- inconsistent answers
add(
    "other_basis_without_text",
    _json(_setter("grund.underlag[1].typ", "ANNAT")),
    "conditional_required",
    "grund.underlag[1].beskrivning",
)
add(
    "basis_twice",
    _json(_setter("grund.underlag[1].typ", "UNDERSOKNING")),
    "duplicate_value",
    "grund.underlag[1].typ",
)
add(
    "activity_none_and_work",
    _json(_setter("sysselsattning.typ", ["INGEN", "ARBETE"])),
    "exclusive_code",
    "sysselsattning.typ[0]",
)
add(
    "activity_none_with_hours",
    _json(_setter("sysselsattning.typ", ["OKAND"])),
    "conditional_forbidden",
    "sysselsattning.timmar_per_vecka",
)
add(
    "prognosis_cannot_judge_no_reason",
    _json(lambda d: d.update(prognos={"typ": "KAN_EJ_BEDOMAS"})),
    "conditional_required",
    "prognos.motivering",
)
add(
    "prognosis_text_not_asked",
    _json(lambda d: d["prognos"].update(typ="ATERGAR_UTAN_ANPASSNING")),
    "conditional_forbidden",
    "prognos.anpassning",
)
add(
    "contact_without_reason",
    _json(_deleter("samverkan.kontakt_anledning")),
    "conditional_required",
    "samverkan.kontakt_anledning",
)
add(
    "worsening_without_which",
    _json(_deleter("behandling.forvarrande_aktiviteter")),
    "conditional_required",
    "behandling.forvarrande_aktiviteter",
)
add(
    "replaces_itself",
    _json(_setter("ersatter", _EXAMPLE["intygsid"])),
    "replaces_itself",
    "ersatter",
)
add(
    "icf_twice",
    _json(_setter("funktionsnedsattning.icf[1].kod", "b140")),
    "duplicate_value",
    "funktionsnedsattning.icf[1].kod",
)
add(
    "icf_wrong_chapter",
    _json(_setter("funktionsnedsattning.icf[0].kod", "d140")),
    "invalid_format",
    "funktionsnedsattning.icf[0].kod",
)
add(
    "icf_grade_5",
    _json(_setter("aktivitetsbegransning.icf[0].grad", 5)),
    "invalid_code",
    "aktivitetsbegransning.icf[0].grad",
)
add(
    "four_diagnoses",
    _json(
        lambda d: d["diagnoser"].extend(
            [{"kod": "M54.5", "text": "a"}, {"kod": "F43.2", "text": "b"}]
        )
    ),
    "too_many_items",
    "diagnoser",
)
add("null_optional", _json(_setter("grund.kand_sedan", None)), "wrong_type", "grund.kand_sedan")

# ---- QuestionnaireResponse
add(
    "qr_wrong_resource",
    _qr(lambda q: q.update(resourceType="Questionnaire")),
    "fhir_wrong_resource_type",
    "resourceType",
)
add(
    "qr_patient_resource",
    _qr(lambda q: {"resourceType": "Patient"}),
    "fhir_wrong_resource_type",
    "resourceType",
)
add(
    "qr_no_questionnaire",
    _qr(_deleter("questionnaire")),
    "fhir_missing_questionnaire",
    "questionnaire",
)
add(
    "qr_wrong_url",
    _qr(_setter("questionnaire", "http://example.org/q|1.0.0")),
    "fhir_wrong_questionnaire",
    "questionnaire",
)
add(
    "qr_wrong_version",
    _qr(lambda q: q.update(questionnaire=q["questionnaire"].replace("1.0.0", "1.2.0"))),
    "unsupported_form_version",
    "questionnaire",
)
add(
    "qr_no_version",
    _qr(lambda q: q.update(questionnaire=q["questionnaire"].split("|")[0])),
    "fhir_missing_questionnaire_version",
    "questionnaire",
)
add(
    "qr_empty_version",
    _qr(lambda q: q.update(questionnaire=q["questionnaire"].split("|")[0] + "|")),
    "fhir_missing_questionnaire_version",
    "questionnaire",
)
add(
    "qr_questionnaire_with_space",
    _qr(lambda q: q.update(questionnaire=q["questionnaire"].replace("|", " |"))),
    "fhir_invalid_resource",
    "questionnaire",
)
add("qr_resource_id_65_characters", _qr(_setter("id", "a" * 65)), "fhir_invalid_resource", "id")
add(
    "qr_identifier_system_empty",
    _qr(lambda q: q["identifier"].update(system="")),
    "fhir_invalid_resource",
    "identifier.system",
)
for status in ("in-progress", "entered-in-error", "stopped", "finished", "COMPLETED"):
    add(f"qr_status_{status}", _qr(_setter("status", status)), "fhir_status_not_final", "status")
add(
    "qr_subject_other_century",
    _qr(lambda q: q["subject"]["identifier"].update(value="201212121212")),
    "fhir_identifier_mismatch",
    "subject.identifier.value",
)
add(
    "qr_subject_longer_number",
    _qr(lambda q: q["subject"]["identifier"].update(value="99191212121212")),
    "fhir_identifier_mismatch",
    "subject.identifier.value",
)
add(
    "qr_identifier_other_certificate",
    _qr(lambda q: q["identifier"].update(value="urn:uuid:00000000-0000-4000-8000-000000000000")),
    "fhir_identifier_mismatch",
    "identifier.value",
)
add(
    "qr_authored_month_no_signing_date",
    _qr(
        lambda q: q.update(
            authored="2026-11",
            item=[i for i in q["item"] if i["linkId"] != "signeringsdatum"],
        )
    ),
    "fhir_authored_not_a_day",
    "authored",
)
add(
    "qr_modifier_extension",
    _qr(lambda q: q.update(modifierExtension=[{"url": "urn:x", "valueBoolean": True}])),
    "fhir_modifier_not_supported",
    "modifierExtension",
)
add(
    "qr_extension_on_item",
    _qr(lambda q: _item(q, "ovrigt").update(extension=[{"url": "urn:x", "valueString": "x"}])),
    "fhir_extension_not_supported",
    "item[13].extension",
)
add(
    "qr_contained_resource",
    _qr(lambda q: q.update(contained=[{"resourceType": "Patient", "id": "p"}])),
    "fhir_element_not_supported",
    "contained",
)
add(
    "qr_r5_style_coding_answer",
    _qr(_setter_item("prognos.typ", [{"valueString": "ATERGAR_MED_ANPASSNING"}])),
    "fhir_wrong_answer_type",
    "prognos.typ",
)
add(
    "qr_r5_style_element",
    _qr(lambda q: q.update(basedOn=[{"reference": "x"}], versionAlgorithmString="semver")),
    "fhir_invalid_resource",
    "versionAlgorithmString",
)
add("qr_status_missing", _qr(_deleter("status")), "fhir_invalid_resource", "status")
add(
    "qr_item_not_list",
    _qr(lambda q: q.update(item={"linkId": "patient"})),
    "fhir_invalid_resource",
    "item",
)
add("qr_authored_bad", _qr(_setter("authored", "i går")), "fhir_invalid_resource", "authored")
# fhir.resources reads text where FHIR has an object as JSON text: the checks after it read
# objects and passed over what it held (another personnummer in subject), and some of its own
# validators failed with an AttributeError ("_status": "null", a traceback).
for where, text in [
    ("_status", "null"),
    ("_authored", "5"),
    ("subject", json.dumps({"identifier": {"system": "x", "value": "201212121212"}})),
    ("author", json.dumps({"identifier": {"value": "SE0000000000-X"}, "extension": []})),
    ("identifier", json.dumps({"value": "x", "period": {"start": "2026-01-01"}})),
    ("text", json.dumps({"status": "additional", "div": _XHTML_DIV})),
    ("meta", "{}"),
    ("item[0].answer[0]", "{}"),
    ("item[0]._linkId", '"x"'),
    ("item[0].answer[0]._valueString", "[1]"),
]:
    add(
        f"qr_json_text_for_object_{where}",
        _qr(_setter(where, text)),
        "fhir_invalid_resource",
        where,
    )
add(
    "qr_unknown_link",
    _qr(lambda q: q["item"].append({"linkId": "okand", "answer": [{"valueString": "x"}]})),
    "fhir_unknown_link_id",
    f"item[{len(_QR['item'])}].linkId",
)
add(
    "qr_swapped_link_ids",  # the name is read as the personnummer: the form refuses it
    _qr(_swap_patient_link_ids),
    "personid_syntax",
    "patient.personid",
)
add(
    "qr_swapped_types",
    _qr(lambda q: _item(q, "signeringsdatum").update(answer=[{"valueString": "2026-11-20"}])),
    "fhir_wrong_answer_type",
    "signeringsdatum",
)
add(
    "qr_duplicated_link",
    _qr(lambda q: q["item"].append(copy.deepcopy(_item(q, "ovrigt")))),
    "fhir_duplicate_item",
    "ovrigt",
)
add(
    "qr_duplicated_group",
    _qr(lambda q: q["item"].append(copy.deepcopy(_item(q, "utfardare")))),
    "fhir_duplicate_item",
    "utfardare",
)
add(
    "qr_misplaced_item",
    _qr(lambda q: q["item"].append({"linkId": "utfardare.ort", "answer": [{"valueString": "x"}]})),
    "fhir_misplaced_item",
    "utfardare.ort",
)
add(
    "qr_two_answers",
    _qr(lambda q: _item(q, "ovrigt")["answer"].append({"valueString": "y"})),
    "fhir_multiple_answers",
    "ovrigt",
)
add(
    "qr_disabled_answer",
    _qr(lambda q: _item(q, "bedomning.forhindrad").update(answer=[{"valueBoolean": False}])),
    "conditional_forbidden",
    "bedomning.perioder",
)
add(
    "qr_disabled_other_text",
    _qr(
        lambda q: _item(q, "grund.underlag")["item"].append(
            {"linkId": "grund.underlag.beskrivning", "answer": [{"valueString": "x"}]}
        )
    ),
    "conditional_forbidden",
    "grund.underlag[0].beskrivning",
)
add(
    "qr_wrong_code_system",
    _qr(lambda q: _item(q, "prognos.typ")["answer"][0]["valueCoding"].update(system="urn:x")),
    "fhir_wrong_code_system",
    "prognos.typ",
)
add(
    "qr_unknown_code",
    _qr(lambda q: _item(q, "prognos.typ")["answer"][0]["valueCoding"].update(code="X")),
    "invalid_code",
    "prognos.typ",
)
add(
    "qr_extent_not_digits",
    _qr(
        lambda q: _item(q, "bedomning.perioder.omfattning")["answer"][0]["valueCoding"].update(
            code="hel"
        )
    ),
    "invalid_code",
    "bedomning.perioder[0].omfattning",
)
add(
    "qr_subject_system",
    _qr(lambda q: q["subject"]["identifier"].update(system="urn:oid:1.2.3")),
    "fhir_unknown_identifier_system",
    "subject.identifier.system",
)
add(
    "qr_subject_mismatch",
    _qr(lambda q: q["subject"]["identifier"].update(value="197010632391")),
    "fhir_identifier_mismatch",
    "subject.identifier.value",
)
add(
    "qr_author_system",
    _qr(lambda q: q["author"]["identifier"].update(system="urn:x")),
    "fhir_unknown_identifier_system",
    "author.identifier.system",
)
add(
    "qr_author_mismatch",
    _qr(lambda q: q["author"]["identifier"].update(value="SE2321000016-ZZZZ")),
    "fhir_identifier_mismatch",
    "author.identifier.value",
)
add(
    "qr_answer_on_group",
    _qr(lambda q: _item(q, "prognos").update(answer=[{"valueString": "x"}])),
    "fhir_wrong_answer_type",
    "prognos",
)
add(
    "qr_nested_answer_item",
    _qr(
        lambda q: _item(q, "ovrigt")["answer"][0].update(
            item=[{"linkId": "patient.namn", "answer": [{"valueString": "x"}]}]
        )
    ),
    "fhir_misplaced_item",
    "ovrigt",
)
add("qr_items_missing", _qr(_deleter("item")), "required", "grund")
add(
    "qr_empty_answer_value",
    _qr(lambda q: _item(q, "ovrigt").update(answer=[{"valueString": ""}])),
    "fhir_invalid_resource",
    "item[13].answer[0].valueString",
)
add(
    "qr_date_partial",
    _qr(lambda q: _item(q, "signeringsdatum").update(answer=[{"valueDate": "2026-11"}])),
    "invalid_date",
    "signeringsdatum",
)
add(
    "qr_integer_as_decimal",
    _qr(lambda q: _item(q, "prognos.manader").update(answer=[{"valueDecimal": 4.0}])),
    "fhir_wrong_answer_type",
    "prognos.manader",
)
add(
    "qr_huge_string",
    _qr(lambda q: _item(q, "ovrigt").update(answer=[{"valueString": "x" * 10_000_000}])),
    "text_too_long",
    "ovrigt",
)
add(
    "qr_identifier_use_temp",
    _qr(lambda q: q["subject"]["identifier"].update(use="temp")),
    "fhir_modifier_not_supported",
    "subject.identifier.use",
)
add(
    "qr_identifier_use_old",
    _qr(lambda q: q["identifier"].update(use="old")),
    "fhir_modifier_not_supported",
    "identifier.use",
)
add(
    "qr_identifier_type_empty",
    _qr(lambda q: q["author"]["identifier"].update(type={"coding": [{}]})),
    "fhir_invalid_resource",
    "author.identifier.type.coding[0]",
)
add(
    "qr_subject_type_other",
    _qr(lambda q: q["subject"].update(type="RelatedPerson")),
    "fhir_wrong_reference_type",
    "subject.type",
)
add(
    "qr_author_type_role",
    _qr(lambda q: q["author"].update(type="PractitionerRole")),
    "fhir_wrong_reference_type",
    "author.type",
)
add(
    "qr_questionnaire_other_extension",
    _qr(
        lambda q: q.update(
            _questionnaire={"extension": [{"url": "urn:x", "valueString": "191212121212"}]}
        )
    ),
    "fhir_extension_not_supported",
    "_questionnaire.extension[0]",
)
add(
    "qr_help_item_beside_its_question",
    _qr(
        lambda q: _item(q, "patient")["item"].append(
            {"linkId": "patient.namn.hjalp", "answer": [{"valueString": "Tolvan"}]}
        )
    ),
    "fhir_misplaced_item",
    "patient.namn.hjalp",
)
add(
    "qr_help_item_answered_under_answer",
    _qr(
        lambda q: _item(q, "patient.namn")["answer"][0].update(
            item=[{"linkId": "patient.namn.hjalp", "answer": [{"valueString": "Tolvan"}]}]
        )
    ),
    "fhir_answer_to_display_item",
    "patient.namn.hjalp",
)
add(
    "qr_help_item_answered_in_group",
    _qr(
        lambda q: (
            _item(q, "diagnoser")
            .setdefault("item", [])
            .append({"linkId": "diagnoser.hjalp", "answer": [{"valueString": "191212121212"}]})
        )
    ),
    "fhir_answer_to_display_item",
    "diagnoser[0].hjalp",
)
add(
    "qr_integer_with_fraction_zero",
    _qr(_setter_item("prognos.manader", [{"valueInteger": 6.0}])),
    "fhir_invalid_resource",
    "item[11].item[2].answer[0].valueInteger",
)
add(
    "qr_integer_in_exponent_form",
    _raw(json.dumps(_QR).replace('"valueInteger": 30}', '"valueInteger": 3e1}')),
    "fhir_invalid_resource",
    "item[4].item[1].answer[0].valueInteger",
)
# ---- QuestionnaireResponses too deep or too large: fhir.resources reads a response
# recursively, so nesting beyond the limit never reaches it.
_EXTENSIONS = (
    '[{"url":"urn:x","extension":' * 125 + '[{"url":"urn:y","valueString":"x"}]' + "}]" * 125
)


def _qr_text(insert: str) -> Callable[[], bytes]:
    """The example response with ``insert`` (members, JSON text) added to the resource."""
    return _raw(json.dumps(_QR, ensure_ascii=False)[:-1] + ", " + insert + "}")


add(
    "qr_deep_extension",
    _qr_text('"extension": ' + _EXTENSIONS),
    "json_too_deep",
    "extension[0]" + ".extension[0]" * 31,
)
add(
    "qr_deep_modifier_extension",
    _qr_text('"modifierExtension": ' + _EXTENSIONS),
    "json_too_deep",
    "modifierExtension[0]" + ".extension[0]" * 31,
)
add(
    "qr_deep_primitive_extension",
    _qr_text('"_status": {"extension": ' + _EXTENSIONS + "}"),
    "json_too_deep",
    "_status.extension[0]" + ".extension[0]" * 30 + ".extension",
)
add(
    "qr_deep_meta_extension",
    _qr_text('"meta": {"extension": ' + _EXTENSIONS + "}"),
    "json_too_deep",
    "meta.extension[0]" + ".extension[0]" * 30 + ".extension",
)
add(
    "qr_deep_subject_extension",
    _qr(lambda q: q["subject"].update(extension=json.loads(_EXTENSIONS))),
    "json_too_deep",
    "subject.extension[0]" + ".extension[0]" * 30 + ".extension",
)
add(
    "qr_deep_contained",
    _qr_text(
        '"contained": ['
        + '{"resourceType":"QuestionnaireResponse","status":"completed","contained":[' * 108
        + '{"resourceType":"Basic","code":{"text":"x"}}'
        + "]}" * 108
        + "]"
    ),
    "json_too_deep",
    "contained[0]" + ".contained[0]" * 31,
)
add(
    "qr_deep_items",  # 250 levels: read by the careful reader
    _qr(
        lambda q: q["item"].insert(
            0,
            json.loads('{"linkId":"patient","item":[' * 250 + '{"linkId":"x"}' + "]}" * 250),
        )
    ),
    "json_too_deep",
    "item[0]" + ".item[0]" * 31,
)
add(
    "qr_deep_answer_items",  # 62 levels: short enough for jiter
    _qr(
        lambda q: _item(q, "ovrigt").update(
            answer=json.loads(
                '[{"valueString":"x","item":[{"linkId":"ovrigt","answer":' * 62
                + '[{"valueString":"x"}]'
                + "}]}]" * 62
            )
        )
    ),
    "json_too_deep",
    "item[13].answer[0]" + ".item[0].answer[0]" * 15,
)
add(
    "qr_many_link_ids",
    _qr(lambda q: q["item"].extend({"linkId": f"x{i}"} for i in range(30_000))),
    "json_too_many_elements",
    "item",
)
add(
    "qr_many_problems",  # fewer elements than the limit, but more problems than are listed
    _qr(lambda q: q["item"].extend({"linkId": f"x{i}"} for i in range(500))),
    "too_many_problems",
    "",
)
# ---- Empty elements: FHIR's JSON has no empty object or list.
add(
    "qr_empty_answer_list",
    _qr(lambda q: _item(q, "ovrigt").update(answer=[])),
    "fhir_invalid_resource",
    "item[13].answer",
)
add(
    "qr_empty_items_under_answer",
    _qr(lambda q: _item(q, "ovrigt")["answer"][0].update(item=[])),
    "fhir_invalid_resource",
    "item[13].answer[0].item",
)
add(
    "qr_empty_items_in_group",
    _qr(lambda q: _item(q, "patient").update(item=[])),
    "fhir_invalid_resource",
    "item[2].item",
)
add(
    "qr_empty_items_under_question",
    _qr(lambda q: _item(q, "ovrigt").update(item=[])),
    "fhir_invalid_resource",
    "item[13].item",
)
add("qr_empty_meta", _qr(lambda q: q.update(meta={})), "fhir_invalid_resource", "meta")
add("qr_empty_subject", _qr(lambda q: q.update(subject={})), "fhir_invalid_resource", "subject")
add(
    "qr_duplicate_key_link_id",
    _raw(
        json.dumps(_QR, ensure_ascii=False).replace(
            '"linkId": "ovrigt"', '"linkId": "ovrigt", "linkId": "ovrigt"'
        )
    ),
    "json_duplicate_key",
    "item[13].linkId",
)
add(
    "qr_code_system_other_version",
    _qr(lambda q: _item(q, "prognos.typ")["answer"][0]["valueCoding"].update(version="0.9.0")),
    "fhir_code_system_version_mismatch",
    "prognos.typ",
)
