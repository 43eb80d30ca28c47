r"""Maximum flow through a network with real capacities, by Dinic's algorithm (1970): for attention flow
(``attention_core/rollout.py``).

A flow sends, along each edge u → v, an amount f(u, v) ≤ c(u, v), with as much entering every node as
leaves it, except the source (only leaves) and the sink (only enters). The *residual* graph has an edge
u → v wherever more can still be sent: r(u, v) = c(u, v) − f(u, v) + f(v, u) > 0 (sending back undoes
flow). Dinic repeats two steps until the sink cannot be reached:

1) levels: a breadth-first search from the source gives each node its distance in the residual graph;
2) blocking flow: depth-first searches push flow along shortest paths only (level + 1 at every step),
   until every shortest path has a saturated edge. Each edge is tried once per phase ("current edge").

The distance from source to sink grows with every phase, so there are at most V phases, each
O(V·E): O(V²E) in all, whatever the capacities. The flow found is maximal (max-flow = min-cut).
Residual capacities below ``EPSILON`` count as none (float rounding of earlier pushes).
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass

import numpy as np

EPSILON = 1e-12
MAX_NODES = 800  # push() recurses once per node of a path: within Python's default limit of 1000 calls
# (limits.MAX_FLOW_NODES keeps attention flow within it)


@dataclass(frozen=True)
class Network:
    """Capacities as lists (a push reads one number at a time: lists are faster than NumPy there) and,
    for each node, the nodes it shares an edge with, either way (a residual edge can run backwards)."""

    capacity: list[list[float]]  # [node][node]  c[u][v] on edge u → v
    neighbours: list[list[int]]  # [node][...]


def network(capacity: np.ndarray) -> Network:
    """A Network from capacity [node, node] ≥ 0 (0: no edge)."""
    c = np.asarray(capacity, dtype=np.float64)  # [node, node]
    linked = (c > 0) | (c.T > 0)  # [node, node]  an edge u → v or v → u
    return Network(c.tolist(), [np.flatnonzero(row).tolist() for row in linked])


def levels(net: Network, residual: list[list[float]], source: int) -> list[int]:
    """Distance (edges) of every node from ``source`` in the residual graph; −1 where it cannot be reached."""
    level = [-1] * len(residual)
    level[source] = 0
    queue = deque([source])
    while queue:
        u = queue.popleft()
        for v in net.neighbours[u]:
            if level[v] < 0 and residual[u][v] > EPSILON:
                level[v] = level[u] + 1
                queue.append(v)
    return level


@dataclass
class Phase:
    """One phase of Dinic: the residual capacities, the levels, and each node's current edge."""

    net: Network
    residual: list[list[float]]  # [node][node]  what each edge can still take
    level: list[int]  # [node]
    next_edge: list[int]  # [node]  the first neighbour not yet found useless in this phase
    sink: int

    def push(self, u: int, limit: float) -> float:
        """Send up to ``limit`` from u towards the sink along one shortest path; returns how much."""
        if u == self.sink:
            return limit
        edges, residual = self.net.neighbours[u], self.residual
        while self.next_edge[u] < len(edges):
            v = edges[self.next_edge[u]]
            if self.level[v] == self.level[u] + 1 and residual[u][v] > EPSILON:
                sent = self.push(v, min(limit, residual[u][v]))
                if sent > 0:
                    residual[u][v] -= sent  # used up along the path …
                    residual[v][u] += sent  # … and can be sent back (undone) later
                    return sent
            self.next_edge[u] += 1  # nothing more gets through v in this phase
        return 0.0


def max_flow(net: Network, source: int, sink: int) -> float:
    """The largest flow from ``source`` to ``sink`` through ``net``."""
    if source == sink:
        raise ValueError("the source and the sink must be two different nodes")
    if len(net.capacity) > MAX_NODES:
        raise ValueError(f"{len(net.capacity)} nodes: at most {MAX_NODES} (the depth-first search recurses)")
    residual = [row[:] for row in net.capacity]  # [node][node]  what each edge can still take
    total = 0.0
    while True:
        level = levels(net, residual, source)  # 1) levels
        if level[sink] < 0:
            return total
        phase = Phase(net, residual, level, [0] * len(residual), sink)
        while (sent := phase.push(source, math.inf)) > 0:  # 2) blocking flow
            total += sent
