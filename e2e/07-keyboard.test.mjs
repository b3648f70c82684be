// Every form works from the keyboard alone: Tab reaches its fields and its
// button, text is typed, a choice is made with the arrow keys, a file is
// chosen with Space, and Enter (or Space) submits. The sign-in page: Tab
// reaches the name, the password and the submit button in that order.
import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  adminPage, alertText, enrolSecret, freshCode, launch, newContext, password, shot, viewerPage,
} from './lib.mjs';

const here = dirname(fileURLToPath(import.meta.url));

const file = '07-keyboard';
let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

// focused describes the element with the keyboard focus.
const focused = (page) => page.evaluate(() => {
  const e = document.activeElement;
  return e ? { tag: e.tagName.toLowerCase(), id: e.id, type: e.getAttribute('type') || '', form: e.form?.getAttribute('action') || '' } : null;
});

test('Tab reaches name, password and submit on the sign-in page; Enter signs in', { timeout: 60_000 }, async () => {
  const ctx = await newContext(browser);
  const page = await ctx.newPage();
  await page.goto('/login');
  // Start from the top of the document, as a keyboard user arriving would
  // (the name field's autofocus would otherwise skip the header).
  const first = await page.evaluate(() => {
    const e = document.querySelector('a[href], button, input:not([type=hidden]), select, textarea');
    e.focus();
    return e.id || e.textContent.trim();
  });
  const order = [first];
  for (let i = 0; i < 15; i++) {
    await page.keyboard.press('Tab');
    const f = await focused(page);
    const what = f.tag === 'button' && f.form === '/login' ? 'submit' : f.id;
    order.push(what);
    if (what === 'name') await page.keyboard.type('demo');
    if (what === 'password') await page.keyboard.type(password);
    if (what === 'submit') break;
  }
  const at = (x) => order.indexOf(x);
  assert.ok(at('name') >= 0 && at('password') > at('name') && at('submit') > at('password'),
    `Tab order reaches name, password, submit (got ${order.join(', ')})`);
  await shot(page, file, 'submit-focused');
  await Promise.all([page.waitForEvent('load'), page.keyboard.press('Enter')]);
  assert.equal(new URL(page.url()).pathname, '/dashboard', 'Enter on the submit button signs in');
  await shot(page, file, 'signed-in');
  await ctx.close();
});

// tabTo presses Tab, from wherever the focus is, until the element that
// matches selector has it; it fails if Tab never gets there.
async function tabTo(page, selector, max = 80) {
  for (let i = 0; i < max; i++) {
    if (await page.evaluate((s) => !!document.activeElement?.matches(s), selector)) return;
    await page.keyboard.press('Tab');
  }
  assert.fail(`Tab does not reach ${selector} (the focus is on ${JSON.stringify(await focused(page))})`);
}

// press presses a key that submits a form or follows a link and waits for
// the next document.
async function press(page, key = 'Enter') {
  await Promise.all([page.waitForEvent('load'), page.keyboard.press(key)]);
}

// choose moves a focused select with the arrow keys until want is selected
// (down, then up), or without want one step to the next option.
async function choose(page, want) {
  const value = () => page.evaluate(() => document.activeElement.value);
  const before = await value();
  if (want === before) return want;
  if (want === undefined) {
    await page.keyboard.press('ArrowDown');
    const v = await value();
    assert.notEqual(v, before, 'ArrowDown moves to the next option');
    return v;
  }
  for (const key of ['ArrowDown', 'ArrowUp']) {
    for (let i = 0, last; i < 40; i++) {
      await page.keyboard.press(key);
      const v = await value();
      if (v === want) return v;
      if (v === last) break;
      last = v;
    }
  }
  assert.fail(`the arrow keys do not select ${want} (at ${await value()})`);
}

// top puts the focus at the start of the document, where a keyboard user
// arriving on the page starts.
const top = (page) => page.evaluate(() => { document.activeElement?.blur(); window.getSelection()?.removeAllRanges(); });

