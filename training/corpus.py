"""Load ANNOTATION.md JSON Lines and refuse anything the guide does not allow.

Every model, metric and statistic downstream trusts that ``text[start:end] == entity text``,
that spans never overlap and that relations point from a value to a tail of the right label.
A silent violation becomes a misaligned BIO tag or a relation the decoder can never produce,
so the loader checks the whole contract up front and names the file, the line and the reason.

    docs = load_documents(["data/train.jsonl", "data/dev.jsonl"])         # raises AnnotationError
    docs, problems = load_documents(path, strict=False)                     # collects instead

Word cuts are special: the guide asks for whole-word spans even in glued text («از324»), but the
real annotated set has a few spans inside glued tokens, so ``word_cuts="warn"`` downgrades them
to warnings (kept documents, reported problems) instead of errors.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Iterable, Literal, Sequence, overload

import jdatetime

from persian_export_ner.labels import (
    ENTITY_LABELS,
    RELATION_LABELS,
    RELATION_TAILS,
    VALUE_LABELS,
    relation_allowed,
)
from persian_export_ner.text import ZWNJ, is_word_char

DOC_KEYS = ("id", "text", "published", "entities", "relations")
REQUIRED_DOC_KEYS = ("id", "text", "entities", "relations")
ENTITY_KEYS = ("id", "start", "end", "label", "text")
RELATION_KEYS = ("head", "tail", "label")

_JALALI = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_GREGORIAN = re.compile(r"^g:(\d{4}-\d{2}-\d{2})$")

PathLike = str | Path
WordCuts = Literal["error", "warn", "ignore"]


class AnnotationError(ValueError):
    """A document breaks ANNOTATION.md; the message starts with ``file:line``."""


@dataclass(frozen=True)
class Problem:
    """One violation of the guide, located well enough to fix it in an editor."""

    file: str
    line: int
    doc_id: str | None
    reason: str
    severity: Literal["error", "warning"] = "error"

    def __str__(self) -> str:
        doc = f" [{self.doc_id}]" if self.doc_id else ""
        tag = "" if self.severity == "error" else " (warning)"
        return f"{self.file}:{self.line}{doc}: {self.reason}{tag}"


# public entry points


@overload
def load_documents(
    paths: PathLike | Iterable[PathLike], *, strict: Literal[True] = ..., word_cuts: WordCuts = ...
) -> list[dict]: ...


@overload
def load_documents(
    paths: PathLike | Iterable[PathLike], *, strict: Literal[False], word_cuts: WordCuts = ...
) -> tuple[list[dict], list[Problem]]: ...


def load_documents(
    paths: PathLike | Iterable[PathLike],
    *,
    strict: bool = True,
    word_cuts: WordCuts = "error",
) -> list[dict] | tuple[list[dict], list[Problem]]:
    """Read and validate one or several JSONL files.

    ``strict=True`` (default) returns ``list[dict]`` and raises :class:`AnnotationError` listing
    every error found (warnings do not raise). ``strict=False`` returns ``(documents, problems)``:
    the documents without errors, and every problem (errors and warnings) as :class:`Problem`.
    Document ids must be unique across all the files.
    """
    docs: list[dict] = []
    problems: list[Problem] = []
    seen: dict[str, str] = {}
    for path in _as_paths(paths):
        for lineno, raw in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
            if not raw.strip():
                continue
            where = (str(path), lineno)
            try:
                doc = json.loads(raw)
            except json.JSONDecodeError as exc:
                problems.append(Problem(*where, None, f"invalid JSON: {exc.msg} (column {exc.colno})"))
                continue
            found = validate_document(doc, file=str(path), line=lineno, word_cuts=word_cuts)
            doc_id = doc.get("id") if isinstance(doc, dict) else None
            if isinstance(doc_id, str):
                if doc_id in seen:
                    found.append(Problem(*where, doc_id, f"duplicate document id (first at {seen[doc_id]})"))
                else:
                    seen[doc_id] = f"{path}:{lineno}"
            problems.extend(found)
            if not any(p.severity == "error" for p in found):
                docs.append(doc)
    if strict:
        raise_on_errors(problems)
        return docs
    return docs, problems


def raise_on_errors(problems: Sequence[Problem]) -> None:
    """Raise one :class:`AnnotationError` listing every error (warnings are ignored)."""
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        head = f"{len(errors)} annotation error(s); fix the source and reload:\n"
        raise AnnotationError(head + "\n".join(str(p) for p in errors))


def validate_document(
    doc: Any, *, file: str = "<memory>", line: int = 0, word_cuts: WordCuts = "error"
) -> list[Problem]:
    """Every problem of one parsed document (an empty list when it follows the guide)."""
    out: list[Problem] = []
    doc_id = doc.get("id") if isinstance(doc, dict) and isinstance(doc.get("id"), str) else None

    def add(reason: str, severity: Literal["error", "warning"] = "error") -> None:
        out.append(Problem(file, line, doc_id, reason, severity))

    if not isinstance(doc, dict):
        add(f"a document must be a JSON object, got {type(doc).__name__}")
        return out
    if not _check_doc_shape(doc, add):
        return out
    entities = _check_entities(doc["text"], doc["entities"], add, word_cuts)
    _check_relations(doc["relations"], entities, add)
    return out


def to_hf_dataset(docs: Sequence[dict]):
    """A ``datasets.Dataset`` with columns id, text, published, entities, relations.

    The schema is given explicitly so that a split whose documents have no relations (or no
    ``published``) still gets the same column types as the others.
    """
    from datasets import Dataset, Features, Value

    features = Features(
        {
            "id": Value("string"),
            "text": Value("string"),
            "published": Value("string"),
            "entities": [
                {
                    "id": Value("string"),
                    "start": Value("int32"),
                    "end": Value("int32"),
                    "label": Value("string"),
                    "text": Value("string"),
                }
            ],
            "relations": [{"head": Value("string"), "tail": Value("string"), "label": Value("string")}],
        }
    )
    rows = [
        {
            "id": d["id"],
            "text": d["text"],
            "published": d.get("published"),
            "entities": [{k: e[k] for k in ENTITY_KEYS} for e in d["entities"]],
            "relations": [{k: r[k] for k in RELATION_KEYS} for r in d["relations"]],
        }
        for d in docs
    ]
    return Dataset.from_list(rows, features=features)


def is_valid_published(value: Any) -> bool:
    """Jalali ``YYYY-MM-DD`` (years 1200-1500) or ``g:`` + ISO Gregorian date; a real calendar day."""
    if not isinstance(value, str):
        return False
    m = _GREGORIAN.match(value)
    if m:
        try:
            date.fromisoformat(m.group(1))
        except ValueError:
            return False
        return True
    m = _JALALI.match(value)
    if not m or not 1200 <= int(m.group(1)) <= 1500:  # «2023-01-01» is a Gregorian date missing «g:»
        return False
    try:
        jdatetime.date(*(int(g) for g in m.groups()))
    except ValueError:
        return False
    return True


# checks


def _as_paths(paths: PathLike | Iterable[PathLike]) -> list[PathLike]:
    if isinstance(paths, (str, Path)):
        return [paths]
    return list(paths)


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _check_doc_shape(doc: dict, add) -> bool:
    ok = True
    for key in REQUIRED_DOC_KEYS:
        if key not in doc:
            add(f"missing key {key!r}")
            ok = False
    for key in doc:
        if key not in DOC_KEYS:
            add(f"unknown key {key!r} (allowed: {', '.join(DOC_KEYS)})")
    if not ok:
        return False
    if not isinstance(doc["id"], str) or not doc["id"]:
        add("'id' must be a non-empty string")
    if not isinstance(doc["text"], str):
        add("'text' must be a string")
        ok = False
    for key in ("entities", "relations"):
        if not isinstance(doc[key], list):
            add(f"{key!r} must be a list")
            ok = False
    published = doc.get("published")
    if published is not None and not is_valid_published(published):
        add(f"malformed 'published' {published!r}: use Jalali YYYY-MM-DD or g:YYYY-MM-DD")
    return ok


def _check_entities(text: str, entities: list, add, word_cuts: WordCuts) -> dict[str, dict]:
    """Check each entity, then overlaps; return the well-formed ones by id."""
    by_id: dict[str, dict] = {}
    spans: list[tuple[int, int, str]] = []
    for i, ent in enumerate(entities):
        if not _entity_shape_ok(ent, i, add):
            continue
        eid = ent["id"]
        if eid in by_id:
            add(f"duplicate entity id {eid!r}")
            continue
        by_id[eid] = ent
        if ent["label"] not in ENTITY_LABELS:
            add(f"entity {eid}: unknown label {ent['label']!r} (known: {', '.join(ENTITY_LABELS)})")
        start, end = ent["start"], ent["end"]
        if not 0 <= start < end <= len(text):
            add(f"entity {eid}: offsets ({start}, {end}) out of range for a text of {len(text)} characters")
            continue
        if text[start:end] != ent["text"]:
            add(f"entity {eid}: text[{start}:{end}] is {text[start:end]!r}, not {ent['text']!r}")
            continue
        for reason, kind in span_problems(text, start, end):
            severity = "warning" if kind == "cut" and word_cuts == "warn" else "error"
            if kind == "cut" and word_cuts == "ignore":
                continue
            add(f"entity {eid} {ent['text']!r}: {reason}", severity)
        spans.append((start, end, eid))
    spans.sort()
    for (s1, e1, a), (s2, e2, b) in zip(spans, spans[1:]):
        if s2 < e1:
            add(f"entities {a} ({s1}, {e1}) and {b} ({s2}, {e2}) overlap")
    return by_id


def _entity_shape_ok(ent: Any, index: int, add) -> bool:
    if not isinstance(ent, dict):
        add(f"entities[{index}] must be an object")
        return False
    missing = [k for k in ENTITY_KEYS if k not in ent]
    extra = [k for k in ent if k not in ENTITY_KEYS]
    if missing or extra:
        add(f"entities[{index}]: missing keys {missing}, unknown keys {extra}" if missing and extra
            else f"entities[{index}]: missing keys {missing}" if missing
            else f"entities[{index}]: unknown keys {extra} (allowed: {', '.join(ENTITY_KEYS)})")
        if missing:
            return False
    types_ok = (
        isinstance(ent["id"], str) and ent["id"] != "" and _is_int(ent["start"]) and _is_int(ent["end"])
        and isinstance(ent["label"], str) and isinstance(ent["text"], str)
    )
    if not types_ok:
        add(f"entities[{index}]: id/label/text must be strings, start/end integers")
    return types_ok


def span_problems(text: str, start: int, end: int) -> list[tuple[str, str]]:
    """Edge problems of a non-empty in-range span: ("...", "edge") or ("...", "cut")."""
    found: list[tuple[str, str]] = []
    first, last = text[start], text[end - 1]
    if not is_word_char(first) or first == ZWNJ:
        found.append((f"starts with whitespace or punctuation {first!r}", "edge"))
    if not is_word_char(last) or last == ZWNJ:
        found.append((f"ends with whitespace or punctuation {last!r}", "edge"))
    if is_word_char(first) and _joins(text, start - 1, -1):
        found.append((f"cuts a word at its start (…{text[max(0, start - 8):end]!r})", "cut"))
    if is_word_char(last) and _joins(text, end, 1):
        found.append((f"cuts a word at its end ({text[start:end + 8]!r}…)", "cut"))
    return found


def _joins(text: str, i: int, step: int) -> bool:
    """Whether the characters from ``i`` outwards continue the word the span touches.

    A ZWNJ continues a word only when a letter or digit follows it (a suffix like «‌ها»); a stray
    ZWNJ next to a space or a comma («ترکیه‌، آلمان», real data has these) is not part of a word.
    """
    while 0 <= i < len(text) and text[i] == ZWNJ:
        i += step
    return 0 <= i < len(text) and is_word_char(text[i])


def _check_relations(relations: list, entities: dict[str, dict], add) -> None:
    seen: set[tuple[str, str, str]] = set()
    for i, rel in enumerate(relations):
        if not isinstance(rel, dict) or any(k not in rel for k in RELATION_KEYS):
            add(f"relations[{i}] must be an object with keys {', '.join(RELATION_KEYS)}")
            continue
        extra = [k for k in rel if k not in RELATION_KEYS]
        if extra:
            add(f"relations[{i}]: unknown keys {extra}")
        head, tail, label = rel["head"], rel["tail"], rel["label"]
        if not all(isinstance(v, str) for v in (head, tail, label)):
            add(f"relations[{i}]: head, tail and label must be strings")
            continue
        if label not in RELATION_LABELS:
            add(f"relations[{i}]: unknown relation label {label!r} (known: {', '.join(RELATION_LABELS)})")
            continue
        missing = [x for x in (head, tail) if x not in entities]
        if missing:
            add(f"relations[{i}] {label}: unknown entity id(s) {missing}")
            continue
        hl, tl = entities[head]["label"], entities[tail]["label"]
        if hl not in VALUE_LABELS:
            add(f"relations[{i}] {label}: head {head} is {hl}, not a value ({', '.join(VALUE_LABELS)})")
        elif relation_allowed(hl, tl) != label:
            add(f"relations[{i}] {label}: tail {tail} is {tl}; {label} needs a {RELATION_TAILS[label]} tail")
        key = (head, tail, label)
        if key in seen:
            add(f"relations[{i}]: duplicate relation {head} -{label}-> {tail}")
        seen.add(key)

