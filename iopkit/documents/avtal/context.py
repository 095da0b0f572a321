"""Derived values the agreement templates need beyond the spec itself.

`agreement_context(context)` adds to the template context (see `build_context`):

- `avsnitt`: the § number of every section of the agreement, computed before rendering
  so that a clause can refer to a later one ("enligt § 8") and the numbers in the
  headings and in the references always agree. Sections that apply only sometimes
  (meddelarskydd, barn) get a number only when they are rendered; `avsnitt.villkor` holds
  the numbers of the extra clauses.
- `ord`: the words for the parties, singular or plural as the spec decides: with one
  idéburen party "organisationen", with several "de idéburna organisationerna" (never a
  singular that leaves a party out); likewise for the public parties.
- `medel`: the money the public parties give, each sum with its giver and recipient,
  per calendar year and in total (the recipient table of § Ekonomi).
- `beslutande_organ`: per party, the body that decides on the agreement (from
  `process.beslut`, else a generic word: nämnden, styrelsen).
- `undertecknande`: the date the agreement counts as signed in iopkit's terms: the
  latest decision date in `process.beslut` (None without decisions). `iopkit diff` uses
  it for the default date an amendment takes effect.
- on every resource `slag`: the resource type as running text ("ideellt arbete" for the
  spec value `ideell tid`).

Why one module of some 520 lines: every key it adds is derived from the same context
in one pass (`agreement_context`), several are built from others (the deciding bodies
name the data controllers, the money transfers decide whose IVO permit counts for
meddelarskydd, the § numbers depend on which sections apply), and the legal wordings
it chooses between (LEX_SARAH, STATUTORY_SECRECY, WHISTLEBLOWER_FIELDS) are read only
here. The list above is the reference for what the agreement's templates see.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

from ...format import lista
from ...rules.assessment import AREA_NAMES
from ...dates import approving_decisions
from ...writers.markdown import Md

#: The agreement's numbered sections in order (IOP.md, "Sections of the agreement
#: draft"), each with the condition under which it is rendered.
SECTIONS: tuple[str, ...] = (
    "parter", "bakgrund", "behovsinventering", "syfte", "insatser", "resurser", "ekonomi",
    "styrning", "uppföljning", "personuppgifter", "meddelarskydd", "barn", "försäkring",
    "handlingar", "kommunikation", "avtalstid", "ändringar", "överlåtelse", "omförhandling",
)

#: How a resource type from the spec reads in running text.
RESOURCE_WORDS = {"ideell tid": "ideellt arbete"}

#: Activity areas run under socialtjänstlagen or LSS: when run professionally, the
#: staff have a statutory duty of confidentiality (e.g. LSS 29 §); elsewhere the
#: agreement imposes a contractual one (IOP.md, section 11).
SOL_LSS_AREAS = ("socialtjänst", "skyddat boende", "HVB", "stödboende", "hemtjänst", "LSS",
                 "personlig assistans")

#: Activity areas within socialtjänst (socialtjänstlagen (2025:400)).
SOL_AREAS = ("socialtjänst", "skyddat boende", "särskilt boende", "HVB", "stödboende",
             "hemtjänst")

#: How lag (2017:151) 2 § names the field an activity area belongs to (the clause quotes
#: the law's conditions; it never says that the activity is covered). Whether 2 § now
#: cites socialtjänstlagen (2025:400) or still (2001:453), whose references apply to the
#: new law since 1 July 2025, is not verified here (IOP.md: check before citing the SoL
#: number), so the quoted condition names the law without its number.
_SOL = "bedrivs enligt socialtjänstlagen"
WHISTLEBLOWER_FIELDS = {
    "socialtjänst": _SOL, "skyddat boende": _SOL, "särskilt boende": _SOL, "HVB": _SOL,
    "stödboende": _SOL, "hemtjänst": _SOL,
    "LSS": "bedrivs enligt lagen (1993:387) om stöd och service till vissa "
           "funktionshindrade (LSS)",
    "personlig assistans": "utgör personlig assistans som utförs med assistansersättning "
                           "enligt 51 kap. socialförsäkringsbalken",
    "skolväsendet": "tillhör skolväsendet enligt skollagen (2010:800)",
    "hälso- och sjukvård": "utgör hälso- och sjukvård enligt hälso- och sjukvårdslagen "
                           "(2017:30)",
}

#: Public party types that kommunallagen (2017:725) governs.
KL_TYPES = ("kommun", "region")


#: The parts of the context whose texts the agreement prints from the spec: where a
#: short name could be used.
_PRINTED_TEXTS = ("partnerskap", "behovsinventering", "mål", "insatser", "resurser",
                  "ekonomi", "styrning", "uppföljning", "avtalsperiod", "villkor",
                  "bilagor", "parter")


def short_name_used(context: dict[str, Any]) -> bool:
    """Whether the agreement's text uses `partnerskap.kortnamn` beyond § 1: a short name
    is defined only if the text uses it (R3 14). The built-in templates never print it,
    so only the spec's own texts can (an insats, a villkor); names are not searched (a
    party's name that contains it is a clash, § 1)."""
    short = context["partnerskap"]["kortnamn"]
    if not short or not short.strip():
        return False
    pattern = re.compile(r"(?<!\w)" + re.escape(short.strip()) + r"(?!\w)")
    seen: set[int] = set()
    stack: list[Any] = [context.get(key) for key in _PRINTED_TEXTS]
    while stack:  # iterative: the entries refer to each other (goals and insatser)
        value = stack.pop()
        if isinstance(value, str):
            if pattern.search(value):
                return True
        elif isinstance(value, (dict, list)):
            if id(value) in seen:
                continue
            seen.add(id(value))
            if isinstance(value, dict):
                stack.extend(v for k, v in value.items() if k not in ("namn", "kortnamn"))
            else:
                stack.extend(value)
    return False


