"""The budgets every run shares: one timeout, one response size cap.

`DEFAULT_TIMEOUT_SECONDS` is the default of every `timeout` parameter (HTTP clients, the embedded
engines, waiting for a store's lock); `MAX_RESPONSE_BYTES` caps what any HTTP answer may weigh.
"""

from __future__ import annotations

import math

from diplomacy_kg.errors import DiplomacyKgError

DEFAULT_TIMEOUT_SECONDS = 60.0
MAX_RESPONSE_BYTES = 64 * 1024 * 1024


class InvalidTimeoutError(DiplomacyKgError, ValueError):
    """A timeout that is not a positive, finite number of seconds."""


def check_timeout(seconds: float, name: str = "timeout") -> float:
    """Return a timeout in seconds, refusing zero, negative, infinite and NaN values."""
    if not isinstance(seconds, int | float) or not math.isfinite(seconds) or seconds <= 0:
        raise InvalidTimeoutError(f"{name} must be a positive number of seconds, not {seconds!r}")
    return float(seconds)
