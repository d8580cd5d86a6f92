"""Reading DynamoDB errors: which actions of a cancelled transaction failed a condition,
and which errors are transient (services see them as ``Throttled`` or ``Unavailable``)."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import (
    ClientError,
    ConnectionClosedError,
    ConnectTimeoutError,
    EndpointConnectionError,
    ReadTimeoutError,
)

from chalicelib.adapters.dynamo_errors import (
    condition_held,
    failed_conditions,
    throttling_as_adapter_error,
)
from chalicelib.services.exceptions import Throttled, Unavailable


def error(code: str, reasons: list[str] | None = None) -> ClientError:
    response: dict = {"Error": {"Code": code, "Message": "x"}}
    if reasons is not None:
        response["CancellationReasons"] = [{"Code": reason} for reason in reasons]
    return ClientError(response, "TransactWriteItems")  # type: ignore[arg-type]


def test_the_positions_of_failed_conditions_are_reported() -> None:
    cancelled = error(
        "TransactionCanceledException",
        ["None", "ConditionalCheckFailed", "None", "ConditionalCheckFailed"],
    )
    assert failed_conditions(cancelled) == {1, 3}


def test_other_cancellations_and_other_errors_report_none() -> None:
    assert (
        failed_conditions(error("TransactionCanceledException", ["TransactionConflict"])) == set()
    )
    assert failed_conditions(error("ValidationException")) == set()


def raised_by(error: Exception) -> type[BaseException]:
    try:
        with throttling_as_adapter_error():
            raise error
    except BaseException as seen:  # noqa: BLE001 - the type is what is checked
        return type(seen)
    raise AssertionError("nothing raised")


def server_error(code: str, status: int) -> ClientError:
    response: dict = {"Error": {"Code": code}, "ResponseMetadata": {"HTTPStatusCode": status}}
    return ClientError(response, "Scan")  # type: ignore[arg-type]


def test_timeouts_connection_errors_and_5xx_become_unavailable_for_services() -> None:
    endpoint = "https://dynamodb.us-east-1.amazonaws.com"
    for transient in (
        ReadTimeoutError(endpoint_url=endpoint),
        ConnectTimeoutError(endpoint_url=endpoint),
        EndpointConnectionError(endpoint_url=endpoint),
        ConnectionClosedError(endpoint_url=endpoint),
        server_error("InternalServerError", 500),
        server_error("ServiceUnavailable", 503),
        server_error("Whatever", 502),
    ):
        assert raised_by(transient) is Unavailable, transient
    assert raised_by(error("ProvisionedThroughputExceededException")) is Throttled
    assert raised_by(server_error("ValidationException", 400)) is ClientError
    assert raised_by(ValueError("ours")) is ValueError


def failing_with(code: str) -> Any:
    def write(**request: Any) -> None:
        raise error(code)

    return write


def test_a_conditional_write_reports_whether_its_condition_held() -> None:
    written: list[dict[str, Any]] = []
    assert condition_held(lambda **request: written.append(request), TableName="t") is True
    assert written == [{"TableName": "t"}]
    assert condition_held(failing_with("ConditionalCheckFailedException"), TableName="t") is False


def test_a_conditional_write_raises_throttling_as_a_port_error_and_others_as_they_are() -> None:
    with pytest.raises(Throttled):
        condition_held(failing_with("ProvisionedThroughputExceededException"))
    with pytest.raises(ClientError):
        condition_held(failing_with("ValidationException"))
