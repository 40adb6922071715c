// A person's contacts on the person panel, newest first (the planned ones on top), each one
// correctable (how it went, how they took our solution and price, what was said) or deletable,
// so that a contact logged by mistake (the wrong person, a year mistyped) stops counting.
import { canWrite, gql, mutate, teamMembers } from './api.js';
import { enumOptions, field, h, loading, notice, select, showUserErrors, submitting } from './dom.js';
import { aside, dateTime, label, labelled, listOf, nameOf, said, saidErrors, t } from './i18n.js';

const SHOWN = 6;
const READ = 50;
const ERR = 'userErrors { field message code messageEn messageZh }';
const CONTACTS = `query Contacts($f: ActivityFilter) { activities(filter: $f, first: ${READ}) { totalCount nodes {
  id version type occurredAt outcome solutionReaction priceReaction summary doneBy { id name title email } opportunity { id name } } } }`;
const UPDATE = `mutation($id: ID!, $input: ActivityUpdateInput!) { activityUpdate(id: $id, input: $input) { activity { id } ${ERR} } }`;
const DELETE = `mutation($id: ID!, $version: Int) { activityDelete(id: $id, version: $version) { deletedId ${ERR} } }`;

/** The card: filled once the person's contacts arrive; ``changed(text)`` reloads the deal (a
 * contact corrected or deleted moves the scores, the last contact and the process). */
export function contactsCard(personId, dealId, changed) {
  const list = loading();
  const card = h('section', { id: 'contacts', 'aria-labelledby': 'contacts-title' }, h('h3', { id: 'contacts-title' }, t('contacts')), list);
  // who of ours took part, two of ours with one name told apart among all of ours
  Promise.all([gql(CONTACTS, { f: { personId } }), teamMembers().catch(() => [])]).then(([data, people]) => {
    const { nodes, totalCount } = data.activities;
    const now = Date.now();
    const items = nodes.map((a) => contactItem(a, dealId, new Date(a.occurredAt).getTime() > now, changed, people));
    items.slice(SHOWN).forEach((item) => { item.hidden = true; });
    const all = items.length > SHOWN ? h('button', { type: 'button', class: 'show-all', onclick: () => {
      items.forEach((item) => { item.hidden = false; });
      all.remove();
    } }, t('contactsAll', { n: items.length })) : '';
    list.replaceWith(items.length ? h('ul', { class: 'contacts' }, items) : h('p', { class: 'help' }, t('noContacts')), all,
      totalCount > nodes.length ? h('p', { class: 'help' }, t('contactsMore', { n: totalCount - nodes.length })) : '');
  }, (error) => { list.replaceWith(h('p', { class: 'field-error', role: 'alert' }, error.message)); });
  return card;
}

/** One contact: when, what, how it went (or that it is still to come), who of ours, on which
 * deal when another, and what was said; with "Correct" and "Delete" for those who may write. */
function contactItem(a, dealId, planned, changed, people = []) {
  const how = planned ? t('plannedContact') : a.outcome ? label('Outcome', a.outcome) : '–';
  const other = a.opportunity && a.opportunity.id !== dealId ? aside(a.opportunity.name) : '';
  const item = h('li', { class: 'contact', dataset: { id: a.id, planned: planned ? 'true' : 'false' } },
    h('span', { class: 'contact-head' }, `${dateTime(a.occurredAt)} · ${label('ActivityType', a.type)} · `, h('strong', { class: 'contact-outcome' }, how), other),
    h('span', { class: 'contact-summary' }, a.summary),
    a.doneBy.length ? h('span', { class: 'help' }, labelled(t('ours'), listOf(a.doneBy.map((m) => nameOf(m, people))))) : '');
  if (!canWrite()) return item;
  const actions = h('span', { class: 'contact-actions' });
  const correct = h('button', { type: 'button', class: 'correct', 'aria-label': t('correctNamed', { what: a.summary }), onclick: () => {
    actions.hidden = true;
    item.append(resultForm(a, { changed: () => changed(said('contactCorrected')), closed: () => { actions.hidden = false; },
      stale: (code) => changed(said(code === 'NOT_FOUND' ? 'contactGoneMeanwhile' : 'contactChangedMeanwhile', { when: dateTime(a.occurredAt), what: label('ActivityType', a.type) }), 'help') }));
  } }, t('correct'));
  const remove = h('button', { type: 'button', class: 'remove', 'aria-label': t('deleteNamed', { what: a.summary }), onclick: () => {
    actions.hidden = true;
    item.append(deleteAsk(a, changed, () => { actions.hidden = false; }));
  } }, t('delete'));
  actions.append(correct, remove);
  item.append(actions);
  return item;
}

/** How far back a contact is dated before its form asks whether the date is right. */
const LONG_AGO_DAYS = 60;

/** Whether the date in ``when`` (a datetime-local input) is asked about first: a contact dated
 * months back is usually a year mistyped, which would count as a meeting held (a gate's
 * "decision maker met") and cool at once; sent again unchanged, it stands. */
