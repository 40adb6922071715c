// A key person who left the customer, on the person panel: recorded once, for every deal at
// once (the day they left, often before today, how, where to), and undone when it was a
// mistake. The steps with them close with the record and open again with its undo.
import { canWrite, mutate } from './api.js';
import { day, enumOptions, field, h, select, showUserErrors, submitting } from './dom.js';
import { label, pieces, t, utcDay } from './i18n.js';

const ERR = 'userErrors { field message code messageEn messageZh }';
const RECORD = `mutation($id: ID!, $input: KeyPersonDepartureInput!) { keyPersonDepartureRecord(id: $id, input: $input) {
  keyPerson { id } workPlanItems { id } ${ERR} } }`;
const UNDO = `mutation($id: ID!) { keyPersonDepartureUndo(id: $id) { keyPerson { id } workPlanItems { id status } ${ERR} } }`;

/** What the record says: "Left the customer on 2026-12-01 · Rotated within the group → 集团总部"
 * (``short``: "Left on 2026-12-01 → 集团总部", for the list of people). */
export function leftText(left, short = false) {
  const key = `${short ? 'leftList' : 'leftSaid'}${left.to ? 'To' : ''}`;
  return pieces(key, { day: day(left.leftOn), how: label('DepartureKind', left.how), to: left.to });
}

/** The card: the record and its undo for one who left, the form to record it for anyone else
 * (writers only); ``changed(text)`` reloads the deal and says what was done. */
export function departureCard(person, changed) {
  const left = person.departure;
  const title = h('h3', {}, t('departureTitle'));
  if (left) {
    const card = h('form', { id: 'departure', class: 'card departed', onsubmit: (event) => { event.preventDefault(); submitting(card, async () => {
      const payload = await mutate(UNDO, { id: person.id });
      if (payload.userErrors.length) { showUserErrors(card, payload.userErrors); return; }
      // the steps open again (an ask for their successor it dropped is no step reopened)
      const opened = payload.workPlanItems.filter((w) => w.status === 'OPEN').length;
      await changed(t('departureUndone', { name: person.name, n: opened }));
    }); } }, title,
    h('p', { class: 'departure-said' }, ...leftText(left)),
    h('p', { class: 'help' }, t('departureHelpLeft')),
    canWrite() ? [h('p', { class: 'help' }, t('departureUndoHelp')), h('button', { type: 'submit', class: 'departure-undo' }, t('departureUndo'))] : null);
    return card;
  }
  if (!canWrite()) return null;
  const today = utcDay(Date.now());
  const when = h('input', { type: 'date', max: today, value: today, required: true });
  const how = select({ required: true }, [['', t('choose')], ...enumOptions('DepartureKind')], '');
  const to = h('input', { maxlength: 200, placeholder: t('departureToHint') });
  // novalidate: the API says what is wrong, in the page's language, at the field
  const form = h('form', { id: 'departure-form', class: 'card', novalidate: true, onsubmit: (event) => { event.preventDefault(); submitting(form, async () => {
    const missing = [!when.value && ['leftOn', t('departureDayMissing')], !how.value && ['how', t('departureHowMissing')]].filter(Boolean);
    if (missing.length) { showUserErrors(form, missing.map(([name, message]) => ({ field: ['input', name], message, code: 'BAD_USER_INPUT' }))); return; }
    const payload = await mutate(RECORD, { id: person.id, input: { leftOn: when.value, how: how.value, to: to.value || null } });
    if (payload.userErrors.length) { showUserErrors(form, payload.userErrors); return; }
    await changed(t('departureRecorded', { name: person.name, n: payload.workPlanItems.length }));
  }); } }, title, h('p', { class: 'help' }, t('departureHelp')),
  field('input.leftOn', t('departureDay'), when), field('input.how', t('departureHow'), how), field('input.to', t('departureTo'), to),
  h('button', { type: 'submit' }, t('departureRecord')));
  return form;
}
