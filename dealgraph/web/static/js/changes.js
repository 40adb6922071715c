// "What changed": the diff of the decision chain over a period (since a date, or between two
// stage gates the deal has passed), its likelihood trend as a small SVG chart, and the marks
// it puts on the map (new, warmer, cooled) — so a strategy session can start from it.
import { ApiError, gql } from './api.js';
import { day, h, select } from './dom.js';
import { aside, asideOf, clauses, dayOf, isoDay, label, labelled, percent, t, toTenth } from './i18n.js';

const FIELDS = `from to changes { kind person { id name } before after text at }
  questions { question before after } winLikelihoodBefore winLikelihoodAfter
  movers { at delta changes { kind text } }`;
const SINCE = `query Since($id: ID!, $from: DateTime!) { node(id: $id) { ... on Opportunity { changes(from: $from) { ${FIELDS} } } } }`;
const GATES = `query Gates($id: ID!, $from: Stage!, $to: Stage!) { node(id: $id) { ... on Opportunity { changesBetweenStages(from: $from, to: $to) { ${FIELDS} } } } }`;
const TREND = `query Trend($id: ID!, $from: DateTime, $to: DateTime) { node(id: $id) { ... on Opportunity { likelihoodHistory(from: $from, to: $to) { at winLikelihood stageTransition stage } } } }`;

const QUESTION_KEYS = { is_real: 'isReal', can_compete: 'canCompete', can_win: 'canWin', worth_it: 'worthIt' };
// the process first: the stage's change, then who asked for, decided, reviewed, submitted,
// reset and moved what, in time order, each with its day
const GROUPS = [
  ['changesProcess', ['STAGE_CHANGED', 'STAGE_MOVED', 'APPROVAL_REQUESTED', 'APPROVAL_DECIDED', 'DELIVERY_REVIEWED', 'QUOTE_SUBMITTED', 'QUOTE_RESET']],
  ['changesPeople', ['PERSON_LEFT', 'MEMBER_ADDED', 'MEMBER_REMOVED', 'ROLE_CHANGED', 'INFLUENCE_CHANGED', 'MEMBER_DETAILS_CHANGED', 'PERSON_CHANGED']],
  ['changesAttitudes', ['ATTITUDE_CHANGED']],
  ['changesTies', ['CLOSENESS_CHANGED', 'TIE_ADDED', 'TIE_CHANGED', 'TIE_REMOVED', 'RIVAL_TIE_ADDED', 'RIVAL_TIE_CHANGED', 'RIVAL_TIE_REMOVED', 'LINK_ADDED', 'LINK_REMOVED']],
  ['changesFlags', ['RED_FLAG_RAISED', 'RED_FLAG_RESOLVED']],
  ['changesOther', ['DEAL_CHANGED', 'TEAM_JOINED', 'TEAM_LEFT', 'COMPETITOR_ADDED', 'COMPETITOR_REMOVED', 'COMPETITOR_CHANGED', 'ACTIVITY_LOGGED', 'ACTIVITY_UPDATED']],
];
const ATTITUDES = ['OPPONENT', 'SKEPTIC', 'NEUTRAL', 'SUPPORTER', 'CHAMPION'];
const LEVELS = ['WEAK', 'MODERATE', 'STRONG', 'VERY_STRONG'];
const DAY = 86_400_000;

const escape = (s) => String(s).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);
// percentage points with one decimal (two below 0.1): a step of 0.03 points is not "0"
const points = (delta) => {
  const size = Math.abs(delta * 100);
  return `${delta >= 0 ? '+' : '−'}${size.toFixed(size > 0 && size < 0.1 ? 2 : 1)}`;
};

/** +1 where a change brought the person closer to us, −1 where it cooled, 0 otherwise. */
function warmth(change) {
  const rank = (list, value) => list.indexOf(value);
  switch (change.kind) {
    case 'ATTITUDE_CHANGED': return Math.sign(rank(ATTITUDES, change.after) - rank(ATTITUDES, change.before));
    case 'CLOSENESS_CHANGED': return Math.sign(Number(change.after) - Number(change.before));
    case 'TIE_CHANGED': return Math.sign(rank(LEVELS, change.after) - rank(LEVELS, change.before));
    case 'RIVAL_TIE_CHANGED': return -Math.sign(rank(LEVELS, change.after) - rank(LEVELS, change.before));
    case 'TIE_ADDED': case 'RIVAL_TIE_REMOVED': return 1;
    case 'TIE_REMOVED': case 'RIVAL_TIE_ADDED': return -1;
    case 'PERSON_LEFT': return change.after ? -1 : 1; // gone from the customer, or back
    default: return 0;
  }
}

/** The mark of each changed person still on the map: added, warmer, cooled or changed. */
export function marksOf(result) {
  const net = new Map();
  const added = new Set();
  for (const c of result.changes) {
    const id = c.person?.id;
    if (!id) continue;
    if (c.kind === 'MEMBER_ADDED') added.add(id);
    net.set(id, (net.get(id) ?? 0) + warmth(c));
  }
  const marks = new Map();
  for (const [id, sum] of net) marks.set(id, added.has(id) ? 'added' : sum > 0 ? 'warmer' : sum < 0 ? 'cooler' : 'changed');
  return marks;
}

