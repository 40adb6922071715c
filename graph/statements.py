"""Every Cypher statement dealgraph issues, as named, parameterised constants.

Statements are written in the subset that Neo4j 5 and FalkorDB both accept; the few dialect
differences (DDL) live in ``graph.dialect``. Labels and relationship types are interpolated only
from the model's enums when this module is imported, never from input: every value a caller
supplies travels as a parameter.

Every write statement also creates its audit entry, so a change and its record of who made it
are one atomic statement on both back ends.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from domain.model import (
    EDGE_SPECS,
    RECORD_EDGE_SPECS,
    EdgeKind,
    EdgeSpec,
    Label,
    NodeKind,
    RecordEdgeSpec,
    RecordKind,
    RelType,
    all_labels,
)
from domain.roles import Role

AUDIT_LABEL: Final = RecordKind.AUDIT_ENTRY.value
WEBHOOK_EVENT_LABEL: Final = RecordKind.WEBHOOK_EVENT.value
AUDIT_SEQUENCE_LABEL: Final = RecordKind.AUDIT_SEQUENCE.value
_AUDIT_SEQUENCE_ID: Final = "audit"
# The audit entry and the change's webhook events ($events, from domain.webhook_events, most
# often one, none for a silent change): every write statement ends with this fragment, so the
# outbox is written in the same statement as the change it reports. The entry is numbered from
# the store's one audit sequence: its node stays locked until the write commits (Neo4j) or
# writes run one at a time (FalkorDB), so entries commit in the order of their numbers and
# "every entry after N" is exactly what a reader has not seen yet (resolvers.kept).
_AUDIT: Final = (
    f"MERGE (audit_seq:{AUDIT_SEQUENCE_LABEL} {{id: '{_AUDIT_SEQUENCE_ID}'}})\n"
    "ON CREATE SET audit_seq.epoch = randomUUID()\n"
    "SET audit_seq.n = coalesce(audit_seq.n, 0) + 1\n"
    "WITH *\n"  # FalkorDB: later clauses read the new number only after a WITH
    f"CREATE (audit:{AUDIT_LABEL}) SET audit = $audit\n"
    "SET audit.seq = audit_seq.n\n"
    f"FOREACH (event IN $events | CREATE (outbox:{WEBHOOK_EVENT_LABEL}) SET outbox = event)"
)

_AUDIT_TWO: Final = (
    f"MERGE (audit_seq:{AUDIT_SEQUENCE_LABEL} {{id: '{_AUDIT_SEQUENCE_ID}'}})\n"
    "ON CREATE SET audit_seq.epoch = randomUUID()\n"
    "SET audit_seq.n = coalesce(audit_seq.n, 0) + 2\n"
    "WITH *\n"
    f"CREATE (first_audit:{AUDIT_LABEL}) SET first_audit = $first_audit\n"
    "SET first_audit.seq = audit_seq.n - 1\n"
    f"CREATE (audit:{AUDIT_LABEL}) SET audit = $audit\n"
    "SET audit.seq = audit_seq.n\n"
    f"FOREACH (event IN $events | CREATE (outbox:{WEBHOOK_EVENT_LABEL}) SET outbox = event)"
)
"""_AUDIT for a write that makes two things at once (a customer and its first deal): two
entries, ``$first_audit`` numbered before ``$audit``, as two writes one after the other would
have them, so the history of each replays as it would."""

_AUDITS: Final = (
    f"MERGE (audit_seq:{AUDIT_SEQUENCE_LABEL} {{id: '{_AUDIT_SEQUENCE_ID}'}})\n"
    "ON CREATE SET audit_seq.epoch = randomUUID()\n"
    "SET audit_seq.n = coalesce(audit_seq.n, 0) + size($audits)\n"
    "WITH *\n"
    "FOREACH (i IN range(0, size($audits) - 1) |\n"
    f"  CREATE (audit:{AUDIT_LABEL}) SET audit = $audits[i],\n"
    "    audit.seq = audit_seq.n - size($audits) + 1 + i)\n"
    f"FOREACH (event IN $events | CREATE (outbox:{WEBHOOK_EVENT_LABEL}) SET outbox = event)"
)
"""_AUDIT for a write that makes several changes at once (a what-if saved): ``$audits`` in
the order of the changes, numbered so, as the writes one after the other would have them."""


# The records a deal keeps of its own (work-plan items, approvals, violations, stage moves,
# delivery reviews): they mean nothing without it and go with it, never left open and unseen
# with no deal to show them on. Its contacts stay: they are with people, who stay.
_DEAL_RECORD_RELS: Final = "PLANNED_FOR|REQUESTED_FOR|VIOLATION_OF|TRANSITION_OF|REVIEW_OF"


def _login_member_name(login: str) -> str:
    """The name of the team member the login ``login`` (an expression) acts as, null when
    nobody is linked (an administrator, the system): people are named by their names, never
    by their logins (see docs/security.md)."""
    return (
        f"head([(login_user:{RecordKind.USER.value})-[:ACTS_AS]->(login_member:TeamMember)"
        f" WHERE login_user.id = {login} | login_member.name])"
    )


def _audit_names(ids: str) -> str:
    """After _AUDIT: the entry names ``ids`` too (a list of ids, or of edge keys ``from->to``),
    what the write changed beyond the node its caller named (a delete's cascade, the texts an
    erasure rewrote), so kept chains holding any of them are dropped (``resolvers.kept``)."""
    names = (
        f"reduce(acc = '', named_id IN {ids} | acc + ' ' + replace(toString(named_id), '->', ' '))"
    )
    return f"SET audit.subjects = trim($audit.subjects + {names})\n"


# Taken first by a write whose guard reads a shape that other writes change elsewhere in the
# graph (no cycle over MANAGES): the audit sequence's lock, which every write takes and holds
# until it commits, is taken before the guard reads, so the guard reads what committed before
# it. Under Neo4j's read-committed isolation two opposite links otherwise both pass.
_SERIALISED: Final = (
    f"MERGE (serial:{AUDIT_SEQUENCE_LABEL} {{id: '{_AUDIT_SEQUENCE_ID}'}})\n"
    "ON CREATE SET serial.epoch = randomUUID()\n"
    f"SET serial:{AUDIT_SEQUENCE_LABEL}\n"
    "WITH serial\n"
)

# Visibility of each node kind to the caller, as a WITH ... WHERE clause over the variable n.
# Parameters: $scope_all (bool), $scope_customers and $scope_opportunities (id lists).
# Pattern comprehensions are projected in WITH before filtering: FalkorDB cannot evaluate
# them inside a WHERE combined with other conditions.
_VISIBILITY: Final[dict[NodeKind, tuple[str, str]]] = {
    NodeKind.CUSTOMER: ("", "n.id IN $scope_customers"),
    NodeKind.OPPORTUNITY: ("", "n.id IN $scope_opportunities"),
    # A person of another organisation in the chain of a deal one may see (a tender expert, a
    # consultant, a group officer) is seen by that deal's people: they log contacts with them.
    NodeKind.KEY_PERSON: (
        "[(n)-[:WORKS_AT]->(vc:Customer) | vc.id] AS vis_customers, "
        "[(n)-[:IN_DECISION_CHAIN]->(vo:Opportunity) | vo.id] AS vis_opportunities",
        "any(x IN vis_customers WHERE x IN $scope_customers)"
        " OR any(x IN vis_opportunities WHERE x IN $scope_opportunities)",
    ),
    NodeKind.COMPETITOR: ("", "true"),
    NodeKind.TEAM_MEMBER: ("", "true"),
    NodeKind.ACTIVITY: (
        "[(n)-[:ABOUT]->(vo:Opportunity) | vo.id] AS vis_opportunities, "
        "[(n)-[:WITH]->(:KeyPerson)-[:WORKS_AT]->(vc:Customer) | vc.id] AS vis_customers",
        "any(x IN vis_opportunities WHERE x IN $scope_opportunities)"
        " OR any(x IN vis_customers WHERE x IN $scope_customers)",
    ),
    NodeKind.WORK_PLAN_ITEM: (
        "[(n)-[:PLANNED_FOR]->(vo:Opportunity) | vo.id] AS vis_opportunities",
        "any(x IN vis_opportunities WHERE x IN $scope_opportunities)",
    ),
    NodeKind.APPROVAL: (
        "[(n)-[:REQUESTED_FOR]->(vo:Opportunity) | vo.id] AS vis_opportunities",
        "any(x IN vis_opportunities WHERE x IN $scope_opportunities)",
    ),
}


# The customers of one group: a customer and its ancestors over PART_OF. Two customers are of
# one group when these lists meet (a customer has one parent, so groups are trees).
def _group_of(customer: str, var: str) -> str:
    return f"[{customer}.id] + [({customer})-[:PART_OF*1..]->({var}:Customer) | {var}.id]"


def scoped(kind: NodeKind, carry: str = "n") -> str:
    """A ``WITH carry … WHERE`` clause keeping only nodes ``n`` of a kind the caller may see."""
    projection, predicate = _VISIBILITY[kind]
    extra = f", {projection}" if projection else ""
    return f"WITH {carry}{extra}\nWHERE $scope_all OR {predicate}"


# --- nodes -------------------------------------------------------------------------------


def _create_node(label: str) -> str:
    return f"""
OPTIONAL MATCH (existing:{label} {{id: $props.id}})
WITH count(existing) AS taken
WHERE taken = 0
CREATE (n:{label})
SET n = $props
WITH n
{_AUDIT}
RETURN properties(n) AS node
"""


# Every versioned write locks the node before comparing its version (`SET n:Label` on the label
# the node has; `WITH n`): Neo4j reads committed data without locks, so two concurrent writers
# could both see the version they expect and both write (a lost update). Re-setting a label
# takes the node's write lock without reading a property, and the version read after it is the
# latest committed one. FalkorDB runs one write at a time; there it changes nothing
# (tests/graph/test_store_dialect.py).
def _update_node(label: str) -> str:
    return f"""
MATCH (n:{label} {{id: $id}})
SET n:{label}
WITH n
WHERE n.version = $version
SET n += $changes, n.version = n.version + 1, n.updated_at = $now
WITH n
{_AUDIT}
RETURN properties(n) AS node
"""


def _delete_node(label: str) -> str:
    return f"""
MATCH (n:{label} {{id: $id}})
SET n:{label}
WITH n
WHERE n.version = $version
WITH n, properties(n) AS before
DETACH DELETE n
WITH before
{_AUDIT}
RETURN before.id AS id
"""


def _get_nodes(kind: NodeKind) -> str:
    return f"""
UNWIND $ids AS wanted
MATCH (n:{kind.value} {{id: wanted}})
{scoped(kind)}
RETURN properties(n) AS node
"""


def _existing_ids(label: str) -> str:
    return f"""
UNWIND $ids AS wanted
MATCH (n:{label} {{id: wanted}})
RETURN n.id AS id
"""


CREATE_NODE: Final = {kind: _create_node(kind.value) for kind in NodeKind}
UPDATE_NODE: Final = {kind: _update_node(kind.value) for kind in NodeKind}
DELETE_NODE: Final = {
    kind: _delete_node(kind.value)
    for kind in NodeKind
    if kind not in (NodeKind.CUSTOMER, NodeKind.OPPORTUNITY)
}
GET_NODES: Final = {kind: _get_nodes(kind) for kind in NodeKind}
EXISTING_IDS: Final[dict[Label, str]] = {kind: _existing_ids(kind.value) for kind in all_labels()}

# A competitor is a company: one record per name as people mean it (``$key``: letter case,
# full-width letters and runs of spaces aside), or every picker offers it twice and its ties
# split between the two. A record stored before it had a key is compared by its name, case and
# outer spaces aside. The guard reads under the audit sequence's lock, so two people naming it
# at once make one.
_SAME_NAME: Final = "coalesce(same.name_key, toLower(trim(same.name))) = $key"
CREATE_COMPETITOR: Final = f"""
{_SERIALISED}OPTIONAL MATCH (same:Competitor)
WHERE {_SAME_NAME} OR same.id = $props.id
WITH count(same) AS taken
WHERE taken = 0
CREATE (n:Competitor)
SET n = $props, n.name_key = $key
WITH n
{_AUDIT}
RETURN properties(n) AS node
"""

# A rename keeps the same rule: the competitor's name may not become another's (the guard
# reads under the same lock as a create's).
UPDATE_COMPETITOR: Final = f"""
{_SERIALISED}MATCH (n:Competitor {{id: $id}})
SET n:Competitor
WITH n
WHERE n.version = $version
OPTIONAL MATCH (same:Competitor)
WHERE same.id <> n.id AND {_SAME_NAME}
WITH n, count(same) AS taken
WHERE taken = 0
SET n += $changes, n.name_key = $key, n.version = n.version + 1, n.updated_at = $now
WITH n
{_AUDIT}
RETURN properties(n) AS node
"""

# Competitors stored before names had keys, and their keys as ``name_key`` reads them (set at
# every start, so a store of an older version holds to the one-record-per-name rule too).
COMPETITORS_WITHOUT_KEY: Final = """
MATCH (n:Competitor) WHERE n.name_key IS NULL RETURN n.id AS id, n.name AS name
"""
SET_COMPETITOR_KEYS: Final = """
UNWIND $rows AS row
MATCH (n:Competitor {id: row.id})
SET n.name_key = row.key
"""

# The competitor of the name ``$key`` other than ``$other`` (null: any), as it is written.
COMPETITOR_NAMED: Final = f"""
MATCH (same:Competitor)
WHERE {_SAME_NAME} AND ($other IS NULL OR same.id <> $other)
RETURN same.name AS name
LIMIT 1
"""

CREATE_KEY_PERSON: Final = f"""
MATCH (c:Customer {{id: $customer_id}})
OPTIONAL MATCH (existing:KeyPerson {{id: $props.id}})
WITH c, count(existing) AS taken
WHERE taken = 0
CREATE (n:KeyPerson)-[w:WORKS_AT]->(c)
SET n = $props, w = $works_at
WITH n
{_AUDIT}
RETURN properties(n) AS node
"""

# The creator's place on the team of what they create ($team_member_id null: none), so that
# someone who sees only their teams' deals and accounts sees what they have just made; a
# creator's member that is gone writes nothing (the audit entry would name a place never made).
_CREATOR_ON_TEAM: Final = """OPTIONAL MATCH (tm:TeamMember {id: $team_member_id})"""
_PUT_CREATOR_ON_TEAM: Final = """FOREACH (x IN CASE WHEN tm IS NULL THEN [] ELSE [tm] END |
  CREATE (x)-[:ON_TEAM {role: $team_role, phase: $team_phase,
    created_at: $props.created_at, updated_at: $props.created_at}]->(n))"""

CREATE_OPPORTUNITY: Final = f"""
MATCH (c:Customer {{id: $customer_id}})
OPTIONAL MATCH (existing:Opportunity {{id: $props.id}})
WITH c, count(existing) AS taken
WHERE taken = 0
{_CREATOR_ON_TEAM}
WITH c, tm
WHERE $team_member_id IS NULL OR tm IS NOT NULL
CREATE (n:Opportunity)-[:FOR]->(c)
SET n = $props
{_PUT_CREATOR_ON_TEAM}
WITH n
{_AUDIT}
RETURN properties(n) AS node
"""

# A new customer's parent company (when one is named) and its creator's team member (when they
# join its team): both must exist, or nothing is written.
_PARENT_AND_CREATOR: Final = f"""OPTIONAL MATCH (p:Customer {{id: $parent_id}})
WITH p
WHERE $parent_id IS NULL OR p IS NOT NULL
{_CREATOR_ON_TEAM}
WITH p, tm
WHERE $team_member_id IS NULL OR tm IS NOT NULL"""

# A new customer and its first deal in one write: a deal refused leaves no customer behind, and
# the creator joins both teams (as CREATE_CUSTOMER and CREATE_OPPORTUNITY put them).
CREATE_CUSTOMER_WITH_OPPORTUNITY: Final = f"""
OPTIONAL MATCH (existing:Customer {{id: $customer.id}})
WITH count(existing) AS customer_taken
OPTIONAL MATCH (existing_deal:Opportunity {{id: $props.id}})
WITH customer_taken, count(existing_deal) AS taken
WHERE customer_taken = 0 AND taken = 0
{_PARENT_AND_CREATOR}
CREATE (c:Customer)
SET c = $customer
FOREACH (x IN CASE WHEN p IS NULL THEN [] ELSE [p] END |
  CREATE (c)-[:PART_OF {{created_at: $customer.created_at, updated_at: $customer.created_at}}]->(x))
FOREACH (x IN CASE WHEN tm IS NULL THEN [] ELSE [tm] END |
  CREATE (x)-[:ON_TEAM {{role: $team_role, phase: $team_phase,
    created_at: $customer.created_at, updated_at: $customer.created_at}}]->(c))
CREATE (n:Opportunity)-[:FOR]->(c)
SET n = $props
{_PUT_CREATOR_ON_TEAM}
WITH n, c
{_AUDIT_TWO}
RETURN properties(c) AS customer, properties(n) AS node
"""

# An activity's people work at the customer of the opportunity it is about, or are external
# members of that opportunity's decision chain; without an opportunity, they are of one group.
LOG_ACTIVITY: Final = f"""
OPTIONAL MATCH (existing:Activity {{id: $props.id}})
WITH count(existing) AS taken
WHERE taken = 0
OPTIONAL MATCH (o:Opportunity {{id: $opportunity_id}})-[:FOR]->(oc:Customer)
WITH o, oc
WHERE $opportunity_id IS NULL OR o IS NOT NULL
OPTIONAL MATCH (p:KeyPerson)-[:WORKS_AT]->(pc:Customer)
WHERE p.id IN $person_ids
WITH o, oc, p, pc, {_group_of("pc", "pg")} AS person_group,
  [(p)-[xm:IN_DECISION_CHAIN]->(xo:Opportunity) WHERE xo.id = $opportunity_id
    | xm.external_kind] AS memberships
WITH o, collect(DISTINCT p) AS persons, collect(person_group) AS groups,
  collect(pc = oc OR any(x IN memberships WHERE x IS NOT NULL)) AS allowed
WHERE size(persons) = size($person_ids)
  AND CASE WHEN o IS NULL
    THEN all(g IN groups WHERE any(x IN g WHERE x IN head(groups)))
    ELSE all(a IN allowed WHERE a) END
