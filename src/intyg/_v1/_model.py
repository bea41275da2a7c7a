"""Form version 1.0.0: läkarintyg till socialnämnden. The single source of truth for this version.

Field titles are the printed questions, field descriptions the help texts; both are published in
the JSON Schema and the FHIR Questionnaire and printed on the blank form. Once published, this
module must keep generating the same files (``schemas/`` is frozen by checksum): a change of
meaning needs a new form version beside this one.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Annotated, ClassVar, Literal

from pydantic import Field, StrictBool, StrictStr, model_validator

from .._fieldtypes import (
    Arbetsplatskod,
    Datum,
    HsaId,
    Icd10Kod,
    IcfBKod,
    IcfDKod,
    JsonInt,
    PersonIdText,
    Postnummer,
    Telefon,
    Uuid,
    Valfri,
    text_limit,
)
from .._form import CheckedSection, Section, Villkor, When
from . import _checks
from ._checks import warnings_for as warnings_for  # the registry finds it here
from ._codes import (
    Anpassning,
    Grad,
    IdentitetKontroll,
    Omfattning,
    PrognosTyp,
    Rekommendation,
    Sysselsattning,
    UnderlagTyp,
)

FORM_ID = "lakarintyg-socialnamnd"
FORM_VERSION = "1.0.0"
FORM_DATE = "2026-11-24"
"""Publication date of this version (goes into the Questionnaire's ``date``)."""
FORM_TITLE = "Läkarintyg till socialnämnden"
FORM_SUBTITLE = (
    "för personer som söker ekonomiskt bistånd och är förhindrade att arbeta eller delta i "
    "aktiviteter på grund av sjukdom"
)

LONG_TEXT = 4000
SHORT_TEXT = 200

Lang = Annotated[StrictStr, text_limit(LONG_TEXT)]
Kort = Annotated[StrictStr, text_limit(SHORT_TEXT)]


class Formular(Section):
    """Which form and form version the certificate is written on."""

    shown_in_repr = frozenset({"id", "version"})

    id: Literal["lakarintyg-socialnamnd"] = Field(title="Formulär")
    version: Literal["1.0.0"] = Field(title="Formulärversion")


class Patient(Section):
    """The person the certificate is about."""

    personid: PersonIdText = Field(
        title="Personnummer eller samordningsnummer",
        description="Tolv siffror (ÅÅÅÅMMDD-NNNN). Samordningsnummer har dag plus 60.",
    )
    namn: Kort = Field(title="Namn", description="För- och efternamn.")


class Underlag(CheckedSection):
    """One thing the certificate is based on."""

    typ: UnderlagTyp = Field(title="Underlag")
    datum: Datum = Field(
        title="Datum", description="När undersökningen, mötet eller kontakten ägde rum."
    )
    beskrivning: Valfri[Annotated[StrictStr, text_limit(500)]] = Field(
        default=None,
        title="Beskriv vad annat underlag är",
        description="Till exempel uppgifter från en annan vårdgivare eller en arbetsterapeut.",
    )

    villkor: ClassVar[tuple[Villkor, ...]] = (
        Villkor("beskrivning", When("typ", any_of=(UnderlagTyp.ANNAT,))),
    )


class Grund(CheckedSection):
    """What the certificate is based on."""

    underlag: Annotated[tuple[Underlag, ...], Field(min_length=1, max_length=5)] = Field(
        title="Intyget grundar sig på",
        description=(
            "Ange allt du har stött dig på och datum för varje. Ett intyg kan bygga på en "
            "undersökning vid besök, ett videomöte, en telefonkontakt eller journaluppgifter; "
            "socialnämnden behöver veta vilket för att kunna väga intyget."
        ),
    )
    kand_sedan: Valfri[Datum] = Field(
        default=None,
        title="Patienten är känd vid enheten sedan",
        description="Lämna tomt om patienten inte är känd sedan tidigare.",
    )
    identitet: Valfri[IdentitetKontroll] = Field(
        default=None, title="Identiteten kontrollerades genom"
    )

    checks = _checks.grund


class SysselsattningDel(CheckedSection):
    """What the person does now or is planned for."""

    typ: Annotated[tuple[Sysselsattning, ...], Field(min_length=1, max_length=8)] = Field(
        title="Patientens nuvarande eller planerade sysselsättning",
        description=(
            "Ange det du känner till om vad patienten gör eller ska göra, till exempel praktik "
            'eller sfi. Välj "Inte känt för mig" om du inte vet.'
        ),
    )
    timmar_per_vecka: Valfri[Annotated[int, Field(ge=1, le=40), JsonInt]] = Field(
        default=None,
        title="Sysselsättningens omfattning, timmar per vecka",
        description="Heltid är 40 timmar per vecka. Lämna tomt om du inte vet.",
    )

    villkor: ClassVar[tuple[Villkor, ...]] = (
        Villkor(
            "timmar_per_vecka",
            When("typ", none_of=(Sysselsattning.INGEN, Sysselsattning.OKAND)),
            required=False,
        ),
    )

    checks = _checks.sysselsattning


class Diagnos(Section):
    """One diagnosis."""

    kod: Icd10Kod = Field(
        title="Diagnoskod (ICD-10-SE)",
        description="Ange koden med så många positioner som möjligt, till exempel F32.1.",
    )
    text: Annotated[StrictStr, text_limit(250)] = Field(title="Diagnos i klartext")

    def checked_codes(self) -> Iterable[str]:
        return (self.kod,)


class IcfB(Section):
    """A structured impairment: ICF body function code and its severity."""

    kod: IcfBKod = Field(
        title="ICF-kod (kroppsfunktion)", description="Till exempel b130 för energi och drift."
    )
    grad: Annotated[Grad, JsonInt] = Field(title="Grad")


class IcfD(Section):
    """A structured activity limitation: ICF activity code and its severity."""

    kod: IcfDKod = Field(
        title="ICF-kod (aktivitet)",
        description="Till exempel d230 för att genomföra daglig rutin.",
    )
    grad: Annotated[Grad, JsonInt] = Field(title="Grad")


class Funktionsnedsattning(CheckedSection):
    """Impairment of body functions, as observed."""

    beskrivning: Lang = Field(
        title="Funktionsnedsättning",
        description=(
            "Beskriv vilka kroppsliga eller psykiska funktioner som är nedsatta, hur mycket, och "
            "vad du grundar det på (undersökningsfynd, test, observationer). Skriv konkret: "
            '"klarar att koncentrera sig cirka 20 minuter i taget" säger mer än "nedsatt '
            'koncentration".'
        ),
    )
    icf: Valfri[Annotated[tuple[IcfB, ...], Field(min_length=1, max_length=20)]] = Field(
        default=None,
        title="Funktionsnedsättning enligt ICF",
        description="Valfritt: koder från ICF:s kapitel om kroppsfunktioner (b) med grad 0–4.",
    )

    checks = _checks.icf_codes


class Aktivitetsbegransning(CheckedSection):
    """Activity limitations: what the person cannot do, or does with difficulty."""

    beskrivning: Lang = Field(
        title="Aktivitetsbegränsning",
        description=(
            "Beskriv vad patienten har svårt att göra eller inte klarar på grund av "
            "funktionsnedsättningen, hur stora svårigheterna är och i vilka situationer. "
            "Det är begränsningen, inte diagnosen, som avgör förmågan att delta i aktiviteter."
        ),
    )
    icf: Valfri[Annotated[tuple[IcfD, ...], Field(min_length=1, max_length=20)]] = Field(
        default=None,
        title="Aktivitetsbegränsning enligt ICF",
        description=(
            "Valfritt men till stor hjälp: koder från ICF:s kapitel om aktiviteter och "
            "delaktighet (d) med grad 0–4."
        ),
    )

    checks = _checks.icf_codes


class Behandling(CheckedSection):
    """Treatment, and activities that may worsen the illness."""

    beskrivning: Lang = Field(
        title="Pågående och planerad behandling",
        description='Beskriv behandling och planerade åtgärder i vården. Skriv "Ingen" om '
        "ingen behandling pågår eller planeras.",
    )
    slutdatum: Valfri[Datum] = Field(
        default=None,
        title="Behandlingen väntas vara avslutad",
        description="Lämna tomt om det inte går att säga.",
    )
    kan_forvarras: StrictBool = Field(
        title="Kan vissa aktiviteter försämra patientens sjukdom?",
    )
    forvarrande_aktiviteter: Valfri[Lang] = Field(
        default=None,
        title="Vilka aktiviteter kan försämra sjukdomen?",
        description="Beskriv aktiviteterna och på vilket sätt de kan försämra sjukdomen.",
    )

    villkor: ClassVar[tuple[Villkor, ...]] = (
        Villkor("forvarrande_aktiviteter", When("kan_forvarras", any_of=(True,))),
    )


class Period(Section):
    """A period during which the person is prevented, and to what extent."""

    fran: Datum = Field(title="Från och med")
    till: Datum = Field(title="Till och med")
    omfattning: Annotated[Omfattning, JsonInt] = Field(
        title="Förhindrad i omfattning",
        description="Andel av patientens tid (heltid 40 timmar per vecka) som sjukdomen hindrar.",
    )


class Bedomning(CheckedSection):
    """The doctor's assessment of ability to work or take part in activities."""

    forhindrad: StrictBool = Field(
        title="Är patienten på grund av sjukdom förhindrad att arbeta eller delta i aktiviteter?",
        description=(
            "Svara ja om sjukdomen hindrar patienten helt eller delvis under en period. Ange då "
            "perioderna och i vilken omfattning."
        ),
    )
    perioder: Valfri[Annotated[tuple[Period, ...], Field(min_length=1, max_length=4)]] = Field(
        default=None,
        title="Perioder och omfattning",
        description=(
            "En till fyra perioder som inte överlappar. Omfattningen räknas om till timmar: "
            "vid 50 % återstår 20 av 40 timmar per vecka."
        ),
    )
    formaga_trots_sjukdom: Lang = Field(
        title="Vad kan patienten göra trots sjukdomen?",
        description=(
            "Beskriv vad patienten klarar, till exempel vilka slags uppgifter, hur länge och i "
            "vilken miljö. Det hjälper socialnämnden att hitta aktiviteter som passar."
        ),
    )
    anpassningar: Valfri[Annotated[tuple[Anpassning, ...], Field(min_length=1, max_length=9)]] = (
        Field(
            default=None,
            title="Anpassningar som skulle göra det möjligt att delta",
            description=(
                "Välj de anpassningar som skulle göra det möjligt att delta helt eller delvis."
            ),
        )
    )
    anpassningar_beskrivning: Valfri[Lang] = Field(
        default=None,
        title="Beskriv anpassningarna",
        description='Krävs om du valt "Annan anpassning".',
    )

    villkor: ClassVar[tuple[Villkor, ...]] = (
        Villkor("perioder", When("forhindrad", any_of=(True,))),
        Villkor(
            "anpassningar_beskrivning",
            When("anpassningar", any_of=(Anpassning.ANNAN,)),
            mode="require",
        ),
    )

    checks = _checks.bedomning


class Prognos(CheckedSection):
    """Prognosis for taking part fully again."""

    typ: PrognosTyp = Field(
        title="Prognos",
        description="Hur bedömer du möjligheten att patienten kan arbeta eller delta fullt ut?",
    )
    anpassning: Valfri[Lang] = Field(default=None, title="Vilken anpassning behövs?")
    motivering: Valfri[Lang] = Field(
        default=None,
        title="Varför går prognosen inte att bedöma?",
        description="Ange också när en bedömning kan bli möjlig, om du vet det.",
    )
    manader: Valfri[Annotated[int, Field(ge=1, le=99), JsonInt]] = Field(
        default=None,
        title="Inom hur många månader?",
        description="Valfritt: din uppskattning av när patienten kan delta fullt ut.",
    )

    villkor: ClassVar[tuple[Villkor, ...]] = (
        Villkor("anpassning", When("typ", any_of=(PrognosTyp.ATERGAR_MED_ANPASSNING,))),
        Villkor("motivering", When("typ", any_of=(PrognosTyp.KAN_EJ_BEDOMAS,))),
        Villkor(
            "manader",
            When(
                "typ",
                any_of=(PrognosTyp.ATERGAR_UTAN_ANPASSNING, PrognosTyp.ATERGAR_MED_ANPASSNING),
            ),
            required=False,
        ),
    )


class Samverkan(CheckedSection):
    """Collaboration the doctor recommends, and contact with socialnämnden."""

    rekommendationer: Valfri[
        Annotated[tuple[Rekommendation, ...], Field(min_length=1, max_length=5)]
    ] = Field(
        default=None,
        title="Jag rekommenderar",
        description=(
            "Välj de insatser du bedömer kan hjälpa patienten tillbaka till arbete eller "
            "aktivitet. Lämna tomt om du inte rekommenderar någon."
        ),
    )
    kontakt_onskas: StrictBool = Field(
        title="Jag vill bli kontaktad av socialnämnden",
    )
    kontakt_anledning: Valfri[Annotated[StrictStr, text_limit(1000)]] = Field(
        default=None, title="Anledning till kontakt"
    )

    villkor: ClassVar[tuple[Villkor, ...]] = (
        Villkor("kontakt_anledning", When("kontakt_onskas", any_of=(True,))),
    )

    checks = _checks.samverkan


class Vardenhet(Section):
    """The care unit the doctor writes from."""

    namn: Kort = Field(title="Vårdenhetens namn")
    postadress: Kort = Field(title="Postadress")
    postnummer: Postnummer = Field(title="Postnummer")
    postort: Annotated[StrictStr, text_limit(100)] = Field(title="Postort")
    telefon: Telefon = Field(title="Telefon")
    hsa_id: Valfri[HsaId] = Field(default=None, title="Vårdenhetens HSA-id")
    arbetsplatskod: Valfri[Arbetsplatskod] = Field(default=None, title="Arbetsplatskod")


class Utfardare(Section):
    """The doctor who issues the certificate."""

    namn: Kort = Field(title="Läkarens namn")
    hsa_id: HsaId = Field(title="Läkarens HSA-id")
    befattning: Kort = Field(
        title="Befattning och specialitet", description="Till exempel specialist i allmänmedicin."
    )
    vardenhet: Vardenhet = Field(title="Vårdenhet")
    ort: Annotated[StrictStr, text_limit(100)] = Field(title="Ort")


class Intyg(CheckedSection):
    """Läkarintyg till socialnämnden, form version 1.0.0.

    Build it with :func:`intyg.load`, :func:`intyg.validate` or :func:`intyg.from_fhir`, which
    raise intyg's coded errors; ``Intyg.model_validate(data)`` applies the same rules but raises
    pydantic's ``ValidationError``. It is immutable and satisfies every rule of the form;
    ``model_copy(update=...)`` checks the changed copy again. Only ``model_construct``, which
    checks nothing, can make one that does not.
    """

    shown_in_repr = frozenset({"intygsid", "ersatter"})

    formular: Formular = Field(title="Formulär")
    intygsid: Uuid = Field(title="Intygets id", description="Ett UUID som identifierar intyget.")
    signeringsdatum: Datum = Field(
        title="Datum för intyget", description="Dagen då intyget undertecknas."
    )
    ersatter: Valfri[Uuid] = Field(
        default=None,
        title="Ersätter intyg",
        description="Id för ett tidigare intyg som detta intyg ersätter, om något.",
    )
    patient: Patient = Field(title="Patient")
    grund: Grund = Field(title="Grund för intyget")
    sysselsattning: SysselsattningDel = Field(title="Sysselsättning")
    diagnoser: Annotated[tuple[Diagnos, ...], Field(min_length=1, max_length=3)] = Field(
        title="Diagnoser",
        description="En till tre diagnoser som påverkar förmågan; huvuddiagnosen först.",
    )
    funktionsnedsattning: Funktionsnedsattning = Field(title="Funktionsnedsättning")
    aktivitetsbegransning: Aktivitetsbegransning = Field(title="Aktivitetsbegränsning")
    behandling: Behandling = Field(title="Behandling")
    bedomning: Bedomning = Field(title="Bedömning")
    prognos: Prognos = Field(title="Prognos")
    samverkan: Samverkan = Field(title="Samverkan")
    ovrigt: Valfri[Lang] = Field(
        default=None,
        title="Övrigt",
        description="Annat som socialnämnden bör känna till.",
    )
    utfardare: Utfardare = Field(title="Utfärdare")

    _resolve_short_personid = model_validator(mode="before")(_checks.resolve_short_personid)

    def checked_codes(self) -> Iterable[str]:
        return (d.kod for d in self.diagnoser)

    checks = _checks.intyg
