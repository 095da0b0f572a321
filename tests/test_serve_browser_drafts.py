"""The web editor never loses work, in a real browser (headless Chromium): drafts and
"Fortsätt där du slutade", the banner when the server has stopped, a file opened from
the computer, every document downloaded, the preview's scroll position and the
conflict dialog in words. Skips like test_serve_browser.py without Chromium."""

from __future__ import annotations

import signal
import time
from pathlib import Path

import docx
import pikepdf
import pytest

from conftest import EXAMPLES
from serve_helpers import running_server
from test_serve_browser import (  # noqa: F401  (driver is a fixture)
    CHROMEDRIVER,
    CHROMIUM,
    driver,
    error_count,
    field,
    replace_text,
    wait_for,
)

pytest.importorskip("selenium.webdriver", reason="selenium är inte installerat")
from selenium.common.exceptions import NoAlertPresentException  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402

pytestmark = pytest.mark.skipif(
    CHROMIUM is None or CHROMEDRIVER is None,
    reason="Chromium och chromedriver behövs (Debian: apt-get install chromium chromium-driver)")

KVINNOJOUR = EXAMPLES / "kvinnojour.yaml"


def text_of(driver, element_id: str) -> str:
    return driver.find_element(By.ID, element_id).text


def form_shown(driver) -> None:
    wait_for(driver, lambda d: d.find_elements(By.CSS_SELECTOR, '[name="partnerskap.namn"]'),
             "Formuläret visades inte")


def draft_saved(driver, *texts: str) -> None:
    """Wait until the page says a draft was saved and, when `texts` are given, until a
    draft in the drafts folder holds them all (the status may still show an earlier save
    while the last keystrokes are on their way)."""
    from test_serve_guide_flow import draft_holds

    wait_for(driver, lambda d: text_of(d, "utkaststatus").startswith("Utkast sparat")
             and (not texts or draft_holds(*texts)), "Inget utkast sparades")


def accept_leave_prompt(driver) -> bool:
    """The browser's "Lämna webbplatsen?" question; True when it was asked."""
    try:
        alert = driver.switch_to.alert
    except NoAlertPresentException:
        return False
    alert.accept()
    return True


def leaving_is_questioned(driver) -> bool:
    """What the page answers the browser's beforeunload: a cancelled event makes the
    browser ask "Lämna webbplatsen?"."""
    return driver.execute_script("""
        const event = new Event("beforeunload", { cancelable: true });
        window.dispatchEvent(event);
        return event.defaultPrevented;""")


def test_type_reload_and_continue_from_the_draft(tmp_path, driver):
    spec = tmp_path / "avtal.yaml"
    spec.write_bytes(KVINNOJOUR.read_bytes())
    with running_server(str(spec), cwd=tmp_path) as (_, url, _):
        driver.get(url)
        form_shown(driver)
        assert driver.find_element(By.ID, "utkast").is_displayed() is False  # no draft yet
        replace_text(field(driver, "partnerskap.kortnamn"), "Skrivet men inte sparat")
        draft_saved(driver, "Skrivet men inte sparat")
        # A reload with unsaved changes asks first; the user goes ahead anyway.
        assert leaving_is_questioned(driver)
        driver.execute_script("setTimeout(() => location.reload(), 0);")
        time.sleep(1)
        accept_leave_prompt(driver)  # headless Chromium may reload without showing it
        form_shown(driver)
        assert field(driver, "partnerskap.kortnamn").get_attribute("value") == "Vårdlänken"
        wait_for(driver, lambda d: d.find_element(By.ID, "utkast").is_displayed(),
                 "Utkastet erbjöds inte efter omladdningen")
        assert "sparades den " in text_of(driver, "utkast-text")
        driver.find_element(By.ID, "fortsatt").click()
        wait_for(driver, lambda d: field(d, "partnerskap.kortnamn").get_attribute("value")
                 == "Skrivet men inte sparat", "Utkastet öppnades inte")
        assert driver.find_element(By.ID, "utkast").is_displayed() is False
        assert "Vårdlänken" in spec.read_text(encoding="utf-8")  # the file is untouched
        # Saving writes the draft's work to the file and the draft is gone.
        driver.find_element(By.ID, "spara").click()
        wait_for(driver, lambda d: text_of(d, "status").startswith("Sparat i"),
                 "Utkastet sparades inte i filen")
    assert "kortnamn: Skrivet men inte sparat" in spec.read_text(encoding="utf-8")
    # A new start of the server: the saved file is newer than any draft, nothing offered.
    with running_server(str(spec), cwd=tmp_path) as (_, url, _):
        driver.get(url)
        form_shown(driver)
        time.sleep(0.5)
        assert driver.find_element(By.ID, "utkast").is_displayed() is False


