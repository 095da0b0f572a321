"""`iopkit diff`: two versions of a partnership compared by meaning, as a user runs it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import CANONICAL, ROOT, dump, load_canonical_data, run

V2 = ROOT / "tests" / "data" / "dagverksamhet-v2.yaml"

# Every change made in tests/data/dagverksamhet-v2.yaml, as the report must state it.
EXPECTED = [
    "Stiftelsen Gatans Hopp (stiftelse, organisationsnummer 817600-1231) tillträder avtalet "
    "som part",
    "Kontaktpersonen för Föreningen Vinternatt ändras från Ana Popescu till Maria Ionescu",
    "Kontaktpersonens e-postadress hos Föreningen Vinternatt ändras från ana@example.org till "
    "maria@example.org",
    "Underlaget ”Uppföljningsrapport för partnerskapets första år” läggs till",
    "Målet M3 läggs till: ”Besökare känner till sina rättigheter och får hjälp att använda "
    "dem.”",
    "Målet M2 (”Besökare får vägledning som stärker deras möjlighet att göra egna val.”) utgår",
    "Målet M1 får en ny indikator: ”Antal besökare som fått kontakt med vården”, målvärde "
    "minst 100",
    "Målvärdet för indikatorn ”Antal besök per år” (målet M1) ändras från ”minst 15 000” "
    "till ”minst 16 000”",
    "Insatsen I4 läggs till: ”Sjuksköterska på plats en förmiddag i veckan.”",
    "De mål som insatsen I2 bidrar till ändras från M2 till M3",
    "Insatsen I3 får följande lydelse: ”Socialsekreterare på plats två dagar i veckan",
    "De mål som insatsen I3 bidrar till ändras från M2 till M3",
    "Stiftelsen Gatans Hopp bidrar med en ny resurs: personal, ”Sjuksköterska fyra timmar i "
    "veckan”, uppskattat värde 90 000 kr per år",
    "Beloppet per år för resursen ”Bidrag till personal och drift” (Göteborgs kommun genom "
    "socialnämnden Centrum, ekonomiska medel) ändras från 2 400 000 kr till 2 600 000 kr "
    "(+200 000 kr)",
    "Villkoren för utbetalning får följande lydelse: ”Halvårsvis i förskott, senast den 15 "
    "januari och den 15 juli.”",
    "Partnerskapsgruppen ändras från Göteborgs kommun genom socialnämnden Centrum och Föreningen "
    "Vinternatt till Göteborgs kommun genom socialnämnden Centrum, Föreningen Vinternatt och "
    "Stiftelsen Gatans Hopp",
    "Datumet för den första uppföljningen ändras från den 15 mars 2027 till den 15 april 2027",
    "Avtalsperiodens slutdatum ändras från den 31 december 2029 till den 31 december 2030",
    "Uppsägningstiden ändras från 6 månader till 3 månader",
    "Ett nytt villkor, ”Kommunikation”, läggs till med följande lydelse: ”Parterna informerar "
    "gemensamt om partnerskapet",
    "Bilagan ”Verksamhetsplan 2028” läggs till",
]

# Consequences of the changes: the new totals, with the difference.
TOTALS = [
    "Resurserna från Göteborgs kommun genom socialnämnden Centrum uppgår därmed till 2 730 000 kr "
    "per år (tidigare 2 530 000 kr, +200 000 kr)",
    "Resurserna från Stiftelsen Gatans Hopp uppgår därmed till 90 000 kr per år (tidigare "
    "0 kr, +90 000 kr)",
    "Parternas sammanlagda resurser uppgår därmed till 3 630 000 kr per år (tidigare "
    "3 340 000 kr, +290 000 kr)",
    "Avtalet gäller därmed från och med den 1 januari 2027 till och med den 31 december 2030 "
    "(tidigare den 1 januari 2027 till och med den 31 december 2029)",
]


def flat(text: str) -> str:
    """Output as one line with ordinary spaces: wrapping and NBSP do not matter here."""
    return " ".join(text.replace("\u00a0", " ").split())


@pytest.fixture
def versions(tmp_path: Path) -> tuple[Path, Path]:
    old = tmp_path / "avtal-2027.yaml"
    new = tmp_path / "avtal-2028.yaml"
    shutil.copy(CANONICAL, old)
    shutil.copy(V2, new)
    return old, new


def write(tmp_path: Path, name: str, data: dict) -> Path:
    path = tmp_path / name
    path.write_text(dump(data), encoding="utf-8")
    return path


def test_text_reports_every_change_and_nothing_else(runner, versions):
    old, new = versions
    result = run(runner, "diff", old, new)
    assert result.exit_code == 0, result.output
    out = flat(result.stdout)
    assert out.startswith(f"Ändringar från {old} till {new}: {len(EXPECTED)} ändringar.")
    for sentence in EXPECTED + TOTALS:
        assert sentence in out, sentence
    # Exactly these changes: one marked line per change, one "=" line per new total.
    lines = result.stdout.splitlines()
    assert sum(1 for line in lines if line[:4] in ("  + ", "  - ", "  ~ ")) == len(EXPECTED)
    assert sum(1 for line in lines if line.startswith("  = ")) == len(TOTALS)
    # The old wording is shown beside the new one.
    assert ("Tidigare lydelse: ”Socialsekreterare på plats en dag i veckan för vägledning och "
            "kontakt med andra myndigheter.”") in out
    # The background paragraph was only reflowed in v2: not a change in meaning.
    assert "Bakgrunden" not in out
    # Grouped under the agreement's sections, in the agreement's order.
    headings = [line for line in lines if line and not line.startswith(" ")][1:-1]
    assert headings == ["Parter", "Behovsinventering", "Mål och indikatorer", "Insatser",
                        "Resurser", "Ekonomi", "Styrning", "Uppföljning", "Avtalsperiod",
                        "Villkor", "Bilagor"]


def test_same_version_has_no_changes(runner, versions):
    old, _ = versions
    result = run(runner, "diff", old, CANONICAL)
    assert result.exit_code == 0, result.output
    assert "Inga ändringar i sak." in result.stdout
    assert run(runner, "diff", "--exit-code", old, CANONICAL).exit_code == 0


def test_exit_code_option_signals_changes(runner, versions):
    result = run(runner, "diff", "--exit-code", *versions)
    assert result.exit_code == 1
    assert "ändringar" in result.stdout


def test_markdown_annex_ready_to_sign(runner, versions):
    old, new = versions
    result = run(runner, "diff", "--format", "md", "--nummer", "2", "--datum", "2028-05-04",
                 old, new)
    assert result.exit_code == 0, result.output
    annex = new.with_name("avtal-2028-tillagg.md")
    assert f"Skrev {annex}" in result.stderr
    text = annex.read_text(encoding="utf-8")
    assert text.startswith("# Tillägg nr 2 till avtal om idéburet offentligt partnerskap\n")
    assert "Diarienummer: SNC 2026/0418" in text
    assert "**UTKAST** – 4 maj 2028" in text
    assert "## Ändringar och tillägg" in text
    body = flat(text)
    for sentence in EXPECTED + TOTALS:
        assert sentence in body, sentence
    # Each change is a numbered clause, numbered straight through; the new totals follow
    # unnumbered, so the count in the text matches the clauses.
    numbers = [int(line[2:line.index(".**")]) for line in text.splitlines()
               if line.startswith("**") and ".**" in line]
    assert numbers == list(range(1, len(EXPECTED) + 1))
    assert f"följande {len(EXPECTED)} ändringar i avtalet" in body
    assert f"Skrev {annex} ({len(EXPECTED)} ändringar)." in flat(result.stderr)
    # Each clause names the § it amends in the old agreement and the day it takes effect:
    # the day after the last decision on the new version (process.beslut, 2027-12-14).
    clauses = {line[line.index(".**") + 4:] for line in text.splitlines()
               if line.startswith("**") and ".**" in line}
    assert all(", från och med den 15 december 2027:*" in c for c in clauses)
    assert any(c.startswith("*§ 7 Ekonomi,") and "utbetalning" in c for c in clauses)
    assert any(c.startswith("*§ 15 Avtalstid, förlängning och uppsägning,")
               and "Uppsägningstiden" in c for c in clauses)
    assert any(c.startswith("*§ 6 Parternas resurser,") and "2 600 000" in flat(c)
               for c in clauses)
    assert "Ändringarna gäller från och med den 15 december 2027." in body
    assert "*Till följd av ändringarna (§ 6 Parternas resurser):* Parternas sammanlagda" in text
    # The old parties entered the agreement; the annex is signed by the new version's
    # signatories, the new party included.
    assert ("Göteborgs kommun genom socialnämnden Centrum och Föreningen Vinternatt har ingått "
            "avtal om idéburet offentligt partnerskap") in body
    signatures = text[text.index("## Underskrifter"):]
    for party, name, title in (
            ("Göteborgs kommun genom socialnämnden Centrum", "Per Lund", "Förvaltningsdirektör"),
            ("Föreningen Vinternatt", "Lars Berg", "Ordförande"),
            ("Föreningen Vinternatt", "Ana Popescu", "Verksamhetsledare"),
            ("Stiftelsen Gatans Hopp", "Eva Holm", "Styrelseordförande")):
        assert f"### För {party}" in signatures
        assert f"{name}\\\n{title}\n" in signatures, name
    assert "tre likalydande exemplar" in signatures


def test_markdown_characters_in_spec_text_stay_text(runner, tmp_path):
    old = load_canonical_data()
    new = load_canonical_data()
    new["villkor"] = [{"rubrik": "Insyn *och* <b>", "text": "# Inte en rubrik & [länk](x)"}]
    result = run(runner, "diff", "-f", "md", "-o", tmp_path / "t.md",
                 write(tmp_path, "a.yaml", old), write(tmp_path, "b.yaml", new))
    assert result.exit_code == 0, result.output
    text = (tmp_path / "t.md").read_text(encoding="utf-8")
    assert r"”Insyn \*och\* \<b\>”" in text
    assert r"”\# Inte en rubrik & \[länk\](x)”" in text
    assert "<b>" not in text


def test_docx_annex_reads_back(runner, versions):
    pytest.importorskip("iopkit.writers.word.docx")
    from docx import Document

    old, new = versions
    target = old.parent / "tillagg.docx"
    result = run(runner, "diff", "-f", "docx", "-o", target, old, new)
    assert result.exit_code == 0, result.output
    document = Document(str(target))
    paragraphs = [p.text for p in document.paragraphs]
    text = flat("\n".join(paragraphs))
    assert "Tillägg nr 1 till avtal om idéburet offentligt partnerskap" in paragraphs[0]
    for sentence in EXPECTED + TOTALS:
        assert sentence in text, sentence
    # The signature blocks stand two by two in a borderless table.
    cells = [p.text for t in document.tables for row in t.rows for c in row.cells
             for p in c.paragraphs]
    for signature in ("Per Lund\nFörvaltningsdirektör", "Eva Holm\nStyrelseordförande"):
        assert any(signature in p for p in paragraphs + cells), signature
    styles = {p.text: p.style.name for p in document.paragraphs}
    assert styles["Ändringar och tillägg"] == "Heading 1"
    assert styles["För Stiftelsen Gatans Hopp"] == "Heading 2"
    assert document.sections[0].header.paragraphs[0].text.endswith("TILLÄGG NR 1")
    assert "Dagverksamhet för EU-medborgare i utsatthet" in document.core_properties.title


def test_reworded_and_renamed_items_are_paired(runner, tmp_path):
    """A reworded clause, a renamed heading, a reworded resource and a party whose id was
    changed read as changes, not as something removed and something added."""
    old = load_canonical_data()
    old["villkor"] = [
        {"rubrik": "Insyn", "text": "Föreningen ger staden insyn i verksamheten enligt "
                                    "lagen (2017:151) om meddelarskydd."},
        {"rubrik": "Kommunikation", "text": "Parterna informerar gemensamt om partnerskapet."},
    ]
    new = load_canonical_data()
    new["villkor"] = [
        {"rubrik": "Insyn", "text": "Föreningen ger staden och revisorerna insyn i "
                                    "verksamheten enligt lagen (2017:151) om meddelarskydd."},
        {"rubrik": "Gemensam kommunikation",
         "text": "Parterna informerar gemensamt om partnerskapet."},
    ]
    new["resurser"][2]["beskrivning"] = "Föreningens lokal på Andra Långgatan, 200 kvadratmeter"
    new["parter"][1]["id"] = "vn"
    for key in ("genomförd_av",):
        new["behovsinventering"][key] = ["goteborg", "vn"]
    new["process"]["initiativ"]["part"] = "vn"
    for decision in new["process"]["beslut"]:
        if decision["part"] == "vinternatt":
            decision["part"] = "vn"
    new["styrning"]["partnerskapsgrupp"] = ["goteborg", "vn"]
    for item in new["insatser"] + new["resurser"]:
        for field in ("ansvarig", "part"):
            if item.get(field) == "vinternatt":
                item[field] = "vn"
    result = run(runner, "diff", write(tmp_path, "a.yaml", old),
                 write(tmp_path, "b.yaml", new))
    assert result.exit_code == 0, result.output
    out = flat(result.stdout)
    assert f"{tmp_path / 'b.yaml'}: 3 ändringar." in out, out
    assert ("Villkoret ”Insyn” får följande lydelse: ”Föreningen ger staden och revisorerna "
            "insyn") in out
    assert "Tidigare lydelse: ”Föreningen ger staden insyn" in out
    assert ("Rubriken för villkoret ”Kommunikation” ändras från ”Kommunikation” till "
            "”Gemensam kommunikation”") in out
    assert ("Beskrivningen av resursen ”Föreningens lokal på Andra Långgatan, 180 "
            "kvadratmeter” (Föreningen Vinternatt, lokaler) får följande lydelse") in out
    assert "utgår" not in out and "läggs till" not in out and "tillträder" not in out


def test_amount_decrease_and_removed_party(runner, tmp_path):
    old = load_canonical_data()
    new = load_canonical_data()
    new["resurser"][0]["belopp_per_år"] = 2150000
    third = dict(old["parter"][1], id="tredje", namn="Föreningen Tredje",
                 organisationsnummer="817600-1231", typ="stiftelse")
    old["parter"].append(third)
    old["resurser"][0]["mottagare"] = "vinternatt"  # several idéburna parties
    old["styrning"]["partnerskapsgrupp"].append("tredje")
    old["resurser"].append({"part": "tredje", "typ": "kompetens",
                            "beskrivning": "Juridisk rådgivning", "värde_per_år": 50000})
    result = run(runner, "diff", write(tmp_path, "a.yaml", old),
                 write(tmp_path, "b.yaml", new))
    assert result.exit_code == 0, result.output
    out = flat(result.stdout)
    assert "ändras från 2 400 000 kr till 2 150 000 kr (\u2212250 000 kr)" in out
    assert "Föreningen Tredje (organisationsnummer 817600-1231) utträder ur avtalet" in out
    assert ("Resursen ”Juridisk rådgivning” från Föreningen Tredje (kompetens) utgår") in out
    assert ("Parternas sammanlagda resurser uppgår därmed till 3 090 000 kr per år (tidigare "
            "3 390 000 kr, \u2212300 000 kr)") in out


def test_library_gives_structured_changes():
    from iopkit.check import check_file
    from iopkit.diff import ChangeKind, diff_specs

    old, new = check_file(CANONICAL).spec, check_file(V2).spec
    changes = diff_specs(old, new)
    amount = next(c for c in changes if c.path == "resurser[0].belopp_per_år")
    assert (amount.kind, amount.difference) == (ChangeKind.CHANGED, 200000)
    assert amount.old == "2\u00a0400\u00a0000\u00a0kr"
    removed = next(c for c in changes if c.kind is ChangeKind.REMOVED)
    assert removed.subject == "Målet M2" and removed.section == "Mål och indikatorer"
    assert diff_specs(old, old) == []


def test_invalid_version_reports_findings_and_writes_nothing(runner, versions):
    old, new = versions
    new.write_text(new.read_text(encoding="utf-8").replace("  slut: 2030-12-31",
                                                           "  slut: 31 december 2030"),
                   encoding="utf-8")
    result = run(runner, "diff", "-f", "md", old, new)
    assert result.exit_code == 1
    assert f"{new}:" in result.stderr and "IOP014" in result.stderr
    assert "avtalsperiod.slut" in result.stderr
    assert not new.with_name("avtal-2028-tillagg.md").exists()


def test_missing_file_is_a_usage_error(runner, versions, tmp_path):
    old, _ = versions
    result = run(runner, "diff", old, tmp_path / "finns-inte.yaml")
    assert result.exit_code == 2
    assert "finns inte" in result.stderr
    assert "Traceback" not in result.output


def test_existing_annex_is_not_overwritten_without_force(runner, versions):
    old, new = versions
    annex = new.with_name("avtal-2028-tillagg.md")
    annex.write_text("mitt eget utkast\n", encoding="utf-8")
    result = run(runner, "diff", "-f", "md", old, new)
    assert result.exit_code == 2
    assert "finns redan" in result.stderr and "--force" in result.stderr
    assert annex.read_text(encoding="utf-8") == "mitt eget utkast\n"
    result = run(runner, "diff", "-f", "md", "--force", old, new)
    assert result.exit_code == 0, result.output
    assert annex.read_text(encoding="utf-8").startswith("# Tillägg nr 1")


def test_annex_output_is_deterministic(runner, versions):
    old, new = versions
    first, second = old.parent / "1.md", old.parent / "2.md"
    assert run(runner, "diff", "-f", "md", "-o", first, old, new).exit_code == 0
    assert run(runner, "diff", "-f", "md", "-o", second, old, new).exit_code == 0
    assert first.read_bytes() == second.read_bytes()


def test_no_annex_without_changes(runner, versions):
    old, _ = versions
    result = run(runner, "diff", "-f", "md", old, CANONICAL)
    assert result.exit_code == 0
    assert "Inga ändringar i sak." in result.stderr
    assert not CANONICAL.with_name("dagverksamhet-tillagg.md").exists()


def test_bad_draft_date_is_a_usage_error(runner, versions):
    result = run(runner, "diff", "-f", "md", "--datum", "4 maj 2028", *versions)
    assert result.exit_code == 2
    assert "ÅÅÅÅ-MM-DD" in result.stderr
    assert not versions[1].with_name("avtal-2028-tillagg.md").exists()


def test_effective_date_option_and_default_without_new_decisions(runner, versions, tmp_path):
    old, new = versions
    target = tmp_path / "t.md"
    result = run(runner, "diff", "-f", "md", "-o", target, "--gäller-från", "2028-01-01",
                 old, new)
    assert result.exit_code == 0, result.output
    text = flat(target.read_text(encoding="utf-8"))
    assert "Ändringarna gäller från och med den 1 januari 2028." in text
    assert "från och med den 15 december 2027" not in text
    # A new version without later decisions: the day after everybody has signed.
    data = load_canonical_data()
    data["avtalsperiod"]["uppsägningstid_månader"] = 3
    changed = write(tmp_path, "b.yaml", data)
    result = run(runner, "diff", "-f", "md", "-o", tmp_path / "u.md", CANONICAL, changed)
    assert result.exit_code == 0, result.output
    text = flat((tmp_path / "u.md").read_text(encoding="utf-8"))
    assert ("**1.** *§ 15 Avtalstid, förlängning och uppsägning, från och med dagen efter "
            "den dag då tillägget har undertecknats av samtliga parter:* Uppsägningstiden "
            "ändras från 6 månader till 3 månader.") in text


def test_bad_effective_date_is_a_usage_error(runner, versions, tmp_path):
    result = run(runner, "diff", "-f", "md", "-o", tmp_path / "t.md", "--gäller-från",
                 "snart", *versions)
    assert result.exit_code == 2
    assert "--gäller-från 'snart' är inget datum" in result.stderr
    assert not (tmp_path / "t.md").exists()


def test_new_versions_findings_are_listed(runner, tmp_path):
    data = load_canonical_data()
    new = load_canonical_data()
    del new["rättslig_bedömning"]["upphandling"]  # a warning in the new version
    old_file, new_file = write(tmp_path, "a.yaml", data), write(tmp_path, "b.yaml", new)
    result = run(runner, "diff", old_file, new_file)
    assert result.exit_code == 0, result.output
    assert f"Anmärkningar från iopkit check på {new_file}:" in result.stdout
    codes = [line.split()[0] for line in result.stdout.splitlines()
             if line.startswith("  IOP")]
    assert codes
    result = run(runner, "diff", "-f", "md", "-o", tmp_path / "t.md", old_file, new_file)
    text = (tmp_path / "t.md").read_text(encoding="utf-8")
    section = text[text.index("## Kontroll av den nya versionen"):]
    assert text.index("## Underskrifter") < text.index("## Kontroll av den nya versionen")
    for code in codes:
        assert f"- {code} " in section
