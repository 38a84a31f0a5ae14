"""Persian text normalization that never loses the way back to the caller's text.

Models, patterns and gazetteers all work on one normalized form (Persian letters, ASCII
digits, no kashida or diacritics), while every offset the library returns must point into
the text the caller gave. So normalization is a per-character rewrite that records, for each
output character, the span of input characters it came from; mapping a span back is then a
lookup, and can never cut an input character in half.

Why not hazm's ``Normalizer``: it returns no offset map (so offsets into the caller's text would
be lost), and hazm 0.10 pins ``numpy==1.24.3``, which breaks pyarrow and ``datasets``. The letter
and digit rules below follow hazm's.

What it does, and why:
- Arabic «ي ى ك ة ۀ أ إ ٱ» → Persian «ی ی ک ه ه ا ا ا»: older articles use Arabic letters, and
  the tokenizer splits them into more pieces than their Persian twins.
- Persian «۰-۹» and Arabic-Indic «٠-٩» digits → ASCII, «٫» → «.», «٬» → «,»: one number
  grammar instead of three.
- Kashida, harakat, bidi controls, BOM, soft hyphen, zero-width joiner and space: deleted, they
  carry no meaning for extraction.
- Zero-width non-joiner: runs collapse to one, and one next to a space or at a word edge is
  dropped; inner ones are kept (the tokenizer treats them as a word boundary).
- Unusual spaces → « »; Arabic presentation forms → NFKC (may expand one character to several).
- ``\\r\\n`` → ``\\n``. Line breaks are kept: a hard break inside a sentence becomes a space in the
  tokenizer anyway, and sentence splitting (``sentence_spans``) decides what a break means.
"""
from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass
from typing import Iterable, Sequence

ZWNJ = "\u200c"

_CHAR_MAP: dict[str, str] = {
    "\u064a": "\u06cc",  # ي → ی
    "\u0649": "\u06cc",  # ى → ی
    "\u0643": "\u06a9",  # ك → ک
    "\u0629": "\u0647",  # ة → ه
    "\u06c0": "\u0647",  # ۀ → ه
    "\u06c1": "\u0647",  # ہ → ه
    "\u0623": "\u0627",  # أ → ا
    "\u0625": "\u0627",  # إ → ا
    "\u0671": "\u0627",  # ٱ → ا
    "\u066b": ".",  # Arabic decimal separator
    "\u066c": ",",  # Arabic thousands separator
    "\u200b": ZWNJ,  # zero-width space is used like a ZWNJ in the wild
}
for _i in range(10):
    _CHAR_MAP[chr(0x06F0 + _i)] = str(_i)
    _CHAR_MAP[chr(0x0660 + _i)] = str(_i)
for _cp in (0x00A0, 0x1680, 0x202F, 0x205F, 0x3000, *range(0x2000, 0x200B)):
    _CHAR_MAP[chr(_cp)] = " "
_CHAR_MAP["\u2028"] = "\n"
_CHAR_MAP["\u2029"] = "\n"
_CHAR_MAP["\u0085"] = "\n"

_DELETE = frozenset(
    [
        "\u0640",  # kashida
        "\u00ad",  # soft hyphen
        "\u200d",  # zero-width joiner
        "\ufeff",  # BOM
        "\u061c",  # Arabic letter mark
        "\u200e",
        "\u200f",
        *map(chr, range(0x202A, 0x202F)),
        *map(chr, range(0x2066, 0x206A)),
        *map(chr, range(0x064B, 0x0660)),  # harakat, tanwin, shadda, sukun, …
        "\u0670",  # superscript alef
    ]
)


def _is_presentation_form(ch: str) -> bool:
    cp = ord(ch)
    return 0xFB50 <= cp <= 0xFDFF or 0xFE70 <= cp <= 0xFEFF or 0xFF01 <= cp <= 0xFF5E


def is_word_char(ch: str) -> bool:
    """Whether ``ch`` belongs inside a word: letters, digits, marks and the ZWNJ.

    Spans must never cut a word, and a word includes attached suffixes written with a ZWNJ.
    """
    if ch == ZWNJ or ch in "%٪":  # «۶۰٪»: the percent sign belongs to its number
        return True
    cat = unicodedata.category(ch)
    return cat[0] in ("L", "N", "M")


@dataclass(frozen=True)
class Normalized:
    """A normalized text plus, for each of its characters, the input span it came from."""

    text: str
    original: str
    starts: tuple[int, ...]
    ends: tuple[int, ...]

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a half-open span of ``text`` onto ``original``.

        An empty span maps to the empty span at the position where it would sit.
        """
        if not 0 <= start <= end <= len(self.text):
            raise ValueError(f"span ({start}, {end}) outside 0..{len(self.text)}")
        if start == end:
            pos = self.starts[start] if start < len(self.starts) else len(self.original)
            return pos, pos
        return self.starts[start], self.ends[end - 1]

    def from_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a span of ``original`` onto ``text`` (smallest normalized span covering it)."""
        import bisect

        s = bisect.bisect_left(self.ends, start + 1)
        e = bisect.bisect_left(self.starts, end)
        return s, max(s, e)


