"""``NeuralExtractor``: the joint model's inference path, from raw text to an ``Extraction``.

normalize (keeping the offset map) → tokenize whole documents → overlapping windows of all
documents, sorted by length and batched → one encoder pass per window feeding both heads →
BIO decoding with span repair → relation scoring at document level (pairs may span windows)
→ offsets mapped back to the caller's text → ``assemble`` builds ids, values and facts.
"""
from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

import torch

from persian_export_ner.labels import relation_allowed
from persian_export_ner.neural.decoding import SpanPrediction, decode_spans
from persian_export_ner.neural.encoding import DocEncoding, DocumentEncoder
from persian_export_ner.neural.modeling import JointModel, run_documents
from persian_export_ner.neural.pairs import candidate_pairs, label_index, span_refs
from persian_export_ner.text import Normalized, normalize
from persian_export_ner.types import Entity, Extraction, Relation

#: Raw prediction for one document: spans ``(start, end, label, score)`` on the original text and
#: relations ``(head_index, tail_index, score)`` into those spans.
RawPrediction = tuple[list[tuple[int, int, str, float]], list[tuple[int, int, float]]]


@dataclass(frozen=True)
class InferenceSettings:
    max_length: int = 256
    stride: int = 64
    batch_size: int = 16
    #: Documents processed together; bounds the memory held for document-level relation scoring.
    chunk_docs: int = 64


class NeuralExtractor:
    """Extracts entities and relations with a trained joint model directory."""

    backend = "neural"

    def __init__(self, model: JointModel, tokenizer: Any, device: str | torch.device | None = None,
                 settings: InferenceSettings | None = None) -> None:
        self.device = torch.device(device or ("cuda" if torch.cuda.is_available() else "cpu"))
        self.model = model.to(self.device).eval()
        self.tokenizer = tokenizer
        self.settings = settings or InferenceSettings()
        self.encoder = DocumentEncoder(tokenizer, self.settings.max_length, self.settings.stride)
        self.id2label = [model.token_model.config.id2label[i] for i in range(model.token_model.config.num_labels)]

    @classmethod
    def from_pretrained(cls, path: str | Path, device: str | torch.device | None = None,
                        batch_size: int = 16) -> "NeuralExtractor":
        from transformers import AutoTokenizer

        path = Path(path)
        model = JointModel.from_pretrained(path)
        tokenizer = AutoTokenizer.from_pretrained(path)
        settings = InferenceSettings(batch_size=batch_size)
        cfg_file = path / "training_config.json"
        if cfg_file.is_file():  # infer with the window geometry the model was trained with
            cfg = json.loads(cfg_file.read_text(encoding="utf-8"))
            settings = InferenceSettings(cfg.get("max_length", 256), cfg.get("stride", 64), batch_size)
        return cls(model, tokenizer, device, settings)

    def extract(self, text: str, published: str | None = None) -> Extraction:
        return self.extract_batch([text], published=published)[0]

    def extract_batch(self, texts: Sequence[str], published: str | Sequence[str | None] | None = None,
                      batch_size: int | None = None) -> list[Extraction]:
        """One Extraction per text; ``published`` is one value for all texts or one per text."""
        texts = list(texts)
        pubs = list(published) if isinstance(published, (list, tuple)) else [published] * len(texts)
        if len(pubs) != len(texts):
            raise ValueError(f"got {len(texts)} texts but {len(pubs)} published dates; pass one per text or a single one")
        raw = self.predict_batch(texts, batch_size=batch_size)
        return [_assemble(t, spans, rels, p) for t, (spans, rels), p in zip(texts, raw, pubs)]

    def predict_batch(self, texts: Sequence[str], batch_size: int | None = None) -> list[RawPrediction]:
        """Spans and relations on the original texts, before ids, values and facts are added."""
        for t in texts:
            if not isinstance(t, str):
                raise TypeError(f"extract() expects str texts, got {type(t).__name__}")
        out: list[RawPrediction] = []
        step = self.settings.chunk_docs
        for i in range(0, len(texts), step):
            out.extend(self._predict_chunk(list(texts[i : i + step]), batch_size or self.settings.batch_size))
        return out

    @torch.inference_mode()
    def _predict_chunk(self, texts: list[str], batch_size: int) -> list[RawPrediction]:
        norms = [normalize(t) for t in texts]
        docs = self.encoder.encode([n.text for n in norms])
        states = run_documents(self.model, self.encoder, docs, batch_size, self.device)
        return [self._document(n, doc, logits, hidden) for n, doc, (logits, hidden) in zip(norms, docs, states)]

    def _document(self, norm: Normalized, doc: DocEncoding, logits: torch.Tensor, hidden: torch.Tensor) -> RawPrediction:
        if not doc.token_ids:
            return [], []
        probs = logits.float().softmax(-1)
        conf, best = probs.max(-1)
        tags = [self.id2label[i] for i in best.tolist()]
        spans = decode_spans(doc.text, tags, conf.tolist(), doc.offsets)
        rels = self._relations(doc.text, spans, hidden)
        return [(*_to_original(norm, s.start, s.end), s.label, s.score) for s in spans], rels

    def _relations(self, text: str, spans: list[SpanPrediction], hidden: torch.Tensor) -> list[tuple[int, int, float]]:
        refs, first_line_end = span_refs(text, [(s.tok_start, s.tok_end, s.label, s.start) for s in spans])
        pairs, feats = candidate_pairs(refs, first_line_end)
        if not pairs:
            return []
        dev = hidden.device
        bounds = torch.tensor([[s.tok_start, s.tok_end] for s in spans], device=dev)
        labels = torch.tensor([label_index(s.label) for s in spans], device=dev)
        logits = self.model.relation_head(hidden, bounds, labels, torch.tensor(pairs, device=dev),
                                          torch.tensor(feats, device=dev))
        return select_relations(pairs, torch.sigmoid(logits.float()).tolist(), [s.label for s in spans],
                                self.model.relation_head.config)


