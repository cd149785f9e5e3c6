"""Importers of open datasets into the store: the OHCHR Universal Human Rights Index, UPR Info and
UN treaty-status tables (docs/importers.md)."""

from hrgraph.build.importers.common import ImportFailed, ImportSummary

IMPORTERS = ("uhri", "upr-info", "ratifications")

__all__ = ["IMPORTERS", "ImportFailed", "ImportSummary"]
