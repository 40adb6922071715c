// Our people as an administrator manages them when an account manager leaves: the list with
// whom each reports to, the hand-over form's warning leading to 周文博's managers (孙总监 made
// his manager there, so he keeps seeing the deal), a circle refused at its field, a line
// removed, the hand-over of 李明轩's work to 周文博 with what moved and what to rebuild, his
// login stopped, a login given to 蒋雨桐 with its token shown once (it signs in as her) and
// revoked on the page, her role changed and the login disabled and enabled again, two of ours
// named 王伟 told apart (title, else e-mail) in their rows, the question before a third,
// their logins' notices (a lost token replaced: it stops signing in), the hand-over and manager forms, an account manager's view without the page's link, Chinese and a phone.
// Started by test_people_page.py; prints "ok - <check>" per check and stops at the first failure.
import { expect, openBrowser, pageApi, signIn } from './harness.mjs';

const { BASE_URL, DEMO_ID, ARTIFACTS } = process.env;
const TOKENS = JSON.parse(process.env.TOKENS); // login -> token
const { page, consoleErrors, check, close, shot: picture } = await openBrowser({
  artifacts: ARTIFACTS, failureShot: 'people-failure.png', viewport: { width: 1366, height: 900 },
});
const shot = (name, fullPage = false) => picture(`people-${name}.png`, { fullPage });
const rowOf = (name) => page.locator('#people tr.person', { has: page.locator('td.name', { hasText: name }) });
const today = new Date().toISOString().slice(0, 10);
/** What a login reads, with its own token (not the page's). */
async function asLogin(login, query, variables = {}) {
  const response = await fetch(`${BASE_URL}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKENS[login]}` },
    body: JSON.stringify({ query, variables }) });
  const body = await response.json();
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data;
}
/** Who a token signs in as (null when it does not). */
async function whoIs(token) {
  const response = await fetch(`${BASE_URL}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: '{ me { userId roles teamMember { name } } }' }) });
  return response.status === 401 ? null : (await response.json()).data.me;
}
const sunSeesTheDeal = async () => (await asLogin('sun.director', 'query($id: ID!) { node(id: $id) { id } }', { id: DEMO_ID })).node !== null;

await check('an account manager has no link to manage our people, and no hand-over on the page', async () => {
  await signIn(page, BASE_URL, TOKENS['zhou.am']);
  expect(await page.locator('#nav-people').count() === 0, 'an account manager is offered Our people');
  await page.goto(`${BASE_URL}/app/people`);
  await page.locator('#people').waitFor();
  expect(await page.locator('button.hand-over').count() === 0, 'an account manager may hand over');
  expect(await page.locator('button.add-manager, button.remove-manager, button.give-login, button.revoke-token, td.logins').count() === 0,
    'an account manager may change who directs whom or logins');
  expect((await rowOf('李明轩').locator('td.managers').innerText()) === '孙总监', 'an account manager does not see whom 李明轩 reports to');
  expect(await page.locator('#people button.change-role').count() === 0, 'an account manager is offered to change a role');
});

await check('the administrator sees who is with us, their role and open deals', async () => {
  await signIn(page, BASE_URL, TOKENS.admin);
  await page.click('#nav-people');
  await page.locator('#people').waitFor();
  const li = rowOf('李明轩');
  expect((await li.locator('td.role').innerText()).replace(/\s*Change$/, '') === 'Account manager', `role ${await li.locator('td.role').innerText()}`);
  expect(await li.locator('td.role button.change-role').getAttribute('aria-label') === 'Change the role of 李明轩', 'the administrator is not offered to change the role');
  expect((await li.locator('td.deals').innerText()) === '1', `李明轩 is on ${await li.locator('td.deals').innerText()} open deals`);
  expect((await li.locator('td.state').innerText()) === 'With us', '李明轩 is not with us');
  expect(await page.locator('button.hand-over').count() === await page.locator('#people tr.person').count(), 'not everyone with us can be handed over');
  expect((await li.locator('td.managers li.manager').allInnerTexts()).map((x) => x.replace('×', '').trim()).join() === '孙总监', 'whom 李明轩 reports to');
  expect((await rowOf('周文博').locator('td.managers li.manager').count()) === 0, '周文博 reports to someone');
  const login = await li.locator('td.logins li.login').innerText();
  expect(login.startsWith('li.am (Account manager)') && login.includes('Revoke'), `李明轩's login: "${login}"`);
  await shot('01-list');
});

