"""One customer's derived value: loyalty, RFM segment and CLV with stored models."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from chalicelib.domain import clv, rfm
from chalicelib.domain.customer_value import (
    SEGMENT_IDS,
    SEGMENT_NAMES,
    UNRANKED,
    Rescored,
    ValueInputs,
    assemble,
    rescore,
)
from chalicelib.domain.loyalty import LoyaltySettings
from chalicelib.domain.value_settings import CustomerValueSettings
from tests.unit.domain.clv_simulation import cdnow_like_parameters

AS_OF = date(2026, 11, 1)
SETTINGS = CustomerValueSettings()
BOUNDARIES = rfm.RfmBoundaries(
    recency=(10, 30, 90, 200),
    frequency=(1, 1, 2, 4),
    monetary=(2_000, 5_000, 9_000, 20_000),
    customers=100,
)


def item(
    orders: int = 3,
    spent: int = 12_000,
    last: str | None = "2026-10-20T09:30:00.000Z",
    days: dict[str, Any] | None = None,
    **extra: Any,
) -> dict[str, Any]:
    stats = {"orders": orders, "spent": spent, "currency": "USD", "last_order_at": last}
    default_days = {"2026-03-01": 4_000, "2026-07-15": 3_000, "2026-10-20": 5_000}
    return {
        "customer_id": "c-1",
        "record_type": "profile",
        "stats": stats,
        "purchase_days": default_days if days is None else days,
        **extra,
    }


def test_segment_ids_are_those_of_the_rfm_module() -> None:
    assert dict(SEGMENT_NAMES) == dict(rfm.SEGMENTS)
    assert tuple(rfm.SEGMENTS) == SEGMENT_IDS
    assert len(SEGMENT_IDS) == 11


def test_inputs_from_a_stored_item_accept_decimals() -> None:
    stored = item(orders=Decimal(3), spent=Decimal(12_000), days={"2026-10-20": Decimal(5_000)})
    inputs = ValueInputs.from_item(stored)
    assert (inputs.orders, inputs.spent) == (3, 12_000)
    assert inputs.purchase_days == {"2026-10-20": 5_000}
    assert inputs.recency_days(AS_OF) == 12


def test_a_customer_without_orders_is_occasional_with_no_segment() -> None:
    for stored in (item(orders=0, spent=0, last=None, days={}), {"customer_id": "c-2"}):
        result = rescore(ValueInputs.from_item(stored), AS_OF, SETTINGS, BOUNDARIES, None)
        assert result == Rescored(loyalty="occasional")
        assert result.attributes() == {
            "loyalty": "occasional",
            "rfm": None,
            "segment_key": None,
            "clv": None,
            "clv_value": None,
        }


def test_rfm_and_segment_come_from_the_stored_boundaries() -> None:
    result = rescore(ValueInputs.from_item(item()), AS_OF, SETTINGS, BOUNDARIES, None)
    expected = rfm.score(BOUNDARIES, 12, 3, 12_000)
    assert result.rfm == expected.to_dict()
    assert result.segment_key == expected.segment
    assert result.loyalty == "loyal"
    assert result.clv is None and result.clv_value == UNRANKED  # still in the segment index


def test_without_boundaries_there_is_loyalty_but_no_segment() -> None:
    result = rescore(ValueInputs.from_item(item(orders=6)), AS_OF, SETTINGS, None, None)
    assert result == Rescored(loyalty="very_loyal")


def test_recency_runs_to_as_of_so_a_later_day_lowers_r_and_loyalty() -> None:
    inputs = ValueInputs.from_item(item())
    soon = rescore(inputs, AS_OF, SETTINGS, BOUNDARIES, None)
    later = rescore(inputs, date(2027, 11, 1), SETTINGS, BOUNDARIES, None)
    assert soon.rfm is not None and later.rfm is not None
    assert (soon.rfm["r"], later.rfm["r"]) == (4, 1)
    assert (soon.loyalty, later.loyalty) == ("loyal", "occasional")


def test_loyalty_thresholds_come_from_settings() -> None:
    strict = CustomerValueSettings(loyalty=LoyaltySettings(loyal_min_orders=4))
    inputs = ValueInputs.from_item(item())
    assert rescore(inputs, AS_OF, strict, None, None).loyalty == "occasional"


def test_clv_is_predicted_with_stored_parameters_and_rounded() -> None:
    params = cdnow_like_parameters()
    inputs = ValueInputs.from_item(item())
    result = rescore(inputs, AS_OF, SETTINGS, BOUNDARIES, params)
    summary = clv.summarize(inputs.purchases(AS_OF), AS_OF)
    prediction = clv.predict(params, summary)
    assert result.clv == {
        "p_alive": round(prediction.p_alive, 4),
        "expected_orders_365d": round(prediction.expected_orders_365d, 3),
        "value_365d": prediction.value_365d,
    }
    assert result.clv_value == prediction.value_365d > 0


def test_a_backfill_ignores_purchase_days_after_as_of() -> None:
    params = cdnow_like_parameters()
    inputs = ValueInputs.from_item(item())
    result = rescore(inputs, date(2026, 8, 1), SETTINGS, BOUNDARIES, params)
    summary = clv.summarize(
        [(date(2026, 3, 1), 4_000), (date(2026, 7, 15), 3_000)], date(2026, 8, 1)
    )
    assert result.clv_value == clv.predict(params, summary).value_365d
    early = rescore(inputs, date(2026, 1, 1), SETTINGS, BOUNDARIES, params)
    assert early.clv is None and early.rfm is not None


def test_customers_with_orders_but_no_purchase_days_get_no_clv() -> None:
    inputs = ValueInputs.from_item(item(days={}))
    result = rescore(inputs, AS_OF, SETTINGS, BOUNDARIES, cdnow_like_parameters())
    assert result.clv is None and result.segment_key is not None


def test_assemble_matches_the_vectorised_path() -> None:
    params = cdnow_like_parameters()
    inputs = ValueInputs.from_item(item())
    single = rescore(inputs, AS_OF, SETTINGS, BOUNDARIES, params)
    [score] = rfm.score_many(BOUNDARIES, [12], [3], [12_000])
    [prediction] = clv.predict_many(params, [clv.summarize(inputs.purchases(AS_OF), AS_OF)])
    assert assemble("loyal", score, prediction) == single


def test_key_compares_stored_values_as_dynamodb_returns_them() -> None:
    fresh = rescore(
        ValueInputs.from_item(item()), AS_OF, SETTINGS, BOUNDARIES, cdnow_like_parameters()
    )
    assert fresh.clv is not None and fresh.rfm is not None
    stored = {
        "loyalty": fresh.loyalty,
        "rfm": {k: Decimal(v) if isinstance(v, int) else v for k, v in fresh.rfm.items()},
        "segment_key": fresh.segment_key,
        "clv": {k: Decimal(repr(v)) for k, v in fresh.clv.items()},
        "clv_value": Decimal(fresh.clv_value or 0),
    }
    assert Rescored.from_item(stored).key() == fresh.key()
    assert Rescored.from_item({**stored, "loyalty": "very_loyal"}).key() != fresh.key()
    assert Rescored.from_item({}).key() != Rescored(loyalty="occasional").key()


@pytest.mark.parametrize("module", ["chalicelib.domain.customer_value", "chalicelib.api.insights"])
def test_importing_does_not_import_numpy(module: str) -> None:
    code = f"import sys, {module}; sys.exit('numpy' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


def test_a_profile_item_decodes_into_its_value_inputs_and_what_it_holds_now() -> None:
    from chalicelib.domain.customer_value import ProfileValues, Rescored

    item = {
        "customer_id": "c-1",
        "stats": {"orders": 2, "spent": 5000, "last_order_at": "2026-10-01T12:00:00.000Z"},
        "purchase_days": {"2026-09-01": 2000, "2026-10-01": 3000},
        "loyalty": "loyal",
        "segment_key": "champions",
        "clv_value": 4200,
    }
    profile = ProfileValues.from_item(item)
    assert (profile.inputs.customer_id, profile.inputs.orders, profile.inputs.spent) == (
        "c-1",
        2,
        5000,
    )
    assert profile.current == Rescored(loyalty="loyal", segment_key="champions", clv_value=4200)
