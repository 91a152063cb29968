"""Score `diplomacy-kg ingest` against the project's gold set (tests/fixtures/ingest/*.json).

Prints precision and recall per kind and overall, and the date and resolution accuracy on the
matched facts. A candidate matches a gold fact of the same kind whose evidence span it overlaps
(one to one); a quote counts for "quote, right speaker" only when its speaker is right too.

    python -m benchmarks.ingest [--json]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from diplomacy_kg.graph import load_graph
from diplomacy_kg.ingest import build_gazetteer, propose
from diplomacy_kg.ingest.candidates import EVENT_KINDS, KINDS, SYMMETRIC, Candidate, Party

GOLD_DIR = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "ingest"
SETS = {
    "development": GOLD_DIR,
    "heldout": GOLD_DIR / "heldout",
    "unseen": GOLD_DIR / "unseen",
    "unseen2": GOLD_DIR / "unseen2",
    "unseen3": GOLD_DIR / "unseen3",
    "unseen4": GOLD_DIR / "unseen4",
}


@dataclass
class Score:
    """Counts for one kind (or a group of kinds)."""

    gold: int = 0
    predicted: int = 0
    matched: int = 0
    dated: int = 0
    date_right: int = 0
    resolved: int = 0
    resolution_right: int = 0

    def add(self, other: Score) -> None:
        """Add another score's counts."""
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def precision(self) -> float | None:
        """Return matched / predicted."""
        return self.matched / self.predicted if self.predicted else None

    def recall(self) -> float | None:
        """Return matched / gold."""
        return self.matched / self.gold if self.gold else None


@dataclass
class Report:
    """Scores per kind, and the quote scores that require the right speaker."""

    kinds: dict[str, Score] = field(default_factory=dict)
    quote_speaker: Score = field(default_factory=Score)
    stories: int = 0


def load_gold(directory: Path = GOLD_DIR) -> list[dict[str, Any]]:
    """Return the gold stories, each with `text` (its spans joined by newlines)."""
    stories = []
    for path in sorted(directory.glob("*.json")):
        story = json.loads(path.read_text(encoding="utf-8"))
        story["text"] = "\n".join(story["spans"])
        for fact in story["facts"]:
            # Evidence that occurs more than once (a phrase repeated) may be matched at any of
            # its occurrences.
            found = [m.start() for m in re.finditer(re.escape(fact["evidence"]), story["text"])]
            if not found:
                raise ValueError(f"{path.name}: evidence not in spans: {fact['evidence']!r}")
            fact["occurrences"] = [(start, start + len(fact["evidence"])) for start in found]
        stories.append(story)
    return stories


def _norm(text: str | None) -> str:
    cleaned = (text or "").lower().replace("’", "'").replace("'s ", " ")
    for prefix in ("the ", "a ", "an "):
        cleaned = cleaned.removeprefix(prefix)
    return " ".join(cleaned.split())


def party_right(gold: dict[str, Any] | None, predicted: Party | None) -> bool:
    """Return whether a predicted party resolves as the gold one does."""
    if gold is None or not gold.get("text"):
        return True
    if predicted is None:
        return False
    if gold.get("iri"):
        return predicted.iri == gold["iri"]
    names = {_norm(predicted.text), _norm(predicted.label)} - {""}
    want = _norm(gold["text"])
    return any(want in name or name in want for name in names) or any(
        want.split()[-1] == name.split()[-1] for name in names
    )


def resolution_right(fact: dict[str, Any], candidate: Candidate) -> bool:
    """Return whether subject and object are right (as an unordered pair for symmetric kinds)."""
    straight = party_right(fact.get("subject"), candidate.subject) and party_right(
        fact.get("object"), candidate.object
    )
    if straight or fact["kind"] not in SYMMETRIC:
        return straight
    return party_right(fact.get("subject"), candidate.object) and party_right(
        fact.get("object"), candidate.subject
    )


def _overlap(fact: dict[str, Any], candidate: Candidate) -> int:
    return max(
        min(end, candidate.end) - max(start, candidate.start) for start, end in fact["occurrences"]
    )


