"""Document numbers as the lists write them → the number alone.

The UN list often writes prose into its NUMBER field ("Congo service passport number
SA0020249", "Libya B/002210", "381110042 (Expired 25 Jan. 2016)", "R00012098, South
Sudan"); OFAC remarks are cleaner but end in "." or carry a "#". The number is the run
of tokens at the end that contain a digit, together with short upper-case series letters
in front of them ("SE 012820", "OB 0243318", "96 03 464086"): words before that
("passport number", "Libya") are description, not number.
"""

from __future__ import annotations

import re
from typing import Final

# Longer than any passport or national id number; a longer "number" is prose we failed
# to strip and would never match a traveller's document.
MAX_NUMBER_LENGTH: Final = 32

# What the service accepts in a document number; brackets around a check digit
# ("D489833(9)", Hong Kong) or a letter (Burmese "12/BAHANA(N)010023") are removed
# first, since matching compares letters and digits only.
_ACCEPTED_NUMBER = re.compile(r"[0-9A-Za-z <./-]+")

# Series letters printed apart from the digits ("SE 012820", "A 0139243").
_SERIES_LETTERS = re.compile(r"[A-Z]{1,3}(?:-[A-Z]{1,3})?")
# A bracketed remark, not a check digit written against the number ("D489833(9)").
_PARENTHESISED = re.compile(r"(?:^|\s)\([^()]*\)")
_HAS_DIGIT = re.compile(r"\d")


def clean_document_number(raw: str) -> str | None:
    """The document number inside `raw`, whitespace collapsed; None if there is none."""
    text = _PARENTHESISED.sub(" ", raw)
    text = text.split(", ", 1)[0]  # "R00012098, South Sudan": a country follows
    tokens = [token.strip(".:;,#") for token in text.split()]
    while tokens and not _HAS_DIGIT.search(tokens[-1]):
        tokens.pop()  # "AF465508 Colombia", "12345 expired": words after the number
    kept: list[str] = []
    for token in reversed(tokens):
        if _HAS_DIGIT.search(token) or (kept and _SERIES_LETTERS.fullmatch(token)):
            kept.append(token)
        else:
            break
    if not kept:
        return None
    number = " ".join(reversed(kept)).replace("(", "").replace(")", "")
    if len(number) > MAX_NUMBER_LENGTH or not _ACCEPTED_NUMBER.fullmatch(number):
        return None
    return number
