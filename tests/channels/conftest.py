"""The channels tests use the screening fixtures: desks, officers and a wanted entry."""

from tests.screening.conftest import desks, wanted

__all__ = ["desks", "wanted"]
