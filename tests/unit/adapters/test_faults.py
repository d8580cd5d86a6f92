"""Fault injection for the local stack: parsing, seeded rolls, and errors from a real client."""

from __future__ import annotations

from typing import Any

import boto3
import pytest
from botocore.awsrequest import AWSResponse
from botocore.exceptions import ClientError

from chalicelib.adapters.faults import (
    KINDS,
    FaultPlan,
    install,
    parse_faults,
    plan_from_environment,
)

CLOSED_PORT = "http://127.0.0.1:9"


# One session for the module (its model loader is what costs time); a fresh client per test.
SESSION = boto3.session.Session(
    region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x"
)


def dynamodb_client() -> Any:
    return SESSION.client("dynamodb", endpoint_url=CLOSED_PORT)


class FakeBody:
    """A raw HTTP body for an ``AWSResponse``."""

    def __init__(self, data: bytes) -> None:
        self._data = data

    def stream(self, **_: Any) -> list[bytes]:
        return [self._data]


class Wire:
    """Records every request the client would send, and answers it with ``{}`` instead."""

    def __init__(self, client: Any) -> None:
        self.sent: list[str] = []
        client.meta.events.register("before-send.dynamodb", self._answer)

    def _answer(self, request: Any, **_: Any) -> AWSResponse:
        self.sent.append(request.url)
        return AWSResponse(request.url, 200, {"x-amzn-RequestId": "fake"}, FakeBody(b"{}"))


# --- parsing ----------------------------------------------------------------------------


@pytest.mark.parametrize("spec", [None, "", " ", ",", " , "])
def test_no_spec_is_an_inactive_plan(spec: str | None) -> None:
    plan = parse_faults(spec)
    assert plan.rates == {}
    assert not plan.active


def test_parse_every_kind() -> None:
    plan = parse_faults(" duplicate=0.5, ses_error=0.3 ,ddb_throttle=0.1", "42")
    assert plan.rates == {"duplicate": 0.5, "ses_error": 0.3, "ddb_throttle": 0.1}
    assert plan.seed == 42
    assert plan.active
    assert set(plan.rates) == set(KINDS)


def test_zero_rates_are_inactive() -> None:
    plan = parse_faults("duplicate=0,ses_error=0.0")
    assert not plan.active
    assert not plan.roll("duplicate")


@pytest.mark.parametrize("spec", ["duplicate=0", "duplicate=1", "duplicate=1.0", "duplicate=0.25"])
def test_rates_between_zero_and_one_inclusive(spec: str) -> None:
    parse_faults(spec)


@pytest.mark.parametrize(
    "spec",
    [
        "dupe=0.5",
        "DUPLICATE=0.5",
        "duplicate=0.5,s3_error=0.1",
        "=0.5",
        "duplicate",
        "duplicate=",
        "duplicate=half",
        "duplicate=1.5",
        "duplicate=-0.1",
        "duplicate=nan",
        "duplicate=inf",
        "duplicate=0.5;ses_error=0.1",
    ],
)
def test_bad_specs_raise_value_error(spec: str) -> None:
    with pytest.raises(ValueError):
        parse_faults(spec)


def test_unknown_kind_error_lists_the_known_kinds() -> None:
    with pytest.raises(ValueError) as caught:
        parse_faults("ddb_error=0.1")
    message = str(caught.value)
    assert "ddb_error" in message
    assert all(kind in message for kind in KINDS)


def test_bad_seed_raises_value_error() -> None:
    with pytest.raises(ValueError):
        parse_faults("duplicate=0.5", "not-a-number")


def test_plan_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RAPPORT_FAULTS", "ses_error=0.3")
    monkeypatch.setenv("RAPPORT_FAULT_SEED", "7")
    plan = plan_from_environment()
    assert plan.rates == {"ses_error": 0.3}
    assert plan.seed == 7
    monkeypatch.delenv("RAPPORT_FAULTS")
    monkeypatch.delenv("RAPPORT_FAULT_SEED")
    assert not plan_from_environment().active


# --- rolls ------------------------------------------------------------------------------


def rolls(plan: FaultPlan, kind: str, n: int = 200) -> list[bool]:
    return [plan.roll(kind) for _ in range(n)]


def test_same_seed_same_sequence() -> None:
    first = rolls(parse_faults("duplicate=0.5", "1234"), "duplicate")
    second = rolls(parse_faults("duplicate=0.5", "1234"), "duplicate")
    assert first == second
    assert any(first) and not all(first)


def test_different_seeds_differ() -> None:
    first = rolls(parse_faults("duplicate=0.5", "1"), "duplicate")
    second = rolls(parse_faults("duplicate=0.5", "2"), "duplicate")
    assert first != second


def test_seeded_choices_repeat() -> None:
    options = ("TooManyRequestsException", "MessageRejected")
    first = parse_faults("ses_error=1", "9")
    second = parse_faults("ses_error=1", "9")
    assert [first.choice(options) for _ in range(50)] == [second.choice(options) for _ in range(50)]


