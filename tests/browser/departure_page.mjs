// A key person leaves the customer, in a real browser, as the account manager records it: the
// CIO 陈志远, our champion, rotated to group headquarters ten days ago. With his own login, in
// Chinese, the account manager records it on the person panel (a missing "how" and a day after
// today are refused at their fields, in words); the map and the list grey him out and say when
// he left and where to, the watch point heads the flags, the step waiting on him (the solution
// manager's POC report) is dropped as "the key person left" and leaves her My work, and the
// plan asks our lead expert to have him introduce his successor. One who retired is no longer
// offered to add to the chain. The account manager names who holds the CIO's job now: the data
// engineer, put on the chain in his place from the card; then the deputy, promoted. Asked for his
// successor on a second deal, he is not asked again here, and his card says who asks him, where
// and by when. A viewer reads the record and the successor without a button. Undone, the
// step is open again and he counts again.
// Started by test_departure_page.py; prints "ok - <check>" per check and exits non-zero at the
// first failed one (with a screenshot).
import { expect, openBrowser, pageApi, signIn } from './harness.mjs';

const { BASE_URL, DEMO_ID, CIO, FINANCE, DATA, REPORT, PACS, PACS_NAME, ARTIFACTS } = process.env;
const TOKENS = JSON.parse(process.env.TOKENS); // login -> token
const { page, consoleErrors, check, close, shot: picture } = await openBrowser({
  artifacts: ARTIFACTS, failureShot: 'departure-failure.png', viewport: { width: 1400, height: 950 },
});
const shot = (name, fullPage = false) => picture(`departure-${name}.png`, { fullPage });
const signInAs = (login, lang = 'zh-CN') => signIn(page, BASE_URL, TOKENS[login], lang);
const api = (query, variables) => pageApi(page, query, variables);
const utcDay = (ms) => new Date(ms).toISOString().slice(0, 10);
const DAY = 86_400_000;
/** The day a step falls due as the plan sets it: past a weekend or a fixed public holiday
 * (strategy's plan.days_off) on to the next working day. */
const DAYS_OFF = ['01-01', '05-01', '05-02', '10-01', '10-02', '10-03'];
const dueDay = (ms) => {
  let at = ms;
  while ([0, 6].includes(new Date(at).getUTCDay()) || DAYS_OFF.includes(utcDay(at).slice(5))) at += DAY;
  return utcDay(at);
};
const LEFT_ON = utcDay(Date.now() - 10 * DAY);
const ITEM = `query($id: ID!) { node(id: $id) { ... on WorkPlanItem { status dropReason dueDate } } }`;
const MINE = `query { workPlanItems(filter: { statuses: [OPEN] }, first: 50) { nodes { id } } }`;
const seen = {};

async function openDeal() {
  const since = Date.now();
  await page.goto(`${BASE_URL}/app/opportunities/${encodeURIComponent(DEMO_ID)}`);
  await page.waitForFunction((t) => Number(document.body.dataset.mapReady ?? 0) >= t, since);
}
async function openCio() {
  await page.click(`.person-item[data-id="${CIO}"]`);
  await page.locator('#person-panel .person-detail').waitFor();
}
const likelihood = async () => Number((await page.locator('p.meta').first().innerText()).match(/赢单概率 (\d+) %/)?.[1]);

await check('before: the CIO counts, the POC report waits on him in the solution manager\'s work', async () => {
  await signInAs('su.sm');
  seen.mine = (await api(MINE)).workPlanItems.nodes.map((n) => n.id);
  expect(seen.mine.includes(REPORT), 'the POC report is not among the solution manager\'s open steps');
  seen.report = (await api(ITEM, { id: REPORT })).node;
  await signInAs('li.am');
  await openDeal();
  seen.likelihood = await likelihood();
  expect(seen.likelihood > 0, `no likelihood read: ${await page.locator('p.meta').first().innerText()}`);
  await openCio();
  expect(await page.locator('#departure-form').count() === 1, 'the account manager is not offered to record that he left');
  expect(await page.locator('.card.whatif').count() === 1, 'no what-if for a person still there');
});

await check('the form refuses a missing "how" and a day after today at their fields, in words', async () => {
  const form = page.locator('#departure-form');
  await form.scrollIntoViewIfNeeded();
  await form.locator('button[type=submit]').click();
  const how = form.locator('.field-error[data-for="input.how"]');
  await how.waitFor();
  expect((await how.innerText()) === '请选择离任方式。', `said: ${await how.innerText()}`);
  await form.locator('select[data-field="input.how"]').selectOption('ROTATED');
  await form.locator('input[data-field="input.leftOn"]').fill(utcDay(Date.now() + 2 * DAY));
  await form.locator('button[type=submit]').click();
  const day = form.locator('.field-error[data-for="input.leftOn"]');
  await day.waitFor();
  expect((await day.innerText()).startsWith('离任日期不能晚于今天'), `said: ${await day.innerText()}`);
  await shot('01-refused');
});

