"""The joint model: a transformers token classifier plus a pairwise relation head.

The token classifier is a stock ``AutoModelForTokenClassification`` so that the model
directory stays loadable by plain transformers (``id2label`` round-trips with the weights).
The relation head is small and ours: it reads span representations built from the encoder's
last hidden layer (one encoder pass feeds both heads) and scores each allowed (value, target)
pair with a single "linked" logit; the relation type follows from the target's label.

Model directory (safetensors + JSON only, no pickles):
    config.json, model.safetensors      encoder + token head (transformers)
    tokenizer.json, tokenizer_config.json, …
    relation_head.safetensors, relation_head.json
    training_config.json                 written by training, informative at inference
"""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

import torch
from torch import nn

from persian_export_ner.labels import ENTITY_LABELS, bio_labels
from persian_export_ner.neural.pairs import FEATURE_SIZES

HEAD_WEIGHTS = "relation_head.safetensors"
HEAD_CONFIG = "relation_head.json"


@dataclass
class RelationHeadConfig:
    """Sizes of the relation head and its decision rule (saved as ``relation_head.json``)."""

    hidden_size: int
    span_dim: int = 128
    feature_dim: int = 16
    ffn_dim: int = 256
    dropout: float = 0.1
    threshold: float = 0.5
    #: Target labels a value links to at most once (its best-scoring mention); others may repeat.
    single_tail_labels: list[str] = field(default_factory=lambda: ["PERIOD", "PROVINCE", "PRODUCT"])
    feature_sizes: list[int] = field(default_factory=lambda: list(FEATURE_SIZES))

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "RelationHeadConfig":
        known = {f.name for f in fields(cls)}
        unknown = set(data) - known
        if unknown:
            raise ValueError(f"unknown relation head config keys {sorted(unknown)}; known: {sorted(known)}")
        return cls(**data)


