"""Adapter errors.

Adapters translate AWS errors into the port errors of
:mod:`chalicelib.services.exceptions` (``AlreadyExists``, ``StaleWrite``, ``Throttled``,
``ClaimHeld``, ``SendFailed``), so services never see botocore. Anything else an AWS
call raises propagates unchanged and fails the request or the stream record.
"""

from __future__ import annotations

from chalicelib.services.exceptions import (
    AlreadyExists,
    ClaimHeld,
    SendFailed,
    StaleWrite,
    Throttled,
)

__all__ = ["AlreadyExists", "ClaimHeld", "SendFailed", "StaleWrite", "Throttled"]
