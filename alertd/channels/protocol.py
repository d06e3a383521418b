"""The WebSocket protocol at ``GET /api/v1/ws``: its messages and close codes.

Client → server (JSON text frames):

    {"type": "auth", "token": "<access token>"}   first message, within 5 seconds; again
                                                   before the token expires, to renew it
    {"type": "resume", "after_seq": N}             optional, right after the first auth:
                                                   replay every alert after seq N, then live
    {"type": "ack", "alert_id": ID}                acknowledge for your agency (idempotent)
    {"type": "pong"}                               answer to a ping

Server → client:

    {"type": "ready", "user": {...}, "last_seq": N, "ping_interval": S}
    {"type": "alert", "seq": N, "alert": {...}}          a new alert (same JSON as the REST list)
    {"type": "alert_update", "seq": N, "alert": {...}}   acknowledged, escalated or resolved
    {"type": "replayed", "last_seq": N}                  the replay is done; live from here
    {"type": "ack_result", "alert_id": ID, "status": S}
    {"type": "authenticated", "expires_at": T}           a renewed token was accepted
    {"type": "ping"}
    {"type": "error", "detail": "..."}                   a bad message (the socket stays open)

Close codes (the reason text says more):
"""

from __future__ import annotations

from typing import Final

# The client did not authenticate in time, its token expired or was refused, or its
# session ended (logout, account disabled): sign in again, reconnect and resume.
CLOSE_UNAUTHENTICATED: Final = 4401
# The user's roles do not allow alert channels (desk officers only).
CLOSE_FORBIDDEN: Final = 4403
# Not a protocol message (not JSON, unknown type, wrong fields) where one was required.
CLOSE_PROTOCOL: Final = 4400
# A ping went unanswered (no pong, nor any other message) for a whole ping interval.
CLOSE_HEARTBEAT: Final = 4408
# The client read too slowly and its send queue filled: reconnect and resume from the
# last seq it received; nothing is lost, the database has it.
CLOSE_TOO_SLOW: Final = 4429
# The server is shutting down: reconnect (to another node) and resume.
CLOSE_GOING_AWAY: Final = 1001
# The database could not serve the sign-in or the replay (busy, unreachable): reconnect
# after a back-off and resume.
CLOSE_TRY_AGAIN: Final = 1013

CLOSE_CODES: Final = {
    CLOSE_UNAUTHENTICATED: "unauthenticated",
    CLOSE_FORBIDDEN: "forbidden",
    CLOSE_PROTOCOL: "protocol error",
    CLOSE_HEARTBEAT: "heartbeat timeout",
    CLOSE_TOO_SLOW: "too slow",
    CLOSE_GOING_AWAY: "going away",
    CLOSE_TRY_AGAIN: "try again later",
}
AUTH_TIMEOUT_SECONDS: Final = 5.0
MAX_MESSAGE_BYTES: Final = 16 * 1024
