"""The web editor in a real browser (headless Chromium through Selenium).

Skips with a reason when Selenium, Chromium or chromedriver is missing; CI installs the
Debian packages `chromium` and `chromium-driver`, so it runs there.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import docx
import pytest
import yaml

from conftest import EXAMPLES
from serve_helpers import running_server

webdriver = pytest.importorskip("selenium.webdriver", reason="selenium är inte installerat")
from selenium.common.exceptions import (  # noqa: E402
    StaleElementReferenceException,
    TimeoutException,
)
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.support.ui import Select, WebDriverWait  # noqa: E402

CHROMIUM = next((shutil.which(name) for name in ("chromium", "chromium-browser",
                                                  "google-chrome") if shutil.which(name)), None)
CHROMEDRIVER = shutil.which("chromedriver")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None or CHROMEDRIVER is None,
    reason="Chromium och chromedriver behövs (Debian: apt-get install chromium chromium-driver)")

WAIT_SECONDS = 20


def make_driver(download_dir: Path, width: int = 1400, height: int = 1000):
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage",
                     "--disable-gpu", f"--window-size={width},{height}", "--lang=sv-SE"):
        options.add_argument(argument)
    options.add_experimental_option("prefs", {
        "download.default_directory": str(download_dir),
        "download.prompt_for_download": False,
    })
    driver = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))
    driver.execute_cdp_cmd("Page.setDownloadBehavior",
                           {"behavior": "allow", "downloadPath": str(download_dir)})
    return driver


@pytest.fixture
def driver(tmp_path):
    downloads = tmp_path / "nedladdat"
    downloads.mkdir()
    browser = make_driver(downloads)
    browser.downloads = downloads
    yield browser
    try:
        # Refused requests (a 409 on a save conflict) are expected; script errors are not.
        script_errors = [entry["message"] for entry in browser.get_log("browser")
                         if entry["level"] == "SEVERE" and entry.get("source") != "network"]
    finally:
        browser.quit()
    assert script_errors == []


def wait_for(driver, condition, message):
    try:
        # The form is rebuilt when lists change: a stale element just means "look again".
        return WebDriverWait(driver, WAIT_SECONDS, ignored_exceptions=[
            StaleElementReferenceException]).until(lambda d: condition(d))
    except TimeoutException:
        raise AssertionError(message + "\nStatus: " + driver.find_element(By.ID, "antal").text
                             + " | " + driver.find_element(By.ID, "status").text) from None


def field(driver, path: str):
    return driver.find_element(By.CSS_SELECTOR, f'[name="{path}"]')


def replace_text(element, text: str) -> None:
    """Select everything and type over it, as a user does (fires input events)."""
    element.send_keys(Keys.CONTROL, "a")
    element.send_keys(Keys.DELETE)
    if text:
        element.send_keys(text)


def findings_at(driver, path: str) -> list[str]:
    return [node.text for node in driver.find_elements(
        By.CSS_SELECTOR, f'[data-path="{path}"] > .fynd-plats > .fynd, '
                         f'[data-path="{path}"] .fynd')]


def error_count(driver) -> int | None:
    text = driver.find_element(By.ID, "antal").text
    return int(text.split()[0]) if text and text.split()[0].isdigit() else None


def go_to_step(driver, key: str) -> None:
    driver.find_element(By.CSS_SELECTOR, f'#steglista [data-steg="{key}"]').click()
    wait_for(driver, lambda d: d.find_elements(By.CSS_SELECTOR,
                                               f'#steginnehall section[data-path="{key}"]'),
             f"Avsnittet {key} visades inte")


def guide_heading(driver) -> str:
    found = driver.find_elements(By.CSS_SELECTOR, "#steginnehall h2")
    return found[0].text if found else ""


def fyll_i_in_fields(driver) -> list[str]:
    return [value for value in driver.execute_script("""
        return [...document.querySelectorAll('#steginnehall input, #steginnehall textarea')]
          .map((c) => c.value);""") if "FYLL I" in value]


def test_a_new_file_with_a_kind_opens_the_guide_and_a_save_writes_what_iopkit_new_would(
        tmp_path, driver):
    from iopkit.scaffold import scaffold_text
    from iopkit.serve.drafts import MODES_FILE, drafts_folder

    spec = tmp_path / "berga.yaml"
    scaffold = scaffold_text("tom", "berga.yaml")
    with running_server(str(spec), "--typ", "tom", cwd=tmp_path) as (process, url, _):
        driver.get(url)
        wait_for(driver, lambda d: guide_heading(d) == "Vem är du?",
                 "Den nya filen öppnades inte i guiden")
        assert "?token=" not in driver.current_url  # the token moved into the tab
        assert driver.execute_script("return IopForm.mode();") == "guide"
        assert fyll_i_in_fields(driver) == []
        # Spara with nothing typed writes the file `iopkit new` would have written.
        driver.find_element(By.ID, "spara").click()
        wait_for(driver, lambda d: "Sparat i" in d.find_element(By.ID, "status").text,
                 "Filen sparades inte")
        assert spec.read_text(encoding="utf-8") == scaffold
        # "Alla fält" too: empty fields with the examples as placeholders, no FYLL I.
        driver.find_element(By.XPATH, "//button[normalize-space()='Visa alla fält i stället']").click()
        wait_for(driver, lambda d: d.find_elements(By.CSS_SELECTOR, '[name="partnerskap.namn"]'),
                 "Alla fält visades inte")
        name = field(driver, "partnerskap.namn")
        assert name.get_attribute("value") == ""
        assert name.get_attribute("placeholder").startswith("Partnerskapets namn")
        assert fyll_i_in_fields(driver) == []
        # The empty required text is an error beside the field until it is filled in.
        wait_for(driver, lambda d: any(text.startswith("Fel:")
                                       for text in findings_at(d, "partnerskap.namn")),
                 "Inget fel visades vid det tomma namnet")
        assert name.get_attribute("aria-invalid") == "true"
        # One field typed: only that line loses its FYLL I text.
        name.send_keys("Läxhjälp i Berga")
        wait_for(driver, lambda d: not findings_at(d, "partnerskap.namn"), "Felet försvann inte")
        driver.find_element(By.ID, "spara").click()
        wait_for(driver, lambda d: "Läxhjälp i Berga" in spec.read_text(encoding="utf-8"),
                 "Namnet sparades inte")
        assert spec.read_text(encoding="utf-8").count("FYLL I") == scaffold.count("FYLL I") - 1

        def reopened(mode: str) -> None:
            driver.execute_script("window.onbeforeunload = null;")
            driver.refresh()
            wait_for(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "#steglista button")
                     and d.execute_script("return IopForm.mode();") == mode
                     and d.find_elements(By.CSS_SELECTOR, "#steginnehall h2"),
                     f"Filen öppnades inte i läget {mode}")
            # Either way the open questions are empty fields, the typed name is kept.
            assert fyll_i_in_fields(driver) == []
            assert driver.execute_script("return IopForm.toYamlData().partnerskap.namn;") \
                == "Läxhjälp i Berga"
            assert driver.execute_script("return IopForm.toYamlData().partnerskap.syfte;") \
                == ""

        # Saved from "Alla fält": it reopens there (the choice is kept beside the drafts).
        reopened("alla")
        assert field(driver, "partnerskap.namn").get_attribute("value") == "Läxhjälp i Berga"
        # Without that memory (another computer), a file with questions left is still
        # a partnership to fill in: the guide, though the save filled in a field.
        (drafts_folder() / MODES_FILE).unlink()
        reopened("guide")
        assert guide_heading(driver) == "Vem är du?"
    check = subprocess.run([sys.executable, "-m", "iopkit", "check", str(spec)],
                           capture_output=True, text=True, timeout=60)
    assert check.returncode == 0, check.stdout + check.stderr


def answered_scaffold(path: Path) -> None:
    """A file from `iopkit new --typ tom` whose FYLL I texts someone has answered in a
    text editor, leaving the comment markers on the values the scaffold filled in."""
    from iopkit.scaffold import scaffold_text

    path.write_text(scaffold_text("tom", path.name).replace('"FYLL I: ', '"'),
                    encoding="utf-8")


def test_fill_a_partnership_see_findings_add_a_party_download_and_save(tmp_path, driver):
    spec = tmp_path / "berga.yaml"
    answered_scaffold(spec)
    with running_server(str(spec), cwd=tmp_path) as (process, url, _):
        driver.get(url)
        # Every question answered: the file opens as it is, in "Alla fält".
        wait_for(driver, lambda d: d.find_elements(By.CSS_SELECTOR, '[name="partnerskap.namn"]'),
                 "Formuläret visades inte")
        assert driver.execute_script("return IopForm.mode();") == "alla"
        wait_for(driver, lambda d: error_count(d) == 0, "Filen ska vara utan fel")

        # A finding appears beside the field when a required text is emptied …
        name = field(driver, "partnerskap.namn")
        replace_text(name, "")
        wait_for(driver, lambda d: any(text.startswith("Fel:")
                                       for text in findings_at(d, "partnerskap.namn")),
                 "Inget fel visades vid det tomma namnet")
        assert name.get_attribute("aria-invalid") == "true"
        assert error_count(driver) >= 1
        # … and goes away when it is filled in.
        name.send_keys("Läxhjälp i Berga")
        wait_for(driver, lambda d: not findings_at(d, "partnerskap.namn") and error_count(d) == 0,
                 "Felet försvann inte")

        # A minimal partnership: the two parties of the scaffold get names.
        go_to_step(driver, "parter")
        # The scaffold's `# FYLL I` comments left in the file warn beside their fields
        # until filled in, in the page's words (the note itself is shown with "Stämmer").
        wait_for(driver, lambda d: any("”Stämmer”" in text and text.startswith("Varning:")
                                       for text in findings_at(d, "parter[0].organisationsnummer")),
                 "Mallens FYLL I-kommentar gav ingen varning vid fältet")
        assert "Kontrollera: den offentliga partens organisationsnummer" in driver.find_element(
            By.CSS_SELECTOR, '[data-path="parter[0].organisationsnummer"] > .mallnot').text
        replace_text(field(driver, "parter[0].organisationsnummer"), "212000-0001")
        wait_for(driver, lambda d: not findings_at(d, "parter[0].organisationsnummer"),
                 "Varningen försvann inte när fältet fylldes i")
        replace_text(field(driver, "parter[0].namn"), "Berga kommun genom socialnämnden")
        replace_text(field(driver, "parter[1].namn"), "Föreningen Läxhjälpen i Berga")

        # Add a third party: it starts with every required field empty (errors) …
        count_before = len(driver.find_elements(By.CSS_SELECTOR, "fieldset.post[data-path^='parter[']"))
        driver.find_element(By.XPATH, "//button[normalize-space()='Lägg till part']").click()
        wait_for(driver, lambda d: d.find_elements(By.CSS_SELECTOR, '[name="parter[2].namn"]'),
                 "Ingen ny part i formuläret")
        assert driver.switch_to.active_element == field(driver, "parter[2].id")  # focus moved
        wait_for(driver, lambda d: any(text.startswith("Fel:")
                                       for text in findings_at(d, "parter[2].namn")),
                 "Den nya partens tomma namn gav inget fel")
        replace_text(field(driver, "parter[2].id"), "kyrkan")
        replace_text(field(driver, "parter[2].namn"), "Berga församlings diakoniförening")
        Select(field(driver, "parter[2].typ")).select_by_value("ideell förening")
        replace_text(field(driver, "parter[2].organisationsnummer"), "802400-0005")
        replace_text(field(driver, "parter[2].kontaktperson.namn"), "Anna Berg")
        replace_text(field(driver, "parter[2].firmatecknare[0].namn"), "Anna Berg")
        assert len(driver.find_elements(
            By.CSS_SELECTOR, "fieldset.post[data-path^='parter[']")) > count_before

        # With two idéburna parties the money needs a recipient, chosen from the parties.
        go_to_step(driver, "resurser")
        wait_for(driver, lambda d: any(text.startswith("Fel:")
                                       for text in findings_at(d, "resurser[0]")),
                 "Ingen uppmaning att ange mottagare")
        recipient = Select(field(driver, "resurser[0].mottagare"))
        assert {"kommunen", "foreningen", "kyrkan"} <= {o.get_attribute("value")
                                                       for o in recipient.options}
        recipient.select_by_value("foreningen")
        wait_for(driver, lambda d: error_count(d) == 0, "Beskrivningen har kvar fel")

        # The preview shows the agreement with the new name.
        wait_for(driver, lambda d: "Läxhjälp i Berga" in (
            d.find_element(By.ID, "forhandsvisning").get_attribute("srcdoc") or ""),
            "Förhandsvisningen uppdaterades inte")

        # Download the agreement and read the typed names back.
        driver.find_element(By.ID, "ladda-avtal").click()
        target = driver.downloads / "berga-avtal.docx"
        wait_for(driver, lambda d: target.exists() and target.stat().st_size > 0,
                 "Avtalet laddades inte ner")
        time.sleep(0.5)  # let Chromium finish renaming the download
        text = "\n".join(p.text for p in docx.Document(target).paragraphs)
        text += "\n".join(c.text for t in docx.Document(target).tables
                          for r in t.rows for c in r.cells)
        for typed in ("Läxhjälp i Berga", "Berga kommun genom socialnämnden",
                      "Föreningen Läxhjälpen i Berga", "Berga församlings diakoniförening"):
            assert typed in text

        # Save: the file is written and passes `iopkit check`.
        driver.find_element(By.ID, "spara").click()
        wait_for(driver, lambda d: "Sparat i" in d.find_element(By.ID, "status").text,
                 "Filen sparades inte")
    saved = spec.read_text(encoding="utf-8")
    assert "Berga församlings diakoniförening" in saved and "802400-0005" in saved
    # Untouched lines stay exactly as in the scaffold; filled-in ones lose their FYLL I.
    assert "  start: 2027-01-01  # FYLL I: avtalets första dag\n" in saved
    assert "organisationsnummer: 212000-0001\n" in saved
    assert saved.startswith("# yaml-language-server: $schema=iopkit.schema.json\n#\n")
    check = subprocess.run([sys.executable, "-m", "iopkit", "check", str(spec)],
                           capture_output=True, text=True, timeout=60)
    assert check.returncode == 0, check.stdout + check.stderr


@contextmanager
def editing_example(tmp_path: Path, driver):
    """The page open on a copy of an example; yields the copy's path."""
    spec = tmp_path / "avtal.yaml"
    spec.write_bytes((EXAMPLES / "kvinnojour.yaml").read_bytes())
    with running_server(str(spec), cwd=tmp_path) as (_, url, _):
        driver.get(url)
        wait_for(driver, lambda d: d.find_elements(By.CSS_SELECTOR, '[name="partnerskap.namn"]'),
                 "Formuläret visades inte")
        yield spec