def section_applies(name: str, context: dict[str, Any]) -> bool:
    if name == "meddelarskydd":
        return bool(context["bedömning"]["meddelarskydd_möjligt"])
    if name == "barn":
        return bool(context["partnerskap"]["barn"])
    return True


def section_numbers(context: dict[str, Any]) -> dict[str, Any]:
    numbers: dict[str, Any] = {}
    count = 0
    for name in SECTIONS:
        if section_applies(name, context):
            count += 1
            numbers[name] = f"§\u00a0{count}"
    numbers["villkor"] = [f"§\u00a0{count + n}" for n in range(1, len(context["villkor"]) + 1)]
    return numbers


def section_counter(record: dict[str, Any]) -> Callable[..., Md]:
    """`paragraf()` in a template: "§ 1", "§ 2" … in rendering order. A built-in
    section passes its name (`paragraf("ekonomi")`) so that the number it got is
    recorded; an extra clause passes "villkor". A user's template may call it bare."""
    count = 0

    def paragraf(name: str | None = None) -> Md:
        nonlocal count
        count += 1
        number = Md(f"§\u00a0{count}")
        if name == "villkor":
            record.setdefault("villkor", []).append(number)
        elif name:
            record[name] = number
        return number

    return paragraf


def render_numbered(render: Callable[[dict[str, Any]], str], context: dict[str, Any]) -> str:
    """Render a document whose text refers to its own §§ (`avsnitt.ekonomi`).

    The numbers are predicted from the sections that apply (`section_numbers`); when a
    user's templates add or remove a section the prediction is wrong, so the document is
    rendered a second time with the numbers the headings actually got."""
    record: dict[str, Any] = {}
    context["paragraf"] = section_counter(record)
    text = render(context)
    predicted = context.get("avsnitt") or {}
    if record and any(predicted.get(k) != v for k, v in record.items()):
        context["avsnitt"] = {**predicted, **record}
        context["paragraf"] = section_counter({})
        text = render(context)
    return text


