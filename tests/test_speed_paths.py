"""The fast inference paths give the same answers as the plain ones, on tiny random-weight models.

The reference ("before") path is ``modeling.run_documents``, the per-token gather the
extractor used until it cut documents out of their windows as slices; the training loop still
uses it, so it stays the ground truth here.
"""
from __future__ import annotations

import random

import pytest
import torch

from persian_export_ner.neural.encoding import DocumentEncoder, Window, _owners
from persian_export_ner.neural.extractor import (
    NeuralExtractor,
    _autocast_dtype,
    _owned_runs,
    configure_threads,
)
from persian_export_ner.neural.modeling import JointModel, run_documents
from tests.fixtures_tiny import EXTRA_TEXT, build_tiny_base, tiny_documents


def _texts() -> list[str]:
    docs = [d["text"] for d in tiny_documents()]
    long = "\n".join(docs + EXTRA_TEXT[:3])  # several windows at max_length 32
    return docs + EXTRA_TEXT + [long, long + " " + docs[0], "", "x", docs[1][:7]]


@pytest.fixture(scope="module", params=["wordpiece", "unigram"])
def model_dir(request, tmp_path_factory):
    """An untrained joint model whose heads are nudged to emit entities and relations."""
    from transformers import AutoTokenizer

    tmp = tmp_path_factory.mktemp(request.param)
    base = build_tiny_base(tmp / "base", request.param)
    torch.manual_seed(3)
    model = JointModel.from_base(str(base))
    with torch.no_grad():
        model.token_model.classifier.bias[0] -= 0.5
        model.relation_head.scorer[-1].bias += 3.0
    out = tmp / "model"
    model.save_pretrained(out, tokenizer=AutoTokenizer.from_pretrained(base),
                          training_config={"max_length": 32, "stride": 8})
    return out


class _Reference(NeuralExtractor):
    """The extractor as it was: token states gathered by ``run_documents``."""

    def _token_states(self, docs, batch_size):
        return run_documents(self.model, self.encoder, docs, batch_size, self.device)


def _load(model_dir, cls=NeuralExtractor, **kw) -> NeuralExtractor:
    return cls.from_pretrained(model_dir, device="cpu", **kw)


def test_fast_token_states_equal_run_documents_exactly(model_dir):
    fast = _load(model_dir)
    docs = fast.encoder.encode(_texts())
    assert any(len(d.windows) > 2 for d in docs)
    with torch.inference_mode():
        got = fast._token_states(docs, 4)
        want = run_documents(fast.model, fast.encoder, docs, 4, "cpu")
    for (gl, gh), (wl, wh) in zip(got, want):
        assert torch.equal(gl, wl) and torch.equal(gh, wh)


def test_extractions_equal_the_reference_implementation(model_dir):
    fast, ref = _load(model_dir), _load(model_dir, _Reference)
    got = [x.to_dict() for x in fast.extract_batch(_texts(), batch_size=3)]
    want = [x.to_dict() for x in ref.extract_batch(_texts(), batch_size=3)]
    assert got == want
    assert sum(len(x["entities"]) for x in got) > 0 and sum(len(x["relations"]) for x in got) > 0


def test_batch_equals_one_text_at_a_time(model_dir):
    ex = _load(model_dir)
    texts = _texts()
    batch = [x.to_dict() for x in ex.extract_batch(texts, batch_size=16)]
    assert batch == [ex.extract(t).to_dict() for t in texts]


def test_order_of_texts_does_not_change_results(model_dir):
    ex = _load(model_dir)
    texts = _texts()
    perm = list(range(len(texts)))
    random.Random(0).shuffle(perm)
    shuffled = ex.extract_batch([texts[i] for i in perm])
    straight = ex.extract_batch(texts)
    assert [shuffled[perm.index(i)].to_dict() for i in range(len(texts))] == [x.to_dict() for x in straight]


