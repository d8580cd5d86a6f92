"""Admin roles and the role each admin route needs: one declarative table.

An ``admin`` key may call every admin route; a ``viewer`` key only the reads listed as
:data:`VIEWER` here. Export, erasure, settings changes, campaigns, key management and
jobs need ``admin``. A route missing from :data:`ROUTE_ROLES` needs ``admin`` (the safe
default), and ``tests/functional/test_route_roles.py`` fails for an admin route that is
not listed, so a new route states its role here.
"""

from __future__ import annotations

ADMIN = "admin"
VIEWER = "viewer"
ROLES: tuple[str, ...] = (ADMIN, VIEWER)

CUSTOMER = "/v1/admin/customers/{customer_id}"
SETTINGS_STORE = "/v1/admin/settings/store"
SETTINGS_VALUE = "/v1/admin/settings/customer-value"
SUPPORT = "/v1/admin/support-messages"

ROUTE_ROLES: dict[tuple[str, str], str] = {
    ("GET", "/v1/admin/customers"): VIEWER,
    ("GET", CUSTOMER): VIEWER,
    ("GET", f"{CUSTOMER}/timeline"): VIEWER,
    ("GET", f"{CUSTOMER}/messages"): VIEWER,
    ("GET", f"{CUSTOMER}/orders"): VIEWER,
    ("GET", f"{CUSTOMER}/shipments"): VIEWER,
    ("GET", f"{CUSTOMER}/export"): ADMIN,  # everything held about one person
    ("DELETE", CUSTOMER): ADMIN,  # erasure
    ("GET", "/v1/admin/messages"): VIEWER,
    ("GET", SETTINGS_STORE): VIEWER,
    ("PUT", SETTINGS_STORE): ADMIN,
    ("GET", SETTINGS_VALUE): VIEWER,
    ("PUT", SETTINGS_VALUE): ADMIN,
    ("GET", "/v1/admin/campaigns"): ADMIN,
    ("POST", "/v1/admin/campaigns"): ADMIN,
    ("GET", "/v1/admin/campaigns/{campaign_id}"): ADMIN,
    ("POST", "/v1/admin/campaigns/{campaign_id}/cancel"): ADMIN,
    ("GET", "/v1/admin/segments"): VIEWER,
    ("GET", "/v1/admin/segments/{segment}/customers"): VIEWER,
    ("GET", "/v1/admin/loyalty/{loyalty}/customers"): VIEWER,
    ("GET", "/v1/admin/models/clv"): VIEWER,
    ("GET", "/v1/admin/models/rfm"): VIEWER,
    ("POST", "/v1/admin/jobs/{name}"): ADMIN,
    ("GET", "/v1/admin/jobs/{name}/runs/{run_id}"): ADMIN,
    ("GET", "/v1/admin/jobs/{name}/runs"): ADMIN,
    ("GET", "/v1/admin/keys"): ADMIN,
    ("POST", "/v1/admin/keys"): ADMIN,
    ("DELETE", "/v1/admin/keys/{key_id}"): ADMIN,
    ("GET", SUPPORT): VIEWER,
    ("GET", f"{SUPPORT}/{{ticket_id}}"): VIEWER,
    ("POST", f"{SUPPORT}/{{ticket_id}}/replies"): ADMIN,  # mails the customer
    ("GET", "/v1/admin/support-metrics"): VIEWER,
    ("GET", "/v1/admin/metrics"): VIEWER,
    ("POST", "/v1/admin/imports"): ADMIN,  # writes customers and orders
    ("GET", "/v1/admin/imports/{import_id}"): VIEWER,
}
"""``(method, route path)`` to the least role that may call it."""


def required_role(method: str, path: str) -> str:
    """The role a route needs (``admin`` for a route not in :data:`ROUTE_ROLES`)."""
    return ROUTE_ROLES.get((method.upper(), path), ADMIN)


def may_call(role: str, method: str, path: str) -> bool:
    """Whether a key of ``role`` may call the route ``method path``."""
    if role == ADMIN:
        return True
    return role == VIEWER and required_role(method, path) == VIEWER