OPTIONAL MATCH (m:TeamMember)
WHERE m.id IN $member_ids
WITH o, persons, collect(DISTINCT m) AS members
WHERE size(members) = size($member_ids)
CREATE (n:Activity)
SET n = $props
FOREACH (p IN persons | CREATE (n)-[:WITH]->(p))
FOREACH (m IN members | CREATE (m)-[:DID]->(n))
FOREACH (x IN CASE WHEN o IS NULL THEN [] ELSE [o] END | CREATE (n)-[:ABOUT]->(x))
WITH n
{_AUDIT}
RETURN properties(n) AS node
"""

# A customer, under its parent (group company) when one is named.
CREATE_CUSTOMER: Final = f"""
OPTIONAL MATCH (existing:Customer {{id: $props.id}})
WITH count(existing) AS taken
WHERE taken = 0
{_PARENT_AND_CREATOR}
CREATE (n:Customer)
SET n = $props
FOREACH (x IN CASE WHEN p IS NULL THEN [] ELSE [p] END |
  CREATE (n)-[:PART_OF {{created_at: $props.created_at, updated_at: $props.created_at}}]->(x))
{_PUT_CREATOR_ON_TEAM}
WITH n
{_AUDIT}
RETURN properties(n) AS node
"""

# What a customer n moving under p (null: leaving its group) would break, with $set_parent:
# links (REPORTS_TO, INFLUENCES) from the people of n and its subsidiaries to people of
# customers that would no longer be of their group, and group officers in the deals of n and
# its subsidiaries who would no longer work at a parent company. Rows [kind, a, b, c] of
# names: ['LINK', person, other person, their customer], ['OFFICER', person, deal, customer].
_GROUP_BREAKS: Final = """OPTIONAL MATCH (p)-[:PART_OF*0..]->(anc:Customer)
WITH n, p, [n.id] + collect(DISTINCT anc.id) AS new_group
OPTIONAL MATCH (n)<-[:PART_OF*0..]-(:Customer)<-[:WORKS_AT]-(a:KeyPerson)
  -[link:REPORTS_TO|INFLUENCES]-(b:KeyPerson)-[:WORKS_AT]->(oc:Customer)
WHERE $set_parent AND NOT (oc)-[:PART_OF*0..]->(n)
OPTIONAL MATCH (oc)-[:PART_OF*0..]->(shared:Customer)
WHERE shared.id IN new_group
WITH n, p, new_group, a, b, oc, count(shared) AS kept
WITH n, p, new_group,
  collect(DISTINCT CASE WHEN oc IS NOT NULL AND kept = 0
    THEN ['LINK', a.name, b.name, oc.name] END) AS links
OPTIONAL MATCH (n)<-[:PART_OF*0..]-(:Customer)<-[:FOR]-(o:Opportunity)
  <-[m:IN_DECISION_CHAIN]-(g:KeyPerson)-[:WORKS_AT]->(gc:Customer)
WHERE $set_parent AND m.external_kind = 'GROUP_OFFICER' AND NOT gc.id IN new_group
  AND NOT (gc)-[:PART_OF*0..]->(n)
WITH n, p, links, collect(DISTINCT CASE WHEN g IS NOT NULL
    THEN ['OFFICER', g.name, o.name, gc.name] END) AS officers
WITH n, p, links + officers AS breaks
"""

# A customer's fields and, with $set_parent, its parent (null: none), in one statement. A new
# parent must exist and must not be the customer or one of its subsidiaries (no cycles), and
# the move must leave every link of the group's people within their group.
UPDATE_CUSTOMER: Final = f"""
MATCH (n:Customer {{id: $id}})
SET n:Customer
WITH n
WHERE n.version = $version
OPTIONAL MATCH (p:Customer {{id: $parent_id}})
WITH n, p
WHERE NOT $set_parent OR $parent_id IS NULL
  OR (p IS NOT NULL AND p <> n AND NOT (p)-[:PART_OF*0..]->(n))
{_GROUP_BREAKS}WITH n, p, breaks
WHERE size(breaks) = 0
OPTIONAL MATCH (n)-[old:PART_OF]->(:Customer)
WHERE $set_parent
DELETE old
WITH DISTINCT n, p
SET n += $changes, n.version = n.version + 1, n.updated_at = $now
FOREACH (x IN CASE WHEN $set_parent AND p IS NOT NULL THEN [p] ELSE [] END |
  CREATE (n)-[:PART_OF {{created_at: $now, updated_at: $now}}]->(x))
WITH n
{_AUDIT}
RETURN properties(n) AS node
"""

# Why UPDATE_CUSTOMER refused a move that was no cycle (see _GROUP_BREAKS).
CUSTOMER_GROUP_BREAKS: Final = f"""
MATCH (n:Customer {{id: $id}})
OPTIONAL MATCH (p:Customer {{id: $parent_id}})
WITH n, p
{_GROUP_BREAKS}RETURN breaks
"""

# A group company with subsidiaries is not deleted: its subsidiaries would fall apart into
# unrelated customers while their people stay linked.
DELETE_CUSTOMER: Final = f"""
MATCH (n:Customer {{id: $id}})
WHERE n.version = $version AND NOT (n)<-[:PART_OF]-(:Customer)
OPTIONAL MATCH (o:Opportunity)-[:FOR]->(n)
WITH n, collect(o) AS opportunities
WHERE size(opportunities) = 0 OR $cascade
OPTIONAL MATCH (rec)-[:{_DEAL_RECORD_RELS}]->(ro:Opportunity)-[:FOR]->(n)
WITH n, opportunities, collect(rec) AS records
OPTIONAL MATCH (p:KeyPerson)-[:WORKS_AT]->(n)
WITH n, opportunities, records, collect(p) AS people, properties(n) AS before
WITH n, opportunities, records, people, before,
  [x IN opportunities | x.id] + [x IN people | x.id] AS removed
FOREACH (x IN records | DETACH DELETE x)
FOREACH (x IN opportunities | DETACH DELETE x)
FOREACH (x IN people | DETACH DELETE x)
DETACH DELETE n
WITH before, removed, size(opportunities) AS opportunity_count, size(people) AS person_count
{_AUDIT}
{_audit_names("removed")}RETURN before.id AS id, opportunity_count, person_count
"""

DELETE_OPPORTUNITY: Final = f"""
MATCH (n:Opportunity {{id: $id}})
SET n:Opportunity
WITH n
WHERE n.version = $version
OPTIONAL MATCH (rec)-[:{_DEAL_RECORD_RELS}]->(n)
WITH n, collect(rec) AS records, properties(n) AS before
FOREACH (x IN records | DETACH DELETE x)
DETACH DELETE n
WITH before, size(records) AS record_count
{_AUDIT}
RETURN before.id AS id, record_count
"""

COUNT_CUSTOMER_OPPORTUNITIES: Final = """
MATCH (o:Opportunity)-[:FOR]->(c:Customer {id: $id})
RETURN count(o) AS count
"""

# --- edges -------------------------------------------------------------------------------


# A person joins a deal's decision chain as an insider (works at the deal's customer, no
# external kind) or as an external member: an officer of the customer's group (works at an
# ancestor of the customer) or another kind of outsider (works elsewhere). $external_given says
# whether the caller set or cleared the kind; otherwise the member keeps the one they had.
_CHAIN_MEMBER_GUARD: Final = f"""MATCH (s)-[:WORKS_AT]->(pc:Customer)
MATCH (t)-[:FOR]->(oc:Customer)
OPTIONAL MATCH (s)-[old_member:IN_DECISION_CHAIN]->(t)
WITH s, t, pc, oc,
  CASE WHEN $external_given THEN $external_kind ELSE old_member.external_kind END AS ext,
  {_group_of("oc", "og")} AS deal_group,
  $expected_version IS NULL
    OR (old_member IS NOT NULL AND coalesce(old_member.version, 1) = $expected_version)
    AS as_read
WHERE as_read AND ((pc = oc AND ext IS NULL)
  OR (pc <> oc AND ext IS NOT NULL AND (ext <> 'GROUP_OFFICER' OR pc.id IN deal_group)))
"""

# A place in a chain made again (the person taken off it and put back) keeps the day it was
# first made, read from its first audit entry: the days a member found late has for their needs
# count from then, so taking someone off and back does not restart them.
_FIRST_PLACED: Final = f"""OPTIONAL MATCH (placed:{AUDIT_LABEL})
WHERE placed.target_id = $from_id + '->' + $to_id AND placed.target_kind = 'IN_DECISION_CHAIN'
WITH s, t, ext, min(placed.at) AS first_placed
"""

_SAME_GROUP_GUARD: Final = f"""MATCH (s)-[:WORKS_AT]->(sc:Customer)
MATCH (t)-[:WORKS_AT]->(tc:Customer)
WITH s, t, {_group_of("sc", "sg")} AS s_group, {_group_of("tc", "tg")} AS t_group
WHERE any(x IN s_group WHERE x IN t_group)
"""


def _set_edge(spec: EdgeSpec, source: NodeKind, target: NodeKind) -> str:
    rel = spec.kind.value
    guards = ["s <> t"] if spec.no_self_loops else []
    if spec.no_cycles:
        guards.append(f"NOT (t)-[:{rel}*0..]->(s)")
    where = f"WHERE {' AND '.join(guards)}\n" if guards else ""
    if spec.same_group:
        where += _SAME_GROUP_GUARD
    chain = spec.kind is EdgeKind.IN_DECISION_CHAIN
    if chain:
        where += _CHAIN_MEMBER_GUARD + _FIRST_PLACED
    replace = (
        f"OPTIONAL MATCH (s)-[old:{rel}]->(other)\nWHERE other <> t\n"
        "DELETE old\nWITH DISTINCT s, t\n"
        if spec.single_per_source
        else ""
    )
    # a place in a chain counts its versions: a client that read one names it to change it
    extra = ", r.external_kind = ext, r.version = coalesce(r.version, 1) + 1" if chain else ""
    created = "ON CREATE SET r = $defaults" + (
        ", r.version = 0, r.created_at = coalesce(first_placed, r.created_at)" if chain else ""
    )
    return f"""
MATCH (s:{source.value} {{id: $from_id}})
MATCH (t:{target.value} {{id: $to_id}})
{where}{replace}MERGE (s)-[r:{rel}]->(t)
{created}
SET r += $props{extra}, r.updated_at = $now
WITH r
{_AUDIT}
RETURN properties(r) AS edge
"""


# Why a change of a place in a decision chain guarded by the version read was refused: the
# person's name, and whether and at which version they still sit in the chain.
CHAIN_PLACE: Final = f"""
MATCH (p:KeyPerson {{id: $person_id}})
OPTIONAL MATCH (p)-[m:IN_DECISION_CHAIN]->(:Opportunity {{id: $opportunity_id}})
OPTIONAL MATCH (a:{AUDIT_LABEL} {{target_id: $person_id + '->' + $opportunity_id}})
WHERE a.target_kind = 'IN_DECISION_CHAIN'
WITH p, m, count(a) AS entries
RETURN p.name AS name, m IS NOT NULL AS placed, coalesce(m.version, 1) AS version,
  entries > 0 AS ever
"""


def _remove_edge(spec: EdgeSpec, source: NodeKind, target: NodeKind) -> str:
    # a person's place in a chain is removed only while it has the role the client named
    # ($role null: whatever it is) and the version it read ($expected_version null: any)
    guard = (
        "WHERE ($role IS NULL OR r.role = $role)\n"
        "  AND ($expected_version IS NULL OR coalesce(r.version, 1) = $expected_version)\n"
        if spec.kind is EdgeKind.IN_DECISION_CHAIN
        else ""
    )
    return f"""
MATCH (s:{source.value} {{id: $from_id}})-[r:{spec.kind.value}]->(t:{target.value} {{id: $to_id}})
{guard}WITH r, properties(r) AS before
DELETE r
WITH before
{_AUDIT}
RETURN before AS edge
"""


def _edge_endpoints() -> list[tuple[EdgeSpec, NodeKind, NodeKind]]:
    return [
        (spec, source, target)
        for spec in EDGE_SPECS.values()
        for source in spec.sources
        for target in spec.targets
    ]


EdgeKey = tuple[EdgeKind, NodeKind, NodeKind]
TransferKey = tuple[RelType, Label, Label]
"""An edge group of export and import: a domain ``EdgeKey`` or a system records' one."""

SET_EDGE: Final[dict[EdgeKey, str]] = {
    (spec.kind, s, t): _set_edge(spec, s, t) for spec, s, t in _edge_endpoints()
}
REMOVE_EDGE: Final[dict[EdgeKey, str]] = {
    (spec.kind, s, t): _remove_edge(spec, s, t) for spec, s, t in _edge_endpoints()
}

# Why a link between two people, or a person and a deal, was refused: each end's name, its
# customer (id and name) and that customer's group (its id and its ancestors' ids).
LINK_PEOPLE: Final = f"""
UNWIND $ids AS wanted
MATCH (p:KeyPerson {{id: wanted}})-[:WORKS_AT]->(c:Customer)
RETURN p.id AS id, p.name AS name, c.id AS customer_id, c.name AS customer_name,
  {_group_of("c", "g")} AS customer_group,
  [(p)-[m:IN_DECISION_CHAIN]->(o:Opportunity {{id: $opportunity_id}}) | m.external_kind]
    AS memberships
"""

CUSTOMER_GROUPS: Final = f"""
UNWIND $ids AS wanted
MATCH (c:Customer {{id: wanted}})
RETURN c.id AS id, {_group_of("c", "g")} AS customer_group
"""

LINK_OPPORTUNITY: Final = f"""
MATCH (o:Opportunity {{id: $id}})-[:FOR]->(c:Customer)
RETURN o.name AS name, c.id AS customer_id, c.name AS customer_name,
  {_group_of("c", "g")} AS customer_group
"""

WOULD_CLOSE_CYCLE: Final = """
MATCH (s:KeyPerson {id: $from_id})
MATCH (t:KeyPerson {id: $to_id})
RETURN s = t OR size([(t)-[:REPORTS_TO*1..]->(s) | 1]) > 0 AS cycle
"""

# --- lists -------------------------------------------------------------------------------
# One statement per kind and direction: ORDER BY direction cannot be a parameter. The sort key
# is a whitelisted property name passed as $sort (dynamic property access), with $sort_default
# standing in for missing values so that keyset cursors compare like with like. An enum field
# sorts in its declared order ($ranks: its values in that order; the key is the position), so
# stages run from the first to the last, not from A to Z (FalkorDB evaluates range() in the
# branch not taken too: hence the coalesce).

# Per kind: the projections the filters need, then the filter predicates over them.
_LIST_FILTERS: Final[dict[NodeKind, tuple[str, str]]] = {
    NodeKind.CUSTOMER: (
        "",
        """($name IS NULL OR toLower(n.name) CONTAINS toLower($name))
  AND ($industry IS NULL OR n.industry = $industry)
  AND ($region IS NULL OR n.region = $region)""",
    ),
    NodeKind.KEY_PERSON: (
        "[(n)-[fw:WORKS_AT]->(fc:Customer) | {id: fc.id, department: fw.department}] AS jobs, "
        "[(n)-[fr:IN_DECISION_CHAIN]->(fo:Opportunity)"
        " | {id: fo.id, role: fr.role, attitude: fr.attitude}] AS chains",
        """($name IS NULL OR toLower(n.name) CONTAINS toLower($name))
  AND ($customer_id IS NULL OR any(j IN jobs WHERE j.id = $customer_id))
  AND ($department IS NULL OR any(j IN jobs WHERE j.department = $department))
  AND ($opportunity_id IS NULL OR any(m IN chains WHERE m.id = $opportunity_id
       AND ($role IS NULL OR m.role = $role) AND ($attitude IS NULL OR m.attitude = $attitude)))""",
    ),
    NodeKind.COMPETITOR: ("", "($name IS NULL OR toLower(n.name) CONTAINS toLower($name))"),
    NodeKind.OPPORTUNITY: (
        "[(n)-[:FOR]->(fc:Customer) | fc.id] AS customer_ids, "
        "[(fm:TeamMember)-[:ON_TEAM]->(n) | fm.id] AS member_ids",
        """($name IS NULL OR toLower(n.name) CONTAINS toLower($name))
  AND ($stages IS NULL OR n.stage IN $stages)
  AND ($grades IS NULL OR n.grade IN $grades)
  AND ($customer_id IS NULL OR $customer_id IN customer_ids)
  AND ($member_id IS NULL OR $member_id IN member_ids)
  AND ($amount_min IS NULL OR n.amount >= $amount_min)
  AND ($amount_max IS NULL OR n.amount <= $amount_max)""",
    ),
    NodeKind.TEAM_MEMBER: (
        "",
        """($name IS NULL OR toLower(n.name) CONTAINS toLower($name))
  AND ($role IS NULL OR n.role = $role)""",
    ),
    NodeKind.ACTIVITY: (
        "[(n)-[:WITH]->(fp:KeyPerson) | fp.id] AS person_ids, "
        "[(n)-[:ABOUT]->(fo:Opportunity) | fo.id] AS opportunity_ids, "
        "[(fm:TeamMember)-[:DID]->(n) | fm.id] AS member_ids",
        """($person_id IS NULL OR $person_id IN person_ids)
  AND ($opportunity_id IS NULL OR $opportunity_id IN opportunity_ids)
  AND ($member_id IS NULL OR $member_id IN member_ids)
  AND ($types IS NULL OR n.type IN $types)
  AND ($occurred_from IS NULL OR n.occurred_at >= $occurred_from)
  AND ($occurred_to IS NULL OR n.occurred_at < $occurred_to)
  AND ($recorded IS NULL OR ($recorded AND n.outcome IS NOT NULL)
    OR (NOT $recorded AND n.outcome IS NULL))""",
    ),
    NodeKind.WORK_PLAN_ITEM: (
        "[(n)-[:PLANNED_FOR]->(fo:Opportunity) | fo.id] AS opportunity_ids, "
        "[(n)-[:ASSIGNED_TO]->(fm:TeamMember) | fm.id] AS member_ids",
        """($opportunity_id IS NULL OR $opportunity_id IN opportunity_ids)
  AND ($member_id IS NULL OR $member_id IN member_ids)
  AND ($statuses IS NULL OR n.status IN $statuses)
  AND ($due_by IS NULL OR (n.due_date IS NOT NULL AND n.due_date <= $due_by))
  AND ($changed_since IS NULL OR coalesce(n.updated_at, n.created_at) >= $changed_since)""",
    ),
    NodeKind.APPROVAL: (
        "[(n)-[:REQUESTED_FOR]->(fo:Opportunity) | fo.id] AS opportunity_ids",
        """($opportunity_id IS NULL OR $opportunity_id IN opportunity_ids)
  AND ($states IS NULL OR n.state IN $states)
  AND ($process IS NULL OR n.process = $process)""",
    ),
}


