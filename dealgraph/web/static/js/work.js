// Next steps across deals: the open work plan items a person owns (or, for whoever sees more,
// everyone's), soonest due first, each with its person and deal, and the result recorded here.
import { canWrite, everyPage, gql, me, mutate, teamMembers } from './api.js';
import { day, enumOptions, field, h, loading, notice, select, showUserErrors, stacked, submitting, withDays } from './dom.js';
import { aside, dayOf, enumValues, isoDay, label, labelled, memberChoice, money, nameOf, pieces, said, sentences, t, unended, utcDay, weekStart } from './i18n.js';
import { here } from './nav.js';
import { CLOSED } from './pipeline.js';
import { planChangeForm } from './plan.js';
import { plannedContacts } from './planned.js';
import { COMMITMENT, commitment, daysLeft, isReviewStep, openReviewStep, promised } from './process.js';

const ITEMS = `query Work($f: WorkPlanItemFilter, $after: String) {
  workPlanItems(filter: $f, first: 100, after: $after) { pageInfo { hasNextPage endCursor } nodes {
    id version title rationale action activityType owed dueDate target { name } owner { id name }
    opportunity { id name stage customer { id name } team { member { id name title email } role } } } } }`;
const DEALS = `query WorkDeals($after: String) { opportunities(first: 100, after: $after) { pageInfo { hasNextPage endCursor }
  nodes { id name customer { id name } } } }`;
const WAITING = `query Waiting($member: ID, $mine: Boolean!, $judges: Boolean!) {
  pipeline { pendingApprovals { id processName mayDecide createdAt requestedBy { id name } opportunity { id name } } }
  violations(filter: { open: true, responsibleId: $member, responded: false }, first: 100) @include(if: $mine) { nodes { id message detectedAt sentBackNote sentBackAt sentBackBy { id name } opportunity { id name } } }
  answered: violations(filter: { open: true, responded: true }, first: 100) @include(if: $judges) { nodes { id message mayAcknowledge responseNote respondedAt respondedBy { id name } putRightBy recheckDays opportunity { id name } } }
  me { teamMember { id opportunities { role opportunity { id name stage currency quoteAmount deliveryReviewed deliveryInfeasible
    deliveryReview { reviewedAt reviewer { id name title email } }
    approvals { id process processName state createdAt decidedAt requestedBy { id } decidedBy { id name } decisionComment } } } } } }`;
const PROMISES = `query Promises($f: ViolationFilter, $after: String) { violations(filter: $f, first: 100, after: $after) {
  pageInfo { hasNextPage endCursor } nodes { ${COMMITMENT} } } }`;
/** The steps a sales director finds someone for: suggested again to them (or, with no sales
 * director on the deal's team, to whoever oversees it) after their team dropped them because
 * nobody of ours could do them. */
const STAFFING = `query Staffing($stages: [Stage!], $after: String) { opportunities(filter: { stages: $stages }, first: 50, after: $after) { pageInfo { hasNextPage endCursor } nodes {
  id name team { member { id name title email } role }
  suggestedWorkPlan(limit: 50) { actionKey title dueDate ownerRole owner { id } target { id name } awaitsStaffing droppedBefore { droppedAt } } } } }`;
const GIVE = `mutation($input: SuggestionAcceptInput!) { workPlanSuggestionAccept(input: $input) {
  workPlanItem { id title owner { id name title email } } userErrors { field message code messageEn messageZh } } }`;
const JOIN = `mutation($input: TeamAssignInput!) { teamAssign(input: $input) {
  teamMember { id } userErrors { field message code messageEn messageZh } } }`;
const RECORD = `mutation($id: ID!, $input: WorkPlanResultInput!) { workPlanItemResultRecord(id: $id, input: $input) {
  workPlanItem { id status } userErrors { field message code messageEn messageZh } } }`;

/** Rows a group shows before its "Show all": a long list opens on what to do, not on screens of it. */
const SHOWN = 10;
/** The groups the user opened in full; they stay open while the list reloads after a result. */
const opened = new Set();

/** The list's filters as the address keeps them (a link or a reload shows the same list):
 * ``owner`` (a member's id, or ``everyone``; a member's own items when absent), ``deal`` or
 * ``customer``, and ``overdue=1``. */
