"""find_values: value spans with ANNOTATION.md's boundaries, fast, whole-word, non-overlapping."""
from __future__ import annotations

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from persian_export_ner.patterns import find_values
from persian_export_ner.text import is_word_char, normalize


def _found(raw: str) -> list[tuple[str, str]]:
    norm = normalize(raw).text
    return [(norm[s:e], label) for s, e, label in find_values(norm)]


def _n(text: str) -> str:
    return normalize(text).text


# (sentence, [(normalized span text, label), ...]) — every value span the sentence has.
CASES = [
    ("ارزش صادرات به ۵۱۲ میلیون دلار رسید", [("512 میلیون دلار", "MONEY")]),
    ("بیش از ۷۰ میلیون دلار کالا صادر شد", [("70 میلیون دلار", "MONEY")]),
    ("حدود یک میلیارد و ۲۰۰ میلیون دلار", [("یک میلیارد و 200 میلیون دلار", "MONEY")]),
    ("بالغ بر ۳۴ میلیون و ۱۲۰ هزار و ۵۰۰ دلار", [("34 میلیون و 120 هزار و 500 دلار", "MONEY")]),
    ("قراردادی ۱۸ میلیون دلاری امضا شد", [("18 میلیون دلاری", "MONEY")]),
    ("هزینه آن ۲۰ تا ۲۵ میلیارد تومان است", [("20 تا 25 میلیارد تومان", "MONEY")]),
    ("مبلغ ۹۰۰ هزار یورو پرداخت شد", [("900 هزار یورو", "MONEY")]),
    ("تسهیلات ۴۰ میلیارد ریالی", [("40 میلیارد ریالی", "MONEY")]),
    ("انتشار اوراق ۳ هزار میلیاردی", [("3 هزار میلیاردی", "MONEY")]),
    ("قیمت هر بشکه ۸۱ دلار و ۲۰ سنت بود", [("81 دلار و 20 سنت", "MONEY")]),
    ("با 5میلیارد و 120میلیون دلار در رتبه اول", [("5میلیارد و 120میلیون دلار", "MONEY")]),
    ("بودجه۶۰۰ میلیارد تومان", [("بودجه600 میلیارد تومان", "MONEY")]),
    ("درآمد ارزی استان افزایش یافت", []),
    ("سهم این استان ۱۷ درصد است", [("17 درصد", "PERCENT")]),
    ("رشد ۲۵ درصدی صادرات", [("25 درصدی", "PERCENT")]),
    ("بین ۵۹ تا ۶۵ درصد", [("59 تا 65 درصد", "PERCENT")]),
    ("نرخ تورم یک و نیم درصد کاهش یافت", [("یک و نیم درصد", "PERCENT")]),
    ("سهم ۱۸٪ از بازار", [("18٪", "PERCENT")]),
    ("صادرات دو برابر شد", []),
    ("۴۵ هزار تن کالا صادر شد", [("45 هزار تن کالا", "QUANTITY")]),
    ("۳۰۰ هزار تن ورق فولادی", [("300 هزار تن", "QUANTITY")]),
    ("حدود ۲۲ هزار تُن میوه", [("22 هزار تن", "QUANTITY")]),
    ("۷۰ هزارتن سیمان", [("70 هزارتن", "QUANTITY")]),
    ("به ۳۳ کشور جهان صادر شد", [("33 کشور", "QUANTITY")]),
    ("۹۱۰ اظهارنامه صادراتی ثبت شد", [("910 اظهارنامه صادراتی", "QUANTITY")]),
    ("۱۲۰۰ قلم کالا از گمرک گذشت", [("1200 قلم کالا", "QUANTITY")]),
    ("۱۸ نوع کالای صادراتی", [("18 نوع کالای صادراتی", "QUANTITY")]),
    ("برای ۴ هزار نفر شغل ایجاد شد", [("4 هزار نفر", "QUANTITY")]),
    ("۱۲ تن و ۴۰۰ کیلوگرم کالای قاچاق", [("12 تن و 400 کیلوگرم کالای", "QUANTITY")]),  # generic noun stays
    ("۶۵۰ هزار بشکه نفت", [("650 هزار بشکه", "QUANTITY")]),
    ("۵ تا ۷ هزار تن", [("5 تا 7 هزار تن", "QUANTITY")]),
    ("رتبه ۶ را کسب کرد", []),
    ("در سال ۱۴۰۱ صادرات رشد کرد", [("سال 1401", "PERIOD")]),
    ("طی سال جاری", [("سال جاری", "PERIOD")]),
    ("در سالجاری", [("سالجاری", "PERIOD")]),
    ("صادرات امسال", [("امسال", "PERIOD")]),
    ("نسبت به مدت مشابه سال قبل", [("مدت مشابه سال قبل", "PERIOD")]),
    ("در ۹ ماهه نخست سال", [("9 ماهه نخست سال", "PERIOD")]),
    ("در شش ماهه اول سال جاری", [("شش ماهه اول سال جاری", "PERIOD")]),
    ("طی فروردین و اردیبهشت‌ماه سال‌جاری", [("فروردین و اردیبهشت‌ماه سال‌جاری", "PERIOD")]),
    ("در تیرماه ۱۴۰۲", [("تیرماه 1402", "PERIOD")]),
    ("تا پایان تیرماه سال جاری", [("تا پایان تیرماه سال جاری", "PERIOD")]),
    ("از ابتدای سال تاکنون", [("از ابتدای سال تاکنون", "PERIOD")]),
    ("در ۲ ماه سپری شده از سال جاری", [("2 ماه سپری شده از سال جاری", "PERIOD")]),
    ("در ۲ سال اخیر", [("2 سال اخیر", "PERIOD")]),
    ("بهار امسال", [("بهار امسال", "PERIOD")]),
    ("۱۱ شهریور ۱۴۰۲", [("11 شهریور 1402", "PERIOD")]),
    ("1401/6/29", [("1401/6/29", "PERIOD")]),
    ("امروز اعلام شد", [("امروز", "PERIOD")]),
    ("روز گذشته", [("روز گذشته", "PERIOD")]),
    ("این طرح ۸ سال طول کشید", [("8 سال", "PERIOD")]),
    ("در دهه فجر افتتاح می‌شود", [("دهه فجر", "PERIOD")]),
    ("در حال حاضر", []),
    ("در سال‌های اخیر", []),
    (
        "سال گذشته صادرات به ۳۴۸ میلیون دلار و ۲۹ درصد رشد رسید",
        [("سال گذشته", "PERIOD"), ("348 میلیون دلار", "MONEY"), ("29 درصد", "PERCENT")],
    ),
    (
        "در ۵ ماهه امسال ۱۲۰ هزار تن کالا به ۱۴ کشور صادر شد",
        [("5 ماهه امسال", "PERIOD"), ("120 هزار تن کالا", "QUANTITY"), ("14 کشور", "QUANTITY")],
    ),
]