def _list_nodes(kind: NodeKind, descending: bool) -> str:
    direction, compare = ("DESC", "<") if descending else ("ASC", ">")
    projections, predicate = _LIST_FILTERS[kind]
    projection = f", {projections}" if projections else ""
    return f"""
MATCH (n:{kind.value})
{scoped(kind)}
WITH n{projection}
WHERE {predicate}
WITH n, CASE WHEN $ranks IS NULL THEN coalesce(n[$sort], $sort_default)
  ELSE coalesce(head([i IN range(0, size(coalesce($ranks, [])) - 1)
    WHERE $ranks[i] = n[$sort]]), $sort_default) END AS sort_key
ORDER BY sort_key {direction}, n.id {direction}
WITH collect({{node: n, key: sort_key}}) AS rows
RETURN size(rows) AS total,
  [row IN rows
   WHERE $after_id IS NULL OR row.key {compare} $after_key
     OR (row.key = $after_key AND row.node.id {compare} $after_id)
   | properties(row.node)][0..$limit] AS nodes
"""


LIST_NODES: Final = {
    (kind, descending): _list_nodes(kind, descending)
    for kind in NodeKind
    for descending in (False, True)
}

# --- decision chain and org chart ----------------------------------------------------------


# Every pattern comprehension here starts from a node bound by MATCH or WITH (the opportunity
# ``n``, or ``cn``): FalkorDB does not bind a list comprehension's variable (nor an enclosing
# pattern comprehension's) inside a pattern comprehension, so ``[p IN people | [(p)-->(x) | x]]``
# silently matches the whole graph. Anchoring each path on ``n`` keeps every expansion local to
# the chain and needs no carried lists.
#
# The caller shows the members, plus connectors (people outside the chain next to a member over
# REPORTS_TO or INFLUENCES, only with $with_connectors), and the ties among them. The statement
# is shaped for few, small rows, which is where its time goes:
# - ``cn`` is ``n`` with connectors and null without. The connector patterns start from it, so
#   without connectors they expand nothing (a WHERE on the parameter inside the comprehension
#   would still walk every path first). Such a comprehension is [] on FalkorDB and may be null
#   on Neo4j, hence the coalesce.
# - ``ties``: person-to-person ties leaving a member (each tie among members once); ties
#   arriving at a member from outside matter only with connectors.
# - Team members and competitors tied to members come once each (collect DISTINCT); the ties
#   themselves as id rows, from comprehensions: FalkorDB copies the values a WITH carries into
#   every row of the next OPTIONAL MATCH, so collected tie lists are not carried any further.
# - Activities come in a second part, after the chains: one row whose ``shared`` lists each
#   recent activity about one of the deals or with one of their members once, as
#   [activity, links], links [type, other id] over WITH, DID and ABOUT. The people of one
#   customer sit in many of its deals' chains, so per chain the same activities (with their
#   links) would come back again in every chain that shares those people; the caller picks
#   each chain's own from its members and deal. Its other columns, and the chain rows'
#   ``shared``, are null.
# - A third part, only for deals with a member who left the customer: ``line`` holds the
#   successor the team named, and, when they left too, whom they named, three deep
#   (``LINE_DEPTH``), each found by id among the deal's customer's people, so who holds a job
#   now is followed past people off the chain (``ChainSnapshot.holder_of``); ``asked``, per
#   such member, the steps of other deals' plans asking them for their successor
#   ($successor_play), [person, item, deal, status, drop reason, planned at] (one who left is
#   asked once for all their deals). Whoever sees a deal
#   sees its customer, and no deal's name comes back: the part reads the same for every
#   caller (a kept chain is shared).
# Rows are lists rather than maps (less to encode and decode) and may repeat (a tie or a link
# reached through two members): the caller drops repeats. Nodes come as nodes, not
# ``properties(x)``: both executors hand them over as property maps, and FalkorDB sends a node
# for less than it takes to build the map (most of all in a large, freshly written graph).
# Relationships give only the fields the caller reads.
# The ids come already cut to the deals the caller sees (``graph.chains``), as for
# PROCESS_FACTS: `n.id IN $scope_opportunities` after the UNWIND cost, on FalkorDB, per deal as
# much as the scope is long (a page of a director's 1,000 deals: 0.48 s against 0.27 s without).
_CHAIN_COLUMNS: Final = (
    "opportunity", "customer", "members", "jobs", "neighbours", "ties", "knowers",
    "member_knows", "connector_knows", "allies", "rival_ties", "team", "competitors",
    "planned", "planned_targets",
)  # fmt: skip


def _decision_chains(head: str = "", carry: str = "") -> str:
    """Every deal's chain in one statement; ``head`` runs first and ``carry`` names what it
    hands on to the result."""
    nulls = ", ".join(f"null AS {column}" for column in (*carry.split(", ")[:-1], *_CHAIN_COLUMNS))
    return f"""
{head}UNWIND $ids AS wanted
MATCH (n:Opportunity {{id: wanted}})-[:FOR]->(c:Customer)
OPTIONAL MATCH (n)<-[:IN_DECISION_CHAIN]-(:KeyPerson)<-[:KNOWS]-(km:TeamMember)
WITH {carry}n, c, collect(DISTINCT km) AS knowers
OPTIONAL MATCH (n)<-[:IN_DECISION_CHAIN]-(:KeyPerson)<-[:CLOSE_TO]-(cx:Competitor)
WITH {carry}n, c, knowers, collect(DISTINCT cx) AS allies,
  CASE WHEN $with_connectors THEN n ELSE null END AS cn
RETURN {carry}properties(n) AS opportunity, properties(c) AS customer,
  [(n)<-[mc:IN_DECISION_CHAIN]-(mp:KeyPerson)
    | [mp, mc.role, mc.influence, mc.attitude, mc.needs, mc.needs_fit, mc.external_kind,
      coalesce(mc.version, 1), mc.created_at]]
    AS members,
  [(n)<-[:IN_DECISION_CHAIN]-(wp:KeyPerson)-[mw:WORKS_AT]->(:Customer)
    | [wp.id, mw.title, mw.department]] AS jobs,
  coalesce([(cn)<-[:IN_DECISION_CHAIN]-(:KeyPerson)-[:REPORTS_TO|INFLUENCES]-(x:KeyPerson)
    -[xw:WORKS_AT]->(xc:Customer)
    WHERE $scope_all OR xc.id IN $scope_customers
    | [x, xw.title, xw.department]], []) AS neighbours,
  [(n)<-[:IN_DECISION_CHAIN]-(tf:KeyPerson)-[tr:REPORTS_TO|INFLUENCES|KNOWS]->(tt:KeyPerson)
    | [type(tr), tf.id, tt.id, tr.strength, tr.level]]
    + coalesce([(cn)<-[:IN_DECISION_CHAIN]-(ut:KeyPerson)<-[ur:REPORTS_TO|INFLUENCES|KNOWS]-
      (uf:KeyPerson) | [type(ur), uf.id, ut.id, ur.strength, ur.level]], []) AS ties,
  knowers,
  [(n)<-[:IN_DECISION_CHAIN]-(kp:KeyPerson)<-[kr:KNOWS]-(km2:TeamMember)
    | [km2.id, kp.id, kr.level, kr.since]] AS member_knows,
  coalesce([(cn)<-[:IN_DECISION_CHAIN]-(:KeyPerson)-[:REPORTS_TO|INFLUENCES]-(vx:KeyPerson)
    <-[vr:KNOWS]-(vm:TeamMember)
    | [vm.id, vx.id, vr.level, vr.since, vm]], []) AS connector_knows,
  allies,
  [(n)<-[:IN_DECISION_CHAIN]-(cp:KeyPerson)<-[cr:CLOSE_TO]-(cx2:Competitor)
    | [cx2.id, cp.id, cr.level]] AS rival_ties,
  [(n)<-[ot:ON_TEAM]-(t:TeamMember) | [t, ot.role, ot.phase]] AS team,
  [(n)<-[cf:COMPETES_FOR]-(cx3:Competitor) | [cx3, cf.position, cf.price_position]]
    AS competitors,
  [(n)<-[:PLANNED_FOR]-(w:WorkPlanItem)
    WHERE w.status IN ['OPEN', 'DONE'] OR w.dropped_at IS NOT NULL
    | [w.id, w.action, w.dropped_at, w.drop_reason, w.resume_on, w.status, w.updated_at,
      w.due_date]]
    AS planned,
  [(n)<-[:PLANNED_FOR]-(w2:WorkPlanItem)-[:TARGETS]->(wt:KeyPerson)
    WHERE w2.status IN ['OPEN', 'DONE'] OR w2.dropped_at IS NOT NULL | [w2.id, wt.id]]
    AS planned_targets,
  null AS shared, null AS line, null AS asked
UNION ALL
UNWIND $ids AS wanted
MATCH (n:Opportunity {{id: wanted}})-[:FOR]->(c:Customer)
OPTIONAL MATCH (n)<-[:IN_DECISION_CHAIN]-(:KeyPerson)<-[:WITH]-(pa:Activity)
WHERE pa.occurred_at >= $activities_since
WITH n, collect(pa) AS near
WITH near + [(n)<-[:ABOUT]-(oa:Activity) WHERE oa.occurred_at >= $activities_since | oa] AS found
UNWIND found AS a
WITH DISTINCT a
WITH a, [(a)-[r:WITH|DID|ABOUT]-(x) | [type(r), x.id]] AS links
RETURN {nulls}, collect([a, links]) AS shared, null AS line, null AS asked
UNION ALL
UNWIND $ids AS wanted
MATCH (lc:Customer)<-[:FOR]-(lo:Opportunity {{id: wanted}})<-[:IN_DECISION_CHAIN]-(lm:KeyPerson)
WHERE lm.left_on IS NOT NULL
OPTIONAL MATCH (s1:KeyPerson)-[:WORKS_AT]->(lc)
WHERE lm.left_successor_id IS NOT NULL AND s1.id = lm.left_successor_id
OPTIONAL MATCH (s2:KeyPerson)-[:WORKS_AT]->(lc)
WHERE s1.left_successor_id IS NOT NULL AND s2.id = s1.left_successor_id
OPTIONAL MATCH (s3:KeyPerson)-[:WORKS_AT]->(lc)
WHERE s2.left_successor_id IS NOT NULL AND s3.id = s2.left_successor_id
RETURN {nulls}, null AS shared,
  collect(DISTINCT s1) + collect(DISTINCT s2) + collect(DISTINCT s3) AS line,
  collect([(lm)<-[:TARGETS]-(aw:WorkPlanItem)-[:PLANNED_FOR]->(ao:Opportunity)
    WHERE ao.id <> wanted AND aw.action = $successor_play
    | [lm.id, aw.id, ao.id, aw.status, aw.drop_reason, aw.created_at]]) AS asked
"""


LINE_DEPTH: Final = 3
"""How far ``DECISION_CHAINS`` follows a line of successors who left in turn."""

DECISION_CHAINS: Final = _decision_chains()

# The same, with the audit sequence as it stood before the chains were read (`sequence`:
# [epoch, number, bulk]): chains kept by a reader (resolvers.kept) are at least that fresh.
DECISION_CHAINS_SEQUENCED: Final = _decision_chains(
    f"OPTIONAL MATCH (seq:{AUDIT_SEQUENCE_LABEL} {{id: '{_AUDIT_SEQUENCE_ID}'}})\n"
    "WITH [seq.epoch, seq.n, seq.bulk] AS sequence\n",
    "sequence, ",
)


# The open deals, most recently changed first: whose chains a server loads ahead of the first
# reader after it starts (resolvers.warming). A deal without a stage is in its first one.
OPEN_DEALS_RECENT: Final = """
MATCH (n:Opportunity)
WHERE n.stage IS NULL OR NOT n.stage IN $closed
RETURN n.id AS id
ORDER BY coalesce(n.updated_at, n.created_at, 0) DESC, n.id
LIMIT $limit
"""

ACTIVITY_LINKS: Final = """
UNWIND $ids AS wanted
MATCH (a:Activity {id: wanted})
RETURN properties(a) AS activity,
  [(a)-[:WITH]->(p:KeyPerson) | p.id] AS person_ids,
  [(m:TeamMember)-[:DID]->(a) | m.id] AS member_ids,
  head([(a)-[:ABOUT]->(o:Opportunity) | o.id]) AS opportunity_id
"""

ORG_CHART: Final = f"""
MATCH (n:Customer {{id: $id}})
{scoped(NodeKind.CUSTOMER)}
RETURN properties(n) AS customer,
  [(n)<-[sw:WORKS_AT]-(sp:KeyPerson) | {{person: properties(sp), works: properties(sw)}}]
    AS people,
  [(n)<-[:WORKS_AT]-(rp:KeyPerson)-[:REPORTS_TO]->(rq:KeyPerson)-[:WORKS_AT]->(n)
    | {{from_id: rp.id, to_id: rq.id}}] AS reports_to,
  [(n)<-[:WORKS_AT]-(ip:KeyPerson)-[infl:INFLUENCES]->(iq:KeyPerson)-[:WORKS_AT]->(n)
    | {{from_id: ip.id, to_id: iq.id, strength: infl.strength}}] AS influences
"""

# --- relationship fields used by the API's batched loaders ---------------------------------


def _outgoing(edge: EdgeKind, source: NodeKind, target: NodeKind) -> str:
    return f"""
UNWIND $ids AS wanted
MATCH (s:{source.value} {{id: wanted}})-[r:{edge.value}]->(n:{target.value})
{scoped(target, "wanted, n, r")}
RETURN wanted AS source_id, properties(n) AS node, properties(r) AS edge
"""


def _incoming(edge: EdgeKind, source: NodeKind, target: NodeKind) -> str:
    return f"""
UNWIND $ids AS wanted
MATCH (n:{source.value})-[r:{edge.value}]->(t:{target.value} {{id: wanted}})
{scoped(source, "wanted, n, r")}
RETURN wanted AS source_id, properties(n) AS node, properties(r) AS edge
"""


OUTGOING: Final[dict[EdgeKey, str]] = {
    (spec.kind, s, t): _outgoing(spec.kind, s, t) for spec, s, t in _edge_endpoints()
}
INCOMING: Final[dict[EdgeKey, str]] = {
    (spec.kind, s, t): _incoming(spec.kind, s, t) for spec, s, t in _edge_endpoints()
}

# --- audit -------------------------------------------------------------------------------

# Pages collect property maps, not nodes: Neo4j 5.26 fails with an internal error
# (ClassCastException in the planner) on a comprehension over nodes collected after an ORDER BY
# on their properties (tests/graph/test_store_dialect.py).
# A deal's entries include those of its approvals (an approval is its own node, requested and
# decided on its own entries). The page comes with the names of the team members its entries
# record their logins acted as then (`member_names`: [member id, name] pairs), and, for older
# entries that record none, of those the logins act as now (`actor_names`: [login, name] pairs).
AUDIT_LOG: Final = f"""
OPTIONAL MATCH (ap:Approval)-[:REQUESTED_FOR]->(:Opportunity {{id: $target_id}})
WITH collect(ap.id) AS approvals
MATCH (a:{AUDIT_LABEL})
WHERE ($target_id IS NULL OR a.target_id = $target_id OR a.target_id IN approvals)
WITH a ORDER BY a.at DESC, a.id DESC
WITH collect(properties(a)) AS rows
WITH size(rows) AS total,
  [row IN rows WHERE $after_at IS NULL OR row.at < $after_at
     OR (row.at = $after_at AND row.id < $after_id)][0..$limit] AS entries
WITH total, entries, [row IN entries WHERE row.actor_member_id IS NULL | row.actor_id] AS actors,
  [row IN entries WHERE row.actor_member_id IS NOT NULL | row.actor_member_id] AS members
OPTIONAL MATCH (then_member:TeamMember)
WHERE then_member.id IN members
WITH total, entries, actors, collect([then_member.id, then_member.name]) AS member_names
RETURN total, entries, member_names,
  [(login_user:{RecordKind.USER.value})-[:ACTS_AS]->(login_member:TeamMember)
    WHERE login_user.id IN actors | [login_user.id, login_member.name]] AS actor_names
"""

# --- bulk import / export ------------------------------------------------------------------
# Every label and relationship type the store writes travels: the domain graph and the system
# records (audit trail, TAS+ process records, users and tokens), all declared in the model.
# Import rows were checked against the model before they reach these statements. Nodes are
# merged by id and their properties replaced, so importing a file twice changes nothing.
# Export pages are keyset-paginated on the (source) node id: $after_id is "" for the first
# page (every id is non-empty) so the id index serves the range.


def _import_nodes(label: str) -> str:
    return f"""
UNWIND $rows AS row
MERGE (n:{label} {{id: row.id}})
SET n = row
RETURN count(n) AS count
"""


def _import_edges(spec: EdgeSpec | RecordEdgeSpec, source: Label, target: Label) -> str:
    rel = spec.kind.value
    replace = (
        f"OPTIONAL MATCH (s)-[old:{rel}]->(other)\nWHERE other <> t\n"
        "DELETE old\nWITH DISTINCT row, s, t\n"
        if spec.single_per_source
        else ""
    )
    return f"""
UNWIND $rows AS row
MATCH (s:{source.value} {{id: row.from_id}})
MATCH (t:{target.value} {{id: row.to_id}})
{replace}MERGE (s)-[r:{rel}]->(t)
SET r = row.props
RETURN count(r) AS count
"""


def _export_nodes(label: str) -> str:
    return f"""
MATCH (n:{label})
WHERE n.id > $after_id
WITH n ORDER BY n.id
LIMIT $limit
RETURN n.id AS cursor, properties(n) AS node
"""


def _export_edges(spec: EdgeSpec | RecordEdgeSpec, source: Label, target: Label) -> str:
    return f"""
MATCH (s:{source.value})
WHERE s.id > $after_id
WITH s ORDER BY s.id
LIMIT $limit
RETURN s.id AS cursor,
  [(s)-[r:{spec.kind.value}]->(t:{target.value}) | {{to_id: t.id, props: properties(r)}}] AS out
ORDER BY cursor
"""


def _transfer_endpoints() -> list[tuple[EdgeSpec | RecordEdgeSpec, Label, Label]]:
    """Every edge group that export and import carry: the domain's, then the records'."""
    return [
        *_edge_endpoints(),
        *(
            (spec, source, target)
            for spec in RECORD_EDGE_SPECS.values()
            for source in spec.sources
            for target in spec.targets
        ),
    ]


