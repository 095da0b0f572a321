"""The agreement, memo and checklist after the second reading R3/R4 of 2026-12-02
(issues 20 and 21; docs/granskning/2026-12-02-R3-avtal.md and -R4-…): each test renders a
case to .docx and reads back what the kommunjurist, the nämnd or the officer reads."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml

from conftest import CANONICAL, EXAMPLES
from render_helpers import rendered_texts
from test_tjansteskrivelse import first_page

FIXTURES = Path(__file__).parent / "data" / "skyddat"
DATE = "2026-12-02"
KINDS = ("avtal", "checklista", "tjansteskrivelse")


def _runner():
    from typer.testing import CliRunner

    return CliRunner()


def render_data(directory: Path, data: dict, name: str) -> dict[str, str]:
    spec = directory / f"{name}.yaml"
    spec.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False),
                    encoding="utf-8")
    return rendered_texts(_runner(), spec, KINDS, DATE)


def load(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def docs(tmp_path_factory) -> dict[str, dict[str, str]]:
    directory = tmp_path_factory.mktemp("r3")
    sources = {name: FIXTURES / f"{name}.yaml" for name in ("delat", "platser")}
    sources.update({name: EXAMPLES / f"{name}.yaml"
                    for name in ("paraply", "kvinnojour", "unga-i-stodboende", "dagverksamhet")})
    out = {}
    for name, source in sources.items():
        spec = directory / f"{name}.yaml"
        shutil.copy(source, spec)
        out[name] = rendered_texts(_runner(), spec, KINDS, DATE)
    return out


def between(text: str, start: str, end: str) -> str:
    i = text.index(start)
    return text[i:text.index(end, i + len(start))]


def meddelarskydd_section(agreement: str) -> str:
    match = re.search(r"§\s\d+ Meddelarskydd (.*?) §\s\d+ ", agreement)
    assert match, "no § Meddelarskydd"
    return match[1]


# --- R3 12, R4 6, R4 8: meddelarskydd follows the substance, like cases alike -------------


def test_like_cases_get_the_same_meddelarskydd_clause(docs) -> None:
    # kvinnojour (area label "övrigt") and delat ("socialtjänst") are the same pattern: a
    # jour with an IVO-permitted boende beside the partnership, jourtelefon, stödsamtal and
    # barngrupper inside it, paid with the grant. The label no longer decides.
    kvinnojour = meddelarskydd_section(docs["kvinnojour"]["avtal"])
    delat = meddelarskydd_section(docs["delat"]["avtal"])
    assert kvinnojour == delat
    assert "Om organisationen inom partnerskapet bedriver verksamhet som uppfyller dessa " \
           "villkor, omfattas den verksamheten av lagen" in kvinnojour
    assert "bedrivs enligt socialtjänstlagen" in kvinnojour


def test_memo_never_states_a_firm_no_from_the_label(docs) -> None:
    memo = docs["kvinnojour"]["tjansteskrivelse"]
    assert "förvaltningen bedömer därför att lagen inte gäller" not in memo
    # Preliminary, and open: neither the description nor the boende beside the
    # partnership settles it (R6 9).
    assert "Förvaltningen bedömer preliminärt att lagen inte gäller för den, eftersom den " \
           "enligt beskrivningen inte hör till något av de områdena. Beskrivningen avgör ändå " \
           "inte frågan" in memo
    assert "arbetar alltså inom socialtjänsten" not in memo
    # The memo's wording after R4 7: the same deadline, and the approved text holds.
    assert "Bedömningen redovisas före sammanträdet (se första sidan)" in memo
    page = first_page(memo)
    assert "Före sammanträdet ska följande vara gjort" in page
    assert "Det är bedömt om lagen (2017:151) om meddelarskydd i vissa enskilda verksamheter " \
           "gäller för partnerskapets egen verksamhet: om den bedrivs yrkesmässigt" in page


def test_memo_gives_a_preliminary_assessment_where_the_description_names_the_area(docs):
    memo = docs["dagverksamhet"]["tjansteskrivelse"]
    assert "Förvaltningen bedömer preliminärt att lagen kan gälla: verksamheten hör enligt " \
           "beskrivningen till ett av de områdena (socialtjänst) och finansieras delvis med " \
           "offentliga medel genom avtalet. Det är inte klarlagt om den bedrivs yrkesmässigt " \
           "och inte bara ideellt." in memo


def test_memo_and_checklist_give_the_same_deadline_for_the_open_question(docs) -> None:
    for name in ("kvinnojour", "delat", "dagverksamhet"):
        checklist = docs[name]["checklista"]
        item = checklist[checklist.index("☐ Meddelarskydd:"):]
        item = item[:item.index("☐", 2)]
        assert "Bekräfta det före sammanträdet" in item, name
        assert "innan avtalet skrivs under" not in item, name
        assert "före sammanträdet" in docs[name]["tjansteskrivelse"], name
    kvinnojour = docs["kvinnojour"]["checklista"]
    assert "ligger enligt beskrivningen utanför lagen" not in kvinnojour
    # 2 § is assessed per activity: the boende beside the partnership does not decide it
    # (R6 9), and the description does not settle it either.
    assert "men beskrivningen avgör inte frågan. Att Kvinnojouren Lindan i Norrmark driver " \
           "ett skyddat boende vid sidan av partnerskapet påverkar inte bedömningen: lagen " \
           "prövas för varje verksamhet för sig." in kvinnojour
    assert "arbetar yrkesmässigt inom" not in kvinnojour


def test_the_boende_bought_by_procurement_is_covered_by_the_procurement(docs) -> None:
    memo = docs["delat"]["tjansteskrivelse"]
    assert "Stiftelsen Fristad driver ett skyddat boende utanför partnerskapet. Där gäller " \
           "lagen om meddelarskydd i vissa enskilda verksamheter, eftersom verksamheten har " \
           "tillstånd från IVO, vilket är ett starkt belägg för att den bedrivs yrkesmässigt, " \
           "och platser där köps med offentliga medel. Det följer av upphandlingen, inte av " \
           "detta avtal." in memo
    assert "kan gälla där, om verksamheten finansieras med offentliga medel" not in memo
    checklist = docs["delat"]["checklista"]
    assert "där gäller lagen (2017:151) om meddelarskydd i vissa enskilda verksamheter. Det " \
           "följer av upphandlingen, inte av detta avtal." in checklist
    # kvinnojour: nothing says the places are bought, so the memo keeps the condition.
    assert "kan gälla där, om verksamheten finansieras med offentliga medel, till exempel " \
           "genom köp av platser, men det följer inte av detta avtal" in \
           docs["kvinnojour"]["tjansteskrivelse"]


def test_a_denied_purchase_is_not_read_as_a_purchase(tmp_path: Path) -> None:
    data = load(FIXTURES / "delat.yaml")
    data["partnerskap"]["avgränsning"] = (
        "Platserna i stiftelsens skyddade boende ingår inte i partnerskapet; socialnämnden "
        "köper inte platser där.")
    data["rättslig_bedömning"]["upphandling"] = (
        "Bidraget stöder stiftelsens egen verksamhet med jourtelefon, stödsamtal och "
        "barngrupper. Det skyddade boendet ingår inte i detta avtal.")
    texts = render_data(tmp_path, data, "inget-kop")
    assert "Det följer av upphandlingen" not in texts["tjansteskrivelse"]
    assert "kan gälla där, om verksamheten finansieras med offentliga medel" in \
        texts["tjansteskrivelse"]


def test_without_a_boende_beside_it_the_agreement_stays_silent(tmp_path: Path) -> None:
    # IOP.md section 12: an activity outside 2 § by its description and no organisation
    # working in a 2 § field: no § Meddelarskydd, the checklist asks.
    data = load(EXAMPLES / "kvinnojour.yaml")
    del data["parter"][1]["ivo_tillstånd"]
    texts = render_data(tmp_path, data, "utan-boende")
    assert "Meddelarskydd" not in texts["avtal"]
    assert "ligger enligt beskrivningen utanför lagen" in texts["checklista"]
    assert "lagen inte gäller" not in texts["tjansteskrivelse"]


def test_paraply_and_unga_keep_no_clause(docs) -> None:
    for name in ("paraply", "unga-i-stodboende"):
        assert "Meddelarskydd" not in docs[name]["avtal"], name


# --- R3 9: the helgdag rule and the förfallodag ----------------------------------------


def test_helgdag_rule_leaves_the_repayment_due_date_to_ekonomi(docs, tmp_path) -> None:
    for name in ("dagverksamhet", "paraply", "delat"):
        agreement = docs[name]["avtal"]
        assert "flyttas i stället till närmast föregående vardag. Det gäller inte " \
               "förfallodagen för en återbetalning; den anges i § 7." in agreement, name
        ekonomi = between(agreement, "§ 7 Ekonomi", "§ 8 ")
        assert "Infaller förfallodagen på en lördag, söndag eller helgdag är närmast " \
               "följande vardag förfallodag." in ekonomi, name


# --- R3 10: "inte längre idéburen" is the substance, deregistration an example -----------


def test_not_idéburen_is_the_substance_for_every_organisation(docs) -> None:
    paraply = docs["paraply"]["avtal"]
    assert "avses att en organisation inte längre uppfyller villkoren för registrering " \
           "enligt lagen om registrering av idéburna organisationer, till exempel genom att " \
           "den har avregistrerats. Villkoren är att organisationen är en juridisk person" \
        in paraply
    # One standard: no separate rule for registered and unregistered organisations.
    assert "en organisation som inte är registrerad" not in paraply
    for texts in docs.values():
        assert "2 och 3 §§" not in texts["avtal"]


# --- R3 11: budgetförbehåll and the first payment of a later year ------------------------


def test_first_payment_of_a_reserved_year_waits_for_the_budget_decision(docs) -> None:
    unga = docs["unga-i-stodboende"]["avtal"]
    # R5 9: one budget decision counts, it is the grant, and the notice comes before it.
    assert "Medlen för 2028 och 2029 lämnas med förbehåll för att de beviljas i budgeten för " \
           "respektive år. De beviljas genom det beslut som socialnämnden fattar om sin budget " \
           "för året, inom den ram som fullmäktiges budget för året ger (budgetbeslutet)." \
        in unga
    assert "Den första utbetalningen för vart och ett av åren 2028 och 2029 görs på den dag " \
           "som anges ovan eller, om budgetbeslutet för året fattas senare, inom 15 dagar från " \
           "budgetbeslutet. Underrättelsen och försäkran om stöd av mindre betydelse för året " \
           "(se nedan) lämnas före budgetbeslutet." in unga
    assert "Stödet för varje senare år av avtalsperioden beviljas den dag då budgetbeslutet " \
           "för året fattas (budgetförbehållet ovan) och är då ett nytt stöd. Före " \
           "budgetbeslutet underrättar den offentliga parten skriftligen" in unga
    assert "när underrättelsen och försäkran enligt nedan har lämnats" not in unga
    assert "fullmäktiges budget för året och beslutet av" not in unga
    # Only where the budget reservation applies.
    for name in ("dagverksamhet", "kvinnojour", "delat"):
        assert "budgetbeslutet" not in docs[name]["avtal"]


def test_reserved_year_without_de_minimis_has_no_notice_condition(tmp_path: Path) -> None:
    data = load(CANONICAL)
    data["ekonomi"]["budgetförbehåll"] = True
    agreement = render_data(tmp_path, data, "forbehall")["avtal"]
    assert "Den första utbetalningen för vart och ett av åren 2028 och 2029 görs på den dag " \
           "som anges ovan eller, om budgetbeslutet för året fattas senare, inom 15 dagar från " \
           "budgetbeslutet. Redovisning." in agreement
    assert "Underrättelsen och försäkran" not in agreement


# --- R3 13: who may end a participation, in the same sentence ---------------------------


def test_immediate_termination_says_who_may_act(docs) -> None:
    paraply = docs["paraply"]["avtal"]
    text = between(paraply, "Uppsägning med omedelbar verkan.", "Med att en organisation")
    assert "av de parter som anges efter punkterna" not in text
    assert text.startswith("Uppsägning med omedelbar verkan. Den offentliga parten får "
                           "avsluta en idéburen organisations deltagande i avtalet med "
                           "omedelbar verkan om organisationen försätts i konkurs")
    assert "inte längre är en idéburen organisation. En idéburen organisation får lämna " \
           "partnerskapet med omedelbar verkan om den offentliga parten väsentligt bryter " \
           "mot avtalet." in text


# --- R3 14: a short name only when the text uses it ---------------------------------------


def test_unused_short_name_is_not_defined(docs) -> None:
    for name in ("dagverksamhet", "kvinnojour", "platser"):
        assert "i avtalet kallat" not in docs[name]["avtal"], name


def test_used_short_name_is_defined(tmp_path: Path) -> None:
    data = load(EXAMPLES / "kvinnojour.yaml")
    data["villkor"][1]["text"] = "Vårdlänken erbjuder kontakten men förmedlar den aldrig " \
                                 "utan kvinnans samtycke."
    agreement = render_data(tmp_path, data, "kortnamn")["avtal"]
    assert "Stöd i vården för kvinnor och barn som utsatts för våld (i avtalet kallat " \
           "Vårdlänken), ingås mellan följande parter." in agreement


# --- R3 8: the annual report and the financial report it builds on -----------------------


def test_same_last_day_the_annual_report_does_not_claim_to_build_on_the_accounts(docs):
    agreement = docs["dagverksamhet"]["avtal"]
    report = between(agreement, "Årsrapport. ", "Utvärdering.")
    assert "som underlag" not in report
    assert "Den ekonomiska redovisningen enligt § 7 har samma sista dag som årsrapporten, så " \
           "årsrapporten använder den bara om den har lämnats tidigare." in report
    checklist = docs["dagverksamhet"]["checklista"]
    assert "Årsrapporten och den ekonomiska redovisningen har samma sista dag, så årsrapporten " \
           "kan inte bygga på redovisningen. Överväg en senare dag för årsrapporten i " \
           "uppföljning.årsrapport, till exempel den 30 april" in checklist
    # A later annual report builds on the accounts, and the checklist gives no advice.
    kvinnojour = docs["kvinnojour"]
    assert "gemensamt med den ekonomiska redovisningen enligt § 7 som underlag" in \
        kvinnojour["avtal"]
    assert "har samma sista dag" not in kvinnojour["avtal"] + kvinnojour["checklista"]


def test_annual_report_before_the_accounts(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from conftest import run

    data = load(CANONICAL)
    data["uppföljning"]["årsrapport"] = "Gemensam årsrapport senast den 28 februari året efter."
    texts = render_data(tmp_path, data, "fore")
    assert "Den ekonomiska redovisningen enligt § 7 lämnas senare och ingår inte i " \
           "årsrapporten." in texts["avtal"]
    assert "som underlag och lämnar" not in texts["avtal"]
    result = run(CliRunner(), "check", tmp_path / "fore.yaml")
    assert "IOP193" in result.output


# --- R3 6: the public party's own planning brings the mentor in: consent (IOP199) ----------

OLD_I4 = ("Socialsekreterarna presenterar mentorsprogrammet och Verkstan för varje ung person "
          "och gör planen för tiden efter placeringen tillsammans med den unga och mentorn.")


def check_output(tmp_path: Path, data: dict, name: str) -> str:
    from typer.testing import CliRunner

    from conftest import run

    spec = tmp_path / f"{name}.yaml"
    spec.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False),
                    encoding="utf-8")
    return run(CliRunner(), "check", spec).output


def test_mentor_in_the_nämnds_planning_without_consent_is_a_warning(tmp_path: Path) -> None:
    data = load(EXAMPLES / "unga-i-stodboende.yaml")
    data["insatser"][3]["beskrivning"] = OLD_I4
    output = check_output(tmp_path, data, "i4")
    assert "varning IOP199 insatser[3].beskrivning: Insats I4 har Åsby kommun genom " \
           "socialnämnden som ansvarig part, och enligt beskrivningen deltar någon från " \
           "organisationen (\"mentorn\") i den offentliga partens arbete med den enskilda " \
           "(\"planen för\")." in " ".join(output.split())
    assert "12 kap. 2 §; för barn 12 kap. 3 §" in " ".join(output.split())


def test_consent_or_the_organisations_own_insats_is_not_flagged(tmp_path: Path) -> None:
    data = load(EXAMPLES / "unga-i-stodboende.yaml")
    assert "IOP199" not in check_output(tmp_path, data, "samtycke")  # the example says it
    data["insatser"][3]["beskrivning"] = OLD_I4
    data["insatser"][3]["ansvarig"] = "bryggan"
    assert "IOP199" not in check_output(tmp_path, data, "egen")
    # A compound word is not the person: "mentorsprogrammet" alone is no mentor.
    data["insatser"][3]["ansvarig"] = "asby"
    data["insatser"][3]["beskrivning"] = ("Socialsekreterarna presenterar mentorsprogrammet "
                                          "när planen för placeringen görs.")
    assert "IOP199" not in check_output(tmp_path, data, "program")


def test_delegated_decision_gets_the_same_deadline_in_memo_and_checklist(tmp_path: Path):
    data = load(CANONICAL)
    data["process"]["beslut"][1].update({"organ": "förvaltningsdirektören", "delegation": True})
    texts = render_data(tmp_path, data, "delegation")
    checklist = texts["checklista"]
    item = checklist[checklist.index("☐ Meddelarskydd:"):]
    assert "Bekräfta det före beslutet; avtalet anger lagens villkor." in item[:item.index("☐", 2)]
    # The memo's wording after R4 7 (branch memo): the same deadline.
    assert "Bedömningen redovisas före beslutet (se första sidan)" in texts["tjansteskrivelse"]


# --- R5 (fifth reading, /work/wt/R5-avtal.md) ---------------------------------------------

def test_archive_runs_from_the_last_grant_when_aid_is_granted_year_by_year(docs) -> None:
    # R5 13: with a budget reservation each later year is a new grant.
    unga = docs["unga-i-stodboende"]
    assert "bevarar beslutet om avtalet och underlaget för det i tio år från den dag då det " \
           "senaste stödet enligt avtalet beviljades, som kommissionens förordning (EU) " \
           "2023/2831 kräver" in unga["avtal"]
    assert "i tio år från den dag det senaste stödet enligt avtalet beviljades." \
        in unga["checklista"]
    # One grant: from the day it was granted.
    paraply = docs["paraply"]
    assert "i tio år från den dag då stödet beviljades, som kommissionens förordning (EU) " \
           "2023/2831 kräver" in paraply["avtal"]
    assert "i tio år från den dag stödet beviljades." in paraply["checklista"]
    assert "senaste stödet" not in paraply["avtal"] + paraply["checklista"]


def test_annual_report_recipient_is_stated_once(docs) -> None:
    # R5 15: the parties' text names the nämnd; the program adds only the others.
    kvinnojour = docs["kvinnojour"]["avtal"]
    assert "Gemensam årsrapport till hälso- och sjukvårdsnämnden för varje avtalsår" \
        in kvinnojour
    assert "§ 7 som underlag och lämnar den också till styrelsen för Kvinnojouren Lindan i " \
           "Norrmark. Årsrapporten gäller" in kvinnojour
    assert "lämnar den till hälso- och sjukvårdsnämnden" not in kvinnojour
    assert "lämnar den också till styrelsen för Stiftelsen Bryggan och styrelsen för " \
           "Ungdomskooperativet Verkstan ekonomisk förening." in docs["unga-i-stodboende"]["avtal"]
    assert "lämnar den också till styrelsen för Strömsby IF," in docs["paraply"]["avtal"]
    # A text that names no recipient: the program names every deciding body.
    assert "Partnerskapsgruppen tar fram årsrapporten gemensamt och lämnar den till " \
           "socialnämnden Centrum och styrelsen för Föreningen Vinternatt." \
        in docs["dagverksamhet"]["avtal"]


def test_the_parties_economy_text_uses_the_defined_term(docs, tmp_path: Path) -> None:
    # R5 18: § 1 defines "organisationen"; "föreningen" in the parties' text becomes it.
    agreement = docs["dagverksamhet"]["avtal"]
    assert "Andra bidrag. Bidraget ersätter det verksamhetsbidrag som organisationen " \
           "tidigare har fått från" in agreement
    assert "som föreningen tidigare" not in agreement
    # A name that begins with the word is kept.
    data = load(CANONICAL)
    data["ekonomi"]["andra_bidrag"] = "Föreningen Vinternatt får inget annat bidrag; " \
                                      "föreningens övriga kostnader betalar föreningen själv."
    text = render_data(tmp_path, data, "term")["avtal"]
    assert "Andra bidrag. Föreningen Vinternatt får inget annat bidrag; organisationens " \
           "övriga kostnader betalar organisationen själv." in text


def test_non_delegable_matters_are_the_nämnds_not_every_change(docs) -> None:
    # R5 16: 6 kap. 38 § concerns the nämnd's activity; HFD adds matters of principle or
    # of great importance. Every agreement with a kommun or region says the same.
    for name in ("dagverksamhet", "kvinnojour", "paraply", "unga-i-stodboende", "platser"):
        agreement = docs[name]["avtal"]
        assert "Ärenden som avser mål, inriktning, omfattning eller kvalitet för nämndens " \
               "verksamhet får en nämnd inte delegera (6 kap. 38 §), och enligt rättspraxis " \
               "inte heller beslut av principiell beskaffenhet eller annars av större vikt, " \
               "till exempel beslut med stor ekonomisk eller organisatorisk betydelse. En " \
               "ändring av partnerskapet omfattas av förbudet bara när den är ett sådant " \
               "ärende eller beslut." in agreement, name
        assert "verksamhetens mål, inriktning, omfattning eller kvalitet får" not in agreement


def test_termination_names_the_budget_reservations_notice(docs, tmp_path: Path) -> None:
    # R5 20: § Avtalstid points to the budget reservation's own notice period.
    unga = docs["unga-i-stodboende"]["avtal"]
    assert "Uppsägning enligt budgetförbehållet. Beviljas lägre medel än avtalet anger, eller " \
           "inga medel, får varje part också säga upp sitt deltagande i avtalet med den " \
           "uppsägningstid och i den ordning som budgetförbehållet i § 7 anger." in unga
    data = load(CANONICAL)
    data["ekonomi"]["budgetförbehåll"] = True
    two = render_data(tmp_path, data, "forbehall")["avtal"]
    assert "får varje part också säga upp avtalet med den uppsägningstid" in two
    assert "Uppsägning enligt budgetförbehållet" not in docs["dagverksamhet"]["avtal"]
