"""The `site` subcommand: write the served site as static files for publishing."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from diplomacy_kg import paths
from diplomacy_kg.cli.common import EXIT_OK, CliError
from diplomacy_kg.cli.options import add_engine_arguments, engine_from_arguments
from diplomacy_kg.namespaces import BASE
from diplomacy_kg.site import publish


def register(subcommands: Any) -> None:
    """Add the site subcommand to the parser."""
    site = subcommands.add_parser(
        "site",
        help="write the site (entity pages, RDF per entity, ontology, charts) as static files",
        description=(
            "Write the pages `serve` shows as static files: HTML, Turtle, N-Triples and JSON-LD "
            "per entity IRI, the home page, the ontology page and the stored queries' example "
            "answers, with an .htaccess for content negotiation and a w3id.htaccess that "
            "redirects the w3id.org IRIs to where the site is published."
        ),
    )
    site.add_argument(
        "--output",
        type=Path,
        default=None,
        metavar="DIR",
        help="the folder to write (replaced whole; default: build/site)",
    )
    site.add_argument(
        "--target",
        default=BASE,
        metavar="URL",
        help=f"where the site will be published, for the w3id redirect (default: {BASE})",
    )
    add_engine_arguments(site)
    site.set_defaults(handler=run_site)


def run_site(arguments: argparse.Namespace) -> int:
    """Write the static site."""
    output = arguments.output or paths.site_dir()
    if not str(arguments.target).startswith(("http://", "https://")):
        raise CliError(f"--target {arguments.target!r}: give an http:// or https:// URL")
    engine = engine_from_arguments(arguments)
    report = publish.publish(output, engine, target=arguments.target)
    print(f"wrote {report.files} files for {report.entities} entities to {output}")
    return EXIT_OK
