"""The scaffold's FYLL I notes on values it filled in, in a real browser (headless
Chromium): the page shows each note beside its field, as `iopkit check` warns about it;
choosing values in a list (verksamhetsområden) or "Stämmer" on a value removes the note
from the saved file, and the warning goes on the page and in `iopkit check` alike. A
draft keeps what was confirmed. Skips without Chromium/chromedriver."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time

import pytest

from serve_helpers import running_server
from test_serve_browser import (  # noqa: F401  (the fixture `driver` is used by name)
    CHROMEDRIVER,
    CHROMIUM,
    driver,
    findings_at,
    wait_for,
)
from test_serve_browser_drafts import accept_leave_prompt

pytest.importorskip("selenium.webdriver", reason="selenium är inte installerat")
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import Select  # noqa: E402

pytestmark = [pytest.mark.slow, pytest.mark.skipif(
    CHROMIUM is None or CHROMEDRIVER is None,
    reason="Chromium och chromedriver behövs (Debian: apt-get install chromium chromium-driver)")]

AREAS = "partnerskap.verksamhetsområden"


def new_file(tmp_path, kind: str = "barn-och-unga"):
    spec = tmp_path / "ny.yaml"
    subprocess.run([sys.executable, "-m", "iopkit", "new", spec.name, "--typ", kind],
                   cwd=tmp_path, check=True, capture_output=True, timeout=60)
    return spec


def check_warnings(spec) -> dict[str, list[str]]:
    """`iopkit check`'s IOP160 warnings by key path, and its exit code must be 0. The
    check names a flow list (`[a, b]  # FYLL I`) by its first item, the page by the list."""
    result = subprocess.run([sys.executable, "-m", "iopkit", "check", "--format", "json",
                             "--datum", "2026-12-02", str(spec)],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr
    found: dict[str, list[str]] = {}
    for finding in json.loads(result.stdout)["findings"]:
        if finding["code"] == "IOP160":
            path = re.sub(r"\[0\]$", "", finding["path"])
            found.setdefault(path, []).append(finding["message"])
    return found


def line_of(text: str, start: str) -> str:
    return next(line for line in text.splitlines() if line.startswith(start))


def go_to(driver, step: str) -> None:
    driver.find_element(By.CSS_SELECTOR, f'#steglista [data-steg="{step}"]').click()
    wait_for(driver, lambda d: d.find_elements(
        By.CSS_SELECTOR, f'#steginnehall section[data-path="{step}"]'), f"{step} visades inte")


def note_at(driver, path: str) -> str:
    found = driver.find_elements(By.CSS_SELECTOR, f'[data-path="{path}"] > .mallnot')
    return found[0].text if found else ""


def warned_at(driver, path: str) -> bool:
    return any(text.startswith("Varning:") and "IOP160" in text
               for text in findings_at(driver, path))


def checked(driver) -> bool:
    """The check after the last change has answered."""
    return not driver.find_element(By.ID, "kontrollstatus").text.startswith("Kontrollerar")


def save(driver) -> None:
    driver.find_element(By.ID, "spara").click()
    wait_for(driver, lambda d: d.find_element(By.ID, "status").text.startswith("Sparat i"),
             "Filen sparades inte")


def started(driver, url: str) -> None:
    driver.get(url)
    wait_for(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "#steglista button"),
             "Sidan startade inte")


def test_choosing_activity_areas_clears_the_lists_fyll_i_note(tmp_path, driver):  # noqa: F811
    spec = new_file(tmp_path)
    before = spec.read_text(encoding="utf-8")
    assert "FYLL I" in line_of(before, "  verksamhetsområden:")
    assert AREAS in check_warnings(spec)
    with running_server(str(spec), cwd=tmp_path) as (_, url, _):
        started(driver, url)
        # The guide asks for the areas with "Vem gör vad", one box per area, and shows
        # the scaffold's note and the check's warning beside the list.
        go_to(driver, "guide-insatser")
        wait_for(driver, lambda d: warned_at(d, AREAS),
                 "Ingen varning vid verksamhetsområdena, fast iopkit check varnar")
        assert "Kontrollera: de slags verksamhet organisationen själv bedriver" in note_at(
            driver, AREAS)
        assert "FYLL I" not in driver.find_element(By.ID, "steginnehall").text
        boxes = driver.find_elements(By.CSS_SELECTOR, f'[data-path="{AREAS}"] input[type=checkbox]')
        assert [b.get_attribute("value") for b in boxes if b.is_selected()] == ["fritid och idrott"]
        driver.find_element(By.CSS_SELECTOR, f'[data-path="{AREAS}"] input[value="kultur"]').click()
        # Choosing takes the note and, after the check, the warning away.
        wait_for(driver, lambda d: not note_at(d, AREAS) and not warned_at(d, AREAS)
                 and checked(d),
                 "Noten eller varningen blev kvar när verksamhetsområden valdes")
        save(driver)
    saved = spec.read_text(encoding="utf-8")
    assert line_of(saved, "  verksamhetsområden:") == \
        "  verksamhetsområden: [fritid och idrott, kultur]"
    assert AREAS not in check_warnings(spec)
    # Only that line changed; the next section's heading comment is still there.
    assert saved.count("FYLL I") == before.count("FYLL I") - 1
    assert "\n# PARTER\n# Minst en offentlig part" in saved


def test_stammer_confirms_a_list_as_it_is_in_alla_falt(tmp_path, driver):  # noqa: F811
    spec = new_file(tmp_path)
    with running_server(str(spec), cwd=tmp_path) as (_, url, _):
        started(driver, url)
        driver.execute_script("IopForm.switchMode('alla');")
        go_to(driver, "partnerskap")
        wait_for(driver, lambda d: warned_at(d, AREAS), "Ingen varning vid listan")
        button = driver.find_element(By.CSS_SELECTOR, f'[data-path="{AREAS}"] > .mallnot button')
        assert button.text == "Stämmer"
        assert button.get_attribute("aria-label") == "Stämmer: Verksamhetsområden"
        button.click()
        wait_for(driver, lambda d: not note_at(d, AREAS) and not warned_at(d, AREAS)
                 and checked(d),
                 "Stämmer tog inte bort noten och varningen")
        save(driver)
    saved = spec.read_text(encoding="utf-8")
    assert line_of(saved, "  verksamhetsområden:") == "  verksamhetsområden: [fritid och idrott]"
    assert AREAS not in check_warnings(spec)


def test_the_page_shows_the_notes_check_warns_about_and_stammer_clears_them(
        tmp_path, driver):  # noqa: F811
    spec = new_file(tmp_path)
    warned = check_warnings(spec)
    # Values the scaffold filled in with a note that the guide shows as they are.
    kept = ["parter[0].typ", "parter[1].registrerad_idéburen", "parter[1].typ"]
    assert all(path in warned for path in kept)
    with running_server(str(spec), cwd=tmp_path) as (_, url, _):
        started(driver, url)
        go_to(driver, "guide-parter")
        # The page agrees with the check: a note and a warning beside each such field.
        for path in kept:
            wait_for(driver, lambda d, p=path: warned_at(d, p) and note_at(d, p),
                     f"Ingen not och varning vid {path}")
        assert "Kontrollera: kommun, region eller statlig myndighet" in note_at(driver, kept[0])
        message = [t for t in findings_at(driver, kept[0]) if "IOP160" in t][0]
        assert "”Stämmer”" in message and "kommentar" not in message
        typ = driver.find_element(By.CSS_SELECTOR, f'[name="{kept[0]}"]')
        assert Select(typ).first_selected_option.get_attribute("value") == "kommun"
        note_id = driver.find_element(By.CSS_SELECTOR, f'[data-path="{kept[0]}"] > .mallnot') \
            .get_attribute("id")
        assert note_id in typ.get_attribute("aria-describedby")  # read out with the field
        driver.find_element(By.CSS_SELECTOR, f'[data-path="{kept[0]}"] > .mallnot button').click()
        wait_for(driver, lambda d: not note_at(d, kept[0]) and not warned_at(d, kept[0]),
                 "Stämmer tog inte bort noten och varningen")
        assert driver.switch_to.active_element == typ  # focus stays in the field
        assert note_id not in (typ.get_attribute("aria-describedby") or "")
        assert note_at(driver, kept[1])  # the other note stays until confirmed
        # A value changed clears its note as well.
        assert note_at(driver, kept[2])
        Select(driver.find_element(By.CSS_SELECTOR, f'[name="{kept[2]}"]')) \
            .select_by_value("stiftelse")
        wait_for(driver, lambda d: not note_at(d, kept[2]) and not warned_at(d, kept[2])
                 and checked(d),
                 "Ett ändrat värde behöll sin not")

        # A reload before saving: the draft keeps what was confirmed.
        wait_for(driver, lambda d: d.find_element(By.ID, "utkaststatus").text
                 .startswith("Utkast sparat"), "Inget utkast sparades")
        time.sleep(1.2)  # the last change's draft
        driver.execute_script("setTimeout(() => location.reload(), 0);")
        time.sleep(1)
        accept_leave_prompt(driver)
        wait_for(driver, lambda d: d.find_element(By.ID, "utkast").is_displayed(),
                 "Utkastet erbjöds inte")
        driver.find_element(By.ID, "fortsatt").click()
        go_to(driver, "guide-parter")
        wait_for(driver, lambda d: note_at(d, kept[1]), "Noten som inte bekräftats försvann")
        assert not note_at(driver, kept[0])
        save(driver)
    saved = spec.read_text(encoding="utf-8")
    after = check_warnings(spec)
    assert kept[0] not in after and kept[2] not in after
    assert kept[1] in after  # not confirmed: still marked, on the page and in check
    assert "    typ: kommun\n" in saved
    assert "    typ: stiftelse\n" in saved
    # Everything else the scaffold marked is still marked.
    assert set(warned) - set(after) == {kept[0], kept[2]}
