// Shared helpers of the browser tests. scripts/e2e.sh starts a demo server
// and passes what the tests need in the environment:
//
//   MAMORI_E2E_URL        the server's base URL, ending in "/"
//   MAMORI_E2E_PASSWORD   the demo accounts' password, as the demo printed it
//   MAMORI_E2E_MINISTRY   the organization code of the "ministry" account
//   MAMORI_E2E_EXPORT     a CSV export of the demo register (mamori export)
//   MAMORI_E2E_STATE      a directory private to this run, for the admin's
//                         TOTP secret and session between test files
//   MAMORI_E2E_CHROMIUM   the browser (default /usr/bin/chromium)
//   MAMORI_E2E_DB         the demo's database, and MAMORI_E2E_MAMORI the
//                         mamori binary serving it, for tests that run the
//                         command line beside the server (check, expire)
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

function need(name) {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set: run the browser tests with scripts/e2e.sh`);
  return v;
}

export const baseURL = need('MAMORI_E2E_URL');
export const password = need('MAMORI_E2E_PASSWORD');
export const ministry = need('MAMORI_E2E_MINISTRY');
export const exportDir = need('MAMORI_E2E_EXPORT');
const stateDir = need('MAMORI_E2E_STATE');
export const artifacts = process.env.MAMORI_E2E_ARTIFACTS || join(here, 'artifacts');
mkdirSync(artifacts, { recursive: true });

// A test step that waits for the UI waits at most this long: the demo
// server answers in milliseconds, so a longer wait is a failure, not a slow
// machine.
const stepTimeout = 15_000;

// launch starts the system's Chromium: no browser is downloaded, and the
// flags keep it from calling home (updates, sync, safe browsing lists), so a
// run needs no network beyond the local server.
export async function launch() {
  return chromium.launch({
    executablePath: process.env.MAMORI_E2E_CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

// newContext is a fresh browser profile (no cookies). Its language is
// Japanese, like the users': without it the browser would send en-US and
// the server would answer in English.
export async function newContext(browser, options = {}) {
  const ctx = await browser.newContext({ baseURL, locale: 'ja-JP', viewport: { width: 1280, height: 900 }, ...options });
  ctx.setDefaultTimeout(stepTimeout);
  ctx.setDefaultNavigationTimeout(stepTimeout);
  return ctx;
}

// shot saves one screenshot per test step, named after the test file and
// the step, so a failure in CI can be looked at afterwards.
let shots = 0;
export async function shot(page, file, step) {
  shots++;
  const name = `${file}-${String(shots).padStart(2, '0')}-${step}.png`;
  await page.screenshot({ path: join(artifacts, name), fullPage: false });
  return name;
}

// signIn fills the sign-in form and submits it; it returns the page after
// the answer has loaded, wherever it went.
export async function signIn(page, name, code = '') {
  await page.goto('/login');
  await page.fill('#name', name);
  await page.fill('#password', password);
  if (code) await page.fill('#code', code);
  await submit(page, page.locator('form[action="/login"] button[type=submit]'));
}

// submit clicks a button that posts a form (or follows a link) and waits
// for the next document to load, wherever the answer leads.
export async function submit(page, locator) {
  await Promise.all([page.waitForEvent('load'), locator.click()]);
}

// alertText is the message a page shows in its alert, if any.
export async function alertText(page) {
  const alert = page.locator('[role=alert]');
  return (await alert.count()) ? (await alert.first().textContent()).trim() : '';
}

export async function signOut(page) {
  await submit(page, page.locator('form[action="/logout"] button'));
  assert.equal(new URL(page.url()).pathname, '/login', 'signed out to the sign-in page');
}

// viewer signs a viewer account (demo or ministry, which need no second
// factor) in and returns its page.
export async function viewerPage(browser, name) {
  const ctx = await newContext(browser);
  const page = await ctx.newPage();
  await signIn(page, name);
  assert.match(new URL(page.url()).pathname, /^\/dashboard|^\/systems|^\/$/, `${name} signed in`);
  return page;
}

// count reads the total out of a list's summary: "全3,000件中 1〜50件目…"
// in Japanese, "1–50 of 3,000 systems" in English, or a bare number.
export function count(text) {
  const t = text.replace(/\s+/g, ' ');
  const m = t.match(/全\s*([\d,]+)\s*件/) || t.match(/\bof ([\d,]+)\b/) || t.match(/([\d,]+)/);
  assert.ok(m, `no number in ${JSON.stringify(text)}`);
  return Number(m[1].replaceAll(',', ''));
}

// setLanguage presses the header's language button when the page is not
// already in lang ('ja' or 'en'), and returns on the page it leads back to.
export async function setLanguage(page, lang) {
  if (await page.locator('html').getAttribute('lang') === lang) return;
  await submit(page, page.locator(`header form.lang-switch button[value=${lang}]`));
  assert.equal(await page.locator('html').getAttribute('lang'), lang, `the language button switches to ${lang}`);
}

// The WCAG 2.0 and 2.1 level A and AA rules of axe-core: what JIS X
// 8341-3:2016 level AA asks of a page, as far as a machine can check it.
export const axeTags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

// axe runs axe-core (from node_modules, never a CDN) on the page as it is
// and returns its serious and critical violations, one line each. The
// script is evaluated through the browser's debugging protocol, which the
// pages' Content-Security-Policy (no inline script) does not govern, so the
// pages are checked with the policy they are served with.
let axeSource;
export async function axe(page) {
  axeSource ??= readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) {
    await page.evaluate(axeSource);
  }
  const result = await page.evaluate((tags) => window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] }), axeTags);
  return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id} (${v.help}): ${v.nodes.slice(0, 5).map((n) => n.target.join(' ')).join(', ')}${v.nodes.length > 5 ? ` and ${v.nodes.length - 5} more` : ''}`);
}