def test_save_conflict_lets_the_user_choose(tmp_path, driver):
    with editing_example(tmp_path, driver) as spec:
        spec.write_text(spec.read_text(encoding="utf-8").replace("Vårdlänken", "Disklänken"),
                        encoding="utf-8")
        replace_text(field(driver, "partnerskap.kortnamn"), "Formulärlänken")
        driver.find_element(By.ID, "spara").click()
        wait_for(driver, lambda d: d.find_element(By.ID, "konflikt").is_displayed(),
                 "Ingen konfliktdialog")
        assert "Disklänken" in driver.find_element(By.ID, "konflikt-disk").get_attribute("value")
        assert "Formulärlänken" in driver.find_element(By.ID, "konflikt-min").get_attribute("value")
        assert "Disklänken" in spec.read_text(encoding="utf-8")  # nothing overwritten yet
        driver.find_element(By.ID, "anvand-disk").click()
        wait_for(driver, lambda d: field(d, "partnerskap.kortnamn").get_attribute("value")
                 == "Disklänken", "Diskversionen visades inte i formuläret")


def test_every_example_and_scaffold_survives_the_page_round_trip(tmp_path, driver):
    """The page's data object and YAML writer lose nothing: each example and each kind of
    `iopkit new`, read by the server and written back by the page's JavaScript, checks
    exactly as the file does (FYLL I comments included)."""
    from iopkit.scaffold import scaffold_names, scaffold_text

    texts = {p.name: p.read_text(encoding="utf-8") for p in sorted(EXAMPLES.glob("*.yaml"))}
    texts.update({f"new {name}": scaffold_text(name) for name in scaffold_names()})
    with running_server(cwd=tmp_path) as (_, url, _):
        driver.get(url)
        wait_for(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "#typer button"),
                 "Typvalet visades inte")
        for name, text in texts.items():
            result = driver.execute_async_script("""
                const [text, done] = arguments;
                const post = (url, body) => fetch(url, {method: "POST", body,
                  headers: {"x-iopkit-token": sessionStorage.getItem("iopkit-token")}});
                (async () => {
                  const parsed = await (await post("/api/parse", text)).json();
                  IopForm.setData(parsed.data, parsed.kommentarer);
                  const yaml = IopForm.yaml();
                  const mine = await (await post("/api/check", yaml)).json();
                  const theirs = await (await post("/api/check", text)).json();
                  done(JSON.stringify({yaml, mine, theirs}));
                })().catch((e) => done(JSON.stringify({error: String(e)})));
            """, text)
            answer = json.loads(result)
            assert "error" not in answer, answer

            def key(report):
                # A `[a, b]  # FYLL I` list is written as a block list with the comment on
                # its key's line: the warning names the list, not its first item (the
                # page shows it beside the same list either way).
                return sorted((f["code"], re.sub(r"\[0\]$", "", f["path"]) if f["code"] ==
                               "IOP160" else f["path"], f["severity"], f["message"])
                              for f in report["findings"])

            assert key(answer["mine"]) == key(answer["theirs"]), name
            assert answer["yaml"].startswith("iopkit: 1\n")


