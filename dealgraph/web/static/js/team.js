// Our people on one deal: who works it, in which role and lifecycle phase. The Process card's
// iron triangle is read from this team; writers put people on it and take them off here.
import { allOurs, canWrite, gql, me, mutate } from './api.js';
import { enumOptions, field, h, notice, noticeNext, removeButton, select, showUserErrors, submitting } from './dom.js';
import { aside, label, listOf, memberChoice, nameOf, said, t, tellApart } from './i18n.js';

const TEAM = `query Team($id: ID!) {
  node(id: $id) { ... on Opportunity { id name team { member { id name title email } role phase } } } }`;
const ERR = 'userErrors { field message code messageEn messageZh }';
const ASSIGN = `mutation($input: TeamAssignInput!) { teamAssign(input: $input) { teamMember { id } ${ERR} } }`;
const TRIANGLE = ['ACCOUNT_MANAGER', 'SOLUTION_MANAGER', 'DELIVERY_MANAGER'];
const DIRECTORS = '{ me { teamMember { id directors { id } } } }';
/** Whether a session may make someone a deal's sales director: an administrator or a director. */
const leads = (session) => session.roles.some((r) => r === 'admin' || r === 'sales_director');
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
    // all of ours, whom the list, the take-off question and the picker tell namesakes apart among
    const people = await allOurs(deal.team.map((a) => a.member));
    const session = canWrite() ? await me() : null;
    const mine = session?.teamMember?.id ?? null;
    // whether a sales director sees this writer's deals already: only then does the form say so
    const overseen = session && !leads(session) && mine
      ? (await gql(DIRECTORS)).me.teamMember?.directors.length > 0 : false;
    body.replaceChildren(list(deal, mine, people), ...(session ? [addForm(deal, people, session, overseen)] : []));
    card.dataset.ready = String(Date.now());
  }

  function list(deal, mine, people) {
    if (!deal.team.length) return h('p', { class: 'help', id: 'team-empty' }, t('teamEmpty'));
    const sorted = [...deal.team].sort((a, b) => a.phase.localeCompare(b.phase) || a.role.localeCompare(b.role) || a.member.name.localeCompare(b.member.name));
    return h('ul', { id: 'team-list', class: 'plain' }, sorted.map((a) => {
      const item = h('li', { dataset: { member: a.member.id } },
        h('strong', {}, a.member.name), aside(listOf([tellApart(a.member, people), label('TeamRole', a.role), label('LifecyclePhase', a.phase)].filter(Boolean))),
        canWrite() ? removeButton(nameOf(a.member, people), async () => {
          item.querySelector('.team-remove')?.remove();
          item.append(removeAsk(deal, a, mine, people));
          item.lastChild.scrollIntoView({ block: 'nearest' });
        }) : null);
      return item;
    }));
  }

  /** Taking someone off asks once more, saying what goes with them: the deal itself for whoever
   * takes themselves off, the iron triangle's only one in a role, or just their place. A namesake
   * among ``people`` (ours) is told apart in what it says. */
  function removeAsk(deal, a, mine, people) {
    const self = a.member.id === mine;
    const name = nameOf(a.member, people);
    const alone = TRIANGLE.includes(a.role) && deal.team.filter((x) => x.role === a.role).length === 1;
    const ask = self ? (alone ? 'teamRemoveSelfAloneAsk' : 'teamRemoveSelfAsk') : alone ? 'teamRemoveAloneAsk' : 'teamRemoveAsk';
    const box = h('div', { class: 'card team-remove', role: 'group' },
      h('p', {}, t(ask, { name, deal: deal.name, role: label('TeamRole', a.role) })));
    const yes = h('button', { type: 'button', class: 'danger', onclick: async () => {
      yes.disabled = true;
      try {
        const payload = await mutate(UNASSIGN, { input: { memberId: a.member.id, targetId: deal.id, role: a.role, phase: a.phase } });
        if (payload.userErrors.some((e) => e.code === 'NOT_FOUND')) { // someone took them off meanwhile
          await show();
          notice(said('teamAlreadyOff', { name, deal: deal.name }), 'help');
          return;
        }
        if (payload.userErrors.length) { showUserErrors(body, payload.userErrors); return; }
        if (self) { // the deal may be out of their sight now: back to the pipeline, saying why
          noticeNext(said('teamLeft', { deal: deal.name }));
          history.pushState(null, '', '/app');
          window.dispatchEvent(new PopStateEvent('popstate')); // the router draws the pipeline
          return;
        }
        await reloaded(t('teamRemoved', { name, deal: deal.name }));
      } finally { yes.disabled = false; }
    } }, self ? t('teamLeaveYes') : t('teamRemoveYes'));
    box.append(yes, h('button', { type: 'button', class: 'secondary', onclick: () => box.remove() }, t('keep')));
    return box;
  }

  /** Put someone on the team. Only a sales director or an administrator names a deal's sales
   * director (the API refuses anyone else): the others are not offered the role, and are told
   * that the director who manages them sees the deal and approves its steps already. */
  function addForm(deal, people, session, overseen) {
    const lead = leads(session);
    const roles = enumOptions('TeamRole').filter(([value]) => lead || value !== 'SALES_DIRECTOR');
    // someone who left has handed their work over: they join no team again
    const choices = people.filter((p) => !p.leftAt).map((p) => [p.id, memberChoice(p, people, p.role ? label('TeamRole', p.role) : null)]);
    const member = select({ required: true }, [['', t('choose')], ...choices], '');
    const role = select({ required: true }, [['', t('choose')], ...roles], '');
    const phase = select({}, enumOptions('LifecyclePhase'), 'DEAL');
    // the person's own role is the usual one on a deal: offered, never forced
    member.addEventListener('change', () => {
      const own = people.find((p) => p.id === member.value)?.role;
      if (own && !role.value && roles.some(([value]) => value === own)) role.value = own;
    });
    const form = h('form', { id: 'team-form', onsubmit: (event) => { event.preventDefault(); submitting(form, async () => {
      const payload = await mutate(ASSIGN, { input: { memberId: member.value, targetId: deal.id, role: role.value, phase: phase.value } });
      if (payload.userErrors.length) { showUserErrors(form, payload.userErrors); return; }
      const name = nameOf(people.find((p) => p.id === member.value), people) ?? '';
      await reloaded(t('teamAdded', { name, role: label('TeamRole', role.value), deal: deal.name }));
    }); } }, h('h3', {}, t('teamAdd')), h('p', { class: 'help' }, t('teamAddHelp')),
    lead ? null : h('p', { class: 'help', id: 'team-director-help' }, t(overseen ? 'teamDirectorHelp' : 'teamDirectorOnlyHelp')),
    field('input.memberId', t('teamMember'), member), field('input.role', t('role'), role), field('input.phase', t('phase'), phase),
    h('button', { type: 'submit' }, t('teamAdd')));
    return form;
  }

  return card;
}
