"""Filling the store: the build from ``ontology/``, ``shapes/`` and ``data/``, the inferred graph,
the time checks, writes (SPARQL Update, Graph Store Protocol) and the importers
(docs/architecture.md, layer "build")."""
