"""A transaction sent again with its client token is applied once, as DynamoDB does."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError
from moto import mock_aws

from local import moto_transaction_tokens


@pytest.fixture()
def dynamodb(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_ACCOUNT_ID_ENDPOINT_MODE": "disabled",
    }.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    moto_transaction_tokens.install()
    with mock_aws():
        client = boto3.client("dynamodb", region_name="us-east-1")
        client.create_table(
            TableName="t",
            KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
            BillingMode="PAY_PER_REQUEST",
        )
        yield client


def _fold(version: int) -> list[dict[str, Any]]:
    """A fold as the import writes one: conditional on the version, and a new marker."""
    return [
        {
            "Update": {
                "TableName": "t",
                "Key": {"pk": {"S": "c-1"}},
                "UpdateExpression": "SET v = :next ADD folds :one",
                "ConditionExpression": "attribute_not_exists(v) OR v = :v",
                "ExpressionAttributeValues": {
                    ":v": {"N": str(version)},
                    ":next": {"N": str(version + 1)},
                    ":one": {"N": "1"},
                },
            }
        },
        {
            "Put": {
                "TableName": "t",
                "Item": {"pk": {"S": "import#c-1"}},
                "ConditionExpression": "attribute_not_exists(pk)",
            }
        },
    ]


def _folds(client: Any) -> str:
    return str(client.get_item(TableName="t", Key={"pk": {"S": "c-1"}})["Item"]["folds"]["N"])


def test_a_retry_with_the_same_token_succeeds_and_applies_nothing_again(dynamodb: Any) -> None:
    dynamodb.transact_write_items(TransactItems=_fold(0), ClientRequestToken="retry-1")
    dynamodb.transact_write_items(TransactItems=_fold(0), ClientRequestToken="retry-1")
    assert _folds(dynamodb) == "1"


def test_the_same_items_under_another_token_are_a_new_transaction(dynamodb: Any) -> None:
    dynamodb.transact_write_items(TransactItems=_fold(0), ClientRequestToken="first")
    with pytest.raises(ClientError) as refused:
        dynamodb.transact_write_items(TransactItems=_fold(0), ClientRequestToken="second")
    assert refused.value.response["Error"]["Code"] == "TransactionCanceledException"
    assert _folds(dynamodb) == "1"


def test_a_token_reused_for_other_items_is_refused(dynamodb: Any) -> None:
    dynamodb.transact_write_items(TransactItems=_fold(0), ClientRequestToken="mine")
    with pytest.raises(ClientError) as refused:
        dynamodb.transact_write_items(TransactItems=_fold(1), ClientRequestToken="mine")
    assert refused.value.response["Error"]["Code"] == "IdempotentParameterMismatchException"
    assert _folds(dynamodb) == "1"


def test_a_failed_transaction_is_run_again_on_its_retry(dynamodb: Any) -> None:
    dynamodb.put_item(TableName="t", Item={"pk": {"S": "import#c-1"}})
    with pytest.raises(ClientError):
        dynamodb.transact_write_items(TransactItems=_fold(0), ClientRequestToken="again")
    dynamodb.delete_item(TableName="t", Key={"pk": {"S": "import#c-1"}})
    dynamodb.transact_write_items(TransactItems=_fold(0), ClientRequestToken="again")
    assert _folds(dynamodb) == "1"


def test_tokens_are_forgotten_after_ten_minutes(monkeypatch: pytest.MonkeyPatch) -> None:
    window = moto_transaction_tokens.IDEMPOTENCY_SECONDS
    done = {"old": ("a", 0.0), "recent": ("b", 10.0)}
    monkeypatch.setattr(moto_transaction_tokens, "_done", done)
    moto_transaction_tokens._forget_before(window + 5.0)
    assert list(done) == ["recent"]
