"""Usage errors (unknown option, missing argument, bad value, unknown command) and the
words around the help screens, in the user's language.

Typer's copy of click writes these in English only; the product's users read Indonesian
first. The message is rebuilt from the error's own fields (option name, parameter,
value), so nothing the English text says is lost.
"""

from __future__ import annotations

import re
from typing import Any

from typer import rich_utils

try:  # recent typer carries its own copy of click
    from typer._click import core, formatting
    from typer._click import exceptions as errors
except ImportError:  # pragma: no cover - older typer uses click itself
    from click import core, formatting  # type: ignore[no-redef]
    from click import exceptions as errors  # type: ignore[no-redef]

UsageError = errors.UsageError

_CHROME = {
    # rich_utils' help and error wording (module constants typer reads on every render)
    "ARGUMENTS_PANEL_TITLE": ("Argumen", "Arguments"),
    "OPTIONS_PANEL_TITLE": ("Opsi", "Options"),
    "COMMANDS_PANEL_TITLE": ("Perintah", "Commands"),
    "ERRORS_PANEL_TITLE": ("Kesalahan", "Error"),
    "REQUIRED_LONG_STRING": ("[wajib]", "[required]"),
    "DEFAULT_STRING": ("[bawaan: {}]", "[default: {}]"),
    "ENVVAR_STRING": ("[variabel lingkungan: {}]", "[env var: {}]"),
    "ABORTED_TEXT": ("Dibatalkan.", "Aborted."),
    "RICH_HELP": ("Coba [blue]'{command_path} {help_option}'[/] untuk bantuan.",
                  "Try [blue]'{command_path} {help_option}'[/] for help."),
}


_USAGE_PREFIX = {"id": "Penggunaan: ", "en": "Usage: "}
_SUBCOMMANDS_ID, _SUBCOMMANDS_EN = "PERINTAH [ARGUMEN]...", "COMMAND [ARGS]..."
_language = ["id"]


def use_language(lang: str) -> None:
    """Help screens and usage errors from now on in `lang` ("id" or "en")."""
    index = 1 if lang == "en" else 0
    for name, texts in _CHROME.items():
        setattr(rich_utils, name, texts[index])
    _language[0] = "en" if lang == "en" else "id"


