"""Travellers from the passport's MRZ, and bad input: always a 4xx naming the field."""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from alertd.tables import crossings
from tests.conftest import Client
from tests.screening.conftest import SOK, Desks, count_rows, cross, crossing

# ICAO Doc 9303 part 4, the TD3 specimen.
SPECIMEN = (
    "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10"
)
WEIGHTS = (7, 3, 1)


def check_digit(field: str) -> str:
    values = (int(c) if c.isdigit() else 0 if c == "<" else ord(c) - 55 for c in field)
    return str(sum(v * WEIGHTS[i % 3] for i, v in enumerate(values)) % 10)


def td3(surname: str, given: str, number: str, country: str, born: str, sex: str) -> str:
    """A TD3 MRZ with correct check digits (born as YYMMDD)."""
    line1 = f"P<{country}{surname}<<{given}".ljust(44, "<")
    expiry, optional = "300101", "<" * 14
    parts = [
        number.ljust(9, "<") + check_digit(number.ljust(9, "<")),
        country,
        born + check_digit(born),
        sex,
        expiry + check_digit(expiry),
        optional + check_digit(optional),
    ]
    body = "".join(parts)
    composite = body[0:10] + body[13:20] + body[21:43]
    return line1 + "\n" + body + check_digit(composite)


SOK_MRZ = td3("SOK", "CHAN", "N01234567", "KHM", "850302", "M")


async def _recorded_traveller(engine: AsyncEngine, crossing_id: int) -> dict[str, Any]:
    async with engine.connect() as conn:
        text = (
            await conn.execute(select(crossings.c.traveller).where(crossings.c.id == crossing_id))
        ).scalar_one()
    traveller: dict[str, Any] = json.loads(text)
    return traveller


def test_the_generated_mrz_has_valid_check_digits() -> None:
    assert check_digit("L898902C3") == "6" and check_digit("740812") == "2"
    assert SPECIMEN.split("\n")[1][43] == check_digit(
        "L898902C36" + "7408122" + "1204159ZE184226B<<<<<1"
    )


async def test_the_td3_specimen_fills_names_birth_date_and_document(
    client: Client, desks: Desks, engine: AsyncEngine, wanted: int
) -> None:
    answer = await cross(client, desks, {"mrz": SPECIMEN})
    assert answer["outcome"] == "clear"
    recorded = await _recorded_traveller(engine, answer["crossing_id"])
    assert recorded["names"] == [
        {"full": "ANNA MARIA ERIKSSON", "family": "ERIKSSON", "given": "ANNA MARIA"}
    ]
    assert recorded["date_of_birth"] == "1974-08-12" and recorded["sex"] == "F"
    assert recorded["documents"][0]["number"] == "L898902C3"
    assert recorded["mrz"]["valid"] is True
    assert any("expired" in w for w in answer["warnings"])  # the specimen expired in 2012


async def test_an_mrz_alone_finds_the_listed_traveller(
    client: Client, desks: Desks, wanted: int
) -> None:
    answer = await cross(client, desks, {"mrz": SOK_MRZ})
    assert answer["outcome"] == "hit" and answer["warnings"] == []
    assert answer["matches"][0]["explanation"]["document"]["kind"] == "exact"


async def test_a_name_filling_the_mrz_field_is_flagged_as_maybe_cut_off(
    client: Client, desks: Desks, wanted: int
) -> None:
    """ICAO 9303 cuts long names at the field's end: the officer is told to compare the
    printed name. A name that ends before the field does not say so."""
    long_given = "CHAN<ABDULRAHMAN<MOHAMMEDALI<IBRAHIM"[:34]  # the field's 39 with SOK<<
    cut = await cross(
        client, desks, {"mrz": td3("SOK", long_given, "X7654321", "KHM", "850302", "M")}
    )
    assert any("cut off" in w for w in cut["warnings"]), cut["warnings"]
    whole = await cross(client, desks, {"mrz": SOK_MRZ})
    assert not any("cut off" in w for w in whole["warnings"])
    typed = {
        "names": [{"full": "Sok Chan"}],
        "mrz": td3("SOK", long_given, "X7654321", "KHM", "850302", "M"),
    }
    assert not any("cut off" in w for w in (await cross(client, desks, typed))["warnings"])


