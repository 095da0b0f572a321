"""`iopkit serve`: the API contract and the local-server security rules, over HTTP."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import docx
import pytest
import yaml
from starlette.testclient import TestClient

from conftest import EXAMPLES, run
from iopkit.serve.app import create_app
from iopkit.serve.workspace import NO_FILE, Workspace, version_of
from iopkit.spec.schema import schema_json

PORT = 48765
TOKEN = "test-token-abc"
ORIGIN = f"http://127.0.0.1:{PORT}"
KVINNOJOUR = EXAMPLES / "kvinnojour.yaml"


def client_for(workspace: Workspace, host: str = "127.0.0.1") -> TestClient:
    return TestClient(create_app(workspace, TOKEN, PORT), base_url=f"http://{host}:{PORT}",
                      follow_redirects=False)


def authed(extra: dict | None = None, origin: str | None = ORIGIN) -> dict:
    headers = {"x-iopkit-token": TOKEN}
    if origin:
        headers["origin"] = origin
    headers.update(extra or {})
    return headers


@pytest.fixture
def spec_file(tmp_path: Path) -> Path:
    path = tmp_path / "kvinnojour.yaml"
    path.write_bytes(KVINNOJOUR.read_bytes())
    return path


@pytest.fixture
def client(spec_file: Path) -> TestClient:
    return client_for(Workspace(spec_file))


# ---- the API contract ------------------------------------------------------------------

@pytest.mark.parametrize("example", sorted(EXAMPLES.glob("*.yaml")), ids=lambda p: p.stem)
def test_check_returns_exactly_what_check_format_json_prints(example, runner):
    cli = run(runner, "check", "--format", "json", example)
    client = client_for(Workspace(example))
    response = client.post("/api/check", content=example.read_bytes(), headers=authed())
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    assert response.text + "\n" == cli.stdout


def test_check_reports_a_syntax_error_with_its_line(client):
    response = client.post("/api/check", content="iopkit: 1\nparter: [\n".encode(),
                           headers=authed())
    finding = response.json()["findings"][0]
    assert (finding["code"], finding["severity"]) == ("IOP001", "fel")
    assert finding["line"] is not None and finding["file"].endswith("kvinnojour.yaml")
    assert response.json()["summary"]["errors"] == 1


def test_check_points_at_an_emptied_field(client, spec_file):
    data = yaml.safe_load(spec_file.read_text(encoding="utf-8"))
    data["parter"][0]["namn"] = ""
    response = client.post("/api/check", content=yaml.safe_dump(data, allow_unicode=True),
                           headers=authed())
    paths = [f["path"] for f in response.json()["findings"] if f["severity"] == "fel"]
    assert "parter[0].namn" in paths


def test_schema_is_the_schema_command_output(client):
    response = client.get("/api/schema", headers=authed())
    assert response.status_code == 200
    assert response.text == schema_json()


def test_render_docx_is_the_agreement_with_the_names_in_it(client, spec_file):
    response = client.post("/api/render?dokument=avtal&format=docx",
                           content=spec_file.read_bytes(), headers=authed())
    assert response.status_code == 200
    assert "kvinnojour-avtal.docx" in response.headers["content-disposition"]
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(response.content)).paragraphs)
    assert "Stöd i vården för kvinnor och barn som utsatts för våld" in text
    assert "Kvinnojouren Lindan i Norrmark" in text


def test_render_is_byte_identical_to_the_render_command(client, spec_file, runner, tmp_path,
                                                        monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1800000000")
    out = tmp_path / "ut"
    out.mkdir()
    assert run(runner, "render", spec_file, "-o", out, "--format", "docx,md").exit_code == 0
    for kind, fmt in (("avtal", "docx"), ("checklista", "md")):
        response = client.post(f"/api/render?dokument={kind}&format={fmt}",
                               content=spec_file.read_bytes(), headers=authed())
        assert response.content == (out / f"kvinnojour-{kind}.{fmt}").read_bytes()


def test_render_html_is_a_swedish_page(client, spec_file):
    response = client.post("/api/render?dokument=checklista&format=html",
                           content=spec_file.read_bytes(), headers=authed())
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert '<html lang="sv">' in response.text and "Checklista" in response.text


def test_render_refuses_a_spec_with_errors_in_swedish(client):
    response = client.post("/api/render?dokument=avtal&format=html",
                           content=b"iopkit: 1\n", headers=authed())
    assert response.status_code == 422
    body = response.json()
    assert "fel och kan inte bli ett dokument" in body["fel"]
    assert body["findings"] and all(f["severity"] == "fel" for f in body["findings"])


def test_render_pdf_without_libreoffice(client, spec_file, monkeypatch):
    """The editor's PDF comes from Typst: no LibreOffice needed, and the page knows."""
    monkeypatch.setenv("IOPKIT_SOFFICE", str(spec_file.parent / "finns-inte" / "soffice"))
    response = client.post("/api/render?dokument=avtal&format=pdf",
                           content=spec_file.read_bytes(), headers=authed())
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    with pikepdf_open(response.content) as pdf, pdf.open_metadata() as xmp:
        assert xmp.get("pdfaid:part") == "2" and xmp.get("pdfuaid:part") == "1"
    assert client.get("/api/start", headers=authed()).json()["pdf"] is True
    client.get(f"/?token={TOKEN}")
    page = client.get("/").text
    assert re.search(r'<button id="ladda-pdf"[^>]*>', page)
    assert " hidden" not in re.search(r'<button id="ladda-pdf"[^>]*>', page).group(0)
    script = client.get("/static/app.js").text
    assert '"ladda-pdf").hidden' not in script


