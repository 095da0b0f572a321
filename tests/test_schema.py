"""`iopkit schema`: a JSON Schema editors can use, in Swedish, matching the model."""

from __future__ import annotations

import json

from conftest import run


def test_schema_describes_the_format_in_swedish(runner):
    result = run(runner, "schema")
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    assert schema["$schema"].startswith("https://json-schema.org/")
    top = schema["properties"]
    for key in ("iopkit", "partnerskap", "parter", "behovsinventering", "mål", "insatser",
                "resurser", "ekonomi", "styrning", "uppföljning", "avtalsperiod"):
        assert key in top, key
        assert key in schema["required"], key
    assert "personuppgifter" not in schema["required"]
    assert top["iopkit"] == {**top["iopkit"], "const": 1}
    assert schema["additionalProperties"] is False
    party = schema["$defs"]["Party"]
    assert "ideell förening" in party["properties"]["typ"]["enum"]
    assert "Organisationsnummer" in party["properties"]["organisationsnummer"]["description"]


def test_schema_accepts_ja_nej_booleans(runner):
    schema = json.loads(run(runner, "schema").stdout)
    flag = schema["$defs"]["Party"]["properties"]["registrerad_idéburen"]
    assert {"type": "string", "enum": ["ja", "nej"]} in flag["anyOf"]
    assert {"type": "boolean"} in flag["anyOf"]
    assert flag["title"] == "registrerad_idéburen"


def test_schema_to_file_and_no_overwrite(runner, tmp_path):
    target = tmp_path / "iopkit.schema.json"
    result = run(runner, "schema", "-o", target)
    assert result.exit_code == 0
    assert json.loads(target.read_text(encoding="utf-8"))["properties"]
    target.write_text("mitt eget", encoding="utf-8")
    result = run(runner, "schema", "-o", target)
    assert result.exit_code == 2
    assert "finns redan" in result.stderr
    assert target.read_text(encoding="utf-8") == "mitt eget"
    result = run(runner, "schema", "-o", target, "--force")
    assert result.exit_code == 0
    assert target.read_text(encoding="utf-8") != "mitt eget"
