// A deal lost, as its account manager marks it and the team then meets it: before the loss the
// deal is live (open items in the work list, a what-if to try, a draft quote to submit); he marks
// it lost to the cloud rival in the Move card with his own login, and then nothing reads as live
// any more: no status, flags, likelihood or what-if on the deal page, no quote to submit, a deal
// sheet that prints the outcome and the day it closed, and no item of it left to do in My work.
// Started by test_closed_deal_page.py; prints "ok - <check>" per check and exits non-zero at the
// first failed one (with a screenshot).
import { expect, openBrowser, pageApi, signIn } from './harness.mjs';

const { BASE_URL, DEMO_ID, ARTIFACTS, PERSON } = process.env;
const TOKENS = JSON.parse(process.env.TOKENS); // login -> token
const { context, page, consoleErrors, check, close, shot: picture } = await openBrowser({
  artifacts: ARTIFACTS, failureShot: 'closed-failure.png', viewport: { width: 1280, height: 900 },
});
await context.addInitScript(() => { window.print = () => { window.printed = (window.printed ?? 0) + 1; }; });
const shot = (name, fullPage = false) => picture(`closed-${name}.png`, { fullPage });

const RIVAL = '云岫科技';
const REASON = 'The hospital chose the cheaper cloud bid';
const signInAs = (login, lang = 'en') => signIn(page, BASE_URL, TOKENS[login], lang);
const api = (query, variables) => pageApi(page, query, variables);
async function openDeal() {
  const since = Date.now();
  await page.goto(`${BASE_URL}/app/opportunities/${encodeURIComponent(DEMO_ID)}`);
  await page.waitForFunction((t) => Number(document.body.dataset.mapReady ?? 0) >= t, since);
  await page.waitForFunction(() => Boolean(document.querySelector('#process')?.dataset.ready));
}
/** The rows of everyone's open items in My work that belong to the demo deal. */
async function workRows() {
  await page.goto(`${BASE_URL}/app/work?owner=everyone`);
  await page.locator('#work-summary').waitFor();
  return page.$$eval('#work tr.work-item', (trs, id) => trs.filter((tr) => tr.querySelector('.deal a')?.getAttribute('href')?.endsWith(encodeURIComponent(id)))
    .map((tr) => tr.dataset.id), DEMO_ID);
}
const ITEMS = `query($f: WorkPlanItemFilter) { workPlanItems(filter: $f, first: 50) { nodes { id status } } }`;
const opened = {};

await check('while the deal is open, My work lists its open items', async () => {
  await signInAs('li.am');
  opened.rows = await workRows();
  const open = (await api(ITEMS, { f: { opportunityId: DEMO_ID, statuses: ['OPEN'] } })).workPlanItems.nodes.map((n) => n.id);
  expect(open.length >= 2, `the demo deal has ${open.length} open items`);
  expect(JSON.stringify([...opened.rows].sort()) === JSON.stringify([...open].sort()), `My work lists ${opened.rows}, the API ${open}`);
  opened.items = open;
  await shot('01-work-before', true);
});

await check('while it is open, the deal page offers a what-if and its draft quote to submit', async () => {
  await openDeal();
  expect(await page.locator('#map-status').count() === 1, 'an open deal shows no status');
  expect((await page.locator('p.meta').innerText()).includes('Win likelihood'), 'an open deal shows no likelihood');
  expect(await page.locator('#submit-quote').count() === 1, 'the account manager is not offered the draft quote to submit');
  await page.click(`.person-item[data-id="${PERSON}"]`);
  await page.locator('.card.whatif').waitFor();
  // a what-if under way when the deal is lost: the page drops it, nothing left to try
  await page.selectOption('#wi-attitude', 'CHAMPION');
  await page.click('#wi-add-attitude');
  await page.locator('#wi-likelihood').waitFor();
});

await check('the account manager marks it lost to the cloud rival in the Move card, saying why', async () => {
  const card = page.locator('#move-deal-card');
  await card.locator('summary').click();
  await card.locator('[data-field="input.toStage"]').selectOption('LOST');
  await card.locator('[data-field="input.lostToCompetitorId"]').selectOption({ label: RIVAL });
  await card.locator('[data-field="input.reason"]').fill(REASON);
  const since = Date.now();
  await card.locator('button[type=submit]').click();
  await page.waitForFunction((t) => Number(document.body.dataset.mapReady ?? 0) >= t, since);
  await page.locator('#notice .banner.ok').waitFor();
  await page.waitForFunction(() => Boolean(document.querySelector('#process')?.dataset.ready));
  const why = await page.locator('#stage-why').innerText();
  expect(why.startsWith(`Lost to ${RIVAL}: ${REASON}`), `the process card says ${why}`);
  await shot('02-lost', true);
});

