"""Where the importer tests find their data.

The real lists (OFAC SDN 2021, its tiny 2025 extract, the UN list) are copied byte for
byte into tests/data/watchlists, each with its PROVENANCE.md, so these tests always run.
Where the project's shared data folder is present (beside the repository, or named by
ALERTD_SHARED_DATA), a test checks that the copies are still identical to it.
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
    return PROJECT_FIXTURES


@pytest.fixture(scope="session")
def shared_lists() -> Path:
    folder = shared_watchlists()
    if not folder.is_dir():
        pytest.skip(f"shared data not found at {folder} (set {SHARED_DATA_ENV})")
    return folder


@pytest.fixture(scope="session")
def tiny_ofac() -> Path:
    return PROJECT_FIXTURES / "ofac_sdn_tiny_2025"
