// The pipeline's table: every deal by stage with who runs it, its status and figures, the sums,
// and a filter bar whose choices live in the URL's query, so a link shares the view.
import { day, h, select, stacked } from './dom.js';
import { MAIN_CURRENCY, aside, dayOf, isoDay, label, labelled, listOf, memberChoice, money, nameOf, percent, t } from './i18n.js';
import { dealStatus, isAtRisk } from './status.js';
import { PERIODS, overview } from './overview.js';

/** Won, lost and abandoned deals: listed, but no longer in the pipeline's sums. */
export const CLOSED = new Set(['WON', 'LOST', 'ABANDONED']);

const currencyOf = (d) => d.currency || MAIN_CURRENCY;
const likelihood = (d) => (CLOSED.has(d.stage) ? null : d.assessment?.winLikelihood.value ?? null);

/** An open deal's amount weighted by its win likelihood (null while either is unknown). */
const weighted = (d) => (d.amount == null || likelihood(d) == null ? null : Math.round(d.amount * likelihood(d)));

/** Currencies in one order on every line: the main one first, then the others by code. */
const byCurrency = (a, b) => (a === MAIN_CURRENCY ? -1 : b === MAIN_CURRENCY ? 1 : a.localeCompare(b));

/** Sums per currency, as money: "CN¥1,000 + US$20" (a dash for none). */
function sums(deals, value) {
  const totals = new Map();
  for (const d of deals) {
    const v = value(d);
    if (v != null) totals.set(currencyOf(d), (totals.get(currencyOf(d)) ?? 0) + v);
  }
  return totals.size ? [...totals].sort(([a], [b]) => byCurrency(a, b)).map(([c, v]) => money(v, c)).join(' + ') : '–';
}

/** A count of deals in trouble, in red only when there are some. */
const riskCount = (id, key, n) => h('span', { id, class: n ? 'risk-count' : 'risk-count none' }, t(key, { n }));

/** An open deal whose expected close date has passed: its account manager must update the date
 * or the deal. */
const slipped = (d) => !CLOSED.has(d.stage) && d.expectedCloseDate != null && d.expectedCloseDate < isoDay(new Date());
/** What a director asks first: an open deal the API judges at risk (a slip alone needs
 * attention; it is counted on its own). */
const atRisk = (d) => !CLOSED.has(d.stage) && isAtRisk(d);
/** Who runs the deal: its account managers. */
const owners = (d) => (d.team ?? []).filter((a) => a.role === 'ACCOUNT_MANAGER').map((a) => a.member);
/** The day a closed deal closed (it entered its closed stage), else its expected close. */
const closeDay = (d) => (CLOSED.has(d.stage) ? (d.stageEnteredAt ? dayOf(d.stageEnteredAt) : null) : d.expectedCloseDate);

/** Orders within a stage: each sort's value of a deal and the direction it starts in (dates
 * soonest first, figures largest first). Amounts of different currencies are not compared (no
 * exchange rate): the main currency's deals come first either way. */
const SORTS = {
  close: { value: closeDay, dir: 'asc', text: 'sortClose' },
  amount: { value: (d) => d.amount, dir: 'desc', perCurrency: true, text: 'sortAmount' },
  weighted: { value: weighted, dir: 'desc', perCurrency: true, text: 'sortWeighted' },
  likelihood: { value: likelihood, dir: 'desc', text: 'sortLikelihood' },
};
/** A sort as the filter bar names it, in the direction it runs (turned round: ``…Rev``). */
const sortText = (key, dir) => t(`${SORTS[key].text}${dir && dir !== SORTS[key].dir ? 'Rev' : ''}`);
/** The sort choices, the chosen one named in the direction it runs. */
const sortOptions = (choice) => Object.keys(SORTS).map((key) => [key === 'close' ? '' : key,
  sortText(key, key === (choice.sort || 'close') ? directionOf(choice) : null)]);
