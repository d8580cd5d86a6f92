"""The local mail viewer: every mail SES accepted, as HTML and as JSON.

``GET /`` lists them (newest first, each with its HTML part in a sandboxed frame);
``GET /api/messages`` returns ``{"messages": [...]}`` oldest first.
"""

from __future__ import annotations

import html
import json
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

Source = Callable[[], list[dict[str, Any]]]


def _page(messages: list[dict[str, Any]]) -> str:
    rows = []
    for mail in reversed(messages):
        rows.append(
            "<article><h2>{subject}</h2><p><b>To</b> {to} · <b>From</b> {sender} · {sent}</p>"
            "<details><summary>Text</summary><pre>{text}</pre></details>"
            '<iframe sandbox srcdoc="{html_part}"></iframe></article>'.format(
                subject=html.escape(mail["subject"]),
                to=html.escape(", ".join(mail["to"])),
                sender=html.escape(mail["from"]),
                sent=html.escape(str(mail.get("sent_at") or "")),
                text=html.escape(mail["text"]),
                html_part=html.escape(mail["html"], quote=True),
            )
        )
    body = "".join(rows) or "<p>No mail yet. Sign a customer up and refresh.</p>"
    return (
        "<!DOCTYPE html><html><head><meta charset='utf-8'><title>Rapport mail viewer</title>"
        "<style>body{font-family:sans-serif;max-width:900px;margin:auto;padding:16px}"
        "article{border-bottom:1px solid #ddd;padding:12px 0}"
        "iframe{width:100%;height:520px;border:1px solid #eee}</style></head>"
        f"<body><h1>Mail sent ({len(messages)})</h1>{body}</body></html>"
    )


def make_handler(source: Source) -> type[BaseHTTPRequestHandler]:
    """A request handler class reading mail from ``source``."""

    class MailViewerHandler(BaseHTTPRequestHandler):
        def _send(self, status: int, content_type: str, body: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
            path = self.path.split("?", 1)[0]
            if path == "/api/messages":
                payload = json.dumps({"messages": source()}, ensure_ascii=False)
                self._send(200, "application/json; charset=utf-8", payload.encode("utf-8"))
            elif path == "/":
                self._send(200, "text/html; charset=utf-8", _page(source()).encode("utf-8"))
            else:
                self._send(404, "application/json", b'{"error": {"code": "not_found"}}')

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
            return

    return MailViewerHandler


def serve(host: str, port: int, source: Source) -> ThreadingHTTPServer:
    """A started-when-you-call-serve_forever server."""
    server = ThreadingHTTPServer((host, port), make_handler(source))
    server.daemon_threads = True
    return server