def test_references_are_chosen_from_what_exists(tmp_path, driver):
    with editing_example(tmp_path, driver) as spec:
        data = yaml.safe_load(spec.read_text(encoding="utf-8"))
        needs = [need["id"] for need in data["behovsinventering"]["behov"]]
        parties = [party["id"] for party in data["parter"]]
        go_to_step(driver, "mål")
        assert driver.find_element(By.CSS_SELECTOR, '[data-path="mål[0]"] > legend').text == "Mål 1"
        boxes = driver.find_elements(By.CSS_SELECTOR, '[data-path="mål[0].behov"] input[type=checkbox]')
        assert [box.get_attribute("value") for box in boxes] == needs
        assert [box.is_selected() for box in boxes] == [n in data["mål"][0]["behov"] for n in needs]
        go_to_step(driver, "insatser")
        responsible = Select(field(driver, "insatser[0].ansvarig"))
        assert [o.get_attribute("value") for o in responsible.options] == ["", *parties]
        assert responsible.first_selected_option.get_attribute("value") == \
            data["insatser"][0]["ansvarig"]
        # A reference the model gained later is a drop-down too, found by its description.
        if "process" in driver.execute_script("return IopForm.steps()"):
            go_to_step(driver, "process")
            initiative = Select(field(driver, "process.initiativ.part"))
            assert [o.get_attribute("value") for o in initiative.options] == ["", *parties]
        # A need added in its step is offered to the goals at once.
        go_to_step(driver, "behovsinventering")
        driver.find_element(By.XPATH, "//button[normalize-space()='Lägg till behov']").click()
        new_id = f"behovsinventering.behov[{len(needs)}].id"
        wait_for(driver, lambda d: d.find_elements(By.CSS_SELECTOR, f'[name="{new_id}"]'),
                 "Inget nytt behov")
        replace_text(field(driver, new_id), "B99")
        go_to_step(driver, "mål")
        boxes = driver.find_elements(By.CSS_SELECTOR, '[data-path="mål[0].behov"] input[type=checkbox]')
        assert "B99" in [box.get_attribute("value") for box in boxes]
        # Lists shrink, and a removal can be undone.
        go_to_step(driver, "parter")
        driver.find_element(By.XPATH, "//button[normalize-space()='Ta bort part 1']").click()
        # The party is referenced (insatser, resurser …): the page asks first.
        alert = driver.switch_to.alert
        assert "används på" in alert.text
        alert.accept()
        wait_for(driver, lambda d: field(d, "parter[0].id").get_attribute("value") == parties[1],
                 "Parten togs inte bort")
        wait_for(driver, lambda d: any(text.startswith("Fel:") for text in findings_at(
            d, "parter")) or error_count(d), "Att ta bort en part gav inget fel")
        driver.find_element(By.ID, "angra").click()
        wait_for(driver, lambda d: field(d, "parter[0].id").get_attribute("value") == parties[0],
                 "Borttagningen ångrades inte")
        assert driver.switch_to.active_element == field(driver, "parter[0].id")
        # An enum is a drop-down with the schema's help text beside it.
        go_to_step(driver, "ekonomi")
        form = Select(field(driver, "ekonomi.ersättningsform"))
        # "per prestation" is always an error (IOP106): not offered.
        assert [o.get_attribute("value") for o in form.options] == ["", "bidrag"]
        help_id = field(driver, "ekonomi.ersättningsform").get_attribute("aria-describedby")
        assert "prestation" in driver.find_element(By.ID, help_id.split()[0]).text


