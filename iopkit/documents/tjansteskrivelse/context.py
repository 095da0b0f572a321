"""The tjänsteskrivelse: the officer's decision memo to the body that decides on the
agreement (document kind `tjansteskrivelse`, templates in
`iopkit/documents/tjansteskrivelse/templates/`).

The memo follows the legal verdict (`rules.verdict`), never the other way round
(IOP.md, "The decision: what iopkit may propose to a nämnd"): while a finding that the
law stops is open, it says on its first page that the matter is not ready for decision,
proposes that the förvaltning completes the beredning, and lists what must be done
first. Where the organisation would perform a statutory insats (the HFD 2020 ref. 15
pattern), the nämnd proposes the decision to fullmäktige (kommunallagen 10 kap. 1 §)
unless fullmäktige's decision is recorded.

The memo is written for one public party: the party of `process.handläggare`, else the
first public party. Its templates see the agreement's context
(`render.pipeline.spec_context`) plus `skrivelse` (see `memo_context`). Nothing in it
shows a key path, a rule code or the program's name: findings are phrased as the matter
(`plain`).

Why one module of some 470 lines: it builds one key, `skrivelse`, in one function
(`memo_context`), and its helpers (the findings in plain words, the risks, what is left
to do, the memo's party and its titles in running text) serve only that function.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING, Any

from ..avtal.context import definite
from ...format import lista
from ...rules.assessment import AREA_NAMES
from ...spec.yearly import calendar_split, calendar_split_by_months
from ...rules.verdict import BLOCKING_WARNINGS, verdict as legal_verdict
from .payments import payments_per_budget_year
from .procurement import procurement_doubts
from .risks import blocked_consequences, case_risks
from .service_levels import service_levels
from .todo import STATUTORY_CODES, todo_texts, with_council_dates, with_occupancy

if TYPE_CHECKING:
    from ...render.pipeline import RenderOptions
    from ...spec.findings import CheckResult, Finding

#: Party types that run a business: support to one of them is individual support to a
#: näringsidkare (kommunallagen 2 kap. 8 §; IOP.md, "Municipal competence").
BUSINESS_TYPES = ("ekonomisk förening", "aktiebolag med särskild vinstutdelningsbegränsning")

#: Delegates that are elected (KL 6 kap. 37 §; reported under 6 kap. 40 §); any other
#: delegate is taken to be an anställd (7 kap. 5 §; reported under 7 kap. 8 §).
ELECTED_DELEGATE_WORDS = ("utskott", "presidium", "ordförande", "ledamot", "ersättare")

#: Findings about the underlag's wording or the memo's own date, not the matter: the
#: checklist shows them, the memo does not.
DRAFTING_HINTS = frozenset({"IOP104", "IOP188", "IOP194", "IOP195", "IOP200"})

#: Words of sentences in a finding's message that speak about the tool, not the matter.
TOOL_WORDS = ("iopkit", "fyll i", "undanta regeln", "undantag", "beskrivningen", "yaml")

_CODE = re.compile(r"\s*\(?\bIOP\d{3}\b\)?:?")
_TICKED = re.compile(r"`([^`]*)`")
_KEYLIKE = re.compile(r"^[\wåäöÅÄÖ\[\]]+([._][\wåäöÅÄÖ\[\]]+)+:?$")
_LOU_FULL = re.compile(r"lagen\s+\(2016:1145\)\s+om\s+offentlig\s+upphandling(\s+\(LOU\))?")
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-ZÅÄÖ])")
#: Participants placed by socialnämnden ("unga som är placerade i stödboende",
#: "familjehem", "HVB"): a DPIA is required, not "consider" (R6 13). Bounded texts.
_PLACED = re.compile(r"\bplacera(de|d|s)\b|\bplacering(ar|en|arna)?\b|\bfamiljehem|\bHVB\b|"
                     r"\bsamhällsvård", re.IGNORECASE)
#: A 2 kap. 8 § assessment that finds no recipient a näringsidkare ("ingen av mottagarna
#: tar emot stödet som näringsidkare"): within one sentence, bounded.
_NO_BUSINESS = re.compile(r"\b(ingen|inte)\b[^.]{0,200}\bnäringsidkare\b", re.IGNORECASE)


def plain(message: str) -> str:
    """A finding's message as the matter, for the nämnd: without rule codes, key paths,
    backticks or the program's name."""
    def unticked(match: re.Match[str]) -> str:
        inner = match.group(1).strip()
        return "underlaget" if _KEYLIKE.match(inner) or ":" in inner else inner

    text = _TICKED.sub(unticked, message)
    text = _CODE.sub("", text)
    # Sentences about the tool (how to silence a rule, what the program sees) are for
    # the officer's checklist, not for the nämnd.
    sentences = [s for s in _SENTENCE.split(text.strip())
                 if not any(w in s.lower() for w in TOOL_WORDS)]
    text = " ".join(sentences)
    text = re.sub(r"\(\s*\)", "", text)
    text = re.sub(r"\s+([.,;:])", r"\1", text)
    return re.sub(r"\s{2,}", " ", text).strip()


