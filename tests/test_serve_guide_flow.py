"""The web editor's guide from start to end, in a real browser (headless Chromium): a
file `iopkit new` made opens in the guide without "FYLL I", warnings show while the
guide is half done, a draft goes back to the page the user was on, drafts per file when
started on a folder, the guide by keyboard alone. Skips without Chromium/chromedriver."""

from __future__ import annotations

import subprocess
import sys

import pytest

from serve_helpers import running_server
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

pytestmark = [pytest.mark.slow, pytest.mark.skipif(
    CHROMIUM is None or CHROMEDRIVER is None,
    reason="Chromium och chromedriver behövs (Debian: apt-get install chromium chromium-driver)")]


def page_heading(driver) -> str:
    return driver.find_element(By.CSS_SELECTOR, "#steginnehall h2").text


def control_values(driver) -> list[str]:
    return driver.execute_script("""
        return [...document.querySelectorAll('#steginnehall input[type=text], #steginnehall textarea')]
          .map((c) => c.value);""")


def new_file(tmp_path, name: str = "ny.yaml", kind: str = "barn-och-unga"):
    subprocess.run([sys.executable, "-m", "iopkit", "new", name, "--typ", kind], cwd=tmp_path,
                   check=True, capture_output=True, timeout=60)
    return tmp_path / name


def test_a_file_from_iopkit_new_opens_in_the_guide_without_fyll_i(tmp_path, driver):  # noqa: F811
    spec = new_file(tmp_path)
    before = spec.read_bytes()
    with running_server(str(spec), cwd=tmp_path) as (_, url, _):
        driver.get(url)
        wait_for(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "#steginnehall h2")
                 and page_heading(d) == "Vem är du?", "Den nya filen öppnades inte i guiden")
        assert driver.execute_script("return IopForm.mode();") == "guide"
        assert "Fråga 1 av" in driver.find_element(By.ID, "steginnehall").text
        # Every page of the guide: no FYLL I to select and delete, the examples are
        # placeholders of empty fields.
        placeholders = 0
        for _ in range(12):
            heading = page_heading(driver)
            text = driver.find_element(By.ID, "steginnehall").text
            assert "FYLL I" not in text, heading
            assert not [v for v in control_values(driver) if "FYLL I" in v], heading
            placeholders += len(driver.find_elements(
                By.CSS_SELECTOR, "#steginnehall input[placeholder], #steginnehall textarea[placeholder]"))
            if heading == "Så här ser partnerskapet ut":
                break
            driver.find_element(By.ID, "nasta").click()
            wait_for(driver, lambda d: page_heading(d) != heading, "Nästa fråga visades inte")
        assert page_heading(driver) == "Så här ser partnerskapet ut"
        name = driver.execute_script("return IopForm.toYamlData().partnerskap.namn;")
        assert name in ("", None)
        assert placeholders >= 10
        assert spec.read_bytes() == before  # opening changes nothing on disk
        # Spara with nothing typed leaves the file as it was: the empty fields keep the
        # scaffold's FYLL I texts in the file (iopkit check still passes, render works).
        driver.find_element(By.ID, "spara").click()
        wait_for(driver, lambda d: d.find_element(By.ID, "status").text.startswith("Sparat i"),
                 "Filen sparades inte")
        assert spec.read_bytes() == before
        # One field typed: that line changes, every FYLL I elsewhere stays.
        driver.find_element(By.CSS_SELECTOR, '#steglista [data-steg="guide-du"]').click()
        wait_for(driver, lambda d: page_heading(d) == "Vem är du?", "Första frågan visades inte")
        replace_text(field(driver, "process.handläggare.namn"), "Anna Berg")
        driver.find_element(By.ID, "spara").click()
        wait_for(driver, lambda d: "Anna Berg" in spec.read_text(encoding="utf-8"),
                 "Namnet sparades inte")
    import difflib

    after = spec.read_text(encoding="utf-8")
    diff = [line for line in difflib.unified_diff(before.decode("utf-8").splitlines(),
                                                  after.splitlines(), lineterm="", n=0)
            if line[:1] in "+-" and line[:3] not in ("+++", "---")]
    # Only added lines (the handläggare, in a section the scaffold did not have).
    assert diff and all(line.startswith("+") for line in diff), diff
    assert any("Anna Berg" in line for line in diff)
    assert after.count("FYLL I") == before.decode("utf-8").count("FYLL I")
    check = subprocess.run([sys.executable, "-m", "iopkit", "check", str(spec)],
                           capture_output=True, text=True, timeout=60)
    assert check.returncode == 0, check.stdout + check.stderr


