// The decision-chain map drawn with Cytoscape.js: reporting tree top-down (dagre, or departments
// packed in rows for a wide, shallow chain), influence arrows over it, departments as boxes,
// our team at the side; plus the SVG export.
import { label, listOf, nameOf, t } from './i18n.js';
import { CLOSED } from './pipeline.js';

/** Each attitude's colour and sign (neutral a circle: a "0" beside a name read as a score). */
export const ATTITUDE = {
  OPPONENT: ['#d73027', '−−'], SKEPTIC: ['#fc8d59', '−'], NEUTRAL: ['#d9d9d9', '○'],
  SUPPORTER: ['#a6d96a', '+'], CHAMPION: ['#1a9850', '++'],
};
const LEVEL = { WEAK: 1, MODERATE: 2, STRONG: 3, VERY_STRONG: 4 };
const RIVALS = ['#7b3294', '#0571b0', '#b8860b', '#e7298a', '#525252'];
const WANTED = ['DECISION_MAKER', 'TECHNICAL_EVALUATOR', 'PROCUREMENT', 'COACH'];

export const CHANGE_COLOURS = { added: '#2f855a', warmer: '#2f855a', cooler: '#c53030', changed: '#2b6cb0' };
const BADGES = { added: 'badgeAdded', warmer: 'badgeWarmer', cooler: 'badgeCooler', changed: 'badgeChanged' };

const FONT_PX = 11;
/** A team member's box: its height for one or two lines, its least width, the width its words
 * wrap at, the room between two boxes. */
const MEMBER_H = 34;
const MEMBER_W = 124;
const MEMBER_TEXT = 118;
const MEMBER_SPACE = 6;
/** Where the whole label would be too small to read, the name is drawn alone, a little above
 * the readable size on the screen (its font grows as the map zooms out, up to NAME_MAX_PX), so
 * the fitted map of a real chain still says who is who. */
const NAME_MAX_PX = 44;
/** The gap between a person's circle and a rival's outline around it. */
const ALLY_OFFSET = 2;
/** The smallest label worth drawing, in CSS pixels on the screen: below it a label is a smudge. */
export const READABLE_PX = 11;
/** A focused person's labels come out a little above the readable size. */
const FOCUS_ZOOM = (READABLE_PX + 1) / FONT_PX;
const FOCUS_MAX_ZOOM = 1.6;
const FIT_PADDING = 20;
const FOCUS_PADDING = 24;
// not queued: an animation runs (and counts as running) from the moment it is asked for
const ANIMATION = { duration: 350, easing: 'ease-in-out-cubic', queue: false };

const STYLE = [
  { selector: 'node', style: { label: 'data(label)', 'text-wrap': 'wrap', 'text-max-width': 150, 'font-size': FONT_PX, 'text-valign': 'bottom', 'text-margin-y': 4, color: '#222', 'min-zoomed-font-size': 5 } },
  // Cytoscape compares min-zoomed-font-size with the font size at the power of two of its
  // texture cache (zoom × device pixels, rounded up), so alone it lets labels through at half
  // the size asked for; watchLabels() sets it out of reach while the labels would be too small.
  { selector: 'node.small-label', style: { 'min-zoomed-font-size': 1000 } },
  // a picture draws every label whatever its size: one too small to read is left out of it
  { selector: 'node.unprinted', style: { 'text-opacity': 0 } },
  { selector: 'node.name-label', style: { label: 'data(name)', 'font-size': NAME_MAX_PX } },
  // one class per size a name drawn alone takes (name-12 … name-44): the stylesheet stays as it
  // is however often the map zooms
  ...Array.from({ length: NAME_MAX_PX - READABLE_PX }, (_, i) => READABLE_PX + 1 + i).map((px) => (
    { selector: `node.name-label.name-${px}`, style: { 'font-size': px } })),
  { selector: 'node.person', style: {
    width: 'data(size)', height: 'data(size)', 'background-color': 'data(color)', 'border-width': 'data(ring)', 'text-margin-y': 'data(labelGap)',
    'border-color': '#2b6cb0', 'border-style': 'data(ringStyle)', 'outline-width': 'data(allyWidth)',
    'outline-color': 'data(allyColor)', 'outline-offset': ALLY_OFFSET } },
  { selector: 'node.person.uncovered', style: { 'border-color': '#c53030' } },
  // a line that crosses a name passes under it, not through its letters
  { selector: 'node.person', style: { 'text-background-color': '#fff', 'text-background-opacity': 0.85, 'text-background-shape': 'round-rectangle' } },
  { selector: 'node.person:selected', style: { 'overlay-color': '#2b6cb0', 'overlay-opacity': 0.25, 'overlay-padding': 6, 'overlay-shape': 'ellipse' } },
  { selector: 'node.dept', style: { shape: 'round-rectangle', 'background-color': '#f4f6f8', 'border-color': '#b0bac5', 'border-width': 1, 'text-valign': 'top', 'text-halign': 'center', 'font-weight': 'bold', color: '#4a5568', padding: 18 } },
  { selector: 'node.member', style: { shape: 'round-rectangle', width: 'data(w)', height: 'data(h)', 'text-max-width': MEMBER_TEXT, 'background-color': '#e6f0fa', 'border-color': '#2b6cb0', 'border-width': 1, 'text-valign': 'center', 'text-margin-y': 0 } },
  { selector: 'node.placeholder', style: { shape: 'round-rectangle', width: 150, height: 34, 'background-opacity': 0, 'border-style': 'dashed', 'border-width': 2, 'border-color': '#c53030', 'text-valign': 'center', 'text-margin-y': 0, color: '#c53030' } },
  { selector: 'node.faded', style: { opacity: 0.25 } },
  { selector: 'node.gone', style: { opacity: 0.3, 'border-style': 'dotted' } },
  // one who left the customer: history on the map, greyed, their ties dashed
  { selector: 'node.person.left', style: { 'background-color': '#cbd5e0', 'border-style': 'dashed', 'border-color': '#718096', opacity: 0.7, color: '#4a5568' } },
  { selector: 'edge.left', style: { 'line-style': 'dashed', opacity: 0.35 } },
  // marks of "What changed": a halo behind the person, and a badge line in the label
  { selector: 'node.person.changed-added, node.person.changed-warmer', style: { 'underlay-color': CHANGE_COLOURS.warmer, 'underlay-opacity': 0.4, 'underlay-padding': 10, 'underlay-shape': 'ellipse' } },
  { selector: 'node.person.changed-cooler', style: { 'underlay-color': CHANGE_COLOURS.cooler, 'underlay-opacity': 0.4, 'underlay-padding': 10, 'underlay-shape': 'ellipse' } },
  { selector: 'node.person.changed-changed', style: { 'underlay-color': CHANGE_COLOURS.changed, 'underlay-opacity': 0.3, 'underlay-padding': 10, 'underlay-shape': 'ellipse' } },
  { selector: 'node.person.changed-added', style: { 'font-weight': 'bold' } },
  { selector: 'edge', style: { 'curve-style': 'bezier', width: 1.5 } },
  { selector: 'edge.reports', style: { 'line-color': '#8795a1', 'curve-style': 'straight' } },
  { selector: 'edge.influence', style: { 'line-color': '#dd6b20', 'line-style': 'dashed', 'target-arrow-shape': 'triangle', 'target-arrow-color': '#dd6b20', width: 'data(width)' } },
  { selector: 'edge.knows', style: { 'line-color': '#38a169', opacity: 0.55, width: 'data(width)', 'curve-style': 'haystack' } },
  // the focus view: the picked person and their ties in front, everyone else receded
  { selector: 'node.receded', style: { opacity: 0.2, 'text-opacity': 0.3 } },
  { selector: 'edge.receded', style: { opacity: 0.1 } },
  // a department's opacity would pass to the people in it: fade its own paint only
  // (and its title: gathering moves people into other departments' boxes, whose titles would
  // land on their names)
  { selector: 'node.dept.receded', style: { opacity: 1, 'background-opacity': 0.15, 'border-opacity': 0.2, 'text-opacity': 0 } },
  { selector: 'node.in-focus', style: { 'z-index': 10 } },
];

