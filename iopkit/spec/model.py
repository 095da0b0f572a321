"""The partnership spec as a pydantic model: English names, the Swedish keys as aliases.

The descriptions are the user's documentation: they appear in `iopkit schema` (editor
hover help) and in docs/format.md, so they are written in Swedish for the user.

Why one module of some 460 lines: it is one tree of models, one class per section of
FORMAT.md in the order the format lists them, and `Spec` at the end ties them together;
split up, the aliases a reader compares with FORMAT.md would be spread over several files
and each part would import the others.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from .types import (
    ACTIVITY_AREAS,
    REGULATED_AREAS,
    UNREGULATED_AREAS,
    Answer,
    FREQUENCIES,
    NONPROFIT_PARTY_TYPES,
    PUBLIC_PARTY_TYPES,
    STATE_AID_GROUNDS,
    Bool,
    ActivityArea,
    DataResponsibility,
    Frequency,
    PartyType,
    PaymentForm,
    ResourceType,
    StateAidGround,
    UnusedFunds,
    Date,
    Email,
    EurRate,
    FormatVersion,
    Id,
    IndicatorId,
    NonNegativeInt,
    Number,
    Year,
    NoticeMonths,
    OrgNr,
    PartyId,
    Text,
    YearlyAmount,
)
from .yearly import breakdown


class SpecModel(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True,
                              field_title_generator=lambda name, info: info.alias or name)


class Partnership(SpecModel):
    name: Text = Field(alias="namn", description="Partnerskapets namn. Blir avtalets rubrik.")
    short_name: Text | None = Field(None, alias="kortnamn",
                                    description="Ett kort namn som används i löptext.")
    case_number: Text | None = Field(None, alias="diarienummer",
                                     description="Den offentliga partens diarienummer för ärendet.")
    background: Text = Field(alias="bakgrund",
                             description="Varför partnerskapet behövs: situationen, målgruppen "
                                         "och organisationernas erfarenhet.")
    purpose: Text = Field(alias="syfte", description="Vad partnerskapet ska åstadkomma.")
    target_group: Text = Field(alias="målgrupp", description="Vilka partnerskapet är till för.")
    policy_documents: list[Text] = Field(default_factory=list, alias="styrdokument", description=(
        "Den offentliga partens policy, plan eller mål som partnerskapet bidrar till, till "
        "exempel \"Socialnämndens mål 2027: minskad hemlöshet\"."))
    scope_limits: Text | None = Field(None, alias="avgränsning", description=(
        "Vad partnerskapet inte omfattar, till exempel \"Platserna i föreningens skyddade "
        "boende ingår inte i partnerskapet; socialnämnden köper dem separat.\" En lagstadgad "
        "insats som avgränsningen undantar ligger utanför partnerskapet."))
    activity_areas: list[ActivityArea] = Field(
        default_factory=list, alias="verksamhetsområden", description=(
            "Vilka slags verksamhet de idéburna parterna själva bedriver i partnerskapet. "
            "Avgör vilka lagar och avtalsvillkor som gäller (meddelarskydd, tillstånd från "
            "IVO, registerkontroll). Reglerade: " + ", ".join(REGULATED_AREAS) +
            ". Övriga: " + ", ".join(UNREGULATED_AREAS) + "."))
    children: Bool | None = Field(None, alias="barn", description=(
        "Om barn (under 18 år) deltar i eller nås av verksamheten (ja/nej). Ger avsnitt om "
        "barnets rättigheter och registerkontroll, och punkter i checklistan."))


class ContactPerson(SpecModel):
    name: Text = Field(alias="namn", description="Kontaktpersonens namn.")
    title: Text | None = Field(None, alias="titel", description="Kontaktpersonens befattning.")
    email: Email | None = Field(None, alias="epost", description="E-postadress.")
    phone: Text | None = Field(None, alias="telefon", description="Telefonnummer.")


class Signatory(SpecModel):
    name: Text = Field(alias="namn", description="Namn på den som skriver under för parten.")
    title: Text | None = Field(None, alias="titel", description="Befattning eller roll.")


class IvoPermit(SpecModel):
    case_number: Text | None = Field(None, alias="diarienummer", description=(
        "Tillståndets diarienummer hos IVO."))
    date: Date | None = Field(None, alias="datum", description=(
        "Dagen då IVO beviljade tillståndet (ÅÅÅÅ-MM-DD)."))
    covers: list[ActivityArea] = Field(default_factory=list, alias="avser", description=(
        "Vilka verksamhetsområden tillståndet gäller, med samma värden som "
        "`partnerskap.verksamhetsområden`."))

    def __str__(self) -> str:
        parts = [f"dnr {self.case_number}" if self.case_number else "",
                 f"beviljat {self.date.isoformat()}" if self.date else ""]
        return ", ".join(p for p in parts if p) or "tillstånd från IVO"


class Party(SpecModel):
    id: PartyId = Field(alias="id", description="Kort id som andra avsnitt hänvisar till, "
                                                "med små bokstäver a–z, siffror, - och _.")
    name: Text = Field(alias="namn", description="Partens fullständiga namn.")
    type: PartyType = Field(alias="typ", description=(
        "Partens typ. Offentliga: kommun, region, statlig myndighet. Idéburna: ideell "
        "förening, stiftelse, registrerat trossamfund, ekonomisk förening, aktiebolag med "
        "särskild vinstutdelningsbegränsning."))
    org_number: OrgNr = Field(alias="organisationsnummer", description=(
        "Organisationsnummer, NNNNNN-NNNN (tio siffror eller tolv med 16 först går också)."))
    body: Text | None = Field(None, alias="organ", description=(
        "Det organ som beslutar för parten: för en offentlig part dess nämnd eller "
        "styrelse (till exempel socialnämnden Centrum), för en idéburen part oftast "
        "styrelsen. Tjänsteskrivelsen ställs till den offentliga partens organ."))
    address: Text | None = Field(None, alias="adress", description="Postadress.")
    contact: ContactPerson = Field(alias="kontaktperson",
                                   description="Partens kontaktperson för partnerskapet.")
    signatories: list[Signatory] = Field(alias="firmatecknare", min_length=1, description=(
        "De som skriver under avtalet för parten (minst en)."))
    registered_nonprofit: Bool | None = Field(None, alias="registrerad_idéburen", description=(
        "Endast idéburna parter: om organisationen är registrerad hos Kammarkollegiet enligt "
        "lagen (2022:900) om registrering av idéburna organisationer."))
    idea: Text | None = Field(None, alias="verksamhetsidé", description=(
        "Endast idéburna parter: organisationens egen idé och värdegrund."))
    ivo_permit: Text | IvoPermit | None = Field(None, alias="ivo_tillstånd", description=(
        "Endast idéburna parter: tillståndet från Inspektionen för vård och omsorg (IVO) "
        "när verksamheten kräver tillstånd (till exempel skyddat boende, särskilt boende, "
        "HVB, stödboende, hemtjänst eller LSS). Skriv nummer och datum som text, eller "
        "`diarienummer`, `datum` och `avser` (de verksamhetsområden tillståndet gäller)."))

    @property
    def ivo_permit_text(self) -> str | None:
        """The permit as it reads in a document: the text form as written, the map form
        as its number and date."""
        return None if self.ivo_permit is None else str(self.ivo_permit)

    @property
    def is_public(self) -> bool:
        return self.type in PUBLIC_PARTY_TYPES

    @property
    def is_nonprofit(self) -> bool:
        return self.type in NONPROFIT_PARTY_TYPES


class Need(SpecModel):
    id: Id = Field(alias="id", description="Kort kod för behovet, till exempel B1.")
    description: Text = Field(alias="beskrivning", description="Behovet, med målgruppens ord.")


class NeedsInventory(SpecModel):
    date: Date = Field(alias="datum", description="När behovsinventeringen gjordes (ÅÅÅÅ-MM-DD).")
    carried_out_by: list[Text] = Field(alias="genomförd_av", min_length=1, description=(
        "Id för de parter som gjorde inventeringen tillsammans (minst en)."))
    method: Text = Field(alias="metod", description="Hur behoven togs fram.")
    sources: list[Text] = Field(default_factory=list, alias="underlag",
                                description="Underlag som inventeringen bygger på.")
    needs: list[Need] = Field(alias="behov", min_length=1,
                              description="De behov som parterna har kommit fram till.")


class Indicator(SpecModel):
    id: IndicatorId | None = Field(None, alias="id", description=(
        "Valfritt id som uppföljningsfilen hänvisar till, till exempel M1-besökare. Utan id "
        "heter indikatorn M1.1, M1.2 … (målets id, en punkt och dess nummer i målet)."))
    description: Text = Field(alias="beskrivning", description="Vad som mäts.")
    target: Text | None = Field(None, alias="målvärde", description=(
        "Det värde som ska nås. Skrivet som \"minst 600\", \"högst 5\" eller ett tal kan "
        "årsrapporten bedöma om målet nåddes."))
    source: Text | None = Field(None, alias="källa", description="Var uppgiften hämtas.")
    baseline: Number | None = Field(None, alias="baslinje", description=(
        "Värdet före partnerskapet."))
    baseline_year: Year | None = Field(None, alias="baslinje_år", description=(
        "Året som baslinjen avser."))


class Goal(SpecModel):
    id: Id = Field(alias="id", description="Kort kod för målet, till exempel M1.")
    description: Text = Field(alias="beskrivning", description="Målet.")
    needs: list[Text] = Field(alias="behov", min_length=1, description=(
        "Id för de behov som målet svarar mot."))
    indicators: list[Indicator] = Field(default_factory=list, alias="indikatorer",
                                        description="Hur måluppfyllelsen följs upp.")


class Activity(SpecModel):
    id: Id = Field(alias="id", description="Kort kod för insatsen, till exempel I1.")
    description: Text = Field(alias="beskrivning", description="Vad som görs.")
    goals: list[Text] = Field(alias="mål", min_length=1,
                              description="Id för de mål som insatsen bidrar till.")
    responsible: Text = Field(alias="ansvarig", description="Id för den part som ansvarar.")


class Resource(SpecModel):
    party: Text = Field(alias="part", description="Id för den part som bidrar med resursen.")
    type: ResourceType = Field(alias="typ", description=(
        "Slag av resurs: ekonomiska medel, personal, lokaler, kompetens, ideell tid, "
        "material eller övrigt."))
    description: Text = Field(alias="beskrivning", description="Vad resursen är.")
    amount_per_year: YearlyAmount | None = Field(None, alias="belopp_per_år", description=(
        "Belopp i hela kronor per år. Krävs för ekonomiska medel. Skriv ett belopp som "
        "gäller varje år, eller belopp per kalenderår när de skiljer sig: "
        "`{2027: 2400000, 2028: 2500000}`."))
    value_per_year: YearlyAmount | None = Field(None, alias="värde_per_år", description=(
        "Uppskattat värde i kronor per år av en resurs i annat än pengar (ett belopp, eller "
        "belopp per kalenderår). Utan värde står det \"ej värderad\" i avtalet."))
    recipient: Text | None = Field(None, alias="mottagare", description=(
        "Id för den idéburna part som tar emot resursen. Krävs när en offentlig part ger "
        "pengar, lokaler eller material och det finns mer än en idéburen part. Ange den också "
        "när en offentlig part ställer personal eller kompetens till organisationens "
        "förfogande. Statsstöd räknas per mottagare."))
    hours_per_year: NonNegativeInt | None = Field(None, alias="timmar_per_år", description=(
        "Antal timmar per år, för ideell tid och personal."))

    @property
    def is_money(self) -> bool:
        return self.type == "ekonomiska medel"

    @property
    def yearly(self) -> int | dict[int, int] | None:
        """The money per year, or else the estimated value per year; None when neither
        is given (an in-kind resource that is not valued)."""
        return self.amount_per_year if self.amount_per_year is not None else self.value_per_year

    def by_year(self, period: "Period") -> dict[int, int] | None:
        """Kronor per calendar year of the period (see yearly.breakdown); None when the
        resource has no amount or value."""
        return None if self.yearly is None else breakdown(self.yearly, period.start, period.end)


class Economy(SpecModel):
    payment_form: PaymentForm = Field(alias="ersättningsform", description=(
        "`bidrag` eller `per prestation` (betalning per utförd enhet). Betalning per "
        "prestation hör inte hemma i ett IOP: då är avtalet ett offentligt kontrakt."))
    disbursement: Text = Field(alias="utbetalning", description="Hur och när pengar betalas ut.")
    reporting: Text = Field(alias="redovisning",
                            description="Hur användningen av medlen redovisas.")
    unused_funds: UnusedFunds = Field(alias="outnyttjade_medel", description=(
        "Vad som händer med pengar som inte används: `återbetalas` eller `får behållas`."))
    financing: Text | None = Field(None, alias="finansiering", description=(
        "Hur de offentliga parternas medel finansieras i deras budget, till exempel \"ryms "
        "inom nämndens ram för 2027; för 2028–2029 …\". Tjänsteskrivelsen återger texten."))
    other_grants: Text | None = Field(None, alias="andra_bidrag", description=(
        "Hur medlen förhåller sig till andra bidrag från samma offentliga part, till exempel "
        "att de ersätter ett föreningsbidrag och att samma verksamhet inte får andra medel."))
    budget_reservation: Bool = Field(False, alias="budgetförbehåll", description=(
        "Om de offentliga parternas medel för varje år efter det första förutsätter beslut "
        "om budget för det året (ja/nej, standard nej). Ger ett budgetförbehåll i avtalet; "
        "för statsstöd räknas då varje år när dess budget beslutas, annars räknas hela "
        "avtalsperiodens medel när avtalet skrivs under."))
    penalties: Bool = Field(False, alias="viten", description=(
        "Om avtalet har viten vid utebliven prestation (ja/nej). Viten hör inte hemma i ett "
        "IOP: de gör organisationens åtaganden till prestationer mot betalning."))


class Screening(SpecModel):
    """Plain answers that feed the procurement signs (HFD 2020 ref. 15); indicators,
    not the legal test itself."""
    procured_before: Answer | None = Field(None, alias="tidigare_upphandlad", description=(
        "Har den offentliga parten tidigare köpt eller upphandlat den här eller en liknande "
        "verksamhet? (ja, nej eller vet inte)"))
    statutory: Answer | None = Field(None, alias="lagstadgad_insats", description=(
        "Är verksamheten något som den offentliga parten enligt lag måste ge enskilda? "
        "(ja, nej eller vet inte)"))
    individual_decisions: Answer | None = Field(None, alias="individuella_beslut", description=(
        "Placeras eller hänvisas deltagare genom den offentliga partens egna beslut om "
        "enskilda? (ja, nej eller vet inte)"))
    market: Answer | None = Field(None, alias="marknad", description=(
        "Erbjuder andra samma verksamhet mot betalning? (ja, nej eller vet inte)"))
    needed_performed: Answer | None = Field(None, alias="behöver_utföras", description=(
        "Behöver den offentliga parten få verksamheten utförd, så att den skulle ordna den "
        "på annat sätt om organisationen slutade? (ja, nej eller vet inte)"))


class LegalAssessment(SpecModel):
    procurement: Text | None = Field(None, alias="upphandling", description=(
        "Varför avtalet inte är ett offentligt kontrakt enligt lagen (2016:1145) om "
        "offentlig upphandling."))
    state_aid: Text | None = Field(None, alias="statsstöd", description=(
        "Bedömningen av om stödet är statsstöd (och i så fall vilket undantag som gäller)."))
    state_aid_ground: StateAidGround | None = Field(
        None, alias="statsstöd_grund", description=(
            "Den grund som statsstödsbedömningen vilar på: " + ", ".join(STATE_AID_GROUNDS) +
            ". Styr avtalsvillkor och steg i checklistan."))
    screening: Screening | None = Field(None, alias="prövning", description=(
        "Enkla svar (ja, nej eller vet inte) som visar tecken på ett offentligt kontrakt: "
        "tidigare_upphandlad, lagstadgad_insats, individuella_beslut, marknad och "
        "behöver_utföras."))
    eur_rate: EurRate | None = Field(None, alias="eurokurs", description=(
        "Valfri växelkurs, kronor per euro, för beräkningen mot de minimis-taken. Utan den "
        "används iopkits standardkurs."))


class Governance(SpecModel):
    group: list[Text] = Field(alias="partnerskapsgrupp", min_length=1, description=(
        "Id för de parter som ingår i partnerskapsgruppen."))
    decision_making: Text = Field(alias="beslutsform",
                                  description="Hur partnerskapsgruppen fattar beslut.")
    meeting_frequency: Frequency = Field(alias="mötesfrekvens", description=(
        "Hur ofta gruppen möts: " + ", ".join(FREQUENCIES) + "."))


class FollowUp(SpecModel):
    interval: Frequency = Field(alias="intervall", description=(
        "Hur ofta partnerskapet följs upp: " + ", ".join(FREQUENCIES) + "."))
    first_date: Date | None = Field(None, alias="första_datum",
                                    description="Datum för första uppföljningen (ÅÅÅÅ-MM-DD).")
    annual_report: Text | None = Field(None, alias="årsrapport",
                                       description="Hur och när årsrapporten lämnas.")
    evaluation: Text | None = Field(None, alias="utvärdering",
                                    description="Hur partnerskapet utvärderas.")


class Period(SpecModel):
    start: Date = Field(alias="start", description="Avtalets första dag (ÅÅÅÅ-MM-DD).")
    end: Date = Field(alias="slut", description="Avtalets sista dag (ÅÅÅÅ-MM-DD).")
    extension: Text | None = Field(None, alias="förlängning", description=(
        "Om och hur avtalet kan förlängas. Ange en gräns, till exempel \"högst två år\"."))
    notice_months: NoticeMonths = Field(alias="uppsägningstid_månader",
                                        description="Uppsägningstid i månader.")

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


class PersonalData(SpecModel):
    processed: Bool | None = Field(None, alias="behandlas",
                                   description="Om personuppgifter behandlas (ja/nej).")
    responsibility: DataResponsibility | None = Field(None, alias="ansvar", description=(
        "`var för sig` (varje part är personuppgiftsansvarig för sin behandling), "
        "`gemensamt` (parterna är gemensamt personuppgiftsansvariga; ett arrangemang enligt "
        "dataskyddsförordningen artikel 26 bifogas) eller `biträde` (organisationen "
        "behandlar uppgifter för den offentliga partens räkning; ett "
        "personuppgiftsbiträdesavtal enligt artikel 28 bifogas)."))


class Initiative(SpecModel):
    party: Text = Field(alias="part", description="Id för den part som tog initiativet.")
    date: Date | None = Field(None, alias="datum", description="När initiativet togs (ÅÅÅÅ-MM-DD).")


class CaseOfficer(SpecModel):
    name: Text = Field(alias="namn", description="Handläggarens namn.")
    title: Text | None = Field(None, alias="titel", description="Handläggarens befattning.")
    party: Text | None = Field(None, alias="part", description=(
        "Id för den offentliga part där handläggaren arbetar."))


class Decision(SpecModel):
    party: Text = Field(alias="part", description="Id för den part som fattade beslutet.")
    body: Text = Field(alias="organ", description=(
        "Det organ som beslutade, till exempel `social resursnämnd` eller `styrelsen`."))
    date: Date = Field(alias="datum", description="Beslutsdatum (ÅÅÅÅ-MM-DD).")
    section: Text | None = Field(None, alias="paragraf", description=(
        "Paragraf i protokollet, till exempel `§ 112`."))
    case_number: Text | None = Field(None, alias="diarienummer",
                                     description="Beslutets diarienummer.")
    delegated: Bool = Field(False, alias="delegation", description=(
        "Om beslutet fattades med stöd av delegation (ja/nej)."))
    posted: Date | None = Field(None, alias="anslaget", description=(
        "Dagen då justeringen av protokollet tillkännagavs på anslagstavlan (ÅÅÅÅ-MM-DD). "
        "Checklistan anger då sista dagen för laglighetsprövning."))


class Process(SpecModel):
    initiative: Initiative | None = Field(None, alias="initiativ", description=(
        "Vem som tog initiativet till partnerskapet och när."))
    case_officer: CaseOfficer | None = Field(None, alias="handläggare", description=(
        "Den offentliga partens handläggare, som bereder ärendet och skriver under "
        "tjänsteskrivelsen."))
    letter_of_intent: Date | None = Field(None, alias="avsiktsförklaring", description=(
        "Datum för en undertecknad avsiktsförklaring, om det finns en."))
    decisions: list[Decision] = Field(default_factory=list, alias="beslut", description=(
        "Varje parts beslut om avtalet."))
    conflict_of_interest: Text | None = Field(None, alias="jäv", description=(
        "Bedömningen av jäv i det organ som beslutar: vilka som har prövats och slutsatsen. "
        "Tjänsteskrivelsen återger den."))
    # Stöd av mindre betydelse: both come before the decision (art. 7.4 of 2023/2831):
    # with the dates the memo states them instead of listing them for the meeting.
    de_minimis_declaration: Date | None = Field(None, alias="försäkran", description=(
        "Endast stöd av mindre betydelse: dagen då mottagarens skriftliga försäkran om annat "
        "stöd av mindre betydelse de senaste tre åren kom in (med flera mottagare: dagen då "
        "den sista kom in). Tjänsteskrivelsen anger dagen."))
    de_minimis_notice: Date | None = Field(None, alias="besked", description=(
        "Endast stöd av mindre betydelse: dagen då mottagaren fick det skriftliga beskedet "
        "om stödets belopp och att det är stöd av mindre betydelse (med flera mottagare: "
        "dagen då det sista skickades). Tjänsteskrivelsen anger dagen."))


class Clause(SpecModel):
    heading: Text = Field(alias="rubrik", description="Villkorets rubrik.")
    text: Text = Field(alias="text", description="Villkorets text.")


class Exemption(SpecModel):
    rule: Text = Field(alias="regel", description="Koden för regeln som tystas, t.ex. IOP104.")
    reason: Text = Field(alias="motivering", description=(
        "Varför regeln inte gäller det här partnerskapet. Krävs."))


class Spec(SpecModel):
    """En partnerskapsbeskrivning för ett idéburet offentligt partnerskap (IOP)."""

    format_version: FormatVersion = Field(alias="iopkit",
                                          description="Formatversion. Skriv 1.")
    partnership: Partnership = Field(alias="partnerskap",
                                     description="Partnerskapets namn, bakgrund och syfte.")
    parties: list[Party] = Field(alias="parter", min_length=1, description=(
        "Parterna: minst en offentlig och minst en idéburen."))
    needs_inventory: NeedsInventory = Field(alias="behovsinventering", description=(
        "Den gemensamma behovsinventeringen."))
    goals: list[Goal] = Field(alias="mål", min_length=1, description="Partnerskapets mål.")
    activities: list[Activity] = Field(alias="insatser", min_length=1, description=(
        "Insatserna som ska nå målen, var och en med ansvarig part."))
    resources: list[Resource] = Field(alias="resurser", min_length=1, description=(
        "Alla parters resurser: pengar, personal, lokaler, kompetens, ideell tid m.m."))
    economy: Economy = Field(alias="ekonomi", description="Ersättning, utbetalning, redovisning.")
    legal: LegalAssessment | None = Field(None, alias="rättslig_bedömning", description=(
        "Den rättsliga bedömningen: upphandling och statsstöd."))
    governance: Governance = Field(alias="styrning",
                                   description="Partnerskapsgrupp, beslutsform och möten.")
    follow_up: FollowUp = Field(alias="uppföljning", description="Uppföljning och utvärdering.")
    period: Period = Field(alias="avtalsperiod",
                           description="Avtalstid, förlängning och uppsägning.")
    personal_data: PersonalData | None = Field(None, alias="personuppgifter", description=(
        "Behandling av personuppgifter."))
    process: Process | None = Field(None, alias="process", description=(
        "Processen fram till avtalet: initiativ, avsiktsförklaring, handläggare och beslut."))
    clauses: list[Clause] = Field(default_factory=list, alias="villkor",
                                  description="Egna tilläggsvillkor, var och en med rubrik.")
    appendices: list[Text] = Field(default_factory=list, alias="bilagor", description=(
        "Bilagor till avtalet, till exempel en verksamhetsplan eller budget."))
    exemptions: list[Exemption] = Field(default_factory=list, alias="iopkit_undantag",
                                        description=(
        "Regler i iopkit som inte ska rapporteras för det här partnerskapet, var och en med "
        "en motivering."))

    def party(self, party_id: str) -> Party | None:
        return next((p for p in self.parties if p.id == party_id), None)

    @property
    def public_parties(self) -> list[Party]:
        return [p for p in self.parties if p.is_public]

    @property
    def nonprofit_parties(self) -> list[Party]:
        return [p for p in self.parties if p.is_nonprofit]
