"""HTML responses: the pages' content type, and the headers every page is sent with.

:func:`with_page_headers` runs on every response of the API (the app's HTTP
middleware), so no page can be sent without them:

- ``Content-Security-Policy``: nothing but the page itself and its inline styles (no
  script at all, no other origin, forms post only back to the API, no framing);
- ``X-Frame-Options: DENY`` for browsers that predate ``frame-ancestors``;
- ``Referrer-Policy: no-referrer``: the page's URL carries the signed token;
- ``Cache-Control: no-store``: a page shows one customer's data and choices;
- ``X-Content-Type-Options: nosniff``.
"""

from __future__ import annotations

from chalice import Response

HTML_TYPE = "text/html; charset=utf-8"
CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'none'",
        "style-src 'unsafe-inline'",
        "img-src 'self' data:",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
    )
)
PAGE_HEADERS: dict[str, str] = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
}


def html_response(html: str, status: int = 200) -> Response:
    """A page (the headers of :data:`PAGE_HEADERS` are added by :func:`with_page_headers`)."""
    return Response(body=html, status_code=status, headers={"Content-Type": HTML_TYPE})


def with_page_headers(response: Response) -> Response:
    """Add :data:`PAGE_HEADERS` to ``response`` when it is HTML; other responses as they are."""
    content_type = next(
        (str(value) for name, value in response.headers.items() if name.lower() == "content-type"),
        "",
    )
    if content_type.lower().startswith("text/html"):
        response.headers.update(PAGE_HEADERS)
    return response
