"""The partnership's year as calendar events: follow-ups, annual reports, group meetings.

`plan_events(spec)` lists the dates (a plain, testable structure); `to_ics(spec, events)`
writes them as an iCalendar file that Outlook, Google Calendar and Apple Calendar import.

Choices, documented for users in the README:
- Every event is an all-day event marked as free time: the spec gives dates, not times,
  and an all-day marker does not block anyone's calendar. It is a reminder to book the
  meeting, which Outlook shows well.
- Follow-up meetings: from `uppföljning.första_datum` (or `avtalsperiod.start`) every
  `uppföljning.intervall` up to and including `avtalsperiod.slut`. Dates are counted from
  the first date, not from the previous meeting, and a day that does not exist in a month
  becomes the month's last day (31 January, 28 February, 31 March …). A date that falls
  on a Saturday, Sunday or Swedish public holiday (midsommarafton, julafton and
  nyårsafton included) moves to the next working day (`iopkit.schedule.workdays`); the next date
  is still counted from the first, so one moved meeting does not shift the rest.
- Annual report and ekonomisk redovisning: two deadlines, each from its own text
  (`iopkit.schedule.annual_reports`, `accounts_reports`): when `uppföljning.årsrapport`
  or `ekonomi.redovisning` names a day ("senast den 31 mars året efter"), one deadline
  on the first such day after each avtalsår (for calendar years: the report for 2027 is
  due 31 March 2028), moved to the working day before as the agreement's § 1 says. Without
  a day the annual report gets an assumed deadline on each anniversary of the start, and
  its description says that the day is assumed; the redovisning gets none. A deadline
  has a reminder one week before.
- Partnership group meetings (`styrning.mötesfrekvens`) only when asked for, from the
  start of the agreement.
- UIDs are derived from the partnership (the parties' organisationsnummer, diarienummer
  and name), the kind of event
  and its ordinal number (the 3rd follow-up, the report for 2028), so importing the file
  again after a change updates the events instead of adding copies. SEQUENCE is the
  number of days from 2020-01-01 to the export date (`--datum`, else SOURCE_DATE_EPOCH,
  else today) and DTSTAMP that date: a file exported on a later day carries a higher
  SEQUENCE, so a calendar replaces an event whose date changed (RFC 5545 3.8.7.4), and
  the same spec exported with the same date gives a byte-identical file.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .format import datum_lang
from .schedule import ReportDue, accounts_reports, annual_reports, recurring_dates

if TYPE_CHECKING:
    from .spec.model import Spec

# Namespace for the events' UIDs (uuid5). Never change it: UIDs must stay stable.
UID_NAMESPACE = uuid.UUID("3f0d0c58-8f0e-5b8a-9d8e-6f1c2a7b4e10")
UID_DOMAIN = "iopkit"
PRODID = "-//iopkit//IOP-kalender//SV"

FOLLOW_UP = "uppföljning"
ANNUAL_REPORT = "årsrapport"
ACCOUNTS = "redovisning"
GROUP_MEETING = "partnerskapsgrupp"

# Frequency → (months, days) between two events.
REMINDER_DAYS = 7
#: Day 0 of SEQUENCE (see the module docstring). Never change it: a lower SEQUENCE than
#: an earlier export would make calendars ignore the update.
SEQUENCE_EPOCH = dt.date(2020, 1, 1)


@dataclass(frozen=True)
class Event:
    kind: str  # FOLLOW_UP, ANNUAL_REPORT, ACCOUNTS or GROUP_MEETING
    ordinal: int  # 1, 2, 3 … (for reports: ReportDue.ordinal)
    date: dt.date
    summary: str
    description: str


def partnership_label(spec: "Spec") -> str:
    """The name used in event titles: the short name if there is one."""
    return " ".join((spec.partnership.short_name or spec.partnership.name).split())


def plan_events(spec: "Spec", group_meetings: bool = False) -> list[Event]:
    """All events for the agreement period, sorted by date."""
    label = partnership_label(spec)
    name = " ".join(spec.partnership.name.split())
    about = f"Idéburet offentligt partnerskap: {name}"
    if spec.partnership.case_number:
        about += f" (diarienummer {' '.join(spec.partnership.case_number.split())})"
    about += "."
    group = ", ".join(party.name if (party := spec.party(p)) is not None else p
                      for p in spec.governance.group)
    period = (f"Avtalsperiod: {datum_lang(spec.period.start)} till och med "
              f"{datum_lang(spec.period.end)}.")
    events: list[Event] = []

    first = spec.follow_up.first_date or spec.period.start
    dates = recurring_dates(first, spec.follow_up.interval, spec.period.end)
    for n, date in enumerate(dates, start=1):
        events.append(Event(
            FOLLOW_UP, n, date,
            f"Uppföljning {n} av {len(dates)}: {label}",
            "\n".join([
                about,
                f"Uppföljningsmöte {n} av {len(dates)} ({spec.follow_up.interval} enligt "
                "avtalet). Partnerskapsgruppen går igenom mål, indikatorer och resurser.",
                f"Partnerskapsgruppen: {group}.",
                "Mall för uppföljningsrapporten: iopkit uppfoljning.",
                period,
            ])))

    events.extend(_report_event(ANNUAL_REPORT, "Årsrapport", "årsrapporten", report,
                                spec.follow_up.annual_report, about, period, label)
                  for report in annual_reports(spec))
    events.extend(_report_event(ACCOUNTS, "Ekonomisk redovisning",
                                "den ekonomiska redovisningen", report,
                                spec.economy.reporting, about, period, label)
                  for report in accounts_reports(spec))

    if group_meetings:
        frequency = spec.governance.meeting_frequency
        dates = recurring_dates(spec.period.start, frequency, spec.period.end)
        for n, date in enumerate(dates, start=1):
            events.append(Event(
                GROUP_MEETING, n, date, f"Partnerskapsgruppen: {label}",
                "\n".join([about, f"Möte i partnerskapsgruppen ({frequency} enligt "
                                  "avtalet).", f"Partnerskapsgruppen: {group}.", period])))

    order = {FOLLOW_UP: 0, ACCOUNTS: 1, ANNUAL_REPORT: 2, GROUP_MEETING: 3}
    return sorted(events, key=lambda e: (e.date, order[e.kind], e.ordinal))


def _report_event(kind: str, title: str, what: str, report: ReportDue, text: str | None,
                  about: str, period: str, label: str) -> Event:
    lines = [about, f"Sista dag för {what} för {report.label}."]
    if not report.stated:
        lines.append("Avtalet anger ingen dag för årsrapporten (uppföljning.årsrapport): "
                     "iopkit har antagit årsdagen av avtalets start. Skriv in dagen i "
                     "avtalet, till exempel \"senast den 31 mars året efter\".")
    if text:
        lines.append(f"Enligt avtalet: {' '.join(text.split())}")
    lines.append(period)
    return Event(kind, report.ordinal, report.date, f"{title}: {label}", "\n".join(lines))


def event_uid(spec: "Spec", event: Event) -> str:
    """Stable across exports of one partnership, distinct between partnerships: two
    kommuner may use the same diarienummer, and two partnerships the same name, but not
    with the same parties."""
    parties = ",".join(sorted(party.org_number for party in spec.parties))
    names = [spec.partnership.case_number or "", spec.partnership.name]
    identity = "\n".join(" ".join(name.split()).casefold() for name in names)
    key = f"{parties}\n{identity}\n{event.kind}\n{event.ordinal}"
    return f"{uuid.uuid5(UID_NAMESPACE, key)}@{UID_DOMAIN}"


def sequence_number(exported: dt.date) -> int:
    """SEQUENCE for a file exported on `exported` (see the module docstring)."""
    return max(0, (exported - SEQUENCE_EPOCH).days)


def to_ics(spec: "Spec", events: list[Event], exported: dt.date | None = None) -> bytes:
    """The events as an iCalendar (RFC 5545) file; byte-identical for the same input.
    `exported` (default: the agreement's start) sets DTSTAMP and SEQUENCE."""
    from icalendar import Alarm, Calendar
    from icalendar import Event as IcsEvent

    exported = exported or spec.period.start
    stamp = dt.datetime.combine(exported, dt.time(0, 0), tzinfo=dt.timezone.utc)
    sequence = sequence_number(exported)
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", f"IOP: {partnership_label(spec)}")
    for event in events:
        item = IcsEvent()
        item.add("uid", event_uid(spec, event))
        item.add("dtstamp", stamp)
        item.add("sequence", sequence)
        item.add("dtstart", event.date)
        item.add("dtend", event.date + dt.timedelta(days=1))
        item.add("summary", event.summary)
        item.add("description", event.description)
        item.add("categories", ["IOP"])
        item.add("transp", "TRANSPARENT")
        item.add("x-microsoft-cdo-alldayevent", "TRUE")
        item.add("x-microsoft-cdo-busystatus", "FREE")
        if event.kind in (ANNUAL_REPORT, ACCOUNTS):
            alarm = Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("description", event.summary)
            alarm.add("trigger", dt.timedelta(days=-REMINDER_DAYS))
            item.add_component(alarm)
        cal.add_component(item)
    return bytes(cal.to_ical())
