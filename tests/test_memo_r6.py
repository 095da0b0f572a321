"""The sixth reading R6 of 2026-12-02 (a kommunjurist on the memo and the checklist of the
examples and the skyddat boende fixtures, rendered with `iopkit render --datum
2026-12-02`): the documents read back from Word, one paragraph a line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import EXAMPLES, ROOT, run
from render_helpers import docx_paragraphs, norm

DATE = "2026-12-02"
CASES = {
    "paraply": EXAMPLES / "paraply.yaml",
    "kvinnojour": EXAMPLES / "kvinnojour.yaml",
    "unga": EXAMPLES / "unga-i-stodboende.yaml",
    "platser": ROOT / "tests" / "data" / "skyddat" / "platser.yaml",
    "region": ROOT / "tests" / "data" / "skyddat" / "region.yaml",
}
KINDS = ("tjansteskrivelse", "checklista")


def render_case(runner, spec: Path) -> dict[str, str]:
    result = run(runner, "render", spec, "-d", ",".join(KINDS), "-f", "docx", "--datum",
                 DATE, "--force")
    assert result.exit_code == 0, result.output
    texts = {}
    for kind in KINDS:
        _, paragraphs = docx_paragraphs(spec.with_name(f"{spec.stem}-{kind}.docx"))
        texts[kind] = "\n".join(norm(p.text) for p in paragraphs)
    return texts


def copied(source: Path, directory: Path, name: str) -> Path:
    spec = directory / f"{name}.yaml"
    shutil.copy(source, spec)
    return spec


@pytest.fixture(scope="module")
def docs(tmp_path_factory) -> dict[str, dict[str, str]]:
    from typer.testing import CliRunner

    runner = CliRunner()
    directory = tmp_path_factory.mktemp("r6")
    return {name: render_case(runner, copied(source, directory, name))
            for name, source in CASES.items()}


def between(text: str, start: str, end: str) -> str:
    begin = text.index(start)
    return text[begin:text.index(end, begin + len(start))]


def section(memo: str, heading: str, following: str) -> str:
    return between(memo, f"\n{heading}\n", f"\n{following}\n")


# R6 3: a procurement assessment that page 1 contradicts is the underlag's, not the
# förvaltning's -------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["platser", "region"])
def test_blocked_procurement_assessment_is_the_underlags_with_the_dissent(docs, name):
    procurement = section(docs[name]["tjansteskrivelse"], "Upphandling", "Statsstöd")
    assert "Förvaltningens bedömning av avtalet är följande." not in procurement
    assert "\nI underlaget till avtalet har upphandlingsfrågan bedömts så här.\nBidraget " \
           "stöder jourens" in procurement
    assert "\nFörvaltningen delar inte den bedömningen, eftersom bidraget enligt avtalet ska " \
           "gå till driften av det skyddade boendet, en insats som kommun" in procurement
    assert "Att bidraget är ett fast belopp utan ersättning per plats eller prestation " \
           "hindrar inte att avtalet är ett offentligt kontrakt (HFD 2020 ref. 15)." \
           in procurement
    assert "Bedömningen behöver kompletteras" not in procurement


def test_dissent_names_the_nämnds_placements_and_the_occupancy_goal(docs):
    platser = section(docs["platser"]["tjansteskrivelse"], "Upphandling", "Statsstöd")
    assert "Socialnämnden placerar eller hänvisar deltagarna genom beslut om enskilda" \
           in platser
    assert "Målet om beläggning visar att bidraget avser platser för socialnämndens " \
           "placeringar." in platser
    region = section(docs["region"]["tjansteskrivelse"], "Upphandling", "Statsstöd")
    assert "en insats som kommunerna ger enskilda genom beslut om insatsen. Bidraget betalar " \
           "då för platser som kommunerna placerar i, även om Region Västerfjäll inte själv " \
           "köper dem." in region


@pytest.mark.parametrize("name", ["paraply", "kvinnojour", "unga"])
def test_a_ready_memo_keeps_the_förvaltnings_own_procurement_assessment(docs, name):
    procurement = section(docs[name]["tjansteskrivelse"], "Upphandling", "Statsstöd")
    assert "Förvaltningens bedömning av avtalet är följande." in procurement
    assert "delar inte den bedömningen" not in procurement


# R6 17: de minimis declarations and notice given before the draft date are done --------

def test_given_declarations_and_notice_are_said_as_done(docs):
    memo = docs["unga"]["tjansteskrivelse"]
    aid = section(memo, "Statsstöd", "Personuppgifter")
    assert "Varje mottagare har lämnat en skriftlig försäkran om annat stöd av mindre " \
           "betydelse som den har fått från alla givare under de senaste tre åren, och har " \
           "fått ett skriftligt besked om stödets belopp" in aid
    assert "Den sista försäkran kom in den 16 november 2026, och beskedet lämnades den " \
           "23 november 2026." in aid
    assert "ska därför varje mottagare ha lämnat" not in memo
    first_page = memo[:memo.index("\nSammanfattning\n")]
    assert "mindre betydelse" not in first_page
    checklist = docs["unga"]["checklista"]
    assert "☒ Försäkran och beskedet ska finnas innan" in checklist


def test_a_notice_not_yet_given_stays_a_task_before_the_meeting(runner, tmp_path):
    spec = copied(CASES["unga"], tmp_path, "unga")
    text = spec.read_text(encoding="utf-8")
    assert "  besked: 2026-11-23\n" in text
    spec.write_text(text.replace("  besked: 2026-11-23\n", ""), encoding="utf-8")
    docs = render_case(runner, spec)
    memo = docs["tjansteskrivelse"]
    assert "Före sammanträdet ska därför varje mottagare ha lämnat en skriftlig försäkran" \
           in memo
    assert "Varje mottagare har lämnat" not in memo
    assert "Förvaltningen redovisar vid sammanträdet när beskedet har skickats." in memo
    assert "☐ Försäkran och beskedet ska finnas innan" in docs["checklista"]


# R6 9: lag (2017:151) 2 § is assessed per activity ------------------------------------

def test_the_boende_outside_does_not_make_the_partnership_socialtjänst(docs):
    memo = docs["kvinnojour"]["tjansteskrivelse"]
    whistle = section(memo, "Meddelarskydd", "Personuppgifter")
    assert "arbetar alltså inom" not in whistle
    assert "Beskrivningen avgör ändå inte frågan: det är inte klarlagt om verksamheten, som " \
           "delvis finansieras med offentliga medel genom avtalet, bedrivs yrkesmässigt och " \
           "hör till socialtjänsten. Att Kvinnojouren Lindan i Norrmark driver ett skyddat " \
           "boende vid sidan av partnerskapet påverkar inte bedömningen, eftersom lagen prövas " \
           "för varje verksamhet för sig." in whistle
    # The open item and its deadline stay.
    assert "Bedömningen redovisas före sammanträdet (se första sidan)." in whistle
    first_page = memo[:memo.index("\nSammanfattning\n")]
    assert "Det är bedömt om lagen (2017:151) om meddelarskydd" in first_page
    checklist = docs["kvinnojour"]["checklista"]
    assert "påverkar inte bedömningen: lagen prövas för varje verksamhet för sig. Bekräfta " \
           "det före sammanträdet" in checklist


# R6 4 and 5: a blocked memo's Risker names what the defects lead to --------------------

def risks(memo: str) -> str:
    return section(memo, "Risker", "Ekonomiska konsekvenser och finansiering")


def test_blocked_platser_names_the_consequences_of_the_defects(docs):
    text = risks(docs["platser"]["tjansteskrivelse"])
    assert "\nDet som anges på första sidan hindrar att avtalet godkänns i den här formen, och " \
           "bristerna får följder om de inte åtgärdas. Är avtalet ett offentligt kontrakt som " \
           "inte har upphandlats kan det leda till upphandlingsskadeavgift (21 kap. LOU) och " \
           "till att avtalet förklaras ogiltigt. Stöd som lämnas i strid med " \
           "statsstödsreglerna ska återkrävas från mottagaren med ränta; stöd av mindre " \
           "betydelse kan inte användas i stället, eftersom beloppet överstiger taket. " \
           "Socialnämnden betalar redan för platserna i det skyddade boendet genom " \
           "placeringarna, så bidraget kan komma att betala samma kostnader två gånger.\n" \
           in text
    assert "Förvaltningen ser också följande risker med avtalet.\nAvtalet har inget " \
           "budgetförbehåll." in text
    # No decide-anyway: the defects are no risk the nämnd could accept.
    assert "hindrar inte ett beslut" not in text
    assert "befogenhet" not in text


def test_blocked_region_names_its_lack_of_competence(docs):
    text = risks(docs["region"]["tjansteskrivelse"])
    assert "Kommunerna betalar redan för platserna i det skyddade boendet genom placeringarna" \
           in text
    assert "Region Västerfjäll saknar befogenhet att finansiera en insats som kommunerna ska " \
           "ge enskilda (2 kap. 1 och 2 §§ kommunallagen), och ett beslut om det kan upphävas " \
           "efter laglighetsprövning (13 kap. 8 §)." in text
    assert "upphandlingsskadeavgift" in text and "återkrävas från mottagaren med ränta." in text
    assert "eftersom beloppet överstiger taket" not in text  # 3 000 000 kr is under it


@pytest.mark.parametrize("name", ["paraply", "kvinnojour", "unga"])
def test_a_ready_memo_has_no_blocked_consequences(docs, name):
    assert "hindrar att avtalet godkänns" not in docs[name]["tjansteskrivelse"]


# R6 6: when fullmäktige would decide after the start, page 1 says the start moves -------

MOVE = ("Ska kommunfullmäktige besluta om avtalet behöver avtalets start (den 1 januari "
        "2027) och den första utbetalningen flyttas till efter fullmäktiges beslut och "
        "undertecknandet, eftersom avtalet inte kan gälla eller ge utbetalningar innan det "
        "är undertecknat.")


def first_page_items(memo: str) -> list[str]:
    page = between(memo, "Ärendet är inte klart för beslut.", "\nSammanfattning\n")
    return page.split("\n")[1:]


def test_page_one_says_the_start_moves_after_fullmäktige(docs):
    items = first_page_items(docs["platser"]["tjansteskrivelse"])
    assert items[0].startswith("Avtalet omfattar skyddat boende, en insats som kommunen")
    assert items[1] == MOVE


def test_no_moved_start_when_fullmäktige_decides_in_time(runner, tmp_path):
    spec = copied(CASES["platser"], tmp_path, "platser")
    text = spec.read_text(encoding="utf-8")
    decision = "    - part: sundvik\n      organ: socialnämnden\n"
    assert decision in text
    spec.write_text(text.replace(decision, "    - part: sundvik\n      organ: kommunfullmäktige"
                                 "\n      datum: 2026-12-08\n" + decision), encoding="utf-8")
    assert "IOP196" not in run(runner, "check", spec).output
    memo = render_case(runner, spec)["tjansteskrivelse"]
    assert "Ärendet är inte klart för beslut." in memo
    assert "behöver avtalets start" not in memo


# R6 12: de minimis for recipients the memo calls no näringsidkare is a choice of caution -

CAUTION = ("Stödet lämnas som stöd av mindre betydelse enligt kommissionens förordning (EU) "
           "2023/2831. Förvaltningen bedömer att ingen av mottagarna tar emot stödet som "
           "näringsidkare (se Befogenhet enligt kommunallagen). Stödet lämnas ändå av "
           "försiktighetsskäl som stöd av mindre betydelse, för det fall att den verksamhet "
           "som stödet avser skulle bedömas som ekonomisk. Valet tar en del av varje "
           "mottagares utrymme under taket i anspråk, och stödet registreras.\n")


@pytest.mark.parametrize("name", ["unga", "paraply"])
def test_de_minimis_is_said_to_be_chosen_out_of_caution(docs, name):
    memo = docs[name]["tjansteskrivelse"]
    assert "ingen av mottagarna tar emot stödet som näringsidkare" in \
        section(memo, "Befogenhet enligt kommunallagen", "Vem som beslutar")
    assert CAUTION in section(memo, "Statsstöd", "Personuppgifter")


def test_no_double_space_when_neither_declaration_nor_notice_is_given(runner, tmp_path):
    spec = copied(CASES["paraply"], tmp_path, "paraply")
    result = run(runner, "render", spec, "-d", "tjansteskrivelse", "-f", "docx", "--datum",
                 DATE, "--force")
    assert result.exit_code == 0, result.output
    _, paragraphs = docx_paragraphs(tmp_path / "paraply-tjansteskrivelse.docx")
    text = next(p.text for p in paragraphs if "Bruttobidragsekvivalenten är" in p.text)
    assert "flera år. Förvaltningen redovisar vid sammanträdet när försäkran har lämnats och " \
           "beskedet har skickats." in text


def test_no_caution_sentence_without_a_no_business_assessment(docs):
    memo = docs["kvinnojour"]["tjansteskrivelse"]
    assert "försiktighetsskäl" not in memo


# R6 19: an in-kind resource in a beslutspunkt: the period's value and the value per year -

def test_in_kind_value_in_the_decision_is_for_the_period_and_per_year(docs):
    memo = docs["kvinnojour"]["tjansteskrivelse"]
    proposal = section(memo, "Förslag till beslut", "Beslutet skickas till")
    assert "samtalsrum på två vårdcentraler för jourens stödsamtal, till ett värde av " \
           "sammanlagt 180 000 kr (60 000 kr per avtalsår)," in proposal
    assert "till ett värde av 180 000 kr" not in proposal


# R6 13: children in placements: consent for minors and a required DPIA -----------------

def test_consent_for_minors_where_children_take_part(docs):
    for name in ("unga", "paraply", "kvinnojour"):
        privacy = section(docs[name]["tjansteskrivelse"], "Personuppgifter", "Risker")
        assert "Samtycket dokumenteras. För den som är under 18 år avgörs vem som kan " \
               "samtycka enligt 12 kap. 3 §." in privacy, name


def test_dpia_is_required_for_placed_children(docs):
    privacy = section(docs["unga"]["tjansteskrivelse"], "Personuppgifter", "Risker")
    assert "En konsekvensbedömning avseende dataskydd (artikel 35 i dataskyddsförordningen " \
           "(EU) 2016/679) ska göras innan behandlingen börjar, eftersom uppgifter behandlas " \
           "om placerade barn och unga, som är personer i en utsatt situation." in privacy
    assert "pröva om en konsekvensbedömning" not in privacy
    checklist = docs["unga"]["checklista"]
    assert "☐ Konsekvensbedömning avseende dataskydd (artikel 35 i dataskyddsförordningen " \
           "(EU) 2016/679): krävs, eftersom uppgifter behandlas om placerade barn och unga" \
           in checklist
    assert "pröva om en sådan bedömning krävs" not in checklist


def test_open_activities_for_children_keep_the_dpia_question(docs):
    # Paraply's children take part in open activities, not placements: consider a DPIA.
    privacy = section(docs["paraply"]["tjansteskrivelse"], "Personuppgifter", "Risker")
    assert "Innan behandlingen börjar ska parterna pröva om en konsekvensbedömning " \
           "avseende dataskydd krävs" in privacy


def test_no_minors_sentence_without_children(runner, tmp_path):
    spec = copied(CASES["unga"], tmp_path, "unga")
    text = spec.read_text(encoding="utf-8")
    assert "\n  barn: ja\n" in text
    spec.write_text(text.replace("\n  barn: ja\n", "\n  barn: nej\n"), encoding="utf-8")
    memo = render_case(runner, spec)["tjansteskrivelse"]
    assert "12 kap. 3 §" not in memo
    assert "placerade barn och unga" not in memo