def normalize(text: str) -> Normalized:
    """Normalize ``text`` for matching and modelling; see the module docstring for the rules."""
    if not isinstance(text, str):
        raise TypeError(f"normalize() expects a str, got {type(text).__name__}")
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    n = len(text)
    for i, ch in enumerate(text):
        if ch in _DELETE:
            continue
        if ch == "\r":
            if i + 1 < n and text[i + 1] == "\n":
                continue
            ch = "\n"
        rep = _CHAR_MAP.get(ch)
        if rep is None:
            rep = unicodedata.normalize("NFKC", ch) if _is_presentation_form(ch) else ch
            rep = "".join(_CHAR_MAP.get(c, c) for c in rep if c not in _DELETE)
        for c in rep:
            if c == ZWNJ and (not out or out[-1] in (ZWNJ, " ", "\n") or not is_word_char(out[-1])):
                continue  # ZWNJ after a space, another ZWNJ, a non-letter or at the start
            if c in (" ", "\n") or not is_word_char(c):
                if out and out[-1] == ZWNJ:  # ZWNJ before a space or punctuation
                    out.pop()
                    starts.pop()
                    ends.pop()
            out.append(c)
            starts.append(i)
            ends.append(i + 1)
    if out and out[-1] == ZWNJ:
        out.pop()
        starts.pop()
        ends.pop()
    return Normalized("".join(out), text, tuple(starts), tuple(ends))


def normalize_text(text: str) -> str:
    """Just the normalized string, for callers that do not need offsets (resources, lookups)."""
    return normalize(text).text


# Sentences

_TERMINAL = ".!?؟…:؛"
# Words after which a line break cannot end a sentence: prepositions, conjunctions, ezafe heads.
_CONTINUES = frozenset(
    "و یا که به از در با برای تا را بر این آن های ها هر بین بی چون اگر اما ولی نیز هم "
    "میزان مقدار ارزش حجم صادرات واردات سال ماه استان کشور".split()
)
_SENT_END = re.compile(r"[.!?؟…]+(?=\s|$)|\n")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Half-open spans of the sentences of ``text`` (normalized or not), whitespace-trimmed.

    Sentences end at terminal punctuation followed by a space, and at line breaks, except
    hard breaks inside a sentence: a break whose line ends in no terminal punctuation and whose
    last word cannot end a sentence («برای», «و», «صادرات», …) joins the two lines. Headlines
    have no final punctuation either, so anything else keeps the break.
    """
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _SENT_END.finditer(text):
        end = m.end()
        if m.group() == "\n":
            line = text[start : m.start()].rstrip()
            if not line:
                continue
            last = line.split()[-1] if line.split() else ""
            if line[-1] not in _TERMINAL and last in _CONTINUES:
                continue  # hard break inside a sentence
        _append_trimmed(spans, text, start, end)
        start = end
    _append_trimmed(spans, text, start, len(text))
    return spans


def _append_trimmed(spans: list[tuple[int, int]], text: str, start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        spans.append((start, end))


def snap_to_words(text: str, start: int, end: int) -> tuple[int, int]:
    """Grow ``[start, end)`` to whole words and shrink it off edge whitespace/punctuation.

    The guide says spans never cut a word; glued source text («از324») means the smallest
    whole-word span, extra characters accepted.
    """
    while start < end and not is_word_char(text[start]):
        start += 1
    while end > start and not is_word_char(text[end - 1]):
        end -= 1
    if start == end:
        return start, end
    while start > 0 and is_word_char(text[start - 1]):
        start -= 1
    while end < len(text) and is_word_char(text[end]):
        end += 1
    while end > start and text[end - 1] == ZWNJ:
        end -= 1
    return start, end


def overlaps(spans: Sequence[tuple[int, int]]) -> bool:
    """Whether any two half-open spans overlap."""
    ordered = sorted(spans)
    return any(a[1] > b[0] for a, b in zip(ordered, ordered[1:]))


class SpanSet:
    """Non-overlapping half-open spans with logarithmic overlap checks.

    Greedy span selection (best candidate first, skip what overlaps) is everywhere in this
    library; a linear scan per candidate made megabyte documents quadratic.
    """

    def __init__(self, spans: Iterable[tuple[int, int]] = ()):
        self._starts: list[int] = []
        self._ends: list[int] = []
        for s, e in spans:
            self.add(s, e)

    def overlaps(self, start: int, end: int) -> bool:
        k = bisect.bisect_left(self._starts, start)
        if k < len(self._starts) and self._starts[k] < end:
            return True
        return k > 0 and self._ends[k - 1] > start

    def add(self, start: int, end: int) -> None:
        """Add a span; callers check :meth:`overlaps` first (overlapping adds are refused)."""
        if self.overlaps(start, end):
            raise ValueError(f"span ({start}, {end}) overlaps a kept span")
        k = bisect.bisect_left(self._starts, start)
        self._starts.insert(k, start)
        self._ends.insert(k, end)

    def __len__(self) -> int:
        return len(self._starts)
