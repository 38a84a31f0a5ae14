"""Regex detection of value spans (MONEY, QUANTITY, PERCENT, PERIOD) in normalized text.

This is the rule baseline's value detector, so it is built once from a few shared pieces and
compiled lazily on first use (no work at import). The pieces follow ANNOTATION.md's boundaries:

- a number expression is digits or number words, scale words, «و» between scale groups,
  fractions and ranges («۵۹ تا ۶۵»); hedges before it («بیش از», «حدود») are never inside;
- MONEY ends after its currency word (and a «و ۵۰ سنت» tail); a bare «… میلیاردی» counts as
  money with unknown currency, as the guide allows for budget headlines;
- QUANTITY keeps a unit of measure but stops before whatever follows it («[۳۰۰ هزار تن] ورق»),
  keeps a classifier plus a *generic* noun («۱۲۹۰ قلم کالا») and otherwise one counted noun
  («۳۸ کشور»); years, ranks and durations are not quantities;
- PERIOD covers years, months, seasons, partial years, dates, deictic and relative words,
  numbered durations, and intervals bounded by «از … تا» / «تا پایان» / «تاکنون», without the
  prepositions «در», «طی», «از» that merely mark the phrase.

Spans are widened to whole words (a glued «جذب714 میلیارد ریال» keeps «جذب»), and overlaps are
resolved longest first, so the result never cuts a word and never overlaps.
"""
from __future__ import annotations

import re
from functools import lru_cache

from .numbers import DIGIT_NUMBER, SCALES, UNITS
from .periods import load_resource
from .text import SpanSet

Span = tuple[int, int, str]

_SP = r"[ \t\u200c]+"
_OSP = r"[ \t\u200c]*"
_END = r"(?![^\W\d_])"
_START_WORD = r"(?<![^\W\d_])"

#: Words that never start a counted noun after a number (function words, verbs, time units,
#: ratio words); a number before them is not a QUANTITY.
_NOT_NOUNS = (
    "و در از به با تا که را برای بر هم نیز یا این آن است بود شد شده شود می نمی بوده باشد هست "
    "سال ماه ماهه روز روزه هفته ساعت دقیقه ثانیه ساله دهه قرن برابر درصد درصدی رتبه مرتبه بار "
    "نوبت دوره مرحله ام امین مین اول دوم سوم نخست هزار میلیون میلیارد تا الی یا درجه "
    "سالگی ساعته کیلومتری متری نفره برابری طرف طرفه گانه جانبه جهت حدود بیش کمتر بالغ نزدیک "
    "کاهش افزایش رشد اعلام پیش قبل بعد رسید رسیده رسیدند دارد دارند دارای بود بودند شدند کرد کردند "
    "گرفت داد تحت"
).split()
#: Words ending in «ی» that are not adjectives of a counted noun.
_NOT_ADJECTIVES = (
    "برای وی یعنی ولی کسی چیزی جاری قبلی بعدی آتی فعلی کنونی گذشتهی همی ای بی می نمی اینکه "
    "ملی دولتی خصوصی عمومی اصلی تولیدی"
).split()
#: Words before a number that make it an identifier, a rank or a year rather than a count.
_NOT_COUNT_BEFORE = frozenset(
    "سال سالهای رتبه شماره ماده بند اصل تبصره کد ردیف صفحه ساعت سوره آیه پلاک مصوبه قطعنامه "
    "برنامه سند نسخه جلسه دوره مرحله فاز کیلومتر".split()
)
_RANK_AFTER = frozenset("اول برتر نخست آخر پایانی".split())


def _alt(words) -> str:
    return "|".join(re.escape(w).replace(r"\ ", _SP) for w in sorted(set(words), key=len, reverse=True))


