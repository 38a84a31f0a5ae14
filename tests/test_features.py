"""Feature building: BIO alignment through offsets, windows, relation targets, augmentation."""
from __future__ import annotations

import random

import pytest

from persian_export_ner.labels import bio_labels
from persian_export_ner.neural.decoding import bio_runs, decode_spans
from persian_export_ner.neural.encoding import DocumentEncoder
from persian_export_ner.text import normalize
from tests.fixtures_tiny import build_tiny_base, tiny_documents
from training.features import augment, document_features, rewrite

TAGS = bio_labels()


@pytest.fixture(scope="module", params=["wordpiece", "unigram"])
def tokenizer(request, tmp_path_factory):
    from transformers import AutoTokenizer

    path = build_tiny_base(tmp_path_factory.mktemp(request.param), request.param)
    return AutoTokenizer.from_pretrained(path)


def _gold_normalized(doc):
    norm = normalize(doc["text"])
    return {(*norm.from_original(e["start"], e["end"]), e["label"]) for e in doc["entities"]}


def test_gold_tags_decode_back_to_gold_spans(tokenizer):
    encoder = DocumentEncoder(tokenizer, max_length=32, stride=8)
    for doc in tiny_documents():
        f = document_features(doc, encoder)
        tags = [TAGS[t] if t >= 0 else "O" for t in f.tags]
        spans = decode_spans(f.encoding.text, tags, [1.0] * len(tags), f.encoding.offsets)
        assert {(s.start, s.end, s.label) for s in spans} == _gold_normalized(doc)


def test_long_document_is_windowed_not_truncated(tokenizer):
    encoder = DocumentEncoder(tokenizer, max_length=16, stride=4)
    text = " ".join(d["text"] for d in tiny_documents()) * 3
    doc = encoder.encode([normalize(text).text])[0]
    assert len(doc.windows) > 1
    covered = set()
    for w in doc.windows:
        assert len(w.input_ids) <= 16
        covered.update(range(w.start, w.end))
    assert covered == set(range(len(doc.token_ids)))
    assert doc.owner == sorted(doc.owner)  # each window owns one contiguous stretch
    for i, k in enumerate(doc.owner):
        w = doc.windows[k]
        margin = min(i - w.start, w.end - 1 - i)
        assert all(min(i - v.start, v.end - 1 - i) <= margin for v in doc.windows if v.start <= i < v.end)


def test_relation_targets_mark_gold_pairs_only(tokenizer):
    encoder = DocumentEncoder(tokenizer)
    doc = tiny_documents()[2]
    f = document_features(doc, encoder)
    assert sum(f.targets) == len(doc["relations"]) == 3
    assert len(f.pairs) == len(f.pair_features) == len(f.targets)


def test_bio_runs_repairs_orphan_inside_tags():
    offsets = [(0, 1), (2, 3), (4, 5), (6, 7)]
    assert bio_runs(["I-MONEY", "I-MONEY", "O", "I-PERIOD"], offsets) == [(0, 2, "MONEY"), (3, 4, "PERIOD")]


def test_label_switch_inside_a_word_gives_one_span():
    text = "رقم 24 میلیون دلاری بود"
    offsets = [(0, 3), (4, 6), (7, 13), (14, 18), (18, 19), (20, 23)]
    tags = ["O", "B-MONEY", "I-MONEY", "I-MONEY", "B-PERCENT", "O"]
    spans = decode_spans(text, tags, [0.9] * 6, offsets)
    assert [(text[s.start : s.end], s.label) for s in spans] == [("24 میلیون دلاری", "MONEY")]


@pytest.mark.parametrize("seed", range(25))
def test_augmentation_keeps_entity_offsets_valid(seed):
    rng = random.Random(seed)
    for doc in tiny_documents():
        out = augment(doc, rng)
        assert len(out["entities"]) == len(doc["entities"])
        for e in out["entities"]:
            assert out["text"][e["start"] : e["end"]] == e["text"]
            assert e["text"] == e["text"].strip()
        # normalization undoes script changes: the normalized entity text survives modulo spacing
        assert [e["label"] for e in out["entities"]] == [e["label"] for e in doc["entities"]]


def test_rewrite_moves_offsets_through_deletions_and_insertions():
    doc = tiny_documents()[0]
    out = rewrite(doc, lambda i, ch: ch * 2 if ch == " " else ch)
    assert [e["text"] for e in out["entities"]] == [e["text"].replace(" ", "  ") for e in doc["entities"]]
