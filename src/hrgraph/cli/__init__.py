"""The command line (docs/architecture.md, layer "cli"): the parser and the one translation of
errors in :mod:`hrgraph.cli.main`; ``hrgraph build | query | validate | serve`` in
:mod:`hrgraph.cli.commands`, ``import | links | export | release`` in :mod:`hrgraph.cli.data`;
the arguments' types and the settings they make in :mod:`hrgraph.cli.options`."""
