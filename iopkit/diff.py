"""Compare two versions of a partnership spec by meaning, not by line.

`diff_specs(old, new)` returns a list of `Change`s in the order of the agreement's
sections. Items in lists are matched by what identifies them, not by position:
parties, needs, goals and activities by `id` (a party whose id changed is still found
by its organisationsnummer), resources by (part, typ, beskrivning), indicators by their
description within a goal, clauses by `rubrik`, signatories by name. When an item's
identifying text was reworded, the leftover removed and added items are paired if they
are alike, so a reworded clause reads as reworded rather than as removed and added.
Texts are compared with their whitespace normalised, so reflowing a paragraph in the
YAML is not a change.

Every change carries a formal Swedish sentence (`Change.sentence`) suitable for a
numbered clause in an annex to the agreement; `render_text` turns the list into a
readable report, and `iopkit.amendment.render_annex_markdown` into a draft annex
("Tillägg nr N").

Why one module of some 850 lines: it is one algorithm, a walk over the spec's sections in
the agreement's order, and every section uses the same few primitives of `_Differ`
(value, text, amount, refs) and the same item matching. Split by section, the walk's
order, which numbers the annex's points, would be spread over many files.
"""

from __future__ import annotations

import datetime as dt
import difflib
import itertools
import re
from dataclasses import dataclass
from enum import Enum
from typing import Any, Callable, Iterable, Sequence, TypeVar

from .format import antal, datum_lang, kronor, lista, manader
from .spec.findings import KeyPath, format_path
from .spec.model import Goal, Indicator, Party, Resource, Spec

T = TypeVar("T")

# Sections in the order of the agreement draft (see shared/domain/IOP.md).
SECTIONS = (
    "Partnerskapet",
    "Parter",
    "Behovsinventering",
    "Mål och indikatorer",
    "Insatser",
    "Resurser",
    "Ekonomi",
    "Rättslig bedömning",
    "Styrning",
    "Uppföljning",
    "Avtalsperiod",
    "Personuppgifter",
    "Villkor",
    "Bilagor",
)

# How alike the words of two texts must be (difflib ratio) to count as one reworded item.
REWORD_SIMILARITY = 0.6


class ChangeKind(str, Enum):
    ADDED = "tillagd"
    REMOVED = "borttagen"
    CHANGED = "ändrad"

    @property
    def marker(self) -> str:
        return {"tillagd": "+", "borttagen": "-", "ändrad": "~"}[self.value]


@dataclass(frozen=True)
class Change:
    """One change between two versions, with a formal Swedish sentence describing it.

    `old`/`new` are the values as shown to a reader (amounts and dates formatted);
    `difference` is set for amounts (kronor, new minus old); `derived` marks a
    consequence of other changes (a new total) rather than a change in itself;
    `reworded` marks a text that got a new wording (shown before and after in reports).
    """

    section: str
    kind: ChangeKind
    subject: str
    sentence: str
    path: str
    old: str | None = None
    new: str | None = None
    difference: int | None = None
    derived: bool = False
    reworded: bool = False


# --- Swedish formatting -----------------------------------------------------------------


def kronor_difference(amount: int) -> str:
    """200000 → "+200 000 kr", -200000 → "−200 000 kr"."""
    sign = "+" if amount >= 0 else "\u2212"
    return sign + kronor(abs(amount))


def date_text(date: dt.date) -> str:
    """2027-01-01 → "den 1 januari 2027"."""
    return datum_lang(date)


def normalise(text: str | None) -> str | None:
    return None if text is None else " ".join(text.split())


def quote(text: str) -> str:
    return f"\u201d{normalise(text)}\u201d"


def join_names(names: Sequence[str]) -> str:
    return lista(names) or "ingen"


def _sentence(text: str) -> str:
    text = text.strip()
    text = text[0].upper() + text[1:]
    return text if text.endswith((".", "!", "?", ".\u201d", "!\u201d", "?\u201d")) else text + "."


# --- Matching list items ----------------------------------------------------------------


