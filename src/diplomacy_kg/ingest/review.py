"""The review file: a story's candidates with the curator's decisions, kept across reruns.

It is the JSON that `diplomacy-kg ingest --output` writes (`{"source": {...}, "candidates":
[...]}`), each candidate with a `status` (`proposed`, `accepted`, `rejected`), the reason of a
rejection and the curator's edits. Ingesting the same story again keeps every decision and does
not propose a rejected candidate again.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from diplomacy_kg.dates import PartialDate
from diplomacy_kg.errors import DiplomacyKgError
from diplomacy_kg.files import atomic_write_text
from diplomacy_kg.ingest.candidates import KINDS, Candidate, DateValue, Party, to_json
from diplomacy_kg.ingest.gazetteer import Gazetteer

STATUSES = ("proposed", "accepted", "rejected")
EDITABLE = ("date", "subject", "object", "place", "kind", "office", "text")


class ReviewError(DiplomacyKgError):
    """A review file that cannot be read, or a decision that cannot be applied."""


@dataclass
class Review:
    """A story's source description and its candidates."""

    path: Path
    source: dict[str, Any]
    candidates: list[Candidate]

    def get(self, candidate_id: str) -> Candidate:
        """Return the candidate with this id, or raise naming the file."""
        for candidate in self.candidates:
            if candidate.id == candidate_id:
                return candidate
        raise ReviewError(f"{self.path}: no candidate {candidate_id!r}")

    def dump(self) -> str:
        """Return the file's JSON text."""
        return to_json(self.source, self.candidates)

    def save(self) -> None:
        """Write the review file atomically."""
        atomic_write_text(self.path, self.dump())


def load(path: Path) -> Review:
    """Read a review file, with a one-line error naming the file and what is wrong."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as error:
        raise ReviewError(f"{path}: no such review file") from error
    except (OSError, UnicodeDecodeError) as error:
        raise ReviewError(f"{path}: cannot read: {error}") from error
    except json.JSONDecodeError as error:
        raise ReviewError(f"{path}:{error.lineno}: not JSON: {error.msg}") from error
    if not isinstance(data, dict) or "source" not in data or "candidates" not in data:
        raise ReviewError(f"{path}: not a review file (needs 'source' and 'candidates')")
    try:
        candidates = [Candidate.from_dict(item) for item in data["candidates"]]
    except (KeyError, TypeError, ValueError) as error:
        raise ReviewError(f"{path}: a candidate is malformed: {error}") from error
    for candidate in candidates:
        if candidate.status not in STATUSES or candidate.kind not in KINDS:
            raise ReviewError(f"{path}: candidate {candidate.id}: bad status or kind")
    return Review(path, dict(data["source"]), candidates)


def merge(
    existing: Review | None, path: Path, source: dict[str, Any], proposed: list[Candidate]
) -> tuple[Review, int]:
    """Combine a new run with an earlier one's decisions; return it and how many were held back.

    Decided candidates (accepted, rejected, or edited) are kept as they are; a proposal that
    matches a rejected one (same id, or same kind and evidence) is not proposed again.
    """
    if existing is None:
        return Review(path, source, list(proposed)), 0
    kept = [c for c in existing.candidates if c.status != "proposed" or c.edits]
    rejected = [c for c in kept if c.status == "rejected"]

    def matches(candidate: Candidate, group: list[Candidate]) -> bool:
        return any(
            k.id == candidate.id or (k.kind, k.evidence) == (candidate.kind, candidate.evidence)
            for k in group
        )

    held_back = sum(1 for c in proposed if matches(c, rejected))
    fresh = [c for c in proposed if not matches(c, kept)]
    merged = sorted(kept + fresh, key=lambda c: (c.start, c.end, c.kind))
    return Review(path, source, merged), held_back


def decide(
    review: Review, ids: list[str], status: str, reason: str | None = None
) -> list[Candidate]:
    """Set the status of the named candidates (a rejection needs a reason)."""
    if status == "rejected" and not (reason and reason.strip()):
        raise ReviewError("a rejection needs one", field="reason")
    chosen = [review.get(candidate_id) for candidate_id in ids]
    for candidate in chosen:
        candidate.status = status
        candidate.reason = reason.strip() if status == "rejected" and reason else None
    return chosen


def edit(
    review: Review,
    candidate_id: str,
    changes: dict[str, str],
    note: str | None,
    gazetteer: Gazetteer | None = None,
) -> Candidate:
    """Apply the curator's changes to a candidate, recording each one."""
    candidate = review.get(candidate_id)
    for field, value in changes.items():
        if field not in EDITABLE:
            raise ReviewError(f"cannot edit {field!r}; editable: {', '.join(EDITABLE)}")
        old = _current(candidate, field)
        _apply(candidate, field, value, gazetteer)
        record = {"field": field, "old": old or "", "new": value}
        if note:
            record["note"] = note
        candidate.edits.append(record)
    return candidate


