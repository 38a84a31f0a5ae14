"""The joint model and its inference path, on a tiny random-weight encoder trained in the fixture."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from persian_export_ner.neural.extractor import NeuralExtractor
from persian_export_ner.neural.modeling import JointModel, RelationHeadConfig
from tests.fixtures_tiny import build_tiny_base, tiny_documents
from training import train

REPO = Path(__file__).resolve().parents[1]
SHIPPED = REPO / "models" / "persian-export-ner"


def _write_jsonl(path: Path, docs: list[dict]) -> Path:
    path.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in docs), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def trained(tmp_path_factory) -> Path:
    """~80 steps on three short documents: enough for a width-32 BERT to learn them by heart.

    Windows of 24 tokens cut every document in several, so training and inference both go
    through the windowing path.
    """
    tmp = tmp_path_factory.mktemp("overfit")
    base = build_tiny_base(tmp / "base", "wordpiece")
    data = _write_jsonl(tmp / "train.jsonl", tiny_documents())
    train.main([
        "--base", str(base), "--train", str(data), "--output", str(tmp / "model"),
        "--max-steps", "80", "--epochs", "80", "--encoder-lr", "5e-3", "--head-lr", "5e-3",
        "--warmup-ratio", "0.05", "--augment-prob", "0", "--max-length", "24", "--stride", "6",
        "--head-dropout", "0", "--threads", "1",
    ])
    return tmp / "model"


@pytest.fixture(scope="module")
def extractor(trained) -> NeuralExtractor:
    return NeuralExtractor.from_pretrained(trained, device="cpu")


def _entities(x):
    return {(e.start, e.end, e.label) for e in x.entities}


def _relations(x):
    ents = {e.id: (e.start, e.end) for e in x.entities}
    return {(ents[r.head], ents[r.tail], r.label) for r in x.relations}


def _gold_relations(doc):
    ents = {e["id"]: (e["start"], e["end"]) for e in doc["entities"]}
    return {(ents[r["head"]], ents[r["tail"]], r["label"]) for r in doc["relations"]}


def test_overfit_gives_exact_entities_and_relations(extractor):
    for doc in tiny_documents():
        x = extractor.extract(doc["text"])
        assert _entities(x) == {(e["start"], e["end"], e["label"]) for e in doc["entities"]}
        assert _relations(x) == _gold_relations(doc)


def test_predictions_survive_save_and_load(trained, extractor, tmp_path):
    model = JointModel.from_pretrained(trained)
    model.save_pretrained(tmp_path / "copy", tokenizer=extractor.tokenizer)
    again = NeuralExtractor.from_pretrained(tmp_path / "copy", device="cpu")
    for doc in tiny_documents():
        assert again.extract(doc["text"]).to_dict() == extractor.extract(doc["text"]).to_dict()


def test_model_directory_is_plain_transformers_plus_head_files(trained):
    from transformers import AutoModelForTokenClassification

    names = {p.name for p in trained.iterdir()}
    assert {"config.json", "model.safetensors", "tokenizer.json", "relation_head.safetensors",
            "relation_head.json", "training_config.json"} <= names
    assert not any(n.endswith((".bin", ".pt", ".pkl")) for n in names)
    token_model = AutoModelForTokenClassification.from_pretrained(trained)
    assert token_model.config.id2label[0] == "O"


def test_batch_results_equal_single_results(extractor):
    texts = [d["text"] for d in tiny_documents()] + ["", "صادرات"]
    batch = extractor.extract_batch(texts, batch_size=2)
    assert [b.to_dict() for b in batch] == [extractor.extract(t).to_dict() for t in texts]


def test_long_document_tokens_are_predicted_by_their_owning_window(extractor):
    """Stitching: a windowed document's token logits equal those of each owning window run alone
    (a tiny overfit model is too context-sensitive to compare entities with the parts')."""
    import torch

    from persian_export_ner.neural.modeling import run_documents

    text = "\n".join(d["text"] for d in tiny_documents())
    doc = extractor.encoder.encode([text])[0]
    assert len(doc.windows) >= 3
    with torch.inference_mode():
        (logits, _), = run_documents(extractor.model, extractor.encoder, [doc], batch_size=2)
        assert logits.shape[0] == len(doc.token_ids)
        for k, w in enumerate(doc.windows):
            alone, _ = extractor.model.encode(*extractor.encoder.collate([w]))
            for i in range(w.start, w.end):
                if doc.owner[i] == k:
                    assert torch.allclose(logits[i], alone[0, extractor.encoder.position(w, i)], atol=1e-5)


def test_long_document_entities_are_valid_and_cover_every_part(extractor):
    docs = tiny_documents()
    text = "\n".join(d["text"] for d in docs)
    x = extractor.extract(text)
    assert all(text[e.start : e.end] == e.text for e in x.entities)
    shift = 0
    for d in docs:  # every part's province is still found far from the first window
        lo, hi = shift, shift + len(d["text"])
        assert any(lo <= e.start < hi and e.label == "PROVINCE" for e in x.entities)
        shift = hi + 1


@pytest.mark.parametrize("text", ["", "   ", "\n\t ", "\u200c", "..."])
def test_empty_or_blank_input_gives_empty_extraction(extractor, text):
    x = extractor.extract(text)
    assert x.text == text and x.entities == () and x.relations == ()


MESSY = [
    "صادرات قم در سال ۱۴۰۱ به ۳۴۸ ميليون دلار رسيد.",  # Arabic ي
    "صادرات قم در سال 1401 به 348 میلیون دلار رسید.\r\n",
    "صادراتِ قـــم در سال ١٤٠١ به ٣٤٨ میلیون دلارً رسید",  # kashida, harakat, Arabic-Indic digits
    "\u200f\u200cمدیرکل گمرک کرمان گفت:۲۵درصد صادرات به عراق در شش\nماه نخست بود.",
    "افزایش صادرات اصفهان\u200c\u200c\nسال\u200cگذشته ۱۲۰ هزار تن خرما به امارات صادر شد",
]


@pytest.mark.parametrize("text", MESSY)
def test_offsets_point_into_the_callers_text(extractor, text):
    x = extractor.extract(text)
    spans = sorted((e.start, e.end) for e in x.entities)
    for e in x.entities:
        assert text[e.start : e.end] == e.text
        assert e.text == e.text.strip() and e.text
    assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:]))


