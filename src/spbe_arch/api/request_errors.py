"""422 answers for requests FastAPI itself refuses (a query parameter out of range, a path
value outside its list, a body that is not JSON), in the request's language.

FastAPI's own answer is pydantic's English text ("Input should be greater than or equal
to 1"). The shape stays FastAPI's (`{"detail": [{"type", "loc", "msg", "input", "ctx"}]}`,
as the OpenAPI document declares), so clients that read it keep working; only `msg` is
Indonesian unless the request asks for English, and a `pesan` line names every refused
value for people reading the answer.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fastapi import Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from spbe_arch.api.deps import request_lang

_INDONESIAN: dict[str, str] = {
    "missing": "wajib diisi",
    "greater_than_equal": "harus ≥ {ge}",
    "greater_than": "harus > {gt}",
    "less_than_equal": "harus ≤ {le}",
    "less_than": "harus < {lt}",
    "int_parsing": "harus bilangan bulat",
    "int_type": "harus bilangan bulat",
    "int_from_float": "harus bilangan bulat",
    "float_parsing": "harus bilangan",
    "float_type": "harus bilangan",
    "bool_parsing": "harus true atau false",
    "bool_type": "harus true atau false",
    "string_type": "harus teks",
    "string_too_short": "paling sedikit {min_length} karakter",
    "string_too_long": "paling banyak {max_length} karakter",
    "string_pattern_mismatch": "tidak sesuai pola {pattern}",
    "enum": "harus salah satu dari: {expected}",
    "literal_error": "harus salah satu dari: {expected}",
    "list_type": "harus berupa daftar",
    "dict_type": "harus berupa objek JSON",
    "model_attributes_type": "harus berupa objek JSON",
    "json_invalid": "bukan JSON yang sah ({error})",
    "json_invalid_utf8": "bukan JSON yang sah: bukan UTF-8 (byte {byte} pada posisi {offset})",
    "json_invalid_constant": "bukan JSON yang sah: {value} bukan nilai JSON (JSON tidak"
                             " mengenal NaN atau Infinity)",
    "json_too_deep": "bersarang terlalu dalam untuk dibaca",
    "extra_forbidden": "tidak dikenal",
    "too_long": "paling banyak {max_length} butir",
    "too_short": "paling sedikit {min_length} butir",
}
"""pydantic's error types, in Indonesian; `{…}` are the error's `ctx` values."""


class _Context(dict[str, str]):
    """An error's `ctx` for `str.format_map`: a value it lacks reads as empty; the list of
    choices says "atau" where pydantic says "or"."""

    def __init__(self, ctx: Mapping[str, Any]) -> None:
        super().__init__({k: str(v) for k, v in ctx.items()})
        if "expected" in self:
            self["expected"] = self["expected"].replace(" or ", " atau ")

    def __missing__(self, key: str) -> str:
        return ""


_PLACES = {"query": ("parameter", "parameter"), "path": ("bagian alamat", "path segment"),
           "body": ("isi permintaan", "request body"), "header": ("header", "header"),
           "cookie": ("cookie", "cookie")}


def _where(loc: tuple[Any, ...] | list[Any], lang: str) -> str:
    if not loc:
        return "?"
    place, *rest = loc
    label = _PLACES.get(str(place), (str(place), str(place)))[lang == "en"]
    name = ".".join(str(part) for part in rest)
    return f"{label} '{name}'" if name else label


def translate(errors: list[dict[str, Any]], lang: str) -> list[dict[str, Any]]:
    """pydantic's errors with `msg` in `lang` (Indonesian where a text is known)."""
    if lang == "en":
        return errors
    translated = []
    for error in errors:
        template = _INDONESIAN.get(str(error.get("type")))
        message = (template.format_map(_Context(error.get("ctx") or {})) if template
                   else error.get("msg", ""))
        translated.append({**error, "msg": message})
    return translated


def _content_type_hint(errors: list[dict[str, Any]], content_type: str,
                       lang: str) -> list[dict[str, Any]]:
    """A JSON body sent without `Content-Type: application/json` (curl `-d` sends a form
    type) reaches FastAPI as text: say so, rather than "must be a JSON object"."""
    media = content_type.split(";")[0].strip().lower()
    if media == "application/json" or media.endswith("+json"):
        return errors
    shown = media or ("tanpa Content-Type" if lang == "id" else "no Content-Type")
    hint = (f"; kirim dengan header Content-Type: application/json (yang dikirim: {shown})"
            if lang == "id" else
            f"; send it with the header Content-Type: application/json (sent: {shown})")
    return [{**error, "msg": f"{error.get('msg')}{hint}"}
            if tuple(error.get("loc", ())) == ("body",)
            and error.get("type") in ("dict_type", "model_attributes_type") else error
            for error in errors]


async def request_validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    lang = request_lang(request)
    errors = _content_type_hint(translate(list(exc.errors()), lang),
                                request.headers.get("content-type", ""), lang)
    summary = "; ".join(f"{_where(e.get('loc', ()), lang)}: {e.get('msg')}" for e in errors)
    return JSONResponse({"detail": jsonable_encoder(errors), "pesan": summary}, 422)