def _current(candidate: Candidate, field: str) -> str | None:
    if field == "date":
        return candidate.date.value if candidate.date else None
    if field in {"subject", "object", "place"}:
        party = getattr(candidate, field)
        return None if party is None else (party.iri or party.text)
    if field == "kind":
        return candidate.kind
    return candidate.extra.get(field)


def _apply(candidate: Candidate, field: str, value: str, gazetteer: Gazetteer | None) -> None:
    if field == "date":
        candidate.date = parse_date(value)
    elif field == "kind":
        if value not in KINDS:
            raise ReviewError(f"{value!r} is not one of: {', '.join(KINDS)}", field="kind")
        candidate.kind = value
    elif field in {"subject", "object", "place"}:
        old = getattr(candidate, field)
        setattr(candidate, field, resolve(value, old.text if old else value, gazetteer))
    else:
        candidate.extra[field] = value


def parse_date(value: str) -> DateValue:
    """Read a curator's date: `YYYY`, `YYYY-MM`, `YYYY-MM-DD` or `start/end`."""
    parts = value.split("/")
    try:
        dates = [PartialDate.parse(part) for part in parts]
    except ValueError as error:
        raise ReviewError(f"{value!r}: {error}", field="date") from error
    if len(dates) > 2:
        raise ReviewError(f"{value!r}: at most one '/' (start/end)", field="date")
    precision = dates[0].precision if len(dates) == 1 else "interval"
    return DateValue(value, precision, False, "curator")


def resolve(value: str, text: str, gazetteer: Gazetteer | None) -> Party:
    """Read a resolution: an IRI, an `id:` CURIE, `new-person:NAME` or `new-organization:NAME`."""
    for prefix, how in (("new-person:", "new person"), ("new-organization:", "new organization")):
        if value.startswith(prefix):
            name = value[len(prefix) :].strip()
            if not name:
                raise ReviewError(f"{value!r}: give the name after {prefix}")
            return Party(text, None, name, [], how)
    short = value.removeprefix("id:").removeprefix("https://w3id.org/diplomacy-kg/id/")
    if "/" in short and not short.startswith("http"):
        if gazetteer is not None and short not in gazetteer.entities:
            raise ReviewError(f"{value!r} is not an entity of the graph")
        entity = gazetteer.entities.get(short) if gazetteer else None
        return Party(text, short, entity.label if entity else None, [], "curator")
    if gazetteer is not None:
        found = [m for m in gazetteer.find(value) if m.text == value and m.entity is not None]
        if found:
            entity = found[0].entity
            assert entity is not None
            return Party(text, entity.iri, entity.label, [], "curator")
    raise ReviewError(
        f"{value!r}: give an IRI (e.g. state/kor), new-person:NAME or new-organization:NAME"
    )


def candidate_claim(reference: str) -> dict[str, Any]:
    """Return what `claims add` takes from a `claim` candidate named `REVIEW_FILE#ID`."""
    path, _, candidate_id = reference.rpartition("#")
    if not path or not candidate_id:
        raise ReviewError(f"{reference!r}: give REVIEW_FILE#ID", field="candidate")
    review = load(Path(path))
    candidate = review.get(candidate_id)
    if candidate.kind != "claim":
        raise ReviewError(f"{path}: candidate {candidate_id} is a {candidate.kind}, not a claim")
    story_date = str(review.source.get("date"))
    when = (
        candidate.date.value if candidate.date and "/" not in candidate.date.value else story_date
    )
    about = [f"id:{p.iri}" for p in (candidate.subject, candidate.object) if p and p.iri]
    return {
        "text": candidate.extra.get("text", candidate.evidence),
        "date": when,
        "source": review.source.get("url") or review.source.get("title") or story_date,
        "about": about,
        "evidence_quote": candidate.evidence,
    }
