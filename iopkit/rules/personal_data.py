"""Personal data: who is responsible, and the processor agreement GDPR requires.

Heuristic for IOP151: when the spec has no `personuppgifter` section, the texts (all of
them except `rättslig_bedömning`, `iopkit_undantag` and the parties' names, addresses
and contacts) are searched for words that suggest personal data about individuals is
processed: case work with individuals, journals and social documentation, registers or
lists of participants, personnummer, health data (settings.personal_data_words). A user who has considered the question
answers it with `personuppgifter: {behandlas: nej}` or a full section.

Heuristic for IOP198: an insats for which a public party is responsible and whose text
brings the organisation's volunteers (a mentor, a stödperson) into the public party's own
work about an individual (the plan, a placement, an utredning, an ärende). The nämnd then
shares data under its secrecy with the organisation, which needs the individual's consent
(IOP.md section 11; R3 6). An insats that itself speaks of consent ("samtycke") is left
alone.
"""

from __future__ import annotations

import re
from typing import Iterable

from ..spec.findings import Severity
from ..spec.model import Spec
from .registry import Hit, RuleContext, rule, word_pattern
from .sources import CHILD_RIGHTS, GDPR, OSL_CONSENT, REGISTER_CHECK, cite

#: The organisation's volunteers, as an insats names them: the person, not a compound
#: such as "mentorsprogrammet".
_VOLUNTEER = re.compile(
    r"\b(?:mentor|volontär|stödperson|fadder)(?:n|en|er|erna|ns|ens|ers|ernas)?\b|"
    r"\bideell(?:a|t)?\s+(?:ledare|ledarna|arbetande)\b", re.IGNORECASE)
#: The public party's own work about an individual (socialtjänst case work).
CASEWORK_WORDS = ("planen för", "plan för", "genomförandeplan", "vårdplan", "handlingsplan",
                  "placering", "utredning", "bistånd", "ärende", "journal",
                  "social dokumentation")
#: The insats already speaks of consent.
_CONSENT = re.compile(r"samtyck", re.IGNORECASE)


@rule(code="IOP150", severity=Severity.WARNING,
      title="Personuppgiftsbiträdesavtal saknas",
      trigger=("`personuppgifter.ansvar` är `biträde` och inget personuppgiftsbiträdesavtal "
               "står under `bilagor`"),
      source=f"{GDPR}, art. 28.3")
def processor_agreement(ctx: RuleContext) -> Iterable[Hit]:
    data = ctx.spec.personal_data
    if data is None or data.responsibility != "biträde":
        return
    pattern = word_pattern(ctx.settings.processor_agreement_words)
    if any(pattern.search(appendix) for appendix in ctx.spec.appendices):
        return
    yield Hit(("personuppgifter", "ansvar"), (
        "Organisationen behandlar personuppgifter för den offentliga partens räkning "
        "(`ansvar: biträde`). Då ska parterna teckna ett personuppgiftsbiträdesavtal. Bifoga "
        "det och lägg till det under `bilagor`, till exempel "
        "`- Personuppgiftsbiträdesavtal`."))


@rule(code="IOP151", severity=Severity.WARNING,
      title="Personuppgifter utan avsnitt",
      trigger=("`personuppgifter` saknas men en text talar om uppgifter om enskilda "
               "(till exempel \"journal\", \"personnummer\", \"deltagarlista\", "
               "\"individuell\")"),
      source=f"{GDPR}, art. 5, 24 och 28")
def personal_data_unaddressed(ctx: RuleContext) -> Iterable[Hit]:
    if ctx.spec.personal_data is not None:
        return
    pattern = word_pattern(ctx.settings.personal_data_words)
    for path, word, line, column in ctx.find_words(pattern):
        if path[:1] == ("parter",) and path[2:3] != ("verksamhetsidé",):
            continue  # names, addresses and contacts of the parties say nothing here
        yield Hit(path, (
            f"Texten nämner \"{word}\", vilket tyder på att personuppgifter om enskilda "
            "behandlas, men avsnittet `personuppgifter` saknas. Lägg till `personuppgifter` "
            "med `behandlas: ja` och `ansvar` (`var för sig`, `gemensamt` eller `biträde`), eller "
            "`behandlas: nej` om inga personuppgifter behandlas."), line, column)
        return  # one finding is enough: the fix is one section


@rule(code="IOP152", severity=Severity.WARNING,
      title="Personuppgiftsansvar saknas",
      trigger="`personuppgifter.behandlas` är `ja` men `personuppgifter.ansvar` saknas",
      source=f"{GDPR}, art. 24, 26 och 28")
