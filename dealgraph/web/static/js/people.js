// Our people: who is with us, whom they report to, on how many open deals, and who left when; an
// administrator keeps who directs whom (which decides the deals a sales director sees) and hands
// over the work of someone who leaves (their open deals, accounts and steps go to a successor,
// their relationships and logins end) and is told what moved and what to rebuild.
import { everyPage, forgetTeamMembers, gql, isAdmin, lastUser, mutate } from './api.js';
import { ApiError } from './api.js';
import { clearNotice, enumOptions, field, h, loading, notice, select, showUserErrors, stacked, submitting } from './dom.js';
import { aside, dateTime, dayOf, isTextOf, label, listOf, memberChoice, nameOf, said, saidErrors, t, tellApart } from './i18n.js';
import { here } from './nav.js';
import { CLOSED } from './pipeline.js';

const PEOPLE = `query OurPeople($after: String) { teamMembers(first: 100, after: $after) { pageInfo { hasNextPage endCursor }
  nodes { id name role title email version leftAt directors { id name } managers { id name } opportunities { opportunity { id stage } } } } }`;
const HAND_OVER = `mutation HandOver($id: ID!, $input: TeamMemberHandOverInput!) { teamMemberHandOver(id: $id, input: $input) {
  teamMember { id name leftAt } successor { id name } opportunities { id name triangle { missing } } customers { name } workPlanItems { id }
  activities { occurredAt persons { name } } tiesEnded { person { name knownBy { member { id name } } } level } usersDisabled userErrors { field message code messageEn messageZh } } }`;
/** Who sees each open deal and account of a leaver besides them: the deal's and its customer's
 * teams, an account's team, each member with the directors who see their deals. */
const REACH = `query Reach($id: ID!) { node(id: $id) { ... on TeamMember {
  opportunities { opportunity { id stage team { member { id directors { id } } } customer { team { member { id directors { id } } } } } }
  accounts { customer { team { member { id directors { id } } } } } } } }`;
const LOGINS = `{ logins { name role disabled teamMember { id } tokens { id label createdAt revokedAt } } }`;
const LOGIN_CREATE = `mutation GiveLogin($input: LoginCreateInput!) { loginCreate(input: $input) { login { name } token userErrors { field message code messageEn messageZh } } }`;
const TOKEN_CREATE = `mutation IssueToken($input: LoginTokenCreateInput!) { loginTokenCreate(input: $input) { login { name } tokenId token userErrors { field message code messageEn messageZh } } }`;
const LOGIN_UPDATE = `mutation ChangeLogin($input: LoginUpdateInput!) { loginUpdate(input: $input) { login { name role disabled } userErrors { field message code messageEn messageZh } } }`;
const TOKEN_REVOKE = `mutation RevokeToken($input: LoginTokenRevokeInput!) { loginTokenRevoke(input: $input) { login { name } userErrors { field message code messageEn messageZh } } }`;
const ROLES = ['account_manager', 'solution_manager', 'delivery_manager', 'service_manager', 'lead_expert', 'sales_director', 'viewer', 'admin'];
const MEMBER_UPDATE = `mutation ChangeRole($id: ID!, $input: TeamMemberUpdateInput!) { teamMemberUpdate(id: $id, input: $input) { teamMember { id role } userErrors { field message code messageEn messageZh } } }`;
const MEMBER_CREATE = `mutation NewMember($input: TeamMemberCreateInput!) { teamMemberCreate(input: $input) { teamMember { id name } userErrors { field message code messageEn messageZh } } }`;
const MANAGER = (verb) => `mutation Manager($input: TeamMemberManagerInput!) { teamMemberManager${verb}(input: $input) {
  manager { name } member { name } userErrors { field message code messageEn messageZh } } }`;

const sameName = (a, b) => a.trim().toLocaleLowerCase() === b.trim().toLocaleLowerCase();
const openDeals = (p) => (p.opportunities ?? []).filter((a) => !CLOSED.has(a.opportunity.stage)).length;

