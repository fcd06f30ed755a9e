"""Usage errors and the help screens' wording in the user's language (cli/usage_errors.py)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
import typer
from typer.testing import CliRunner, Result

from spbe_arch.cli import app
from spbe_arch.cli.usage_errors import UsageError, indonesian


def run(*args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(app, list(args), env={"COLUMNS": "200", **(env or {})})


def error_text(result: Result) -> str:
    return " ".join(result.output.replace("│", " ").split())


@pytest.mark.parametrize(("args", "indonesian_text", "english_text"), [
    (["stats", "--bogus"], "opsi --bogus tidak dikenal", "No such option: --bogus"),
    (["--bogus", "stats"], "opsi --bogus tidak dikenal", "No such option: --bogus"),
    (["load"], "argumen 'BERKAS' wajib diisi", "Missing argument 'BERKAS'"),
    (["query", "x", "--format", "xml"],
     "nilai '--format' / '-f' tidak sah: 'xml' bukan salah satu pilihan: 'table', 'csv',"
     " 'tsv', 'json'", "'--format' / '-f': 'xml' is not one of"),
    (["evaluation", "index", "--tahun", "dua ribu"],
     "nilai '--tahun' tidak sah: harus bilangan bulat", "valid integer"),
    (["evaluation", "coverage"],
     "perintah 'coverage' tidak ada; mungkin maksudnya 'sop-coverage'",
     "No such command 'coverage'"),
    (["sop", "list", "satu", "dua"], "argumen berlebih yang tidak dikenal: satu dua",
     "Got unexpected extra"),
    (["export", "--graph"], "opsi '--graph' memerlukan nilai", "requires an argument"),
])
def test_usage_errors_in_indonesian_and_english(args: list[str], indonesian_text: str,
                                                english_text: str) -> None:
    result = run(*args)
    assert result.exit_code == 2, result.output
    assert indonesian_text in error_text(result)
    assert "Kesalahan" in result.output
    english = run("--lang", "en", *args)
    assert english.exit_code == 2
    assert english_text in error_text(english) and "Error" in english.output
    by_environment = run(*args, env={"SPBE_LANG": "en"})
    assert english_text in error_text(by_environment)


def test_help_screens_name_their_parts_in_the_chosen_language() -> None:
    indonesian_help = run("load", "--help").output
    assert "Opsi" in indonesian_help and "Argumen" in indonesian_help
    assert "[wajib]" in indonesian_help and "Options" not in indonesian_help
    assert "Perintah" in run("--help").output
    english_help = run("--lang", "en", "load", "--help").output
    assert "Options" in english_help and "[required]" in english_help
    assert "Commands" in run("--help", env={"SPBE_LANG": "en"}).output
    # and back: the wording is chosen on every run, not left from the previous one
    assert "Opsi" in run("load", "--help").output
    assert "Coba 'spbe-arch stats --help' untuk bantuan." in run("stats", "--x").output
    assert "Try 'spbe-arch stats --help' for help." in run("--lang", "en", "stats", "--x").output


def _command_paths() -> list[list[str]]:
    def walk(command: Any, path: list[str]) -> Iterator[list[str]]:
        yield path
        for name, sub in getattr(command, "commands", {}).items():
            yield from walk(sub, [*path, name])

    return list(walk(typer.main.get_command(app), []))


@pytest.mark.parametrize("path", _command_paths(), ids=lambda p: " ".join(p) or "root")
def test_every_help_screen_speaks_the_users_words(path: list[str]) -> None:
    # typer writes "Usage:", "[OPTIONS]", a Python type after each option (`<str>`,
    # `<list[Path]>`, `<bool>` even after a flag) and click's English --help line
    text = run(*path, "--help").output
    assert "Penggunaan: spbe-arch" in text and "[OPSI]" in text
    assert "Usage:" not in text and "[OPTIONS]" not in text
    assert not re.search(r"<(?:str|int|float|bool|path|list\[\w+\])>", text, re.I), text
    assert "Tampilkan bantuan ini lalu keluar." in text
    english = run("--lang", "en", *path, "--help").output
    assert "Usage: spbe-arch" in english and "[OPTIONS]" in english
    assert "[OPSI]" not in english and "PERINTAH" not in english


def test_an_error_of_unknown_shape_keeps_its_own_text() -> None:
    assert indonesian(UsageError("something new from click")) is None
