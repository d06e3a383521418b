"""`alertctl screen` against a real alertd: a listed traveller is a hit, explained."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.clients.conftest import LISTED_REASON as REASON
from tests.clients.conftest import LISTED_REF as REF
from tests.clients.conftest import Alertctl

# Starts real processes (alertd, alertctl): `pytest -m 'not smoke'` leaves them out.
pytestmark = pytest.mark.smoke


def check_digit(field: str) -> str:
    """ICAO 9303 check digit: weights 7, 3, 1 over digits, letters (A=10) and < (0)."""
    values = [int(c) if c.isdigit() else 0 if c == "<" else ord(c) - 55 for c in field]
    return str(sum(v * (7, 3, 1)[i % 3] for i, v in enumerate(values)) % 10)


def td3(surname: str, given: str, number: str, nationality: str, born: str, sex: str) -> str:
    """A passport MRZ (two 44-character lines) with valid check digits."""
    line1 = f"P<{nationality}{surname}<<{given}".ljust(44, "<")
    number_part = number.ljust(9, "<") + check_digit(number.ljust(9, "<"))
    born_part = born + check_digit(born)
    expiry_part = "301231" + check_digit("301231")
    optional_part = "<" * 14 + check_digit("<" * 14)
    composite = number_part + born_part + expiry_part + optional_part
    line2 = f"{number_part}{nationality}{born_part}{sex}{expiry_part}{optional_part}" + check_digit(
        composite
    )
    assert len(line1) == len(line2) == 44
    return f"{line1}\n{line2}\n"


def test_a_listed_traveller_is_a_hit_with_explanation_and_instructions(
    listed: None, officer: Alertctl
) -> None:
    result = officer(
        "screen",
        "--pre-arrival",
        "--name",
        "Dara Keo",
        "--dob",
        "1979-11-20",
        "--nationality",
        "KHM",
        "--passport",
        "N07654321",
    )
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("HIT  1 match"), result.stdout
    [block] = [b for b in result.stdout.split("\n\n") if REF in b]
    lines = block.splitlines()
    assert lines[0].split()[1:3] == ["HIT", "wanted_person"]
    assert lines[1].strip().startswith("Name ")
    assert "N07654321" in lines[2]  # the document, strongest evidence after the name
    assert lines[-1].strip().startswith("Instructions: ")
    assert "Call the police (GCNP) desk" in lines[-1]  # the import's default instructions
    assert REASON not in result.stdout


def test_a_crossing_is_recorded_and_raises_an_alert(listed: None, officer: Alertctl) -> None:
    result = officer("--json", "screen", "--checkpoint", "POI", "--name", "KEO Dara")
    assert result.exit_code == 0, result.stderr
    answer = result.json()
    assert isinstance(answer["crossing_id"], int)
    assert answer["outcome"] in ("possible", "hit")
    [match] = [m for m in answer["matches"] if m["external_ref"] == REF]
    assert match["alert_id"] is not None


def test_the_mrz_alone_is_enough(listed: None, officer: Alertctl) -> None:
    mrz = td3("KEO", "DARA", "N07654321", "KHM", "791120", "M")
    result = officer("--json", "screen", "--pre-arrival", "--mrz", "-", stdin=mrz)
    assert result.exit_code == 0, result.stderr
    assert result.json()["outcome"] == "hit"
    assert REF in {m["external_ref"] for m in result.json()["matches"]}


def test_nobody_on_the_list_is_clear(listed: None, officer: Alertctl) -> None:
    result = officer("screen", "--pre-arrival", "--name", "Amara Okonkwo-Lindqvist")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("CLEAR  0 matches")


def test_screen_usage(officer: Alertctl, tmp_path: Path) -> None:
    assert officer("screen", "--name", "X").exit_code == 2  # crossing or pre-arrival?
    assert officer("screen", "--pre-arrival").exit_code == 2  # nobody to screen
    empty = tmp_path / "mrz.txt"
    empty.write_text("\n")
    assert officer("screen", "--pre-arrival", "--mrz", str(empty)).exit_code == 1
    other_checkpoint = officer("screen", "--checkpoint", "BAV", "--name", "X")
    assert other_checkpoint.exit_code == 1
    assert "BAV" in other_checkpoint.stderr
