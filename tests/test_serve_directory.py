"""`iopkit serve KATALOG`: the list of a folder's partnerships, its downloads, the editor
on each of them, and that no name from a request leads outside the folder."""

from __future__ import annotations

import io
import os
from pathlib import Path
from urllib.parse import quote

import openpyxl
import pytest
import yaml
from starlette.testclient import TestClient

from conftest import EXAMPLES, run
from iopkit.serve.directory import Directory
from iopkit.serve.directory_app import create_directory_app
from test_oversikt import agreement

PORT = 48766
TOKEN = "test-token-katalog"
ORIGIN = f"http://127.0.0.1:{PORT}"
DAY = "2027-08-01"


def authed(extra: dict | None = None) -> dict:
    return {"x-iopkit-token": TOKEN, "origin": ORIGIN, **(extra or {})}


def for_file(key: str, extra: dict | None = None) -> dict:
    return authed({"x-iopkit-fil": quote(key), **(extra or {})})


@pytest.fixture
def kommun(tmp_path: Path) -> Path:
    """Two agreements with the same organisation that together pass the de minimis
    ceiling, one in a subfolder, one without de minimis, and one file with an error."""
    folder = tmp_path / "avtal"
    (folder / "2027").mkdir(parents=True)
    agreement(folder, "Dagcentret", case="SNC 2026/1", start="2027-01-01", end="2029-12-31",
              amount=600000, decided="2026-12-15")
    agreement(folder / "2027", "Rådgivningen", case="SNC 2027/2", start="2027-07-01",
              end="2029-12-31", amount=600000, decided="2027-06-01")
    agreement(folder, "Kulturhuset", case="SNC 2026/3", start="2025-01-01", end="2026-06-30",
              amount=100000, decided="2024-12-01", ground="ingen ekonomisk verksamhet")
    (folder / "trasig.yaml").write_text("iopkit: 1\npartnerskap: [\n", encoding="utf-8")
    return folder


@pytest.fixture
def client(kommun: Path) -> TestClient:
    app = create_directory_app(Directory.open(kommun), TOKEN, PORT)
    return TestClient(app, base_url=f"http://127.0.0.1:{PORT}", follow_redirects=False)


def listing(client: TestClient, day: str = DAY) -> dict:
    response = client.get(f"/api/katalog?datum={day}", headers=authed())
    assert response.status_code == 200, response.text
    return response.json()


def test_the_list_is_the_register_with_findings_and_de_minimis_per_recipient(client):
    answer = listing(client)
    rows = {row["fil"]: row for row in answer["partnerskap"]}
    assert set(rows) == {"SNC-2026-1.yaml", "2027/SNC-2027-2.yaml", "SNC-2026-3.yaml",
                         "trasig.yaml"}
    day_centre = rows["SNC-2026-1.yaml"]
    assert day_centre["namn"] == "Dagcentret" and day_centre["status"] == "pågår"
    assert (day_centre["start"], day_centre["slut"]) == ("2027-01-01", "2029-12-31")
    assert day_centre["totalt"] == 1800000 and day_centre["per_ar"]["2028"] == 600000
    assert day_centre["nasta_datum"] and day_centre["nasta_vad"]
    assert day_centre["fel"] == 0 and isinstance(day_centre["varningar"], int)
    assert "Göteborgs kommun" in day_centre["offentliga"]
    [aid] = day_centre["stod"]
    assert aid["organisationsnummer"] == "802461-3575" and aid["kr"] == 1800000
    # Together with Rådgivningen the organisation passes the ceiling: both rows say so.
    assert aid["over_taket"] is True and aid["tre_ar_euro"] < 300000
    assert rows["2027/SNC-2027-2.yaml"]["stod"][0]["over_taket"] is True
    assert rows["2027/SNC-2027-2.yaml"]["stod"][0]["tre_ar_euro"] > 300000
    assert rows["SNC-2026-3.yaml"]["status"] == "avslutad" and rows["SNC-2026-3.yaml"]["stod"] == []
    broken = rows["trasig.yaml"]
    assert broken["fel"] == 1 and broken["forsta_fel"].startswith("rad ")
    [warning] = answer["varningar"]
    assert "Dagcentret" in warning and "Rådgivningen" in warning and "300 000 euro" in warning
    assert [d["datum"] for d in answer["frister"]] == sorted(d["datum"] for d in answer["frister"])
    assert {t["namn"] for t in answer["typer"]} >= {"tom"}


