"""`iopkit serve`: drafts (where they live, what is offered on the next start, bounds),
every document with the CLI's names, and a save conflict described in words."""

from __future__ import annotations

import io
import json
import os
import stat
import sys
import time
from pathlib import Path

import docx
import pytest

from conftest import EXAMPLES
from iopkit.serve import drafts
from iopkit.serve.workspace import Workspace, version_of
from test_serve_api import authed, client_for

KVINNOJOUR = EXAMPLES / "kvinnojour.yaml"


@pytest.fixture
def spec_file(tmp_path: Path) -> Path:
    path = tmp_path / "projekt" / "kvinnojour.yaml"
    path.parent.mkdir()
    path.write_bytes(KVINNOJOUR.read_bytes())
    return path


def save_draft(client, data: dict, draft_id: str | None = None, **extra) -> dict:
    response = client.post("/api/utkast", json={"id": draft_id, "data": data, **extra},
                           headers=authed())
    assert response.status_code == 200, response.text
    return response.json()


def test_drafts_go_to_the_folder_the_environment_names_never_beside_the_file(
        spec_file, tmp_path, monkeypatch):
    folder = tmp_path / "mina-utkast"
    monkeypatch.setenv("IOPKIT_UTKAST", str(folder))
    client = client_for(Workspace(spec_file))
    before = sorted(p.name for p in spec_file.parent.iterdir())
    answer = save_draft(client, {"partnerskap": {"namn": "Nytt namn"}})
    assert sorted(p.name for p in spec_file.parent.iterdir()) == before
    (written,) = folder.iterdir()
    assert written.name.endswith(f"-{answer['id']}.json")
    assert "kvinnojour" not in written.name  # the name says nothing about the file
    content = json.loads(written.read_text(encoding="utf-8"))
    assert content["data"] == {"partnerskap": {"namn": "Nytt namn"}}
    assert content["fil"] == str(spec_file)
    if os.name == "posix":
        assert stat.S_IMODE(written.stat().st_mode) == 0o600
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert answer["sparad_text"].startswith("den ") and " kl. " in answer["sparad_text"]


def test_without_the_variable_drafts_are_in_the_users_data_folder(tmp_path, monkeypatch):
    monkeypatch.delenv("IOPKIT_UTKAST")
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("LOCALAPPDATA", str(tmp_path / "AppData" / "Local"))
    folder = drafts.drafts_folder()
    assert folder.name == "utkast" and folder.parent.name == "iopkit"
    assert tmp_path in folder.parents
    if sys.platform.startswith("linux"):
        assert folder == tmp_path / "data" / "iopkit" / "utkast"


def test_the_start_offers_the_newest_draft_of_this_file_until_the_file_is_saved(spec_file):
    client = client_for(Workspace(spec_file))
    assert client.get("/api/start", headers=authed()).json()["utkast"] is None
    first = save_draft(client, {"v": 1})
    time.sleep(0.02)
    second = save_draft(client, {"v": 2})
    assert first["id"] != second["id"]
    offered = client.get("/api/start", headers=authed()).json()["utkast"]
    assert offered["id"] == second["id"] and offered["data"] == {"v": 2}
    assert offered["sparad_text"] == second["sparad_text"]
    # Another file's drafts, and work without a file, are not offered here.
    other = spec_file.with_name("annan.yaml")
    other.write_bytes(KVINNOJOUR.read_bytes())
    assert client_for(Workspace(other)).get("/api/start", headers=authed()).json()[
        "utkast"] is None
    assert client_for(Workspace(None)).get("/api/start", headers=authed()).json()[
        "utkast"] is None
    # The file changed after the draft (saved from a text editor): nothing to continue.
    time.sleep(0.02)
    spec_file.write_bytes(spec_file.read_bytes() + b"\n")
    assert client.get("/api/start", headers=authed()).json()["utkast"] is None


def test_a_save_from_the_page_removes_the_draft_it_makes_unnecessary(spec_file):
    client = client_for(Workspace(spec_file))
    start = client.get("/api/start", headers=authed()).json()
    data = start["data"]
    data["partnerskap"]["kortnamn"] = "Sparad"
    draft = save_draft(client, data)
    response = client.post("/api/save", content=json.dumps({"data": data}),
                           headers=authed({"content-type": "application/json",
                                           "x-iopkit-version": start["version"],
                                           "x-iopkit-utkast": draft["id"]}))
    assert response.status_code == 200, response.text
    assert list(drafts.drafts_folder().iterdir()) == []


def test_work_without_a_file_has_its_own_drafts_and_can_be_thrown_away(tmp_path):
    client = client_for(Workspace(None))
    draft = save_draft(client, {"partnerskap": {"namn": "Läxhjälp"}}, mall="tom")
    offered = client.get("/api/start", headers=authed()).json()["utkast"]
    assert offered["id"] == draft["id"] and offered["mall"] == "tom" and offered["fil"] is None
    response = client.post("/api/utkast/slang", json={"id": draft["id"]}, headers=authed())
    assert response.json() == {"borttaget": True}
    assert client.get("/api/start", headers=authed()).json()["utkast"] is None


