// The map page as the people who use it see it, each with their own login: the deal's account
// manager, a viewer on the deal's team, an account manager linked to nobody, and a login whose
// token is revoked mid-session. Started by test_roles_page.py; prints "ok - <check>" per check
// and exits non-zero at the first failed one (with a screenshot).
import { expect, openBrowser, pageApi, settle } from './harness.mjs';

const { BASE_URL, DEMO_ID, ARTIFACTS, PRESIDENT } = process.env;
const TOKENS = JSON.parse(process.env.TOKENS); // login -> token
const { page, consoleErrors, check, close, shot: picture } = await openBrowser({
  artifacts: ARTIFACTS, failureShot: 'roles-failure.png', viewport: { width: 1280, height: 800 },
});
const shot = (name, fullPage = false) => picture(`roles-${name}.png`, { fullPage });

/** Sign out, then sign in with a login's own token on the sign-in form. */
async function signInAs(login) {
  await page.goto(`${BASE_URL}/app`);
  await page.evaluate(() => { sessionStorage.clear(); localStorage.setItem('dealgraph.lang', 'en'); });
  await page.goto(`${BASE_URL}/app`);
  await page.locator('#sign-in').waitFor();
  await page.fill('#token', TOKENS[login]);
  await page.click('#sign-in button[type=submit]');
  await page.locator('#sign-out').waitFor();
  await page.locator('main h1').waitFor(); // the pipeline has loaded: no request is under way
}
async function openDeal() {
  const since = Date.now();
  await page.goto(`${BASE_URL}/app/opportunities/${encodeURIComponent(DEMO_ID)}`);
  await page.waitForFunction((t) => Number(document.body.dataset.mapReady ?? 0) >= t, since);
}
/** The API as the signed-in login (its token from the page's session). */
const api = (query, variables) => pageApi(page, query, variables);
/** The API as another login, from outside the page: someone else at work on the deal meanwhile. */
async function apiAs(login, query, variables = {}) {
  const response = await fetch(`${BASE_URL}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKENS[login]}` }, body: JSON.stringify({ query, variables }) });
  const body = await response.json();
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data;
}
/** ``login`` changes the demo deal's ``input`` (at its current version), as from another screen. */
async function updateDealAs(login, input) {
  const { version } = (await apiAs(login, `query($id: ID!) { node(id: $id) { ... on Opportunity { version } } }`, { id: DEMO_ID })).node;
  const done = await apiAs(login, `mutation($id: ID!, $input: OpportunityUpdateInput!) { opportunityUpdate(id: $id, input: $input) { userErrors { message } } }`,
    { id: DEMO_ID, input: { ...input, version } });
  expect(done.opportunityUpdate.userErrors.length === 0, JSON.stringify(done));
}
const suggestionKeys = () => page.$$eval('#suggestions .suggestion', (items) => items.map((li) => `${li.dataset.action} ${li.querySelector('strong').textContent}`));

await check('the sign-in page shows no stray text in its header', async () => {
  await page.goto(`${BASE_URL}/app`);
  await page.locator('#sign-in').waitFor();
  const header = await page.locator('#top').innerText();
  expect(!header.includes('null'), `header reads ${JSON.stringify(header)}`);
  await shot('01-sign-in');
});

await check('the account manager accepts a suggestion: it is confirmed and leaves the list', async () => {
  await signInAs('li.am');
  await openDeal();
  expect(await page.locator('#read-only').count() === 0, 'an account manager is told the deal is read-only');
  const stray = await page.evaluate(() => [...document.querySelector('main').childNodes].filter((n) => n.nodeType === 3 && /null|undefined/.test(n.textContent)).length);
  expect(stray === 0, 'the page shows a stray "null"');
  // a step for one of his colleagues (his own, the compliance commitment, leads the plan):
  // My work then tells him that none of the open items is his
  const first = page.locator('#suggestions .suggestion').filter({ hasNotText: 'Owner: 李明轩' }).first();
  const chosen = `${await first.getAttribute('data-action')} ${await first.locator('strong').innerText()}`;
  const title = await first.locator('strong').innerText();
  const since = Date.now();
  await first.locator('.accept').click();
  await page.waitForFunction((t) => Number(document.body.dataset.mapReady ?? 0) >= t, since);
  const banner = page.locator('#notice .banner.ok');
  await banner.waitFor();
  expect((await banner.innerText()).startsWith('Added to the work plan.'), `notice: ${await banner.innerText()}`);
  const after = await suggestionKeys();
  expect(!after.includes(chosen), `the accepted suggestion is still offered: ${chosen}`);
  const plan = await page.locator('#work-plan').innerText();
  expect(plan.includes(title.split(' — ')[0]), `the work plan lacks ${title}`);
  await shot('02-accepted', true);
  await banner.waitFor({ state: 'detached', timeout: 10000 }); // a confirmation does not linger
});

await check('a strategy session takes a step on with another owner and a later date: the plan holds them', async () => {
  const item = page.locator('#suggestions .suggestion').filter({ hasNot: page.locator('strong', { hasText: 'review' }) }).first();
  const title = await item.locator('strong').innerText();
  await item.locator('details.accept-as summary').click();
  const form = item.locator('form.accept-as-form');
  const owner = await form.locator('[data-field="input.ownerId"] option', { hasText: '苏婉清' }).getAttribute('value');
  await form.locator('[data-field="input.ownerId"]').selectOption(owner);
  const suggested = await form.locator('[data-field="input.dueDate"]').inputValue();
  const later = new Date(Date.parse(suggested) + 21 * 86400000).toISOString().slice(0, 10);
  await form.locator('[data-field="input.dueDate"]').fill(later);
  await shot('02b-accept-as');
  const since = Date.now();
  await form.locator('button[type=submit]').click();
  await page.waitForFunction((t) => Number(document.body.dataset.mapReady ?? 0) >= t, since);
  const said = await page.locator('#notice .banner.ok').innerText();
  expect(said.includes('苏婉清') && said.includes(later), `notice: ${said}`);
  const { node } = await api(`query($id: ID!) { node(id: $id) { ... on Opportunity { workPlan { title target { name } owner { name } dueDate } } } }`, { id: DEMO_ID });
  const taken = node.workPlan.find((w) => title.startsWith(w.title) && w.owner?.name === '苏婉清');
  expect(taken?.dueDate === later, `the plan holds ${JSON.stringify(node.workPlan)}`);
  const line = await page.locator('#work-plan li', { hasText: taken.title }).filter({ hasText: '苏婉清' }).first().innerText();
  expect(line.includes(later), `the work plan reads ${line}`);
});

await check('the session revises the plan: the step moved a week on, then dropped for its timing until a day, each said and stored', async () => {
  const plan = async () => (await api(`query($id: ID!) { node(id: $id) { ... on Opportunity { workPlan { id title status owed dueDate dropReason resumeOn owner { name } } } } }`, { id: DEMO_ID })).node.workPlan;
  // the latest of hers the process does not require (a session may put that one off)
  const taken = (await plan()).filter((w) => w.status === 'OPEN' && !w.owed && w.owner?.name === '苏婉清').sort((a, b) => b.dueDate.localeCompare(a.dueDate))[0];
  const line = () => page.locator(`#work-plan li[data-id="${taken.id}"]`);
  await line().locator('details.plan-change summary').click();
  const form = line().locator('form.plan-change-form');
  const owner = await form.locator('[data-field="input.ownerId"] option:checked').innerText();
  expect(owner.startsWith('苏婉清'), `the form offers the step's owner first: ${owner}`);
  const week = new Date(Date.parse(taken.dueDate) + 7 * 86400000).toISOString().slice(0, 10);
  await form.locator('[data-field="input.dueDate"]').fill(week);
  await shot('02c-plan-change');
  let since = Date.now();
  await form.locator('button[type=submit]').click();
  await page.waitForFunction((t) => Number(document.body.dataset.mapReady ?? 0) >= t, since);
  const moved = await page.locator('#notice .banner.ok').innerText();
  expect(moved === `“${taken.title}”: owner 苏婉清, due ${week}.`, `notice: ${moved}`);
  const stored = (await plan()).find((w) => w.id === taken.id);
  expect(stored.dueDate === week && stored.owner?.name === '苏婉清' && stored.status === 'OPEN', `stored ${JSON.stringify(stored)}`);
  expect((await line().innerText()).includes(week), `the plan reads ${await line().innerText()}`);
  await line().locator('details.plan-change summary').click();
  // dropped without saying why: the form asks, and nothing is sent
  await line().locator('button.plan-drop').click();
  const why = line().locator('form.plan-change-form .field-error');
  await why.waitFor();
  expect((await why.innerText()) === 'Say why the step is dropped: it decides when the plan suggests it again.', `the form says ${await why.innerText()}`);
  expect((await plan()).find((w) => w.id === taken.id).status === 'OPEN', 'a drop without a reason was sent');
  const resume = line().locator('[data-field="resumeOn"]');
  expect(!(await resume.isVisible()), 'the day to come back is asked before the timing is chosen');
  await line().locator('select.drop-why').selectOption('TIMING');
  const back = new Date(Date.now() + 21 * 86400000).toISOString().slice(0, 10);
  await resume.fill(back);
  await line().locator('fieldset.drop-fields').scrollIntoViewIfNeeded();
  await shot('02d-plan-drop-timing');
  since = Date.now();
  await line().locator('button.plan-drop').click();
  await page.waitForFunction((t) => Number(document.body.dataset.mapReady ?? 0) >= t, since);
  const dropped = await page.locator('#notice .banner.ok').innerText();
  expect(dropped === `“${taken.title}” is put off: it leaves the plan until ${back}, when the plan suggests it again for someone to take on.`, `notice: ${dropped}`);
  const gone = (await plan()).find((w) => w.id === taken.id);
  expect(gone.status === 'CANCELLED' && gone.dropReason === 'TIMING' && gone.resumeOn === back, `stored ${JSON.stringify(gone)}`);
  const reads = await line().innerText();
  const today = new Date().toISOString().slice(0, 10);
  expect(reads.endsWith(`— Dropped on ${today} (Not now: the timing is wrong, until ${back})`) && !reads.includes('苏婉清')
    && (await line().locator('details.plan-change').count()) === 0, `the plan reads ${reads}`);
  // nobody's, after the steps still to do, dimmed
  const order = await page.$$eval('#work-plan > li:not(.more-dropped)', (items) => items.map((li) => li.classList.contains('dropped')));
  expect(order.indexOf(true) > 0 && order.slice(order.indexOf(true)).every(Boolean), `the plan's order (dropped?) ${order}`);
});

await check('a step the process requires is not put off to a day: the form offers what works, and it comes back at once', async () => {
  // the compliance commitment, taken on for 苏婉清 above; then a session wants it off the plan
  const duty = page.locator('#suggestions .suggestion[data-action="compliance_commitment"]');
  expect(await duty.count() === 0, 'the duty taken on is still suggested');
  const { node } = await api(`query($id: ID!) { node(id: $id) { ... on Opportunity { workPlan { id title status owed action dueDate owner { id } } } } }`, { id: DEMO_ID });
  const taken = node.workPlan.find((w) => w.action === 'compliance_commitment' && w.status === 'OPEN');
  expect(taken?.owed === true, `the plan holds ${JSON.stringify(node.workPlan)}`);
  const line = page.locator(`#work-plan li[data-id="${taken.id}"]`);
  await line.locator('details.plan-change summary').click();
  const reasons = await line.locator('select.drop-why option').evaluateAll((options) => options.map((o) => o.value));
  expect(JSON.stringify(reasons) === JSON.stringify(['', 'REFUSED', 'NOT_NEEDED', 'NOBODY']), `the reasons offered ${reasons}`);
  const owed = await line.locator('fieldset.drop-fields p.owed').innerText();
  expect(owed === 'The process requires this step: dropped, it is suggested again at once. To do it later, move its day above.', `the form says ${owed}`);
  await line.locator('select.drop-why').selectOption('NOT_NEEDED');
  await line.locator('fieldset.drop-fields').scrollIntoViewIfNeeded();
  await shot('02e-plan-drop-owed');
  // the panel keeps where it was scrolled: the step just dropped stays in sight
  const planAt = () => page.locator('#work-plan').evaluate((list) => Math.round(list.getBoundingClientRect().top));
  // where the click brings it: in view, and not under an earlier notice (fixed at the foot),
  // which would make the click scroll the panel itself
  await page.evaluate(() => document.getElementById('notice')?.replaceChildren());
  await line.locator('button.plan-drop').scrollIntoViewIfNeeded();
  const before = await planAt();
  const since = Date.now();
  await line.locator('button.plan-drop').click();
  await page.waitForFunction((t) => Number(document.body.dataset.mapReady ?? 0) >= t, since);
  const said = await page.locator('#notice .banner.ok').innerText();
  expect(said === `“${taken.title}” was dropped from the plan, but the process requires it: the plan suggests it again at once, for someone to take on.`, `notice: ${said}`);
  await page.waitForTimeout(1000); // the cards that fill in later (the process, the contacts) have come
  const scrolled = await page.locator('#panel').evaluate((panel) => panel.scrollTop);
  const after = await planAt();
  expect(scrolled > 200 && Math.abs(after - before) <= 12, `the plan stood at ${before}, then at ${after} (the panel scrolled ${scrolled})`);
  expect(await duty.count() === 1, 'the duty is not suggested again');
  expect((await line.getAttribute('class')) === 'dropped', `the dropped step reads ${await line.innerText()}`);
  // the session gives it back to her, for the day it had: the plan holds it again as before
  const again = (await api(`query($id: ID!) { node(id: $id) { ... on Opportunity { suggestedWorkPlan(limit: 12) { actionKey target { id } } } } }`, { id: DEMO_ID }))
    .node.suggestedWorkPlan.find((s) => s.actionKey === 'compliance_commitment');
  const back = await api(`mutation($input: SuggestionAcceptInput!) { workPlanSuggestionAccept(input: $input) { workPlanItem { id } userErrors { message } } }`,
    { input: { opportunityId: DEMO_ID, actionKey: again.actionKey, targetPersonId: again.target?.id ?? null, ownerId: taken.owner.id, dueDate: taken.dueDate } });
  expect(back.workPlanSuggestionAccept.userErrors.length === 0, JSON.stringify(back));
});

await check('sentences the page puts one after another read as each language writes them', async () => {
  // a confirmation ("Added to the work plan." and the step) and a refusal's several messages
  const joined = async (language) => page.evaluate(async (lang) => {
    const i18n = await import('/app/static/js/i18n.js');
    const before = i18n.lang();
    i18n.setLang(lang);
    try {
      return [i18n.sentences([i18n.t('accepted'), 'ROI workshop — 张建国']), i18n.say(i18n.saidErrors([{ message: 'name: required' }, { message: 'customer: not found' }]))];
    } finally { i18n.setLang(before); }
  }, language);
  const [zhAccepted, zhRefused] = await joined('zh-CN');
  expect(zhAccepted === '已加入工作计划。ROI workshop — 张建国', `zh confirmation: ${zhAccepted}`);
  expect(zhRefused === 'name: required；customer: not found', `zh refusal: ${zhRefused}`);
  const [enAccepted, enRefused] = await joined('en');
  expect(enAccepted === 'Added to the work plan. ROI workshop — 张建国', `en confirmation: ${enAccepted}`);
  expect(enRefused === 'name: required; customer: not found', `en refusal: ${enRefused}`);
});

