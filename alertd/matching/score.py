"""The pure scoring function: one traveller against one entry -> score, band, explanation.

The name decides most (best pair of names, see alignment.py); the other features move the
score up or down by named amounts. Then two rules about documents:

* a document match on a ``lost_stolen_document`` entry is a hit whatever the name says;
* a traveller with the listed name whose document of the same kind *differs* from the
  listed one is weaker evidence than a name alone (people do renew passports, so it is
  a penalty, not a veto).

The index (index.py) calls ``score_prepared`` on its candidates; ``MatchIndex.score`` calls
the same function on any entry, which is how candidate recall is measured.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from alertd.matching.alignment import NameComparison, compare_names, name_score
from alertd.matching.dates import DateComparison, PartialDate, compare_dates, parse_partial_date
from alertd.matching.documents import DocumentComparison, best_document_comparison
from alertd.matching.explanation import Contribution, Explanation, FeatureNote
from alertd.matching.model import BandThresholds, EntryInput, Match, Traveller
from alertd.matching.names import PreparedName, Slot, prepare_readings
from alertd.matching.tables import NameTables
from alertd.matching.token_similarity import TokenComparer

LOST_STOLEN = "lost_stolen_document"
# A match's score is rounded to this many places (what officers see; leaders.py orders
# candidates by their bounds rounded alike).
SCORE_PLACES = 4

# --- Date of birth: effect = AGREEMENT * s - DISAGREEMENT * min(1, (1 - s) / FULL_DOUBT)
# for a date similarity s (dates.py). Exact +0.10; year only +0.04; year off by one -0.02;
# a few days apart -0.14; a partial date one digit off (1971 vs 1991: decades) or a
# different date -0.30, enough to take an exact name below "possible": a namesake born
# decades apart is not the listed person.
DOB_AGREEMENT = 0.10
DOB_DISAGREEMENT = 0.30
DOB_FULL_DOUBT = 0.6

# --- Documents
# A matching document number is strong evidence of identity (scaled by its similarity:
# exact 1, OCR-confusable and one edit less).
DOCUMENT_MATCH_BONUS = 0.35
# Same kind of document, same (or unknown) issuer, different number: the traveller holds
# another passport than the listed one. Weaker evidence, not stronger.
DOCUMENT_DIFFERS_PENALTY = 0.10
# Lost/stolen documents: the document is the subject. A match on it is a hit...
LOST_STOLEN_DOCUMENT_HIT = 0.97
# ...one edit away is worth an officer's look...
LOST_STOLEN_ONE_EDIT = 0.86
# ...and a name alone can at most be "possible" (the holder's own name is on it).
LOST_STOLEN_NAME_ONLY_CAP = 0.86
# The traveller shows a different document: the stolen one is not being used here.
LOST_STOLEN_OTHER_DOCUMENT_CAP = 0.6

# --- Nationality and sex (lists and documents both get these wrong sometimes)
NATIONALITY_AGREES = 0.03
NATIONALITY_DIFFERS = -0.05
SEX_AGREES = 0.02
SEX_DIFFERS = -0.10

# --- Names made only of common words ("Mohammed Ali", "Sok Chan", "Nguyen Van Anh")
# Millions of people share such a name, so a date of birth that merely fits the listed one
# (a full date within a listed year, a year off by one, a few days apart) cannot tell the
# listed person from a namesake: the match stays at "possible" (an officer's second look),
# this far below "hit". A date that agrees as given, a document, or nothing to compare
# leaves the band to the score.
COMMON_NAME_BELOW_HIT = 0.01
_AGREEING_DATES = frozenset({"exact", "day_month_swapped", "unknown"})

_DOCUMENT_MATCH_KINDS = frozenset({"exact", "confusable", "one_edit"})
_KNOWN_SEXES = frozenset({"M", "F"})


@dataclass(frozen=True, slots=True)
class PreparedQuery:
    traveller: Traveller
    names: tuple[PreparedName, ...]
    date_of_birth: PartialDate | None
    date_problem: str | None  # the traveller's date could not be read


@dataclass(frozen=True, slots=True)
class PreparedEntry:
    entry: EntryInput
    names: tuple[PreparedName, ...]
    dates_of_birth: tuple[PartialDate, ...]


def prepare_query(traveller: Traveller, tables: NameTables) -> PreparedQuery:
    names = tuple(n for x in traveller.names for n in prepare_readings(x, tables))
    dob: PartialDate | None = None
    problem = None
    if traveller.date_of_birth:
        try:
            dob = parse_partial_date(traveller.date_of_birth)
        except ValueError as error:
            problem = f"Traveller's date of birth unreadable ({error}); not compared."
    return PreparedQuery(traveller, names, dob, problem)


def prepare_entry(
    entry: EntryInput, tables: NameTables, share: Callable[[Slot], Slot] | None = None
) -> PreparedEntry:
    names = tuple(n for x in entry.names for n in prepare_readings(x, tables, share))
    return PreparedEntry(entry, names, parse_dates(entry.dates_of_birth))


def parse_dates(values: Sequence[str]) -> tuple[PartialDate, ...]:
    """The readable dates; an unreadable one is left out (it cannot be evidence)."""
    dates: list[PartialDate] = []
    for value in values:
        try:
            dates.append(parse_partial_date(value))
        except ValueError:
            continue
    return tuple(dates)


def best_name_pair(
    query: PreparedQuery, entry: PreparedEntry, comparer: TokenComparer
) -> tuple[float, PreparedName, PreparedName] | None:
    """The best-scoring pair of names (score only: explaining it is done for matches)."""
    best: tuple[float, PreparedName, PreparedName] | None = None
    for q in query.names:
        for e in entry.names:
            score = name_score(q, e, comparer)
            if best is None or score > best[0]:
                best = (score, q, e)
                if score >= 1.0:
                    return best
    return best


def best_name(
    query: PreparedQuery, entry: PreparedEntry, comparer: TokenComparer
) -> NameComparison | None:
    pair = best_name_pair(query, entry, comparer)
    return compare_names(pair[1], pair[2], comparer) if pair else None


def score_prepared(
    query: PreparedQuery, entry: PreparedEntry, thresholds: BandThresholds, comparer: TokenComparer
) -> Match | None:
    """Score one entry for one traveller; None below the category's "possible"."""
    pair = best_name_pair(query, entry, comparer)
    name_evidence = pair[0] if pair else 0.0
    has_documents = bool(query.traveller.documents and entry.entry.documents)
    if name_evidence + _most_support(has_documents) < thresholds.possible and not has_documents:
        return None  # nothing else could lift it to "possible": skip the rest (same result)
    dob = compare_dates(query.date_of_birth, entry.dates_of_birth)
    document = best_document_comparison(query.traveller.documents, entry.entry.documents)
    nationality = _nationality(query.traveller.nationality, entry.entry.nationalities)
    sex = _sex(query.traveller.sex, entry.entry.sex)
    contributions = [
        Contribution("name", name_evidence, "best pair of names"),
        _dob_contribution(dob),
        _document_contribution(document),
        Contribution("nationality", _NATIONALITY_EFFECT[nationality.verdict], nationality.verdict),
        Contribution("sex", _SEX_EFFECT[sex.verdict], sex.verdict),
    ]
    score = combine(contributions)
    rules: list[str] = []
    if pair and score >= thresholds.hit and not _corroborated(dob, document):
        score = _common_name_rule(score, pair[1], pair[2], thresholds, rules)
    if entry.entry.category == LOST_STOLEN:
        score = _lost_stolen_rule(score, document, rules)
    band = thresholds.band(score)
    if _lost_stolen_document_presented(entry.entry.category, document):
        band = "hit"  # whatever the thresholds and the name say
    if band is None:
        return None
    explanation = Explanation(
        name=compare_names(pair[1], pair[2], comparer) if pair else None,
        date_of_birth=dob,
        document=document,
        nationality=nationality,
        sex=sex,
        mrz_warnings=query.traveller.mrz_warnings
        + ((query.date_problem,) if query.date_problem else ()),
        contributions=tuple(contributions),
        rules=tuple(rules),
    )
    e = entry.entry
    return Match(e.entry_id, e.version, e.category, round(score, SCORE_PLACES), band, explanation)


