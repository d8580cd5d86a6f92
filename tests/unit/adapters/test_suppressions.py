"""The suppression list's keyed hash: normalized, keyed, distinct from link signatures."""

from __future__ import annotations

import hashlib

from chalicelib.adapters.suppressions import AddressHasher

SECRET = b"a-deployment-secret-of-32-bytes!"


def test_the_hash_is_keyed_and_ignores_case_and_spaces() -> None:
    hasher = AddressHasher(lambda: SECRET)
    digest = hasher.digest("Ana@Example.com ")
    assert digest == hasher.digest("ana@example.com")
    assert digest != hashlib.sha256(b"ana@example.com").hexdigest()  # not a bare hash
    assert digest != AddressHasher(lambda: b"another-secret-of-32-bytes-long!").digest(
        "ana@example.com"
    )
    assert "ana" not in digest and len(digest) == 64
