"""`iopkit serve` saving: lossless (only what the user changed), compare-and-swap against
outside edits, refused bodies, kept modes, a full disk, and bounded reads of the file."""

from __future__ import annotations

import copy
import difflib
import errno
import json
import os
import stat
import sys
import threading
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from conftest import EXAMPLES
from iopkit.scaffold import SCAFFOLDS, scaffold_text
from iopkit.serve import workspace as workspace_module
from iopkit.serve.app import create_app
from iopkit.serve.workspace import NO_FILE, Workspace, version_of

PORT = 48766
TOKEN = "test-token-save"
ORIGIN = f"http://127.0.0.1:{PORT}"
ROOT = Path(__file__).resolve().parent.parent
CANONICAL = ROOT.parent / "shared" / "spec" / "exempel-dagverksamhet.yaml"


def corpus() -> list[tuple[str, bytes]]:
    files = sorted(EXAMPLES.glob("*.yaml")) + sorted((ROOT / "tests" / "data").glob("*.yaml"))
    if CANONICAL.exists():
        files.append(CANONICAL)
    items = [(p.name, p.read_bytes()) for p in files]
    items += [(f"new-{s.name}", scaffold_text(s.name, "avtal.yaml").encode()) for s in SCAFFOLDS]
    return items


CORPUS = corpus()


def client_for(path: Path | None) -> TestClient:
    return TestClient(create_app(Workspace(path), TOKEN, PORT),
                      base_url=f"http://127.0.0.1:{PORT}", follow_redirects=False)


def headers(version: str, **extra: str) -> dict[str, str]:
    return {"x-iopkit-token": TOKEN, "origin": ORIGIN, "x-iopkit-version": version,
            "content-type": "application/json", **extra}


def page_data(client: TestClient) -> tuple[dict, str]:
    """What the page gets on start: its data and the version."""
    body = client.get("/api/start", headers={"x-iopkit-token": TOKEN}).json()
    return body["data"], body["version"]


def save(client: TestClient, data: dict, version: str, mall: str | None = None,
         confirmed: list | None = None):
    body = {"data": data, "mall": mall}
    if confirmed is not None:
        body["bekräftade"] = confirmed
    return client.post("/api/save", content=json.dumps(body), headers=headers(version))


def changed_lines(before: bytes, after: bytes) -> list[str]:
    return [line for line in difflib.unified_diff(
        before.decode("utf-8").splitlines(), after.decode("utf-8").splitlines(),
        lineterm="", n=0) if not line.startswith(("---", "+++", "@@"))]


# ---- lossless ----------------------------------------------------------------------

@pytest.mark.parametrize("name,content", CORPUS, ids=[n for n, _ in CORPUS])
def test_an_unedited_save_keeps_every_byte(tmp_path, name, content):
    spec = tmp_path / "avtal.yaml"
    spec.write_bytes(content)
    client = client_for(spec)
    data, version = page_data(client)
    response = save(client, data, version)
    assert response.status_code == 200, response.text
    assert spec.read_bytes() == content


@pytest.mark.parametrize("name,content", [c for c in CORPUS if c[0] != "alla-nycklar.yaml"],
                         ids=[n for n, _ in CORPUS if n != "alla-nycklar.yaml"])
def test_an_edit_of_one_value_changes_only_that_line(tmp_path, name, content):
    spec = tmp_path / "avtal.yaml"
    spec.write_bytes(content)
    client = client_for(spec)
    data, version = page_data(client)
    edited = copy.deepcopy(data)
    edited["partnerskap"]["namn"] = "Ett nytt namn: med kolon"
    assert save(client, edited, version).status_code == 200
    diff = changed_lines(content, spec.read_bytes())
    assert len(diff) == 2 and diff[0].lstrip("-").strip().startswith("namn:")
    assert diff[1].lstrip("+").strip().startswith("namn:")
    assert "Ett nytt namn: med kolon" in diff[1]
    # The page reads back what it saved.
    assert page_data(client)[0]["partnerskap"]["namn"] == "Ett nytt namn: med kolon"


SHAPES = """\
# Kommentar överst
iopkit: 1
partnerskap:
  namn: 'Enkla citat'   # slutkommentar
  # en rad för sig
  syfte: "Dubbla citat"
  kortnamn: Vanlig
mal: en text där en lista ska stå
__proto__: okänd nyckel
parter:
  - namn: Första  # om första
    typ: kommun
  - namn: Andra
    typ: ideell förening
""".encode("utf-8")