await check('the hand-over form warns that 孙总监 would lose sight and leads to 周文博\'s managers: made his manager there, 孙总监 keeps seeing the deal', async () => {
  expect(await sunSeesTheDeal(), '孙总监 does not see 李明轩\'s deal to begin with');
  await rowOf('李明轩').locator('button.hand-over').click();
  const form = page.locator('#hand-over-form');
  const offered = await form.locator('select option').allInnerTexts();
  await form.locator('select').selectOption({ label: offered.find((o) => o.startsWith('周文博')) });
  await form.locator('#hand-over-unseen[data-checked]').waitFor({ state: 'attached' });
  const unseen = await form.locator('#hand-over-unseen').innerText();
  expect(unseen.startsWith('孙总监 will no longer see these deals') && unseen.includes('周文博 is not in their team')
    && unseen.includes('make one of them 周文博’s manager first') && !unseen.includes('dealgraph user') && !unseen.includes('钱总监'), `the form warns: "${unseen}"`);
  await shot('02-form');
  await form.locator('button.keep-sight').click();
  const managerForm = page.locator('#manager-form');
  await managerForm.waitFor();
  expect(await page.locator('#hand-over-form').count() === 0, 'the hand-over form stayed open beside the managers\' one');
  const row = page.locator('#people tr.manager-row');
  expect((await row.evaluate((r) => r.previousElementSibling.dataset.id)) === (await rowOf('周文博').getAttribute('data-id')), 'the form is not under 周文博\'s row');
  const chosen = await managerForm.locator('select').evaluate((e) => e.selectedOptions[0].textContent);
  expect(chosen.startsWith('孙总监'), `the form does not offer 孙总监 first: ${chosen}`);
  expect((await managerForm.locator('h3').innerText()) === 'Whom 周文博 reports to', await managerForm.locator('h3').innerText());
  await shot('02b-manager-form');
  await managerForm.locator('button[type=submit]').click();
  await page.locator('#notice .banner', { hasText: '周文博 now reports to 孙总监.' }).waitFor();
  expect((await rowOf('周文博').locator('td.managers li.manager').innerText()).startsWith('孙总监'), 'the list does not say whom 周文博 reports to');
  await rowOf('李明轩').locator('button.hand-over').click();
  await page.locator('#hand-over-form select').selectOption({ label: offered.find((o) => o.startsWith('周文博')) });
  await page.locator('#hand-over-unseen[data-checked]').waitFor({ state: 'attached' });
  expect((await page.locator('#hand-over-unseen').innerText()) === '', 'the form still warns that 孙总监 loses sight');
  await rowOf('李明轩').locator('button.hand-over').click(); // closes it again
  expect(await page.locator('#hand-over-form').count() === 0, 'a second click does not close the form');
});

await check('a circle is refused in the form, in words', async () => {
  await rowOf('孙总监').locator('button.add-manager').click();
  const form = page.locator('#manager-form');
  const offered = await form.locator('select option').allInnerTexts();
  expect(!offered.some((o) => o.startsWith('孙总监')), `孙总监 is offered as his own manager: ${offered}`);
  await form.locator('select').selectOption({ label: offered.find((o) => o.startsWith('周文博')) });
  await form.locator('button[type=submit]').click();
  const error = form.locator('.field-error');
  await error.waitFor();
  const text = await error.innerText();
  expect(text.includes('孙总监 already directs 周文博') && text.includes('circle'), `the refusal: "${text}"`);
  await shot('02c-circle');
  const above = (await rowOf('孙总监').locator('td.managers li.manager').allInnerTexts()).map((x) => x.replace('×', '').trim());
  expect(above.join() === '钱总监', `the circle was made: 孙总监 reports to ${above}`);
  await rowOf('孙总监').locator('button.add-manager').click();
});

let before = null;
await check('李明轩 leaves: his deal, account and steps go to 周文博, the relationships to rebuild and his login are named', async () => {
  before = (await pageApi(page, `query($id: ID!) { node(id: $id) { ... on Opportunity { name team { member { id name } role }
    decisionChain { members { person { id name } teamTies { member { name } } } } } } }`, { id: DEMO_ID })).node;
  const known = before.decisionChain.members.filter((m) => m.teamTies.some((x) => x.member.name === '李明轩')).map((m) => m.person.name).sort();
  expect(known.length > 0, 'the demo has nobody 李明轩 knows');
  // a visit he planned for next week: the successor goes in his place, and the summary says so
  const li = before.team.find((a) => a.member.name === '李明轩').member.id;
  const met = before.decisionChain.members.find((m) => m.person.name === known[0]).person;
  const visitDay = new Date(Date.now() + 7 * 86_400_000);
  visitDay.setHours(10, 0, 0, 0);
  const planned = (await pageApi(page, `mutation($i: ActivityLogInput!) { activityLog(input: $i) { userErrors { message } } }`,
    { i: { type: 'VISIT', occurredAt: visitDay.toISOString(), summary: 'Follow-up visit', personIds: [met.id], memberIds: [li], opportunityId: DEMO_ID } })).activityLog;
  expect(!planned.userErrors.length, JSON.stringify(planned.userErrors));
  await rowOf('李明轩').locator('button.hand-over').click();
  const form = page.locator('#hand-over-form');
  expect((await form.locator('.help').innerText()).includes('relationships leave with the person'), 'the form does not say what a hand-over does');
  const offered = await form.locator('select option').allInnerTexts();
  expect(!offered.some((o) => o.includes('李明轩')), `李明轩 is offered as his own successor: ${offered}`);
  await form.locator('select').selectOption({ label: offered.find((o) => o.startsWith('周文博')) });
  await form.locator('button[type=submit]').click();
  const done = page.locator('#hand-over-done');
  await done.waitFor();
  const text = await done.innerText();
  expect(text.includes('李明轩 left: 周文博 took over'), `result: ${text}`);
  expect(text.includes(before.name), `the deal is not named: ${text}`);
  const gaps = await done.locator('li.gaps').innerText();
  expect(gaps.startsWith('Iron triangles now lacking a role:') && gaps.includes(before.name) && gaps.includes('Account manager'),
    `the deal left without its account manager is not named: ${gaps}`);
  for (const name of known) expect(text.includes(name), `${name} is not among the relationships to rebuild: ${text}`);
  // who of ours still knows each of them, as the chain had it before: only 李明轩 means lost
  for (const m of before.decisionChain.members.filter((x) => known.includes(x.person.name))) {
    const others = m.teamTies.map((x) => x.member.name).filter((n) => n !== '李明轩');
    const aside = text.split(`${m.person.name} (`)[1]?.split(')')[0] ?? '';
    const right = others.length ? aside.includes('also known by') && others.every((n) => aside.includes(n)) : aside.includes('nobody of ours knows them now');
    expect(right, `${m.person.name}: "${aside}", known also by ${others}`);
  }
  expect(text.includes('li.am'), `the stopped login is not named: ${text}`);
  const contacts = text.split('\n').find((l) => l.startsWith('Planned contacts now theirs:')) ?? '';
  const wantedDay = `${visitDay.getFullYear()}-${String(visitDay.getMonth() + 1).padStart(2, '0')}-${String(visitDay.getDate()).padStart(2, '0')}`;
  expect(contacts.includes(`${wantedDay} ${met.name}`), `the planned visit is not named: "${contacts}"`);
  expect((await rowOf('李明轩').locator('td.state').innerText()) === `Left on ${today}`, 'the list does not say he left');
  expect(await rowOf('李明轩').locator('button.hand-over').count() === 0, 'someone who left can be handed over again');
  expect((await rowOf('周文博').locator('td.deals').innerText()) === '1', 'the successor is not on the deal');
  await shot('03-handed-over', true);
});

