"""Shared fixtures: a real Oxigraph server on a loopback port."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from servers import OxigraphServer, oxigraph_binary


@pytest.fixture
def oxigraph_server(tmp_path: Path) -> Iterator[OxigraphServer]:
    """An empty `oxigraph serve` on 127.0.0.1 (load data with .load_file / .load_turtle)."""
    if oxigraph_binary() is None:
        pytest.skip("the oxigraph server binary is not installed")
    with OxigraphServer(tmp_path / "oxigraph-store") as server:
        yield server
