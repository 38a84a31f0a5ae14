"""Split the real annotated train file into a model-selection holdout and an oversampled rest.

The shipped model selects its epoch and relation threshold on real news rather than on the
team's own writing (which it fits far better than real articles), and sees the scarce real
documents three times per epoch so they are not drowned by the larger team corpus. The split is
deterministic (documents ordered by SHA-256 of their id; the first ``--holdout`` are held out), so
the shipped model's training data can be rebuilt exactly. Outputs go under git-ignored
``artifacts/``: the real text is never committed.

    python -m training.split_shared   # writes artifacts/splits/fars-train-{holdout,rest,rest-x3}.jsonl
"""
from __future__ import annotations

import argparse
import hashlib
import json
from pathlib import Path
from typing import Sequence


def split(src: Path, out_dir: Path, holdout: int = 10, copies: int = 3) -> dict[str, int]:
    lines = [line for line in src.read_text(encoding="utf-8").splitlines() if line.strip()]
    lines.sort(key=lambda line: hashlib.sha256(json.loads(line)["id"].encode()).hexdigest())
    held, rest = lines[:holdout], lines[holdout:]
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "fars-train-holdout.jsonl").write_text("".join(x + "\n" for x in held), encoding="utf-8")
    (out_dir / "fars-train-rest.jsonl").write_text("".join(x + "\n" for x in rest), encoding="utf-8")
    with (out_dir / f"fars-train-rest-x{copies}.jsonl").open("w", encoding="utf-8") as fh:
        for k in range(copies):
            for line in rest:
                doc = json.loads(line)
                doc["id"] = f"{doc['id']}#x{k}"  # ids stay unique across the copies
                fh.write(json.dumps(doc, ensure_ascii=False) + "\n")
    return {"holdout": len(held), "rest": len(rest), "oversampled": len(rest) * copies}


def main(argv: Sequence[str] | None = None) -> dict[str, int]:
    ap = argparse.ArgumentParser(prog="python -m training.split_shared", description=__doc__.splitlines()[0])
    ap.add_argument("--source", type=Path, default=Path("../shared/data/fars-annotated-train.jsonl"))
    ap.add_argument("--out", type=Path, default=Path("artifacts/splits"))
    ap.add_argument("--holdout", type=int, default=10)
    ap.add_argument("--copies", type=int, default=3)
    args = ap.parse_args(argv)
    counts = split(args.source, args.out, args.holdout, args.copies)
    print(counts)
    return counts


if __name__ == "__main__":
    main()
