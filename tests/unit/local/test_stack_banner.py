"""``make run``'s banner tells the key in force and where the logs go."""

from __future__ import annotations

import pytest

from local.stack import LocalStack, Ports, banner


def test_the_sample_curl_uses_the_store_key_in_force(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:5000")
    monkeypatch.setenv("RAPPORT_STORE_KEY", "shop-7f3a")
    text = banner(LocalStack(Ports()))
    assert "Authorization: Bearer shop-7f3a" in text
    assert "dev-store-key" not in text
    assert "JSON lines on this console" in text


def test_without_a_key_set_the_banner_shows_the_dev_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:5000")
    monkeypatch.delenv("RAPPORT_STORE_KEY", raising=False)
    assert "Authorization: Bearer dev-store-key" in banner(LocalStack(Ports()))
