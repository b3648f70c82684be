// Uploading a workbook with mistakes: the import page lists the problems
// and the register is left as it was.
import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { adminPage, count, launch, shot, submit } from './lib.mjs';

const file = '04-import';
const workbook = join(dirname(fileURLToPath(import.meta.url)), 'testdata', 'bad-register.xlsx');
let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('admin uploads a bad workbook: three problems listed, register unchanged', { timeout: 90_000 }, async () => {
  const page = await adminPage(browser);
  await page.goto('/systems');
  const before = count(await page.locator('#summary').textContent());

  const res = await page.goto('/import');
  assert.equal(res.status(), 200, 'the import page exists');
  await shot(page, file, 'import-page');
  const input = page.locator('input[type=file][name=workbook]');
  await input.setInputFiles(workbook);
  await submit(page, page.locator('form:has(input[name=workbook]) button[type=submit]'));
  const problems = page.locator('table.problems tbody tr');
  await page.locator('table.problems').waitFor();
  assert.equal(await problems.count(), 3, 'one row per mistake in the workbook');
  await shot(page, file, 'problems');

  await page.goto('/systems');
  assert.equal(count(await page.locator('#summary').textContent()), before, 'nothing was imported');
  await page.context().close();
});
