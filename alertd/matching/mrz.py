"""Machine-readable zones (ICAO Doc 9303): TD1, TD2, TD3 and the MRV-A/MRV-B visas.

Each layout is a table of field positions (`_Layout`); parsing reads the fields from the
table, verifies every check digit and turns dates, names, sex and country codes into the
forms the matcher uses. Two kinds of trouble are kept apart:

- ``MrzError`` (a ``ValueError``): the text is not an MRZ at all — wrong number of lines,
  wrong line lengths, characters outside A-Z 0-9 '<'. The message says which line and what.
- A failed check digit, an impossible date or an unknown sex code is *not* an error: it is
  recorded (``MrzData.checks``, ``MrzData.problems``) and reported by ``warnings()``, so
  the traveller is still screened and the officer sees why the MRZ is doubtful.

Layouts (0-based columns, end exclusive)::

    TD3  line 1  code 0:2  issuer 2:5  name 5:44
         line 2  number 0:9 ✓9  nationality 10:13  birth 13:19 ✓19  sex 20  expiry 21:27 ✓27
                 optional 28:42 ✓42  composite ✓43 over 0:10, 13:20, 21:43
    TD2  line 1  code 0:2  issuer 2:5  name 5:36
         line 2  as TD3 to column 28, optional 28:35, composite ✓35 over 0:10, 13:20, 21:35
    TD1  line 1  code 0:2  issuer 2:5  number 5:14 ✓14  optional 15:30
         line 2  birth 0:6 ✓6  sex 7  expiry 8:14 ✓14  nationality 15:18  optional 18:29
                 composite ✓29 over line 1 5:30, line 2 0:7, 8:15, 18:29
         line 3  name 0:30
    MRV-A / MRV-B: TD3 / TD2 without the optional-data and composite check digits.

A TD1 or TD2 document number longer than nine characters puts '<' in the check-digit
column and continues in the optional data, followed by its check digit (computed over
the whole number).
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from datetime import date
from types import MappingProxyType
from typing import Final, Literal

from alertd.matching.dates import PartialDate

MrzFormat = Literal["TD1", "TD2", "TD3"]


class MrzError(ValueError):
    """The text is not a machine-readable zone; the message says what is wrong."""


@dataclass(frozen=True)
class MrzCheck:
    """One check digit and whether it verifies."""

    field: str  # "document_number", "date_of_birth", "expiry_date", "optional_data", "composite"
    ok: bool
    found: str = ""  # the character in the MRZ
    computed: str = ""  # what ICAO 9303 says it should be


@dataclass(frozen=True)
class MrzData:
    """The fields of one MRZ, decoded, with every check digit verified."""

    format: MrzFormat
    document_code: str  # "P", "I", "ID", "V", "AC", ... (fillers removed)
    issuing_country: str  # ISO alpha-3 where ICAO uses another code ("D" -> "DEU"), else as read
    surname: str  # fillers turned to spaces
    given_names: str
    document_number: str  # the whole number, long TD1/TD2 numbers reassembled
    nationality: str  # like issuing_country
    date_of_birth: str | None  # "YYYY-MM-DD", "YYYY-MM" or "YYYY"; None when unknown/unreadable
    sex: str | None  # "M", "F", "X"; None for '<' (unspecified) or an unreadable code
    expiry_date: str | None
    checks: tuple[MrzCheck, ...]
    layout: str  # "TD1", "TD2", "TD3", "MRV-A", "MRV-B"
    raw_issuing_country: str  # the three characters as printed, e.g. "D<<"
    raw_nationality: str
    optional_data: str  # fillers stripped (TD1: line 1 optional data after any long number)
    optional_data_2: str  # TD1 line 2 optional data; "" for other layouts
    name_truncated: bool  # the name field is full to the last column: names may be cut off
    problems: tuple[str, ...]  # field problems that are not check digits, officer-readable

    @property
    def valid(self) -> bool:
        """Every check digit verifies and every field decodes."""
        return all(check.ok for check in self.checks) and not self.problems

    def warnings(self) -> tuple[str, ...]:
        """Officer-readable reasons to doubt this MRZ (empty when valid)."""
        failed = tuple(_check_warning(check) for check in self.checks if not check.ok)
        return failed + self.problems

    @property
    def is_visa(self) -> bool:
        return self.document_code.startswith("V")

    @property
    def document_type(self) -> str:
        """The watchlist document type: passport, national_id, visa or travel_document."""
        return _DOCUMENT_TYPES.get(self.document_code[:1], "travel_document")

    @property
    def issuing_country_iso(self) -> str | None:
        """ISO 3166-1 alpha-3 of the issuer; None for organisations (UNO, XPO, EUE...)."""
        return iso_country(self.raw_issuing_country)

    @property
    def nationality_iso(self) -> str | None:
        """ISO 3166-1 alpha-3 nationality; None for stateless, refugee, unspecified."""
        return iso_country(self.raw_nationality)

    @property
    def full_name(self) -> str:
        """Given names then surname, as a name to screen."""
        return " ".join(part for part in (self.given_names, self.surname) if part)


# --- ICAO 9303 codes ----------------------------------------------------------------------

# Codes in MRZs that are not the ISO alpha-3 code of the country they stand for.
_ICAO_TO_ISO: Final = MappingProxyType(
    {
        "D": "DEU",  # Germany writes "D<<" (ICAO 9303 Part 3 keeps it for Germany)
        "GBD": "GBR",  # British Overseas Territories Citizen
        "GBN": "GBR",  # British National (Overseas)
        "GBO": "GBR",  # British Overseas Citizen
        "GBP": "GBR",  # British Protected Person
        "GBS": "GBR",  # British Subject
        "RKS": "XKX",  # Kosovo (its own documents; XKX is the code lists use)
        "UNK": "XKX",  # Resident of Kosovo, document issued by UNMIK
    }
)

# Codes for organisations and for people without a (known) nationality: not a country.
_NOT_A_COUNTRY: Final = frozenset(
    {
        "EUE",  # European Union
        "UNO",  # United Nations Organization
        "UNA",  # UN specialized agency
        "XBA",  # African Development Bank
        "XIM",  # African Export-Import Bank
        "XCC",  # Caribbean Community
        "XCE",  # Council of Europe
        "XCO",  # Common Market for Eastern and Southern Africa
        "XEC",  # Economic Community of West African States
        "XPO",  # Interpol
        "XES",  # Organisation of Eastern Caribbean States
        "XMP",  # Parliamentary Assembly of the Mediterranean
        "XOM",  # Sovereign Military Order of Malta
        "XDC",  # Southern African Development Community
        "XXA",  # stateless person
        "XXB",  # refugee (1951 Convention)
        "XXC",  # refugee (other)
        "XXX",  # unspecified nationality
    }
)

_DOCUMENT_TYPES: Final = MappingProxyType(
    {"P": "passport", "I": "national_id", "A": "national_id", "C": "national_id", "V": "visa"}
)


def iso_country(code: str) -> str | None:
    """The ISO alpha-3 country an MRZ country code stands for; None if it is no country."""
    code = code.strip().rstrip("<").upper()
    if code in _ICAO_TO_ISO:
        return _ICAO_TO_ISO[code]
    if code in _NOT_A_COUNTRY or len(code) != 3 or not code.isalpha() or not code.isascii():
        return None
    return code


def _country(raw: str) -> str:
    """What MrzData shows: the ISO code if there is one, else the code as read."""
    return iso_country(raw) or raw.rstrip("<")


# --- check digits ---------------------------------------------------------------------------

_CHECK_WEIGHTS: Final = (7, 3, 1)
_ALLOWED: Final = frozenset(string.ascii_uppercase + string.digits + "<")
_CHECK_LABELS: Final = MappingProxyType(
    {
        "document_number": "document number",
        "date_of_birth": "date of birth",
        "expiry_date": "expiry date",
        "optional_data": "optional data (personal number)",
        "composite": "the whole MRZ (composite)",
    }
)


def _character_value(character: str) -> int:
    if character.isdigit():
        return int(character)
    if character == "<":
        return 0
    return ord(character) - ord("A") + 10


def compute_check_digit(data: str) -> str:
    """The ICAO 9303 check digit: weights 7, 3, 1; A=10 ... Z=35; '<' = 0."""
    total = sum(
        _character_value(character) * _CHECK_WEIGHTS[index % 3]
        for index, character in enumerate(data)
    )
    return str(total % 10)


def _verify(field: str, data: str, found: str) -> MrzCheck:
    computed = compute_check_digit(data)
    # ICAO allows '<' as the check digit of a field that is all fillers (e.g. no personal
    # number); its computed digit would be 0.
    filler_for_empty = found == "<" and set(data) <= {"<"}
    return MrzCheck(field, found == computed or filler_for_empty, found, computed)


def _check_warning(check: MrzCheck) -> str:
    label = _CHECK_LABELS.get(check.field, check.field)
    found = "missing" if check.found in ("", "<") else f"found {check.found}"
    return f"MRZ check digit for {label} failed ({found}, computed {check.computed})"


# --- layouts --------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Span:
    line: int
    start: int
    stop: int

    def read(self, lines: tuple[str, ...]) -> str:
        return lines[self.line][self.start : self.stop]


@dataclass(frozen=True)
class _Layout:
    name: str
    format: MrzFormat
    document_code: _Span
    issuing_country: _Span
    name_field: _Span
    document_number: _Span
    document_number_check: _Span
    nationality: _Span
    date_of_birth: _Span
    date_of_birth_check: _Span
    sex: _Span
    expiry_date: _Span
    expiry_date_check: _Span
    optional_data: _Span
    optional_data_check: _Span | None  # TD3 only
    optional_data_2: _Span | None  # TD1 only
    composite_check: _Span | None  # not on visas
    composite_data: tuple[_Span, ...]
    long_number_allowed: bool  # TD1/TD2: numbers over 9 characters continue in optional data


def _two_line_layout(
    name: str,
    format_: MrzFormat,
    width: int,
    *,
    optional_stop: int,
    has_check_digits: bool,
    long_number_allowed: bool,
) -> _Layout:
    """TD2, TD3 and the visas share line 1 and the first 28 columns of line 2."""
    optional = _Span(1, 28, optional_stop)
    composite_column = width - 1
    optional_check = _Span(1, 42, 43) if has_check_digits and format_ == "TD3" else None
    return _Layout(
        name=name,
        format=format_,
        document_code=_Span(0, 0, 2),
        issuing_country=_Span(0, 2, 5),
        name_field=_Span(0, 5, width),
        document_number=_Span(1, 0, 9),
        document_number_check=_Span(1, 9, 10),
        nationality=_Span(1, 10, 13),
        date_of_birth=_Span(1, 13, 19),
        date_of_birth_check=_Span(1, 19, 20),
        sex=_Span(1, 20, 21),
        expiry_date=_Span(1, 21, 27),
        expiry_date_check=_Span(1, 27, 28),
        optional_data=optional,
        optional_data_check=optional_check,
        optional_data_2=None,
        composite_check=_Span(1, composite_column, width) if has_check_digits else None,
        composite_data=(
            (_Span(1, 0, 10), _Span(1, 13, 20), _Span(1, 21, composite_column))
            if has_check_digits
            else ()
        ),
        long_number_allowed=long_number_allowed,
    )


TD3: Final = _two_line_layout(
    "TD3", "TD3", 44, optional_stop=42, has_check_digits=True, long_number_allowed=False
)
TD2: Final = _two_line_layout(
    "TD2", "TD2", 36, optional_stop=35, has_check_digits=True, long_number_allowed=True
)
# Visas (ICAO 9303 Part 7) have no optional-data or composite check digit.
MRV_A: Final = _two_line_layout(
    "MRV-A", "TD3", 44, optional_stop=44, has_check_digits=False, long_number_allowed=False
)
MRV_B: Final = _two_line_layout(
    "MRV-B", "TD2", 36, optional_stop=36, has_check_digits=False, long_number_allowed=False
)
TD1: Final = _Layout(
    name="TD1",
    format="TD1",
    document_code=_Span(0, 0, 2),
    issuing_country=_Span(0, 2, 5),
    document_number=_Span(0, 5, 14),
    document_number_check=_Span(0, 14, 15),
    optional_data=_Span(0, 15, 30),
    date_of_birth=_Span(1, 0, 6),
    date_of_birth_check=_Span(1, 6, 7),
    sex=_Span(1, 7, 8),
    expiry_date=_Span(1, 8, 14),
    expiry_date_check=_Span(1, 14, 15),
    nationality=_Span(1, 15, 18),
    optional_data_2=_Span(1, 18, 29),
    composite_check=_Span(1, 29, 30),
    composite_data=(_Span(0, 5, 30), _Span(1, 0, 7), _Span(1, 8, 15), _Span(1, 18, 29)),
    name_field=_Span(2, 0, 30),
    optional_data_check=None,
    long_number_allowed=True,
)

# Line count and length -> (layout, visa layout of the same shape).
_SHAPES: Final = MappingProxyType(
    {(3, 30): (TD1, TD1), (2, 36): (TD2, MRV_B), (2, 44): (TD3, MRV_A)}
)


# --- reading the text -----------------------------------------------------------------------

_LOWER_TO_UPPER: Final = str.maketrans(string.ascii_lowercase, string.ascii_uppercase)


def _clean_lines(text: str) -> tuple[str, ...]:
    """Non-blank lines, trimmed, ASCII letters upper-cased; CR/LF/CRLF all accepted."""
    lines = (line.strip().translate(_LOWER_TO_UPPER) for line in text.splitlines())
    return tuple(line for line in lines if line)


def _choose_layout(lines: tuple[str, ...]) -> _Layout:
    count = len(lines)
    if count not in (2, 3):
        plural = "line" if count == 1 else "lines"
        raise MrzError(f"MRZ has {count} {plural}; expected 2 (TD2, TD3, visas) or 3 (TD1)")
    widths = (30,) if count == 3 else (36, 44)
    width = next((len(line) for line in lines if len(line) in widths), None)
    if width is None:
        expected = " or ".join(str(w) for w in widths)
        raise MrzError(
            f"MRZ line 1 has {len(lines[0])} characters; a {count}-line MRZ has lines of "
            f"{expected} characters"
        )
    for number, line in enumerate(lines, start=1):
        if len(line) != width:
            raise MrzError(
                f"MRZ line {number} has {len(line)} characters; expected {width} like the others"
            )
        _check_characters(number, line)
    layout, visa_layout = _SHAPES[(count, width)]
    return visa_layout if lines[0].startswith("V") else layout


def _check_characters(number: int, line: str) -> None:
    for column, character in enumerate(line, start=1):
        if character not in _ALLOWED:
            hint = " (use '<' for blanks)" if character.isspace() else ""
            raise MrzError(
                f"MRZ line {number}, column {column}: {character!r} is not allowed; "
                f"only A-Z, 0-9 and '<'{hint}"
            )


def parse_mrz(text: str, *, today: date) -> MrzData:
    """Decode a TD1/TD2/TD3/MRV MRZ; `today` settles the century of two-digit years.

    Raises MrzError when the text is not an MRZ; a failed check digit is not an error.
    """
    lines = _clean_lines(text)
    layout = _choose_layout(lines)
    problems: list[str] = []
    number, number_check, optional_data = _document_number(layout, lines)
    surname, given_names = _names(layout.name_field.read(lines), problems)
    birth = _mrz_date(
        "date of birth", layout.date_of_birth.read(lines), problems, today=today, is_birth=True
    )
    expiry = _mrz_date(
        "expiry date", layout.expiry_date.read(lines), problems, today=today, is_birth=False
    )
    raw_issuer = layout.issuing_country.read(lines)
    raw_nationality = layout.nationality.read(lines)
    return MrzData(
        format=layout.format,
        document_code=layout.document_code.read(lines).rstrip("<"),
        issuing_country=_country(raw_issuer),
        surname=surname,
        given_names=given_names,
        document_number=number,
        nationality=_country(raw_nationality),
        date_of_birth=birth,
        sex=_sex(layout.sex.read(lines), problems),
        expiry_date=expiry,
        checks=(number_check, *_date_and_composite_checks(layout, lines)),
        layout=layout.name,
        raw_issuing_country=raw_issuer,
        raw_nationality=raw_nationality,
        optional_data=optional_data,
        optional_data_2=layout.optional_data_2.read(lines).strip("<")
        if layout.optional_data_2
        else "",
        name_truncated=not layout.name_field.read(lines).endswith("<"),
        problems=tuple(problems),
    )


def _document_number(layout: _Layout, lines: tuple[str, ...]) -> tuple[str, MrzCheck, str]:
    """(whole number, its check, the optional data left after any long-number overflow)."""
    principal = layout.document_number.read(lines)
    check_character = layout.document_number_check.read(lines)
    optional = layout.optional_data.read(lines)
    overflows = (
        layout.long_number_allowed and check_character == "<" and not optional.startswith("<")
    )
    if not overflows:
        check = _verify("document_number", principal, check_character)
        return principal.rstrip("<"), check, optional.strip("<")
    # "D23145890<7349<<<": the number goes on with "734", then its check digit "9".
    overflow, _, rest = optional.partition("<")
    number = principal + overflow[:-1]
    check = _verify("document_number", number, overflow[-1])
    return number, check, rest.strip("<")


def _date_and_composite_checks(layout: _Layout, lines: tuple[str, ...]) -> tuple[MrzCheck, ...]:
    checks = [
        _verify(
            "date_of_birth",
            layout.date_of_birth.read(lines),
            layout.date_of_birth_check.read(lines),
        ),
        _verify(
            "expiry_date", layout.expiry_date.read(lines), layout.expiry_date_check.read(lines)
        ),
    ]
    if layout.optional_data_check is not None:
        optional = layout.optional_data.read(lines)
        checks.append(_verify("optional_data", optional, layout.optional_data_check.read(lines)))
    if layout.composite_check is not None:
        data = "".join(span.read(lines) for span in layout.composite_data)
        checks.append(_verify("composite", data, layout.composite_check.read(lines)))
    return tuple(checks)


# Digits an OCR engine reads where only letters belong (names), and the reverse (dates).
_DIGITS_AS_LETTERS: Final = str.maketrans("012568", "OIZSGB")
_LETTERS_AS_DIGITS: Final = str.maketrans("OQDILZSGB", "000112568")


def _names(field: str, problems: list[str]) -> tuple[str, str]:
    """(surname, given names): split at the first '<<', fillers to spaces."""
    if any(character.isdigit() for character in field):
        problems.append(f"MRZ name {field.rstrip('<')} contains digits; read them as letters")
        field = field.translate(_DIGITS_AS_LETTERS)
    surname, _, given = field.strip("<").partition("<<")
    return _spaced(surname), _spaced(given)


def _spaced(part: str) -> str:
    return " ".join(part.replace("<", " ").split())


def _mrz_date(
    label: str, raw: str, problems: list[str], *, today: date, is_birth: bool
) -> str | None:
    """YYMMDD to "YYYY-MM-DD" (or partial); None when blank or unreadable."""
    if set(raw) <= {"<"}:
        return None
    digits = raw.translate(_LETTERS_AS_DIGITS)
    if digits != raw and digits.replace("<", "").isdigit():
        problems.append(f"MRZ {label} {raw} contains letters; read as {digits}")
    try:
        return _decode_date(digits, today, is_birth)
    except ValueError as error:
        problems.append(f"MRZ {label} {raw} is not a date: {error}")
        return None


def _decode_date(digits: str, today: date, is_birth: bool) -> str:
    year_digits, month_digits, day_digits = digits[0:2], digits[2:4], digits[4:6]
    if not year_digits.isdigit():
        raise ValueError("the year is unreadable")
    month = _optional_number(month_digits)
    day = _optional_number(day_digits) if month is not None else None
    if is_birth:
        year = _birth_year(int(year_digits), month, day, today)
    else:
        year = _nearest_year(int(year_digits), today)
    return PartialDate(year, month, day).isoformat()


def _optional_number(digits: str) -> int | None:
    """Two digits, or None for '<<' / '00' (unknown month or day)."""
    if digits in ("<<", "00"):
        return None
    if not digits.isdigit():
        raise ValueError(f"{digits!r} is neither a number nor '<<'")
    return int(digits)


def _birth_year(two_digits: int, month: int | None, day: int | None, today: date) -> int:
    """The latest year ending in `two_digits` that does not put the birth in the future."""
    year = today.year - (today.year - two_digits) % 100
    if (year, month or 1, day or 1) > (today.year, today.month, today.day):
        year -= 100
    return year


def _nearest_year(two_digits: int, today: date) -> int:
    """The year ending in `two_digits` nearest to today (expiry dates lie either side)."""
    year = today.year - (today.year - two_digits) % 100
    return year + 100 if year + 100 - today.year <= today.year - year else year


_SEXES: Final = MappingProxyType({"M": "M", "F": "F", "X": "X", "<": None})


def _sex(code: str, problems: list[str]) -> str | None:
    if code in _SEXES:
        return _SEXES[code]
    problems.append(f"MRZ sex code {code!r} is not M, F, X or '<'")
    return None