def test_work_without_a_file_survives_a_restart_of_the_server(tmp_path, driver):
    with running_server("--typ", "tom", cwd=tmp_path) as (_, url, _):
        driver.get(url)
        # A new partnership of a kind starts in the guide, its fields empty.
        wait_for(driver, lambda d: d.find_elements(By.CSS_SELECTOR, '[name="process.handläggare.namn"]'),
                 "Guiden visades inte")
        assert driver.execute_script("return IopForm.mode();") == "guide"
        replace_text(field(driver, "process.handläggare.namn"), "Anna Berg")
        driver.find_element(By.ID, "nasta").click()  # on to the parties' question
        wait_for(driver, lambda d: d.find_elements(By.CSS_SELECTOR, '[name="parter[0].namn"]'),
                 "Nästa fråga visades inte")
        replace_text(field(driver, "parter[1].namn"), "Läxhjälpen i Berga")
        draft_saved(driver, "Läxhjälpen i Berga", "Anna Berg")
    assert not list(tmp_path.glob("*.json"))  # no draft beside the user's files
    with running_server(cwd=tmp_path) as (_, url, _):
        driver.get(url)
        time.sleep(0.3)
        accept_leave_prompt(driver)
        wait_for(driver, lambda d: d.find_element(By.ID, "utkast").is_displayed(),
                 "Utkastet erbjöds inte vid nästa start")
        driver.find_element(By.ID, "fortsatt").click()
        # Back in the guide, on the question the user was on, with what was typed.
        wait_for(driver, lambda d: d.find_elements(By.CSS_SELECTOR, '[name="parter[1].namn"]'),
                 "Utkastet öppnades inte på frågan om parterna")
        assert driver.execute_script("return IopForm.mode();") == "guide"
        assert field(driver, "parter[1].namn").get_attribute("value") == "Läxhjälpen i Berga"
        assert driver.execute_script(
            "return IopForm.toYamlData().process.handläggare.namn;") == "Anna Berg"
        assert driver.find_element(By.ID, "valj-typ").is_displayed() is False


def test_a_thrown_away_draft_is_not_offered_again(tmp_path, driver):
    from iopkit.serve.drafts import NO_FILE_KEY, Drafts, drafts_folder

    Drafts(NO_FILE_KEY).save(None, {"fil": None, "data": {"iopkit": 1}, "mall": None,
                                    "kommentarer": [], "version": None, "namn": None})
    with running_server(cwd=tmp_path) as (_, url, _):
        driver.get(url)
        wait_for(driver, lambda d: d.find_element(By.ID, "utkast").is_displayed(),
                 "Utkastet erbjöds inte")
        driver.find_element(By.ID, "slang-utkast").click()
        wait_for(driver, lambda d: text_of(d, "status") == "Utkastet är slängt.",
                 "Utkastet slängdes inte")
        assert driver.find_element(By.ID, "utkast").is_displayed() is False
        assert list(drafts_folder().iterdir()) == []
        driver.refresh()
        wait_for(driver, lambda d: d.find_element(By.ID, "valj-typ").is_displayed(),
                 "Typvalet visades inte")
        assert driver.find_element(By.ID, "utkast").is_displayed() is False


