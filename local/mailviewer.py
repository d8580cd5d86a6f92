"""The local mail viewer: every mail SES accepted, as HTML and as JSON.

``GET /`` lists them (newest first, each linking to its own page); ``GET /messages/<id>``
shows one (its text and, in a sandboxed frame, its HTML part); ``GET /api/messages``
returns ``{"messages": [...]}`` oldest first and ``GET /api/messages/<id>`` one message.
"""

from __future__ import annotations

import html
import json
import urllib.parse
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

Source = Callable[[], list[dict[str, Any]]]
_STYLE = (
    "<style>body{font-family:sans-serif;max-width:900px;margin:auto;padding:16px}"
    "article{border-bottom:1px solid #ddd;padding:12px 0}"
    "iframe{width:100%;height:520px;border:1px solid #eee}</style>"
)
_NOT_FOUND = {"error": {"code": "not_found", "message": "no such message", "field": None}}


def message_url(mail: dict[str, Any]) -> str:
    """The path of one message's own page."""
    return "/messages/" + urllib.parse.quote(str(mail["id"]), safe="")


def _envelope(mail: dict[str, Any]) -> str:
    """``To … · From … · <time>``, with a separator only between parts that are there."""
    parts = [f"<b>To</b> {html.escape(', '.join(mail['to']))}"]
    if mail.get("from"):
        parts.append(f"<b>From</b> {html.escape(mail['from'])}")
    if mail.get("sent_at"):
        parts.append(f"<time>{html.escape(str(mail['sent_at']))}</time>")
    return " · ".join(parts)


def _document(title: str, body: str) -> str:
    return (
        "<!DOCTYPE html><html><head><meta charset='utf-8'>"
        f"<title>{html.escape(title)}</title>{_STYLE}</head><body>{body}</body></html>"
    )


def _page(messages: list[dict[str, Any]]) -> str:
    rows = [
        '<article><h2><a href="{url}">{subject}</a></h2><p>{envelope}</p></article>'.format(
            url=html.escape(message_url(mail), quote=True),
            subject=html.escape(mail["subject"] or "(no subject)"),
            envelope=_envelope(mail),
        )
        for mail in reversed(messages)
    ]
    body = "".join(rows) or "<p>No mail yet. Sign a customer up and refresh.</p>"
    return _document("Rapport mail viewer", f"<h1>Mail sent ({len(messages)})</h1>{body}")


def _message_page(mail: dict[str, Any]) -> str:
    body = (
        '<p><a href="/">All mail</a></p><article><h1>{subject}</h1><p>{envelope}</p>'
        "<details open><summary>Text</summary><pre>{text}</pre></details>"
        '<iframe sandbox srcdoc="{html_part}"></iframe></article>'.format(
            subject=html.escape(mail["subject"]),
            envelope=_envelope(mail),
            text=html.escape(mail["text"]),
            html_part=html.escape(mail["html"], quote=True),
        )
    )
    return _document(mail["subject"] or "Rapport mail", body)


def _find(source: Source, message_id: str) -> dict[str, Any] | None:
    return next((mail for mail in source() if str(mail["id"]) == message_id), None)


def make_handler(source: Source) -> type[BaseHTTPRequestHandler]:
    """A request handler class reading mail from ``source``."""

    class MailViewerHandler(BaseHTTPRequestHandler):
        def _send(self, status: int, content_type: str, body: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def _json(self, status: int, payload: Any) -> None:
            data = json.dumps(payload, ensure_ascii=False).encode("utf-8")
            self._send(status, "application/json; charset=utf-8", data)

        def _html(self, page: str) -> None:
            self._send(200, "text/html; charset=utf-8", page.encode("utf-8"))

        def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
            path = self.path.split("?", 1)[0]
            if path == "/api/messages":
                self._json(200, {"messages": source()})
            elif path == "/":
                self._html(_page(source()))
            elif path.startswith(("/api/messages/", "/messages/")):
                mail = _find(source, urllib.parse.unquote(path.rsplit("/", 1)[1]))
                if mail is None:
                    self._json(404, _NOT_FOUND)
                elif path.startswith("/api/"):
                    self._json(200, mail)
                else:
                    self._html(_message_page(mail))
            else:
                self._json(404, {"error": {"code": "not_found", "message": "no such page"}})

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
            return

    return MailViewerHandler


def serve(host: str, port: int, source: Source) -> ThreadingHTTPServer:
    """A started-when-you-call-serve_forever server."""
    server = ThreadingHTTPServer((host, port), make_handler(source))
    server.daemon_threads = True
    return server
