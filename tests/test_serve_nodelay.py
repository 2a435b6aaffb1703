"""kg serve answers a kept-alive connection without waiting on Nagle's algorithm.

uvicorn writes a response's head and body in two writes; with Nagle on, the body waits for
the client's (delayed) ACK of the head, about 40 ms per request on a kept-alive connection.
asyncio turns Nagle off only on sockets created as TCP, so the listening socket must be one.
Measured by scripts/load_serve.py; here the tests check the socket options themselves, on
the socket kg serve listens on and on a real kg serve's connection.
"""

from __future__ import annotations

import asyncio
import socket

from kg.cli.serve import _bind


def test_connections_accepted_on_kg_serves_socket_have_nagle_off() -> None:
    listening = _bind("127.0.0.1", 0)
    port = listening.getsockname()[1]
    seen: list[int] = []

    async def main() -> None:
        def accepted(reader, writer) -> None:
            sock = writer.get_extra_info("socket")
            seen.append(sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
            writer.close()

        server = await asyncio.start_server(accepted, sock=listening)
        async with server:
            _, writer = await asyncio.open_connection("127.0.0.1", port)
            for _ in range(100):
                if seen:
                    break
                await asyncio.sleep(0.01)
            writer.close()

    asyncio.run(main())
    assert seen and seen[0] != 0


def test_kept_alive_requests_get_whole_answers() -> None:
    """Ten requests on one connection, each answered in full (head and body)."""
    from kg.serve.testing import running_server

    with running_server() as server, socket.create_connection(("127.0.0.1", server.port)) as conn:
        conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        for _ in range(10):
            conn.sendall(
                b"GET /sparql?query=ASK%20%7B%20%3Fs%20%3Fp%20%3Fo%20%7D HTTP/1.1\r\n"
                b"Host: x\r\nAccept: application/sparql-results+json\r\n\r\n"
            )
            data = b""
            while b"\r\n\r\n" not in data:
                data += conn.recv(65536)
            head, body = data.split(b"\r\n\r\n", 1)
            length = int(
                next(
                    line.split(b":")[1]
                    for line in head.split(b"\r\n")
                    if line.lower().startswith(b"content-length")
                )
            )
            while len(body) < length:
                body += conn.recv(65536)
            assert head.startswith(b"HTTP/1.1 200") and b'"boolean": true' in body
