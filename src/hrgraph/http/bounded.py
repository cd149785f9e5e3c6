"""Bounds on what one HTTP connection may hold (docs/http-safety.md, "Connections"):

- :func:`client_gone`: an event set when the client disconnects, so queued work is dropped and
  running work killed (``workers.WorkerPool``, ``validation_worker.ValidationRunner``);
- :class:`HeldResponse`: an answer sent in small pieces that gives its admission back only once
  the last piece is sent, so answers waiting for slow readers count against the same bound as
  running work and the server never holds a second copy of the body in the socket's buffer;
- :func:`protocol_class`: uvicorn's HTTP protocol (httptools' parser) with deadlines for the
  request's headers and body, a bound on the size of the request line and headers, and a
  deadline for a client that stops reading the answer.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import asynccontextmanager
from typing import Any

from fastapi import Request
from fastapi.responses import Response
from starlette.types import Receive, Scope, Send
from uvicorn.protocols.http import httptools_impl as httptools_protocol

from hrgraph.http.conventions import HELD, flags
from hrgraph.query.asyncpool import Cancel
from hrgraph.settings import Service

CHUNK_BYTES = 64 * 1024
"""Size of each piece of an answer handed to the server."""
HEAD_MAX_BYTES = 16 * 1024
"""Most bytes of a request line and headers read (more: 400 and the connection closed)."""


@asynccontextmanager
async def client_gone(request: Request) -> AsyncIterator[Cancel]:
    """An event set once the client has disconnected, for the length of the block (it also wakes
    a query awaiting its worker). The request's body must have been read before (what is left
    of it is discarded)."""
    gone = Cancel()

    async def watch() -> None:
        while True:
            message = await request.receive()
            if message["type"] == "http.disconnect":
                gone.set()
                return

    # A plain task, not a task group: errors of the block reach the caller as they are.
    watcher = asyncio.get_running_loop().create_task(watch())
    try:
        yield gone
    finally:
        watcher.cancel()
        with contextlib.suppress(BaseException):
            await watcher


class HeldResponse(Response):
    """A response whose ``release`` is called once its body has been sent (or the client has
    gone), never before; the body goes out in pieces of :data:`CHUNK_BYTES`."""

    def __init__(
        self,
        content: bytes,
        release: Callable[[], None],
        media_type: str | None = None,
        headers: Mapping[str, str] | None = None,
        status_code: int = 200,
    ) -> None:
        super().__init__(content, status_code=status_code, headers=headers, media_type=media_type)
        self.release = release

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        flags(scope)[HELD] = True  # never compressed: compression would hold a second copy
        try:
            await send(
                {
                    "type": "http.response.start",
                    "status": self.status_code,
                    "headers": self.raw_headers,
                }
            )
            body = memoryview(self.body)
            size = len(body)
            for start in range(0, size, CHUNK_BYTES):
                piece = bytes(body[start : start + CHUNK_BYTES])
                more = start + CHUNK_BYTES < size  # the last piece ends the answer
                await send({"type": "http.response.body", "body": piece, "more_body": more})
            if not size:
                await send({"type": "http.response.body", "body": b"", "more_body": False})
        finally:
            self.release()


def _refusal(status: int, reason: str, message: str) -> bytes:
    body = json.dumps({"status": status, "error": reason, "message": message}).encode()
    head = (
        f"HTTP/1.1 {status} {reason}\r\ncontent-type: application/json\r\n"
        f"content-length: {len(body)}\r\nconnection: close\r\n\r\n"
    )
    return head.encode("ascii") + body


def protocol_class(service: Service) -> type[asyncio.Protocol]:
    """uvicorn's protocol with three deadlines (``Service``): a request's headers must
    arrive within ``header_timeout_s`` of its first byte (or of the connection, or of the
    previous answer), its body within ``body_timeout_s`` of the headers (this also bounds how
    long the rest of a refused body is read and discarded), and a client that accepts no part
    of an answer for ``send_timeout_s`` is disconnected. Past a deadline the connection is
    closed (with 408 when no answer has started). The request line and headers may hold
    :data:`HEAD_MAX_BYTES`. The parser is httptools' (a dependency)."""
    return guarded_httptools(service)


