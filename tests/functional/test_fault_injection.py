"""Under injected faults every signup still yields exactly one welcome letter."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from chalicelib import bootstrap
from local.pump import drain
from tests.functional.conftest import STORE, Stack, under_faults

SIGNUPS = 40


def test_duplicates_throttling_and_ses_errors_lose_and_repeat_nothing(
    stack: Stack, monkeypatch: pytest.MonkeyPatch
) -> None:
    pumps = under_faults(stack, monkeypatch, "duplicate=0.5,ses_error=0.3,ddb_throttle=0.1", "7")
    plan = bootstrap.container().faults
    throttled = 0
    for n in range(SIGNUPS):
        body = json.dumps({"customer_id": f"c-{n}", "email": f"person{n}@example.com"})
        for _ in range(20):  # a store retries a 503 with backoff
            response = stack.http.post("/v1/signups", headers=STORE, body=body)
            if response.status_code != 503:
                break
            throttled += 1
        assert response.status_code in (200, 201), response.body
    for _ in range(30):
        drain(pumps)
    recipients = Counter(mail["to"][0] for mail in stack.mails())
    assert recipients == Counter({f"person{n}@example.com": 1 for n in range(SIGNUPS)})
    # the faults really happened
    assert plan.injected.get("ddb_throttle", 0) > 0 and plan.injected.get("ses_error", 0) > 0
    assert throttled > 0
    assert sum(p.stats.duplicates for p in pumps) > 0
    assert sum(p.stats.retries for p in pumps) > 0
    assert all(p.stats.dead_letters == [] for p in pumps)
