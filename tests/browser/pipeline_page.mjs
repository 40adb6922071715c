// The pipeline as a sales director reads it (his own login): who runs each deal and its status,
// slipped deals, filters and sorts kept in the URL, figures inside their columns, one order of
// currencies, a closed deal's closing day, the requests a load takes, Chinese and a phone.
// Started by test_pipeline_page.py; prints "ok - <check>" per check and stops at the first failure.
import { expect, openBrowser } from './harness.mjs';

const { BASE_URL, TOKEN, WANG, CHEN, ZHOU, HAIZHOU, WON_ON, ARTIFACTS } = process.env;
const DEALS = JSON.parse(process.env.DEALS); // global id -> store id
const { page, consoleErrors, check, close, shot: picture } = await openBrowser({
  artifacts: ARTIFACTS, failureShot: 'pipeline-failure.png', viewport: { width: 1366, height: 900 }, timezoneId: 'UTC',
});
const shot = (name, fullPage = false) => picture(`pipeline-${name}.png`, { fullPage });
const rowOf = (key) => page.locator('tr.deal', { has: page.locator(`a[href="/app/opportunities/${encodeURIComponent(Object.keys(DEALS).find((id) => DEALS[id] === key))}"]`) });
const shownDeals = () => page.$$eval('tr.deal td.name a', (links) => links.map((a) => decodeURIComponent(a.getAttribute('href').split('/').pop())));
const shownKeys = async () => (await shownDeals()).map((id) => DEALS[id]).sort();
const today = new Date().toISOString().slice(0, 10);
let requests = [];
page.on('request', (r) => { if (r.url().endsWith('/graphql')) requests.push(r.postData() ?? ''); });
let deals = [];

