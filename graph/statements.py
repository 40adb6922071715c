"""Every Cypher statement dealgraph issues, as named, parameterised constants.

Statements are written in the subset that Neo4j 5 and FalkorDB both accept; the few dialect
differences (DDL) live in ``graph.dialect``. Labels and relationship types are interpolated only
from the model's enums when this module is imported, never from input: every value a caller
supplies travels as a parameter.

Every write statement also creates its audit entry, so a change and its record of who made it
are one atomic statement on both back ends.
"""

from __future__ import annotations

from typing import Final

from domain.model import EDGE_SPECS, EdgeKind, EdgeSpec, NodeKind

AUDIT_LABEL: Final = "AuditEntry"
_AUDIT: Final = f"CREATE (audit:{AUDIT_LABEL}) SET audit = $audit"

# Visibility of each node kind to the caller, as a WITH ... WHERE clause over the variable n.
# Parameters: $scope_all (bool), $scope_customers and $scope_opportunities (id lists).
# Pattern comprehensions are projected in WITH before filtering: FalkorDB cannot evaluate
# them inside a WHERE combined with other conditions.
_VISIBILITY: Final[dict[NodeKind, tuple[str, str]]] = {
    NodeKind.CUSTOMER: ("", "n.id IN $scope_customers"),
    NodeKind.OPPORTUNITY: ("", "n.id IN $scope_opportunities"),
    NodeKind.KEY_PERSON: (
        "[(n)-[:WORKS_AT]->(vc:Customer) | vc.id] AS vis_customers",
        "any(x IN vis_customers WHERE x IN $scope_customers)",
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


def _update_node(label: str) -> str:
    return f"""
MATCH (n:{label} {{id: $id}})
WHERE n.version = $version
SET n += $changes, n.version = n.version + 1, n.updated_at = $now
WITH n
{_AUDIT}
RETURN properties(n) AS node
"""


def _delete_node(label: str) -> str:
    return f"""
MATCH (n:{label} {{id: $id}})
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
    kind: _delete_node(kind.value) for kind in NodeKind if kind is not NodeKind.CUSTOMER
}
GET_NODES: Final = {kind: _get_nodes(kind) for kind in NodeKind}
EXISTING_IDS: Final = {kind: _existing_ids(kind.value) for kind in NodeKind}

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

CREATE_OPPORTUNITY: Final = f"""
MATCH (c:Customer {{id: $customer_id}})
OPTIONAL MATCH (existing:Opportunity {{id: $props.id}})
WITH c, count(existing) AS taken
WHERE taken = 0
CREATE (n:Opportunity)-[:FOR]->(c)
SET n = $props
WITH n
{_AUDIT}
RETURN properties(n) AS node
"""

LOG_ACTIVITY: Final = f"""
OPTIONAL MATCH (existing:Activity {{id: $props.id}})
WITH count(existing) AS taken
WHERE taken = 0
OPTIONAL MATCH (o:Opportunity {{id: $opportunity_id}})
WITH o
WHERE $opportunity_id IS NULL OR o IS NOT NULL
OPTIONAL MATCH (p:KeyPerson)
WHERE p.id IN $person_ids
WITH o, collect(DISTINCT p) AS persons
WHERE size(persons) = size($person_ids)
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

DELETE_CUSTOMER: Final = f"""
MATCH (n:Customer {{id: $id}})
WHERE n.version = $version
OPTIONAL MATCH (o:Opportunity)-[:FOR]->(n)
WITH n, collect(o) AS opportunities
WHERE size(opportunities) = 0 OR $cascade
OPTIONAL MATCH (p:KeyPerson)-[:WORKS_AT]->(n)
WITH n, opportunities, collect(p) AS people, properties(n) AS before
FOREACH (x IN opportunities | DETACH DELETE x)
FOREACH (x IN people | DETACH DELETE x)
DETACH DELETE n
WITH before, size(opportunities) AS opportunity_count, size(people) AS person_count
{_AUDIT}
RETURN before.id AS id, opportunity_count, person_count
"""

COUNT_CUSTOMER_OPPORTUNITIES: Final = """
MATCH (o:Opportunity)-[:FOR]->(c:Customer {id: $id})
RETURN count(o) AS count
"""

# --- edges -------------------------------------------------------------------------------


def _set_edge(spec: EdgeSpec, source: NodeKind, target: NodeKind) -> str:
    rel = spec.kind.value
    guards = ["s <> t"] if spec.no_self_loops else []
    if spec.no_cycles:
        guards.append(f"NOT (t)-[:{rel}*0..]->(s)")
    where = f"WHERE {' AND '.join(guards)}\n" if guards else ""
    replace = (
        f"OPTIONAL MATCH (s)-[old:{rel}]->(other)\nWHERE other <> t\n"
        "DELETE old\nWITH DISTINCT s, t\n"
        if spec.single_per_source
        else ""
    )
    return f"""
MATCH (s:{source.value} {{id: $from_id}})
MATCH (t:{target.value} {{id: $to_id}})
{where}{replace}MERGE (s)-[r:{rel}]->(t)
ON CREATE SET r = $defaults
SET r += $props, r.updated_at = $now
WITH r
{_AUDIT}
RETURN properties(r) AS edge
"""


def _remove_edge(spec: EdgeSpec, source: NodeKind, target: NodeKind) -> str:
    return f"""
MATCH (s:{source.value} {{id: $from_id}})-[r:{spec.kind.value}]->(t:{target.value} {{id: $to_id}})
WITH r, properties(r) AS before
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

SET_EDGE: Final[dict[EdgeKey, str]] = {
    (spec.kind, s, t): _set_edge(spec, s, t) for spec, s, t in _edge_endpoints()
}
REMOVE_EDGE: Final[dict[EdgeKey, str]] = {
    (spec.kind, s, t): _remove_edge(spec, s, t) for spec, s, t in _edge_endpoints()
}

WOULD_CLOSE_CYCLE: Final = """
MATCH (s:KeyPerson {id: $from_id})
MATCH (t:KeyPerson {id: $to_id})
RETURN s = t OR size([(t)-[:REPORTS_TO*1..]->(s) | 1]) > 0 AS cycle
"""

# --- lists -------------------------------------------------------------------------------
# One statement per kind and direction: ORDER BY direction cannot be a parameter. The sort key
# is a whitelisted property name passed as $sort (dynamic property access), with $sort_default
# standing in for missing values so that keyset cursors compare like with like.

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
  AND ($occurred_to IS NULL OR n.occurred_at < $occurred_to)""",
    ),
    NodeKind.WORK_PLAN_ITEM: (
        "[(n)-[:PLANNED_FOR]->(fo:Opportunity) | fo.id] AS opportunity_ids, "
        "[(n)-[:ASSIGNED_TO]->(fm:TeamMember) | fm.id] AS member_ids",
        """($opportunity_id IS NULL OR $opportunity_id IN opportunity_ids)
  AND ($member_id IS NULL OR $member_id IN member_ids)
  AND ($statuses IS NULL OR n.status IN $statuses)""",
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
WITH n, coalesce(n[$sort], $sort_default) AS sort_key
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

DECISION_CHAINS: Final = f"""
UNWIND $ids AS wanted
MATCH (n:Opportunity {{id: wanted}})-[:FOR]->(c:Customer)
{scoped(NodeKind.OPPORTUNITY, "n, c")}
WITH n, c, [(p:KeyPerson)-[:IN_DECISION_CHAIN]->(n) | p] AS chain_people
WITH n, c, chain_people, [p IN chain_people | p.id] AS pids
WITH n, c, chain_people, pids,
  [p IN chain_people | [(p)-[:REPORTS_TO|INFLUENCES]-(x:KeyPerson)
                        WHERE $with_connectors AND NOT x.id IN pids | x]] AS near
WITH n, c, chain_people, pids, reduce(acc = [], xs IN near | acc + xs) AS connectors
WITH n, c, connectors, pids + [x IN connectors | x.id] AS all_ids,
  chain_people + connectors AS people
WITH n, c, connectors, all_ids, people,
  reduce(acc = [], g IN [p IN people | [(a:Activity)-[:WITH]->(p)
      WHERE a.occurred_at >= $activities_since | a]] | acc + g)
  + [(oa:Activity)-[:ABOUT]->(n) WHERE oa.occurred_at >= $activities_since | oa] AS acts
RETURN properties(n) AS opportunity,
  properties(c) AS customer,
  [(mp:KeyPerson)-[mc:IN_DECISION_CHAIN]->(n) | {{person: properties(mp), chain: properties(mc),
    works: head([(mp)-[mw:WORKS_AT]->(:Customer) | properties(mw)])}}] AS members,
  [x IN connectors | {{person: properties(x),
    works: head([(x)-[xw:WORKS_AT]->(:Customer) | properties(xw)])}}] AS connectors,
  [p IN people | [(p)-[:REPORTS_TO]->(rq:KeyPerson) WHERE rq.id IN all_ids
    | {{from_id: p.id, to_id: rq.id}}]] AS reports_to,
  [p IN people | [(p)-[infl:INFLUENCES]->(iq:KeyPerson) WHERE iq.id IN all_ids
    | {{from_id: p.id, to_id: iq.id, strength: infl.strength}}]] AS influences,
  [p IN people | [(p)-[pk:KNOWS]->(pkq:KeyPerson) WHERE pkq.id IN all_ids
    | {{from_id: p.id, to_id: pkq.id, strength: pk.level}}]] AS person_knows,
  [p IN people | [(tk:TeamMember)-[tkr:KNOWS]->(p)
    | {{member: properties(tk), member_id: tk.id, person_id: p.id, level: tkr.level,
        since: tkr.since}}]] AS team_knows,
  [(t:TeamMember)-[ot:ON_TEAM]->(n) | {{member: properties(t), member_id: t.id, name: t.name,
    role: ot.role, phase: ot.phase}}] AS team,
  [(cx:Competitor)-[cf:COMPETES_FOR]->(n) | {{competitor: properties(cx), id: cx.id,
    name: cx.name, position: cf.position,
    price_position: cf.price_position}}] AS competitors,
  [p IN people | [(tx:Competitor)-[ct:CLOSE_TO]->(p) | {{competitor: properties(tx),
    competitor_id: tx.id,
    person_id: p.id, level: ct.level}}]] AS competitor_ties,
  [a IN acts | {{activity: properties(a),
    person_ids: [(a)-[:WITH]->(aq:KeyPerson) | aq.id],
    member_ids: [(am:TeamMember)-[:DID]->(a) | am.id],
    opportunity_id: head([(a)-[:ABOUT]->(ao:Opportunity) | ao.id])}}] AS activities
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
WITH n, [(p:KeyPerson)-[:WORKS_AT]->(n) | p] AS staff
WITH n, staff, [p IN staff | p.id] AS pids
RETURN properties(n) AS customer,
  [(sp:KeyPerson)-[sw:WORKS_AT]->(n) | {{person: properties(sp), works: properties(sw)}}] AS people,
  [p IN staff | [(p)-[:REPORTS_TO]->(q:KeyPerson) WHERE q.id IN pids
    | {{from_id: p.id, to_id: q.id}}]] AS reports_to,
  [p IN staff | [(p)-[infl:INFLUENCES]->(iq:KeyPerson) WHERE iq.id IN pids
    | {{from_id: p.id, to_id: iq.id, strength: infl.strength}}]] AS influences
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

AUDIT_LOG: Final = f"""
MATCH (a:{AUDIT_LABEL})
WHERE ($target_id IS NULL OR a.target_id = $target_id)
WITH a ORDER BY a.at DESC, a.id DESC
WITH collect(a) AS rows
RETURN size(rows) AS total,
  [row IN rows WHERE $after_at IS NULL OR row.at < $after_at
     OR (row.at = $after_at AND row.id < $after_id) | properties(row)][0..$limit] AS entries
"""

# --- bulk import / export ------------------------------------------------------------------
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


def _import_edges(spec: EdgeSpec, source: NodeKind, target: NodeKind) -> str:
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


def _export_edges(spec: EdgeSpec, source: NodeKind, target: NodeKind) -> str:
    return f"""
MATCH (s:{source.value})
WHERE s.id > $after_id
WITH s ORDER BY s.id
LIMIT $limit
RETURN s.id AS cursor,
  [(s)-[r:{spec.kind.value}]->(t:{target.value}) | {{to_id: t.id, props: properties(r)}}] AS out
ORDER BY cursor
"""


IMPORT_NODES: Final = {kind: _import_nodes(kind.value) for kind in NodeKind}
IMPORT_AUDIT: Final = _import_nodes(AUDIT_LABEL)
IMPORT_EDGES: Final[dict[EdgeKey, str]] = {
    (spec.kind, s, t): _import_edges(spec, s, t) for spec, s, t in _edge_endpoints()
}
EXPORT_NODES: Final = {kind: _export_nodes(kind.value) for kind in NodeKind}
EXPORT_AUDIT: Final = _export_nodes(AUDIT_LABEL)
EXPORT_EDGES: Final[dict[EdgeKey, str]] = {
    (spec.kind, s, t): _export_edges(spec, s, t) for spec, s, t in _edge_endpoints()
}
EXPORT_COUNT_AUDIT: Final = f"MATCH (n:{AUDIT_LABEL}) RETURN count(n) AS count"
EXPORT_COUNT_EDGES: Final[dict[EdgeKey, str]] = {
    (spec.kind, s, t): f"MATCH (:{s.value})-[r:{spec.kind.value}]->(:{t.value}) "
    "RETURN count(r) AS count"
    for spec, s, t in _edge_endpoints()
}

# --- health ----------------------------------------------------------------------------------

PING: Final = "RETURN 1 AS ok"

COUNT_NODES: Final = {kind: f"MATCH (n:{kind.value}) RETURN count(n) AS count" for kind in NodeKind}


def all_statements() -> dict[str, str]:
    """Every statement of this module by a stable name, for linting and documentation."""
    found: dict[str, str] = {}
    for name, value in globals().items():
        if not name.isupper() or name.startswith("_"):
            continue
        if isinstance(value, str) and value.strip() and name not in {"AUDIT_LABEL"}:
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
# Labels of their own, outside the model's NodeKind: a StageTransition or a Violation is a
# record, never edited or deleted through the generic node statements (there is no
# DELETE_NODE for them). Approval history is a JSON list in the Approval's `history`.
# Every write creates its audit entry in the same statement.

PROCESS_LABELS: Final = ("StageTransition", "DeliveryReview", "Violation")

ADVANCE_STAGE: Final = f"""
MATCH (o:Opportunity {{id: $id}})
WHERE o.version = $version AND o.stage = $from_stage
SET o.stage = $to_stage, o.stage_entered_at = $now, o.version = o.version + 1,
  o.updated_at = $now
CREATE (t:StageTransition)-[:TRANSITION_OF]->(o)
SET t = $transition
WITH o
{_AUDIT}
RETURN properties(o) AS node
"""

REQUEST_APPROVAL: Final = f"""
MATCH (o:Opportunity {{id: $opportunity_id}})
MATCH (m:TeamMember {{id: $requester_id}})
CREATE (a:Approval)-[:REQUESTED_FOR]->(o)
CREATE (a)-[:REQUESTED_BY]->(m)
SET a = $props
WITH a
{_AUDIT}
RETURN properties(a) AS node
"""

DECIDE_APPROVAL: Final = f"""
MATCH (a:Approval {{id: $id}})
WHERE a.version = $version AND a.state = $from_state
MATCH (m:TeamMember {{id: $decider_id}})
SET a.state = $state, a.history = $history, a.comment = $comment, a.decided_at = $now,
  a.version = a.version + 1, a.updated_at = $now
FOREACH (x IN CASE WHEN $record_decider THEN [m] ELSE [] END | CREATE (a)-[:DECIDED_BY]->(x))
WITH a
{_AUDIT}
RETURN properties(a) AS node
"""

RECORD_DELIVERY_REVIEW: Final = f"""
MATCH (o:Opportunity {{id: $id}})
WHERE o.version = $version
MATCH (m:TeamMember {{id: $reviewer_id}})
SET o.delivery_reviewed = $feasible, o.version = o.version + 1, o.updated_at = $now
CREATE (r:DeliveryReview)-[:REVIEW_OF]->(o)
CREATE (r)-[:REVIEWED_BY]->(m)
SET r = $review
WITH o
{_AUDIT}
RETURN properties(o) AS node
"""

SUBMIT_QUOTE: Final = f"""
MATCH (o:Opportunity {{id: $id}})
WHERE o.version = $version
SET o.quote_status = $submitted, o.version = o.version + 1, o.updated_at = $now
WITH o
{_AUDIT}
RETURN properties(o) AS node
"""

UPSERT_VIOLATIONS: Final = f"""
UNWIND $rows AS row
MATCH (o:Opportunity {{id: row.opportunity_id}})
MERGE (v:Violation {{key: row.key}})
ON CREATE SET v = row
SET v.last_seen_at = $now
MERGE (v)-[:VIOLATION_OF]->(o)
WITH count(v) AS seen
{_AUDIT}
RETURN seen
"""

ACKNOWLEDGE_VIOLATION: Final = f"""
MATCH (v:Violation {{id: $id}})
WHERE v.acknowledged = false
SET v.acknowledged = true, v.acknowledged_at = $now, v.acknowledged_by = $actor_id,
  v.acknowledged_member_id = $member_id, v.acknowledgement_note = $note
WITH v
{_AUDIT}
RETURN properties(v) AS node
"""

PROCESS_FACTS: Final = f"""
UNWIND $ids AS wanted
MATCH (n:Opportunity {{id: wanted}})
{scoped(NodeKind.OPPORTUNITY)}
RETURN n.id AS opportunity_id, properties(n) AS opportunity,
  [(pa:Approval)-[:REQUESTED_FOR]->(n) | properties(pa)] AS approvals,
  [(pr:DeliveryReview)-[:REVIEW_OF]->(n) | properties(pr)] AS reviews
"""

STAGE_HISTORY: Final = """
UNWIND $ids AS wanted
MATCH (t:StageTransition)-[:TRANSITION_OF]->(o:Opportunity {id: wanted})
RETURN wanted AS opportunity_id, properties(t) AS transition
"""

OPPORTUNITY_IDS: Final = f"""
MATCH (n:Opportunity)
{scoped(NodeKind.OPPORTUNITY)}
WITH n
WHERE NOT $open_only OR NOT n.stage IN $closed
RETURN n.id AS id
ORDER BY id
"""

VIOLATION_KEYS: Final = """
UNWIND $keys AS wanted
MATCH (v:Violation {key: wanted})
RETURN v.key AS key
"""

GET_VIOLATION: Final = """
MATCH (v:Violation {id: $id})
WHERE $scope_all OR v.opportunity_id IN $scope_opportunities
RETURN properties(v) AS node
"""

LIST_VIOLATIONS: Final = """
MATCH (v:Violation)
WHERE ($scope_all OR v.opportunity_id IN $scope_opportunities)
  AND ($rule IS NULL OR v.rule = $rule)
  AND ($opportunity_id IS NULL OR v.opportunity_id = $opportunity_id)
  AND ($acknowledged IS NULL OR v.acknowledged = $acknowledged)
WITH v ORDER BY v.detected_at DESC, v.id DESC
WITH collect(v) AS rows
RETURN size(rows) AS total,
  [row IN rows WHERE $after_at IS NULL OR row.detected_at < $after_at
     OR (row.detected_at = $after_at AND row.id < $after_id) | properties(row)][0..$limit] AS items
"""