await check('my work lists the next steps across deals, soonest due first, and records a result', async () => {
  await page.click('#nav-work');
  await page.locator('main h1', { hasText: 'My work' }).waitFor();
  await page.locator('#only-mine').waitFor();
  // 李明轩 owns none of the open items: his own list says so, the whole team's has them all
  expect(await page.locator('#no-work').count() === 1, 'his own list is not empty');
  const empty = await page.locator('#no-work').innerText();
  const agreed = /^None of the open work plan items is yours; (1 on your deals is owned by someone else: untick “Only mine” to see it\.|([2-9]|\d{2,}) on your deals are owned by others: untick “Only mine” to see them\.)$/;
  expect(agreed.test(empty), `his empty list says ${empty}`);
  await page.uncheck('#only-mine');
  await page.locator('#work tr.work-item').first().waitFor();
  const items = await api(`{ workPlanItems(filter: {statuses: [OPEN]}) { nodes { id title dueDate target { name } opportunity { name } } } }`);
  const rows = await page.$$eval('#work tr.work-item', (trs) => trs.map((tr) => ({ id: tr.dataset.id, due: tr.querySelector('.due').textContent.slice(0, 10), with: tr.querySelector('.with').textContent, deal: tr.querySelector('a').textContent })));
  const wanted = items.workPlanItems.nodes.map((n) => ({ id: n.id, due: n.dueDate, with: n.target?.name ?? '–', deal: n.opportunity.name }));
  expect(rows.length >= 3 && JSON.stringify(rows) === JSON.stringify(wanted), `rows ${JSON.stringify(rows)}, the API's ${JSON.stringify(wanted)}`);
  expect(rows.every((r, i) => i === 0 || rows[i - 1].due <= r.due), `not soonest first: ${rows.map((r) => r.due)}`);
  await shot('10-my-work');
  const first = page.locator('#work tr.work-item').first();
  const play = (await api(`query($id: ID!) { node(id: $id) { ... on WorkPlanItem { activityType } } }`, { id: rows[0].id })).node.activityType;
  await first.locator('button.record').click();
  const form = page.locator('.record-form');
  // the kind of contact starts as the item's play; how it went is the recorder's to say
  const kind = await form.locator('[data-field="input.type"]').inputValue();
  expect(play !== null && kind === play, `the form starts at ${kind}, the item's play is ${play}`);
  expect(await form.locator('[data-field="input.outcome"]').inputValue() === '', 'how it went is preset');
  await form.locator('textarea').fill('Report handed over; sign-off promised for Friday');
  // who took part: the step's owner ticked, 李明轩 typing it in offered unticked; he was there too
  const ours = form.locator('fieldset.ours');
  await ours.locator('input:not(:checked)').waitFor();
  const offered = (await ours.locator('label').allInnerTexts()).map((x) => x.trim());
  expect(offered.length === 2 && offered[1] === '李明轩' && (await ours.locator('input:checked').count()) === 1, `who of ours offers ${offered}`);
  await ours.locator('input:not(:checked)').check();
  await page.click('.record-form button[type=submit]');
  const missing = form.locator('.field-error[data-for="input.outcome"]'); // said at the field, in the page's language
  await missing.waitFor();
  expect((await missing.innerText()) === 'Choose how it went.', `the field says ${await missing.innerText()}`);
  expect((await form.locator('textarea').inputValue()).startsWith('Report handed over'), 'what was typed is lost');
  expect(await page.locator(`#work tr.work-item[data-id="${rows[0].id}"]`).count() === 1, 'recorded without an outcome');
  await form.locator('[data-field="input.outcome"]').selectOption('POSITIVE');
  await form.locator('[data-field="input.priceReaction"]').selectOption('NEUTRAL');
  await page.click('.record-form button[type=submit]');
  await page.locator('#notice .banner.ok').waitFor();
  expect(await page.locator(`#work tr.work-item[data-id="${rows[0].id}"]`).count() === 0, 'the recorded item is still listed as open');
  const done = await api(`query($id: ID!) { node(id: $id) { ... on WorkPlanItem { status owner { name } resultActivity { summary type outcome solutionReaction priceReaction doneBy { name } } } } }`, { id: rows[0].id });
  const result = done.node.resultActivity;
  expect(done.node.status === 'DONE' && result?.summary.startsWith('Report handed over') && result.type === play
    && result.outcome === 'POSITIVE' && result.priceReaction === 'NEUTRAL' && result.solutionReaction === null, `stored ${JSON.stringify(done.node)}`);
  const by = result.doneBy.map((m) => m.name).sort();
  expect(JSON.stringify(by) === JSON.stringify([done.node.owner.name, '李明轩'].sort()) && offered[0] === done.node.owner.name, `done by ${by}`);
  await openDeal(); // where the next check starts
});

await check('an activity logged on the map counts for who of ours made it, the account manager ticked; a planned one asks no outcome', async () => {
  await page.click(`.person-item[data-id="${PRESIDENT}"]`);
  const mine = (await api('{ me { teamMember { id name } } }')).me.teamMember;
  await page.locator(`#activity-form fieldset.ours input[value="${mine.id}"]:checked`).waitFor();
  await page.locator('#activity-form').scrollIntoViewIfNeeded();
  await shot('02b-activity-who-of-ours');
  const logged = async (summary, when) => {
    await page.fill('#activity-form [data-field="input.summary"]', summary);
    if (when) await page.fill('#activity-form [data-field="input.occurredAt"]', when);
    else await page.selectOption('#activity-form [data-field="input.outcome"]', 'NEUTRAL');
    const since = Date.now();
    await page.click('#activity-form button[type=submit]');
    await page.waitForFunction((t) => Number(document.body.dataset.mapReady ?? 0) >= t, since);
    const found = await api(`query($p: ID!) { activities(filter: {personId: $p}, first: 50) { nodes { summary outcome doneBy { id } } } }`, { p: PRESIDENT });
    return found.activities.nodes.find((a) => a.summary === summary);
  };
  await page.selectOption('#activity-form [data-field="input.priceReaction"]', 'NEGATIVE');
  const met = await logged('Coffee with the president');
  expect(met?.doneBy.some((m) => m.id === mine.id), `stored ${JSON.stringify(met)}`);
  const reaction = await api(`query($p: ID!) { activities(filter: {personId: $p}, first: 50) { nodes { summary solutionReaction priceReaction } } }`, { p: PRESIDENT });
  const coffee = reaction.activities.nodes.find((a) => a.summary === 'Coffee with the president');
  expect(coffee.priceReaction === 'NEGATIVE' && coffee.solutionReaction === null, `how he took it: ${JSON.stringify(coffee)}`);
  await page.click(`.person-item[data-id="${PRESIDENT}"]`);
  const ahead = new Date(Date.now() + 3 * 86400000 - new Date().getTimezoneOffset() * 60000).toISOString().slice(0, 16);
  const planned = await logged('Site visit with the president', ahead);
  expect(planned?.outcome === null && planned.doneBy.some((m) => m.id === mine.id), `stored ${JSON.stringify(planned)}`);
  await openDeal(); // where the next check starts
});

await check('an activity without a date is refused at its field, in words', async () => {
  await page.click(`.person-item[data-id="${PRESIDENT}"]`);
  await page.locator('#activity-form').waitFor();
  await page.fill('#activity-form [data-field="input.occurredAt"]', '');
  await page.evaluate(() => document.querySelector('#activity-form').requestSubmit());
  const error = page.locator('#activity-form .field-error[data-for="input.occurredAt"]');
  await error.waitFor();
  const text = await error.innerText();
  expect(text === 'Give the date and time of the activity.', `error reads ${text}`);
  await shot('03-activity-no-date');
});

await check('a contact with nobody of ours, or planned decades ahead, is refused at its field, in words', async () => {
  await page.click(`.person-item[data-id="${PRESIDENT}"]`);
  await page.locator('#activity-form').waitFor();
  const form = page.locator('#activity-form');
  await form.locator('[data-field="input.summary"]').fill('Planned dinner');
  await page.waitForFunction(() => document.querySelector('#activity-form fieldset.ours input:checked')); // the signed-in person, ticked
  for (const box of await form.locator('fieldset.ours input:checked').all()) await box.uncheck();
  await form.locator('button[type=submit]').click();
  const nobody = form.locator('.field-error[data-for="input.memberIds"]');
  await nobody.waitFor();
  expect((await nobody.innerText()).includes('Tick who of ours took part'), `the form says ${await nobody.innerText()}`);
  await form.locator('fieldset.ours input').first().check();
  await form.locator('[data-field="input.occurredAt"]').fill('2062-12-03T10:00');
  await form.locator('button[type=submit]').click();
  const far = form.locator('.field-error[data-for="input.occurredAt"]');
  await far.waitFor();
  expect(/at most a year ahead \(by \d{4}-\d{2}-\d{2}\): is the year right\?/.test(await far.innerText()), `the form says ${await far.innerText()}`);
  await shot('03b-activity-years-ahead');
  await openDeal(); // where the next check starts
});

await check('a what-if survives a language switch with its result', async () => {
  await page.click(`.person-item[data-id="${PRESIDENT}"]`);
  await page.selectOption('#wi-attitude', 'CHAMPION');
  await page.click('#wi-add-attitude');
  await page.locator('#wi-likelihood').waitFor();
  const typed = 'Typed before the switch';
  await page.fill('#activity-form [data-field="input.summary"]', typed);
  await page.selectOption('#activity-form [data-field="input.type"]', 'CALL');
  const since = Date.now();
  await page.selectOption('#language', 'zh-CN');
  await page.waitForFunction((t) => Number(document.body.dataset.mapReady ?? 0) >= t, since);
  await page.waitForFunction((text) => document.querySelector('#activity-form [data-field="input.summary"]')?.value === text, typed, { timeout: 5000 });
  expect(await page.locator('#activity-form [data-field="input.type"]').inputValue() === 'CALL', 'the kind of contact picked is lost');
  const line = page.locator('#wi-likelihood');
  await line.waitFor();
  expect((await line.innerText()).includes('赢单概率'), `what-if after the switch: ${await line.innerText()}`);
  expect(/个百分点/.test(await line.innerText()), 'the change has no unit');
  await shot('04-what-if-zh');
  await page.click('#wi-clear');
  await page.fill('#activity-form [data-field="input.summary"]', '');
  const back = Date.now();
  await page.selectOption('#language', 'en');
  // drawn again in English before the next check clicks: a click on the page being replaced
  // would open a card the new page draws closed
  await page.waitForFunction((t) => Number(document.body.dataset.mapReady ?? 0) >= t, back);
  await page.waitForFunction(() => document.documentElement.lang === 'en');
});

await check('a language switch keeps the deal details card open and what was typed in it', async () => {
  await page.locator('#deal-details summary').click();
  await page.locator('#deal-form').waitFor();
  const typed = 'Written before the switch';
  await page.fill('#deal-form [data-field="input.description"]', typed);
  const since = Date.now();
  await page.selectOption('#language', 'zh-CN');
  await page.waitForFunction((t) => Number(document.body.dataset.mapReady ?? 0) >= t, since);
  await page.waitForFunction((text) => document.querySelector('#deal-form [data-field="input.description"]')?.value === text, typed, { timeout: 5000 });
  expect(await page.locator('#deal-details').evaluate((d) => d.open), 'the card closed');
  expect((await page.locator('#deal-details summary').innerText()) !== 'Deal details', 'the card did not change language');
  await page.locator('#deal-details summary').click(); // closed, unsaved: nothing written
  await page.selectOption('#language', 'en');
  await page.waitForFunction(() => document.documentElement.lang === 'en');
});

await check('a viewer reads the deal without edit controls, and is told why', async () => {
  await signInAs('viewer');
  // the pipeline offers him no new deal, and no stray word stands where the offer would be
  await page.locator('table.pipeline, #no-deals').first().waitFor();
  const head = await page.locator('main').innerText();
  expect(!/\bundefined\b|\bnull\b/.test(head) && await page.locator('#new-deal').count() === 0, `the viewer's pipeline reads ${head.slice(0, 200)}`);
  await openDeal();
  await page.locator('#read-only').waitFor();
  for (const selector of ['#draw-influence', '#suggestions .accept', '#add-person']) {
    expect(await page.locator(selector).count() === 0, `a viewer is offered ${selector}`);
  }
  await page.click(`.person-item[data-id="${PRESIDENT}"]`);
  await page.locator('#person-title').waitFor();
  for (const selector of ['#role-form', '#manager-form', '#influence-form', '#activity-form', '#details-form']) {
    expect(await page.locator(selector).count() === 0, `a viewer is offered ${selector}`);
  }
  await page.selectOption('#wi-attitude', 'CHAMPION');
  await page.click('#wi-add-attitude');
  await page.locator('#wi-likelihood').waitFor();
  expect(await page.locator('#wi-save').count() === 0, 'a viewer is offered to save a what-if');
  await processReady();
  expect(await page.locator('#process form').count() === 0, 'a viewer is offered a process action');
  expect(await page.evaluate(() => window.dealgraphMap.autoungrabify()), 'a viewer can drag people');
  await settle(page);
  const named = await page.evaluate((id) => {
    const cy = window.dealgraphMap;
    return cy.nodes('.person.in-focus').map((n) => [n.data('label').split('\n')[0], cy.renderer().eleTextBiggerThanMin(n)])
      .concat([[cy.getElementById(id).data('label').split('\n')[0], cy.getElementById(id).hasClass('in-focus')]]);
  }, PRESIDENT);
  const unnamed = named.filter(([, drawn]) => !drawn).map(([name]) => name);
  expect(unnamed.length === 0, `the map in focus leaves out the names of ${unnamed.join(', ')}`);
  await shot('05-viewer', true);
});

await check('a link to no opportunity says so and leads back', async () => {
  await page.goto(`${BASE_URL}/app/opportunities/xyz`);
  await page.locator('#not-found').waitFor();
  expect(await page.locator('.loading').count() === 0, '"Loading…" is left on the page');
  expect(await page.locator('main a[href="/app"]').count() > 0, 'no way back to the pipeline');
  await shot('06-bad-link');
});

await check('a login linked to no team member is told why it sees no deal', async () => {
  await signInAs('solo');
  await page.locator('#no-deals').waitFor();
  const text = await page.locator('#no-deals').innerText();
  expect(text.includes('not linked to one of our team members'), `the pipeline says ${text}`);
  await shot('07-unlinked');
});

