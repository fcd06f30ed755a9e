"""Dependencies shared by every route, as `Annotated` aliases.

- `RepositoryDep`, `SettingsDep`: the store and the settings of this app.
- `PrincipalDep`: who is calling (from `Authorization: Bearer …`; anonymous without it).
- `ReaderDep`: the caller, who must be allowed to read (401 otherwise).
- `LangDep`: the language of messages: `?lang=en`, else Accept-Language, else the setting.
- `QueryEngineDep`: runs SPARQL under the time limit (see `api.query_engine`).
"""

from __future__ import annotations

import threading
from typing import Annotated

from fastapi import Depends, Query, Request

from spbe_arch.access import Principal, TokenStore, authenticate, require_read
from spbe_arch.api.query_engine import QueryEngine
from spbe_arch.errors import InputError
from spbe_arch.model import require_known_instansi
from spbe_arch.repository import Repository
from spbe_arch.settings import Settings


def get_repository(request: Request) -> Repository:
    repository: Repository = request.app.state.repository
    return repository


def get_app_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def get_principal(request: Request) -> Principal:
    tokens: TokenStore = request.app.state.tokens
    return authenticate(tokens, request.headers.get("authorization"),
                        anonymous_read=request.app.state.anonymous_read)


def get_reader(principal: Annotated[Principal, Depends(get_principal)]) -> Principal:
    require_read(principal)
    return principal


def request_lang(request: Request) -> str:
    """`id` or `en` for the messages of this request."""
    asked = request.query_params.get("lang")
    if asked in ("id", "en"):
        return asked
    for tag in _by_preference(request.headers.get("accept-language", "")):
        if tag.startswith("id"):
            return "id"
        if tag.startswith("en"):
            return "en"
    settings: Settings = request.app.state.settings
    return "en" if settings.lang == "en" else "id"


def _by_preference(header: str) -> list[str]:
    """The language tags of an Accept-Language header, most wanted first (RFC 9110 §12.5.4:
    `id;q=0.1, en` wants English); q=0 means "not this one"."""
    ranked: list[tuple[float, int, str]] = []
    for position, item in enumerate(header.split(",")):
        tag, _, parameters = item.partition(";")
        weight = 1.0
        for parameter in parameters.split(";"):
            name, _, value = parameter.strip().partition("=")
            if name.strip().lower() == "q":
                try:
                    weight = float(value)
                except ValueError:
                    weight = 0.0
        if tag.strip() and weight > 0:
            ranked.append((-weight, position, tag.strip().lower()))
    return [tag for _, _, tag in sorted(ranked)]


def get_query_engine(request: Request) -> QueryEngine:
    engine: QueryEngine = request.app.state.query_engine
    return engine


def get_write_lock(request: Request) -> threading.Lock:
    """Serialises check-then-write sequences (validate a change, then commit it)."""
    lock: threading.Lock = request.app.state.write_lock
    return lock


RepositoryDep = Annotated[Repository, Depends(get_repository)]
SettingsDep = Annotated[Settings, Depends(get_app_settings)]
PrincipalDep = Annotated[Principal, Depends(get_principal)]
ReaderDep = Annotated[Principal, Depends(get_reader)]
LangDep = Annotated[str, Depends(request_lang)]
QueryEngineDep = Annotated[QueryEngine, Depends(get_query_engine)]
WriteLockDep = Annotated[threading.Lock, Depends(get_write_lock)]

KODE_WILAYAH = r"^[0-9A-Za-z][0-9A-Za-z._-]{0,63}$"
"""A region code as the repository uses them (`3574`, `35.74`): letters, digits, `.`, `_`,
`-`. It becomes part of IRIs, file names and worksheet cells, where a control character or
a slash does harm (an Excel export answered 500 on `instansi=%1D`)."""

InstansiQuery = Annotated[str | None, Query(description="Kode wilayah (bawaan: SPBE_INSTANSI)",
                                            pattern=KODE_WILAYAH, max_length=64)]


class UnknownFilterValueError(InputError):
    """A parameter names an instansi, OPD or reference code that does not exist (404)."""

    http_status = 404


def require_instansi(repository: Repository, kode: str, asked: str | None) -> None:
    """The instansi must be one the repository holds: a mistyped code would otherwise answer
    a complete-looking empty page, evaluation or validation. 404, naming the parameter
    when one was given (without it, the server's own SPBE_INSTANSI is the one missing),
    and the known codes."""
    try:
        require_known_instansi(repository, kode)
    except InputError as exc:
        where = "parameter 'instansi': " if asked else ""
        raise UnknownFilterValueError(f"{where}{exc.message_id}",
                                      f"{where}{exc.message_en}") from None
