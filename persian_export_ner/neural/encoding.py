"""Normalized text → subword tokens with character offsets → overlapping windows.

Documents are longer than the encoder's context, and silent truncation would drop entities
without telling anyone. So a document is tokenized once, whole, and cut into windows that
overlap; every token is *owned* by the window in which it sits most centrally (most context on
both sides), and only that window's prediction and hidden state are used for it. Training and
inference share this module so that a token sees the same context in both.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Sequence

import torch


@dataclass(frozen=True)
class Window:
    """A slice ``[start, end)`` of a document's tokens, ready to feed the encoder."""

    doc: int
    start: int
    end: int
    input_ids: tuple[int, ...]


@dataclass
class DocEncoding:
    """One document's tokens over its normalized text.

    ``offsets[i]`` is token *i*'s half-open character span in ``text``, trimmed of whitespace;
    an empty span marks a token with no visible characters (a lone «▁»), which never carries a
    label. ``owner[i]`` is the index (into ``windows``) of the window that owns token *i*.
    """

    text: str
    token_ids: list[int]
    offsets: list[tuple[int, int]]
    windows: list[Window] = field(default_factory=list)
    owner: list[int] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.token_ids)


def _special_affixes(backend: Any) -> tuple[list[int], list[int]]:
    """The ids the tokenizer's post-processor puts before and after a text (``[CLS]``/``<s>`` …).

    Read off an actual encoding rather than trusting ``cls_token_id``: converted tokenizers name
    their specials differently (BERT ``[CLS]``/``[SEP]``, XLM-R ``<s>``/``</s>``).
    """
    bare = backend.encode("x", add_special_tokens=False).ids
    full = backend.encode("x", add_special_tokens=True).ids
    for i in range(len(full) - len(bare) + 1):
        if full[i : i + len(bare)] == bare:
            return list(full[:i]), list(full[i + len(bare) :])
    return [], []


class DocumentEncoder:
    """Tokenizes normalized documents and cuts them into overlapping windows.

    ``max_length`` counts the special tokens; ``stride`` is the number of tokens two
    neighbouring windows share.
    """

    def __init__(self, tokenizer: Any, max_length: int = 256, stride: int = 64) -> None:
        self.backend = getattr(tokenizer, "backend_tokenizer", tokenizer)
        self.prefix, self.suffix = _special_affixes(self.backend)
        self.content_length = max_length - len(self.prefix) - len(self.suffix)
        if self.content_length < 8:
            raise ValueError(f"max_length={max_length} leaves no room for text; use 128 or more")
        if not 0 <= stride < self.content_length // 2 + 1:
            raise ValueError(f"stride={stride} must be in 0..{self.content_length // 2}")
        self.max_length = max_length
        self.stride = stride
        pad = getattr(tokenizer, "pad_token_id", None)
        self.pad_id = int(pad) if pad is not None else 0

    def encode(self, texts: Sequence[str], first_doc: int = 0) -> list[DocEncoding]:
        """Encode normalized texts; window ``doc`` fields count from ``first_doc``.

        One ``encode_batch`` call for all texts: the Rust tokenizer then works on them in
        parallel, and Python only touches each token once (to trim its offsets).
        """
        encodings = self.backend.encode_batch(list(texts), add_special_tokens=False) if texts else []
        docs = []
        for k, (text, enc) in enumerate(zip(texts, encodings)):
            doc = DocEncoding(text=text, token_ids=enc.ids, offsets=_trim_all(text, enc.offsets))
            self._windows(doc, first_doc + k)
            docs.append(doc)
        return docs

    def _windows(self, doc: DocEncoding, doc_index: int) -> None:
        n, size = len(doc.token_ids), self.content_length
        if n == 0:
            return
        starts = [0]
        step = size - self.stride
        while starts[-1] + size < n:
            starts.append(min(starts[-1] + step, n - size))
        for s in starts:
            e = min(s + size, n)
            ids = tuple(self.prefix + doc.token_ids[s:e] + self.suffix)
            doc.windows.append(Window(doc_index, s, e, ids))
        doc.owner = _owners(doc.windows, n)

    def position(self, window: Window, token: int) -> int:
        """Index of document token ``token`` inside ``window``'s ``input_ids``."""
        return len(self.prefix) + token - window.start

    def collate(self, windows: Sequence[Window]) -> tuple[torch.Tensor, torch.Tensor]:
        """Pad windows into ``input_ids`` and ``attention_mask`` tensors (one tensor build each)."""
        width = max(len(w.input_ids) for w in windows)
        pad = self.pad_id
        ids = torch.tensor([w.input_ids + (pad,) * (width - len(w.input_ids)) for w in windows], dtype=torch.long)
        mask = torch.tensor([[1] * len(w.input_ids) + [0] * (width - len(w.input_ids)) for w in windows],
                            dtype=torch.long)
        return ids, mask


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Drop whitespace at a token's edges (Metaspace «▁» offsets may cover the space)."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _trim_all(text: str, offsets: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """``_trim`` over all tokens, calling it only for the few whose edges are whitespace."""
    out = []
    for s, e in offsets:
        if s < e and (text[s].isspace() or text[e - 1].isspace()):
            s, e = _trim(text, s, e)
        out.append((s, e))
    return out


def _owners(windows: Sequence[Window], n: int) -> list[int]:
    """For each of ``n`` tokens, the window in which it has the most context on its poorer side
    (the first such window on ties).

    Linear in the total window length, where asking every window about every token was
    quadratic in the document's length (megabyte documents have thousands of windows).
    """
    if len(windows) == 1:
        return [0] * n
    owner = [0] * n
    best = [-1] * n
    for k, w in enumerate(windows):
        last = w.end - 1
        for i in range(w.start, w.end):
            margin = min(i - w.start, last - i)
            if margin > best[i]:
                best[i] = margin
                owner[i] = k
    return owner

