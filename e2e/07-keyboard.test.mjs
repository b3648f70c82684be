// The sign-in page works from the keyboard alone: Tab reaches the name,
// the password and the submit button in that order, and Enter signs in.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { launch, newContext, password, shot } from './lib.mjs';

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
