"""What every command module shares: global options, opening the repository, output helpers."""

from __future__ import annotations

import getpass
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum
from typing import Annotated

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.progress import (
    BarColumn,
    Progress,
    SpinnerColumn,
    TaskProgressColumn,
    TextColumn,
    TimeElapsedColumn,
)

from spbe_arch import audit
from spbe_arch.errors import ConfigurationError
from spbe_arch.repository import Repository, open_repository
from spbe_arch.settings import Settings, get_settings


class TableOrJson(StrEnum):
    """`--format` of the commands that print a table for people or JSON for programs."""

    table = "table"
    json = "json"


@dataclass
class CliState:
    store: str | None = None
    lang: str = "id"
    debug: bool = False


state = CliState()

InstansiOption = Annotated[str | None, typer.Option(
    "--instansi", metavar="KODE",
    help="Kode wilayah instansi; bawaan SPBE_INSTANSI. (Instansi region code.)")]


def instansi_code(value: str | None) -> str:
    """The instansi a command works on: its `--instansi`, else the setting."""
    return value or settings().instansi


def agent_name(prefix: str = "cli") -> str:
    """Who the audit trail records for a command: `cli-<system user>`."""
    try:
        return f"{prefix}-{getpass.getuser()}"
    except (KeyError, OSError):  # no user database entry (some containers)
        return prefix


def t(text_id: str, text_en: str) -> str:
    """The message in the language chosen with `--lang` / `SPBE_LANG`."""
    return text_en if state.lang == "en" else text_id


def settings() -> Settings:
    """The settings from `SPBE_*` variables; a wrong value is a one-sentence error."""
    try:
        return get_settings()
    except ValidationError as exc:
        problems = "; ".join(
            f"SPBE_{'_'.join(str(part) for part in error['loc']).upper()}: {error['msg']}"
            for error in exc.errors()
        )
        raise ConfigurationError(f"pengaturan tidak sah: {problems}",
                                 f"invalid setting: {problems}") from None


def repository(*, read_only: bool = False) -> Repository:
    """The repository named by `--store` / `SPBE_STORE`; opened for writing, its audit trail
    is indexed first (`audit.ensure_index`: one ASK once done)."""
    opened = open_repository(state.store, settings(), read_only=read_only)
    if not read_only:
        audit.index_on_open(opened)
    return opened


def out_console() -> Console:
    """Where results go (stdout); no colours or wrapping when it is not a terminal."""
    return Console(soft_wrap=not sys.stdout.isatty(), highlight=False)


def err_console() -> Console:
    return Console(stderr=True, highlight=False)


def progress() -> Progress:
    """A progress bar on stderr; silent when stderr is not a terminal (pipes, CI logs)."""
    console = err_console()
    return Progress(
        SpinnerColumn(),
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        TaskProgressColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
        disable=not console.is_terminal,
    )


@contextmanager
def working(description: str) -> Iterator[None]:
    """A spinner with elapsed time for one long call whose progress cannot be measured."""
    with progress() as bar:
        bar.add_task(description, total=None)
        yield
