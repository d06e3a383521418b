"""Travel-document numbers: normalisation, OCR-confusable keys, graded comparison.

Numbers are compared in three steps, strongest first:

    exact        the same after normalisation (case, spaces, hyphens, dots, '<' fillers)
    confusable   the same once OCR-confusable characters are folded (O/0, I/1, S/5 ...)
    one_edit     one character substituted, missing or extra, or two adjacent swapped,
                 after folding; only for numbers of MIN_LENGTH_FOR_ONE_EDIT or more
    different    none of these, for documents of the same kind and issuer
    not_comparable  an empty number, or differing documents of another kind or issuer:
                 a traveller's passport says nothing about the ID card on the list

The issuing country is reported separately (``country_agrees``), so the scorer can weigh
"same number, different issuer" itself.

The confusable map folds letters onto the digits they are misread as, because document
numbers are mostly digits and so the keys stay readable:

    O Q D -> 0    round shapes; D/0 and O/0 are the commonest OCR-B misreads in MRZs
    I L   -> 1    vertical strokes
    S -> 5, B -> 8, Z -> 2, G -> 6

Left out on purpose: A/4, E/3, T/7, U/V and the like. They are rarer misreads, and every
extra class merges numbers that really differ, raising false "confusable" matches.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Final, Literal, Protocol

from rapidfuzz.distance import OSA

from alertd.matching.mrz import iso_country

DocumentKind = Literal["exact", "confusable", "one_edit", "different", "not_comparable"]

# --- Similarity of each grade (the number only; the issuer is reported apart) --------------

# The same number: as strong as document evidence gets.
EXACT: Final = 1.0
# The same once O/0, I/1... are folded: almost always an OCR or typing slip, since real
# numbers rarely differ only in confusable positions.
CONFUSABLE: Final = 0.9
# One edit apart: a typo is likely, but passports issued together (a family, a batch)
# often have consecutive numbers, which are one edit apart too. Moderate evidence.
ONE_EDIT: Final = 0.6
# A different number on a comparable document. Zero similarity; the kind tells the
# scorer this is evidence against a document-keyed entry.
DIFFERENT: Final = 0.0
# Nothing to compare. Zero similarity, but neutral: the kind says so.
NOT_COMPARABLE: Final = 0.0

# Below this length one edit turns almost any number into another real one.
MIN_LENGTH_FOR_ONE_EDIT: Final = 6

_CONFUSABLES: Final = str.maketrans("OQDILSBZG", "000115826")

# Cyrillic and Greek capitals that look like Latin ones, as found in transcribed numbers.
_HOMOGLYPHS: Final = str.maketrans(
    "АВЕКМНОРСТУХІЈЅΑΒΕΖΗΙΚΜΝΟΡΤΥΧ",
    "ABEKMHOPCTYXIJSABEZHIKMNOPTYX",
)

# Document types that can stand for any other ("a travel document", "unknown").
_GENERIC_TYPES: Final = frozenset({"", "travel_document", "document", "other", "unknown"})
_TYPE_ALIASES: Final = MappingProxyType(
    {
        "id": "national_id",
        "id_card": "national_id",
        "identity_card": "national_id",
        "national_id_card": "national_id",
        "national_identity_card": "national_id",
        "passport_number": "passport",
    }
)

_KIND_RANK: Final = MappingProxyType(
    {"exact": 4, "confusable": 3, "one_edit": 2, "different": 1, "not_comparable": 0}
)
_COUNTRY_RANK: Final = MappingProxyType({True: 2, None: 1, False: 0})


class DocumentLike(Protocol):
    """What a comparison needs of a document (model.DocumentInput satisfies it)."""

    @property
    def type(self) -> str: ...
    @property
    def number(self) -> str: ...
    @property
    def country(self) -> str | None: ...


def normalise_document_number(number: str) -> str:
    """Upper-case letters and digits only: "l 898-902.c3" -> "L898902C3"."""
    if number.isascii() and number.isalnum() and not any(ch.islower() for ch in number):
        return number  # already normal (the common case for listed numbers)
    # "№" would become "No" under NFKC and add letters to the number.
    folded = unicodedata.normalize("NFKC", number.replace("№", "")).upper()
    folded = folded.translate(_HOMOGLYPHS)
    return "".join(ch for ch in folded if ch.isascii() and ch.isalnum())


def confusable_key(number: str) -> str:
    """The normalised number with OCR-confusable letters folded to digits (see module doc)."""
    return normalise_document_number(number).translate(_CONFUSABLES)


def document_keys(number: str) -> tuple[str, ...]:
    """Index keys: numbers graded exact, confusable or one_edit always share one.

    The confusable key itself, plus (for keys long enough to be graded one_edit) every
    key with one character deleted: a substitution, an insertion/deletion or an adjacent
    transposition all leave two keys with a common one-deletion form.
    """
    key = confusable_key(number)
    if not key:
        return ()
    if len(key) < MIN_LENGTH_FOR_ONE_EDIT:
        return (key,)
    deletions = (key[:index] + key[index + 1 :] for index in range(len(key)))
    return tuple(dict.fromkeys((key, *deletions)))


@dataclass(frozen=True)
class DocumentComparison:
    """How a traveller's document compares with a listed one."""

    kind: DocumentKind
    similarity: float
    query_number: str  # normalised
    entry_number: str  # normalised
    country_agrees: bool | None  # None when either side lacks a country
    query_country: str | None = None
    entry_country: str | None = None
    query_type: str = ""
    entry_type: str = ""
    edit: str = ""  # for one_edit: which character changed, e.g. "character 4: 7 vs 1"

    def describe(self) -> str:
        """One or two sentences an officer can read."""
        return f"{self._number_sentence()} {self._country_sentence()}".strip()

    def _number_sentence(self) -> str:
        pair = f"traveller {self.query_number or '(none)'}, listed {self.entry_number or '(none)'}"
        if self.kind == "exact":
            return f"Document number matches exactly: {self.entry_number}."
        if self.kind == "confusable":
            return (
                "Document number matches if look-alike characters (O/0, I/1, S/5, B/8, Z/2,"
                f" G/6) are read alike: {pair}."
            )
        if self.kind == "one_edit":
            return f"Document number is one character away ({self.edit}): {pair}."
        if self.kind == "different":
            return f"Document number differs on a document of the same kind: {pair}."
        return f"Document numbers not comparable ({self._why_not_comparable()}): {pair}."

    def _why_not_comparable(self) -> str:
        if not self.query_number or not self.entry_number:
            return "a number is missing"
        if self.country_agrees is False:
            return "issued by different countries"
        return f"traveller {self.query_type or 'document'}, listed {self.entry_type or 'document'}"

    def _country_sentence(self) -> str:
        if self.country_agrees is None:
            return ""
        if self.country_agrees:
            return f"Issued by the same country ({self.entry_country})."
        countries = f"traveller {self.query_country}, listed {self.entry_country}"
        return f"Issuing countries differ: {countries}."


