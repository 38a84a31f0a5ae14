"""The normalized ``value`` of an entity: what an analyst computes with, not what was written.

One entry point, ``parse_value(text, label, published)``, returns exactly the dict an
``Entity.value`` carries, so rules, the neural backend and evaluation all agree:

- MONEY → ``{"amount", "amount_max", "currency"}`` (ISO 4217; «تومان» is ``"IRT"``; None when
  the span has no currency word, as in «اوراق ۲ هزار میلیاردی»);
- QUANTITY → ``{"amount", "amount_max", "unit"}``: a unit code from ``units.json`` («تن» → "t")
  or else the counted noun as written («کشور», «قلم کالا»); compound amounts of one dimension
  are summed in the first unit («۳۵۸ تن و ۲۷۰ کیلوگرم» → 358.27 t);
- PERCENT → ``{"amount", "amount_max"}``;
- PERIOD → ``{"start", "end", "jalali_start", "jalali_end"}`` (see ``periods``);
- PROVINCE / COUNTRY → the gazetteer's ``{"name", "name_en", "iso"}``;
- OFFICIAL, PRODUCT → None.

A value that cannot be read (no number in a MONEY span, an unresolvable period) is None, never a
guess. Numbers are ``int`` when integral, else ``float``.
"""
from __future__ import annotations

import re
from fractions import Fraction
from functools import lru_cache
from typing import Any

from .labels import ENTITY_LABELS
from .numbers import Number, fold, scan_number
from .periods import load_resource, parse_period, parse_published

_WORD_END = r"(?![^\W\d_])"


def _clean(text: str) -> str:
    """Normalize with the library's normalizer, then fold what it leaves (bidi → ZWNJ)."""
    try:
        from .text import normalize

        text = normalize(text).text
    except ImportError:  # pragma: no cover - text.py is part of the package
        pass
    return re.sub(r"\s+", " ", fold(text)).strip()


def _spaced(word: str) -> str:
    """A regex for ``word`` that accepts a space, a ZWNJ or nothing between its parts."""
    return r"[\s\u200c]?".join(re.escape(part) for part in word.split())


@lru_cache(maxsize=1)
def _currency_regex() -> re.Pattern[str]:
    words = sorted(load_resource("currencies.json")["currencies"], key=len, reverse=True)
    alt = "|".join(_spaced(w) for w in words)
    return re.compile(rf"(?<![^\W\d_])({alt})(?:\u200c?(?:یی|ی|ای))?{_WORD_END}")


@lru_cache(maxsize=1)
def _unit_regex() -> re.Pattern[str]:
    words = sorted(load_resource("units.json")["units"], key=len, reverse=True)
    alt = "|".join(_spaced(w) for w in words)
    return re.compile(rf"[\s\u200c]*({alt})(?:\u200c?(?:یی|ی|ای))?{_WORD_END}")


def _lookup_key(table: dict[str, Any], written: str) -> Any:
    key = re.sub(r"[\s\u200c]+", " ", written).strip()
    if key in table:
        return table[key]
    return table.get(key.replace(" ", ""))


def _number(value: Fraction | Number) -> Number:
    frac = Fraction(value).limit_denominator(10**9) if isinstance(value, float) else Fraction(value)
    return int(frac) if frac.denominator == 1 else float(frac)


def _money(text: str) -> dict[str, Any] | None:
    found = scan_number(text)
    if found is None:
        return None
    rest = text[found.end :]
    cur = _currency_regex().search(rest)
    currency = _lookup_key(load_resource("currencies.json")["currencies"], cur.group(1)) if cur else None
    amount, high = Fraction(found.amount), found.amount_max
    subunits = load_resource("currencies.json")["subunits"]
    if cur is None:
        for word, (code, per) in subunits.items():
            if re.match(rf"[\s\u200c]*{word}", rest):
                return {"amount": _number(amount / per), "amount_max": None if high is None else _number(Fraction(high) / per), "currency": code}
    else:
        tail = rest[cur.end() :]
        m = re.match(r"\s*و\s*", tail)
        if m and high is None:
            sub = scan_number(tail, m.end())
            if sub is not None and sub.start == m.end():
                word = re.match(r"[\s\u200c]*([^\W\d_]+)", tail[sub.end :])
                if word and word.group(1).rstrip("ی") in subunits:
                    code, per = subunits[word.group(1).rstrip("ی")]
                    if code == currency:
                        amount += Fraction(sub.amount) / per
    return {"amount": _number(amount), "amount_max": None if high is None else _number(high), "currency": currency}


