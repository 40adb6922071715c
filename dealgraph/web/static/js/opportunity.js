// One opportunity: the map, the accessible list of people, the deal panel, the person panel,
// what-if and editing through the API's mutations.
import { ApiError, allOurs, canWrite, everyPage, gql, me, mutate, teamMembers } from './api.js';
import { day, download, enumOptions, field, h, loading, notice, scrollBack, scrolled, searchKey, select, showUserErrors, submitting, withDays } from './dom.js';
import { aside, clauses, dateTime, dayOf, isoDay, label, labelled, listOf, memberChoice, money, nameOf, personChoice, percent, pieces, said, saidErrors, say, sentences, t, toTenth, utcDay } from './i18n.js';
import { changesCard } from './changes.js';
import { competitorsCard, competitorTieForm } from './competitors.js';
import { teamTieForm } from './ties.js';
import { askedAboutDate, contactsCard } from './contacts.js';
import { departureCard, leftText } from './departure.js';
import { dealCard, minor, unitOf } from './deal.js';
import { CLOSED } from './pipeline.js';
import { droppedWhy, planChangeForm } from './plan.js';
import { processCard } from './process.js';
import { here } from './nav.js';
import { dealStatus } from './status.js';
import { teamCard } from './team.js';
import { ATTITUDE, asFitted, createMap, elements, focusOn, layout, markChanges, nameOnHover, sheetImage, showWhole, toSvg, watchLabels, watchMotion } from './map.js';

const SCORE = 'value reasons { factor text points }';
/** A score nobody of ours has heard them on (their price acceptance before any price talk):
 * shown as an estimate, not read as measured. */
/** A score nobody of ours has heard them on (their price, their view of our solution): the
 * figure is an estimate, shown with ≈ and, in the panel, why; the key of the words saying so. */
const ESTIMATES = { price_estimate: 'scoreEstimate', solution_estimate: 'solutionEstimate' };
const estimateOf = (score) => score.reasons.map((r) => ESTIMATES[r.factor]).find(Boolean) ?? null;
const estimated = (score) => estimateOf(score) !== null;
const ASSESSMENT = `isReal { ${SCORE} } canCompete { ${SCORE} } canWin { ${SCORE} } worthIt { ${SCORE} } winLikelihood { value }`;
const ERR = 'userErrors { field message code messageEn messageZh }';
const MAP = `query Map($id: ID!) { node(id: $id) { ... on Opportunity {
  id version name stage grade amount currency budget quoteAmount quoteStatus deliveryReviewed expectedCloseDate customer { id name } stageHistory { toStage at reason lostToCompetitor { name } }
  decisionChain {
    members { person { id version name nameEn title department notes departure { leftOn how to successor { id name departure { leftOn } }
      successorAsks { status dueDate dropReason closedAt owner { name } opportunity { id name } } } } role influence attitude needs needsFit version
      teamTies { member { id name title email } level } competitorTies { competitor { id name } level } lastContactAt nextContactAt }
    reportsTo { fromPerson { id } toPerson { id } }
    influences { fromPerson { id } toPerson { id } strength }
    competitors { competitor { id name } position }
    team { member { id name title email } role phase } }
  analysis { influence { person { id } effective } redFlags { code severity text coaching persons { id } } }
  health { status reasons { code text status } }
  assessment { ${ASSESSMENT} }
  validation { state processName history { toState at actor { id name title email } } }
  memberScores { person { id } closeness { ${SCORE} } solution { ${SCORE} } price { ${SCORE} } }
  departedScores { person { id } closeness { ${SCORE} } solution { ${SCORE} } price { ${SCORE} } }
  suggestedWorkPlan(limit: 12) { actionKey title description rationale target { id name } owner { id name title email } ownerRole dueDate expectedGain required }
  workPlan { id version title action dueDate status owed droppedAt dropReason resumeOn owner { id name title email } target { name } } } } }`;

const M = {
  reportsTo: `mutation($input: ReportsToInput!) { reportsToSet(input: $input) { keyPerson { id } ${ERR} } }`,
  reportsToRemove: `mutation($input: ReportsToInput!) { reportsToRemove(input: $input) { keyPerson { id } ${ERR} } }`,
  influence: `mutation($input: InfluenceInput!) { influenceSet(input: $input) { keyPerson { id } ${ERR} } }`,
  member: `mutation($input: DecisionChainMemberInput!) { decisionChainMemberSet(input: $input) { keyPerson { id } ${ERR} } }`,
  create: `mutation($input: KeyPersonCreateInput!) { keyPersonCreate(input: $input) { keyPerson { id name } ${ERR} } }`,
  update: `mutation($id: ID!, $input: KeyPersonUpdateInput!) { keyPersonUpdate(id: $id, input: $input) { keyPerson { id version } ${ERR} } }`,
  whatIfSave: `mutation($id: ID!, $input: WhatIfSaveInput!) { opportunityWhatIfSave(id: $id, input: $input) { opportunity { id version } ${ERR} } }`,
  activity: `mutation($input: ActivityLogInput!) { activityLog(input: $input) { activity { id } ${ERR} } }`,
  accept: `mutation($input: SuggestionAcceptInput!) { workPlanSuggestionAccept(input: $input) { workPlanItem { id title dueDate target { name } owner { id name title email } } ${ERR} } }`,
};
const PERSON = 'query P($id: ID!) { node(id: $id) { ... on KeyPerson { id version name nameEn notes } } }';
const WHAT_IF = `query W($id: ID!, $changes: [WhatIfChangeInput!]!) { opportunityWhatIf(id: $id, changes: $changes) {
  before { ${ASSESSMENT} } after { ${ASSESSMENT} } questionDeltas { question delta }
  afterAnalysis { redFlags { code severity text persons { id } } }
  afterScores { person { id } closeness { ${SCORE} } solution { ${SCORE} } price { ${SCORE} } } } }`;
const QUESTIONS = ['isReal', 'canCompete', 'canWin', 'worthIt'];

/** Page state of the open opportunity. */
/** The deal's next steps listed with it; a person's panel lists all the plan holds for them
 * (the plan is read whole: a step for the chain's main blocker may rank sixth). */
const SUGGESTIONS_SHOWN = 5;
const state = { id: null, opp: null, ours: [], cy: null, resized: null, selected: null, focus: null, whatIf: [], whatIfFigures: null, root: null, drawFrom: null, changes: null, marks: new Map() };

export async function showOpportunity(root, id) {
  state.root = root;
  if (state.id !== id) { state.whatIf = []; state.selected = null; state.focus = null; state.changes = null; state.marks = new Map(); }
  state.id = id;
  // the map on the screen goes with the page it was drawn on: left alive while the new one
  // loads, its resize watch would lay it out again in a box that is gone, and say it is ready
  leaveMap();
  root.replaceChildren(loading());
  await load();
}

/** Let go of the drawn map (its listeners, renderer and graph): a redraw or another page
 * would otherwise keep every earlier map alive for as long as the tab stays open. */
export function leaveMap() {
  state.resized?.disconnect();
  state.cy?.destroy();
  state.cy = null;
}

/** A map whose box changes shape (a phone turned, a window made much smaller or larger) is laid
 * out again for its new box, as it would be if opened there, and a person in focus is brought
 * into view again; a view the person zoomed or panned themselves is left as it is. */
function followResize(cy) {
  state.resized?.disconnect();
  const box = cy.container();
  let last = { w: box.clientWidth, h: box.clientHeight };
  let timer = null;
  state.resized = new ResizeObserver(() => {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      const now = { w: box.clientWidth, h: box.clientHeight };
      // a box not drawn (printing hides the screen's map for the sheet) has no shape to lay out
      // for: left as it was, the map comes back on the screen as it stood, not laid out again
      if (!now.w || !now.h) return;
      if (state.cy !== cy || !reshaped(last, now)) return;
      last = now;
      cy.resize();
      if (!state.focus && !asFitted(cy)) return;
      await layout(cy);
      if (state.cy !== cy) return;
      if (state.focus && !focusOn(cy, state.focus, { animate: false })) state.focus = null;
      showFocus();
      document.body.dataset.mapReady = String(Date.now());
    }, RESIZE_SETTLE_MS);
  });
  state.resized.observe(box);
}

/** Turned (portrait and landscape swapped), or a side changed by more than a fifth. */
const reshaped = (a, b) => (a.w > a.h) !== (b.w > b.h) || Math.abs(a.w - b.w) > a.w / 5 || Math.abs(a.h - b.h) > a.h / 5;
/** How long a resize must rest before the map is laid out again (a window dragged wider fires
 * many). */
const RESIZE_SETTLE_MS = 200;

/** Fetch the map's data and draw everything; returns the timing from data to interactive map. */
async function load() {
  const current = here();
  let opp = null;
  teamMembers().catch(() => []); // read beside the deal: all of ours, among whom its page tells namesakes apart
  try {
    opp = (await gql(MAP, { id: state.id })).node;
  } catch (error) {
    // a link that names no opportunity of this API is the same news as one you may not see
    if (!(error instanceof ApiError && ['BAD_USER_INPUT', 'NOT_FOUND'].includes(error.code))) throw error;
  }
  if (!current()) return; // the person went elsewhere meanwhile
  if (!opp?.decisionChain) {
    state.root.replaceChildren(h('p', { class: 'banner error', role: 'alert', id: 'not-found' }, t('notFound')),
      h('p', {}, h('a', { href: '/app', 'data-link': true }, t('backToList'))));
    return;
  }
  const ours = await allOurs(ourPeople(opp.decisionChain));
  if (!current()) return;
  state.ours = ours;
  await draw(opp);
}

/** The win likelihood as the deal's pages show it: whole, and to a tenth rounded down where
 * the status reason gives it so, as whole it would read as the stage's bar (14.5 % is not
 * "15 %" beside "14.5% is under the 15% expected"). */
