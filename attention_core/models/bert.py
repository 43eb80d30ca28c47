r"""A BERT-style encoder in NumPy (all-MiniLM-L6-v2 and the like): bidirectional, post-LayerNorm.

.. math::
    x_0 = \mathrm{LN}(W_E[\mathrm{ids}] + W_{pos}[0..n-1] + W_{type}[0])

    x' = \mathrm{LN}_1(x + \mathrm{MultiHead}(x)), \qquad
    x_{\mathrm{next}} = \mathrm{LN}_2(x' + \mathrm{MLP}_{\mathrm{GELU}}(x'))

Checkpoint keys follow transformers' ``BertModel``; ``nn.Linear`` stores its weight as [out, in], so every
matrix is transposed on loading to multiply on the right (``x @ W``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from attention_core.attention import AttentionTrace, multi_head_attention
from attention_core.models.base import Model, ModelError, TextTokenizer
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
from attention_core.models.edit import Edits, LayerEdit, edited_attention, edited_mask
from attention_core.models.layers import MLP, LayerNorm
from attention_core.models.trace import LayerTraces, ModelTrace
from attention_core.tokens import Tokens
from attention_core.weights import AttentionWeights

EMBEDDING_KEYS = {  # our name: checkpoint key
    "W_E": "embeddings.word_embeddings.weight",  # [d_vocab, d_model]
    "W_pos": "embeddings.position_embeddings.weight",  # [n_ctx, d_model]
    "W_type": "embeddings.token_type_embeddings.weight",  # [n_types, d_model]
    "ln_w": "embeddings.LayerNorm.weight",  # [d_model]
    "ln_b": "embeddings.LayerNorm.bias",  # [d_model]
}
BLOCK_KEYS = {  # our name: checkpoint key of block {i}; every W is nn.Linear's [out, in]
    "W_Q": "encoder.layer.{i}.attention.self.query.weight",  # [head * d_k, d_model]
    "b_Q": "encoder.layer.{i}.attention.self.query.bias",  # [head * d_k]
    "W_K": "encoder.layer.{i}.attention.self.key.weight",  # [head * d_k, d_model]
    "b_K": "encoder.layer.{i}.attention.self.key.bias",  # [head * d_k]
    "W_V": "encoder.layer.{i}.attention.self.value.weight",  # [head * d_v, d_model]
    "b_V": "encoder.layer.{i}.attention.self.value.bias",  # [head * d_v]
    "W_O": "encoder.layer.{i}.attention.output.dense.weight",  # [d_model, head * d_v]
    "b_O": "encoder.layer.{i}.attention.output.dense.bias",  # [d_model]
    "ln1_w": "encoder.layer.{i}.attention.output.LayerNorm.weight",  # [d_model]
    "ln1_b": "encoder.layer.{i}.attention.output.LayerNorm.bias",  # [d_model]
    "W_in": "encoder.layer.{i}.intermediate.dense.weight",  # [d_mlp, d_model]
    "b_in": "encoder.layer.{i}.intermediate.dense.bias",  # [d_mlp]
    "W_out": "encoder.layer.{i}.output.dense.weight",  # [d_model, d_mlp]
    "b_out": "encoder.layer.{i}.output.dense.bias",  # [d_model]
    "ln2_w": "encoder.layer.{i}.output.LayerNorm.weight",  # [d_model]
    "ln2_b": "encoder.layer.{i}.output.LayerNorm.bias",  # [d_model]
}
# In a checkpoint but not weights of the encoder: a buffer of position numbers, the sentence pooler
# (all-MiniLM-L6-v2 pools by averaging instead) and the heads of masked-LM pre-training.
SKIPPED = (r"(bert\.)?embeddings\.position_ids", r"(bert\.)?pooler\.dense\.(weight|bias)", r"cls\..+")
PREFIXES = ("", "bert.")  # BertModel saves bare keys; BertForMaskedLM and friends put "bert." in front


CONFIG_KEYS = {  # our name: BERT config.json's name
    "d_model": "hidden_size",
    "n_heads": "num_attention_heads",
    "n_layers": "num_hidden_layers",
    "n_ctx": "max_position_embeddings",
    "d_vocab": "vocab_size",
    "d_mlp": "intermediate_size",
}


def bert_config(name: str, hf: dict) -> ModelConfig:
    """Our config from a BERT ``config.json``; refuses settings this encoder does not implement."""
    if hf.get("hidden_act", "gelu") != "gelu":
        raise ModelError(f"{name}: hidden_act {hf['hidden_act']!r} is not supported (only the exact 'gelu')")
    if hf.get("position_embedding_type", "absolute") != "absolute":
        raise ModelError(f"{name}: only absolute position embeddings are supported")
    sizes = config_sizes(name, hf, CONFIG_KEYS)
    if sizes["d_model"] % sizes["n_heads"]:
        raise ModelError(
            f"{name}: hidden_size {sizes['d_model']} is not divisible by {sizes['n_heads']} heads"
        )
    d_head = sizes["d_model"] // sizes["n_heads"]
    eps = config_eps(name, hf, "layer_norm_eps", 1e-12)
    return ModelConfig(
        name=name, family="bert", d_k=d_head, d_v=d_head, causal=False, ln_eps=eps, positions="learned",
        activation="gelu_exact", **sizes,
    )  # fmt: skip


def expected_shapes(config: ModelConfig, n_types: int, prefix: str) -> dict[str, tuple[int, ...]]:
    """Every checkpoint key this encoder reads, with the shape the config implies."""
    d, h, k, v, mlp = config.d_model, config.n_heads, config.d_k, config.d_v, config.d_mlp
    embedding = {"W_E": (config.d_vocab, d), "W_pos": (config.n_ctx, d), "W_type": (n_types, d)}
    embedding |= {"ln_w": (d,), "ln_b": (d,)}
    block = {"W_Q": (h * k, d), "b_Q": (h * k,), "W_K": (h * k, d), "b_K": (h * k,)}
    block |= {"W_V": (h * v, d), "b_V": (h * v,), "W_O": (d, h * v), "b_O": (d,)}
    block |= {"W_in": (mlp, d), "b_in": (mlp,), "W_out": (d, mlp), "b_out": (d,)}
    block |= {name: (d,) for name in ("ln1_w", "ln1_b", "ln2_w", "ln2_b")}
    shapes = {prefix + EMBEDDING_KEYS[name]: shape for name, shape in embedding.items()}
    for i in range(config.n_layers):
        shapes |= {prefix + BLOCK_KEYS[name].format(i=i): shape for name, shape in block.items()}
    return shapes


@dataclass(frozen=True)
class BertBlock:
    attention: AttentionWeights
    ln1: LayerNorm  # after attention + residual
    mlp: MLP
    ln2: LayerNorm  # after MLP + residual


def bert_block(config: ModelConfig, tensors: Checkpoint, prefix: str, i: int) -> BertBlock:
    """Block ``i``'s weights, transposed to [in, out] and split into heads."""

    def tensor(name: str) -> np.ndarray:
        return tensors[prefix + BLOCK_KEYS[name].format(i=i)]

    h = config.n_heads
    attention = AttentionWeights(
        W_Q=per_head_weights(tensor("W_Q").T, h),  # [head, d_model, d_k]
        W_K=per_head_weights(tensor("W_K").T, h),  # [head, d_model, d_k]
        W_V=per_head_weights(tensor("W_V").T, h),  # [head, d_model, d_v]
        W_O=frozen(tensor("W_O").T),  # [head * d_v, d_model]
        b_Q=per_head_biases(tensor("b_Q"), h),  # [head, d_k]
        b_K=per_head_biases(tensor("b_K"), h),  # [head, d_k]
        b_V=per_head_biases(tensor("b_V"), h),  # [head, d_v]
        b_O=frozen(tensor("b_O")),  # [d_model]
    )
    mlp = MLP(
        W_in=frozen(tensor("W_in").T),  # [d_model, d_mlp]
        b_in=frozen(tensor("b_in")),  # [d_mlp]
        W_out=frozen(tensor("W_out").T),  # [d_mlp, d_model]
        b_out=frozen(tensor("b_out")),  # [d_model]
        activation=config.activation,
    )
    ln1 = LayerNorm(frozen(tensor("ln1_w")), frozen(tensor("ln1_b")), config.ln_eps)
    ln2 = LayerNorm(frozen(tensor("ln2_w")), frozen(tensor("ln2_b")), config.ln_eps)
    return BertBlock(attention, ln1, mlp, ln2)


