"""hrgraph: a knowledge graph of human-rights obligations and of the institutions that carry
them out."""

__version__ = "0.1.0"
