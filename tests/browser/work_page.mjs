// My work and Team activity as a sales director uses them over his team's book: the open items
// filtered by owner, deal, customer and overdue (kept in the address), counted and grouped, on a
// laptop and a phone; what the team did this week, last week and in 30 days, per person, paged.
// Started by test_work_page.py; prints "ok - <check>" per check and exits non-zero at the first
// failed one (with a screenshot).
import { expect, openBrowser, signIn } from './harness.mjs';

const { BASE_URL, ARTIFACTS } = process.env;
const TOKENS = JSON.parse(process.env.TOKENS); // login -> token
const MEMBERS = JSON.parse(process.env.MEMBERS); // name -> global id
const { page, consoleErrors, check, close, shot: picture } = await openBrowser({
  artifacts: ARTIFACTS, failureShot: 'work-failure.png', viewport: { width: 1366, height: 900 },
});
const shot = (name, fullPage = false) => picture(`work-${name}.png`, { fullPage });
const DAY = 86_400_000;

/** The API as one login, from Node (the book is written the way any client writes it). */
async function api(login, query, variables = {}) {
  const response = await fetch(`${BASE_URL}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKENS[login]}` }, body: JSON.stringify({ query, variables }) });
  const body = await response.json();
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data;
}
const INPUTS = { customerCreate: 'CustomerCreateInput', opportunityCreate: 'OpportunityCreateInput', keyPersonCreate: 'KeyPersonCreateInput',
  decisionChainMemberSet: 'DecisionChainMemberInput', activityLog: 'ActivityLogInput' };
/** One create or set mutation; returns the id of what it made (``field`` of its payload). */
async function create(login, mutation, input, field) {
  const data = await api(login, `mutation($input: ${INPUTS[mutation]}!) { ${mutation}(input: $input) { ${field} { id } userErrors { message } } }`, { input });
  const payload = data[mutation];
  expect(!payload.userErrors.length, `${mutation}: ${JSON.stringify(payload.userErrors)}`);
  return payload[field].id;
}

/** A day as the API writes dates, ``days`` from today (local). */
const day = (days) => { const d = new Date(Date.now() + days * DAY); return new Date(d.getTime() - d.getTimezoneOffset() * 60000).toISOString().slice(0, 10); };
const today = day(0);
const monday = (() => { const d = new Date(); d.setHours(0, 0, 0, 0); d.setDate(d.getDate() - ((d.getDay() + 6) % 7)); return d; })();

/** Sign in with a login's own token on the sign-in form; the session is cleared once the page
 * has stopped asking (cleared mid-way, the app would go on asking with no token). */
const signInAs = (login, lang = 'en') => signIn(page, BASE_URL, TOKENS[login], lang);
/** The list has loaded after a change of its filters (the summary line is drawn last). */
const loaded = () => page.locator('#work-summary').waitFor();
const rows = () => page.$$eval('#work tr.work-item', (trs) => trs.map((tr) => ({ id: tr.dataset.id, due: tr.querySelector('.due').textContent.slice(0, 10),
  deal: tr.querySelector('.deal').textContent, customer: tr.querySelector('.customer').textContent, owner: tr.querySelector('.owner').textContent,
  why: tr.querySelector('.what p.why')?.textContent ?? null })));
const query = () => page.evaluate(() => Object.fromEntries(new URLSearchParams(location.search)));

const book = { deals: {}, customers: {} };