/** A deal with no value for the sort (no amount, no date) is listed last in both directions. */
const unknownLast = (a, b, sign) => (a == null || b == null ? (a == null) - (b == null) : sign * (a < b ? -1 : a > b ? 1 : 0));
function sorter(key, dir) {
  const { value, perCurrency } = SORTS[key];
  const sign = dir === 'asc' ? 1 : -1;
  return (x, y) => (perCurrency ? byCurrency(currencyOf(x), currencyOf(y)) : 0) || unknownLast(value(x), value(y), sign);
}
const byClose = sorter('close', 'asc');
/** The direction a sort is shown in: the one the view asks for, else its own. */
const directionOf = (choice) => choice.dir || SORTS[choice.sort || 'close'].dir;

/** The view's choices, as the URL's query names them (``/app?owner=…&risk=1&sort=amount``);
 * ``dir`` only when a sort runs against its own direction (``sort=amount&dir=asc``);
 * ``violation`` a rule whose open violations the deals shown have, ``period`` the results'. */
const KEYS = ['owner', 'customer', 'stage', 'grade', 'risk', 'violation', 'sort', 'dir', 'period'];
const readQuery = () => { const q = new URLSearchParams(location.search); return Object.fromEntries(KEYS.map((k) => [k, q.get(k) ?? ''])); };
function writeQuery(choice) {
  const q = new URLSearchParams(KEYS.filter((k) => choice[k]).map((k) => [k, choice[k]]));
  history.replaceState(history.state, '', `${location.pathname}${q.toString() ? `?${q}` : ''}`);
}

function matches(d, c, summary) {
  const ids = owners(d).map((m) => m.id);
  return (!c.owner || (c.owner === 'none' ? !ids.length : ids.includes(c.owner)))
    && (!c.customer || d.customer?.id === c.customer) && (!c.stage || d.stage === c.stage)
    && (!c.grade || d.grade === c.grade) && (!c.risk || atRisk(d))
    && (!c.violation || Boolean(ruleOf(summary, c.violation)?.opportunityIds.includes(d.id)));
}

/** The open violations of one rule, as the pipeline's summary counts them. */
const ruleOf = (summary, rule) => (summary?.violationsByRule ?? []).find((r) => r.rule === rule);

/** [value, text] pairs of the things the deals name, once each, by their text. */
function choices(items) {
  return [...new Map(items.filter(Boolean).map(({ id, name }) => [id, name]))].sort((a, b) => a[1].localeCompare(b[1]));
}

/** The account managers the deals name, each with how many of them they run, by name; and the
 * one the URL names with 0 when none of these deals is theirs (``people``: our team, for their
 * name): a shared link keeps its filter. A name with no deal here is not offered (a director
 * is not told who is whose). */
function ownerChoices(deals, choice, people) {
  const counts = new Map();
  for (const m of deals.flatMap(owners)) counts.set(m.id, (counts.get(m.id) ?? 0) + 1);
  const all = deals.flatMap(owners);
  const named = [...new Map(all.map((m) => [m.id, memberChoice(m, all)]))]; // namesakes told apart by their title
  const absent = choice.owner && choice.owner !== 'none' && !counts.has(choice.owner) ? people.find((p) => p.id === choice.owner) : null;
  if (absent) named.push([absent.id, memberChoice(absent, people)]);
  const unrun = deals.filter((d) => !owners(d).length).length;
  return [...named.sort((a, b) => a[1].localeCompare(b[1])).map(([id, name]) => [id, `${name}${aside(String(counts.get(id) ?? 0))}`]),
    ...(unrun ? [['none', `${t('noAccountManager')}${aside(String(unrun))}`]] : [])];
}

/** Whether the URL names an account manager who runs none of ``deals``: their name is then
 * read from our team (only then: a load asks for the deals alone). */
export function ownerOutside(deals) {
  const owner = new URLSearchParams(location.search).get('owner');
  return Boolean(owner) && owner !== 'none' && !deals.flatMap(owners).some((m) => m.id === owner);
}

/** The overview (``summary``: the API's pipeline), the filter bar and the table below it; a
 * change redraws the table and keeps the URL. */
