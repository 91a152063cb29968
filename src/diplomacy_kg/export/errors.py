"""The errors of exporting and of reading exports back."""

from __future__ import annotations

from diplomacy_kg.errors import DiplomacyKgError


class ExportError(DiplomacyKgError):
    """A graph could not be exported or an export could not be read."""


class RemoteContextError(ExportError):
    """A JSON-LD document names a remote or local-file @context that we refuse to fetch."""