def _most_support(has_documents: bool) -> float:
    """The most date, nationality, sex (and document) agreement can add to a name."""
    most = DOB_AGREEMENT + NATIONALITY_AGREES + SEX_AGREES
    return most + DOCUMENT_MATCH_BONUS if has_documents else most


def combine(contributions: Sequence[Contribution]) -> float:
    """Name plus supporting evidence (capped at 1), minus evidence against.

    Capping the support before subtracting keeps evidence against visible even for an
    exact name with everything else agreeing: a differing passport always costs.
    """
    support = sum(c.effect for c in contributions if c.effect > 0)
    against = sum(-c.effect for c in contributions if c.effect < 0)
    return max(0.0, min(1.0, support) - against)


def _dob_contribution(dob: DateComparison) -> Contribution:
    if dob.kind == "unknown":
        return Contribution("date_of_birth", 0.0, "unknown on one side: neutral")
    doubt = min(1.0, (1.0 - dob.similarity) / DOB_FULL_DOUBT)
    effect = DOB_AGREEMENT * dob.similarity - DOB_DISAGREEMENT * doubt
    return Contribution("date_of_birth", effect, dob.kind)


def _document_contribution(document: DocumentComparison | None) -> Contribution:
    if document is None:
        return Contribution("document", 0.0, "no document on one side: neutral")
    if document.kind in _DOCUMENT_MATCH_KINDS:
        return Contribution("document", DOCUMENT_MATCH_BONUS * document.similarity, document.kind)
    if document.kind == "different":
        return Contribution(
            "document", -DOCUMENT_DIFFERS_PENALTY, "a document of the same kind differs"
        )
    return Contribution("document", 0.0, "not comparable: neutral")


