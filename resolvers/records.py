"""The records the resolvers hand up to the API: stored nodes as plain mappings, a node with
the edge that reached it, a loaded decision chain and a customer's org chart.

``schema`` names these types through here, never through ``graph``: the store's shape reaches
the API only by the door the resolvers keep.
"""

from __future__ import annotations

from graph.chains import LoadedChain, OrgChart
from graph.store import Neighbour, Node, Page

__all__ = ["LoadedChain", "Neighbour", "Node", "OrgChart", "Page"]