def pikepdf_open(data: bytes):
    import io

    pikepdf = pytest.importorskip("pikepdf")
    return pikepdf.open(io.BytesIO(data))


@pytest.mark.parametrize("query", ["dokument=bilaga&format=docx", "dokument=avtal&format=odt"])
def test_render_refuses_unknown_documents_and_formats(client, spec_file, query):
    response = client.post(f"/api/render?{query}", content=spec_file.read_bytes(),
                           headers=authed())
    assert response.status_code == 400
    assert "Välj ett av" in response.json()["fel"]


def test_start_gives_the_file_its_data_and_version(client, spec_file):
    body = client.get("/api/start", headers=authed()).json()
    assert body["fil"] == str(spec_file) and body["kan_spara"] is True
    assert body["text"] == spec_file.read_text(encoding="utf-8")
    assert body["version"] == version_of(spec_file.read_bytes())
    assert body["data"]["parter"][1]["id"] == "lindan"
    assert body["data"]["avtalsperiod"]["start"] == "2027-03-01"  # dates as written
    assert "kvinnojour" in [kind["namn"] for kind in body["typer"]]


def test_start_without_a_file_offers_the_scaffold_kinds(tmp_path):
    body = client_for(Workspace(None)).get("/api/start", headers=authed()).json()
    assert body["fil"] is None and body["kan_spara"] is False and body["data"] is None
    assert body["version"] == NO_FILE


def test_start_of_a_new_file_with_a_kind_gives_the_scaffold(tmp_path):
    workspace = Workspace(tmp_path / "ny.yaml", scaffold="integration")
    body = client_for(workspace).get("/api/start", headers=authed()).json()
    assert body["data"]["iopkit"] == "1" and body["version"] == NO_FILE
    assert "FYLL I" in body["text"]
    # `iopkit serve NY.yaml --typ X`: the page opens the guide with empty fields.
    assert body["ny"] == "integration"
    assert not (tmp_path / "ny.yaml").exists()


def test_start_without_a_file_but_with_a_kind_opens_the_guide():
    body = client_for(Workspace(None, scaffold="tom")).get("/api/start", headers=authed()).json()
    assert body["ny"] == "tom" and body["kan_spara"] is False


