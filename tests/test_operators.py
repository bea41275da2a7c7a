"""The condition operators (:mod:`intyg._assessment._operators`), one by one.

Hand-built conditions are compiled with ``compile_condition`` and tried on hand-built frames.
A frame holds every value a condition reads, by field path or ``harlett.<name>``, and the
assessment date under ``ON``; an unanswered question is ``None`` in the frame (the evaluation
reads every key it needs before it tests, so a key is never missing).

The expected values come from the documented meaning of each operator, and the Kleene tables
from a reference written here (``alla`` the least and ``nagon`` the greatest of its parts in the
order False < unknown < True), never from the code under test.
"""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import pytest

from intyg._assessment._operators import ON, AtLeast, Frame, compile_condition
from intyg._assessment._ruledefs import Villkor

Tri = bool | None
TRUTH: tuple[Tri, ...] = (True, False, None)
DAY = dt.date(2026, 12, 1)
BEFORE = DAY - dt.timedelta(days=1)
AFTER = DAY + dt.timedelta(days=1)

# ------------------------------------------------------------------ Kleene logic


_RANK: dict[Tri, int] = {False: 0, None: 1, True: 2}


def ref_alla(values: tuple[Tri, ...]) -> Tri:
    """The reference ``alla``: the least value in the order False < unknown < True."""
    return min(values, key=_RANK.__getitem__)


def ref_nagon(values: tuple[Tri, ...]) -> Tri:
    """The reference ``nagon``: the greatest value in the order False < unknown < True."""
    return max(values, key=_RANK.__getitem__)


def ref_inte(value: Tri) -> Tri:
    """The reference ``inte``: swaps True and False, keeps unknown unknown."""
    return None if value is None else not value


def part(i: int) -> Villkor:
    """A leaf whose truth value is the frame's value at ``p<i>`` (True, False or None)."""
    return Villkor(falt=f"p{i}", op="lika", varde=True)


def parts_frame(values: tuple[Tri, ...]) -> Frame:
    return {f"p{i}": v for i, v in enumerate(values)}


def _combinations(n: int) -> list[tuple[Tri, ...]]:
    return list(itertools.product(TRUTH, repeat=n))


def test_the_reference_is_kleene_logic() -> None:
    # A few values of the reference itself, straight from the definition.
    assert ref_alla((True, None)) is None
    assert ref_alla((None, False)) is False
    assert ref_alla((True, True)) is True
    assert ref_nagon((False, None)) is None
    assert ref_nagon((None, True)) is True
    assert ref_nagon((False, False)) is False


def test_a_part_leaf_has_the_frames_truth_value() -> None:
    test = compile_condition(part(0))
    for v in TRUTH:
        assert test({"p0": v}) is v


@pytest.mark.parametrize("n", [1, 2, 3, 4])
@pytest.mark.parametrize("form", ["alla", "nagon"])
def test_alla_and_nagon_follow_the_kleene_truth_table(form: str, n: int) -> None:
    # n = 2 and n = 3 are the full tables asked for (9 and 27 rows); 1 and 4 also run, as the
    # compiled test has a separate path for two parts.
    parts = tuple(part(i) for i in range(n))
    cond = Villkor(alla=parts) if form == "alla" else Villkor(nagon=parts)
    reference = ref_alla if form == "alla" else ref_nagon
    test = compile_condition(cond)
    rows = _combinations(n)
    assert len(rows) == 3**n
    wrong = [
        (values, got, reference(values))
        for values in rows
        if (got := test(parts_frame(values))) is not reference(values)
    ]
    assert wrong == []


