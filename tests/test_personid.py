"""Personnummer and samordningsnummer: shape, century against the certificate's date, check digit."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import _hypothesis_profiles  # noqa: F401  (the CI and local example counts)
import intyg
from intyg import parse_personid
from intyg._personid import PersonId, PersonIdError, birth_date_problem
from strategies import luhn_check_digit, personid_digits

ON = dt.date(2026, 11, 20)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("191212121212", "191212121212"),
        ("19121212-1212", "191212121212"),
        ("121212-1212", "201212121212"),
        ("121212+1212", "191212121212"),
        ("197010632391", "197010632391"),
        ("701063-2391", "197010632391"),
        ("7010632391", "197010632391"),
    ],
)
def test_parse_personid_normalises_to_twelve_digits(text: str, expected: str) -> None:
    assert parse_personid(text, on=ON).value == expected


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("1212121212", "personid_century_ambiguous"),
        ("121212-1212", "personid_century_ambiguous"),  # no date to read it against
        ("191212121213", "personid_invalid"),
        ("191212120008", "personid_invalid"),  # serial 000 is never issued (check digit right)
        ("19121312-1212", "personid_invalid"),  # no 13th month
        ("191212121212\n", "personid_syntax"),
        ("1912121212", "personid_invalid"),
        ("19121212 1212", "personid_syntax"),
        ("١٩١٢١٢١٢١٢١٢", "personid_syntax"),
    ],
)
def test_parse_personid_rejects_with_code(text: str, code: str) -> None:
    on = None if code == "personid_century_ambiguous" and "-" in text else ON
    with pytest.raises(PersonIdError) as info:
        parse_personid(text, on=on)
    assert info.value.code == code
    assert info.value.codes == [code]


def test_parse_personid_error_is_an_intyg_error_and_a_value_error() -> None:
    with pytest.raises(intyg.IntygError) as info:
        intyg.parse_personid("191212121213")
    assert info.value.codes == ["personid_invalid"]
    assert isinstance(info.value, ValueError)
    assert "191212121213" not in str(info.value)


def test_parse_personid_samordningsnummer_kind_and_birth_date() -> None:
    pid = parse_personid("197010632391", on=ON)
    assert pid.kind == "samordningsnummer"
    assert pid.birth_date == dt.date(1970, 10, 3)
    assert parse_personid("191212121212").kind == "personnummer"


@given(
    born=st.dates(min_value=dt.date(1900, 1, 1), max_value=ON),
    serial=st.integers(min_value=1, max_value=999),
    coordination=st.booleans(),
)
def test_parse_personid_accepts_every_valid_number(
    born: dt.date, serial: int, coordination: bool
) -> None:
    day = born.day + (60 if coordination else 0)
    nine = f"{born:%y%m}{day:02d}{serial:03d}"
    full = f"{born.year // 100}{nine}{luhn_check_digit(nine)}"
    pid = parse_personid(full, on=ON)
    assert pid.value == full
    assert pid.birth_date == born
    age = ON.year - born.year - ((ON.month, ON.day) < (born.month, born.day))
    short = f"{nine[:6]}{'-' if age < 100 else '+'}{nine[6:]}{full[-1]}"
    assert parse_personid(short, on=ON).value == full


@given(
    born=st.dates(min_value=dt.date(1900, 1, 1), max_value=ON),
    serial=st.integers(min_value=1, max_value=999),
    coordination=st.booleans(),
    wrong=st.integers(1, 9),
)
def test_parse_personid_rejects_wrong_check_digit(
    born: dt.date, serial: int, coordination: bool, wrong: int
) -> None:
    right = personid_digits(born, serial, samordning=coordination)
    assert parse_personid(right, on=ON).value == right  # valid but for the digit changed below
    bad = right[:-1] + str((int(right[-1]) + wrong) % 10)
    age = ON.year - born.year - ((ON.month, ON.day) < (born.month, born.day))
    short = f"{bad[2:8]}{'-' if age < 100 else '+'}{bad[8:]}"
    for text in (bad, short):
        with pytest.raises(PersonIdError) as info:
            parse_personid(text, on=ON)
        assert info.value.code == "personid_invalid"  # the code of a wrong check digit


@st.composite
def _twelve_digits(draw: st.DrawFn) -> str:
    """12 digits: often a real date (day + 60 now and then) with the right check digit, sometimes
    anything."""
    if draw(st.integers(0, 3)) == 0:
        return draw(st.text("0123456789", min_size=12, max_size=12))
    born = draw(st.dates(dt.date(1800, 1, 1), dt.date(2099, 12, 31)))
    day = born.day + (60 if draw(st.booleans()) else 0)
    serial = draw(st.integers(0, 999))
    nine = f"{born:%y%m}{day:02d}{serial:03d}"
    check = luhn_check_digit(nine)
    if draw(st.integers(0, 4)) == 0:
        check = (check + draw(st.integers(1, 9))) % 10
    return f"{born.year:04d}"[:2] + nine + str(check)


@given(_twelve_digits())
def test_own_check_agrees_with_the_personnummer_package(digits: str) -> None:
    from personnummer import personnummer as reference

    from intyg._personid import _valid_digits

    assert _valid_digits(digits) == reference.valid(digits)


def test_validate_short_personid_uses_sign_date_given_as_date() -> None:
    data = intyg.example()
    data["patient"]["personid"] = "121212-1212"
    data["signeringsdatum"] = dt.date(2026, 11, 20)  # a Python caller may give a date
    assert intyg.load(data).patient.personid == "201212121212"


@pytest.mark.parametrize(
    "on", [dt.datetime(2026, 1, 1), "2026-01-01", 20260101], ids=["datetime", "str", "int"]
)
def test_parse_personid_on_not_a_date_is_a_type_error(on: Any) -> None:
    with pytest.raises(TypeError):
        parse_personid("121212-1212", on=on)
    with pytest.raises(TypeError):
        parse_personid("191212121212", on=on)  # also when a 12-digit number needs no date


@pytest.mark.parametrize(
    "text", [191212121212, b"191212121212", None], ids=["int", "bytes", "none"]
)
def test_parse_personid_text_not_a_str_is_a_type_error(text: Any) -> None:
    with pytest.raises(TypeError):
        parse_personid(text)


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("hello", "personid_syntax"),
        ("", "personid_syntax"),
        ("19121212-1212", "personid_syntax"),  # parse_personid reads other spellings
        ("121212-1212", "personid_syntax"),
        ("١٩١٢١٢١٢١٢١٢", "personid_syntax"),
        ("191212121212\n", "personid_syntax"),
        ("191212121213", "personid_invalid"),
        ("191213121212", "personid_invalid"),  # no 13th month
    ],
)
def test_personid_invalid_value_is_refused(value: str, code: str) -> None:
    with pytest.raises(PersonIdError) as info:
        intyg.PersonId(value)
    assert info.value.codes == [code]
    assert isinstance(info.value, ValueError)


def test_personid_value_not_a_str_is_a_type_error() -> None:
    with pytest.raises(TypeError):
        intyg.PersonId(191212121212)  # type: ignore[arg-type]


def test_personid_valid_value_is_kept() -> None:
    pid = intyg.PersonId("197010632391")
    assert pid == parse_personid("701063-2391", on=ON)
    assert pid.kind == "samordningsnummer"
    assert pid.birth_date == dt.date(1970, 10, 3)


@pytest.mark.parametrize("text", ["000229-1235", "0002291235"])
def test_personid_born_on_leap_day_2000_reads_in_ten_digits(text: str) -> None:
    # 29 February is no date in 1800 or 1900: those centuries are left out, not the number.
    assert parse_personid(text, on=dt.date(2026, 11, 20)).value == "200002291235"


@pytest.mark.parametrize(
    ("text", "on", "expected"),
    [
        # '+' from the calendar year of the 100th birthday, before the birthday too
        ("261230+1230", dt.date(2026, 11, 20), "192612301230"),
        ("261230+1230", dt.date(2026, 12, 31), "192612301230"),
        ("261230+1230", dt.date(2027, 1, 1), "192612301230"),
        # '-' while under 100 years old, also in that year
        ("261230-1230", dt.date(2026, 11, 20), "192612301230"),
        ("261230-1230", dt.date(2026, 12, 30), "202612301230"),
        ("200101+1234", dt.date(2026, 11, 20), "192001011234"),
        ("260101+1238", dt.date(2156, 1, 1), "202601011238"),  # 130 years
    ],
)
def test_plus_counts_calendar_years(text: str, on: dt.date, expected: str) -> None:
    assert parse_personid(text, on=on).value == expected


@pytest.mark.parametrize(
    ("text", "on"),
    [
        ("261230+1230", dt.date(2025, 12, 31)),  # a '+' a year early: not a 199-year-old
        ("260101+1238", dt.date(2157, 1, 1)),  # 131 years
    ],
)
def test_plus_never_reads_as_anyone_older_than_the_oldest(text: str, on: dt.date) -> None:
    with pytest.raises(PersonIdError) as info:
        parse_personid(text, on=on)
    assert info.value.code == "personid_invalid"


def test_personid_born_on_leap_day_with_plus_is_invalid() -> None:
    # '+' means 100 years or older: 1900-02-29 and 1800-02-29 do not exist.
    with pytest.raises(PersonIdError) as info:
        parse_personid("000229+1235", on=dt.date(2026, 11, 20))
    assert info.value.code == "personid_invalid"


def test_personid_day_61_is_a_samordningsnummer() -> None:
    # Days 61-91 are a samordningsnummer's (the day plus 60); the boundary had no test.
    pid = intyg.PersonId("199001612382")
    assert (pid.kind, pid.birth_date) == ("samordningsnummer", dt.date(1990, 1, 1))


def test_parse_personid_ten_digits_year_00_before_2000_is_1900() -> None:
    assert parse_personid("0001011238", on=dt.date(1999, 12, 31)).value == "190001011238"


@pytest.mark.parametrize(
    ("text", "on"),
    [("000301-1236", dt.date(2100, 3, 1)), ("000101-1238", dt.date(2100, 6, 1))],
)
def test_parse_personid_minus_refused_from_the_100th_birthday(text: str, on: dt.date) -> None:
    # From the day the person turns 100 the number is written with +; with - it is refused.
    with pytest.raises(PersonIdError) as info:
        parse_personid(text, on=on)
    assert info.value.code == "personid_invalid"


@pytest.mark.parametrize(
    ("digits", "expected"),
    [
        ("202611201233", None),  # born on the certificate's date
        ("202611211232", "efter"),  # the day after
        ("202612201232", "efter"),  # a later month of the same year
        ("202611801230", None),  # a samordningsnummer: day 80 is the 20th
        ("202611811239", "efter"),  # day 81 is the 21st
        ("202611611233", None),  # day 61 is the 1st
        ("202512311230", None),  # the year before
        ("189601011233", None),  # 130 calendar years before
        ("189512311235", "mer än 130 år före"),  # 131
    ],
)
def test_birth_date_is_held_to_the_certificates_date(digits: str, expected: str | None) -> None:
    PersonId(digits)  # each is a valid number in itself
    assert birth_date_problem(digits, dt.date(2026, 11, 20)) == expected


@pytest.mark.parametrize("value", [191212121212, b"191212121212", None], ids=repr)
def test_a_personnummer_that_is_no_text_is_a_type_error_naming_the_call(value: Any) -> None:
    with pytest.raises(TypeError, match=r"^intyg\.PersonId: value must be a str"):
        PersonId(value)
    with pytest.raises(TypeError, match=r"^intyg\.parse_personid: text must be a str"):
        parse_personid(value)
