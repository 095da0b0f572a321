"""The memo and checklist after the second reading R1 (issue 20; /work/wt/read/R1-findings.md):
each test renders a case to .docx and reads back what the nämnd or the officer reads."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import EXAMPLES, run
from render_helpers import docx_text, norm, rendered_texts
from test_tjansteskrivelse import first_page, section

FIXTURES = Path(__file__).parent / "data" / "skyddat"
DATE = "2026-12-02"
KINDS = ("checklista", "tjansteskrivelse")


def render(runner, spec: Path) -> dict[str, str]:
    return rendered_texts(runner, spec, KINDS, DATE)


@pytest.fixture(scope="module")
def docs(tmp_path_factory) -> dict[str, dict[str, str]]:
    from typer.testing import CliRunner

    runner = CliRunner()
    directory = tmp_path_factory.mktemp("r1")
    sources = {name: FIXTURES / f"{name}.yaml" for name in ("platser", "delat", "region")}
    sources.update({name: EXAMPLES / f"{name}.yaml" for name in ("paraply", "kvinnojour")})
    out = {}
    for name, source in sources.items():
        spec = directory / f"{name}.yaml"
        shutil.copy(source, spec)
        out[name] = render(runner, spec)
    return out


# 1. A region: its competence covers the organisation's own activity, not the places.

def test_region_memo_does_not_offer_to_procure_places_it_cannot_buy(docs):
    memo = docs["region"]["tjansteskrivelse"]
    page = first_page(memo)
    assert "Avtalet avgränsas till organisationens egen verksamhet. Platserna i det skyddade " \
           "boendet köps av de kommuner vars socialnämnder placerar där" in page
    assert "Om kommunerna ska bli parter behöver platserna ändå tas ut ur bidraget eller " \
           "upphandlas, innan regionstyrelsen beslutar." in page
    assert "eller kommunen bli part" not in memo
    competence = section(memo, "Befogenhet enligt kommunallagen", "Vem som beslutar")
    assert "Förvaltningen bedömer att Region Västerfjäll får stödja organisationens egen " \
           "verksamhet" in competence
    assert "Det är inte visat att det är en angelägenhet för Region Västerfjäll att " \
           "finansiera platser" in competence
    assert "har sådan anknytning och är en angelägenhet" not in competence
    deciding = section(memo, "Vem som beslutar", "Upphandling")
    assert "platserna genom en upphandling" not in deciding
    assert "När ett bidrag finansierar platser för kommunens egna placeringar" not in deciding
    assert "det är socialnämnden i den placerande kommunen som beslutar om och betalar " \
           "platserna" in deciding
    # 8. No double funding with the kommuner's payment for the same places.
    assert "hur det förhåller sig till kommunernas ersättning för placeringarna, så att " \
           "samma kostnad inte finansieras två gånger" in deciding


# 21. Page 1: the signs of a public contract are facts behind the statutory item.

def test_platser_page_one_states_the_signs_once(docs):
    page = first_page(docs["platser"]["tjansteskrivelse"])
    assert page.count("eller så förklarar förvaltningen i upphandlingsbedömningen") == 0
    # R4 9: the signs say what socialnämnden itself does, not what "underlaget" says
    # about "den offentliga parten".
    assert "Socialnämnden placerar eller hänvisar deltagarna genom beslut om enskilda och " \
           "behöver få verksamheten utförd" in page
    assert "Underlaget" not in page and "den offentliga parten" not in page


# 4. The fullmäktige timing is no risk beside a blocked decision.

def test_platser_risks_do_not_say_a_blocking_matter_does_not_stop_the_decision(docs):
    memo = docs["platser"]["tjansteskrivelse"]
    risks = section(memo, "Risker", "Ekonomiska konsekvenser")
    assert "kommunfullmäktige beslutar om avtalet" not in risks
    assert "hindrar inte ett beslut" not in risks


# 5. Bakgrund does not state as fact what the verdict denies.

@pytest.mark.parametrize("name", ["platser", "region"])
def test_blocked_statutory_memo_background_is_conditional(docs, name):
    memo = docs[name]["tjansteskrivelse"]
    background = section(memo, "Bakgrund", "Behov, mål och insatser")
    assert "det är inte betalning för en tjänst som" not in background
    assert "i det här förslaget är det inte uppfyllt för platserna i boendet" in background


def test_delat_background_still_states_the_principle(docs):
    background = section(docs["delat"]["tjansteskrivelse"], "Bakgrund", "Behov, mål och")
    assert "det är inte betalning för en tjänst som" in background


# 14. State aid: before the decision, 2 kap. 8 § on page 1, one recovery sentence.

@pytest.mark.parametrize("name,organ", [("platser", "socialnämnden"),
                                        ("region", "regionstyrelsen")])
def test_state_aid_gap_is_closed_before_the_decision(docs, name, organ):
    memo = docs[name]["tjansteskrivelse"]
    aid = section(memo, "Statsstöd", "Tillstånd och meddelarskydd")
    assert f"Innan {organ} beslutar behöver stödet en sådan grund" in aid
    assert "innan avtalet skrivs under" not in aid
    assert aid.count("med ränta") == 1
    page = first_page(memo)
    assert "eller tas det skyddade boendet" not in memo
    if name == "platser":
        assert f"innan {organ} beslutar behöver den pröva om det finns synnerliga skäl för " \
               "stödet (2 kap. 8 § kommunallagen" in page
        assert "eller så tas det skyddade boendet ut ur avtalet" in page
    else:
        # R3 3, R4 2: a region has no competence to fund the places at all, so page 1
        # offers no synnerliga skäl route for them (KL 2 kap. 1–2 §§).
        assert "synnerliga skäl" not in page
        assert "Det skyddade boendet behöver tas ut ur bidraget, eftersom Region Västerfjäll " \
               "saknar befogenhet att finansiera en insats som kommunerna ska ge enskilda " \
               "(2 kap. 1 och 2 §§ kommunallagen" in page


# 18. Lex Sarah goes to the nämnd that decided the insats.

def test_lex_sarah_names_the_deciding_kommun(docs):
    memo = docs["region"]["tjansteskrivelse"]
    assert "socialnämnden i kommunen om sådana rapporter" not in memo
    assert "informerar socialnämnden i den kommun som har beslutat om insatsen om sådana " \
           "rapporter" in memo


# 2. De minimis: the declaration and the notice are listed for the meeting.

def test_paraply_page_one_lists_the_de_minimis_steps_before_the_meeting(docs):
    page = first_page(docs["paraply"]["tjansteskrivelse"])
    assert "Före sammanträdet ska följande vara gjort" in page
    assert "har lämnat en skriftlig försäkran om annat stöd av mindre betydelse" in page
    assert "med det stödet inräknat" in page
    assert "har fått ett skriftligt besked om stödets belopp" in page
    assert "Visar en försäkran att taket överskrids föreslår förvaltningen inte att avtalet " \
           "godkänns." in page


def test_no_open_prerequisite_no_meeting_list(tmp_path):
    # kvinnojour without the skyddat boende beside the partnership: nothing the law requires
    # before the decision is open (with the boende the meddelarskydd question is, R4 6).
    import yaml
    from typer.testing import CliRunner

    data = yaml.safe_load((EXAMPLES / "kvinnojour.yaml").read_text(encoding="utf-8"))
    del data["parter"][1]["ivo_tillstånd"]
    spec = tmp_path / "utan-boende.yaml"
    spec.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False),
                    encoding="utf-8")
    memo = render(CliRunner(), spec)["tjansteskrivelse"]
    assert "Förvaltningen föreslår att hälso- och sjukvårdsnämnden godkänner avtalet" in memo
    assert "Före sammanträdet ska" not in first_page(memo)


# 15. Whether lag (2017:151) applies changes the text approved: settled before the meeting.

def test_open_whistleblower_question_is_listed_for_the_meeting(docs):
    memo = docs["delat"]["tjansteskrivelse"]
    page = first_page(memo)
    assert "Före sammanträdet ska följande vara gjort" in page
    assert "Det är bedömt om lagen (2017:151) om meddelarskydd i vissa enskilda " \
           "verksamheter gäller för partnerskapets egen verksamhet (socialtjänst)" in page
    # The agreement states the law's conditions: the approved text holds either way (R4 7).
    assert "Avtalsförslaget anger lagens villkor, så det behöver inte ändras om lagen " \
           "gäller." in page
    assert "försäkran" not in page  # no de minimis here
    assert "Det behöver bekräftas innan avtalet skrivs under" not in memo
    assert "Bedömningen redovisas före sammanträdet (se första sidan)" in memo
    assert memo.count("(2017:151)") == 1


def test_whistleblower_conclusion_gives_its_reason(docs):
    # A preliminary assessment with its reason, never a firm "gäller inte" from the area
    # label alone (R4 6).
    memo = docs["kvinnojour"]["tjansteskrivelse"]
    assert "gäller lagen inte enligt underlaget" not in memo
    assert "förvaltningen bedömer därför att lagen inte gäller för den" not in memo
    assert "Förvaltningen bedömer preliminärt att lagen inte gäller för den, eftersom den " \
           "enligt beskrivningen inte hör till något av de områdena." in memo


# 20. The permit in the officer's words, without the checker's plausibility rule.

def test_permit_sentence_has_no_plausibility_note_and_a_running_date(docs):
    for name in ("platser", "region"):
        memo = docs[name]["tjansteskrivelse"]
        assert "kan inte vara beviljat före den 1 april 2024" not in memo
    region = docs["region"]["tjansteskrivelse"]
    assert "Kvinno- och tjejjouren Ljusglimten har sedan den 3 oktober 2024 tillstånd från " \
           "IVO för skyddat boende (dnr 3.5.1-41290/2024)." in region
    assert "beviljat 2024-10-03" not in region


# 13. One later budget year is singular; the fixture's finansiering no longer claims
# future ramar.

def test_one_bound_year_is_singular(docs):
    memo = docs["region"]["tjansteskrivelse"]
    assert "åtagandet binder budgeten för 2028: medlen för det året behöver rymmas i den ram " \
           "som regionfullmäktige ger regionstyrelsen för året." in memo
    assert "budgetarna för 2028" not in memo
    assert "och följande år" not in memo
    platser = docs["platser"]["tjansteskrivelse"]
    assert "binder budgetarna för 2028 och 2029: medlen för de åren" in platser


# 12. De minimis in the checklist: the grantor's decision, not the boards'.

def test_checklist_de_minimis_concerns_the_grantors_decision(docs):
    checklist = docs["paraply"]["checklista"]
    assert "Försäkran och beskedet ska finnas innan kommunstyrelsen beslutar om stödet och " \
           "innan avtalet undertecknas. De idéburna organisationernas egna beslut påverkas " \
           "inte." in checklist
    assert "Beslut finns redan i beskrivningen" not in checklist
    assert "beslutet fattas på nytt" not in checklist  # the boards' decisions of November


# 19 and 23. The checklist does not tick what the memo calls incomplete.

def test_checklist_keeps_procurement_and_screening_open_with_open_signs(docs):
    region = docs["region"]["checklista"]
    assert "☐ Upphandling enligt lagen (2016:1145)" in region
    assert "Bedömningen behöver kompletteras: den bemöter inte tecknet på ett offentligt " \
           "kontrakt som är öppet (IOP184" in region
    platser = docs["platser"]["checklista"]
    assert "☐ Tecken på ett offentligt kontrakt är öppna (IOP108, IOP180)" in platser
    delat = docs["delat"]["checklista"]
    assert "Tecken på ett offentligt kontrakt är öppna" not in delat


def test_checklist_language(docs):
    assert "den ram som regionfullmäktige fastställer" in docs["region"]["checklista"]
    delat = docs["delat"]["checklista"]
    assert "Det följer av upphandlingen, inte av detta avtal. För partnerskapets egen " \
           "verksamhet (socialtjänst) gäller lagen om den uppfyller de tre villkoren" in delat
    assert delat.count("lagen (2017:151) om meddelarskydd i vissa enskilda verksamheter") == 1
    kvinnojour = docs["kvinnojour"]["checklista"]
    assert "finansierar den verksamheten. För partnerskapets egen verksamhet gäller lagen om " \
           "den uppfyller de tre villkoren" in kvinnojour
    assert "(övrigt)" not in kvinnojour


# 16. Children's groups: the duty to report concern, also outside a skyddat boende.

def test_childrens_groups_carry_the_duty_to_report(docs):
    kvinnojour = section(docs["kvinnojour"]["tjansteskrivelse"], "Barnrättsperspektiv",
                         "Förslag till beslut")
    assert "skyldiga att genast anmäla till socialnämnden i den kommun där barnet vistas om " \
           "de får kännedom om eller misstänker att ett barn far illa (socialtjänstlagen " \
           "(2025:400))" in kvinnojour
    delat = section(docs["delat"]["tjansteskrivelse"], "Barnrättsperspektiv",
                    "Förslag till beslut")
    assert "skyldiga att genast anmäla till socialnämnden om de får kännedom" in delat
    # A skyddat boende in the partnership says it once, in its own section.
    platser = section(docs["platser"]["tjansteskrivelse"], "Barnrättsperspektiv",
                      "Förslag till beslut")
    assert "far illa" not in platser


# 9 and 17. Secrecy follows the information from the public side.

def test_memo_states_secrecy_and_consent(docs):
    region = section(docs["kvinnojour"]["tjansteskrivelse"], "Personuppgifter", "Risker")
    assert "sekretess inom hälso- och sjukvården (25 kap. 1 § offentlighets- och " \
           "sekretesslagen (2009:400)), lämnas till organisationen endast med den enskildes " \
           "samtycke eller när det annars följer av lag eller annan författning " \
           "(12 kap. 2 §). Samtycket dokumenteras." in region
    kommun = section(docs["delat"]["tjansteskrivelse"], "Personuppgifter", "Risker")
    assert "socialtjänstsekretess (26 kap. 1 § offentlighets- och sekretesslagen (2009:400))" \
        in kommun
    assert "tystnadsplikt enligt avtalet" in kommun


# 22. Skrivregler: no capital after a colon on a common noun; LOU short after its title.

def test_sources_in_the_goal_table_continue_the_sentence(docs):
    kvinnojour = docs["kvinnojour"]["tjansteskrivelse"]
    assert "(källa: regionens utbildningsregister)" in kvinnojour
    assert "(källa: Regionens" not in kvinnojour
    paraply = docs["paraply"]["tjansteskrivelse"]
    assert "(källa: organisationernas närvarostatistik, utan namn)" in paraply
    # A name keeps its capital.
    assert "(källa: Strömsby kommuns trygghetsmätning)" in paraply


@pytest.mark.parametrize("name", ["kvinnojour", "paraply"])
def test_procurement_assessment_uses_the_short_form(docs, name):
    procurement = section(docs[name]["tjansteskrivelse"], "Upphandling", "Statsstöd")
    assert procurement.count("(2016:1145)") == 1
    assert "offentligt kontrakt enligt LOU" in procurement


# 24. A grant to a trossamfund supports its open activity, not its religious activity.

def test_grant_to_a_trossamfund_is_limited_to_its_open_activity(docs):
    competence = section(docs["paraply"]["tjansteskrivelse"], "Befogenhet enligt kommunallagen",
                         "Vem som beslutar")
    assert "En kommun eller region får stödja ett trossamfunds sociala verksamhet, men inte " \
           "dess religiösa verksamhet. Stödet till Equmeniaförsamlingen i Strömsby (bidrag " \
           "till läxhjälpen i församlingshemmet) förutsätter att verksamheten är öppen för " \
           "alla oavsett tro" in competence
    assert "trossamfund" not in docs["delat"]["tjansteskrivelse"]


# 11. Paraply says how the grants relate to the organisations' earlier grants.

def test_paraply_states_the_relation_to_earlier_grants(docs):
    money = section(docs["paraply"]["tjansteskrivelse"], "Ekonomiska konsekvenser",
                    "Barnrättsperspektiv")
    assert "Bidragen ersätter de projektbidrag som organisationerna tidigare har fått från " \
           "Strömsby kommun för samma verksamhet." in money


# 6. The occupancy target ties the grant to places.

def test_occupancy_target_is_named_in_the_statutory_item(docs):
    page = first_page(docs["platser"]["tjansteskrivelse"])
    # R4 10: a goal indicator is no payment term.
    assert "Målet om beläggning visar att bidraget avser platser för socialnämndens " \
           "placeringar; tas platserna ut utgår också det målet." in page
    assert "i praktiken ersättning" not in page
    assert "beläggning" not in first_page(docs["region"]["tjansteskrivelse"]).lower()


# 25. Avtalsår from 1 March: the amount per budget year.

def test_march_to_february_years_state_the_amount_per_budget_year(docs):
    money = section(docs["kvinnojour"]["tjansteskrivelse"], "Ekonomiska konsekvenser",
                    "Barnrättsperspektiv")
    assert "Avtalsåren följer inte kalenderåren. Fördelat på budgetår efter den tid av varje " \
           "avtalsår som infaller under kalenderåret är beloppen 1 500 000 kr för 2027, " \
           "1 800 000 kr för 2028, 1 800 000 kr för 2029 och 300 000 kr för 2030." in money
    assert "Avtalsåren följer inte" not in docs["paraply"]["tjansteskrivelse"]


def test_split_by_months_falls_back_to_days_for_odd_years():
    import datetime as dt

    from iopkit.spec.yearly import calendar_split_by_months

    assert calendar_split_by_months({2027: 1_200_000}, dt.date(2027, 7, 1),
                                    dt.date(2028, 6, 30)) == {2027: 600_000, 2028: 600_000}
    assert calendar_split_by_months({2027: 1_000}, dt.date(2027, 7, 15),
                                    dt.date(2028, 7, 14)) == {}


# 2. With the optional dates process.försäkran and process.besked the memo states them.

def _paraply_with_dates(tmp_path: Path, declaration: str, notice: str | None) -> Path:
    text = (EXAMPLES / "paraply.yaml").read_text(encoding="utf-8")
    dates = f"  försäkran: {declaration}\n" + (f"  besked: {notice}\n" if notice else "")
    spec = tmp_path / "paraply.yaml"
    spec.write_text(text.replace("\nprocess:\n", "\nprocess:\n" + dates, 1), encoding="utf-8")
    return spec


def test_recorded_de_minimis_dates_are_stated_not_listed(runner, tmp_path):
    spec = _paraply_with_dates(tmp_path, "2026-11-20", "2026-11-25")
    result = run(runner, "check", "--strict", spec)
    assert result.exit_code == 0, result.output
    result = run(runner, "render", spec, "-d", "tjansteskrivelse,checklista", "-f", "docx",
                 "--datum", "2026-11-30")
    assert result.exit_code == 0, result.output
    memo = norm(docx_text(tmp_path / "paraply-tjansteskrivelse.docx"))
    assert "Före sammanträdet ska" not in first_page(memo)
    assert "Den sista försäkran kom in den 20 november 2026, och beskedet lämnades den " \
           "25 november 2026." in memo
    assert "Förvaltningen redovisar vid sammanträdet när" not in memo
    checklist = norm(docx_text(tmp_path / "paraply-checklista.docx"))
    assert "☒ Mottagarens skriftliga försäkran" in checklist
    assert "Kom in den 20 november 2026 (process.försäkran)." in checklist
    assert "Lämnat den 25 november 2026 (process.besked)." in checklist


def test_a_future_or_missing_date_keeps_the_step_open(runner, tmp_path):
    spec = _paraply_with_dates(tmp_path, "2026-11-20", None)
    result = run(runner, "render", spec, "-d", "tjansteskrivelse", "-f", "docx",
                 "--datum", "2026-11-18")
    assert result.exit_code == 0, result.output
    page = first_page(norm(docx_text(tmp_path / "paraply-tjansteskrivelse.docx")))
    assert "har lämnat en skriftlig försäkran" in page
    assert "har fått ett skriftligt besked" in page


@pytest.mark.parametrize("name", ["platser", "delat", "region", "paraply", "kvinnojour"])
def test_memos_carry_no_tool_text(docs, name):
    from test_tjansteskrivelse import assert_no_tool_text

    assert_no_tool_text(docs[name]["tjansteskrivelse"])
    # A heading right after a paragraph stays a heading (a blank line before it).
    assert "#" not in docs[name]["tjansteskrivelse"]


# 10. Opening hours and response times in the organisation's insats are conditions for the
# grant, not performance the public party can demand (HFD 2020 ref. 15: enforceable
# obligations); "öppen mötesplats" is a kind of place, not an opening time.
def test_service_levels_are_conditions_for_the_grant_not_performance(docs):
    procurement = section(docs["kvinnojour"]["tjansteskrivelse"], "Upphandling", "Statsstöd")
    assert ("Öppettiderna och svarstiderna i insats I2 är mål för organisationens egen "
            "verksamhet och villkor för bidraget. Region Norrmark kan inte kräva att de "
            "uppfylls, bara hålla inne utbetalningar och kräva tillbaka medel enligt avtalet"
            ) in procurement
    assert "Öppettiderna" not in docs["paraply"]["tjansteskrivelse"]
    # A blocked matter is not argued for: no such sentence where the places block.
    assert "Öppettiderna" not in docs["platser"]["tjansteskrivelse"]


# R6 16: once the förvaltning has found the boende economic, the memo does not go on to say
# that it "behöver utredas"; above the ceiling de minimis is no way out.
def test_economic_boende_is_not_left_to_be_investigated(docs):
    platser = docs["platser"]["tjansteskrivelse"]
    assert "Stödet till det skyddade boendet är därför statsstöd om inte en annan grund " \
           "gäller. Innan socialnämnden beslutar behöver stödet en sådan grund, till exempel " \
           "kommissionens beslut 2012/21/EU om tjänster av allmänt ekonomiskt intresse med en " \
           "uppdragsakt, eller det skyddade boendet tas ut ur avtalet." in platser
    assert "Det behöver utredas om verksamheten är ekonomisk" not in platser
    region = docs["region"]["tjansteskrivelse"]
    assert "uppdragsakt eller stöd av mindre betydelse under taket, eller det skyddade " \
           "boendet tas ut ur avtalet." in region
