// Next steps across deals: the open work plan items a person owns (or, for whoever sees more,
// everyone's), soonest due first, each with its person and deal, and the result recorded here.
import { canWrite, everyPage, gql, me, mutate } from './api.js';
import { day, enumOptions, field, h, notice, select, showUserErrors, stacked, submitting } from './dom.js';
import { dayOf, isoDay, labelled, pieces, t } from './i18n.js';
import { isReviewStep, openReviewStep } from './process.js';

const ITEMS = `query Work($f: WorkPlanItemFilter, $after: String) {
  workPlanItems(filter: $f, first: 100, after: $after) { pageInfo { hasNextPage endCursor } nodes {
    id version title action activityType dueDate target { name } owner { name } opportunity { id name } } } }`;
const WAITING = `{ pipeline { pendingApprovals { id processName mayDecide createdAt requestedBy { name } opportunity { id name } } } }`;
const RECORD = `mutation($id: ID!, $input: WorkPlanResultInput!) { workPlanItemResultRecord(id: $id, input: $input) {
  workPlanItem { id status } userErrors { field message code } } }`;

/** The page: ``mine`` narrows the list to the signed-in member's own items. */
export async function showWork(main, { mine = true } = {}) {
  main.replaceChildren(h('p', { class: 'loading' }, t('loading')));
  const who = await me();
  const member = who.teamMember;
  const own = Boolean(member) && mine;
  const items = await everyPage(ITEMS, { f: { statuses: ['OPEN'], ownerId: own ? member.id : null } });
  const toggle = member ? h('label', { class: 'only-mine' }, h('input', { type: 'checkbox', id: 'only-mine', checked: own,
    onchange: (e) => showWork(main, { mine: e.target.checked }) }), ` ${t('onlyMine')}`) : null;
  const late = isoDay(new Date());
  const heads = [t('due'), t('action'), t('with'), t('opportunity'), t('owner'), ''];
  const rows = items.map((w) => {
    const overdue = w.dueDate != null && w.dueDate < late;
    const row = h('tr', { class: `work-item${overdue ? ' overdue' : ''}`, dataset: { id: w.id } }, stacked([
      h('td', { class: 'due' }, day(w.dueDate ?? '–'), overdue ? h('span', { class: 'late' }, ` ${t('overdue')}`) : null),
      h('td', { class: 'what' }, w.title), h('td', { class: 'with' }, w.target?.name ?? '–'),
      h('td', {}, h('a', { href: `/app/opportunities/${encodeURIComponent(w.opportunity.id)}`, 'data-link': true }, w.opportunity.name)),
      h('td', { class: 'owner' }, w.owner?.name ?? t('noOwner')),
      h('td', {}, canWrite() ? h('button', { type: 'button', class: 'record', onclick: () => openRecord(row, w, main, mine) }, t('recordResult')) : null)], heads));
    return row;
  });
  main.replaceChildren(...[h('h1', {}, t('myWork')), h('div', { id: 'notice', class: 'notice inline', role: 'status', 'aria-live': 'polite' }),
    await waiting(),
    h('p', { class: 'help' }, t(own ? 'myWorkHelp' : 'teamWorkHelp', { n: items.length })), toggle,
    items.length ? h('table', { id: 'work', class: 'stacked' }, h('thead', {}, h('tr', {}, heads.map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, rows)) : h('p', { id: 'no-work' }, await nothingOpen(who, own))].filter(Boolean));
}

/** The approvals waiting for the signed-in person: pending on the deals they may see, their
 * role decides them and they did not ask for them (``mayDecide``), each linking to its deal. */
async function waiting() {
  if (!canWrite()) return null;
  const found = ((await gql(WAITING)).pipeline?.pendingApprovals ?? []).filter((a) => a.mayDecide && a.opportunity);
  if (!found.length) return null;
  return h('section', { id: 'waiting-approvals', class: 'card waiting' }, h('h2', {}, t('waitingTitle')), h('p', { class: 'help' }, t('waitingHelp')),
    h('ul', { class: 'plain' }, found.map((a) => h('li', { class: 'waiting-approval', dataset: { id: a.id } },
      h('a', { href: `/app/opportunities/${encodeURIComponent(a.opportunity.id)}`, 'data-link': true }, labelled(a.opportunity.name, a.processName)),
      h('span', { class: 'help' }, ' ', pieces('requestedBy', { name: a.requestedBy?.name ?? '–', date: day(dayOf(a.createdAt)) }))))));
}

/** Why the list is empty, and what to do about it: others own the open items of one's deals
 * (untick "Only mine"), nothing to see for a login without a member, or nothing open at all (a
 * reader is not told to accept suggestions, which they may not). */
async function nothingOpen(who, own) {
  if (!who.teamMember && !who.seesEverything) return t('notLinked');
  if (own) {
    const others = await everyPage(ITEMS, { f: { statuses: ['OPEN'] } });
    if (others.length) return t(others.length === 1 ? 'noneOfYoursOne' : 'noneOfYours', { n: others.length });
  }
  return t(canWrite() ? 'noWork' : 'noWorkViewer');
}

/** A select whose first option is empty: ``required`` makes the user choose, otherwise the
 * empty option reads as ``blank`` and is sent as null. */
const optional = (name, chosen, blank) => select(blank ? {} : { required: true },
  [['', blank ?? t('choose')], ...enumOptions(name)], chosen ?? '');

/** Now, or an instant typed in a datetime-local field, as the API takes it. */
const local = (date) => new Date(date.getTime() - date.getTimezoneOffset() * 60000).toISOString().slice(0, 16);

/** The result of one item, in a row under it: what was done, when, how it went and how they
 * took our solution and price. The kind of contact starts as the item's play (a workshop for an
 * ROI workshop); how it went starts unset, so nobody records a success by leaving a default. */
function openRecord(row, item, main, mine) {
  row.parentElement.querySelectorAll('tr.record-row').forEach((old) => old.remove());
  if (isReviewStep(item)) { openReviewStep(row, item, () => reviewed(item, main, mine)); return; }
  const type = optional('ActivityType', item.activityType);
  const when = h('input', { type: 'datetime-local', value: local(new Date()), max: local(new Date()), required: true });
  const outcome = optional('Outcome');
  const solution = optional('Outcome', null, t('notDiscussed'));
  const price = optional('Outcome', null, t('notDiscussed'));
  const summary = h('textarea', { rows: 2 });
  const form = h('form', { class: 'card record-form', onsubmit: (event) => { event.preventDefault(); submitting(form, async () => {
    const input = { version: item.version, type: type.value, occurredAt: new Date(when.value).toISOString(), outcome: outcome.value,
      solutionReaction: solution.value || null, priceReaction: price.value || null, summary: summary.value };
    const payload = await mutate(RECORD, { id: item.id, input });
    if (payload.userErrors.length) { showUserErrors(form, payload.userErrors); return; }
    await showWork(main, { mine });
    notice(t('resultRecorded', { title: item.title }));
  }); } }, h('h3', {}, labelled(t('recordResult'), item.title)), field('input.type', t('type'), type),
  field('input.occurredAt', t('when'), when), field('input.outcome', t('outcome'), outcome),
  field('input.solutionReaction', t('solutionReaction'), solution), field('input.priceReaction', t('priceReaction'), price),
  field('input.summary', t('summary'), summary), h('button', { type: 'submit' }, t('save')));
  row.after(h('tr', { class: 'record-row' }, h('td', { colspan: 6 }, form)));
  summary.focus();
}

/** The review is recorded, and with it the step: the list without it, and a word on both. */
async function reviewed(item, main, mine) {
  await showWork(main, { mine });
  notice(t('reviewStepDone', { title: item.title, deal: item.opportunity.name }));
}