/** How far a person's label hangs below their circle: clear of the coverage ring (drawn across
 * the circle's edge) and of a rival's outline around it, so the name is not written over them. */
const labelGap = (ring, allyWidth) => 5 + ring / 2 + (allyWidth ? ALLY_OFFSET + allyWidth : 0);

/** Display data of one member, from the stored chain and any what-if changes tried. */
export function personData(member, effective, maxEffective, rivalColour, whatIf = {}) {
  const attitude = whatIf.attitude ?? member.attitude;
  const ties = [...member.teamTies.map((tie) => LEVEL[tie.level] ?? 0), whatIf.level ? LEVEL[whatIf.level] : 0];
  const best = Math.max(0, ...ties);
  // the closest rival draws the outline; the label names every rival the person is close to
  const allies = [...member.competitorTies].sort((a, b) => (LEVEL[b.level] ?? 0) - (LEVEL[a.level] ?? 0));
  const ally = allies[0];
  const [colour, sign] = ATTITUDE[attitude] ?? ATTITUDE.NEUTRAL;
  const lines = [`${member.person.name} ${sign}`, member.person.title, `[${label('DecisionRole', member.role)}]`];
  if (ally) lines.push(`⚑ ${t('ally', { c: listOf(allies.map((x) => x.competitor.name)) })}`);
  const left = member.person.departure;
  if (left) lines.push(t(left.to ? 'mapLeftTo' : 'mapLeft', { day: left.leftOn, to: left.to }));
  const ring = best ? 1 + best * 1.5 : 2;
  const allyWidth = ally ? 2 + (LEVEL[ally.level] ?? 1) : 0;
  return {
    id: member.person.id, name: member.person.name, label: lines.filter(Boolean).join('\n'), base: lines.filter(Boolean).join('\n'), color: colour,
    // whole pixels: an influence that decays by the second draws the same circle all day
    size: Math.round(34 + 46 * (maxEffective ? effective / maxEffective : 0.3)),
    ring, ringStyle: best ? 'solid' : 'dashed', allyWidth, allyColor: ally ? rivalColour(ally.competitor.id) : '#fff',
    labelGap: labelGap(ring, allyWidth), covered: best > 0 || Boolean(left), attitude, gone: Boolean(whatIf.leaves), left: Boolean(left),
  };
}

/** Cytoscape elements for a decision chain and its analysis; ``ours``: all of ours, among whom
 * two with one name are told apart on their boxes. */
export function elements(opportunity, ours = [], whatIf = new Map()) {
  const chain = opportunity.decisionChain;
  const effective = new Map((opportunity.analysis?.influence ?? []).map((i) => [i.person.id, i.effective]));
  const maxEffective = Math.max(0, ...effective.values());
  const rivals = chain.competitors.map((c) => c.competitor.id);
  const rivalColour = (id) => RIVALS[Math.max(0, rivals.indexOf(id)) % RIVALS.length];
  const inChain = new Set(chain.members.map((m) => m.person.id));
  const out = [];
  const departments = new Set();
  for (const member of chain.members) {
    const dept = member.person.department || t('dept');
    departments.add(dept);
    const data = personData(member, effective.get(member.person.id) ?? 0, maxEffective, rivalColour, whatIf.get(member.person.id));
    out.push({ group: 'nodes', data: { ...data, parent: `dept:${dept}` }, classes: `person${data.covered ? '' : ' uncovered'}${data.gone ? ' gone' : ''}${data.left ? ' left' : ''}` });
  }
  for (const dept of departments) out.push({ group: 'nodes', data: { id: `dept:${dept}`, label: dept }, classes: 'dept' });
  // a role whose holder left the customer is a role the chain lacks
  const roles = new Set(chain.members.filter((m) => !m.person.departure).map((m) => m.role));
  // a deal won, lost or abandoned wants nobody more in its chain: what it lacked is history
  const missing = CLOSED.has(opportunity.stage) ? [] : WANTED.filter((r) => !roles.has(r));
  for (const role of missing) {
    // its label is short: drawn whenever names are (the roles the chain lacks are news, not detail)
    const text = t('placeholder', { role: label('DecisionRole', role) });
    out.push({ group: 'nodes', data: { id: `missing:${role}`, label: text, name: text }, classes: 'placeholder' });
  }
  // a tie of one who left the customer is history too
  const left = new Set(chain.members.filter((m) => m.person.departure).map((m) => m.person.id));
  const past = (a, b) => (left.has(a) || left.has(b) ? ' left' : '');
  for (const link of chain.reportsTo) {
    const [report, manager] = [link.fromPerson.id, link.toPerson.id];
    if (inChain.has(report) && inChain.has(manager)) out.push({ group: 'edges', data: { id: `r:${report}`, source: manager, target: report }, classes: `reports${past(report, manager)}` });
  }
  for (const link of chain.influences) {
    const [from, to] = [link.fromPerson.id, link.toPerson.id];
    if (inChain.has(from) && inChain.has(to)) out.push({ group: 'edges', data: { id: `i:${from}:${to}`, source: from, target: to, width: 1 + (LEVEL[link.strength] ?? 1) }, classes: `influence${past(from, to)}` });
  }
  const team = new Map(chain.team.map((a) => [a.member.id, a]));
  for (const member of chain.members) for (const tie of member.teamTies) if (!team.has(tie.member.id)) team.set(tie.member.id, { member: tie.member });
  // two of ours with one name are told apart on their boxes, as the pickers tell them, also
  // where only one of them is on the deal (the box as tall as the lines its words take)
  for (const [id, assignment] of team) {
    const name = nameOf(assignment.member, ours);
    const text = assignment.role ? `${name}\n${label('TeamRole', assignment.role)}` : name;
    out.push({ group: 'nodes', data: { id, name, label: text, w: MEMBER_W, h: memberHeight(text) }, classes: 'member' });
  }
  for (const member of chain.members) {
    const knows = left.has(member.person.id) ? 'knows left' : 'knows';
    for (const tie of member.teamTies) out.push({ group: 'edges', data: { id: `k:${tie.member.id}:${member.person.id}`, source: tie.member.id, target: member.person.id, width: LEVEL[tie.level] ?? 1 }, classes: knows });
  }
  return out;
}

