"""`iopkit kalender`: the .ics file read back the way a calendar program reads it."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from icalendar import Calendar

from conftest import CANONICAL, dump, load_canonical_data, run
from iopkit.schedule.workdays import is_working_day

D = dt.date


def events(path: Path) -> list:
    calendar = Calendar.from_ical(path.read_bytes())
    return list(calendar.walk("VEVENT"))


def by_summary(items: list, prefix: str) -> list:
    return [e for e in items if str(e["SUMMARY"]).startswith(prefix)]


def start(event) -> dt.date:
    return event.decoded("DTSTART")


def spec_with(tmp_path: Path, name: str = "avtal.yaml", **changes) -> Path:
    """The canonical example with `uppföljning`/`avtalsperiod` keys changed."""
    data = load_canonical_data()
    for dotted, value in changes.items():
        section, key = dotted.split("__")
        if value is None:
            data[section].pop(key, None)
        else:
            data[section][key] = value
    path = tmp_path / name
    path.write_text(dump(data), encoding="utf-8")
    return path


@pytest.fixture
def canonical(tmp_path: Path) -> Path:
    path = tmp_path / "dagverksamhet.yaml"
    shutil.copy(CANONICAL, path)
    return path


def test_canonical_calendar(runner, canonical):
    result = run(runner, "kalender", canonical)
    assert result.exit_code == 0, result.output
    target = canonical.with_name("dagverksamhet-kalender.ics")
    assert (f"Skrev {target}: 12 uppföljningsmöten, 3 årsrapporter och 3 ekonomiska "
            "redovisningar.") in result.stderr
    items = events(target)
    follow_ups = by_summary(items, "Uppföljning")
    # Quarterly from uppföljning.första_datum (2027-03-15) to avtalsperiod.slut (2029-12-31);
    # 15 September and 15 December 2029 are a Saturday and a Saturday: the next Monday.
    assert [start(e) for e in follow_ups] == [
        D(y, m, 15) for y in (2027, 2028, 2029) for m in (3, 6, 9, 12)][:10] + [
        D(2029, 9, 17), D(2029, 12, 17)]
    assert str(follow_ups[0]["SUMMARY"]) == "Uppföljning 1 av 12: Dagcenter Väst"
    # "senast den 31 mars året efter": after each calendar year of the agreement. 31 March
    # 2029 is a Saturday and 2 April annandag påsk; 31 March 2030 is a Sunday.
    reports = by_summary(items, "Årsrapport")
    assert [start(e) for e in reports] == [D(2028, 3, 31), D(2029, 3, 29), D(2030, 3, 29)]
    assert "årsrapporten för 2029" in str(reports[-1]["DESCRIPTION"])
    assert "senast den 31 mars året efter" in str(reports[0]["DESCRIPTION"])
    assert reports[0].walk("VALARM")[0].decoded("TRIGGER") == dt.timedelta(days=-7)
    # The ekonomisk redovisning is a deadline of its own (ekonomi.redovisning), the same
    # days here, with its own reminder.
    accounts = by_summary(items, "Ekonomisk redovisning")
    assert [start(e) for e in accounts] == [D(2028, 3, 31), D(2029, 3, 29), D(2030, 3, 29)]
    assert "den ekonomiska redovisningen för 2027" in str(accounts[0]["DESCRIPTION"])
    assert "Ekonomisk redovisning och verksamhetsberättelse" in str(accounts[0]["DESCRIPTION"])
    assert accounts[0].walk("VALARM")[0].decoded("TRIGGER") == dt.timedelta(days=-7)
    assert len({str(e["UID"]) for e in accounts + reports}) == 6
    assert len(items) == 18
    for event in items:
        # All-day events (a date, not a time) that do not block the day.
        assert type(start(event)) is dt.date
        assert event.decoded("DTEND") == start(event) + dt.timedelta(days=1)
        assert str(event["TRANSP"]) == "TRANSPARENT"
        assert "Dagverksamhet för EU-medborgare i utsatthet" in str(event["DESCRIPTION"])
    assert len({str(e["UID"]) for e in items}) == len(items)


def test_same_spec_gives_byte_identical_file_and_stable_uids(runner, canonical, tmp_path):
    first, second = tmp_path / "a.ics", tmp_path / "b.ics"
    assert run(runner, "kalender", "-o", first, canonical).exit_code == 0
    assert run(runner, "kalender", "-o", second, canonical).exit_code == 0
    assert first.read_bytes() == second.read_bytes()
    assert [str(e["UID"]) for e in events(first)] == [str(e["UID"]) for e in events(second)]


def test_changed_dates_keep_their_uids_so_a_new_import_updates(runner, tmp_path):
    """After a renegotiation moves the meetings, importing again replaces the events."""
    before = spec_with(tmp_path, "före.yaml")
    after = spec_with(tmp_path, "efter.yaml", uppföljning__första_datum="2027-04-01",
                      avtalsperiod__slut="2030-12-31")
    assert run(runner, "kalender", before).exit_code == 0
    assert run(runner, "kalender", after).exit_code == 0
    old = {str(e["UID"]): start(e) for e in events(tmp_path / "före-kalender.ics")}
    new = {str(e["UID"]): start(e) for e in events(tmp_path / "efter-kalender.ics")}
    assert set(old) <= set(new)  # every old event is updated, none left as a duplicate
    # 2027-04-01 quarterly to 2030-12-31; one more annual report and redovisning each.
    assert len(new) == 15 + 4 + 4
    moved = [uid for uid in old if old[uid] != new[uid]]
    assert len(moved) == 12  # every follow-up moved to the 1st of its month


def test_month_end_is_clamped_without_drifting(runner, tmp_path):
    spec = spec_with(tmp_path, uppföljning__intervall="månadsvis",
                     uppföljning__första_datum="2027-01-31",
                     avtalsperiod__slut="2028-03-31")
    assert run(runner, "kalender", spec).exit_code == 0
    dates = [start(e) for e in by_summary(events(tmp_path / "avtal-kalender.ics"),
                                          "Uppföljning")]
    # 31 January and 28 February 2027 are Sundays: the next Monday; March is not shifted.
    assert dates[:4] == [D(2027, 2, 1), D(2027, 3, 1), D(2027, 3, 31), D(2027, 4, 30)]
    assert D(2028, 2, 29) in dates
    assert dates[-1] == D(2028, 3, 31)
    assert len(dates) == 15


@pytest.mark.parametrize(("interval", "count", "second"), [
    ("varje vecka", 157, D(2027, 1, 8)),
    ("varannan vecka", 79, D(2027, 1, 15)),
    ("månadsvis", 36, D(2027, 2, 1)),
    ("varannan månad", 18, D(2027, 3, 1)),
    ("kvartalsvis", 12, D(2027, 4, 1)),
    ("halvårsvis", 6, D(2027, 7, 1)),
    ("årsvis", 3, D(2028, 1, 3)),
])
def test_every_interval_from_the_start_when_no_first_date(runner, tmp_path, interval, count,
                                                          second):
    spec = spec_with(tmp_path, uppföljning__intervall=interval,
                     uppföljning__första_datum=None)
    result = run(runner, "kalender", spec)
    assert result.exit_code == 0, result.output
    dates = [start(e) for e in by_summary(events(tmp_path / "avtal-kalender.ics"),
                                          "Uppföljning")]
    assert len(dates) == count
    # 1 January 2027 is nyårsdagen, then a weekend: the first meeting is on Monday the 4th.
    assert dates[:2] == [D(2027, 1, 4), second]
    assert dates[-1] <= D(2029, 12, 31)
    assert all(is_working_day(d) for d in dates)


def test_annual_report_without_a_day_falls_on_the_anniversary(runner, tmp_path):
    spec = spec_with(tmp_path, uppföljning__årsrapport="Parterna lämnar en gemensam "
                                                       "årsrapport.",
                     avtalsperiod__start="2027-07-01", avtalsperiod__slut="2029-06-30")
    assert run(runner, "kalender", spec).exit_code == 0
    reports = by_summary(events(tmp_path / "avtal-kalender.ics"), "Årsrapport")
    # 1 July 2028 is a Saturday, 1 July 2029 a Sunday.
    assert [start(e) for e in reports] == [D(2028, 7, 3), D(2029, 7, 2)]
    assert "avtalsår 1" in str(reports[0]["DESCRIPTION"])
    # The day is iopkit's assumption, and the event says so.
    assert "iopkit har antagit årsdagen" in str(reports[0]["DESCRIPTION"]).replace("\n", " ")


def test_two_report_deadlines_each_from_its_own_text(runner, tmp_path):
    spec = spec_with(tmp_path, uppföljning__årsrapport="Årsrapporten lämnas senast den 30 "
                                                       "april året efter.",
                     ekonomi__redovisning="Ekonomisk redovisning senast den 28 februari "
                                          "året efter.")
    result = run(runner, "kalender", spec)
    assert result.exit_code == 0, result.output
    items = events(tmp_path / "avtal-kalender.ics")
    # 28 February 2030 is a Thursday; 2028 and 2029 fall on a Monday and a Wednesday.
    assert [start(e) for e in by_summary(items, "Ekonomisk redovisning")] == [
        D(2028, 2, 28), D(2029, 2, 28), D(2030, 2, 28)]
    assert [start(e) for e in by_summary(items, "Årsrapport")] == [
        D(2028, 4, 28), D(2029, 4, 30), D(2030, 4, 30)]


def test_report_day_counts_from_each_avtalsår_as_the_agreement_does(runner, tmp_path):
    # A period from 1 July: the report on the first avtalsår (2027/28, ending 30 June 2028)
    # is due on the first 31 March after it, 2029, as § Uppföljning states.
    spec = spec_with(tmp_path, avtalsperiod__start="2027-07-01",
                     avtalsperiod__slut="2029-06-30")
    assert run(runner, "kalender", spec).exit_code == 0
    reports = by_summary(events(tmp_path / "avtal-kalender.ics"), "Årsrapport")
    assert [start(e) for e in reports] == [D(2029, 3, 29), D(2030, 3, 29)]
    assert "årsrapporten för 2027/28" in str(reports[0]["DESCRIPTION"])


def test_annual_report_day_from_the_text(runner, tmp_path):
    spec = spec_with(tmp_path, uppföljning__årsrapport="Årsrapporten lämnas senast den 30 "
                                                       "april året efter.")
    assert run(runner, "kalender", spec).exit_code == 0
    reports = by_summary(events(tmp_path / "avtal-kalender.ics"), "Årsrapport")
    # 30 April 2028 is a Sunday: the agreement moves the day to Friday 28 April.
    assert [start(e) for e in reports] == [D(2028, 4, 28), D(2029, 4, 30), D(2030, 4, 30)]


def test_partnership_group_meetings_on_request(runner, canonical):
    result = run(runner, "kalender", "--partnerskapsgrupp", canonical)
    assert result.exit_code == 0, result.output
    assert "36 möten i partnerskapsgruppen" in result.stderr
    items = events(canonical.with_name("dagverksamhet-kalender.ics"))
    meetings = by_summary(items, "Partnerskapsgruppen")
    assert len(meetings) == 36  # månadsvis, 2027-01-01 to 2029-12-31
    assert start(meetings[0]) == D(2027, 1, 4)
    assert start(meetings[1]) == D(2027, 2, 1)
    assert len(items) == 12 + 3 + 3 + 36


def test_invalid_spec_exit_1_and_nothing_written(runner, tmp_path):
    spec = spec_with(tmp_path, uppföljning__intervall="varje kvartal")
    result = run(runner, "kalender", spec)
    assert result.exit_code == 1
    assert "IOP013" in result.stderr and "uppföljning.intervall" in result.stderr
    assert not (tmp_path / "avtal-kalender.ics").exists()


def test_existing_file_needs_force(runner, canonical):
    target = canonical.with_name("dagverksamhet-kalender.ics")
    target.write_text("gammal\n", encoding="utf-8")
    result = run(runner, "kalender", canonical)
    assert result.exit_code == 2
    assert "finns redan" in result.stderr
    assert target.read_text(encoding="utf-8") == "gammal\n"
    assert run(runner, "kalender", "--force", canonical).exit_code == 0
    assert len(events(target)) == 18


def test_unreadable_spec_is_a_usage_error(runner, tmp_path):
    result = run(runner, "kalender", tmp_path / "saknas.yaml")
    assert result.exit_code == 2
    assert "finns inte" in result.stderr


@pytest.mark.parametrize(("first", "moved"), [
    (D(2027, 6, 25), D(2027, 6, 28)),   # midsommarafton → Monday
    (D(2027, 12, 24), D(2027, 12, 27)),  # julafton, juldagen, annandag jul on Sunday
    (D(2027, 12, 31), D(2028, 1, 3)),   # nyårsafton, nyårsdagen, weekend
    (D(2028, 4, 14), D(2028, 4, 18)),   # långfredagen → påskdagen → annandag påsk
    (D(2027, 3, 16), D(2027, 3, 16)),   # an ordinary Tuesday stays
])
def test_a_follow_up_on_a_holiday_moves_to_the_next_working_day(runner, tmp_path, first,
                                                                 moved):
    spec = spec_with(tmp_path, uppföljning__första_datum=first.isoformat())
    assert run(runner, "kalender", spec).exit_code == 0
    dates = [start(e) for e in by_summary(events(tmp_path / "avtal-kalender.ics"),
                                          "Uppföljning")]
    assert dates[0] == moved
    assert all(is_working_day(d) for d in dates)


def test_sequence_grows_with_the_export_date_so_a_changed_date_replaces_the_event(
        runner, tmp_path):
    before = spec_with(tmp_path, "före.yaml")
    after = spec_with(tmp_path, "efter.yaml", uppföljning__första_datum="2027-04-01")
    assert run(runner, "kalender", "--datum", "2026-11-30", before).exit_code == 0
    assert run(runner, "kalender", "--datum", "2027-02-10", after).exit_code == 0
    old = {str(e["UID"]): e for e in events(tmp_path / "före-kalender.ics")}
    new = {str(e["UID"]): e for e in events(tmp_path / "efter-kalender.ics")}
    assert set(old) & set(new)
    for uid in set(old) & set(new):
        event = old[uid]
        assert int(new[uid]["SEQUENCE"]) > int(event["SEQUENCE"])
        assert new[uid].decoded("DTSTAMP") > event.decoded("DTSTAMP")


def test_bad_export_date_is_a_usage_error(runner, canonical):
    result = run(runner, "kalender", "--datum", "i morgon", canonical)
    assert result.exit_code == 2
    assert "ÅÅÅÅ-MM-DD" in result.stderr
    assert not canonical.with_name("dagverksamhet-kalender.ics").exists()


@pytest.mark.parametrize("change", ["same_case_number", "same_name"])
def test_two_partnerships_share_no_uid(runner, tmp_path, change):
    """Two kommuner may use the same diarienummer, two partnerships the same name: a
    calendar that imports both must keep every event of both (issue 22)."""
    first = load_canonical_data()
    second = load_canonical_data()
    second["parter"][1]["organisationsnummer"] = "802002-4280"
    if change == "same_name":
        second["partnerskap"]["diarienummer"] = "KS 2026/12"
    for name, data in (("a.yaml", first), ("b.yaml", second)):
        (tmp_path / name).write_text(dump(data), encoding="utf-8")
        assert run(runner, "kalender", tmp_path / name).exit_code == 0
    uids_a = {str(e["UID"]) for e in events(tmp_path / "a-kalender.ics")}
    uids_b = {str(e["UID"]) for e in events(tmp_path / "b-kalender.ics")}
    assert uids_a and uids_b and not uids_a & uids_b
