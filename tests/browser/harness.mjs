// What every browser script shares: Debian's Chromium through playwright-core (a fresh
// profile each run), and checks that print "ok - <check>" and stop at the first failure with
// a full-page screenshot. The Python side (browser_run.py) counts the lines.
import { createRequire } from 'node:module';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export function expect(condition, message) { if (!condition) throw new Error(message); }

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

  return { context, page, consoleErrors, check, close };
}