def test_comments_quotes_unknown_keys_and_wrong_shapes_survive_an_edit(tmp_path):
    spec = tmp_path / "avtal.yaml"
    spec.write_bytes(SHAPES)
    client = client_for(spec)
    data, version = page_data(client)
    assert data["mal"] == "en text där en lista ska stå" and "__proto__" in data
    data["partnerskap"]["kortnamn"] = "Ändrad"
    data["parter"][1]["namn"] = "Andra föreningen"
    assert save(client, data, version).status_code == 200
    after = spec.read_bytes().decode()
    assert after == SHAPES.decode().replace("kortnamn: Vanlig", "kortnamn: Ändrad").replace(
        "- namn: Andra\n", "- namn: Andra föreningen\n")


def test_list_items_added_and_removed_keep_the_other_items_comments(tmp_path):
    spec = tmp_path / "avtal.yaml"
    spec.write_bytes(SHAPES)
    client = client_for(spec)
    data, version = page_data(client)
    data["parter"].append({"namn": "Tredje", "typ": "kommun"})
    assert save(client, data, version).status_code == 200
    text = spec.read_text()
    assert "- namn: Första  # om första" in text and "- namn: Tredje" in text
    data, version = page_data(client)
    del data["parter"][1]
    assert save(client, data, version).status_code == 200
    text = spec.read_text()
    assert "Andra" not in text and "# om första" in text and "Tredje" in text
    assert "# en rad för sig" in text and "__proto__: okänd nyckel" in text


def test_a_filled_in_value_loses_its_fyll_i_note_and_only_that(tmp_path):
    spec = tmp_path / "avtal.yaml"
    spec.write_text(scaffold_text("tom", "avtal.yaml"), encoding="utf-8")
    before = spec.read_bytes()
    client = client_for(spec)
    data, version = page_data(client)
    data["parter"][0]["typ"] = "region"
    assert save(client, data, version).status_code == 200
    diff = changed_lines(before, spec.read_bytes())
    assert len(diff) == 2 and "FYLL I" in diff[0] and diff[1].strip() == "+    typ: region"


def test_a_confirmed_value_loses_its_fyll_i_note_and_nothing_else_changes(tmp_path):
    """"Stämmer" on the page: the value stays, its note goes; a path that leads nowhere
    (or is not a path) changes nothing."""
    spec = tmp_path / "avtal.yaml"
    spec.write_text(scaffold_text("tom", "avtal.yaml"), encoding="utf-8")
    before = spec.read_bytes()
    client = client_for(spec)
    data, version = page_data(client)
    nowhere = [["parter", 7, "typ"], ["saknas"], ["parter", 0, "typ", "djupare"], "typ", [],
               [True], [-1]]
    assert save(client, data, version, confirmed=nowhere).status_code == 200
    assert spec.read_bytes() == before
    data, version = page_data(client)
    assert save(client, data, version, confirmed=[["parter", 0, "typ"]]).status_code == 200
    diff = changed_lines(before, spec.read_bytes())
    assert len(diff) == 2 and "FYLL I" in diff[0] and diff[1] == "+    typ: kommun"


def test_a_lists_fyll_i_note_goes_when_the_list_is_filled_in_or_confirmed(tmp_path):
    spec = tmp_path / "avtal.yaml"
    spec.write_text(scaffold_text("barn-och-unga", "avtal.yaml"), encoding="utf-8")
    before = spec.read_bytes()
    client = client_for(spec)
    data, version = page_data(client)
    data["partnerskap"]["verksamhetsområden"].append("kultur")
    assert save(client, data, version).status_code == 200
    diff = changed_lines(before, spec.read_bytes())
    assert diff[1:] == ["+  verksamhetsområden: [fritid och idrott, kultur]"]
    # Confirmed as it is, the list stays and only the note goes.
    spec.write_bytes(before)
    data, version = page_data(client)
    assert save(client, data, version,
                confirmed=[["partnerskap", "verksamhetsområden"]]).status_code == 200
    diff = changed_lines(before, spec.read_bytes())
    assert diff[1:] == ["+  verksamhetsområden: [fritid och idrott]"]


