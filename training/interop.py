"""Convert ANNOTATION.md documents to and from doccano and Label Studio.

Annotators correct data in a tool, and the project trains on ANNOTATION.md JSONL, so both
directions must be lossless: ``from_x(to_x(docs)) == docs`` for every valid document, which the
tests check on hand-made, generated and (when present) the team's real documents.

- doccano, relation-extraction JSONL: ``{"text", "entities": [{"id", "label", "start_offset",
  "end_offset"}], "relations": [{"id", "from_id", "to_id", "type"}]}``. doccano numbers its own
  examples in ``id``, so our document id and ``published`` travel as the extra keys ``doc_id`` and
  ``published`` (doccano keeps unknown keys as metadata). Entity ids «T7» become the integer 7
  (doccano wants integers) and come back as «T7»; other ids are kept as strings.
- Label Studio JSON: a list of tasks ``{"data": {"text", "doc_id", "published"},
  "annotations": [{"result": [...]}]}`` with ``labels`` regions (``value.start/end/text/labels``)
  and ``relation`` items (``from_id/to_id/labels``). Label Studio counts offsets in UTF-16 code
  units (JavaScript strings), so characters outside the BMP shift them; we convert both ways.

CLI: ``python -m training.interop {to-doccano,from-doccano,to-labelstudio,from-labelstudio} IN OUT``
"""
from __future__ import annotations

import argparse
import bisect
import json
import re
import sys
from pathlib import Path
from typing import Any, Iterable

from persian_export_ner.labels import TAIL_RELATION

_T_ID = re.compile(r"^T([1-9]\d*)$")


class InteropError(ValueError):
    """An exported file cannot be turned back into ANNOTATION.md documents."""


# doccano


def to_doccano(docs: Iterable[dict]) -> list[dict]:
    """ANNOTATION.md documents → doccano relation-extraction records."""
    out = []
    for doc in docs:
        rec: dict[str, Any] = {"doc_id": doc["id"], "text": doc["text"]}
        if "published" in doc:
            rec["published"] = doc["published"]
        rec["entities"] = [
            {"id": _to_doccano_id(e["id"]), "label": e["label"], "start_offset": e["start"], "end_offset": e["end"]}
            for e in doc["entities"]
        ]
        rec["relations"] = [
            {"id": i, "from_id": _to_doccano_id(r["head"]), "to_id": _to_doccano_id(r["tail"]), "type": r["label"]}
            for i, r in enumerate(doc["relations"], 1)
        ]
        out.append(rec)
    return out


def from_doccano(records: Iterable[dict]) -> list[dict]:
    """doccano relation-extraction records → ANNOTATION.md documents (validate them afterwards)."""
    docs = []
    for n, rec in enumerate(records, 1):
        text = rec["text"]
        doc_id = rec.get("doc_id", rec.get("id", f"doccano-{n}"))
        entities = []
        for e in rec.get("entities", []):
            start, end = e["start_offset"], e["end_offset"]
            entities.append(_entity(_from_doccano_id(e["id"]), start, end, e["label"], text))
        relations = [
            {"head": _from_doccano_id(r["from_id"]), "tail": _from_doccano_id(r["to_id"]), "label": r["type"]}
            for r in rec.get("relations", [])
        ]
        docs.append(_document(str(doc_id), text, rec, entities, relations))
    return docs


def _to_doccano_id(eid: str) -> int | str:
    m = _T_ID.match(eid)
    return int(m.group(1)) if m else eid


def _from_doccano_id(value: int | str) -> str:
    return f"T{value}" if isinstance(value, int) else str(value)


# Label Studio


def to_labelstudio(docs: Iterable[dict], *, from_name: str = "label", to_name: str = "text") -> list[dict]:
    """ANNOTATION.md documents → Label Studio tasks (one completed annotation each)."""
    tasks = []
    for doc in docs:
        text = doc["text"]
        js = _Utf16(text)
        data: dict[str, Any] = {"text": text, "doc_id": doc["id"]}
        if "published" in doc:
            data["published"] = doc["published"]
        result: list[dict] = [
            {
                "id": e["id"],
                "from_name": from_name,
                "to_name": to_name,
                "type": "labels",
                "value": {"start": js.to_js(e["start"]), "end": js.to_js(e["end"]), "text": e["text"], "labels": [e["label"]]},
            }
            for e in doc["entities"]
        ]
        result += [
            {"from_id": r["head"], "to_id": r["tail"], "type": "relation", "direction": "right", "labels": [r["label"]]}
            for r in doc["relations"]
        ]
        tasks.append({"data": data, "annotations": [{"result": result}]})
    return tasks


