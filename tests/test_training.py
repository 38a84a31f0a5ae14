"""Training and evaluation entry points: typed config, batching, main(argv) → metrics, reports."""
from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from tests.fixtures_tiny import build_tiny_base, tiny_documents
from training import evaluate, train
from training.config import TrainConfig
from persian_export_ner.scoring import score as strict_scores


def _write_jsonl(path: Path, docs: list[dict]) -> Path:
    path.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in docs), encoding="utf-8")
    return path


def test_config_rejects_unknown_keys():
    with pytest.raises(ValueError, match="unknown training config keys \\['lerning_rate'\\]"):
        TrainConfig.from_dict({"base": "b", "train": ["t"], "output": "o", "lerning_rate": 1e-4})


def test_config_round_trips_through_json(tmp_path):
    cfg = TrainConfig(base="b", train=["t.jsonl"], output="o", epochs=3, encoder_lr=1e-4)
    cfg.save(tmp_path / "c.json")
    assert TrainConfig.load(tmp_path / "c.json") == cfg


def test_command_line_overrides_config_file(tmp_path):
    (tmp_path / "c.json").write_text(json.dumps({"base": "b", "train": ["t"], "output": "o", "epochs": 3}))
    cfg = train.parse_args(["--config", str(tmp_path / "c.json"), "--epochs", "5", "--head-lr", "1e-3"])
    assert (cfg.epochs, cfg.head_lr, cfg.base) == (5, 1e-3, "b")


def test_missing_required_arguments_exit_with_usage():
    with pytest.raises(SystemExit):
        train.parse_args(["--base", "b"])


def test_pack_batches_keeps_documents_whole_and_bounded(tmp_path):
    from transformers import AutoTokenizer

    from persian_export_ner.neural.encoding import DocumentEncoder
    from training.features import document_features

    tok = AutoTokenizer.from_pretrained(build_tiny_base(tmp_path / "base", "unigram"))
    feats = [document_features(d, DocumentEncoder(tok, 24, 6)) for d in tiny_documents() * 3]
    batches = train.pack_batches(feats, 4, random.Random(0))
    assert sorted(id(f) for b in batches for f in b) == sorted(id(f) for f in feats)
    for b in batches:
        assert len(b) == 1 or sum(len(f.encoding.windows) for f in b) <= 4


def test_strict_scores_are_perfect_on_gold_and_zero_on_nothing():
    docs = tiny_documents()
    perfect = strict_scores(docs, docs)
    assert perfect["entities"]["micro"]["f1"] == 1.0 and perfect["relations"]["micro"]["f1"] == 1.0
    empty = strict_scores(docs, [{**d, "entities": [], "relations": []} for d in docs])
    assert empty["entities"]["micro"]["f1"] == 0.0 and empty["entities"]["micro"]["support"] > 0


def test_train_then_evaluate_writes_model_metrics_and_reports(tmp_path):
    base = build_tiny_base(tmp_path / "base", "wordpiece")
    data = _write_jsonl(tmp_path / "d.jsonl", tiny_documents())
    metrics = train.main(["--base", str(base), "--train", str(data), "--dev", str(data), "--output",
                          str(tmp_path / "m"), "--epochs", "2", "--threads", "1", "--augment-prob", "1"])
    assert metrics["steps"] == 2 and metrics["best_epoch"] in (1, 2)
    saved = json.loads((tmp_path / "m" / "training_config.json").read_text())
    assert TrainConfig.from_dict(saved).epochs == 2
    report = evaluate.main(["--model", str(tmp_path / "m"), "--gold", str(data), "--report", str(tmp_path / "r" / "dev")])
    assert 0.0 <= report["entities"]["micro"]["f1"] <= 1.0
    assert (tmp_path / "r" / "dev.json").is_file() and (tmp_path / "r" / "dev.md").is_file()
