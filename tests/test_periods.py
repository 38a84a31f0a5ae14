"""PERIOD values: Jalali/Gregorian intervals, relative forms resolved against ``published``."""
from __future__ import annotations

import datetime as dt

import jdatetime
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from persian_export_ner.periods import parse_period, parse_published

PUB = "1403-08-20"  # a Jalali publication date (2024-11-10)

# (text, jalali_start, jalali_end) with PUB as the publication date.
CASES = [
    ("سال ۱۳۹۸", "1398-01-01", "1398-12-29"),
    ("۱۳۹۸", "1398-01-01", "1398-12-29"),
    ("سال 1399", "1399-01-01", "1399-12-30"),
    ("سال ۹۶", "1396-01-01", "1396-12-29"),
    ("سال 1310 شمسی", "1310-01-01", "1310-12-29"),
    ("مهرماه ۱۴۰۳", "1403-07-01", "1403-07-30"),
    ("مهر ماه سال ۱۴۰۰", "1400-07-01", "1400-07-30"),
    ("اسفند ۱۳۹۹", "1399-12-01", "1399-12-30"),
    ("خرداد و تیرماه امسال", "1403-03-01", "1403-04-31"),
    ("فروردین تا شهریور ۱۴۰۲", "1402-01-01", "1402-06-31"),
    ("مردادماه سالجاری", "1403-05-01", "1403-05-31"),
    ("شهریور", "1403-06-01", "1403-06-31"),
    ("آذرماه", "1402-09-01", "1402-09-30"),
    ("تابستان امسال", "1403-04-01", "1403-06-31"),
    ("پاییز سال گذشته", "1402-07-01", "1402-09-30"),
    ("فصل زمستان ۱۴۰۱", "1401-10-01", "1401-12-29"),
    ("فصل دوم", "1403-04-01", "1403-06-31"),
    ("نیمه دوم سال", "1403-07-01", "1403-12-30"),
    ("نیمه اول سال ۱۴۰۱", "1401-01-01", "1401-06-31"),
    ("شش ماهه نخست امسال", "1403-01-01", "1403-06-31"),
    ("۷ ماهه اول سال جاری", "1403-01-01", "1403-07-30"),
    ("سه ماهه سوم", "1403-07-01", "1403-09-30"),
    ("هشت ماه نخست سال ۱۴۰۲", "1402-01-01", "1402-08-30"),
    ("۴ ماه سپری شده از سال جاری", "1403-01-01", "1403-04-31"),
    ("پنج ماه از امسال", "1403-01-01", "1403-05-31"),
    ("۵ آبان ۱۴۰۳", "1403-08-05", "1403-08-05"),
    ("پنجم آبان‌ماه", "1403-08-05", "1403-08-05"),
    ("بیست و یکم مهر", "1403-07-21", "1403-07-21"),
    ("۳ بهمن ماه سال گذشته", "1402-11-03", "1402-11-03"),
    ("1402/3/14", "1402-03-14", "1402-03-14"),
    ("۱۴۰۲/۰۳/۱۴", "1402-03-14", "1402-03-14"),
    ("از ابتدای سال تاکنون", "1403-01-01", "1403-08-20"),
    ("از ابتدای امسال تا پایان مهر", "1403-01-01", "1403-07-30"),
    ("از فروردین تا پایان شهریور", "1403-01-01", "1403-06-31"),
    ("تا پایان مهرماه سال جاری", "1403-01-01", "1403-07-30"),
    ("تا پایان سال", "1403-01-01", "1403-12-30"),
    ("سال جاری", "1403-01-01", "1403-12-30"),
    ("امسال", "1403-01-01", "1403-12-30"),
    ("سال‌جاری", "1403-01-01", "1403-12-30"),
    ("سالجاری", "1403-01-01", "1403-12-30"),
    ("سال گذشته", "1402-01-01", "1402-12-29"),
    ("پارسال", "1402-01-01", "1402-12-29"),
    ("سال قبل", "1402-01-01", "1402-12-29"),
    ("سال آینده", "1404-01-01", "1404-12-29"),
    ("مدت مشابه سال قبل", "1402-01-01", "1402-08-20"),
    ("مدت مشابه سال گذشته", "1402-01-01", "1402-08-20"),
    ("دوره مشابه سال گذشته", "1402-01-01", "1402-08-20"),
    ("امروز", "1403-08-20", "1403-08-20"),
    ("صبح امروز", "1403-08-20", "1403-08-20"),
    ("دیروز", "1403-08-19", "1403-08-19"),
    ("روز گذشته", "1403-08-19", "1403-08-19"),
    ("فردا", "1403-08-21", "1403-08-21"),
    ("ماه گذشته", "1403-07-01", "1403-07-30"),
    ("ماه جاری", "1403-08-01", "1403-08-30"),
    ("۳ سال اخیر", "1400-08-21", "1403-08-20"),
    ("دو سال گذشته", "1401-08-21", "1403-08-20"),
    ("۶ ماه اخیر", "1403-02-21", "1403-08-20"),
    ("دهه فجر", "1403-11-12", "1403-11-22"),
    ("در سال ۱۴۰۰", "1400-01-01", "1400-12-29"),
    ("روز شنبه", "1403-08-19", "1403-08-19"),  # PUB is a Sunday: the latest Saturday
    ("دوشنبه", "1403-08-14", "1403-08-14"),
    ("سه‌شنبه هفته آینده", "1403-08-29", "1403-08-29"),
    ("اواخر مهر", "1403-07-21", "1403-07-30"),
    ("اوایل اسفند ۱۴۰۲", "1402-12-01", "1402-12-10"),
    ("اواخر هفته گذشته", "1403-08-12", "1403-08-18"),
    ("۲ سال آینده", "1403-08-21", "1405-08-20"),
    ("طی سال جاری", "1403-01-01", "1403-12-30"),
]


