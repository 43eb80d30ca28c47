"""Overview (/): the sentence, its tokens, every head of the teaching layer at a glance, where to go next."""

import streamlit as st

from pages.ui import compute, controls, frame, show, site
from pages.ui.i18n import t

frame.enter()

show.intro(t("overview.intro"))

run = frame.computed(lambda: compute.teaching_trace(controls.sentence(), controls.teaching_config()))
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
for page in site.PAGES[1:]:  # the walkthroughs, then the model pages
    with st.container(border=True, horizontal=True, vertical_alignment="center"):
        st.page_link(
            page.script, label=t(f"nav.{page.name}"), icon=":material/arrow_forward:", width="content"
        )
        st.caption(t(f"nav.{page.name}.help"))