@pytest.mark.parametrize(
    ("values", "alla", "nagon"),
    [
        # The rows the short-circuit can get wrong, written out (also in the tables above).
        ((True, True, None), None, True),
        ((None, True, True), None, True),
        ((True, None, True), None, True),
        ((False, False, None), False, None),
        ((None, False, False), False, None),
        ((None, None, None), None, None),
        ((None, True, False), False, True),
        ((False, None, True), False, True),
    ],
)
def test_an_unknown_part_of_three_is_not_ignored(
    values: tuple[Tri, ...], alla: Tri, nagon: Tri
) -> None:
    parts = tuple(part(i) for i in range(3))
    assert compile_condition(Villkor(alla=parts))(parts_frame(values)) is alla
    assert compile_condition(Villkor(nagon=parts))(parts_frame(values)) is nagon


@pytest.mark.parametrize("value", TRUTH)
def test_inte_negates_and_keeps_unknown_unknown(value: Tri) -> None:
    expected = {True: False, False: True, None: None}[value]
    assert expected is ref_inte(value)
    assert compile_condition(Villkor(inte=part(0)))({"p0": value}) is expected


def test_a_nested_condition_follows_the_kleene_truth_table() -> None:
    cond = Villkor(
        alla=(
            part(0),
            Villkor(nagon=(part(1), part(2))),
            Villkor(inte=part(3)),
        )
    )
    test = compile_condition(cond)
    wrong = []
    for a, b, c, d in _combinations(4):
        expected = ref_alla((a, ref_nagon((b, c)), ref_inte(d)))
        got = test(parts_frame((a, b, c, d)))
        if got is not expected:
            wrong.append(((a, b, c, d), got, expected))
    assert wrong == []


# ------------------------------------------------------------------ leaf operators


def field(
    op: str, varde: Any = None, *, agg: str | None = None, okant_om: tuple[str, ...] = ()
) -> Villkor:
    return Villkor(falt="f.x", op=op, varde=varde, agg=agg, okant_om=okant_om)


def evaluate(cond: Villkor, value: Any, on: dt.date = DAY) -> Tri:
    return compile_condition(cond)({"f.x": value, ON: on})


@pytest.mark.parametrize(
    ("value", "finns", "saknas"),
    [
        ("A", True, False),
        (["A", "B"], True, False),
        (0, True, False),  # zero is an answer
        (False, True, False),  # so is "no"
        (None, False, True),  # unanswered: known to be unanswered, never unknown
    ],
)
def test_finns_and_saknas_are_never_unknown(value: Any, finns: bool, saknas: bool) -> None:
    assert evaluate(field("finns"), value) is finns
    assert evaluate(field("saknas"), value) is saknas