async def test_typed_fields_win_and_the_mrz_fills_the_rest(
    client: Client, desks: Desks, engine: AsyncEngine, wanted: int
) -> None:
    typed = {"names": [{"full": "Chan Sok"}], "nationality": "KHM", "mrz": SPECIMEN}
    answer = await cross(client, desks, typed)
    recorded = await _recorded_traveller(engine, answer["crossing_id"])
    assert recorded["names"] == [{"full": "Chan Sok"}] and recorded["nationality"] == "KHM"
    assert recorded["documents"][0]["number"] == "L898902C3"
    assert recorded["date_of_birth"] == "1974-08-12"


async def test_a_failed_check_digit_still_screens_and_says_so(
    client: Client, desks: Desks, engine: AsyncEngine, wanted: int
) -> None:
    line1, line2 = SOK_MRZ.split("\n")
    wrong = str((int(line2[19]) + 1) % 10)  # the birth date's check digit
    corrupted = line1 + "\n" + line2[:19] + wrong + line2[20:]
    answer = await cross(client, desks, {"mrz": corrupted})
    assert answer["outcome"] == "hit"
    assert any("check digit" in w for w in answer["warnings"]), answer["warnings"]
    explanation = answer["matches"][0]["explanation"]
    assert explanation["mrz_warnings"] == answer["warnings"]
    assert "check digit" in explanation["summary"]
    recorded = await _recorded_traveller(engine, answer["crossing_id"])
    assert recorded["mrz"]["valid"] is False


@pytest.mark.parametrize(
    "mrz", ["hello", "P<KHM\nshort", "<" * 88, "P<UTOERIKSSON<<ANNA\n" + "ä" * 44, " \n \n "]
)
async def test_a_garbage_mrz_is_refused_naming_the_field(
    client: Client, desks: Desks, engine: AsyncEngine, mrz: str
) -> None:
    response = await client.post("/api/v1/crossings", json=crossing(mrz=mrz), headers=desks.officer)
    assert response.status == 422, await response.text()
    problem = await response.json()
    assert problem["errors"][0]["field"] == "traveller.mrz"
    assert await count_rows(engine, crossings) == 0


BAD_CROSSINGS: list[tuple[Any, str]] = [
    ({"direction": "entry", "traveller": SOK}, "checkpoint"),
    ({"checkpoint": "POI", "traveller": SOK}, "direction"),
    ({"checkpoint": "POI", "direction": "sideways", "traveller": SOK}, "direction"),
    ({"checkpoint": "poi", "direction": "entry", "traveller": SOK}, "checkpoint"),
    ({"checkpoint": "POI", "direction": "entry"}, "traveller"),
    (crossing(), "traveller"),
    (crossing(names=[]), "traveller"),
    (crossing(**SOK, height=180), "traveller.height"),
    ({**crossing(**SOK), "extra": 1}, "extra"),
    (crossing(names=[{"full": ""}]), "traveller.names.0.full"),
    (crossing(names=[{"full": "x" * 201}]), "traveller.names.0.full"),
    (crossing(names=[{"given": "Sok"}]), "traveller.names.0.full"),
    (crossing(names=[{"full": 7}]), "traveller.names.0.full"),
    (crossing(names="Sok Chan"), "traveller.names"),
    (crossing(names=[{"full": "A"}] * 11), "traveller.names"),
    (crossing(**(SOK | {"date_of_birth": "1985-13-01"})), "traveller.date_of_birth"),
    (crossing(**(SOK | {"date_of_birth": "02/03/1985"})), "traveller.date_of_birth"),
    (crossing(**(SOK | {"nationality": "KH"})), "traveller.nationality"),
    (crossing(**(SOK | {"nationality": "ZZZ"})), "traveller.nationality"),
    (crossing(**(SOK | {"sex": "male"})), "traveller.sex"),
    (
        crossing(documents=[{"type": "passport", "number": "N0123;DROP", "country": "KHM"}]),
        "traveller.documents.0.number",
    ),
    (crossing(documents=[{"type": "laissez", "number": "N1"}]), "traveller.documents.0.type"),
    (crossing(documents=[{"type": "passport"}]), "traveller.documents.0.number"),
    (crossing(mrz=""), "traveller.mrz"),
    (crossing(mrz="P" * 301), "traveller.mrz"),
    (crossing(mrz=12), "traveller.mrz"),
    ({**crossing(**SOK), "occurred_at": "2026-01-01T10:00:00"}, "occurred_at"),
    ({**crossing(**SOK), "occurred_at": "yesterday"}, "occurred_at"),
    (crossing(names=[{"full": "Sok\u0000Chan"}]), "traveller.names.0.full"),
    ([1, 2, 3], "body"),
    ("just a string", "body"),
]


