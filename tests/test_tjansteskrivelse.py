"""`iopkit render --dokument tjansteskrivelse`: the officer's decision memo, read back
from Word as the nämnd's secretary and a kommunjurist would. The förslag till beslut
follows the legal verdict (IOP.md, "The decision: what iopkit may propose to a nämnd")."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

import memo_specs
from conftest import CANONICAL, EXAMPLES, load_canonical_data, run
from render_helpers import docx_paragraphs, norm

#: Swedish practice, in this order.
SECTIONS = ["Sammanfattning", "Ärendet", "Förvaltningens bedömning",
            "Ekonomiska konsekvenser och finansiering", "Barnrättsperspektiv",
            "Förslag till beslut", "Beslutet skickas till"]
DATE = "2026-12-01"  # before the canonical example's meetings (8 and 15 December 2026)

#: What the nämnd's documents never show: the tool, its codes, keys and placeholders.
TOOL_TEXT = re.compile(r"iopkit|IOP\d{3}|FYLL I|`|\b[a-zåäö_]+\.[a-zåäö_]+\b|"
                       r"[a-zåäö]+_[a-zåäö]+|ansvarig nämnd", re.IGNORECASE)


def render_memo(runner, spec: Path, *extra: str, date: str = DATE, exit_code: int = 0
                ) -> tuple[list[str], str, list[list[str]], str]:
    """Render the memo as Word; return its headings, its whole text (normalised), its
    table rows and what render printed."""
    result = run(runner, "render", spec, "--dokument", "tjansteskrivelse", "-f", "docx",
                 "--datum", date, "--force", *extra)
    assert result.exit_code == exit_code, result.output
    target = spec.with_name(f"{spec.stem}-tjansteskrivelse.docx")
    assert target.exists()
    document, paragraphs = docx_paragraphs(target)
    headings = [p.text for p in paragraphs if p.style.name.startswith(("Heading", "Title"))]
    rows = [[norm(c.text) for c in row.cells] for t in document.tables for row in t.rows]
    return headings, norm("\n".join(p.text for p in paragraphs)), rows, result.output


def section(text: str, start: str, end: str) -> str:
    return text[text.index(start):text.index(end, text.index(start))]


def first_page(text: str) -> str:
    return text[:text.index("Ärendet Bakgrund")]


def assert_no_tool_text(text: str) -> None:
    found = [m.group(0) for m in TOOL_TEXT.finditer(text)
             # Amounts and law references are not key paths.
             if not re.fullmatch(r"[\d.]+", m.group(0))]
    assert found == [], found


@pytest.fixture
def canonical(tmp_path: Path) -> Path:
    path = tmp_path / "dagverksamhet.yaml"
    shutil.copy(CANONICAL, path)
    return path


def test_canonical_memo(runner, canonical):
    headings, text, rows, output = render_memo(runner, canonical)
    order = [headings.index(s) for s in SECTIONS]
    assert order == sorted(order), headings
    assert "Skrev" in output and "varning" not in output
    assert sorted(p.name for p in canonical.parent.iterdir()) == [
        "dagverksamhet-tjansteskrivelse.docx", "dagverksamhet.yaml"]
    # Addressed to the public party's organ, dated before its meeting.
    assert "Till: Socialnämnden Centrum" in text
    assert "Sammanträde: 2026-12-15" in text and "Datum: 2026-12-01" in text
    assert "inte klart för beslut" not in text
    # The proposal: approve, the grant per year and in total, a function signs.
    proposal = section(text, "Förslag till beslut", "Beslutet skickas till")
    assert "Socialnämnden Centrum föreslås besluta" in proposal
    assert ("att godkänna avtalet om idéburet offentligt partnerskap Dagverksamhet för "
            "EU-medborgare i utsatthet med Föreningen Vinternatt för perioden den 1 januari "
            "2027 till och med den 31 december 2029") in proposal
    assert ("att lämna bidrag till Föreningen Vinternatt med 2 400 000 kr per år 2027–2029, "
            "sammanlagt 7 200 000 kr") in proposal
    assert "att uppdra åt förvaltningsdirektören att underteckna avtalet för Göteborgs " \
           "kommun." in proposal
    assert "Per Lund" not in proposal
    # The law with conclusions: 2 kap. 1, 3 and 8 §§, the procurement assessment.
    assessment = section(text, "Förvaltningens bedömning", "Ekonomiska konsekvenser")
    assert "Förvaltningen bedömer att stödet därmed har sådan anknytning" in assessment
    assert "Förvaltningen bedömer att stödet inte strider mot likställighetsprincipen" \
        in assessment
    assert "Förvaltningen bedömer därför att 2 kap. 8 § inte hindrar stödet" in assessment
    # The officer's assessment ends in its conclusion; the memo does not add a second
    # one (second reading 2026-12-02, TS/CL 24).
    assert "Avtalet är därför inte ett offentligt kontrakt enligt LOU" in assessment
    assert "Förvaltningen bedömer därför att avtalet inte är ett offentligt kontrakt" \
        not in assessment
    assert "HFD 2020 ref. 15 (mål 3165-19)" in assessment
    # The förvaltning reports what it found; jäv is decided at the meeting (R4 12).
    assert "Förvaltningen har gått igenom jävsfrågan inför beslutet. Ingen ledamot eller " \
           "ersättare" in assessment
    assert "Jävsfrågan prövas vid sammanträdet" in assessment
    # Money: fullmäktige's budget, the nämnd's ram, the financing quoted, later years bound.
    money = section(text, "Ekonomiska konsekvenser och finansiering", "Barnrättsperspektiv")
    assert "Kommunfullmäktige fastställer budgeten för varje år (11 kap. kommunallagen); " \
           "socialnämnden Centrum beslutar om medlen inom den ram" in money
    assert "Bidraget ryms inom socialnämnden Centrums budgetram för 2027." in money
    assert "åtagandet binder budgetarna för 2028 och 2029" in money
    assert ["Göteborgs kommun genom socialnämnden Centrum", "2 530 000", "2 530 000",
            "2 530 000", "7 590 000"] in rows
    # Children are not affected: the section still says so.
    assert "Barn deltar inte i verksamheten" in section(text, "Barnrättsperspektiv",
                                                         "Förslag till beslut")
    sent = section(text, "Beslutet skickas till", "Per Lund")
    assert "Föreningen Vinternatt" in sent and "Ekonomi" in sent and "Registrator" in sent
    # Signed by the förvaltningschef and the handläggare.
    assert text.endswith("Per Lund Förvaltningsdirektör Karin Ek Enhetschef")
    assert_no_tool_text(text)


def test_canonical_example_renders_every_document_and_proposes_approval(runner, tmp_path):
    from conftest import SHARED_CANONICAL

    source = SHARED_CANONICAL if SHARED_CANONICAL.exists() else CANONICAL
    spec = tmp_path / "exempel.yaml"
    shutil.copy(source, spec)
    result = run(runner, "render", spec, "-d", "avtal,checklista,tjansteskrivelse,uppfoljning",
                 "-f", "docx", "--datum", DATE)
    assert result.exit_code == 0, result.output
    assert "varning" not in result.output
    _, text, _, _ = render_memo(runner, spec)
    assert "föreslås besluta att godkänna avtalet" in text


def test_blocking_finding_memo_is_not_ready_and_does_not_propose_approval(runner, tmp_path):
    data = load_canonical_data()
    del data["rättslig_bedömning"]["upphandling"]  # IOP103: the law stops the decision
    data["avtalsperiod"]["förlängning"] = "Avtalet förlängs tills vidare."  # not blocking
    spec = memo_specs.write(data, tmp_path, "ofullständig")
    _, text, _, _ = render_memo(runner, spec)
    page = first_page(text)
    assert "Ärendet är inte klart för beslut. Förvaltningen föreslår inte att avtalet " \
           "godkänns." in page
    assert "bedömning av om avtalet är ett offentligt kontrakt" in page
    proposal = section(text, "Förslag till beslut", "Beslutet skickas till")
    assert "godkänna avtalet" not in proposal and "att lämna bidrag" not in proposal
    assert "att uppdra åt förvaltningen att slutföra beredningen av ärendet" in proposal
    assert "återkommer till socialnämnden Centrum med ett förslag till beslut" in proposal
    # Risker holds what does not stop the decision, and never "decide anyway".
    risks = section(text, "Risker", "Ekonomiska konsekvenser")
    assert "offentligt kontrakt enligt" not in risks
    assert "tills vidare" in risks or "förläng" in risks
    assert "med kännedom om risken" not in text
    assert_no_tool_text(text)


def test_rule_errors_still_write_the_memo_saying_the_matter_is_not_ready(runner, tmp_path):
    data = load_canonical_data()
    data["ekonomi"]["ersättningsform"] = "per prestation"  # IOP101: an error
    spec = memo_specs.write(data, tmp_path, "prestation")
    result = run(runner, "render", spec, "-d", "avtal,tjansteskrivelse", "-f", "docx",
                 "--datum", DATE)
    assert result.exit_code == 1
    assert "Bara tjänsteskrivelsen har skapats" in result.output
    assert not (tmp_path / "prestation-avtal.docx").exists()
    _, paragraphs = docx_paragraphs(tmp_path / "prestation-tjansteskrivelse.docx")
    text = norm("\n".join(p.text for p in paragraphs))
    assert "Ärendet är inte klart för beslut" in first_page(text)
    assert "per prestation" in first_page(text) and "bidrag" in first_page(text)
    assert "att godkänna avtalet" not in text


def test_several_parties_memo(runner, tmp_path):
    spec = memo_specs.write(memo_specs.multi_party(), tmp_path, "flera")
    _, text, rows, _ = render_memo(runner, spec)
    proposal = section(text, "Förslag till beslut", "Beslutet skickas till")
    assert "med Föreningen Vinternatt och Föreningen Kvarteret" in proposal
    assert "att lämna bidrag till Föreningen Vinternatt med 2 400 000 kr per år" in proposal
    assert "att lämna bidrag till Föreningen Kvarteret med 600 000 kr per år 2027–2029, " \
           "sammanlagt 1 800 000 kr" in proposal
    assert "de idéburna organisationernas verksamhet" in text
    assert ["Föreningen Kvarteret", "120 000", "120 000", "120 000", "360 000"] in rows
    sent = section(text, "Beslutet skickas till", "Per Lund")
    assert "Föreningen Vinternatt" in sent and "Föreningen Kvarteret" in sent
    assert_no_tool_text(text)


def test_paraply_memo_functions_sign_in_lower_case(runner, tmp_path):
    spec = tmp_path / "paraply.yaml"
    shutil.copy(EXAMPLES / "paraply.yaml", spec)
    _, text, _, _ = render_memo(runner, spec)
    assert "att uppdra åt kommunstyrelsens ordförande och kommundirektören att underteckna " \
           "avtalet" in text
    # Kommunallagen 2 kap. 8 §: the test is what the recipient does, not its form, and
    # the officer's assessment is quoted (test_memo_second_reader.py).
    assert "synnerliga skäl" in text and "inte av dess form" in text
    assert_no_tool_text(text)


def test_de_minimis_below_the_ceiling(runner, tmp_path):
    spec = memo_specs.write(memo_specs.de_minimis(500_000), tmp_path, "dm")
    _, text, _, _ = render_memo(runner, spec)
    aid = section(text, "Statsstöd", "Meddelarskydd")
    assert "Stödet lämnas som stöd av mindre betydelse enligt kommissionens förordning " \
           "(EU) 2023/2831." in aid
    assert "hela beloppet räknas som beviljat när avtalet skrivs under, vilket motsvarar " \
           "omkring 136 364 euro" in aid
    # The default rate is an estimate, with its date and source.
    assert "Beloppen i euro är en uppskattning: de är omräknade med kursen 11 kronor per " \
           "euro, ett ungefärligt genomsnitt av Riksbankens dagliga EUR/SEK-kurser 2025, " \
           "fastställt den 15 januari 2026" in aid
    assert "bruttobidragsekvivalent" in aid and "artikel 7.4" in aid
    assert "inom 20 arbetsdagar från beviljandet (artikel 6" in aid
    assert "som stöd av mindre betydelse enligt kommissionens förordning (EU) 2023/2831" in \
        section(text, "Förslag till beslut", "Beslutet skickas till")
    # A rate given in the spec is not called an estimate.
    data = memo_specs.de_minimis(500_000)
    data["rättslig_bedömning"]["eurokurs"] = 11.5
    spec = memo_specs.write(data, tmp_path, "dm-kurs")
    _, text, _, _ = render_memo(runner, spec)
    assert "omräknade med kursen 11,5 kronor per euro, den kurs som underlaget anger" in text
    assert "uppskattning" not in text


def test_de_minimis_above_the_ceiling_is_not_proposed(runner, tmp_path):
    from iopkit.check import check_file
    from iopkit.rules.verdict import verdict

    spec = memo_specs.write(memo_specs.de_minimis(2_400_000), tmp_path, "dm-over")
    result = check_file(spec)
    if verdict(result).ready:
        pytest.skip("IOP112 stops the decision with the rules of issue 20 (branch i20-rules)")
    _, text, _, _ = render_memo(runner, spec, exit_code=0 if result.ok else 1)
    assert "Ärendet är inte klart för beslut" in first_page(text)
    assert "taket för stöd av mindre betydelse" in first_page(text)
    assert "Stödet lämnas som stöd av mindre betydelse" not in text
    assert "att godkänna avtalet" not in text


def test_sgei_de_minimis(runner, tmp_path):
    spec = memo_specs.write(memo_specs.sgei(), tmp_path, "sgei")
    _, text, _, _ = render_memo(runner, spec)
    aid = section(text, "Statsstöd", "Meddelarskydd")
    assert "kommissionens förordning (EU) 2023/2832" in aid
    assert "den tjänst av allmänt ekonomiskt intresse som stödet avser ska vara angiven " \
           "skriftligt" in aid
    assert "750 000 euro" in aid


def test_skyddat_boende_with_open_statutory_sign_is_not_ready(runner, tmp_path):
    spec = memo_specs.write(memo_specs.skyddat_boende(), tmp_path, "skyddat")
    _, text, _, _ = render_memo(runner, spec)
    assert "Ärendet är inte klart för beslut" in first_page(text)
    assert "godkänna avtalet" not in section(text, "Förslag till beslut", "Beslutet skickas till")
    # TS/CL 2: "Vem som beslutar" agrees with the first page.
    assert "utan ett sådant uppdrag kan socialnämnden Centrum inte ensam godkänna avtalet" in text
    boende = section(text, "Skyddat boende Skyddat boende är", "Personuppgifter")
    # TS/CL 15: the insats dates from 2024, under the socialtjänstlag of the time.
    assert "en insats enligt socialtjänstlagen (2025:400) som socialnämnden beviljar" in boende
    assert "infördes den 1 april 2024, när den tidigare socialtjänstlagen gällde" in boende
    for duty in ("anmäla till socialnämnden om den får kännedom om eller misstänker att ett "
                 "barn far illa (socialtjänstlagen)",
                 "rapportera missförhållanden och påtagliga risker för missförhållanden (lex "
                 "Sarah); det gäller inte ideellt arbetande",
                 "Boendets adress är hemlig", "skyddade personuppgifter",
                 "En konsekvensbedömning avseende dataskydd (artikel 35 i "
                 "dataskyddsförordningen (EU) 2016/679) ska vara gjord innan avtalet undertecknas",
                 "Om IVO återkallar eller begränsar tillståndet"):
        assert duty in boende, duty
    # Meddelarskydd for the activity the permit covers; the rest against 2 §.
    assert "Tillståndet är ett starkt belägg för att verksamheten med skyddat boende bedrivs yrkesmässigt" in text
    assert "(2017:151) om meddelarskydd i vissa enskilda verksamheter gäller därför för den " \
           "verksamheten" in text
    assert "För partnerskapets övriga verksamhet (socialtjänst) gäller lagen bara om den " \
           "bedrivs yrkesmässigt, är delvis offentligt finansierad och hör till" in text
    # The organisation's address never appears in the memo.
    assert "Box 123" not in text
    assert "lagen (2007:171) om registerkontroll av personal vid vissa boenden som tar " \
           "emot barn" in text


def test_statutory_insats_goes_to_fullmaktige_when_nothing_else_blocks(runner, tmp_path):
    data = memo_specs.skyddat_boende("ja")
    # The same sign from the area (IOP108) and from the plain answer (IOP180).
    data["iopkit_undantag"] = [{"regel": code, "motivering": (
        "Platserna köps genom separat upphandling; bidraget gäller stiftelsens egen "
        "verksamhet.")} for code in ("IOP108", "IOP180", "IOP187")]
    spec = memo_specs.write(data, tmp_path, "fullmaktige")
    _, text, _, _ = render_memo(runner, spec)
    proposal = section(text, "Förslag till beslut", "Beslutet skickas till")
    assert "Socialnämnden Centrum föreslås besluta att för egen del tillstyrka avtalet och " \
           "föreslå kommunfullmäktige besluta att godkänna avtalet" in proposal
    assert "(10 kap. 1 § kommunallagen)" in proposal
    assessment = section(text, "Vem som beslutar", "Upphandling")
    assert "Den säkra vägen är att dela upp samarbetet" in assessment
    assert "19 kap. 25 a § lagen (2016:1145) om offentlig upphandling" in assessment
    assert "5 kap. 47 § kommunallagen" in assessment
    # The assessed sign is described honestly, with its reason, without a code.
    assert "Platserna köps genom separat upphandling" in section(text, "Risker",
                                                                 "Ekonomiska konsekvenser")
    assert_no_tool_text(text)


def test_fullmaktige_mandate_is_cited(runner, tmp_path):
    data = memo_specs.skyddat_boende("ja")
    data["iopkit_undantag"] = [{"regel": code, "motivering": "Se fullmäktiges beslut."}
                               for code in ("IOP108", "IOP180", "IOP187")]
    data["process"]["beslut"].append({"part": "goteborg", "organ": "kommunfullmäktige",
                                      "datum": "2026-06-11", "paragraf": "§ 88"})
    spec = memo_specs.write(data, tmp_path, "mandat")
    _, text, _, _ = render_memo(runner, spec)
    proposal = section(text, "Förslag till beslut", "Beslutet skickas till")
    assert "Socialnämnden Centrum föreslås besluta att, med stöd av kommunfullmäktiges " \
           "beslut den 11 juni 2026, § 88, godkänna avtalet" in proposal


def test_delegated_decision(runner, tmp_path):
    spec = memo_specs.write(memo_specs.delegated(), tmp_path, "delegation")
    _, text, _, _ = render_memo(runner, spec)
    assert "Till: Förvaltningsdirektören" in text
    assessment = section(text, "Vem som beslutar", "Upphandling")
    assert "med stöd av delegation (7 kap. 5 § kommunallagen)" in assessment
    assert "(6 kap. 38 §)" in assessment and "7 200 000 kr under avtalsperioden" in assessment
    assert "Beslutet anmäls till nämnden (7 kap. 8 §)" in assessment
    # No meeting for a delegate: what must be done comes before the decision (R1 15).
    assert "Före beslutet ska följande vara gjort" in first_page(text)
    assert "Före sammanträdet" not in text
    spec = memo_specs.write(memo_specs.delegated("socialnämndens arbetsutskott"), tmp_path,
                            "utskott")
    _, text, _, _ = render_memo(runner, spec)
    assert "med stöd av delegation (6 kap. 37 § kommunallagen)" in text
    assert "Beslutet anmäls till nämnden (6 kap. 40 §)" in text


def test_memo_without_organ_warns_and_never_says_ansvarig_namnd(runner, tmp_path):
    data = load_canonical_data()
    goteborg = data["parter"][0]
    del goteborg["organ"]
    goteborg["namn"] = "Göteborgs kommun"
    data["process"]["beslut"] = data["process"]["beslut"][:1]
    spec = memo_specs.write(data, tmp_path, "utan-organ")
    _, text, _, output = render_memo(runner, spec)
    assert "ansvarig nämnd" not in text.lower()
    assert "Till: Nämnden" in text
    assert "varning" in output and "Lägg till organ under parter för parten goteborg" \
        in norm(output)
    # The agreement describes the body it cannot name, never "ansvarig nämnd".
    result = run(runner, "render", spec, "-d", "avtal", "-f", "md", "--datum", DATE)
    assert result.exit_code == 0, result.output
    agreement = (tmp_path / "utan-organ-avtal.md").read_text(encoding="utf-8")
    assert "ansvarig nämnd" not in agreement.lower()
    assert "som ansvarar för partnerskapet" in agreement


def test_placeholder_from_own_template_is_reported(runner, tmp_path, canonical):
    templates = tmp_path / "mallar" / "tjansteskrivelse"
    templates.mkdir(parents=True)
    (templates / "13-skickas-till.md.j2").write_text(
        "## Beslutet skickas till\n\nFYLL I: sändlista\n", encoding="utf-8")
    _, text, _, output = render_memo(runner, canonical, "--mallar", tmp_path / "mallar")
    assert "FYLL I" in text
    assert "Ifyllnadstext kvar i tjänsteskrivelsen: \"FYLL I\" står en gång" in norm(output)


def test_memo_dated_on_or_after_the_meeting_warns(runner, canonical):
    _, _, _, output = render_memo(runner, canonical, date="2026-12-15")
    assert "samma dag som socialnämnden Centrum sammanträder" in norm(output)
    _, _, _, output = render_memo(runner, canonical, date="2026-12-16")
    assert "beslutet är redan fattat" in norm(output)
    _, _, _, output = render_memo(runner, canonical, date="2026-12-14")
    assert "beslutet är redan fattat" not in output and "sammanträdet (" not in output


def test_legal_rules_read_as_in_the_checklist(runner, canonical):
    """The memo never restates a rule differently from the checklist."""
    result = run(runner, "render", canonical, "--dokument", "checklista,tjansteskrivelse",
                 "-f", "md", "--datum", DATE)
    assert result.exit_code == 0, result.output
    checklist = norm(canonical.with_name("dagverksamhet-checklista.md").read_text("utf-8"))
    memo = norm(canonical.with_name("dagverksamhet-tjansteskrivelse.md").read_text("utf-8"))
    for rule in (
            "tjänsten är av direkt ekonomiskt intresse för den offentliga parten och "
            "åtagandena är ömsesidiga och rättsligt utkrävbara. Att en organisation är "
            "idéburen, att avtalet kallas IOP eller att det inte finns någon marknad avgör "
            "inte frågan.",
            "Den krävs när behandlingen sannolikt leder till en hög risk för de registrerade"):
        assert rule in checklist and rule in memo, rule


def test_unknown_document_is_a_usage_error(runner, canonical):
    result = run(runner, "render", canonical, "--dokument", "avtal,protokoll")
    assert result.exit_code == 2
    assert "Dokumentet 'protokoll' finns inte" in result.output
    assert "tjansteskrivelse" in result.output
    result = run(runner, "render", canonical, "--dokument", "tillagg")
    assert result.exit_code == 2 and "iopkit diff" in result.output
    assert not list(canonical.parent.glob("*.docx"))


def test_default_documents_unchanged(runner, canonical):
    result = run(runner, "render", canonical, "-f", "md", "--datum", DATE)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in canonical.parent.glob("*.md")) == [
        "dagverksamhet-avtal.md", "dagverksamhet-checklista.md"]



def test_needs_and_underlag_are_two_lists(runner, canonical):
    # Two bullet lists in a row ran together in Word: the needs read as part of the
    # underlag. The needs follow "fann … behov:"; the underlag has its own lead-in.
    spec = canonical
    run(runner, "render", spec, "--dokument", "tjansteskrivelse", "-f", "docx",
        "--datum", DATE, "--force")
    _, paragraphs = docx_paragraphs(spec.with_name(f"{spec.stem}-tjansteskrivelse.docx"))
    texts = [norm(p.text) for p in paragraphs]
    lead = next(i for i, t in enumerate(texts) if t.startswith("Parterna gjorde behovsinventeringen"))
    assert re.search(r"och fann \w+ behov:$", texts[lead]), texts[lead]
    assert texts[lead + 1].startswith("B1. ")
    underlag = texts.index("Underlaget för inventeringen:")
    after = texts[underlag + 1:texts.index(next(t for t in texts[underlag:] if t.startswith("Målgruppen")))]
    assert after and not any(re.match(r"B\d+\. ", t) for t in after), after
