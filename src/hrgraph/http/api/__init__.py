"""The machine-facing routes: the SPARQL protocol, named queries, linked data, the dataset
description, validation and writes. They never import the pages (``hrgraph.http.web``)."""
