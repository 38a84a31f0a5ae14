"""Per-token BIO predictions → entity spans that obey the annotation guide.

A token classifier makes local mistakes the guide forbids: an ``I-`` with no ``B-`` before it,
a label that switches in the middle of a word («دلاری» split into two pieces tagged
differently), a span that stops inside a word. Repairing them here, once, keeps every output
valid whatever the model: spans are whole words, never start or end on punctuation, and never
overlap.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from persian_export_ner.text import snap_to_words


@dataclass(frozen=True)
class SpanPrediction:
    """A decoded entity on the normalized text, with the tokens it covers ``[tok_start, tok_end)``."""

    start: int
    end: int
    label: str
    score: float
    tok_start: int
    tok_end: int


def bio_runs(tags: Sequence[str], offsets: Sequence[tuple[int, int]]) -> list[tuple[int, int, str]]:
    """Token runs ``(first, last_exclusive, label)`` from BIO tags.

    An ``I-X`` that does not continue an ``X`` run starts one (the usual lenient repair).
    Tokens without characters (empty offsets) neither start nor break a run.
    """
    runs: list[tuple[int, int, str]] = []
    cur: list | None = None
    for i, tag in enumerate(tags):
        if offsets[i][0] == offsets[i][1]:
            continue
        kind, _, label = tag.partition("-")
        if kind == "I" and cur is not None and cur[2] == label:
            cur[1] = i + 1
            continue
        if cur is not None:
            runs.append(tuple(cur))
            cur = None
        if kind in ("B", "I"):
            cur = [i, i + 1, label]
    if cur is not None:
        runs.append(tuple(cur))
    return runs


def decode_spans(
    text: str,
    tags: Sequence[str],
    scores: Sequence[float],
    offsets: Sequence[tuple[int, int]],
) -> list[SpanPrediction]:
    """Decode, snap to whole words and resolve overlaps; ``scores`` are per-token confidences."""
    spans = []
    for first, last, label in bio_runs(tags, offsets):
        start, end = snap_to_words(text, offsets[first][0], offsets[last - 1][1])
        if start >= end:
            continue
        conf = sum(scores[first:last]) / (last - first)
        spans.append([start, end, label, conf, last - first])
    merged = _merge_overlaps(spans)
    return [_with_tokens(s, offsets) for s in merged]


def _merge_overlaps(spans: list[list]) -> list[list]:
    """Union overlapping spans (created by snapping a word cut in two); the run with more tokens
    (then the more confident one) names the label."""
    out: list[list] = []
    for span in sorted(spans, key=lambda s: (s[0], s[1])):
        if out and span[0] < out[-1][1]:
            prev = out[-1]
            keep = prev if (prev[4], prev[3]) >= (span[4], span[3]) else span
            n = prev[4] + span[4]
            conf = (prev[3] * prev[4] + span[3] * span[4]) / n
            out[-1] = [prev[0], max(prev[1], span[1]), keep[2], conf, n]
        else:
            out.append(span)
    return out


def _with_tokens(span: list, offsets: Sequence[tuple[int, int]]) -> SpanPrediction:
    start, end = span[0], span[1]
    inside = [i for i, (s, e) in enumerate(offsets) if s < e and s < end and e > start]
    return SpanPrediction(start, end, span[2], float(span[3]), inside[0], inside[-1] + 1)


def token_overlap(offsets: Sequence[tuple[int, int]], start: int, end: int) -> tuple[int, int] | None:
    """Token range ``[first, last)`` of tokens overlapping the character span, or None."""
    inside = [i for i, (s, e) in enumerate(offsets) if s < e and s < end and e > start]
    return (inside[0], inside[-1] + 1) if inside else None
