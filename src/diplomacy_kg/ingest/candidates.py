"""Candidate facts: the model, and their JSON and table forms."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from typing import Any

KINDS = (
    "establishment",
    "restoration",
    "severance",
    "suspension",
    "exchange_of_notes",
    "recognition",
    "agreement",
    "joint_communique",
    "joint_statement",
    "negotiation",
    "visit",
    "state_visit",
    "meeting",
    "boycott",
    "attendance",
    "statement",
    "quote",
    "claim",
    "role",
    "intent",
    "incident",
)
# Relation events and encounters: the kinds the recall/precision targets are set for.
EVENT_KINDS = KINDS[: KINDS.index("attendance") + 1]
SYMMETRIC = {
    "establishment",
    "restoration",
    "severance",
    "suspension",
    "exchange_of_notes",
    "agreement",
    "joint_communique",
    "joint_statement",
    "negotiation",
    "meeting",
}


@dataclass
class Party:
    """A subject or object as written, and the entity it resolves to (or the candidates)."""

    text: str
    iri: str | None = None
    label: str | None = None
    candidates: list[dict[str, str]] = field(default_factory=list)
    how: str | None = None

    def as_dict(self) -> dict[str, Any]:
        """Return the JSON form."""
        return {
            "text": self.text,
            "iri": self.iri,
            "label": self.label,
            "candidates": self.candidates,
            "resolved_by": self.how,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> Party | None:
        """Read the JSON form back."""
        if data is None:
            return None
        return cls(
            data.get("text", ""),
            data.get("iri"),
            data.get("label"),
            list(data.get("candidates", [])),
            data.get("resolved_by"),
        )


@dataclass
class DateValue:
    """A candidate's date with its precision, and whether it came from a relative expression."""

    value: str  # YYYY, YYYY-MM, YYYY-MM-DD, or start/end
    precision: str
    relative: bool
    text: str | None  # the expression it was read from; None when it is the story's date

    def as_dict(self) -> dict[str, Any]:
        """Return the JSON form."""
        return asdict(self)


@dataclass
class Candidate:
    """A proposed fact with the exact span of text it rests on."""

    kind: str
    subject: Party | None
    object: Party | None
    date: DateValue | None
    evidence: str
    start: int
    end: int
    confidence: float
    rule: str
    place: Party | None = None
    extra: dict[str, str] = field(default_factory=dict)
    id: str = ""
    status: str = "proposed"
    reason: str | None = None
    edits: list[dict[str, str]] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.id:
            self.id = candidate_id(self.kind, self.start, self.end, self.subject, self.object)

    def as_dict(self) -> dict[str, Any]:
        """Return the JSON form."""
        data: dict[str, Any] = {
            "id": self.id,
            "kind": self.kind,
            "status": self.status,
            "subject": self.subject.as_dict() if self.subject else None,
            "object": self.object.as_dict() if self.object else None,
            "date": self.date.as_dict() if self.date else None,
            "place": self.place.as_dict() if self.place else None,
            "evidence": {"text": self.evidence, "start": self.start, "end": self.end},
            "confidence": self.confidence,
            "rule": self.rule,
        }
        if self.extra:
            data["extra"] = dict(self.extra)
        if self.reason is not None:
            data["reason"] = self.reason
        if self.edits:
            data["edits"] = list(self.edits)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Candidate:
        """Read the JSON form back."""
        date = data.get("date")
        evidence = data["evidence"]
        return cls(
            kind=data["kind"],
            subject=Party.from_dict(data.get("subject")),
            object=Party.from_dict(data.get("object")),
            date=DateValue(**date) if date else None,
            evidence=evidence["text"],
            start=int(evidence["start"]),
            end=int(evidence["end"]),
            confidence=float(data.get("confidence", 0.5)),
            rule=data.get("rule", ""),
            place=Party.from_dict(data.get("place")),
            extra=dict(data.get("extra", {})),
            id=data["id"],
            status=data.get("status", "proposed"),
            reason=data.get("reason"),
            edits=list(data.get("edits", [])),
        )


def candidate_id(kind: str, start: int, end: int, subject: Party | None, obj: Party | None) -> str:
    """Return a short id that stays the same when the same story is ingested again."""
    key = f"{kind}:{start}:{end}:{subject.text if subject else ''}:{obj.text if obj else ''}"
    return "c" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:6]


def to_json(source: dict[str, Any], candidates: list[Candidate]) -> str:
    """Return `{"source": {...}, "candidates": [...]}` as indented JSON."""
    document = {"source": source, "candidates": [c.as_dict() for c in candidates]}
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def _party_cell(party: Party | None) -> str:
    if party is None:
        return ""
    if party.iri:
        return f"{party.text} → {party.iri}"
    if party.how in {"new person", "new organization", "new event"}:
        return f"{party.text} → {party.how}"
    if party.candidates:
        return f"{party.text} → ? ({', '.join(c['iri'] for c in party.candidates)})"
    return f"{party.text} → ?"


def to_table(candidates: list[Candidate]) -> str:
    """Return a plain-text table: one candidate per block, with its evidence and offsets."""
    lines = []
    for candidate in candidates:
        date = candidate.date.value if candidate.date else "-"
        if candidate.date and candidate.date.relative:
            date += f" (from {candidate.date.text!r})"
        head = f"{candidate.id}  {candidate.kind:<16} {candidate.status:<9} {date}"
        lines.append(head)
        lines.append(f"    subject: {_party_cell(candidate.subject)}")
        if candidate.object is not None:
            lines.append(f"    object:  {_party_cell(candidate.object)}")
        if candidate.place is not None:
            lines.append(f"    place:   {_party_cell(candidate.place)}")
        for key, value in sorted(candidate.extra.items()):
            if value != candidate.evidence:
                lines.append(f"    {key}: {value}")
        lines.append(
            f"    evidence [{candidate.start}:{candidate.end}]: {candidate.evidence!r}"
            f"  ({candidate.rule}, {candidate.confidence:.2f})"
        )
        if candidate.reason:
            lines.append(f"    reason: {candidate.reason}")
    return "\n".join(lines) + ("\n" if lines else "")
