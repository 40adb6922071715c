// What the team did: the activities of the deals the user may see over a period, newest first,
// a page at a time, with how many each of our people logged (a director's weekly look).
import { gql, me, teamMembers } from './api.js';
import { field, h, loading, select, stacked } from './dom.js';
import { aside, dateTime, isoDay, label, listOf, memberChoice, nameOf, t, weekStart } from './i18n.js';
import { here } from './nav.js';

const PAGE = 50;
const ACTIVITIES = `query TeamActivity($f: ActivityFilter, $after: String) {
  activities(filter: $f, first: ${PAGE}, after: $after) { totalCount pageInfo { hasNextPage endCursor } nodes {
    id type occurredAt outcome summary persons { name } doneBy { id name } opportunity { id name customer { name } } } } }`;
const PERIODS = [['7d', 'period7'], ['week', 'periodWeek'], ['lastweek', 'periodLastWeek'], ['30d', 'period30']];
const DEFAULT_PERIOD = '7d'; // a week's worth on any day: on a Monday morning this week is still empty
const DAY_MS = 86_400_000;

/** The period and member the address keeps (``?period=lastweek&member=<id>``); the last 7 days
 * and everyone by default. */
function choiceOf() {
  const q = new URLSearchParams(location.search);
  const period = PERIODS.some(([key]) => key === q.get('period')) ? q.get('period') : DEFAULT_PERIOD;
  return { period, member: q.get('member') };
}

/** The address of a choice (the defaults left out). */
function activityHref({ period, member }) {
  const q = new URLSearchParams();
  if (period !== DEFAULT_PERIOD) q.set('period', period);
  if (member) q.set('member', member);
  return q.size ? `/app/activity?${q}` : '/app/activity';
}

/** A period's instants: the last 7 days, this week from Monday (local), last week Monday to
 * Monday, or the last 30 days; none ends after now (a planned activity is not done yet). */
export function periodOf(key, now = new Date()) {
  const monday = weekStart(now);
  if (key === 'lastweek') return { from: new Date(monday.getTime() - 7 * DAY_MS), to: monday };
  if (key === '30d') return { from: new Date(now.getTime() - 30 * DAY_MS), to: now };
  if (key === '7d') return { from: new Date(now.getTime() - 7 * DAY_MS), to: now };
  return { from: monday, to: now };
}

/** How many activities each of our people took part in over the period, and in all: one
 * request of counts (``totalCount`` of an empty page each), no activity read. */
async function countsOf(range, people) {
  const filter = (member) => ({ occurredFrom: range.from.toISOString(), occurredTo: range.to.toISOString(), teamMemberId: member });
  const vars = ['$all: ActivityFilter', ...people.map((_, i) => `$m${i}: ActivityFilter`)].join(', ');
  const fields = ['all: activities(filter: $all, first: 0) { totalCount }',
    ...people.map((_, i) => `m${i}: activities(filter: $m${i}, first: 0) { totalCount }`)].join(' ');
  const variables = Object.fromEntries([['all', filter(null)], ...people.map((p, i) => [`m${i}`, filter(p.id)])]);
  const data = await gql(`query ActivityCounts(${vars}) { ${fields} }`, variables);
  return { all: data.all.totalCount, members: people.map((p, i) => ({ ...p, n: data[`m${i}`].totalCount })) };
}

