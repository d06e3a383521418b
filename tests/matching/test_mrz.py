"""MRZ parsing: ICAO 9303 specimens, corrupted copies, tolerant input, and a fuzz property."""

from __future__ import annotations

import contextlib
import re
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from alertd.matching.mrz import MrzData, MrzError, compute_check_digit, iso_country, parse_mrz

TODAY = date(2026, 11, 25)

# ICAO 9303 Part 4, Appendix (TD3 passport specimen).
TD3 = (
    "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
    "L898902C36UTO7408122F1204159ZE184226B<<<<<10",
)
# ICAO 9303 Part 5 (TD1 card specimen).
TD1 = (
    "I<UTOD231458907<<<<<<<<<<<<<<<",
    "7408122F1204159UTO<<<<<<<<<<<6",
    "ERIKSSON<<ANNA<MARIA<<<<<<<<<<",
)
# ICAO 9303 Part 6 (TD2 card specimen).
TD2 = (
    "I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<",
    "D231458907UTO7408122F1204159<<<<<<<6",
)
# ICAO 9303 Part 11, Appendix D.2: a document number longer than nine characters.
TD1_LONG_NUMBER = (
    "I<UTOD23145890<7349<<<<<<<<<<<",
    "3407127M9507122UTO<<<<<<<<<<<2",
    "STEVENSON<<PETER<JOHN<<<<<<<<<",
)
TD2_LONG_NUMBER = (
    "I<UTOSTEVENSON<<PETER<JOHN<<<<<<<<<<",
    "D23145890<UTO3407127M95071227349<<<8",
)
# ICAO 9303 Part 7 visa specimens.
MRV_A = (
    "V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
    "L8988901C4XXX4009078F96121096ZE184226B<<<<<<",
)
MRV_B = (
    "V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<",
    "L8988901C4XXX4009078F9612109<<<<<<<<",
)
# The German passport specimen (issuer and nationality written "D<<").
GERMAN_TD3 = (
    "P<D<<MUSTERMANN<<ERIKA<<<<<<<<<<<<<<<<<<<<<<",
    "C01X00T478D<<6408125F2702283<<<<<<<<<<<<<<<4",
)


def parse(lines: tuple[str, ...] | list[str], today: date = TODAY) -> MrzData:
    return parse_mrz("\n".join(lines), today=today)


def failed_checks(data: MrzData) -> set[str]:
    return {check.field for check in data.checks if not check.ok}


def replace(lines: tuple[str, ...], line: int, column: int, character: str) -> tuple[str, ...]:
    """A copy of `lines` with one character changed (0-based line and column)."""
    changed = list(lines)
    text = changed[line]
    changed[line] = text[:column] + character + text[column + 1 :]
    return tuple(changed)


def td3(
    *,
    name: str = "ERIKSSON<<ANNA<MARIA",
    number: str = "L898902C3",
    birth: str = "740812",
    sex: str = "F",
    expiry: str = "120415",
    issuer: str = "UTO",
    nationality: str = "UTO",
    code: str = "P<",
) -> tuple[str, str]:
    """A TD3 MRZ with correct check digits for the given fields."""
    number = number.ljust(9, "<")
    optional = "<" * 14
    upper = (code + issuer + name).ljust(44, "<")
    body = (
        number
        + compute_check_digit(number)
        + nationality
        + birth
        + compute_check_digit(birth)
        + sex
        + expiry
        + compute_check_digit(expiry)
        + optional
        + "<"
    )
    composite_data = body[0:10] + body[13:20] + body[21:43]
    return upper, body + compute_check_digit(composite_data)


# --- the specimens ----------------------------------------------------------------------------


def test_td3_specimen() -> None:
    data = parse(TD3)
    assert (data.format, data.layout, data.document_code) == ("TD3", "TD3", "P")
    assert (data.surname, data.given_names) == ("ERIKSSON", "ANNA MARIA")
    assert data.full_name == "ANNA MARIA ERIKSSON"
    assert data.document_number == "L898902C3"
    assert (data.issuing_country, data.nationality) == ("UTO", "UTO")
    assert data.date_of_birth == "1974-08-12"
    assert data.expiry_date == "2012-04-15"
    assert data.sex == "F"
    assert data.optional_data == "ZE184226B"
    assert data.document_type == "passport"
    assert {check.field for check in data.checks} == {
        "document_number",
        "date_of_birth",
        "expiry_date",
        "optional_data",
        "composite",
    }
    assert data.valid
    assert data.warnings() == ()


