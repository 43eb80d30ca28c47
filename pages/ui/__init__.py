"""What the pages share: caching, controls, figures on the page, UI strings.

Streamlit imports pandas lazily, on a session's first table. When many sessions open a freshly started
server at once, one thread would be importing pandas while others already used it (a table, or Plotly's
JSON encoder, which uses pandas once it is in ``sys.modules``) and found it half-initialized:
"partially initialized module 'pandas' has no attribute 'NaT'" (tests/test_many_sessions.py). Importing
it here makes it happen before any session draws anything: the first session imports this package, the
others wait for it. A lock around tables alone is not enough (tried: Plotly still met the half-imported
module). The price: a fresh server's very first page waits 0.4 s longer.
"""

import pandas  # noqa: F401  (imported for the side effect described above)