/** The page. */
export async function showPeople(main) {
  const current = here();
  main.replaceChildren(loading());
  const read = async () => {
    const [people, logins] = await Promise.all([everyPage(PEOPLE), isAdmin() ? gql(LOGINS).then((d) => d.logins) : null]);
    return people.map((p) => ({ ...p, logins: logins?.filter((l) => l.teamMember?.id === p.id) ?? null }));
  };
  let people = await read();
  if (!current()) return;
  const result = h('div', { id: 'hand-over-result' });
  const redraw = async (done) => {
    forgetTeamMembers();
    const fresh = await read();
    if (!current()) return;
    people = fresh;
    table.replaceWith(table = peopleTable(fresh, redraw));
    clearNotice(); // what it said was before this change: the caller says what this one did
    if (!done) return;
    if (done.token) { // a new login's token: shown here once, never again
      result.replaceChildren(newToken(done));
      result.querySelector('input').focus();
      return;
    }
    result.replaceChildren(handedOver(done, fresh));
    notice(said('handedOverNotice', { name: nameOf(done.teamMember, fresh), successor: nameOf(done.successor, fresh) }));
    result.querySelector('h2').focus(); // the row that had the focus is gone
  };
  let table = peopleTable(people, redraw);
  main.replaceChildren(h('h1', {}, t('ourPeople')), h('p', { class: 'help' }, t(isAdmin() ? 'ourPeopleHelpAdmin' : 'ourPeopleHelp')),
    h('div', { id: 'notice', class: 'notice inline', role: 'status', 'aria-live': 'polite' }), ...(isAdmin() ? [newMember(redraw, () => people)] : []), result, table);
}

/** "New team member…": someone who joins us, with their team role, title and e-mail; they are
 * then in the list, to report to someone and to be given a login in their row. A name one of
 * ``people()`` already has is questioned once, as the map questions a key person's namesake: the
 * same person added twice splits their work, and two alike are told apart by their title. The
 * question names everyone of ours who has the name as the pickers offer them (``memberChoice``:
 * their title, else their e-mail, and their role), so the administrator sees whom they are like. */
function newMember(redraw, people) {
  const name = h('input', { type: 'text', required: true, autocomplete: 'off' });
  const role = select({}, [['', t('noRoleYet')], ...enumOptions('TeamRole')], '');
  const title = h('input', { type: 'text', autocomplete: 'off' });
  const email = h('input', { type: 'email', autocomplete: 'off' });
  const box = h('details', { id: 'new-member', class: 'card' }, h('summary', {}, t('newMember')));
  const form = h('form', { id: 'new-member-form', onsubmit: (event) => { event.preventDefault(); submitting(form, async () => {
    const input = { name: name.value.trim(), role: role.value || null, title: title.value.trim() || null, email: email.value.trim() || null };
    const twins = people().filter((p) => sameName(p.name, input.name));
    if (twins.length && form.dataset.namesake !== input.name) { // asked once: adding again adds a namesake
      form.dataset.namesake = input.name;
      const all = [...people(), { id: null, name: input.name }]; // the newcomer makes each of them a namesake
      const named = twins.map((p) => memberChoice(p, all, p.role ? label('TeamRole', p.role) : null));
      const message = twins.length === 1 ? t('memberNamesake', { job: named[0] }) : t('memberNamesakes', { jobs: listOf(named) });
      showUserErrors(form, [{ field: ['input', 'name'], code: 'CONFIRM', message }]);
      return;
    }
    const made = await mutate(MEMBER_CREATE, { input });
    if (made.userErrors.length) { showUserErrors(form, made.userErrors); return; }
    form.reset();
    delete form.dataset.namesake;
    box.open = false;
    await redraw(null);
    notice(said('memberAdded', { name: nameOf(made.teamMember, people()) }));
  }); } },
  field('input.name', t('name'), name), field('input.role', t('role'), role), field('input.title', t('title2'), title),
  field('input.email', t('email'), email), h('button', { type: 'submit' }, t('addMember')));
  box.append(form);
  return box;
}