/** Mark the people a "What changed" result names (marks: person id → added, warmer, cooler or
 * changed): a halo in the mark's colour and a badge as the label's first line. */
export function markChanges(cy, marks) {
  cy.nodes('.person').forEach((node) => {
    const mark = marks.get(node.id());
    node.removeClass('changed-added changed-warmer changed-cooler changed-changed');
    const base = node.data('base') ?? node.data('label');
    node.data('label', mark ? `${t(BADGES[mark])}\n${base}` : base);
    if (mark) node.addClass(`changed-${mark}`);
  });
}

/** Lay out the customer's side, then our team in a column at the left. A reporting tree that
 * is deep enough for its width is drawn top-down by dagre (reporting lines only); a wide,
 * shallow one (most people's managers are not in the chain, or a manager has dozens of reports)
 * would come out as a strip one person tall, fitted at a zoom that names nobody, so its
 * departments are packed instead, each a small tree whose wide ranks wrap into rows, in rows
 * that fill the map's box. So is a tree that a narrow box (a phone's) would fit only at a zoom
 * that names nobody, when packed it comes out larger. */
export function layout(cy) {
  clearFocus(cy);
  return new Promise((resolve) => {
    const customerSide = cy.elements().not('.member, .knows, .influence');
    const packed = () => {
      cy.scratch('_packed', true);
      // fitted, the names may be drawn alone, larger than the whole labels: each person's place
      // is made wide enough for their name at the size the fitted zoom draws it, with a tenth
      // to spare (a wider place fits at a lower zoom, with larger names); packed again while
      // the names would come out larger than their places were made for
      wholeLabels(cy, () => {
        let named = null;
        for (let pass = 0; pass < 4; pass += 1) {
          pack(cy, { width: cy.width(), height: cy.height(), named });
          const px = nameSizeAt(boxZoom(cy));
          if (px === null || px <= (named?.px ?? 0)) return;
          const room = Math.min(NAME_MAX_PX, Math.ceil(px * NAME_ROOM));
          named = { px: room, boxes: namedBoxes(cy, room) };
        }
      });
    };
    const finish = () => {
      wholeLabels(cy, () => {
        cy.scratch('_side', customerSide.boundingBox()); // where our team goes when a box resizes
        placeTeam(cy);
        cy.fit(undefined, FIT_PADDING);
      });
      cy.scratch('_fitted', { zoom: cy.zoom(), pan: { ...cy.pan() } });
      resolve();
    };
    if (isWide(cy)) {
      packed();
      finish();
      return;
    }
    cy.removeScratch('_packed');
    const run = customerSide.layout({ name: 'dagre', rankDir: 'TB', nodeSep: 24, rankSep: 50, nodeDimensionsIncludeLabels: true, animate: false, fit: false });
    run.one('layoutstop', () => {
      const tree = fitZoomOf(cy);
      if (tree * NAME_MAX_PX < READABLE_PX) {
        const placed = cy.nodes('.person, .placeholder'); // what packing moves
        const kept = placed.map((n) => [n, { ...n.position() }]);
        packed();
        if (fitZoomOf(cy) <= tree) {
          cy.removeScratch('_packed');
          cy.batch(() => kept.forEach(([n, position]) => n.position(position)));
        }
      }
      finish();
    });
    wholeLabels(cy, () => run.run());
  });
}

/** The zoom at which the whole map, our team placed beside it, fits the map's box (measured,
 * as fitted, with the whole labels). */
function fitZoomOf(cy) {
  let zoom = 0;
  wholeLabels(cy, () => { zoom = boxZoom(cy); });
  return zoom;
}

/** fitZoomOf() with the labels as they are now. */
function boxZoom(cy) {
  placeTeam(cy);
  const box = cy.elements().boundingBox();
  return Math.min((cy.width() - 2 * FIT_PADDING) / box.w, (cy.height() - 2 * FIT_PADDING) / box.h);
}

/** Our team in a column at the left of the customer's side (``box``, as laid out), spread along
 * it; a box taller than the room its share gives (a namesake's, told apart) pushes the ones
 * below down. */
function placeTeam(cy, gap = TEAM_GAP, box = cy.elements().not('.member, .knows, .influence').boundingBox()) {
  const members = cy.nodes('.member');
  let below = -Infinity; // the lower edge of the box placed last
  members.forEach((node, i) => {
    const half = (node.data('h') ?? MEMBER_H) / 2;
    const y = Math.max(box.y1 + 40 + i * (box.h / Math.max(1, members.length)), below + MEMBER_SPACE + half);
    node.position({ x: box.x1 - gap, y });
    below = y + half;
  });
}

/** A team member's box as tall as the lines its label takes (a namesake's name told apart
 * takes more), before the map draws it (``fitMembers`` then measures it as drawn). */
function memberHeight(text) {
  const font = `${FONT_PX}px ${getComputedStyle(document.documentElement).fontFamily || 'sans-serif'}`;
  const lines = text.split('\n').reduce((n, line) => n + Math.max(1, Math.ceil(textWidth(line, font) / MEMBER_TEXT)), 0);
  return Math.max(MEMBER_H, Math.ceil(lines * FONT_PX * 1.25 + 8));
}

