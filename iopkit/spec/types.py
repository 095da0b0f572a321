"""Field types of the spec, each validating the text a user typed with a Swedish message.

Every scalar arrives from the loader as text (see loader.py), so each type here decides
itself what it accepts. The error *type* of each PydanticCustomError is the finding code,
which lets the translation in validation.py keep the code without a lookup table.

Why one module of some 520 lines: it is the vocabulary of the model, a few dozen small
validators with their JSON schema, sharing the helpers that quote and describe what the
user typed (`excerpt`, `describe_kind`) and the convention above; model.py and the
schema read every type from this one place.
"""

from __future__ import annotations

import datetime as dt
import difflib
import math
import re
from typing import Annotated, Any, Callable

from pydantic import PlainValidator, WithJsonSchema
from pydantic_core import PydanticCustomError

PUBLIC_PARTY_TYPES = ("kommun", "region", "statlig myndighet")
NONPROFIT_PARTY_TYPES = (
    "ideell förening",
    "stiftelse",
    "registrerat trossamfund",
    "ekonomisk förening",
    "aktiebolag med särskild vinstutdelningsbegränsning",
)
PARTY_TYPES = PUBLIC_PARTY_TYPES + NONPROFIT_PARTY_TYPES
RESOURCE_TYPES = ("ekonomiska medel", "personal", "lokaler", "kompetens", "ideell tid",
                  "material", "övrigt")
FREQUENCIES = ("varje vecka", "varannan vecka", "månadsvis", "varannan månad", "kvartalsvis",
               "halvårsvis", "årsvis")
PAYMENT_FORMS = ("bidrag", "per prestation")
UNUSED_FUNDS = ("återbetalas", "får behållas")
DATA_RESPONSIBILITY = ("var för sig", "gemensamt", "biträde")
#: Activity areas the idéburna parties themselves run (partnerskap.verksamhetsområden).
#: The regulated ones decide meddelarskydd, IVO permits and registerkontroll (IOP.md).
REGULATED_AREAS = ("socialtjänst", "skyddat boende", "särskilt boende", "HVB", "stödboende",
                   "hemtjänst", "LSS", "personlig assistans", "skolväsendet",
                   "hälso- och sjukvård")
UNREGULATED_AREAS = ("arbetsmarknad", "integration", "fritid och idrott", "kultur",
                     "folkbildning", "övrigt")
ACTIVITY_AREAS = REGULATED_AREAS + UNREGULATED_AREAS
#: The grounds a state-aid assessment can rest on (rättslig_bedömning.statsstöd_grund).
STATE_AID_GROUNDS = ("ingen ekonomisk verksamhet", "ingen påverkan på handeln",
                     "ingen fördel (Altmark)", "stöd av mindre betydelse",
                     "stöd av mindre betydelse för SGEI", "SGEI-beslutet", "gruppundantag",
                     "anmält och godkänt stöd")
#: Answers to the plain questions of rättslig_bedömning.prövning.
ANSWERS = ("ja", "nej", "vet inte")
SUPPORTED_FORMAT_VERSION = 1