def test_a_removed_key_leaves_the_next_sections_heading_comment(tmp_path):
    spec = tmp_path / "avtal.yaml"
    spec.write_text(scaffold_text("kvinnojour", "avtal.yaml"), encoding="utf-8")
    before = spec.read_bytes()
    client = client_for(spec)
    data, version = page_data(client)
    del data["partnerskap"]["verksamhetsområden"]  # every area unticked: the page leaves it out
    assert save(client, data, version).status_code == 200
    diff = changed_lines(before, spec.read_bytes())
    assert len(diff) == 1 and diff[0].startswith("-  verksamhetsområden:")
    assert "\n\n# PARTER\n# Minst en offentlig part" in spec.read_text(encoding="utf-8")


def test_a_new_file_from_a_scaffold_keeps_the_scaffolds_comments(tmp_path):
    spec = tmp_path / "ny.yaml"
    client = client_for(spec)
    base = scaffold_text("kvinnojour", "ny.yaml")
    data = client.get("/api/mall?typ=kvinnojour", headers={"x-iopkit-token": TOKEN}).json()["data"]
    data["partnerskap"]["namn"] = "Jouren"
    assert save(client, data, NO_FILE, mall="kvinnojour").status_code == 200
    diff = changed_lines(base.encode(), spec.read_bytes())
    assert len(diff) == 2 and "Jouren" in diff[1]


def test_crlf_and_bom_are_kept(tmp_path):
    spec = tmp_path / "avtal.yaml"
    original = b"\xef\xbb\xbf" + SHAPES.replace(b"\n", b"\r\n")
    spec.write_bytes(original)
    client = client_for(spec)
    data, version = page_data(client)
    data["partnerskap"]["kortnamn"] = "Ny"
    assert save(client, data, version).status_code == 200
    assert spec.read_bytes() == original.replace(b"kortnamn: Vanlig", "kortnamn: Ny".encode())


# ---- bodies, modes, protection -----------------------------------------------------

def test_a_body_that_is_not_utf8_is_refused_and_nothing_written(tmp_path):
    spec = tmp_path / "avtal.yaml"
    spec.write_bytes(SHAPES)
    client = client_for(spec)
    version = version_of(SHAPES)
    for content_type in ("application/json", "application/yaml"):
        response = client.post("/api/save", content="iopkit: 1\nnamn: Vård\n".encode("latin-1"),
                               headers=headers(version, **{"content-type": content_type}))
        assert response.status_code == 400 and "inte giltig UTF-8" in response.json()["fel"]
    assert spec.read_bytes() == SHAPES and not (tmp_path / "avtal.yaml.bak").exists()


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX modes")
def test_a_write_protected_spec_is_refused_and_stays_protected(tmp_path):
    spec = tmp_path / "avtal.yaml"
    spec.write_bytes(SHAPES)
    spec.chmod(0o444)
    client = client_for(spec)
    data, version = page_data(client)
    data["partnerskap"]["kortnamn"] = "Ny"
    response = save(client, data, version)
    assert response.status_code == 403 and "skrivskyddad" in response.json()["fel"]
    assert spec.read_bytes() == SHAPES and stat.S_IMODE(spec.stat().st_mode) == 0o444


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX modes")
def test_a_private_spec_stays_private_and_so_does_its_backup(tmp_path):
    spec = tmp_path / "avtal.yaml"
    spec.write_bytes(SHAPES)
    spec.chmod(0o600)
    client = client_for(spec)
    data, version = page_data(client)
    data["partnerskap"]["kortnamn"] = "Ny"
    assert save(client, data, version).status_code == 200
    assert stat.S_IMODE(spec.stat().st_mode) == 0o600
    backup = tmp_path / "avtal.yaml.bak"
    assert backup.read_bytes() == SHAPES and stat.S_IMODE(backup.stat().st_mode) == 0o600


