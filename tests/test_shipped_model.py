"""Smoke and golden-file tests of the shipped model on the seed articles (slow: run with --slow).

The golden file pins the shipped model's exact output, so an accidental change in decoding,
normalization or assembly shows up as a diff. Regenerate it only on purpose, after shipping a
new model: ``REGENERATE_GOLDEN=1 python -m pytest tests/test_shipped_model.py --slow``.
"""
import json
import os
from pathlib import Path

import pytest

from persian_export_ner.api import SHIPPED_MODEL

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden" / "seeds.jsonl"
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not (SHIPPED_MODEL / "config.json").is_file(), reason="no shipped model"),
]


@pytest.fixture(scope="module")
def shipped():
    from persian_export_ner import load

    nlp = load()
    assert nlp.name == "neural"
    return nlp


@pytest.fixture(scope="module")
def seed_results(shipped):
    texts = [p.read_text(encoding="utf-8") for p in SEEDS]
    return texts, shipped.extract_batch(texts)


def test_module_level_extract_uses_the_shipped_model():
    import persian_export_ner
    from persian_export_ner import api

    persian_export_ner.extract("صادرات قم")
    assert api._default().name == "neural"


def test_offsets_are_exact_on_every_seed(seed_results):
    texts, results = seed_results
    for text, ex in zip(texts, results):
        assert ex.entities
        for e in ex.entities:
            assert text[e.start : e.end] == e.text


def test_qom_seed_yields_the_348_million_dollar_export_fact(seed_results):
    texts, results = seed_results
    ex = results[[p.stem for p in SEEDS].index("000_b9625e672687cab0")]
    assert ex.published == "2023-09-02" and ex.published_source == "dateline"
    fact = next(f for f in ex.facts if f["text"] == "۳۴۸ میلیون دلار")
    assert fact["amount"] == 348_000_000 and fact["currency"] == "USD"
    assert fact["province_iso"] == "IR-25"
    assert fact["period_jalali_start"] == "1401-01-01"
    assert fact["flow"] == "export"


def test_output_matches_the_golden_file(seed_results):
    texts, results = seed_results
    got = [
        {"id": p.stem, "entities": [(e.start, e.end, e.label) for e in ex.entities],
         "relations": [(r.head, r.tail, r.label) for r in ex.relations]}
        for p, ex in zip(SEEDS, results)
    ]
    if os.environ.get("REGENERATE_GOLDEN"):
        GOLDEN.parent.mkdir(exist_ok=True)
        GOLDEN.write_text("".join(json.dumps(g, ensure_ascii=False) + "\n" for g in got), encoding="utf-8")
    want = [json.loads(line) for line in GOLDEN.read_text(encoding="utf-8").splitlines()]
    assert json.loads(json.dumps(got)) == want
