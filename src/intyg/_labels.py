"""Swedish names of the assessment's codes, the same in its text output (``intyg assess``) and
in its printed report (``intyg render --assessment``)."""

from __future__ import annotations

LEVEL: dict[str, str] = {
    "KAN_DELTA": "Kan delta",
    "KAN_DELTA_DELVIS": "Kan delta delvis",
    "FORHINDRAD": "Förhindrad",
    "UNDERLAG_OTILLRACKLIGT": "Underlaget räcker inte för en bedömning",
}
"""An activity type's level (``aktiviteter[].niva``)."""

ACTOR: dict[str, str] = {
    "socialnamnd": "Socialnämnden",
    "region": "Regionen (hälso- och sjukvården)",
    "forsakringskassan": "Försäkringskassan",
    "arbetsformedlingen": "Arbetsförmedlingen",
}
"""Who a next step falls to (``nasta_steg[].aktor``), as a heading or at the start of a line."""

ACTOR_IN_TEXT: dict[str, str] = {
    **ACTOR,
    "socialnamnd": "socialnämnden",
    "region": "regionen (hälso- och sjukvården)",
}
"""The same in running text ("tillsammans med socialnämnden"): the agencies keep their capitals."""

NOTICE = (
    "Detta är ett stöd för handläggarens bedömning, inte ett beslut. Stödet bygger bara på det "
    "som står i läkarintyget och på regelverket som anges. Beslutet fattas av socialnämnden, "
    "eller av den som nämnden har delegerat beslutet till, efter en samlad bedömning av hela "
    "ärendet."
)
"""What every assessment says about itself (``meddelande``); the report prints it also for a
stored assessment that lacks it."""