await check('孙总监 still sees the deal in 周文博\'s hands; 李明轩\'s line to him is removed with one click', async () => {
  expect(await sunSeesTheDeal(), '孙总监 lost sight of the deal although he manages 周文博');
  const remove = rowOf('李明轩').locator('button.remove-manager');
  expect((await remove.getAttribute('aria-label')) === '孙总监 no longer manages 李明轩', await remove.getAttribute('aria-label'));
  await remove.click();
  await page.locator('#notice .banner', { hasText: '李明轩 no longer reports to 孙总监.' }).waitFor();
  expect((await rowOf('李明轩').locator('td.managers').innerText()) === '–', 'the line is still there');
  expect(await sunSeesTheDeal(), '孙总监 lost sight of 周文博\'s deal');
});

await check('the deal is 周文博\'s now, and nobody of ours knows whom only 李明轩 knew', async () => {
  const after = (await pageApi(page, `query($id: ID!) { node(id: $id) { ... on Opportunity { team { member { name } role }
    decisionChain { members { person { name } teamTies { member { name } } } } } } }`, { id: DEMO_ID })).node;
  const still = after.decisionChain.members.filter((m) => m.teamTies.some((x) => x.member.name === '李明轩'));
  expect(still.length === 0, `known through 李明轩 still: ${still.map((m) => m.person.name)}`);
  const managers = after.team.filter((a) => a.role === 'ACCOUNT_MANAGER').map((a) => a.member.name);
  expect(JSON.stringify(managers) === '["周文博"]', `the deal's account managers: ${managers}`);
  expect(!after.team.some((a) => a.member.name === '李明轩'), '李明轩 is still on the deal');
});

await check('a hand-over of someone changed meanwhile is not made: the list is read again and the page says so', async () => {
  await rowOf('苏婉清').locator('button.hand-over').click();
  expect((await rowOf('苏婉清').locator('button.hand-over').getAttribute('aria-expanded')) === 'true', 'the button does not say its form is open');
  const form = page.locator('#hand-over-form');
  expect(await form.locator('select').evaluate((e) => e === document.activeElement), 'the focus did not move into the form');
  const su = (await pageApi(page, '{ teamMembers(first: 100) { nodes { id name version } } }')).teamMembers.nodes.find((p) => p.name === '苏婉清');
  const changed = (await pageApi(page, `mutation($id: ID!, $i: TeamMemberUpdateInput!) { teamMemberUpdate(id: $id, input: $i) { userErrors { message } } }`,
    { id: su.id, i: { version: su.version, title: 'Solution Manager' } })).teamMemberUpdate;
  expect(!changed.userErrors.length, JSON.stringify(changed.userErrors));
  const offered = await form.locator('select option').allInnerTexts();
  await form.locator('select').selectOption({ label: offered.find((o) => o.startsWith('周文博')) });
  await form.locator('button[type=submit]').click();
  await page.locator('#notice .banner', { hasText: 'changed 苏婉清’s work meanwhile' }).waitFor();
  expect(await page.locator('#hand-over-form').count() === 0, 'the stale form is still open');
  expect((await rowOf('苏婉清').locator('td.state').innerText()) === 'With us', '苏婉清 was handed over on a stale read');
  expect((await rowOf('苏婉清').locator('td.name').innerText()).includes('Solution Manager'), 'the list was not read again');
});

