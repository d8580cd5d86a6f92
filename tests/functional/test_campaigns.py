"""Product-update campaigns through the API, the orders and messages streams and the mailer."""

from __future__ import annotations

import json
from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any

from tests.functional.campaign_fixtures import (
    SKU,
    buy,
    campaign,
    message_log,
    no_quiet_hours,
    post,
    refund,
    signup,
)
from tests.functional.conftest import ADMIN, Stack, run_job

BUYERS = ["c-en", "c-zh", "c-twice", "c-refunded", "c-no-consent", "c-other"]


def _past_buyers(stack: Stack) -> None:
    """Two orders each (loyal: the marketing gate lets them through), of the sku or not."""
    no_quiet_hours(stack)
    signup(stack, "c-en")
    signup(stack, "c-zh", locale="zh-CN")
    signup(stack, "c-twice")
    signup(stack, "c-refunded")
    signup(stack, "c-no-consent", marketing=False)
    signup(stack, "c-other")
    for cid in BUYERS:
        buy(stack, f"{cid}-other", cid, sku="CUP-9", name="Tea cup")
    for cid in ("c-en", "c-zh", "c-twice", "c-refunded", "c-no-consent"):
        buy(stack, f"{cid}-kettle", cid)
    buy(stack, "c-twice-kettle-2", "c-twice")
    stack.pump()
    refund(stack, "c-refunded-kettle")


def test_a_campaign_reaches_each_past_buyer_once_in_their_language(stack: Stack) -> None:
    _past_buyers(stack)
    created = post(stack, campaign())
    assert created.status_code == 201, created.body
    assert created.headers["Location"] == "/v1/admin/campaigns/kettle-v2"
    stack.pump()
    mails = [m for m in stack.mails() if m["headers"].get("X-Rapport-Message") == "product_update"]
    to = Counter(address for mail in mails for address in mail["to"])
    assert sorted(to) == [
        "C-EN <c-en@example.com>",
        "C-TWICE <c-twice@example.com>",
        "C-ZH <c-zh@example.com>",
    ]
    assert set(to.values()) == {1}
    by_address = {mail["to"][0]: mail for mail in mails}
    english = by_address["C-EN <c-en@example.com>"]
    assert english["subject"] == "Your kettle has a new lid"
    assert "because you bought Clay kettle from" in english["text"]
    assert "keeps tea hot &lt;longer&gt;." in english["html"]
    assert "<longer>" not in english["html"]
    assert english["headers"].get("List-Unsubscribe")
    chinese = by_address["C-ZH <c-zh@example.com>"]
    assert chinese["subject"] == "您的紫砂壶有了新壶盖"
    assert "新壶盖保温更久。" in chinese["text"] and "购买过 Clay kettle。" in chinese["text"]
    assert "Your kettle" not in chinese["text"]


def test_the_counts_equal_the_message_log(stack: Stack) -> None:
    _past_buyers(stack)
    post(stack, campaign())
    stack.pump()
    stack.pump()
    view = stack.http.get("/v1/admin/campaigns/kettle-v2", headers=ADMIN).json_body
    log = message_log(stack, BUYERS, "kettle-v2")
    statuses = Counter(item["status"]["S"] for item in log.values())
    reasons = Counter(
        item["reason"]["S"] for item in log.values() if item["status"]["S"] == "suppressed"
    )
    assert sorted(log) == ["c-en", "c-no-consent", "c-twice", "c-zh"]  # refunded: not reached
    assert view["status"] == "done"
    assert view["recipients"] == len(log) == 4
    assert view["sent"] == statuses["sent"] == 3
    assert (
        view["suppressed"]
        == {
            "total": statuses["suppressed"],
            "by_reason": dict(reasons),
        }
        == {"total": 1, "by_reason": {"no_consent_marketing": 1}}
    )
    assert view["deferred"] == statuses["deferred"] == 0
    assert view["failed"] == statuses["failed"] == 0
    assert view["sku"] == SKU and view["kind"] == "product_update"


def test_the_same_campaign_again_is_200_and_a_different_one_409(stack: Stack) -> None:
    _past_buyers(stack)
    assert post(stack, campaign()).status_code == 201
    again = post(stack, campaign())
    assert again.status_code == 200 and again.json_body["campaign_id"] == "kettle-v2"
    other = post(stack, {**campaign(), "sku": "CUP-9"})
    assert other.status_code == 409 and other.json_body["error"]["field"] == "campaign_id"
    stack.pump()
    assert len(message_log(stack, BUYERS, "kettle-v2")) == 4  # the replay queued nothing


