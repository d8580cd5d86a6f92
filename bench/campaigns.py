"""A product-update campaign's fan-out to 50,000 past buyers, in the local stack.

1. Starts the local stack (``python -m local.stack``) with three stream consumers held
   (:mod:`local.holds`): the mailer, until the fan-out has been timed (the two would
   share this machine's two cores, so the fan-out is timed first, alone, and the mailer
   after it), and the customers' and orders' reactions to the seeded history (segment
   counts, profile events), which are not part of a campaign, for the whole run.
2. Seeds 50,000 buyers of the sku (mixed locales, some without consent, some bounced or
   complained, some who bought twice) straight into its moto (:mod:`bench.campaign_seed`).
3. Creates the campaign and follows it through ``GET /v1/admin/campaigns/{id}`` every
   0.1 s: the seconds until the fan-out finished (every message in the outbox), messages
   queued per second, the pages, and the longest page (the time between two page
   advances seen) against the campaign function's Lambda timeout. It then checks the
   outbox against the seeded audience: one message per buyer, none for anyone else. A
   fan-out still running after ``timeout`` seconds is reported as such, with its rate
   carried over to the whole audience; it then goes on beside the mailer.
4. Releases the mailer (``SIGUSR1``) and counts the outcomes it records for
   ``mail_seconds``; they may not exceed the audience's (by reason). The local SES (moto)
   answers at once, with no sending quota, whereas on AWS the mailer is paced at the
   account's ``MaxSendRate`` (``chalicelib/adapters/paced_sender.py``, 14 mails a second
   for a new production account), so on AWS the mail takes recipients / MaxSendRate
   seconds whatever the fan-out's speed.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import time
import urllib.request
from pathlib import Path
from typing import Any

from bench.campaign_seed import SKU, Audience, seed
from bench.local_e2e import start_stack_process, stop_stack_process
from bench.local_store import get_json
from chalicelib.services.campaign_fanout import PAGE_SIZE

ADMIN = "dev-admin-key"
CAMPAIGN_ID = "bench-kettle"
TARGET = 50_000
CONFIG = Path(__file__).resolve().parent.parent / ".chalice" / "config.json"


def _admin(base: str, method: str, path: str, body: dict[str, Any]) -> Any:
    request = urllib.request.Request(f"{base}{path}", data=json.dumps(body).encode(), method=method)
    request.add_header("Authorization", f"Bearer {ADMIN}")
    request.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.load(response)


def _campaign() -> dict[str, Any]:
    return {
        "campaign_id": CAMPAIGN_ID,
        "kind": "product_update",
        "sku": SKU,
        "subject": {"en": "Your kettle has a new lid", "zh-CN": "您的紫砂壶有了新壶盖"},
        "body": {"en": "The new lid keeps tea hot.", "zh-CN": "新壶盖保温更久。"},
    }


def page_timeout(function: str = "campaign_pages") -> int:
    """The campaign function's Lambda timeout in seconds (``.chalice/config.json``)."""
    stage = json.loads(CONFIG.read_text())["stages"]["dev"]
    own = stage.get("lambda_functions", {}).get(function, {})
    return int(own.get("lambda_timeout", stage["lambda_timeout"]))


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _dynamodb(port: int) -> Any:
    import boto3
    from botocore.config import Config

    return boto3.client(
        "dynamodb",
        endpoint_url=f"http://127.0.0.1:{port}",
        region_name="us-east-1",
        aws_access_key_id="local",
        aws_secret_access_key="local",
        # no client-side check of the 100,000 seeded items against botocore's model:
        # they come from the app's own builders, and moto checks them as DynamoDB would
        config=Config(
            max_pool_connections=8, retries={"mode": "standard"}, parameter_validation=False
        ),
    )


def _follow_fan_out(url: str, timeout: float) -> dict[str, Any]:
    """Poll the campaign until its fan-out finished: seconds, and the longest page."""
    started = last_change = time.perf_counter()
    pages, longest = 0, 0.0
    view: dict[str, Any] = {}
    while time.perf_counter() - started < timeout:
        view = dict(get_json(url, ADMIN)[1])
        now = time.perf_counter()
        if view["fan_out"]["pages"] != pages:
            longest = max(longest, now - last_change)
            pages, last_change = view["fan_out"]["pages"], now
        if view["fan_out"]["finished"]:
            return {"seconds": now - started, "longest_page_s": longest, "view": view}
        time.sleep(0.1)
    return {"seconds": None, "timeout": timeout, "longest_page_s": longest, "view": view}


def outbox_count(client: Any, status: str = "queued") -> int:
    """The campaign's messages in ``status`` (the messages table's status index)."""
    from chalicelib.adapters.outbox import STATUS_INDEX
    from infra.resources import MESSAGES

    arguments: dict[str, Any] = {
        "TableName": MESSAGES.name,
        "IndexName": STATUS_INDEX,
        "KeyConditionExpression": "#s = :status",
        "FilterExpression": "message_key = :key",
        "ExpressionAttributeNames": {"#s": "status"},
        "ExpressionAttributeValues": {
            ":status": {"S": status},
            ":key": {"S": f"product-update#{CAMPAIGN_ID}"},
        },
        "Select": "COUNT",
    }
    pages = client.get_paginator("query").paginate(**arguments)
    return sum(int(page["Count"]) for page in pages)


