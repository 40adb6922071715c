// The top of the pipeline, for a director's Monday session: the open violations of the process
// by rule (answered or not, each a way into its deals), the gate compliance of the open deals,
// and the results of a period — won and lost, count and amount, and the win rate. Of the deals
// the API lets the signed-in person see, never more.
import { day, h, select } from './dom.js';
import { MAIN_CURRENCY, dayOf, isoDay, label, labelled, money, percent, pieces, t } from './i18n.js';

/** The periods a result is counted in, as the URL names them (``period=``; none: this quarter),
 * each the first and last day it covers (local days, as the deals' closing days are shown). */
export const PERIODS = {
  '': { text: 'periodQuarter', span: (today) => [quarterStart(today, 0), isoDay(today)] },
  'last-quarter': { text: 'periodLastQuarter', span: (today) => [quarterStart(today, -1), isoDay(new Date(Date.parse(`${quarterStart(today, 0)}T12:00:00`) - 86_400_000))] },
  '90d': { text: 'period90', span: (today) => [isoDay(new Date(today.getTime() - 89 * 86_400_000)), isoDay(today)] },
  year: { text: 'periodYear', span: (today) => [`${today.getFullYear()}-01-01`, isoDay(today)] },
};

/** The first day of the quarter ``shift`` quarters from the one ``today`` is in. */
function quarterStart(today, shift) {
  const q = today.getFullYear() * 4 + Math.floor(today.getMonth() / 3) + shift;
  return `${Math.floor(q / 4)}-${String((q % 4) * 3 + 1).padStart(2, '0')}-01`;
}

/** A deal entered already decided (history brought from another system): its stage is the one
 * it was created in, so its "closing day" is the day it was entered, not a result of that day. */
const enteredDecided = (d) => d.createdAt != null && Date.parse(d.createdAt) === Date.parse(d.stageEnteredAt);

/** The deals won and lost in the period (the day they closed, within it), and the win rate:
 * won / (won + lost) by count; null while none was decided. Abandoned deals are neither, and
 * deals entered already decided are set apart (``entered``), not counted. */
export function results(deals, period, today = new Date()) {
  const [from, to] = (PERIODS[period] ?? PERIODS['']).span(today);
  const inPeriod = deals.filter((d) => (d.stage === 'WON' || d.stage === 'LOST') && d.stageEnteredAt && dayOf(d.stageEnteredAt) >= from && dayOf(d.stageEnteredAt) <= to);
  const decidedHere = inPeriod.filter((d) => !enteredDecided(d));
  const won = decidedHere.filter((d) => d.stage === 'WON');
  const lost = decidedHere.filter((d) => d.stage === 'LOST');
  const entered = inPeriod.filter(enteredDecided);
  return { from, to, won, lost, entered, rate: won.length + lost.length ? won.length / (won.length + lost.length) : null };
}

/** Amounts per currency, the main one first: "CN¥1,000 + US$20" (a dash for none). */
function amounts(deals) {
  const totals = new Map();
  for (const d of deals) if (d.amount != null) totals.set(d.currency || MAIN_CURRENCY, (totals.get(d.currency || MAIN_CURRENCY) ?? 0) + d.amount);
  const order = ([a], [b]) => (a === MAIN_CURRENCY ? -1 : b === MAIN_CURRENCY ? 1 : a.localeCompare(b));
  return totals.size ? [...totals].sort(order).map(([c, v]) => money(v, c)).join(' + ') : '–';
}

const deals = (n) => t(n === 1 ? 'deal' : 'deals', { n });

/** The three cards; ``choice`` is the page's view (its ``violation`` filter and ``period``),
 * ``show(rule)`` filters the deals below by a rule (empty: all again), ``setPeriod`` changes
 * the results' period. */
export function overview(summary, closed, choice, show, setPeriod) {
  return h('section', { id: 'pipeline-overview', class: 'overview', 'aria-label': t('overview') },
    violationsCard(summary, choice, show), gateCard(summary), resultsCard(closed, choice, setPeriod));
}

