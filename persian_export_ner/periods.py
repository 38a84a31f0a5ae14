"""Time expressions of export news resolved to inclusive Jalali and Gregorian date intervals.

Statistics are only comparable once «سال جاری», «۹ ماهه نخست سال» or «مدت مشابه سال قبل» are
pinned to dates, so every PERIOD span resolves to ``{"start", "end", "jalali_start",
"jalali_end"}`` (ISO dates, inclusive) when the text and the publication date allow it, and to
None otherwise (bare durations such as «۸ سال», «سال جاری» with no publication date). All
calendar arithmetic goes through ``jdatetime``; the words live in ``resources/calendar.json``.

Conventions worth knowing:
- a year, month, season or partial year («۹ ماهه نخست سال») is the whole calendar interval;
  a partial year with no year named is in the publication's Jalali year;
- «مدت مشابه سال قبل» is the previous Jalali year from its start up to the publication day
  shifted back one year (the elapsed part that the current figure is usually compared with);
- «تا پایان X» starts at the beginning of X's Jalali year (cumulative statistics), «از A تا B»
  runs from A's start to B's end, «تاکنون» / «تا کنون» ends on the publication day;
- «N سال اخیر» (and months, weeks, days) ends on the publication day and starts N units before,
  plus one day; weeks run Saturday to Friday;
- a month named without a year is the latest such month not after the publication date;
- two-digit years are Jalali («سال ۸۳» → 1383): 14xx when that is not after the publication
  year (or below 30 without one), else 13xx.
"""
from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from typing import Any

import jdatetime

from .numbers import fold, parse_number

JDate = jdatetime.date
Interval = tuple[JDate, JDate]

_ACCEPTED = (
    "a datetime.date, a Gregorian ISO string ('2023-09-02'), the annotation format's "
    "'g:2023-09-02', or a Jalali 'YYYY-MM-DD' string ('1402-06-11', any year below 1700)"
)


def load_resource(name: str) -> Any:
    """A JSON file of ``persian_export_ner/resources``, parsed once (shared, read-only)."""
    from .resources import load_json

    return load_json(name)


def parse_published(published: Any) -> dt.date | None:
    """The publication date as a Gregorian ``datetime.date`` (None stays None).

    Accepts a ``datetime.date`` (or ``datetime``), a ``jdatetime.date``, a Gregorian ISO
    string, the annotation format's ``g:`` prefixed ISO string, or a Jalali ``YYYY-MM-DD``
    string (year < 1700). Anything else raises ValueError naming the accepted forms.
    """
    if published is None:
        return None
    if isinstance(published, dt.datetime):
        return published.date()
    if isinstance(published, dt.date):
        return published
    if isinstance(published, jdatetime.date):
        return published.togregorian()
    if isinstance(published, str):
        raw = fold(published).strip()
        gregorian = raw.startswith("g:")
        m = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", raw[2:] if gregorian else raw)
        if m:
            y, mo, d = map(int, m.groups())
            try:
                if gregorian or y >= 1700:
                    return dt.date(y, mo, d)
                return JDate(y, mo, d).togregorian()
            except ValueError as exc:
                raise ValueError(f"published={published!r} is not a valid date ({exc}); expected {_ACCEPTED}") from None
    raise ValueError(f"published={published!r} is not understood; expected {_ACCEPTED}")


# text preparation

def _cal() -> dict[str, Any]:
    return load_resource("calendar.json")


def _alt(words: Any) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