// --- TOTP (RFC 6238 over RFC 4226): SHA-1, 30-second steps, 6 digits.

function base32(s) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0, value = 0;
  const out = [];
  for (const ch of s.toUpperCase().replace(/[\s=-]/g, '')) {
    const i = alphabet.indexOf(ch);
    if (i < 0) throw new Error(`not base32: ${JSON.stringify(ch)}`);
    value = (value << 5) | i;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

export function totpStep(ms = Date.now()) {
  return Math.floor(ms / 1000 / 30);
}

export function totp(secret, step) {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const mac = createHmac('sha1', base32(secret)).update(counter).digest();
  const off = mac[mac.length - 1] & 0x0f;
  const bin = mac.readUInt32BE(off) & 0x7fffffff;
  return String(bin % 1_000_000).padStart(6, '0');
}

// The admin's second factor and session are shared by the test files of
// one run, through the state directory: the server refuses a code whose
// step is not later than the last one it accepted, so the tests keep track
// of that step and wait for the next 30-second window when they must.
const adminFile = join(stateDir, 'admin.json');
const adminSession = join(stateDir, 'admin-session.json');

export function adminState() {
  return existsSync(adminFile) ? JSON.parse(readFileSync(adminFile, 'utf8')) : {};
}

export function saveAdminState(st) {
  writeFileSync(adminFile, JSON.stringify(st));
}

// freshCode returns a code of a step later than lastStep, waiting for the
// next window if the current one's code has been used.
export async function freshCode(secret, lastStep = -1) {
  let step = totpStep();
  if (step <= lastStep) {
    const wait = (lastStep + 1) * 30_000 - Date.now() + 250;
    await new Promise((r) => setTimeout(r, wait));
    step = totpStep();
  }
  return { step, code: totp(secret, step) };
}

// enrolSecret reads the key shown on the enrolment page for manual entry
// (or, failing that, the secret of an otpauth:// URL on it).
export async function enrolSecret(page) {
  const html = await page.content();
  const url = html.match(/otpauth:\/\/totp\/[^"'<\s]*[?&]secret=([A-Z2-7]+)/i);
  const codes = await page.locator('main code').allTextContents();
  const key = codes.map((c) => c.replace(/\s/g, '')).find((c) => /^[A-Z2-7]{16,}=*$/i.test(c));
  const secret = key || (url && url[1]);
  assert.ok(secret, 'the enrolment page shows the TOTP secret (text or otpauth URL)');
  return secret;
}

export async function saveAdminSession(page) {
  await page.context().storageState({ path: adminSession });
}

// signInWithSecondFactor signs name in on page and returns where it
// landed. An account whose role asks for a second factor enrols one at its
// first sign-in of the run; its key and last accepted step are kept in the
// state directory, so a later test file signs it in with a fresh code
// rather than expecting an enrolment that has already happened.
export async function signInWithSecondFactor(page, name) {
  const file = join(stateDir, `totp-${name}.json`);
  const st = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {};
  if (st.secret) {
    const { step, code } = await freshCode(st.secret, st.lastStep);
    await signIn(page, name, code);
    st.lastStep = step;
    writeFileSync(file, JSON.stringify(st));
    return new URL(page.url()).pathname;
  }
  await signIn(page, name);
  if (new URL(page.url()).pathname !== '/enrol') return new URL(page.url()).pathname;
  st.secret = await enrolSecret(page);
  const { step, code } = await freshCode(st.secret, st.lastStep);
  await page.fill('#code', code);
  await submit(page, page.locator('form[action="/enrol"] button[type=submit]:not([name=restart])'));
  st.lastStep = step;
  writeFileSync(file, JSON.stringify(st));
  assert.ok(await page.locator('ul.codes li').count() > 0,
    `${name} enrols a second factor (the page says ${JSON.stringify(await alertText(page))})`);
  return '/enrol';
}

// adminPage returns a page signed in as the central administrator with
// the second factor: the session the TOTP test left if it is still good,
// else a new sign-in (enrolling the second factor if nothing has yet).
export async function adminPage(browser) {
  if (existsSync(adminSession)) {
    const ctx = await newContext(browser, { storageState: adminSession });
    const page = await ctx.newPage();
    await page.goto('/dashboard');
    if (new URL(page.url()).pathname === '/dashboard') return page;
    await ctx.close();
  }
  const ctx = await newContext(browser);
  const page = await ctx.newPage();
  const st = adminState();
  if (!st.secret) {
    await signIn(page, 'admin');
    assert.equal(new URL(page.url()).pathname, '/enrol', 'a first sign-in as admin asks for enrolment');
    st.secret = await enrolSecret(page);
    const { step, code } = await freshCode(st.secret, st.lastStep);
    await page.fill('#code', code);
    await submit(page, page.locator('form[action="/enrol"] button[type=submit]:not([name=restart])'));
    st.lastStep = step;
    saveAdminState(st);
    assert.ok(await page.locator('ul.codes li').count() > 0,
      `enrolment with the key on the page succeeds (the page says ${JSON.stringify(await alertText(page))})`);
  } else {
    const { step, code } = await freshCode(st.secret, st.lastStep);
    await signIn(page, 'admin', code);
    st.lastStep = step;
    saveAdminState(st);
  }
  const said = await alertText(page);
  await page.goto('/dashboard');
  assert.equal(new URL(page.url()).pathname, '/dashboard', `admin signed in (the page said ${JSON.stringify(said)})`);
  await saveAdminSession(page);
  return page;
}

// csv parses the register's CSV export (RFC 4180, with a byte order mark).
export function csv(name) {
  let text = readFileSync(join(exportDir, name), 'utf8').replace(/^\uFEFF/, '');
  const rows = [];
  let row = [], field = '', quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++; }
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(field); field = ''; }
    else if (c === '\n') { row.push(field.replace(/\r$/, '')); rows.push(row); row = []; field = ''; }
    else field += c;
  }
  if (field || row.length) { row.push(field); rows.push(row); }
  return rows;
}
