"""Result types of the public API.

Frozen dataclasses rather than dicts so that every result has the same shape whatever the
input, and so that offsets, once computed against the caller's text, cannot be edited out of
sync with it.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Entity:
    """A labelled span of the caller's original text: ``text == source[start:end]``."""

    id: str
    start: int
    end: int
    label: str
    text: str
    score: float = 1.0
    value: dict[str, Any] | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "start": self.start,
            "end": self.end,
            "label": self.label,
            "text": self.text,
            "score": self.score,
            "value": self.value,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Entity":
        return cls(
            id=str(data["id"]),
            start=int(data["start"]),
            end=int(data["end"]),
            label=str(data["label"]),
            text=str(data["text"]),
            score=float(data.get("score", 1.0)),
            value=data.get("value"),
        )


@dataclass(frozen=True)
class Relation:
    """A directed link from a value entity (``head``) to what it is about (``tail``), by entity id."""

    head: str
    tail: str
    label: str
    score: float = 1.0

    def to_dict(self) -> dict[str, Any]:
        return {"head": self.head, "tail": self.tail, "label": self.label, "score": self.score}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Relation":
        return cls(
            head=str(data["head"]),
            tail=str(data["tail"]),
            label=str(data["label"]),
            score=float(data.get("score", 1.0)),
        )


@dataclass(frozen=True)
class Extraction:
    """Everything extracted from one document.

    ``published`` is the publication date (Gregorian ISO) that relative periods were resolved
    against, and ``published_source`` says where it came from ("argument", "dateline" or None),
    so a caller can tell a resolved «سال جاری» from a guess.
    """

    text: str
    entities: tuple[Entity, ...] = ()
    relations: tuple[Relation, ...] = ()
    published: str | None = None
    published_source: str | None = None
    facts: tuple[dict[str, Any], ...] = field(default=(), compare=False)

    def entity(self, entity_id: str) -> Entity:
        for ent in self.entities:
            if ent.id == entity_id:
                return ent
        raise KeyError(entity_id)

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "published": self.published,
            "published_source": self.published_source,
            "entities": [e.to_dict() for e in self.entities],
            "relations": [r.to_dict() for r in self.relations],
            "facts": [dict(f) for f in self.facts],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Extraction":
        return cls(
            text=data["text"],
            entities=tuple(Entity.from_dict(e) for e in data.get("entities", ())),
            relations=tuple(Relation.from_dict(r) for r in data.get("relations", ())),
            published=data.get("published"),
            published_source=data.get("published_source"),
            facts=tuple(data.get("facts", ())),
        )