def test_rate_one_always_and_rate_zero_never() -> None:
    plan = parse_faults("duplicate=1,ses_error=0", "3")
    assert all(rolls(plan, "duplicate", 100))
    assert not any(rolls(plan, "ses_error", 100))
    assert not any(rolls(plan, "ddb_throttle", 100))  # not configured


def test_injections_are_counted_per_kind() -> None:
    plan = parse_faults("duplicate=0.5,ddb_throttle=1", "5")
    hits = sum(rolls(plan, "duplicate", 100))
    rolls(plan, "ddb_throttle", 7)
    assert plan.injected == {"duplicate": hits, "ddb_throttle": 7}


def test_rate_is_roughly_honoured() -> None:
    plan = parse_faults("duplicate=0.3", "11")
    hits = sum(rolls(plan, "duplicate", 2000))
    assert 450 < hits < 750


# --- on a real boto3 client -------------------------------------------------------------


def test_throttle_at_rate_one_raises_without_a_network_call() -> None:
    client = dynamodb_client()
    sent: list[str] = []
    client.meta.events.register("before-send", lambda request, **_: sent.append(request.url))
    plan = parse_faults("ddb_throttle=1.0")
    install(client, "dynamodb", plan)
    with pytest.raises(ClientError) as caught:
        client.get_item(TableName="customers", Key={"customer_id": {"S": "c1"}})
    error = caught.value
    assert error.response["Error"]["Code"] == "ProvisionedThroughputExceededException"
    assert error.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert error.operation_name == "GetItem"
    assert isinstance(error, client.exceptions.ProvisionedThroughputExceededException)
    assert sent == []
    assert plan.injected == {"ddb_throttle": 1}


@pytest.mark.parametrize(
    ("operation", "arguments"),
    [
        ("put_item", {"TableName": "t", "Item": {"k": {"S": "1"}}}),
        (
            "query",
            {
                "TableName": "t",
                "KeyConditionExpression": "k = :k",
                "ExpressionAttributeValues": {":k": {"S": "1"}},
            },
        ),
        (
            "transact_write_items",
            {"TransactItems": [{"Put": {"TableName": "t", "Item": {"k": {"S": "1"}}}}]},
        ),
    ],
)
def test_every_dynamodb_operation_is_throttled(operation: str, arguments: dict[str, Any]) -> None:
    client = dynamodb_client()
    wire = Wire(client)
    install(client, "dynamodb", parse_faults("ddb_throttle=1"))
    with pytest.raises(ClientError) as caught:
        getattr(client, operation)(**arguments)
    assert caught.value.response["Error"]["Code"] in (
        "ProvisionedThroughputExceededException",
        "ThrottlingException",
    )
    assert wire.sent == []


def test_seeded_throttles_follow_the_plans_rolls() -> None:
    expected = rolls(parse_faults("ddb_throttle=0.5", "2024"), "ddb_throttle", 30)
    client = dynamodb_client()
    wire = Wire(client)
    plan = parse_faults("ddb_throttle=0.5", "2024")
    install(client, "dynamodb", plan)
    observed = []
    for _ in range(30):
        try:
            client.get_item(TableName="t", Key={"k": {"S": "1"}})
            observed.append(False)
        except ClientError as error:
            assert error.response["Error"]["Code"] == "ProvisionedThroughputExceededException"
            observed.append(True)
    assert observed == expected
    assert len(wire.sent) == expected.count(False)
    assert plan.injected.get("ddb_throttle", 0) == expected.count(True)


def test_inactive_plan_leaves_the_client_alone() -> None:
    client = dynamodb_client()
    wire = Wire(client)
    install(client, "dynamodb", parse_faults(""))
    assert (
        client.get_item(TableName="t", Key={"k": {"S": "1"}})["ResponseMetadata"]["HTTPStatusCode"]
        == 200
    )
    assert len(wire.sent) == 1


def test_ses_errors_do_not_touch_dynamodb() -> None:
    client = dynamodb_client()
    wire = Wire(client)
    install(client, "dynamodb", parse_faults("ses_error=1,duplicate=1"))
    client.get_item(TableName="t", Key={"k": {"S": "1"}})
    assert len(wire.sent) == 1


def test_ses_error_on_a_real_sesv2_client() -> None:
    client = SESSION.client("sesv2", endpoint_url=CLOSED_PORT)
    sent: list[str] = []
    client.meta.events.register("before-send", lambda request, **_: sent.append(request.url))
    install(client, "sesv2", parse_faults("ses_error=1", "3"))
    codes = set()
    for _ in range(20):
        with pytest.raises(ClientError) as caught:
            client.send_email(
                FromEmailAddress="a@example.com",
                Destination={"ToAddresses": ["b@example.com"]},
                Content={"Raw": {"Data": b"Subject: hi\r\n\r\nhi"}},
            )
        codes.add(caught.value.response["Error"]["Code"])
        status = caught.value.response["ResponseMetadata"]["HTTPStatusCode"]
        assert status == (
            400 if caught.value.response["Error"]["Code"] == "MessageRejected" else 429
        )
    assert codes == {"TooManyRequestsException", "MessageRejected"}
    assert sent == []