IMPORT_NODES: Final[dict[Label, str]] = {kind: _import_nodes(kind.value) for kind in all_labels()}
IMPORT_AUDIT: Final = IMPORT_NODES[RecordKind.AUDIT_ENTRY]
IMPORT_EDGES: Final[dict[TransferKey, str]] = {
    (spec.kind, s, t): _import_edges(spec, s, t) for spec, s, t in _transfer_endpoints()
}
EXPORT_NODES: Final[dict[Label, str]] = {kind: _export_nodes(kind.value) for kind in all_labels()}
EXPORT_AUDIT: Final = EXPORT_NODES[RecordKind.AUDIT_ENTRY]
EXPORT_EDGES: Final[dict[TransferKey, str]] = {
    (spec.kind, s, t): _export_edges(spec, s, t) for spec, s, t in _transfer_endpoints()
}
EXPORT_COUNT_NODES: Final[dict[Label, str]] = {
    kind: f"MATCH (n:{kind.value}) RETURN count(n) AS count" for kind in all_labels()
}
EXPORT_COUNT_AUDIT: Final = EXPORT_COUNT_NODES[RecordKind.AUDIT_ENTRY]
EXPORT_COUNT_EDGES: Final[dict[TransferKey, str]] = {
    (spec.kind, s, t): f"MATCH (:{s.value})-[r:{spec.kind.value}]->(:{t.value}) "
    "RETURN count(r) AS count"
    for spec, s, t in _transfer_endpoints()
}


# Import of rows the checking pass found new (ids not in the store, edges between two nodes
# this import creates, each once in the file): CREATE, which the store does at its bulk rate,
# where MERGE would first look for a match of every row.
def _import_create_nodes(label: str) -> str:
    return f"""
UNWIND $rows AS row
CREATE (n:{label})
SET n = row
RETURN count(n) AS count
"""


def _import_create_edges(spec: EdgeSpec | RecordEdgeSpec, source: Label, target: Label) -> str:
    return f"""
UNWIND $rows AS row
MATCH (s:{source.value} {{id: row.from_id}})
MATCH (t:{target.value} {{id: row.to_id}})
CREATE (s)-[r:{spec.kind.value}]->(t)
SET r = row.props
RETURN count(r) AS count
"""


IMPORT_CREATE_NODES: Final[dict[Label, str]] = {
    kind: _import_create_nodes(kind.value) for kind in all_labels()
}
IMPORT_CREATE_EDGES: Final[dict[TransferKey, str]] = {
    (spec.kind, s, t): _import_create_edges(spec, s, t) for spec, s, t in _transfer_endpoints()
}


# --- strategy: work plans and warm paths ---------------------------------------------------

# Nothing is written when the same play for the same target is an open item of the deal
# already, so two accepts of one suggestion at once make one item. The deal is locked
# (`SET o:Opportunity`, see _update_node) before its plan is read: without the lock, identical
# accepts at once on Neo4j all read a plan without the play and all wrote.
ACCEPT_SUGGESTION: Final = f"""
MATCH (o:Opportunity {{id: $opportunity_id}})
SET o:Opportunity
WITH o
OPTIONAL MATCH (p:KeyPerson {{id: $person_id}})
OPTIONAL MATCH (m:TeamMember {{id: $owner_id}})
WITH o, p, m
WHERE ($person_id IS NULL OR p IS NOT NULL) AND ($owner_id IS NULL OR m IS NOT NULL)
OPTIONAL MATCH (o)<-[:PLANNED_FOR]-(twin:WorkPlanItem {{action: $props.action, status: 'OPEN'}})
OPTIONAL MATCH (twin)-[:TARGETS]->(tp:KeyPerson)
WITH o, p, m, collect(CASE WHEN coalesce(tp.id, '') = coalesce($person_id, '') THEN twin.id END)
  AS twins
WHERE size(twins) = 0
CREATE (n:WorkPlanItem)-[:PLANNED_FOR]->(o)
SET n = $props
FOREACH (x IN CASE WHEN p IS NULL THEN [] ELSE [p] END | CREATE (n)-[:TARGETS]->(x))
FOREACH (x IN CASE WHEN m IS NULL THEN [] ELSE [m] END | CREATE (n)-[:ASSIGNED_TO]->(x))
WITH n
{_AUDIT}
RETURN properties(n) AS node
"""

# An open item's result: the activity with its target, done by $member_ids (who of ours took
# part), and the item closed; nothing is written unless the item is open at $version.
# $observation: the target's role, closeness and attitude at that moment (effect_role,
# effect_before_*, effect_due_at) for the play-effect learning, or {} when there is none.
RECORD_WORK_PLAN_RESULT: Final = f"""
MATCH (n:WorkPlanItem {{id: $item_id}})-[:PLANNED_FOR]->(o:Opportunity)
SET n:WorkPlanItem
WITH n, o
WHERE n.version = $version AND n.status = 'OPEN'
OPTIONAL MATCH (n)-[:TARGETS]->(p:KeyPerson)
OPTIONAL MATCH (m:TeamMember) WHERE m.id IN $member_ids
WITH n, o, p, collect(m) AS members
CREATE (a:Activity)-[:ABOUT]->(o)
CREATE (n)-[:RESULTED_IN]->(a)
SET a = $activity
FOREACH (x IN CASE WHEN p IS NULL THEN [] ELSE [p] END | CREATE (a)-[:WITH]->(x))
FOREACH (x IN members | CREATE (x)-[:DID]->(a))
SET n.status = 'DONE', n.result = $result, n.version = n.version + 1, n.updated_at = $now
SET n += $observation
WITH n
{_AUDIT}
RETURN properties(n) AS node
"""

# An open item changed as a plan is revised: $props (its due date, or its status and
# dropped_at when it is dropped) and, when $owner_id is given, its owner (the old ASSIGNED_TO
# replaced). Nothing is written unless the item is open at $version and the new owner exists.
CHANGE_WORK_PLAN_ITEM: Final = f"""
MATCH (n:WorkPlanItem {{id: $item_id}})
SET n:WorkPlanItem
WITH n
WHERE n.version = $version AND n.status = 'OPEN'
OPTIONAL MATCH (m:TeamMember {{id: $owner_id}})
WITH n, m
WHERE $owner_id IS NULL OR m IS NOT NULL
OPTIONAL MATCH (n)-[old:ASSIGNED_TO]->(:TeamMember)
FOREACH (_ IN CASE WHEN m IS NULL OR old IS NULL THEN [] ELSE [1] END | DELETE old)
WITH DISTINCT n, m
FOREACH (x IN CASE WHEN m IS NULL THEN [] ELSE [m] END | CREATE (n)-[:ASSIGNED_TO]->(x))
SET n += $props, n.version = n.version + 1, n.updated_at = $now
WITH n
{_AUDIT}
RETURN properties(n) AS node
"""

WARM_GRAPH: Final = f"""
MATCH (target:KeyPerson {{id: $target_id}})-[:WORKS_AT]->(n:Customer)
{scoped(NodeKind.CUSTOMER, "target, n")}
RETURN target.id AS target_id,
  [(n)<-[:WORKS_AT]-(wp:KeyPerson) | {{id: wp.id, name: wp.name}}] AS people,
  [(n)<-[:WORKS_AT]-(kp:KeyPerson)<-[wk:KNOWS]-(wt:TeamMember)
    | {{member_id: wt.id, member_name: wt.name, title: wt.title, email: wt.email,
       person_id: kp.id, level: wk.level}}]
    AS team_knows,
  [(n)<-[:WORKS_AT]-(pp:KeyPerson)-[wpk:KNOWS]->(wq:KeyPerson)-[:WORKS_AT]->(n)
    | {{from_id: pp.id, to_id: wq.id, strength: wpk.level}}] AS person_knows,
  [(n)<-[:WORKS_AT]-(rp:KeyPerson)-[:REPORTS_TO]->(wr:KeyPerson)-[:WORKS_AT]->(n)
    | {{from_id: rp.id, to_id: wr.id}}] AS reports_to,
  [(n)<-[:WORKS_AT]-(ip:KeyPerson)-[wi:INFLUENCES]->(wiq:KeyPerson)-[:WORKS_AT]->(n)
    | {{from_id: ip.id, to_id: wiq.id, strength: wi.strength}}] AS influences,
  [(n)<-[:WORKS_AT]-(cp:KeyPerson)<-[wct:CLOSE_TO]-(:Competitor)
    | {{person_id: cp.id, level: wct.level}}] AS competitor_ties,
  [(n)<-[:WORKS_AT]-(ap:KeyPerson)-[wm:IN_DECISION_CHAIN]->(:Opportunity)
    | {{person_id: ap.id, attitude: wm.attitude}}] AS attitudes
"""


# --- health ----------------------------------------------------------------------------------

PING: Final = "RETURN 1 AS ok"

COUNT_NODES: Final = {kind: f"MATCH (n:{kind.value}) RETURN count(n) AS count" for kind in NodeKind}


def all_statements() -> dict[str, str]:
    """Every statement of this module by a stable name, for linting and documentation."""
    found: dict[str, str] = {}
    for name, value in globals().items():
        if not name.isupper() or name.startswith("_"):
            continue
        if isinstance(value, str) and value.strip() and not name.endswith("_LABEL"):
            found[name] = value
        elif isinstance(value, dict):
            for key, statement in value.items():
                if isinstance(statement, str):
                    found[f"{name}[{_key_name(key)}]"] = statement
    return found


def _key_name(key: object) -> str:
    if isinstance(key, tuple):
        return ",".join(_key_name(part) for part in key)
    return str(getattr(key, "value", key))


# --- TAS+ process ----------------------------------------------------------------------------
# Stage moves, approvals, delivery reviews, quotes and violations (graph.process_store).
# System records (the model's RecordKind, with their fields in RECORD_SPECS), not domain
# nodes: a StageTransition or a Violation is never edited or deleted through the generic node
# statements (there is no DELETE_NODE for them). Approval history is a JSON list in the
# Approval's `history` (one of the model's stored-only Approval fields).
# Every write creates its audit entry in the same statement.

TRANSITION_LABEL: Final = RecordKind.STAGE_TRANSITION.value
REVIEW_LABEL: Final = RecordKind.DELIVERY_REVIEW.value
VIOLATION_LABEL: Final = RecordKind.VIOLATION.value
PROCESS_LABELS: Final = (TRANSITION_LABEL, REVIEW_LABEL, VIOLATION_LABEL)

# A deal closed (won, lost, abandoned) cancels its open work plan items in the same statement:
# nobody owes a play on a decided deal. They are read first (OPEN_PLAN_ITEMS) for the audit
# entry; the write checks that the deal's open items are still exactly these, else it writes
# nothing (someone planned or finished one meanwhile: CONFLICT). Other moves pass $cancel = [].
OPEN_PLAN_ITEMS: Final = """
MATCH (w:WorkPlanItem)-[:PLANNED_FOR]->(:Opportunity {id: $id})
WHERE w.status = $open
RETURN w.id AS id
"""

ADVANCE_STAGE: Final = f"""
MATCH (o:Opportunity {{id: $id}})
SET o:Opportunity
WITH o, [(o)<-[:PLANNED_FOR]-(x:WorkPlanItem) WHERE x.status = $open | x.id] AS open_ids
WHERE o.version = $version AND o.stage = $from_stage
  AND (NOT $closing OR (size(open_ids) = size($cancel) AND all(i IN open_ids WHERE i IN $cancel)))
OPTIONAL MATCH (item:WorkPlanItem)-[:PLANNED_FOR]->(o)
WHERE item.id IN $cancel
FOREACH (_ IN CASE WHEN item IS NULL THEN [] ELSE [1] END |
  SET item.status = $cancelled, item.version = item.version + 1, item.updated_at = $now)
WITH DISTINCT o
SET o.stage = $to_stage, o.stage_entered_at = $now, o.furthest_stage = $furthest_stage,
  o.closed_from = $closed_from, o.version = o.version + 1, o.updated_at = $now
CREATE (t:{TRANSITION_LABEL})-[:TRANSITION_OF]->(o)
SET t = $transition
WITH o
{_AUDIT}
RETURN properties(o) AS node
"""

# An identical request (same process, same request fields) in one of $twin_states (pending or
# approved): the statement writes nothing. The deal is locked (`SET o:Opportunity`, see
# _update_node) before its approvals are read, so two identical requests at once run one after
# the other on Neo4j and the second sees the first; FalkorDB runs one write at a time. The
# fields are compared as stored: resolvers.process_records writes them as sorted-key JSON.
REQUEST_APPROVAL: Final = f"""
MATCH (o:Opportunity {{id: $opportunity_id}})
SET o:Opportunity
WITH o
MATCH (m:TeamMember {{id: $requester_id}})
OPTIONAL MATCH (o)<-[:REQUESTED_FOR]-(twin:Approval {{process: $props.process}})
WHERE twin.request = $props.request AND twin.state IN $twin_states
WITH o, m, count(twin) AS twins
WHERE twins = 0
CREATE (a:Approval)-[:REQUESTED_FOR]->(o)
CREATE (a)-[:REQUESTED_BY]->(m)
SET a = $props
WITH a
{_AUDIT}
RETURN properties(a) AS node
"""

DECIDE_APPROVAL: Final = f"""
MATCH (a:Approval {{id: $id}})
SET a:Approval
WITH a
WHERE a.version = $version AND a.state = $from_state
MATCH (m:TeamMember {{id: $decider_id}})
SET a.state = $state, a.history = $history, a.comment = $comment, a.decided_at = $now,
  a.version = a.version + 1, a.updated_at = $now
FOREACH (x IN CASE WHEN $record_decider THEN [m] ELSE [] END | CREATE (a)-[:DECIDED_BY]->(x))
WITH a
{_AUDIT}
RETURN properties(a) AS node
"""

# The review also completes the deal's open work plan steps of the plays it is ($review_plays),
# with $step_result as their result: the step and the review cannot disagree. $refused: the
# amount a review that is not feasible refused (null, removing it, after a feasible one).
RECORD_DELIVERY_REVIEW: Final = f"""
MATCH (o:Opportunity {{id: $id}})
SET o:Opportunity
WITH o
WHERE o.version = $version
MATCH (m:TeamMember {{id: $reviewer_id}})
SET o.delivery_reviewed = $reviewed, o.infeasible_quote_amount = $refused,
  o.version = o.version + 1, o.updated_at = $now
CREATE (r:{REVIEW_LABEL})-[:REVIEW_OF]->(o)
CREATE (r)-[:REVIEWED_BY]->(m)
SET r = $review
WITH o
OPTIONAL MATCH (o)<-[:PLANNED_FOR]-(w:WorkPlanItem)
WHERE w.status = 'OPEN' AND w.action IN $review_plays
WITH o, collect(w) AS steps
FOREACH (w IN steps | SET w.status = 'DONE', w.result = $step_result,
  w.version = w.version + 1, w.updated_at = $now)
WITH o
{_AUDIT}
RETURN properties(o) AS node
"""

UPDATE_OPPORTUNITY_RESETTING_QUOTE: Final = f"""
MATCH (o:Opportunity {{id: $id}})
SET o:Opportunity
WITH o
WHERE o.version = $version
  AND (o.quote_status = $submitted OR o.delivery_reviewed = true
    OR o.infeasible_quote_amount IS NOT NULL)
SET o += $changes, o.quote_status = $draft, o.delivery_reviewed = false,
  o.infeasible_quote_amount = null, o.quote_submitted_at = null, o.version = o.version + 1,
  o.updated_at = $now
WITH o
{_AUDIT}
WITH o
CREATE (reset:{AUDIT_LABEL}) SET reset = $reset_audit
RETURN properties(o) AS node
"""


def _merge_ties(rows: str, sources: str, source_key: str, rel: str) -> str:
    """Each of ``rows`` (``{source_key, person_id, props, defaults}``) as a ``rel`` tie from
    its source in the list ``sources`` to its person in ``people``, made or changed."""
    return f"""FOREACH (t IN {rows} |
  FOREACH (s IN [x IN {sources} WHERE x.id = t.{source_key}] |
    FOREACH (k IN [y IN people WHERE y.id = t.person_id] |
      MERGE (s)-[e:{rel}]->(k)
      ON CREATE SET e = t.defaults
      SET e += t.props, e.updated_at = $now)))"""


# A what-if saved as what is so, all or nothing: the deal's fields ($deal_changes, its version
# guarded when $version is given), attitudes of places in its chain and places taken off it
# (each still at the version its client read: $places), ties of ours and of rivals to people,
# and the pricing discussions a price heard was (each with its person and our member), with one
# audit entry per change. Everything it names must be there as read, or nothing is written.
SAVE_WHAT_IF: Final = f"""
MATCH (o:Opportunity {{id: $opportunity_id}})
SET o:Opportunity
WITH o
WHERE $version IS NULL OR o.version = $version
OPTIONAL MATCH (p:KeyPerson)-[r:IN_DECISION_CHAIN]->(o)
WITH o, collect(p.id) AS placed, collect(coalesce(r.version, 1)) AS versions,
  collect(r) AS places
WHERE all(x IN $places WHERE any(i IN range(0, size(placed) - 1)
  WHERE placed[i] = x.person_id AND (x.version IS NULL OR versions[i] = x.version)))
OPTIONAL MATCH (m:TeamMember)
WHERE m.id IN $member_ids
WITH o, places, collect(DISTINCT m) AS members
WHERE size(members) = size($member_ids)
OPTIONAL MATCH (k:KeyPerson)
WHERE k.id IN $person_ids
WITH o, places, members, collect(DISTINCT k) AS people
WHERE size(people) = size($person_ids)
OPTIONAL MATCH (c:Competitor)
WHERE c.id IN $competitor_ids
WITH o, places, members, people, collect(DISTINCT c) AS rivals
WHERE size(rivals) = size($competitor_ids)
SET o += $deal_changes
FOREACH (x IN CASE WHEN size(keys($deal_changes)) > 0 THEN [1] ELSE [] END |
  SET o.version = o.version + 1, o.updated_at = $now)
FOREACH (r IN places |
  FOREACH (a IN [y IN $attitudes WHERE y.person_id = startNode(r).id] |
    SET r.attitude = a.attitude, r.version = coalesce(r.version, 1) + 1, r.updated_at = $now))
FOREACH (r IN places |
  FOREACH (x IN CASE WHEN startNode(r).id IN $leaving THEN [1] ELSE [] END | DELETE r))
{_merge_ties("$ties", "members", "member_id", "KNOWS")}
{_merge_ties("$allies", "rivals", "competitor_id", "CLOSE_TO")}
FOREACH (t IN $talks |
  CREATE (n:Activity)
  SET n = t.props
  FOREACH (k IN [y IN people WHERE y.id = t.person_id] | CREATE (n)-[:WITH]->(k))
  FOREACH (m IN [x IN members WHERE x.id IN t.member_ids] | CREATE (m)-[:DID]->(n))
  CREATE (n)-[:ABOUT]->(o))
WITH o
{_AUDITS}
RETURN properties(o) AS node
"""

SUBMIT_QUOTE: Final = f"""
MATCH (o:Opportunity {{id: $id}})
SET o:Opportunity
WITH o
WHERE o.version = $version
SET o.quote_status = $submitted, o.quote_submitted_at = $now, o.version = o.version + 1,
  o.updated_at = $now
WITH o
{_AUDIT}
RETURN properties(o) AS node
"""

