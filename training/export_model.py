"""Export a trained model directory for shipping: fp16 safetensors, JSON and tokenizer files.

Training keeps fp32 weights; the shipped copy halves them (every version of a committed model
stays in git history, so size matters) and drops run-only files. The library loads the fp16
weights back into fp32 on CPU, so predictions match the fp32 model to rounding.

    python -m training.export_model runs/model models/persian-export-ner
"""
from __future__ import annotations

import argparse
import shutil
from pathlib import Path
from typing import Sequence

RUN_ONLY = {"optimizer.pt", "scheduler.pt", "rng_state.pth"}


def export(src: str | Path, dst: str | Path) -> dict[str, int]:
    """Copy ``src`` to ``dst`` with floating-point safetensors cast to fp16; returns file sizes."""
    import torch
    from safetensors.torch import load_file, save_file

    src, dst = Path(src), Path(dst)
    if not (src / "config.json").is_file():
        raise FileNotFoundError(f"{src} is not a model directory (no config.json)")
    dst.mkdir(parents=True, exist_ok=True)
    sizes = {}
    for path in sorted(src.iterdir()):
        if path.is_dir() or path.name in RUN_ONLY:
            continue
        target = dst / path.name
        if path.suffix == ".safetensors":
            tensors = {
                k: (v.to(torch.float16) if v.is_floating_point() else v).contiguous()
                for k, v in load_file(path).items()
            }
            save_file(tensors, target, metadata={"format": "pt"})
        else:
            shutil.copy2(path, target)
        sizes[path.name] = target.stat().st_size
    return sizes


def main(argv: Sequence[str] | None = None) -> dict[str, int]:
    ap = argparse.ArgumentParser(prog="python -m training.export_model", description=__doc__.splitlines()[0])
    ap.add_argument("src")
    ap.add_argument("dst")
    args = ap.parse_args(argv)
    sizes = export(args.src, args.dst)
    for name, size in sizes.items():
        print(f"{size / 1e6:8.2f} MB  {name}")
    print(f"{sum(sizes.values()) / 1e6:8.2f} MB  total")
    return sizes


if __name__ == "__main__":
    main()
