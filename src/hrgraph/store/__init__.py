"""Where the graph lives: the embedded Oxigraph store with its generations, and a remote store
reached through the SPARQL 1.1 protocols (docs/architecture.md, layer "store")."""