@pytest.mark.parametrize(
    ("op", "varde", "value", "expected"),
    [
        # lika: the single answer equals varde
        ("lika", "A", "A", True),
        ("lika", "A", "B", False),
        ("lika", True, True, True),
        ("lika", True, False, False),
        ("lika", False, False, True),
        ("lika", 3, 3, True),
        ("lika", 3, 4, False),
        # en_av: the single answer is one of varde
        ("en_av", ("A", "B"), "A", True),
        ("en_av", ("A", "B"), "B", True),
        ("en_av", ("A", "B"), "C", False),
        ("en_av", "A", "A", True),  # one value alone
        ("en_av", "A", "B", False),
        # inte_en_av: the single answer is none of varde
        ("inte_en_av", ("A", "B"), "A", False),
        ("inte_en_av", ("A", "B"), "B", False),
        ("inte_en_av", ("A", "B"), "C", True),
        ("inte_en_av", "A", "A", False),
        ("inte_en_av", "A", "B", True),
        # innehaller: the list contains at least one of varde
        ("innehaller", ("A",), ["A"], True),
        ("innehaller", ("A",), ["B", "A"], True),
        ("innehaller", ("A",), ["B"], False),
        ("innehaller", ("A", "C"), ["B", "C"], True),
        ("innehaller", ("A", "C"), ["B", "D"], False),
        # innehaller_inte: the list contains none of varde
        ("innehaller_inte", ("A",), ["B"], True),
        ("innehaller_inte", ("A",), ["B", "A"], False),
        ("innehaller_inte", ("A", "C"), ["B", "C"], False),
        ("innehaller_inte", ("A", "C"), ["B", "D"], True),
        # alla_en_av: every answer in the list is one of varde
        ("alla_en_av", ("A",), ["A"], True),
        ("alla_en_av", ("A",), ["A", "A"], True),
        ("alla_en_av", ("A",), ["A", "B"], False),
        ("alla_en_av", ("A", "B"), ["B", "A"], True),
        ("alla_en_av", ("A", "B"), ["C"], False),
        # borjar_med: some answer begins with one of the prefixes
        ("borjar_med", ("F",), ["F32.1"], True),
        ("borjar_med", ("F",), ["M54.5", "F41.1"], True),
        ("borjar_med", ("F",), ["M54.5"], False),
        ("borjar_med", ("F",), ["MF2"], False),  # contains it, but does not begin with it
        ("borjar_med", ("F3", "G"), ["F41.1"], False),
        ("borjar_med", ("F3", "G"), ["F32.1"], True),
        ("borjar_med", ("F3", "G"), ["G20"], True),
        ("borjar_med", ("F32.1",), ["F32.1"], True),  # a whole answer is its own prefix
        # minst / hogst: the bound itself, one below, one above
        ("minst", 3, 3, True),
        ("minst", 3, 2, False),
        ("minst", 3, 4, True),
        ("hogst", 3, 3, True),
        ("hogst", 3, 2, True),
        ("hogst", 3, 4, False),
        ("minst", 0, 0, True),
        ("hogst", 0, 0, True),
        ("hogst", 0, 1, False),
    ],
)
def test_a_leaf_operator_on_an_answer(op: str, varde: Any, value: Any, expected: bool) -> None:
    assert evaluate(field(op, varde), value) is expected


@pytest.mark.parametrize(
    ("op", "varde", "when", "expected"),
    [
        ("fore_bedomningsdatum", None, BEFORE, True),
        ("fore_bedomningsdatum", None, DAY, False),
        ("fore_bedomningsdatum", None, AFTER, False),
        ("pa_eller_efter_bedomningsdatum", None, BEFORE, False),
        ("pa_eller_efter_bedomningsdatum", None, DAY, True),
        ("pa_eller_efter_bedomningsdatum", None, AFTER, True),
    ],
)
def test_a_date_against_the_assessment_date(
    op: str, varde: Any, when: dt.date, expected: bool
) -> None:
    assert evaluate(field(op, varde), when, on=DAY) is expected


def test_a_date_leaf_reads_the_assessment_date_from_the_frame() -> None:
    # The same answer, two assessment dates: the outcome follows the date under ON.
    assert evaluate(field("fore_bedomningsdatum"), DAY, on=AFTER) is True
    assert evaluate(field("fore_bedomningsdatum"), DAY, on=DAY) is False
    assert evaluate(field("pa_eller_efter_bedomningsdatum"), DAY, on=AFTER) is False
    assert evaluate(field("pa_eller_efter_bedomningsdatum"), DAY, on=BEFORE) is True


@pytest.mark.parametrize(
    ("agg", "op", "varde", "values", "expected"),
    [
        # max: the largest answer against the bound
        ("max", "minst", 3, [1, 3], True),
        ("max", "minst", 3, [1, 2], False),
        ("max", "minst", 3, [4, 1], True),
        ("max", "hogst", 3, [1, 3], True),
        ("max", "hogst", 3, [2, 1], True),
        ("max", "hogst", 3, [1, 4], False),
        # min: the smallest answer against the bound
        ("min", "minst", 3, [3, 5], True),
        ("min", "minst", 3, [2, 5], False),
        ("min", "minst", 3, [5, 4], True),
        ("min", "minst", 3, [1, 4], False),
        ("min", "hogst", 3, [3, 5], True),
        ("min", "hogst", 3, [2, 5], True),
        ("min", "hogst", 3, [5, 4], False),
        # antal: how many answers
        ("antal", "minst", 2, ["A", "B"], True),
        ("antal", "minst", 2, ["A"], False),
        ("antal", "minst", 2, ["A", "B", "C"], True),
        ("antal", "hogst", 2, ["A", "B"], True),
        ("antal", "hogst", 2, ["A"], True),
        ("antal", "hogst", 2, ["A", "B", "C"], False),
        # dates: the latest / earliest answer
        ("max", "fore_bedomningsdatum", None, [BEFORE, DAY], False),
        ("min", "fore_bedomningsdatum", None, [BEFORE, DAY], True),
        ("max", "pa_eller_efter_bedomningsdatum", None, [BEFORE, DAY], True),
        ("min", "pa_eller_efter_bedomningsdatum", None, [BEFORE, DAY], False),
    ],
)
def test_an_aggregate_over_a_list(
    agg: str, op: str, varde: Any, values: list[Any], expected: bool
) -> None:
    assert evaluate(field(op, varde, agg=agg), values) is expected


