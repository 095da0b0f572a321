"""The kommunjurist's second reading (review of three rendered drafts, issue 13): each legal
finding read back from the rendered agreement. The drafts are rendered from the examples a
user starts from and from the canonical example with one key changed."""

from __future__ import annotations

import datetime as dt
from typing import Any
import pytest

from conftest import EXAMPLES, dump, load_canonical_data
from render_helpers import docx_part, docx_text, norm
from test_agreement_text import render, section


@pytest.fixture(scope="module")
def unga(tmp_path_factory):
    """Budgetförbehåll, stöd av mindre betydelse, two organisations, stödboende youth."""
    return render(tmp_path_factory.mktemp("unga"), EXAMPLES / "unga-i-stodboende.yaml")


@pytest.fixture(scope="module")
def paraply(tmp_path_factory):
    """Four organisations, premises given to one of them, stöd av mindre betydelse."""
    return render(tmp_path_factory.mktemp("paraply"), EXAMPLES / "paraply.yaml")


@pytest.fixture(scope="module")
def canonical(tmp_path_factory):
    return render(tmp_path_factory.mktemp("kanon"), load_canonical_data())


def test_meddelarskydd_is_conditional_and_quotes_the_conditions(canonical):
    text = section(canonical, "Meddelarskydd")
    assert ("gäller enligt 2 § yrkesmässigt bedriven enskild verksamhet som till någon del är "
            "offentligt finansierad och som bedrivs enligt socialtjänstlagen.") in text
    # Which SoL 2 § cites (2001:453 or 2025:400) is not verified: no number in the quote.
    assert "bedrivs enligt socialtjänstlagen (" not in text
    assert "Om organisationen inom partnerskapet bedriver verksamhet som uppfyller dessa villkor" \
        in text
    assert "bara bedrivs ideellt, omfattas inte av lagen" in text
    # Never an assertion of coverage.
    assert "bland dem" not in text
    assert "har de som arbetar i den meddelarskydd" not in text


def test_budget_reservation_marks_later_years_wherever_money_is_shown(unga):
    ekonomi = section(unga, "Ekonomi")
    resurser = section(unga, "Parternas resurser")
    assert "2028*" in ekonomi and "2029*" in ekonomi and "2027*" not in ekonomi
    assert "Belopp för år som är markerade med * lämnas med förbehåll" in ekonomi
    assert ("Stiftelsen Bryggan tar emot sammanlagt 1 800 000 kr, varav 1 200 000 kr med "
            "förbehåll enligt budgetförbehållet") in ekonomi
    assert ("varav ekonomiska medel 2 850 000 kr. Medlen för 2028 och 2029 lämnas med förbehåll "
            "enligt budgetförbehållet i § 7.") in resurser
    assert "Medel som inte beviljas betalas inte ut." in ekonomi
    assert ("Enas parterna inte inom två månader från meddelandet får varje part säga upp sitt "
            "deltagande i avtalet med en månads uppsägningstid.") in ekonomi
    assert "behöriga organ beslutar om budget" not in ekonomi
    assert "fullmäktiges budget för året" in ekonomi


def test_budget_reservation_marked_in_the_word_table():
    from iopkit.check import check_file
    from iopkit.render.pipeline import RenderOptions, build_outputs

    result = check_file(EXAMPLES / "unga-i-stodboende.yaml")
    outputs = dict(build_outputs([(result, None)], ("docx",),
                                 RenderOptions(date=dt.date(2026, 11, 30))))
    docx = next(data for path, data in outputs.items() if path.name.endswith("-avtal.docx"))
    text = norm(docx_text(docx))
    assert "2028*" in text and "2029*" in text
    assert "Belopp för år som är markerade med * lämnas med förbehåll" in text


def test_de_minimis_notice_cites_the_regulation_by_title_and_oj_reference(unga, paraply):
    for doc in (unga, paraply):
        text = section(doc, "Ekonomi")
        assert ("kommissionens förordning (EU) 2023/2831 av den 13 december 2023 om "
                "tillämpningen av artiklarna 107 och 108 i fördraget om Europeiska unionens "
                "funktionssätt på stöd av mindre betydelse (EUT L, 2023/2831, 15.12.2023)") in text


