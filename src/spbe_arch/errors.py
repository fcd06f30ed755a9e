"""Errors that reach users.

Every error a user can cause carries a message in Indonesian and English and, where
there is one, the place that caused it (file, line, column; sheet, row, column; element).
Interfaces print `message(lang)`; only `--debug` shows a traceback.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Location:
    """Where in the input a problem is. Any field may be missing."""

    file: str | None = None
    line: int | None = None
    column: int | None = None
    sheet: str | None = None
    row: int | None = None
    field: str | None = None
    element: str | None = None

    def describe(self, lang: str = "id") -> str:
        parts: list[str] = []
        if self.file:
            parts.append(self.file)
        if self.sheet:
            parts.append(f"Sheet {self.sheet}")
        if self.row is not None:
            parts.append(f"{'baris' if lang == 'id' else 'row'} {self.row}")
        if self.line is not None:
            parts.append(f"{'baris' if lang == 'id' else 'line'} {self.line}")
        if self.column is not None:
            parts.append(f"{'kolom' if lang == 'id' else 'column'} {self.column}")
        if self.field and self.field.startswith("--"):  # a command-line option
            parts.append(f"{'opsi' if lang == 'id' else 'option'} {self.field}")
        elif self.field:
            parts.append(f"{'kolom' if lang == 'id' else 'column'} {self.field}")
        if self.element:
            parts.append(self.element)
        return ", ".join(parts)


class SpbeError(Exception):
    """Base of every error meant for a user (exit code 2 in the CLI, 4xx in the API)."""

    def __init__(self, message_id: str, message_en: str | None = None,
                 location: Location | None = None) -> None:
        super().__init__(message_id)
        self.message_id = message_id
        self.message_en = message_en or message_id
        self.location = location

    def message(self, lang: str = "id") -> str:
        text = self.message_en if lang == "en" else self.message_id
        where = self.location.describe(lang) if self.location else ""
        return f"{where}: {text}" if where else text

    def details(self, lang: str = "id") -> list[str]:
        """Lines that say more than the message (the findings of a refused write, say):
        the CLI lists them under it, error pages too."""
        return []

    def explain(self, lang: str = "id") -> str:
        """The message and its details, one per line: what the CLI prints."""
        return "\n".join([self.message(lang), *(f"  - {line}" for line in self.details(lang))])


class ConfigurationError(SpbeError):
    """A setting (store, endpoint, path) is wrong."""


class StoreUnavailableError(SpbeError):
    """The store cannot be reached, is locked by another process, or answered an error."""


class InputError(SpbeError):
    """A file or request the user gave cannot be read (syntax, type, size)."""


@dataclass
class InputProblems(SpbeError):
    """Several problems found in one input; nothing of it was written."""

    problems: list[SpbeError] = field(default_factory=list)

    def __post_init__(self) -> None:
        SpbeError.__init__(self, f"{len(self.problems)} masalah ditemukan; tidak ada yang disimpan",
                           f"{len(self.problems)} problems found; nothing was stored")

    def message(self, lang: str = "id") -> str:
        head = SpbeError.message(self, lang)
        return "\n".join([head, *(f"- {p.message(lang)}" for p in self.problems)])