@pytest.mark.parametrize("raw,expected", CASES)
def test_value_spans_follow_the_annotation_guide(raw, expected):
    assert _found(raw) == [(_n(text), label) for text, label in expected]


@pytest.mark.parametrize("hedge", ["بیش از", "حدود", "بالغ بر", "نزدیک به", "قریب به"])
def test_hedges_stay_outside_the_value(hedge):
    assert _found(f"{hedge} ۴۰ میلیون دلار") == [("40 میلیون دلار", "MONEY")]


@pytest.mark.parametrize("prep", ["در", "طی", "از"])
def test_marking_prepositions_stay_outside_periods(prep):
    assert _found(f"{prep} سال ۱۴۰۰") == [("سال 1400", "PERIOD")]


_VOCAB = [
    "صادرات", "استان", "۴۵", "۱۲۰", "هزار", "میلیون", "میلیارد", "دلار", "تن", "درصد", "کالا",
    "سال", "جاری", "گذشته", "و", "تا", "از", "در", "بیش", "شهریور", "۱۴۰۲", "کشور", "نفر",
    "۳٫۵", "یک", "نیم", "امسال", "،", ".", "\u200cها", "ریال", "تومانی", "ماهه", "نخست", "۲", "دو",
]


@settings(max_examples=150, deadline=None)
@given(words=st.lists(st.sampled_from(_VOCAB), min_size=1, max_size=25), glue=st.sampled_from([" ", "", "\u200c"]))
def test_spans_never_overlap_and_never_cut_words(words, glue):
    text = _n(glue.join(words) if glue != " " else " ".join(words))
    spans = find_values(text)
    assert spans == sorted(spans)
    for (s1, e1, _), (s2, _, _) in zip(spans, spans[1:]):
        assert e1 <= s2
    for s, e, label in spans:
        assert label in {"MONEY", "QUANTITY", "PERCENT", "PERIOD"}
        assert 0 <= s < e <= len(text)
        assert text[s:e] == text[s:e].strip()
        assert s == 0 or not is_word_char(text[s - 1])
        assert e == len(text) or not is_word_char(text[e])


def test_finder_is_fast_on_a_long_article():
    sentence = _n("در شش ماهه نخست سال جاری ۱۲۰ هزار تن کالا به ارزش ۸۵ میلیون دلار به ۱۴ کشور صادر شد که ۲۰ درصد رشد داشت. ")
    text = sentence * 400  # ~40 000 characters
    find_values(text)
    t0 = time.perf_counter()
    spans = find_values(text)
    assert time.perf_counter() - t0 < 2.0
    assert len(spans) == 5 * 400


def test_non_str_raises_type_error():
    with pytest.raises(TypeError):
        find_values(None)
