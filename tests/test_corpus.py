"""Loader/validator, corpus build and silver data, on small documents written for these tests."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from persian_export_ner.types import Entity, Extraction, Relation
from training import build_corpus, silver
from training.corpus import AnnotationError, Problem, load_documents, to_hf_dataset, validate_document

TEXT = "صادرات استان قم در سال ۱۴۰۱ به ۲۰ میلیون دلار رسید."


def _doc(**changes) -> dict:
    doc = {
        "id": "doc-1",
        "text": TEXT,
        "published": "1402-01-15",
        "entities": [
            {"id": "T1", "start": 13, "end": 15, "label": "PROVINCE", "text": "قم"},
            {"id": "T2", "start": 19, "end": 27, "label": "PERIOD", "text": "سال ۱۴۰۱"},
            {"id": "T3", "start": 31, "end": 45, "label": "MONEY", "text": "۲۰ میلیون دلار"},
        ],
        "relations": [
            {"head": "T3", "tail": "T1", "label": "OF_PROVINCE"},
            {"head": "T3", "tail": "T2", "label": "IN_PERIOD"},
        ],
    }
    doc.update(changes)
    return doc


def _write(tmp_path: Path, name: str, lines: list) -> Path:
    path = tmp_path / name
    path.write_text("".join((x if isinstance(x, str) else json.dumps(x, ensure_ascii=False)) + "\n" for x in lines),
                    encoding="utf-8")
    return path


def _reasons(doc) -> str:
    return " | ".join(p.reason for p in validate_document(doc))


def _with_entity(i: int, **changes) -> dict:
    doc = _doc()
    doc["entities"][i].update(changes)
    return doc


def test_valid_document_has_no_problems_and_loads(tmp_path):
    assert validate_document(_doc()) == []
    path = _write(tmp_path, "a.jsonl", [_doc(), _doc(id="doc-2")])
    assert [d["id"] for d in load_documents(path)] == ["doc-1", "doc-2"]


@pytest.mark.parametrize(
    "doc, reason",
    [
        (_doc(published="1402-13-01"), "malformed 'published'"),
        (_doc(published="2023-01-01"), "malformed 'published'"),
        (_doc(published="g:2023-02-30"), "malformed 'published'"),
        ({k: v for k, v in _doc().items() if k != "relations"}, "missing key 'relations'"),
        (_doc(extra=1), "unknown key 'extra'"),
        (_doc(entities={}), "'entities' must be a list"),
        (_with_entity(0, start="13"), "start/end integers"),
        (_with_entity(0, label="CITY"), "unknown label 'CITY'"),
        (_with_entity(0, end=99), "out of range"),
        (_with_entity(0, text="قمی"), "not 'قمی'"),
        (_with_entity(0, start=12, text=" قم"), "starts with whitespace"),
        (_with_entity(2, end=46, text="۲۰ میلیون دلار "), "ends with whitespace"),
        (_with_entity(1, start=23, text="۱۴۰۱", end=27, label="PERIOD") | {}, None),
        (_with_entity(0, end=14, text="ق"), "cuts a word at its end"),
        (_with_entity(0, start=14, text="م"), "cuts a word at its start"),
        (_with_entity(1, start=13, text="قم در سال ۱۴۰۱"), "overlap"),
        (_doc(relations=[{"head": "T1", "tail": "T2", "label": "IN_PERIOD"}]), "not a value"),
        (_doc(relations=[{"head": "T3", "tail": "T2", "label": "OF_PROVINCE"}]), "needs a PROVINCE tail"),
        (_doc(relations=[{"head": "T3", "tail": "T9", "label": "IN_PERIOD"}]), "unknown entity id"),
        (_doc(relations=[{"head": "T3", "tail": "T2", "label": "DURING"}]), "unknown relation label"),
        (_doc(relations=[{"head": "T3", "tail": "T2", "label": "IN_PERIOD"}] * 2), "duplicate relation"),
        (_doc(entities=_doc()["entities"] + [dict(_doc()["entities"][0])]), "duplicate entity id"),
    ],
)
def test_validator_names_each_violation(doc, reason):
    if reason is None:  # «۱۴۰۱» alone is a whole word: valid
        assert _reasons(doc) == ""
    else:
        assert reason in _reasons(doc)


def test_error_message_gives_file_line_and_reason(tmp_path):
    path = _write(tmp_path, "bad.jsonl", [_doc(), "{not json", _with_entity(0, label="CITY") | {"id": "doc-3"}])
    with pytest.raises(AnnotationError) as info:
        load_documents(path)
    message = str(info.value)
    assert f"{path}:2: invalid JSON" in message
    assert f"{path}:3 [doc-3]: entity T1: unknown label 'CITY'" in message


def test_duplicate_document_ids_across_files_are_errors(tmp_path):
    a = _write(tmp_path, "a.jsonl", [_doc()])
    b = _write(tmp_path, "b.jsonl", [_doc()])
    with pytest.raises(AnnotationError, match=r"duplicate document id \(first at .*a.jsonl:1\)"):
        load_documents([a, b])


def test_non_strict_returns_valid_documents_and_problems(tmp_path):
    path = _write(tmp_path, "a.jsonl", [_doc(), _doc(id="doc-2", published="yesterday")])
    docs, problems = load_documents(path, strict=False)
    assert [d["id"] for d in docs] == ["doc-1"]
    assert len(problems) == 1 and isinstance(problems[0], Problem) and problems[0].line == 2


def test_word_cuts_can_be_downgraded_to_warnings(tmp_path):
    cut = _with_entity(0, end=14, text="ق")
    path = _write(tmp_path, "a.jsonl", [cut])
    with pytest.raises(AnnotationError):
        load_documents(path)
    assert load_documents(path, word_cuts="warn") == [cut]
    docs, problems = load_documents(path, strict=False, word_cuts="warn")
    assert docs == [cut] and [p.severity for p in problems] == ["warning"]
    assert load_documents(path, strict=False, word_cuts="ignore") == ([cut], [])


def test_glued_whole_word_span_is_accepted_and_stray_zwnj_is_no_word():
    text = "صادرات از۳۲۴ تن و کیوی\u200c، سیب"
    doc = {"id": "g", "text": text, "entities": [
        {"id": "T1", "start": 7, "end": 15, "label": "QUANTITY", "text": "از۳۲۴ تن"},
        {"id": "T2", "start": 18, "end": 22, "label": "PRODUCT", "text": "کیوی"},
    ], "relations": []}
    assert validate_document(doc) == []
    suffixed = "کیوی\u200cها"
    doc2 = {"id": "s", "text": suffixed, "entities": [
        {"id": "T1", "start": 0, "end": 4, "label": "PRODUCT", "text": "کیوی"}], "relations": []}
    assert "cuts a word at its end" in _reasons(doc2)


def test_hf_dataset_keeps_columns_even_without_relations():
    datasets = pytest.importorskip("datasets", exc_type=ImportError)
    ds = to_hf_dataset([_doc(), _doc(id="doc-2", relations=[], published=None)])
    assert isinstance(ds, datasets.Dataset)
    assert ds.column_names == ["id", "text", "published", "entities", "relations"]
    assert ds[0]["entities"][2]["text"] == "۲۰ میلیون دلار"
    assert ds[1]["relations"] == [] and ds[1]["published"] is None


# build_corpus

MARKUP = """### id: {id}
### published: 1402-02-01
صادرات [{prov}]{{PROVINCE#p}} در [سال ۱۴۰۱]{{PERIOD#t}} به [{n} میلیون دلار]{{MONEY>p,t}} رسید.
{extra}
"""


def _src(tmp_path: Path, name: str, docs: list[dict]) -> Path:
    src = tmp_path / "src"
    src.mkdir(exist_ok=True)
    (src / name).write_text("\n".join(MARKUP.format(**d) for d in docs), encoding="utf-8")
    return src


def _docs(n: int) -> list[dict]:
    provinces = ["قم", "یزد", "گیلان", "ایلام", "سمنان", "زنجان", "قزوین", "البرز", "همدان", "مرکزی"]
    return [{"id": f"d{i}", "prov": provinces[i % 10], "n": i + 1,
             "extra": f"جمله شماره {i} فقط در همین سند نوشته شده است."} for i in range(n)]


def test_split_is_a_stable_function_of_the_id():
    ids = [f"doc-{i}" for i in range(2000)]
    splits = [build_corpus.split_of(i) for i in ids]
    assert splits == [build_corpus.split_of(i) for i in reversed(ids)][::-1]
    share = {s: splits.count(s) / len(ids) for s in build_corpus.SPLITS}
    assert 0.75 < share["train"] < 0.85 and 0.07 < share["dev"] < 0.13 and 0.07 < share["test"] < 0.13


def test_build_writes_valid_splits_and_adding_documents_moves_none(tmp_path):
    src = _src(tmp_path, "batch_a.md", _docs(30))
    out = tmp_path / "out"
    counts = build_corpus.build(sorted(src.glob("*.md")), out, forbidden=())
    assert sum(counts.values()) == 30
    before = {s: [d["id"] for d in load_documents(out / f"{s}.jsonl")] for s in build_corpus.SPLITS}
    _src(tmp_path, "batch_b.md", [d | {"id": "x" + d["id"], "extra": "سند دیگری با جمله‌ای تازه " + str(i)}
                                  for i, d in enumerate(_docs(10))])
    (src / "batch_b.md").write_text((src / "batch_b.md").read_text().replace("رسید.", "رسیده است."))
    build_corpus.build(sorted(src.glob("*.md")), out, forbidden=())
    after = {s: [d["id"] for d in load_documents(out / f"{s}.jsonl")] for s in build_corpus.SPLITS}
    for s in build_corpus.SPLITS:
        assert set(before[s]) <= set(after[s])


def test_build_fails_on_duplicate_ids(tmp_path):
    src = _src(tmp_path, "a.md", _docs(2))
    _src(tmp_path, "b.md", [_docs(1)[0] | {"extra": "جمله‌ای دیگر که فقط اینجا آمده است."}])
    with pytest.raises(build_corpus.CorpusError, match="duplicate document id 'd0'"):
        build_corpus.build(sorted(src.glob("*.md")), tmp_path / "out", forbidden=())


def test_build_fails_on_a_sentence_repeated_across_documents(tmp_path):
    docs = _docs(3)
    docs[2]["extra"] = docs[0]["extra"].replace("۰", "0")  # same sentence, other digits: still a copy
    src = _src(tmp_path, "a.md", docs)
    with pytest.raises(build_corpus.CorpusError, match="in d0, d2"):
        build_corpus.build(sorted(src.glob("*.md")), tmp_path / "out", forbidden=())
    assert not (tmp_path / "out").exists()


def test_build_fails_on_a_sentence_copied_from_forbidden_text(tmp_path):
    docs = _docs(2)
    src = _src(tmp_path, "a.md", docs)
    news = _write(tmp_path, "news.jsonl", [{"id": "n1", "text": "عنوان\n" + docs[1]["extra"]}])
    with pytest.raises(build_corpus.CorpusError, match="d1: sentence copied from news.jsonl"):
        build_corpus.build(sorted(src.glob("*.md")), tmp_path / "out", forbidden=[news])


def test_build_main_reports_counts(tmp_path):
    src = _src(tmp_path, "a.md", _docs(5))
    counts = build_corpus.main(["--src", str(src), "--out", str(tmp_path / "o"), "--no-leak-check"])
    assert sum(counts.values()) == 5


# silver


class FakeRules:
    """Stands in for ``persian_export_ner.load(backend="rules")``: tags «قم» and «N میلیون دلار»."""

    def extract_batch(self, texts):
        out = []
        for text in texts:
            ents, rels = [], []
            if "قم" in text:
                s = text.index("قم")
                ents.append(Entity("e1", s, s + 2, "PROVINCE", "قم"))
            if "میلیون دلار" in text:
                e = text.index("میلیون دلار") + len("میلیون دلار")
                s = text.rindex(" ", 0, text.index("میلیون دلار") - 1) + 1
                ents.append(Entity("e2", s, e, "MONEY", text[s:e]))
                ents.append(Entity("e3", s, s + 1, "PERCENT", text[s]))  # overlaps: dropped
                if "قم" in text:
                    rels.append(Relation("e2", "e1", "OF_PROVINCE"))
                    rels.append(Relation("e3", "e1", "OF_PROVINCE"))
            if "،" in text:  # an entity ending in punctuation: dropped
                s = text.index("،")
                ents.append(Entity("e4", s - 3, s + 1, "COUNTRY", text[s - 3 : s + 1]))
            out.append(Extraction(text=text, entities=tuple(ents), relations=tuple(rels),
                                  published="2023-05-01", published_source="dateline"))
        return out


ARTICLES = [
    {"id": "a1", "text": "صادرات قم به ۵ میلیون دلار رسید، خبر داد."},
    {"id": "a2", "text": "خبری بدون عدد."},
    {"id": "dev1", "text": "این سند در مجموعه ارزیابی است و ۳ میلیون دلار دارد."},
    {"id": "a3", "text": "این سند  در مجموعه ارزیابی است و ۳ میلیون دلار دارد."},
]


def test_silver_excludes_dev_by_id_and_text_and_cleans_entities():
    docs = list(silver.make_silver(ARTICLES, FakeRules(), exclude_ids={"dev1"},
                                   exclude_texts={silver._text_key(ARTICLES[2]["text"])}, batch_size=2))
    assert [d["id"] for d in docs] == ["a1", "a2"]
    a1 = docs[0]
    assert [(e["id"], e["label"], e["text"]) for e in a1["entities"]] == [("T1", "PROVINCE", "قم"), ("T2", "MONEY", "۵ میلیون دلار")]
    assert a1["relations"] == [{"head": "T2", "tail": "T1", "label": "OF_PROVINCE"}]
    assert a1["published"] == "g:2023-05-01"
    assert all(validate_document(d) == [] for d in docs)


def test_silver_min_values_and_limit():
    docs = list(silver.make_silver(ARTICLES, FakeRules(), min_values=1))
    assert [d["id"] for d in docs] == ["a1", "dev1", "a3"]
    assert len(list(silver.make_silver(ARTICLES, FakeRules(), limit=1, batch_size=1))) == 1


def test_silver_refuses_tracked_output_paths(tmp_path):
    with pytest.raises(silver.SilverError):
        silver.check_output_path(silver.REPO / "data" / "silver.jsonl")
    silver.check_output_path(silver.REPO / "artifacts" / "silver" / "x.jsonl")
    silver.check_output_path(tmp_path / "x.jsonl")


def test_silver_main_with_a_fake_extractor(tmp_path, monkeypatch):
    import persian_export_ner

    corpus = _write(tmp_path, "news.jsonl", ARTICLES)
    dev = _write(tmp_path, "dev.jsonl", [{"id": "dev1", "text": ARTICLES[2]["text"]}])
    monkeypatch.setattr(persian_export_ner, "load", lambda backend: FakeRules(), raising=False)
    out = tmp_path / "silver.jsonl"
    result = silver.main(["--corpus", str(corpus), "--exclude", str(dev), "--output", str(out), "--min-values", "1"])
    assert result["documents"] == 1
    assert [d["id"] for d in load_documents(out)] == ["a1"]