function likelihoodShown(opp) {
  const value = opp.assessment?.winLikelihood.value;
  const low = opp.health?.reasons.find((r) => r.code === 'LOW_LIKELIHOOD');
  return low && /\d\.\d%/.test(low.text) && value != null ? percent(Math.floor(value * 1000) / 1000, 1) : percent(value);
}

/** Reload the deal, then say what was done (a message shown before the reload would be gone). */
async function reloaded(text, kind = 'ok') {
  await load();
  notice(text, kind);
}

/** Everything after the data arrived: page, map, layout, first frame (timed for the tests). */
async function draw(opp) {
  const arrived = performance.now();
  state.opp = opp;
  render();
  const rendered = performance.now();
  const drawn = state.cy;
  await layout(drawn);
  if (state.cy !== drawn) return; // left for another page (or redrawn) while it was laid out
  if (state.focus && !focusOn(state.cy, state.focus, { animate: false })) state.focus = null; // kept across a reload
  showFocus();
  followResize(drawn);
  const laidOut = performance.now();
  await new Promise((resolve) => requestAnimationFrame(() => resolve()));
  if (state.cy !== drawn) return;
  const ready = performance.now();
  window.dealgraphTimings = {
    people: opp.decisionChain.members.length, drawMs: ready - arrived,
    buildMs: rendered - arrived, layoutMs: laidOut - rendered, paintMs: ready - laidOut,
  };
  document.body.dataset.mapReady = String(Date.now());
  if (state.selected) selectPerson(state.selected);
}
window.dealgraphRedraw = () => draw(state.opp).then(() => window.dealgraphTimings);

const members = () => state.opp.decisionChain.members;
const member = (id) => members().find((m) => m.person.id === id);
const personName = (id) => member(id)?.person.name ?? '';
// one who left the customer: their scores as they stood the day they left, counted no more
const scoresOf = (id) => state.opp.memberScores.find((s) => s.person.id === id) ?? state.opp.departedScores?.find((s) => s.person.id === id);
/** The chain's people as the list beside the map shows them: who weighs most on the decision
 * first (effective influence), then by name, so a person added later lands where they belong. */
function listed() {
  const weight = new Map((state.opp.analysis?.influence ?? []).map((i) => [i.person.id, i.effective]));
  const w = (m) => weight.get(m.person.id) ?? 0;
  return [...members()].sort((a, b) => w(b) - w(a) || a.person.name.localeCompare(b.person.name));
}

/** Why the deal has its status, one reason a line, the worst first, each marked in the colour
 * it alone gives: a director reads what drives the pill, not a run-on paragraph. */
function statusReasons(status) {
  const line = (r) => h('li', { class: r.colour }, r.text);
  const shown = status.reasons.length > 6 ? status.reasons.slice(0, 5) : status.reasons;
  const rest = status.reasons.slice(shown.length);
  return h('ul', { id: 'status-reasons', class: 'status-why', 'aria-label': t('statusWhyLabel') }, shown.map(line),
    rest.length ? h('li', { class: 'more' }, h('details', {}, h('summary', {}, t('moreReasons', { n: rest.length })), h('ul', {}, rest.map(line)))) : []);
}

/** The deal's red flags of lesser weight (the status shows the serious ones), folded: on the
 * map a user sees every flag the deal sheet prints. */
function watchList(opp) {
  const lesser = (opp.analysis?.redFlags ?? []).filter((f) => f.severity !== 'HIGH');
  if (!lesser.length) return [];
  return [h('details', { id: 'watch-flags', class: 'status-why' }, h('summary', {}, t('alsoWatch', { n: lesser.length })),
    h('ul', {}, lesser.map((f) => h('li', { class: 'amber' }, f.text))))];
}

/** The deal page's columns that scroll on their own: drawn anew after a change (dropping a step
 * at the panel's foot), they would jump back to their tops, away from what was just done. */
const SCROLLERS = ['panel', 'people-list'];

function render() {
  const opp = state.opp;
  const status = dealStatus(opp);
  const container = h('div', { id: 'cy', role: 'img', 'aria-label': t('map') });
  const tip = h('div', { id: 'map-tip', class: 'map-tip', role: 'tooltip', hidden: true });
  const toolbar = h('div', { class: 'toolbar', role: 'toolbar', 'aria-label': t('map') },
    status ? h('span', { id: 'map-status', class: `status ${status.colour}`, title: status.text }, labelled(t('status'), status.name)) : null,
    h('button', { type: 'button', id: 'whole-chain', hidden: true, onclick: () => wholeChain() }, t('wholeChain')),
    h('button', { type: 'button', id: 'relayout', onclick: () => { state.focus = null; showFocus(); layout(state.cy); } }, t('relayout')),
    canWrite() ? h('button', { type: 'button', id: 'draw-influence', 'aria-pressed': 'false', onclick: toggleDraw }, t('drawInfluence')) : null,
    h('button', { type: 'button', id: 'export-png', onclick: exportPng }, t('exportPng')),
    h('button', { type: 'button', id: 'export-svg', onclick: exportSvg }, t('exportSvg')),
    h('button', { type: 'button', id: 'deal-sheet', onclick: printSheet }, t('dealSheet')));
  const kept = scrolled(SCROLLERS); // the deal drawn again after a change: its columns stay where they were read
  const search = h('input', { type: 'search', id: 'person-search', placeholder: t('search'), 'aria-label': t('search'), oninput: (e) => filterPeople(e.target.value) });
  state.root.replaceChildren(
    h('p', { class: 'crumbs' }, h('a', { href: '/app', 'data-link': true }, t('backToList'))),
    h('h1', { id: 'opp-name' }, opp.name),
    // a deal won, lost or abandoned has an outcome, not a likelihood to win it
    h('p', { class: 'meta' }, [opp.customer?.name ?? '', label('Stage', opp.stage), `${t('grade')} ${opp.grade}`, money(opp.amount, opp.currency),
      ...(CLOSED.has(opp.stage) ? [] : [`${t('likelihood')} ${likelihoodShown(opp)}`])].join(' · ')),
    ...(canWrite() ? [] : [h('p', { class: 'help read-only', id: 'read-only' }, t('readOnly'))]),
    h('div', { id: 'notice', class: 'notice', role: 'status', 'aria-live': 'polite' }),
    ...(members().length ? [] : [chainStart(opp)]),
    h('div', { class: 'mapview' },
      h('section', { class: 'people', 'aria-labelledby': 'people-title' }, h('h2', { id: 'people-title' }, t('people')), search,
        h('ul', { id: 'people-list', onkeydown: listKeys }, listed().map(personItem)),
        h('p', { id: 'no-match', class: 'help', hidden: true }, t('noMatch'))),
      h('section', { class: 'mapwrap', 'aria-label': t('map') }, toolbar, ...(status ? [statusReasons(status)] : []), ...watchList(opp), container, tip, legend()),
      h('aside', { class: 'panel', id: 'panel' }, h('div', { id: 'person-panel' }, h('p', { class: 'help' }, t('selectPerson'))), dealPanel())),
    h('section', { id: 'sheet', class: 'sheet', 'aria-hidden': 'true' }));
  scrollBack(kept);
  leaveMap();
  state.cy = createMap(container, opp, state.ours, { onSelect: (id) => (state.drawFrom !== null ? drawTo(id) : selectPerson(id, true)), onDrop: dropOnto });
  // The map keeps where it sits on the screen until it hears of a scroll; a press may come
  // before the scroll's event (a scroll into view just before the click): measure again
  // first, or the press lands beside the person aimed at.
  container.addEventListener('pointerdown', () => state.cy?.resize(), { capture: true });
  if (!canWrite()) state.cy.autoungrabify(true); // nothing to drag: the role may not change it
  watchLabels(state.cy);
  watchMotion(state.cy);
  nameOnHover(state.cy, tip);
  window.dealgraphMap = state.cy;
  if (CLOSED.has(opp.stage)) state.whatIf = []; // decided meanwhile: there is nothing to try
  if (state.whatIf.length) runWhatIf(); // kept across a reload or a language switch, with its result
  markChanges(state.cy, state.marks);
}

/** The marks of the "What changed" result shown, kept with its period across reloads. */
function showMarks(marks, asked) {
  state.marks = marks;
  state.changes = asked;
  markChanges(state.cy, marks);
  document.body.dataset.changesShown = String(Date.now());
}

function personItem(m) {
  const s = scoresOf(m.person.id);
  const [, sign] = ATTITUDE[m.attitude] ?? ['', ''];
  const left = m.person.departure;
  return h('li', {}, h('button', { type: 'button', class: `person-item${left ? ' departed' : ''}`, dataset: { id: m.person.id, name: searchKey(`${m.person.name} ${m.person.nameEn ?? ''}`) }, onclick: () => selectPerson(m.person.id, true) },
    h('span', { class: 'pname' }, m.person.name), m.person.nameEn ? h('span', { class: 'pname-en' }, ` ${m.person.nameEn}`) : null,
    h('span', { class: 'prole' }, `${label('DecisionRole', m.role)} · ${sign} ${label('Attitude', m.attitude)}`),
    left ? h('span', { class: 'pleft' }, ...leftText(left, true)) : null,
    // each score kept whole on its line: "价格接受度 46" broken after 价格接 reads as nonsense
    s && !left ? h('span', { class: 'pscores' }, [[t('closeness'), s.closeness], [t('solution'), s.solution], [t('price'), s.price]]
      .flatMap(([name, score], i) => [i ? ' · ' : '', h('span', { class: 'pscore' }, `${name} ${estimated(score) ? '≈' : ''}${score.value}`)])) : null));
}

function listKeys(event) {
  if (!['ArrowDown', 'ArrowUp'].includes(event.key)) return;
  const items = [...document.querySelectorAll('.person-item')].filter((b) => !b.closest('li').hidden);
  const at = items.indexOf(document.activeElement);
  const next = items[Math.min(items.length - 1, Math.max(0, at + (event.key === 'ArrowDown' ? 1 : -1)))];
  if (next) { event.preventDefault(); next.focus(); }
}

