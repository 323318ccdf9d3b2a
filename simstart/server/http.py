"""HTTP/1.1 on a unix socket (or, only when asked, loopback TCP): h11 over asyncio.

h11 parses and frames, and nothing else: every header and byte of a response is the one
``api.py`` chose, so what a client sees is what dockerd v17.05 would send, with no header of
the library's own. The limits a public server needs (dockerd 17.05 itself sets none, its
``http.Server`` has no timeouts): the size of the request line and headers (Go's
``DefaultMaxHeaderBytes``, 1 MiB), of the body, the time a request may take to arrive once it
has begun (a client sending one byte a second is cut off), and how long an idle keep-alive
connection is kept. Timeouts use the event loop's monotonic clock: they bound the transport,
never what the simulation records.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
import stat
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

import h11

from ..moby.gostd import unescape
from .api import Api, Request, Response


class Limits(NamedTuple):
    """What one connection may cost the server."""

    max_header_bytes: int = 1 << 20  # request line and headers (net/http DefaultMaxHeaderBytes)
    max_body_bytes: int = 8 << 20
    request_timeout: float = 10.0  # from a request's first byte to its last
    idle_timeout: float = 120.0  # a keep-alive connection with no request under way
    max_connections: int = 128


class UnsafeSocketPath(Exception):
    """The socket's directory is one other users could enter or change."""


def _plain(status: int, reason: str) -> bytes:
    """The answer net/http gives a request it cannot parse, before any handler runs."""
    return (f"HTTP/1.1 {status} {reason}\r\nContent-Type: text/plain; charset=utf-8\r\n"
            f"Connection: close\r\n\r\n{status} {reason}").encode()


def check_socket_dir(path: Path) -> None:
    """The socket's directory must exist, be ours, and be closed to everyone else (0700)."""
    d = path.parent
    try:
        st = d.stat()
    except FileNotFoundError:
        raise UnsafeSocketPath(f"{d}: no such directory (create it with mode 0700)") from None
    if not stat.S_ISDIR(st.st_mode):
        raise UnsafeSocketPath(f"{d}: not a directory")
    if st.st_uid != os.getuid():
        raise UnsafeSocketPath(f"{d}: owned by uid {st.st_uid}, not by you (uid {os.getuid()})")
    if st.st_mode & 0o077:
        raise UnsafeSocketPath(f"{d}: mode {stat.S_IMODE(st.st_mode):04o} lets other users in: "
                               f"chmod 700 {d}, or choose a directory only you can enter")
    if path.exists() or path.is_symlink():
        if not stat.S_ISSOCK(path.lstat().st_mode):
            raise UnsafeSocketPath(f"{path}: exists and is not a socket (simstart will not "
                                   "replace it)")
        probe = socket.socket(socket.AF_UNIX)
        try:
            probe.connect(str(path))
        except OSError:
            path.unlink()  # a stale socket left by a server that is gone
        else:
            raise UnsafeSocketPath(f"{path}: another server is listening there")
        finally:
            probe.close()