let given = null;
await check('the administrator adds someone who joins us: a blank name is refused at its field, then 许晨 is listed as a solution manager, to be given a login', async () => {
  const box = page.locator('#new-member');
  await box.locator('summary').click();
  const form = box.locator('#new-member-form');
  await form.locator('[data-field="input.name"]').fill('   ');
  await form.locator('button[type=submit]').click();
  const blank = form.locator('.field-error[data-for="input.name"]');
  await blank.waitFor();
  expect((await blank.innerText()).includes('blank'), `a blank name reads ${await blank.innerText()}`);
  await form.locator('[data-field="input.name"]').fill('许晨');
  await form.locator('[data-field="input.role"]').selectOption('SOLUTION_MANAGER');
  await form.locator('[data-field="input.title"]').fill('Solution architect');
  await shot('06b-new-member');
  await form.locator('button[type=submit]').click();
  await page.locator('#notice .banner', { hasText: '许晨 is one of our people now' }).waitFor();
  const row = rowOf('许晨');
  expect((await row.locator('td.name').innerText()) === '许晨 (Solution architect)', `the row reads ${await row.locator('td.name').innerText()}`);
  expect((await row.locator('td.role').innerText()).replace(/\s*Change$/, '') === 'Solution manager' && (await row.locator('td.state').innerText()) === 'With us', `the row reads ${await row.innerText()}`);
  expect(await row.locator('button.give-login').count() === 1, 'the new member is not offered a login');
  const stored = (await asLogin('admin', '{ teamMembers(first: 100) { nodes { name role title } } }')).teamMembers.nodes.filter((m) => m.name === '许晨');
  expect(stored.length === 1 && stored[0].role === 'SOLUTION_MANAGER', `stored ${JSON.stringify(stored)}`);
  expect(!(await box.getAttribute('open')), 'the form stays open after adding');
});

await check('a second 许晨 is asked about first, at the name; added with a title of his own, every picker tells the two apart', async () => {
  const box = page.locator('#new-member');
  await box.locator('summary').click();
  const form = box.locator('#new-member-form');
  await form.locator('[data-field="input.name"]').fill('许晨');
  await form.locator('[data-field="input.role"]').selectOption('SOLUTION_MANAGER');
  await form.locator('button[type=submit]').click();
  const asked = form.locator('.field-error[data-for="input.name"][data-code="CONFIRM"]');
  await asked.waitFor();
  expect((await asked.innerText()).startsWith('许晨 (Solution architect, Solution manager) is already one of our people'), `the question reads ${await asked.innerText()}`);
  expect(await rowOf('许晨').count() === 1, 'a namesake was added before the question was answered');
  await shot('06c-namesake-asked');
  await form.locator('[data-field="input.title"]').fill('Presales engineer');
  await form.locator('button[type=submit]').click();
  await page.waitForFunction(() => [...document.querySelectorAll('#people td.name')].filter((td) => td.textContent.startsWith('许晨')).length === 2);
  const names = await rowOf('许晨').locator('td.name').allInnerTexts();
  expect(names.sort().join('|') === '许晨 (Presales engineer)|许晨 (Solution architect)', `the rows read ${names}`);
  await rowOf('周文博').locator('button.add-manager').click();
  const offered = await page.locator('#manager-form select option').allInnerTexts();
  expect(offered.includes('许晨 (Presales engineer, Solution manager)') && offered.includes('许晨 (Solution architect, Solution manager)'), `the managers offered: ${offered}`);
  const plain = offered.filter((o) => o.startsWith('邓志刚'));
  expect(plain.join() === '邓志刚 (Delivery manager)', `a name nobody shares reads ${plain}`);
  // the deal's team card offers both, told apart the same way
  await page.goto(`${BASE_URL}/app/opportunities/${encodeURIComponent(DEMO_ID)}`);
  const card = page.locator('#deal-team');
  await card.locator('summary').click();
  await card.locator('#team-form').waitFor();
  const members = await card.locator('#team-form select').first().locator('option').allInnerTexts();
  expect(members.filter((o) => o.startsWith('许晨')).sort().join('|') === '许晨 (Presales engineer, Solution manager)|许晨 (Solution architect, Solution manager)', `the team card offers ${members}`);
  await shot('06d-namesakes-offered');
  await page.goto(`${BASE_URL}/app/people`);
  await page.locator('#people').waitFor();
});