test('the header\'s language button and sign-out work from the keyboard', { timeout: 60_000 }, async () => {
  const page = await viewerPage(browser, 'demo');
  await page.goto('/systems');
  await top(page);
  await tabTo(page, 'header form.lang-switch button[value=en]');
  await press(page);
  assert.equal(await page.locator('html').getAttribute('lang'), 'en', 'Enter on the English button switches to English');
  await tabTo(page, 'header form.lang-switch button[value=ja]');
  await press(page, ' ');
  assert.equal(await page.locator('html').getAttribute('lang'), 'ja', 'Space on the 日本語 button switches back');
  await tabTo(page, 'form[action="/logout"] button');
  await shot(page, file, 'signout-focused');
  await press(page);
  assert.equal(new URL(page.url()).pathname, '/login', 'Enter on sign-out signs out');
  await page.context().close();
});

test('the register\'s, the findings\' and the dashboard\'s forms work from the keyboard', { timeout: 60_000 }, async () => {
  const page = await viewerPage(browser, 'demo');

  await page.goto('/systems');
  const term = (await page.locator('table.list tbody tr td.code').first().textContent()).trim().slice(0, 3);
  await top(page);
  await tabTo(page, 'form[action="/systems"] #q');
  await page.keyboard.type(term);
  await tabTo(page, 'form[action="/systems"] #status');
  const status = await choose(page);
  await tabTo(page, 'form[action="/systems"] button[type=submit]');
  await press(page);
  let url = new URL(page.url());
  assert.equal(url.pathname, '/systems');
  assert.equal(url.searchParams.get('q'), term, 'the search term typed is searched');
  assert.equal(url.searchParams.get('status'), status, 'the status chosen with the arrow keys filters');
  await shot(page, file, 'systems-searched');

  await page.goto('/findings');
  await top(page);
  await tabTo(page, 'form[action="/findings"] #control');
  const control = await choose(page);
  await tabTo(page, 'form[action="/findings"] button[type=submit]');
  await press(page);
  url = new URL(page.url());
  assert.equal(url.pathname, '/findings');
  assert.equal(url.searchParams.get('control'), control, 'the control chosen with the arrow keys filters the findings');

  await page.goto('/dashboard');
  await top(page);
  await tabTo(page, 'form[action="/dashboard"] #org');
  const org = await choose(page);
  await tabTo(page, 'form[action="/dashboard"] button[type=submit]');
  await press(page);
  url = new URL(page.url());
  assert.equal(url.pathname, '/dashboard');
  assert.equal(url.searchParams.get('org'), org, 'the organization chosen with the arrow keys narrows the dashboard');
  await shot(page, file, 'dashboard-narrowed');
  await page.context().close();
});

test('the audit log\'s filter and verification and the import form work from the keyboard', { timeout: 90_000 }, async () => {
  const page = await adminPage(browser);
  await page.goto('/audit-log');
  await top(page);
  await tabTo(page, 'form[action="/audit-log"] #actor');
  await page.keyboard.type('admin');
  await tabTo(page, 'form[action="/audit-log"] button[type=submit]');
  await press(page);
  assert.equal(new URL(page.url()).searchParams.get('actor'), 'admin', 'the actor typed filters the audit log');
  await tabTo(page, 'form[action="/audit-log/verify"] button');
  await press(page);
  assert.equal(new URL(page.url()).pathname, '/audit-log/verify', 'Enter on the verify button verifies the chain');
  await shot(page, file, 'audit-verified');

  // The listener is in place before the page loads: Playwright turns the
  // browser's file-chooser interception on asynchronously when one is added,
  // and a key pressed right after adding it could open the real dialog
  // first, under load.
  const chosen = page.waitForEvent('filechooser', { timeout: 30_000 });
  await page.goto('/import');
  await top(page);
  await tabTo(page, 'form[action="/import"] #workbook');
  // Space on the file field opens the file chooser, as it does for a user.
  await page.keyboard.press(' ');
  const chooser = await chosen;
  await chooser.setFiles(join(here, 'testdata', 'bad-register.xlsx'));
  await tabTo(page, 'form[action="/import"] button[type=submit]');
  await press(page);
  assert.ok(await page.locator('table.problems tbody tr').count() > 0, 'the workbook chosen from the keyboard is checked');
  await shot(page, file, 'import-checked');
  await page.context().close();
});

