"""Evaluate a model directory on gold JSONL: entities, relations, money normalization.

``python -m training.evaluate --model DIR --gold FILE.jsonl --report reports/NAME`` writes
``reports/NAME.json`` and ``reports/NAME.md`` and returns the metrics from ``main(argv)``.

Scores are strict: an entity counts only with exact boundaries and label, a relation only when
both its ends are exactly right and its label matches. The library's
``persian_export_ner.scoring.score`` is used when present so that numbers agree with the rest of
the project; ``strict_scores`` below is the self-contained fallback (and what training uses for
model selection, so a change elsewhere cannot disturb a run in progress).
"""
from __future__ import annotations

import argparse
import json
import time
from collections import Counter
from pathlib import Path
from typing import Any, Sequence

from persian_export_ner.labels import ENTITY_LABELS, RELATION_LABELS

CORE_RELATIONS = ("IN_PERIOD", "OF_PROVINCE")


def _prf(tp: int, n_pred: int, n_gold: int) -> dict[str, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4), "support": n_gold}


def _entity_keys(doc: dict[str, Any]) -> dict[str, tuple[int, int, str]]:
    return {e["id"]: (e["start"], e["end"], e["label"]) for e in doc.get("entities", [])}


def _relation_keys(doc: dict[str, Any]) -> set[tuple]:
    ents = _entity_keys(doc)
    return {(ents[r["head"]], ents[r["tail"]], r["label"]) for r in doc.get("relations", [])
            if r["head"] in ents and r["tail"] in ents}


