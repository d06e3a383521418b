"""The frames the hub writes straight to sockets are the frames aiohttp would write:
whole unmasked text frames, with the length in 7, 16 or 64 bits (RFC 6455, 5.2)."""

from __future__ import annotations

import asyncio
import struct

import pytest

from alertd.channels.connection import text_frame
from tests.channels.helpers import (
    AlertSpec,
    desk_socket,
    listed,
    next_of,
    raise_alerts,
    specimen,
    token,
)
from tests.conftest import Client
from tests.screening.conftest import Desks

BIG_PADDING = 70_000  # past 65,535 bytes: the 64-bit length form


@pytest.mark.parametrize(
    ("size", "header"),
    [
        (0, b"\x81\x00"),
        (125, b"\x81\x7d"),
        (126, b"\x81\x7e" + struct.pack("!H", 126)),
        (65535, b"\x81\x7e" + struct.pack("!H", 65535)),
        (65536, b"\x81\x7f" + struct.pack("!Q", 65536)),
    ],
)
def test_a_text_frame_is_its_header_then_the_utf8_payload(size: int, header: bytes) -> None:
    text = "x" * size
    assert text_frame(text) == header + text.encode()


def test_the_length_counts_bytes_not_characters() -> None:
    text = "សុខ ចាន់"  # Khmer: three bytes a character in UTF-8
    payload = text.encode()
    assert text_frame(text) == bytes((0x81, len(payload))) + payload


async def test_an_alert_over_64_kib_arrives_whole_on_a_live_socket(
    client: Client, desks: Desks, wanted: int
) -> None:
    base = await specimen(client, desks)
    big = AlertSpec("wanted_person", "GCNP", ("GCNP", "GDI"), base.checkpoint_id, BIG_PADDING)
    async with desk_socket(client, token(desks.police), after_seq=0) as ws:
        await next_of(ws, "replayed")
        await asyncio.sleep(0.1)  # the sender has drained its queue: pushes go direct
        (seq,) = await raise_alerts(client.server.app, base, [big])
        pushed = await next_of(ws, "alert")
    (listed_alert,) = [a for a in await listed(client, desks.police) if a["seq"] == seq]
    assert pushed["alert"] == listed_alert
    assert len(pushed["alert"]["padding"]) == BIG_PADDING
