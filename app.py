"""Attention Explorer: ``streamlit run app.py`` (or ``make run``), then open http://localhost:8501.

The entry point draws what every page shares (language, sentence, settings), then runs the page the URL
names: one of the scripts in pages/, listed in pages/ui/site.py.
"""

import contextlib

import streamlit as st

from pages.ui import controls, frame, show, site, url, width
from pages.ui.i18n import t
from pages.ui.shared_cache import PAGE_RUNS

st.set_page_config(page_title="Attention Explorer", page_icon="🔍", layout="wide")

url.begin_run()
# The language first, so every string after it is translated. Its switch is drawn after st.navigation:
# a widget drawn before it ignored the first click after a page load (Streamlit 1.67).
url.bound("lang", controls.LANG)

pages = [
    st.Page(p.script, title=t(f"nav.{p.name}"), help=t(f"nav.{p.name}.help"), url_path=p.url_path or None,
            default=not p.url_path)
    for p in site.PAGES
]  # fmt: skip
page = st.navigation(pages, position="top")
teaching = next(p.teaching for p in site.PAGES if p.url_path == page.url_path)

controls.language_switch()
width.measure()
controls.page_look(page.title)
notices = st.container()  # filled last: the page's own widgets may correct URL values too
controls.sentence_box()
controls.teaching_settings(expanded=teaching)
controls.export_format()
controls.palette_choice()
show.download_lesson()
with PAGE_RUNS, frame.page_of_app(), contextlib.suppress(show.PageHalted):  # halted: it said why
    page.run()
url.write_back()
show.url_notices(notices, url.notices())