await check('a revoked session says so on the sign-in form', async () => {
  await signInAs('li.am');
  // the token is swapped once the signed-in page asks nothing more: a request of it still
  // under way would be refused with it and clear it before the deal's page opened
  await page.waitForLoadState('networkidle');
  await page.evaluate(() => sessionStorage.setItem('dealgraph.token', 'dg_revoked'));
  await page.goto(`${BASE_URL}/app/opportunities/${encodeURIComponent(DEMO_ID)}`);
  // the form may be drawn while the page's first requests are still being refused: wait until
  // it says why (it never does if the message is lost); a fresh page beside a Neo4j starting up
  // has once taken longer than the default 30 s to hear its first refusal
  const shown = page.locator('#sign-in .field-error:not([hidden])');
  await shown.waitFor({ timeout: 90_000 });
  const alert = await shown.innerText();
  expect(alert.includes('session has ended'), `sign-in says ${alert}`);
  await shot('08-session-ended');
});

const REVIEW_PLAY = 'delivery_quote_review';
const DEAL_STATE = `query($id: ID!) { node(id: $id) { ... on Opportunity { version quoteAmount currency quoteStatus quoteSubmittedAt stage deliveryReviewed
  analysis { redFlags { code } } suggestedWorkPlan(limit: 20) { actionKey } workPlan { id action status result } } } }`;
/** The deal page's Process card, filled in after the page was drawn. */
async function processReady() {
  await page.waitForFunction(() => Number(document.getElementById('process')?.dataset.ready ?? 0) > 0);
}
const reviewRow = () => page.locator('#work tr.work-item', { hasText: 'Delivery manager reviews the quote' });

await check('the review step is the delivery manager\'s: anyone else is told who records it', async () => {
  await signInAs('li.am');
  await openDeal();
  const since = Date.now();
  await page.locator(`#suggestions .suggestion[data-action="${REVIEW_PLAY}"] .accept`).click();
  await page.waitForFunction((t) => Number(document.body.dataset.mapReady ?? 0) >= t, since);
  await processReady();
  await page.click('#submit-quote button[type=submit]');
  const why = page.locator('#submit-quote .refusal');
  await why.waitFor();
  const said = await why.innerText();
  expect(said.includes('The quote cannot be submitted yet') && said.includes('delivery manager must review'), `the refusal reads ${said}`);
  await page.click('#nav-work');
  await page.locator('#only-mine').waitFor();
  await page.uncheck('#only-mine');
  await reviewRow().locator('button.record').click();
  const who = page.locator('.record-row .who-reviews');
  await who.waitFor();
  const text = await who.innerText();
  expect(text.includes('邓志刚') && text.includes('Delivery manager'), `the account manager reads ${text}`);
  expect(await page.locator('.review-form, .record-form').count() === 0, 'the account manager is offered a form');
});

await check('in Chinese, the review form from My work is headed with a full-width colon', async () => {
  await signInAs('deng.dm');
  await page.evaluate(() => localStorage.setItem('dealgraph.lang', 'zh-CN'));
  await page.goto(`${BASE_URL}/app`);
  await page.locator('#sign-out').waitFor();
  await page.click('#nav-work');
  // the quote nobody has reviewed waits for him, whoever owns the work plan's step
  const waits = page.locator(`#waiting-approvals li.waiting-review[data-id="${DEMO_ID}"]`);
  await waits.waitFor();
  const said = await waits.innerText();
  expect(said.includes('报价的交付评审') && said.includes('您评审之前不能提交给客户') && said.includes('42,800,000'), `My work says ${said}`);
  await shot('10b-my-work-review-waiting-zh');
  const item = (await api(DEAL_STATE, { id: DEMO_ID })).node.workPlan.find((w) => w.action === REVIEW_PLAY && w.status === 'OPEN');
  await page.locator(`#work tr.work-item[data-id="${item.id}"] button.record`).click();
  const heading = await page.locator('.record-row .review-form h3').innerText();
  expect(heading.startsWith('记录结果：') && !heading.includes(': '), `the heading reads ${heading}`);
});

await check('the quote changes while the delivery manager types the review on My work: the form says so, shows the current quote and keeps what was typed', async () => {
  for (const [lang, width, said] of [['en', 1280, 'was changed by someone else meanwhile'], ['zh-CN', 390, '已被他人修改']]) {
    await signInAs('deng.dm');
    await page.setViewportSize({ width, height: 844 });
    await page.evaluate((l) => localStorage.setItem('dealgraph.lang', l), lang);
    await page.goto(`${BASE_URL}/app`);
    await page.locator('table.pipeline tr.deal').first().waitFor(); // the pipeline has loaded: no request is under way
    await page.click('#nav-work');
    await page.locator('#only-mine').waitFor();
    const step = (await api(DEAL_STATE, { id: DEMO_ID })).node.workPlan.find((w) => w.action === REVIEW_PLAY && w.status === 'OPEN');
    await page.locator(`#work tr.work-item[data-id="${step.id}"] button.record`).click();
    const form = page.locator('.record-row .review-form');
    await form.locator('[data-field="input.feasible"]').selectOption('true');
    await form.locator('[data-field="input.workloadPersonDays"]').fill('380');
    await form.locator('[data-field="input.comment"]').fill('Phase one only');
    const before = (await api(DEAL_STATE, { id: DEMO_ID })).node;
    await updateDealAs('li.am', { quoteAmount: before.quoteAmount + 70000000 }); // the account manager reworks the quote
    await form.locator('button[type=submit]').click();
    const changed = form.locator('.deal-changed');
    await changed.waitFor({ timeout: 5000 });
    const text = await changed.innerText();
    expect(text.includes(said) && text.includes('43,500,000') && !/CONFLICT|version/i.test(text), `the form says ${text}`);
    expect((await form.locator('.current-quote').innerText()).includes('43,500,000'), `the form shows ${await form.locator('.current-quote').innerText()}`);
    const kept = await Promise.all(['feasible', 'workloadPersonDays', 'reviewedQuoteAmount', 'comment'].map((f) => form.locator(`[data-field="input.${f}"]`).inputValue()));
    expect(JSON.stringify(kept) === JSON.stringify(['true', '380', '43500000', 'Phase one only']), `the form holds ${kept}`);
    expect(!(await form.locator('.quote-differs').isVisible()), 'the current quote is said to differ from itself');
    expect((await api(DEAL_STATE, { id: DEMO_ID })).node.deliveryReviewed === false, 'the stale review was stored');
    await changed.scrollIntoViewIfNeeded();
    await shot(`11b-review-deal-changed-${lang}-${width}`);
    await updateDealAs('li.am', { quoteAmount: before.quoteAmount });
  }
  await page.setViewportSize({ width: 1280, height: 800 });
});

await check('the delivery manager records the review from My work: the step, the flag and the suggestion are gone', async () => {
  await signInAs('deng.dm');
  await page.click('#nav-work');
  await reviewRow().locator('button.record').click();
  const form = page.locator('.record-row .review-form');
  await form.waitFor();
  const before = (await api(DEAL_STATE, { id: DEMO_ID })).node;
  const item = before.workPlan.find((w) => w.action === REVIEW_PLAY && w.status === 'OPEN');
  expect(item, 'no open review step on the deal');
  expect(before.analysis.redFlags.some((f) => f.code === 'DELIVERY_NOT_INVOLVED_BEFORE_QUOTE'), 'the flag is not raised before');
  const amount = await form.locator('[data-field="input.reviewedQuoteAmount"]').inputValue();
  expect(Number(amount) * 100 === before.quoteAmount, `the quote reviewed starts at ${amount}, the deal's is ${before.quoteAmount}`);
  const current = await form.locator('.current-quote').innerText();
  expect(current.includes('42,800,000'), `the current quote reads ${current}`);
  // another amount than the quote: warned before saving that the review will not cover it
  const differs = form.locator('.quote-differs');
  expect(!(await differs.isVisible()), 'warned while the amount is the quote');
  await form.locator('[data-field="input.reviewedQuoteAmount"]').fill('40000000');
  const warned = await differs.innerText();
  expect(await differs.isVisible() && warned.includes('42,800,000') && warned.includes('40,000,000') && warned.includes('will not cover'), `the warning reads ${warned}`);
  await form.locator('[data-field="input.reviewedQuoteAmount"]').fill(amount);
  expect(!(await differs.isVisible()), 'still warned once the amount is the quote again');
  await form.locator('[data-field="input.feasible"]').selectOption('true');
  await page.click('.review-form button[type=submit]');
  expect(await form.locator('[data-field="input.workloadPersonDays"]').evaluate((e) => e.validity.valueMissing), 'a feasible verdict saved without its workload');
  await form.locator('[data-field="input.workloadPersonDays"]').fill('420');
  await form.locator('[data-field="input.comment"]').fill('Two phases; East Campus first');
  await shot('11-review-form');
  await page.click('.review-form button[type=submit]');
  const banner = page.locator('#notice .banner.ok');
  await banner.waitFor();
  expect((await banner.innerText()).includes('Delivery review recorded'), `notice: ${await banner.innerText()}`);
  expect(await page.locator(`#work tr.work-item[data-id="${item.id}"]`).count() === 0, 'the review step is still listed as open');
  expect(await page.locator('#waiting-approvals li.waiting-review').count() === 0, 'the reviewed quote still waits for him');
  const after = (await api(DEAL_STATE, { id: DEMO_ID })).node;
  const step = after.workPlan.find((w) => w.id === item.id);
  expect(step.status === 'DONE' && step.result.includes('420'), `the step is ${JSON.stringify(step)}`);
  expect(after.deliveryReviewed === true, 'the deal is not reviewed');
  expect(!after.analysis.redFlags.some((f) => f.code === 'DELIVERY_NOT_INVOLVED_BEFORE_QUOTE'), 'the flag stays');
  expect(!after.suggestedWorkPlan.some((s) => s.actionKey === REVIEW_PLAY), 'the review is suggested again');
  await openDeal();
  expect(await page.locator(`#suggestions .suggestion[data-action="${REVIEW_PLAY}"]`).count() === 0, 'the deal page still suggests the review');
  // the delivery manager may move the deal back, not close it: that is the account manager's call
  await processReady();
  await page.click('#move-deal-card summary');
  const targets = await page.locator('#move-deal [data-field="input.toStage"] option').evaluateAll((os) => os.map((o) => o.value));
  expect((await page.locator('#move-deal-card summary').innerText()) === 'Back a stage…', 'the delivery manager is offered to close the deal');
  expect(targets.length > 0 && !targets.some((s) => ['WON', 'LOST', 'ABANDONED'].includes(s)), `the delivery manager may move the deal to ${targets}`);
});

await check('the delivery manager judges the quote not deliverable: the rework waits for the account manager, not the review for him', async () => {
  await signInAs('deng.dm');
  // whose work the page shows, on a screen a team shares
  const who = page.locator('#signed-in-as');
  expect(await who.innerText() === '邓志刚' && (await who.getAttribute('title')) === 'Signed in as 邓志刚', `the header names ${await who.innerText()}`);
  await openDeal();
  await processReady();
  const card = page.locator('#process');
  await card.locator('details', { hasText: 'Review again' }).locator('summary').click();
  const form = card.locator('.review-form');
  await form.locator('[data-field="input.feasible"]').selectOption('false');
  await form.locator('[data-field="input.workloadPersonDays"]').fill('5400');
  await form.locator('[data-field="input.comment"]').fill('Twice our capacity: phase it');
  const since = Date.now();
  await form.locator('button[type=submit]').click();
  await page.waitForFunction((t) => Number(document.getElementById('process')?.dataset.ready ?? 0) >= t, since);
  const refused = page.locator('#process #review-refused');
  await refused.waitFor();
  const said = await refused.innerText();
  expect(said.includes('Not deliverable as quoted') && said.includes('李明轩'), `the card reads ${said}`);
  const state = (await api(DEAL_STATE, { id: DEMO_ID })).node;
  expect(state.deliveryReviewed === false, 'the refused quote reads as reviewed');
  const flags = state.analysis.redFlags.map((f) => f.code);
  expect(flags.includes('DELIVERY_NOT_FEASIBLE') && !flags.includes('DELIVERY_NOT_INVOLVED_BEFORE_QUOTE'), `the flags are ${flags}`);
  const keys = state.suggestedWorkPlan.map((s) => s.actionKey);
  expect(keys.includes('quote_rework') && !keys.includes(REVIEW_PLAY), `the plan suggests ${keys}`);
  await refused.scrollIntoViewIfNeeded();
  await shot('11c-review-not-deliverable');
  await page.click('#nav-work');
  await page.locator('#only-mine').waitFor();
  expect(await page.locator('#waiting-approvals li.waiting-review').count() === 0, 'the quote he refused waits for his review again');

  await signInAs('li.am');
  await page.evaluate(() => localStorage.setItem('dealgraph.lang', 'zh-CN'));
  await page.goto(`${BASE_URL}/app`);
  await page.locator('#sign-out').waitFor();
  await page.click('#nav-work');
  const rework = page.locator(`#waiting-approvals li.waiting-rework[data-id="${DEMO_ID}"]`);
  await rework.waitFor();
  const text = await rework.innerText();
  expect(text.includes('调整报价') && text.includes('邓志刚') && text.includes('不可落地') && text.includes('42,800,000') && !text.includes('[object'), `My work says ${text}`);
  await shot('11d-my-work-rework-zh');
  await page.evaluate(() => localStorage.setItem('dealgraph.lang', 'en'));
  // reworked and reviewed again (phase one): the quote is deliverable as it stands
  const again = await apiAs('deng.dm', `mutation($id: ID!, $i: DeliveryReviewInput!) { opportunityDeliveryReviewRecord(id: $id, input: $i) {
    opportunity { deliveryReviewed } userErrors { message } } }`, { id: DEMO_ID, i: { feasible: true, workloadPersonDays: 420 } });
  expect(again.opportunityDeliveryReviewRecord.opportunity?.deliveryReviewed === true, JSON.stringify(again));
});

