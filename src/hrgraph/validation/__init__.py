"""Judging the national framework: the dataset as of a date, the shapes run as SPARQL on the store,
findings and their rendering, and validation in killable processes (docs/architecture.md, layer
"validation")."""
