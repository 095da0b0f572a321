#!/usr/bin/env python3
"""Retake the README's pictures of the web editor from the real page: `iopkit serve` in
a temporary folder, headless Chromium through Selenium.

- docs/webbredigeraren-guide.png: a new partnership in the guide (the parties' page,
  with example texts as placeholders and the warnings of the half-filled spec);
- docs/webbredigeraren-juridik.png: the legal questions answered, the checker's verdict
  and the suggested assessment;
- docs/webbredigeraren-utkast.png: the page after a reload, offering "Fortsätt där du
  slutade";
- docs/webbredigeraren.png: "Alla fält" on examples/dagverksamhet.yaml with an error
  beside a field, the findings and the preview;
- docs/webbredigeraren-katalog.png: `iopkit serve KATALOG` on the examples, the list.

The pictures are stored with a 256-colour palette (Pillow), a fifth of the size of
Chromium's own PNG and as sharp for text.

Usage:  python tools/screenshots.py   (needs chromium, chromedriver and selenium)
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"


@contextmanager
def server(*args: str) -> Iterator[str]:
    work = Path(tempfile.mkdtemp())
    shutil.copy(ROOT / "examples" / "dagverksamhet.yaml", work / "dagverksamhet.yaml")
    (work / "avtal").mkdir()
    for example in ("dagverksamhet", "kvinnojour", "paraply"):
        shutil.copy(ROOT / "examples" / f"{example}.yaml", work / "avtal" / f"{example}.yaml")
    # Drafts of its own: none of the user's is offered in a picture, none is left behind.
    # The list's status and deadlines on a fixed day (2027-01-15), not today's.
    env = {**os.environ, "IOPKIT_UTKAST": str(work / ".utkast"),
           "SOURCE_DATE_EPOCH": "1800000000"}
    process = subprocess.Popen(
        [sys.executable, "-m", "iopkit", "serve", *args, "--ingen-webblasare"],
        cwd=work, stdout=subprocess.PIPE, text=True, env=env)
    assert process.stdout is not None
    try:
        yield next(m.group(0) for line in process.stdout
                   if (m := re.search(r"http://127\.0\.0\.1:\d+/\?token=\S+", line)))
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=15)
        shutil.rmtree(work, ignore_errors=True)


def browser() -> Any:
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or shutil.which("chromium-browser") or ""
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage",
                     "--window-size=1280,1100", "--hide-scrollbars", "--lang=sv-SE"):
        options.add_argument(argument)
    return webdriver.Chrome(options=options, service=Service(shutil.which("chromedriver")))


def type_into(driver: Any, name: str, text: str) -> None:
    element = driver.find_element(By.CSS_SELECTOR, f'[name="{name}"]')
    element.send_keys(Keys.CONTROL, "a")
    element.send_keys(text)


def snap(driver: Any, name: str, at: str | None = None) -> None:
    """The page from the top, or from the element `at` (a CSS selector)."""
    if at:
        driver.execute_script("document.querySelector(arguments[0]).scrollIntoView()", at)
    else:
        driver.execute_script("window.scrollTo(0, 0)")
    time.sleep(0.8)
    target = DOCS / name
    driver.save_screenshot(str(target))
    try:
        from PIL import Image
    except ImportError:  # the full-colour picture is kept
        pass
    else:
        with Image.open(target) as picture:
            small = picture.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT)
        small.save(target, optimize=True)
    print(f"Skrev docs/{name} ({target.stat().st_size // 1024} kB)")


def guide(driver: Any) -> None:
    wait = WebDriverWait(driver, 20)
    with server() as url:
        driver.get(url)
        wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "#typer button"))
        driver.find_element(By.CSS_SELECTOR, '#typer button[data-typ="tom"]').click()
        wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "section.guide"))
        type_into(driver, "process.handläggare.namn", "Anna Berg")
        driver.find_element(By.ID, "nasta").click()
        wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, '[name="parter[0].namn"]'))
        type_into(driver, "parter[0].namn", "Berga kommun genom socialnämnden")
        type_into(driver, "parter[0].organisationsnummer", "212000-0001")
        wait.until(lambda d: "varning" in d.find_element(By.ID, "antal").text)
        time.sleep(1)
        snap(driver, "webbredigeraren-guide.png")
        legal = driver.find_element(By.CSS_SELECTOR, '#steglista [data-steg="guide-juridik"]')
        legal.click()
        wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "fieldset.fraga"))
        for key in ("tidigare_upphandlad", "lagstadgad_insats", "individuella_beslut",
                    "marknad", "behöver_utföras"):
            driver.find_element(
                By.CSS_SELECTOR, f'input[name="rättslig_bedömning.prövning.{key}"][value="nej"]').click()
        driver.find_element(By.XPATH, "//button[normalize-space()='Använd förslaget']").click()
        time.sleep(1.5)
        snap(driver, "webbredigeraren-juridik.png", at="fieldset.fraga:nth-of-type(4)")


def draft(driver: Any) -> None:
    wait = WebDriverWait(driver, 20)
    with server() as url:
        driver.get(url)
        wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "#typer button"))
        driver.find_element(By.CSS_SELECTOR, '#typer button[data-typ="tom"]').click()
        wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "section.guide"))
        type_into(driver, "process.handläggare.namn", "Anna Berg")
        wait.until(lambda d: d.find_element(By.ID, "utkaststatus").text.startswith("Utkast sparat"))
        driver.execute_script("setTimeout(() => location.reload(), 0);")
        time.sleep(1)
        try:
            driver.switch_to.alert.accept()
        except Exception:  # noqa: BLE001  (headless Chromium may reload without asking)
            pass
        wait.until(lambda d: d.find_element(By.ID, "utkast").is_displayed())
        snap(driver, "webbredigeraren-utkast.png")


def full_form(driver: Any) -> None:
    wait = WebDriverWait(driver, 20)
    with server("dagverksamhet.yaml") as url:
        driver.get(url)
        wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "#forhandsvisning[srcdoc]"))
        driver.find_element(By.CSS_SELECTOR, '#steglista [data-steg="parter"]').click()
        time.sleep(0.5)
        type_into(driver, "parter[0].kontaktperson.epost", "anna.lind.exempel.se")
        wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, ".fynd.fel"))
        snap(driver, "webbredigeraren.png")


def folder(driver: Any) -> None:
    wait = WebDriverWait(driver, 30)
    with server("avtal") as url:
        driver.get(url)
        wait.until(lambda d: len(d.find_elements(By.CSS_SELECTOR, "#lista tbody tr")) == 3)
        snap(driver, "webbredigeraren-katalog.png")


def main() -> None:
    driver = browser()
    try:
        guide(driver)
        draft(driver)
        full_form(driver)
        folder(driver)
    finally:
        driver.quit()


if __name__ == "__main__":
    main()
