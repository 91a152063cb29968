"""Every fact of the seed story is in the graph, with its sources: one SPARQL ASK per fact.

The ASKs use `BASE` set to the instance namespace, so `<state/cub>` reads as the IRI of Cuba.
Facts on generated nodes (states, `relation/cub-kor-*`) need the lead's generated files in data/.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, PROV, RDF, RDFS

from diplomacy_kg import paths
from diplomacy_kg.graph import load_graph, parse_turtle_file
from diplomacy_kg.namespaces import DIP, ID, SCHEMA, sparql_prefix_block

# The hand-curated files this test module owns; the generic rules below are checked on them.
CURATED_BY_HAND = ("seed-story.ttl", "sources.ttl", "inter-korean.ttl", "claims.ttl")

STORY = "<source/seed-story-2024-02>"

FACTS: dict[str, str] = {
    "1-established-2024-by-exchange-of-notes-in-new-york": f"""
ASK {{
  <relation/cub-kor-2024> a dip:DiplomaticRelation ;
      dip:party <state/cub> , <state/kor> ;
      dip:startDate "2024-02-14"^^xsd:date ; dip:startPrecision dip:DayPrecision ;
      dip:establishedBy <event/cub-kor-exchange-of-notes-2024> ;
      dip:dateAssertion <date-assertion/cub-kor-2024-start-new-york> ,
                        <date-assertion/cub-kor-2024-start-seoul> ;
      skos:editorialNote ?why_canonical ;
      prov:qualifiedDerivation [ prov:entity {STORY} ; dip:evidenceQuote ?quote ] ;
      prov:wasDerivedFrom {STORY} , <source/xinhua-2024-02-14> .
  <event/cub-kor-exchange-of-notes-2024> a dip:ExchangeOfNotes , dip:EstablishmentOfRelations ;
      dip:cameoCode "057" ;
      dip:date "2024-02-14"^^xsd:date ; dip:datePrecision dip:DayPrecision ;
      dip:place <place/new-york> ;
      dip:participant <organization/kor-permanent-mission-un> ,
                      <organization/cub-permanent-mission-un> , <state/kor> , <state/cub> ;
      prov:qualifiedDerivation [ prov:entity {STORY} ; dip:evidenceQuote ?exchange_quote ] ,
          [ prov:entity <source/xinhua-2024-02-14> ; dip:evidenceQuote ?xinhua_quote ] ;
      prov:wasDerivedFrom {STORY} , <source/xinhua-2024-02-14> .
  <organization/kor-permanent-mission-un> a dip:Organization ; dip:country <state/kor> .
  <organization/cub-permanent-mission-un> a dip:Organization ; dip:country <state/cub> .
  <place/new-york> a dip:City ; dip:country <state/usa> .
  <date-assertion/cub-kor-2024-start-new-york> a dip:DateAssertion ;
      dip:assertedProperty dip:startDate ;
      dip:assertedDate "2024-02-14"^^xsd:date ; dip:assertedPrecision dip:DayPrecision ;
      dip:timeZone "New York" ; dip:isCanonical true ;
      prov:wasDerivedFrom <source/xinhua-2024-02-14> .
  <date-assertion/cub-kor-2024-start-seoul> a dip:DateAssertion ;
      dip:assertedProperty dip:startDate ;
      dip:assertedDate "2024-02-15"^^xsd:date ; dip:assertedPrecision dip:DayPrecision ;
      dip:timeZone "Seoul" ; dip:isCanonical false ;
      prov:wasDerivedFrom {STORY} .
  FILTER NOT EXISTS {{
    <relation/cub-kor-2024> dip:startDate ?other FILTER (?other != "2024-02-14"^^xsd:date)
  }}
}}""",
    "2-cuba-193rd-partner-and-syria-the-only-un-member-left": f"""