test('the administration\'s forms, the password change and the enrolment work from the keyboard', { timeout: 150_000 }, async () => {
  const admin = await adminPage(browser);
  await admin.goto('/admin/organizations');
  const [org, other] = (await admin.locator('main table tbody td.code').allTextContents()).map((c) => c.trim());

  // Search the accounts.
  await admin.goto('/admin/users');
  await top(admin);
  await tabTo(admin, 'form[action="/admin/users"] #q');
  await admin.keyboard.type('demo');
  await tabTo(admin, 'form[action="/admin/users"] button[type=submit]');
  await press(admin);
  assert.equal(new URL(admin.url()).searchParams.get('q'), 'demo', 'the accounts are searched');

  // Create an account whose role needs a second factor.
  const name = `kbd-${Date.now()}`;
  await admin.goto('/admin/users/new');
  await top(admin);
  await tabTo(admin, '#name');
  await admin.keyboard.type(name);
  await tabTo(admin, '#role');
  await choose(admin, 'org_security');
  await tabTo(admin, '#org');
  await admin.keyboard.type(org);
  await tabTo(admin, 'form[action="/admin/users"] button[type=submit]');
  await press(admin);
  assert.ok(await admin.locator('#password').count(), `the account is created (the page says ${JSON.stringify(await alertText(admin))})`);
  const userURL = `/admin/users/${name}`;

  // Grant a role, revoke it, disable and enable the account.
  await admin.goto(userURL);
  await top(admin);
  await tabTo(admin, '#grant-role');
  await choose(admin, 'viewer');
  await tabTo(admin, '#grant-org');
  await admin.keyboard.type(other);
  await tabTo(admin, 'form[action$="/grant"] button[type=submit]');
  await press(admin);
  const revoke = `form[action$="/revoke"]:has(input[name=org][value="${other}"]) button`;
  assert.equal(await admin.locator(revoke).count(), 1, `the role is granted on ${other}`);
  await top(admin);
  await tabTo(admin, revoke);
  await press(admin);
  assert.equal(await admin.locator(revoke).count(), 0, 'the role is revoked');
  await top(admin);
  await tabTo(admin, 'form[action$="/disable"] button');
  await press(admin);
  await top(admin);
  await tabTo(admin, 'form[action$="/enable"] button');
  await press(admin);
  assert.equal(await admin.locator('form[action$="/disable"]').count(), 1, 'the account is disabled and enabled again');

  // A wrong password, then the unlock button; then a new one-time password.
  const ctx = await newContext(browser);
  const page = await ctx.newPage();
  await page.goto('/login');
  await tabTo(page, '#name');
  await page.keyboard.type(name);
  await tabTo(page, '#password');
  await page.keyboard.type('not the password');
  await press(page);
  await admin.goto(userURL);
  await top(admin);
  await tabTo(admin, 'form[action$="/unlock"] button');
  await press(admin);
  await top(admin);
  await tabTo(admin, 'form[action$="/reset-password"] button');
  await press(admin);
  const onetime = (await admin.locator('#password').textContent()).trim();
  assert.ok(onetime, 'the reset shows a one-time password');

  // The officer signs in, changes the password and enrols, keyboard only.
  await page.goto('/login');
  await tabTo(page, '#name');
  await page.keyboard.type(name);
  await tabTo(page, '#password');
  await page.keyboard.type(onetime);
  await press(page);
  assert.equal(new URL(page.url()).pathname, '/password', 'a one-time password must be changed first');
  await tabTo(page, '#current');
  await page.keyboard.type(onetime);
  await tabTo(page, '#new');
  await page.keyboard.type(password + '-kbd');
  await tabTo(page, '#confirm');
  await page.keyboard.type(password + '-kbd');
  await tabTo(page, 'form[action="/password"] button[type=submit]');
  await press(page);
  await tabTo(page, 'main a[href="/enrol"]');
  await press(page);
  assert.equal(new URL(page.url()).pathname, '/enrol');
  // A new key, then the code from it.
  await tabTo(page, 'button[name=restart]');
  await press(page);
  const secret = await enrolSecret(page);
  const { code } = await freshCode(secret);
  await top(page);
  await tabTo(page, '#code');
  await page.keyboard.type(code);
  await press(page);
  assert.ok(await page.locator('ul.codes li').count() > 0, `the code typed enrols the second factor (the page says ${JSON.stringify(await alertText(page))})`);
  await shot(page, file, 'enrolled');
  await ctx.close();

  // The administrator resets the second factor.
  await admin.goto(userURL);
  await top(admin);
  await tabTo(admin, 'form[action$="/reset-2fa"] button');
  await press(admin);
  assert.match(await admin.locator('[role=status]').first().textContent(), /\S/, 'the second factor is reset');
  await admin.context().close();
});
