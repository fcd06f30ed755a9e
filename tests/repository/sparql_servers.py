"""Private SPARQL servers for the repository tests: an Oxigraph server and Virtuoso.

Both run on 127.0.0.1 on a free port, with their data in a temporary directory, and are
stopped by whoever started them. Also usable by hand:

    python tests/repository/sparql_servers.py oxigraph     # or: virtuoso
    # prints the SPBE_* settings to use, runs until Ctrl-C

Virtuoso comes from Debian's `virtuoso-opensource` (listed in scripts/apt-packages.txt). A
fresh database holds system graphs and protects writes: this helper gives the `dba` user a
random password and points SPBE_UPDATE_URL / SPBE_GRAPH_STORE_URL at the digest-protected
endpoints (`/sparql-auth`, `/sparql-graph-crud-auth`); queries go to the open `/sparql`.
"""

from __future__ import annotations

import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class Server:
    """A started server: its endpoints, credentials and process."""

    name: str
    query_url: str
    update_url: str
    graph_store_url: str
    process: subprocess.Popen[bytes]
    directory: Path
    user: str | None = None
    password: str | None = None
    auth: str = "basic"
    log: Path | None = None
    env: dict[str, str] = field(default_factory=dict)

    def settings_env(self) -> dict[str, str]:
        env = {"SPBE_STORE": f"sparql:{self.query_url}", "SPBE_UPDATE_URL": self.update_url,
               "SPBE_GRAPH_STORE_URL": self.graph_store_url}
        if self.user is not None:
            env |= {"SPBE_STORE_USER": self.user, "SPBE_STORE_PASSWORD": self.password or "",
                    "SPBE_STORE_AUTH": self.auth}
        return env

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


class ServerStartError(RuntimeError):
    pass


def _wait_until_answering(url: str, process: subprocess.Popen[bytes], timeout_s: float,
                          log: Path | None) -> None:
    deadline = time.monotonic() + timeout_s
    last = ""
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise ServerStartError(f"server exited with code {process.returncode}"
                                   f"{_log_tail(log)}")
        try:
            response = httpx.get(url, params={"query": "ASK {}"}, timeout=2.0)
            if response.status_code == 200:
                return
            last = f"HTTP {response.status_code}"
        except httpx.HTTPError as exc:
            last = str(exc)
        time.sleep(0.2)
    process.kill()
    raise ServerStartError(f"no answer from {url} within {timeout_s:.0f} s ({last})"
                           f"{_log_tail(log)}")


def _log_tail(log: Path | None) -> str:
    if log is None or not log.exists():
        return ""
    lines = log.read_text(errors="replace").splitlines()[-15:]
    return "\n--- server log ---\n" + "\n".join(lines)


def start_oxigraph(directory: Path, *, union_default_graph: bool = True) -> Server:
    """`oxigraph serve` (the `oxigraph` pip package) on a free loopback port."""
    binary = shutil.which("oxigraph")
    if binary is None:
        raise ServerStartError("the `oxigraph` command is missing: pip install 'oxigraph>=0.5'")
    port = free_port()
    directory.mkdir(parents=True, exist_ok=True)
    log = directory / "oxigraph.log"
    command = [binary, "serve", "--location", str(directory / "data"),
               "--bind", f"127.0.0.1:{port}"]
    if union_default_graph:
        command.append("--union-default-graph")
    with log.open("wb") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    _wait_until_answering(f"{base}/query", process, 30, log)
    return Server("oxigraph", f"{base}/query", f"{base}/update", f"{base}/store", process,
                  directory, log=log)


VIRTUOSO_INI = """\
[Database]
DatabaseFile = {dir}/virtuoso.db
ErrorLogFile = {dir}/virtuoso.log
LockFile = {dir}/virtuoso.lck
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
MaxCheckpointRemap = 2000
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
MaxClientConnections = 10
CheckpointInterval = 60
CaseMode = 2
DirsAllowed = ., {dir}
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {dir}
MaxClientConnections = 10
ServerThreads = 10
Charset = UTF-8

[SPARQL]
; Virtuoso silently cuts results at 10000 rows by default; spbe-arch refuses a cut result
ResultSetMaxRows = 1000000
MaxQueryExecutionTime = 300
MaxQueryCostEstimationTime = 300
"""


def start_virtuoso(directory: Path) -> Server:
    """A private Virtuoso Open Source instance on free loopback ports."""
    binary = shutil.which("virtuoso-t")
    isql = shutil.which("isql-vt") or shutil.which("isql")
    if binary is None or isql is None:
        raise ServerStartError(
            "Virtuoso is not installed (virtuoso-t / isql-vt not found): run"
            " `apt-get install -y virtuoso-opensource` (it is listed in"
            " scripts/apt-packages.txt), or set SPBE_SKIP_VIRTUOSO=1 to skip these tests")
    directory.mkdir(parents=True, exist_ok=True)
    sql_port, http_port = free_port(), free_port()
    ini = directory / "virtuoso.ini"
    ini.write_text(VIRTUOSO_INI.format(dir=directory, sql_port=sql_port, http_port=http_port),
                   encoding="utf-8")
    log = directory / "virtuoso.log"
    with (directory / "stdout.log").open("wb") as out:
        process = subprocess.Popen([binary, "+configfile", str(ini), "+foreground"],
                                   stdout=out, stderr=subprocess.STDOUT, cwd=directory)
    base = f"http://127.0.0.1:{http_port}"
    try:
        _wait_until_answering(f"{base}/sparql", process, 90, log)
        password = "spbe" + secrets.token_hex(12)
        result = subprocess.run(
            [isql, f"127.0.0.1:{sql_port}", "dba", "dba",
             f"EXEC=USER_SET_PASSWORD('dba', '{password}');"],
            capture_output=True, timeout=60, check=False)
        if result.returncode != 0:
            raise ServerStartError("isql-vt could not set the dba password:"
                                   f" {result.stdout.decode(errors='replace')[-500:]}"
                                   f" {result.stderr.decode(errors='replace')[-500:]}")
    except BaseException:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=10)
        raise
    return Server("virtuoso", f"{base}/sparql", f"{base}/sparql-auth",
                  f"{base}/sparql-graph-crud-auth", process, directory, user="dba",
                  password=password, auth="digest", log=log)


def main() -> None:
    import tempfile

    kind = sys.argv[1] if len(sys.argv) > 1 else "oxigraph"
    directory = Path(tempfile.mkdtemp(prefix=f"spbe-{kind}-"))
    server = start_virtuoso(directory) if kind == "virtuoso" else start_oxigraph(directory)
    for key, value in server.settings_env().items():
        print(f"export {key}={value}")
    print(f"# data in {directory}; Ctrl-C stops the server", file=sys.stderr)
    try:
        server.process.wait()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
        if os.environ.get("SPBE_KEEP_SERVER_DATA") != "1":
            shutil.rmtree(directory, ignore_errors=True)


if __name__ == "__main__":
    main()