def test_a_draft_id_is_never_a_path(spec_file, tmp_path):
    client = client_for(Workspace(spec_file))
    answer = save_draft(client, {"a": 1}, draft_id="../../../utanför")
    assert answer["id"] != "../../../utanför" and len(answer["id"]) == 16
    assert not (tmp_path / "utanför.json").exists()
    assert [p.parent for p in drafts.drafts_folder().iterdir()] == [drafts.drafts_folder()]
    refused = client.post("/api/utkast/slang", json={"id": "../kvinnojour"}, headers=authed())
    assert refused.json() == {"borttaget": False} and spec_file.exists()


def test_drafts_are_bounded_in_count_and_size(spec_file, monkeypatch):
    monkeypatch.setattr(drafts, "MAX_DRAFTS", 3)
    client = client_for(Workspace(spec_file))
    ids = [save_draft(client, {"n": n})["id"] for n in range(5)]
    for index, path in enumerate(sorted(drafts.drafts_folder().iterdir())):
        moment = time.time() - 100 + index  # apart even on coarse clocks
        os.utime(path, (moment, moment))
    save_draft(client, {"n": 5}, draft_id=ids[-1])
    assert len(list(drafts.drafts_folder().iterdir())) == 3
    monkeypatch.setattr(drafts, "MAX_DRAFT_BYTES", 1000)
    response = client.post("/api/utkast", json={"data": {"text": "x" * 2000}},
                           headers=authed())
    assert response.status_code == 507 and "för stort" in response.json()["fel"]


def test_a_folder_that_cannot_be_written_gives_a_swedish_error(spec_file, tmp_path,
                                                               monkeypatch):
    blocker = tmp_path / "fil-i-vägen"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv("IOPKIT_UTKAST", str(blocker / "utkast"))
    response = client_for(Workspace(spec_file)).post(
        "/api/utkast", json={"data": {}}, headers=authed())
    assert response.status_code == 507
    assert response.json()["fel"].startswith("Utkastet kunde inte sparas i ")


def test_every_document_has_the_name_the_cli_gives_it(spec_file):
    client = client_for(Workspace(spec_file))
    start = client.get("/api/start", headers=authed()).json()
    assert [d["namn"] for d in start["dokument"]] == [
        "avtal", "checklista", "tjansteskrivelse", "uppfoljning", "kalender"]
    body = spec_file.read_bytes()
    for kind, fmt, name in [("tjansteskrivelse", "docx", "kvinnojour-tjansteskrivelse.docx"),
                            ("uppfoljning", "md", "kvinnojour-uppfoljning.md"),
                            ("kalender", "ics", "kvinnojour-kalender.ics")]:
        response = client.post(f"/api/render?dokument={kind}&format={fmt}", content=body,
                               headers=authed())
        assert response.status_code == 200, response.text
        assert response.headers["content-disposition"].endswith("''" + name)
    memo = client.post("/api/render?dokument=tjansteskrivelse&format=docx", content=body,
                       headers=authed())
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(memo.content)).paragraphs)
    assert "Vårdlänken" in text or "Kvinnojour" in text
    ics = client.post("/api/render?dokument=kalender&format=ics", content=body,
                      headers=authed()).text
    assert ics.startswith("BEGIN:VCALENDAR")
    wrong = client.post("/api/render?dokument=kalender&format=docx", content=body,
                        headers=authed())
    assert wrong.status_code == 400 and wrong.json()["fel"] == "Okänt format. Välj ett av: ics."
    assert client.post("/api/render?dokument=arsrapport&format=docx", content=body,
                       headers=authed()).status_code == 400  # no follow-up file here


def test_the_annual_report_is_offered_when_a_follow_up_file_follows_the_spec(tmp_path):
    spec = tmp_path / "dagverksamhet.yaml"
    spec.write_bytes((EXAMPLES / "dagverksamhet.yaml").read_bytes())
    (tmp_path / "uppfoljning").mkdir()
    outcomes = tmp_path / "uppfoljning" / "utfall.yaml"
    outcomes.write_bytes((EXAMPLES / "uppfoljning" / "utfall.yaml").read_bytes())
    client = client_for(Workspace(spec))
    start = client.get("/api/start", headers=authed()).json()
    assert start["uppfoljningsfil"] == str(outcomes)
    assert start["dokument"][-1]["namn"] == "arsrapport"
    response = client.post("/api/render?dokument=arsrapport&format=docx", content=b"",
                           headers=authed())
    assert response.status_code == 200, response.text
    assert re_name(response) == "dagverksamhet-arsrapport-2028.docx"


