"""Reading DynamoDB errors: which actions of a cancelled transaction failed a condition."""

from __future__ import annotations

from botocore.exceptions import ClientError

from chalicelib.adapters.dynamo_errors import failed_conditions


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
