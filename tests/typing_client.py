"""How an integrator's own code uses intyg, checked by mypy --strict (tests/test_static.py):
normal use needs no cast and no ``type: ignore``, and the mistakes marked below are caught by the
type checker (each ``type: ignore`` must be needed, or mypy reports it as unused).

Not a test module: it is type-checked, and imported once to show it also runs."""

from __future__ import annotations

import datetime
import os
import pathlib

import intyg


def check(path: pathlib.Path, on: datetime.date, fmt: str) -> tuple[str, bytes, str | bytes]:
    report = intyg.validate(path)
    if not report.valid or report.intyg is None:
        raise SystemExit([p.to_dict() for p in report.problems])
    certificate = report.intyg  # an Intyg
    periods = certificate.bedomning.perioder
    assert periods is None or periods[0].omfattning in (25, 50, 75, 100)
    assessment = intyg.assess(certificate, on)
    levels = {a.typ: a.niva for a in assessment.aktiviteter}
    assert levels
    html: str = intyg.render(certificate)
    pdf: bytes = intyg.render(assessment, assessment=True, format="pdf")
    chosen: str | bytes = intyg.render(certificate, format=fmt)  # a format read from settings
    variant = os.environ.get("INTYG_PDF_VARIANT", "pdf/a-2b")  # a variant read from settings
    archived: bytes = intyg.render(certificate, format="pdf", pdf_variant=variant)
    assert archived.startswith(b"%PDF")
    assert intyg.from_fhir(intyg.to_fhir(certificate)) == certificate
    return html, pdf, chosen


def period_text(period: intyg.Period) -> str:
    """A helper typed with the public name of a part of the certificate."""
    return f"{period.fran} – {period.till}: {int(period.omfattning)} %"


def levels(assessment: intyg.Assessment) -> dict[intyg.Sysselsattning, intyg.Level]:
    def on_each(activity: intyg.Aktivitet) -> tuple[intyg.Sysselsattning, intyg.Level]:
        return intyg.Sysselsattning(activity.typ), activity.niva

    return dict(on_each(a) for a in assessment.aktiviteter)


def serious(findings: list[intyg.Fynd], severity: intyg.Severity = "error") -> list[str]:
    return [f.regel for f in findings if f.allvarlighet == "komplettering" or severity == "warning"]


class OwnCatalogue:
    """A code list of the integrator's own, typed with the public result of ``lookup``."""

    def lookup(self, code: str) -> intyg.Lookup:
        return "known" if code.startswith("F") else "unknown"


def with_own_catalogue(data: bytes) -> intyg.Intyg:
    return intyg.load(data, icd10=OwnCatalogue())


def mistakes() -> None:
    report = intyg.validate(intyg.example())
    intyg.render(report)  # type: ignore[call-overload]
    intyg.assess(report, datetime.date(2026, 11, 24))  # type: ignore[arg-type]
    intyg.vaildate(b"{}")  # type: ignore[attr-defined]  # a misspelt name is no Any
