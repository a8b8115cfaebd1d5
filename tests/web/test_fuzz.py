"""Fuzz the HTTP API from its own OpenAPI schema (schemathesis): whatever the request, no 500,
every status is one the schema declares and every body matches the declared response model
(the TypedDicts of ``diemtin.types``: digest entries with their facts, stories, articles, search). Runs in process on a real SQLite store
holding the seed story."""

from __future__ import annotations

import json
import tempfile
import zlib
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error, response_schema_conformance, status_code_conformance

from diemtin.ingest import read_sources
from diemtin.store import Store, ingest_articles
from diemtin.web.app import create_app
from tests.conftest import SEEDS

TOKEN = "fuzz-token"
# Every store of this module lives here, removed when the module's tests end (the schema below
# needs an app at import, before any pytest fixture exists).
STORES = tempfile.TemporaryDirectory(prefix="diemtin-fuzz-")


@pytest.fixture(scope="module", autouse=True)
def _remove_stores():
    yield
    STORES.cleanup()


def _app():
    store = Store.open(str(Path(tempfile.mkdtemp(dir=STORES.name)) / "diemtin.db"))
    ingest_articles(store, read_sources([SEEDS]).articles)
    return create_app(store, token=TOKEN)


schema = schemathesis.openapi.from_asgi("/openapi.json", _app())


@schema.parametrize()
@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
def test_every_response_is_one_the_schema_declares(case):
    # half the write requests carry the token, so the ingest path behind it is fuzzed too
    # (crc32, not hash(): the string hash changes with each process's seed, and CI is deterministic)
    headers = {"Authorization": f"Bearer {TOKEN}"} if case.method == "POST" and zlib.crc32(repr(case.body).encode()) % 2 else {}
    response = case.call(headers=headers)
    case.validate_response(response, checks=(not_a_server_error, status_code_conformance,
                                              response_schema_conformance))
    assert response.status_code < 500


@pytest.mark.parametrize("body", [
    '{"articles": [{"text": "Hà Nội\\u0000 mưa \\ud800 lớn."}]}',  # NUL and a lone surrogate, JSON-escaped
    json.dumps({"articles": [{"text": "Hà Nội mưa lớn. " * 25_000, "title": "<script>alert(1)</script>"}]}),
    json.dumps({"articles": [{"text": "Hà Nội mưa lớn.", "published": "không phải ngày"}]}),
    json.dumps({"articles": [{"text": "Đà Nẵng nắng nóng.", "id": "../../etc/passwd"}]}),
    '{"articles": [{"text": "Huế"}, {"text": "' + "[" * 5000 + '"}]}',
])
def test_hand_picked_hostile_bodies(body):
    from fastapi.testclient import TestClient  # noqa: PLC0415

    with TestClient(_app()) as client:
        response = client.post("/api/articles", content=body.encode("utf-8"),
                               headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"})
        assert response.status_code < 500, response.text
        assert client.get("/api/digest", params={"since": "all"}).status_code == 200
