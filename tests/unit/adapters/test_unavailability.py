"""AWS that is slow, unreachable or failing reaches our code as ``Unavailable``.

A real botocore client, its requests answered or failed by ``before-send`` (below the
SDK's retry loop, where the network would fail), so the hooks see what the SDK raises
once it gives up.
"""

from __future__ import annotations

import json
from typing import Any

import boto3
import pytest
from botocore.awsrequest import AWSResponse
from botocore.config import Config
from botocore.exceptions import (
    ClientError,
    ConnectionClosedError,
    ConnectTimeoutError,
    EndpointConnectionError,
    ReadTimeoutError,
)

from chalicelib.adapters import unavailability
from chalicelib.adapters.dynamo_errors import throttling_as_adapter_error
from chalicelib.adapters.ses_sender import SesSender
from chalicelib.services.exceptions import SendFailed, Throttled, Unavailable

SESSION = boto3.session.Session(
    region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x"
)
ONE_ATTEMPT = Config(retries={"mode": "standard", "max_attempts": 1})


class FakeBody:
    def __init__(self, data: bytes) -> None:
        self._data = data

    def stream(self, **_: Any) -> list[bytes]:
        return [self._data]


def client(service: str, failure: Any) -> Any:
    made = SESSION.client(service, endpoint_url="http://127.0.0.1:9", config=ONE_ATTEMPT)
    unavailability.install(made)
    made.meta.events.register(f"before-send.{service}", failure)
    return made


def raising(error: Exception) -> Any:
    def send(**_: Any) -> None:
        raise error

    return send


def answering(status: int, body: dict[str, Any]) -> Any:
    def send(request: Any, **_: Any) -> AWSResponse:
        data = json.dumps(body).encode()
        return AWSResponse(request.url, status, {}, FakeBody(data))  # type: ignore[arg-type]

    return send


@pytest.mark.parametrize(
    "error",
    [
        ReadTimeoutError(endpoint_url="http://127.0.0.1:9"),
        ConnectTimeoutError(endpoint_url="http://127.0.0.1:9"),
        EndpointConnectionError(endpoint_url="http://127.0.0.1:9"),
        ConnectionClosedError(endpoint_url="http://127.0.0.1:9"),
    ],
)
def test_no_answer_is_unavailable_without_a_status(error: Exception) -> None:
    dynamodb = client("dynamodb", raising(error))
    with pytest.raises(Unavailable) as raised:
        dynamodb.get_item(TableName="t", Key={"k": {"S": "1"}})
    assert (raised.value.code, raised.value.status) == (type(error).__name__, None)
    assert isinstance(raised.value.__cause__, type(error))


@pytest.mark.parametrize(
    ("status", "code"),
    [(500, "InternalServerError"), (503, "ServiceUnavailable"), (500, "InternalFailure")],
)
def test_a_5xx_answer_is_unavailable_with_its_code_and_status(status: int, code: str) -> None:
    dynamodb = client("dynamodb", answering(status, {"__type": code, "message": "oops"}))
    with pytest.raises(Unavailable) as raised:
        dynamodb.get_item(TableName="t", Key={"k": {"S": "1"}})
    assert (raised.value.code, raised.value.status) == (code, status)


def test_throttles_and_client_errors_stay_what_they_were() -> None:
    throttled = {"__type": "ProvisionedThroughputExceededException", "message": "slow down"}
    dynamodb = client("dynamodb", answering(400, throttled))
    with pytest.raises(Throttled), throttling_as_adapter_error():
        dynamodb.get_item(TableName="t", Key={"k": {"S": "1"}})
    missing = {"__type": "ResourceNotFoundException", "message": "no table"}
    dynamodb = client("dynamodb", answering(400, missing))
    with pytest.raises(ClientError):
        dynamodb.get_item(TableName="t", Key={"k": {"S": "1"}})


def test_ses_failing_with_a_5xx_sent_nothing_but_a_timeout_may_have_sent() -> None:
    failing = client("sesv2", answering(500, {"__type": "InternalFailure", "message": "x"}))
    with pytest.raises(SendFailed) as refused:
        SesSender(failing).send_raw("a@example.com", "b@example.com", b"raw")
    assert refused.value.code == "InternalFailure"
    slow = client("sesv2", raising(ReadTimeoutError(endpoint_url="http://127.0.0.1:9")))
    with pytest.raises(Unavailable):
        SesSender(slow).send_raw("a@example.com", "b@example.com", b"raw")