function peopleTable(people, redraw) {
  const sorted = [...people].sort((a, b) => Boolean(a.leftAt) - Boolean(b.leftAt) || a.name.localeCompare(b.name));
  const heads = [t('name'), t('role'), t('reportsTo'), isAdmin() ? t('logins') : null, t(isAdmin() ? 'openDeals' : 'openDealsSeen'), t('statusColumn'), isAdmin() ? '' : null].filter((x) => x !== null);
  const deals = t(isAdmin() ? 'openDeals' : 'openDealsSeen'); // a count: headed where its figures stand
  return h('table', { id: 'people', class: 'stacked' }, h('thead', {}, h('tr', {}, heads.map((x) => h('th', { scope: 'col', class: x === deals ? 'num' : null }, x)))),
    h('tbody', {}, sorted.length ? null : h('tr', { class: 'empty' }, h('td', { colspan: heads.length }, t(isAdmin() ? 'nobodyYetAdmin' : 'nobodyYet'))),
      sorted.map((p) => {
      const apart = p.title || tellApart(p, people); // a namesake without a title: their e-mail
      const cells = [h('td', { class: 'name' }, p.name, apart ? aside(apart) : null),
        h('td', { class: 'role' }, roleOf(p, people, redraw)),
        h('td', { class: 'managers' }, managersOf(p, people, redraw)),
        isAdmin() ? h('td', { class: 'logins' }, loginsOf(p, people, redraw)) : null,
        h('td', { class: 'num deals' }, String(openDeals(p))),
        h('td', { class: 'state' }, p.leftAt ? t('leftOn', { day: dayOf(p.leftAt) }) : t('withUs'))].filter(Boolean);
      if (isAdmin()) cells.push(h('td', { class: 'act' }, p.leftAt ? null : handOverButton(p, people, redraw)));
      return h('tr', { class: `person${p.leftAt ? ' left' : ''}`, dataset: { id: p.id } }, stacked(cells, heads));
    })));
}

/** Whom someone reports to (a namesake among ``people`` told apart); for an administrator each
 * with a button that ends the line, and a button that opens the form adding a manager (not for
 * someone who left). */
function managersOf(person, people, redraw) {
  const names = [...person.managers].sort((a, b) => a.name.localeCompare(b.name)).map((m) => ({ ...m, name: nameOf(m, people) }));
  if (!isAdmin()) return names.length ? listOf(names.map((m) => m.name)) : '–';
  const who = nameOf(person, people);
  const items = names.map((m) => h('li', { class: 'manager' }, m.name, h('button', {
    type: 'button', class: 'remove remove-manager', 'aria-label': t('removeManagerNamed', { manager: m.name, name: who }),
    onclick: (event) => removeManager(event.currentTarget, m, person, who, redraw),
  }, '×')));
  return [items.length ? h('ul', { class: 'plain managers' }, items) : null,
    person.leftAt ? (items.length ? null : '–') : h('button', { type: 'button', class: 'add-manager', 'aria-expanded': 'false',
      'aria-label': t('addManagerNamed', { name: who }), onclick: (event) => openBelow(event.currentTarget, 'manager-row', () => managerForm(person, people, redraw)) }, t('addManager'))];
}

/** Someone's role among our people; for an administrator with the button that changes it
 * (what a sales director decides, and which deals the team form offers them for, follow it). */
function roleOf(person, people, redraw) {
  const shown = person.role ? label('TeamRole', person.role) : '–';
  if (!isAdmin() || person.leftAt) return shown;
  return [shown, ' ', h('button', { type: 'button', class: 'remove change-role', 'aria-expanded': 'false',
    'aria-label': t('changeRoleNamed', { name: nameOf(person, people) }),
    onclick: (event) => openBelow(event.currentTarget, 'role-row', () => roleForm(person, people, redraw)) }, t('changeRole'))];
}

