"""Every route's real answer to a valid request validates against its documented schema.

The walk covers every operation in ``docs/openapi.json`` (tests/functional/route_table.py
holds the requests; an operation without one fails here), on one world, and checks the
status is the expected one and documented, and the JSON body validates (JSON Schema
2020-12, as OpenAPI 3.1, with the document's components for ``$ref``).
"""

from __future__ import annotations

import json
from typing import Any

from jsonschema import Draft202012Validator

from tests.functional.conftest import Stack
from tests.functional.route_examples import SPEC, build_world, documented_operations
from tests.functional.route_table import examples


def documented_schema(spec: dict[str, Any], method: str, path: str, status: int) -> Any:
    """The JSON schema of the answer ``status`` of an operation (``None``: no JSON body)."""
    responses = spec["paths"][path][method.lower()]["responses"]
    answer = responses.get(str(status))
    assert answer is not None, f"{method} {path} answered {status}, which is not documented"
    if "$ref" in answer:
        answer = spec["components"]["responses"][answer["$ref"].rsplit("/", 1)[-1]]
    content = answer.get("content", {})
    if "application/json" not in content:
        return None
    return {**content["application/json"].get("schema", {}), "components": spec["components"]}


def test_every_operation_has_an_example() -> None:
    from tests.functional.route_examples import World

    covered = {(call.method, call.path) for call in examples(World(tokens={}.fromkeys(
        ("preferences", "unsubscribe", "track", "survey", "export", "erasure"), "t")))}  # fmt: skip
    assert documented_operations() - covered == set(), "add a request to route_table.py"
    assert covered - documented_operations() == set(), "an example of an undocumented route"


def test_every_answer_validates_against_its_documented_schema(stack: Stack) -> None:
    spec = json.loads(SPEC.read_text())
    world = build_world(stack)
    problems: list[str] = []
    for call in examples(world):
        answer = call.send(stack)
        stack.pump()
        where = f"{call.method} {call.url}"
        if answer.status_code != call.expect:
            problems.append(f"{where}: {answer.status_code} {answer.body[:300]!r}")
            continue
        schema = documented_schema(spec, call.method, call.path, answer.status_code)
        if schema is None or not answer.body:
            continue
        validator = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
        for error in validator.iter_errors(json.loads(answer.body)):
            problems.append(f"{where}: {'/'.join(map(str, error.absolute_path))}: {error.message}")
    assert problems == [], "\n".join(problems)