export function askedAboutDate(form, when, key) {
  const back = Math.floor((Date.now() - new Date(when.value).getTime()) / 86_400_000);
  if (back <= LONG_AGO_DAYS || form.dataset.confirmedWhen === when.value) return false;
  form.dataset.confirmedWhen = when.value;
  showUserErrors(form, [{ field: ['input', 'occurredAt'], message: t(key, { days: back }), code: 'CONFIRM' }]);
  return true;
}

/** An instant as a datetime-local input shows it (local time, to the minute). */
const localOf = (iso) => { const d = new Date(iso); return new Date(d.getTime() - d.getTimezoneOffset() * 60000).toISOString().slice(0, 16); };

/** A contact corrected, moved or its result recorded: what kind and when (a planned one moved,
 * a date mistyped), what was said, and once its time has come how it went (unset when nobody
 * said yet, so that nobody records a success by leaving a default) and how they took our
 * solution and price; a time still to come asks none of those. ``changed()`` runs once the API
 * took it, ``closed()`` when the form is put away unsent. */
export function resultForm(a, { changed, closed, title = null, stale = null }) {
  const type = select({}, enumOptions('ActivityType'), a.type);
  const when = h('input', { type: 'datetime-local', value: localOf(a.occurredAt), required: true });
  const summary = h('textarea', { rows: 2 }, a.summary);
  const outcome = a.outcome ? select({}, enumOptions('Outcome'), a.outcome)
    : select({}, [['', t('choose')], ...enumOptions('Outcome')], '');
  const reaction = (value) => select({}, [['', t('notDiscussed')], ...enumOptions('Outcome')], value ?? '');
  const solution = reaction(a.solutionReaction);
  const price = reaction(a.priceReaction);
  const result = [field('input.outcome', t('outcome'), outcome), field('input.solutionReaction', t('solutionReaction'), solution),
    field('input.priceReaction', t('priceReaction'), price)];
  const ahead = () => Boolean(when.value) && new Date(when.value) > new Date();
  const follow = () => {
    result.forEach((x) => { x.hidden = ahead(); });
    outcome.required = !ahead();
  };
  when.addEventListener('input', follow);
  follow();
  const form = h('form', { class: 'card contact-form', onsubmit: (event) => { event.preventDefault(); submitting(form, async () => {
    const moved = when.value !== localOf(a.occurredAt);
    if (moved && askedAboutDate(form, when, 'whenLongAgoSave')) return;
    const input = { version: a.version, summary: summary.value,
      ...(type.value !== a.type ? { type: type.value } : {}),
      ...(moved ? { occurredAt: new Date(when.value).toISOString() } : {}),
      ...(ahead() ? {} : { outcome: outcome.value, solutionReaction: solution.value || null, priceReaction: price.value || null }) };
    const payload = await mutate(UPDATE, { id: a.id, input });
    const meanwhile = payload.userErrors.find((e) => ['CONFLICT', 'NOT_FOUND'].includes(e.code)); // changed or deleted meanwhile
    if (stale && meanwhile) { await stale(meanwhile.code); return; }
    if (payload.userErrors.length) { showUserErrors(form, payload.userErrors); return; }
    await changed();
  }); } },
  title ? h('h3', {}, title) : null,
  field('input.type', t('type'), type), field('input.occurredAt', t('when'), when),
  ...result, field('input.summary', t('summary'), summary),
  h('button', { type: 'submit' }, t('save')),
  h('button', { type: 'button', class: 'secondary', onclick: () => { form.remove(); closed(); } }, t('cancel')));
  return form;
}

/** Deleting asks once more, naming the contact: it no longer counts as a meeting held. */
function deleteAsk(a, changed, closed) {
  const box = h('div', { class: 'card contact-delete', role: 'group' },
    h('p', {}, t('deleteContactAsk', { when: dateTime(a.occurredAt), what: label('ActivityType', a.type) })));
  const yes = h('button', { type: 'button', class: 'danger', onclick: async () => {
    yes.disabled = true;
    try {
      const payload = await mutate(DELETE, { id: a.id, version: a.version });
      const what = { when: dateTime(a.occurredAt), what: label('ActivityType', a.type) };
      if (payload.userErrors.some((e) => e.code === 'NOT_FOUND')) { await changed(said('contactGoneMeanwhile', what), 'help'); return; }
      if (payload.userErrors.some((e) => e.code === 'CONFLICT')) { await changed(said('contactChangedBeforeDelete', what), 'help'); return; }
      if (payload.userErrors.length) { notice(saidErrors(payload.userErrors), 'error'); return; }
      await changed(said('contactDeleted'));
    } catch (error) { notice(error.said ?? error.message, 'error'); } finally { yes.disabled = false; }
  } }, t('delete'));
  box.append(yes, h('button', { type: 'button', class: 'secondary', onclick: () => { box.remove(); closed(); } }, t('keep')));
  return box;
}
