// Our people before anyone is with us, as an administrator starts them: the empty list says so
// (in English and in Chinese), the first two are added, 刘洋 is made to report to 赵志刚 and is
// given a login: the notice of the reporting line goes once the login's token is shown (it spoke
// of the change before), and 刘洋, who has a login now, is not offered a second one.
// Started by test_people_page.py; prints "ok - <check>" per check and stops at the first failure.
import { expect, openBrowser, pageApi, signIn } from './harness.mjs';

const { BASE_URL, ARTIFACTS } = process.env;
const TOKENS = JSON.parse(process.env.TOKENS); // login -> token
const { page, consoleErrors, check, close, shot: picture } = await openBrowser({
  artifacts: ARTIFACTS, failureShot: 'people-first-failure.png', viewport: { width: 1366, height: 900 },
});
const shot = (name, fullPage = false) => picture(`people-first-${name}.png`, { fullPage });
const rowOf = (name) => page.locator('#people tr.person', { has: page.locator('td.name', { hasText: name }) });
const banner = page.locator('#notice .banner');

await check('nobody is with us yet: the list says so and how to add the first, in English and in Chinese', async () => {
  await signIn(page, BASE_URL, TOKENS.admin);
  await page.goto(`${BASE_URL}/app/people`);
  const empty = page.locator('#people tr.empty');
  await empty.waitFor();
  const said = await empty.innerText();
  expect(said === 'Nobody is on our team yet: add the first with “New team member…”.', `the empty list reads "${said}"`);
  await shot('01-empty');
  await page.selectOption('#language', 'zh-CN');
  await page.locator('#people tr.empty', { hasText: '我方团队中还没有人' }).waitFor();
  const zh = await page.locator('#people tr.empty').innerText();
  expect(zh === '我方团队中还没有人：请用“新增团队成员…”添加第一位。', `in Chinese: "${zh}"`);
  await shot('02-empty-zh');
  await page.selectOption('#language', 'en');
  await page.locator('#people tr.empty', { hasText: 'Nobody' }).waitFor();
});

/** Add one of ours with the page's form; waits for their row. */
async function add(name, role) {
  await page.locator('#new-member summary').click();
  const form = page.locator('#new-member-form');
  await form.locator('[data-field="input.name"] input, input').first().fill(name);
  await form.locator('select').first().selectOption(role);
  await form.locator('button[type=submit]').click();
  await rowOf(name).waitFor();
}

await check('the first two are added: the empty line is gone', async () => {
  await add('赵志刚', 'SALES_DIRECTOR');
  expect(await page.locator('#people tr.empty').count() === 0, 'the empty line stays beside 赵志刚');
  await add('刘洋', 'ACCOUNT_MANAGER');
  expect(await page.locator('#people tr.person').count() === 2, `rows: ${await page.locator('#people tr.person').count()}`);
});

await check('刘洋 reports to 赵志刚, then is given a login: the reporting line\'s notice goes when the token is shown, and no second login is offered', async () => {
  await rowOf('刘洋').locator('button.add-manager').click();
  const managerForm = page.locator('#manager-form');
  const option = await managerForm.locator('select option', { hasText: '赵志刚' }).getAttribute('value');
  await managerForm.locator('select').selectOption(option);
  await managerForm.locator('button[type=submit]').click();
  await banner.filter({ hasText: '刘洋 now reports to 赵志刚.' }).waitFor();
  expect(await rowOf('刘洋').locator('button.give-login').count() === 1, '刘洋, without a login, is not offered one');
  await rowOf('刘洋').locator('button.give-login').click();
  const form = page.locator('#login-form');
  await form.locator('input').fill('liu.yang');
  expect(await banner.count() === 1, 'the reporting line\'s notice went before the login was given: nothing to check');
  await form.locator('button[type=submit]').click();
  await page.locator('#new-token').waitFor();
  expect(await banner.count() === 0, `the notice still reads "${await banner.first().innerText().catch(() => '')}" beside the token`);
  const logins = await rowOf('刘洋').locator('td.logins li.login').allInnerTexts();
  expect(logins.length === 1 && logins[0].startsWith('liu.yang'), `刘洋's logins: ${logins}`);
  expect(await rowOf('刘洋').locator('button.give-login').count() === 0, '刘洋 has a login and is offered another');
  expect(await rowOf('刘洋').locator('button.new-token').count() === 1, '刘洋\'s login is not offered a new token');
  expect(await rowOf('赵志刚').locator('button.give-login').count() === 1, '赵志刚, without a login, is not offered one');
  await shot('03-login-given', true);
});

await check('someone added with no role yet is made a sales director on the page, and decides as one', async () => {
  await add('王振华', '');
  expect((await rowOf('王振华').locator('td.role').innerText()).startsWith('–'), 'a role is shown for someone who has none');
  await rowOf('王振华').locator('button.change-role').click();
  const form = page.locator('#role-form');
  expect((await form.locator('h3').innerText()) === 'The role of 王振华', `the form is headed ${await form.locator('h3').innerText()}`);
  await form.locator('select').selectOption('SALES_DIRECTOR');
  await form.locator('button[type=submit]').click();
  await banner.filter({ hasText: '王振华 is now Sales director.' }).waitFor();
  expect((await rowOf('王振华').locator('td.role').innerText()).startsWith('Sales director'), `the row reads ${await rowOf('王振华').innerText()}`);
  await shot('04-role-changed', true);
  // what a sales director decides follows the role stored, not the page
  const { teamMembers } = await pageApi(page, '{ teamMembers(first: 10) { nodes { name role } } }');
  expect(teamMembers.nodes.some((m) => m.name === '王振华' && m.role === 'SALES_DIRECTOR'), JSON.stringify(teamMembers));
  await page.selectOption('#language', 'zh-CN');
  // the row as the page draws it in Chinese: the English one stays until the switch redraws it
  const change = rowOf('王振华').locator('button.change-role', { hasText: '修改' });
  await change.waitFor();
  await change.click();
  await page.locator('#role-form').locator('select').selectOption('ACCOUNT_MANAGER');
  await page.locator('#role-form button[type=submit]').click();
  await banner.filter({ hasText: '王振华现在是客户经理。' }).waitFor();
  await page.selectOption('#language', 'en');
  expect(consoleErrors.length === 0, `console errors: ${consoleErrors.join(' | ')}`);
});

await close();