def test_td1_specimen() -> None:
    data = parse(TD1)
    assert (data.format, data.document_code, data.document_type) == ("TD1", "I", "national_id")
    assert (data.surname, data.given_names) == ("ERIKSSON", "ANNA MARIA")
    assert data.document_number == "D23145890"
    assert (data.date_of_birth, data.expiry_date, data.sex) == ("1974-08-12", "2012-04-15", "F")
    assert data.nationality == "UTO"
    assert {check.field for check in data.checks} == {
        "document_number",
        "date_of_birth",
        "expiry_date",
        "composite",
    }
    assert data.valid


def test_td2_specimen() -> None:
    data = parse(TD2)
    assert (data.format, data.document_code) == ("TD2", "I")
    assert (data.surname, data.given_names) == ("ERIKSSON", "ANNA MARIA")
    assert data.document_number == "D23145890"
    assert (data.date_of_birth, data.expiry_date, data.sex) == ("1974-08-12", "2012-04-15", "F")
    assert data.valid


@pytest.mark.parametrize("lines", [TD1_LONG_NUMBER, TD2_LONG_NUMBER], ids=["TD1", "TD2"])
def test_long_document_number_continues_in_optional_data(lines: tuple[str, ...]) -> None:
    data = parse(lines)
    assert data.document_number == "D23145890734"
    assert data.optional_data == ""
    assert data.valid, data.warnings()
    # Born in '34, today is 2026: 2034 would be in the future, so 1934.
    assert data.date_of_birth == "1934-07-12"
    assert data.expiry_date == "1995-07-12"
    assert (data.surname, data.given_names, data.sex) == ("STEVENSON", "PETER JOHN", "M")


def test_long_number_check_digit_is_verified() -> None:
    corrupted = replace(TD1_LONG_NUMBER, 0, 18, "8")  # the long number's check digit
    data = parse(corrupted)
    assert data.document_number == "D23145890734"
    assert failed_checks(data) == {"document_number", "composite"}


def test_long_number_marker_without_continuation_is_a_failed_check() -> None:
    data = parse(("I<UTOD23145890<<<<<<<<<<<<<<<<", *TD1[1:]))
    assert data.document_number == "D23145890"
    assert "document_number" in failed_checks(data)
    assert any("document number failed (missing" in warning for warning in data.warnings())


@pytest.mark.parametrize(("lines", "layout"), [(MRV_A, "MRV-A"), (MRV_B, "MRV-B")])
def test_visa_specimens(lines: tuple[str, ...], layout: str) -> None:
    data = parse(lines)
    assert data.layout == layout
    assert data.format == ("TD3" if layout == "MRV-A" else "TD2")
    assert data.is_visa
    assert data.document_type == "visa"
    assert data.document_number == "L8988901C"
    assert data.nationality == "XXX"
    assert data.nationality_iso is None
    assert (data.date_of_birth, data.expiry_date) == ("1940-09-07", "1996-12-10")
    # Visas carry no composite check digit.
    assert {check.field for check in data.checks} == {
        "document_number",
        "date_of_birth",
        "expiry_date",
    }
    assert data.valid


def test_german_specimen_maps_d_to_deu_and_keeps_the_raw_code() -> None:
    data = parse(GERMAN_TD3, today=date(2026, 1, 1))
    assert data.valid
    assert (data.issuing_country, data.raw_issuing_country) == ("DEU", "D<<")
    assert (data.nationality, data.raw_nationality) == ("DEU", "D<<")
    assert data.issuing_country_iso == data.nationality_iso == "DEU"
    assert (data.surname, data.given_names, data.document_number) == (
        "MUSTERMANN",
        "ERIKA",
        "C01X00T47",
    )
    assert data.date_of_birth == "1964-08-12"


