"""ManagedSecret: Powertools' SecretsProvider on an injected client, cached for max_age."""

from __future__ import annotations

from typing import Any

import boto3
import pytest
from aws_lambda_powertools.utilities.parameters import SecretsProvider
from botocore.exceptions import ReadTimeoutError
from botocore.stub import Stubber

from chalicelib.adapters import unavailability
from chalicelib.adapters.secrets import SECRET_MAX_AGE_SECONDS, ManagedSecret
from chalicelib.config import ConfigurationError
from chalicelib.services.exceptions import Throttled, Unavailable

ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:rapport-signing-AbCdEf"
SESSION = boto3.session.Session(
    region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x"
)


def stubbed(*values: dict[str, Any]) -> tuple[SecretsProvider, Stubber]:
    client = SESSION.client("secretsmanager", endpoint_url="http://127.0.0.1:9")
    stubber = Stubber(client)
    for value in values:
        stubber.add_response("get_secret_value", {"ARN": ARN, **value}, {"SecretId": ARN})
    stubber.activate()
    return SecretsProvider(boto3_client=client), stubber


def test_the_value_is_read_through_the_injected_client_once_within_max_age() -> None:
    provider, stubber = stubbed({"SecretString": "first-value-0123456789"})
    secret = ManagedSecret(provider, ARN, "RAPPORT_SIGNING_SECRET_ARN")
    assert secret() == b"first-value-0123456789"
    assert secret() == b"first-value-0123456789"  # cached: the stub has no second answer
    stubber.assert_no_pending_responses()
    assert SECRET_MAX_AGE_SECONDS <= 900


def test_a_rotated_value_is_read_once_the_cache_has_expired() -> None:
    provider, stubber = stubbed({"SecretString": "old-value"}, {"SecretString": "new-value"})
    secret = ManagedSecret(provider, ARN, "RAPPORT_SIGNING_SECRET_ARN", max_age=0)
    assert secret() == b"old-value"
    assert secret() == b"new-value"
    stubber.assert_no_pending_responses()


def test_a_binary_secret_is_returned_as_bytes() -> None:
    provider, _ = stubbed({"SecretBinary": b"\x00binary-key-0123456789"})
    assert ManagedSecret(provider, ARN, "V")() == b"\x00binary-key-0123456789"


def test_without_an_arn_the_error_names_the_variable_and_nothing_is_called() -> None:
    provider, stubber = stubbed()
    with pytest.raises(ConfigurationError, match="RAPPORT_CARRIER_SECRET_ARN"):
        ManagedSecret(provider, None, "RAPPORT_CARRIER_SECRET_ARN")()
    stubber.assert_no_pending_responses()


def test_a_throttled_read_is_throttled_not_powertools_wrapper() -> None:
    provider, stubber = stubbed()
    stubber.add_client_error("get_secret_value", "ThrottlingException", http_status_code=400)
    with pytest.raises(Throttled):
        ManagedSecret(provider, ARN, "V")()


def test_a_read_that_got_no_answer_is_the_unavailable_the_client_hook_raised() -> None:
    client = SESSION.client("secretsmanager", endpoint_url="http://127.0.0.1:9")
    unavailability.install(client)

    def slow(**_: Any) -> None:
        raise ReadTimeoutError(endpoint_url="https://secretsmanager.us-east-1.amazonaws.com")

    client.meta.events.register("before-send.secrets-manager", slow)
    with pytest.raises(Unavailable) as raised:
        ManagedSecret(SecretsProvider(boto3_client=client), ARN, "V")()
    assert raised.value.code == "ReadTimeoutError"


def test_any_other_failed_read_is_unavailable() -> None:
    provider, stubber = stubbed()
    stubber.add_client_error("get_secret_value", "InternalServiceError", http_status_code=500)
    with pytest.raises(Unavailable) as raised:
        ManagedSecret(provider, ARN, "V")()
    assert raised.value.code == "InternalServiceError"