ASK {{
  <claim/cuba-193rd-partner-of-kor> a dip:Claim ;
      dip:text ?text_193 ;
      dip:speaker <organization/seed-story-newsroom> ;
      dip:about <state/cub> , <state/kor> ;
      dip:date "2024-02-15"^^xsd:date ; dip:datePrecision dip:DayPrecision ;
      prov:wasDerivedFrom {STORY} .
  <claim/syria-only-un-member-without-kor-ties> a dip:Claim ;
      dip:text ?text_syria ;
      dip:speaker <organization/seed-story-newsroom> ;
      dip:about <state/syr> , <state/kor> ;
      dip:date "2024-02-15"^^xsd:date ; dip:datePrecision dip:DayPrecision ;
      prov:wasDerivedFrom {STORY} .
  <organization/seed-story-newsroom> a dip:Organization ; rdfs:label ?newsroom .
  FILTER (CONTAINS(STR(?text_193), "193rd") && CONTAINS(STR(?text_syria), "Syria"))
}}""",
    "3-recognised-1949-and-severed-after-the-1959-revolution": f"""
ASK {{
  <event/cub-recognizes-kor-1949> a dip:Recognition ;
      dip:cameoCode "054" ;
      dip:date "1949-01-01"^^xsd:date ; dip:datePrecision dip:YearPrecision ;
      dip:agent <state/cub> ; dip:target <state/kor> ;
      prov:wasDerivedFrom {STORY} .
  <relation/cub-kor-1949> a dip:DiplomaticRelation ;
      dip:party <state/cub> , <state/kor> ;
      dip:startDate "1949-01-01"^^xsd:date ; dip:startPrecision dip:YearPrecision ;
      dip:endDate "1959-01-01"^^xsd:date ; dip:endPrecision dip:YearPrecision ;
      dip:endCause <event/cuban-revolution-1959> ;
      dip:endedBy <event/cub-kor-severance-1959> ;
      prov:qualifiedDerivation [ prov:entity {STORY} ; dip:evidenceQuote ?quote ] ;
      prov:wasDerivedFrom {STORY} , ?news .
  VALUES ?news {{ <source/xinhua-2024-02-14> <source/afp-club-of-mozambique-2024-02-14> }}
  <event/cuban-revolution-1959> a dip:Event ;
      dip:date "1959-01-01"^^xsd:date ; dip:datePrecision dip:YearPrecision ;
      dip:place <state/cub> ;
      prov:wasDerivedFrom {STORY} .
  <event/cub-kor-severance-1959> a dip:Severance ;
      dip:cameoCode "161" ;
      dip:date "1959-01-01"^^xsd:date ; dip:datePrecision dip:YearPrecision ;
      dip:participant <state/cub> , <state/kor> ;
      prov:wasDerivedFrom {STORY} .
}}""",
    "4-cuba-north-korea-relations-since-1960": f"""
ASK {{
  <relation/cub-prk-1960> a dip:DiplomaticRelation ;
      dip:party <state/cub> , <state/prk> ;
      dip:startDate "1960-01-01"^^xsd:date ; dip:startPrecision dip:YearPrecision ;
      dip:establishedBy <event/cub-prk-establishment-1960> ;
      prov:qualifiedDerivation [ prov:entity {STORY} ; dip:evidenceQuote ?quote ] ;
      prov:wasDerivedFrom {STORY} .
  <event/cub-prk-establishment-1960> a dip:EstablishmentOfRelations ;
      dip:cameoCode "057" ;
      dip:date "1960-01-01"^^xsd:date ; dip:datePrecision dip:YearPrecision ;
      prov:wasDerivedFrom {STORY} .
  FILTER NOT EXISTS {{ <relation/cub-prk-1960> dip:endDate ?end }}
}}""",
    "5-fidel-castro-endorses-kim-il-sung-there-is-only-one-chosun": f"""
