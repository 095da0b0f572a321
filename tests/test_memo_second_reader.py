"""The second reader's findings on the memo, checklist and agreement (issue 20), read
back from the rendered Word files and the CLI output as a kommunjurist would: a
region cannot hand over a kommun's statutory insats, the agreement's Underskrifter agree
with the memo on who decides, support to a possible näringsidkare needs a stated
assessment, an open state-aid finding makes the conclusion conditional, the
beslutspunkter grant all aid, risks read in the officer's voice, payment dates cannot
come before the start or the decision, avtalsår are named as the agreement names them,
and skrivregler hold."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

import memo_specs
from conftest import EXAMPLES, dump, run
from render_helpers import docx_text, norm
from test_tjansteskrivelse import first_page, render_memo, section

DATE = "2026-11-20"


def example(name: str) -> dict:
    return yaml.safe_load((EXAMPLES / f"{name}.yaml").read_text(encoding="utf-8"))


def write(data: dict, tmp_path: Path, name: str) -> Path:
    path = tmp_path / f"{name}.yaml"
    path.write_text(dump(data), encoding="utf-8")
    return path


def region_skyddat_boende(assessed: bool = False) -> dict:
    """The kvinnojour example with a skyddat boende in the partnership: the only public
    party is a region."""
    data = example("kvinnojour")
    data["partnerskap"]["verksamhetsområden"] = ["skyddat boende", "övrigt"]
    data["rättslig_bedömning"]["prövning"] = {"lagstadgad_insats": "ja",
                                              "individuella_beslut": "ja"}
    if assessed:
        data["iopkit_undantag"] = [{"regel": code, "motivering": (
            "Bidraget gäller jourens egen verksamhet; platserna i boendet beslutar och "
            "betalar socialnämnden i respektive kommun.")}
            for code in ("IOP108", "IOP180", "IOP182", "IOP184")]
    return data


def agreement_text(runner, spec: Path, date: str = DATE) -> str:
    result = run(runner, "render", spec, "-d", "avtal", "-f", "docx", "--datum", date,
                 "--force")
    assert result.exit_code == 0, result.output
    return norm(docx_text(spec.with_name(f"{spec.stem}-avtal.docx")))


# 1. A statutory insats where the only public party is a region -----------------------

def test_region_only_statutory_insats_is_a_blocking_warning(runner, tmp_path):
    spec = write(region_skyddat_boende(), tmp_path, "region")
    result = run(runner, "check", spec)
    output = norm(result.output)
    assert "varning IOP184" in output
    assert "en insats som kommunen ansvarar för och som socialnämnden beviljar den " \
           "enskilde genom beslut (socialtjänstlagen (2025:400))" in output
    assert "Den offentliga parten, Region Norrmark, har inte det ansvaret" in output
    assert "Källa: socialtjänstlagen (2025:400); kommunallagen (2017:725)" in output
    # IOP183 (hand over to fullmäktige) does not speak for a region: IOP184 does.
    assert "IOP183" not in output
    _, text, _, _ = render_memo(runner, spec, date=DATE)
    assert "Ärendet är inte klart för beslut" in first_page(text)
    assert "Region Norrmark har inte det ansvaret och kan varken lämna över insatsen " \
           "eller köpa platserna" in first_page(text)


def test_region_only_statutory_insats_memo_never_hands_it_to_regionfullmaktige(
        runner, tmp_path):
    spec = write(region_skyddat_boende(assessed=True), tmp_path, "region")
    _, text, _, _ = render_memo(runner, spec, date=DATE)
    proposal = section(text, "Förslag till beslut", "Beslutet skickas till")
    assert "Hälso- och sjukvårdsnämnden föreslås besluta" in proposal
    assert "fullmäktige" not in proposal
    deciding = section(text, "Vem som beslutar", "Upphandling")
    # R4 15: the point is made once, in the paragraph that follows.
    assert "en insats som socialnämnden i kommunen beviljar den enskilde (se nedan)." in deciding
    assert "kan därför inte lämna över insatsen" not in deciding
    # R1 1: a region can neither hand the insats over nor buy the places.
    assert "det är socialnämnden i den placerande kommunen som beslutar om och betalar " \
           "platserna" in deciding
    assert "kan varken lämna över insatsen eller köpa platserna" in deciding
    assert "upphandling" not in deciding.split("Jäv")[0]
    assert "är en insats som Region Norrmark ska ge enskilda" not in text
    assert "Organisationen informerar socialnämnden i den kommun som har beslutat om insatsen om " \
           "sådana rapporter" in text
    agreement = agreement_text(runner, spec)
    assert "informerar socialnämnden i den kommun som har beviljat insatsen utan dröjsmål " \
           "om rapporter och utredningar enligt lex Sarah" in agreement


def test_region_only_checklist_does_not_send_it_to_fullmaktige(runner, tmp_path):
    spec = write(region_skyddat_boende(), tmp_path, "region")
    result = run(runner, "render", spec, "-d", "checklista", "-f", "docx", "--datum", DATE)
    assert result.exit_code == 0, result.output
    text = norm(docx_text(spec.with_name("region-checklista.docx")))
    assert "Lagstadgad insats utan kommun som part: insatsen beviljas av socialnämnden i " \
           "kommunen" in text
    assert "Pröva om fullmäktige ska besluta" not in text
    assert "organisationen informerar socialnämnden i den kommun som har beslutat om insatsen om " \
           "rapporterna" in text


def test_region_budget_is_regionfullmaktige(runner, tmp_path):
    spec = write(region_skyddat_boende(assessed=True), tmp_path, "region")
    _, text, _, _ = render_memo(runner, spec, date=DATE)
    assert "Regionfullmäktige fastställer budgeten" in text
    assert "kommunfullmäktige" not in text.lower()


# 2. Underskrifter when fullmäktige decides ---------------------------------------------

def test_agreement_says_the_namnd_proposes_and_fullmaktige_approves(runner, tmp_path):
    data = memo_specs.skyddat_boende("ja")
    data["iopkit_undantag"] = [{"regel": code, "motivering": (
        "Platserna köps genom separat upphandling; bidraget gäller stiftelsens egen "
        "verksamhet.")} for code in ("IOP108", "IOP180", "IOP187")]
    spec = write(data, tmp_path, "fullmaktige")
    _, memo, _, _ = render_memo(runner, spec, date="2026-12-01")
    assert "föreslå kommunfullmäktige besluta att godkänna avtalet" in memo
    text = agreement_text(runner, spec, date="2026-12-01")
    signatures = text[text.index("Underskrifter"):]
    assert "Avtalet ska behandlas genom följande beslut" in signatures
    assert "socialnämnden Centrum den 15 december 2026" in signatures
    assert "som föreslår kommunfullmäktige att godkänna avtalet" in signatures
    assert "för Göteborgs kommun godkänns avtalet därför av kommunfullmäktige" in signatures
    assert "Avtalet undertecknas för Göteborgs kommun först när kommunfullmäktige har " \
           "godkänt det." in signatures
    assert "Avtalet ska godkännas" not in signatures
    # Once the nämnd has decided, the agreement is still not the approved text.
    later = agreement_text(runner, spec, date="2026-12-20")
    assert "som har föreslagit kommunfullmäktige att godkänna avtalet" in later
    assert "Avtalet har godkänts" not in later
    assert "UTKAST" in later


def test_agreement_without_statutory_insats_still_says_approved_by_the_namnd(
        runner, tmp_path):
    spec = write(example("paraply"), tmp_path, "paraply")
    text = agreement_text(runner, spec)
    signatures = text[text.index("Underskrifter"):]
    assert "Avtalet ska godkännas av kommunstyrelsen den 2 december 2026" in signatures
    assert "fullmäktige" not in signatures


# 3. Kommunallagen 2 kap. 8 § ----------------------------------------------------------

def test_possible_naringsidkare_blocks_until_assessed(runner, tmp_path):
    data = example("paraply")
    data["iopkit_undantag"] = [e for e in data["iopkit_undantag"] if e["regel"] != "IOP185"]
    spec = write(data, tmp_path, "paraply")
    result = run(runner, "check", spec)
    output = norm(result.output)
    assert "varning IOP185" in output
    assert "Om mottagaren är en näringsidkare avgörs av vad den gör med stödet, inte av " \
           "dess form" in output
    _, text, _, _ = render_memo(runner, spec, date=DATE)
    page = first_page(text)
    assert "Ärendet är inte klart för beslut" in page
    assert "Det behöver bedömas om Cykelköket Strömsby ekonomisk förening tar emot stödet " \
           "som näringsidkare" in page
    assert "godkänna avtalet" not in text
    competence = section(text, "Befogenhet enligt kommunallagen", "Vem som beslutar")
    assert "Det är ännu inte bedömt om" in competence


def test_stated_naringsidkare_assessment_is_quoted(runner, tmp_path):
    spec = write(example("paraply"), tmp_path, "paraply")
    _, text, _, _ = render_memo(runner, spec, date=DATE)
    competence = section(text, "Befogenhet enligt kommunallagen", "Vem som beslutar")
    assert "avgörs av vad den gör i den verksamhet som stödet avser, inte av dess form. " \
           "Förvaltningens bedömning är följande. Stödet avser verksamhet som är öppen och " \
           "avgiftsfri" in competence
    assert "behöver pröva om sådana skäl finns" not in text
    assert "föreslås besluta" in text and "godkänna avtalet" in text


# 4. IOP119 open: the state-aid conclusion follows it -----------------------------------

def test_open_market_finding_makes_the_state_aid_conclusion_conditional(runner, tmp_path):
    data = example("kvinnojour")
    data["rättslig_bedömning"]["prövning"] = {"marknad": "ja"}
    spec = write(data, tmp_path, "marknad")
    _, text, _, _ = render_memo(runner, spec, date=DATE)
    aid = section(text, "Statsstöd", "Personuppgifter")
    # R4 9: the underlag's assessment, which the förvaltning does not simply adopt.
    assert "I underlaget till avtalet har verksamheten bedömts som icke-ekonomisk" in aid
    assert "Förvaltningen kan inte utan vidare dela den bedömningen, eftersom andra erbjuder " \
           "samma verksamhet mot betalning" in aid
    assert "Bedömningen ovan är inte klarlagd" not in aid
    assert "Förvaltningen kan därför inte slutligt bedöma att bidraget inte är statsstöd" in aid
    assert "Förvaltningen bedömer att verksamheten inte är ekonomisk verksamhet" not in text
    competence = section(text, "Befogenhet enligt kommunallagen", "Vem som beslutar")
    assert "den slutsatsen är inte klarlagd" in competence
    assert "2 kap. 8 § inte hindrar stödet" not in competence


# 5. The beslutspunkter grant all aid ---------------------------------------------------

def test_de_minimis_beslutspunkt_covers_money_and_premises(runner, tmp_path):
    spec = write(example("paraply"), tmp_path, "paraply")
    _, text, _, _ = render_memo(runner, spec, date=DATE)
    proposal = section(text, "Förslag till beslut", "Beslutet skickas till")
    assert "att utan kostnad ställa följande till förfogande för Strömsby IF under " \
           "avtalsperioden: idrottsplanen i Norrliden, till ett värde av sammanlagt 360 000 kr " \
           "(120 000 kr per år)" in proposal
    # The kommun uses the fritidslokal for its own mötesplats: not aid.
    assert "fritidslokal" not in proposal
    assert "att allt stöd enligt avtalet, pengar och andra resurser, lämnas som stöd av " \
           "mindre betydelse enligt kommissionens förordning (EU) 2023/2831: 1 410 000 kr " \
           "till Strömsby IF" in proposal
    # The decision is the grant: the notice and the declaration come before the meeting,
    # not as a condition inside the beslutspunkt (second reading 2026-12-02, TS/CL 9).
    assert "under förutsättning att" not in proposal
    aid = section(text, "Statsstöd", "Personuppgifter")
    assert "Före sammanträdet ska därför varje mottagare ha lämnat en skriftlig försäkran" in aid
    # The money points no longer each call themselves de minimis (one point does).
    assert proposal.count("stöd av mindre betydelse enligt") == 1
    notice = agreement_text(runner, spec)
    assert "Strömsby IF: 1 410 000 kr nominellt för hela avtalsperioden, varav bidrag 1 050 000 kr " \
           "och lokaler 360 000 kr" in notice


# 6. Risks in the officer's voice; silenced findings are not risks -----------------------

def test_risks_never_show_a_silenced_wording_finding_or_the_tools_voice(runner, tmp_path):
    spec = write(example("paraply"), tmp_path, "paraply")
    _, text, _, _ = render_memo(runner, spec, date=DATE)
    risks = section(text, "Risker", "Ekonomiska konsekvenser")
    assert "leverantörer" not in risks
    # The case's own risk (R4 13), not a boilerplate sentence.
    assert "vilar på försäkringar som ännu inte har kommit in" in risks
    assert "Förvaltningen ser inga andra risker" not in risks
    # An open wording hint is for the checklist, not a risk for the nämnd.
    data = memo_specs.skyddat_boende("ja")
    data["iopkit_undantag"] = [{"regel": code, "motivering": "Platserna upphandlas för sig."}
                               for code in ("IOP108", "IOP180", "IOP187")]
    # A procurement word in the avgränsning that does not say what lies outside.
    data["partnerskap"]["avgränsning"] = "Nattlogi ordnas genom upphandling."
    spec = write(data, tmp_path, "ordval")
    assert "IOP104" in run(runner, "check", spec).output
    _, text, _, _ = render_memo(runner, spec, date="2026-12-01")
    assert "Texten innehåller" not in section(text, "Risker", "Ekonomiska konsekvenser")
    data = region_skyddat_boende(assessed=True)
    data["rättslig_bedömning"]["prövning"]["tidigare_upphandlad"] = "vet inte"
    spec = write(data, tmp_path, "region")
    _, text, _, _ = render_memo(runner, spec, date=DATE)
    risks = section(text, "Risker", "Ekonomiska konsekvenser")
    assert "Prövningen" not in risks
    assert "Det är inte klarlagt om verksamheten eller en liknande har köpts" in risks
    assert not re.search(r"\b(Förklara|Ta reda|Beskriv|Ta upp)\b", risks), risks
    # The assessed legal signs are stated as assessed, with the officer's reasoning,
    # each consequence once, the laws short after their first mention above.
    assert "Förvaltningens bedömning: Bidraget gäller jourens egen verksamhet" in risks
    assert risks.count("upphandlingsskadeavgift") == 1
    assert "(2017:725)" not in risks and "(2025:400)" not in risks
    assert "Dela upp avtalet" not in risks
    assert "den offentliga partens egen insats" not in risks


# 7. Payment dates ----------------------------------------------------------------------

def test_payment_date_before_the_start_is_a_warning(runner, tmp_path):
    data = example("kvinnojour")
    data["ekonomi"]["utbetalning"] = "Första utbetalningen görs 2027-01-15, sedan halvårsvis."
    spec = write(data, tmp_path, "betalning")
    result = run(runner, "check", spec)
    output = norm(result.output)
    assert re.search(r"betalning\.yaml:\d+:\d+: varning IOP186 ekonomi\.utbetalning", output)
    # The region decides on 27 January 2027: the date is before the decision.
    assert "Utbetalningen ska enligt texten ske 2027-01-15, före den offentliga partens " \
           "beslut om avtalet den 27 januari 2027. Inga medel kan betalas ut innan beslutet " \
           "är fattat" in output
    data["process"]["beslut"][-1].update(datum="2026-12-10", anslaget="2026-12-14")
    output = norm(run(runner, "check", write(data, tmp_path, "tidig")).output)
    assert "Utbetalningen ska enligt texten ske 2027-01-15, före avtalets start den 1 mars " \
           "2027" in output


def test_recurring_payment_date_before_the_decision_is_a_warning(runner, tmp_path):
    data = example("paraply")
    data["process"]["beslut"][-1].update(datum="2027-01-20", anslaget="2027-01-25")
    spec = write(data, tmp_path, "sent")
    output = norm(run(runner, "check", spec).output)
    assert "Utbetalningen ska enligt texten ske den 15 januari 2027, före den offentliga " \
           "partens beslut om avtalet den 20 januari 2027" in output


def test_a_later_decision_on_an_amendment_is_not_the_decision_on_the_agreement(
        runner, tmp_path):
    data = example("paraply")
    data["process"]["beslut"].append({"part": "stromsby", "organ": "kommunstyrelsen",
                                      "datum": "2027-11-30", "paragraf": "§ 170"})
    output = run(runner, "check", write(data, tmp_path, "tillagg")).output
    assert "IOP186" not in output


def test_payment_dates_after_start_and_decision_are_quiet(runner):
    for name in ("paraply", "kvinnojour", "dagverksamhet", "unga-i-stodboende"):
        result = run(runner, "check", "--strict", EXAMPLES / f"{name}.yaml")
        assert "IOP186" not in result.output, name


def test_payment_date_scan_is_linear_and_bounded(runner, tmp_path):
    data = example("kvinnojour")
    # Many recurring dates (before the start: next year's), one impossible date, and
    # one date before the decision at the end.
    data["ekonomi"]["utbetalning"] = "15 januari " * 1500 + "31 februari 2027, 1 februari 2027"
    spec = write(data, tmp_path, "lang")
    result = run(runner, "check", spec)
    assert result.exit_code == 0, result.output
    assert norm(result.output).count("IOP186") == 1  # one finding for the whole text


# 8. Avtalsår as the agreement counts them ---------------------------------------------

def test_memo_names_avtalsar_like_the_agreement(runner, tmp_path):
    spec = write(example("kvinnojour"), tmp_path, "kvinnojour")
    headings, text, rows, _ = render_memo(runner, spec, date=DATE)
    header = next(r for r in rows if r[0] == "Part")
    assert header[1:4] == ["2027/28", "2028/29", "2029/30"]
    assert "värderade i kronor per avtalsår (från den 1 mars)" in text
    assert "1 800 000 kr för avtalsåret 2027/28" in text
    assert "per avtalsår 2027/28–2029/30" in text
    # Budgets are per calendar year: the commitment binds 2028, 2029 and 2030.
    assert "binder budgetarna för 2028, 2029 och 2030" in text
    assert "per kalenderår" not in text


# 9. Skrivregler ------------------------------------------------------------------------

def test_inserted_text_continues_the_sentence_in_lower_case_but_names_keep_capitals(
        runner, tmp_path):
    spec = write(example("paraply"), tmp_path, "paraply")
    _, text, _, _ = render_memo(runner, spec, date=DATE)
    assert "sammanlagt 1 050 000 kr (bidrag till spontanidrotten och fotbollsskolan)" in text
    assert "(Bidrag till" not in text
    assert "avtalsperioden: idrottsplanen i Norrliden" in text
    assert "Cykelköket Strömsby ekonomisk förening (verktyg i cykelverkstaden" in text


def test_laws_are_cited_with_their_sfs_number_at_first_mention(runner, tmp_path):
    specs = [write(example("paraply"), tmp_path, "paraply"),
             write(region_skyddat_boende(), tmp_path, "region")]
    full = {"kommunallagen": "kommunallagen (2017:725)",
            "socialtjänstlagen": "socialtjänstlagen (2025:400)",
            "regeringsformen": "regeringsformen (1974:152)",
            "dataskyddsförordningen": "dataskyddsförordningen (EU) 2016/679"}
    for spec in specs:
        headings, text, _, _ = render_memo(runner, spec, date=DATE)
        body = text
        for heading in headings:  # "Befogenhet enligt kommunallagen" is a heading
            body = body.replace(heading, "", 1)
        for short, cited in full.items():
            if short in body:
                assert body.index(cited) == body.index(short), (spec.stem, short)
        for short in ("kommunallagen", "socialtjänstlagen"):
            # Later mentions are short: the number is given once.
            assert len(re.findall(short + r" \(\d{4}:", body)) <= 1, (spec.stem, short)
