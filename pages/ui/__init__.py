"""What the pages share: caching, controls, figures on the page, UI strings.

Streamlit imports pandas lazily, on a session's first table. When many sessions open a freshly started
server at once, their threads would import pandas side by side, and some would see it half-initialized
("partially initialized module 'pandas' has no attribute 'NaT'"). Importing it here makes it happen
once: the first session imports this package, the others wait for it (bench/concurrent_sessions.py
reproduced the error on one fresh server in three before).
"""

import pandas  # noqa: F401  (imported for the side effect described above)