@lru_cache(maxsize=1)
def _number_regex() -> tuple[str, str, str]:
    """(number expression, one ending in a scale word, range of number expressions)."""
    scale = f"(?:{_alt(SCALES)})"
    wnum_word = f"(?:{_alt(UNITS)})"
    wnum = rf"{_START_WORD}{wnum_word}(?![^\W\d_])(?!\u200c(?!{scale}|دهم|صدم))"
    wseq = rf"{wnum}(?:{_SP}و{_SP}{wnum})*"
    glued_wnum = rf"{_START_WORD}{wnum_word}(?={scale})"
    atom = rf"(?:(?<![\d.,/])(?:{DIGIT_NUMBER})|{glued_wnum}|{wseq})"
    frac = rf"(?:{_SP}و{_SP}نیم{_END}|{_OSP}(?:دهم|صدم){_END})?"
    group_s = rf"(?:{atom}{frac}(?:{_OSP}{scale})+|{_START_WORD}{scale}(?:{_OSP}{scale})*)"
    group = rf"(?:{atom}{frac}(?:{_OSP}{scale})*|{_START_WORD}{scale}(?:{_OSP}{scale})*)"
    expr = rf"(?:{group_s}{_OSP}و{_OSP})*{group}"
    expr_s = rf"(?:{group_s}{_OSP}و{_OSP})*{group_s}"
    rng = rf"{expr}(?:{_OSP}(?:تا|الی|-|–|یا(?:{_SP}حتی)?){_OSP}{expr})?"
    return expr, expr_s, rng


@lru_cache(maxsize=1)
def _value_regexes() -> list[tuple[str, re.Pattern[str]]]:
    expr, expr_s, rng = _number_regex()
    cur = load_resource("currencies.json")
    units = load_resource("units.json")
    currency = f"(?:{_alt(cur['currencies'])})"
    subunit = f"(?:{_alt(cur['subunits'])})"
    unit = f"(?:{_alt(units['units'])})"
    classifier = f"(?:{_alt(units['classifiers'])})"
    generic = f"(?:{_alt(units['generic_nouns'])})"
    adj = r"(?:\u200c?(?:یی|ای|ی))?"
    cal = load_resource("calendar.json")
    calendar_words = list(cal["jalali_months"]) + list(cal["gregorian_months"]) + list(cal["weekdays"])
    noun = rf"(?!(?:{_alt(_NOT_NOUNS + calendar_words)}|{unit}|{currency}){_END}|{_alt(SCALES)})[^\W\d_][^\W\d_\u200c]*(?:\u200c[^\W\d_]+)*"
    big = f"(?!{_alt([w for w in SCALES if SCALES[w] > 1000])})"
    money = (
        rf"{big}{rng}{_OSP}{currency}{adj}{_END}(?:{_SP}و{_SP}{expr}{_OSP}{subunit}{adj}{_END})?"
        rf"|{big}{rng}{_OSP}{subunit}{adj}{_END}"
        rf"|(?!{_alt(SCALES)})(?:{expr_s})(?<=میلیارد)ی{_END}"
    )
    percent = rf"{rng}{_OSP}(?:درصد{adj}{_END}|[%٪])"
    quantity_unit = (
        rf"{rng}{_OSP}{unit}{adj}{_END}(?:{_SP}و{_OSP}{expr}{_OSP}{unit}{adj}{_END})*(?:{_SP}{generic}{_END})?"
    )
    stop_adj = _alt(_NOT_ADJECTIVES)
    adjectives = rf"(?:{_SP}(?!(?:{stop_adj}){_END}|n?می\u200c)[^\W\d_]+ی{_END}){{0,2}}"
    noun_classifier = f"(?:{_alt(units['noun_classifiers'])})"
    quantity_classifier = (
        rf"{rng}{_OSP}(?:{noun_classifier}{_END}(?:{_SP}{generic}{_END}|{_SP}(?P<cnoun>(?!n?می\u200c){noun}){adjectives})?"
        rf"|{classifier}{adj}{_END}(?:{_SP}{generic}{_END})?)"
    )
    quantity_noun = rf"(?P<num>{rng}){_SP}(?P<noun>{noun}){adjectives}"
    return [
        ("MONEY", re.compile(money)),
        ("PERCENT", re.compile(percent)),
        ("QUANTITY", re.compile(quantity_unit)),
        ("QUANTITY_CLS", re.compile(quantity_classifier)),
        ("QUANTITY_NOUN", re.compile(quantity_noun)),
    ]