@pytest.mark.parametrize(
    ("code", "iso"),
    [
        ("D<<", "DEU"),
        ("D", "DEU"),
        ("GBD", "GBR"),
        ("GBN", "GBR"),
        ("RKS", "XKX"),
        ("FRA", "FRA"),
        ("fra", "FRA"),
        ("XXA", None),
        ("XXB", None),
        ("UNO", None),
        ("XPO", None),
        ("EUE", None),
        ("<<<", None),
        ("12A", None),
    ],
)
def test_iso_country(code: str, iso: str | None) -> None:
    assert iso_country(code) == iso


# --- check digits: each one flipped ------------------------------------------------------------

CHECK_DIGIT_POSITIONS = [
    # (specimen, line, column, the check that must fail)
    ("TD3", TD3, 1, 9, "document_number"),
    ("TD3", TD3, 1, 19, "date_of_birth"),
    ("TD3", TD3, 1, 27, "expiry_date"),
    ("TD3", TD3, 1, 42, "optional_data"),
    ("TD3", TD3, 1, 43, "composite"),
    ("TD1", TD1, 0, 14, "document_number"),
    ("TD1", TD1, 1, 6, "date_of_birth"),
    ("TD1", TD1, 1, 14, "expiry_date"),
    ("TD1", TD1, 1, 29, "composite"),
    ("TD2", TD2, 1, 9, "document_number"),
    ("TD2", TD2, 1, 19, "date_of_birth"),
    ("TD2", TD2, 1, 27, "expiry_date"),
    ("TD2", TD2, 1, 35, "composite"),
    ("MRV-A", MRV_A, 1, 9, "document_number"),
    ("MRV-A", MRV_A, 1, 19, "date_of_birth"),
    ("MRV-A", MRV_A, 1, 27, "expiry_date"),
]


@pytest.mark.parametrize(
    ("lines", "line", "column", "field"),
    [case[1:] for case in CHECK_DIGIT_POSITIONS],
    ids=[f"{case[0]}-{case[4]}" for case in CHECK_DIGIT_POSITIONS],
)
def test_each_flipped_check_digit_is_reported_not_raised(
    lines: tuple[str, ...], line: int, column: int, field: str
) -> None:
    digit = int(lines[line][column])
    data = parse(replace(lines, line, column, str((digit + 1) % 10)))
    failed = failed_checks(data)
    assert field in failed
    # A check digit is itself covered by the composite check (where there is one), and
    # nothing else may fail.
    assert failed <= {field, "composite"}
    assert not data.valid
    assert len(data.warnings()) == len(failed)
    assert all(warning.startswith("MRZ check digit for") for warning in data.warnings())
    # Screening still gets the fields.
    assert data.surname == "ERIKSSON"
    assert data.date_of_birth is not None


def test_warning_names_the_field_and_both_digits() -> None:
    data = parse(replace(TD3, 1, 9, "5"))
    assert data.warnings()[0] == (
        "MRZ check digit for document number failed (found 5, computed 6)"
    )


@pytest.mark.parametrize(
    ("line", "column", "character", "expected_failures"),
    [
        (1, 5, "O", {"document_number", "composite"}),  # 0 read as O in the number
        (1, 16, "7", {"date_of_birth", "composite"}),  # 8 read as 7 in the birth date
        (1, 24, "1", {"expiry_date", "composite"}),  # 4 read as 1 in the expiry date
        (1, 29, "F", {"optional_data", "composite"}),  # E read as F in the personal number
    ],
)
def test_ocr_confused_character_fails_its_checks(
    line: int, column: int, character: str, expected_failures: set[str]
) -> None:
    data = parse(replace(TD3, line, column, character))
    assert failed_checks(data) == expected_failures


def test_ocr_confused_number_still_matches_through_the_confusable_key() -> None:
    from alertd.matching.documents import confusable_key

    data = parse(replace(TD3, 1, 5, "O"))
    assert data.document_number == "L8989O2C3"
    assert confusable_key(data.document_number) == confusable_key("L898902C3")


def test_letters_in_a_date_are_read_as_digits_and_reported() -> None:
    data = parse(replace(TD3, 1, 14, "A"))  # not confusable: unreadable
    assert data.date_of_birth is None
    assert any("date of birth" in problem for problem in data.problems)

    data = parse(replace(TD3, 1, 16, "B"))  # 8 misread as B
    assert data.date_of_birth == "1974-08-12"
    assert any("read as 740812" in problem for problem in data.problems)
    assert "date_of_birth" in failed_checks(data)


