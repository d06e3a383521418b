"""Screening a traveller: MRZ merged in, matched against the live index, answered with
what the officer must do, and — for a crossing — recorded with its matches, alerts and
audit events in one transaction before the answer leaves.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import Field, field_validator
from sqlalchemy import bindparam, insert, select, tuple_
from sqlalchemy.ext.asyncio import AsyncConnection

from alertd import alerts, audit, policy
from alertd.alerts import AlertNotice, Deadlines, NewAlert
from alertd.audit import Actor
from alertd.clock import isoformat
from alertd.entries import Country, DocumentBody, NameBody, PartialDate
from alertd.errors import FieldError, NotFound, ValidationFailed
from alertd.matching import DocumentInput, Match, MatchIndex, NameInput, Traveller
from alertd.matching.mrz import MrzData, MrzError, parse_mrz
from alertd.principal import Principal
from alertd.routing import RoutingPolicy
from alertd.tables import (
    agencies,
    crossing_matches,
    false_positive_clearances,
    watchlist_entries,
    watchlist_versions,
)
from alertd.wire import WireModel

BAND_ORDER = {"clear": 0, "possible": 1, "hit": 2}
RESTRICTED = "restricted"


class TravellerBody(WireModel):
    names: Annotated[list[NameBody], Field(max_length=10)] = []  # noqa: RUF012
    date_of_birth: PartialDate | None = None
    nationality: Country | None = None
    sex: Literal["M", "F", "X"] | None = None
    documents: Annotated[list[DocumentBody], Field(max_length=10)] = []  # noqa: RUF012
    mrz: Annotated[str, Field(min_length=1, max_length=300)] | None = None


class ScreeningBody(WireModel):
    traveller: TravellerBody


class CrossingBody(WireModel):
    checkpoint: Annotated[str, Field(pattern=r"^[A-Z][A-Z0-9_-]{1,15}$")]
    direction: Literal["entry", "exit"]
    occurred_at: datetime | None = None
    traveller: TravellerBody

    @field_validator("occurred_at")
    @classmethod
    def _aware(cls, value: datetime | None) -> datetime | None:
        if value is not None and value.tzinfo is None:
            raise ValueError("a date-time needs a time zone (use Z for UTC)")
        return value


@dataclass(frozen=True)
class Subject:
    """The traveller as screened (MRZ merged in) and as recorded."""

    traveller: Traveller
    record: dict[str, Any]


@dataclass(frozen=True)
class EntryMeta:
    owner_agency_id: int
    owner: str
    external_ref: str | None
    release_to: tuple[str, ...]
    instructions: str
    primary_name: str


@dataclass(frozen=True)
class ScreenedMatch:
    match: Match
    meta: EntryMeta
    note: str | None  # e.g. cleared earlier as a false positive
    raises_alert: bool


@dataclass(frozen=True)
class Recorded:
    """A recorded crossing: its id, each match with the alert it raised, the notices to
    push once the transaction has committed."""

    crossing_id: int
    matches: tuple[tuple[ScreenedMatch, int | None], ...]
    notices: tuple[AlertNotice, ...]


@dataclass(frozen=True)
class Screener:
    """Everything screening needs, passed in: the index, the routing policy, deadlines."""

    index: MatchIndex
    routing: RoutingPolicy
    deadlines: Deadlines

    def subject(self, body: TravellerBody, today: date) -> Subject:
        return build_subject(body, today)

    def search(self, subject: Subject, now: datetime) -> list[Match]:
        """The matching itself: pure CPU, so callers run it before taking a database
        connection (and, on SQLite, long before the write lock)."""
        return self.index.search(subject.traveller, now=now)

    async def assess(
        self, conn: AsyncConnection, subject: Subject, found: Sequence[Match]
    ) -> list[ScreenedMatch]:
        """What the matches mean: the entries' owners and instructions, earlier
        false-positive clearances, and whether each raises an alert. Reads only."""
        if not found:
            return []
        metas = await entry_metas(conn, found)
        cleared = await clearances(conn, found, subject.record.get("documents", []))
        screened = []
        for match in found:
            note = cleared.get((int(match.entry_id), match.version))
            if note and match.band == "hit":
                match = replace(match, band="possible")
            rule = self.routing.rule(match.category)
            alerting = note is None and rule.raises_alert(match.band)
            screened.append(ScreenedMatch(match, metas[int(match.entry_id)], note, alerting))
        return screened

    async def screen(
        self, conn: AsyncConnection, subject: Subject, now: datetime
    ) -> list[ScreenedMatch]:
        return await self.assess(conn, subject, self.search(subject, now))


# An MRZ name that fills its field to the last column may have been cut off there (ICAO
# 9303 truncates long names): the name screened may lack its end.
CUT_OFF_NAME = (
    "the MRZ's name field is full, so the name may be cut off: "
    "compare it with the name printed on the document"
)


def build_subject(body: TravellerBody, today: date) -> Subject:
    """The traveller to screen: typed fields first, the MRZ filling what they leave empty."""
    mrz = _parse_mrz(body.mrz, today) if body.mrz else None
    names = [NameInput(n.full, n.family, n.given) for n in body.names]
    documents = [DocumentInput(d.type, d.number, d.country) for d in body.documents]
    warnings = _mrz_warnings(mrz, today) if mrz else ()
    if mrz and not names and mrz.full_name.strip():
        names = [NameInput(mrz.full_name, mrz.surname or None, mrz.given_names or None)]
        if mrz.name_truncated:
            warnings += (CUT_OFF_NAME,)
    if mrz and not documents and mrz.document_number:
        documents = [DocumentInput(mrz.document_type, mrz.document_number, mrz.issuing_country_iso)]
    if not names and not documents:
        raise ValidationFailed(
            [FieldError("traveller", "give at least a name, a travel document or an MRZ")]
        )
    traveller = Traveller(
        names=tuple(names),
        date_of_birth=body.date_of_birth or (mrz.date_of_birth if mrz else None),
        nationality=body.nationality or (mrz.nationality_iso if mrz else None),
        sex=body.sex or (mrz.sex if mrz and mrz.sex in ("M", "F") else None),
        documents=tuple(documents),
        mrz_warnings=warnings,
    )
    return Subject(traveller, _record(traveller, mrz))


def _mrz_warnings(mrz: MrzData, today: date) -> tuple[str, ...]:
    """The MRZ's own warnings (check digits, impossible dates), and an expired document:
    the officer should know, and it is still screened."""
    expired = mrz.expiry_date is not None and mrz.expiry_date < today.isoformat()
    notice = (f"the document expired on {mrz.expiry_date}",) if expired else ()
    return (*mrz.warnings(), *notice)


def _parse_mrz(text: str, today: date) -> MrzData:
    try:
        return parse_mrz(text, today=today)
    except MrzError as exc:
        raise ValidationFailed([FieldError("traveller.mrz", str(exc))]) from None


def _record(traveller: Traveller, mrz: MrzData | None) -> dict[str, Any]:
    record: dict[str, Any] = {
        "names": [
            {k: v for k, v in (("full", n.full), ("family", n.family), ("given", n.given)) if v}
            for n in traveller.names
        ],
        "date_of_birth": traveller.date_of_birth,
        "nationality": traveller.nationality,
        "sex": traveller.sex,
        "documents": [
            {"type": d.type, "number": d.number, "country": d.country} for d in traveller.documents
        ],
    }
    if mrz:
        record["mrz"] = {"valid": mrz.valid, "warnings": list(traveller.mrz_warnings)}
    return record


async def entry_metas(conn: AsyncConnection, found: Sequence[Match]) -> dict[int, EntryMeta]:
    if not found:
        return {}
    keys = [(int(m.entry_id), m.version) for m in found]
    rows = await conn.execute(_ENTRY_METAS, {"keys": keys})
    metas = {}
    for row in rows:
        content = json.loads(row.content)
        metas[row.entry_id] = EntryMeta(
            row.owner_agency_id,
            row.code,
            row.external_ref,
            tuple(content.get("release_to", ())),
            content.get("instructions", ""),
            content["names"][0]["full"],
        )
    missing = {k for k, _ in keys} - set(metas)
    if missing:  # the index is ahead of or behind the database: never answer half-known
        raise NotFound(f"watchlist entries {sorted(missing)} are not in the database")
    return metas


async def clearances(
    conn: AsyncConnection, found: Sequence[Match], documents: Sequence[dict[str, Any]]
) -> dict[tuple[int, int], str]:
    """False-positive clearances of this traveller's documents for the matched versions."""
    keys = alerts.document_memory_keys(documents)
    if not found or not keys:
        return {}
    versions = [(int(m.entry_id), m.version) for m in found]
    rows = await conn.execute(_CLEARANCES, {"versions": versions, "keys": keys})
    return {
        (r.entry_id, r.entry_version): (
            f"cleared as a false positive by {r.cleared_by} ({r.cleared_agency}) "
            f"on {isoformat(r.cleared_at)}"
        )
        for r in rows
    }


