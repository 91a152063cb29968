"""The graph as a web site: pages rendered from SPARQL, served live or written as static files.

`render` builds every page from an engine (`pages`, `entity`, `ontology_page`), `web` serves them
with the SPARQL endpoint behind one guarded front server, and `publish` writes them as files.
"""