await check('the account manager marks the quote submitted and advances the deal, or is told every reason why not', async () => {
  await signInAs('li.am');
  await openDeal();
  await processReady();
  const card = page.locator('#process');
  expect((await card.locator('#review-state').innerText()).includes('by 邓志刚'), 'the review is not shown with its reviewer');
  const triangle = await card.locator('#triangle').innerText();
  expect(triangle.includes('Account manager: 李明轩') && triangle.includes('Delivery manager: 邓志刚'), `the triangle reads ${triangle}`);
  expect(await card.locator('.review-form').count() === 0, 'the account manager is offered the review form');
  let since = Date.now();
  await card.locator('#submit-quote button[type=submit]').click();
  await page.waitForFunction((t) => Number(document.getElementById('process')?.dataset.ready ?? 0) >= t, since);
  const banner = page.locator('#notice .banner.ok');
  expect((await banner.innerText()).includes('The quote is marked submitted.'), `notice: ${await banner.innerText()}`);
  const submitted = (await api(DEAL_STATE, { id: DEMO_ID })).node;
  expect(submitted.quoteStatus === 'SUBMITTED', `the quote is ${submitted.quoteStatus}`);
  // the day it went in, as the API recorded it (the budget holders' silence counts from it)
  const went = submitted.quoteSubmittedAt?.slice(0, 10);
  expect(Boolean(went) && Math.abs(Date.parse(went) - Date.now()) < 2 * 86400000, `submitted at ${submitted.quoteSubmittedAt}`);
  const quoteState = await card.locator('#quote-state').innerText();
  expect(quoteState.includes('Submitted on '), `the card reads ${quoteState}`);
  const button = card.locator('#advance button.advance-open');
  const next = (await api('{ label(enum: "Stage", value: "PROPOSAL", locale: "en") }')).label;
  const now = (await api('{ label(enum: "Stage", value: "VALUE_PRESENTATION", locale: "en") }')).label;
  expect(await button.innerText() === `Advance to ${next}`, `the button reads ${await button.innerText()}`);
  // what the gate still lacks is on the card before anyone tries the move, in the API's words
  const gate = await card.locator('#next-gate').innerText();
  const lacking = (await api(`query($id: ID!) { node(id: $id) { ... on Opportunity { nextStageProblems { code message } } } }`, { id: DEMO_ID })).node.nextStageProblems;
  const todo = lacking.filter((p) => p.code !== 'MISSING_APPROVAL').map((p) => p.message);
  const approvals = lacking.length - todo.length;
  const counted = approvals === 0 || gate.endsWith(approvals === 1 ? 'and 1 approval, below' : `and ${approvals} approvals, below`);
  const told = todo.length ? gate.startsWith(`Still to do before ${next}:`) && todo.every((m) => gate.includes(m)) && counted
    : gate === `The fields and actions ${next} needs are done; the approvals below remain.`;
  expect(lacking.length > 0 && told, `the card's gate reads ${gate}; the API lacks ${JSON.stringify(lacking)}`);
  await card.locator('#next-gate').scrollIntoViewIfNeeded();
  await shot('12b-next-gate');
  // two quick clicks ask once and move nothing: the move waits for its confirmation
  await button.click({ clickCount: 2 });
  const ask = card.locator('#advance .confirm-advance');
  // the gate lacks something: the question says the move will be refused, before it is tried
  const question = `Not everything ${next} needs is in place yet (above): the move will be refused until it is. Try moving the deal from ${now} to ${next} anyway?`;
  expect(await ask.isVisible() && (await ask.innerText()) === question, `the question reads ${await ask.innerText()}`);
  expect((await api(DEAL_STATE, { id: DEMO_ID })).node.stage === 'VALUE_PRESENTATION', 'the deal moved without a confirmation');
  await shot('12a-advance-confirm');
  since = Date.now();
  // the answer to "Try … anyway?" says it tries, not that it advances
  await card.locator('#advance button[type=submit]', { hasText: `Yes, try moving to ${next}` }).click();
  const refusal = card.locator('#advance .refusal');
  await Promise.race([refusal.waitFor(), page.waitForFunction((t) => Number(document.getElementById('process')?.dataset.ready ?? 0) >= t, since)]);
  const after = (await api(DEAL_STATE, { id: DEMO_ID })).node;
  if (await refusal.count()) {
    const shown = await refusal.locator('li').allInnerTexts();
    const asked = (await api(`mutation($id: ID!) { opportunityAdvance(id: $id, input: { toStage: PROPOSAL }) { problems { message } } }`, { id: DEMO_ID })).opportunityAdvance.problems.map((p) => p.message);
    expect(shown.length > 0 && JSON.stringify(shown) === JSON.stringify(asked), `the card lists ${JSON.stringify(shown)}, the API ${JSON.stringify(asked)}`);
    expect(after.stage === 'VALUE_PRESENTATION', `refused, yet the deal is in ${after.stage}`);
    const yes = card.locator('#advance button[type=submit]');
    expect(!(await yes.isVisible()) && !(await ask.isVisible()) && await button.isVisible(), 'after the refusal the card still asks "Yes, try moving"');
  } else {
    expect(after.stage === 'PROPOSAL', `the deal is in ${after.stage}`);
    expect((await card.locator('#process-stage').innerText()).startsWith(`Stage: ${next}`), 'the card does not show the new stage');
  }
  await card.scrollIntoViewIfNeeded();
  await shot('12-process-card');
});

await check('a request with fields is typed in the browser, a bad value is refused at its field, and the approver reads them by their labels', async () => {
  await signInAs('li.am');
  await openDeal();
  await processReady();
  const needed = page.locator('#needed-approvals li.needed[data-process="4-1"]');
  // the deal's own stage's gate: not one it passed without
  expect((await needed.locator('.state').innerText()) === ' (not requested)', `4-1 reads ${await needed.innerText()}`);
  await needed.locator('summary').click();
  const form = needed.locator('.request-form');
  const input = (name) => form.locator(`[data-field="input.fields.${name}"]`);
  const types = await Promise.all(['test_scope', 'hours', 'start_date', 'end_date'].map((f) => input(f).getAttribute('type')));
  expect(JSON.stringify(types) === JSON.stringify(['text', 'number', 'date', 'date']), `the fields are typed ${types}`);
  const labels = await form.locator('.field label').allInnerTexts();
  expect(['Test scope', 'Hours', 'Start date', 'End date'].every((l) => labels.includes(l)), `the fields are labelled ${labels}`);
  await input('test_scope').fill('EMR and nursing wards');
  await input('hours').fill('0');
  await input('start_date').fill('2026-03-02');
  // the end cannot be picked before the start (the field's not_before)
  await input('end_date').fill('2026-02-20');
  expect(await input('end_date').evaluate((e) => e.min === '2026-03-02' && e.validity.rangeUnderflow), 'an end before the start is taken');
  await input('end_date').fill('2026-03-20');
  await form.locator('[data-field="input.comment"]').fill('Two wards, three weeks');
  await form.locator('button[type=submit]').click();
  const error = form.locator('.field-error[data-for="input.fields.hours"]');
  await error.waitFor({ timeout: 5000 });
  const said = await error.innerText();
  expect(said === 'Hours must be a number greater than 0', `the hours are refused with ${said}`);
  expect(await input('hours').getAttribute('aria-invalid') === 'true', 'the hours field is not marked');
  const requested = async () => (await api(`query($id: ID!) { node(id: $id) { ... on Opportunity { approvals { id process state request } } } }`, { id: DEMO_ID })).node.approvals.filter((a) => a.process === '4-1');
  expect((await requested()).length === 0, 'a refused request was stored');
  await error.scrollIntoViewIfNeeded();
  await shot('17a-request-fields-refused');
  await input('hours').fill('120');
  const since = Date.now();
  await form.locator('button[type=submit]').click();
  await page.waitForFunction((t) => Number(document.getElementById('process')?.dataset.ready ?? 0) >= t, since);
  const [stored] = await requested();
  const values = JSON.parse(stored?.request ?? '{}');
  expect(stored?.state === 'PENDING' && JSON.stringify(values) === JSON.stringify({ end_date: '2026-03-20', hours: 120, start_date: '2026-03-02', test_scope: 'EMR and nursing wards' }),
    `stored ${JSON.stringify(stored)}`);
  await signInAs('deng.dm');
  await openDeal();
  await processReady();
  const item = page.locator(`#approvals li.approval[data-id="${stored.id}"]`);
  const asked = await item.locator('div.asked').evaluate((div) => [...div.querySelectorAll('dt')].map((dt) => `${dt.textContent}=${dt.nextElementSibling.textContent}`)
    .concat([...div.querySelectorAll('p.asked-comment')].map((p) => p.textContent)));
  expect(JSON.stringify(asked) === JSON.stringify(['Test scope=EMR and nursing wards', 'Hours=120', 'Start date=2026-03-02', 'End date=2026-03-20', 'Comment for the approver: Two wards, three weeks']),
    `the delivery manager reads ${asked}`);
  await item.scrollIntoViewIfNeeded();
  await shot('17b-request-fields-asked');
  // rejected, so that it can be asked again; but not without saying why
  await item.locator('button.reject').click();
  const why = item.locator('.field-error', { hasText: 'Say why it is rejected' });
  await why.waitFor();
  expect((await requested())[0].state === 'PENDING', 'rejected without a reason');
  await item.locator('textarea').fill('After the ward move');
  const at = Date.now();
  await item.locator('button.reject').click();
  await page.waitForFunction((t) => Number(document.getElementById('process')?.dataset.ready ?? 0) >= t, at);
  expect((await requested())[0].state === 'REJECTED', 'the request is not rejected');
  await signInAs('li.am'); // where the next check starts: the account manager asks
});

await check('a pending approval is decided on the card by whoever may decide it, and by nobody else', async () => {
  const fields = { test_scope: 'EMR and nursing', start_date: '2026-01-05', end_date: '2026-01-30' };
  const asked = await api(`mutation($i: ApprovalRequestInput!) { approvalRequest(input: $i) { approval { id processName } userErrors { message } } }`,
    { i: { opportunityId: DEMO_ID, process: '4-1', fields } });
  const { id, processName } = asked.approvalRequest.approval;
  await openDeal();
  await processReady();
  const item = page.locator(`#approvals li.approval[data-id="${id}"]`);
  expect((await item.innerText()).includes(processName) && processName === 'TAS+4-1 Presales test (POC) request', `the approval reads ${await item.innerText()}`);
  expect(await item.locator('form:not(.withdraw)').count() === 0, 'the requester is offered to decide his own request');
  await signInAs('deng.dm');
  // My work lists what waits for him, above his work plan items, linking to the deal
  await page.click('#nav-work');
  const waiting = page.locator(`#waiting-approvals li.waiting-approval[data-id="${id}"]`);
  await waiting.waitFor();
  const line = await waiting.innerText();
  const dealName = (await api(`query($id: ID!) { node(id: $id) { ... on Opportunity { name } } }`, { id: DEMO_ID })).node.name;
  expect(line.includes(processName) && line.includes('李明轩'), `My work lists ${line}`);
  // under the deal's name, said once for everything that waits on it
  const heading = await page.locator(`#waiting-approvals li.waiting-deal[data-id="${DEMO_ID}"] > h3`).innerText();
  expect(heading === dealName && !line.includes(dealName), `the deal is headed ${heading}, the line reads ${line}`);
  expect(await page.evaluate(() => {
    const w = document.getElementById('waiting-approvals');
    const items = document.querySelector('#work, #no-work');
    return Boolean(w && items && (w.compareDocumentPosition(items) & Node.DOCUMENT_POSITION_FOLLOWING));
  }), 'the waiting approvals are not above the work plan items');
  await shot('15-my-work-waiting');
  await waiting.locator('a').click();
  await page.waitForFunction(() => Number(document.getElementById('process')?.dataset.ready ?? 0) > 0);
  // the link opens the deal at this request, marked and in view, its comment box ready
  expect(await item.evaluate((li) => li.classList.contains('target') && li.contains(document.activeElement)), 'the request the link named is not marked and focused');
  expect(await item.isVisible() && await item.evaluate((li) => { const r = li.getBoundingClientRect(); return r.bottom > 0 && r.top < window.innerHeight; }), 'the request is not in view');
  await shot('15b-link-to-request');
  // the approver reads what was asked, by the process's labels
  const askedText = await item.locator('div.asked').innerText();
  expect(askedText.includes('Test scope') && askedText.includes('EMR and nursing') && askedText.includes('2026-01-30'), `the request reads ${askedText}`);
  await item.locator('textarea').fill('POC resources from the Jiangzhou delivery team');
  const since = Date.now();
  await item.locator('button[type=submit]', { hasText: 'Approve' }).click();
  await page.waitForFunction((t) => Number(document.getElementById('process')?.dataset.ready ?? 0) >= t, since);
  const banner = page.locator('#notice .banner.ok');
  expect((await banner.innerText()) === `${processName}: approved.`, `notice: ${await banner.innerText()}`);
  const stored = (await api(`query($id: ID!) { node(id: $id) { ... on Approval { state comment decidedBy { name } } } }`, { id })).node;
  expect(stored.state === 'APPROVED' && stored.decidedBy.name === '邓志刚' && stored.comment.startsWith('POC resources'), `stored ${JSON.stringify(stored)}`);
  // decided, it stays on the card: state, who decided, when and why
  expect(await item.getAttribute('data-state') === 'APPROVED', 'the decided approval is gone or still pending');
  const decision = await item.locator('.decision').innerText();
  expect(decision.startsWith('Approved by 邓志刚') && decision.includes('POC resources from the Jiangzhou delivery team'), `the decision reads ${decision}`);
  expect(await item.locator('form').count() === 0, 'a decided approval offers a decision');
  // a rejection stands out
  await signInAs('li.am');
  const other = await api(`mutation($i: ApprovalRequestInput!) { approvalRequest(input: $i) { approval { id } userErrors { message } } }`,
    { i: { opportunityId: DEMO_ID, process: '4-1', fields: { ...fields, test_scope: 'Whole campus' } } });
  expect(other.approvalRequest.userErrors.length === 0, JSON.stringify(other));
  await signInAs('deng.dm');
  await openDeal();
  await processReady();
  // the initiation is the account manager's to request: the delivery manager is told so, not offered it
  const initiation = page.locator('#needed-approvals li.needed[data-process="2-1"]');
  expect(await initiation.locator('form').count() === 0, 'the delivery manager is offered to request the initiation');
  expect((await initiation.innerText()).includes("requested by the deal's Account manager"), `the initiation reads ${await initiation.innerText()}`);
  const rejected = page.locator(`#approvals li.approval[data-id="${other.approvalRequest.approval.id}"]`);
  await rejected.locator('textarea').fill('One ward first');
  const at = Date.now();
  await rejected.locator('button.reject').click();
  await page.waitForFunction((t) => Number(document.getElementById('process')?.dataset.ready ?? 0) >= t, at);
  expect(await rejected.getAttribute('class') === 'approval rejected', `the rejection is drawn as ${await rejected.getAttribute('class')}`);
  const mark = await rejected.evaluate((e) => getComputedStyle(e).borderLeftColor);
  expect(mark === 'rgb(197, 48, 48)', `a rejection does not stand out: ${mark}`);
  expect((await rejected.locator('.decision').innerText()).startsWith('Rejected by 邓志刚'), 'the rejection does not say who');
  await rejected.scrollIntoViewIfNeeded();
  await shot('16-decided-approvals');
});

