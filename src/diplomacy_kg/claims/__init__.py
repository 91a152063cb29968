"""Claim checking: each claim's checks run against the graph as of a date, with evidence.

A claim (`dip:Claim`) has zero or more checks (`dip:ClaimCheck`). A check names a stored query
(`queries/<name>.rq`), its parameters (`"$claim-date"` stands for the claim's own date), optional
row conditions (only rows whose column holds the given value count), a column, an expectation
(`dip:Equals`, `dip:Includes`, `dip:Excludes`, `dip:IsEmpty`, `dip:CountEquals`) and expected
values. Expected values and row conditions are written like parameter values and read by the
type of the column's values: an entity by ISO code, QID, CURIE or IRI; a date as YYYY, YYYY-MM
or YYYY-MM-DD, compared at the coarser of its own and the row's precision (a claim "in 1949"
matches a relation that began on any day of 1949, and a start known only as 1949 matches any
date in 1949); a number; otherwise the exact text.

Verdict rules:
- Each check runs its stored query once per run (one engine for every claim), as of the claim's
  date, or the date given with `as_of`, and is then said to *hold*, to *fail*, or to be
  *undecided*.
- A check is undecided when the data cannot decide it: the query or a value cannot be resolved
  (an unknown name, a query error), a `"$claim-date"` parameter has no date to take, or the check
  fails only by absence (a value missing, too few rows) while the missing fact could hide in
  undated data: a compared row has no start date (only a day it was known active), or a
  relationship or membership of the states involved is known only from a day after the as-of
  date (`dip:knownActiveOn` without `dip:startDate`), so the graph cannot say whether it held.
- A claim is *contradicted* when any check fails, *undetermined* when none fails but one is
  undecided (or the claim has no check), and *supported* when every check holds.
- A supported claim is *asserted* instead when every source its evidence rests on is one of the
  claim's own sources: the graph repeats the claim but does not confirm it independently.
- Notes say when a verdict rests on undated data (relations known only to be active from a day,
  with no start date) or on dates known only to the year or month, and when the as-of date is
  not the claim's own date.

The package: `model` (claims, checks, outcomes, reviews), `loading` (reading claims from the
graph), `expectations` (one class per expectation), `checker` (running checks), `dating`
(undated data and imprecise dates, read through the stored queries' `#+ roles:`), `evidence`
(evidence rows, sources and labels), `render` (table, JSON, ClaimReview JSON-LD) and
`authoring` (`claims add`).
"""

from diplomacy_kg.claims.authoring import AddedClaim, NewClaim, add_claim, build_claim, slugify
from diplomacy_kg.claims.checker import Checker, check_claims
from diplomacy_kg.claims.loading import load_claims, select_claims
from diplomacy_kg.claims.model import (
    ASSERTED,
    CLAIM_DATE,
    CLAIMS_FILE,
    CONTRADICTED,
    EXPECTATIONS,
    FAILS,
    HOLDS,
    PROJECT,
    PROJECT_NAME,
    SUPPORTED,
    UNDECIDED,
    UNDETERMINED,
    VERDICTS,
    Check,
    CheckOutcome,
    CheckRun,
    Claim,
    ClaimError,
    EvidenceRow,
    Review,
    Source,
)
from diplomacy_kg.claims.render import (
    REVIEW_CONTEXT,
    dump_jsonld,
    dump_plain_json,
    format_table,
    review_body,
    review_iri,
    to_json,
    to_jsonld,
)

__all__ = [
    "ASSERTED",
    "CLAIMS_FILE",
    "CLAIM_DATE",
    "CONTRADICTED",
    "EXPECTATIONS",
    "FAILS",
    "HOLDS",
    "PROJECT",
    "PROJECT_NAME",
    "REVIEW_CONTEXT",
    "SUPPORTED",
    "UNDECIDED",
    "UNDETERMINED",
    "VERDICTS",
    "AddedClaim",
    "Check",
    "CheckOutcome",
    "CheckRun",
    "Checker",
    "Claim",
    "ClaimError",
    "EvidenceRow",
    "NewClaim",
    "Review",
    "Source",
    "add_claim",
    "build_claim",
    "check_claims",
    "dump_jsonld",
    "dump_plain_json",
    "format_table",
    "load_claims",
    "review_body",
    "review_iri",
    "select_claims",
    "slugify",
    "to_json",
    "to_jsonld",
]
