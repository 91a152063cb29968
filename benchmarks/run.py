"""`make bench`: time load, validate, every stored query and export on each engine; print one table.

For each world size (synthetic worlds from `benchmarks.world`, ontology included) and each
engine — rdflib (the reference), Oxigraph embedded in memory, Oxigraph on disk as `load --store`
builds it and `query --store` opens it (read-only RocksDB), a real `oxigraph serve` through the
SPARQL protocol, and Virtuoso where Debian's `virtuoso-opensource` is installed — every step runs
`--runs` times; a cell shows the median and the range, and the ratio to rdflib (xN = N times
faster). Each stored query runs with its example parameters, and its rows are compared with
rdflib's: a difference is reported under the table. A step whose time, extrapolated from the
previous size, would exceed its budget is skipped and the cell says so.

Validation: the Oxigraph column is the project's validation of the world's files,
`validation.validate(files=...)` as `diplomacy-kg validate` runs it: the files bulk-loaded into
Oxigraph (no rdflib graph), each shape's constraints compiled into whole-graph queries there, and
pyshacl checking only the focus nodes they return. The rdflib column is `validation.validate` of
the loaded rdflib graph (copied into Oxigraph for the same queries; pyshacl reads the graph).
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from importlib import metadata
from pathlib import Path
from typing import Any

from rdflib import Graph
from rdflib.term import Identifier, Node

from benchmarks import virtuoso
from benchmarks.world import DEFAULT_SEED, ensure_world, iter_sizes
from diplomacy_kg import graph as graph_module
from diplomacy_kg import graphstore, paths
from diplomacy_kg.engines import Engine, factory
from diplomacy_kg.engines.endpoint import EndpointEngine
from diplomacy_kg.engines.oxigraph_engine import OxigraphEngine
from diplomacy_kg.engines.rdflib_engine import RdflibEngine
from diplomacy_kg.server import OxigraphServer

ENGINES = ("rdflib", "oxigraph", "oxigraph-store", "oxigraph-server", "virtuoso")
# The engines timed through the project's Python API (binding, conversion, typed rows).
API_ENGINES = ("rdflib", "oxigraph", "oxigraph-store")
BENCH_GRAPH = "https://w3id.org/diplomacy-kg/id/graph/benchmark"
# Seconds a step may be expected to take (one run) before it is skipped at a larger size.
BUDGETS = {"load": 400.0, "validate": 200.0, "query": 60.0, "export": 200.0}
# Seconds all runs of one cell may take together: long steps run fewer times.
CELL_SECONDS = 60.0


@dataclass
class Cell:
    """The timings of one step on one engine, or why it was not run."""

    times: list[float] = field(default_factory=list)
    note: str = ""

    @property
    def median(self) -> float | None:
        return statistics.median(self.times) if self.times else None


@dataclass
class Row:
    """One line of the table: a size and a step, with a cell per engine."""

    size: str
    step: str
    cells: dict[str, Cell] = field(default_factory=dict)
    # Raw pyoxigraph (`Store.query` on the final text, values read, nothing converted), on
    # the in-memory store and on the on-disk store of `oxigraph-store`.
    raw: Cell | None = None
    raw_store: Cell | None = None


def _seconds(value: float) -> str:
    if value < 1:
        return f"{value * 1000:.3g} ms" if value >= 0.001 else f"{value * 1000:.2f} ms"
    return f"{value:.3g} s"


def format_cell(cell: Cell | None, reference: Cell | None) -> str:
    """Render a cell: `median (min-max) xRATIO`, or its note."""
    if cell is None:
        return "—"
    if not cell.times:
        return cell.note or "—"
    median = cell.median or 0.0
    text = _seconds(median)
    if len(cell.times) > 1:
        text += f" ({_seconds(min(cell.times))}-{_seconds(max(cell.times))})"
    else:
        text += " (1 run)"
    if reference is not None and reference is not cell and reference.median and median > 0:
        text += f" x{reference.median / median:.3g}"
    if cell.note:
        text += f" {cell.note}"
    return text


def format_overhead(row: Row) -> str:
    """The project's layer on Oxigraph over raw pyoxigraph on the same text: `÷ raw engine`."""
    parts = []
    for engine, raw, label in (
        ("oxigraph", row.raw, ""),
        ("oxigraph-store", row.raw_store, "store "),
    ):
        api = row.cells.get(engine)
        if raw is not None and raw.median and api is not None and api.median:
            parts.append(f"{label}×{api.median / raw.median:.2f} (raw {_seconds(raw.median)})")
    return "; ".join(parts) or "—"


