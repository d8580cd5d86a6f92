"""A customer asks for their data, or their erasure, from the preference centre.

Nothing is shown on the page: a letter carries a signed, expiring link to the export,
or to the page that confirms the erasure (which a GET never performs).
"""

from __future__ import annotations

import json
import re
from datetime import timedelta

from tests.functional.conftest import STORE, Stack
from tests.functional.shipment_fixtures import sign_up

JSON = {"Content-Type": "application/json"}
HTML = {"Accept": "text/html"}


def _preferences_token(stack: Stack, customer_id: str, locale: str = "en") -> str:
    sign_up(stack, customer_id, locale)
    stack.pump()
    welcome = stack.mails()[-1]
    found = re.search(r"/v1/preferences\?t=([\w.\-]+)", welcome["text"])
    assert found, welcome["text"]
    return found.group(1)


def _letter(stack: Stack, template: str) -> dict[str, object]:
    stack.pump()
    letters = stack.mails_of(template)
    assert len(letters) == 1, [m["subject"] for m in stack.mails()]
    return letters[0]


def _link(letter: dict[str, object], path: str) -> str:
    found = re.search(rf"http://rapport\.test({path}\?t=[\w.\-]+)", str(letter["text"]))
    assert found, letter["text"]
    return found.group(1)


def test_download_my_data_mails_a_link_to_the_export(stack: Stack) -> None:
    token = _preferences_token(stack, "c-self")
    asked = stack.http.post(f"/v1/preferences/export?t={token}", headers=JSON, body="{}")
    assert asked.status_code == 202 and asked.json_body["sent"] == "data_export"
    assert "/v1/privacy/export" not in asked.body.decode()  # the link is mailed, not shown
    letter = _letter(stack, "data_export")
    assert letter["subject"].startswith("Your data from")  # type: ignore[union-attr]
    assert "The link works for 7 days" in str(letter["text"])
    path = _link(letter, "/v1/privacy/export")
    export = stack.http.get(path)
    assert export.status_code == 200
    assert export.json_body["customer_id"] == "c-self"
    assert export.json_body["stored_profile"]["email"] == "c-self@example.com"
    assert "attachment" in export.headers["Content-Disposition"]
    assert stack.http.get("/v1/privacy/export?t=forged").status_code == 404
    # a preference link is not an export link
    assert stack.http.get(f"/v1/privacy/export?t={token}").status_code == 404


def test_the_preference_page_offers_both_and_tells_what_it_sent(stack: Stack) -> None:
    token = _preferences_token(stack, "c-zh", "zh-CN")
    page = stack.http.get(f"/v1/preferences?t={token}", headers=HTML).body.decode()
    assert "把我的资料发给我" in page and "删除我的资料" in page
    form = {**HTML, "Content-Type": "application/x-www-form-urlencoded"}
    sent = stack.http.post(f"/v1/preferences/erasure?t={token}", headers=form, body="")
    assert sent.status_code == 200
    assert "确认邮件正在发给您" in sent.body.decode()
    letter = _letter(stack, "erasure_confirmation")
    assert "请确认" in str(letter["subject"])


def test_erasure_is_confirmed_through_the_mailed_link(stack: Stack) -> None:
    token = _preferences_token(stack, "c-bye")
    stack.http.post(f"/v1/preferences/erasure?t={token}", headers=JSON, body="{}")
    path = _link(_letter(stack, "erasure_confirmation"), "/v1/privacy/erasure")
    page = stack.http.get(path, headers=HTML)
    assert page.status_code == 200 and "Yes, erase my data" in page.body.decode()
    # looking at the page erases nothing
    assert stack.http.get("/v1/customers/c-bye", headers=STORE).status_code == 200
    done = stack.http.post(path, headers=JSON, body="{}")
    assert done.status_code == 200, done.body
    assert done.json_body["requested_by"] == "customer"
    assert stack.http.get("/v1/customers/c-bye", headers=STORE).status_code == 404
    assert stack.http.post(path, headers=JSON, body="{}").json_body == done.json_body
    assert stack.http.get(f"/v1/preferences?t={token}").status_code == 404
    farewell = stack.http.post(path, headers={**HTML, **JSON}, body="{}")
    assert "Your data is erased" in farewell.body.decode()


def test_an_expired_erasure_link_is_404(stack: Stack) -> None:
    from chalicelib import bootstrap

    sign_up(stack, "c-late")
    deps = bootstrap.container()
    token = deps.signer.sign("erasure", "c-late", deps.clock.now() - timedelta(seconds=1))
    assert (
        stack.http.post(f"/v1/privacy/erasure?t={token}", headers=JSON, body="{}").status_code
        == 404
    )
    assert stack.http.get("/v1/customers/c-late", headers=STORE).status_code == 200
    assert json.loads(stack.http.get("/v1/customers/c-late", headers=STORE).body)["customer_id"]
