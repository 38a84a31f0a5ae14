"""The analyst's table: one record per value, with what it is about.

Entities and relations are the means; an economist wants rows of "province, period, flow,
amount, unit, countries, products". Values without a province or period still appear with
those fields empty, so nothing the model found silently disappears from the table.
"""
from __future__ import annotations

import bisect
import re
from functools import lru_cache
from typing import Any, Iterable, Sequence

from .labels import VALUE_LABELS
from .text import normalize, sentence_spans
from .types import Entity, Relation

FACT_FIELDS: tuple[str, ...] = (
    "value_id",
    "label",
    "text",
    "start",
    "end",
    "flow",
    "amount",
    "amount_max",
    "currency",
    "unit",
    "province",
    "province_iso",
    "period",
    "period_start",
    "period_end",
    "period_jalali_start",
    "period_jalali_end",
    "countries",
    "country_isos",
    "products",
    "confidence",
)


@lru_cache(maxsize=1)
def _flow_patterns() -> list[tuple[str, re.Pattern[str]]]:
    from .resources import load_json

    out = []
    for entry in load_json("flows.json")["flows"]:
        words = sorted((normalize(k).text for k in entry["keywords"]), key=len, reverse=True)
        out.append((entry["flow"], re.compile(r"(?<![\w\u200c])(?:" + "|".join(map(re.escape, words)) + r")")))
    return out


def detect_flow(text: str, start: int, end: int, sentences: Sequence[tuple[int, int]] | None = None) -> str:
    """Which flow governs the value at ``[start, end)``: the nearest keyword before it in its
    sentence, else the nearest after it, else "other". Pass ``sentences`` (from
    ``sentence_spans``) when calling for many values of one text."""
    if sentences is None:
        sentences = sentence_spans(text)
    k = bisect.bisect_right(sentences, (start, len(text) + 1)) - 1
    sent = sentences[k] if k >= 0 and sentences[k][0] <= start < sentences[k][1] else (0, len(text))
    before = normalize(text[sent[0] : start]).text
    after = normalize(text[end : sent[1]]).text
    best_before: tuple[int, str] | None = None
    best_after: tuple[int, str] | None = None
    for flow, pattern in _flow_patterns():
        for m in pattern.finditer(before):
            dist = len(before) - m.start()
            if best_before is None or dist < best_before[0]:
                best_before = (dist, flow)
        m = pattern.search(after)
        if m and (best_after is None or m.start() < best_after[0]):
            best_after = (m.start(), flow)
    if best_before is not None:
        return best_before[1]
    if best_after is not None:
        return best_after[1]
    return "other"


def build_facts(text: str, entities: Sequence[Entity], relations: Iterable[Relation]) -> list[dict[str, Any]]:
    """One fact per value entity, in text order."""
    by_id = {e.id: e for e in entities}
    tails: dict[str, list[tuple[Relation, Entity]]] = {}
    for rel in relations:
        if rel.head in by_id and rel.tail in by_id:
            tails.setdefault(rel.head, []).append((rel, by_id[rel.tail]))
    facts = []
    sentences = sentence_spans(text) if any(e.label in VALUE_LABELS for e in entities) else []
    for ent in entities:
        if ent.label not in VALUE_LABELS:
            continue
        links = tails.get(ent.id, [])

        def first(label: str) -> tuple[Relation, Entity] | None:
            found = [x for x in links if x[0].label == label]
            return max(found, key=lambda x: x[0].score) if found else None

        value = ent.value or {}
        province = first("OF_PROVINCE")
        period = first("IN_PERIOD")
        pval = (province[1].value or {}) if province else {}
        tval = (period[1].value or {}) if period else {}
        countries = [t for r, t in links if r.label == "WITH_COUNTRY"]
        products = [t for r, t in links if r.label == "OF_PRODUCT"]
        scores = [ent.score] + [r.score for r, _ in links if r.label in ("OF_PROVINCE", "IN_PERIOD")]
        facts.append(
            {
                "value_id": ent.id,
                "label": ent.label,
                "text": ent.text,
                "start": ent.start,
                "end": ent.end,
                "flow": detect_flow(text, ent.start, ent.end, sentences),
                "amount": value.get("amount"),
                "amount_max": value.get("amount_max"),
                "currency": value.get("currency"),
                "unit": value.get("unit") if ent.label == "QUANTITY" else ("%" if ent.label == "PERCENT" else None),
                "province": pval.get("name") or (province[1].text if province else None),
                "province_iso": pval.get("iso"),
                "period": period[1].text if period else None,
                "period_start": tval.get("start"),
                "period_end": tval.get("end"),
                "period_jalali_start": tval.get("jalali_start"),
                "period_jalali_end": tval.get("jalali_end"),
                "countries": [(c.value or {}).get("name") or c.text for c in countries],
                "country_isos": [(c.value or {}).get("iso") for c in countries],
                "products": [p.text for p in products],
                "confidence": round(min(scores), 4),
            }
        )
    return facts
