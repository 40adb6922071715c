// Drives the map page's "What changed" view in Debian's Chromium through playwright-core.
// Started by test_changes_view.py with the server's URL, a token and the ids to use; prints
// "ok - <check>" per check and exits non-zero at the first failed one (with a screenshot).
import path from 'node:path';
import { expect, openBrowser, settle } from './harness.mjs';

const { BASE_URL, TOKEN, OPP_ID, ARTIFACTS } = process.env;
const P = JSON.parse(process.env.PEOPLE);
const { page, consoleErrors, check, close, shot: picture } = await openBrowser({ artifacts: ARTIFACTS });
const shot = async (name) => {
  await picture(`${name}.png`);
  // the whole card, out of its scrolling panel
  await page.evaluate(() => { document.querySelector('.panel').style.maxHeight = 'none'; });
  await settle(page);
  await page.locator('#changes').screenshot({ path: path.join(ARTIFACTS, `${name}-panel.png`) });
  await page.evaluate(() => { document.querySelector('.panel').style.maxHeight = ''; });
};
const mapReady = (since) => page.waitForFunction((t) => Number(document.body.dataset.mapReady ?? 0) > t, since, { timeout: 30000 });
const shown = (since) => page.waitForFunction((t) => Number(document.body.dataset.changesShown ?? 0) > t, since, { timeout: 60000 });
const texts = () => page.locator('#changes-result .change').allInnerTexts();
const marks = () => page.evaluate(() => Object.fromEntries(window.dealgraphMap.nodes('.person')
  .map((n) => [n.id(), ['added', 'warmer', 'cooler', 'changed'].find((m) => n.hasClass(`changed-${m}`)) ?? null])));
const label = (id) => page.evaluate((nodeId) => window.dealgraphMap.getElementById(nodeId).data('label'), id);
/** The card writes its days as the rest of the app does (2026-11-02, never broken at a hyphen):
 * the period, each change that moved the likelihood, the chart's two ends and the stage gates'
 * choices; no day in words ("Nov 2, 2026", "2026年11月2日", "11/2/2026") anywhere in it. */
async function expectIsoDays(where) {
  const found = await page.evaluate(() => {
    const card = document.querySelector('#changes');
    const text = (e) => e?.textContent ?? '';
    return {
      period: text(card.querySelector('.changes-period')), periodDays: [...card.querySelectorAll('.changes-period .day')].map(text),
      movers: [...card.querySelectorAll('#changes-movers li')].map((li) => [text(li), li.querySelectorAll('.day').length]),
      axis: [...card.querySelectorAll('svg.trend text.axis')].map(text).filter((x) => !x.includes('%')),
      gates: [...card.querySelectorAll('#changes-from-stage option')].map(text),
      all: card.innerText,
    };
  });
  const iso = /^\d{4}-\d{2}-\d{2}$/;
  const has = /\d{4}-\d{2}-\d{2}/;
  expect(found.periodDays.length >= 1 && found.periodDays.every((d) => iso.test(d)) && found.periodDays.every((d) => found.period.includes(d)),
    `${where}: the period reads ${found.period} (days ${found.periodDays})`);
  expect(found.movers.length > 0 && found.movers.every(([text, days]) => has.test(text) && days === 1), `${where}: the movers read ${JSON.stringify(found.movers)}`);
  expect(found.axis.length === 2 && found.axis.every((d) => iso.test(d)), `${where}: the chart's ends read ${found.axis}`);
  expect(found.gates.slice(1).every((g) => has.test(g)), `${where}: the gates read ${found.gates}`);
  const worded = found.all.match(/\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]* \d|\d+\s*年\s*\d+\s*月|\d+月\d+日|\b\d{1,2}\/\d{1,2}\/\d{2,4}\b/);
  expect(!worded, `${where}: a day in words, ${worded?.[0]}`);
}

await check('the deal opens with the "What changed" card set to the last 30 days', async () => {
  await page.goto(`${BASE_URL}/app`);
  await page.evaluate((token) => { sessionStorage.setItem('dealgraph.token', token); localStorage.setItem('dealgraph.lang', 'en'); }, TOKEN);
  const since = Date.now();
  await page.goto(`${BASE_URL}/app/opportunities/${encodeURIComponent(OPP_ID)}`);
  await mapReady(since);
  const value = await page.inputValue('#changes-since');
  const days = (Date.now() - Date.parse(`${value}T00:00:00`)) / 86_400_000;
  expect(days > 29 && days < 31.5, `the default period starts ${days} days ago`);
  expect(await page.isChecked('#changes-mode-since'), 'since a date is not the default');
});

