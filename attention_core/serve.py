"""``attention-explorer [--port 8501]``: serve the app, from a checkout (``make run`` calls this) or from an
installed package, in whatever folder it is started.

It starts ``python -m streamlit run APP`` (``paths.APP``: app.py, with pages/ beside it) and hands this
process over to it (``os.execve``: Ctrl-C and ``kill`` reach Streamlit directly), with

* the project's Streamlit settings, ``.streamlit/config.toml``, given as command-line options: Streamlit
  reads that file only from the working directory, and an installed app is started from anywhere;
* the speed settings of the Makefile (one BLAS thread, glibc's malloc tunables; docs/benchmarks.md),
  unless the environment already sets them.

Streamlit itself is not imported here: the core stays free of the UI library (tests/test_architecture.py).
"""

from __future__ import annotations

import argparse
import os
import sys
import tomllib
from pathlib import Path

from attention_core.paths import APP, STREAMLIT_CONFIG

DEFAULT_PORT = 8501
SPEED_SETTINGS = {  # the same values as the Makefile's exports (it says why)
    "OPENBLAS_NUM_THREADS": "1",
    "OMP_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    "GLIBC_TUNABLES": "glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=67108864"
    ":glibc.malloc.arena_max=2",
}


def config_options(path: Path = STREAMLIT_CONFIG) -> list[str]:
    """``[section] key = value`` of a Streamlit config file as options: ``--section.key value``."""
    options = []
    for section, values in tomllib.loads(path.read_text(encoding="utf-8")).items():
        for key, value in values.items():
            text = str(value).lower() if isinstance(value, bool) else str(value)
            options += [f"--{section}.{key}", text]
    return options


def streamlit_command(port: int, address: str | None = None) -> list[str]:
    """The command line that serves the app on ``port`` (and ``address``, if given)."""
    command = [sys.executable, "-m", "streamlit", "run", str(APP), *config_options()]
    command += ["--server.port", str(port), "--server.headless", "true"]
    if address is not None:
        command += ["--server.address", address]
    return command


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="attention-explorer", description="Serve Attention Explorer (a Streamlit app) in the browser."
    )
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"default {DEFAULT_PORT}")
    parser.add_argument("--address", help="the address to listen on (default: every address)")
    args = parser.parse_args(argv)
    if not 1 <= args.port <= 65535:
        parser.error(f"--port must be 1 to 65535, not {args.port}")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    env = {**SPEED_SETTINGS, **os.environ}  # what the caller set wins
    command = streamlit_command(args.port, args.address)
    print(f"Attention Explorer: http://localhost:{args.port}  ({APP})", flush=True)
    os.execve(command[0], command, env)  # never returns


if __name__ == "__main__":
    sys.exit(main())