export function pipelineView(deals, people = [], summary = null) {
  const choice = readQuery();
  if (!Object.hasOwn(PERIODS, choice.period)) choice.period = '';
  const view = h('div', { id: 'pipeline-view' });
  const body = h('div', { id: 'pipeline-body' });
  const top = h('div', { id: 'pipeline-top' });
  const closed = deals.filter((d) => CLOSED.has(d.stage));
  // a rule picked in the overview filters the deals below, in the filter bar too
  const show = (rule) => {
    choice.violation = rule;
    const picker = view.querySelector('#filter-violation');
    if (picker) picker.value = rule;
    redraw();
    if (rule) body.scrollIntoView({ block: 'start' });
  };
  const setPeriod = (period) => { choice.period = period; redraw(); view.querySelector('#results-period')?.focus(); };
  const redraw = () => {
    writeQuery(choice); nameSort(view, choice); nameFold(view, choice);
    top.replaceChildren(overview(summary, closed, choice, show, setPeriod));
    body.replaceChildren(...pipelineBody(deals, choice, resort, summary));
  };
  // the sorted column clicked again turns the order round; another column starts in its own;
  // the button clicked (in its stage's table) keeps the focus
  const resort = (key, stage) => {
    const dir = (choice.sort || 'close') === key && !choice.dir ? (SORTS[key].dir === 'asc' ? 'desc' : 'asc') : '';
    Object.assign(choice, { sort: key === 'close' ? '' : key, dir });
    redraw();
    body.querySelector(`section[aria-labelledby="stage-${stage}"] th.c-${key} button.sort`)?.focus();
  };
  const clear = () => { KEYS.forEach((k) => { if (k !== 'period') choice[k] = ''; }); build(); };
  const build = () => { view.replaceChildren(top, filterFold(), filterBar(deals, choice, people, redraw, clear, summary), body); redraw(); };
  build();
  return view;
}

/** The sort picker shows the sort chosen, named in the direction it runs. */
function nameSort(view, choice) {
  const picker = view.querySelector('#filter-sort');
  if (!picker) return;
  sortOptions(choice).forEach(([, text], i) => { picker.options[i].textContent = text; });
  picker.value = choice.sort;
}

/** The filters a person has chosen (the sort is no filter). */
const FILTERS = ['owner', 'customer', 'stage', 'grade', 'risk', 'violation'];

/** On a phone the filter bar would fill the first screen before any deal: it folds behind a
 * button (wider screens never show the button, and always the bar). */
function filterFold() {
  const button = h('button', { type: 'button', id: 'filters-toggle', class: 'filters-toggle', 'aria-controls': 'pipeline-filters', 'aria-expanded': 'false', onclick: () => {
    const open = document.getElementById('pipeline-filters').classList.toggle('open');
    button.setAttribute('aria-expanded', String(open));
  } });
  return button;
}

/** The fold's button says how many filters are on, so a folded bar hides no choice. */
function nameFold(view, choice) {
  const button = view.querySelector('#filters-toggle');
  const on = FILTERS.filter((k) => choice[k]).length;
  if (button) button.textContent = on ? t('filtersOn', { n: on }) : t('filters');
}

function filterBar(deals, choice, people, redraw, clear, summary) {
  const pick = (key, text, options) => {
    if (!options.some(([v]) => v === choice[key])) choice[key] = ''; // a link naming what is gone
    return h('label', { class: 'filter' }, text,
      select({ id: `filter-${key}`, name: key, onchange: (e) => { choice[key] = e.target.value; if (key === 'sort') choice.dir = ''; redraw(); } }, options, choice[key]));
  };
  const all = ['', t('all')];
  const risk = h('input', { type: 'checkbox', id: 'filter-risk', name: 'risk', checked: choice.risk === '1',
    onchange: (e) => { choice.risk = e.target.checked ? '1' : ''; redraw(); } });
  choice.risk = choice.risk === '1' ? '1' : '';
  keepDirection(choice);
  const sort = pick('sort', t('sortBy'), sortOptions(choice));
  return h('form', { id: 'pipeline-filters', class: 'filters', role: 'search', 'aria-label': t('filterPipeline'), onsubmit: (e) => e.preventDefault() },
    pick('owner', label('TeamRole', 'ACCOUNT_MANAGER'), [all, ...ownerChoices(deals, choice, people)]),
    pick('customer', t('customer'), [all, ...choices(deals.map((d) => d.customer))]),
    pick('stage', t('stage'), [all, ...[...new Set(deals.map((d) => d.stage))].map((s) => [s, label('Stage', s)])]),
    pick('grade', t('grade'), [all, ...[...new Set(deals.map((d) => d.grade))].sort().map((g) => [g, g])]),
    h('label', { class: 'filter risk' }, risk, t('atRiskOnly')),
    pick('violation', t('filterViolation'), [all, ...(summary?.violationsByRule ?? []).map((r) => [r.rule, `${r.label}${aside(String(r.opportunityIds.length))}`])]),
    sort,
    h('button', { type: 'button', id: 'filter-clear', onclick: clear }, t('clearFilters')));
}

