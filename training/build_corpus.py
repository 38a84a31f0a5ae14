"""Compile the team's markup sources into train/dev/test JSONL, and refuse a corpus that repeats.

``data/src/*.md`` (see ``training.markup``) → ``data/train.jsonl``, ``data/dev.jsonl``,
``data/test.jsonl``. Why each rule:

- The split is by a stable hash of the document id (~80/10/10), not by position or a seeded
  shuffle, so adding documents never moves an old one to another split: dev and test scores
  stay comparable across corpus versions and no document drifts from test into train.
- Duplicate document ids fail: they would make the split and every error report ambiguous.
- A sentence that appears in two documents fails: a repeated sentence in train and test
  inflates scores, and repetition inside train teaches templates (the corpus must not repeat).
- A sentence copied from the read-only real news (``../shared/corpus``, ``../shared/data``)
  fails: the project may not contain their text.
- Everything is validated with ``training.corpus`` before anything is written.

Usage: ``python -m training.build_corpus [--src data/src] [--out data] [--min-words 5]``
"""
from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any, Iterable, Sequence

from persian_export_ner.text import normalize_text, sentence_spans
from training.corpus import load_documents, raise_on_errors, validate_document
from training.markup import parse_markup

REPO = Path(__file__).resolve().parents[1]
SPLITS = ("train", "dev", "test")
DEFAULT_FORBIDDEN = (
    REPO.parent / "shared" / "corpus" / "fars-news.jsonl",
    REPO.parent / "shared" / "data" / "fars-annotated-train.jsonl",
    REPO.parent / "shared" / "data" / "fars-annotated-dev.jsonl",
)
_WORD = re.compile(r"\w+")


class CorpusError(ValueError):
    """The sources cannot become a corpus; the message lists every offending id or sentence."""


def split_of(doc_id: str, dev: float = 0.1, test: float = 0.1) -> str:
    """"train", "dev" or "test" for a document id; depends on nothing but the id."""
    bucket = int(hashlib.sha256(doc_id.encode("utf-8")).hexdigest()[:12], 16) / 16**12
    if bucket < 1.0 - dev - test:
        return "train"
    return "dev" if bucket < 1.0 - test else "test"


def compile_sources(paths: Iterable[Path]) -> list[tuple[dict, str]]:
    """Every document of the markup files, with the file it came from."""
    out = []
    for path in sorted(paths):
        for doc in parse_markup(path.read_text(encoding="utf-8"), str(path)):
            out.append((doc, str(path)))
    return out


def check_ids(compiled: Sequence[tuple[dict, str]]) -> None:
    seen: dict[str, str] = {}
    dupes = []
    for doc, where in compiled:
        if doc["id"] in seen:
            dupes.append(f"duplicate document id {doc['id']!r} in {where} (also in {seen[doc['id']]})")
        seen.setdefault(doc["id"], where)
    if dupes:
        raise CorpusError("\n".join(dupes))


def sentence_keys(text: str, min_words: int) -> set[tuple[str, ...]]:
    """Normalized word tuples of the sentences of ``text`` that have at least ``min_words`` words.

    Normalizing (letters, digits, ZWNJ) and dropping punctuation means a copy with «ي» for «ی»
    or Persian for Latin digits is still a copy.
    """
    keys = set()
    for start, end in sentence_spans(text):
        words = tuple(_WORD.findall(normalize_text(text[start:end])))
        if len(words) >= min_words:
            keys.add(words)
    return keys


def repeated_sentences(docs: Sequence[dict], min_words: int) -> dict[tuple[str, ...], list[str]]:
    """Sentences (as word tuples) found in more than one document → the ids of those documents."""
    where: dict[tuple[str, ...], list[str]] = defaultdict(list)
    for doc in docs:
        for key in sentence_keys(doc["text"], min_words):
            where[key].append(doc["id"])
    return {k: ids for k, ids in where.items() if len(ids) > 1}


def leaked_sentences(docs: Sequence[dict], forbidden: Iterable[Path], min_words: int) -> list[str]:
    """Reasons for each document sentence that also occurs in a forbidden JSONL (``text`` field)."""
    ours: dict[tuple[str, ...], str] = {}
    for doc in docs:
        for key in sentence_keys(doc["text"], min_words):
            ours.setdefault(key, doc["id"])
    found = []
    for path in forbidden:
        if not path.exists():
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            record = json.loads(line)
            for key in sentence_keys(record.get("text", ""), min_words) & ours.keys():
                found.append(f"{ours[key]}: sentence copied from {path.name} ({record.get('id')}): "
                             f"{' '.join(key[:8])} …")
    return found


def build(src: Sequence[Path], out_dir: Path, *, min_words: int = 5,
          forbidden: Iterable[Path] = DEFAULT_FORBIDDEN, dev: float = 0.1, test: float = 0.1) -> dict[str, Any]:
    """Compile, check, split and write; returns document counts per split."""
    compiled = compile_sources(src)
    check_ids(compiled)
    problems = []
    for doc, where in compiled:
        problems += validate_document(doc, file=where, line=0)
    raise_on_errors(problems)
    docs = [doc for doc, _ in compiled]
    repeats = repeated_sentences(docs, min_words)
    if repeats:
        lines = [f"in {', '.join(ids)}: {' '.join(key[:10])} …" for key, ids in repeats.items()]
        raise CorpusError(f"{len(repeats)} sentence(s) appear in more than one document; rewrite them:\n"
                          + "\n".join(lines))
    leaks = leaked_sentences(docs, forbidden, min_words)
    if leaks:
        raise CorpusError(f"{len(leaks)} sentence(s) copied from read-only real news:\n" + "\n".join(leaks))
    by_split: dict[str, list[dict]] = {name: [] for name in SPLITS}
    for doc in docs:
        by_split[split_of(doc["id"], dev, test)].append(doc)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, split_docs in by_split.items():
        path = out_dir / f"{name}.jsonl"
        path.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in split_docs), encoding="utf-8")
        paths.append(path)
    load_documents(paths)  # what was written reads back valid
    return {name: len(split_docs) for name, split_docs in by_split.items()}


def main(argv: list[str] | None = None) -> dict[str, Any]:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--src", type=Path, default=REPO / "data" / "src", help="folder of *.md markup files")
    ap.add_argument("--out", type=Path, default=REPO / "data", help="folder for train/dev/test.jsonl")
    ap.add_argument("--min-words", type=int, default=5, help="shorter sentences may repeat (default 5)")
    ap.add_argument("--no-leak-check", action="store_true", help="skip the check against ../shared text")
    args = ap.parse_args(argv)
    sources = sorted(args.src.glob("*.md"))
    if not sources:
        raise CorpusError(f"no *.md markup files in {args.src}")
    counts = build(sources, args.out, min_words=args.min_words,
                   forbidden=() if args.no_leak_check else DEFAULT_FORBIDDEN)
    print(f"{sum(counts.values())} documents from {len(sources)} files -> "
          + ", ".join(f"{args.out / n}.jsonl ({c})" for n, c in counts.items()), file=sys.stderr)
    return counts


if __name__ == "__main__":
    try:
        main()
    except (CorpusError, ValueError) as exc:
        print(f"build_corpus: {exc}", file=sys.stderr)
        raise SystemExit(1)
