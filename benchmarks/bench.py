"""Throughput, FLOP-bound efficiency, memory and cold start of the neural extractor, in one run.

    python benchmarks/bench.py --model models/persian-export-ner --texts 256

On the same news passages (≈230 tokens each, cut at run time from the unlabelled Fars corpus,
whose text never enters the repository) and the same weights it measures:

* ours, end to end (normalization, tokenization, encoder, decoding, relations, values, facts):
  fp32, and dynamic int8 (``quantize="int8"``);
* the Hugging Face ``token-classification`` pipeline on the same encoder and token head
  (entities only: it does no relations, values or facts, so it does *less* work than ours);
* the FLOP-bound limit: encoder FLOPs per token against a GEMM peak measured now with a large
  fp32 ``torch.mm`` (same threads), i.e. the speed of a perfect fp32 implementation;
* peak resident memory of each phase, and cold start (a fresh interpreter doing
  ``import persian_export_ner; load(); extract()``).

Optional: ``--accuracy GOLD.jsonl …`` scores fp32 and int8 on gold files (the int8 F1 cost),
``--stream N`` runs ``persian-export-ner extract`` over N generated documents and samples its
RSS (memory must stay flat). Everything printed also goes to ``--json``.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable, Sequence

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpus" / "fars-news.jsonl"


# Inputs

def passages(corpus: Path, tokenizer: Any, n: int, target: int = 230) -> list[str]:
    """``n`` passages of ``target`` tokens, cut at token boundaries from consecutive articles."""
    backend = getattr(tokenizer, "backend_tokenizer", tokenizer)
    out: list[str] = []
    with corpus.open(encoding="utf-8") as fh:
        for line in fh:
            text = json.loads(line)["text"]
            offsets = backend.encode(text, add_special_tokens=False).offsets
            start = 0
            while start + target <= len(offsets) and len(out) < n:
                a, b = offsets[start][0], offsets[start + target - 1][1]
                out.append(text[a:b].strip())
                start += target
            if len(out) >= n:
                return out
    if not out:
        raise SystemExit(f"{corpus}: no article has {target} tokens")
    return (out * (n // len(out) + 1))[:n]


# Measuring

def _proc_status(pid: int | str = "self") -> dict[str, int]:
    """VmRSS / VmHWM (peak) in MiB from /proc (Linux)."""
    out = {}
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            key, _, rest = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                out[key] = int(rest.split()[0]) // 1024
    except OSError:
        pass
    return out


def _reset_peak() -> None:
    """Reset this process's VmHWM so each phase reports its own peak (Linux ≥ 4.0)."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        pass


def timed(fn: Callable[[], Any], repeat: int = 1) -> tuple[float, Any]:
    """Best wall time of ``repeat`` calls, and the last result."""
    best, result = float("inf"), None
    for _ in range(repeat):
        t = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - t)
    return best, result


def gemm_peak(n: int = 2048, repeat: int = 5) -> float:
    """fp32 FLOP/s of a large square ``torch.mm`` with the current thread count."""
    import torch

    a, b = torch.randn(n, n), torch.randn(n, n)
    torch.mm(a, b)
    seconds, _ = timed(lambda: torch.mm(a, b), repeat)
    return 2 * n**3 / seconds


def flops_per_token(token_model: Any, seq_len: float) -> float:
    """Encoder + token head FLOPs per token: 2 × weights in matrix products, plus attention's
    QKᵀ and AV (2 · 2 · seq_len · hidden per layer). Embedding lookups, norms, softmax, GELU
    and the small relation head are not counted, which makes the limit generous to us."""
    from torch import nn

    cfg = token_model.config
    matmul = sum(m.weight.numel() for m in token_model.modules() if isinstance(m, nn.Linear))
    pooler = getattr(getattr(token_model, "bert", None), "pooler", None)  # never run for tagging
    if pooler is not None:
        matmul -= sum(m.weight.numel() for m in pooler.modules() if isinstance(m, nn.Linear))
    return 2.0 * matmul + 4.0 * cfg.num_hidden_layers * seq_len * cfg.hidden_size


