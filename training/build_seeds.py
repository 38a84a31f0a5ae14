"""Compile the gold annotation of the seed articles into ``seeds/annotations.jsonl``.

The seed articles (``seeds/*.txt``) are the project's reference examples, so their gold file
must describe *exactly* those files: the markup in ``data/src-seeds/seeds.md`` is compiled with
:func:`training.markup.parse_markup`, and each compiled text is checked against the seed file it
names (document id = file name without ``.txt``). The markup compiler drops trailing blank lines,
so the only difference allowed is trailing whitespace at the very end of the file, which moves no
offset; the stored ``text`` is then the file's exact content, so offsets index the real file.

Usage: ``python -m training.build_seeds [--markup data/src-seeds/seeds.md] [--seeds seeds]
[-o seeds/annotations.jsonl]``
"""
from __future__ import annotations

import argparse
import json
import sys
import unicodedata
from pathlib import Path

from training.markup import parse_markup

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_MARKUP = ROOT / "data" / "src-seeds" / "seeds.md"
DEFAULT_SEEDS = ROOT / "seeds"
DEFAULT_OUTPUT = DEFAULT_SEEDS / "annotations.jsonl"

_ZWNJ = "\u200c"


class SeedMismatch(ValueError):
    """The gold markup does not reproduce a seed file; fix the markup, never the seed."""


def _is_word_char(ch: str) -> bool:
    return ch == _ZWNJ or unicodedata.category(ch)[0] in "LMN"


def check_span_edges(doc: dict) -> None:
    """Reject spans that cut a word or start/end on punctuation (ANNOTATION.md boundary rules)."""
    text = doc["text"]
    for ent in doc["entities"]:
        start, end, span = ent["start"], ent["end"], ent["text"]
        if not (_is_word_char(span[0]) and _is_word_char(span[-1])):
            raise SeedMismatch(f"{doc['id']}: span {span!r} starts or ends with punctuation")
        if (start > 0 and _is_word_char(text[start - 1])) or (end < len(text) and _is_word_char(text[end])):
            raise SeedMismatch(f"{doc['id']}: span {span!r} at {start}-{end} cuts a word")


def attach_seed_text(doc: dict, seed_text: str) -> dict:
    """Return ``doc`` with the seed file's exact content as ``text``, after checking they agree."""
    compiled = doc["text"]
    if seed_text == compiled:
        return doc
    tail = seed_text[len(compiled):]
    if seed_text.startswith(compiled) and not tail.strip():
        return {**doc, "text": seed_text}
    common = next((i for i, (a, b) in enumerate(zip(compiled, seed_text)) if a != b), min(len(compiled), len(seed_text)))
    raise SeedMismatch(
        f"{doc['id']}: compiled text differs from the seed file at offset {common}: "
        f"markup {compiled[common:common + 30]!r} vs seed {seed_text[common:common + 30]!r}; "
        "copy the seed text verbatim into the markup"
    )


def build(markup_path: Path, seeds_dir: Path) -> list[dict]:
    """Compile the markup and return one checked document per seed file, in file-name order."""
    docs = parse_markup(markup_path.read_text(encoding="utf-8"), str(markup_path))
    by_id = {d["id"]: d for d in docs}
    seed_files = sorted(seeds_dir.glob("*.txt"))
    missing = sorted({p.stem for p in seed_files} - by_id.keys())
    extra = sorted(by_id.keys() - {p.stem for p in seed_files})
    if missing or extra or len(by_id) != len(docs):
        raise SeedMismatch(f"markup ids must match seed files one to one; missing {missing}, unknown {extra}")
    out = []
    for path in seed_files:
        # newline="" keeps the file's exact characters (no universal-newline translation).
        with path.open(encoding="utf-8", newline="") as fh:
            seed_text = fh.read()
        doc = attach_seed_text(by_id[path.stem], seed_text)
        for ent in doc["entities"]:
            if doc["text"][ent["start"]:ent["end"]] != ent["text"]:
                raise SeedMismatch(f"{doc['id']}: offsets of {ent['text']!r} do not match the seed text")
        check_span_edges(doc)
        out.append(doc)
    return out


def main(argv: list[str] | None = None) -> dict:
    """Build the seed gold file; returns counts (documents, entities, relations) for callers and tests."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--markup", type=Path, default=DEFAULT_MARKUP)
    ap.add_argument("--seeds", type=Path, default=DEFAULT_SEEDS)
    ap.add_argument("-o", "--output", type=Path, default=DEFAULT_OUTPUT)
    args = ap.parse_args(argv)
    docs = build(args.markup, args.seeds)
    with args.output.open("w", encoding="utf-8") as fh:
        for doc in docs:
            fh.write(json.dumps(doc, ensure_ascii=False) + "\n")
    stats = {
        "documents": len(docs),
        "entities": sum(len(d["entities"]) for d in docs),
        "relations": sum(len(d["relations"]) for d in docs),
    }
    print(f"{stats['documents']} seed documents, {stats['entities']} entities, "
          f"{stats['relations']} relations -> {args.output}", file=sys.stderr)
    return stats


if __name__ == "__main__":
    main()
    raise SystemExit(0)
