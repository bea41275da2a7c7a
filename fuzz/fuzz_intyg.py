"""Coverage-guided fuzzing of intyg's entry points with atheris.

Each input is fed, as bytes, to every public entry point that reads outside data: ``validate``
(JSON or QuestionnaireResponse, detected; the prebuilt validator of the ``validate`` command must
give the same problems), ``load``, ``from_fhir``, conversion both ways, ``assess``
and ``render`` (HTML) of whatever loads. Only :class:`intyg.IntygError` may escape; anything else
is a bug and stops the run with the input saved as ``crash-*``.

Short run (as in CI)::

    python fuzz/fuzz_intyg.py -atheris_runs=2000 fuzz/korpus

Long run::

    python fuzz/fuzz_intyg.py -max_total_time=3600 -max_len=20000 fuzz/korpus

The seed corpus in ``fuzz/korpus`` holds the example certificate and its QuestionnaireResponse,
once plain and once with the elements that take it past the quick check (``meta``, ``language``,
a narrative) to ``fhir.resources`` and the narrative check.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import sys

import atheris

with atheris.instrument_imports():
    import intyg
    from intyg import IntygError
    from intyg._quick import validate_quickly

ON = dt.date(2026, 11, 24)


def one_input(data: bytes) -> None:
    with contextlib.suppress(IntygError):  # a stored assessment read back: coded errors only
        intyg.load_assessment(data)
    report = intyg.validate(data)  # must never raise
    assert report.valid == (report.intyg is not None)
    quick = validate_quickly(data)  # must never raise, and must agree where it answers
    assert quick is None or quick == (report.valid, report.problems)
    try:
        certificate = intyg.load(data)
    except IntygError:
        return
    qr = intyg.to_fhir(certificate)
    assert intyg.from_fhir(qr) == certificate
    assert intyg.load(intyg.to_json(certificate)) == certificate
    with contextlib.suppress(IntygError):
        intyg.assess(certificate, ON)
    intyg.render(certificate)


def main() -> None:
    atheris.Setup(sys.argv, one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
