// Who of ours knows a key person, in the person panel: the ties the map draws in green and the
// warm paths and "nobody of ours knows them" read. A contact logged with someone raises the
// closeness score; that one of ours now knows them (can call them, be received) is said here.
import { mutate, teamMembers } from './api.js';
import { enumOptions, field, h, removeButton, select, showUserErrors, submitting } from './dom.js';
import { aside, label, memberChoice, nameOf, t } from './i18n.js';

const ERR = 'userErrors { field message code messageEn messageZh }';
const SET = `mutation($input: KnowsInput!) { knowsSet(input: $input) { keyPerson { id } ${ERR} } }`;
const REMOVE = `mutation($input: KnowsInput!) { knowsRemove(input: $input) { keyPerson { id } ${ERR} } }`;

/** The form: the ties recorded (each removable), and one of our people who knows this person,
 * how well. ``team`` are the ids of the deal's team, offered first; ``reloaded(text)`` reloads
 * the deal. */
export function teamTieForm(member, team, reloaded) {
  const person = member.person;
  const ties = h('ul', { class: 'plain team-ties' });
  // each of ours by name, a namesake among ``people`` told apart (drawn again once they are read)
  const drawTies = (people) => ties.replaceChildren(...member.teamTies.map((x) => {
    const name = nameOf(x.member, people);
    return h('li', {}, `${name}${aside(label('TieStrength', x.level))} `,
      removeButton(name, async () => {
        const payload = await mutate(REMOVE, { input: { targetPersonId: person.id, memberId: x.member.id } });
        if (payload.userErrors.length) { showUserErrors(form, payload.userErrors); return; }
        await reloaded(t('teamTieRemoved', { person: person.name, member: name }));
      }));
  }));
  drawTies([]);
  const who = select({ required: true, name: 'memberId' }, [['', t('choose')]], '');
  const level = select({ name: 'level' }, enumOptions('TieStrength'), 'MODERATE');
  const tied = new Set(member.teamTies.map((x) => x.member.id));
  const names = new Map();
  teamMembers().then((people) => {
    drawTies(people);
    const current = people.filter((p) => !p.leftAt && !tied.has(p.id));
    current.forEach((p) => names.set(p.id, nameOf(p, people)));
    // the deal's own people first: most likely the one who met them
    const order = (p) => (team.includes(p.id) ? 0 : 1);
    current.sort((a, b) => order(a) - order(b) || a.name.localeCompare(b.name));
    who.replaceChildren(...[['', t('choose')], ...current.map((p) => [p.id, memberChoice(p, people, p.role ? label('TeamRole', p.role) : null)])]
      .map(([value, text]) => h('option', { value }, text)));
  });
  const form = h('form', { id: 'team-tie-form', class: 'card', onsubmit: (event) => { event.preventDefault(); submitting(form, async () => {
    const payload = await mutate(SET, { input: { targetPersonId: person.id, memberId: who.value, level: level.value } });
    if (payload.userErrors.length) { showUserErrors(form, payload.userErrors); return; }
    await reloaded(t('teamTieSaved', { person: person.name, member: names.get(who.value) ?? '' }));
  }); } }, h('h3', {}, t('teamTie')), h('p', { class: 'help' }, t('teamTieHelp', { person: person.name })),
  member.teamTies.length ? ties : null,
  field('input.memberId', t('ourPerson'), who), field('input.level', t('strength'), level), h('button', { type: 'submit' }, t('save')));
  return form;
}
