// The language switch in the header: English for the whole session, and
// back to Japanese.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { launch, shot, submit, viewerPage } from './lib.mjs';

const file = '06-language';
let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('the English button switches the interface to English and back', { timeout: 60_000 }, async () => {
  const page = await viewerPage(browser, 'demo');
  await page.goto('/systems');
  const nav = page.locator('.site-nav a[href="/systems"]');
  assert.equal(await page.locator('html').getAttribute('lang'), 'ja', 'Japanese by default');
  assert.equal((await nav.textContent()).trim(), '情報システム台帳');
  await shot(page, file, 'japanese');

  await submit(page, page.locator('header form.lang-switch button', { hasText: 'English' }));
  assert.equal(new URL(page.url()).pathname, '/systems', 'the switch returns to the same page');
  assert.equal(await page.locator('html').getAttribute('lang'), 'en');
  assert.equal((await nav.textContent()).trim(), 'System register', 'the navigation is in English');
  await shot(page, file, 'english');
  // The choice holds on the next page.
  await page.goto('/findings');
  assert.equal((await nav.textContent()).trim(), 'System register', 'still English on another page');

  await submit(page, page.locator('header form.lang-switch button', { hasText: '日本語' }));
  assert.equal(new URL(page.url()).pathname, '/findings');
  assert.equal(await page.locator('html').getAttribute('lang'), 'ja');
  assert.equal((await nav.textContent()).trim(), '情報システム台帳', 'back to Japanese');
  await shot(page, file, 'japanese-again');
  await page.context().close();
});

test('a link with ?lang=en keeps English on the pages that follow, until switched back', { timeout: 60_000 }, async () => {
  const page = await viewerPage(browser, 'demo');
  const nav = page.locator('.site-nav a[href="/systems"]');
  await page.goto('/dashboard?lang=en');
  assert.equal(await page.locator('html').getAttribute('lang'), 'en');
  await page.goto('/systems');
  assert.equal(await page.locator('html').getAttribute('lang'), 'en', 'the next page, without ?lang, is still English');
  assert.equal((await nav.textContent()).trim(), 'System register');
  await shot(page, file, 'lang-parameter-holds');

  await page.goto('/findings?lang=en');
  await submit(page, page.locator('header form.lang-switch button', { hasText: '日本語' }));
  assert.equal(new URL(page.url()).search, '', 'the switch returns to the page without its lang parameter');
  assert.equal(await page.locator('html').getAttribute('lang'), 'ja', 'switching back from a ?lang=en page holds');
  await page.goto('/systems');
  assert.equal(await page.locator('html').getAttribute('lang'), 'ja');
  await page.context().close();
});