def _answer(text: str, share: float) -> str:
    """`text` with the first `share` of its FYLL I value texts answered."""
    lines = text.splitlines()
    questions = [i for i, line in enumerate(lines) if '"FYLL I' in line
                 and not line.lstrip().startswith("#")]
    for i in questions[: round(len(questions) * share)]:
        lines[i] = lines[i].replace('"FYLL I: ', '"Ifyllt: ')
    return "\n".join(lines) + "\n"


def test_start_says_when_the_file_is_a_new_one_from_iopkit_new(tmp_path, spec_file):
    from iopkit.scaffold import scaffold_text

    new = tmp_path / "ny.yaml"
    text = scaffold_text("dagverksamhet", new.name)
    new.write_text(text, encoding="utf-8")

    def kind() -> str | None:
        return client_for(Workspace(new)).get("/api/start", headers=authed()).json()["ny"]

    assert kind() == "dagverksamhet"
    # After a save from the guide with most questions answered, one left: still the
    # guide (the old rule, half of the FYLL I lines, sent it to "Alla fält" here).
    new.write_text(_answer(text, 0.9), encoding="utf-8")
    assert "FYLL I" in new.read_text(encoding="utf-8")
    assert kind() == "dagverksamhet"
    # Every question answered: it opens as it is, even with comment markers left on
    # values the scaffold had filled in (`typ: kommun  # FYLL I: …`).
    new.write_text(_answer(text, 1.0), encoding="utf-8")
    assert "# FYLL I" in new.read_text(encoding="utf-8")
    assert kind() is None
    # Without the header of `iopkit new`, a FYLL I text does not make a file new.
    new.write_text(text.replace("Skapad med `iopkit new", "Skriven för hand, inte `iopkit"),
                   encoding="utf-8")
    assert kind() is None
    assert client_for(Workspace(spec_file)).get("/api/start", headers=authed()).json()["ny"] \
        is None


def test_check_of_a_half_filled_spec_gives_the_rules_that_can_judge_it(tmp_path, runner):
    """`iopkit check` stops at the errors; the page also gets the warnings of the rules
    whose fields are filled in, never one at a field with an error."""
    data = yaml.safe_load(KVINNOJOUR.read_text(encoding="utf-8"))
    data["partnerskap"]["namn"] = ""
    del data["resurser"]
    data["avtalsperiod"]["slut"] = "2035-12-31"
    spec = tmp_path / "halv.yaml"
    spec.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    cli = run(runner, "check", "--format", "json", spec)
    assert cli.exit_code == 1
    assert {f["severity"] for f in json.loads(cli.stdout)["findings"]} == {"fel"}
    body = client_for(Workspace(spec)).post("/api/check", content=spec.read_bytes(),
                                            headers=authed()).json()
    codes = {(f["code"], f["path"]) for f in body["findings"]}
    assert ("IOP130", "avtalsperiod.slut") in codes  # longer than four years
    assert body["summary"]["errors"] == 2
    errors = {f["path"] for f in body["findings"] if f["severity"] == "fel"}
    assert not [f for f in body["findings"] if f["severity"] != "fel" and f["path"] in errors]
    # No rule that reads the missing resources has judged a guess.
    assert not [f for f in body["findings"] if f["path"].startswith("resurser")
                and f["severity"] != "fel"]
    assert all(f["line"] for f in body["findings"])


def test_scaffold_endpoint_and_parse_endpoint(client):
    response = client.get("/api/mall?typ=tom", headers=authed())
    assert response.status_code == 200
    data = response.json()["data"]
    assert data["parter"][0]["id"] == "kommunen"
    parsed = client.post("/api/parse", content=response.json()["text"].encode(),
                         headers=authed()).json()
    assert parsed["data"] == data
    broken = client.post("/api/parse", content=b"a: [\n", headers=authed())
    assert broken.status_code == 422 and broken.json()["findings"][0]["code"] == "IOP001"


# ---- saving ----------------------------------------------------------------------------

