"""The follow-up file (utfall, format version 1) as a pydantic model: English names, the
Swedish keys of UTFALL.md as aliases. Descriptions are the user's documentation."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field, PlainValidator, WithJsonSchema
from pydantic_core import PydanticCustomError

from ..spec.model import SpecModel
from ..spec.types import Amount, Date, NonNegativeInt, Number, Text, Year, excerpt

SUPPORTED_OUTCOMES_VERSION = 1
#: The top-level key that tells a follow-up file from a partnership spec.
MARKER_KEY = "iopkit_utfall"


def _outcomes_version(value: Any) -> int:
    text = str(value).strip()
    if text != str(SUPPORTED_OUTCOMES_VERSION):
        raise PydanticCustomError(
            "IOP017", "Uppföljningsfilen har formatversion {value}, men iopkit läser version "
            "{supported}. Skriv iopkit_utfall: {supported}.",
            {"value": excerpt(value, 20), "supported": SUPPORTED_OUTCOMES_VERSION})
    return SUPPORTED_OUTCOMES_VERSION


OutcomesVersion = Annotated[int, PlainValidator(_outcomes_version),
                            WithJsonSchema({"const": SUPPORTED_OUTCOMES_VERSION})]


class IndicatorValue(SpecModel):
    value: Number = Field(alias="värde", description="Indikatorns värde det året.")
    comment: Text | None = Field(None, alias="kommentar",
                                 description="En kommentar till värdet.")


class Money(SpecModel):
    received: Amount = Field(alias="mottaget", description=(
        "Kronor som mottagaren fick under året (hela kronor)."))
    used: Amount = Field(alias="använt", description=(
        "Kronor som användes för partnerskapets syfte under året (hela kronor)."))


class GivenResource(SpecModel):
    party: Text = Field(alias="part", description="Id för den part som gav resursen.")
    type: Text = Field(alias="typ", description="Resursens slag, som i avtalet.")
    description: Text = Field(alias="beskrivning", description=(
        "Resursens beskrivning, som i avtalet."))
    value: Amount | None = Field(None, alias="värde", description="Värdet i kronor.")
    hours: NonNegativeInt | None = Field(None, alias="timmar", description="Antal timmar.")


class OutcomeYear(SpecModel):
    year: Year = Field(alias="år", description="Kalenderåret.")
    submitted: Date | None = Field(None, alias="inlämnad", description=(
        "Dagen då rapporten för året lämnades in (ÅÅÅÅ-MM-DD)."))
    indicators: dict[str, Number | IndicatorValue] = Field(
        default_factory=dict, alias="indikatorer", description=(
            "Indikatorns id (eller M1.1, M1.2 …) och årets värde, ett tal eller `värde` "
            "och `kommentar`."))
    participants: NonNegativeInt | None = Field(None, alias="deltagare", description=(
        "Antal personer som verksamheten nådde under året."))
    volunteer_hours: dict[str, NonNegativeInt] = Field(
        default_factory=dict, alias="ideellt_arbete_timmar", description=(
            "Partens id och antal timmar ideellt arbete under året."))
    money: dict[str, Money] = Field(default_factory=dict, alias="medel", description=(
        "Mottagarens id (en idéburen part) och `mottaget` och `använt` i kronor."))
    resources: list[GivenResource] = Field(default_factory=list, alias="resurser",
                                           description="Resurser i annat än pengar.")
    assessment: dict[str, Text] = Field(default_factory=dict, alias="bedömning", description=(
        "Målets id och partnerskapsgruppens bedömning av målet under året."))
    lessons: Text | None = Field(None, alias="lärdomar", description="Vad gruppen har lärt sig.")
    proposals: Text | None = Field(None, alias="förslag", description=(
        "Vad gruppen föreslår för nästa år."))


class Outcomes(SpecModel):
    """Uppföljningen år för år av ett idéburet offentligt partnerskap."""

    format_version: OutcomesVersion = Field(alias="iopkit_utfall", description=(
        "Formatversion för uppföljningsfilen. Skriv 1."))
    agreement: Text = Field(alias="avtal", description=(
        "Partnerskapsbeskrivningen som följs upp, som sökväg relativt den här filen."))
    years: list[OutcomeYear] = Field(alias="år", min_length=1, description=(
        "Ett avsnitt per år, varje år högst en gång."))

    def year(self, year: int) -> OutcomeYear | None:
        return next((y for y in self.years if y.year == year), None)
