// One incident from detection to recovery and closing, by two accounts:
// the ministry's system officer records it on /incidents (the metrics of
// the current fiscal year count one more incident, and one more open),
// the ministry's security officer reports it (to NISC) and assigns it back
// to the officer, who contains and recovers it; the security officer closes
// it with the measures against recurrence. Each step stamps its date on
// the incident's timeline, and once recovered the metrics' open count
// falls back. The officer is never offered the report or the closing.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  alertText, axe, launch, ministry, newContext, shot, signIn, signInWithSecondFactor, signOut, submit,
} from './lib.mjs';

const file = '16-incident';
let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

// form is the transition form named by its transition.
function form(page, transition) {
  return page.locator(`form[action$="/act"]:has(input[name=transition][value=${transition}])`);
}

// step takes a transition on the response item's page with the fields
// given and comes back to the incident's page.
async function step(page, incident, transition, fields = {}) {
  await page.goto(incident);
  await submit(page, page.locator('#incident-workflow'));
  const f = form(page, transition);
  assert.equal(await f.count(), 1, `the page offers ${transition}`);
  for (const [name, value] of Object.entries(fields)) await f.locator(`[name=${name}]`).fill(value);
  await submit(page, f.locator('button[type=submit]'));
  assert.equal(await alertText(page), '', `${transition} is done`);
  await page.goto(incident);
}

// current reads the current fiscal year's row of the metrics (the last):
// incidents and open ones.
async function current(page) {
  await page.goto('/incidents');
  const row = page.locator('#incident-metrics tbody tr').last();
  const cells = await row.locator('td').allTextContents();
  return { fy: (await row.locator('th').textContent()).trim(), total: Number(cells[0].replace(/,/g, '')), open: Number(cells[1].replace(/,/g, '')) };
}

// stamped is the date recorded for a step of the timeline ("" for none).
async function stamped(page, label) {
  const row = page.locator('#incident-timeline tbody tr', { has: page.locator('th', { hasText: label }) });
  const text = (await row.locator('td').first().textContent()).trim();
  return /^\d{4}-\d{2}-\d{2}$/.test(text) ? text : '';
}

test('an incident goes from detection to closing, and the metrics follow', { timeout: 180_000 }, async () => {
  // The officer records it.
  const ctx = await newContext(browser);
  const page = await ctx.newPage();
  await signIn(page, 'officer');
  const before = await current(page);
  assert.match(before.fy, /年度/, 'the metrics name the fiscal year');
  assert.ok(await page.locator('#incident-metrics-chart svg').count() === 1, 'the metrics have a chart');
  await shot(page, file, 'list');
  assert.deepEqual(await axe(page), [], 'the incidents page passes axe-core');

  const rec = page.locator('form[aria-labelledby="record"]');
  await rec.locator('#inc-org').fill(ministry);
  await rec.locator('#inc-class').selectOption('unauthorized_access');
  await rec.locator('#inc-severity').selectOption('high');
  const today = await rec.locator('#inc-detected').inputValue();
  assert.match(today, /^\d{4}-\d{2}-\d{2}$/, 'the form offers today as the detection date');
  await rec.locator('#inc-occurred').fill(today);
  await rec.locator('#inc-detected-time').fill('00:00'); // today's first minute: never after the report
  await rec.locator('#inc-summary').fill('公開サーバへの不正アクセス（ブラウザ試験）');
  await submit(page, rec.locator('button[type=submit]'));
  const incident = new URL(page.url()).pathname;
  assert.match(incident, /^\/incidents\/.+-IN\d{8}-\d+$/, `the incident is recorded (the page says ${JSON.stringify(await alertText(page))})`);
  assert.match(await page.locator('#incident-state').textContent(), /検知/);
  assert.equal(await stamped(page, '検知'), today);
  await shot(page, file, 'recorded');
  assert.deepEqual(await axe(page), [], 'the incident page passes axe-core');
  const recorded = await current(page);
  assert.equal(recorded.total, before.total + 1, 'the year counts one more incident');
  assert.equal(recorded.open, before.open + 1, 'and one more open');

  // The officer may not report it: that is the security office's step.
  await page.goto(incident);
  await submit(page, page.locator('#incident-workflow'));
  assert.equal(await form(page, 'report').count(), 0, 'the officer is offered no report');
  assert.deepEqual(await axe(page), [], 'the response item passes axe-core');
  await signOut(page);

  // The security officer reports it to NISC and assigns it to the officer.
  await signInWithSecondFactor(page, 'security');
  await step(page, incident, 'report', { detail_reported_to: 'NISC', assignee: 'officer' });
  assert.match(await page.locator('#incident-state').textContent(), /報告済み/);
  assert.match(await page.locator('table.fields').textContent(), /NISC/);
  assert.equal(await stamped(page, '報告'), today, 'the report is stamped today');
  await signOut(page);

  // The officer contains and recovers it.
  await signIn(page, 'officer');
  await step(page, incident, 'contain');
  assert.match(await page.locator('#incident-state').textContent(), /封じ込め済み/);
  await step(page, incident, 'recover', { detail_cause: '管理画面の公開設定' });
  assert.match(await page.locator('#incident-state').textContent(), /復旧済み/);
  assert.equal(await stamped(page, '復旧'), today, 'the recovery is stamped today');
  const recovered = await current(page);
  assert.equal(recovered.total, before.total + 1, 'still one more incident');
  assert.equal(recovered.open, before.open, 'no longer open');
  await page.goto(incident);
  await submit(page, page.locator('#incident-workflow'));
  assert.equal(await form(page, 'close').count(), 0, 'the assignee is offered no closing');
  await shot(page, file, 'recovered');
  await signOut(page);

  // The security officer closes it with the measures against recurrence.
  await signInWithSecondFactor(page, 'security');
  await step(page, incident, 'close', { detail_measures: '管理画面をVPN経由に限定' });
  assert.match(await page.locator('#incident-state').textContent(), /完了/);
  assert.match(await page.locator('table.fields').textContent(), /管理画面をVPN経由に限定/);
  assert.equal(await stamped(page, '完了'), today);
  await shot(page, file, 'closed');
  assert.deepEqual(await axe(page), [], 'the closed incident passes axe-core');
  await page.goto('/incidents?lang=en');
  assert.match(await page.locator('main h1').textContent(), /Incidents/);
  assert.deepEqual(await axe(page), [], 'the English page passes axe-core');
  await page.goto('/incidents?lang=ja');
  await ctx.close();
});
