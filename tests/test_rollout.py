"""Attention rollout and attention flow against a hand-worked example, and max-flow on small networks
whose answer is known."""

import numpy as np
import pytest

from attention_core.max_flow import max_flow, network
from attention_core.rollout import attention_flow, attention_rollout, residual_attention
from attention_core.tokens import InputError

# 3 tokens, 2 layers, 1 head each.
A0 = [[1, 0, 0], [1, 0, 0], [0, 1, 0]]
A1 = [[0, 0, 1], [1, 0, 0], [1, 0, 0]]
PATTERN = np.array([[A0], [A1]], dtype=float)  # [layer, head, q, k]

# With the residual, ½ A + ½ I (rows already sum to 1):
#   Ã0 = [[1, 0, 0], [.5, .5, 0], [0, .5, .5]]      Ã1 = [[.5, 0, .5], [.5, .5, 0], [.5, 0, .5]]
# Rollout Ã1 · Ã0, row by row:
#   row 0 = .5 · Ã0[0] + .5 · Ã0[2] = [.5, .25, .25]
#   row 1 = .5 · Ã0[0] + .5 · Ã0[1] = [.75, .25, 0]
#   row 2 = row 0
ROLLOUT = [[0.5, 0.25, 0.25], [0.75, 0.25, 0.0], [0.5, 0.25, 0.25]]
# Flow from output i (layer 2) down to input j (layer 0), capacities Ã1 then Ã0:
#   output 0 sends .5 to h0 (which passes up to 1 to input 0) and .5 to h2 (.5 to input 1, .5 to input 2):
#     to input 0: .5 (through h0); to input 1: .5 (through h2); to input 2: .5 (through h2)
#   output 1 sends .5 to h0 and .5 to h1; h0 → input 0 (1), h1 → input 0 (.5) and input 1 (.5):
#     to input 0: .5 + .5 = 1; to input 1: .5 (through h1); to input 2: nothing reaches it
#   output 2: the same edges as output 0
FLOW = [[0.5, 0.5, 0.5], [1.0, 0.5, 0.0], [0.5, 0.5, 0.5]]


def test_residual_attention_adds_the_identity_and_averages_heads():
    two_heads = np.array([[[[1, 0], [1, 0]], [[0, 1], [0, 1]]]], dtype=float)  # [1 layer, 2 heads, 2, 2]
    np.testing.assert_allclose(residual_attention(two_heads)[0], [[0.75, 0.25], [0.25, 0.75]])
    np.testing.assert_allclose(residual_attention(PATTERN)[0], [[1, 0, 0], [0.5, 0.5, 0], [0, 0.5, 0.5]])


def test_rollout_of_the_hand_worked_example():
    np.testing.assert_allclose(attention_rollout(PATTERN), ROLLOUT)


def test_flow_of_the_hand_worked_example():
    np.testing.assert_allclose(attention_flow(PATTERN), FLOW, atol=1e-12)


def test_flow_of_chosen_rows_only():
    flow = attention_flow(PATTERN, rows=[1])
    np.testing.assert_allclose(flow[1], FLOW[1], atol=1e-12)
    assert not flow[[0, 2]].any()


def test_an_empty_row_attends_to_itself():
    blocked = PATTERN.copy()
    blocked[0, 0, 2] = 0  # a knockout left row 2 of layer 0 with nothing allowed
    np.testing.assert_allclose(residual_attention(blocked)[0, 2], [0, 0, 1])


def test_max_flow_finds_the_minimum_cut_not_the_sum_of_paths():
    # source 0 → 1 (3), 0 → 2 (2), 1 → 2 (1), 1 → 3 (2), 2 → 3 (3): max flow 5 (cut {0} | rest)
    capacity = np.zeros((4, 4))
    capacity[0, 1], capacity[0, 2], capacity[1, 2], capacity[1, 3], capacity[2, 3] = 3, 2, 1, 2, 3
    assert max_flow(network(capacity), 0, 3) == pytest.approx(5)
    # the classic case where a path must be undone: 0→1→2→3 first would block 0→2 and 1→3
    capacity = np.zeros((4, 4))
    capacity[0, 1] = capacity[0, 2] = capacity[1, 3] = capacity[2, 3] = 1
    capacity[1, 2] = 1
    assert max_flow(network(capacity), 0, 3) == pytest.approx(2)
    assert max_flow(network(capacity), 3, 0) == 0  # no edge leads back


def test_flow_is_refused_beyond_its_ceiling():
    pattern = np.full((6, 1, 40, 40), 1 / 40)  # 6 layers, 40 tokens: 6 · 40⁴ pairs × edges
    with pytest.raises(InputError, match="one output position"):
        attention_flow(pattern)
    assert attention_flow(pattern, rows=[39])[39].shape == (40,)  # one row is 40 times less work
