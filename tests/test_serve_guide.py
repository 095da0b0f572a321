"""The web editor's guide in a real browser (headless Chromium through Selenium): a new
partnership filled in one question at a time, amounts as people write them, references
that follow a rename, findings that do not swing. Skips without Chromium/chromedriver."""

from __future__ import annotations

import subprocess
import sys
import time

import docx
import pytest
import yaml

from serve_helpers import running_server
from test_serve_guide_flow import draft_holds, reload_and_continue
from test_serve_browser import (  # noqa: F401  (the fixture `driver` is used by name)
    CHROMEDRIVER,
    CHROMIUM,
    driver,
    field,
    replace_text,
    wait_for,
)

pytest.importorskip("selenium.webdriver", reason="selenium är inte installerat")
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import Select  # noqa: E402

pytestmark = [pytest.mark.slow, pytest.mark.skipif(
    CHROMIUM is None or CHROMEDRIVER is None,
    reason="Chromium och chromedriver behövs (Debian: apt-get install chromium chromium-driver)")]

#: What a user types on each page of the guide, by field name.
ANSWERS = {
    "process.handläggare.namn": "Anna Berg",
    "process.handläggare.titel": "Utvecklingsledare",
    "parter[0].namn": "Berga kommun genom socialnämnden",
    "parter[0].organisationsnummer": "212000-0001",
    "parter[0].kontaktperson.namn": "Anna Berg",
    "parter[0].firmatecknare[0].namn": "Karin Ek",
    "parter[1].namn": "Föreningen Läxhjälpen i Berga",
    "parter[1].organisationsnummer": "802400-0005",
    "parter[1].kontaktperson.namn": "Omar Said",
    "parter[1].firmatecknare[0].namn": "Omar Said",
    "parter[1].verksamhetsidé": "Att alla barn ska få hjälp med skolarbetet.",
    "behovsinventering.datum": "2026-10-01",
    "behovsinventering.metod": "Två gemensamma workshoppar med skolor och föräldrar.",
    "behovsinventering.behov[0].beskrivning": "Barn i årskurs 4–9 behöver stöd med läxorna.",
    "partnerskap.namn": "Läxhjälp i Berga",
    "partnerskap.syfte": "Att fler barn klarar skolan.",
    "partnerskap.målgrupp": "Barn i årskurs 4–9 i Berga.",
    "partnerskap.bakgrund": "Många barn saknar stöd med skolarbetet hemma.",
    "mål[0].beskrivning": "Fler elever når godkända betyg.",
    "mål[0].indikatorer[0].beskrivning": "Antal barn som deltar",
    "mål[0].indikatorer[0].målvärde": "minst 60",
    "mål[0].indikatorer[0].källa": "Föreningens närvarolistor",
    "insatser[0].beskrivning": "Läxhjälp två eftermiddagar i veckan.",
    "insatser[1].beskrivning": "Kommunen informerar skolorna om läxhjälpen.",
    "resurser[0].belopp_per_år": "400 000 kr",
    "resurser[0].beskrivning": "Bidrag till samordnare och material",
    "resurser[1].beskrivning": "Ideella läxhjälpare",
    "resurser[1].timmar_per_år": "800",
    "ekonomi.utbetalning": "Kvartalsvis i förskott.",
    "ekonomi.redovisning": "Ekonomisk redovisning senast den 31 mars året efter.",
    "avtalsperiod.start": "2027-01-01",
    "avtalsperiod.uppsägningstid_månader": "6",
    "uppföljning.första_datum": "2027-06-15",
    "uppföljning.årsrapport": "Senast den 31 mars varje år.",
    "styrning.beslutsform": "Gruppen fattar beslut i samförstånd.",
    "rättslig_bedömning.statsstöd": ("Stödet är av mindre betydelse och understiger taket; "
                                     "organisationen intygar tidigare stöd."),
}


def fill_page(driver) -> None:
    for element in driver.find_elements(By.CSS_SELECTOR, "#steginnehall input[type=text][name], "
                                                         "#steginnehall textarea[name]"):
        name = element.get_attribute("name")
        if name in ANSWERS and element.get_attribute("value") != ANSWERS[name]:
            replace_text(element, ANSWERS[name])


def page_heading(driver) -> str:
    return driver.find_element(By.CSS_SELECTOR, "#steginnehall h2").text


def counts(driver) -> tuple[int, int]:
    words = driver.find_element(By.ID, "antal").text.replace(",", "").split()
    return int(words[0]), int(words[2])


