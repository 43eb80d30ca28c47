r"""Interventions: switch heads off (ablation) or block one token's attention to another (knockout), run
the model again through the one model stack, and compare what it outputs before and after.

Zero-ablation of head h in layer l sets that head's ``z`` to 0 before ``concat @ W_O`` (``b_O`` stays);
mean-ablation replaces it by its mean over :data:`REFERENCE_TEXT`:

.. math::
    \bar z_{l,h} = \frac{1}{N} \sum_{s} \sum_{i=0}^{n_s - 1} z_{l,h}(s)_i, \qquad N = \textstyle\sum_s n_s

(s runs over the lines of the reference text, each run on its own; n_s tokens in line s). The effect of an
intervention is KL(before ‖ after) of the next-token distributions at the chosen position (a language
model) or 1 − cos of the sentence embeddings (an encoder): see ``attention_core/predict.py``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from attention_core.limits import model_max_tokens
from attention_core.models.base import Model
from attention_core.models.edit import LayerEdit
from attention_core.models.trace import ModelTrace
from attention_core.predict import ModelOutput, check_position, effect, output_of_trace
from attention_core.tokens import InputError, Tokens

# The reference text of mean-ablation: everyday English and Korean, none of it a built-in example
# sentence. Each line runs on its own; z is averaged over every token of every line.
REFERENCE_TEXT = """\
A library is a quiet place where people read, study and borrow books.
Every morning the baker opens the shop before the sun comes up.
The train to the city leaves at seven and arrives an hour later.
Rain fell all night, and in the morning the streets were wet and empty.
My sister wrote a long letter to her friend who lives abroad.
우리 동네에는 작은 공원이 있어서 아이들이 자주 뛰어논다.
그는 아침마다 커피를 마시며 신문을 읽는다.
봄이 오면 산에 꽃이 피고 새들이 노래한다.
회의는 오후 세 시에 시작해서 한 시간 동안 계속되었다.
"""

Head = tuple[int, int]  # (layer, head)
HEAD_NAME = re.compile(r"([0-9]+)\.([0-9]+)")  # "L.H", as in the URL (ablate=2.5,4.0) and the CLI (--heads)


def check_heads(heads: Iterable[Head], n_layers: int, n_heads: int) -> tuple[Head, ...]:
    """The heads, sorted, each once; InputError for an empty set or a head the model does not have."""
    chosen = sorted({(int(l), int(h)) for l, h in heads})
    if not chosen:
        raise InputError("no heads chosen: name at least one head to switch off, as layer.head (e.g. 0.3)")
    for l, h in chosen:
        if not (0 <= l < n_layers and 0 <= h < n_heads):
            raise InputError(
                f"head {l}.{h} does not exist: this model has layers 0 .. {n_layers - 1} and heads "
                f"0 .. {n_heads - 1}"
            )
    return tuple(chosen)


def parse_heads(text: str, n_layers: int, n_heads: int) -> tuple[Head, ...]:
    """Heads written as ``"2.5,4.0"`` (layer.head, comma-separated, spaces allowed) → ((2, 5), (4, 0)).
    InputError, with the offending name, for anything else."""
    names = [name.strip() for name in text.split(",")] if text.strip() else []
    heads = []
    for name in names:
        match = HEAD_NAME.fullmatch(name)
        if match is None:
            shown = name if len(name) <= 20 else name[:20] + "…"
            raise InputError(f"{shown!r} is not a head name: write layer.head, e.g. 0.3 or 2.5,4.0")
        heads.append((int(match[1]), int(match[2])))
    return check_heads(heads, n_layers, n_heads)


def reference_means(model: Model) -> np.ndarray:
    """Every head's mean ``z`` over :data:`REFERENCE_TEXT` (formula above). Returns [layer, head, d_v]."""
    c = model.config
    total = np.zeros((c.n_layers, c.n_heads, c.d_v))  # [layer, head, d_v]  float64
    count = 0
    for line in REFERENCE_TEXT.splitlines():
        trace = model.run(model.tokenize(line, model_max_tokens(c.n_layers, c.n_heads, c.n_ctx)))
        for l in range(c.n_layers):
            total[l] += trace.layers[l].z.sum(axis=-2)  # [head, d_v]  summed over positions
        count += len(trace.tokens)
    return total / count  # [layer, head, d_v]