def test_save_writes_atomically_and_keeps_the_previous_version(client, spec_file):
    before = spec_file.read_bytes()
    new_text = before.decode("utf-8").replace("Vårdlänken", "Vårdlänken 2")
    response = client.post("/api/save", content=new_text.encode("utf-8"),
                           headers=authed({"x-iopkit-version": version_of(before)}))
    assert response.status_code == 200, response.text
    assert spec_file.read_text(encoding="utf-8") == new_text
    assert Path(str(spec_file) + ".bak").read_bytes() == before
    assert response.json()["version"] == version_of(new_text.encode("utf-8"))
    assert not [p for p in spec_file.parent.iterdir() if p.name.endswith(".tmp")]


def test_save_refuses_when_the_file_changed_on_disk_and_returns_both(client, spec_file):
    loaded = version_of(spec_file.read_bytes())
    spec_file.write_text("iopkit: 1\n# ändrad i en annan editor\n", encoding="utf-8")
    response = client.post("/api/save", content=b"iopkit: 1\n# min version\n",
                           headers=authed({"x-iopkit-version": loaded}))
    assert response.status_code == 409
    body = response.json()
    assert "har ändrats på disken" in body["fel"]
    assert body["disk"] == "iopkit: 1\n# ändrad i en annan editor\n"
    assert spec_file.read_text(encoding="utf-8") == body["disk"]  # nothing overwritten
    # The user chooses their own version: saving against the disk version succeeds.
    again = client.post("/api/save", content=b"iopkit: 1\n# min version\n",
                        headers=authed({"x-iopkit-version": body["version"]}))
    assert again.status_code == 200
    assert spec_file.read_text(encoding="utf-8") == "iopkit: 1\n# min version\n"


def test_save_creates_a_new_file_and_refuses_if_it_appeared_meanwhile(tmp_path):
    target = tmp_path / "ny.yaml"
    client = client_for(Workspace(target, scaffold="tom"))
    target.write_text("iopkit: 1\n", encoding="utf-8")  # someone else created it
    response = client.post("/api/save", content=b"iopkit: 1\n",
                           headers=authed({"x-iopkit-version": NO_FILE}))
    assert response.status_code == 409
    target.unlink()
    response = client.post("/api/save", content=b"iopkit: 1\n",
                           headers=authed({"x-iopkit-version": NO_FILE}))
    assert response.status_code == 200 and target.read_bytes() == b"iopkit: 1\n"
    assert not Path(str(target) + ".bak").exists()


def test_save_without_a_file_explains_download(tmp_path):
    response = client_for(Workspace(None)).post(
        "/api/save", content=b"iopkit: 1\n", headers=authed({"x-iopkit-version": NO_FILE}))
    assert response.status_code == 409
    assert "Ladda ner YAML-filen" in response.json()["fel"]


# ---- security ---------------------------------------------------------------------------

@pytest.mark.parametrize("host", ["evil.example", "127.0.0.1.nip.io", "localhost"])
def test_foreign_host_is_refused(spec_file, host):
    client = TestClient(create_app(Workspace(spec_file), TOKEN, PORT),
                        base_url=f"http://{host}:{PORT}")
    response = client.get("/api/start", headers=authed())
    if host == "localhost":
        assert response.status_code == 200
    else:
        assert response.status_code == 421
        assert "Okänd serveradress" in response.text


def test_right_host_wrong_port_is_refused(spec_file):
    response = client_for(Workspace(spec_file)).get(
        "/api/start", headers=authed({"host": f"127.0.0.1:{PORT + 1}"}))
    assert response.status_code == 421


@pytest.mark.parametrize("path", ["/", "/api/start", "/api/schema", "/static/app.js"])
def test_missing_or_wrong_token_is_refused(client, path):
    assert client.get(path).status_code == 403
    response = client.get(path, headers={"x-iopkit-token": "fel"})
    assert response.status_code == 403
    assert "åtkomstnyckel" in response.text


