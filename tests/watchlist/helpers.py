"""Shared helpers for watchlist tests: entry bodies and the people who handle them."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from alertd.clock import FrozenClock


def entry_body(clock: FrozenClock, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "external_ref": "UN-QDi.001",
        "category": "wanted_person",
        "names": [
            {"full": "SOK Chan", "family": "SOK", "given": "Chan"},
            {"full": "សុខ ចាន់"},
            {"full": "Sokh Chann"},
        ],
        "dates_of_birth": ["1985-03-02"],
        "nationalities": ["KHM"],
        "sex": "M",
        "documents": [{"type": "passport", "number": "N01234567", "country": "KHM"}],
        "reason": "Arrest warrant 2026/114 for trafficking",
        "instructions": "Detain and call the GCNP duty desk",
        "release_to": ["GCNP", "GDI"],
        "expires_at": (clock.now() + timedelta(days=200)).date().isoformat(),
    }
    return body | overrides
