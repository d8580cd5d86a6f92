"""``chalicelib.services.ports`` offers every port of its area modules.

Services and adapters import ports from the package (``from chalicelib.services.ports
import X``); a port added to an area module but not re-exported would be reachable only
by its module's path, so the package's ``__all__`` must name each public definition.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from types import ModuleType

from chalicelib.services import ports


def _area_modules() -> list[ModuleType]:
    return [
        importlib.import_module(f"{ports.__name__}.{info.name}")
        for info in pkgutil.iter_modules(ports.__path__)
    ]


def _defined_in(module: ModuleType) -> dict[str, object]:
    """Public classes and upper-case constants that ``module`` itself defines."""
    found: dict[str, object] = {}
    for name, value in vars(module).items():
        if name.startswith("_"):
            continue
        own_class = inspect.isclass(value) and value.__module__ == module.__name__
        if own_class or (name.isupper() and isinstance(value, str)):
            found[name] = value
    return found


def test_the_package_reexports_every_port_of_its_modules() -> None:
    defined = {name: value for m in _area_modules() for name, value in _defined_in(m).items()}
    assert "SupportRepository" in defined and "RFM_DOCUMENT" in defined
    assert sorted(defined) == sorted(ports.__all__)
    assert {name: getattr(ports, name) for name in ports.__all__} == defined


def test_no_name_is_defined_in_two_area_modules() -> None:
    names = [name for module in _area_modules() for name in _defined_in(module)]
    assert len(names) == len(set(names))