def test_a_file_someone_has_filled_in_opens_as_it_is(tmp_path, driver):  # noqa: F811
    from conftest import EXAMPLES

    spec = tmp_path / "avtal.yaml"
    spec.write_bytes((EXAMPLES / "kvinnojour.yaml").read_bytes())
    with running_server(str(spec), cwd=tmp_path) as (_, url, _):
        driver.get(url)
        wait_for(driver, lambda d: d.find_elements(By.CSS_SELECTOR, '[name="partnerskap.namn"]'),
                 "Formuläret visades inte")
        assert driver.execute_script("return IopForm.mode();") == "alla"
        assert field(driver, "partnerskap.namn").get_attribute("value")


def counts(driver) -> tuple[int, int]:
    words = driver.find_element(By.ID, "antal").text.replace(",", "").split()
    return int(words[0]), int(words[2])


def start_guide(driver, url: str, kind: str = "tom") -> None:
    driver.get(url)
    wait_for(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "#typer button"), "Typvalet visades inte")
    driver.find_element(By.CSS_SELECTOR, f'#typer button[data-typ="{kind}"]').click()
    wait_for(driver, lambda d: page_heading(d) == "Vem är du?", "Guiden började inte med frågan om dig")


def go_to_page(driver, key: str, heading: str) -> None:
    driver.find_element(By.CSS_SELECTOR, f'#steglista [data-steg="{key}"]').click()
    wait_for(driver, lambda d: page_heading(d) == heading, f"Sidan {heading!r} visades inte")


def test_warnings_show_while_the_guide_is_half_done(tmp_path, driver):  # noqa: F811
    from selenium.webdriver.support.ui import Select

    with running_server(cwd=tmp_path) as (_, url, _):
        start_guide(driver, url)
        wait_for(driver, lambda d: d.find_element(By.ID, "antal").text, "Ingen kontroll")
        errors, _ = counts(driver)
        assert errors > 0  # a new partnership: most of it is still empty
        # The period, and nothing else: eight years is longer than the guidelines' four.
        go_to_page(driver, "guide-period", "Hur länge ska avtalet gälla?")
        replace_text(field(driver, "avtalsperiod.start"), "2027-01-01")
        Select(field(driver, "guide.antal_år")).select_by_value("8")
        wait_for(driver, lambda d: counts(d)[0] > 0 and counts(d)[1] >= 1
                 and any(n.text.startswith("Varning:") and "längre än fyra år" in n.text
                         for n in d.find_elements(By.CSS_SELECTOR, "#steginnehall .fynd")),
                 "Varningen för en lång period visades inte medan resten var tomt")
        assert "fler varningar kan komma" in driver.find_element(By.ID, "kontrollstatus").text
        listed = driver.find_element(By.ID, "fynd").text
        assert "längre än fyra år" in listed and "avtalsperiod.slut" not in listed
        # Shortened: the warning goes at once (it is not kept from an earlier check).
        Select(field(driver, "guide.antal_år")).select_by_value("3")
        wait_for(driver, lambda d: "längre än fyra år" not in d.find_element(By.ID, "fynd").text
                 and not d.find_elements(By.CSS_SELECTOR, "#steginnehall .fynd.varning"),
                 "Varningen försvann inte när perioden kortades")
        assert counts(driver)[0] > 0
        # A check with errors only is current too: an old warning is not kept (only a
        # text that cannot be read at all keeps the last ones).
        kept = driver.execute_script("""
            IopModel.steadyFindings([{severity: "varning", code: "IOP130", path: "avtalsperiod.slut"}]);
            const unreadable = IopModel.steadyFindings([{severity: "fel", code: "IOP001", path: ""}]).earlier;
            const now = IopModel.steadyFindings([{severity: "fel", code: "IOP018", path: "partnerskap.namn"}]).earlier;
            return [unreadable, now];""")
        assert kept == [1, 0]


def value_of(driver, name: str) -> str | None:
    """The field's value, or None while the form is being built."""
    found = driver.find_elements(By.CSS_SELECTOR, f'[name="{name}"]')
    return found[0].get_attribute("value") if found else None


def draft_holds(*texts: str) -> bool:
    """Whether a draft in the drafts folder (IOPKIT_UTKAST, one per test) has every text
    of `texts`, as the page sent them (the last keystroke included)."""
    from iopkit.serve.drafts import drafts_folder

    for path in drafts_folder().glob("*.json"):
        try:
            content = path.read_text(encoding="utf-8")
        except OSError:
            continue
        if all(text in content for text in texts):
            return True
    return False


