"""alertd: a secure inter-agency alert and watchlist service for border management."""

__version__ = "0.1.0"
