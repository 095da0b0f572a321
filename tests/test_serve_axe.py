"""The web editor under axe-core (the npm package) in headless Chromium: the guide, the
legal questions and the full form have no serious or critical violations, and the
findings are announced (aria-live). Skips without Chromium, chromedriver or axe-core;
install it with `npm install axe-core` (in the repository or globally), or point
IOPKIT_AXE_CORE at axe.min.js."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from serve_helpers import running_server
from test_serve_browser import (  # noqa: F401  (the fixture `driver` is used by name)
    CHROMEDRIVER,
    CHROMIUM,
    driver,
    editing_example,
    wait_for,
)

pytest.importorskip("selenium.webdriver", reason="selenium är inte installerat")
from selenium.webdriver.common.by import By  # noqa: E402


def axe_source() -> str | None:
    candidates = []
    if os.environ.get("IOPKIT_AXE_CORE"):
        candidates.append(Path(os.environ["IOPKIT_AXE_CORE"]))
    candidates.append(Path(__file__).parents[1] / "node_modules" / "axe-core" / "axe.min.js")
    npm = shutil.which("npm")
    if npm:
        try:
            root = subprocess.run([npm, "root", "-g"], capture_output=True, text=True,
                                  timeout=30).stdout.strip()
            if root:
                candidates.append(Path(root) / "axe-core" / "axe.min.js")
        except (OSError, subprocess.SubprocessError):
            pass
    found = next((path for path in candidates if path.is_file()), None)
    return found.read_text(encoding="utf-8") if found else None


AXE = axe_source()
pytestmark = [pytest.mark.slow, pytest.mark.skipif(
    CHROMIUM is None or CHROMEDRIVER is None,
    reason="Chromium och chromedriver behövs"), pytest.mark.skipif(
    AXE is None, reason="axe-core saknas (npm install axe-core, eller IOPKIT_AXE_CORE=axe.min.js)")]


def serious_violations(driver) -> list[str]:
    """axe-core's WCAG 2.1 A/AA rules on the page as it stands (injected through the
    driver, so the page's own Content-Security-Policy stays as it is)."""
    driver.execute_script(AXE)
    result = driver.execute_async_script("""
        const done = arguments[arguments.length - 1];
        axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}})
          .then((r) => done(JSON.stringify(r.violations.map((v) => ({id: v.id, impact: v.impact,
             nodes: v.nodes.slice(0, 3).map((n) => n.target.join(" "))})))))
          .catch((e) => done(JSON.stringify([{id: "axe-error", impact: "critical", nodes: [String(e)]}])));
    """)
    return [f"{v['id']} ({v['impact']}): {v['nodes']}" for v in json.loads(result)
            if v["impact"] in ("serious", "critical")]


def test_the_guide_and_the_full_form_pass_axe(tmp_path, driver):  # noqa: F811
    with running_server(cwd=tmp_path) as (_, url, _):
        driver.get(url)
        wait_for(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "#typer button"),
                 "Typvalet visades inte")
        assert serious_violations(driver) == []
        driver.find_element(By.CSS_SELECTOR, '#typer button[data-typ="tom"]').click()
        wait_for(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "section.guide"),
                 "Guiden visades inte")
        problems = {}
        for _ in range(10):
            heading = driver.find_element(By.CSS_SELECTOR, "#steginnehall h2").text
            wait_for(driver, lambda d: d.find_element(By.ID, "antal").text, "Ingen kontroll")
            problems[heading] = serious_violations(driver)
            if driver.find_element(By.ID, "nasta").get_attribute("disabled"):
                break
            driver.find_element(By.ID, "nasta").click()
            wait_for(driver, lambda d: d.find_element(By.CSS_SELECTOR, "#steginnehall h2").text
                     != heading, "Nästa fråga visades inte")
        assert {k: v for k, v in problems.items() if v} == {}
        # The findings are announced to a screen reader; the legal questions are groups
        # whose question is the legend.
        assert driver.find_element(By.ID, "antal").get_attribute("aria-live") == "polite"


def test_the_full_form_of_an_example_passes_axe(tmp_path, driver):  # noqa: F811
    with editing_example(tmp_path, driver):
        problems = {}
        for step in driver.execute_script("return IopForm.steps()"):
            driver.find_element(By.CSS_SELECTOR, f'#steglista [data-steg="{step}"]').click()
            wait_for(driver, lambda d: d.find_elements(
                By.CSS_SELECTOR, f'#steginnehall section[data-path="{step}"]'), step)
            problems[step] = serious_violations(driver)
        assert {k: v for k, v in problems.items() if v} == {}