/** Our team's column: from its centre to the customer's side, and the room it takes there
 * (model pixels); the deal sheet's is narrower (names alone). */
const TEAM_GAP = 160;
const MEMBER_COLUMN = 230;
const SHEET_TEAM_GAP = 100;
/** A tree wider than this many times its height is packed by department (see layout). */
const WIDE_ASPECT = 3;
const SLOT_GAP = 16;
const TIER_GAP = 26;
const DEPT_GAP = 34;
/** A department box's padding (the style's) and its title above the people. */
const DEPT_PAD = 18;
const DEPT_TITLE = 18;

/** Each person's rank in the reporting forest of the chain (0 for those whose manager is not in
 * it), from their manager down. */
function ranks(cy) {
  const rank = new Map();
  const of = (node, seen = new Set()) => {
    if (rank.has(node.id())) return rank.get(node.id());
    const manager = node.incomers('edge.reports').sources().first();
    const r = manager.empty() || seen.has(node.id()) ? 0 : 1 + of(manager, seen.add(node.id()));
    rank.set(node.id(), r);
    return r;
  };
  cy.nodes('.person').forEach((node) => of(node));
  return rank;
}

/** Whether dagre's tree would come out far wider than tall: its widest rank of average
 * labels against its depth. */
function isWide(cy) {
  const rank = ranks(cy);
  const count = new Map();
  for (const r of rank.values()) count.set(r, (count.get(r) ?? 0) + 1);
  const widest = Math.max(0, ...count.values());
  return widest * SLOT_W > WIDE_ASPECT * count.size * 140;
}

/** Lay the people of one department out as a small tree, relative to (0, 0): each rank (within
 * the department) below its managers, wrapped into rows of at most ``columns``, reports after
 * their manager's. ``extent`` gives a node's box around its position. Returns the positions
 * and the size of the box. */
function departmentTree(people, columns, extent, { slotGap, tierGap }) {
  const ids = new Set(people.map((n) => n.id()));
  const managerOf = (n) => n.incomers('edge.reports').sources().filter((m) => ids.has(m.id())).first();
  const tiers = [];
  const placed = new Set();
  let tier = people.filter((n) => managerOf(n).empty());
  if (!tier.length) tier = people.slice(0, 1); // a reporting loop: start anywhere
  while (tier.length) {
    tier.forEach((n) => placed.add(n.id()));
    tiers.push(tier);
    tier = tier.flatMap((m) => m.outgoers('edge.reports').targets().filter((n) => ids.has(n.id()) && !placed.has(n.id())).toArray());
  }
  const rest = people.filter((n) => !placed.has(n.id()));
  if (rest.length) tiers.push(rest);
  const rows = tiers.flatMap((t) => Array.from({ length: Math.ceil(t.length / columns) }, (_, i) => ({ people: t.slice(i * columns, (i + 1) * columns), gap: i ? slotGap : tierGap })));
  const slot = Math.max(...people.map((n) => extent(n).w)) + slotGap;
  const width = Math.max(...rows.map((r) => r.people.length)) * slot;
  const positions = [];
  let y = 0;
  rows.forEach((row, r) => {
    const up = Math.max(...row.people.map((n) => extent(n).up));
    const down = Math.max(...row.people.map((n) => extent(n).down));
    if (r) y += row.gap;
    const left = (width - row.people.length * slot) / 2 + slot / 2;
    row.people.forEach((n, i) => positions.push([n, { x: left + i * slot, y: y + up }]));
    y += up + down;
  });
  return { positions, w: width - slotGap, h: y };
}

/** Departments (then the placeholders of missing roles) in rows no wider than ``limit``.
 * Returns the rows and the size of the whole. */
function shelves(groups, limit, gap) {
  const rows = [[]];
  let used = 0;
  for (const g of groups) {
    if (used && used + gap + g.w > limit) { rows.push([]); used = 0; }
    used += (used ? gap : 0) + g.w;
    rows.at(-1).push(g);
  }
  const rowWidth = (row) => row.reduce((s, g, i) => s + g.w + (i ? gap : 0), 0);
  const w = Math.max(...rows.map(rowWidth));
  const h = rows.reduce((s, row, i) => s + Math.max(...row.map((g) => g.h)) + (i ? gap : 0), 0);
  return { rows, w, h, rowWidth };
}

/** Pack the departments (and the placeholders of missing roles) in rows, to fit a box of
 * ``width`` × ``height`` with ``beside`` (model pixels, our team's column) at its left: each
 * department a small tree whose ranks wrap at the same number of columns, the departments of
 * the top of the hierarchy first; the columns and the rows' width are those at which the whole
 * fits the box at the largest zoom. The deal sheet packs tighter (``tight``): names alone, no
 * department titles. */
function pack(cy, { width, height, tight = false, named = null }) {
  const gaps = tight ? { slotGap: SLOT_GAP / 4, tierGap: TIER_GAP / 3 } : { slotGap: SLOT_GAP, tierGap: TIER_GAP };
  const [deptGap, title] = tight ? [DEPT_GAP / 3, 0] : [DEPT_GAP, DEPT_TITLE];
  const beside = cy.nodes('.member').nonempty() ? MEMBER_COLUMN - (tight ? TEAM_GAP - SHEET_TEAM_GAP : 0) : 0;
  const rank = ranks(cy);
  const boxes = new Map();
  const extent = (n) => {
    if (!boxes.has(n.id())) boxes.set(n.id(), widest(extentOf(n), named?.boxes.get(n.id())));
    return boxes.get(n.id());
  };
  const depts = cy.nodes('.dept').map((dept) => dept.children('.person').toArray().sort((a, b) => rank.get(a.id()) - rank.get(b.id())))
    .filter((people) => people.length)
    .sort((a, b) => rank.get(a[0].id()) - rank.get(b[0].id()) || b.length - a.length);
  const placeholders = cy.nodes('.placeholder').map((n) => ({ positions: [[n, { x: extent(n).w / 2, y: extent(n).up }]], w: extent(n).w, h: extent(n).h, bare: true }));
  let best = null;
  const most = Math.max(1, ...depts.map((people) => people.length));
  for (let columns = 1; columns <= Math.min(most, 12); columns += 1) {
    const groups = [...depts.map((people) => {
      const tree = departmentTree(people, columns, extent, gaps);
      return { ...tree, w: tree.w + 2 * DEPT_PAD, h: tree.h + 2 * DEPT_PAD + title };
    }), ...placeholders];
    const total = groups.reduce((s, g) => s + g.w + deptGap, 0);
    for (let limit = Math.max(...groups.map((g) => g.w)); ; limit += 20) {
      const tried = shelves(groups, limit, deptGap);
      tried.zoom = Math.min(width / (tried.w + beside), height / tried.h);
      if (!best || tried.zoom > best.zoom) best = tried;
      if (limit >= total) break;
    }
  }
  cy.batch(() => {
    let y = 0;
    for (const row of best.rows) {
      let x = (best.w - best.rowWidth(row)) / 2;
      for (const g of row) {
        const [dx, dy] = g.bare ? [x, y] : [x + DEPT_PAD, y + DEPT_PAD + title];
        for (const [node, p] of g.positions) node.position({ x: dx + p.x, y: dy + p.y });
        x += g.w + deptGap;
      }
      y += Math.max(...row.map((g) => g.h)) + deptGap;
    }
  });
}

