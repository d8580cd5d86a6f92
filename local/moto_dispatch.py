"""The action methods of each moto responses class listed once, not on every request.

moto 5.2 answers every request by listing the methods of its service's responses class
(``method_names_from_class``: ``inspect.getmembers`` over some two hundred attributes,
each looked up and tested) to check that the action names one of them. Measured in the
local stack's moto process, that was about a twentieth of its time per request, for
DynamoDB's stream reads and writes alike.

A class's functions do not change while the server runs (nothing in moto adds methods
to a responses class after import), so :func:`install` keeps the list per class and
hands each caller its own copy. ``tests/unit/local/test_moto_dispatch.py`` checks the
lists are moto's own.
"""

from __future__ import annotations

import functools

from moto.core import responses, utils

_MARK = "_rapport_listed_once"
_moto_names = utils.method_names_from_class


@functools.cache
def _names(clazz: type) -> tuple[str, ...]:
    return tuple(_moto_names(clazz))


def method_names_from_class(clazz: object) -> list[str]:
    """``moto.core.utils.method_names_from_class``, computed once per class."""
    if not isinstance(clazz, type):
        return _moto_names(clazz)
    return list(_names(clazz))


def install() -> None:
    """List each responses class's methods once in this process's moto (idempotent)."""
    if getattr(responses.method_names_from_class, _MARK, False):
        return
    setattr(method_names_from_class, _MARK, True)
    responses.method_names_from_class = method_names_from_class
