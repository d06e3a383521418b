"""The four-eyes workflow through the real API, including the forbidden paths."""

from __future__ import annotations

from alertd.clock import FrozenClock
from tests.conftest import Client
from tests.watchlist.helpers import ENTRIES, WatchlistApi, entry_body, matched_ids, problem


async def test_draft_submit_approve_publishes(api: WatchlistApi) -> None:
    entry_id = await api.create()
    assert (await api.detail(entry_id, "editor"))["status"] == "draft"
    response = await api.action(entry_id, "submit", "editor")
    assert await response.json() == {"id": entry_id, "version": 1, "status": "pending"}
    assert (await api.detail(entry_id, "editor"))["status"] == "pending"
    response = await api.action(entry_id, "approve", "approver")
    assert await response.json() == {"id": entry_id, "version": 1, "status": "published"}
    detail = await api.detail(entry_id, "editor")
    assert detail["status"] == "published" and detail["published_version"] == 1
    assert detail["entry"]["reason"].startswith("Arrest warrant")
    assert detail["entry"]["names"][1] == {"full": "សុខ ចាន់"}  # original script kept
    history = await api.ok("GET", f"{ENTRIES}/{entry_id}/history", "editor")
    assert [(e["action"], e["actor"], e["version"]) for e in history["events"]] == [
        ("create", "editor", 1),
        ("submit", "editor", 1),
        ("approve", "approver", 1),
    ]
    (version,) = history["versions"]
    assert (version["author"], version["submitted_by"], version["decided_by"]) == (
        "editor",
        "editor",
        "approver",
    )
    assert version["status"] == "published" and version["decided_at"]


async def test_author_cannot_approve_or_reject_own_entry(api: WatchlistApi) -> None:
    entry_id = await api.create("both")
    await api.action(entry_id, "submit", "both")
    body = await problem(await api.action(entry_id, "approve", "both"), 403)
    assert body["detail"].startswith("four eyes")
    await problem(await api.action(entry_id, "reject", "both", reason="no"), 403)
    assert (await api.detail(entry_id, "both"))["status"] == "pending"


async def test_last_editor_cannot_approve(api: WatchlistApi, clock: FrozenClock) -> None:
    entry_id = await api.create("editor")
    changed = entry_body(clock, instructions="Detain; call NCCT")
    assert (await api.call("PUT", f"{ENTRIES}/{entry_id}", "both", changed)).status == 200
    await api.action(entry_id, "submit", "editor")
    body = await problem(await api.action(entry_id, "approve", "both"), 403)
    assert "four eyes" in body["detail"]
    assert (await api.action(entry_id, "approve", "approver")).status == 200


async def test_only_approvers_decide_and_only_editors_draft(
    api: WatchlistApi, clock: FrozenClock
) -> None:
    entry_id = await api.create()
    await api.action(entry_id, "submit", "editor")
    await problem(await api.action(entry_id, "approve", "editor2"), 403)
    await problem(await api.call("POST", ENTRIES, "approver", entry_body(clock)), 403)
    await problem(await api.action(entry_id, "submit", "approver"), 403)


async def test_approver_of_another_agency_cannot_see_or_approve(api: WatchlistApi) -> None:
    entry_id = await api.create()
    await api.action(entry_id, "submit", "editor")
    # A pending NCCT entry is not released to GDI: it does not exist for them.
    await problem(await api.action(entry_id, "approve", "gdi_approver"), 404)
    await problem(await api.action(entry_id, "reject", "gdi_approver", reason="x"), 404)
    await api.action(entry_id, "approve", "approver")
    # Published and released to GDI, GDI sees it, but still may not decide on its changes.
    await api.call("PUT", f"{ENTRIES}/{entry_id}", "editor", entry_body(api.clock, sex="F"))
    body = await problem(await api.action(entry_id, "approve", "gdi_approver"), 403)
    assert "owning agency" in body["detail"]


async def test_editor_of_another_agency_cannot_change(
    api: WatchlistApi, clock: FrozenClock
) -> None:
    draft = await api.create(external_ref="D-1")
    await problem(await api.call("PUT", f"{ENTRIES}/{draft}", "gdi_editor", entry_body(clock)), 404)
    published = await api.publish(external_ref="P-1")
    response = await api.call("PUT", f"{ENTRIES}/{published}", "gdi_editor", entry_body(clock))
    await problem(response, 403)
    await problem(await api.action(published, "withdraw", "gdi_editor", reason="x"), 403)


async def test_reject_needs_a_reason_and_sends_back_to_draft(
    api: WatchlistApi, clock: FrozenClock
) -> None:
    entry_id = await api.create()
    await api.action(entry_id, "submit", "editor")
    body = await problem(
        await api.call("POST", f"{ENTRIES}/{entry_id}/reject", "approver", {}), 422
    )
    assert body["errors"][0]["field"] == "reason"
    response = await api.action(entry_id, "reject", "approver", reason="No warrant number")
    assert await response.json() == {"id": entry_id, "version": 1, "status": "draft"}
    detail = await api.detail(entry_id, "editor")
    assert detail["status"] == "draft" and detail["version_status"] == "draft"
    await problem(await api.action(entry_id, "approve", "approver"), 409)  # nothing pending
    fixed = entry_body(clock, reason="Arrest warrant 2026/114, NCCT case 88")
    assert (await api.call("PUT", f"{ENTRIES}/{entry_id}", "editor", fixed)).status == 200
    await api.action(entry_id, "submit", "editor")
    assert (await api.action(entry_id, "approve", "approver")).status == 200
    history = await api.ok("GET", f"{ENTRIES}/{entry_id}/history", "editor")
    rejected = [e for e in history["events"] if e["action"] == "reject"]
    assert rejected == [
        {
            "version": 1,
            "action": "reject",
            "actor": "approver",
            "agency": "NCCT",
            "at": rejected[0]["at"],
            "note": "No warrant number",
        }
    ]


async def test_edit_of_published_entry_is_pending_and_old_version_keeps_matching(
    api: WatchlistApi, client: Client, clock: FrozenClock
) -> None:
    entry_id = await api.publish()
    assert matched_ids(client, clock, "SOK Chan", date_of_birth="1985-03-02") == {entry_id}
    renamed = entry_body(clock, names=[{"full": "PICH Dara", "family": "PICH", "given": "Dara"}])
    response = await api.call("PUT", f"{ENTRIES}/{entry_id}", "editor2", renamed)
    assert await response.json() == {"id": entry_id, "version": 2, "status": "pending"}
    # Until approved, the published version 1 is what matches and what GDI reads.
    assert matched_ids(client, clock, "SOK Chan", date_of_birth="1985-03-02") == {entry_id}
    assert matched_ids(client, clock, "PICH Dara", date_of_birth="1985-03-02") == set()
    released = await api.detail(entry_id, "gdi_desk")
    assert released["version"] == 1 and released["entry"]["names"][0]["full"] == "SOK Chan"
    owner = await api.detail(entry_id, "editor")
    assert owner["version"] == 2 and owner["status"] == "published"
    response = await api.action(entry_id, "approve", "approver")
    assert await response.json() == {"id": entry_id, "version": 2, "status": "published"}
    assert matched_ids(client, clock, "PICH Dara", date_of_birth="1985-03-02") == {entry_id}
    assert matched_ids(client, clock, "SOK Chan", date_of_birth="1985-03-02") == set()
    history = await api.ok("GET", f"{ENTRIES}/{entry_id}/history", "editor")
    assert [(v["version"], v["status"]) for v in history["versions"]] == [
        (1, "superseded"),
        (2, "published"),
    ]


async def test_rejected_change_of_published_entry_goes_back_to_draft(
    api: WatchlistApi, client: Client, clock: FrozenClock
) -> None:
    entry_id = await api.publish()
    await api.call("PUT", f"{ENTRIES}/{entry_id}", "editor", entry_body(clock, sex="F"))
    response = await api.action(entry_id, "reject", "approver", reason="Sex is M per file")
    assert await response.json() == {"id": entry_id, "version": 2, "status": "published"}
    owner = await api.detail(entry_id, "editor")
    assert (owner["status"], owner["version"], owner["version_status"]) == (
        "published",
        2,
        "draft",
    )
    assert owner["published_version"] == 1
    assert matched_ids(client, clock, "SOK Chan", date_of_birth="1985-03-02") == {entry_id}
    # The draft can be fixed and resubmitted as the same version.
    await api.call("PUT", f"{ENTRIES}/{entry_id}", "editor", entry_body(clock, sex="M"))
    assert (await (await api.action(entry_id, "submit", "editor")).json())["version"] == 2


