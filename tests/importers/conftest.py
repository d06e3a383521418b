"""Where the importer tests find their data.

The real lists live in the project's shared data folder, beside the repository (CI
lays a copy of shared/ next to its clone); ALERTD_SHARED_DATA overrides the location.
Tests on them are skipped, with the reason, where the folder is absent. The tiny OFAC
extract is also copied into tests/data, so the end-to-end test always runs.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPOSITORY = Path(__file__).resolve().parents[2]
PROJECT_FIXTURES = REPOSITORY / "tests" / "data" / "watchlists"
SHARED_DATA_ENV = "ALERTD_SHARED_DATA"


def shared_watchlists() -> Path:
    base = os.environ.get(SHARED_DATA_ENV)
    data = Path(base) if base else REPOSITORY.parent / "shared" / "data"
    return data / "watchlists"


@pytest.fixture(scope="session")
def watchlists() -> Path:
    folder = shared_watchlists()
    if not folder.is_dir():
        pytest.skip(f"real lists not found at {folder} (set {SHARED_DATA_ENV})")
    return folder


@pytest.fixture(scope="session")
def tiny_ofac() -> Path:
    return PROJECT_FIXTURES / "ofac_sdn_tiny_2025"