/** A write on someone, refused: changed by someone else meanwhile (the list is read again and
 * ``meanwhile`` said), or at its fields. Whether it was. */
async function refusedOn(form, payload, redraw, meanwhile) {
  if (payload.userErrors.some((e) => e.code === 'CONFLICT')) {
    await redraw(null);
    notice(meanwhile, 'help');
    return true;
  }
  if (payload.userErrors.length) showUserErrors(form, payload.userErrors);
  return payload.userErrors.length > 0;
}

function roleForm(person, people, redraw) {
  const who = nameOf(person, people);
  const role = select({ required: true }, [...(person.role ? [] : [['', t('choose')]]), ...enumOptions('TeamRole')], person.role ?? '');
  const form = h('form', { id: 'role-form', class: 'card', onsubmit: (event) => { event.preventDefault(); submitting(form, async () => {
    const payload = await mutate(MEMBER_UPDATE, { id: person.id, input: { version: person.version, role: role.value } });
    if (await refusedOn(form, payload, redraw, said('roleChangedMeanwhile', { name: who }))) return;
    const chosen = role.value;
    await redraw(null);
    notice(said('memberRoleSet', { name: who, role: () => label('TeamRole', chosen) })); // said again in a new language
  }); } },
  h('h3', {}, t('changeRoleTitle', { name: who })),
  h('p', { class: 'help' }, t('changeRoleHelp')),
  field('input.role', t('role'), role),
  h('button', { type: 'submit' }, t('changeRoleConfirm')));
  return form;
}

/** An administrator's view of someone's logins: each with its role and its tokens in use, each
 * token with a button that revokes it, and a button that opens the form changing its role or
 * disabling it; "Give a login…" for someone with us. Who a login acts as is named apart from a
 * namesake among ``people``. */
function loginsOf(person, people, redraw) {
  const who = nameOf(person, people);
  const items = person.logins.map((login) => h('li', { class: 'login', dataset: { name: login.name } },
    h('span', { class: 'login-name' }, login.name), aside(t(`loginRole_${login.role}`)), login.disabled ? aside(t('loginDisabled')) : null,
    login.tokens.filter((x) => !x.revokedAt).map((x) => h('button', {
      type: 'button', class: 'remove revoke-token', 'aria-label': t('revokeTokenNamed', { token: tokenName(x), name: login.name }),
      onclick: (event) => revokeToken(event.currentTarget, login, x, redraw),
    }, t('revokeToken', { token: tokenName(x) }))),
    login.disabled || person.leftAt ? null : newTokenButton(login, who, redraw),
    person.leftAt ? null : h('button', { type: 'button', class: 'edit-login', 'aria-expanded': 'false', 'aria-label': t('editLoginNamed', { name: login.name }),
      onclick: (event) => openBelow(event.currentTarget, 'login-edit-row', () => loginEditForm(login, who, redraw)) }, t('editLogin'))));
  // one login each: someone who has one is given a new token or has it changed, not a second
  return [items.length ? h('ul', { class: 'plain logins' }, items) : null,
    items.length ? null : person.leftAt ? '–' : h('button', { type: 'button', class: 'give-login', 'aria-expanded': 'false',
      'aria-label': t('giveLoginNamed', { name: who }), onclick: (event) => openBelow(event.currentTarget, 'login-row', () => loginForm(person, who, redraw)) }, t('giveLogin'))];
}

/** *New token*: for a login with a token in use, a form asking whether the new one replaces it
 * (lost) or goes beside it (a device); one's own is never replaced from here (it would revoke
 * the token the page signs in with), so it is given one more at once, as a login without any. */