function filterPeople(text) {
  const needle = searchKey(text);
  let shown = 0;
  document.querySelectorAll('.person-item').forEach((button) => {
    const match = !needle || button.dataset.name.includes(needle);
    button.closest('li').hidden = !match;
    shown += match ? 1 : 0;
    state.cy.getElementById(button.dataset.id).toggleClass('faded', !match);
  });
  document.getElementById('no-match').hidden = shown > 0;
}

function legend() {
  return h('details', { class: 'legend', open: true }, h('summary', {}, t('legend')),
    h('ul', {}, ['legendAttitude', 'legendSize', 'legendRole', 'legendRing', 'legendAlly', 'legendLines', 'legendPlaceholder', 'legendLeft', 'legendChanges', 'legendFocus'].map((k) => h('li', {}, t(k)))),
    h('p', { class: 'swatches' }, Object.entries(ATTITUDE).map(([value, [colour, sign]]) => h('span', { class: 'swatch' }, h('i', { style: `background:${colour}` }), ` ${sign} ${label('Attitude', value)}`))));
}

// ---------------------------------------------------------------- the deal panel

function scoreBlock(title, score, id) {
  return h('details', { class: 'score', id },
    h('summary', {}, h('span', { class: 'score-title' }, title), ' ', h('meter', { min: 0, max: 100, value: score.value, 'aria-label': title }), h('strong', { class: 'score-value' }, ` ${estimated(score) ? '≈' : ''}${score.value}`),
      estimated(score) ? aside(t(estimateOf(score))) : null),
    h('ul', { class: 'reasons' }, score.reasons.map((r) => h('li', {}, `${r.points >= 0 ? '+' : ''}${r.points} · ${r.text}`))));
}

/** Beside "Is it real?": whether a sales director validated the deal (TAS+ 1-1), by whom and
 * when; its absence lowers no score (a sales VP: show it, do not count it). */
function validationLine(v) {
  const approved = v?.state === 'APPROVED' ? v.history.findLast((s) => s.toState === 'APPROVED') : null;
  const text = approved
    ? pieces('validatedBy', { director: ourName(approved.actor) ?? '–', day: day(dayOf(approved.at)), process: v.processName })
    : v?.state === 'PENDING' ? pieces('validationPending', { process: v.processName })
      : pieces('notValidated', { process: v?.processName ?? t('validationProcess') });
  return h('p', { id: 'validation', class: `help validation${approved ? '' : ' unvalidated'}` }, text);
}

const pointsOf = (delta) => t('points', { d: `${delta >= 0 ? '+' : ''}${(delta * 100).toFixed(1)}` });
/** What a suggestion brings: its gain in win likelihood, or, for a duty that gains nothing
 * measurable (a compliance commitment), that the rules ask for it: "+0.0 points" at the top of
 * the plan would read as a mistake. */
/** Our people the deal's data names: its team and whoever of ours knows someone in its chain
 * (standing in for all of ours, ``allOurs``, when our people could not be read). */
export function ourPeople(chain) {
  const found = new Map(chain.team.map((a) => [a.member.id, a.member]));
  for (const m of chain.members) for (const tie of m.teamTies) if (!found.has(tie.member.id)) found.set(tie.member.id, tie.member);
  return [...found.values()];
}
/** One of ours as the deal page shows them: a namesake of another of ours told apart. */
const ourName = (p) => nameOf(p, state.ours);

const dutyOnly = (s) => s.required && Math.abs(s.expectedGain) < 0.0005;
// the introduction to a leaver's successor opens a door the model cannot price yet
const unpriced = (s) => dutyOnly(s) || s.actionKey === 'successor_introduction';
const gainOf = (s) => (s.actionKey === 'successor_introduction' ? t('successorStep') : dutyOnly(s) ? t('requiredStep') : pointsOf(s.expectedGain));

function suggestionItem(s) {
  /** Accept ``s`` (``chosen``: another owner or due date), its refusals shown at ``at``. */
  const accept = async (button, chosen, at) => {
    button.disabled = true;
    try {
      const payload = await mutate(M.accept, { input: { opportunityId: state.opp.id, actionKey: s.actionKey, targetPersonId: s.target?.id ?? null, ...chosen } });
      if (payload.userErrors.some((e) => e.code === 'CONFLICT')) { // someone accepted it meanwhile: show the plan as it is
        await load();
        notice(saidErrors(payload.userErrors), 'help');
        return;
      }
      if (payload.userErrors.length) { showUserErrors(at, payload.userErrors); return; }
      const w = payload.workPlanItem;
      await reloaded(sentences([t('accepted'), `${w.title}${w.target ? ` — ${w.target.name}` : ''}${aside(`${labelled(t('owner'), ourName(w.owner) ?? t('noOwner'))} · ${t('due')} ${w.dueDate ?? '–'}`)}`]));
    } finally { button.disabled = false; }
  };
  const button = canWrite() ? h('button', { type: 'button', class: 'accept', onclick: () => accept(button, {}, item) }, t('accept')) : null;
  // why this play, with whom and in what order (who introduces whom, what it follows), the
  // play's general description on hover
  const item = h('li', { class: 'suggestion', dataset: { action: s.actionKey } }, h('strong', { title: s.description }, s.title, s.target ? ` — ${s.target.name}` : ''),
    h('p', { class: 'rationale' }, ...withDays(s.rationale || s.description)), // a drop's day in it does not break
    h('p', { class: 'help' }, `${labelled(t('owner'), ourName(s.owner) ?? `${label('TeamRole', s.ownerRole)}${aside(t('noOwner'))}`)} · ${t('due')} `,
      day(s.dueDate), ` · ${unpriced(s) ? '' : `${t('likelihood')} `}${gainOf(s)}`), button, canWrite() ? acceptAs(s, accept) : null);
  return item;
}

/** Accepting a step with another owner among the deal's team, or another due date: what a
 * strategy session decides as it takes the step on. */
function acceptAs(s, accept) {
  const team = [...new Map(state.opp.decisionChain.team.map((a) => [a.member.id, memberChoice(a.member, state.ours, label('TeamRole', a.role))]))];
  if (!team.length) return null; // nobody on the deal's team to give it to
  const owner = select({ required: true }, [...(s.owner ? [] : [['', t('choose')]]), ...team], s.owner?.id ?? '');
  const due = h('input', { type: 'date', required: true, min: isoDay(new Date()), value: s.dueDate ?? '' });
  const submit = h('button', { type: 'submit' }, t('acceptAs'));
  const form = h('form', { class: 'accept-as-form', onsubmit: (event) => { event.preventDefault(); accept(submit, { ownerId: owner.value, dueDate: due.value }, form); } },
    field('input.ownerId', t('owner'), owner), field('input.dueDate', t('due'), due), submit);
  return h('details', { class: 'accept-as' }, h('summary', {}, t('acceptAsOpen')), form);
}

/** A step of the plan: what, with whom, whose and by when; an open one may be revised as a
 * session decides (given to another of the deal's team, moved, or dropped). */
function planItem(w) {
  // a step dropped (or cancelled with its deal) is nobody's and due no day: it says when and
  // why (the day as the API counts it, UTC, as the rationales say it), dimmed after the others
  if (w.status === 'CANCELLED') {
    return h('li', { class: 'dropped', dataset: { id: w.id } }, `${w.title}${w.target ? aside(w.target.name) : ''} — `,
      ...withDays(w.droppedAt ? t('planDroppedOn', { day: utcDay(Date.parse(w.droppedAt)) }) : label('WorkPlanStatus', w.status)), ...withDays(droppedWhy(w)));
  }
  return h('li', { class: isOverdue(w) ? 'overdue' : null, dataset: { id: w.id } }, `${w.title}${w.target ? aside(w.target.name) : ''} — ${ourName(w.owner) ?? t('noOwner')} · ${t('due')} `,
    day(dueText(w)), ` · ${label('WorkPlanStatus', w.status)}`, ...withDays(droppedWhy(w)), w.status === 'OPEN' && canWrite()
      ? h('details', { class: 'plan-change' }, h('summary', {}, t('planChangeOpen')), planChangeForm(w, state.opp.decisionChain.team, state.ours, reloaded)) : null);
}

/** The deal's plan as a session reads it: the open steps first (by due day, as the API lists
 * them), then those done, then those dropped, the latest dropped first. */
const STATUS_ORDER = ['OPEN', 'DONE', 'CANCELLED'];
const planOrder = (plan) => [...plan].sort((a, b) => STATUS_ORDER.indexOf(a.status) - STATUS_ORDER.indexOf(b.status)
  || (a.status === 'CANCELLED' ? (b.droppedAt ?? '').localeCompare(a.droppedAt ?? '') : 0));
/** Dropped steps shown before "Show … more": a plan revised often must not end in a long tail. */
const DROPPED_SHOWN = 3;
function planList(plan) {
  const items = planOrder(plan).map(planItem);
  const dropped = items.filter((li) => li.classList.contains('dropped')).slice(DROPPED_SHOWN);
  for (const li of dropped) li.hidden = true;
  const more = dropped.length ? h('li', { class: 'more-dropped' }, h('button', { type: 'button', class: 'show-all', onclick: () => {
    for (const li of dropped) li.hidden = false;
    more.remove();
  } }, t('moreDropped', { n: dropped.length }))) : null;
  return h('ul', { id: 'work-plan' }, items, more);
}

