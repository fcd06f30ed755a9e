"""Access control for the service: API tokens (stored hashed) and roles.

Roles: reader, editor (scoped to one or more OPDs) and admin. See `tokens` for storage
and `policy` for the checks; `authenticate` turns an Authorization header into the
`Principal` every route works with.
"""

from __future__ import annotations

from spbe_arch.access.policy import (
    ANONYMOUS_NAME,
    AuthenticationError,
    PermissionDeniedError,
    Principal,
    anonymous_read_enabled,
    is_loopback,
    require_admin,
    require_opd_write,
    require_read,
)
from spbe_arch.access.tokens import (
    TOKEN_PREFIX,
    Role,
    TokenRecord,
    TokenStore,
    hash_token,
    tokens_path,
)


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
    record = tokens.verify(credentials.strip())
    if record is None:
        raise AuthenticationError("token API tidak dikenal atau sudah dicabut",
                                  "unknown or revoked API token")
    return Principal.from_record(record)


__all__ = [
    "ANONYMOUS_NAME",
    "TOKEN_PREFIX",
    "AuthenticationError",
    "PermissionDeniedError",
    "Principal",
    "Role",
    "TokenRecord",
    "TokenStore",
    "anonymous_read_enabled",
    "authenticate",
    "hash_token",
    "is_loopback",
    "require_admin",
    "require_opd_write",
    "require_read",
    "tokens_path",
]