def start_guide(driver, url: str) -> None:
    driver.get(url)
    wait_for(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "#typer button"), "Typvalet visades inte")
    driver.find_element(By.CSS_SELECTOR, '#typer button[data-typ="tom"]').click()
    wait_for(driver, lambda d: page_heading(d) == "Vem är du?", "Guiden började inte med frågan om dig")


def test_a_whole_partnership_through_the_guide_only(tmp_path, driver):  # noqa: F811
    with running_server(cwd=tmp_path) as (_, url, _):
        start_guide(driver, url)
        # A new partnership starts empty: examples are placeholders, nothing to delete.
        name = field(driver, "process.handläggare.namn")
        assert name.get_attribute("value") == ""
        assert "FYLL I" not in driver.find_element(By.ID, "steginnehall").text
        assert "Fråga 1 av 10" in driver.find_element(By.ID, "steginnehall").text

        reloaded_at = None
        for _ in range(13):
            heading = page_heading(driver)
            # A screen reader's view: every control has a label; the question has focus
            # after "Nästa", so Tab goes on into the page's fields.
            assert driver.execute_script("""
                return [...document.querySelectorAll('#steginnehall input, #steginnehall select, #steginnehall textarea')]
                  .filter((c) => !(c.labels && c.labels.length)).map((c) => c.name || c.id);""") == []
            if heading != "Vem är du?" and heading != reloaded_at:
                assert driver.switch_to.active_element.text == heading
            fill_page(driver)
            if heading == "Vad vill ni åstadkomma?" and reloaded_at is None:
                # Half-way: the page is reloaded; the draft brings back the same question.
                typed = [ANSWERS[e.get_attribute("name")] for e in driver.find_elements(
                    By.CSS_SELECTOR, "#steginnehall [name]")
                    if e.get_attribute("name") in ANSWERS]
                wait_for(driver, lambda d: draft_holds(*typed), "Utkastet fick inte allt som skrevs")
                reload_and_continue(driver)
                wait_for(driver, lambda d: page_heading(d) == heading,
                         "Utkastet öppnades inte på frågan där användaren var")
                assert field(driver, "partnerskap.namn").get_attribute("value") == "Läxhjälp i Berga"
                reloaded_at = heading
                continue
            if heading == "Vilka är parterna?":
                # The kommun is not asked what only an idéburen organisation answers.
                assert not driver.find_elements(By.CSS_SELECTOR, '[name="parter[0].verksamhetsidé"]')
                assert driver.find_elements(By.CSS_SELECTOR, '[name="parter[1].verksamhetsidé"]')
                assert not driver.find_elements(By.CSS_SELECTOR, '[name$=".id"]')  # no ids to type
            if heading == "Hur länge ska avtalet gälla?":
                Select(field(driver, "guide.antal_år")).select_by_value("3")
                wait_for(driver, lambda d: "till och med 2029-12-31" in d.find_element(
                    By.ID, "steginnehall").text, "Sista dagen räknades inte fram")
            if heading == "Hur följer ni upp arbetet?":
                Select(field(driver, "uppföljning.intervall")).select_by_value("halvårsvis")
            if heading == "Är det här ett partnerskap, eller ett köp?":
                text = driver.find_element(By.ID, "steginnehall").text
                assert "Har kommunen tidigare köpt eller upphandlat" in text
                assert "Placerar kommunen personer i verksamheten genom egna beslut?" in text
                assert "Erbjuder andra samma sak mot betalning?" in text
                for key in ("tidigare_upphandlad", "lagstadgad_insats", "individuella_beslut",
                            "marknad", "behöver_utföras"):
                    driver.find_element(By.CSS_SELECTOR,
                                        f'input[name="rättslig_bedömning.prövning.{key}"][value="nej"]').click()
                driver.find_element(By.XPATH, "//button[normalize-space()='Använd förslaget']").click()
                wait_for(driver, lambda d: "inte är ett offentligt kontrakt" in (
                    field(d, "rättslig_bedömning.upphandling").get_attribute("value") or ""),
                    "Förslaget till bedömning fylldes inte i")
                fill_page(driver)
                Select(field(driver, "rättslig_bedömning.statsstöd_grund")).select_by_value(
                    "stöd av mindre betydelse")
            if heading == "Så här ser partnerskapet ut":
                break
            driver.find_element(By.ID, "nasta").click()
            wait_for(driver, lambda d: page_heading(d) != heading, "Nästa fråga visades inte")

        wait_for(driver, lambda d: d.find_element(By.ID, "antal").text.startswith("0 fel"),
                 "Guiden lämnade fel kvar: " + " | ".join(
                     e.text for e in driver.find_elements(By.CSS_SELECTOR, "#fynd li.fel")))
        summary = driver.find_element(By.ID, "steginnehall").text
        assert "Läxhjälp i Berga" in summary and "Föreningen Läxhjälpen i Berga" in summary
        assert reloaded_at == "Vad vill ni åstadkomma?"
        assert driver.execute_script("return IopForm.toYamlData().process.handläggare.namn;") \
            == "Anna Berg"  # typed before the reload

        # A goal gets a new text: the activities that serve it show the new one, still chosen.
        driver.find_element(By.CSS_SELECTOR, '#steglista [data-steg="guide-mal"]').click()
        goal = wait_for(driver, lambda d: d.find_elements(By.CSS_SELECTOR, '[name="mål[0].beskrivning"]'),
                        "Målen visades inte")[0]
        replace_text(goal, "Fler elever klarar kunskapskraven i alla ämnen.")
        driver.find_element(By.CSS_SELECTOR, '#steglista [data-steg="guide-insatser"]').click()
        wait_for(driver, lambda d: any(
            "Mål 1: Fler elever klarar kunskapskraven i alla ämnen." in label.text
            and d.find_element(By.ID, label.get_attribute("for")).is_selected()
            for label in d.find_elements(By.CSS_SELECTOR, '[data-path="insatser[0].mål"] label')),
            "Insatsen följde inte med när målet fick en ny text")
        wait_for(driver, lambda d: d.find_element(By.ID, "antal").text.startswith("0 fel"),
                 "Den nya texten gav fel")

        # Every document from the page, under the names iopkit gives them.
        from test_serve_browser_drafts import DOCUMENT_BUTTONS

        offered = [(b, s) for b, s in DOCUMENT_BUTTONS if driver.find_element(By.ID, b).is_displayed()]
        assert len(offered) >= 17  # four documents in four formats and the calendar
        for button, suffix in offered:
            target = driver.downloads / f"avtal-{suffix}"
            driver.find_element(By.ID, button).click()
            wait_for(driver, lambda d: target.exists() and target.stat().st_size > 0
                     and "är nedladdad" in d.find_element(By.ID, "status").text,
                     f"{target.name} laddades inte ner")
        time.sleep(0.5)
        names = sorted(p.name for p in driver.downloads.iterdir())
        assert names == sorted(f"avtal-{suffix}" for _, suffix in offered)
        agreement = docx.Document(driver.downloads / "avtal-avtal.docx")
        text = "\n".join(p.text for p in agreement.paragraphs)
        assert "Läxhjälp i Berga" in text
        assert "Fler elever klarar kunskapskraven i alla ämnen." in text + "\n".join(
            cell.text for table in agreement.tables for row in table.rows for cell in row.cells)
        memo = docx.Document(driver.downloads / "avtal-tjansteskrivelse.docx")
        assert "Läxhjälp i Berga" in "\n".join(p.text for p in memo.paragraphs)
        yaml_text = driver.execute_script("return IopForm.yaml();")
        driver.execute_script("window.onbeforeunload = null;")
    # The page wrote 400 000 kr as the number the model reads, and iopkit check agrees.
    data = yaml.safe_load(yaml_text)
    assert data["resurser"][0]["belopp_per_år"] == 400000
    assert str(data["avtalsperiod"]["slut"]) == "2029-12-31"
    spec = tmp_path / "laxhjalp.yaml"
    spec.write_text(yaml_text, encoding="utf-8")
    check = subprocess.run([sys.executable, "-m", "iopkit", "check", str(spec)],
                           capture_output=True, text=True, timeout=60)
    assert check.returncode == 0, check.stdout + check.stderr


