"""Persian number expressions as news articles write them, parsed to exact values.

Articles mix digits of three scripts, number words and scale words in one expression
(«یک میلیارد و 800 میلیون», «۳۴ میلیون و ۳۶۸ هزار و ۷۱۰», «2 هزار و 600 میلیاردی»), and no
existing package composes them right, so this module does it with a small token grammar:

- a *group* is a digit number or a run of number words joined by «و» («سیصد و چهل و هشت»),
  optionally followed by fractions («یک و نیم», «دو دهم») and scale words («هزار میلیارد»);
- groups ending in a scale word chain with «و» («۳۴ میلیون و ۳۶۸ هزار و ۷۱۰»); a scale larger
  than every scale seen so far multiplies everything before it («2 هزار و 600 میلیارد» is
  2 600 × 10⁹, «12.6 هزار میلیارد» is 12.6 × 10¹²);
- two expressions joined by «تا», «الی», «-» or «یا» form a range, and a scale written only on
  the upper bound applies to both («۵۰ تا ۷۰ میلیون» is 50–70 × 10⁶).

Arithmetic is exact (``Fraction``); results are ``int`` when integral, else ``float``.
Slash decimals are read in written order («12/6» is 12.6). Some older sites store them
reversed («5/1 میلیارد» for 1.5), which cannot be told apart from the text and is not undone.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache

Number = int | float

_ZWNJ = "\u200c"

UNITS: dict[str, int] = {
    "صفر": 0, "یک": 1, "یه": 1, "دو": 2, "سه": 3, "چهار": 4, "پنج": 5, "شش": 6, "شیش": 6,
    "هفت": 7, "هشت": 8, "نه": 9, "ده": 10, "یازده": 11, "دوازده": 12, "سیزده": 13,
    "چهارده": 14, "پانزده": 15, "پونزده": 15, "شانزده": 16, "هفده": 17, "هجده": 18,
    "هیجده": 18, "نوزده": 19, "بیست": 20, "سی": 30, "چهل": 40, "پنجاه": 50, "شصت": 60,
    "هفتاد": 70, "هشتاد": 80, "نود": 90, "صد": 100, "یکصد": 100, "دویست": 200,
    "سیصد": 300, "چهارصد": 400, "پانصد": 500, "ششصد": 600, "هفتصد": 700, "هشتصد": 800,
    "نهصد": 900,
}
SCALES: dict[str, int] = {
    "هزار": 10**3, "میلیون": 10**6, "ملیون": 10**6, "میلیارد": 10**9, "ملیارد": 10**9,
    "بیلیون": 10**9, "تریلیون": 10**12,
}
#: Denominators after a number: «دو دهم» = 0.2, «پنج صدم» = 0.05.
FRACTIONS: dict[str, int] = {"دهم": 10, "صدم": 100, "هزارم": 1000}
HALF = "نیم"
RANGE_WORDS = ("تا", "الی", "یا", "-", "–", "—")

_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩٫٬", "0123456789" "0123456789" ".,")
_LETTERS = str.maketrans({"ي": "ی", "ى": "ی", "ك": "ک", "ة": "ه", "ۀ": "ه", "\u0640": None})
_BIDI = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069\u061c\u200b]")

# A digit number: thousands groups («1,200,000», «1.200.000»), then an optional decimal part
# («12.6», «12/6»). Three slash-separated parts are a date, which the lookahead refuses.
DIGIT_NUMBER = (
    r"\d{1,3}(?:,\d{3})+(?:\.\d+)?(?![\d,])"
    r"|\d{1,3}(?:\.\d{3}){2,}(?![\d.])"
    r"|\d+(?:[./]\d+)?(?![\d/])"
)
_SCALE_ALT = "|".join(sorted(SCALES, key=len, reverse=True))
_TOKEN = re.compile(
    r"(?P<date>\d+(?:/\d+){2,})"
    rf"|(?P<num>{DIGIT_NUMBER})"
    rf"|(?P<frac>هزارم)"
    rf"|(?P<scale>{_SCALE_ALT})"
    r"|(?P<word>[^\W\d_]+)"
    r"|(?P<space>[\s\u200c]+)"
    r"|(?P<other>.)"
)
#: Words that make a following scale vague: «صدها میلیون», «چند هزار».
VAGUE = frozenset({"ها", "صدها", "دهها", "ده\u200cها", "چند", "چندین", "هزاران", "میلیونها", "میلیاردها"})
_VAGUE_PLURAL = re.compile("\u200c?(?:ها|ان)(?![^\\W\\d_])")


def fold(text: str) -> str:
    """Digits to ASCII, Arabic letters to Persian, bidi marks to ZWNJ: enough to parse numbers.

    Bidi marks become a ZWNJ rather than vanish so that «یک‎میلیارد» stays two words.
    """
    return _BIDI.sub(_ZWNJ, text).translate(_DIGITS).translate(_LETTERS)


@dataclass(frozen=True)
class NumberMatch:
    """A number expression found in a (folded) string: ``text[start:end]``."""

    amount: Number
    amount_max: Number | None
    start: int
    end: int


@dataclass
class _Tok:
    kind: str  # num | word | scale | frac | half | and | range | other | space
    text: str
    start: int
    end: int
    value: Fraction | None = None


def _split_word(word: str) -> list[tuple[str, str]]:
    """Classify a letter run; split glued forms such as «یکمیلیارد» or «دوهزار»."""
    if word in UNITS:
        return [("wnum", word)]
    if word in SCALES:
        return [("scale", word)]
    if word in FRACTIONS:
        return [("frac", word)]
    if word == HALF:
        return [("half", word)]
    if word == "و":
        return [("and", word)]
    if word in ("تا", "الی", "یا"):
        return [("range", word)]
    for scale in sorted(SCALES, key=len, reverse=True):
        head = word[: -len(scale)] if word.endswith(scale) else None
        if head and head in UNITS:
            return [("wnum", head), ("scale", scale)]
    return [("other", word)]


def _parse_digits(raw: str) -> Fraction:
    if "," in raw:
        raw = raw.replace(",", "")
    elif raw.count(".") >= 2:
        raw = raw.replace(".", "")
    return Fraction(raw.replace("/", "."))


def tokenize(text: str) -> list[_Tok]:
    """Tokens of a folded string (see ``fold``), with character offsets."""
    toks: list[_Tok] = []
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup or "other"
        s, e = m.span()
        if kind == "num":
            toks.append(_Tok("num", m.group(), s, e, _parse_digits(m.group())))
        elif kind == "scale":
            toks.append(_Tok("scale", m.group(), s, e, Fraction(SCALES[m.group()])))
        elif kind == "frac":
            toks.append(_Tok("frac", m.group(), s, e, Fraction(FRACTIONS[m.group()])))
        elif kind == "word":
            pos = s
            for sub_kind, sub in _split_word(m.group()):
                value = None
                if sub_kind == "wnum":
                    value = Fraction(UNITS[sub])
                elif sub_kind == "scale":
                    value = Fraction(SCALES[sub])
                elif sub_kind == "frac":
                    value = Fraction(FRACTIONS[sub])
                toks.append(_Tok(sub_kind, sub, pos, pos + len(sub), value))
                pos += len(sub)
        elif kind == "space":
            continue
        elif m.group() in "-–—":
            toks.append(_Tok("range", m.group(), s, e))
        else:
            toks.append(_Tok("other", m.group(), s, e))
    return toks


def _place(value: Fraction) -> int:
    """The decimal place of a word number's leading digit: 60 → 10, 300 → 100, 9 → 1."""
    n = int(value)
    place = 1
    while n >= place * 10:
        place *= 10
    return place


