"""The root of every error hrgraph reports to a person (docs/architecture.md, "Errors").

Each class says once how it reaches the user: ``exit_code`` for the command line, ``status`` for
HTTP. The interfaces each have one handler: :func:`hrgraph.cli.main.main` prints
``hrgraph: error: <message>`` and exits with ``exit_code``; the HTTP service answers ``status``
with the message (``hrgraph.http.errors``). The domain modules raise their own subclasses (a
refused query, a failed build, a busy store) and never name an exit code or a status elsewhere.

>>> error = BadInput("data/x.ttl line 3: unknown prefix")
>>> (error.exit_code, error.status, str(error))
(2, 400, 'data/x.ttl line 3: unknown prefix')
>>> Unavailable("every worker is busy", retry_after=2).headers
{'Retry-After': '2'}
"""

from __future__ import annotations

from typing import ClassVar

EXIT_OK, EXIT_FAILURE, EXIT_BAD_INPUT = 0, 1, 2


class HrgraphError(Exception):
    """Something hrgraph could not do, with a message written for the user (never a stack
    trace or a local path of the server). By default a failure of hrgraph or of what it relies on:
    exit code 1, HTTP 500. ``status`` may be given per instance where one class covers several
    outcomes (a query the engine could not answer: 400, 500 or 503)."""

    exit_code: ClassVar[int] = EXIT_FAILURE
    http_status: ClassVar[int] = 500
    public: ClassVar[bool] = True
    """Whether an HTTP client may read the message; ``False`` for messages written for the
    operator (they name the server's paths): the client gets the status and a generic message,
    and the error is logged."""

    def __init__(
        self,
        message: str = "",
        *,
        status: int | None = None,
        retry_after: int | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = self.http_status if status is None else status
        self.retry_after = retry_after
        self._headers = dict(headers or {})

    @property
    def headers(self) -> dict[str, str]:
        """HTTP headers the answer carries (``Retry-After`` when trying again later may work)."""
        retry = {"Retry-After": str(self.retry_after)} if self.retry_after else {}
        return {**self._headers, **retry}


class BadInput(HrgraphError):
    """The user's input is at fault (a query, a file, a parameter): exit code 2, HTTP 400. The
    message names the file, line or parameter."""

    exit_code: ClassVar[int] = EXIT_BAD_INPUT
    http_status: ClassVar[int] = 400


class Unavailable(HrgraphError):
    """Not now: the store is being written, every worker is busy, a deadline passed. Exit code 1,
    HTTP 503; trying again later may work."""

    http_status: ClassVar[int] = 503