def _ordinal_days() -> list[str]:
    """Day ordinals 1..31 as written: «اول», «یکم», «دهم», «بیست و یکم», «سی ام», «سی‌ویکم»."""
    names = {v: k for k, v in UNITS.items() if k not in ("یه", "شیش", "پونزده", "هیجده", "یکصد")}
    out = ["اول", "نخست"]
    for day in range(1, 32):
        tens, ones = divmod(day, 10)
        if day <= 20 or ones == 0:
            words = [names[day]]
        else:
            words = [names[tens * 10], "و", names[ones]]
        last = words[-1]
        words[-1] = "سوم" if last == "سه" else ("سی ام" if last == "سی" else last + "م")
        out.append(" ".join(words))
    return out


@lru_cache(maxsize=1)
def _period_regex() -> re.Pattern[str]:
    cal = load_resource("calendar.json")
    ambiguous = {"تیر", "مهر", "دی", "آذر", "مه", "می", "جون", "بهمن"}
    months_all = list(cal["jalali_months"]) + list(cal["gregorian_months"])
    safe = f"(?:{_alt([m for m in months_all if m not in ambiguous])})"
    anym = f"(?:{_alt(months_all)})"
    vague_edge = rf"(?:(?:اوایل|اواسط|اواخر|نیمه|ابتدای|انتهای){_SP})?"
    month_word = rf"{vague_edge}(?:{anym}{_OSP}ماه|ماه{_SP}{anym}|{safe})"
    ords = f"(?:{_alt(cal['ordinals'])})"
    weekday = f"(?:{_alt(list(cal['weekdays']) + ['سه شنبه', 'یک شنبه', 'پنج شنبه', 'دو شنبه', 'چهار شنبه'])})"
    seasons = f"(?:{_alt(cal['seasons'])})"
    unit_words = f"(?:{_alt(UNITS)})"
    num1 = rf"(?:\d{{1,3}}|چند|یکی{_SP}دو|{unit_words}(?:{_SP}و{_SP}{unit_words})?)"
    num = rf"{num1}(?:{_SP}(?:تا|الی|یا){_SP}{num1})?"
    not_value = rf"(?!{_OSP}(?:درصد|هزار|میلیون|میلیارد|تن|دلار|ریال|تومان|نفر|واحد|[-/.,]\d))"
    year_num = (
        rf"(?:1[34]\d\d|19\d\d|20\d\d|\d\d(?!\d){not_value})"
        rf"(?:{_SP}(?:میلادی|شمسی|هجری{_SP}شمسی|خورشیدی|قمری|هجری{_SP}قمری))?"
    )
    rel_year = (
        rf"سال(?:{_SP}(?:مالی|زراعی|میلادی))?{_OSP}(?:جاری|گذشته|قبل|پیش|آینده|بعد|جدید|آتی)(?:{_SP}(?:مالی|زراعی))?"
    )
    yearspec = (
        rf"(?:{_SP}(?:سال(?:{_SP}(?:مالی|زراعی))?{_SP}{year_num}|{rel_year}"
        rf"|امسال|پارسال|(?:1[34]\d\d|20\d\d|\d\d(?!\d){not_value})|سال(?:{_SP}مالی)?{_END}))"
    )
    day_num = f"(?:{_alt(_ordinal_days())})"
    date_numeric = r"(?<![\d/])1[34]\d\d/\d{1,2}/\d{1,2}(?![\d/])|(?<![\d/])20\d\d-\d{2}-\d{2}(?!\d)"
    day_month = (
        rf"(?:{weekday}{_OSP}[,،]?{_OSP})?(?:روز{_SP})?(?:\d{{1,2}}|{day_num}){_OSP}(?:ماه{_SP})?{anym}"
        rf"(?:{_OSP}ماه)?{yearspec}?"
    )
    months = rf"{month_word}(?:{_OSP}(?:و|،|تا){_OSP}{month_word})*{yearspec}?"
    partial = (
        rf"{num}{_SP}ماهه(?:{_SP}{ords})?(?:{_SP}(?:اول|نخست))?{yearspec}?"
        rf"|{num}{_SP}ماه{_SP}{ords}{yearspec}?"
        rf"|{num}{_SP}ماه(?:{_SP}سپری{_SP}شده)?{_SP}از{yearspec}"
        rf"|{num}{_SP}ماه{yearspec}"
        rf"|نیم(?:ه)?{_SP}(?:{ords}|فصل(?:{_SP}{ords})?)(?:{_SP}(?:ماه{_SP})?{anym})?{yearspec}?"
        rf"|فصل{_SP}(?:{ords}|{seasons}){yearspec}?|{seasons}{yearspec}"
    )
    year = (
        rf"سال(?:{_SP}(?:مالی|زراعی))?{_SP}{year_num}(?:-\d{{2,4}})?|(?<![\d.,/])1[34]\d\d(?![\d/.,]){not_value}"
        rf"|{rel_year}|امسال|پارسال"
    )
    day_part = rf"(?:صبح|ظهر|عصر|شب|بامداد|شامگاه|پیش{_SP}از{_SP}ظهر|بعد{_SP}از{_SP}ظهر)"
    events = f"(?:{_alt(cal['events'])})"
    deictic = (
        rf"(?:{day_part}{_OSP})?(?:امروز|دیروز|فردا)(?:{_SP}{weekday})?(?:{_SP}{day_month})?"
        rf"|(?:روز|شب){_SP}(?:گذشته|قبل)|{vague_edge}(?:ماه|هفته){_SP}(?:گذشته|جاری|آینده|پیش|قبل)(?:{_SP}میلادی)?"
        rf"|این{_SP}هفته"
        rf"|(?:مدت|دوره)(?:{_SP}زمان)?{_SP}مشابه(?:{_SP}(?:سال{_SP}(?:قبل|گذشته|پیش)|پارسال|در{_SP}سال{_SP}{year_num}))?"
        rf"|{events}{yearspec}?"
        rf"|(?:{day_part}{_SP})?(?:روز{_SP})?{weekday}(?:{_SP}(?:گذشته|آینده|هفته{_SP}(?:آینده|گذشته|جاری)))?"
    )
    duration = (
        rf"{num}{_OSP}(?:سال|ماه|روز|هفته|ساعت|دهه)(?:{_SP}(?:اخیر|گذشته|آینده|پیش))?"
        rf"|{num}{_OSP}(?:ساله|روزه|ماهه){_END}"
    )
    point = f"(?:{date_numeric}|{day_month}|{partial}|{months}|{year}|{deictic})"
    start_w = r"(?:ابتدای|ابتدا|اول|آغاز|شروع|بدو|اواسط|اوایل)"
    end_w = r"(?:پایان|آخر|انتهای|اواخر)"
    now = rf"(?:تا{_OSP}کنون|تا{_SP}به{_SP}امروز|تا{_SP}امروز)"
    free = rf"(?:[^\W\d_]+(?:{_SP}|\u200c)){{1,4}}?"
    interval = (
        rf"(?:از{_SP})?(?:{start_w}{_SP})?(?:{point}|سال|فصل){_SP}?{now}"
        rf"|از{_SP}(?:{start_w}{_SP})?(?:{point}|سال){_SP}(?:تا|الی){_SP}(?:{end_w}{_SP})?{point}"
        rf"|از{_SP}{start_w}{_SP}{free}(?:{now}|تا{_SP}(?:{end_w}{_SP})?{point})"
        rf"|(?:{point}){_SP}(?:تا|الی){_SP}(?:{end_w}{_SP})?{point}"
        rf"|بین{_SP}سال(?:{_OSP}ها|{_OSP}های)?{_SP}\d{{2,4}}{_SP}(?:تا|و){_SP}\d{{2,4}}"
        rf"|تا{_SP}(?:{end_w}{_SP})?(?:{point}|سال{_END})"
    )
    standalone_now = rf"تا{_OSP}کنون"
    return re.compile(rf"{_START_WORD}(?:{interval}|{point}|{duration}|{standalone_now})(?![^\W\d_])")