# A leaf of every non-presence operator with the kinds of value it reads.
NON_PRESENCE = [
    field("lika", "A"),
    field("en_av", ("A", "B")),
    field("inte_en_av", ("A", "B")),
    field("innehaller", ("A",)),
    field("innehaller_inte", ("A",)),
    field("alla_en_av", ("A",)),
    field("borjar_med", ("F",)),
    field("minst", 3),
    field("hogst", 3),
    field("fore_bedomningsdatum"),
    field("pa_eller_efter_bedomningsdatum"),
    field("minst", 2, agg="antal"),
    field("hogst", 3, agg="max"),
    field("minst", 3, agg="min"),
    field("innehaller_inte", ("ARBETE",), okant_om=("OKAND",)),
    field("lika", "A", okant_om=("OKAND",)),
]


@pytest.mark.parametrize(
    "cond", NON_PRESENCE, ids=[f"{c.op}-{c.agg}-{c.okant_om}" for c in NON_PRESENCE]
)
def test_an_unanswered_question_is_unknown(cond: Villkor) -> None:
    assert evaluate(cond, None) is None


@pytest.mark.parametrize(
    ("cond", "value", "expected"),
    [
        # a list leaf: a list that holds a "not known" answer is unknown, whatever else it holds
        (field("innehaller_inte", ("ARBETE",), okant_om=("OKAND",)), ["OKAND"], None),
        (
            field("innehaller_inte", ("ARBETE",), okant_om=("OKAND",)),
            ["SPRAKINSATS", "OKAND"],
            None,
        ),
        (field("innehaller_inte", ("ARBETE",), okant_om=("OKAND",)), ["ARBETE", "OKAND"], None),
        (field("innehaller_inte", ("ARBETE",), okant_om=("OKAND",)), ["SPRAKINSATS"], True),
        (field("innehaller_inte", ("ARBETE",), okant_om=("OKAND",)), ["ARBETE"], False),
        (field("innehaller", ("ARBETE",), okant_om=("OKAND", "EJ_KANT")), ["EJ_KANT"], None),
        (field("innehaller", ("ARBETE",), okant_om=("OKAND",)), ["ARBETE", "SFI"], True),
        (field("innehaller", ("ARBETE",), okant_om=("OKAND",)), ["SFI"], False),
        # a single answer
        (field("lika", "A", okant_om=("OKAND",)), "OKAND", None),
        (field("lika", "A", okant_om=("OKAND",)), "A", True),
        (field("lika", "A", okant_om=("OKAND",)), "B", False),
        (field("inte_en_av", ("A",), okant_om=("OKAND",)), "OKAND", None),
        (field("inte_en_av", ("A",), okant_om=("OKAND",)), "B", True),
        (field("en_av", ("A", "OKAND"), okant_om=("OKAND",)), "OKAND", None),
    ],
)
def test_okant_om_makes_a_leaf_unknown(cond: Villkor, value: Any, expected: Tri) -> None:
    assert evaluate(cond, value) is expected


