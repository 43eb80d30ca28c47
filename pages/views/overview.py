"""Overview (/): the sentence, its tokens, every head of the teaching layer at a glance, where to go next."""

import streamlit as st

from attention_core.viz.patterns import pattern_grid
from pages.ui import compute, controls, show
from pages.ui.i18n import t

st.markdown(t("overview.intro"))

try:
    run = compute.teaching_trace(controls.sentence(), controls.teaching_config())
except ValueError as error:  # InputError or ConfigError: say what is wrong, keep the page alive
    show.explain_error(error)
    show.halt()
show.cap_notes(run.tokens)

tokens_column, heads_column = st.columns([1, 4])
# The heatmaps are sent first: on a fresh page, loading Plotly's code is the browser's longest wait, so it
# starts before the token table is made.
with heads_column:
    st.subheader(t("overview.heads"))
    st.caption(t("overview.heads.caption"))
    head = t("word.head")
    titles = [f"{head} {h}" for h in range(run.config.n_heads)]
    figure = pattern_grid(
        run.trace.pattern,
        run.tokens.labels,
        run.tokens.labels,
        titles,
        axis_titles=(t("word.key"), t("word.query")),
        colorbar_title=t("word.attention"),
    )
    show.figure(figure, key="overview_heads", alt=t("overview.heads"))
    recipe = ("teaching", controls.sentence(), run.config, None)
    show.download_trace(recipe, "attention_trace.npz", key="overview_download")
with tokens_column:
    st.subheader(t("overview.tokens"))
    st.caption(t("overview.tokens.caption", n=len(run.tokens)))
    show.token_table(run.tokens, key="overview_tokens")

st.subheader(t("overview.next"))
with st.container(horizontal=True):
    for path, name in (
        ("pages/views/attention.py", "attention"),
        ("pages/views/self_attention.py", "self_attention"),
        ("pages/views/multi_head.py", "multi_head"),
    ):
        with st.container(border=True):
            st.page_link(path, label=t(f"nav.{name}"), icon=":material/arrow_forward:")
            st.caption(t(f"nav.{name}.help"))
