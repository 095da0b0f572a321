#!/usr/bin/env python3
"""Make docs/webbredigeraren.png from the real page: `iopkit serve` on a copy of
examples/dagverksamhet.yaml, headless Chromium through Selenium, one field emptied so that
a finding shows beside it.

Usage:  python docs/make_screenshot.py   (needs chromium, chromedriver and selenium)
"""

from __future__ import annotations

import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "webbredigeraren.png"


def main() -> None:
    work = Path(tempfile.mkdtemp())
    shutil.copy(ROOT / "examples" / "dagverksamhet.yaml", work / "dagverksamhet.yaml")
    server = subprocess.Popen(
        [sys.executable, "-m", "iopkit", "serve", "dagverksamhet.yaml", "--ingen-webblasare"],
        cwd=work, stdout=subprocess.PIPE, text=True)
    url = next(m.group(0) for line in server.stdout
               if (m := re.search(r"http://127\.0\.0\.1:\d+/\?token=\S+", line)))
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or shutil.which("chromium-browser")
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage",
                     "--window-size=1440,1400", "--hide-scrollbars", "--lang=sv-SE"):
        options.add_argument(argument)
    driver = webdriver.Chrome(options=options, service=Service(shutil.which("chromedriver")))
    try:
        driver.get(url)
        wait = WebDriverWait(driver, 20)
        wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "#forhandsvisning[srcdoc]"))
        driver.find_element(By.CSS_SELECTOR, '#steglista [data-steg="parter"]').click()
        time.sleep(0.5)
        email = driver.find_element(By.CSS_SELECTOR, '[name="parter[0].kontaktperson.epost"]')
        email.send_keys(Keys.CONTROL, "a")
        email.send_keys("anna.lind.exempel.se")
        wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, ".fynd.fel"))
        driver.execute_script("window.scrollTo(0, 0)")
        time.sleep(0.5)
        driver.save_screenshot(str(OUT))
    finally:
        driver.quit()
        server.send_signal(signal.SIGINT)
        server.wait(timeout=15)
        shutil.rmtree(work, ignore_errors=True)
    print(f"Skrev {OUT}.")


if __name__ == "__main__":
    main()