await check('the account manager finds his rejected request in My work, with who rejected it and why, and asks again from the card\'s other processes', async () => {
  await signInAs('li.am');
  await page.click('#nav-work');
  const rejected = page.locator('#waiting-approvals li.waiting-rejected');
  await rejected.first().waitFor();
  expect(await rejected.count() === 1, `${await rejected.count()} rejected requests listed`);
  const line = await rejected.innerText();
  expect(line.includes('TAS+4-1 Presales test (POC) request') && line.includes('your request was rejected') && line.includes('by 邓志刚')
    && line.includes('Why: “One ward first”.') && line.includes("request it again on the deal's Process card"), `My work lists ${line}`);
  // the process violations he answers for wait there too, each linking to the deal at it
  const owed = (await api(`{ me { teamMember { id } } violations(filter: { open: true }, first: 100) { nodes { id message responsible { id } } } }`));
  const his = owed.violations.nodes.filter((v) => v.responsible?.id === owed.me.teamMember.id);
  const listed = await page.locator('#waiting-approvals li.waiting-violation').evaluateAll((lis) => lis.map((li) => [li.dataset.id, li.innerText, li.querySelector('a').getAttribute('href')]));
  expect(his.length > 0 && listed.length === his.length && his.every((v) => listed.some(([id, text, href]) => id === v.id && text.includes(v.message) && href.endsWith(`#violation-${v.id}`)))
    && listed.every(([, text]) => /^Out of process: .* · found \d{4}-\d{2}-\d{2}$/.test(text)),
    `his violations ${JSON.stringify(his)}, listed ${JSON.stringify(listed)}`);
  const advice = await page.locator(`#waiting-approvals li.waiting-deal[data-id="${DEMO_ID}"] > p.help`).innerText();
  expect(advice === 'Put it right, or respond with what was done on the deal\'s Process card.', `the deal's block advises ${advice}`);
  await shot('16b-my-work-rejected');
  // reworked and requested again on the deal's Process card, where a POC is no gate's: the
  // processes one may also request are offered there, each with its latest outcome
  await rejected.locator('a').click();
  await processReady();
  const other = page.locator('#other-requests');
  await other.locator('summary').click();
  const offered = await other.locator('#other-process option').allInnerTexts();
  expect(offered.includes('TAS+4-1 Presales test (POC) request (Rejected)'), `the card offers ${JSON.stringify(offered)}`);
  await other.locator('#other-process').selectOption('4-1');
  await other.locator('[data-field="input.fields.test_scope"]').fill('One ward');
  await other.locator('[data-field="input.fields.start_date"]').fill('2026-01-05');
  await other.locator('[data-field="input.fields.end_date"]').fill('2026-01-30');
  await shot('16c-other-request');
  const at = Date.now();
  await other.locator('button[type=submit]').click();
  await page.waitForFunction((t) => Number(document.getElementById('process')?.dataset.ready ?? 0) >= t, at);
  const asked = (await api(`query($id: ID!) { node(id: $id) { ... on Opportunity { approvals { id process state request } } } }`, { id: DEMO_ID }))
    .node.approvals.filter((a) => a.process === '4-1' && a.state === 'PENDING');
  expect(asked.length === 1 && JSON.parse(asked[0].request).test_scope === 'One ward', `pending POC requests: ${JSON.stringify(asked)}`);
  expect(!(await page.locator('#other-process option').allInnerTexts()).some((o) => o.startsWith('TAS+4-1')), 'a pending POC request is offered again');
  // requested again, it waits no longer: the latest word on the process is the new request
  await page.click('#nav-work');
  await page.locator('#work-summary').waitFor();
  expect(await page.locator('#waiting-approvals li.waiting-rejected').count() === 0, 'the rejected request still waits after it was made again');
  const withdrawn = await api(`mutation($id: ID!) { approvalDecide(id: $id, input: { decision: WITHDRAW }) { userErrors { message } } }`, { id: asked[0].id });
  expect(withdrawn.approvalDecide.userErrors.length === 0, JSON.stringify(withdrawn));
});

await check('the account manager requests an approval the next stage lacks on the card, and withdraws it', async () => {
  await signInAs('li.am');
  await openDeal();
  await processReady();
  const missing = (await api(`query($id: ID!) { node(id: $id) { ... on Opportunity { missingApprovals { process processName mayRequest } } } }`, { id: DEMO_ID })).node.missingApprovals;
  const listed = await page.$$eval('#needed-approvals li.needed', (lis) => lis.map((li) => li.dataset.process));
  expect(missing.length > 0 && JSON.stringify(listed) === JSON.stringify(missing.map((m) => m.process)), `the card lists ${listed}, the API ${missing.map((m) => m.process)}`);
  const needed = page.locator('#needed-approvals li.needed[data-process="1-1"]');
  expect((await needed.innerText()).includes('not requested'), `1-1 reads ${await needed.innerText()}`);
  // beside "Is it real?": not validated by a sales director, which lowers no score
  const validation = await page.locator('#validation').innerText();
  expect(validation === 'Not validated as real by a sales director yet (TAS+1-1 Create opportunity not approved); this does not lower the score.', `the deal panel reads ${validation}`);
  await needed.locator('summary').click();
  // the comment is what the director decides on: the form says what to tell him, and a screen reader reads it with the box
  const help = await needed.locator('textarea').evaluate((box) => document.getElementById(box.getAttribute('aria-describedby'))?.textContent);
  expect(help?.startsWith('Why this lead is a real opportunity: the customer\'s need'), `the request's comment is described by ${help}`);
  // sent empty, it is asked about once at the comment: the director would have nothing to judge
  await needed.locator('button[type=submit]').click();
  const empty = needed.locator('.field-error[data-for="input.comment"]');
  await empty.waitFor();
  expect((await empty.innerText()).startsWith('Whoever decides reads only what you write here'), `the form says ${await empty.innerText()}`);
  const none = (await api(`query($id: ID!) { node(id: $id) { ... on Opportunity { approvals { process state } } } }`, { id: DEMO_ID })).node.approvals;
  expect(!none.some((a) => a.process === '1-1' && a.state === 'PENDING'), 'a request was sent empty unasked');
  await needed.locator('textarea').fill('Lead qualified at the CIO meeting');
  await shot('17-request-form');
  let since = Date.now();
  await needed.locator('button[type=submit]').click();
  await page.waitForFunction((t) => Number(document.getElementById('process')?.dataset.ready ?? 0) >= t, since);
  const stored = (await api(`query($id: ID!) { node(id: $id) { ... on Opportunity { approvals { id process state requestedBy { name } history { comment } } } } }`, { id: DEMO_ID })).node.approvals.filter((a) => a.process === '1-1');
  expect(stored.length === 1 && stored[0].state === 'PENDING' && stored[0].requestedBy.name === '李明轩' && stored[0].history[0].comment === 'Lead qualified at the CIO meeting', `stored ${JSON.stringify(stored)}`);
  expect(await needed.count() === 0, '1-1 is still offered for request');
  const mine = page.locator(`#approvals li.approval[data-id="${stored[0].id}"]`);
  expect((await mine.locator('div.asked').innerText()).includes('Lead qualified at the CIO meeting'), 'the card does not show what was asked');
  since = Date.now();
  await mine.locator('form.withdraw button[type=submit]').click();
  await page.waitForFunction((t) => Number(document.getElementById('process')?.dataset.ready ?? 0) >= t, since);
  expect(await mine.getAttribute('data-state') === 'WITHDRAWN', 'the withdrawn request is not shown as withdrawn');
  expect((await needed.innerText()).includes('Withdrawn: request it again'), `1-1 reads ${await needed.innerText()}`);
  await shot('18-withdrawn');
});

await check('the sales director finds the account manager\'s request in My work, reads it and approves it on the card', async () => {
  await signInAs('li.am');
  await openDeal();
  await processReady();
  const needed = page.locator('#needed-approvals li.needed[data-process="1-2"]');
  await needed.locator('summary').click();
  await needed.locator('textarea').fill('Core fields checked against the business registry');
  let since = Date.now();
  await needed.locator('button[type=submit]').click();
  await page.waitForFunction((t) => Number(document.getElementById('process')?.dataset.ready ?? 0) >= t, since);
  const asked = (await api(`query($id: ID!) { node(id: $id) { ... on Opportunity { approvals { id process state processName } } } }`, { id: DEMO_ID })).node.approvals.find((a) => a.process === '1-2' && a.state === 'PENDING');
  expect(asked, 'the request of 1-2 is not stored');
  await signInAs('zhou.sd');
  await page.click('#nav-work');
  const waiting = page.locator(`#waiting-approvals li.waiting-approval[data-id="${asked.id}"]`);
  await waiting.waitFor();
  expect((await waiting.innerText()).includes(asked.processName), `My work lists ${await waiting.innerText()}`);
  await waiting.locator('a').click();
  await page.waitForFunction(() => Number(document.getElementById('process')?.dataset.ready ?? 0) > 0);
  const item = page.locator(`#approvals li.approval[data-id="${asked.id}"]`);
  expect((await item.locator('div.asked').innerText()).includes('Core fields checked against the business registry'), 'the director does not read what was asked');
  await item.locator('textarea').fill('Registry extract attached');
  since = Date.now();
  await item.locator('button[type=submit]', { hasText: 'Approve' }).click();
  await page.waitForFunction((t) => Number(document.getElementById('process')?.dataset.ready ?? 0) >= t, since);
  expect((await item.locator('.decision').innerText()).startsWith('Approved by 周志强'), `the decision reads ${await item.locator('.decision').innerText()}`);
  expect(await page.locator('#needed-approvals li.needed[data-process="1-2"]').count() === 0, '1-2 is still listed as needed');
  await page.click('#nav-work');
  await page.locator('#only-mine').waitFor();
  expect(await page.locator(`#waiting-approvals li.waiting-approval[data-id="${asked.id}"]`).count() === 0, 'the decided approval still waits in My work');
});

await check('a form sent with a version someone else changed reloads the card, and the retry is answered', async () => {
  await signInAs('li.am');
  await openDeal();
  await processReady();
  const RENAME = `mutation($id: ID!, $v: Int!, $name: String!) { opportunityUpdate(id: $id, input: { version: $v, name: $name }) { userErrors { message } } }`;
  const named = async () => (await api(`query($id: ID!) { node(id: $id) { ... on Opportunity { name version } } }`, { id: DEMO_ID })).node;
  const before = await named();
  const bumped = await api(RENAME, { id: DEMO_ID, v: before.version, name: `${before.name} II` });
  expect(bumped.opportunityUpdate.userErrors.length === 0, JSON.stringify(bumped));
  const card = page.locator('#process');
  await card.locator('#advance button.advance-open').click();
  let since = Date.now();
  await card.locator('#advance button[type=submit]').click();
  await page.waitForFunction((t) => Number(document.getElementById('process')?.dataset.ready ?? 0) >= t, since);
  const said = await page.locator('#notice .banner.help').innerText();
  expect(said.includes('Someone changed this deal meanwhile'), `the page says ${said}`);
  await card.locator('#advance button.advance-open').click();
  since = Date.now();
  await card.locator('#advance button[type=submit]').click();
  const refusal = card.locator('#advance .refusal');
  await Promise.race([refusal.waitFor(), page.waitForFunction((t) => Number(document.getElementById('process')?.dataset.ready ?? 0) >= t, since)]);
  const text = await refusal.count() ? await refusal.innerText() : '';
  expect(!/changed|version/i.test(text), `the retry is refused as stale again: ${text}`);
  await api(RENAME, { id: DEMO_ID, v: (await named()).version, name: before.name });
});