def _match(old: Sequence[T], new: Sequence[T], key: Callable[[T], Any] | None,
           fallback: Callable[[T], Any] | None = None,
           similar: Callable[[T], str] | None = None,
           ) -> tuple[list[tuple[int, int]], list[int], list[int]]:
    """Pair items of `old` and `new` by `key`, then leftovers by `fallback` key, then
    leftovers whose `similar` text is alike. Returns (pairs, removed, added) as indexes,
    pairs in the order of `new`."""
    pairs: list[tuple[int, int]] = []
    left_old = list(range(len(old)))
    left_new = list(range(len(new)))

    def pair_by(get: Callable[[T], Any]) -> None:
        nonlocal left_old, left_new
        index: dict[Any, int] = {}
        for i in left_old:
            index.setdefault(get(old[i]), i)
        paired_old: set[int] = set()
        unpaired_new = []
        for j in left_new:
            found = index.pop(get(new[j]), None)
            if found is None:
                unpaired_new.append(j)
            else:
                pairs.append((found, j))
                paired_old.add(found)
        left_old = [i for i in left_old if i not in paired_old]
        left_new = unpaired_new

    if key is not None:
        pair_by(key)
    if fallback is not None:
        pair_by(fallback)
    if similar is not None and left_old and left_new:
        found = _pair_similar([similar(old[i]) for i in left_old],
                              [similar(new[j]) for j in left_new])
        pairs.extend((left_old[a], left_new[b]) for a, b in found)
        paired_old = {a for a, _ in found}
        paired_new = {b for _, b in found}
        left_old = [i for a, i in enumerate(left_old) if a not in paired_old]
        left_new = [j for b, j in enumerate(left_new) if b not in paired_new]
    pairs.sort(key=lambda p: p[1])
    return pairs, left_old, left_new


#: Up to this many leftover pairs every removed item is compared with every added one;
#: beyond it (a list of hundreds of reworded items) each is compared with the added
#: items near its own place in the list only, so the work grows with the list, not with
#: its square. At most MAX_COMPARISONS comparisons per list: what is left after that
#: reads as removed and added (the report is longer, never wrong).
ALL_PAIRS_UP_TO = 400
NEAR_PLACES = 3
MAX_COMPARISONS = 3000
#: The words of each text that are compared: enough to tell a reworded clause from
#: another one, and a bound on the work per pair.
COMPARED_WORDS = 120
_WORDS = re.compile(r"\w+|[^\w\s]")