@pytest.mark.parametrize("day, expected", [("2026-12-01", "utkast"), ("2026-12-20", "beslutad"),
                                           ("2027-02-01", "pågår"), ("2030-01-01", "avslutad")])
def test_status_follows_the_chosen_day(client, day, expected):
    rows = {row["fil"]: row for row in listing(client, day)["partnerskap"]}
    assert rows["SNC-2026-1.yaml"]["status"] == expected


def test_apart_the_two_agreements_are_not_over_the_ceiling(client, kommun):
    (kommun / "2027" / "SNC-2027-2.yaml").unlink()
    answer = listing(client)
    assert answer["varningar"] == []
    assert not any(aid["over_taket"] for row in answer["partnerskap"] for aid in row["stod"])


def test_a_listed_error_is_gone_when_the_file_is_fixed(client, kommun):
    assert any(row["fel"] for row in listing(client)["partnerskap"])
    (kommun / "trasig.yaml").unlink()
    assert not any(row["fel"] for row in listing(client)["partnerskap"])


@pytest.mark.parametrize("choice", ["xlsx", "csv", "html", "ics", "md", "de-minimis"])
def test_downloads_are_byte_identical_to_iopkit_oversikt(client, kommun, runner, tmp_path,
                                                         monkeypatch, choice):
    response = client.get(f"/api/katalog/hamta?format={choice}&datum={DAY}", headers=authed())
    assert response.status_code == 200, response.text
    fmt = "csv" if choice == "de-minimis" else choice
    out = tmp_path / "ut"
    monkeypatch.chdir(kommun)  # the register names files as given: relative to the folder
    result = run(runner, "oversikt", ".", "-o", out, "--format", fmt, "--datum", DAY)
    assert result.exit_code == 0, result.output
    name = response.headers["content-disposition"].split("''")[1]
    assert name == {"de-minimis": "de-minimis-registret.csv", "ics": "oversikt-frister.ics"
                    }.get(choice, f"oversikt.{choice}")
    assert response.content == (out / name).read_bytes()


def test_the_workbook_reads_back_with_the_agreements(client):
    response = client.get(f"/api/katalog/hamta?format=xlsx&datum={DAY}", headers=authed())
    sheet = openpyxl.load_workbook(io.BytesIO(response.content))["Avtal"]
    names = [row[0].value for row in sheet.iter_rows(min_row=2)]
    assert names == ["Dagcentret", "Kulturhuset", "Rådgivningen"]


def test_unknown_format_day_or_days_are_refused_in_swedish(client):
    assert "Okänt format" in client.get("/api/katalog/hamta?format=exe",
                                        headers=authed()).json()["fel"]
    assert "ÅÅÅÅ-MM-DD" in client.get("/api/katalog?datum=igår", headers=authed()).json()["fel"]
    assert "heltal" in client.get("/api/katalog?dagar=-1", headers=authed()).json()["fel"]


# ---- the editor on one partnership -------------------------------------------------------

def test_the_editor_page_names_its_file_and_links_back(client):
    response = client.get("/avtal/2027/SNC-2027-2.yaml", headers=authed())
    assert response.status_code == 200
    page = response.text
    assert page.index("katalog-redigerare.js") < page.index("app.js")
    script = client.get("/static/katalog-redigerare.js", headers=authed()).text
    assert "x-iopkit-fil" in script and 'back.href = "/"' in script


