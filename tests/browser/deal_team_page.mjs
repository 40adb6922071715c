// A deal's own side and its rivals, kept by the people who work it, each with their own login:
// the account manager forms the iron triangle on the deal page (the Process card follows), records
// a new competitor and its standing, marks a key person as close to it, and a viewer reads both
// without edit controls. Started by test_deal_team_page.py; prints "ok - <check>" per check and
// exits non-zero at the first failed one (with a screenshot).
import { expect, openBrowser, pageApi, signIn } from './harness.mjs';

const { BASE_URL, DEMO_ID, ARTIFACTS, ACCOUNTANT, LEAVER } = process.env;
const TOKENS = JSON.parse(process.env.TOKENS); // login -> token
const { context, page, consoleErrors, check, close, shot: picture } = await openBrowser({
  artifacts: ARTIFACTS, failureShot: 'team-failure.png', viewport: { width: 1280, height: 800 },
});
await context.addInitScript(() => { window.print = () => { window.printed = (window.printed ?? 0) + 1; }; });
const shot = (name, fullPage = false) => picture(`team-${name}.png`, { fullPage });

const signInAs = (login, lang = 'en') => signIn(page, BASE_URL, TOKENS[login], lang);
const DIRECTOR = '孙总监';
async function openDeal() {
  const since = Date.now();
  await page.goto(`${BASE_URL}/app/opportunities/${encodeURIComponent(DEMO_ID)}`);
  await page.waitForFunction((t) => Number(document.body.dataset.mapReady ?? 0) >= t, since);
}
const api = (query, variables) => pageApi(page, query, variables);
/** Wait for the deal to be drawn again after a save, and for its confirmation. */
async function savedThen(click) {
  const since = Date.now();
  await click();
  await page.waitForFunction((t) => Number(document.body.dataset.mapReady ?? 0) >= t, since);
  const banner = page.locator('#notice .banner.ok');
  await banner.waitFor();
  return banner.innerText();
}
/** Open a closed card of the deal panel and wait until it has read its data. */
async function openCard(id) {
  const card = page.locator(`#${id}`);
  // a card left open by the last save reads its data with the reload; a closed one when opened
  const since = (await card.evaluate((d) => d.open)) ? 0 : Date.now();
  if (since) await card.locator('summary').click();
  await page.waitForFunction(([sel, t]) => Number(document.querySelector(sel)?.dataset.ready ?? 0) > t, [`#${id}`, since]);
  return card;
}
const triangle = () => page.$$eval('#triangle li', (items) => items.map((li) => `${li.dataset.role}:${li.className}`));
async function processReady() {
  await page.waitForFunction(() => Boolean(document.querySelector('#process')?.dataset.ready));
}

await check('the account manager takes the delivery manager off the deal: the iron triangle says who is missing', async () => {
  await signInAs('li.am');
  await openDeal();
  // the compliance commitment owed to the officer who supervises the tender leads the plan:
  // said to be required, not "+0.0 points"
  const first = await page.locator('#suggestions .suggestion').first().innerText();
  expect(first.includes('must be done, whatever it adds') && !first.includes('+0.0'), `the first suggestion reads ${first}`);
  const card = await openCard('deal-team');
  const row = card.locator('#team-list li', { hasText: '邓志刚' });
  expect(await row.count() === 1, 'the team card does not list 邓志刚');
  expect((await row.innerText()).includes('Delivery manager'), `邓志刚 reads ${await row.innerText()}`);
  await row.locator('button.remove').click();
  const ask = row.locator('.team-remove');
  await ask.waitFor();
  expect((await ask.innerText()).includes('The iron triangle then has no Delivery manager'), `the question reads ${await ask.innerText()}`);
  await shot('01a-remove-asked');
  const said = await savedThen(() => ask.locator('button.danger').click());
  expect(said.startsWith('邓志刚 is no longer on the team of'), `notice: ${said}`);
  await processReady();
  const now = await triangle();
  expect(now.includes('DELIVERY_MANAGER:missing'), `the triangle reads ${now}`);
  expect(await page.locator('#deal-team').evaluate((d) => d.open), 'the team card closed after the save');
  await shot('01-removed', true);
});

