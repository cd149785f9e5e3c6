"""An rdflib graph for pySHACL that parses each SPARQL text once (docs/architecture.md, layer
"validation").

rdflib parses and translates the text of a query on every call of ``Graph.query``, and pySHACL
calls it once per focus node of a SPARQL-based constraint, with the focus node as an initial
binding: on the small graphs of tests/cases/shapes/, parsing the same few texts again took
about 40% of pySHACL's time (docs/architecture.md gives the measures).
:class:`PreparedQueryGraph` hands rdflib the query prepared once
(``rdflib.plugins.sparql.prepareQuery``, rdflib's own way to run one query with many bindings),
so the results are those of the text, evaluated by the same ``evalQuery``.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from typing import Any

import rdflib
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.sparql import Query
from rdflib.query import Processor, Result
from rdflib.term import Identifier


@lru_cache(maxsize=1024)
def _prepared(text: str, namespaces: tuple[tuple[str, str], ...], base: str | None) -> Query:
    return prepareQuery(text, initNs=dict(namespaces), base=base)


class PreparedQueryGraph(rdflib.Graph):
    """An rdflib graph whose SPARQL query texts are parsed once per text, prefixes and base.

    A prepared query is evaluated afresh on each call (its initial bindings and the graph's
    statements as they are then); only the parse and the translation to algebra are kept, in a
    bounded cache shared by every graph of the process.
    """

    def query(
        self,
        query_object: str | Query,
        processor: str | Processor = "sparql",
        result: str | type[Result] = "sparql",
        initNs: Mapping[str, Any] | None = None,
        initBindings: Mapping[str, Identifier] | None = None,
        use_store_provided: bool = True,
        **kwargs: Any,
    ) -> Result:
        if isinstance(query_object, str) and processor == "sparql":
            initNs = initNs or dict(self.namespaces())  # as rdflib would (read once, here)
            key = tuple(sorted((prefix, str(iri)) for prefix, iri in initNs.items()))
            query_object = _prepared(query_object, key, kwargs.get("base"))
        return super().query(
            query_object, processor, result, initNs, initBindings, use_store_provided, **kwargs
        )
