"""The routing policy file (``config/policy.toml``): per category, who is alerted,
how urgently, which desks may take it, and the matching thresholds.

Loaded and validated once at start-up; a bad file stops the service with a message that
names the category and key.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from alertd.entries import Category
from alertd.matching import BandThresholds, load_thresholds

Severity = Literal["high", "medium", "low"]


class PolicyError(Exception):
    """The policy file is missing or invalid; the message names the key."""


class CategoryRule(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    agencies: Annotated[tuple[str, ...], Field(min_length=1)]
    severity: Severity
    desks: Literal["suspects", "victims"]
    alert_on: Literal["hit", "possible"]
    officer_instructions: str
    possible: Annotated[float, Field(gt=0, lt=1)] | None = None
    hit: Annotated[float, Field(gt=0, le=1)] | None = None

    def raises_alert(self, band: str) -> bool:
        return band == "hit" or self.alert_on == "possible"


class RoutingPolicy(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    categories: dict[Category, CategoryRule]

    @model_validator(mode="after")
    def _complete(self) -> RoutingPolicy:
        missing = set(Category) - set(self.categories)
        if missing:
            raise ValueError(f"no rule for categories: {', '.join(sorted(missing))}")
        return self

    def rule(self, category: str) -> CategoryRule:
        return self.categories[Category(category)]

    def thresholds(self) -> dict[str, BandThresholds]:
        """The engine's calibrated thresholds, with this file's overrides applied."""
        overrides = {
            c.value: {k: v for k, v in (("possible", r.possible), ("hit", r.hit)) if v is not None}
            for c, r in self.categories.items()
        }
        try:
            return load_thresholds(overrides)
        except ValueError as exc:
            raise PolicyError(f"policy thresholds: {exc}") from None


def load_policy(path: Path) -> RoutingPolicy:
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except OSError as exc:
        raise PolicyError(f"cannot read policy file {path}: {exc.strerror}") from None
    except tomllib.TOMLDecodeError as exc:
        raise PolicyError(f"policy file {path} is not valid TOML: {exc}") from None
    try:
        return RoutingPolicy.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or 'policy'}: {e['msg']}" for e in exc.errors()
        )
        raise PolicyError(f"policy file {path}: {problems}") from None