def test_a_stopped_server_shows_the_banner_and_never_claims_a_save(tmp_path, driver):
    spec = tmp_path / "avtal.yaml"
    spec.write_bytes(KVINNOJOUR.read_bytes())
    with running_server(str(spec), cwd=tmp_path) as (process, url, _):
        driver.get(url)
        form_shown(driver)
        replace_text(field(driver, "partnerskap.kortnamn"), "Först sparad")
        driver.find_element(By.ID, "spara").click()
        wait_for(driver, lambda d: text_of(d, "status").startswith("Sparat i"),
                 "Den första sparningen lyckades inte")
        process.send_signal(signal.SIGINT)
        process.wait(timeout=15)
        replace_text(field(driver, "partnerskap.kortnamn"), "Aldrig sparad")
        driver.find_element(By.ID, "spara").click()
        wait_for(driver, lambda d: d.find_element(By.ID, "avbrott").is_displayed(),
                 "Ingen röd banderoll när servern hade stoppats")
        banner = driver.find_element(By.ID, "avbrott")
        assert banner.get_attribute("role") == "alert"
        assert "ingenting har sparats" in banner.text
        assert f'iopkit serve "{spec}"' in banner.text
        wait_for(driver, lambda d: "Sparar" not in text_of(d, "status"),
                 "Statusen blev kvar på Sparar …")
        assert not text_of(driver, "status").startswith("Sparat")
        assert "Ingenting har sparats" in text_of(driver, "status")
        # The check and a document end with an error, not a message that never changes.
        wait_for(driver, lambda d: "Kontrollerar" not in text_of(d, "kontrollstatus"),
                 "Kontrollerar … tog aldrig slut")
        driver.find_element(By.ID, "ladda-avtal").click()
        wait_for(driver, lambda d: "svarar inte" in text_of(d, "status"),
                 "Skapar … tog aldrig slut")
        # The copy on the computer is made without the server.
        driver.find_element(By.ID, "kopia").click()
        copy = driver.downloads / "avtal.yaml"
        wait_for(driver, lambda d: copy.exists() and copy.stat().st_size > 0,
                 "Kopian laddades inte ner")
        time.sleep(0.3)
        assert "Aldrig sparad" in copy.read_text(encoding="utf-8")
        driver.execute_script("window.onbeforeunload = null;")
    assert "Först sparad" in spec.read_text(encoding="utf-8")


def test_open_a_file_from_the_computer(tmp_path, driver):
    chosen = tmp_path / "dator" / "från-datorn.yaml"
    chosen.parent.mkdir()
    chosen.write_text(KVINNOJOUR.read_text(encoding="utf-8").replace("Vårdlänken", "Datorlänken"),
                      encoding="utf-8")
    broken = tmp_path / "dator" / "trasig.yaml"
    broken.write_text("iopkit: 1\npartnerskap: [\n", encoding="utf-8")
    with running_server(cwd=tmp_path) as (_, url, _):
        driver.get(url)
        wait_for(driver, lambda d: d.find_element(By.ID, "valj-typ").is_displayed(),
                 "Typvalet visades inte")
        chooser = driver.find_element(By.ID, "oppna-fil")
        chooser.send_keys(str(broken))
        wait_for(driver, lambda d: "trasig.yaml kunde inte öppnas (rad" in text_of(d, "status"),
                 "Den trasiga filen gav inget fel med rad")
        chooser.send_keys(str(chosen))
        form_shown(driver)
        assert field(driver, "partnerskap.kortnamn").get_attribute("value") == "Datorlänken"
        assert "Öppnad från datorn: från-datorn.yaml" in text_of(driver, "fil")
        wait_for(driver, lambda d: error_count(d) == 0, "Den öppnade filen ska vara utan fel")
        assert driver.find_element(By.ID, "spara").is_displayed() is False
        # The YAML download is the opened file, with its comments, under its own name.
        replace_text(field(driver, "partnerskap.kortnamn"), "Ändrad i sidan")
        driver.find_element(By.ID, "ladda-yaml").click()
        target = driver.downloads / "från-datorn.yaml"
        wait_for(driver, lambda d: target.exists() and target.stat().st_size > 0,
                 "YAML-filen laddades inte ner")
        time.sleep(0.3)
        text = target.read_text(encoding="utf-8")
        assert "kortnamn: Ändrad i sidan" in text
        assert text.splitlines()[0] == KVINNOJOUR.read_text(encoding="utf-8").splitlines()[0]
        # Documents are named after it.
        driver.find_element(By.ID, "ladda-kalender").click()
        ics = driver.downloads / "från-datorn-kalender.ics"
        wait_for(driver, lambda d: ics.exists() and ics.stat().st_size > 0,
                 "Kalendern laddades inte ner med den öppnade filens namn")
    assert chosen.read_text(encoding="utf-8").count("Datorlänken") == 1  # never written back


