"""`diplomacy-kg site`: the served pages written as static files, ready to publish behind w3id.org.

Each entity IRI `…/id/<kind>/<slug>` gets `id/<kind>/<slug>.html`, `.ttl`, `.nt` and `.jsonld`;
the home page, the ontology page, the editor, the stored queries' example answers and the
shipped CSS/JS are written beside them, with an `.htaccess` that serves each IRI by content
negotiation and a `w3id.htaccess` for the w3id.org redirect. The site is written to a staging
folder and swapped in whole, so a failed run leaves the previous site as it was.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from diplomacy_kg.engines import Engine
from diplomacy_kg.errors import DiplomacyKgError
from diplomacy_kg.files import replace_directory, staging_directory
from diplomacy_kg.namespaces import BASE, ID
from diplomacy_kg.site.render import MEDIA_TYPES, Rendered, Site
from diplomacy_kg.site.web import static_file

_ENTITIES = f"""SELECT DISTINCT ?s WHERE {{
  ?s ?p ?o . FILTER(isIRI(?s) && STRSTARTS(STR(?s), "{ID}"))
}} ORDER BY ?s"""
_STATIC_FILES = ("site.css", "editor.js")

HTACCESS = """# Serve each entity IRI by content negotiation (Apache mod_rewrite).
Options -MultiViews
RewriteEngine on
AddType text/turtle .ttl
AddType application/n-triples .nt
AddType application/ld+json .jsonld
RewriteCond %{HTTP_ACCEPT} text/turtle
RewriteRule ^id/(.+?)/?$ id/$1.ttl [L]
RewriteCond %{HTTP_ACCEPT} application/n-triples
RewriteRule ^id/(.+?)/?$ id/$1.nt [L]
RewriteCond %{HTTP_ACCEPT} application/ld\\+json
RewriteRule ^id/(.+?)/?$ id/$1.jsonld [L]
RewriteCond %{REQUEST_FILENAME} !-f
RewriteRule ^id/(.+?)/?$ id/$1.html [L]
RewriteRule ^ontology/?$ ontology/index.html [L]
"""

W3ID_HTACCESS = """# For w3id.org/diplomacy-kg/: send each IRI to where the site is published.
Options +FollowSymLinks
RewriteEngine on
RewriteCond %{{HTTP_ACCEPT}} text/turtle
RewriteRule ^id/(.+)$ {target}id/$1.ttl [R=303,L]
RewriteCond %{{HTTP_ACCEPT}} application/n-triples
RewriteRule ^id/(.+)$ {target}id/$1.nt [R=303,L]
RewriteCond %{{HTTP_ACCEPT}} application/ld\\+json
RewriteRule ^id/(.+)$ {target}id/$1.jsonld [R=303,L]
RewriteRule ^id/(.+)$ {target}id/$1.html [R=303,L]
RewriteRule ^ontology/?$ {target}ontology/ [R=303,L]
RewriteRule ^(.*)$ {target}$1 [R=302,L]
"""


class PublishError(DiplomacyKgError):
    """The static site could not be written."""


@dataclass(frozen=True)
class PublishReport:
    """What was written."""

    output: Path
    entities: int
    files: int


def entity_paths(engine: Engine) -> list[str]:
    """Return the site path (`id/state/kor`) of every entity the graph describes."""
    rows = engine.query(_ENTITIES).rows
    return [str(row[0])[len(BASE) :] for row in rows if row[0] is not None]


def _write(root: Path, relative: str, answer: Rendered | bytes) -> None:
    body = answer if isinstance(answer, bytes) else answer.body
    target = root / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(body)


def publish(
    output: Path,
    engine: Engine,
    *,
    target: str = BASE,
    extra: Callable[[Path], int] | None = None,
) -> PublishReport:
    """Write the static site into `output` (replaced whole); `target` is where it is hosted."""
    site = Site(engine)
    output = output.resolve()
    if output.exists() and not output.is_dir():
        raise PublishError(f"{output}: exists and is not a folder")
    staging = staging_directory(output)  # beside it; a killed run's leftovers are removed
    staging.chmod(0o755)  # a published folder is world-readable, unlike mkdtemp's 0700
    try:
        count = _write_all(staging, site, engine, target)
        if extra is not None:
            count += extra(staging)
        replace_directory(output, staging)  # whole: a kill leaves the old site or the new
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
    entities = len(list((output / "id").rglob("*.ttl"))) if (output / "id").is_dir() else 0
    return PublishReport(output, entities, count)


CHART_STATES = (("KOR", ""), ("CUB", "KOR"))
"""The charts the static site carries: South Korea's, and Cuba's with South Korea."""


def _write_charts(root: Path, engine: Engine) -> int:
    from diplomacy_kg.site import chartpage

    written = 0
    for index, (state, other) in enumerate(CHART_STATES):
        page_path = (
            "charts/index.html" if index == 0 else f"charts/{state.lower()}-{other.lower()}.html"
        )
        _status, text = chartpage.charts_page(engine, state, other, static=True)
        _write(root, page_path, text.encode("utf-8"))
        for kind in chartpage.KINDS:
            svg = chartpage.chart_svg(engine, kind, state, other if kind == "timeline" else "")
            if svg is not None:
                _write(
                    root,
                    "charts/"
                    + chartpage.static_name(kind, state, other if kind == "timeline" else ""),
                    svg,
                )
                written += 1
        written += 1
    return written


def _write_all(root: Path, site: Site, engine: Engine, target: str) -> int:
    written = 0
    for relative, answer in (
        ("index.html", site.home()),
        ("sparql/index.html", site.editor()),
        ("ontology/index.html", site.ontology()),
    ):
        _write(root, relative, answer)
        written += 1
    for name in _STATIC_FILES:
        data = static_file(name)
        assert data is not None, name
        _write(root, f"static/{name}", data)
        written += 1
    for name, stored in site.catalogue.items():
        _write(root, f"queries/{name}/index.html", site.query(name, stored.examples))
        written += 1
    for path in entity_paths(engine):
        _write(root, f"{path}.html", site.entity_page(path))
        for suffix in MEDIA_TYPES:
            _write(root, f"{path}.{suffix}", site.entity_rdf(path, suffix))
        written += 1 + len(MEDIA_TYPES)
    written += _write_charts(root, engine)
    _write(root, ".htaccess", HTACCESS.encode())
    _write(root, "w3id.htaccess", W3ID_HTACCESS.format(target=target.rstrip("/") + "/").encode())
    return written + 2
