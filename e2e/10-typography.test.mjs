// Japanese typography as the officer sees it: numbers in the charts carry
// thousands separators, codes and short labels are not broken across
// lines even in a narrow window, a ministry's chart legend names only its
// own tiers, and the browser's icon request gets an icon.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { launch, ministry, shot, viewerPage } from './lib.mjs';

const file = '10-typography';
let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

// lines counts the rendered lines of each element's text.
async function lines(locator) {
  return locator.evaluateAll((els) => els.map((el) => {
    const range = document.createRange();
    range.selectNodeContents(el);
    const tops = new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top)));
    return [el.textContent.trim(), tops.size];
  }));
}

test('chart numbers have separators; codes and short labels stay on one line', { timeout: 60_000 }, async () => {
  const page = await viewerPage(browser, 'demo');
  await page.goto('/dashboard');
  const values = await page.locator('svg.chart text.value').allTextContents();
  assert.ok(values.length > 0, 'the dashboard draws its charts');
  for (const v of values) assert.match(v.trim(), /^\d{1,3}(,\d{3})*$/, `a chart number is written with separators: ${v}`);
  assert.ok(values.some((v) => v.includes(',')), `the city demo has a count of a thousand or more in its charts (${values.join(' ')})`);

  // A narrow window squeezes the findings table: codes, severity and state
  // still read whole.
  await page.setViewportSize({ width: 760, height: 900 });
  await page.goto('/findings');
  const cells = [...await lines(page.locator('table.list tbody td.code > a')), ...await lines(page.locator('table.list tbody td.nowrap'))];
  assert.ok(cells.length > 10, 'the findings list has rows');
  const broken = cells.filter(([, n]) => n > 1);
  assert.deepEqual(broken, [], 'no code or short label is broken across lines');
  await shot(page, file, 'findings-narrow');

  const icon = await page.request.get('/favicon.ico');
  assert.equal(icon.status(), 200, '/favicon.ico exists');
  assert.equal(icon.headers()['content-type'], 'image/x-icon');
  await page.context().close();
});

test("a ministry's chart legend names only the tiers it has", { timeout: 60_000 }, async () => {
  const page = await viewerPage(browser, 'ministry');
  await page.goto('/dashboard');
  const legend = (await page.locator('svg.chart').first().locator('text.legend').allTextContents()).map((s) => s.trim());
  assert.ok(legend.length > 0, `the ministry (${ministry}) has a chart with a legend`);
  for (const tier of ['都道府県', '市区町村']) assert.ok(!legend.includes(tier), `the legend of ${ministry} names ${tier}: ${legend}`);
  await shot(page, file, 'ministry-legend');
  await page.context().close();
});
