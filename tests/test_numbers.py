"""Persian number expressions: digits of every script, words, mixtures, ranges."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from persian_export_ner.numbers import fold, parse_number, scan_number

PERSIAN_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
ARABIC_DIGITS = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")

CASES = [
    ("۴۵", 45),
    ("٤٥", 45),
    ("45", 45),
    ("صفر", 0),
    ("یک", 1),
    ("يك", 1),
    ("هفت", 7),
    ("ده", 10),
    ("دوازده", 12),
    ("هجده", 18),
    ("بیست و سه", 23),
    ("شصت و نه", 69),
    ("صد", 100),
    ("یکصد", 100),
    ("سیصد و چهل و هشت", 348),
    ("نهصد و نود و نه", 999),
    ("هزار", 1000),
    ("دو هزار", 2000),
    ("دوهزار", 2000),
    ("یک‌هزار و ۳۰۰", 1300),
    ("یکمیلیارد", 10**9),
    ("یک\u200eمیلیارد و ۲۰۰ میلیون", 1_200_000_000),
    ("یک میلیارد و 800 میلیون", 1_800_000_000),
    ("۳۴ میلیون و ۳۶۸ هزار و ۷۱۰", 34_368_710),
    ("12.6 هزار میلیارد", 12_600_000_000_000),
    ("۳ هزار و ۲۰۰ میلیارد", 3_200_000_000_000),
    ("2میلیارد و 365میلیون", 2_365_000_000),
    ("۷ میلیون و ۴۰ هزار و ۵", 7_040_005),
    ("یک و نیم", 1.5),
    ("نیم", 0.5),
    ("دو دهم", 0.2),
    ("6 دهم", 0.6),
    ("هفت‌دهم", 0.7),
    ("پنج صدم", 0.05),
    ("یک و نیم میلیون", 1_500_000),
    ("سه میلیون و نیم", 3_500_000),
    ("12.6", 12.6),
    ("۱۲٫۶", 12.6),
    ("12/6", 12.6),
    ("1,200,000", 1_200_000),
    ("۱٬۲۰۰٬۰۰۰", 1_200_000),
    ("1.200.000", 1_200_000),
    ("۴۵ میلیاردی", 45 * 10**9),
    ("۸۰ درصدی", 80),
    ("ميليون", 10**6),
]


@pytest.mark.parametrize("text,expected", CASES)
def test_number_expression_parses_to_its_value(text, expected):
    amount, amount_max = parse_number(text)
    assert amount == pytest.approx(expected)
    assert amount_max is None


@pytest.mark.parametrize(
    "text,low,high",
    [
        ("۵ تا ۱۰", 5, 10),
        ("۵۹ تا ۶۵", 59, 65),
        ("بین ۵ تا ۱۰", 5, 10),
        ("۳ الی ۴", 3, 4),
        ("۲۰ تا ۲۵ میلیون", 20 * 10**6, 25 * 10**6),
        ("سه تا چهار هزار", 3000, 4000),
        ("۴۰۰ تا یک هزار و ۵۰۰", 400, 1500),
        ("8-6", 6, 8),
        ("دو یا حتی سه میلیارد", 2 * 10**9, 3 * 10**9),
    ],
)
def test_range_gives_amount_and_amount_max(text, low, high):
    assert parse_number(text) == (low, high)


@pytest.mark.parametrize("text", ["", "دلار", "صدها میلیون", "هزاران", "میلیون‌ها", "چند هزار", "1402/06/11"])
def test_vague_or_missing_numbers_are_none(text):
    assert parse_number(text) is None


def test_coordinated_numbers_are_separate_expressions():
    # «۵۸ و ۱۰ درصد»: two values sharing a unit, not fifty-eight-and-ten.
    assert parse_number("۵۸ و ۱۰") == (58, None)


def test_integral_results_are_int_and_fractions_float():
    assert isinstance(parse_number("۱۲ هزار")[0], int)
    assert isinstance(parse_number("۱.۵ هزار")[0], int)
    assert isinstance(parse_number("۱.۵")[0], float)


def test_scan_number_reports_offsets_in_folded_text():
    text = fold("جذب ۳۰ میلیون دلار")
    found = scan_number(text)
    assert text[found.start : found.end] == "30 میلیون"


def test_non_str_raises_type_error():
    with pytest.raises(TypeError, match="expects a str"):
        parse_number(12)


# --- properties ---

_ONES = ["", "یک", "دو", "سه", "چهار", "پنج", "شش", "هفت", "هشت", "نه"]
_TEENS = ["ده", "یازده", "دوازده", "سیزده", "چهارده", "پانزده", "شانزده", "هفده", "هجده", "نوزده"]
_TENS = ["", "", "بیست", "سی", "چهل", "پنجاه", "شصت", "هفتاد", "هشتاد", "نود"]
_HUNDREDS = ["", "صد", "دویست", "سیصد", "چهارصد", "پانصد", "ششصد", "هفتصد", "هشتصد", "نهصد"]


def _below_thousand(n: int) -> list[str]:
    parts = []
    h, rest = divmod(n, 100)
    if h:
        parts.append(_HUNDREDS[h])
    if 10 <= rest < 20:
        parts.append(_TEENS[rest - 10])
    else:
        t, o = divmod(rest, 10)
        if t:
            parts.append(_TENS[t])
        if o:
            parts.append(_ONES[o])
    return parts


def to_words(n: int) -> str:
    """Render a positive integer in Persian words, the way a style guide would."""
    groups = []
    for scale in ("", "هزار", "میلیون", "میلیارد"):
        n, chunk = divmod(n, 1000)
        if chunk:
            words = " و ".join(_below_thousand(chunk))
            groups.append(f"{words} {scale}".strip())
    return " و ".join(reversed(groups))


def _with_separators(n: int, sep: str) -> str:
    return f"{n:,}".replace(",", sep)


@settings(max_examples=150, deadline=None)
@given(n=st.integers(min_value=0, max_value=10**12), script=st.sampled_from(["latin", "persian", "arabic"]),
       sep=st.sampled_from(["", ",", "٬"]))
def test_integer_in_any_script_and_separator_parses_to_itself(n, script, sep):
    text = _with_separators(n, sep) if sep else str(n)
    if script == "persian":
        text = text.translate(PERSIAN_DIGITS)
    elif script == "arabic":
        text = text.translate(ARABIC_DIGITS)
    assert parse_number(text) == (n, None)


@settings(max_examples=150, deadline=None)
@given(n=st.integers(min_value=1, max_value=999_999_999_999))
def test_number_rendered_in_persian_words_parses_back(n):
    assert parse_number(to_words(n)) == (n, None)


@settings(max_examples=100, deadline=None)
@given(n=st.integers(min_value=1, max_value=999), scale=st.sampled_from([("هزار", 10**3), ("میلیون", 10**6), ("میلیارد", 10**9)]))
def test_digits_times_scale_word(n, scale):
    word, factor = scale
    assert parse_number(f"{n} {word}") == (n * factor, None)
