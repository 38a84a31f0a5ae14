"""Dynamic int8 quantization of the encoder for CPU inference.

On CPU the encoder's matrix products are nearly all of the work, and int8 GEMMs (VNNI on
recent x86) run them about twice as fast as fp32. Dynamic quantization needs no calibration
data: weights are stored int8 once, activations are quantized on the fly per batch (so, unlike
fp32, a text's scores depend slightly on what it is batched with).

What is converted was chosen by measured F1 (benchmarks/README.md): the encoder's Linear
layers with per-channel weight scales, except the feed-forward output projections, whose
post-GELU inputs have outliers that per-tensor activation scales crush (quantizing them cost
6–8 entity-F1 points on the Fars dev set). The token classifier and relation head stay fp32.
Even so int8 costs 0.4–0.8 entity-F1 points, more than the 0.5 the project accepts, so it is
not offered through ``load()``; it stays an explicit, documented-as-lossy experiment.
"""
from __future__ import annotations

import warnings
from typing import Any

import torch
from torch import nn

QUANTIZATIONS = ("int8",)


def _engine() -> str:
    """The best quantized kernel library this torch build offers (x86/fbgemm, else qnnpack on ARM)."""
    supported = torch.backends.quantized.supported_engines
    for name in ("x86", "fbgemm", "qnnpack"):
        if name in supported:
            return name
    raise RuntimeError(f"this torch build has no quantized engine (supported: {supported}); load without quantize=")


def encoder_linear_names(token_model: nn.Module) -> set[str]:
    """Qualified names of the Linear layers inside the encoder (the classifier excluded)."""
    head = {"classifier", "score"}
    return {name for name, mod in token_model.named_modules()
            if isinstance(mod, nn.Linear) and name.split(".")[0] not in head}


def is_ffn_output(name: str) -> bool:
    """BERT's feed-forward output projection (``layer.N.output.dense``, not the attention's)."""
    return name.endswith("output.dense") and "attention" not in name


def quantized_linear_names(token_model: nn.Module) -> set[str]:
    """The Linear layers ``quantize_model`` converts: encoder ones minus the FFN outputs."""
    return {n for n in encoder_linear_names(token_model) if not is_ffn_output(n)}


def quantize_model(model: Any, method: str = "int8", device: str | torch.device | None = "cpu") -> Any:
    """Return ``model`` (a ``JointModel``) with its encoder's Linear layers quantized to int8.

    Raises ``ValueError`` for an unknown ``method`` or a non-CPU ``device``: the quantized
    kernels are CPU kernels (on a GPU, fp16/bf16 autocast is the fast path instead).
    """
    if method not in QUANTIZATIONS:
        raise ValueError(f"quantize must be one of {QUANTIZATIONS} or None, got {method!r}")
    if torch.device(device or "cpu").type != "cpu":
        raise ValueError(f"quantize={method!r} runs on CPU only; drop quantize= to use {device} (it uses fp16/bf16 there)")
    from torch.ao.quantization import per_channel_dynamic_qconfig, quantize_dynamic

    torch.backends.quantized.engine = _engine()
    model = model.to("cpu").eval()
    spec = {name: per_channel_dynamic_qconfig for name in quantized_linear_names(model.token_model)}
    with warnings.catch_warnings():  # torch.ao.quantization announces its move to torchao
        warnings.simplefilter("ignore")
        model.token_model = quantize_dynamic(model.token_model, spec, dtype=torch.qint8)
    return model