ASK {{
  ?visit a dip:Visit ;
      dip:cameoCode "042" ;
      dip:agent <person/fidel-castro> ; dip:host <state/prk> ;
      skos:editorialNote ?no_date_note ;
      prov:wasDerivedFrom {STORY} .
  FILTER NOT EXISTS {{ ?visit dip:date ?some_date }}
  ?endorsement a dip:Endorsement ;
      dip:cameoCode "051" ;
      dip:agent <person/fidel-castro> ; dip:target <person/kim-il-sung> ;
      dip:partOf ?visit ;
      prov:wasDerivedFrom {STORY} .
  <quote/there-is-only-one-chosun> a dip:Quote ;
      dip:text "There is only one Chosun."@en ;
      dip:speaker <person/fidel-castro> ;
      dip:about <state/prk> , <state/kor> ;
      dip:utteredDuring ?visit ;
      prov:wasDerivedFrom {STORY} .
  ?term a dip:OfficeTerm ;
      dip:holder <person/fidel-castro> ; dip:office <office/leader-of-cuba> ;
      prov:wasDerivedFrom {STORY} .
  <office/leader-of-cuba> dip:officeKind dip:Leader .
  <state/prk> dip:foundedBy <person/kim-il-sung> .
  <person/fidel-castro> a dip:Person ; prov:wasDerivedFrom {STORY} .
  <person/kim-il-sung> a dip:Person ; prov:wasDerivedFrom {STORY} .
}}""",
    "6-diaz-canel-visits-pyongyang-and-meets-kim-jong-un-2018-11": f"""
ASK {{
  <event/diaz-canel-visit-to-prk-2018-11> a dip:Visit ;
      dip:cameoCode "042" ;
      dip:date "2018-11-01"^^xsd:date ; dip:datePrecision dip:MonthPrecision ;
      dip:agent <person/diaz-canel> ; dip:host <state/prk> ;
      dip:place <place/pyongyang> ;
      prov:wasDerivedFrom {STORY} , <source/rodong-sinmun-photo-2018-11> .
  <event/diaz-canel-kim-jong-un-meeting-2018-11> a dip:Meeting ;
      dip:partOf <event/diaz-canel-visit-to-prk-2018-11> ;
      dip:participant <person/diaz-canel> , <person/kim-jong-un> ;
      prov:wasDerivedFrom {STORY} , <source/rodong-sinmun-photo-2018-11> .
  <place/pyongyang> a dip:City ; dip:country <state/prk> .
  [] a dip:OfficeTerm ; dip:holder <person/diaz-canel> ; dip:office ?president ;
     prov:wasDerivedFrom {STORY} .
  ?president dip:officeKind dip:HeadOfState ; dip:country <state/cub> .
  [] a dip:OfficeTerm ; dip:holder <person/kim-jong-un> ; dip:office <office/leader-of-prk> ;
     prov:wasDerivedFrom {STORY} .
  <office/leader-of-prk> dip:officeKind dip:Leader ; dip:country <state/prk> .
  <source/rodong-sinmun-photo-2018-11> a schema:Photograph , dip:SourceDocument ;
      schema:publisher <organization/rodong-sinmun> .
  <organization/rodong-sinmun> rdfs:label "Rodong Sinmun"@en ;
      skos:altLabel "Nodong Sinmun"@en .
}}""",
    "7-cuba-boycotts-the-1988-seoul-olympics-siding-with-north-korea": f"""
ASK {{
  <event/cub-boycott-seoul-olympics-1988> a dip:Boycott ;
      dip:cameoCode "163" ;
      dip:date "1988-01-01"^^xsd:date ; dip:datePrecision dip:YearPrecision ;
      dip:agent <state/cub> ;
      dip:target <event/seoul-olympics-1988> ;
      dip:inSupportOf <state/prk> ;
      prov:wasDerivedFrom {STORY} .
  <event/seoul-olympics-1988> a dip:Event ;
      dip:date "1988-01-01"^^xsd:date ; dip:datePrecision dip:YearPrecision ;
      dip:place <place/seoul> ;
      prov:wasDerivedFrom {STORY} .
  <place/seoul> a dip:City ; dip:country <state/kor> .
}}""",
    "8-communist-cuba-brotherly-ties-shared-rhetoric-castros-and-kims": f"""
