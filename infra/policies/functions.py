"""Statements per function, with the secrets each one reads."""

from __future__ import annotations

from typing import Any

from infra import resources
from infra.policies.api import _api_statements
from infra.policies.consumers import _feedback_statements, _stream_statements
from infra.policies.imports import _import_statements
from infra.policies.jobs import _job_statements
from infra.policies.statements import CUSTOMERS, KEYS, TIMELINE, statement


def secret_read_statement(secret: resources.Secret) -> dict[str, Any]:
    """Read one secret's value (``Ref`` of a secret is its ARN)."""
    return statement(["secretsmanager:GetSecretValue"], [{"Ref": secret.logical_id}])


def function_statements() -> dict[str, list[dict[str, Any]]]:
    """Statements per Chalice function logical id, with the secrets each one reads."""
    out = {
        "APIHandler": _api_statements(),
        **_stream_statements(),
        **_job_statements(),
        "OnSesFeedback": _feedback_statements(),
        # Unsubscribe by mail: the consent withdrawn, a version kept (as the one-click POST)
        "OnUnsubscribeMail": [
            statement(
                ["dynamodb:GetItem", "dynamodb:UpdateItem", "dynamodb:TransactWriteItems"],
                [{"Fn::GetAtt": [CUSTOMERS, "Arn"]}],
            ),
            statement(["dynamodb:PutItem"], [{"Fn::GetAtt": [TIMELINE, "Arn"]}]),
        ],
        resources.IMPORT_FUNCTION: _import_statements(),
        "StoreKey": [],
        # The admin authorizer reads an issued key and records its use (at most hourly).
        "AdminKey": [
            statement(["dynamodb:GetItem", "dynamodb:UpdateItem"], [{"Fn::GetAtt": [KEYS, "Arn"]}])
        ],
    }
    for secret in resources.SECRETS:
        for function in secret.functions:
            out[function].append(secret_read_statement(secret))
    return out
