"""The keys table, secret and permissions in the template; the admin authorizer uncached."""

from __future__ import annotations

from typing import Any

import app as app_module
from infra import resources
from infra.template import merge_template


def statements(template: dict[str, Any], function: str) -> list[dict[str, Any]]:
    policy = template[f"{function}Role"]["Properties"]["Policies"][0]["PolicyDocument"]
    return list(policy["Statement"][1:])  # after the logs statement


def test_the_admin_authorizer_result_is_never_cached() -> None:
    ttl = {handler.name: handler.ttl_seconds for handler in app_module.app.builtin_auth_handlers}
    assert ttl["admin_key"] == 0  # a revoked key is refused by the very next request


def test_the_admin_authorizer_reads_keys_and_records_use_and_nothing_else() -> None:
    template = merge_template()["Resources"]
    assert statements(template, "AdminKey") == [
        {
            "Effect": "Allow",
            "Action": ["dynamodb:GetItem", "dynamodb:UpdateItem"],
            "Resource": [{"Fn::GetAtt": [resources.KEYS.logical_id, "Arn"]}],
        },
        {
            "Effect": "Allow",
            "Action": ["secretsmanager:GetSecretValue"],
            "Resource": [{"Ref": resources.ADMIN_KEYS_SECRET.logical_id}],
        },
    ]
    assert statements(template, "StoreKey") == []


def test_only_the_api_and_the_admin_authorizer_get_the_keys_secret() -> None:
    template = merge_template()["Resources"]
    holders = {
        name
        for name, resource in template.items()
        if resources.ADMIN_KEYS_SECRET.env
        in resource.get("Properties", {}).get("Environment", {}).get("Variables", {})
    }
    assert holders == {"APIHandler", "AdminKey"}
    api = statements(template, "APIHandler")
    keys_arn = {"Fn::GetAtt": [resources.KEYS.logical_id, "Arn"]}
    assert any(
        s["Action"] == ["dynamodb:DeleteItem", "dynamodb:PutItem", "dynamodb:Query"]
        and keys_arn in s["Resource"]
        for s in api
    )
    table = template[resources.KEYS.logical_id]["Properties"]
    assert table["SSESpecification"] == {"SSEEnabled": True}