await check('and puts him back: his own role is offered, the triangle is complete again', async () => {
  // meanwhile a POC request waits on a sales director or a delivery manager: the card says the
  // deal's team has no delivery manager to decide it
  const fields = { test_scope: 'EMR', start_date: '2027-01-05', end_date: '2027-01-30' };
  const asked = await api(`mutation($i: ApprovalRequestInput!) { approvalRequest(input: $i) { approval { id } userErrors { message } } }`,
    { i: { opportunityId: DEMO_ID, process: '4-1', fields } });
  const poc = asked.approvalRequest.approval?.id;
  expect(Boolean(poc), `the POC request was refused: ${JSON.stringify(asked.approvalRequest.userErrors)}`);
  await openDeal();
  await processReady();
  const waits = () => page.locator(`#approvals li.approval[data-id="${poc}"] p.help`).innerText();
  const lacking = await waits();
  expect(lacking.includes('decided by a Delivery manager or Sales director; no Delivery manager is on the deal\'s team yet'), `the request reads ${lacking}`);
  await page.locator(`#approvals li.approval[data-id="${poc}"]`).scrollIntoViewIfNeeded();
  await shot('01c-request-lacks-its-decider');
  const card = await openCard('deal-team');
  const form = card.locator('#team-form');
  const option = await form.locator('select').first().locator('option', { hasText: '邓志刚' }).getAttribute('value');
  await form.locator('select').first().selectOption(option);
  const role = await form.locator('[data-field="input.role"]').inputValue();
  expect(role === 'DELIVERY_MANAGER', `the role offered for 邓志刚 is ${role}`);
  const said = await savedThen(() => form.locator('button[type=submit]').click());
  expect(said.startsWith('邓志刚 is on the team of') && said.endsWith('as Delivery manager.'), `notice: ${said}`);
  await processReady();
  const now = await triangle();
  expect(now.every((x) => x.endsWith(':present')), `the triangle reads ${now}`);
  const staffed = await waits();
  expect(staffed.includes('decided by a Delivery manager or Sales director: ') && staffed.includes('邓志刚') && !staffed.includes('no Delivery manager'), `the request reads ${staffed}`);
  await api(`mutation($id: ID!) { approvalDecide(id: $id, input: { decision: WITHDRAW }) { userErrors { message } } }`, { id: poc });
  await page.locator('#deal-team').scrollIntoViewIfNeeded();
  await shot('01b-team-card');
});

await check('someone who left is not offered for the team; whoever is with us is', async () => {
  const card = await openCard('deal-team');
  const offered = await card.locator('#team-form select').first().locator('option').allInnerTexts();
  expect(!offered.some((o) => o.includes(LEAVER)), `${LEAVER} left and is offered: ${offered}`);
  expect(offered.some((o) => o.includes('邓志刚')), `those with us are not offered: ${offered}`);
});