def guarded_httptools(service: Service) -> type[asyncio.Protocol]:
    """:func:`protocol_class` over uvicorn's httptools protocol. The parser's callbacks say
    which part of a request the connection waits for: ``headers`` (from the connection, or
    the previous answer, to the end of the headers), ``body`` (to the end of the body) or
    nothing (the request is read; its answer is being made or sent)."""

    class GuardedHttpToolsProtocol(httptools_protocol.HttpToolsProtocol):
        _timers: dict[str, asyncio.TimerHandle]
        _waiting: str
        _head_bytes: int
        _head_parsed: int

        def connection_made(self, transport: Any) -> None:
            super().connection_made(transport)
            self._timers, self._waiting, self._head_bytes = {}, "headers", 0
            self._follow()

        def connection_lost(self, exc: Exception | None) -> None:
            for timer in self._timers.values():
                timer.cancel()
            self._timers.clear()
            super().connection_lost(exc)

        def data_received(self, data: bytes) -> None:
            super().data_received(data)
            if self._waiting == "headers" and not self.transport.is_closing():
                self._head_bytes += len(data)
                if self._head_bytes > HEAD_MAX_BYTES:  # 400, as for a malformed head
                    msg = "Invalid HTTP request received."
                    self.logger.warning(msg)
                    self.send_400_response(msg)
                    return
            self._follow()

        def on_message_begin(self) -> None:
            super().on_message_begin()
            self._waiting, self._head_parsed = "headers", 0

        # The head is also counted as the parser reads it: a head that arrives in one read is
        # parsed before data_received can count it.
        def on_url(self, url: bytes) -> None:
            self._count_head(len(url))
            super().on_url(url)

        def on_header(self, name: bytes, value: bytes) -> None:
            self._count_head(len(name) + len(value) + 4)
            super().on_header(name, value)

        def _count_head(self, size: int) -> None:
            self._head_parsed = getattr(self, "_head_parsed", 0) + size
            if self._head_parsed > HEAD_MAX_BYTES:  # the parser's error: a 400
                raise ValueError(f"the request's head is larger than {HEAD_MAX_BYTES} bytes")

        def on_headers_complete(self) -> None:
            super().on_headers_complete()
            self._waiting, self._head_bytes = "body", 0
            if self.cycle is not None:
                self.cycle.transport = HeadWithBody(self.transport, self.loop)  # type: ignore[assignment]

        def on_message_complete(self) -> None:
            super().on_message_complete()
            self._waiting = ""

        def on_response_complete(self) -> None:
            super().on_response_complete()
            if not self._waiting and (self.cycle is None or self.cycle.response_complete):
                self._waiting = "headers"  # no request read ahead: the next one's turn
            self._follow()

        def pause_writing(self) -> None:
            super().pause_writing()
            self._arm("send", service.send_timeout_s, self._stalled)

        def resume_writing(self) -> None:
            super().resume_writing()
            self._disarm("send")

        def _follow(self) -> None:
            """Arm the deadline for what the client must send next."""
            if self.transport.is_closing():
                return
            if self._waiting == "headers":
                self._disarm("body")
                self._arm("headers", service.header_timeout_s, self._headers_late)
            elif self._waiting == "body":
                self._disarm("headers")
                self._arm("body", service.body_timeout_s, self._body_late)
            else:
                self._disarm("headers")
                self._disarm("body")

        def _arm(self, name: str, delay: float, callback: Callable[[], None]) -> None:
            if name not in self._timers:
                self._timers[name] = self.loop.call_later(delay, callback)

        def _disarm(self, name: str) -> None:
            timer = self._timers.pop(name, None)
            if timer is not None:
                timer.cancel()

        def _headers_late(self) -> None:
            self._timers.pop("headers", None)
            if self._waiting == "headers" and not self.transport.is_closing():
                self._drop(
                    f"the request's headers did not arrive within {service.header_timeout_s:g} s"
                )

        def _body_late(self) -> None:
            self._timers.pop("body", None)
            if self._waiting == "body" and not self.transport.is_closing():
                self._drop(f"the request's body did not arrive within {service.body_timeout_s:g} s")

        def _stalled(self) -> None:
            self._timers.pop("send", None)
            self.logger.info("client read nothing for %g s: disconnected", service.send_timeout_s)
            self.transport.abort()

        def _drop(self, message: str) -> None:
            self.logger.info("closing a slow connection: %s", message)
            cycle: httptools_protocol.RequestResponseCycle | None = self.cycle
            if cycle is not None and cycle.response_complete:  # no request in hand
                cycle = None
            if cycle is None or not cycle.response_started:
                if cycle is not None:  # the app sees a disconnect and sends nothing
                    cycle.disconnected = True
                    cycle.message_event.set()
                self.transport.write(_refusal(408, "Request Timeout", message))
            self.transport.close()
            self.loop.call_later(1.0, self.transport.abort)

    return GuardedHttpToolsProtocol


class HeadWithBody:
    """The transport as an answer's cycle sees it: the answer's head (its first write) waits
    for the first piece of its body, so that a small answer leaves in one write, not two. The
    head waits no longer than the loop's current step; a large piece goes out on its own."""

    def __init__(self, transport: asyncio.Transport, loop: asyncio.AbstractEventLoop) -> None:
        self.transport, self.loop = transport, loop
        self.head: bytes | None = None
        self.writes = 0

    def write(self, data: bytes) -> None:
        self.writes += 1
        if self.writes == 1:
            self.head = data
            self.loop.call_soon(self.flush)
            return
        head, self.head = self.head, None
        if head is not None and len(data) <= CHUNK_BYTES:
            data = head + data
        elif head is not None:
            self.transport.write(head)
        self.transport.write(data)

    def flush(self) -> None:
        head, self.head = self.head, None
        if head is not None and not self.transport.is_closing():
            self.transport.write(head)

    def close(self) -> None:
        self.flush()
        self.transport.close()

    def is_closing(self) -> bool:  # read before a 100 Continue is sent (Expect: 100-continue)
        return self.transport.is_closing()

    def __getattr__(self, name: str) -> Any:  # whatever else the cycle may ask of a transport
        return getattr(self.transport, name)