#: The tool's voice ("Prövningen svarar att …") in the officer's words: the answers are
#: the förvaltning's own facts, said as facts, not as what "underlaget" says (R4 9).
_SCREENING_VOICE = (
    (re.compile(r"^Prövningen svarar ja: (\w)"), lambda m: m[1].upper()),
    (re.compile(r"^Prövningen (?:svarar|visar) att (\w)"), lambda m: m[1].upper()),
    (re.compile(r"^Prövningen vet inte "), "Det är inte klarlagt "),
)
#: Sentences that tell the editor of the underlag what to do: for the checklist, not
#: for a risk the nämnd reads.
_INSTRUCTION = re.compile(
    r"^(Förklara|Beskriv|Ta upp|Ta reda|Ta med|Ange|Lägg till|Skriv|Välj|Pröva|Kontrollera|"
    r"Bedöm|Ändra|Rätta|Byt|Ersätt|Undanta|Låt|Gör|Dela|Flytta|Planera)\b")


#: The ceiling sentence of IOP187, kept when its other sentences become a reason.
_CEILING = re.compile(r"Beloppet överstiger taket för stöd av mindre betydelse[^.]*\.")


def _aid_doubts(aid_open: list["Finding"], context: dict[str, Any],
                organ: str | None) -> dict[str, Any]:
    """Why the förvaltning does not share the underlag's "ingen ekonomisk verksamhet":
    a statutory insats inside the partnership (IOP187) and a market (IOP119) as reasons
    in its own words; other doubts (IOP116, IOP118) as risks; the de minimis ceiling."""
    codes = {f.code for f in aid_open}
    areas = context["bedömning"]["lagstadgade_områden"]
    named = lista([AREA_NAMES.get(a, a) for a in areas])
    reasons = []
    if "IOP187" in codes and areas:
        reasons.append(f"{named[:1].upper()}{named[1:]} är "
                       f"{'en insats' if len(areas) == 1 else 'insatser'} som kommuner köper "
                       "av utförare med tillstånd, på en marknad, och därför ekonomisk "
                       "verksamhet.")
    if "IOP119" in codes:
        reasons.append(("Andra erbjuder dessutom" if reasons else "Andra erbjuder") +
                       " samma verksamhet mot betalning, och verksamhet som erbjuds på en "
                       "marknad är som regel ekonomisk verksamhet.")
    ceiling = [m[0] for f in aid_open if f.code == "IOP187" for m in [_CEILING.search(f.message)]
               if m]
    others = [risk_text(f, organ) for f in aid_open if f.code not in ("IOP119", "IOP187")]
    return {
        "statsstöd_ifrågasatt": [risk_text(f, organ) for f in aid_open],
        "statsstöd_skäl": reasons,
        # "för det skyddade boendet": the reasons concern only the statutory insats.
        "statsstöd_skäl_del": ("det skyddade boendet" if areas == ["skyddat boende"]
                               else f"verksamheten inom {named}")
        if "IOP187" in codes and areas else None,
        "statsstöd_övrigt": others + ceiling[:1],
        # The amount is above the de minimis ceiling: that ground is no way out.
        "statsstöd_över_taket": bool(ceiling),
    }


def risk_text(finding: "Finding", organ: str | None = None) -> str:
    """A warning as a risk the nämnd reads: the matter in the officer's voice, without
    the instructions to whoever edits the underlag. `organ`: the one public party's
    deciding body, named where the rule says "den offentliga parten" (R4 finding 9)."""
    text = plain(finding.message)
    for pattern, replacement in _SCREENING_VOICE:
        text = pattern.sub(replacement, text)
    if organ:
        text = re.sub(r"\bden offentliga partens\b", organ + "s", text)
        text = re.sub(r"\bden offentliga parten\b", organ, text)
    sentences = [s for s in _SENTENCE.split(text) if not _INSTRUCTION.match(s)]
    return " ".join(sentences).strip() or text