function dealPanel() {
  const a = state.opp.assessment;
  // a card someone was working in stays open across the reload its save brings
  const open = new Set([...document.querySelectorAll('#deal-panel details.card[open]')].map((d) => d.id));
  const panel = h('div', { id: 'deal-panel' },
    h('h2', {}, t('questions')), CLOSED.has(state.opp.stage) // a deal won, lost or abandoned has an outcome
      ? [h('p', { class: 'likelihood-line' }, labelled(t('outcome'), ''), h('strong', { id: 'outcome' }, label('Stage', state.opp.stage))),
        h('p', { id: 'questions-as-decided', class: 'help' }, t('questionsAsDecided'))] // what a review of the outcome reads
      : h('p', { class: 'likelihood-line' }, labelled(t('likelihood'), ''), h('strong', { id: 'likelihood' }, likelihoodShown(state.opp))),
    a ? QUESTIONS.map((q) => [scoreBlock(t(q), a[q], `q-${q}`), q === 'isReal' ? validationLine(state.opp.validation) : null]) : null,
    processCard(state.opp.id, reloaded),
    dealCard(state.opp.id, reloaded),
    teamCard(state.opp.id, reloaded),
    competitorsCard(state.opp.id, reloaded),
    h('div', { id: 'whatif-result' }),
    changesCard(state.opp, showMarks, state.changes),
    h('h2', {}, t('suggestions')), h('ol', { id: 'suggestions' }, state.opp.suggestedWorkPlan.slice(0, SUGGESTIONS_SHOWN).map(suggestionItem)),
    h('h2', {}, t('workPlan')), planList(state.opp.workPlan),
    canWrite() && members().length ? addPersonForm() : null);
  for (const card of panel.querySelectorAll('details.card')) if (open.has(card.id)) card.open = true;
  return panel;
}

/** An empty chain says what to map first (the roles a deal is won or lost on, by their
 * labels) and, for a writer, offers the form for its first person right there; a deal won,
 * lost or abandoned only says it is empty: nobody is asked to map a finished deal. */
function chainStart(opp) {
  const first = [['DECISION_MAKER', 'chainStartDecides'], [['TECHNICAL_EVALUATOR', 'BUSINESS_EVALUATOR'], 'chainStartEvaluates'],
    ['PROCUREMENT', 'chainStartBuys'], ['COACH', 'chainStartCoach']];
  const roles = (r) => listOf([r].flat().map((x) => label('DecisionRole', x)));
  if (!canWrite() || CLOSED.has(opp.stage)) return h('section', { id: 'chain-start', class: 'card chain-start' }, h('p', { class: 'help' }, t('mapEmpty')));
  return h('section', { id: 'chain-start', class: 'card chain-start', 'aria-labelledby': 'chain-start-title' },
    h('div', {}, h('h2', { id: 'chain-start-title' }, t('chainStartTitle')), h('p', {}, t('chainStartHelp')),
      h('ul', {}, first.map(([r, text]) => h('li', {}, h('strong', {}, roles(r)), aside(t(text))))),
      h('p', { class: 'help' }, t('chainStartAfter'))),
    addPersonForm('DECISION_MAKER'));
}


const CUSTOMER_PEOPLE = `query People($customerId: ID!, $after: String) { keyPersons(filter: { customerId: $customerId }, first: 100, after: $after) {
  pageInfo { hasNextPage endCursor } nodes { id name nameEn title department departure { leftOn } } } }`;

const sameName = (a, b) => a.trim().toLocaleLowerCase() === b.trim().toLocaleLowerCase();

/** Someone the customer already has, put on the chain (their contacts, ties and history with
 * them), or a new person. A new name the customer already has is questioned once: the same
 * person added twice splits their history, and every picker would offer them twice. */
function addPersonForm(firstRole = 'USER') {
  const NEW = '';
  const name = h('input', { name: 'name' });
  const title = h('input', { name: 'title' });
  const dept = h('input', { name: 'department' });
  const role = select({ name: 'role' }, enumOptions('DecisionRole'), firstRole);
  const influence = select({ name: 'influence' }, enumOptions('InfluenceLevel'), 'MEDIUM');
  const attitude = select({ name: 'attitude' }, enumOptions('Attitude'), 'NEUTRAL');
  const needs = h('textarea', { name: 'needs', rows: 2, placeholder: t('needsHelp') });
  const fresh = h('div', { id: 'add-person-new' }, field('input.name', t('name'), name), field('input.title', t('title2'), title),
    field('input.department', t('department'), dept));
  const existing = select({ id: 'add-person-existing', onchange: () => { fresh.hidden = existing.value !== NEW; } }, [[NEW, t('newPersonOption')]], NEW);
  let people = [];
  const customerId = state.opp.customer.id;
  everyPage(CUSTOMER_PEOPLE, { customerId }).then((found) => { // the customer's people not on this chain yet
    people = found;
    // one who left the customer is put on no chain (the namesake check still knows them)
    const off = found.filter((p) => !member(p.id) && !p.departure).sort((a, b) => a.name.localeCompare(b.name));
    existing.replaceChildren(...[[NEW, t('newPersonOption')], ...off.map((p) => [p.id, personChoice(p)])]
      .map(([value, text]) => h('option', { value }, text)));
    existing.value = NEW;
    form.dataset.peopleLoaded = String(off.length);
  }).catch(() => {}); // the form still adds a new person
  // sent with its button disabled: a second click while the first is under way adds nobody twice
  const form = h('form', { id: 'add-person', class: 'card', onsubmit: (event) => { event.preventDefault(); submitting(form, async () => {
    let personId = existing.value;
    if (personId === NEW) {
      const twin = people.find((p) => sameName(p.name, name.value) && form.dataset.namesake !== name.value.trim());
      if (twin) { // asked once: adding again records a namesake
        form.dataset.namesake = name.value.trim();
        const where = member(twin.id) ? 'namesakeOnChain' : 'namesakeAtCustomer';
        showUserErrors(form, [{ field: ['input', 'name'], code: 'BAD_USER_INPUT', message: t(where, { name: twin.name, job: personChoice(twin), customer: state.opp.customer.name }) }]);
        return;
      }
      const created = await mutate(M.create, { input: { customerId, name: name.value, title: title.value || null, department: dept.value || null } });
      if (created.userErrors.length) { showUserErrors(form, created.userErrors); return; }
      personId = created.keyPerson.id;
      // from now on the form names them as one of the customer's people: a place refused below
      // and sent again joins this person, rather than adding them a second time
      const made = { id: personId, name: created.keyPerson.name, title: title.value || null, department: dept.value || null };
      people.push(made);
      existing.append(h('option', { value: personId }, personChoice(made)));
      existing.value = personId;
      fresh.hidden = true;
    }
    const joined = await mutate(M.member, { input: { personId, opportunityId: state.opp.id, role: role.value, influence: influence.value, attitude: attitude.value, needs: needs.value.trim() || null } });
    if (joined.userErrors.length) { showUserErrors(form, joined.userErrors); return; }
    state.selected = personId;
    await reloaded(t('saved'));
  }); } }, h('h2', {}, t('addPerson')), field('input.personId', t('existingPerson'), existing), fresh,
  field('input.role', t('role'), role), field('input.influence', t('influence'), influence), field('input.attitude', t('attitude'), attitude),
  field('input.needs', t('needs'), needs), h('button', { type: 'submit' }, t('addPerson')));
  return form;
}

// ---------------------------------------------------------------- the person panel

/** Show a person's panel; ``reveal``: the user picked them, so bring the panel into view
 * where it sits below the map (narrow screens). */
function selectPerson(id, reveal = false) {
  const m = member(id);
  if (!m) return;
  state.selected = id;
  state.cy.nodes().unselect();
  state.cy.getElementById(id).select();
  document.querySelectorAll('.person-item').forEach((b) => b.setAttribute('aria-current', String(b.dataset.id === id)));
  const panel = document.getElementById('person-panel');
  panel.replaceChildren(personPanel(m));
  if (reveal) focus(id);
  if (reveal && matchMedia('(max-width: 1100px)').matches) panel.scrollIntoView({ block: 'start' });
}

/** Bring a person and their ties into view at a readable size (the focus view). */
function focus(id) {
  state.focus = focusOn(state.cy, id) ? id : null;
  showFocus();
}

/** Leave the focus view for the whole chain, fitted to the map (gliding there, or at once
 * where the next click may aim at anyone). */
function wholeChain(animate = true) {
  if (!state.focus) return;
  state.focus = null;
  showWhole(state.cy, { animate });
  showFocus();
}

/** Offer the way back while a person is in focus. */
function showFocus() {
  const button = document.getElementById('whole-chain');
  if (button) button.hidden = !state.focus;
}

// Escape leaves the focus view, unless it is meant for a field being edited.
document.addEventListener('keydown', (event) => {
  if (event.key !== 'Escape' || !state.focus || !state.cy || !document.contains(state.cy.container())) return;
  if (event.target.closest?.('input, textarea, select')) return;
  wholeChain();
});


