"""Code lists of form version 1 (ASCII codes, Swedish display texts)."""

from __future__ import annotations

from enum import IntEnum, StrEnum

from .._formspec import kodverk


class UnderlagTyp(StrEnum):
    """What the certificate is based on."""

    UNDERSOKNING = "UNDERSOKNING"
    DIGITALT_MOTE = "DIGITALT_MOTE"
    TELEFONKONTAKT = "TELEFONKONTAKT"
    JOURNALUPPGIFTER = "JOURNALUPPGIFTER"
    ANNAT = "ANNAT"


KV_UNDERLAG = kodverk(
    UnderlagTyp,
    "underlag",
    "Underlag för intyget",
    {
        UnderlagTyp.UNDERSOKNING: "Min undersökning av patienten vid ett fysiskt besök",
        UnderlagTyp.DIGITALT_MOTE: "Mitt möte med patienten via video",
        UnderlagTyp.TELEFONKONTAKT: "Min telefonkontakt med patienten",
        UnderlagTyp.JOURNALUPPGIFTER: "Uppgifter i journalen",
        UnderlagTyp.ANNAT: "Annat",
    },
)


class IdentitetKontroll(StrEnum):
    """How the patient's identity was verified."""

    ID_HANDLING = "ID_HANDLING"
    E_LEGITIMATION = "E_LEGITIMATION"
    PERSONLIG_KANNEDOM = "PERSONLIG_KANNEDOM"
    INTYGANDE = "INTYGANDE"


KV_IDENTITET = kodverk(
    IdentitetKontroll,
    "identitet",
    "Hur identiteten kontrollerades",
    {
        IdentitetKontroll.ID_HANDLING: "Id-handling (till exempel körkort, pass eller id-kort)",
        IdentitetKontroll.E_LEGITIMATION: "E-legitimation",
        IdentitetKontroll.PERSONLIG_KANNEDOM: "Jag känner patienten sedan tidigare",
        IdentitetKontroll.INTYGANDE: "En person som känner patienten intygade identiteten",
    },
)


class Sysselsattning(StrEnum):
    """What the person does now or is planned for (the aktivitetskrav's activity types)."""

    ARBETE = "ARBETE"
    JOBBSOKANDE = "JOBBSOKANDE"
    SPRAKINSATS = "SPRAKINSATS"
    KOMPETENSHOJANDE = "KOMPETENSHOJANDE"
    ARBETSPLATSFORLAGD = "ARBETSPLATSFORLAGD"
    ARBETSLIVSINRIKTAD_REHABILITERING = "ARBETSLIVSINRIKTAD_REHABILITERING"
    INGEN = "INGEN"
    OKAND = "OKAND"


KV_SYSSELSATTNING = kodverk(
    Sysselsattning,
    "sysselsattning",
    "Sysselsättning och aktiviteter",
    {
        Sysselsattning.ARBETE: "Arbete på den vanliga arbetsmarknaden",
        Sysselsattning.JOBBSOKANDE: "Jobbsökande aktiviteter",
        Sysselsattning.SPRAKINSATS: "Språkinsats, till exempel sfi",
        Sysselsattning.KOMPETENSHOJANDE: "Studier eller annan kompetenshöjande insats",
        Sysselsattning.ARBETSPLATSFORLAGD: "Aktivitet på en arbetsplats (praktik, arbetsträning)",
        Sysselsattning.ARBETSLIVSINRIKTAD_REHABILITERING: "Arbetslivsinriktad rehabilitering",
        Sysselsattning.INGEN: "Ingen sysselsättning just nu",
        Sysselsattning.OKAND: "Inte känt för mig",
    },
)

AKTIVITETSTYPER: tuple[Sysselsattning, ...] = tuple(
    s for s in Sysselsattning if s not in (Sysselsattning.INGEN, Sysselsattning.OKAND)
)
"""The six activity types the assessment speaks of."""


class Grad(IntEnum):
    """ICF qualifier for the size of a problem (0-4)."""

    INGEN = 0
    LATT = 1
    MATTLIG = 2
    SVAR = 3
    TOTAL = 4


KV_GRAD = kodverk(
    Grad,
    "icf-grad",
    "Svårighetsgrad (ICF:s bedömningsfaktor)",
    {
        Grad.INGEN: "0 Inget problem (0–4 %)",
        Grad.LATT: "1 Lätt problem (5–24 %)",
        Grad.MATTLIG: "2 Måttligt problem (25–49 %)",
        Grad.SVAR: "3 Stort problem (50–95 %)",
        Grad.TOTAL: "4 Totalt problem (96–100 %)",
    },
)


