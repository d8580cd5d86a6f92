"""Errors raised while turning a message into mail."""

from __future__ import annotations


class MailNotBuilt(Exception):
    """The message cannot become mail (template, MIME or header error): retrying cannot help.

    ``reason`` names the kind of error (never the address or other personal data), for
    the message log.
    """

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason
