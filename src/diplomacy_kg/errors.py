"""The one base of the library's errors: each carries the exit code the command line uses.

Every module raises a subclass of `DiplomacyKgError` whose message is one line naming what is
wrong (a file and line, a parameter, a URL) and never a password; the CLI prints that line and
exits with `exit_code` without wrapping each call. Messages name the library's parameters (e.g.
`timeout`), not command-line flags: the CLI adds those where it knows them.
"""

from __future__ import annotations

EXIT_USAGE = 2
"""Bad input, usage, or an unreachable service."""

EXIT_FAILED = 1
"""The run worked but found violations or failed checks."""


class DiplomacyKgError(Exception):
    """An error of the library: its message is one line; `exit_code` is what the CLI returns.

    An error about one input names it by the library's parameter in `field` (`date`,
    `allow_update`): the message reads `date: …`, and the CLI writes the flag instead (`--date:
    …`). `detail` is the message without the field.
    """

    exit_code: int = EXIT_USAGE

    def __init__(self, message: str = "", *, field: str | None = None) -> None:
        self.field = field
        self.detail = message
        super().__init__(f"{field}: {message}" if field else message)