ASK {{
  [] a dip:PoliticalSystemAttribution ;
      dip:state <state/cub> ; dip:politicalSystem dip:CommunistState ;
      dip:distinction "the only communist country in the Western Hemisphere"@en ;
      dip:knownActiveOn "2024-02-15"^^xsd:date ;
      dip:attributedBy <organization/seed-story-newsroom> ;
      prov:wasDerivedFrom {STORY} .
  ?brotherly a dip:AttributedTie ;
      dip:tieKind dip:BrotherlyTies ; dip:party <state/cub> , <state/prk> ;
      dip:periodDescription "half a century"@en ;
      prov:wasDerivedFrom {STORY} .
  [] a dip:AttributedTie ;
      dip:tieKind dip:SharedRhetoric ; dip:party <state/cub> , <state/prk> ;
      prov:wasDerivedFrom {STORY} .
  [] a dip:AttributedTie ;
      dip:tieKind dip:StrongTies ;
      dip:party <person/fidel-castro> , <person/raul-castro> , <family/kim-family> ;
      prov:wasDerivedFrom {STORY} .
  <person/fidel-castro> dip:sibling <person/raul-castro> .
  <family/kim-family> a dip:Family .
  [] a dip:Claim ;
      dip:about ?brotherly , <state/cub> , <state/prk> ;
      dip:text ?not_the_same ;
      prov:wasDerivedFrom {STORY} .
  FILTER (CONTAINS(STR(?not_the_same), "not been the same"))
}}""",
    "9-unnamed-diplomatic-source-on-russia-china-ally-old-friend": f"""
ASK {{
  <person/unnamed-diplomatic-source> rdfs:label "a diplomatic source (unnamed)"@en .
  [] a dip:AttributedTie ; dip:tieKind dip:StrongTies ; dip:party <state/prk> , <state/rus> ;
     dip:attributedBy <person/unnamed-diplomatic-source> ; prov:wasDerivedFrom {STORY} .
  [] a dip:AttributedTie ; dip:tieKind dip:StrongTies ; dip:party <state/prk> , <state/chn> ;
     dip:attributedBy <person/unnamed-diplomatic-source> ; prov:wasDerivedFrom {STORY} .
  [] a dip:AttributedTie ; dip:tieKind dip:Ally ; dip:party <state/cub> , <state/prk> ;
     dip:attributedBy <person/unnamed-diplomatic-source> ; prov:wasDerivedFrom {STORY} .
  [] a dip:AttributedTie ; dip:tieKind dip:OldFriend ; dip:party <state/cub> , <state/prk> ;
     dip:attributedBy <person/unnamed-diplomatic-source> ; prov:wasDerivedFrom {STORY} .
  [] a dip:Quote ;
     dip:text "It is significant that we have turned an old friend of North Korea to our side."@en ;
     dip:speaker <person/unnamed-diplomatic-source> ;
     prov:wasDerivedFrom {STORY} .
}}""",
    "10-south-korean-foreign-ministry-statement-and-its-quotes": f"""
ASK {{
  <organization/kor-ministry-of-foreign-affairs> a dip:Organization ;
      dip:country <state/kor> .
  ?statement a dip:Statement ;
      dip:cameoCode "010" ;
      dip:agent <organization/kor-ministry-of-foreign-affairs> ;
      dip:date "2024-02-15"^^xsd:date ; dip:datePrecision dip:DayPrecision ;
      prov:wasDerivedFrom {STORY} .
  ?turning_point a dip:Quote ;
      dip:speaker <organization/kor-ministry-of-foreign-affairs> ;
      dip:utteredDuring ?statement ; dip:text ?turning_point_text ;
      prov:wasDerivedFrom {STORY} .
  ?foundation a dip:Quote ;
      dip:speaker <organization/kor-ministry-of-foreign-affairs> ;
      dip:utteredDuring ?statement ; dip:text ?foundation_text ;
      prov:wasDerivedFrom {STORY} .
  FILTER (CONTAINS(STR(?turning_point_text), "turning point")
          && CONTAINS(STR(?turning_point_text), "Central and South America"))
  FILTER (CONTAINS(STR(?foundation_text), "institutional foundation")
          && CONTAINS(STR(?foundation_text), "South Korean businesses")
          && CONTAINS(STR(?foundation_text), "consular"))
}}""",
    "11-years-of-south-korean-diplomacy-and-growing-exchanges-with-cuba": f"""
