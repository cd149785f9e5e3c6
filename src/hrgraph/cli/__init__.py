"""The command line (docs/architecture.md, layer "cli"): ``hrgraph build | query | validate |
serve`` in :mod:`hrgraph.cli.main`, the open-data commands in :mod:`hrgraph.cli.data`."""
