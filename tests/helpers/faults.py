"""Misbehaving network peers for the tests of bounded waits: a server that never answers, a proxy that stalls.

Both run on threads of the test process and listen on a free local port:

- :class:`SilentServer` accepts every connection and never sends a byte, as a hung server
  (or a port forwarded to nothing) does;
- :class:`Proxy` forwards to a real server until the test pauses it (it stops reading, so
  the bytes pile up in the kernel's buffers, as with a proxy stopped by SIGSTOP) or kills it
  (every connection closed at once, as when the proxy process dies).
"""

from __future__ import annotations

import contextlib
import selectors
import socket
import threading
from collections.abc import Iterator


def _listener() -> socket.socket:
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    sock.listen(64)
    return sock


class SilentServer:
    def __init__(self) -> None:
        self._listener = _listener()
        self.port = self._listener.getsockname()[1]
        self._accepted: list[socket.socket] = []
        self._closed = threading.Event()
        threading.Thread(target=self._accept, name="silent-server", daemon=True).start()

    def _accept(self) -> None:
        while not self._closed.is_set():
            try:
                conn, _ = self._listener.accept()
            except OSError:
                return
            self._accepted.append(conn)  # held open, never answered

    def close(self) -> None:
        self._closed.set()
        self._listener.close()
        for conn in self._accepted:
            conn.close()


@contextlib.contextmanager
def silent_server() -> Iterator[SilentServer]:
    server = SilentServer()
    try:
        yield server
    finally:
        server.close()


class Proxy:
    """A TCP proxy to ``upstream`` that the test can pause and kill."""

    def __init__(self, upstream_host: str, upstream_port: int) -> None:
        self.upstream = (upstream_host, upstream_port)
        self._listener = _listener()
        self.port = self._listener.getsockname()[1]
        self._forwarding = threading.Event()
        self._forwarding.set()
        self._killed = threading.Event()
        self._lock = threading.Lock()
        self._sockets: list[socket.socket] = []
        threading.Thread(target=self._accept, name="proxy-accept", daemon=True).start()

    def pause(self) -> None:
        """Stop forwarding in both directions; connections stay open and silent."""
        self._forwarding.clear()

    def resume(self) -> None:
        self._forwarding.set()

    def kill(self) -> None:
        """Close the listener and every connection, as a proxy process that died."""
        self._killed.set()
        self._listener.close()
        with self._lock:
            for sock in self._sockets:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
                sock.close()

    def _accept(self) -> None:
        while not self._killed.is_set():
            try:
                client, _ = self._listener.accept()
                server = socket.create_connection(self.upstream, timeout=5)
            except OSError:
                continue
            with self._lock:
                if self._killed.is_set():
                    client.close()
                    server.close()
                    return
                self._sockets += [client, server]
            threading.Thread(target=self._pump, args=(client, server), name="proxy-pump", daemon=True).start()

    def _pump(self, client: socket.socket, server: socket.socket) -> None:
        peer = {client: server, server: client}
        with selectors.DefaultSelector() as selector:
            for sock in peer:
                selector.register(sock, selectors.EVENT_READ)
            while not self._killed.is_set():
                if not self._forwarding.wait(timeout=0.05):
                    continue
                for key, _ in selector.select(timeout=0.05):
                    try:
                        data = key.fileobj.recv(65536)  # type: ignore[union-attr]
                        if not data:
                            raise OSError("closed")
                        peer[key.fileobj].sendall(data)  # type: ignore[index]
                    except OSError:
                        for sock in peer:
                            sock.close()
                        return


@contextlib.contextmanager
def proxy_to(host: str, port: int) -> Iterator[Proxy]:
    proxy = Proxy(host, port)
    try:
        yield proxy
    finally:
        if not proxy._killed.is_set():
            proxy.kill()
