"""An independent check of the entry shape, written from the service's rules, not the importers'."""

from __future__ import annotations

import re
from typing import Any

import pycountry

PARTIAL_DATE = re.compile(r"\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?")
DOCUMENT_NUMBER = re.compile(r"[0-9A-Za-z <./-]{1,40}")
ENTRY_KEYS = {"external_ref", "names", "dates_of_birth", "nationalities", "documents", "reason"}


def is_alpha3(code: str) -> bool:
    return pycountry.countries.get(alpha_3=code) is not None


def assert_valid_entry(entry: dict[str, Any]) -> None:
    assert ENTRY_KEYS <= entry.keys() <= ENTRY_KEYS | {"sex"}, entry.keys()
    assert entry["external_ref"]
    assert 1 <= len(entry["names"]) <= 50
    for name in entry["names"]:
        assert name["full"], name
        assert name["full"].strip() == name["full"], name
        assert set(name) <= {"full", "family", "given"}
    assert len(entry["dates_of_birth"]) <= 20
    for value in entry["dates_of_birth"]:
        assert PARTIAL_DATE.fullmatch(value), value
        assert 1880 <= int(value[:4]) <= 2026, value
    assert len(entry["nationalities"]) <= 20
    assert all(is_alpha3(code) for code in entry["nationalities"]), entry["nationalities"]
    assert len(entry["documents"]) <= 20
    for document in entry["documents"]:
        assert document["type"] in {"passport", "travel_document", "national_id"}
        assert DOCUMENT_NUMBER.fullmatch(document["number"]), document
        assert document["country"] is None or is_alpha3(document["country"]), document
    assert entry.get("sex") in {None, "M", "F"}
    assert 1 <= len(entry["reason"]) <= 4000
