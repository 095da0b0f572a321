"""The checklist's steps around the decision, read back from Word: jäv, delegation,
the appeal period relative to `--datum`, de minimis before and after the grant, a
skyddat boende, the planning date for förlängning; and the agreement's title page once
the decision is taken."""

from __future__ import annotations

from pathlib import Path

import memo_specs
from conftest import run
from render_helpers import docx_paragraphs, norm


def render(runner, tmp_path: Path, data: dict, name: str, date: str,
           documents: str = "checklista") -> dict[str, str]:
    spec = memo_specs.write(data, tmp_path, name)
    result = run(runner, "render", spec, "-d", documents, "-f", "docx", "--datum", date,
                 "--force")
    assert result.exit_code == 0, result.output
    texts = {}
    for kind in documents.split(","):
        _, paragraphs = docx_paragraphs(tmp_path / f"{name}-{kind}.docx")
        texts[kind] = norm("\n".join(p.text for p in paragraphs))
    return texts


def item(text: str, start: str) -> str:
    """One checklist item: from `start` to the next box."""
    begin = text.index(start)
    ends = [i for i in (text.find("☐", begin + 1), text.find("☒", begin + 1)) if i > 0]
    return text[max(0, begin - 2):min(ends) if ends else None]


def posted(date: str, posted_on: str) -> dict:
    data = memo_specs.canonical()
    data["process"]["beslut"][1].update(datum=date, anslaget=posted_on)
    return data


def test_appeal_step_is_ticked_only_after_its_last_day(runner, tmp_path):
    # Decided Tuesday 15 December 2026, minutes posted Friday 18 December: three weeks
    # later is Friday 8 January 2027.
    data = posted("2026-12-15", "2026-12-18")
    text = render(runner, tmp_path, data, "fore", "2027-01-08")["checklista"]
    step = item(text, "Laglighetsprövning av beslutet den 15 december 2026")
    assert step.startswith("☐") and "sista dag är den 8 januari 2027" in step
    assert "Vänta till efter den dagen och kontrollera då att inget överklagande har " \
           "kommit in" in step
    text = render(runner, tmp_path, data, "efter", "2027-01-11")["checklista"]
    step = item(text, "Laglighetsprövning av beslutet den 15 december 2026")
    assert step.startswith("☒")
    assert "Tiden har gått ut; kontrollera hos förvaltningsrätten att inget överklagande " \
           "har kommit in" in step
    # Both decisions are taken and the appeal time is over: the decision step is done.
    assert item(text, "Beslut.").startswith("☒")
    assert "socialnämnden Centrum beslutade den 15 december 2026" in text


def test_decisions_after_the_checklist_date_are_planned(runner, tmp_path):
    text = render(runner, tmp_path, memo_specs.canonical(), "plan", "2026-12-01")["checklista"]
    assert item(text, "Göteborgs kommun genom socialnämnden Centrum: socialnämnden Centrum "
                      "ska besluta den 15 december 2026").startswith("☐")
    assert item(text, "Beslut.").startswith("☐")


def test_jav_step_for_the_deciding_body(runner, tmp_path):
    text = render(runner, tmp_path, memo_specs.canonical(), "jav", "2026-12-01")["checklista"]
    step = item(text, "Jäv i det organ som beslutar")
    assert step.startswith("☒")
    assert "6 kap. 28–32 §§ kommunallagen" in step and "5 kap. 47 §" in step
    assert "Ingen ledamot eller ersättare i socialnämnden Centrum" in step
    data = memo_specs.canonical()
    del data["process"]["jäv"]
    text = render(runner, tmp_path, data, "utan-jav", "2026-12-01")["checklista"]
    assert item(text, "Jäv i det organ som beslutar").startswith("☐")
    assert "Dokumentera bedömningen (process.jäv)" in text


def test_delegated_decision_steps(runner, tmp_path):
    data = memo_specs.delegated(date="2026-11-20", posted="2026-12-14")
    text = render(runner, tmp_path, data, "delegation", "2026-12-01")["checklista"]
    confirm = item(text, "Delegationen: bekräfta att delegationsordningen ger "
                         "förvaltningsdirektören rätt")
    assert "7 200 000 kr under avtalsperioden" in confirm and "6 kap. 38 §" in confirm
    assert "stora ekonomiska eller organisatoriska verkningar" in confirm
    assert "(7 kap. 8 § kommunallagen)" in item(text, "Anmälan till nämnden")
    appeal = item(text, "Laglighetsprövning av beslutet den 20 november 2026")
    assert "annars protokollet från det sammanträde där beslutet anmäldes" in appeal
    # The anslag (14 December) lies after the checklist's date: planned, not recorded.
    assert "planeras att tillkännages den 14 december 2026; sista dag för överklagande " \
           "blir då den 4 januari 2027" in appeal
    assert "Tillkännagivet" not in appeal
    data = memo_specs.delegated(organ="socialnämndens arbetsutskott", date="2026-11-20")
    text = render(runner, tmp_path, data, "utskott", "2026-12-01")["checklista"]
    assert "(6 kap. 40 § kommunallagen)" in item(text, "Anmälan till nämnden")
    assert "utskottets eller presidiets eget protokoll" in text