def test_each_call_reaches_the_file_it_names_and_saves_there(client, kommun):
    start = client.get("/api/start", headers=for_file("2027/SNC-2027-2.yaml")).json()
    assert start["fil"] == str(kommun.resolve() / "2027" / "SNC-2027-2.yaml")
    assert start["data"]["partnerskap"]["namn"] == "Rådgivningen"
    other = client.get("/api/start", headers=for_file("SNC-2026-1.yaml")).json()
    assert other["data"]["partnerskap"]["namn"] == "Dagcentret"
    data = start["data"]
    data["partnerskap"]["namn"] = "Rådgivningen i Centrum"
    saved = client.post("/api/save", headers=for_file("2027/SNC-2027-2.yaml", {
        "content-type": "application/json", "x-iopkit-version": start["version"]}),
        json={"data": data})
    assert saved.status_code == 200, saved.text
    text = (kommun / "2027" / "SNC-2027-2.yaml").read_text(encoding="utf-8")
    assert "Rådgivningen i Centrum" in text
    assert "Dagcentret" in (kommun / "SNC-2026-1.yaml").read_text(encoding="utf-8")
    assert "Rådgivningen i Centrum" in {r["namn"] for r in listing(client)["partnerskap"]}


def test_a_call_without_a_file_says_to_open_one_from_the_list(client):
    response = client.get("/api/start", headers=authed())
    assert response.status_code == 400 and "listan" in response.json()["fel"]


def test_a_new_partnership_from_a_scaffold_is_written_on_the_first_save(client, kommun):
    made = client.post("/api/katalog/nytt", headers=authed(), json={"namn": "laxhjalp",
                                                                   "typ": "tom"})
    assert made.status_code == 200, made.text
    assert made.json() == {"fil": "laxhjalp.yaml", "adress": "/avtal/laxhjalp.yaml?typ=tom"}
    assert not (kommun / "laxhjalp.yaml").exists()  # nothing written before a save
    headers = for_file("laxhjalp.yaml", {"x-iopkit-typ": "tom"})
    start = client.get("/api/start", headers=headers).json()
    assert start["mall"] == "tom" and start["data"] and start["version"] == "ingen-fil"
    assert start["ny"] == "tom"  # the page opens the guide, not "Alla fält" with FYLL I
    saved = client.post("/api/save", headers={**headers, "content-type": "application/json",
                                              "x-iopkit-version": "ingen-fil"},
                        json={"data": start["data"], "mall": "tom"})
    assert saved.status_code == 200, saved.text
    assert "laxhjalp.yaml" in {row["fil"] for row in listing(client)["partnerskap"]}
    # Saved with its questions still open, it opens in the guide again.
    assert client.get("/api/start", headers=for_file("laxhjalp.yaml")).json()["ny"] == "tom"
    again = client.post("/api/katalog/nytt", headers=authed(), json={"namn": "laxhjalp.yaml",
                                                                    "typ": "tom"})
    assert again.status_code == 400 and "finns redan" in again.json()["fel"]


@pytest.mark.parametrize("name", ["../ute.yaml", "sub/ny.yaml", ".dold.yaml", "/tmp/x.yaml",
                                  "C:\\x.yaml", ""])
def test_a_new_name_must_be_a_plain_file_name(client, name):
    response = client.post("/api/katalog/nytt", headers=authed(), json={"namn": name,
                                                                       "typ": "tom"})
    assert response.status_code == 400 and response.json()["fel"]


# ---- nothing outside the folder -----------------------------------------------------------

