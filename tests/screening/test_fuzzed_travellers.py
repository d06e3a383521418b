"""Travellers made of odd text, through the real endpoints: every answer is a screening
(200/201) or a 422 problem naming a field, never a 500, and a refused crossing records
nothing.

The bodies come from a seeded generator (the same every run, so a failure reproduces):
names in every script the matcher reads and some it does not, combining marks, control
and format characters, digits and punctuation; MRZs of the right shape with random
characters (check digits mostly wrong); dates that are nearly dates; document numbers
with confusable and foreign characters. The typed checks of test_mrz_and_input.py pin
each rule; this looks for the combination nobody wrote down.
"""

from __future__ import annotations

import random
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine

from alertd.tables import crossings
from tests.conftest import Client
from tests.screening.conftest import Desks, count_rows, crossing

BODIES = 150
# Letters of the scripts the matcher romanises, and of some it does not.
ALPHABETS = (
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
    "áéíóúüñçøåæßłđğışăâêôơưạảấầẩẫậắằẳẵặ",  # Latin with marks (Vietnamese too)
    "កខគឃងចឆជឈញដឋឌឍណតថទធនបផពភមយរលវសហឡអាិីឹឺុូួើឿៀេែៃោៅំះ៉៊់្",
    "กขฃคฅฆงจฉชซฌญฎฏฐฑฒณดตถทธนบปผฝพฟภมยรฤลฦวศษสหฬอฮะัาำิีึืฺุูเแโใไๅ็่้๊๋์",
    "ກຂຄງຈສຊຍດຕຖທນບປຜຝພຟມຢຣລວຫອຮະັາຳິີຶືຸູົຼຽເແໂໃໄ່້໊໋໌",
    "陳李王張劉楊黃趙吳周徐孫馬朱胡郭何高林羅鄭梁谢宋唐许韩冯邓曹彭曾萧田董袁潘于蒋蔡余",
    "가각간갈감갑강개객거건검겁게겨격견결경계고곡곤골공과관광괴교구국군굴궁권귀규균그극근금급기김나",
    "ابتثجحخدذرزسشصضطظعغفقكلمنهويءآأؤإئةىپچژگکی",
    "абвгдеёжзийклмнопрстуфхцчшщъыьэюяіїєґў",
    "αβγδεζηθικλμνξοπρστυφχψω",  # Greek: no romaniser of its own
    "अआइईउऊएऐओऔकखगघचछजझटठडढणतथदधनपफबभमयरलवशषसह",  # Devanagari: none either
    "0123456789 .-'’,/()",
    "\u0301\u0308\u200b\u200c\u200d\u00ad\ufeff\u2028\u202e\u0009\u000b",  # marks, format
)
MRZ_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<<<<<<"
MRZ_SHAPES = ((3, 30), (2, 36), (2, 44))  # TD1, TD2, TD3: lines x characters
DATES = (
    "1985-03-02", "1985-03", "1985", "1985-02-30", "1985-00-10", "0000-01-01", "9999-12-31",
    "1985-3-2", "85-03-02", "1985-03-02T00:00:00", "", " 1985", "١٩٨٥-٠٣-٠٢",
)  # fmt: skip


def _text(rng: random.Random, most: int = 40) -> str:
    letters = "".join(rng.sample(ALPHABETS, rng.randint(1, 3)))
    return "".join(rng.choice(letters) for _ in range(rng.randint(0, most)))


def _mrz(rng: random.Random) -> str:
    lines, width = rng.choice(MRZ_SHAPES)
    if rng.random() < 0.2:  # a line too short or too long, or an odd character
        width += rng.choice((-3, -1, 1, 5))
    rows = ["".join(rng.choice(MRZ_ALPHABET) for _ in range(width)) for _ in range(lines)]
    if rng.random() < 0.3:
        rows[0] = rng.choice("PIAC") + rows[0][1:]
    if rng.random() < 0.1:
        rows[-1] = rows[-1][:-1] + _text(rng, 1)
    return rng.choice(("\n", "\r\n", " ", "")).join(rows)


def _traveller(rng: random.Random) -> dict[str, Any]:
    traveller: dict[str, Any] = {}
    if rng.random() < 0.8:
        traveller["names"] = [{"full": _text(rng) or "x"} for _ in range(rng.randint(1, 3))]
        if rng.random() < 0.3:
            traveller["names"][0] |= {"family": _text(rng, 12), "given": _text(rng, 12)}
    if rng.random() < 0.6:
        traveller["date_of_birth"] = rng.choice(DATES)
    if rng.random() < 0.5:
        traveller["nationality"] = rng.choice(("KHM", "THA", "VNM", "ZZZ", "kh", "UTO", "D<<"))
    if rng.random() < 0.4:
        traveller["sex"] = rng.choice(("M", "F", "X", "m", "<"))
    if rng.random() < 0.5:
        number = _text(rng, 12) if rng.random() < 0.4 else rng.choice(("N0I2345B7", "O0O0O0"))
        traveller["documents"] = [{"type": "passport", "number": number, "country": "KHM"}]
    if rng.random() < 0.4:
        traveller["mrz"] = _mrz(rng)
    return traveller


async def _refused_well(response: Any) -> None:
    """A 422 problem that names at least one field."""
    assert response.content_type == "application/problem+json"
    problem = await response.json()
    assert problem["errors"] and all(error["field"] for error in problem["errors"])


async def test_odd_travellers_are_screened_or_refused_by_field_never_a_500(
    client: Client, desks: Desks, engine: AsyncEngine, wanted: int
) -> None:
    rng = random.Random(20261208)
    recorded = 0
    for _ in range(BODIES):
        traveller = _traveller(rng)
        screened = await client.post(
            "/api/v1/screenings", json={"traveller": traveller}, headers=desks.officer
        )
        crossed = await client.post(
            "/api/v1/crossings", json=crossing(**traveller), headers=desks.officer
        )
        assert screened.status in (200, 422), (traveller, await screened.text())
        assert crossed.status in (201, 422), (traveller, await crossed.text())
        assert (screened.status == 200) == (crossed.status == 201), traveller
        for response in (screened, crossed):
            if response.status == 422:
                await _refused_well(response)
        if crossed.status == 201:
            answer = await crossed.json()
            assert answer["outcome"] in ("clear", "possible", "hit")
            recorded += 1
    assert await count_rows(engine, crossings) == recorded
    assert 0 < recorded < BODIES  # both kinds of answer were exercised
