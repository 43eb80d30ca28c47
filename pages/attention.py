"""Not a page: a hand-over to app.py. The real page is in pages/views/.

Streamlit treats a folder named ``pages/`` beside the main script as an old-style multipage app until
app.py has run once. On a freshly started server, a shared link such as /self_attention would then run a
file of this folder directly. This file makes that first visit run app.py, whose ``st.navigation`` opens
the right page with the sidebar and menu.
"""

import runpy
from pathlib import Path

runpy.run_path(str(Path(__file__).resolve().parent.parent / "app.py"))
