"""What every command module shares: global options and opening the repository."""

from __future__ import annotations

from dataclasses import dataclass

from spbe_arch.repository import Repository, open_repository
from spbe_arch.settings import Settings, get_settings


@dataclass
class CliState:
    store: str | None = None
    lang: str = "id"
    debug: bool = False


state = CliState()


def settings() -> Settings:
    return get_settings()


def repository(*, read_only: bool = False) -> Repository:
    """The repository named by `--store` / `SPBE_STORE`."""
    return open_repository(state.store, settings(), read_only=read_only)
