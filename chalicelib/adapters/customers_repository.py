"""DynamoDB customer repository: profiles, unique-email guards and the version timeline."""

from __future__ import annotations

import json
from typing import Any

from botocore.exceptions import ClientError

from chalicelib.adapters import codec
from chalicelib.adapters.dynamo_errors import (
    failed_conditions,
    throttling_as_adapter_error,
)
from chalicelib.adapters.items import get_item
from chalicelib.adapters.pages import key_of, query_page
from chalicelib.adapters.profile_items import (
    EMAIL_GUARD,
    email_guard_key,
    is_profile,
    profile_from_item,
    profile_to_item,
    stored_profile_item,
)
from chalicelib.adapters.suppressions import DynamoSuppressions
from chalicelib.domain.corrections import Correction
from chalicelib.domain.profile import Profile
from chalicelib.domain.signup import EDITABLE_FIELDS
from chalicelib.services.exceptions import AlreadyExists, StaleWrite

TIMELINE_INDEX = "customer-time"
"""The timeline table's index by customer and time (``at``): the admin view's order."""
_TIMELINE_KEYS = frozenset({"customer_id", "entry_key", "at"})


def version_key(version: int) -> str:
    """Timeline sort key of a profile version (sorts in version order)."""
    return f"profile#v{version:08d}"


