from __future__ import annotations

import io
from pathlib import Path

import pytest

from alertd.importers import JsonLinesError, NumberedEntry, iter_jsonl
from alertd.importers.jsonl import MAX_REPORTED_LINES, parse_line


def test_lines_come_with_their_numbers_and_blank_lines_are_skipped(tmp_path: Path) -> None:
    path = tmp_path / "entries.jsonl"
    path.write_bytes(b'\xef\xbb\xbf{"a": 1}\r\n\r\n  \n{"b": "\xc3\xa9"}\n')  # BOM, CRLF, UTF-8
    assert list(iter_jsonl(path)) == [
        NumberedEntry(1, {"a": 1}),
        NumberedEntry(4, {"b": "é"}),
    ]


def test_every_bad_line_is_reported_by_number() -> None:
    stream = io.StringIO('{"ok": 1}\n{"broken": \n[1, 2]\n{"ok": 2}\n"text"\n')
    yielded: list[NumberedEntry] = []
    with pytest.raises(JsonLinesError) as raised:
        yielded.extend(iter_jsonl(stream))
    # Nothing after the first bad line is handed out: the batch is all or nothing.
    assert yielded == [NumberedEntry(1, {"ok": 1})]
    error = raised.value
    assert error.total == 3
    assert [(e.line, e.message) for e in error.errors] == [
        (2, "invalid JSON at column 12: Expecting value"),
        (3, "expected a JSON object, got list"),
        (5, "expected a JSON object, got str"),
    ]
    assert "line 2: invalid JSON at column 12" in str(error)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"x": NaN}', "NaN is not valid JSON"),
        ('{"x": -Infinity}', "-Infinity is not valid JSON"),
        ('{"names": [], "names": [1]}', "duplicate key 'names'"),
        ("null", "expected a JSON object, got NoneType"),
    ],
)
def test_not_quite_json_is_refused(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_line(text)


def test_nested_objects_may_repeat_keys_of_their_parents() -> None:
    assert parse_line('{"names": [{"full": "A"}, {"full": "B"}]}') == {
        "names": [{"full": "A"}, {"full": "B"}]
    }


def test_the_number_of_listed_errors_is_capped() -> None:
    stream = io.StringIO("x\n" * (MAX_REPORTED_LINES + 5))
    with pytest.raises(JsonLinesError) as raised:
        list(iter_jsonl(stream))
    assert raised.value.total == MAX_REPORTED_LINES + 5
    assert len(raised.value.errors) == MAX_REPORTED_LINES
    assert "(and 5 more)" in str(raised.value)