await check('the team\'s book is written through the API: two hospitals with a deal of the same name, items and activities', async () => {
  const [east, west] = [await create('admin', 'customerCreate', { name: '江州第一人民医院' }, 'customer'), await create('admin', 'customerCreate', { name: '江州中医院' }, 'customer')];
  book.customers = { east, west };
  const deals = [['his-east', east, 'HIS升级项目'], ['his-west', west, 'HIS升级项目'], ['pacs-east', east, 'PACS影像云'], ['emr-west', west, '电子病历评级']];
  const owners = { 'his-east': MEMBERS['陈静怡'], 'his-west': MEMBERS['王浩然'], 'pacs-east': MEMBERS['陈静怡'], 'emr-west': MEMBERS['王浩然'] };
  for (const [key, customer, name] of deals) {
    const id = await create('admin', 'opportunityCreate', { customerId: customer, name, stage: 'VALUE_PRESENTATION', amount: 300000000 }, 'opportunity');
    book.deals[key] = id;
    for (const [member, role] of [[owners[key], 'ACCOUNT_MANAGER'], [MEMBERS['苏婉清'], 'SOLUTION_MANAGER']]) {
      const r = (await api('admin', 'mutation($i: TeamAssignInput!) { teamAssign(input: $i) { userErrors { message } } }', { i: { memberId: member, targetId: id, role } })).teamAssign;
      expect(!r.userErrors.length, JSON.stringify(r.userErrors));
    }
    const people = [];
    for (const [n, title, role] of [['院长', 'President', 'DECISION_MAKER'], ['信息科主任', 'CIO', 'TECHNICAL_EVALUATOR'], ['采购主任', 'Procurement', 'PROCUREMENT']]) {
      const person = await create('admin', 'keyPersonCreate', { customerId: customer, name: `${key}-${n}`, title }, 'keyPerson');
      await create('admin', 'decisionChainMemberSet', { personId: person, opportunityId: id, role, influence: 'HIGH', attitude: 'NEUTRAL' }, 'keyPerson');
      people.push(person);
    }
    book[key] = people;
  }
  // every suggestion of each deal accepted, owned in turn by its account manager, the director and
  // the solution manager; most overdue (due yesterday: a step is taken on for a day from today,
  // yesterday still being today west of UTC), one due today, the rest later or without a date
  let n = 0;
  for (const key of Object.keys(book.deals)) {
    const { node } = await api('admin', 'query($id: ID!) { node(id: $id) { ... on Opportunity { suggestedWorkPlan(limit: 10) { actionKey target { id } } } } }', { id: book.deals[key] });
    for (const s of node.suggestedWorkPlan) {
      const owner = [owners[key], MEMBERS['周志强'], MEMBERS['苏婉清']][n % 3];
      const round = Math.floor(n / 3); // each owner's first items: due today, later, none; then overdue
      const dueDate = [today, day(20), null][round] ?? new Date(Date.now() - DAY).toISOString().slice(0, 10); // UTC's yesterday
      const input = { opportunityId: book.deals[key], actionKey: s.actionKey, targetPersonId: s.target?.id ?? null, ownerId: owner, dueDate };
      const r = (await api('admin', 'mutation($i: SuggestionAcceptInput!) { workPlanSuggestionAccept(input: $i) { userErrors { message } } }', { i: input })).workPlanSuggestionAccept;
      if (!r.userErrors.length) n += 1;
    }
  }
  console.log(`# ${n} work plan items`);
  expect(n >= 15, `only ${n} work plan items were made`);
  // activities: this week (陈静怡 three, 王浩然 one), last week, 20 days ago (enough to page), 40 days ago
  const thisWeek = new Date(monday.getTime() + (Date.now() - monday.getTime()) / 2);
  const log = (when, member, key, summary, minutes = 0) => create('admin', 'activityLog', { type: 'VISIT', occurredAt: new Date(when.getTime() + minutes * 60000).toISOString(),
    summary, personIds: [book[key][0]], memberIds: member ? [member] : [], opportunityId: book.deals[key], outcome: 'POSITIVE' }, 'activity');
  for (let i = 0; i < 3; i += 1) await log(thisWeek, MEMBERS['陈静怡'], i ? 'his-east' : 'pacs-east', `本周拜访 ${i + 1}`, -i);
  await log(thisWeek, MEMBERS['王浩然'], 'his-west', '本周拜访 王', 1);
  await log(new Date(monday.getTime() - 2 * DAY), MEMBERS['陈静怡'], 'his-east', '上周拜访');
  for (let i = 0; i < 50; i += 1) await log(new Date(monday.getTime() - 20 * DAY), MEMBERS['王浩然'], 'his-west', `早前拜访 ${i + 1}`, i);
  await log(new Date(Date.now() - 40 * DAY), MEMBERS['陈静怡'], 'his-east', '四十天前');
});

/** The open items as the API lists them for a filter, with the overdue ones. */
async function openItems(filter) {
  const data = await api('zhou.sd', 'query($f: WorkPlanItemFilter) { workPlanItems(filter: $f, first: 100) { totalCount nodes { id dueDate rationale owner { name } opportunity { id name customer { id name } } } } }', { f: { statuses: ['OPEN'], ...filter } });
  return data.workPlanItems;
}

await check('My work clicked while a slow pipeline loads stays on screen when the pipeline\'s answer comes', async () => {
  await signInAs('zhou.sd');
  let release;
  const held = new Promise((resolve) => { release = resolve; });
  let asked = false;
  let seen;
  const pipelineAsked = new Promise((resolve) => { seen = resolve; });
  await page.route('**/graphql', async (route) => {
    if ((route.request().postData() ?? '').includes('query Pipeline') && !asked) { asked = true; seen(); await held; }
    await route.continue();
  });
  await page.goto(`${BASE_URL}/app`);
  await page.waitForFunction(() => document.querySelector('main .loading'));
  // the click lands while the pipeline's question is out (the page may ask who is signed in first)
  await Promise.race([pipelineAsked, new Promise((resolve) => { setTimeout(resolve, 10_000); })]);
  await page.click('#nav-work');
  await loaded();
  release();
  await page.waitForTimeout(1500); // the pipeline's answer arrives and is drawn, or not
  await page.unroute('**/graphql');
  expect(asked, 'the pipeline was never asked for');
  const heading = await page.locator('main h1').innerText();
  expect(heading === 'My work' && new URL(page.url()).pathname === '/app/work', `after the pipeline answered the page shows ${heading} at ${page.url()}`);
});