def draft_saved_after(driver, action, *texts: str) -> None:
    """Do `action` and wait until a draft with `texts` has been saved after it."""
    driver.execute_script("document.getElementById('utkaststatus').textContent = '';")
    action()
    wait_for(driver, lambda d: d.find_element(By.ID, "utkaststatus").text.startswith("Utkast sparat")
             and draft_holds(*texts), "Inget utkast sparades med " + ", ".join(texts))


def reload_and_continue(driver, offered: str | None = None) -> None:
    """Reload the page and choose "Fortsätt där du slutade" (whose text names
    `offered`, the place the draft was left, when given)."""
    import time

    from test_serve_browser_drafts import accept_leave_prompt

    driver.execute_script("setTimeout(() => location.reload(), 0);")
    time.sleep(1)
    accept_leave_prompt(driver)  # headless Chromium may reload without showing it
    wait_for(driver, lambda d: d.find_element(By.ID, "utkast").is_displayed(),
             "Utkastet erbjöds inte efter omladdningen")
    if offered is not None:
        assert offered in driver.find_element(By.ID, "utkast-text").text
    driver.find_element(By.ID, "fortsatt").click()
    wait_for(driver, lambda d: not d.find_element(By.ID, "utkast").is_displayed(),
             "Utkastet öppnades inte")


def test_a_draft_reopens_where_the_user_was(tmp_path, driver):  # noqa: F811
    with running_server(cwd=tmp_path) as (_, url, _):
        start_guide(driver, url, "barn-och-unga")
        for _ in range(3):  # to the fourth question with "Nästa"
            heading = page_heading(driver)
            driver.find_element(By.ID, "nasta").click()
            wait_for(driver, lambda d: page_heading(d) != heading, "Nästa fråga visades inte")
        assert page_heading(driver) == "Vad vill ni åstadkomma?"
        example = field(driver, "partnerskap.syfte").get_attribute("placeholder")
        assert example and "FYLL I" not in example
        draft_saved_after(driver, lambda: replace_text(field(driver, "partnerskap.namn"),
                                                       "Läxhjälp i Berga"),
                          "Läxhjälp i Berga", '"steg": "guide-mal"')
        reload_and_continue(driver, "tillbaka till frågan ”Vad vill ni åstadkomma?”")
        # The guide, on the same question, with the examples still in the empty fields.
        wait_for(driver, lambda d: page_heading(d) == "Vad vill ni åstadkomma?",
                 "Utkastet öppnades inte på frågan där användaren var")
        assert driver.execute_script("return IopForm.mode();") == "guide"
        assert field(driver, "partnerskap.namn").get_attribute("value") == "Läxhjälp i Berga"
        assert field(driver, "partnerskap.syfte").get_attribute("placeholder") == example
        assert field(driver, "partnerskap.syfte").get_attribute("value") == ""
        # … and the file to be written still gets the scaffold's text where it is empty.
        assert driver.execute_script(
            "return IopForm.toYamlData(true).partnerskap.syfte;").startswith("FYLL I")

        # "Alla fält", the economy step: a draft from there reopens there.
        driver.find_element(By.XPATH, "//button[normalize-space()='Visa alla fält i stället']").click()
        go_to_page(driver, "ekonomi", "Ekonomi")
        draft_saved_after(driver, lambda: replace_text(field(driver, "ekonomi.utbetalning"),
                                                       "Kvartalsvis i förskott."),
                          "Kvartalsvis i förskott.", '"steg": "ekonomi"')
        reload_and_continue(driver, "tillbaka till avsnittet ”Ekonomi”")
        wait_for(driver, lambda d: page_heading(d) == "Ekonomi",
                 "Utkastet öppnades inte i steget där användaren var")
        assert driver.execute_script("return IopForm.mode();") == "alla"
        assert field(driver, "ekonomi.utbetalning").get_attribute("value") == "Kvartalsvis i förskott."
        # Moving to another step without typing is remembered too.
        draft_saved_after(driver, lambda: go_to_page(driver, "styrning", "Styrning"),
                          '"steg": "styrning"')
        reload_and_continue(driver)
        wait_for(driver, lambda d: page_heading(d) == "Styrning", "Steget sparades inte i utkastet")


