"""``kg serve``: the graph as a read-only SPARQL 1.1 endpoint (see :mod:`kg.serve`)."""

from __future__ import annotations

import socket
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from kg.cli.session import Session, pass_session
from kg.errors import BadOptionError

if TYPE_CHECKING:
    from kg.serve.guard import Limits

__all__ = ["KEEP_ALIVE", "LOOPBACK", "register", "run_server", "serve"]

LOOPBACK = ("127.0.0.1", "::1", "localhost")
#: Seconds an idle kept-alive connection stays open (see run_server).
KEEP_ALIVE = 20


@click.command(short_help="Serve the graph as a read-only SPARQL endpoint.")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option(
    "--timeout",
    default=10.0,
    show_default=True,
    type=click.FloatRange(min=0.1),
    help="Seconds a query may run; it is then stopped and answered 503.",
)
@click.option(
    "--queue-timeout",
    default=30.0,
    show_default=True,
    type=click.FloatRange(min=0.1),
    help="Seconds a request may wait for a free worker (in order of arrival); then 503.",
)
@click.option(
    "--max-rows",
    default=10000,
    show_default=True,
    type=click.IntRange(min=1),
    help="Rows (or triples) returned at most; the X-SPARQL-Truncated header tells a cut.",
)
@click.option(
    "--max-body",
    default=1_000_000,
    show_default=True,
    type=click.IntRange(min=1),
    help="Largest request body in bytes (larger: 413).",
)
@click.option(
    "--workers",
    default=None,
    type=click.IntRange(min=0),
    help="Query worker processes, killed at the timeout [default: 2; 0 with --backend "
    "remote]; 0 runs queries in threads (a timed-out query is then abandoned).",
)
@click.option(
    "--allow-service",
    "allow_service",
    multiple=True,
    metavar="URL",
    help="Let SERVICE/FROM/LOAD name this endpoint (repeatable); none by default.",
)
@click.option(
    "--memory-limit",
    default=1024,
    show_default=True,
    type=click.IntRange(min=0),
    metavar="MB",
    help="Memory one query may add to its worker; past it: 503 (0: no cap).",
)
@click.option(
    "--cache-mb",
    default=64.0,
    show_default=True,
    type=click.FloatRange(min=0),
    metavar="MB",
    help="Answers remembered, so a repeated query costs no worker; an update forgets "
    "them (0: off; always off with --backend remote).",
)
@click.option("--allow-update", is_flag=True, help="Accept SPARQL Update (needs KG_SERVE_TOKEN).")
@click.option(
    "--token-file",
    type=click.Path(dir_okay=False, exists=True),
    help="Read the bearer token updates must carry from this file.",
)
@click.option(
    "--token",
    envvar="KG_SERVE_TOKEN",
    metavar="TEXT",
    help="Bearer token updates must carry; prefer env KG_SERVE_TOKEN or --token-file "
    "(a command line is visible to other users in ps).",
)
@click.option(
    "--cors",
    multiple=True,
    metavar="ORIGIN",
    help="Allow browser calls from this origin (repeatable); CORS is off by default.",
)
@click.option(
    "--include-restricted",
    is_flag=True,
    help="Serve data whose terms forbid redistribution (e.g. ACLED) too; refused without it.",
)
@pass_session
def serve(
    session: Session,
    host: str,
    port: int,
    timeout: float,
    queue_timeout: float,
    max_rows: int,
    max_body: int,
    workers: int | None,
    allow_service: tuple[str, ...],
    memory_limit: int,
    cache_mb: float,
    allow_update: bool,
    token_file: str | None,
    token: str | None,
    cors: tuple[str, ...],
    include_restricted: bool = False,
) -> None:
    """Serve the graph over the SPARQL 1.1 Protocol, with a query page for browsers.

    GET/POST /sparql answers queries as SPARQL JSON/XML/CSV/TSV or Turtle/N-Triples/
    JSON-LD/RDF-XML; with no query it gives the service description (Turtle), or the
    query page to a browser. It is safe by default: it listens on 127.0.0.1, refuses
    updates and any SERVICE/FROM/LOAD to another address, stops queries at the timeout
    and cuts results at --max-rows.

    \b
    Example:
        kg serve --port 8000
        KG_SERVE_TOKEN=$(cat token.txt) kg serve --allow-update
        curl -H 'Accept: text/csv' 'http://127.0.0.1:8000/sparql' \\
             --data-urlencode 'query=SELECT ?s WHERE { ?s a ?c } LIMIT 3'
    """
    from kg.linking.reconcile_service import reconciliation_routes
    from kg.serve.app import create_app
    from kg.serve.guard import Limits

    token = _token(token, token_file, allow_update)
    limits = Limits(
        timeout=timeout,
        max_rows=max_rows,
        allow_service=frozenset(allow_service),
        allow_update=allow_update,
        memory_mb=memory_limit,
        queue_timeout=queue_timeout,
    )
    _check_free(host, port)  # before the (slow) load, so a taken port fails fast
    graph = session.graph()
    from kg.importers.provenance import refuse_restricted

    refuse_restricted(graph, "kg serve", include_restricted=include_restricted)
    # counted now: an on-disk store is closed in this process once the workers exist
    what = f"{len(graph)} triples, {graph.backend.kind} backend"
    app = create_app(
        graph,
        limits=limits,
        token=token,
        cors=cors,
        max_body=max_body,
        workers=workers,
        extra_routes=reconciliation_routes(graph),  # W3C Reconciliation API at /reconcile
        cache_mb=cache_mb,
    )
    run_server(app, host, port, what, limits)


