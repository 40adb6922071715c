// A key person who left the customer, on the person panel: recorded once, for every deal at
// once (the day they left, often before today, how, where to), and undone when it was a
// mistake. The steps with them close with the record and open again with its undo.
import { canWrite, mutate } from './api.js';
import { day, enumOptions, field, h, select, showUserErrors, submitting } from './dom.js';
import { label, personChoice, pieces, t, utcDay } from './i18n.js';

const ERR = 'userErrors { field message code messageEn messageZh }';
const RECORD = `mutation($id: ID!, $input: KeyPersonDepartureInput!) { keyPersonDepartureRecord(id: $id, input: $input) {
  keyPerson { id } workPlanItems { id } ${ERR} } }`;
const UNDO = `mutation($id: ID!) { keyPersonDepartureUndo(id: $id) { keyPerson { id } workPlanItems { id status } ${ERR} } }`;
const SUCCESSOR = `mutation($id: ID!, $successorId: ID) { keyPersonSuccessorSet(id: $id, successorId: $successorId) {
  keyPerson { id departure { successor { id name departure { leftOn } } } } ${ERR} } }`;

/** What the record says: "Left the customer on 2026-12-01 · Rotated within the group → 集团总部"
 * (``short``: "Left on 2026-12-01 → 集团总部", for the list of people). */
export function leftText(left, short = false) {
  const key = `${short ? 'leftList' : 'leftSaid'}${left.to ? 'To' : ''}`;
  return pieces(key, { day: day(left.leftOn), how: label('DepartureKind', left.how), to: left.to });
}

/** Who holds the job now, for one who left: named by a writer among the customer's people still
 * there (``seat.people()`` loads them; ``seat.onChain(id)``: on this deal's chain), read by
 * everyone. Until the one named is on the chain the job counts as held by someone nobody of ours
 * knows: the card offers to put them there in the leaver's place (``seat.place(id)``, as
 * ``seat.as`` says), so a successor takes over the role and the weight of the job, not less. */
function successorForm(person, changed, { people, onChain, place, as }) {
  const now = person.departure.successor;
  if (!canWrite()) return h('p', { id: 'successor-said' }, t('successorSaid', { name: now ? now.name : t('successorUnknown') }));
  // one named who left since holds the job no more: nobody to put on the chain
  const off = now && !now.departure && !onChain(now.id) && place;
  const placing = off ? h('button', { type: 'button', id: 'successor-place', onclick: () => submitting(form, async () => {
    const payload = await place(now.id);
    if (payload.userErrors.length) { showUserErrors(form, payload.userErrors); return; }
    await changed(t('successorPlaced', { successor: now.name, name: person.name, as }));
  }) }, t('successorPlace', { successor: now.name, as })) : null;
  const UNKNOWN = '';
  const choice = select({ id: 'successor-choice' }, [[UNKNOWN, t('successorUnknown')], ...(now ? [[now.id, now.name]] : [])], now?.id ?? UNKNOWN);
  const form = h('form', { id: 'successor-form', class: 'successor', onsubmit: (event) => { event.preventDefault(); submitting(form, async () => {
    const successorId = choice.value || null;
    const payload = await mutate(SUCCESSOR, { id: person.id, successorId });
    if (payload.userErrors.length) { showUserErrors(form, payload.userErrors); return; }
    const named = payload.keyPerson.departure.successor;
    const said = !named ? 'successorCleared' : onChain(named.id) ? 'successorSet' : 'successorSetOff';
    await changed(t(said, { name: person.name, successor: named?.name }));
  }); } }, h('p', { class: 'help' }, t('successorHelp')), field('successorId', t('successorLabel'), choice),
  h('button', { type: 'submit' }, t('successorSave')), placing);
  people().then((found) => { // those still at the customer, and whoever is named now
    const there = found.filter((p) => p.id !== person.id && (!p.departure || p.id === now?.id)).sort((a, b) => a.name.localeCompare(b.name));
    const picked = choice.value; // a choice made while they loaded stays
    const shown = (p) => (p.departure ? t('successorGone', { name: personChoice(p) }) : personChoice(p));
    choice.replaceChildren(...[[UNKNOWN, t('successorUnknown')], ...there.map((p) => [p.id, shown(p)])]
      .map(([value, text]) => h('option', { value, selected: value === picked }, text)));
    form.dataset.peopleLoaded = String(there.length);
  }).catch(() => { // the choice stays as it is, and the page says why it offers nobody
    form.insertBefore(h('p', { class: 'help', role: 'alert' }, t('successorNotLoaded')), form.lastChild);
    form.dataset.peopleLoaded = 'failed';
  });
  return form;
}

/** What the other deals ``person`` (one who left) sat on did about asking them for their
 * successor: they are asked once for all their deals, so this deal's team hears who asks, when,
 * and on which deal (named only to one who may see it: ``opportunity`` is null otherwise). */
function askedElsewhere(person, deal) {
  const said = { OPEN: 'askOpen', DONE: 'askDone' };
  const dropped = { REFUSED: 'askRefused', NOT_NEEDED: 'askNotNeeded' };
  const keyOf = (a) => said[a.status] ?? (a.status === 'CANCELLED' ? dropped[a.dropReason] : undefined);
  const asks = (person.departure.successorAsks ?? []).filter((a) => a.opportunity?.id !== deal && keyOf(a));
  // "not needed there, not asked yet" is untrue beside an ask open, done or refused
  const asked = asks.some((a) => keyOf(a) !== 'askNotNeeded');
  return asks.filter((a) => !(asked && keyOf(a) === 'askNotNeeded')).map((a) => {
    const words = { name: person.name, owner: a.owner?.name ?? t('askSomeone'), deal: a.opportunity?.name, due: a.dueDate ?? '–', on: a.closedAt ? utcDay(a.closedAt) : '–' };
    return h('p', { class: 'successor-ask', role: 'status' }, t(a.opportunity ? keyOf(a) : `${keyOf(a)}Elsewhere`, words));
  });
}

/** The card: the record and its undo for one who left, with who holds their job now; the form
 * to record it for anyone else (writers only). ``changed(text)`` reloads the deal and says what
 * was done; ``seat`` as ``successorForm`` reads it. */
export function departureCard(person, changed, seat = { people: async () => [], onChain: () => false }) {
  const left = person.departure;
  const title = h('h3', {}, t('departureTitle'));
  if (left) {
    const undo = h('form', { id: 'departure-undo', onsubmit: (event) => { event.preventDefault(); submitting(undo, async () => {
      const payload = await mutate(UNDO, { id: person.id });
      if (payload.userErrors.length) { showUserErrors(undo, payload.userErrors); return; }
      // the steps open again (an ask for their successor it dropped is no step reopened)
      const opened = payload.workPlanItems.filter((w) => w.status === 'OPEN').length;
      await changed(t('departureUndone', { name: person.name, n: opened }));
    }); } }, h('p', { class: 'help' }, t('departureUndoHelp')), h('button', { type: 'submit', class: 'departure-undo' }, t('departureUndo')));
    return h('div', { id: 'departure', class: 'card departed' }, title,
      h('p', { class: 'departure-said' }, ...leftText(left)),
      h('p', { class: 'help' }, t('departureHelpLeft')),
      ...askedElsewhere(person, seat.deal),
      successorForm(person, changed, seat),
      canWrite() ? undo : null);
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
