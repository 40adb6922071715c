// The page while the store hangs, as a signed-in person meets it: it says it is loading, then,
// as the wait goes on, that it is still waiting and what that may mean, then (at the request's
// deadline) that the store is unavailable; in English and in Chinese. Once the store wakes, the
// same session reloads to its pipeline. Started by test_hung_store_page.py, which freezes the
// store before this script starts and thaws it when the file THAW_FILE appears.
import { writeFileSync } from 'node:fs';
import { expect, openBrowser } from './harness.mjs';

const { BASE_URL, TOKEN, ARTIFACTS, THAW_FILE } = process.env;
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
  en: { loading: 'Loading…', still: 'Still waiting for the server', down: 'the store is unavailable' },
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

await close();