#: Laws whose first mention in the memo carries the SFS number (skrivregler: first
#: the name with its number, then the short name).
FIRST_CITATION = {"kommunallagen": "kommunallagen (2017:725)",
                  "socialtjänstlagen": "socialtjänstlagen (2025:400)"}


def cite_first(texts: list[str], cited: set[str] | None = None
               ) -> tuple[list[str], set[str]]:
    """`texts` (read in order) with each law's first mention written in full and the
    later ones short; and the laws that were mentioned. `cited`: laws the memo has
    already cited in full before these texts."""
    seen: set[str] = set(cited or ())
    out = []
    for text in texts:
        for short, full in FIRST_CITATION.items():
            pattern = re.compile(re.escape(short) + r"(?: \(\d{4}:\d+\))?")

            def one(match: re.Match[str], short: str = short, full: str = full) -> str:
                if short in seen:
                    return short
                seen.add(short)
                return full

            text = pattern.sub(one, text)
        out.append(text)
    return out, seen


def memo_party(context: dict[str, Any]) -> dict[str, Any] | None:
    officer = context["process"]["handläggare"]
    if officer and officer["part"] and officer["part"].get("offentlig"):
        party: dict[str, Any] = officer["part"]
        return party
    public = context["offentliga_parter"]
    return public[0] if public else None


def function_definite(title: str) -> str:
    """A signatory's title as a function in running text, lower case and definite:
    "Förvaltningsdirektör" -> "förvaltningsdirektören", "Kommunstyrelsens ordförande"
    -> "kommunstyrelsens ordförande"."""
    words = " ".join(title.split())
    lowered = words if words[:2].isupper() else words[:1].lower() + words[1:]
    if lowered.endswith(("ör", "chef")):
        return lowered + "en"
    if lowered.endswith("are"):
        return lowered + "n"
    return lowered


#: A capitalised word inside a sentence (after a lower-case word or a comma): a name.
_NAME_IN_SENTENCE = re.compile(r"(?<=[a-zåäö,] )[A-ZÅÄÖ][a-zåäöé]{2,}")


def proper_names(text: str) -> frozenset[str]:
    """The words that the spec writes with a capital inside a sentence ("Norrliden",
    "Strömsby"): names, which keep their capital when a text starts with one. One pass
    over the text."""
    return frozenset(m.group(0) for m in _NAME_IN_SENTENCE.finditer(text))


def in_running_text(text: str, names: frozenset[str] = frozenset()) -> str:
    """User text placed inside a sentence (after a colon or a comma): a first word
    written with only its first letter capital ("Kvinnor och barn …", "Bidrag till …")
    starts in lower case; a name (a word in `names`, or its genitive "Norrlidens") and
    "EU-medborgare" and other words with more capitals are kept as written."""
    words = text.strip().split(maxsplit=1)
    if not words:
        return text
    first = words[0].rstrip(".,;:")
    if first in names or (first.endswith("s") and first[:-1] in names):
        return text.strip()
    if len(first) > 1 and first[0].isupper() and first[1:].islower():
        return text.strip()[0].lower() + text.strip()[1:]
    return text.strip()


def fullmaktige(party: dict[str, Any] | None) -> str:
    return "regionfullmäktige" if party and party["typ"] == "region" else "kommunfullmäktige"


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _ivo_permits(result: "CheckResult") -> list[dict[str, Any]]:
    """Each idéburen party's IVO permit with the areas it covers (map form)."""
    out: list[dict[str, Any]] = []
    spec = result.spec
    if spec is None:
        return out
    for party in spec.parties:
        permit = party.ivo_permit
        if permit is None or not party.is_nonprofit:
            continue
        covers = list(getattr(permit, "covers", []) or [])
        # The map form: the date in running text and the dnr apart (R1 20); a text
        # permit is quoted as written.
        out.append({"part": party.name, "text": str(permit), "avser": covers,
                    "datum": getattr(permit, "date", None),
                    "dnr": getattr(permit, "case_number", None)})
    return out