await check('the director\'s My work says what is open, overdue and due this week, with the customer of each deal', async () => {
  await signInAs('zhou.sd');
  await page.click('#nav-work');
  await loaded();
  const mine = await openItems({ ownerId: MEMBERS['周志强'] });
  const summary = await page.locator('#work-summary').innerText();
  const overdue = mine.nodes.filter((w) => w.dueDate && w.dueDate < today).length;
  expect(summary.startsWith(`${mine.totalCount} open · ${overdue} overdue · `), `his list says ${summary}, the API has ${mine.totalCount} open and ${overdue} overdue`);
  expect(await page.locator('#only-mine').isChecked(), '"Only mine" is not ticked by default');
  const listed = await rows();
  expect(listed.every((r) => r.owner === '周志强') && listed.length === mine.totalCount, `his list: ${JSON.stringify(listed)}`);
  expect(listed.every((r) => ['江州第一人民医院', '江州中医院'].includes(r.customer)), `customers: ${listed.map((r) => r.customer)}`);
  // each step says why it matters, as its play gave it (every item here is an accepted suggestion)
  const why = Object.fromEntries(mine.nodes.map((w) => [w.id, w.rationale]));
  expect(listed.every((r) => why[r.id] && r.why === why[r.id]), `why: ${JSON.stringify(listed.map((r) => [r.why, why[r.id]]))}`);
  // grouped: the overdue ones first under their heading, then today's
  const groups = await page.$$eval('#work .work-group', (s) => s.map((g) => g.dataset.group));
  expect(groups[0] === 'overdue' && groups.includes('week'), `groups ${groups}`);
  await shot('01-mine');
});

await check('everyone\'s items: counts per owner, and the overdue ones of 陈静怡 answered by a link kept in the address', async () => {
  await page.uncheck('#only-mine');
  await loaded();
  expect((await query()).owner === 'everyone', `the address is ${page.url()}`);
  const all = await openItems({});
  const summary = await page.locator('#work-summary').innerText();
  expect(summary.startsWith(`${all.totalCount} open`), `everyone's list says ${summary}, the API ${all.totalCount}`);
  // a long group shows its first rows and offers the rest
  const overdueAll = all.nodes.filter((w) => w.dueDate && w.dueDate < today);
  expect(overdueAll.length > 12, `the book has only ${overdueAll.length} overdue items`);
  expect(await page.locator('#work .work-group.overdue tr.work-item').count() === 10, 'the overdue group does not start with 10 rows');
  await page.click('#work .work-group.overdue button.show-all');
  expect(await page.locator('#work .work-group.overdue tr.work-item').count() === overdueAll.length, 'Show all does not show every overdue item');
  const chen = all.nodes.filter((w) => w.owner?.name === '陈静怡');
  const chenLate = chen.filter((w) => w.dueDate && w.dueDate < today);
  const entry = page.locator(`#work-owners .owner-count[data-id="${MEMBERS['陈静怡']}"]`);
  const said = await entry.innerText();
  expect(said === `陈静怡 ${chen.length} open${chenLate.length ? ` ${chenLate.length} overdue` : ''}`, `her count reads ${said}; the API: ${chen.length} open, ${chenLate.length} overdue`);
  await shot('02-everyone');
  await entry.locator('a.late').click();
  await loaded();
  const q = await query();
  expect(q.owner === MEMBERS['陈静怡'] && q.overdue === '1', `the address is ${page.url()}`);
  const listed = await rows();
  expect(listed.length === chenLate.length && listed.every((r) => r.owner === '陈静怡' && r.due < today), `her overdue list: ${JSON.stringify(listed)}`);
  expect(await page.locator('#work-owner').inputValue() === MEMBERS['陈静怡'] && await page.locator('#only-overdue').isChecked(), 'the filters do not show her, overdue only');
  // the address keeps the filters: a reload shows the same list
  await page.reload();
  await loaded();
  expect(JSON.stringify(await rows()) === JSON.stringify(listed), 'a reload lost the filters');
});

await check('the owner filter offers who owns items in the list, with counts; a link naming someone with none keeps its filter', async () => {
  await page.goto(`${BASE_URL}/app/work?owner=everyone`);
  await loaded();
  const all = await openItems({});
  const counts = new Map();
  for (const w of all.nodes) if (w.owner) counts.set(w.owner.name, (counts.get(w.owner.name) ?? 0) + 1);
  const offered = await page.locator('#work-owner option').allInnerTexts();
  const wanted = [...counts].map(([name, n]) => `${name} (${n})`).sort();
  expect(offered[0] === `Everyone (${all.totalCount})` && JSON.stringify(offered.slice(1).sort()) === JSON.stringify(wanted), `offered ${offered}, wanted ${wanted}`);
  expect(!offered.some((o) => o.startsWith('李明轩')), 'a member with nothing in the list is offered');
  await page.goto(`${BASE_URL}/app/work?owner=${encodeURIComponent(MEMBERS['李明轩'])}`);
  await loaded();
  expect(await page.locator('#work-owner').inputValue() === MEMBERS['李明轩'], `the link's filter is gone: ${await page.locator('#work-owner').inputValue()}`);
  expect(await page.locator('#work-owner option:checked').innerText() === '李明轩 (0)', `the filter reads ${await page.locator('#work-owner option:checked').innerText()}`);
  expect(await page.locator('#no-work').count() === 1 && (await rows()).length === 0, 'items of others are listed');
  expect((await page.locator('#work-summary').innerText()).startsWith('0 open'), `the summary reads ${await page.locator('#work-summary').innerText()}`);
  await shot('02a-owner-with-none');
});