DOCUMENT_BUTTONS = [
    ("ladda-avtal", "avtal.docx"), ("ladda-pdf", "avtal.pdf"),
    ("ladda-avtal-html", "avtal.html"), ("ladda-avtal-md", "avtal.md"),
    ("ladda-checklista", "checklista.docx"), ("ladda-checklista-pdf", "checklista.pdf"),
    ("ladda-checklista-html", "checklista.html"), ("ladda-checklista-md", "checklista.md"),
    ("ladda-tjansteskrivelse", "tjansteskrivelse.docx"),
    ("ladda-tjansteskrivelse-pdf", "tjansteskrivelse.pdf"),
    ("ladda-tjansteskrivelse-html", "tjansteskrivelse.html"),
    ("ladda-tjansteskrivelse-md", "tjansteskrivelse.md"),
    ("ladda-uppfoljning", "uppfoljning.docx"), ("ladda-uppfoljning-pdf", "uppfoljning.pdf"),
    ("ladda-uppfoljning-html", "uppfoljning.html"), ("ladda-uppfoljning-md", "uppfoljning.md"),
    ("ladda-kalender", "kalender.ics"),
    ("ladda-arsrapport", "arsrapport-2028.docx"), ("ladda-arsrapport-pdf", "arsrapport-2028.pdf"),
    ("ladda-arsrapport-html", "arsrapport-2028.html"),
    ("ladda-arsrapport-md", "arsrapport-2028.md"),
]


def test_every_document_downloads_under_the_cli_name(tmp_path, driver):
    spec = tmp_path / "dagverksamhet.yaml"
    spec.write_bytes((EXAMPLES / "dagverksamhet.yaml").read_bytes())
    (tmp_path / "uppfoljning").mkdir()
    (tmp_path / "uppfoljning" / "utfall.yaml").write_bytes(
        (EXAMPLES / "uppfoljning" / "utfall.yaml").read_bytes())
    with running_server(str(spec), cwd=tmp_path) as (_, url, _):
        driver.get(url)
        form_shown(driver)
        wait_for(driver, lambda d: d.find_element(By.ID, "ladda-arsrapport").is_displayed(),
                 "Årsrapporten erbjöds inte trots uppföljningsfilen")
        # The name, not the short name: the agreement defines a short name only when its
        # text uses it (R3 14).
        replace_text(field(driver, "partnerskap.namn"), "Sidans partnerskap")
        wait_for(driver, lambda d: error_count(d) == 0, "Exemplet ska vara utan fel")
        for button, suffix in DOCUMENT_BUTTONS:
            target = driver.downloads / f"dagverksamhet-{suffix}"
            driver.find_element(By.ID, button).click()
            wait_for(driver, lambda d: target.exists() and target.stat().st_size > 0
                     and "är nedladdad" in text_of(d, "status"),
                     f"{target.name} laddades inte ner")
        time.sleep(0.5)
        driver.execute_script("window.onbeforeunload = null;")
    names = sorted(p.name for p in driver.downloads.iterdir())
    assert names == sorted(f"dagverksamhet-{suffix}" for _, suffix in DOCUMENT_BUTTONS)
    memo = docx.Document(driver.downloads / "dagverksamhet-tjansteskrivelse.docx")
    assert any("Tjänsteskrivelse" in p.text for p in memo.paragraphs) or \
        "Tjänsteskrivelse" in memo.core_properties.title
    agreement = docx.Document(driver.downloads / "dagverksamhet-avtal.docx")
    text = "\n".join(p.text for p in agreement.paragraphs)
    assert "Sidans partnerskap" in text  # made from the form, not from the file on disk
    with pikepdf.open(driver.downloads / "dagverksamhet-avtal.pdf") as pdf:
        assert len(pdf.pages) >= 2
    assert (driver.downloads / "dagverksamhet-kalender.ics").read_text(
        encoding="utf-8").startswith("BEGIN:VCALENDAR")


