"""Compile the team's inline annotation markup into ANNOTATION.md JSON Lines.

Writing offsets by hand is where annotation errors come from, so the team writes articles
with inline marks and this compiler computes offsets. Markup, one file may hold many documents:

    ### id: qom-0001
    ### published: 1402-06-11        (optional; Jalali, or g:YYYY-MM-DD)
    صادرات [قم]{PROVINCE#p1} در [سال ۱۴۰۱]{PERIOD#t1} به [۳۴۸ میلیون دلار]{MONEY>p1,t1} رسید.

- ``[span]{LABEL}`` marks an entity; ``#id`` names it so that values can point at it.
- ``{LABEL>a,b}`` on a value (MONEY/QUANTITY/PERCENT) links it to the entities named a and b;
  the relation type follows from the tail's label (PERIOD → IN_PERIOD, PROVINCE → OF_PROVINCE,
  COUNTRY → WITH_COUNTRY, PRODUCT → OF_PRODUCT). ``{MONEY#m1>p1}`` names and links at once.
- ``\\[``, ``\\]``, ``\\{`` and ``\\}`` are literal brackets.
- The body runs until the next ``### id:`` line; leading and trailing blank lines are dropped,
  inner line breaks (including hard breaks inside sentences) are kept as written.

Usage: ``python -m training.markup data/src/*.md -o data/train.jsonl``
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

from persian_export_ner.labels import ENTITY_LABELS, relation_allowed

_MARK = re.compile(r"\{([A-Z]+)(?:#([\w-]+))?(?:>([\w,\s-]+))?\}")
_ESCAPES = {"\\[": "[", "\\]": "]", "\\{": "{", "\\}": "}"}


class MarkupError(ValueError):
    pass


def _parse_body(body: str, where: str) -> tuple[str, list[dict], list[tuple[str, list[str]]]]:
    out: list[str] = []
    entities: list[dict] = []
    links: list[tuple[str, list[str]]] = []
    stack: list[int] = []  # positions in the output where an open "[" started
    i, n = 0, len(body)
    pos = 0
    while i < n:
        two = body[i : i + 2]
        if two in _ESCAPES:
            out.append(_ESCAPES[two])
            pos += 1
            i += 2
            continue
        ch = body[i]
        if ch == "[":
            if stack:
                raise MarkupError(f"{where}: nested '[' at offset {i}")
            stack.append(pos)
            i += 1
            continue
        if ch == "]":
            if not stack:
                raise MarkupError(f"{where}: unmatched ']' at offset {i}")
            m = _MARK.match(body, i + 1)
            if not m:
                raise MarkupError(f"{where}: ']' not followed by {{LABEL}} at offset {i}: {body[i:i+30]!r}")
            label, name, tails = m.group(1), m.group(2), m.group(3)
            if label not in ENTITY_LABELS:
                raise MarkupError(f"{where}: unknown label {label!r}")
            start = stack.pop()
            eid = f"T{len(entities) + 1}"
            entities.append({"id": eid, "start": start, "end": pos, "label": label, "_name": name})
            if tails:
                links.append((eid, [t.strip() for t in tails.split(",") if t.strip()]))
            i = m.end()
            continue
        out.append(ch)
        pos += 1
        i += 1
    if stack:
        raise MarkupError(f"{where}: unclosed '['")
    return "".join(out), entities, links


def compile_document(header: dict[str, str], body: str, where: str) -> dict:
    text, entities, links = _parse_body(body, where)
    names = {}
    for ent in entities:
        ent["text"] = text[ent["start"] : ent["end"]]
        if ent["text"] != ent["text"].strip() or not ent["text"]:
            raise MarkupError(f"{where}: span {ent['text']!r} starts or ends with whitespace")
        if ent["_name"]:
            if ent["_name"] in names:
                raise MarkupError(f"{where}: id {ent['_name']!r} used twice")
            names[ent["_name"]] = ent
    by_id = {e["id"]: e for e in entities}
    relations = []
    for head_id, tails in links:
        head = by_id[head_id]
        for tail_name in tails:
            if tail_name not in names:
                raise MarkupError(f"{where}: {head['text']!r} links to unknown id {tail_name!r}")
            tail = names[tail_name]
            rel = relation_allowed(head["label"], tail["label"])
            if rel is None:
                raise MarkupError(f"{where}: no relation from {head['label']} to {tail['label']}")
            relations.append({"head": head_id, "tail": tail["id"], "label": rel})
    doc = {"id": header["id"], "text": text}
    if header.get("published"):
        doc["published"] = header["published"]
    doc["entities"] = [{k: v for k, v in e.items() if k != "_name"} for e in entities]
    doc["relations"] = relations
    return doc


def parse_markup(source: str, filename: str = "<markup>") -> list[dict]:
    docs: list[dict] = []
    header: dict[str, str] | None = None
    body: list[str] = []
    lineno = 0

    def flush() -> None:
        if header is not None:
            text = "\n".join(body).strip("\n")
            docs.append(compile_document(header, text, f"{filename}:{header['_line']} ({header['id']})"))

    for lineno, line in enumerate(source.splitlines(), 1):
        m = re.match(r"^###\s*(\w+)\s*:\s*(.*?)\s*$", line)
        if m and m.group(1) == "id":
            flush()
            header, body = {"id": m.group(2), "_line": str(lineno)}, []
        elif m and header is not None and not body:
            header[m.group(1)] = m.group(2)
        elif header is None:
            if line.strip():
                raise MarkupError(f"{filename}:{lineno}: text before the first '### id:' line")
        else:
            body.append(line)
    flush()
    return docs


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("files", nargs="+", type=Path)
    ap.add_argument("-o", "--output", type=Path, required=True)
    args = ap.parse_args(argv)
    docs = []
    for path in args.files:
        docs.extend(parse_markup(path.read_text(encoding="utf-8"), str(path)))
    seen = set()
    for doc in docs:
        if doc["id"] in seen:
            raise MarkupError(f"duplicate document id {doc['id']!r}")
        seen.add(doc["id"])
    with args.output.open("w", encoding="utf-8") as fh:
        for doc in docs:
            fh.write(json.dumps(doc, ensure_ascii=False) + "\n")
    print(f"{len(docs)} documents -> {args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
