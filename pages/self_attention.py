"""Self-attention step by step (/self_attention): X → Q, K, V → QKᵀ → ÷√d_k → mask → softmax → ·V → Z."""

import numpy as np
import streamlit as st

from attention_core.explain import masked_scaled, row_breakdown
from attention_core.viz.matrices import Panel
from pages.ui import compute, controls, frame, show, url, walkthrough
from pages.ui.i18n import t

frame.enter()

show.intro(t("self.intro"))

view = frame.computed(lambda: compute.layer_in_view(controls.sentence()))
show.real_layer_banner(view.model, view.layer)
show.cap_notes(view.tokens, model=view.model)

trace, labels, sizes = view.trace, list(view.tokens.labels), view.trace.weights
n, masked = len(labels), bool((~trace.mask).any())
heads = list(range(sizes.n_heads))
head = url.bound("self_head", url.Choice(tuple(heads), 0))
head = st.segmented_control(t("self.head"), heads, default=head, required=True, key="self_head") or 0
dims = {
    name: [str(c) for c in range(size)]
    for name, size in (("d_model", sizes.d_model), ("d_k", sizes.d_k), ("d_v", sizes.d_v))
}
DOT_HOVER = "q<sub>%{customdata[0]}</sub> · k<sub>%{customdata[1]}</sub> = %{z:.4f}<extra></extra>"


def step_x() -> None:
    if view.model is not None:
        st.caption(t("real.x"))
    elif controls.teaching_config().positional:
        st.latex(rf"X = E_{{\text{{{t('word.token')}}}}} + PE_{{\text{{{t('word.position')}}}}}")
    else:
        st.latex(rf"X = E_{{\text{{{t('word.token')}}}}}")
    show.matrices([Panel(trace.x, labels, dims["d_model"], f"X  [{n} × {sizes.d_model}]")], "self_x", "X")


def step_qkv() -> None:
    has_bias = {name: getattr(sizes, f"b_{name}") is not None for name in "QKV"}  # real models: biases
    projections = [
        rf"{m} = X W_{m}^{{({head})}}" + (rf" + b_{m}^{{({head})}}" if has_bias[m] else "") for m in "QKV"
    ]
    st.latex(r",\quad ".join(projections))
    show.matrices(
        [
            Panel(trace.q[head], labels, dims["d_k"], f"Q  [{n} × {sizes.d_k}]"),
            Panel(trace.k[head], labels, dims["d_k"], f"K  [{n} × {sizes.d_k}]"),
            Panel(trace.v[head], labels, dims["d_v"], f"V  [{n} × {sizes.d_v}]"),
        ],
        "self_qkv",
        "Q, K, V",
    )


def step_scores() -> None:
    st.latex(r"\text{scores} = Q K^\top, \qquad \text{scores}_{ij} = q_i \cdot k_j")
    st.caption(t("self.step3.caption"))
    panel = Panel(trace.scores[head], labels, labels, f"scores  [{n} × {n}]", hover=DOT_HOVER)
    show.matrices([panel], "self_scores", "scores")


def step_scaled() -> None:
    st.latex(
        r"\text{scaled} = \frac{Q K^\top}{\sqrt{d_k}\,\tau} = "
        rf"\frac{{Q K^\top}}{{\sqrt{{{sizes.d_k}}} \cdot {trace.temperature:g}}}"
    )
    st.caption(t("self.step4.caption", sqrt_d_k=sizes.d_k**0.5))
    show.matrices(
        [Panel(trace.scaled[head], labels, labels, f"scaled  [{n} × {n}]")], "self_scaled", "scaled"
    )


def step_mask() -> None:
    if masked:
        st.latex(rf"\text{{scaled}}_{{ij}} \leftarrow -\infty \quad \text{{{t('self.latex.where')}}}\ j > i")
    else:
        st.latex(rf"\text{{mask}}: \text{{{t('self.latex.all_allowed')}}}")
    st.caption(t("self.step5.causal") if masked else t("self.step5.none"))
    panel = Panel(masked_scaled(trace, head), labels, labels, f"{t('self.panel.masked')}  [{n} × {n}]")
    show.matrices([panel], "self_masked", "masked")


def step_softmax() -> None:
    st.latex(
        r"\text{pattern}_{ij} = \frac{e^{\text{scaled}_{ij}}}{\sum_{j'} e^{\text{scaled}_{ij'}}},"
        r"\qquad \sum_j \text{pattern}_{ij} = 1"
    )
    hover = "%{customdata[0]} → %{customdata[1]}<br>%{z:.4f}<extra></extra>"
    panel = Panel(trace.pattern[head], labels, labels, f"pattern  [{n} × {n}]", signed=False, hover=hover)
    show.matrices([panel], "self_pattern", "pattern")


def step_z() -> None:
    st.latex(
        rf"Z = \text{{pattern}}\; V \qquad [{n} \times {n}]\,[{n} \times {sizes.d_v}]"
        rf" = [{n} \times {sizes.d_v}]"
    )
    show.matrices([Panel(trace.z[head], labels, dims["d_v"], f"Z  [{n} × {sizes.d_v}]")], "self_z", "Z")


def step_row() -> None:
    query = controls.token_choice(t("self.row.query"), labels, "self_query", default=1)
    row = row_breakdown(trace, head, query)
    st.caption(
        t(
            "self.row.caption",
            query=f"{query} · {labels[query]}",
            top=float(row.scaled[row.allowed].max()),
            total=row.total,
        )
    )
    st.latex(
        rf"\text{{pattern}}_{{{query},j}} = "
        rf"\frac{{\exp\left(q_{{{query}}} \cdot k_j / {row.sqrt_d_k:.3f} - \max\right)}}"
        rf"{{\sum_{{j'}} \exp\left(q_{{{query}}} \cdot k_{{j'}} / {row.sqrt_d_k:.3f} - \max\right)}}"
    )
    masked_word = t("self.row.masked")
    st.dataframe(
        {
            t("word.key"): [f"{j} · {labels[j]}" for j in range(n)],
            "q·k": [float(v) for v in row.dot],
            # a masked key: its scaled score is set to −∞, and exp(−∞) = 0 (what the softmax then uses)
            "÷ √d_k": [float(v) if ok else -np.inf for v, ok in zip(row.scaled, row.allowed, strict=True)],
            "exp(· − max)": [
                float(v) if ok else 0.0 for v, ok in zip(row.shifted_exp, row.allowed, strict=True)
            ],
            "softmax": [float(v) for v in row.pattern],
            "": ["" if ok else masked_word for ok in row.allowed],
        },
        hide_index=True,
        column_config={
            name: st.column_config.NumberColumn(format="%.4f")
            for name in ("q·k", "÷ √d_k", "exp(· − max)", "softmax")
        },
        key="self_row",
    )


walkthrough.walkthrough(
    "self",
    [
        ("X", t("self.step1"), step_x),
        ("Q, K, V", t("self.step2"), step_qkv),
        ("QKᵀ", t("self.step3"), step_scores),
        ("÷ √d_k", t("self.step4"), step_scaled),
        (t("self.tab.mask"), t("self.step5"), step_mask),
        ("softmax", t("self.step6"), step_softmax),
        ("Z", t("self.step7"), step_z),
        (t("self.tab.row"), t("self.row"), step_row),
    ],
)
show.download_trace(view.recipe, "self_attention_trace.npz", key="self_download")
