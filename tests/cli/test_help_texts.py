"""Every help text of the command line is bilingual, as the README promises: Indonesian
first, then the English in parentheses at the end (`"Nama SOP. (Name.)"`).

The test walks the whole app (root, groups, commands, arguments, options), so a new option
whose help has no English part fails here, naming it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import typer

from spbe_arch.cli import app

from .conftest import Invoke

# typer's and click's own options: their texts are set in cli/usage_errors.py
_BUILT_IN = {"help", "install_completion", "show_completion"}

# words that say a closing parenthesis is Indonesian content ("(bawaan: SPBE_INSTANSI)",
# "(lihat --list)"), not the English part
_INDONESIAN = {"atau", "bawaan", "boleh", "bukan", "dan", "dari", "dengan", "di", "halaman",
               "ini", "itu", "ke", "lihat", "mis", "pada", "sampai", "satu", "semua",
               "tanpa", "untuk", "wajib", "yang"}


def _last_parenthesis(text: str) -> tuple[str, str] | None:
    """(what comes before, what is inside) of the parenthesis `text` ends with ("…)" or
    "…)."), or None."""
    end = len(text) - (2 if text.endswith(").") else 1 if text.endswith(")") else 0)
    if end == len(text):
        return None
    depth = 0
    for index in range(end, -1, -1):
        depth += {")": 1, "(": -1}.get(text[index], 0)
        if depth == 0:
            return text[:index].rstrip(), text[index + 1:end]
    return None


def english_problem(text: str) -> str | None:
    """Why `text` lacks its English part, or None when it has one."""
    found = _last_parenthesis(text.strip())
    if found is None:
        return "does not end with the English in parentheses"
    before, inside = found
    if not re.search(r"[A-Za-z]{2}", inside):
        return f"its last parenthesis ({inside}) holds no English words"
    indonesian = sorted(_INDONESIAN & set(re.findall(r"[a-z]+", inside.lower())))
    if indonesian:
        return f"its last parenthesis ({inside}) is Indonesian ({', '.join(indonesian)})"
    if before and not re.search(r"[.;:!?…)]$", before):
        return (f"its last parenthesis ({inside}) continues the Indonesian sentence; write"
                " 'Indonesian. (English.)'")
    return None


def help_texts() -> Iterator[tuple[str, str]]:
    """(where, help text) for the root, every group, command, argument and option."""

    def walk(command: Any, path: list[str]) -> Iterator[tuple[str, str]]:
        where = " ".join(["spbe-arch", *path])
        yield where, command.help or ""
        for param in command.params:
            if param.name in _BUILT_IN:
                continue
            label = param.opts[0] if param.param_type_name == "option" else param.name
            yield f"{where} {label}", getattr(param, "help", None) or ""
        for name, sub in getattr(command, "commands", {}).items():
            yield from walk(sub, [*path, name])

    yield from walk(typer.main.get_command(app), [])


def test_the_check_tells_english_from_indonesian() -> None:
    assert english_problem("Nama SOP. (Name.)") is None
    assert english_problem("Boleh diulang; mengganti semua nilai lama. (Repeatable.)") is None
    assert english_problem("Tampilkan isi SOP sebagai JSON. (Show an SOP as JSON.)") is None
    assert english_problem("(Revision date.)") is None
    assert english_problem("Buat dokumen (profil OPD, …).\n\n(Generate documents.)") is None
    assert english_problem("Tahun evaluasi.") is not None
    assert english_problem("Kode wilayah instansi (bawaan: SPBE_INSTANSI).") is not None
    assert english_problem("Tingkat dipilih (1–5).") is not None
    assert english_problem("Kelola token API (reader, editor per OPD, admin).") is not None
    assert english_problem("") is not None


def test_every_help_text_has_its_english_part() -> None:
    problems = [f"{where}: {why}: {text.strip()[-70:]!r}"
                for where, text in help_texts()
                if (why := english_problem(text)) is not None]
    assert not problems, ("help texts without English (write 'Indonesian. (English.)'):\n"
                          + "\n".join(problems))


def test_the_walk_reaches_groups_arguments_and_options() -> None:
    """The walk above sees what it must judge (a walk that found nothing would pass)."""
    where = {place for place, _ in help_texts()}
    assert {"spbe-arch", "spbe-arch token", "spbe-arch token create --role",
            "spbe-arch report name", "spbe-arch evaluation whatif --set"} <= where
    assert len(where) > 150


def test_report_argument_is_named_in_indonesian_and_points_to_the_list(cli: Invoke) -> None:
    """`report --help` showed the argument as `name`, and its help named the reports by hand,
    missing those registered later (`kesiapan-evaluasi`); it now points to `--list`."""
    from spbe_arch import reports

    command = typer.main.get_command(app).commands["report"]  # type: ignore[attr-defined]
    (argument,) = [p for p in command.params if p.param_type_name == "argument"]
    assert argument.metavar == "NAMA"
    assert "--list" in argument.help
    registered = {spec.name for spec in reports.reports()}
    assert "kesiapan-evaluasi" in registered
    named = {name for name in registered if name in argument.help}
    assert not named or named == registered, f"the help names only some reports: {named}"
    shown = cli("report", "--help")
    assert shown.exit_code == 0, shown.output
    assert "[NAMA]" in shown.output and " name " not in shown.output
