// The page while the store hangs, as a signed-in person meets it: it says it is loading, then,
// as the wait goes on, that it is still waiting and what that may mean, then (at the request's
// deadline) that the store is unavailable; in English and in Chinese. Once the store wakes, the
// same session reloads to its pipeline; a form saved while the store hangs again says it is still
// saving, then that the change was not saved (it never ran: its sender could not be checked). Started by test_hung_store_page.py, which
// freezes the store before this script starts, and freezes or thaws it when the file FREEZE_FILE
// or THAW_FILE appears (removing the file once done).
import { existsSync, writeFileSync } from 'node:fs';
import { expect, openBrowser } from './harness.mjs';

const { BASE_URL, TOKEN, ARTIFACTS, FREEZE_FILE, THAW_FILE } = process.env;
const DEADLINE_MS = Number(process.env.DEADLINE_SECONDS) * 1000;
const { page, check, close, shot: picture } = await openBrowser({
  artifacts: ARTIFACTS, failureShot: 'hung-failure.png', viewport: { width: 1280, height: 800 },
});
const shot = (name) => picture(`hung-${name}.png`);

/** Open the app signed in (the token already in the session), in ``lang``, while the store hangs. */
async function openSignedIn(lang) {
  await page.goto(`${BASE_URL}/app`);
  await page.evaluate(([token, l]) => { sessionStorage.setItem('dealgraph.token', token); localStorage.setItem('dealgraph.lang', l); }, [TOKEN, lang]);
  const opened = Date.now();
  await page.reload({ waitUntil: 'domcontentloaded' });
  return opened;
}

const TEXTS = {
  en: { loading: 'Loading…', still: 'Still waiting for the server', down: 'The store is unavailable' },
  'zh-CN': { loading: '加载中…', still: '仍在等待服务器应答', down: '数据存储暂时不可用' },
};

for (const [lang, said] of Object.entries(TEXTS)) {
  await check(`${lang}: a page waiting on a hung store says it is loading, then that it still waits`, async () => {
    const opened = await openSignedIn(lang);
    const line = page.locator('main > .loading');
    await line.waitFor({ timeout: 2000 });
    expect((await line.innerText()).startsWith(said.loading), `the first page reads ${JSON.stringify(await page.locator('main').innerText())}`);
    await page.waitForFunction((text) => document.querySelector('main > .loading')?.textContent.startsWith(text), said.still, { timeout: DEADLINE_MS });
    expect(Date.now() - opened < DEADLINE_MS, 'the still-waiting note came only after the deadline');
    expect(await page.locator('main > .loading').getAttribute('role') === 'status', 'the note is not announced to a screen reader');
    await shot(`${lang}-still-waiting`);
  });

  await check(`${lang}: at the deadline the page says the store is unavailable, and the wait ends`, async () => {
    const banner = page.locator('main > .banner.error');
    await banner.waitFor({ timeout: DEADLINE_MS + 5000 });
    const text = await banner.innerText();
    expect(text.includes(said.down), `the banner reads ${JSON.stringify(text)}`);
    expect(await page.locator('main > .loading').count() === 0, 'the loading note stays beside the banner');
    expect(!/Traceback|bolt:|redis|Error:/.test(text), `the banner leaks ${JSON.stringify(text)}`);
    expect(await banner.locator('button.retry').count() === 1, 'the banner offers no way to try again');
    await shot(`${lang}-unavailable`);
  });
}

await check('once the store answers again, "Try again" brings the same session to its pipeline', async () => {
  writeFileSync(THAW_FILE, 'thaw');
  const until = Date.now() + 4 * DEADLINE_MS;
  for (;;) {
    await page.locator('main > .banner.error button.retry').click();
    const shown = await Promise.race([
      page.locator('main h1').waitFor({ timeout: DEADLINE_MS + 2000 }).then(() => 'page'),
      page.locator('main > .banner.error button.retry').waitFor({ timeout: DEADLINE_MS + 2000 }).then(() => 'banner'),
    ]).catch(() => 'nothing');
    if (shown === 'page') break;
    expect(shown === 'banner' && Date.now() < until, 'the page never came back after the store did');
  }
  expect((await page.locator('main h1').innerText()) === '商机管道', 'another page than the pipeline');
  expect(await page.locator('#sign-in').count() === 0, 'the session was lost');
  expect(await page.locator('main > .banner.error').count() === 0, 'the banner stays over the page');
  await shot('back');
});

/** Ask the test to freeze (or thaw) the store, and wait until it has. */
async function store(file) {
  writeFileSync(file, 'asked');
  const until = Date.now() + 10_000;
  while (existsSync(file)) {
    expect(Date.now() < until, `the store was not ${file === FREEZE_FILE ? 'frozen' : 'thawed'}`);
    await new Promise((resolve) => { setTimeout(resolve, 100); });
  }
}

await check('a form saved while the store hangs says it is still saving, then that the change was not saved', async () => {
  await page.click('#new-deal');
  const form = page.locator('#new-deal-form');
  await form.waitFor();
  await page.locator('#new-customer').waitFor();
  await page.fill('#new-customer [data-field="input.customer.name"]', '江州第二人民医院');
  await page.fill('#new-deal-form [data-field="input.name"]', '移动护理');
  await store(FREEZE_FILE);
  const sent = Date.now();
  await form.locator('button[type=submit]').click();
  const still = form.locator('p.saving');
  await still.waitFor({ timeout: DEADLINE_MS });
  const waited = Date.now() - sent;
  expect(waited > 4000 && waited < DEADLINE_MS, `the still-saving line came after ${waited} ms`);
  expect((await still.innerText()).startsWith('仍在保存'), `it reads ${await still.innerText()}`);
  expect(await form.locator('button[type=submit]').isDisabled(), 'the button can be pressed again while it saves');
  expect(await still.getAttribute('role') === 'status', 'the line is not announced to a screen reader');
  await shot('saving');
  const refused = form.locator('.field-error');
  await refused.waitFor({ timeout: DEADLINE_MS });
  const said = await refused.innerText();
  // the change never ran: who sent it could not be checked, so it is not saved (not "may be")
  expect(said.includes('您的修改没有保存'), `the form says ${said}`);
  expect(await form.locator('p.saving').count() === 0, 'the still-saving line stays beside the refusal');
  expect(!(await form.locator('button[type=submit]').isDisabled()), 'the button stays disabled');
  await shot('saving-refused');
  await store(THAW_FILE);
});

await close();
