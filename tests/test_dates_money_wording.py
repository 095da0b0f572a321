"""The second reading of 2026-12-02 (docs/granskning/), dates, de minimis, money and
skrivregler: memo, checklist and agreement rendered with `iopkit render` and read back
from Word. Each spec is the canonical example changed where the finding needs it:
decisions before and after `--datum`, several idéburna parties, avtalsår from 1 March,
de minimis."""

from __future__ import annotations

from pathlib import Path

import memo_specs
from conftest import run
from render_helpers import docx_paragraphs, norm

DOCUMENTS = "avtal,checklista,tjansteskrivelse"


def render(runner, tmp_path: Path, data: dict, name: str, date: str) -> dict[str, str]:
    spec = memo_specs.write(data, tmp_path, name)
    result = run(runner, "render", spec, "-d", DOCUMENTS, "-f", "docx", "--datum", date,
                 "--force")
    assert result.exit_code == 0, result.output
    texts = {}
    for kind in DOCUMENTS.split(","):
        _, paragraphs = docx_paragraphs(tmp_path / f"{name}-{kind}.docx")
        # One line per paragraph, so that a test can pick out the paragraph it reads.
        texts[kind] = "\n".join(norm(p.text) for p in paragraphs)
    texts["utskrift"] = norm(result.output)
    return texts


def paragraph(text: str, start: str) -> str:
    """The paragraph (line of the read-back text) that contains `start`."""
    return next(line for line in text.split("\n") if start in line)


def with_sections() -> dict:
    data = memo_specs.canonical()
    data["process"]["beslut"][0]["paragraf"] = "§ 4"
    data["process"]["beslut"][1]["paragraf"] = "§ 112"
    return data


# Decisions before and after --datum (TS/CL 10, avtal 7 and 8) ---------------------------

def test_a_planned_decision_has_no_paragraf_anywhere(runner, tmp_path):
    texts = render(runner, tmp_path, with_sections(), "planerat", "2026-12-01")
    signatures = texts["avtal"][texts["avtal"].index("Underskrifter"):]
    assert "Avtalet ska godkännas genom följande beslut" in signatures
    assert "socialnämnden Centrum den 15 december 2026 (diarienummer SNC 2026/0418)" \
        in signatures
    assert "§ 112" not in texts["avtal"] and "§ 4" not in signatures
    decision = paragraph(texts["checklista"], "socialnämnden Centrum ska besluta")
    assert "ska besluta den 15 december 2026 (diarienummer" in decision
    assert "§ 112" not in texts["checklista"]
    header = paragraph(texts["tjansteskrivelse"], "Sammanträde:")
    assert "Sammanträde: 2026-12-15 Handläggare:" in header and "§" not in header
    assert "UTKAST" in texts["avtal"][:300]


def test_a_recorded_decision_is_stated_with_its_paragraf(runner, tmp_path):
    texts = render(runner, tmp_path, with_sections(), "fattat", "2026-12-20")
    signatures = texts["avtal"][texts["avtal"].index("Underskrifter"):]
    assert "Avtalet har godkänts genom följande beslut" in signatures
    assert "den 15 december 2026, § 112" in signatures
    assert "UTKAST" not in texts["avtal"]
    decision = paragraph(texts["checklista"], "socialnämnden Centrum beslutade")
    assert "beslutade den 15 december 2026, § 112" in decision
    # The boards decide on a draft: the version signed must be the version approved.
    step = paragraph(texts["checklista"], "Varje part beslutar om avtalet i sitt behöriga organ")
    assert "Ett beslut som redan är fattat ska gälla den version av avtalet som undertecknas" \
        in step
    before = render(runner, tmp_path, with_sections(), "fore", "2026-12-01")["checklista"]
    assert "Ett beslut som redan är fattat" not in before
    # A memo dated after its meeting: the paragraf is known, and render warns.
    assert "beslutet är redan fattat" in texts["utskrift"]


