"""The transparent rule baseline: gazetteers, value patterns and nearest-context linking.

It stays in the product for three reasons: it needs no model (works anywhere, instantly), it
labels unlabelled news for weak supervision, and it is the bar every model must beat.
"""
from __future__ import annotations

import bisect
import re
from typing import Any, Sequence

from .assemble import Link, Span, assemble, clean_spans
from .text import normalize, sentence_spans
from .types import Extraction

#: A period introduced by these words is a comparison period, not the value's own period.
_COMPARISON = re.compile(r"(?:نسبت\s+به|مقایسه\s+با|در\s+مقایسه\s+با|مشابه)\s*(?:\S+\s+){0,2}$")
#: How far (characters) a country or product may sit from a value in the same sentence.
_NEAR = 60


def find_spans(text: str) -> list[Span]:
    """Candidate spans on ``text`` (original offsets), overlaps not yet resolved."""
    from .gazetteer import find_countries, find_officials, find_products, find_provinces
    from .patterns import find_values

    norm = normalize(text)
    spans: list[Span] = []
    # Values first and with the highest priority: a quantity's unit beats a product word inside it.
    for s, e, label in find_values(norm.text):
        spans.append((*norm.to_original(s, e), label, 0.9))
    for finder, label, score in (
        (find_provinces, "PROVINCE", 0.8),
        (find_countries, "COUNTRY", 0.8),
        (find_officials, "OFFICIAL", 0.7),
        (find_products, "PRODUCT", 0.6),
    ):
        for s, e, _ in finder(norm.text):
            spans.append((*norm.to_original(s, e), label, score))
    return spans


def _sentence_index(bounds: list[int], pos: int) -> int:
    return max(0, bisect.bisect_right(bounds, pos) - 1)


def link(text: str, spans: Sequence[Span]) -> list[Link]:
    """Nearest-context links, following ANNOTATION.md's "which mention" rules.

    Period: in the value's sentence, the nearest non-comparison period (preceding first), else
    the last one in the two sentences before (anaphors like «این مدت» point back). Province:
    in the value's sentence, else the nearest preceding mention in the article, else the first
    following one. Country and product: only in the value's sentence and close to it.
    Linear in the number of spans (per-sentence buckets), so megabyte documents stay fast.
    """
    sents = sentence_spans(text) or [(0, len(text))]
    bounds = [s for s, _ in sents]
    order = sorted(range(len(spans)), key=lambda i: spans[i][0])
    sent_of = {i: _sentence_index(bounds, spans[i][0]) for i in order}
    buckets: dict[tuple[int, str], list[int]] = {}
    provinces: list[int] = []
    for i in order:
        label = spans[i][2]
        if label == "PERIOD" and _COMPARISON.search(text[max(0, spans[i][0] - 40) : spans[i][0]]):
            continue
        buckets.setdefault((sent_of[i], label), []).append(i)
        if label == "PROVINCE":
            provinces.append(i)
    province_starts = [spans[i][0] for i in provinces]
    links: list[Link] = []
    for v in order:
        vs, ve, vlab, _ = spans[v]
        if vlab not in ("MONEY", "QUANTITY", "PERCENT"):
            continue
        sv = sent_of[v]
        for tail_label in ("PERIOD", "PROVINCE", "COUNTRY", "PRODUCT"):
            same = buckets.get((sv, tail_label), [])
            chosen: list[int] = []
            if tail_label in ("COUNTRY", "PRODUCT"):
                near = [i for i in same if abs(spans[i][0] - vs) <= _NEAR or abs(spans[i][1] - ve) <= _NEAR]
                # coordinated lists («عراق، ترکیه و افغانستان») link all of their members
                chosen = near if tail_label == "COUNTRY" else near[:3]
            elif same:
                before = [i for i in same if spans[i][1] <= vs]
                chosen = [before[-1] if before else min(same, key=lambda i: spans[i][0] - ve)]
            elif tail_label == "PERIOD":
                for prev in (sv - 1, sv - 2):
                    recent = buckets.get((prev, "PERIOD"))
                    if recent:
                        chosen = recent[-1:]
                        break
            elif provinces:
                k = bisect.bisect_right(province_starts, vs) - 1
                chosen = [provinces[k]] if k >= 0 else [provinces[0]]
            links.extend((v, t, 0.5) for t in chosen)
    return links


class RuleExtractor:
    """Rule-based backend with the same interface as the neural one."""

    backend = "rules"

    def extract(self, text: str, published: Any = None) -> Extraction:
        spans = clean_spans(text, find_spans(text))
        return assemble(text, spans, link(text, spans), published)

    def extract_batch(self, texts: Sequence[str], published: Any = None, **_: Any) -> list[Extraction]:
        pubs = published if isinstance(published, (list, tuple)) else [published] * len(texts)
        return [self.extract(t, p) for t, p in zip(texts, pubs)]
