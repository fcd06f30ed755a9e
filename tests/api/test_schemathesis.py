"""Schemathesis against the OpenAPI schema: no request it generates gets a 5xx.

Runs in process over an app with the small test architecture and an admin token (so the
write paths run too). Bounded: a few examples per operation, no shrinking.
"""

from __future__ import annotations

from typing import Any

import hypothesis
import pytest
import schemathesis
from schemathesis.checks import not_a_server_error

pytestmark = pytest.mark.slow

TOKEN: dict[str, str] = {}
OWN_PATHS = r"^(/sparql|/rdf-graph-store|/api/|/queries|/history|/validation)"


@pytest.fixture
def api_schema(make_service: Any, arch_repository: Any) -> Any:
    service = make_service(arch_repository, query_timeout_s=5.0,
                           max_upload_bytes=100_000)
    schema = schemathesis.openapi.from_asgi("/openapi.json", service.client.app)
    TOKEN["admin"] = service.tokens["admin"]
    return schema.include(path_regex=OWN_PATHS)


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@hypothesis.settings(max_examples=8, deadline=None, derandomize=True,
                     suppress_health_check=list(hypothesis.HealthCheck),
                     phases=[hypothesis.Phase.explicit, hypothesis.Phase.generate])
def test_no_server_errors(case: schemathesis.Case) -> None:
    case.headers = {**(case.headers or {}), "Authorization": f"Bearer {TOKEN['admin']}"}
    case.call_and_validate(checks=[not_a_server_error])
