"""Admin bulk imports: create one (a presigned upload link) and follow it."""

from __future__ import annotations

from chalice import Blueprint

from chalicelib import bootstrap
from chalicelib.api.auth import admin_key
from chalicelib.http.bodies import json_body
from chalicelib.http.routing import json_response, route

imports = Blueprint(__name__)


@route(imports, "/v1/admin/imports", ["POST"], authorizer=admin_key)
def create_admin_import() -> object:
    """Create an import (201; 200 for its id again, with a fresh link): ``upload_url`` is
    a presigned ``PUT`` of the file; the upload starts the import."""
    from chalicelib.services.imports import create_import

    body = json_body(imports.current_request.raw_body)
    view, created = create_import(body, bootstrap.container().imports)
    return json_response(view, 201 if created else 200, {"Location": view["url"]})


@route(imports, "/v1/admin/imports/{import_id}", ["GET"], authorizer=admin_key)
def get_admin_import(import_id: str) -> object:
    """The import's status, counts and (when rows were rejected) ``rejects_url``."""
    from chalicelib.services.imports import get_import

    return json_response(get_import(import_id, bootstrap.container().imports))