def wording(context: dict[str, Any]) -> dict[str, Any]:
    """Singular or plural words for the idéburna and the public parties."""
    many = len(context["idéburna_parter"]) > 1
    many_public = len(context["offentliga_parter"]) > 1
    two = len(context["parter"]) == 2
    org = "de idéburna organisationerna" if many else "organisationen"
    off = "de offentliga parterna" if many_public else "den offentliga parten"
    return {
        "flera_idéburna": many,
        "flera_offentliga": many_public,
        "org": org,
        "Org": org[0].upper() + org[1:],
        "org_gen": "de idéburna organisationernas" if many else "organisationens",
        "Org_gen": "De idéburna organisationernas" if many else "Organisationens",
        # Duties that each organisation has for itself.
        # The grants: one to each organisation that receives money.
        "bidraget": "bidragen" if many else "bidraget",
        "Bidraget": "Bidragen" if many else "Bidraget",
        "varje_org": "varje idéburen organisation" if many else "organisationen",
        "Varje_org": "Varje idéburen organisation" if many else "Organisationen",
        "varje_org_gen": "varje idéburen organisations" if many else "organisationens",
        # The organisation that receives money, in a condition for the grant.
        "mottagaren": "varje idéburen organisation som tar emot medel" if many
        else "organisationen",
        "Mottagaren": "Varje idéburen organisation som tar emot medel" if many
        else "Organisationen",
        "off": off,
        "Off": off[0].upper() + off[1:],
        "off_gen": "de offentliga parternas" if many_public else "den offentliga partens",
        "varje_off": "varje offentlig part" if many_public else "den offentliga parten",
        # The public party that paid the money a remedy concerns.
        "betalaren": "den offentliga part som har betalat ut medlen" if many_public
        else "den offentliga parten",
        # The other party or parties: with two parties there is one other.
        "två_parter": two,
        "andra": "den andra parten" if two else "de andra parterna",
        "andras": "den andra partens" if two else "de andra parternas",
        "Varje_off": "Varje offentlig part" if many_public else "Den offentliga parten",
    }


#: The law under which those who carry out tasks in a statutory insats report
#: missförhållanden (lex Sarah); volunteers are not among them.
_SOL_LAW = "socialtjänstlagen (2025:400)"
_LSS_LAW = "lagen (1993:387) om stöd och service till vissa funktionshindrade (LSS)"
LEX_SARAH = {"skyddat boende": _SOL_LAW, "särskilt boende": _SOL_LAW, "HVB": _SOL_LAW,
             "stödboende": _SOL_LAW, "hemtjänst": _SOL_LAW, "LSS": _LSS_LAW,
             "personlig assistans": _LSS_LAW}

#: Statutory tystnadsplikt in enskild verksamhet (IOP.md, section 11), by activity area:
#: the activity it covers and the provision.
# For socialtjänst the activity already names the law: no provision in parentheses.
_SECRECY_SOL = ("insatser enligt socialtjänstlagen (2025:400)", "")
STATUTORY_SECRECY = {
    **{a: _SECRECY_SOL for a in ("socialtjänst", "skyddat boende", "särskilt boende", "HVB",
                                 "stödboende", "hemtjänst")},
    "LSS": ("insatser enligt LSS", "29 § lagen (1993:387) om stöd och service till "
                                   "vissa funktionshindrade (LSS)"),
    "personlig assistans": ("insatser enligt LSS", "29 § lagen (1993:387) om stöd "
                                                   "och service till vissa funktionshindrade "
                                                   "(LSS)"),
    "hälso- och sjukvård": ("hälso- och sjukvård", "6 kap. 12 § "
                                                   "patientsäkerhetslagen (2010:659)"),
    "skolväsendet": ("utbildning med en enskild huvudman inom skolväsendet",
                     "29 kap. 14 § skollagen (2010:800)"),
}


def statutory_secrecy(areas: list[str]) -> list[dict[str, str]]:
    """The statutory tystnadsplikt for the partnership's activity areas, one entry per
    provision: `verksamhet` (what it covers) and `lag`."""
    out: dict[str, dict[str, str]] = {}
    for area in areas:
        if area in STATUTORY_SECRECY:
            activity, law = STATUTORY_SECRECY[area]
            out.setdefault(law, {"verksamhet": activity, "lag": law})
    return list(out.values())


def permit_whistleblower(context: dict[str, Any]) -> list[dict[str, Any]]:
    """The idéburna parties whose IVO-permitted activity lag (2017:151) covers: a permit
    is strong evidence that the activity is professionally run, and the money of the
    agreement funds it in part (IOP.md). Each with the permitted areas."""
    funded = {t["till"]["id"] for t in money_transfers(context) if t["till"] and t["summa"]}
    ivo_areas = context["bedömning"]["ivo_områden"]
    out = []
    for party in context["idéburna_parter"]:
        if not party.get("ivo_tillstånd") or party["id"] not in funded:
            continue
        covered = [a for a in (party.get("ivo_avser") or ivo_areas) if a in ivo_areas]
        if covered:
            out.append({"part": party, "områden": [AREA_NAMES.get(a, a) for a in covered]})
    return out