def test_a_meeting_on_the_memos_day_is_still_planned(runner, tmp_path):
    texts = render(runner, tmp_path, with_sections(), "samma", "2026-12-15")
    assert "§ 112" not in paragraph(texts["tjansteskrivelse"], "Sammanträde:")
    assert "ska besluta den 15 december 2026" in texts["checklista"]
    assert "varning IOP200 process.beslut[1].datum: Tjänsteskrivelsen är daterad den " \
           "15 december 2026, samma dag som socialnämnden Centrum sammanträder." \
        in texts["utskrift"]
    assert "redan fattat" not in texts["utskrift"]


def test_the_de_minimis_check_lists_only_decisions_already_taken(runner, tmp_path):
    # Only the public party's decision grants the aid (R1 12): the organisation's board
    # decision of 8 December is not sent back.
    before = render(runner, tmp_path, memo_specs.de_minimis(50_000), "dm", "2026-12-10")
    assert "har redan beslutat" not in before["checklista"]
    assert "De idéburna organisationernas egna beslut påverkas inte." in before["checklista"]
    after = render(runner, tmp_path, memo_specs.de_minimis(50_000), "dm2", "2026-12-16")
    step = paragraph(after["checklista"], "har redan beslutat")
    assert "(den 15 december 2026)" in step and "8 december" not in step


# Days the agreement sets (TS/CL 22, avtal 12) --------------------------------------------

def test_report_days_move_to_the_working_day_before_everywhere(runner, tmp_path):
    texts = render(runner, tmp_path, memo_specs.canonical(), "dagar", "2026-12-01")
    parties = texts["avtal"]
    assert ("En dag för en utbetalning, en sista dag för att lämna något och en dag då "
            "parterna senast ska ha planerat eller tagit ställning till något, som avtalet "
            "anger och som infaller på en lördag, söndag eller helgdag, flyttas i stället "
            "till närmast föregående vardag.") in parties
    assert "sista dag för att lämna något enligt avtalet flyttas till närmast följande" \
        not in parties
    # 31 March 2030 is a Sunday: the agreement names Friday 29 March.
    money = paragraph(texts["avtal"], "Redovisning.")
    assert "sista gången senast den 29 mars 2030" in money
    assert "31 mars 2030" not in texts["avtal"]
    memo = paragraph(texts["tjansteskrivelse"], "Redovisning enligt avtalet:")
    assert "flyttas enligt avtalet till närmast föregående vardag" in memo


def test_one_redovisning_paragraph(runner, tmp_path):
    texts = render(runner, tmp_path, memo_specs.canonical(), "redovisning", "2026-12-01")
    lines = [line for line in texts["avtal"].split("\n") if line.startswith("Redovisning.")]
    assert len(lines) == 1
    assert lines[0].startswith("Redovisning. Ekonomisk redovisning och verksamhetsberättelse "
                               "senast den 31 mars året efter. Organisationen lämnar den "
                               "ekonomiska redovisningen")


# Avtalsår from 1 March (avtal 13, TS/CL 14 and 21) ---------------------------------------

def march_years() -> dict:
    data = memo_specs.canonical()
    data["avtalsperiod"].update(start="2027-03-01", slut="2030-02-28")
    return data


def test_year_after_with_contract_years_is_a_warning(runner, tmp_path):
    spec = memo_specs.write(march_years(), tmp_path, "mars")
    output = norm(run(runner, "check", spec).output)
    assert "varning IOP137 ekonomi.redovisning" in output
    assert ("Avtalsåren börjar den 1 mars, så \"året efter\" kan läsas både som året efter "
            "det år då avtalsåret slutar och som året efter det år då det börjar. För det "
            "första avtalsåret, som slutar 2028-02-29, räknar avtalet med 2028-03-31.") \
        in output
    data = march_years()
    data["ekonomi"]["redovisning"] = ("Ekonomisk redovisning senast den 31 mars närmast "
                                      "efter avtalsårets slut.")
    data["uppföljning"]["årsrapport"] = ("Gemensam årsrapport senast den 30 april närmast "
                                         "efter avtalsårets slut.")
    output = run(runner, "check", memo_specs.write(data, tmp_path, "mars2")).output
    assert "IOP137" not in output


