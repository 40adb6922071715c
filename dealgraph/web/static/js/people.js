// Our people: who is with us, whom they report to, on how many open deals, and who left when; an
// administrator keeps who directs whom (which decides the deals a sales director sees) and hands
// over the work of someone who leaves (their open deals, accounts and steps go to a successor,
// their relationships and logins end) and is told what moved and what to rebuild.
import { everyPage, forgetTeamMembers, isAdmin, mutate } from './api.js';
import { ApiError } from './api.js';
import { field, h, notice, select, showUserErrors, stacked, submitting } from './dom.js';
import { aside, dayOf, label, listOf, t } from './i18n.js';
import { here } from './nav.js';
import { CLOSED } from './pipeline.js';

const PEOPLE = `query OurPeople($after: String) { teamMembers(first: 100, after: $after) { pageInfo { hasNextPage endCursor }
  nodes { id name role title version leftAt directors { id name } managers { id name } opportunities { opportunity { id stage } } } } }`;
const HAND_OVER = `mutation HandOver($id: ID!, $input: TeamMemberHandOverInput!) { teamMemberHandOver(id: $id, input: $input) {
  teamMember { name leftAt } successor { name } opportunities { id name triangle { missing } } customers { name } workPlanItems { id }
  tiesEnded { person { name knownBy { member { name } } } level } usersDisabled userErrors { field message code } } }`;
const MANAGER = (verb) => `mutation Manager($input: TeamMemberManagerInput!) { teamMemberManager${verb}(input: $input) {
  manager { name } member { name } userErrors { field message code } } }`;

const openDeals = (p) => (p.opportunities ?? []).filter((a) => !CLOSED.has(a.opportunity.stage)).length;

/** The page. */
export async function showPeople(main) {
  const current = here();
  main.replaceChildren(h('p', { class: 'loading' }, t('loading')));
  const people = await everyPage(PEOPLE);
  if (!current()) return;
  const result = h('div', { id: 'hand-over-result' });
  const redraw = async (done) => {
    forgetTeamMembers();
    const fresh = await everyPage(PEOPLE);
    if (!current()) return;
    table.replaceWith(table = peopleTable(fresh, redraw));
    if (!done) return;
    result.replaceChildren(handedOver(done));
    notice(t('handedOverNotice', { name: done.teamMember.name, successor: done.successor.name }));
    result.querySelector('h2').focus(); // the row that had the focus is gone
  };
  let table = peopleTable(people, redraw);
  main.replaceChildren(h('h1', {}, t('ourPeople')), h('p', { class: 'help' }, t(isAdmin() ? 'ourPeopleHelpAdmin' : 'ourPeopleHelp')),
    h('div', { id: 'notice', class: 'notice inline', role: 'status', 'aria-live': 'polite' }), result, table);
}

function peopleTable(people, redraw) {
  const sorted = [...people].sort((a, b) => Boolean(a.leftAt) - Boolean(b.leftAt) || a.name.localeCompare(b.name));
  const heads = [t('name'), t('role'), t('reportsTo'), t('openDeals'), t('statusColumn'), isAdmin() ? '' : null].filter((x) => x !== null);
  return h('table', { id: 'people', class: 'stacked' }, h('thead', {}, h('tr', {}, heads.map((x) => h('th', { scope: 'col' }, x)))),
    h('tbody', {}, sorted.map((p) => {
      const cells = [h('td', { class: 'name' }, p.name, p.title ? aside(p.title) : null),
        h('td', { class: 'role' }, p.role ? label('TeamRole', p.role) : '–'),
        h('td', { class: 'managers' }, managersOf(p, people, redraw)),
        h('td', { class: 'num deals' }, String(openDeals(p))),
        h('td', { class: 'state' }, p.leftAt ? t('leftOn', { day: dayOf(p.leftAt) }) : t('withUs'))];
      if (isAdmin()) cells.push(h('td', { class: 'act' }, p.leftAt ? null : handOverButton(p, people, redraw)));
      return h('tr', { class: `person${p.leftAt ? ' left' : ''}`, dataset: { id: p.id } }, stacked(cells, heads));
    })));
}

/** Whom someone reports to; for an administrator each with a button that ends the line, and a
 * button that opens the form adding a manager (not for someone who left). */
