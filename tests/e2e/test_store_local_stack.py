"""A small real shop through the local stack: every fact counted, the nightly job completes.

The store (500 customers, 1,000 orders over nine months, :mod:`bench.store`) is posted
by 8 concurrent clients; the full size (2,500 and 5,000) runs in ``make bench``, whose
figures hold the speed targets. Here only correctness is asserted, with generous bounds.
"""

from __future__ import annotations

from collections import Counter

import pytest

from bench.local_store import get_json, replay
from bench.store import generate
from tests.e2e.conftest import ADMIN_KEY, STORE_KEY, RunningStack, start_stack, stop_stack

pytestmark = pytest.mark.e2e


def test_a_shop_of_500_customers_and_1000_orders_is_counted_and_scored() -> None:
    store = generate(customers=500, orders=1_000)
    stack: RunningStack = start_stack()
    try:
        result = replay(stack.api, STORE_KEY, ADMIN_KEY, store, drain_timeout=300)
        assert result.signups == Counter({201: 500})
        assert result.orders == Counter({201: 1_000})
        assert result.uncounted == [] and result.drain_s is not None
        assert result.job["status"] == "succeeded", result.job
        assert result.job["result"]["customers"] == 500
        assert result.job["result"]["scored"] == len(store.orders_per_customer())
        status, rfm = get_json(f"{stack.api}/v1/admin/models/rfm", ADMIN_KEY)
        assert status == 200 and rfm, rfm
        status, clv = get_json(f"{stack.api}/v1/admin/models/clv", ADMIN_KEY)
        assert status == 200 and clv, clv
        # a customer's counted stats match what the shop sent
        busiest, count = store.orders_per_customer().most_common(1)[0]
        _, profile = get_json(f"{stack.api}/v1/customers/{busiest}", STORE_KEY)
        sent = sum(o["total"] for o in store.orders if o["customer_id"] == busiest)
        assert profile["stats"]["orders"] == count and profile["stats"]["spent"] == sent
        assert "Traceback" not in stack.output()
    finally:
        assert stop_stack(stack) == 0