@pytest.mark.parametrize("text,jstart,jend", CASES)
def test_period_resolves_to_jalali_interval(text, jstart, jend):
    value = parse_period(text, PUB)
    assert value is not None, text
    assert (value["jalali_start"], value["jalali_end"]) == (jstart, jend)


@pytest.mark.parametrize(
    "text,start,end",
    [
        ("سال 2021", "2021-01-01", "2021-12-31"),
        ("سال 2019 میلادی", "2019-01-01", "2019-12-31"),
        ("ژوئن 2022", "2022-06-01", "2022-06-30"),
        ("ماه مارس سال 2020", "2020-03-01", "2020-03-31"),
        ("۱۴ فوریه ۲۰۲۳", "2023-02-14", "2023-02-14"),
        ("بین سال‌های 2015 تا 2018", "2015-01-01", "2018-12-31"),
    ],
)
def test_gregorian_periods(text, start, end):
    value = parse_period(text, PUB)
    assert (value["start"], value["end"]) == (start, end)


def test_gregorian_and_jalali_fields_describe_the_same_days():
    value = parse_period("سال ۱۴۰۲")
    assert value == {"start": "2023-03-21", "end": "2024-03-19", "jalali_start": "1402-01-01", "jalali_end": "1402-12-29"}


@pytest.mark.parametrize("text", ["سال جاری", "امسال", "سال گذشته", "امروز", "مدت مشابه سال قبل", "۲ سال اخیر", "ماه گذشته"])
def test_relative_period_without_published_is_none(text):
    assert parse_period(text) is None


@pytest.mark.parametrize("text", ["۸ سال", "پنج روز", "۳ ماه", "حال حاضر", "تاکنون", "سال 1250 قمری", "", "بازار"])
def test_durations_and_vague_words_are_none(text):
    assert parse_period(text, PUB) is None


def test_absolute_period_needs_no_published():
    assert parse_period("۱۱ شهریور ۱۴۰۲")["start"] == "2023-09-02"


def test_two_digit_year_is_jalali():
    assert parse_period("سال ۸۵")["jalali_start"] == "1385-01-01"


def test_leap_esfand_is_handled_by_jdatetime():
    assert parse_period("اسفند ۱۴۰۳")["jalali_end"] == "1403-12-30"
    assert parse_period("اسفند ۱۴۰۲")["jalali_end"] == "1402-12-29"


@pytest.mark.parametrize(
    "published,expected",
    [
        (None, None),
        (dt.date(2023, 9, 2), dt.date(2023, 9, 2)),
        (dt.datetime(2023, 9, 2, 10, 30), dt.date(2023, 9, 2)),
        (jdatetime.date(1402, 6, 11), dt.date(2023, 9, 2)),
        ("2023-09-02", dt.date(2023, 9, 2)),
        ("g:2023-09-02", dt.date(2023, 9, 2)),
        ("1402-06-11", dt.date(2023, 9, 2)),
        ("۱۴۰۲-۰۶-۱۱", dt.date(2023, 9, 2)),
    ],
)
def test_parse_published_accepts_documented_forms(published, expected):
    assert parse_published(published) == expected


@pytest.mark.parametrize("published", ["02/09/2023", "1402/06/11", "next week", 1402, "g:1402-13-40"])
def test_parse_published_rejects_other_forms(published):
    with pytest.raises(ValueError, match="expected"):
        parse_published(published)


@settings(max_examples=80, deadline=None)
@given(day=st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2040, 12, 31)))
def test_relative_periods_contain_or_precede_the_publication_day(day):
    this_year = parse_period("سال جاری", day)
    assert this_year["start"] <= day.isoformat() <= this_year["end"]
    same = parse_period("مدت مشابه سال قبل", day)
    last = parse_period("سال گذشته", day)
    assert last["start"] == same["start"] and same["end"] <= last["end"]
    assert parse_period("امروز", day)["start"] == day.isoformat()
