"""Publishing the graph: dumps and citable releases, and outbound links to other open legal datasets
(docs/architecture.md, layer "publish")."""
