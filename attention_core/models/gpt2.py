r"""GPT-2-style folders: their key table, read into the one pre-LN decoder (``decoder.py``): causal,
tanh GELU, learned positions, unembedding tied to the embedding.

Checkpoint keys follow transformers' ``GPT2Model``. GPT-2's ``Conv1D`` stores weights as [in, out]
(``x @ W + b``), so nothing is transposed; ``c_attn`` holds W_Q, W_K and W_V side by side.
"""

from __future__ import annotations

import numpy as np

from attention_core.models.base import ModelError, TextTokenizer
from attention_core.models.checkpoint import (
    Checkpoint,
    check_keys,
    config_eps,
    config_sizes,
    frozen,
    key_prefix,
    per_head_biases,
    per_head_weights,
)
from attention_core.models.config import ModelConfig
from attention_core.models.decoder import Decoder, DecoderBlock, DecoderWeights
from attention_core.models.layers import MLP, LayerNorm
from attention_core.weights import AttentionWeights

EMBEDDING_KEYS = {  # our name: checkpoint key
    "W_E": "wte.weight",  # [d_vocab, d_model]  also the unembedding (tied)
    "W_pos": "wpe.weight",  # [n_ctx, d_model]
    "ln_f_w": "ln_f.weight",  # [d_model]
    "ln_f_b": "ln_f.bias",  # [d_model]
}
BLOCK_KEYS = {  # our name: checkpoint key of block {i}; Conv1D weights are [in, out]
    "ln1_w": "h.{i}.ln_1.weight",  # [d_model]
    "ln1_b": "h.{i}.ln_1.bias",  # [d_model]
    "W_QKV": "h.{i}.attn.c_attn.weight",  # [d_model, 3 * d_model]  q | k | v, each [head * d_head]
    "b_QKV": "h.{i}.attn.c_attn.bias",  # [3 * d_model]
    "W_O": "h.{i}.attn.c_proj.weight",  # [head * d_v, d_model]
    "b_O": "h.{i}.attn.c_proj.bias",  # [d_model]
    "ln2_w": "h.{i}.ln_2.weight",  # [d_model]
    "ln2_b": "h.{i}.ln_2.bias",  # [d_model]
    "W_in": "h.{i}.mlp.c_fc.weight",  # [d_model, d_mlp]
    "b_in": "h.{i}.mlp.c_fc.bias",  # [d_mlp]
    "W_out": "h.{i}.mlp.c_proj.weight",  # [d_mlp, d_model]
    "b_out": "h.{i}.mlp.c_proj.bias",  # [d_model]
}
# In some checkpoints but not weights: the causal-mask buffers of older transformers versions, and the
# language-model head, which is the embedding itself (tie_word_embeddings).
SKIPPED = (r"(transformer\.)?h\.\d+\.attn\.(bias|masked_bias)", r"lm_head\.weight")
PREFIXES = ("transformer.", "")  # GPT2LMHeadModel saves "transformer.h.0..."; GPT2Model bare keys
TANH_NAMES = ("gelu_new", "gelu_pytorch_tanh")  # transformers' two names for the tanh approximation
CONFIG_KEYS = {  # our name: GPT-2 config.json's name
    "d_model": "n_embd",
    "n_heads": "n_head",
    "n_layers": "n_layer",
    "n_ctx": "n_positions",
    "d_vocab": "vocab_size",
}


def gpt2_config(name: str, hf: dict) -> ModelConfig:
    """Our config from a GPT-2 ``config.json``; refuses settings this decoder does not implement."""
    unsupported = {
        "activation_function": hf.get("activation_function", "gelu_new") not in TANH_NAMES,
        "scale_attn_weights": not hf.get("scale_attn_weights", True),
        "scale_attn_by_inverse_layer_idx": hf.get("scale_attn_by_inverse_layer_idx", False),
        "add_cross_attention": hf.get("add_cross_attention", False),
        "tie_word_embeddings": not hf.get("tie_word_embeddings", True),
    }
    for setting, refused in unsupported.items():
        if refused:
            raise ModelError(
                f"{name}: config.json sets {setting} = {hf.get(setting)!r}, which is not supported"
            )
    sizes = config_sizes(name, hf, CONFIG_KEYS)
    if sizes["d_model"] % sizes["n_heads"]:
        raise ModelError(f"{name}: n_embd {sizes['d_model']} is not divisible by {sizes['n_heads']} heads")
    d_head = sizes["d_model"] // sizes["n_heads"]
    d_mlp = 4 * sizes["d_model"]  # what n_inner = None means
    if hf.get("n_inner") is not None:
        d_mlp = config_sizes(name, hf, {"d_mlp": "n_inner"})["d_mlp"]
    eps = config_eps(name, hf, "layer_norm_epsilon", 1e-5)
    return ModelConfig(
        name=name, family="gpt2", d_k=d_head, d_v=d_head, causal=True, d_mlp=d_mlp, ln_eps=eps,
        positions="learned", activation="gelu_tanh", **sizes,
    )  # fmt: skip


