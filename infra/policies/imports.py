"""The imports bucket's name and objects, and the import function's statements."""

from __future__ import annotations

from typing import Any

from infra import resources
from infra.policies.statements import CUSTOMERS, ORDERS, SETTINGS, TABLE_READ, TIMELINE, statement

IMPORTS_BUCKET_NAME = {
    "Fn::Sub": "${AWS::StackName}-" + resources.IMPORTS_BUCKET.name + "-${AWS::AccountId}"
}
"""The imports bucket's name, built (not ``Ref``): its notification targets a function
whose environment and role name the bucket, which a ``Ref`` would make circular."""
IMPORT_OBJECTS = {
    "Fn::Sub": "arn:${AWS::Partition}:s3:::${AWS::StackName}-"
    + resources.IMPORTS_BUCKET.name
    + "-${AWS::AccountId}/"
    + resources.IMPORT_UPLOAD_PREFIX
    + "*"
}


def _import_statements() -> list[dict[str, Any]]:
    """The import: read the upload, write the rejects, batch-write the history."""
    return [
        statement(["s3:GetObject", "s3:PutObject"], [IMPORT_OBJECTS]),
        statement(
            [
                "dynamodb:BatchGetItem",
                "dynamodb:BatchWriteItem",
                "dynamodb:TransactWriteItems",
                *TABLE_READ,
                "dynamodb:PutItem",
                "dynamodb:UpdateItem",
            ],
            [{"Fn::GetAtt": [t, "Arn"]} for t in (CUSTOMERS, TIMELINE, ORDERS, SETTINGS)],
        ),
    ]
