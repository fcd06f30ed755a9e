"""The `spbe-arch` command line.

Each feature has its own module here with a `register(app)` function that adds its
commands; this module only assembles them and turns user errors into one clear sentence
and exit code 2 (a traceback only with `--debug`).
"""

from __future__ import annotations

import importlib
import inspect
import os
import sys
from typing import Any

import typer
from typer.core import TyperGroup

from spbe_arch.cli.common import state
from spbe_arch.cli.usage_errors import UsageError, localise_help, translated, use_language
from spbe_arch.errors import SpbeError

COMMAND_MODULES = (
    "core",  # init, load, export, query, update, stats, dump, restore, demo
    "instansi",
    "reference",
    "validate",
    "report",
    "bpmn",
    "sop",
    "evaluation",
    "excel",
    "serve",
    "token",
)


def _reflow(text: str | None) -> str | None:
    """One line per paragraph: docstrings are wrapped for the source file, and typer's rich
    help keeps those line breaks and wraps again for the terminal, leaving a stray word on
    a line of its own every few lines."""
    if not text:
        return text
    paragraphs = inspect.cleandoc(text).split("\n\n")
    return "\n\n".join(" ".join(line.strip() for line in paragraph.splitlines())
                       for paragraph in paragraphs)


def _reflow_help(command: Any) -> None:
    command.help = _reflow(command.help)
    localise_help(command)
    # typer's own copy of click: its groups are not `click.Group`s
    for sub in getattr(command, "commands", {}).values():
        _reflow_help(sub)


def _language_of(args: list[str]) -> str:
    """The language asked for before the root callback has read it (`--lang` comes first on
    the command line, or SPBE_LANG): root help and root usage errors are written then."""
    for index, arg in enumerate(args):
        if arg == "--lang" and index + 1 < len(args):
            return args[index + 1]
        if arg.startswith("--lang="):
            return arg.split("=", 1)[1]
    return os.environ.get("SPBE_LANG") or "id"


class _Group(TyperGroup):
    """Turns a user error raised by any command into one sentence on stderr and exit code 2,
    and usage errors (unknown option, missing argument, …) into the user's language.

    Done here rather than only in `main()` so that every way of invoking the app (the
    console script, `python -m`, click's test runner) behaves the same.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _reflow_help(self)  # typer builds the whole tree before the root group

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        lang = _language_of(args)
        use_language(lang)
        localise_help(self)  # typer adds the completion options after __init__
        try:
            return super().parse_args(ctx, args)
        except UsageError as exc:
            raise translated(exc, lang) from None

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except UsageError as exc:  # a subcommand's arguments
            raise translated(exc, state.lang) from None
        except SpbeError as exc:
            if state.debug:
                raise
            message = exc.explain(state.lang)
        # Raised outside the handler so the exit carries no reference to the error's
        # traceback: its frames hold the open repository, and an embedded store stays
        # locked while they live (matters when the app runs inside a longer process).
        typer.echo(message, err=True)
        raise typer.Exit(2)


app = typer.Typer(
    name="spbe-arch",
    cls=_Group,
    help=(
        "Repositori arsitektur SPBE: simpan, validasi, kueri dan buat dokumen arsitektur"
        " pemerintah daerah. (SPBE architecture repository: store, validate, query and"
        " document a local government's architecture.)"
    ),
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)


@app.callback()
def _options(
    store: str = typer.Option(
        None, "--store", envvar="SPBE_STORE",
        help="Penyimpanan: oxigraph:PATH (bawaan oxigraph:./spbe-data), memory:, sparql:URL."
             " (Store: embedded on disk, in memory, or a SPARQL 1.1 server.)",
    ),
    lang: str = typer.Option("id", "--lang", envvar="SPBE_LANG",
                             help="Bahasa pesan: id atau en. (Message language.)"),
    debug: bool = typer.Option(False, "--debug",
                               help="Tampilkan traceback lengkap bila gagal."
                                    " (Show the full traceback on errors.)"),
) -> None:
    if lang not in ("id", "en"):
        raise typer.BadParameter("gunakan id atau en (use id or en)", param_hint="--lang")
    state.store = store
    state.lang = lang
    use_language(lang)
    state.debug = debug


for _name in COMMAND_MODULES:
    importlib.import_module(f"spbe_arch.cli.{_name}").register(app)


def main() -> None:
    try:
        app()
    except SpbeError as exc:
        if state.debug:
            raise
        typer.echo(exc.explain(state.lang), err=True)
        sys.exit(2)
