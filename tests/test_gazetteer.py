"""Gazetteer lookups and finders follow ANNOTATION.md's boundary and context rules."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from persian_export_ner.gazetteer import (
    find_countries,
    find_officials,
    find_products,
    find_provinces,
    lookup_country,
    lookup_product,
    lookup_province,
)
from persian_export_ner.text import normalize_text

Z = "\u200c"


def spans(finder, text):
    return [text[s:e] for s, e, _ in finder(text)]


# --- lookups ---


@pytest.mark.parametrize(
    "variant",
    ["آذربایجان شرقی", f"آذربایجان{Z}شرقی", "آذربایجانشرقی", "آذربايجان شرقي", " آذربایجان شرقی "],
)
def test_lookup_province_accepts_space_zwnj_no_space_and_arabic_letters(variant):
    assert lookup_province(variant) == {"name": "آذربایجان شرقی", "name_en": "East Azerbaijan", "iso": "IR-03"}


@pytest.mark.parametrize(
    ("variant", "iso"),
    [
        (f"سیستان{Z}وبلوچستان", "IR-11"),
        ("کهگیلویه و بویر احمد", "IR-17"),
        ("کهگیلویه و بویراحمد", "IR-17"),
        ("چهارمحال و بختیاری", "IR-14"),
        ("خراسان رضوی", "IR-09"),
        ("قم", "IR-25"),
        ("البرز", "IR-30"),
        ("مرکزی", "IR-00"),
    ],
)
def test_lookup_province_variants(variant, iso):
    assert lookup_province(variant)["iso"] == iso


@pytest.mark.parametrize(
    ("variant", "iso"),
    [
        ("امارات", "AE"),
        ("امارات متحده عربی", "AE"),
        ("آمریکا", "US"),
        ("امريكا", "US"),
        ("ایالات متحده", "US"),
        ("روسیه", "RU"),
        ("فدراسیون روسیه", "RU"),
        ("کره جنوبی", "KR"),
        ("جمهوری آذربایجان", "AZ"),
        ("رژیم صهیونیستی", "IL"),
        ("جمهوری اسلامی", "IR"),
        ("ترکیه", "TR"),
        ("عراق", "IQ"),
    ],
)
def test_lookup_country_variants(variant, iso):
    assert lookup_country(variant)["iso"] == iso


@pytest.mark.parametrize("name", ["اروپا", "آسیا", "اوراسیا", "اتحادیه اروپا", "اقلیم کردستان", "هنگ کنگ", "کشور", "تبریز"])
def test_regions_blocs_and_cities_are_not_countries_or_provinces(name):
    assert lookup_country(name) is None
    assert lookup_province(name) is None


def test_lookup_product_knows_plural_and_zwnj_variants():
    assert lookup_product("سیب‌زمینی")["name"] == lookup_product("سیب زمینی")["name"]
    assert lookup_product("کیویها")["name"] == "کیوی"
    assert lookup_product("کالا") is None


# --- provinces ---


def test_demonym_is_not_a_province():
    assert spans(find_provinces, "زائران قمی و قم") == ["قم"]


def test_markazi_only_after_the_word_ostan():
    assert spans(find_provinces, "بانک مرکزی و استان مرکزی") == ["مرکزی"]
    (start, _, value), = find_provinces("استان مرکزی")
    assert start == 6 and value["iso"] == "IR-00"


def test_azerbaijan_province_spellings_are_one_span_each():
    text = f"آذربایجان{Z}شرقی، آذربایجانغربی و آذربایجان شرقی"
    assert [v["iso"] for _, _, v in find_provinces(text)] == ["IR-03", "IR-04", "IR-03"]


def test_fars_is_not_the_gulf_nor_the_news_agency():
    text = "به گزارش خبرگزاری فارس، صادرات از خلیج فارس و استان فارس"
    assert [s for s, _, _ in find_provinces(text)] == [text.rindex("فارس")]


def test_iraqi_kurdistan_is_not_the_province():
    assert spans(find_provinces, "اقلیم کردستان و کردستان عراق") == []
    assert spans(find_provinces, "استان کردستان") == ["کردستان"]


def test_province_in_company_exchange_and_media_names_is_not_tagged():
    assert spans(find_provinces, "بورس تهران و صدا و سیمای مرکز گیلان") == []


def test_jurisdiction_of_a_public_body_is_tagged():
    assert spans(find_provinces, "استانداری قم") == ["قم"]


# --- countries ---


def test_demonyms_are_not_countries():
    assert spans(find_countries, f"ایرانی روسیه{Z}ای{Z}ها") == []


def test_company_and_bank_names_do_not_yield_iran():
    assert spans(find_countries, "ایران خودرو و بانک ملی ایران") == []
    assert spans(find_countries, "گمرک ایران") == ["ایران"]


def test_bare_azerbaijan_is_the_country_unless_it_is_a_province():
    assert spans(find_countries, "صادرات به آذربایجان") == ["آذربایجان"]
    assert spans(find_countries, "آذربایجان شرقی") == []
    assert spans(find_countries, "استان آذربایجان") == []
    assert [v["iso"] for _, _, v in find_countries("جمهوری آذربایجان")] == ["AZ"]


def test_longest_country_name_wins():
    assert spans(find_countries, "امارات متحده عربی و جمهوری اسلامی ایران") == ["امارات متحده عربی", "جمهوری اسلامی ایران"]


def test_coordinated_countries_are_separate():
    assert spans(find_countries, "عراق، افغانستان و ترکیه") == ["عراق", "افغانستان", "ترکیه"]


def test_country_names_that_are_common_words_need_a_cue():
    assert spans(find_countries, "منابع مالی و کشور مالی") == ["مالی"]
    assert find_countries("منابع مالی") == []


def test_regions_are_never_found():
    assert find_countries("اروپا، آسیا، اوراسیا و اتحادیه اروپا و هنگ کنگ") == []


def test_arabic_letters_are_folded_in_place_so_offsets_stay_valid():
    text = "صادرات به امريكا و تركيه"
    assert [v["iso"] for _, _, v in find_countries(text)] == ["US", "TR"]
    assert spans(find_countries, text) == ["امريكا", "تركيه"]


def test_span_excludes_a_trailing_zwnj_before_punctuation():
    assert spans(find_countries, f"ترکیه{Z}؛") == ["ترکیه"]


# --- products ---


def test_coordinated_products_are_separate_entities():
    assert spans(find_products, "دمپایی و صندل") == ["دمپایی", "صندل"]
    assert spans(find_products, "کاشی و سرامیک") == ["کاشی", "سرامیک"]


def test_modifiers_sharing_one_head_stay_one_entity():
    assert spans(find_products, f"روغن{Z}های گیاهی و خوراکی") == [f"روغن{Z}های گیاهی و خوراکی"]


def test_product_span_keeps_attached_plural_and_ezafe():
    assert spans(find_products, f"صادرات قالی{Z}های ایران") == [f"قالی{Z}های"]
    assert spans(find_products, "گردوی چینی") == ["گردوی"]
    assert spans(find_products, "شوینده‌ها") == ["شوینده‌ها"]


def test_product_never_cuts_a_word():
    assert find_products("برنجی") == []


def test_generic_goods_and_industries_are_not_products():
    assert find_products("کالا و محصولات و کالاهای صادراتی") == []
    assert find_products("صنعت شوینده و صنعت نفت") == []


def test_specific_product_categories_are_found():
    assert spans(find_products, "محصولات لبنی و محصولات پتروشیمی") == ["محصولات لبنی", "محصولات پتروشیمی"]
    assert spans(find_products, "سیبزمینی") == ["سیبزمینی"]


# --- officials ---


def test_title_ends_before_trailing_province():
    text = "استاندار قزوین گفت"
    assert spans(find_officials, text) == ["استاندار"]
    assert spans(find_provinces, text) == ["قزوین"]


def test_long_title_with_comma_and_conjunction_stops_before_province():
    text = "رئیس سازمان صنعت، معدن و تجارت آذربایجان شرقی گفت"
    assert spans(find_officials, text) == ["رئیس سازمان صنعت، معدن و تجارت"]


def test_title_with_ostan_keeps_ostan_and_leaves_the_province():
    text = "مدیرکل دفتر هماهنگی امور اقتصادی استانداری قم"
    assert spans(find_officials, text) == ["مدیرکل دفتر هماهنگی امور اقتصادی استانداری"]


def test_head_words_alone_are_not_titles():
    assert find_officials("رئیس گفت که معاون آمد") == []


def test_president_and_member_of_parliament():
    assert spans(find_officials, "رئیس جمهور") == ["رئیس جمهور"]
    text = "نماینده مردم بافت و رابر در مجلس"
    assert spans(find_officials, text) == [text]


def test_people_are_found_with_rank_and_then_by_surname():
    text = "سردار محمد قنبری گفت. قنبری افزود"
    assert spans(find_officials, text) == ["سردار محمد قنبری", "قنبری"]


def test_names_of_streets_and_imams_are_not_officials():
    assert find_officials("خیابان علی احمدی") == []


# --- properties ---

_alphabet = st.sampled_from(list("قمایرانعکستبلوچ ‌،.") + ["ایران", "قم", "استان مرکزی", "آذربایجان شرقی", "عراق", "برنج"])


@settings(max_examples=200, deadline=None)
@given(st.lists(_alphabet, max_size=30).map("".join))
def test_finders_return_sorted_non_overlapping_whole_word_spans(text):
    for finder in (find_provinces, find_countries, find_products, find_officials):
        found = finder(text)
        for (s1, e1, _), (s2, _, _) in zip(found, found[1:]):
            assert e1 <= s2
        for s, e, _ in found:
            assert 0 <= s < e <= len(text)
            assert not (s > 0 and text[s - 1].isalpha()), (finder.__name__, text, s, e)
            assert not (e < len(text) and text[e].isalpha()), (finder.__name__, text, s, e)
            assert text[s:e] == text[s:e].strip()


def test_finders_agree_with_lookups_on_normalized_text():
    raw = "صادرات آذربايجان‌شرقي به امارات"
    text = normalize_text(raw)
    (_, _, prov), = find_provinces(text)
    (_, _, country), = find_countries(text)
    assert prov == lookup_province("آذربایجان شرقی") and country == lookup_country("امارات")
