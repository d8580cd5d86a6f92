"""Each function's least-privilege role, environment and layers."""

from __future__ import annotations

from typing import Any

from infra import layer, resources
from infra.policies import IMPORTS_BUCKET_NAME, function_statements, logs_statement

SEGMENT_SENDERS = ("CustomerValue", "CoPurchases", "JobSegment")
"""The functions that queue a fanned-out job's segment tasks."""


def _environment(function: str) -> dict[str, Any]:
    variables: dict[str, Any] = {
        "POWERTOOLS_SERVICE_NAME": "rapport",
        "POWERTOOLS_METRICS_NAMESPACE": "Rapport",
        "RAPPORT_MAIL_FROM": {"Ref": "SenderAddress"},
        "RAPPORT_SES_CONFIGURATION_SET": resources.SES_CONFIGURATION_SET,
        "RAPPORT_STORE_KEY_SHA256": {"Ref": "StoreKeyHashes"},
        "RAPPORT_ADMIN_KEY_SHA256": {"Ref": "AdminKeyHashes"},
        "RAPPORT_PUBLIC_BASE_URL": {
            "Fn::Sub": "https://${RestAPI}.execute-api.${AWS::Region}.amazonaws.com/api"
        },
    }
    for table in resources.TABLES:
        variables[table.env] = {"Ref": table.logical_id}
    for topic in resources.TOPICS:
        variables[topic.env] = {"Ref": topic.logical_id}
    variables[resources.PROFILE_EVENT_BUS.env] = {"Ref": resources.PROFILE_EVENT_BUS.logical_id}
    variables[resources.IMPORTS_BUCKET.env] = IMPORTS_BUCKET_NAME
    if function in SEGMENT_SENDERS:
        variables[resources.JOB_SEGMENTS_QUEUE.env] = {
            "Ref": resources.JOB_SEGMENTS_QUEUE.logical_id
        }
    for secret in resources.SECRETS:
        if function in secret.functions:
            variables[secret.env] = {"Ref": secret.logical_id}  # the ARN, never the value
    return {"Variables": variables}


def _role(function: str, statements: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "Type": "AWS::IAM::Role",
        "Properties": {
            "AssumeRolePolicyDocument": {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Principal": {"Service": "lambda.amazonaws.com"},
                        "Action": "sts:AssumeRole",
                    }
                ],
            },
            "Policies": [
                {
                    "PolicyName": f"{function}LeastPrivilege",
                    "PolicyDocument": {
                        "Version": "2012-10-17",
                        "Statement": [logs_statement(), *statements],
                    },
                }
            ],
        },
    }


def _functions() -> dict[str, Any]:
    """Each function's least-privilege role, environment and layers."""
    res: dict[str, Any] = {}
    for function, statements in function_statements().items():
        role_id = f"{function}Role"
        res[role_id] = _role(function, statements)
        res[function] = {
            "Properties": {
                "Role": {"Fn::GetAtt": [role_id, "Arn"]},
                "Environment": _environment(function),
            }
        }
    for science in resources.LAYERS:
        res[science.logical_id] = layer.template_resource(science)
        for function in science.functions:
            layers = res[function]["Properties"].setdefault("Layers", [])
            layers.append({"Ref": science.logical_id})
    return res