# The reads of every matched screening, built once: building a statement and its cache
# key costs about as much CPU as executing it. (The IN lists expand at execution.)
_ENTRY_METAS = (
    select(
        watchlist_versions.c.entry_id,
        watchlist_versions.c.content,
        watchlist_entries.c.owner_agency_id,
        watchlist_entries.c.external_ref,
        agencies.c.code,
    )
    .join(watchlist_entries, watchlist_entries.c.id == watchlist_versions.c.entry_id)
    .join(agencies, agencies.c.id == watchlist_entries.c.owner_agency_id)
    .where(
        tuple_(watchlist_versions.c.entry_id, watchlist_versions.c.version).in_(
            bindparam("keys", expanding=True)
        )
    )
)
_CLEARANCES = select(false_positive_clearances).where(
    tuple_(false_positive_clearances.c.entry_id, false_positive_clearances.c.entry_version).in_(
        bindparam("versions", expanding=True)
    ),
    false_positive_clearances.c.document_key.in_(bindparam("keys", expanding=True)),
)


def officer_view(
    who: Principal, screened: ScreenedMatch, routing: RoutingPolicy, alert_id: int | None
) -> dict[str, Any]:
    """What the checkpoint officer sees: never the reason; of an entry not released to
    their agency, only the band and the instructions the checkpoint needs."""
    match, meta = screened.match, screened.meta
    rule = routing.rule(match.category)
    instructions = " ".join(p for p in (rule.officer_instructions, meta.instructions) if p)
    view: dict[str, Any] = {
        "entry_id": int(match.entry_id),
        "band": match.band,
        "score": round(match.score, 3),
        "instructions": instructions,
        "alert_id": alert_id,
    }
    if policy.sees_entry_content(who, meta.owner, meta.release_to):
        view |= {
            "external_ref": meta.external_ref,
            "category": match.category,
            "explanation": match.explanation.to_dict() | {"summary": match.explanation.summary()},
        }
    else:
        view |= {"external_ref": None, "category": RESTRICTED, "explanation": None}
    if screened.note:
        view["note"] = screened.note
    return view


