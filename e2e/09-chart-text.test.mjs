// The charts' text stays inside the drawing: every bar label, number and
// legend entry of every chart (the dashboard's, and any other page's), in
// Japanese and in English, as the browser lays it out with its own fonts.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { launch, setLanguage, shot, viewerPage } from './lib.mjs';

const file = '09-chart-text';
let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

// outside lists the texts of the page's charts whose box is not inside
// their drawing: in the SVG's own units (getBBox against the viewBox) and
// on the screen (getBoundingClientRect against the svg element's box).
const outside = (page) => page.evaluate(() => {
  const out = [];
  const charts = [...document.querySelectorAll('svg.chart')];
  for (const svg of charts) {
    const vb = svg.viewBox.baseVal;
    const screen = svg.getBoundingClientRect();
    for (const t of svg.querySelectorAll('text')) {
      const b = t.getBBox();
      const r = t.getBoundingClientRect();
      const name = `${svg.getAttribute('aria-labelledby')} ${t.getAttribute('class')} ${JSON.stringify(t.textContent)}`;
      if (b.x < vb.x - 0.5 || b.y < vb.y - 0.5 || b.x + b.width > vb.x + vb.width + 0.5 || b.y + b.height > vb.y + vb.height + 0.5) {
        out.push(`${name}: box ${b.x.toFixed(1)},${b.y.toFixed(1)} ${b.width.toFixed(1)}×${b.height.toFixed(1)} outside viewBox ${vb.width}×${vb.height}`);
      } else if (r.left < screen.left - 1 || r.top < screen.top - 1 || r.right > screen.right + 1 || r.bottom > screen.bottom + 1) {
        out.push(`${name}: drawn at ${r.left.toFixed(0)}–${r.right.toFixed(0)} × ${r.top.toFixed(0)}–${r.bottom.toFixed(0)}, `
          + `outside the chart's ${screen.left.toFixed(0)}–${screen.right.toFixed(0)} × ${screen.top.toFixed(0)}–${screen.bottom.toFixed(0)}`);
      }
    }
  }
  return { charts: charts.length, texts: charts.reduce((n, s) => n + s.querySelectorAll('text').length, 0), out };
});

for (const lang of ['ja', 'en']) {
  test(`every label, number and legend entry of the charts lies inside the drawing (${lang})`, { timeout: 60_000 }, async () => {
    const page = await viewerPage(browser, 'demo');
    await page.goto('/dashboard');
    await setLanguage(page, lang);
    const problems = [];
    for (const path of ['/dashboard', '/report']) {
      await page.goto(path);
      const { charts, texts, out } = await outside(page);
      if (path === '/dashboard') {
        assert.ok(charts >= 2 && texts > 10, `the dashboard draws its charts (${charts} charts, ${texts} texts)`);
        await page.locator('svg.chart').first().scrollIntoViewIfNeeded();
        await shot(page, file, `${lang}-dashboard-chart`);
      }
      problems.push(...out.map((o) => `${path}: ${o}`));
    }
    await page.context().close();
    assert.deepEqual(problems, []);
  });
}