def test_digits_in_a_name_are_read_as_letters_and_reported() -> None:
    data = parse(replace(TD3, 0, 11, "0"))  # ERIKSS0N
    assert data.surname == "ERIKSSON"
    assert not data.valid
    assert any("contains digits" in warning for warning in data.warnings())


# --- dates, sex, names ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("birth", "today", "expected"),
    [
        ("740812", TODAY, "1974-08-12"),
        ("100101", TODAY, "2010-01-01"),
        ("261125", date(2026, 11, 25), "2026-11-25"),  # born today: not in the future
        ("261126", date(2026, 11, 25), "1926-11-26"),  # tomorrow would be the future
        ("26<<<<", date(2026, 11, 25), "2026"),
        ("2612<<", date(2026, 11, 25), "1926-12"),
        ("74<<<<", TODAY, "1974"),
        ("7408<<", TODAY, "1974-08"),
        ("740000", TODAY, "1974"),
        ("740800", TODAY, "1974-08"),
        ("<<<<<<", TODAY, None),
    ],
)
def test_birth_date_century_and_partial_dates(
    birth: str, today: date, expected: str | None
) -> None:
    data = parse(td3(birth=birth), today=today)
    assert data.date_of_birth == expected
    assert data.valid, data.warnings()


@pytest.mark.parametrize(
    ("expiry", "expected"),
    [("120415", "2012-04-15"), ("350101", "2035-01-01"), ("951231", "1995-12-31")],
)
def test_expiry_century_is_the_nearest(expiry: str, expected: str) -> None:
    assert parse(td3(expiry=expiry)).expiry_date == expected


def test_blank_birth_date_with_filler_check_digit_is_accepted() -> None:
    upper, lower = td3(birth="<<<<<<")
    lower = lower[:19] + "<" + lower[20:]
    data = parse((upper, lower))
    assert data.date_of_birth is None
    assert "date_of_birth" not in failed_checks(data)


@pytest.mark.parametrize("birth", ["741332", "740230", "74AB12"])
def test_impossible_dates_are_problems_not_errors(birth: str) -> None:
    data = parse(td3(birth=birth))
    assert data.date_of_birth is None
    assert not data.valid
    assert any(f"date of birth {birth} is not a date" in problem for problem in data.problems)


@pytest.mark.parametrize(("code", "sex"), [("M", "M"), ("F", "F"), ("X", "X"), ("<", None)])
def test_sex_codes(code: str, sex: str | None) -> None:
    data = parse(td3(sex=code))
    assert data.sex == sex
    assert data.valid


def test_unknown_sex_code_is_a_problem() -> None:
    data = parse(td3(sex="Q"))
    assert data.sex is None
    assert data.problems == ("MRZ sex code 'Q' is not M, F, X or '<'",)


def test_names_with_several_parts_and_no_given_name() -> None:
    data = parse(td3(name="VAN<DER<BERG<<JAN<PIETER<KLAAS"))
    assert (data.surname, data.given_names) == ("VAN DER BERG", "JAN PIETER KLAAS")
    mononym = parse(td3(name="SUKARNO"))
    assert (mononym.surname, mononym.given_names) == ("SUKARNO", "")


def test_truncated_name_is_flagged() -> None:
    name = "ABDULRAHMANBINMOHAMMEDALSAUD<<FAISALABDULLAZIZ"[:39]
    data = parse(td3(name=name))
    assert data.name_truncated
    assert not parse(TD3).name_truncated


def test_stateless_nationality_has_no_iso_code() -> None:
    data = parse(td3(nationality="XXA"))
    assert data.nationality == "XXA"
    assert data.nationality_iso is None


# --- tolerant input -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "\n".join(TD3).lower(),
        "  " + TD3[0] + "  \r\n\t" + TD3[1] + " \r\n",
        "\n\n" + TD3[0] + "\n\n" + TD3[1] + "\n\n",
        TD3[0] + "\r" + TD3[1],
    ],
    ids=["lower-case", "crlf-and-spaces-around", "blank-lines", "bare-cr"],
)
def test_tolerated_input_gives_the_same_result(text: str) -> None:
    assert parse_mrz(text, today=TODAY) == parse(TD3)