function newTokenButton(login, who, redraw) {
  const asks = login.tokens.some((x) => !x.revokedAt) && login.name !== lastUser();
  return h('button', {
    type: 'button', class: 'new-token', 'aria-label': t('newTokenNamed', { name: login.name }), 'aria-expanded': asks ? 'false' : null,
    onclick: (event) => (asks ? openBelow(event.currentTarget, 'token-row', () => tokenForm(login, who, redraw))
      : issueToken(event.currentTarget, login, who, redraw)),
  }, t('newToken'));
}

/** A new token for a login with tokens in use: one lost or given away is replaced (it stops
 * signing in by the same write), or one more goes beside them for another device; what it is
 * for tells the two apart in the list. */
function tokenForm(login, who, redraw) {
  const kind = select({ id: 'token-kind' }, [['replace', t('tokenReplace')], ['another', t('tokenAnother')]], 'replace');
  const purpose = h('input', { id: 'token-label', placeholder: t('tokenLabelHint') });
  const form = h('form', { id: 'token-form', class: 'card', onsubmit: (event) => { event.preventDefault(); submitting(form, async () => {
    const label = purpose.value.trim() || t('tokenLabelApp');
    await issueToken(form.querySelector('button[type=submit]'), login, who, redraw, { label, replaceOthers: kind.value === 'replace' }, form);
  }); } },
  h('h3', {}, t('newTokenNamed', { name: login.name })), field('input.replaceOthers', t('tokenKind'), kind),
  field('input.label', t('tokenPurpose'), purpose), h('button', { type: 'submit' }, t('giveToken')));
  return form;
}

/** A new token for a login (one lost, or one more for another device), shown once; ``who`` it
 * acts as, told apart. A refusal is shown at the field of ``form`` it names, when asked from
 * one. */
async function issueToken(button, login, who, redraw, how = { label: t('tokenLabelApp'), replaceOthers: false }, form = null) {
  button.disabled = true;
  try {
    const issued = await mutate(TOKEN_CREATE, { input: { name: login.name, ...how } });
    if (issued.userErrors.length) {
      if (form) showUserErrors(form, issued.userErrors); else notice(saidErrors(issued.userErrors), 'error');
      return;
    }
    await redraw({ token: issued.token, login: login.name, person: who, again: true });
  } catch (error) {
    if (error instanceof ApiError) notice(error.said, 'error'); else throw error;
  } finally { button.disabled = false; }
}

/** A token as people tell it from another: its label (the app's own in the reader's language)
 * and the day it was issued. */
function tokenName(token) {
  const named = !token.label ? token.id : isTextOf('tokenLabelApp', token.label) ? t('tokenLabelApp') : token.label;
  return token.createdAt ? t('tokenIssued', { label: named, date: dateTime(token.createdAt) }) : named;
}

async function revokeToken(button, login, token, redraw) {
  button.disabled = true;
  try {
    const payload = await mutate(TOKEN_REVOKE, { input: { tokenId: token.id } });
    if (payload.userErrors.length) { notice(saidErrors(payload.userErrors), 'error'); return; }
    await redraw(null);
    notice(said('tokenRevoked', { token: tokenName(token), name: login.name }));
  } catch (error) {
    if (error instanceof ApiError) notice(error.said, 'error'); else throw error;
  } finally { button.disabled = false; }
}

/** "Give a login": a name and a role for one of our people (``who``: their name, told apart);
 * the login acts as them, and its first token, made in the same write, is shown once above the
 * list. */
