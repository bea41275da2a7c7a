"""The shape of the rule files, validated at load by pydantic.

Four kinds of file live in ``regler/``: the source catalogue (``kallor.yaml``), the demand
profiles (``kravprofil.yaml``) and one file per rule set version. A rule set is either complete or
an overlay on another (``bygger_pa``), in the spirit of OpenFisca's reforms: the proposal-based
rule set is current law plus the proposed changes.

Conditions are trees of a closed set of named operators (:data:`Op`); there is no expression
language and nothing is evaluated as code.
"""

from __future__ import annotations

import datetime as _dt
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

from .._frozen import FrozenDict
from .._v1._codes import Anpassning, Sysselsattning

Id = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$", max_length=80)]
SemVer = Annotated[str, StringConstraints(pattern=r"^\d+\.\d+\.\d+$")]
Status = Literal["forslag", "gallande", "upphavd"]
Niva = Literal["KAN_DELTA", "KAN_DELTA_DELVIS", "FORHINDRAD"]
Aktor = Literal["socialnamnd", "region", "forsakringskassan", "arbetsformedlingen"]
Allvarlighet = Literal["info", "varning", "komplettering"]
Krav = Literal["lag", "mattlig", "hog"]

Op = Literal[
    # presence: never unknown
    "finns",
    "saknas",
    # a single answer
    "lika",
    "en_av",
    "inte_en_av",
    # a list of answers (a repeating question, or a field inside a repeating group)
    "innehaller",
    "innehaller_inte",
    "alla_en_av",
    "borjar_med",
    # numbers and dates; on a list only with an aggregate (agg)
    "minst",
    "hogst",
    # dates against the assessment date
    "fore_bedomningsdatum",
    "pa_eller_efter_bedomningsdatum",
]
"""The closed set of operators. Their meaning is documented in :mod:`._operators`."""