function personPanel(m) {
  const id = m.person.id;
  const chain = state.opp.decisionChain;
  const s = scoresOf(id);
  const names = (links, pick) => links.map(pick).filter(Boolean);
  const manager = chain.reportsTo.find((l) => l.fromPerson.id === id)?.toPerson.id;
  const influences = names(chain.influences.filter((l) => l.fromPerson.id === id), (l) => `${personName(l.toPerson.id)}${aside(label('TieStrength', l.strength))}`);
  const influencedBy = names(chain.influences.filter((l) => l.toPerson.id === id), (l) => `${personName(l.fromPerson.id)}${aside(label('TieStrength', l.strength))}`);
  const flags = (state.opp.analysis?.redFlags ?? []).filter((f) => f.persons.some((p) => p.id === id));
  const actions = state.opp.suggestedWorkPlan.filter((x) => x.target?.id === id);
  const list = (items) => (items.length ? h('ul', {}, items.map((x) => h('li', {}, x))) : h('p', { class: 'help' }, t('none')));
  const left = m.person.departure;
  // one who left is history: their record, their contacts and their details, nothing to plan
  const forms = left ? [detailsForm(m)]
    : [roleForm(m), needsForm(m), managerForm(m, manager), influenceForm(m), teamTieForm(m, chain.team.map((x) => x.member.id), reloaded), competitorTieForm(m, chain.competitors, reloaded), activityForm(m), detailsForm(m)];
  return h('div', { class: 'person-detail', 'aria-labelledby': 'person-title' },
    h('div', { class: 'panel-head' }, h('h2', { id: 'person-title', tabindex: '-1' }, m.person.name, m.person.nameEn ? aside(m.person.nameEn) : ''),
      h('button', { type: 'button', class: 'close', 'aria-label': t('close'), onclick: closePerson }, '×')),
    // a department named as the role is (Finance, Finance) is said once
    h('p', { class: 'meta' }, [m.person.title, m.person.department, label('DecisionRole', m.role), label('Attitude', m.attitude), `${t('influence')} ${label('InfluenceLevel', m.influence)}`]
      .filter((x, i, all) => x && all.findIndex((y) => y?.toLowerCase() === x.toLowerCase()) === i).join(' · ')),
    left ? h('p', { class: 'left-note' }, ...leftText(left)) : null,
    left ? null : needsBlock(m),
    h('h3', {}, t(left ? 'scoresFrozen' : 'scores')),
    s ? h('div', { id: 'person-scores' }, scoreBlock(t('closeness'), s.closeness, 'score-closeness'), scoreBlock(t('solution'), s.solution, 'score-solution'), scoreBlock(t('price'), s.price, 'score-price')) : null,
    h('h3', {}, t('ties')),
    h('dl', { class: 'ties' },
      h('dt', {}, t('reportsTo')), h('dd', {}, manager ? personName(manager) : t('none')),
      h('dt', {}, t('influences')), h('dd', {}, listOf(influences) || t('none')),
      h('dt', {}, t('influencedBy')), h('dd', {}, listOf(influencedBy) || t('none')),
      h('dt', {}, t('knownBy')), h('dd', {}, listOf(m.teamTies.map((x) => `${ourName(x.member)}${aside(label('TieStrength', x.level))}`)) || t('none')),
      h('dt', {}, t('competitorTies')), h('dd', {}, listOf(m.competitorTies.map((x) => `${x.competitor.name}${aside(label('TieStrength', x.level))}`)) || t('none')),
      h('dt', {}, t('lastContact')), h('dd', { id: 'last-contact' }, dateTime(m.lastContactAt)),
      m.nextContactAt ? [h('dt', {}, t('nextContact')), h('dd', { id: 'next-contact' }, dateTime(m.nextContactAt))] : null),
    // a decided deal warns of nothing and suggests nothing: no empty headings saying "none"
    CLOSED.has(state.opp.stage) ? null : [h('h3', {}, t('flagsAbout')), list(flags.map((f) => h('span', {}, h('strong', {}, f.text), ' ', f.coaching))),
      h('h3', {}, t('actionsFor')), actions.length ? h('ol', {}, actions.map(suggestionItem)) : h('p', { class: 'help' }, t('none'))],
    departureCard(m.person, reloaded, successorSeat(m)), contactsCard(id, state.opp.id, reloaded), CLOSED.has(state.opp.stage) || left ? null : whatIfForm(m), canWrite() ? forms : null);
}

/** What the card of one who left needs to name who holds their job now and put them on the chain
 * in their place: the job's role and influence, neutral (nobody of ours has met them yet). A
 * coach's place is no job: the team adds the successor with the role they have. */
function successorSeat(m) {
  const as = `${label('DecisionRole', m.role)}${aside(`${t('influence')} ${label('InfluenceLevel', m.influence)}`)}`;
  const place = m.role === 'COACH' ? null : (personId) => mutate(M.member, {
    input: { personId, opportunityId: state.opp.id, role: m.role, influence: m.influence, attitude: 'NEUTRAL' },
  });
  return {
    deal: state.opp.id,
    people: () => everyPage(CUSTOMER_PEOPLE, { customerId: state.opp.customer.id }),
    onChain: (pid) => Boolean(member(pid)),
    place,
    as,
  };
}

function closePerson() {
  wholeChain();
  state.selected = null;
  state.cy.nodes().unselect();
  document.querySelectorAll('.person-item').forEach((b) => b.setAttribute('aria-current', 'false'));
  document.getElementById('person-panel').replaceChildren(h('p', { class: 'help' }, t('selectPerson')));
}

function roleForm(m) {
  const role = select({}, enumOptions('DecisionRole'), m.role);
  const attitude = select({}, enumOptions('Attitude'), m.attitude);
  const influence = select({}, enumOptions('InfluenceLevel'), m.influence);
  const form = h('form', { id: 'role-form', class: 'card', onsubmit: (event) => { event.preventDefault(); submitting(form, async () => {
    const payload = await mutate(M.member, { input: { personId: m.person.id, opportunityId: state.opp.id, role: role.value, attitude: attitude.value, influence: influence.value, expectedVersion: m.version } });
    if (await placeMoved(payload, m.person)) return;
    if (payload.userErrors.length) { showUserErrors(form, payload.userErrors); return; }
    await reloaded(t('saved'));
  }); } }, h('h3', {}, `${t('role')} / ${t('attitude')}`), field('input.role', t('role'), role), field('input.attitude', t('attitude'), attitude),
  field('input.influence', t('influence'), influence), h('button', { type: 'submit' }, t('setRole')));
  return form;
}

/** What the person wants from the project and how well we meet it: the solution acceptance
 * reads the fit, and the process asks for every key person's needs. */
function needsBlock(m) {
  return [h('h3', {}, t('needs')),
    h('p', { id: 'person-needs' }, m.needs?.trim() ? m.needs : h('span', { class: 'help' }, t('needsUnrecorded'))),
    m.needs?.trim() || m.needsFit !== 'UNKNOWN' ? h('p', { id: 'person-needs-fit', class: 'meta' }, labelled(t('needsFit'), label('NeedsFit', m.needsFit))) : null];
}

function needsForm(m) {
  const needs = h('textarea', { rows: 3, placeholder: t('needsHelp') }, m.needs ?? '');
  const fit = select({}, enumOptions('NeedsFit'), m.needsFit);
  const form = h('form', { id: 'needs-form', class: 'card', onsubmit: (event) => { event.preventDefault(); submitting(form, async () => {
    const payload = await mutate(M.member, { input: { personId: m.person.id, opportunityId: state.opp.id, role: m.role, needs: needs.value.trim() || null, needsFit: fit.value, expectedVersion: m.version } });
    if (await placeMoved(payload, m.person)) return;
    if (payload.userErrors.length) { showUserErrors(form, payload.userErrors); return; }
    await reloaded(t('saved'));
  }); } }, h('h3', {}, t('needsCard')), field('input.needs', t('needs'), needs), field('input.needsFit', t('needsFit'), fit),
  h('button', { type: 'submit' }, t('setNeeds')));
  return form;
}

/** A change refused because a colleague changed or removed the person's place meanwhile: the
 * page is read again, so that it shows the chain as it is, and says what happened. */
const placeConflict = (payload) => payload.userErrors.some((e) => e.code === 'CONFLICT' && e.field.at(-1) === 'expectedVersion');

async function placeMoved(payload, person) {
  if (!placeConflict(payload)) return false;
  await load();
  notice(said(member(person.id) ? 'placeChanged' : 'placeGone', { name: person.name }), 'error');
  return true;
}

function managerForm(m, current) {
  const others = members().filter((x) => x.person.id !== m.person.id).map((x) => [x.person.id, personChoice(x.person)]);
  const manager = select({}, [['', t('noManager')], ...others], current ?? '');
  const form = h('form', { id: 'manager-form', class: 'card', onsubmit: (event) => { event.preventDefault(); submitting(form, async () => {
    const payload = manager.value
      ? await mutate(M.reportsTo, { input: { personId: m.person.id, managerId: manager.value } })
      : current ? await mutate(M.reportsToRemove, { input: { personId: m.person.id, managerId: current } }) : { userErrors: [] };
    if (payload.userErrors.length) { showUserErrors(form, payload.userErrors); return; }
    await reloaded(t('saved'));
  }); } }, field('input.managerId', t('reportsTo'), manager), h('button', { type: 'submit' }, t('setManager')));
  return form;
}

function influenceForm(m) {
  const others = members().filter((x) => x.person.id !== m.person.id).map((x) => [x.person.id, personChoice(x.person)]);
  const target = select({}, others, others[0]?.[0]);
  const strength = select({}, enumOptions('TieStrength'), 'MODERATE');
  const form = h('form', { id: 'influence-form', class: 'card', onsubmit: (event) => { event.preventDefault(); submitting(form, async () => {
    const payload = await mutate(M.influence, { input: { fromPersonId: m.person.id, toPersonId: target.value, strength: strength.value } });
    if (payload.userErrors.length) { showUserErrors(form, payload.userErrors); return; }
    await reloaded(t('influenceSaved', { from: m.person.name, to: personName(target.value) }));
  }); } }, h('h3', {}, t('addInfluence')), field('input.toPersonId', t('influences'), target), field('input.strength', t('strength'), strength), h('button', { type: 'submit' }, t('addInfluence')));
  return form;
}

