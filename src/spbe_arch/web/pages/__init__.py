"""The page handlers, one module per area; `build_router()` puts them all under `/ui`."""

from __future__ import annotations

import importlib

from fastapi import APIRouter

from spbe_arch.web.context import PREFIX

PAGE_MODULES = ("dashboard", "session", "browse", "reference", "sparql", "validation",
                "imports", "process", "reports", "instansi", "missing")


def build_router() -> APIRouter:
    router = APIRouter()
    for name in PAGE_MODULES:
        module = importlib.import_module(f"spbe_arch.web.pages.{name}")
        router.include_router(module.router, prefix=PREFIX, include_in_schema=False)
    return router


__all__ = ["PAGE_MODULES", "build_router"]
