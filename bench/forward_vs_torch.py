"""NumPy forward of all-MiniLM-L6-v2 against PyTorch eager, same machine, same run (DESIGN.md budget:
ratio numpy/torch ≤ 1.0 at 16 tokens and ≤ 1.2 at 128).

    PYTHONPATH=. python -m bench.forward_vs_torch [--runs 40] [--sizes 16 128] [--threads 2]

NumPy side: ``model.run(tokens)``, tokens → ModelTrace with every intermediate kept, as the app uses it.
PyTorch side (only if torch and transformers are importable): transformers' ``BertModel`` from the same
folder, ``attn_implementation="eager"``, ``output_attentions=True``, ``output_hidden_states=True``, under
``torch.no_grad()``. Both sides get the same number of threads (``--threads``, default 2): PyTorch through
``torch.set_num_threads``, NumPy's OpenBLAS through ``OPENBLAS_NUM_THREADS`` (read once, when NumPy is
imported, so the script restarts itself with it set). The two are timed alternately, round by round
(the first of each pair alternating), so a noisy neighbour slows both alike; medians after a warm-up,
with the 10th-90th percentile spread, and the median of the per-round ratios ("paired").

Both sides also run with the malloc setting of the Makefile (``GLIBC_TUNABLES``, unless it is set
already): glibc otherwise returns large freed blocks to the kernel at once and both libraries fault in
fresh pages on every forward.

Multi-threaded BLAS is fragile on a busy machine: when other processes hold the cores, a thread waits
for a time slice and a 1 ms product can take 8 ms. Compare a run with ``--threads 1``.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import statistics
import sys
import time
from collections.abc import Callable
from functools import partial

import numpy as np

from attention_core.models.registry import PACKS, load_model

MODEL = "all-MiniLM-L6-v2"  # the pretrained BERT-style model the budget is about

TEXT = (
    "The animal didn't cross the street because it was too tired. Attention is all you need, and every "
    "head of every layer shows where each word looks. The quick brown fox jumps over the lazy dog. "
) * 8
WARMUP = 5
MALLOC = "glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=67108864"  # as in the Makefile


def torch_forward(folder: str, threads: int) -> Callable[[list[int]], object] | None:
    """A function running transformers' BertModel on a list of ids, or None without torch."""
    if importlib.util.find_spec("torch") is None or importlib.util.find_spec("transformers") is None:
        return None
    import torch
    from transformers import BertModel

    torch.set_num_threads(threads)
    model = BertModel.from_pretrained(folder, attn_implementation="eager", dtype=torch.float32).eval()

    def forward(ids: list[int]) -> object:
        input_ids = torch.tensor([ids])
        with torch.no_grad():
            return model(
                input_ids,
                attention_mask=torch.ones_like(input_ids),
                token_type_ids=torch.zeros_like(input_ids),
                output_attentions=True,
                output_hidden_states=True,
            )

    return forward


def timed(run: Callable[[], object]) -> float:
    start = time.perf_counter()
    run()
    return (time.perf_counter() - start) * 1000  # ms


def spread(times: list[float]) -> str:
    low, high = np.percentile(times, [10, 90])
    return f"{low:.1f}-{high:.1f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=40, help="timed rounds per size (default 40)")
    parser.add_argument("--sizes", type=int, nargs="+", default=[16, 128], help="token counts")
    parser.add_argument("--threads", type=int, default=2, help="threads for each side (default 2)")
    args = parser.parse_args()
    if os.environ.get("OPENBLAS_NUM_THREADS") != str(args.threads) or "GLIBC_TUNABLES" not in os.environ:
        os.environ["OPENBLAS_NUM_THREADS"] = str(args.threads)  # NumPy reads it when it is imported
        os.environ.setdefault("GLIBC_TUNABLES", MALLOC)  # the C library reads it when the process starts
        os.execv(sys.executable, [sys.executable, "-m", "bench.forward_vs_torch", *sys.argv[1:]])

    model = load_model(MODEL)
    folder = str(PACKS[MODEL].folder())
    torch_run = torch_forward(folder, args.threads)
    if torch_run is None:
        print("note: torch/transformers not importable here; timing the NumPy side only")
    print(f"{MODEL}, {args.threads} thread(s) each, {args.runs} rounds after {WARMUP} warm-up")
    print(f"GLIBC_TUNABLES={os.environ.get('GLIBC_TUNABLES', '')}")
    print(f"times in ms (median, p10-p90), load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores\n")
    header = ("tokens", "numpy", "spread", "torch", "spread", "ratio", "paired")
    print("{:>6}  {:>7} {:>12}  {:>7} {:>12}  {:>5}  {:>6}".format(*header))

    for size in args.sizes:
        tokens = model.tokenize(TEXT, size)
        assert len(tokens) == size, (len(tokens), size)
        ids = list(tokens.ids)
        numpy_times: list[float] = []
        torch_times: list[float] = []
        for round_ in range(WARMUP + args.runs):
            pair = [("numpy", partial(model.run, tokens))]
            if torch_run is not None:
                pair.append(("torch", partial(torch_run, ids)))
            if round_ % 2:
                pair.reverse()
            for side, run in pair:
                elapsed = timed(run)
                if round_ >= WARMUP:
                    (numpy_times if side == "numpy" else torch_times).append(elapsed)
        line = f"{size:>6}  {statistics.median(numpy_times):7.2f} {spread(numpy_times):>12}"
        if torch_times:
            ratio = statistics.median(numpy_times) / statistics.median(torch_times)
            paired = statistics.median(n / t for n, t in zip(numpy_times, torch_times, strict=True))
            torch_median = statistics.median(torch_times)
            line += f"  {torch_median:7.2f} {spread(torch_times):>12}  {ratio:5.2f}  {paired:6.2f}"
        print(line)


if __name__ == "__main__":
    main()