# --- not an MRZ ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "MRZ has 0 lines"),
        ("   \n  ", "MRZ has 0 lines"),
        (TD3[0], "MRZ has 1 line;"),
        ("\n".join((*TD1, TD1[2])), "MRZ has 4 lines"),
        ("\n".join(TD1[:2]), "MRZ line 1 has 30 characters; a 2-line MRZ has lines of 36 or 44"),
        ("\n".join((*TD3, TD3[1])), "MRZ line 1 has 44 characters; a 3-line MRZ has lines of 30"),
        ("\n".join((TD3[0], TD3[1][:-1])), "MRZ line 2 has 43 characters; expected 44"),
        ("\n".join((TD3[0] + "<", TD3[1])), "MRZ line 1 has 45 characters; expected 44"),
        ("\n".join((TD3[0], TD2[1])), "MRZ line 2 has 36 characters; expected 44"),
        ("\n".join((TD1[0], TD1[1][:-1], TD1[2])), "MRZ line 2 has 29 characters"),
    ],
)
def test_wrong_shapes_raise_mrz_error(text: str, message: str) -> None:
    with pytest.raises(MrzError, match="^" + re.escape(message)):
        parse_mrz(text, today=TODAY)


def test_space_inside_a_line_names_line_and_column() -> None:
    text = "\n".join((TD3[0], TD3[1][:10] + " " + TD3[1][11:]))
    with pytest.raises(MrzError) as raised:
        parse_mrz(text, today=TODAY)
    assert str(raised.value) == (
        "MRZ line 2, column 11: ' ' is not allowed; only A-Z, 0-9 and '<' (use '<' for blanks)"
    )


@pytest.mark.parametrize("character", ["#", "«", "É", "-", "ｌ"])
def test_foreign_characters_raise_mrz_error(character: str) -> None:
    text = "\n".join((TD3[0][:5] + character + TD3[0][6:], TD3[1]))
    with pytest.raises(MrzError, match="MRZ line 1, column 6"):
        parse_mrz(text, today=TODAY)


def test_mrz_error_is_a_value_error() -> None:
    assert issubclass(MrzError, ValueError)


def test_check_digit_function_on_icao_examples() -> None:
    assert compute_check_digit("L898902C3") == "6"
    assert compute_check_digit("740812") == "2"
    assert compute_check_digit("D23145890734") == "9"
    assert compute_check_digit("<<<<<<") == "0"


# --- properties -------------------------------------------------------------------------------

MRZ_CHARACTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<<<<<<<<"
mrz_lines = st.sampled_from([30, 36, 44]).flatmap(
    lambda width: st.lists(
        st.text(alphabet=MRZ_CHARACTERS, min_size=width, max_size=width),
        min_size=2,
        max_size=3,
    )
)


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_arbitrary_text_raises_only_mrz_error(text: str) -> None:
    with contextlib.suppress(MrzError):
        parse_mrz(text, today=TODAY)


@settings(max_examples=300, deadline=None)
@given(mrz_lines, st.sampled_from(["\n", "\r\n", "\r"]), st.booleans())
def test_mrz_shaped_noise_raises_only_mrz_error(
    lines: list[str], separator: str, lower: bool
) -> None:
    text = separator.join(lines)
    try:
        data = parse_mrz(text.lower() if lower else text, today=TODAY)
    except MrzError:
        return
    # Whatever decodes is consistent: failed checks are exactly the check warnings.
    check_warnings = [w for w in data.warnings() if w.startswith("MRZ check digit")]
    assert len(check_warnings) == len(failed_checks(data))
    assert data.valid == (not data.warnings())


@settings(max_examples=200, deadline=None)
@given(
    st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", min_size=1, max_size=9),
    st.dates(min_value=date(1927, 1, 1), max_value=TODAY),
    st.dates(min_value=date(1990, 1, 1), max_value=date(2060, 12, 31)),
)
def test_generated_td3_round_trips(number: str, birth: date, expiry: date) -> None:
    data = parse(
        td3(number=number, birth=birth.strftime("%y%m%d"), expiry=expiry.strftime("%y%m%d"))
    )
    assert data.valid, data.warnings()
    assert data.document_number == number
    assert data.date_of_birth == birth.isoformat()
    assert data.expiry_date == expiry.isoformat()