await check('since a date: every change made through the API, the questions, the likelihood and its trend', async () => {
  const since = Date.now();
  await page.click('#changes-show');
  await shown(since);
  const found = await texts();
  for (const expected of [
    "Wang Fang's attitude: skeptic → supporter",
    'Qian Jun joined the decision chain as procurement',
    'Sun Hui left the decision chain',
    "Chen (AM)'s tie with Li Wei: weak → strong",
    'Rival Cloud is now close to Zhao Lei (strong)',
    'Chen (AM) submitted the quote: CNY 1,000,000',
    'Chen (AM) changed the quote amount from CNY 1,000,000 to CNY 1,200,000: the quote went back to draft',
  ]) expect(found.some((t) => t.includes(expected)), `"${expected}" not in ${JSON.stringify(found)}`);
  expect(!found.some((t) => /chg-|[0-9a-f]{8}-|[A-Za-z0-9+/]{20,}={0,2}/.test(t)), `ids in the texts: ${found}`);
  // the stage moves of the period come first, each with its day and who moved the deal
  const move = /^\d{4}-\d{2}-\d{2} · Chen \(AM\) moved the deal from 2 Initiate opportunity to 3 Requirements analysis$/;
  expect(found.some((t) => move.test(t)), `the stage move with its day and mover missing: ${JSON.stringify(found)}`);
  // each thing once: the one move is not said again as a change of stage, nor the quote's
  // amount and status (its steps tell them) in the deal's summary
  expect(!found.some((t) => t.startsWith('Stage: ')), `the move is said twice: ${JSON.stringify(found)}`);
  expect(!found.some((t) => t.startsWith('Deal: ') && t.includes('quote')), `the quote is said twice: ${JSON.stringify(found)}`);
  const process = await page.$$eval('#changes-result [data-group="changesProcess"] li', (all) => all.map((li) => li.dataset.kind));
  expect(JSON.stringify(process) === JSON.stringify(['QUOTE_SUBMITTED', 'QUOTE_RESET', 'STAGE_MOVED']), `the process reads ${process}`);
  const groups = await page.$$eval('#changes-result .change-group', (all) => all.map((g) => g.dataset.group));
  expect(groups[0] === 'changesProcess', `the stages and process do not come first: ${groups}`);
  expect(await page.locator('#changes-questions tr').count() === 4, 'not the four questions');
  const likelihood = await page.innerText('#changes-likelihood');
  expect(/\d+\.\d % → \d+\.\d %/.test(likelihood), `no likelihood before → after: ${likelihood}`);
  // the figures add up as written: before + the change = after
  const [before, after] = likelihood.match(/[\d.]+ %/g).map((s) => Number.parseFloat(s));
  const moved = Number.parseFloat(likelihood.match(/([+−-][\d.]+) pts/)?.[1].replace('−', '-'));
  expect(Math.abs(before + moved - after) < 0.05, `does not add up: ${likelihood}`);
  expect(await page.locator('#changes-movers li').count() > 0, 'no changes that moved the likelihood');
  const chart = page.locator('#changes-result svg.trend');
  expect(await chart.count() === 1, 'no trend chart');
  expect((await chart.locator('circle').count()) >= 5, 'the chart has too few points');
  expect((await chart.locator('.gate').count()) === 1, 'the stage gate of the period is not marked');
  await expectIsoDays('since a date, in English');
});

await check('the changed people are marked on the map', async () => {
  const found = await marks();
  expect(found[P.qian] === 'added', `Qian: ${found[P.qian]}`);
  expect(found[P.wang] === 'warmer', `Wang: ${found[P.wang]}`);
  expect(found[P.li] === 'warmer', `Li: ${found[P.li]}`);
  expect(found[P.zhao] === 'cooler', `Zhao: ${found[P.zhao]}`);
  expect((await label(P.qian)).startsWith('+ new\n'), `Qian's label: ${await label(P.qian)}`);
  expect((await label(P.zhao)).startsWith('▼ cooled\n'), `Zhao's label: ${await label(P.zhao)}`);
  await shot('01-since-en');
});