function managersOf(person, people, redraw) {
  const names = [...person.managers].sort((a, b) => a.name.localeCompare(b.name));
  if (!isAdmin()) return names.length ? listOf(names.map((m) => m.name)) : '–';
  const items = names.map((m) => h('li', { class: 'manager' }, m.name, h('button', {
    type: 'button', class: 'remove remove-manager', 'aria-label': t('removeManagerNamed', { manager: m.name, name: person.name }),
    onclick: (event) => removeManager(event.currentTarget, m, person, redraw),
  }, '×')));
  return [items.length ? h('ul', { class: 'plain managers' }, items) : null,
    person.leftAt ? (items.length ? null : '–') : h('button', { type: 'button', class: 'add-manager', 'aria-expanded': 'false',
      'aria-label': t('addManagerNamed', { name: person.name }), onclick: (event) => openBelow(event.currentTarget, 'manager-row', () => managerForm(person, people, redraw)) }, t('addManager'))];
}

async function removeManager(button, manager, person, redraw) {
  button.disabled = true;
  try {
    const payload = await mutate(MANAGER('Remove'), { input: { managerId: manager.id, memberId: person.id } });
    if (payload.userErrors.length) { notice(payload.userErrors.map((e) => e.message).join(' '), 'error'); return; }
    await redraw(null);
    notice(t('managerRemoved', { manager: manager.name, name: person.name }));
  } catch (error) {
    if (error instanceof ApiError) notice(error.message, 'error'); else throw error;
  } finally { button.disabled = false; }
}

/** Open ``make()``'s form in a row under the button's row (closing any other open there); a
 * second click closes it. */
function openBelow(button, kind, make) {
  const row = button.closest('tr');
  const open = row.nextElementSibling?.classList.contains(kind);
  document.querySelectorAll('#people tr.below').forEach((r) => r.remove());
  document.querySelectorAll('#people [aria-expanded]').forEach((b) => b.setAttribute('aria-expanded', 'false'));
  if (open) return null;
  const form = make();
  row.after(h('tr', { class: `below ${kind}` }, h('td', { colspan: row.children.length }, form)));
  button.setAttribute('aria-expanded', 'true');
  form.querySelector('select').focus();
  return form;
}

/** Who manages ``person``: the administrator picks one of our people (nobody already their
 * manager, nor they themselves); a circle or someone who left is refused at the field. */
function managerForm(person, people, redraw, preselect = '') {
  const taken = new Set(person.managers.map((m) => m.id));
  const others = people.filter((p) => !p.leftAt && p.id !== person.id && !taken.has(p.id)).sort((a, b) => a.name.localeCompare(b.name));
  const manager = select({ required: true }, [['', t('choose')], ...others.map((p) => [p.id, p.role ? `${p.name}${aside(label('TeamRole', p.role))}` : p.name])], preselect);
  const form = h('form', { id: 'manager-form', class: 'card', onsubmit: (event) => { event.preventDefault(); submitting(form, async () => {
    const payload = await mutate(MANAGER('Add'), { input: { managerId: manager.value, memberId: person.id } });
    if (payload.userErrors.length) { showUserErrors(form, payload.userErrors); return; }
    await redraw(null);
    notice(t('managerAdded', { manager: payload.manager.name, name: person.name }));
  }); } },
  h('h3', { 'data-field': 'input.memberId' }, t('managerTitle', { name: person.name })),
  h('p', { class: 'help' }, t('managerHelp')),
  field('input.managerId', t('manager'), manager),
  h('button', { type: 'submit' }, t('managerConfirm')));
  return form;
}

/** "Hand over…": opens, under the person's row, the form that names the successor. */
function handOverButton(person, people, redraw) {
  const button = h('button', { type: 'button', class: 'hand-over', 'aria-label': t('handOverNamed', { name: person.name }), 'aria-expanded': 'false' }, t('handOver'));
  button.addEventListener('click', () => openBelow(button, 'hand-over-row', () => handOverForm(person, people, redraw)));
  return button;
}

