"""The comparison: a walk over the spec's sections in the agreement's order, each change
with its formal Swedish sentence (`diff_specs`; the package's docstring says how items
are matched).

Why one module of some 550 lines: it is one algorithm, and every section uses the same
few primitives of `_Differ` (value, text, amount, refs) and the same item matching
(matching.py). Split by section, the walk's order, which numbers the annex's points,
would be spread over many files. What is not the walk lives beside it: the vocabulary
of a change (changes.py), how items read (describe.py), the matching, the report
(text.py).
"""

from __future__ import annotations

from typing import Any, Callable, Sequence

from ..format import kronor, manader
from ..spec.findings import KeyPath, format_path
from ..spec.model import Goal, Party, Resource, Spec
from .changes import (SECTIONS, Change, ChangeKind, finish_sentence, join_names,
                      kronor_difference, date_text, normalise, quote)
from .describe import (RESPONSIBILITY, constant_amount, hours, ids_text, indicator_text,
                       party_order, recipient_name, resource_text, yearly_text,
                       yearly_totals, yes_no)
from .matching import match_items, match_leftovers


# --- The comparison ---------------------------------------------------------------------


class _Differ:
    def __init__(self, old: Spec, new: Spec) -> None:
        self.old = old
        self.new = new
        self.changes: list[Change] = []

    # Helpers -------------------------------------------------------------------------

    def add(self, section: str, kind: ChangeKind, subject: str, sentence: str,
            path: KeyPath, **extra: Any) -> None:
        self.changes.append(Change(section=section, kind=kind, subject=subject,
                                   sentence=finish_sentence(sentence), path=format_path(path),
                                   **extra))

    def old_party_name(self, party_id: str) -> str:
        party = self.old.party(party_id)
        return party.name if party else party_id

    def new_party_name(self, party_id: str) -> str:
        party = self.new.party(party_id)
        return party.name if party else party_id

    def value(self, section: str, subject: str, path: KeyPath, old: Any, new: Any,
              show: Callable[[Any], str] = str) -> None:
        """A short value: "X ändras från A till B"."""
        if old == new:
            return
        if old is None:
            shown = show(new)
            self.add(section, ChangeKind.ADDED, subject, f"{subject} läggs till: {shown}",
                     path, new=shown)
        elif new is None:
            shown = show(old)
            self.add(section, ChangeKind.REMOVED, subject,
                     f"{subject} utgår (tidigare {shown})", path, old=shown)
        else:
            before, after = show(old), show(new)
            self.add(section, ChangeKind.CHANGED, subject,
                     f"{subject} ändras från {before} till {after}", path,
                     old=before, new=after)

    def text(self, section: str, subject: str, path: KeyPath, old: str | None,
             new: str | None) -> None:
        """A text that may be reworded: "X får följande lydelse: ”…”"."""
        old_n, new_n = normalise(old), normalise(new)
        if old_n == new_n:
            return
        if old_n is None:
            self.add(section, ChangeKind.ADDED, subject,
                     f"{subject} läggs till med följande lydelse: {quote(new_n or '')}", path,
                     new=new_n)
        elif new_n is None:
            self.add(section, ChangeKind.REMOVED, subject, f"{subject} utgår", path,
                     old=old_n)
        else:
            self.add(section, ChangeKind.CHANGED, subject,
                     f"{subject} får följande lydelse: {quote(new_n)}", path,
                     old=old_n, new=new_n, reworded=True)

    def amount(self, section: str, subject: str, path: KeyPath,
               old: int | dict[int, int] | None, new: int | dict[int, int] | None,
               unit: str = "") -> None:
        if old == new:
            return
        if isinstance(old, dict) or isinstance(new, dict):
            # Amounts per calendar year: show both versions year by year.
            self.value(section, subject, path, old, new, yearly_text)
            return
        suffix = f" {unit}" if unit else ""
        if old is None:
            self.add(section, ChangeKind.ADDED, subject,
                     f"{subject} anges till {kronor(new or 0)}{suffix}", path,
                     new=kronor(new or 0), difference=new)
        elif new is None:
            self.add(section, ChangeKind.REMOVED, subject,
                     f"{subject} utgår (tidigare {kronor(old)}{suffix})", path,
                     old=kronor(old), difference=-old)
        else:
            diff = new - old
            self.add(section, ChangeKind.CHANGED, subject,
                     f"{subject} ändras från {kronor(old)} till {kronor(new)}{suffix} "
                     f"({kronor_difference(diff)})", path,
                     old=kronor(old), new=kronor(new), difference=diff)

    def text_list(self, section: str, what: str, path: KeyPath, old: Sequence[str],
                  new: Sequence[str]) -> None:
        """A list of free texts (underlag, bilagor): items added and removed."""
        old_set = {normalise(t) for t in old}
        new_set = {normalise(t) for t in new}
        for index, item in enumerate(new):
            if normalise(item) not in old_set:
                self.add(section, ChangeKind.ADDED, what,
                         f"{what} {quote(item)} läggs till", path + (index,),
                         new=normalise(item))
        for index, item in enumerate(old):
            if normalise(item) not in new_set:
                self.add(section, ChangeKind.REMOVED, what, f"{what} {quote(item)} utgår",
                         path + (index,), old=normalise(item))

    def refs(self, section: str, subject: str, path: KeyPath, old: Sequence[str],
             new: Sequence[str], show_old: Callable[[str], str] = str,
             show_new: Callable[[str], str] = str) -> None:
        """A set of references (ids): order does not matter."""
        if set(old) == set(new):
            return
        before = join_names([show_old(r) for r in old])
        after = join_names([show_new(r) for r in new])
        self.add(section, ChangeKind.CHANGED, subject,
                 f"{subject} ändras från {before} till {after}", path, old=before, new=after)

    def party_refs(self, section: str, subject: str, path: KeyPath, old: Sequence[str],
                   new: Sequence[str]) -> None:
        """References to parties, compared by organisationsnummer: renaming an id is no
        change."""
        if ({self._party_key(r, self.old) for r in old}
                == {self._party_key(r, self.new) for r in new}):
            return
        self.refs(section, subject, path, old, new, self.old_party_name, self.new_party_name)

    # Sections ------------------------------------------------------------------------

    def run(self) -> list[Change]:
        self.partnership()
        self.parties()
        self.needs_inventory()
        self.goals()
        self.activities()
        self.resources()
        self.economy()
        self.legal()
        self.governance()
        self.follow_up()
        self.period()
        self.personal_data()
        self.clauses()
        self.text_list("Bilagor", "Bilagan", ("bilagor",), self.old.appendices,
                       self.new.appendices)
        order = {name: i for i, name in enumerate(SECTIONS)}
        self.changes.sort(key=lambda c: order[c.section])  # stable within a section
        return self.changes

    def partnership(self) -> None:
        s, o, n = "Partnerskapet", self.old.partnership, self.new.partnership
        p = ("partnerskap",)
        self.value(s, "Partnerskapets namn", p + ("namn",), normalise(o.name),
                   normalise(n.name), quote)
        self.value(s, "Partnerskapets kortnamn", p + ("kortnamn",), normalise(o.short_name),
                   normalise(n.short_name), quote)
        self.value(s, "Diarienumret", p + ("diarienummer",), normalise(o.case_number),
                   normalise(n.case_number))
        self.text(s, "Bakgrunden", p + ("bakgrund",), o.background, n.background)
        self.text(s, "Syftet", p + ("syfte",), o.purpose, n.purpose)
        self.text(s, "Målgruppen", p + ("målgrupp",), o.target_group, n.target_group)
        self.text_list(s, "Styrdokumentet", p + ("styrdokument",), o.policy_documents,
                       n.policy_documents)
        self.text(s, "Avgränsningen", p + ("avgränsning",), o.scope_limits, n.scope_limits)
        self.value(s, "Verksamhetsområdena", p + ("verksamhetsområden",),
                   join_names(o.activity_areas) or None, join_names(n.activity_areas) or None)
        self.value(s, "Uppgiften om att barn deltar", p + ("barn",), yes_no(o.children),
                   yes_no(n.children))

    def parties(self) -> None:
        s = "Parter"
        old, new = self.old.parties, self.new.parties
        pairs, removed, added = match_items(old, new, key=lambda p: p.id,
                                       fallback=lambda p: p.org_number)
        for j in added:
            party = new[j]
            self.add(s, ChangeKind.ADDED, f"Parten {party.name}",
                     f"{party.name} ({party.type}, organisationsnummer {party.org_number}) "
                     "tillträder avtalet som part", ("parter", j), new=party.name)
        for i in removed:
            party = old[i]
            self.add(s, ChangeKind.REMOVED, f"Parten {party.name}",
                     f"{party.name} (organisationsnummer {party.org_number}) utträder ur "
                     "avtalet", ("parter", i), old=party.name)
        for i, j in pairs:
            self.party(old[i], new[j], ("parter", j))

    def party(self, o: Party, n: Party, p: KeyPath) -> None:
        s = "Parter"
        name = n.name
        self.value(s, f"Namnet på parten {o.name}", p + ("namn",), normalise(o.name),
                   normalise(n.name))
        self.value(s, f"Typen av part för {name}", p + ("typ",), o.type, n.type)
        self.value(s, f"Organisationsnumret för {name}", p + ("organisationsnummer",),
                   o.org_number, n.org_number)
        self.value(s, f"Adressen för {name}", p + ("adress",), normalise(o.address),
                   normalise(n.address))
        c = p + ("kontaktperson",)
        self.value(s, f"Kontaktpersonen för {name}", c + ("namn",), normalise(o.contact.name),
                   normalise(n.contact.name))
        self.value(s, f"Kontaktpersonens titel hos {name}", c + ("titel",),
                   normalise(o.contact.title), normalise(n.contact.title))
        self.value(s, f"Kontaktpersonens e-postadress hos {name}", c + ("epost",),
                   o.contact.email, n.contact.email)
        self.value(s, f"Kontaktpersonens telefonnummer hos {name}", c + ("telefon",),
                   normalise(o.contact.phone), normalise(n.contact.phone))
        pairs, removed, added = match_items(o.signatories, n.signatories,
                                       key=lambda x: normalise(x.name))
        for j in added:
            sig = n.signatories[j]
            title = f" ({sig.title})" if sig.title else ""
            self.add(s, ChangeKind.ADDED, f"Firmatecknare för {name}",
                     f"{sig.name}{title} tecknar avtalet för {name}",
                     p + ("firmatecknare", j), new=sig.name)
        for i in removed:
            sig = o.signatories[i]
            self.add(s, ChangeKind.REMOVED, f"Firmatecknare för {name}",
                     f"{sig.name} tecknar inte längre avtalet för {name}",
                     p + ("firmatecknare", i), old=sig.name)
        for i, j in pairs:
            self.value(s, f"Titeln för firmatecknaren {n.signatories[j].name} hos {name}",
                       p + ("firmatecknare", j, "titel"), normalise(o.signatories[i].title),
                       normalise(n.signatories[j].title))
        self.value(s, f"Uppgiften om registrering som idéburen organisation för {name}",
                   p + ("registrerad_idéburen",), yes_no(o.registered_nonprofit),
                   yes_no(n.registered_nonprofit))
        self.text(s, f"Verksamhetsidén för {name}", p + ("verksamhetsidé",), o.idea, n.idea)
        self.value(s, f"Tillståndet från IVO för {name}", p + ("ivo_tillstånd",),
                   normalise(o.ivo_permit_text), normalise(n.ivo_permit_text), quote)

    def needs_inventory(self) -> None:
        s, o, n = "Behovsinventering", self.old.needs_inventory, self.new.needs_inventory
        p = ("behovsinventering",)
        self.value(s, "Datumet för behovsinventeringen", p + ("datum",), o.date, n.date,
                   date_text)
        self.party_refs(s, "De parter som genomförde behovsinventeringen",
                        p + ("genomförd_av",), o.carried_out_by, n.carried_out_by)
        self.text(s, "Metoden för behovsinventeringen", p + ("metod",), o.method, n.method)
        self.text_list(s, "Underlaget", p + ("underlag",), o.sources, n.sources)
        pairs, removed, added = match_items(o.needs, n.needs, key=lambda x: x.id)
        for j in added:
            need = n.needs[j]
            self.add(s, ChangeKind.ADDED, f"Behovet {need.id}",
                     f"Behovet {need.id} läggs till: {quote(need.description)}",
                     p + ("behov", j), new=normalise(need.description))
        for i in removed:
            need = o.needs[i]
            self.add(s, ChangeKind.REMOVED, f"Behovet {need.id}",
                     f"Behovet {need.id} ({quote(need.description)}) utgår",
                     p + ("behov", i), old=normalise(need.description))
        for i, j in pairs:
            self.text(s, f"Behovet {n.needs[j].id}", p + ("behov", j, "beskrivning"),
                      o.needs[i].description, n.needs[j].description)

    def goals(self) -> None:
        s = "Mål och indikatorer"
        old, new = self.old.goals, self.new.goals
        pairs, removed, added = match_items(old, new, key=lambda g: g.id)
        for j in added:
            goal = new[j]
            details = [f"svarar mot {ids_text('behov', goal.needs)}"]
            if goal.indicators:
                details.append("indikatorer: " + "; ".join(
                    indicator_text(ind) for ind in goal.indicators))
            self.add(s, ChangeKind.ADDED, f"Målet {goal.id}",
                     f"Målet {goal.id} läggs till: {quote(goal.description)} "
                     f"({', '.join(details)})", ("mål", j), new=normalise(goal.description))
        for i in removed:
            goal = old[i]
            self.add(s, ChangeKind.REMOVED, f"Målet {goal.id}",
                     f"Målet {goal.id} ({quote(goal.description)}) utgår tillsammans med "
                     "sina indikatorer" if goal.indicators else
                     f"Målet {goal.id} ({quote(goal.description)}) utgår",
                     ("mål", i), old=normalise(goal.description))
        for i, j in pairs:
            self.goal(old[i], new[j], ("mål", j))

    def goal(self, o: Goal, n: Goal, p: KeyPath) -> None:
        s = "Mål och indikatorer"
        self.text(s, f"Målet {n.id}", p + ("beskrivning",), o.description, n.description)
        self.refs(s, f"De behov som målet {n.id} svarar mot", p + ("behov",), o.needs, n.needs)
        pairs, removed, added = match_items(o.indicators, n.indicators,
                                       key=lambda x: normalise(x.description),
                                       similar=lambda x: x.description)
        for j in added:
            ind = n.indicators[j]
            self.add(s, ChangeKind.ADDED, f"Indikator för målet {n.id}",
                     f"Målet {n.id} får en ny indikator: {indicator_text(ind)}",
                     p + ("indikatorer", j), new=normalise(ind.description))
        for i in removed:
            ind = o.indicators[i]
            self.add(s, ChangeKind.REMOVED, f"Indikator för målet {n.id}",
                     f"Indikatorn {quote(ind.description)} för målet {n.id} utgår",
                     p + ("indikatorer", i), old=normalise(ind.description))
        for i, j in pairs:
            a, b = o.indicators[i], n.indicators[j]
            q = p + ("indikatorer", j)
            self.text(s, f"Indikatorn {quote(a.description)} för målet {n.id}",
                      q + ("beskrivning",), a.description, b.description)
            label = quote(b.description)
            self.value(s, f"Målvärdet för indikatorn {label} (målet {n.id})", q + ("målvärde",),
                       normalise(a.target), normalise(b.target), quote)
            self.value(s, f"Källan för indikatorn {label} (målet {n.id})", q + ("källa",),
                       normalise(a.source), normalise(b.source), quote)

    def activities(self) -> None:
        s = "Insatser"
        old, new = self.old.activities, self.new.activities
        pairs, removed, added = match_items(old, new, key=lambda a: a.id)
        for j in added:
            act = new[j]
            self.add(s, ChangeKind.ADDED, f"Insatsen {act.id}",
                     f"Insatsen {act.id} läggs till: {quote(act.description)} (bidrar till "
                     f"{ids_text('mål', act.goals)}; ansvarig: "
                     f"{self.new_party_name(act.responsible)})",
                     ("insatser", j), new=normalise(act.description))
        for i in removed:
            act = old[i]
            self.add(s, ChangeKind.REMOVED, f"Insatsen {act.id}",
                     f"Insatsen {act.id} ({quote(act.description)}) utgår", ("insatser", i),
                     old=normalise(act.description))
        for i, j in pairs:
            a, b, p = old[i], new[j], ("insatser", j)
            self.text(s, f"Insatsen {b.id}", p + ("beskrivning",), a.description,
                      b.description)
            self.refs(s, f"De mål som insatsen {b.id} bidrar till", p + ("mål",), a.goals,
                      b.goals)
            self.value(s, f"Ansvaret för insatsen {b.id}", p + ("ansvarig",),
                       self.old_party_name(a.responsible), self.new_party_name(b.responsible))

    def resources(self) -> None:
        s = "Resurser"
        old, new = self.old.resources, self.new.resources
        old_keys = [self._resource_key(r, self.old) for r in old]
        new_keys = [self._resource_key(r, self.new) for r in new]
        # Match on (party, type, description); a party is known by its organisationsnummer,
        # so a party whose id was changed keeps its resources.
        pairs, removed, added = match_items(old_keys, new_keys, key=lambda k: k)
        # Leftovers of the same party and type whose description was reworded.
        pairs2, removed, added = match_leftovers(
            old, new, removed, added, group=lambda r, spec: (self._party_key(r.party, spec),
                                                            r.type),
            old_spec=self.old, new_spec=self.new)
        pairs = sorted(pairs + pairs2, key=lambda p: p[1])
        for j in added:
            res = new[j]
            self.add(s, ChangeKind.ADDED, "Resurs",
                     f"{self.new_party_name(res.party)} bidrar med en ny resurs: "
                     f"{resource_text(res)}", ("resurser", j),
                     new=normalise(res.description), difference=constant_amount(res) or None)
        for i in removed:
            res = old[i]
            self.add(s, ChangeKind.REMOVED, "Resurs",
                     f"Resursen {quote(res.description)} från "
                     f"{self.old_party_name(res.party)} ({res.type}) utgår", ("resurser", i),
                     old=normalise(res.description),
                     difference=-(constant_amount(res) or 0) or None)
        for i, j in pairs:
            a, b, p = old[i], new[j], ("resurser", j)
            owner = f"{quote(b.description)} ({self.new_party_name(b.party)}, {b.type})"
            self.text(s, f"Beskrivningen av resursen {quote(a.description)} "
                         f"({self.new_party_name(b.party)}, {b.type})",
                      p + ("beskrivning",), a.description, b.description)
            self.amount(s, f"Beloppet per år för resursen {owner}", p + ("belopp_per_år",),
                        a.amount_per_year, b.amount_per_year)
            self.amount(s, f"Det uppskattade värdet per år av resursen {owner}",
                        p + ("värde_per_år",), a.value_per_year, b.value_per_year)
            self.value(s, f"Mottagaren av resursen {owner}", p + ("mottagare",),
                       recipient_name(self.old, a), recipient_name(self.new, b))
            if a.hours_per_year != b.hours_per_year:
                self.value(s, f"Antalet timmar per år för resursen {owner}",
                           p + ("timmar_per_år",), a.hours_per_year, b.hours_per_year,
                           hours)
        self.resource_totals()

    def _party_key(self, party_id: str, spec: Spec) -> str:
        party = spec.party(party_id)
        return party.org_number if party else party_id

    def _resource_key(self, res: Resource, spec: Spec) -> tuple[str, str, str | None]:
        return (self._party_key(res.party, spec), res.type, normalise(res.description))

    def resource_totals(self) -> None:
        """Per party (by organisationsnummer) and in total, per year: derived changes."""
        s = "Resurser"
        if not any(c.section == s and c.difference for c in self.changes):
            return
        old_totals = yearly_totals(self.old)
        new_totals = yearly_totals(self.new)
        for org, (party_id, name) in party_order(self.old, self.new).items():
            before = old_totals.get(org, 0)
            after = new_totals.get(org, 0)
            if before == after:
                continue
            index = next((k for k, p in enumerate(self.new.parties) if p.org_number == org),
                         None)
            path: KeyPath = ("resurser",) if index is None else ("parter", index)
            self.add(s, ChangeKind.CHANGED, f"Resurserna från {name}",
                     f"Resurserna från {name} uppgår därmed till {kronor(after)} per år "
                     f"(tidigare {kronor(before)}, {kronor_difference(after - before)})",
                     path, old=kronor(before), new=kronor(after), difference=after - before,
                     derived=True)
        before = sum(old_totals.values())
        after = sum(new_totals.values())
        if before != after:
            self.add(s, ChangeKind.CHANGED, "Parternas sammanlagda resurser",
                     f"Parternas sammanlagda resurser uppgår därmed till {kronor(after)} per "
                     f"år (tidigare {kronor(before)}, {kronor_difference(after - before)})",
                     ("resurser",), old=kronor(before), new=kronor(after),
                     difference=after - before, derived=True)

    def economy(self) -> None:
        s, o, n = "Ekonomi", self.old.economy, self.new.economy
        p = ("ekonomi",)
        self.value(s, "Ersättningsformen", p + ("ersättningsform",), o.payment_form,
                   n.payment_form)
        self.text(s, "Villkoren för utbetalning", p + ("utbetalning",), o.disbursement,
                  n.disbursement)
        self.text(s, "Villkoren för redovisning", p + ("redovisning",), o.reporting,
                  n.reporting)
        self.value(s, "Vad som gäller för outnyttjade medel", p + ("outnyttjade_medel",),
                   f"att de {o.unused_funds}", f"att de {n.unused_funds}")
        self.value(s, "Villkoret om viten", p + ("viten",), yes_no(o.penalties),
                   yes_no(n.penalties))
        self.text(s, "Bestämmelsen om andra bidrag", p + ("andra_bidrag",), o.other_grants,
                  n.other_grants)
        self.value(s, "Budgetförbehållet för senare år", p + ("budgetförbehåll",),
                   yes_no(o.budget_reservation), yes_no(n.budget_reservation))

    def legal(self) -> None:
        s = "Rättslig bedömning"
        o, n = self.old.legal, self.new.legal
        p = ("rättslig_bedömning",)
        self.text(s, "Bedömningen av upphandling", p + ("upphandling",),
                  o.procurement if o else None, n.procurement if n else None)
        self.text(s, "Bedömningen av statsstöd", p + ("statsstöd",),
                  o.state_aid if o else None, n.state_aid if n else None)
        self.value(s, "Grunden för bedömningen av statsstöd", p + ("statsstöd_grund",),
                   o.state_aid_ground if o else None, n.state_aid_ground if n else None,
                   quote)
        self.value(s, "Växelkursen för beräkningen av statsstöd", p + ("eurokurs",),
                   o.eur_rate if o else None, n.eur_rate if n else None,
                   lambda rate: f"{rate:g}".replace(".", ",") + " kr per euro")

    def governance(self) -> None:
        s, o, n = "Styrning", self.old.governance, self.new.governance
        p = ("styrning",)
        self.party_refs(s, "Partnerskapsgruppen", p + ("partnerskapsgrupp",), o.group,
                        n.group)
        self.text(s, "Beslutsformen", p + ("beslutsform",), o.decision_making,
                  n.decision_making)
        self.value(s, "Partnerskapsgruppens mötesfrekvens", p + ("mötesfrekvens",),
                   o.meeting_frequency, n.meeting_frequency)

    def follow_up(self) -> None:
        s, o, n = "Uppföljning", self.old.follow_up, self.new.follow_up
        p = ("uppföljning",)
        self.value(s, "Intervallet för uppföljning", p + ("intervall",), o.interval,
                   n.interval)
        self.value(s, "Datumet för den första uppföljningen", p + ("första_datum",),
                   o.first_date, n.first_date, date_text)
        self.text(s, "Bestämmelsen om årsrapport", p + ("årsrapport",), o.annual_report,
                  n.annual_report)
        self.text(s, "Bestämmelsen om utvärdering", p + ("utvärdering",), o.evaluation,
                  n.evaluation)

    def period(self) -> None:
        s, o, n = "Avtalsperiod", self.old.period, self.new.period
        p = ("avtalsperiod",)
        self.value(s, "Avtalsperiodens startdatum", p + ("start",), o.start, n.start,
                   date_text)
        self.value(s, "Avtalsperiodens slutdatum", p + ("slut",), o.end, n.end, date_text)
        if (o.start, o.end) != (n.start, n.end):
            before = f"{o.start.isoformat()}\u2013{o.end.isoformat()}"
            after = f"{n.start.isoformat()}\u2013{n.end.isoformat()}"
            self.add(s, ChangeKind.CHANGED, "Avtalsperioden",
                     f"Avtalet gäller därmed från och med {date_text(n.start)} till och med "
                     f"{date_text(n.end)} (tidigare {date_text(o.start)} till och med "
                     f"{date_text(o.end)})", p, old=before, new=after, derived=True)
        self.text(s, "Bestämmelsen om förlängning", p + ("förlängning",), o.extension,
                  n.extension)
        self.value(s, "Uppsägningstiden", p + ("uppsägningstid_månader",), o.notice_months,
                   n.notice_months, manader)

    def personal_data(self) -> None:
        s = "Personuppgifter"
        o, n = self.old.personal_data, self.new.personal_data
        p = ("personuppgifter",)
        self.value(s, "Uppgiften om att personuppgifter behandlas", p + ("behandlas",),
                   yes_no(o.processed if o else None), yes_no(n.processed if n else None))
        self.value(s, "Ansvaret för personuppgifterna", p + ("ansvar",),
                   o.responsibility if o else None, n.responsibility if n else None,
                   lambda r: RESPONSIBILITY.get(r, r))

    def clauses(self) -> None:
        s = "Villkor"
        old, new = self.old.clauses, self.new.clauses
        pairs, removed, added = match_items(old, new, key=lambda c: normalise(c.heading),
                                       fallback=lambda c: normalise(c.text),
                                       similar=lambda c: c.heading + " " + c.text)
        for j in added:
            clause = new[j]
            self.add(s, ChangeKind.ADDED, f"Villkoret {quote(clause.heading)}",
                     f"Ett nytt villkor, {quote(clause.heading)}, läggs till med följande "
                     f"lydelse: {quote(clause.text)}", ("villkor", j),
                     new=normalise(clause.text))
        for i in removed:
            clause = old[i]
            self.add(s, ChangeKind.REMOVED, f"Villkoret {quote(clause.heading)}",
                     f"Villkoret {quote(clause.heading)} utgår", ("villkor", i),
                     old=normalise(clause.text))
        for i, j in pairs:
            a, b = old[i], new[j]
            self.value(s, f"Rubriken för villkoret {quote(a.heading)}",
                       ("villkor", j, "rubrik"), normalise(a.heading), normalise(b.heading),
                       quote)
            self.text(s, f"Villkoret {quote(b.heading)}", ("villkor", j, "text"), a.text,
                      b.text)


def diff_specs(old: Spec, new: Spec) -> list[Change]:
    """Every change from `old` to `new`, in the order of the agreement's sections."""
    return _Differ(old, new).run()
