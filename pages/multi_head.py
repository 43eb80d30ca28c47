"""Multi-head attention (/multi_head): every head's pattern and Q/K/V, then concat · W_O = out."""

import streamlit as st

from attention_core.presets import SEED_EXAMPLE
from attention_core.viz.flow import concat_projection_figure, head_column_labels
from attention_core.viz.matrices import Panel, matrix_grid
from pages.ui import compute, controls, frame, show, url, walkthrough
from pages.ui.i18n import t

frame.enter()

ALL_QKV_UP_TO = 3  # heads whose Q, K and V are all shown at once; beyond, a head is picked

show.intro(t("multi.intro"))
st.button(
    t("multi.seed"),
    help=t("multi.seed.help"),
    icon=":material/school:",
    on_click=controls.load_seed_example,
    key="multi_seed_example",
)

view = frame.computed(lambda: compute.layer_in_view(controls.sentence()))
show.real_layer_banner(view.model, view.layer)
show.cap_notes(view.tokens, model=view.model)
is_seed_example = (
    view.model is None
    and controls.teaching_config() == SEED_EXAMPLE.config
    and st.session_state.get("sentence") == SEED_EXAMPLE.sentence
)
with st.expander(t("multi.seed.about"), expanded=is_seed_example, icon=":material/school:"):
    st.markdown(t("multi.seed.explain"))

trace, labels, sizes = view.trace, list(view.tokens.labels), view.trace.weights
n, h, d_k, d_v, d_model = len(labels), sizes.n_heads, sizes.d_k, sizes.d_v, sizes.d_model
head_names = [f"{t('word.head')} {i}" for i in range(h)]


def step_patterns() -> None:
    show.patterns(trace.pattern, labels, labels, head_names, key="multi_patterns", alt=t("multi.patterns"))


def step_qkv() -> None:
    st.caption(t("multi.qkv.caption", n=n, d_k=d_k, d_v=d_v))
    shown = list(range(h))
    if h > ALL_QKV_UP_TO:  # one head at a time, or the page grows a screen per head
        picked = url.bound("multi_qkv_head", url.Choice(tuple(shown), 0))
        picked = st.segmented_control(
            t("multi.qkv.head"), shown, default=picked, required=True, key="multi_qkv_head"
        )
        shown = [picked or 0]
    dims_k, dims_v = [str(c) for c in range(d_k)], [str(c) for c in range(d_v)]
    qkv = [
        [
            Panel(trace.q[i], labels, dims_k, f"{head_names[i]}: Q [{n} × {d_k}]"),
            Panel(trace.k[i], labels, dims_k, f"K [{n} × {d_k}]"),
            Panel(trace.v[i], labels, dims_v, f"V [{n} × {d_v}]"),
        ]
        for i in shown
    ]
    show.figure(matrix_grid(qkv, show.style()), key="multi_qkv", alt=t("multi.qkv"), panels=qkv[0])


def step_flow() -> None:
    st.latex(rf"\text{{out}} = \text{{Concat}}(Z_0, \dots, Z_{{{h - 1}}})\, W_O")
    st.markdown(f"**{t('multi.flow.dims', h=h, n=n, d_v=d_v, hd=h * d_v, d_model=d_model)}**")
    st.caption(t("multi.flow.caption"))
    flow = concat_projection_figure(trace.concat, trace.weights.W_O, trace.out, labels, h, show.style())
    columns, dims = head_column_labels(h, d_v), [str(c) for c in range(d_model)]
    panels = [
        Panel(trace.concat, labels, columns, "concat"),
        Panel(trace.weights.W_O, columns, dims, "W_O"),
        Panel(trace.out, labels, dims, "out"),
    ]
    show.figure(flow, key="multi_flow", alt=t("multi.flow"), panels=panels)


walkthrough.walkthrough(
    "multi",
    [
        (t("multi.tab.patterns"), t("multi.patterns"), step_patterns),
        ("Q, K, V", t("multi.qkv"), step_qkv),
        ("concat · W_O", t("multi.flow"), step_flow),
    ],
)
show.download_trace(view.recipe, "multi_head_trace.npz", key="multi_download")