await check('a customer\'s deals, or one deal: the same-named deals at two hospitals stay apart', async () => {
  await page.goto(`${BASE_URL}/app/work?owner=everyone`);
  await loaded();
  await page.selectOption('#work-deal', `customer:${book.customers.west}`);
  await loaded();
  expect((await query()).customer === book.customers.west, `the address is ${page.url()}`);
  const west = (await openItems({})).nodes.filter((w) => w.opportunity.customer.id === book.customers.west);
  await page.locator('#work button.show-all').evaluateAll((bs) => bs.forEach((b) => b.click()));
  let listed = await rows();
  expect(listed.length === west.length && listed.every((r) => r.customer === '江州中医院') && listed.some((r) => r.deal === 'HIS升级项目'), `the west hospital's list: ${JSON.stringify(listed)}`);
  await page.selectOption('#work-deal', `deal:${book.deals['his-east']}`);
  await loaded();
  expect((await query()).deal === book.deals['his-east'], `the address is ${page.url()}`);
  const east = (await openItems({ opportunityId: book.deals['his-east'] })).nodes;
  await page.locator('#work button.show-all').evaluateAll((bs) => bs.forEach((b) => b.click()));
  listed = await rows();
  expect(listed.length === east.length && JSON.stringify(listed.map((r) => r.id).sort()) === JSON.stringify(east.map((w) => w.id).sort())
    && listed.every((r) => r.customer === '江州第一人民医院'), `the east hospital's HIS list: ${JSON.stringify(listed)}`);
  await shot('03-one-deal');
});

await check('on a phone everyone\'s list stays short and no wider than the screen, in Chinese too', async () => {
  await page.setViewportSize({ width: 390, height: 844 });
  for (const lang of ['en', 'zh-CN']) {
    await page.evaluate((l) => localStorage.setItem('dealgraph.lang', l), lang);
    await page.goto(`${BASE_URL}/app/work?owner=everyone`);
    await loaded();
    const size = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.scrollHeight, document.querySelectorAll('#work tr.work-item').length,
      [...document.querySelectorAll('#work p.why')].map((p) => p.getBoundingClientRect().height)]);
    expect(size[0] <= 390, `My work is ${size[0]} px wide on a 390 px phone`);
    // each row takes at most about three lines, and one short line more for why it matters; a
    // long group offers the rest
    expect(size[3].every((px) => px > 0 && px <= 20), `why it matters takes ${size[3]} px on a phone, not one line`);
    expect(size[1] < 900 + size[2] * 120 + size[3].length * 20, `My work is ${size[1]} px tall for ${size[2]} rows`);
    const off = await page.$$eval('#work td, #work button.record', (els) => els.filter((e) => { const b = e.getBoundingClientRect(); return b.width === 0 || b.left < 0 || b.right > innerWidth; }).map((e) => e.textContent));
    expect(off.length === 0, `cells off screen: ${off.join(' | ')}`);
    if (lang === 'zh-CN') {
      const summary = await page.locator('#work-summary').innerText();
      expect(/^未完成 \d+ 项 · 已逾期 \d+ 项 · 本周到期 \d+ 项$/.test(summary), `the summary reads ${summary}`);
    }
    await shot(`04-phone-work-${lang}`);
  }
  await page.evaluate(() => localStorage.setItem('dealgraph.lang', 'en'));
  await page.setViewportSize({ width: 1366, height: 900 });
});

/** The activities of a period as the API lists them (ids, newest first). */
async function activities(from, to, member = null) {
  const data = await api('zhou.sd', 'query($f: ActivityFilter) { activities(filter: $f, first: 100) { totalCount nodes { id summary doneBy { name } } } }',
    { f: { occurredFrom: from.toISOString(), occurredTo: to.toISOString(), teamMemberId: member } });
  return data.activities;
}
const activityRows = () => page.$$eval('#activities tr.activity', (trs) => trs.map((tr) => ({ id: tr.dataset.id, summary: tr.querySelector('.summary').textContent,
  ours: tr.querySelector('.ours').textContent, deal: tr.querySelector('.deal a')?.textContent, when: tr.querySelector('.when').textContent })));
const activityLoaded = () => page.locator('#activity-summary').waitFor();