def test_missing_token_on_post_is_refused_before_anything_runs(client, spec_file):
    before = spec_file.read_bytes()
    response = client.post("/api/save", content=b"iopkit: 1\n", headers={
        "origin": ORIGIN, "x-iopkit-version": version_of(before)})
    assert response.status_code == 403
    assert spec_file.read_bytes() == before


def test_token_in_the_address_gives_the_page_and_a_cookie_that_opens_only_the_page(client):
    first = client.get(f"/?token={TOKEN}")
    assert first.status_code == 200 and "iopkit" in first.text
    cookie = first.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/" in cookie
    name, value = cookie.split(";")[0].split("=", 1)
    assert str(PORT) in name and TOKEN not in cookie  # bound to the port, not the token
    page = client.get("/")  # the client keeps the cookie: a reload gets the page
    assert page.status_code == 200 and "iopkit" in page.text
    assert "script-src 'self'" in page.headers["content-security-policy"]
    # The cookie reaches every port of 127.0.0.1; replayed, it reads no data.
    for path in ("/api/start", "/api/schema"):
        assert client.get(path).status_code == 403
    assert client.post("/api/check", content=b"iopkit: 1\n",
                       headers={"origin": ORIGIN}).status_code == 403
    # Not from another site, and not for another server or start of this one.
    assert client.get("/", headers={"origin": "http://127.0.0.1:9999"}).status_code == 403
    assert client.get("/", headers={"sec-fetch-site": "cross-site"}).status_code == 403
    other = client_for(Workspace(None))
    other.cookies.set(name, value)
    again = TestClient(create_app(Workspace(None), "another-start", PORT),
                       base_url=f"http://127.0.0.1:{PORT}")
    again.cookies.set(name, value)
    assert again.get("/").status_code == 403


def test_token_in_the_address_of_an_api_call_is_served_directly(client):
    response = client.get(f"/api/schema?token={TOKEN}")
    assert response.status_code == 200 and response.text == schema_json()


@pytest.mark.parametrize("origin", ["http://evil.example", f"http://127.0.0.1:{PORT + 1}",
                                    "null", None])
def test_post_from_a_foreign_or_missing_origin_is_refused(client, spec_file, origin):
    response = client.post("/api/check", content=spec_file.read_bytes(),
                           headers=authed(origin=origin))
    assert response.status_code == 403
    assert "webbredigerarens egen sida" in response.text


def test_body_over_two_megabytes_is_refused(client):
    big = b"# " + b"x" * (3 * 1024 * 1024) + b"\n"
    response = client.post("/api/check", content=big, headers=authed())
    assert response.status_code == 413
    assert "för stort" in response.text


def test_body_over_two_megabytes_is_refused_without_content_length(client):
    def chunks():
        for _ in range(48):
            yield b"#" * 65536

    response = client.post("/api/check", content=chunks(), headers=authed())
    assert response.status_code == 413


def test_a_lying_content_length_does_not_help(spec_file):
    # Straight at the ASGI app: a small declared length, a big body.
    import anyio

    app = create_app(Workspace(spec_file), TOKEN, PORT)
    sent: list[dict] = []
    parts = [b"#" * (1024 * 1024)] * 3

    async def receive():
        body = parts.pop() if parts else b""
        return {"type": "http.request", "body": body, "more_body": bool(parts)}

    async def send(message):
        sent.append(message)

    scope = {"type": "http", "method": "POST", "path": "/api/check", "query_string": b"",
             "headers": [(b"host", f"127.0.0.1:{PORT}".encode()), (b"origin", ORIGIN.encode()),
                         (b"x-iopkit-token", TOKEN.encode()), (b"content-length", b"10")]}
    anyio.run(app, scope, receive, send)
    assert sent[0]["status"] == 413