/** The page. */
export async function showActivity(main) {
  const current = here();
  main.replaceChildren(loading());
  await me();
  const choice = choiceOf();
  const range = periodOf(choice.period);
  const people = await teamMembers();
  const filter = { occurredFrom: range.from.toISOString(), occurredTo: range.to.toISOString(), teamMemberId: choice.member };
  const [first, counts] = await Promise.all([gql(ACTIVITIES, { f: filter }), countsOf(range, people)]);
  if (!current()) return; // the person went elsewhere meanwhile
  const go = (change) => { history.pushState(null, '', activityHref({ ...choice, ...change })); showActivity(main); };
  const last = choice.period === 'lastweek' ? new Date(range.to.getTime() - DAY_MS) : range.to;
  const total = first.activities.totalCount;
  const heads = [t('when'), t('type'), t('outcome'), t('ours'), t('with'), t('opportunity'), t('summary')];
  const body = h('tbody', {}, first.activities.nodes.map((a) => activityRow(a, heads, people)));
  main.replaceChildren(h('h1', {}, t('teamActivity')),
    h('nav', { id: 'activity-periods', class: 'periods', 'aria-label': t('period') }, PERIODS.map(([key, text]) =>
      h('a', { href: activityHref({ ...choice, period: key }), 'data-link': true, dataset: { period: key }, 'aria-current': key === choice.period ? 'page' : null }, t(text)))),
    h('div', { class: 'filters' }, field('member', t('teamMember'), select({ id: 'activity-member', onchange: (e) => go({ member: e.target.value || null }) },
      memberChoices(counts, choice), choice.member ?? ''))),
    perMember(counts, choice),
    h('p', { id: 'activity-summary' }, t(total === 1 ? 'activityCountOne' : 'activityCount', { n: total, from: isoDay(range.from), to: isoDay(last) })),
    total ? h('table', { id: 'activities', class: 'stacked' }, h('thead', {}, h('tr', {}, heads.map((c) => h('th', { scope: 'col' }, c)))), body)
      : h('p', { id: 'no-activities' }, t('noActivities')),
    ...[moreButton(first.activities, body, filter, heads, people)].filter(Boolean)); // replaceChildren writes a null as "null"
}

/** The member filter's options: everyone, and those of ours who took part in something over the
 * period, each with their count, by name; the one the address names stays offered with 0 (a
 * shared link keeps its filter), so nobody with nothing here is offered. */
function memberChoices(counts, choice) {
  const offered = counts.members.filter((m) => m.n > 0 || m.id === choice.member).sort((x, y) => x.name.localeCompare(y.name));
  return [['', `${t('everyone')}${aside(String(counts.all))}`], ...offered.map((m) => [m.id, `${memberChoice(m, counts.members)}${aside(String(m.n))}`])];
}

/** Everyone's count and each person's (those with none left out), each a link to their list. */
function perMember(counts, choice) {
  const entry = (member, name, n) => h('span', { class: 'member-count', dataset: { id: member ?? '' } },
    h('a', { href: activityHref({ ...choice, member }), 'data-link': true, 'aria-current': member === (choice.member ?? null) ? 'true' : null }, name), ` ${n}`);
  const busy = counts.members.filter((m) => m.n > 0).sort((x, y) => y.n - x.n || x.name.localeCompare(y.name));
  return h('p', { id: 'activity-members', class: 'owners' }, `${t('perMember')} `, entry(null, t('everyone'), counts.all),
    busy.map((m) => entry(m.id, memberChoice(m, counts.members), m.n)));
}

/** The next page of the same list, appended under it, while the API says there is one. */
function moreButton(page, body, filter, heads, people = []) {
  if (!page.pageInfo.hasNextPage) return null;
  let cursor = page.pageInfo.endCursor;
  const button = h('button', { type: 'button', id: 'more-activities', onclick: async () => {
    button.disabled = true;
    try {
      const next = (await gql(ACTIVITIES, { f: filter, after: cursor })).activities;
      body.append(...next.nodes.map((a) => activityRow(a, heads, people)));
      cursor = next.pageInfo.endCursor;
      if (next.pageInfo.hasNextPage) button.textContent = t('showMore', { n: next.totalCount - body.children.length });
      else button.remove();
    } finally { button.disabled = false; }
  } }, t('showMore', { n: page.totalCount - page.nodes.length }));
  return button;
}

/** One activity: when, what kind, how it went, who of ours met whom, on which deal, and what happened. */
function activityRow(a, heads, people) {
  const deal = a.opportunity;
  return h('tr', { class: 'activity', dataset: { id: a.id } }, stacked([
    h('td', { class: 'when' }, dateTime(a.occurredAt)),
    h('td', { class: 'type' }, label('ActivityType', a.type)),
    h('td', { class: 'outcome' }, a.outcome ? label('Outcome', a.outcome) : '–'),
    h('td', { class: 'ours' }, a.doneBy.length ? listOf(a.doneBy.map((m) => nameOf(m, people))) : t('nobodyOfOurs')),
    h('td', { class: 'with' }, listOf(a.persons.map((p) => p.name)) || '–'),
    h('td', { class: 'deal' }, deal ? [h('a', { href: `/app/opportunities/${encodeURIComponent(deal.id)}`, 'data-link': true }, deal.name),
      deal.customer ? h('span', { class: 'customer' }, deal.customer.name) : null] : '–'),
    h('td', { class: 'summary' }, a.summary)], heads));
}
