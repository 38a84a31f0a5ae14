"""The typed training configuration, saved beside the model as ``training_config.json``.

A dataclass that rejects unknown keys, so a config file cannot drift from the code that reads
it (a misspelt ``lerning_rate`` is an error, not a silently ignored default).
"""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any


@dataclass
class TrainConfig:
    base: str
    train: list[str]
    output: str
    dev: list[str] = field(default_factory=list)
    silver: list[str] = field(default_factory=list)
    silver_weight: float = 0.5
    epochs: int = 6
    max_steps: int = 0  # 0: no limit beyond epochs
    batch_windows: int = 8  # windows per optimizer step (whole documents are kept together)
    max_length: int = 256
    stride: int = 64
    encoder_lr: float = 2e-4
    head_lr: float = 2e-3
    weight_decay: float = 0.01
    warmup_ratio: float = 0.1
    grad_clip: float = 1.0
    relation_weight: float = 1.0
    augment_prob: float = 0.5
    seed: int = 13
    patience: int = 3  # epochs without dev improvement before stopping; 0 disables
    threads: int = 0  # torch threads; 0: all cores
    eval_batch_size: int = 16
    relation_threshold: float = 0.5
    tune_threshold: bool = True  # re-pick the relation threshold on dev after training
    span_dim: int = 128
    head_dropout: float = 0.1

    def __post_init__(self) -> None:
        if self.epochs < 1 and self.max_steps < 1:
            raise ValueError("set epochs >= 1 or max_steps >= 1")
        if self.batch_windows < 1:
            raise ValueError("batch_windows must be >= 1")
        if not 0.0 <= self.augment_prob <= 1.0:
            raise ValueError("augment_prob must be in [0, 1]")

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "TrainConfig":
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise ValueError(f"unknown training config keys {unknown}; known keys: {sorted(known)}")
        return cls(**data)

    @classmethod
    def load(cls, path: str | Path) -> "TrainConfig":
        return cls.from_dict(json.loads(Path(path).read_text(encoding="utf-8")))

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def save(self, path: str | Path) -> None:
        Path(path).write_text(json.dumps(self.to_dict(), indent=2, ensure_ascii=False), encoding="utf-8")