def from_labelstudio(tasks: Iterable[dict]) -> list[dict]:
    """Label Studio tasks → ANNOTATION.md documents.

    Takes the first annotation of each task (or the first prediction when a task has no
    annotation yet). A relation without a label gets the one its tail's label implies.
    """
    docs = []
    for n, task in enumerate(tasks, 1):
        data = task["data"]
        text = data["text"]
        js = _Utf16(text)
        source = task.get("annotations") or task.get("predictions") or [{"result": []}]
        result = source[0].get("result", [])
        entities, links = [], []
        for item in result:
            if item.get("type") == "relation":
                links.append(item)
            elif item.get("type") in ("labels", "hypertextlabels"):
                value = item["value"]
                labels = value.get("labels") or []
                if len(labels) != 1:
                    raise InteropError(f"task {n}: region {item.get('id')} has labels {labels}, expected one")
                start, end = js.to_py(value["start"]), js.to_py(value["end"])
                entities.append(_entity(str(item["id"]), start, end, labels[0], text))
        by_id = {e["id"]: e for e in entities}
        relations = []
        for item in links:
            head, tail = str(item["from_id"]), str(item["to_id"])
            labels = item.get("labels") or []
            if not labels and tail in by_id:
                labels = [TAIL_RELATION.get(by_id[tail]["label"], "")]
            for label in labels:
                relations.append({"head": head, "tail": tail, "label": label})
        doc_id = data.get("doc_id", task.get("id", f"labelstudio-{n}"))
        docs.append(_document(str(doc_id), text, data, entities, relations))
    return docs


class _Utf16:
    """Offsets in Python code points ↔ JavaScript UTF-16 code units for one text."""

    def __init__(self, text: str) -> None:
        # Python offsets of characters that take two UTF-16 units (outside the BMP).
        self.astral = [i for i, ch in enumerate(text) if ord(ch) > 0xFFFF]

    def to_js(self, offset: int) -> int:
        return offset + bisect.bisect_left(self.astral, offset)

    def to_py(self, offset: int) -> int:
        py = offset
        for i, pos in enumerate(self.astral):
            if pos + i + 1 < offset:  # that astral character lies wholly before the JS offset
                py -= 1
            else:
                break
        return py


# shared


def _entity(eid: str, start: int, end: int, label: str, text: str) -> dict:
    return {"id": eid, "start": start, "end": end, "label": label, "text": text[start:end]}


def _document(doc_id: str, text: str, meta: dict, entities: list, relations: list) -> dict:
    doc: dict[str, Any] = {"id": doc_id, "text": text}
    if "published" in meta:
        doc["published"] = meta["published"]
    doc["entities"] = entities
    doc["relations"] = relations
    return doc


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def write_jsonl(path: Path, records: Iterable[dict]) -> None:
    with path.open("w", encoding="utf-8") as fh:
        for rec in records:
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")


def convert(command: str, source: Path, target: Path) -> int:
    """Run one CLI conversion; returns the number of documents written.

    Imports are validated with :func:`training.corpus.validate_document`, so a tool export that
    breaks the guide fails here with the reason rather than later in training.
    """
    from training.corpus import Problem, raise_on_errors, validate_document

    if command == "to-doccano":
        records = to_doccano(_load_valid(source))
        write_jsonl(target, records)
    elif command == "to-labelstudio":
        records = to_labelstudio(_load_valid(source))
        target.write_text(json.dumps(records, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    elif command in ("from-doccano", "from-labelstudio"):
        if command == "from-doccano":
            records = from_doccano(read_jsonl(source))
        else:
            records = from_labelstudio(json.loads(source.read_text(encoding="utf-8")))
        problems: list[Problem] = []
        for i, doc in enumerate(records, 1):
            problems += validate_document(doc, file=str(source), line=i)
        raise_on_errors(problems)
        write_jsonl(target, records)
    else:
        raise InteropError(f"unknown command {command!r}")
    return len(records)


def _load_valid(path: Path) -> list[dict]:
    from training.corpus import load_documents

    return load_documents(path)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("command", choices=["to-doccano", "from-doccano", "to-labelstudio", "from-labelstudio"])
    ap.add_argument("input", type=Path)
    ap.add_argument("output", type=Path)
    args = ap.parse_args(argv)
    n = convert(args.command, args.input, args.output)
    print(f"{n} documents -> {args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
