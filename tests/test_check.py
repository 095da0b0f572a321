"""`iopkit check`: every error class reports its line, key and a Swedish message."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import CANONICAL, EXAMPLES, SHARED_CANONICAL, dump, line_of, load_canonical_data, run


def replace_once(text: str, old: str, new: str) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


def findings_json(result) -> list[dict]:
    return json.loads(result.stdout)["findings"]


def test_canonical_example_is_clean(runner):
    result = run(runner, "check", CANONICAL)
    assert result.exit_code == 0, result.output
    assert "0 fel, 0 varningar" in result.stdout
    assert f"{CANONICAL}: OK" in result.stdout


@pytest.mark.skipif(not SHARED_CANONICAL.exists(), reason="../shared is not beside the repo")
def test_bundled_example_is_the_shared_canonical_example():
    assert CANONICAL.read_bytes() == SHARED_CANONICAL.read_bytes()


def test_version_and_help(runner):
    result = run(runner, "--version")
    assert result.exit_code == 0
    assert result.stdout.startswith("iopkit ")
    result = run(runner, "--help")
    assert result.exit_code == 0
    assert "Kommandon" in result.stdout and "check" in result.stdout
    assert "Användning: iopkit" in result.stdout


# (name, old text, new text, expected code, line needle in the *new* text, key path)
ERROR_CASES = [
    ("unknown key", "  namn: Dagverksamhet", "  nman: Dagverksamhet", "IOP011",
     "nman:", "partnerskap.nman"),
    ("bad check digit", "802461-3575", "802461-3576", "IOP015", "802461-3576",
     "parter[1].organisationsnummer"),
    ("impossible date", "datum: 2026-09-15", "datum: 2026-02-30", "IOP014", "2026-02-30",
     "behovsinventering.datum"),
    ("not a date", "start: 2027-01-01", "start: 1 januari 2027", "IOP014", "1 januari 2027",
     "avtalsperiod.start"),
    ("enum typo", "typ: ideell förening", "typ: ideel förening", "IOP013",
     "ideel förening", "parter[1].typ"),
    ("bad boolean", "registrerad_idéburen: ja", "registrerad_idéburen: kanske", "IOP013",
     "kanske", "parter[1].registrerad_idéburen"),
    ("negative amount", "belopp_per_år: 2400000", "belopp_per_år: -5", "IOP016",
     "belopp_per_år: -5", "resurser[0].belopp_per_år"),
    ("negative months", "uppsägningstid_månader: 6", "uppsägningstid_månader: -1", "IOP016",
     "uppsägningstid_månader: -1", "avtalsperiod.uppsägningstid_månader"),
    ("unknown need", "behov: [B2]", "behov: [B3]", "IOP021", "behov: [B3]", "mål[1].behov[0]"),
    ("unknown responsible party", "ansvarig: goteborg", "ansvarig: gbg", "IOP021",
     "ansvarig: gbg", "insatser[2].ansvarig"),
    ("unknown resource party", "  - part: goteborg\n    typ: personal",
     "  - part: stockholm\n    typ: personal", "IOP021", "part: stockholm", "resurser[1].part"),
    ("unknown inventory party", "genomförd_av: [goteborg, vinternatt]",
     "genomförd_av: [goteborg, vinterkväll]", "IOP021", "vinterkväll",
     "behovsinventering.genomförd_av[1]"),
    ("unknown group party", "partnerskapsgrupp: [goteborg, vinternatt]",
     "partnerskapsgrupp: [goteborg, vinternat]", "IOP021", "partnerskapsgrupp:",
     "styrning.partnerskapsgrupp[1]"),
    ("unknown goal", "    mål: [M1]\n    ansvarig: vinternatt",
     "    mål: [M9]\n    ansvarig: vinternatt", "IOP021", "mål: [M9]", "insatser[0].mål[0]"),
    ("duplicate id", "    - id: B2", "    - id: B1  # dubblett", "IOP020", "# dubblett",
     "behovsinventering.behov[1].id"),
    ("end before start", "slut: 2029-12-31", "slut: 2026-12-31", "IOP023", "slut: 2026",
     "avtalsperiod.slut"),
    ("format version", "iopkit: 1", "iopkit: 2", "IOP017", "iopkit: 2", "iopkit"),
    ("bad email", "epost: ana@example.org", "epost: ana at example", "IOP013",
     "ana at example", "parter[1].kontaktperson.epost"),
    ("text where a list belongs", "genomförd_av: [goteborg, vinternatt]",
     "genomförd_av: goteborg", "IOP012", "genomförd_av: goteborg",
     "behovsinventering.genomförd_av"),
]


@pytest.mark.parametrize("name,old,new,code,needle,path", ERROR_CASES,
                         ids=[c[0] for c in ERROR_CASES])
def test_error_class_reports_line_and_key(runner, write_spec, canonical_text, name, old, new,
                                          code, needle, path):
    text = replace_once(canonical_text, old, new)
    spec = write_spec(text)
    result = run(runner, "check", spec)
    assert result.exit_code == 1, result.output
    prefix = f"{spec}:{line_of(text, needle)}:"
    lines = [line for line in result.stdout.splitlines() if f" {code} " in line]
    assert lines, result.stdout
    assert any(line.startswith(prefix) and f" {path}:" in line for line in lines), \
        f"expected {prefix} … {path} in:\n{result.stdout}"
    assert "Traceback" not in result.output


def test_missing_key_points_at_its_section(runner, write_spec, canonical_text):
    text = replace_once(canonical_text, "  syfte: |", "  xsyfte: |")
    spec = write_spec(text)
    result = run(runner, "check", spec)
    assert result.exit_code == 1
    missing = [line for line in result.stdout.splitlines() if " IOP010 " in line]
    assert len(missing) == 1
    assert missing[0].startswith(f"{spec}:{line_of(text, 'partnerskap:')}:1:")
    assert "Nyckeln `syfte` saknas under `partnerskap`" in missing[0]
    assert "Menade du `syfte`?" in result.stdout  # the unknown key suggests the right one


def test_unknown_top_level_key_suggests_closest(runner, write_spec, canonical_text):
    spec = write_spec(canonical_text + "\nmal: []\n")
    result = run(runner, "check", spec)
    assert result.exit_code == 1
    assert "Okänd nyckel `mal` på översta nivån. Menade du `mål`?" in result.stdout


def test_unknown_key_without_close_match_lists_allowed_keys(runner, write_spec, canonical_text):
    text = replace_once(canonical_text, "  mötesfrekvens: månadsvis",
                        "  mötesfrekvens: månadsvis\n  zzz: 1")
    result = run(runner, "check", write_spec(text))
    assert "Tillåtna nycklar här: `partnerskapsgrupp`, `beslutsform`, `mötesfrekvens`" \
        in result.stdout


def test_all_problems_are_reported_not_just_the_first(runner, write_spec, canonical_text):
    text = canonical_text
    text = replace_once(text, "802461-3575", "802461-3576")
    text = replace_once(text, "datum: 2026-09-15", "datum: 2026-13-01")
    text = replace_once(text, "ansvarig: goteborg", "ansvarig: gbg")
    text = replace_once(text, "  kortnamn:", "  kortnam:")
    result = run(runner, "check", write_spec(text))
    assert result.exit_code == 1
    for code in ("IOP015", "IOP014", "IOP021", "IOP011"):
        assert f" {code} " in result.stdout
    assert "4 fel" in result.stdout


def test_yaml_11_surprises_stay_text(write_spec, canonical_text):
    from iopkit.check import check_file

    text = replace_once(canonical_text, "kortnamn: Dagcenter Väst", "kortnamn: no")
    text = replace_once(text, "telefon: 031-123 45 67", "telefon: 08:30")
    text = replace_once(text, "organisationsnummer: 802461-3575",
                        "organisationsnummer: 8024613575")
    result = check_file(write_spec(text))
    assert result.ok, [f.message for f in result.findings]
    assert result.spec.partnership.short_name == "no"
    assert result.spec.parties[0].contact.phone == "08:30"
    assert result.spec.parties[1].org_number == "802461-3575"


@pytest.mark.parametrize("written", ["8024613575", "802461-3575", "168024613575",
                                     "16802461-3575", "'8024613575'"])
def test_organisationsnummer_forms_are_normalised(write_spec, canonical_text, written):
    from iopkit.check import check_file

    text = replace_once(canonical_text, "organisationsnummer: 802461-3575",
                        f"organisationsnummer: {written}")
    result = check_file(write_spec(text))
    assert result.ok, [f.message for f in result.findings]
    assert result.spec.parties[1].org_number == "802461-3575"


def test_personnummer_like_number_is_refused(runner, write_spec, canonical_text):
    text = replace_once(canonical_text, "802461-3575", "811218-9876")
    result = run(runner, "check", write_spec(text))
    assert result.exit_code == 1
    assert "ser ut som ett personnummer" in result.stdout


def test_booleans_accept_ja_nej_and_true_false(write_spec, canonical_text):
    from iopkit.check import check_file

    for word, expected in (("ja", True), ("nej", False), ("true", True), ("false", False)):
        text = replace_once(canonical_text, "registrerad_idéburen: ja",
                            f"registrerad_idéburen: {word}")
        result = check_file(write_spec(text))
        assert result.spec is not None, word
        assert result.spec.parties[1].registered_nonprofit is expected


def test_needs_at_least_one_public_and_one_nonprofit_party(runner, write_spec):
    data = load_canonical_data()
    data["parter"][1]["typ"] = "kommun"
    del data["parter"][1]["registrerad_idéburen"]
    del data["parter"][1]["verksamhetsidé"]
    result = run(runner, "check", write_spec(dump(data)))
    assert result.exit_code == 1
    assert "minst en idéburen part" in result.stdout
    data = load_canonical_data()
    data["parter"][0]["typ"] = "stiftelse"
    result = run(runner, "check", write_spec(dump(data)))
    assert "minst en offentlig part" in result.stdout


def test_financial_resource_needs_an_amount(runner, write_spec):
    data = load_canonical_data()
    del data["resurser"][0]["belopp_per_år"]
    text = dump(data)
    result = run(runner, "check", write_spec(text))
    assert result.exit_code == 1
    assert " IOP024 resurser[0]:" in result.stdout


def test_nonprofit_only_keys_on_public_party(runner, write_spec):
    data = load_canonical_data()
    data["parter"][0]["registrerad_idéburen"] = True
    result = run(runner, "check", write_spec(dump(data)))
    assert result.exit_code == 1
    assert " IOP025 parter[0].registrerad_idéburen:" in result.stdout


@pytest.mark.parametrize("content,code,line,needle", [
    (b"", "IOP003", 1, "Filen är tom"),
    (b"# bara en kommentar\n", "IOP003", 1, "bara kommentarer"),
    (b"- a\n- b\n", "IOP003", 1, "översta nivå är en lista"),
    (b"bara text\n", "IOP003", 1, "översta nivå är ett enskilt värde"),
    (b"iopkit: 1\npartnerskap:\n\tnamn: x\n", "IOP001", 3, "tabbtecken"),
    (b"iopkit: 1\npartnerskap:\n  namn: a: b\n", "IOP001", 3, "kolon"),
    (b"iopkit: 1\npartnerskap:\n  namn: a\n bakgrund: b\n", "IOP001", 4, "Indraget"),
    (b"iopkit: 1\nnamn: \"oavslutad\n", "IOP001", 3, "citattecken"),
    (b"iopkit: 1\niopkit: 1\n", "IOP001", 2, "förekommer två gånger"),
    ("iopkit: 1\nnamn: Göteborg\n".encode("latin-1"), "IOP002", 2, "UTF-8"),
    (b"iopkit: 1\nnamn: a\x00b\n", "IOP002", 2, "NUL"),
    (b"iopkit: 1\nnamn: a\x07b\n", "IOP001", 2, "styrtecken"),
], ids=["empty", "comments", "list", "scalar", "tab", "colon", "indent", "quote",
        "duplicate key", "latin-1", "nul", "control character"])
def test_unreadable_yaml_gives_one_clear_error(runner, write_spec, content, code, line, needle):
    spec = write_spec(content)
    result = run(runner, "check", spec)
    assert result.exit_code == 1, result.output
    errors = [entry for entry in result.stdout.splitlines() if f" {code} " in entry]
    assert len(errors) == 1, result.stdout
    assert errors[0].startswith(f"{spec}:{line}:"), errors[0]
    assert needle in errors[0]
    assert "Traceback" not in result.output


def test_utf8_bom_crlf_and_utf16_are_read(runner, write_spec, canonical_text):
    for data in (b"\xef\xbb\xbf" + canonical_text.encode("utf-8"),
                 canonical_text.replace("\n", "\r\n").encode("utf-8"),
                 canonical_text.encode("utf-16")):
        result = run(runner, "check", write_spec(data))
        assert result.exit_code == 0, result.output


def test_missing_file_is_exit_2(runner, tmp_path):
    result = run(runner, "check", tmp_path / "finns-inte.yaml")
    assert result.exit_code == 2
    assert "finns inte" in result.stderr


def test_directory_is_expanded_to_its_yaml_files(runner, tmp_path, canonical_text):
    (tmp_path / "a.yaml").write_text(canonical_text, encoding="utf-8")
    (tmp_path / "b.yml").write_text(canonical_text, encoding="utf-8")
    (tmp_path / "notes.txt").write_text("inte en spec", encoding="utf-8")
    result = run(runner, "check", tmp_path)
    assert result.exit_code == 0, result.output
    assert "Kontrollerade 2 filer" in result.stdout


def test_empty_directory_is_exit_2(runner, tmp_path):
    result = run(runner, "check", tmp_path)
    assert result.exit_code == 2
    assert "inga .yaml-filer" in result.stderr


def test_unreadable_file_is_exit_2(runner, write_spec, canonical_text, monkeypatch):
    spec = write_spec(canonical_text)
    original_open = Path.open

    def deny(self, *args, **kwargs):
        if self == spec:
            raise PermissionError(13, "Permission denied")
        return original_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", deny)
    result = run(runner, "check", spec)
    assert result.exit_code == 2
    assert "behörighet saknas" in result.stderr


def test_many_files_errors_in_one_fail_the_run(runner, write_spec, canonical_text):
    good = write_spec(canonical_text, "bra.yaml")
    bad = write_spec(replace_once(canonical_text, "iopkit: 1", "iopkit: 7"), "dalig.yaml")
    result = run(runner, "check", good, bad)
    assert result.exit_code == 1
    assert f"{good}: OK" in result.stdout
    assert f"{bad}:3:" in result.stdout
    assert "Kontrollerade 2 filer: 1 fel" in result.stdout


def test_json_output(runner, write_spec, canonical_text):
    text = replace_once(canonical_text, "802461-3575", "802461-3576")
    spec = write_spec(text)
    result = run(runner, "check", "--format", "json", spec)
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    [finding] = [f for f in report["findings"] if f["code"] == "IOP015"]
    assert finding == {**finding, "file": str(spec), "line": line_of(text, "802461-3576"),
                       "column": 26, "path": "parter[1].organisationsnummer",
                       "severity": "fel"}
    assert "Kontrollsiffran" in finding["message"]
    assert report["summary"]["errors"] == 1 and report["summary"]["files"] == 1


def test_json_output_includes_unreadable_files(runner, tmp_path):
    result = run(runner, "check", "--format", "json", tmp_path / "saknas.yaml")
    assert result.exit_code == 2
    report = json.loads(result.stdout)
    assert report["findings"][0]["code"] == "IOP000"


def test_usage_errors_are_swedish_and_exit_2(runner):
    result = run(runner, "check", "--format", "xml", CANONICAL)
    assert result.exit_code == 2
    assert "Ogiltigt värde för --format" in result.stderr
    result = run(runner, "check")
    assert result.exit_code == 2
    assert "Argumentet FIL saknas" in result.stderr
    result = run(runner, "kontrollera")
    assert result.exit_code == 2
    assert "Kommandot 'kontrollera' finns inte" in result.stderr


def test_long_values_are_not_echoed(runner, write_spec, canonical_text):
    secret = "hemlig-uppgift-" * 40
    text = replace_once(canonical_text, "typ: ideell förening", f"typ: {secret}")
    result = run(runner, "check", write_spec(text))
    assert result.exit_code == 1
    assert secret not in result.output
    assert "…" in result.output


def test_every_example_checks_without_errors(runner):
    for spec in sorted(EXAMPLES.glob("*.yaml")):
        result = run(runner, "check", spec)
        assert result.exit_code == 0, result.output


# --- amounts per calendar year ------------------------------------------------------------


def test_amounts_per_year_are_read_and_years_outside_the_period_are_errors(runner,
                                                                           write_spec):
    from conftest import dump, load_canonical_data

    data = load_canonical_data()
    data["resurser"][0]["belopp_per_år"] = {2027: 2_400_000, 2028: 2_500_000,
                                            2029: 2_600_000, 2031: 100}
    text = dump(data)
    result = run(runner, "check", write_spec(text))
    assert result.exit_code == 1
    line = line_of(text, "2031: 100")
    assert f":{line}:5: fel IOP026 resurser[0].belopp_per_år.2031: Året 2031 ligger " \
           "utanför avtalsperioden (2027–2029)." in result.stdout


def test_a_per_year_key_that_is_not_a_year_is_explained(runner, write_spec):
    from conftest import dump, load_canonical_data

    data = load_canonical_data()
    data["resurser"][0]["belopp_per_år"] = {"år 2027": 2_400_000}
    result = run(runner, "check", write_spec(dump(data)))
    assert result.exit_code == 1
    assert '"år 2027" är inte ett årtal. Skriv beloppen per kalenderår' in result.stdout


def test_many_findings_of_one_rule_are_one_line_unless_verbose(runner, tmp_path):
    spec = tmp_path / "ny.yaml"
    assert run(runner, "new", spec).exit_code == 0
    result = run(runner, "check", spec)
    lines = [line for line in result.stdout.splitlines() if "IOP160" in line]
    assert len(lines) == 1, result.stdout
    count = result.stdout.count("\n    Källa: iopkit: mallen")
    assert count == 1
    assert lines[0].startswith(f"{spec}: varning IOP160 Ifyllnadstext kvar på ")
    assert "Visa varje anmärkning med -v." in lines[0]
    summary = result.stdout.strip().splitlines()[-1]
    warnings = int(summary.split(", ")[1].split()[0])
    verbose = run(runner, "check", "-v", spec)
    assert sum(1 for line in verbose.stdout.splitlines() if " IOP160 " in line) == warnings
