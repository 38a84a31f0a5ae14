"""Scores of predicted documents against gold ones, in the ANNOTATION.md document format.

Entity scores are seqeval's strict mode (IOB2) on character-level tag sequences: because
entities never overlap, that is exactly exact-span matching, and it stays comparable with
every other NER paper that reports seqeval numbers. Relations match on (head span, tail span,
label), so a relation only counts when both of its entities were found exactly.
"""
from __future__ import annotations

from collections import Counter
from typing import Any, Iterable, Mapping

from .labels import ENTITY_LABELS, RELATION_LABELS

Doc = Mapping[str, Any]


def _char_tags(text: str, entities: Iterable[Mapping[str, Any]]) -> list[str]:
    tags = ["O"] * len(text)
    for ent in entities:
        s, e, lab = int(ent["start"]), int(ent["end"]), ent["label"]
        if s >= e:
            continue
        tags[s] = f"B-{lab}"
        for i in range(s + 1, e):
            tags[i] = f"I-{lab}"
    return tags


def _prf(tp: int, n_pred: int, n_gold: int) -> dict[str, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": p, "recall": r, "f1": f, "support": n_gold}


def entity_scores(gold_docs: list[Doc], pred_docs: list[Doc]) -> dict[str, Any]:
    """seqeval strict (IOB2) per-label and micro P/R/F1."""
    from seqeval.metrics import classification_report
    from seqeval.scheme import IOB2

    y_true = [_char_tags(g["text"], g.get("entities", ())) for g in gold_docs]
    y_pred = [_char_tags(g["text"], p.get("entities", ())) for g, p in zip(gold_docs, pred_docs)]
    report = classification_report(
        y_true, y_pred, mode="strict", scheme=IOB2, output_dict=True, zero_division=0
    )
    per_label = {
        lab: {
            "precision": float(report[lab]["precision"]),
            "recall": float(report[lab]["recall"]),
            "f1": float(report[lab]["f1-score"]),
            "support": int(report[lab]["support"]),
        }
        for lab in ENTITY_LABELS
        if lab in report
    }
    micro = report.get("micro avg", {})
    return {
        "micro": {
            "precision": float(micro.get("precision", 0.0)),
            "recall": float(micro.get("recall", 0.0)),
            "f1": float(micro.get("f1-score", 0.0)),
            "support": int(micro.get("support", 0)),
        },
        "per_label": per_label,
    }


def _relation_keys(doc: Doc) -> set[tuple[int, int, int, int, str]]:
    spans = {e["id"]: (int(e["start"]), int(e["end"])) for e in doc.get("entities", ())}
    keys = set()
    for rel in doc.get("relations", ()):
        if rel["head"] in spans and rel["tail"] in spans:
            keys.add((*spans[rel["head"]], *spans[rel["tail"]], rel["label"]))
    return keys


def relation_scores(gold_docs: list[Doc], pred_docs: list[Doc]) -> dict[str, Any]:
    """Strict relation P/R/F1 per label, micro, and over IN_PERIOD + OF_PROVINCE."""
    tp: Counter[str] = Counter()
    n_pred: Counter[str] = Counter()
    n_gold: Counter[str] = Counter()
    for gold, pred in zip(gold_docs, pred_docs):
        g, p = _relation_keys(gold), _relation_keys(pred)
        for key in g:
            n_gold[key[4]] += 1
        for key in p:
            n_pred[key[4]] += 1
        for key in g & p:
            tp[key[4]] += 1
    per_label = {lab: _prf(tp[lab], n_pred[lab], n_gold[lab]) for lab in RELATION_LABELS}
    core = ("IN_PERIOD", "OF_PROVINCE")
    return {
        "micro": _prf(sum(tp.values()), sum(n_pred.values()), sum(n_gold.values())),
        "period_province": _prf(
            sum(tp[c] for c in core), sum(n_pred[c] for c in core), sum(n_gold[c] for c in core)
        ),
        "per_label": per_label,
    }


def score(gold_docs: list[Doc], pred_docs: list[Doc]) -> dict[str, Any]:
    """Entity and relation scores; ``pred_docs[i]`` is the prediction for ``gold_docs[i]``."""
    if len(gold_docs) != len(pred_docs):
        raise ValueError(f"{len(gold_docs)} gold documents but {len(pred_docs)} predictions")
    for g, p in zip(gold_docs, pred_docs):
        if "text" in p and p["text"] != g["text"]:
            raise ValueError(f"prediction text differs from gold text in document {g.get('id')!r}")
    return {
        "documents": len(gold_docs),
        "entities": entity_scores(gold_docs, pred_docs),
        "relations": relation_scores(gold_docs, pred_docs),
    }


def format_markdown(scores: Mapping[str, Any], title: str = "Scores") -> str:
    """A Markdown report of :func:`score`'s output."""
    lines = [f"## {title}", "", f"{scores['documents']} documents.", ""]
    lines += ["| entity | P | R | F1 | support |", "|---|---|---|---|---|"]
    ent = scores["entities"]
    for lab, s in ent["per_label"].items():
        lines.append(f"| {lab} | {s['precision']:.3f} | {s['recall']:.3f} | {s['f1']:.3f} | {s['support']} |")
    m = ent["micro"]
    lines.append(f"| **micro** | {m['precision']:.3f} | {m['recall']:.3f} | **{m['f1']:.3f}** | {m['support']} |")
    lines += ["", "| relation | P | R | F1 | support |", "|---|---|---|---|---|"]
    rel = scores["relations"]
    for lab, s in rel["per_label"].items():
        lines.append(f"| {lab} | {s['precision']:.3f} | {s['recall']:.3f} | {s['f1']:.3f} | {s['support']} |")
    for name in ("period_province", "micro"):
        s = rel[name]
        lines.append(
            f"| **{name}** | {s['precision']:.3f} | {s['recall']:.3f} | **{s['f1']:.3f}** | {s['support']} |"
        )
    money = scores.get("money_normalization")
    if money:
        lines += [
            "",
            f"MONEY normalization: {money['exact']}/{money['found']} exactly found MONEY spans carry the right "
            f"value ({money['accuracy']:.3f}); {money['independent_reference']} checked against hand-normalized values.",
        ]
    return "\n".join(lines) + "\n"


def _gold_published(value: Any) -> Any:
    return value or None


def money_normalization(
    gold_docs: list[Doc], pred_docs: list[Doc], reference: Mapping[str, Mapping[str, Any]] | None = None
) -> dict[str, Any]:
    """How often a correctly found MONEY span carries the right normalized value.

    ``reference`` maps ``"doc_id:start:end"`` to hand-normalized values (``data/money_values.json``);
    spans it does not cover fall back to the gold entity's own ``value``, then to the normalizer's
    parse of the gold span (which only checks consistency, hence ``independent`` in the result).
    """
    from .values import parse_value

    found = exact = independent = 0
    errors = []
    for gold, pred in zip(gold_docs, pred_docs):
        pred_by_span = {(e["start"], e["end"]): e for e in pred.get("entities", ()) if e["label"] == "MONEY"}
        for ent in gold.get("entities", ()):
            if ent["label"] != "MONEY" or (ent["start"], ent["end"]) not in pred_by_span:
                continue
            found += 1
            key = f"{gold.get('id')}:{ent['start']}:{ent['end']}"
            want = (reference or {}).get(key) or ent.get("value")
            if want is not None:
                independent += 1
            else:
                want = parse_value(ent["text"], "MONEY") or {}
            got = pred_by_span[(ent["start"], ent["end"])].get("value") or {}
            fields = ("amount", "amount_max", "currency")
            if got.get("amount") is not None and all(_same(got.get(f), want.get(f)) for f in fields):
                exact += 1
            else:
                errors.append({"key": key, "want": {f: want.get(f) for f in fields}, "got": {f: got.get(f) for f in fields}})
    return {
        "found": found,
        "exact": exact,
        "accuracy": exact / found if found else 0.0,
        "independent_reference": independent,
        "errors": errors,
    }


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))
    return a == b


def evaluate_extractor(
    extractor: Any,
    gold_docs: list[Doc],
    batch_size: int = 16,
    reference: Mapping[str, Mapping[str, Any]] | None = None,
) -> dict[str, Any]:
    """Run ``extractor`` on the gold texts and score it, money normalization included."""
    texts = [g["text"] for g in gold_docs]
    pubs = [_gold_published(g.get("published")) for g in gold_docs]
    preds = [ex.to_dict() for ex in extractor.extract_batch(texts, pubs, batch_size=batch_size)]
    scores = score(gold_docs, preds)
    scores["money_normalization"] = money_normalization(gold_docs, preds, reference)
    return scores