@lru_cache(maxsize=1)
def _regexes() -> dict[str, re.Pattern[str]]:
    cal = _cal()
    jm, gm = _alt(cal["jalali_months"]), _alt(cal["gregorian_months"])
    ords = _alt(cal["ordinals"])
    seasons = _alt(cal["seasons"])
    num = r"\d+(?:\.\d+)?|[^\W\d_]+(?: و [^\W\d_]+)*"
    yearspec = (
        r"(?:سال(?: مالی| زراعی)? )?(?:\d{2,4}(?: (?:میلادی|شمسی|هجری شمسی|خورشیدی|قمری|هجری قمری))?"
        r"|جاری|گذشته|قبل|پیش|آینده|بعد|جدید)|امسال|پارسال|سال(?: مالی| زراعی)?"
    )
    day = r"\d{1,2}|(?:[^\W\d_]+ و )?[^\W\d_]+(?:م| ام)|اول|نخست"
    weekday = _alt(cal["weekdays"])
    return {
        "glue_month": re.compile(rf"({jm}|{gm})ماه"),
        "numeric": re.compile(r"(\d{2,4})\s*[/\-.]\s*(\d{1,2})\s*[/\-.]\s*(\d{1,2})"),
        "day_month": re.compile(
            rf"(?:(?:{weekday}) )?(?:روز )?(?P<day>{day}) (?:ماه )?(?P<month>{jm}|{gm})(?: ماه)?(?: (?P<year>{yearspec}))?"
        ),
        "months": re.compile(
            rf"(?:ماه )?(?P<first>{jm}|{gm})(?: ماه)?(?:(?: و|،) (?P<last>{jm}|{gm})(?: ماه)?)*(?: (?P<year>{yearspec}))?"
        ),
        "half": re.compile(rf"نیمه (?P<ord>{ords})(?: (?P<year>{yearspec}))?"),
        "quarter": re.compile(rf"فصل (?P<ord>{ords})(?: (?P<year>{yearspec}))?"),
        "season": re.compile(rf"(?:فصل )?(?P<season>{seasons})(?: (?P<year>{yearspec}))?"),
        "partial": re.compile(
            rf"(?P<n>{num}) (?P<unit>ماهه|ماه)(?: (?P<ord>{ords}))?(?: (?:سپری شده|سپری|گذشته|اول|نخست))?"
            rf"(?: از)?(?: (?P<year>{yearspec}))?"
        ),
        "year": re.compile(rf"(?P<year>{yearspec})"),
        "last_n": re.compile(
            rf"(?P<n>{num}) (?P<unit>سال|ماه|هفته|روز|دهه)(?: های| ها)? (?P<dir>اخیر|گذشته|قبل|پیش|آینده|آتی)"
        ),
        "weekday": re.compile(rf"(?:روز )?(?P<wd>{weekday})(?: (?P<rel>گذشته|آینده|هفته (?:گذشته|آینده|جاری|بعد)))?"),
        "edge": re.compile(r"(?P<edge>اوایل|اواسط|اواخر|نیمه اول|نیمه نخست|نیمه دوم) (?P<rest>.+)"),
        "relative": re.compile(r"(?P<unit>روز|هفته|ماه|سال|دهه) (?P<rel>گذشته|قبل|پیش|جاری|آینده|بعد|آتی)|این (?P<unit2>هفته|ماه)"),
        "event": re.compile(rf"(?P<event>{_alt(cal['events'])})(?: (?P<year>{yearspec}))?"),
    }


def _prepare(text: str) -> str:
    """Fold, unify ZWNJ and spaces, and split glued forms («سالجاری», «تیرماه», «عصرامروز»)."""
    t = fold(text).replace("\u200c", " ")
    t = re.sub(r"[()«»\"'،,:]+", " ", t)
    t = re.sub(r"سال(جاری|گذشته|قبل|آینده)", r"سال \1", t)
    t = re.sub(r"(صبح|ظهر|عصر|شب)(امروز|دیروز)", r"\1 \2", t)
    t = re.sub(r"(\S)(تا)(\d)", r"\1 \2 \3", t)
    t = _regexes()["glue_month"].sub(r"\1 ماه", t)
    t = re.sub(r"(\d)([^\W\d_])", r"\1 \2", t)
    t = re.sub(r"([^\W\d_])(\d)", r"\1 \2", t)
    t = t.replace("ها ی ", "های ").replace("سال های", "سال").replace("سالهای", "سال")
    t = re.sub(r"\s+", " ", t).strip()
    t = re.sub(r"^(?:در|طی|بین|برای|به) ", "", t)
    return t


# calendar helpers

