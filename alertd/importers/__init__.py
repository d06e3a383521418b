"""Converters from watchlist files to entries in the service's JSON shape.

Pure functions over files: no network, no database. `convert` is what
`alertctl watchlist import FILE --format jsonl|ofac|un` calls; it yields each entry
with its line number in the JSON Lines body the CLI uploads, so an error the service
reports for "line 12" can be traced back. Entries from OFAC and UN lack `category`,
`release_to` and `expires_at`, which the caller adds.

    report = ImportReport(source=str(path))
    for line, entry in convert("un", path, report=report):
        ...
    print("\\n".join(report.summary_lines()))
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Final, Literal, get_args

from alertd.importers.jsonl import JsonLinesError, LineError, NumberedEntry, iter_jsonl
from alertd.importers.model import (
    DOCUMENT_TYPES,
    Document,
    DocumentType,
    ImportedEntry,
    ImportReport,
    Name,
)
from alertd.importers.ofac import iter_ofac_entries, locate_files
from alertd.importers.un import iter_un_entries

Format = Literal["jsonl", "ofac", "un"]
FORMATS: Final[tuple[Format, ...]] = get_args(Format)


def convert(
    fmt: Format, path: Path, *, report: ImportReport | None = None
) -> Iterator[NumberedEntry]:
    """The entries in `path` as (line, entry dict) pairs, numbered from 1.

    - "jsonl": each line a JSON object (passed through unchecked); raises JsonLinesError
      naming every bad line once the file has been read.
    - "ofac": `path` is the folder with sdn.csv, alt.csv and (optionally)
      sdn_comments.csv, or sdn.csv itself with the others beside it.
    - "un": `path` is the UN consolidated list XML.

    Files are opened lazily, when the iteration starts. Raises ValueError for an
    unknown format, FileNotFoundError for missing files.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown import format {fmt!r}; expected one of {', '.join(FORMATS)}")
    report = report if report is not None else ImportReport(source=str(path))
    if fmt == "ofac":
        files = locate_files(path)
        return _numbered(iter_ofac_entries(files.sdn, files.alt, files.comments, report=report))
    if not path.is_file():
        raise FileNotFoundError(f"{fmt} import: {path} not found")
    if fmt == "jsonl":
        return _count_jsonl(iter_jsonl(path), report)
    return _numbered(iter_un_entries(path, report=report))


def _numbered(entries: Iterator[ImportedEntry]) -> Iterator[NumberedEntry]:
    for line, entry in enumerate(entries, start=1):
        yield NumberedEntry(line, entry.to_dict())


def _count_jsonl(entries: Iterator[NumberedEntry], report: ImportReport) -> Iterator[NumberedEntry]:
    for numbered in entries:
        report.records_read += 1
        report.entries_emitted += 1
        yield numbered


__all__ = [
    "DOCUMENT_TYPES",
    "FORMATS",
    "Document",
    "DocumentType",
    "Format",
    "ImportReport",
    "ImportedEntry",
    "JsonLinesError",
    "LineError",
    "Name",
    "NumberedEntry",
    "convert",
    "iter_jsonl",
    "iter_ofac_entries",
    "iter_un_entries",
]