def responsibility_missing(ctx: RuleContext) -> Iterable[Hit]:
    data = ctx.spec.personal_data
    if data is not None and data.processed and data.responsibility is None:
        yield Hit(("personuppgifter", "behandlas"), (
            "Det står inte vem som är personuppgiftsansvarig. Lägg till "
            "`personuppgifter.ansvar`: `var för sig` om varje part ansvarar för sin egen "
            "behandling, `gemensamt` om parterna gemensamt bestämmer ändamål och medel "
            "(ett arrangemang enligt artikel 26 bifogas), eller `biträde` om organisationen "
            "behandlar uppgifterna för den offentliga partens räkning."))


@rule(code="IOP153", severity=Severity.WARNING,
      title="Barn deltar men personuppgifter saknas",
      trigger="`partnerskap.barn` är `ja` och avsnittet `personuppgifter` saknas",
      source=f"{GDPR}, art. 5, 24 och 35; {CHILD_RIGHTS}; {REGISTER_CHECK}")
def children_without_personal_data(ctx: RuleContext) -> Iterable[Hit]:
    if ctx.spec.partnership.children and ctx.spec.personal_data is None:
        yield Hit(("partnerskap", "barn"), (
            "Barn deltar i verksamheten, men avsnittet `personuppgifter` saknas. Uppgifter "
            "om barn kräver särskild omsorg, och registerkontroll av dem som arbetar med barn "
            "rör uppgifter om lagöverträdelser (dataskyddsförordningen artikel 10). Lägg till "
            "`personuppgifter` med `behandlas` och `ansvar`."))


#: Words that place an insats in a region's own hälso- och sjukvård.
_HEALTH_CARE = re.compile(r"sjukvård|hälsovård|vårdcentral|mottagning|psykiatri",
                          re.IGNORECASE)
#: A deciding body that runs the region's health care ("hälso- och sjukvårdsnämnden").
_HEALTH_BODY = re.compile(r"sjukvårds\w*nämnd|hälso\w*nämnd|vårdnämnd", re.IGNORECASE)


def region_health_care(spec: Spec) -> list[str]:
    """The insatser (ids) a region performs in its own hälso- och sjukvård, when the
    region decides through another body than its health-care nämnd. The controller for
    that processing is normally the nämnd that runs the care, which the spec does not
    name (IOP.md § 11; R3 finding 15, R4 finding 14): the checklist and the memo ask,
    they do not guess a name."""
    out = []
    for activity in spec.activities:
        party = spec.party(activity.responsible)
        if party is None or party.type != "region":
            continue
        if _HEALTH_BODY.search(f"{party.body or ''} {party.name}"):
            continue
        if _HEALTH_CARE.search(activity.description or ""):
            out.append(activity.id)
    return out


@rule(code="IOP199", severity=Severity.WARNING,
      title="Organisationen i den offentliga partens arbete med enskilda utan samtycke",
      trigger=("en insats som en offentlig part ansvarar för nämner någon från organisationen "
               "(till exempel \"mentor\", \"stödperson\") och den offentliga partens arbete "
               "med den enskilda (till exempel \"planen för\", \"placering\", "
               "\"utredning\"), men inte samtycke"),
      source=cite(OSL_CONSENT, GDPR))
def volunteers_in_casework(ctx: RuleContext) -> Iterable[Hit]:
    spec = ctx.spec
    if spec.personal_data is not None and spec.personal_data.processed is False:
        return
    casework = word_pattern(CASEWORK_WORDS)
    for index, activity in enumerate(spec.activities):
        party = spec.party(activity.responsible)
        if party is None or not party.is_public:
            continue
        text = activity.description
        volunteer = _VOLUNTEER.search(text)
        work = casework.search(text)
        if volunteer is None or work is None or _CONSENT.search(text):
            continue
        path = ("insatser", index, "beskrivning")
        line, column = ctx.locate(path, re.compile(re.escape(volunteer.group(0)) + r"\b"))
        used = " ".join(work.group(0).split())
        yield Hit(path, (
            f"Insats {activity.id} har {party.name} som ansvarig part, och enligt "
            f"beskrivningen deltar någon från organisationen (\"{volunteer.group(0)}\") i "
            f"den offentliga partens arbete med den enskilda (\"{used}\"). Uppgifter om "
            "enskilda som omfattas av sekretess hos den offentliga parten, till exempel "
            "socialtjänstsekretess (26 kap. 1 § offentlighets- och sekretesslagen "
            "(2009:400)), får lämnas till organisationen bara med den enskildes samtycke "
            "eller när det annars följer av lag eller annan författning (12 kap. 2 §; för "
            "barn 12 kap. 3 §). Skriv i insatsen att organisationens företrädare deltar bara "
            "om den enskilda vill det och har samtyckt till att uppgifter lämnas till "
            "organisationen, eller begränsa den offentliga partens del till att presentera "
            "verksamheten. Kontrollera också att `partnerskap.avgränsning` stämmer med "
            "insatsen."), line, column)