def test_extension_budget_is_the_year_the_extension_begins(runner, tmp_path):
    texts = render(runner, tmp_path, march_years(), "forlangning", "2026-12-01")
    step = paragraph(texts["checklista"], "Omförhandling, förnyelse eller avslut.")
    assert "ta upp frågan i arbetet med budgeten för 2030, då en förlängning börjar" in step
    assert "2031" not in step


def test_start_before_the_appeal_period_ends_is_a_warning(runner, tmp_path):
    data = march_years()
    data["process"]["beslut"][1].update(datum="2027-02-03", anslaget="2027-02-08")
    output = norm(run(runner, "check", memo_specs.write(data, tmp_path, "sent")).output)
    assert ("varning IOP136 process.beslut[1].anslaget: Socialnämnden Centrums beslut den 3 "
            "februari 2027 kan överklagas till och med den 1 mars 2027, men avtalet ska "
            "börja gälla den 1 mars 2027.") in output
    data["process"]["beslut"][1].update(datum="2027-01-27", anslaget="2027-02-01")
    output = run(runner, "check", memo_specs.write(data, tmp_path, "tidig")).output
    assert "IOP136" not in output
    # The memo's risk section states the matter, not the instruction to the editor.
    data["process"]["beslut"][1].update(datum="2027-02-03", anslaget="2027-02-08")
    memo = render(runner, tmp_path, data, "risk", "2027-01-20")["tjansteskrivelse"]
    risks = memo[memo.index("Risker"):]
    assert "innan beslutet har vunnit laga kraft" in risks
    assert "Ändra sammanträdet" not in risks and "IOP136" not in memo


# De minimis (TS/CL 9, avtal 10 and 18) ---------------------------------------------------

def test_de_minimis_notice_and_declaration_come_before_the_meeting(runner, tmp_path):
    texts = render(runner, tmp_path, memo_specs.de_minimis(50_000), "dm", "2026-12-01")
    memo = texts["tjansteskrivelse"]
    proposal = memo[memo.index("Förslag till beslut"):]
    point = paragraph(proposal, "lämnas som stöd av mindre betydelse")
    assert "under förutsättning" not in point
    aid = paragraph(memo, "Stödet beviljas när avtalet undertecknas, och försäkran och "
                          "beskedet ska finnas innan dess.")
    assert "Socialnämnden Centrum behöver försäkran för att kunna pröva stödet mot taket." \
        in aid
    assert "Före sammanträdet ska därför mottagaren ha lämnat en skriftlig försäkran" in aid
    assert "Bruttobidragsekvivalenten är stödets värde diskonterat till dagen för " \
           "beviljandet (artikel 3.6)" in aid
    agreement = texts["avtal"]
    assert "Föreningen Vinternatt: 150 000 kr nominellt för hela avtalsperioden" in agreement
    notice = paragraph(agreement, "Stödets belopp uttryckt som bruttobidragsekvivalent")
    assert "är dess värde diskonterat till dagen för beviljandet (artikel 3.6 i förordningen)" \
        in notice
    assert "Detta avtal upprepar underrättelsen" not in agreement
    assert ("registrerar stödet i det centrala registret inom 20 arbetsdagar från den dag då "
            "det beviljades (artikel 6 i förordningen; 12 a § lagen (2013:388)") in notice
    archive = paragraph(agreement, "bevarar beslutet om avtalet")
    assert ("i tio år från den dag då stödet beviljades, som kommissionens förordning (EU) "
            "2023/2831 kräver") in archive


def test_no_ten_year_archive_without_a_state_aid_ground_that_needs_it(runner, tmp_path):
    texts = render(runner, tmp_path, memo_specs.canonical(), "arkiv", "2026-12-01")
    assert "tio år" not in paragraph(texts["avtal"], "bevarar beslutet om avtalet")


# Money wording (TS/CL 11, 12, 25) ---------------------------------------------------------