def test_de_minimis_steps_before_and_after_the_grant(runner, tmp_path):
    text = render(runner, tmp_path, memo_specs.de_minimis(500_000), "dm",
                  "2026-12-01")["checklista"]
    before = item(text, "Före beslutet: stöd av mindre betydelse.")
    assert "till dess att det centrala registret omfattar tre år (artikel 7.4)" in before
    notice = item(text, "Skriftligt besked till mottagaren")
    assert "bruttobidragsekvivalent" in notice and "(EU) 2023/2831" in notice
    assert "försäkran om annat stöd av mindre betydelse" in text
    rate = item(text, "Växelkurs:")
    assert rate.startswith("☐") and "en uppskattning med kursen 11 kronor per euro" in rate
    assert "fastställt den 15 januari 2026" in rate
    assert "inom 20 arbetsdagar från beviljandet (artikel 6" in item(
        text, "Efter beviljandet: registrering av stödet.")
    text = render(runner, tmp_path, memo_specs.sgei(), "sgei", "2026-12-01")["checklista"]
    assert "(EU) 2023/2832" in text and "uppdraget ska finnas skriftligt hos mottagaren" \
        in text


def test_skyddat_boende_steps(runner, tmp_path):
    text = render(runner, tmp_path, memo_specs.skyddat_boende(), "skyddat",
                  "2026-12-01")["checklista"]
    for start, needle in (
            ("Skyddat boende, anmälningsskyldighet", "socialtjänstlagen (2025:400)"),
            ("Skyddat boende, lex Sarah", "inte ideellt arbetande"),
            ("Skyddat boende, hemlig adress", "skyddade personuppgifter"),
            ("Skyddat boende, tillståndet", "om IVO återkallar eller begränsar tillståndet"),
            ("Konsekvensbedömning avseende dataskydd", "krävs för ett skyddat boende")):
        assert needle in item(text, start), start
    whistle = item(text, "Meddelarskydd:")
    assert "gäller för den verksamheten" in whistle
    assert "Pröva för övrig verksamhet (socialtjänst) de tre villkoren i 2 §: bedrivs den " \
           "yrkesmässigt, är den delvis offentligt finansierad, och hör den till ett av de " \
           "områden som lagen anger?" in whistle


def test_extension_date_moves_to_the_working_day_before(runner, tmp_path):
    data = memo_specs.canonical()
    # Six months before 5 December 2029 is 5 June 2029, a Tuesday; but 6 June is
    # Sveriges nationaldag: take a period ending 6 December, so 6 June 2029 (a holiday,
    # Wednesday) moves back to Tuesday 5 June.
    data["avtalsperiod"]["slut"] = "2029-12-06"
    text = render(runner, tmp_path, data, "forlangning", "2026-12-01")["checklista"]
    step = item(text, "Omförhandling, förnyelse eller avslut.")
    assert "Ta ställning till förlängning eller nytt avtal senast den 5 juni 2029" in step
    # An extension from 7 December 2029 needs money in both the 2029 and 2030 budgets.
    assert "ta upp frågan i arbetet med budgetarna för 2029 och 2030" in step
    # A Saturday (30 June 2029) moves back to Friday 29 June.
    data["avtalsperiod"]["slut"] = "2029-12-30"
    text = render(runner, tmp_path, data, "lordag", "2026-12-01")["checklista"]
    assert "senast den 29 juni 2029" in text


def test_resources_and_hours_are_not_mixed_with_varav(runner, tmp_path):
    text = render(runner, tmp_path, memo_specs.canonical(), "resurser", "2026-12-01")["checklista"]
    assert "varav" not in text
    assert "Ideellt arbete omfattar 3 000 timmar per år." in text
    assert "och personal omfattar" not in text


def test_agreement_is_the_approved_text_once_the_decision_is_taken(runner, tmp_path):
    texts = render(runner, tmp_path, memo_specs.canonical(), "fore", "2026-12-01", "avtal")
    title = texts["avtal"][:400]
    assert "UTKAST – 1 december 2026" in title
    texts = render(runner, tmp_path, memo_specs.canonical(), "efter", "2026-12-20", "avtal")
    title = texts["avtal"][:400]
    assert "UTKAST" not in title
    assert "Godkänt av socialnämnden Centrum den 15 december 2026" in title


def test_screening_and_state_aid_steps_stay_open_while_their_findings_are(runner, tmp_path):
    """Second reader: the checklist ticked "Prövning mot IOP-kriterierna" and "Statsstöd"
    while signs of a public contract (and IOP119) were open."""
    import memo_specs

    from conftest import run

    data = memo_specs.skyddat_boende("ja")
    data["rättslig_bedömning"]["prövning"] = {"lagstadgad_insats": "ja", "marknad": "ja"}
    data["rättslig_bedömning"]["statsstöd_grund"] = "ingen ekonomisk verksamhet"
    spec = memo_specs.write(data, tmp_path, "tecken")
    result = run(runner, "render", spec, "-d", "checklista", "-f", "md", "--datum", "2026-12-01")
    text = (tmp_path / "tecken-checklista.md").read_text(encoding="utf-8")
    assert "☐ **Prövning mot IOP-kriterierna.**" in text, result.output
    state_aid = next(line for line in text.splitlines() if "Statsstöd (grund" in line)
    assert "☐" in state_aid
