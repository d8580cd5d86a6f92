"""Coupon codes as customers type them: case, spaces and dashes do not matter; junk is no code."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chalicelib.domain.reviews import coupon_code, normalized_code


@given(st.text(min_size=1, max_size=40))
def test_every_issued_code_reads_back_however_it_is_typed(signature: str) -> None:
    code = coupon_code(signature)
    assert normalized_code(code) == code
    assert normalized_code(code.lower().replace("-", " ")) == code
    assert normalized_code(f" {code.replace('-', '')} ") == code


@pytest.mark.parametrize(
    "typed", ["", "*", "-", "AAAA-BBBB-CCC", "AAAA-BBBB-CCCC-D", "AAAA-BBBB-CCC1", "ÅAAA-BBBB-CCCC"]
)
def test_what_cannot_be_a_code_is_none(typed: str) -> None:
    assert normalized_code(typed) is None
