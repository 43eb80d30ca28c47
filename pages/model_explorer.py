"""Model explorer (/model_explorer): a trained model on the sentence — all layers × heads, one head large,
the head view, the neuron view, and two sentences compared through the same head and the same model."""

import numpy as np
import streamlit as st

from attention_core.compare import head_change, paired_difference, paired_positions
from attention_core.explain import neuron_view, without_special
from attention_core.limits import MAX_TEXT_CHARS
from attention_core.models.registry import DEFAULT_MODEL
from attention_core.viz.matrices import Panel
from attention_core.viz.model_view import model_view_figure, pooling_factor
from attention_core.viz.neuron import ENGLISH, neuron_figure
from pages.ui import compute, controls, frame, show, url, width
from pages.ui.head_view import head_view
from pages.ui.i18n import Ours, t

frame.enter()

HEAD_VIEW_MAX_TOKENS = 128
SIDE_BY_SIDE_PX = 900  # the two sentences' heads side by side from this page width; narrower, stacked
SECOND_SENTENCE = "The animal didn't cross the street because it was too wide."  # "it" now means the street

name = show.model_choice(DEFAULT_MODEL)
trace = frame.computed(lambda: compute.model_trace(name, controls.sentence()))
config, tokens = compute.model(name).config, trace.tokens
kind = Ours(t(f"model.kind.{config.family}"))  # family: bert | gpt2 | lm
st.caption(
    t("model.summary", name=name, n_layers=config.n_layers, n_heads=config.n_heads, d_model=config.d_model,
      d_k=config.d_k, kind=kind, n=len(tokens))
)  # fmt: skip
show.cap_notes(tokens, model=name)


layer, head = controls.layer_and_head(config.n_layers, config.n_heads)
hide_special = url.bound("explorer_hide_special", url.Flag(False))
hide_special = st.toggle(t("explorer.hide_special"), hide_special, key="explorer_hide_special")
labels, pattern = list(tokens.labels), trace.pattern  # pattern [layer, head, q, k]
hidden = hide_special and any(tokens.special)
if hidden and all(tokens.special):  # nothing would be left to show
    st.caption(t("explorer.all_special"))
    hidden = False
if hidden:
    pattern, kept = without_special(pattern, tokens.special)
    labels = [labels[i] for i in kept]
    st.caption(t("explorer.hidden_note"))

views = {v: t(f"explorer.view.{v}") for v in ("model", "head", "neuron", "compare")}
view = controls.url_choice(t("explorer.view"), views, "explorer_view")

if view == "model":
    st.caption(t("explorer.model_view.caption"))
    if pooling_factor(len(labels)) > 1:
        st.caption(t("explorer.pooled", n=len(labels), f=pooling_factor(len(labels))))
    grid = model_view_figure(
        pattern,
        selected=(layer, head),
        axis_titles=(t("explorer.head"), t("explorer.layer")),
        hover=t("explorer.selected", layer=Ours("%{customdata[0]}"), head=Ours("%{customdata[1]}")),
        style=show.style(),
    )
    st.plotly_chart(
        grid,
        key="explorer_model_view",
        on_select=controls.select_clicked_head,
        selection_mode="points",
        config=show.plotly_config("model_view"),
        alt=t("explorer.view.model"),
        width="content",
    )
    selected = t("explorer.selected", layer=layer, head=head)
    st.subheader(selected)
    title = f"{name} · {selected}" + (" · " + t("explorer.hidden_short") if hidden else "")
    show.patterns(pattern[layer, head][None], labels, labels, [title], key="explorer_head", alt=selected)

elif view == "head":
    st.caption(t("explorer.head_view.caption", layer=layer))
    if len(labels) > HEAD_VIEW_MAX_TOKENS:
        st.warning(t("explorer.head_view.capped", n=HEAD_VIEW_MAX_TOKENS, n_total=len(labels)))
    shown = slice(0, HEAD_VIEW_MAX_TOKENS)
    head_view(
        pattern[layer][:, shown, shown],
        labels[shown],
        [f"{t('word.head')} {h}" for h in range(config.n_heads)],
        {"hint": t("explorer.head_view.hint"), "locked": t("explorer.head_view.locked")},
        key="explorer_head_view",
        palette=show.style().palette,
    )

elif view == "compare":
    st.caption(t("compare.caption"))
    sentence2 = url.bound("sentence2", url.Text(SECOND_SENTENCE))
    sentence2 = st.text_input(t("compare.sentence2"), sentence2, key="sentence2")[:MAX_TEXT_CHARS]
    trace2 = frame.computed(lambda: compute.model_trace(name, sentence2))
    show.cap_notes(trace2.tokens, model=name)
    first, second = list(tokens.labels), list(trace2.tokens.labels)
    side_by_side = width.page_width() >= SIDE_BY_SIDE_PX  # else one above the other, each legible
    left, right = st.columns(2) if side_by_side else (st.container(), st.container())
    title = t("explorer.selected", layer=layer, head=head)
    for column, run, words, which in ((left, trace, first, "first"), (right, trace2, second, "second")):
        with column:
            name_ = f"{t(f'compare.{which}')} · {title}"
            show.patterns(run.pattern[layer, head][None], words, words, [name_], key=f"compare_{which}",
                          alt=t(f"compare.{which}"), fraction=0.5 if side_by_side else 1.0)  # fmt: skip
    i_a, i_b = paired_positions(first, second)
    if len(i_a) == 0:
        st.info(t("compare.nothing_paired"))
    else:
        paired = [f"{a}·{b} {first[a]}" for a, b in zip(i_a, i_b, strict=True)]
        delta = paired_difference(trace.pattern[layer, head], trace2.pattern[layer, head], i_a, i_b)
        caption = t("compare.difference", n=len(i_a))
        show.matrices([Panel(delta, paired, paired, caption)], "compare_difference", caption)
        change = head_change(trace.pattern, trace2.pattern, i_a, i_b)  # [layer, head]
        most = np.unravel_index(int(np.argmax(change)), change.shape)
        st.markdown(t("compare.most", layer=int(most[0]), head=int(most[1]), value=float(change[most])))
        heads = [str(h) for h in range(config.n_heads)]
        layers = [str(layer_) for layer_ in range(config.n_layers)]
        panel = Panel(change, layers, heads, t("compare.heads"), decimals=3)
        show.matrices([panel], "compare_heads", t("compare.heads"))

else:
    st.caption(t("explorer.neuron.caption"))
    all_labels = list(tokens.labels)
    left, right = st.columns(2)
    query = controls.token_choice(t("explorer.neuron.query"), all_labels, "explorer_query", 1, left)
    key = controls.token_choice(t("explorer.neuron.key"), all_labels, "explorer_key", 0, right)
    view_numbers = neuron_view(trace.layers[layer], head, query, key)
    words = {part: t(f"neuron.{part}") for part in ENGLISH}
    figure = neuron_figure(view_numbers, f"{query} {all_labels[query]}", all_labels, words, show.style())
    show.figure(figure, key="explorer_neuron", alt=t("explorer.view.neuron"))

with st.container(horizontal=True):
    link = {"from_model": name, "from_layer": str(layer), "self_head": str(head)}
    st.page_link("pages/self_attention.py", label=t("explorer.open_steps"), icon=":material/stairs:",
                 query_params=link)  # fmt: skip
    st.page_link("pages/multi_head.py", label=t("explorer.open_multi"), icon=":material/view_column:",
                 query_params={"from_model": name, "from_layer": str(layer)})  # fmt: skip
show.download_trace(("model", name, controls.sentence()), f"{name}_trace.npz", key="explorer_download")