def test_a_full_disk_changes_neither_the_file_nor_the_backup(tmp_path, monkeypatch):
    spec = tmp_path / "avtal.yaml"
    spec.write_bytes(SHAPES)
    client = client_for(spec)
    data, version = page_data(client)
    data["partnerskap"]["kortnamn"] = "Första"
    assert save(client, data, version).status_code == 200
    first = spec.read_bytes()
    backup = tmp_path / "avtal.yaml.bak"
    assert backup.read_bytes() == SHAPES

    def full(fd: int, content: bytes) -> None:
        os.write(fd, content[: len(content) // 2])
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(workspace_module, "write_all", full)
    data, version = page_data(client)
    data["partnerskap"]["kortnamn"] = "Andra"
    response = save(client, data, version)
    assert response.status_code == 500 and "disken är full" in response.json()["fel"]
    assert spec.read_bytes() == first and backup.read_bytes() == SHAPES
    assert sorted(p.name for p in tmp_path.iterdir()) == ["avtal.yaml", "avtal.yaml.bak"]


# ---- races -------------------------------------------------------------------------

def test_racing_saves_never_report_success_when_an_outside_edit_is_lost(tmp_path):
    spec = tmp_path / "avtal.yaml"
    spec.write_bytes(b"iopkit: 1\nn: 0\n")
    space = Workspace(spec)
    lost: list[str] = []
    rounds = 150
    for round_ in range(rounds):
        outside = f"iopkit: 1\nn: utifrån {round_}\n".encode()
        loaded = spec.read_bytes()
        ours = f"iopkit: 1\nn: vår {round_}\n".encode()
        result: dict[str, object] = {}

        def saving() -> None:
            try:
                result["version"] = space.save(ours, version_of(loaded))
            except Exception as exc:  # Conflict
                result["error"] = exc

        def editing() -> None:
            tmp = tmp_path / f"edit-{round_}.tmp"
            tmp.write_bytes(outside)
            os.replace(tmp, spec)  # an editor's atomic save

        threads = [threading.Thread(target=saving), threading.Thread(target=editing)]
        if round_ % 2:
            threads.reverse()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        on_disk = spec.read_bytes()
        backup = (tmp_path / "avtal.yaml.bak").read_bytes() \
            if (tmp_path / "avtal.yaml.bak").exists() else b""
        if "version" in result and outside not in (on_disk, backup):
            lost.append(f"round {round_}")
        if "version" in result:
            assert on_disk == ours or outside in (on_disk, backup)
    assert lost == []


def test_two_saves_from_the_same_version_one_wins_the_other_is_a_conflict(tmp_path):
    spec = tmp_path / "avtal.yaml"
    spec.write_bytes(SHAPES)
    client = client_for(spec)
    data, version = page_data(client)
    first = copy.deepcopy(data)
    first["partnerskap"]["kortnamn"] = "Ett"
    second = copy.deepcopy(data)
    second["partnerskap"]["kortnamn"] = "Två"
    assert save(client, first, version).status_code == 200
    conflict = save(client, second, version)
    assert conflict.status_code == 409 and "Ett" in conflict.json()["disk"]
    assert "kortnamn: Ett" in spec.read_text()


# ---- reading the file --------------------------------------------------------------

@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs")
def test_a_fifo_swapped_in_after_the_start_gives_a_swedish_error(tmp_path):
    spec = tmp_path / "avtal.yaml"
    spec.write_bytes(SHAPES)
    client = client_for(spec)
    spec.unlink()
    os.mkfifo(spec)
    response = client.get("/api/start", headers={"x-iopkit-token": TOKEN})
    assert response.status_code == 409 and "inte en vanlig fil" in response.json()["fel"]


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="/dev/zero")
def test_a_link_to_dev_zero_swapped_in_is_refused(tmp_path):
    spec = tmp_path / "avtal.yaml"
    spec.write_bytes(SHAPES)
    client = client_for(spec)
    spec.unlink()
    spec.symlink_to("/dev/zero")
    response = client.get("/api/start", headers={"x-iopkit-token": TOKEN})
    assert response.status_code == 409 and "symbolisk länk" in response.json()["fel"]
    response = save(client, {"iopkit": "1"}, version_of(SHAPES))
    assert response.status_code in (409, 500) and "Traceback" not in response.text


def test_a_file_over_two_megabytes_is_refused_with_a_message(tmp_path):
    spec = tmp_path / "avtal.yaml"
    spec.write_bytes(b"# " + b"x" * (2 * 1024 * 1024) + b"\n")
    response = client_for(spec).get("/api/start", headers={"x-iopkit-token": TOKEN})
    assert response.status_code == 409
    assert "högst 2 MB" in response.json()["fel"] and len(response.content) < 2000


def test_the_yaml_download_is_the_lossless_text_and_writes_nothing(tmp_path):
    spec = tmp_path / "avtal.yaml"
    spec.write_bytes(SHAPES)
    client = client_for(spec)
    data, version = page_data(client)
    data["partnerskap"]["kortnamn"] = "Ny"
    response = client.post("/api/yaml", content=json.dumps({"data": data}),
                           headers=headers(version))
    assert response.status_code == 200
    assert response.content == SHAPES.replace(b"kortnamn: Vanlig", b"kortnamn: Ny")
    assert spec.read_bytes() == SHAPES and not (tmp_path / "avtal.yaml.bak").exists()
