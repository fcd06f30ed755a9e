"""Access control for the service: API tokens (stored hashed) and roles.

Roles: reader, editor (scoped to one or more OPDs) and admin. See `tokens` for storage
and `policy` for the checks; `authenticate` turns an Authorization header into the
`Principal` every route works with, `sessions` the web UI's sign-in cookie.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator

from spbe_arch.access.policy import (
    ANONYMOUS_NAME,
    AuthenticationError,
    PermissionDeniedError,
    Principal,
    anonymous_read_enabled,
    is_loopback,
    loopback_names_only,
    require_admin,
    require_opd_write,
    require_read,
)
from spbe_arch.access.sessions import SessionTable, WebSession, session_principal
from spbe_arch.access.tokens import (
    TOKEN_PREFIX,
    Role,
    TokenFileError,
    TokenRecord,
    TokenStore,
    hash_token,
    tokens_path,
)
from spbe_arch.errors import ConfigurationError

_log = logging.getLogger(__name__)


@contextlib.contextmanager
def token_file_checked() -> Iterator[None]:
    """Token checks on behalf of an HTTP client: a damaged or unreadable token file is
    logged in full for the admin, and the client hears only that tokens cannot be checked
    now. Its message named the file's path on the server and the tokens' names, and anyone
    could read it by sending a made-up token."""
    try:
        yield
    except TokenFileError as exc:
        _log.error("%s", exc.message("en"))
        raise ConfigurationError(
            "token API tidak dapat diperiksa: berkas token di server tidak terbaca atau rusak;"
            " admin dapat melihat rinciannya di log server",
            "API tokens cannot be checked: the server's token file is unreadable or damaged;"
            " the admin finds the details in the server log") from None


def authenticate(tokens: TokenStore, authorization: str | None, *,
                 anonymous_read: bool) -> Principal:
    """The principal for an `Authorization` header value (None: anonymous).

    Only the Bearer scheme is accepted; a malformed or unknown token is an error rather
    than a silent fall-back to anonymous, so a typo in a token never looks like
    "permission denied".
    """
    if not authorization:
        return Principal.anonymous(anonymous_read)
    scheme, _, credentials = authorization.strip().partition(" ")
    if scheme.lower() != "bearer" or not credentials.strip():
        raise AuthenticationError(
            "header Authorization harus berbentuk 'Bearer <token>'",
            "the Authorization header must read 'Bearer <token>'",
        )
    with token_file_checked():
        record = tokens.verify(credentials.strip())
        if record is None:
            raise token_refused(tokens.find(credentials.strip()))
    return Principal.from_record(record)


def token_refused(record: TokenRecord | None) -> AuthenticationError:
    """Why a token is refused: an expired one says so (its holder needs a new one, not a
    closer look at what they typed)."""
    if record is not None and record.revoked is None and record.expired:
        return AuthenticationError(
            f"token API '{record.name}' sudah kedaluwarsa ({record.expires}); minta token baru"
            " kepada admin",
            f"API token '{record.name}' has expired ({record.expires}); ask an admin for a new"
            " one")
    return AuthenticationError("token API tidak dikenal atau sudah dicabut",
                               "unknown or revoked API token")


__all__ = [
    "ANONYMOUS_NAME",
    "TOKEN_PREFIX",
    "AuthenticationError",
    "PermissionDeniedError",
    "Principal",
    "Role",
    "SessionTable",
    "TokenFileError",
    "TokenRecord",
    "TokenStore",
    "WebSession",
    "anonymous_read_enabled",
    "authenticate",
    "hash_token",
    "is_loopback",
    "loopback_names_only",
    "require_admin",
    "require_opd_write",
    "require_read",
    "session_principal",
    "token_file_checked",
    "token_refused",
    "tokens_path",
]