def test_unused_funds_in_the_memo_follow_the_agreement(runner, tmp_path):
    repaid = render(runner, tmp_path, memo_specs.canonical(), "ater", "2026-12-01")
    conditions = paragraph(repaid["tjansteskrivelse"], "Bidraget är förenat med villkor")
    assert "Medel som inte har använts under ett år betalas tillbaka." in conditions
    data = memo_specs.multi_party()
    data["ekonomi"]["outnyttjade_medel"] = "får behållas"
    kept = render(runner, tmp_path, data, "behall", "2026-12-01")
    conditions = paragraph(kept["tjansteskrivelse"], "Bidragen är förenade med villkor")
    assert "betalar tillbaka medel som har använts för något annat. Medel som inte har " \
           "använts under ett år får behållas för partnerskapets ändamål under nästa år; " \
           "när avtalet upphör betalas de tillbaka." in conditions
    assert "medel som inte har använts eller som har använts" not in conditions


def test_payment_in_the_memo_names_each_instalment_not_the_table_above(runner, tmp_path):
    data = memo_specs.multi_party()
    data["ekonomi"]["utbetalning"] = ("Halvårsvis i förskott till varje organisation, med "
                                      "hälften av årets belopp enligt tabellen ovan, senast "
                                      "den 15 januari och den 15 juli.")
    memo = render(runner, tmp_path, data, "utbetalning", "2026-12-01")["tjansteskrivelse"]
    payment = paragraph(memo, "Utbetalning enligt avtalet:")
    assert "tabellen ovan" not in memo
    assert "Utbetalning enligt avtalet: halvårsvis i förskott" in payment
    assert "Varje utbetalning till Föreningen Vinternatt är 1 200 000 kr; varje utbetalning " \
           "till Föreningen Kvarteret är 300 000 kr." in payment
    # Three years in a row: "a, b och c" (skrivregler), not "a, b, c".
    assert "lämnar bidrag med 3 000 000 kr för 2027, 3 000 000 kr för 2028 och 3 000 000 kr " \
           "för 2029, sammanlagt 9 000 000 kr" in memo
    budget = paragraph(memo, "fastställer budgeten för varje år")
    assert "inom den ram som kommunfullmäktige har gett nämnden." in budget


def test_hours_are_volunteer_hours_or_staff_hours(runner, tmp_path):
    data = memo_specs.canonical()
    data["resurser"].append({"part": "vinternatt", "typ": "personal",
                             "beskrivning": "Samordnare på halvtid", "timmar_per_år": 880,
                             "värde_per_år": 250000})
    checklist = render(runner, tmp_path, data, "timmar", "2026-12-01")["checklista"]
    resources = paragraph(checklist, "Egna resurser från den idéburna parten")
    assert "Ideellt arbete omfattar 3 000 timmar per år. Personal omfattar 880 timmar per år." \
        in resources


# Law and skrivregler (TS/CL 18, 20, 24) ---------------------------------------------------

def test_kl_2_1_quoted_as_the_law_reads(runner, tmp_path):
    texts = render(runner, tmp_path, memo_specs.canonical(), "kl", "2026-12-01")
    assert ("Stödet ska avse en angelägenhet av allmänt intresse som har anknytning till "
            "kommunens område eller dess medlemmar (2 kap. 1 § kommunallagen") \
        in texts["tjansteskrivelse"]
    assert "och dess medlemmar" not in texts["tjansteskrivelse"]
    assert "har anknytning till kommunens område eller dess medlemmar (2 kap. 1 §)" \
        in texts["checklista"]


def test_jav_not_taking_part_nor_present_and_plural_parties(runner, tmp_path):
    data = memo_specs.multi_party()
    data["process"].pop("jäv")
    data["partnerskap"]["barn"] = True
    texts = render(runner, tmp_path, data, "jav", "2026-12-01")
    memo = texts["tjansteskrivelse"]
    assert ("eller vars opartiskhet annars kan ifrågasättas, deltar inte i och är inte "
            "närvarande vid handläggningen av ärendet (6 kap. 28–32 §§ kommunallagen)") in memo
    for text in (memo, texts["checklista"]):
        if "2013:852" in text:
            assert "de idéburna organisationerna ber den som ska arbeta med barn" in text
            assert "organisationen ber den som ska" not in text