TRICKY_TEXTS = [
    "rad 1\nrad 2", "slut\n\n\n", "en rad\n", " inledande mellanslag\nrad", "tab\tinne",
    'citat " och \\ bakåt', "ja", "nej", "2027-01-01", "08", "1e3", "#inte kommentar",
    "a: b", "- lista", "@", "`x`", "null", "~", "", "|", ">", "NEL\u0085x", "LS\u2028x",
    "PS\u2029x", "BOM\ufeffx", "styr\u0007tecken", "emoji 😀\nrad", "mellanslag sist \nx",
    "\nbörjar med radbrytning", "x\n  indragen rad", "å ä ö\r\nwindows", "x\n\ny",
]


def test_the_yaml_writer_keeps_every_text_exactly(tmp_path, driver):
    with running_server(cwd=tmp_path) as (_, url, _):
        driver.get(url)
        wait_for(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "#typer button"),
                 "Typvalet visades inte")
        result = driver.execute_async_script("""
            const [texts, done] = arguments;
            const data = {lista: texts, "nyckel med mellanslag": "v", "ja": texts[0]};
            texts.forEach((text, i) => { data["k" + i] = text; });
            const yaml = IopYaml.dump(data);
            fetch("/api/parse", {method: "POST", body: yaml,
                                 headers: {"x-iopkit-token": sessionStorage.getItem("iopkit-token")}})
              .then((r) => r.json()).then((body) => done(JSON.stringify({yaml, body})));
        """, TRICKY_TEXTS)
        answer = json.loads(result)
        data = answer["body"]["data"]
        assert data is not None, answer
        expected = TRICKY_TEXTS  # escaped where a block or YAML's line breaks would change it
        assert data["lista"] == expected
        assert [data[f"k{i}"] for i in range(len(TRICKY_TEXTS))] == expected
        assert data["nyckel med mellanslag"] == "v" and data["ja"] == expected[0]
        assert "lista:\n  - |-\n    rad 1\n    rad 2\n" in answer["yaml"]
        assert "k0: |-\n  rad 1\n  rad 2\n" in answer["yaml"]
        # Choosing a kind on the page opens the guide with that scaffold, empty.
        driver.find_element(By.CSS_SELECTOR, '#typer button[data-typ="barn-och-unga"]').click()
        wait_for(driver, lambda d: d.find_elements(By.CSS_SELECTOR, '[name="process.handläggare.namn"]'),
                 "Guiden visades inte efter typvalet")
        assert not driver.find_element(By.ID, "valj-typ").is_displayed()
        assert driver.find_element(By.ID, "spara").is_displayed() is False  # nothing to save to