await check('an open violation is answered on the card by whoever answers for it, sent back or acknowledged by the sales director, never by a colleague', async () => {
  await signInAs('li.am');
  const swept = await api('mutation { violationsSweep { found userErrors { message } } }');
  expect(swept.violationsSweep.userErrors.length === 0, JSON.stringify(swept));
  const OPEN = `query($id: ID!) { me { teamMember { id } } violations(filter: { opportunityId: $id, open: true }) { nodes { id message repeat recheckDays mayRespond mayAcknowledge responsible { id name } } } }`;
  const read = await api(OPEN, { id: DEMO_ID });
  const open = read.violations.nodes;
  // acknowledged three weeks ago and still so: raised again, saying by whom and when
  const repeated = open.find((v) => v.repeat === 1);
  expect(repeated && /^The deal is in .* approved — raised again \(1\): acknowledged by 周志强 on \d{4}-\d{2}-\d{2} UTC, still not put right$/.test(repeated.message), `no violation raised again among ${JSON.stringify(open)}`);
  // his, a condition that goes on first: its response promises a date
  const his = open.filter((v) => v.responsible?.id === read.me.teamMember.id).sort((a, b) => (a.recheckDays == null) - (b.recheckDays == null));
  expect(his.length > 0 && his.every((v) => v.mayRespond && !v.mayAcknowledge), `the account manager answers for none of ${JSON.stringify(open)}`);
  // the delivery manager sees them, and is told who responds instead of a form
  await signInAs('deng.dm');
  await openDeal();
  await processReady();
  const theirs = page.locator(`#violations li.violation[data-id="${his[0].id}"]`);
  expect(await theirs.locator('form').count() === 0, 'the delivery manager is offered a form on the account manager\'s violation');
  const who = await theirs.locator('.ack-who').innerText();
  expect(who === `Only ${his[0].responsible.name} responds to it; a sales director acknowledges it.`, `the card says ${who}`);
  await theirs.scrollIntoViewIfNeeded();
  await shot('18b-violation-not-yours');
  // the account manager responds: it stays open, with his response, and leaves his list
  await signInAs('li.am');
  await openDeal();
  await processReady();
  const shown = await page.locator('#violations li.violation > span').allInnerTexts();
  expect(JSON.stringify(shown) === JSON.stringify(open.map((v) => v.message)), `the card lists ${JSON.stringify(shown)}, the API ${JSON.stringify(open.map((v) => v.message))}`);
  await page.locator(`#violations li.violation[data-id="${repeated.id}"]`).scrollIntoViewIfNeeded();
  await shot('18a-violation-raised-again');
  const item = page.locator(`#violations li.violation[data-id="${his[0].id}"]`);
  expect(await item.locator('.ack-form').count() === 0, 'the account manager is offered to acknowledge his own violation');
  expect(his[0].recheckDays === 14, `his first violation is not a gate rechecked in 14 days: ${JSON.stringify(his[0])}`);
  // he promises a date: four months out is refused under the date, three weeks is taken
  const ahead = (days) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
  await item.locator('.respond-form input[type=text]').fill('Approvals requested this week');
  await item.locator('.respond-form input[type=date]').fill(ahead(120));
  await item.locator('.respond-form button[type=submit]').click();
  const tooFar = item.locator('.respond-form .field-error');
  await tooFar.waitFor();
  const why = await tooFar.innerText();
  expect(why === `at most 90 days ahead (by ${ahead(90)})`, `the form says ${why}`);
  await item.scrollIntoViewIfNeeded();
  await shot('18c-violation-promise-too-far');
  await item.locator('.respond-form input[type=date]').fill(ahead(21));
  let since = Date.now();
  await item.locator('.respond-form button[type=submit]').click();
  await page.waitForFunction((t) => Number(document.getElementById('process')?.dataset.ready ?? 0) >= t, since);
  const VIOLATION = `query($id: ID!) { node(id: $id) { ... on Violation { acknowledged responseNote respondedBy { name } acknowledgementNote putRightBy } } }`;
  const answered = (await api(VIOLATION, { id: his[0].id })).node;
  expect(!answered.acknowledged && answered.responseNote === 'Approvals requested this week' && answered.respondedBy?.name === '李明轩' && answered.putRightBy === ahead(21), `stored ${JSON.stringify(answered)}`);
  const response = await item.locator('p.response').innerText();
  expect(response.startsWith('Response by 李明轩, ') && response.endsWith(`: “Approvals requested this week”. To be put right by ${ahead(21)}: 21 days, the usual recheck is 14 days.`), `the card reads ${response}`);
  expect(await item.locator('p.response .promise.beyond').count() === 1, 'a promise beyond the usual recheck is not marked');
  await item.scrollIntoViewIfNeeded();
  await shot('18c-violation-responded');
  await page.click('#nav-work');
  await page.locator('#work, #no-work').first().waitFor();
  expect(await page.locator(`#waiting-approvals li.waiting-violation[data-id="${his[0].id}"]`).count() === 0, 'the answered violation still waits for him');
  // the sales director finds the response in My work and acknowledges it on the card
  await signInAs('zhou.sd');
  await page.click('#nav-work');
  const toJudge = page.locator(`#waiting-approvals li.waiting-response[data-id="${his[0].id}"]`);
  await toJudge.waitFor();
  const line = await toJudge.innerText();
  expect(line.startsWith('To acknowledge: ') && line.includes(his[0].message) && line.includes('Approvals requested this week') && line.includes(`To be put right by ${ahead(21)}: 21 days`), `My work lists ${line}`);
  await shot('18d-my-work-to-acknowledge');
  await toJudge.locator('a').click();
  await page.waitForFunction(() => Number(document.getElementById('process')?.dataset.ready ?? 0) > 0);
  const judged = page.locator(`#violations li.violation[data-id="${his[0].id}"]`);
  const ready = async (t) => page.waitForFunction((at) => Number(document.getElementById('process')?.dataset.ready ?? 0) >= at, t);
  // a request is not an approval: the director sends the response back with what it lacks
  const director = (await api('{ me { teamMember { name } } }')).me.teamMember.name;
  await judged.locator('.send-back-form input').fill('A request is not an approval: get both approved');
  since = Date.now();
  await judged.locator('.send-back-form button[type=submit]').click();
  await ready(since);
  const RETURNED = `query($id: ID!) { node(id: $id) { ... on Violation { acknowledged respondedAt responseNote sentBackNote sentBackBy { name } } } }`;
  const returned = (await api(RETURNED, { id: his[0].id })).node;
  expect(!returned.acknowledged && returned.respondedAt === null && returned.sentBackNote === 'A request is not an approval: get both approved' && returned.sentBackBy?.name === director, `stored ${JSON.stringify(returned)}`);
  const sentBack = await judged.locator('p.sent-back').innerText();
  expect(sentBack.startsWith(`Sent back by ${director}, `) && sentBack.endsWith(': “A request is not an approval: get both approved”. The response was: “Approvals requested this week”.'), `the card reads ${sentBack}`);
  expect(await judged.locator('.send-back-form').count() === 0 && await judged.locator('.ack-form').count() === 1, 'the card offers to send back a response that no longer waits');
  await judged.scrollIntoViewIfNeeded();
  await shot('18e-violation-sent-back');
  // the account manager finds it on his list again, with the director's note, and responds again
  await signInAs('li.am');
  await page.click('#nav-work');
  const again = page.locator(`#waiting-approvals li.waiting-violation[data-id="${his[0].id}"]`);
  await again.waitFor();
  const listed = await again.innerText();
  expect(listed.includes(`Sent back by ${director}, `) && listed.includes('“A request is not an approval: get both approved”'), `My work lists ${listed}`);
  await shot('18f-my-work-sent-back');
  await again.locator('a').click();
  await page.waitForFunction(() => Number(document.getElementById('process')?.dataset.ready ?? 0) > 0);
  const mine = page.locator(`#violations li.violation[data-id="${his[0].id}"]`);
  expect((await mine.locator('.respond-form button[type=submit]').innerText()) === 'Respond again', 'the form does not say it answers again');
  await mine.locator('.respond-form input[type=text]').fill('Both approved by the VP today');
  await mine.locator('.respond-form input[type=date]').fill(ahead(1));
  since = Date.now();
  await mine.locator('.respond-form button[type=submit]').click();
  await ready(since);
  const both = await mine.locator('p.sent-back, p.response').allInnerTexts();
  expect(both.length === 2 && both[0].startsWith('Sent back by') && !both[0].includes('The response was') && both[1].endsWith(`: “Both approved by the VP today”. To be put right by ${ahead(1)}: 1 day, the usual recheck is 14 days.`), `the card reads ${JSON.stringify(both)}`);
  // the director acknowledges the new response, once he has read the one sent while he typed
  await signInAs('zhou.sd');
  await page.click('#nav-work');
  await toJudge.waitFor();
  await toJudge.locator('a').click();
  await page.waitForFunction(() => Number(document.getElementById('process')?.dataset.ready ?? 0) > 0);
  const RESPOND = `mutation($id: ID!, $note: String!, $by: String) { violationRespond(id: $id, note: $note, putRightBy: $by) { userErrors { message } } }`;
  const meanwhile = await apiAs('li.am', RESPOND, { id: his[0].id, note: 'Both approved; the VP signs the minutes tomorrow', by: ahead(1) });
  expect(meanwhile.violationRespond.userErrors.length === 0, JSON.stringify(meanwhile));
  await judged.locator('.ack-form input').fill('Checked: both approvals are in');
  since = Date.now();
  await judged.locator('.ack-form button[type=submit]').click();
  await ready(since);
  const banner = page.locator('#notice .banner', { hasText: 'A newer response' });
  await banner.waitFor();
  const told = await banner.innerText();
  expect(told.startsWith(`A newer response came in meanwhile, read it before acknowledging it: ${his[0].message}`), `the page says ${told}`);
  const reread = await judged.locator('p.response').innerText();
  expect(reread.includes('“Both approved; the VP signs the minutes tomorrow”'), `the card still reads ${reread}`);
  await judged.scrollIntoViewIfNeeded();
  await shot('18f-violation-newer-response');
  await judged.locator('.ack-form input').fill('Checked: both approvals are in');
  since = Date.now();
  await judged.locator('.ack-form button[type=submit]').click();
  await ready(since);
  const stored = (await api(VIOLATION, { id: his[0].id })).node;
  expect(stored.acknowledged && stored.acknowledgementNote === 'Checked: both approvals are in', `stored ${JSON.stringify(stored)}`);
  expect(await judged.count() === 0, 'the acknowledged violation is still listed as open');
  // acknowledged, the promise stays in sight: on the card, for the director if due this week
  const kept = page.locator(`#commitments li.commitment[data-id="${his[0].id}"]`);
  const promise = `李明轩 promised to put it right by ${ahead(1)}; ${director} agreed on `;
  const onCard = await kept.innerText();
  expect(onCard.startsWith(his[0].message) && onCard.includes(`due tomorrow · ${promise}`), `the card's commitment reads ${onCard}`);
  await kept.scrollIntoViewIfNeeded();
  await shot('18g-commitment-on-card');
  const thisWeek = new Date().getUTCDay() !== 0; // tomorrow (UTC, as promises count) is in this week
  await page.click('#nav-work');
  await page.locator('#work, #no-work').first().waitFor();
  const due = page.locator(`#waiting-approvals li.waiting-commitment[data-id="${his[0].id}"]`);
  expect(await due.count() === (thisWeek ? 1 : 0), `a commitment due tomorrow is ${thisWeek ? 'not' : ''} in the director's week`);
  if (thisWeek) {
    const dueLine = await due.innerText();
    expect(dueLine.startsWith('Commitment due: ') && dueLine.includes(`due tomorrow · ${promise}`), `My work lists ${dueLine}`);
    await shot('18h-my-work-commitment-due');
  }
  // the account manager is reminded of his own promise, and the link finds it on the card
  await signInAs('li.am');
  await page.click('#nav-work');
  const his1 = page.locator(`#waiting-approvals li.waiting-commitment[data-id="${his[0].id}"]`);
  await his1.waitFor();
  const reminder = await his1.innerText();
  expect(reminder.startsWith('Your commitment: ') && reminder.includes(`due tomorrow · You promised to put it right by ${ahead(1)}; ${director} agreed on `), `My work lists ${reminder}`);
  await shot('18i-my-work-your-commitment');
  await his1.locator('a').click();
  await page.waitForFunction(() => Number(document.getElementById('process')?.dataset.ready ?? 0) > 0);
  expect(await page.locator(`#commitments li.commitment.target[data-id="${his[0].id}"]`).count() === 1, 'the link does not mark the commitment on the card');
});

await check('a violation nobody answered, acknowledged by the sales director, stays in sight on the card: by whom, when and why', async () => {
  await signInAs('zhou.sd');
  const UNANSWERED = `query($id: ID!) { violations(filter: { opportunityId: $id, open: true, responded: false }) { nodes { id message mayAcknowledge } } }`;
  const waiting = (await api(UNANSWERED, { id: DEMO_ID })).violations.nodes.filter((v) => v.mayAcknowledge);
  expect(waiting.length > 0, 'no unanswered violation left for the director to acknowledge');
  const taken = waiting[0];
  await openDeal();
  await processReady();
  const item = page.locator(`#violations li.violation[data-id="${taken.id}"]`);
  const note = 'Known: the hospital is closed for the holidays, we meet on the 5th';
  await item.locator('.ack-form input').fill(note);
  const since = Date.now();
  await item.locator('.ack-form button[type=submit]').click();
  await page.waitForFunction((t) => Number(document.getElementById('process')?.dataset.ready ?? 0) >= t, since);
  expect(await item.count() === 0, 'the acknowledged violation is still listed as open');
  const today = new Date().toISOString().slice(0, 10);
  const line = `Acknowledged by 周志强 on ${today}: “${note}”`;
  const kept = page.locator(`#acknowledged li.acknowledged[data-id="${taken.id}"]`);
  const reads = await kept.innerText();
  expect(reads.startsWith(taken.message) && reads.endsWith(line), `the card reads ${reads}`);
  // the latest acknowledged first, whenever each was raised
  expect(await page.locator('#acknowledged li.acknowledged').first().getAttribute('data-id') === taken.id, 'the violation just acknowledged is not listed first');
  // the account manager sees that it was taken up, and by whom
  await signInAs('li.am');
  await openDeal();
  await processReady();
  const his = await page.locator(`#acknowledged li.acknowledged[data-id="${taken.id}"]`).innerText();
  expect(his.endsWith(line), `his card reads ${his}`);
  await page.locator('#acknowledged').scrollIntoViewIfNeeded();
  await shot('18j-acknowledged-on-card');
});

await check('on a phone, the Process card and the review form fit the screen', async () => {
  await signInAs('li.am');
  await page.setViewportSize({ width: 390, height: 844 });
  await page.selectOption('#language', 'zh-CN');
  await openDeal();
  await processReady();
  const card = page.locator('#process');
  await card.scrollIntoViewIfNeeded();
  expect((await card.locator('#process-title').innerText()) === '销售流程', 'the card is not in Chinese');
  const words = await card.innerText();
  expect(!/null|undefined/.test(words) && words.includes('交付评审由邓志刚（交付经理）记录。'), `the card reads ${words}`);
  const overflow = await page.evaluate(() => [document.documentElement.scrollWidth,
    [...document.querySelectorAll('#process *')].filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1).map((e) => e.tagName)]);
  expect(overflow[0] <= 390 && overflow[1].length === 0, `the page is ${overflow[0]} px wide; beyond the screen: ${overflow[1]}`);
  await shot('13-phone-process-zh');
  await card.locator('#needed-approvals li.needed summary').first().click();
  await card.locator('#needed-approvals .request-form').first().scrollIntoViewIfNeeded();
  const wide = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(wide <= 390, `the page is ${wide} px wide with a request form open`);
  await shot('13a-phone-request-zh');
  await signInAs('deng.dm');
  await openDeal();
  await processReady();
  await page.locator('#process details:has(.review-form) summary').click();
  await page.locator('#process .review-form').scrollIntoViewIfNeeded();
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(width <= 390, `the page is ${width} px wide with the review form open`);
  await shot('14-phone-review-form');
  await page.setViewportSize({ width: 1280, height: 800 });
});

/** The days (2026-12-02) written in the page under ``selector`` that could break at a hyphen:
 * not kept on one line by their element, or drawn on two lines; and how many there are. */
const breakableDays = (selector) => page.evaluate((sel) => {
  const [found, loose] = [[], []];
  for (const root of document.querySelectorAll(sel)) {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (node.parentElement.closest('textarea, option, script')) continue;
      for (const m of node.textContent.matchAll(/\d{4}-\d{2}-\d{2}/g)) {
        found.push(m[0]);
        const range = document.createRange();
        range.setStart(node, m.index);
        range.setEnd(node, m.index + m[0].length);
        const lines = new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size;
        const style = getComputedStyle(node.parentElement).whiteSpace;
        if (!['nowrap', 'pre'].includes(style) || lines > 1) loose.push(`${m[0]} in <${node.parentElement.tagName.toLowerCase()} class="${node.parentElement.className}"> (${style}, ${lines} lines)`);
      }
    }
  }
  return { found: found.length, loose };
}, selector);

await check('on a phone and in the narrow Process card, no day breaks at its hyphens', async () => {
  await signInAs('li.am');
  await page.setViewportSize({ width: 390, height: 844 });
  await page.evaluate(() => localStorage.setItem('dealgraph.lang', 'zh-CN'));
  await openDeal();
  await processReady();
  await page.locator('#deal-details summary').click();
  await page.locator('#deal-form').waitFor();
  const deal = await breakableDays('#process, #work-plan, #suggestions, #deal-details');
  expect(deal.found >= 5 && deal.loose.length === 0, `${deal.found} days on the deal page; these can break: ${deal.loose.join('; ')}`);
  await page.locator('#approvals').scrollIntoViewIfNeeded();
  await shot('13b-phone-days-zh');
  await page.setViewportSize({ width: 1280, height: 800 });
  await openDeal();
  await processReady();
  const wide = await breakableDays('#process');
  expect(wide.found >= 3 && wide.loose.length === 0, `${wide.found} days in the desktop's Process card; these can break: ${wide.loose.join('; ')}`);
  await page.setViewportSize({ width: 390, height: 844 });
  await page.click('a.brand');
  await page.locator('table.pipeline tr.deal').first().waitFor();
  await page.click('#nav-work');
  await page.locator('#only-mine').waitFor();
  await page.uncheck('#only-mine');
  await page.locator('#work tr.work-item').first().waitFor();
  const lists = await breakableDays('main');
  expect(lists.found >= 1 && lists.loose.length === 0, `${lists.found} days on My work; these can break: ${lists.loose.join('; ')}`);
  await page.click('a.brand');
  await page.locator('table.pipeline tr.deal').first().waitFor();
  const pipeline = await breakableDays('main');
  expect(pipeline.found >= 1 && pipeline.loose.length === 0, `${pipeline.found} days in the pipeline; these can break: ${pipeline.loose.join('; ')}`);
  await page.setViewportSize({ width: 1280, height: 800 });
});