@pytest.mark.parametrize("request_", [
    ("GET", "/api/mall?typ=../../../../etc/passwd"),
    ("GET", "/api/mall?typ=..%2F..%2Fpyproject"),
    ("POST", "/api/render?dokument=../../avtal&format=docx"),
    ("POST", "/api/render?dokument=avtal&format=../docx"),
    ("GET", "/static/../app.py"),
    ("GET", "/static/..%2F..%2Fpyproject.toml"),
    ("GET", "/static/%2e%2e%2fserver.py"),
    ("GET", "/api/start?fil=../../etc/passwd"),
    ("POST", "/api/save?fil=../utanfor.yaml"),
], ids=lambda r: r[1])
def test_dot_dot_in_any_parameter_reaches_no_file(client, spec_file, tmp_path, request_):
    method, url = request_
    before = sorted(p.name for p in tmp_path.parent.iterdir())
    own = spec_file.read_bytes()
    response = client.request(method, url, content=own,
                              headers=authed({"x-iopkit-version": version_of(own)}))
    assert b"root:" not in response.content and b"[project]" not in response.content
    assert b"import " not in response.content
    if url.startswith("/api/start"):  # extra parameters are ignored: the file given at start
        assert response.json()["fil"] == str(spec_file)
    elif url.startswith("/api/save"):
        assert response.status_code == 200  # saved, but only into the file given at start
    else:
        assert response.status_code in (400, 404)
    assert sorted(p.name for p in tmp_path.parent.iterdir()) == before
    assert not (tmp_path.parent / "utanfor.yaml").exists()


def test_static_files_are_only_the_shipped_ones(client):
    for name in ("app.js", "model.js", "form.js", "yaml.js", "style.css"):
        response = client.get(f"/static/{name}", headers=authed())
        assert response.status_code == 200 and response.content
    assert client.get("/static/__init__.py", headers=authed()).status_code == 404


def test_the_page_loads_nothing_from_elsewhere(client):
    from iopkit.serve.app import STATIC_FILES, static_bytes

    for name in STATIC_FILES:
        text = static_bytes(name).decode("utf-8")
        assert "http://" not in text and "https://" not in text and "//cdn" not in text


def test_other_methods_are_refused(client):
    assert client.request("PUT", "/api/save", headers=authed()).status_code == 405
    assert client.request("DELETE", "/", headers=authed()).status_code == 405


def test_no_traceback_on_an_internal_error(client, monkeypatch):
    import iopkit.serve.api as api

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(api, "check_json", broken)
    client = TestClient(client.app, base_url=f"http://127.0.0.1:{PORT}",
                        raise_server_exceptions=False)
    response = client.post("/api/check", content=b"iopkit: 1\n", headers=authed())
    assert response.status_code == 500
    assert "Internt fel i iopkit" in response.json()["fel"]
    assert "Traceback" not in response.text and "boom" not in response.text


def test_json_errors_are_swedish_json(client):
    body = client.get("/api/mall?typ=okänd", headers=authed()).json()
    assert body["fel"].startswith("Okänd typ") and "tom" in body["fel"]


def test_end_of_line_comments_are_given_with_their_key_paths(client):
    text = ('iopkit: 1  # formatversion\n'
            'partnerskap:\n'
            '  namn: "Med # inne i texten"\n'
            '  syfte: "Text"  # FYLL I: syftet\n'
            '  bakgrund: |\n'
            '    rad # inte en kommentar\n'
            'parter:\n'
            '  - id: kommunen  # FYLL I: id\n'
            '    typ: kommun\n'
            'styrning:\n'
            '  partnerskapsgrupp: [kommunen]  # alla parter\n'
            '# en kommentar på egen rad\n')
    body = client.post("/api/parse", content=text.encode(), headers=authed()).json()
    assert body["kommentarer"] == [
        {"sökväg": ["iopkit"], "text": "formatversion"},
        {"sökväg": ["partnerskap", "syfte"], "text": "FYLL I: syftet"},
        {"sökväg": ["parter", 0, "id"], "text": "FYLL I: id"},
        {"sökväg": ["styrning", "partnerskapsgrupp"], "text": "alla parter"},
    ]
    assert body["data"]["partnerskap"]["namn"] == "Med # inne i texten"