await check('an account manager is not offered the sales director\'s role, which only a lead gives, and is told their director sees the deal already; an administrator is', async () => {
  const card = await openCard('deal-team');
  const form = card.locator('#team-form');
  const roles = await form.locator('[data-field="input.role"] option').evaluateAll((os) => os.map((o) => o.value));
  expect(!roles.includes('SALES_DIRECTOR') && roles.includes('DELIVERY_MANAGER'), `the account manager is offered ${roles}`);
  const help = await form.locator('#team-director-help').innerText();
  expect(help.startsWith('The sales director who manages you sees this deal and approves its steps already'), `the form says "${help}"`);
  // with no sales director above him, the form says only who may name one (not that one sees it)
  const { me } = await apiAs('li.am', '{ me { teamMember { id directors { id } } } }');
  expect(me.teamMember.directors.length === 1, `李明轩's directors: ${JSON.stringify(me)}`);
  const MANAGER = `($input: TeamMemberManagerInput!) { change: %s(input: $input) { userErrors { message } } }`;
  const pair = { input: { managerId: me.teamMember.directors[0].id, memberId: me.teamMember.id } };
  expect((await apiAs('ops.admin', `mutation${MANAGER.replace('%s', 'teamMemberManagerRemove')}`, pair)).change.userErrors.length === 0, 'the manager was not removed');
  await openDeal();
  const alone = await (await openCard('deal-team')).locator('#team-director-help').innerText();
  expect(alone === 'Only a sales director or an administrator makes someone this deal\'s sales director.', `without a director the form says "${alone}"`);
  expect((await apiAs('ops.admin', `mutation${MANAGER.replace('%s', 'teamMemberManagerAdd')}`, pair)).change.userErrors.length === 0, 'the manager was not put back');
  await openDeal();
  await openCard('deal-team');
  // picking the director leaves the role to choose, not set to one the API refuses him
  const director = await form.locator('[data-field="input.memberId"] option', { hasText: DIRECTOR }).getAttribute('value');
  await form.locator('[data-field="input.memberId"]').selectOption(director);
  expect(await form.locator('[data-field="input.role"]').inputValue() === '', 'a role was chosen for the director');
  await form.locator('#team-director-help').scrollIntoViewIfNeeded();
  await shot('01c-no-director-role');
  await signInAs('ops.admin');
  await openDeal();
  const lead = (await openCard('deal-team')).locator('#team-form');
  const offered = await lead.locator('[data-field="input.role"] option').evaluateAll((os) => os.map((o) => o.value));
  expect(offered.includes('SALES_DIRECTOR'), `the administrator is offered ${offered}`);
  expect(await lead.locator('#team-director-help').count() === 0, 'the administrator is told to ask a lead');
});

await check('a request the deal\'s only sales director asked for himself: the card says nobody else decides it, not "decided by a Sales director"', async () => {
  // 孙总监 sees the deal as 李明轩's director, the only one who does; he asks for the
  // customer-facts approval only a sales director decides
  const asked = await apiAs('sun.director', `mutation($i: ApprovalRequestInput!) { approvalRequest(input: $i) { approval { id } userErrors { message } } }`,
    { i: { opportunityId: DEMO_ID, process: '1-3', comment: 'New legal name' } });
  const id = asked.approvalRequest.approval?.id;
  expect(Boolean(id), `孙总监's request was refused: ${JSON.stringify(asked.approvalRequest.userErrors)}`);
  const mayDecide = (login) => apiAs(login, `query($id: ID!) { node(id: $id) { ... on Approval { mayDecide } } }`, { id });
  expect(!(await mayDecide('sun.director')).node.mayDecide && !(await mayDecide('li.am')).node.mayDecide, 'someone may decide it');
  const said = async (lang) => {
    await signInAs('li.am', lang);
    await openDeal();
    await processReady();
    const line = page.locator(`#approvals li.approval[data-id="${id}"] p.help`);
    await line.scrollIntoViewIfNeeded();
    return line.innerText();
  };
  const en = await said('en');
  expect(en.includes('decided by a Sales director; its requester, 孙总监, is the only Sales director who sees this deal, and nobody decides their own request: put another on Our team on this deal'), `the request reads ${en}`);
  await shot('01d-request-only-its-requester-decides');
  const zh = await said('zh-CN');
  expect(zh.includes('由销售总监审批；申请人孙总监是唯一能看到本商机的销售总监，而申请人不能审批自己的申请'), `the request reads ${zh}`);
  await shot('01e-request-only-its-requester-decides-zh');
  const back = await apiAs('sun.director', `mutation($id: ID!) { approvalDecide(id: $id, input: { decision: WITHDRAW }) { userErrors { message } } }`, { id });
  expect(back.approvalDecide.userErrors.length === 0, `not withdrawn: ${JSON.stringify(back)}`);
});