/** A node's reach from its centre (up, down) and its size, label included as drawn now. */
function extentOf(node) {
  const b = node.boundingBox();
  const p = node.position();
  return { up: p.y - b.y1, down: b.y2 - p.y, w: b.w, h: b.h };
}

/** The larger of two extents (the second may be missing). */
function widest(a, b) {
  if (!b) return a;
  const [up, down] = [Math.max(a.up, b.up), Math.max(a.down, b.down)];
  return { up, down, w: Math.max(a.w, b.w), h: up + down };
}

/** The size (model pixels) names are drawn alone at ``zoom`` (as watchLabels() draws them);
 * null when the whole labels are readable, or no name is. */
function nameSizeAt(zoom) {
  if (zoom * FONT_PX >= READABLE_PX - 0.01 || zoom * NAME_MAX_PX < READABLE_PX - 0.01) return null;
  return Math.min(NAME_MAX_PX, Math.ceil((READABLE_PX + 1) / zoom));
}

/** Each person's extent with their name drawn alone ``px`` large under them. Measured in the
 * page's canvas with the label's font, not by Cytoscape, whose cached label sizes can lag a
 * change of class. */
function namedBoxes(cy, px) {
  const boxes = new Map();
  cy.nodes('.person').forEach((n) => {
    const body = n.boundingBox({ includeLabels: false, includeOverlays: false, includeUnderlays: false });
    const p = n.position();
    const font = `${n.pstyle('font-style').strValue} ${n.pstyle('font-weight').strValue} ${px}px ${n.pstyle('font-family').strValue}`;
    const text = textWidth(n.data('name') ?? '', font) + LABEL_PAD;
    const down = body.y2 - p.y + n.pstyle('text-margin-y').pfValue + px * LINE_HEIGHT;
    boxes.set(n.id(), { up: p.y - body.y1, down, w: Math.max(body.w, text), h: p.y - body.y1 + down });
  });
  return boxes;
}

/** A label line's height per pixel of font size, and the room around a label's text (its
 * background's rounded ends), as Cytoscape draws them; a packed person's place is made for
 * their name a tenth larger than the fit draws it (one packing more seldom needed). */
const LINE_HEIGHT = 1.2;
const LABEL_PAD = 8;
const NAME_ROOM = 1.1;

let measuring = null;
/** The width of ``text`` drawn in ``font`` (a CSS font shorthand), in CSS pixels. */
function textWidth(text, font) {
  measuring ??= document.createElement('canvas').getContext('2d');
  measuring.font = font;
  return measuring.measureText(text).width;
}

/** Create the map in a container, two of ``ours`` with one name told apart; the callbacks
 * receive global ids. */
export function createMap(container, opportunity, ours, { onSelect, onDrop }) {
  const cy = window.cytoscape({ container, elements: elements(opportunity, ours), style: STYLE, hideEdgesOnViewport: opportunity.decisionChain.members.length > 60, boxSelectionEnabled: false, selectionType: 'single', minZoom: 0.1, maxZoom: 3 });
  cy.on('tap', 'node.person', (event) => onSelect(event.target.id()));
  cy.on('dragfree', 'node.person', (event) => {
    const dragged = event.target;
    const at = dragged.position();
    const target = cy.nodes('.person').filter((n) => n.id() !== dragged.id() && inside(n.boundingBox(), at)).first();
    if (target.nonempty()) onDrop(dragged.id(), target.id());
  });
  return cy;
}

/** Draw labels only while they come out at a readable size: the whole label, else the name
 * alone (people and our team) larger, else none; the check runs when the zoom crosses a line,
 * not at every step of a zoom. */
export function watchLabels(cy) {
  let mode = null;
  let nameSize = null;
  const update = () => {
    const readable = (px) => cy.zoom() * px >= READABLE_PX - 0.01;
    const now = readable(FONT_PX) ? 'whole' : readable(NAME_MAX_PX) ? 'name' : 'none';
    const size = now === 'name' ? Math.min(NAME_MAX_PX, Math.ceil((READABLE_PX + 1) / cy.zoom())) : null;
    if (now === mode && size === nameSize) return;
    const named = cy.nodes('.person, .member, .placeholder');
    relabel(cy, () => {
      if (nameSize !== null) named.removeClass(`name-${nameSize}`);
      if (size !== null) named.addClass(`name-${size}`);
      named.toggleClass('name-label', now === 'name');
      cy.nodes().toggleClass('small-label', now === 'none');
      cy.nodes().difference(named).toggleClass('small-label', now !== 'whole');
    });
    // our team's boxes take the size of their labels as now drawn, and their column makes room
    // for boxes that grew, unless a focus gathers people; the customer's side as laid out (one
    // measured here, after a change of labels outside a layout, would keep stale label sizes)
    const side = cy.scratch('_side');
    if (fitMembers(cy) && side && cy.nodes('.in-focus').empty()) placeTeam(cy, TEAM_GAP, side);
    mode = now;
    nameSize = size;
  };
  cy.scratch('_labels', () => { mode = null; update(); });
  cy.on('zoom', update);
  update();
}

/** Say on the map's container whether it is at rest (``data-settled="true"``) or something on
 * it still moves (a glide of the viewport or of people, a pan, a drag): a picture of the map,
 * or a check of what it shows, waits for the rest. */
export function watchMotion(cy) {
  const container = cy.container();
  let watching = false;
  const look = () => {
    const moving = cy.animated() || cy.nodes().some((node) => node.animated());
    container.dataset.settled = String(!moving);
    watching = moving;
    if (moving) requestAnimationFrame(look);
  };
  const moved = () => {
    container.dataset.settled = 'false';
    if (!watching) { watching = true; requestAnimationFrame(look); }
  };
  cy.on('viewport position layoutstart', moved);
  moved();
  return moved;
}