await check('on a phone, picking a person brings their panel into view', async () => {
  await page.setViewportSize({ width: 390, height: 844 });
  await signInAs('li.am');
  await openDeal();
  await page.click(`.person-item[data-id="${PRESIDENT}"]`);
  await page.locator('#person-title').waitFor();
  await page.waitForFunction(() => {
    const box = document.getElementById('person-panel').getBoundingClientRect();
    return box.top < window.innerHeight && box.bottom > 0;
  });
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(width <= 390, `the page is ${width} px wide on a 390 px phone`);
  await shot('09-phone-person');
});

await check('on a phone the pipeline and My work show every figure and button on screen; signing out leaves the page', async () => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.click('a.brand');
  await page.locator('table.pipeline tr.deal').first().waitFor();
  const onScreen = (selector) => page.$$eval(selector, (els) => els.filter((e) => {
    const box = e.getBoundingClientRect();
    return box.width === 0 || box.left < 0 || box.right > window.innerWidth;
  }).map((e) => e.textContent));
  const wide = () => page.evaluate(() => document.documentElement.scrollWidth);
  expect(await wide() <= 390, `the pipeline is ${await wide()} px wide on a 390 px phone`);
  const hidden = await onScreen('table.pipeline td');
  expect(hidden.length === 0, `pipeline figures off screen: ${hidden.join(' | ')}`);
  const weighted = await page.locator('table.pipeline td.weighted').first().evaluate((e) => getComputedStyle(e, '::before').content);
  expect(weighted.includes('Weighted'), `a figure on the phone does not say what it is: ${weighted}`);
  await shot('20-phone-pipeline', true);
  await page.click('#nav-work');
  await page.locator('#only-mine').waitFor();
  await page.uncheck('#only-mine');
  await page.locator('#work tr.work-item').first().waitFor();
  expect(await wide() <= 390, `My work is ${await wide()} px wide on a 390 px phone`);
  const off = await onScreen('#work td, #work button.record');
  expect(off.length === 0, `My work cells off screen: ${off.join(' | ')}`);
  await page.locator('#work button.record').first().click(); // no forced click: it is on screen
  await page.locator('.record-form').waitFor();
  expect(await wide() <= 390, `the result form makes the page ${await wide()} px wide`);
  await shot('21-phone-work', true);
  await page.click('#sign-out');
  await page.locator('#sign-in').waitFor();
  const path = await page.evaluate(() => location.pathname);
  expect(path === '/app', `after signing out the address is still ${path}`);
});

await check('a session that ends while a result is typed: signing in again brings the form back as typed', async () => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await signInAs('li.am');
  await page.click('#nav-work');
  await page.locator('#only-mine').waitFor();
  await page.uncheck('#only-mine');
  const row = page.locator('#work tr.work-item').first();
  const id = await row.getAttribute('data-id');
  await row.locator('button.record').click();
  const form = page.locator('.record-form');
  const typed = 'Met the CIO; he will sign the test report on Friday';
  await form.locator('[data-field="input.outcome"]').selectOption('POSITIVE');
  await form.locator('textarea').fill(typed);
  await page.evaluate(() => sessionStorage.setItem('dealgraph.token', 'dg_expired'));
  await page.click('.record-form button[type=submit]');
  await page.locator('#sign-in').waitFor();
  await page.fill('#token', TOKENS['li.am']);
  await page.click('#sign-in button[type=submit]');
  await page.locator('#notice .banner.help').waitFor();
  expect(await page.locator('.record-form textarea').inputValue() === typed, 'what was typed is lost');
  expect(await page.locator('.record-form [data-field="input.outcome"]').inputValue() === 'POSITIVE', 'the outcome chosen is lost');
  await page.click('.record-form button[type=submit]');
  await page.locator('#notice .banner.ok').waitFor();
  const done = await api(`query($id: ID!) { node(id: $id) { ... on WorkPlanItem { status resultActivity { summary } } } }`, { id });
  expect(done.node.status === 'DONE' && done.node.resultActivity?.summary === typed, `stored ${JSON.stringify(done.node)}`);
});

await check('the quote changes while the delivery manager types the review on the deal page: the card says so, shows the current quote and keeps what was typed', async () => {
  for (const [lang, width, said] of [['en', 1280, 'was changed by someone else meanwhile'], ['zh-CN', 390, '已被他人修改']]) {
    await page.setViewportSize({ width, height: 844 });
    await signInAs('deng.dm');
    await page.evaluate((l) => localStorage.setItem('dealgraph.lang', l), lang);
    await openDeal();
    await processReady();
    const card = page.locator('#process');
    await card.locator('details:has(.review-form) summary').click();
    const form = card.locator('.review-form');
    await form.locator('[data-field="input.feasible"]').selectOption('false');
    await form.locator('[data-field="input.workloadPersonDays"]').fill('510');
    await form.locator('[data-field="input.comment"]').fill('Not before the data centre moves');
    const before = (await api(DEAL_STATE, { id: DEMO_ID })).node;
    const reviewed = (await api(`query($id: ID!) { node(id: $id) { ... on Opportunity { deliveryReview { reviewedAt } } } }`, { id: DEMO_ID })).node.deliveryReview;
    await updateDealAs('li.am', { quoteAmount: before.quoteAmount + 70000000 }); // the account manager reworks the quote
    const since = Date.now();
    await form.locator('button[type=submit]').click();
    await page.waitForFunction((t) => Number(document.getElementById('process')?.dataset.ready ?? 0) >= t, since);
    const again = card.locator('.review-form');
    const changed = again.locator('.deal-changed');
    expect(await changed.count() === 1, 'the form does not say the deal changed');
    const current = new Intl.NumberFormat('en').format((before.quoteAmount + 70000000) / 100);
    const text = await changed.innerText();
    expect(text.includes(said) && text.includes(current) && !/CONFLICT|version/i.test(text), `the form says ${text}`);
    expect(await again.isVisible() && (await again.locator('.current-quote').innerText()).includes(current), 'the form is closed, or does not show the current quote');
    const kept = await Promise.all(['feasible', 'workloadPersonDays', 'reviewedQuoteAmount', 'comment'].map((f) => again.locator(`[data-field="input.${f}"]`).inputValue()));
    expect(JSON.stringify(kept) === JSON.stringify(['false', '510', String((before.quoteAmount + 70000000) / 100), 'Not before the data centre moves']), `the form holds ${kept}`);
    expect(await again.locator('button[type=submit]').evaluate((b) => b === document.activeElement), 'the button to record it again does not have the focus');
    const stored = (await api(`query($id: ID!) { node(id: $id) { ... on Opportunity { deliveryReview { reviewedAt } } } }`, { id: DEMO_ID })).node.deliveryReview;
    expect(stored.reviewedAt === reviewed.reviewedAt, 'the stale review was stored');
    await changed.scrollIntoViewIfNeeded();
    await shot(`19a-deal-review-changed-${lang}-${width}`);
    await updateDealAs('li.am', { quoteAmount: before.quoteAmount });
  }
  await page.evaluate(() => localStorage.setItem('dealgraph.lang', 'en'));
});

await check('a review of another amount than the quote is warned of, and the card says it does not cover the quote', async () => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await signInAs('deng.dm');
  await openDeal();
  await processReady();
  const card = page.locator('#process');
  expect(await card.locator('#review-uncovered').count() === 0, 'the review of the quote is said not to cover it');
  await card.locator('details:has(.review-form) summary').click();
  const form = card.locator('.review-form');
  await form.locator('[data-field="input.feasible"]').selectOption('true');
  await form.locator('[data-field="input.workloadPersonDays"]').fill('400');
  await form.locator('[data-field="input.reviewedQuoteAmount"]').fill('40000000');
  expect(await form.locator('.quote-differs').isVisible(), 'no warning before saving');
  const since = Date.now();
  await form.locator('button[type=submit]').click();
  await page.waitForFunction((t) => Number(document.getElementById('process')?.dataset.ready ?? 0) >= t, since);
  const said = await card.locator('#review-uncovered').innerText();
  expect(said.includes('40,000,000') && said.includes('42,800,000') && said.includes('not the current quote'), `the card says ${said}`);
  await card.locator('#review-state').scrollIntoViewIfNeeded();
  await shot('19-review-uncovered');
});

await check('the account manager reworks the quote on the deal page; a viewer reads the deal details', async () => {
  await signInAs('li.am');
  await openDeal();
  await page.locator('#deal-details summary').click();
  const form = page.locator('#deal-form');
  await form.waitFor();
  const quote = form.locator('[data-field="input.quoteAmount"]');
  const before = (await api(`query($id: ID!) { node(id: $id) { ... on Opportunity { quoteAmount budget } } }`, { id: DEMO_ID })).node;
  expect(await quote.inputValue() === String(before.quoteAmount / 100), `the form shows ${await quote.inputValue()}, the quote is ${before.quoteAmount}`);
  await quote.fill(String(before.budget / 100 - 200000)); // reworked to fit the budget with room to spare
  await form.locator('[data-field="input.compellingEvent"]').fill('East Campus opens at year end; EMR level 5 review in March');
  // what "is it worth it?" weighs is set here too: the delivery cost and risk
  const worth = async () => (await api(`query($id: ID!) { node(id: $id) { ... on Opportunity { assessment { worthIt { value } } } } }`, { id: DEMO_ID })).node.assessment.worthIt.value;
  const worthBefore = await worth();
  await form.locator('[data-field="input.deliveryCost"]').fill('30000000');
  await form.locator('[data-field="input.deliveryRisk"]').selectOption('LOW');
  await form.locator('button[type=submit]').click();
  await page.locator('#notice .banner.ok').waitFor();
  const after = (await api(`query($id: ID!) { node(id: $id) { ... on Opportunity { quoteAmount compellingEvent deliveryCost deliveryRisk } } }`, { id: DEMO_ID })).node;
  expect(after.quoteAmount === before.budget - 20000000 && after.compellingEvent.startsWith('East Campus opens'), `stored ${JSON.stringify(after)}`);
  expect(after.deliveryCost === 3000000000 && after.deliveryRisk === 'LOW', `stored ${JSON.stringify(after)}`);
  expect(await worth() > worthBefore, `"is it worth it?" did not move with a low delivery risk: ${worthBefore} → ${await worth()}`);
  await signInAs('viewer');
  await openDeal();
  await page.locator('#deal-details summary').click();
  await page.locator('#deal-details dl').waitFor();
  expect(await page.locator('#deal-form').count() === 0, 'a viewer is offered the deal form');
  const facts = await page.locator('#deal-details dl').innerText();
  expect(facts.includes('East Campus opens') && facts.includes('Delivery risk') && /Delivery risk\s+Low/.test(facts), `the viewer reads ${facts}`);
  await shot('22-deal-details');
});

await check('the deal details saved after someone else saved the deal keep what was typed and show their change', async () => {
  await signInAs('li.am');
  await openDeal();
  await page.locator('#deal-details summary').click();
  const form = page.locator('#deal-form');
  await form.waitFor();
  const typed = 'Board decision moved to the January meeting';
  await form.locator('[data-field="input.compellingEvent"]').fill(typed);
  const theirs = 'Scope agreed with the CIO office: EMR and nursing first';
  await updateDealAs('zhou.sd', { description: theirs }); // the sales director, on his own screen
  await form.locator('button[type=submit]').click();
  const error = page.locator('#deal-form .field-error[data-code="CONFLICT"]');
  await error.waitFor({ timeout: 5000 });
  expect((await error.innerText()).includes('was changed by someone else meanwhile'), `the form says ${await error.innerText()}`);
  const again = page.locator('#deal-form');
  expect(await again.locator('[data-field="input.compellingEvent"]').inputValue() === typed, 'what was typed is lost');
  const description = await again.locator('[data-field="input.description"]').inputValue();
  expect(description === theirs, `the description the director saved is overwritten in the form by ${description}`);
  const stored = async () => (await api(`query($id: ID!) { node(id: $id) { ... on Opportunity { compellingEvent description } } }`, { id: DEMO_ID })).node;
  expect((await stored()).compellingEvent !== typed, 'the stale form was stored');
  expect(await error.evaluate((e) => e.getBoundingClientRect().top >= 0 && e.getBoundingClientRect().bottom <= window.innerHeight), 'the message is off screen');
  await shot('22a-deal-details-conflict');
  await again.locator('button[type=submit]').click();
  await page.locator('#notice .banner.ok').waitFor();
  const after = await stored();
  expect(after.compellingEvent === typed && after.description === theirs, `stored ${JSON.stringify(after)}`);
});

await check('a suggestion accepted meanwhile in another tab: Accept on the stale page says so and shows the plan as it is', async () => {
  await signInAs('li.am');
  await openDeal();
  const OFFERED = `query($id: ID!) { node(id: $id) { ... on Opportunity { suggestedWorkPlan(limit: 5) { actionKey title target { id name } owner { name } } } } }`;
  const offered = (await api(OFFERED, { id: DEMO_ID })).node.suggestedWorkPlan.find((s) => s.owner?.name !== '李明轩');
  const shown = page.locator(`#suggestions .suggestion[data-action="${offered.actionKey}"]`).filter({ hasText: offered.target ? `${offered.title} — ${offered.target.name}` : offered.title });
  const ACCEPT = `mutation($input: SuggestionAcceptInput!) { workPlanSuggestionAccept(input: $input) { userErrors { message } } }`;
  const elsewhere = await api(ACCEPT, { input: { opportunityId: DEMO_ID, actionKey: offered.actionKey, targetPersonId: offered.target?.id ?? null } });
  expect(elsewhere.workPlanSuggestionAccept.userErrors.length === 0, JSON.stringify(elsewhere));
  await shown.locator('.accept').click();
  const again = page.locator('#notice .banner.help', { hasText: 'is already in the work plan' });
  await again.waitFor();
  await shown.waitFor({ state: 'detached' });
  const planned = await page.locator('#work-plan').innerText();
  expect(planned.includes(offered.title), `the work plan lacks ${offered.title} after the refusal`);
  await again.locator('button.dismiss').click();
});

const CHAIN = `query($id: ID!) { node(id: $id) { ... on Opportunity { decisionChain { members { person { id name } role attitude influence version } } } } }`;
const chainNow = async () => (await apiAs('li.am', CHAIN, { id: DEMO_ID })).node.decisionChain.members;
const PLACE = `mutation($i: DecisionChainMemberInput!) { decisionChainMemberSet(input: $i) { userErrors { message } } }`;
const UNPLACE = `mutation($i: DecisionChainMemberInput!) { decisionChainMemberRemove(input: $i) { userErrors { message } } }`;