def outcome_of(screened: Sequence[ScreenedMatch]) -> str:
    bands = [s.match.band for s in screened]
    return max(bands, key=BAND_ORDER.__getitem__, default="clear")


async def matches_and_alerts(
    conn: AsyncConnection,
    screener: Screener,
    actor: Actor,
    now: datetime,
    crossing_id: int,
    checkpoint_id: int,
    subject: Subject,
    screened: Sequence[ScreenedMatch],
    *,
    retro: bool,
    direction: str,
) -> tuple[list[tuple[ScreenedMatch, int | None]], list[AlertNotice]]:
    """Each match's row and, where it raises one, its alert (with its routes and audit
    event); the alert id beside each match, and the notices to push after commit."""
    with_alerts: list[tuple[ScreenedMatch, int | None]] = []
    notices: list[AlertNotice] = []
    for item in screened:
        match = item.match
        explanation = match.explanation.to_dict()
        result = await conn.execute(
            _INSERT_MATCH,
            {
                "crossing_id": crossing_id,
                "entry_id": int(match.entry_id),
                "entry_version": match.version,
                "band": match.band,
                "score": match.score,
                "explanation": json.dumps(explanation),
            },
        )
        match_id = int(result.scalar_one())
        alert_id = None
        if item.raises_alert:
            new = NewAlert(
                crossing_id=crossing_id,
                match_id=match_id,
                entry_id=int(match.entry_id),
                entry_version=match.version,
                owner_agency_id=item.meta.owner_agency_id,
                owner=item.meta.owner,
                release_to=item.meta.release_to,
                category=match.category,
                band=match.band,
                score=match.score,
                checkpoint_id=checkpoint_id,
                retro=retro,
                payload=_alert_payload(screener, item, subject, crossing_id, direction),
            )
            raised = await alerts.raise_alert(
                conn, actor, now, new, screener.routing, screener.deadlines
            )
            if raised:
                alert_id = raised[0]
                notices.append(AlertNotice("alert", raised[0], raised[1]))
        with_alerts.append((item, alert_id))
    return with_alerts, notices


_INSERT_MATCH = insert(crossing_matches).returning(crossing_matches.c.id)


def _alert_payload(
    screener: Screener,
    item: ScreenedMatch,
    subject: Subject,
    crossing_id: int,
    direction: str,
) -> dict[str, Any]:
    rule = screener.routing.rule(item.match.category)
    return {
        "entry": {
            "id": int(item.match.entry_id),
            "version": item.match.version,
            "external_ref": item.meta.external_ref,
            "owner": item.meta.owner,
            "primary_name": item.meta.primary_name,
        },
        "crossing": {"id": crossing_id, "direction": direction},
        "traveller": subject.record,
        "explanation": item.match.explanation.to_dict(),
        "instructions": " ".join(
            p for p in (rule.officer_instructions, item.meta.instructions) if p
        ),
        "protection": rule.desks == "victims",
    }


def request_hash(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


def traveller_from_record(record: dict[str, Any]) -> Traveller:
    """A recorded crossing's traveller, ready to be screened again (retro-screening)."""
    return Traveller(
        names=tuple(
            NameInput(n["full"], n.get("family"), n.get("given")) for n in record.get("names", [])
        ),
        date_of_birth=record.get("date_of_birth"),
        nationality=record.get("nationality"),
        sex=record.get("sex"),
        documents=tuple(
            DocumentInput(d["type"], d["number"], d.get("country"))
            for d in record.get("documents", [])
        ),
    )


async def retro_alerts(
    conn: AsyncConnection,
    screener: Screener,
    now: datetime,
    crossing: Any,
    match: Match,
) -> list[AlertNotice]:
    """Record a retro match of an already-recorded crossing, raising its alert."""
    record = json.loads(crossing.traveller)
    metas = await entry_metas(conn, [match])
    rule = screener.routing.rule(match.category)
    item = ScreenedMatch(match, metas[int(match.entry_id)], None, rule.raises_alert(match.band))
    _, notices = await matches_and_alerts(
        conn,
        screener,
        audit.SYSTEM,
        now,
        crossing.id,
        crossing.checkpoint_id,
        Subject(traveller_from_record(record), record),
        [item],
        retro=True,
        direction=crossing.direction,
    )
    return notices