def test_relation_head_config_rejects_unknown_keys():
    with pytest.raises(ValueError, match="unknown relation head config keys"):
        RelationHeadConfig.from_dict({"hidden_size": 32, "treshold": 0.4})


def test_loading_a_directory_without_the_head_says_what_to_do(tmp_path):
    with pytest.raises(FileNotFoundError, match="training.train"):
        JointModel.from_pretrained(tmp_path)


@pytest.mark.slow
@pytest.mark.skipif(not SHIPPED.is_dir(), reason="shipped model absent")
def test_shipped_model_on_seeds_gives_valid_offsets():
    ex = NeuralExtractor.from_pretrained(SHIPPED)
    seeds = sorted((REPO / "seeds").glob("*.txt"))
    texts = [p.read_text(encoding="utf-8") for p in seeds]
    for text, x in zip(texts, ex.extract_batch(texts)):
        assert x.entities, "the shipped model finds nothing in a seed article"
        for e in x.entities:
            assert text[e.start : e.end] == e.text


def test_library_load_serves_the_trained_directory(trained):
    import persian_export_ner

    doc = tiny_documents()[0]
    x = persian_export_ner.load(trained, backend="neural", device="cpu").extract(doc["text"], published="1402-06-11")
    assert {(e.start, e.end, e.label) for e in x.entities} == {(e["start"], e["end"], e["label"]) for e in doc["entities"]}
