"""The second reading R4 of 2026-12-02 (docs/granskning/2026-12-02-R4-...): the memo and
the checklist of the examples and the skyddat boende fixtures rendered with `iopkit
render --datum 2026-12-02`, as the reader had them, and read back from Word one
paragraph at a time; the memo's date against the meeting also through `iopkit check`."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from conftest import CANONICAL, EXAMPLES, ROOT, run
from render_helpers import docx_paragraphs, norm

DATE = "2026-12-02"  # the reader's date: paraply's kommunstyrelsen meets that day
CASES = {
    "dagverksamhet": CANONICAL,
    "paraply": EXAMPLES / "paraply.yaml",
    "kvinnojour": EXAMPLES / "kvinnojour.yaml",
    "unga": EXAMPLES / "unga-i-stodboende.yaml",
    "delat": ROOT / "tests" / "data" / "skyddat" / "delat.yaml",
    "platser": ROOT / "tests" / "data" / "skyddat" / "platser.yaml",
    "region": ROOT / "tests" / "data" / "skyddat" / "region.yaml",
}
KINDS = ("tjansteskrivelse", "checklista")


def render_case(runner, source: Path, directory: Path, name: str, date: str = DATE
                ) -> dict[str, str]:
    """Memo and checklist of `source` as Word, one line per paragraph (normalised), and
    what render printed under "utskrift"."""
    spec = directory / f"{name}.yaml"
    shutil.copy(source, spec)
    result = run(runner, "render", spec, "-d", ",".join(KINDS), "-f", "docx", "--datum",
                 date, "--force")
    assert result.exit_code == 0, result.output
    texts = {}
    for kind in KINDS:
        _, paragraphs = docx_paragraphs(directory / f"{name}-{kind}.docx")
        texts[kind] = "\n".join(norm(p.text) for p in paragraphs)
    texts["utskrift"] = norm(result.output)
    return texts


@pytest.fixture(scope="module")
def docs(tmp_path_factory) -> dict[str, dict[str, str]]:
    from typer.testing import CliRunner

    runner = CliRunner()
    directory = tmp_path_factory.mktemp("r4")
    return {name: render_case(runner, source, directory, name)
            for name, source in CASES.items()}


def paragraph(text: str, needle: str) -> str:
    return next(line for line in text.split("\n") if needle in line)


def between(text: str, start: str, end: str) -> str:
    begin = text.index(start)
    return text[begin:text.index(end, begin + len(start))]


def risks(memo: str) -> str:
    return between(memo, "\nRisker\n", "\nEkonomiska konsekvenser och finansiering\n")


# R4 4: a memo dated on the day of its meeting ---------------------------------------------

def check_lines(runner, spec: Path, *extra: str) -> list[str]:
    result = run(runner, "check", spec, *extra)
    return [line for line in result.stdout.splitlines() if " IOP200 " in line]


def test_check_warns_when_the_memo_date_is_the_meeting_day(runner, tmp_path):
    spec = tmp_path / "paraply.yaml"
    shutil.copy(CASES["paraply"], spec)
    lines = spec.read_text(encoding="utf-8").splitlines()
    meeting = next(i for i, line in enumerate(lines, 1) if "datum: 2026-12-02" in line)
    found = check_lines(runner, spec, "--datum", DATE)
    assert len(found) == 1, found
    assert f"paraply.yaml:{meeting}:" in found[0] and " varning IOP200 " in found[0]
    assert "samma dag som kommunstyrelsen sammanträder" in found[0]
    # The way out is a later meeting; the memo is never dated before it was written.
    assert "Ta upp ärendet vid ett senare sammanträde" in found[0]
    assert "datera den aldrig tidigare än den skrevs" in found[0]
    # The day before is right; without --datum the check does not depend on today.
    assert check_lines(runner, spec, "--datum", "2026-12-01") == []
    assert check_lines(runner, spec) == []
    # A decision already taken (the memo dated after it) is render's notice, not IOP200.
    assert check_lines(runner, spec, "--datum", "2026-12-03") == []


def test_checklist_says_the_meeting_day_step_is_broken(docs, runner, tmp_path):
    paraply = docs["paraply"]
    step = paragraph(paraply["checklista"], "kommunstyrelsen ska besluta den 2 december 2026")
    assert "Tjänsteskrivelsen ska dateras före sammanträdet, men den är daterad samma dag " \
           "(IOP200)" in step
    assert "Ta upp ärendet vid ett senare sammanträde." in step and "datera" not in \
        step.split("(IOP200)")[1]
    assert "IOP200 varning" in paraply["checklista"]
    assert "varning IOP200" in paraply["utskrift"]
    # Said once: render no longer adds its own notice for the same day.
    assert paraply["utskrift"].count("samma dag som") == 1
    assert "IOP200" not in paraply["tjansteskrivelse"]
    earlier = render_case(runner, CASES["paraply"], tmp_path, "tidigare", "2026-11-20")
    step = paragraph(earlier["checklista"], "kommunstyrelsen ska besluta den 2 december 2026")
    assert step.endswith("Tjänsteskrivelsen dateras före sammanträdet.")
    assert "IOP200" not in earlier["utskrift"]


# R4 5: what the memo lacks, and the financing as a task on page 1 ------------------------

def test_checklist_lists_what_the_memo_lacks(docs):
    unga = docs["unga"]["checklista"]
    gaps = paragraph(unga, "Tjänsteskrivelsen till socialnämnden saknar")
    assert gaps.startswith("☐ ")
    for missing in ("sammanträde (ange socialnämndens beslut med datum i process.beslut)",
                    "handläggare (process.handläggare)", "underskrift (handläggaren",
                    "hur medlen finansieras för varje budgetår (ekonomi.finansiering)"):
        assert missing in gaps
    assert "Tjänsteskrivelsen till" not in docs["dagverksamhet"]["checklista"]


def test_open_financing_is_a_task_on_page_one_in_the_officers_words(docs):
    memo = docs["unga"]["tjansteskrivelse"]
    page_one = memo[:memo.index("\nSammanfattning\n")]
    assert "Före sammanträdet ska följande vara gjort" in page_one
    assert "Det är redovisat hur bidragen finansieras: hur medlen för 2027 ryms inom den " \
           "ram som kommunfullmäktige har gett socialnämnden." in page_one
    economy = between(memo, "\nEkonomiska konsekvenser och finansiering\n",
                      "\nBarnrättsperspektiv\n")
    assert "Hur det sker redovisas vid sammanträdet (se första sidan)." in economy
    # The canonical example states its financing: no such task.
    assert "hur bidraget finansieras" not in docs["dagverksamhet"]["tjansteskrivelse"]


@pytest.mark.parametrize("name", sorted(CASES))
def test_no_memo_speaks_of_what_the_underlag_shows(docs, name):
    memo = docs[name]["tjansteskrivelse"]
    assert not re.search(r"[Uu]nderlaget (redovisar|anger|visar|utgår)", memo)
    assert "förvaltningen bör" not in memo.lower()


# R4 7: meddelarskydd: one deadline, and what happens to the text the nämnd approves -------

def test_meddelarskydd_deadline_and_the_approved_text_agree(docs):
    # The agreement states the law's conditions (§ Meddelarskydd), so the text the nämnd
    # receives holds whether or not the law applies; memo and checklist give one deadline.
    memo = docs["dagverksamhet"]["tjansteskrivelse"]
    page_one = memo[:memo.index("\nSammanfattning\n")]
    assert "Avtalsförslaget anger lagens villkor, så det behöver inte ändras om lagen " \
           "gäller." in page_one
    assert "Bedömningen redovisas före sammanträdet (se första sidan). Avtalsförslaget " \
           "anger lagens villkor, så den text som socialnämnden Centrum godkänner behöver " \
           "inte ändras om lagen gäller." in memo
    assert "det är den texten som" not in memo and "ska avtalet ange det" not in memo
    step = paragraph(docs["dagverksamhet"]["checklista"], "Meddelarskydd:")
    assert "Bekräfta det före sammanträdet" in step
    assert "Bekräfta det innan avtalet skrivs under" not in step


# R4 12: jäv is reported, and decided at the meeting --------------------------------------

def test_memo_reports_the_jav_review_and_leaves_the_decision_to_the_meeting(docs):
    memo = docs["dagverksamhet"]["tjansteskrivelse"]
    text = paragraph(memo, "Förvaltningen har gått igenom jävsfrågan inför beslutet.")
    assert "Ingen ledamot eller ersättare i socialnämnden Centrum och ingen handläggare i " \
           "ärendet har uppdrag i föreningen." in text
    assert "Jävsfrågan prövas vid sammanträdet" in text
    # The officers are named by process.jäv here; where they are not, the memo adds 7:4.
    assert "7 kap. 4 §" not in text
    delat = paragraph(docs["delat"]["tjansteskrivelse"], "jävsfrågan")
    assert "(6 kap. 28–32 §§ kommunallagen). Samma regler gäller för de anställda som " \
           "handlägger ärendet (7 kap. 4 §)." in delat
    for name in CASES:
        assert "Jäv har prövats" not in docs[name]["tjansteskrivelse"]
        step = paragraph(docs[name]["checklista"], "Jäv i det organ som beslutar")
        assert "för anställda som handlägger ärendet, också den som beslutar på delegation, " \
               "genom 7 kap. 4 §" in step


# R4 13: the case's own risks ----------------------------------------------------------------

def test_risks_name_cross_subsidy_and_double_funding_in_delat(docs):
    section = risks(docs["delat"]["tjansteskrivelse"])
    assert "Stiftelsen Fristad driver också ett skyddat boende, som är ekonomisk " \
           "verksamhet." in section
    assert "Partnerskapets medel behöver därför redovisas skilt från det skyddade boendet" \
        in section
    assert "Socialnämnden köper också platser i det skyddade boendet av Stiftelsen " \
           "Fristad." in section
    assert "dubbel finansiering" in section


def test_risks_name_declarations_budget_and_say_so_when_there_are_none(docs):
    assert "vilar på försäkringar som ännu inte har kommit in" in risks(
        docs["paraply"]["tjansteskrivelse"])
    assert "Avtalet har inget budgetförbehåll. Åtagandet binder därför budgetarna för 2028 " \
           "och 2029, också om kommunfullmäktige senare ger socialnämnden Centrum en mindre " \
           "ram." in risks(docs["dagverksamhet"]["tjansteskrivelse"])
    # The kvinnojour has no purchase of places: no double-funding risk.
    assert "dubbel finansiering" not in risks(docs["kvinnojour"]["tjansteskrivelse"])
    # unga has a budgetförbehåll and its declarations are in.
    assert risks(docs["unga"]["tjansteskrivelse"]).strip().endswith(
        "Förvaltningen har inte funnit några särskilda risker med avtalet.")
    for name in CASES:
        assert "redovisas ovan" not in docs[name]["tjansteskrivelse"]


# R4 15: input text is not forced into a grammatical slot --------------------------------

def test_method_and_target_group_keep_their_own_grammar(docs):
    assert "Metod för inventeringen: parterna intervjuade tillsammans fjorton unga" in \
        docs["unga"]["tjansteskrivelse"]
    assert "byggde på parterna" not in docs["unga"]["tjansteskrivelse"]
    paraply = docs["paraply"]["tjansteskrivelse"]
    assert "Partnerskapets målgrupp är de som bor i Norrliden och Sjövik" in paraply
    assert "till de som" not in paraply


# R4 16: money and in-kind support apart -------------------------------------------------

def test_in_kind_support_is_valued_apart_from_the_money(docs):
    memo = docs["paraply"]["tjansteskrivelse"]
    assert "Stödet till Strömsby IF är värt 1 410 000 kr under avtalsperioden: 1 050 000 kr " \
           "i bidrag och idrottsplanen i Norrliden till ett värde av 360 000 kr;" in memo
    assert "Strömsby IF får 1 410 000 kr" not in memo
    # Money only: the plain sentence stays.
    assert "Föreningen Grannstöd Norrliden får 1 350 000 kr under avtalsperioden" in memo
    checklist = docs["paraply"]["checklista"]
    assert "Stödet till Strömsby IF är värt 1 410 000 kr under avtalsperioden: 1 050 000 kr " \
           "i bidrag och idrottsplanen i Norrliden till ett värde av 360 000 kr;" in checklist


# R4 18: payments per budget year beside the accrual -------------------------------------

def test_payments_per_budget_year_when_they_differ_from_the_accrual(docs):
    memo = docs["kvinnojour"]["tjansteskrivelse"]
    text = paragraph(memo, "Avtalsåren följer inte kalenderåren.")
    assert "1 500 000 kr för 2027, 1 800 000 kr för 2028, 1 800 000 kr för 2029 och " \
           "300 000 kr för 2030." in text
    assert "Utbetalningarna enligt avtalet är 1 800 000 kr under 2027, 1 800 000 kr under " \
           "2028 och 1 800 000 kr under 2029, och under 2030 betalas inget ut; kostnaden " \
           "fördelas på budgetåren enligt ovan." in text
    assert "Utbetalningarna enligt avtalet är" not in docs["dagverksamhet"]["tjansteskrivelse"]


# R4 20: checklist layout ------------------------------------------------------------------

def test_each_de_minimis_box_is_its_own_paragraph(docs):
    checklist = docs["paraply"]["checklista"]
    declaration = paragraph(checklist, "Mottagarens skriftliga försäkran")
    assert declaration.startswith("☐ ") and "Skriftligt besked" not in declaration
    assert paragraph(checklist, "Skriftligt besked till mottagaren").startswith("☐ ")
    assert paragraph(checklist, "Växelkurs:").startswith("☐ ")
    jav = paragraph(docs["unga"]["checklista"], "Jäv i det organ som beslutar")
    assert "Tjänsteskrivelsen till" not in jav


def test_annual_report_date_is_not_said_twice(docs):
    step = paragraph(docs["dagverksamhet"]["checklista"], "Årsrapport.")
    assert "senast den 31 mars året efter, första gången 2028" in step
    assert "Den första årsrapporten" not in step
    # A day moved to the weekday before (30 April 2028 is a Sunday) is still said.
    step = paragraph(docs["unga"]["checklista"], "Årsrapport.")
    assert "Den första årsrapporten, för 2027, lämnas senast den 28 april 2028." in step


# R4 1: the plain questions behind the signs of a public contract -----------------------

def test_checklist_asks_the_plain_questions_when_the_spec_does_not_answer_them(docs):
    # unga answers none of rättslig_bedömning.prövning, so the checker can find no sign
    # (participants placed or referred by the public party's decisions, HFD 2020 ref. 15).
    step = paragraph(docs["unga"]["checklista"], "Prövningsfrågorna")
    assert step.startswith("☐ Prövningsfrågorna (rättslig_bedömning.prövning) är inte besvarade.")
    assert "om deltagarna placeras eller hänvisas genom den offentliga partens beslut om " \
           "enskilda (individuella_beslut)" in step
    assert "Prövningsfrågorna" not in docs["dagverksamhet"]["checklista"]
    assert "Prövningsfrågorna" not in docs["unga"]["tjansteskrivelse"]


def test_an_addressed_sign_of_a_public_contract_is_a_named_risk(runner, tmp_path):
    import yaml

    data = yaml.safe_load(CANONICAL.read_text(encoding="utf-8"))
    data["rättslig_bedömning"]["prövning"]["individuella_beslut"] = "ja"
    data["rättslig_bedömning"]["upphandling"] += (
        " Socialsekreterare kan hänvisa deltagare, men inte genom individuella beslut om "
        "bistånd; verksamheten är öppen för alla i målgruppen.")
    source = tmp_path / "källa.yaml"
    source.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False),
                      encoding="utf-8")
    assert "IOP180" not in run(runner, "check", source).stdout
    section = risks(render_case(runner, source, tmp_path, "tecken")["tjansteskrivelse"])
    assert "Deltagarna placeras eller hänvisas genom socialnämnden Centrums beslut om " \
           "enskilda. Det är ett tecken på ett offentligt kontrakt; upphandlingsbedömningen " \
           "bemöter det (se Upphandling)." in section
    assert "upphandlingsskadeavgift" in section


def test_render_warns_when_the_memo_cannot_go_on_an_agenda(docs):
    # R6 7: no meeting, handläggare or signature is said when the memo is rendered.
    said = docs["unga"]["utskrift"]
    assert "Tjänsteskrivelsen saknar sammanträde, handläggare och underskrift och kan inte " \
           "sättas upp på föredragningslistan förrän de finns." in said
    assert "saknar sammanträde" not in docs["dagverksamhet"]["utskrift"]


def test_risks_say_there_is_no_de_minimis_fallback_above_the_ceiling(docs):
    # R6 15: on "ingen ekonomisk verksamhet" with aid above the ceiling, the risk is named.
    memo = docs["dagverksamhet"]["tjansteskrivelse"]
    assert "Bedömningen att verksamheten inte är ekonomisk bär beslutet om stödet till " \
           "Föreningen Vinternatt. Skulle verksamheten ändå bedömas som ekonomisk kan stödet " \
           "inte lämnas som stöd av mindre betydelse: det är omkring 654 545 euro och " \
           "överstiger taket (300 000 euro under tre år)." in memo
    # Under the ceiling, or on the de minimis ground itself: not said.
    assert "bär beslutet om stödet" not in docs["paraply"]["tjansteskrivelse"]
    assert "bär beslutet om stödet" not in docs["delat"]["tjansteskrivelse"]