function loginForm(person, who, redraw) {
  const role = select({ required: true }, ROLES.map((r) => [r, t(`loginRole_${r}`)]), USER_ROLE[person.role] ?? 'viewer');
  const name = h('input', { type: 'text', required: true, autocomplete: 'off', spellcheck: 'false' });
  const form = h('form', { id: 'login-form', class: 'card', onsubmit: (event) => { event.preventDefault(); submitting(form, async () => {
    const input = { name: name.value.trim(), role: role.value, teamMemberId: person.id, firstTokenLabel: t('tokenLabelApp') };
    const made = await mutate(LOGIN_CREATE, { input });
    if (made.userErrors.length) { showUserErrors(form, made.userErrors); return; }
    await redraw({ token: made.token, login: made.login.name, person: who });
  }); } },
  h('h3', {}, t('giveLoginTitle', { name: who })),
  h('p', { class: 'help' }, t('giveLoginHelp')),
  field('input.name', t('loginName'), name), field('input.role', t('loginRole'), role),
  h('button', { type: 'submit' }, t('giveLoginConfirm')));
  setTimeout(() => name.focus());
  return form;
}

/** A login's role, and whether it may sign in: disabling it revokes its tokens at once; enabled
 * again, it signs in once given a new token. The page says what changed. ``who`` it acts as:
 * their name, told apart. */
function loginEditForm(login, who, redraw) {
  const role = select({ required: true }, ROLES.map((r) => [r, t(`loginRole_${r}`)]), login.role);
  const access = select({ required: true }, [['on', t('loginEnabled')], ['off', t('loginDisabledLong')]], login.disabled ? 'off' : 'on');
  const form = h('form', { id: 'login-edit-form', class: 'card', onsubmit: (event) => { event.preventDefault(); submitting(form, async () => {
    const disabled = access.value === 'off';
    const input = { name: login.name, ...(role.value !== login.role && { role: role.value }), ...(disabled !== login.disabled && { disabled }) };
    if (Object.keys(input).length === 1) { notice(said('loginUnchanged', { login: login.name })); return; }
    const payload = await mutate(LOGIN_UPDATE, { input });
    if (payload.userErrors.length) { showUserErrors(form, payload.userErrors); return; }
    await redraw(null);
    const after = payload.login;
    notice([after.role !== login.role ? t('loginRoleChanged', { login: after.name, role: t(`loginRole_${after.role}`) }) : null,
      after.disabled === login.disabled ? null : t(after.disabled ? 'loginDisabledNotice' : 'loginEnabledNotice', { login: after.name })]
      .filter(Boolean).join(' '));
  }); } },
  h('h3', {}, t('editLoginTitle', { login: login.name, name: who })),
  field('input.role', t('loginRole'), role), field('input.disabled', t('loginAccess'), access),
  h('p', { class: 'help' }, t('loginAccessHelp')),
  h('button', { type: 'submit' }, t('saveLogin')));
  return form;
}

/** The user role a team member of each team role signs in with, offered first. */
const USER_ROLE = { ACCOUNT_MANAGER: 'account_manager', SOLUTION_MANAGER: 'solution_manager', DELIVERY_MANAGER: 'delivery_manager',
  SERVICE_MANAGER: 'service_manager', LEAD_EXPERT: 'lead_expert', SALES_DIRECTOR: 'sales_director' };

/** A new login's token, shown this once: to copy now and hand to its owner. */
function newToken(done) {
  const value = h('input', { type: 'text', readonly: true, value: done.token, class: 'token', 'aria-label': t('tokenFor', { name: done.login }),
    onfocus: (event) => event.currentTarget.select() });
  const copy = h('button', { type: 'button', class: 'copy-token' }, t('copyToken'));
  copy.addEventListener('click', async () => {
    value.select();
    try { await navigator.clipboard.writeText(done.token); copy.textContent = t('copied'); } catch { copy.textContent = t('copyByHand'); }
  });
  return h('div', { class: 'card', id: 'new-token', role: 'status' },
    h('h2', { tabindex: '-1' }, t(done.again ? 'tokenGiven' : 'loginGiven', { login: done.login, name: done.person })),
    h('p', { class: 'warning' }, t('tokenOnce')),
    h('div', { class: 'token-line' }, value, copy),
    h('button', { type: 'button', class: 'dismiss-token', onclick: (event) => event.currentTarget.closest('#new-token').remove() }, t('tokenCopiedDone')));
}

