"""The label inventory of ANNOTATION.md, defined once.

Everything that needs a label name (data validation, BIO tagging, the relation head,
evaluation, rendering) imports it from here so the contract cannot drift.
"""
from __future__ import annotations

ENTITY_LABELS: tuple[str, ...] = (
    "PROVINCE",
    "OFFICIAL",
    "MONEY",
    "QUANTITY",
    "PERCENT",
    "COUNTRY",
    "PRODUCT",
    "PERIOD",
)

#: Labels whose entities are relation heads ("values").
VALUE_LABELS: tuple[str, ...] = ("MONEY", "QUANTITY", "PERCENT")

#: Relation label -> the entity label its tail must carry.
RELATION_TAILS: dict[str, str] = {
    "IN_PERIOD": "PERIOD",
    "OF_PROVINCE": "PROVINCE",
    "WITH_COUNTRY": "COUNTRY",
    "OF_PRODUCT": "PRODUCT",
}
RELATION_LABELS: tuple[str, ...] = tuple(RELATION_TAILS)

#: Tail entity label -> relation label (the mapping is one to one).
TAIL_RELATION: dict[str, str] = {tail: rel for rel, tail in RELATION_TAILS.items()}


def bio_labels() -> list[str]:
    """BIO tag inventory in a fixed order: O first, then B-/I- per entity label."""
    tags = ["O"]
    for label in ENTITY_LABELS:
        tags += [f"B-{label}", f"I-{label}"]
    return tags


def relation_allowed(head_label: str, tail_label: str) -> str | None:
    """The relation label a (head, tail) pair may carry, or None if the guide forbids any."""
    if head_label not in VALUE_LABELS:
        return None
    return TAIL_RELATION.get(tail_label)