def score_story(story: dict[str, Any], candidates: list[Candidate], report: Report) -> None:
    """Match one story's candidates to its gold facts and add the counts to the report."""
    used: set[int] = set()
    for kind in KINDS:
        report.kinds.setdefault(kind, Score())
    for candidate in candidates:
        report.kinds[candidate.kind].predicted += 1
        if candidate.kind == "quote":
            report.quote_speaker.predicted += 1
    for fact in story["facts"]:
        score = report.kinds[fact["kind"]]
        score.gold += 1
        if fact["kind"] == "quote":
            report.quote_speaker.gold += 1
        options = [
            (index, c)
            for index, c in enumerate(candidates)
            if index not in used and c.kind == fact["kind"] and _overlap(fact, c) > 0
        ]
        if not options:
            continue
        index, best = max(
            options, key=lambda item: (resolution_right(fact, item[1]), _overlap(fact, item[1]))
        )
        used.add(index)
        score.matched += 1
        right = resolution_right(fact, best)
        score.resolved += 1
        score.resolution_right += int(right)
        if fact["kind"] == "quote" and party_right(fact.get("subject"), best.subject):
            report.quote_speaker.matched += 1
        if fact.get("date"):
            score.dated += 1
            score.date_right += int(best.date is not None and best.date.value == fact["date"])


def run(directory: Path = GOLD_DIR) -> Report:
    """Run the extractor over the gold set and score it."""
    gazetteer = build_gazetteer(load_graph())
    report = Report()
    for story in load_gold(directory):
        candidates = propose(story["text"], date.fromisoformat(story["date"]), gazetteer)
        score_story(story, candidates, report)
        report.stories += 1
    return report


def _cell(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def _ratio(right: int, total: int) -> str:
    return "-" if not total else f"{right / total:.2f} ({right}/{total})"


def rows(report: Report) -> list[list[str]]:
    """Return the table rows: per kind, the event group, quotes with speaker, overall."""
    table = []
    events, overall = Score(), Score()
    for kind in KINDS:
        score = report.kinds.get(kind, Score())
        if not (score.gold or score.predicted):
            continue
        table.append(_row(kind, score))
        overall.add(score)
        if kind in EVENT_KINDS:
            events.add(score)
    table.append(_row("events and encounters", events))
    table.append(_row("quote, right speaker", report.quote_speaker))
    table.append(_row("overall", overall))
    return table


def _row(name: str, score: Score) -> list[str]:
    return [
        name,
        str(score.gold),
        str(score.predicted),
        str(score.matched),
        _cell(score.precision()),
        _cell(score.recall()),
        _ratio(score.date_right, score.dated),
        _ratio(score.resolution_right, score.resolved),
    ]


HEADER = [
    "kind",
    "gold",
    "proposed",
    "matched",
    "precision",
    "recall",
    "date right",
    "resolution right",
]


def format_markdown(report: Report) -> str:
    """Return the table as Markdown."""
    lines = ["| " + " | ".join(HEADER) + " |", "|" + "---|" * len(HEADER)]
    lines += ["| " + " | ".join(row) + " |" for row in rows(report)]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Print the table (or JSON) for the gold set."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print the rows as JSON")
    parser.add_argument(
        "--set",
        choices=(*SETS, "all"),
        default="all",
        help="the development set (the stories the rules were written against), the first "
        "held-out stories (looked at since: rules were changed for them), the unseen stories "
        "(four later batches, each scored once as it came), or all of them (default)",
    )
    arguments = parser.parse_args(argv)
    chosen = list(SETS) if arguments.set == "all" else [arguments.set]
    reports = []
    for index, name in enumerate(chosen):
        if index:
            print()
        reports.append(run(SETS[name]))
        _print(name, reports[-1], as_json=arguments.json)
    if len(reports) > 1:
        print()
        _print("whole gold", combined(reports), as_json=arguments.json)
    return 0


def combined(reports: list[Report]) -> Report:
    """Return the counts of several sets added together (the whole gold set)."""
    total = Report()
    for report in reports:
        for kind, score in report.kinds.items():
            total.kinds.setdefault(kind, Score()).add(score)
        total.quote_speaker.add(report.quote_speaker)
        total.stories += report.stories
    return total


def _print(name: str, report: Report, *, as_json: bool) -> None:
    if as_json:
        table = [dict(zip(HEADER, row, strict=True)) for row in rows(report)]
        print(json.dumps({"set": name, "rows": table}, indent=2))
        return
    gold = sum(s.gold for s in report.kinds.values())
    print(f"{name} set: {report.stories} stories, {gold} gold facts")
    print()
    sys.stdout.write(format_markdown(report))


if __name__ == "__main__":
    sys.exit(main())