await check('a team member not chosen, or a competitor named by blanks, is refused at its field, in Chinese', async () => {
  await signInAs('li.am', 'zh-CN');
  await openDeal();
  const card = await openCard('deal-team');
  const form = card.locator('#team-form');
  const before = await card.locator('#team-list li').count();
  await form.locator('[data-field="input.role"]').selectOption('SOLUTION_MANAGER');
  await form.locator('button[type=submit]').click();
  // the browser's own check names the empty choice before anything is sent
  const invalid = await form.locator('[data-field="input.memberId"]').evaluate((s) => s.matches(':invalid'));
  expect(invalid, 'an empty team member is sent');
  expect(await card.locator('#team-list li').count() === before, 'the team changed');
  // a competitor's name of blanks passes the browser and is refused by the API, at the name
  const rivals = await openCard('deal-competitors');
  const add = rivals.locator('#competitor-form');
  await add.locator('[data-field="input.competitorId"]').selectOption('__new__');
  await add.locator('[data-field="input.name"]').fill('   ');
  await add.locator('button[type=submit]').click();
  const error = add.locator('.field-error[data-for="input.name"]');
  await error.waitFor();
  const text = await error.innerText();
  expect(/[\u4e00-\u9fff]/.test(text) && !/[a-z]{4}/.test(text), `the refusal reads ${text}`);
  await shot('02-zh', true);
});

await check('a new competitor is recorded with its standing, and a key person marked close to it', async () => {
  await signInAs('li.am');
  await openDeal();
  const card = await openCard('deal-competitors');
  const form = card.locator('#competitor-form');
  await form.locator('[data-field="input.competitorId"]').selectOption('__new__');
  await form.locator('[data-field="input.name"]').fill('深蓝软件');
  await form.locator('[data-field="input.position"]').selectOption('TRAILING');
  await form.locator('[data-field="input.pricePosition"]').selectOption('LOWER');
  const said = await savedThen(() => form.locator('button[type=submit]').click());
  expect(said.startsWith('深蓝软件 is recorded as a competitor on'), `notice: ${said}`);
  const row = page.locator('#competitor-list li', { hasText: '深蓝软件' });
  await row.waitFor();
  expect((await row.innerText()).includes('Behind us'), `深蓝软件 reads ${await row.innerText()}`);
  await page.click(`.person-item[data-id="${ACCOUNTANT}"]`);
  const tie = page.locator('#competitor-tie-form');
  await tie.waitFor();
  const value = await tie.locator('[data-field="input.competitorId"] option', { hasText: '深蓝软件' }).getAttribute('value');
  await tie.locator('[data-field="input.competitorId"]').selectOption(value);
  await tie.locator('[data-field="input.level"]').selectOption('STRONG');
  const tied = await savedThen(() => tie.locator('button[type=submit]').click());
  expect(tied === '钱卫东 is recorded as close to 深蓝软件.', `notice: ${tied}`);
  await page.locator('#person-title').waitFor();
  const ties = await page.locator('.person-detail .ties').innerText();
  expect(/深蓝软件 \(Strong\)/.test(ties), `the panel's ties read ${ties}`);
  // on the map his label names both rivals he is close to, not just one of them
  const mapLabel = await page.evaluate((id) => window.dealgraphMap.getElementById(id).data('base'), ACCOUNTANT);
  expect(/ally of .*云岫科技/.test(mapLabel) && /ally of .*深蓝软件/.test(mapLabel), `his map label reads ${JSON.stringify(mapLabel)}`);
  await page.locator('#deal-competitors').scrollIntoViewIfNeeded();
  await shot('03b-competitor-card');
  await shot('03-competitor', true);
});

