// Every page type, in Japanese and in English, passes axe-core's WCAG 2.0
// and 2.1 level A and AA rules with no serious or critical violation: the
// machine-checkable part of JIS X 8341-3:2016 level AA, which Japanese
// public-sector sites are held to. axe-core is injected from node_modules.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { adminPage, axe, launch, newContext, password, setLanguage, shot, submit } from './lib.mjs';

const file = '08-accessibility';
let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

// check runs axe-core on the page and collects what it finds under the
// page's name, so one run reports every page at once.
async function check(page, lang, name, problems) {
  const found = await axe(page);
  await shot(page, file, `${lang}-${name}`);
  for (const f of found) problems.push(`${lang} ${name} (${new URL(page.url()).pathname}): ${f}`);
}

for (const lang of ['ja', 'en']) {
  test(`the sign-in page has no serious or critical axe-core violation (${lang})`, { timeout: 60_000 }, async () => {
    const ctx = await newContext(browser);
    const page = await ctx.newPage();
    await page.goto('/login');
    await setLanguage(page, lang);
    const problems = [];
    await check(page, lang, 'login', problems);
    // A refused password: the page again, with its alert.
    await page.fill('#name', 'demo');
    await page.fill('#password', 'not the password');
    await submit(page, page.locator('form[action="/login"] button[type=submit]'));
    await page.locator('[role=alert]').waitFor();
    await check(page, lang, 'login-refused', problems);
    await ctx.close();
    assert.deepEqual(problems, []);
  });

  test(`every page of a signed-in administrator has no serious or critical axe-core violation (${lang})`, { timeout: 180_000 }, async () => {
    const page = await adminPage(browser);
    await setLanguage(page, lang);
    await page.goto('/systems');
    const system = await page.locator('table.list tbody a[href^="/systems/"]').first().getAttribute('href');
    // The demo's last remediation item was closed with evidence and
    // reopened: its page shows a history, evidence and actions.
    await page.goto('/workflows');
    const item = await page.locator('a[href^="/workflows/"]').last().getAttribute('href');
    assert.match(item ?? '', /^\/workflows\/\d+$/, 'the demo has workflow items');
    const pages = [
      ['dashboard', '/dashboard'],
      ['systems', '/systems'],
      ['system', system],
      ['findings', '/findings'],
      ['workflows', '/workflows'],
      ['workflow', item],
      ['report', '/report'],
      ['import', '/import'],
      ['audit-log', '/audit-log'],
      ['admin', '/admin'],
      ['admin-organizations', '/admin/organizations'],
      ['admin-users', '/admin/users'],
      ['admin-new-user', '/admin/users/new'],
      ['admin-user', '/admin/users/demo'],
      ['password', '/password'],
      ['not-found', '/no-such-page'],
    ];
    const problems = [];
    for (const [name, path] of pages) {
      await page.goto(path);
      await check(page, lang, name, problems);
    }
    await page.context().close();
    assert.deepEqual(problems, []);
  });

  test(`a new officer's first sign-in, password change and enrolment have no serious or critical axe-core violation (${lang})`,
    { timeout: 120_000 }, async () => {
      // The administrator creates an account whose role needs a second
      // factor; its first sign-in asks for a new password, then enrolment.
      const admin = await adminPage(browser);
      const name = `a11y-${lang}-${Date.now()}`;
      const org = await firstOrg(admin);
      await admin.goto('/admin/users/new');
      await admin.fill('#name', name);
      await admin.selectOption('#role', 'org_security');
      await admin.fill('#org', org);
      await submit(admin, admin.locator('form[action="/admin/users"] button[type=submit]'));
      const onetime = (await admin.locator('#password').textContent()).trim();
      assert.ok(onetime, 'the new account has a one-time password');
      const problems = [];
      await check(admin, lang, 'admin-created', problems);
      await admin.context().close();

      const ctx = await newContext(browser);
      const page = await ctx.newPage();
      await page.goto('/login');
      await setLanguage(page, lang);
      await page.fill('#name', name);
      await page.fill('#password', onetime);
      await submit(page, page.locator('form[action="/login"] button[type=submit]'));
      if (new URL(page.url()).pathname === '/password') {
        await check(page, lang, 'password-forced', problems);
        await page.fill('#current', onetime);
        await page.fill('#new', password + '-new');
        await page.fill('#confirm', password + '-new');
        await submit(page, page.locator('form[action="/password"] button[type=submit]'));
        await check(page, lang, 'password-done', problems);
        await page.goto('/enrol');
      }
      assert.equal(new URL(page.url()).pathname, '/enrol', 'the new officer is asked to enrol a second factor');
      await check(page, lang, 'enrol', problems);
      await ctx.close();
      assert.deepEqual(problems, []);
    });
}

// firstOrg is the code of an organization in the administration's list.
async function firstOrg(page) {
  await page.goto('/admin/organizations');
  return (await page.locator('main table tbody td.code').first().textContent()).trim();
}