@lru_cache(maxsize=1)
def _trigger_regex() -> re.Pattern[str]:
    """Positions where a value can start: a digit, a number word or a calendar word.

    Matching the big label regexes only there (rather than scanning with each) keeps the
    detector fast: most characters of an article can start nothing.
    """
    cal = load_resource("calendar.json")
    words = set(UNITS) | set(SCALES) | set(cal["jalali_months"]) | set(cal["gregorian_months"])
    words |= set(cal["weekdays"]) | set(cal["seasons"]) | set(cal["ordinals"])
    words |= {w.split()[0] for w in list(cal["events"]) + list(cal["day_parts"]) + _ordinal_days()}
    words |= set("سال امسال پارسال امروز دیروز فردا روز شب ماه هفته این مدت دوره نیم فصل از تا بین "
                 "اوایل اواسط اواخر ابتدای انتهای چند یکی".split())
    return re.compile(rf"(?<![\d.,/])\d|{_START_WORD}(?:{_alt(words)})")


def _widen(text: str, start: int, end: int) -> tuple[int, int]:
    """Grow a span to whole words; strip spaces a pattern may have ended on."""
    while end > start and text[end - 1] in " \t\u200c":
        end -= 1
    while start > 0 and (text[start - 1].isalnum() or text[start - 1] == "\u200c"):
        start -= 1
    while end < len(text) and (text[end].isalnum() or text[end] == "\u200c"):
        end += 1
    return start, end