def _month_end(y: int, m: int) -> JDate:
    nxt = JDate(y + 1, 1, 1) if m == 12 else JDate(y, m + 1, 1)
    return nxt - dt.timedelta(days=1)


def _months(y: int, m1: int, m2: int) -> Interval:
    return JDate(y, m1, 1), _month_end(y, m2)


def _jyear(y: int) -> Interval:
    return _months(y, 1, 12)


def _from_greg(d: dt.date) -> JDate:
    return JDate.fromgregorian(date=d)


def _shift_years(d: JDate, n: int) -> JDate:
    try:
        return JDate(d.year + n, d.month, d.day)
    except ValueError:
        return JDate(d.year + n, d.month, 29)


def _shift_months(d: JDate, n: int) -> JDate:
    index = d.year * 12 + d.month - 1 + n
    y, m = divmod(index, 12)
    return JDate(y, m + 1, min(d.day, _month_end(y, m + 1).day))


def _number(word: str) -> int | None:
    parsed = parse_number(word)
    if parsed is None or parsed[1] is not None or not float(parsed[0]).is_integer():
        return None
    return int(parsed[0])


def _ordinal_day(word: str) -> int | None:
    """«11», «دهم», «بیست و یکم», «سی ام» → day of month."""
    if word.isdigit():
        return int(word)
    ords = _cal()["ordinals"]
    if word in ords and ords[word] > 0:
        return ords[word]
    word = word.replace(" ام", "").removesuffix("ام") if word.endswith("ام") else word
    if word.endswith("سوم"):
        word = word[:-3] + "سه"
    elif word.endswith("م"):
        word = word[:-1]
    return _number(word)


def _year(spec: str | None, pub: JDate | None) -> tuple[int, bool] | None:
    """(year, is_gregorian) named by a year spec, or None when it cannot be resolved."""
    spec = (spec or "سال").strip()
    m = re.search(r"\d{2,4}", spec)
    if m:
        y = int(m.group())
        if "قمری" in spec:
            return None
        if y >= 1700 or "میلادی" in spec:
            return (y if y >= 100 else 2000 + y), True
        if y < 100:
            if pub is not None:
                y = 1400 + y if 1400 + y <= pub.year else 1300 + y
            else:
                y = 1400 + y if y < 30 else 1300 + y
        return y, False
    if pub is None:
        return None
    if re.search(r"گذشته|قبل|پیش|پارسال", spec):
        return pub.year - 1, False
    if re.search(r"آینده|بعد", spec):
        return pub.year + 1, False
    return pub.year, False


def _greg_interval(y: int, m1: int, m2: int, d1: int | None = None, d2: int | None = None) -> Interval:
    start = dt.date(y, m1, d1 or 1)
    end = dt.date(y + (m2 == 12), m2 % 12 + 1, 1) - dt.timedelta(days=1) if d2 is None else dt.date(y, m2, d2)
    return _from_greg(start), _from_greg(end)


def _month_number(name: str) -> tuple[int, bool]:
    cal = _cal()
    if name in cal["jalali_months"]:
        return cal["jalali_months"][name], False
    return cal["gregorian_months"][name], True


# single expressions

