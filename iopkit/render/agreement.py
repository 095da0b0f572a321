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
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

from .dates import approving_decisions
from .markdown import Md

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

#: How lag (2017:151) 2 § names the field an activity area belongs to (the clause quotes
#: the law's conditions; it never says that the activity is covered). The law still
#: cites socialtjänstlagen (2001:453); a reference to it applies to socialtjänstlagen
#: (2025:400) since 1 July 2025, so the agreement names the law in force.
_SOL = "bedrivs enligt socialtjänstlagen (2025:400)"
WHISTLEBLOWER_FIELDS = {
    "socialtjänst": _SOL, "skyddat boende": _SOL, "HVB": _SOL, "stödboende": _SOL,
    "hemtjänst": _SOL,
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
    org = "de idéburna organisationerna" if many else "organisationen"
    off = "de offentliga parterna" if many_public else "den offentliga parten"
    return {
        "flera_idéburna": many,
        "flera_offentliga": many_public,
        "org": org,
        "Org": org[0].upper() + org[1:],
        "org_gen": "de idéburna organisationernas" if many else "organisationens",
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
        "Varje_off": "Varje offentlig part" if many_public else "Den offentliga parten",
    }


def deciding_bodies(context: dict[str, Any]) -> list[dict[str, Any]]:
    """Per party, the body that decides on the agreement and its amendments."""
    decided: dict[str, str] = {}
    for decision in context["process"]["beslut"]:
        decided.setdefault(decision["part"]["id"], decision["organ"])
    out = []
    for party in context["parter"]:
        # The party's own `organ` first: a decision in `process.beslut` may be a
        # delegate's or fullmäktige's, not the body that answers for the agreement.
        body = party.get("organ") or decided.get(party["id"])
        through = re.search(r"\bgenom (.+)$", party["namn"]) if party["offentlig"] else None
        if body is None:
            if through:  # "Strömsby kommun genom kommunstyrelsen"
                body = " ".join(through[1].split())
            elif party["typ"] in KL_TYPES:
                body = "ansvarig nämnd"
            elif party["offentlig"]:
                body = "myndighetens ledning"
            else:
                body = "styrelsen"
        # "social resursnämnd", not "social resursnämnd för Göteborgs Stad genom social
        # resursnämnd", when the party's name already names the body.
        named = body.casefold() in party["namn"].casefold()
        out.append({"part": party, "organ": body,
                    "känt": bool(party.get("organ")) or party["id"] in decided
                    or through is not None,
                    "benämning": definite(body) if named
                    else f"{definite(body)} för {party['namn']}"})
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
        (planned if date is not None and date > draft else taken).append(decision)
    return {"fattade": taken, "planerade": planned}


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
    return {
        # Accepts a section name, so the agreement's templates also render from a bare
        # build_context (render_numbered replaces it for each document).
        "paragraf": section_counter({}),
        "avsnitt": section_numbers(context),
        "ord": wording(context),
        "medel": transfers,
        "medel_per_mottagare": money_by_recipient(transfers, context["år"]),
        "medel_summa_period": sum(t["summa"] for t in transfers),
        "medel_per_år": {y: sum(t["per_år"].get(y, 0) for t in transfers)
                         for y in context["år"]},
        "resurser_årsvis": yearly,
        "pengar_summa_period": sum(sum(g["pengar_per_år"].values())
                                   for g in context["resurser_per_part"]),
        "beslutande_organ": bodies,
        "personuppgiftsansvariga": data_controllers(bodies),
        "tystnadsplikt_enligt_lag": [a for a in context["partnerskap"]["verksamhetsområden"]
                                     if a in SOL_LSS_AREAS],
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
        "undertecknande": signing_date(context),
        "beslut_enligt_datum": decisions_by_draft_date(context),
        # Every public party's approving decision before the draft's date: the title
        # page then shows the approved text, not "UTKAST".
        "godkännande_beslut": approving_decisions(context),
        # The page header's marker per document kind: the approved agreement is no
        # longer an "UTKAST".
        "sidhuvud": {"avtal": "AVTAL"} if approving_decisions(context) else {},
        # The later years whose money depends on the public party's budget decision for
        # each year (`ekonomi.budgetförbehåll`): marked wherever their money is shown.
        "förbehållsår": context["år"][1:]
        if context["ekonomi"]["budgetförbehåll"] and transfers else [],
        "meddelarskydd_områden": list(dict.fromkeys(
            WHISTLEBLOWER_FIELDS.get(a, a)
            for a in context["bedömning"]["meddelarskydd_områden"])),
    }
