// The map page as the people who use it see it, each with their own login: the deal's account
// manager, a viewer on the deal's team, an account manager linked to nobody, and a login whose
// token is revoked mid-session. Started by test_roles_page.py; prints "ok - <check>" per check
// and exits non-zero at the first failed one (with a screenshot).
import { expect, openBrowser, settle } from './harness.mjs';

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
async function api(query, variables = {}) {
  return page.evaluate(async ([q, v]) => {
    const response = await fetch('/graphql', { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${sessionStorage.getItem('dealgraph.token')}` }, body: JSON.stringify({ query: q, variables: v }) });
    const body = await response.json();
    if (body.errors) throw new Error(JSON.stringify(body.errors));
    return body.data;
  }, [query, variables]);
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
  const before = await suggestionKeys();
  const first = page.locator('#suggestions .suggestion').first();
  const title = await first.locator('strong').innerText();
  const since = Date.now();
  await first.locator('.accept').click();
  await page.waitForFunction((t) => Number(document.body.dataset.mapReady ?? 0) >= t, since);
  const banner = page.locator('#notice .banner.ok');
  await banner.waitFor();
  expect((await banner.innerText()).startsWith('Added to the work plan.'), `notice: ${await banner.innerText()}`);
  const after = await suggestionKeys();
  expect(!after.includes(before[0]), `the accepted suggestion is still offered: ${before[0]}`);
  const plan = await page.locator('#work-plan').innerText();
  expect(plan.includes(title.split(' — ')[0]), `the work plan lacks ${title}`);
  await shot('02-accepted', true);
  await banner.waitFor({ state: 'detached', timeout: 10000 }); // a confirmation does not linger
});

await check('my work lists the next steps across deals, soonest due first, and records a result', async () => {
  await page.click('#nav-work');
  await page.locator('main h1', { hasText: 'My work' }).waitFor();
  await page.locator('#only-mine').waitFor();
  // 李明轩 owns none of the open items: his own list says so, the whole team's has them all
  expect(await page.locator('#no-work').count() === 1, 'his own list is not empty');
  const empty = await page.locator('#no-work').innerText();
  expect(/^None of the open work plan items is yours; \d+ on your deals are owned by others/.test(empty), `his empty list says ${empty}`);
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
  await page.click('.record-form button[type=submit]');
  expect(await form.locator('[data-field="input.outcome"]').evaluate((e) => e.validity.valueMissing), 'saved without saying how it went');
  expect(await page.locator(`#work tr.work-item[data-id="${rows[0].id}"]`).count() === 1, 'recorded without an outcome');
  await form.locator('[data-field="input.outcome"]').selectOption('POSITIVE');
  await form.locator('[data-field="input.priceReaction"]').selectOption('NEUTRAL');
  await page.click('.record-form button[type=submit]');
  await page.locator('#notice .banner.ok').waitFor();
  expect(await page.locator(`#work tr.work-item[data-id="${rows[0].id}"]`).count() === 0, 'the recorded item is still listed as open');
  const done = await api(`query($id: ID!) { node(id: $id) { ... on WorkPlanItem { status resultActivity { summary type outcome solutionReaction priceReaction } } } }`, { id: rows[0].id });
  const result = done.node.resultActivity;
  expect(done.node.status === 'DONE' && result?.summary.startsWith('Report handed over') && result.type === play
    && result.outcome === 'POSITIVE' && result.priceReaction === 'NEUTRAL' && result.solutionReaction === null, `stored ${JSON.stringify(done.node)}`);
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

await check('a what-if survives a language switch with its result', async () => {
  await page.click(`.person-item[data-id="${PRESIDENT}"]`);
  await page.selectOption('#wi-attitude', 'CHAMPION');
  await page.click('#wi-add-attitude');
  await page.locator('#wi-likelihood').waitFor();
  const since = Date.now();
  await page.selectOption('#language', 'zh-CN');
  await page.waitForFunction((t) => Number(document.body.dataset.mapReady ?? 0) >= t, since);
  const line = page.locator('#wi-likelihood');
  await line.waitFor();
  expect((await line.innerText()).includes('赢单概率'), `what-if after the switch: ${await line.innerText()}`);
  expect(/个百分点/.test(await line.innerText()), 'the change has no unit');
  await shot('04-what-if-zh');
  await page.click('#wi-clear');
  await page.selectOption('#language', 'en');
});

await check('a viewer reads the deal without edit controls, and is told why', async () => {
  await signInAs('viewer');
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
  await page.evaluate(() => sessionStorage.setItem('dealgraph.token', 'dg_revoked'));
  await page.goto(`${BASE_URL}/app/opportunities/${encodeURIComponent(DEMO_ID)}`);
  await page.locator('#sign-in').waitFor();
  const alert = await page.locator('#sign-in .field-error').innerText();
  expect(alert.includes('session has ended'), `sign-in says ${alert}`);
  await shot('08-session-ended');
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
  await shot('11-phone-pipeline', true);
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
  await shot('12-phone-work', true);
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

await check('no script errors in the console', async () => {
  const unexpected = consoleErrors.filter((e) => !e.includes('401'));
  expect(unexpected.length === 0, unexpected.join('\n'));
});

await close();
