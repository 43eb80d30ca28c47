"""Overview (/): the sentence, its tokens, every head of the teaching layer at a glance, where to go next."""

import streamlit as st

from pages.ui import compute, controls, show
from pages.ui.i18n import t

st.markdown(t("overview.intro"))

try:
    run = compute.teaching_trace(controls.sentence(), controls.teaching_config())
except ValueError as error:  # InputError or ConfigError: say what is wrong, keep the page alive
    show.explain_error(error)
    show.halt()
show.cap_notes(run.tokens)

st.subheader(t("overview.tokens"))
st.caption(t("overview.tokens.caption", n=len(run.tokens)))
show.token_strip(run.tokens)

st.subheader(t("overview.heads"))
st.caption(t("overview.heads.caption"))
titles = [f"{t('word.head')} {h}" for h in range(run.config.n_heads)]
labels = run.tokens.labels
show.patterns(run.trace.pattern, labels, labels, titles, key="overview_heads", alt=t("overview.heads"))
with st.expander(t("overview.token_table", n=len(run.tokens)), icon=":material/table:"):
    show.token_table(run.tokens, key="overview_tokens")
recipe = ("teaching", controls.sentence(), run.config, None)
show.download_trace(recipe, "attention_trace.npz", key="overview_download")

st.subheader(t("overview.next"))
for path, name in (
    ("pages/views/attention.py", "attention"),
    ("pages/views/self_attention.py", "self_attention"),
    ("pages/views/multi_head.py", "multi_head"),
):
    with st.container(border=True, horizontal=True, vertical_alignment="center"):
        st.page_link(path, label=t(f"nav.{name}"), icon=":material/arrow_forward:", width="content")
        st.caption(t(f"nav.{name}.help"))
