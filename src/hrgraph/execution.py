"""Running a query: checked first (``querycheck``), then handed to the store.

Every path that runs user SPARQL (the CLI, the HTTP service) goes through :func:`run_query`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pyoxigraph as ox

from hrgraph.querycheck import check_sparql
from hrgraph.settings import Limits
from hrgraph.store import GraphStore, QueryResult


def run_query(
    store: GraphStore,
    text: str,
    limits: Limits,
    *,
    substitutions: Mapping[ox.Variable, ox.NamedNode | ox.Literal] | None = None,
    default_graphs: Sequence[ox.NamedNode] | None = None,
    named_graphs: Sequence[ox.NamedNode] | None = None,
) -> QueryResult:
    """Check and run a query.

    Raises ``QueryRejected`` for a refused query and ``SyntaxError`` (with the parser's message
    and position) for a malformed one.
    """
    local = frozenset(graph.value for graph in store.named_graphs())
    check_sparql(text, limits, local_graphs=local)
    return store.query(
        text,
        substitutions=substitutions,
        default_graphs=default_graphs,
        named_graphs=named_graphs,
    )
