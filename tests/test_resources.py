"""The shipped gazetteer data: complete, codes valid and unique, loaders cached."""
from __future__ import annotations

import re

import pytest

from persian_export_ner.resources import load_json, resource_names

PROVINCE_ISO = {f"IR-{i:02d}" for i in range(31)}


def test_load_json_accepts_names_with_or_without_extension_and_caches():
    assert load_json("provinces") is load_json("provinces.json")


def test_load_json_unknown_name_lists_available_resources():
    with pytest.raises(FileNotFoundError, match="provinces.json"):
        load_json("no-such-resource")


def test_resource_names_include_the_gazetteers():
    assert {"provinces.json", "countries.json", "products.json", "officials.json"} <= set(resource_names())


def test_there_are_31_provinces_with_unique_current_iso_codes():
    provinces = load_json("provinces")["provinces"]
    assert len(provinces) == 31
    assert {p["iso"] for p in provinces} == PROVINCE_ISO


def test_every_province_lists_its_canonical_name_among_its_variants():
    for p in load_json("provinces")["provinces"]:
        assert p["variants"][0] == p["name"]
        assert p["name_en"] and p["capital"]
        assert p["capital_same_name"] == (p["capital"] == p["name"])


def test_country_codes_are_well_formed_and_unique():
    countries = load_json("countries")["countries"]
    assert len(countries) >= 193
    a2 = [c["iso"] for c in countries]
    a3 = [c["iso3"] for c in countries]
    assert all(re.fullmatch(r"[A-Z]{2}", c) for c in a2)
    assert all(re.fullmatch(r"[A-Z]{3}", c) for c in a3)
    assert len(set(a2)) == len(a2) and len(set(a3)) == len(a3)


def test_country_alpha3_codes_start_like_their_alpha2_for_well_known_countries():
    by_iso = {c["iso"]: c["iso3"] for c in load_json("countries")["countries"]}
    assert by_iso["IR"] == "IRN" and by_iso["IQ"] == "IRQ" and by_iso["AE"] == "ARE" and by_iso["US"] == "USA"


def test_no_spelling_belongs_to_two_countries_or_two_provinces():
    for file, key in (("countries", "countries"), ("provinces", "provinces")):
        seen: dict[str, str] = {}
        for entry in load_json(file)[key]:
            for v in entry["variants"]:
                k = re.sub(r"[\s\u200c]+", "", v)
                assert seen.setdefault(k, entry["iso"]) == entry["iso"], v


def test_regions_and_blocs_are_not_country_variants():
    data = load_json("countries")
    variants = {v for c in data["countries"] for v in c["variants"]}
    assert not variants & set(data["not_countries"])


def test_product_lexicon_is_large_and_excludes_generic_words():
    data = load_json("products")
    names = {p["name"] for p in data["products"]}
    assert len(names) >= 400
    assert not names & set(data["excluded"])
    assert {"کالا", "محصولات", "کالاهای صادراتی", "محصول تولیدی", "صنعت شوینده"} <= set(data["excluded"])


def test_products_carry_plural_variants_with_and_without_zwnj():
    by_name = {p["name"]: p["variants"] for p in load_json("products")["products"]}
    assert {"کیوی\u200cها", "کیویها"} <= set(by_name["کیوی"])


def test_official_vocabulary_has_the_titles_of_the_brief():
    data = load_json("officials")
    assert {"استاندار", "رئیس جمهور", "وزیر"} <= set(data["standalone"])
    assert {"رئیس", "معاون", "مدیرکل", "فرمانده"} <= set(data["heads"])
    assert "سردار" in data["ranks"]
