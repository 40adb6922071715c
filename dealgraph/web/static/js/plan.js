// A step already in the plan, revised where it is listed (the deal page's work plan, My work):
// given to another of the deal's team, moved to another day, or dropped, saying why.
import { mutate } from './api.js';
import { enumOptions, field, h, select, showUserErrors, submitting } from './dom.js';
import { aside, isoDay, label, memberChoice, nameOf, said, saidErrors, t, utcDay } from './i18n.js';
import { isReviewerStep } from './process.js';

const ERR = 'userErrors { field message code messageEn messageZh }';
const CHANGE = `mutation($id: ID!, $input: WorkPlanItemUpdateInput!) { workPlanItemUpdate(id: $id, input: $input) {
  workPlanItem { id title dueDate owner { id name title email } } ${ERR} } }`;
const DROP = `mutation($id: ID!, $version: Int!, $reason: WorkPlanDropReason, $resumeOn: String) {
  workPlanItemCancel(id: $id, version: $version, reason: $reason, resumeOn: $resumeOn) { workPlanItem { id title dropReason resumeOn } ${ERR} } }`;

/** What the deal's list says of a dropped step: why, and for a wrong timing until when. */
export const droppedWhy = (w) => (w.dropReason
  ? aside(w.dropReason === 'TIMING' && w.resumeOn ? t('planDroppedUntil', { why: label('WorkPlanDropReason', w.dropReason), day: w.resumeOn }) : label('WorkPlanDropReason', w.dropReason))
  : '');

/** The notice once step ``w`` is dropped (``item``: as stored): how long its play waits, as its
 * reason says (a refusal waits for a contact with its person, a step with nobody a month;
 * "nobody of ours to do it" goes to the sales director). */
const droppedText = (item, w) => said(w.owed ? 'planDroppedOwed' : item.dropReason === 'TIMING' ? 'planDroppedTiming' : item.dropReason === 'NOBODY' ? 'planDroppedNobody'
  : !w.target ? 'planDroppedNoOne' : item.dropReason === 'REFUSED' ? 'planDroppedRefused' : 'planDropped',
  { title: item.title ?? w.title, day: item.resumeOn ?? '', person: w.target?.name ?? '' });

/** The form revising step ``w`` (id, version, title, dueDate, owner, owed): its owner among ``team``,
 * the deal's assignments (member and role; its owner kept on offer when they are not on it), its
 * day, or *Drop this step* with why (a wrong timing with the day it may come back: the play
 * waits as the reason says). ``ours``: all of ours the page knows (namesakes told apart).
 * ``done(text, kind)`` reads the list again and says ``text``; someone else's change meanwhile
 * is said the same way (the list read again shows it). */
export function planChangeForm(w, team, ours, done) {
  // the delivery review is the delivery manager's: nobody else is offered (the API refuses them)
  const who = isReviewerStep(w) ? team.filter((a) => a.role === 'DELIVERY_MANAGER') : team;
  const offered = new Map(who.map((a) => [a.member.id, memberChoice(a.member, ours, label('TeamRole', a.role))]));
  if (w.owner && !offered.has(w.owner.id)) offered.set(w.owner.id, memberChoice(w.owner, ours));
  const owner = select({}, [...(w.owner ? [] : [['', t('noOwner')]]), ...offered], w.owner?.id ?? '');
  const due = h('input', { type: 'date', value: w.dueDate ?? '', min: isoDay(new Date()) });
  /** One write from the form (the drop as well as the save: an error of the whole request is
   * said on the form either way); a refusal at a field stays on the form. */
  const send = (mutation, variables, text) => submitting(form, async () => {
    drop.disabled = true; // as the save is, while either is on its way
    try {
      const payload = await mutate(mutation, variables);
      if (payload.userErrors.some((e) => e.code === 'CONFLICT')) await done(saidErrors(payload.userErrors), 'help');
      else if (payload.userErrors.length) showUserErrors(form, payload.userErrors);
      else await done(text(payload.workPlanItem));
    } finally { drop.disabled = false; }
  });
  const save = h('button', { type: 'submit' }, t('planChangeSave'));
  // a step the process requires cannot wait for a day (the API refuses it): it is moved instead
  // a step is dropped for its person's departure only by recording it on the person
  const reasons = enumOptions('WorkPlanDropReason').filter(([v]) => v !== 'PERSON_LEFT' && !(w.owed && v === 'TIMING'));
  const why = select({ class: 'drop-why' }, [['', t('planDropWhyChoose')], ...reasons], '');
  // days as the API counts them (UTC): from tomorrow, within a year
  const resume = h('input', { type: 'date', class: 'drop-resume', min: utcDay(Date.now() + 86_400_000), max: utcDay(Date.now() + 365 * 86_400_000) });
  const resumeField = field('resumeOn', t('planResumeOn'), resume);
  resumeField.hidden = true;
  why.addEventListener('change', () => { resumeField.hidden = why.value !== 'TIMING'; });
  const drop = h('button', { type: 'button', class: 'plan-drop', onclick: () => {
    if (!why.value) { showUserErrors(form, [{ field: ['reason'], message: t('planDropWhyMissing'), code: 'BAD_USER_INPUT' }]); return; }
    send(DROP, { id: w.id, version: w.version, reason: why.value, resumeOn: why.value === 'TIMING' ? resume.value || null : null },
      (item) => droppedText(item, w));
  } }, t('planDrop'));
  // Enter in the day to come back drops the step, as its button does, rather than saving a change
  resume.addEventListener('keydown', (event) => { if (event.key === 'Enter') { event.preventDefault(); drop.click(); } });
  // novalidate: an overdue step keeps its past day when only its owner changes (the browser
  // would refuse a day before ``min`` on its own, in its own language)
  const form = h('form', { class: 'plan-change-form', novalidate: true, onsubmit: (event) => {
    event.preventDefault();
    const input = { version: w.version, ownerId: owner.value && owner.value !== w.owner?.id ? owner.value : null,
      dueDate: due.value && due.value !== w.dueDate ? due.value : null };
    if (!input.ownerId && !input.dueDate) { showUserErrors(form, [{ field: ['input'], message: t('planChangeNothing'), code: 'BAD_USER_INPUT' }]); return; }
    send(CHANGE, { id: w.id, input }, (item) => said('planChanged', { title: item.title, owner: nameOf(item.owner, ours) ?? said('noOwner'), due: item.dueDate ?? '–' }));
  } }, field('input.ownerId', t('owner'), owner), field('input.dueDate', t('due'), due),
  h('div', { class: 'buttons', dataset: { field: 'input' } }, save), // what the whole form lacks, said under its button
  h('fieldset', { class: 'drop-fields' }, h('legend', {}, t('planDropLegend')), w.owed ? h('p', { class: 'help owed' }, t('planOwed')) : null,
    field('reason', t('planDropWhy'), why), resumeField, h('div', { class: 'buttons' }, drop)));
  return form;
}
