"""Plain text: sentences and direct quotations, each with its character span in the input."""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Span:
    """A stretch of the input: `text == source[start:end]`."""

    start: int
    end: int
    text: str

    def contains(self, other: Span) -> bool:
        """Return whether `other` lies within this span."""
        return self.start <= other.start and other.end <= self.end


@dataclass(frozen=True)
class Quotation:
    """A direct quotation: the words inside the marks, and the span with the marks."""

    inner: Span
    outer: Span
    marks: str


# Abbreviations whose full stop does not end a sentence.
_ABBREVIATIONS = {
    "mr",
    "mrs",
    "ms",
    "dr",
    "st",
    "jr",
    "sr",
    "gen",
    "col",
    "lt",
    "sgt",
    "prof",
    "rev",
    "hon",
    "no",
    "vs",
    "etc",
    "inc",
    "ltd",
    "co",
    "corp",
    "dept",
    "govt",
    "approx",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
}
_SENTENCE_END = re.compile(r"[.!?](?:[\"'”’“)\]]*)(?=\s+|$)")
_DOTTED = re.compile(r"(?:\b[A-Za-z]\.){2,}$")  # U.S. U.N. D.P.R.K.
_INITIAL = re.compile(r"\b[A-Z]\.$")  # R. in "Joseph R. Biden"


def sentences(text: str) -> list[Span]:
    """Split text into sentences (never across a line break), each with its offsets."""
    spans: list[Span] = []
    for line in re.finditer(r"[^\n]+", text):
        start = line.start()
        chunk = line.group()
        cursor = 0
        for end in _SENTENCE_END.finditer(chunk):
            stop = end.end()
            if not _ends_sentence(chunk, end.start(), stop):
                continue
            _append(spans, text, start + cursor, start + stop)
            cursor = stop
        _append(spans, text, start + cursor, start + len(chunk))
    return spans


def _ends_sentence(chunk: str, dot: int, stop: int) -> bool:
    if chunk[dot] != ".":
        return _next_is_start(chunk, stop)
    before = chunk[: dot + 1]
    word = re.search(r"([A-Za-z]+)\.$", before)
    if word and word.group(1).lower() in _ABBREVIATIONS and stop == dot + 1:
        return False
    if (_DOTTED.search(before) or _INITIAL.search(before)) and stop == dot + 1:
        following = chunk[stop:].lstrip()
        # "the U.S. said" continues; "…with the U.S. The talks" ends before a capitalised word.
        return bool(following) and following[0].isupper() and not _INITIAL.search(before)
    return _next_is_start(chunk, stop)


def _next_is_start(chunk: str, stop: int) -> bool:
    following = chunk[stop:].lstrip()
    return not following or following[0].isupper() or following[0] in "\"“”‘'(["


def _append(spans: list[Span], text: str, start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        spans.append(Span(start, end, text[start:end]))


_DOUBLE = '"“”„«»'
_SINGLE = "'‘’"
_MAX_QUOTE = 1500


def quotations(text: str) -> list[Quotation]:
    """Find direct quotations in every mark style: straight, curly, single, reversed and mixed."""
    found: list[Quotation] = []
    index = 0
    while index < len(text):
        char = text[index]
        if char in _DOUBLE and _opens(text, index):
            close = _find_close(text, index, _DOUBLE)
            if close is not None:
                found.append(_quotation(text, index, close))
                index = close + 1
                continue
        elif char in _SINGLE and _opens(text, index) and _single_opening(text, index):
            close = _find_close(text, index, _SINGLE)
            if close is not None and " " in text[index:close]:
                found.append(_quotation(text, index, close))
                index = close + 1
                continue
        index += 1
    return found


def _opens(text: str, index: int) -> bool:
    before = text[index - 1] if index else " "
    after = text[index + 1] if index + 1 < len(text) else " "
    return (before.isspace() or before in "([—–-:,") and (after.isalnum() or after in "[.…")


def _single_opening(text: str, index: int) -> bool:
    # An apostrophe inside a word ("Korea's") never opens a quotation.
    return index == 0 or not text[index - 1].isalnum()


def _find_close(text: str, opening: int, marks: str) -> int | None:
    limit = min(len(text), opening + _MAX_QUOTE)
    for index in range(opening + 1, limit):
        char = text[index]
        if char == "\n":
            return None
        if char in marks and index > opening + 1:
            after = text[index + 1] if index + 1 < len(text) else " "
            before = text[index - 1]
            if marks == _SINGLE and before.isalpha() and after.isalpha():
                continue  # an apostrophe: don't, Korea's
            if not after.isalnum() and not before.isspace():
                return index
    return None


def _quotation(text: str, opening: int, close: int) -> Quotation:
    inner_start, inner_end = opening + 1, close
    while inner_start < inner_end and text[inner_start].isspace():
        inner_start += 1
    while inner_end > inner_start and text[inner_end - 1].isspace():
        inner_end -= 1
    return Quotation(
        inner=Span(inner_start, inner_end, text[inner_start:inner_end]),
        outer=Span(opening, close + 1, text[opening : close + 1]),
        marks=text[opening] + text[close],
    )
