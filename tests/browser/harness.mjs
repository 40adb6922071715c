// What every browser script shares: Debian's Chromium through playwright-core (a fresh
// profile each run), and checks that print "ok - <check>" and stop at the first failure with
// a full-page screenshot. The Python side (browser_run.py) counts the lines.
import { createRequire } from 'node:module';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export function expect(condition, message) { if (!condition) throw new Error(message); }

/** Wait until the page shows what a person would see once it comes to rest: fonts loaded, no
 * CSS transition, and the map (when one is on the page) with no animation running, its
 * viewport, its people, the page's scroll and the map's "settled" mark unchanged over
 * ``frames`` frames in a row. A screenshot taken mid-glide shows a zoom and a pan nobody
 * stops at (and no labels while the zoom is below the readable size). */
export async function settle(page, { frames = 4, timeout = 10000 } = {}) {
  await page.evaluate(() => document.fonts.ready);
  const stable = await page.evaluate(({ frames, timeout }) => new Promise((resolve) => {
    const cy = window.dealgraphMap;
    const onPage = cy && !cy.destroyed() && document.contains(cy.container());
    const still = () => document.getAnimations().every((a) => a.playState !== 'running')
      && (!onPage || (cy.container().dataset.settled === 'true' && !cy.animated() && !cy.nodes().some((n) => n.animated())));
    const view = () => JSON.stringify([scrollX, scrollY, onPage ? [cy.zoom(), cy.pan(), cy.width(), cy.height(),
      cy.nodes().map((n) => n.position())] : null]);
    const deadline = performance.now() + timeout;
    let [last, calm] = [null, 0];
    const frame = () => {
      const now = view();
      calm = still() && now === last ? calm + 1 : 0;
      last = now;
      if (calm >= frames) resolve(true);
      else if (performance.now() > deadline) resolve(false);
      else requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
  }), { frames, timeout });
  expect(stable, `the page did not come to rest within ${timeout} ms`);
}

/** Open Chromium; ``failureShot`` names the screenshot of a failed check in ``artifacts``. */
export async function openBrowser({ artifacts, failureShot = 'failure.png', ...options }) {
  const require = createRequire(path.resolve(process.env.TOOLS_DIR, 'package.json'));
  const { chromium } = require('playwright-core');
  mkdirSync(artifacts, { recursive: true });
  const profile = mkdtempSync(path.join(tmpdir(), 'dealgraph-chromium-'));
  // a persistent context is how Playwright takes a fresh --user-data-dir
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run'],
    viewport: { width: 1600, height: 1000 },
    locale: 'en-US',
    ...options,
  });
  const page = context.pages()[0] ?? await context.newPage();
  const consoleErrors = [];
  page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
  page.on('pageerror', (e) => consoleErrors.push(String(e)));
  let failed = false;

  /** Run one named check unless an earlier one failed. */
  async function check(name, body) {
    if (failed) return;
    try {
      await body();
      console.log(`ok - ${name}`);
    } catch (error) {
      failed = true;
      console.log(`not ok - ${name}: ${error.stack ?? error}`);
      await page.screenshot({ path: path.join(artifacts, failureShot), fullPage: true }).catch(() => {});
    }
  }

  /** Close the browser and end the script: non-zero when a check failed. */
  async function close() {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
    process.exit(failed ? 1 : 0);
  }

  /** A screenshot in ``artifacts`` once the page has come to rest (``settle``). */
  async function shot(file, options = {}) {
    await settle(page);
    await page.screenshot({ path: path.join(artifacts, file), ...options });
  }

  return { context, page, consoleErrors, check, close, shot };
}

/** Sign in on the sign-in form with a login's own ``token``, the page in ``lang``. The last
 * login's session ends once its page has finished loading: a token cleared under a page still
 * asking the API would answer that page 401. */
export async function signIn(page, base, token, lang = 'en') {
  await page.goto(`${base}/app`, { waitUntil: 'networkidle' });
  await page.evaluate((l) => { sessionStorage.clear(); localStorage.setItem('dealgraph.lang', l); }, lang);
  await page.goto(`${base}/app`);
  await page.locator('#sign-in').waitFor();
  await page.fill('#token', token);
  await page.click('#sign-in button[type=submit]');
  await page.locator('#sign-out').waitFor();
  await page.locator('main h1').waitFor();
}

/** The API as the signed-in login (the token the page keeps in its session); a top-level error
 * fails the check. */
export async function pageApi(page, query, variables = {}) {
  return page.evaluate(async ([q, v]) => {
    const response = await fetch('/graphql', { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${sessionStorage.getItem('dealgraph.token')}` }, body: JSON.stringify({ query: q, variables: v }) });
    const body = await response.json();
    if (body.errors) throw new Error(JSON.stringify(body.errors));
    return body.data;
  }, [query, variables]);
}