await check('between two stage gates: what happened between them only', async () => {
  await page.check('#changes-mode-stages');
  await page.selectOption('#changes-from-stage', 'INITIATE');
  await page.selectOption('#changes-to-stage', 'REQUIREMENTS');
  const since = Date.now();
  await page.click('#changes-show');
  await shown(since);
  const found = await texts();
  expect(found.some((t) => t.includes('Zhao Lei joined the decision chain as user')), `Zhao's joining missing: ${found}`);
  expect(!found.some((t) => t.includes('Qian Jun')), 'a later change shows between the gates');
  expect((await page.innerText('.changes-period')).startsWith('2 Initiate opportunity → 3 Requirements analysis'), 'the period is not named by its gates');
  await expectIsoDays('between gates, in English');
  const found2 = await marks();
  expect(found2[P.zhao] === 'added' && !found2[P.qian], `marks between the gates: ${JSON.stringify(found2)}`);
  await shot('02-gates-en');
});

await check('gates out of order are refused in words, naming the stages', async () => {
  await page.selectOption('#changes-from-stage', 'REQUIREMENTS');
  await page.selectOption('#changes-to-stage', 'INITIATE');
  const since = Date.now();
  await page.click('#changes-show');
  await shown(since);
  const error = await page.innerText('#changes-error');
  expect(error.includes('entered 2 Initiate opportunity before 3 Requirements analysis'), error);
  expect(Object.values(await marks()).every((m) => m === null), 'marks left after a refusal');
});

await check('in Chinese: the same view, texts and refusals in Chinese', async () => {
  await page.selectOption('#changes-from-stage', 'INITIATE');
  await page.selectOption('#changes-to-stage', 'REQUIREMENTS');
  await page.check('#changes-mode-since');
  let since = Date.now();
  await page.click('#changes-show');
  await shown(since);
  since = Date.now();
  await page.selectOption('#language', 'zh-CN');
  await shown(since); // the period asked is kept and asked again in the new language
  expect((await page.innerText('#changes-title')) === '有何变化', 'the card is not in Chinese');
  const found = await texts();
  expect(found.some((t) => t.includes('Qian Jun加入决策链')), `not in Chinese: ${found}`);
  expect(found.some((t) => t.includes('Wang Fang的态度')), `not in Chinese: ${found}`);
  expect(found.some((t) => /^\d{4}-\d{2}-\d{2} · Chen \(AM\)将商机从2 商机立项移至3 需求分析$/.test(t)), `the stage move not in Chinese: ${found}`);
  expect(found.some((t) => t.endsWith('Chen (AM)将报价金额从100万元改为120万元：报价退回草稿')), `the quote reset not in Chinese: ${found}`);
  expect((await label(P.qian)).startsWith('+ 新加入\n'), `Qian's label: ${await label(P.qian)}`);
  const likelihood = await page.innerText('#changes-likelihood');
  const movers = await page.$$eval('#changes-movers li', (items) => items.map((li) => li.textContent));
  const ascii = [likelihood, ...movers].filter((text) => /;|: /.test(text)); // names may hold any
  expect(ascii.length === 0, `ASCII punctuation in Chinese: ${ascii}`);
  await expectIsoDays('since a date, in Chinese');
  await shot('03-since-zh');
  await page.check('#changes-mode-stages');
  await page.selectOption('#changes-from-stage', 'REQUIREMENTS');
  await page.selectOption('#changes-to-stage', 'INITIATE');
  since = Date.now();
  await page.click('#changes-show');
  await shown(since);
  const error = await page.innerText('#changes-error');
  expect(error.includes('该商机进入2 商机立项阶段早于3 需求分析阶段'), error);
  await page.selectOption('#changes-from-stage', 'INITIATE');
  await page.selectOption('#changes-to-stage', 'REQUIREMENTS');
  since = Date.now();
  await page.click('#changes-show');
  await shown(since);
  await expectIsoDays('between gates, in Chinese');
  expect(/^2 商机立项 → 3 需求分析（\d{4}-\d{2}-\d{2} – \d{4}-\d{2}-\d{2}）$/.test(await page.innerText('.changes-period')), `the period reads ${await page.innerText('.changes-period')}`);
  await shot('04-gates-zh');
});

await check('no script errors in the console', async () => {
  expect(consoleErrors.length === 0, consoleErrors.join('\n'));
});

await close();
