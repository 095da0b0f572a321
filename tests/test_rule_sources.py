"""Every rule cites its sources the way the domain brief does, and only true ones.

Officers copy a rule's source into the decisions their nämnd takes: a rule may cite only
the citations kept in iopkit/rules/sources.py (each written once, as IOP.md cites it),
and the procurement rules rest on HFD 2020 ref. 15, never on the period's length.
"""

from __future__ import annotations

import pytest

from iopkit.rules import sources
from iopkit.rules.registry import all_rules
from iopkit.rules.settings import DEFAULT_SETTINGS

KNOWN = sources.ALL + (sources.IOPKIT, "Kammarkollegiet",
                       "kommissionens förordning (EU) 2023/2831, art.",
                       "dataskyddsförordningen (EU) 2016/679, art.")


@pytest.mark.parametrize("rule", all_rules(), ids=lambda r: r.code)
def test_every_source_is_a_known_citation(rule):
    for part in rule.source.split("; "):
        assert any(part.startswith(known) for known in KNOWN), (rule.code, part)


def test_no_rule_cites_the_wrong_case_or_the_old_term():
    for rule in all_rules():
        text = " ".join((rule.title, rule.trigger, rule.source))
        assert "3556-18" not in text, rule.code
        assert "1 kap. 15 §" not in text, rule.code
        assert "försumbart" not in text.lower(), rule.code


def test_procurement_signs_cite_the_leading_case_and_period_rules_do_not():
    by_code = {r.code: r for r in all_rules()}
    for code in ("IOP101", "IOP102", "IOP103", "IOP104", "IOP105", "IOP106", "IOP107",
                 "IOP108"):
        assert by_code[code].source.startswith(sources.HFD_2020_15), code
    for code in ("IOP130", "IOP131", "IOP132", "IOP133"):
        assert "HFD" not in by_code[code].source, code
        assert sources.MUNICIPAL in by_code[code].source, code


def test_thresholds_cite_the_regulations():
    assert DEFAULT_SETTINGS.de_minimis_eur == 300_000
    assert DEFAULT_SETTINGS.sgei_de_minimis_eur == 750_000
    assert "2023/2831" in DEFAULT_SETTINGS.de_minimis_source
    assert "2023/2832" in DEFAULT_SETTINGS.sgei_de_minimis_source
