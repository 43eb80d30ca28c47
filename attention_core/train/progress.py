"""Training's progress: tqdm's bar (steps, rate, ETA) on stderr, messages beside it and in a log file,
and the wall and CPU time of a run over every session of it (a resumed run continues the count)."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from tqdm import tqdm


class Progress:
    """``step 1200/12000 |███▏      | 10.0% loss 4.321 [06:51<1:01:43, 2.9 steps/s]``: redrawn in place on a
    terminal (at most 4 times a second), one line every 30 s when stderr is a file (a run under nohup).
    Messages from :meth:`line` also go to the log file."""

    def __init__(self, total: int, log_file: Path) -> None:
        self.total = total
        self.log_file = Path(log_file)
        self.bar: tqdm | None = None
        self.before = self.cpu_before = 0.0  # seconds spent in earlier sessions of a resumed run
        self.begun, self.cpu_begun = time.monotonic(), time.process_time()
        self.loss_avg: float | None = None

    def start(self, step: int, elapsed_before: float, cpu_before: float = 0.0) -> None:
        self.before, self.cpu_before = elapsed_before, cpu_before
        self.begun, self.cpu_begun = time.monotonic(), time.process_time()
        interval = 0.25 if sys.stderr.isatty() else 30.0
        self.bar = tqdm(
            total=self.total, initial=step, desc="step", unit=" steps", file=sys.stderr, mininterval=interval,
            maxinterval=max(interval, 10.0), dynamic_ncols=True,
        )  # fmt: skip

    def cpu(self) -> float:
        """CPU seconds of this process (all its threads), over every session of the run: on a machine
        shared with other work the wall-clock time grows, this does not (much)."""
        return self.cpu_before + time.process_time() - self.cpu_begun

    def elapsed(self) -> float:
        """Seconds of training so far, over every session of the run."""
        return self.before + time.monotonic() - self.begun

    def update(self, step: int, loss: float) -> None:
        self.loss_avg = loss if self.loss_avg is None else 0.98 * self.loss_avg + 0.02 * loss
        if self.bar is not None:
            self.bar.set_postfix_str(f"loss {self.loss_avg:.3f}", refresh=False)
            self.bar.update(step - self.bar.n)
            if step >= self.total:
                self.bar.close()

    def line(self, message: str) -> None:
        """A message on its own line (the bar redrawn below it), also appended to the log file."""
        tqdm.write(message, file=sys.stderr)
        self.log_file.parent.mkdir(parents=True, exist_ok=True)
        with self.log_file.open("a", encoding="utf-8") as f:
            f.write(f"{time.strftime('%Y-%m-%d %H:%M:%S')} {message}\n")