@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A partnership beside the folder, and links to it from inside."""
    secret = tmp_path / "hemlig.yaml"
    secret.write_bytes((EXAMPLES / "kvinnojour.yaml").read_bytes())
    return secret


@pytest.mark.parametrize("key", [
    "../hemlig.yaml", "2027/../../hemlig.yaml", "./../hemlig.yaml", "%2e%2e/hemlig.yaml",
    "{abs}", "/{abs}", "länk.yaml", "länkad-katalog/hemlig.yaml", ".dold/x.yaml",
    "2027", "trasig.yaml.bak", "2027//SNC-2027-2.yaml", "..\\hemlig.yaml", "SNC-2026-1.yaml\x00"])
def test_no_name_from_a_request_reaches_outside_the_folder(client, kommun, outside, key):
    (kommun / "länk.yaml").symlink_to(outside)
    (kommun / "länkad-katalog").symlink_to(outside.parent)
    (kommun / ".dold").mkdir()
    (kommun / ".dold" / "x.yaml").write_bytes(outside.read_bytes())
    key = key.replace("{abs}", str(outside).lstrip("/"))
    before = outside.read_bytes()
    start = client.get("/api/start", headers=for_file(key))
    assert start.status_code in (400, 404) and list(start.json()) == ["fel"]
    assert "Kvinnojour" not in start.text
    save = client.post("/api/save", headers=for_file(key, {"content-type": "application/yaml",
                                                           "x-iopkit-version": "ingen-fil"}),
                       content=b"iopkit: 1\n")
    assert save.status_code in (400, 404)
    page = client.get("/avtal/" + quote(key), headers=authed())
    assert page.status_code == 404
    assert outside.read_bytes() == before
    files = {row["fil"] for row in listing(client)["partnerskap"]}
    assert not any("länk" in f or "dold" in f for f in files)  # links and hidden: not listed


def test_a_link_swapped_in_for_a_listed_file_is_not_followed(client, kommun, outside):
    target = kommun / "SNC-2026-1.yaml"
    target.unlink()
    target.symlink_to(outside)
    response = client.get("/api/start", headers=for_file("SNC-2026-1.yaml"))
    assert response.status_code == 404 and "Kvinnojour" not in response.text


def test_the_list_needs_the_token_the_right_host_and_origin_on_posts(client, kommun):
    assert client.get("/api/katalog").status_code == 403
    assert client.get("/api/katalog/hamta?format=xlsx").status_code == 403
    assert client.get("/api/katalog", headers={**authed(), "host": "evil.example:80"}
                      ).status_code == 421
    refused = client.post("/api/katalog/nytt", json={"namn": "x", "typ": "tom"},
                          headers={"x-iopkit-token": TOKEN, "origin": "http://evil.example"})
    assert refused.status_code == 403
    start = client.get("/api/start", headers={"x-iopkit-fil": "SNC-2026-1.yaml"})
    assert start.status_code == 403


def test_the_cookie_opens_the_pages_but_no_data(client):
    first = client.get(f"/?token={TOKEN}")
    assert first.status_code == 200 and "katalog.js" in first.text
    assert client.get("/avtal/SNC-2026-1.yaml").status_code == 200  # a reload of the editor
    assert client.get("/api/katalog").status_code == 403
    assert client.get("/api/start", headers={"x-iopkit-fil": "SNC-2026-1.yaml"}
                      ).status_code == 403


def test_posts_over_the_limit_are_refused(client):
    response = client.post("/api/save", headers=for_file("SNC-2026-1.yaml"),
                           content=b"x" * (2 * 1024 * 1024 + 1))
    assert response.status_code == 413


def test_spec_text_never_becomes_markup_in_the_list(client, kommun):
    data = yaml.safe_load((kommun / "SNC-2026-1.yaml").read_text(encoding="utf-8"))
    data["partnerskap"]["namn"] = "<img src=x onerror=alert(1)>"
    (kommun / "SNC-2026-1.yaml").write_text(yaml.safe_dump(data, allow_unicode=True),
                                            encoding="utf-8")
    names = {row["namn"] for row in listing(client)["partnerskap"]}
    assert "<img src=x onerror=alert(1)>" in names  # data, set as text by the page
    script = client.get("/static/katalog.js", headers=authed()).text
    assert "innerHTML" not in script and "insertAdjacentHTML" not in script


def test_serve_on_a_folder_with_typ_is_a_usage_error(runner, kommun):
    result = run(runner, "serve", "--ingen-webblasare", "--typ", "tom", kommun)
    assert result.exit_code == 2 and "--typ gäller en ny fil" in result.output


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFO saknas")
def test_a_fifo_in_the_folder_does_not_hang_the_list(client, kommun):
    os.mkfifo(kommun / "rör.yaml")
    answer = listing(client)
    assert any(item["fil"] == "rör.yaml" for item in answer["olasbara"])
