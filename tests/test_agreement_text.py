"""The agreement text a kommunjurist reads: the contradictions of issue 13 are gone, the
wording follows the number of parties, and the conditional sections appear exactly when
they apply (IOP.md, "Sections of the agreement draft"). Documents are read back from the
rendered Markdown (and Word for the multi-party table)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from conftest import EXAMPLES, ROOT, dump, load_canonical_data, run
from render_helpers import docx_paragraphs, markdown_text, norm

DATE = dt.date(2026, 5, 4)


class Agreement(str):
    """The agreement's text as a reader sees it (whitespace normalised), with its
    numbered sections: `sections` title → text, `numbers` title → "§ N"."""

    sections: dict[str, str]
    numbers: dict[str, str]


def render(tmp_path: Path, data: dict | Path, name: str = "avtal.yaml") -> Agreement:
    """The agreement for `data` (a spec as data, or a spec file)."""
    from iopkit.check import check_file
    from iopkit.render.pipeline import RenderOptions, render_markdown

    if isinstance(data, Path):
        path = data
    else:
        path = tmp_path / name
        path.write_text(dump(data), encoding="utf-8")
    result = check_file(path)
    assert result.ok, [f.message for f in result.errors]
    agreement = render_markdown(result, RenderOptions(date=DATE))[0]
    assert agreement.kind == "avtal"
    markdown = agreement.markdown
    doc = Agreement(norm(markdown_text(markdown)))
    doc.sections, doc.numbers = {}, {}
    chunks = re.split(r"^## ", markdown, flags=re.M)[1:]
    for chunk in chunks:
        heading, _, body = chunk.partition("\n")
        match = re.match(r"(§\u00a0\d+) (.+)", heading)
        if match:
            doc.sections[match[2]] = norm(markdown_text(body))
            doc.numbers[match[2]] = norm(match[1])  # as in the normalised text
    return doc


def section(doc: Agreement, title: str) -> str:
    assert title in doc.sections, (title, list(doc.sections))
    return doc.sections[title]


def number_of(doc: Agreement, title: str) -> str:
    return doc.numbers[title]


@pytest.fixture(scope="module")
def canonical(tmp_path_factory) -> str:
    return render(tmp_path_factory.mktemp("kanon"), load_canonical_data())


def two_organisations() -> dict:
    """The canonical example with a second idéburen party and money per recipient."""
    data = load_canonical_data()
    data["parter"].append({
        "id": "hopp", "namn": "Stiftelsen Gatans Hopp", "typ": "stiftelse",
        "organisationsnummer": "817600-1231",
        "kontaktperson": {"namn": "Johan Sand"},
        "firmatecknare": [{"namn": "Eva Holm", "titel": "Styrelseordförande"}]})
    money = data["resurser"][0]
    money["belopp_per_år"] = 2000000
    money["mottagare"] = "vinternatt"
    data["resurser"].insert(1, {
        "part": "goteborg", "typ": "ekonomiska medel",
        "beskrivning": "Bidrag till sjuksköterska på plats",
        "belopp_per_år": {2027: 400000, 2028: 450000, 2029: 500000},
        "mottagare": "hopp"})
    data["resurser"].append({"part": "hopp", "typ": "material",
                             "beskrivning": "Förbandsmaterial"})
    data["insatser"].append({"id": "I4", "beskrivning": "Sjuksköterska en förmiddag i veckan.",
                             "mål": ["M1"], "ansvarig": "hopp"})
    data["styrning"]["partnerskapsgrupp"].append("hopp")
    data["behovsinventering"]["genomförd_av"].append("hopp")
    data["process"]["beslut"].append({"part": "hopp", "organ": "styrelsen",
                                      "datum": "2026-11-12"})
    return data


@pytest.fixture(scope="module")
def multi(tmp_path_factory) -> str:
    return render(tmp_path_factory.mktemp("flera"), two_organisations())


# --- The contradictions of issue 13 ---------------------------------------------------


def test_grant_conditions_stated_once_and_referred_to_by_number(canonical):
    economy = number_of(canonical, "Ekonomi")
    ekonomi = section(canonical, "Ekonomi")
    assert "Bidraget är inte ersättning för tjänster som den offentliga parten köper" in ekonomi
    # Reporting is about the purpose, never per delivered unit; nothing anywhere pays per unit.
    assert "Redovisningen visar hur medlen har använts för partnerskapets ändamål" in ekonomi
    for wrong in ("per utförd prestation", "per deltagare", "per plats", "kan kräva en viss "
                  "prestation", "vite"):
        assert wrong not in canonical, wrong
    # Återkrav, unused funds and the right to see the accounts: once, in § Ekonomi.
    for clause in ("Återkrav.", "Medel som inte används.", "Räkenskaper och granskning."):
        assert canonical.count(clause) == 1 and clause in ekonomi
    # Other sections refer to § Ekonomi by its number instead of restating the rules.
    for title in ("Insatser och åtaganden", "Uppföljning och utvärdering",
                  "Avtalstid, förlängning och uppsägning",
                  "Omförhandling, upphörande och tvist"):
        assert economy in section(canonical, title), title
    assert "inte ett villkor om en viss prestation" in section(canonical,
                                                               "Uppföljning och utvärdering")


def test_remedy_is_stop_and_repayment_and_dispute_is_about_repayment(canonical):
    text = section(canonical, "Omförhandling, upphörande och tvist")
    economy = number_of(canonical, "Ekonomi")
    assert (f"Då gäller {economy} om dialog, skriftlig påminnelse, stoppad utbetalning och "
            "återkrav") in text
    assert "Den offentliga parten kan inte kräva att organisationen genomför verksamheten" in text
    # The procedure is stated once, in § Ekonomi, with one period to remedy.
    ekonomi = section(canonical, "Ekonomi")
    assert "stoppa fortsatta utbetalningar och kräva tillbaka medel" in ekonomi
    assert "en skriftlig påminnelse med minst 30 dagar att rätta bristen" in ekonomi
    # § Ekonomi (the reminder, and repeated missing reports as a material breach in
    # § Avtalstid) and the reference to it.
    assert canonical.count("påminnelse") == 3
    assert "En tvist om återbetalning av medel" in text and "allmän domstol" in text
    assert "Hävning" not in canonical and "häva" not in canonical


def test_uppsagning_is_in_one_place_with_several_parties(tmp_path):
    text = render(tmp_path, EXAMPLES / "paraply.yaml")
    where = number_of(text, "Avtalstid, förlängning och uppsägning")
    body = section(text, "Avtalstid, förlängning och uppsägning")
    assert "Varje part kan säga upp sitt deltagande i avtalet skriftligen" in body
    assert "så länge minst en offentlig part och en idéburen part är kvar" in body
    assert "Till en part som har lämnat partnerskapet betalas inga medel" in body
    # Nowhere else is a party given a right to leave; other sections only refer here.
    outside = text.replace(body, "")
    assert not re.search(r"säga upp|lämna partnerskapet|utträd", outside)
    assert f"{where} om uppsägning med omedelbar verkan" in outside


def test_group_prepares_and_each_partys_body_decides(canonical):
    text = section(canonical, "Organisation och styrning")
    assert "bereder och föreslår" in text
    assert "Partnerskapsgruppen kan inte fatta sådana beslut" in text
    assert ("fattas av varje parts behöriga organ: socialnämnden Centrum och styrelsen för "
            "Föreningen Vinternatt.") in text
    assert "kommunallagen (2017:725)" in text and "6 kap. 37 §" in text and "6 kap. 38 §" in text
    assert "undertecknat" in text
    assert "genom beslut i partnerskapsgruppen" not in canonical
    # The draft (dated 4 May 2026) precedes the decisions: they are planned, not taken.
    assert "Avtalet ska godkännas genom följande beslut" in canonical
    assert "har godkänts" not in canonical
    assert ("Göteborgs kommun genom socialnämnden Centrum: socialnämnden Centrum den 15 "
            "december 2026 (diarienummer SNC 2026/0418)") in canonical


def test_meddelarskydd_only_where_the_law_can_apply(canonical, tmp_path):
    assert "Meddelarskydd" in canonical.sections  # socialtjänst
    assert "(2017:151) om meddelarskydd i vissa enskilda verksamheter gäller enligt 2 §" in canonical
    for areas in (["fritid och idrott"], ["övrigt", "folkbildning"], []):
        data = load_canonical_data()
        data["partnerskap"]["verksamhetsområden"] = areas
        text = render(tmp_path, data)
        assert "2017:151" not in text and "eddelarskydd" not in text, areas


def test_personuppgifter_present_when_the_key_is_missing(tmp_path):
    data = load_canonical_data()
    del data["personuppgifter"]
    data["partnerskap"]["barn"] = True
    text = render(tmp_path, data)
    body = section(text, "Personuppgifter och sekretess")
    assert "Innan personuppgifter om deltagarna behandlas" in body
    assert "på den offentliga sidan är det socialnämnden Centrum" in body
    assert "26 kap. 1 § OSL" in body and "12 kap. 2 § OSL" in body


def test_in_kind_resource_without_value_is_not_zero(tmp_path):
    data = load_canonical_data()
    del data["resurser"][2]["värde_per_år"]  # the association's premises
    path = tmp_path / "avtal.yaml"
    path.write_text(dump(data), encoding="utf-8")
    from typer.testing import CliRunner

    assert run(CliRunner(), "render", path, "--datum", "2026-05-04").exit_code == 0
    document, _ = docx_paragraphs(tmp_path / "avtal-avtal.docx")
    table = next(t for t in document.tables if t.rows[0].cells[0].text == "Part")
    rows = {r.cells[1].text: r.cells[-1].text for r in table.rows}
    premises = next(k for k in rows if "Andra Långgatan" in k)
    assert rows[premises] == "ej värderad"
    totals = {r.cells[0].text: r.cells[-1].text for r in table.rows}
    assert totals["Summa Föreningen Vinternatt"] == "450\u00a0000"  # not + 0; kronor in the header
    text = norm("\n".join(p.text for p in docx_paragraphs(tmp_path / "avtal-avtal.docx")[1]))
    assert "☒" not in text
    assert "Den är ej värderad och ingår inte i summorna" in text


# --- Several idéburna parties ------------------------------------------------------------


def test_plural_wording_and_every_party_named(multi):
    assert "den idéburna organisationen" not in multi
    assert not re.search(r"(?<![a-zåäö ]{4} )\b[Oo]rganisationen\b", multi), \
        re.findall(r".{40}\b[Oo]rganisationen\b.{20}", multi)
    assert ("I avtalet kallas Föreningen Vinternatt och Stiftelsen Gatans Hopp tillsammans de "
            "idéburna organisationerna") in multi
    assert "Varje idéburen organisation som tar emot medel för räkenskaper" in multi
    assert "Beslut hos" not in multi  # every party's decision is stated
    assert "Stiftelsen Gatans Hopp: styrelsen den 12 november 2026" in multi


def test_each_sum_has_its_recipient_in_table_and_text(tmp_path):
    path = tmp_path / "flera.yaml"
    path.write_text(dump(two_organisations()), encoding="utf-8")
    from typer.testing import CliRunner

    assert run(CliRunner(), "render", path, "--datum", "2026-05-04").exit_code == 0
    document, paragraphs = docx_paragraphs(tmp_path / "flera-avtal.docx")
    table = next(t for t in document.tables
                 if t.rows[0].cells[0].text == "Mottagare och ändamål")
    rows = [[c.text for c in row.cells] for row in table.rows]
    assert rows[0] == ["Mottagare och ändamål", "2027", "2028", "2029", "Summa"]
    by_recipient = {r[0].split(":")[0]: r[1:] for r in rows[1:]}
    # Spliced in after a colon: a lower-case start (skrivregler).
    assert rows[1][0] == "Föreningen Vinternatt: bidrag till personal och drift"
    assert by_recipient["Föreningen Vinternatt"] == ["2\u00a0000\u00a0000"] * 3 + [
        "6\u00a0000\u00a0000"]
    assert by_recipient["Stiftelsen Gatans Hopp"] == [
        "400\u00a0000", "450\u00a0000", "500\u00a0000", "1\u00a0350\u00a0000"]
    assert by_recipient["Summa"] == ["2\u00a0400\u00a0000", "2\u00a0450\u00a0000",
                                     "2\u00a0500\u00a0000", "7\u00a0350\u00a0000"]
    text = norm("\n".join(p.text for p in paragraphs))
    assert ("Föreningen Vinternatt tar emot sammanlagt 6 000 000 kr; Stiftelsen Gatans Hopp "
            "tar emot sammanlagt 1 350 000 kr.") in text.replace("\u00a0", " ")
    # The resources: year by year, since one amount differs between the years.
    resources = next(t for t in document.tables
                     if t.rows[0].cells[0].text == "Part och resurs")
    header = [c.text for c in resources.rows[0].cells]
    assert header == ["Part och resurs", "2027", "2028", "2029", "Summa"]
    totals = {r.cells[0].text: [c.text for c in r.cells[1:]] for r in resources.rows}
    # The material is not valued: never 0 (issue 21).
    assert totals["Summa Stiftelsen Gatans Hopp"] == ["–", "–", "–", "ej värderad"]
    assert totals["Summa för alla parter"] == [
        "3\u00a0340\u00a0000", "3\u00a0390\u00a0000", "3\u00a0440\u00a0000",
        "10\u00a0170\u00a0000"]
    material = next(r for r in resources.rows if "material: förbandsmaterial" in r.cells[0].text)
    assert [c.text for c in material.cells[1:]] == ["–", "–", "–", "ej värderad"]
    assert "Belopp i kronor." in text


def test_paraply_names_all_four_organisations_and_their_money(tmp_path):
    text = render(tmp_path, EXAMPLES / "paraply.yaml")
    assert "de idéburna organisationerna" in text
    ekonomi = section(text, "Ekonomi")
    for name in ("Strömsby IF", "Föreningen Grannstöd Norrliden",
                 "Equmeniaförsamlingen i Strömsby", "Cykelköket Strömsby ekonomisk förening"):
        assert f"{name} tar emot sammanlagt" in ekonomi, name


# --- Conditional sections ----------------------------------------------------------------


REGIMES = {
    "2007:171": (["HVB"], "lagen (2007:171) om registerkontroll av personal vid vissa "
                          "boenden som tar emot barn"),
    # Cited in full in § Personuppgifter (tystnadsplikt), so short in the later §.
    "skollagen": (["skolväsendet"], "2 kap. 31 § skollagen"),
    "2010:479": (["LSS"], "lagen (2010:479) om registerkontroll av personal som utför "
                          "vissa insatser åt barn med funktionshinder"),
    "2013:852": (["övrigt"], "lagen (2013:852) om registerkontroll av personer som ska "
                             "arbeta med barn"),
}


@pytest.mark.parametrize("regime", REGIMES)
def test_barn_section_with_the_registerkontroll_of_the_right_regime(tmp_path, regime):
    areas, law = REGIMES[regime]
    data = load_canonical_data()
    data["partnerskap"]["verksamhetsområden"] = areas
    data["partnerskap"]["barn"] = True
    text = render(tmp_path, data)
    body = section(text, "Barnets rättigheter och registerkontroll")
    assert "lagen (2018:1197) om Förenta nationernas konvention om barnets rättigheter" in body
    assert law in body
    # The voluntary check of lag (2013:852) also stands beside a mandatory one, for the
    # activity with children the mandatory law does not cover (issue 21).
    for other, (_, other_law) in REGIMES.items():
        if other not in (regime, "2013:852"):
            assert other_law not in text, other
    assert REGIMES["2013:852"][1] in body
    voluntary = True
    assert ("ingen kopia sparas" in body) is voluntary
    assert ("lämnas aldrig till den offentliga parten" in body) is voluntary
    assert ("som personen själv har begärt hos Polismyndigheten och som inte är äldre än "
            "ett år" in body) is voluntary
    if regime == "2007:171":
        assert "under omständigheter liknande dem som förekommer vid en anställning" in body
        assert "sex månader" in body
    # Criminal-record data are named in § Personuppgifter with GDPR art. 10.
    assert "artikel 10 i dataskyddsförordningen" in section(text,
                                                            "Personuppgifter och sekretess")


def test_no_barn_section_without_children(canonical):
    assert "Barnets rättigheter" not in canonical and "registerkontroll" not in canonical


def test_ivo_permit_stated_where_it_applies(tmp_path, canonical):
    assert "IVO" not in canonical
    data = load_canonical_data()
    data["partnerskap"]["verksamhetsområden"] = ["HVB"]
    data["parter"][1]["ivo_tillstånd"] = "IVO 3.5.1-1234/2026, beviljat den 1 mars 2026"
    text = render(tmp_path, data)
    assert ("Tillstånd från Inspektionen för vård och omsorg (IVO): IVO 3.5.1-1234/2026, "
            "beviljat den 1 mars 2026") in section(text, "Parter")
    insatser = section(text, "Insatser och åtaganden")
    assert "kräver tillstånd från Inspektionen för vård och omsorg (IVO)" in insatser
    assert "Föreningen Vinternatt har tillstånd från IVO (IVO 3.5.1-1234/2026" in insatser
    assert "Ett villkor för bidraget är att organisationen" in insatser


@pytest.mark.parametrize(("ansvar", "expected", "bilaga"), [
    ("var för sig", "Varje part är personuppgiftsansvarig", None),
    ("gemensamt", "gemensamt personuppgiftsansvariga", "artikel 26"),
    ("biträde", "är personuppgiftsbiträde", "artikel 28"),
])
def test_personuppgifter_controller_arrangement(tmp_path, ansvar, expected, bilaga):
    data = load_canonical_data()
    data["personuppgifter"] = {"behandlas": True, "ansvar": ansvar}
    text = render(tmp_path, data)
    body = section(text, "Personuppgifter och sekretess")
    assert expected in body
    # The nämnd, not the kommun, is the controller (not only in the party's name).
    assert re.search(r"(?<!genom )socialnämnden Centrum", body), body
    appendices = text[text.rindex("Bilagor"):]
    if bilaga:
        assert f"enligt {bilaga} i dataskyddsförordningen (EU) 2016/679" in body
        assert bilaga in appendices
    else:
        assert "Avtalet har inga bilagor" in appendices


def test_personuppgifter_when_none_are_processed(tmp_path):
    data = load_canonical_data()
    data["personuppgifter"] = {"behandlas": False}
    body = section(render(tmp_path, data), "Personuppgifter och sekretess")
    assert "Parterna behandlar inga personuppgifter om deltagarna" in body
    assert "kontaktuppgifter" in body


@pytest.mark.parametrize(("ground", "present", "absent"), [
    ("stöd av mindre betydelse",
     # 3 000 000 kr: under the ceiling (above it the ground is an error, IOP112).
     ["Stöd av mindre betydelse.", "(EU) 2023/2831", "3 000 000 kr nominellt för hela avtalsperioden",
      "12 a § lagen (2013:388)", "skriftligen har underrättat organisationen om stödets belopp"],
     ["2023/2832", "2012/21/EU"]),
    ("stöd av mindre betydelse för SGEI",
     ["(EU) 2023/2832", "Den tjänst av allmänt ekonomiskt intresse som stödet avser är "
                        "organisationens insatser enligt § 5: I1 och I2"],
     ["2023/2831", "2012/21/EU"]),
    ("SGEI-beslutet",
     ["kommissionens beslut 2012/21/EU", "från och med den 1 januari 2027 till och med den "
      "31 december 2029", "Föreningen Vinternatt (802461-3575)",
      "Exklusiva eller särskilda rättigheter: inga", "minst vart tredje år och när uppdraget "
      "upphör", "10 procent", "i minst tio år"],
     ["2023/2831", "2023/2832", "Stöd av mindre betydelse."]),
    ("ingen ekonomisk verksamhet", [], ["2023/2831", "2023/2832", "2012/21/EU"]),
])
def test_state_aid_clause_per_ground(tmp_path, ground, present, absent):
    data = load_canonical_data()
    data["rättslig_bedömning"]["statsstöd_grund"] = ground
    if ground == "stöd av mindre betydelse":
        data["resurser"][0]["belopp_per_år"] = 1_000_000
    text = render(tmp_path, data)
    ekonomi = section(text, "Ekonomi")
    for phrase in present:
        assert phrase in ekonomi, phrase
    for phrase in absent:
        assert phrase not in text, phrase
    # An SGEI entrustment is a public-service obligation: the grant wording that the
    # public party cannot require the activity is left out, nowhere contradicted.
    assert ("kan inte kräva att" in text) is (ground != "SGEI-beslutet")


def test_budget_reservation_only_when_chosen(tmp_path, canonical):
    assert "Budgetförbehåll" not in canonical
    data = load_canonical_data()
    data["ekonomi"]["budgetförbehåll"] = True
    ekonomi = section(render(tmp_path, data), "Ekonomi")
    assert ("Budgetförbehåll. Medlen för 2028 och 2029 lämnas med förbehåll för att de "
            "beviljas i budgeten för respektive år. De beviljas genom det beslut som ") \
        in ekonomi
    assert "ansvariga nämndens" not in ekonomi
    assert "fattar om sin budget för året, inom den ram som fullmäktiges budget för året ger " \
           "(budgetbeslutet)." in ekonomi
    assert "Medel som inte beviljas betalas inte ut." in ekonomi
    assert ("Enas parterna inte inom två månader från meddelandet får varje part säga upp "
            "avtalet med en månads uppsägningstid.") in ekonomi


def test_standard_clauses_always_present(canonical):
    titles = canonical.sections
    for title in ("Försäkring och skadeansvar", "Allmänna handlingar och arkiv",
                  "Kommunikation", "Överlåtelse och rangordning"):
        assert title in titles, title
    assert "blir allmänna handlingar hos den offentliga parten" in canonical
    assert "Handlingar som bara finns hos organisationen är inte allmänna handlingar" in canonical
    assert "Efter avtalets slut." in canonical


# --- Language -----------------------------------------------------------------------------

#: Wrong words that must never come back (IOP.md, "Swedish conventions").
OLD_PHRASES = (
    re.compile(r"\bideell tid\b(?!`)"), re.compile(r"Spårbarhet", re.I),
    re.compile(r"Organisationsform:"), re.compile(r"försumbart stöd", re.I),
    re.compile(r"ingen marknad", re.I), re.compile(r"inleder likvidation"),
    re.compile(r"Meddelarskydd och insyn"), re.compile(r"hävning", re.I),
)


def _texts_to_scan() -> list[Path]:
    files = sorted((ROOT / "iopkit" / "documents").rglob("templates/*.j2"))
    files += [ROOT / "iopkit" / "scaffold.py"]
    files += sorted((ROOT / "iopkit" / "diff").glob("*.py"))
    # settings.py holds the phrases the rules search for (IOP109 looks for "ingen
    # marknad"), not text a user reads.
    files += sorted(p for p in (ROOT / "iopkit" / "rules").glob("*.py")
                    if p.name != "settings.py")
    files += sorted(EXAMPLES.glob("*.yaml"))
    return files


@pytest.mark.parametrize("path", _texts_to_scan(), ids=lambda p: str(p.relative_to(ROOT)))
def test_old_wrong_phrases_never_return(path):
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".yaml":  # `typ: ideell tid` is the spec's own key value
        text = re.sub(r"typ: ideell tid", "", text)
    for pattern in OLD_PHRASES:
        assert not pattern.search(text), (pattern.pattern, path)


def test_rendered_documents_use_the_right_terms(tmp_path):
    from typer.testing import CliRunner

    out = tmp_path / "ut"
    out.mkdir()
    assert run(CliRunner(), "render", EXAMPLES, "-o", out, "-f", "md",
               "--datum", "2026-05-04").exit_code == 0
    for path in sorted(out.glob("*.md")):
        text = norm(markdown_text(path.read_text(encoding="utf-8")))
        for pattern in OLD_PHRASES:
            assert not pattern.search(text), (pattern.pattern, path.name)
        if path.name.endswith("-avtal.md"):
            assert "ideellt arbete" in text, path.name



def test_secrecy_example_fits_the_public_party(canonical, tmp_path):
    assert "socialtjänstsekretess enligt 26 kap. 1 § OSL" in canonical  # a kommun
    region = render(tmp_path, EXAMPLES / "kvinnojour.yaml")  # a region's health nämnd
    assert "26 kap. 1 §" not in region
    assert "endast med den enskildes samtycke eller när det annars följer av lag eller " \
        "annan författning. Samtycket (12 kap. 2 § OSL)" in region
    assert "På den offentliga sidan är hälso- och sjukvårdsnämnden personuppgiftsansvarig" \
        in region
