"""Invalid and warning cases of form version 1.0.0: a patch of the example and the expected codes.

Each case names the problem code it proves, so every catalogued validation code is triggered by
at least one test (see ``test_validation.py``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

Patch = Callable[[dict[str, Any]], None]


@dataclass(frozen=True)
class Case:
    id: str
    patch: Patch
    expected: tuple[tuple[str, str], ...]  # (code, path)


def _set(path: str, value: Any) -> Patch:
    def patch(d: dict[str, Any]) -> None:
        *head, last = _parts(path)
        node: Any = d
        for p in head:
            node = node[p]
        node[last] = value

    return patch


def _del(path: str) -> Patch:
    def patch(d: dict[str, Any]) -> None:
        *head, last = _parts(path)
        node: Any = d
        for p in head:
            node = node[p]
        del node[last]

    return patch


def _all(*patches: Patch) -> Patch:
    def patch(d: dict[str, Any]) -> None:
        for p in patches:
            p(d)

    return patch


def _parts(path: str) -> list[str | int]:
    out: list[str | int] = []
    for seg in path.split("."):
        name, _, rest = seg.partition("[")
        out.append(name)
        while rest:
            idx, _, rest = rest.partition("]")
            out.append(int(idx))
            rest = rest.lstrip("[")
    return out


NOT_PREVENTED = _all(_set("bedomning.forhindrad", False), _del("bedomning.perioder"))

CASES: list[Case] = [
    Case("required_missing_name", _del("patient.namn"), (("required", "patient.namn"),)),
    Case("required_missing_section", _del("prognos"), (("required", "prognos"),)),
    Case("unknown_field", _set("patient.adress", "x"), (("unknown_field", "patient.adress"),)),
    Case(
        "wrong_type_bool",
        _set("bedomning.forhindrad", "ja"),
        (("wrong_type", "bedomning.forhindrad"),),
    ),
    Case("wrong_type_null_optional", _set("ovrigt", None), (("wrong_type", "ovrigt"),)),
    Case(
        "wrong_type_int_as_str", _set("prognos.manader", "4"), (("wrong_type", "prognos.manader"),)
    ),
    Case(
        "wrong_type_fraction_for_int",
        _set("prognos.manader", 4.5),
        (("wrong_type", "prognos.manader"),),
    ),
    Case("invalid_code", _set("prognos.typ", "KANSKE"), (("invalid_code", "prognos.typ"),)),
    Case(
        "invalid_code_extent",
        _set("bedomning.perioder[0].omfattning", 60),
        (("invalid_code", "bedomning.perioder[0].omfattning"),),
    ),
    Case(
        "invalid_date_calendar",
        _set("signeringsdatum", "2026-02-30"),
        (("invalid_date", "signeringsdatum"),),
    ),
    Case(
        "invalid_date_shape",
        _set("signeringsdatum", "20261120"),
        (("invalid_date", "signeringsdatum"),),
    ),
    Case(
        "invalid_date_datetime",
        _set("signeringsdatum", "2026-11-20T10:00:00"),
        (("invalid_date", "signeringsdatum"),),
    ),
    Case("invalid_uuid", _set("intygsid", "not-a-uuid"), (("invalid_uuid", "intygsid"),)),
    Case("text_too_long", _set("ovrigt", "a" * 4001), (("text_too_long", "ovrigt"),)),
    Case("blank_text", _set("patient.namn", " \t\n"), (("blank_text", "patient.namn"),)),
    Case("blank_text_empty", _set("patient.namn", ""), (("blank_text", "patient.namn"),)),
    Case(
        "invalid_character_nul",
        _set("patient.namn", "a\x00b"),
        (("invalid_character", "patient.namn"),),
    ),
    Case(
        "invalid_character_lone_surrogate",
        _set("ovrigt", "text \ud800"),
        (("invalid_character", "ovrigt"),),
    ),
    Case(
        "date_out_of_range",
        _set("behandling.slutdatum", "0001-01-01"),
        (("date_out_of_range", "behandling.slutdatum"),),
    ),
    Case("too_few_items", _set("diagnoser", []), (("too_few_items", "diagnoser"),)),
    Case(
        "too_many_items",
        _set("diagnoser", [{"kod": c, "text": "x"} for c in ("F32.1", "F41.1", "M54.5", "F43.2")]),
        (("too_many_items", "diagnoser"),),
    ),
    Case(
        "out_of_range",
        _set("sysselsattning.timmar_per_vecka", 41),
        (("out_of_range", "sysselsattning.timmar_per_vecka"),),
    ),
    Case("out_of_range_zero", _set("prognos.manader", 0), (("out_of_range", "prognos.manader"),)),
    Case(
        "invalid_format_postnummer",
        _set("utfardare.vardenhet.postnummer", "1234"),
        (("invalid_format", "utfardare.vardenhet.postnummer"),),
    ),
    Case(
        "invalid_format_icf",
        _set("aktivitetsbegransning.icf[0].kod", "b230"),
        (("invalid_format", "aktivitetsbegransning.icf[0].kod"),),
    ),
    Case(
        "personid_syntax",
        _set("patient.personid", "19121212-12"),
        (("personid_syntax", "patient.personid"),),
    ),
    Case(
        "personid_syntax_trailing_newline",
        _set("patient.personid", "191212121212\n"),
        (("personid_syntax", "patient.personid"),),
    ),
    Case(
        "personid_syntax_non_ascii_digits",
        _set("patient.personid", "١٩١٢١٢١٢١٢١٢"),
        (("personid_syntax", "patient.personid"),),
    ),
    Case(
        "personid_invalid_luhn",
        _set("patient.personid", "191212121213"),
        (("personid_invalid", "patient.personid"),),
    ),
    Case(
        "personid_invalid_date",
        _set("patient.personid", "191302301234"),
        (("personid_invalid", "patient.personid"),),
    ),
    # The check digit does not cover the century: a number with a wrong one (0001, 2099
    # instead of 1901, 1999) is held to the certificate's date as a 10-digit one is.
    Case(
        "personid_born_after_sign_date",
        _set("patient.personid", "202611211232"),  # the day after the sign date
        (("personid_birth_date", "patient.personid"),),
    ),
    Case(
        "personid_born_more_than_130_years_before",
        _set("patient.personid", "189512311235"),  # 131 calendar years before 2026
        (("personid_birth_date", "patient.personid"),),
    ),
    Case(
        "personid_born_in_year_1",
        _set("patient.personid", "000101011237"),
        (("personid_birth_date", "patient.personid"),),
    ),
    Case(
        "personid_born_too_late_and_another_error",  # each rule where its inputs are sound
        _all(
            _set("patient.personid", "202611211232"),
            _set("grund.underlag[0].datum", "2026-11-21"),
            _set("sysselsattning.typ", []),
        ),
        (
            ("personid_birth_date", "patient.personid"),
            ("date_after_sign_date", "grund.underlag[0].datum"),
            ("too_few_items", "sysselsattning.typ"),
        ),
    ),
    Case(
        "personid_century_ambiguous",
        _set("patient.personid", "1212121212"),
        (("personid_century_ambiguous", "patient.personid"),),
    ),
    Case(
        "icd10_syntax", _set("diagnoser[0].kod", "f32.1"), (("icd10_syntax", "diagnoser[0].kod"),)
    ),
    Case(
        "icd10_syntax_no_dot",
        _set("diagnoser[0].kod", "F321"),
        (("icd10_syntax", "diagnoser[0].kod"),),
    ),
    Case(
        "icd10_unknown", _set("diagnoser[0].kod", "F32.7"), (("icd10_unknown", "diagnoser[0].kod"),)
    ),
    Case(
        "hsa_id_syntax",
        _set("utfardare.hsa_id", "SE-123"),
        (("hsa_id_syntax", "utfardare.hsa_id"),),
    ),
    Case(
        "conditional_required_prevented",
        _del("bedomning.perioder"),
        (("conditional_required", "bedomning.perioder"),),
    ),
    Case(
        "conditional_forbidden_not_prevented",
        _set("bedomning.forhindrad", False),
        (("conditional_forbidden", "bedomning.perioder"),),
    ),
    Case(
        "conditional_required_other_basis",
        _set("grund.underlag[1]", {"typ": "ANNAT", "datum": "2026-11-19"}),
        (("conditional_required", "grund.underlag[1].beskrivning"),),
    ),
    Case(
        "conditional_forbidden_description_without_other",
        _set("grund.underlag[0].beskrivning", "text"),
        (("conditional_forbidden", "grund.underlag[0].beskrivning"),),
    ),
    Case(
        "conditional_required_prognosis_adaptation",
        _del("prognos.anpassning"),
        (("conditional_required", "prognos.anpassning"),),
    ),
    Case(
        "conditional_required_prognosis_unknown",
        _all(
            _set("prognos.typ", "KAN_EJ_BEDOMAS"),
            _del("prognos.anpassning"),
            _del("prognos.manader"),
        ),
        (("conditional_required", "prognos.motivering"),),
    ),
    Case(
        "conditional_forbidden_months_cannot_return",
        _all(_set("prognos.typ", "ATERGAR_EJ"), _del("prognos.anpassning")),
        (("conditional_forbidden", "prognos.manader"),),
    ),
    Case(
        "conditional_required_other_adaptation",
        _all(_set("bedomning.anpassningar", ["ANNAN"]), _del("bedomning.anpassningar_beskrivning")),
        (("conditional_required", "bedomning.anpassningar_beskrivning"),),
    ),
    Case(
        "conditional_forbidden_hours_without_activity",
        _set("sysselsattning.typ", ["INGEN"]),
        (("conditional_forbidden", "sysselsattning.timmar_per_vecka"),),
    ),
    Case(
        "conditional_required_worsening",
        _del("behandling.forvarrande_aktiviteter"),
        (("conditional_required", "behandling.forvarrande_aktiviteter"),),
    ),
    Case(
        "conditional_required_contact_reason",
        _del("samverkan.kontakt_anledning"),
        (("conditional_required", "samverkan.kontakt_anledning"),),
    ),
    Case(
        "duplicate_basis_type",
        _set("grund.underlag[1].typ", "UNDERSOKNING"),
        (("duplicate_value", "grund.underlag[1].typ"),),
    ),
    Case(
        "duplicate_icf_code",
        _set("aktivitetsbegransning.icf[1].kod", "d230"),
        (("duplicate_value", "aktivitetsbegransning.icf[1].kod"),),
    ),
    Case(
        "exclusive_code",
        _set("sysselsattning.typ", ["SPRAKINSATS", "OKAND"]),
        (("exclusive_code", "sysselsattning.typ[1]"),),
    ),
    Case(
        "period_reversed",
        _set("bedomning.perioder[0].till", "2026-11-01"),
        (("period_reversed", "bedomning.perioder[0].till"),),
    ),
    Case(
        "period_overlap_shared_day",
        _set("bedomning.perioder[1].fran", "2026-12-31"),
        (("period_overlap", "bedomning.perioder[1]"),),
    ),
    Case(
        "date_after_sign_date_basis",
        _set("grund.underlag[0].datum", "2026-11-21"),
        (("date_after_sign_date", "grund.underlag[0].datum"),),
    ),
    Case(
        "date_after_sign_date_known_since",
        _set("grund.kand_sedan", "2026-11-21"),  # the day after the sign date
        (("date_after_sign_date", "grund.kand_sedan"),),
    ),
    Case(
        "replaces_itself",
        _set("ersatter", "6F1C2B9E-3D4A-4C5B-9E8F-1A2B3C4D5E6F"),
        (("replaces_itself", "ersatter"),),
    ),
    Case(
        "unsupported_form_version",
        _set("formular.version", "2.0.0"),
        (("unsupported_form_version", "formular.version"),),
    ),
    Case("unknown_form", _set("formular.id", "annat-intyg"), (("unknown_form", "formular.id"),)),
    Case(
        # One of the chosen codes ("ANNAN") asks for a description: it need not be all of them.
        "conditional_required_by_one_code_of_a_list",
        _all(
            _set("bedomning.anpassningar", ["ANPASSAD_TID", "ANNAN"]),
            _del("bedomning.anpassningar_beskrivning"),
        ),
        (("conditional_required", "bedomning.anpassningar_beskrivning"),),
    ),
    Case(
        # A list at exactly its most entries, one of them wrong: no "too many" besides.
        "list_at_its_limit_with_an_error",
        _set(
            "diagnoser",
            [
                {"kod": "F32.1", "text": "Medelsvår depressiv episod"},
                {"kod": "fel", "text": "x"},
                {"kod": "F41.1", "text": "Generaliserat ångestsyndrom"},
            ],
        ),
        (("icd10_syntax", "diagnoser[1].kod"),),
    ),
    Case(
        # An entry with a field in error keeps the rules of its own that the others show, and
        # another entry's rules are not held back by it.
        "entry_rules_beside_an_entry_in_error",
        _set(
            "grund.underlag",
            [
                {"typ": "ANNAT", "datum": "2026-13-01"},
                {"typ": "UNDERSOKNING", "datum": "2026-11-18", "beskrivning": "x"},
            ],
        ),
        (
            ("invalid_date", "grund.underlag[0].datum"),
            ("conditional_required", "grund.underlag[0].beskrivning"),
            ("conditional_forbidden", "grund.underlag[1].beskrivning"),
        ),
    ),
    Case(
        # The same when the list has too many entries: the entry's rules still run.
        "entry_rules_of_an_entry_in_error_in_a_list_too_long",
        _set(
            "grund.underlag",
            [{"typ": "UNDERSOKNING", "datum": "2026-11-18"}] * 5
            + [{"typ": "ANNAT", "datum": "2026-13-01"}],
        ),
        (
            ("too_many_items", "grund.underlag"),
            ("invalid_date", "grund.underlag[5].datum"),
            ("conditional_required", "grund.underlag[5].beskrivning"),
        ),
    ),
    Case(
        # A section's check on a list with an entry in error is not run: a reversed period
        # beside a period with a wrong extent is not reported until the extent is mended.
        "period_rules_wait_for_an_entry_in_error",
        _all(
            _set("bedomning.perioder[0].till", "2026-11-01"),
            _set("bedomning.perioder[1].omfattning", 33),
        ),
        (("invalid_code", "bedomning.perioder[1].omfattning"),),
    ),
    Case(
        # ... and when another entry is not an object; each entry keeps its place.
        "entry_rules_of_entries_in_error_beside_one_not_an_object",
        _set(
            "grund.underlag",
            [
                7,
                {"typ": "ANNAT", "datum": "2026-13-01"},
                {"typ": "UNDERSOKNING", "datum": "2026-13-01", "beskrivning": "x"},
            ],
        ),
        (
            ("wrong_type", "grund.underlag[0]"),
            ("invalid_date", "grund.underlag[1].datum"),
            ("invalid_date", "grund.underlag[2].datum"),
            ("conditional_required", "grund.underlag[1].beskrivning"),
            ("conditional_forbidden", "grund.underlag[2].beskrivning"),
        ),
    ),
]

WARNING_CASES: list[Case] = [
    Case(
        "period_starts_before_sign_date",
        _set("bedomning.perioder[0].fran", "2026-11-12"),
        (("period_starts_before_sign_date", "bedomning.perioder[0].fran"),),
    ),
    Case(
        "icd10_swedish_extension",
        _set("diagnoser[0].kod", "F43.8A"),
        (("icd10_swedish_extension", "diagnoser[0].kod"),),
    ),
    Case(
        "icd10_duplicate_code",
        _set("diagnoser[1].kod", "F32.1"),
        (("icd10_duplicate_code", "diagnoser[1].kod"),),
    ),
    Case(
        "icd10_duplicate_code_later_one_named",
        _set(
            "diagnoser",
            [
                {"kod": "F32.1", "text": "Medelsvår depressiv episod"},
                {"kod": "F41.1", "text": "Generaliserat ångestsyndrom"},
                {"kod": "F32.1", "text": "Depression"},
            ],
        ),
        (("icd10_duplicate_code", "diagnoser[2].kod"),),
    ),
    Case(
        "text_line_break_in_single_line",
        _set("patient.namn", "Tolvan\nTolvansson"),
        (("text_line_break_in_single_line", "patient.namn"),),
    ),
    Case(
        "text_line_break_in_single_line_crlf_list",
        _set("diagnoser[1].text", "Generaliserat\r\nångestsyndrom"),
        (("text_line_break_in_single_line", "diagnoser[1].text"),),
    ),
    Case(
        "text_line_break_in_single_line_separator",
        _set("utfardare.vardenhet.postadress", "Exempelgatan 1\u2028Box 12"),
        (("text_line_break_in_single_line", "utfardare.vardenhet.postadress"),),
    ),
    Case(
        "text_not_visible_zero_width",
        _set("ovrigt", "\u200b"),
        (("text_not_visible", "ovrigt"),),
    ),
    Case(
        "text_not_visible_mixed_with_spaces",
        _set("funktionsnedsattning.beskrivning", " \u200c\u200d \u2060\ufeff\u00ad\n"),
        (("text_not_visible", "funktionsnedsattning.beskrivning"),),
    ),
    Case(
        "text_not_visible_single_line_not_also_line_break",
        _set("utfardare.befattning", "\u200b\n"),
        (("text_not_visible", "utfardare.befattning"),),
    ),
]

VALID_VARIANTS: list[Case] = [
    Case("not_prevented", NOT_PREVENTED, ()),
    Case("samordningsnummer", _set("patient.personid", "197010632391"), ()),
    Case("integral_float_is_an_integer", _set("prognos.manader", 4.0), ()),
    Case("integral_float_extent", _set("bedomning.perioder[0].omfattning", 75.0), ()),
    Case("text_with_tabs_and_newlines", _set("ovrigt", "rad 1\n\trad 2\r\n"), ()),
    Case("ten_digits_with_hyphen", _set("patient.personid", "121212-1212"), ()),
    Case("ten_digits_centenarian", _set("patient.personid", "121212+1212"), ()),
    Case("ten_digits_unambiguous", _set("patient.personid", "7010632391"), ()),
    Case("twelve_digits_with_hyphen", _set("patient.personid", "19121212-1212"), ()),
    Case("born_on_sign_date", _set("patient.personid", "202611201233"), ()),
    Case("born_130_years_before", _set("patient.personid", "189601011233"), ()),
    Case("period_shares_no_day", _set("bedomning.perioder[1].fran", "2027-01-01"), ()),
    Case("period_starts_seven_days_before", _set("bedomning.perioder[0].fran", "2026-11-13"), ()),
    Case("basis_on_sign_date", _set("grund.underlag[0].datum", "2026-11-20"), ()),
    Case("known_since_sign_date", _set("grund.kand_sedan", "2026-11-20"), ()),
    # The inclusive ends of the years a date may have (1900-01-01 to 2199-12-31; one day outside
    # is date_out_of_range, see the korpus).
    Case("date_earliest_accepted", _set("grund.kand_sedan", "1900-01-01"), ()),
    Case("date_latest_accepted", _set("behandling.slutdatum", "2199-12-31"), ()),
    Case(
        "minimal",
        _all(
            NOT_PREVENTED,
            _del("grund.kand_sedan"),
            _del("grund.identitet"),
            _del("sysselsattning.timmar_per_vecka"),
            _del("funktionsnedsattning.icf"),
            _del("aktivitetsbegransning.icf"),
            _del("behandling.slutdatum"),
            _set("behandling.kan_forvarras", False),
            _del("behandling.forvarrande_aktiviteter"),
            _del("bedomning.anpassningar"),
            _del("bedomning.anpassningar_beskrivning"),
            _set("prognos", {"typ": "ATERGAR_UTAN_ANPASSNING"}),
            _set("samverkan", {"kontakt_onskas": False}),
            _del("ovrigt"),
            _del("utfardare.vardenhet.hsa_id"),
            _del("utfardare.vardenhet.arbetsplatskod"),
        ),
        (),
    ),
]