def _counted_noun(rest: str) -> str | None:
    """The counted noun after a number, tidied: «۲۹ نوع کالای» → «نوع کالا», «۶ هزار نفری» → «نفر»."""
    words = re.findall(r"[^\W\d_][^\s]*", rest)
    if not words:
        return None
    noun = " ".join(w.replace("\u200c", " ").strip() for w in words)
    noun = re.sub(r"\s+", " ", noun)
    noun = re.sub(r"ای$", "ا", noun)
    if noun.endswith(" ای") or noun.endswith(" ی"):
        noun = noun.rsplit(" ", 1)[0]
    classifiers = load_resource("units.json")["classifiers"]
    if noun.endswith("ی") and noun[:-1] in classifiers:
        noun = noun[:-1]
    return noun or None


def _quantity(text: str) -> dict[str, Any] | None:
    found = scan_number(text)
    if found is None:
        return None
    rest = text[found.end :]
    units = load_resource("units.json")["units"]
    m = _unit_regex().match(rest)
    if m is None:
        return {"amount": found.amount, "amount_max": found.amount_max, "unit": _counted_noun(rest)}
    code, dim, factor = _lookup_key(units, m.group(1))
    amount = Fraction(found.amount)
    pos = m.end()
    while found.amount_max is None:  # «۱ تن و ۴۵۰ کیلو و ۸۰۰ گرم»
        link = re.match(r"\s*و\s*", rest[pos:])
        if not link:
            break
        sub = scan_number(rest, pos + link.end())
        if sub is None or sub.start != pos + link.end():
            break
        sub_unit = _unit_regex().match(rest, sub.end)
        if sub_unit is None:
            break
        _, sub_dim, sub_factor = _lookup_key(units, sub_unit.group(1))
        if sub_dim != dim:
            break
        amount += Fraction(sub.amount) * Fraction(str(sub_factor)) / Fraction(str(factor))
        pos = sub_unit.end()
    return {"amount": _number(amount), "amount_max": found.amount_max, "unit": code}


def _percent(text: str) -> dict[str, Any] | None:
    found = scan_number(text)
    if found is None:
        return None
    return {"amount": found.amount, "amount_max": found.amount_max}


def _gazetteer(text: str, label: str) -> dict[str, Any] | None:
    from . import gazetteer

    lookup = gazetteer.lookup_province if label == "PROVINCE" else gazetteer.lookup_country
    return lookup(text)


def parse_value(text: str, label: str, published: Any = None) -> dict[str, Any] | None:
    """The normalized value of an entity whose span is ``text`` and label is ``label``.

    ``published`` (anything ``periods.parse_published`` accepts) resolves relative periods.
    Raises TypeError for a non-str ``text`` and ValueError for an unknown label or an
    unreadable ``published``.
    """
    if not isinstance(text, str):
        raise TypeError(f"parse_value() expects the entity text as a str, got {type(text).__name__}")
    if label not in ENTITY_LABELS:
        raise ValueError(f"unknown label {label!r}; expected one of {', '.join(ENTITY_LABELS)}")
    pub = parse_published(published)
    if label in ("OFFICIAL", "PRODUCT"):
        return None
    if label in ("PROVINCE", "COUNTRY"):
        return _gazetteer(text, label)
    clean = _clean(text)
    if label == "PERIOD":
        return parse_period(clean, pub)
    if label == "MONEY":
        return _money(clean)
    if label == "QUANTITY":
        return _quantity(clean)
    return _percent(clean)
