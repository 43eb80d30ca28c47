"""Named examples that set the whole configuration at once."""

from __future__ import annotations

from dataclasses import dataclass

from attention_core.config import AttentionConfig


@dataclass(frozen=True)
class Preset:
    name: str
    sentence: str
    config: AttentionConfig


# The source text's worked example: 2 words, d_model 4, 3 heads. Each head outputs a 2×8 matrix
# (d_v = 8, since 4 is not divisible by 3); the three heads side by side are 2×24, and W_O (24×4)
# projects them back to 2×4 = [pos, d_model].
SEED_EXAMPLE = Preset(
    name="seed-example",
    sentence="I am",
    config=AttentionConfig(d_model=4, n_heads=3, d_k=8, d_v=8, seed=0),
)

PRESETS = {preset.name: preset for preset in (SEED_EXAMPLE,)}