def test_drafts_per_file_when_started_on_a_folder(tmp_path, driver):  # noqa: F811
    import time

    from conftest import EXAMPLES
    from test_serve_browser_drafts import accept_leave_prompt

    folder = tmp_path / "avtal"
    folder.mkdir()
    for name in ("kvinnojour.yaml", "dagverksamhet.yaml"):
        (folder / name).write_bytes((EXAMPLES / name).read_bytes())
    before = {p.name: p.read_bytes() for p in folder.iterdir()}

    from test_serve_directory_browser import wait_for as wait_on_any_page

    def open_from_list(name: str) -> None:
        # The draft has the work: leave without the browser's question (a question that
        # comes late would stop the next step).
        driver.execute_script("""window.addEventListener("beforeunload",
            (event) => event.stopImmediatePropagation(), true);""")
        driver.get(url.split("/?")[0] + "/")
        accept_leave_prompt(driver)
        link = wait_on_any_page(driver, lambda d: d.find_elements(
            By.CSS_SELECTOR, f'#lista tr[data-fil="{name}"] td a'), "Listan visades inte")[0]
        link.click()
        wait_on_any_page(driver, lambda d: d.find_elements(
            By.CSS_SELECTOR, '[name="partnerskap.kortnamn"]'), f"{name} öppnades inte")

    with running_server(str(folder), cwd=tmp_path) as (_, url, _):
        driver.get(url)
        open_from_list("kvinnojour.yaml")
        assert not driver.find_element(By.ID, "utkast").is_displayed()
        draft_saved_after(driver, lambda: replace_text(field(driver, "partnerskap.kortnamn"),
                                                       "Jouren, ändrad"), "Jouren, ändrad")
        open_from_list("dagverksamhet.yaml")
        time.sleep(0.5)
        # The other file's draft is not offered here …
        assert not driver.find_element(By.ID, "utkast").is_displayed()
        assert value_of(driver, "partnerskap.kortnamn") != "Jouren, ändrad"
        draft_saved_after(driver, lambda: replace_text(field(driver, "partnerskap.kortnamn"),
                                                       "Dagverksamheten, ändrad"),
                          "Dagverksamheten, ändrad")
        # … and each file gets its own back.
        for name, text in (("kvinnojour.yaml", "Jouren, ändrad"),
                           ("dagverksamhet.yaml", "Dagverksamheten, ändrad")):
            open_from_list(name)
            wait_for(driver, lambda d: d.find_element(By.ID, "utkast").is_displayed(),
                     f"Utkastet till {name} erbjöds inte")
            driver.find_element(By.ID, "fortsatt").click()
            wait_for(driver, lambda d: value_of(d, "partnerskap.kortnamn") == text,
                     f"Fel utkast öppnades för {name}")
        # Saving one file ends its draft, not the other's.
        driver.find_element(By.ID, "spara").click()
        wait_for(driver, lambda d: d.find_element(By.ID, "status").text.startswith("Sparat i"),
                 "dagverksamhet.yaml sparades inte")
        assert "Dagverksamheten, ändrad" in (folder / "dagverksamhet.yaml").read_text(encoding="utf-8")
        open_from_list("dagverksamhet.yaml")
        time.sleep(0.5)
        assert not driver.find_element(By.ID, "utkast").is_displayed()
        open_from_list("kvinnojour.yaml")
        wait_for(driver, lambda d: d.find_element(By.ID, "utkast").is_displayed(),
                 "Utkastet till kvinnojour.yaml försvann när en annan fil sparades")
    assert (folder / "kvinnojour.yaml").read_bytes() == before["kvinnojour.yaml"]
    assert not list(folder.glob("*.json"))  # no draft beside the user's files


