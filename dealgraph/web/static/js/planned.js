// The contacts planned, on My work: those whose time has come and gone without a result (how did
// it go?), recorded right here, and those still ahead, soonest first, each with whom and on
// which deal: what the person has agreed to do next, beside the work plan.
import { canWrite, gql, teamMembers } from './api.js';
import { day, h, notice } from './dom.js';
import { dateTime, label, labelled, listOf, nameOf, said, t } from './i18n.js';
import { resultForm } from './contacts.js';

const DAY_MS = 86_400_000;
/** How far back a contact without a result is still asked about (older ones are for the deal's
 * person panel). */
const ASK_DAYS = 30;
const FIELDS = 'id version type occurredAt outcome solutionReaction priceReaction summary persons { name } doneBy { id name } opportunity { id name customer { id } }';
const PLANNED = `query Planned($ahead: ActivityFilter, $past: ActivityFilter) {
  ahead: activities(filter: $ahead, direction: ASC, first: 20) { totalCount nodes { ${FIELDS} } }
  past: activities(filter: $past, first: 100) { nodes { ${FIELDS} } } }`;

/** The card for the list's owner (``null``: everyone the user may see) and deal or customer, or
 * nothing when no contact is planned; ``reload()`` redraws My work after a result. */
export async function plannedContacts(filters, reload) {
  const now = new Date();
  const scope = { teamMemberId: filters.owner, opportunityId: filters.deal };
  const people = await teamMembers().catch(() => []);
  const data = await gql(PLANNED, {
    ahead: { ...scope, occurredFrom: now.toISOString() },
    past: { ...scope, occurredFrom: new Date(now.getTime() - ASK_DAYS * DAY_MS).toISOString(), occurredTo: now.toISOString(), recorded: false },
  });
  const chosen = (a) => !filters.customer || a.opportunity?.customer?.id === filters.customer;
  const due = data.past.nodes.filter(chosen).reverse(); // oldest first: the longest waiting
  const ahead = data.ahead.nodes.filter(chosen);
  if (!due.length && !ahead.length) return null;
  const list = h('ul', { class: 'plain planned-contacts' },
    due.map((a) => contactLine(a, true, reload, people)), ahead.map((a) => contactLine(a, false, reload, people)));
  const more = data.ahead.totalCount > data.ahead.nodes.length ? h('p', { class: 'help' }, t('plannedMore', { n: data.ahead.totalCount - data.ahead.nodes.length })) : null;
  return h('section', { id: 'planned-contacts', class: 'card' }, h('h2', {}, t('plannedTitle')), list, more);
}

/** One contact: when, what, with whom, on which deal, with whom of ours; one whose time is past
 * asks how it went, with the form to say it. */
function contactLine(a, due, reload, people = []) {
  const deal = a.opportunity ? h('a', { href: `/app/opportunities/${encodeURIComponent(a.opportunity.id)}`, 'data-link': true }, a.opportunity.name) : null;
  const line = h('li', { class: due ? 'planned-due' : 'planned-ahead', dataset: { id: a.id } },
    h('span', { class: 'when' }, day(dateTime(a.occurredAt))), due ? h('span', { class: 'late' }, t('plannedDue')) : null, ' · ',
    labelled(label('ActivityType', a.type), listOf(a.persons.map((p) => p.name)) || '–'),
    deal ? [' · ', deal] : null,
    a.doneBy.length ? h('span', { class: 'help' }, ` · ${listOf(a.doneBy.map((m) => nameOf(m, people)))}`) : null,
    h('span', { class: 'contact-summary' }, a.summary));
  if (due && canWrite()) {
    const button = h('button', { type: 'button', class: 'record-contact', onclick: () => {
      button.hidden = true;
      line.append(resultForm(a, {
        title: labelled(t('recordHow'), a.summary),
        changed: async () => { await reload(); notice(said('contactRecorded', { what: a.summary })); },
        closed: () => { button.hidden = false; },
      }));
    } }, t('recordHow'));
    line.append(button);
  }
  return line;
}