# A finding matches the open violation of its key (refreshed: who answers for it and, unless
# acknowledged, its wording, since an idle deal's days go on) or raises a new one: a resolved
# violation keeps its key on record, so a cause that comes back is a new violation. $resolved
# (rows with an id) are the open violations whose cause the caller found gone, $resolved_ids
# their ids (a plain list keeps the lookup on the id index); $repeated the ids of acknowledged
# ones whose recheck came due: marked ``repeated_at`` (unless a concurrent write resolved or
# marked them first), they step aside for the new violation their row raises, kept on record
# and resolved with it when the cause goes.
UPSERT_VIOLATIONS: Final = f"""
OPTIONAL MATCH (due:{VIOLATION_LABEL})
WHERE due.id IN $repeated AND due.acknowledged = true AND due.resolved_at IS NULL
  AND due.repeated_at IS NULL
WITH collect(due) AS due
FOREACH (v IN due | SET v.repeated_at = $now)
WITH [v IN due | v.id] AS marked
UNWIND $rows AS row
MATCH (o:Opportunity {{id: row.opportunity_id}})
OPTIONAL MATCH (known:{VIOLATION_LABEL} {{key: row.key}})
WHERE known.resolved_at IS NULL AND known.repeated_at IS NULL AND NOT known.id IN marked
WITH o, row, collect(known) AS open
FOREACH (v IN open |
  SET v.last_seen_at = $now, v.responsible_member_id = row.responsible_member_id,
    v.message_zh = CASE WHEN v.acknowledged THEN v.message_zh ELSE row.message_zh END,
    v.message_en = CASE WHEN v.acknowledged THEN v.message_en ELSE row.message_en END,
    v.evidence = CASE WHEN v.acknowledged THEN v.evidence ELSE row.evidence END)
FOREACH (_ IN CASE WHEN size(open) = 0 THEN [1] ELSE [] END |
  CREATE (v:{VIOLATION_LABEL})-[:VIOLATION_OF]->(o) SET v = row)
WITH count(row) AS seen
OPTIONAL MATCH (gone:{VIOLATION_LABEL})
WHERE gone.id IN $resolved_ids AND gone.resolved_at IS NULL
WITH seen, collect(gone) AS gone
FOREACH (v IN gone | SET v.resolved_at = $now)
WITH seen
{_AUDIT}
RETURN seen
"""

# The answer of whoever answers for a violation: what was done, and by when it will be put
# right ($put_right_by, null for a past event); again while unacknowledged.
RESPOND_VIOLATION: Final = f"""
MATCH (v:{VIOLATION_LABEL} {{id: $id}})
WHERE v.acknowledged = false
SET v.responded_at = $now, v.responded_by = $actor_id, v.response_member_id = $member_id,
  v.response_note = $note, v.put_right_by = $put_right_by
WITH v
{_AUDIT}
RETURN properties(v) AS node
"""

# A sales director's "not yet": the response they read ($responded_at) goes back to whoever
# answers for the violation, still open (it waits on them again, ``responded_at`` cleared; its
# note stays to read, its promised date goes with it), with why.
SEND_BACK_VIOLATION: Final = f"""
MATCH (v:{VIOLATION_LABEL} {{id: $id}})
WHERE v.acknowledged = false AND v.resolved_at IS NULL AND v.responded_at = $responded_at
SET v.responded_at = null, v.put_right_by = null, v.sent_back_at = $now, v.sent_back_by = $actor_id,
  v.sent_back_member_id = $member_id, v.sent_back_note = $note
WITH v
{_AUDIT}
RETURN properties(v) AS node
"""

# A sales director's acknowledgement of the violation as they read it: with the response they
# read ($responded_at, null for none), whose promised date then decides when it comes back.
ACKNOWLEDGE_VIOLATION: Final = f"""
MATCH (v:{VIOLATION_LABEL} {{id: $id}})
SET v:{VIOLATION_LABEL}
WITH v
WHERE v.acknowledged = false AND coalesce(v.responded_at, -1) = coalesce($responded_at, -1)
SET v.acknowledged = true, v.acknowledged_at = $now, v.acknowledged_by = $actor_id,
  v.acknowledged_member_id = $member_id, v.acknowledgement_note = $note
WITH v
{_AUDIT}
RETURN properties(v) AS node
"""

# The ids come already cut to what the caller sees (``process_store.load_process_rows``): on
# FalkorDB, `n.id IN $scope_opportunities` after an UNWIND costs per row as much as the list is
# long (2.1 s for a director's 1,000 deals, 0.16 s without it). The patterns start from the deal:
# started from the approval, FalkorDB went through every approval for each deal.
PROCESS_FACTS: Final = f"""
UNWIND $ids AS wanted
MATCH (n:Opportunity {{id: wanted}})
RETURN n.id AS opportunity_id, properties(n) AS opportunity,
  [(n)<-[:REQUESTED_FOR]-(pa:Approval) | properties(pa)] AS approvals,
  [(n)<-[:REVIEW_OF]-(pr:{REVIEW_LABEL}) | properties(pr)] AS reviews
"""

# Each move names the team member it was moved on behalf of (``member_id``, kept with the move),
# else, for a move that keeps none, the one its login acts as now.
STAGE_HISTORY: Final = f"""
UNWIND $ids AS wanted
MATCH (t:{TRANSITION_LABEL})-[:TRANSITION_OF]->(o:Opportunity {{id: wanted}})
OPTIONAL MATCH (mover:TeamMember {{id: t.member_id}})
RETURN wanted AS opportunity_id, properties(t) AS transition,
  coalesce(mover.name, {_login_member_name("t.actor_id")}) AS actor_member_name
"""

# What "What changed" tells of a deal's process, in one read: its approvals with the names of
# who requested and decided them, its delivery reviews with the reviewer's name (relationships
# to the team members who did them), its stage moves, and its quote submissions and resets
# (audit entries of $quote_ops: the deal keeps only the last submission). A move keeps the
# team member it was made on behalf of (``member_id``), an audit entry the one its login acted
# as (``actor_member_id``): their names come as `member_names` ([id, name] pairs); a move or
# entry that keeps none (written before they were kept) names the member its login acts as now
# (the move's second item, and `submitter_names`: [login, name] pairs). A withdrawal's actor is
# the requester. FalkorDB mixes up two pattern comprehensions of one clause that use the same
# names: each has names of its own.
PROCESS_STEPS: Final = f"""
MATCH (o:Opportunity {{id: $id}})
OPTIONAL MATCH (q:{AUDIT_LABEL} {{target_id: $id}})
WHERE q.operation IN $quote_ops
WITH o, collect([q.at, q.changes, q.actor_id, q.actor_name, q.actor_member_id, q.operation])
  AS quotes
WITH o, [x IN quotes WHERE x[0] IS NOT NULL] AS quotes
WITH o, quotes, [(t:{TRANSITION_LABEL})-[:TRANSITION_OF]->(o) | [properties(t),
    {_login_member_name("t.actor_id")}]] AS moves
WITH o, quotes, moves, [x IN quotes WHERE x[4] IS NULL | x[2]] AS submitters,
  [x IN quotes WHERE x[4] IS NOT NULL | x[4]] + [m IN moves | m[0].member_id] AS members
OPTIONAL MATCH (then_member:TeamMember)
WHERE then_member.id IN members
WITH o, quotes, moves, submitters, collect([then_member.id, then_member.name]) AS member_names
RETURN o.currency AS currency,
  [(ap:Approval)-[:REQUESTED_FOR]->(o) | [properties(ap),
    head([(ap)-[:REQUESTED_BY]->(requester:TeamMember) | requester.name]),
    head([(ap)-[:DECIDED_BY]->(decider:TeamMember) | decider.name])]] AS approvals,
  [(r:{REVIEW_LABEL})-[:REVIEW_OF]->(o) | [properties(r),
    head([(r)-[:REVIEWED_BY]->(reviewer:TeamMember) | reviewer.name])]] AS reviews,
  moves, quotes, member_names,
  [(quote_user:{RecordKind.USER.value})-[:ACTS_AS]->(quote_member:TeamMember)
    WHERE quote_user.id IN submitters | [quote_user.id, quote_member.name]] AS submitter_names
"""

OPPORTUNITY_IDS: Final = f"""
MATCH (n:Opportunity)
{scoped(NodeKind.OPPORTUNITY)}
WITH n
WHERE NOT $open_only OR NOT n.stage IN $closed
RETURN n.id AS id
ORDER BY id
"""

# The open (unresolved) violations of some opportunities, acknowledged or not.
OPEN_VIOLATIONS: Final = f"""
UNWIND $ids AS wanted
MATCH (v:{VIOLATION_LABEL} {{opportunity_id: wanted}})
WHERE v.resolved_at IS NULL
RETURN properties(v) AS node
"""

GET_VIOLATION: Final = f"""
MATCH (v:{VIOLATION_LABEL} {{id: $id}})
WHERE $scope_all OR v.opportunity_id IN $scope_opportunities
RETURN properties(v) AS node
"""

# The filters and the page of a violation listing, after the MATCH that finds its candidates.
# A running commitment (``$promised``) is one of an open deal: the sweep leaves a closed deal's
# violations as they are, so its promise is neither kept nor missed, only moot.
_VIOLATION_FILTERS: Final = """
  ($rule IS NULL OR v.rule = $rule)
  AND ($acknowledged IS NULL OR v.acknowledged = $acknowledged)
  AND ($resolved IS NULL OR (v.resolved_at IS NOT NULL) = $resolved)
  AND ($open IS NULL OR (v.acknowledged = false AND v.resolved_at IS NULL) = $open)
  AND ($responsible_id IS NULL OR v.responsible_member_id = $responsible_id)
  AND ($responded IS NULL OR (v.responded_at IS NOT NULL) = $responded)
OPTIONAL MATCH (v)-[:VIOLATION_OF]->(deal:Opportunity)
WHERE $promised IS NOT NULL
WITH v, deal
WHERE $promised IS NULL OR (v.acknowledged = true AND v.put_right_by IS NOT NULL
    AND v.resolved_at IS NULL AND v.repeated_at IS NULL
    AND NOT coalesce(deal.stage IN $closed, false)) = $promised
WITH v ORDER BY v.detected_at DESC, v.id DESC
WITH collect(properties(v)) AS rows
RETURN size(rows) AS total,
  [row IN rows WHERE $after_at IS NULL OR row.detected_at < $after_at
     OR (row.detected_at = $after_at AND row.id < $after_id)][0..$limit] AS items
"""
_VIOLATION_PAGE: Final = (
    f"\nWHERE ($scope_all OR v.opportunity_id IN $scope_opportunities) AND{_VIOLATION_FILTERS}"
)
LIST_VIOLATIONS: Final = f"MATCH (v:{VIOLATION_LABEL}){_VIOLATION_PAGE}"
# One deal's, found through the opportunity_id lookup index (the Process card on every deal
# page): a condition `$opportunity_id IS NULL OR ...` would keep either store from using it.
LIST_DEAL_VIOLATIONS: Final = (
    f"MATCH (v:{VIOLATION_LABEL} {{opportunity_id: $opportunity_id}}){_VIOLATION_PAGE}"
)
# Those of a caller who does not see everything: found deal by deal of their scope through the
# same index. The check of LIST_VIOLATIONS costs, on FalkorDB, per violation as much as the
# scope is long (a director's 1,000 deals and their 1,500 open violations: 0.16-0.44 s against
# 0.09-0.20 s without it, 0.12-0.15 s this way).
LIST_SCOPED_VIOLATIONS: Final = f"""
UNWIND $scope_opportunities AS wanted
MATCH (v:{VIOLATION_LABEL} {{opportunity_id: wanted}})
WITH v
WHERE{_VIOLATION_FILTERS}"""

# --- a key person's departure ---------------------------------------------------------------
# A key person leaves the customer: recorded once on the person, with the open steps of every
# open deal's plan that meet them dropped for that reason at the same instant (never done, never
# deleted); the undo of a mistaken record clears it and opens exactly those steps again (dropped
# for that reason at the instant it was recorded) on the deals still open, due dates untouched.
# Read first to write the audit entry; the write locks those steps and checks it still finds
# exactly them as read (a step dropped for another reason meanwhile stays so), else it writes
# nothing.
_DEPARTURE_STEPS: Final = """OPTIONAL MATCH
  (wo:Opportunity)<-[:PLANNED_FOR]-(w:WorkPlanItem)-[:TARGETS]->(p)
WHERE NOT wo.stage IN $closed AND (($open_steps AND w.status = $open)
  OR (NOT $open_steps AND w.status = $cancelled AND w.drop_reason = $reason
      AND w.dropped_at = p.left_recorded_at))
"""

# The steps of play $play with each of $ids (people who left: asking them for their successor),
# on every deal, with the deal's id and the step's owner: the caller names a deal only to one
# who may see it.
SUCCESSOR_ASKS: Final = """
UNWIND $ids AS wanted
MATCH (:KeyPerson {id: wanted})<-[:TARGETS]-(w:WorkPlanItem)-[:PLANNED_FOR]->(o:Opportunity)
WHERE w.action = $play
RETURN wanted AS person_id, properties(w) AS item, o.id AS opportunity_id,
  head([(w)-[:ASSIGNED_TO]->(m:TeamMember) | m.id]) AS owner_id
"""

DEPARTURE_PLAN: Final = f"""
MATCH (p:KeyPerson {{id: $id}})
{_DEPARTURE_STEPS}WITH p, collect(w.id) AS item_ids
OPTIONAL MATCH (sw:WorkPlanItem)-[:TARGETS]->(p)
WHERE sw.status = $open AND sw.action = $successor
WITH p, item_ids, collect(sw.id) AS asked_ids
OPTIONAL MATCH (p)-[:IN_DECISION_CHAIN]->(o:Opportunity)
RETURN properties(p) AS person, item_ids, asked_ids, collect(o.id) AS opportunity_ids
"""

# Recording ($open_steps: its open steps dropped) and undoing (the steps it dropped opened again)
# differ only in the values they set, each checked against what the plan read. The undo also
# drops the open steps that asked them for their successor ($asked_ids): they never left.
SET_DEPARTURE: Final = f"""
MATCH (p:KeyPerson {{id: $id}})
SET p:KeyPerson
WITH p
WHERE ($open_steps AND p.left_on IS NULL AND p.erased_at IS NULL)
  OR (NOT $open_steps AND p.left_recorded_at = $recorded_at)
{_DEPARTURE_STEPS}WITH p, collect(w) AS items
FOREACH (w IN items | SET w:WorkPlanItem)
WITH p, items
WHERE size(items) = size($item_ids)
  AND all(w IN items WHERE w.id IN $item_ids AND w.status = $item_from
    AND ($open_steps OR w.drop_reason = $reason))
SET p.left_on = $left_on, p.left_how = $how, p.left_to = $to, p.left_recorded_at = $left_at,
  p.left_successor_id = null, p.left_successor_at = null, p.version = p.version + 1,
  p.updated_at = $now
FOREACH (w IN items | SET w.status = $item_status, w.dropped_at = $left_at,
  w.drop_reason = $item_reason, w.version = w.version + 1, w.updated_at = $now)
WITH p
OPTIONAL MATCH (sw:WorkPlanItem)-[:TARGETS]->(p)
WHERE sw.id IN $asked_ids AND sw.status = $open
FOREACH (_ IN CASE WHEN sw IS NULL THEN [] ELSE [1] END | SET sw.status = $cancelled,
  sw.dropped_at = $now, sw.drop_reason = $not_needed, sw.version = sw.version + 1,
  sw.updated_at = $now)
WITH DISTINCT p
{_AUDIT}
RETURN properties(p) AS node
"""

# Who holds the job of one who left, named by the team (null: not known): one of the same
# customer still there. Both are locked first (a departure or an erasure of either commits
# before or after, never between), then written only while the departure and the successor are
# the ones read.
SET_SUCCESSOR: Final = f"""
MATCH (p:KeyPerson {{id: $id}})
SET p:KeyPerson
WITH p
WHERE p.left_recorded_at = $recorded_at AND p.erased_at IS NULL
  AND coalesce(p.left_successor_id, '') = coalesce($before, '')
OPTIONAL MATCH (p)-[:WORKS_AT]->(:Customer)<-[:WORKS_AT]-(s:KeyPerson {{id: $successor_id}})
WITH p, head(collect(s)) AS s
FOREACH (_ IN CASE WHEN s IS NULL THEN [] ELSE [1] END | SET s:KeyPerson)
WITH p, s
WHERE $successor_id IS NULL
  OR (s IS NOT NULL AND s <> p AND s.left_on IS NULL AND s.erased_at IS NULL)
SET p.left_successor_id = $successor_id, p.left_successor_at = $named_at,
  p.version = p.version + 1, p.updated_at = $now
WITH p
{_AUDIT}
RETURN properties(p) AS node
"""

# --- a team member's hand-over --------------------------------------------------------------
# What a member who leaves hands over: their places on open deals' and on accounts' teams, the open
# work plan items they own, the contacts they planned (still to come, no result yet), and the key
# persons they know (the ties leave with them), and their users who still sign in. Read first to
# write the audit entry; the write locks the leaver and the successor (so two hand-overs of either
# run one after the other) and checks that it still finds exactly these, roles and levels too, else
# it writes nothing (someone changed them meanwhile).
_HANDED_OVER: Final = f"""OPTIONAL MATCH (m)-[t:ON_TEAM]->(x)
WHERE x.stage IS NULL OR NOT x.stage IN $closed
WITH m, s, collect(CASE WHEN x IS NULL THEN null
  ELSE {{target_id: x.id, kind: head(labels(x)), name: x.name, role: t.role, phase: t.phase}}
  END) AS teams
OPTIONAL MATCH (w:WorkPlanItem)-[:ASSIGNED_TO]->(m)
WHERE w.status = $open
WITH m, s, teams, collect(w.id) AS item_ids
OPTIONAL MATCH (m)-[k:KNOWS]->(p:KeyPerson)
WITH m, s, teams, item_ids,
  collect(CASE WHEN p IS NULL THEN null ELSE {{id: p.id, level: k.level}} END) AS ties
OPTIONAL MATCH (u:{RecordKind.USER.value})-[:ACTS_AS]->(m)
WHERE coalesce(u.disabled, false) = false
WITH m, s, teams, item_ids, ties, collect(u.name) AS users
OPTIONAL MATCH (m)-[:DID]->(pa:Activity)
WHERE pa.occurred_at > $now AND pa.outcome IS NULL
WITH m, s, teams, item_ids, ties, users, collect(pa.id) AS planned_ids
"""

