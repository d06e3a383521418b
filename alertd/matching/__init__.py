"""Matching: is the traveller at the counter someone on a watchlist?

A pure library (no I/O, no HTTP, no database). The service uses only the names below.
"""

from alertd.matching.explanation import Explanation
from alertd.matching.index import MatchIndex
from alertd.matching.model import (
    BandThresholds,
    DocumentInput,
    EntryInput,
    Match,
    NameInput,
    Traveller,
)
from alertd.matching.tables import NameTables, load_name_tables
from alertd.matching.thresholds import CATEGORY_THRESHOLDS, DEFAULT_THRESHOLDS, load_thresholds

__all__ = [
    "CATEGORY_THRESHOLDS",
    "DEFAULT_THRESHOLDS",
    "BandThresholds",
    "DocumentInput",
    "EntryInput",
    "Explanation",
    "Match",
    "MatchIndex",
    "NameInput",
    "NameTables",
    "Traveller",
    "load_name_tables",
    "load_thresholds",
]