await check('two of ours named 王伟, one with a title, one with an e-mail: their rows, the question before a third and the login notices tell them apart, in English and in Chinese', async () => {
  const titled = '王伟 (Key Account Manager 大客户经理)';
  const mailed = '王伟 (wang.wei@example.com)';
  const mailedRow = page.locator('#people tr.person', { has: page.locator('td.name', { hasText: 'wang.wei@example.com' }) });
  const names = await rowOf('王伟').locator('td.name').allInnerTexts();
  expect(names.sort().join('|') === `${titled}|${mailed}`, `the rows read ${JSON.stringify(names)}`);
  /** Ask to add a third 王伟 and read the question at the name. */
  const askThird = async () => {
    const box = page.locator('#new-member');
    await box.locator('summary').click();
    const form = box.locator('#new-member-form');
    await form.locator('[data-field="input.name"]').fill('王伟');
    await form.locator('button[type=submit]').click();
    const asked = form.locator('.field-error[data-for="input.name"][data-code="CONFIRM"]');
    await asked.waitFor();
    await form.scrollIntoViewIfNeeded();
    return [form, await asked.innerText()];
  };
  // both named, as the pickers offer them (in the order the store lists them)
  const pair = (sep, a, b) => [`${a}${sep}${b}`, `${b}${sep}${a}`];
  let [form, asked] = await askThird();
  expect(pair(', ', '王伟 (Key Account Manager 大客户经理, Account manager)', '王伟 (wang.wei@example.com, Solution manager)')
    .some((both) => asked.startsWith(`${both} are already among our people: `)), `the question reads ${asked}`);
  await shot('06e-third-namesake-asked-en');
  await signIn(page, BASE_URL, TOKENS.admin, 'zh-CN');
  await page.goto(`${BASE_URL}/app/people`);
  await page.locator('#people').waitFor();
  [form, asked] = await askThird();
  expect(pair('、', '王伟（Key Account Manager 大客户经理、客户经理）', '王伟（wang.wei@example.com、方案经理）')
    .some((both) => asked.startsWith(`我方人员中已有${both}：`)), `the question reads ${asked}`);
  await shot('06f-third-namesake-asked-zh');
  // a login for the one told apart by his e-mail: the form and the token's card say whom it acts as
  await mailedRow.locator('button.give-login').click();
  const loginForm = page.locator('#login-form');
  expect((await loginForm.locator('h3').innerText()) === '为王伟（wang.wei@example.com）开通登录', await loginForm.locator('h3').innerText());
  await loginForm.locator('input').fill('wang.sm');
  await loginForm.locator('button[type=submit]').click();
  const card = page.locator('#new-token');
  await card.waitFor();
  expect((await card.locator('h2').innerText()) === '王伟（wang.wei@example.com）的登录 wang.sm 已开通', await card.locator('h2').innerText());
  const me = await whoIs(await card.locator('input.token').inputValue());
  expect(me?.userId === 'wang.sm' && me.roles.join() === 'solution_manager', `the token signs in as ${JSON.stringify(me)}`);
  await shot('06g-namesake-login-zh', true);
  await card.locator('button.dismiss-token').click();
  // his hand-over form says whom it is for
  await mailedRow.locator('button.hand-over').click();
  const handOver = page.locator('#hand-over-form');
  const handOverTitle = await handOver.locator('h3').innerText();
  expect(handOverTitle === '王伟（wang.wei@example.com）离职', `the hand-over form's title reads ${handOverTitle}`);
  await handOver.scrollIntoViewIfNeeded();
  await shot('06i-namesake-hand-over-zh');
  await mailedRow.locator('button.hand-over').click(); // closes it
  // the other's login, in English: its form and a new token of it say whom it acts as
  await signIn(page, BASE_URL, TOKENS.admin);
  await page.goto(`${BASE_URL}/app/people`);
  await page.locator('#people').waitFor();
  const titledRow = rowOf('Key Account Manager 大客户经理');
  await titledRow.locator('button.edit-login').click();
  const edit = page.locator('#login-edit-form');
  expect((await edit.locator('h3').innerText()) === `The login wang.am of ${titled}`, await edit.locator('h3').innerText());
  await titledRow.locator('button.edit-login').click(); // closes it
  // his token in use was lost: the new one replaces it, and it stops signing in at once
  expect((await whoIs(TOKENS['wang.am']))?.userId === 'wang.am', 'wang.am\'s token does not sign in to begin with');
  await titledRow.locator('button.new-token').click();
  const tokenForm = page.locator('#token-form');
  await tokenForm.waitFor();
  expect(await tokenForm.locator('#token-kind').inputValue() === 'replace', 'a new token beside one in use does not replace it by default');
  const kinds = await tokenForm.locator('#token-kind option').allInnerTexts();
  expect(kinds.join(' | ') === 'Replace them (lost or given away): they stop signing in now | Keep them: this one is for another device', kinds.join(' | '));
  // what it is for, pasted from a mail, is refused at its field and nothing is given
  await tokenForm.locator('#token-label').fill('x'.repeat(101));
  await tokenForm.locator('button[type=submit]').click();
  const refusal = tokenForm.locator('.field-error[data-for="input.label"]');
  await refusal.waitFor();
  expect((await refusal.innerText()) === 'must be at most 100 characters', await refusal.innerText());
  expect((await whoIs(TOKENS['wang.am']))?.userId === 'wang.am', 'a refused token replaced the one in use');
  await tokenForm.locator('#token-label').fill('new phone');
  expect(await refusal.count() === 0, 'the refusal stays once the label is changed');
  await tokenForm.scrollIntoViewIfNeeded();
  await shot('06g-replace-token-form');
  await tokenForm.locator('button[type=submit]').click();
  await card.waitFor();
  expect((await card.locator('h2').innerText()) === `A new token for ${titled}’s login wang.am`, await card.locator('h2').innerText());
  const replacement = await card.locator('input.token').inputValue();
  expect(await whoIs(TOKENS['wang.am']) === null, 'the lost token still signs in');
  expect((await whoIs(replacement))?.userId === 'wang.am', 'the new token does not sign in');
  const left = await titledRow.locator('button.revoke-token').allInnerTexts();
  expect(left.length === 1 && /^Revoke token “new phone”, issued \d{4}-\d{2}-\d{2} \d{2}:\d{2}$/.test(left[0]), `the tokens in use: ${left}`);
  await shot('06h-namesake-new-token-en');
  await card.locator('button.dismiss-token').click();
  // the hand-over and manager forms, and the buttons opening them, name whom they are for apart
  const opener = mailedRow.locator('button.hand-over');
  expect(await opener.getAttribute('aria-label') === `Hand over the work of ${mailed}`, await opener.getAttribute('aria-label'));
  await opener.click();
  const said = [await handOver.locator('h3').innerText(), await handOver.locator('button[type=submit]').innerText()];
  expect(said[0] === `${mailed} leaves` && said[1] === `Hand over and mark ${mailed} as left`, `the hand-over form reads ${JSON.stringify(said)}`);
  expect((await handOver.locator('p.help').first().innerText()).includes(mailed), await handOver.locator('p.help').first().innerText());
  await handOver.scrollIntoViewIfNeeded();
  await shot('06j-namesake-hand-over-en');
  await opener.click(); // closes it
  const addManager = titledRow.locator('button.add-manager');
  expect(await addManager.getAttribute('aria-label') === `Add a manager for ${titled}`, await addManager.getAttribute('aria-label'));
  await addManager.click();
  const managerTitle = await page.locator('#manager-form h3').innerText();
  expect(managerTitle === `Whom ${titled} reports to`, `the manager form's title reads ${managerTitle}`);
  await addManager.click(); // closes it
  // added all the same with a title of his own: the notice names the new one apart
  [form] = await askThird();
  await form.locator('[data-field="input.title"]').fill('Delivery Engineer 交付工程师');
  await form.locator('button[type=submit]').click();
  await page.locator('#notice .banner', { hasText: '王伟 (Delivery Engineer 交付工程师) is one of our people now' }).waitFor();
  expect(await rowOf('王伟').count() === 3, `the rows of 王伟: ${await rowOf('王伟').count()}`);
});

