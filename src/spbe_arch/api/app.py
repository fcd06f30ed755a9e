"""The FastAPI application factory.

Each feature contributes an `APIRouter` named `router` in `spbe_arch.api.routes.<name>`;
the app includes every module listed in `ROUTE_MODULES`. The repository and settings live
on `app.state` and reach routes through the `Annotated` dependencies in `api.deps`.
"""

from __future__ import annotations

import importlib

from fastapi import FastAPI

from spbe_arch.repository import Repository, open_repository
from spbe_arch.settings import Settings, get_settings

ROUTE_MODULES = (
    "sparql",
    "graph_store",
    "resources",
    "validation",
    "queries",
    "history",
    "reports",
    "bpmn",
    "sop",
    "evaluation",
    "excel",
    "web",
)


def create_app(settings: Settings | None = None, repository: Repository | None = None) -> FastAPI:
    settings = settings or get_settings()
    app = FastAPI(
        title="spbe-arch",
        description="Repositori arsitektur SPBE — SPARQL 1.1, Graph Store Protocol dan REST API.",
        version="0.1.0",
    )
    app.state.settings = settings
    app.state.repository = repository or open_repository(settings.store, settings)
    for name in ROUTE_MODULES:
        try:
            module = importlib.import_module(f"spbe_arch.api.routes.{name}")
        except ModuleNotFoundError as exc:  # a feature still being built in this tree
            if exc.name != f"spbe_arch.api.routes.{name}":
                raise
            continue
        setup = getattr(module, "setup", None)
        if setup is not None:
            setup(app)
        else:
            app.include_router(module.router)
    return app