await check('recorded: the notice counts the step dropped, the map and the list grey him out and say where he went', async () => {
  const form = page.locator('#departure-form');
  await form.locator('input[data-field="input.leftOn"]').fill(LEFT_ON);
  await form.locator('input[data-field="input.to"]').fill('集团总部');
  await form.locator('button[type=submit]').click();
  const banner = page.locator('#notice .banner.ok');
  await banner.waitFor();
  const said = await banner.innerText();
  expect(said === '已记录陈志远离任，此人不再参与该客户所有商机的评估。移出计划的未完成步骤：1个。', `notice: ${said}`);
  await page.locator(`.person-item.departed[data-id="${CIO}"]`).waitFor();
  const item = await page.locator(`.person-item[data-id="${CIO}"]`).innerText();
  expect(item.includes(`于${LEFT_ON}离任 → 集团总部`) && !item.includes('关系紧密度'), `list: ${item}`);
  expect(await likelihood() < seen.likelihood, `likelihood ${await likelihood()} % after, ${seen.likelihood} % before`);
  const flag = await page.locator('#status-reasons li').first().innerText();
  expect(flag.startsWith(`拥护者离任：陈志远（Director, Information Center (CIO)）已于${LEFT_ON}离任（集团内轮岗，去向：集团总部）`), `first flag: ${flag}`);
  await shot('02-recorded');
});

await check('his panel: the record, his scores frozen, the successor\'s introduction by our lead expert within the week, nothing else to plan', async () => {
  await openCio();
  const panel = page.locator('#person-panel');
  expect((await panel.locator('.left-note').innerText()) === `于${LEFT_ON}离任 · 集团内轮岗 → 集团总部`, `note: ${await panel.locator('.left-note').innerText()}`);
  expect((await panel.innerText()).includes('离任当日评分（已冻结，不再计入）'), 'the scores are not said to be frozen');
  const ask = panel.locator('li.suggestion[data-action="successor_introduction"]');
  await ask.waitFor();
  const text = await ask.innerText();
  expect(text.includes('请离任者引荐继任者') && text.includes('方国栋') && text.includes(dueDay(Date.now() + 7 * DAY)) && text.includes('为结识继任者铺路'), `suggestion: ${text}`);
  expect(await panel.locator('li.suggestion').count() === 1, 'other steps are suggested for one who left');
  expect(await panel.locator('.card.whatif, #role-form, #activity-form').count() === 0, 'one who left is offered a what-if or a role');
  await panel.locator('#departure').scrollIntoViewIfNeeded();
  await shot('03-panel');
});

await check('the plan shows the POC report dropped because he left, and it left the solution manager\'s work', async () => {
  const dropped = page.locator(`li.dropped[data-id="${REPORT}"]`);
  await dropped.waitFor();
  expect((await dropped.innerText()).includes('关键人已离任'), `plan: ${await dropped.innerText()}`);
  const stored = (await api(ITEM, { id: REPORT })).node;
  expect(stored.status === 'CANCELLED' && stored.dropReason === 'PERSON_LEFT', JSON.stringify(stored));
  await signInAs('su.sm');
  const mine = (await api(MINE)).workPlanItems.nodes.map((n) => n.id);
  expect(!mine.includes(REPORT), 'the POC report is still in the solution manager\'s open steps');
});

await check('one who left is not offered to add to the chain', async () => {
  const RECORD = `mutation($id: ID!, $input: KeyPersonDepartureInput!) { keyPersonDepartureRecord(id: $id, input: $input) { userErrors { message } } }`;
  await signInAs('li.am');
  await openDeal();
  const picker = page.locator('#add-person-existing');
  await page.waitForFunction(() => document.querySelector('#add-person')?.dataset.peopleLoaded !== undefined);
  expect((await picker.innerText()).includes('吴敏'), 'the finance director, off the chain, is not offered before she left');
  const done = (await api(RECORD, { id: FINANCE, input: { leftOn: LEFT_ON, how: 'RETIRED' } })).keyPersonDepartureRecord;
  expect(done.userErrors.length === 0, JSON.stringify(done.userErrors));
  await openDeal();
  await page.waitForFunction(() => document.querySelector('#add-person')?.dataset.peopleLoaded !== undefined);
  expect(!(await picker.innerText()).includes('吴敏'), 'one who retired is offered to add to the chain');
});