OUTCOMES = ("sent", "suppressed", "deferred", "failed")


def _follow_mail(client: Any, seconds: float) -> dict[str, Any]:
    """Let the mailer work ``seconds``, then count its outcomes in the message log.

    The campaign's own counts move when the messages stream reaches each outcome's
    record, which comes after the fan-out's 50,000 inserts in the stream: the log is
    where the mailer's progress shows first.
    """
    time.sleep(seconds)
    return {
        "seconds": seconds,
        "log": {status: outbox_count(client, status) for status in OUTCOMES},
    }


def check(audience: Audience, fan_out: dict[str, Any], outbox: int, mail: dict[str, Any]) -> None:
    """The campaign's messages against the seeded audience (raises when they differ).

    A finished fan-out queued one message per buyer, and the outbox holds exactly those
    (the page's count, ``queued``, may be lower: a request that botocore sent again
    after a lost answer finds its messages queued and counts them for nobody). While it
    still runs, the outbox may hold a page or so more than the count the bench read.
    """
    queued = fan_out["view"]["fan_out"]["queued"]
    if fan_out["view"]["fan_out"]["finished"]:
        if not queued <= outbox == audience.buyers:
            raise AssertionError(f"queued {queued}, outbox {outbox}, buyers {audience.buyers}")
    elif not queued <= outbox <= queued + 2 * PAGE_SIZE:
        raise AssertionError(f"queued {queued} but the outbox holds {outbox}")
    log = mail["log"]
    if log["sent"] > audience.deliverable or log["suppressed"] > sum(audience.suppressed.values()):
        raise AssertionError(f"outcomes {log} exceed the audience {audience}")


def run(buyers: int = TARGET, mail_seconds: float = 45.0, timeout: float = 420.0) -> dict[str, Any]:
    """Seed ``buyers``, fan the campaign out with the mailer held, then let the mailer go."""
    from local.holds import HOLD_VARIABLE, RELEASE_VARIABLE

    aws = _free_port()
    extra = {"RAPPORT_ADMIN_KEY": ADMIN, "RAPPORT_AWS_PORT": str(aws)}
    extra.update({HOLD_VARIABLE: "mailer,on_customer,on_order", RELEASE_VARIABLE: "mailer"})
    process, base, _ = start_stack_process(extra)
    try:
        quiet = {"quiet_hours_start": 0, "quiet_hours_end": 0}
        _admin(base, "PUT", "/v1/admin/settings/store", quiet)
        client = _dynamodb(aws)
        started = time.perf_counter()
        audience = seed(client, buyers)
        seeded = time.perf_counter() - started
        _admin(base, "POST", "/v1/admin/campaigns", _campaign())
        url = f"{base}/v1/admin/campaigns/{CAMPAIGN_ID}"
        fan_out = _follow_fan_out(url, timeout)
        outbox = outbox_count(client)
        os.kill(process.pid, signal.SIGUSR1)  # the mailer's turn
        mail = _follow_mail(client, mail_seconds)
        check(audience, fan_out, outbox, mail)
        return {"audience": audience, "seed_s": seeded, "fan_out": fan_out, "mail": mail}
    finally:
        stop_stack_process(process)


def figures(result: dict[str, Any]) -> list[tuple[str, str, str]]:
    """The bench rows: the fan-out to every buyer, then what the mailer did after it."""
    audience, fan_out, mail = result["audience"], result["fan_out"], result["mail"]
    buyers, view = audience.buyers, fan_out["view"]
    rows = [(f"campaign: {buyers:,} buyers seeded into moto (s)", f"{result['seed_s']:.0f}", "")]
    queued, seconds = view["fan_out"]["queued"], fan_out["seconds"]
    if seconds:
        rows.append((f"  fan-out to {buyers:,}: s until all queued", f"{seconds:.0f}", ""))
    else:
        seconds = fan_out["timeout"]
        rows.append((f"  fan-out unfinished after {seconds:.0f} s: queued", f"{queued:,}", ""))
        rows.append((f"  at that rate, {buyers:,} (s)", f"{buyers * seconds / queued:.0f}", ""))
    rows.append(("  fan-out: messages queued per s", f"{queued / seconds:.0f}", ""))
    rows.append(("  fan-out: pages of 250", f"{view['fan_out']['pages']}", ""))
    longest, limit = fan_out["longest_page_s"], page_timeout()
    rows.append(("  longest page (s) vs Lambda timeout", f"{longest:.1f}", f"< {limit} s"))
    log, seconds = mail["log"], mail["seconds"]
    outcomes = sum(log.values())
    rows.append((f"  mailer, {seconds:.0f} s after: outcomes in the log", f"{outcomes:,}", ""))
    rate = f"{outcomes / seconds:.1f}"
    rows.append(("  mailer: outcomes per s (local SES: no pacing)", rate, ""))
    rows.append(("  sent / suppressed / deferred", "/".join(str(log[s]) for s in OUTCOMES[:3]), ""))
    return rows
