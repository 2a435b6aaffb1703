"""A socket on 127.0.0.1 that records every connection made to it: the proof, in security
tests, that a request did or did not get out. With ``answer`` it replies to each request like a
SPARQL server (so a leak would also show as data); without, it closes the connection."""

from __future__ import annotations

import socket
import threading


class ConnectionRecorder:
    """Listen on a free loopback port, record each peer, answer with ``answer`` if given."""

    def __init__(self, answer: bytes | None = None, backlog: int = 64):
        self.answer = answer
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(backlog)
        self.sock.settimeout(0.1)
        self.port = self.sock.getsockname()[1]
        self.connections: list[tuple] = []
        self._recorded = threading.Condition()
        self._stop = False
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/sparql"

    def _accept(self) -> None:
        while not self._stop:
            try:
                conn, peer = self.sock.accept()
            except OSError:
                continue
            with self._recorded:
                self.connections.append(peer)
                self._recorded.notify_all()
            if self.answer is None:
                conn.close()
            else:
                threading.Thread(target=self._reply, args=(conn,), daemon=True).start()

    def _reply(self, conn: socket.socket) -> None:
        body = self.answer or b""
        with conn:
            conn.settimeout(2)
            try:
                conn.recv(65536)
                conn.sendall(
                    b"HTTP/1.1 200 OK\r\nContent-Type: application/sparql-results+json\r\n"
                    b"Content-Length: %d\r\nConnection: close\r\n\r\n" % len(body) + body
                )
            except OSError:
                pass

    def settle(self, timeout: float = 10.0) -> list[tuple]:
        """The connections made before this call, once each is recorded: connect once ourselves
        and wait for that connection (one accept queue, taken in order), instead of sleeping.
        Our own connection is then forgotten.

        Returns
        -------
        list[tuple]
            The peers recorded before ours.
        """
        with socket.create_connection(("127.0.0.1", self.port), timeout=timeout) as probe:
            mine = probe.getsockname()
            with self._recorded:
                if not self._recorded.wait_for(lambda: mine in self.connections, timeout):
                    raise TimeoutError(f"the recorder did not take a connection in {timeout} s")
                self.connections.remove(mine)
                return list(self.connections)

    def close(self) -> None:
        self._stop = True
        self._thread.join()
        self.sock.close()
