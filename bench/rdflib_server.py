"""rdflib-endpoint serving an N-Quads file (the default graph is the union of its graphs, as in
hrgraph and ``oxigraph serve-read-only --union-default-graph``); started by bench/run.py.

    .venv/bin/python bench/rdflib_server.py DUMP.nq PORT
"""

from __future__ import annotations

import sys

import rdflib
import uvicorn
from rdflib_endpoint import SparqlEndpoint


def main() -> None:
    dataset = rdflib.Dataset(default_union=True)
    dataset.parse(sys.argv[1], format="nquads")
    app = SparqlEndpoint(graph=dataset, path="/sparql", cors_enabled=False)
    uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[2]), log_level="warning")


if __name__ == "__main__":
    main()
