"""Each responses class's action methods, listed once, are the ones moto lists."""

from __future__ import annotations

from moto.core import responses
from moto.dynamodb.responses import DynamoHandler
from moto.dynamodbstreams.responses import DynamoDBStreamsHandler
from moto.s3.responses import S3Response

from local import moto_dispatch


def test_the_names_are_moto_s_for_each_class() -> None:
    for clazz in (DynamoHandler, DynamoDBStreamsHandler, S3Response):
        names = moto_dispatch.method_names_from_class(clazz)
        assert names == moto_dispatch._moto_names(clazz)
        assert "transact_write_items" in moto_dispatch.method_names_from_class(DynamoHandler)


def test_each_caller_gets_its_own_list() -> None:
    first = moto_dispatch.method_names_from_class(DynamoHandler)
    first.clear()
    assert moto_dispatch.method_names_from_class(DynamoHandler)


def test_install_is_idempotent() -> None:
    moto_dispatch.install()
    installed = responses.method_names_from_class
    moto_dispatch.install()
    assert responses.method_names_from_class is installed is not moto_dispatch._moto_names
