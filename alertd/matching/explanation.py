"""Why a traveller matched an entry, feature by feature, in words an officer can read."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from alertd.matching.alignment import NameComparison
from alertd.matching.dates import DateComparison
from alertd.matching.documents import DocumentComparison


@dataclass(frozen=True, slots=True)
class FeatureNote:
    """A simple feature (nationality, sex): what each side says and the verdict."""

    verdict: str  # "agrees", "differs", "unknown"
    query: str | None
    entry: str | None

    def describe(self, feature: str) -> str:
        if self.verdict == "unknown":
            return f"{feature.capitalize()}: not known on both sides."
        if self.verdict == "agrees":
            return f"{feature.capitalize()} agrees ({self.query})."
        return f"{feature.capitalize()} differs: traveller {self.query}, listed {self.entry}."


@dataclass(frozen=True, slots=True)
class Contribution:
    """One step of how the score was reached (officers and auditors can follow it)."""

    feature: str
    effect: float  # change to the score; 0 for neutral
    note: str


@dataclass(frozen=True, slots=True)
class Explanation:
    name: NameComparison | None
    date_of_birth: DateComparison
    document: DocumentComparison | None
    nationality: FeatureNote
    sex: FeatureNote
    mrz_warnings: tuple[str, ...]
    contributions: tuple[Contribution, ...]
    rules: tuple[str, ...]  # special rules that decided the band (lost/stolen document)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: plain str/float/bool/None, lists and dicts only."""
        return {
            "name": _name_dict(self.name),
            "date_of_birth": {
                "kind": self.date_of_birth.kind,
                "similarity": round(self.date_of_birth.similarity, 3),
                "traveller": self.date_of_birth.query,
                "listed": self.date_of_birth.entry,
                "description": self.date_of_birth.describe(),
            },
            "document": _document_dict(self.document),
            "nationality": _note_dict(self.nationality, "nationality"),
            "sex": _note_dict(self.sex, "sex"),
            "mrz_warnings": list(self.mrz_warnings),
            "contributions": [
                {"feature": c.feature, "effect": round(c.effect, 3), "note": c.note}
                for c in self.contributions
            ],
            "rules": list(self.rules),
        }

    def summary(self) -> str:
        """A few sentences, strongest evidence first."""
        parts = [describe_name(self.name)]
        if self.document is not None:
            parts.append(self.document.describe())
        parts.append(self.date_of_birth.describe())
        parts.append(self.nationality.describe("nationality"))
        parts.append(self.sex.describe("sex"))
        parts.extend(self.rules)
        parts.extend(f"MRZ warning: {w}" for w in self.mrz_warnings)
        return " ".join(p for p in parts if p)


def describe_name(name: NameComparison | None) -> str:
    if name is None:
        return "Names: nothing to compare."
    aligned = ", ".join(
        f"{m.query}~{m.entry} ({m.reason}, {m.similarity:.2f})" for m in name.matches
    )
    text = f"Name {name.score:.2f}: '{name.query_name}' vs '{name.entry_name}'"
    text += f" [{aligned}]" if aligned else " [no words align]"
    if name.unmatched_entry:
        text += f"; listed words not on the traveller's name: {' '.join(name.unmatched_entry)}"
    if name.unmatched_query:
        text += f"; traveller's words not listed: {' '.join(name.unmatched_query)}"
    if name.transliterated:
        steps = (
            READING_STEPS.get(script, f"romanising {script}") for script in name.transliterated
        )
        text += f"; compared after {', '.join(steps)}"
    return text + "."


# A Latin name's other readings (names._latin_readings), as the officer reads the step;
# a name in another script was romanised from it ("romanising khmer").
READING_STEPS = {
    "wade-giles": "reading Wade-Giles as pinyin",
    "german-transliteration": "reading a German transliteration the English way",
    "old-indonesian": "reading the old Indonesian spelling in today's",
    "korean-romanisations": "reading the Korean romanisations' spellings as one",
}


def _name_dict(name: NameComparison | None) -> dict[str, Any] | None:
    if name is None:
        return None
    return {
        "score": round(name.score, 3),
        "traveller_name": name.query_name,
        "listed_name": name.entry_name,
        "aligned": [
            {"traveller": m.query, "listed": m.entry, "similarity": round(m.similarity, 3),
             "reason": m.reason}
            for m in name.matches
        ],
        "unmatched_traveller": list(name.unmatched_query),
        "unmatched_listed": list(name.unmatched_entry),
        "romanised_from": list(name.transliterated),
        "description": describe_name(name),
    }  # fmt: skip


def _document_dict(document: DocumentComparison | None) -> dict[str, Any] | None:
    if document is None:
        return None
    return {
        "kind": document.kind,
        "similarity": round(document.similarity, 3),
        "traveller": document.query_number,
        "listed": document.entry_number,
        "country_agrees": document.country_agrees,
        "description": document.describe(),
    }


def _note_dict(note: FeatureNote, feature: str) -> dict[str, Any]:
    return {
        "verdict": note.verdict,
        "traveller": note.query,
        "listed": note.entry,
        "description": note.describe(feature),
    }
