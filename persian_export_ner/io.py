"""Reading documents for the CLI: plain text files, JSON Lines streams, stdin.

Streams are read lazily, one document at a time, so extracting from a multi-gigabyte JSONL
file keeps memory flat.
"""
from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Iterator


@dataclass(frozen=True)
class Document:
    id: str
    text: str
    published: Any = None


def _published(value: Any) -> Any:
    """The annotation format writes Gregorian dates as ``g:YYYY-MM-DD``; both forms are accepted."""
    return value or None


def _json_objects(lines: Iterable[str], source: str) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line number, object) for each non-empty line; bad lines fail with file and line."""
    for lineno, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ValueError(f"{source}:{lineno}: not valid JSON ({exc.msg})") from None
        if not isinstance(obj, dict) or not isinstance(obj.get("text"), str):
            raise ValueError(f"{source}:{lineno}: expected an object with a string 'text' field")
        yield lineno, obj


def iter_jsonl(lines: Iterable[str], source: str) -> Iterator[Document]:
    for lineno, obj in _json_objects(lines, source):
        yield Document(str(obj.get("id", f"{source}:{lineno}")), obj["text"], _published(obj.get("published")))


def iter_documents(paths: Iterable[str]) -> Iterator[Document]:
    """Documents from files (``.jsonl`` = one per line, anything else = one per file) or stdin."""
    paths = list(paths) or ["-"]
    for path in paths:
        if path == "-":
            data = sys.stdin.read()
            if data.lstrip().startswith("{"):
                yield from iter_jsonl(data.splitlines(), "<stdin>")
            else:
                yield Document("<stdin>", data)
            continue
        p = Path(path)
        if not p.is_file():
            raise FileNotFoundError(f"no such file: {path}")
        if p.suffix == ".jsonl":
            with p.open(encoding="utf-8") as fh:
                yield from iter_jsonl(fh, path)
        else:
            yield Document(p.stem, p.read_text(encoding="utf-8"))


def read_gold(path: str) -> list[dict[str, Any]]:
    """Gold documents for evaluation: JSON Lines with ``text``, ``entities``, ``relations``."""
    docs = []
    with open(path, encoding="utf-8") as fh:
        for lineno, doc in _json_objects(fh, path):
            for ent in doc.setdefault("entities", []):
                s, e = ent.get("start"), ent.get("end")
                if not (isinstance(s, int) and isinstance(e, int) and 0 <= s < e <= len(doc["text"])):
                    raise ValueError(f"{path}:{lineno}: entity {ent.get('id')} has bad offsets {s}..{e}")
            doc.setdefault("relations", [])
            docs.append(doc)
    return docs
