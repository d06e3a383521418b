"""What the tiny 2025 OFAC extract converts to, checked by hand against its sdn.csv/alt.csv."""

from __future__ import annotations

from typing import Any

TINY_2025_ENTRIES: list[dict[str, Any]] = [
    {
        "external_ref": "OFAC-10278",
        "names": [
            {"full": "Elvis Angus LOGAN MOREY", "family": "LOGAN MOREY", "given": "Elvis Angus"}
        ],
        "dates_of_birth": ["1963-07-28"],
        "nationalities": [],
        "documents": [{"type": "passport", "number": "P0017003", "country": "BLZ"}],
        "reason": "OFAC SDN SDNT",
    },
    {
        "external_ref": "OFAC-15102",
        "names": [
            {"full": "Daniel MORENO", "family": "MORENO", "given": "Daniel"},
            {"full": "Daniel Gonzalo MORENO JR.", "family": "MORENO", "given": "Daniel Gonzalo"},
        ],
        "dates_of_birth": ["1972-10-12"],
        "nationalities": [],
        "documents": [{"type": "passport", "number": "0291622", "country": "BLZ"}],
        "reason": "OFAC SDN SDNTK",
    },
    {
        "external_ref": "OFAC-29702",
        "names": [
            {
                "full": "Artem Mikhaylovich LIFSHITS",
                "family": "LIFSHITS",
                "given": "Artem Mikhaylovich",
            }
        ],
        "dates_of_birth": ["1992-12-26"],
        "nationalities": ["RUS"],
        "documents": [{"type": "passport", "number": "719032284", "country": None}],
        "reason": "OFAC SDN CYBER2, ELECTION-EO13848",
        "sex": "M",
    },
    {
        "external_ref": "OFAC-48603",
        "names": [
            {
                "full": "Dmitry Yuryevich KHOROSHEV",
                "family": "KHOROSHEV",
                "given": "Dmitry Yuryevich",
            },
            {
                "full": "Dmitriy Yurevich KHOROSHEV",
                "family": "KHOROSHEV",
                "given": "Dmitriy Yurevich",
            },
            {"full": "Dmitry YURIEVICH", "family": "YURIEVICH", "given": "Dmitry"},
            {
                "full": "Dmitrii Yuryevich KHOROSHEV",
                "family": "KHOROSHEV",
                "given": "Dmitrii Yuryevich",
            },
        ],
        "dates_of_birth": ["1993-04-17"],
        "nationalities": ["RUS"],
        "documents": [
            {"type": "passport", "number": "2018278055", "country": "RUS"},
            {"type": "passport", "number": "2006801524", "country": "RUS"},
        ],
        "reason": "OFAC SDN CYBER2",
        "sex": "M",
    },
]