class DynamoCustomerRepository:
    """Implements :class:`chalicelib.services.ports.CustomerRepository`."""

    def __init__(
        self,
        client: Any,
        customers_table: str,
        timeline_table: str,
        suppressions: DynamoSuppressions | None = None,
    ) -> None:
        """``suppressions``, when given, is lifted for the address of every new profile
        (a new signup with an erased address is a new person)."""
        self._client = client
        self._customers = customers_table
        self._timeline = timeline_table
        self._suppressions = suppressions

    def _guard_put(self, email: str, customer_id: str) -> dict[str, Any]:
        return {
            "Put": {
                "TableName": self._customers,
                "Item": codec.to_item(
                    {
                        "customer_id": email_guard_key(email),
                        "record_type": EMAIL_GUARD,
                        "owner": customer_id,
                    }
                ),
                "ConditionExpression": "attribute_not_exists(customer_id) OR #o = :owner",
                "ExpressionAttributeNames": {"#o": "owner"},
                "ExpressionAttributeValues": {":owner": codec.to_value(customer_id)},
            }
        }

    def _version_put(
        self, customer_id: str, version: int, entry: dict[str, Any], at: str
    ) -> dict[str, Any]:
        return {
            "Put": {
                "TableName": self._timeline,
                "Item": codec.to_item(
                    {
                        "customer_id": customer_id,
                        "entry_key": version_key(version),
                        "kind": "profile_version",
                        "at": at,
                        "changes": json.dumps(entry, ensure_ascii=False, default=list),
                    }
                ),
                "ConditionExpression": "attribute_not_exists(entry_key)",
            }
        }

    def create(
        self,
        profile: Profile,
        signup_digest: str,
        correlation_id: str | None,
        import_id: str | None = None,
    ) -> None:
        """Write profile, email guard and version 1 in one transaction (all or nothing).

        ``import_id`` marks a profile an import brought in (no welcome letter)."""
        item = stored_profile_item(profile, signup_digest, correlation_id, import_id)
        items = [
            {
                "Put": {
                    "TableName": self._customers,
                    "Item": codec.to_item(item),
                    "ConditionExpression": "attribute_not_exists(customer_id)",
                }
            },
            self._guard_put(profile.email, profile.customer_id),
            self._version_put(
                profile.customer_id,
                profile.version,
                {"source": "signup", "fields": sorted(k for k, v in item.items() if v)},
                profile.created_at,
            ),
        ]
        if self._suppressions is not None:
            items.append(self._suppressions.removal(profile.email))
        try:
            with throttling_as_adapter_error():
                self._client.transact_write_items(TransactItems=items)
        except ClientError as error:
            failed = failed_conditions(error)
            if 0 in failed:
                raise AlreadyExists("customer_id") from error
            if 1 in failed:
                raise AlreadyExists("email") from error
            raise

    def _get_item(self, customer_id: str) -> dict[str, Any] | None:
        return get_item(self._client, self._customers, {"customer_id": customer_id})

    def get(self, customer_id: str) -> Profile | None:
        """The profile, or ``None`` (email guards are never returned as profiles)."""
        item = self._get_item(customer_id)
        if item is None or not is_profile(item):
            return None
        return profile_from_item(item)

    def signup_digest(self, customer_id: str) -> str | None:
        """The digest of the signup that created the profile."""
        item = self._get_item(customer_id)
        return None if item is None else item.get("signup_digest")

    def owner_of(self, email: str) -> str | None:
        """The id of the profile that owns ``email``."""
        item = self._get_item(email_guard_key(email))
        return None if item is None else item.get("owner")

    def save_correction(
        self, previous: Profile, correction: Correction, source: str, correlation_id: str | None
    ) -> None:
        """Write the corrected profile if nobody changed it meanwhile, with its version entry.

        A changed email moves the guard in the same transaction.
        """
        profile = correction.profile
        items: list[dict[str, Any]] = [
            self._correction_update(previous, profile, correlation_id),
            self._version_put(
                profile.customer_id,
                profile.version,
                {
                    "source": source,
                    "changes": [
                        {"field": c.field, "old": c.old, "new": c.new} for c in correction.changes
                    ],
                },
                profile.updated_at,
            ),
        ]
        if correction.email_changed:
            items.append(self._guard_put(profile.email, profile.customer_id))
            items.append(self._guard_delete(previous.email, profile.customer_id))
        try:
            with throttling_as_adapter_error():
                self._client.transact_write_items(TransactItems=items)
        except ClientError as error:
            failed = failed_conditions(error)
            if 2 in failed:
                raise AlreadyExists("email") from error
            if failed:
                raise StaleWrite() from error
            raise

    def _correction_update(
        self, previous: Profile, profile: Profile, correlation_id: str | None
    ) -> dict[str, Any]:
        """The profile's update, if its version is still the one corrected."""
        item = profile_to_item(profile)
        # only what a correction may change: the order path owns stats, tier, points...
        owned = set(EDITABLE_FIELDS) | {"email_status", "version", "updated_at"}
        attributes = {k: item[k] for k in owned}
        attributes["birthday_md"] = item["birthday_md"]
        attributes["unreachable_key"] = item["unreachable_key"]
        attributes["name_search"] = item["name_search"]
        attributes["correlation_id"] = correlation_id
        expression, names, values = codec.update_expression(attributes)
        values[":expected"] = codec.to_value(previous.version)
        names["#ver"] = "version"
        return {
            "Update": {
                "TableName": self._customers,
                "Key": {"customer_id": {"S": profile.customer_id}},
                "UpdateExpression": expression,
                "ConditionExpression": "#ver = :expected",
                "ExpressionAttributeNames": names,
                "ExpressionAttributeValues": values,
            }
        }

    def _guard_delete(self, email: str, owner: str) -> dict[str, Any]:
        """Delete ``email``'s guard if ``owner`` still owns it."""
        return {
            "Delete": {
                "TableName": self._customers,
                "Key": {"customer_id": {"S": email_guard_key(email)}},
                "ConditionExpression": "#o = :owner",
                "ExpressionAttributeNames": {"#o": "owner"},
                "ExpressionAttributeValues": {":owner": codec.to_value(owner)},
            }
        }

    def timeline(
        self, customer_id: str, limit: int = 50, cursor: str | None = None
    ) -> tuple[list[dict[str, Any]], str | None]:
        """One page of the customer's timeline, newest ``at`` first (the ``customer-time``
        index), and the cursor of the next page (``None`` after the last).

        Raises ``ValueError`` for a cursor this API did not give out for this customer.
        """
        arguments: dict[str, Any] = {
            "TableName": self._timeline,
            "IndexName": TIMELINE_INDEX,
            "KeyConditionExpression": "customer_id = :c",
            "ExpressionAttributeValues": {":c": {"S": customer_id}},
            "ScanIndexForward": False,
            "Limit": limit,
        }
        return query_page(
            self._client, arguments, cursor, key_of(_TIMELINE_KEYS, customer_id=customer_id)
        )
