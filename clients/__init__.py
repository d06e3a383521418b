"""Clients of the alertd HTTP and WebSocket contract (`alertctl`; the web console later)."""