/** The small likelihood chart: a line over the period, dots where the stage moved. */
function trendChart(series, from, to) {
  const [w, hgt, pad, left, bottom] = [300, 96, 8, 30, 20];
  const start = Date.parse(from);
  const span = Math.max(1, Date.parse(to) - start);
  // the vertical scale fits the values (in steps of 10 %) so that small moves show
  const values = series.map((p) => p.winLikelihood);
  let lo = Math.floor(Math.min(...values) * 10) / 10;
  let hi = Math.ceil(Math.max(...values) * 10) / 10;
  if (hi - lo < 0.1) { if (hi < 1) hi = Math.min(1, lo + 0.1); else lo = hi - 0.1; }
  const x = (at) => left + ((Date.parse(at) - start) / span) * (w - left - pad);
  const y = (p) => hgt - bottom - ((p - lo) / (hi - lo)) * (hgt - bottom - pad);
  // a step line: the likelihood holds from one change to the next
  const path = series.map((p, i) => `${i ? `L${x(p.at).toFixed(1)},${y(series[i - 1].winLikelihood).toFixed(1)} ` : 'M'}${x(p.at).toFixed(1)},${y(p.winLikelihood).toFixed(1)}`).join(' ');
  const last = series.at(-1);
  const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  svg.setAttribute('viewBox', `0 0 ${w} ${hgt}`);
  svg.setAttribute('role', 'img');
  svg.setAttribute('class', 'trend');
  svg.setAttribute('aria-label', t('changesTrendLabel', { from: percent(series[0]?.winLikelihood), to: percent(last?.winLikelihood), n: series.length }));
  const grid = [lo, (lo + hi) / 2, hi].map((p) => `<line x1="${left}" x2="${w - pad}" y1="${y(p)}" y2="${y(p)}" class="grid"/><text x="${left - 3}" y="${y(p) + 3}" class="axis">${percent(p)}</text>`).join('');
  const gates = series.filter((p) => p.stageTransition).map((p) => `<line x1="${x(p.at)}" x2="${x(p.at)}" y1="${pad}" y2="${hgt - bottom}" class="gate"><title>${escape(label('Stage', p.stage))}</title></line>`).join('');
  const dots = series.map((p) => `<circle cx="${x(p.at)}" cy="${y(p.winLikelihood)}" r="${p.stageTransition ? 3 : 1.6}"${p.stageTransition ? ' class="gate-dot"' : ''}/>`).join('');
  const end = last ? `<line x1="${x(last.at)}" x2="${w - pad}" y1="${y(last.winLikelihood)}" y2="${y(last.winLikelihood)}" class="line"/>` : '';
  // only numbers and the vocabulary's stage labels (escaped) go into the markup
  const dates = `<text x="${left}" y="${hgt - 6}" class="axis start">${escape(dayOf(from))}</text><text x="${w - pad}" y="${hgt - 6}" class="axis">${escape(dayOf(to))}</text>`;
  svg.innerHTML = `${grid}${gates}<path d="${path}" class="line"/>${end}${dots}${dates}`;
  return svg;
}

function changeList(result) {
  const sections = GROUPS.map(([title, kinds]) => {
    const found = result.changes.filter((c) => kinds.includes(c.kind));
    if (!found.length) return null;
    return h('section', { class: 'change-group', dataset: { group: title } }, h('h4', {}, t(title)),
      h('ul', {}, found.map((c) => h('li', { class: `change ${c.kind.toLowerCase().replaceAll('_', '-')}`, dataset: { kind: c.kind } },
        c.at ? [day(dayOf(c.at)), ' · ', c.text] : c.text))));
  });
  return sections.some(Boolean) ? sections : h('p', { class: 'help', id: 'changes-none' }, t('changesNone'));
}

function resultView(result, series, period) {
  const [before, after] = [result.winLikelihoodBefore, result.winLikelihoodAfter].map(toTenth);
  const delta = after - before;
  return h('div', { id: 'changes-result-body' },
    h('p', { class: 'changes-period' }, period),
    h('p', { id: 'changes-likelihood' }, labelled(t('likelihood'), `${percent(before, 1)} → `), h('strong', {}, percent(after, 1)),
      h('span', { class: `delta ${delta > 0 ? 'up' : delta < 0 ? 'down' : ''}` }, aside(t('points', { d: points(delta) })))),
    series.length ? trendChart(series, result.from, result.to) : null,
    h('table', { id: 'changes-questions', class: 'compact' }, result.questions.map((q) => h('tr', {},
      h('th', { scope: 'row' }, t(QUESTION_KEYS[q.question] ?? q.question)),
      h('td', { class: 'num' }, `${q.before} → ${q.after}`),
      h('td', { class: `num delta ${q.after > q.before ? 'up' : q.after < q.before ? 'down' : ''}` }, q.after === q.before ? '' : `${q.after > q.before ? '+' : '−'}${Math.abs(q.after - q.before)}`)))),
    result.movers.length ? h('section', { id: 'changes-movers' }, h('h4', {}, t('changesMovers')),
      h('ol', {}, result.movers.map((m) => h('li', {}, h('span', { class: `delta ${m.delta > 0 ? 'up' : 'down'}` }, t('points', { d: points(m.delta) })), ' · ', day(dayOf(m.at)), ' · ',
        clauses(m.changes.map((c) => c.text)))))) : null,
    changeList(result));
}