await check('Team activity: the last 7 days by default, this week\'s activities newest first, who of ours met whom on which deal, a count per person', async () => {
  await page.click('#nav-activity');
  await activityLoaded();
  expect(new URL(page.url()).pathname === '/app/activity', `the address is ${page.url()}`);
  // a week's worth whatever the day: on a Monday morning this week alone is still empty
  const seven = await activities(new Date(Date.now() - 7 * DAY), new Date());
  const shown = await activityRows();
  expect(await page.locator('#activity-periods a[aria-current="page"]').getAttribute('data-period') === '7d', 'the last 7 days are not the default');
  expect(JSON.stringify(shown.map((r) => r.id)) === JSON.stringify(seven.nodes.map((a) => a.id)) && shown.length >= 4, `the last 7 days: ${JSON.stringify(shown)}, the API: ${JSON.stringify(seven.nodes)}`);
  await page.click('#activity-periods a[data-period="week"]');
  await activityLoaded();
  expect((await query()).period === 'week', `the address is ${page.url()}`);
  const week = await activities(monday, new Date());
  const listed = await activityRows();
  expect(JSON.stringify(listed.map((r) => r.id)) === JSON.stringify(week.nodes.map((a) => a.id)) && listed.length === 4, `this week: ${JSON.stringify(listed)}, the API: ${JSON.stringify(week.nodes)}`);
  expect(listed.every((r, i) => i === 0 || listed[i - 1].when >= r.when), `not newest first: ${listed.map((r) => r.when)}`);
  const first = page.locator('#activities tr.activity').first();
  const line = await first.innerText();
  expect(line.includes('Visit') && line.includes('Positive') && /(his|pacs)-(east|west)-院长/.test(line), `a row reads ${line}`);
  expect(listed.every((r) => ['陈静怡', '王浩然'].includes(r.ours) && ['HIS升级项目', 'PACS影像云'].includes(r.deal)), `rows ${JSON.stringify(listed)}`);
  const counts = await page.locator('#activity-members').innerText();
  expect(counts.includes('Everyone 4') && counts.includes('陈静怡 3') && counts.includes('王浩然 1') && !counts.includes('周志强'), `the counts read ${counts}`);
  const offered = await page.$$eval('#activity-member option', (os) => os.map((o) => o.textContent));
  expect(JSON.stringify(offered) === JSON.stringify(['Everyone (4)', '王浩然 (1)', '陈静怡 (3)']) || JSON.stringify(offered) === JSON.stringify(['Everyone (4)', '陈静怡 (3)', '王浩然 (1)']),
    `the member filter offers ${JSON.stringify(offered)}: only those who did something this week, with counts`);
  const stray = await page.evaluate(() => [...document.querySelector('main').childNodes].filter((n) => n.nodeType === 3 && /null|undefined/.test(n.textContent)).length);
  expect(stray === 0, 'the page shows a stray "null"');
  await shot('05-activity-week');
});

await check('what did 陈静怡 do: the member filter is kept in the address; last week and 30 days, paged through the API', async () => {
  await page.selectOption('#activity-member', MEMBERS['陈静怡']);
  await activityLoaded();
  expect((await query()).member === MEMBERS['陈静怡'], `the address is ${page.url()}`);
  let listed = await activityRows();
  expect(listed.length === 3 && listed.every((r) => r.ours === '陈静怡'), `her week: ${JSON.stringify(listed)}`);
  await page.click('#activity-periods a[data-period="lastweek"]');
  await activityLoaded();
  const q = await query();
  expect(q.period === 'lastweek' && q.member === MEMBERS['陈静怡'], `the address is ${page.url()}`);
  listed = await activityRows();
  expect(listed.length === 1 && listed[0].summary === '上周拜访', `her last week: ${JSON.stringify(listed)}`);
  await page.reload();
  await activityLoaded();
  expect((await activityRows()).length === 1 && await page.locator('#activity-member').inputValue() === MEMBERS['陈静怡'], 'a reload lost the choice');
  // everyone over 30 days: more than a page, read a page at a time
  await page.click(`#activity-members .member-count[data-id=""] a`);
  await activityLoaded();
  await page.click('#activity-periods a[data-period="30d"]');
  await activityLoaded();
  const month = await activities(new Date(Date.now() - 30 * DAY), new Date(Date.now() + 60000));
  expect(await page.locator('#activities tr.activity').count() === 50, 'the first page is not 50 activities');
  expect((await page.locator('#activity-summary').innerText()).startsWith(`${month.totalCount} activities from `), `the summary reads ${await page.locator('#activity-summary').innerText()}`);
  await page.click('#more-activities');
  await page.waitForFunction((n) => document.querySelectorAll('#activities tr.activity').length === n, month.totalCount);
  listed = await activityRows();
  expect(JSON.stringify(listed.map((r) => r.id)) === JSON.stringify(month.nodes.map((a) => a.id)), 'the 30 days are not the API\'s, newest first');
  expect(!listed.some((r) => r.summary === '四十天前') && await page.locator('#more-activities').count() === 0, 'an older activity is listed, or more is offered');
  await shot('06-activity-30d', true);
});