/** End ``person``'s line to ``manager``, both named as their row names them (``who``: the
 * person told apart from a namesake). */
async function removeManager(button, manager, person, who, redraw) {
  button.disabled = true;
  try {
    const payload = await mutate(MANAGER('Remove'), { input: { managerId: manager.id, memberId: person.id } });
    if (payload.userErrors.length) { notice(saidErrors(payload.userErrors), 'error'); return; }
    await redraw(null);
    notice(said('managerRemoved', { manager: manager.name, name: who }));
  } catch (error) {
    if (error instanceof ApiError) notice(error.said, 'error'); else throw error;
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
  const manager = select({ required: true }, [['', t('choose')], ...others.map((p) => [p.id, memberChoice(p, people, p.role ? label('TeamRole', p.role) : null)])], preselect);
  const who = nameOf(person, people);
  const form = h('form', { id: 'manager-form', class: 'card', onsubmit: (event) => { event.preventDefault(); submitting(form, async () => {
    const payload = await mutate(MANAGER('Add'), { input: { managerId: manager.value, memberId: person.id } });
    if (payload.userErrors.length) { showUserErrors(form, payload.userErrors); return; }
    await redraw(null);
    notice(said('managerAdded', { manager: nameOf(people.find((p) => p.id === manager.value), people) ?? payload.manager.name, name: who }));
  }); } },
  h('h3', { 'data-field': 'input.memberId' }, t('managerTitle', { name: who })),
  h('p', { class: 'help' }, t('managerHelp')),
  field('input.managerId', t('manager'), manager),
  h('button', { type: 'submit' }, t('managerConfirm')));
  return form;
}

/** "Hand over…": opens, under the person's row, the form that names the successor. */
function handOverButton(person, people, redraw) {
  const button = h('button', { type: 'button', class: 'hand-over', 'aria-label': t('handOverNamed', { name: nameOf(person, people) }), 'aria-expanded': 'false' }, t('handOver'));
  button.addEventListener('click', () => openBelow(button, 'hand-over-row', () => handOverForm(person, people, redraw)));
  return button;
}

function handOverForm(person, people, redraw) {
  const others = people.filter((p) => !p.leftAt && p.id !== person.id).sort((a, b) => a.name.localeCompare(b.name));
  const successor = select({ required: true }, [['', t('choose')], ...others.map((p) => [p.id, memberChoice(p, people, p.role ? label('TeamRole', p.role) : null)])], '');
  const unseen = h('p', { class: 'warning', id: 'hand-over-unseen', role: 'status' });
  const who = nameOf(person, people); // a namesake told apart, as the picker tells them
  const form = h('form', { id: 'hand-over-form', class: 'card', onsubmit: (event) => { event.preventDefault(); submitting(form, async () => {
    const payload = await mutate(HAND_OVER, { id: person.id, input: { successorId: successor.value, version: person.version } });
    if (await refusedOn(form, payload, redraw, said('changedMeanwhile', { name: who }))) return;
    await redraw(payload);
  }); } },
  h('h3', {}, t('handOverTitle', { name: who })),
  h('p', { class: 'help' }, t('handOverHelp', { name: who, deals: openDeals(person) })),
  field('input.successorId', t('handOverTo'), successor), unseen,
  h('button', { type: 'submit' }, t('handOverConfirm', { name: who })));
  let reach = null; // read once the administrator picks a successor
  successor.addEventListener('change', async () => {
    delete unseen.dataset.checked;
    reach ??= (await gql(REACH, { id: person.id })).node;
    unseen.replaceChildren(...lostSight(person, people.find((p) => p.id === successor.value), reach, people, redraw));
    unseen.dataset.checked = successor.value; // said for this successor (a test waits for it)
  });
  return form;
}

/** The teams through which others see what the leaver hands over: each open deal's team with
 * its customer's account team, and each account's team, the leaver left out. */
function teamsAfter(person, reach) {
  const others = (team) => (team ?? []).map((x) => x.member).filter((m) => m.id !== person.id);
  return [
    ...(reach?.opportunities ?? []).filter((a) => !CLOSED.has(a.opportunity.stage))
      .map((a) => others([...a.opportunity.team, ...(a.opportunity.customer?.team ?? [])])),
    ...(reach?.accounts ?? []).map((a) => others(a.customer.team)),
  ];
}

/** The directors who see the leaver's deals as their team's and will not see one of them in
 * the successor's hands, nobody else of theirs being on it: said before the hand-over, which
 * cannot be undone, with the way to keep them seeing: make one of them the successor's
 * manager first. A director who still sees every deal through someone else is not named. */
function lostSight(person, successor, reach, people, redraw) {
  if (!successor) return [];
  const keeps = new Set([successor.id, ...successor.directors.map((d) => d.id)]);
  const sees = (director, members) => members.some((m) => m.id === director || m.directors.some((d) => d.id === director));
  const teams = teamsAfter(person, reach);
  const lost = person.directors.filter((d) => !keeps.has(d.id) && teams.some((members) => !sees(d.id, members)));
  if (!lost.length) return [];
  const names = lost.map((d) => nameOf(d, people));
  const heir = nameOf(successor, people);
  const keep = h('button', { type: 'button', class: 'keep-sight' }, t('addManagerNamed', { name: heir }));
  keep.addEventListener('click', () => {
    const row = document.querySelector(`#people tr.person[data-id="${CSS.escape(successor.id)}"]`);
    const add = row?.querySelector('button.add-manager');
    if (!add) return;
    const form = openBelow(add, 'manager-row', () => managerForm(successor, people, redraw, lost[0].id));
    form?.scrollIntoView({ block: 'nearest' });
  });
  return [t('directorsLoseSight', { directors: listOf(names), name: nameOf(person, people), successor: heir, n: lost.length }), ' ', keep];
}

/** What a hand-over did, for the administrator to pass on: the deals and accounts the successor
 * now runs, the deals whose iron triangle now lacks a role (a successor already on a deal keeps
 * their own role there), the steps and the planned contacts now theirs, the relationships to build anew (each saying who
 * of ours still knows the person, or that nobody does: those are lost), the logins stopped. */
function handedOver(done, people) {
  const line = (key, items) => h('li', {}, h('strong', {}, t(key)), ' ', items.length ? listOf(items) : t('none'));
  const gaps = done.opportunities.filter((o) => o.triangle.missing.length)
    .map((o) => `${o.name}${aside(listOf(o.triangle.missing.map((r) => label('TeamRole', r))))}`);
  return h('div', { class: 'card', id: 'hand-over-done' },
    h('h2', { tabindex: '-1' }, t('handedOverTitle', { name: nameOf(done.teamMember, people), successor: nameOf(done.successor, people) })),
    h('ul', { class: 'plain' },
      line('handedDeals', done.opportunities.map((o) => o.name)),
      gaps.length ? h('li', { class: 'gaps' }, h('strong', {}, t('triangleGaps')), ' ', listOf(gaps)) : null,
      line('handedAccounts', done.customers.map((c) => c.name)),
      h('li', {}, h('strong', {}, t('handedSteps')), ' ', String(done.workPlanItems.length)),
      line('handedContacts', (done.activities ?? []).map((a) => `${dayOf(a.occurredAt)} ${listOf(a.persons.map((p) => p.name))}`)),
      line('tiesToRebuild', done.tiesEnded.map((x) => `${x.person.name}${aside(listOf([label('TieStrength', x.level),
        x.person.knownBy.length ? t('alsoKnownBy', { names: listOf(x.person.knownBy.map((k) => nameOf(k.member, people))) }) : t('knownByNobody')]))}`)),
      line('loginsStopped', done.usersDisabled)));
}
