"""How many scan segments a fanned-out run gets: the setting, or the item count's share."""

from __future__ import annotations

import pytest

from chalicelib.domain.exceptions import InvalidInput
from chalicelib.domain.settings import StoreSettings, parse_store_settings
from chalicelib.services.fanout import plan_segments


def test_by_default_each_segment_holds_at_most_250k_items() -> None:
    settings = StoreSettings()
    assert settings.job_segment_customers == 250_000 and settings.job_segments == 0
    assert plan_segments(0, settings) == 1
    assert plan_segments(250_000, settings) == 1
    assert plan_segments(250_001, settings) == 2
    assert plan_segments(20_000_000, settings) == 80  # 10M profiles and their email guards


def test_the_setting_fixes_the_count_and_the_bound_can_be_tuned() -> None:
    assert plan_segments(20_000_000, parse_store_settings({"job_segments": 8})) == 8
    tuned = parse_store_settings({"job_segment_customers": 100_000})
    assert plan_segments(1_000_000, tuned) == 10
    assert plan_segments(10, parse_store_settings({"job_segment_customers": 0})) == 10


@pytest.mark.parametrize("body", [{"job_segments": 1001}, {"job_segment_customers": -1}])
def test_out_of_bounds_settings_are_refused_naming_the_field(body: dict[str, int]) -> None:
    with pytest.raises(InvalidInput) as refused:
        parse_store_settings(body)
    assert refused.value.field == next(iter(body))
