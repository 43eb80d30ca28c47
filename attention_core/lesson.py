"""The guided lesson: attention → self-attention → temperature → multi-head → the dimension example → a
trained model's real heads, each step with a question the learner answers *before* the answer is shown.

Every answer is read off the numbers the live core computes for the class's own sentence — the argmax of
a pattern row, the shape of ``concat``, the change of entropy — never written down in advance. The page
(pages/lesson.py) and the offline file (attention_core/viz/lesson_html.py) both draw this one lesson.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np

from attention_core.attention import AttentionTrace
from attention_core.config import AttentionConfig
from attention_core.heads import is_punctuation
from attention_core.limits import model_max_tokens
from attention_core.models.base import Model
from attention_core.presets import SEED_EXAMPLE
from attention_core.teaching import TeachingTrace, run_teaching
from attention_core.tokenizer import SentencePieceTokenizer

SOURCE = "고양이가 창가에서 잠을 잤다."  # step 1's second sentence: the keys and values come from it
COOL, HOT = 1.0, 3.0  # the temperatures the temperature question compares
FOCUS_WORDS = (
    "it",
    "its",
    "그것",
    "그것은",
    "그것이",
    "그는",
    "그녀는",
    "그",
)  # a pronoun, when the sentence has one
STEPS = ("attention", "self", "temperature", "multi", "dimensions", "real")


@dataclass(frozen=True)
class Question:
    """What the learner is asked, the options they pick from, and the right one (from the trace).

    ``kind`` says what the options are: ``token`` (tokens of the sentence, by position), ``shape``
    (matrix shapes such as "2 × 24") or ``word`` (keys of the string table: "lesson.flatter" …).
    ``values`` fill the question's text (``lesson.<step>.q``) and the reveal's (``lesson.<step>.a``)."""

    kind: str
    options: tuple[str, ...]
    answer: int  # index into options
    values: dict[str, object]


@dataclass(frozen=True)
class Step:
    """One screen of the lesson: the traces its figures draw, the head they show, and its question."""

    name: str  # one of STEPS: its texts are lesson.<name>.title, .text, .q and .a in the string table
    question: Question
    traces: tuple[AttentionTrace, ...]  # what its figures show (two for the temperature step)
    queries: tuple[str, ...]  # token labels on the query axis
    keys: tuple[str, ...]  # token labels on the key axis
    head: int  # the head the question is about (-1: the figure shows every head)
    layer: int | None = None  # the layer, on a trained model


@dataclass(frozen=True)
class Lesson:
    sentence: str
    model: str
    steps: tuple[Step, ...]


def focus_token(labels: tuple[str, ...]) -> int:
    """The token the questions are about: a pronoun ("it", "그것") if the sentence has one (the source
    text's long-range example), else its last word that is not punctuation or a special token."""
    words = [label.lstrip("▁Ġ ").lower() for label in labels]
    for i, word in enumerate(words):
        if word in FOCUS_WORDS:
            return i
    content = [i for i, label in enumerate(labels) if not is_punctuation(label) and not label.startswith("<")]
    return content[-1] if content else len(labels) - 1


def argmax_question(trace: AttentionTrace, head: int, query: int, queries, keys) -> Question:
    """ "Which key will ``query`` attend to most in ``head``?": the options are the keys the query may
    see; the answer is the largest weight of its pattern row."""
    row = trace.pattern[head, query]  # [key_pos]
    allowed = np.flatnonzero(trace.mask[query])  # [allowed]  the keys this query may attend to
    best = int(np.argmax(row))
    options = tuple(f"{j} · {keys[j]}" for j in allowed)
    answer = int(np.flatnonzero(allowed == best)[0])
    values = {
        "query": f"{query} · {queries[query]}",
        "head": head,
        "target": options[answer],
        "weight": float(row[best]),
    }
    return Question("token", options, answer, values)


def shape_text(shape: tuple[int, ...]) -> str:
    return " × ".join(str(s) for s in shape)


def shape_question(answer: tuple[int, ...], wrong: list[tuple[int, ...]], values: dict) -> Question:
    """A choice among shapes: the shape the trace has, and plausible wrong ones (duplicates dropped),
    listed smallest first so the order gives nothing away."""
    shapes = sorted({answer, *wrong}, key=lambda s: (int(np.prod(s)), s))
    options = tuple(shape_text(s) for s in shapes)
    return Question("shape", options, shapes.index(answer), {**values, "shape": shape_text(answer)})


def mean_entropy(pattern: np.ndarray) -> float:
    """Mean over heads and rows of H = −Σ_j p_j log₂ p_j, in bits (0 · log 0 = 0)."""
    logs = np.log2(pattern, out=np.zeros_like(pattern), where=pattern > 0)  # [head, q, k]
    return float(-(pattern * logs).sum(axis=-1).mean())


def temperature_question(cool: AttentionTrace, hot: AttentionTrace) -> Question:
    """ "What happens to the pattern when the temperature goes up?": flatter, sharper or unchanged, by
    the mean entropy of the rows at the two temperatures."""
    h_cool, h_hot = mean_entropy(cool.pattern), mean_entropy(hot.pattern)
    change = "flatter" if h_hot > h_cool + 1e-9 else "sharper" if h_hot < h_cool - 1e-9 else "same"
    options = ("sharper", "flatter", "same")
    return Question(
        "word", tuple(f"lesson.{o}" for o in options), options.index(change),
        {"cool": COOL, "hot": HOT, "h_cool": h_cool, "h_hot": h_hot},
    )  # fmt: skip


def teaching_steps(tokenizer: SentencePieceTokenizer, sentence: str, config: AttentionConfig) -> list[Step]:
    """Steps 1–5 on the teaching layer with ``config``'s sizes and seed."""
    plain = dataclasses.replace(config, causal=False, temperature=COOL)
    steps = []

    cross = run_teaching(tokenizer, sentence, plain, SOURCE)
    queries, keys = cross.tokens.labels, cross.tokens_kv.labels
    query = focus_token(queries)
    question = argmax_question(cross.trace, 0, query, queries, keys)
    question = dataclasses.replace(question, values={**question.values, "source": SOURCE})
    steps.append(Step("attention", question, (cross.trace,), queries, keys, 0))

    own = run_teaching(tokenizer, sentence, plain)
    labels = own.tokens.labels
    question = argmax_question(own.trace, 0, focus_token(labels), labels, labels)
    steps.append(Step("self", question, (own.trace,), labels, labels, 0))

    hot = run_teaching(tokenizer, sentence, dataclasses.replace(plain, temperature=HOT))
    question = temperature_question(own.trace, hot.trace)
    steps.append(Step("temperature", question, (own.trace, hot.trace), labels, labels, 0))

    n, h, d_v, d_model = len(labels), config.n_heads, config.d_v, config.d_model
    question = shape_question(
        own.trace.concat.shape, [(n, d_v), (h, n * d_v), (n, d_model), (h * d_v, n)],
        {"n": n, "h": h, "d_v": d_v},
    )  # fmt: skip
    steps.append(Step("multi", question, (own.trace,), labels, labels, -1))

    seed = run_teaching(tokenizer, SEED_EXAMPLE.sentence, SEED_EXAMPLE.config)
    steps.append(seed_step(seed))
    return steps


def seed_step(seed: TeachingTrace) -> Step:
    """The source text's example: 2 tokens, d_model 4, 3 heads, d_v 8. What shape is W_O?"""
    c, n = seed.config, len(seed.tokens)
    hd = c.n_heads * c.d_v
    question = shape_question(
        seed.trace.weights.W_O.shape, [(c.d_model, hd), (c.d_v, c.d_model), (c.d_model, c.d_model)],
        {"n": n, "d_model": c.d_model, "h": c.n_heads, "d_v": c.d_v, "hd": hd,
         "out": shape_text(seed.trace.out.shape)},
    )  # fmt: skip
    labels = seed.tokens.labels
    return Step("dimensions", question, (seed.trace,), labels, labels, -1)


def real_step(model: Model, sentence: str) -> Step:
    """A trained model's heads on the sentence. The head asked about is the one whose focus token looks
    furthest away: the most weight on a key that is neither the token itself nor the one before it."""
    c = model.config
    trace = model.run(model.tokenize(sentence, model_max_tokens(c.n_layers, c.n_heads, c.n_ctx)))
    labels = trace.tokens.labels
    query = focus_token(labels)
    far = trace.pattern[:, :, query, : max(query - 1, 0)]  # [layer, head, key]  keys before i − 1
    if far.shape[-1] == 0:
        far = trace.pattern[:, :, query, :]  # [layer, head, key]  a sentence too short: any key
    layer, head = np.unravel_index(int(np.argmax(far.max(axis=-1))), far.shape[:2])
    layer_trace = trace.layers[int(layer)]
    question = argmax_question(layer_trace, int(head), query, labels, labels)
    question = dataclasses.replace(question, values={**question.values, "layer": int(layer)})
    return Step("real", question, (layer_trace,), labels, labels, int(head), int(layer))


def build_lesson(
    tokenizer: SentencePieceTokenizer, model: Model, sentence: str, config: AttentionConfig | None = None
) -> Lesson:
    """The whole lesson for ``sentence`` (raises InputError for an empty one, ConfigError for sizes
    beyond the limits, like every page)."""
    config = config or AttentionConfig()
    steps = [*teaching_steps(tokenizer, sentence, config), real_step(model, sentence)]
    return Lesson(sentence, model.name, tuple(steps))
