"""A class opening the app at once: thirty sessions on a freshly started server, each loading the page
and changing the sentence once (bench/concurrent_sessions.py's websocket clients, which speak Streamlit's
protocol as the browser does). Every page load and change must succeed: no exception, no error message,
the new sentence's tokens on the heatmaps, nothing in the server log.

A race between the first runs once broke such starts ("partially initialized module 'pandas'"): with
the fix undone, this test failed in each of three runs (one or both servers each time). It is a race, so a
pass cannot prove its absence.
"""

import pytest

from bench.concurrent_sessions import Scenario, measure


@pytest.mark.parametrize("attempt", [1, 2])
def test_thirty_sessions_opening_a_fresh_server_at_once(attempt):
    scenario = Scenario(page="", query={}, sessions=30, changes=1, think=0.0, timeout=60.0, blas_threads=1)
    result = measure(scenario)
    failed = [(o.error, o.detail) for o in result.loads + result.changes if o.error]
    assert not failed, failed[:3]
    assert len(result.loads) == 30 and len(result.changes) == 30
    assert not result.server_log_errors, result.server_log_errors[:5]
