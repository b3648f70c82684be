// The ISMAP cloud service lists: a ministry's viewer reads the demo's
// snapshots and the service that dropped off the newer ISMAP list, with no
// import form; the central administrator imports the repository's sample
// list (the published layout) through the form and lands on the new
// snapshot's services. Every page passes axe-core.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';
import { adminPage, alertText, axe, launch, shot, submit, viewerPage } from './lib.mjs';

const file = '20-cloud-lists';
const sample = join(dirname(fileURLToPath(import.meta.url)), '..', 'testdata', 'cloudlists', 'ismap-sample.csv');
let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('a viewer reads the lists without an import form', { timeout: 120_000 }, async () => {
  const page = await viewerPage(browser, 'ministry');
  await page.goto('/cloud-lists');
  assert.match(await page.locator('main h1').textContent(), /ISMAPクラウドサービスリスト/);
  assert.ok(await page.locator('table.list').first().locator('tbody tr').count() >= 2, 'the demo\'s snapshots are listed');
  assert.match(await page.locator('main').textContent(), /リストから削除/, 'the dropped service is shown');
  assert.equal(await page.locator('form[action="/cloud-lists"]').count(), 0, 'no import form for a viewer');
  await shot(page, file, 'viewer');
  assert.deepEqual(await axe(page), [], 'the page passes axe-core');
  await page.context().close();
});

test('the central administrator imports a list through the form', { timeout: 180_000 }, async () => {
  const page = await adminPage(browser);
  await page.goto('/cloud-lists');
  const form = page.locator('form[action="/cloud-lists"]');
  assert.equal(await form.count(), 1, 'the import form is offered');
  await page.selectOption('#list-kind', 'ismap');
  await page.locator('#list-file').setInputFiles({ name: 'ismap-sample.csv', mimeType: 'text/csv', buffer: readFileSync(sample) });
  // The sample is as of 2026-10-01, which the demo's snapshots are not.
  await submit(page, form.locator('button[type=submit]'));
  assert.match(new URL(page.url()).pathname, /^\/cloud-lists\/\d+$/, `the import lands on its snapshot (the page says ${JSON.stringify(await alertText(page))})`);
  assert.match(await page.locator('main').textContent(), /見本文書管理サービス/);
  await shot(page, file, 'snapshot');
  assert.deepEqual(await axe(page), [], 'the snapshot page passes axe-core');
  // The same list and date again: refused on the form, with the reason.
  await page.goto('/cloud-lists');
  await page.locator('#list-file').setInputFiles({ name: 'ismap-sample.csv', mimeType: 'text/csv', buffer: readFileSync(sample) });
  await submit(page, page.locator('form[action="/cloud-lists"] button[type=submit]'));
  assert.match(await alertText(page), /取込み済み/);
  assert.deepEqual(await axe(page), [], 'the refusal passes axe-core');
});
