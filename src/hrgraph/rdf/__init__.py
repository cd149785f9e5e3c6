"""RDF without a store: the vocabularies and the closed ontology namespace, media types and their
negotiation, query-result and RDF serialisations, and the safe parsing of uploaded RDF
(docs/architecture.md, layer "rdf")."""
