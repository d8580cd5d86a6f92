"""``infra.resources``, ``infra.policies`` and ``infra.template`` offer every public name
of their area modules.

``infra/build.py``, ``infra/provision.py``, the local stack and the tests import
``from infra import resources`` (or ``from infra.X import name``); a definition added to
an area module but not re-exported would be reachable only by its module's path, so
each package's ``__all__`` names each public definition, and each is defined once.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
from types import ModuleType

import pytest

PACKAGES = ("infra.resources", "infra.policies", "infra.template")


def _area_modules(package: ModuleType) -> list[ModuleType]:
    return [
        importlib.import_module(f"{package.__name__}.{info.name}")
        for info in pkgutil.iter_modules(package.__path__)
    ]


def _defined_in(module: ModuleType) -> dict[str, object]:
    """Public classes, functions and upper-case constants ``module`` itself defines."""
    found: dict[str, object] = {}
    for name, value in vars(module).items():
        if name.startswith("_"):
            continue
        own = (inspect.isclass(value) or inspect.isfunction(value)) and (
            value.__module__ == module.__name__
        )
        imported = inspect.ismodule(value) or name in _imported_names(module)
        if own or (name.isupper() and not imported):
            found[name] = value
    return found


def _imported_names(module: ModuleType) -> set[str]:
    tree = ast.parse(inspect.getsource(module))
    return {
        alias.asname or alias.name
        for node in tree.body
        if isinstance(node, ast.ImportFrom)
        for alias in node.names
    }


@pytest.mark.parametrize("name", PACKAGES)
def test_the_package_reexports_every_public_name_of_its_modules(name: str) -> None:
    package = importlib.import_module(name)
    defined = {n: v for m in _area_modules(package) for n, v in _defined_in(m).items()}
    assert defined
    assert sorted(defined) == sorted(package.__all__)
    assert all(getattr(package, n) is v for n, v in defined.items())


@pytest.mark.parametrize("name", PACKAGES)
def test_no_name_is_defined_in_two_area_modules(name: str) -> None:
    package = importlib.import_module(name)
    names = [n for module in _area_modules(package) for n in _defined_in(module)]
    assert len(names) == len(set(names))


def test_the_packages_keep_the_names_their_importers_use() -> None:
    from infra import policies, resources, template

    assert resources.table_by_logical_id("CustomersTable") is resources.CUSTOMERS
    assert resources.CUSTOMERS in resources.TABLES
    assert callable(policies.function_statements) and callable(template.merge_template)