def excerpt(value: Any, limit: int = 40) -> str:
    """A short, single-line quote of user input: messages never echo long values."""
    text = " ".join(str(value).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def describe_kind(value: Any) -> str:
    """How a message names what the user wrote: a mapping, a list, nothing or a value."""
    if isinstance(value, dict):
        return "en grupp av nycklar"
    if isinstance(value, list):
        return "en lista"
    if value is None:
        return "inget värde"
    return "ett enskilt värde"


def _must_be_scalar(value: Any, what: str) -> None:
    if value is None:
        raise PydanticCustomError(
            "IOP012", f"Värde saknas. Skriv {what} efter kolonet, eller ta bort nyckeln om den "
            "är valfri.")
    if isinstance(value, (dict, list)):
        raise PydanticCustomError(
            "IOP012",
            f"Här ska stå {what}, men det står {describe_kind(value)}. Kontrollera indraget.")


def _text(value: Any) -> str:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    _must_be_scalar(value, "en text")
    if not isinstance(value, str):
        raise PydanticCustomError("IOP012", "Här ska stå en text.")
    text = value.strip()
    if not text:
        raise PydanticCustomError("IOP018", "Texten är tom. Skriv en text här, eller ta bort "
                                            "nyckeln om den är valfri.")
    return text


_TRUE = {"ja", "true", "sant"}
_FALSE = {"nej", "false", "falskt"}


def _bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    _must_be_scalar(value, "ja eller nej")
    word = str(value).strip().lower()
    if word in _TRUE:
        return True
    if word in _FALSE:
        return False
    raise PydanticCustomError("IOP013", "Skriv ja eller nej (inte \"{value}\").",
                              {"value": excerpt(value, 20)})


_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")

#: Years an agreement's dates may fall in. Wider is never meant, and keeps every date
#: calculation (notice, follow-ups, calendars) far from Python's year 9999.
MIN_YEAR = 1900
MAX_YEAR = 2199


def _check_year(year: int, value: Any) -> None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise PydanticCustomError(
            "IOP014", "{value} ligger utanför det rimliga intervallet för ett avtal: ange ett "
            "datum mellan år {low} och {high}.",
            {"value": excerpt(value, 20), "low": MIN_YEAR, "high": MAX_YEAR})


def parse_date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        _check_year(value.year, value.isoformat())
        return value
    _must_be_scalar(value, "ett datum (ÅÅÅÅ-MM-DD)")
    match = _DATE.match(str(value).strip())
    if not match:
        raise PydanticCustomError(
            "IOP014", "\"{value}\" är inte ett datum i formen ÅÅÅÅ-MM-DD. Skriv till exempel "
            "2027-01-01 för den 1 januari 2027.", {"value": excerpt(value, 20)})
    _check_year(int(match[1]), value)
    try:
        return dt.date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        raise PydanticCustomError(
            "IOP014", "{value} är inget giltigt datum: den dagen finns inte i kalendern. "
            "Kontrollera månad och dag.", {"value": excerpt(value, 20)}) from None


_INTEGER = re.compile(r"^[+-]?\d+$")

#: Upper bound of a plain count or amount: a thousand billion kronor is far above any
#: agreement, and far below what would make a document or calculation misbehave.
MAX_INT = 10**12


def _nonnegative_int(value: Any) -> int:
    if isinstance(value, bool):
        raise PydanticCustomError("IOP016", "Här ska stå ett heltal, inte ja eller nej.")
    if isinstance(value, int):
        number = value
    else:
        _must_be_scalar(value, "ett heltal")
        text = str(value).strip()
        if not _INTEGER.match(text):
            compact = text.replace(" ", "").replace("\u00a0", "").replace("_", "")
            if _INTEGER.match(compact):
                raise PydanticCustomError(
                    "IOP016", "Skriv talet utan mellanrum: {compact} i stället för \"{value}\".",
                    {"compact": compact, "value": excerpt(value, 20)})
            raise PydanticCustomError(
                "IOP016", "\"{value}\" är inte ett heltal. Skriv bara siffror, utan decimaler, "
                "\"kr\" eller mellanrum, till exempel 2400000.", {"value": excerpt(value, 20)})
        if len(text.lstrip("+-")) > 15:  # never convert hundreds of digits
            raise PydanticCustomError(
                "IOP016", "Talet har {digits} siffror; ett rimligt värde här har högst 13. "
                "Kontrollera att det inte har råkat komma med extra siffror.",
                {"digits": len(text.lstrip("+-"))})
        number = int(text)
    if number < 0:
        raise PydanticCustomError("IOP016", "Talet får inte vara negativt.")
    return number


def bounded_int_validator(maximum: int, unit: str = "",
                          minimum: int = 0) -> Callable[[Any], int]:
    """A validator for a whole number in `minimum`..`maximum`; the message names the
    range (and `unit`, e.g. "månader"), so a typo like 100000 is caught by `check`."""

    def validate(value: Any) -> int:
        number = _nonnegative_int(value)
        if not minimum <= number <= maximum:
            suffix = f" {unit}" if unit else ""
            raise PydanticCustomError(
                "IOP016", "{number}{suffix} ligger utanför det rimliga intervallet "
                "{low}–{high}{suffix}. Kontrollera värdet.",
                {"number": _grouped(number), "suffix": suffix, "low": _grouped(minimum),
                 "high": _grouped(maximum)})
        return number

    return validate


def BoundedInt(maximum: int, unit: str = "", minimum: int = 0) -> Any:
    """A whole number in `minimum`..`maximum`, e.g. `BoundedInt(120, "månader")`."""
    return Annotated[int, PlainValidator(bounded_int_validator(maximum, unit, minimum)),
                     WithJsonSchema({"type": "integer", "minimum": minimum,
                                     "maximum": maximum})]


def _grouped(number: int) -> str:
    return f"{number:,}".replace(",", "\u00a0")


def _year(key: Any) -> int:
    text = str(key).strip()
    if isinstance(key, bool) or not re.fullmatch(r"\d{4}", text) or \
            not MIN_YEAR <= int(text) <= MAX_YEAR:
        raise PydanticCustomError(
            "IOP016", "\"{value}\" är inte ett årtal. Skriv beloppen per kalenderår, till "
            "exempel `{{2027: 2400000, 2028: 2500000}}`.", {"value": excerpt(key, 20)})
    return int(text)


#: Kronor as people write them: groups of three separated by spaces (ordinary,
#: non-breaking or thin), optionally followed by "kr" or "kronor" ("2 400 000 kr").
_KRONOR = re.compile(r"^\s*(\d{1,3}(?:[ \u00a0\u202f]\d{3})+|\d+)\s*(?:kr\.?|kronor)?\s*$",
                     re.IGNORECASE)


def _kronor_text(value: Any) -> Any:
    """"2 400 000 kr" as 2400000. Text with digits in any other form ("2.400.000",
    "2 400 000,50 kr", "2,4 miljoner") is ambiguous: an error that shows the accepted
    forms. Plain digits and non-text values are left for the integer validator."""
    if isinstance(value, str):
        match = _KRONOR.match(value) if len(value) <= 40 else None
        if match:
            return re.sub(r"[ \u00a0\u202f]", "", match.group(1))
        if re.fullmatch(r"\s*-\s*\d[\d \u00a0\u202f]*\s*(kr\.?|kronor)?\s*", value):
            raise PydanticCustomError("IOP016", "Beloppet får inte vara negativt.")
        if re.search(r"\d", value) and not value.strip().isdigit():
            raise PydanticCustomError(
                "IOP016", "\"{value}\" går inte att läsa som ett belopp i hela kronor. Skriv "
                "till exempel 2400000, \"2 400 000\" eller \"2 400 000 kr\" (grupper om tre "
                "siffror, inga decimaler).", {"value": excerpt(value, 20)})
    return value


_amount_number = bounded_int_validator(10**12, "kronor")


def _amount(value: Any) -> int:
    return _amount_number(_kronor_text(value))


def _yearly_amount(value: Any) -> int | dict[int, int]:
    """Whole kronor per year: one number for every year, or a map year → kronor."""
    if isinstance(value, dict):
        if not value:
            raise PydanticCustomError(
                "IOP012", "Ange minst ett år med belopp, till exempel `{{2027: 2400000}}`, "
                "eller ett belopp som gäller varje år.")
        amounts: dict[int, int] = {}
        for key, amount in value.items():
            amounts[_year(key)] = _amount(amount)
        return dict(sorted(amounts.items()))
    return _amount(value)


_DECIMAL = re.compile(r"^\d+([.,]\d+)?$")


def _positive_number(value: Any) -> float:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        number = float(value)
    else:
        _must_be_scalar(value, "ett tal")
        text = str(value).strip()
        if not _DECIMAL.match(text):
            raise PydanticCustomError(
                "IOP016", "\"{value}\" är inte ett tal. Skriv till exempel 11.20 eller 11,20.",
                {"value": excerpt(value, 20)})
        if len(text) > 20:  # a rate or factor, never hundreds of digits
            raise PydanticCustomError(
                "IOP016", "Talet har {length} tecken; ett rimligt värde här har högst 20. "
                "Skriv till exempel 11.20.", {"length": len(text)})
        number = float(text.replace(",", "."))
    if not math.isfinite(number) or number > MAX_INT:
        raise PydanticCustomError("IOP016", "Talet är orimligt stort; högst {high} är "
                                  "rimligt här. Kontrollera värdet.",
                                  {"high": _grouped(MAX_INT)})
    if number <= 0:
        raise PydanticCustomError("IOP016", "Talet måste vara större än noll.")
    return number


def _number(value: Any) -> float:
    """A number ≥ 0 (a baseline or an outcome may be zero)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool) and value == 0:
        return 0.0
    if isinstance(value, str) and value.strip() in ("0", "0.0", "0,0"):
        return 0.0
    return _positive_number(value)


def _eur_rate(value: Any) -> float:
    _must_be_scalar(value, "en växelkurs, till exempel 11.20")
    text = str(value).strip()
    number = float(text.replace(",", ".")) if len(text) <= 20 and _DECIMAL.match(text) else 0.0
    if not 1 <= number <= 100:
        raise PydanticCustomError(
            "IOP016", "{value} kronor per euro är inte en rimlig växelkurs; ange ett tal "
            "mellan 1 och 100, till exempel 11.20.", {"value": excerpt(value, 20)})
    return number


def _format_version(value: Any) -> int:
    _must_be_scalar(value, "formatversionen 1")
    if str(value).strip() != str(SUPPORTED_FORMAT_VERSION):
        raise PydanticCustomError(
            "IOP017", "Formatversion \"{value}\" stöds inte. Den här versionen av iopkit läser "
            "formatversion {supported}: skriv `iopkit: {supported}`.",
            {"value": excerpt(value, 10), "supported": SUPPORTED_FORMAT_VERSION})
    return SUPPORTED_FORMAT_VERSION


def normalise_orgnr(value: Any) -> str:
    """Validate an organisationsnummer and return it as NNNNNN-NNNN."""
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    _must_be_scalar(value, "ett organisationsnummer (NNNNNN-NNNN)")
    raw = str(value).strip()
    digits = re.sub(r"[\s-]", "", raw)
    if len(digits) == 12 and digits.startswith("16"):
        digits = digits[2:]
    if not digits.isdigit() or len(digits) != 10:
        raise PydanticCustomError(
            "IOP015", "\"{value}\" är inte ett organisationsnummer. Skriv det som tio siffror, "
            "NNNNNN-NNNN, till exempel 802461-3575.", {"value": excerpt(value, 20)})
    if int(digits[2]) < 2:
        raise PydanticCustomError(
            "IOP015", "Organisationsnumret {value} ser ut som ett personnummer (tredje siffran "
            "är 0 eller 1). Ange organisationens nummer från Bolagsverket eller Skatteverket.",
            {"value": excerpt(value, 20)})
    if not luhn_valid(digits):
        raise PydanticCustomError(
            "IOP015", "Kontrollsiffran i organisationsnumret {value} stämmer inte. Kontrollera "
            "numret mot registreringsbeviset eller på allabolag/Bolagsverket.",
            {"value": excerpt(value, 20)})
    return f"{digits[:6]}-{digits[6:]}"


def luhn_valid(digits: str) -> bool:
    """The Luhn (mod 10) check that Skatteverket uses for the last digit of an
    organisationsnummer (SKV 709). Written out rather than imported from python-stdnum,
    whose import cost about 30 ms of every `iopkit check` (measured for issue 15)."""
    total = 0
    for index, char in enumerate(reversed(digits)):
        digit = int(char)
        if index % 2 == 1:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return total % 10 == 0


#: One @, no whitespace, a dot inside the domain. Checked by hand rather than with a
#: pattern like `[^@\s]+@[^@\s]+\.[^@\s]+$`, which tries every dot against every later
#: one: a 400 kB "address" of dots took it minutes.
_EMAIL_SPACE = re.compile(r"\s")


def _looks_like_email(text: str) -> bool:
    local, at, domain = text.partition("@")
    return bool(local and at and "@" not in domain and not _EMAIL_SPACE.search(text)
                and "." in domain[1:-1])


def _email(value: Any) -> str:
    text = _text(value)
    if not _looks_like_email(text):
        raise PydanticCustomError(
            "IOP013", "\"{value}\" ser inte ut som en e-postadress. Skriv den som "
            "namn@exempel.se.", {"value": excerpt(value, 30)})
    return text


PARTY_ID_PATTERN = r"^[a-z0-9][a-z0-9_-]*$"
ID_PATTERN = r"^[A-Za-z0-9_-]+$"
#: An indicator's id may be a word ("besök", "M1-besökare"): letters including å, ä, ö,
#: digits, - and _, no dot (a dot is how the follow-up file numbers indicators: M1.1).
INDICATOR_ID_PATTERN = r"^[A-Za-z0-9_ÅÄÖåäöÉéÜü-]{1,60}$"


def _party_id(value: Any) -> str:
    text = _text(value)
    if not re.match(PARTY_ID_PATTERN, text):
        raise PydanticCustomError(
            "IOP013", "\"{value}\" kan inte användas som id för en part. Använd små bokstäver "
            "a–z, siffror, - och _ (inga å, ä, ö eller mellanslag), till exempel `goteborg`.",
            {"value": excerpt(value, 30)})
    return text


def _id(value: Any) -> str:
    text = _text(value)
    if not re.match(ID_PATTERN, text):
        raise PydanticCustomError(
            "IOP013", "\"{value}\" kan inte användas som id. Använd en kort kod av bokstäver "
            "a–z, siffror, - och _, till exempel B1 eller M2.", {"value": excerpt(value, 30)})
    return text


def _indicator_id(value: Any) -> str:
    text = _text(value)
    if not re.match(INDICATOR_ID_PATTERN, text):
        raise PydanticCustomError(
            "IOP013", "\"{value}\" kan inte användas som id för en indikator. Använd "
            "bokstäver (även å, ä och ö), siffror, - och _, utan mellanslag och punkt, till "
            "exempel besök eller M1-besökare.", {"value": excerpt(value, 30)})
    return text


def choice_validator(values: tuple[str, ...]) -> Callable[[Any], str]:
    """A validator that accepts one of `values`, suggesting the closest on a typo."""

    def validate(value: Any) -> str:
        _must_be_scalar(value, "ett av värdena " + ", ".join(values))
        text = " ".join(str(value).split())
        if text in values:
            return text
        lowered = {v.lower(): v for v in values}
        if text.lower() in lowered:
            return lowered[text.lower()]
        close = difflib.get_close_matches(text.lower(), list(lowered), n=1, cutoff=0.6)
        hint = f" Menade du `{lowered[close[0]]}`?" if close else ""
        raise PydanticCustomError(
            "IOP013", "\"{value}\" är inte ett tillåtet värde.{hint} Tillåtna värden: {allowed}.",
            {"value": excerpt(value, 30), "hint": hint,
             "allowed": ", ".join(f"`{v}`" for v in values)})

    return validate


def Choice(values: tuple[str, ...]) -> Any:
    """A validated choice as a runtime type (for code that builds checks at run time)."""
    return Annotated[str, PlainValidator(choice_validator(values)), _enum(values)]


def _enum(values: tuple[str, ...]) -> WithJsonSchema:
    return WithJsonSchema({"type": "string", "enum": list(values)})


# The model's choices, written out as aliases so that type checkers read them as `str`.
PartyType = Annotated[str, PlainValidator(choice_validator(PARTY_TYPES)), _enum(PARTY_TYPES)]
ResourceType = Annotated[str, PlainValidator(choice_validator(RESOURCE_TYPES)),
                         _enum(RESOURCE_TYPES)]
PaymentForm = Annotated[str, PlainValidator(choice_validator(PAYMENT_FORMS)),
                        _enum(PAYMENT_FORMS)]
UnusedFunds = Annotated[str, PlainValidator(choice_validator(UNUSED_FUNDS)),
                        _enum(UNUSED_FUNDS)]
StateAidGround = Annotated[str, PlainValidator(choice_validator(STATE_AID_GROUNDS)),
                           _enum(STATE_AID_GROUNDS)]
Frequency = Annotated[str, PlainValidator(choice_validator(FREQUENCIES)), _enum(FREQUENCIES)]
DataResponsibility = Annotated[str, PlainValidator(choice_validator(DATA_RESPONSIBILITY)),
                               _enum(DATA_RESPONSIBILITY)]
ActivityArea = Annotated[str, PlainValidator(choice_validator(ACTIVITY_AREAS)),
                         _enum(ACTIVITY_AREAS)]
Answer = Annotated[str, PlainValidator(choice_validator(ANSWERS)), _enum(ANSWERS)]


Text = Annotated[str, PlainValidator(_text), WithJsonSchema({"type": "string", "minLength": 1})]
Bool = Annotated[bool, PlainValidator(_bool), WithJsonSchema(
    {"anyOf": [{"type": "boolean"}, {"type": "string", "enum": ["ja", "nej"]}]})]
Date = Annotated[dt.date, PlainValidator(parse_date),
                 WithJsonSchema({"type": "string", "format": "date"})]
NonNegativeInt = BoundedInt(MAX_INT)
#: Kronor, whole: at most a thousand billion; "2 400 000 kr" is read as 2400000.
Amount = Annotated[int, PlainValidator(_amount),
                   WithJsonSchema({"anyOf": [{"type": "integer", "minimum": 0,
                                              "maximum": MAX_INT}, {"type": "string"}]})]
#: A notice time, in months: ten years is already unusual.
NoticeMonths = BoundedInt(120, "månader")
#: A calendar year in a per-year map (`belopp_per_år: {2027: 2400000}`).
Year = BoundedInt(MAX_YEAR, minimum=MIN_YEAR)
YearlyAmount = Annotated[int | dict[int, int], PlainValidator(_yearly_amount), WithJsonSchema(
    {"anyOf": [{"type": "integer", "minimum": 0}, {"type": "string"},
               {"type": "object", "minProperties": 1,
                "patternProperties": {r"^\d{4}$": {"anyOf": [{"type": "integer", "minimum": 0},
                                                            {"type": "string"}]}},
                "additionalProperties": False}]})]
PositiveNumber = Annotated[float, PlainValidator(_positive_number),
                           WithJsonSchema({"anyOf": [{"type": "number", "exclusiveMinimum": 0},
                                                     {"type": "string"}]})]
Number = Annotated[float, PlainValidator(_number),
                   WithJsonSchema({"anyOf": [{"type": "number", "minimum": 0},
                                             {"type": "string"}]})]
EurRate = Annotated[float, PlainValidator(_eur_rate),
                    WithJsonSchema({"anyOf": [{"type": "number", "minimum": 1, "maximum": 100},
                                              {"type": "string"}]})]
FormatVersion = Annotated[int, PlainValidator(_format_version),
                          WithJsonSchema({"const": SUPPORTED_FORMAT_VERSION})]
OrgNr = Annotated[str, PlainValidator(normalise_orgnr), WithJsonSchema(
    {"anyOf": [{"type": "string", "pattern": r"^(16)?\d{6}-?\d{4}$"},
               {"type": "integer"}]})]
Email = Annotated[str, PlainValidator(_email), WithJsonSchema({"type": "string",
                                                               "format": "email"})]
PartyId = Annotated[str, PlainValidator(_party_id),
                    WithJsonSchema({"type": "string", "pattern": PARTY_ID_PATTERN})]
Id = Annotated[str, PlainValidator(_id), WithJsonSchema({"type": "string",
                                                         "pattern": ID_PATTERN})]
IndicatorId = Annotated[str, PlainValidator(_indicator_id),
                        WithJsonSchema({"type": "string", "pattern": INDICATOR_ID_PATTERN})]