def test_a_not_known_answer_is_an_answer_to_finns_and_saknas() -> None:
    # finns/saknas ask only whether the question is answered: "not known" is an answer.
    assert evaluate(field("finns"), "OKAND") is True
    assert evaluate(field("saknas"), "OKAND") is False


# ------------------------------------------------------------------ numbers known from below

BOUNDED = "krav_hog_hogsta_grad"  # a demand-level quantity: may be known only from below


def derived(name: str, op: str, varde: Any) -> Villkor:
    return Villkor(harlett=name, op=op, varde=varde)


def evaluate_derived(cond: Villkor, value: Any) -> Tri:
    return compile_condition(cond)({f"harlett.{cond.harlett}": value, ON: DAY})


@pytest.mark.parametrize(
    ("op", "varde", "value", "expected"),
    [
        # a number known outright: the bound itself, one below, one above
        ("minst", 3, 3, True),
        ("minst", 3, 2, False),
        ("minst", 3, 4, True),
        ("hogst", 2, 2, True),
        ("hogst", 2, 1, True),
        ("hogst", 2, 3, False),
        ("minst", 3, None, None),
        ("hogst", 2, None, None),
        ("lika", 3, None, None),
        # at least n: minst decides True when n reaches the bound, else nothing
        ("minst", 3, AtLeast(3), True),  # every number >= 3 is >= 3
        ("minst", 3, AtLeast(4), True),
        ("minst", 3, AtLeast(2), None),  # 2 is not, 3 is
        ("minst", 3, AtLeast(1), None),
        # hogst decides False when n is past the bound, else nothing
        ("hogst", 2, AtLeast(3), False),  # no number >= 3 is <= 2
        ("hogst", 2, AtLeast(2), None),  # 2 is, 3 is not
        ("hogst", 2, AtLeast(1), None),
        # the single-answer operators: decided only when every number from n up agrees
        ("lika", 3, AtLeast(4), False),
        ("lika", 3, AtLeast(3), None),
        ("lika", 3, AtLeast(2), None),
        ("en_av", (1, 2), AtLeast(3), False),
        ("en_av", (1, 3), AtLeast(3), None),
        ("en_av", (2, 4), AtLeast(3), None),
        ("inte_en_av", (1, 2), AtLeast(3), True),
        ("inte_en_av", (1, 3), AtLeast(3), None),
        ("inte_en_av", (2, 4), AtLeast(3), None),
    ],
)
def test_a_number_known_only_from_below(op: str, varde: Any, value: Any, expected: Tri) -> None:
    assert evaluate_derived(derived(BOUNDED, op, varde), value) is expected


def test_a_plain_derived_quantity_compares_like_a_field() -> None:
    for value, expected in [(100, True), (99, False), (None, None)]:
        assert evaluate_derived(derived("storsta_omfattning", "minst", 100), value) is expected
    for value, expected in [(1, True), (2, False), (0, True), (None, None)]:
        assert evaluate_derived(derived("icf_hogsta_grad", "hogst", 1), value) is expected
    for value, expected in [(True, True), (False, False), (None, None)]:
        assert evaluate_derived(derived("period_passerad", "lika", True), value) is expected


def test_a_leaf_inside_alla_is_read_from_its_own_key() -> None:
    # The frame is keyed by field path and by harlett.<name>: two leaves, two keys.
    cond = Villkor(
        alla=(
            Villkor(falt="bedomning.forhindrad", op="lika", varde=False),
            Villkor(harlett="icf_hogsta_grad", op="minst", varde=3),
        )
    )
    test = compile_condition(cond)
    assert test({"bedomning.forhindrad": False, "harlett.icf_hogsta_grad": 3}) is True
    assert test({"bedomning.forhindrad": False, "harlett.icf_hogsta_grad": 2}) is False
    assert test({"bedomning.forhindrad": True, "harlett.icf_hogsta_grad": 3}) is False
    assert test({"bedomning.forhindrad": False, "harlett.icf_hogsta_grad": None}) is None
