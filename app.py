"""Attention Explorer: ``streamlit run app.py`` (or ``make run``), then open http://localhost:8501.

The entry point draws what every page shares (language, sentence, settings), then runs the page the URL
names. The pages themselves are in pages/views/.
"""

import contextlib

import streamlit as st

from pages.ui import controls, show, url, width
from pages.ui.i18n import t
from pages.ui.shared_cache import PAGE_RUNS

st.set_page_config(page_title="Attention Explorer", page_icon="🔍", layout="wide")

url.begin_run()
# The language first, so every string after it is translated. Its switch is drawn after st.navigation:
# a widget drawn before it ignored the first click after a page load (Streamlit 1.67).
url.bound("lang", controls.LANG)

TEACHING_PAGES = ("", "attention", "self_attention", "multi_head")
page = st.navigation(
    [
        st.Page(
            "pages/views/overview.py", title=t("nav.overview"), help=t("nav.overview.help"), default=True
        ),
        st.Page(
            "pages/views/attention.py",
            title=t("nav.attention"),
            help=t("nav.attention.help"),
            url_path="attention",
        ),
        st.Page(
            "pages/views/self_attention.py",
            title=t("nav.self_attention"),
            help=t("nav.self_attention.help"),
            url_path="self_attention",
        ),
        st.Page(
            "pages/views/multi_head.py",
            title=t("nav.multi_head"),
            help=t("nav.multi_head.help"),
            url_path="multi_head",
        ),
        st.Page(
            "pages/views/model_explorer.py",
            title=t("nav.model_explorer"),
            help=t("nav.model_explorer.help"),
            url_path="model_explorer",
        ),
        st.Page(
            "pages/views/head_atlas.py",
            title=t("nav.head_atlas"),
            help=t("nav.head_atlas.help"),
            url_path="head_atlas",
        ),
        st.Page(
            "pages/views/training.py",
            title=t("nav.training"),
            help=t("nav.training.help"),
            url_path="training",
        ),
    ],
    position="top",
)

controls.language_switch()
width.measure()
st.title(page.title)
notices = st.container()  # filled last: the page's own widgets may correct URL values too
controls.sentence_box()
controls.teaching_settings(expanded=page.url_path in TEACHING_PAGES)
controls.export_format()
with PAGE_RUNS, contextlib.suppress(show.PageHalted):  # halted: the page said why (empty text, …)
    page.run()
url.write_back()
show.url_notices(notices, url.notices())