HAND_OVER_PLAN: Final = f"""
MATCH (m:TeamMember {{id: $id}})
MATCH (s:TeamMember {{id: $successor_id}})
WITH m, s
{_HANDED_OVER}RETURN properties(m) AS member, properties(s) AS successor, teams, item_ids, ties,
  users, planned_ids
"""

HAND_OVER: Final = f"""
MATCH (m:TeamMember {{id: $id}})
MATCH (s:TeamMember {{id: $successor_id}})
SET m:TeamMember, s:TeamMember
WITH m, s
WHERE m.version = $version AND m.left_at IS NULL AND s.left_at IS NULL AND s <> m
{_HANDED_OVER}WITH m, s,
  [r IN teams | r.target_id + '|' + coalesce(r.role, '') + '|' + coalesce(r.phase, '')] AS places,
  item_ids, [r IN ties | r.id + '|' + coalesce(r.level, '')] AS known, users, planned_ids
WHERE size(places) = size($places) AND all(i IN places WHERE i IN $places)
  AND size(item_ids) = size($item_ids) AND all(i IN item_ids WHERE i IN $item_ids)
  AND size(known) = size($known) AND all(i IN known WHERE i IN $known)
  AND size(users) = size($users) AND all(i IN users WHERE i IN $users)
  AND size(planned_ids) = size($planned_ids) AND all(i IN planned_ids WHERE i IN $planned_ids)
SET m.left_at = $now, m.version = m.version + 1, m.updated_at = $now
WITH m, s
OPTIONAL MATCH (m)-[t:ON_TEAM]->(x)
WHERE x.id IN $target_ids
FOREACH (_ IN CASE WHEN x IS NULL THEN [] ELSE [1] END |
  MERGE (s)-[n:ON_TEAM]->(x)
  ON CREATE SET n.role = t.role, n.phase = t.phase, n.created_at = $now, n.updated_at = $now
  DELETE t)
WITH DISTINCT m, s
OPTIONAL MATCH (w:WorkPlanItem)-[a:ASSIGNED_TO]->(m)
WHERE w.id IN $item_ids
FOREACH (_ IN CASE WHEN w IS NULL THEN [] ELSE [1] END |
  CREATE (w)-[:ASSIGNED_TO]->(s)
  SET w.version = w.version + 1, w.updated_at = $now
  DELETE a)
WITH DISTINCT m, s
OPTIONAL MATCH (m)-[d:DID]->(pa:Activity)
WHERE pa.id IN $planned_ids
FOREACH (_ IN CASE WHEN pa IS NULL THEN [] ELSE [1] END |
  MERGE (s)-[:DID]->(pa)
  SET pa.version = pa.version + 1, pa.updated_at = $now
  DELETE d)
WITH DISTINCT m, s
OPTIONAL MATCH (v:{VIOLATION_LABEL})-[:VIOLATION_OF]->(vo:Opportunity)
WHERE v.responsible_member_id = m.id AND v.resolved_at IS NULL AND vo.id IN $target_ids
FOREACH (_ IN CASE WHEN v IS NULL THEN [] ELSE [1] END | SET v.responsible_member_id = s.id)
WITH DISTINCT m, s
OPTIONAL MATCH (m)-[k:KNOWS]->(:KeyPerson)
WITH m, collect(k) AS ties
FOREACH (k IN ties | DELETE k)
WITH m
OPTIONAL MATCH (u:{RecordKind.USER.value})-[:ACTS_AS]->(m)
WHERE coalesce(u.disabled, false) = false
OPTIONAL MATCH (tok:{RecordKind.API_TOKEN.value})-[:AUTHENTICATES]->(u)
WHERE tok.revoked_at IS NULL
FOREACH (_ IN CASE WHEN u IS NULL THEN [] ELSE [1] END | SET u.disabled = true)
FOREACH (_ IN CASE WHEN tok IS NULL THEN [] ELSE [1] END | SET tok.revoked_at = $now)
WITH DISTINCT m
{_AUDIT}
RETURN properties(m) AS node
"""

# --- security ------------------------------------------------------------------------------
# Users and API tokens live beside the domain graph: (ApiToken)-[:AUTHENTICATES]->(User)
# -[:ACTS_AS]->(TeamMember), and (TeamMember)-[:MANAGES]->(TeamMember) for directors. Token
# secrets are never stored, only their sha256. A request's principal (user, team member and
# visible customer and opportunity ids) is one statement.

USER_LABEL: Final = RecordKind.USER.value
TOKEN_LABEL: Final = RecordKind.API_TOKEN.value

# A director's team: the members they manage, directly or through someone they manage, this
# many levels down; whose login is a sales director's sees their deals.
_DIRECTED: Final = "MANAGES*1..6"
_DIRECTOR_ROLE: Final = Role.SALES_DIRECTOR.value

# The visible ids of a user u (bound with its member me, if any): the opportunities and
# customers whose team the member is on (a director: also those of the members they manage,
# transitively up to six levels), the opportunities of their accounts and the customers of
# their opportunities. Admins ignore these lists ($scope_all). The teams are walked from each
# member (index-free, bound nodes): a filter such as `x.id IN member_ids` scans every team
# member of the store on every request. The audit sequence comes along, so that a request
# knows what was written before it without a round trip of its own (``resolvers.kept``).
_PRINCIPAL_TAIL: Final = f"""
OPTIONAL MATCH (u)-[:ACTS_AS]->(me:TeamMember)
OPTIONAL MATCH (me)-[:{_DIRECTED}]->(sub:TeamMember)
WHERE u.role = '{_DIRECTOR_ROLE}'
WITH u, token_hash, me, collect(DISTINCT sub) AS managed
WITH u, token_hash, me,
  CASE WHEN me IS NULL THEN [] ELSE [me.id] + [m IN managed | m.id] END AS member_ids,
  CASE WHEN me IS NULL THEN [] ELSE [me] + [m IN managed WHERE m <> me] END AS members
UNWIND CASE WHEN size(members) = 0 THEN [null] ELSE members END AS x
OPTIONAL MATCH (x)-[:ON_TEAM]->(o:Opportunity)-[:FOR]->(oc:Customer)
WITH u, token_hash, me, member_ids, x, collect(o.id) AS opps, collect(oc.id) AS opp_customers
OPTIONAL MATCH (x)-[:ON_TEAM]->(c:Customer)
OPTIONAL MATCH (ao:Opportunity)-[:FOR]->(c)
WITH u, token_hash, me, member_ids, opps, opp_customers,
  collect(c.id) AS accounts, collect(ao.id) AS account_opps
WITH u, token_hash, me, member_ids,
  collect(opps + account_opps) AS opportunity_lists,
  collect(opp_customers + accounts) AS customer_lists
OPTIONAL MATCH (seq:{AUDIT_SEQUENCE_LABEL} {{id: '{_AUDIT_SEQUENCE_ID}'}})
RETURN properties(u) AS user, token_hash, me.id AS member_id, member_ids,
  reduce(acc = [], ids IN opportunity_lists | acc + ids) AS opportunities,
  reduce(acc = [], ids IN customer_lists | acc + ids) AS customers,
  CASE WHEN me IS NULL THEN null ELSE properties(me) END AS member,
  seq.epoch AS seq_epoch, seq.n AS seq_now, seq.bulk AS seq_bulk
"""

PRINCIPAL_BY_TOKEN: Final = f"""
MATCH (t:{TOKEN_LABEL} {{id: $token_id}})-[:AUTHENTICATES]->(u:{USER_LABEL})
WHERE t.revoked_at IS NULL AND coalesce(u.disabled, false) = false
WITH u, t.hash AS token_hash
{_PRINCIPAL_TAIL}"""

PRINCIPAL_BY_USER: Final = f"""
MATCH (u:{USER_LABEL} {{id: $user_id}})
WHERE coalesce(u.disabled, false) = false
WITH u, null AS token_hash
{_PRINCIPAL_TAIL}"""

# A user, linked to its team member and with its first token when $token is given; nothing is
# written when the name is taken (letter case aside: qa-am1 and QA-AM1 would be two logins people
# cannot tell apart) or the named member does not exist.
CREATE_USER: Final = f"""
OPTIONAL MATCH (existing:{USER_LABEL})
WHERE toLower(existing.id) = toLower($props.id)
WITH count(existing) AS taken
WHERE taken = 0
OPTIONAL MATCH (m:TeamMember {{id: $member_id}})
WITH m
WHERE $member_id IS NULL OR m IS NOT NULL
CREATE (u:{USER_LABEL})
SET u = $props
FOREACH (x IN CASE WHEN m IS NULL THEN [] ELSE [m] END | CREATE (u)-[:ACTS_AS]->(x))
FOREACH (t IN CASE WHEN $token IS NULL THEN [] ELSE [$token] END |
  CREATE (tok:{TOKEN_LABEL})-[:AUTHENTICATES]->(u) SET tok = t)
WITH u
{_AUDIT}
RETURN properties(u) AS user
"""

# A user's role, member link and whether they may sign in changed ($relink: the link is replaced
# by $member_id, none when null; $disabled null leaves it, true also revokes their tokens, so
# enabling the login again does not bring old tokens back); nothing is written when the user or
# the named member does not exist.
CHANGE_USER: Final = f"""
MATCH (u:{USER_LABEL} {{id: $id}})
OPTIONAL MATCH (m:TeamMember {{id: $member_id}})
WITH u, m
WHERE $member_id IS NULL OR m IS NOT NULL
SET u.role = coalesce($role, u.role),
  u.disabled = CASE WHEN $disabled IS NULL THEN u.disabled ELSE $disabled END
WITH u, m
OPTIONAL MATCH (tok:{TOKEN_LABEL})-[:AUTHENTICATES]->(u)
WHERE $disabled = true AND tok.revoked_at IS NULL
FOREACH (_ IN CASE WHEN tok IS NULL THEN [] ELSE [1] END | SET tok.revoked_at = $now)
WITH DISTINCT u, m
OPTIONAL MATCH (u)-[old:ACTS_AS]->(:TeamMember)
WITH u, m, collect(old) AS olds
FOREACH (r IN CASE WHEN $relink THEN olds ELSE [] END | DELETE r)
FOREACH (x IN CASE WHEN $relink AND m IS NOT NULL THEN [m] ELSE [] END |
  CREATE (u)-[:ACTS_AS]->(x))
WITH u
{_AUDIT}
RETURN properties(u) AS user
"""

# The login whose name is ``$id`` letter case aside, as it is written.
USER_NAMED: Final = f"""
MATCH (u:{USER_LABEL}) WHERE toLower(u.id) = toLower($id) RETURN u.id AS name LIMIT 1
"""

GET_USER: Final = f"""
MATCH (u:{USER_LABEL} {{id: $id}})
RETURN properties(u) AS user, head([(u)-[:ACTS_AS]->(m:TeamMember) | m.id]) AS member_id
"""

# With $replace, the login's other tokens in use are revoked by the same write (one lost or
# given away: the new one replaces it, with no moment in which both or neither sign in).
# Serialised first: two replacements at once (two tabs, a double submit) would each read the
# tokens before the other's new one, and both new ones would stay.
CREATE_TOKEN: Final = f"""
{_SERIALISED}MATCH (u:{USER_LABEL} {{id: $user_id}})
OPTIONAL MATCH (old:{TOKEN_LABEL})-[:AUTHENTICATES]->(u)
WHERE $replace AND old.revoked_at IS NULL
WITH u, collect(old) AS olds
FOREACH (o IN olds | SET o.revoked_at = $now)
CREATE (t:{TOKEN_LABEL})-[:AUTHENTICATES]->(u)
SET t = $props
WITH t, [o IN olds | o.id] AS revoked
{_AUDIT}
RETURN properties(t) AS token, revoked
"""

# A token revoked already answers with when (its first branch, which writes nothing and runs
# before the second reads), so a second revocation (another tab, a retry) is told so rather
# than that the token does not exist; an active one is revoked with its audit entry. No row:
# no such token.
REVOKE_TOKEN: Final = f"""
MATCH (t:{TOKEN_LABEL} {{id: $id}})-[:AUTHENTICATES]->(u:{USER_LABEL})
WHERE t.revoked_at IS NOT NULL
RETURN t.id AS id, u.id AS user_id, t.label AS label, t.revoked_at AS revoked_before
UNION ALL
MATCH (t:{TOKEN_LABEL} {{id: $id}})-[:AUTHENTICATES]->(u:{USER_LABEL})
WHERE t.revoked_at IS NULL
SET t.revoked_at = $now
WITH t, u
{_AUDIT}
RETURN t.id AS id, u.id AS user_id, t.label AS label, null AS revoked_before
"""

# Every user ($id null), or the one named, with member and tokens (never their hashes).
LIST_USERS: Final = f"""
MATCH (u:{USER_LABEL})
WHERE $id IS NULL OR u.id = $id
RETURN properties(u) AS user, head([(u)-[:ACTS_AS]->(m:TeamMember) | m.id]) AS member_id,
  [(t:{TOKEN_LABEL})-[:AUTHENTICATES]->(u) | {{id: t.id, label: t.label,
    created_at: t.created_at, revoked_at: t.revoked_at}}] AS tokens
ORDER BY u.id
"""

SET_MANAGES: Final = f"""
{_SERIALISED}MATCH (s:TeamMember {{id: $from_id}})
MATCH (t:TeamMember {{id: $to_id}})
WHERE s <> t AND NOT (t)-[:MANAGES*0..]->(s)
MERGE (s)-[r:MANAGES]->(t)
ON CREATE SET r.created_at = $now
WITH r
{_AUDIT}
RETURN true AS ok
"""

# Who sees a member's deals as their team's, as the principal reads it: the members above
# them (_DIRECTED) whose login, still in use, is a sales director's.
MEMBER_DIRECTORS: Final = f"""
UNWIND $ids AS member_id
MATCH (d:TeamMember)-[:{_DIRECTED}]->(:TeamMember {{id: member_id}})
WITH member_id, d,
  [(u:{USER_LABEL})-[:ACTS_AS]->(d) WHERE u.role = '{_DIRECTOR_ROLE}'
    AND coalesce(u.disabled, false) = false | u.id] AS logins
WITH member_id, collect(DISTINCT CASE WHEN size(logins) > 0 THEN d END) AS found
RETURN member_id, [d IN found | properties(d)] AS directors
"""

# Who directly manages each member, and whom each directly manages (MANAGES one step either
# way), for the admin's list of our people; a member without either has empty lists.
MEMBER_MANAGES: Final = """
UNWIND $ids AS member_id
MATCH (me:TeamMember {id: member_id})
OPTIONAL MATCH (boss:TeamMember)-[:MANAGES]->(me)
WITH member_id, me, collect(DISTINCT boss) AS bosses
OPTIONAL MATCH (me)-[:MANAGES]->(report:TeamMember)
WITH member_id, bosses, collect(DISTINCT report) AS reports
RETURN member_id, [b IN bosses | properties(b)] AS managers,
  [r IN reports | properties(r)] AS reports
"""

REMOVE_MANAGES: Final = f"""
MATCH (:TeamMember {{id: $from_id}})-[r:MANAGES]->(:TeamMember {{id: $to_id}})
DELETE r
WITH count(*) AS removed
WHERE removed > 0
{_AUDIT}
RETURN removed
"""

# --- an erased person's name in free text ----------------------------------------------------
# Where a key person's names (name, name_en) stand in text people typed about others, found for
# their export (KEY_PERSON_EXPORT) and replaced by the placeholder when they are erased
# (KEY_PERSON_ERASE). The search stays near the person: the customers they work at or sit in
# a deal's chain of (as far as the caller sees them), those customers' people, deals and the
# deals' activities, plan, approvals and process records. A namesake elsewhere is likely
# someone else, whose records an erasure must not rewrite.
# Neither back end replaces by regular expression, so a text is split at each occurrence of a
# name and each cut is judged by its neighbours:
# - a name of two or more Chinese characters is replaced wherever it stands (Chinese puts no
#   spaces between words);
# - a Latin name, or a one-character name, only as a word of its own: not next to a letter or
#   digit (nor, for a Chinese character, next to another one), so "Wang" stays in
#   "Wangfujing" and 王 in 国王; an escaped line break in JSON (\n) counts as a space;
# - never inside a longer name that contains it ($kept: another person of those customers or
#   of their deals' chains, one of our team, a competitor): those are first swapped for
#   numbered markers ($guard), then put back, so 张伟 goes and 张伟明 stays.
# `gone` holds the person's names, the longer first; none once they are erased (every erased
# person bears the same placeholder, which names nobody).

_CJK: Final = ("'一'", "'鿿'")  # CJK Unified Ideographs, U+4E00 to U+9FFF


def _cjk(char: str) -> str:
    return f"({char} >= {_CJK[0]} AND {char} <= {_CJK[1]})"


def _in_word(char: str, name: str) -> str:
    """``char`` (one character, or '' at an end) is part of the word around ``name``."""
    return (
        f"(toLower({char}) <> toUpper({char}) OR ({char} >= '0' AND {char} <= '9')"
        f" OR ({_cjk(f'left({name}, 1)')} AND {_cjk(char)}))"
    )


def _replace_name(text: str, name: str) -> str:
    """``text`` with every occurrence of ``name`` that stands as a name replaced. A cut left
    empty between two occurrences joins them into one word."""
    before = (
        f"(({_in_word('right(cut[i - 1], 1)', name)} OR (i > 1 AND cut[i - 1] = ''))"
        f" AND NOT right(cut[i - 1], 2) IN ['\\\\n', '\\\\r', '\\\\t'])"
    )
    after = f"({_in_word('left(cut[i], 1)', name)} OR (i < size(cut) - 1 AND cut[i] = ''))"
    alone = f"(size({name}) > 1 AND {_cjk(f'left({name}, 1)')}) OR (NOT {before} AND NOT {after})"
    return (
        f"head([cut IN [split({text}, {name})] | reduce(acc = head(cut),"
        f" i IN range(1, size(cut) - 1) | acc + CASE WHEN {alone} THEN $erase.name"
        f" ELSE {name} END + cut[i])])"
    )


def _scrubbed(text: str) -> str:
    """``text`` without the person's names (null stays null; FalkorDB evaluates both branches
    of a CASE, so the text is never null inside)."""
    marker = "$guard[0] + toString(k) + $guard[1]"
    guarded = (
        f"reduce(s = toString(coalesce({text}, '')), k IN range(0, size(kept) - 1)"
        f" | replace(s, kept[k], {marker}))"
    )
    erased = f"reduce(s = {guarded}, g IN gone | toString({_replace_name('s', 'g')}))"
    restored = (
        f"reduce(s = {erased}, k IN range(0, size(kept) - 1) | replace(s, {marker}, kept[k]))"
    )
    return f"CASE WHEN {text} IS NULL THEN null ELSE {restored} END"


