"""Names of the SNS topics the app subscribes to (``infra.resources`` declares them)."""

from __future__ import annotations

SES_FEEDBACK_TOPIC = "rapport-ses-feedback"
"""The SES configuration set's event topic: bounces, complaints, deliveries."""

UNSUBSCRIBE_MAIL_TOPIC = "rapport-unsubscribe-mail"
"""The SES receipt rule's topic: mail received for the ``unsubscribe`` address."""