async def test_editing_a_pending_draft_takes_it_back_to_draft(
    api: WatchlistApi, clock: FrozenClock
) -> None:
    entry_id = await api.create()
    await api.action(entry_id, "submit", "editor")
    response = await api.call("PUT", f"{ENTRIES}/{entry_id}", "editor2", entry_body(clock))
    assert (await response.json())["status"] == "draft"
    await problem(await api.action(entry_id, "approve", "approver"), 409)


async def test_withdrawal_needs_a_second_person(
    api: WatchlistApi, client: Client, clock: FrozenClock
) -> None:
    entry_id = await api.publish()
    await problem(await api.call("POST", f"{ENTRIES}/{entry_id}/withdraw", "approver", {}), 422)
    response = await api.action(entry_id, "withdraw", "approver", reason="Arrested")
    assert await response.json() == {"id": entry_id, "version": 2, "status": "pending_withdrawal"}
    # Still published and matching while the withdrawal waits for a second person.
    assert (await api.detail(entry_id, "gdi_desk"))["status"] == "published"
    assert matched_ids(client, clock, "SOK Chan", date_of_birth="1985-03-02") == {entry_id}
    body = await problem(await api.action(entry_id, "approve", "approver"), 403)
    assert "four eyes" in body["detail"]
    await problem(await api.call("PUT", f"{ENTRIES}/{entry_id}", "editor", entry_body(clock)), 409)
    response = await api.action(entry_id, "approve", "approver2")
    assert (await response.json())["status"] == "withdrawn"
    assert matched_ids(client, clock, "SOK Chan", date_of_birth="1985-03-02") == set()
    assert (await api.detail(entry_id, "gdi_desk"))["status"] == "withdrawn"


async def test_a_withdrawn_entry_cannot_be_edited_submitted_or_withdrawn_again(
    api: WatchlistApi, clock: FrozenClock
) -> None:
    entry_id = await api.publish()
    await api.action(entry_id, "withdraw", "editor", reason="Deceased")
    await api.action(entry_id, "approve", "approver")
    body = await problem(
        await api.call("PUT", f"{ENTRIES}/{entry_id}", "editor", entry_body(clock)), 409
    )
    assert "withdrawn" in body["detail"]
    await problem(await api.action(entry_id, "submit", "editor"), 409)
    await problem(await api.action(entry_id, "withdraw", "editor", reason="again"), 409)
    await problem(await api.action(entry_id, "approve", "approver2"), 409)
    history = await api.ok("GET", f"{ENTRIES}/{entry_id}/history", "editor")
    assert [e["action"] for e in history["events"]] == [
        "create",
        "submit",
        "approve",
        "withdraw_request",
        "withdraw",
    ]


async def test_a_rejected_withdrawal_leaves_the_entry_published(
    api: WatchlistApi, client: Client, clock: FrozenClock
) -> None:
    entry_id = await api.publish()
    await api.action(entry_id, "withdraw", "editor", reason="Arrested")
    response = await api.action(entry_id, "reject", "approver", reason="Not yet confirmed")
    assert (await response.json())["status"] == "published"
    assert matched_ids(client, clock, "SOK Chan", date_of_birth="1985-03-02") == {entry_id}
    # And it can be changed again: the change is a new pending version.
    response = await api.call("PUT", f"{ENTRIES}/{entry_id}", "editor", entry_body(clock))
    assert await response.json() == {"id": entry_id, "version": 3, "status": "pending"}


async def test_only_published_entries_can_be_withdrawn(api: WatchlistApi) -> None:
    entry_id = await api.create()
    await problem(await api.action(entry_id, "withdraw", "editor", reason="x"), 409)
    await api.action(entry_id, "submit", "editor")
    await problem(await api.action(entry_id, "withdraw", "editor", reason="x"), 409)


async def test_duplicate_external_ref_in_one_agency_is_a_conflict(api: WatchlistApi) -> None:
    await api.create(external_ref="X-1")
    response = await api.call("POST", ENTRIES, "editor", entry_body(api.clock, external_ref="X-1"))
    assert "X-1" in (await problem(response, 409))["detail"]
    # Another agency may use the same reference for its own entry.
    await api.create("gdi_editor", external_ref="X-1")


async def test_without_a_token_nothing_is_answered(client: Client, clock: FrozenClock) -> None:
    await problem(await client.get(ENTRIES), 401)
    await problem(await client.post(ENTRIES, json=entry_body(clock)), 401)
