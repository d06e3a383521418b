"""The validation every importer shares: what is kept, what is dropped and counted."""

from __future__ import annotations

import pytest

from alertd.importers import ImportReport
from alertd.importers.builder import EntryBuilder
from alertd.importers.countries import CountryResolver
from alertd.importers.model import MAX_DATES_OF_BIRTH, MAX_NAME_LENGTH, MAX_NAMES


@pytest.fixture(scope="module")
def countries() -> CountryResolver:
    return CountryResolver()


@pytest.fixture
def report() -> ImportReport:
    return ImportReport(source="test")


def test_parts_are_validated_and_deduplicated(
    countries: CountryResolver, report: ImportReport
) -> None:
    builder = EntryBuilder("T-1", report, countries)
    builder.add_name("  SOK   Chan ", family="SOK", given="Chan")
    builder.add_name("sok chan")  # the same name in other case
    builder.add_name("???")
    builder.add_date_of_birth("1985-03-02")
    builder.add_date_of_birth("1985-02-30")
    builder.add_date_of_birth("1985-03-02")
    builder.add_nationality("Cambodia")
    builder.add_nationality("Kampuchea")
    builder.add_nationality("cambodia")
    builder.add_document("passport", "N 01234567", None)
    builder.add_document("passport", "N01234567", "Cambodia")  # same number, now with a country
    builder.add_document("national_id", "no number here", "Cambodia")
    builder.add_sex("M")
    entry = builder.build(reason="  a   reason ")
    assert entry is not None
    assert entry.to_dict() == {
        "external_ref": "T-1",
        "names": [{"full": "SOK Chan", "family": "SOK", "given": "Chan"}],
        "dates_of_birth": ["1985-03-02"],
        "nationalities": ["KHM"],
        "documents": [{"type": "passport", "number": "N01234567", "country": "KHM"}],
        "reason": "a reason",
        "sex": "M",
    }
    assert report.dropped == {
        "name: no letters": 1,
        "date of birth: not a plausible date": 1,
        "nationality: unknown country": 1,
        "national_id: no usable number": 1,
    }
    assert report.examples["nationality: unknown country"] == ["Kampuchea"]


def test_contradictory_sex_is_left_out(countries: CountryResolver, report: ImportReport) -> None:
    builder = EntryBuilder("T-2", report, countries)
    builder.add_name("A B")
    builder.add_sex("M")
    builder.add_sex("F")
    entry = builder.build(reason="r")
    assert entry is not None
    assert entry.sex is None
    assert report.dropped == {"sex: contradictory values": 1}


def test_no_usable_name_means_no_entry(countries: CountryResolver, report: ImportReport) -> None:
    builder = EntryBuilder("T-3", report, countries)
    builder.add_name("123")
    builder.add_date_of_birth("1970")
    assert builder.build(reason="r") is None
    assert report.skipped == {"record: no usable name": 1}


def test_the_service_limits_are_kept(countries: CountryResolver, report: ImportReport) -> None:
    builder = EntryBuilder("T-4", report, countries)
    for number in range(MAX_NAMES + 3):
        builder.add_name(f"Name {number} X")
    builder.add_name("Y" * (MAX_NAME_LENGTH + 1))
    for year in range(1900, 1900 + MAX_DATES_OF_BIRTH + 1):
        builder.add_date_of_birth(str(year))
    entry = builder.build(reason="x" * 5000)
    assert entry is not None
    assert len(entry.names) == MAX_NAMES
    assert entry.names[0].full == "Name 0 X"
    assert len(entry.dates_of_birth) == MAX_DATES_OF_BIRTH
    assert len(entry.reason) == 4000
    assert entry.reason.endswith("…")
    assert report.dropped == {
        f"name: longer than {MAX_NAME_LENGTH} characters": 1,
        f"names: over the service's limit of {MAX_NAMES}": 1,
        f"dates of birth: over the service's limit of {MAX_DATES_OF_BIRTH}": 1,
    }


def test_summary_lines(report: ImportReport) -> None:
    report.records_read = 3
    report.entries_emitted = 1
    report.skip("record: entity")
    report.skip("record: entity")
    report.drop("alias: weak", "ABU X")
    assert report.summary_lines() == [
        "test: read 3 records, emitted 1 entries",
        "  skipped      2  record: entity",
        "  dropped      1  alias: weak  e.g. 'ABU X'",
    ]