@dataclass(frozen=True, slots=True)
class _NamingTexts:
    """Records of one kind whose free text may name the person: ``match`` binds ``x`` (its
    ``{}`` is "one of the fields contains g"); ``key`` and ``where`` say which record it is
    and where it stands (``where``: the key and value an export shows)."""

    kind: str
    match: str
    fields: tuple[str, ...]
    key: str = "x.id"
    where: tuple[str, str] = ("opportunity_id", "xo.id")
    sets: str = "x.version = x.version + 1, x.updated_at = $now"


_OF_DEAL: Final = "WHERE xo.id IN oids AND any(g IN gone WHERE {})"
_ABOUT_NEAR: Final = (
    "(x.target_id IN near OR any(y IN split(x.target_id, '->') WHERE y IN near)"
    " OR x.target_id IN [r IN named | r[2]])"
)
_NAMING_TEXTS: Final = (
    _NamingTexts(
        NodeKind.CUSTOMER.value,
        "(x:Customer)\nWHERE x.id IN cids AND any(g IN gone WHERE {})",
        ("notes",),
        where=("customer_id", "x.id"),
    ),
    _NamingTexts(
        NodeKind.KEY_PERSON.value,
        "(x:KeyPerson)-[:WORKS_AT]->(xc:Customer)\nWHERE x.id IN pids AND any(g IN gone WHERE {})",
        ("notes",),
        where=("customer_id", "xc.id"),
    ),
    _NamingTexts(
        NodeKind.OPPORTUNITY.value,
        "(x:Opportunity)\nWHERE x.id IN oids AND any(g IN gone WHERE {})",
        ("description", "compelling_event"),
        where=("opportunity_id", "x.id"),
    ),
    _NamingTexts(
        EdgeKind.IN_DECISION_CHAIN.value,
        "(xp:KeyPerson)-[x:IN_DECISION_CHAIN]->(xo:Opportunity)\n"
        "WHERE xp.id <> n.id AND xo.id IN oids AND any(g IN gone WHERE {})",
        ("needs",),
        key="xp.id + '->' + xo.id",
        sets="x.updated_at = $now",
    ),
    _NamingTexts(
        NodeKind.ACTIVITY.value,
        "(x:Activity)\nWHERE x.id IN aids AND NOT (x)-[:WITH]->(n) AND any(g IN gone WHERE {})",
        ("summary",),
        where=("opportunity_id", "null"),
    ),
    _NamingTexts(
        NodeKind.WORK_PLAN_ITEM.value,
        "(x:WorkPlanItem)-[:PLANNED_FOR]->(xo:Opportunity)\n"
        "WHERE ($scope_all OR xo.id IN $scope_opportunities) AND NOT (x)-[:TARGETS]->(n)\n"
        "  AND any(g IN gone WHERE (xo.id IN oids AND ({}))\n"
        "    OR x.rationale_clauses CONTAINS ('\"' + g + '\"'))",
        ("title", "rationale", "result", "rationale_clauses"),
    ),
    _NamingTexts(
        NodeKind.APPROVAL.value,
        f"(x:Approval)-[:REQUESTED_FOR]->(xo:Opportunity)\n{_OF_DEAL}",
        ("comment", "request", "history"),
    ),
    _NamingTexts(
        VIOLATION_LABEL,
        f"(x:{VIOLATION_LABEL})-[:VIOLATION_OF]->(xo:Opportunity)\n{_OF_DEAL}",
        (
            "message_zh",
            "message_en",
            "evidence",
            "acknowledgement_note",
            "response_note",
            "sent_back_note",
        ),
        sets="",
    ),
    _NamingTexts(
        TRANSITION_LABEL,
        f"(x:{TRANSITION_LABEL})-[:TRANSITION_OF]->(xo:Opportunity)\n{_OF_DEAL}",
        ("reason",),
        sets="",
    ),
    _NamingTexts(
        REVIEW_LABEL,
        f"(x:{REVIEW_LABEL})-[:REVIEW_OF]->(xo:Opportunity)\n{_OF_DEAL}",
        ("comment",),
        sets="",
    ),
    # The history of those records, and of the items whose clauses quote the person.
    _NamingTexts(
        AUDIT_LABEL,
        f"(x:{AUDIT_LABEL})\nWHERE any(g IN gone WHERE {{}}) AND {_ABOUT_NEAR}",
        ("changes",),
        where=("target_id", "x.target_id"),
        sets="",
    ),
    _NamingTexts(
        WEBHOOK_EVENT_LABEL,
        f"(x:{WEBHOOK_EVENT_LABEL})\nWHERE any(g IN gone WHERE {{}}) AND {_ABOUT_NEAR}",
        ("payload", "erased_payload"),
        where=("target_id", "x.target_id"),
        sets="",
    ),
)
_HISTORY: Final = (AUDIT_LABEL, WEBHOOK_EVENT_LABEL)

# The person's names, the names kept ($kept), the customers, people and deals near them, and
# `near`: the ids of every record there, whose audit history and events may quote them.
_NAMES_NEAR: Final = f"""WITH n, CASE WHEN n.erased_at IS NULL THEN [g IN CASE
    WHEN size(coalesce(n.name_en, '')) > size(n.name) THEN [n.name_en, n.name]
    ELSE [n.name, n.name_en] END WHERE g IS NOT NULL AND g <> '' | toString(g)] ELSE [] END
  AS gone,
  [(n)-[:WORKS_AT]->(nc:Customer) | nc.id]
    + [(n)-[:IN_DECISION_CHAIN]->(:Opportunity)-[:FOR]->(nc:Customer) | nc.id] AS around
OPTIONAL MATCH (c:Customer)
WHERE c.id IN around AND ($scope_all OR c.id IN $scope_customers)
WITH n, gone, collect(c.id) AS cids
OPTIONAL MATCH (o:Opportunity)-[:FOR]->(oc:Customer)
WHERE oc.id IN cids AND ($scope_all OR o.id IN $scope_opportunities)
WITH n, gone, cids, collect(o.id) AS oids
OPTIONAL MATCH (p:KeyPerson)-[:WORKS_AT]->(pc:Customer)
WHERE pc.id IN cids AND p.id <> n.id
WITH n, gone, cids, oids, collect(p.id) AS pids, collect(p.name) + collect(p.name_en) AS names
OPTIONAL MATCH (cp:KeyPerson)-[:IN_DECISION_CHAIN]->(co:Opportunity)
WHERE co.id IN oids AND cp.id <> n.id
WITH n, gone, cids, oids, pids, names, collect(cp.name) + collect(cp.name_en) AS chained
OPTIONAL MATCH (m:TeamMember)
WHERE any(g IN gone WHERE m.name CONTAINS g)
WITH n, gone, cids, oids, pids, names + chained AS names, collect(m.name) AS ours
OPTIONAL MATCH (rival:Competitor)
WHERE any(g IN gone WHERE rival.name CONTAINS g)
WITH n, gone, cids, oids, pids, names + ours AS names, collect(rival.name) AS rivals
WITH n, gone, cids, oids, pids, [x IN names + rivals
  WHERE NOT x IN gone AND any(g IN gone WHERE x CONTAINS g) | toString(x)] AS kept
OPTIONAL MATCH (a:Activity)-[:ABOUT]->(ao:Opportunity)
WHERE ao.id IN oids
WITH n, gone, kept, cids, oids, pids, collect(a.id) AS about
OPTIONAL MATCH (a:Activity)-[:WITH]->(ap:KeyPerson)
WHERE ap.id IN pids
WITH n, gone, kept, cids, oids, pids, about, collect(a.id) AS met
WITH n, gone, kept, cids, oids, pids, about + met AS aids
OPTIONAL MATCH (rec)-->(ro:Opportunity)
WHERE ro.id IN oids AND (rec:WorkPlanItem OR rec:Approval OR rec:{VIOLATION_LABEL}
  OR rec:{TRANSITION_LABEL} OR rec:{REVIEW_LABEL})
WITH n, gone, kept, cids, oids, pids, aids, collect(rec.id) AS records
WITH n, gone, kept, cids, oids, pids, aids, cids + pids + oids + aids + records AS near
"""


def _naming_rows() -> str:
    """After _NAMES_NEAR: `named`, one row per record whose text names the person,
    ``[record, kind, key, where, [old texts], [new texts]]``. One replacing expression serves
    every text: FalkorDB takes about a second to compile each."""
    carry = "n, gone, kept, cids, oids, pids, aids, near"
    parts = ["WITH " + carry + ", [] AS named\n"]
    for texts in _NAMING_TEXTS:
        found = " OR ".join(f"x.{f} CONTAINS g" for f in texts.fields)
        olds = ", ".join(f"x.{f}" for f in texts.fields)
        row = f"[x, '{texts.kind}', {texts.key}, {texts.where[1]}, [{olds}]]"
        parts.append(
            f"OPTIONAL MATCH {texts.match.format(found)}\n"
            f"WITH {carry}, named, collect(CASE WHEN x IS NULL THEN null ELSE {row} END) AS more\n"
            f"WITH {carry}, named + more AS named\n"
        )
    parts.append(
        f"WITH n, [r IN named | r + [[t IN r[4] | {_scrubbed('t')}]]] AS named\n"
        "WITH n, [r IN named WHERE any(k IN range(0, size(r[4]) - 1)"
        " WHERE r[5][k] <> r[4][k])] AS named\n"
    )
    return "".join(parts)


def _naming_writes() -> str:
    """Each record found by _naming_rows gets its new texts (a node its next version)."""
    lines = []
    for texts in _NAMING_TEXTS:
        sets = [f"x.{f} = r[5][{i}]" for i, f in enumerate(texts.fields)]
        sets += [texts.sets] if texts.sets else []
        lines.append(
            f"FOREACH (r IN [r IN named WHERE r[1] = '{texts.kind}'] | FOREACH (x IN [r[0]]"
            f" | SET {', '.join(sets)}))"
        )
    return "\n".join(lines) + "\n"


def _naming_listed() -> str:
    """What an export shows of the records found by _naming_rows (work plan items apart)."""
    listed = []
    for texts in _NAMING_TEXTS:
        if texts.kind in (NodeKind.WORK_PLAN_ITEM.value, *_HISTORY):
            continue
        shown = ", ".join(f"{f}: r[4][{i}]" for i, f in enumerate(texts.fields))
        listed.append(
            f"[r IN named WHERE r[1] = '{texts.kind}' | {{kind: r[1], id: r[2],"
            f" {texts.where[0]}: r[3], texts: {{{shown}}}}}]"
        )
    return "\n    + ".join(listed)


# Everything stored about one key person (visible to the caller), for a data-subject request:
# with the work plan items about someone else that name them (the clauses of a suggestion's
# rationale, or text typed by hand) and the other records whose text names them, exactly those
# KEY_PERSON_ERASE rewrites.
KEY_PERSON_EXPORT: Final = f"""
MATCH (n:KeyPerson {{id: $id}})
{scoped(NodeKind.KEY_PERSON)}
{_NAMES_NEAR}{_naming_rows()}WITH n, named
OPTIONAL MATCH (q:WorkPlanItem)-[:PLANNED_FOR]->(qo:Opportunity)
WHERE q.id IN [r IN named WHERE r[1] = '{NodeKind.WORK_PLAN_ITEM.value}' | r[2]]
WITH n, named, collect(CASE WHEN q IS NULL THEN null
  ELSE {{item: properties(q), opportunity_id: qo.id}} END) AS naming
OPTIONAL MATCH (au:{AUDIT_LABEL})
WHERE au.target_id = n.id
WITH n, named, naming, collect(properties(au)) AS audit
RETURN properties(n) AS person, audit, naming AS work_plan_items_naming_them,
  {_naming_listed()} AS records_naming_them,
  [(n)-[ew:WORKS_AT]->(c:Customer) | {{customer_id: c.id, customer: c.name,
    props: properties(ew)}}] AS employment,
  [(n)-[r2:IN_DECISION_CHAIN]->(o:Opportunity) | {{opportunity_id: o.id, opportunity: o.name,
    props: properties(r2)}}] AS chain_roles,
  [(n)-[:REPORTS_TO]->(q3:KeyPerson) | {{person_id: q3.id, name: q3.name}}] AS reports_to,
  [(q4:KeyPerson)-[:REPORTS_TO]->(n) | {{person_id: q4.id, name: q4.name}}] AS direct_reports,
  [(n)-[r5:INFLUENCES]->(q5:KeyPerson) | {{person_id: q5.id, name: q5.name,
    props: properties(r5)}}] AS influences,
  [(q6:KeyPerson)-[r6:INFLUENCES]->(n) | {{person_id: q6.id, name: q6.name,
    props: properties(r6)}}] AS influenced_by,
  [(n)-[r7:KNOWS]->(q7:KeyPerson) | {{person_id: q7.id, name: q7.name,
    props: properties(r7)}}] AS knows,
  [(q8:KeyPerson)-[r8:KNOWS]->(n) | {{person_id: q8.id, name: q8.name,
    props: properties(r8)}}] AS known_by_persons,
  [(m:TeamMember)-[r9:KNOWS]->(n) | {{member_id: m.id, name: m.name,
    props: properties(r9)}}] AS known_by_team,
  [(x:Competitor)-[r10:CLOSE_TO]->(n) | {{competitor_id: x.id, name: x.name,
    props: properties(r10)}}] AS competitor_ties,
  [(a:Activity)-[:WITH]->(n) | {{activity: properties(a),
    opportunity_id: head([(a)-[:ABOUT]->(ao:Opportunity) | ao.id])}}] AS activities,
  [(wp:WorkPlanItem)-[:TARGETS]->(n) | {{item: properties(wp),
    opportunity_id: head([(wp)-[:PLANNED_FOR]->(wo:Opportunity) | wo.id])}}] AS work_plan_items
"""

# The outbox events that name an erased person (as their subject, through an erased activity
# or plan, or among their people) get the payload without personal data they were written with.
_ERASE_EVENTS: Final = f"""OPTIONAL MATCH (ev:{WEBHOOK_EVENT_LABEL})
WHERE ev.target_id = n.id OR ev.target_id IN touched
  OR ev.target_id STARTS WITH (n.id + '->') OR ev.target_id ENDS WITH ('->' + n.id)
  OR coalesce(ev.person_ids, '') CONTAINS ('|' + n.id + '|')
WITH n, rewritten, activity_count, plan_count, scrubbed, collect(ev) AS named
FOREACH (e IN named | SET e.payload = e.erased_payload)
"""

# Erasure: personal fields are replaced by $erase (the name by a placeholder, the rest by
# null), free text about the person (activity summaries, chain needs, work plan rationale and
# results, job title) is removed, and the audit history that quoted them is scrubbed.
# Free text about someone else that names them (see above: notes, descriptions, summaries,
# needs, the plan's titles, rationale and results, approvals, process records) keeps its text,
# its audit history and its events with the placeholder in place of the name.
# Counts, outcomes, dates, chain roles and ties stay, so aggregates still add up. The audit
# entry names the records whose text was rewritten (their history and events apart).
KEY_PERSON_ERASE: Final = f"""
MATCH (n:KeyPerson {{id: $id}})
{scoped(NodeKind.KEY_PERSON)}
{_NAMES_NEAR}{_naming_rows()}WITH n, named,
  [(a:Activity)-[:WITH]->(n) | a] AS acts,
  [(w:WorkPlanItem)-[:TARGETS]->(n) | w] AS plans,
  [(n)-[r:IN_DECISION_CHAIN]->(:Opportunity) | r] AS roles,
  [(n)-[j:WORKS_AT]->(:Customer) | j] AS jobs
SET n += $erase, n.version = n.version + 1, n.updated_at = $now, n.erased_at = $now
FOREACH (a IN acts | SET a.summary = $erased_text, a.version = a.version + 1,
  a.updated_at = $now)
FOREACH (w IN plans | SET w.title = $erased_text, w.rationale = null,
  w.rationale_clauses = null, w.result = null, w.version = w.version + 1, w.updated_at = $now)
FOREACH (r IN roles | SET r.needs = null, r.updated_at = $now)
FOREACH (j IN jobs | SET j.title = null, j.updated_at = $now)
{_naming_writes()}WITH n, [a IN acts | a.id] + [w IN plans | w.id] AS touched,
  [r IN named WHERE NOT r[1] IN {list(_HISTORY)} | r[2]] AS rewritten,
  size(acts) AS activity_count, size(plans) AS plan_count
OPTIONAL MATCH (old:{AUDIT_LABEL})
WHERE old.target_id = n.id OR old.target_id IN touched
  OR old.target_id STARTS WITH (n.id + '->') OR old.target_id ENDS WITH ('->' + n.id)
WITH n, touched, rewritten, activity_count, plan_count, collect(old) AS history
FOREACH (h IN history | SET h.changes = $scrubbed)
WITH n, touched, rewritten, activity_count, plan_count, size(history) AS scrubbed
{_ERASE_EVENTS}WITH n, rewritten, activity_count, plan_count, scrubbed
{_AUDIT}
{_audit_names("rewritten")}RETURN properties(n) AS node, activity_count, plan_count, scrubbed
"""


# --- learning from outcomes ------------------------------------------------------------------
# Closed deals' gate snapshots (StageTransition gate_* properties, written by ADVANCE_STAGE from
# $transition), recorded play effects (WorkPlanItem effect_* properties) and the fitted win
# models (graph.outcomes). Only closed deals train: a reopened deal is open again and drops out;
# snapshots taken when leaving a closed stage are never rows.

WIN_MODEL_LABEL: Final = RecordKind.WIN_MODEL.value

CLOSED_GATE_SNAPSHOTS: Final = f"""
MATCH (t:{TRANSITION_LABEL})-[:TRANSITION_OF]->(o:Opportunity)
WHERE o.stage IN $closed AND t.from_stage IN $open AND t.gate_can_win IS NOT NULL
RETURN o.id AS deal_id, o.stage AS outcome, t.from_stage AS stage, t.at AS at,
  t.gate_is_real AS is_real, t.gate_can_compete AS can_compete, t.gate_can_win AS can_win,
  t.gate_worth_it AS worth_it, coalesce(t.gate_prior_share, 1.0) AS prior_share
ORDER BY deal_id, at
"""

WORK_PLAN_ITEM_TARGET: Final = """
MATCH (n:WorkPlanItem {id: $id})-[:PLANNED_FOR]->(o:Opportunity)
OPTIONAL MATCH (n)-[:TARGETS]->(p:KeyPerson)
OPTIONAL MATCH (n)-[:ASSIGNED_TO]->(m:TeamMember)
RETURN o.id AS opportunity_id, p.id AS person_id, m.id AS owner_id, n.action AS action,
  n.title AS title
"""