await check('the administrator gives 蒋雨桐 a login: a name taken is refused at its field, the token is shown once and signs in as her', async () => {
  const row = rowOf('蒋雨桐');
  expect((await row.locator('td.logins li').count()) === 0, '蒋雨桐 has a login already');
  await row.locator('button.give-login').click();
  const form = page.locator('#login-form');
  expect((await form.locator('select').inputValue()) === 'service_manager', `role offered: ${await form.locator('select').inputValue()}`);
  await form.locator('input').fill('zhou.am');
  await form.locator('button[type=submit]').click();
  const taken = form.locator('.field-error[data-for="input.name"]');
  await taken.waitFor();
  expect((await taken.innerText()) === 'A login named zhou.am already exists', await taken.innerText());
  await form.locator('input').fill('jiang.yt');
  await shot('07-give-login');
  const sent = [];
  const listen = (request) => { const body = request.postData() ?? ''; if (/login\w*Create/.test(body)) sent.push(body.match(/login\w*Create/)[0]); };
  page.on('request', listen);
  await form.locator('button[type=submit]').click();
  const card = page.locator('#new-token');
  await card.waitFor();
  page.off('request', listen);
  expect(sent.join() === 'loginCreate', `the login and its token were not one write: ${sent.join()}`);
  expect((await card.locator('h2').innerText()) === '蒋雨桐’s login jiang.yt is ready', await card.locator('h2').innerText());
  expect((await card.locator('.warning').innerText()).includes('it will not be shown again'), 'no once-only note');
  given = await card.locator('input.token').inputValue();
  expect(given.startsWith('dg_'), `the token shown: ${given}`);
  expect(await card.locator('input.token').evaluate((e) => e === document.activeElement), 'the token is not ready to copy');
  await shot('08-token-once', true);
  const me = await whoIs(given);
  expect(me?.userId === 'jiang.yt' && me.roles.join() === 'service_manager' && me.teamMember?.name === '蒋雨桐', `the token signs in as ${JSON.stringify(me)}`);
  const login = await rowOf('蒋雨桐').locator('td.logins li.login').innerText();
  expect(login.startsWith('jiang.yt (Service manager)'), `the list: "${login}"`);
  expect(await rowOf('蒋雨桐').locator('button.give-login').count() === 0, '蒋雨桐 has a login and is offered a second');
  const listed = JSON.stringify(await pageApi(page, '{ logins { name tokens { id label } } }'));
  expect(!listed.includes(given.slice(given.indexOf('_', 3) + 1)), 'the token\'s secret is listed'); // dg_<id>_<secret>, "_" in it too
  await card.locator('button.dismiss-token').click();
  expect(await page.locator('#new-token').count() === 0, 'the token stays on the page');
});

