"""Tables, explanations and error lines: pure functions of alertctl's output."""

from __future__ import annotations

from typing import Any

import pytest

from clients.alertctl.errors import (
    FieldProblem,
    InvalidInput,
    LineProblem,
    NotSignedIn,
    Problem,
    Refused,
)
from clients.alertctl.output import (
    Column,
    Output,
    display_width,
    error_document,
    error_lines,
    explanation_lines,
    fit,
    instant_text,
    table_lines,
)

# One explanation as alertd.matching.explanation.Explanation.to_dict() makes it.
EXPLANATION: dict[str, Any] = {
    "name": {"score": 0.95, "description": "Name 0.95: 'SOK Chan' vs 'SOKH Chann'."},
    "date_of_birth": {"kind": "exact", "description": "Date of birth agrees (1985-03-02)."},
    "document": None,
    "nationality": {"verdict": "agrees", "description": "Nationality agrees (KHM)."},
    "sex": {"verdict": "unknown", "description": "Sex: not known on both sides."},
    "mrz_warnings": ["check digit of the document number is wrong"],
    "contributions": [],
    "rules": [],
}


@pytest.mark.parametrize(
    ("text", "width"),
    [("SOK Chan", 8), ("សុខ ចាន់", 6), ("王小明", 6), ("Nguyễn", 6), ("", 0)],
)
def test_display_width_counts_terminal_cells(text: str, width: int) -> None:
    assert display_width(text) == width


def test_table_columns_line_up_whatever_the_script() -> None:
    rows = [
        {"id": 1, "name": "SOK Chan", "status": "published"},
        {"id": 22, "name": "សុខ ចាន់", "status": "pending"},
        {"id": 333, "name": "王小明", "status": None},
    ]
    columns = [Column("id", "id"), Column("name", "name"), Column("status", "status")]
    lines = table_lines(rows, columns)
    assert lines[0].split() == ["ID", "NAME", "STATUS"]
    status_cells = {display_width(line[: line.index(word)]) for line, word in
                    zip(lines[1:], ["published", "pending", "-"], strict=True)}  # fmt: skip
    assert len(status_cells) == 1  # every status starts in the same terminal column


def test_long_cells_are_cut_and_marked() -> None:
    assert fit("a" * 50, 10) == "a" * 9 + "…"
    assert fit("two\nlines", 20) == "two lines"
    assert display_width(fit("王" * 10, 7)) <= 7


def test_toned_cells_are_painted_after_padding() -> None:
    rows = [{"status": "hit"}, {"status": "clear"}]
    lines = table_lines(rows, [Column("status", "status", toned=True)], lambda c, w: f"<{c}>")
    assert lines[1:] == ["<hit   >", "<clear >"]  # as wide as the heading STATUS


def test_instants_are_shown_to_the_second() -> None:
    assert instant_text("2026-11-25T08:40:58.793586Z") == "2026-11-25 08:40:58Z"
    assert instant_text("2026-11-25") == "2026-11-25"
    assert instant_text(None) is None


def test_explanations_read_strongest_evidence_first() -> None:
    assert explanation_lines(EXPLANATION) == [
        "Name 0.95: 'SOK Chan' vs 'SOKH Chann'.",
        "Date of birth agrees (1985-03-02).",
        "Nationality agrees (KHM).",
        "Sex: not known on both sides.",
        "MRZ warning: check digit of the document number is wrong",
    ]
    assert explanation_lines("plain words") == ["plain words"]


def test_a_screening_result_prints_outcome_matches_and_instructions(
    capsys: pytest.CaptureFixture[str],
) -> None:
    result = {
        "crossing_id": 7,
        "outcome": "hit",
        "screened_in_ms": 3.2,
        "matches": [
            {
                "entry_id": 12,
                "external_ref": "UN-QDi.001",
                "category": "wanted_person",
                "band": "hit",
                "score": 0.931,
                "explanation": EXPLANATION,
                "instructions": "Hold at secondary inspection.",
                "alert_id": 5,
            }
        ],
    }
    Output(json_mode=False, colour=False, show_progress=False).screening(result)
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "HIT  1 match  (screened in 3.2 ms; crossing 7)"
    assert lines[2] == " 1. HIT  wanted_person  score 0.93  entry 12 UN-QDi.001  alert 5"
    assert "    Name 0.95: 'SOK Chan' vs 'SOKH Chann'." in lines
    assert lines[-1] == "    Instructions: Hold at secondary inspection."


def test_colour_only_when_asked(capsys: pytest.CaptureFixture[str]) -> None:
    Output(json_mode=False, colour=True, show_progress=False).echo(
        Output(json_mode=False, colour=True, show_progress=False).toned("hit")
    )
    assert "\x1b[" in capsys.readouterr().out
    assert Output(json_mode=False, colour=False, show_progress=False).toned("hit") == "hit"


def test_error_lines_name_fields_lines_and_the_request() -> None:
    problem = Problem(
        status=422,
        title="The request is not valid",
        detail="2 problem(s) in the import; nothing was stored",
        errors=(FieldProblem("line 3: names", "too short"), FieldProblem("", "general")),
        request_id="abc123",
    )
    assert error_lines(Refused(problem.detail, problem)) == [
        "error: 2 problem(s) in the import; nothing was stored",
        "  line 3: names: too short",
        "  general",
        "  (request id abc123)",
    ]
    throttled = Problem(status=429, title="t", detail="too many failures", retry_after=60)
    assert "  try again in 60 s" in error_lines(Refused("too many failures", throttled))
    invalid = InvalidInput("bad file", [LineProblem(2, "invalid JSON")])
    assert error_lines(invalid) == ["error: bad file", "  line 2: invalid JSON"]


def test_the_json_error_document_carries_the_exit_code() -> None:
    assert error_document(NotSignedIn("no session")) == {"error": "no session", "exit_code": 3}
    invalid = error_document(InvalidInput("bad file", [LineProblem(2, "x")]))
    assert invalid["lines"] == [{"line": 2, "message": "x"}]
    assert invalid["exit_code"] == 1