def _token(given: str | None, token_file: str | None, allow_update: bool) -> str | None:
    """The bearer token from --token-file, KG_SERVE_TOKEN or --token (which warns).

    The token is checked by the library's one rule (:func:`kg.serve.bearer.token_problem`).
    A token typed on the command line is also scrubbed from this process's command line
    (:func:`kg.serve.proctitle.hide_argument`), but other users may have seen it already.
    """
    from kg.serve.bearer import token_problem
    from kg.serve.proctitle import hide_argument

    source = click.get_current_context().get_parameter_source("token")
    shown = "KG_SERVE_TOKEN"
    if given and source == click.core.ParameterSource.COMMANDLINE:
        shown = "--token"
        hide_argument("--token")
        click.echo(
            "kg serve: warning: --token is visible to other users (ps); "
            "use KG_SERVE_TOKEN or --token-file",
            err=True,
        )
    if token_file is not None:
        shown, given = token_file, _read_token(token_file)
    problem = token_problem(given)
    if given and problem and "ASCII" in problem:
        raise BadOptionError(f"{shown}: the token {problem}")
    if allow_update and problem:
        raise BadOptionError(f"--allow-update {problem} (KG_SERVE_TOKEN or --token-file)")
    return given


def _read_token(token_file: str) -> str:
    try:
        return Path(token_file).read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError) as exc:
        raise BadOptionError(f"{token_file}: cannot read the token ({exc})") from None


def _bind(host: str, port: int) -> socket.socket:
    """Open the listening socket, turning a taken port or a bad address into a KgError."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # IPPROTO_TCP, not 0: asyncio turns Nagle off (TCP_NODELAY) only on sockets that say they
    # are TCP, and uvicorn writes a response's head and body apart, so with Nagle on every
    # kept-alive request waited ~40 ms for the client's delayed ACK (scripts/load_serve.py).
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        reason = exc.strerror or exc
        raise BadOptionError(f"cannot listen on {host} port {port}: {reason}") from None
    return sock


def _check_free(host: str, port: int) -> None:
    _bind(host, port).close()


def run_server(app: Any, host: str, port: int, what: str, limits: Limits) -> None:
    """Listen on ``host:port``, say where the endpoint is, and serve until interrupted.

    The socket is opened only now, after ``create_app`` forked the query workers, so that
    they never hold a copy of it.
    """
    import uvicorn

    sock = _bind(host, port)
    shown = f"[{host}]" if ":" in host else host
    mode = "read-write" if limits.allow_update else "read-only"
    click.echo(
        f"kg serve: SPARQL endpoint at http://{shown}:{port}/sparql ({what}; {mode}; "
        f"timeout {limits.timeout:g} s; max rows {limits.max_rows})",
        err=True,
    )
    if host not in LOOPBACK:
        click.echo(f"kg serve: warning: {host} is reachable from other machines", err=True)
    config = uvicorn.Config(
        app,
        log_level="warning",
        access_log=False,
        server_header=False,
        # Longer than clients keep idle connections (httpx 5 s, aiohttp 15 s): at uvicorn's
        # 5 s, the server closed a connection just as an httpx client reused it, and the
        # client's request failed (ReadError in scripts/soak_serve.py).
        timeout_keep_alive=KEEP_ALIVE,
        timeout_graceful_shutdown=3,
    )
    uvicorn.Server(config).run(sockets=[sock])


def register(group: click.Group) -> None:
    """Add ``kg serve`` to the ``kg`` group.

    Parameters
    ----------
    group:
        The ``kg`` click group.

    Returns
    -------
    None

    Example
    -------
    >>> g = click.Group("kg"); register(g); sorted(g.commands)
    ['serve']
    """
    group.add_command(serve)