def re_name(response) -> str:
    return response.headers["content-disposition"].split("''", 1)[1]


def test_a_save_conflict_says_in_words_what_differs(spec_file):
    client = client_for(Workspace(spec_file))
    start = client.get("/api/start", headers=authed()).json()
    spec_file.write_text(spec_file.read_text(encoding="utf-8").replace(
        "kortnamn: Vårdlänken", "kortnamn: Disklänken"), encoding="utf-8")
    data = start["data"]
    data["partnerskap"]["kortnamn"] = "Formulärlänken"
    response = client.post("/api/save", content=json.dumps({"data": data}),
                           headers=authed({"content-type": "application/json",
                                           "x-iopkit-version": start["version"]}))
    assert response.status_code == 409
    body = response.json()
    assert body["version"] == version_of(spec_file.read_bytes())
    assert body["antal"] == "1 ändring"
    (change,) = body["ändringar"]
    assert change["avsnitt"] == "Partnerskapet"
    assert "Disklänken" in change["mening"] and "Formulärlänken" in change["mening"]
    assert "Formulärlänken" in body["min"] and "Disklänken" in body["disk"]


def test_documents_of_a_file_opened_in_the_page_are_named_after_it(spec_file):
    client = client_for(Workspace(None))
    body = spec_file.read_bytes()
    named = client.post("/api/render?dokument=kalender&format=ics&namn=fr%C3%A5n-datorn.yaml",
                        content=body, headers=authed())
    assert re_name(named) == "fr%C3%A5n-datorn-kalender.ics"
    for hostile in ("../../etc/passwd.yaml", "C:%5Cx%5Cy.yaml", "inte-yaml.txt"):
        response = client.post(f"/api/render?dokument=kalender&format=ics&namn={hostile}",
                               content=body, headers=authed())
        assert re_name(response) == "avtal-kalender.ics"  # a path is never a name


def test_a_file_reopens_in_the_mode_it_was_saved_in_while_it_is_that_save(tmp_path):
    from iopkit.scaffold import scaffold_text

    new = tmp_path / "ny.yaml"
    new.write_text(scaffold_text("tom", new.name), encoding="utf-8")
    client = client_for(Workspace(new))
    start = client.get("/api/start", headers=authed()).json()
    assert (start["ny"], start["läge"]) == ("tom", None)  # the page picks the guide

    def save(data: dict, mode: object) -> None:
        version = client.get("/api/start", headers=authed()).json()["version"]
        saved = client.post("/api/save", headers=authed({
            "content-type": "application/json", "x-iopkit-version": version}),
            json={"data": data, "mall": "tom", "läge": mode})
        assert saved.status_code == 200, saved.text

    # Saved from "Alla fält", with nothing changed: it reopens there, still new.
    save(start["data"], "alla")
    again = client.get("/api/start", headers=authed()).json()
    assert (again["ny"], again["läge"]) == ("tom", "alla")
    # A mode the page does not have is not kept; the last valid one stays.
    save(start["data"], "../etc")
    assert client.get("/api/start", headers=authed()).json()["läge"] == "alla"
    # Saved from the guide: the guide.
    data = json.loads(json.dumps(start["data"]))
    data["partnerskap"]["namn"] = "Läxhjälp i Berga"
    save(data, "guide")
    assert client.get("/api/start", headers=authed()).json()["läge"] == "guide"
    # Changed by another program since: the page judges the file afresh.
    new.write_text(new.read_text(encoding="utf-8") + "# ändrad i en textredigerare\n",
                   encoding="utf-8")
    assert client.get("/api/start", headers=authed()).json()["läge"] is None
    # The modes live beside the drafts, not beside the user's files.
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ny.yaml", "ny.yaml.bak"]
    assert (drafts.drafts_folder() / drafts.MODES_FILE).is_file()


def test_the_modes_file_stays_bounded_and_a_broken_one_is_ignored(tmp_path):
    folder = tmp_path / "utkast"
    for n in range(drafts.MAX_MODES + 5):
        drafts.remember_mode(f"{n:016x}", "v", "guide", folder)
    kept = json.loads((folder / drafts.MODES_FILE).read_text(encoding="utf-8"))
    assert len(kept) == drafts.MAX_MODES and f"{0:016x}" not in kept
    assert drafts.saved_mode(f"{drafts.MAX_MODES + 4:016x}", "v", folder) == "guide"
    assert drafts.saved_mode(f"{drafts.MAX_MODES + 4:016x}", "annan", folder) is None
    (folder / drafts.MODES_FILE).write_text("{inte json", encoding="utf-8")
    assert drafts.saved_mode(f"{drafts.MAX_MODES + 4:016x}", "v", folder) is None
    drafts.remember_mode("a" * 16, "v", "alla", folder)  # a broken file is replaced
    assert drafts.saved_mode("a" * 16, "v", folder) == "alla"
