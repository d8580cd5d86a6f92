"""The founding path: a signup becomes a welcome letter in the customer's language."""

from __future__ import annotations

import json

from tests.functional.conftest import STORE, Stack


def signup(stack: Stack, **fields: object) -> object:
    body = {"customer_id": "c-1", "email": "Ana@Example.com", "name": "Ana", **fields}
    return stack.http.post("/v1/signups", headers=STORE, body=json.dumps(body))


def test_signup_creates_profile_and_welcome_letter(stack: Stack) -> None:
    response = signup(stack, locale="en")
    assert response.status_code == 201
    assert response.json_body["email"] == "ana@example.com"
    stack.pump()
    mails = stack.mails()
    assert len(mails) == 1
    mail = mails[0]
    assert mail["to"] == ["Ana <ana@example.com>"]
    assert mail["subject"].startswith("Welcome to")
    assert "Dear Ana" in mail["text"] and "Dear Ana" in mail["html"]
    assert "never sell" in mail["text"]
    assert "http://rapport.test/v1/preferences?t=" in mail["text"]


def test_chinese_customer_gets_chinese_letter(stack: Stack) -> None:
    assert signup(stack, locale="zh-CN", name="李雷").status_code == 201
    stack.pump()
    mail = stack.mails()[0]
    assert "亲爱的李雷" in mail["text"]
    assert "绝不会出售" in mail["html"]
    assert "欢迎" in mail["subject"]