async function api(query) {
  return page.evaluate(async (q) => {
    const response = await fetch('/graphql', { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${sessionStorage.getItem('dealgraph.token')}` }, body: JSON.stringify({ query: q }) });
    return (await response.json()).data;
  }, query);
}
const CLOSED = ['WON', 'LOST', 'ABANDONED'];
/** The colour of the status the API gives a deal (``health``): the app works out none itself. */
const colour = (d) => ({ NOT_ASSESSED: 'grey', ON_TRACK: 'green', NEEDS_ATTENTION: 'amber', AT_RISK: 'red' }[d.health.status]);
const slipped = (d) => !CLOSED.includes(d.stage) && d.expectedCloseDate < today;
const atRisk = (d) => !CLOSED.includes(d.stage) && d.health.status === 'AT_RISK';

await check('the director signs in: every deal says who runs it and, while open, its status', async () => {
  await page.goto(`${BASE_URL}/app`);
  await page.evaluate(() => { sessionStorage.clear(); localStorage.setItem('dealgraph.lang', 'en'); });
  await page.goto(`${BASE_URL}/app`);
  await page.fill('#token', TOKEN);
  await page.click('#sign-in button[type=submit]');
  await page.locator('tr.deal').first().waitFor();
  deals = (await api(`{ opportunities(first: 100) { nodes { id stage expectedCloseDate team { member { name } role }
    health { status reasons { text } } } } }`)).opportunities.nodes;
  expect(deals.length === Object.keys(DEALS).length, `the director sees ${deals.length} deals`);
  expect((await shownDeals()).length === deals.length, 'the pipeline does not list every deal');
  const head = await page.locator('table.pipeline').first().locator('th').allInnerTexts();
  expect(head.some((h) => h.includes('Account manager')) && head.some((h) => h.includes('Status')), `columns: ${head}`);
  for (const d of deals) {
    const row = rowOf(DEALS[d.id]);
    const owner = d.team.filter((a) => a.role === 'ACCOUNT_MANAGER').map((a) => a.member.name).join(', ');
    expect(await row.locator('td.owner').innerText() === owner, `${DEALS[d.id]}: owner ${await row.locator('td.owner').innerText()}, wanted ${owner}`);
    const pill = row.locator('td.status-cell .status');
    if (CLOSED.includes(d.stage)) expect(await pill.count() === 0, `${DEALS[d.id]} is closed and shows a status`);
    else {
      expect(await pill.getAttribute('class') === `status pill ${colour(d)}`, `${DEALS[d.id]}: status ${await pill.getAttribute('class')}, wanted ${colour(d)}`);
      const why = d.health.reasons.map((r) => r.text).join('; ');
      expect(await pill.getAttribute('title') === why, `${DEALS[d.id]}: the pill says ${await pill.getAttribute('title')}, the API ${why}`);
    }
  }
});

await check('a deal not on track says why under its name: its worst reason, and how many more', async () => {
  for (const d of deals) {
    const under = rowOf(DEALS[d.id]).locator('td.name .deal-why');
    if (CLOSED.includes(d.stage) || d.health.status === 'ON_TRACK') {
      expect(await under.count() === 0, `${DEALS[d.id]} (${d.health?.status ?? 'closed'}) shows a why`);
      continue;
    }
    const [worst, ...rest] = d.health.reasons;
    const text = await under.innerText();
    const wanted = rest.length ? `${worst.text} (+${rest.length} more reasons)` : worst.text;
    expect(text === wanted, `${DEALS[d.id]}: under its name ${text}, wanted ${wanted}`);
    expect((await under.getAttribute('class')) === `deal-why ${colour(d)}`, `${DEALS[d.id]}: why drawn ${await under.getAttribute('class')}`);
  }
  const pushed = await rowOf('pl-cny').locator('.deal-why').getAttribute('title');
  expect(pushed.includes('Expected close moved out 3 times, from '), `the deal pushed out three times says ${pushed}`);
  // the more reasons open under it at a tap (a tooltip reaches no tablet nor projector)
  const many = deals.find((d) => !CLOSED.includes(d.stage) && d.health.status !== 'ON_TRACK' && d.health.reasons.length > 1);
  const more = rowOf(DEALS[many.id]).locator('.deal-why button.more');
  const others = rowOf(DEALS[many.id]).locator('ul.deal-why-more');
  expect(!(await others.isVisible()) && await more.getAttribute('aria-expanded') === 'false', 'the more reasons show before they are asked for');
  await more.click();
  const listed = await others.locator('li').allInnerTexts();
  expect(JSON.stringify(listed) === JSON.stringify(many.health.reasons.slice(1).map((r) => r.text)) && await more.getAttribute('aria-expanded') === 'true', `the more reasons read ${JSON.stringify(listed)}`);
  await rowOf(DEALS[many.id]).scrollIntoViewIfNeeded();
  await shot('01c-why-more');
  await more.click();
  expect(!(await others.isVisible()), 'the more reasons stay open when closed');
  await rowOf('pl-cny').scrollIntoViewIfNeeded();
  await shot('01b-why');
});

await check('a slipped deal is marked at its date and counted; the others are not', async () => {
  for (const d of deals) {
    const close = rowOf(DEALS[d.id]).locator('td.close');
    const marked = (await close.getAttribute('class')).includes('slipped');
    expect(marked === slipped(d), `${DEALS[d.id]}: marked slipped ${marked}, close ${d.expectedCloseDate}`);
  }
  expect((await rowOf('pl-slip').locator('td.close').innerText()).includes('slipped'), 'the slipped deal does not say so');
  const counts = await page.locator('#pipeline-sums').innerText();
  expect(counts.includes(`${deals.filter(slipped).length} slipped`) && counts.includes(`${deals.filter(atRisk).length} at risk`), `sums say ${counts}`);
});

await check('at 1366 px every figure stays inside its column', async () => {
  const spill = await page.$$eval('table.pipeline td', (tds) => tds.filter((td) => td.scrollWidth > td.clientWidth + 1).map((td) => td.textContent));
  expect(spill.length === 0, `figures run into the next column: ${spill.join(' | ')}`);
  // the longest status, shown in a status cell, stays inside it
  const over = await page.$eval('td.status-cell', (td) => {
    const probe = Object.assign(document.createElement('span'), { className: 'status pill amber', textContent: 'Needs attention' });
    td.prepend(probe);
    const by = probe.getBoundingClientRect().right - td.getBoundingClientRect().right;
    probe.remove();
    return by;
  });
  expect(over <= 0, `"Needs attention" runs ${over} px into the next column`);
  expect((await rowOf('pl-usd').locator('td.amount').innerText()) === 'US$1,234,567,890', `the dollar deal reads ${await rowOf('pl-usd').locator('td.amount').innerText()}`);
  await shot('01-desktop', true);
});

await check('sums list the main currency first on every line, and say US$', async () => {
  const lines = [await page.locator('#pipeline-sums').innerText(), ...await page.locator('.stage-sums').allInnerTexts()];
  const both = lines.filter((l) => l.includes('CN¥') && l.includes('US$'));
  expect(both.length >= 2, `no line with both currencies: ${lines.join(' / ')}`);
  for (const line of both) for (const part of line.split('·')) {
    if (part.includes('US$')) expect(part.indexOf('CN¥') >= 0 && part.indexOf('CN¥') < part.indexOf('US$'), `currencies out of order: ${part}`);
  }
  expect(!lines.join(' ').match(/(^|[^S])\$/), `a bare $ in ${lines.join(' / ')}`);
});

await check('a won deal shows the day it closed, not its expected close', async () => {
  const won = page.locator('section.stage', { has: rowOf('pl-won') });
  expect((await won.locator('th.c-close').innerText()).includes('Closed on'), 'the closed stage does not say its dates are closing days');
  expect(await rowOf('pl-won').locator('td.close').innerText() === WON_ON, `won deal shows ${await rowOf('pl-won').locator('td.close').innerText()}, closed ${WON_ON}`);
});

await check('filters by account manager, customer, stage and risk narrow the list and live in the URL', async () => {
  requests = [];
  await page.selectOption('#filter-owner', WANG);
  expect((await shownKeys()).join() === 'pl-hrp,pl-usd', `Wang's deals: ${await shownKeys()}`);
  expect(new URL(page.url()).searchParams.get('owner') === WANG, `URL ${page.url()}`);
  await page.selectOption('#filter-owner', '');
  await page.selectOption('#filter-customer', HAIZHOU);
  await page.selectOption('#filter-stage', 'PROPOSAL');
  expect((await shownKeys()).join() === 'pl-cny', `Haizhou's proposals: ${await shownKeys()}`);
  await page.click('#filter-clear');
  await page.check('#filter-risk');
  const risky = deals.filter(atRisk).map((d) => DEALS[d.id]).sort();
  expect((await shownKeys()).join() === risky.join(), `at risk shows ${await shownKeys()}, wanted ${risky}`);
  expect(requests.length === 0, `filtering asked the API ${requests.length} times`);
  // the link shares the view: opened afresh it shows the same deals
  await page.selectOption('#filter-owner', CHEN);
  const url = page.url();
  await page.goto(url);
  await page.locator('#pipeline-sums').waitFor();
  expect(await page.locator('#filter-risk').isChecked() && await page.locator('#filter-owner').inputValue() === CHEN, 'the link lost its filters');
  const wanted = deals.filter((d) => atRisk(d) && d.team.some((a) => a.member.name === '陈静怡')).map((d) => DEALS[d.id]).sort();
  expect((await shownKeys()).join() === wanted.join(), `the link shows ${await shownKeys()}, wanted ${wanted}`);
  await shot('02-filtered');
});

await check('the account manager filter offers who runs the deals, with their counts; a link naming someone with none keeps its filter', async () => {
  await page.click('#filter-clear');
  const runs = new Map();
  for (const d of deals) for (const a of d.team.filter((x) => x.role === 'ACCOUNT_MANAGER')) runs.set(a.member.name, (runs.get(a.member.name) ?? 0) + 1);
  const offered = await page.locator('#filter-owner option').allInnerTexts();
  const wanted = [...runs].map(([name, n]) => `${name} (${n})`).sort();
  expect(offered[0] === 'All' && JSON.stringify(offered.slice(1).sort()) === JSON.stringify(wanted), `offered ${offered}, wanted ${wanted}`);
  await page.goto(`${BASE_URL}/app?owner=${encodeURIComponent(ZHOU)}`);
  await page.locator('#pipeline-sums').waitFor();
  expect(await page.locator('#filter-owner').inputValue() === ZHOU, `the link's filter is gone: ${await page.locator('#filter-owner').inputValue()}`);
  expect(await page.locator('#filter-owner option:checked').innerText() === '周志强 (0)', `the filter reads ${await page.locator('#filter-owner option:checked').innerText()}`);
  expect(await page.locator('#no-matching-deals').count() === 1 && (await shownDeals()).length === 0, 'deals of others are listed');
  expect(new URL(page.url()).searchParams.get('owner') === ZHOU, `the URL is ${page.url()}`);
  await shot('02b-owner-with-none');
});

await check('the pipeline loads with one request for its deals, and two more for who and what words', async () => {
  await page.click('#filter-clear');
  requests = [];
  await page.goto(`${BASE_URL}/app`);
  await page.locator('tr.deal').first().waitFor();
  await page.waitForLoadState('networkidle');
  const pipeline = requests.filter((q) => q.includes('Pipeline'));
  expect(pipeline.length === 1 && requests.length <= 3, `a load asked ${requests.length} times: ${requests.map((q) => q.slice(0, 40)).join(' | ')}`);
});

await check('sorting by amount orders each stage, largest first per currency, and stays in the URL', async () => {
  await page.click('th.c-amount button.sort >> nth=0');
  expect(new URL(page.url()).searchParams.get('sort') === 'amount', `URL ${page.url()}`);
  const proposal = page.locator('section.stage', { has: rowOf('pl-usd') });
  const names = await proposal.locator('td.name a').allInnerTexts();
  expect(names[0] === '智慧病房项目（二期）', `the main currency's deals first: ${names}`);
  expect(await page.locator('th.c-amount').first().getAttribute('aria-sort') === 'descending', 'the sorted column does not say so');
  await page.selectOption('#filter-sort', 'likelihood');
  expect(new URL(page.url()).searchParams.get('sort') === 'likelihood', `URL ${page.url()}`);
});

await check('the sorted column clicked again turns the order round, says so by arrow and in words, and the URL keeps it', async () => {
  const proposal = page.locator('section.stage', { has: rowOf('pl-usd') });
  const close = proposal.locator('th.c-close');
  const order = () => proposal.locator('td.name a').allInnerTexts();
  const query = () => Object.fromEntries(new URL(page.url()).searchParams);
  await close.locator('button.sort').click();
  expect(JSON.stringify(await order()) === JSON.stringify(['Cloud PACS rollout', '智慧病房项目（二期）']), `soonest first: ${await order()}`);
  expect(await close.getAttribute('aria-sort') === 'ascending' && (await close.innerText()).includes('▲'), 'the close column does not show it runs soonest first');
  await close.locator('button.sort').click();
  expect(JSON.stringify(await order()) === JSON.stringify(['智慧病房项目（二期）', 'Cloud PACS rollout']), `latest first: ${await order()}`);
  expect(query().dir === 'desc' && !query().sort, `the URL is ${page.url()}`);
  expect(await close.getAttribute('aria-sort') === 'descending' && (await close.innerText()).includes('▼'), 'the close column does not show it runs latest first');
  expect(await close.locator('button.sort').getAttribute('aria-label') === 'Expected close: latest first', `the button is named ${await close.locator('button.sort').getAttribute('aria-label')}`);
  expect(await close.locator('button.sort').evaluate((b) => b === document.activeElement), 'the sort button lost the focus');
  expect(await page.locator('#filter-sort option:checked').innerText() === 'Expected close, latest first', `the sort picker says ${await page.locator('#filter-sort option:checked').innerText()}`);
  await shot('02a-sorted-latest-first');
  await page.goto(page.url()); // the link shares the order
  await page.locator('#pipeline-sums').waitFor();
  expect(JSON.stringify(await order()) === JSON.stringify(['智慧病房项目（二期）', 'Cloud PACS rollout']), `the link shows ${await order()}`);
  const amount = proposal.locator('th.c-amount');
  await amount.locator('button.sort').click();
  expect(query().sort === 'amount' && !query().dir && await amount.getAttribute('aria-sort') === 'descending', `another column starts in its own direction: ${page.url()}`);
  await amount.locator('button.sort').click();
  expect(query().sort === 'amount' && query().dir === 'asc' && await amount.getAttribute('aria-sort') === 'ascending', `amount turned round: ${page.url()}`);
  expect((await order())[0] === '智慧病房项目（二期）', `the main currency's deals stay first: ${await order()}`);
  await page.selectOption('#filter-sort', 'likelihood');
  expect(query().sort === 'likelihood' && !query().dir, `the picker keeps the direction of another sort: ${page.url()}`);
});

await check('in Chinese the pipeline keeps its view and says slipped and at risk in Chinese', async () => {
  await page.selectOption('#language', 'zh-CN');
  await page.waitForFunction(() => document.getElementById('pipeline-sums')?.textContent.includes('商机'));
  expect(new URL(page.url()).searchParams.get('sort') === 'likelihood', `the switch lost the view: ${page.url()}`);
  const sums = await page.locator('#pipeline-sums').innerText();
  expect(sums.includes('已延误') && sums.includes('有风险'), `sums say ${sums}`);
  expect((await rowOf('pl-slip').locator('td.close').innerText()).includes('已延误'), 'the slipped deal is not marked in Chinese');
  // a slipped deal and an overdue step are told apart, and the close date has one name
  expect(!sums.includes('已逾期') && (await page.locator('table.pipeline th.c-close').first().innerText()).includes('预计签约'), 'the Chinese words mix');
  const why = await rowOf('pl-cny').locator('.deal-why').innerText();
  expect(/[^ ]（另有 \d+ 条）$/.test(why) && (await rowOf('pl-cny').locator('.deal-why').getAttribute('title')).includes('预计签约日期已推迟3次'), `the pushed deal's why in Chinese: ${why}`);
  expect(sums.indexOf('¥') < sums.indexOf('US$'), `currencies out of order: ${sums}`);
  await shot('03-zh', true);
});

await check('on a phone the deals are cards, the stages one tap away, nothing wider than the screen', async () => {
  await page.setViewportSize({ width: 390, height: 844 });
  // the filters fold behind a button that says how many are on; a tap opens them
  await page.goto(`${BASE_URL}/app?risk=1`); // a link with a filter on
  await page.locator('table.pipeline tr.deal').first().waitFor();
  const fold = page.locator('#filters-toggle');
  expect(await page.locator('#pipeline-filters').isHidden(), 'the filter bar fills a phone\'s first screen');
  const on = await fold.innerText();
  expect(on === '筛选（已选 1 项）', `the fold reads ${on} with one filter on`);
  await fold.click();
  expect(await fold.getAttribute('aria-expanded') === 'true', 'the fold does not say it is open');
  await page.locator('#filter-clear').click();
  expect(await fold.innerText() === '筛选' && await page.locator('#pipeline-filters').isHidden(), `after clearing: ${await fold.innerText()}`);
  // the first deal shows on the first screen, under the overview
  await page.evaluate(() => window.scrollTo(0, 0));
  const first = await page.locator('table.pipeline tr.deal').first().evaluate((tr) => tr.getBoundingClientRect().top);
  expect(first < 844 * 2, `the first deal starts ${first} px down a 844 px screen`);
  const wide = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(wide <= 390, `the pipeline is ${wide} px wide on a 390 px phone`);
  const off = await page.$$eval('table.pipeline td', (tds) => tds.filter((e) => { const b = e.getBoundingClientRect(); return b.width === 0 || b.left < 0 || b.right > innerWidth; }).map((e) => e.textContent));
  expect(off.length === 0, `cells off screen: ${off.join(' | ')}`);
  await page.locator('#stage-jump a', { hasText: '赢单' }).click();
  await page.waitForFunction(() => { const b = document.getElementById('stage-WON').getBoundingClientRect(); return b.top >= 0 && b.bottom < innerHeight; });
  const card = await rowOf('pl-hrp').evaluate((tr) => tr.getBoundingClientRect().height);
  expect(card < 150, `a deal's card is ${card} px tall`);
  // a name and a header link are read whole: neither is broken over two lines, in either
  // language (English labels are the longer)
  const broken = [];
  for (const lang of ['zh-CN', 'en']) {
    await page.evaluate((l) => localStorage.setItem('dealgraph.lang', l), lang);
    await page.reload();
    await page.locator('table.pipeline tr.deal').first().waitFor();
    broken.push(...await page.evaluate(() => {
    const lines = (node) => { const range = document.createRange(); range.selectNodeContents(node); return new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size; };
    const names = [...document.querySelectorAll('table.pipeline td.owner, table.pipeline td.customer')].filter((td) => td.textContent.length <= 12);
    return [...names, ...document.querySelectorAll('.top nav a')].filter((e) => e.getClientRects().length && lines(e) > 1).map((e) => e.textContent);
    }));
  }
  expect(broken.length === 0, `broken over two lines: ${broken.join(' | ')}`);
  await shot('04-phone');
  expect(consoleErrors.length === 0, `console errors: ${consoleErrors.join(' | ')}`);
});

await close();
