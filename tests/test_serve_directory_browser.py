"""`iopkit serve KATALOG` in a real browser (headless Chromium): the list, opening a
partnership, editing and saving it, back to the list, and the register downloaded.

Skips with a reason when Selenium, Chromium or chromedriver is missing (as
test_serve_browser.py, whose driver it uses)."""

from __future__ import annotations

import time
from pathlib import Path

import openpyxl
import pytest

from conftest import EXAMPLES
from serve_helpers import running_server

pytest.importorskip("selenium.webdriver", reason="selenium är inte installerat")
from selenium.common.exceptions import (  # noqa: E402
    StaleElementReferenceException,
    TimeoutException,
)
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import Select, WebDriverWait  # noqa: E402
from test_serve_browser import (  # noqa: E402,F401  (driver is a fixture)
    CHROMEDRIVER,
    CHROMIUM,
    driver,
    replace_text,
)

pytestmark = pytest.mark.skipif(
    CHROMIUM is None or CHROMEDRIVER is None,
    reason="Chromium och chromedriver behövs (Debian: apt-get install chromium chromium-driver)")

WAIT_SECONDS = 30
EXAMPLE_FILES = ("dagverksamhet.yaml", "kvinnojour.yaml", "paraply.yaml")


def wait_for(driver, condition, message):
    try:
        return WebDriverWait(driver, WAIT_SECONDS, ignored_exceptions=[
            StaleElementReferenceException]).until(lambda d: condition(d))
    except TimeoutException:
        status = driver.find_elements(By.ID, "status")
        raise AssertionError(message + " | " + (status[0].text if status else "")) from None


def names_in_list(driver) -> list[str]:
    return [row.find_element(By.CSS_SELECTOR, "td a").text
            for row in driver.find_elements(By.CSS_SELECTOR, "#lista tbody tr")]