def test_keyboard_only_and_200_percent_zoom(tmp_path):
    """Half the width at the same text size is what 200 % zoom gives: one column, no
    horizontal scrolling; every control has a label; Tab reaches the form."""
    downloads = tmp_path / "nedladdat"
    downloads.mkdir()
    driver = make_driver(downloads, width=700, height=900)
    try:
        with editing_example(tmp_path, driver):
            overflow = driver.execute_script(
                "return document.documentElement.scrollWidth - document.documentElement.clientWidth")
            assert overflow <= 1
            unlabelled = driver.execute_script("""
                return [...document.querySelectorAll('input, select, textarea')]
                  .filter((c) => c.type !== 'hidden' && !(c.labels && c.labels.length))
                  .map((c) => c.name || c.id);""")
            assert unlabelled == []
            # Keyboard: open the Parter step with Enter on its navigation button.
            button = driver.find_element(By.CSS_SELECTOR, '#steglista [data-steg="parter"]')
            button.send_keys(Keys.ENTER)
            wait_for(driver, lambda d: d.switch_to.active_element.tag_name == "h2"
                     and d.switch_to.active_element.text == "Parter", "Fokus flyttades inte")
            driver.switch_to.active_element.send_keys(Keys.TAB)
            assert driver.switch_to.active_element.get_attribute("name") == "parter[0].id"
    finally:
        driver.quit()


