"""The HTTP service: SPARQL 1.1 Protocol, Graph Store Protocol, REST API (and the web UI)."""

from spbe_arch.api.app import create_app

__all__ = ["create_app"]
