"""A progress bar with speed and ETA on stderr (standard library only), and a log file beside it."""

from __future__ import annotations

import sys
import time
from pathlib import Path

BAR_WIDTH = 30


def clock(seconds: float) -> str:
    """1:02:03 or 2:03."""
    seconds = round(seconds)
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


class Progress:
    """``step 1200/12000 [###.......] 10.0%  loss 4.321  2.9 steps/s  elapsed 6:51  ETA 1:01:43``.

    On a terminal the bar redraws in place (at most 4 times a second); when stderr is a file (a run under
    nohup) it prints one line every 30 s instead. Messages from :meth:`line` also go to the log file.
    """

    def __init__(self, total: int, log_file: Path) -> None:
        self.total = total
        self.log_file = Path(log_file)
        self.interactive = sys.stderr.isatty()
        self.begun = time.monotonic()
        self.before = 0.0  # seconds spent in earlier sessions of a resumed run
        self.cpu_begun = time.process_time()
        self.cpu_before = 0.0
        self.first_step = 0
        self.last_draw = 0.0
        self.loss_avg: float | None = None

    def start(self, step: int, elapsed_before: float, cpu_before: float = 0.0) -> None:
        self.begun = time.monotonic()
        self.before = elapsed_before
        self.cpu_begun = time.process_time()
        self.cpu_before = cpu_before
        self.first_step = step

    def cpu(self) -> float:
        """CPU seconds of this process (all its threads), over every session of the run: on a machine
        shared with other work the wall-clock time grows, this does not (much)."""
        return self.cpu_before + time.process_time() - self.cpu_begun

    def elapsed(self) -> float:
        """Seconds of training so far, over every session of the run."""
        return self.before + time.monotonic() - self.begun

    def update(self, step: int, loss: float) -> None:
        self.loss_avg = loss if self.loss_avg is None else 0.98 * self.loss_avg + 0.02 * loss
        now = time.monotonic()
        if step < self.total and now - self.last_draw < (0.25 if self.interactive else 30.0):
            return
        self.last_draw = now
        rate = (step - self.first_step) / max(now - self.begun, 1e-9)  # steps per second this session
        eta = (self.total - step) / rate if rate > 0 else float("inf")
        done = int(BAR_WIDTH * step / self.total)
        text = (
            f"step {step}/{self.total} [{'#' * done}{'.' * (BAR_WIDTH - done)}]"
            f" {100 * step / self.total:5.1f}%"
            f"  loss {self.loss_avg:.3f}  {rate:.2f} steps/s  elapsed {clock(self.elapsed())}"
            f"  ETA {clock(eta) if eta != float('inf') else '?'}"
        )
        if self.interactive:
            sys.stderr.write("\r" + text + ("\n" if step >= self.total else ""))
        else:
            sys.stderr.write(text + "\n")
        sys.stderr.flush()

    def line(self, message: str) -> None:
        """A message on its own line (after the bar), also appended to the log file with a time stamp."""
        sys.stderr.write(("\n" if self.interactive else "") + message + "\n")
        sys.stderr.flush()
        self.log_file.parent.mkdir(parents=True, exist_ok=True)
        with self.log_file.open("a", encoding="utf-8") as f:
            f.write(f"{time.strftime('%Y-%m-%d %H:%M:%S')} {message}\n")
