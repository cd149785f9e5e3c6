"""The errors of validation (docs/architecture.md, "Seams"): the input is at fault, or the
validator is; a finding about the data is never an error."""

from __future__ import annotations

from hrgraph.errors import BadInput, HrgraphError


class ValidationInputError(BadInput, ValueError):
    """Data or shapes cannot be used; the message names the file and, where known, the line."""


class ValidatorFailure(HrgraphError, RuntimeError):
    """The validator itself failed: never a finding about the data."""
