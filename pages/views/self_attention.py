"""Self-attention step by step (/self_attention): X → Q, K, V → QKᵀ → ÷√d_k → mask → softmax → ·V → Z."""

import streamlit as st

from attention_core.explain import masked_scaled, row_breakdown
from attention_core.models.base import ModelError
from attention_core.viz.matrices import Panel
from pages.ui import compute, controls, show, url
from pages.ui.i18n import t

st.markdown(t("self.intro"))

try:
    view = compute.layer_in_view(controls.sentence())
except (ValueError, ModelError) as error:
    show.explain_error(error)
    show.halt()
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

st.subheader(t("self.step1"))
if view.model is not None:
    st.caption(t("real.x"))
elif controls.teaching_config().positional:
    st.latex(r"X = E_{\text{token}} + PE_{\text{position}}")
else:
    st.latex(r"X = E_{\text{token}}")
show.matrices(
    [Panel(trace.x, labels, dims["d_model"], f"X  [{n} × {sizes.d_model}]")],
    key="self_x",
    alt="X",
)

st.subheader(t("self.step2"))
has_bias = {name: getattr(sizes, f"b_{name}") is not None for name in "QKV"}  # real models may have biases
projections = [
    rf"{n} = X W_{n}^{{({head})}}" + (rf" + b_{n}^{{({head})}}" if has_bias[n] else "") for n in "QKV"
]
st.latex(r",\quad ".join(projections))
show.matrices(
    [
        Panel(trace.q[head], labels, dims["d_k"], f"Q  [{n} × {sizes.d_k}]"),
        Panel(trace.k[head], labels, dims["d_k"], f"K  [{n} × {sizes.d_k}]"),
        Panel(trace.v[head], labels, dims["d_v"], f"V  [{n} × {sizes.d_v}]"),
    ],
    key="self_qkv",
    alt="Q, K, V",
)

st.subheader(t("self.step3"))
st.latex(r"\text{scores} = Q K^\top, \qquad \text{scores}_{ij} = q_i \cdot k_j")
st.caption(t("self.step3.caption"))
show.matrices(
    [Panel(trace.scores[head], labels, labels, f"scores  [{n} × {n}]", hover=DOT_HOVER)],
    key="self_scores",
    alt="scores",
)

st.subheader(t("self.step4"))
st.latex(
    r"\text{scaled} = \frac{Q K^\top}{\sqrt{d_k}\,\tau} = "
    rf"\frac{{Q K^\top}}{{\sqrt{{{sizes.d_k}}} \cdot {trace.temperature:g}}}"
)
st.caption(t("self.step4.caption", sqrt_d_k=sizes.d_k**0.5))
show.matrices(
    [Panel(trace.scaled[head], labels, labels, f"scaled  [{n} × {n}]")],
    key="self_scaled",
    alt="scaled",
)

st.subheader(t("self.step5"))
st.latex(
    r"\text{scaled}_{ij} \leftarrow -\infty \ \text{where}\ j > i"
    if masked
    else r"\text{mask} = \text{all allowed}"
)
st.caption(t("self.step5.causal") if masked else t("self.step5.none"))
show.matrices(
    [Panel(masked_scaled(trace, head), labels, labels, f"masked  [{n} × {n}]")],
    key="self_masked",
    alt="masked",
)

st.subheader(t("self.step6"))
st.latex(
    r"\text{pattern}_{ij} = \frac{e^{\text{scaled}_{ij}}}{\sum_{j'} e^{\text{scaled}_{ij'}}},"
    r"\qquad \sum_j \text{pattern}_{ij} = 1"
)
show.matrices(
    [
        Panel(
            trace.pattern[head],
            labels,
            labels,
            f"pattern  [{n} × {n}]",
            signed=False,
            hover="%{customdata[0]} → %{customdata[1]}<br>%{z:.4f}<extra></extra>",
        )
    ],
    key="self_pattern",
    alt="pattern",
)

st.subheader(t("self.step7"))
st.latex(
    rf"Z = \text{{pattern}}\; V \qquad [{n} \times {n}]\,[{n} \times {sizes.d_v}]"
    rf" = [{n} \times {sizes.d_v}]"
)
show.matrices(
    [Panel(trace.z[head], labels, dims["d_v"], f"Z  [{n} × {sizes.d_v}]")],
    key="self_z",
    alt="Z",
)

st.subheader(t("self.row"))
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
        "÷ √d_k": [float(v) if ok else None for v, ok in zip(row.scaled, row.allowed, strict=True)],
        "exp(· − max)": [
            float(v) if ok else None for v, ok in zip(row.shifted_exp, row.allowed, strict=True)
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
show.download_trace(view.recipe, "self_attention_trace.npz", key="self_download")