function activityForm(m) {
  const type = select({}, enumOptions('ActivityType'), 'VISIT');
  const when = h('input', { type: 'datetime-local', value: new Date(Date.now() - new Date().getTimezoneOffset() * 60000).toISOString().slice(0, 16) });
  const summary = h('textarea', { rows: 2 });
  // how it went starts unset, as in My work: a hurried log records no neutral meeting by default
  const outcome = select({}, [['', t('choose')], ...enumOptions('Outcome')], '');
  // how they took our solution and our price: what their two acceptance scores are made of
  const reaction = () => select({}, [['', t('notDiscussed')], ...enumOptions('Outcome')], '');
  const solution = reaction();
  const price = reaction();
  const ours = oursField();
  const form = h('form', { id: 'activity-form', class: 'card', onsubmit: (event) => { event.preventDefault(); submitting(form, async () => {
    if (!when.value) { showUserErrors(form, [{ field: ['input', 'occurredAt'], message: t('whenRequired'), code: 'BAD_USER_INPUT' }]); return; }
    if (askedAboutDate(form, when, 'whenLongAgo')) return;
    const occurredAt = new Date(when.value).toISOString();
    const memberIds = [...ours.querySelectorAll('input:checked')].map((box) => box.value);
    if (!memberIds.length && ours.querySelector('input')) { // a contact counts for whoever of ours made it
      showUserErrors(form, [{ field: ['input', 'memberIds'], message: t('oursRequired'), code: 'BAD_USER_INPUT' }]);
      return;
    }
    const planned = new Date(when.value) > new Date(); // still to come: no outcome yet
    if (!planned && !outcome.value) {
      showUserErrors(form, [{ field: ['input', 'outcome'], message: t('outcomeRequired'), code: 'BAD_USER_INPUT' }]);
      return;
    }
    const payload = await mutate(M.activity, { input: { type: type.value, occurredAt, summary: summary.value, personIds: [m.person.id], memberIds,
      opportunityId: state.opp.id, ...(planned ? {} : { outcome: outcome.value, solutionReaction: solution.value || null, priceReaction: price.value || null }) } });
    if (payload.userErrors.length) { showUserErrors(form, payload.userErrors); return; }
    await reloaded(t('saved'));
  }); } });
  // a contact still to come has no outcome yet: the form plans it instead of logging it
  const title = h('h3', {}, t('logActivity'));
  const button = h('button', { type: 'submit' }, t('log'));
  const result = [field('input.outcome', t('outcome'), outcome), field('input.solutionReaction', t('solutionReaction'), solution),
    field('input.priceReaction', t('priceReaction'), price)];
  const note = h('p', { class: 'help planned-note', hidden: true }, t('plannedHelp'));
  const ahead = () => {
    const planned = Boolean(when.value) && new Date(when.value) > new Date();
    title.textContent = t(planned ? 'planActivity' : 'logActivity');
    button.textContent = t(planned ? 'plan' : 'log');
    result.forEach((x) => { x.hidden = planned; });
    note.hidden = !planned;
  };
  when.addEventListener('input', ahead);
  form.append(title, field('input.type', t('type'), type), field('input.occurredAt', t('when'), when), ours,
    field('input.summary', t('summary'), summary), ...result, note, button);
  return form;
}


/** Who of ours took part: the deal's team, the signed-in person ticked (and offered when not on
 * the team), so that the contact counts for the people who made it. */
function oursField() {
  const box = (id, name) => h('label', { class: 'check' }, h('input', { type: 'checkbox', value: id }), ` ${name}`);
  const team = new Map(state.opp.decisionChain.team.map((a) => [a.member.id, memberChoice(a.member, state.ours)]));
  const set = h('fieldset', { class: 'ours' }, h('legend', {}, t('ours')), [...team].map(([id, name]) => box(id, name)));
  set.dataset.field = 'input.memberIds';
  me().then((session) => {
    const mine = session.teamMember;
    if (!mine) return;
    if (!team.has(mine.id)) set.append(box(mine.id, nameOf(mine, state.ours)));
    const own = [...set.querySelectorAll('input')].find((input) => input.value === mine.id);
    if (own) own.checked = true;
  });
  return set;
}

function detailsForm(m) {
  const name = h('input', { value: m.person.name });
  const nameEn = h('input', { value: m.person.nameEn ?? '' });
  const notes = h('textarea', { rows: 3 }, m.person.notes ?? '');
  const version = h('input', { type: 'hidden', value: String(m.person.version) });
  const form = h('form', { id: 'details-form', class: 'card', onsubmit: (event) => { event.preventDefault(); submitting(form, async () => {
    const payload = await mutate(M.update, { id: m.person.id, input: { version: Number(version.value), name: name.value, nameEn: nameEn.value || null, notes: notes.value || null } });
    const conflict = payload.userErrors.find((e) => e.code === 'CONFLICT');
    if (conflict) {
      // someone else changed the person: fetch the latest version, keep what the user typed
      const fresh = (await gql(PERSON, { id: m.person.id })).node;
      version.value = String(fresh.version);
      Object.assign(m.person, { version: fresh.version });
      showUserErrors(form, [{ ...conflict, message: t("conflict", { name: fresh.name }) }]);
      form.querySelector('.field-error')?.classList.add('conflict');
      form.dataset.latestName = fresh.name;
      return;
    }
    if (payload.userErrors.length) { showUserErrors(form, payload.userErrors); return; }
    await reloaded(t('saved'));
  }); } }, h('h3', {}, t('details')), version, field('input.name', t('name'), name), field('input.nameEn', t('nameEn'), nameEn),
  field('input.notes', t('notes'), notes), h('button', { type: 'submit' }, t('save')));
  return form;
}

// ---------------------------------------------------------------- what-if

function whatIfForm(m) {
  const attitude = select({ id: 'wi-attitude' }, enumOptions('Attitude'), m.attitude);
  const team = [...new Map(state.opp.decisionChain.team.map((a) => [a.member.id, memberChoice(a.member, state.ours)]))];
  const memberSelect = select({ id: 'wi-member' }, team, team[0]?.[0]);
  const level = select({ id: 'wi-level' }, enumOptions('TieStrength'), 'STRONG');
  // no hopeful default: how they take our price is the question the trial asks
  const reaction = select({ id: 'wi-reaction' }, enumOptions('Outcome'), 'NEUTRAL');
  // whole units (yuan): a quote tried to the fen would read rounded in every text that says it
  const tried = state.whatIf.find((c) => c.kind === 'SET_QUOTE')?.amount ?? state.opp.quoteAmount;
  const quote = h('input', { id: 'wi-quote', type: 'number', min: '1', step: '1', inputmode: 'numeric', value: tried == null ? '' : String(Math.round(tried / 100)) });
  const unit = unitOf(state.opp.currency ?? '');
  // the quote comes first: those who hear our price in the same trial hear the price tried
  const add = (change) => {
    const rest = state.whatIf.filter((c) => !(c.personId === change.personId && c.kind === change.kind));
    state.whatIf = change.kind === 'SET_QUOTE' ? [change, ...rest] : [...rest, change];
    runWhatIf();
  };
  const tryQuote = () => {
    const amount = minor(quote.value);
    const whole = Number.isInteger(Number(quote.value)) && amount >= 100;
    quote.setCustomValidity(whole ? '' : t('wiQuoteNeeded')); // said in the page's language, not the browser's
    if (!whole) { quote.reportValidity(); return; }
    add({ kind: 'SET_QUOTE', amount });
  };
  quote.addEventListener('input', () => quote.setCustomValidity(''));
  return h('section', { class: 'card whatif', 'aria-labelledby': 'wi-title' }, h('h3', { id: 'wi-title' }, t('whatIf')), h('p', { class: 'help' }, t('whatIfHelp')),
    h('div', { class: 'row' }, h('label', { for: 'wi-attitude' }, t('wiAttitude', { name: m.person.name })), attitude,
      h('button', { type: 'button', id: 'wi-add-attitude', onclick: () => add({ kind: 'SET_ATTITUDE', personId: m.person.id, attitude: attitude.value }) }, t('wiAdd'))),
    team.length ? h('div', { class: 'row' }, h('label', { for: 'wi-member' }, t('wiCloseness', { name: m.person.name })), memberSelect, level,
      h('button', { type: 'button', id: 'wi-add-closeness', onclick: () => add({ kind: 'RAISE_CLOSENESS', personId: m.person.id, memberId: memberSelect.value, level: level.value }) }, t('wiAdd'))) : null,
    h('div', { class: 'row' }, h('label', { for: 'wi-reaction' }, t('wiHears', { name: m.person.name })), reaction,
      h('button', { type: 'button', id: 'wi-add-price', onclick: () => add({ kind: 'PRICE_HEARD', personId: m.person.id, reaction: reaction.value }) }, t('wiAdd'))),
    h('div', { class: 'row' }, h('label', { for: 'wi-quote' }, unit ? t('amountIn', { label: t('wiQuote'), unit }) : t('wiQuote')), quote,
      h('button', { type: 'button', id: 'wi-add-quote', onclick: tryQuote }, t('wiAdd'))),
    h('div', { class: 'row' }, h('button', { type: 'button', id: 'wi-add-leaves', onclick: () => add({ kind: 'PERSON_LEAVES', personId: m.person.id }) }, t('wiLeavesTry', { name: m.person.name }))),
    h('p', { id: 'wi-summary', 'aria-live': 'polite' }, whatIfSummary()));
}

/** The effect of the changes tried, beside the buttons that try them: the whole result (the
 * four questions, the flags, saving) sits with the deal, far down the panel. */
function whatIfSummary() {
  const shown = state.whatIf.length ? state.whatIfFigures : null;
  if (!shown) return null;
  return [...likelihoodMove(shown), ' ', h('a', { href: '#whatif-result', id: 'wi-more' }, t('wiMore'))];
}

/** "Win likelihood: now 9.6 % → after 11.1 % (+1.5 pts)", as the what-if says it. */
const likelihoodMove = ({ before, after }) => [`${labelled(t('likelihood'), t('wiBefore'))} ${percent(before, 1)} → ${t('wiAfter')} `,
  h('strong', {}, percent(after, 1)), aside(pointsOf(after - before))];

function describe(change) {
  if (change.kind === 'SET_QUOTE') return t('wiQuoteTo', { amount: money(change.amount, state.opp.currency) });
  const who = personName(change.personId);
  if (change.kind === 'PRICE_HEARD') {
    const price = priceHeard(change);
    const reaction = label('Outcome', change.reaction);
    return price == null ? t('wiHeardNoQuote', { name: who, reaction }) : t('wiHeard', { name: who, amount: money(price, state.opp.currency), reaction });
  }
  if (change.kind === 'SET_ATTITUDE') return t('wiAttitudeTo', { name: who, attitude: label('Attitude', change.attitude) });
  if (change.kind === 'RAISE_CLOSENESS') return `${t('wiKnownBy', { name: who, member: ourName(state.opp.decisionChain.team.find((a) => a.member.id === change.memberId)?.member) ?? '' })}${aside(label('TieStrength', change.level))}`;
  return t('wiLeaves', { name: who });
}