await check('in Chinese on a phone Team activity fits the screen and speaks Chinese', async () => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.evaluate(() => localStorage.setItem('dealgraph.lang', 'zh-CN'));
  await page.goto(`${BASE_URL}/app/activity?period=week`);
  await activityLoaded();
  expect(await page.locator('main h1').innerText() === '团队动态', 'the heading is not Chinese');
  const summary = await page.locator('#activity-summary').innerText();
  expect(/^\d{4}-\d\d-\d\d 至 \d{4}-\d\d-\d\d 共 4 条活动，最新的在前$/.test(summary), `the summary reads ${summary}`);
  expect((await page.locator('#activities tr.activity').first().innerText()).includes('拜访'), 'the type is not in Chinese');
  const wide = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(wide <= 390, `Team activity is ${wide} px wide on a 390 px phone`);
  await shot('07-phone-activity-zh');
  await page.evaluate(() => localStorage.setItem('dealgraph.lang', 'en'));
  await page.setViewportSize({ width: 1366, height: 900 });
});

await check('a viewer reads the team\'s activity and My work without a control to change anything', async () => {
  await signInAs('viewer');
  await page.click('#nav-activity');
  await activityLoaded();
  const seven = (await activities(new Date(Date.now() - 7 * DAY), new Date())).totalCount;
  expect(seven >= 4 && await page.locator('#activities tr.activity').count() === seven, 'the viewer does not read the last 7 days\' activities');
  await page.click('#nav-work');
  await loaded();
  expect(await page.locator('#work button.record').count() === 0, 'a viewer is offered Record result');
  expect(consoleErrors.length === 0, `script errors: ${consoleErrors.join(' | ')}`);
});

await check('an account manager\'s planned contacts: one whose time passed asks how it went and records it; the next one waits', async () => {
  // planned a few seconds ahead, so that its time has passed when the page opens: a contact
  // logged as already past gets an outcome at once, a planned one has none until recorded
  const soon = new Date(Date.now() + 3000);
  const plan = (when, summary) => create('admin', 'activityLog', { type: 'MEETING', occurredAt: when.toISOString(), summary,
    personIds: [book['his-east'][1]], memberIds: [MEMBERS['陈静怡']], opportunityId: book.deals['his-east'] }, 'activity');
  const passed = await plan(soon, '采购流程沟通');
  await plan(new Date(Date.now() + 3 * DAY), '演示前沟通');
  await page.waitForTimeout(Math.max(0, soon.getTime() - Date.now() + 500));
  await signInAs('chen.am');
  await page.click('#nav-work');
  await loaded();
  const card = page.locator('#planned-contacts');
  const lines = await card.locator('li').evaluateAll((ls) => ls.map((l) => [l.className, l.querySelector('.contact-summary').textContent]));
  expect(JSON.stringify(lines) === JSON.stringify([['planned-due', '采购流程沟通'], ['planned-ahead', '演示前沟通']]), `the card lists ${JSON.stringify(lines)}`);
  const due = card.locator('li.planned-due');
  const text = await due.innerText();
  expect(text.includes('(passed: how did it go?)') && text.includes('Meeting: his-east-信息科主任') && text.includes('HIS升级项目'), `the due contact reads ${text}`);
  expect(await card.locator('li.planned-ahead button').count() === 0, 'a contact still to come is offered a result');
  await due.locator('button.record-contact').click();
  const form = due.locator('form.contact-form');
  await form.locator('button[type=submit]').click(); // how it went is unset: the browser asks, nothing is sent
  expect(await form.isVisible(), 'the form went without an outcome');
  await form.locator('[data-field="input.outcome"]').selectOption('POSITIVE');
  await form.locator('[data-field="input.priceReaction"]').selectOption('NEGATIVE');
  await shot('08-planned-record');
  await form.locator('button[type=submit]').click();
  await page.locator('#notice .banner', { hasText: 'Recorded: 采购流程沟通.' }).waitFor();
  expect(await page.locator('#planned-contacts li.planned-due').count() === 0, 'the recorded contact still asks');
  expect(await page.locator('#planned-contacts li.planned-ahead').count() === 1, 'the next contact is gone');
  const { node } = await api('admin', 'query($id: ID!) { node(id: $id) { ... on Activity { outcome priceReaction solutionReaction } } }', { id: passed });
  expect(node.outcome === 'POSITIVE' && node.priceReaction === 'NEGATIVE' && node.solutionReaction === null, `stored ${JSON.stringify(node)}`);
  await shot('09-planned-recorded');
  expect(consoleErrors.length === 0, `script errors: ${consoleErrors.join(' | ')}`);
});