def compare_document(query: DocumentLike, entry: DocumentLike) -> DocumentComparison:
    """Grade one traveller document against one listed document."""
    query_number = normalise_document_number(query.number)
    entry_number = normalise_document_number(entry.number)
    query_country = _country(query.country)
    entry_country = _country(entry.country)
    country_agrees = (
        None if query_country is None or entry_country is None else query_country == entry_country
    )
    query_type, entry_type = _document_type(query.type), _document_type(entry.type)
    kind, edit = _grade_numbers(query_number, entry_number)
    comparable = country_agrees is not False and _same_kind(query_type, entry_type)
    if kind == "different" and not comparable:
        kind = "not_comparable"
    return DocumentComparison(
        kind=kind,
        similarity=_SIMILARITY[kind],
        query_number=query_number,
        entry_number=entry_number,
        country_agrees=country_agrees,
        query_country=query_country,
        entry_country=entry_country,
        query_type=query_type,
        entry_type=entry_type,
        edit=edit,
    )


def best_document_comparison(
    query_docs: Sequence[DocumentLike], entry_docs: Sequence[DocumentLike]
) -> DocumentComparison | None:
    """The strongest comparison over all pairs; None when either side has no documents.

    Ranked by grade (a "different" outranks "not_comparable": it says something), then by
    issuer agreement (agrees, unknown, differs).
    """
    comparisons = [compare_document(query, entry) for query in query_docs for entry in entry_docs]
    if not comparisons:
        return None
    return max(comparisons, key=_strength)


_SIMILARITY: Final = MappingProxyType(
    {
        "exact": EXACT,
        "confusable": CONFUSABLE,
        "one_edit": ONE_EDIT,
        "different": DIFFERENT,
        "not_comparable": NOT_COMPARABLE,
    }
)


def _strength(comparison: DocumentComparison) -> tuple[int, int]:
    return _KIND_RANK[comparison.kind], _COUNTRY_RANK[comparison.country_agrees]


def _grade_numbers(query: str, entry: str) -> tuple[DocumentKind, str]:
    if not query or not entry:
        return "not_comparable", ""
    if query == entry:
        return "exact", ""
    query_key, entry_key = query.translate(_CONFUSABLES), entry.translate(_CONFUSABLES)
    if query_key == entry_key:
        return "confusable", ""
    long_enough = min(len(query_key), len(entry_key)) >= MIN_LENGTH_FOR_ONE_EDIT
    if long_enough and OSA.distance(query_key, entry_key, score_cutoff=1) <= 1:
        return "one_edit", describe_edit(query, entry)
    return "different", ""


def describe_edit(query: str, entry: str) -> str:
    """Where two normalised numbers one edit apart (after folding) differ, 1-based."""
    query_key, entry_key = query.translate(_CONFUSABLES), entry.translate(_CONFUSABLES)
    at = _common_prefix_length(query_key, entry_key)
    position = at + 1
    if len(query_key) == len(entry_key) + 1:
        return f"extra {query[at]!r} at character {position} on the traveller's document"
    if len(entry_key) == len(query_key) + 1:
        return f"{entry[at]!r} at character {position} missing on the traveller's document"
    swapped = query_key[at : at + 2] == entry_key[at : at + 2][::-1]
    if swapped and query_key[at + 2 :] == entry_key[at + 2 :]:
        return f"characters {position} and {position + 1} swapped"
    return f"character {position}: {query[at]!r} vs {entry[at]!r}"


def _common_prefix_length(first: str, second: str) -> int:
    length = 0
    for a, b in zip(first, second, strict=False):
        if a != b:
            break
        length += 1
    return length


def _country(code: str | None) -> str | None:
    if code is None or not code.strip():
        return None
    return iso_country(code) or code.strip().upper()


def _document_type(value: str) -> str:
    canonical = value.strip().lower().replace("-", "_").replace(" ", "_")
    return _TYPE_ALIASES.get(canonical, canonical)


def _same_kind(query_type: str, entry_type: str) -> bool:
    return query_type == entry_type or bool({query_type, entry_type} & _GENERIC_TYPES)