def test_officers_title_in_lower_case_and_taken_from_the_contact(runner, tmp_path):
    data = memo_specs.canonical()
    data["process"]["handläggare"].pop("titel")
    memo = render(runner, tmp_path, data, "titel", "2026-12-01")["tjansteskrivelse"]
    assert "Handläggare: Karin Ek, enhetschef, enheten för social mobilisering" in memo
    # The signature keeps the title on its own line, with a capital.
    assert "Karin Ek Enhetschef, Enheten för social mobilisering" in memo


def test_one_conclusion_after_an_assessment_that_already_concludes(runner, tmp_path):
    data = memo_specs.canonical()
    data["rättslig_bedömning"]["upphandling"] += (" Avtalet är därför inte ett offentligt "
                                                  "kontrakt.")
    memo = render(runner, tmp_path, data, "slutsats", "2026-12-01")["tjansteskrivelse"]
    assert "Förvaltningen bedömer därför att avtalet inte är ett offentligt kontrakt" not in memo
    assert "Förvaltningen bedömer att verksamheten inte är ekonomisk verksamhet" not in memo


def test_processors_in_the_plural_with_several_organisations(runner, tmp_path):
    data = memo_specs.multi_party()
    data["personuppgifter"]["ansvar"] = "biträde"
    texts = render(runner, tmp_path, data, "bitrade", "2026-12-01")
    assert "De idéburna organisationerna är personuppgiftsbiträden åt" \
        in texts["tjansteskrivelse"]
    assert "de idéburna organisationerna är personuppgiftsbiträden; ett " \
           "personuppgiftsbiträdesavtal" in texts["checklista"]
    assert "organisationen är personuppgiftsbiträde" not in texts["checklista"]


def test_whistleblower_heading_without_a_permit_and_no_area_in_brackets(runner, tmp_path):
    memo = render(runner, tmp_path, memo_specs.canonical(), "meddelarskydd",
                  "2026-12-01")["tjansteskrivelse"]
    headings = memo.split("\n")
    assert "Meddelarskydd" in headings and "Tillstånd och meddelarskydd" not in headings
    assert "gäller om partnerskapets verksamhet bedrivs yrkesmässigt" in memo
    assert "om verksamheten (socialtjänst)" not in memo


def test_de_minimis_with_budget_reservation_is_granted_year_by_year(runner, tmp_path):
    data = memo_specs.de_minimis(50_000)
    data["ekonomi"]["budgetförbehåll"] = True
    memo = render(runner, tmp_path, data, "forbehall", "2026-12-01")["tjansteskrivelse"]
    aid = paragraph(memo, "behöver försäkran för att kunna pröva stödet mot taket")
    assert aid.startswith("Stödet för det första året beviljas när avtalet undertecknas och "
                          "stödet för varje senare år när socialnämnden Centrum beslutar om "
                          "sin budget för året, inom den ram som fullmäktiges budget ger, som "
                          "avtalet säger; försäkran och beskedet ska finnas innan stödet "
                          "beviljas, för varje senare år alltså före det budgetbeslutet.")


def test_memo_lists_steering_documents_and_underlag_one_per_line(runner, tmp_path):
    data = memo_specs.canonical()
    data["partnerskap"]["styrdokument"] = ["Göteborgs Stads program för en jämlik stad",
                                           "Kommunfullmäktiges mål för 2027, del två"]
    data["behovsinventering"]["underlag"] = ["Enkät till hushållen, hösten 2026",
                                             "Besöksstatistik 2023–2025"]
    memo = render(runner, tmp_path, data, "listor", "2026-12-01")["tjansteskrivelse"]
    lines = memo.split("\n")
    assert "Partnerskapet bidrar till följande styrdokument:" in lines
    assert "Kommunfullmäktiges mål för 2027, del två" in lines
    assert "Underlaget för inventeringen:" in lines
    assert "Enkät till hushållen, hösten 2026" in lines
    assert "Metoden beskrivs så här" not in memo and "Underlaget var" not in memo
    assert "Partnerskapets syfte är formulerat så här" not in memo
    assert "Syftet med partnerskapet är enligt avtalet att tillsammans minska" in memo