def _phase(name: str, fn: Callable[[], Any], n_texts: int, n_tokens: int, repeat: int) -> dict[str, Any]:
    _reset_peak()
    seconds, result = timed(fn, repeat)
    row = {"name": name, "seconds": seconds, "tokens_per_s": n_tokens / seconds,
           "articles_per_s": n_texts / seconds, "peak_rss_mib": _proc_status().get("VmHWM")}
    print(f"  {name:<28} {seconds:7.2f} s  {row['tokens_per_s']:8.0f} tok/s  "
          f"{row['articles_per_s']:6.2f} art/s  peak RSS {row['peak_rss_mib']} MiB", flush=True)
    return row | {"result": result}


# The contenders

def ours(model: str, texts: list[str], batch_size: int, quantize: str | None) -> tuple[Callable[[], Any], Any]:
    from persian_export_ner.api import Extractor
    from persian_export_ner.neural.extractor import NeuralExtractor

    neural = NeuralExtractor.from_pretrained(model, device="cpu", batch_size=batch_size, quantize=quantize)
    extractor = Extractor(neural)
    extractor.extract_batch(texts[:batch_size], batch_size=batch_size)  # warm-up
    return (lambda: extractor.extract_batch(texts, batch_size=batch_size)), neural


def encoder_share(neural: Any, texts: list[str], batch_size: int) -> float:
    """Fraction of an ``extract_batch`` call spent in encoder forward passes."""
    spent = [0.0]
    inner = neural._encode

    def wrapped(ids, mask):
        t = time.perf_counter()
        out = inner(ids, mask)
        spent[0] += time.perf_counter() - t
        return out

    neural._encode = wrapped
    try:
        total, _ = timed(lambda: neural.extract_batch(texts, batch_size=batch_size))
    finally:
        del neural._encode
    return spent[0] / total


def hf_pipeline(model: str, texts: list[str], batch_size: int, max_length: int, stride: int) -> Callable[[], Any]:
    from transformers import AutoTokenizer, pipeline

    tokenizer = AutoTokenizer.from_pretrained(model)
    tokenizer.model_max_length = max_length  # same windows as ours
    pipe = pipeline("token-classification", model=model, tokenizer=tokenizer, aggregation_strategy="simple",
                    stride=stride, batch_size=batch_size, device=-1)
    pipe(texts[:batch_size])  # warm-up
    return lambda: pipe(texts)


def cold_start(model: str, text: str, runs: int = 2) -> list[dict[str, float]]:
    """Fresh interpreters: import + load + first extract, and the whole process's wall time."""
    code = (
        "import json, sys, time\n"
        "t0 = time.perf_counter()\n"
        "import persian_export_ner\n"
        "t1 = time.perf_counter()\n"
        "ex = persian_export_ner.load(sys.argv[1])\n"
        "t2 = time.perf_counter()\n"
        "ex.extract(sys.stdin.read())\n"
        "t3 = time.perf_counter()\n"
        "print(json.dumps({'import': t1 - t0, 'load': t2 - t1, 'first_extract': t3 - t2, 'in_process': t3 - t0}))\n"
    )
    out = []
    for _ in range(runs):
        t = time.perf_counter()
        proc = subprocess.run([sys.executable, "-c", code, model], input=text, capture_output=True, text=True,
                              check=True, cwd=REPO)
        row = json.loads(proc.stdout.strip().splitlines()[-1])
        row["process_wall"] = time.perf_counter() - t
        out.append(row)
    return out


def accuracy(model: str, gold_files: Sequence[str], batch_size: int) -> dict[str, Any]:
    """Entity and relation micro F1 of fp32 and int8 on each gold file."""
    from persian_export_ner.api import Extractor
    from persian_export_ner.io import read_gold
    from persian_export_ner.neural.extractor import NeuralExtractor
    from persian_export_ner.scoring import evaluate_extractor

    result: dict[str, Any] = {}
    for q in (None, "int8"):
        ex = Extractor(NeuralExtractor.from_pretrained(model, device="cpu", batch_size=batch_size, quantize=q))
        for path in gold_files:
            scores = evaluate_extractor(ex, read_gold(path), batch_size=batch_size)
            result.setdefault(path, {})[q or "fp32"] = {
                "entity_f1": scores["entities"]["micro"]["f1"], "relation_f1": scores["relations"]["micro"]["f1"]}
    for path, row in result.items():
        row["entity_f1_change_points"] = 100 * (row["int8"]["entity_f1"] - row["fp32"]["entity_f1"])
        row["relation_f1_change_points"] = 100 * (row["int8"]["relation_f1"] - row["fp32"]["relation_f1"])
        print(f"  {path}: entity F1 fp32 {row['fp32']['entity_f1']:.4f} int8 {row['int8']['entity_f1']:.4f} "
              f"({row['entity_f1_change_points']:+.2f} pt); relation F1 fp32 {row['fp32']['relation_f1']:.4f} "
              f"int8 {row['int8']['relation_f1']:.4f} ({row['relation_f1_change_points']:+.2f} pt)", flush=True)
    return result


