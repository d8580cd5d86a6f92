"""Admin keys through the API: issued once, listed without the key, revoked at once."""

from __future__ import annotations

import hashlib
import hmac
import io
import json
import logging
from typing import Any

from botocore.exceptions import ClientError

from chalicelib import bootstrap
from chalicelib.domain.admin_keys import key_id_of
from chalicelib.observability import logger
from infra.resources import ADMIN_KEYS_SECRET, KEYS
from tests.functional.conftest import ADMIN, STORE, Stack

KEYS_VALUE = "admin-keys-secret-only-in-secrets-manager"


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}


def issue(stack: Stack, role: str, name: str = "ops dashboard", as_: Any = ADMIN) -> Any:
    body = json.dumps({"name": name, "role": role})
    return stack.http.post("/v1/admin/keys", headers=as_, body=body)


def test_a_key_is_shown_once_and_stored_as_an_hmac_under_the_stored_secret(stack: Stack) -> None:
    client = stack.session.client("secretsmanager")
    client.put_secret_value(SecretId=stack.env[ADMIN_KEYS_SECRET.env], SecretString=KEYS_VALUE)
    created = issue(stack, "viewer")
    assert created.status_code == 201, created.body
    body = created.json_body
    key = body["key"]
    assert key_id_of(key) == body["key_id"]
    assert created.headers["Location"] == f"/v1/admin/keys/{body['key_id']}"
    assert (body["name"], body["role"], body["last_used_at"]) == ("ops dashboard", "viewer", None)
    item = stack.dynamodb().get_item(TableName=KEYS.name, Key={"key_id": {"S": body["key_id"]}})
    stored = json.dumps(item["Item"])
    assert key not in stored and hashlib.sha256(key.encode()).hexdigest() not in stored
    expected = hmac.new(KEYS_VALUE.encode(), key.encode(), hashlib.sha256).hexdigest()
    assert item["Item"]["digest"] == {"S": expected}
    listed = stack.http.get("/v1/admin/keys", headers=ADMIN).json_body
    assert [entry["key_id"] for entry in listed["items"]] == [body["key_id"]]
    assert key not in json.dumps(listed) and expected not in json.dumps(listed)


def test_the_list_pages_oldest_first_and_shows_last_use(stack: Stack) -> None:
    ids = [issue(stack, "viewer", f"key {n}").json_body for n in range(3)]
    used = bearer(ids[1]["key"])
    assert stack.http.get("/v1/admin/messages", headers=used).status_code == 200
    first = stack.http.get("/v1/admin/keys?limit=2", headers=ADMIN).json_body
    rest = stack.http.get(f"/v1/admin/keys?cursor={first['next_cursor']}", headers=ADMIN)
    seen = first["items"] + rest.json_body["items"]
    assert [entry["name"] for entry in seen] == ["key 0", "key 1", "key 2"]
    assert [entry["last_used_at"] is not None for entry in seen] == [False, True, False]
    assert set(seen[0]) == {"key_id", "name", "role", "created_at", "last_used_at"}
    bad = stack.http.get("/v1/admin/keys?cursor=%%%", headers=ADMIN)
    assert bad.status_code == 400 and bad.json_body["error"]["field"] == "cursor"


def test_a_revoked_key_is_refused_with_401_by_the_next_call(stack: Stack) -> None:
    created = issue(stack, "admin").json_body
    headers = bearer(created["key"])
    assert stack.http.get("/v1/admin/keys", headers=headers).status_code == 200
    revoked = stack.http.delete(f"/v1/admin/keys/{created['key_id']}", headers=ADMIN)
    assert revoked.status_code == 204 and revoked.body == b""
    refused = stack.http.get("/v1/admin/messages", headers=headers)
    assert refused.status_code == 401
    assert refused.json_body["error"]["field"] == "Authorization"
    again = stack.http.delete(f"/v1/admin/keys/{created['key_id']}", headers=ADMIN)
    assert again.status_code == 404 and again.json_body["error"]["field"] == "key_id"