def _owners_brute_force(windows, n):
    out = []
    for token in range(n):
        best, best_margin = 0, -1
        for k, w in enumerate(windows):
            if w.start <= token < w.end:
                margin = min(token - w.start, w.end - 1 - token)
                if margin > best_margin:
                    best, best_margin = k, margin
        out.append(best)
    return out


@pytest.mark.parametrize("n", [1, 7, 24, 25, 60, 301])
@pytest.mark.parametrize("size,stride", [(24, 0), (24, 6), (24, 12), (10, 5)])
def test_linear_window_ownership_equals_brute_force(n, size, stride):
    starts = [0]
    while starts[-1] + size < n:
        starts.append(min(starts[-1] + size - stride, n - size))
    windows = [Window(0, s, min(s + size, n), ()) for s in starts]
    owner = _owners(windows, n)
    assert owner == _owners_brute_force(windows, n)
    runs = _owned_runs(owner)
    assert [k for k, a, b in runs for _ in range(a, b)] == owner  # runs tile the document


def test_collate_pads_with_the_pad_id_and_masks_padding(model_dir):
    from transformers import AutoTokenizer

    enc = DocumentEncoder(AutoTokenizer.from_pretrained(model_dir), max_length=32, stride=8)
    windows = [Window(0, 0, 3, (5, 6, 7)), Window(1, 0, 1, (9,))]
    ids, mask = enc.collate(windows)
    assert ids.tolist() == [[5, 6, 7], [9, enc.pad_id, enc.pad_id]]
    assert mask.tolist() == [[1, 1, 1], [1, 0, 0]]
    assert ids.dtype == mask.dtype == torch.long


def test_explicit_thread_count_wins_and_env_choice_is_left_alone(monkeypatch):
    before = torch.get_num_threads()
    try:
        assert configure_threads(1) == 1
        monkeypatch.setenv("OMP_NUM_THREADS", "1")
        torch.set_num_threads(1)
        assert configure_threads(None) == 1
    finally:
        torch.set_num_threads(before)


def test_threads_never_exceed_usable_cpus_by_default(monkeypatch):
    import os

    before = torch.get_num_threads()
    monkeypatch.delenv("OMP_NUM_THREADS", raising=False)
    monkeypatch.delenv("MKL_NUM_THREADS", raising=False)
    try:
        usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
        torch.set_num_threads(usable + 3)
        assert configure_threads(None) == usable
    finally:
        torch.set_num_threads(before)


def test_autocast_only_on_cuda_and_rejects_unknown_precision():
    assert _autocast_dtype(torch.device("cpu"), "auto") is None
    assert _autocast_dtype(torch.device("cuda"), "fp32") is None
    assert _autocast_dtype(torch.device("cuda"), "fp16") is torch.float16
    with pytest.raises(ValueError, match="precision"):
        _autocast_dtype(torch.device("cpu"), "int4")


def test_int8_quantizes_encoder_linears_but_ffn_outputs_and_still_extracts(model_dir):
    from torch import nn

    from persian_export_ner.neural.quantize import is_ffn_output

    ex = _load(model_dir, quantize="int8")
    mods = dict(ex.model.token_model.named_modules())
    quantized = {n for n, m in mods.items() if type(m).__module__.startswith("torch.ao.nn.quantized")}
    fp32 = {n for n, m in mods.items() if type(m) is nn.Linear}
    assert quantized and not any(n.startswith("classifier") or is_ffn_output(n) for n in quantized)
    assert fp32 == {"classifier"} | {n for n in fp32 if is_ffn_output(n)} and len(fp32) > 1
    fp32 = _load(model_dir)
    for got, want in zip(ex.extract_batch(_texts()), fp32.extract_batch(_texts())):
        assert got.text == want.text
        for e in got.entities:
            assert got.text[e.start : e.end] == e.text


def test_int8_refuses_gpu_and_unknown_methods(model_dir):
    with pytest.raises(ValueError, match="CPU only"):
        NeuralExtractor.from_pretrained(model_dir, device="cuda", quantize="int8")
    with pytest.raises(ValueError, match="quantize must be one of"):
        _load(model_dir, quantize="int4")