function filtersOf(member) {
  const q = new URLSearchParams(location.search);
  const owner = q.get('owner') ?? member?.id ?? 'everyone';
  return { owner: owner === 'everyone' ? null : owner, deal: q.get('deal'), customer: q.get('customer'), overdue: q.get('overdue') === '1' };
}

/** The address of a list with ``filters`` (the defaults left out). */
export function workHref(filters, member) {
  const q = new URLSearchParams();
  if (filters.owner !== (member?.id ?? null)) q.set('owner', filters.owner ?? 'everyone');
  if (filters.deal) q.set('deal', filters.deal); else if (filters.customer) q.set('customer', filters.customer);
  if (filters.overdue) q.set('overdue', '1');
  return q.size ? `/app/work?${q}` : '/app/work';
}

/** The last day of this week (Sunday), as the API writes days. */
function weekEnd(today) {
  const end = weekStart(today);
  end.setDate(end.getDate() + 6);
  return isoDay(end);
}

/** Which group an item falls in by its due date. */
function bucketOf(item, today, sunday) {
  if (item.dueDate == null) return 'none';
  if (item.dueDate < today) return 'overdue';
  return item.dueDate <= sunday ? 'week' : 'later';
}

/** The page: the items the address's filters choose (the API filters by deal; a customer's
 * deals, the owner, overdue only and the counts are read from that list, so the owner filter
 * offers whoever owns something in it). */
export async function showWork(main) {
  const current = here();
  main.replaceChildren(loading());
  const who = await me();
  const member = who.teamMember;
  const filters = filtersOf(member);
  const [all, deals, people] = await Promise.all([
    everyPage(ITEMS, { f: { statuses: ['OPEN'], opportunityId: filters.deal } }), everyPage(DEALS), teamMembers()]);
  // a deal's close cancels its open items; one closed before that was so may still hold some,
  // which nobody owes any more
  const live = all.filter((w) => !CLOSED.has(w.opportunity.stage));
  const scope = filters.customer ? live.filter((w) => w.opportunity.customer?.id === filters.customer) : live;
  const items = filters.owner ? scope.filter((w) => w.owner?.id === filters.owner) : scope;
  if (!current()) return; // the person went elsewhere meanwhile
  const today = isoDay(new Date());
  const sunday = weekEnd(new Date());
  const bucket = (w) => bucketOf(w, today, sunday);
  const shown = filters.overdue ? items.filter((w) => bucket(w) === 'overdue') : items;
  const go = (change) => { history.pushState(null, '', workHref({ ...filters, ...change }, member)); showWork(main); };
  const own = Boolean(member) && filters.owner === member.id;
  const toggle = member ? h('label', { class: 'only-mine' }, h('input', { type: 'checkbox', id: 'only-mine', checked: own,
    onchange: (e) => go({ owner: e.target.checked ? member.id : null }) }), ` ${t('onlyMine')}`) : null;
  const bar = h('div', { class: 'filters', id: 'work-filters' }, toggle, ownerChoice(filters, scope, people, go), dealChoice(filters, deals, go),
    h('label', { class: 'only-overdue' }, h('input', { type: 'checkbox', id: 'only-overdue', checked: filters.overdue,
      onchange: (e) => go({ overdue: e.target.checked }) }), ` ${t('onlyOverdue')}`));
  const counts = { open: items.length, overdue: items.filter((w) => bucket(w) === 'overdue').length, week: items.filter((w) => bucket(w) === 'week').length };
  const narrowed = filters.deal || filters.customer || filters.overdue || (filters.owner && filters.owner !== member?.id);
  const [asks, planned] = await Promise.all([waiting(people, async (text) => { await showWork(main); notice(text); }), plannedContacts(filters, () => showWork(main))]);
  if (!current()) return;
  main.replaceChildren(...[h('h1', {}, t('myWork')), h('div', { id: 'notice', class: 'notice inline', role: 'status', 'aria-live': 'polite' }),
    asks, planned, bar,
    h('p', { id: 'work-summary' }, t('workSummary', counts)),
    filters.owner ? null : byOwner(items, bucket, filters, member, people),
    shown.length ? h('div', { id: 'work' }, ['overdue', 'week', 'later', 'none'].map((key) => group(key, shown.filter((w) => bucket(w) === key), main, people)))
      : h('p', { id: 'no-work' }, narrowed ? h('span', {}, t('noWorkMatches'), ' ', h('a', { href: '/app/work?owner=everyone', 'data-link': true, id: 'clear-filters' }, t('showEveryItem')))
        : nothingOpen(who, own, scope))].filter(Boolean));
}