await check('lost, the deal page reads as decided: no status, flags, likelihood, what-if or quote to submit', async () => {
  await openDeal();
  const meta = await page.locator('p.meta').innerText();
  expect(meta.includes('Lost') && !meta.includes('likelihood'), `the heading reads ${meta}`);
  expect(await page.locator('#map-status').count() === 0, 'a lost deal shows a status');
  const asDecided = await page.locator('#questions-as-decided').innerText();
  expect(asDecided === 'The four questions as they stood when the deal was decided.', `the questions are introduced as ${asDecided}`);
  expect(await page.locator('#status-reasons, #watch-flags').count() === 0, 'a lost deal shows flags');
  expect(await page.locator('#submit-quote').count() === 0, 'a quote is offered to submit on a lost deal');
  expect(await page.locator('#suggestions .suggestion').count() === 0, 'a lost deal suggests plays');
  expect(await page.locator('#wi-likelihood').count() === 0, 'the what-if tried before the loss is still shown');
  expect(await page.locator('.banner.error').count() === 0, `an error is shown: ${await page.locator('.banner.error').allInnerTexts()}`);
  await page.click(`.person-item[data-id="${PERSON}"]`);
  await page.locator('#person-panel h3').first().waitFor();
  expect(await page.locator('.card.whatif').count() === 0, 'a lost deal offers a what-if');
  const panel = await page.locator('#person-panel').innerText();
  expect(!panel.includes('Red flags about') && !panel.includes('Suggested actions'), 'the person panel still lists flags and actions of a lost deal');
  await shot('03-deal-page', true);
});

await check('its deal sheet prints the outcome and the day it closed, not a likelihood, flags or plays', async () => {
  await page.click('#deal-sheet');
  expect(await page.evaluate(() => window.printed) === 1, 'print not called');
  await page.emulateMedia({ media: 'print' });
  await shot('04-deal-sheet');
  const sheet = await page.locator('#sheet').innerText();
  await page.emulateMedia({ media: 'screen' });
  const now = new Date();
  const today = new Date(now.getTime() - now.getTimezoneOffset() * 60000).toISOString().slice(0, 10);
  expect((await page.locator('#sheet-outcome').innerText()) === `Lost to ${RIVAL}: ${REASON}`, `the outcome reads ${await page.locator('#sheet-outcome').innerText()}`);
  expect(sheet.includes(`Closed on: ${today}`), `the sheet has no close day: ${sheet.slice(0, 300)}`);
  for (const gone of ['Win likelihood', 'Red flags', 'Expected close', 'Top suggestions', 'null']) expect(!sheet.includes(gone), `the sheet still prints "${gone}"`);
  expect(/Can we win\? \d+\/100/.test(sheet), 'the sheet lost the questions as they stood');
});

await check('the loss cancelled its open items: My work no longer lists them, the API reads them cancelled', async () => {
  const rows = await workRows();
  expect(rows.length === 0, `My work still lists ${rows.length} items of the lost deal`);
  const all = (await api(ITEMS, { f: { opportunityId: DEMO_ID } })).workPlanItems.nodes;
  const cancelled = all.filter((n) => opened.items.includes(n.id)).map((n) => n.status);
  expect(cancelled.length === opened.items.length && cancelled.every((s) => s === 'CANCELLED'), `the items read ${cancelled}`);
  await shot('05-work-after', true);
});

await check('in Chinese, the deal sheet says to whom it was lost and when', async () => {
  await signInAs('li.am', 'zh-CN');
  await openDeal();
  await page.click('#deal-sheet');
  const outcome = await page.locator('#sheet-outcome').innerText();
  expect(outcome === `丢单给${RIVAL}：${REASON}`, `the outcome reads ${outcome}`);
  const sheet = await page.locator('#sheet').innerText();
  expect(sheet.includes('结束日期') && !sheet.includes('赢单概率'), `the sheet reads ${sheet.slice(0, 300)}`);
  await page.emulateMedia({ media: 'print' });
  await shot('06-deal-sheet-zh');
  await page.emulateMedia({ media: 'screen' });
  expect(consoleErrors.length === 0, `console errors: ${consoleErrors.join(' | ')}`);
});

await check('its details are read as decided: only the notes are still written, and they save', async () => {
  await signInAs('li.am');
  await openDeal();
  await page.click('#deal-details summary');
  const card = page.locator('#deal-details');
  await card.locator('#deal-form').waitFor();
  const text = await card.innerText();
  expect(text.includes('The deal is decided: its record stays as it was decided.'), `the card reads ${text.slice(0, 300)}`);
  expect(await card.locator('input').count() === 0, 'the amounts and dates of a lost deal are still offered to change');
  expect(await card.locator('#review-form, .review-form').count() === 0, 'a delivery review is offered on a lost deal');
  await card.scrollIntoViewIfNeeded();
  await shot('07-details-decided');
  await card.locator('textarea').fill('Lost on price: the cloud bid was 30 % cheaper over five years');
  await card.locator('#deal-form button[type=submit]').click();
  await page.locator('#notice .banner.ok').waitFor();
  const saved = (await api(`query($id: ID!) { node(id: $id) { ... on Opportunity { description stage } } }`, { id: DEMO_ID })).node;
  expect(saved.description === 'Lost on price: the cloud bid was 30 % cheaper over five years' && saved.stage === 'LOST', `the deal reads ${JSON.stringify(saved)}`);
  expect(consoleErrors.length === 0, `console errors: ${consoleErrors.join(' | ')}`);
});

await close();
