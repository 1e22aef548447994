"""Which server to verify on: ``postgresql://user:pw@host:port/db`` or ``mysql://...``."""

from __future__ import annotations

from dataclasses import dataclass, replace
from urllib.parse import unquote, urlsplit

from medbook_design.errors import UsageError

_SCHEMES = {"postgresql": "postgres", "postgres": "postgres", "mysql": "mysql", "mariadb": "mysql"}
_DEFAULT_PORT = {"postgres": 5432, "mysql": 3306}
_DEFAULT_DB = {"postgres": "postgres", "mysql": "mysql"}


@dataclass(frozen=True)
class Target:
    """A server and the database to connect to on it."""

    dialect: str
    host: str
    port: int
    user: str
    password: str
    database: str

    def on(self, database: str) -> Target:
        return replace(self, database=database)

    def __str__(self) -> str:  # never shows the password
        scheme = "postgresql" if self.dialect == "postgres" else "mysql"
        return f"{scheme}://{self.user}@{self.host}:{self.port}/{self.database}"


def masked(url: str) -> str:
    """The DSN as it may be printed: any password replaced by ``***``.

    Works on text urlsplit rejects too, and on passwords holding ``@``, ``/`` or ``#``
    unencoded: everything between the user's ``:`` and the last ``@`` is the secret.
    """
    scheme, sep, rest = url.partition("://")
    at = rest.rfind("@")
    colon = rest.find(":", 0, at)
    if not sep or at < 0 or colon < 0:
        return url
    return f"{scheme}{sep}{rest[:colon]}:***{rest[at:]}"


def parse_dsn(url: str) -> Target:
    """Parse a DSN; a malformed one is a :class:`UsageError` saying what was expected."""
    shown = masked(url)
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise UsageError(
            f"invalid DSN {shown!r}: {exc} (expected postgresql://user@host:port/db or mysql://user@host:port/db)"
        ) from None
    dialect = _SCHEMES.get(parts.scheme.lower())
    if dialect is None:
        raise UsageError(
            f"unsupported DSN scheme {parts.scheme or '(none)'!r} in {shown!r} "
            f"(expected one of {', '.join(sorted(_SCHEMES))})"
        )
    if not parts.hostname:
        raise UsageError(f"DSN {shown!r} names no host (expected e.g. {parts.scheme}://user@127.0.0.1/db)")
    return Target(
        dialect=dialect,
        host=parts.hostname,
        port=port or _DEFAULT_PORT[dialect],
        user=unquote(parts.username or ("postgres" if dialect == "postgres" else "root")),
        password=unquote(parts.password or ""),
        database=unquote(parts.path.lstrip("/")) or _DEFAULT_DB[dialect],
    )