await check('a role form read before a colleague changed the person: saving it undoes nothing and says so', async () => {
  await signInAs('li.am');
  await openDeal();
  const target = (await chainNow()).find((m) => m.person.id !== PRESIDENT && m.attitude !== 'SUPPORTER' && m.influence !== 'HIGH');
  await page.click(`.person-item[data-id="${target.person.id}"]`);
  await page.locator('#role-form').waitFor();
  const place = { personId: target.person.id, opportunityId: DEMO_ID, role: target.role };
  const theirs = await apiAs('deng.dm', PLACE, { i: { ...place, attitude: 'SUPPORTER', expectedVersion: target.version } });
  expect(theirs.decisionChainMemberSet.userErrors.length === 0, JSON.stringify(theirs));
  await page.selectOption('#role-form [data-field="input.influence"]', 'HIGH'); // the form still shows the old attitude
  await page.click('#role-form button[type=submit]');
  const told = page.locator('#notice .banner.error', { hasText: 'was changed by someone else meanwhile' });
  await told.waitFor();
  expect((await told.innerText()).includes(target.person.name), `the notice does not name ${target.person.name}: ${await told.innerText()}`);
  const now = (await chainNow()).find((m) => m.person.id === target.person.id);
  expect(now.attitude === 'SUPPORTER' && now.influence === target.influence, `the colleague's change is undone: ${JSON.stringify(now)}`);
  expect(await page.locator('#role-form [data-field="input.attitude"]').inputValue() === 'SUPPORTER', 'the form still shows the old attitude');
  await shot('23-chain-place-changed');
});

await check('a what-if saved from a page read before a colleague took the person off does not put them back', async () => {
  await openDeal();
  const target = (await chainNow()).find((m) => m.person.id !== PRESIDENT && m.attitude !== 'CHAMPION');
  await page.click(`.person-item[data-id="${target.person.id}"]`);
  await page.selectOption('#wi-attitude', 'CHAMPION');
  await page.click('#wi-add-attitude');
  await page.locator('#wi-save').waitFor();
  // a guess tried in a strategy session is not a fact: saving it is asked once, and kept
  // as a what-if, it writes nothing
  await page.click('#wi-save');
  const asked = page.locator('#wi-confirm');
  expect((await asked.locator('p').innerText()).startsWith('Saved, these are recorded as what is so, not as a guess'), await asked.locator('p').innerText());
  await asked.scrollIntoViewIfNeeded();
  await shot('23a-what-if-save-asked');
  await page.click('#wi-save-cancel');
  expect(await asked.count() === 0, 'kept as a what-if, the question stays');
  expect((await chainNow()).find((m) => m.person.id === target.person.id).attitude === target.attitude, 'a what-if kept as one was saved');
  await page.click('#wi-save');
  const gone = await apiAs('deng.dm', UNPLACE, { i: { personId: target.person.id, opportunityId: DEMO_ID, role: target.role } });
  expect(gone.decisionChainMemberRemove.userErrors.length === 0, JSON.stringify(gone));
  await page.click('#wi-save-confirm');
  const told = page.locator('#notice .banner.error', { hasText: 'taken off this deal’s decision chain' });
  await told.waitFor();
  expect(!(await chainNow()).some((m) => m.person.id === target.person.id), `${target.person.name} is back in the chain`);
  expect(await page.locator(`.person-item[data-id="${target.person.id}"]`).count() === 0, 'the stale page still lists them');
  await shot('23b-what-if-person-gone');
});

await check('a contact a colleague corrected or deleted meanwhile: the stale list says so and shows them as they are', async () => {
  await signInAs('li.am');
  await openDeal();
  await page.click(`.person-item[data-id="${PRESIDENT}"]`);
  await page.locator('#contacts li.contact').first().waitFor();
  const ids = await page.$$eval('#contacts li.contact[data-planned="false"]', (items) => items.map((li) => li.dataset.id));
  expect(ids.length >= 2, `the president has ${ids.length} contacts held`);
  const VERSION = `query($id: ID!) { node(id: $id) { ... on Activity { version } } }`;
  const version = async (id) => (await apiAs('deng.dm', VERSION, { id })).node.version;
  const UPDATE = `mutation($id: ID!, $input: ActivityUpdateInput!) { activityUpdate(id: $id, input: $input) { userErrors { message } } }`;
  const theirs = await apiAs('deng.dm', UPDATE, { id: ids[0], input: { version: await version(ids[0]), summary: 'Corrected by 邓志刚' } });
  expect(theirs.activityUpdate.userErrors.length === 0, JSON.stringify(theirs));
  const first = page.locator(`#contacts li.contact[data-id="${ids[0]}"]`);
  await first.locator('button.correct').click();
  await first.locator('form.contact-form [data-field="input.summary"]').fill('Corrected by 李明轩');
  await first.locator('form.contact-form button[type=submit]').click();
  const changedNote = page.locator('#notice .banner.help', { hasText: 'was changed by someone else meanwhile' });
  await changedNote.waitFor();
  await page.locator(`#contacts li.contact[data-id="${ids[0]}"]`, { hasText: 'Corrected by 邓志刚' }).waitFor();
  await changedNote.locator('button.dismiss').click();
  const DELETE = `mutation($id: ID!) { activityDelete(id: $id) { deletedId userErrors { message } } }`;
  const gone = await apiAs('deng.dm', DELETE, { id: ids[1] });
  expect(gone.activityDelete.userErrors.length === 0, JSON.stringify(gone));
  const second = page.locator(`#contacts li.contact[data-id="${ids[1]}"]`);
  await second.locator('button.remove').click();
  await second.locator('.contact-delete button.danger').click();
  const goneNote = page.locator('#notice .banner.help', { hasText: 'was deleted by someone else meanwhile' });
  await goneNote.waitFor();
  expect(!(await goneNote.innerText()).includes(' id'), `the notice speaks of ids: ${await goneNote.innerText()}`);
  await page.locator(`#contacts li.contact[data-id="${ids[1]}"]`).waitFor({ state: 'detached' });
  await shot('24-contact-gone-meanwhile');
  await goneNote.locator('button.dismiss').click();
});

await check('the account manager adds someone without their needs, the process card names them, and their needs are recorded in their panel', async () => {
  await signInAs('li.am');
  await openDeal();
  await page.fill('#add-person [data-field="input.name"]', '杜卫国');
  await page.selectOption('#add-person [data-field="input.role"]', 'USER');
  let since = Date.now();
  await page.click('#add-person button[type=submit]');
  await page.waitForFunction((t) => Number(document.body.dataset.mapReady ?? 0) > t, since);
  const gate = page.locator('#next-gate');
  await page.waitForFunction(() => Boolean(document.querySelector('#process')?.dataset.ready));
  const todo = await gate.innerText();
  expect(todo.includes('Record the needs of every key person in the chain; still missing: 杜卫国'), `the process card says: ${todo}`);
  // and the day his needs become a violation: a week of his own, found late in the stage
  const DUE = `query($id: ID!) { node(id: $id) { ... on Opportunity { stageActionsDue { action people { person { name } dueAt } } } } }`;
  const owed = (await apiAs('li.am', DUE, { id: DEMO_ID })).node.stageActionsDue.find((d) => d.action === 'needs_recorded');
  const his = owed.people.find((p) => p.person.name === '杜卫国');
  expect(Math.abs(Date.parse(his.dueAt) - Date.now() - 7 * 86400000) < 86400000, `his needs are due ${his.dueAt}`);
  const dueLine = await page.locator('#stage-due li[data-action="needs_recorded"]').innerText();
  expect(dueLine.includes(`杜卫国 by ${his.dueAt.slice(0, 10)}`), `the process card says: ${dueLine}`);
  const added = (await chainNow()).find((m) => m.person.name === '杜卫国');
  await page.click(`.person-item[data-id="${added.person.id}"]`);
  expect((await page.locator('#person-needs').innerText()).startsWith('Not recorded yet'), `the panel says: ${await page.locator('#person-needs').innerText()}`);
  const form = page.locator('#needs-form');
  await form.locator('[data-field="input.needs"]').fill('护士站不再重复录入，移动护理平板能离线用');
  await form.locator('[data-field="input.needsFit"]').selectOption('PARTIAL');
  await form.scrollIntoViewIfNeeded();
  await shot('25a-needs-form');
  since = Date.now();
  await form.locator('button[type=submit]').click();
  await page.waitForFunction((t) => Number(document.body.dataset.mapReady ?? 0) > t, since);
  await page.locator('#person-needs', { hasText: '护士站不再重复录入' }).waitFor();
  expect(await page.locator('#person-needs-fit').innerText() === 'How well we meet them: Partial', `the fit reads: ${await page.locator('#person-needs-fit').innerText()}`);
  const NEEDS = `query($id: ID!) { node(id: $id) { ... on Opportunity { decisionChain { members { person { name } role needs needsFit } } } } }`;
  const stored = (await apiAs('li.am', NEEDS, { id: DEMO_ID })).node.decisionChain.members.find((m) => m.person.name === '杜卫国');
  expect(stored.needs === '护士站不再重复录入，移动护理平板能离线用' && stored.needsFit === 'PARTIAL' && stored.role === 'USER', JSON.stringify(stored));
  await page.waitForFunction(() => Boolean(document.querySelector('#process')?.dataset.ready));
  expect(!(await gate.innerText()).includes('Record the needs'), `the process card still asks for needs: ${await gate.innerText()}`);
  await page.locator('#person-needs').scrollIntoViewIfNeeded();
  await shot('25b-needs-recorded');
});

await check('a request sent without a word on it, asked once, tells whoever decides it that there is nothing to judge', async () => {
  await signInAs('li.am');
  await openDeal();
  await processReady();
  const needed = page.locator('#needed-approvals li.needed[data-process="3-1"]');
  await needed.locator('summary').click();
  await needed.locator('button[type=submit]').click();
  await needed.locator('.field-error[data-for="input.comment"]').waitFor();
  const since = Date.now();
  await needed.locator('button[type=submit]').click(); // asked once: sent again, it goes without
  await page.waitForFunction((t) => Number(document.getElementById('process')?.dataset.ready ?? 0) >= t, since);
  const sent = (await api(`query($id: ID!) { node(id: $id) { ... on Opportunity { approvals { id process state } } } }`, { id: DEMO_ID })).node.approvals
    .find((a) => a.process === '3-1' && a.state === 'PENDING');
  expect(sent, 'the request sent the second time was not stored');
  await signInAs('zhou.sd');
  await openDeal();
  await processReady();
  const item = page.locator(`#approvals li.approval[data-id="${sent.id}"]`);
  const note = await item.locator('p.asked-comment.empty').innerText();
  expect(note === 'Requested without a word on it: ask the requester for what it takes before deciding.', `the director reads ${note}`);
  await item.scrollIntoViewIfNeeded();
  await shot('26-request-without-a-word');
});

await check('a price tried on the map: the quote cut to the budget, the budget holder hears it; saved, it is the quote and a pricing talk on record', async () => {
  await signInAs('li.am');
  await openDeal();
  const chain = await chainNow();
  const holder = chain.find((m) => m.role === 'FINANCE') ?? chain.find((m) => m.person.id !== PRESIDENT);
  await page.click(`.person-item[data-id="${holder.person.id}"]`);
  // a fraction of a yuan is not tried: it would read rounded in every text that says it
  await page.fill('#wi-quote', '40000000.4');
  await page.click('#wi-add-quote');
  expect(await page.$eval('#wi-quote', (input) => input.validationMessage) === 'Give the quote to try as a whole amount, at least 1', 'a fractional quote is tried');
  expect(await page.locator('#wi-changes li').count() === 0, 'a fractional quote was tried');
  await page.fill('#wi-quote', '40000000');
  await page.click('#wi-add-quote');
  await page.selectOption('#wi-reaction', 'POSITIVE');
  await page.click('#wi-add-price');
  await page.waitForFunction(() => document.querySelectorAll('#wi-changes li').length === 2 && document.getElementById('wi-likelihood'));
  const [quote, heard] = await page.locator('#wi-changes li').allInnerTexts();
  expect(quote.startsWith('Our quote became ') && quote.includes('40,000,000'), `the first change reads ${quote}`);
  expect(heard.startsWith(`${holder.person.name} heard our price of CN¥40,000,000: `), `the second change reads ${heard}`);
  const move = await page.locator('#wi-likelihood').innerText();
  expect(/\(\+\d/.test(move), `the budget holder accepting our price at the budget does not raise the likelihood: ${move}`);
  // how he takes our price now, and why, read on the page: his price before and after, with its reasons
  const his = page.locator(`#wi-people li[data-id="${holder.person.id}"]`);
  const price = his.locator('details.wi-reasons[data-score="price"]');
  const [from, to] = (await price.locator('summary').innerText()).replace(/^Price acceptance: /, '').split(' → ').map(Number);
  expect(to > from, `his price acceptance in the trial reads ${from} → ${to}`);
  const why = await price.locator('ul.reasons').innerText();
  expect(why.includes('favourable reaction to our price'), `why his price moved: ${why}`);
  await page.locator('#whatif-result').scrollIntoViewIfNeeded();
  await shot('27-price-what-if');
  await page.click('#wi-save');
  // saving a new amount on a reviewed or submitted quote sends it back to draft: said before it is done
  const QUOTED = `query($id: ID!) { node(id: $id) { ... on Opportunity { quoteStatus deliveryReviewed } } }`;
  const was = (await apiAs('li.am', QUOTED, { id: DEMO_ID })).node;
  const resets = was.quoteStatus === 'SUBMITTED' || was.deliveryReviewed === true;
  expect(await page.locator('#wi-confirm-quote').count() === (resets ? 1 : 0), `the warning that the quote goes back to draft: ${JSON.stringify(was)}`);
  // he hears a price nobody reviewed yet (the new amount): said before it is recorded as told
  const unreviewed = page.locator('#wi-confirm-unreviewed');
  expect(await unreviewed.count() === 1 && (await unreviewed.innerText()).startsWith('A price heard is recorded as told to the customer'), 'no warning that an unreviewed price is recorded as told');
  await page.locator('#wi-confirm').scrollIntoViewIfNeeded();
  await shot('27b-price-what-if-save-asked');
  const since = Date.now();
  await page.click('#wi-save-confirm');
  await page.waitForFunction((t) => Number(document.body.dataset.mapReady ?? 0) >= t, since);
  const SAVED = `query($id: ID!) { node(id: $id) { ... on Opportunity { quoteAmount decisionChain { activities { type summary priceReaction persons { id } } } } } }`;
  const deal = (await apiAs('li.am', SAVED, { id: DEMO_ID })).node;
  expect(deal.quoteAmount === 4_000_000_000, `the quote saved is ${deal.quoteAmount}`);
  const talks = deal.decisionChain.activities.filter((a) => a.type === 'PRICING_DISCUSSION' && a.priceReaction === 'POSITIVE' && a.persons.some((p) => p.id === holder.person.id));
  expect(talks.length === 1, `pricing talks with ${holder.person.name} on record: ${talks.length}`);
  expect(talks[0].summary.includes('40,000,000'), `the talk on record does not say which price was heard: ${talks[0].summary}`);
});

await check('no script errors in the console', async () => {
  const unexpected = consoleErrors.filter((e) => !e.includes('401'));
  expect(unexpected.length === 0, unexpected.join('\n'));
});

await close();
