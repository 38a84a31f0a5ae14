"""doccano and Label Studio conversions are lossless: from_x(to_x(docs)) == docs."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from persian_export_ner.labels import ENTITY_LABELS, relation_allowed
from training import interop
from training.corpus import AnnotationError, load_documents, validate_document

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"

DOC = {
    "id": "yazd-01",
    "text": "صادرات یزد در سال ۱۴۰۲ به ۳۰ هزار تن کاشی رسید 🙂 و عراق خریدار بود.",
    "published": "1402-09-01",
    "entities": [
        {"id": "T1", "start": 7, "end": 10, "label": "PROVINCE", "text": "یزد"},
        {"id": "T2", "start": 14, "end": 22, "label": "PERIOD", "text": "سال ۱۴۰۲"},
        {"id": "T3", "start": 26, "end": 36, "label": "QUANTITY", "text": "۳۰ هزار تن"},
        {"id": "T4", "start": 37, "end": 41, "label": "PRODUCT", "text": "کاشی"},
        {"id": "T5", "start": 51, "end": 55, "label": "COUNTRY", "text": "عراق"},
    ],
    "relations": [
        {"head": "T3", "tail": "T1", "label": "OF_PROVINCE"},
        {"head": "T3", "tail": "T2", "label": "IN_PERIOD"},
        {"head": "T3", "tail": "T4", "label": "OF_PRODUCT"},
        {"head": "T3", "tail": "T5", "label": "WITH_COUNTRY"},
    ],
}


def test_fixture_is_valid():
    assert validate_document(DOC) == []


def test_doccano_record_shape():
    rec = interop.to_doccano([DOC])[0]
    assert rec["doc_id"] == "yazd-01" and rec["published"] == "1402-09-01"
    assert rec["entities"][0] == {"id": 1, "label": "PROVINCE", "start_offset": 7, "end_offset": 10}
    assert rec["relations"][0] == {"id": 1, "from_id": 3, "to_id": 1, "type": "OF_PROVINCE"}


def test_labelstudio_counts_utf16_offsets_after_an_emoji():
    result = interop.to_labelstudio([DOC])[0]["annotations"][0]["result"]
    country = next(r for r in result if r.get("id") == "T5")
    assert (country["value"]["start"], country["value"]["end"]) == (52, 56)  # 🙂 is two UTF-16 units
    assert result[0]["value"] == {"start": 7, "end": 10, "text": "یزد", "labels": ["PROVINCE"]}
    rel = next(r for r in result if r["type"] == "relation")
    assert (rel["from_id"], rel["to_id"], rel["labels"]) == ("T3", "T1", ["OF_PROVINCE"])


@pytest.mark.parametrize("fmt", ["doccano", "labelstudio"])
def test_round_trip_reproduces_the_document(fmt):
    to, back = getattr(interop, f"to_{fmt}"), getattr(interop, f"from_{fmt}")
    doc_without_date = {k: v for k, v in DOC.items() if k != "published"}
    docs = [DOC, doc_without_date | {"id": "other"}]
    assert back(json.loads(json.dumps(to(docs)))) == docs


def test_labelstudio_import_uses_predictions_and_infers_missing_relation_labels():
    task = interop.to_labelstudio([DOC])[0]
    result = task.pop("annotations")[0]["result"]
    for item in result:
        if item["type"] == "relation":
            item.pop("labels")
    task["predictions"] = [{"result": result}]
    assert interop.from_labelstudio([task]) == [DOC]


def test_cli_round_trip_and_validation_of_imports(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps(DOC, ensure_ascii=False) + "\n", encoding="utf-8")
    for fmt, ext in (("doccano", "jsonl"), ("labelstudio", "json")):
        assert interop.main([f"to-{fmt}", str(src), str(tmp_path / f"x.{ext}")]) == 0
        assert interop.main([f"from-{fmt}", str(tmp_path / f"x.{ext}"), str(tmp_path / f"{fmt}.jsonl")]) == 0
        assert (tmp_path / f"{fmt}.jsonl").read_text(encoding="utf-8") == src.read_text(encoding="utf-8")
    broken = interop.to_doccano([DOC])
    broken[0]["entities"][0]["end_offset"] = 9  # «یز»: cuts the word
    (tmp_path / "broken.jsonl").write_text(json.dumps(broken[0], ensure_ascii=False) + "\n", encoding="utf-8")
    with pytest.raises(AnnotationError, match="cuts a word"):
        interop.main(["from-doccano", str(tmp_path / "broken.jsonl"), str(tmp_path / "out.jsonl")])


# generated documents

WORDS = ["صادرات", "قم", "۳۴۸", "میلیون", "دلار", "کالا\u200cها", "عراق", "سال", "1402", "درصد", "ي", "x🙂y"]
SEPARATORS = [" ", "، ", "\n", " - ", ". "]


@st.composite
def documents(draw) -> dict:
    n_words = draw(st.integers(1, 14))
    words = draw(st.lists(st.sampled_from(WORDS), min_size=n_words, max_size=n_words))
    seps = draw(st.lists(st.sampled_from(SEPARATORS), min_size=n_words, max_size=n_words))
    text, bounds = "", []
    for word, sep in zip(words, seps):
        bounds.append((len(text), len(text) + len(word)))
        text += word + sep
    text = text.rstrip()
    cuts = sorted(draw(st.sets(st.integers(0, n_words), max_size=8)))
    intervals = [(cuts[i], cuts[i + 1]) for i in range(0, len(cuts) - 1, 2)]
    plain_ids = draw(st.booleans())
    entities = []
    for k, (a, b) in enumerate(intervals, 1):
        start, end = bounds[a][0], bounds[b - 1][1]
        eid = f"T{k}" if plain_ids else draw(st.from_regex(r"[A-Za-z0-9_-]{1,6}", fullmatch=True))
        if any(e["id"] == eid for e in entities):
            continue
        label = draw(st.sampled_from(ENTITY_LABELS))
        entities.append({"id": eid, "start": start, "end": end, "label": label, "text": text[start:end]})
    relations = []
    for head in entities:
        for tail in entities:
            rel = relation_allowed(head["label"], tail["label"])
            if rel and draw(st.booleans()):
                relations.append({"head": head["id"], "tail": tail["id"], "label": rel})
    doc = {"id": draw(st.from_regex(r"[a-z0-9-]{1,12}", fullmatch=True)), "text": text}
    if draw(st.booleans()):
        doc["published"] = draw(st.sampled_from(["1402-06-11", "g:2025-12-20", None]))
    doc["entities"] = entities
    doc["relations"] = relations
    return doc


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(docs=st.lists(documents(), min_size=1, max_size=3))
def test_generated_documents_are_valid_and_round_trip(docs):
    for doc in docs:
        assert [str(p) for p in validate_document(doc)] == []
    assert interop.from_doccano(json.loads(json.dumps(interop.to_doccano(docs)))) == docs
    assert interop.from_labelstudio(json.loads(json.dumps(interop.to_labelstudio(docs)))) == docs


REAL_FILES = sorted(SHARED.glob("*.jsonl")) + sorted((Path(__file__).resolve().parents[1] / "data").glob("*.jsonl"))


@pytest.mark.skipif(not REAL_FILES, reason="neither the shared nor the team's annotated data is present")
@pytest.mark.parametrize("path", REAL_FILES, ids=lambda p: p.name)
def test_real_annotated_documents_round_trip(path):
    docs = load_documents(path)
    assert interop.from_doccano(json.loads(json.dumps(interop.to_doccano(docs), ensure_ascii=False))) == docs
    assert interop.from_labelstudio(json.loads(json.dumps(interop.to_labelstudio(docs), ensure_ascii=False))) == docs
