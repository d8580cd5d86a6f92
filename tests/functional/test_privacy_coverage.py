"""The export covers every table and index of ``infra/`` that holds customer data.

Each table declares ``holds_customer_data`` (no default). A table that does must be read
by the export (:data:`chalicelib.services.export.COVERED_TABLES`) and reachable from the
customer's id by a key or an index (no Scan); and after a customer's whole journey every
item of such a table that names the customer appears in the export document.
"""

from __future__ import annotations

import dataclasses
import json

from chalicelib.services.export import COVERED_TABLES
from infra import resources
from tests.functional.conftest import ADMIN, Stack
from tests.functional.test_privacy import _customer_with_history


def _name(table: resources.Table) -> str:
    return table.env.removeprefix("RAPPORT_").removesuffix("_TABLE").lower()


def test_every_table_declares_whether_it_holds_customer_data() -> None:
    declared = {f.name: f for f in dataclasses.fields(resources.Table)}["holds_customer_data"]
    assert declared.default is dataclasses.MISSING and declared.kw_only
    assert any(t.holds_customer_data for t in resources.TABLES)


def test_every_table_with_customer_data_is_exported_through_a_key_or_an_index() -> None:
    for table in resources.TABLES:
        if not table.holds_customer_data:
            assert _name(table) not in COVERED_TABLES
            continue
        assert _name(table) in COVERED_TABLES, f"{table.name} is not in the export"
        by_customer = [table.hash_key] + [index.hash_key for index in table.indexes]
        assert "customer_id" in by_customer, f"{table.name}: no key or index by customer_id"


def test_every_item_naming_the_customer_is_in_the_export(stack: Stack) -> None:
    _customer_with_history(stack)
    document = json.dumps(
        stack.http.get("/v1/admin/customers/c-priv/export", headers=ADMIN).json_body
    )
    client = stack.dynamodb()
    checked = 0
    for table in resources.TABLES:
        if not table.holds_customer_data:
            continue
        partitions = set()
        items = []
        for page in client.get_paginator("scan").paginate(TableName=stack.env[table.env]):
            items.extend(page["Items"])
        for item in items:
            if "c-priv" in json.dumps(item):
                partitions.add(json.dumps(item[table.hash_key]))
        for item in items:
            if json.dumps(item[table.hash_key]) not in partitions:
                continue
            if item.get("record_type", {}).get("S") == "email_guard":
                continue  # the guard's address is the profile's, exported there
            keys = [item[table.hash_key]] + ([item[table.range_key]] if table.range_key else [])
            for key in keys:
                assert json.dumps(next(iter(key.values()))) in document, (table.name, item)
            checked += 1
    assert checked > 10
