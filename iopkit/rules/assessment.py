"""What the law says about this partnership, decided once for the rules and the documents.

The rules (`check`) and the templates (the agreement, the checklist) must never disagree
about which clauses apply: whether lag (2017:151) on meddelarskydd can apply, which
registerkontroll regime applies when children take part, which activities need IVO's
permit, and how much aid each idéburen party receives. `assess(spec)` answers each
question from the spec alone; `iopkit.rules` and `iopkit.documents.base` both call it.
The facts behind each answer, with sources, are in the project's domain brief (IOP.md).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

from ..spec.model import IvoPermit, Party, Resource, Spec
from .settings import DEFAULT_EUR_RATE, DEFAULT_EUR_RATE_DATE
from .statutory import Outside, StatutoryScope, scope as statutory_scope

#: Activity areas where lag (2017:151) 2 § can apply: professionally run private
#: activity, partly publicly funded, in the school system, hälso- och sjukvård, or under
#: the socialtjänst laws, LVU, LVM, LSS or personal assistance.
WHISTLEBLOWER_AREAS = frozenset({
    "socialtjänst", "skyddat boende", "särskilt boende", "HVB", "stödboende", "hemtjänst", "LSS",
    "personlig assistans", "skolväsendet", "hälso- och sjukvård"})

#: The field of 2 § that a statutory insats belongs to: an organisation that runs one
#: works professionally in that field, so its other activity may belong to it too.
WHISTLEBLOWER_FIELD_OF = {
    "skyddat boende": "socialtjänst", "särskilt boende": "socialtjänst", "HVB": "socialtjänst",
    "stödboende": "socialtjänst", "hemtjänst": "socialtjänst", "LSS": "LSS",
    "personlig assistans": "personlig assistans"}

#: A sentence, and a clause within it (a purchase and its negation are in one clause).
_SENTENCE = re.compile(r"[^.!?]+")
_CLAUSE = re.compile(r"[^;:,]+")
#: The public side buys the places or the insats (a purchase is public funding).
_PURCHASE = re.compile(r"\bköp(?:er|s|tes|te|t|ta)?\b|\bupphandl\w*", re.IGNORECASE)
#: Words that make a purchase denied or only possible: then nothing is known.
_NOT_FACT = re.compile(r"\b(?:inte|inga|ingen|aldrig|ej|om|kan|skulle|kanske)\b",
                       re.IGNORECASE)
_PROCUREMENT = re.compile(r"\bupphandl\w*", re.IGNORECASE)

#: Activity areas where a professionally run private activity needs IVO's permit.
IVO_AREAS = ("skyddat boende", "särskilt boende", "HVB", "stödboende", "hemtjänst", "LSS",
             "personlig assistans")

#: Activities that a kommun must itself provide to those entitled to them (insatser
#: decided under socialtjänstlagen or LSS): run by the organisation, a kommunal task
#: handed over (kommunallagen 10 kap.) and a strong procurement sign.
STATUTORY_AREAS = IVO_AREAS

#: How an activity area reads in running text (the spec's values are short labels).
AREA_NAMES = {
    "HVB": "hem för vård eller boende (HVB)",
    "LSS": "insatser enligt lagen (1993:387) om stöd och service till vissa funktionshindrade "
           "(LSS)",
}

#: Registerkontroll regimes when children take part (IOP.md, section 13).
REGISTER_CHECK_MANDATORY = {
    "2007:171": ("HVB", "stödboende", "skyddat boende"),
    "skollagen": ("skolväsendet",),
    "2010:479": ("LSS", "personlig assistans"),
}
REGISTER_CHECK_VOLUNTARY = "2013:852"

#: Resource types that a public party gives to the organisation (aid when it is an
#: undertaking): money, premises and material. Staff and competence count only when the
#: resource names a `mottagare` (put at the organisation's disposal).
GIVEN_TYPES = ("ekonomiska medel", "lokaler", "material")

#: The state-aid grounds that rest on the de minimis regulations.
DE_MINIMIS_GROUNDS = ("stöd av mindre betydelse", "stöd av mindre betydelse för SGEI")
#: Grounds that rest on a reasoning the spec must give in `rättslig_bedömning.statsstöd`.
REASONED_GROUNDS = ("ingen ekonomisk verksamhet", "ingen påverkan på handeln",
                    "ingen fördel (Altmark)", "SGEI-beslutet", "gruppundantag",
                    "anmält och godkänt stöd")


@dataclass(frozen=True)
class Transfer:
    """One resource a public party gives to an idéburen party."""

    index: int  # position in `resurser`
    resource: Resource
    giver: Party
    recipient: Party | None  # None: several idéburna parties and no `mottagare`
    by_year: dict[int, int] | None  # None: an in-kind resource without a value

    @property
    def path(self) -> tuple[str | int, ...]:
        return ("resurser", self.index)


@dataclass
class RecipientAid:
    """Everything public parties give one idéburen party, per calendar year."""

    party: Party
    transfers: list[Transfer] = field(default_factory=list)

    @property
    def by_year(self) -> dict[int, int]:
        years: dict[int, int] = {}
        for transfer in self.transfers:
            for year, amount in (transfer.by_year or {}).items():
                years[year] = years.get(year, 0) + amount
        return dict(sorted(years.items()))

    @property
    def total(self) -> int:
        return sum(self.by_year.values())

    @property
    def unvalued(self) -> list[Transfer]:
        return [t for t in self.transfers if t.by_year is None]

    def counted(self, budget_reservation: bool, years: int = 3) -> tuple[int, list[int]]:
        """The amount that counts against a ceiling, and the years it covers.

        Aid is granted when the right to it is conferred (Regulation 2023/2831 art. 3(3)):
        everything the agreement commits counts at signing. With a budget reservation each
        year is granted when its budget is decided, so the largest sum over any `years`
        consecutive calendar years counts."""
        by_year = self.by_year
        if not by_year:
            return 0, []
        if not budget_reservation:
            return self.total, list(by_year)
        ordered = sorted(by_year)
        best, best_years = -1, ordered[:years]
        for first in range(ordered[0], ordered[-1] + 1):
            window = [y for y in range(first, first + years) if y in by_year]
            amount = sum(by_year[y] for y in window)
            if amount > best:
                best, best_years = amount, window
            if first + years > ordered[-1]:
                break
        return best, best_years


@dataclass(frozen=True)
class EurRate:
    """The kronor-per-euro rate the ceilings are measured with, and where it is from."""

    value: Decimal
    #: iopkit's default: an estimate, and every text that uses it says so.
    is_default: bool
    #: For `check`'s messages (may name the key or option the rate came from).
    source_text: str
    #: For the nämnd's documents: plain Swedish, no keys or options.
    document_text: str


def eur_rate_of(spec: Spec, override: Decimal | None = None) -> EurRate:
    """The rate from `--eurokurs`, else `rättslig_bedömning.eurokurs`, else the default."""
    if override is not None:
        return EurRate(override, False, "angiven med --eurokurs",
                       "den kurs som förvaltningen har angett")
    legal = spec.legal
    if legal is not None and legal.eur_rate is not None:
        return EurRate(Decimal(str(legal.eur_rate)), False,
                       "från rättslig_bedömning.eurokurs",
                       "den kurs som förvaltningen har angett i underlaget")
    date = DEFAULT_EUR_RATE_DATE.isoformat()
    return EurRate(
        DEFAULT_EUR_RATE, True,
        f"uppskattad kurs: iopkits standardkurs, fastställd {date} som ett ungefärligt "
        "genomsnitt av Riksbankens dagliga EUR/SEK-kurser 2025; ange kursen när stödet "
        "beviljas i rättslig_bedömning.eurokurs",
        f"en uppskattad kurs (ett ungefärligt genomsnitt av Riksbankens dagliga "
        f"EUR/SEK-kurser 2025, fastställt {date}); den kurs som gäller när stödet beviljas "
        "ska användas")


@dataclass(frozen=True)
class Assessment:
    spec: Spec
    #: Kronor per euro from the command line (`--eurokurs`), when given.
    eur_rate_override: Decimal | None = None

    # --- the euro rate (for the ceilings) -----------------------------------------------

    @cached_property
    def eur(self) -> EurRate:
        return eur_rate_of(self.spec, self.eur_rate_override)

    @property
    def eur_rate(self) -> Decimal:
        return self.eur.value

    @property
    def eur_rate_is_default(self) -> bool:
        return self.eur.is_default

    @property
    def eur_rate_source_text(self) -> str:
        return self.eur.source_text

    @property
    def eur_rate_document_text(self) -> str:
        return self.eur.document_text

    @cached_property
    def statutory_scope(self) -> StatutoryScope:
        """Which statutory insatser are inside the partnership and which an idéburen
        party runs outside it (rules/statutory.py)."""
        return statutory_scope(self.spec)

    @cached_property
    def areas(self) -> tuple[str, ...]:
        """The partnership's activity areas: `verksamhetsområden`, without a statutory
        activity that is outside the partnership, and with one that an insats describes
        (meddelarskydd, IVO, registerkontroll and secrecy follow these)."""
        scope = self.statutory_scope
        outside = set(scope.outside_areas)
        listed = [a for a in self.spec.partnership.activity_areas if a not in outside]
        return tuple(dict.fromkeys([*listed, *scope.inside]))

    @property
    def areas_given(self) -> bool:
        return bool(self.areas)

    @cached_property
    def whistleblower_listed(self) -> tuple[str, ...]:
        """The partnership's own areas that 2 § names (the spec's own description)."""
        return tuple(a for a in self.areas if a in WHISTLEBLOWER_AREAS)

    @cached_property
    def whistleblower_related(self) -> tuple[str, ...]:
        """The 2 § fields an idéburen party works in outside the partnership (a statutory
        insats it runs beside it) that the partnership's own areas do not name.

        The areas are the user's label; the law asks what the activity is. A kvinnojour
        that runs a skyddat boende beside the partnership works professionally in
        socialtjänst, and whether its jourtelefon and stödsamtal in the partnership do
        too cannot be told from a label such as "övrigt": the question stays open, as
        for a partnership labelled socialtjänst (R3 12, R4 6; IOP.md section 12)."""
        listed = set(self.whistleblower_listed)
        fields = (WHISTLEBLOWER_FIELD_OF.get(o.area, o.area)
                  for o in self.statutory_scope.outside if o.area in WHISTLEBLOWER_AREAS)
        return tuple(f for f in dict.fromkeys(fields) if f not in listed)

    @cached_property
    def whistleblower_areas(self) -> tuple[str, ...]:
        """The areas in which lag (2017:151) can apply to the partnership's activity:
        those its description names and those its organisations work in beside it
        (empty: it does not, or the spec does not say; see `whistleblower_unknown`)."""
        return (*self.whistleblower_listed, *self.whistleblower_related)

    @property
    def whistleblower_possible(self) -> bool:
        return bool(self.whistleblower_areas)

    @cached_property
    def publicly_funded(self) -> bool:
        """The partnership gives an idéburen party money or other resources: its
        activity in the partnership is then at least partly publicly funded (2 §)."""
        return bool(self.transfers)

    def outside_purchase(self, area: str) -> str | None:
        """How the public side funds a statutory activity outside the partnership, when
        the memo's own texts (`avgränsning`, `rättslig_bedömning.upphandling`) state it
        as a fact in a sentence that names the activity: "upphandling" for a procurement,
        "köp" for another purchase, None when they do not (or only as a possibility)."""
        from .statutory import AREA_PATTERNS

        legal = self.spec.legal
        texts = [self.spec.partnership.scope_limits, legal.procurement if legal else None]
        named = re.compile(AREA_PATTERNS[area], re.IGNORECASE) if area in AREA_PATTERNS \
            else None
        found: str | None = None
        for text in texts:
            for sentence in _SENTENCE.findall(text or ""):
                if named is None or not named.search(sentence):
                    continue
                for clause in _CLAUSE.findall(sentence):
                    if _PURCHASE.search(clause) and not _NOT_FACT.search(clause):
                        if _PROCUREMENT.search(clause):
                            return "upphandling"
                        found = "köp"
        return found

    def outside_whistleblower_applies(self, outside: Outside) -> str | None:
        """Lag (2017:151) applies to a statutory activity outside the partnership when
        the organisation holds IVO's permit for it (strong evidence that it is
        yrkesmässigt bedriven) and the public side buys places there (public funding):
        the funding route ("upphandling" or "köp"), else None (IOP.md, "Skyddat boende
        …"; R4 8). It follows from the purchase, not from this agreement."""
        permit = outside.party.ivo_permit
        if not isinstance(permit, IvoPermit) or outside.area not in permit.covers:
            return None
        return self.outside_purchase(outside.area)

    @property
    def whistleblower_unknown(self) -> bool:
        """No activity areas given: the parties must confirm whether 2017:151 applies."""
        return not self.areas_given

    @cached_property
    def ivo_areas(self) -> tuple[str, ...]:
        return tuple(a for a in self.areas if a in IVO_AREAS)

    @cached_property
    def statutory_areas(self) -> tuple[str, ...]:
        """The statutory insatser inside the partnership (included or funded by it)."""
        return self.statutory_scope.inside

    @property
    def statutory_insats(self) -> bool:
        """The organisation would perform a statutory insats for the public party: one
        is inside the partnership, or `prövning.lagstadgad_insats` says so and the spec
        names none outside it (the answer alone cannot tell which side it is on)."""
        if self.statutory_areas:
            return True
        legal = self.spec.legal
        answer = legal.screening.statutory if legal and legal.screening else None
        return answer == "ja" and not self.statutory_scope.outside

    @cached_property
    def _shelter_party_ids(self) -> frozenset[str]:
        from .statutory_checks import shelter_parties

        scope = self.statutory_scope
        return frozenset(p.id for p in shelter_parties(
            self.spec, scope.inside,
            [o.party for o in scope.outside if o.area == "skyddat boende"]))

    def shows_address(self, party: Party) -> bool:
        """Whether the documents may print the party's `adress`: not a street address
        of an organisation that runs a skyddat boende (IOP188)."""
        from .statutory_checks import street_address

        return party.id not in self._shelter_party_ids or \
            street_address(party.address or "") is None

    def resource_text(self, resource: Resource) -> str:
        """A resource's description as the documents print it: for an organisation that
        runs a skyddat boende, never with a street address (the boende's address is
        secret, IOP.md; IOP188 asks the user to remove it)."""
        from .statutory_checks import street_address

        text = resource.description
        if resource.party not in self._shelter_party_ids or street_address(text) is None:
            return text
        if resource.type == "lokaler":
            return "Organisationens lokaler för verksamheten"
        street = street_address(text) or ""
        pattern = r"\s*(?:\b(?:på|i|vid)\s+)?" + r"\s+".join(map(re.escape, street.split()))
        cleaned = re.sub(pattern + r"(?:\s*,\s*\d{3}\s?\d{2}\s+\w+)?", "", text)
        return " ".join(re.sub(r"\s+([,.;])", r"\1", cleaned).strip(" ,;").split()) or \
            "Resurs för verksamheten"

    @property
    def children(self) -> bool:
        return bool(self.spec.partnership.children)

    @cached_property
    def register_check(self) -> tuple[str, ...]:
        """The registerkontroll regimes that apply: mandatory ones by law ("2007:171",
        "skollagen", "2010:479") or, for any other activity with children, the
        voluntary route of lag (2013:852). Empty when no children take part."""
        if not self.children:
            return ()
        mandatory = tuple(law for law, areas in REGISTER_CHECK_MANDATORY.items()
                          if any(a in areas for a in self.areas))
        return mandatory or (REGISTER_CHECK_VOLUNTARY,)

    @property
    def register_check_mandatory(self) -> bool:
        return bool(self.register_check) and \
            self.register_check != (REGISTER_CHECK_VOLUNTARY,)

    # --- money and state aid ----------------------------------------------------------

    @cached_property
    def transfers(self) -> list[Transfer]:
        """Resources that public parties give to idéburna parties (see GIVEN_TYPES)."""
        spec = self.spec
        nonprofits = spec.nonprofit_parties
        only = nonprofits[0] if len(nonprofits) == 1 else None
        out = []
        for index, resource in enumerate(spec.resources):
            giver = spec.party(resource.party)
            if giver is None or not giver.is_public:
                continue
            if resource.type not in GIVEN_TYPES and resource.recipient is None:
                continue
            recipient = spec.party(resource.recipient) if resource.recipient else only
            if recipient is not None and not recipient.is_nonprofit:
                continue  # a public recipient is an error reported by IOP127
            out.append(Transfer(index=index, resource=resource, giver=giver,
                                recipient=recipient, by_year=resource.by_year(spec.period)))
        return out

    @cached_property
    def aid_by_recipient(self) -> list[RecipientAid]:
        """Aid per idéburen party, in the order of `parter`; parties that get nothing
        are left out."""
        out = []
        for party in self.spec.nonprofit_parties:
            transfers = [t for t in self.transfers if t.recipient is party]
            if transfers:
                out.append(RecipientAid(party=party, transfers=transfers))
        return out

    @property
    def budget_reservation(self) -> bool:
        return self.spec.economy.budget_reservation

    @property
    def state_aid_ground(self) -> str | None:
        legal = self.spec.legal
        return legal.state_aid_ground if legal is not None else None

    @property
    def de_minimis(self) -> bool:
        return self.state_aid_ground in DE_MINIMIS_GROUNDS

    # --- process ------------------------------------------------------------------------

    def appeal_deadline(self, posted: dt.date) -> dt.date:
        """The last day to ask for laglighetsprövning: three weeks after the day the
        approved minutes were posted (kommunallagen 13 kap. 5 §), moved to the next
        working day when it falls on a weekend or a public holiday (lag (1930:173) om
        beräkning av lagstadgad tid)."""
        from ..schedule.workdays import next_working_day

        return next_working_day(posted + dt.timedelta(weeks=3))


def assess(spec: Spec, eur_rate: Decimal | None = None) -> Assessment:
    return Assessment(spec, eur_rate)