def test_bad_campaigns_are_refused_naming_the_field(stack: Stack) -> None:
    missing_language = campaign()
    del missing_language["body"]["zh-CN"]
    cases = [
        (missing_language, "body.zh-CN"),
        ({**campaign(), "kind": "newsletter"}, "kind"),
        ({**campaign(), "send_at": "2020-01-01T00:00:00Z"}, "send_at"),
        ({**campaign(), "send_at": "2099-01-01T00:00:00Z"}, "send_at"),
        ({**campaign(), "send_at": "tomorrow"}, "send_at"),
        ({**campaign(), "subject": {"en": "Hi", "zh-CN": "  "}}, "subject.zh-CN"),
        ({**campaign(), "subject": {"en": "a\nb", "zh-CN": "你好"}}, "subject.en"),
        ({**campaign(), "sku": ""}, "sku"),
        ({**campaign(), "dry_run": "yes"}, "dry_run"),
        ({**campaign(), "audience": "all"}, "audience"),
        ({k: v for k, v in campaign().items() if k != "subject"}, "subject"),
    ]
    for body, field in cases:
        response = post(stack, body)
        assert response.status_code == 400, (field, response.body)
        assert response.json_body["error"]["field"] == field


def test_campaign_routes_need_an_admin_key(stack: Stack) -> None:
    issued = stack.http.post(
        "/v1/admin/keys", headers=ADMIN, body=json.dumps({"name": "dashboard", "role": "viewer"})
    )
    viewer = {**ADMIN, "Authorization": f"Bearer {issued.json_body['key']}"}
    assert post(stack, campaign(), headers={"Content-Type": "application/json"}).status_code == 401
    assert post(stack, campaign(), headers=viewer).status_code == 403
    for path in ("/v1/admin/campaigns", "/v1/admin/campaigns/kettle-v2"):
        assert stack.http.get(path, headers=viewer).status_code == 403
        assert stack.http.get(path).status_code == 401
    cancel = stack.http.post("/v1/admin/campaigns/kettle-v2/cancel", headers=viewer)
    assert cancel.status_code == 403
    assert stack.http.get("/v1/admin/campaigns/nope", headers=ADMIN).status_code == 404


def test_campaigns_are_listed_newest_first_in_pages(stack: Stack) -> None:
    for n in range(3):
        assert post(stack, campaign(f"c-{n}")).status_code == 201
    first = stack.http.get("/v1/admin/campaigns?limit=2", headers=ADMIN).json_body
    assert [c["campaign_id"] for c in first["items"]] == ["c-2", "c-1"]
    assert first["items"][0]["status"] == "done"  # nobody bought it: nothing to wait for
    url = f"/v1/admin/campaigns?limit=2&cursor={first['next_cursor']}"
    second = stack.http.get(url, headers=ADMIN).json_body
    assert [c["campaign_id"] for c in second["items"]] == ["c-0"]
    assert second["next_cursor"] is None
    bad = stack.http.get("/v1/admin/campaigns?cursor=bm90LW91cnM", headers=ADMIN)
    assert bad.status_code == 400 and bad.json_body["error"]["field"] == "cursor"


def test_cancel_suppresses_the_queued_mail(stack: Stack) -> None:
    _past_buyers(stack)
    before = len(stack.mails())
    assert post(stack, campaign()).status_code == 201  # queued, not yet delivered
    cancelled = stack.http.post("/v1/admin/campaigns/kettle-v2/cancel", headers=ADMIN)
    assert cancelled.status_code == 200 and cancelled.json_body["status"] == "cancelled"
    stack.pump()
    assert len(stack.mails()) == before
    view = stack.http.get("/v1/admin/campaigns/kettle-v2", headers=ADMIN).json_body
    assert view["status"] == "cancelled" and view["sent"] == 0
    assert view["suppressed"] == {"total": 4, "by_reason": {"campaign_cancelled": 4}}
    log = message_log(stack, BUYERS, "kettle-v2")
    assert Counter(item["reason"]["S"] for item in log.values()) == {"campaign_cancelled": 4}
    again = stack.http.post("/v1/admin/campaigns/kettle-v2/cancel", headers=ADMIN)
    assert again.status_code == 200 and again.json_body["status"] == "cancelled"


