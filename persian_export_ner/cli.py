"""Command line: ``persian-export-ner extract|evaluate|render``.

Each command is a thin wrapper over a plain function that returns data, so the behaviour is
tested in-process and the CLI only parses arguments and prints.
"""
from __future__ import annotations

import argparse
import csv
import io
import json
import sys
from pathlib import Path
from typing import Any, Iterable, Iterator, Sequence

from .io import Document, iter_documents, read_gold
from .types import Extraction

FORMATS = ("json", "jsonl", "facts-csv", "facts-parquet")


def _batched(docs: Iterable[Document], size: int) -> Iterator[list[Document]]:
    batch: list[Document] = []
    for doc in docs:
        batch.append(doc)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def run_extract(
    docs: Iterable[Document], extractor: Any, published: Any = None, batch_size: int = 32, progress: bool = False
) -> Iterator[tuple[Document, Extraction]]:
    """Stream (document, extraction) pairs, a batch at a time (memory stays flat)."""
    from tqdm.auto import tqdm

    bar = tqdm(unit="doc", disable=not progress, file=sys.stderr)
    for batch in _batched(docs, batch_size):
        pubs = [published if published is not None else d.published for d in batch]
        for doc, ex in zip(batch, extractor.extract_batch([d.text for d in batch], pubs, batch_size=batch_size)):
            yield doc, ex
        bar.update(len(batch))
    bar.close()


def fact_rows(pairs: Iterable[tuple[Document, Extraction]]) -> Iterator[dict[str, Any]]:
    """Flat rows (lists joined with «|») for CSV/Parquet, one per fact."""
    from .facts import FACT_FIELDS

    for doc, ex in pairs:
        for fact in ex.facts:
            row = {"document": doc.id, "published": ex.published}
            for key in FACT_FIELDS:
                val = fact.get(key)
                row[key] = "|".join("" if v is None else str(v) for v in val) if isinstance(val, list) else val
            yield row


def write_extractions(pairs: Iterable[tuple[Document, Extraction]], fmt: str, out: Any) -> int:
    """Write in ``fmt`` to ``out`` (a text stream, or a path for parquet); returns the row count."""
    from .facts import FACT_FIELDS

    n = 0
    if fmt == "jsonl":
        for doc, ex in pairs:
            out.write(json.dumps({"id": doc.id, **ex.to_dict()}, ensure_ascii=False) + "\n")
            n += 1
    elif fmt == "json":
        items = [{"id": doc.id, **ex.to_dict()} for doc, ex in pairs]
        json.dump(items[0] if len(items) == 1 else items, out, ensure_ascii=False, indent=2)
        out.write("\n")
        n = len(items)
    elif fmt == "facts-csv":
        writer = csv.DictWriter(out, fieldnames=["document", "published", *FACT_FIELDS])
        writer.writeheader()
        for row in fact_rows(pairs):
            writer.writerow(row)
            n += 1
    elif fmt == "facts-parquet":
        try:
            import pyarrow as pa
            import pyarrow.parquet as pq
        except ImportError:
            raise SystemExit("facts-parquet needs pyarrow: pip install 'persian-export-ner[parquet]'") from None
        rows = list(fact_rows(pairs))
        columns = ["document", "published", *FACT_FIELDS]
        table = pa.table({c: [r.get(c) for r in rows] for c in columns})
        pq.write_table(table, out)
        n = len(rows)
    else:
        raise ValueError(f"format must be one of {FORMATS}")
    return n


def run_evaluate(gold_path: str, extractor: Any, batch_size: int = 16, values_path: str | None = None) -> dict[str, Any]:
    """Score ``extractor`` on a gold JSONL file (the gold ``published`` dates are passed on).

    ``values_path``: hand-normalized MONEY values (``{"values": {"doc:start:end": {...}}}``).
    """
    from .scoring import evaluate_extractor

    reference = json.loads(Path(values_path).read_text(encoding="utf-8"))["values"] if values_path else None
    return evaluate_extractor(extractor, read_gold(gold_path), batch_size=batch_size, reference=reference)


def _extractor(args: argparse.Namespace) -> Any:
    from .api import load

    return load(args.model, backend=args.backend, device=args.device)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="persian-export-ner", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)

    def model_args(p: argparse.ArgumentParser) -> None:
        p.add_argument("--model", help="model directory (default: the shipped model)")
        p.add_argument("--backend", default="auto", choices=("auto", "neural", "rules"))
        p.add_argument("--device", default=None, help="cpu, cuda, cuda:1 … (default: cuda if available)")
        p.add_argument("--batch-size", type=int, default=32)

    p = sub.add_parser("extract", help="extract from text files, JSONL streams or stdin")
    p.add_argument("files", nargs="*", help="text files (one document each) or .jsonl (a 'text' per line); stdin if none")
    p.add_argument("--published", help="publication date: YYYY-MM-DD (Gregorian) or Jalali 14xx-MM-DD")
    p.add_argument("--format", default="json", choices=FORMATS)
    p.add_argument("--output", "-o", help="output file (required for facts-parquet; default stdout)")
    p.add_argument("--progress", action="store_true", help="progress bar on stderr (default: when many files)")
    model_args(p)

    p = sub.add_parser("evaluate", help="strict entity and relation scores on a gold JSONL file")
    p.add_argument("gold")
    p.add_argument("--report", help="write REPORT.json and REPORT.md")
    p.add_argument("--values", help="hand-normalized MONEY values to check normalization against")
    model_args(p)

    p = sub.add_parser("render", help="an RTL HTML page of what was extracted")
    p.add_argument("files", nargs="*")
    p.add_argument("--published")
    model_args(p)

    args = parser.parse_args(argv)
    try:
        return _dispatch(args)
    except (ValueError, FileNotFoundError, TypeError) as exc:
        print(f"persian-export-ner: error: {exc}", file=sys.stderr)
        return 2


def _dispatch(args: argparse.Namespace) -> int:
    extractor = _extractor(args)
    if args.command == "extract":
        docs = iter_documents(args.files)
        progress = args.progress or len(args.files) > 20 or any(f.endswith(".jsonl") for f in args.files)
        pairs = run_extract(docs, extractor, args.published, args.batch_size, progress and sys.stderr.isatty() or args.progress)
        if args.format == "facts-parquet":
            if not args.output:
                raise ValueError("--format facts-parquet needs --output FILE.parquet")
            write_extractions(pairs, args.format, args.output)
        elif args.output:
            with open(args.output, "w", encoding="utf-8", newline="") as fh:
                write_extractions(pairs, args.format, fh)
        else:
            write_extractions(pairs, args.format, sys.stdout)
        return 0
    if args.command == "evaluate":
        from .scoring import format_markdown

        scores = run_evaluate(args.gold, extractor, args.batch_size, args.values)
        report = format_markdown(scores, title=f"{Path(args.gold).name} · {extractor.name}")
        print(report)
        if args.report:
            Path(args.report).parent.mkdir(parents=True, exist_ok=True)
            Path(args.report + ".json").write_text(json.dumps(scores, indent=2), encoding="utf-8")
            Path(args.report + ".md").write_text(report, encoding="utf-8")
        return 0
    if args.command == "render":
        from .render import render_html

        pairs = list(run_extract(iter_documents(args.files), extractor, args.published, args.batch_size))
        sys.stdout.write(render_html([ex for _, ex in pairs]))
        return 0
    return 2


if __name__ == "__main__":
    raise SystemExit(main())