await check('a token revoked on the page no longer signs in', async () => {
  const revoke = rowOf('蒋雨桐').locator('button.revoke-token');
  // told apart by the day it was issued; the app's own label in the reader's language
  expect(/^Revoke jiang\.yt’s token “given on Our people”, issued \d{4}-\d{2}-\d{2} \d{2}:\d{2}$/.test(await revoke.getAttribute('aria-label')), await revoke.getAttribute('aria-label'));
  await page.selectOption('#language', 'zh-CN');
  const zh = rowOf('蒋雨桐').locator('button.revoke-token', { hasText: '吊销' });
  await zh.waitFor();
  expect(/^吊销令牌“在我方人员页开通”（\d{4}-\d{2}-\d{2} \d{2}:\d{2}签发）$/.test(await zh.innerText()), `in Chinese: ${await zh.innerText()}`);
  await page.selectOption('#language', 'en');
  await rowOf('蒋雨桐').locator('button.revoke-token', { hasText: 'Revoke' }).waitFor();
  await revoke.click();
  await page.locator('#notice .banner', { hasText: 'no longer signs in' }).waitFor();
  expect((await rowOf('蒋雨桐').locator('button.revoke-token').count()) === 0, 'the revoked token is still offered');
  expect(await whoIs(given) === null, 'the revoked token still signs in');
});

let fresh = null;
await check('a lost token is replaced on the page: a new one for the same login, shown once, signs in as her', async () => {
  const issue = rowOf('蒋雨桐').locator('button.new-token');
  expect((await issue.getAttribute('aria-label')) === 'Give jiang.yt a new token', await issue.getAttribute('aria-label'));
  await issue.click();
  const card = page.locator('#new-token');
  await card.waitFor();
  expect((await card.locator('h2').innerText()) === 'A new token for 蒋雨桐’s login jiang.yt', await card.locator('h2').innerText());
  fresh = await card.locator('input.token').inputValue();
  expect(fresh.startsWith('dg_') && fresh !== given, `the new token: ${fresh}`);
  const me = await whoIs(fresh);
  expect(me?.userId === 'jiang.yt' && me.teamMember?.name === '蒋雨桐', `the new token signs in as ${JSON.stringify(me)}`);
  expect((await rowOf('蒋雨桐').locator('button.revoke-token').count()) === 1, 'the new token is not listed to revoke');
  await shot('08b-new-token');
  await card.locator('button.dismiss-token').click();
});

/** Change 蒋雨桐's login in its form: a role and whether it signs in; waits for the page's notice. */
async function changeLogin(change, said) {
  await rowOf('蒋雨桐').locator('button.edit-login').click();
  const form = page.locator('#login-edit-form');
  await form.waitFor();
  await change(form);
  await form.locator('button[type=submit]').click();
  const banner = page.locator('#notice .banner');
  await banner.filter({ hasText: said }).waitFor();
  expect((await banner.innerText()) === said, `the notice: ${await banner.innerText()}`);
  expect(await page.locator('#login-edit-form').count() === 0, 'the form stays open');
}

await check('the administrator makes 蒋雨桐 a delivery manager, then disables her login: her token stops; enabled again, a new token signs her in', async () => {
  const edit = rowOf('蒋雨桐').locator('button.edit-login');
  expect((await edit.getAttribute('aria-label')) === 'Change the login jiang.yt', await edit.getAttribute('aria-label'));
  await edit.click();
  const form = page.locator('#login-edit-form');
  expect((await form.locator('h3').innerText()) === 'The login jiang.yt of 蒋雨桐', await form.locator('h3').innerText());
  expect((await form.locator('select').first().inputValue()) === 'service_manager', 'the form does not start from her role');
  await shot('10-change-login');
  await edit.click(); // closes it
  await changeLogin((f) => f.locator('select').first().selectOption('delivery_manager'), 'jiang.yt is now: Delivery manager.');
  expect((await rowOf('蒋雨桐').locator('td.logins li.login').innerText()).startsWith('jiang.yt (Delivery manager)'), 'the list keeps the old role');
  expect((await whoIs(fresh))?.roles.join() === 'delivery_manager', 'her token still signs in with the old role');

  await changeLogin((f) => f.locator('select').nth(1).selectOption('off'), 'jiang.yt is disabled: its tokens no longer sign in.');
  const disabled = rowOf('蒋雨桐').locator('td.logins li.login');
  expect((await disabled.innerText()).includes('(disabled)'), `the list: "${await disabled.innerText()}"`);
  expect((await disabled.locator('button.revoke-token, button.new-token').count()) === 0, 'a disabled login is offered tokens');
  expect(await whoIs(fresh) === null, 'the disabled login\'s token still signs in');
  expect((await rowOf('李明轩').locator('button.edit-login').count()) === 0, 'the login of someone who left may be changed');
  await shot('11-login-disabled');

  await changeLogin((f) => f.locator('select').nth(1).selectOption('on'), 'jiang.yt may sign in again: give it a new token.');
  expect(await whoIs(fresh) === null, 'enabling brought the revoked token back');
  await rowOf('蒋雨桐').locator('button.new-token').click();
  const card = page.locator('#new-token');
  await card.waitFor();
  const again = await card.locator('input.token').inputValue();
  const me = await whoIs(again);
  expect(me?.userId === 'jiang.yt' && me.roles.join() === 'delivery_manager', `the new token signs in as ${JSON.stringify(me)}`);
  await card.locator('button.dismiss-token').click();
});

