"""A real Virtuoso (Debian's ``virtuoso-opensource`` 7) for the tests and the scale benchmark.

Each server gets its own temporary folder holding its database and ``virtuoso.ini``,
listens on two free ports of 127.0.0.1 only (HTTP and the SQL port, which ``isql-vt``
uses for the bulk loader), runs in the foreground as a child process (no system service
is started) with modest memory, and is removed with its folder on ``stop()``.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import httpx

VIRTUOSO = "virtuoso-t"
ISQL = "isql-vt"
#: a fresh database's administrator; the server listens on loopback only
DBA_USER = "dba"
DBA_PASSWORD = "dba"

_INI = """\
[Database]
DatabaseFile = {dir}/virtuoso.db
ErrorLogFile = {dir}/virtuoso.log
LockFile = {dir}/virtuoso.lck
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
CaseMode = 2
DirsAllowed = ., {dir}, {data_dirs}
NumberOfBuffers = {buffers}
MaxDirtyBuffers = {dirty}
ThreadsPerQuery = 2
AsyncQueueMaxThreads = 2
MaxQueryMem = {query_mem}
CheckpointInterval = 0

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {dir}
ServerThreads = 4
MaxClientConnections = 4
MaxKeepAlives = 4
EnabledDavVSP = 0
EnabledGzipContent = 0

[SPARQL]
ResultSetMaxRows = {max_rows}
MaxQueryExecutionTime = {timeout}
MaxQueryCostEstimationTime = 0
MaxSortedTopRows = 10000000
"""


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def virtuoso_missing() -> str | None:
    """Why Virtuoso cannot run here, or None when it can."""
    if shutil.which(VIRTUOSO) is None:
        return "Virtuoso is not installed (make test installs Debian's virtuoso-opensource)"
    return None


class VirtuosoServer:
    """A ``virtuoso-t`` child process with its own database, on loopback ports.

    Parameters
    ----------
    buffers:
        ``NumberOfBuffers`` (8 kB pages in memory): 10,000 is 80 MB, enough for tests.
    data_dirs:
        Folders the bulk loader may read files from.
    timeout:
        ``MaxQueryExecutionTime`` in seconds.
    max_rows:
        ``ResultSetMaxRows``: Virtuoso cuts every answer (and every page) at this many rows.
    """

    def __init__(
        self,
        buffers: int = 10_000,
        data_dirs: tuple[str, ...] = (),
        timeout: int = 120,
        max_rows: int = 10_000_000,
    ) -> None:
        reason = virtuoso_missing()
        if reason:
            raise RuntimeError(reason)
        self.dir = Path(tempfile.mkdtemp(prefix="kg-virtuoso-"))
        self.http_port, self.sql_port = free_port(), free_port()
        ini = _INI.format(
            dir=self.dir,
            sql_port=self.sql_port,
            http_port=self.http_port,
            data_dirs=", ".join(data_dirs) or str(self.dir),
            buffers=buffers,
            dirty=buffers * 3 // 4,
            query_mem=f"{max(buffers // 50, 200)}M",
            timeout=timeout,
            max_rows=max_rows,
        )
        (self.dir / "virtuoso.ini").write_text(ini)
        self.log = open(self.dir / "stdout.log", "wb")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            [VIRTUOSO, "+foreground", "+configfile", str(self.dir / "virtuoso.ini")],
            cwd=self.dir,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        self._wait()

    def _wait(self) -> None:
        deadline = time.monotonic() + 600  # a new database takes minutes on a busy machine
        while True:
            try:
                answer = httpx.post(self.query_url, data={"query": "ASK {}"}, timeout=2)
                if answer.status_code == 200:
                    return
            except httpx.TransportError:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                log = self.error_log()
                self.stop()
                raise RuntimeError(f"Virtuoso did not start: {log[-500:]}")
            time.sleep(0.2)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.http_port}"

    @property
    def query_url(self) -> str:
        """The plain SPARQL endpoint (read-only for anonymous users)."""
        return f"{self.base}/sparql"

    @property
    def update_url(self) -> str:
        """The SPARQL endpoint that takes updates, with Digest auth (``dba``)."""
        return f"{self.base}/sparql-auth"

    @property
    def graph_store_url(self) -> str:
        """The SPARQL 1.1 Graph Store HTTP Protocol endpoint, with Digest auth."""
        return f"{self.base}/sparql-graph-crud-auth"

    def error_log(self) -> str:
        path = self.dir / "virtuoso.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def isql(self, *statements: str, timeout: float = 3600) -> str:
        """Run SQL statements through ``isql-vt`` on the SQL port; return its output.

        Raises
        ------
        RuntimeError
            When isql reports an error.
        """
        script = "".join(f"{s.rstrip(';')};\n" for s in statements)
        done = subprocess.run(
            [ISQL, str(self.sql_port), DBA_USER, DBA_PASSWORD, "VERBOSE=OFF", "BANNER=OFF"],
            input=script,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        out = done.stdout + done.stderr
        if done.returncode != 0 or "*** Error" in out:
            raise RuntimeError(f"isql failed: {' '.join(out.split())[:500]}")
        return out

    def bulk_load(self, folder: str | Path, pattern: str, graph: str) -> None:
        """Load files with Virtuoso's own bulk loader (``ld_dir`` + ``rdf_loader_run``).

        Parameters
        ----------
        folder:
            A folder listed in ``data_dirs``.
        pattern:
            File name pattern, e.g. ``*.nt``.
        graph:
            The named graph to load into.
        """
        self.isql(
            f"ld_dir('{folder}', '{pattern}', '{graph}')",
            "rdf_loader_run()",
            "checkpoint",
        )
        out = self.isql("SELECT COUNT(*) FROM DB.DBA.load_list WHERE ll_error IS NOT NULL")
        numbers = [int(word) for word in out.split() if word.isdigit()]
        if not numbers or numbers[-1] != 0:
            errors = self.isql("SELECT ll_file, ll_error FROM DB.DBA.load_list")
            raise RuntimeError(f"bulk load failed: {' '.join(errors.split())[:500]}")

    def stop(self) -> None:
        """Stop the server and remove its folder."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()
        shutil.rmtree(self.dir, ignore_errors=True)