def _point(t: str, pub: JDate | None) -> Interval | None:
    """The interval of one non-compound time expression, or None."""
    rx = _regexes()
    cal = _cal()
    t = re.sub(rf"^(?:{_alt(cal['day_parts'])}) ", "", t)
    t = re.sub(r"^(?:روز|ماه) (?=\d|[^\W\d_]+ام\b)", "", t)
    if t in cal["days"]:
        if pub is None or cal["days"][t] is None:
            return None
        d = pub + dt.timedelta(days=cal["days"][t])
        return d, d
    m = re.fullmatch(rf"(امروز|دیروز|فردا)(?: (?:{_alt(cal['weekdays'])}))?(?: (.+))?", t)
    if m:
        if m.group(2):
            inner = _point(m.group(2), pub)
            if inner is not None:
                return inner
        return _point(m.group(1), pub)
    m = rx["numeric"].fullmatch(t)
    if m:
        y, mo, d = map(int, m.groups())
        try:
            if y >= 1700:
                g = _from_greg(dt.date(y, mo, d))
                return g, g
            if y < 100:
                y = _year(str(y), pub)[0]  # type: ignore[index]
            j = JDate(y, mo, d)
        except (ValueError, TypeError):
            return None
        return j, j
    m = rx["day_month"].fullmatch(t)
    day = _ordinal_day(m.group("day")) if m else None
    if m and day is not None:
        month, greg = _month_number(m.group("month"))
        try:
            return _dated(day, month, greg, m.group("year"), pub)
        except ValueError:
            return None
    m = rx["months"].fullmatch(t)
    if m:
        m1, greg = _month_number(m.group("first"))
        m2 = _month_number(m.group("last"))[0] if m.group("last") else m1
        return _month_span(m1, m2, greg, m.group("year"), pub)
    for key, spans in (("half", 6), ("quarter", 3)):
        m = rx[key].fullmatch(t)
        if m:
            k = cal["ordinals"][m.group("ord")]
            if k == -1:
                k = 12 // spans
            if not 1 <= k <= 12 // spans:
                return None
            return _in_year(m.group("year"), pub, (k - 1) * spans + 1, k * spans)
    m = rx["season"].fullmatch(t)
    if m:
        m1, m2 = cal["seasons"][m.group("season")]
        return _in_year(m.group("year"), pub, m1, m2)
    m = rx["partial"].fullmatch(t)
    n = _number(m.group("n")) if m else None
    if m and n is not None and (m.group("unit") == "ماهه" or m.group("ord") or m.group("year") or " از" in t or "سپری" in t):
        if not 1 <= n <= 12:
            return None
        k = cal["ordinals"].get(m.group("ord") or "", 1)
        m1, m2 = (13 - n, 12) if k == -1 else ((k - 1) * n + 1, k * n)
        if m2 > 12:
            return None
        return _in_year(m.group("year"), pub, m1, m2)
    if t in cal["same_period_previous_year"]:
        if pub is None:
            return None
        return JDate(pub.year - 1, 1, 1), _shift_years(pub, -1)
    m = rx["event"].fullmatch(t)
    if m:
        yr = _year(m.group("year"), pub)
        if yr is None or yr[1]:
            return None
        (m1, d1), (m2, d2) = cal["events"][m.group("event")]
        return JDate(yr[0], m1, d1), JDate(yr[0], m2, d2)
    m = rx["weekday"].fullmatch(t)
    if m:
        days = {k.replace(" ", ""): v for k, v in cal["weekdays"].items()}
        return _weekday(days[m.group("wd").replace(" ", "")], m.group("rel"), pub)
    m = rx["last_n"].fullmatch(t)
    if m and _number(m.group("n")) is not None:
        return _last_n(m.group("n"), m.group("unit"), pub, forward=m.group("dir") in ("آینده", "آتی"))
    m = rx["edge"].fullmatch(t)
    if m:
        inner = _point(m.group("rest"), pub)
        return None if inner is None else _edge(inner, m.group("edge"))
    m = rx["relative"].fullmatch(t)
    if m and not t.startswith("سال "):
        unit = m.group("unit") or m.group("unit2")
        offset = cal["relative_offsets"].get(m.group("rel") or "این", 0)
        return _relative(unit, offset, pub)
    m = rx["year"].fullmatch(t)
    if m and t != "سال":
        yr = _year(m.group("year"), pub)
        if yr is None:
            return None
        y, greg = yr
        return _greg_interval(y, 1, 12) if greg else _jyear(y)
    return None


def _in_year(spec: str | None, pub: JDate | None, m1: int, m2: int) -> Interval | None:
    yr = _year(spec, pub)
    if yr is None:
        return None
    y, greg = yr
    return _greg_interval(y, m1, m2) if greg else _months(y, m1, m2)