def memo_notices(skrivelse: dict[str, Any], draft: dt.date) -> list[str]:
    """Warnings printed when a memo is rendered (Swedish, with the key to add)."""
    notices = []
    party = skrivelse["part"]
    if not skrivelse["organ_känt"]:
        where = f"parten {party['id']}" if party else "den offentliga parten"
        notices.append(
            f"Tjänsteskrivelsen vet inte vilket organ den ska ställas till. Lägg till "
            f"organ under parter för {where} (till exempel organ: socialnämnden Centrum).")
    meeting = skrivelse["sammanträde"]
    # A memo dated on the meeting day is IOP200, which `render` prints with the findings.
    if meeting and meeting["datum"] is not None and meeting["datum"] < draft:
        when = "men beslutet är redan fattat"
        notices.append(
            f"Tjänsteskrivelsen är daterad {draft.isoformat()}, {when} "
            f"({meeting['organ']} {meeting['datum'].isoformat()} enligt process.beslut). En "
            "tjänsteskrivelse dateras före sammanträdet: var den skriven före beslutet, ange "
            "den dagen med --datum.")
    # A memo without its meeting, handläggare or signature cannot go on an agenda (R6 7):
    # said when it is rendered, not only in the checklist.
    missing = [what for what, _ in _memo_missing(skrivelse)]
    if missing:
        notices.append(
            "Tjänsteskrivelsen saknar " + lista(missing) + " och kan inte sättas upp på "
            "föredragningslistan förrän de finns. Checklistan anger vad som ska läggas till.")
    return notices


def _memo_missing(skrivelse: dict[str, Any]) -> list[tuple[str, str]]:
    """What the memo itself lacks before it can go on an agenda, each with where to add
    it: (what, the key or person that supplies it)."""
    missing = []
    if skrivelse["sammanträde"] is None:
        missing.append(("sammanträde", f"ange {skrivelse['organ']}s beslut med datum i "
                                       "process.beslut"))
    if not skrivelse["handläggare"]:
        missing.append(("handläggare", "process.handläggare"))
    if not (skrivelse["handläggare"] or skrivelse["förvaltningschef"]):
        missing.append(("underskrift", "handläggaren, eller en firmatecknare med titeln "
                                       "förvaltningschef eller förvaltningsdirektör"))
    return missing


def memo_gaps(skrivelse: dict[str, Any]) -> list[str]:
    """What the memo lacks before a nämndsekreterare can put it on an agenda (R4 5), for
    the checklist (which may name keys)."""
    gaps = [f"{what} ({where})" for what, where in _memo_missing(skrivelse)]
    if skrivelse["finansiering_öppen"]:
        gaps.append("hur medlen finansieras för varje budgetår (ekonomi.finansiering)")
    return gaps