def encoder_block(
    block: BertBlock, x: np.ndarray, edit: LayerEdit | None = None
) -> tuple[np.ndarray, AttentionTrace]:
    """One post-LN block on x [..., pos, d_model]: attention over the whole sentence (no mask; ``edit``
    applied), add, LN; MLP, add, LN. Returns the new x [..., pos, d_model] and the attention trace."""
    attention = multi_head_attention(x, block.attention, edited_mask(edit, None, x.shape[-2]))
    attention = edited_attention(attention, edit)
    x = block.ln1(x + attention.out)  # [..., pos, d_model]
    x = block.ln2(x + block.mlp(x))  # [..., pos, d_model]
    return x, attention


class Encoder(Model):
    """BERT-style encoder: word + position + token-type embeddings, post-LN blocks, exact GELU."""

    def __init__(
        self,
        config: ModelConfig,
        tokenizer: TextTokenizer,
        W_E: np.ndarray,  # [d_vocab, d_model]
        W_pos: np.ndarray,  # [n_ctx, d_model]
        W_type0: np.ndarray,  # [d_model]  token type 0: every token belongs to the first segment
        ln_embed: LayerNorm,
        blocks: tuple[BertBlock, ...],
    ) -> None:
        self.config, self.tokenizer = config, tokenizer
        self.W_E, self.W_pos, self.W_type0, self.ln_embed, self.blocks = W_E, W_pos, W_type0, ln_embed, blocks

    def attention_weights(self, layer: int) -> AttentionWeights:
        return self.blocks[layer].attention

    def run(self, tokens: Tokens | Sequence[int], edits: Edits | None = None) -> ModelTrace:
        """Embed, then each block: attention over the whole sentence (no mask), add, LN; MLP, add, LN.
        ``edits`` change some layers' attention (``models/edit.py``)."""
        tokens = self.as_tokens(tokens)
        self.check_tokens(tokens)
        ids = tokens.id_array  # [pos]
        x = self.embed(ids)  # [pos, d_model]
        c, n = self.config, len(ids)
        pattern = np.empty((c.n_layers, c.n_heads, n, n), dtype=x.dtype)  # [layer, head, q, k]
        hidden, inputs = [x], []
        edits = edits or {}
        for l, block in enumerate(self.blocks):
            inputs.append(x)
            x, attention = encoder_block(block, x, edits.get(l))  # [pos, d_model]
            pattern[l] = attention.pattern
            del attention  # the rest of its trace (scores, scaled, q, k, v) is recomputed when asked for
            hidden.append(x)
        layers = LayerTraces(inputs, [block.attention for block in self.blocks], None, edits)
        return ModelTrace(self.name, tokens, layers, pattern, np.stack(hidden))  # hidden [layer + 1, pos, d]

    def embed(self, ids: np.ndarray) -> np.ndarray:
        """x₀ = LN(W_E[ids] + W_pos[0 … n−1] + W_type[0]), the input of block 0.
        ids: int [..., pos]; returns [..., pos, d_model]."""
        ids = np.asarray(ids)  # int [..., pos]
        return self.ln_embed(
            self.W_E[ids] + self.W_pos[: ids.shape[-1]] + self.W_type0
        )  # [..., pos, d_model]

    def resume(self, x: np.ndarray, start: int, edits: Edits | None = None) -> np.ndarray:
        """Blocks ``start`` … last from the input of block ``start``, x [..., pos, d_model] (a run's
        ``hidden[start]``; batch axes allowed). Returns the last hidden state [..., pos, d_model]."""
        edits = edits or {}
        for l in range(start, len(self.blocks)):
            x = encoder_block(self.blocks[l], x, edits.get(l))[0]  # [..., pos, d_model]
        return x


def load_bert(name: str, hf_config: dict, tensors: Checkpoint, tokenizer: TextTokenizer) -> Encoder:
    """A BERT folder's weights (checked against its config before any is read) as an Encoder."""
    config = bert_config(name, hf_config)
    prefix = key_prefix(tensors, EMBEDDING_KEYS["W_E"], PREFIXES)
    types = {"type_vocab_size": 2} | hf_config  # BERT's default: two sentence types
    n_types = config_sizes(name, types, {"n_types": "type_vocab_size"})["n_types"]
    check_keys(tensors, expected_shapes(config, n_types, prefix), SKIPPED)

    def tensor(name: str) -> np.ndarray:
        return tensors[prefix + EMBEDDING_KEYS[name]]

    return Encoder(
        config,
        tokenizer,
        W_E=frozen(tensor("W_E")),
        W_pos=frozen(tensor("W_pos")),
        W_type0=frozen(tensor("W_type")[0]),
        ln_embed=LayerNorm(frozen(tensor("ln_w")), frozen(tensor("ln_b")), config.ln_eps),
        blocks=tuple(bert_block(config, tensors, prefix, i) for i in range(config.n_layers)),
    )