ASK {{
  [] a dip:Claim ;
     dip:speaker <organization/seed-story-newsroom> ;
     dip:about <state/kor> , <state/cub> , <relation/cub-kor-2024> ;
     dip:text ?stepped_up ; dip:date "2024-02-15"^^xsd:date ;
     prov:wasDerivedFrom {STORY} .
  [] a dip:Claim ;
     dip:speaker <organization/seed-story-newsroom> ;
     dip:about <state/kor> , <state/cub> , <relation/cub-kor-2024> ;
     dip:text ?exchanges ; dip:date "2024-02-15"^^xsd:date ;
     prov:wasDerivedFrom {STORY} .
  FILTER (CONTAINS(STR(?stepped_up), "stepped up its diplomacy toward Cuba for years"))
  FILTER (CONTAINS(STR(?exchanges), "economic and cultural exchanges")
          && CONTAINS(STR(?exchanges), "steadily increased"))
}}""",
    "inter-korean-special-relationship-1991": """
ASK {
  <relation/kor-prk-special-1991> a dip:SpecialRelationship ;
      dip:party <state/kor> , <state/prk> ;
      dip:startDate "1991-01-01"^^xsd:date ; dip:startPrecision dip:YearPrecision ;
      skos:editorialNote ?special_interim ;
      prov:wasDerivedFrom <source/inter-korean-basic-agreement-1991> .
  <source/inter-korean-basic-agreement-1991> a schema:Legislation , dip:SourceDocument ;
      schema:name "Inter-Korean Basic Agreement"@en ;
      dip:date "1991-01-01"^^xsd:date ; dip:datePrecision dip:YearPrecision .
  FILTER NOT EXISTS { ?relation a dip:DiplomaticRelation ; dip:party <state/kor> , <state/prk> }
  FILTER (CONTAINS(STR(?special_interim), "special interim"))
}""",
}


@pytest.fixture(scope="module")
def graph(curated_graph: Graph) -> Graph:
    return curated_graph


def ask(graph: Graph, body: str) -> bool:
    query = f"{sparql_prefix_block()}BASE <{ID}>\n{body}"
    return bool(graph.query(query).askAnswer)


@pytest.mark.parametrize(("fact", "query"), FACTS.items(), ids=list(FACTS))
def test_seed_story_fact_with_its_sources(graph: Graph, fact: str, query: str) -> None:
    assert ask(graph, query), (
        f"fact {fact!r} of the seed story is missing or lacks its source: "
        "see data/seed-story.ttl (and the lead's generated data/kor-relations.ttl, data/states.ttl)"
    )


def test_the_fact_asks_can_fail(graph: Graph) -> None:
    # Guards against an ASK that is true whatever the data: a wrong date must be refused.
    wrong = FACTS["7-cuba-boycotts-the-1988-seoul-olympics-siding-with-north-korea"].replace(
        '"1988-01-01"', '"1984-01-01"'
    )
    assert not ask(graph, wrong)


def test_every_fact_needs_the_hand_curated_files() -> None:
    # Each ASK must test something these files add, not only what generated files hold.
    others = [path for path in paths.curated_files() if path.name not in CURATED_BY_HAND]
    without = load_graph([paths.ONTOLOGY_FILE, *others])
    true_anyway = [fact for fact, query in FACTS.items() if ask(without, query)]
    assert not true_anyway, f"these ASKs hold without the seed-story data: {true_anyway}"


def data_files() -> list[Path]:
    files = paths.curated_files()
    assert files, f"no data files found in {paths.DATA_DIR}"
    return files


def test_hand_curated_files_exist() -> None:
    names = {path.name for path in data_files()}
    missing = [name for name in CURATED_BY_HAND if name not in names]
    assert not missing, f"missing hand-curated data files in {paths.DATA_DIR}: {missing}"


def hand_curated_subjects() -> dict[URIRef, str]:
    """Map each IRI that a hand-curated file describes to that file's name."""
    subjects: dict[URIRef, str] = {}
    for name in CURATED_BY_HAND:
        for subject in parse_turtle_file(paths.DATA_DIR / name).subjects():
            if isinstance(subject, URIRef):
                subjects.setdefault(subject, name)
    assert subjects, "the hand-curated files describe nothing"
    return subjects


