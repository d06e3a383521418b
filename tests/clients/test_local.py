"""Local logic, no server: import bodies, token and seq files, reconnect delays."""

from __future__ import annotations

import json
import stat
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from yarl import URL

from clients.alertctl.errors import InvalidInput
from clients.alertctl.importing import (
    CATEGORIES,
    DEFAULT_INSTRUCTIONS,
    EntryDefaults,
    ImportBody,
    convert_file,
)
from clients.alertctl.listen import MAX_DELAY_SECONDS, Backoff, SeqStore, ws_url
from clients.alertctl.session import StoredSession, config_directory, server_key

OFAC_TINY = Path("/work/shared/data/watchlists/ofac_sdn_tiny_2025")
DEFAULTS = EntryDefaults.from_options(
    "wanted_person", "GCNP, GDI", 365, None, today=date(2026, 11, 25)
)


def body_lines(body: ImportBody) -> list[str]:
    body.file.seek(0)
    return body.file.read().decode().split("\n")


def test_defaults_fill_what_an_entry_lacks_and_never_override_it() -> None:
    assert DEFAULTS.release_to == ("GCNP", "GDI")
    assert DEFAULTS.expires_at == "2027-11-25"
    filled = DEFAULTS.complete({"names": [{"full": "X"}]})
    assert filled["category"] == "wanted_person"
    assert filled["release_to"] == ["GCNP", "GDI"]
    assert filled["instructions"] == DEFAULT_INSTRUCTIONS["wanted_person"]
    own: dict[str, Any] = {
        "category": "potential_victim",
        "release_to": ["MOSVY"],
        "expires_at": "2027-01-01",
    }
    kept = DEFAULTS.complete(own)
    assert {k: kept[k] for k in own} == own
    assert kept["instructions"] == DEFAULT_INSTRUCTIONS["potential_victim"]


def test_every_category_has_default_instructions() -> None:
    assert set(DEFAULT_INSTRUCTIONS) == set(CATEGORIES)
    assert "not as a suspect" in DEFAULT_INSTRUCTIONS["potential_victim"]
    assert "without remark" in DEFAULT_INSTRUCTIONS["discreet_check"]


def test_given_instructions_replace_the_default() -> None:
    given = EntryDefaults.from_options("entry_ban", "GDI", 30, "Call HQ.", date(2026, 1, 1))
    assert given.complete({})["instructions"] == "Call HQ."


def test_body_line_numbers_are_file_line_numbers(tmp_path: Path) -> None:
    source = tmp_path / "entries.jsonl"
    source.write_text('{"external_ref": "A"}\n\n  \n{"external_ref": "B"}\n')
    counted: list[int] = []
    body = convert_file("jsonl", source, DEFAULTS, lambda: counted.append(1))
    try:
        lines = body_lines(body)
        assert json.loads(lines[0])["external_ref"] == "A"
        assert lines[1:3] == ["", ""]
        assert json.loads(lines[3])["external_ref"] == "B"
        assert body.count == 2 == len(counted)
        assert body.size == len("\n".join(lines).encode())
        assert body.describe_line(4) == "line 4 (B)"
        assert body.describe_line(2) == "line 2"
    finally:
        body.close()


def test_the_tiny_ofac_list_becomes_four_complete_entries() -> None:
    body = convert_file("ofac", OFAC_TINY, DEFAULTS, lambda: None)
    try:
        entries = [json.loads(line) for line in body_lines(body) if line]
        assert body.count == len(entries) == 4
        assert {e["external_ref"] for e in entries} == set(body.references.values())
        assert all(e["category"] == "wanted_person" for e in entries)
        assert all(e["expires_at"] == "2027-11-25" for e in entries)
        assert any("emitted 4 entries" in line for line in body.summary)
    finally:
        body.close()


def test_unusable_files_are_invalid_input(tmp_path: Path) -> None:
    broken = tmp_path / "broken.jsonl"
    broken.write_text('{"a": 1}\n{oops\n')
    with pytest.raises(InvalidInput) as caught:
        convert_file("jsonl", broken, DEFAULTS, lambda: None)
    assert [(p.line, p.message.split(":")[0]) for p in caught.value.lines] == [
        (2, "invalid JSON at column 2")
    ]
    with pytest.raises(InvalidInput, match="cannot read"):
        convert_file("ofac", tmp_path, DEFAULTS, lambda: None)
    not_xml = tmp_path / "un.xml"
    not_xml.write_text("<CONSOLIDATED_LIST>")
    with pytest.raises(InvalidInput, match="cannot read"):
        convert_file("un", not_xml, DEFAULTS, lambda: None)


def test_token_files_are_named_by_server() -> None:
    assert server_key(URL("http://127.0.0.1:8080")) == "127.0.0.1-8080"
    assert server_key(URL("https://Alertd.Example.org/base")) == "alertd.example.org-443"
    assert server_key(URL("http://[::1]:9000")) == "__1-9000"
    assert config_directory({"XDG_CONFIG_HOME": "/x"}) == Path("/x/alertctl")
    assert config_directory({"XDG_CONFIG_HOME": "relative"}).parts[-2:] == (".config", "alertctl")


def test_refresh_margin_is_a_fifth_of_a_short_lifetime() -> None:
    stored = StoredSession("u", "n", "a", "r", access_expires_at=1030.0, expires_in=30, user={})
    assert not stored.needs_refresh(1023.9)
    assert stored.needs_refresh(1024.0)
    long_lived = StoredSession("u", "n", "a", "r", 1600.0, expires_in=600, user={})
    assert not long_lived.needs_refresh(1569.0)
    assert long_lived.needs_refresh(1570.0)


def test_the_listen_position_is_kept_per_user(tmp_path: Path) -> None:
    seqs = SeqStore(tmp_path / "alertctl", URL("http://127.0.0.1:8080"))
    assert seqs.load("police") is None
    seqs.save("police", 41)
    assert seqs.load("police") == 41
    assert seqs.load("social") is None  # another user starts from the live edge
    assert seqs.path.name == "127.0.0.1-8080.seq.json"
    assert stat.S_IMODE(seqs.path.stat().st_mode) == 0o600


def test_reconnect_delays_grow_to_a_bound_with_jitter() -> None:
    backoff = Backoff()
    delays = [backoff.delay() for _ in range(10)]
    assert 0.8 <= delays[0] <= 1.2
    assert 1.6 <= delays[1] <= 2.4
    assert all(d <= MAX_DELAY_SECONDS * 1.2 for d in delays)
    assert delays[-1] >= MAX_DELAY_SECONDS * 0.8
    backoff.reset()
    assert backoff.delay() <= 1.2


def test_the_websocket_url_follows_the_server_url() -> None:
    assert ws_url(URL("http://127.0.0.1:8080")) == "ws://127.0.0.1:8080/api/v1/ws"
    assert ws_url(URL("https://alertd.example/base/")) == "wss://alertd.example/base/api/v1/ws"