def _dated(day: int, month: int, greg: bool, spec: str | None, pub: JDate | None) -> Interval | None:
    if spec is None:
        if pub is None:
            return None
        if greg:
            g = pub.togregorian()
            d = dt.date(g.year, month, day)
            d = d if d <= g else dt.date(g.year - 1, month, day)
            return _from_greg(d), _from_greg(d)
        j = JDate(pub.year, month, day)
        j = j if j <= pub else JDate(pub.year - 1, month, day)
        return j, j
    yr = _year(spec, pub)
    if yr is None:
        return None
    y, year_greg = yr
    if greg or year_greg:
        if not (greg and year_greg):
            return None
        g = _from_greg(dt.date(y, month, day))
        return g, g
    j = JDate(y, month, day)
    return j, j


def _month_span(m1: int, m2: int, greg: bool, spec: str | None, pub: JDate | None) -> Interval | None:
    if m2 < m1:
        return None
    if spec is None:
        if pub is None:
            return None
        if greg:
            g = pub.togregorian()
            y = g.year if m1 <= g.month else g.year - 1
            return _greg_interval(y, m1, m2)
        y = pub.year if m1 <= pub.month else pub.year - 1
        return _months(y, m1, m2)
    yr = _year(spec, pub)
    if yr is None or yr[1] != greg:
        return None
    return _greg_interval(yr[0], m1, m2) if greg else _months(yr[0], m1, m2)


def _weekday(wd: int, rel: str | None, pub: JDate | None) -> Interval | None:
    """A weekday: the latest one not after ``pub``, or in the week ``rel`` names."""
    if pub is None:
        return None
    if rel and ("آینده" in rel or "بعد" in rel):
        saturday = pub - dt.timedelta(days=pub.weekday()) + dt.timedelta(weeks=1)
        d = saturday + dt.timedelta(days=wd)
    elif rel and "جاری" in rel:
        d = pub - dt.timedelta(days=pub.weekday()) + dt.timedelta(days=wd)
    else:
        d = pub - dt.timedelta(days=(pub.weekday() - wd) % 7 + (7 if rel else 0))
    return d, d


def _edge(inner: Interval, edge: str) -> Interval:
    """«اوایل/اواسط/اواخر/نیمه دوم» of a single month narrows it to ten days or a half."""
    start, end = inner
    g_start, g_end = start.togregorian(), end.togregorian()
    if start.day == 1 and (start.year, start.month) == (end.year, end.month) and end.day >= 29:
        length = end.day
    elif g_start.day == 1 and (g_start.year, g_start.month) == (g_end.year, g_end.month) and g_end.day >= 28:
        length = g_end.day
    else:
        return inner
    cuts = {"اوایل": (1, 10), "اواسط": (11, 20), "اواخر": (21, length), "نیمه اول": (1, 15),
            "نیمه نخست": (1, 15), "نیمه دوم": (16, length)}
    d1, d2 = cuts[edge]
    return start + dt.timedelta(days=d1 - 1), start + dt.timedelta(days=d2 - 1)


def _last_n(n_text: str, unit: str, pub: JDate | None, forward: bool = False) -> Interval | None:
    n = _number(n_text)
    if pub is None or n is None or n <= 0:
        return None
    if forward:
        if unit == "روز":
            end = pub + dt.timedelta(days=n)
        elif unit == "هفته":
            end = pub + dt.timedelta(weeks=n)
        elif unit == "ماه":
            end = _shift_months(pub, n)
        else:
            end = _shift_years(pub, n * (10 if unit == "دهه" else 1))
        return pub + dt.timedelta(days=1), end
    if unit == "روز":
        start = pub - dt.timedelta(days=n - 1)
    elif unit == "هفته":
        start = pub - dt.timedelta(days=7 * n - 1)
    elif unit == "ماه":
        start = _shift_months(pub, -n) + dt.timedelta(days=1)
    else:
        start = _shift_years(pub, -n * (10 if unit == "دهه" else 1)) + dt.timedelta(days=1)
    return start, pub


def _relative(unit: str, offset: int, pub: JDate | None) -> Interval | None:
    if pub is None:
        return None
    if unit == "روز":
        d = pub + dt.timedelta(days=offset)
        return d, d
    if unit == "هفته":
        saturday = pub - dt.timedelta(days=pub.weekday()) + dt.timedelta(weeks=offset)
        return saturday, saturday + dt.timedelta(days=6)
    if unit == "ماه":
        first = _shift_months(JDate(pub.year, pub.month, 1), offset)
        return first, _month_end(first.year, first.month)
    if unit == "سال":
        return _jyear(pub.year + offset)
    return None