def test_list_open_edit_save_back_and_download_the_register(tmp_path, driver, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1800000000")  # 2027-01-15: not today's date
    folder = tmp_path / "avtal"
    folder.mkdir()
    for name in EXAMPLE_FILES:
        (folder / name).write_bytes((EXAMPLES / name).read_bytes())
    with running_server(str(folder), cwd=tmp_path) as (_, url, _):
        driver.get(url)
        wait_for(driver, lambda d: len(names_in_list(d)) == 3, "Listan visade inte tre avtal")
        assert "?token=" not in driver.current_url
        summary = driver.find_element(By.ID, "sammanfattning").text
        assert summary.startswith("3 partnerskap") and "2027-01-15" in summary
        rows = {row.get_attribute("data-fil"): row.text
                for row in driver.find_elements(By.CSS_SELECTOR, "#lista tbody tr")}
        assert set(rows) == set(EXAMPLE_FILES)
        assert "kr" in rows["kvinnojour.yaml"]

        # Sorting by name, both ways, as the header button says.
        header = driver.find_element(By.CSS_SELECTOR, '#lista th[data-nyckel="namn"] button')
        header.click()
        ascending = names_in_list(driver)
        assert ascending == sorted(ascending, key=str.casefold)
        header.click()
        assert names_in_list(driver) == ascending[::-1]
        assert driver.find_element(By.CSS_SELECTOR, '#lista th[data-nyckel="namn"]'
                                   ).get_attribute("aria-sort") == "descending"

        # Open one partnership in the editor, change its name, save.
        driver.find_element(By.CSS_SELECTOR, '#lista tr[data-fil="kvinnojour.yaml"] td a').click()
        wait_for(driver, lambda d: d.find_elements(By.CSS_SELECTOR, '[name="partnerskap.namn"]'),
                 "Formuläret visades inte")
        assert driver.current_url.endswith("/avtal/kvinnojour.yaml")
        name = driver.find_element(By.CSS_SELECTOR, '[name="partnerskap.namn"]')
        replace_text(name, "Kvinnojouren i webbläsaren")
        driver.find_element(By.ID, "spara").click()
        wait_for(driver, lambda d: "Sparat i" in d.find_element(By.ID, "status").text,
                 "Filen sparades inte")
        assert "Kvinnojouren i webbläsaren" in (folder / "kvinnojour.yaml").read_text(
            encoding="utf-8")
        assert "Vinternatt" in (folder / "dagverksamhet.yaml").read_text(encoding="utf-8")

        # Back to the list: the new name is there.
        driver.find_element(By.ID, "tillbaka-till-listan").click()
        wait_for(driver, lambda d: "Kvinnojouren i webbläsaren" in names_in_list(d),
                 "Listan visade inte det nya namnet")

        # The register as Excel, read back.
        driver.find_element(By.CSS_SELECTOR, '[data-hamta="xlsx"]').click()
        target = driver.downloads / "oversikt.xlsx"
        wait_for(driver, lambda d: target.exists() and target.stat().st_size > 0,
                 "Översikten laddades inte ner")
        time.sleep(0.5)  # let Chromium finish renaming the download
    sheet = openpyxl.load_workbook(target)["Avtal"]
    header_row = [cell.value for cell in sheet[1]]
    assert header_row[0] == "Partnerskap" and "Status" in header_row
    names = {row[0].value for row in sheet.iter_rows(min_row=2)}
    assert "Kvinnojouren i webbläsaren" in names and len(names) == 3
    files = {row[header_row.index("Fil")].value for row in sheet.iter_rows(min_row=2)}
    assert files == set(EXAMPLE_FILES)


def test_a_new_partnership_from_the_list(tmp_path: Path, driver, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1800000000")
    folder = tmp_path / "avtal"
    folder.mkdir()
    (folder / "kvinnojour.yaml").write_bytes((EXAMPLES / "kvinnojour.yaml").read_bytes())
    with running_server(str(folder), cwd=tmp_path) as (_, url, _):
        driver.get(url)
        wait_for(driver, lambda d: len(names_in_list(d)) == 1, "Listan visades inte")
        # A name that would leave the folder is refused where it was typed.
        field = driver.find_element(By.ID, "nytt-namn")
        field.send_keys("../utanfor")
        driver.find_element(By.CSS_SELECTOR, "#nytt button[type=submit]").click()
        wait_for(driver, lambda d: "går inte att använda" in d.find_element(
            By.ID, "nytt-status").text, "Inget fel för ett namn utanför katalogen")
        replace_text(field, "laxhjalp-berga")
        Select(driver.find_element(By.ID, "nytt-typ")).select_by_value("barn-och-unga")
        driver.find_element(By.CSS_SELECTOR, "#nytt button[type=submit]").click()
        # The new partnership opens in the guide, as a fresh `iopkit new` file does:
        # empty fields with the examples as placeholders, no FYLL I to delete.
        wait_for(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "#steginnehall h2")
                 and d.find_element(By.CSS_SELECTOR, "#steginnehall h2").text == "Vem är du?",
                 "Det nya partnerskapet öppnades inte i guiden")
        assert "/avtal/laxhjalp-berga.yaml" in driver.current_url
        driver.find_element(By.ID, "nasta").click()  # the parties' question
        wait_for(driver, lambda d: d.find_elements(By.CSS_SELECTOR, '[name="parter[1].namn"]'),
                 "Frågan om parterna visades inte")
        controls = driver.find_elements(By.CSS_SELECTOR,
                                        "#steginnehall input[type=text], #steginnehall textarea")
        assert not [c.get_attribute("value") for c in controls
                    if "FYLL I" in (c.get_attribute("value") or "")]
        name = driver.find_element(By.CSS_SELECTOR, '[name="parter[0].namn"]')
        assert name.get_attribute("value") == ""
        assert name.get_attribute("placeholder") \
            == "t.ex. Exempelby kommun genom barn- och utbildningsnämnden"
        # Saved with nothing typed, the file is exactly what `iopkit new` writes.
        driver.find_element(By.ID, "spara").click()
        wait_for(driver, lambda d: "Sparat i" in d.find_element(By.ID, "status").text,
                 "Den nya filen sparades inte")
        from iopkit.scaffold import scaffold_text

        assert (folder / "laxhjalp-berga.yaml").read_text(encoding="utf-8") \
            == scaffold_text("barn-och-unga", "laxhjalp-berga.yaml")
        driver.find_element(By.ID, "tillbaka-till-listan").click()
        wait_for(driver, lambda d: len(names_in_list(d)) == 2, "Det nya avtalet syns inte")
    assert not (tmp_path / "utanfor.yaml").exists()
