"""Reaching the hub: psycopg 3 (the optional `hub` extra), connection URLs, passwords.

Passwords are never kept by Stancemark: libpq reads them from PostgreSQL's own password
file (~/.pgpass, or $PGPASSFILE) or a service file (`service=NAME` in the URL), so a URL
stored in the store or the settings never holds one (`safe_url` drops it). TLS settings
travel in the URL (`?sslmode=verify-full&sslrootcert=...`), as libpq reads them.
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from stancemark.core.errors import StancemarkError

HUB_SCHEMA = "stancemark_hub"
# How long to wait for the server before giving up (seconds), and how soon a silent,
# dropped connection is noticed by the operating system (TCP keepalives).
CONNECT_TIMEOUT = 10
_KEEPALIVES = {"keepalives": 1, "keepalives_idle": 10, "keepalives_interval": 5,
               "keepalives_count": 3}


class HubError(StancemarkError):
    """The hub cannot be used (unreachable, not a hub, newer schema, not a member)."""


def psycopg() -> Any:
    """The psycopg module, or a one-line error saying how to install it."""
    try:
        import psycopg as module
    except ImportError:
        raise HubError("syncing with a hub needs psycopg: pip install 'stancemark[hub]'") from None
    return module


def safe_url(url: str) -> str:
    """The URL without any password in it (for showing and for keeping)."""
    url = url.strip()
    if "://" not in url:  # a key=value connection string
        return re.sub(r"(?i)\bpassword\s*=\s*('(?:[^'\\]|\\.)*'|\S+)\s*", "", url).strip()
    parts = urlsplit(url)
    netloc = parts.netloc
    if "@" in netloc:
        user, _, host = netloc.rpartition("@")
        netloc = user.split(":", 1)[0] + "@" + host
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    query = parts.query
    if any(k.lower() == "password" for k, _ in pairs):
        query = urlencode([(k, v) for k, v in pairs if k.lower() != "password"], safe="/")
    return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))


def has_password(url: str) -> bool:
    return safe_url(url) != url.strip()


def connect(url: str, *, autocommit: bool = False) -> Any:
    """A connection to the hub; a clear line when the server cannot be reached."""
    pg = psycopg()
    try:
        return pg.connect(url, autocommit=autocommit, connect_timeout=CONNECT_TIMEOUT,
                          application_name="stancemark", **_KEEPALIVES)
    except pg.Error as exc:
        raise HubError(f"hub {safe_url(url)}: cannot connect ({_first_line(exc)})") from None


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


def reason(exc: BaseException) -> str:
    """A server or connection error in one line."""
    return _first_line(exc)


def pgpass_path() -> Path:
    env = os.environ.get("PGPASSFILE")
    if env:
        return Path(env).expanduser()
    if os.name == "nt":
        return Path(os.environ.get("APPDATA", "~")).expanduser() / "postgresql" / "pgpass.conf"
    return Path("~/.pgpass").expanduser()


def _pgpass_escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace(":", "\\:")


def save_password(url: str, password: str) -> Path:
    """Add (or replace) the line for this URL's host, port, database and user in the
    PostgreSQL password file, created readable by the owner only (libpq ignores a
    password file others can read)."""
    pg = psycopg()
    params = pg.conninfo.conninfo_to_dict(url)
    user = params.get("user") or _default_user()
    fields = [params.get("host") or "localhost", str(params.get("port") or 5432),
              params.get("dbname") or user, user]
    line = ":".join(_pgpass_escape(f) for f in fields) + ":" + _pgpass_escape(password)
    path = pgpass_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    prefix = ":".join(_pgpass_escape(f) for f in fields) + ":"
    old = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
    kept = [x for x in old if not x.startswith(prefix)]
    fd = os.open(path, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write("\n".join([*kept, line]) + "\n")
    os.chmod(path, stat.S_IRUSR | stat.S_IWUSR)
    return path


def _default_user() -> str:
    import getpass

    return getpass.getuser()
