"""Bounds on what one HTTP connection may hold (docs/http-safety.md, "Connections"):

- :func:`client_gone`: an event set when the client disconnects, so queued work is dropped and
  running work killed (``workers.WorkerPool``, ``validation_worker.ValidationRunner``);
- :class:`HeldResponse`: an answer sent in small pieces that gives its admission back only once
  the last piece is sent, so answers waiting for slow readers count against the same bound as
  running work and the server never holds a second copy of the body in the socket's buffer;
- :func:`protocol_class`: uvicorn's h11 protocol with deadlines for the request's headers and
  body, and for a client that stops reading the answer.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import threading
from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import asynccontextmanager
from typing import Any

import h11
from fastapi import Request
from fastapi.responses import Response
from starlette.types import Receive, Scope, Send
from uvicorn.protocols.http.h11_impl import H11Protocol

from hrgraph.http.conventions import HELD, flags
from hrgraph.settings import Service

CHUNK_BYTES = 64 * 1024
"""Size of each piece of an answer handed to the server."""


@asynccontextmanager
async def client_gone(request: Request) -> AsyncIterator[threading.Event]:
    """An event set once the client has disconnected, for the length of the block. The
    request's body must have been read before (what is left of it is discarded)."""
    gone = threading.Event()

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
            for start in range(0, len(body), CHUNK_BYTES):
                piece = bytes(body[start : start + CHUNK_BYTES])
                await send({"type": "http.response.body", "body": piece, "more_body": True})
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
    """uvicorn's h11 protocol with three deadlines (``Service``): a request's headers must
    arrive within ``header_timeout_s`` of its first byte (or of the connection, or of the
    previous answer), its body within ``body_timeout_s`` of the headers (this also bounds how
    long the rest of a refused body is read and discarded), and a client that accepts no part
    of an answer for ``send_timeout_s`` is disconnected. Past a deadline the connection is
    closed (with 408 when no answer has started)."""

    class GuardedH11Protocol(H11Protocol):
        _timers: dict[str, asyncio.TimerHandle]

        def connection_made(self, transport: Any) -> None:
            super().connection_made(transport)
            self._timers = {}
            self._follow()

        def connection_lost(self, exc: Exception | None) -> None:
            for timer in self._timers.values():
                timer.cancel()
            self._timers.clear()
            super().connection_lost(exc)

        def data_received(self, data: bytes) -> None:
            super().data_received(data)
            self._follow()

        def on_response_complete(self) -> None:
            super().on_response_complete()
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
            state = self.conn.their_state
            if state is h11.IDLE:
                self._disarm("body")
                self._arm("headers", service.header_timeout_s, self._headers_late)
            elif state is h11.SEND_BODY:
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
            if self.conn.their_state is h11.IDLE and not self.transport.is_closing():
                self._drop(
                    f"the request's headers did not arrive within {service.header_timeout_s:g} s"
                )

        def _body_late(self) -> None:
            self._timers.pop("body", None)
            if self.conn.their_state is h11.SEND_BODY and not self.transport.is_closing():
                self._drop(f"the request's body did not arrive within {service.body_timeout_s:g} s")

        def _stalled(self) -> None:
            self._timers.pop("send", None)
            self.logger.info("client read nothing for %g s: disconnected", service.send_timeout_s)
            self.transport.abort()

        def _drop(self, message: str) -> None:
            self.logger.info("closing a slow connection: %s", message)
            started = self.cycle is not None and self.cycle.response_started
            if not started:
                if self.cycle is not None:  # the app sees a disconnect and sends nothing
                    self.cycle.disconnected = True
                    self.cycle.message_event.set()
                self.transport.write(_refusal(408, "Request Timeout", message))
            self.transport.close()
            self.loop.call_later(1.0, self.transport.abort)

    return GuardedH11Protocol
