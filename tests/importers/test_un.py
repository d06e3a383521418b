"""UN consolidated list import: the real 2026-02-27 list by counts, choices on small XML."""

from __future__ import annotations

import io
import re
from pathlib import Path
from xml.etree.ElementTree import ParseError

import pytest
from defusedxml import DTDForbidden, EntitiesForbidden

from alertd.importers import ImportedEntry, ImportReport, iter_un_entries
from alertd.importers.un import classify_document, split_alias
from tests.importers.validity import assert_valid_entry

UN_FILE = "un_consolidated_2026-02-27/UN_consolidated.xml"


@pytest.fixture(scope="module")
def un_list(watchlists: Path) -> tuple[list[ImportedEntry], ImportReport]:
    report = ImportReport(source="un")
    return list(iter_un_entries(watchlists / UN_FILE, report=report)), report


@pytest.fixture(scope="module")
def raw_individuals(watchlists: Path) -> dict[str, str]:
    """REFERENCE_NUMBER → the raw text of its <INDIVIDUAL> block: a grep-level view."""
    text = (watchlists / UN_FILE).read_text(encoding="utf-8")
    blocks = re.findall(r"<INDIVIDUAL>.*?</INDIVIDUAL>", text, re.DOTALL)
    return {
        re.search(r"<REFERENCE_NUMBER>([^<]+)<", block)[1]: block  # type: ignore[index]
        for block in blocks
    }


def refs(entries: list[ImportedEntry], *, document_type: str | None = None) -> set[str]:
    return {
        entry.external_ref.removeprefix("UN-")
        for entry in entries
        if document_type is None or any(d.type == document_type for d in entry.documents)
    }


def test_counts(un_list: tuple[list[ImportedEntry], ImportReport]) -> None:
    entries, report = un_list
    # grep -c '<INDIVIDUAL>' → 730, grep -c '<ENTITY>' → 273 (the README says the same)
    assert len(entries) == report.entries_emitted == 730
    assert report.records_read == 1003
    assert report.skipped == {"record: entity": 273}
    documents = [document for entry in entries for document in entry.documents]
    assert sum(document.type == "passport" for document in documents) == 306
    assert sum(document.type == "travel_document" for document in documents) == 2
    assert sum(document.type == "national_id" for document in documents) == 116
    assert len(refs(entries, document_type="passport")) == 232
    assert sum(bool(entry.dates_of_birth) for entry in entries) == 678
    assert sum(len(entry.dates_of_birth) for entry in entries) == 959
    assert sum(bool(entry.nationalities) for entry in entries) == 624
    assert sum(entry.sex is not None for entry in entries) == 54
    assert sum(len(entry.names) for entry in entries) == 2626
    assert report.dropped["alias: quality 'Low' (not imported)"] == 615


def test_passports_agree_with_a_grep_of_the_raw_blocks(
    un_list: tuple[list[ImportedEntry], ImportReport], raw_individuals: dict[str, str]
) -> None:
    entries, _ = un_list
    assert set(raw_individuals) == refs(entries)
    # grep -c '<TYPE_OF_DOCUMENT>Passport</TYPE_OF_DOCUMENT>' → 308 (the README's count)
    assert (
        sum(block.count("<TYPE_OF_DOCUMENT>Passport<") for block in raw_individuals.values()) == 308
    )
    # The independent view: per person, the distinct NUMBERs with a digit of documents
    # that say passport anywhere but in their NOTE (in English, French or Spanish, in
    # the type, the subtype or the number's prose), travel documents aside.
    says_passport = re.compile(r"passport|passeport|pasaporte", re.IGNORECASE)
    travel = re.compile(r"travel document|laissez|reiseausweis", re.IGNORECASE)
    expected: dict[str, int] = {}
    for ref, block in raw_individuals.items():
        numbers = set()
        for document in re.findall(r"<INDIVIDUAL_DOCUMENT>.*?</INDIVIDUAL_DOCUMENT>", block, re.S):
            document = re.sub(r"<NOTE>.*?</NOTE>", "", document, flags=re.S)
            number = re.search(r"<NUMBER>([^<]*\d[^<]*)</NUMBER>", document)
            if number and says_passport.search(document) and not travel.search(document):
                numbers.add(number[1].strip())
        if numbers:
            expected[ref] = len(numbers)
    got = {
        entry.external_ref.removeprefix("UN-"): sum(d.type == "passport" for d in entry.documents)
        for entry in entries
        if any(d.type == "passport" for d in entry.documents)
    }
    assert got == expected
    assert sum(got.values()) == 306
    assert len(got) == 232