Agg = Literal["max", "min", "antal"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


Scalar = bool | int | str


class Villkor(_Strict):
    """A condition: one of ``alla``, ``nagon``, ``inte`` or a leaf (``falt``/``harlett``)."""

    alla: tuple[Villkor, ...] | None = None
    nagon: tuple[Villkor, ...] | None = None
    inte: Villkor | None = None
    falt: str | None = None
    harlett: str | None = None
    agg: Agg | None = None
    op: Op | None = None
    varde: Scalar | tuple[Scalar, ...] | None = None
    okant_om: tuple[str, ...] = ()

    @model_validator(mode="after")
    def _one_form(self) -> Villkor:
        forms = [
            self.alla is not None,
            self.nagon is not None,
            self.inte is not None,
            self.falt is not None or self.harlett is not None,
        ]
        if sum(forms) != 1:
            raise ValueError("ett villkor har exakt en av alla, nagon, inte eller falt/harlett")
        if self.falt is not None and self.harlett is not None:
            raise ValueError("ange falt eller harlett, inte båda")
        leaf = forms[3]
        if leaf and self.op is None:
            raise ValueError("ett löv behöver op")
        if not leaf and (self.op or self.agg or self.varde is not None or self.okant_om):
            raise ValueError("op, agg, varde och okant_om hör bara till ett löv")
        if self.alla == () or self.nagon == ():
            raise ValueError("alla/nagon behöver minst ett villkor")
        return self


class VidOkant(_Strict):
    """What to tell the case officer when a rule cannot be evaluated (missing information)."""

    meddelande: str
    fraga: str | None = None
    allvarlighet: Allvarlighet = "komplettering"


class _RegelBas(_Strict):
    id: Id
    titel: str
    amne: Id | None = None
    """Subject key: rules with the same subject must not be valid on the same day."""
    kallor: tuple[Id, ...] = Field(min_length=1)
    giltig_fran: _dt.date | None = None
    giltig_till: _dt.date | None = None
    villkor: Villkor
    vid_okant: VidOkant | None = None

    @property
    def subject(self) -> str:
        """The overlap key of the rule."""
        return self.amne or self.id


class NivaRegel(_RegelBas):
    """Caps the level of activity types when its condition holds."""

    typ: Literal["niva"]
    tak: Niva
    aktiviteter: tuple[Sysselsattning, ...] | None = None
    text: str
    text_om_falskt: str | None = None


class FyndRegel(_RegelBas):
    """A finding on completeness or consistency for the case officer."""

    typ: Literal["fynd"]
    allvarlighet: Allvarlighet
    meddelande: str
    fraga: str | None = None


class StegRegel(_RegelBas):
    """A next step with the actor responsible."""

    typ: Literal["steg"]
    aktor: Aktor
    medverkande: tuple[Aktor, ...] = ()
    text: str


Regel = Annotated[NivaRegel | FyndRegel | StegRegel, Field(discriminator="typ")]


class Uppfoljning(_Strict):
    """Parameters of the follow-up date."""

    senast_efter_dagar: int = Field(ge=1, le=366)
    """Follow up at the latest this many days after the assessment date."""
    vid_komplettering_dagar: int = Field(ge=1, le=366)
    """Follow up within this many days when the certificate needs completing."""


class RegelverkFil(_Strict):
    """One rule set version, as written in its YAML file."""

    id: Id
    titel: str
    beskrivning: str
    version: SemVer
    status: Status
    giltig_fran: _dt.date
    giltig_till: _dt.date | None = None
    forsta_period: _dt.date
    """The first assessed period (support month) the rule set applies to."""
    kallor: tuple[Id, ...] = Field(min_length=1)
    bygger_pa: Id | None = None
    ta_bort: tuple[Id, ...] = ()
    kravprofil: Id | None = None
    uppfoljning: Uppfoljning | None = None
    regler: tuple[Regel, ...] = ()


Verifiering = Literal["V", "S", "att_verifiera"]

PROVISION_TO_VERIFY = "(bestämmelse att verifiera)"
"""Ends the citation of a law or proposal whose chapter and paragraph are not yet verified."""
KallTyp = Literal[
    "lag", "forslag", "utredning", "foreskrift", "allmanna_rad", "riktlinje", "regeringsbeslut"
]


class Kalla(_Strict):
    """A legal or policy source that rules cite."""

    id: Id
    typ: KallTyp
    titel: str
    beteckning: str
    bestammelse: str | None
    """Chapter/paragraph, only when verified; None means 'att verifiera' or not applicable."""
    verifiering: Verifiering
    status: Status
    publicerad: _dt.date | None = None
    ikraft: _dt.date | None = None
    upphor: _dt.date | None = None
    sfs: str | None = None
    """SFS number of an enacted proposal; left empty until the law text has been read."""
    url: str | None = None
    anmarkning: str | None = None

    @property
    def citation(self) -> str:
        """A short Swedish citation, e.g. ``SFS 2025:400 12 kap. 3 §``."""
        if self.bestammelse:
            return f"{self.beteckning} {self.bestammelse}"
        if self.typ in ("lag", "forslag"):
            return f"{self.beteckning} {PROVISION_TO_VERIFY}"
        return self.beteckning


class KallFil(_Strict):
    """The source catalogue file."""

    version: SemVer
    kallor: tuple[Kalla, ...]


IcfOmrade = Annotated[str, StringConstraints(pattern=r"^[bd][1-9](\d\d(\d\d?)?)?$")]
"""An ICF area: a chapter (``d2``) or a code (``d240``)."""


class KravRad(_Strict):
    """One row of a demand profile: how much each activity type asks of one ICF area."""

    omrade: IcfOmrade
    namn: str
    krav: dict[Sysselsattning, Krav]
    anpassningar: tuple[Anpassning, ...] = ()
    """Adaptations to consider when a limitation in this area bears on an activity."""

    @field_validator("krav", mode="after")
    @classmethod
    def _frozen(cls, krav: dict[Sysselsattning, Krav]) -> dict[Sysselsattning, Krav]:
        # The row is part of a rule set, which the whole process shares.
        return FrozenDict(krav)


class KravprofilFil(_Strict):
    """The demand profile table."""

    id: Id
    version: SemVer
    beskrivning: str
    ovriga: Krav
    """Demand of areas not in the table."""
    anpassning_fran_grad: int = Field(ge=1, le=4)
    """From which qualifier a bearing limitation suggests the row's adaptations."""
    rader: tuple[KravRad, ...]


def dump(model: BaseModel) -> dict[str, Any]:
    """A model as JSON data (used for checksums)."""
    return model.model_dump(mode="json")
