"""Per-category band thresholds (defaults here; the policy config can override them).

Scores are in [0, 1] (see score.py for how evidence moves them). The calibration points,
measured by bench/matching.py on the development evaluation:

* an exact name with nothing else known scores 1.0; a one-typo or romanisation variant of
  a two-word name about 0.9; a missing middle name about 0.92;
* the same name with a clearly different date of birth scores at most 0.70, and a name
  that shares only its family name about 0.5 (plus at most ~0.15 from date, nationality
  and sex agreeing).

So "possible" sits between those (0.80), and "hit" needs a near-exact name with nothing
against it, or a good name backed by date, document or nationality (0.92).
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from alertd.matching.model import BandThresholds

# Suspects, bans: a possible is an officer's second look, a hit stops the traveller.
DEFAULT_THRESHOLDS = BandThresholds(possible=0.80, hit=0.92)

# Victims and missing persons: a miss leaves someone with traffickers, a false possible
# costs a friendly protective check, so "possible" reaches a little further.
PROTECTION_THRESHOLDS = BandThresholds(possible=0.76, hit=0.92)

# Customs interest and discreet checks act without confronting the traveller; the
# officer's attention is the cost, so ask for a little more before raising it.
DISCREET_THRESHOLDS = BandThresholds(possible=0.82, hit=0.94)

# The lowest "possible" the candidate index can honour. It meets a name of two words or
# more only through two aligned words (index.py), which loses nothing while one aligned
# word (at most half of each name: a name score of 0.5) plus everything else agreeing
# (date, nationality, sex: bounds.MOST_SUPPORT, 0.15) stays below "possible";
# tests/matching/test_index.py pins the relation.
LOWEST_POSSIBLE = 0.66

CATEGORY_THRESHOLDS: Mapping[str, BandThresholds] = MappingProxyType(
    {
        "wanted_person": DEFAULT_THRESHOLDS,
        "trafficking_suspect": DEFAULT_THRESHOLDS,
        "smuggling_suspect": DEFAULT_THRESHOLDS,
        "entry_ban": DEFAULT_THRESHOLDS,
        # A lost/stolen document is decided by the document rule in score.py.
        "lost_stolen_document": DEFAULT_THRESHOLDS,
        "potential_victim": PROTECTION_THRESHOLDS,
        "missing_person": PROTECTION_THRESHOLDS,
        "customs_interest": DISCREET_THRESHOLDS,
        "discreet_check": DISCREET_THRESHOLDS,
    }
)


def load_thresholds(mapping: Mapping[str, Mapping[str, float]]) -> dict[str, BandThresholds]:
    """Thresholds from policy data: ``{category: {"possible": x, "hit": y}}``.

    A category missing a key keeps that key's default; unknown keys are an error (a typo
    in the policy file must not silently fall back to defaults).
    """
    result: dict[str, BandThresholds] = {}
    for category, values in mapping.items():
        unknown = set(values) - {"possible", "hit"}
        if unknown:
            raise ValueError(f"thresholds for {category!r}: unknown keys {sorted(unknown)}")
        base = CATEGORY_THRESHOLDS.get(category, DEFAULT_THRESHOLDS)
        result[category] = BandThresholds(
            possible=float(values.get("possible", base.possible)),
            hit=float(values.get("hit", base.hit)),
        )
        check_possible(category, result[category])
    return result


def check_possible(category: str, thresholds: BandThresholds) -> None:
    """ValueError when the index could not find every match at this "possible"."""
    if thresholds.possible < LOWEST_POSSIBLE:
        raise ValueError(
            f"thresholds for {category!r}: possible={thresholds.possible} is below "
            f"{LOWEST_POSSIBLE}, the lowest the candidate index finds every match for"
        )