def test_the_preview_keeps_its_scroll_position(tmp_path, driver):
    spec = tmp_path / "avtal.yaml"
    spec.write_bytes(KVINNOJOUR.read_bytes())
    with running_server(str(spec), cwd=tmp_path) as (_, url, _):
        driver.get(url)
        form_shown(driver)
        wait_for(driver, lambda d: "kvinnor och barn som utsatts" in (
            d.find_element(By.ID, "forhandsvisning").get_attribute("srcdoc") or ""),
            "Förhandsvisningen visades inte")
        time.sleep(0.5)
        driver.execute_script(
            "document.getElementById('forhandsvisning').contentWindow.scrollTo(0, 900);")
        before = driver.execute_script(
            "return document.getElementById('forhandsvisning').contentWindow.scrollY;")
        assert before > 500
        # The name, not the short name: an unused short name is not printed (R3 14).
        replace_text(field(driver, "partnerskap.namn"), "Ny rubrik")
        wait_for(driver, lambda d: "Ny rubrik" in (
            d.find_element(By.ID, "forhandsvisning").get_attribute("srcdoc") or ""),
            "Förhandsvisningen uppdaterades inte")
        wait_for(driver, lambda d: d.execute_script(
            "return document.getElementById('forhandsvisning').contentWindow.scrollY;")
            == before, "Förhandsvisningen hoppade till början")
        driver.execute_script("window.onbeforeunload = null;")


def test_the_conflict_dialog_says_in_words_what_differs(tmp_path, driver):
    spec = tmp_path / "avtal.yaml"
    spec.write_bytes(KVINNOJOUR.read_bytes())
    with running_server(str(spec), cwd=tmp_path) as (_, url, _):
        driver.get(url)
        form_shown(driver)
        spec.write_text(spec.read_text(encoding="utf-8").replace("Vårdlänken", "Disklänken"),
                        encoding="utf-8")
        replace_text(field(driver, "partnerskap.kortnamn"), "Formulärlänken")
        driver.find_element(By.ID, "spara").click()
        wait_for(driver, lambda d: d.find_element(By.ID, "konflikt").is_displayed(),
                 "Ingen konfliktdialog")
        words = text_of(driver, "konflikt-andringar")
        assert "1 ändring" in words and "Partnerskapet" in words
        assert "Disklänken" in words and "Formulärlänken" in words
        assert not driver.find_element(By.ID, "konflikt-disk").is_displayed()  # text on request
        assert "Sparat" not in text_of(driver, "status")
        driver.find_element(By.ID, "behall-min").click()
        wait_for(driver, lambda d: text_of(d, "status").startswith("Sparat i"),
                 "Min version sparades inte")
    assert "kortnamn: Formulärlänken" in spec.read_text(encoding="utf-8")