def test_dates_of_birth_agree_with_a_grep(
    un_list: tuple[list[ImportedEntry], ImportReport], raw_individuals: dict[str, str]
) -> None:
    entries, _ = un_list
    with_date = {
        ref
        for ref, block in raw_individuals.items()
        if re.search(r"<(DATE|YEAR|FROM_YEAR)>\d", block)
    }
    # One more than grep finds: CDi.004's only date is the NOTE "Nov. 1973".
    assert {e.external_ref.removeprefix("UN-") for e in entries if e.dates_of_birth} == (
        with_date | {"CDi.004"}
    )


def test_every_emitted_entry_is_valid(un_list: tuple[list[ImportedEntry], ImportReport]) -> None:
    for entry in un_list[0]:
        assert_valid_entry(entry.to_dict())


def test_a_real_entry(un_list: tuple[list[ImportedEntry], ImportReport]) -> None:
    by_ref = {entry.external_ref: entry.to_dict() for entry in un_list[0]}
    entry = by_ref["UN-IQi.004"]
    assert entry["names"][:2] == [
        {"full": "ABID HAMID MAHMUD AL-TIKRITI"},
        {"full": "عابد حامد محمود التكريتي"},  # NAME_ORIGINAL_SCRIPT, in its own script
    ]
    assert {"full": "Abid Hamid Bid Hamid Mahmud"} in entry["names"]
    assert entry["reason"].startswith("UN Security Council sanctions list Iraq, IQi.004, listed ")


# --- the choices, on a small made-up list ----------------------------------------------