/** Name what the pointer is on while its label is too small or faded to read: the label's
 * lines in a tip over the map (``tip`` is a positioned element beside the container). */
export function nameOnHover(cy, tip) {
  const hide = () => { tip.hidden = true; };
  cy.on('mouseover', 'node.person, node.member', (event) => {
    const node = event.target;
    if (!['small-label', 'name-label', 'receded'].some((c) => node.hasClass(c))) { hide(); return; }
    const box = node.renderedBoundingBox({ includeLabels: false });
    const container = cy.container();
    tip.textContent = node.data('label');
    tip.style.left = `${container.offsetLeft + (box.x1 + box.x2) / 2}px`;
    tip.style.top = `${container.offsetTop + box.y2 + 6}px`;
    tip.hidden = false;
  });
  cy.on('mouseout', 'node', hide);
  cy.on('viewport', hide);
}

/** Focus on a person: they, their ties and the people at the other end gather around them,
 * in front and at a readable size, while everyone else recedes where they are. In the layout a
 * person's manager, reports, influencers and our people may sit far apart (in their
 * departments, our team in a column at the left): drawn where they are they would not fit
 * on the screen at a zoom that can be read. They go back on ``showWhole``. */
export function focusOn(cy, id, { animate = true } = {}) {
  const person = cy.getElementById(id);
  if (person.empty()) return false;
  clearFocus(cy);
  const ties = person.connectedEdges('.reports, .influence, .knows');
  const near = ties.connectedNodes().union(person);
  let targets = null;
  let viewport = null;
  wholeLabels(cy, () => {
    // in a batch: its end measures the gathered people's labels again (see relabel)
    cy.batch(() => {
      cy.elements().not(near.union(ties)).addClass('receded');
      near.addClass('in-focus');
    });
    ({ targets, viewport } = arrange(cy, person, near));
  });
  for (const [node, position] of targets) {
    node.scratch('_home', { ...node.position() });
    if (animate) node.animate({ position }, ANIMATION); else node.position(position);
  }
  if (animate) cy.animate(viewport, ANIMATION); else cy.viewport(viewport);
  return true;
}

/** Whether the view is still the one the layout fitted the chain to (nobody zoomed or panned). */
export function asFitted(cy) {
  const fitted = cy.scratch('_fitted');
  if (!fitted) return false;
  const pan = cy.pan();
  return Math.abs(cy.zoom() - fitted.zoom) <= 1e-3 * fitted.zoom && Math.abs(pan.x - fitted.pan.x) < 1 && Math.abs(pan.y - fitted.pan.y) < 1;
}

/** Back to the whole chain, everyone where the layout put them, in the view the layout fitted
 * them to (or fitted again, when nothing was laid out yet). */
export function showWhole(cy, { animate = true } = {}) {
  const fitted = cy.scratch('_fitted');
  clearFocus(cy, animate);
  const viewport = fitted ?? { fit: { boundingBox: cy.elements().boundingBox(), padding: FIT_PADDING } };
  if (animate) cy.animate(viewport, ANIMATION);
  else if (fitted) cy.viewport(fitted);
  else cy.fit(undefined, FIT_PADDING);
}

/** Undo a focus: nobody receded, everyone moved back (at once, or gliding: a person keeps
 * their way home until they are there, for a focus that comes before). */
function clearFocus(cy, animate = false) {
  cy.stop(true);
  cy.nodes().stop(true);
  cy.batch(() => {
    cy.elements('.receded, .in-focus').removeClass('receded in-focus');
    cy.nodes().forEach((node) => {
      const home = node.scratch('_home');
      if (!home) return;
      if (animate) { node.animate({ position: home }, { ...ANIMATION, complete: () => node.removeScratch('_home') }); return; }
      node.removeScratch('_home');
      node.position(home);
    });
  });
}

/** Change label classes in a batch: its end measures the labels again at once, where a change
 * outside one leaves the boxes of the labels as they were until the next frame is drawn. */
function relabel(cy, change) {
  cy.batch(change);
}

/** Each team member's box as large as its label drawn now, as Cytoscape wraps it, with half a
 * line of room around it: the whole label, or the name alone, larger (a namesake's name told
 * apart takes three or four lines of it). Returns whether a box changed its size. */
function fitMembers(cy) {
  let changed = false;
  cy.batch(() => cy.nodes('.member').forEach((node) => {
    const label = node.boundingBox({ includeNodes: false, includeEdges: false, includeOverlays: false, includeUnderlays: false });
    const room = node.pstyle('font-size').pfValue;
    const w = Math.max(MEMBER_W, Math.ceil(label.w + room));
    const h = Math.max(MEMBER_H, Math.ceil(label.h + room));
    if (w === node.data('w') && h === node.data('h')) return;
    node.data({ w, h });
    changed = true;
  }));
  return changed;
}

/** Run ``measure`` with every label whole: the layout and the fitted view are measured with
 * the whole labels whatever the zoom shows, so a name drawn alone (larger, narrower) never
 * moves anyone or changes the fit; the labels then follow the zoom again. */
function wholeLabels(cy, measure) {
  relabel(cy, () => cy.nodes('.name-label').removeClass('name-label'));
  try { measure(); } finally { cy.scratch('_labels')?.(); }
}

const SLOT_W = 165; // a label's width (text-max-width 150) and a gap
const ROW_GAP = 18;
/** The gap between names drawn alone side by side, in CSS pixels on the screen. */
const NAME_GAP_PX = 10;
const NAME_SIZES = Array.from({ length: NAME_MAX_PX - READABLE_PX }, (_, i) => `name-${READABLE_PX + 1 + i}`).join(' ');

/** Where the people around a person go and the view of them. Their whole labels at the
 * readable zoom when the gathering fits the map (a laptop); else (a phone, a crowd) their names
 * alone, gathered in as many columns as the map holds at the largest zoom that fits them all,
 * never below the zoom at which a name drawn alone is still readable. */
function arrange(cy, person, near) {
  const targets = gather(cy, person, columnsAt(cy, FOCUS_ZOOM, SLOT_W), SLOT_W);
  const box = gatheredBox(near, targets);
  const fit = fitZoom(cy, box);
  if (fit >= FOCUS_ZOOM) return { targets, viewport: focusViewport(cy, person, box, Math.min(FOCUS_MAX_ZOOM, fit)) };
  return namesAlone(cy, person, near) ?? { targets, viewport: focusViewport(cy, person, box, FOCUS_ZOOM) };
}