class _Expr:
    """Accumulates one number expression (no range) with the scale rules of the module doc."""

    def __init__(self) -> None:
        self.total = Fraction(0)
        self.current = Fraction(0)
        self.last_term: Fraction | None = None
        self.last_kind = ""
        self.largest = 1
        self.scales: list[int] = []  # trailing chain of scale words
        self.has_number = False

    def add_number(self, value: Fraction, kind: str) -> None:
        self.current += value
        self.last_term = value
        self.last_kind = kind
        self.scales = []
        self.has_number = True

    def add_scale(self, scale: int) -> None:
        if self.current == 0 and self.last_kind != "scale":
            self.current = Fraction(1)  # «هزار تن», «میلیون‌ها» → one thousand, one million
        if scale > self.largest:
            self.total = (self.total + self.current) * scale
            self.largest = scale
        else:
            self.total += self.current * scale
        self.current = Fraction(0)
        self.last_kind = "scale"
        self.last_term = None
        self.scales.append(scale)
        self.has_number = True

    def add_fraction(self, denominator: int) -> None:
        assert self.last_term is not None
        self.current += self.last_term / denominator - self.last_term
        self.last_term = None
        self.last_kind = "frac"

    def add_half(self) -> None:
        if self.last_kind == "scale" and self.scales:
            self.total += Fraction(self.scales[-1], 2)
        else:
            self.current += Fraction(1, 2)
        self.last_kind = "half"
        self.has_number = True

    def can_join_after_and(self, tok: _Tok) -> bool:
        """Whether «و» + ``tok`` continues this expression rather than coordinating a new one."""
        if tok.kind == "half":
            return self.last_kind in ("num", "wnum", "scale")
        if tok.kind not in ("num", "wnum"):
            return False
        if self.last_kind == "scale":
            return True
        if self.last_kind == "wnum" and tok.kind == "wnum" and self.last_term is not None:
            return tok.value < _place(self.last_term)
        return False

    def value(self) -> Fraction:
        return self.total + self.current