/**
 * The "What changed" card. `opp` needs `id` and `stageHistory { toStage at }`; `onMarks` gets
 * the map marks of each shown result (an empty Map when cleared). `remembered` is the period
 * last asked, kept by the page across reloads.
 */
export function changesCard(opp, onMarks, remembered) {
  const gates = [['VALIDATE', null], ...opp.stageHistory.map((s) => [s.toStage, s.at])];
  const entered = [...new Map(gates.map(([stage, at]) => [stage, at])).entries()];
  const gateOptions = entered.map(([stage, at]) => [stage, at ? `${label('Stage', stage)}${aside(dayOf(at))}` : label('Stage', stage)]);
  const monthAgo = isoDay(new Date(Date.now() - 30 * DAY));
  const asked = remembered ?? { mode: 'since', since: monthAgo };
  const since = h('input', { type: 'date', id: 'changes-since', value: asked.since ?? monthAgo, 'aria-label': t('changesSince') });
  const fromGate = select({ id: 'changes-from-stage', 'aria-label': t('changesFromGate') }, gateOptions, asked.from ?? entered.at(-2)?.[0]);
  const toGate = select({ id: 'changes-to-stage', 'aria-label': t('changesToGate') }, gateOptions, asked.to ?? entered.at(-1)?.[0]);
  const enoughGates = entered.length >= 2;
  const modeSince = h('input', { type: 'radio', name: 'changes-mode', id: 'changes-mode-since', value: 'since', checked: asked.mode !== 'stages' || !enoughGates });
  const modeStages = h('input', { type: 'radio', name: 'changes-mode', id: 'changes-mode-stages', value: 'stages', checked: asked.mode === 'stages' && enoughGates, disabled: !enoughGates });
  const body = h('div', { id: 'changes-result', 'aria-live': 'polite' });
  const button = h('button', { type: 'submit', id: 'changes-show' }, t('changesShow'));

  async function show() {
    const query = modeStages.checked ? { mode: 'stages', from: fromGate.value, to: toGate.value } : { mode: 'since', since: since.value };
    button.disabled = true;
    body.replaceChildren(h('p', { class: 'loading' }, t('changesLoading')));
    try {
      let result;
      let period;
      if (query.mode === 'stages') {
        result = (await gql(GATES, { id: opp.id, from: query.from, to: query.to })).node.changesBetweenStages;
        period = [`${label('Stage', query.from)} → ${label('Stage', query.to)}`, asideOf(day(dayOf(result.from)), ' – ', day(dayOf(result.to)))];
      } else {
        result = (await gql(SINCE, { id: opp.id, from: new Date(`${query.since}T00:00:00`).toISOString() })).node.changes;
        period = [day(dayOf(result.from)), ` → ${t('changesNow')}`];
      }
      const series = (await gql(TREND, { id: opp.id, from: result.from, to: result.to })).node.likelihoodHistory;
      body.replaceChildren(resultView(result, series, period));
      onMarks(marksOf(result), query);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      body.replaceChildren(h('p', { class: 'banner error', role: 'alert', id: 'changes-error' }, error.message));
      onMarks(new Map(), null);
    } finally { button.disabled = false; }
  }

  const form = h('form', { id: 'changes', class: 'card changes', 'aria-labelledby': 'changes-title', onsubmit: (event) => { event.preventDefault(); show(); } },
    h('h2', { id: 'changes-title' }, t('changesTitle')),
    h('div', { class: 'row' }, modeSince, h('label', { for: 'changes-mode-since' }, t('changesSince')), since),
    h('div', { class: 'row' }, modeStages, h('label', { for: 'changes-mode-stages' }, t('changesBetween')),
      enoughGates ? null : h('span', { class: 'help' }, aside(t('changesNoGates')))),
    enoughGates ? h('div', { class: 'gates' }, h('label', { for: 'changes-from-stage' }, t('changesFromGate')), fromGate,
      h('label', { for: 'changes-to-stage' }, t('changesToGate')), toGate) : null,
    button, body);
  since.addEventListener('focus', () => { modeSince.checked = true; });
  fromGate.addEventListener('change', () => { modeStages.checked = true; });
  toGate.addEventListener('change', () => { modeStages.checked = true; });
  if (remembered) queueMicrotask(show);
  return form;
}
