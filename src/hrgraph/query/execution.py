"""Running queries: every path that runs user SPARQL (the CLI, the HTTP service) goes through an
:class:`Executor`, which checks the query (``querycheck``) before any engine sees it.

:class:`InProcessExecutor` runs a query in the calling thread on an open store (the CLI, tests
on in-memory stores); the service runs queries in killable worker processes (``workers``),
behind the same interface. Results cross the interface already serialised, in the format the
caller negotiated, so they can come back from another process.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import ClassVar, Protocol

import pyoxigraph as ox

from hrgraph.errors import EXIT_BAD_INPUT, HrgraphError
from hrgraph.rdf.results import QueryResult, serialize
from hrgraph.settings import Limits
from hrgraph.sparql.querycheck import QueryRejected, check_sparql
from hrgraph.store.local import GraphStore


class QueryFailed(HrgraphError):
    """A query that was accepted but could not be answered; ``status`` is the HTTP status."""

    def __init__(self, message: str, status: int = 500, retry_after: int | None = None) -> None:
        super().__init__(message, status=status, retry_after=retry_after)


class QuerySyntaxError(QueryFailed):
    """The engine's parser refused the query; the message has its position (line:column)."""

    exit_code: ClassVar[int] = EXIT_BAD_INPUT

    def __init__(self, message: str) -> None:
        super().__init__(message, status=400)


class QueryTimeout(QueryFailed):
    """The query ran past its deadline and was stopped."""

    def __init__(self, message: str) -> None:
        super().__init__(message, status=503)


class Overloaded(QueryFailed):
    """Every worker is busy and the queue is full: try again later."""

    def __init__(self, message: str, retry_after: int = 1) -> None:
        super().__init__(message, status=503, retry_after=retry_after)


@dataclass(frozen=True)
class QueryRequest:
    query: str
    result_format: str
    """A key of ``results.SOLUTION_FORMATS`` (SELECT, ASK) or ``results.GRAPH_FORMATS``
    (CONSTRUCT, DESCRIBE), chosen by the caller (e.g. by content negotiation)."""
    default_graphs: tuple[str, ...] | None = None
    named_graphs: tuple[str, ...] | None = None


@dataclass(frozen=True)
class QueryResponse:
    body: bytes
    result_format: str


class Executor(Protocol):
    """Runs checked queries. Raises ``QueryRejected`` (refused before running, 4xx),
    :class:`QuerySyntaxError`, :class:`QueryTimeout`, :class:`Overloaded` or
    :class:`QueryFailed`; never lets an engine exception through."""

    def run(self, request: QueryRequest) -> QueryResponse: ...


class InProcessExecutor:
    """Runs queries in the calling thread on an open store (no deadline: a running Oxigraph query
    cannot be interrupted in-process)."""

    def __init__(self, store: GraphStore, limits: Limits) -> None:
        self.store, self.limits = store, limits

    def run(self, request: QueryRequest) -> QueryResponse:
        result = run_query(
            self.store,
            request.query,
            self.limits,
            default_graphs=_nodes(request.default_graphs),
            named_graphs=_nodes(request.named_graphs),
        )
        try:
            return QueryResponse(serialize(result, request.result_format), request.result_format)
        except ValueError as error:
            raise QueryRejected(str(error), status=406) from None


def run_query(
    store: GraphStore,
    text: str,
    limits: Limits,
    *,
    substitutions: Mapping[ox.Variable, ox.NamedNode | ox.Literal] | None = None,
    default_graphs: Sequence[ox.NamedNode] | None = None,
    named_graphs: Sequence[ox.NamedNode] | None = None,
    local_graphs: frozenset[str] | None = None,
) -> QueryResult:
    """Check and run a query on an open store (``local_graphs``: the store's named graphs, if
    the caller knows them already).

    Raises ``QueryRejected`` for a refused query and :class:`QuerySyntaxError` (with the
    parser's message and position) for a malformed one.
    """
    local = local_graphs
    if local is None:
        local = frozenset(graph.value for graph in store.named_graphs())
    check_sparql(text, limits, local_graphs=local)
    try:
        return store.query(
            text,
            substitutions=substitutions,
            default_graphs=default_graphs,
            named_graphs=named_graphs,
        )
    except SyntaxError as error:
        raise QuerySyntaxError(f"syntax {error.msg or error}") from None


def _nodes(iris: tuple[str, ...] | None) -> list[ox.NamedNode] | None:
    return None if iris is None else [ox.NamedNode(iri) for iri in iris]