def _consume(toks: list[_Tok], i: int) -> tuple[_Expr, int] | None:
    """Parse one expression starting at token ``i``; return it and the index after it."""
    if i >= len(toks) or toks[i].kind not in ("num", "wnum", "scale", "half"):
        return None
    expr = _Expr()
    j = i
    while j < len(toks):
        tok = toks[j]
        if tok.kind in ("num", "wnum"):
            if expr.has_number:
                break  # two numbers in a row without «و» are two expressions
            expr.add_number(tok.value, tok.kind)
        elif tok.kind == "scale":
            expr.add_scale(int(tok.value))
        elif tok.kind == "frac":
            if expr.last_kind not in ("num", "wnum") or j == i:
                break
            expr.add_fraction(int(tok.value))
        elif tok.kind == "half":
            if expr.has_number:
                break
            expr.add_half()
        elif tok.kind == "and":
            nxt = toks[j + 1] if j + 1 < len(toks) else None
            if nxt is None or not expr.can_join_after_and(nxt):
                break
            j += 1
            if nxt.kind == "half":
                expr.add_half()
            else:
                expr.add_number(nxt.value, nxt.kind)
        else:
            break
        j += 1
    return expr, j


def _to_number(value: Fraction) -> Number:
    return int(value) if value.denominator == 1 else float(value)


def scan_number(text: str, pos: int = 0) -> NumberMatch | None:
    """The first number expression in folded ``text`` at or after ``pos``, ranges included.

    ``text`` should be ``fold``-ed (or ``text.normalize``-d): digits ASCII, Persian letters.
    Vague words («صدها», «هزاران») are not numbers. Returns None when there is none.
    """
    toks = [t for t in tokenize(text) if t.start >= pos]
    for i, tok in enumerate(toks):
        if tok.kind not in ("num", "wnum", "scale", "half"):
            continue
        if tok.kind == "scale" and i > 0 and toks[i - 1].text in VAGUE and toks[i - 1].end >= tok.start - 1:
            continue
        if tok.kind in ("scale", "wnum") and _VAGUE_PLURAL.match(text, tok.end):
            continue  # «هزاران», «میلیون‌ها»: vague
        parsed = _consume(toks, i)
        if parsed is None:
            continue
        expr, j = parsed
        low, end, high = expr.value(), toks[j - 1].end, None
        if j < len(toks) and toks[j].kind == "range":
            k = j + 1
            if toks[j].text == "یا" and k < len(toks) and toks[k].text == "حتی":
                k += 1
            upper = _consume(toks, k)
            if upper is not None:
                up_expr, k2 = upper
                high = up_expr.value()
                if not expr.scales and up_expr.scales and up_expr.last_kind == "scale":
                    factor = 1
                    for s in up_expr.scales:
                        factor *= s
                    if low * factor <= high:
                        low *= factor
                end = toks[k2 - 1].end
                if high < low:
                    low, high = high, low
        return NumberMatch(_to_number(low), None if high is None else _to_number(high), tok.start, end)
    return None


@lru_cache(maxsize=4096)
def parse_number(text: str) -> tuple[Number, Number | None] | None:
    """``(amount, amount_max)`` of the first number expression in raw ``text``, or None.

    ``amount_max`` is None unless the expression is a range («۵۹ تا ۶۵» → (59, 65)).
    """
    if not isinstance(text, str):
        raise TypeError(f"parse_number() expects a str, got {type(text).__name__}")
    found = scan_number(fold(text))
    return None if found is None else (found.amount, found.amount_max)
