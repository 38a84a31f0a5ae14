"""Normalization keeps an exact way back to the caller's text."""
import unicodedata

import pytest
from hypothesis import given, settings, strategies as st

from persian_export_ner.text import ZWNJ, normalize, sentence_spans, snap_to_words

PERSIANISH = st.text(
    alphabet=st.sampled_from(
        list("سلامقمدرصاتیکهوبن ") + list("يكةۀأإ") + list("۰۱۲۳٤٥٦0123٫٬,.\n\r\t")
        + [ZWNJ, ZWNJ, "\u0640", "\u064b", "\u200f", "\u00a0", "\ufeff", "\ufefb", "\u200b", "٪"]
    ),
    max_size=80,
)


@given(PERSIANISH)
@settings(max_examples=300, deadline=None)
def test_offset_map_is_monotone_and_in_range(text):
    n = normalize(text)
    assert len(n.starts) == len(n.ends) == len(n.text)
    assert all(0 <= s < e <= len(text) for s, e in zip(n.starts, n.ends))
    assert list(n.starts) == sorted(n.starts)
    assert list(n.ends) == sorted(n.ends)


@given(PERSIANISH)
@settings(max_examples=300, deadline=None)
def test_normalization_is_idempotent(text):
    once = normalize(text).text
    assert normalize(once).text == once


@given(st.text(max_size=60))
@settings(max_examples=300, deadline=None)
def test_arbitrary_unicode_never_crashes_and_maps_back(text):
    n = normalize(text)
    for i in range(len(n.text)):
        s, e = n.to_original(i, i + 1)
        assert 0 <= s < e <= len(text)


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("كشور", "کشور"),
        ("ايران", "ایران"),
        ("۳۴۸ ميليون", "348 میلیون"),
        ("٣٤٨", "348"),
        ("۱۲٫۶", "12.6"),
        ("۱٬۲۰۰", "1,200"),
        ("صــادرات", "صادرات"),
        ("مُحَمَّد", "محمد"),
        ("می\u200c\u200cشود", "می\u200cشود"),
        ("کالا\u200c ها", "کالا ها"),
        ("\u200fسلام\u200e", "سلام"),
        ("a\r\nb", "a\nb"),
        ("مدرسۀ", "مدرسه"),
        ("\ufefb", "لا"),
    ],
)
def test_normalize_rewrites_variants_to_one_form(raw, expected):
    assert normalize(raw).text == expected


def test_span_maps_back_onto_original_digits_and_letters():
    raw = "صادرات ٣٤٨ ميليون دلار"
    n = normalize(raw)
    i = n.text.index("348 میلیون دلار")
    s, e = n.to_original(i, i + len("348 میلیون دلار"))
    assert raw[s:e] == "٣٤٨ ميليون دلار"


def test_deleted_characters_inside_a_span_stay_inside_the_original_span():
    raw = "صــادرات قم"
    n = normalize(raw)
    assert n.to_original(0, len("صادرات")) == (0, raw.index(" "))


def test_normalize_rejects_non_strings_with_a_clear_message():
    with pytest.raises(TypeError, match="expects a str"):
        normalize(b"bytes")


def test_hard_line_break_inside_a_sentence_does_not_split_it():
    text = "هیچ مشکل استانی برای\nصادرات نباید داشته باشیم. جمله دوم"
    assert [text[s:e] for s, e in sentence_spans(text)] == [
        "هیچ مشکل استانی برای\nصادرات نباید داشته باشیم.",
        "جمله دوم",
    ]


def test_headline_line_break_ends_a_sentence():
    text = "صادرات قم ۲۰ درصد رشد کرد\nبه گزارش ایسنا، صادرات رسید."
    assert len(sentence_spans(text)) == 2


def test_snap_to_words_takes_the_smallest_whole_word_span():
    text = "از324 هزار تن"
    assert snap_to_words(text, 2, 5) == (0, 5)
    assert snap_to_words(" قم. ", 0, 5) == (1, 3)