function handOverForm(person, people, redraw) {
  const others = people.filter((p) => !p.leftAt && p.id !== person.id).sort((a, b) => a.name.localeCompare(b.name));
  const successor = select({ required: true }, [['', t('choose')], ...others.map((p) => [p.id, p.role ? `${p.name}${aside(label('TeamRole', p.role))}` : p.name])], '');
  const unseen = h('p', { class: 'warning', id: 'hand-over-unseen', role: 'status' });
  const form = h('form', { id: 'hand-over-form', class: 'card', onsubmit: (event) => { event.preventDefault(); submitting(form, async () => {
    const payload = await mutate(HAND_OVER, { id: person.id, input: { successorId: successor.value, version: person.version } });
    if (payload.userErrors.some((e) => e.code === 'CONFLICT')) { // someone changed them meanwhile: read them again
      await redraw(null);
      notice(t('changedMeanwhile', { name: person.name }), 'help');
      return;
    }
    if (payload.userErrors.length) { showUserErrors(form, payload.userErrors); return; }
    await redraw(payload);
  }); } },
  h('h3', {}, t('handOverTitle', { name: person.name })),
  h('p', { class: 'help' }, t('handOverHelp', { name: person.name, deals: openDeals(person) })),
  field('input.successorId', t('handOverTo'), successor), unseen,
  h('button', { type: 'submit' }, t('handOverConfirm', { name: person.name })));
  successor.addEventListener('change', () => unseen.replaceChildren(...lostSight(person, people.find((p) => p.id === successor.value), people, redraw)));
  return form;
}

/** The directors who see the leaver's deals as their team's and will not see them in the
 * successor's hands: said before the hand-over, which cannot be undone, with the way to keep
 * them seeing: make one of them the successor's manager first. */
function lostSight(person, successor, people, redraw) {
  if (!successor) return [];
  const keeps = new Set(successor.directors.map((d) => d.id));
  const lost = person.directors.filter((d) => !keeps.has(d.id) && d.id !== successor.id);
  if (!lost.length) return [];
  const names = lost.map((d) => d.name);
  const keep = h('button', { type: 'button', class: 'keep-sight' }, t('addManagerNamed', { name: successor.name }));
  keep.addEventListener('click', () => {
    const row = document.querySelector(`#people tr.person[data-id="${CSS.escape(successor.id)}"]`);
    const add = row?.querySelector('button.add-manager');
    if (!add) return;
    const form = openBelow(add, 'manager-row', () => managerForm(successor, people, redraw, lost[0].id));
    form?.scrollIntoView({ block: 'nearest' });
  });
  return [t('directorsLoseSight', { directors: listOf(names), name: person.name, successor: successor.name, n: lost.length }), ' ', keep];
}

/** What a hand-over did, for the administrator to pass on: the deals and accounts the successor
 * now runs, the deals whose iron triangle now lacks a role (a successor already on a deal keeps
 * their own role there), the steps now theirs, the relationships to build anew (each saying who
 * of ours still knows the person, or that nobody does: those are lost), the logins stopped. */
function handedOver(done) {
  const line = (key, items) => h('li', {}, h('strong', {}, t(key)), ' ', items.length ? listOf(items) : t('none'));
  const gaps = done.opportunities.filter((o) => o.triangle.missing.length)
    .map((o) => `${o.name}${aside(listOf(o.triangle.missing.map((r) => label('TeamRole', r))))}`);
  return h('div', { class: 'card', id: 'hand-over-done' },
    h('h2', { tabindex: '-1' }, t('handedOverTitle', { name: done.teamMember.name, successor: done.successor.name })),
    h('ul', { class: 'plain' },
      line('handedDeals', done.opportunities.map((o) => o.name)),
      gaps.length ? h('li', { class: 'gaps' }, h('strong', {}, t('triangleGaps')), ' ', listOf(gaps)) : null,
      line('handedAccounts', done.customers.map((c) => c.name)),
      h('li', {}, h('strong', {}, t('handedSteps')), ' ', String(done.workPlanItems.length)),
      line('tiesToRebuild', done.tiesEnded.map((x) => `${x.person.name}${aside(listOf([label('TieStrength', x.level),
        x.person.knownBy.length ? t('alsoKnownBy', { names: listOf(x.person.knownBy.map((k) => k.member.name)) }) : t('knownByNobody')]))}`)),
      line('loginsStopped', done.usersDisabled)));
}