/** A link's direction stands when it turns its sort round; else the sort's own is used. */
function keepDirection(choice) {
  if (!Object.hasOwn(SORTS, choice.sort) || choice.sort === 'close') choice.sort = ''; // a link naming no sort
  if (!['asc', 'desc'].includes(choice.dir) || choice.dir === SORTS[choice.sort || 'close'].dir) choice.dir = '';
}

function pipelineBody(deals, choice, resort, summary) {
  const shown = deals.filter((d) => matches(d, choice, summary));
  const ours = [...new Map(deals.flatMap(owners).map((m) => [m.id, m])).values()]; // whose namesakes are told apart
  const open = shown.filter((d) => !CLOSED.has(d.stage));
  const stages = [...new Set(shown.map((d) => d.stage))];
  const totals = h('p', { id: 'pipeline-sums' },
    t('pipelineSums', { deals: t(open.length === 1 ? 'deal' : 'deals', { n: open.length }), amount: sums(open, (d) => d.amount), weighted: sums(open, weighted) }),
    ' · ', riskCount('count-risk', 'atRiskCount', open.filter(atRisk).length),
    ' · ', riskCount('count-slipped', 'slippedCount', open.filter(slipped).length));
  const jump = h('nav', { id: 'stage-jump', 'aria-label': t('stagesNav') }, stages.map((s) => h('a', {
    href: `#stage-${s}`, onclick: (e) => { e.preventDefault(); document.getElementById(`stage-${s}`)?.scrollIntoView(); },
  }, `${label('Stage', s)}${aside(String(shown.filter((d) => d.stage === s).length))}`)));
  return [
    totals,
    shown.length < deals.length ? h('p', { id: 'pipeline-shown', class: 'help' }, t('showingOf', { n: shown.length, total: deals.length })) : null,
    shown.length ? jump : h('p', { id: 'no-matching-deals' }, t('noMatchingDeals')),
    ...stages.map((s) => stageSection(s, shown.filter((d) => d.stage === s), choice.sort || 'close', directionOf(choice), resort, ours)),
  ].filter(Boolean);
}

function stageSection(stage, deals, sort, dir, resort, ours) {
  const closed = CLOSED.has(stage);
  const order = sorter(sort, dir);
  const rows = [...deals].sort((x, y) => order(x, y) || byClose(x, y) || x.name.localeCompare(y.name));
  const columns = [['name', t('opportunity')], ['customer', t('customer')], ['owner', label('TeamRole', 'ACCOUNT_MANAGER')],
    ['grade', t('grade')], ['status', t('statusColumn')], ['amount', t('amount')], ['likelihood', t('likelihood')],
    ['weighted', t('weighted')], ['close', closed ? t('closedOn') : t('expectedClose')], ['flags', t('redFlags')]];
  const numeric = new Set(['amount', 'likelihood', 'weighted', 'close', 'flags']);
  const head = ([key, text]) => h('th', { scope: 'col', class: `c-${key}${numeric.has(key) ? ' num' : ''}`, 'aria-sort': key === sort ? (dir === 'asc' ? 'ascending' : 'descending') : null },
    key in SORTS ? sortButton(key, text, key === sort ? dir : null, () => resort(key, stage)) : text);
  return h('section', { class: 'stage', 'aria-labelledby': `stage-${stage}` },
    h('h2', { id: `stage-${stage}` }, `${label('Stage', stage)} · ${t(rows.length === 1 ? 'deal' : 'deals', { n: rows.length })}`),
    h('p', { class: 'stage-sums' }, closed ? t('stageAmount', { amount: sums(rows, (d) => d.amount) })
      : t('stageSums', { amount: sums(rows, (d) => d.amount), weighted: sums(rows, weighted) })),
    h('table', { class: 'pipeline stacked' }, h('thead', {}, h('tr', {}, columns.map(head))),
      h('tbody', {}, rows.map((d) => dealRow(d, columns.map(([, text]) => text), ours)))));
}