def deciding_bodies(context: dict[str, Any]) -> list[dict[str, Any]]:
    """Per party, the body that decides on the agreement and its amendments."""
    decided: dict[str, str] = {}
    for decision in context["process"]["beslut"]:
        decided.setdefault(decision["part"]["id"], decision["organ"])
    out = []
    for party in context["parter"]:
        # The party's own `organ` first (FORMAT.md), then the body that decided on the
        # agreement, then what the party's name says.
        body = party.get("organ") or decided.get(party["id"])
        through = re.search(r"\bgenom (.+)$", party["namn"]) if party["offentlig"] else None
        unknown_nämnd = False
        if body is None:
            if through:  # "Strömsby kommun genom kommunstyrelsen"
                body = " ".join(through[1].split())
            elif party["typ"] in KL_TYPES:
                # Never "ansvarig nämnden": the words say which body is meant.
                body = "den nämnd som ansvarar för partnerskapet"
                unknown_nämnd = True
            elif party["offentlig"]:
                body = "myndighetens ledning"
            else:
                body = "styrelsen"
        # "social resursnämnd", not "social resursnämnd för Göteborgs Stad genom social
        # resursnämnd", when the party's name already names the body.
        named = body.casefold() in party["namn"].casefold()
        # A kommun's or region's body is "regionstyrelsen i Region Västerfjäll", as
        # Swedish practice writes it; an organisation's is "styrelsen för föreningen" (R5 7).
        within = "i" if party["offentlig"] and party["typ"] in KL_TYPES else "för"
        if unknown_nämnd:
            naming = f"den nämnd hos {party['namn']} som ansvarar för partnerskapet"
        else:
            naming = definite(body) if named else f"{definite(body)} {within} {party['namn']}"
        out.append({"part": party, "organ": body,
                    "känt": bool(party.get("organ")) or party["id"] in decided
                    or through is not None,
                    "benämning": naming})
    return out


def definite(body: str) -> str:
    """A body's name in the definite form a contract uses ("social resursnämnden" for
    "social resursnämnd"); only the endings where the form is certain are changed."""
    words = body.rstrip()
    if words.endswith("nämnd"):
        return words + "en"
    if words.endswith("styrelse"):
        return words + "n"
    return body


