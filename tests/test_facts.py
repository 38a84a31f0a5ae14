"""Facts are what a careful reader writes down; publication dates come from the article."""
import datetime as dt
import json
from pathlib import Path

import pytest

from persian_export_ner.assemble import assemble
from persian_export_ner.dateline import detect_published
from persian_export_ner.facts import detect_flow

ROOT = Path(__file__).resolve().parent.parent


def gold_seeds():
    return {d["id"]: d for d in map(json.loads, (ROOT / "seeds" / "annotations.jsonl").read_text(encoding="utf-8").splitlines())}


def assemble_gold(doc):
    spans = [(e["start"], e["end"], e["label"], 1.0) for e in doc["entities"]]
    index = {e["id"]: i for i, e in enumerate(doc["entities"])}
    links = [(index[r["head"]], index[r["tail"]], 1.0) for r in doc["relations"]]
    pub = doc.get("published")
    return assemble(doc["text"], spans, links, pub)


def test_qom_exported_348_million_dollars_in_1401():
    ex = assemble_gold(gold_seeds()["000_b9625e672687cab0"])
    fact = next(f for f in ex.facts if f["text"] == "۳۴۸ میلیون دلار")
    assert fact["amount"] == 348_000_000 and fact["currency"] == "USD"
    assert fact["province"] == "قم" and fact["province_iso"] == "IR-25"
    assert fact["flow"] == "export"
    assert fact["period_jalali_start"] == "1401-01-01" and fact["period_jalali_end"] == "1401-12-29"
    assert fact["period_start"] == "2022-03-21" and fact["period_end"] == "2023-03-20"


def test_every_value_appears_as_a_fact_even_without_links():
    for doc in gold_seeds().values():
        ex = assemble_gold(doc)
        values = [e for e in ex.entities if e.label in ("MONEY", "QUANTITY", "PERCENT")]
        assert [f["value_id"] for f in ex.facts] == [e.id for e in values]


@pytest.mark.parametrize(
    "sentence, flow",
    [
        ("صادرات استان به ۳۴۸ میلیون دلار رسید.", "export"),
        ("واردات کالا ۲۰ میلیون دلار بود.", "import"),
        ("تولید فولاد به ۳ میلیون تن رسید.", "production"),
        ("ترانزیت کالا از مرز ۵ هزار تن بود.", "transit"),
        ("۱۲ میلیون دلار کالا صادر شد.", "export"),
        ("شاخص ۲ درصد افت کرد.", "other"),
    ],
)
def test_flow_comes_from_the_words_governing_the_value(sentence, flow):
    import re

    m = re.search(r"[\d۰-۹]+ (?:میلیون دلار|میلیون تن|هزار تن|درصد)", sentence)
    assert detect_flow(sentence, m.start(), m.end()) == flow


@pytest.mark.parametrize(
    "text, date",
    [
        ("شنبه/ ۱۱ شهریور ۱۴۰۲\nصادرات قم رشد کرد", dt.date(2023, 9, 2)),
        ("صادرات قم رشد کرد\nتاریخ انتشار: ۱۴۰۲/۰۶/۱۱", dt.date(2023, 9, 2)),
        ("date 2025-12-20\nصادرات قم", dt.date(2025, 12, 20)),
        ("1401/6/29 - 10:30\nصادرات قم", dt.date(2022, 9, 20)),
        ("صادرات قم در سال ۱۴۰۱ رشد کرد", None),
    ],
)
def test_publication_date_is_detected_from_datelines(text, date):
    assert detect_published(text) == date


def test_detected_date_resolves_relative_periods_and_is_reported():
    text = "سه‌شنبه ۱۴ آذر ۱۴۰۲\nصادرات قم در سال جاری ۱۰ درصد رشد کرد."
    s = text.index("سال جاری")
    ex = assemble(text, [(s, s + len("سال جاری"), "PERIOD", 1.0)], [], None)
    assert ex.published_source == "dateline" and ex.published == "2023-12-05"
    assert ex.entities[0].value["jalali_start"] == "1402-01-01"


def test_province_and_country_spans_that_do_not_resolve_are_dropped():
    text = "صادرات ارومیه و قم به ترکیه رسید"
    spans = [(7, 13, "PROVINCE", 0.9), (16, 18, "PROVINCE", 0.9), (22, 27, "COUNTRY", 0.9)]
    ex = assemble(text, spans, [], None)
    assert [(e.label, e.text) for e in ex.entities] == [("PROVINCE", "قم"), ("COUNTRY", "ترکیه")]