def test_hand_curated_nodes_have_an_english_label(graph: Graph) -> None:
    unlabelled = [
        f"{iri} ({name})"
        for iri, name in hand_curated_subjects().items()
        if not any(
            isinstance(label, Literal) and label.language == "en"
            for label in graph.objects(iri, RDFS.label)
        )
    ]
    assert not unlabelled, f'add rdfs:label "…"@en to: {unlabelled}'


def test_hand_curated_facts_have_a_source(graph: Graph) -> None:
    kinds_needing_a_source = (
        "relation",
        "event",
        "quote",
        "claim",
        "tie",
        "office-term",
        "date-assertion",
        "political-system-attribution",
        "membership",
    )
    unsourced = [
        f"{iri} ({name})"
        for iri, name in hand_curated_subjects().items()
        if str(iri).removeprefix(str(ID)).split("/")[0] in kinds_needing_a_source
        and graph.value(iri, PROV.wasDerivedFrom) is None
    ]
    assert not unsourced, f"add prov:wasDerivedFrom <id/source/…> to: {unsourced}"


def test_hand_curated_files_make_no_wikidata_links() -> None:
    # No QID for a person, city or organisation is confirmed by the reference files.
    linked = [
        f"{subject} ({name})"
        for name in CURATED_BY_HAND
        for subject in parse_turtle_file(paths.DATA_DIR / name).subjects(OWL.sameAs, None)
    ]
    assert not linked, f"remove owl:sameAs (no reference file confirms the QID): {linked}"


def test_hand_curated_quotes_sit_on_the_derivation_from_their_one_source() -> None:
    # A quote belongs to one (fact, source) pair: never on the fact, never with two sources.
    wrong = []
    for name in (*CURATED_BY_HAND, "claims.ttl"):
        data = parse_turtle_file(paths.DATA_DIR / name)
        for prop in (DIP.evidenceQuote, DIP.sourceLocator):
            for subject in data.subjects(prop, None):
                sources = list(data.objects(subject, PROV.entity))
                if (subject, RDF.type, PROV.Derivation) not in data or len(sources) != 1:
                    wrong.append(f"{subject} ({name})")
    assert not wrong, (
        "give each dip:evidenceQuote / dip:sourceLocator on a prov:Derivation naming its one "
        f"source (prov:qualifiedDerivation [ prov:entity <source> ; … ]): {sorted(set(wrong))}"
    )


def test_hand_curated_sources_have_a_url_or_say_why_not() -> None:
    without = []
    for name in CURATED_BY_HAND:
        data = parse_turtle_file(paths.DATA_DIR / name)
        for source in data.subjects(RDF.type, DIP.SourceDocument):
            if (source, SCHEMA.url, None) not in data and (
                source,
                DIP.noUrlReason,
                None,
            ) not in data:
                without.append(f"{source} ({name})")
    assert without == [], f"add schema:url (from a page found) or dip:noUrlReason to: {without}"