function violationsCard(summary, choice, show) {
  const rules = summary?.violationsByRule ?? [];
  const total = rules.reduce((n, r) => n + r.count, 0);
  const concerned = new Set(rules.flatMap((r) => r.opportunityIds)).size;
  const item = (r) => {
    const open = r.count - r.responded;
    const chosen = choice.violation === r.rule;
    // the rule's name (a link to its deals) and its count on one line, as a scoreboard reads
    return h('li', { class: `rule${chosen ? ' chosen' : ''}`, dataset: { rule: r.rule } },
      h('span', { class: 'rule-head' },
        h('a', { href: `/app?violation=${encodeURIComponent(r.rule)}`, class: 'rule-link', 'aria-current': chosen ? 'true' : null,
          title: t('showConcerned', { deals: deals(r.opportunityIds.length) }),
          onclick: (e) => { e.preventDefault(); show(chosen ? '' : r.rule); } }, r.label),
        h('span', { class: 'count' }, String(r.count))),
      h('span', { class: 'split' },
        h('span', { class: `unanswered${open ? '' : ' none'}` }, t('unanswered', { n: open })), ' · ',
        h('span', { class: 'answered' }, t('answered', { n: r.responded }))));
  };
  return h('div', { class: 'card overview-card violations-card' },
    h('h2', {}, t('violationsCard')),
    total ? h('p', { class: 'big', id: 'violations-total' }, t('violationsTotal', { n: total, deals: deals(concerned) })) : null,
    total ? h('ul', { class: 'plain rules' }, rules.map(item)) : h('p', { class: 'help', id: 'no-violations' }, t('noOpenViolations')),
    choice.violation ? h('p', { class: 'help' }, h('a', { href: '/app', id: 'show-all-deals', onclick: (e) => { e.preventDefault(); show(''); } }, t('showAllDeals'))) : null);
}

function gateCard(summary) {
  const rate = summary?.gateComplianceRate ?? null;
  return h('div', { class: 'card overview-card gate-card' },
    h('h2', {}, t('gateCard')),
    h('p', { class: 'big', id: 'gate-rate' }, percent(rate)),
    h('p', { class: 'help', id: 'gate-line' }, summary?.total ? t('gateLine', { n: summary.gateCompliant, total: summary.total }) : t('noOpenDeals')));
}

function resultsCard(closed, choice, setPeriod) {
  const period = Object.hasOwn(PERIODS, choice.period) ? choice.period : '';
  const r = results(closed, period);
  const row = (stage, list) => h('tr', { class: stage.toLowerCase() },
    h('th', { scope: 'row' }, label('Stage', stage)), h('td', { class: 'num count' }, deals(list.length)), h('td', { class: 'num amount' }, amounts(list)));
  return h('div', { class: 'card overview-card results-card' },
    h('div', { class: 'card-head' }, h('h2', {}, t('resultsCard')),
      select({ id: 'results-period', name: 'period', 'aria-label': t('period'), onchange: (e) => setPeriod(e.target.value) },
        Object.entries(PERIODS).map(([key, p]) => [key, t(p.text)]), period)),
    h('p', { class: 'help', id: 'results-span' }, pieces('periodSpan', { from: day(r.from), to: day(r.to) })),
    h('table', { class: 'compact results' }, h('tbody', {}, row('WON', r.won), row('LOST', r.lost))),
    h('p', { class: 'big', id: 'win-rate' }, labelled(t('winRate'), percent(r.rate)),
      h('span', { class: 'help' }, ' ', r.rate == null ? t('noneDecided') : t('winRateWhy', { won: r.won.length, decided: r.won.length + r.lost.length }))),
    r.entered.length ? h('p', { class: 'help', id: 'results-entered' }, t('enteredDecided', { deals: deals(r.entered.length) })) : null);
}