def strict_scores(gold_docs: Sequence[dict[str, Any]], pred_docs: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Exact-match P/R/F1 per entity label, micro; per relation label, micro and IN_PERIOD+OF_PROVINCE."""
    counts: dict[str, Counter] = {"tp": Counter(), "pred": Counter(), "gold": Counter()}
    rel: dict[str, Counter] = {"tp": Counter(), "pred": Counter(), "gold": Counter()}
    for gold, pred in zip(gold_docs, pred_docs, strict=True):
        g, p = set(_entity_keys(gold).values()), set(_entity_keys(pred).values())
        for key, bag in (("gold", g), ("pred", p), ("tp", g & p)):
            counts[key].update(k[2] for k in bag)
        gr, pr = _relation_keys(gold), _relation_keys(pred)
        for key, bag in (("gold", gr), ("pred", pr), ("tp", gr & pr)):
            rel[key].update(k[2] for k in bag)
    entities = {lab: _prf(counts["tp"][lab], counts["pred"][lab], counts["gold"][lab]) for lab in ENTITY_LABELS}
    entities["micro"] = _prf(sum(counts["tp"].values()), sum(counts["pred"].values()), sum(counts["gold"].values()))
    relations = {lab: _prf(rel["tp"][lab], rel["pred"][lab], rel["gold"][lab]) for lab in RELATION_LABELS}
    relations["micro"] = _prf(sum(rel["tp"].values()), sum(rel["pred"].values()), sum(rel["gold"].values()))
    relations["core"] = _prf(*(sum(rel[k][lab] for lab in CORE_RELATIONS) for k in ("tp", "pred", "gold")))
    return {"entities": entities, "relations": relations}


def score_documents(gold_docs: Sequence[dict[str, Any]], pred_docs: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """The library's scorer when available, with our strict scores alongside for comparison."""
    result = {"strict": strict_scores(gold_docs, pred_docs)}
    try:
        from persian_export_ner.scoring import score
    except ImportError:
        return result
    result["library"] = score(list(gold_docs), list(pred_docs))
    return result


def money_accuracy(gold_docs: Sequence[dict[str, Any]], pred_docs: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Share of exactly found MONEY spans whose predicted value (amount, currency) equals the gold parse."""
    try:
        from persian_export_ner.scoring import money_normalization
    except ImportError:
        pass
    else:
        res = money_normalization(list(gold_docs), list(pred_docs))
        return {"accuracy": round(res["accuracy"], 4), "support": res["found"]}
    try:
        from persian_export_ner.values import parse_value
    except ImportError:
        return {"accuracy": None, "support": 0, "note": "persian_export_ner.values missing"}
    right = total = 0
    for gold, pred in zip(gold_docs, pred_docs):
        found = {(e["start"], e["end"]): e for e in pred.get("entities", []) if e["label"] == "MONEY"}
        for e in gold.get("entities", []):
            p = found.get((e["start"], e["end"])) if e["label"] == "MONEY" else None
            if p is None:
                continue
            total += 1
            want = parse_value(e["text"], "MONEY", gold.get("published")) or {}
            got = p.get("value") or {}
            right += (want.get("amount"), want.get("currency")) == (got.get("amount"), got.get("currency"))
    return {"accuracy": round(right / total, 4) if total else None, "support": total}


def predict_documents(extractor: Any, gold_docs: Sequence[dict[str, Any]], batch_size: int = 16) -> list[dict[str, Any]]:
    """Run the extractor on gold texts; predictions in the annotation format (plus values)."""
    texts = [d["text"] for d in gold_docs]
    pubs = [d.get("published") for d in gold_docs]
    out = extractor.extract_batch(texts, published=pubs, batch_size=batch_size)
    return [{"id": d.get("id"), **x.to_dict()} for d, x in zip(gold_docs, out)]


def render_markdown(name: str, metrics: dict[str, Any]) -> str:
    strict = metrics["scores"]["strict"]
    lines = [f"# Evaluation: {name}", "", f"model `{metrics['model']}` on `{metrics['gold']}` "
             f"({metrics['documents']} documents, {metrics['seconds']:.1f} s)", "",
             "| entity | P | R | F1 | support |", "|---|---|---|---|---|"]
    for lab, m in strict["entities"].items():
        lines.append(f"| {lab} | {m['precision']:.3f} | {m['recall']:.3f} | {m['f1']:.3f} | {m['support']} |")
    lines += ["", "| relation | P | R | F1 | support |", "|---|---|---|---|---|"]
    for lab, m in strict["relations"].items():
        lines.append(f"| {lab} | {m['precision']:.3f} | {m['recall']:.3f} | {m['f1']:.3f} | {m['support']} |")
    money = metrics["money"]
    lines += ["", f"Money normalization accuracy: {money['accuracy']} (on {money['support']} exactly found MONEY spans)", ""]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(prog="python -m training.evaluate", description=__doc__.splitlines()[0])
    parser.add_argument("--model", required=True, help="model directory written by training.train")
    parser.add_argument("--gold", required=True, nargs="+", help="gold JSONL file(s)")
    parser.add_argument("--report", help="write REPORT.json and REPORT.md (e.g. reports/dev)")
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--device", default=None)
    args = parser.parse_args(argv)

    from persian_export_ner.neural.extractor import NeuralExtractor
    from training.features import read_documents

    gold = read_documents(args.gold)
    extractor = NeuralExtractor.from_pretrained(args.model, device=args.device, batch_size=args.batch_size)
    t0 = time.time()
    pred = predict_documents(extractor, gold, args.batch_size)
    metrics = {
        "model": str(args.model),
        "gold": " ".join(args.gold),
        "documents": len(gold),
        "seconds": round(time.time() - t0, 2),
        "scores": score_documents(gold, pred),
        "money": money_accuracy(gold, pred),
    }
    if args.report:
        report = Path(args.report)
        report.parent.mkdir(parents=True, exist_ok=True)
        report.with_suffix(".json").write_text(json.dumps(metrics, indent=2, ensure_ascii=False), encoding="utf-8")
        report.with_suffix(".md").write_text(render_markdown(report.name, metrics), encoding="utf-8")
    ent, rel = metrics["scores"]["strict"]["entities"]["micro"], metrics["scores"]["strict"]["relations"]
    print(f"entities micro F1 {ent['f1']:.4f} | relations micro F1 {rel['micro']['f1']:.4f} "
          f"(IN_PERIOD+OF_PROVINCE {rel['core']['f1']:.4f}) | money acc {metrics['money']['accuracy']}")
    return metrics


if __name__ == "__main__":
    main()
