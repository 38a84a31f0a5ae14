"""Train the joint model (token classifier + relation head) on annotated JSONL.

    python -m training.train --base artifacts/base/e5-small-fa \\
        --train data/train.jsonl ../shared/data/fars-annotated-train.jsonl \\
        --dev data/dev.jsonl --output runs/x --epochs 8

Joint loss: token cross-entropy on every token (each from the window that owns it) plus the
relation head's pair BCE on gold spans (teacher forcing). Separate learning rates for the
encoder and the freshly initialised heads, warmup then linear decay: on this data a small
encoder rate (5e-5) is far too slow for a short CPU budget, 2e-4 / 2e-3 works. Each epoch is
scored on dev with the real inference path; the best epoch is saved, and training stops after
``patience`` epochs without improvement. Whole documents stay in one batch so that relation
pairs can span windows.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import random
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any, Sequence

import torch
import torch.nn.functional as F

from persian_export_ner.neural.encoding import DocumentEncoder
from persian_export_ner.neural.extractor import InferenceSettings, NeuralExtractor, basic_extraction
from persian_export_ner.neural.modeling import HEAD_CONFIG, JointModel, run_documents
from training.config import TrainConfig
from persian_export_ner.scoring import score as strict_scores
from training.features import DocFeatures, augment, document_features, read_documents


def parse_args(argv: Sequence[str] | None) -> TrainConfig:
    p = argparse.ArgumentParser(prog="python -m training.train", description="Train the joint extraction model.")
    p.add_argument("--config", help="JSON TrainConfig; command-line flags override it")
    p.add_argument("--base", help="base encoder: local directory or hub id")
    p.add_argument("--train", nargs="+", help="training JSONL file(s)")
    p.add_argument("--dev", nargs="*", help="dev JSONL file(s) for model selection")
    p.add_argument("--silver", nargs="*", help="silver JSONL file(s), down-weighted")
    p.add_argument("--output", help="model directory to write")
    defaults = TrainConfig.__dataclass_fields__
    for name in ("silver_weight", "epochs", "max_steps", "batch_windows", "max_length", "stride", "encoder_lr",
                 "head_lr", "weight_decay", "warmup_ratio", "grad_clip", "relation_weight", "augment_prob",
                 "seed", "patience", "threads", "eval_batch_size", "relation_threshold", "span_dim", "head_dropout"):
        kind = type(defaults[name].default)
        p.add_argument("--" + name.replace("_", "-"), type=kind, default=None)
    p.add_argument("--tune-threshold", action=argparse.BooleanOptionalAction, default=None,
                   help="pick the relation threshold on dev after training (default: on)")
    args = vars(p.parse_args(argv))
    data = json.loads(Path(args.pop("config")).read_text(encoding="utf-8")) if args.get("config") else {}
    data.update({k: v for k, v in args.items() if v is not None and k != "config"})
    missing = [k for k in ("base", "train", "output") if not data.get(k)]
    if missing:
        p.error("missing " + ", ".join("--" + m for m in missing))
    return TrainConfig.from_dict(data)


def pack_batches(feats: list[DocFeatures], max_windows: int, rng: random.Random) -> list[list[DocFeatures]]:
    """Shuffle documents and pack them into batches of at most ``max_windows`` windows
    (a document longer than that forms its own batch)."""
    order = feats[:]
    rng.shuffle(order)
    batches: list[list[DocFeatures]] = []
    cur: list[DocFeatures] = []
    size = 0
    for f in order:
        n = len(f.encoding.windows)
        if n == 0:
            continue
        if cur and size + n > max_windows:
            batches.append(cur)
            cur, size = [], 0
        cur.append(f)
        size += n
    if cur:
        batches.append(cur)
    return batches


def batch_loss(model: JointModel, encoder: DocumentEncoder, batch: list[DocFeatures], cfg: TrainConfig,
               device: torch.device) -> tuple[torch.Tensor, float, float]:
    """Weighted token CE + relation BCE for a batch of documents; also returns both parts."""
    states = run_documents(model, encoder, [f.encoding for f in batch], batch_size=10_000, device=device)
    tok_sum = rel_sum = 0.0
    tok_n = rel_n = 0
    tok_loss = torch.zeros((), device=device)
    rel_loss = torch.zeros((), device=device)
    for f, (logits, hidden) in zip(batch, states):
        tags = torch.tensor(f.tags, device=device)
        n = int((tags != -100).sum())
        if n:
            tok_loss = tok_loss + f.weight * F.cross_entropy(logits, tags, ignore_index=-100, reduction="sum")
            tok_n += n
        if f.pairs:
            logits_r = model.relation_head(
                hidden,
                torch.tensor(f.bounds, device=device),
                torch.tensor(f.labels, device=device),
                torch.tensor(f.pairs, device=device),
                torch.tensor(f.pair_features, device=device),
            )
            target = torch.tensor(f.targets, device=device)
            rel_loss = rel_loss + f.weight * F.binary_cross_entropy_with_logits(logits_r, target, reduction="sum")
            rel_n += len(f.pairs)
    tok_loss = tok_loss / max(tok_n, 1)
    rel_loss = rel_loss / max(rel_n, 1)
    return tok_loss + cfg.relation_weight * rel_loss, float(tok_loss.detach()), float(rel_loss.detach())


def param_groups(model: JointModel, cfg: TrainConfig) -> list[dict[str, Any]]:
    """Encoder parameters at ``encoder_lr``; token classifier and relation head at ``head_lr``."""
    prefix = model.token_model.base_model_prefix + "."
    enc, head, no_decay = [], [], []
    for name, p in model.token_model.named_parameters():
        (enc if name.startswith(prefix) else head).append((name, p))
    groups = []
    for params, lr in ((enc, cfg.encoder_lr), (head, cfg.head_lr)):
        decay = [p for n, p in params if p.ndim > 1]
        flat = [p for n, p in params if p.ndim <= 1]
        groups += [{"params": decay, "lr": lr, "weight_decay": cfg.weight_decay},
                   {"params": flat, "lr": lr, "weight_decay": 0.0}]
    rel = list(model.relation_head.parameters())
    groups.append({"params": rel, "lr": cfg.head_lr, "weight_decay": cfg.weight_decay})
    del no_decay
    return [g for g in groups if g["params"]]


def evaluate_docs(model: JointModel, tokenizer: Any, docs: list[dict[str, Any]], cfg: TrainConfig,
                  device: torch.device) -> dict[str, Any]:
    """Strict dev scores through the real inference path (with the in-memory model)."""
    settings = InferenceSettings(cfg.max_length, cfg.stride, cfg.eval_batch_size)
    extractor = NeuralExtractor(model, tokenizer, device, settings)
    raw = extractor.predict_batch([d["text"] for d in docs])
    preds = [basic_extraction(d["text"], s, r).to_dict() for d, (s, r) in zip(docs, raw)]
    model.train()
    return strict_scores(docs, preds)


def tune_threshold(model: JointModel, tokenizer: Any, docs: list[dict[str, Any]], cfg: TrainConfig,
                   device: torch.device) -> tuple[float, float]:
    """The relation threshold that maximises dev relation micro-F1, and that F1.

    Predicting once at threshold 0 and filtering afterwards is exact: a single-tail label keeps
    its best-scoring target either way, and other labels are thresholded pair by pair.
    """
    head_cfg = model.relation_head.config
    saved, head_cfg.threshold = head_cfg.threshold, 0.0
    settings = InferenceSettings(cfg.max_length, cfg.stride, cfg.eval_batch_size)
    raw = NeuralExtractor(model, tokenizer, device, settings).predict_batch([d["text"] for d in docs])
    head_cfg.threshold = saved
    best = (saved, -1.0)
    for thr in [saved] + [round(0.1 * k, 1) for k in range(1, 10)]:  # ties keep the configured one
        preds = [basic_extraction(d["text"], s, [r for r in rels if r[2] >= thr]).to_dict()
                 for d, (s, rels) in zip(docs, raw)]
        f1 = strict_scores(docs, preds)["relations"]["micro"]["f1"]
        if f1 > best[1]:
            best = (thr, f1)
    return best


def _seed(seed: int) -> random.Random:
    random.seed(seed)
    torch.manual_seed(seed)
    return random.Random(seed)


def main(argv: Sequence[str] | None = None) -> dict[str, Any]:
    from tqdm.auto import tqdm
    from transformers import AutoTokenizer, get_linear_schedule_with_warmup

    cfg = parse_args(argv)
    torch.set_num_threads(cfg.threads or os.cpu_count() or 1)
    rng = _seed(cfg.seed)
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    out = Path(cfg.output)

    tokenizer = AutoTokenizer.from_pretrained(cfg.base)
    model = JointModel.from_base(cfg.base, {"span_dim": cfg.span_dim, "dropout": cfg.head_dropout, "threshold": cfg.relation_threshold}).to(device)
    encoder = DocumentEncoder(tokenizer, cfg.max_length, cfg.stride)
    gold = [(d, 1.0) for d in read_documents(cfg.train)]
    gold += [(d, cfg.silver_weight) for d in (read_documents(cfg.silver) if cfg.silver else [])]
    dev = read_documents(cfg.dev) if cfg.dev else []
    clean = [document_features(d, encoder, w) for d, w in gold]

    per_epoch = len(pack_batches(clean, cfg.batch_windows, random.Random(0)))
    total = cfg.max_steps or per_epoch * cfg.epochs
    epochs = cfg.epochs if not cfg.max_steps else math.ceil(cfg.max_steps / max(per_epoch, 1))
    optim = torch.optim.AdamW(param_groups(model, cfg))
    sched = get_linear_schedule_with_warmup(optim, int(cfg.warmup_ratio * total), total)
    print(f"{len(gold)} training documents, {sum(len(f.encoding.windows) for f in clean)} windows, "
          f"{per_epoch} steps/epoch, {total} steps, device {device}")

    history: list[dict[str, Any]] = []
    best, best_epoch, bad, step = -1.0, 0, 0, 0
    t_start, train_s = time.time(), 0.0
    model.train()
    for epoch in range(1, epochs + 1):
        feats = [document_features(augment(d, rng), encoder, w) if rng.random() < cfg.augment_prob else c
                 for (d, w), c in zip(gold, clean)]
        losses = []
        bar = tqdm(pack_batches(feats, cfg.batch_windows, rng), desc=f"epoch {epoch}", leave=False)
        for batch in bar:
            t_step = time.time()
            loss, tl, rl = batch_loss(model, encoder, batch, cfg, device)
            optim.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), cfg.grad_clip)
            optim.step()
            sched.step()
            step += 1
            train_s += time.time() - t_step
            losses.append(float(loss.detach()))
            bar.set_postfix(loss=f"{tl:.3f}+{rl:.3f}")
            if step >= total:
                break
        record: dict[str, Any] = {"epoch": epoch, "step": step, "train_loss": round(sum(losses) / max(len(losses), 1), 4),
                                  "elapsed_s": round(time.time() - t_start, 1)}
        if dev:
            scores = evaluate_docs(model, tokenizer, dev, cfg, device)
            ent_f1, rel_f1 = scores["entities"]["micro"]["f1"], scores["relations"]["micro"]["f1"]
            record.update(dev_entity_f1=ent_f1, dev_relation_f1=rel_f1)
            current = (ent_f1 + rel_f1) / 2
            if current > best:
                best, best_epoch, bad = current, epoch, 0
                model.save_pretrained(out, tokenizer, cfg.to_dict())
                (out / "dev_scores.json").write_text(json.dumps(scores, indent=2), encoding="utf-8")
            else:
                bad += 1
        history.append(record)
        print(json.dumps(record))
        if step >= total or (dev and cfg.patience and bad >= cfg.patience):
            break
    tuned = None
    if not dev:
        model.save_pretrained(out, tokenizer, cfg.to_dict())
        best_epoch = history[-1]["epoch"]
    elif cfg.tune_threshold:
        best_model = JointModel.from_pretrained(out).to(device)
        thr, f1 = tune_threshold(best_model, tokenizer, dev, cfg, device)
        best_model.relation_head.config.threshold = thr
        (out / HEAD_CONFIG).write_text(json.dumps(asdict(best_model.relation_head.config), indent=2), encoding="utf-8")
        tuned = {"relation_threshold": thr, "dev_relation_f1": f1}
        print(json.dumps({"tuned": tuned}))
    elapsed = time.time() - t_start
    metrics = {"best_epoch": best_epoch, "best_dev_score": round(best, 4) if dev else None, "steps": step,
               "seconds": round(elapsed, 1), "seconds_per_step": round(train_s / max(step, 1), 3), "tuned": tuned,
               "history": history}
    out.mkdir(parents=True, exist_ok=True)
    (out / "train_metrics.json").write_text(json.dumps(metrics, indent=2), encoding="utf-8")
    return metrics


if __name__ == "__main__":
    main()