await check('in Chinese, a result recorded without saying how it went is refused at the field in Chinese; what was typed stays', async () => {
  await signInAs('chen.am', 'zh-CN');
  await page.goto(`${BASE_URL}/app/work?owner=everyone`);
  await loaded();
  const row = page.locator('#work tr.work-item').first();
  const id = await row.getAttribute('data-id');
  await row.locator('button.record').click();
  const form = page.locator('.record-form');
  const typed = '陈总同意下周见面';
  await form.locator('textarea').fill(typed);
  await form.locator('button[type=submit]').click();
  const said = form.locator('.field-error[data-for="input.outcome"]');
  await said.waitFor();
  expect((await said.innerText()) === '请选择接触结果。', `the field says ${await said.innerText()}`);
  expect(await form.locator('textarea').inputValue() === typed, 'what was typed is lost');
  expect(await page.locator(`#work tr.work-item[data-id="${id}"]`).count() === 1, 'recorded without an outcome');
  await shot('10-record-outcome-missing-zh');
  await form.locator('[data-field="input.outcome"]').selectOption('POSITIVE');
  expect(await form.locator('.field-error[data-for="input.outcome"]').count() === 0, 'the refusal stays once answered');
  await page.evaluate(() => localStorage.setItem('dealgraph.lang', 'en'));
  expect(consoleErrors.length === 0, `script errors: ${consoleErrors.join(' | ')}`);
});

await check('the owner moves an overdue step a week on from My work, then drops it: the list and the API agree', async () => {
  await signInAs('chen.am');
  await page.goto(`${BASE_URL}/app/work`);
  await loaded();
  const row = page.locator('#work .work-group.overdue tr.work-item').first();
  const id = await row.getAttribute('data-id');
  const { title, target } = (await api('chen.am', 'query($id: ID!) { node(id: $id) { ... on WorkPlanItem { title target { id name } } } }', { id })).node;
  await row.locator('button.change-step').click();
  const form = page.locator('form.plan-change-form');
  expect((await form.locator('[data-field="input.ownerId"] option:checked').innerText()).startsWith('陈静怡'), 'the form does not start at the step\'s owner');
  // its past day stays as it is unless changed (the browser does not refuse it on its own):
  // sent unchanged, the form says what is missing, in the page's words
  await form.locator('button[type=submit]').click();
  const nothing = form.locator('.field-error');
  await nothing.waitFor();
  expect((await nothing.innerText()) === 'Choose another owner or another day first.', `the form says ${await nothing.innerText()}`);
  const week = day(7);
  await form.locator('[data-field="input.dueDate"]').fill(week);
  await shot('11-step-moved');
  await form.locator('button[type=submit]').click();
  await page.locator('#notice .banner', { hasText: `“${title}”: owner 陈静怡, due ${week}.` }).waitFor();
  const stored = async () => (await api('chen.am', 'query($id: ID!) { node(id: $id) { ... on WorkPlanItem { status dueDate } } }', { id })).node;
  expect((await stored()).dueDate === week, `stored ${JSON.stringify(await stored())}`);
  const moved = page.locator(`#work tr.work-item[data-id="${id}"]`);
  expect((await moved.locator('.due').innerText()).startsWith(week) && !(await moved.getAttribute('class')).includes('overdue'), `the row reads ${await moved.innerText()}`);
  await moved.locator('button.change-step').click();
  await page.locator('form.plan-change-form select.drop-why').selectOption('REFUSED');
  await page.locator('form.plan-change-form button.plan-drop').click();
  // refused, a step with someone waits for a contact with them; one with nobody, a month
  const waits = target ? `suggests it again only once one of ours has been in touch with ${target.name}.` : 'suggests it again in a month.';
  await page.locator('#notice .banner', { hasText: `“${title}” was dropped from the plan: it is no longer anyone’s, and the plan ${waits}` }).waitFor();
  expect(await page.locator(`#work tr.work-item[data-id="${id}"]`).count() === 0, 'the dropped step is still listed');
  const gone = (await api('chen.am', 'query($id: ID!) { node(id: $id) { ... on WorkPlanItem { status dropReason resumeOn } } }', { id })).node;
  expect(gone.status === 'CANCELLED' && gone.dropReason === 'REFUSED' && gone.resumeOn === null, `stored ${JSON.stringify(gone)}`);
  expect(consoleErrors.length === 0, `script errors: ${consoleErrors.join(' | ')}`);
});

