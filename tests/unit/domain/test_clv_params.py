"""Stored CLV parameters: JSON form, DynamoDB numbers and validation."""

from __future__ import annotations

import json
import math
from decimal import Decimal

import pytest

from chalicelib.domain.clv import TIME_UNIT, ClvParameters
from chalicelib.domain.exceptions import InvalidInput
from tests.unit.domain.clv_simulation import cdnow_like_parameters as params


def test_parameters_round_trip_through_json() -> None:
    p = params()
    stored = json.loads(json.dumps(p.to_dict()))
    assert stored["fitted_at"] == "2025-03-01" and stored["time_unit"] == TIME_UNIT
    assert stored["log_likelihood"] == pytest.approx(-9582.4 - 4055.9)
    assert ClvParameters.from_dict(stored) == p


def test_parameters_read_back_from_dynamodb_decimals() -> None:
    p = params()
    stored = {
        key: Decimal(str(value)) if isinstance(value, float | int) else value
        for key, value in p.to_dict().items()
    }
    assert ClvParameters.from_dict(stored) == p


def test_a_missing_stored_field_is_named() -> None:
    stored = params().to_dict()
    del stored["gamma"]
    with pytest.raises(InvalidInput) as error:
        ClvParameters.from_dict(stored)
    assert error.value.field == "gamma"


@pytest.mark.parametrize(
    ("field", "value"),
    [("r", 0.0), ("alpha", -1.0), ("b", math.inf), ("q", 1.0), ("time_unit", "months")],
)
def test_unusable_parameters_are_rejected(field: str, value: object) -> None:
    with pytest.raises(InvalidInput) as error:
        params(**{field: value})
    assert error.value.field == field