await check('李明轩\'s token no longer signs in', async () => {
  await page.click('#sign-out');
  await page.fill('#token', TOKENS['li.am']);
  await page.click('#sign-in button[type=submit]');
  await page.locator('#sign-in .field-error:not([hidden])').waitFor();
  expect((await page.locator('#sign-in .field-error').innerText()) === 'This token was not accepted.', 'the token still signs in');
});

await check('周文博 made a viewer while signed in: his next write is refused and the page is drawn again without what a viewer may not do', async () => {
  await signIn(page, BASE_URL, TOKENS['zhou.am']);
  await page.goto(`${BASE_URL}/app/opportunities/${encodeURIComponent(DEMO_ID)}`);
  const accept = page.locator('#suggestions .suggestion .accept').first();
  await accept.waitFor();
  const ROLE = `mutation($input: LoginUpdateInput!) { loginUpdate(input: $input) { userErrors { message } } }`;
  const lowered = await asLogin('admin', ROLE, { input: { name: 'zhou.am', role: 'viewer' } });
  expect(lowered.loginUpdate.userErrors.length === 0, JSON.stringify(lowered));
  await accept.click();
  await page.locator('#notice .banner', { hasText: 'Your role was changed meanwhile' }).waitFor();
  await page.locator('#read-only').waitFor();
  expect(await page.locator('#suggestions .accept').count() === 0, 'the page still offers Accept to a viewer');
  await shot('12-role-lowered');
  const restored = await asLogin('admin', ROLE, { input: { name: 'zhou.am', role: 'account_manager' } });
  expect(restored.loginUpdate.userErrors.length === 0, JSON.stringify(restored));
});

await check('in Chinese and on a phone the list says who left when and whom each reports to', async () => {
  consoleErrors.length = 0; // the refused token's 401 above was the point of the check before
  await signIn(page, BASE_URL, TOKENS.admin, 'zh-CN');
  await page.goto(`${BASE_URL}/app/people`);
  await page.locator('#people').waitFor();
  expect((await rowOf('李明轩').locator('td.state').innerText()) === `${today} 离职`, `zh: ${await rowOf('李明轩').locator('td.state').innerText()}`);
  expect((await page.locator('#nav-people').innerText()) === '我方人员', 'the link is not in Chinese');
  expect((await page.locator('#people th').allInnerTexts()).includes('上级'), 'the column is not in Chinese');
  await shot('04-zh');
  await page.setViewportSize({ width: 390, height: 844 });
  const wide = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(wide <= 390, `the page is ${wide} px wide on a 390 px phone`);
  await rowOf('周文博').locator('button.hand-over').click();
  await page.locator('#hand-over-form').waitFor();
  const formWide = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(formWide <= 390, `with the form open the page is ${formWide} px wide`);
  await shot('05-phone', true);
  await rowOf('周文博').locator('button.add-manager').click();
  const managerForm = page.locator('#manager-form');
  await managerForm.waitFor();
  expect((await managerForm.locator('h3').innerText()) === '周文博的上级', await managerForm.locator('h3').innerText());
  expect((await rowOf('周文博').locator('td.managers').getAttribute('data-label')).startsWith('上级'), 'the phone card does not name the column');
  const managerWide = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(managerWide <= 390, `with the managers' form open the page is ${managerWide} px wide`);
  await shot('06-phone-manager', true);
  await rowOf('邓志刚').locator('button.give-login').click();
  const loginForm = page.locator('#login-form');
  await loginForm.waitFor();
  expect((await loginForm.locator('h3').innerText()) === '为邓志刚开通登录', await loginForm.locator('h3').innerText());
  expect((await loginForm.locator('select').evaluate((e) => e.selectedOptions[0].textContent)) === '交付经理', 'the role is not offered in Chinese');
  const loginWide = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(loginWide <= 390, `with the login form open the page is ${loginWide} px wide`);
  await shot('09-phone-login', true);
  await rowOf('周文博').locator('button.edit-login').click();
  const editForm = page.locator('#login-edit-form');
  await editForm.waitFor();
  expect((await editForm.locator('h3').innerText()) === '周文博的登录 zhou.am', await editForm.locator('h3').innerText());
  expect((await editForm.locator('select').nth(1).evaluate((e) => e.selectedOptions[0].textContent)) === '可凭令牌登录', 'the access is not in Chinese');
  const editWide = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(editWide <= 390, `with the login's form open the page is ${editWide} px wide`);
  await shot('12-phone-change-login', true);
  expect(consoleErrors.length === 0, `console errors: ${consoleErrors.join(' | ')}`);
});

await close();