def test_renaming_a_goal_its_activities_follow_and_removal_asks(tmp_path, driver):  # noqa: F811
    from conftest import EXAMPLES

    spec = tmp_path / "avtal.yaml"
    spec.write_text((EXAMPLES / "dagverksamhet.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    with running_server(str(spec), cwd=tmp_path) as (_, url, _):
        driver.get(url)
        wait_for(driver, lambda d: d.find_elements(By.CSS_SELECTOR, '[name="partnerskap.namn"]'),
                 "Formuläret visades inte")
        driver.find_element(By.CSS_SELECTOR, '#steglista [data-steg="mål"]').click()
        goal = wait_for(driver, lambda d: d.find_elements(By.CSS_SELECTOR, '[name="mål[0].beskrivning"]'),
                        "Målen visades inte")[0]
        replace_text(goal, "Ett nytt namn på målet")
        # The goal's code is renamed too: its activities keep pointing at it.
        replace_text(field(driver, "mål[0].id"), "MX")
        field(driver, "mål[0].beskrivning").click()  # leave the field: the rename applies
        driver.find_element(By.CSS_SELECTOR, '#steglista [data-steg="insatser"]').click()
        wait_for(driver, lambda d: any(
            "Mål 1: Ett nytt namn på målet" in label.text and d.find_element(
                By.ID, label.get_attribute("for")).is_selected()
            for label in d.find_elements(By.CSS_SELECTOR, '[data-path="insatser[0].mål"] label')),
            "Insatsen följde inte med när målet bytte namn")
        data = driver.execute_script("return IopForm.toYamlData();")
        assert "MX" in [str(v) for v in data["insatser"][0]["mål"]]
        assert "finns inte" not in driver.find_element(By.ID, "steginnehall").text
        wait_for(driver, lambda d: d.find_element(By.ID, "antal").text.startswith("0 fel"),
                 "Bytet av kod gav fel")


def test_warnings_stay_visible_while_an_error_is_fixed(tmp_path, driver):  # noqa: F811
    from conftest import EXAMPLES

    spec = tmp_path / "avtal.yaml"
    spec.write_text((EXAMPLES / "dagverksamhet.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    with running_server(str(spec), cwd=tmp_path) as (_, url, _):
        driver.get(url)
        wait_for(driver, lambda d: d.find_elements(By.CSS_SELECTOR, '[name="partnerskap.namn"]'),
                 "Formuläret visades inte")
        # A warning to keep an eye on: a period that ends one day into a new year.
        driver.find_element(By.CSS_SELECTOR, '#steglista [data-steg="avtalsperiod"]').click()
        end = wait_for(driver, lambda d: d.find_elements(By.CSS_SELECTOR, '[name="avtalsperiod.slut"]'),
                       "Avtalsperioden visades inte")[0]
        start = field(driver, "avtalsperiod.start").get_attribute("value")
        replace_text(end, f"{int(start[:4]) + 3}-{start[5:]}")
        wait_for(driver, lambda d: d.find_element(By.ID, "antal").text.startswith("0 fel")
                 and counts(d)[1] >= 1, "Ingen varning för en period som slutar in i ett nytt år")
        before = counts(driver)[1]
        # An error elsewhere (an empty required text) does not hide the warnings …
        driver.find_element(By.CSS_SELECTOR, '#steglista [data-steg="partnerskap"]').click()
        name = wait_for(driver, lambda d: d.find_elements(By.CSS_SELECTOR, '[name="partnerskap.namn"]'),
                        "Partnerskapet visades inte")[0]
        replace_text(name, "")
        wait_for(driver, lambda d: d.find_element(By.ID, "antal").text.startswith("1 fel"),
                 "Det tomma namnet gav inget fel")
        assert counts(driver)[1] == before  # "1 fel, 0 varningar" was the old swing
        listed = driver.find_element(By.ID, "fynd").text
        assert "Avtalets sista dag" in listed and "avtalsperiod.slut" not in listed
        name.send_keys("Dagverksamhet")
        wait_for(driver, lambda d: d.find_element(By.ID, "antal").text.startswith("0 fel"),
                 "Felet försvann inte")
        assert counts(driver)[1] == before
        time.sleep(0.1)


def test_a_finding_on_a_question_field_quotes_the_label(tmp_path, driver):  # noqa: F811
    """A label that is a question is quoted in the list of findings, so the message's
    colon does not run into the question mark ("kontrakt?: Bedömningen …")."""
    from conftest import EXAMPLES

    data = yaml.safe_load((EXAMPLES / "dagverksamhet.yaml").read_text(encoding="utf-8"))
    del data["rättslig_bedömning"]["upphandling"]
    spec = tmp_path / "avtal.yaml"
    spec.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    with running_server(str(spec), cwd=tmp_path) as (_, url, _):
        driver.get(url)
        wait_for(driver, lambda d: "upphandlingsfrågan saknas" in d.find_element(By.ID, "fynd").text,
                 "Ingen varning för den saknade upphandlingsbedömningen")
        listed = driver.find_element(By.ID, "fynd").text
        label = driver.execute_script(
            "return IopForm.labelOfPath('rättslig_bedömning.upphandling');")
        assert label.endswith("?")
        assert f"i ”{label}”: Bedömningen av upphandlingsfrågan saknas" in listed
        assert "?: " not in listed
