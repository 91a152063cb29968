"""HTML building blocks: escaping, the page layout, links to entities, dates with precision."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from html import escape
from urllib.parse import quote

from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from diplomacy_kg.dates import PartialDate
from diplomacy_kg.namespaces import BASE, DIP, curie

PROJECT = "diplomacy-kg"


def e(text: object) -> str:
    """Escape any value for HTML text and attribute values."""
    return escape(str(text), quote=True)


def local_path(iri: str) -> str | None:
    """Return the site path of one of the project's IRIs (`/id/state/kor`), else None."""
    if iri.startswith(str(DIP)):
        return "/ontology/#" + iri[len(str(DIP)) :]
    if iri.startswith(BASE):
        return "/" + iri[len(BASE) :]
    return None


def link(iri: str, labels: Mapping[str, str] | None = None) -> str:
    """Return an HTML link to an IRI: the site's own page for the project's IRIs."""
    label = (labels or {}).get(iri) or curie(iri)
    href = local_path(iri) or iri
    return f'<a href="{e(href)}" title="{e(iri)}">{e(label)}</a>'


def term_html(term: Node | None, labels: Mapping[str, str], precision: Node | None = None) -> str:
    """Render an RDF term: IRIs as links, dates at their precision, literals escaped."""
    if term is None:
        return ""
    if isinstance(term, URIRef):
        return link(str(term), labels)
    if isinstance(term, BNode):
        return "<em>(a node)</em>"
    if isinstance(term, Literal):
        value = term.toPython()
        if isinstance(value, date):
            return f"<time>{e(PartialDate.of(value, precision))}</time>"
        text = e(term)
        if term.language:
            return f'<span lang="{e(term.language)}">{text}</span>'
        return text
    return e(term)


def table(headers: Sequence[str], rows: Iterable[Sequence[str]], *, css: str = "") -> str:
    """Return an HTML table; the cells are HTML already (escape them before)."""
    head = "".join(f"<th>{e(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    klass = f' class="{e(css)}"' if css else ""
    return f"<table{klass}><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def page(title: str, body: str, *, scripts: Sequence[str] = ()) -> str:
    """Wrap a body in the site's layout: navigation, shipped CSS, no external resources."""
    script_tags = "".join(f'<script src="/static/{e(s)}"></script>' for s in scripts)
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{e(title)} · {PROJECT}</title>"
        '<link rel="stylesheet" href="/static/site.css">'
        '<link rel="icon" href="data:,">'
        f"{script_tags}</head><body>"
        '<nav><a href="/">diplomacy-kg</a> <a href="/sparql">SPARQL</a> '
        '<a href="/charts?state=KOR">charts</a> <a href="/ontology/">ontology</a></nav>'
        f"<main><h1>{e(title)}</h1>{body}</main></body></html>\n"
    )


def query_string(params: Mapping[str, str]) -> str:
    """Encode parameters for a link."""
    return "&".join(f"{quote(k)}={quote(v)}" for k, v in params.items())