/** Who owns the open items: each owner with their count and overdue count, a link to their list. */
function byOwner(items, bucket, filters, member, people) {
  const owners = new Map();
  for (const w of items) {
    const key = w.owner?.id ?? '';
    const entry = owners.get(key) ?? { name: w.owner ? nameOf(w.owner, people) : t('noOwner'), id: w.owner?.id, open: 0, overdue: 0 };
    entry.open += 1;
    if (bucket(w) === 'overdue') entry.overdue += 1;
    owners.set(key, entry);
  }
  if (owners.size < 2) return null;
  const list = [...owners.values()].sort((x, y) => y.overdue - x.overdue || y.open - x.open || x.name.localeCompare(y.name));
  return h('p', { id: 'work-owners', class: 'owners' }, `${t('byOwner')} `, list.map((o) => h('span', { class: 'owner-count', dataset: { id: o.id ?? '' } },
    o.id ? h('a', { href: workHref({ ...filters, owner: o.id, overdue: false }, member), 'data-link': true }, o.name) : o.name,
    ` ${t('ownerOpen', { n: o.open })}`,
    o.overdue && o.id ? [' ', h('a', { class: 'late', href: workHref({ ...filters, owner: o.id, overdue: true }, member), 'data-link': true }, t('ownerOverdue', { n: o.overdue }))] : null)));
}

/** The owner filter: everyone, or one of those who own open items of the deals chosen, each
 * with their count (our people with nothing there are not offered: a director is not told who
 * is whose); the owner the address names stays chosen, with 0, when nothing of theirs is open. */
function ownerChoice(filters, scope, people, go) {
  const owners = new Map();
  for (const w of scope) if (w.owner) owners.set(w.owner.id, { name: w.owner.name, n: (owners.get(w.owner.id)?.n ?? 0) + 1 });
  if (filters.owner && !owners.has(filters.owner)) owners.set(filters.owner, { name: people.find((p) => p.id === filters.owner)?.name ?? '–', n: 0 });
  const named = [...owners].sort(([, x], [, y]) => x.name.localeCompare(y.name))
    .map(([id, o]) => [id, `${nameOf({ id, name: o.name }, people)}${aside(String(o.n))}`]);
  const choice = select({ id: 'work-owner', onchange: (e) => go({ owner: e.target.value || null }) },
    [['', `${t('everyone')}${aside(String(scope.length))}`], ...named], filters.owner ?? '');
  return field('owner', t('owner'), choice);
}

/** The deal filter: a customer's deals together, or one deal (deals of the same name at two
 * customers stand under their customers). */
function dealChoice(filters, deals, go) {
  const customers = new Map();
  for (const d of deals) {
    const key = d.customer?.id ?? '';
    if (!customers.has(key)) customers.set(key, { name: d.customer?.name ?? '–', id: d.customer?.id, deals: [] });
    customers.get(key).deals.push(d);
  }
  const chosen = filters.deal ? `deal:${filters.deal}` : filters.customer ? `customer:${filters.customer}` : '';
  const option = (value, text) => h('option', { value, selected: value === chosen }, text);
  const choice = h('select', { id: 'work-deal', onchange: (e) => {
    const [kind, id] = e.target.value.split(':');
    go({ deal: kind === 'deal' ? id : null, customer: kind === 'customer' ? id : null });
  } }, option('', t('allDeals')), [...customers.values()].sort((x, y) => x.name.localeCompare(y.name)).map((c) =>
    h('optgroup', { label: c.name }, c.id ? option(`customer:${c.id}`, t('allOfCustomer', { name: c.name })) : null,
      c.deals.sort((x, y) => x.name.localeCompare(y.name)).map((d) => option(`deal:${d.id}`, d.name)))));
  return field('deal', t('dealOrCustomer'), choice);
}

