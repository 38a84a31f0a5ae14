"""Gazetteer lookups and finders for PROVINCE, COUNTRY, PRODUCT and OFFICIAL.

The names live in ``resources/*.json``; this module turns them into a few precompiled regexes
(built on first use, then cached) and applies ANNOTATION.md's boundary rules:

- a span never cuts a word: «قمی» is not «قم», «ایرانی» is not «ایران»; a product keeps its
  attached plural or ezafe suffix («قالی‌های», «گردوی»);
- spelling variants differ by a space, a ZWNJ or nothing between words, so any of the three is
  accepted between the words of a name («آذربایجان‌شرقی», «آذربایجانشرقی»);
- context rules from the JSON drop names that are not places here («خلیج فارس», «بورس تهران»,
  «مرکزی» without «استان»);
- a title ends before a trailing province or country name («[استاندار] [قزوین]»).

Finders take the *normalized* text (``text.normalize(raw).text``) and return offsets into it; the
caller maps them back. They also fold Arabic «ي/ك» one-for-one, so raw text mostly works too.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, Iterable

from .resources import load_json
from .text import SpanSet

__all__ = [
    "lookup_province",
    "lookup_country",
    "lookup_product",
    "find_provinces",
    "find_countries",
    "find_products",
    "find_officials",
]

Span = tuple[int, int, dict]

_LETTER = r"[^\W\d_]"
_ZWNJ = "\u200c"
_SEP = r"[\s\u200c]*"  # between the words of one name: space, ZWNJ or nothing
_LEFT = rf"(?<!{_LETTER})(?<!\u200c)"
_RIGHT = rf"(?!{_LETTER}|\u200c{_LETTER})"
# Attached suffixes that stay inside a product span: plural, and the ezafe «ی» after a vowel.
_PRODUCT_SUFFIX = rf"(?:\u200c?(?:هایی|های|ها)|(?<=[اوآ])ی|\u200cی)?"
_FOLD = str.maketrans({"\u064a": "\u06cc", "\u0649": "\u06cc", "\u0643": "\u06a9", "\u0629": "\u0647"})
_WINDOW = 60  # characters of context looked at by the before/after rules


# --- keys and patterns ---


def _key(name: str) -> str:
    """Spelling-insensitive key: Arabic letters folded, spaces and ZWNJs dropped."""
    return re.sub(r"[\s\u200c]+", "", name.translate(_FOLD))


def _name_pattern(name: str) -> str:
    """Regex for one name whose words may be joined by a space, a ZWNJ or nothing."""
    words = [w for w in re.split(r"[\s\u200c]+", name.translate(_FOLD)) if w]
    return _SEP.join(re.escape(w) for w in words)


def _alternation(names: Iterable[str]) -> str:
    """Longest-first alternation, so that «آذربایجان شرقی» wins over «آذربایجان»."""
    pats = {_name_pattern(n) for n in names if n.strip()}
    return "|".join(sorted(pats, key=lambda p: (-len(p), p)))


def _words_before(words: Iterable[str]) -> re.Pattern[str] | None:
    words = [w for w in words if w]
    if not words:
        return None
    return re.compile(rf"(?:^|(?<!{_LETTER}))(?:{_alternation(words)}){_SEP}$")


def _words_after(words: Iterable[str]) -> re.Pattern[str] | None:
    words = [w for w in words if w]
    if not words:
        return None
    return re.compile(rf"^{_SEP}(?:{_alternation(words)}){_RIGHT}")


class _Rule:
    """Context conditions for one name: a cue word required before it, or words that veto it."""

    def __init__(self, spec: dict[str, list[str]], blocked_before: list[str]) -> None:
        self.require = _words_before(spec.get("require_preceded_by", []))
        self.before = _words_before(list(spec.get("blocked_if_preceded_by", [])) + blocked_before)
        self.after = _words_after(spec.get("blocked_if_followed_by", []))

    def accepts(self, text: str, start: int, end: int) -> bool:
        left = text[max(0, start - _WINDOW) : start]
        right = text[end : end + _WINDOW]
        if self.require is not None and not self.require.search(left):
            return False
        if self.before is not None and self.before.search(left):
            return False
        return not (self.after is not None and self.after.search(right))


class _Gazetteer:
    """Names of one label compiled into a single regex, with per-name context rules."""

    def __init__(self, entries: list[dict], blocked_before: list[str], suffix: str = "") -> None:
        self.by_key: dict[str, dict] = {}
        self.rules: dict[str, _Rule] = {}
        default = _Rule({}, blocked_before)
        names: list[str] = []
        for entry in entries:
            value = {k: entry[k] for k in ("name", "name_en", "iso", "category") if k in entry}
            for variant in entry["variants"]:
                self.by_key.setdefault(_key(variant), value)
                names.append(variant)
            for variant, spec in entry.get("rules", {}).items():
                self.rules[_key(variant)] = _Rule(spec, blocked_before)
        self.default_rule = default
        self.pattern = re.compile(rf"{_LEFT}(?P<name>{_alternation(names)}){suffix}{_RIGHT}")

    def lookup(self, name: str) -> dict | None:
        value = self.by_key.get(_key(name))
        return dict(value) if value is not None else None

    def find(self, text: str) -> list[Span]:
        folded = text.translate(_FOLD)
        out: list[Span] = []
        pos = 0
        while True:
            m = self.pattern.search(folded, pos)
            if m is None:
                return out
            key = _key(m.group("name"))
            rule = self.rules.get(key, self.default_rule)
            if rule.accepts(folded, m.start(), m.end()):
                out.append((m.start(), m.end(), dict(self.by_key[key])))
                pos = m.end()
            else:
                pos = m.start() + 1


@lru_cache(maxsize=None)
def _provinces() -> _Gazetteer:
    data = load_json("provinces.json")
    return _Gazetteer(data["provinces"], data.get("blocked_if_preceded_by", []))


@lru_cache(maxsize=None)
def _countries() -> _Gazetteer:
    data = load_json("countries.json")
    return _Gazetteer(data["countries"], data.get("blocked_if_preceded_by", []))


@lru_cache(maxsize=None)
def _products() -> _Gazetteer:
    data = load_json("products.json")
    return _Gazetteer(data["products"], data.get("blocked_if_preceded_by", []), suffix=_PRODUCT_SUFFIX)


# --- lookups ---


def _normalized(name: str) -> str:
    from .text import normalize_text  # the lead's normalizer; imported late to keep import cheap

    return normalize_text(name).strip()


def lookup_province(name: str) -> dict | None:
    """``{"name", "name_en", "iso"}`` of the province any spelling of ``name`` denotes, else None.

    >>> lookup_province("آذربايجان‌شرقي")["iso"]
    'IR-03'
    """
    return _provinces().lookup(_normalized(name))


def lookup_country(name: str) -> dict | None:
    """``{"name", "name_en", "iso"}`` (ISO 3166-1 alpha-2) of the country ``name`` denotes, else None.

    Regions and blocs (اروپا, اتحادیه اروپا, هنگ کنگ) return None.
    """
    return _countries().lookup(_normalized(name))


def lookup_product(name: str) -> dict | None:
    """``{"name", "category"}`` of a product spelling, plural or ZWNJ variant; None if unknown."""
    return _products().lookup(_normalized(name))


# --- finders ---


def find_provinces(text: str) -> list[Span]:
    """Province mentions in normalized ``text``: ``(start, end, {"name", "name_en", "iso"})``."""
    return _provinces().find(text)


def find_countries(text: str) -> list[Span]:
    """Country mentions in normalized ``text``, Iran included; never inside a province name."""
    provinces = find_provinces(text)
    taken = SpanSet((p[0], p[1]) for p in provinces)
    return [s for s in _countries().find(text) if not taken.overlaps(s[0], s[1])]


def find_products(text: str) -> list[Span]:
    """Products in normalized ``text``: ``(start, end, {"name", "category"})``.

    A product absorbs following modifiers that share its head («روغن‌های گیاهی و خوراکی»);
    coordinated products stay separate («[کاشی] و [سرامیک]»).
    """
    found = _products().find(text)
    modifier = _modifier_pattern()
    folded = text.translate(_FOLD)
    out: list[Span] = []
    for start, end, value in found:
        while (m := modifier.match(folded, end)) is not None:
            end = m.end()
        out.append((start, end, value))
    return out


@lru_cache(maxsize=None)
def _modifier_pattern() -> re.Pattern[str]:
    mods = _alternation(load_json("products.json").get("modifiers", []))
    return re.compile(rf"(?:\s+و)?\s+(?:{mods}){_RIGHT}")


def find_officials(text: str) -> list[Span]:
    """Officials in normalized ``text``: ``(start, end, {"kind": "title" | "person"})``.

    Titles stop before a province or country name (except «نماینده مردم …», whose constituency
    belongs to the title). People are a known given name plus surname (not after «خیابان»,
    «امام» …), a rank plus surname, or a well-known name; then every later mention of a found
    surname in the same text, since articles name an official in full once and by surname after.
    """
    folded = text.translate(_FOLD)
    places = find_provinces(text) + find_countries(text)
    grammar = _official_grammar()
    titles = _titles(folded, places, grammar)
    people = _people(folded, titles, places, grammar)
    spans = sorted(titles + people, key=lambda s: (s[0], -(s[1] - s[0])))
    out: list[Span] = []
    for span in spans:
        if not out or span[0] >= out[-1][1]:
            out.append(span)
    return out


class _OfficialGrammar:
    """Regexes for titles, names and re-mentions, compiled from ``officials.json``."""

    def __init__(self, data: dict) -> None:
        body = rf"(?:{_alternation(data['bodies'])}){_RIGHT}"
        join = r"(?:\s*[،,]\s*|\s+و\s+|\s+|\u200c)"
        chain = rf"(?:{join}{body})"
        rank = rf"(?:(?:{_alternation(data['ranks'])}){_RIGHT}\s+)"
        trailing = rf"(?:\s+(?:{_alternation(data['trailing'])}){_RIGHT})?"
        standalone = rf"(?:{_alternation(data['standalone'])}){_RIGHT}"
        head = rf"(?:{_alternation(data['heads'])}){_RIGHT}"
        mp = rf"نماینده\s+مردم(?:\s+{_LETTER}[\w\u200c]*)(?:\s+و\s*{_LETTER}[\w\u200c]*){{0,4}}(?:\s+در\s+مجلس(?:\s+شورای\s+اسلامی)?)?"
        self.title = re.compile(
            rf"{_LEFT}(?P<mp>{mp})|{_LEFT}{rank}?(?:{standalone}{chain}*|{head}{chain}+){trailing}"
        )
        honor = rf"(?:(?:{_alternation(data['honorifics'])}){_SEP})"
        given = rf"(?:{_alternation(data['given_names'])})"
        stop = rf"(?:{_alternation(data['not_after_given_name'])}){_RIGHT}"
        tail = rf"(?:\s+(?:{_alternation(data['surname_tails'])}){_RIGHT})?"
        surname = rf"(?!{stop}){_LETTER}{{2,}}(?:\u200c{_LETTER}+)*{_RIGHT}{tail}"
        self.person = re.compile(rf"{_LEFT}{honor}*{given}{_RIGHT}(?:\s+{given}{_RIGHT})?\s+(?P<surname>{surname})")
        self.rank_name = re.compile(rf"{_LEFT}{rank}{honor}*(?:{given}{_RIGHT}\s+)?(?P<surname>{surname})")
        self.known = re.compile(rf"{_LEFT}(?:{_alternation(data['known_people'])}){_RIGHT}")
        self.not_before = _words_before(data.get("not_before_person", [])) or re.compile(r"(?!)")


@lru_cache(maxsize=None)
def _official_grammar() -> _OfficialGrammar:
    return _OfficialGrammar(load_json("officials.json"))


def _titles(text: str, places: list[Span], grammar: _OfficialGrammar) -> list[Span]:
    """Title phrases, each cut before the first province or country name inside it."""
    out: list[Span] = []
    for m in grammar.title.finditer(text):
        start, end = m.start(), m.end()
        if m.group("mp") is None:
            inner = [p[0] for p in places if start < p[0] < end]
            if inner:
                end = min(inner)
                end = start + len(re.sub(r"(?:[\s،,\u200c]|\sو)+$", "", text[start:end]))
        if any(p[0] <= start < p[1] for p in places) or end <= start:
            continue
        out.append((start, end, {"kind": "title"}))
    return out


def _people(text: str, titles: list[Span], places: list[Span], grammar: _OfficialGrammar) -> list[Span]:
    """Named office holders, then every later mention of their surname in the same text.

    A given name plus surname counts unless a place word precedes it («خیابان», «امام»); a rank
    takes a bare surname («سردار قنبری»); well-known names count anywhere.
    """
    found: list[Span] = []
    taken = SpanSet((p[0], p[1]) for p in places)
    for m in grammar.person.finditer(text):
        left = text[max(0, m.start() - _WINDOW) : m.start()]
        if grammar.not_before.search(left) or taken.overlaps(m.start(), m.end()):
            continue
        found.append((m.start(), m.end(), {"kind": "person"}))
    found += [(m.start(), m.end(), {"kind": "person"}) for m in grammar.rank_name.finditer(text)]
    found += [(m.start(), m.end(), {"kind": "person"}) for m in grammar.known.finditer(text)]
    surnames = {_last_word(text[s:e]) for s, e, _ in found}
    surnames = {s for s in surnames if len(s) >= 3}
    if surnames:
        again = re.compile(rf"{_LEFT}(?:{_alternation(surnames)}){_RIGHT}")
        found += [(m.start(), m.end(), {"kind": "person"}) for m in again.finditer(text)]
    return [s for s in found if not any(t[0] <= s[0] < t[1] for t in titles)]


def _last_word(name: str) -> str:
    """The surname of a matched name: its last word, or the last two when the last is a tail."""
    words = re.split(r"\s+", name.strip())
    tails = set(load_json("officials.json").get("surname_tails", []))
    if len(words) >= 3 and words[-1] in tails:
        return " ".join(words[-2:])
    return words[-1]