def test_an_issued_admin_key_manages_keys_and_a_viewer_does_not(
    stack: Stack,
) -> None:
    issued = issue(stack, "admin").json_body
    admin = bearer(issued["key"])
    handler = logger.registered_handler
    assert isinstance(handler, logging.StreamHandler)
    buffer = io.StringIO()
    previous = handler.setStream(buffer)
    try:
        viewer_key = issue(stack, "viewer", as_=admin)
    finally:
        handler.setStream(previous)
    out = buffer.getvalue()
    assert viewer_key.status_code == 201
    lines = [json.loads(line) for line in out.splitlines() if line.startswith("{")]
    logged = [(ln["key_id"], ln["by"]) for ln in lines if ln["message"] == "admin key issued"]
    assert logged == [(viewer_key.json_body["key_id"], issued["key_id"])]
    assert viewer_key.json_body["key"] not in out
    viewer = bearer(viewer_key.json_body["key"])
    denied = issue(stack, "admin", as_=viewer)
    assert denied.status_code == 403
    assert denied.json_body["error"] == {
        "code": "forbidden",
        "message": "a viewer key may not call this route; it needs an admin key",
        "field": "Authorization",
    }
    assert stack.http.get("/v1/admin/settings/store", headers=viewer).status_code == 200
    put = stack.http.put("/v1/admin/settings/store", headers=viewer, body='{"store_name": "X"}')
    assert put.status_code == 403
    assert stack.http.get("/v1/admin/settings/store", headers=ADMIN).json_body["store_name"] != "X"
    job = stack.http.post("/v1/admin/jobs/deferred-mail", headers=viewer, body="")
    assert job.status_code == 403
    assert (
        stack.http.delete(
            f"/v1/admin/keys/{viewer_key.json_body['key_id']}", headers=admin
        ).status_code
        == 204
    )


def test_unknown_keys_are_401_and_the_store_key_403(stack: Stack) -> None:
    forged = "rpk_0123456789abcdef_" + "A" * 43
    for token in (forged, "not-a-key"):
        assert stack.http.get("/v1/admin/messages", headers=bearer(token)).status_code == 401
    assert stack.http.get("/v1/admin/messages", headers=STORE).status_code == 403
    assert issue(stack, "admin", as_=STORE).status_code == 403
    assert stack.http.get("/v1/admin/keys").status_code == 401


def test_a_new_key_names_its_bad_field(stack: Stack) -> None:
    cases = [
        ('{"name": "x"}', "role"),
        ('{"name": "x", "role": "root"}', "role"),
        ('{"role": "admin"}', "name"),
        ('{"name": "x", "role": "admin", "owner": "ana"}', "owner"),
        ("not json", "body"),
    ]
    for body, field in cases:
        answer = stack.http.post("/v1/admin/keys", headers=ADMIN, body=body)
        assert answer.status_code == 400, body
        assert answer.json_body["error"]["field"] == field, body


def test_a_key_that_cannot_be_read_is_a_503_not_a_refusal(stack: Stack) -> None:
    key = issue(stack, "viewer").json_body["key"]

    def throttle(params: dict[str, Any], **_: Any) -> None:
        if params.get("TableName") == KEYS.name:
            error = {"Error": {"Code": "ProvisionedThroughputExceededException", "Message": "x"}}
            raise ClientError(error, "GetItem")

    client = bootstrap.container().client("dynamodb")
    client.meta.events.register("provide-client-params.dynamodb.GetItem", throttle)
    try:
        answer = stack.http.get("/v1/admin/messages", headers=bearer(key))
    finally:
        client.meta.events.unregister("provide-client-params.dynamodb.GetItem", throttle)
    assert answer.status_code == 503 and answer.headers["Retry-After"] == "5"
    assert answer.json_body["error"]["code"] == "unavailable"
    assert stack.http.get("/v1/admin/messages", headers=bearer(key)).status_code == 200
    assert stack.http.get("/v1/admin/messages", headers=ADMIN).status_code == 200