def _corroborated(dob: DateComparison, document: DocumentComparison | None) -> bool:
    """Whether the date agrees (or cannot be compared) or a document matches."""
    return dob.kind in _AGREEING_DATES or (
        document is not None and document.kind in _DOCUMENT_MATCH_KINDS
    )


def _common_name_rule(
    score: float,
    query: PreparedName,
    entry: PreparedName,
    thresholds: BandThresholds,
    rules: list[str],
) -> float:
    """Keep a name made only of common words below "hit" (COMMON_NAME_BELOW_HIT)."""
    if not (_only_common(query) and _only_common(entry)):
        return score
    rules.append(
        "Name made only of common words and a date of birth that only fits the listed "
        "one: a namesake would match as well, so check identity (possible, not hit)."
    )
    return min(score, thresholds.hit - COMMON_NAME_BELOW_HIT)


def _only_common(name: PreparedName) -> bool:
    every_slot = (1 << len(name.slots)) - 1
    return (name.common | name.particles) == every_slot


def _lost_stolen_document_presented(category: str, document: DocumentComparison | None) -> bool:
    return (
        category == LOST_STOLEN
        and document is not None
        and document.kind
        in (
            "exact",
            "confusable",
        )
    )


def _lost_stolen_rule(score: float, document: DocumentComparison | None, rules: list[str]) -> float:
    if document is not None and document.kind in ("exact", "confusable"):
        rules.append("Lost/stolen document presented: a hit whatever the name says.")
        return max(score, LOST_STOLEN_DOCUMENT_HIT)
    if document is not None and document.kind == "one_edit":
        rules.append("Document one character from a lost/stolen one: check it.")
        return max(score, LOST_STOLEN_ONE_EDIT)
    if document is not None and document.kind == "different":
        rules.append("Traveller shows another document than the lost/stolen one.")
        return min(score, LOST_STOLEN_OTHER_DOCUMENT_CAP)
    return min(score, LOST_STOLEN_NAME_ONLY_CAP)


def _nationality(query: str | None, entry: Sequence[str]) -> FeatureNote:
    if not query or not entry:
        return FeatureNote("unknown", query, ", ".join(entry) or None)
    listed = {n.strip().upper() for n in entry}
    verdict = "agrees" if query.strip().upper() in listed else "differs"
    return FeatureNote(verdict, query.upper(), ", ".join(sorted(listed)))


def _sex(query: str | None, entry: str | None) -> FeatureNote:
    q = query.strip().upper() if query else None
    e = entry.strip().upper() if entry else None
    if q not in _KNOWN_SEXES or e not in _KNOWN_SEXES:
        return FeatureNote("unknown", q, e)
    return FeatureNote("agrees" if q == e else "differs", q, e)


_NATIONALITY_EFFECT = {"agrees": NATIONALITY_AGREES, "differs": NATIONALITY_DIFFERS, "unknown": 0.0}
_SEX_EFFECT = {"agrees": SEX_AGREES, "differs": SEX_DIFFERS, "unknown": 0.0}
