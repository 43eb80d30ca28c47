"""The public API, part 2: what a model's heads do. Thin wrappers over the core's own functions (the ones
the pages and the command line call), taking a model and a text (or a trace of it):

    m = ac.load_model("ko-en-lm"); mt = m.trace("The cat sat on the mat.")
    ac.head_metrics(mt).to_previous      # [layer, head]  the atlas's scores on this sentence
    ac.atlas_metrics(m).to_previous      # [layer, head]  averaged over the built-in sentences
    ac.predictions(m, mt)                # the 10 likeliest next tokens (a language model)
    ac.ablate(m, mt, "0.2,1.3")          # switch heads off: .before, .after, .effect, .trace
    ac.knockout(m, mt, query=5, key=4)   # take one query → key pair out of the mask
    ac.rank_heads(m, mt)                 # [layer, head]  each head switched off alone
    ac.attention_rollout(mt)             # [pos, pos]  attention through every layer
    ac.attention_flow(mt)                # [pos, pos]  the same, as a maximum flow

The formulas are in the modules named in each docstring; docs/interventions.md explains every number.
No function here is named like a module of the package (atlas, rollout, models): ``from attention_core
import rollout`` stays the module.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from attention_core import atlas as _atlas
from attention_core import head_ranking, interventions, predict
from attention_core import rollout as _rollout
from attention_core.heads import HeadMetrics
from attention_core.models.base import Model
from attention_core.models.trace import ModelTrace

TextOrTrace = str | ModelTrace  # a text is run first; a trace of it is reused as the clean run


def _run(model: Model, text: TextOrTrace) -> ModelTrace:
    return model.trace(text) if isinstance(text, str) else text


def _heads(model: Model, heads: str | Iterable[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    c = model.config
    if isinstance(heads, str):
        return interventions.parse_heads(heads, c.n_layers, c.n_heads)  # "L.H,L.H"
    return interventions.check_heads(heads, c.n_layers, c.n_heads)


def _means(model: Model, mean: bool) -> np.ndarray | None:
    return interventions.reference_means(model) if mean else None  # [layer, head, d_v]


def head_metrics(mt: ModelTrace) -> HeadMetrics:
    """Every head's scores on one run (``heads.py``: entropy, distance, to_previous, to_self, to_first,
    …), each field [layer, head], with ``.baseline`` the same scores for uniform attention."""
    return _atlas.sentence_metrics(mt)


def atlas_metrics(model: Model) -> HeadMetrics:
    """:func:`head_metrics` averaged over the atlas's built-in English and Korean sentences."""
    return _atlas.builtin_metrics(model)


def predictions(
    model: Model, text: TextOrTrace, k: int = predict.TOP_K, position: int | None = None
) -> list[predict.Prediction]:
    """A language model's ``k`` likeliest next tokens after ``position`` (default the last token):
    softmax(logits[position]), most probable first."""
    output = predict.output_of_trace(model, _run(model, text), position)
    return predict.top_predictions(model, output, k)


def ablate(
    model: Model,
    text: TextOrTrace,
    heads: str | Iterable[tuple[int, int]],
    mean: bool = False,
    position: int | None = None,
) -> interventions.InterventionResult:
    """Switch ``heads`` off together ("2.5,4.0" or [(2, 5), (4, 0)]): their ``z`` set to 0, or with
    ``mean`` to its mean over ``interventions.REFERENCE_TEXT``. ``.effect``: KL(before ‖ after) of the
    next-token distributions at ``position`` (nats), or 1 − cos of an encoder's sentence embeddings."""
    clean = _run(model, text)
    chosen = _heads(model, heads)
    return interventions.ablate(model, clean.tokens, chosen, _means(model, mean), position, clean)


def knockout(
    model: Model,
    text: TextOrTrace,
    query: int,
    key: int,
    layer: int | None = None,
    head: int | None = None,
    position: int | None = None,
) -> interventions.InterventionResult:
    """Token ``query`` may no longer attend to token ``key``: in one head (``layer`` and ``head``), one
    layer (``layer``) or every layer (neither); the softmax of that row spreads over its other keys."""
    clean = _run(model, text)
    return interventions.knockout(model, clean.tokens, query, key, layer, head, position, clean)


def rank_heads(
    model: Model, text: TextOrTrace, mean: bool = False, position: int | None = None
) -> np.ndarray:
    """The effect of switching each head off alone (as :func:`ablate`). Returns float64 [layer, head];
    ``head_ranking.ranked(effects)`` lists (layer, head, effect), largest first."""
    clean = _run(model, text)
    return head_ranking.rank_heads(model, clean.tokens, _means(model, mean), position, clean)


def attention_rollout(mt: ModelTrace) -> np.ndarray:
    """Attention rollout R = Ã_{L−1} ⋯ Ã_0, Ã_l = rownorm(½ mean_h pattern_l + ½ I) (``rollout.py``).
    Returns float64 [pos, pos]: row i is what output position i draws on; rows sum to 1."""
    return _rollout.attention_rollout(mt.pattern)


def attention_flow(mt: ModelTrace, rows: list[int] | None = None) -> np.ndarray:
    """Attention flow: the maximum flow from output i to input j through the layers (``rollout.py``).
    Returns float64 [pos, pos]; refused (InputError) beyond ``limits.MAX_FLOW_WORK``."""
    return _rollout.attention_flow(mt.pattern, rows)
