"""Silver data: the rule-based extractor's output on unlabelled real news, in ANNOTATION.md form.

Real news is what the model will read, and the hand-written corpus is small; rules give noisy but
real-text labels for pre-training or self-training. Two guards matter more than the labels:

- No dev article ever enters silver data (by id, or by text for re-crawled copies): training on
  dev text, even with rule labels, makes dev scores meaningless.
- Silver documents must pass the same validator as gold, so entities the rules produce against the
  guide (edge punctuation, cut words, overlaps) are dropped along with their relations, rather
  than the whole document.

Output goes to the git-ignored ``artifacts/`` or outside the repository, never into tracked data.

Usage: ``python -m training.silver --output artifacts/silver/fars-silver.jsonl [--min-values 2]``
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any, Iterable, Iterator, Sequence

from persian_export_ner.labels import VALUE_LABELS, relation_allowed
from training.corpus import is_valid_published, span_problems, validate_document

REPO = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = REPO.parent / "shared" / "corpus" / "fars-news.jsonl"
DEFAULT_EXCLUDE = (REPO.parent / "shared" / "data" / "fars-annotated-dev.jsonl",)
DEFAULT_OUTPUT = REPO / "artifacts" / "silver" / "fars-silver.jsonl"


class SilverError(ValueError):
    pass


def read_jsonl(path: Path) -> Iterator[dict]:
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)


def excluded_keys(paths: Iterable[Path]) -> tuple[set[str], set[str]]:
    """Ids and whitespace-normalized texts of every document in ``paths``."""
    ids, texts = set(), set()
    for path in paths:
        for doc in read_jsonl(path):
            ids.add(str(doc["id"]))
            texts.add(_text_key(doc["text"]))
    return ids, texts


def _text_key(text: str) -> str:
    return " ".join(text.split())


def to_document(doc_id: str, text: str, extraction: Any) -> dict:
    """An ANNOTATION.md document from one ``Extraction``, keeping only guide-conforming entities.

    Entities are renumbered T1.. in text order; a relation survives only if both ends did and
    the guide allows it. ``published`` is kept only when the extractor read it from the text
    (a dateline), since a date passed in by the caller is not a fact of the article.
    """
    kept = _clean_entities(text, [e.to_dict() for e in extraction.entities])
    new_id = {e["id"]: f"T{i}" for i, e in enumerate(kept, 1)}
    label = {e["id"]: e["label"] for e in kept}
    relations, seen = [], set()
    for rel in (r.to_dict() for r in extraction.relations):
        head, tail = rel["head"], rel["tail"]
        if head not in new_id or tail not in new_id:
            continue
        if relation_allowed(label[head], label[tail]) != rel["label"]:
            continue
        key = (new_id[head], new_id[tail], rel["label"])
        if key not in seen:
            seen.add(key)
            relations.append({"head": key[0], "tail": key[1], "label": key[2]})
    doc: dict[str, Any] = {"id": doc_id, "text": text}
    published = getattr(extraction, "published", None)
    if published and getattr(extraction, "published_source", None) == "dateline":
        if is_valid_published(f"g:{published}"):
            doc["published"] = f"g:{published}"
    doc["entities"] = [
        {"id": new_id[e["id"]], "start": e["start"], "end": e["end"], "label": e["label"], "text": e["text"]}
        for e in kept
    ]
    doc["relations"] = relations
    return doc


def _clean_entities(text: str, entities: list[dict]) -> list[dict]:
    """Entities in text order without invalid spans and without overlaps (longer span wins)."""
    good = [
        e for e in entities
        if 0 <= e["start"] < e["end"] <= len(text)
        and text[e["start"]:e["end"]] == e["text"]
        and not span_problems(text, e["start"], e["end"])
    ]
    chosen: list[dict] = []
    for ent in sorted(good, key=lambda e: (-(e["end"] - e["start"]), e["start"])):
        if all(ent["end"] <= c["start"] or c["end"] <= ent["start"] for c in chosen):
            chosen.append(ent)
    return sorted(chosen, key=lambda e: e["start"])


def make_silver(articles: Iterable[dict], extractor: Any, *, exclude_ids: set[str] = frozenset(),
                exclude_texts: set[str] = frozenset(), min_values: int = 0, batch_size: int = 32,
                limit: int | None = None) -> Iterator[dict]:
    """Yield silver documents for ``articles`` ({"id", "text"}), skipping excluded ones.

    ``min_values`` keeps only documents with at least that many MONEY/QUANTITY/PERCENT entities.
    """
    batch: list[dict] = []
    produced = 0

    def flush() -> Iterator[dict]:
        results = extractor.extract_batch([a["text"] for a in batch])
        for article, extraction in zip(batch, results):
            doc = to_document(str(article["id"]), article["text"], extraction)
            if sum(e["label"] in VALUE_LABELS for e in doc["entities"]) < min_values:
                continue
            problems = validate_document(doc, file="<silver>", line=0)
            if any(p.severity == "error" for p in problems):
                raise SilverError("silver document breaks the guide: " + "; ".join(map(str, problems)))
            yield doc

    for article in articles:
        if str(article["id"]) in exclude_ids or _text_key(article["text"]) in exclude_texts:
            continue
        batch.append(article)
        if len(batch) >= batch_size:
            for doc in flush():
                yield doc
                produced += 1
                if limit is not None and produced >= limit:
                    return
            batch = []
    if batch:
        for doc in flush():
            yield doc
            produced += 1
            if limit is not None and produced >= limit:
                return


def check_output_path(output: Path) -> None:
    """Refuse to write silver data into tracked parts of the repository."""
    out = output.resolve()
    if out.is_relative_to(REPO) and not out.is_relative_to(REPO / "artifacts"):
        raise SilverError(f"{output}: write silver data under {REPO / 'artifacts'} or outside the repository")


def main(argv: Sequence[str] | None = None) -> dict[str, Any]:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="JSONL with id and text")
    ap.add_argument("--exclude", type=Path, action="append", default=None,
                    help="JSONL whose ids/texts must not appear (repeatable; default: the dev set)")
    ap.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    ap.add_argument("--min-values", type=int, default=0, help="keep documents with at least N value entities")
    ap.add_argument("--limit", type=int, default=None, help="stop after N documents")
    ap.add_argument("--batch-size", type=int, default=32)
    args = ap.parse_args(argv)
    check_output_path(args.output)
    exclude = args.exclude if args.exclude is not None else list(DEFAULT_EXCLUDE)
    missing = [p for p in exclude if not p.exists()]
    if missing:
        raise SilverError(f"exclusion file(s) not found: {missing}; refusing to risk leaking dev text")
    ids, texts = excluded_keys(exclude)

    import persian_export_ner

    extractor = persian_export_ner.load(backend="rules")
    args.output.parent.mkdir(parents=True, exist_ok=True)
    n_docs = n_values = n_relations = 0
    with args.output.open("w", encoding="utf-8") as fh:
        for doc in make_silver(read_jsonl(args.corpus), extractor, exclude_ids=ids, exclude_texts=texts,
                               min_values=args.min_values, batch_size=args.batch_size, limit=args.limit):
            fh.write(json.dumps(doc, ensure_ascii=False) + "\n")
            n_docs += 1
            n_values += sum(e["label"] in VALUE_LABELS for e in doc["entities"])
            n_relations += len(doc["relations"])
    result = {"documents": n_docs, "value_entities": n_values, "relations": n_relations,
              "excluded_ids": len(ids), "output": str(args.output)}
    print(json.dumps(result, ensure_ascii=False), file=sys.stderr)
    return result


if __name__ == "__main__":
    main()
