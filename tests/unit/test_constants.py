"""One constant defined once: no two modules of ``chalicelib`` (or ``infra/resources/``)
define a module-level string or tuple of strings with the same value, and the index
names in queries and in ``infra`` are named constants, not literals.

Values that two vocabularies share by coincidence are listed in ``SAME_WORD``.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SOURCES = [
    *sorted((ROOT / "chalicelib").rglob("*.py")),
    *sorted((ROOT / "infra" / "resources").rglob("*.py")),
]
SAME_WORD = {
    "chalicelib/domain/messages.py:QUEUED": "a message's status, not a job run's",
    "chalicelib/domain/messages.py:FAILED": "a message's status, not a job run's",
    "chalicelib/adapters/shipments_repository.py:ORDER_INDEX": "an index, not a record",
    "infra/resources/messaging.py:SES_CONFIGURATION_SET": "the SES configuration set, not a source",
    "chalicelib/domain/mail_feedback.py:OUTCOME_BOUNCED": "a mail's outcome, not an address's",
    "chalicelib/domain/mail_feedback.py:OUTCOME_COMPLAINED": "a mail's outcome, not an address's",
    "chalicelib/domain/mail_feedback.py:OUTCOME_DELIVERED": "a mail's outcome, not a parcel's",
    "chalicelib/services/mail_feedback.py:FAILED": "a notification's outcome, not a job run's",
    "chalicelib/adapters/unreachable_list.py:UNREACHABLE_INDEX": "an index, not its key's value",
    "chalicelib/domain/metrics.py:ORDERS": "a metrics counter, not the export's section",
    "chalicelib/adapters/occasion_index.py:BIRTHDAY_INDEX": "an index, not an occasion",
}


def _constants(path: Path) -> dict[str, object]:
    found: dict[str, object] = {}
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if not isinstance(node, ast.Assign | ast.AnnAssign) or node.value is None:
            continue
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        try:
            value = ast.literal_eval(node.value)
        except ValueError:
            continue
        if isinstance(value, tuple | frozenset) and all(isinstance(v, str) for v in value):
            value = tuple(sorted(value))
        elif not isinstance(value, str):
            continue
        for target in targets:
            if isinstance(target, ast.Name) and target.id.isupper():
                found[target.id] = value
    return found


def test_no_constant_is_defined_twice() -> None:
    where: dict[object, list[str]] = defaultdict(list)
    for path in SOURCES:
        for name, value in _constants(path).items():
            place = f"{path.relative_to(ROOT).as_posix()}:{name}"
            if place not in SAME_WORD:
                where[value].append(place)
    assert {value: places for value, places in where.items() if len(places) > 1} == {}


def _literal_index_names(path: Path) -> list[str]:
    literals = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Index":
            first = node.args[0] if node.args else None
            if isinstance(first, ast.Constant):
                literals.append(f"{path.name}: Index({first.value!r})")
        if isinstance(node, ast.Dict):
            for key, value in zip(node.keys, node.values, strict=True):
                named = isinstance(key, ast.Constant) and key.value == "IndexName"
                if named and isinstance(value, ast.Constant):
                    literals.append(f"{path.name}: IndexName={value.value!r}")
    return literals


def test_index_names_are_named_once_not_written_as_literals() -> None:
    assert [literal for path in SOURCES for literal in _literal_index_names(path)] == []
