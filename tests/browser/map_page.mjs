// Drives the decision-chain map page in Debian's Chromium through playwright-core.
// Started by test_map_page.py with the server's URL, a token and the ids to use; prints
// "ok - <check>" per check and exits non-zero at the first failed one (with a screenshot).
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect, openBrowser, settle } from './harness.mjs';

const { BASE_URL, TOKEN, AM_TOKEN, DEMO_ID, BIG_ID, MID_ID, WIDE_ID, ARTIFACTS } = process.env;
const P = JSON.parse(process.env.PEOPLE); // store ids → global ids of the demo people the checks use

async function api(query, variables = {}) {
  const response = await fetch(`${BASE_URL}/graphql`, {
    method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = await response.json();
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data;
}
const FLAGS = `query($id: ID!) { node(id: $id) { ... on Opportunity { analysis { redFlags { text } } } } }`;
const SHEET = `query($id: ID!) { node(id: $id) { ... on Opportunity { expectedCloseDate health { status }
  assessment { canCompete { value reasons { text points } } canWin { value reasons { text points } } } } } }`;
const CHAIN = `query($id: ID!) { node(id: $id) { ... on Opportunity { decisionChain { members { person { id name } attitude } } } } }`;
const PERSON = `query($id: ID!) { node(id: $id) { ... on KeyPerson { id version name notes reportsTo { id } } } }`;

const { context, page, consoleErrors, check, close, shot: picture } = await openBrowser({
  artifacts: ARTIFACTS, acceptDownloads: true,
});
await context.addInitScript(() => { window.print = () => { window.printed = (window.printed ?? 0) + 1; }; });
const timings = {};
const shot = (name) => picture(`${name}.png`);
const mapReady = async (since) => page.waitForFunction((t) => Number(document.body.dataset.mapReady ?? 0) > t, since, { timeout: 20000 });
const nodeCentre = (id) => page.evaluate((nodeId) => {
  const node = window.dealgraphMap.getElementById(nodeId);
  const box = window.dealgraphMap.container().getBoundingClientRect();
  const p = node.renderedPosition();
  return { x: box.left + p.x, y: box.top + p.y };
}, id);

/** The department titles on the map written over a person's name or circle or one of our
 * team: each as "title / name". */
const titlesOverNames = () => page.evaluate(() => {
  const cy = window.dealgraphMap;
  const only = { includeNodes: false, includeEdges: false, includeOverlays: false, includeUnderlays: false, includeOutlines: false, includeLabels: true };
  const body = { includeLabels: false, includeOverlays: false, includeUnderlays: false };
  const shown = (n) => cy.renderer().eleTextBiggerThanMin(n) && n.pstyle('text-opacity').value * n.effectiveOpacity() > 0.01;
  const meets = (a, b) => Math.min(a.x2, b.x2) - Math.max(a.x1, b.x1) > 0.5 && Math.min(a.y2, b.y2) - Math.max(a.y1, b.y1) > 0.5;
  const titles = cy.nodes('.dept').filter(shown).map((d) => [d.data('label'), d.renderedBoundingBox(only)]);
  const named = cy.nodes('.person, .member').filter((n) => n.effectiveOpacity() > 0.5).map((n) => [n.data('name'), n.renderedBoundingBox(body), shown(n) ? n.renderedBoundingBox(only) : null]);
  return titles.flatMap(([title, box]) => named.filter(([, b, l]) => meets(box, b) || (l && meets(box, l))).map(([name]) => `${title} / ${name}`));
});
/** The names on the map written over one another (people and our team, as drawn): each as
 * "name / name". */
const namesOverNames = () => page.evaluate(() => {
  const cy = window.dealgraphMap;
  const only = { includeNodes: false, includeEdges: false, includeOverlays: false, includeUnderlays: false, includeOutlines: false, includeLabels: true };
  const meets = (a, b) => Math.min(a.x2, b.x2) - Math.max(a.x1, b.x1) > 0.5 && Math.min(a.y2, b.y2) - Math.max(a.y1, b.y1) > 0.5;
  const named = cy.nodes('.person, .member').filter((n) => cy.renderer().eleTextBiggerThanMin(n) && n.effectiveOpacity() > 0.5)
    .map((n) => [n.data('name'), n.renderedBoundingBox(only)]);
  return named.flatMap(([a, box], i) => named.slice(i + 1).filter(([, other]) => meets(box, other)).map(([b]) => `${a} / ${b}`));
});
/** Open a deal's page in a window of ``size`` and wait for its map, laid out and at rest. */
async function openDealAt(deal, size) {
  await page.setViewportSize(size);
  const since = Date.now();
  await page.goto(`${BASE_URL}/app/opportunities/${encodeURIComponent(deal)}`);
  await mapReady(since);
  await settled();
}
async function expectNoNameOverAnother(label = 'fitted') {
  const clashes = await namesOverNames();
  expect(clashes.length === 0, `${label}: ${clashes.length} names written over another, e.g. ${clashes.slice(0, 3).join(', ')}`);
}
await check('sign-in asks for the token and refuses a wrong one', async () => {
  await page.goto(`${BASE_URL}/app`);
  await page.locator('#sign-in input[type=password]').waitFor();
  expect(await page.locator('#top nav').count() === 0, 'the sign-in page links to pages nobody may see yet');
  await page.fill('#token', 'dg_wrong');
  await page.click('#sign-in button[type=submit]');
  await page.locator('#sign-in .field-error:not([hidden])').waitFor();
  await shot('01-sign-in');
  await page.fill('#token', TOKEN);
  await page.click('#sign-in button[type=submit]');
  await page.locator('tr.deal').first().waitFor();
  expect(await page.evaluate(() => sessionStorage.getItem('dealgraph.token')) === TOKEN, 'token not kept in sessionStorage');
  expect(await page.locator('#top nav a#nav-work').count() === 1, 'no navigation once signed in');
});

await check('the pipeline lists the demo deal by stage with likelihood and red flags', async () => {
  const row = page.locator('tr.deal', { has: page.locator(`a[href="/app/opportunities/${encodeURIComponent(DEMO_ID)}"]`) });
  await row.waitFor();
  expect(/\d+ %/.test(await row.locator('.likelihood').innerText()), 'no win likelihood');
  expect(Number(await row.locator('.flags').innerText()) > 0, 'the demo deal shows no red flags');
  // a pipeline review reads amount, weighted amount and close date per deal, sums per stage
  const demo = (await api(`query($id: ID!) { node(id: $id) { ... on Opportunity { amount expectedCloseDate
    assessment { winLikelihood { value } } } } }`, { id: DEMO_ID })).node;
  const yuan = (text) => Number(text.replace(/[^\d.]/g, ''));
  const weightedShown = yuan(await row.locator('.weighted').innerText());
  const weightedWanted = Math.round(demo.amount * demo.assessment.winLikelihood.value) / 100;
  expect(Math.abs(weightedShown - weightedWanted) <= 1, `weighted ${weightedShown}, wanted ${weightedWanted}`);
  expect(await row.locator('.close').innerText() === demo.expectedCloseDate, 'no expected close date');
  for (const stage of await page.locator('section.stage').all()) {
    const amounts = await stage.locator('td.amount').evaluateAll((tds) => tds.map((td) => td.textContent));
    const sum = amounts.reduce((total, text) => total + yuan(text), 0);
    const said = await stage.locator('.stage-sums').innerText();
    expect(yuan(said.split('·')[0]) === sum, `stage sums say "${said}", its deals add up to ${sum}`);
  }
  // the pipeline's sums are its open deals': a lost deal is listed but counts for nothing
  const openAmounts = await page.locator('tr.deal').evaluateAll((trs) => trs.filter((tr) => tr.querySelector('.weighted').textContent !== '–')
    .map((tr) => tr.querySelector('.amount').textContent));
  const lost = page.locator('tr.deal', { hasText: 'Lost imaging archive' });
  expect(await lost.locator('.weighted').innerText() === '–', 'a lost deal has a weighted amount');
  expect(await lost.locator('.likelihood').innerText() === '–', 'a lost deal has a win likelihood');
  const stages = await page.locator('section.stage h2').allInnerTexts();
  expect(stages.at(-1).startsWith('Lost'), `closed deals do not come last: ${stages}`);
  const total = yuan((await page.locator('#pipeline-sums').innerText()).split('·')[1]);
  expect(total === openAmounts.reduce((sum, text) => sum + yuan(text), 0), `the pipeline's amount ${total} is not its open deals'`);
  const lefts = await page.locator('table.pipeline').evaluateAll((tables) => tables.map((t) => t.querySelector('th:nth-child(4)').getBoundingClientRect().left));
  expect(lefts.length > 1 && lefts.every((x) => Math.abs(x - lefts[0]) < 1), `the stages' amount columns start at ${lefts}`);
  await shot('02-pipeline');
});

await check('the demo map shows every chain member in the list and on the map', async () => {
  const since = Date.now();
  await page.click(`a[href="/app/opportunities/${encodeURIComponent(DEMO_ID)}"]`);
  await mapReady(since);
  const stored = (await api(CHAIN, { id: DEMO_ID })).node.decisionChain.members;
  const listed = await page.locator('.person-item').evaluateAll((els) => els.map((e) => e.dataset.id));
  const drawn = await page.evaluate(() => window.dealgraphMap.nodes('.person').map((n) => n.id()));
  const ids = stored.map((m) => m.person.id).sort();
  expect(JSON.stringify([...listed].sort()) === JSON.stringify(ids), `list ${listed.length} ≠ chain ${ids.length}`);
  expect(JSON.stringify([...drawn].sort()) === JSON.stringify(ids), `map ${drawn.length} ≠ chain ${ids.length}`);
  for (const m of stored) expect(await page.locator('.person-item .pname', { hasText: m.person.name }).count() >= 1, `${m.person.name} not listed`);
  expect(await page.locator('#map-status').isVisible(), 'no map status');
  // the pill is the API's status of the deal, its reasons beside it
  const health = (await api(`query($id: ID!) { node(id: $id) { ... on Opportunity { health { status reasons { text status } } } } }`, { id: DEMO_ID })).node.health;
  const colour = { NOT_ASSESSED: 'grey', ON_TRACK: 'green', NEEDS_ATTENTION: 'amber', AT_RISK: 'red' }[health.status];
  expect(await page.locator('#map-status').getAttribute('class') === `status ${colour}`, `map status ${await page.locator('#map-status').getAttribute('class')}, the API says ${health.status}`);
  // its reasons under it, one a line, the worst first, each in the colour it alone gives
  const lines = await page.locator('#status-reasons li:not(.more)').evaluateAll((lis) => lis.map((li) => [li.textContent, li.className]));
  const wanted = health.reasons.map((r) => [r.text, { NOT_ASSESSED: 'grey', ON_TRACK: 'green', NEEDS_ATTENTION: 'amber', AT_RISK: 'red' }[r.status]]);
  expect(JSON.stringify(lines) === JSON.stringify(wanted), `under the pill: ${JSON.stringify(lines)}, the API: ${JSON.stringify(wanted)}`);
  expect(lines.length > 1 && await page.locator('#status-reasons').isVisible(), 'the reasons are not listed one a line');
  await shot('03-map');
});

await check('the list names who weighs most on the decision first', async () => {
  const q = 'query($id: ID!) { node(id: $id) { ... on Opportunity { analysis { influence { person { id } effective } } } } }';
  const weight = new Map((await api(q, { id: DEMO_ID })).node.analysis.influence.map((i) => [i.person.id, i.effective]));
  const listed = await page.locator('.person-item').evaluateAll((els) => els.map((e) => e.dataset.id));
  const weights = listed.map((id) => weight.get(id) ?? 0);
  expect(weights.every((w, i) => i === 0 || weights[i - 1] >= w), `list not by influence: ${weights.map((w) => w.toFixed(2)).join(' ')}`);
  expect(weights[0] > weights[weights.length - 1], 'the demo chain has people of different weight');
});

await check("no person's label is written over their circle, its ring or a rival's outline", async () => {
  const clashes = await page.evaluate(() => window.dealgraphMap.nodes('.person').map((n) => {
    const only = { includeNodes: false, includeEdges: false, includeOverlays: false, includeUnderlays: false, includeOutlines: false };
    const body = n.boundingBox({ includeLabels: false, includeOverlays: false, includeUnderlays: false, includeOutlines: true });
    return [n.data('label').split('\n')[0], body.y2 - n.boundingBox({ ...only, includeLabels: true }).y1];
  }).filter(([, overlap]) => overlap > 0.5).map(([name, overlap]) => `${name} (${overlap.toFixed(1)} px)`));
  expect(clashes.length === 0, `labels over their circles: ${clashes.join(', ')}`);
  // our people's whole labels (name, role) stay inside their boxes
  const spilled = await page.evaluate(() => {
    const pen = document.createElement('canvas').getContext('2d');
    const cy = window.dealgraphMap;
    const alone = cy.nodes('.name-label').removeClass('name-label'); // as drawn up close
    const out = cy.nodes('.member').filter((n) => {
      pen.font = `${n.pstyle('font-size').strValue} ${n.pstyle('font-family').strValue}`;
      const lines = n.data('label').split('\n');
      const widest = Math.max(...lines.map((line) => pen.measureText(line).width));
      return widest > n.width() || 14 * lines.length > n.height() + 6;
    }).map((n) => n.data('label').replace('\n', ' · '));
    alone.addClass('name-label');
    return out;
  });
  expect(spilled.length === 0, `our people's labels spill out of their boxes: ${spilled.join(', ')}`);
});

await check('a person opens with three scores and their reasons', async () => {
  const { x, y } = await nodeCentre(P.cio);
  await page.mouse.click(x, y);
  await page.locator('#person-scores').waitFor();
  expect(await page.locator('#person-scores meter').count() === 3, 'not three scores');
  await page.click('#score-closeness summary');
  expect(await page.locator('#score-closeness .reasons li').count() > 0, 'no reasons');
  expect((await page.locator('#last-contact').innerText()).length > 0, 'no last contact');
  await settle(page);
  const titles = await titlesOverNames();
  expect(titles.length === 0, `department titles over names: ${titles.join(', ')}`);
  await shot('04-person');
  // his price acceptance is measured (he objected to our price); the president's, whom nobody
  // of ours has heard on our price, is an estimate, and says so in the list and in his panel
  const price = () => page.locator('#score-price summary').evaluate((x) => x.textContent);
  expect(!(await price()).includes('≈'), `the CIO's price reads ${await price()}`);
  const president = page.locator(`.person-item[data-id="${P.president}"]`);
  expect((await president.locator('.pscore').last().innerText()).startsWith('Price acceptance ≈'), `the president's list entry reads ${await president.innerText()}`);
  await president.click();
  await page.waitForFunction(() => document.querySelector('#score-price summary')?.textContent.includes('≈'));
  expect((await price()).endsWith(' (estimate, no price talk yet)'), `the president's price reads ${await price()}`);
  await page.click('#score-price summary');
  expect((await page.locator('#score-price .reasons').innerText()).includes('An estimate: nobody of ours has heard their view of our price yet'), 'the estimate is not explained');
  // nobody of ours has shown him our solution either: his solution acceptance is one too
  const solution = await page.locator('#score-solution summary').evaluate((x) => x.textContent);
  expect(solution.includes('≈') && solution.endsWith(' (estimate, no solution shown yet)'), `the president's solution reads ${solution}`);
  expect((await president.locator('.pscore').nth(1).innerText()).startsWith('Solution acceptance ≈'), `the president's list entry reads ${await president.innerText()}`);
  await page.locator('#score-price').scrollIntoViewIfNeeded();
  await shot('04b-price-estimate');
  await page.locator(`.person-item[data-id="${P.cio}"]`).click();
  await page.waitForFunction(() => !document.querySelector('#score-price summary')?.textContent.includes('≈'));
});

await check('the list is reachable by keyboard and searchable', async () => {
  await page.fill('#person-search', 'zhou');
  const visible = await page.locator('#people-list li:not([hidden])').count();
  expect(visible >= 1 && visible < (await page.locator('#people-list li').count()), 'search did not filter');
  await page.fill('#person-search', '');
  await page.locator('.person-item').first().focus();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await page.locator('#person-title').waitFor();
  const second = await page.locator('.person-item').nth(1).getAttribute('data-id');
  expect(await page.locator(`.person-item[data-id="${second}"]`).getAttribute('aria-current') === 'true', 'keyboard selection failed');
});

await check('each suggestion says why, with whom and in what order: its rationale, an introduction naming who asks whom', async () => {
  const plan = (await api(`query($id: ID!) { node(id: $id) { ... on Opportunity { suggestedWorkPlan(limit: 5) { actionKey rationale } } } }`, { id: DEMO_ID })).node.suggestedWorkPlan;
  const shown = await page.$$eval('#suggestions .suggestion p.rationale', (ps) => ps.map((p) => p.textContent));
  expect(JSON.stringify(shown) === JSON.stringify(plan.map((s) => s.rationale)), `shown ${JSON.stringify(shown)}`);
  const intro = plan.find((s) => s.actionKey === 'warm_introduction');
  if (intro) expect(/should ask .+ to introduce us to /.test(intro.rationale), `the introduction reads ${intro.rationale}`);
});

await check('a person\'s panel lists every step the plan holds for them, also those ranked below the deal\'s first five', async () => {
  const PLAN = `query($id: ID!) { node(id: $id) { ... on Opportunity { suggestedWorkPlan(limit: 12) { title target { id } } } } }`;
  const plan = (await api(PLAN, { id: DEMO_ID })).node.suggestedWorkPlan;
  const later = plan.slice(5).find((s) => s.target);
  expect(Boolean(later), `the demo deal's plan has no step on a person below its first five: ${JSON.stringify(plan)}`);
  await page.click(`.person-item[data-id="${later.target.id}"]`);
  await page.locator('#person-title').waitFor();
  const listed = await page.$$eval('.person-detail .suggestion strong', (ss) => ss.map((s) => s.textContent));
  const theirs = plan.filter((s) => s.target?.id === later.target.id).map((s) => s.title);
  expect(theirs.every((title) => listed.some((l) => l.startsWith(title))), `the panel lists ${JSON.stringify(listed)}; the plan holds ${JSON.stringify(theirs)}`);
  expect(await page.locator('#suggestions .suggestion').count() === 5, 'the deal lists other than its first five steps');
});

await check('the red flags of lesser weight are on the map too, folded under the status', async () => {
  const flags = (await api(`query($id: ID!) { node(id: $id) { ... on Opportunity { analysis { redFlags { text severity } } } } }`, { id: DEMO_ID })).node.analysis.redFlags;
  const lesser = flags.filter((f) => f.severity !== 'HIGH').map((f) => f.text);
  expect(lesser.length > 0, 'the demo deal has no flag of lesser weight');
  await page.click('#watch-flags summary');
  const listed = await page.$$eval('#watch-flags li', (lis) => lis.map((li) => li.textContent));
  expect(JSON.stringify(listed) === JSON.stringify(lesser), `folded: ${JSON.stringify(listed)}; the API: ${JSON.stringify(lesser)}`);
  await shot('04b-watch-flags');
});

await check('what-if changes the likelihood and writes nothing', async () => {
  await page.click(`.person-item[data-id="${P.accountant}"]`);
  // the finance head of the finance department: "Finance" said once in the panel's header
  const meta = await page.locator('.person-detail p.meta').first().innerText();
  expect(meta.split(' · ').filter((x) => x === 'Finance').length === 1, `the panel reads ${meta}`);
  // a neutral person's sign is no digit that reads as a score
  expect(!/ 0 Neutral|^0 /.test(await page.locator('.person-item').first().innerText()) && (await page.locator('.legend').innerText()).includes('○'), 'neutral is signed 0');
  await page.selectOption('#wi-attitude', 'CHAMPION');
  await page.click('#wi-add-attitude');
  const line = page.locator('#wi-likelihood');
  await line.waitFor();
  const said = await line.innerText();
  const [before, after] = said.match(/[\d.]+ %/g).map((s) => Number.parseFloat(s));
  expect(after > before, `likelihood did not rise: ${before} → ${after}`);
  // the figures add up as written: before + the change = after
  const points = Number.parseFloat(said.match(/\(([+-][\d.]+) pts\)/)?.[1]);
  expect(Math.abs(before + points - after) < 0.051, `the line does not add up: ${said}`);
  // the flags the deal has already are not marked as the change's; the one it clears is struck out
  const current = (await api(FLAGS, { id: DEMO_ID })).node.analysis.redFlags.map((f) => f.text);
  const marked = await page.$$eval('#wi-flags li.new', (lis) => lis.map((li) => li.querySelector('strong').textContent));
  expect(marked.every((text) => !current.includes(text)), `flags the deal has already read as new: ${marked}`);
  const cleared = await page.$$eval('#wi-flags li.cleared s', (ss) => ss.map((s) => s.textContent));
  expect(cleared.some((text) => text.includes('opposes us')) && cleared.every((text) => current.includes(text)), `cleared: ${cleared}`);
  // the change tried reads as a sentence about the person; the other button says it only supposes
  const { name } = (await api(PERSON, { id: P.accountant })).node;
  const tried = await page.$$eval('#wi-changes li', (lis) => lis.map((li) => li.textContent));
  expect(JSON.stringify(tried) === JSON.stringify([`${name} had attitude Champion`]), `changes tried: ${JSON.stringify(tried)}`);
  expect(await page.locator('#wi-add-leaves').innerText() === `Suppose ${name} leaves the chain`, 'the leave button reads as an act');
  // the effect is said beside the buttons that try it, with the way to the whole result
  const near = await page.locator('#wi-summary').innerText();
  expect(near.includes(said.match(/[\d.]+ % → after [\d.]+ %/)[0]), `beside the buttons: ${near}; the result: ${said}`);
  const gap = await page.evaluate(() => document.getElementById('wi-summary').getBoundingClientRect().top - document.getElementById('wi-add-leaves').getBoundingClientRect().bottom);
  expect(gap < 80, `the effect is ${gap} px below the buttons`);
  await page.locator('#wi-summary').scrollIntoViewIfNeeded();
  await shot('05b-what-if-beside');
  await page.locator('#wi-flags').scrollIntoViewIfNeeded();
  await shot('05-what-if');
  const stored = (await api(CHAIN, { id: DEMO_ID })).node.decisionChain.members.find((m) => m.person.id === P.accountant);
  expect(stored.attitude === 'OPPONENT', 'what-if wrote the attitude');
  await page.click('#wi-clear');
});

await check('dragging a person onto another stores the reporting line', async () => {
  const before = (await api(PERSON, { id: P.procurement })).node.reportsTo?.id;
  expect(before !== P.cio, 'already reports to the CIO');
  const from = await nodeCentre(P.procurement);
  const to = await nodeCentre(P.cio);
  const since = Date.now();
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move((from.x + to.x) / 2, (from.y + to.y) / 2, { steps: 8 });
  await page.mouse.move(to.x, to.y, { steps: 8 });
  await page.mouse.up();
  await mapReady(since);
  await page.locator('#notice .banner.ok').waitFor();
  const after = (await api(PERSON, { id: P.procurement })).node.reportsTo?.id;
  expect(after === P.cio, `stored manager is ${after}`);
  expect(await page.evaluate((id) => window.dealgraphMap.getElementById(`r:${id}`).source().id(), P.procurement) === P.cio, 'map not redrawn');
  await shot('06-dragged');
});

await check('a version conflict is shown, the latest version loaded and the input kept', async () => {
  await page.click(`.person-item[data-id="${P.cio}"]`);
  const notes = page.locator('#details-form textarea');
  await notes.fill('Met at the EMR workshop; wants a migration plan.');
  const current = (await api(PERSON, { id: P.cio })).node;
  await api(`mutation($id: ID!, $input: KeyPersonUpdateInput!) { keyPersonUpdate(id: $id, input: $input) { userErrors { code } } }`,
    { id: P.cio, input: { version: current.version, name: `${current.name}（主任）` } });
  await page.click('#details-form button[type=submit]');
  const error = page.locator('#details-form .field-error.conflict');
  await error.waitFor();
  expect((await error.innerText()).includes('（主任）'), 'the conflict does not name the latest version');
  expect((await notes.inputValue()).startsWith('Met at the EMR'), 'the input was lost');
  await shot('07-conflict');
  await page.fill('#details-form [data-field="input.name"]', `${current.name}（主任）`);
  const since = Date.now();
  await page.click('#details-form button[type=submit]');
  await mapReady(since);
  expect((await api(PERSON, { id: P.cio })).node.notes.startsWith('Met at the EMR'), 'second save not stored');
});

await check('a userError appears next to the field that caused it', async () => {
  await page.fill('#add-person [data-field="input.name"]', '   ');
  await page.click('#add-person button[type=submit]');
  const error = page.locator('#add-person [data-field="input.name"][aria-invalid="true"] + .field-error[data-for="input.name"]');
  await error.waitFor();
  expect((await error.innerText()).length > 0, 'empty error');
});

await check('an influence arrow drawn on the map is stored', async () => {
  const INFLUENCES = `query($id: ID!) { node(id: $id) { ... on KeyPerson { influences { person { id } } } } }`;
  const before = (await api(INFLUENCES, { id: P.procurement })).node.influences.map((x) => x.person.id);
  expect(!before.includes(P.president), 'already influences the president');
  await page.click('#draw-influence');
  const since = Date.now();
  const from = await nodeCentre(P.procurement);
  await page.mouse.click(from.x, from.y);
  const to = await nodeCentre(P.president);
  await page.mouse.click(to.x, to.y);
  await mapReady(since);
  const after = (await api(INFLUENCES, { id: P.procurement })).node.influences.map((x) => x.person.id);
  expect(after.includes(P.president), 'influence not stored');
  expect(await page.evaluate(([a, b]) => window.dealgraphMap.getElementById(`i:${a}:${b}`).nonempty(), [P.procurement, P.president]), 'arrow not drawn');
});

await check('an arrow drawn again keeps its strength and says so; a person picked twice is picked anew', async () => {
  const STRENGTH = `query($id: ID!) { node(id: $id) { ... on Opportunity { decisionChain { influences { fromPerson { id } toPerson { id } strength } } } } }`;
  const arrow = async () => (await api(STRENGTH, { id: DEMO_ID })).node.decisionChain.influences
    .find((i) => i.fromPerson.id === P.procurement && i.toPerson.id === P.president);
  const before = await arrow();
  await page.click('#draw-influence');
  const from = await nodeCentre(P.procurement);
  await page.mouse.click(from.x, from.y);
  await page.mouse.click(from.x, from.y); // the same person again: no arrow to oneself, the drawing goes on
  expect(await page.locator('#draw-influence').getAttribute('aria-pressed') === 'true', 'the drawing ended on a second click of one person');
  expect(await page.locator('#notice .banner.help', { hasText: 'Click the person who influences' }).count() === 1, 'the instruction went');
  await page.mouse.click(from.x, from.y);
  const to = await nodeCentre(P.president);
  await page.mouse.click(to.x, to.y);
  const told = page.locator('#notice .banner.help', { hasText: 'already influences' });
  await told.waitFor();
  expect(await page.locator('#notice .banner.help', { hasText: 'Click the person who influences' }).count() === 0, 'the instruction stays after the drawing');
  expect(JSON.stringify(await arrow()) === JSON.stringify(before), `the arrow changed: ${JSON.stringify(await arrow())}`);
  await told.locator('button.dismiss').click();
  // an arrow a colleague drew meanwhile, unseen by this page: kept as they recorded it
  const SET = `mutation($input: InfluenceInput!) { influenceSet(input: $input) { userErrors { message } } }`;
  const theirs = await api(SET, { input: { fromPersonId: P.president, toPersonId: P.procurement, strength: 'VERY_STRONG' } });
  expect(theirs.influenceSet.userErrors.length === 0, JSON.stringify(theirs));
  await page.click('#draw-influence');
  const a = await nodeCentre(P.president);
  await page.mouse.click(a.x, a.y);
  const b = await nodeCentre(P.procurement);
  await page.mouse.click(b.x, b.y);
  const kept = page.locator('#notice .banner.help', { hasText: 'already influences' });
  await kept.waitFor();
  expect((await kept.innerText()).includes('Very strong'), `the notice reads ${await kept.innerText()}`);
  const now = (await api(STRENGTH, { id: DEMO_ID })).node.decisionChain.influences.find((i) => i.fromPerson.id === P.president && i.toPerson.id === P.procurement);
  expect(now?.strength === 'VERY_STRONG', `the colleague's arrow became ${JSON.stringify(now)}`);
  await kept.locator('button.dismiss').click();
});

await check('logging an activity updates the last contact', async () => {
  await page.click(`.person-item[data-id="${P.president}"]`);
  expect((await page.locator('#last-contact').innerText()) === 'never', 'the president was met already');
  await page.fill('#activity-form textarea', 'First meeting with the president');
  // the administrator, of nobody's team, ticks who of ours met him: the contact counts for them
  if (await page.locator('#activity-form fieldset.ours input:checked').count() === 0) await page.locator('#activity-form fieldset.ours input').first().check();
  // how it went is chosen, never a default: a hurried log records no neutral meeting
  await page.click('#activity-form button[type=submit]');
  const unchosen = page.locator('#activity-form .field-error[data-for="input.outcome"]');
  await unchosen.waitFor();
  expect((await unchosen.innerText()) === 'Choose how it went.', `the form says ${await unchosen.innerText()}`);
  expect((await page.locator('#last-contact').innerText()) === 'never', 'a contact was logged without its outcome');
  await page.selectOption('#activity-form [data-field="input.outcome"]', 'POSITIVE');
  // a year mistyped: the form asks before it counts as the first meeting, and writes nothing
  const when = page.locator('#activity-form input[type=datetime-local]');
  const now = await when.inputValue();
  await when.fill(`${Number(now.slice(0, 4)) - 1}${now.slice(4)}`);
  await page.click('#activity-form button[type=submit]');
  const asked = page.locator('#activity-form .field-error[data-code="CONFIRM"]');
  await asked.waitFor();
  const question = await asked.innerText();
  expect(/^That is 36[56] days ago: is the year right\?/.test(question), `the form asks ${question}`);
  expect((await page.locator('#last-contact').innerText()) === 'never', 'a year-old meeting was logged unasked');
  await shot('07a-year-mistyped');
  await when.fill(now);
  const since = Date.now();
  await page.click('#activity-form button[type=submit]');
  await mapReady(since);
  await page.locator('#person-title').waitFor();
  expect((await page.locator('#last-contact').innerText()) !== 'never', 'last contact not updated');
});

await check('a contact dated next week is planned, not logged: no outcome asked, and it shows as the next planned contact', async () => {
  await page.click(`.person-item[data-id="${P.president}"]`);
  const last = await page.locator('#last-contact').innerText();
  expect(await page.locator('#next-contact').count() === 0, 'a next contact is shown before any was planned');
  const ahead = new Date(Date.now() + 7 * 86400000);
  const local = new Date(ahead.getTime() - ahead.getTimezoneOffset() * 60000).toISOString().slice(0, 16);
  await page.fill('#activity-form input[type=datetime-local]', local);
  const form = page.locator('#activity-form');
  expect((await form.locator('h3').innerText()) === 'Plan a contact', `the form says ${await form.locator('h3').innerText()}`);
  expect((await form.locator('button[type=submit]').innerText()) === 'Plan', 'the button still logs');
  expect(!(await form.locator('[data-field="input.outcome"]').isVisible()), 'an outcome is asked of a contact still to come');
  expect(await form.locator('.planned-note').isVisible(), 'the form does not say why');
  await page.fill('#activity-form textarea', 'Walk the president through the payment terms');
  if (await form.locator('fieldset.ours input:checked').count() === 0) await form.locator('fieldset.ours input').first().check();
  const since = Date.now();
  await form.locator('button[type=submit]').click();
  await mapReady(since);
  await page.locator('#next-contact').waitFor();
  const next = await page.locator('#next-contact').innerText();
  expect(next.startsWith(local.slice(0, 10)), `the next planned contact reads ${next}, planned for ${local}`);
  expect((await page.locator('#last-contact').innerText()) === last, 'planning a contact changed the last one');
  await shot('07b-planned-contact');
});

await check("a contact is corrected, a planned one moved and then deleted from the person's contacts, and the deal follows", async () => {
  await page.click(`.person-item[data-id="${P.president}"]`);
  const contacts = page.locator('#contacts li.contact');
  await contacts.nth(1).waitFor();
  expect(await contacts.count() === 2, `the president's contacts list ${await contacts.count()}`);
  const planned = page.locator('#contacts li.contact[data-planned="true"]');
  const held = page.locator('#contacts li.contact[data-planned="false"]');
  expect((await planned.locator('.contact-outcome').innerText()) === 'planned', 'the planned contact is not marked so');
  expect((await held.locator('.contact-summary').innerText()) === 'First meeting with the president', 'the meeting held is not listed');
  // how it went, corrected: Neutral was the form's default, the meeting went well
  await held.locator('button.correct').click();
  const form = held.locator('form.contact-form');
  await form.locator('[data-field="input.outcome"]').selectOption('POSITIVE');
  await form.locator('[data-field="input.solutionReaction"]').selectOption('POSITIVE');
  let since = Date.now();
  await form.locator('button[type=submit]').click();
  await mapReady(since);
  await page.locator('#notice .banner', { hasText: 'Contact corrected.' }).waitFor();
  await page.locator('#contacts li.contact').nth(1).waitFor();
  const outcome = await page.locator('#contacts li.contact[data-planned="false"] .contact-outcome').innerText();
  expect(outcome === 'Positive', `the corrected contact reads ${outcome}`);
  const stored = await api(`query($id: ID!) { activities(filter: { personId: $id }) { nodes { summary outcome solutionReaction } } }`, { id: P.president });
  const meeting = stored.activities.nodes.find((a) => a.summary === 'First meeting with the president');
  expect(meeting.outcome === 'POSITIVE' && meeting.solutionReaction === 'POSITIVE', `stored ${JSON.stringify(meeting)}`);
  // the customer moves the planned meeting by a day: moved here, it is the next contact on its new day
  await page.locator('#contacts li.contact[data-planned="true"] button.correct').click();
  const move = page.locator('#contacts li.contact[data-planned="true"] form.contact-form');
  expect(!(await move.locator('[data-field="input.outcome"]').isVisible()), 'a contact still to come is asked how it went');
  const when = move.locator('[data-field="input.occurredAt"]');
  const moved = new Date(new Date(await when.inputValue()).getTime() + 86400000);
  const movedLocal = new Date(moved.getTime() - moved.getTimezoneOffset() * 60000).toISOString().slice(0, 16);
  await when.fill(movedLocal);
  since = Date.now();
  await move.locator('button[type=submit]').click();
  await mapReady(since);
  await page.locator('#next-contact').waitFor();
  const next = await page.locator('#next-contact').innerText();
  expect(next.startsWith(movedLocal.slice(0, 10)), `the next contact reads ${next}, moved to ${movedLocal}`);
  // the planned contact, deleted after the page asks: it is no longer the next contact
  await page.locator('#contacts li.contact[data-planned="true"] button.remove').click();
  const ask = page.locator('#contacts .contact-delete');
  expect(/^Delete this contact \(Visit, \d{4}-\d\d-\d\d \d\d:\d\d\)\? It will no longer count/.test(await ask.locator('p').innerText()), 'the page deletes without asking');
  await shot('07c-contact-delete-asked');
  since = Date.now();
  await ask.locator('button.danger').click();
  await mapReady(since);
  await page.locator('#notice .banner', { hasText: 'Contact deleted' }).waitFor();
  await page.locator('#contacts li.contact').first().waitFor();
  expect(await page.locator('#contacts li.contact').count() === 1, 'the deleted contact is still listed');
  expect(await page.locator('#next-contact').count() === 0, 'the deleted contact is still the next planned one');
  await shot('07d-contacts-after');
});

await check('a person added on the map joins the chain, once, even when their place is refused first', async () => {
  const PEOPLE = `query($id: ID!) { node(id: $id) { ... on Opportunity { customer { keyPersons(first: 100) { nodes { id name } } } } } }`;
  const named = async () => (await api(PEOPLE, { id: DEMO_ID })).node.customer.keyPersons.nodes.filter((p) => p.name === '田野');
  await page.fill('#add-person [data-field="input.name"]', '田野');
  await page.fill('#add-person [data-field="input.department"]', 'Finance');
  await page.selectOption('#add-person [data-field="input.role"]', 'FINANCE');
  // needs too long: the person is recorded at the customer, their place refused at its field
  await page.fill('#add-person [data-field="input.needs"]', '预'.repeat(2001));
  await page.click('#add-person button[type=submit]');
  await page.locator('#add-person .field-error[data-for="input.needs"]').waitFor();
  const made = await named();
  expect(made.length === 1, `the customer has ${JSON.stringify(made)}`);
  // the form now names them as the customer's: sent again, they join, not a second 田野
  expect(await page.inputValue('#add-person-existing') === made[0].id && await page.locator('#add-person-new').isHidden(),
    'the form still asks for a new person');
  await page.fill('#add-person [data-field="input.needs"]', '预算可控');
  const since = Date.now();
  await page.click('#add-person button[type=submit]');
  await mapReady(since);
  const stored = (await api(CHAIN, { id: DEMO_ID })).node.decisionChain.members.find((m) => m.person.name === '田野');
  expect(stored && stored.person.id === made[0].id, 'not in the chain');
  expect((await named()).length === 1, 'added twice');
  expect(await page.locator(`.person-item[data-id="${stored.person.id}"]`).count() === 1, 'not listed');
});

await check('someone the customer already has joins the chain as themselves, and a namesake is questioned first', async () => {
  const PEOPLE = `query($id: ID!) { node(id: $id) { ... on Opportunity { customer { keyPersons(first: 100) { nodes { id name } } } } } }`;
  const people = async () => (await api(PEOPLE, { id: DEMO_ID })).node.customer.keyPersons.nodes;
  const before = await people();
  await page.locator('#add-person[data-people-loaded]').waitFor();
  const offered = await page.$$eval('#add-person-existing option', (os) => os.map((o) => [o.value, o.textContent]).filter(([v]) => v));
  const onChain = (await api(CHAIN, { id: DEMO_ID })).node.decisionChain.members.map((m) => m.person.id);
  expect(offered.length > 0 && offered.every(([id]) => !onChain.includes(id)), `offered ${JSON.stringify(offered)}`);
  const [id, text] = offered[0];
  await page.selectOption('#add-person-existing', id);
  expect(await page.locator('#add-person-new').isHidden(), 'the new person\'s name is still asked for');
  await page.selectOption('#add-person [data-field="input.role"]', 'APPROVER');
  await page.locator('#add-person').scrollIntoViewIfNeeded();
  await shot('08b-add-existing-person');
  let since = Date.now();
  await page.click('#add-person button[type=submit]');
  await mapReady(since);
  expect((await api(CHAIN, { id: DEMO_ID })).node.decisionChain.members.some((m) => m.person.id === id), `${text} is not in the chain`);
  expect((await people()).length === before.length, 'a second record of the person was made');
  // a new person under the name of someone on the chain: asked first, nothing written
  const twin = before.find((p) => p.id === id);
  await page.fill('#add-person [data-field="input.name"]', twin.name);
  await page.click('#add-person button[type=submit]');
  const error = page.locator('#add-person .field-error[data-for="input.name"]');
  await error.waitFor();
  expect((await error.innerText()).includes('is already in this chain'), `the form says ${await error.innerText()}`);
  expect((await people()).length === before.length, 'the namesake was added without a question');
  await page.locator('#add-person').scrollIntoViewIfNeeded();
  await shot('08c-namesake-questioned');
  await page.fill('#add-person [data-field="input.name"]', '');
});

await check('the Reports to and Influences pickers name each person with their job, so namesakes differ', async () => {
  const JOBS = `query($id: ID!) { node(id: $id) { ... on Opportunity { decisionChain { members { person { id name title department } } } } } }`;
  const people = (await api(JOBS, { id: DEMO_ID })).node.decisionChain.members.map((m) => m.person);
  await page.click(`.person-item[data-id="${P.president}"]`);
  await page.locator('#manager-form').waitFor();
  for (const form of ['#manager-form', '#influence-form']) {
    const shown = Object.fromEntries(await page.$$eval(`${form} select option`, (os) => os.map((o) => [o.value, o.textContent])));
    const titled = people.filter((p) => p.id !== P.president && p.title);
    expect(titled.length > 0, 'no one on the demo chain has a job title');
    const bare = titled.filter((p) => !(shown[p.id] ?? '').startsWith(`${p.name} · ${p.title}`));
    expect(bare.length === 0, `${form} shows ${bare.map((p) => JSON.stringify(shown[p.id])).join(', ')}`);
    const [inside, card] = await page.$eval(form, (f) => [f.querySelector('select').getBoundingClientRect().right, f.getBoundingClientRect().right]);
    expect(inside <= card + 1, `${form}'s picker ends at ${inside} px, past its card at ${card} px`);
  }
  await page.locator('#manager-form').scrollIntoViewIfNeeded();
  await shot('08d-pickers-with-jobs');
});

await check('accepting a suggestion adds a work-plan item', async () => {
  const before = await page.locator('#work-plan li').count();
  const since = Date.now();
  await page.locator('#suggestions .accept').first().click();
  await mapReady(since);
  expect(await page.locator('#work-plan li').count() === before + 1, 'no work-plan item added');
});

await check('the map exports as PNG and SVG', async () => {
  const [png] = await Promise.all([page.waitForEvent('download'), page.click('#export-png')]);
  const pngPath = path.join(ARTIFACTS, 'export.png');
  await png.saveAs(pngPath);
  expect(readFileSync(pngPath).subarray(1, 4).toString() === 'PNG', 'not a PNG');
  const [svg] = await Promise.all([page.waitForEvent('download'), page.click('#export-svg')]);
  const svgPath = path.join(ARTIFACTS, 'export.svg');
  await svg.saveAs(svgPath);
  const text = readFileSync(svgPath, 'utf8');
  expect(text.startsWith('<svg') && text.includes('<circle') && text.includes('marker-end'), 'SVG incomplete');
});

await check('the deal sheet prints its summary on one page, and every red flag and the key people with their scores on the next', async () => {
  const recededBefore = await page.evaluate(() => window.dealgraphMap.nodes('.receded').length);
  await page.click('#deal-sheet');
  expect(await page.evaluate(() => window.printed) === 1, 'print not called');
  await page.emulateMedia({ media: 'print' });
  await shot('08-deal-sheet');
  const pdf = await page.pdf({ landscape: true, format: 'A4', printBackground: true });
  writeFileSync(path.join(ARTIFACTS, 'deal-sheet.pdf'), pdf);
  const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length;
  expect(pages === 2, `deal sheet has ${pages} pages`);
  const onFirst = await page.evaluate(() => document.querySelector('#sheet .sheet-more').getBoundingClientRect().top > 0
    && getComputedStyle(document.querySelector('#sheet .sheet-more')).breakBefore === 'page');
  expect(onFirst, 'the key people do not start a page of their own');
  // the first page says how many flags wait on the next; the next lists them all, as the API does
  const { node: judged } = await api(`query($id: ID!) { node(id: $id) { ... on Opportunity { analysis { redFlags { text } }
    decisionChain { members { person { id name } } } memberScores { person { id } closeness { value } solution { value reasons { factor } } price { value reasons { factor } } } } } }`, { id: DEMO_ID });
  const flagTexts = judged.analysis.redFlags.map((f) => f.text);
  expect(flagTexts.length > 5, `the demo deal has ${flagTexts.length} red flags: nothing to test`);
  const firstPage = await page.$$eval('#sheet .sheet-top ul:last-of-type li', (lis) => lis.map((li) => li.textContent));
  expect(firstPage.at(-1) === `…and ${flagTexts.length - 4} more, on the next page`, `the first page's flags end with ${firstPage.at(-1)}`);
  const everyFlag = await page.$$eval('#sheet .sheet-more ul li', (lis) => lis.map((li) => li.textContent));
  expect(JSON.stringify(everyFlag) === JSON.stringify(flagTexts), `the next page lists ${everyFlag.length} flags, the API ${flagTexts.length}`);
  const people = await page.$$eval('#sheet .sheet-more table tr', (trs) => trs.slice(1).map((tr) => [...tr.children].map((c) => c.textContent)));
  expect(people.length === judged.decisionChain.members.length, `the sheet lists ${people.length} people of ${judged.decisionChain.members.length}`);
  for (const m of judged.decisionChain.members) {
    const sc = judged.memberScores.find((x) => x.person.id === m.person.id);
    const row = people.find((r) => r[0] === m.person.name);
    // a price or solution acceptance nobody has heard them on is printed as the estimate it is
    const price = `${sc.price.reasons.some((r) => r.factor === 'price_estimate') ? '≈' : ''}${sc.price.value}`;
    const solution = `${sc.solution.reasons.some((r) => r.factor === 'solution_estimate') ? '≈' : ''}${sc.solution.value}`;
    expect(row && JSON.stringify(row.slice(4)) === JSON.stringify([String(sc.closeness.value), solution, price]), `${m.person.name} prints ${JSON.stringify(row)}`);
  }
  await page.locator('#sheet .sheet-more').scrollIntoViewIfNeeded();
  await shot('08b-deal-sheet-people');
  // names on the printed map read at 8 pt (10.7 CSS px) or more
  const printedName = await page.evaluate(() => {
    const img = document.querySelector('#sheet img');
    return img.getBoundingClientRect().width / (img.naturalWidth / Number(img.dataset.scale)) * Number(img.dataset.namePx);
  });
  expect(printedName >= 10.6, `names print at ${printedName.toFixed(1)} CSS px`);
  // every suggested action says with whom, as the page's list does (the target's name)
  const rows = await page.$$eval('#sheet table tr', (trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent)));
  const listed = await page.$$eval('#suggestions li strong', (els) => els.map((el) => el.textContent.split(' — ')[1] ?? '–'));
  const withWhom = rows.slice(1, 1 + listed.length).map((r) => r[1]);
  expect(listed.some((name) => name !== '–') && JSON.stringify(withWhom) === JSON.stringify(listed),
    `the sheet's actions name ${JSON.stringify(withWhom)}, the page's ${JSON.stringify(listed)}`);
  // the sheet says the deal's status and close date, and a low score what pulls it down most
  const deal = (await api(SHEET, { id: DEMO_ID })).node;
  const head = await page.locator('#sheet').innerText();
  expect(head.includes(`Expected close: ${deal.expectedCloseDate}`), 'the sheet has no close date');
  expect(deal.health.status === 'AT_RISK' && (await page.locator('#sheet .sheet-status').innerText()) === 'Status: At risk', 'the sheet has no status');
  const compete = deal.assessment.canCompete;
  const worst = [...compete.reasons].sort((x, y) => x.points - y.points)[0];
  expect(compete.value < 50 && worst.points < 0, `can we compete reads ${compete.value}: nothing to test`);
  // at least its headline: a long reason stops before the colon that starts its explanation
  const line = head.split('\n').find((l) => l.startsWith('Can we compete?')) ?? '';
  const said = line.slice(`Can we compete? ${compete.value}/100 — `.length);
  expect(line.startsWith(`Can we compete? ${compete.value}/100 — `) && said.length > 0 && worst.text.startsWith(said)
    && (said === worst.text || /^(：|: )/.test(worst.text.slice(said.length))), `the sheet's low score reads: ${line}`);
  // the budget holders' long reason: its headline only, the explanation left to the page
  const win = deal.assessment.canWin;
  const lowest = [...win.reasons].sort((x, y) => x.points - y.points)[0].text;
  const winLine = head.split('\n').find((l) => l.startsWith('Can we win?')) ?? '';
  expect(lowest.length > 60 && winLine === `Can we win? ${win.value}/100 — ${lowest.split(': ')[0]}`, `"can we win" reads: ${winLine} (its reason: ${lowest})`);
  await page.emulateMedia({ media: 'screen' });
  const receded = await page.evaluate(() => window.dealgraphMap.nodes('.receded').length);
  expect(receded === recededBefore, `printing changed the map on the screen (${recededBefore} receded before, ${receded} after)`);
});

await check('the Process card says which missing approvals belong to stages the deal has passed', async () => {
  const items = await page.$$eval('#needed-approvals li.needed', (lis) => lis.map((li) => [li.dataset.process, li.querySelector('.state').textContent]));
  const earlier = items.filter(([code]) => Number.parseInt(code, 10) < 4);
  expect(earlier.length > 0, `the demo deal's missing approvals: ${JSON.stringify(items)}`);
  expect(earlier.every(([, state]) => /^ \(not requested at \d [^,]+, which the deal has passed\)$/.test(state)), `earlier: ${JSON.stringify(earlier)}`);
  expect(items.find(([code]) => code === '1-1')[1].includes('at 1 '), 'the 1-1 gate is not placed at stage 1');
});

await check('the page follows the language switch', async () => {
  const since = Date.now();
  await page.evaluate(() => { window.dealgraphMapBefore = window.dealgraphMap; });
  await page.selectOption('#language', 'zh-CN');
  // a layout the print preview left pending may say "ready" for the old map: wait for the new one
  await page.waitForFunction(() => window.dealgraphMap !== window.dealgraphMapBefore, null, { timeout: 20000 });
  await mapReady(since);
  expect(await page.evaluate(() => window.dealgraphMapBefore !== window.dealgraphMap && window.dealgraphMapBefore.destroyed()),
    'the map drawn before the switch is still alive beside the new one');
  expect((await page.locator('.top nav').innerText()).includes('商机管道'), 'header not in Chinese');
  expect((await page.locator('#deal-panel h2').first().innerText()) === '四个问题', 'panel not in Chinese');
  // the browser's own refusal of a field left empty or a day too early speaks the page's language
  const refusals = await page.evaluate(() => {
    const form = document.createElement('form');
    const name = Object.assign(document.createElement('input'), { required: true });
    const due = Object.assign(document.createElement('input'), { type: 'date', min: '2026-12-07', value: '2026-12-01' });
    form.append(name, due);
    document.body.append(form);
    form.checkValidity();
    const said = [name.validationMessage, due.validationMessage];
    name.value = '王';
    name.dispatchEvent(new Event('input', { bubbles: true }));
    said.push(name.validationMessage, String(name.checkValidity()));
    form.remove();
    return said;
  });
  expect(JSON.stringify(refusals) === JSON.stringify(['请填写此项。', '不能早于2026-12-07。', '', 'true']), `the refusals read ${JSON.stringify(refusals)}`);
  await shot('09-zh-CN');
  await page.selectOption('#language', 'en');
  await mapReady(Date.now() - 1);
});

await check('a 100-person chain is drawn and interactive within 1 s of the data arriving', async () => {
  const since = Date.now();
  await page.goto(`${BASE_URL}/app/opportunities/${encodeURIComponent(BIG_ID)}`);
  await mapReady(since);
  const measured = await page.evaluate(() => window.dealgraphTimings);
  expect(measured.people === 100, `${measured.people} people drawn`);
  // the same drawing again from the same data, with the renderer's main-thread CPU time
  // (Performance.ThreadTime): on a shared machine the wall time also counts others' work
  const cdp = await context.newCDPSession(page);
  await cdp.send('Performance.enable');
  const threadTime = async () => (await cdp.send('Performance.getMetrics')).metrics.find((m) => m.name === 'ThreadTime').value;
  const runs = [];
  for (let i = 0; i < 5; i += 1) {
    const cpu = await threadTime();
    const run = await page.evaluate(() => window.dealgraphRedraw());
    runs.push({ wallMs: run.drawMs, cpuMs: (await threadTime() - cpu) * 1000 });
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  timings.redrawWallMedianMs = Math.round(median(runs.map((r) => r.wallMs)));
  timings.redrawWallMinMs = Math.round(Math.min(...runs.map((r) => r.wallMs)));
  timings.redrawCpuMedianMs = Math.round(median(runs.map((r) => r.cpuMs)));
  timings.loadAverage = readFileSync('/proc/loadavg', 'utf8').split(' ')[0];
  const id = await page.evaluate(() => window.dealgraphMap.nodes('.person').last().id());
  const { x, y } = await nodeCentre(id);
  const started = await page.evaluate(() => performance.now());
  await page.mouse.click(x, y);
  await page.locator('#person-title').waitFor();
  const opened = await page.evaluate(() => performance.now());
  timings.drawMs = Math.round(measured.drawMs);
  timings.firstClickMs = Math.round(opened - started);
  // a big chain's many reasons: five, then the rest one click away
  const top = await page.locator('#status-reasons > li').count();
  const folded = await page.locator('#status-reasons details li').count();
  expect(top === 6 && folded > 1 && !(await page.locator('#status-reasons details li').first().isVisible()),
    `the status lists ${top} reasons and folds ${folded}`);
  await shot('10-100-people');
  expect(timings.redrawCpuMedianMs < 1000, `the page worked ${timings.redrawCpuMedianMs} ms to draw 100 people`);
  expect(timings.redrawWallMinMs < 1000 || Number(timings.loadAverage) > 4, `drawn in ${timings.redrawWallMinMs} ms at best on an idle machine`);
});

// ---------------------------------------------------------------- the focus view (23 people)
const READABLE_PX = 11; // the smallest label worth drawing, in CSS pixels on the screen
const LABEL_PX = 11; // the font size of a whole label (map.js FONT_PX)
/** Once the map has come to rest (no glide running, the viewport still). */
const settled = () => settle(page);
/** The viewport, and per person: whether Cytoscape draws the label (its own test, with the
 * label's min-zoomed-font-size), its size on screen, whether the person shows in the map's box,
 * their opacity, and how many near-black pixels (the labels' ink) lie in the label's box. */
const mapView = () => page.evaluate(() => {
  const cy = window.dealgraphMap;
  const [w, h] = [cy.width(), cy.height()];
  const canvases = [...cy.container().querySelectorAll('canvas')];
  const ink = (box) => canvases.reduce((sum, canvas) => {
    const r = canvas.width / canvas.clientWidth;
    const [x1, y1] = [Math.max(0, Math.floor(box.x1 * r)), Math.max(0, Math.floor(box.y1 * r))];
    const [x2, y2] = [Math.min(canvas.width, Math.ceil(box.x2 * r)), Math.min(canvas.height, Math.ceil(box.y2 * r))];
    if (x2 <= x1 || y2 <= y1) return sum;
    const data = canvas.getContext('2d').getImageData(x1, y1, x2 - x1, y2 - y1).data;
    let dark = 0;
    for (let i = 0; i < data.length; i += 4) if (data[i + 3] > 200 && data[i] < 80 && data[i + 1] < 80 && data[i + 2] < 80) dark += 1;
    return sum + dark;
  }, 0);
  const people = cy.nodes('.person').map((n) => {
    const p = n.renderedPosition();
    const label = n.renderedBoundingBox({ includeNodes: false, includeEdges: false, includeLabels: true, includeOverlays: false, includeUnderlays: false, includeOutlines: false });
    return {
      id: n.id(), name: n.data('label').split('\n')[0], drawn: cy.renderer().eleTextBiggerThanMin(n),
      px: n.pstyle('font-size').pfValue * cy.zoom(), inView: p.x >= 0 && p.x <= w && p.y >= 0 && p.y <= h,
      opacity: n.effectiveOpacity(), ink: ink(label),
      neighbours: n.closedNeighborhood('node').map((x) => x.id()),
    };
  });
  return { zoom: cy.zoom(), pan: cy.pan(), people };
});
const unreadable = (view) => view.people.filter((p) => p.drawn && p.px < READABLE_PX - 0.01);
/** Per node around a person (them included): its name, its whole box (body and label) and
 * its label's box on the screen, whether Cytoscape draws the label and at what size. */
const around = (id) => page.evaluate((nodeId) => {
  const cy = window.dealgraphMap;
  const only = { includeNodes: false, includeEdges: false, includeOverlays: false, includeUnderlays: false, includeOutlines: false, includeLabels: true };
  return cy.getElementById(nodeId).closedNeighborhood('node').map((n) => ({
    name: n.data('name'), drawn: cy.renderer().eleTextBiggerThanMin(n), px: n.pstyle('font-size').pfValue * cy.zoom(),
    box: n.renderedBoundingBox({ includeOverlays: false, includeUnderlays: false }), label: n.renderedBoundingBox(only),
  }));
}, id);
/** Whether two boxes on the screen overlap by more than half a pixel. */
const overlap = (a, b) => Math.min(a.x2, b.x2) - Math.max(a.x1, b.x1) > 0.5 && Math.min(a.y2, b.y2) - Math.max(a.y1, b.y1) > 0.5;

let fitted = null;
/** The picked person's label is drawn at a readable size, their ties are all on screen with no
 * name written over another or over a circle, the others recede and the way back is offered. */
async function expectFocused(id) {
  await settled();
  const view = await mapView();
  const person = view.people.find((p) => p.id === id);
  expect(person.drawn && person.px >= READABLE_PX, `${person.name}'s label: drawn ${person.drawn} at ${person.px.toFixed(1)} px`);
  expect(person.ink > 0, `${person.name}'s label left no ink on the map`);
  const edges = await page.evaluate((nodeId) => window.dealgraphMap.getElementById(nodeId).closedNeighborhood('node').map((n) => {
    const cy = window.dealgraphMap; const p = n.renderedPosition();
    return { id: n.id(), inView: p.x >= 0 && p.x <= cy.width() && p.y >= 0 && p.y <= cy.height() };
  }), id);
  const away = edges.filter((n) => !n.inView).map((n) => n.id);
  expect(edges.length > 1 && away.length === 0, `ties off screen: ${away.join(', ')}`);
  const nodes = await around(id);
  const clashes = nodes.flatMap((a, i) => nodes.slice(i + 1).filter((b) => overlap(a.label, b.label) || overlap(a.label, b.box) || overlap(a.box, b.label))
    .map((b) => `${a.name} / ${b.name}`));
  expect(clashes.length === 0, `names written over each other or over a circle: ${clashes.join(', ')}`);
  const titles = await titlesOverNames();
  expect(titles.length === 0, `department titles over names: ${titles.join(', ')}`);
  const others = view.people.filter((p) => !person.neighbours.includes(p.id));
  expect(others.every((p) => p.opacity < 0.5), 'the others do not recede');
  expect(await page.locator('#whole-chain').isVisible(), 'no way back to the whole chain');
  return view;
}
async function expectWhole(label) {
  await settled();
  const view = await mapView();
  expect(Math.abs(view.zoom - fitted.zoom) < 1e-3 * fitted.zoom && Math.abs(view.pan.x - fitted.pan.x) < 1 && Math.abs(view.pan.y - fitted.pan.y) < 1,
    `${label}: the view is ${JSON.stringify([view.zoom, view.pan])}, fitted ${JSON.stringify([fitted.zoom, fitted.pan])}`);
  expect(view.people.every((p) => p.opacity === 1), `${label}: people are still faded`);
  expect(unreadable(view).length === 0, `${label}: labels drawn below ${READABLE_PX} px`);
  const titles = await titlesOverNames();
  expect(titles.length === 0, `${label}: department titles over names: ${titles.join(', ')}`);
}
async function openMid() {
  const since = Date.now();
  await page.goto(`${BASE_URL}/app/opportunities/${encodeURIComponent(MID_ID)}`);
  await mapReady(since);
  await settled();
  fitted = await mapView();
  expect(fitted.people.length >= 20, `${fitted.people.length} people`);
}

await check('a wide, shallow chain of 75 fitted to a laptop names everyone, no name over another, and so does its deal sheet', async () => {
  await openDealAt(WIDE_ID, { width: 1366, height: 900 });
  const view = await page.evaluate(() => {
    const cy = window.dealgraphMap;
    const box = cy.elements().boundingBox();
    const people = cy.nodes('.person').map((n) => ({ name: n.data('name'), drawn: cy.renderer().eleTextBiggerThanMin(n), px: n.pstyle('font-size').pfValue * cy.zoom() }));
    return { zoom: cy.zoom(), aspect: box.w / box.h, box: cy.width() / cy.height(), people };
  });
  expect(view.people.length === 75, `${view.people.length} people on the map`);
  // the map's shape close to its box: not a strip one person tall
  expect(view.aspect < 2 * view.box && view.aspect > view.box / 2, `the map is ${view.aspect.toFixed(2)} wide per height in a box of ${view.box.toFixed(2)} (zoom ${view.zoom.toFixed(2)})`);
  const unnamed = view.people.filter((p) => !(p.drawn && p.px >= READABLE_PX - 0.01));
  expect(unnamed.length === 0, `${unnamed.length} of 75 without a readable name at zoom ${view.zoom.toFixed(2)}, e.g. ${JSON.stringify(unnamed[0])}`);
  await expectNoNameOverAnother();
  await shot('11-wide-75');
  await page.click('#deal-sheet');
  await page.emulateMedia({ media: 'print' });
  const printedName = await page.evaluate(() => {
    const img = document.querySelector('#sheet img');
    return img.getBoundingClientRect().width / (img.naturalWidth / Number(img.dataset.scale)) * Number(img.dataset.namePx);
  });
  await shot('12-wide-75-sheet');
  writeFileSync(path.join(ARTIFACTS, 'deal-sheet-wide.pdf'), await page.pdf({ landscape: true, format: 'A4', printBackground: true }));
  await page.emulateMedia({ media: 'screen' });
  expect(printedName >= 10.6, `names of 75 print at ${printedName.toFixed(1)} CSS px (8 pt is 10.7)`);
  const after = await page.evaluate(() => window.dealgraphMap.zoom());
  expect(Math.abs(after - view.zoom) < 1e-6, 'printing changed the map on the screen');
  await page.setViewportSize({ width: 1600, height: 1000 });
});

await check('the demo deal fitted to a laptop screen names everyone on the map', async () => {
  await openDealAt(DEMO_ID, { width: 1280, height: 900 });
  const view = await mapView();
  expect(view.zoom * LABEL_PX < READABLE_PX, `the whole labels are readable already (zoom ${view.zoom.toFixed(2)}): nothing to test`);
  const unnamed = view.people.filter((p) => !(p.drawn && p.px >= READABLE_PX && p.ink > 0));
  expect(unnamed.length === 0, `${unnamed.length} people without a readable name, e.g. ${JSON.stringify(unnamed[0])} at zoom ${view.zoom}`);
  const titles = await titlesOverNames();
  expect(titles.length === 0, `department titles over names: ${titles.join(', ')}`);
  await expectNoNameOverAnother();
  await shot('focus-00-laptop-names');
  const rules = await page.evaluate(async () => {
    const cy = window.dealgraphMap;
    const before = cy.style().json().length;
    for (const zoom of [0.4, 0.45, 0.5, 0.6, 0.7, 0.45, 0.38]) cy.zoom(zoom);
    return [before, cy.style().json().length];
  });
  expect(rules[0] === rules[1], `zooming grew the map's stylesheet from ${rules[0]} to ${rules[1]} rules`);
  await page.setViewportSize({ width: 1600, height: 1000 });
});

await check('a 23-person chain fitted to the screen draws no label below a readable size', async () => {
  await openMid();
  const small = unreadable(fitted);
  expect(fitted.zoom * LABEL_PX < READABLE_PX, `the fitted map is readable already (zoom ${fitted.zoom.toFixed(2)}): nothing to test`);
  expect(small.length === 0, `${small.length} labels drawn at ${small[0]?.px.toFixed(1)} px, e.g. ${small[0]?.name}`);
  // the name is still found: pointing at a person names them
  const person = fitted.people.find((p) => p.id === P.wide);
  const { x, y } = await nodeCentre(P.wide);
  await page.mouse.move(x, y);
  const tip = page.locator('#map-tip');
  await tip.waitFor();
  expect((await tip.innerText()).includes(person.name.split(' ').slice(0, 2).join(' ')), `the tip reads ${await tip.innerText()}`);
  await shot('focus-01-fit');
  await page.mouse.move(5, 5);
});

await check('picking a person on the map brings them and their ties into view, readable', async () => {
  const { x, y } = await nodeCentre(P.wide);
  await page.mouse.click(x, y);
  await page.locator('#person-title').waitFor();
  await expectFocused(P.wide);
  await shot('focus-02-desktop');
});

await check('"Whole chain" and Escape return to the fitted view', async () => {
  await page.click('#whole-chain');
  await expectWhole('Whole chain');
  expect(!(await page.locator('#whole-chain').isVisible()), 'Whole chain is offered on the whole chain');
  await page.click(`.person-item[data-id="${P.narrow}"]`); // picked from the list
  await expectFocused(P.narrow);
  await page.keyboard.press('Escape');
  await expectWhole('Escape');
  await page.selectOption('#language', 'zh-CN');
  await mapReady(Date.now() - 1);
  await page.click(`.person-item[data-id="${P.narrow}"]`);
  await settled();
  expect((await page.locator('#whole-chain').innerText()) === '整个决策链', `the way back reads ${await page.locator('#whole-chain').innerText()}`);
  await page.click('#whole-chain');
  await settled();
  await page.selectOption('#language', 'en');
  await mapReady(Date.now() - 1);
});

await check('on a 390 px phone the fitted chain draws no smudges and a tapped person is readable with their ties', async () => {
  await page.setViewportSize({ width: 390, height: 844 });
  await openMid();
  expect(unreadable(fitted).length === 0, `labels drawn below ${READABLE_PX} px on the phone`);
  await page.locator('#cy').scrollIntoViewIfNeeded();
  await shot('focus-04-phone-fit');
  const { x, y } = await nodeCentre(P.narrow);
  await page.mouse.click(x, y);
  await page.locator('#person-title').waitFor();
  await page.waitForFunction(() => {
    const box = document.getElementById('person-panel').getBoundingClientRect();
    return box.top < window.innerHeight && box.bottom > 0;
  });
  await expectFocused(P.narrow);
  await page.locator('#cy').scrollIntoViewIfNeeded();
  await shot('focus-03-phone');
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(width <= 390, `the page is ${width} px wide on a 390 px phone`);
  // the panel reads on with the page: no box scrolling inside the scrolling page
  const inner = await page.$$eval('.panel', (ps) => ps.filter((p) => p.scrollHeight > p.clientHeight + 1).map((p) => `${p.id || p.className} ${p.clientHeight}/${p.scrollHeight}`));
  expect(inner.length === 0, `a panel scrolls inside the page on the phone: ${inner.join(', ')}`);
  await page.evaluate(() => document.getElementById('person-panel').scrollIntoView({ block: 'start' }));
  await shot('focus-03b-phone-panel');
  await page.keyboard.press('Escape');
  await expectWhole('Escape on the phone');
  await page.setViewportSize({ width: 1600, height: 1000 });
});

/** On the phone, a person with many ties picked from the list: every tie on the map's screen
 * without panning, each named at a readable size, no name written over another or a circle. */
async function expectWholeNeighbourhood(deal, id, file) {
  const since = Date.now();
  await page.goto(`${BASE_URL}/app/opportunities/${encodeURIComponent(deal)}`);
  await mapReady(since);
  await page.click(`.person-item[data-id="${id}"]`);
  await page.locator('#person-title').waitFor();
  await expectFocused(id);
  const [w, h] = await page.evaluate(() => [window.dealgraphMap.width(), window.dealgraphMap.height()]);
  const nodes = await around(id);
  expect(nodes.length >= 6, `only ${nodes.length - 1} ties: not a wide neighbourhood`);
  const out = nodes.filter((n) => n.box.x1 < 0 || n.box.y1 < 0 || n.box.x2 > w || n.box.y2 > h).map((n) => n.name);
  expect(out.length === 0, `${out.length} of ${nodes.length} need panning to be seen: ${out.join(', ')}`);
  const small = nodes.filter((n) => !n.drawn || n.px < READABLE_PX - 0.01).map((n) => `${n.name} (${n.px.toFixed(1)} px)`);
  expect(small.length === 0, `names not drawn at a readable size: ${small.join(', ')}`);
  await page.locator('#cy').scrollIntoViewIfNeeded();
  await shot(file);
  await page.keyboard.press('Escape');
  await settled();
}

await check('on a 390 px phone a person with many ties is shown with every tie named on screen, no panning', async () => {
  await page.setViewportSize({ width: 390, height: 844 });
  await expectWholeNeighbourhood(DEMO_ID, P.president, 'focus-05-phone-decision-maker');
  await expectWholeNeighbourhood(MID_ID, P.wide, 'focus-06-phone-wide');
  await page.setViewportSize({ width: 1600, height: 1000 });
});

/** On the phone, a deal's map fitted to its box: every person and each of our people named, in
 * the map's box, drawn (Cytoscape's own test) at a readable size on the screen (the label's
 * font size times the zoom) and leaving ink there. */
async function expectNamedOnPhone(deal, file) {
  const since = Date.now();
  await page.goto(`${BASE_URL}/app/opportunities/${encodeURIComponent(deal)}`);
  await mapReady(since);
  await settled();
  const view = await mapView();
  const ours = await page.evaluate(() => {
    const cy = window.dealgraphMap;
    return cy.nodes('.member').map((n) => {
      const p = n.renderedPosition();
      return { name: n.data('name'), drawn: cy.renderer().eleTextBiggerThanMin(n), px: n.pstyle('font-size').pfValue * cy.zoom(),
        inView: p.x >= 0 && p.x <= cy.width() && p.y >= 0 && p.y <= cy.height() };
    });
  });
  const unnamed = [...view.people, ...ours.map((m) => ({ ...m, ink: 1 }))].filter((p) => !(p.inView && p.drawn && p.px >= READABLE_PX - 0.01 && p.ink > 0));
  const sizes = view.people.map((p) => p.px);
  expect(unnamed.length === 0, `${unnamed.length} of ${view.people.length + ours.length} without a readable name at zoom ${view.zoom.toFixed(2)} (names ${Math.min(...sizes).toFixed(1)}–${Math.max(...sizes).toFixed(1)} px on the screen), e.g. ${JSON.stringify(unnamed[0])}`);
  expect(await page.evaluate(() => document.documentElement.scrollWidth) <= 390, 'the page is wider than the phone');
  await expectNoNameOverAnother();
  await page.locator('#cy').scrollIntoViewIfNeeded();
  await shot(file);
  return view;
}

await check('on a 390 px phone the demo deal and a 23-person chain fitted to the map name everyone legibly', async () => {
  await page.setViewportSize({ width: 390, height: 844 });
  await expectNamedOnPhone(DEMO_ID, 'phone-demo-fit');
  await expectNamedOnPhone(MID_ID, 'phone-23-fit');
  await page.setViewportSize({ width: 1600, height: 1000 });
});

await check('on a 390 px phone the wide chain of 75 fitted to the map names everyone at a readable size', async () => {
  await openDealAt(WIDE_ID, { width: 390, height: 844 });
  const view = await mapView();
  const unnamed = view.people.filter((p) => !(p.inView && p.drawn && p.px >= READABLE_PX - 0.01 && p.ink > 0));
  expect(view.people.length === 75 && unnamed.length === 0, `${unnamed.length} of ${view.people.length} without a readable name at zoom ${view.zoom.toFixed(2)}, e.g. ${unnamed[0]?.name}`);
  await expectNoNameOverAnother();
  await page.locator('#cy').scrollIntoViewIfNeeded();
  await shot('wide-75-phone');
  await page.setViewportSize({ width: 1600, height: 1000 });
});

/** Everyone on the map in its box and named at a readable size (see expectNamedOnPhone). */
const unnamedOn = (view) => view.people.filter((p) => !(p.inView && p.drawn && p.px >= READABLE_PX - 0.01 && p.ink > 0));
/** Resize the page like a phone turned and wait for the map laid out again for its new box. */
async function turn(size) {
  const since = Date.now();
  await page.setViewportSize(size);
  await mapReady(since);
  await settled();
  return mapView();
}

await check('a phone turned to landscape and back lays the chain of 75 out again for its box, everyone named; a view zoomed by hand is kept', async () => {
  await openDealAt(WIDE_ID, { width: 390, height: 844 });
  const upright = await mapView();
  const wide = await turn({ width: 844, height: 390 });
  expect(unnamedOn(wide).length === 0, `landscape: ${unnamedOn(wide).length} of 75 out of the box or unnamed, e.g. ${unnamedOn(wide)[0]?.name}`);
  expect(Math.abs(wide.zoom - upright.zoom) > 1e-3, 'landscape: the view was not fitted again');
  await expectNoNameOverAnother('landscape');
  await page.locator('#cy').scrollIntoViewIfNeeded();
  await shot('wide-75-landscape');
  const back = await turn({ width: 390, height: 844 });
  expect(unnamedOn(back).length === 0, `upright again: ${unnamedOn(back).length} of 75 out of the box or unnamed`);
  // as if opened upright (to within 2 %: the packed rows come out a hair different)
  expect(Math.abs(back.zoom - upright.zoom) < 0.02 * upright.zoom, `upright again at zoom ${back.zoom}, opened at ${upright.zoom}`);
  const zoomed = await page.evaluate(() => { const cy = window.dealgraphMap; cy.zoom({ level: cy.zoom() * 2, renderedPosition: { x: 40, y: 40 } }); return cy.zoom(); });
  await page.setViewportSize({ width: 844, height: 390 });
  await page.waitForTimeout(600); // longer than the map waits for a resize to rest
  const kept = await page.evaluate(() => window.dealgraphMap.zoom());
  expect(Math.abs(kept - zoomed) < 1e-6 * zoomed, `the zoom by hand went from ${zoomed} to ${kept}`);
  await page.setViewportSize({ width: 1600, height: 1000 });
});

await check('the account manager moves the demo deal back a stage: its likelihood does not rise, and Can we win says why the risks of the stage it left still count', async () => {
  await page.evaluate((token) => sessionStorage.setItem('dealgraph.token', token), AM_TOKEN);
  await openDealAt(DEMO_ID, { width: 1600, height: 1000 });
  await page.waitForFunction(() => Number(document.getElementById('process')?.dataset.ready ?? 0) > 0);
  const before = await page.locator('#likelihood').innerText();
  await page.click('#move-deal-card summary');
  const form = page.locator('#move-deal');
  await form.locator('[data-field="input.toStage"]').selectOption('REQUIREMENTS');
  await form.locator('[data-field="input.reason"]').fill('The hospital widened the scope to its two branch campuses');
  const at = Date.now();
  await form.locator('button[type=submit]').click();
  await page.waitForFunction((t) => Number(document.getElementById('process')?.dataset.ready ?? 0) >= t, at);
  await mapReady(at - 1);
  const after = await page.locator('#likelihood').innerText();
  expect(parseFloat(after) <= parseFloat(before), `moving the deal back raised its likelihood from ${before} to ${after}`);
  const win = page.locator('#q-canWin');
  await win.locator('summary').click();
  const reasons = await win.locator('li').allInnerTexts();
  expect(reasons.some((r) => r.includes('Moved back from 4 Value presentation to 3 Requirements analysis')), `Can we win reads ${reasons.join(' | ')}`);
  expect(reasons.some((r) => r.includes('objected to our price')), `the voiced price objection is gone: ${reasons.join(' | ')}`);
  const why = await page.locator('#stage-why').innerText();
  expect(why.includes('widened the scope'), `the card says the move back was for ${why}`);
  await win.scrollIntoViewIfNeeded();
  await shot('moved-back-can-we-win');
});

await check('a 401 brings the sign-in back', async () => {
  await page.evaluate(() => sessionStorage.setItem('dealgraph.token', 'dg_revoked'));
  await page.reload();
  await page.locator('#sign-in').waitFor();
});

await check('no script errors in the console', async () => {
  const unexpected = consoleErrors.filter((e) => !e.includes('401'));
  expect(unexpected.length === 0, unexpected.join('\n'));
});

console.log(`TIMINGS ${JSON.stringify(timings)}`);
await close();