# Whether one of ours works a deal, so that a step of its plan may be theirs: on its team or
# its customer's account team, or managing (up to six levels) someone who is. Anyone else would
# own a step they cannot see, which waits in no list of theirs.
MEMBER_WORKS_DEAL: Final = """
MATCH (o:Opportunity {id: $opportunity_id})
MATCH (m:TeamMember {id: $member_id})
OPTIONAL MATCH (o)-[:FOR]->(c:Customer)
OPTIONAL MATCH (m)-[:MANAGES*0..6]->(:TeamMember)-[:ON_TEAM]->(t)
WHERE t = o OR t = c
RETURN m.name AS member, o.name AS deal, count(t) > 0 AS works
"""

DUE_EFFECT_OBSERVATIONS: Final = """
MATCH (n:WorkPlanItem)-[:PLANNED_FOR]->(o:Opportunity)
WHERE n.effect_due_at IS NOT NULL AND n.effect_observed_at IS NULL AND n.effect_due_at <= $now
MATCH (n)-[:TARGETS]->(p:KeyPerson)
RETURN n.id AS item_id, o.id AS opportunity_id, p.id AS person_id, n.action AS action,
  n.effect_role AS role, n.effect_before_closeness AS before_closeness,
  n.effect_before_attitude AS before_attitude, n.effect_due_at AS due_at
ORDER BY item_id
"""

EFFECT_OBSERVATIONS: Final = """
MATCH (n:WorkPlanItem)
WHERE n.effect_observed_at IS NOT NULL
RETURN n.action AS action, n.effect_role AS role, n.effect_closeness_delta AS closeness_delta,
  n.effect_attitude_delta AS attitude_delta
ORDER BY action, role
"""

ACTIVE_WIN_MODEL: Final = f"""
MATCH (m:{WIN_MODEL_LABEL})
WHERE m.active = true
WITH m
ORDER BY m.fitted_at DESC, m.id DESC
LIMIT 1
RETURN properties(m) AS model
"""

# One calibration run: the effects observed now ($observations), then the new model becomes the
# active one and remembers the one it replaces (rollback).
CALIBRATE_WIN_MODEL: Final = f"""
UNWIND $observations AS row
OPTIONAL MATCH (n:WorkPlanItem {{id: row.item_id}})
WHERE n.effect_observed_at IS NULL
FOREACH (x IN CASE WHEN n IS NULL THEN [] ELSE [n] END |
  SET x.effect_closeness_delta = row.closeness_delta,
    x.effect_attitude_delta = row.attitude_delta, x.effect_observed_at = $now)
WITH count(*) AS observed
OPTIONAL MATCH (old:{WIN_MODEL_LABEL})
WHERE old.active = true
WITH collect(old) AS olds
FOREACH (x IN olds | SET x.active = false)
CREATE (m:{WIN_MODEL_LABEL})
SET m = $model
SET m.previous_id = CASE WHEN size(olds) = 0 THEN '' ELSE olds[0].id END
WITH m
{_AUDIT}
RETURN properties(m) AS node
"""

ROLL_BACK_WIN_MODEL: Final = f"""
MATCH (m:{WIN_MODEL_LABEL} {{id: $id}})
WHERE m.active = true
SET m.active = false, m.rolled_back_at = $now
WITH m
OPTIONAL MATCH (p:{WIN_MODEL_LABEL} {{id: m.previous_id}})
FOREACH (x IN CASE WHEN p IS NULL THEN [] ELSE [p] END | SET x.active = true)
WITH m, p
{_AUDIT}
RETURN properties(m) AS node, p.id AS previous_id
"""


# --- history: the graph as of an instant (graph.history, docs/history.md) -------------------

# Where an as-of read of a decision chain starts: the opportunity, if the caller may see it
# today, and its customer.
HISTORY_OPPORTUNITY: Final = f"""
MATCH (n:Opportunity {{id: $id}})-[:FOR]->(c:Customer)
{scoped(NodeKind.OPPORTUNITY, "n, c")}
RETURN n.id AS id, c.id AS customer_id
"""

HISTORY_CUSTOMER: Final = f"""
MATCH (n:Customer {{id: $id}})
{scoped(NodeKind.CUSTOMER)}
RETURN properties(n) AS node
"""

# The audit entries that touch one of $ids (their `subjects`) or target one of $targets, less
# those touching one of $known (read before). Rows are lists (cheaper to decode than maps);
# the caller orders them by time.
HISTORY_ENTRIES: Final = f"""
MATCH (a:{AUDIT_LABEL})
WITH a, split(coalesce(a.subjects, ''), ' ') AS subjects
WHERE (a.target_id IN $targets OR any(x IN subjects WHERE x IN $ids))
  AND NOT any(x IN subjects WHERE x IN $known)
RETURN [a.at, a.id, a.operation, a.target_kind, a.target_id, a.changes] AS entry
"""


# --- webhooks ------------------------------------------------------------------------------
# Endpoints, the outbox of events (written by _AUDIT) and deliveries (graph.webhook_store).
# A delivery's id is its event's id and its endpoint's id, so one event reaches one endpoint
# through one delivery even when two dispatchers fan out at once (the unique id refuses the
# second). Claims lock each delivery (`SET d:Label`) before re-reading its lease, so two
# dispatchers never hold one delivery at once (see _update_node on why).

WEBHOOK_ENDPOINT_LABEL: Final = RecordKind.WEBHOOK_ENDPOINT.value
WEBHOOK_DELIVERY_LABEL: Final = RecordKind.WEBHOOK_DELIVERY.value

# What a list shows of an endpoint: everything but its secrets.
_ENDPOINT: Final = """{id: ep.id, url: ep.url, events: ep.events, description: ep.description,
  enabled: ep.enabled, disabled_reason: ep.disabled_reason, created_at: ep.created_at,
  updated_at: ep.updated_at} AS endpoint"""

CREATE_WEBHOOK_ENDPOINT: Final = f"""
CREATE (ep:{WEBHOOK_ENDPOINT_LABEL})
SET ep = $props
WITH ep
{_AUDIT}
RETURN {_ENDPOINT}
"""

LIST_WEBHOOK_ENDPOINTS: Final = f"""
MATCH (ep:{WEBHOOK_ENDPOINT_LABEL})
WHERE $id IS NULL OR ep.id = $id
RETURN {_ENDPOINT}
ORDER BY ep.created_at, ep.id
"""

SET_WEBHOOK_ENDPOINT_ENABLED: Final = f"""
MATCH (ep:{WEBHOOK_ENDPOINT_LABEL} {{id: $id}})
SET ep.enabled_since = CASE WHEN $enabled AND NOT ep.enabled THEN $now ELSE ep.enabled_since END,
  ep.enabled = $enabled, ep.disabled_reason = $reason, ep.updated_at = $now
WITH ep
{_AUDIT}
RETURN {_ENDPOINT}
"""

# The previous secret keeps signing beside the new one until $until, so receivers can switch.
ROTATE_WEBHOOK_SECRET: Final = f"""
MATCH (ep:{WEBHOOK_ENDPOINT_LABEL} {{id: $id}})
SET ep.previous_secret = ep.secret, ep.previous_secret_until = $until, ep.secret = $secret,
  ep.updated_at = $now
WITH ep
{_AUDIT}
RETURN {_ENDPOINT}
"""

# The stored (sealed) secrets of every endpoint, for sealing them again (graph.webhook_store):
# the only statement besides a claim that reads them.
WEBHOOK_ENDPOINT_SECRETS: Final = f"""
MATCH (ep:{WEBHOOK_ENDPOINT_LABEL})
RETURN ep.id AS id, ep.url AS url, ep.secret AS secret, ep.previous_secret AS previous_secret
ORDER BY ep.id
"""

# Each endpoint's secrets replaced by their newly sealed forms, only while both are still what
# was read (locked first, see the claims below): a rotation or another process's sealing in
# between wins, and this row is left alone.
RESEAL_WEBHOOK_SECRETS: Final = f"""
UNWIND $rows AS row
MATCH (ep:{WEBHOOK_ENDPOINT_LABEL} {{id: row.id}})
SET ep:{WEBHOOK_ENDPOINT_LABEL}
WITH ep, row
WHERE ep.secret = row.secret
  AND coalesce(ep.previous_secret, '') = coalesce(row.previous_secret, '')
SET ep.secret = row.sealed, ep.previous_secret = row.sealed_previous
RETURN ep.id AS id
"""

DELETE_WEBHOOK_ENDPOINT: Final = f"""
MATCH (ep:{WEBHOOK_ENDPOINT_LABEL} {{id: $id}})
OPTIONAL MATCH (d:{WEBHOOK_DELIVERY_LABEL})
WHERE d.endpoint_id = ep.id
WITH ep, ep.id AS gone, collect(d) AS deliveries
FOREACH (x IN deliveries | DELETE x)
DELETE ep
WITH gone, size(deliveries) AS dropped
{_AUDIT}
RETURN gone AS id, dropped
"""

WEBHOOK_ENDPOINTS_ENABLED: Final = f"""
MATCH (ep:{WEBHOOK_ENDPOINT_LABEL})
WHERE ep.enabled = true
RETURN count(ep) AS count
"""

# Fan-out and claims are a read of candidate ids, then one write that locks each candidate
# (`SET n:Label`) before its first read of the state it changes: Neo4j caches a property read
# earlier in the same statement, so a check repeated after the lock would see the value read
# before it, and two dispatchers would both take one delivery (tests/graph/test_webhook_store).

NEW_WEBHOOK_EVENTS: Final = f"""
MATCH (e:{WEBHOOK_EVENT_LABEL})
WHERE e.fanned_out = false
WITH e ORDER BY e.at, e.id LIMIT $limit
RETURN e.id AS id
"""

# Each of these events not yet fanned out becomes one delivery per enabled endpoint that
# subscribes to its type and was on when it happened (events of a time it was off never reach
# it, however late the fan-out runs).
FAN_OUT_WEBHOOK_EVENTS: Final = f"""
UNWIND $ids AS wanted
MATCH (e:{WEBHOOK_EVENT_LABEL} {{id: wanted}})
SET e:{WEBHOOK_EVENT_LABEL}
WITH e
WHERE e.fanned_out = false
SET e.fanned_out = true
WITH e
OPTIONAL MATCH (ep:{WEBHOOK_ENDPOINT_LABEL})
WHERE ep.enabled = true AND ep.enabled_since <= e.at
  AND (ep.events CONTAINS ('|' + e.type + '|') OR ep.events CONTAINS '|*|')
WITH e, collect(ep.id) AS endpoints
FOREACH (target IN endpoints |
  CREATE (d:{WEBHOOK_DELIVERY_LABEL})
  SET d.id = e.id + ':' + target, d.event_id = e.id, d.endpoint_id = target,
    d.event_type = e.type, d.status = 'pending', d.attempts = 0, d.created_at = $now,
    d.next_attempt_at = $now, d.deadline_at = e.at + $window, d.lease_until = 0)
RETURN count(e) AS events, sum(size(endpoints)) AS deliveries
"""

DUE_WEBHOOK_DELIVERIES: Final = f"""
MATCH (d:{WEBHOOK_DELIVERY_LABEL})
WHERE d.status = 'pending' AND d.next_attempt_at <= $now AND d.lease_until <= $now
MATCH (ep:{WEBHOOK_ENDPOINT_LABEL} {{id: d.endpoint_id}})
WHERE ep.enabled = true
WITH d ORDER BY d.next_attempt_at, d.id LIMIT $limit
RETURN d.id AS id
"""

# These due deliveries, leased to $owner until $now + $lease unless another dispatcher took
# them first; the attempt number returned fences the outcome (a late answer of an expired
# lease is ignored).
CLAIM_WEBHOOK_DELIVERIES: Final = f"""
UNWIND $ids AS wanted
MATCH (d:{WEBHOOK_DELIVERY_LABEL} {{id: wanted}})
SET d:{WEBHOOK_DELIVERY_LABEL}
WITH d
WHERE d.status = 'pending' AND d.lease_until <= $now
SET d.lease_until = $now + $lease, d.lease_owner = $owner, d.attempts = d.attempts + 1
WITH d
MATCH (e:{WEBHOOK_EVENT_LABEL} {{id: d.event_id}})
MATCH (ep:{WEBHOOK_ENDPOINT_LABEL} {{id: d.endpoint_id}})
RETURN d.id AS id, d.attempts AS attempt, d.deadline_at AS deadline_at, e.id AS event_id,
  e.payload AS payload, ep.id AS endpoint_id, ep.url AS url, ep.secret AS secret,
  ep.previous_secret AS previous_secret, ep.previous_secret_until AS previous_secret_until
"""

# The outcomes of a round's attempts, each recorded only by the dispatcher that holds its lease
# for that attempt: 'succeeded', 'pending' (retry at row.next) or 'failed' (kept for replay).
FINISH_WEBHOOK_ATTEMPTS: Final = f"""
UNWIND $rows AS row
MATCH (d:{WEBHOOK_DELIVERY_LABEL} {{id: row.id}})
SET d:{WEBHOOK_DELIVERY_LABEL}
WITH d, row
WHERE d.lease_owner = $owner AND d.attempts = row.attempts AND d.status = 'pending'
SET d.status = row.status, d.next_attempt_at = row.next_attempt_at, d.lease_until = 0,
  d.last_attempt_at = row.last_attempt_at, d.last_status = row.last_status,
  d.last_error = row.last_error, d.last_error_zh = row.last_error_zh,
  d.delivered_at = CASE WHEN row.status = 'succeeded'
    THEN row.last_attempt_at ELSE d.delivered_at END
RETURN d.id AS id
"""

# An endpoint that answered 410 Gone is disabled with the delivery that got that answer.
WEBHOOK_ENDPOINT_GONE: Final = f"""
MATCH (d:{WEBHOOK_DELIVERY_LABEL} {{id: $id}})
SET d:{WEBHOOK_DELIVERY_LABEL}
WITH d
WHERE d.lease_owner = $owner AND d.attempts = $attempt AND d.status = 'pending'
MATCH (ep:{WEBHOOK_ENDPOINT_LABEL} {{id: d.endpoint_id}})
SET d.status = 'failed', d.lease_until = 0, d.last_attempt_at = $now, d.last_status = 410,
  d.last_error = $error, d.last_error_zh = $error,
  ep.enabled = false, ep.disabled_reason = $reason, ep.updated_at = $now
RETURN d.id AS id
"""

# Replay: a failed (or delivered) delivery is due again now, with a fresh retry window.
RETRY_WEBHOOK_DELIVERY: Final = f"""
MATCH (d:{WEBHOOK_DELIVERY_LABEL} {{id: $id}})
SET d:{WEBHOOK_DELIVERY_LABEL}
WITH d
WHERE d.status <> 'pending'
SET d.status = 'pending', d.next_attempt_at = $now, d.deadline_at = $deadline,
  d.lease_until = 0
WITH d
{_AUDIT}
RETURN properties(d) AS delivery
"""

# Retention: events older than $before go with their deliveries once none of those is pending
# or was attempted since $before (a replayed delivery shows its answer for the whole retention).
# Events of a time no endpoint was on were never fanned out and go the same way.
PRUNE_WEBHOOK_OUTBOX: Final = f"""
MATCH (e:{WEBHOOK_EVENT_LABEL})
WHERE e.at < $before
OPTIONAL MATCH (d:{WEBHOOK_DELIVERY_LABEL})
WHERE d.event_id = e.id
WITH e, collect(d) AS deliveries
WHERE none(d IN deliveries WHERE d.status = 'pending' OR coalesce(d.last_attempt_at, 0) >= $before)
WITH e, deliveries, size(deliveries) AS dropped
LIMIT $limit
FOREACH (d IN deliveries | DELETE d)
DELETE e
RETURN count(*) AS events, sum(dropped) AS deliveries
"""

LIST_WEBHOOK_DELIVERIES: Final = f"""
MATCH (d:{WEBHOOK_DELIVERY_LABEL})
WHERE ($id IS NULL OR d.id = $id) AND ($endpoint_id IS NULL OR d.endpoint_id = $endpoint_id)
  AND ($status IS NULL OR d.status = $status)
  AND ($event_id IS NULL OR d.event_id = $event_id)
WITH d ORDER BY d.created_at DESC, d.id DESC LIMIT $limit
RETURN properties(d) AS delivery
"""

WEBHOOK_EVENTS_OF: Final = f"""
UNWIND $ids AS wanted
MATCH (e:{WEBHOOK_EVENT_LABEL} {{id: wanted}})
RETURN e.id AS id, e.type AS type, e.at AS at, e.payload AS payload
"""


# --- the audit sequence: what kept decision chains are checked against (resolvers.kept) ------
# The entries written after `$since` (the first `$limit` in sequence order), with which
# sequence it is (a store emptied or replaced starts a new one), its number now and the
# number of its last bulk change (an import: anything may have changed). An activity's entry
# also comes with the activity as it is now (null: deleted), its deal and people (`links`,
# which the entry reaches too: an activity edited into the window of the chains that read it
# names only itself) and our team members who did it; a customer's or a team member's entry
# with its fields as they are now: kept chains take them in as they are.
AUDIT_SINCE: Final = f"""
OPTIONAL MATCH (s:{AUDIT_SEQUENCE_LABEL} {{id: '{_AUDIT_SEQUENCE_ID}'}})
WITH s
OPTIONAL MATCH (a:{AUDIT_LABEL})
WHERE a.seq > $since
WITH s, a
ORDER BY a.seq
LIMIT $limit
OPTIONAL MATCH (act:Activity {{id: a.target_id}})
OPTIONAL MATCH (cu:Customer {{id: a.target_id}})
OPTIONAL MATCH (tm:TeamMember {{id: a.target_id}})
RETURN s.epoch AS epoch, s.n AS now, s.bulk AS bulk, a.seq AS seq, a.subjects AS subjects,
  a.operation AS operation, a.target_id AS target, a.target_kind AS kind,
  properties(act) AS activity, properties(cu) AS customer, properties(tm) AS member,
  CASE WHEN act IS NULL THEN [] ELSE [(act)-[r:ABOUT|WITH]->(x) | [type(r), x.id]] END AS links,
  CASE WHEN act IS NULL THEN [] ELSE [(act)<-[:DID]-(m) | m.id] END AS doers
"""

# A change written without audit entries (an import): moves the sequence and marks it bulk.
MARK_BULK_CHANGE: Final = f"""
MERGE (s:{AUDIT_SEQUENCE_LABEL} {{id: '{_AUDIT_SEQUENCE_ID}'}})
ON CREATE SET s.epoch = randomUUID()
SET s.n = coalesce(s.n, 0) + 1
WITH s
SET s.bulk = s.n
RETURN s.n AS n
"""
