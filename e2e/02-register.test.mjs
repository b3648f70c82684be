// Browsing the register as a whole-government viewer: search, the second
// page of results, a system's page and its components.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { count, launch, shot, submit, viewerPage } from './lib.mjs';

const file = '02-register';
let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('demo searches the register, pages, and opens a system with its components', { timeout: 60_000 }, async () => {
  const page = await viewerPage(browser, 'demo');
  await page.locator('.site-nav a[href="/systems"]').click();
  await page.waitForURL(/\/systems$/);
  const all = count(await page.locator('#summary').textContent());
  assert.ok(all > 100, `the demo register has systems (${all})`);
  await shot(page, file, 'register');

  // 「システム」 is in most but not all of the demo's system names: enough
  // results for a second page, fewer than the whole register.
  await page.fill('#q', 'システム');
  await submit(page, page.locator('form[role=search] button[type=submit]'));
  assert.equal(new URL(page.url()).searchParams.get('q'), 'システム');
  const found = count(await page.locator('#summary').textContent());
  assert.ok(found > 50 && found < all, `the search narrows the register to more than a page (${found} of ${all})`);
  const firstPage = await page.locator('table.list tbody tr td.code a').allTextContents();
  assert.equal(firstPage.length, 50, 'a full first page');
  await shot(page, file, 'search');

  await submit(page, page.locator('nav.pager a[rel=next]'));
  const url = new URL(page.url());
  assert.equal(url.searchParams.get('page'), '2');
  assert.equal(url.searchParams.get('q'), 'システム', 'the search is kept across pages');
  assert.equal(count(await page.locator('#summary').textContent()), found, 'same total on page 2');
  const secondPage = await page.locator('table.list tbody tr td.code a').allTextContents();
  assert.ok(secondPage.length > 0, 'page 2 has rows');
  assert.ok(!secondPage.some((c) => firstPage.includes(c)), 'page 2 shows other systems than page 1');
  await shot(page, file, 'page-2');

  const row = page.locator('table.list tbody tr').first();
  const code = (await row.locator('td.code a').textContent()).trim();
  const name = (await row.locator('td').nth(1).textContent()).trim();
  await submit(page, row.locator('td.code a'));
  assert.equal(decodeURIComponent(new URL(page.url()).pathname), `/systems/${code}`);
  assert.equal((await page.locator('main h1').textContent()).trim(), name, 'the system page is titled with its name');
  const components = page.locator('section[aria-labelledby=components]');
  await components.locator('h2#components').waitFor();
  const shown = await components.locator('tbody tr').count();
  const total = count(await components.locator('h2#components').textContent());
  assert.ok(shown > 0 && shown <= total, `the components section lists the system's components (${shown} of ${total})`);
  await components.scrollIntoViewIfNeeded();
  await shot(page, file, 'system-components');
  await page.context().close();
});