function restyleWhatIf() {
  const overrides = new Map();
  for (const c of state.whatIf) {
    if (!c.personId) continue; // the quote: nobody's node changes
    const o = overrides.get(c.personId) ?? {};
    if (c.kind === 'SET_ATTITUDE') o.attitude = c.attitude;
    if (c.kind === 'RAISE_CLOSENESS') o.level = c.level;
    if (c.kind === 'PERSON_LEAVES') o.leaves = true;
    overrides.set(c.personId, o);
  }
  const fresh = elements(state.opp, state.ours, overrides).filter((e) => e.group === 'nodes' && e.classes.startsWith('person'));
  for (const e of fresh) {
    const node = state.cy.getElementById(e.data.id);
    node.data({ color: e.data.color, label: e.data.label, ring: e.data.ring, ringStyle: e.data.ringStyle, labelGap: e.data.labelGap });
    node.data({ base: e.data.base });
    node.toggleClass('gone', e.data.gone).toggleClass('whatif', overrides.has(e.data.id));
  }
  markChanges(state.cy, state.marks);
}

async function runWhatIf() {
  restyleWhatIf();
  const box = document.getElementById('whatif-result');
  const summary = () => document.getElementById('wi-summary')?.replaceChildren(...[whatIfSummary()].flat().filter(Boolean));
  if (!state.whatIf.length) { box.replaceChildren(); summary(); return; }
  const result = (await gql(WHAT_IF, { id: state.opp.id, changes: state.whatIf })).opportunityWhatIf;
  const [before, after] = [result.before, result.after].map((a) => toTenth(a.winLikelihood.value));
  state.whatIfFigures = { before, after };
  summary();
  box.replaceChildren(h('section', { class: 'card whatif-result', 'aria-live': 'polite' },
    h('h3', {}, t('whatIf')), h('h4', {}, t('wiChanges')), h('ul', { id: 'wi-changes' }, state.whatIf.map((c) => h('li', {}, describe(c)))),
    h('p', { id: 'wi-likelihood' }, likelihoodMove({ before, after })),
    h('ul', {}, QUESTIONS.map((q) => h('li', {}, `${t(q)} ${result.before[q].value} → ${result.after[q].value}`))),
    peopleTried(result.afterScores),
    h('h4', {}, t('wiFlagsAfter')), h('ul', { id: 'wi-flags' }, flagChanges(result.afterAnalysis.redFlags)),
    canWrite() ? [h('button', { type: 'button', id: 'wi-save', 'aria-expanded': 'false', onclick: askToSave }, t('wiSave')), ' '] : null,
    h('button', { type: 'button', id: 'wi-clear', onclick: () => { state.whatIf = []; runWhatIf(); } }, t('wiClear'))));
}

/** The three scores of each person a trial changes something of, before and after, and the
 * reasons of each score that moved: what a director asks first ("how does he take our price
 * now, and why"), read on the page, not only through the API. */
function peopleTried(after) {
  const named = state.whatIf.filter((c) => c.personId && c.kind !== 'PERSON_LEAVES').map((c) => c.personId);
  // a quote tried moves everyone's price: those it moves most (the budget holders) show too
  const moves = (s) => Math.abs(s.price.value - (scoresOf(s.person.id)?.price.value ?? s.price.value));
  const priced = state.whatIf.some((c) => c.kind === 'SET_QUOTE')
    ? after.filter((s) => moves(s) > 0).sort((a, b) => moves(b) - moves(a)).slice(0, 3).map((s) => s.person.id) : [];
  const ids = [...new Set([...named, ...priced])];
  const rows = ids.map((id) => [id, scoresOf(id), after.find((s) => s.person.id === id)]).filter(([, was, now]) => was && now);
  if (!rows.length) return null;
  const kinds = ['closeness', 'solution', 'price'];
  return [h('h4', {}, t('wiPeople')), h('ul', { id: 'wi-people' }, rows.map(([id, was, now]) => {
    const moved = kinds.filter((k) => was[k].value !== now[k].value);
    return h('li', { 'data-id': id }, h('strong', {}, member(id)?.person.name ?? ''), ' ',
      listOf(kinds.map((k) => `${t(k)} ${was[k].value} → ${now[k].value}`)),
      // why each score that moved stands where it does now, as the person's panel says it
      moved.map((k) => h('details', { class: 'wi-reasons', 'data-score': k, open: true },
        h('summary', {}, labelled(t(k), `${was[k].value} → ${now[k].value}`)),
        h('ul', { class: 'reasons' }, now[k].reasons.map((r) => h('li', {}, `${r.points >= 0 ? '+' : ''}${r.points} · ${r.text}`))))));
  }))];
}

/** The red flags after a what-if, each new one marked so, then those it clears, struck out:
 * a flag the deal has already must not read as if the change had raised it. */
function flagChanges(after) {
  const now = (state.opp.analysis?.redFlags ?? []).map((f) => f.text);
  const later = new Set(after.map((f) => f.text));
  return [
    ...after.map((f) => (now.includes(f.text) ? h('li', {}, f.text) : h('li', { class: 'new' }, h('strong', {}, f.text), aside(t('wiFlagNew'))))),
    ...now.filter((text) => !later.has(text)).map((text) => h('li', { class: 'cleared' }, h('s', {}, text), aside(t('wiFlagCleared')))),
  ];
}

/** Saving a what-if records guesses as what is so, for everyone and every score from then on:
 * asked once, beside the button, before anything is written. */
function askToSave(event) {
  const button = event.currentTarget;
  if (document.getElementById('wi-confirm')) return;
  button.setAttribute('aria-expanded', 'true');
  const keep = () => { box.remove(); button.setAttribute('aria-expanded', 'false'); button.focus(); };
  const box = h('div', { id: 'wi-confirm', class: 'card confirm', role: 'group', 'aria-label': t('wiSave') },
    h('p', {}, t('wiConfirm')),
    state.whatIf.some((c) => c.kind === 'SET_QUOTE') && (state.opp.quoteStatus === 'SUBMITTED' || state.opp.deliveryReviewed)
      ? h('p', { id: 'wi-confirm-quote', class: 'warn' }, t('wiConfirmQuote')) : null,
    // a price heard is a price told to the customer: one the delivery manager has not reviewed
    // (a new amount is not, until they review it) goes out against the process, said before
    unreviewedHeard() ? h('p', { id: 'wi-confirm-unreviewed', class: 'warn' }, t('wiConfirmUnreviewed')) : null,
    h('button', { type: 'button', id: 'wi-save-confirm', onclick: async (e) => {
      const yes = e.currentTarget;
      yes.disabled = true;
      try { await saveWhatIf(); } finally { yes.disabled = false; } // refused: it may be asked again
    } }, t('wiConfirmYes')), ' ',
    h('button', { type: 'button', id: 'wi-save-cancel', onclick: keep }, t('wiConfirmNo')));
  button.after(box);
  box.querySelector('#wi-save-confirm').focus();
}

/** Whether the what-if has someone hear a price the delivery manager has not reviewed: a new
 * quote tried before it, or the deal's quote while it awaits its review. */
function unreviewedHeard() {
  return state.whatIf.some((c) => c.kind === 'PRICE_HEARD'
    && (state.whatIf.slice(0, state.whatIf.indexOf(c)).some((x) => x.kind === 'SET_QUOTE') || (state.opp.quoteAmount != null && !state.opp.deliveryReviewed)));
}

/** The price a person hears in a trial: the quote tried before it, else the quote as it is. */
function priceHeard(change) {
  const tried = state.whatIf.slice(0, state.whatIf.indexOf(change)).filter((c) => c.kind === 'SET_QUOTE').at(-1);
  return tried?.amount ?? state.opp.quoteAmount;
}

/** A tried change as it is saved: a change to someone's place in the chain names the version
 * of it this page read, so a colleague's change meanwhile is not undone. */
function toSave(c) {
  const read = c.kind === 'SET_ATTITUDE' || c.kind === 'PERSON_LEAVES' ? member(c.personId)?.version : undefined;
  return read === undefined ? c : { ...c, expectedVersion: read };
}

/** The tried change a refusal names (its field: input.changes.N…), if any. */
function refusedChange(error) {
  const [input, changes, at] = error.field;
  return input === 'input' && changes === 'changes' ? state.whatIf[Number(at)] ?? null : null;
}

/** Save the tried changes in one write: all of them or, refused, none (they stay as tried). */
async function saveWhatIf() {
  const changes = state.whatIf.map(toSave);
  const payload = await mutate(M.whatIfSave, { id: state.opp.id, input: { version: state.opp.version, changes } });
  if (!payload.userErrors.length) {
    state.whatIf = [];
    await reloaded(t('saved'));
    return;
  }
  const [first] = payload.userErrors;
  if (first.code === 'CONFLICT' && first.field.join('.') === 'input.version') {
    // the deal changed meanwhile: the what-if is tried again on the deal as it is now
    await load();
    notice(said('quoteChanged'), 'error');
    return;
  }
  const c = refusedChange(first);
  if (c?.personId && placeConflict(payload)) {
    // tried on a place that is no longer so: those changes go, the rest stay as tried
    const person = member(c.personId).person;
    state.whatIf = state.whatIf.filter((x) => x.personId !== c.personId);
    await load();
    notice(said(member(c.personId) ? 'wiPlaceMoved' : 'wiPlaceGone', { name: person.name }), 'error');
    return;
  }
  notice(() => (c ? labelled(describe(c), say(saidErrors(payload.userErrors, clauses))) : say(saidErrors(payload.userErrors, clauses))), 'error');
}

// ---------------------------------------------------------------- editing on the map

async function dropOnto(personId, managerId) {
  const payload = await mutate(M.reportsTo, { input: { personId, managerId } });
  if (payload.userErrors.length) { notice(() => labelled(personName(personId), say(saidErrors(payload.userErrors, clauses))), 'error'); await layout(state.cy); return; }
  state.selected = personId;
  await reloaded(t('dropped', { person: personName(personId), manager: personName(managerId) }));
}