async def test_bad_crossings_and_screenings_are_refused_naming_the_field(
    client: Client, desks: Desks, engine: AsyncEngine
) -> None:
    for body, field in BAD_CROSSINGS:
        response = await client.post("/api/v1/crossings", json=body, headers=desks.officer)
        assert response.status == 422, (body, await response.text())
        assert response.content_type == "application/problem+json"
        fields = [error["field"] for error in (await response.json())["errors"]]
        assert field in fields, (body, fields)
        if field.startswith("traveller."):  # the same traveller, screened before arrival
            screening = {"traveller": body["traveller"]}
            again = await client.post("/api/v1/screenings", json=screening, headers=desks.officer)
            assert again.status == 422, await again.text()
            assert field in [error["field"] for error in (await again.json())["errors"]]
    assert await count_rows(engine, crossings) == 0


async def test_malformed_requests_are_4xx_problems(client: Client, desks: Desks) -> None:
    for path in ("/api/v1/crossings", "/api/v1/screenings"):
        not_json = await client.post(
            path, data=b"{not json", headers=desks.officer | {"Content-Type": "application/json"}
        )
        assert not_json.status == 400
        as_text = await client.post(path, data=b"{}", headers=desks.officer)
        assert as_text.status in (400, 415)
        huge = await client.post(
            path,
            data=b'{"x": "' + b"a" * 2_000_000 + b'"}',
            headers=desks.officer | {"Content-Type": "application/json"},
        )
        assert huge.status == 413
        for response in (not_json, as_text, huge):
            assert response.content_type == "application/problem+json"


BAD_ALERT_QUERIES = [
    ({"status": "open"}, "status"),
    ({"after_seq": "-1"}, "after_seq"),
    ({"after_seq": "abc"}, "after_seq"),
    ({"after_seq": "9" * 40}, "after_seq"),
    ({"after_seq": "١٢"}, "after_seq"),  # Arabic-Indic digits: isdigit() but not ASCII
    ({"limit": "0"}, "limit"),
    ({"limit": "10000"}, "limit"),
]


async def test_bad_alert_queries_name_the_parameter(client: Client, desks: Desks) -> None:
    for query, field in BAD_ALERT_QUERIES:
        response = await client.get("/api/v1/alerts", params=query, headers=desks.immigration)
        assert response.status == 422, (query, await response.text())
        assert field in [e["field"] for e in (await response.json())["errors"]]


async def test_bad_resolutions_name_the_field(client: Client, desks: Desks, wanted: int) -> None:
    alert_id = (await cross(client, desks))["matches"][0]["alert_id"]
    path = f"/api/v1/alerts/{alert_id}/resolve"
    for body, field in (
        ({"resolution": "maybe"}, "resolution"),
        ({}, "resolution"),
        ({"resolution": "confirmed", "note": "x" * 2001}, "note"),
        ({"resolution": "confirmed", "by": "me"}, "by"),
    ):
        response = await client.post(path, json=body, headers=desks.police)
        assert response.status == 422, body
        assert field in [e["field"] for e in (await response.json())["errors"]]
    huge_id = await client.post("/api/v1/alerts/" + "9" * 30 + "/ack", headers=desks.police)
    assert huge_id.status == 404
    assert SOK["names"][0]["full"] not in await huge_id.text()
