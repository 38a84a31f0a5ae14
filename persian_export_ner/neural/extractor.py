"""``NeuralExtractor``: the joint model's inference path, from raw text to an ``Extraction``.

normalize (keeping the offset map) → tokenize whole documents → overlapping windows of all
documents, sorted by length and batched → one encoder pass per window feeding both heads →
BIO decoding with span repair → relation scoring at document level (pairs may span windows)
→ offsets mapped back to the caller's text → ``assemble`` builds ids, values and facts.

Speed, without changing a single output: windows of every document of a call are pooled and
sorted by length (little padding), run under ``inference_mode`` (and bf16/fp16 autocast on
CUDA), and each document's tokens are cut out of its windows' outputs as contiguous slices.
``quantize="int8"`` swaps the encoder's Linear layers for dynamic int8 ones on CPU (see
``quantize.py``); that one does change scores slightly.
"""
from __future__ import annotations

import json
import os
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

import torch

from persian_export_ner.assemble import assemble
from persian_export_ner.labels import relation_allowed
from persian_export_ner.neural.decoding import SpanPrediction, decode_spans
from persian_export_ner.neural.encoding import DocEncoding, DocumentEncoder
from persian_export_ner.neural.modeling import JointModel
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
    #: CUDA only: "auto" (bf16 where supported, else fp16), "bf16", "fp16" or "fp32".
    precision: str = "auto"
    #: CPU threads for torch; None leaves torch's own setting (see ``configure_threads``).
    threads: int | None = None


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
        self.autocast_dtype = _autocast_dtype(self.device, self.settings.precision)
        if self.device.type == "cpu":
            configure_threads(self.settings.threads)

    @classmethod
    def from_pretrained(cls, path: str | Path, device: str | torch.device | None = None,
                        batch_size: int = 16, quantize: str | None = None,
                        threads: int | None = None) -> "NeuralExtractor":
        """Load a model directory; ``quantize="int8"`` (CPU only) trades a little accuracy for speed."""
        from transformers import AutoTokenizer

        path = Path(path)
        model = JointModel.from_pretrained(path)
        tokenizer = AutoTokenizer.from_pretrained(path)
        geometry: dict[str, Any] = {}
        cfg_file = path / "training_config.json"
        if cfg_file.is_file():  # infer with the window geometry the model was trained with
            cfg = json.loads(cfg_file.read_text(encoding="utf-8"))
            geometry = {"max_length": cfg.get("max_length", 256), "stride": cfg.get("stride", 64)}
        settings = InferenceSettings(**geometry, batch_size=batch_size, threads=threads)
        if quantize is not None:
            from persian_export_ner.neural.quantize import quantize_model

            if device is None:
                device = "cpu"
            model = quantize_model(model, quantize, device)
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
        return [assemble(t, spans, rels, p) for t, (spans, rels), p in zip(texts, raw, pubs)]

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
        states = self._token_states(docs, batch_size)
        return [self._document(n, doc, logits, hidden) for n, doc, (logits, hidden) in zip(norms, docs, states)]

    def _token_states(self, docs: list[DocEncoding], batch_size: int) -> list[tuple[torch.Tensor, torch.Tensor]]:
        """Token logits ``[T, C]`` and states ``[T, H]`` per document, each token from its owning window.

        Same batching as ``modeling.run_documents`` (windows of all documents sorted by length),
        so scores are the same; each document's rows are then cut out as one slice per window
        (a window owns a contiguous run of tokens) instead of gathered token by token.
        """
        flat = [(d, k, w) for d, doc in enumerate(docs) for k, w in enumerate(doc.windows)]
        order = sorted(range(len(flat)), key=lambda i: len(flat[i][2].input_ids))
        results: dict[tuple[int, int], tuple[torch.Tensor, torch.Tensor]] = {}
        for b in range(0, len(order), batch_size):
            chunk = [flat[i] for i in order[b : b + batch_size]]
            ids, mask = self.encoder.collate([w for _, _, w in chunk])
            logits, hidden = self._encode(ids, mask)
            for j, (d, k, _) in enumerate(chunk):
                results[(d, k)] = (logits[j], hidden[j])
        out = []
        cfg = self.model.token_model.config
        for d, doc in enumerate(docs):
            if not doc.windows:
                out.append((torch.zeros(0, cfg.num_labels, device=self.device),
                            torch.zeros(0, self.model.relation_head.config.hidden_size, device=self.device)))
                continue
            parts = [(results[(d, k)], self.encoder.position(doc.windows[k], a), b - a)
                     for k, a, b in _owned_runs(doc.owner)]
            if len(parts) == 1:
                (logits, hidden), p, n = parts[0]
                out.append((logits[p : p + n], hidden[p : p + n]))
            else:
                out.append((torch.cat([lg[p : p + n] for (lg, _), p, n in parts]),
                            torch.cat([hd[p : p + n] for (_, hd), p, n in parts])))
        return out

    def _encode(self, ids: torch.Tensor, mask: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """One encoder pass; on CUDA under autocast, with states returned in fp32 for the heads."""
        ids = ids.to(self.device, non_blocking=True)
        mask = mask.to(self.device, non_blocking=True)
        if self.autocast_dtype is None:
            return self.model.encode(ids, mask)
        with torch.autocast(self.device.type, dtype=self.autocast_dtype):
            logits, hidden = self.model.encode(ids, mask)
        return logits.float(), hidden.float()

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
        logits = self.model.relation_head(hidden, bounds, labels, torch.tensor(pairs, device=dev), torch.tensor(feats, device=dev))
        return select_relations(pairs, torch.sigmoid(logits.float()).tolist(), [s.label for s in spans],
                                self.model.relation_head.config)


def _owned_runs(owner: Sequence[int]) -> list[tuple[int, int, int]]:
    """``(window, first, last_exclusive)`` for each run of consecutive tokens with one owner."""
    runs = []
    start = 0
    for i in range(1, len(owner) + 1):
        if i == len(owner) or owner[i] != owner[start]:
            runs.append((owner[start], start, i))
            start = i
    return runs


def _autocast_dtype(device: torch.device, precision: str) -> torch.dtype | None:
    """The autocast dtype for ``device``: None (plain fp32) on CPU or when asked for fp32."""
    choices = {"auto", "bf16", "fp16", "fp32"}
    if precision not in choices:
        raise ValueError(f"precision must be one of {sorted(choices)}, got {precision!r}")
    if device.type != "cuda" or precision == "fp32":
        return None
    if precision == "auto":
        return torch.bfloat16 if torch.cuda.is_bf16_supported() else torch.float16
    return torch.bfloat16 if precision == "bf16" else torch.float16


_THREAD_ENV = ("OMP_NUM_THREADS", "MKL_NUM_THREADS")


def configure_threads(threads: int | None = None) -> int:
    """Set torch's CPU thread count sensibly and return it.

    An explicit ``threads`` wins. Otherwise a user's own choice (``OMP_NUM_THREADS`` /
    ``MKL_NUM_THREADS`` in the environment) is left alone, and so is torch's default unless it
    exceeds the CPUs this process may run on: torch counts the machine's cores, and in a
    container limited to 2 of 64 cores 64 threads thrash instead of helping.
    """
    if threads is not None:
        torch.set_num_threads(max(1, int(threads)))
        return torch.get_num_threads()
    if any(os.environ.get(v) for v in _THREAD_ENV):
        return torch.get_num_threads()
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:  # macOS, Windows
        usable = os.cpu_count() or 1
    if torch.get_num_threads() > usable:
        torch.set_num_threads(usable)
    return torch.get_num_threads()


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


def basic_extraction(text: str, spans: list[tuple[int, int, str, float]],
                     rels: list[tuple[int, int, float]]) -> Extraction:
    """Entities and relations without values or facts: training scores dev every epoch with it."""
    ents = tuple(Entity(f"T{i + 1}", s, e, label, text[s:e], round(score, 4)) for i, (s, e, label, score) in enumerate(spans))
    relations = tuple(
        Relation(ents[h].id, ents[t].id, relation_allowed(ents[h].label, ents[t].label), round(p, 4))
        for h, t, p in rels
    )
    return Extraction(text=text, entities=ents, relations=relations)
