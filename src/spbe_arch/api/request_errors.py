"""422 answers for requests FastAPI itself refuses (a query parameter out of range, a path
value outside its list, a body that is not JSON), in the request's language.

FastAPI's own answer is pydantic's English text ("Input should be greater than or equal
to 1"). The shape stays FastAPI's (`{"detail": [{"type", "loc", "msg", "input", "ctx"}]}`,
as the OpenAPI document declares), so clients that read it keep working; only `msg` is
Indonesian unless the request asks for English, and a `pesan` line names every refused
value for people reading the answer.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from fastapi import Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from spbe_arch.api.deps import request_lang

_Context = Mapping[str, Any]


def _choices(ctx: _Context) -> str:
    return str(ctx.get("expected", "")).replace(" or ", " atau ")


_INDONESIAN: dict[str, Callable[[_Context], str]] = {
    "missing": lambda ctx: "wajib diisi",
    "greater_than_equal": lambda ctx: f"harus ≥ {ctx.get('ge')}",
    "greater_than": lambda ctx: f"harus > {ctx.get('gt')}",
    "less_than_equal": lambda ctx: f"harus ≤ {ctx.get('le')}",
    "less_than": lambda ctx: f"harus < {ctx.get('lt')}",
    "int_parsing": lambda ctx: "harus bilangan bulat",
    "int_type": lambda ctx: "harus bilangan bulat",
    "int_from_float": lambda ctx: "harus bilangan bulat",
    "float_parsing": lambda ctx: "harus bilangan",
    "float_type": lambda ctx: "harus bilangan",
    "bool_parsing": lambda ctx: "harus true atau false",
    "bool_type": lambda ctx: "harus true atau false",
    "string_type": lambda ctx: "harus teks",
    "string_too_short": lambda ctx: f"paling sedikit {ctx.get('min_length')} karakter",
    "string_too_long": lambda ctx: f"paling banyak {ctx.get('max_length')} karakter",
    "string_pattern_mismatch": lambda ctx: f"tidak sesuai pola {ctx.get('pattern')}",
    "enum": lambda ctx: f"harus salah satu dari: {_choices(ctx)}",
    "literal_error": lambda ctx: f"harus salah satu dari: {_choices(ctx)}",
    "list_type": lambda ctx: "harus berupa daftar",
    "dict_type": lambda ctx: "harus berupa objek JSON",
    "model_attributes_type": lambda ctx: "harus berupa objek JSON",
    "json_invalid": lambda ctx: f"bukan JSON yang sah ({ctx.get('error', '')})",
    "extra_forbidden": lambda ctx: "tidak dikenal",
    "too_long": lambda ctx: f"paling banyak {ctx.get('max_length')} butir",
    "too_short": lambda ctx: f"paling sedikit {ctx.get('min_length')} butir",
}

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
        render = _INDONESIAN.get(str(error.get("type")))
        message = render(error.get("ctx") or {}) if render else error.get("msg", "")
        translated.append({**error, "msg": message})
    return translated


async def request_validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    lang = request_lang(request)
    errors = translate(list(exc.errors()), lang)
    summary = "; ".join(f"{_where(e.get('loc', ()), lang)}: {e.get('msg')}" for e in errors)
    return JSONResponse({"detail": jsonable_encoder(errors), "pesan": summary}, 422)