def decisions_by_draft_date(context: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """`process.beslut` split at the draft's date: a decision dated after it is one the
    draft must call planned ("ska godkännas"), never one already taken."""
    draft = context["utkast_datum"]
    taken: list[dict[str, Any]] = []
    planned: list[dict[str, Any]] = []
    for decision in context["process"]["beslut"]:
        decision["organ_bestämd"] = definite(decision["organ"])
        date = decision["datum"]
        # A decision dated on the draft's day is still planned, as on the title page and
        # in the checklist (`approving_decisions`): the draft may predate the meeting.
        (planned if date is not None and date >= draft else taken).append(decision)
    return {"fattade": taken, "planerade": planned}


def statutory_insats(context: dict[str, Any]) -> bool:
    """The organisation would perform a statutory insats for the public party (decided
    on substance in rules/statutory.py: inside the partnership, not excluded by its
    avgränsning)."""
    return bool(context["bedömning"]["lagstadgad_insats"])


def council_must_decide(context: dict[str, Any]) -> list[dict[str, Any]]:
    """The kommuner whose fullmäktige must approve the agreement: a statutory insats is
    handed over (kommunallagen 10 kap. 1 §; IOP.md, "Who decides") and no decision by
    that kommun's fullmäktige is recorded. The memo and § Underskrifter both read this.
    A region or an agency has no such insats to hand over (the kommun's socialnämnd
    grants it; IOP184)."""
    if not statutory_insats(context):
        return []
    return [party for party in context["offentliga_parter"]
            if party["typ"] == "kommun" and not any(
                d["part"] is party and "fullmäktige" in d["organ"].lower()
                for d in context["process"]["beslut"])]


#: The word a text may use for an idéburen party of each type ("föreningen"), which the
#: agreement does not define: § 1 calls the party "organisationen".
_TYPE_WORDS = {"ideell förening": "föreningen", "ekonomisk förening": "föreningen",
               "stiftelse": "stiftelsen"}


def with_defined_term(text: Any, context: dict[str, Any]) -> Any:
    """The parties' own text with "föreningen"/"stiftelsen" (and the genitive) written
    as "organisationen", the term § 1 defines (R5 finding 18): only when one idéburen
    party takes part and no other party is of that kind, so the word can mean no one
    else, and not where it begins a name ("Föreningen Vinternatt")."""
    if not isinstance(text, str) or len(context["idéburna_parter"]) != 1:
        return text
    word = _TYPE_WORDS.get(context["idéburna_parter"][0]["typ"])
    if word is None or sum(_TYPE_WORDS.get(p["typ"]) == word
                           for p in context["parter"]) != 1:
        return text

    def defined(match: re.Match[str]) -> str:
        first, genitive = match[1], match[2]
        return ("O" if first.isupper() else "o") + "rganisationen" + genitive

    out = re.sub(rf"(?<!\w)([{word[0].upper()}{word[0]}]){word[1:]}(s?)(?!\w)(?!\s+[A-ZÅÄÖ])",
                 defined, str(text))
    return Md(out) if isinstance(text, Md) else out


def report_recipients(text: str | None, bodies: list[dict[str, Any]]) -> dict[str, Any]:
    """The bodies the partnership group gives the annual report to, less those the
    parties' own text already names as its recipient ("Gemensam årsrapport till
    hälso- och sjukvårdsnämnden …"): each recipient is stated once (R5 finding 15).
    `namngivna` says whether the text named any, so the rest are "också" recipients."""
    said = " ".join((text or "").split()).casefold()

    def named(body: dict[str, Any]) -> bool:
        names = {body["benämning"], definite(body["organ"])}
        return any(f"till {n.casefold()}" in said for n in names)

    rest = [b["benämning"] for b in bodies if not named(b)]
    return {"övriga": rest, "namngivna": len(rest) < len(bodies)}


def data_controllers(bodies: list[dict[str, Any]]) -> list[str]:
    """The public controllers: in a kommun or region the nämnd, not the kommun itself;
    a state agency is its own controller."""
    out = []
    for body in bodies:
        party = body["part"]
        if not party["offentlig"]:
            continue
        if party["typ"] not in KL_TYPES:
            out.append(party["namn"])
        elif body["känt"]:
            out.append(body["benämning"])
        else:
            out.append(f"den nämnd som ansvarar för partnerskapet hos {party['namn']}")
    return out


def money_transfers(context: dict[str, Any]) -> list[dict[str, Any]]:
    """The money each public party gives, with its recipient (None: not given, which
    the checker reports as an error when there are several idéburna parties)."""
    only = context["idéburna_parter"][0] if len(context["idéburna_parter"]) == 1 else None
    out = []
    for resource in context["resurser"]:
        if not resource["pengar"] or not resource["part"].get("offentlig"):
            continue
        recipient = resource["mottagare"] or only
        per_year = resource["per_år"] or {}
        out.append({
            "från": resource["part"],
            # The same amount in every calendar year of the period (no part year).
            "jämn": len(set(per_year.values())) <= 1,
            "till": recipient,
            "beskrivning": resource["beskrivning"],
            "per_år": resource["per_år"] or {},
            "summa": resource["summa"] or 0,
            "värde": resource["värde"],
        })
    return out


def money_by_recipient(transfers: list[dict[str, Any]], years: list[int]
                       ) -> list[dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for transfer in transfers:
        if transfer["till"] is None:
            continue
        entry = out.setdefault(transfer["till"]["id"], {
            "part": transfer["till"], "per_år": {y: 0 for y in years}, "summa": 0})
        for year, amount in transfer["per_år"].items():
            entry["per_år"][year] = entry["per_år"].get(year, 0) + amount
        entry["summa"] += transfer["summa"]
    return list(out.values())


#: How often money is paid, as `ekonomi.utbetalning` says it: instalments per year and
#: the fraction each is of the year's amount.
_INSTALMENTS = (
    (re.compile(r"\b(månadsvis|varje månad|per månad|en gång i månaden)\b", re.I), 12,
     "en tolftedel"),
    (re.compile(r"\b(kvartalsvis|varje kvartal|per kvartal|en gång i kvartalet)\b", re.I), 4,
     "en fjärdedel"),
    (re.compile(r"\b(halvårsvis|varje halvår|per halvår|två gånger per år)\b", re.I), 2,
     "hälften"),
)


def instalments(context: dict[str, Any], by_recipient: list[dict[str, Any]]
                ) -> list[dict[str, Any]]:
    """Per recipient, the amount of each instalment when `ekonomi.utbetalning` gives the
    interval (kvartalsvis: a quarter of the year's amount); empty when it does not."""
    text = context["ekonomi"]["utbetalning"] or ""
    found = next(((n, share) for pattern, n, share in _INSTALMENTS if pattern.search(text)),
                 None)
    if found is None:
        return []
    count, share = found
    years = context["avtalsår"]
    # A short last avtalsår is not split into the same number of instalments.
    full = [y["år"] for y in years if y["dagar"] >= 365]
    out = []
    for entry in by_recipient:
        per_year = {y: entry["per_år"].get(y, 0) for y in full}
        if not any(per_year.values()):
            continue
        amounts = {y: (a + count // 2) // count for y, a in per_year.items()}
        out.append({
            "part": entry["part"],
            "andel": share,
            "lika": len(set(amounts.values())) == 1,
            "belopp": next(iter(amounts.values())),
            "per_år": amounts,
            "avrundat": any(a % count for a in per_year.values()),
        })
    return out


def report_schedule(text: str | None, years: list[dict[str, Any]]) -> dict[str, Any] | None:
    """When a report is due, from the day its text names ("senast den 31 mars året
    efter"): the first such day after the first avtalsår and after the last one, moved
    to the working day before as § 1 says (the agreement names a working day). None
    when the text names no day."""
    from ...schedule import agreement_due, stated_day

    day_month = stated_day(text)
    if day_month is None or not years:
        return None
    return {"första": agreement_due(day_month, years[0]["slut"]),
            "sista": agreement_due(day_month, years[-1]["slut"]),
            "en_gång": len(years) == 1}


def signing_date(context: dict[str, Any]) -> dt.date | None:
    """The latest decision date in `process.beslut`: the agreement can be signed only
    when every party's competent body has approved it."""
    dates = [d["datum"] for d in context["process"]["beslut"] if d["datum"] is not None]
    return max(dates) if dates else None


def agreement_context(context: dict[str, Any]) -> dict[str, Any]:
    """The keys this module adds (see the module docstring)."""
    for resource in context["resurser"]:
        resource["slag"] = RESOURCE_WORDS.get(resource["typ"], resource["typ"])
    transfers = money_transfers(context)
    bodies = deciding_bodies(context)
    # A year-by-year table when some amount differs between the calendar years (a map
    # of amounts, or a first or last year that the period covers only in part).
    yearly = any(len(set(r["per_år"].values())) > 1
                 for r in context["resurser"] if not r["ej_värderad"])
    by_recipient = money_by_recipient(transfers, context["år"])
    # The partnership's own areas: a statutory activity outside it carries no clauses.
    areas = context["bedömning"]["områden"]
    statutory = context["bedömning"]["lagstadgade_områden"]
    labels = context["årsetikett"]
    reserved = context["år"][1:] if context["ekonomi"]["budgetförbehåll"] and transfers else []
    public_bodies = [b["benämning"] for b in bodies if b["part"]["offentlig"]]
    council = council_must_decide(context)
    handed_over = [p for p in context["offentliga_parter"] if p["typ"] == "kommun"] \
        if statutory_insats(context) else []
    # A nämnd's decision only proposes the agreement to fullmäktige: it is not approved.
    approved = [] if council else approving_decisions(context)
    return {
        # Accepts a section name, so the agreement's templates also render from a bare
        # build_context (render_numbered replaces it for each document).
        "paragraf": section_counter({}),
        "avsnitt": section_numbers(context),
        "ord": wording(context),
        "medel": transfers,
        "medel_per_mottagare": by_recipient,
        "utbetalningar": instalments(context, by_recipient),
        "redovisning_tider": report_schedule(context["ekonomi"]["redovisning"],
                                             context["avtalsår"]),
        "årsrapport_tider": report_schedule(context["uppföljning"]["årsrapport"],
                                            context["avtalsår"]),
        # The parties' texts in § Ekonomi with the defined term for the organisation.
        "ekonomi_text": {key: with_defined_term(context["ekonomi"][key], context)
                         for key in ("andra_bidrag", "utbetalning", "redovisning")},
        "årsrapport_mottagare": report_recipients(context["uppföljning"]["årsrapport"],
                                                  bodies),
        # The public parties' deciding bodies, by name ("socialnämnden Centrum").
        "offentliga_organ": public_bodies,
        "medel_summa_period": sum(t["summa"] for t in transfers),
        "medel_per_år": {y: sum(t["per_år"].get(y, 0) for t in transfers)
                         for y in context["år"]},
        "resurser_årsvis": yearly,
        "pengar_summa_period": sum(sum(g["pengar_per_år"].values())
                                   for g in context["resurser_per_part"]),
        "beslutande_organ": bodies,
        "personuppgiftsansvariga": data_controllers(bodies),
        "tystnadsplikt_enligt_lag": statutory_secrecy(areas),
        # Statutory insatser run by an organisation (IOP.md, "Skyddat boende, särskilt
        # boende and other statutory insatser"): the clauses § Insatser then carries.
        "lagstadgad_verksamhet": [AREA_NAMES.get(a, a) for a in statutory],
        "lex_sarah_lagar": list(dict.fromkeys(
            LEX_SARAH[a] for a in statutory if a in LEX_SARAH)),
        "skyddat_boende": context["bedömning"]["skyddat_boende"],
        # The idéburna parties that run a skyddat boende outside the partnership: the
        # address they give is a postal address, and § 1 says so.
        "skyddat_boende_utanför": [u["part"]["id"] for u in
                                   context["bedömning"]["lagstadgad_utanför"]
                                   if u["typ"] == "skyddat boende"],
        # The duty to report concern about children to socialnämnden, where it follows
        # from socialtjänstlagen: professionally run activity that concerns children or
        # lies within socialtjänst (IOP.md, section 11).
        "orosanmälan_enligt_lag": bool(context["partnerskap"]["barn"]) or
        any(a in SOL_AREAS for a in context["bedömning"]["områden"]),
        "meddelarskydd_tillstånd": permit_whistleblower(context),
        "kortnamn_används": short_name_used(context),
        # Where an SGEI entrustment is served: the public parties' names without
        # "genom nämnden" ("Region Norrmark").
        "offentliga_områden": [re.split(r"\s+genom\s+", p["namn"])[0]
                               for p in context["offentliga_parter"]],
        # An SGEI entrustment makes the organisation's insatser a public-service
        # obligation: the agreement then does not say they cannot be required.
        "sgei_uppdrag": context["rättslig_bedömning"]["statsstöd_grund"] == "SGEI-beslutet",
        # Socialtjänstsekretess (OSL 26 kap. 1 §) is the example only where a kommun
        # takes part: a region's or an agency's secrecy rests on other chapters.
        "kommun_part": any(p["typ"] == "kommun" for p in context["offentliga_parter"]),
        "kl_part": any(p["typ"] in KL_TYPES for p in context["offentliga_parter"]),
        # A region's example of secrecy is hälso- och sjukvårdssekretess (OSL 25 kap. 1 §).
        "region_part": any(p["typ"] == "region" for p in context["offentliga_parter"]),
        "undertecknande": signing_date(context),
        "beslut_enligt_datum": decisions_by_draft_date(context),
        # Every public party's approving decision before the draft's date: the title
        # page then shows the approved text, not "UTKAST".
        "godkännande_beslut": approved,
        # The page header's marker per document kind: the approved agreement is no
        # longer an "UTKAST".
        "sidhuvud": {"avtal": "AVTAL"} if approved else {},
        # The ids of the kommuner whose fullmäktige must approve the agreement (the
        # nämnd's decision is then a proposal to it), with the body's name.
        "fullmäktige_beslutar": {p["id"]: "kommunfullmäktige" for p in council},
        "fullmäktige_område": {p["id"]: re.split(r"\s+genom\s+", p["namn"])[0]
                               for p in council},
        # A statutory insats inside the partnership with a kommun as party is handed over
        # to the organisation (kommunallagen 10 kap. 1 §), whether or not fullmäktige's
        # decision is recorded yet: § 2 says so, and § 7 adds the kommun's control and
        # insyn (10 kap. 8–9 §§; R3 findings 1 and 5).
        "överlämning": handed_over,
        # Who must give the insats: the kommun that is a party, else the kommuner whose
        # socialnämnder grant it (a region has no such duty; IOP184).
        "lagstadgad_huvudman": re.split(r"\s+genom\s+", handed_over[0]["namn"])[0]
        if handed_over else "kommunerna",
        # The later years whose money depends on the public party's budget decision for
        # each year (`ekonomi.budgetförbehåll`): marked wherever their money is shown.
        "förbehållsår": reserved,
        "förbehållsår_text": lista([labels[y] for y in reserved]),
        "meddelarskydd_områden": list(dict.fromkeys(
            WHISTLEBLOWER_FIELDS.get(a, a)
            for a in context["bedömning"]["meddelarskydd_områden"])),
    }