def test_the_guide_by_keyboard_alone(tmp_path, driver):  # noqa: F811
    from selenium.webdriver.common.keys import Keys

    def active():
        return driver.switch_to.active_element

    def focus_is_visible() -> bool:
        return driver.execute_script("""
            const e = document.activeElement;
            const style = getComputedStyle(e);
            return e.matches(':focus-visible') && style.outlineStyle !== 'none'
              && parseFloat(style.outlineWidth) >= 2;""")

    def press(key) -> None:
        active().send_keys(key)

    with running_server(cwd=tmp_path) as (_, url, _):
        driver.get(url)
        wait_for(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "#typer button"), "Typvalet visades inte")
        # The first kind has focus; arrows are not needed: Tab to "tom", Enter.
        wait_for(driver, lambda d: active().get_attribute("data-typ"), "Typvalet fick inte fokus")
        for _ in range(10):
            if active().get_attribute("data-typ") == "tom":
                break
            press(Keys.TAB)
        assert active().get_attribute("data-typ") == "tom"
        press(Keys.ENTER)
        wait_for(driver, lambda d: page_heading(d) == "Vem är du?", "Guiden öppnades inte med Enter")
        # Nothing on the page changes the natural order with a positive tabindex.
        assert driver.execute_script(
            "return [...document.querySelectorAll('[tabindex]')].filter((e) => e.tabIndex > 0).length;") == 0
        # To the legal questions with the navigation: Enter on its button, focus on the question.
        driver.find_element(By.CSS_SELECTOR, '#steglista [data-steg="guide-juridik"]').send_keys(Keys.ENTER)
        wait_for(driver, lambda d: active().tag_name == "h2"
                 and active().text == "Är det här ett partnerskap, eller ett köp?",
                 "Fokus flyttades inte till frågan")
        before = driver.find_element(By.ID, "antal").text
        live = driver.find_element(By.ID, "antal")
        assert live.get_attribute("role") == "status" and live.get_attribute("aria-live") == "polite"

        # Each question: Tab into its group, arrows to the answer (ja, nej, vet inte).
        wanted = {"tidigare_upphandlad": "ja", "lagstadgad_insats": "nej",
                  "individuella_beslut": "vet inte", "marknad": "nej", "behöver_utföras": "nej"}
        steps = {"ja": 0, "nej": 1, "vet inte": 2}
        for key, answer in wanted.items():
            press(Keys.TAB)
            assert active().get_attribute("name") == f"rättslig_bedömning.prövning.{key}", key
            assert focus_is_visible(), key
            if answer == "ja":
                press(Keys.SPACE)
            for _ in range(steps[answer]):
                press(Keys.ARROW_RIGHT)
            assert active().get_attribute("value") == answer and active().is_selected(), key
        data = driver.execute_script("return IopForm.toYamlData()['rättslig_bedömning']['prövning'];")
        assert data == wanted
        # The findings are announced in the live region (the counts change) and written
        # beside the question they concern, which its radios point at.
        wait_for(driver, lambda d: d.find_element(By.ID, "antal").text != before,
                 "Svaren gav inga nya fynd i kontrollens statusrad")
        wait_for(driver, lambda d: d.find_elements(
            By.CSS_SELECTOR, '[data-path="rättslig_bedömning.prövning.tidigare_upphandlad"] .fynd'),
            "Inget fynd vid frågan om tidigare upphandling")
        # On with Tab to "Nästa fråga", in the page's order, every stop visible.
        positions = []
        for _ in range(80):
            press(Keys.TAB)
            positions.append(driver.execute_script("""
                const all = [...document.querySelectorAll('body *')];
                return all.indexOf(document.activeElement);"""))
            assert focus_is_visible(), active().get_attribute("outerHTML")[:120]
            if active().get_attribute("id") == "nasta":
                break
        assert active().get_attribute("id") == "nasta"
        assert positions == sorted(positions)  # the order is the page's reading order
        press(Keys.ENTER)
        wait_for(driver, lambda d: active().tag_name == "h2"
                 and active().text == "Så här ser partnerskapet ut", "Enter på Nästa flyttade inte fokus")


def test_the_start_and_the_file_picker_never_mention_fyll_i(tmp_path, driver):  # noqa: F811
    """What a new user reads before the first question: the kinds to start from, the
    "Öppna fil" button and its file chooser, the list of a folder."""
    words = """
        const texts = [document.body.innerText];
        for (const e of document.querySelectorAll('[aria-label], [placeholder], [title], label, option')) {
          texts.push(e.getAttribute('aria-label') || '', e.getAttribute('placeholder') || '',
                     e.getAttribute('title') || '', e.textContent || '');
        }
        return texts.join(' | ');"""
    with running_server(cwd=tmp_path) as (_, url, _):
        driver.get(url)
        wait_for(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "#typer button"), "Typvalet visades inte")
        start = driver.execute_script(words)
        assert "Välj en typ att börja från" in start and "Öppna fil" in start
        assert "fyll i" not in start.lower()  # nor "FYLL I", in any case
    folder = tmp_path / "avtal"
    folder.mkdir()
    with running_server(str(folder), cwd=tmp_path) as (_, url, _):
        driver.get(url)
        wait_for(driver, lambda d: d.find_elements(By.ID, "nytt-namn"), "Katalogsidan visades inte")
        assert "fyll i" not in driver.execute_script(words).lower()