def memo_context(result: "CheckResult", options: "RenderOptions") -> dict[str, Any]:
    """The agreement's context plus `skrivelse`:

    - `klar`: nothing open stops the decision; `att_göra`: what must be done first;
    - `part`, `område` (the kommun or region without "genom nämnden"), `organ` and
      `Organ` (the body the memo is addressed to, definite form), `organ_känt`;
    - `sammanträde`: that body's decision in `process.beslut`, if any;
      `delegation`: the decision is taken by a delegate (`delegat_vald`: an elected one);
    - `fullmäktige`: "kommunfullmäktige" or "regionfullmäktige"; `lagstadgad`: the
      organisation would perform a statutory insats; `fullmäktige_beslut`: fullmäktige's
      recorded decision or mandate; `till_fullmäktige`: the nämnd proposes the decision
      to fullmäktige; `kommunens_insats`: the insats is a kommun's and no kommun is a
      party (IOP184), so nothing is handed over to fullmäktige; `insatsens_huvudman`:
      whose duty the insats is, in running text;
    - `undertecknare`: the functions that sign (lower case, definite form);
      `förvaltningschef`: a signatory whose title is förvaltningschef or -direktör;
    - `medel`, `medel_per_år`, `medel_summa`, `binder_år` (later years a commitment
      without budgetförbehåll binds); `andra_offentliga`; `näringsidkare`;
      `näringsidkare_öppen`: recipients that may be näringsidkare with no stated
      assessment; `näringsidkare_bedömning`: that assessment (KL 2 kap. 8 §);
    - `eurokurs`: the rate used for the ceilings with `uppskattad`, `källa`;
    - `risker`: open warnings that do not stop the decision, as the matter;
      `undantagna`: warnings assessed in the underlag, with the reason;
    - `ivo_tillstånd`: permits with the areas they cover; `handläggare`;
    - `varningar`: what `render` prints (no addressee, a decision already taken).
    """
    from ...render.pipeline import draft_date, spec_context

    context = spec_context(result, options)
    draft = draft_date(options)
    party = memo_party(context)
    spec = result.spec
    decisions = [d for d in context["process"]["beslut"]
                 if party is not None and d["part"] is party]
    mandate = next((d for d in decisions if "fullmäktige" in d["organ"].lower()), None)
    meeting = next((d for d in decisions if d is not mandate), None)
    delegated = bool(meeting and meeting["delegation"])
    spec_party = next((p for p in spec.parties if party and p.id == party["id"]), None) \
        if spec is not None else None
    organ: str | None = None
    if delegated and meeting:
        organ = meeting["organ"]
    elif spec_party is not None and spec_party.body:
        organ = spec_party.body
    elif meeting:
        organ = meeting["organ"]
    elif party is not None:
        through = re.search(r"\bgenom (.+)$", party["namn"])
        organ = " ".join(through[1].split()) if through else None
    known = organ is not None
    organ = definite(" ".join(organ.split())) if organ else "nämnden"
    # With one public party, its deciding body is who "den offentliga parten" is.
    sole_organ = organ if known and len(context["offentliga_parter"]) == 1 else None

    # Inside or outside the partnership is decided on substance (rules/statutory.py).
    statutory = bool(context["bedömning"]["lagstadgad_insats"])
    # A statutory insats is the kommun's (socialnämnden grants it): a memo for a region
    # or a state agency with no kommun among the parties cannot hand it over (IOP184).
    kommun_party = any(p["typ"] == "kommun" for p in context["offentliga_parter"])
    kommuns_insats = statutory and not kommun_party
    # Whose placements the places serve: the deciding kommun's nämnd, or the kommuner
    # when the public party is a region (IOP184).
    placing = organ if kommun_party else "kommunerna"
    todo, cited = cite_first(with_council_dates(result, with_occupancy(
        result, todo_texts(result, organ), context, placing), fullmaktige(party)))
    if known:
        # The rules say "nämnden"; the memo names the body that decides ("innan
        # regionstyrelsen beslutar").
        todo = [t.replace("innan nämnden beslutar", f"innan {organ} beslutar") for t in todo]
    ready = not todo

    own = [m for m in context["medel"] if party is not None and m["från"] is party]
    per_year = {y: sum(m["per_år"].get(y, 0) for m in own) for y in context["år"]}
    money_years = [y for y in context["år"] if per_year.get(y)]
    # Budgets are per calendar year: with avtalsår that are not calendar years, the
    # commitment binds the calendar years its money falls in after the first
    # (spec/yearly.py, calendar_split: for budgeting only).
    split: dict[int, int] = {}
    if context["kalenderår"] or spec is None:
        budget_years = money_years
    else:
        split = calendar_split(per_year, spec.period.start, spec.period.end)
        budget_years = [y for y in sorted(split) if split[y]]
        split = calendar_split_by_months(per_year, spec.period.start, spec.period.end) or split
    binds = budget_years[1:] if not context["ekonomi"]["budgetförbehåll"] else []

    signers = party["firmatecknare"] if party else []
    functions = [function_definite(s["titel"]) for s in signers if s["titel"]]
    chief = next((s for s in signers if s["titel"] and re.search(
        r"förvaltnings(chef|direktör)", s["titel"], re.IGNORECASE)), None)

    warnings = [f for f in result.findings if f.severity.value == "varning"]
    found = legal_verdict(result)
    blocking = {id(f) for f in found.blocking}
    # The state-aid assessment is contradicted by the underlag (an open IOP116, IOP118
    # or IOP119): the memo's conclusions on state aid and 2 kap. 8 § are conditional.
    aid_open = [f for f in result.findings if f.code in ("IOP116", "IOP118", "IOP119", "IOP187")
                and not f.silenced]
    # Shown under Statsstöd, where the conclusion follows them, not again as risks.
    # Wording hints (IOP104: a procurement word in the text) are for whoever drafts the
    # underlag, in the checklist; they are no matter for the nämnd.
    shown = blocking | {id(f) for f in aid_open} | \
        {id(f) for f in warnings if f.code in DRAFTING_HINTS}
    # Page 1 already says the places must leave the agreement (IOP108/IOP184): when
    # fullmäktige could decide in time (IOP196), and a grant for the running of the
    # insats (IOP198), are no risks beside a blocked decision.
    if any(f.code in STATUTORY_CODES for f in found.blocking):
        shown |= {id(f) for f in warnings if f.code in ("IOP196", "IOP198")}
    open_risks = [risk_text(f, sole_organ) for f in warnings
                  if not f.silenced and id(f) not in shown]
    # A silenced finding is no risk: only a legal sign that an assessment has lifted
    # (IOP.md: "the risk is then described honestly under Risker") is stated, as the
    # assessment it is; a silenced wording or quality finding is not shown. IOP185's
    # assessment stands under Befogenhet.
    assessed = [{"meddelande": risk_text(f, sole_organ), "motivering": f.silence_reason}
                for f in warnings if f.silenced and f.code in BLOCKING_WARNINGS
                and f.code != "IOP185"]

    # Kommunallagen 2 kap. 8 §: the recipients that may be näringsidkare (IOP185), and
    # the officer's stated assessment when the finding is silenced with a motivering.
    business = [f for f in result.findings if f.code == "IOP185"]
    business_open = [spec.parties[f.path[1]].name for f in business
                     if not f.silenced and spec is not None and len(f.path) > 1
                     and isinstance(f.path[1], int)]
    business_assessed = next((f.silence_reason for f in business if f.silenced), None)


    names = proper_names(result.document.text if result.document is not None else "")
    inserted = [m["beskrivning"] for m in own] + [
        r["beskrivning"] for a in context["bedömning"]["stöd_per_mottagare"]
        for r in a["i_natura"]] + [
        r["beskrivning"] for g in context["resurser_per_part"] for r in g["ej_värderade"]] + [
        # An indicator's source follows "(källa: …" inside the goals table (R1 22).
        i["källa"] for m in context["mål"] for i in m["indikatorer"] if i.get("källa")]
    running = {text: in_running_text(text, names) for text in inserted if text}

    # The risks come after Befogenhet (kommunallagen in full) and the skyddat boende
    # section (socialtjänstlagen in full): there the laws are short; a sentence that an
    # earlier risk already said (the consequences of a public contract) is not repeated.
    before = {"kommunallagen"} if party is not None and party["typ"] in ("kommun", "region") \
        else set()
    if "skyddat boende" in context["partnerskap"]["verksamhetsområden"]:
        before.add("socialtjänstlagen")
    said: set[str] = set()

    def unrepeated(text: str) -> str:
        kept = [t for t in _SENTENCE.split(text) if t not in said]
        said.update(kept)
        return " ".join(kept)

    cited_risks, _ = cite_first(open_risks + [str(a["meddelande"]) for a in assessed], before)
    open_risks = [unrepeated(t) for t in cited_risks[:len(open_risks)]]
    for item, text in zip(assessed, cited_risks[len(open_risks):]):
        item["meddelande"] = unrepeated(text)

    officer = context["process"]["handläggare"]
    checks = context["kontroller"]
    skrivelse: dict[str, Any] = {
        "klar": ready,
        "att_göra": todo,
        "servicenivåer": service_levels(context),
        "part": party,
        # The kommun or region whose members the support must serve, without "genom
        # nämnden" (kommunallagen 2 kap. 1 §).
        "område": re.split(r"\s+genom\s+", party["namn"])[0] if party else "",
        "organ": organ,
        "Organ": _capital(organ),
        "organ_känt": known,
        "målgrupp": in_running_text(context["partnerskap"]["målgrupp"], names),
        # Children take part and the target group is placed (R6 13).
        "placerade_barn": bool(context["partnerskap"]["barn"]) and bool(_PLACED.search(
            (context["partnerskap"]["målgrupp"] or "")[:5000])),
        # Spec texts that continue a sentence in the memo, keyed by the text.
        "löptext": running,
        "senare_år": [context["årsetikett"][y] for y in context["år"][1:]],
        "sammanträde": meeting,
        "delegation": delegated,
        "delegat_vald": delegated and any(w in organ.lower()
                                          for w in ELECTED_DELEGATE_WORDS),
        "fullmäktige": fullmaktige(party),
        "lagstadgad": statutory,
        "fullmäktige_beslut": mandate,
        "till_fullmäktige": ready and statutory and mandate is None and not kommuns_insats,
        "kommunens_insats": kommuns_insats,
        # Kommunallagen is cited in full on the first page (what must be done) or in
        # the summary (the decision goes to fullmäktige); later mentions are short.
        "kl_citerad_först": "kommunallagen" in cited,
        "kl_citerad": "kommunallagen" in cited or
        (ready and statutory and mandate is None and not kommuns_insats),
        # Whose duty the statutory insats is, in running text.
        "insatsens_huvudman": "kommunen" if kommuns_insats else
        (re.split(r"\s+genom\s+", party["namn"])[0] if party else "den offentliga parten"),
        "undertecknare": functions,
        "förvaltningschef": chief,
        "medel": own,
        "medel_per_år": per_year,
        "medel_summa": sum(m["summa"] for m in own),
        "binder_år": binds,
        # Avtalsår that are not calendar years: the amount per budget year (R1 25).
        "per_budgetår": {y: split[y] for y in sorted(split) if split[y]},
        # What leaves each budget year, when the payment days say (R4 18).
        "utbetalt_per_budgetår": payments_per_budget_year(
            context, {m["till"]["id"] for m in own if m["till"]}) if split else {},
        "andra_offentliga": [p for p in context["offentliga_parter"] if p is not party],
        "näringsidkare": [p for p in context["idéburna_parter"] if p["typ"] in BUSINESS_TYPES],
        "näringsidkare_öppen": business_open,
        # The förvaltning's reasons for not sharing a "no economic activity" assessment,
        # and the other doubts, said once under Statsstöd (R4 finding 9).
        **_aid_doubts(aid_open, context, sole_organ),
        "näringsidkare_bedömning": business_assessed,
        # That assessment finds no recipient a näringsidkare (R6 12).
        "ingen_näringsidkare": bool(business_assessed and _NO_BUSINESS.search(business_assessed)),
        "eurokurs": context["eurokurs"],
        "risker": open_risks,
        "undantagna": assessed,
        "ivo_tillstånd": _ivo_permits(result),
        "meddelarskydd_gäller": checks["meddelarskydd_gäller"],
        "meddelarskydd_övriga": checks["meddelarskydd_övriga"],
        "handläggare": context["process"]["handläggare"],
        # A title on its own line under the name starts with a capital.
        "handläggare_titel": _capital(officer["titel"]) if officer and officer["titel"]
        else None,
        "jäv": spec.process.conflict_of_interest
        if spec is not None and spec.process is not None else None,
        # The recorded jäv assessment names another body than the one that decides
        # (IOP195): the memo then never says "Jäv har prövats för" this body.
        "jäv_annat_organ": any(f.code == "IOP195" for f in result.findings),
        "finansiering": spec.economy.financing if spec is not None else None,
        # Money over several years with no stated financing (IOP.md, "The decision",
        # Money): a task on page 1, in the officer's words (R4 5).
        "finansiering_öppen": bool(own) and len(context["år"]) > 1 and not (
            spec is not None and spec.economy.financing),
        # The procurement assessment follows the sentence that introduces LOU: the
        # short form, not the full title again (skrivregler; R1 22).
        "upphandling": _LOU_FULL.sub("LOU", context["rättslig_bedömning"]["upphandling"] or ""),
        # A blocking sign of a public contract: the underlag's assessment is quoted as
        # the underlag's, with the förvaltning's reasons for not sharing it (R6 3).
        "upphandling_ifrågasatt": procurement_doubts(
            found.blocking, {f.code for f in result.findings if not f.silenced}, context,
            organ, placing, re.split(r"\s+genom\s+", party["namn"])[0] if party else organ),
    }
    skrivelse["saknas"] = memo_gaps(skrivelse)
    skrivelse["ärendets_risker"] = case_risks(result, context, skrivelse, draft)
    skrivelse["hinder_följder"] = blocked_consequences(
        found.blocking, {f.code for f in result.findings if not f.silenced}, skrivelse,
        list(context["bedömning"]["lagstadgade_områden"]))
    skrivelse["varningar"] = memo_notices(skrivelse, draft)
    context["skrivelse"] = skrivelse
    context["renderingsvarningar"] = list(skrivelse["varningar"])
    return context

