"""The Secrets Manager secrets and the functions that read each."""

from __future__ import annotations

from chalicelib.config import (
    CARRIER_SECRET_VARIABLE,
    SIGNING_SECRET_VARIABLE,
)
from infra.resources.kinds import Secret

SIGNING_SECRET = Secret(
    logical_id="SigningSecret",
    name="rapport-signing",
    env=SIGNING_SECRET_VARIABLE,
    description="HMAC key for Rapport's signed public links",
    # The API verifies links; the mailer and the shipments stream write them into mail.
    functions=("APIHandler", "Mailer", "OnShipment", "OnUnsubscribeMail"),
)
CARRIER_SECRET = Secret(
    logical_id="CarrierSecret",
    name="rapport-carrier",
    env=CARRIER_SECRET_VARIABLE,
    description="HMAC key carriers sign their webhooks with (X-Rapport-Signature)",
    functions=("APIHandler",),  # POST /v1/carrier-events
)
ADMIN_KEYS_SECRET = Secret(
    logical_id="AdminKeysSecret",
    name="rapport-admin-keys",
    env="RAPPORT_ADMIN_KEYS_SECRET_ARN",
    description="HMAC key under which Rapport stores the digests of the admin keys it issues",
    # The API issues keys (POST /v1/admin/keys); the admin authorizer checks them.
    functions=("APIHandler", "AdminKey"),
)
SECRETS: tuple[Secret, ...] = (SIGNING_SECRET, CARRIER_SECRET, ADMIN_KEYS_SECRET)