def test_de_minimis_sgei_notice_cites_2023_2832(tmp_path):
    data = load_canonical_data()
    data["rättslig_bedömning"]["statsstöd_grund"] = "stöd av mindre betydelse för SGEI"
    text = section(render(tmp_path, data), "Ekonomi")
    assert ("kommissionens förordning (EU) 2023/2832 av den 13 december 2023 om tillämpningen "
            "av artiklarna 107 och 108 i fördraget om Europeiska unionens funktionssätt på stöd "
            "av mindre betydelse som beviljas företag som tillhandahåller tjänster av allmänt "
            "ekonomiskt intresse (EUT L, 2023/2832, 15.12.2023)") in text


def test_de_minimis_later_years_need_a_new_declaration_and_registration(unga):
    text = section(unga, "Ekonomi")
    assert "Stödet för varje senare år av avtalsperioden beviljas den dag då budgetbeslutet " \
           "för året fattas" in text
    assert "lämnar en ny skriftlig försäkran om annat stöd av mindre betydelse" in text
    assert ("registrerar det inom 20 arbetsdagar från den dag då det beviljades (artikel 6 i "
            "förordningen; 12 a § lagen (2013:388)).") in text


def test_in_kind_aid_shown_with_its_recipient_and_split_in_the_notice(paraply):
    resources = section(paraply, "Parternas resurser")
    assert "lokaler: idrottsplanen i Norrliden (till Strömsby IF)" in resources
    # The fritidslokal serves the kommun's own mötesplats (I2): no recipient, no aid
    # (second reading of 2026-12-02, finding 11).
    assert "övrigt: Norrlidens fritidslokal för kommunens mötesplats (I2)" in resources
    assert "fritidslokal för kommunens mötesplats (I2) (till" not in resources
    assert ("Strömsby IF: 1 410 000 kr nominellt för hela avtalsperioden, varav bidrag 1 050 000 kr och "
            "lokaler 360 000 kr") in section(paraply, "Ekonomi")


def test_no_assertion_that_no_registerkontroll_law_applies(unga):
    text = section(unga, "Barnets rättigheter och registerkontroll")
    assert "omfattas inte av någon lag" not in unga
    assert "Registerkontroll. För sina insatser" in text
    assert "Registerkontroll enligt lagen (2013:852)." not in text
    assert "gäller den lagen för insatsen" in text


def test_insurance_covers_participants_and_trainees(unga, canonical):
    for doc in (unga, canonical):
        text = section(doc, "Försäkring och skadeansvar")
        assert "till exempel praktikanter och deltagare, mot olycksfall" in text


def test_individual_cases_never_handled_in_the_partnership_group(unga, canonical):
    for doc in (unga, canonical):
        assert "Enskilda ärenden behandlas inte i partnerskapsgruppen." in section(
            doc, "Organisation och styrning")
        assert "Hur gruppen enas om sina förslag." in section(doc, "Organisation och styrning")
    assert ("andra som deltar i partnerskapsgruppens möten, till exempel företrädare för "
            "målgruppen, skriftligen åtar sig samma tystnadsplikt") in section(
        unga, "Personuppgifter och sekretess")


def test_data_passes_between_parties_only_with_consent(unga, tmp_path):
    text = section(unga, "Personuppgifter och sekretess")
    # Consent needs no written form but is documented (OSL 12 kap. 2 §, issue 21).
    assert "lämnar uppgifter om enskilda deltagare till den offentliga parten bara med den " \
        "enskildes samtycke eller när en skyldighet enligt lag kräver det" in text
    assert "dokumenterar det" in text
    assert "redovisas på gruppnivå" in text
    data = load_canonical_data()
    data["personuppgifter"] = {"behandlas": False}
    assert "skriftliga samtycke" not in render(tmp_path, data)