WRONG_SHAPES = """\
# Vår egen kommentar överst
iopkit: 1
partnerskap:
  namn: 'Enkla citat'   # slutkommentar
  # en rad för sig
  kortnamn: Vanlig
mål: en text där en lista ska stå
__proto__: okänd nyckel
parter:
  - namn: Första  # om första
    typ: kommun
"""


@pytest.mark.parametrize("content", [
    "kvinnojour", "paraply", "wrong-shapes"])
def test_showing_every_step_and_saving_one_edit_changes_only_that_line(tmp_path, driver,
                                                                        content):
    """The page's save is lossless: every step is shown (each list, each group), one
    value is edited, and the file differs from before in that line only."""
    import difflib

    spec = tmp_path / "avtal.yaml"
    if content == "wrong-shapes":
        spec.write_text(WRONG_SHAPES, encoding="utf-8")
    else:
        spec.write_bytes((EXAMPLES / f"{content}.yaml").read_bytes())
    before = spec.read_text(encoding="utf-8")
    with running_server(str(spec), cwd=tmp_path) as (_, url, _):
        driver.get(url)
        wait_for(driver, lambda d: d.find_elements(By.CSS_SELECTOR, '[name="partnerskap.namn"]'),
                 "Formuläret visades inte")
        for key in driver.execute_script("return IopForm.steps()"):
            go_to_step(driver, key)
        go_to_step(driver, "partnerskap")
        replace_text(field(driver, "partnerskap.kortnamn"), "Nytt kortnamn")
        driver.find_element(By.ID, "spara").click()
        wait_for(driver, lambda d: "Sparat i" in d.find_element(By.ID, "status").text,
                 "Filen sparades inte")
    after = spec.read_text(encoding="utf-8")
    diff = [line for line in difflib.unified_diff(before.splitlines(), after.splitlines(),
                                                  lineterm="", n=0)
            if not line.startswith(("---", "+++", "@@"))]
    assert len(diff) == 2, diff
    assert diff[0].startswith("-  kortnamn:") and diff[1] == "+  kortnamn: Nytt kortnamn"
