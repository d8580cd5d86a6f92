"""moto answers the same bytes with items serialized whole as with its map walk."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from moto.core.serialize import BaseJSONSerializer

from local import moto_attribute_maps, moto_serializer
from tests.unit.local.test_moto_serializer import _raw_answers


def _model_path(method: str) -> object:
    installed = getattr(BaseJSONSerializer, method)
    return getattr(installed, "model_path", None) or installed


@pytest.fixture()
def aws(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_ACCOUNT_ID_ENDPOINT_MODE", "disabled")
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    # whatever another test installed, start from moto's own paths and restore them after
    for method in ("_serialize_type_structure", "_serialize_type_map"):
        monkeypatch.setattr(BaseJSONSerializer, method, _model_path(method))
    yield


def test_items_serialized_whole_answer_the_same_bytes_as_the_model_path(aws: None) -> None:
    model = _raw_answers()
    moto_serializer.install()
    moto_attribute_maps.install()
    assert getattr(BaseJSONSerializer._serialize_type_map, "model_path", None)
    whole = _raw_answers()
    assert len(whole) == len(model) == 6  # put, update, get, scan, query, records
    assert whole == model


def test_install_is_idempotent(aws: None) -> None:
    moto_attribute_maps.install()
    installed = BaseJSONSerializer._serialize_type_map
    moto_attribute_maps.install()
    assert BaseJSONSerializer._serialize_type_map is installed