SMALL_LIST = """<?xml version="1.0" encoding="UTF-8"?>
<CONSOLIDATED_LIST>
  <INDIVIDUALS>
    <INDIVIDUAL>
      <FIRST_NAME>CHAN</FIRST_NAME>
      <SECOND_NAME>SOK</SECOND_NAME>
      <UN_LIST_TYPE>Test</UN_LIST_TYPE>
      <REFERENCE_NUMBER>TSi.001</REFERENCE_NUMBER>
      <LISTED_ON>2020-01-02</LISTED_ON>
      <GENDER>Female</GENDER>
      <COMMENTS1>Made up for a test.</COMMENTS1>
      <NAME_ORIGINAL_SCRIPT>សុខ ចាន់</NAME_ORIGINAL_SCRIPT>
      <NATIONALITY><VALUE>Cambodia</VALUE><VALUE>na</VALUE></NATIONALITY>
      <INDIVIDUAL_ALIAS>
        <QUALITY>Good</QUALITY><ALIAS_NAME>Sokh Chann; Sok Chan</ALIAS_NAME>
      </INDIVIDUAL_ALIAS>
      <INDIVIDUAL_ALIAS>
        <QUALITY>Low</QUALITY><ALIAS_NAME>The Teacher</ALIAS_NAME>
      </INDIVIDUAL_ALIAS>
      <INDIVIDUAL_ALIAS><QUALITY/><ALIAS_NAME/></INDIVIDUAL_ALIAS>
      <INDIVIDUAL_DATE_OF_BIRTH>
        <TYPE_OF_DATE>EXACT</TYPE_OF_DATE><DATE>1985-03-02</DATE>
      </INDIVIDUAL_DATE_OF_BIRTH>
      <INDIVIDUAL_DATE_OF_BIRTH>
        <TYPE_OF_DATE>APPROXIMATELY</TYPE_OF_DATE><YEAR>1984</YEAR>
      </INDIVIDUAL_DATE_OF_BIRTH>
      <INDIVIDUAL_DATE_OF_BIRTH>
        <TYPE_OF_DATE>EXACT</TYPE_OF_DATE><YEAR>1983</YEAR><NOTE>Sep.</NOTE>
      </INDIVIDUAL_DATE_OF_BIRTH>
      <INDIVIDUAL_DATE_OF_BIRTH>
        <TYPE_OF_DATE>BETWEEN</TYPE_OF_DATE><FROM_YEAR>1980</FROM_YEAR><TO_YEAR>1981</TO_YEAR>
      </INDIVIDUAL_DATE_OF_BIRTH>
      <INDIVIDUAL_DATE_OF_BIRTH>
        <TYPE_OF_DATE>EXACT</TYPE_OF_DATE><NOTE>Nov. 1973 </NOTE>
      </INDIVIDUAL_DATE_OF_BIRTH>
      <INDIVIDUAL_DATE_OF_BIRTH>
        <TYPE_OF_DATE>APPROXIMATELY</TYPE_OF_DATE><NOTE>30-35 years old</NOTE>
      </INDIVIDUAL_DATE_OF_BIRTH>
      <INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE/></INDIVIDUAL_DATE_OF_BIRTH>
      <INDIVIDUAL_DOCUMENT>
        <TYPE_OF_DOCUMENT>Passport</TYPE_OF_DOCUMENT>
        <NUMBER>N01234567</NUMBER>
        <ISSUING_COUNTRY>Cambodia</ISSUING_COUNTRY>
      </INDIVIDUAL_DOCUMENT>
      <INDIVIDUAL_DOCUMENT>
        <TYPE_OF_DOCUMENT>Numéro de passeport </TYPE_OF_DOCUMENT>
        <NUMBER>CAR diplomatic passport no. D00000898</NUMBER>
      </INDIVIDUAL_DOCUMENT>
      <INDIVIDUAL_DOCUMENT>
        <TYPE_OF_DOCUMENT>National Identification Number</TYPE_OF_DOCUMENT>
        <NUMBER>123 456</NUMBER>
        <COUNTRY_OF_ISSUE>Iran (Islamic Republic of)</COUNTRY_OF_ISSUE>
      </INDIVIDUAL_DOCUMENT>
      <INDIVIDUAL_DOCUMENT>
        <TYPE_OF_DOCUMENT>National Identification Number</TYPE_OF_DOCUMENT>
        <TYPE_OF_DOCUMENT2>Ration card no.</TYPE_OF_DOCUMENT2>
        <NUMBER>0094195</NUMBER>
      </INDIVIDUAL_DOCUMENT>
      <INDIVIDUAL_DOCUMENT><TYPE_OF_DOCUMENT>Passport</TYPE_OF_DOCUMENT></INDIVIDUAL_DOCUMENT>
      <INDIVIDUAL_DOCUMENT/>
    </INDIVIDUAL>
    <INDIVIDUAL>
      <FIRST_NAME>123</FIRST_NAME>
      <REFERENCE_NUMBER>TSi.002</REFERENCE_NUMBER>
    </INDIVIDUAL>
    <INDIVIDUAL>
      <FIRST_NAME>AGAIN</FIRST_NAME>
      <REFERENCE_NUMBER>TSi.001</REFERENCE_NUMBER>
    </INDIVIDUAL>
  </INDIVIDUALS>
  <ENTITIES>
    <ENTITY>
      <FIRST_NAME>SOME FRONT COMPANY</FIRST_NAME>
      <REFERENCE_NUMBER>TSe.001</REFERENCE_NUMBER>
    </ENTITY>
  </ENTITIES>
</CONSOLIDATED_LIST>
"""


def test_small_list_choices() -> None:
    report = ImportReport(source="small")
    entries = list(iter_un_entries(io.BytesIO(SMALL_LIST.encode()), report=report))
    assert [entry.to_dict() for entry in entries] == [
        {
            "external_ref": "UN-TSi.001",
            "names": [
                {"full": "CHAN SOK"},
                {"full": "សុខ ចាន់"},
                {"full": "Sokh Chann"},
                {"full": "Sok Chan"},  # the same words in another order is another name
            ],
            "dates_of_birth": ["1985-03-02", "1984", "1983-09", "1980", "1981", "1973-11"],
            "nationalities": ["KHM"],
            "documents": [
                {"type": "passport", "number": "N01234567", "country": "KHM"},
                {"type": "passport", "number": "D00000898", "country": None},
                {"type": "national_id", "number": "123 456", "country": "IRN"},
            ],
            "reason": "UN Security Council sanctions list Test, TSi.001, listed 2020-01-02. "
            "Made up for a test.",
            "sex": "F",
        }
    ]
    assert report.records_read == 4
    assert report.skipped == {
        "record: entity": 1,
        "record: no usable name": 1,
        "record: duplicate REFERENCE_NUMBER": 1,
    }
    assert report.dropped == {
        "alias: quality 'Low' (not imported)": 1,
        "nationality: unknown country": 1,
        "date of birth: unreadable": 1,
        "document: not a passport or identity card": 1,
        "passport: no usable number": 1,
        "name: no letters": 1,
    }


