"""Corpus statistics on tiny hand-made splits."""
from __future__ import annotations

import json

import pytest

from training import stats


def _ent(eid, text, sub, label):
    start = text.index(sub)
    return {"id": eid, "start": start, "end": start + len(sub), "label": label, "text": sub}


def _doc(doc_id: str, text: str, spans: list[tuple[str, str]], relations=()) -> dict:
    ents = [_ent(f"T{i}", text, sub, label) for i, (sub, label) in enumerate(spans, 1)]
    return {"id": doc_id, "text": text, "entities": ents,
            "relations": [{"head": h, "tail": t, "label": lab} for h, t, lab in relations]}


SHARED = "یک دو سه چهار پنج شش هفت هشت"  # eight words shared by two documents

TRAIN = [
    _doc("a", "صادرات خراسان رضوی به عراق ۵ درصد بیشتر شد", [("خراسان رضوی", "PROVINCE"), ("عراق", "COUNTRY"), ("۵ درصد", "PERCENT")],
         [("T3", "T1", "OF_PROVINCE"), ("T3", "T2", "WITH_COUNTRY")]),
    _doc("b", "صادرات خراسان\u200cرضوی و قم از مرز به عراق رفت " + SHARED, [("خراسان\u200cرضوی", "PROVINCE"), ("قم", "PROVINCE"), ("عراق", "COUNTRY")]),
    _doc("c", "كيوي و برنج از گيلان رفت " + SHARED, [("كيوي", "PRODUCT"), ("برنج", "PRODUCT"), ("گيلان", "PROVINCE")]),
]
DEV = [_doc("d", "کیوی از گیلان به روسیه رفت " + SHARED, [("کیوی", "PRODUCT"), ("روسیه", "COUNTRY")])]


def test_split_stats_counts_labels_coverage_and_text_traits():
    s = stats.split_stats(TRAIN)
    assert s["documents"] == 3
    assert s["entities"]["PROVINCE"] == 4 and s["entities"]["MONEY"] == 0
    assert s["relations"] == {"IN_PERIOD": 0, "OF_PROVINCE": 1, "WITH_COUNTRY": 1, "OF_PRODUCT": 0}
    assert s["provinces_covered"] == 3  # «خراسان رضوی» and «خراسان‌رضوی» are one; قم; گیلان
    assert s["distinct_products"] == 2 and s["distinct_countries"] == 1
    assert s["share_without_zwnj"] == pytest.approx(2 / 3)
    assert s["share_with_arabic_letters"] == pytest.approx(1 / 3)


def test_repeated_8gram_share_counts_ngrams_in_more_than_one_document():
    assert stats.repeated_ngram_share(["a b c d e f g h", "a b c d e f g h i"]) == pytest.approx(1 / 2)
    assert stats.repeated_ngram_share(["a b c d e f g h", "z b c d e f g h"]) == 0.0
    assert stats.repeated_ngram_share(["too short"]) == 0.0
    # Arabic and Persian spellings of one word are the same word
    assert stats.repeated_ngram_share(["ي 2 3 4 5 6 7 8", "ی 2 3 4 5 6 7 8"]) == 1.0


def test_cross_split_overlap_flags_shared_text():
    overlap = stats.cross_split_overlap({"train": TRAIN, "dev": DEV})
    assert overlap["dev"] > 0 and overlap["train"] > 0


def test_main_returns_numbers_per_split_and_prints_a_table(tmp_path, capsys):
    paths = []
    for name, docs in (("train", TRAIN), ("dev", DEV)):
        path = tmp_path / f"{name}.jsonl"
        path.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in docs), encoding="utf-8")
        paths.append(str(path))
    result = stats.main(paths)
    assert result["train"]["documents"] == 3 and result["dev"]["documents"] == 1
    assert set(result["_overlap"]) == {"train", "dev"}
    out = capsys.readouterr().out
    assert "entities.PROVINCE" in out and "repeated_8gram_share" in out
    assert json.loads(json.dumps(stats.main(paths + ["--json"]))) == result