def test_a_scheduled_campaign_waits_for_send_at_and_can_be_cancelled(stack: Stack) -> None:
    _past_buyers(stack)
    later = (datetime.now(UTC) + timedelta(hours=2)).isoformat()
    created = post(stack, campaign(send_at=later))
    assert created.status_code == 201 and created.json_body["status"] == "scheduled"
    assert run_job(stack, "campaigns") == {"job": "campaigns", "started": 0, "resumed": 0}
    assert message_log(stack, BUYERS, "kettle-v2") == {}
    cancelled = stack.http.post("/v1/admin/campaigns/kettle-v2/cancel", headers=ADMIN)
    assert cancelled.json_body["status"] == "cancelled"
    done = stack.http.get("/v1/admin/campaigns/kettle-v2", headers=ADMIN).json_body
    assert done["recipients"] == 0 and done["status"] == "cancelled"


def test_a_done_campaign_cannot_be_cancelled(stack: Stack) -> None:
    _past_buyers(stack)
    post(stack, campaign())
    stack.pump()
    refused = stack.http.post("/v1/admin/campaigns/kettle-v2/cancel", headers=ADMIN)
    assert refused.status_code == 409


def test_a_dry_run_counts_the_audience_and_renders_samples_sending_nothing(stack: Stack) -> None:
    _past_buyers(stack)
    before = len(stack.mails())
    answer = post(stack, campaign(dry_run=True))
    assert answer.status_code == 200, answer.body
    body = answer.json_body
    assert body["recipients"] == 3
    assert body["excluded"] == {"no_consent_marketing": 1}
    assert body["complete"] is True
    assert body["samples"]["en"]["subject"] == "Your kettle has a new lid"
    assert "because you bought Clay kettle" in body["samples"]["en"]["text"]
    assert "新壶盖保温更久。" in body["samples"]["zh-CN"]["html"]
    stack.pump()
    assert len(stack.mails()) == before
    assert message_log(stack, BUYERS, "kettle-v2") == {}
    assert stack.http.get("/v1/admin/campaigns/kettle-v2", headers=ADMIN).status_code == 404


def test_the_campaign_pages_function_takes_its_events_with_retries_and_dead_letters() -> None:
    from chalicelib.adapters.campaign_launcher import page_event
    from infra import resources
    from infra.template import merge_template

    function = merge_template()["Resources"]["CampaignPages"]["Properties"]
    [rule] = function["Events"].values()
    event = page_event("kettle-v2", 3)
    assert rule["Type"] == "EventBridgeRule"
    assert rule["Properties"]["Pattern"] == {
        "source": [event["Source"]],
        "detail-type": [event["DetailType"]],
    }
    dead_letters = {"Fn::GetAtt": [resources.JOB_DEAD_LETTER_QUEUE.logical_id, "Arn"]}
    assert rule["Properties"]["DeadLetterConfig"] == {"Arn": dead_letters}
    assert function["EventInvokeConfig"]["DestinationConfig"]["OnFailure"]["Destination"] == (
        dead_letters
    )


def test_the_campaign_pages_function_runs_the_page_its_event_names(stack: Stack) -> None:
    from chalicelib.adapters.campaign_launcher import page_event

    _past_buyers(stack)
    assert post(stack, campaign()).status_code == 201  # page 0 ran (locally, at once)
    import app as app_module

    def invoke(campaign_id: str, page: int) -> Any:
        detail = json.loads(page_event(campaign_id, page)["Detail"])
        return app_module.campaign_pages({"source": "rapport", "detail": detail}, None)

    assert invoke("kettle-v2", 0)["outcome"] == "duplicate"  # a redelivered event: nothing
    assert invoke("nobody", 0)["outcome"] == "unknown"
    assert len(message_log(stack, BUYERS, "kettle-v2")) == 4


def test_quiet_hours_defer_the_mail_and_the_counts_say_so(stack: Stack) -> None:
    _past_buyers(stack)
    hour = datetime.now(UTC).hour  # the buyers' time zone is UTC: quiet from this hour on
    quiet = {"quiet_hours_start": hour, "quiet_hours_end": (hour + 2) % 24}
    body = json.dumps(quiet)
    assert stack.http.put("/v1/admin/settings/store", headers=ADMIN, body=body).status_code == 200
    post(stack, campaign())
    stack.pump()
    view = stack.http.get("/v1/admin/campaigns/kettle-v2", headers=ADMIN).json_body
    log = message_log(stack, BUYERS, "kettle-v2")
    statuses = Counter(item["status"]["S"] for item in log.values())
    assert view["deferred"] == statuses["deferred"] == 3
    assert view["suppressed"]["by_reason"] == {"no_consent_marketing": 1}
    assert view["sent"] == 0 and view["status"] == "sending"  # until the deferred are sent