def ablation_edits(
    heads: Iterable[Head], n_heads: int, means: np.ndarray | None = None
) -> dict[int, LayerEdit]:
    """The edits switching ``heads`` off: layer → LayerEdit with ``off`` bool [head]; zero-ablation, or
    mean-ablation with ``means`` [layer, head, d_v] from :func:`reference_means`."""
    heads = set(heads)
    edits = {}
    for l in sorted({l for l, _ in heads}):
        off = np.array([(l, h) in heads for h in range(n_heads)])  # [head]
        edits[l] = LayerEdit(off=off, z_off=None if means is None else means[l])
    return edits


@dataclass(frozen=True)
class InterventionResult:
    """A run with an intervention next to the run without: outputs, effect, both traces."""

    before: ModelOutput
    after: ModelOutput
    effect: float  # KL(before ‖ after) in nats (language model), 1 − cos (encoder)
    clean: ModelTrace  # the run without the intervention
    trace: ModelTrace  # the run with it: later layers' patterns, hidden states, logits all changed


def compare(
    model: Model, clean: ModelTrace, edits: dict[int, LayerEdit], position: int | None
) -> InterventionResult:
    """Run ``clean``'s tokens again with ``edits`` and compare the two outputs."""
    trace = model.run(clean.tokens, edits)
    before = output_of_trace(model, clean, position)
    after = output_of_trace(model, trace, position)
    return InterventionResult(before, after, effect(before, after), clean, trace)


def ablate(
    model: Model,
    tokens: Tokens,
    heads: Iterable[Head],
    means: np.ndarray | None = None,
    position: int | None = None,
    clean: ModelTrace | None = None,
) -> InterventionResult:
    """Switch ``heads`` ((layer, head) pairs, any layers) off together: zero-ablation, or mean-ablation
    with ``means`` [layer, head, d_v] (:func:`reference_means`). ``position``: whose next-token
    prediction to compare (language models; default the last token). ``clean``: the run without, if
    already at hand."""
    c = model.config
    heads = check_heads(heads, c.n_layers, c.n_heads)
    clean = clean if clean is not None else model.run(tokens)
    return compare(model, clean, ablation_edits(heads, c.n_heads, means), position)


def knockout(
    model: Model,
    tokens: Tokens,
    query: int,
    key: int,
    layer: int | None = None,
    head: int | None = None,
    position: int | None = None,
    clean: ModelTrace | None = None,
) -> InterventionResult:
    """Block the attention of token ``query`` to token ``key`` (take (query, key) out of the mask): in one
    head (``layer`` and ``head`` given), in every head of one layer (``layer`` only), or in every layer
    (neither). The softmax of that row spreads over its other keys; a row left with none gives zeros."""
    c, n = model.config, len(tokens)
    check_position(query, n)
    check_position(key, n)
    if c.causal and key > query:
        raise InputError(f"token {query} cannot attend to the later token {key} in a causal model anyway")
    if head is not None and layer is None:
        raise InputError("a head is named by its layer too: give layer and head, or only a layer")
    if layer is not None and not 0 <= layer < c.n_layers:
        raise InputError(f"layer {layer} does not exist: this model has layers 0 .. {c.n_layers - 1}")
    if head is not None and not 0 <= head < c.n_heads:
        raise InputError(f"head {head} does not exist: this model has heads 0 .. {c.n_heads - 1}")
    if head is None:
        blocked = np.zeros((n, n), dtype=bool)  # [query_pos, key_pos]  in every head
        blocked[query, key] = True
    else:
        blocked = np.zeros((c.n_heads, n, n), dtype=bool)  # [head, query_pos, key_pos]  in one head
        blocked[head, query, key] = True
    layers = range(c.n_layers) if layer is None else [layer]
    clean = clean if clean is not None else model.run(tokens)
    return compare(model, clean, {l: LayerEdit(blocked=blocked) for l in layers}, position)
