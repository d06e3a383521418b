"""The OFAC remarks parser on the statements the real list contains, tricky ones first."""

from __future__ import annotations

import pytest

from alertd.importers.remarks import (
    RemarkDocument,
    RemarkProblem,
    UnreadableDate,
    parse_date_of_birth,
    parse_remarks,
    split_statements,
)


@pytest.mark.parametrize(
    ("value", "dates"),
    [
        ("12 Jan 1965", ("1965-01-12",)),
        ("1966", ("1966",)),
        ("Jan 1965", ("1965-01",)),
        ("circa 1970", ("1970",)),
        ("1960 to 1962", ("1960", "1961", "1962")),
        ("01 Jan 1960 to 31 Dec 1962", ("1960", "1961", "1962")),
        ("circa 1979-1982", ("1979", "1980", "1981", "1982")),
        ("02 Feb 1970 to 02 Feb 1970", ("1970-02-02",)),  # a "range" of one day
        ("1965.", ("1965",)),
    ],
)
def test_date_of_birth_values(value: str, dates: tuple[str, ...]) -> None:
    assert parse_date_of_birth(value) == dates


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("unknown", "date of birth: unreadable"),
        ("1920 to 1960", "date of birth: range reversed or over 10 years"),
        ("1962 to 1960", "date of birth: range reversed or over 10 years"),
        ("1960 to sometime", "date of birth: unreadable range"),
    ],
)
def test_unreadable_date_of_birth_says_why(value: str, reason: str) -> None:
    with pytest.raises(UnreadableDate, match=reason):
        parse_date_of_birth(value)


def test_statements_split_and_lose_their_full_stop() -> None:
    assert split_statements("DOB 1965; nationality Iraq.; ; Gender Male.") == [
        "DOB 1965",
        "nationality Iraq",
        "Gender Male",
    ]


def test_a_typical_remark() -> None:
    parsed = parse_remarks(
        "DOB 12 Jan 1965; alt. DOB 1966; POB Baghdad, Iraq; nationality Iraq; "
        "citizen Iraq; Gender Male; Passport A1234567 (Iraq) issued 12 Jan 2000 "
        "expires 11 Jan 2010; alt. Passport 12345; National ID No. 660000 73767 "
        "(Belgium); Linked To: SOME COMPANY LTD."
    )
    assert parsed.dates_of_birth == ("1965-01-12", "1966")
    assert parsed.nationalities == ("Iraq", "Iraq")  # the builder keeps it once
    assert parsed.sexes == ("M",)
    assert parsed.documents == (
        RemarkDocument("passport", "A1234567", "Iraq"),
        RemarkDocument("passport", "12345", None),
        RemarkDocument("national_id", "660000 73767", "Belgium"),
    )
    assert parsed.problems == ()


def test_country_names_with_commas_stay_whole() -> None:
    parsed = parse_remarks(
        "nationality Korea, North; Passport 745420176 (Korea, North) issued 2015; "
        "citizen Congo, Democratic Republic of the"
    )
    assert parsed.nationalities == ("Korea, North", "Congo, Democratic Republic of the")
    assert parsed.documents == (RemarkDocument("passport", "745420176", "Korea, North"),)


@pytest.mark.parametrize(
    ("statement", "document"),
    [
        ("Diplomatic Passport A0002987 (Iran)", RemarkDocument("passport", "A0002987", "Iran")),
        ("alt. Diplomatic Passport D009889", RemarkDocument("passport", "D009889", None)),
        (
            "Passport Booklet A5250088 (Pakistan)",
            RemarkDocument("passport", "A5250088", "Pakistan"),
        ),
        ("Passport #H1234567 (Iraq)", RemarkDocument("passport", "#H1234567", "Iraq")),
        (
            "Travel Document Number A0020375 (Germany)",
            RemarkDocument("travel_document", "A0020375", "Germany"),
        ),
        ("Cedula No. 16247821 (Colombia)", RemarkDocument("national_id", "16247821", "Colombia")),
        ("D.N.I. 78.865.882 (Spain)", RemarkDocument("national_id", "78.865.882", "Spain")),
        (
            "National ID No. D489833(9) (Hong Kong)",
            RemarkDocument("national_id", "D489833(9)", "Hong Kong"),
        ),
        (
            "Citizen's Card Number 211226197812154256 (China)",
            RemarkDocument("national_id", "211226197812154256", "China"),
        ),
    ],
)
def test_document_labels(statement: str, document: RemarkDocument) -> None:
    assert parse_remarks(statement).documents == (document,)


@pytest.mark.parametrize(
    "statement",
    [
        "SSN 523-33-8386 (United States)",
        "Tax ID No. 02681293-E (Spain)",
        "Driver's License No. 180839 (Mexico)",
        "C.U.R.P. AIMM67125HCHRRG06 (Mexico)",
        "Identification Number 2.194.575 (Paraguay)",
        "Passporter 123",  # a word that merely starts like a label
    ],
)
def test_other_identifiers_are_not_documents(statement: str) -> None:
    parsed = parse_remarks(statement)
    assert parsed.documents == ()
    assert parsed.problems == ()


def test_passport_statements_without_a_number_are_problems() -> None:
    parsed = parse_remarks("Passport issued in Sarajevo, Bosnia-Herzegovina; Passport")
    assert parsed.documents == ()
    assert [problem.reason for problem in parsed.problems] == [
        "passport: no usable number",
        "passport: no usable number",
    ]


def test_gender_with_and_without_full_stop() -> None:
    assert parse_remarks("Gender Female.").sexes == ("F",)
    assert parse_remarks("Gender Male").sexes == ("M",)
    assert parse_remarks("Gender Unknown").sexes == ()


def test_weak_aliases_are_collected_not_parsed_as_names() -> None:
    parsed = parse_remarks("a.k.a. 'ABU HAFS'; a.k.a. 'EL DJAZAIRI, Abou Yasser'; f.k.a. 'X'")
    assert parsed.weak_aliases == ("ABU HAFS", "EL DJAZAIRI, Abou Yasser", "X")


def test_unreadable_dob_is_reported_with_its_text() -> None:
    parsed = parse_remarks("DOB sometime in the sixties; DOB 1965")
    assert parsed.dates_of_birth == ("1965",)
    assert parsed.problems == (
        RemarkProblem("date of birth: unreadable", "DOB sometime in the sixties"),
    )


def test_statements_that_are_not_entry_fields_are_ignored() -> None:
    parsed = parse_remarks(
        "POB Giza, Egypt; Linked To: HIZBALLAH; Email Address x@example.org; "
        "Additional Sanctions Information - Subject to Secondary Sanctions"
    )
    assert parsed == type(parsed)()