def expected_shapes(config: ModelConfig, prefix: str) -> dict[str, tuple[int, ...]]:
    """Every checkpoint key this decoder reads, with the shape the config implies."""
    d, mlp = config.d_model, config.d_mlp
    embedding = {"W_E": (config.d_vocab, d), "W_pos": (config.n_ctx, d), "ln_f_w": (d,), "ln_f_b": (d,)}
    block = {"W_QKV": (d, 3 * d), "b_QKV": (3 * d,), "W_O": (d, d), "b_O": (d,)}
    block |= {"W_in": (d, mlp), "b_in": (mlp,), "W_out": (mlp, d), "b_out": (d,)}
    block |= {name: (d,) for name in ("ln1_w", "ln1_b", "ln2_w", "ln2_b")}
    shapes = {prefix + EMBEDDING_KEYS[name]: shape for name, shape in embedding.items()}
    for i in range(config.n_layers):
        shapes |= {prefix + BLOCK_KEYS[name].format(i=i): shape for name, shape in block.items()}
    return shapes


def gpt2_block(config: ModelConfig, tensors: Checkpoint, prefix: str, i: int) -> DecoderBlock:
    """Block ``i``'s weights, c_attn split into per-head W_Q, W_K, W_V."""

    def tensor(name: str) -> np.ndarray:
        return tensors[prefix + BLOCK_KEYS[name].format(i=i)]

    h = config.n_heads
    W_q, W_k, W_v = np.split(tensor("W_QKV"), 3, axis=1)  # 3 × [d_model, head * d_head]
    b_q, b_k, b_v = np.split(tensor("b_QKV"), 3)  # 3 × [head * d_head]
    attention = AttentionWeights(
        W_Q=per_head_weights(W_q, h),  # [head, d_model, d_k]
        W_K=per_head_weights(W_k, h),  # [head, d_model, d_k]
        W_V=per_head_weights(W_v, h),  # [head, d_model, d_v]
        W_O=frozen(tensor("W_O")),  # [head * d_v, d_model]
        b_Q=per_head_biases(b_q, h),  # [head, d_k]
        b_K=per_head_biases(b_k, h),  # [head, d_k]
        b_V=per_head_biases(b_v, h),  # [head, d_v]
        b_O=frozen(tensor("b_O")),  # [d_model]
    )
    mlp = MLP(
        W_in=frozen(tensor("W_in")),  # [d_model, d_mlp]
        b_in=frozen(tensor("b_in")),  # [d_mlp]
        W_out=frozen(tensor("W_out")),  # [d_mlp, d_model]
        b_out=frozen(tensor("b_out")),  # [d_model]
        activation=config.activation,
    )
    ln1 = LayerNorm(frozen(tensor("ln1_w")), frozen(tensor("ln1_b")), config.ln_eps)
    ln2 = LayerNorm(frozen(tensor("ln2_w")), frozen(tensor("ln2_b")), config.ln_eps)
    return DecoderBlock(ln1, attention, ln2, mlp)


def load_gpt2(name: str, hf_config: dict, tensors: Checkpoint, tokenizer: TextTokenizer) -> Decoder:
    """A GPT-2 folder's weights (checked against its config before any is read) as a Decoder."""
    config = gpt2_config(name, hf_config)
    prefix = key_prefix(tensors, EMBEDDING_KEYS["W_E"], PREFIXES)
    check_keys(tensors, expected_shapes(config, prefix), SKIPPED)

    def tensor(name: str) -> np.ndarray:
        return tensors[prefix + EMBEDDING_KEYS[name]]

    weights = DecoderWeights(
        W_E=frozen(tensor("W_E")),  # [d_vocab, d_model]
        W_pos=frozen(tensor("W_pos")),  # [n_ctx, d_model]
        blocks=tuple(gpt2_block(config, tensors, prefix, i) for i in range(config.n_layers)),
        ln_f=LayerNorm(frozen(tensor("ln_f_w")), frozen(tensor("ln_f_b")), config.ln_eps),
    )
    return Decoder(config, tokenizer, weights)
