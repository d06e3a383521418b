"""Country names as the lists write them → ISO 3166-1 alpha-3 codes.

The ISO names come from pycountry (its `name`, `official_name` and `common_name`); the
lists also use their own short forms ("Korea, North", "Burma", "Russia", "Iran (Islamic
Republic of)"), which `LIST_SPELLINGS` maps. Names are compared after folding case,
accents and punctuation, so "Cote d'Ivoire" finds "Côte d'Ivoire".

Codes are never accepted as input here: "NA" in a nationality field means "not
available", not Namibia. Former states (Yugoslavia, the Soviet Union, Serbia and
Montenegro) and places without an ISO 3166-1 code (Kosovo) resolve to None, and the
importer counts them instead of guessing a successor state.
"""

from __future__ import annotations

import re
import unicodedata
from types import MappingProxyType
from typing import Final

import pycountry

# Spellings used by OFAC and the UN that are not an ISO 3166-1 name; keys are folded
# with `fold_country_name`. West Bank, Gaza and "Palestinian" all mean the State of
# Palestine (PSE), the ISO code travel documents of the Palestinian Authority carry.
LIST_SPELLINGS: Final = MappingProxyType(
    {
        "korea north": "PRK",
        "north korea": "PRK",
        "democratic people s republic of korea": "PRK",
        "korea south": "KOR",
        "south korea": "KOR",
        "republic of korea": "KOR",
        "burma": "MMR",
        "russia": "RUS",
        "syria": "SYR",
        "iran": "IRN",
        "congo democratic republic of the": "COD",
        "democratic republic of the congo": "COD",
        "congo republic of the": "COG",
        "republic of the congo": "COG",
        "west bank": "PSE",
        "gaza": "PSE",
        "gaza strip": "PSE",
        "palestinian": "PSE",
        "palestine": "PSE",
        "palestinian territories": "PSE",
        "palestinian authority": "PSE",
        "tanzania": "TZA",
        "venezuela": "VEN",
        "bolivia": "BOL",
        "laos": "LAO",
        "vietnam": "VNM",
        "moldova": "MDA",
        "macedonia": "MKD",
        "former yugoslav republic of macedonia": "MKD",
        "macedonia the former yugoslav republic of": "MKD",
        "czech republic": "CZE",
        "ivory coast": "CIV",
        "turkey": "TUR",
        "gambia the": "GMB",
        "the gambia": "GMB",
        "bahamas the": "BHS",
        "brunei": "BRN",
        "micronesia": "FSM",
        "cape verde": "CPV",
        "swaziland": "SWZ",
        "east timor": "TLS",
        "bosnia herzegovina": "BIH",
        "macau": "MAC",
        "st kitts and nevis": "KNA",
        "st lucia": "LCA",
        "st vincent and the grenadines": "VCT",
        "vatican city": "VAT",
        "british virgin islands": "VGB",
        "virgin islands british": "VGB",
        "united states of america": "USA",
        "us": "USA",
        "u s": "USA",
        "u s a": "USA",
        "uk": "GBR",
        "u k": "GBR",
        "great britain": "GBR",
        "libyan arab jamahiriya": "LBY",
        "curacao": "CUW",
        "sint maarten": "SXM",
        "kyrgyz republic": "KGZ",
        "slovak republic": "SVK",
    }
)

# Qualifiers the lists put before a nationality ("nationality possibly Palestinian"):
# the country is still the best information there is, so the word is dropped.
_QUALIFIERS: Final = ("possibly ", "probably ", "reportedly ", "allegedly ")

_NOT_ALNUM = re.compile(r"[^0-9a-z]+")


def fold_country_name(name: str) -> str:
    """Case-, accent- and punctuation-insensitive key; a leading "the" is dropped."""
    decomposed = unicodedata.normalize("NFKD", name)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    key = _NOT_ALNUM.sub(" ", stripped.casefold()).strip()
    return key.removeprefix("the ")


class CountryResolver:
    """Resolves country names to alpha-3; build one per import (it indexes pycountry)."""

    def __init__(self) -> None:
        index: dict[str, str] = {}
        for country in pycountry.countries:
            for attribute in ("name", "official_name", "common_name"):
                value = getattr(country, attribute, None)
                if isinstance(value, str):
                    index[fold_country_name(value)] = country.alpha_3
        index.update(LIST_SPELLINGS)
        self._by_name = index
        self._codes = frozenset(index.values())

    def alpha3(self, name: str) -> str | None:
        """The alpha-3 code for a country name as the lists spell it, or None."""
        key = fold_country_name(name)
        for qualifier in _QUALIFIERS:
            key = key.removeprefix(qualifier)
        return self._by_name.get(key)

    def is_alpha3(self, code: str) -> bool:
        """True for an assigned ISO 3166-1 alpha-3 code (upper case)."""
        return code in self._codes