@pytest.mark.parametrize(
    ("kind", "detail", "number", "expected"),
    [
        ("Passport", "", "AB850901", "passport"),
        ("Numéro de passeport", "", "381420754", "passport"),
        ("Número de pasaporte", "", "381420754", "passport"),
        ("National Identification Number", "national passport", "8200203535", "passport"),
        ("Passport", "", "Indonesia travel document number XD253038", "travel_document"),
        ("Passport", "", "Laissez-passer no. 235", "travel_document"),
        ("National Identification Number", "", "220334", "national_id"),
        (
            "National Identification Number",
            "Afghan national identification card (tazkira)",
            "",
            "national_id",
        ),
        ("National Identification Number", "Ration card no.", "0075258", None),
        ("National Identification Number", "Birth certificate", "012546", None),
        ("National Identification Number", "Italian Fiscal Code:", "BNSDLA70L14Z352B", None),
        ("National Identification Number", "", "Counterfeit Danish driving licence number 1", None),
        ("National Identification Number", "United States Social Security Number:", "1", None),
    ],
)
def test_document_classification(kind: str, detail: str, number: str, expected: str | None) -> None:
    assert classify_document(kind, detail, number) == expected


@pytest.mark.parametrize(
    ("alias", "names"),
    [
        ("Qasim Soleimani; Qasem Sulaimani", ["Qasim Soleimani", "Qasem Sulaimani"]),
        ("Mohammad Sabet b) M. Javad Sabet", ["Mohammad Sabet", "M. Javad Sabet"]),
        (
            "Safia Farkash Al-Hadad, born 1 Jan. 1953 (Oman passport no.03825239)",
            ["Safia Farkash Al-Hadad"],
        ),
        ("MAKENGA, Colonel SULTANI", ["MAKENGA, Colonel SULTANI"]),
        (" ; ", []),
    ],
)
def test_alias_splitting(alias: str, names: list[str]) -> None:
    assert split_alias(alias) == names


# --- hostile files --------------------------------------------------------------------

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [
  <!ENTITY lol "lol">
  <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<CONSOLIDATED_LIST><INDIVIDUALS><INDIVIDUAL>
  <FIRST_NAME>&lol3;</FIRST_NAME><REFERENCE_NUMBER>X.1</REFERENCE_NUMBER>
</INDIVIDUAL></INDIVIDUALS></CONSOLIDATED_LIST>
"""

EXTERNAL_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE list [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<CONSOLIDATED_LIST><INDIVIDUALS><INDIVIDUAL>
  <FIRST_NAME>&secret;</FIRST_NAME><REFERENCE_NUMBER>X.1</REFERENCE_NUMBER>
</INDIVIDUAL></INDIVIDUALS></CONSOLIDATED_LIST>
"""


@pytest.mark.parametrize("document", [BILLION_LAUGHS, EXTERNAL_ENTITY])
def test_files_with_a_dtd_are_refused(document: str) -> None:
    with pytest.raises(DTDForbidden):
        list(iter_un_entries(io.BytesIO(document.encode())))


def test_entities_are_refused_even_without_the_dtd_check() -> None:
    # defence in depth: defusedxml refuses entity declarations on its own too
    from defusedxml.ElementTree import iterparse

    with pytest.raises(EntitiesForbidden):
        for _ in iterparse(io.BytesIO(BILLION_LAUGHS.encode()), forbid_dtd=False):
            pass


def test_malformed_xml_raises_a_parse_error() -> None:
    with pytest.raises(ParseError):
        list(iter_un_entries(io.BytesIO(b"<CONSOLIDATED_LIST><INDIVIDUALS>")))