def _pair_similar(old: Sequence[str], new: Sequence[str]) -> list[tuple[int, int]]:
    """Pairs (index in old, index in new) of texts whose words are alike enough
    (REWORD_SIMILARITY) to be one reworded item, the most alike first."""
    old_words = [_WORDS.findall((normalise(t) or "").lower())[:COMPARED_WORDS] for t in old]
    new_words = [_WORDS.findall((normalise(t) or "").lower())[:COMPARED_WORDS] for t in new]
    if len(old) * len(new) <= ALL_PAIRS_UP_TO:
        candidates: Iterable[tuple[int, int]] = (
            (i, j) for i in range(len(old)) for j in range(len(new)))
    else:
        scale = len(new) / len(old)
        candidates = (
            (i, j) for i in range(len(old))
            for j in range(max(0, round(i * scale) - NEAR_PLACES),
                           min(len(new), round(i * scale) + NEAR_PLACES + 1)))
    scored = []
    for i, j in itertools.islice(candidates, MAX_COMPARISONS):
        matcher = difflib.SequenceMatcher(None, old_words[i], new_words[j], autojunk=False)
        if matcher.real_quick_ratio() < REWORD_SIMILARITY or \
                matcher.quick_ratio() < REWORD_SIMILARITY:
            continue  # cheap upper bounds of the ratio: cannot be alike enough
        ratio = matcher.ratio() if old_words[i] or new_words[j] else 1.0
        if ratio >= REWORD_SIMILARITY:
            scored.append((ratio, i, j))
    scored.sort(key=lambda c: (-c[0], c[1], c[2]))
    pairs = []
    used_old: set[int] = set()
    used_new: set[int] = set()
    for _, i, j in scored:
        if i not in used_old and j not in used_new:
            pairs.append((i, j))
            used_old.add(i)
            used_new.add(j)
    return pairs


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
                                   sentence=_sentence(sentence), path=format_path(path),
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
            self.value(section, subject, path, old, new, _yearly_text)
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
        self.value(s, "Uppgiften om att barn deltar", p + ("barn",), _yes_no(o.children),
                   _yes_no(n.children))

    def parties(self) -> None:
        s = "Parter"
        old, new = self.old.parties, self.new.parties
        pairs, removed, added = _match(old, new, key=lambda p: p.id,
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
        pairs, removed, added = _match(o.signatories, n.signatories,
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
                   p + ("registrerad_idéburen",), _yes_no(o.registered_nonprofit),
                   _yes_no(n.registered_nonprofit))
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
        pairs, removed, added = _match(o.needs, n.needs, key=lambda x: x.id)
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
        pairs, removed, added = _match(old, new, key=lambda g: g.id)
        for j in added:
            goal = new[j]
            details = [f"svarar mot {_ids('behov', goal.needs)}"]
            if goal.indicators:
                details.append("indikatorer: " + "; ".join(
                    _indicator_text(ind) for ind in goal.indicators))
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
        pairs, removed, added = _match(o.indicators, n.indicators,
                                       key=lambda x: normalise(x.description),
                                       similar=lambda x: x.description)
        for j in added:
            ind = n.indicators[j]
            self.add(s, ChangeKind.ADDED, f"Indikator för målet {n.id}",
                     f"Målet {n.id} får en ny indikator: {_indicator_text(ind)}",
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
        pairs, removed, added = _match(old, new, key=lambda a: a.id)
        for j in added:
            act = new[j]
            self.add(s, ChangeKind.ADDED, f"Insatsen {act.id}",
                     f"Insatsen {act.id} läggs till: {quote(act.description)} (bidrar till "
                     f"{_ids('mål', act.goals)}; ansvarig: {self.new_party_name(act.responsible)})",
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
        pairs, removed, added = _match(old_keys, new_keys, key=lambda k: k)
        # Leftovers of the same party and type whose description was reworded.
        pairs2, removed, added = _match_leftovers(
            old, new, removed, added, group=lambda r, spec: (self._party_key(r.party, spec),
                                                            r.type),
            old_spec=self.old, new_spec=self.new)
        pairs = sorted(pairs + pairs2, key=lambda p: p[1])
        for j in added:
            res = new[j]
            self.add(s, ChangeKind.ADDED, "Resurs",
                     f"{self.new_party_name(res.party)} bidrar med en ny resurs: "
                     f"{_resource_text(res)}", ("resurser", j),
                     new=normalise(res.description), difference=_constant(res) or None)
        for i in removed:
            res = old[i]
            self.add(s, ChangeKind.REMOVED, "Resurs",
                     f"Resursen {quote(res.description)} från "
                     f"{self.old_party_name(res.party)} ({res.type}) utgår", ("resurser", i),
                     old=normalise(res.description), difference=-(_constant(res) or 0) or None)
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
                       _recipient(self.old, a), _recipient(self.new, b))
            if a.hours_per_year != b.hours_per_year:
                self.value(s, f"Antalet timmar per år för resursen {owner}",
                           p + ("timmar_per_år",), a.hours_per_year, b.hours_per_year,
                           _hours)
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
        old_totals = _totals(self.old)
        new_totals = _totals(self.new)
        for org, (party_id, name) in _party_order(self.old, self.new).items():
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
        self.value(s, "Villkoret om viten", p + ("viten",), _yes_no(o.penalties),
                   _yes_no(n.penalties))
        self.text(s, "Bestämmelsen om andra bidrag", p + ("andra_bidrag",), o.other_grants,
                  n.other_grants)
        self.value(s, "Budgetförbehållet för senare år", p + ("budgetförbehåll",),
                   _yes_no(o.budget_reservation), _yes_no(n.budget_reservation))

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
                   _yes_no(o.processed if o else None), _yes_no(n.processed if n else None))
        self.value(s, "Ansvaret för personuppgifterna", p + ("ansvar",),
                   o.responsibility if o else None, n.responsibility if n else None,
                   lambda r: _RESPONSIBILITY.get(r, r))

    def clauses(self) -> None:
        s = "Villkor"
        old, new = self.old.clauses, self.new.clauses
        pairs, removed, added = _match(old, new, key=lambda c: normalise(c.heading),
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


_RESPONSIBILITY = {
    "var för sig": "att varje part är personuppgiftsansvarig för sin behandling",
    "biträde": "att organisationen är personuppgiftsbiträde åt den offentliga parten",
}


def _recipient(spec: Spec, res: Resource) -> str | None:
    """The name of the party that receives a resource: its `mottagare`, or for money,
    premises and material from a public party the only idéburen party when there is one
    (the agreement then names it as recipient)."""
    if res.recipient:
        party = spec.party(res.recipient)
        return party.name if party else res.recipient
    nonprofits = spec.nonprofit_parties
    giver = spec.party(res.party)
    from .rules.assessment import GIVEN_TYPES

    if len(nonprofits) == 1 and giver is not None and giver.is_public and \
            res.type in GIVEN_TYPES:
        return nonprofits[0].name
    return None


def _yes_no(value: bool | None) -> str | None:
    return None if value is None else ("ja" if value else "nej")


def _hours(count: int) -> str:
    return antal(count, "timme", "timmar")


def _ids(what: str, ids: Iterable[str]) -> str:
    return f"{what} {join_names(list(ids))}"


def _indicator_text(ind: Indicator) -> str:
    text = quote(ind.description)
    if ind.target:
        text += f", målvärde {normalise(ind.target)}"
    if ind.source:
        text += f", källa: {normalise(ind.source)}"
    return text


def _yearly_text(value: int | dict[int, int]) -> str:
    if isinstance(value, dict):
        return ", ".join(f"{kronor(amount)} år {year}" for year, amount in value.items())
    return kronor(value)


def _constant(res: Resource) -> int | None:
    """The resource's amount per year when it is one amount for every year."""
    value = res.yearly
    return value if isinstance(value, int) else None


def _resource_text(res: Resource) -> str:
    text = f"{res.type}, {quote(res.description)}"
    if res.amount_per_year is not None:
        text += (f", {_yearly_text(res.amount_per_year)}" if isinstance(res.amount_per_year, dict)
                 else f", {kronor(res.amount_per_year)} per år")
    elif res.value_per_year is not None:
        text += (f", uppskattat värde {_yearly_text(res.value_per_year)}"
                 if isinstance(res.value_per_year, dict)
                 else f", uppskattat värde {kronor(res.value_per_year)} per år")
    if res.hours_per_year is not None:
        text += f", {_hours(res.hours_per_year)} per år"
    return text


def _totals(spec: Spec) -> dict[str, int]:
    """Yearly value of each party's resources, keyed by organisationsnummer (resources
    with amounts that differ between years are left out: they have no one yearly value)."""
    totals: dict[str, int] = {}
    for res in spec.resources:
        party = spec.party(res.party)
        key = party.org_number if party else res.party
        totals[key] = totals.get(key, 0) + (_constant(res) or 0)
    return totals


def _party_order(old: Spec, new: Spec) -> dict[str, tuple[str, str]]:
    """Parties of both versions by organisationsnummer, new version's order first."""
    order: dict[str, tuple[str, str]] = {}
    for party in list(new.parties) + list(old.parties):
        order.setdefault(party.org_number, (party.id, party.name))
    return order


def _match_leftovers(old: Sequence[Resource], new: Sequence[Resource], removed: list[int],
                     added: list[int], group: Callable[[Resource, Spec], Any],
                     old_spec: Spec, new_spec: Spec,
                     ) -> tuple[list[tuple[int, int]], list[int], list[int]]:
    """Pair a removed and an added resource of the same party and type: when exactly one
    of each is left, or when their descriptions are alike."""
    pairs: list[tuple[int, int]] = []
    removed, added = list(removed), list(added)
    groups: dict[Any, tuple[list[int], list[int]]] = {}
    for i in removed:
        groups.setdefault(group(old[i], old_spec), ([], []))[0].append(i)
    for j in added:
        groups.setdefault(group(new[j], new_spec), ([], []))[1].append(j)
    for olds, news in groups.values():
        if not olds or not news:
            continue
        if len(olds) == 1 and len(news) == 1:
            found = [(olds[0], news[0])]
        else:
            found, _, _ = _match([old[i] for i in olds], [new[j] for j in news],
                                 key=None, similar=lambda r: r.description)
            found = [(olds[a], news[b]) for a, b in found]
        for i, j in found:
            pairs.append((i, j))
            removed.remove(i)
            added.remove(j)
    return pairs, removed, added


def diff_specs(old: Spec, new: Spec) -> list[Change]:
    """Every change from `old` to `new`, in the order of the agreement's sections."""
    return _Differ(old, new).run()


# --- Reports ----------------------------------------------------------------------------

NO_CHANGES = "Inga ändringar i sak."


def count_text(changes: Sequence[Change]) -> str:
    """ "3 ändringar" (derived totals are consequences, not counted)."""
    count = sum(1 for c in changes if not c.derived)
    return f"{count} ändring" if count == 1 else f"{count} ändringar"


def grouped(changes: Sequence[Change]) -> list[tuple[str, list[Change]]]:
    """Changes grouped by section, in the order of the agreement."""
    groups: dict[str, list[Change]] = {}
    for change in changes:
        groups.setdefault(change.section, []).append(change)
    return [(section, groups[section]) for section in SECTIONS if section in groups]


def render_text(changes: Sequence[Change], old_label: str, new_label: str,
                width: int = 100, findings: Sequence[str] = ()) -> str:
    """A readable Swedish report for the terminal: one line per change, by section, then
    the new version's findings (see iopkit.amendment.finding_lines)."""
    import textwrap

    if not changes:
        return f"Jämförde {old_label} med {new_label}: {NO_CHANGES}\n"
    lines = [f"Ändringar från {old_label} till {new_label}: {count_text(changes)}.", ""]
    for section, items in grouped(changes):
        lines.append(section)
        for change in items:
            marker = "=" if change.derived else change.kind.marker
            lines.append(textwrap.fill(change.sentence, width=width,
                                       initial_indent=f"  {marker} ",
                                       subsequent_indent="      "))
            if change.reworded and change.old:
                lines.append(textwrap.fill(f"Tidigare lydelse: {quote(change.old)}",
                                           width=width, initial_indent="      ",
                                           subsequent_indent="      "))
        lines.append("")
    lines.append("Tecken: + tillagt, - borttaget, ~ ändrat, = ny summa till följd av "
                 "ändringarna.")
    if findings:
        lines.append("")
        lines.append(f"Anmärkningar från iopkit check på {new_label}:")
        for line in findings:
            lines.append(textwrap.fill(line, width=width, initial_indent="  ",
                                       subsequent_indent="    "))
    return "\n".join(lines) + "\n"
