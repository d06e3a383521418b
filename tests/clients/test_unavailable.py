"""Servers that fail or do not speak the contract: exit 4, with what went wrong.

A real alertd does not answer 5xx on demand, so a small stdlib HTTP server stands in
for a broken one (or for a proxy in front of a stopped one).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.clients.conftest import Alertctl, Server

# Starts real processes (alertd, alertctl): `pytest -m 'not smoke'` leaves them out.
pytestmark = pytest.mark.smoke

EXIT_UNAVAILABLE = 4
# path → (status, content type, body)
ANSWERS = {
    "/failing/api/v1/auth/login": (
        500,
        "application/problem+json",
        json.dumps(
            {
                "type": "https://alertd.example/problems/internal-error",
                "title": "Internal error",
                "status": 500,
                "detail": "an internal error occurred; it was logged",
                "request_id": "feedbeef",
            }
        ),
    ),
    "/proxy/api/v1/auth/login": (502, "text/html", "<html>Bad Gateway</html>"),
    "/garbled/api/v1/auth/login": (200, "text/html", "<html>welcome</html>"),
    "/wrong-shape/api/v1/auth/login": (200, "application/json", '{"token": "x"}'),
}


class Canned(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", "0")))
        status, content_type, body = ANSWERS.get(self.path, (404, "text/plain", "no"))
        encoded = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(encoded)))
        self.end_headers()
        self.wfile.write(encoded)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def canned() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Canned)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.mark.parametrize(
    ("prefix", "says"),
    [
        ("/failing", "the server failed: 500 an internal error occurred"),
        ("/proxy", "the server failed: 502 Bad Gateway"),
        ("/garbled", "unexpected answer from the server: 200 is not JSON"),
        ("/wrong-shape", "unexpected answer from the server: 'access_token' is not text"),
    ],
)
def test_a_broken_server_exits_4(canned: str, tmp_path: Path, prefix: str, says: str) -> None:
    client = Alertctl(Server(canned + prefix, {}, tmp_path), tmp_path / "config")
    result = client.login("editor")
    assert result.exit_code == EXIT_UNAVAILABLE, result.stderr
    assert says in result.stderr
    assert not (tmp_path / "config" / "alertctl").exists()
