// Training attendance and comprehension (issue 15 item 5): the ministry's
// viewer reads its fiscal year's courses with their rates and follows one
// to the people who must attend; the pages pass axe-core in Japanese and
// English, the chart's labels stay inside its drawing, and another
// ministry's course answers 404.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { axe, csv, launch, ministry, setLanguage, shot, viewerPage } from './lib.mjs';

const file = '19-training';
let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('a ministry reads its training rates and one course', { timeout: 120_000 }, async () => {
  const page = await viewerPage(browser, 'ministry');
  await page.goto('/training');
  assert.match(await page.locator('main h1').textContent(), /研修/);
  const courses = page.locator('table[aria-labelledby="courses"] tbody tr');
  assert.ok(await courses.count() > 0, 'the year\'s courses are listed');
  const orgs = await page.locator('table[aria-labelledby="orgs"] tbody').textContent();
  assert.ok(orgs.includes(ministry), `the ministry's line is there: ${orgs}`);
  await shot(page, file, 'list');
  assert.deepEqual(await axe(page), [], 'the list passes axe-core');
  // The chart's labels lie inside the drawing.
  const chart = page.locator('svg.chart').first();
  if (await chart.count()) {
    const box = await chart.boundingBox();
    for (const t of await chart.locator('text').all()) {
      const b = await t.boundingBox();
      assert.ok(b && b.x >= box.x - 1 && b.x + b.width <= box.x + box.width + 1, `a chart text runs off: ${await t.textContent()}`);
    }
  }
  const link = courses.first().locator('a').first();
  const href = await link.getAttribute('href');
  await page.goto(href);
  assert.match(new URL(page.url()).pathname, /^\/training\/.+/);
  assert.ok(await page.locator('table[aria-labelledby="people"] tbody tr').count() > 0, 'the course lists its people');
  await shot(page, file, 'course');
  assert.deepEqual(await axe(page), [], 'the course passes axe-core');
  await setLanguage(page, 'en');
  await page.goto('/training');
  assert.match(await page.locator('main h1').textContent(), /Training/);
  assert.deepEqual(await axe(page), [], 'the English list passes axe-core');
  await page.goto(href);
  assert.deepEqual(await axe(page), [], 'the English course passes axe-core');
  await setLanguage(page, 'ja');
  // A course of an organization outside the ministry (from the register's
  // export: the course code and its organization are the first columns):
  // as missing.
  const parent = new Map(csv('organizations.csv').slice(1).map((r) => [r[0], r[1]]));
  const under = (org) => {
    for (let o = org, seen = 0; o && seen < 100; o = parent.get(o), seen++) if (o === ministry) return true;
    return false;
  };
  const other = csv('training_courses.csv').slice(1).find((r) => r[1] && !under(r[1]));
  assert.ok(other, 'some course lies outside the ministry');
  const res = await page.goto(`/training/${other[0]}`);
  assert.equal(res.status(), 404, `the course ${other[0]} of ${other[1]} answers 404`);
  assert.ok(!(await page.locator('main').innerText()).replaceAll(other[0], '').includes(other[1]), 'the refusal names no organization but in the code asked for');
});
