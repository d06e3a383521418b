from __future__ import annotations

import pytest

from alertd.importers.countries import CountryResolver, fold_country_name


@pytest.fixture(scope="module")
def countries() -> CountryResolver:
    return CountryResolver()


@pytest.mark.parametrize(
    ("name", "code"),
    [
        # OFAC spellings
        ("Korea, North", "PRK"),
        ("Korea, South", "KOR"),
        ("Iran", "IRN"),
        ("Russia", "RUS"),
        ("Burma", "MMR"),
        ("Syria", "SYR"),
        ("Congo, Democratic Republic of the", "COD"),
        ("Congo, Republic of the", "COG"),
        ("West Bank", "PSE"),
        ("Palestinian", "PSE"),
        ("possibly Palestinian", "PSE"),
        ("Turkey", "TUR"),
        ("Venezuela", "VEN"),
        ("Tanzania", "TZA"),
        ("Bosnia-Herzegovina", "BIH"),
        ("United Kingdom", "GBR"),
        ("U.K.", "GBR"),
        ("United States", "USA"),
        ("Hong Kong", "HKG"),
        ("Taiwan", "TWN"),
        ("Macedonia, The Former Yugoslav Republic of", "MKD"),
        # UN spellings
        ("Democratic People's Republic of Korea", "PRK"),
        ("Iran (Islamic Republic of)", "IRN"),
        ("Democratic Republic of the Congo", "COD"),
        ("Congo", "COG"),
        ("United Kingdom of Great Britain and Northern Ireland", "GBR"),
        ("United States of America", "USA"),
        ("Syrian Arab Republic", "SYR"),
        ("United Republic of Tanzania", "TZA"),
        ("State of Palestine", "PSE"),
        ("Türkiye", "TUR"),
        ("Russian Federation", "RUS"),
        # accents, case and punctuation do not matter
        ("Cote d'Ivoire", "CIV"),
        ("CÔTE D’IVOIRE", "CIV"),
        ("  iraq ", "IRQ"),
    ],
)
def test_list_spellings_resolve(countries: CountryResolver, name: str, code: str) -> None:
    assert countries.alpha3(name) == code


@pytest.mark.parametrize(
    "name",
    [
        "na",  # "not available" in the UN list, not Namibia
        "NA",
        "IRQ",  # codes are not names
        "former Soviet Union",
        "Yugoslavia",
        "Serbia and Montenegro",
        "Kosovo",  # no ISO 3166-1 code
        "Vizcaya Province",
        "",
    ],
)
def test_codes_former_states_and_places_do_not_resolve(
    countries: CountryResolver, name: str
) -> None:
    assert countries.alpha3(name) is None


def test_every_resolved_code_is_an_assigned_alpha3(countries: CountryResolver) -> None:
    assert countries.is_alpha3("IRQ")
    assert not countries.is_alpha3("XKX")
    assert not countries.is_alpha3("irq")


def test_folding_keeps_letters_and_digits_only() -> None:
    assert fold_country_name("The Gambia") == "gambia"
    assert fold_country_name("Korea, North") == "korea north"