def format_table(rows: list[Row], engines: list[str]) -> str:
    """Render the rows as one Markdown table, with the overhead column beside the engines."""
    header = ["size", "step", *engines, "÷ raw engine"]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for row in rows:
        reference = row.cells.get("rdflib")
        cells = [format_cell(row.cells.get(engine), reference) for engine in engines]
        lines.append("| " + " | ".join([row.size, row.step, *cells, format_overhead(row)]) + " |")
    return "\n".join(lines)


def _timed(function: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = function()
    return time.perf_counter() - start, result


class Budget:
    """Remembers each step's median per engine to decide whether the next size can afford it."""

    def __init__(self, runs: int) -> None:
        self.runs = runs
        self.previous: dict[tuple[str, str], tuple[int, float]] = {}

    def plan(self, engine: str, step: str, kind: str, triples: int) -> tuple[int, str]:
        """Return how many runs to make (0: skip) and a note."""
        known = self.previous.get((engine, step))
        if known is None:
            return self.runs, ""
        size, seconds = known
        estimate = seconds * triples / size
        if estimate > BUDGETS[kind]:
            return 0, f"skipped (~{_seconds(estimate)} expected)"
        return max(1, min(self.runs, int(CELL_SECONDS / max(estimate, 1e-9)))), ""

    def record(self, engine: str, step: str, triples: int, cell: Cell) -> None:
        """Remember a measured median."""
        if cell.median is not None:
            self.previous[(engine, step)] = (triples, cell.median)


def measure(
    budget: Budget, engine: str, step: str, kind: str, triples: int, function: Callable[[], Any]
) -> tuple[Cell, Any]:
    """Run a step as often as its budget allows; return the cell and the last result.

    A query runs once untimed first, the project's call and raw pyoxigraph's alike: the first
    call on a store pays for its cold caches (2.6 s against 21 ms on the on-disk store), which
    would otherwise fall on whichever of the two ran first.
    """
    runs, note = budget.plan(engine, step, kind, triples)
    cell = Cell(note=note)
    result = None
    if kind == "query" and runs:
        function()
    for _ in range(runs):
        seconds, result = _timed(function)
        cell.times.append(seconds)
        if seconds > BUDGETS[kind]:
            break
    budget.record(engine, step, triples, cell)
    return cell, result


# --- engines ---------------------------------------------------------------------------------


@dataclass
class Loaded:
    """An engine holding a world, with what its other steps need."""

    engine: Engine
    graph: Graph | None = None
    store: Any = None


@contextmanager
def engine_session(name: str, files: list[Path]) -> Iterator[tuple[Callable[[], Loaded], str]]:
    """Yield a loader for the named engine (run under timing) and a description."""
    if name == "rdflib":

        def load_rdflib() -> Loaded:
            loaded = graph_module.load_graph(files)
            return Loaded(RdflibEngine(loaded), graph=loaded)

        yield load_rdflib, "rdflib (reference)"
    elif name == "oxigraph":

        def load_oxigraph() -> Loaded:
            engine = OxigraphEngine.from_turtle_files(files)
            return Loaded(engine, store=engine.store)

        yield load_oxigraph, "Oxigraph embedded (pyoxigraph, in memory)"
    elif name == "oxigraph-store":
        with tempfile.TemporaryDirectory(prefix="diplomacy-kg-bench-") as folder:
            builds = itertools.count()

            def load_store() -> Loaded:
                # What `load --store` then `query --store` do: build on disk, open read-only.
                # Each run builds a new store: the previous run's engine still holds its lock.
                store_path = Path(folder) / f"store-{next(builds)}"
                factory.build_store(store_path, files)
                engine = factory.make_engine("oxigraph", store=store_path, files=files)
                assert isinstance(engine, OxigraphEngine)
                return Loaded(engine, store=engine.store)

            yield (
                load_store,
                "Oxigraph on disk (`load --store`, then opened read-only as `query --store`)",
            )
    elif name == "oxigraph-server":
        with OxigraphServer() as server:

            def load_server() -> Loaded:
                graphstore.load_files(server.store_url, files, graph=BENCH_GRAPH, timeout=600)
                return Loaded(EndpointEngine(server.query_url, graph=BENCH_GRAPH, timeout=600))

            yield load_server, "oxigraph serve via SPARQL protocol + GSP PUT"
    elif name == "virtuoso":
        with virtuoso.VirtuosoServer() as virtuoso_server:

            def load_virtuoso() -> Loaded:
                virtuoso_server.load(files, BENCH_GRAPH)
                return Loaded(
                    EndpointEngine(virtuoso_server.query_url, graph=BENCH_GRAPH, timeout=600)
                )

            yield load_virtuoso, f"Virtuoso ({virtuoso.version()}) via --endpoint"
    else:
        raise SystemExit(f"unknown engine {name!r}: choose from {', '.join(ENGINES)}")


# --- steps -----------------------------------------------------------------------------------


def validate_step(name: str, loaded: Loaded, files: list[Path]) -> Callable[[], Any] | None:
    """Return the validation to time on this engine, or None when it has none."""
    try:
        from diplomacy_kg import validation
    except ImportError:
        return None
    if name == "rdflib" and loaded.graph is not None:
        data = loaded.graph
        return lambda: validation.validate(data)
    if name == "oxigraph" and loaded.store is not None:
        return partial(validation.validate, files=files)
    return None


EXPORT_FORMATS = {"nt": "N-Triples", "turtle": "Turtle", "nquads": "N-Quads", "jsonld": "JSON-LD"}
"""The exports timed: N-Triples on both embedded engines, the others on the Oxigraph fast path."""


def export_step(
    name: str, loaded: Loaded, files: list[Path], fmt: str = "nt"
) -> Callable[[], bytes] | None:
    """Return the export in `fmt` to time on this engine, or None.

    rdflib: `export.serialize` of the loaded graph (N-Triples only: rdflib's Turtle and JSON-LD
    take minutes at 1M). Oxigraph: the project's export of the files (`export.serialize_files`:
    parsed by Oxigraph and written with rdflib's bytes), parse included.
    """
    try:
        from diplomacy_kg import export
    except ImportError:
        return None
    if name == "rdflib" and loaded.graph is not None and fmt == "nt":
        data = loaded.graph
        return lambda: export.serialize(data, "nt")
    if name == "oxigraph" and loaded.store is not None:
        return partial(export.serialize_files, files, fmt)
    return None


def raw_export(files: list[Path], fmt: str = "nt") -> bytes:
    """Oxigraph alone: bulk-load the files into a fresh store and dump them (N-Triples sorted)."""
    import pyoxigraph as ox

    store = ox.Store()
    for path in files:
        store.bulk_load(
            path=str(path), format=ox.RdfFormat.TURTLE, base_iri=path.resolve().as_uri()
        )
    if fmt == "turtle":
        body = store.dump(format=ox.RdfFormat.TURTLE, from_graph=ox.DefaultGraph())
        assert isinstance(body, bytes)
        return body
    body = store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
    return b"".join(sorted(body.splitlines(keepends=True)))


def canonical_rows(rows: list[tuple[Node | None, ...]]) -> list[tuple[str, ...]]:
    """Rows as sorted N3 strings, to compare engines."""
    return sorted(tuple("UNBOUND" if term is None else term.n3() for term in row) for row in rows)


def stored_queries() -> list[Any]:
    """Return the stored queries of the catalogue, sorted by name."""
    from diplomacy_kg import queries

    return sorted(queries.catalogue().values(), key=lambda query: query.name)


def run_through_api(query: Any, engine: Engine) -> Any:
    """Run a stored query as a user does: example values resolved, rows typed (the whole layer)."""
    from diplomacy_kg import queries

    return queries.run_stored(query, engine, dict(query.examples))


def raw_load(files: list[Path], folder: Path | None) -> Any:
    """Oxigraph alone: bulk-load the files into a fresh store, in memory or in a new folder."""
    import pyoxigraph as ox

    store = ox.Store(str(folder / f"raw-{time.monotonic_ns()}")) if folder else ox.Store()
    for path in files:
        store.bulk_load(path=str(path), format=ox.RdfFormat.TURTLE)
    store.flush()
    return store


def raw_oxigraph(store: Any, text: str) -> list[tuple[Any, ...]]:
    """Run the final text on pyoxigraph itself and read every value, converting nothing.

    Each solution is read by iterating over it, the fastest way pyoxigraph offers (by variable
    name is ~25% slower on a wide result), so the "÷ raw engine" column does not flatter.
    """
    import pyoxigraph as ox

    solutions = store.query(text)
    if not isinstance(solutions, ox.QuerySolutions):
        return [(bool(solutions),)]
    return [tuple(solution) for solution in solutions]


def resolve_examples(query: Any, engine: Engine) -> dict[str, Identifier]:
    """Resolve a stored query's example parameters into RDF terms, once, untimed."""
    from diplomacy_kg import queries

    return queries.bind_parameters(query, dict(query.examples), engine)


# --- the run ---------------------------------------------------------------------------------


@dataclass
class Report:
    """Everything one benchmark run measured."""

    rows: list[Row] = field(default_factory=list)
    mismatches: list[str] = field(default_factory=list)
    descriptions: dict[str, str] = field(default_factory=dict)
    sizes: dict[str, int] = field(default_factory=dict)

    def row(self, size: str, step: str) -> Row:
        for row in self.rows:
            if row.size == size and row.step == step:
                return row
        row = Row(size, step)
        self.rows.append(row)
        return row


def run_size(
    report: Report, budget: Budget, size_name: str, triples: int, engines: list[str], seed: int
) -> None:
    """Measure every step of one world size on every engine."""
    world = ensure_world(triples, seed)
    files = [paths.ONTOLOGY_FILE, world]
    report.sizes[size_name] = triples
    catalogue = stored_queries()
    reference_rows: dict[str, tuple[str, list[tuple[str, ...]]]] = {}
    examples: dict[str, dict[str, Identifier]] = {}
    for name in engines:
        print(f"[{size_name}] {name}: loading", file=sys.stderr, flush=True)
        with engine_session(name, files) as (load, description):
            report.descriptions[name] = description
            cell, loaded = measure(budget, name, "load", "load", triples, load)
            report.row(size_name, "load").cells[name] = cell
            if name in ("oxigraph", "oxigraph-store") and loaded is not None:
                with tempfile.TemporaryDirectory(prefix="diplomacy-kg-raw-") as folder:
                    on_disk = Path(folder) if name == "oxigraph-store" else None
                    raw_cell, _ = measure(
                        budget, "raw", "load", "load", triples, partial(raw_load, files, on_disk)
                    )
                if name == "oxigraph":
                    report.row(size_name, "load").raw = raw_cell
                else:
                    report.row(size_name, "load").raw_store = raw_cell
            if loaded is None:
                exports = [f"export ({label})" for label in EXPORT_FORMATS.values()]
                for step in ["validate", *(q.name for q in catalogue), *exports]:
                    report.row(size_name, step).cells[name] = Cell(note="skipped (not loaded)")
                continue
            validation = validate_step(name, loaded, files)
            if validation is not None:
                print(f"[{size_name}] {name}: validating", file=sys.stderr, flush=True)
                cell, outcome = measure(budget, name, "validate", "validate", triples, validation)
                if outcome is not None:
                    conforms = outcome[0] if isinstance(outcome, tuple) else outcome.conforms
                    cell.note = cell.note + (" [conforms]" if conforms else " [VIOLATIONS]")
                report.row(size_name, "validate").cells[name] = cell
            for query in catalogue:
                if query.name not in examples:
                    examples[query.name] = resolve_examples(query, loaded.engine)
                bindings = examples[query.name]
                text = query.text
                print(f"[{size_name}] {name}: {query.name}", file=sys.stderr, flush=True)
                if name in API_ENGINES:
                    # Embedded engines through the project's API (binding, conversion, typed
                    # rows); the endpoint columns time the engine call, as before.
                    timed = partial(run_through_api, query, loaded.engine)
                else:
                    timed = partial(loaded.engine.query, text, bindings)
                cell, table = measure(budget, name, query.name, "query", triples, timed)
                row = report.row(size_name, query.name)
                row.cells[name] = cell
                if (
                    name in ("oxigraph", "oxigraph-store")
                    and loaded.store is not None
                    and cell.times
                ):
                    from diplomacy_kg.engines.binding import inline_values

                    final = inline_values(text, bindings)
                    raw_cell, _ = measure(
                        budget,
                        "raw",
                        query.name,
                        "query",
                        triples,
                        partial(raw_oxigraph, loaded.store, final),
                    )
                    if name == "oxigraph":
                        row.raw = raw_cell
                    else:
                        row.raw_store = raw_cell
                if table is not None:
                    terms = table.terms if hasattr(table, "terms") else table.rows
                    rows = canonical_rows(terms)
                    cell.note = (cell.note + f" [{len(rows)} rows]").strip()
                    reference, expected = reference_rows.setdefault(query.name, (name, rows))
                    if rows != expected:
                        missing = [r for r in expected if r not in rows][:2]
                        extra = [r for r in rows if r not in expected][:2]
                        report.mismatches.append(
                            f"{size_name} {query.name}: {name} gives {len(rows)} rows, "
                            f"{reference} {len(expected)}; only {reference}: {missing}; "
                            f"only {name}: {extra}"
                        )
            for fmt, label in EXPORT_FORMATS.items():
                exporter = export_step(name, loaded, files, fmt)
                if exporter is None:
                    continue
                step = f"export ({label})"
                print(f"[{size_name}] {name}: {step}", file=sys.stderr, flush=True)
                cell, _ = measure(budget, name, step, "export", triples, exporter)
                row = report.row(size_name, step)
                row.cells[name] = cell
                if name == "oxigraph" and fmt in ("nt", "turtle"):
                    raw = partial(raw_export, files, fmt)
                    row.raw, _ = measure(budget, "raw", step, "export", triples, raw)
            del loaded


def cold_cli_rows(report: Report, runs: int) -> None:
    """Time a cold `diplomacy-kg query` on the curated graph, per embedded engine."""
    script = Path(sys.executable).parent / "diplomacy-kg"
    command = [
        str(script),
        "query",
        "partner-count-on-date",
        "--param",
        "state=KOR",
        "--param",
        "date=2024-02-15",
    ]
    probe = subprocess.run(command, capture_output=True, text=True, check=False)
    if probe.returncode != 0:
        report.row("curated", "cold `diplomacy-kg query`").cells["rdflib"] = Cell(
            note=f"not measured: {probe.stderr.strip().splitlines()[-1:]}"
        )
        return
    for name in ("rdflib", "oxigraph"):
        cell = Cell()
        for _ in range(runs):
            seconds, _ = _timed(
                partial(
                    subprocess.run, [*command, "--engine", name], capture_output=True, check=True
                )
            )
            cell.times.append(seconds)
        report.row("curated", "cold `diplomacy-kg query` (wall)").cells[name] = cell


def machine() -> list[str]:
    """Describe the machine and the library versions."""
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = "unknown"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    versions = ", ".join(
        f"{package} {metadata.version(package)}"
        for package in ("rdflib", "pyoxigraph", "pyshacl", "SPARQLWrapper", "oxigraph")
    )
    lines = [
        f"machine: {cpu}, {os.cpu_count()} cores, {memory} RAM, "
        f"{platform.system()} {platform.release()}",
        f"Python {platform.python_version()}; {versions}",
    ]
    if virtuoso.available():
        lines.append(f"Virtuoso: {virtuoso.version()}")
    return lines


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes",
        default="10k,100k,1M",
        help="comma-separated sizes: 10k, 100k, 1M, 3M (on demand) or numbers (default: up to 1M)",
    )
    parser.add_argument("--runs", type=int, default=5, help="runs per step (default: 5)")
    parser.add_argument(
        "--engines",
        default=",".join(ENGINES),
        help="comma-separated engines (Virtuoso only when installed)",
    )
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument(
        "--json", type=Path, default=None, help="also write the raw timings as JSON here"
    )
    arguments = parser.parse_args(argv)
    engines = [name.strip() for name in arguments.engines.split(",") if name.strip()]
    if "virtuoso" in engines and not virtuoso.available():
        print("Virtuoso is not installed: no Virtuoso column", file=sys.stderr)
        engines.remove("virtuoso")
    report = Report()
    budget = Budget(arguments.runs)
    for size_name, triples in iter_sizes(arguments.sizes):
        run_size(report, budget, size_name, triples, engines, arguments.seed)
    cold_cli_rows(report, arguments.runs)
    print("\n".join(machine()))
    print("engines: " + "; ".join(f"{name} = {text}" for name, text in report.descriptions.items()))
    print()
    print(format_table(report.rows, engines))
    print()
    if report.mismatches:
        print("DIFFERENT ANSWERS:")
        for line in report.mismatches:
            print(f"  {line}")
    else:
        print("every engine gave the same rows for every stored query.")
    if arguments.json is not None:
        raw = [
            {
                "size": row.size,
                "step": row.step,
                "cells": {
                    name: {"times": cell.times, "note": cell.note}
                    for name, cell in row.cells.items()
                },
            }
            for row in report.rows
        ]
        arguments.json.write_text(
            json.dumps(
                {"machine": machine(), "rows": raw, "mismatches": report.mismatches}, indent=1
            )
        )
    return 1 if report.mismatches else 0


if __name__ == "__main__":
    sys.exit(main())