await check('a step nobody of ours can do waits in the director\'s My work, who gives it to one of the deal\'s team or of his others, who joins it', async () => {
  // 陈静怡 drops one of hers with someone: nobody of ours can do it (her deals have no sales director)
  const mine = await api('chen.am', 'query($f: WorkPlanItemFilter) { workPlanItems(filter: $f, first: 100) { nodes { id version title action target { id name } opportunity { id name } } } }',
    { f: { statuses: ['OPEN'], ownerId: MEMBERS['陈静怡'] } });
  const step = mine.workPlanItems.nodes.find((w) => w.target);
  const dropped = await api('chen.am', 'mutation($id: ID!, $v: Int!) { workPlanItemCancel(id: $id, version: $v, reason: NOBODY) { userErrors { message } } }', { id: step.id, v: step.version });
  expect(!dropped.workPlanItemCancel.userErrors.length, JSON.stringify(dropped));
  await signInAs('zhou.sd');
  await page.goto(`${BASE_URL}/app/work`);
  await loaded();
  const deal = page.locator(`#waiting-approvals li.waiting-deal[data-id="${step.opportunity.id}"]`);
  const item = deal.locator(`li.waiting-staffing[data-action="${step.action}"][data-target="${step.target.id}"]`);
  await item.waitFor();
  const reads = await item.innerText();
  const utcToday = new Date().toISOString().slice(0, 10); // the day as the API counts it
  expect(reads.startsWith(`Nobody to do it: ${step.title} — ${step.target.name} · dropped by the team on ${utcToday}: give it to one of ours.`), `the director reads ${reads}`);
  // given without saying to whom: the form asks, nothing is sent
  await item.locator('button[type=submit]').click();
  const who = item.locator('.field-error');
  await who.waitFor();
  expect((await who.innerText()) === 'Choose who of ours does it.', `the form says ${await who.innerText()}`);
  // the deal's team first, then the others of ours he sees (the team said none of them could)
  const team = await item.locator('[data-field="input.ownerId"] > option').allInnerTexts();
  const others = await item.locator('[data-field="input.ownerId"] optgroup option').allInnerTexts();
  expect(team.some((o) => o.startsWith('陈静怡')) && team.some((o) => o.startsWith('苏婉清')) && !team.some((o) => o.startsWith('王浩然'))
    && others.some((o) => o.startsWith('王浩然')), `offered ${team} | ${others}`);
  // through the API, a step cannot go to one of ours who does not work the deal: they would not
  // see it (李明轩: on none of its teams, managing nobody who is); nothing is written
  const PLAN = 'query($f: WorkPlanItemFilter) { workPlanItems(filter: $f, first: 100) { nodes { action rationale target { id } owner { name } } } }';
  const before = await api('zhou.sd', PLAN, { f: { statuses: ['OPEN'], opportunityId: step.opportunity.id } });
  const GIVE = 'mutation($input: SuggestionAcceptInput!) { workPlanSuggestionAccept(input: $input) { workPlanItem { id } userErrors { field message } } }';
  const outside = await api('zhou.sd', GIVE, { input: { opportunityId: step.opportunity.id, actionKey: step.action, targetPersonId: step.target.id, ownerId: MEMBERS['李明轩'] } });
  const [refusal] = outside.workPlanSuggestionAccept.userErrors;
  expect(refusal && refusal.field.join('.') === 'input.ownerId'
    && refusal.message === `李明轩 is not on the team of “${step.opportunity.name}” and manages nobody who is, so would not see this step: put them on the deal's team first`,
    `the API answers ${JSON.stringify(outside)}`);
  const after = await api('zhou.sd', PLAN, { f: { statuses: ['OPEN'], opportunityId: step.opportunity.id } });
  expect(after.workPlanItems.nodes.length === before.workPlanItems.nodes.length, 'the refused step was written');
  // on the page, one of the others joins the deal's team in their own role, then owns the step
  await item.locator('[data-field="input.ownerId"]').selectOption(MEMBERS['王浩然']);
  await item.scrollIntoViewIfNeeded();
  await shot('12-staff-step');
  await item.locator('button[type=submit]').click();
  await page.locator('#notice .banner', { hasText: `王浩然 is now on the team of “${step.opportunity.name}” as Account manager. “${step.title}” is now 王浩然’s, in the work plan.` }).waitFor();
  expect(await page.locator(`li.waiting-staffing[data-action="${step.action}"][data-target="${step.target.id}"]`).count() === 0, 'the step still waits for someone');
  const given = await api('zhou.sd', `query($f: WorkPlanItemFilter, $id: ID!) { workPlanItems(filter: $f, first: 100) { nodes { action rationale target { id } owner { name } } }
    node(id: $id) { ... on Opportunity { decisionChain { team { member { name } role } } } } }`,
    { f: { statuses: ['OPEN'], opportunityId: step.opportunity.id }, id: step.opportunity.id });
  const his = given.workPlanItems.nodes.find((w) => w.action === step.action && w.target?.id === step.target.id && w.owner?.name === '王浩然');
  // his now: it says it was dropped before, no longer that the director finds someone
  expect(his && his.rationale.includes('(nobody of ours to do it)') && !his.rationale.includes('sales director finds someone'), `the plan holds ${JSON.stringify(given)}`);
  expect(given.node.decisionChain.team.some((a) => a.member.name === '王浩然' && a.role === 'ACCOUNT_MANAGER'), `the team is ${JSON.stringify(given.node.decisionChain.team)}`);
  expect(consoleErrors.length === 0, `script errors: ${consoleErrors.join(' | ')}`);
});

await close();
