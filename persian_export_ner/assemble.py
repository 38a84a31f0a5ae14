"""One place where raw predictions become an :class:`Extraction`.

Both backends (rules and the neural model) only decide *which spans* and *which links*; the
rest — entity ids, normalized values, the publication date that relative periods resolve
against, facts — is the same for both and lives here, so the backends cannot drift apart.
"""
from __future__ import annotations

import datetime as dt
from typing import Any, Sequence

from .labels import ENTITY_LABELS, relation_allowed
from .text import SpanSet
from .types import Entity, Extraction, Relation

Span = tuple[int, int, str, float]
#: Labels whose entities must resolve in the gazetteer: provinces and countries are closed sets,
#: so a span that names neither (a city, a demonym) is dropped rather than shipped unresolved.
CLOSED_SET_LABELS = frozenset({"PROVINCE", "COUNTRY"})
Link = tuple[int, int, float]


def resolve_published(text: str, published: Any) -> tuple[dt.date | None, str | None]:
    """The date relative periods resolve against, and where it came from.

    An explicit argument wins (and must be valid: a bad one raises ValueError); otherwise the
    article's own dateline or byline date, when it states one.
    """
    from .periods import parse_published

    date = parse_published(published)
    if date is not None:
        return date, "argument"
    from .dateline import detect_published

    found = detect_published(text)
    if found is not None:
        return found, "dateline"
    return None, None


def clean_spans(text: str, spans: Sequence[Span]) -> list[Span]:
    """Drop invalid spans and resolve overlaps (the higher-scoring, then longer span wins)."""
    valid = [
        (int(s), int(e), lab, float(sc))
        for s, e, lab, sc in spans
        if lab in ENTITY_LABELS and 0 <= int(s) < int(e) <= len(text) and text[int(s) : int(e)].strip()
    ]
    kept: list[Span] = []
    taken = SpanSet()
    for span in sorted(valid, key=lambda x: (-x[3], -(x[1] - x[0]), x[0])):
        if not taken.overlaps(span[0], span[1]):
            taken.add(span[0], span[1])
            kept.append(span)
    return sorted(kept)


def assemble(
    text: str,
    spans: Sequence[Span],
    links: Sequence[Link] = (),
    published: Any = None,
    *,
    published_date: dt.date | None = None,
    published_source: str | None = None,
) -> Extraction:
    """Build the Extraction for ``text`` from spans on it and links between span indices.

    ``links`` index into ``spans`` as given; links whose (head, tail) labels the guide does not
    allow, or that point at a dropped span, are discarded. Pass ``published_date`` when the
    caller already resolved it (batch paths), else ``published`` is resolved here.
    """
    from .facts import build_facts
    from .values import parse_value

    if published_date is None and published_source is None:
        published_date, published_source = resolve_published(text, published)
    kept: list[Span] = []
    values: list[Any] = []
    for s, e, lab, sc in clean_spans(text, spans):
        try:
            value = parse_value(text[s:e], lab, published_date)
        except (ValueError, ArithmeticError):
            value = None
        if value is None and lab in CLOSED_SET_LABELS:
            continue  # not one of the 31 provinces / a sovereign country: the guide says not this label
        kept.append((s, e, lab, sc))
        values.append(value)
    index_of = {(s, e, lab): i for i, (s, e, lab, _) in enumerate(kept)}
    entities = [
        Entity(f"T{i + 1}", s, e, lab, text[s:e], round(sc, 4), value)
        for i, ((s, e, lab, sc), value) in enumerate(zip(kept, values))
    ]
    relations: list[Relation] = []
    seen: set[tuple[int, int]] = set()
    for head, tail, sc in links:
        if not (0 <= head < len(spans) and 0 <= tail < len(spans)):
            continue
        h = index_of.get(tuple(spans[head][:3]))
        t = index_of.get(tuple(spans[tail][:3]))
        if h is None or t is None or (h, t) in seen:
            continue
        label = relation_allowed(entities[h].label, entities[t].label)
        if label is None:
            continue
        seen.add((h, t))
        relations.append(Relation(entities[h].id, entities[t].id, label, round(float(sc), 4)))
    relations.sort(key=lambda r: (int(r.head[1:]), int(r.tail[1:])))
    published_iso = published_date.isoformat() if published_date else None
    ents = tuple(entities)
    rels = tuple(relations)
    return Extraction(
        text=text,
        entities=ents,
        relations=rels,
        published=published_iso,
        published_source=published_source,
        facts=tuple(build_facts(text, ents, rels)),
    )