class Server:
    """Serves ``api`` until ``close``; ``log`` hears one line per request."""

    def __init__(self, api: Api, limits: Limits | None = None,
                 log: Callable[[Request, Response], None] | None = None,
                 cooperative: bool = True) -> None:
        """``cooperative=False`` runs each request as far as it goes before anything else (the
        TUI's keys move the same world, so a start must never be half-run while they do); a
        wait that only a later request can end is parked either way."""
        self.api = api
        self.cooperative = cooperative
        self.limits = limits if limits is not None else Limits()
        self.log = log
        self.connections = 0
        self._server: asyncio.AbstractServer | None = None
        self._tasks: set[asyncio.Task[None]] = set()

    async def listen_unix(self, path: Path) -> None:
        """Bind ``path`` mode 0600 in a directory only this user can enter."""
        check_socket_dir(path)
        old = os.umask(0o177)  # the socket is born 0600: no window where others may connect
        try:
            self._server = await asyncio.start_unix_server(self._connection, path=str(path),
                                                           limit=self.limits.max_header_bytes)
        finally:
            os.umask(old)
        os.chmod(path, 0o600)

    async def listen_tcp(self, host: str, port: int) -> int:
        """Bind a loopback address only; returns the port (0 chooses one)."""
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        for *_, addr in infos:
            ip = str(addr[0])
            if not (ip.startswith("127.") or ip == "::1"):
                raise UnsafeSocketPath(f"{host}: not a loopback address (simstart listens on "
                                       "127.0.0.0/8 or ::1 only)")
        self._server = await asyncio.start_server(self._connection, host=host, port=port,
                                                  limit=self.limits.max_header_bytes)
        return int(self._server.sockets[0].getsockname()[1])

    async def serve_forever(self) -> None:
        """Serve until cancelled."""
        assert self._server is not None
        async with self._server:
            await self._server.serve_forever()

    async def close(self) -> None:
        """Stop listening and drop every connection."""
        if self._server is not None:
            self._server.close()
        for t in list(self._tasks):
            t.cancel()
        for t in list(self._tasks):
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await t

    async def _connection(self, reader: asyncio.StreamReader,
                          writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)
        self.connections += 1
        try:
            if self.connections > self.limits.max_connections:
                writer.write(_plain(503, "Service Unavailable"))
                await writer.drain()
                return
            await self._serve(reader, writer)
        except (ConnectionError, asyncio.IncompleteReadError):
            pass
        finally:
            self.connections -= 1
            self._tasks.discard(task)
            writer.close()
            with contextlib.suppress(Exception):
                await writer.wait_closed()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        lim = self.limits
        conn = h11.Connection(h11.SERVER, max_incomplete_event_size=lim.max_header_bytes)
        loop = asyncio.get_running_loop()
        while True:
            deadline: float | None = None  # set once the request's first byte is in
            head: h11.Request | None = None
            body = bytearray()
            while True:
                try:
                    ev = conn.next_event()
                except h11.RemoteProtocolError as e:
                    hint = e.error_status_hint
                    writer.write(_plain(431, "Request Header Fields Too Large") if hint == 431
                                 else _plain(400, "Bad Request"))
                    await writer.drain()
                    return
                if ev is h11.NEED_DATA:
                    if conn.their_state is h11.DONE:
                        break
                    if deadline is None and (head is not None or conn.trailing_data[0]):
                        deadline = loop.time() + lim.request_timeout
                    wait = lim.idle_timeout if deadline is None else deadline - loop.time()
                    try:
                        data = await asyncio.wait_for(reader.read(65536), max(wait, 0))
                    except TimeoutError:
                        if deadline is not None:  # a request that takes too long to arrive
                            writer.write(_plain(408, "Request Timeout"))
                            await writer.drain()
                        return
                    if deadline is None and data:
                        deadline = loop.time() + lim.request_timeout
                    conn.receive_data(data)
                    continue
                if isinstance(ev, h11.Request):
                    if ev.http_version not in (b"1.0", b"1.1") or not _parses(ev.target):
                        # net/http: 1.x only, and a request-URI url.ParseRequestURI takes
                        writer.write(_plain(400, "Bad Request"))
                        await writer.drain()
                        return
                    head = ev
                    length = _content_length(ev)
                    if length is not None and length > lim.max_body_bytes:
                        writer.write(_plain(413, "Request Entity Too Large"))
                        await writer.drain()
                        return
                elif isinstance(ev, h11.Data):
                    body += ev.data
                    if len(body) > lim.max_body_bytes:
                        writer.write(_plain(413, "Request Entity Too Large"))
                        await writer.drain()
                        return
                elif isinstance(ev, h11.EndOfMessage):
                    break
                elif isinstance(ev, h11.ConnectionClosed):
                    return
            if head is None:
                return
            headers = tuple((k.decode("latin-1").lower(), v.decode("latin-1"))
                            for k, v in head.headers)
            chunked = any(k == "transfer-encoding" and "chunked" in v.lower()
                          for k, v in headers)
            req = Request(head.method.decode("ascii", "replace"),
                          head.target.decode("latin-1"), headers, bytes(body), chunked)
            resp = await self.api.handle_async(req, self.cooperative)
            if self.log is not None:
                self.log(req, resp)
            if resp.status == 0:
                return  # net/http recovered a panic: the connection is closed, no response
            if resp.stream is not None and req.method != "HEAD":
                await self._send_stream(conn, reader, writer, resp)
                return  # a stream ends its connection
            await self._send(conn, writer, req, resp)
            if conn.our_state is h11.MUST_CLOSE or conn.their_state is h11.MUST_CLOSE:
                return
            try:
                conn.start_next_cycle()
            except h11.LocalProtocolError:
                return

    async def _send_stream(self, conn: h11.Connection, reader: asyncio.StreamReader,
                           writer: asyncio.StreamWriter, resp: Response) -> None:
        """Headers and what is there now, then each chunk as it comes, flushed at once (as
        ``ioutils.NewWriteFlusher`` does), until the stream ends or the client goes."""
        assert resp.stream is not None
        out = conn.send(h11.Response(status_code=resp.status,
                                     headers=[*resp.headers, ("Transfer-Encoding", "chunked")],
                                     reason=_REASONS.get(resp.status, b"")))
        if resp.body:
            out = (out or b"") + (conn.send(h11.Data(data=resp.body)) or b"")
        writer.write(out or b"")
        await writer.drain()
        gone = asyncio.ensure_future(_until_closed(reader))
        it = resp.stream.__aiter__()
        try:
            while True:
                nxt = asyncio.ensure_future(it.__anext__())
                done, _ = await asyncio.wait({nxt, gone}, return_when=asyncio.FIRST_COMPLETED)
                if nxt not in done:
                    nxt.cancel()
                    with contextlib.suppress(asyncio.CancelledError, StopAsyncIteration):
                        await nxt
                    return
                try:
                    chunk = nxt.result()
                except StopAsyncIteration:
                    break
                writer.write(conn.send(h11.Data(data=chunk)) or b"")
                await writer.drain()
            writer.write(conn.send(h11.EndOfMessage()) or b"")
            await writer.drain()
        finally:
            gone.cancel()
            aclose = getattr(it, "aclose", None)
            if aclose is not None:
                with contextlib.suppress(Exception):
                    await aclose()

    async def _send(self, conn: h11.Connection, writer: asyncio.StreamWriter, req: Request,
                    resp: Response) -> None:
        no_body = resp.status in (204, 304) or 100 <= resp.status < 200
        headers = list(resp.headers)
        if not no_body:
            headers.append(("Content-Length", str(len(resp.body))))
        out = conn.send(h11.Response(status_code=resp.status, headers=headers,
                                     reason=_REASONS.get(resp.status, b"")))
        if resp.body and not no_body and req.method != "HEAD":
            out = (out or b"") + (conn.send(h11.Data(data=resp.body)) or b"")
        out = (out or b"") + (conn.send(h11.EndOfMessage()) or b"")
        writer.write(out)
        await writer.drain()


async def _until_closed(reader: asyncio.StreamReader) -> None:
    """Returns when the client has closed its side (what it sends meanwhile is ignored)."""
    while await reader.read(65536):
        pass


def _parses(target: bytes) -> bool:
    """``url.ParseRequestURI`` takes it: ``*``, an absolute URL, or a path whose escapes are
    each ``%`` and two hex digits (Go 1.7 net/url ``unescape``)."""
    text = target.decode("latin-1")
    if text == "*" or "://" in text.partition("?")[0]:
        return True
    return text.startswith("/") and unescape(text.partition("?")[0])[1] is None


def _content_length(ev: h11.Request) -> int | None:
    for k, v in ev.headers:
        if k == b"content-length":
            return int(v)
    return None


_REASONS: dict[int, bytes] = {
    200: b"OK", 201: b"Created", 204: b"No Content", 301: b"Moved Permanently",
    304: b"Not Modified", 400: b"Bad Request", 401: b"Unauthorized", 403: b"Forbidden",
    404: b"Not Found", 406: b"Not Acceptable", 409: b"Conflict",
    500: b"Internal Server Error", 503: b"Service Unavailable",
}