def _previous_word(text: str, start: int) -> str:
    m = re.search(r"([^\W\d_][^\s]*)\s*$", text[max(0, start - 30) : start])
    return m.group(1) if m else ""


def _noun_quantity_ok(text: str, m: re.Match[str]) -> bool:
    """Whether «number + noun» is a count: not a year, a rank, a bare «یک» article or an id."""
    num = m.group("num")
    if re.fullmatch(r"(?:1[34]\d\d|19\d\d|20\d\d)", num):
        return False
    if num in ("یک", "یه", "نه", "سی", "صفر"):
        return False
    if _previous_word(text, m.start()).replace("\u200c", "") in _NOT_COUNT_BEFORE:
        return False
    after = re.match(r"\s*([^\W\d_]+)", text[m.end() :])
    if after and after.group(1) in _RANK_AFTER:
        return False
    return True


def _is_product(noun: str) -> bool:
    """Whether ``noun`` (or its first word) is a product the gazetteer knows."""
    try:
        from .gazetteer import lookup_product
    except ImportError:  # pragma: no cover - the gazetteer ships with the package
        return False
    first = re.split(r"[\s\u200c]", noun, maxsplit=1)[0]
    return bool(lookup_product(noun) or lookup_product(first))


_PRIORITY = {"MONEY": 0, "PERCENT": 1, "QUANTITY": 2, "PERIOD": 3, "QUANTITY_NOUN": 4}


def find_values(text: str) -> list[Span]:
    """MONEY, QUANTITY, PERCENT and PERIOD spans of normalized ``text``: (start, end, label).

    ``text`` should be ``text.normalize(raw).text`` (ASCII digits, Persian letters); map spans
    back with ``Normalized.to_original``. Spans are sorted, whole-word and non-overlapping.
    """
    if not isinstance(text, str):
        raise TypeError(f"find_values() expects normalized text as a str, got {type(text).__name__}")
    candidates: list[Span] = []
    regexes = [*_value_regexes(), ("PERIOD", _period_regex())]
    last_end = [0] * len(regexes)
    for trigger in _trigger_regex().finditer(text):
        pos = trigger.start()
        for i, (label, rx) in enumerate(regexes):
            if pos < last_end[i]:
                continue
            m = rx.match(text, pos)
            if m is None or m.end() == pos:
                continue
            if label == "QUANTITY_NOUN" and not _noun_quantity_ok(text, m):
                continue
            last_end[i] = m.end()
            end = m.end()
            if label == "QUANTITY_CLS":
                label = "QUANTITY"
                if m.group("cnoun") and _is_product(m.group("cnoun")):
                    end = m.start("cnoun")  # «[۵۰ راس] [گاو]»: a product after a classifier is split off
            candidates.append((*_widen(text, m.start(), end), label))
    candidates.sort(key=lambda c: (-(c[1] - c[0]), _PRIORITY[c[2]], c[0]))
    kept: list[Span] = []
    taken = SpanSet()
    for c in candidates:
        if c[1] > c[0] and not taken.overlaps(c[0], c[1]):
            taken.add(c[0], c[1])
            kept.append(c)
    return sorted((s, e, "QUANTITY" if lab == "QUANTITY_NOUN" else lab) for s, e, lab in kept)