/** A sortable column's heading: a button that sorts by it, or turns the order round when it is
 * the sorted one; that one shows its direction as an arrow, and says it in words to whoever
 * cannot see the arrow (dates earliest or latest first, figures highest or lowest first). */
function sortButton(key, text, dir, resort) {
  const words = dir && t(`sort_${key === 'close' ? 'date' : 'figure'}_${dir}`);
  return h('button', { type: 'button', class: 'sort', dataset: { sort: key, dir }, 'aria-label': dir ? labelled(text, words) : null,
    title: dir ? t('sortReverse') : null, onclick: resort }, text,
  dir ? h('span', { class: 'sort-arrow', 'aria-hidden': 'true' }, dir === 'asc' ? ' ▲' : ' ▼') : null);
}

/** Why a deal that is not on track is so, under its name: its worst reason, and how many more,
 * which open below it (a tooltip reaches no tablet or projector), so a director scanning the
 * pipeline reads the why without opening the deal, on a phone too. */
function dealWhy(status) {
  if (!status || status.status === 'ON_TRACK') return null;
  const [worst, ...rest] = status.reasons;
  if (!rest.length) return h('span', { class: `deal-why ${worst.colour}` }, worst.text);
  const others = h('ul', { class: 'deal-why-more', hidden: true }, rest.map((r) => h('li', { class: `deal-why-reason ${r.colour}` }, r.text)));
  const toggle = (event) => {
    others.hidden = !others.hidden;
    event.currentTarget.setAttribute('aria-expanded', String(!others.hidden));
  };
  const more = t('moreReasonsShort', { n: rest.length }); // its space (English) outside the button
  return [h('span', { class: `deal-why ${worst.colour}`, title: status.text }, worst.text, more.match(/^\s*/)[0],
    h('button', { type: 'button', class: 'more link', 'aria-expanded': 'false', onclick: toggle }, more.trim())), others];
}

/** One deal's row; a closed deal's chances and warnings are history: shown as none. An account
 * manager who shares a name with another of ``ours`` (those of the deals listed) is told apart. */
function dealRow(d, heads, ours = []) {
  const closed = CLOSED.has(d.stage);
  const status = closed ? null : dealStatus(d);
  const late = slipped(d);
  const names = owners(d).map((m) => nameOf(m, ours));
  const cells = [
    h('td', { class: 'name' }, h('a', { href: `/app/opportunities/${encodeURIComponent(d.id)}`, 'data-link': true }, d.name), dealWhy(status)),
    h('td', { class: 'customer' }, d.customer?.name ?? '–'),
    h('td', { class: 'owner' }, names.length ? listOf(names) : '–'),
    h('td', { class: 'grade' }, d.grade),
    h('td', { class: 'status-cell' }, status ? h('span', { class: `status pill ${status.colour}`, title: status.text }, status.name) : '–'),
    h('td', { class: 'num amount' }, money(d.amount, d.currency)),
    h('td', { class: 'num likelihood' }, percent(likelihood(d))),
    h('td', { class: 'num weighted' }, money(weighted(d), d.currency)),
    h('td', { class: `num close${late ? ' slipped' : ''}` }, day(closeDay(d) ?? '–'),
      late ? h('span', { class: 'slipped-tag', title: t('slippedWhy') }, t('slipped')) : null),
    h('td', { class: 'num flags' }, closed ? '–' : String(d.analysis?.redFlags?.length ?? 0))];
  return h('tr', { class: `deal${late ? ' slipped' : ''}${status ? ` ${status.colour}` : ''}` }, stacked(cells, heads));
}
