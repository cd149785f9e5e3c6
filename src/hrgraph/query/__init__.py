"""Running user SPARQL: the executor every interface calls and the killable worker processes it
runs queries in (docs/architecture.md, layer "query")."""
