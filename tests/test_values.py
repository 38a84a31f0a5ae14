"""parse_value: the normalized value dict each entity label carries."""
from __future__ import annotations

import datetime as dt
import importlib.util

import pytest

from persian_export_ner.values import parse_value

MONEY = [
    ("۴۲۰ میلیون دلار", 420_000_000, None, "USD"),
    ("٤٢٠ مليون دالر", 420_000_000, None, "USD"),
    ("یک میلیارد و ۳۰۰ میلیون دلار", 1_300_000_000, None, "USD"),
    ("دو میلیارد و 75 میلیون دلاری", 2_075_000_000, None, "USD"),
    ("۱۵ میلیون و ۲۴۰ هزار و ۹۱۰ دلار", 15_240_910, None, "USD"),
    ("۸۰۰ هزار یورو", 800_000, None, "EUR"),
    ("۳.۵ میلیون یورویی", 3_500_000, None, "EUR"),
    ("۹۰ میلیارد ریال", 90 * 10**9, None, "IRR"),
    ("۴۵۰ هزار تومان", 450_000, None, "IRT"),
    ("۱۲ هزار میلیارد تومانی", 12 * 10**12, None, "IRT"),
    ("۷ میلیون درهم", 7_000_000, None, "AED"),
    ("۲۰ میلیون یوان", 20_000_000, None, "CNY"),
    ("۵۰۰ هزار روبل", 500_000, None, "RUB"),
    ("۳ میلیون لیر", 3_000_000, None, "TRY"),
    ("۴ میلیون پوند", 4_000_000, None, "GBP"),
    ("۶۰ میلیون ریال سعودی", 60_000_000, None, "SAR"),
    ("۲۵۰ هزار دینار عراق", 250_000, None, "IQD"),
    ("۲۰ تا ۲۳ میلیارد تومان", 20 * 10**9, 23 * 10**9, "IRT"),
    ("۱۰ الی ۱۲ میلیون دلار", 10_000_000, 12_000_000, "USD"),
    ("اوراق ۲ هزار میلیاردی", 2 * 10**12, None, None),
    ("۵۱ دلار و ۲۵ سنت", 51.25, None, "USD"),
    ("۴۰ سنت", 0.4, None, "USD"),
    ("صادرات۳۱۲ میلیون دلار", 312_000_000, None, "USD"),
    ("3.7 میلیارددلار", 3_700_000_000, None, "USD"),
    ("هزار میلیارد ریال", 10**12, None, "IRR"),
    ("نیم میلیون دلار", 500_000, None, "USD"),
    ("یکصد میلیون تومان", 100_000_000, None, "IRT"),
    ("1,250,000 ریال", 1_250_000, None, "IRR"),
    ("۱۸۰٬۰۰۰ تومان", 180_000, None, "IRT"),
    ("دویست و پنجاه میلیون دلار", 250_000_000, None, "USD"),
]


@pytest.mark.parametrize("text,amount,amount_max,currency", MONEY)
def test_money_value(text, amount, amount_max, currency):
    value = parse_value(text, "MONEY")
    assert value == {"amount": pytest.approx(amount), "amount_max": amount_max, "currency": currency}


QUANTITY = [
    ("۴۶ هزار تن", 46_000, None, "t"),
    ("۴۶ هزار تُن", 46_000, None, "t"),
    ("۲ میلیون و ۳۰۰ هزار تن کالا", 2_300_000, None, "t"),
    ("۷۵ هزارتن", 75_000, None, "t"),
    ("۸۰۰ کیلوگرم", 800, None, "kg"),
    ("۱۲ کیلو", 12, None, "kg"),
    ("۳۰۰ گرم", 300, None, "g"),
    ("۲۰ هزار لیتر", 20_000, None, "l"),
    ("۵ میلیون متر مکعب", 5_000_000, None, "m3"),
    ("۹ میلیارد مترمکعب", 9 * 10**9, None, "m3"),
    ("۶۰۰ هزار بشکه", 600_000, None, "bbl"),
    ("۴۵۰ مگاوات", 450, None, "MW"),
    ("۱۲۰ هکتار", 120, None, "ha"),
    ("۱۱۵ تا ۱۲۰ هزار تن", 115_000, 120_000, "t"),
    ("۴۲ تن و ۳۰۰ کیلوگرم", 42.3, None, "t"),
    ("۳ کیلو و ۲۵۰ گرم", 3.25, None, "kg"),
    ("نیم کیلوگرم", 0.5, None, "kg"),
    ("۲۷ کشور", 27, None, "کشور"),
    ("۶۴۰ اظهارنامه", 640, None, "اظهارنامه"),
    ("۱۳ هزار نفر", 13_000, None, "نفر"),
    ("۸ هزار نفری", 8_000, None, "نفر"),
    ("۹۶۰ قلم کالا", 960, None, "قلم کالا"),
    ("۱۴ نوع کالای", 14, None, "نوع کالا"),
    ("۲۱۵ فقره کارت بازرگانی", 215, None, "فقره کارت بازرگانی"),
    ("۴۰ واحد", 40, None, "واحد"),
    ("پنج شهرک صنعتی", 5, None, "شهرک صنعتی"),
    ("۳۰۰ صادرکننده", 300, None, "صادرکننده"),
    ("۱۸ روستای", 18, None, "روستا"),
    ("دو فروند", 2, None, "فروند"),
    ("۲۵ رأس", 25, None, "راس"),  # normalized: أ → ا
]