const INFLUENCES_NOW = `query($id: ID!) { node(id: $id) { ... on Opportunity { decisionChain { influences { fromPerson { id } toPerson { id } strength } } } } }`;

function toggleDraw() {
  state.drawFrom = state.drawFrom === null ? '' : null;
  const button = document.getElementById('draw-influence');
  button.setAttribute('aria-pressed', String(state.drawFrom !== null));
  if (state.drawFrom !== null) { wholeChain(false); notice(said('drawInfluenceHelp'), 'help'); } // an arrow may join any two people
  else drawHelpDone();
}

/** The drawing's instruction goes with the drawing. */
function drawHelpDone() {
  const help = document.querySelector('#notice .banner.help');
  if (help?.textContent.startsWith(t('drawInfluenceHelp'))) help.remove();
}

async function drawTo(id) {
  if (!state.drawFrom) { state.drawFrom = id; state.cy.getElementById(id).select(); return; }
  const from = state.drawFrom;
  if (from === id) { state.drawFrom = ''; state.cy.getElementById(id).unselect(); return; } // picked again: pick anew
  state.drawFrom = null;
  document.getElementById('draw-influence').setAttribute('aria-pressed', 'false');
  drawHelpDone();
  // as recorded now, not as this page read it: a colleague may have drawn it meanwhile
  const drawn = (await gql(INFLUENCES_NOW, { id: state.opp.id })).node.decisionChain.influences;
  const known = drawn.find((i) => i.fromPerson.id === from && i.toPerson.id === id);
  if (known) { // drawn again: its strength stays what was recorded
    await reloaded(said('influenceKnown', { from: personName(from), to: personName(id), strength: label('TieStrength', known.strength) }), 'help');
    return;
  }
  const payload = await mutate(M.influence, { input: { fromPersonId: from, toPersonId: id, strength: 'MODERATE' } });
  if (payload.userErrors.length) { notice(saidErrors(payload.userErrors, clauses), 'error'); return; }
  await reloaded(t('influenceSaved', { from: personName(from), to: personName(id) }));
}

// ---------------------------------------------------------------- export and the deal sheet

const fileName = (ext) => `${state.opp.name.slice(0, 40).replace(/[^\p{L}\p{N}]+/gu, '-')}.${ext}`;
function exportPng() { download(fileName('png'), state.cy.png({ output: 'blob', full: true, scale: 2, bg: '#ffffff' })); }
function exportSvg() { download(fileName('svg'), new Blob([toSvg(state.cy)], { type: 'image/svg+xml' })); }

/** The reason that moved a score most (the baseline says least about the deal). */
/** A score's one line on paper: for a score below the middle what pulls it down most (when
 * anything does), else what weighs most either way; the first reason is the baseline. */
const telling = (score) => {
  const reasons = score.reasons.slice(1);
  const down = reasons.filter((r) => r.points < 0).sort((x, y) => x.points - y.points);
  const most = [...reasons].sort((x, y) => Math.abs(y.points) - Math.abs(x.points));
  return headline((score.value < 50 ? down[0] : null)?.text ?? most[0]?.text ?? score.reasons[0]?.text ?? '');
};

/** A long reason's headline for a one-line summary: what it says, up to the colon after
 * which it explains why (a sales director read the sheet's whole explanation as one run-on
 * line); the explanation stays in the reasons on the page. A short one ("华康医疗：领先于我方")
 * is its own headline. */
const headline = (text) => {
  const at = text.search(/：|: /);
  if (text.length <= 60 || at < 20) return text;
  const head = text.slice(0, at);
  const balanced = (head.match(/[（(]/g) ?? []).length === (head.match(/[）)]/g) ?? []).length;
  return balanced ? head : text;
};

/** The deal sheet's map box in CSS pixels: the largest picture the print stylesheet gives the
 * map (160 mm × 105 mm beside the four questions on A4 landscape; keep them together). */
const SHEET_MAP = { width: 604, height: 396 };

/** The red flags the sheet's first page has room for, beside the map. */
const FLAGS_ON_PAPER = 5;
/** The first ``n`` of a list, and a line saying how many more there are (paper has room for
 * a few; it must not look complete when it is not). */
const atMost = (list, n) => (list.length > n ? [...list.slice(0, n - 1), t('moreItems', { n: list.length - n + 1 })] : list);

/** An open item whose due day has passed (the days are the API's, compared as written). */
const isOverdue = (w) => w.status === 'OPEN' && w.dueDate != null && w.dueDate < isoDay(new Date());
/** Its due day, said to be overdue when it is: on screen and on paper, in words, not in colour. */
const dueText = (w) => (w.dueDate == null ? '–' : isOverdue(w) ? `${w.dueDate}${aside(t('overdue'))}` : w.dueDate);

/** How a closed deal ended, as its closing move said: won, lost (to whom) or given up, and why. */
function outcomeOf(opp) {
  const last = opp.stageHistory?.findLast((s) => s.toStage === opp.stage);
  const lead = last?.lostToCompetitor ? t('lostToWhom', { competitor: last.lostToCompetitor.name }) : label('Stage', opp.stage);
  return last?.reason ? `${lead}${t('colon')}${last.reason}` : lead;
}

function printSheet() {
  const opp = state.opp;
  const a = opp.assessment;
  const status = dealStatus(opp);
  const top = opp.suggestedWorkPlan.slice(0, SUGGESTIONS_SHOWN);
  const open = opp.workPlan.filter((w) => w.status === 'OPEN');
  const flags = CLOSED.has(opp.stage) ? [] : opp.analysis?.redFlags ?? [];
  const firstFlags = flags.length > FLAGS_ON_PAPER
    ? [...flags.slice(0, FLAGS_ON_PAPER - 1).map((f) => f.text), t('moreOverleaf', { n: flags.length - FLAGS_ON_PAPER + 1 })] : flags.map((f) => f.text);
  const { src, namePx, scale } = sheetImage(state.cy, { ...SHEET_MAP, focus: state.focus });
  const picture = { src, dataset: { namePx, scale } };
  const table = (heads, rows) => h('table', {}, h('tr', {}, heads.map((c) => h('th', {}, c))),
    rows.map((cells) => h('tr', {}, cells.map((c) => h('td', {}, c)))));
  // a deal won, lost or abandoned prints its outcome and when it closed, and the questions as
  // they stood before the close: no likelihood, flag or suggestion of a deal that is over
  const closed = CLOSED.has(opp.stage);
  const closedOn = closed ? opp.stageHistory?.findLast((s) => s.toStage === opp.stage)?.at : null;
  const when = closed ? (closedOn ? labelled(t('closedOn'), dayOf(closedOn)) : null)
    : opp.expectedCloseDate ? labelled(t('expectedClose'), opp.expectedCloseDate) : null;
  document.getElementById('sheet').replaceChildren(
    h('h1', {}, labelled(t('dealSheetTitle'), opp.name)),
    // the status by name (its reasons are the red flags below), beside the close date
    h('p', {}, status ? h('strong', { class: 'sheet-status' }, labelled(t('status'), status.name)) : null, status ? ' · ' : null,
      [opp.customer?.name ?? '', label('Stage', opp.stage), `${t('grade')} ${opp.grade}`, money(opp.amount, opp.currency),
        when, t('printedAt', { d: isoDay(new Date()) })].filter(Boolean).join(' · ')),
    h('div', { class: 'sheet-top' }, h('figure', {}, h('img', { alt: t('map'), ...picture }), h('figcaption', { class: 'sheet-legend' },
      Object.entries(ATTITUDE).map(([value, [colour, sign]]) => h('span', { class: 'swatch' }, h('i', { style: `background:${colour}` }), ` ${sign} ${label('Attitude', value)}`)))),
      h('section', {}, h('h2', {}, t('questions')),
        closed ? [h('p', { id: 'sheet-outcome' }, h('strong', {}, outcomeOf(opp))), h('p', { class: 'help' }, t('questionsAsDecided'))] : h('p', {}, labelled(t('likelihood'), percent(a?.winLikelihood.value))),
        h('ul', {}, a ? QUESTIONS.map((q) => h('li', {}, `${t(q)} ${a[q].value}/100 — ${telling(a[q])}`)) : null),
        closed ? null : [h('h2', {}, t('redFlags')), h('ul', {}, firstFlags.map((f) => h('li', {}, f)))])),
    ...(closed ? [] : [h('section', {}, h('h2', {}, t('suggestions')),
      table([t('action'), t('with'), t('owner'), t('due'), t('likelihood')], top.map((s) => [s.title, s.target?.name ?? '–',
        ourName(s.owner) ?? label('TeamRole', s.ownerRole), s.dueDate, gainOf(s)])),
      open.length ? h('h2', {}, t('openWork')) : null,
      open.length ? table([t('action'), t('with'), t('owner'), t('due')], atMost(open, 8).map((w) => (typeof w === 'string' ? [w, '', '', '']
        : [w.title, w.target?.name ?? '–', ourName(w.owner) ?? t('noOwner'), dueText(w)]))) : null)]),
    // the next page: every red flag when the first had no room for them all, and the people
    // with their three scores, as a strategy session goes through them
    h('section', { class: 'sheet-more' },
      flags.length > FLAGS_ON_PAPER ? [h('h2', {}, t('allRedFlags')), h('ul', {}, flags.map((f) => h('li', {}, f.text)))] : null,
      members().length ? h('h2', {}, t('keyPeople')) : null,
      !members().length ? null : table([t('name'), t('role'), t('influence'), t('attitude'), t('closeness'), t('solution'), t('price')], listed().map((m) => {
        const scores = scoresOf(m.person.id);
        return [m.person.departure ? `${m.person.name} (${t('leftShort')})` : m.person.name, label('DecisionRole', m.role), label('InfluenceLevel', m.influence), label('Attitude', m.attitude),
          ...['closeness', 'solution', 'price'].map((k) => (scores ? `${estimated(scores[k]) ? '≈' : ''}${scores[k].value}` : '–'))];
      }))));
  window.print();
}