# compound expressions

_NOW = re.compile(r"(?:تا )?(?:کنون|اکنون|حالا|امروز|حال حاضر)")
_START_WORDS = re.compile(r"^(?:از )?(?:ابتدای|ابتدا|اول|اوایل|آغاز|شروع|بدو|اولین روز)(?: ماه)? ")
_END_WORDS = re.compile(r"^(?:پایان|آخر|انتهای|اواخر|آخرین روز)(?: ماه)? ")


def _side(t: str, pub: JDate | None, other_year: str | None = None) -> Interval | None:
    t = t.strip()
    if _NOW.fullmatch(t):
        return (pub, pub) if pub is not None else None
    t = _START_WORDS.sub("", t)
    t = _END_WORDS.sub("", t)
    if t in ("سال", "سال جدید") and other_year:
        t = other_year
    if t == "سال":
        return _jyear(pub.year) if pub is not None else None
    return _point(t, pub)


def _interval(t: str, pub: JDate | None) -> Interval | None:
    m = re.fullmatch(r"(?:از )?(.+?) ?(?:تاکنون|تا کنون|تا به امروز|تا امروز)", t)
    if m and not t.startswith("تا"):
        left = _side(m.group(1), pub)
        return (left[0], pub) if left is not None and pub is not None and left[0] <= pub else None
    if t.startswith("تا "):
        rest = _END_WORDS.sub("", t[3:])
        right = _side(rest, pub)
        if right is None:
            return None
        start = JDate(right[1].year, 1, 1)
        if pub is not None and pub < right[0] and not re.search(r"\d", rest):
            start = JDate(pub.year, 1, 1)
        return start, right[1]
    whole = _point(re.sub(r"^از ", "", t), pub)
    if whole is not None:
        return whole
    m = re.fullmatch(r"(?:از )?(.+?) (?:تا|الی|و) (.+)", t)
    if not m:
        return None
    year_right = re.search(r"(?:سال )?\d{4}.*$|سال جاری|امسال|سال گذشته|پارسال", m.group(2))
    left_text = m.group(1)
    if year_right and not re.search(r"\d|سال|امسال|پارسال", left_text):
        left_text = f"{left_text} {year_right.group()}"  # «فروردین تا شهریور ۱۴۰۲»
    left = _side(left_text, pub, year_right.group() if year_right else None)
    right = _side(m.group(2), pub)
    if left is not None and right is None and re.fullmatch(r"\d{2,4}", m.group(2).strip()):
        right = _side("سال " + m.group(2), pub)
    if left is not None and right is not None and left[0] > right[1] and not re.search(r"\d", m.group(2)):
        right = _shift_years(right[0], 1), _shift_years(right[1], 1)  # «از ابتدای امسال تا دی‌ماه»
    if left is not None and right is not None and left[0] <= right[1]:
        return left[0], right[1]
    return None


def parse_period(text: str, published: Any = None) -> dict[str, str] | None:
    """``{"start", "end", "jalali_start", "jalali_end"}`` (inclusive ISO dates) or None.

    ``published`` takes any form ``parse_published`` accepts; relative expressions need it.
    """
    if not isinstance(text, str):
        raise TypeError(f"parse_period() expects the period text as a str, got {type(text).__name__}")
    pub_g = parse_published(published)
    pub = _from_greg(pub_g) if pub_g is not None else None
    t = _prepare(text)
    if not t:
        return None
    try:
        found = _interval(t, pub)
    except (ValueError, OverflowError):
        return None
    if found is None:
        return None
    start, end = found
    return {
        "start": start.togregorian().isoformat(),
        "end": end.togregorian().isoformat(),
        "jalali_start": f"{start.year:04d}-{start.month:02d}-{start.day:02d}",
        "jalali_end": f"{end.year:04d}-{end.month:02d}-{end.day:02d}",
    }
