"""The induction phase change: finding it in a run's probe log, and choosing the snapshots around it.

Every few dozen steps training runs a small probe (:func:`attention_core.train.evaluate.induction_probe`):
the best head's induction score on repeated random pieces, and the loss on the first copy and on the
repeat. Induction heads form suddenly: the score sits near 0 for a long time, then climbs within a few
hundred steps, while the loss on the repeat falls far below the loss on the first copy. We call

* ``before`` the score's level at the start (the mean of the first probes), ``after`` its level at the end
  (the mean of the last probes), and the *rise* ``after - before``;
* ``middle`` the step where the smoothed score climbs fastest, and ``start`` … ``end`` the stretch around
  it where it climbs at least a quarter as fast: the steep part of the change (after it the score may
  still creep up slowly for thousands of steps; that is not the change).

Snapshots (which the app can show) are then placed evenly from a little before ``start`` to a little
after ``end``, so the ``/training`` slider walks through the change.
"""

from __future__ import annotations

import numpy as np

SMOOTH = 5  # probes averaged before the slope is taken
LEVEL_PROBES = 5  # probes averaged for the levels before and after
MIN_RISE = 0.15  # a smaller rise of the induction score is not called a phase change


def smoothed(values: np.ndarray, window: int = SMOOTH) -> np.ndarray:
    """Centred moving average (shorter at the ends). Returns [len(values)]."""
    kernel = np.ones(window)  # [window]
    totals = np.convolve(values, kernel, mode="same")  # [n]
    counts = np.convolve(np.ones_like(values), kernel, mode="same")  # [n]
    return totals / counts


def phase_change(probe: list[list[float]]) -> dict | None:
    """From probe rows ``[step, best induction score, layer, head, loss first copy, loss repeat]``: the
    levels and the 10% / 50% / 90% steps of the induction score's rise, or None when it did not rise."""
    if len(probe) < 2 * LEVEL_PROBES:
        return None
    rows = np.asarray(probe, dtype=np.float64)  # [probes, 6]
    steps, score = rows[:, 0], smoothed(rows[:, 1])  # [probes], [probes]
    before = float(rows[:LEVEL_PROBES, 1].mean())
    after = float(rows[-LEVEL_PROBES:, 1].mean())
    rise = after - before
    if rise < MIN_RISE:
        return None

    slope = np.gradient(score, steps)  # [probes]  score per step
    peak = int(np.argmax(slope))
    steep = slope >= slope[peak] / 4  # [probes]
    first = peak - int(np.argmin(steep[peak::-1])) + 1 if not steep[: peak + 1].all() else 0
    stop = peak + int(np.argmin(steep[peak:])) - 1 if not steep[peak:].all() else len(steps) - 1

    last = rows[-1]
    return {
        "start": int(steps[first]),
        "middle": int(steps[peak]),
        "end": int(steps[stop]),
        "score_before": round(before, 4),
        "score_after": round(after, 4),
        "head": [int(last[2]), int(last[3])],
        "loss_ratio_after": round(float(rows[-LEVEL_PROBES:, 5].mean() / rows[-LEVEL_PROBES:, 4].mean()), 4),
    }


def steps_around(phase: dict, candidates: list[int], count: int) -> list[int]:
    """``count`` candidate steps spread evenly from before ``start`` to after ``end`` (half the change's
    width on each side, at least 100 steps), the nearest candidate to each target."""
    width = max(phase["end"] - phase["start"], 100)
    targets = np.linspace(phase["start"] - width / 2, phase["end"] + width / 2, count)  # [count]
    available = np.asarray(sorted(candidates))  # [candidates]
    if len(available) == 0:
        return []
    nearest = {int(available[np.argmin(np.abs(available - t))]) for t in targets}
    return sorted(nearest)
