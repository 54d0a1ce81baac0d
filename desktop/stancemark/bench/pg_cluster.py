"""A throwaway PostgreSQL cluster for the hub's tests and benchmark (a real server).

    python -m stancemark.bench.pg_cluster start DIR   prints `export` lines (URL, password file)
    python -m stancemark.bench.pg_cluster stop DIR

The cluster lives in DIR and listens only on a Unix socket in DIR (no TCP port), with
password authentication (scram-sha-256) for every role, so the tests go through the
same password-file path as an analyst. PostgreSQL refuses to run as root: run as root,
the server runs as the `postgres` system user that Debian's package creates.
"""

from __future__ import annotations

import contextlib
import glob
import os
import secrets
import shutil
import subprocess
import sys
from pathlib import Path

SUPERUSER = "stancemark_test"


def bin_dir() -> Path | None:
    """The newest installed PostgreSQL's programs (Debian keeps them out of PATH)."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                   key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0)
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).resolve().parent if initdb else None


def _as_server_user(cmd: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return cmd
    return ["runuser", "-u", "postgres", "--", *cmd]


def start(folder: Path) -> dict[str, str]:
    """Create and start a cluster in `folder`; returns the environment the tests read."""
    bins = bin_dir()
    if bins is None:
        raise RuntimeError("PostgreSQL is not installed (no initdb found)")
    folder = folder.resolve()
    folder.mkdir(parents=True, exist_ok=True)
    data, sock = folder / "data", folder / "socket"
    sock.mkdir(exist_ok=True)
    password = secrets.token_urlsafe(18)
    pwfile = folder / "superuser-password"
    pwfile.write_text(password + "\n")
    if os.geteuid() == 0:
        import pwd

        ids = pwd.getpwnam("postgres")
        for p in (folder, sock, pwfile):
            os.chown(p, ids.pw_uid, ids.pw_gid)
        os.chmod(folder, 0o755)
    subprocess.run(_as_server_user(
        [str(bins / "initdb"), "-D", str(data), "-U", SUPERUSER, "--pwfile", str(pwfile),
         "--auth=scram-sha-256", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"]),
        check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    # Fast and small: a test cluster that loses data in a power cut is fine.
    options = (f"-c listen_addresses='' -c unix_socket_directories='{sock}' -c fsync=off "
               "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200 "
               "-c shared_buffers=128MB")
    subprocess.run(_as_server_user(
        [str(bins / "pg_ctl"), "-D", str(data), "-l", str(folder / "server.log"), "-o", options,
         "-w", "start"]), check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    passfile = folder / "pgpass"
    passfile.write_text(f"*:*:*:{SUPERUSER}:{password}\n")
    os.chmod(passfile, 0o600)
    if os.geteuid() == 0:
        os.chown(passfile, 0, 0)
    url = f"postgresql://{SUPERUSER}@/postgres?host={sock}"
    return {"STANCEMARK_TEST_HUB_URL": url, "STANCEMARK_TEST_HUB_PASSFILE": str(passfile),
            "STANCEMARK_TEST_HUB_DIR": str(folder)}


def stop(folder: Path) -> None:
    bins = bin_dir()
    data = Path(folder).resolve() / "data"
    if bins is None or not data.is_dir():
        return
    with contextlib.suppress(subprocess.CalledProcessError):
        subprocess.run(_as_server_user([str(bins / "pg_ctl"), "-D", str(data), "-m", "immediate",
                                        "-w", "stop"]), check=True, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)


if __name__ == "__main__":
    action, where = sys.argv[1], Path(sys.argv[2])
    if action == "start":
        for key, value in start(where).items():
            print(f"export {key}='{value}'")
    elif action == "stop":
        stop(where)
    else:
        sys.exit("usage: python -m stancemark.bench.pg_cluster start|stop DIR")