/** The zoom at which watchLabels() draws names alone ``px`` large, at a readable size on the
 * screen (a hair above the line, so rounding never takes the next size up). */
const nameZoom = (px) => ((READABLE_PX + 1) / px) * (1 + 1e-9);

/** The gathering with names drawn alone, measured at each name size from the smallest up (the
 * zoom going down) until it fits; the last one tried when none does. */
function namesAlone(cy, person, near) {
  const named = near.filter('.person, .member');
  relabel(cy, () => named.removeClass(NAME_SIZES)); // watchLabels() puts the size of the zoom back afterwards
  let arranged = null;
  for (let px = READABLE_PX + 2; px <= NAME_MAX_PX; px += 1) {
    const zoom = nameZoom(px);
    relabel(cy, () => named.addClass(`name-label name-${px}`));
    try {
      const slot = Math.max(...near.map((node) => node.boundingBox().w)) + NAME_GAP_PX / zoom;
      const targets = gather(cy, person, columnsAt(cy, zoom, slot), slot);
      const box = gatheredBox(near, targets);
      arranged = { targets, viewport: focusViewport(cy, person, box, zoom) };
      if (fitZoom(cy, box) >= zoom) break;
    } finally {
      relabel(cy, () => named.removeClass(`name-label name-${px}`));
    }
  }
  return arranged;
}

/** As many slots ``slot`` wide as the map holds side by side at ``zoom``. */
const columnsAt = (cy, zoom, slot) => Math.max(1, Math.floor((cy.width() - 2 * FOCUS_PADDING) / zoom / slot));

/** Where the people around a person go, the person staying put: manager(s) in the row above,
 * reports in rows below, and beside them (or, on a narrow map, in rows below the reports)
 * our people who know them on the left and those tied by influence on the right, ``columns``
 * slots ``slot`` wide. Returns [node, position] for those moved. */
function gather(cy, person, columns, slot) {
  const managers = person.incomers('edge.reports').sources();
  const reports = person.outgoers('edge.reports').targets();
  const influence = person.connectedEdges('.influence').connectedNodes().not(person).not(managers).not(reports);
  const ours = person.connectedEdges('.knows').connectedNodes('.member');
  const side = Math.floor((columns - 1) / 2);
  const left = ours.toArray().slice(0, side);
  const right = influence.toArray().slice(0, side);
  const chunks = (list) => Array.from({ length: Math.ceil(list.length / columns) }, (_, i) => list.slice(i * columns, (i + 1) * columns));
  const rows = [...chunks(managers.toArray()), [...left.reverse(), person, ...right], ...chunks(reports.toArray()),
    ...chunks(influence.toArray().slice(side)), ...chunks(ours.toArray().slice(side))];
  const centre = managers.nonempty() ? Math.ceil(managers.length / columns) : 0;
  // each node's box around its position (its label hangs below it)
  const extent = (node) => { const b = node.boundingBox(); const p = node.position(); return { up: p.y - b.y1, down: b.y2 - p.y }; };
  const origin = person.position();
  const at = rows.map((row) => Math.max(...row.map((n) => extent(n).up)));
  const below = rows.map((row) => Math.max(...row.map((n) => extent(n).down)));
  const ys = [0];
  for (let r = 1; r < rows.length; r += 1) ys.push(ys[r - 1] + below[r - 1] + ROW_GAP + at[r]);
  const shift = origin.y - ys[centre];
  const moves = [];
  rows.forEach((row, r) => {
    const pivot = r === centre ? row.indexOf(person) : (row.length - 1) / 2;
    row.forEach((node, i) => {
      if (node === person) return;
      moves.push([node, { x: origin.x + (i - pivot) * slot, y: ys[r] + shift }]);
    });
  });
  return moves;
}

/** The box of the gathered people, each moved to their place. */
function gatheredBox(near, targets) {
  const moved = new Map(targets.map(([node, p]) => [node.id(), p]));
  const box = { x1: Infinity, y1: Infinity, x2: -Infinity, y2: -Infinity };
  near.forEach((node) => {
    const b = node.boundingBox();
    const from = node.position();
    const to = moved.get(node.id()) ?? from;
    box.x1 = Math.min(box.x1, b.x1 + to.x - from.x); box.x2 = Math.max(box.x2, b.x2 + to.x - from.x);
    box.y1 = Math.min(box.y1, b.y1 + to.y - from.y); box.y2 = Math.max(box.y2, b.y2 + to.y - from.y);
  });
  return box;
}

/** The largest zoom at which ``box`` fits the map. */
const fitZoom = (cy, box) => Math.min((cy.width() - 2 * FOCUS_PADDING) / (box.x2 - box.x1), (cy.height() - 2 * FOCUS_PADDING) / (box.y2 - box.y1));

/** The view of the gathered people at ``zoom``, centred on them (a crowd larger than the map
 * keeps the person and the rows nearest them in view). */
function focusViewport(cy, person, box, zoom) {
  const [w, h] = [cy.width(), cy.height()];
  const own = person.boundingBox();
  const keep = (v, centre, half, size) => Math.min(centre + Math.max(0, half - size / 2), Math.max(centre - Math.max(0, half - size / 2), v));
  const x = keep((box.x1 + box.x2) / 2, person.position('x'), (w / 2 - FOCUS_PADDING) / zoom, own.w);
  const y = keep((box.y1 + box.y2) / 2, person.position('y'), (h / 2 - FOCUS_PADDING) / zoom, own.h);
  return { zoom, pan: { x: w / 2 - zoom * x, y: h / 2 - zoom * y } };
}

const inside = (box, p) => p.x >= box.x1 && p.x <= box.x2 && p.y >= box.y1 && p.y <= box.y2;

const escape = (s) => String(s).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);

