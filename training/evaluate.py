"""Evaluate a model directory on gold JSONL: entities, relations, money normalization.

``python -m training.evaluate --model DIR --gold FILE.jsonl --report reports/NAME`` writes
``reports/NAME.json`` and ``reports/NAME.md`` and returns the metrics from ``main(argv)``.

A thin wrapper over the library's ``persian_export_ner.scoring`` (seqeval strict entity scores,
exact-span relation scores), so training, the CLI's ``evaluate`` and this script can never
disagree; it adds strict validation of the gold file and timing.
"""
from __future__ import annotations

import argparse
import json
import time
from pathlib import Path
from typing import Any, Sequence

from persian_export_ner import load
from persian_export_ner.scoring import evaluate_extractor, format_markdown
from training.corpus import load_documents


def main(argv: Sequence[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(prog="python -m training.evaluate", description=__doc__.splitlines()[0])
    parser.add_argument("--model", required=True, help="model directory, or 'rules' for the rule baseline")
    parser.add_argument("--gold", required=True, nargs="+", help="gold JSONL file(s)")
    parser.add_argument("--values", help="hand-normalized MONEY values (e.g. data/money_values.json)")
    parser.add_argument("--report", help="write REPORT.json and REPORT.md (e.g. reports/dev)")
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--device", default=None)
    args = parser.parse_args(argv)

    gold = load_documents(args.gold)
    if args.model == "rules":
        extractor = load(backend="rules")
    else:
        extractor = load(args.model, backend="neural", device=args.device)
    reference = json.loads(Path(args.values).read_text(encoding="utf-8"))["values"] if args.values else None
    t0 = time.perf_counter()
    scores = evaluate_extractor(extractor, gold, batch_size=args.batch_size, reference=reference)
    scores["seconds"] = round(time.perf_counter() - t0, 2)
    scores["model"] = str(args.model)
    scores["gold"] = [str(g) for g in args.gold]
    if args.report:
        report = Path(args.report)
        report.parent.mkdir(parents=True, exist_ok=True)
        report.with_name(report.name + ".json").write_text(json.dumps(scores, indent=2, ensure_ascii=False), encoding="utf-8")
        title = f"{' + '.join(Path(g).name for g in args.gold)} · {args.model}"
        report.with_name(report.name + ".md").write_text(format_markdown(scores, title), encoding="utf-8")
    ent, rel = scores["entities"]["micro"], scores["relations"]
    money = scores["money_normalization"]
    print(
        f"entities micro F1 {ent['f1']:.4f} | relations micro F1 {rel['micro']['f1']:.4f} "
        f"(IN_PERIOD+OF_PROVINCE {rel['period_province']['f1']:.4f}) | money {money['exact']}/{money['found']}"
    )
    return scores


if __name__ == "__main__":
    main()
