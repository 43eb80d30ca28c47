"""Attention (/attention): queries from the sentence, keys and values from a source sentence."""

import dataclasses

import streamlit as st

from attention_core.limits import MAX_TEXT_CHARS
from attention_core.viz.matrices import Panel
from pages.ui import compute, controls, frame, show, url, walkthrough
from pages.ui.i18n import t

frame.enter()

DEFAULT_SOURCE = "고양이가 창가에서 잠을 잤다."

show.intro(t("attention.intro"))
source = url.bound("source", url.Text(DEFAULT_SOURCE))
source = st.text_input(t("source.label"), source, key="source")[:MAX_TEXT_CHARS]

config = controls.teaching_config()
if config.causal:  # the mask orders one sequence; here the queries and the keys are two
    st.info(t("attention.causal_off"), icon=":material/info:")
    config = dataclasses.replace(config, causal=False)
run = frame.computed(lambda: compute.teaching_trace(controls.sentence(), config, source or ""))
show.cap_notes(run.tokens, run.tokens_kv)

trace, queries, keys = run.trace, list(run.tokens.labels), list(run.tokens_kv.labels)
heads = list(range(run.config.n_heads))
head = url.bound("attention_head", url.Choice(tuple(heads), 0))
head = st.segmented_control(t("attention.head"), heads, default=head, required=True, key="attention_head")
d_k, d_v = run.config.d_k, run.config.d_v
dims_k, dims_v = [str(c) for c in range(d_k)], [str(c) for c in range(d_v)]


def step_roles() -> None:
    st.latex(r"Q = X\,W_Q \qquad K = X_{src}\,W_K \qquad V = X_{src}\,W_V")
    show.matrices(
        [
            Panel(trace.q[head], queries, dims_k, f"Q  [{len(queries)} × {d_k}]"),
            Panel(trace.k[head], keys, dims_k, f"K  [{len(keys)} × {d_k}]"),
            Panel(trace.v[head], keys, dims_v, f"V  [{len(keys)} × {d_v}]"),
        ],
        key="attention_qkv",
        alt="Q, K, V",
    )
    st.markdown(f"- {t('attention.q_role')}\n- {t('attention.k_role')}\n- {t('attention.v_role')}")


def step_pattern() -> None:
    st.caption(t("attention.pattern.caption"))
    hover = "%{customdata[0]} → %{customdata[1]}<br>%{z:.4f}<extra></extra>"
    title = f"pattern  [{len(queries)} × {len(keys)}]"
    panel = Panel(trace.pattern[head], queries, keys, title, signed=False, hover=hover)
    show.matrices([panel], key="attention_pattern", alt=t("attention.pattern"))


def step_z() -> None:
    st.caption(t("attention.z.caption"))
    panel = Panel(trace.z[head], queries, dims_v, f"Z  [{len(queries)} × {d_v}]")
    show.matrices([panel], key="attention_z", alt="Z")


def step_all_heads() -> None:
    titles = [f"{t('word.head')} {h}" for h in range(run.config.n_heads)]
    show.patterns(trace.pattern, queries, keys, titles, key="attention_heads", alt=t("attention.all_heads"))


walkthrough.walkthrough(
    "attention",
    [
        ("Q, K, V", t("attention.roles"), step_roles),
        ("pattern", t("attention.pattern"), step_pattern),
        ("Z", t("attention.z"), step_z),
        (t("attention.tab.all_heads"), t("attention.all_heads"), step_all_heads),
    ],
)
recipe = ("teaching", controls.sentence(), config, source or "")
show.download_trace(recipe, "cross_attention_trace.npz", key="attention_download")