await check('asked for his successor on a second deal, he is asked once: the card says who asks him, where and by when', async () => {
  const ACCEPT = `mutation($i: SuggestionAcceptInput!) { workPlanSuggestionAccept(input: $i) { workPlanItem { dueDate owner { name } } userErrors { message } } }`;
  const accepted = (await api(ACCEPT, { i: { opportunityId: PACS, actionKey: 'successor_introduction', targetPersonId: CIO } })).workPlanSuggestionAccept;
  expect(accepted.userErrors.length === 0, JSON.stringify(accepted.userErrors));
  const { dueDate, owner } = accepted.workPlanItem;
  await openDeal();
  await openCio();
  const ask = page.locator('#departure .successor-ask');
  await ask.scrollIntoViewIfNeeded();
  const said = await ask.innerText();
  expect(said === `继任者引荐：${owner.name}已在商机“${PACS_NAME}”中负责请陈志远引荐继任者，截止${dueDate}。请勿另行联系，如有需求请补充到该事项。`, `the card says: ${said}`);
  const actions = await page.locator('#person-panel').innerText();
  expect(!actions.includes('请离任者引荐继任者'), 'this deal still suggests asking him for his successor');
  await shot('03a-asked-elsewhere');
});

await check('the account manager names who holds the CIO\'s job now, puts her on the chain in his place, then names the deputy, promoted', async () => {
  const REMOVE = `mutation($i: DecisionChainMemberInput!) { decisionChainMemberRemove(input: $i) { userErrors { message } } }`;
  const banner = page.locator('#notice .banner.ok');
  const name = async (who) => {
    await openCio();
    const form = page.locator('#successor-form');
    await form.scrollIntoViewIfNeeded();
    await page.waitForFunction(() => document.querySelector('#successor-form')?.dataset.peopleLoaded !== undefined);
    const offered = await form.locator('select').innerText();
    expect(offered.includes(who) && !offered.includes('陈志远') && !offered.includes('吴敏'), `offered: ${offered}`);
    await form.locator('select').selectOption(await form.locator('option', { hasText: who }).getAttribute('value'));
    await form.locator('button[type=submit]').click();
    return said(who);
  };
  // the notice that names ``who`` (the one before may still show)
  const said = async (who) => {
    await page.waitForFunction((w) => document.querySelector('#notice .banner.ok')?.innerText.startsWith(w), who);
    return banner.innerText();
  };
  const off = await name('何静');
  expect(off === '何静已接任陈志远的岗位。请将其加入决策链：在此之前，该岗位按我方无人认识的人计。', `notice: ${off}`);
  await openCio();
  const place = page.locator('#successor-place');
  expect((await place.innerText()) === '将何静加入决策链：技术评估者（影响力 高）', `button: ${await place.innerText()}`);
  await place.scrollIntoViewIfNeeded();
  await shot('03b-successor-named');
  await place.click();
  await page.waitForFunction(() => document.querySelector('#notice .banner.ok')?.innerText.includes('已接替陈志远'));
  expect((await banner.innerText()) === '何静已接替陈志远加入决策链：技术评估者（影响力 高）。', `notice: ${await banner.innerText()}`);
  await page.locator(`.person-item[data-id="${DATA}"]`).waitFor();
  // the deputy is promoted after all: she leaves the chain, he holds the job
  const removed = (await api(REMOVE, { i: { personId: DATA, opportunityId: DEMO_ID, role: 'TECHNICAL_EVALUATOR' } })).decisionChainMemberRemove;
  expect(removed.userErrors.length === 0, JSON.stringify(removed.userErrors));
  const promoted = await name('刘洋');
  expect(promoted === '刘洋已接任陈志远的岗位。', `notice: ${promoted}`);
  await openCio();
  const chosen = await page.locator('#successor-form select option:checked').innerText();
  expect(chosen.startsWith('刘洋') && await page.locator('#successor-place').count() === 0, `chosen after the reload: ${chosen}`);
  await page.locator('#departure').scrollIntoViewIfNeeded();
  await shot('03c-successor');
});

await check('a viewer reads the record without a button', async () => {
  await signInAs('board');
  await openDeal();
  await openCio();
  const card = page.locator('#departure');
  await card.waitFor();
  expect(await card.locator('button').count() === 0, 'a viewer is offered to undo the record');
  const said = await card.locator('#successor-said').innerText();
  expect(said === '继任者（现任）：刘洋', `the viewer reads: ${said}`);
});

await check('undone: the step is open again with its day, he counts again', async () => {
  await signInAs('li.am');
  await openDeal();
  await openCio();
  const undo = page.locator('#departure .departure-undo');
  await undo.scrollIntoViewIfNeeded();
  await undo.click();
  const banner = page.locator('#notice .banner.ok');
  await banner.waitFor();
  expect((await banner.innerText()) === '已撤销陈志远的离任记录，此人重新计入。恢复的步骤：1个。', `notice: ${await banner.innerText()}`);
  await page.locator(`.person-item.departed[data-id="${CIO}"]`).waitFor({ state: 'detached' });
  const stored = (await api(ITEM, { id: REPORT })).node;
  expect(stored.status === 'OPEN' && stored.dueDate === seen.report.dueDate, JSON.stringify(stored));
  expect(await likelihood() === seen.likelihood, `likelihood ${await likelihood()} % after the undo, ${seen.likelihood} % before`);
  await shot('04-undone');
});

await check('no script errors in the console', async () => {
  expect(consoleErrors.length === 0, consoleErrors.join('\n'));
});

await close();