/** One group of the list (overdue, due this week, later, no due date), soonest due first; a long one shows
 * its first rows and a button for the rest. */
function group(key, items, main, people) {
  if (!items.length) return null;
  const heads = [t('due'), t('action'), t('with'), t('opportunity'), t('customer'), t('owner'), ''];
  const all = opened.has(key) || items.length <= SHOWN + 2;
  const more = all ? null : h('button', { type: 'button', class: 'show-all', onclick: () => { opened.add(key); section.replaceWith(group(key, items, main, people)); } },
    t('showAll', { n: items.length }));
  const section = h('section', { class: `work-group ${key}`, dataset: { group: key }, 'aria-labelledby': `work-${key}` },
    h('h2', { id: `work-${key}` }, `${t(`group_${key}`)} · ${items.length}`),
    h('table', { class: 'stacked work-list' }, h('thead', {}, h('tr', {}, heads.map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, (all ? items : items.slice(0, SHOWN)).map((w) => itemRow(w, heads, key === 'overdue', main, people)))), more);
  return section;
}

/** One item: when, what and why it matters, with whom, the deal (a link to its map) and its customer, who owns it
 * (a namesake of another of ``people`` told apart). */
function itemRow(w, heads, overdue, main, people) {
  const customer = w.opportunity.customer?.name ?? '–';
  const row = h('tr', { class: `work-item${overdue ? ' overdue' : ''}`, dataset: { id: w.id } }, stacked([
    h('td', { class: 'due' }, day(w.dueDate ?? '–'), overdue ? h('span', { class: 'late' }, ` ${t('overdue')}`) : null),
    h('td', { class: 'what' }, w.title, w.rationale ? h('p', { class: 'why help', title: w.rationale }, ...withDays(w.rationale)) : null),
    h('td', { class: 'with' }, w.target?.name ?? '–'),
    h('td', { class: 'deal' }, h('a', { href: `/app/opportunities/${encodeURIComponent(w.opportunity.id)}`, 'data-link': true }, w.opportunity.name)),
    h('td', { class: 'customer', title: customer }, customer),
    h('td', { class: 'owner' }, nameOf(w.owner, people) ?? t('noOwner')),
    h('td', { class: 'act' }, canWrite() ? [h('button', { type: 'button', class: 'record', onclick: () => openRecord(row, w, main, people) }, t('recordResult')),
      ' ', h('button', { type: 'button', class: 'change-step', onclick: () => openChange(row, w, main, people) }, t('planChangeOpen'))] : null)], heads));
  return row;
}

/** Another owner or day for one item, or dropped, in a row under it (the deal's team offered). */
function openChange(row, item, main, people) {
  row.parentElement.querySelectorAll('tr.record-row').forEach((old) => old.remove());
  const done = async (text, kind = 'ok') => { await showWork(main); notice(text, kind); };
  const form = planChangeForm(item, item.opportunity.team ?? [], people, done);
  form.classList.add('card');
  form.prepend(h('h3', {}, labelled(t('planChangeTitle'), item.title)));
  row.after(h('tr', { class: 'record-row' }, h('td', { colspan: 7 }, form)));
  form.querySelector('select')?.focus();
}

/** The approvals waiting for the signed-in person: pending on the deals they may see, their
 * role decides them and they did not ask for them (``mayDecide``), each linking to its deal;
 * for a sales director, the steps nobody of ours could do, to give to someone (``done(text)``
 * shows the page again and says ``text``). */
async function waiting(people, done) {
  if (!canWrite()) return null;
  const who = await me();
  const member = who.teamMember?.id ?? null;
  const judges = who.roles.includes('sales_director');
  const [data, promises, teamPromises, overseen] = await Promise.all([gql(WAITING, { member, mine: member !== null, judges }),
    member ? everyPage(PROMISES, { f: { promised: true, responsibleId: member } }) : [],
    judges ? everyPage(PROMISES, { f: { promised: true } }) : [],
    // a deal's suggestions ask its whole analysis: only the open deals', and My work shows
    // whatever else waits should this fail
    judges ? everyPage(STAFFING, { stages: enumValues('Stage').filter((v) => !CLOSED.has(v)) }).catch(() => []) : []]);
  const found = (data.pipeline?.pendingApprovals ?? []).filter((a) => a.mayDecide && a.opportunity);
  const reviews = unreviewed(data.me?.teamMember?.opportunities ?? []);
  const reworks = toRework(data.me?.teamMember?.opportunities ?? []);
  const rejected = rejectedRequests(data.me?.teamMember);
  const breaches = (data.violations?.nodes ?? []).filter((v) => v.opportunity);
  const answered = (data.answered?.nodes ?? []).filter((v) => v.mayAcknowledge && v.opportunity);
  const { mine, team } = commitments(promises, teamPromises);
  const unstaffed = toStaff(overseen, member);
  if (!found.length && !reviews.length && !reworks.length && !rejected.length && !breaches.length && !answered.length && !mine.length && !team.length && !unstaffed.length) return null;
  // each opens the deal at what waits there: the approval, the violation or the review form
  const link = (o, text, at) => h('a', { href: `/app/opportunities/${encodeURIComponent(o.id)}${at ? `#${at}` : ''}`, 'data-link': true }, text);
  const items = [
    ...found.map((a) => [a.opportunity, h('li', { class: 'waiting-approval', dataset: { id: a.id } },
      link(a.opportunity, a.processName, `approval-${a.id}`),
      h('span', { class: 'help' }, ' ', pieces('requestedBy', { name: nameOf(a.requestedBy, people) ?? '–', date: day(dayOf(a.createdAt)) })))]),
    ...reviews.map((o) => [o, h('li', { class: 'waiting-review', dataset: { id: o.id } },
      link(o, t('reviewWaiting'), 'review'), h('span', { class: 'help' }, ' ', t('reviewWaitingHelp', { amount: money(o.quoteAmount, o.currency) })))]),
    ...reworks.map((o) => [o, h('li', { class: 'waiting-rework', dataset: { id: o.id } },
      link(o, t('reworkWaiting'), 'review'), h('span', { class: 'help' }, ' ', ...pieces('reworkWaitingHelp', {
        amount: money(o.quoteAmount, o.currency), name: nameOf(o.deliveryReview.reviewer, people) ?? label('TeamRole', 'DELIVERY_MANAGER'),
        date: day(dayOf(o.deliveryReview.reviewedAt)) })))]),
    ...rejected.map(({ deal, a }) => [deal, h('li', { class: 'waiting-rejected', dataset: { id: a.id } },
      link(deal, a.processName, `approval-${a.id}`), ' ', h('span', { class: 'late' }, t('rejectedYours')),
      h('span', { class: 'help' }, ' ', pieces('rejectedBy', { name: nameOf(a.decidedBy, people) ?? '–', date: day(dayOf(a.decidedAt)) }),
        a.decisionComment ? ` ${t('rejectedWhy', { why: unended(a.decisionComment) })}` : '', ` ${t('rejectedNext')}`))]),
    ...breaches.map((v) => [v.opportunity, h('li', { class: 'waiting-violation', dataset: { id: v.id } },
      h('span', { class: 'late' }, labelled(t('violationYours'), '')), link(v.opportunity, withDays(v.message), `violation-${v.id}`),
      h('span', { class: 'help' }, ' · ', pieces('violationSince', { date: day(dayOf(v.detectedAt)) }),
        v.sentBackNote ? [' · ', h('span', { class: 'sent-back' }, pieces('sentBackLine', { name: nameOf(v.sentBackBy, people) ?? '–', date: day(dayOf(v.sentBackAt)), note: unended(v.sentBackNote) }))] : null))]),
    ...answered.map((v) => [v.opportunity, h('li', { class: 'waiting-response', dataset: { id: v.id } },
      h('span', { class: 'late' }, labelled(t('responseYours'), '')), link(v.opportunity, withDays(v.message), `violation-${v.id}`),
      h('span', { class: 'help' }, ' · ', pieces('responseLine', { name: nameOf(v.respondedBy, people) ?? '–', date: day(dayOf(v.respondedAt)), note: unended(v.responseNote) }), promised(v)))]),
    ...[...mine.map((v) => [v, true]), ...team.map((v) => [v, false])].map(([v, own]) => [v.opportunity, h('li', { class: 'waiting-commitment', dataset: { id: v.id } },
      h('span', { class: 'late' }, labelled(t(own ? 'commitmentYours' : 'commitmentTeam'), '')), link(v.opportunity, withDays(v.message), `commitment-${v.id}`),
      h('span', { class: 'help' }, ' · ', commitment(v, member, people)))]),
    ...unstaffed.map(({ deal, s }) => [deal, staffingItem(deal, s, people, done)]),
  ];
  // one heading a deal, its items below in the order above: the deal's name is read once
  const deals = new Map();
  for (const [deal, li] of items) {
    if (!deals.has(deal.id)) deals.set(deal.id, { deal, lis: [] });
    deals.get(deal.id).lis.push(li);
  }
  return h('section', { id: 'waiting-approvals', class: 'card waiting' }, h('h2', {}, t('waitingTitle')), h('p', { class: 'help' }, t('waitingHelp')),
    h('ul', { class: 'plain waiting-deals' }, [...deals.values()].map(({ deal, lis }) => h('li', { class: 'waiting-deal', dataset: { id: deal.id } },
      h('h3', {}, link(deal, deal.name, '')), h('ul', { class: 'plain' }, lis),
      lis.some((li) => li.classList.contains('waiting-violation')) ? h('p', { class: 'help' }, t('violationAdvice')) : null))));
}

/** The suggestions of ``deals`` the signed-in sales director (``member``) is to find someone
 * for (``awaitsStaffing``): theirs, or the role's on a deal with no sales director on its team. */
function toStaff(deals, member) {
  return deals.flatMap((deal) => deal.suggestedWorkPlan
    .filter((s) => s.awaitsStaffing && (s.owner ? s.owner.id === member : true))
    .map((s) => ({ deal, s })));
}

/** A step nobody of ours could do, with a form giving it to one of ours (accepted into the
 * plan as theirs, for the day it is suggested for or another): the deal's team first, then
 * the others the director sees, since the team itself said none of them could; one of those
 * joins the deal's team first, so that they see the step. */
function staffingItem(deal, s, people, done) {
  const team = new Map((deal.team ?? []).map((a) => [a.member.id, memberChoice(a.member, people, label('TeamRole', a.role))]));
  const others = people.filter((p) => !team.has(p.id) && !p.leftAt).map((p) => [p.id, memberChoice(p, people)]);
  const owner = select({}, [['', t('choose')], ...team], '');
  if (others.length) owner.append(h('optgroup', { label: t('staffOthers') }, others.map(([id, text]) => h('option', { value: id }, text))));
  const due = h('input', { type: 'date', min: isoDay(new Date()), value: s.dueDate ?? '' });
  const give = h('button', { type: 'submit' }, t('staffGive'));
  // novalidate: what is missing is said in the page's words, at its field
  const form = h('form', { class: 'staff-form', novalidate: true, onsubmit: (event) => {
    event.preventDefault();
    if (!owner.value) { showUserErrors(form, [{ field: ['input', 'ownerId'], message: t('staffWho'), code: 'BAD_USER_INPUT' }]); return; }
    submitting(form, async () => {
      // one of ours off the deal's team joins it first, in their own role (else the step's):
      // a step's owner works the deal, or they would not see the step
      const outsider = team.has(owner.value) ? null : people.find((p) => p.id === owner.value);
      const role = outsider && (outsider.role ?? s.ownerRole);
      if (outsider) {
        const joined = await mutate(JOIN, { input: { memberId: outsider.id, targetId: deal.id, role } });
        if (joined.userErrors.length) { showUserErrors(form, joined.userErrors.map((e) => ({ ...e, field: ['input', 'ownerId'] }))); return; }
      }
      const payload = (await mutate(GIVE, { input: { opportunityId: deal.id, actionKey: s.actionKey, targetPersonId: s.target?.id ?? null, ownerId: owner.value, dueDate: due.value || null } }));
      if (payload.userErrors.length) { showUserErrors(form, payload.userErrors); return; }
      const given = said('staffGiven', { title: payload.workPlanItem.title, owner: nameOf(payload.workPlanItem.owner, people) ?? '–' });
      const joined = outsider && said('staffJoined', { owner: nameOf(outsider, people), deal: deal.name, role: () => label('TeamRole', role) });
      await done(joined ? () => sentences([joined(), given()]) : given);
    });
  } }, field('input.ownerId', t('owner'), owner), field('input.dueDate', t('due'), due), give);
  const dropped = s.droppedBefore.droppedAt;
  return h('li', { class: 'waiting-staffing', dataset: { action: s.actionKey, target: s.target?.id ?? '' } },
    h('span', { class: 'late' }, labelled(t('staffYours'), '')), `${s.title}${s.target ? ` — ${s.target.name}` : ''}`,
    h('span', { class: 'help' }, ' · ', pieces('staffSince', { date: day(utcDay(Date.parse(dropped))) })), form);
}

/** The running commitments of My work, soonest date first: ``mine``, those the signed-in person
 * answers for (whoever promised them); ``team``, for a sales director, the others of the deals
 * they see whose date falls by the end of this week or has passed, the week's days counted in
 * UTC as the API counts a promise's. */
function commitments(promises, teamPromises) {
  const toSunday = (7 - new Date().getUTCDay()) % 7;
  const soonest = (list) => list.filter((v) => v.opportunity).sort((a, b) => a.putRightBy.localeCompare(b.putRightBy));
  const mine = soonest(promises);
  const own = new Set(mine.map((v) => v.id));
  const team = soonest(teamPromises).filter((v) => !own.has(v.id) && daysLeft(v) <= toSunday);
  return { mine, team };
}

/** The signed-in person's requests whose latest word is a rejection, on open deals: the request
 * is theirs to rework and make again (one made since, pending or approved, answers it). */
function rejectedRequests(member) {
  if (!member) return [];
  const found = [];
  for (const { opportunity: deal } of member.opportunities ?? []) {
    if (CLOSED.has(deal.stage)) continue;
    const latest = new Map();
    for (const a of deal.approvals ?? []) {
      const before = latest.get(a.process);
      if (!before || a.createdAt > before.createdAt) latest.set(a.process, a);
    }
    for (const a of latest.values()) {
      if (a.state === 'REJECTED' && a.requestedBy?.id === member.id) found.push({ deal, a });
    }
  }
  return [...new Map(found.map((x) => [x.a.id, x])).values()];
}

/** Whether the deal's newest delivery review judged its quote, as it stands, not deliverable
 * (the API's ``deliveryInfeasible``): the quote is reworked, not reviewed again as it is. */
const refused = (o) => o.deliveryInfeasible && o.deliveryReview != null;

/** The open deals whose delivery manager the signed-in person is, with a quote nobody has
 * reviewed yet (none, or a changed one): the quote cannot go out until they do. */
const unreviewed = (assignments) => [...new Map(assignments
  .filter((a) => a.role === 'DELIVERY_MANAGER' && a.opportunity.quoteAmount != null && !a.opportunity.deliveryReviewed
    && !refused(a.opportunity) && !CLOSED.has(a.opportunity.stage))
  .map((a) => [a.opportunity.id, a.opportunity])).values()];

/** The open deals whose account or solution manager the signed-in person is, with a quote the
 * delivery review judged not deliverable: theirs to rework (scope or price), then to have
 * reviewed again. */
const toRework = (assignments) => [...new Map(assignments
  .filter((a) => ['ACCOUNT_MANAGER', 'SOLUTION_MANAGER'].includes(a.role) && a.opportunity.quoteAmount != null
    && !a.opportunity.deliveryReviewed && refused(a.opportunity) && !CLOSED.has(a.opportunity.stage))
  .map((a) => [a.opportunity.id, a.opportunity])).values()];

/** Why the list is empty, and what to do about it: others own the open items of one's deals
 * (``others``: untick "Only mine"), nothing to see for a login without a member, or nothing open
 * at all (a reader is not told to accept suggestions, which they may not). */
function nothingOpen(who, own, others) {
  if (!who.teamMember && !who.seesEverything) return t('notLinked');
  if (own && others.length) return t(others.length === 1 ? 'noneOfYoursOne' : 'noneOfYours', { n: others.length });
  return t(canWrite() ? 'noWork' : 'noWorkViewer');
}

/** A select whose first option is empty: without ``blank`` the user must choose (the form says
 * so at the field), otherwise the empty option reads as ``blank`` and is sent as null. */
const optional = (name, chosen, blank) => select({}, [['', blank ?? t('choose')], ...enumOptions(name)], chosen ?? '');

/** What the result form lacks, said at its fields in the page's language (not the browser's
 * own check, which speaks the browser's language); what was typed stays. */
function unrecorded(type, when, outcome) {
  const at = (field, key) => ({ field: ['input', field], message: t(key), code: 'BAD_USER_INPUT' });
  return [!type.value ? at('type', 'typeRequired') : null,
    !when.value ? at('occurredAt', 'whenRequired') : new Date(when.value) > new Date() ? at('occurredAt', 'whenNotYet') : null,
    !outcome.value ? at('outcome', 'outcomeRequired') : null].filter(Boolean);
}

/** Now, or an instant typed in a datetime-local field, as the API takes it. */
const local = (date) => new Date(date.getTime() - date.getTimezoneOffset() * 60000).toISOString().slice(0, 16);

/** The result of one item, in a row under it: what was done, when, how it went and how they
 * took our solution and price. The kind of contact starts as the item's play (a workshop for an
 * ROI workshop); how it went starts unset, so nobody records a success by leaving a default. */
function openRecord(row, item, main, people) {
  row.parentElement.querySelectorAll('tr.record-row').forEach((old) => old.remove());
  if (isReviewStep(item)) { openReviewStep(row, item, () => reviewed(item, main)); return; }
  const type = optional('ActivityType', item.activityType);
  const when = h('input', { type: 'datetime-local', value: local(new Date()), max: local(new Date()) });
  const outcome = optional('Outcome');
  const solution = optional('Outcome', null, t('notDiscussed'));
  const price = optional('Outcome', null, t('notDiscussed'));
  const summary = h('textarea', { rows: 2 });
  const ours = tookPart(item, people);
  const form = h('form', { class: 'card record-form', novalidate: true, onsubmit: (event) => { event.preventDefault(); submitting(form, async () => {
    const lacking = unrecorded(type, when, outcome);
    showUserErrors(form, lacking);
    if (lacking.length) return;
    const memberIds = [...ours.querySelectorAll('input:checked')].map((box) => box.value);
    const input = { version: item.version, type: type.value, occurredAt: new Date(when.value).toISOString(), outcome: outcome.value,
      solutionReaction: solution.value || null, priceReaction: price.value || null, summary: summary.value, memberIds };
    const payload = await mutate(RECORD, { id: item.id, input });
    if (payload.userErrors.length) { showUserErrors(form, payload.userErrors); return; }
    await showWork(main);
    notice(said('resultRecorded', { title: item.title }));
  }); } }, h('h3', {}, labelled(t('recordResult'), item.title)), field('input.type', t('type'), type),
  field('input.occurredAt', t('when'), when), field('input.outcome', t('outcome'), outcome),
  field('input.solutionReaction', t('solutionReaction'), solution), field('input.priceReaction', t('priceReaction'), price),
  field('input.summary', t('summary'), summary), ours, h('button', { type: 'submit' }, t('save')));
  row.after(h('tr', { class: 'record-row' }, h('td', { colspan: 7 }, form)));
  summary.focus();
}

/** Who of ours took part: the step's owner, ticked, and the signed-in person when it is someone
 * else, unticked (a namesake of another of ``people`` told apart); the contact history names
 * whoever is ticked, not whoever types it in. */
function tookPart(item, people) {
  const box = (member, checked) => h('label', { class: 'check' }, h('input', { type: 'checkbox', value: member.id, checked }), ` ${nameOf(member, people)}`);
  const set = h('fieldset', { class: 'ours' }, h('legend', {}, t('ours')), item.owner ? box(item.owner, true) : null);
  set.dataset.field = 'input.memberIds';
  me().then((session) => {
    const mine = session.teamMember;
    if (mine && mine.id !== item.owner?.id) set.append(box(mine, false));
  });
  return set;
}

/** The review is recorded, and with it the step: the list without it, and a word on both. */
async function reviewed(item, main) {
  await showWork(main);
  notice(said('reviewStepDone', { title: item.title, deal: item.opportunity.name }));
}
