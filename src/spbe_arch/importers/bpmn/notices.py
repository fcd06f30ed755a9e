"""Warnings that do not stop an import or a derivation but must reach the user."""

from __future__ import annotations

from dataclasses import dataclass

from spbe_arch.errors import Location


@dataclass(frozen=True)
class Notice:
    """One warning, in Indonesian and English, with the place it is about."""

    message_id: str
    message_en: str
    location: Location | None = None

    def message(self, lang: str = "id") -> str:
        text = self.message_en if lang == "en" else self.message_id
        where = self.location.describe(lang) if self.location else ""
        return f"{where}: {text}" if where else text

    def as_dict(self, lang: str = "id") -> dict[str, str]:
        return {"message": self.message(lang)}
