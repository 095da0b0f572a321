"""The agreement a kommunjurist signs after light edits (issue 21): substance, drafting and
language, each read back from an agreement rendered from a spec built here (IOP.md,
sections 9, 11, 13, "Skyddat boende …" and "Swedish conventions")."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from conftest import dump, run
from i21_specs import canonical, protected_housing, two_organisations
from render_helpers import docx_paragraphs, norm
from test_agreement_text import render, section

NB = "\u00a0"


def kr(text: str) -> str:
    """Amounts as the documents write them (non-breaking spaces normalised by norm)."""
    return norm(text.replace(" ", NB))


# --- Substance -------------------------------------------------------------------------


def test_delegation_is_the_parties_arrangement_with_the_right_chapters(tmp_path: Path) -> None:
    text = section(render(tmp_path, canonical()), "Organisation och styrning")
    assert "Parterna är överens om att beslut om ekonomiska medel" in text
    assert "socialnämnden Centrum och styrelsen för Föreningen Vinternatt" in text
    assert "presidium, ett utskott, en ledamot eller en ersättare (6 kap. 37 §)" in text
    assert "till en anställd (7 kap. 5 §)" in text
    assert "får inte delegera till en anställd och en förtroendevald att besluta " \
           "tillsammans (blandad delegering)" in text
    assert "(6 kap. 38 §)" in text
    # The old text put the employee under 6 kap. 37 §.
    assert "ersättare eller en anställd, inte till en grupp" not in text


def test_deciding_body_from_parter_organ(tmp_path: Path) -> None:
    data = canonical()
    del data["process"]
    data["parter"][0]["organ"] = "socialnämnden Centrum"
    text = section(render(tmp_path, data), "Organisation och styrning")
    assert "behöriga organ: socialnämnden Centrum och styrelsen för Föreningen Vinternatt" in text


def test_no_ansvarig_nämnden_without_organ(tmp_path: Path) -> None:
    data = canonical()
    del data["process"]
    data["parter"][0].pop("organ")
    data["parter"][0]["namn"] = "Göteborgs kommun"
    doc = render(tmp_path, data)
    assert "ansvarig nämnden" not in doc and "ansvariga nämndens" not in doc
    assert "den nämnd hos Göteborgs kommun som ansvarar för partnerskapet" in doc


def test_secrecy_wording_and_children(tmp_path: Path) -> None:
    text = section(render(tmp_path, canonical()), "Personuppgifter och sekretess")
    assert ("lämnar den offentliga parten till organisationen endast med den enskildes "
            "samtycke eller när det annars följer av lag eller annan författning") in text
    assert "Samtycket (12 kap. 2 § OSL) behöver inte vara skriftligt" in text
    assert "dokumenterar det" in text
    assert "skriftliga samtycke" not in text
    assert "12 kap. 3 § OSL" not in text  # no children in the canonical example
    data = canonical()
    data["partnerskap"]["barn"] = True
    data["personuppgifter"]["behandlas"] = True
    children = section(render(tmp_path, data, "barn.yaml"), "Personuppgifter och sekretess")
    assert "När den enskilde är ett barn gäller 12 kap. 3 § OSL" in children


def test_duties_running_the_other_way(tmp_path: Path) -> None:
    text = section(render(tmp_path, canonical()), "Personuppgifter och sekretess")
    assert "Vissa skyldigheter går åt andra hållet" in text
    assert ("I den del organisationen yrkesmässigt bedriver verksamhet som berör barn och "
            "unga eller verksamhet inom hälso- och sjukvården eller på socialtjänstens "
            "område") in text
    assert "genast anmäla till socialnämnden" in text
    assert "åtar sig organisationen att ha en skriftlig rutin för hur anställda och " \
           "volontärer gör en orosanmälan" in text
    # Culture without children: neither the statutory duty nor the undertaking.
    data = canonical()
    data["partnerskap"]["verksamhetsområden"] = ["kultur"]
    other = section(render(tmp_path, data, "kultur.yaml"), "Personuppgifter och sekretess")
    assert "orosanmälan" not in other


@pytest.mark.parametrize(("areas", "expected"), [
    # Cited in full earlier in the section (the duty to report), so short here.
    (["socialtjänst"], "avser insatser enligt socialtjänstlagen gäller tystnadsplikt"),
    (["LSS"], "29 § lagen (1993:387) om stöd och service till vissa funktionshindrade (LSS)"),
    (["hälso- och sjukvård"], "6 kap. 12 § patientsäkerhetslagen (2010:659)"),
    (["skolväsendet"], "29 kap. 14 § skollagen (2010:800)"),
])
def test_statutory_tystnadsplikt(tmp_path: Path, areas: list[str], expected: str) -> None:
    data = canonical()
    data["partnerskap"]["verksamhetsområden"] = areas
    text = section(render(tmp_path, data), "Personuppgifter och sekretess")
    assert "gäller tystnadsplikt enligt lag för dem som är eller har varit verksamma där" in text
    assert expected in text
    assert "I övrigt gäller en tystnadsplikt enligt detta avtal" in text


def test_contractual_tystnadsplikt_only(tmp_path: Path) -> None:
    data = canonical()
    data["partnerskap"]["verksamhetsområden"] = ["kultur"]
    text = section(render(tmp_path, data), "Personuppgifter och sekretess")
    assert "Där ingen tystnadsplikt enligt lag gäller" in text
    assert "enligt lag för dem som" not in text


def test_protected_housing_clauses(tmp_path: Path) -> None:
    doc = render(tmp_path, protected_housing())
    text = section(doc, "Insatser och åtaganden")
    assert "Särskilda villkor för verksamhet inom skyddat boende" in text
    assert "anställda, uppdragstagare och praktikanter men inte volontärer" in text
    assert "lex Sarah" in text and "socialtjänstlagen (2025:400)" in text
    assert "lämnar socialnämnden de uppgifter om verksamheten som nämnden begär" in text
    assert "tystnadsplikt enligt lag, se §" in text
    assert "skyddade personuppgifter" in text
    assert "Boendets adress anges inte i avtalet, i dess bilagor" in text
    # R3 finding 18: a boende that already runs already processes data.
    assert "Varje part som är personuppgiftsansvarig för behandlingen ska ha gjort en " \
           "konsekvensbedömning avseende dataskydd enligt artikel 35" in text
    assert "Återkallar eller begränsar IVO tillståndet, eller uppstår allvarliga " \
           "missförhållanden" in text
    assert "hålla inne utbetalningar för verksamheten och säga upp avtalet med omedelbar " \
           "verkan" in text
    assert "skriftlig plan för hur de som bor eller får insatser" in text
    term = section(doc, "Avtalstid, förlängning och uppsägning")
    assert "IVO återkallar eller begränsar tillståndet" in term
    # The address the agreement gives is a postal address, and it says so.
    parties = section(doc, "Parter")
    assert "Postadress: Box 7, 413 01 Göteborg" in parties
    assert "Adressen till det skyddade boendet anges inte i avtalet eller dess bilagor" in parties


def test_no_statutory_clauses_for_an_open_meeting_place(tmp_path: Path) -> None:
    doc = render(tmp_path, canonical())
    assert "Särskilda villkor för verksamhet" not in doc
    assert "lex Sarah" not in doc
    assert "skyddade boendet" not in doc


def test_meddelarskydd_applies_to_the_permitted_funded_activity(tmp_path: Path) -> None:
    text = section(render(tmp_path, protected_housing()), "Meddelarskydd")
    assert ("Kvinnojouren Eken bedriver verksamhet inom skyddat boende med tillstånd från "
            "Inspektionen för vård och omsorg (IVO), och verksamheten finansieras till en "
            "del med medel enligt avtalet. Lagen (2017:151) om meddelarskydd i vissa "
            "enskilda verksamheter gäller därför den verksamheten") in text
    assert "Den övriga verksamheten inom partnerskapet bedöms för sig" in text
    # Without money to the organisation the permit alone does not make it apply.
    data = protected_housing()
    data["resurser"] = [r for r in data["resurser"] if r["typ"] != "ekonomiska medel"]
    data["ekonomi"]["utbetalning"] = "Inga medel betalas ut."
    data["rättslig_bedömning"].pop("statsstöd_grund", None)
    unfunded = section(render(tmp_path, data, "utan.yaml"), "Meddelarskydd")
    assert "gäller därför den verksamheten" not in unfunded


def test_registerkontroll_titles_and_volunteers(tmp_path: Path) -> None:
    text = section(render(tmp_path, protected_housing()), "Barnets rättigheter och registerkontroll")
    assert "lagen (2007:171) om registerkontroll av personal vid vissa boenden som tar emot " \
           "barn" in text
    assert "under omständigheter liknande dem som förekommer vid en anställning inom " \
           "verksamheten" in text
    assert "gäller både anställda och volontärer" not in text
    # The barngrupper outside the boende: the 2013:852 clause beside the 2007:171 one.
    assert "Registerkontroll i övrig verksamhet med barn" in text
    assert "lagen (2013:852) om registerkontroll av personer som ska arbeta med barn" in text
    assert "som bara antecknar att det har visats; ingen kopia sparas" in text
    data = canonical()
    data["partnerskap"]["barn"] = True
    data["partnerskap"]["verksamhetsområden"] = ["LSS"]
    lss = section(render(tmp_path, data, "lss.yaml"), "Barnets rättigheter och registerkontroll")
    assert "lagen (2010:479) om registerkontroll av personal som utför vissa insatser åt " \
           "barn med funktionshinder" in lss


def test_amounts_per_avtalsår(tmp_path: Path) -> None:
    data = canonical()
    data["avtalsperiod"] = {"start": "2027-03-30", "slut": "2028-03-29",
                            "uppsägningstid_månader": 3}
    data["uppföljning"]["första_datum"] = "2027-06-15"
    data["resurser"][0]["belopp_per_år"] = 650000
    doc = render(tmp_path, data)
    money = section(doc, "Ekonomi")
    assert kr("betalar 650 000 kr per avtalsår till Föreningen Vinternatt") in money
    assert "493" not in doc and "158" not in doc and kr("651 348") not in doc
    assert kr("Varje utbetalning till Föreningen Vinternatt är 162 500 kr") in money


def test_sums_are_amount_times_avtalsår(tmp_path: Path) -> None:
    data = canonical()
    data["avtalsperiod"] = {"start": "2027-03-30", "slut": "2030-03-29",
                            "uppsägningstid_månader": 3, "förlängning": "Nej."}
    data["uppföljning"]["första_datum"] = "2027-06-15"
    data["resurser"][0]["belopp_per_år"] = 650000
    data["resurser"][0]["beskrivning"] = "Bidrag"
    doc = render(tmp_path, data)
    money = section(doc, "Ekonomi")
    assert kr("sammanlagt 1 950 000 kr för avtalsperioden") in money
    assert "avtalsåren räknas från och med den 30 mars" in money


def test_year_table_labels_avtalsår(tmp_path: Path) -> None:
    data = canonical()
    data["avtalsperiod"] = {"start": "2027-07-01", "slut": "2029-06-30",
                            "uppsägningstid_månader": 3}
    data["uppföljning"]["första_datum"] = "2027-09-15"
    data["resurser"][0]["belopp_per_år"] = {2027: 600000, 2028: 700000}
    text = section(render(tmp_path, data), "Parternas resurser")
    assert "per avtalsår under avtalsperioden" in text
    assert "2027/28" in text and "2028/29" in text
    assert kr("1 300 000") in text


def test_unvalued_resources_never_sum_to_zero(tmp_path: Path) -> None:
    data = canonical()
    for resource in data["resurser"]:
        if resource["part"] == "vinternatt":
            resource.pop("värde_per_år", None)
    text = section(render(tmp_path, data), "Parternas resurser")
    row = next(line for line in text.split("|") if "Summa Föreningen Vinternatt" in line)
    assert row
    after = text.split("Summa Föreningen Vinternatt", 1)[1].split("Summa för alla parter")[0]
    assert "ej värderad" in after
    assert "0 kr" not in after.replace(kr("000 kr"), "")


def test_checklist_never_says_valued_at_zero(tmp_path: Path) -> None:
    from iopkit.check import check_file
    from iopkit.render.pipeline import RenderOptions, render_markdown

    data = canonical()
    for resource in data["resurser"]:
        if resource["part"] == "vinternatt":
            resource.pop("värde_per_år", None)
    path = tmp_path / "c.yaml"
    path.write_text(dump(data), encoding="utf-8")
    docs = render_markdown(check_file(path), RenderOptions(date=dt.date(2026, 5, 4)))
    checklist = next(d for d in docs if d.kind == "checklista").markdown
    assert "värderade till 0" not in checklist
    assert "ej värderade; ange ett uppskattat värde" in norm(checklist)


# --- Drafting --------------------------------------------------------------------------


def test_rangordning_tillägg_first(tmp_path: Path) -> None:
    text = section(render(tmp_path, canonical()), "Överlåtelse och rangordning")
    assert "Ett tillägg som alla parter har undertecknat enligt § 16 har företräde framför " \
           "avtalet och bilagorna i det som tillägget ändrar" in text
    assert "utan den andra partens skriftliga medgivande" in text


def test_force_majeure(tmp_path: Path) -> None:
    text = section(render(tmp_path, canonical()), "Omförhandling, upphörande och tvist")
    assert "medför hindret inga påföljder för parten så länge det varar" in text
    assert "Beslut av parten själv eller av dess egna organ, till exempel ett beslut om " \
           "minskad budget, är inte ett sådant hinder" in text
    assert "underrättar den andra parten skriftligen" in text


def test_återkrav(tmp_path: Path) -> None:
    text = section(render(tmp_path, canonical()), "Ekonomi")
    assert "får den offentliga parten hålla inne utbetalningar medan saken utreds" in text
    assert "senast på förfallodagen, som är den 30:e dagen efter den dag då kravet skickades" in text
    assert "dröjsmålsränta enligt räntelagen (1975:635) från förfallodagen" in text
    assert "den part som har betalat ut medlen" not in text


def test_instalments_per_recipient_two_organisations(tmp_path: Path) -> None:
    doc = render(tmp_path, two_organisations())
    text = section(doc, "Ekonomi")
    assert kr("Varje utbetalning till Föreningen Vinternatt är 600 000 kr; varje utbetalning "
              "till Stiftelsen Stadsmissionen Väst är 100 000 kr.") in text
    data = canonical()
    data["ekonomi"]["utbetalning"] = "Efter rekvisition."
    assert "Varje utbetalning" not in section(render(tmp_path, data, "r.yaml"), "Ekonomi")


def test_unused_money_reconciled_every_year(tmp_path: Path) -> None:
    text = section(render(tmp_path, canonical()), "Ekonomi")
    assert "stämmer av de medel som inte har använts i redovisningen för varje år" in text
    data = canonical()
    data["ekonomi"]["outnyttjade_medel"] = "får behållas"
    kept = section(render(tmp_path, data, "k.yaml"), "Ekonomi")
    assert "får behållas och användas för partnerskapets ändamål under nästa år" in kept


def test_reports_who_what_whom_when(tmp_path: Path) -> None:
    doc = render(tmp_path, canonical())
    money = section(doc, "Ekonomi")
    assert "Organisationen lämnar den ekonomiska redovisningen till den offentliga parten, " \
           "undertecknad av organisationens firmatecknare" in money
    assert "Redovisningen lämnas för varje år, första gången senast den 31 mars 2028 för " \
           "det första året och sista gången senast den 29 mars 2030 för det sista året" in money
    follow = section(doc, "Uppföljning och utvärdering")
    assert "Partnerskapsgruppen tar fram årsrapporten gemensamt" in follow
    # Both reports are due on 31 March: the report cannot be built on the accounts (R3 8).
    assert "Partnerskapsgruppen tar fram årsrapporten gemensamt och lämnar den till " \
           "socialnämnden Centrum och styrelsen för Föreningen Vinternatt. Den ekonomiska " \
           "redovisningen enligt § 7 har samma sista dag som årsrapporten" in follow
    # The public party is socialnämnden Centrum: it does not hand the report to itself.
    assert "den offentliga parten lämnar den till" not in follow


def test_immediate_termination(tmp_path: Path) -> None:
    text = section(render(tmp_path, canonical()), "Avtalstid, förlängning och uppsägning")
    assert "den andra parten väsentligt bryter mot avtalet, till exempel genom att använda " \
           "medel för något annat" in text
    assert "upprepade gånger inte lämna redovisning" in text
    # Cited with its number in § 1; here the short form (skrivregler).
    # The substance decides; deregistration is one example of it (R3 10).
    assert "organisationen inte längre uppfyller villkoren för registrering enligt lagen " \
           "om registrering av idéburna organisationer, till exempel genom att den har " \
           "avregistrerats" in text
    assert "en annan part" not in text
    data = canonical()
    data["parter"][1]["registrerad_idéburen"] = False
    unregistered = section(render(tmp_path, data, "u.yaml"), "Avtalstid, förlängning och uppsägning")
    assert "organisationen inte längre uppfyller villkoren för registrering enligt lagen " \
           "(2022:900) om registrering av idéburna organisationer. Villkoren är" in unregistered
    assert "avregistrerats" not in unregistered


def test_insurance_or_equivalent(tmp_path: Path) -> None:
    text = section(render(tmp_path, canonical()), "Försäkring och skadeansvar")
    assert "ansvarsförsäkring eller motsvarande skydd" in text


def test_two_and_more_parties_wording(tmp_path: Path) -> None:
    two = render(tmp_path, canonical())
    assert "de andra parterna" not in two
    many = render(tmp_path, two_organisations(), "many.yaml")
    assert "den andra parten" not in many
    assert "de andra parterna" in many


def test_helgdag_defined_and_planning_earlier(tmp_path: Path) -> None:
    text = section(render(tmp_path, canonical()), "Parter")
    assert "Med helgdag avses i avtalet allmän helgdag samt midsommarafton, julafton och " \
           "nyårsafton" in text
    assert "flyttas i stället till närmast föregående vardag" in text


def test_planning_date_moves_earlier_in_checklist() -> None:
    from iopkit.schedule.workdays import previous_working_day

    # 2029-06-30 is a Saturday; the Friday before is the last planning day.
    assert previous_working_day(dt.date(2029, 6, 30)) == dt.date(2029, 6, 29)
    # Midsommarafton 2027 (Friday 25 June) is not a working day.
    assert previous_working_day(dt.date(2027, 6, 25)) == dt.date(2027, 6, 24)


def test_signing_one_sentence(tmp_path: Path) -> None:
    doc = render(tmp_path, canonical())
    assert "Avtalet undertecknas elektroniskt eller i två likalydande exemplar, av vilka " \
           "parterna tar var sitt." in doc
    assert "kan också undertecknas elektroniskt" not in doc


def test_targets_are_riktvärden_and_own_plan(tmp_path: Path) -> None:
    doc = render(tmp_path, canonical())
    goals = section(doc, "Syfte, målgrupp och mål")
    assert "riktvärde: minst 15 000" in goals and "målvärde:" not in goals
    assert "Ett riktvärde som inte nås är inte ett brott mot avtalet" in goals
    assert "källa: daglig räkning av besök" in goals
    assert "Organisationens insatser är dess egen verksamhet och bygger på dess egen plan" \
           in section(doc, "Insatser och åtaganden")


# --- Language --------------------------------------------------------------------------


def test_titles_lower_case_in_running_text(tmp_path: Path) -> None:
    text = section(render(tmp_path, canonical()), "Parter")
    assert "Kontaktperson: Karin Ek, enhetschef, enheten för social mobilisering" in text


def test_verksamhetsidé_heading(tmp_path: Path) -> None:
    doc = render(tmp_path, canonical())
    assert "Föreningen Vinternatts verksamhetsidé" in doc
    assert "Verksamhetsidé: Föreningen Vinternatt" not in doc


def test_docx_reads_the_same(tmp_path: Path, runner) -> None:
    spec = tmp_path / "boende.yaml"
    spec.write_text(dump(protected_housing()), encoding="utf-8")
    result = run(runner, "render", spec, "--datum", "2026-05-04")
    assert result.exit_code == 0, result.output
    _, paragraphs = docx_paragraphs(tmp_path / "boende-avtal.docx")
    text = norm("\n".join(p.text for p in paragraphs))
    assert "endast med den enskildes samtycke eller när det annars följer av lag eller " \
           "annan författning" in text
    assert "Boendets adress anges inte i avtalet" in text
    assert "Registerkontroll i övrig verksamhet med barn" in text
