// A step already in the plan, revised where it is listed (the deal page's work plan, My work):
// given to another of the deal's team, moved to another day, or dropped.
import { mutate } from './api.js';
import { field, h, select, showUserErrors, submitting } from './dom.js';
import { isoDay, label, memberChoice, nameOf, said, saidErrors, t } from './i18n.js';

const ERR = 'userErrors { field message code messageEn messageZh }';
const CHANGE = `mutation($id: ID!, $input: WorkPlanItemUpdateInput!) { workPlanItemUpdate(id: $id, input: $input) {
  workPlanItem { id title dueDate owner { id name title email } } ${ERR} } }`;
const DROP = `mutation($id: ID!, $version: Int!) { workPlanItemCancel(id: $id, version: $version) { workPlanItem { id title } ${ERR} } }`;

/** The form revising step ``w`` (id, version, title, dueDate, owner): its owner among ``team``,
 * the deal's assignments (member and role; its owner kept on offer when they are not on it), its
 * day, or *Drop this step*. ``ours``: all of ours the page knows (namesakes told apart).
 * ``done(text, kind)`` reads the list again and says ``text``; someone else's change meanwhile
 * is said the same way (the list read again shows it). */
export function planChangeForm(w, team, ours, done) {
  const offered = new Map(team.map((a) => [a.member.id, memberChoice(a.member, ours, label('TeamRole', a.role))]));
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
  const drop = h('button', { type: 'button', class: 'plan-drop', onclick: () => send(DROP, { id: w.id, version: w.version },
    () => said('planDropped', { title: w.title })) }, t('planDrop'));
  // novalidate: an overdue step keeps its past day when only its owner changes (the browser
  // would refuse a day before ``min`` on its own, in its own language)
  const form = h('form', { class: 'plan-change-form', novalidate: true, onsubmit: (event) => {
    event.preventDefault();
    const input = { version: w.version, ownerId: owner.value && owner.value !== w.owner?.id ? owner.value : null,
      dueDate: due.value && due.value !== w.dueDate ? due.value : null };
    if (!input.ownerId && !input.dueDate) { showUserErrors(form, [{ field: ['input'], message: t('planChangeNothing'), code: 'BAD_USER_INPUT' }]); return; }
    send(CHANGE, { id: w.id, input }, (item) => said('planChanged', { title: item.title, owner: nameOf(item.owner, ours) ?? said('noOwner'), due: item.dueDate ?? '–' }));
  } }, field('input.ownerId', t('owner'), owner), field('input.dueDate', t('due'), due), h('div', { class: 'buttons', dataset: { field: 'input' } }, save, drop)); // what the whole form lacks, said under its buttons
  return form;
}
