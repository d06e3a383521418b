from __future__ import annotations

import pytest

from alertd.importers.documents import clean_document_number


@pytest.mark.parametrize(
    ("raw", "number"),
    [
        ("A1234567", "A1234567"),
        ("A1234567.", "A1234567"),
        ("#H1234567", "H1234567"),
        ("OB 0243318", "OB 0243318"),
        ("96 03 464086", "96 03 464086"),
        ("TR-P 614166", "TR-P 614166"),
        ("D489833(9)", "D4898339"),  # Hong Kong check digit, brackets dropped
        ("CAR diplomatic passport no. D00000898", "D00000898"),
        ("Congo service passport number SA0020249", "SA0020249"),
        ("Afghan passport number SE 012820", "SE 012820"),
        ("German travel document (“Reiseausweis”) A 0139243", "A 0139243"),
        ("Libya B/002210", "B/002210"),
        ("381110042 (Expired 25 Jan. 2016)", "381110042"),
        ("R00012098, South Sudan", "R00012098"),
        ("Social Security Number 423-31-3021 (US)", "423-31-3021"),
        ("AF465508 Colombia", "AF465508"),
        ("Booklet A5250088", "A5250088"),
    ],
)
def test_numbers_are_cut_out_of_prose(raw: str, number: str) -> None:
    assert clean_document_number(raw) == number


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "Passport",
        "issued in Sarajevo",
        "Laissez-passer no. N°235/MISPAT/DIRCAB/DGPC/DGAEI/SI/SP",  # too long to be one
        "N°235",  # a character the service refuses
    ],
)
def test_no_number_is_none(raw: str) -> None:
    assert clean_document_number(raw) is None
