"""The rule catalogue as Markdown, generated from the rule files (``docs/regelkatalog.md``)."""

from __future__ import annotations

from ._fields import DERIVED
from ._loader import catalogue
from ._operators import leaves
from ._ruledefs import FyndRegel, Kalla, NivaRegel, StegRegel, Villkor

_OP = {
    "finns": "är ifyllt",
    "saknas": "saknas",
    "lika": "=",
    "en_av": "är en av",
    "inte_en_av": "är ingen av",
    "innehaller": "innehåller någon av",
    "innehaller_inte": "innehåller ingen av",
    "alla_en_av": "har bara",
    "borjar_med": "börjar med",
    "minst": "≥",
    "hogst": "≤",
    "fore_bedomningsdatum": "före bedömningsdatumet",
    "pa_eller_efter_bedomningsdatum": "på eller efter bedömningsdatumet",
}


def _value(v: object) -> str:
    if isinstance(v, tuple):
        return ", ".join(_value(x) for x in v)
    if isinstance(v, bool):
        return "sant" if v else "falskt"
    return str(v)


def describe(c: Villkor) -> str:
    """A condition in compact Swedish notation."""
    if c.alla is not None:
        return "(" + " OCH ".join(describe(x) for x in c.alla) + ")"
    if c.nagon is not None:
        return "(" + " ELLER ".join(describe(x) for x in c.nagon) + ")"
    if c.inte is not None:
        return "INTE " + describe(c.inte)
    subject = f"`{c.falt}`" if c.falt else f"*{c.harlett}*"
    if c.agg:
        subject = f"{c.agg}({subject})"
    text = f"{subject} {_OP[c.op or '']}"
    if c.varde is not None:
        text += f" {_value(c.varde)}"
    if c.okant_om:
        text += f" (okänt om {_value(c.okant_om)})"
    return text


def render_catalogue_markdown() -> str:
    """The rule catalogue (every rule set, rule, source and the demand table) as Markdown."""
    cat = catalogue()
    out = [
        "# Regelkatalog för bedömningsstödet",
        "",
        "<!-- Genererad från src/intyg/_assessment/regler/ av "
        "`python -m intyg._reference --write`; ändra inte för hand. -->",
        "",
        "Stödet fattar inga beslut. Regelverk med status *forslag* bygger på förslag som inte är "
        "beslutade.",
        "",
        "## Regelverk",
        "",
        "| Id | Version | Status | Gäller från | Gäller till | Första period | Bygger på |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for rs in cat.rulesets:
        out.append(
            f"| {rs.id} | {rs.version} | {rs.status} | {rs.giltig_fran} | "
            f"{rs.giltig_till or 'tills vidare'} | {rs.forsta_period} | {rs.bygger_pa or '–'} |"
        )
    for rs in cat.rulesets:
        out += [
            "",
            f"## {rs.titel}",
            "",
            f"Id `{rs.id}`, version {rs.version}, status {rs.status}. {rs.beskrivning}",
            "",
            f"Kontrollsumma `{rs.checksumma}`.",
            "",
        ]
        out += [
            "| Regel | Typ | Titel | Villkor | Utfall | Källor | Giltighet |",
            "| --- | --- | --- | --- | --- | --- | --- |",
        ]
        for r in rs.regler:
            if isinstance(r, NivaRegel):
                result = f"tak {r.tak}"
            elif isinstance(r, FyndRegel):
                result = f"fynd ({r.allvarlighet})"
            else:
                assert isinstance(r, StegRegel)
                result = f"steg: {r.aktor}"
            if r.giltig_fran is None and r.giltig_till is None:
                window = "hela"
            elif r.giltig_till is None:
                window = f"från {r.giltig_fran}"
            elif r.giltig_fran is None:
                window = f"till och med {r.giltig_till}"
            else:
                window = f"{r.giltig_fran}–{r.giltig_till}"
            out.append(
                f"| {r.id} | {r.typ} | {r.titel} | {describe(r.villkor)} | {result} | "
                f"{', '.join(r.kallor)} | {window} |"
            )
    out += ["", "## Härledda storheter", "", "| Namn | Betydelse | Läser |", "| --- | --- | --- |"]
    for d in DERIVED.values():
        out.append(f"| {d.name} | {d.beskrivning} | {', '.join(f'`{f}`' for f in d.falt)} |")
    prof = next(iter(cat.profiles.values()), None)
    if prof is not None:
        acts = list(prof.rader[0].krav) if prof.rader else []
        out += [
            "",
            f"## Kravprofil ({prof.id} {prof.version})",
            "",
            prof.beskrivning,
            f"Områden som inte finns i tabellen: {prof.ovriga}.",
            "",
            "| Område | Namn | " + " | ".join(a.value for a in acts) + " |",
            "| --- | --- | " + " | ".join("---" for _ in acts) + " |",
        ]
        for row in prof.rader:
            out.append(
                f"| {row.omrade} | {row.namn} | " + " | ".join(row.krav[a] for a in acts) + " |"
            )
    out += [
        "",
        f"## Källor (katalog {cat.sources_version})",
        "",
        "| Id | Hänvisning | Titel | Typ | Status | Verifiering | Ikraft |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for k in cat.sources.values():
        out.append(
            f"| {k.id} | {k.citation} | {k.titel} | {k.typ} | {k.status} | "
            f"{k.verifiering} | {_in_force(k)} |"
        )
    return "\n".join(out) + "\n"


def _in_force(k: Kalla) -> str:
    if k.ikraft is None:
        return "–"
    return f"{k.ikraft} (föreslaget)" if k.status == "forslag" else str(k.ikraft)


__all__ = ["describe", "leaves", "render_catalogue_markdown"]
