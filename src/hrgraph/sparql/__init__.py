"""SPARQL as text: the checks every query and update passes before an engine sees it, and the named
queries of ``queries/*.rq`` (docs/architecture.md, layer "sparql")."""
