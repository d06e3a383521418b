from __future__ import annotations

from alertd.roles import Role
from tests.conftest import Client, MakeUser, bearer, login


async def test_login_and_me(client: Client, make_user: MakeUser) -> None:
    user = await make_user("officer1", Role.CHECKPOINT_OFFICER, checkpoints=("POI",))
    tokens = await login(client, user)
    response = await client.get("/api/v1/me", headers=bearer(tokens))
    assert response.status == 200
    me = await response.json()
    assert me["username"] == "officer1"
    assert me["checkpoints"] == ["POI"]
