"""Who is asking, and what they may see: passed into every store statement.

Visibility is enforced inside the statements (``graph.statements.visible``), not by filtering
results afterwards, so no code path can forget it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class Scope:
    """The customers and opportunities a caller may see; ``everything`` for admins and tools."""

    everything: bool = True
    customer_ids: frozenset[str] = field(default_factory=frozenset)
    opportunity_ids: frozenset[str] = field(default_factory=frozenset)

    def visible_opportunities(self, ids: Iterable[str]) -> list[str]:
        """The ids of the opportunities it names, once each, in the order given: a statement
        given only these needs no check of its own, which would cost per row as much as the
        scope is long."""
        unique = dict.fromkeys(ids)
        return [i for i in unique if self.everything or i in self.opportunity_ids]

    def params(self) -> dict[str, Any]:
        """The statement parameters that express this scope."""
        return {
            "scope_all": self.everything,
            "scope_customers": sorted(self.customer_ids),
            "scope_opportunities": sorted(self.opportunity_ids),
        }


EVERYTHING = Scope()


@dataclass(frozen=True, slots=True)
class Actor:
    """Who makes a change; recorded in every audit entry."""

    id: str
    name: str = ""
    member_id: str | None = None
    """The team member the login acts as at the time of the change (None: nobody, such as an
    administrator or the system): an audit entry keeps it, so it names who did it then even
    after the login is linked to someone else."""


SYSTEM = Actor("system", "dealgraph")
