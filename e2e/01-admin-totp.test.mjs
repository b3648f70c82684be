// The central administrator's first sign-in: enrol a TOTP second factor
// from the key on the enrolment page, keep the recovery codes, sign out,
// and sign in again with password and code; a used code is refused.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  adminState, alertText, enrolSecret, freshCode, launch, newContext, saveAdminSession, saveAdminState, shot, signIn, signOut, submit,
} from './lib.mjs';

const file = '01-admin-totp';
let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('admin enrols TOTP at the first sign-in, then signs in with a code', { timeout: 90_000 }, async () => {
  assert.equal(adminState().secret, undefined, 'admin has not enrolled yet in this run (this file runs first)');
  const ctx = await newContext(browser);
  const page = await ctx.newPage();

  await signIn(page, 'admin');
  assert.equal(new URL(page.url()).pathname, '/enrol', 'password alone leads to the enrolment page');
  assert.ok(await page.locator('main svg').count() > 0, 'the QR code is drawn on the page');
  await shot(page, file, 'enrol');
  // Nothing on the page leads away from it: every other page sends an
  // enrolling session back here.
  assert.equal(await page.locator('header a[href]').count(), 0, 'the enrolment page offers no menu');
  assert.match((await page.locator('main code.key').textContent()).trim(), /^[A-Z2-7]{4}( [A-Z2-7]{1,4})+$/, 'the key is shown in groups of four');
  // Until the second factor is confirmed the session reaches nothing else.
  await page.goto('/systems');
  assert.equal(new URL(page.url()).pathname, '/enrol', 'an enrol-only session is sent back to /enrol');

  const secret = await enrolSecret(page);
  const first = await freshCode(secret);
  await page.fill('#code', first.code);
  await submit(page, page.locator('form[action="/enrol"] button[type=submit]:not([name=restart])'));
  await shot(page, file, 'recovery-codes');
  const recovery = await page.locator('ul.codes li code').allTextContents();
  assert.ok(recovery.length >= 5, `the code computed from the key on the page confirms the enrolment and recovery codes are shown (got ${
    recovery.length}; the page says ${JSON.stringify(await alertText(page))})`);
  assert.equal(new Set(recovery).size, recovery.length, 'recovery codes are distinct');
  saveAdminState({ secret, lastStep: first.step });

  await signOut(page);
  await shot(page, file, 'signed-out');

  // The code that confirmed the enrolment has been used: replaying it is
  // refused, and the browser stays on the sign-in page.
  await signIn(page, 'admin', first.code);
  assert.equal(new URL(page.url()).pathname, '/login', 'a replayed code is refused');
  await page.locator('[role=alert]').waitFor();
  await shot(page, file, 'replay-refused');

  const second = await freshCode(secret, first.step);
  await signIn(page, 'admin', second.code);
  saveAdminState({ secret, lastStep: second.step });
  assert.equal(new URL(page.url()).pathname, '/dashboard', 'password and a fresh code sign in');
  await page.locator('main h1').waitFor();
  assert.ok(await page.locator('form[action="/logout"]').count() === 1, 'signed in: the header offers sign-out');
  await shot(page, file, 'dashboard');
  await saveAdminSession(page);
  await ctx.close();
});