def test_force_majeure_speaks_of_conditions_not_performance(unga, canonical):
    for doc in (unga, canonical):
        text = section(doc, "Omförhandling, upphörande och tvist")
        assert "fullgöra sina åtaganden" not in text
        assert "Hindras en part från att genomföra sina insatser eller uppfylla villkoren" in text
    assert "villkoren för bidragen av en omständighet" in section(unga,
                                                                  "Omförhandling, upphörande och tvist")


def test_plural_grants_with_several_organisations(unga, canonical):
    assert "Bidragen är inte ersättning" in section(unga, "Ekonomi")
    assert "Bidraget är inte ersättning" in section(canonical, "Ekonomi")
    assert "villkoren för bidraget" not in unga


def test_decisions_after_the_draft_date_are_planned(tmp_path):
    """The canonical decisions are dated 8 and 15 December 2026."""
    from iopkit.check import check_file
    from iopkit.render.pipeline import RenderOptions, render_markdown

    path = tmp_path / "avtal.yaml"
    path.write_text(dump(load_canonical_data()), encoding="utf-8")
    result = check_file(path)

    def signatures(date):
        text = norm(render_markdown(result, RenderOptions(date=date))[0].markdown)
        return text[text.index("## Underskrifter"):]

    before = signatures(dt.date(2026, 12, 1))
    assert "Avtalet ska godkännas genom följande beslut" in before and "har godkänts" not in before
    between = signatures(dt.date(2026, 12, 10))
    assert "Avtalet har godkänts av styrelsen för Föreningen Vinternatt den 8 december 2026" \
        in between
    assert "Avtalet ska godkännas av socialnämnden Centrum den 15 december 2026" in between
    after = signatures(dt.date(2026, 12, 20))
    assert "Avtalet har godkänts genom följande beslut" in after and "ska godkännas" not in after


def test_defined_terms_and_single_writing_requirement(canonical):
    avtalstid = section(canonical, "Avtalstid, förlängning och uppsägning")
    assert "organisationen inte längre är en idéburen organisation" in avtalstid
    assert "görs genom ett tillägg enligt § 16" in avtalstid
    assert "betalas tillbaka till den offentliga parten" in section(canonical, "Ekonomi")
    assert "Avtalet har företräde framför" in section(canonical, "Överlåtelse och rangordning")
    assert "socialnämnden Centrum personuppgiftsansvarig" in canonical
    assert "Offentlig part (kommun)" in section(canonical, "Parter")


def _word_body(example: str) -> Any:
    from lxml import etree

    from iopkit.check import check_file
    from iopkit.render.pipeline import RenderOptions, build_outputs

    result = check_file(EXAMPLES / example)
    outputs = dict(build_outputs([(result, None)], ("docx",),
                                 RenderOptions(date=dt.date(2026, 11, 30))))
    docx = next(data for path, data in outputs.items() if path.name.endswith("-avtal.docx"))
    return etree.fromstring(docx_part(docx, "word/document.xml")).find(W + "body")


W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def test_title_page_has_no_running_header_and_bilagor_keeps_company():
    body = _word_body("paraply.yaml")
    # A different first page: the title page does not repeat "UTKAST" from the header.
    assert body.find(f"{W}sectPr/{W}titlePg") is not None
    paragraphs = body.findall(f"{W}p")
    texts = ["".join(t.text or "" for t in p.iter(W + "t")) for p in paragraphs]
    bilagor = texts.index("Bilagor")
    assert paragraphs[bilagor - 1].find(f"{W}pPr/{W}keepNext") is not None, texts[bilagor - 1]


def test_party_rows_keep_with_their_resources():
    body = _word_body("paraply.yaml")
    rows = list(body.iter(W + "tr"))
    group = next(r for r in rows
                 if "".join(t.text or "" for t in r.iter(W + "t")) == "Strömsby IF")
    assert all(p.find(f"{W}pPr/{W}keepNext") is not None for p in group.iter(W + "p"))
