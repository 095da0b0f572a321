"""The legal facts decided once for rules and documents (iopkit/rules/assessment.py)."""

from __future__ import annotations

import datetime as dt

import pytest

from conftest import dump, load_canonical_data
from iopkit.check import check_text
from iopkit.rules.assessment import assess


def spec_with(**partnership):
    data = load_canonical_data()
    data["partnerskap"].update(partnership)
    result = check_text(dump(data))
    assert result.spec is not None, [f.message for f in result.findings]
    return result.spec


@pytest.mark.parametrize("areas,barn,expected", [
    (["HVB"], "ja", ("2007:171",)),
    (["stödboende", "skolväsendet"], "ja", ("2007:171", "skollagen")),
    (["personlig assistans"], "ja", ("2010:479",)),
    (["fritid och idrott"], "ja", ("2013:852",)),
    ([], "ja", ("2013:852",)),
    (["HVB"], "nej", ()),
])
def test_register_check_regime(areas, barn, expected):
    facts = assess(spec_with(verksamhetsområden=areas, barn=barn))
    assert facts.register_check == expected
    assert facts.register_check_mandatory == (expected not in ((), ("2013:852",)))


@pytest.mark.parametrize("areas,possible,unknown", [
    (["socialtjänst"], True, False),
    (["hälso- och sjukvård", "kultur"], True, False),
    (["kultur", "folkbildning"], False, False),
    ([], False, True),
])
def test_whistleblower_act_applies_only_to_its_areas(areas, possible, unknown):
    facts = assess(spec_with(verksamhetsområden=areas))
    assert facts.whistleblower_possible is possible
    assert facts.whistleblower_unknown is unknown


@pytest.mark.parametrize("posted,last_day", [
    (dt.date(2026, 11, 27), dt.date(2026, 12, 18)),  # a Friday three weeks later
    (dt.date(2026, 12, 4), dt.date(2026, 12, 28)),  # juldagen, annandag, Sunday
    (dt.date(2027, 6, 4), dt.date(2027, 6, 28)),  # midsommarafton 25 June
    (dt.date(2027, 12, 10), dt.date(2027, 12, 31) + dt.timedelta(days=3)),  # nyårsafton
])
def test_appeal_deadline_moves_to_the_next_working_day(posted, last_day):
    assert assess(spec_with()).appeal_deadline(posted) == last_day


@pytest.mark.parametrize("limits,expected", [
    ("Platserna i stiftelsens skyddade boende ingår inte i partnerskapet; socialnämnden "
     "köper dem genom en upphandling reserverad för idéburna organisationer.", "upphandling"),
    ("Det skyddade boendet ingår inte i partnerskapet, och platserna där köps separat.", "köp"),
    ("Det skyddade boendet ingår inte i partnerskapet; kommunen köper inte platser där.", None),
    ("Det skyddade boendet ingår inte i partnerskapet, men kommunen kan köpa platser där.",
     None),
    ("Det skyddade boendet ingår inte i partnerskapet. Kommunen köper platser i ett HVB.",
     None),  # the purchase is in another sentence, of another activity
])
def test_places_bought_outside_the_partnership(limits, expected):
    # R4 8: lag (2017:151) applies to the permitted boende outside the partnership when
    # the public side buys places there, as the memo's own texts state it.
    data = load_canonical_data()
    data["partnerskap"]["avgränsning"] = limits
    data["partnerskap"]["verksamhetsområden"] = ["övrigt"]
    data["parter"][1]["ivo_tillstånd"] = {"diarienummer": "3.5.1-01234/2024",
                                          "datum": dt.date(2024, 6, 3),
                                          "avser": ["skyddat boende"]}
    result = check_text(dump(data))
    facts = assess(result.spec)
    [outside] = facts.statutory_scope.outside
    assert facts.outside_whistleblower_applies(outside) == expected
    # The organisation works in socialtjänst beside the partnership: the question whether
    # its own activity is covered stays open whatever the areas say (R3 12).
    assert facts.whistleblower_possible
    assert facts.whistleblower_listed == () and facts.whistleblower_related == ("socialtjänst",)
