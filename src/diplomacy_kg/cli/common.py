"""What every subcommand module shares: exit codes and the CLI error."""

from __future__ import annotations

from diplomacy_kg.errors import EXIT_FAILED, EXIT_USAGE, DiplomacyKgError

EXIT_OK = 0
__all__ = ["EXIT_FAILED", "EXIT_OK", "EXIT_USAGE", "CliError"]


class CliError(DiplomacyKgError):
    """An error the CLI itself finds (a bad flag value): one line, then exit with its code."""

    def __init__(self, message: str, exit_code: int = EXIT_USAGE) -> None:
        super().__init__(message)
        self.exit_code = exit_code
