"""Fixtures for the watchlist tests: the roster of people and the API as they call it."""

from __future__ import annotations

import pytest

from alertd.clock import FrozenClock
from tests.conftest import Client, MakeUser
from tests.watchlist.helpers import Staff, WatchlistApi


@pytest.fixture
def staff(client: Client, make_user: MakeUser, clock: FrozenClock) -> Staff:
    return Staff(client, make_user, clock)


@pytest.fixture
def api(client: Client, staff: Staff, clock: FrozenClock) -> WatchlistApi:
    return WatchlistApi(client, staff, clock)