def stream(model: str, texts: list[str], n: int, batch_size: int, extra: Sequence[str] = ()) -> dict[str, Any]:
    """RSS of ``persian-export-ner extract big.jsonl --format jsonl`` sampled while it runs."""
    with tempfile.TemporaryDirectory() as tmp:
        src, dst = Path(tmp) / "big.jsonl", Path(tmp) / "out.jsonl"
        with src.open("w", encoding="utf-8") as fh:
            for i in range(n):
                fh.write(json.dumps({"id": f"d{i}", "text": texts[i % len(texts)]}, ensure_ascii=False) + "\n")
        cmd = [sys.executable, "-m", "persian_export_ner.cli", "extract", str(src), "--format", "jsonl",
               "--model", model, "--batch-size", str(batch_size), "-o", str(dst), *extra]
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=REPO, stderr=subprocess.DEVNULL)
        samples = []
        while proc.poll() is None:
            rss = _proc_status(proc.pid).get("VmRSS")
            done = dst.read_bytes().count(b"\n") if dst.exists() else 0
            if rss:
                samples.append({"t": round(time.perf_counter() - t0, 2), "docs_written": done, "rss_mib": rss})
            time.sleep(0.5)
        seconds = time.perf_counter() - t0
        if proc.returncode != 0:
            raise SystemExit(f"stream run failed ({proc.returncode}): {' '.join(cmd)}")
        written = dst.read_bytes().count(b"\n")
    started = [s for s in samples if s["docs_written"] >= batch_size] or samples
    result = {
        "documents": n, "written": written, "seconds": seconds,
        "rss_after_first_batch_mib": started[0]["rss_mib"],
        "rss_at_end_mib": samples[-1]["rss_mib"],
        "rss_max_mib": max(s["rss_mib"] for s in samples),
        "samples": samples[:: max(1, len(samples) // 40)],
    }
    print(f"  {n} docs in {seconds:.1f} s; RSS after first batch {result['rss_after_first_batch_mib']} MiB, "
          f"at end {result['rss_at_end_mib']} MiB, max {result['rss_max_mib']} MiB", flush=True)
    return result


# Entry point

def main(argv: Sequence[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default=str(REPO / "models" / "persian-export-ner"))
    parser.add_argument("--texts", type=int, default=256, help="number of ≈230-token passages")
    parser.add_argument("--tokens", type=int, default=230, help="tokens per passage")
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--threads", type=int, default=None, help="torch threads (default: torch's, capped to usable CPUs)")
    parser.add_argument("--repeat", type=int, default=1, help="timed runs per contender (best is kept)")
    parser.add_argument("--corpus", default=str(CORPUS))
    parser.add_argument("--no-hf", action="store_true", help="skip the transformers pipeline")
    parser.add_argument("--no-int8", action="store_true")
    parser.add_argument("--no-cold", action="store_true")
    parser.add_argument("--accuracy", nargs="*", default=[], metavar="GOLD", help="score fp32 vs int8 on gold files")
    parser.add_argument("--stream", type=int, default=0, metavar="N", help="also run the CLI over N documents")
    parser.add_argument("--json", default=str(REPO / "runs" / "bench.json"), help="where to write the results")
    args = parser.parse_args(argv)

    import torch
    from transformers import AutoTokenizer

    from persian_export_ner.neural.encoding import DocumentEncoder
    from persian_export_ner.neural.extractor import configure_threads
    from persian_export_ner.text import normalize

    threads = configure_threads(args.threads)
    tokenizer = AutoTokenizer.from_pretrained(args.model)
    cfg_file = Path(args.model) / "training_config.json"
    geometry = json.loads(cfg_file.read_text(encoding="utf-8")) if cfg_file.is_file() else {}
    max_length, stride = geometry.get("max_length", 256), geometry.get("stride", 64)
    texts = passages(Path(args.corpus), tokenizer, args.texts, args.tokens)
    docs = DocumentEncoder(tokenizer, max_length, stride).encode([normalize(t).text for t in texts])
    n_tokens = sum(len(d.token_ids) for d in docs)
    windows = [len(w.input_ids) for d in docs for w in d.windows]
    print(f"{len(texts)} passages, {n_tokens} tokens ({n_tokens / len(texts):.0f}/passage, "
          f"{len(windows)} windows), {threads} threads, batch {args.batch_size}", flush=True)

    res: dict[str, Any] = {"model": args.model, "texts": len(texts), "tokens": n_tokens, "threads": threads,
                           "batch_size": args.batch_size, "torch": torch.__version__,
                           "cpu": _cpu_name(), "phases": {}}
    peak = gemm_peak()
    from transformers import AutoModelForTokenClassification

    fpt = flops_per_token(AutoModelForTokenClassification.from_pretrained(args.model), statistics.mean(windows))
    limit = peak / fpt
    res["flop_bound"] = {"gemm_peak_gflops": peak / 1e9, "flops_per_token": fpt, "tokens_per_s": limit}
    print(f"  GEMM peak {peak / 1e9:.1f} GFLOP/s; {fpt / 1e6:.1f} MFLOP/token → FLOP-bound limit {limit:.0f} tok/s",
          flush=True)

    run, neural = ours(args.model, texts, args.batch_size, None)
    fp32 = _phase("ours fp32", run, len(texts), n_tokens, args.repeat)
    fp32_out = [x.to_dict() for x in fp32.pop("result")]
    fp32["encoder_share"] = encoder_share(neural, texts, args.batch_size)
    res["phases"]["ours_fp32"] = fp32
    del neural, run
    if not args.no_int8:
        run, neural = ours(args.model, texts, args.batch_size, "int8")
        row = _phase("ours int8", run, len(texts), n_tokens, args.repeat)
        int8_out = [x.to_dict() for x in row.pop("result")]
        row["encoder_share"] = encoder_share(neural, texts, args.batch_size)
        row["same_entities_as_fp32"] = sum(
            {(e["start"], e["end"], e["label"]) for e in a["entities"]} == {(e["start"], e["end"], e["label"]) for e in b["entities"]}
            for a, b in zip(fp32_out, int8_out)) / len(texts)
        res["phases"]["ours_int8"] = row
        del neural, run
    if not args.no_hf:
        run = hf_pipeline(args.model, texts, args.batch_size, max_length, stride)
        row = _phase("transformers pipeline fp32", run, len(texts), n_tokens, args.repeat)
        row.pop("result")
        res["phases"]["hf_pipeline"] = row
        del run

    ph = res["phases"]
    ratios = {"ours_fp32_over_flop_limit": ph["ours_fp32"]["tokens_per_s"] / limit}
    if "hf_pipeline" in ph:
        ratios["ours_fp32_over_hf"] = ph["ours_fp32"]["tokens_per_s"] / ph["hf_pipeline"]["tokens_per_s"]
    if "ours_int8" in ph:
        ratios["ours_int8_over_fp32"] = ph["ours_int8"]["tokens_per_s"] / ph["ours_fp32"]["tokens_per_s"]
        if "hf_pipeline" in ph:
            ratios["ours_int8_over_hf"] = ph["ours_int8"]["tokens_per_s"] / ph["hf_pipeline"]["tokens_per_s"]
    res["ratios"] = ratios
    print("  " + "  ".join(f"{k} {v:.2f}" for k, v in ratios.items()), flush=True)
    print(f"  encoder share of ours fp32: {ph['ours_fp32']['encoder_share']:.0%}", flush=True)

    if not args.no_cold:
        res["cold_start"] = cold_start(args.model, texts[0])
        for row in res["cold_start"]:
            print("  cold start " + "  ".join(f"{k} {v:.2f} s" for k, v in row.items()), flush=True)
    if args.accuracy:
        res["accuracy"] = accuracy(args.model, args.accuracy, args.batch_size)
    if args.stream:
        res["stream"] = stream(args.model, texts, args.stream, 32)

    out = Path(args.json)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(res, indent=2, ensure_ascii=False), encoding="utf-8")
    print(f"wrote {out}")
    return res


def _cpu_name() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    import platform

    return platform.processor()


if __name__ == "__main__":
    main()