def select_relations(pairs: Sequence[tuple[int, int]], probs: Sequence[float], labels: Sequence[str],
                     config: Any) -> list[tuple[int, int, float]]:
    """Keep pairs over the threshold; a value links to at most one target of each single-tail label."""
    best: dict[tuple[int, str], tuple[int, int, float]] = {}
    keep: list[tuple[int, int, float]] = []
    for (h, t), p in zip(pairs, probs):
        if p < config.threshold:
            continue
        tail_label = labels[t]
        if tail_label in config.single_tail_labels:
            key = (h, tail_label)
            if key not in best or p > best[key][2]:
                best[key] = (h, t, p)
        else:
            keep.append((h, t, p))
    return sorted(keep + list(best.values()))


def _to_original(norm: Normalized, start: int, end: int) -> tuple[int, int]:
    """Map a normalized span back, re-attaching marks normalization deleted at the word's end."""
    s, e = norm.to_original(start, end)
    original = norm.original
    while e < len(original) and (original[e] == "\u0640" or unicodedata.category(original[e]) == "Mn"):
        e += 1
    return s, e


def _assemble(text: str, spans: list[tuple[int, int, str, float]], rels: list[tuple[int, int, float]],
              published: str | None) -> Extraction:
    from persian_export_ner.assemble import assemble

    return assemble(text, spans, rels, published)


def _basic_extraction(text: str, spans: list[tuple[int, int, str, float]],
                      rels: list[tuple[int, int, float]]) -> Extraction:
    ents = tuple(Entity(f"T{i + 1}", s, e, label, text[s:e], round(score, 4)) for i, (s, e, label, score) in enumerate(spans))
    relations = tuple(
        Relation(ents[h].id, ents[t].id, relation_allowed(ents[h].label, ents[t].label), round(p, 4))
        for h, t, p in rels
    )
    return Extraction(text=text, entities=ents, relations=relations)
