"""Annotated documents → windowed model features, and augmentation for real-world text.

Labels are aligned to subword tokens through character offsets (never by counting words: the
tokenizer splits at ZWNJs and inside glued words). Documents go through the library's own
``normalize`` and ``DocumentEncoder``, exactly as at inference, with the gold offsets carried
into the normalized text. Relation targets are computed over the gold spans' candidate pairs
(teacher forcing), with the same pair features the extractor uses.

Augmentation rewrites a training copy's *original* text the way real articles differ from clean
ones (missing or spaced ZWNJs, Arabic «ي»/«ك», other digit scripts, hard line breaks) and moves
the gold offsets with it.
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Sequence

from persian_export_ner.labels import bio_labels
from persian_export_ner.neural.encoding import DocEncoding, DocumentEncoder
from persian_export_ner.neural.pairs import candidate_pairs, label_index, span_refs
from persian_export_ner.text import normalize
from training.corpus import load_documents

TAG_ID = {t: i for i, t in enumerate(bio_labels())}
IGNORE = -100
ZWNJ = "\u200c"


@dataclass
class DocFeatures:
    """One document ready for a training step."""

    encoding: DocEncoding
    tags: list[int]  # per token, IGNORE for tokens without characters
    bounds: list[tuple[int, int]]  # gold span token ranges
    labels: list[int]  # gold span label ids (ENTITY_LABELS index)
    pairs: list[tuple[int, int]]
    pair_features: list[list[int]]
    targets: list[float]
    weight: float = 1.0


# reading

def read_documents(paths: str | Path | Sequence[str | Path]) -> list[dict[str, Any]]:
    """Validated documents from JSONL files (strict validation: file, line and reason on error)."""
    if isinstance(paths, (str, Path)):
        paths = [paths]
    return load_documents([str(p) for p in paths])


# alignment

def document_features(doc: dict[str, Any], encoder: DocumentEncoder, weight: float = 1.0) -> DocFeatures:
    """Features of one annotated document (original-text offsets)."""
    norm = normalize(doc["text"])
    enc = encoder.encode([norm.text])[0]
    ents = sorted(doc.get("entities", []), key=lambda e: e["start"])
    tags = [IGNORE if s == e else TAG_ID["O"] for s, e in enc.offsets]
    spans: list[tuple[int, int, str, int]] = []
    index: dict[str, int] = {}
    for ent in ents:
        ns, ne = norm.from_original(ent["start"], ent["end"])
        toks = [i for i, (s, e) in enumerate(enc.offsets) if s < e and s < ne and e > ns and tags[i] == TAG_ID["O"]]
        if not toks:
            continue
        for k, i in enumerate(toks):
            tags[i] = TAG_ID[("B-" if k == 0 else "I-") + ent["label"]]
        index[ent["id"]] = len(spans)
        spans.append((toks[0], toks[-1] + 1, ent["label"], ns))
    refs, first_line_end = span_refs(norm.text, spans)
    pairs, feats = candidate_pairs(refs, first_line_end)
    gold = {(index[r["head"]], index[r["tail"]]) for r in doc.get("relations", []) if r["head"] in index and r["tail"] in index}
    return DocFeatures(
        encoding=enc,
        tags=tags,
        bounds=[(a, b) for a, b, _, _ in spans],
        labels=[label_index(lab) for _, _, lab, _ in spans],
        pairs=pairs,
        pair_features=feats,
        targets=[1.0 if p in gold else 0.0 for p in pairs],
        weight=weight,
    )


# augmentation

_PERSIAN_DIGITS = "۰۱۲۳۴۵۶۷۸۹"
_ARABIC_DIGITS = "٠١٢٣٤٥٦٧٨٩"


def rewrite(doc: dict[str, Any], replace: Callable[[int, str], str]) -> dict[str, Any]:
    """A copy of ``doc`` whose text has character ``i`` replaced by ``replace(i, ch)``, with entity
    offsets moved along (spans still never start or end with whitespace)."""
    text = doc["text"]
    pieces: list[str] = []
    new_pos = [0] * (len(text) + 1)
    pos = 0
    for i, ch in enumerate(text):
        new_pos[i] = pos
        rep = replace(i, ch)
        pieces.append(rep)
        pos += len(rep)
    new_pos[len(text)] = pos
    new_text = "".join(pieces)
    ents = []
    for e in doc.get("entities", []):
        s, t = new_pos[e["start"]], new_pos[e["end"]]
        while s < t and new_text[s].isspace():
            s += 1
        while t > s and new_text[t - 1].isspace():
            t -= 1
        if s < t:
            ents.append({**e, "start": s, "end": t, "text": new_text[s:t]})
    kept = {e["id"] for e in ents}
    rels = [r for r in doc.get("relations", []) if r["head"] in kept and r["tail"] in kept]
    return {**doc, "text": new_text, "entities": ents, "relations": rels}


def augment(doc: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    """A randomly degraded copy of ``doc``: each real-text corruption applies with probability ½."""
    ops: list[Callable[[int, str], str]] = []
    if rng.random() < 0.5:
        to_space = rng.random() < 0.5
        ops.append(lambda i, ch: (" " if to_space else "") if ch == ZWNJ and rng.random() < 0.8 else ch)
    if rng.random() < 0.5:
        ops.append(lambda i, ch: {"ی": "ي", "ک": "ك"}.get(ch, ch))
    if rng.random() < 0.5:
        digits = rng.choice(["0123456789", _PERSIAN_DIGITS, _ARABIC_DIGITS])
        ops.append(lambda i, ch: digits[_digit_value(ch)] if _digit_value(ch) >= 0 else ch)
    if rng.random() < 0.5:
        ops.append(lambda i, ch: "\n" if ch == " " and rng.random() < 0.03 else ch)
    for op in ops:
        doc = rewrite(doc, op)
    return doc


def _digit_value(ch: str) -> int:
    for table in ("0123456789", _PERSIAN_DIGITS, _ARABIC_DIGITS):
        k = table.find(ch)
        if k >= 0:
            return k
    return -1