@pytest.mark.parametrize("text,amount,amount_max,unit", QUANTITY)
def test_quantity_value(text, amount, amount_max, unit):
    value = parse_value(text, "QUANTITY")
    assert value == {"amount": pytest.approx(amount), "amount_max": amount_max, "unit": unit}


PERCENT = [
    ("۴۳ درصد", 43, None),
    ("43 درصدی", 43, None),
    ("۱۲۰ درصد", 120, None),
    ("٧٥ درصد", 75, None),
    ("۷.۵ درصد", 7.5, None),
    ("۷٫۵ درصد", 7.5, None),
    ("۷/۵ درصد", 7.5, None),
    ("یک و نیم درصد", 1.5, None),
    ("سه دهم درصد", 0.3, None),
    ("هشت‌دهم درصد", 0.8, None),
    ("بیست و پنج درصد", 25, None),
    ("صد درصد", 100, None),
    ("۴۰ تا ۴۵ درصد", 40, 45),
    ("۱۰ الی ۱۵ درصدی", 10, 15),
    ("کشور۳۵درصد", 35, None),
    ("۱۸٪", 18, None),
]


@pytest.mark.parametrize("text,amount,amount_max", PERCENT)
def test_percent_value(text, amount, amount_max):
    assert parse_value(text, "PERCENT") == {"amount": pytest.approx(amount), "amount_max": amount_max}


@pytest.mark.parametrize("text,label", [("درآمد ارزی", "MONEY"), ("صدها میلیون دلار", "MONEY"), ("کشورها", "QUANTITY"), ("درصد", "PERCENT")])
def test_value_without_a_number_is_none(text, label):
    assert parse_value(text, label) is None


@pytest.mark.parametrize("label", ["OFFICIAL", "PRODUCT"])
def test_officials_and_products_have_no_value(label):
    assert parse_value("رئیس سازمان", label) is None


def test_period_value_resolves_against_published():
    value = parse_value("سال جاری", "PERIOD", "g:2023-09-02")
    assert value == {"start": "2023-03-21", "end": "2024-03-19", "jalali_start": "1402-01-01", "jalali_end": "1402-12-29"}


def test_period_accepts_date_objects_and_jalali_strings():
    a = parse_value("امروز", "PERIOD", dt.date(2023, 9, 2))
    b = parse_value("امروز", "PERIOD", "1402-06-11")
    assert a == b and a["start"] == "2023-09-02"


def test_unknown_label_raises_value_error_listing_labels():
    with pytest.raises(ValueError, match="MONEY"):
        parse_value("۵ دلار", "AMOUNT")


def test_non_str_text_raises_type_error():
    with pytest.raises(TypeError, match="str"):
        parse_value(5, "MONEY")


@pytest.mark.parametrize("published", ["2023/09/02", "yesterday", 20230902, "g:2023-13-01"])
def test_bad_published_raises_value_error_naming_accepted_forms(published):
    with pytest.raises(ValueError, match="g:2023-09-02"):
        parse_value("امسال", "PERIOD", published)


_HAS_GAZETTEER = importlib.util.find_spec("persian_export_ner.gazetteer") is not None


@pytest.mark.skipif(not _HAS_GAZETTEER, reason="gazetteer.py not written yet")
def test_province_and_country_delegate_to_gazetteer():
    assert parse_value("قم", "PROVINCE")["iso"] == "IR-25"
    assert parse_value("عراق", "COUNTRY")["iso"] == "IQ"