class Omfattning(IntEnum):
    """How much of the person's time illness prevents activity, in per cent."""

    FJARDEDEL = 25
    HALFTEN = 50
    TRE_FJARDEDELAR = 75
    HELT = 100


KV_OMFATTNING = kodverk(
    Omfattning,
    "omfattning",
    "Omfattning av förhindret",
    {
        Omfattning.FJARDEDEL: "25 % (en fjärdedel)",
        Omfattning.HALFTEN: "50 % (hälften)",
        Omfattning.TRE_FJARDEDELAR: "75 % (tre fjärdedelar)",
        Omfattning.HELT: "100 % (helt)",
    },
)


class Anpassning(StrEnum):
    """Adaptations that would make taking part possible."""

    ANPASSAD_TID = "ANPASSAD_TID"
    STEGVIS_UPPTRAPPNING = "STEGVIS_UPPTRAPPNING"
    ANPASSADE_UPPGIFTER = "ANPASSADE_UPPGIFTER"
    ANPASSAD_MILJO = "ANPASSAD_MILJO"
    HJALPMEDEL = "HJALPMEDEL"
    STOD_HANDLEDNING = "STOD_HANDLEDNING"
    NARA_BOSTADEN = "NARA_BOSTADEN"
    DISTANS = "DISTANS"
    ANNAN = "ANNAN"


KV_ANPASSNING = kodverk(
    Anpassning,
    "anpassning",
    "Anpassningar",
    {
        Anpassning.ANPASSAD_TID: "Anpassad tid (kortare dagar, fler pauser, annat schema)",
        Anpassning.STEGVIS_UPPTRAPPNING: "Stegvis ökning av tiden",
        Anpassning.ANPASSADE_UPPGIFTER: "Anpassade uppgifter (lättare, färre eller annorlunda)",
        Anpassning.ANPASSAD_MILJO: "Anpassad miljö (lugn, liten grupp, ergonomi)",
        Anpassning.HJALPMEDEL: "Hjälpmedel",
        Anpassning.STOD_HANDLEDNING: "Stöd eller handledning (stödperson, tydlig struktur)",
        Anpassning.NARA_BOSTADEN: "Nära bostaden eller med anpassade resor",
        Anpassning.DISTANS: "På distans",
        Anpassning.ANNAN: "Annan anpassning",
    },
)


class PrognosTyp(StrEnum):
    """Prognosis for returning to work or activities."""

    ATERGAR_UTAN_ANPASSNING = "ATERGAR_UTAN_ANPASSNING"
    ATERGAR_MED_ANPASSNING = "ATERGAR_MED_ANPASSNING"
    ATERGAR_EJ = "ATERGAR_EJ"
    KAN_EJ_BEDOMAS = "KAN_EJ_BEDOMAS"


KV_PROGNOS = kodverk(
    PrognosTyp,
    "prognos",
    "Prognos",
    {
        PrognosTyp.ATERGAR_UTAN_ANPASSNING: "Patienten väntas kunna delta fullt ut utan anpassning",
        PrognosTyp.ATERGAR_MED_ANPASSNING: "Patienten väntas kunna delta fullt ut med anpassning",
        PrognosTyp.ATERGAR_EJ: "Patienten väntas inte kunna delta inom överskådlig tid",
        PrognosTyp.KAN_EJ_BEDOMAS: "Prognosen går inte att bedöma nu",
    },
)


class Rekommendation(StrEnum):
    """Collaboration the doctor recommends."""

    KOORDINERINGSINSATS = "KOORDINERINGSINSATS"
    SIP = "SIP"
    SAMORDNAD_REHABILITERING = "SAMORDNAD_REHABILITERING"
    IPS = "IPS"
    ARBETSFORMEDLINGEN = "ARBETSFORMEDLINGEN"


KV_REKOMMENDATION = kodverk(
    Rekommendation,
    "rekommendation",
    "Rekommenderad samverkan",
    {
        Rekommendation.KOORDINERINGSINSATS: "Kontakt med rehabiliteringskoordinator "
        "(koordineringsinsats)",
        Rekommendation.SIP: "Samordnad individuell plan (SIP)",
        Rekommendation.SAMORDNAD_REHABILITERING: "Samordnad rehabilitering via Försäkringskassan",
        Rekommendation.IPS: "Individanpassat stöd till arbete (IPS)",
        Rekommendation.ARBETSFORMEDLINGEN: "Kontakt med Arbetsförmedlingen",
    },
)