await check('the account manager records that one of ours knows a key person: the panel and the map show the tie, and it can be taken back', async () => {
  await page.click(`.person-item[data-id="${ACCOUNTANT}"]`);
  const form = page.locator('#team-tie-form');
  await form.waitFor();
  const who = form.locator('[data-field="input.memberId"]');
  await page.waitForFunction(() => document.querySelectorAll('#team-tie-form [data-field="input.memberId"] option').length > 1);
  // the deal's own people come first: the one most likely to have met him
  const first = await who.locator('option').nth(1);
  const [memberId, offered] = [await first.getAttribute('value'), await first.innerText()];
  const name = offered.split(/[（(]/)[0].trim();
  await who.selectOption(memberId);
  await form.locator('[data-field="input.level"]').selectOption('STRONG');
  const said = await savedThen(() => form.locator('button[type=submit]').click());
  expect(said === `${name} is recorded as knowing 钱卫东.`, `notice: ${said}`);
  await page.locator('#person-title').waitFor();
  const ties = await page.locator('.person-detail .ties').innerText();
  expect(ties.includes(`${name} (Strong)`), `the panel's ties read ${ties}`);
  const drawn = await page.evaluate(([m, p]) => window.dealgraphMap.getElementById(`k:${m}:${p}`).length, [memberId, ACCOUNTANT]);
  expect(drawn === 1, 'the map draws no tie from our person to him');
  await shot('03c-team-tie');
  const row = page.locator('#team-tie-form ul.team-ties li', { hasText: name });
  const gone = await savedThen(() => row.locator('button.remove').click());
  expect(gone === `${name} is no longer recorded as knowing 钱卫东.`, `notice: ${gone}`);
  await page.locator('#person-title').waitFor();
  expect(!(await page.locator('.person-detail .ties').innerText()).includes(`${name} (Strong)`), 'the tie is still shown');
});

await check('a competitor taken off the deal is gone from its card and from the person panel\'s choice', async () => {
  const card = await openCard('deal-competitors');
  const row = card.locator('#competitor-list li', { hasText: '深蓝软件' });
  const said = await savedThen(() => row.locator('button.remove').click());
  expect(said.startsWith('深蓝软件 is no longer a competitor on'), `notice: ${said}`);
  expect(await page.locator('#competitor-list li', { hasText: '深蓝软件' }).count() === 0, '深蓝软件 is still listed');
});

await check('a competitor typed as new under a name already known is picked, not made twice', async () => {
  const COMPETITORS = `{ competitors(first: 100) { nodes { id name } } }`;
  const before = (await api(COMPETITORS)).competitors.nodes;
  const known = before.find((c) => c.name === '华康医疗');
  const card = await openCard('deal-competitors');
  const form = card.locator('#competitor-form');
  await form.locator('[data-field="input.competitorId"]').selectOption({ label: (await form.locator('[data-field="input.competitorId"] option').last().innerText()) });
  await form.locator('[data-field="input.name"]').fill(' 华康医疗 ');
  await form.locator('button[type=submit]').click();
  const said = form.locator('.field-error[data-for="input.competitorId"]');
  await said.waitFor();
  expect((await said.innerText()).includes('华康医疗 is already known'), `the form says ${await said.innerText()}`);
  expect(await form.locator('[data-field="input.competitorId"]').inputValue() === known.id, 'the known competitor is not picked');
  expect((await api(COMPETITORS)).competitors.nodes.length === before.length, 'a second 华康医疗 was made');
  await shot('03c-competitor-known');
});

await check('an overdue step says so in the work plan and on the deal sheet; the last contact reads as day and minute', async () => {
  const yesterday = new Date(Date.now() - 86400000 - new Date().getTimezoneOffset() * 60000).toISOString().slice(0, 10);
  const target = await api(`query($id: ID!) { node(id: $id) { ... on Opportunity { suggestedWorkPlan(limit: 1) { actionKey target { id } } } } }`, { id: DEMO_ID });
  const first = target.node.suggestedWorkPlan[0];
  const accepted = await api(`mutation($input: SuggestionAcceptInput!) { workPlanSuggestionAccept(input: $input) { workPlanItem { title dueDate } userErrors { message } } }`,
    { input: { opportunityId: DEMO_ID, actionKey: first.actionKey, targetPersonId: first.target?.id ?? null, dueDate: yesterday } });
  const payload = accepted.workPlanSuggestionAccept;
  expect(payload.userErrors.length === 0, `the step was refused: ${JSON.stringify(payload.userErrors)}`);
  await openDeal();
  const late = page.locator('#work-plan li.overdue');
  expect(await late.count() >= 1, 'no step of the work plan is marked overdue');
  expect((await late.first().innerText()).includes(`${yesterday} (overdue)`), `the overdue step reads ${await late.first().innerText()}`);
  await page.click('#deal-sheet');
  const sheet = await page.$$eval('#sheet table tr', (trs) => trs.map((tr) => tr.textContent));
  expect(sheet.some((row) => row.includes(`${yesterday} (overdue)`)), `the deal sheet's open steps read ${JSON.stringify(sheet)}`);
  await page.click(`.person-item[data-id="${ACCOUNTANT}"]`);
  const contact = await page.locator('#last-contact').innerText();
  expect(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/.test(contact), `the last contact reads ${contact}`);
});

await check('a viewer reads the team and the competitors without edit controls', async () => {
  await signInAs('viewer');
  await openDeal();
  const team = await openCard('deal-team');
  expect(await team.locator('#team-list li').count() >= 3, 'a viewer sees no team');
  const rivals = await openCard('deal-competitors');
  expect(await rivals.locator('#competitor-list li').count() >= 2, 'a viewer sees no competitors');
  for (const selector of ['#team-form', '#competitor-form', 'button.remove']) {
    expect(await page.locator(selector).count() === 0, `a viewer is offered ${selector}`);
  }
  await page.click(`.person-item[data-id="${ACCOUNTANT}"]`);
  await page.locator('#person-title').waitFor();
  expect(await page.locator('#competitor-tie-form').count() === 0, 'a viewer is offered the competitor tie form');
  await shot('04-viewer', true);
});

const TEAM_OF = `query($id: ID!) { node(id: $id) { ... on Opportunity { team { member { id name } role phase } } } }`;
async function apiAs(login, query, variables) {
  const response = await fetch(`${BASE_URL}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKENS[login]}` }, body: JSON.stringify({ query, variables }) });
  return (await response.json()).data;
}

