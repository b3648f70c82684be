// A number on the dashboard leads to the findings behind it: clicking a
// control's count of open findings lists exactly that many; a number in the
// Board-of-Audit report leads to the list of units it counts.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { count, launch, shot, submit, viewerPage } from './lib.mjs';

const file = '03-report-findings';
let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('a control count on the dashboard lists as many findings of that control', { timeout: 60_000 }, async () => {
  const page = await viewerPage(browser, 'demo');
  await page.goto('/dashboard');
  const rows = page.locator('section[aria-labelledby=by-control] table tbody tr');
  const n = await rows.count();
  assert.ok(n > 3, `the dashboard lists controls with findings (${n})`);

  // The control with the most open findings: more than one page of them, so
  // the count compared is the list's total, not the rows on one page.
  const cells = await rows.evaluateAll((trs) => trs.map((tr) => [tr.querySelector('td.code')?.textContent, tr.querySelector('td.num a')?.textContent]));
  let best = { open: -1 };
  cells.forEach(([id, open], i) => {
    if (count(open) > best.open) best = { i, open: count(open), id: id.trim() };
  });
  assert.ok(best.open > 50, `a control has more than a page of findings (${best.id}: ${best.open})`);
  await rows.nth(best.i).scrollIntoViewIfNeeded();
  await shot(page, file, 'dashboard');

  await submit(page, rows.nth(best.i).locator('td.num a').first());
  const url = new URL(page.url());
  assert.equal(url.pathname, '/findings');
  assert.equal(url.searchParams.get('control'), best.id, 'the list is filtered by the control clicked');
  assert.equal(await page.locator('select#control').inputValue(), best.id, 'the filter shows the control');
  assert.equal(count(await page.locator('main p.summary').textContent()), best.open,
    `the findings list has as many results as the dashboard counted for ${best.id}`);
  const controls = await page.locator('table.list tbody tr td.code:first-child').allTextContents();
  assert.ok(controls.length > 0 && controls.every((c) => c.trim() === best.id), 'every finding listed is of that control');
  await shot(page, file, 'findings');

  // A control's 未確認 count (evidence missing) lists as many findings of
  // that result: absence of evidence is counted and shown, never passed.
  await page.goto('/dashboard');
  const unknownLink = page.locator('section[aria-labelledby=by-control] table tbody tr td.num a[href*="result=unknown"]').first();
  assert.ok(await unknownLink.count() > 0, 'the demo shows some 未確認 on its dashboard');
  const unknownCount = count(await unknownLink.textContent());
  await submit(page, unknownLink);
  assert.equal(new URL(page.url()).searchParams.get('result'), 'unknown');
  assert.equal(count(await page.locator('main p.summary').textContent()), unknownCount,
    'the 未確認 list has as many findings as the dashboard counted');
  await shot(page, file, 'unknown');

  // The dashboard also links to the Board-of-Audit report of the same
  // census, a page of the site (its header and menu), in the viewer's
  // language; its summary links to each control's counts.
  await page.goto('/dashboard');
  await submit(page, page.locator('main a[href="/report"]'));
  assert.equal(new URL(page.url()).pathname, '/report');
  assert.equal(await page.locator('header.site-header nav a[aria-current="page"]').getAttribute('href'), '/report',
    'the report is a page of the site, marked in its menu');
  const anchor = page.locator(`main a[href="#${best.id}"]`).first();
  assert.match(await anchor.textContent(), new RegExp(best.id), 'the report lists the control');
  await anchor.click();
  await page.waitForURL(new RegExp(`#${best.id}$`));
  assert.equal(await page.locator(`[id="${best.id}"]`).count(), 1, 'the report has a section for the control');
  assert.equal(await page.locator('main h4').count(), 0, 'no list is inline');
  await shot(page, file, 'report');

  // A number in the control's table leads to the paged list of what it
  // counts (its systems or contracts, or its organizations), as many.
  const section = page.locator(`section.report-control[id="${best.id}"]`);
  let link = section.locator('tr.total a[href*="unit=targets"]').first();
  if (await link.count() === 0) link = section.locator('tr.total a[href*="unit=orgs"]').first();
  const number = count(await link.textContent());
  await submit(page, link);
  assert.equal(new URL(page.url()).pathname, '/report/list');
  assert.equal(count(await page.locator('main p.summary').textContent()), number,
    `the report's number ${number} lists as many units`);
  const listed = await page.locator('table.list tbody tr').count();
  assert.equal(listed, Math.min(number, 50), 'the list is paged');
  await shot(page, file, 'report-list');

  // In English: the report page and the findings form with every filter.
  await page.goto('/report?lang=en');
  assert.match(await page.locator('main h1').textContent(), /Audit report/);
  assert.equal(await page.locator('main h4').count(), 0, 'no list is inline in English either');
  await shot(page, file, 'report-en');
  await page.goto(`/findings?lang=en&control=${best.id}&severity=medium&age=0`);
  for (const id of ['control', 'org', 'target', 'severity', 'age', 'status', 'result']) {
    assert.equal(await page.locator(`label[for="${id}"]`).count(), 1, `the findings form labels its ${id} filter`);
  }
  assert.equal(await page.locator('select#severity').inputValue(), 'medium', 'the form keeps the severity asked');
  await shot(page, file, 'findings-form-en');
  await page.context().close();
});
