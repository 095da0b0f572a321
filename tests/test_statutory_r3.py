"""The skyddat boende cases after the second readers' findings R3 (agreement) and R4 (memo
and checklist) of 2026-12-02 (docs/granskning/2026-12-02-R3-avtal.md,
2026-12-02-R4-tjansteskrivelse-checklista.md), read back from the rendered Word files.

platser: a kommun's grant funds places for its own placements (blocked, a handover);
region: a region funds places in the kommuner's statutory insats (blocked, no competence);
delat: the places are outside the IOP and bought by reserved procurement (ready)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from conftest import dump, run
from render_helpers import norm, rendered_texts
from test_tjansteskrivelse import first_page, section

FIXTURES = Path(__file__).parent / "data" / "skyddat"
DATE = "2026-12-02"
KINDS = ("avtal", "checklista", "tjansteskrivelse")


@pytest.fixture(scope="module")
def docs(tmp_path_factory) -> dict[str, dict[str, str]]:
    from typer.testing import CliRunner

    runner = CliRunner()
    directory = tmp_path_factory.mktemp("r3")
    out = {}
    for name in ("platser", "region", "delat"):
        spec = directory / f"{name}.yaml"
        shutil.copy(FIXTURES / f"{name}.yaml", spec)
        out[name] = rendered_texts(runner, spec, KINDS, DATE)
    return out


def variant(tmp_path: Path, name: str, change) -> Path:
    data = yaml.safe_load((FIXTURES / f"{name}.yaml").read_text(encoding="utf-8"))
    change(data)
    path = tmp_path / f"{name}-variant.yaml"
    path.write_text(dump(data), encoding="utf-8")
    return path


def check_text(runner, path: Path) -> str:
    return norm(run(runner, "check", path).output)


# --- R3 1 and 3: the agreement does not call a statutory insats a grant to own activity ---

@pytest.mark.parametrize("name", ["platser", "region"])
def test_statutory_insats_is_not_called_the_organisations_own_activity(docs, name):
    agreement = docs[name]["avtal"]
    assert "stöder organisationens egen verksamhet" not in agreement
    assert "bidrag till organisationens egen verksamhet" not in agreement
    background = section(agreement, "Bakgrund", "Gemensam behovsinventering")
    assert "Avtalet omfattar också skyddat boende, en insats som" in background
    economy = section(agreement, "Ekonomi Bidrag.", "Organisation och styrning")
    assert "som bidrag till verksamheten inom partnerskapet enligt § 5, som också omfattar " \
           "verksamheten inom skyddat boende." in economy


def test_handover_in_background_agrees_with_underskrifter(docs):
    # R5 18: the law's term, "vården av en kommunal angelägenhet" (KL 10 kap. 1 §).
    agreement = docs["platser"]["avtal"]
    assert "en insats som Sundviks kommun enligt lag ska ge enskilda och som organisationen " \
           "bedriver; vården av den kommunala angelägenheten lämnas därmed över till " \
           "organisationen (se " \
           "Underskrifter)." in agreement
    assert "När vården av en sådan kommunal angelägenhet lämnas över till en privat utförare " \
           "beslutar kommunfullmäktige" in agreement
    # A region has no such insats to hand over.
    region = docs["region"]["avtal"]
    assert "en insats som kommunerna enligt lag ska ge enskilda" in region
    assert "lämnas därmed över" not in region


def test_split_case_still_supports_own_activity(docs):
    agreement = docs["delat"]["avtal"]
    assert "Den offentliga parten stöder organisationens egen verksamhet och köper inga " \
           "tjänster genom avtalet." in agreement
    assert "som bidrag till organisationens egen verksamhet inom partnerskapet" in agreement
    assert "Avtalet omfattar också" not in agreement


# --- R3 2: the placement-cost rule, and a warning for a grant that runs the boende --------

@pytest.mark.parametrize("name", ["platser", "region"])
def test_placement_costs_rule_can_be_followed(docs, name):
    agreement = docs[name]["avtal"]
    assert "Medlen får inte användas för kostnader som en kommun ersätter" not in agreement
    assert "För verksamheten inom skyddat boende får medlen bara användas för kostnader som " \
           "inte ersätts av en kommun för placeringar eller insatser i verksamheten. " \
           "Organisationen redovisar partnerskapets medel skilt från sådana ersättningar och " \
           "visar i redovisningen vilka kostnader i den verksamheten som medlen har " \
           "finansierat." in agreement


@pytest.mark.parametrize("name,line", [("platser", "resurser[0].beskrivning (rad 99)"),
                                       ("region", "resurser[0].beskrivning (rad 90)")])
def test_grant_for_running_the_boende_is_a_warning_in_the_checklist(docs, name, line):
    checklist = docs[name]["checklista"]
    assert f"IOP198 varning {line} Bidraget ska enligt avtalet gå till driften av det " \
           "skyddade boendet, som ingår i avtalet." in checklist
    assert "Ange ett ändamål för verksamhet utanför placeringarna, till exempel jourtelefon " \
           "och stödsamtal, med en egen budgetrad" in checklist
    # Page 1 already says the places must leave: no risk that "does not stop a decision".
    assert "IOP198" not in docs[name]["tjansteskrivelse"]
    # It is a reason why the förvaltning does not share the procurement assessment (R6 3),
    # never a condition that "does not stop a decision".
    assert "hindrar inte ett beslut" not in docs[name]["tjansteskrivelse"]


def test_no_running_warning_when_the_boende_is_outside(runner, docs, tmp_path):
    assert "IOP198" not in docs["delat"]["checklista"]

    def own_activity(data):
        data["resurser"][0]["beskrivning"] = "Bidrag till jourtelefonen och stödsamtalen"

    assert "IOP198" not in check_text(runner, variant(tmp_path, "region", own_activity))


# --- R3 3, R4 2, R4 3: a region funding places; the checklist's remedies -----------------

def test_region_page_one_offers_no_synnerliga_skal_route(docs):
    memo = docs["region"]["tjansteskrivelse"]
    page = first_page(memo)
    assert "synnerliga skäl" not in page
    assert "Det skyddade boendet behöver tas ut ur bidraget, eftersom Region Västerfjäll " \
           "saknar befogenhet att finansiera en insats som kommunerna ska ge enskilda (2 kap. " \
           "1 och 2 §§ kommunallagen (2017:725)). Statsstödsfrågan bedöms sedan bara för " \
           "organisationens egen verksamhet." in page
    competence = section(memo, "Befogenhet enligt kommunallagen", "Vem som beslutar Beslutet")
    assert "En region får inte ha hand om angelägenheter som enbart en kommun ska ha hand om " \
           "(2 kap. 2 §)" in competence
    assert "Platserna i det skyddade boendet kan regionstyrelsen inte finansiera alls, och " \
           "synnerliga skäl kan inte ändra det (2 kap. 1 och 2 §§)." in competence
    assert "är den ekonomisk behöver regionstyrelsen pröva om det finns synnerliga skäl" \
        not in competence


def test_region_checklist_does_not_offer_the_kommun_as_a_party(docs):
    checklist = docs["region"]["checklista"]
    assert "ta med kommunen som part" not in checklist.lower()
    assert "Avgränsa avtalet till organisationens egen verksamhet; platserna köps av de " \
           "kommuner som placerar där. Blir en kommun part behöver platserna ändå tas ut ur " \
           "bidraget eller upphandlas (IOP184)." in checklist
    assert "platserna köps av de kommuner som placerar där. Blir en kommun part behöver " \
           "platserna ändå tas ut ur bidraget eller upphandlas." in \
           checklist[checklist.index("IOP184 varning"):]


def test_funded_places_have_no_undantag_alternative(docs):
    checklist = docs["platser"]["checklista"]
    item = checklist[checklist.index("IOP108 varning"):checklist.index("IOP188 varning")]
    assert "Ska platserna ändå ingå och bidraget finansiera dem behöver avtalet upphandlas; " \
           "en motivering kan inte ersätta upphandlingen." in item
    assert "iopkit_undantag" not in item


# --- R3 4, R4 11: fullmäktige's decision before the start ----------------------------------

def test_no_planned_council_decision_before_the_start_is_a_warning(docs):
    checklist = docs["platser"]["checklista"]
    assert "IOP196 varning process.beslut[1].datum (rad 171)" in checklist
    assert "Inget beslut av kommunfullmäktige finns i process.beslut: Socialnämnden beslutar " \
           "den 17 december 2026, och kommunfullmäktige först därefter, men avtalet börjar " \
           "den 1 januari 2027." in checklist.replace("`", "")
    # R4 11: the appeal period is prudence, not law.
    assert "Det är klokt att också tiden för laglighetsprövning har gått ut före starten: ett " \
           "beslut får verkställas innan det har vunnit laga kraft (13 kap. 14 § " \
           "kommunallagen)" in checklist
    assert "Flytta avtalets start" not in checklist


def test_council_decision_after_the_first_payment_is_a_warning(runner, tmp_path):
    def late_council(data):
        data["ekonomi"]["utbetalning"] = "Kvartalsvis i förskott, första gången den 15 " \
                                         "januari 2027."
        data["process"]["beslut"].append({"part": "sundvik", "organ": "kommunfullmäktige",
                                          "datum": "2027-01-20"})

    out = check_text(runner, variant(tmp_path, "platser", late_council))
    assert "IOP196" in out
    assert "Kommunfullmäktige beslutar den 20 januari 2027, men avtalet börjar den 1 " \
           "januari 2027 och den första utbetalningen ska ske den 15 januari 2027." in out
    assert "Lägg avtalets start och den första utbetalningen efter fullmäktiges beslut." in out


def test_council_decision_in_time_is_no_warning(runner, tmp_path):
    def in_time(data):
        data["process"]["beslut"].append({"part": "sundvik", "organ": "kommunfullmäktige",
                                          "datum": "2027-02-15"})
        data["avtalsperiod"]["start"] = "2027-04-01"

    assert "IOP196" not in check_text(runner, variant(tmp_path, "platser", in_time))


def test_agreement_never_applies_before_fullmaktiges_decision(docs):
    period = section(docs["platser"]["avtal"], "Avtalstid, förlängning", "Förlängning.")
    assert "Avtalet gäller från och med den 1 januari 2027 till och med den 31 december 2029 " \
           "(tre år). Det gäller dock tidigast från den dag då det har undertecknats av alla " \
           "parter efter kommunfullmäktiges beslut, och inga medel betalas ut före den dagen." \
        in period
    for name in ("region", "delat"):
        assert "efter kommunfullmäktiges beslut" not in docs[name]["avtal"]


def test_memo_names_fullmaktiges_mandate(docs):
    memo = docs["platser"]["tjansteskrivelse"]
    assert "Ska de ingå behöver avtalet upphandlas, och fullmäktige besluta, eller nämnden ha " \
           "fullmäktiges uppdrag för det, eftersom en kommunal angelägenhet då lämnas över" \
        in first_page(memo)
    who = section(memo, "Vem som beslutar", "Upphandling")
    assert "Då beslutar kommunfullmäktige, om inte fullmäktige redan har gett socialnämnden " \
           "uppdrag för det" in who


# --- R3 5: control and insyn for the handed-over insats; the state-aid clause -------------

INSYN = ("För verksamheten inom skyddat boende, som lämnas över till organisationen, har den "
         "offentliga parten dessutom rätt att kontrollera och följa upp verksamheten. "
         "Organisationen lämnar på begäran de uppgifter om verksamheten som den offentliga "
         "parten behöver för det och för att allmänheten ska få insyn i hur verksamheten sköts "
         "(10 kap. 8 och 9 §§ kommunallagen (2017:725)).")


def test_handover_carries_control_and_insyn(docs):
    agreement = docs["platser"]["avtal"]
    accounts = section(agreement, "Räkenskaper och granskning.", "Medel som inte används.")
    assert INSYN in accounts
    assert accounts.rstrip().endswith("Rätten omfattar inte organisationens verksamhet i övrigt.")
    for name in ("region", "delat"):
        assert "10 kap. 8 och 9 §§" not in docs[name]["avtal"]


@pytest.mark.parametrize("ground,clause", [
    ("stöd av mindre betydelse", "Stöd av mindre betydelse. Det stöd som den offentliga "
                                 "parten lämnar till organisationen enligt avtalet är stöd av "
                                 "mindre betydelse"),
    ("SGEI-beslutet", "Uppdrag att tillhandahålla en tjänst av allmänt ekonomiskt intresse. "
                      "Genom detta avtal ger den offentliga parten organisationen i uppdrag")])
def test_handover_agreement_renders_the_state_aid_clause_of_its_ground(runner, tmp_path,
                                                                       ground, clause):
    def grounded(data):
        data["rättslig_bedömning"]["statsstöd_grund"] = ground
        # Under the de minimis ceiling, so that the ground can carry the grant.
        data["resurser"][0]["belopp_per_år"] = 800000

    spec = variant(tmp_path, "platser", grounded)
    agreement = rendered_texts(runner, spec, ("avtal",), DATE)["avtal"]
    assert clause in section(agreement, "Ekonomi Bidrag.", "Organisation och styrning")
    assert INSYN in agreement


# --- R3 15, R4 14: the region party and the controller in its health care -----------------

def test_region_is_named_with_its_body_in_section_one(docs):
    agreement = docs["region"]["avtal"]
    parties = section(agreement, "Parter", "Bakgrund")
    assert "ingås mellan följande parter. Region Västerfjäll genom regionstyrelsen " \
           "Offentlig part (region)" in parties
    assert "Behörigt organ" not in parties
    # R5 7: the party is the region itself, named as the rest of the text names it.
    assert "och Region Västerfjäll den offentliga parten." in parties


def test_checklist_asks_for_the_controller_of_the_regions_health_care(docs):
    checklist = docs["region"]["checklista"]
    assert "☐ Personuppgiftsansvar i hälso- och sjukvården: I2 (regionens kvinnohälsovård " \
           "ger de boende tid för hälsosamtal) hör till Region Västerfjälls hälso- och " \
           "sjukvård. Personuppgiftsansvarig för den behandlingen är normalt den nämnd som " \
           "driver vården, som inte behöver vara regionstyrelsen. Bekräfta vilken nämnd det " \
           "är innan avtalet skrivs under" in checklist
    assert "För behandlingen i Region Västerfjälls hälso- och sjukvård (I2) är den nämnd som " \
           "driver vården normalt personuppgiftsansvarig; vilken nämnd det är bekräftas innan " \
           "avtalet skrivs under." in docs["region"]["tjansteskrivelse"]
    for name in ("platser", "delat"):
        assert "Personuppgiftsansvar i hälso- och sjukvården" not in docs[name]["checklista"]
        assert "den nämnd som driver vården" not in docs[name]["tjansteskrivelse"]


# --- R3 18: deadlines tied to signing ------------------------------------------------------

@pytest.mark.parametrize("name", ["platser", "region"])
def test_closure_plan_and_dpia_before_signing(docs, name):
    agreement = docs[name]["avtal"]
    assert "lämnar planen till den offentliga parten senast den dag då avtalet undertecknas." \
        in agreement
    assert "senast när avtalet börjar gälla" not in agreement
    # R5 5: a requirement by signing; no "or without delay" that undoes it.
    assert "Varje part som är personuppgiftsansvarig för behandlingen ska ha gjort en " \
           "konsekvensbedömning avseende dataskydd enligt artikel 35 i dataskyddsförordningen " \
           "(EU) 2016/679 innan avtalet undertecknas. Den offentliga parten får på begäran ta " \
           "del av organisationens bedömning." in agreement
    assert "Innan behandlingen börjar gör" not in agreement
    # The memo and the checklist give the same deadline as the agreement.
    memo, checklist = docs[name]["tjansteskrivelse"], docs[name]["checklista"]
    assert "En konsekvensbedömning avseende dataskydd (artikel 35 i dataskyddsförordningen " \
           "(EU) 2016/679) ska vara gjord innan avtalet undertecknas, eftersom" in memo
    assert "Den ska vara gjord innan avtalet undertecknas, som avtalet säger. Artikel 35 kräver " \
           "att bedömningen görs innan behandlingen börjar; är boendet redan i drift ska den " \
           "alltså redan finnas." in checklist
    for text in (agreement, memo, checklist):
        assert "utan dröjsmål om den inte redan är gjord" not in text
    assert "innan behandlingen" not in memo


# --- R4 9, R4 10: the officer's voice ------------------------------------------------------

@pytest.mark.parametrize("name", ["platser", "region"])
def test_memo_does_not_disown_its_own_state_aid_conclusion(docs, name):
    memo = docs[name]["tjansteskrivelse"]
    assert "Underlaget anger" not in memo and "Underlaget visar" not in memo
    assert "Bedömningen ovan är inte klarlagd" not in memo
    aid = section(memo, "Statsstöd I underlaget", "Tillstånd och meddelarskydd")
    assert aid.startswith("Statsstöd I underlaget till avtalet har verksamheten bedömts som "
                          "icke-ekonomisk, med följande motivering.")
    assert "Förvaltningen delar inte den bedömningen för det skyddade boendet, eftersom " \
           "skyddat boende är en insats som kommuner köper av utförare med tillstånd, på en " \
           "marknad, och därför ekonomisk verksamhet." in aid
    assert "Förvaltningens bedömning av statsstödsfrågan är följande." not in aid
    assert "den offentliga parten" not in first_page(memo)


def test_platser_page_one_names_socialnamnden_and_the_occupancy_goal(docs):
    page = first_page(docs["platser"]["tjansteskrivelse"])
    assert "Socialnämnden placerar eller hänvisar deltagarna genom beslut om enskilda och " \
           "behöver få verksamheten utförd och skulle ordna den på annat sätt om organisationen " \
           "slutade; det talar också för att avtalet är ett offentligt kontrakt." in page
    assert "Målet om beläggning visar att bidraget avser platser för socialnämndens " \
           "placeringar; tas platserna ut utgår också det målet." in page
    assert "i praktiken ersättning för platser" not in page


# --- R4 15, R4 17: Swedish -------------------------------------------------------------------

@pytest.mark.parametrize("name", ["platser", "region"])
def test_memo_and_checklist_swedish(docs, name):
    memo, checklist = docs[name]["tjansteskrivelse"], docs[name]["checklista"]
    assert "tar organisationen inte emot stödet som näringsidkare" in memo
    assert "emot stödet inte som näringsidkare" not in memo
    assert "Avtalet och verksamheten behöver uppfylla följande." in memo
    assert "behöver därför uppfylla" not in memo
    assert "Det är en insats som kommuner köper av utförare med tillstånd" in checklist
    assert "Det är insatser som" not in checklist + memo
    # R4 17: an IVO permit is strong evidence, not proof.
    assert "Tillståndet är ett starkt belägg för att verksamheten med skyddat boende bedrivs " \
           "yrkesmässigt." in memo
    assert "IVO:s tillstånd är ett starkt belägg för att skyddat boende bedrivs yrkesmässigt" \
        in checklist
    assert "Tillståndet visar" not in memo and "tillstånd visar" not in checklist


def test_region_who_decides_makes_the_point_once(docs):
    who = section(docs["region"]["tjansteskrivelse"], "Vem som beslutar", "Upphandling")
    assert who.count("lämna över insatsen") == 1
    assert "Region Västerfjäll är inte en kommun: det är socialnämnden i den placerande " \
           "kommunen som beslutar om och betalar platserna" in who


def test_no_tool_text_in_the_namnds_documents(docs):
    for name, texts in docs.items():
        for kind in ("avtal", "tjansteskrivelse"):
            for word in ("IOP1", "`", "iopkit", "FYLL I"):
                assert word not in texts[kind], (name, kind, word)


def test_no_controller_question_when_the_health_care_nämnd_decides(runner, tmp_path):
    # Region Norrmark genom hälso- och sjukvårdsnämnden: the body that runs the care is
    # the one that decides, so the checklist asks nothing.
    from conftest import EXAMPLES

    spec = tmp_path / "kvinnojour.yaml"
    shutil.copy(EXAMPLES / "kvinnojour.yaml", spec)
    texts = rendered_texts(runner, spec, ("checklista", "tjansteskrivelse"), DATE)
    assert "Personuppgiftsansvar i hälso- och sjukvården" not in texts["checklista"]
    assert "den nämnd som driver vården" not in texts["tjansteskrivelse"]


# --- R5 (docs: /work/wt/R5-avtal.md, fifth reading of 2026-12-02) -------------------------

@pytest.mark.parametrize("name,huvudman", [("platser", "Sundviks kommun"),
                                           ("region", "kommunerna")])
def test_statutory_exception_is_a_sentence_of_its_own(docs, name, huvudman):
    # R5 2: "och bygger på dess egen plan" no longer attaches to the boende.
    insatser = section(docs[name]["avtal"], "Insatser och åtaganden", "Parternas resurser")
    assert "Organisationens insatser är dess egen verksamhet och bygger på dess egen plan " \
           "för den. Det gäller inte verksamheten inom skyddat boende, som är en insats som " \
           f"{huvudman} enligt lag ska ge enskilda (§ 2). Den part som anges" in insatser
    assert "(§ 2), och bygger" not in insatser


def test_split_case_has_no_statutory_exception(docs):
    insatser = section(docs["delat"]["avtal"], "Insatser och åtaganden", "Parternas resurser")
    assert "Organisationens insatser är dess egen verksamhet och bygger på dess egen plan " \
           "för den. Den part som anges" in insatser
    assert "Det gäller inte" not in insatser


def test_region_has_one_name_and_its_body_where_the_body_acts(docs):
    # R5 7: "Region Västerfjäll" for the party, "regionstyrelsen i Region Västerfjäll" for
    # the body (Swedish practice), never "regionstyrelsen för Region Västerfjäll".
    agreement = docs["region"]["avtal"]
    assert "regionstyrelsen för" not in agreement
    assert "Region Västerfjäll genom regionstyrelsen" not in \
        section(agreement, "Bakgrund", "Underskrifter")
    assert "fattas av varje parts behöriga organ: regionstyrelsen i Region Västerfjäll och " \
           "styrelsen för Kvinno- och tjejjouren Ljusglimten." in agreement
    assert "Om regionstyrelsen i Region Västerfjäll får uppdra åt någon annan" in agreement
    assert "lämnar den till regionstyrelsen i Region Västerfjäll och styrelsen för Kvinno- och " \
           "tjejjouren Ljusglimten." in agreement
    assert "På den offentliga sidan är regionstyrelsen i Region Västerfjäll " \
           "personuppgiftsansvarig." in agreement
    assert "Mottagare och belopp. Region Västerfjäll betalar" in agreement
    # A party whose name already says "genom nämnden" keeps its name and the body alone.
    platser = docs["platser"]["avtal"]
    assert "och Sundviks kommun genom socialnämnden den offentliga parten." in platser
    assert "fattas av varje parts behöriga organ: socialnämnden och styrelsen för " \
           "Kvinnojouren Björken i Sundvik." in platser


def test_handed_over_insats_is_not_run_on_the_organisations_own_responsibility(docs):
    # R5 1: the kommun keeps the responsibility for the insats it hands over and controls
    # it (kommunallagen 10 kap. 8 §); the organisation's other insatser are its own.
    insatser = section(docs["platser"]["avtal"], "Insatser och åtaganden", "Parternas resurser")
    assert "Den part som anges som ansvarig planerar och leder insatsen; den andra parten " \
           "bidrar" in insatser
    assert "Utom verksamheten inom skyddat boende bedriver organisationen sina insatser i " \
           "egen regi och på eget ansvar. För verksamheten inom skyddat boende, som lämnas " \
           "över till organisationen (§ 2), har Sundviks kommun kvar ansvaret för att insatsen " \
           "ges och kontrollerar och följer upp verksamheten enligt § 7." in insatser
    assert "Organisationen bedriver sina insatser i egen regi" not in insatser
    # A region hands nothing over; the split case keeps its own-activity sentences.
    for name in ("region", "delat"):
        text = section(docs[name]["avtal"], "Insatser och åtaganden", "Parternas resurser")
        assert "Organisationen bedriver sina insatser i egen regi och på eget ansvar." in text
        assert "planerar och leder insatsen inom sin egen verksamhet;" in text
        assert "kvar ansvaret" not in text