await check('someone taken off meanwhile: the older card says so and shows the team as it is', async () => {
  await signInAs('li.am');
  await openDeal();
  const card = await openCard('deal-team');
  const { team } = (await apiAs('li.am', TEAM_OF, { id: DEMO_ID })).node;
  const other = team.find((a) => a.member.name !== '李明轩' && a.role !== 'ACCOUNT_MANAGER');
  const row = card.locator(`#team-list li[data-member="${other.member.id}"]`);
  await row.locator('button.remove').click();
  const UNASSIGN = `mutation($input: TeamAssignInput!) { teamUnassign(input: $input) { userErrors { message } } }`;
  const done = await apiAs('li.am', UNASSIGN, { input: { memberId: other.member.id, targetId: DEMO_ID, role: other.role, phase: other.phase } });
  expect(done.teamUnassign.userErrors.length === 0, JSON.stringify(done)); // as from another tab
  await row.locator('.team-remove button.danger').click();
  const told = page.locator('#notice .banner.help', { hasText: 'was already taken off the team' });
  await told.waitFor();
  await row.waitFor({ state: 'detached' });
  expect((await told.innerText()).includes(other.member.name), `the notice reads ${await told.innerText()}`);
});

await check('taking oneself off the deal asks first, then goes back to the pipeline and says why', async () => {
  await page.locator('#notice .banner button.dismiss').click(); // read: the last check's news
  const card = await openCard('deal-team');
  const mine = card.locator('#team-list li', { hasText: '李明轩' }).first();
  await mine.locator('button.remove').click();
  const ask = mine.locator('.team-remove');
  await ask.waitFor();
  expect((await ask.innerText()).includes('Take yourself off the team'), `the question reads ${await ask.innerText()}`);
  await shot('05-leave-asked');
  await ask.locator('button.secondary').click(); // kept: nothing changed
  expect(await ask.count() === 0, 'the question stays after Keep');
  expect((await apiAs('li.am', TEAM_OF, { id: DEMO_ID })).node.team.some((a) => a.member.name === '李明轩'), 'Keep took him off');
  await mine.locator('button.remove').click();
  await mine.locator('.team-remove button.danger').click();
  const told = page.locator('#notice .banner.ok', { hasText: 'You are no longer on the team of' });
  await told.waitFor();
  await page.waitForFunction(() => location.pathname === '/app');
  expect(await page.locator('#not-found').count() === 0, 'he is shown "does not exist" instead of the pipeline');
  await shot('06-left-the-deal');
});

await check('no script error on any page', async () => {
  expect(consoleErrors.length === 0, consoleErrors.join('\n'));
});

await close();
