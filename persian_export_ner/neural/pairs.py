"""Candidate (value, target) pairs and the position features the relation head sees.

The guide links a value to the province named sentences earlier or in the headline, to the
*nearest preceding* mention, and to what its own clause names. Subword states alone do not
tell the head how far apart two mentions are or whether another mention of the same label
sits in between, so these are given to it explicitly as small categorical features. The same
function serves training (gold spans) and inference (predicted spans), so they cannot drift.
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass
from typing import Sequence

from persian_export_ner.labels import ENTITY_LABELS, RELATION_TAILS, relation_allowed

TAIL_LABELS: tuple[str, ...] = tuple(RELATION_TAILS.values())
_TOKEN_BUCKETS = (0, 1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64, 96, 128, 192, 256, 512)
#: Number of values each feature can take, in feature order (the head sizes its embeddings by it).
FEATURE_SIZES: tuple[int, ...] = (
    len(TAIL_LABELS),  # relation type (by tail label)
    2 * len(_TOKEN_BUCKETS) + 1,  # signed token distance bucket
    11,  # signed sentence distance, clipped to ±5
    2,  # tail in the first line (headline)
    2,  # tail is the nearest preceding mention of its label
    2,  # tail is the nearest following mention of its label
    5,  # same-label mentions strictly between head and tail (0..4+)
    2,  # head and tail in the same sentence
)


@dataclass(frozen=True)
class SpanRef:
    """What pairing needs to know of an entity: its tokens, label, character start and sentence."""

    tok_start: int
    tok_end: int
    label: str
    start: int
    sentence: int


def sentence_index(sentence_starts: Sequence[int], char: int) -> int:
    """Index of the sentence containing ``char`` given the sorted sentence start offsets."""
    return max(0, bisect.bisect_right(sentence_starts, char) - 1)


def _bucket(d: int) -> int:
    mag = bisect.bisect_right(_TOKEN_BUCKETS, abs(d)) - 1
    return len(_TOKEN_BUCKETS) + (mag + 1 if d > 0 else -(mag + 1) if d < 0 else 0)


def candidate_pairs(spans: Sequence[SpanRef], first_line_end: int) -> tuple[list[tuple[int, int]], list[list[int]]]:
    """All (value, target) index pairs the guide allows, with one feature row per pair."""
    by_label: dict[str, list[int]] = {}
    for i, s in enumerate(spans):
        by_label.setdefault(s.label, []).append(i)
    pairs: list[tuple[int, int]] = []
    feats: list[list[int]] = []
    for h, head in enumerate(spans):
        for tail_label in TAIL_LABELS:
            if relation_allowed(head.label, tail_label) is None:
                continue
            same = by_label.get(tail_label, [])
            before = [t for t in same if spans[t].tok_start < head.tok_start]
            after = [t for t in same if spans[t].tok_start > head.tok_start]
            nearest_before = before[-1] if before else None
            nearest_after = after[0] if after else None
            for t in same:
                pairs.append((h, t))
                feats.append(_features(spans, h, t, same, nearest_before, nearest_after, first_line_end))
    return pairs, feats


def _features(spans, h, t, same, nearest_before, nearest_after, first_line_end) -> list[int]:
    head, tail = spans[h], spans[t]
    lo, hi = sorted((head.tok_start, tail.tok_start))
    between = sum(1 for o in same if o != t and lo < spans[o].tok_start < hi)
    sent = max(-5, min(5, tail.sentence - head.sentence)) + 5
    return [
        TAIL_LABELS.index(tail.label),
        _bucket(tail.tok_start - head.tok_start),
        sent,
        int(tail.start < first_line_end),
        int(t == nearest_before),
        int(t == nearest_after),
        min(between, 4),
        int(tail.sentence == head.sentence),
    ]


def label_index(label: str) -> int:
    return ENTITY_LABELS.index(label)


def span_refs(text: str, spans: Sequence[tuple[int, int, str, int]]) -> tuple[list[SpanRef], int]:
    """SpanRefs for ``(tok_start, tok_end, label, char_start)`` spans of ``text``, and where its
    first line (the headline) ends."""
    from persian_export_ner.text import sentence_spans

    starts = [s for s, _ in sentence_spans(text)]
    stripped = text.lstrip()
    lead = len(text) - len(stripped)
    newline = stripped.find("\n")
    first_line_end = lead + newline if newline >= 0 else len(text)
    refs = [SpanRef(a, b, label, c, sentence_index(starts, c)) for a, b, label, c in spans]
    return refs, first_line_end
