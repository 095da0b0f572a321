"""Thresholds, rates and word lists of the IOP rules, each with where it comes from.

One frozen object holds every number a rule compares against, so no rule carries a
magic number and a user (or a test) can change one value with `dataclasses.replace`
or `RuleSettings.with_eur_rate(...)`. `iopkit regler` and the README cite these sources.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation

#: The default exchange rate, kronor per euro. An approximation, rounded to two
#: decimals, of the average of the Riksbank's daily EUR/SEK rates for 2025 (roughly
#: 11.5 in January falling to about 10.9 in December), set for iopkit in January 2026.
#: It is a default for a first estimate only: the de minimis regulations convert at the
#: rate that applies when the aid is granted, so users should state the rate they use
#: (`rättslig_bedömning.eurokurs` in the spec, or `iopkit check --eurokurs`).
DEFAULT_EUR_RATE = Decimal("11.00")
#: When the default was set (and the texts that use it say so).
DEFAULT_EUR_RATE_DATE = dt.date(2026, 1, 15)
DEFAULT_EUR_RATE_SOURCE = (
    "iopkits standardkurs, fastställd 2026-01-15: ungefärligt genomsnitt av Riksbankens "
    "dagliga EUR/SEK-kurser 2025. Ange aktuell kurs med `rättslig_bedömning.eurokurs` "
    "eller `--eurokurs`")


@dataclass(frozen=True)
class RuleSettings:
    """Every threshold and list the rules use. Immutable; make variants with replace()."""

    # --- state aid -------------------------------------------------------------------
    #: Kronor per euro given on the command line (`--eurokurs`); wins over the spec.
    eur_rate_override: Decimal | None = None
    default_eur_rate: Decimal = DEFAULT_EUR_RATE
    default_eur_rate_source: str = DEFAULT_EUR_RATE_SOURCE
    #: General de minimis ceiling per single undertaking over any three years.
    de_minimis_eur: int = 300_000
    de_minimis_source: str = "kommissionens förordning (EU) 2023/2831, art. 3.2"
    #: De minimis ceiling for services of general economic interest (SGEI, in Swedish
    #: tjänster av allmänt ekonomiskt intresse, SGEI/TAEI) over any three years.
    sgei_de_minimis_eur: int = 750_000
    sgei_de_minimis_source: str = "kommissionens förordning (EU) 2023/2832, art. 3.2"
    #: The period both ceilings are measured over, in years.
    de_minimis_years: int = 3

    # --- agreement period --------------------------------------------------------------
    #: Longest agreement period without a warning, in years: a quality rule after the
    #: kommuner's own IOP guidelines (long-term but reviewed). Not a legal limit, and not
    #: what HFD 2020 ref. 15 decided.
    max_period_years: int = 4
    #: A period longer than this many years should say what happens at its end
    #: (`förlängning`) and how the partnership is evaluated (`utvärdering`).
    long_period_years: int = 3
    #: A last avtalsår of at most this many days is probably a mistaken end date (a
    #: period ending on 1 January, one day into a new year).
    short_last_year_days: int = 31
    #: Words in `avtalsperiod.förlängning` that make an extension open-ended.
    open_ended_words: tuple[str, ...] = (
        "tills vidare", "tillsvidare", "obegränsat", "obegränsad", "utan begränsning",
        "utan tidsgräns", "automatiskt")

    # --- procurement language -------------------------------------------------------------
    #: Words that describe a purchase rather than a partnership. A word matches at the
    #: start of a word, so "upphandl" covers upphandling, upphandlas, upphandlad.
    procurement_words: tuple[str, ...] = (
        "vite", "beställare", "leverantör", "kravspecifikation", "upphandl", "anbud", "avrop")
    #: Words that tie money to units (places, participants, hours): payment for services.
    per_unit_words: tuple[str, ...] = (
        "per plats", "per platser", "per vårddygn", "per dygn", "per natt", "per nätter",
        "per övernattning", "per deltagare",
        "per besök", "per besökare", "per brukare", "per timme", "per timma", "per person",
        "per elev", "per barn", "per samtal", "per insats", "per utförd", "timpris",
        "styckpris", "platspris", "dygnspris")
    #: Phrases in a procurement assessment that rest it on the absence of a market (IOP109).
    no_market_words: tuple[str, ...] = (
        "ingen marknad", "inte någon marknad", "saknas en marknad", "saknas marknad",
        "inte på en marknad")
    #: Words in a state-aid reasoning that rest it on the de minimis regulations (IOP111).
    de_minimis_words: tuple[str, ...] = (
        "de minimis", "försumbart stöd", "stöd av mindre betydelse", "2023/2831",
        "2023/2832")
    #: Top-level keys whose texts are not scanned for procurement or personal-data words:
    #: the legal assessment discusses procurement by nature, and exemptions quote rules.
    unscanned_keys: tuple[str, ...] = ("rättslig_bedömning", "iopkit_undantag")

    # --- the plain questions of rättslig_bedömning.prövning ---------------------------
    #: For each question answered `ja`, the words a procurement assessment must use to
    #: count as addressing that sign (a word matches at the start of a word). Kept
    #: narrow on purpose: "upphandl" alone is in every assessment ("lagen om offentlig
    #: upphandling"), so the earlier purchase needs "tidigare" or a past tense.
    screening_words: tuple[tuple[str, tuple[str, ...]], ...] = (
        ("tidigare_upphandlad", ("tidigare upphandl", "tidigare köp", "har upphandlats",
                                 "upphandlades", "köptes", "tidigare avtal")),
        ("lagstadgad_insats", ("lagstadgad", "skyldighet", "skyldig att")),
        ("individuella_beslut", ("individuella beslut", "biståndsbeslut", "placer",
                                 "hänvis", "anvis")),
        ("behöver_utföras", ("direkt ekonomiskt intresse", "för egen räkning",
                             "för kommunens räkning", "för regionens räkning", "utförs åt",
                             "utföra åt")),
    )

    # --- personal data -----------------------------------------------------------------
    #: Words in the texts that suggest personal data about individuals is processed
    #: (individual case work, journals, registers of participants).
    personal_data_words: tuple[str, ...] = (
        "personuppgift", "personnummer", "journal", "social dokumentation",
        "deltagarregist", "deltagarlist", "närvarolist", "namnlist", "register över",
        "genomförandeplan", "individuell", "hälsouppgift", "känsliga uppgifter")
    #: An appendix whose name matches one of these counts as the data processing
    #: agreement required by GDPR art. 28.3.
    processor_agreement_words: tuple[str, ...] = (
        "personuppgiftsbiträd", "biträdesavtal", "pub-avtal", "dpa")

    # --- the memo's date -----------------------------------------------------------------
    #: The date the tjänsteskrivelse carries: `--datum` of `render`, or of `check` when it
    #: is given. None: not known, and IOP200 is not checked, so `check` without `--datum`
    #: does not depend on the day it runs.
    memo_date: dt.date | None = None

    # --- placeholders --------------------------------------------------------------------
    #: The marker `iopkit new` writes where the user must fill something in.
    placeholder_marker: str = "FYLL I"

    def with_eur_rate(self, rate: Decimal | None) -> "RuleSettings":
        return replace(self, eur_rate_override=rate)

    def with_memo_date(self, date: dt.date | None) -> "RuleSettings":
        return replace(self, memo_date=date)


DEFAULT_SETTINGS = RuleSettings()

_RATE = re.compile(r"^\d+([.,]\d+)?$")


def parse_eur_rate(text: str) -> Decimal:
    """Parse a rate typed by a user ("11,20" or "11.2"). Raises ValueError in Swedish."""
    cleaned = text.strip()
    if not _RATE.match(cleaned):
        raise ValueError(f"\"{cleaned}\" är inte en växelkurs. Ange kronor per euro, till "
                         "exempel --eurokurs 11,20.")
    try:
        rate = Decimal(cleaned.replace(",", "."))
    except InvalidOperation:  # pragma: no cover - excluded by the pattern
        raise ValueError(f"\"{cleaned}\" är inte en växelkurs.") from None
    if rate <= 0:
        raise ValueError("Växelkursen måste vara större än noll, till exempel --eurokurs 11,20.")
    if not Decimal(1) <= rate <= Decimal(100):
        raise ValueError(f"{cleaned} kronor per euro är inte rimligt. Ange kronor per euro, "
                         "till exempel --eurokurs 11,20.")
    return rate
