// Our people on one deal: who works it, in which role and lifecycle phase. The Process card's
// iron triangle is read from this team; writers put people on it and take them off here.
import { canWrite, gql, mutate, teamMembers } from './api.js';
import { enumOptions, field, h, removeButton, select, showUserErrors, submitting } from './dom.js';
import { aside, label, listOf, t } from './i18n.js';

const TEAM = `query Team($id: ID!) {
  node(id: $id) { ... on Opportunity { id name team { member { id name } role phase } } } }`;
const ERR = 'userErrors { field message code }';
const ASSIGN = `mutation($input: TeamAssignInput!) { teamAssign(input: $input) { teamMember { id } ${ERR} } }`;
const UNASSIGN = `mutation($input: TeamAssignInput!) { teamUnassign(input: $input) { teamMember { id } ${ERR} } }`;

/** A closed card that reads the team when opened; writers get the add form and a remove
 * button per person, readers the list. ``reloaded(text)`` reloads the deal and says what was
 * done (the triangle, the scores and the plan depend on the team). */
export function teamCard(opportunityId, reloaded) {
  const body = h('div', {});
  const card = h('details', { id: 'deal-team', class: 'card', ontoggle: () => { if (card.open) show(); } },
    h('summary', {}, h('strong', {}, t('dealTeam'))), body);

  async function show() {
    const deal = (await gql(TEAM, { id: opportunityId })).node;
    const people = canWrite() ? await teamMembers() : [];
    body.replaceChildren(list(deal), ...(canWrite() ? [addForm(deal, people)] : []));
    card.dataset.ready = String(Date.now());
  }

  function list(deal) {
    if (!deal.team.length) return h('p', { class: 'help', id: 'team-empty' }, t('teamEmpty'));
    const sorted = [...deal.team].sort((a, b) => a.phase.localeCompare(b.phase) || a.role.localeCompare(b.role) || a.member.name.localeCompare(b.member.name));
    return h('ul', { id: 'team-list', class: 'plain' }, sorted.map((a) => h('li', { dataset: { member: a.member.id } },
      h('strong', {}, a.member.name), aside(listOf([label('TeamRole', a.role), label('LifecyclePhase', a.phase)])),
      canWrite() ? removeButton(a.member.name, async () => {
        const payload = await mutate(UNASSIGN, { input: { memberId: a.member.id, targetId: deal.id, role: a.role, phase: a.phase } });
        if (payload.userErrors.length) { showUserErrors(body, payload.userErrors); return; }
        await reloaded(t('teamRemoved', { name: a.member.name, deal: deal.name }));
      }) : null)));
  }

  function addForm(deal, people) {
    // someone who left has handed their work over: they join no team again
    const choices = people.filter((p) => !p.leftAt).map((p) => [p.id, p.role ? `${p.name}${aside(label('TeamRole', p.role))}` : p.name]);
    const member = select({ required: true }, [['', t('choose')], ...choices], '');
    const role = select({ required: true }, [['', t('choose')], ...enumOptions('TeamRole')], '');
    const phase = select({}, enumOptions('LifecyclePhase'), 'DEAL');
    // the person's own role is the usual one on a deal: offered, never forced
    member.addEventListener('change', () => {
      const own = people.find((p) => p.id === member.value)?.role;
      if (own && !role.value) role.value = own;
    });
    const form = h('form', { id: 'team-form', onsubmit: (event) => { event.preventDefault(); submitting(form, async () => {
      const payload = await mutate(ASSIGN, { input: { memberId: member.value, targetId: deal.id, role: role.value, phase: phase.value } });
      if (payload.userErrors.length) { showUserErrors(form, payload.userErrors); return; }
      const name = people.find((p) => p.id === member.value)?.name ?? '';
      await reloaded(t('teamAdded', { name, role: label('TeamRole', role.value), deal: deal.name }));
    }); } }, h('h3', {}, t('teamAdd')), h('p', { class: 'help' }, t('teamAddHelp')),
    field('input.memberId', t('teamMember'), member), field('input.role', t('role'), role), field('input.phase', t('phase'), phase),
    h('button', { type: 'submit' }, t('teamAdd')));
    return form;
  }

  return card;
}
