"""The issue's edges of the Cuba-South Korea relation of 1949-1959 (both dates year precision).

One list for the rule itself (`tests/test_dates.py`) and for the stored queries on the real
graph (`tests/test_queries.py`): (day asked, the relation's status on that day).
"""

from __future__ import annotations

CUBA_1949_EDGES: list[tuple[str, str]] = [
    ("1948-12-31", "not active"),
    ("1949-01-01", "unknown"),
    ("1949-12-31", "active"),
    ("1950-01-01", "active"),
    ("1958-12-31", "active"),
    ("1959-01-01", "unknown"),
    ("1959-12-31", "not active"),
    ("1960-01-01", "not active"),
]
