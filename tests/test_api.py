"""The public API: checked input, sensible empty results, offsets always on the caller's text."""
import json

import pytest
from hypothesis import given, settings, strategies as st

import persian_export_ner as pen
from persian_export_ner import Entity, Extraction, Relation, load

SENTENCE = "صادرات استان قم در سال ۱۴۰۱ به ۳۴۸ میلیون دلار رسید و عراق مقصد اول بود."


@pytest.fixture(scope="module")
def rules():
    return load(backend="rules")


def test_non_string_input_raises_type_error_saying_what_to_pass(rules):
    with pytest.raises(TypeError, match="decode"):
        rules.extract(SENTENCE.encode())
    with pytest.raises(TypeError, match="must be str"):
        rules.extract(42)
    with pytest.raises(TypeError, match="sequence of str"):
        rules.extract_batch(SENTENCE)


@pytest.mark.parametrize("text", ["", "   ", "\n\t", "Iran exported 348 million dollars in 2022."])
def test_empty_whitespace_and_non_persian_text_give_an_empty_result(rules, text):
    result = rules.extract(text)
    assert result.text == text
    assert result.entities == () and result.relations == () and result.facts == ()


def test_invalid_published_raises_value_error_naming_the_accepted_forms(rules):
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        rules.extract(SENTENCE, published="yesterday")


def test_unknown_backend_is_rejected_with_the_choices():
    with pytest.raises(ValueError, match="rules"):
        load(backend="magic")


def test_missing_model_directory_says_what_to_do(tmp_path):
    with pytest.raises(FileNotFoundError, match="backend='rules'"):
        load(tmp_path / "nothing", backend="neural")


def test_rule_baseline_finds_the_qom_statistic(rules):
    result = rules.extract(SENTENCE, published="1402-06-11")
    labels = {(e.label, e.text) for e in result.entities}
    assert ("PROVINCE", "قم") in labels
    assert ("MONEY", "۳۴۸ میلیون دلار") in labels
    money = next(e for e in result.entities if e.label == "MONEY")
    assert money.value["amount"] == 348_000_000 and money.value["currency"] == "USD"
    linked = {(r.label, result.entity(r.tail).text) for r in result.relations if r.head == money.id}
    assert ("OF_PROVINCE", "قم") in linked and ("IN_PERIOD", "سال ۱۴۰۱") in linked


def test_offsets_index_the_original_text_with_arabic_letters_and_digits(rules):
    text = "صادرات استان قم در سال ١٤٠١ به ٣٤٨ ميليون دلار رسيد."
    result = rules.extract(text)
    assert result.entities
    for ent in result.entities:
        assert text[ent.start : ent.end] == ent.text


def test_batch_results_equal_single_results(rules):
    texts = [SENTENCE, "", "صادرات زعفران خراسان رضوی ۲۰ درصد رشد داشت.", SENTENCE]
    batch = rules.extract_batch(texts, published="1402-06-11")
    single = [rules.extract(t, published="1402-06-11") for t in texts]
    assert batch == single


def test_a_one_megabyte_article_works(rules):
    text = (SENTENCE + "\n") * (1_000_000 // (len(SENTENCE) + 1) + 1)
    result = rules.extract(text)
    assert len(text) >= 1_000_000
    assert all(text[e.start : e.end] == e.text for e in result.entities)


@given(st.text(max_size=120))
@settings(max_examples=60, deadline=None)
def test_arbitrary_unicode_never_crashes_nor_gives_invalid_offsets(text):
    result = load(backend="rules").extract(text)
    for ent in result.entities:
        assert 0 <= ent.start < ent.end <= len(text)
        assert text[ent.start : ent.end] == ent.text


def test_extraction_to_dict_round_trips_through_json():
    ex = Extraction(
        text="قم ۳ درصد",
        entities=(Entity("T1", 0, 2, "PROVINCE", "قم", 0.9, {"iso": "IR-25"}), Entity("T2", 3, 9, "PERCENT", "۳ درصد")),
        relations=(Relation("T2", "T1", "OF_PROVINCE", 0.8),),
        published="2023-09-02",
        published_source="argument",
    )
    again = Extraction.from_dict(json.loads(json.dumps(ex.to_dict(), ensure_ascii=False)))
    assert again == ex


def test_parse_value_is_exported_at_top_level():
    assert pen.parse_value("۳۴۸ میلیون دلار", "MONEY")["currency"] == "USD"
