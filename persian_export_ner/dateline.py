"""Publication date from the article itself, so «سال جاری» resolves without a caller's date.

News pages print their date in a dateline («شنبه/ ۱۱ شهریور ۱۴۰۲»), a byline or a metadata
line («date 2025-12-20», «تاریخ انتشار: ۱۴۰۲/۰۶/۱۱»). Dates elsewhere in the body are usually
event dates, so only those positions are trusted: explicit markers anywhere, a weekday-led
date anywhere, and a bare date only near the top of the article.
"""
from __future__ import annotations

import datetime as dt
import re

from .text import normalize

_WEEKDAYS = r"(?:شنبه|یک\s?\u200c?شنبه|دو\s?\u200c?شنبه|سه\s?\u200c?شنبه|چهار\s?\u200c?شنبه|پنج\s?\u200c?شنبه|جمعه)"
_TEXT_DATE = r"\d{1,2}\s*[\u0600-\u06FF]+?(?:\s?\u200c?ماه)?\s+1[34]\d\d"
_NUM_JALALI = r"1[34]\d\d\s*[/\-.]\s*\d{1,2}\s*[/\-.]\s*\d{1,2}"
_ISO = r"(?:19|20)\d\d-\d{2}-\d{2}"

_MARKED = re.compile(
    rf"(?:\bdate|تاریخ\s*(?:انتشار|خبر)?|انتشار)\s*[:：]?\s*({_ISO}|{_NUM_JALALI}|{_TEXT_DATE})", re.IGNORECASE
)
_WEEKDAY_LED = re.compile(rf"{_WEEKDAYS}\s*[/،,\-–]?\s*({_TEXT_DATE}|{_NUM_JALALI})")
_BARE_NUM = re.compile(rf"(?<![\d/])({_NUM_JALALI}|{_ISO})(?![\d/])")
_BARE_TEXT = re.compile(rf"(?<!\d)({_TEXT_DATE})(?!\d)")

TOP_CHARS = 400


def parse_date_expression(expr: str) -> dt.date | None:
    """A single calendar day from a date expression, or None if it names anything else."""
    import jdatetime

    m = re.fullmatch(_ISO, expr)
    if m:
        try:
            return dt.date.fromisoformat(expr)
        except ValueError:
            return None
    m = re.fullmatch(r"(1[34]\d\d)\s*[/\-.]\s*(\d{1,2})\s*[/\-.]\s*(\d{1,2})", expr)
    if m:
        try:
            return jdatetime.date(*map(int, m.groups())).togregorian()
        except ValueError:
            return None
    from .values import parse_value

    try:
        value = parse_value(expr, "PERIOD")
    except ValueError:
        return None
    if value and value.get("start") and value.get("start") == value.get("end"):
        return dt.date.fromisoformat(value["start"])
    return None


def detect_published(text: str) -> dt.date | None:
    """The article's own publication date, or None when it states none we trust."""
    norm = normalize(text).text
    for pattern, limit in ((_MARKED, None), (_WEEKDAY_LED, None), (_BARE_NUM, TOP_CHARS), (_BARE_TEXT, TOP_CHARS)):
        for m in pattern.finditer(norm if limit is None else norm[:limit]):
            date = parse_date_expression(m.group(1).strip())
            if date is not None:
                return date
    return None
