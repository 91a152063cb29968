"""The one module that knows where the project's files are."""

from __future__ import annotations

import os
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent
_PACKED = _PACKAGE_DIR / "resources"


def _resource_root() -> Path:
    # An installed wheel carries the RDF folders in the package; a checkout has them at the top.
    if (_PACKED / "ontology").is_dir():
        return _PACKED
    return _PACKAGE_DIR.parents[1]


RESOURCE_ROOT = _resource_root()
ONTOLOGY_DIR = RESOURCE_ROOT / "ontology"
ONTOLOGY_FILE = ONTOLOGY_DIR / "diplomacy.ttl"
CONTEXT_FILE = ONTOLOGY_DIR / "context.jsonld"
SHAPES_DIR = RESOURCE_ROOT / "shapes"
DATA_DIR = RESOURCE_ROOT / "data"
TABLES_DIR = DATA_DIR / "tables"
ENRICHMENT_DIR = DATA_DIR / "enrichment"
CLAIMS_FILE = DATA_DIR / "claims.ttl"
WIKIDATA_ENRICHMENT_FILE = ENRICHMENT_DIR / "wikidata.ttl"
STATE_ALIASES_FILE = _PACKAGE_DIR / "ingest" / "state_aliases.csv"
QUERIES_DIR = RESOURCE_ROOT / "queries"


def build_dir() -> Path:
    """Return the folder build outputs go to: `build/` under the current directory."""
    return Path.cwd() / "build"


def release_dir() -> Path:
    """Return the folder releases go to, one folder per version: `build/release/`."""
    return build_dir() / "release"


def site_dir() -> Path:
    """Return the folder the static site is written to: `build/site/`."""
    return build_dir() / "site"


def wikidata_cache_dir() -> Path:
    """Return the Wikidata answer cache: `$XDG_CACHE_HOME/diplomacy-kg/wikidata` (or `~/.cache`)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "diplomacy-kg" / "wikidata"


def news_dir() -> Path:
    """Return the folder of accepted news stories, one Turtle file each: `data/news/`."""
    return DATA_DIR / "news"


def curated_files() -> list[Path]:
    """Return the curated Turtle data files, sorted, then accepted news (`data/news/`)."""
    return sorted(DATA_DIR.glob("*.ttl")) + sorted(news_dir().glob("*.ttl"))


def shape_files() -> list[Path]:
    """Return the SHACL shape files, sorted."""
    return sorted(SHAPES_DIR.glob("*.ttl"))


def query_files() -> list[Path]:
    """Return the stored SPARQL queries, sorted."""
    return sorted(QUERIES_DIR.glob("*.rq"))