class _Formatter(formatting.HelpFormatter):
    """Writes the usage line's "Usage:" in the user's language."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        if _language[0] == "en":
            args = args.replace("[OPSI]", "[OPTIONS]").replace(_SUBCOMMANDS_ID, _SUBCOMMANDS_EN)
        super().write_usage(prog, args, _USAGE_PREFIX[_language[0]] if prefix is None
                            else prefix)


class _Context(core.Context):
    formatter_class = _Formatter


# typer names an option's value by its Python type (`<str>`, `<list[Path]>`); users read
# what to type instead, in the words the hand-named options already use (KODE, BERKAS)
_VALUE_WORDS = {"str": "TEKS", "int": "ANGKA", "float": "ANGKA", "path": "BERKAS",
                "Path": "BERKAS", "file": "BERKAS", "directory": "FOLDER"}
_TYPE_NAME = re.compile(r"^<(?:list\[)?(?P<name>[A-Za-z]+)\]?>$")
HELP_OPTION_TEXT = "Tampilkan bantuan ini lalu keluar. (Show this message and exit.)"
_TYPER_OPTION_TEXTS = {
    "install_completion": "Pasang pelengkapan perintah (tab) untuk shell ini. (Install"
                          " completion for the current shell.)",
    "show_completion": "Tampilkan skrip pelengkapan perintah untuk shell ini, untuk disalin"
                       " atau disesuaikan. (Show completion for the current shell, to copy"
                       " it or customise the installation.)",
}


def _value_word(shown: str | None) -> str | None:
    found = _TYPE_NAME.match(shown or "")
    return _VALUE_WORDS.get(found["name"]) if found else None


def localise_help(command: Any) -> None:
    """The words typer and click put into `command`'s help screen, in the user's words:
    the usage line, the kind of value to type (TEKS, BERKAS) instead of Python type names,
    nothing after a flag, and the `--help` option's own line (bilingual, as every option's
    help is)."""
    command.context_class = _Context
    command.options_metavar = "[OPSI]"
    if getattr(command, "subcommand_metavar", None):
        command.subcommand_metavar = _SUBCOMMANDS_ID
    context = _Context(command)
    for param in command.params:
        if param.param_type_name == "argument":
            word = _value_word(param.display_type(context))
            if word is not None:
                # an argument's type column ignores its metavar (its name column shows it)
                param.display_type_rich = lambda ctx, word=word: word
        elif param.metavar is None:
            param.help = _TYPER_OPTION_TEXTS.get(param.name or "", param.help)
            param.metavar = "" if param.is_flag else _value_word(
                param.display_type_rich(context))
    help_option = command.get_help_option(context)
    if help_option is not None:
        help_option.help = HELP_OPTION_TEXT
        help_option.metavar = ""


_NOT_ONE_OF = re.compile(r"(?:Value error, )?(?P<value>'.*') is not one of (?P<choices>.+?)\.?$",
                         re.DOTALL)
_NOT_A = re.compile(r"(?P<value>'.*') is not a valid (?P<kind>integer|float|boolean)"
                    r"(?: range)?\.?$", re.DOTALL)
_KINDS = {"integer": "bilangan bulat", "float": "bilangan", "number": "bilangan",
          "boolean": "ya/tidak (true/false)"}
# typer checks values with pydantic, whose wording this is
_SHOULD_BE = re.compile(r"Input should be a valid (?P<kind>integer|number|boolean)\b.*",
                        re.DOTALL)
_BOUND = re.compile(r"Input should be (?P<op>greater|less) than(?P<eq> or equal to)? "
                    r"(?P<limit>\S+?)\.?$")
_NO_SUCH_COMMAND = re.compile(r"No such command (?P<name>'.*?')\.(?: Did you mean "
                              r"(?P<guess>'.*?')\?)?", re.DOTALL)
_REQUIRES_VALUE = re.compile(r"Option (?P<name>'.*?') requires an argument\.")
_GOT_EXTRA = re.compile(r"Got unexpected extra argument(?:s|\(s\))? \((?P<args>.*)\)")


def _hint(exc: Any) -> str:
    if exc.param_hint is not None:
        hint = exc.param_hint
        return " / ".join(f"'{h}'" for h in hint) if isinstance(hint, list | tuple) else str(hint)
    if exc.param is not None:
        return str(exc.param.get_error_hint())
    return ""


def _value_problem(message: str) -> str:
    if found := _NOT_ONE_OF.match(message):
        return f"{found['value']} bukan salah satu pilihan: {found['choices']}"
    if found := _NOT_A.match(message):
        return f"{found['value']} bukan {_KINDS[found['kind']]}"
    if found := _SHOULD_BE.match(message):
        return f"harus {_KINDS[found['kind']]}"
    if found := _BOUND.match(message):
        op = {"greater": ">", "less": "<"}[found["op"]] + ("=" if found["eq"] else "")
        return f"harus {op} {found['limit']}"
    return message  # the parameter's own text (ours are Indonesian already)


def indonesian(exc: UsageError) -> str | None:
    """The Indonesian text of a usage error, or None when it has no known shape."""
    if isinstance(exc, errors.NoSuchOption):
        text = f"opsi {exc.option_name} tidak dikenal"
        if exc.possibilities:
            text += f" (mungkin maksudnya: {', '.join(sorted(exc.possibilities))})"
        return text
    if isinstance(exc, errors.MissingParameter):
        kind = {"argument": "argumen", "option": "opsi"}.get(
            exc.param_type or (exc.param.param_type_name if exc.param else ""), "parameter")
        return f"{kind} {_hint(exc)} wajib diisi".replace("  ", " ")
    if isinstance(exc, errors.BadParameter):
        return f"nilai {_hint(exc)} tidak sah: {_value_problem(exc.message)}"
    if found := _REQUIRES_VALUE.fullmatch(exc.message):
        return f"opsi {found['name']} memerlukan nilai"
    if found := _NO_SUCH_COMMAND.fullmatch(exc.message):
        text = f"perintah {found['name']} tidak ada"
        return text + (f"; mungkin maksudnya {found['guess']}" if found["guess"] else "")
    if found := _GOT_EXTRA.fullmatch(exc.message):
        return f"argumen berlebih yang tidak dikenal: {found['args']}"
    return None


def translated(exc: UsageError, lang: str) -> UsageError:
    """`exc` as a plain usage error in `lang` (the same context, so the same usage line)."""
    if lang == "en":
        if exc.message.startswith("Value error, "):  # pydantic's wording inside typer's
            exc.message = exc.message.removeprefix("Value error, ")
        return exc
    text = indonesian(exc)
    if text is None:
        return exc
    plain = UsageError(text, exc.ctx)
    plain.exit_code = exc.exit_code
    return plain


__all__ = ["UsageError", "indonesian", "localise_help", "translated", "use_language"]