class RelationHead(nn.Module):
    """Scores (value, target) span pairs from token states plus pair position features."""

    def __init__(self, config: RelationHeadConfig) -> None:
        super().__init__()
        self.config = config
        h, d = config.hidden_size, config.span_dim
        self.span_proj = nn.Linear(3 * h, d)
        self.label_emb = nn.Embedding(len(ENTITY_LABELS), d)
        self.feature_embs = nn.ModuleList(nn.Embedding(n, config.feature_dim) for n in config.feature_sizes)
        pair_in = 3 * d + config.feature_dim * len(config.feature_sizes)
        self.scorer = nn.Sequential(
            nn.Dropout(config.dropout),
            nn.Linear(pair_in, config.ffn_dim),
            nn.GELU(),
            nn.Dropout(config.dropout),
            nn.Linear(config.ffn_dim, 1),
        )

    def span_states(self, token_states: torch.Tensor, bounds: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
        """``[S, span_dim]`` from doc token states ``[T, H]``, token bounds ``[S, 2]`` and label ids ``[S]``."""
        first = token_states[bounds[:, 0]]
        last = token_states[bounds[:, 1] - 1]
        csum = torch.cat([token_states.new_zeros(1, token_states.size(1)), token_states.cumsum(0)])
        length = (bounds[:, 1] - bounds[:, 0]).clamp(min=1).unsqueeze(1).to(token_states.dtype)
        mean = (csum[bounds[:, 1]] - csum[bounds[:, 0]]) / length
        return torch.tanh(self.span_proj(torch.cat([first, last, mean], dim=-1))) + self.label_emb(labels)

    def forward(
        self,
        token_states: torch.Tensor,
        bounds: torch.Tensor,
        labels: torch.Tensor,
        pairs: torch.Tensor,
        features: torch.Tensor,
    ) -> torch.Tensor:
        """Logits ``[P]`` for ``pairs`` ``[P, 2]`` (head, tail indices into the spans)."""
        spans = self.span_states(token_states, bounds, labels)
        head, tail = spans[pairs[:, 0]], spans[pairs[:, 1]]
        feats = [emb(features[:, i]) for i, emb in enumerate(self.feature_embs)]
        return self.scorer(torch.cat([head, tail, head * tail, *feats], dim=-1)).squeeze(-1)


class JointModel(nn.Module):
    """Encoder + token head (transformers) and the relation head, saved side by side."""

    def __init__(self, token_model: nn.Module, relation_head: RelationHead) -> None:
        super().__init__()
        self.token_model = token_model
        self.relation_head = relation_head

    def encode(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """Token logits ``[W, L, C]`` and last hidden states ``[W, L, H]`` in one encoder pass."""
        out = self.token_model(input_ids=input_ids, attention_mask=attention_mask, output_hidden_states=True)
        return out.logits, out.hidden_states[-1]

    @classmethod
    def from_base(cls, base: str, head_config: dict[str, Any] | None = None) -> "JointModel":
        """A model on a base encoder (local path or hub id) with randomly initialised heads.

        A directory that already holds a trained joint model (it has ``relation_head.json``) is
        loaded whole instead, so training can continue from it (e.g. in-domain adaptation).
        """
        from transformers import AutoModelForTokenClassification

        if (Path(base) / HEAD_CONFIG).is_file():
            return cls.from_pretrained(base)

        tags = bio_labels()
        token_model = AutoModelForTokenClassification.from_pretrained(
            base,
            num_labels=len(tags),
            id2label=dict(enumerate(tags)),
            label2id={t: i for i, t in enumerate(tags)},
        )
        cfg = RelationHeadConfig(hidden_size=token_model.config.hidden_size, **(head_config or {}))
        return cls(token_model, RelationHead(cfg))

    def save_pretrained(self, directory: str | Path, tokenizer: Any = None, training_config: dict | None = None) -> None:
        from safetensors.torch import save_file

        out = Path(directory)
        out.mkdir(parents=True, exist_ok=True)
        self.token_model.save_pretrained(out)
        state = {k: v.detach().cpu().contiguous() for k, v in self.relation_head.state_dict().items()}
        save_file(state, str(out / HEAD_WEIGHTS))
        (out / HEAD_CONFIG).write_text(json.dumps(asdict(self.relation_head.config), indent=2), encoding="utf-8")
        if tokenizer is not None:
            tokenizer.save_pretrained(out)
        if training_config is not None:
            (out / "training_config.json").write_text(
                json.dumps(training_config, indent=2, ensure_ascii=False), encoding="utf-8"
            )

    @classmethod
    def from_pretrained(cls, directory: str | Path) -> "JointModel":
        from safetensors.torch import load_file
        from transformers import AutoModelForTokenClassification

        path = Path(directory)
        if not (path / HEAD_CONFIG).is_file():
            raise FileNotFoundError(
                f"{path} is not a persian-export-ner model directory (no {HEAD_CONFIG}); "
                "train one with `python -m training.train --output DIR` and pass that DIR"
            )
        token_model = AutoModelForTokenClassification.from_pretrained(path)
        expected = bio_labels()
        got = [token_model.config.id2label[i] for i in range(len(token_model.config.id2label))]
        if got != expected:
            raise ValueError(f"{path}: label map {got} differs from this library's {expected}; retrain the model")
        cfg = RelationHeadConfig.from_dict(json.loads((path / HEAD_CONFIG).read_text(encoding="utf-8")))
        head = RelationHead(cfg)
        head.load_state_dict(load_file(str(path / HEAD_WEIGHTS)))
        return cls(token_model, head)


def run_documents(
    model: JointModel,
    encoder: Any,
    docs: list,
    batch_size: int,
    device: torch.device | str = "cpu",
) -> list[tuple[torch.Tensor, torch.Tensor]]:
    """Token logits ``[T, C]`` and states ``[T, H]`` per document, each token from its owning window.

    Windows of all ``docs`` are sorted by length and batched, so short documents pad little;
    gradients flow when called outside ``inference_mode``.
    """
    flat = [(d, k, w) for d, doc in enumerate(docs) for k, w in enumerate(doc.windows)]
    order = sorted(range(len(flat)), key=lambda i: len(flat[i][2].input_ids))
    results: dict[tuple[int, int], tuple[torch.Tensor, torch.Tensor]] = {}
    for b in range(0, len(order), batch_size):
        chunk = [flat[i] for i in order[b : b + batch_size]]
        ids, mask = encoder.collate([w for _, _, w in chunk])
        logits, hidden = model.encode(ids.to(device), mask.to(device))
        for j, (d, k, _) in enumerate(chunk):
            results[(d, k)] = (logits[j], hidden[j])
    out = []
    for d, doc in enumerate(docs):
        if not doc.windows:
            out.append((torch.zeros(0, model.token_model.config.num_labels, device=device),
                        torch.zeros(0, model.relation_head.config.hidden_size, device=device)))
            continue
        rows_l, rows_h = [], []
        for k, w in enumerate(doc.windows):
            mine = [i for i in range(w.start, w.end) if doc.owner[i] == k]
            if not mine:
                continue
            pos = torch.tensor([encoder.position(w, i) for i in mine], device=device)
            logits, hidden = results[(d, k)]
            rows_l.append(logits[pos])
            rows_h.append(hidden[pos])
        out.append((torch.cat(rows_l), torch.cat(rows_h)))
    return out