/** The map as a standalone SVG document (boxes, lines, arrows, circles and labels). */
export function toSvg(cy) {
  const box = cy.elements().boundingBox();
  const pad = 20;
  const parts = [`<svg xmlns="http://www.w3.org/2000/svg" viewBox="${box.x1 - pad} ${box.y1 - pad} ${box.w + 2 * pad} ${box.h + 2 * pad}" font-family="sans-serif" font-size="11">`,
    '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse"><path d="M0,0L10,5L0,10z" fill="#dd6b20"/></marker></defs>',
    `<rect x="${box.x1 - pad}" y="${box.y1 - pad}" width="${box.w + 2 * pad}" height="${box.h + 2 * pad}" fill="#fff"/>`];
  const text = (node, x, y) => node.data('label').split('\n').map((line, i) => `<tspan x="${x}" dy="${i ? 13 : 0}">${escape(line)}</tspan>`).join('');
  cy.nodes('.dept').forEach((n) => {
    const b = n.boundingBox({ includeLabels: false });
    parts.push(`<rect x="${b.x1}" y="${b.y1}" width="${b.w}" height="${b.h}" rx="6" fill="#f4f6f8" stroke="#b0bac5"/><text x="${b.x1 + b.w / 2}" y="${b.y1 - 4}" text-anchor="middle" font-weight="bold" fill="#4a5568">${escape(n.data('label'))}</text>`);
  });
  cy.edges().forEach((e) => {
    const [s, d] = [e.sourceEndpoint(), e.targetEndpoint()];
    const style = e.hasClass('influence') ? `stroke="#dd6b20" stroke-dasharray="6 4" stroke-width="${e.data('width')}" marker-end="url(#arrow)"`
      : e.hasClass('knows') ? `stroke="#38a169" stroke-opacity="0.55" stroke-width="${e.data('width')}"` : 'stroke="#8795a1" stroke-width="1.5"';
    parts.push(`<line x1="${s.x}" y1="${s.y}" x2="${d.x}" y2="${d.y}" ${style}/>`);
  });
  cy.nodes('.person, .member, .placeholder').forEach((n) => {
    const { x, y } = n.position();
    const [w, hgt] = [n.width(), n.height()];
    if (n.hasClass('person')) {
      const mark = ['added', 'warmer', 'cooler', 'changed'].find((m) => n.hasClass(`changed-${m}`));
      if (mark) parts.push(`<circle cx="${x}" cy="${y}" r="${w / 2 + 10}" fill="${CHANGE_COLOURS[mark]}" fill-opacity="0.35"/>`);
      if (n.data('allyWidth')) parts.push(`<circle cx="${x}" cy="${y}" r="${w / 2 + 2 + n.data('allyWidth')}" fill="none" stroke="${n.data('allyColor')}" stroke-width="${n.data('allyWidth')}"/>`);
      parts.push(`<circle cx="${x}" cy="${y}" r="${w / 2}" fill="${n.data('color')}" stroke="${n.hasClass('uncovered') ? '#c53030' : '#2b6cb0'}" stroke-width="${n.data('ring')}"${n.data('ringStyle') === 'dashed' ? ' stroke-dasharray="4 3"' : ''}/>`);
      parts.push(`<text x="${x}" y="${y + hgt / 2 + 14}" text-anchor="middle">${text(n, x)}</text>`);
    } else {
      const dashed = n.hasClass('placeholder') ? ' stroke-dasharray="5 3" fill="none" stroke="#c53030"' : ' fill="#e6f0fa" stroke="#2b6cb0"';
      const lift = 6.5 * (n.data('label').split('\n').length - 1); // the lines centred in the box
      parts.push(`<rect x="${x - w / 2}" y="${y - hgt / 2}" width="${w}" height="${hgt}" rx="4"${dashed}/><text x="${x}" y="${y + 4 - lift}" text-anchor="middle">${text(n, x)}</text>`);
    }
  });
  parts.push('</svg>');
  return parts.join('\n');
}

/** The smallest name worth printing, in CSS pixels on paper (about 8 pt). */
const PRINT_NAME_PX = 11;

/** The whole chain as a picture for the printed deal sheet, which shows it within ``width`` ×
 * ``height`` CSS pixels: nobody receded, everyone where the layout put them, and each person and
 * each of our people named by their name alone, and each role the chain lacks by what it lacks
 * (an empty dashed box says nothing on paper), at a size that reads on paper (the whole labels,
 * and the departments' titles, would print as smudges). The map on the screen is left as it was,
 * focus included. Returns the picture with the size of its names (model pixels) and its scale. */
export function sheetImage(cy, { width, height, focus = null }) {
  clearFocus(cy);
  const named = cy.nodes('.person, .member, .placeholder');
  const saved = cy.nodes().map((node) => [node, node.classes()]);
  const packed = Boolean(cy.scratch('_packed'));
  const places = cy.nodes(packed ? '.person, .member, .placeholder' : '.member').map((node) => [node, { ...node.position() }]);
  const sizes = cy.nodes('.member').map((node) => [node, { w: node.data('w'), h: node.data('h') }]);
  // our team's boxes take the size of their names as printed (a namesake's told apart is
  // longer), and their column makes room for them, as on the screen (``fitMembers``)
  const fitTeam = () => { if (fitMembers(cy)) placeTeam(cy, packed ? SHEET_TEAM_GAP : TEAM_GAP, packed ? undefined : cy.scratch('_side') ?? undefined); };
  let picture;
  try {
    cy.batch(() => {
      cy.nodes().removeClass('name-label small-label');
      cy.nodes().difference(named).addClass('unprinted');
    });
    // the picture takes the size of the names drawn on it: fit again with them; a packed chain
    // is packed again for the paper's box, with its names at the size they print
    let px = READABLE_PX + 1;
    let shrink = 1;
    for (let pass = 0; pass < (packed ? 3 : 2); pass += 1) {
      if (packed && pass) { pack(cy, { width, height, tight: true }); placeTeam(cy, SHEET_TEAM_GAP); }
      const box = cy.elements().boundingBox();
      shrink = Math.min(width / box.w, height / box.h, 1);
      const size = Math.min(NAME_MAX_PX, Math.max(READABLE_PX + 1, Math.ceil(PRINT_NAME_PX / shrink)));
      cy.batch(() => named.removeClass(`name-${px}`).addClass(`name-label name-${size}`));
      fitTeam();
      px = size;
    }
    if (packed) {
      pack(cy, { width, height, tight: true });
      placeTeam(cy, SHEET_TEAM_GAP);
      fitTeam();
      const box = cy.elements().boundingBox();
      shrink = Math.min(width / box.w, height / box.h, 1);
    }
    const scale = Math.min(3, Math.max(1, 2 * shrink));
    picture = { src: cy.png({ full: true, scale, bg: '#ffffff' }), namePx: px, scale };
  } finally {
    cy.batch(() => {
      saved.forEach(([node, classes]) => node.classes(classes));
      places.forEach(([node, position]) => node.position(position));
      sizes.forEach(([node, size]) => node.data(size));
    });
    cy.scratch('_labels')?.();
    if (focus) focusOn(cy, focus, { animate: false });
  }
  return picture;
}
