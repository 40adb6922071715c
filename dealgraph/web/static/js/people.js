// Our people: who is with us, on how many open deals, and who left when; an administrator hands
// over the work of someone who leaves (their open deals, accounts and steps go to a successor,
// their relationships and logins end) and is told what moved and what to rebuild.
import { everyPage, forgetTeamMembers, isAdmin, mutate } from './api.js';
import { field, h, notice, select, showUserErrors, stacked, submitting } from './dom.js';
import { aside, dayOf, label, listOf, t } from './i18n.js';
import { here } from './nav.js';
import { CLOSED } from './pipeline.js';

const PEOPLE = `query OurPeople($after: String) { teamMembers(first: 100, after: $after) { pageInfo { hasNextPage endCursor }
  nodes { id name role title version leftAt directors { id name } opportunities { opportunity { id stage } } } } }`;
const HAND_OVER = `mutation HandOver($id: ID!, $input: TeamMemberHandOverInput!) { teamMemberHandOver(id: $id, input: $input) {
  teamMember { name leftAt } successor { name } opportunities { id name triangle { missing } } customers { name } workPlanItems { id }
  tiesEnded { person { name knownBy { member { name } } } level } usersDisabled userErrors { field message code } } }`;

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
  const heads = [t('name'), t('role'), t('openDeals'), t('statusColumn'), isAdmin() ? '' : null].filter((x) => x !== null);
  return h('table', { id: 'people', class: 'stacked' }, h('thead', {}, h('tr', {}, heads.map((x) => h('th', { scope: 'col' }, x)))),
    h('tbody', {}, sorted.map((p) => {
      const cells = [h('td', { class: 'name' }, p.name, p.title ? aside(p.title) : null),
        h('td', { class: 'role' }, p.role ? label('TeamRole', p.role) : '–'),
        h('td', { class: 'num deals' }, String(openDeals(p))),
        h('td', { class: 'state' }, p.leftAt ? t('leftOn', { day: dayOf(p.leftAt) }) : t('withUs'))];
      if (isAdmin()) cells.push(h('td', { class: 'act' }, p.leftAt ? null : handOverButton(p, people, redraw)));
      return h('tr', { class: `person${p.leftAt ? ' left' : ''}`, dataset: { id: p.id } }, stacked(cells, heads));
    })));
}

/** "Hand over…": opens, under the person's row, the form that names the successor. */
function handOverButton(person, people, redraw) {
  const button = h('button', { type: 'button', class: 'hand-over', 'aria-label': t('handOverNamed', { name: person.name }), 'aria-expanded': 'false' }, t('handOver'));
  button.addEventListener('click', () => {
    const row = button.closest('tr');
    const open = row.nextElementSibling?.classList.contains('hand-over-row');
    document.querySelectorAll('#people tr.hand-over-row').forEach((r) => r.remove());
    document.querySelectorAll('#people button.hand-over').forEach((b) => b.setAttribute('aria-expanded', 'false'));
    if (open) return;
    const form = handOverForm(person, people, redraw);
    row.after(h('tr', { class: 'hand-over-row' }, h('td', { colspan: 5 }, form)));
    button.setAttribute('aria-expanded', 'true');
    form.querySelector('select').focus();
  });
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
  successor.addEventListener('change', () => unseen.replaceChildren(...lostSight(person, people.find((p) => p.id === successor.value))));
  return form;
}

/** The directors who see the leaver's deals as their team's and will not see them in the
 * successor's hands: said before the hand-over, which cannot be undone. */
function lostSight(person, successor) {
  if (!successor) return [];
  const keeps = new Set(successor.directors.map((d) => d.id));
  const lost = person.directors.filter((d) => !keeps.has(d.id) && d.id !== successor.id).map((d) => d.name);
  return lost.length ? [t('directorsLoseSight', { directors: listOf(lost), name: person.name, successor: successor.name, n: lost.length })] : [];
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
